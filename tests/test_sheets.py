"""Copy-shop sheets, measured on the PDFs: where each copy lands, its bleed and gutters, the
crop marks, the unprintable margin, duplex registration and page order."""

import io
from itertools import combinations

import pikepdf
import pypdfium2 as pdfium
import pytest

from printkit.prepress.impose import (GUTTER, MARGIN, MARK_GAP, PAIR_MARK_GAP, PRINTABLE, SLUG_HEIGHT, plan_sheet,
                                      plan_spreads, spread_sides)
from printkit.products import paper
from printkit.units import PT_PER_MM as MM

from pdfcheck import squeezed

BLEED = 3 * MM
A4, SRA3 = paper.A4.pt, paper.SRA3.pt
A6 = (105 * MM, 148 * MM)


@pytest.fixture
def built(small_build):
    """The small programme built once: booklet, leaflets, cards and every copy-shop file."""
    return small_build


def placements(page) -> list[tuple[tuple[float, ...], tuple[float, ...], str]]:
    """Each form drawn on a sheet side: its matrix, its clip rectangle (x0 y0 x1 y1, in the form's
    coordinates) and its name, read from the content stream."""
    found, matrix, clip = [], None, None
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "cm":
            matrix = tuple(float(v) for v in operands)
        elif op == "re":
            x, y, w, h = (float(v) for v in operands)
            clip = (x, y, x + w, y + h)
        elif op == "Do":
            found.append((matrix, clip, str(operands[0])))
    return found


def apply(matrix, x, y):
    a, b, c, d, e, f = matrix
    return (a * x + c * y + e, b * x + d * y + f)


def on_sheet(matrix, rect):
    xs, ys = zip(*(apply(matrix, x, y) for x in rect[0::2] for y in rect[1::2]))
    return (min(xs), min(ys), max(xs), max(ys))


def copies(page, slugs=1):
    """The bleed boxes of the copies on a side, on the sheet, with their matrices and clips
    (the last forms drawn are the slug lines: one, or two around a pair of booklet spreads)."""
    return [(on_sheet(m, clip), m, clip) for m, clip, _ in placements(page)[:-slugs]]


def gap(r, s):
    return max(s[0] - r[2], r[0] - s[2], s[1] - r[3], r[1] - s[3])


def marks(page) -> list[tuple[float, float, float, float]]:
    """The crop marks: the stroked segments of the sheet's own content, with their ink and width."""
    segments, state, start = [], {}, None
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "K":
            state["ink"] = tuple(float(v) for v in operands)
        elif op == "w":
            state["width"] = float(operands[0])
        elif op == "m":
            start = tuple(float(v) for v in operands)
        elif op == "l":
            segments.append((*start, *(float(v) for v in operands)))
            assert state == {"ink": (0, 0, 0, 1), "width": state["width"]} and state["width"] >= 0.25
    return segments


@pytest.mark.parametrize("name, count, paper", [("sra3", 5, SRA3), ("a4", 2, A4)])
def test_card_sheet_copies_bleed_and_gutters(built, name, count, paper):
    with pikepdf.open(built / "cards" / "sheets" / name / "sport.pdf") as pdf:
        width, height = (float(v) for v in pdf.pages[0].mediabox[2:])
        assert sorted((round(width / MM), round(height / MM))) == sorted(round(v / MM) for v in paper)
        for page in pdf.pages:
            boxes = [box for box, _, _ in copies(page)]
            assert len(boxes) == count
            for box in boxes:  # each copy shows its trim plus 3 mm of bleed on every side
                size = sorted(round((v1 - v0) / MM, 1) for v0, v1 in ((box[0], box[2]), (box[1], box[3])))
                assert size == [111.0, 154.0]
                assert min(box[0], box[1], width - box[2], height - box[3]) >= PRINTABLE
            assert all(gap(r, s) >= 4 * MM - 0.01 for r, s in combinations(boxes, 2))


