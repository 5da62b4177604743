"""Imposition, placing finished pages on the sheets a printer or a copy shop prints.

Each page is drawn as a form XObject through a matrix, clipped to what must show (its trim
box, plus bleed where the guillotine cuts), so nothing is rasterised or re-encoded.

Copy-shop sheets follow two rules of digital presses and office printers: no ink within
``PRINTABLE`` of the sheet's edge, and the same place on both sides, so that duplex
printing registers. Backs are placed by mirroring the fronts about the sheet's vertical
centre line: the sheet is turned over on the edge parallel to that line.
"""

import io
from dataclasses import dataclass, replace

import pikepdf

from printkit.messages import Messages
from printkit.products.paper import ROLL_INSIDE, ROLL_OUTSIDE
from printkit.units import MIN_LINE_PT, SHEET_MARGIN_MM, mm_to_pt

PRINTABLE = mm_to_pt(SHEET_MARGIN_MM)  # office printers and digital presses print nothing nearer the sheet's edge
GUTTER = mm_to_pt(4)  # between the bleeds of two pieces on a sheet
MARK_GAP = mm_to_pt(1)  # marks stop short of the bleed, so they never print on it
MARK_LENGTH = mm_to_pt(4)
SLUG_HEIGHT = mm_to_pt(4)  # the line that says how to print the sheet, below the pieces
MARK_WIDTH = MIN_LINE_PT  # pt: marks as thin as a printer accepts
MARGIN = PRINTABLE + MARK_GAP + MARK_LENGTH  # from the sheet's edge to the nearest bleed
ANTIALIAS = mm_to_pt(0.2)  # a clip edge exactly at 5 mm greys the pixel across it: stay a pixel clear at 150 dpi
# Two A4 spreads with bleed on SRA3 leave 8 mm of the 450 inside the unprintable edges: shorter marks nearer
# the bleed, a narrower gutter and the slug between the marks make room (plan_spreads). A mark still starts
# past the bleed, so nothing but marks comes within 3 mm of a trim.
PAIR_MARK_GAP = mm_to_pt(0.5)
PAIR_MARK_LENGTH = mm_to_pt(2.3)  # its end a pixel clear of the unprintable edge (ANTIALIAS), as the slug's box
PAIR_GUTTER = mm_to_pt(2)


@dataclass(frozen=True)
class Placement:
    """One source page drawn on a sheet: which page, through which matrix, and what of it shows."""

    page: int
    matrix: tuple[float, ...]  # source page coordinates to sheet coordinates (a b c d e f)
    clip: tuple[float, float, float, float]  # in source coordinates: x0 y0 x1 y1


