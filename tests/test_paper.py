"""The US paper family (printing.paper: us), measured on the PDFs of the small programme: the
pieces' page boxes, the copy-shop sheets and how many copies they hold, the tri-fold's panels,
a letter's address in the #10 envelope's window, and the checks that read the paper data."""

import io

import pikepdf
import pypdfium2 as pdfium
import pytest
import yaml
from conftest import ROOT, make_small, overridden, run_printkit, write_yaml
from pdfcheck import boxes_mm

from printkit.products import paper
from printkit.products.paper import FOLD_IN_MM, LETTER, trifold_panels
from printkit.units import PT_PER_MM as MM

IN = 25.4  # mm
BLEED = 3.0


def us_printing(**changes) -> dict:
    """The real campaign's printing settings on US paper."""
    campaign = yaml.safe_load((ROOT / "programme" / "campaign.yaml").read_text())
    return campaign["printing"] | {"paper": "us"} | changes


@pytest.fixture(scope="module")
def us_build(tmp_path_factory):
    """The small programme built once on US paper, every material and copy-shop file."""
    root = make_small(tmp_path_factory.mktemp("small-us"), printing=us_printing())
    run_printkit("build", "--out", str(root / "output"), cwd=root, check=True)
    return root / "output"


def inches(size_mm: tuple[float, float]) -> tuple[float, float]:
    return tuple(round(v / IN, 2) for v in size_mm)


def test_us_pieces_are_half_letter_and_4x6_with_bleed(us_build):
    files = {"booklet.pdf": (5.5, 8.5), "leaflets/sport.pdf": (5.5, 8.5), "leaflets/ecologie.pdf": (5.5, 8.5),
             "cards/sport.pdf": (4.0, 6.0), "cards/programme.pdf": (4.0, 6.0)}
    for name, size in files.items():
        pages = boxes_mm(us_build / name)
        assert pages and all(inches(page["TrimBox"]) == size for page in pages), name
        assert all(page["BleedBox"] == tuple(round(v + 2 * BLEED, 1) for v in page["TrimBox"]) for page in pages)
    assert len(boxes_mm(us_build / "booklet.pdf")) % 4 == 0


@pytest.mark.parametrize("name, sheet, count", [
    ("cards/sheets/12x18/sport.pdf", (18, 12), 5),  # 2 turned below 3 upright, as A6 on SRA3
    ("cards/sheets/letter/sport.pdf", (11, 8.5), 2),
    ("booklet-imposed-12x18.pdf", (18, 12), 1),  # one 11 × 8.5 in spread with bleed
])
def test_us_copy_shop_sheets_hold_what_their_size_allows(us_build, name, sheet, count):
    from test_sheets import copies

    with pikepdf.open(us_build / name) as pdf:
        for page in pdf.pages:
            assert inches(tuple(float(v) / MM for v in page.mediabox[2:])) == sheet
            assert len(copies(page)) == count
    slug = pdfium.PdfDocument(us_build / name)[0].get_textpage().get_text_range().replace("\u00a0", " ")  # « 5 par »
    assert f"{count} par feuille {sheet[0]:g} × {sheet[1]:g} in" in slug


def test_us_booklet_goes_two_up_on_letter(us_build):
    pages = boxes_mm(us_build / "booklet-imposed-letter.pdf")
    assert len(pages) == len(boxes_mm(us_build / "booklet.pdf")) // 2
    assert all(inches(page["MediaBox"]) == (11.0, 8.5) for page in pages)


def test_files_say_their_us_format_and_the_ticket_names_it(us_build):
    from printkit.products import FileSubject

    with pikepdf.open(us_build / "booklet.pdf") as pdf:
        assert FileSubject.read(pdf.docinfo).format == "half-letter-booklet"
    with pikepdf.open(us_build / "cards" / "sheets" / "12x18" / "sport.pdf") as pdf:
        assert FileSubject.read(pdf.docinfo).sheet == "12x18"