@pytest.mark.parametrize("name, office", [("sra3", False), ("a4", True)])
def test_an_office_sheet_s_slug_allows_a_lighter_card_stock(built, name, office):
    """A card's 350 g stock is a press's: many office printers feed nothing so stiff. The A4 sheet's
    slug says to take the heaviest the printer feeds; the SRA3 sheet, for a press, names the stock."""
    text = pdfium.PdfDocument(built / "cards" / "sheets" / name / "sport.pdf")[0].get_textpage().get_text_range()
    assert "papier couché mat 350\u00a0g" in text  # a figure keeps its unit
    assert ("le plus épais que l’imprimante accepte" in text) == office


def test_a_slug_line_longer_than_its_band_is_set_smaller_to_fit_it():
    """Val-Fleuri's A4 programme card sheet says its run, its stock and how to print in some 220
    characters: at 7.5 pt they ran 22 mm past the band's end, clipped there, into the guillotine's
    drift beside the trim (as found with the rule switched off). The line is set smaller to fit."""
    import datetime

    from printkit.render.pdf import slug_pdf

    line = ("carte A6 « programme » · 2 par feuille 297 × 210 mm · 6 000 exemplaires : tirer 3000 fois ce fichier · "
            "papier couché mat 350 g, ou le plus épais que l'imprimante accepte · recto verso, retourner sur le bord "
            "court · couper aux traits · RECTO")
    created = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    for words, band in ((line, 277), ("RECTO", 277)):
        page = pdfium.PdfDocument(slug_pdf([words], (band, 4), created, "fr-FR"))[0]
        chars = page.get_textpage()
        right, height = chars.get_charbox(chars.count_chars() - 1)[2], chars.get_charbox(0)[3] - chars.get_charbox(0)[1]
        assert right <= page.get_width() + 0.01, (words[:20], right / MM, band)
        assert (height > 4.2) == (words == "RECTO"), height  # a short line keeps the slug's 7.5 pt


@pytest.mark.parametrize("name", ["sra3", "a4"])
def test_card_sheet_marks_are_outside_every_copy_and_cover_every_cut(built, name):
    with pikepdf.open(built / "cards" / "sheets" / name / "sport.pdf") as pdf:
        assert_marks_outside_copies_on_every_cut(pdf.pages[0], [box for box, _, _ in copies(pdf.pages[0])], MARK_GAP)


def test_sra3_booklet_marks_are_outside_every_spread_and_cover_every_cut(real_build):
    with pikepdf.open(real_build / "booklet-imposed-sra3.pdf") as pdf:
        for page in pdf.pages[:2]:
            boxes = [box for box, _, _ in copies(page, slugs=2)]
            assert len(boxes) == 2
            assert_marks_outside_copies_on_every_cut(page, boxes, PAIR_MARK_GAP)


def assert_marks_outside_copies_on_every_cut(page, boxes, clearance):
    """Marks inside the printable area, clear of every copy's bleed, and one on every cut line."""
    width, height = (float(v) for v in page.mediabox[2:])
    segments = marks(page)
    assert segments
    for x0, y0, x1, y1 in segments:
        assert min(x0, x1, y0, y1) >= PRINTABLE and max(x0, x1) <= width - PRINTABLE
        assert max(y0, y1) <= height - PRINTABLE
        mark = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        assert all(gap(mark, box) >= clearance - 0.01 for box in boxes)
    for box in boxes:  # every cut line of every copy has a mark on it
        trim = (box[0] + BLEED, box[1] + BLEED, box[2] - BLEED, box[3] - BLEED)
        for x in trim[0::2]:
            assert any(abs(s[0] - x) < 0.01 and abs(s[2] - x) < 0.01 for s in segments), (box, x)
        for y in trim[1::2]:
            assert any(abs(s[1] - y) < 0.01 and abs(s[3] - y) < 0.01 for s in segments), (box, y)