def saddle_order(count: int) -> list[tuple[int, int]]:
    """Page pairs (left, right) of each sheet side, in printing order, for a saddle-stitched booklet.

    Sheet k's front carries the last unplaced page and the first; its back the second and
    the one before the last. Folding the duplex-printed stack gives pages 1 to ``count``.
    """
    if count % 4:
        raise ValueError(f"a saddle-stitched booklet needs a multiple of 4 pages, not {count}")
    sides = []
    for sheet in range(count // 4):
        first, last = 2 * sheet, count - 1 - 2 * sheet
        sides += [(last, first), (first + 1, last - 1)]
    return sides


def spreads(source: bytes, bleed: float) -> bytes:
    """The booklet's sheet sides as spreads in saddle-stitch order: two pages side by side,
    with bleed on the outer edges (none at the fold) and the trim box at the spread's size."""
    pdf = pikepdf.open(io.BytesIO(source))
    width, height = _trim_size(pdf.pages[0])
    sheet = (2 * width + 2 * bleed, height + 2 * bleed)
    sides = [[_at(pdf, left, bleed, bleed, (bleed, bleed, 0, bleed)),
              _at(pdf, right, bleed + width, bleed, (0, bleed, bleed, bleed))]
             for left, right in saddle_order(len(pdf.pages))]
    return _impose(pdf, sides, sheet, trim=(bleed, bleed, sheet[0] - bleed, sheet[1] - bleed))


def impose_trifold(source: bytes, bleed: float) -> bytes:
    """Six DL panels imposed on the two sides of an A4 landscape sheet, for a roll fold.

    Reading order of the panels: 1 cover, 2-4 inside from left to right (4 is the narrower
    panel that folds in), 5 the back of that panel, 6 the back cover. Outside: 5 6 1.
    """
    pdf = pikepdf.open(io.BytesIO(source))
    widths = [_trim_size(page)[0] for page in pdf.pages]
    height = _trim_size(pdf.pages[0])[1]
    sheet = (sum(widths[i] for i in ROLL_OUTSIDE) + 2 * bleed, height + 2 * bleed)
    sides = [_row(pdf, widths, ROLL_OUTSIDE, bleed), _row(pdf, widths, ROLL_INSIDE, bleed)]
    return _impose(pdf, sides, sheet, trim=(bleed, bleed, sheet[0] - bleed, sheet[1] - bleed))


def _row(pdf: pikepdf.Pdf, widths: list[float], order: tuple[int, ...], bleed: float) -> list[Placement]:
    placements, x = [], bleed
    for position, page in enumerate(order):
        left = bleed if position == 0 else 0
        right = bleed if position == len(order) - 1 else 0
        placements.append(_at(pdf, page, x, bleed, (left, bleed, right, bleed)))
        x += widths[page]
    return placements


def _at(pdf: pikepdf.Pdf, page: int, x: float, y: float, bleed: tuple = (0, 0, 0, 0)) -> Placement:
    """A page whose trim box's lower-left corner goes to (x, y), showing its trim plus the bleed
    given for each edge (left, bottom, right, top)."""
    trim = _box(pdf.pages[page], "/TrimBox")
    left, bottom, right, top = bleed
    clip = (trim[0] - left, trim[1] - bottom, trim[2] + right, trim[3] + top)
    return Placement(page, (1, 0, 0, 1, x - trim[0], y - trim[1]), clip)


# the booklet on an office sheet (A4, Letter), for an office printer or a copy shop that does not trim


def impose_booklet_2up(source: bytes, safe: float, paper: tuple[float, float], title: str) -> bytes:
    """A booklet's pages two to a landscape side of the paper (portrait, in points: A4 for A5
    pages, Letter for half-letter), in saddle-stitch order, for duplex printing on the short edge.

    Nothing is printed within ``PRINTABLE`` of the sheet's edge: the artwork is clipped
    there, so that every printer leaves the same white frame. Text and QR codes, kept
    ``safe`` inside the trim, are never clipped: when the safe zone is narrower than the
    unprintable margin, the spreads are scaled down just enough. Both sides use the same
    scale and position, so that the two sides register. ``title``, the file's, says how to print it.
    """
    pdf = pikepdf.open(io.BytesIO(spreads(source, 0)))
    spread = _trim_size(pdf.pages[0])
    sheet = (max(paper), min(paper))
    scale = min(1, *((s / 2 - PRINTABLE) / (d / 2 - safe) for s, d in zip(sheet, spread)))
    x, y = ((s - scale * d) / 2 for s, d in zip(sheet, spread))
    trim = _box(pdf.pages[0], "/TrimBox")
    matrix = (scale, 0, 0, scale, x - scale * trim[0], y - scale * trim[1])
    sides = [[Placement(i, matrix, tuple(trim))] for i in range(len(pdf.pages))]
    inset = PRINTABLE + ANTIALIAS
    printable = (inset, inset, sheet[0] - inset, sheet[1] - inset)
    return _impose(pdf, sides, sheet, sheet_clip=printable, title=title)


# step and repeat: N copies of one piece on a sheet that is trimmed


@dataclass(frozen=True)
class Slot:
    """Where one copy of a piece goes: its trim box's lower-left corner on the sheet, and whether
    it is turned a quarter turn anticlockwise."""

    x: float
    y: float
    turned: bool


@dataclass(frozen=True)
class Layout:
    """Copies of one piece (trim size, bleed) on a sheet, with gutters, crop marks and slug lines."""

    sheet: tuple[float, float]
    piece: tuple[float, float]
    bleed: float
    slots: tuple[Slot, ...]
    slugs: tuple[tuple[float, float, float, float], ...] = ()  # each slug line's box: x y width height
    marks: tuple[float, float] = (MARK_GAP, MARK_LENGTH)  # a crop mark's distance from the bleed, its length

    def trim(self, slot: Slot) -> tuple[float, float, float, float]:
        """The slot's trim box on the sheet."""
        width, height = self.piece[::-1] if slot.turned else self.piece
        return (slot.x, slot.y, slot.x + width, slot.y + height)

    def bleed_box(self, slot: Slot) -> tuple[float, float, float, float]:
        """The slot's trim box grown by the bleed: where the piece's artwork prints."""
        x0, y0, x1, y1 = self.trim(slot)
        return (x0 - self.bleed, y0 - self.bleed, x1 + self.bleed, y1 + self.bleed)

    @property
    def flip(self) -> str:
        """The edge to turn the sheet on between the two sides, the one parallel to the mirror axis:
        "long" or "short"."""
        return "long" if self.sheet[0] < self.sheet[1] else "short"


def plan_sheet(piece: tuple[float, float], bleed: float, paper: tuple[float, float]) -> Layout:
    """The layout that fits the most copies of a piece on the paper, upright or turned.

    The copies go in rows, upright rows first, then turned ones, each row centred across
    the sheet: the layout is symmetric about the vertical centre line, so each back lands
    behind its front. The paper is tried portrait and landscape; on equal counts a layout in
    one orientation wins, since its cuts run straight across the sheet, then the one with
    fewer turned copies.
    """
    candidates = [_stacked(piece, bleed, sheet, upright)
                  for sheet in (paper, paper[::-1]) for upright in range(_fits(piece[1] + 2 * bleed, sheet[1]) + 1)]
    return max(candidates, key=lambda layout: (len(layout.slots), _straight(layout),
                                               -sum(s.turned for s in layout.slots)))


def _straight(layout: Layout) -> bool:
    """Whether the copies are all upright or all turned: a guillotine then cuts each line across the
    whole sheet, where mixed rows are first cut apart and then each cut on its own marks."""
    return len({slot.turned for slot in layout.slots}) < 2


def _fits(length: float, room: float) -> int:
    """How many pieces of this length, gutters between them, fit in the room."""
    return max(0, int((room + GUTTER) // (length + GUTTER)))


def _stacked(piece: tuple[float, float], bleed: float, sheet: tuple[float, float], upright_rows: int) -> Layout:
    bottom = MARGIN + SLUG_HEIGHT + MARK_GAP
    room = (sheet[0] - 2 * MARGIN, sheet[1] - MARGIN - bottom)
    upright, turned = (piece[0] + 2 * bleed, piece[1] + 2 * bleed), (piece[1] + 2 * bleed, piece[0] + 2 * bleed)
    used = upright_rows * (upright[1] + GUTTER)
    rows = [(upright, False)] * upright_rows + [(turned, True)] * _fits(turned[1], room[1] - used)
    rows = [(cell, flag) for cell, flag in rows if _fits(cell[0], room[0])]
    height = sum(cell[1] for cell, _ in rows) + GUTTER * max(len(rows) - 1, 0)
    if not rows or height > room[1] + 0.01:
        return Layout(sheet, piece, bleed, (), (_slug_strip(sheet),))
    top = sheet[1] - MARGIN - (room[1] - height) / 2
    return Layout(sheet, piece, bleed, tuple(_row_slots(rows, top, sheet[0], room[0], bleed)), (_slug_strip(sheet),))


def _slug_strip(sheet: tuple[float, float]) -> tuple[float, float, float, float]:
    """The slug line's box: along the bottom of the sheet, below the marks."""
    return (MARGIN, PRINTABLE, sheet[0] - 2 * MARGIN, SLUG_HEIGHT)


def _row_slots(rows: list, top: float, width: float, room: float, bleed: float):
    """The slots of each row, from the top down, each row centred across the sheet."""
    for cell, turned in rows:
        count = _fits(cell[0], room)
        left = (width - count * cell[0] - (count - 1) * GUTTER) / 2
        top -= cell[1]
        yield from (Slot(left + i * (cell[0] + GUTTER) + bleed, top + bleed, turned) for i in range(count))
        top -= GUTTER


def plan_spreads(spread: tuple[float, float], bleed: float, paper: tuple[float, float]) -> Layout:
    """The layout of a booklet's spreads on a press sheet: two a side, one above the other, where
    they fit with the shorter marks (A4 spreads on SRA3); else plan_sheet's."""
    pair = _pair(spread, bleed, (min(paper), max(paper)))
    return pair if pair.slots else plan_sheet(spread, bleed, paper)


def _pair(spread: tuple[float, float], bleed: float, sheet: tuple[float, float]) -> Layout:
    """Two spreads upright, one above the other, centred on the portrait sheet, so that each back
    lands behind its front when the sheet is turned on its long edge; a slug line in the band
    above them and the band below, between the marks of the two vertical cuts."""
    band = PAIR_MARK_GAP + PAIR_MARK_LENGTH
    width, height = spread[0] + 2 * bleed, spread[1] + 2 * bleed
    if (width + 2 * (PRINTABLE + ANTIALIAS + band) > sheet[0] + 0.01
            or 2 * (height + PRINTABLE + ANTIALIAS + band) + PAIR_GUTTER > sheet[1] + 0.01):
        return Layout(sheet, spread, bleed, ())
    x, y = (sheet[0] - spread[0]) / 2, (sheet[1] - 2 * height - PAIR_GUTTER) / 2 + bleed
    top = y + height + PAIR_GUTTER
    slug = (x + MARK_LENGTH, spread[0] - 2 * MARK_LENGTH, PAIR_MARK_LENGTH)  # clear of the marks on the vertical cuts
    slugs = ((slug[0], top + spread[1] + bleed + PAIR_MARK_GAP, *slug[1:]), (slug[0], y - bleed - band, *slug[1:]))
    return Layout(sheet, spread, bleed, (Slot(x, top, False), Slot(x, y, False)), slugs,
                  (PAIR_MARK_GAP, PAIR_MARK_LENGTH))


def step_and_repeat(source: bytes, layout: Layout, slug: bytes | None = None, title: str = "") -> bytes:
    """Every page of the source on its own sheet side, once in each slot of the layout.

    Pages alternate front and back (a card's two sides, a booklet's spreads in printing
    order). A back goes behind its front: its matrix is the front's, composed with the
    piece turned over about its own vertical axis and the sheet about its vertical centre
    line. Crop marks in 100 % K sit outside every copy's bleed, and the slug's pages (one
    per side and slug box) go in the layout's slug boxes.
    """
    pdf = pikepdf.open(io.BytesIO(source))
    return _press_sheets(pdf, layout, [[page] * len(layout.slots) for page in range(len(pdf.pages))], slug, title)


def impose_spreads(source: bytes, layout: Layout, slug: bytes | None = None, title: str = "") -> bytes:
    """A booklet's spreads (as ``spreads`` gives them) on press sheets, a different one in each slot.

    With two slots, the first half of the booklet's sheets goes above, the second half below:
    the press sheets cut in two, the upper halves then the lower ones are the booklet's sheets
    in order, ready to nest. A booklet with an odd number of sheets leaves the last press
    sheet's lower half blank, without marks: printing the odd sheet twice would leave a
    stray copy for every booklet, and a sheet printed alone a second file to run.
    """
    pdf = pikepdf.open(io.BytesIO(source))
    return _press_sheets(pdf, layout, spread_sides(len(pdf.pages) // 2, len(layout.slots)), slug, title)


def spread_sides(count: int, slots: int) -> list[list[int]]:
    """The source page in each slot of each press sheet side, front then back, for a booklet of
    ``count`` sheets whose spreads are pages 2k (front of sheet k) and 2k + 1 (its back).

    Slot i of press sheet j holds the booklet's sheet j + i × (number of press sheets); the
    slots past the booklet's last sheet are left out, so a list may be shorter than the slots.
    """
    sheets = -(-count // slots)
    return [[2 * (j + i * sheets) + side for i in range(slots) if j + i * sheets < count]
            for j in range(sheets) for side in (0, 1)]


def _press_sheets(pdf: pikepdf.Pdf, layout: Layout, pages: list[list[int]], slug: bytes | None, title: str) -> bytes:
    """Each side's pages in the layout's slots, in turn (odd sides are backs), with crop marks around
    the filled slots and the slug's pages in the layout's slug boxes."""
    sides, marks = [], []
    for index, side in enumerate(pages):
        sides.append([_placed(pdf, layout, slot, page, index % 2) for slot, page in zip(layout.slots, side)])
        marks.append(sheet_marks(replace(layout, slots=layout.slots[:len(side)])))
    if slug is not None:
        sides = _with_slug(pdf, sides, slug, layout.slugs)
    return _impose(pdf, sides, layout.sheet, extra=marks, title=title)


def _placed(pdf: pikepdf.Pdf, layout: Layout, slot: Slot, page: int, back: bool) -> Placement:
    """A page in a slot, showing its trim and bleed; a back behind the front it belongs to."""
    trim = _box(pdf.pages[page], "/TrimBox")
    clip = (trim[0] - layout.bleed, trim[1] - layout.bleed, trim[2] + layout.bleed, trim[3] + layout.bleed)
    matrix = _front_matrix(layout, slot, trim)
    return Placement(page, _back_matrix(layout, matrix, trim) if back else matrix, clip)


def _front_matrix(layout: Layout, slot: Slot, trim: list[float]) -> tuple[float, ...]:
    if not slot.turned:
        return (1, 0, 0, 1, slot.x - trim[0], slot.y - trim[1])
    height = trim[3] - trim[1]
    return (0, 1, -1, 0, slot.x + height + trim[1], slot.y - trim[0])


def _back_matrix(layout: Layout, front: tuple[float, ...], trim: list[float]) -> tuple[float, ...]:
    turn_piece = (-1, 0, 0, 1, trim[0] + trim[2], 0)
    turn_sheet = (-1, 0, 0, 1, layout.sheet[0], 0)
    return _then(_then(turn_piece, front), turn_sheet)


def _then(first: tuple[float, ...], second: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix that applies ``first``, then ``second`` (PDF's row-vector convention)."""
    a1, b1, c1, d1, e1, f1 = first
    a2, b2, c2, d2, e2, f2 = second
    return (a1 * a2 + b1 * c2, a1 * b2 + b1 * d2, c1 * a2 + d1 * c2, c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2)


def _with_slug(pdf: pikepdf.Pdf, sides: list, slug: bytes, boxes: tuple) -> list:
    """The slug's pages drawn in the boxes, a page per box of each side, in turn: the slug has a line
    for each box of each side (sheet_instructions), a booklet's sheets each their own."""
    lines = pikepdf.open(io.BytesIO(slug))
    first = len(pdf.pages)
    pdf.pages.extend(lines.pages)
    return [side + [_at(pdf, first + i * len(boxes) + j, x, y) for j, (x, y, _, _) in enumerate(boxes)]
            for i, side in enumerate(sides)]


def sheet_marks(layout: Layout) -> bytes:
    """Crop marks at both ends of every trim line of every copy, dropped where one would come
    within the mark gap of another copy's bleed or within the unprintable margin."""
    segments = set()
    gap, length = layout.marks
    for slot in layout.slots:
        x0, y0, x1, y1 = layout.trim(slot)
        near, far = layout.bleed + gap, layout.bleed + gap + length
        for x in (x0, x1):
            segments |= {(x, y0 - near, x, y0 - far), (x, y1 + near, x, y1 + far)}
        for y in (y0, y1):
            segments |= {(x0 - near, y, x0 - far, y), (x1 + near, y, x1 + far, y)}
    kept = sorted(s for s in segments if _clear(s, layout))
    path = " ".join(f"{a:.3f} {b:.3f} m {c:.3f} {d:.3f} l" for a, b, c, d in kept)
    return f"q 0 0 0 1 K {MARK_WIDTH} w {path} S Q\n".encode()


def _clear(segment: tuple[float, ...], layout: Layout) -> bool:
    x0, x1 = sorted(segment[0::2])
    y0, y1 = sorted(segment[1::2])
    inside = (PRINTABLE <= x0 and x1 <= layout.sheet[0] - PRINTABLE
              and PRINTABLE <= y0 and y1 <= layout.sheet[1] - PRINTABLE)
    gap = layout.marks[0] - 0.01
    return inside and not any(bx0 - gap < x1 and x0 < bx1 + gap and by0 - gap < y1 and y0 < by1 + gap
                              for bx0, by0, bx1, by1 in map(layout.bleed_box, layout.slots))


def sheet_instructions(layout: Layout, what: str, size: str, paper: str, finishing: str, quantity: int | None,
                       messages: Messages, copies: int = 0, sheets: int = 1) -> tuple[str, list[str]]:
    """The file's title and the slug lines of each side, in the campaign's words: what the sheet
    holds, on which ``size`` ("320 × 450 mm", "12 × 18 in"), how many to print, how to print, cut
    and finish it, then which side it is.

    ``copies`` is how many copies of one piece a sheet holds (every slot's, unless given: a
    booklet's press sheet holds different spreads, so one booklet a run). With two slug boxes,
    the finishing goes in the second, below the pieces, and the rest in the first. A file of
    ``sheets`` different sheets (a booklet's) gives each side its sheet's number, so that a
    pressman finds a misplaced sheet in the stack: lines for each sheet's sides in turn.
    """
    count = len(layout.slots)
    parts = [what, messages.plural("slug.per_sheet", count, size=size)]
    if quantity:
        parts.append(messages.plural("slug.run", quantity, times=-(-quantity // (copies or count))))
    parts += [messages("slug.paper", paper=paper), messages("slug.duplex", edge=messages(f"slug.edge.{layout.flip}")),
              finishing]
    common = " · ".join(parts)
    sides = [_side_label(messages, side, number, sheets) for number in range(1, sheets + 1) for side in ("front", "back")]
    if len(layout.slugs) < 2:
        return common, [f"{common} · {side}" for side in sides]
    return common, [line for side in sides for line in (" · ".join(parts[:-1]), f"{finishing} · {side}")]


def _side_label(messages: Messages, side: str, number: int, sheets: int) -> str:
    """A sheet side's label (« RECTO »), after its sheet's number among ``sheets`` when there are more than one."""
    label = messages(f"slug.{side}")
    return f"{messages('slug.sheet', number=number, count=sheets)} · {label}" if sheets > 1 else label


# writing the sheets


def _trim_size(page: pikepdf.Page) -> tuple[float, float]:
    box = _box(page, "/TrimBox")
    return box[2] - box[0], box[3] - box[1]


def _box(page: pikepdf.Page, name: str) -> list[float]:
    return [float(v) for v in page.obj.get(name, page.mediabox)]


def _impose(pdf: pikepdf.Pdf, sides: list[list[Placement]], sheet: tuple[float, float], trim: tuple | None = None,
            extra: bytes | list[bytes] = b"", sheet_clip: tuple | None = None, title: str = "") -> bytes:
    """The sides drawn on sheets of ``sheet`` size; ``extra`` drawn over every side (a list: a side each)."""
    out = pikepdf.new()
    if "/OutputIntents" in pdf.Root:  # a PDF/X source stays PDF/X once imposed
        out.Root.OutputIntents = pikepdf.Array([_copied(out, intent) for intent in pdf.Root.OutputIntents])
        out.Root.Metadata = out.copy_foreign(pdf.Root.Metadata)
    _copy_info(pdf, out)
    if title:
        out.docinfo.Title = title
    forms = {}
    for index, side in enumerate(sides):
        page = out.add_blank_page(page_size=sheet)
        content = b"".join(_draw(out, page, pdf.pages[p.page], p, forms) for p in side)
        if sheet_clip:
            x0, y0, x1, y1 = sheet_clip
            content = f"q {x0:.3f} {y0:.3f} {x1 - x0:.3f} {y1 - y0:.3f} re W n\n".encode() + content + b"Q\n"
        page.obj.Contents = out.make_stream(content + (extra[index] if isinstance(extra, list) else extra))
        page.obj.TrimBox = pikepdf.Array(trim or [0, 0, *sheet])
        page.obj.BleedBox = pikepdf.Array([0, 0, *sheet]) if trim else page.obj.TrimBox
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True, compress_streams=True)
    return buffer.getvalue()


def _copy_info(pdf: pikepdf.Pdf, out: pikepdf.Pdf) -> None:
    """The source's Info dictionary: title, dates, /Trapped and build stamp, which a PDF/X file needs
    (finish.print_master then makes its XMP agree)."""
    for key, value in pdf.docinfo.items():
        out.docinfo[key] = out.copy_foreign(value) if value.is_indirect else value


def _copied(out: pikepdf.Pdf, dictionary: pikepdf.Dictionary) -> pikepdf.Dictionary:
    return pikepdf.Dictionary({key: out.copy_foreign(value) if value.is_indirect else value
                               for key, value in dictionary.items()})


def _draw(out: pikepdf.Pdf, sheet: pikepdf.Page, source: pikepdf.Page, placement: Placement, forms: dict) -> bytes:
    if placement.page not in forms:
        form = source.as_form_xobject()
        form.BBox = source.mediabox  # keep the bleed: the clip below decides what shows
        forms[placement.page] = out.copy_foreign(form)
    name = f"/P{placement.page}"
    if "/Resources" not in sheet.obj:
        sheet.obj.Resources = pikepdf.Dictionary()
    if "/XObject" not in sheet.obj.Resources:
        sheet.obj.Resources.XObject = pikepdf.Dictionary()
    sheet.obj.Resources.XObject[name] = forms[placement.page]
    matrix = " ".join(f"{v:.4f}" for v in placement.matrix)
    x0, y0, x1, y1 = placement.clip
    return f"q {matrix} cm {x0:.3f} {y0:.3f} {x1 - x0:.3f} {y1 - y0:.3f} re W n {name} Do Q\n".encode()


SLUG = mm_to_pt(9)  # room outside the bleed for the crop marks


def add_crop_marks(source: bytes, bleed: float) -> bytes:
    """Crop marks in 100 % K outside the bleed, on a media box enlarged to hold them.

    WeasyPrint's own marks are drawn in RGB black inside the bleed; a copy shop trimming
    by hand wants K-only marks that stay clear of the printed bleed.
    """
    pdf = pikepdf.open(io.BytesIO(source))
    for page in pdf.pages:
        trim = [float(v) for v in page.obj.TrimBox]
        page.obj.MediaBox = pikepdf.Array([trim[0] - bleed - SLUG, trim[1] - bleed - SLUG,
                                           trim[2] + bleed + SLUG, trim[3] + bleed + SLUG])
        page.obj.CropBox = page.obj.MediaBox
        page.contents_add(pdf.make_stream(_corner_marks(trim, bleed)), prepend=False)
    buffer = io.BytesIO()
    pdf.save(buffer, deterministic_id=True)
    return buffer.getvalue()


def _corner_marks(trim: list[float], bleed: float) -> bytes:
    near, far = bleed + MARK_GAP, bleed + SLUG
    left, bottom, right, top = trim
    lines = []
    for x, sign_x in ((left, -1), (right, 1)):
        for y, sign_y in ((bottom, -1), (top, 1)):
            lines.append((x + sign_x * near, y, x + sign_x * far, y))
            lines.append((x, y + sign_y * near, x, y + sign_y * far))
    path = " ".join(f"{a:.2f} {b:.2f} m {c:.2f} {d:.2f} l" for a, b, c, d in lines)
    return f"q 0 0 0 1 K {MARK_WIDTH} w {path} S Q\n".encode()


def trim_size(source: bytes) -> tuple[float, float]:
    """The trim size of a PDF's first page, in points."""
    with pikepdf.open(io.BytesIO(source)) as pdf:
        return _trim_size(pdf.pages[0])


# tiles: a poster larger than the copy shop's sheets, in overlapping pieces to assemble

OVERLAP = mm_to_pt(10)  # each tile repeats this much of its neighbour: room to glue, and to hide a cut that strays


@dataclass(frozen=True)
class Tiling:
    """A poster cut into columns × rows of tiles that overlap by OVERLAP, one tile to a sheet, each
    showing the same size of the poster (its bleed included at the poster's outer edges)."""

    sheet: tuple[float, float]
    poster: tuple[float, float]  # its trim size
    bleed: float
    columns: int
    rows: int

    @property
    def tile(self) -> tuple[float, float]:
        """The size of the poster each sheet shows, overlaps included."""
        return (_tile_length(self.poster[0] + 2 * self.bleed, self.columns),
                _tile_length(self.poster[1] + 2 * self.bleed, self.rows))

    def region(self, column: int, row: int) -> tuple[float, float, float, float]:
        """What of the poster a tile shows, from its trim's lower-left corner; row 0 is the top row."""
        width, height = self.tile
        x0 = -self.bleed + column * (width - OVERLAP)
        y1 = self.poster[1] + self.bleed - row * (height - OVERLAP)
        return (x0, y1 - height, x0 + width, y1)

    def origin(self) -> tuple[float, float]:
        """Where a tile's lower-left corner goes on its sheet: centred in the room the marks and slug leave."""
        room = _tile_room(self.sheet)
        bottom = MARGIN + SLUG_HEIGHT + MARK_GAP
        return ((self.sheet[0] - self.tile[0]) / 2, bottom + (room[1] - self.tile[1]) / 2)

    def cut_lines(self, column: int, row: int) -> tuple[list[float], list[float]]:
        """The poster's x and y (from its trim's lower-left corner) to mark on a tile: its trim at an outer
        edge, the middle of the overlap at an inner one, where this tile and its neighbour meet once glued."""
        x0, y0, x1, y1 = self.region(column, row)
        xs = [0 if column == 0 else x0 + OVERLAP / 2, self.poster[0] if column == self.columns - 1 else x1 - OVERLAP / 2]
        ys = [0 if row == self.rows - 1 else y0 + OVERLAP / 2, self.poster[1] if row == 0 else y1 - OVERLAP / 2]
        return xs, ys


def _tile_length(length: float, count: int) -> float:
    """The length each of ``count`` tiles shows to cover ``length`` with OVERLAP between neighbours."""
    return (length + (count - 1) * OVERLAP) / count


def _tile_room(sheet: tuple[float, float]) -> tuple[float, float]:
    """The most of a poster a sheet can show, with room for the marks around it and the slug below."""
    return sheet[0] - 2 * MARGIN, sheet[1] - 2 * MARGIN - SLUG_HEIGHT - MARK_GAP


def _tiles_needed(length: float, room: float) -> int:
    """How many tiles of at most ``room``, overlapping by OVERLAP, cover ``length``."""
    return max(1, -int(-(length - OVERLAP) // (room - OVERLAP)))


def plan_tiles(poster: tuple[float, float], bleed: float, paper: tuple[float, float]) -> Tiling:
    """The tiling of a poster on the paper, portrait or landscape, whichever takes fewer sheets."""
    tilings = []
    for sheet in (paper, paper[::-1]):
        room = _tile_room(sheet)
        tilings.append(Tiling(sheet, poster, bleed, _tiles_needed(poster[0] + 2 * bleed, room[0]),
                              _tiles_needed(poster[1] + 2 * bleed, room[1])))
    return min(tilings, key=lambda tiling: tiling.columns * tiling.rows)


def tile_names(tiling: Tiling) -> list[str]:
    """Each tile's name in reading order, as a map names its squares: column letter, row number (« A1 »)."""
    return [f"{chr(ord('A') + column)}{row + 1}" for row in range(tiling.rows) for column in range(tiling.columns)]


def tile(source: bytes, tiling: Tiling, slug: bytes, title: str = "") -> bytes:
    """The poster's first page, a tile to a sheet in reading order, each with its cut marks and its slug line
    (the slug's pages, one per tile, say which tile it is and how to assemble them)."""
    pdf = pikepdf.open(io.BytesIO(source))
    trim = _box(pdf.pages[0], "/TrimBox")
    left, bottom = tiling.origin()
    sides, marks = [], []
    for row in range(tiling.rows):
        for column in range(tiling.columns):
            x0, y0, x1, y1 = tiling.region(column, row)
            matrix = (1, 0, 0, 1, left - x0 - trim[0], bottom - y0 - trim[1])
            sides.append([Placement(0, matrix, (trim[0] + x0, trim[1] + y0, trim[0] + x1, trim[1] + y1))])
            marks.append(_tile_marks(tiling, column, row, (left - x0, bottom - y0)))
    sides = _with_slug(pdf, sides, slug, (_slug_strip(tiling.sheet),))
    return _impose(pdf, sides, tiling.sheet, extra=marks, title=title)


def _tile_marks(tiling: Tiling, column: int, row: int, shift: tuple[float, float]) -> bytes:
    """The tile's cut lines, marked in 100 % K outside what it shows (its sheet coordinates are the
    poster's, shifted by ``shift``)."""
    x0, y0, x1, y1 = (v + shift[i % 2] for i, v in enumerate(tiling.region(column, row)))
    xs, ys = tiling.cut_lines(column, row)
    near, far = MARK_GAP, MARK_GAP + MARK_LENGTH
    segments = [(x, y0 - near, x, y0 - far) for x in (v + shift[0] for v in xs)]
    segments += [(x, y1 + near, x, y1 + far) for x in (v + shift[0] for v in xs)]
    segments += [(x0 - near, y, x0 - far, y) for y in (v + shift[1] for v in ys)]
    segments += [(x1 + near, y, x1 + far, y) for y in (v + shift[1] for v in ys)]
    path = " ".join(f"{a:.3f} {b:.3f} m {c:.3f} {d:.3f} l" for a, b, c, d in segments)
    return f"q 0 0 0 1 K {MARK_WIDTH} w {path} S Q\n".encode()