def test_trifold_panels_are_derived_alike_on_both_families():
    assert trifold_panels(paper.A4) == (100, 100, 100, 97, 97, 100)
    panels = trifold_panels(LETTER)
    inside, outside = panels[1:4], (panels[4], panels[5], panels[0])  # 2 3 4 and 5 6 1, left to right
    assert sum(inside) == pytest.approx(11 * IN, abs=0.01) and sum(outside) == pytest.approx(11 * IN, abs=0.01)
    assert panels[0] - panels[3] == pytest.approx(FOLD_IN_MM, abs=0.01)
    assert panels[0] / IN == pytest.approx(3.71, abs=0.01)  # about 11 / 3 in, closed


def test_the_trifold_ticket_states_the_sizes_of_its_panels():
    from printkit.messages import Messages
    from printkit.products.leaflet import FORMATS

    trifold = next(f for f in FORMATS["iso"] if f.panels)
    fold = trifold.fold_text(Messages("fr-FR"))
    # outside 5 6 1 from the left: 97, 100, 100 mm, so the folds fall at 97 and 197 mm; 100 mm wide closed
    assert "fermé 100 × 210 mm (enveloppe DL)" in fold and "volets de 97 / 100 / 100 mm" in fold
    assert "plis à 97 / 197 mm du bord gauche" in fold and "volet rentrant de 97 mm" in fold
    trim = trifold.trim_text(trifold.size, "3", Messages("fr-FR"))
    assert trim.startswith("297 × 210 mm à plat (ouvert), 100 × 210 mm plié")


def test_us_trifold_lays_out_letter_panels_and_imposes_on_letter(small, tmp_path):
    from printkit.pipeline.make import render_context
    from printkit.pipeline.plan import BuildRequest
    from printkit.prepress.impose import impose_trifold
    from printkit.products import Material
    from printkit.programme.loader import load_programme
    from printkit.render.pdf import checked_pdf_bytes

    write_yaml(small / "programme" / "campaign.yaml", yaml.safe_load((small / "programme" / "campaign.yaml").read_text())
               | {"printing": us_printing()})
    programme = load_programme(small / "programme")
    context = render_context(BuildRequest(small, tmp_path / "out"), programme)
    material = Material("leaflet", "sport", "leaflets/sport.pdf")
    _, document = context.render(material, format="trifold", fillers=("vote", "act", "themes"), whole_from=1)
    widths = [round(page.width / 96 * IN, 2) for page in document.pages]  # the trim: the bleed is outside
    assert widths == [round(w, 2) for w in trifold_panels(LETTER)]
    assert all(round(page.height / 96 * IN, 1) == 215.9 for page in document.pages)
    imposed = impose_trifold(checked_pdf_bytes(document, context.options, "sport"), BLEED * MM)
    with pikepdf.open(io.BytesIO(imposed)) as pdf:
        trims = [[float(v) / MM for v in page.TrimBox] for page in pdf.pages]
    assert [inches((t[2] - t[0], t[3] - t[1])) for t in trims] == [(11.0, 8.5)] * 2


# letters: the #10 window envelope


def no10_window_on_page() -> tuple[float, float, float, float]:
    """Where a #10 window shows a tri-folded Letter page, in mm from its top left, worked out from
    the envelope (9.5 × 4.125 in, window 4.5 × 1.125 in, 7/8 in from the left, 1/2 in from the
    bottom) with the folded letter resting on the envelope's bottom and sliding sideways."""
    panel = 11 / 3
    left, right = 7 / 8, 7 / 8 + 4.5 - (9.5 - 8.5)  # shown whether the letter sits left or right
    top, bottom = panel - 0.5 - 1.125, panel - 0.5
    return left * IN, top * IN, right * IN, bottom * IN


@pytest.fixture
def us_letters(project):
    """The real project, its letters, on US paper."""
    import shutil

    shutil.copytree(ROOT / "letters", project / "letters")
    campaign = yaml.safe_load((project / "programme" / "campaign.yaml").read_text())
    write_yaml(project / "programme" / "campaign.yaml", campaign | {"printing": us_printing()})
    return project


def assert_in_no10_window(page, lines: tuple[str, ...]) -> None:
    """The first and last characters of each address line, from the first line on, lie in the window."""
    trim_left, _, _, trim_top = page.get_trimbox()
    text = page.get_textpage()
    whole = text.get_text_range()
    left, top, right, bottom = no10_window_on_page()
    start = whole.index(lines[1]) - len(lines[0]) - 2  # the line before the second (a greeting may repeat it)
    for line in lines:
        start = whole.index(line, start)
        for index in (start, start + len(line) - 1):
            x0, y0, x1, y1 = text.get_charbox(index)
            assert left <= (x0 - trim_left) / MM and (x1 - trim_left) / MM <= right, line
            assert top <= (trim_top - y1) / MM and (trim_top - y0) / MM <= bottom, line