@pytest.mark.parametrize("name", ["sra3", "a4"])
def test_card_backs_register_behind_their_fronts(built, name):
    """A point of a card's back lies, once the sheet is turned over on the edge the slug names,
    exactly behind the point of the front that is behind it on the card."""
    path = built / "cards" / "sheets" / name / "sport.pdf"
    with pikepdf.open(path) as pdf:
        width = float(pdf.pages[0].mediabox[2])
        flip = "bord court" if width > float(pdf.pages[0].mediabox[3]) else "bord long"
        fronts, backs = copies(pdf.pages[0]), copies(pdf.pages[1])
    trim_x = fronts[0][2][0] + BLEED, fronts[0][2][2] - BLEED
    assert flip in pdfium.PdfDocument(path)[0].get_textpage().get_text_range()
    for _, front, clip in fronts:
        corners = [(x, y) for x in clip[0::2] for y in clip[1::2]] + [(clip[0] + 10, clip[3] - 30)]
        behind = [(trim_x[0] + trim_x[1] - x, y) for x, y in corners]  # the card turned over
        found = [(width - apply(back, *b)[0], apply(back, *b)[1]) for b in behind for _, back, _ in backs]
        for point in (apply(front, *p) for p in corners):
            assert any(abs(point[0] - f[0]) < 0.01 and abs(point[1] - f[1]) < 0.01 for f in found)
    assert any(m[1] != 0 for _, m, _ in fronts) == (name == "sra3")  # SRA3 turns some copies to fit 5


def test_the_most_a6_cards_fit_on_sra3():
    """Five with bleed, gutters and marks, some turned: no upright-only layout reaches it."""
    layout = plan_sheet(A6, BLEED, SRA3)
    assert len(layout.slots) == 5 and any(s.turned for s in layout.slots)
    boxes = [layout.bleed_box(s) for s in layout.slots]
    assert all(gap(r, s) >= 4 * MM - 0.01 for r, s in combinations(boxes, 2))
    assert len(plan_sheet(A6, BLEED, A4).slots) == 2
    assert len(plan_sheet((297 * MM, 210 * MM), BLEED, SRA3).slots) == 1


@pytest.mark.parametrize("card, sheet", [(A6, SRA3), (paper.POSTCARD.pt, paper.TABLOID_EXTRA.pt)])
def test_cards_in_one_orientation_fit_four_where_mixed_fit_five(card, sheet):
    """Counted apart from the planner: upright or turned alone, with bleed, gutters, marks and the slug
    strip, the sheet either way up, four cards at most; three upright over two turned make five."""
    def straight(piece, sheet):
        across = (sheet[0] - 2 * MARGIN + GUTTER) // (piece[0] + 2 * BLEED + GUTTER)
        down = (sheet[1] - 2 * MARGIN - SLUG_HEIGHT - MARK_GAP + GUTTER) // (piece[1] + 2 * BLEED + GUTTER)
        return across * down

    assert max(straight(p, s) for p in (card, card[::-1]) for s in (sheet, sheet[::-1])) == 4
    layout = plan_sheet(card, BLEED, sheet)
    assert len(layout.slots) == 5 and sum(s.turned for s in layout.slots) == 2


def test_on_equal_counts_one_orientation_wins():
    """14 pieces of 50 × 140 mm fit on SRA3 all turned, or mixed with fewer turned: all turned wins."""
    layout = plan_sheet((50 * MM, 140 * MM), BLEED, SRA3)
    assert len(layout.slots) == 14 and {s.turned for s in layout.slots} == {True}


def ink_margin(path, dpi=36) -> list[float]:
    """For each side, the distance in mm from the sheet's edge to the nearest printed pixel."""
    document = pdfium.PdfDocument(path)
    found = []
    for index in range(len(document)):
        image = document[index].render(scale=dpi / 72, grayscale=True).to_pil()
        left, top, right, bottom = image.point(lambda v: 255 if v < 250 else 0).getbbox()
        found.append(min(left, top, image.width - right, image.height - bottom) * 25.4 / dpi)
    return found