def test_us_letter_is_letter_with_its_address_in_the_no10_window(us_letters, tmp_path):
    run_printkit("letter", "letters/arpe.md", "--out", str(tmp_path), cwd=us_letters, check=True)
    pdf = tmp_path / "letters" / "arpe.pdf"
    assert all(inches(page["TrimBox"]) == (8.5, 11.0) for page in boxes_mm(pdf))
    assert_in_no10_window(pdfium.PdfDocument(pdf)[0], ("Madame la Présidente", "Association ARPE", "92140 CLAMART"))


def test_us_mail_merge_stamps_each_address_in_the_no10_window(us_letters, tmp_path):
    recipients = tmp_path / "recipients.csv"
    recipients.write_text("nom,adresse,code_postal,ville\nCamille Martin,2 rue de la Paix,92140,Clamart\n"
                          "Élie Durand,5 avenue Jean Jaurès,92140,Clamart\n", encoding="utf-8")
    run_printkit("letter", "letters/arpe.md", "--recipients", str(recipients), "--out", str(tmp_path / "out"),
                 cwd=us_letters, check=True)
    pdf = tmp_path / "out" / "letters" / "arpe.pdf"
    assert all(inches(page["TrimBox"]) == (8.5, 11.0) for page in boxes_mm(pdf))
    document = pdfium.PdfDocument(pdf)
    for first, name, street in ((0, "Camille Martin", "2\u00a0rue de la Paix"), (4, "Élie Durand", "5\u00a0avenue Jean Jaurès")):
        assert_in_no10_window(document[first], (name, street, "92140 CLAMART"))


def test_an_address_moved_out_of_the_window_is_refused(us_letters, tmp_path):
    css = overridden(us_letters, "letter/letter.css")
    css.write_text(css.read_text() + "\n.address { top: 0; }\n")
    result = run_printkit("letter", "letters/arpe.md", "--out", str(tmp_path), cwd=us_letters)
    assert result.returncode != 0
    assert "outside the envelope's window" in result.stdout + result.stderr


def test_a_page_not_of_its_format_size_is_an_error(us_build, tmp_path):
    """The geometry check reads the paper data: a half-letter booklet whose trim box says A5 is refused."""
    copy = tmp_path / "booklet.pdf"
    with pikepdf.open(us_build / "booklet.pdf") as pdf:
        for page in pdf.pages:
            x0, y0 = (float(v) for v in page.TrimBox[:2])
            page.obj.TrimBox = pikepdf.Array([x0, y0, x0 + 148 * MM, y0 + 210 * MM])
            page.obj.BleedBox = pikepdf.Array([x0 - BLEED * MM, y0 - BLEED * MM, x0 + 151 * MM, y0 + 213 * MM])
        pdf.save(copy)
    from printkit.checks import check_pdf
    from printkit.programme.loader import load_programme

    programme = load_programme(us_build.parent / "programme")
    found = [f.what for f in check_pdf(copy, "booklet.pdf", programme) if f.level == "error"]
    assert any("not half-letter (5.5 × 8.5 in)" in what for what in found), found


def test_the_job_ticket_names_the_us_format_from_the_data(us_build):
    from printkit.pipeline.make import Output
    from printkit.pipeline.pack import job_ticket
    from printkit.products import Material
    from printkit.programme.loader import load_programme

    programme = load_programme(us_build.parent / "programme")
    data = (us_build / "booklet.pdf").read_bytes()
    output = Output("booklet.pdf", "Half-letter booklet, 8 pages, saddle-stitched", 8)
    ticket = job_ticket(Material("booklet", None, "booklet.pdf"), output, data, programme, "booklet.pdf")
    assert "livret demi-Letter, 8 pages, piqûre à cheval" in ticket  # the small campaign's French, US paper
    assert "Format fini     5.5 × 8.5 in (fond perdu 3 mm" in ticket