def test_no_ink_within_5_mm_of_any_copy_shop_sheet_edge(built):
    paths = [built / "booklet-imposed-a4.pdf", built / "booklet-imposed-sra3.pdf"]
    paths += sorted((built / "cards" / "sheets").rglob("*.pdf"))
    assert len(paths) == 2 + 2 * 3
    for path in paths:
        assert min(ink_margin(path)) >= 5 - 25.4 / 36, path


def test_a_proof_s_office_sheets_say_it_is_a_proof_on_every_page(built):
    """The booklet's proof banner, 0.8 to 4.8 mm below the trim, sat in the 5 mm an office printer
    leaves white and was clipped off every A4 side (as found with the rule switched off): a copy
    printed there read as final. Each half of each side shows its black bar, 58 × 4 mm, whole, in
    the printable band under the sheet's top edge: its rows of ink 50 mm wide or more start below
    the clip and run 3 mm or more."""
    document = pdfium.PdfDocument(built / "booklet-imposed-a4.pdf")
    dpi = 144
    for index in range(len(document)):
        image = document[index].render(scale=dpi / 72, grayscale=True).to_pil()
        band = image.crop((0, 0, image.width, round(12 * dpi / 25.4))).point(lambda v: 255 if v < 60 else 0)
        for half in (band.crop((0, 0, band.width // 2, band.height)), band.crop((band.width // 2, 0, band.width, band.height))):
            rows = [y for y in range(half.height) if _ink_width_mm(half.crop((0, y, half.width, y + 1)), dpi) > 50]
            assert rows, index
            top, height = rows[0] * 25.4 / dpi, (rows[-1] - rows[0] + 1) * 25.4 / dpi
            assert top >= PRINTABLE / MM and height >= 3, (index, top, height)


def _ink_width_mm(row, dpi: int) -> float:
    """How wide (mm) a row's ink runs, from its first dark pixel to its last."""
    box = row.getbbox()
    return (box[2] - box[0]) * 25.4 / dpi if box else 0


def test_a4_booklet_same_scale_and_place_on_both_sides_in_saddle_order(built):
    booklet = pdfium.PdfDocument(built / "booklet.pdf")
    pages = [squeezed(booklet[i].get_textpage().get_text_bounded(*booklet[i].get_trimbox()))
             for i in range(len(booklet))]
    imposed = pdfium.PdfDocument(built / "booklet-imposed-a4.pdf")
    assert len(imposed) == len(pages) // 2
    count = len(pages)
    # Sheet k (from 0), pages numbered from 1: front n-2k | 2k+1, back 2k+2 | n-2k-1; folded, 1 to n.
    order = [pair for k in range(count // 4) for pair in ((count - 2 * k, 2 * k + 1), (2 * k + 2, count - 2 * k - 1))]
    for side, (left, right) in enumerate((a - 1, b - 1) for a, b in order):
        page = imposed[side]
        width, height = page.get_size()
        halves = [squeezed(page.get_textpage().get_text_bounded(x0, 0, x1, height))
                  for x0, x1 in ((0, width / 2), (width / 2, width))]
        assert halves == [pages[left], pages[right]], side
    with pikepdf.open(built / "booklet-imposed-a4.pdf") as pdf:
        drawn = {tuple(placements(page)[0][:2]) for page in pdf.pages}
        assert len(drawn) == 1  # one matrix and one clip for every side: the sides register
        assert all(page.mediabox[2:] == [A4[1], A4[0]] for page in pdf.pages)
    assert min(ink_margin(built / "booklet-imposed-a4.pdf")) >= 5 - 25.4 / 36


def test_sra3_booklet_has_bleed_marks_and_instructions(built, real_build):
    path = built / "booklet-imposed-sra3.pdf"
    with pikepdf.open(path) as pdf:
        boxes = [box for box, _, _ in copies(pdf.pages[0], slugs=2)]
        assert {(round((b[2] - b[0]) / MM), round((b[3] - b[1]) / MM)) for b in boxes} == {(2 * 148 + 6, 216)}
        assert marks(pdf.pages[0])
    text = pdfium.PdfDocument(path)[0].get_textpage().get_text_range()
    assert "recto verso, retourner sur le bord long" in text and "agrafer" in text
    # the sides alternate recto, verso, each after its sheet's number: on the real booklet's four
    # sheets, where a pressman finds a misplaced one in the stack (the small booklet fills one)
    document = pdfium.PdfDocument(real_build / "booklet-imposed-sra3.pdf")
    sides = [document[i].get_textpage().get_text_range().rstrip() for i in range(len(document))]
    count = len(sides) // 2
    assert count > 1 and all(side.endswith(f"feuille {i // 2 + 1}/{count} · {('RECTO', 'VERSO')[i % 2]}")
                             for i, side in enumerate(sides)), [side[-30:] for side in sides]
    assert text.rstrip().endswith("jeter · RECTO")  # one sheet: no number


def test_two_a4_spreads_a_side_of_sra3_with_bleed_gutter_and_marks_outside_the_unprintable_edge():
    """The 18 mm that two spreads with bleed leave of the 450 hold the 5 mm edges, shorter marks and a
    gutter; 12 × 18 in leaves 12.7 mm beside two half-letter spreads, too little: one a side there."""
    layout = plan_spreads((297 * MM, 210 * MM), BLEED, SRA3)
    top, bottom = (layout.bleed_box(s) for s in layout.slots)
    assert layout.sheet == (min(SRA3), max(SRA3)) and layout.flip == "long"
    assert round(top[1] - bottom[3], 3) == round(2 * MM, 3)
    for x0, y0, x1, y1 in (top, bottom):  # centred across, so each back lands behind its front
        assert abs(x0 + x1 - layout.sheet[0]) < 0.01 and min(x0, y0, 450 * MM - y1) > PRINTABLE + 2.5 * MM
    for x, y, width, height in layout.slugs:  # beyond the bleed, between the marks, inside the printable area
        assert y >= top[3] + PAIR_MARK_GAP - 0.01 or y + height <= bottom[1] - PAIR_MARK_GAP + 0.01
        assert x > layout.trim(layout.slots[0])[0] and x + width < layout.trim(layout.slots[0])[2]
        assert PRINTABLE < y < y + height < layout.sheet[1] - PRINTABLE
    assert len(plan_spreads((11 * 72, 8.5 * 72), BLEED, paper.TABLOID_EXTRA.pt).slots) == 1


def test_a_run_of_booklets_prints_the_file_once_a_booklet_though_a_sheet_holds_two_spreads():
    from printkit.messages import Messages
    from printkit.prepress.impose import sheet_instructions

    layout = plan_spreads((297 * MM, 210 * MM), BLEED, SRA3)
    title, lines = sheet_instructions(layout, "livret", "320 × 450 mm", "couché", "plier", 500, Messages("fr-FR"), 1)
    assert "2 par feuille" in title and "500 exemplaires : tirer 500 fois ce fichier" in title
    # the line above the spreads, the line below them: front, then back
    assert len(lines) == 4 and lines[1] == "plier · RECTO" and lines[3] == "plier · VERSO"
    assert "tirer 250 fois" in sheet_instructions(layout, "carte", "", "", "", 500, Messages("fr-FR"))[0]


@pytest.mark.parametrize("count, expected", [
    (1, [[0], [1]]),
    (2, [[0, 2], [1, 3]]),
    (3, [[0, 4], [1, 5], [2], [3]]),
])
def test_spread_sides_put_the_first_half_of_the_booklet_above_and_the_second_below(count, expected):
    assert spread_sides(count, 2) == expected
    assert spread_sides(count, 1) == [[page] for page in range(2 * count)]


def booklet_pages(path) -> list[str]:
    document = pdfium.PdfDocument(path)
    return [squeezed(document[i].get_textpage().get_text_bounded(*document[i].get_trimbox()))
            for i in range(len(document))]


def slot_halves(page, textpage, box) -> tuple[str, str]:
    """The text of the left and the right page of the spread whose bleed box is ``box``."""
    x0, y0, x1, y1 = (v + d for v, d in zip(box, (BLEED, BLEED, -BLEED, -BLEED)))
    middle = (x0 + x1) / 2
    return tuple(squeezed(textpage.get_text_bounded(a, y0, b, y1)) for a, b in ((x0, middle), (middle, x1)))


def test_sra3_booklet_cut_and_gathered_reads_in_order(real_build):
    """Each side of the real booklet's SRA3 sheets read where its spreads sit: the upper spreads of
    every sheet, then the lower ones, are the booklet's sheets in saddle-stitch order, front and back;
    the last sheet's lower half is blank when the booklet's sheets are odd in number, and the slug says so."""
    pages = booklet_pages(real_build / "booklet.pdf")
    count, path = len(pages), real_build / "booklet-imposed-sra3.pdf"
    # Sheet k (from 0), pages numbered from 1: front n-2k | 2k+1, back 2k+2 | n-2k-1; folded, 1 to n.
    order = [pair for k in range(count // 4) for pair in ((count - 2 * k, 2 * k + 1), (2 * k + 2, count - 2 * k - 1))]
    expected = [(pages[a - 1], pages[b - 1]) for a, b in order]
    document = pdfium.PdfDocument(path)
    with pikepdf.open(path) as pdf:
        slots = [[box for box, _, _ in copies(page, slugs=2)] for page in pdf.pages]
    assert len(document) == 2 * -(-count // 8) and slots[0][0][1] > slots[0][1][3]  # the upper spread first
    found = {0: [], 1: []}  # by slot: upper, lower
    for side, boxes in enumerate(slots):
        assert boxes == slots[side - side % 2]  # a back's spreads lie where its front's do
        for slot, box in enumerate(boxes):
            found[slot].append(slot_halves(document[side], document[side].get_textpage(), box))
    assert found[0] + found[1] == expected
    if count % 8:
        empty = slots[0][1]
        for side in (len(document) - 2, len(document) - 1):
            assert squeezed(document[side].get_textpage().get_text_bounded(*empty)) == ""
            assert len(slots[side]) == 1
    text = document[0].get_textpage().get_text_range()
    assert "les planches du haut puis celles du bas" in text
    assert ("le bas de la dernière feuille est blanc" in text) == bool(count % 8)


def test_a4_booklet_scales_down_only_as_much_as_a_narrow_safe_zone_needs(built):
    """With text allowed 3 mm from the trim, the spreads shrink until the safe zone is printable."""
    from printkit.prepress.impose import impose_booklet_2up

    source = (built / "booklet.pdf").read_bytes()
    with pikepdf.open(built / "booklet.pdf") as pdf:
        trim = [float(v) for v in pdf.pages[0].TrimBox]
    for safe, scaled in ((5, False), (3, True)):
        with pikepdf.open(io.BytesIO(impose_booklet_2up(source, safe * MM, A4, ""))) as pdf:
            width, height = (float(v) for v in pdf.pages[0].mediabox[2:])
            matrix, clip, _ = placements(pdf.pages[0])[0]
        assert (matrix[0] < 1) == scaled and matrix[0] == matrix[3]
        spread = (clip[0] + safe * MM, clip[1] + safe * MM, clip[2] - safe * MM, clip[3] - safe * MM)
        x0, y0, x1, y1 = on_sheet(matrix, spread)
        assert min(x0, y0, width - x1, height - y1) >= PRINTABLE - 0.01
        assert round((clip[2] - clip[0]) / MM) == 2 * round((trim[2] - trim[0]) / MM)
