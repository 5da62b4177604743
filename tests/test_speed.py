"""What makes builds, checks and the preview faster must not change what they find or show."""

import subprocess
import sys

import pypdfium2 as pdfium
import yaml
import zxingcpp

from printkit.checks import qr
from printkit.checks.document import CheckedPdf

from conftest import run_printkit, write_yaml


def whole_page_codes(checked: CheckedPdf, index: int) -> list[str]:
    codes = zxingcpp.read_barcodes(checked.rendered(index), formats=zxingcpp.BarcodeFormat.QRCode)
    return [c.text for c in sorted(codes, key=lambda c: (c.position.top_left.y, c.position.top_left.x))]


def test_qr_codes_decoded_from_crops_are_those_of_the_whole_page(small_build):
    pdfs = sorted(small_build.rglob("*.pdf"))
    compared = {}
    for pdf in pdfs:
        with CheckedPdf(pdf.name, pdf.read_bytes()) as checked:
            for index in range(len(checked.document)):
                whole = whole_page_codes(checked, index)
                assert qr.decoded(checked, index) == whole, f"{pdf.name} page {index + 1}"
                compared[pdf] = compared.get(pdf, 0) + len(whole)
    # every file holds codes (booklet, leaflets, cards, imposed sheets, the poster and the circulaire): the small
    # booklet, of 4 pages, its two sections' and its back cover's, a card one
    assert min(compared.values()) >= 1 and sum(compared.values()) >= 2 * len(pdfs)


def test_checking_a_pdf_imports_no_weasyprint(small, small_build):
    script = ("import atexit, sys; from printkit.cli import cli; "  # said at exit: a finding exits non-zero
              "atexit.register(lambda: print('weasyprint' in sys.modules)); cli(['check', sys.argv[1]])")
    result = subprocess.run([sys.executable, "-c", script, str(small_build / "cards" / "sport.pdf")],
                            cwd=small, capture_output=True, text=True, timeout=120)
    assert result.stdout.strip().splitlines()[-1] == "False", result.stdout + result.stderr


def test_an_incremental_build_and_its_preview_are_byte_identical_to_a_cold_build(small, small_build, tmp_path):
    """An edit of one measure built, then undone: the build after the undo, which makes only the
    files that show that measure, gives every file, and the preview every page image, of a cold
    build of the same programme (``small_build``, made in another folder)."""
    from printkit.preview import serve

    incremental, cold = tmp_path / "incremental", small_build
    path = small / "programme" / "measures.yaml"
    original = path.read_text()
    measures = yaml.safe_load(original)
    measures[1]["measures"][0]["title"] = "Créer une grande fête du sport dans chaque quartier"
    write_yaml(path, measures)
    run_printkit("build", "--out", str(incremental), cwd=small, check=True)
    before = {name: serve._pages(incremental, name) for name in ("booklet.pdf", "cards/sport.pdf")}
    path.write_text(original)
    rebuilt = run_printkit("build", "--out", str(incremental), cwd=small, check=True)
    assert "cards/sport.pdf" in rebuilt.stdout and "unchanged" in rebuilt.stdout  # the edit's files only
    files = sorted(p.relative_to(cold) for p in cold.rglob("*.pdf") if ".printkit" not in p.parts)
    assert files == sorted(p.relative_to(incremental) for p in incremental.rglob("*.pdf") if ".printkit" not in p.parts)
    for name in files:
        assert (incremental / name).read_bytes() == (cold / name).read_bytes(), name
    for name, shown_before in before.items():
        shown = serve._pages(incremental, name)
        document = pdfium.PdfDocument((cold / name).read_bytes())
        for index, page in enumerate(shown["pages"]):
            assert (incremental / page["image"]).read_bytes() == serve._png(document[index]), f"{name} p{index + 1}"
        assert shown["pages"] != shown_before["pages"]


def test_page_readings_kept_between_builds_give_the_findings_of_a_fresh_check(small_with_output):
    from printkit.checks import check_pdf
    from printkit.pipeline.make import READINGS
    from printkit.programme.loader import read_programme

    small, out = small_with_output, small_with_output / "output"
    kept = set((out / READINGS).iterdir())
    measures = yaml.safe_load((small / "programme" / "measures.yaml").read_text())
    measures[1]["measures"][0]["title"] = "Créer une grande fête du sport dans chaque quartier"
    write_yaml(small / "programme" / "measures.yaml", measures)
    run_printkit("build", "--out", str(out), cwd=small)
    read_again = set((out / READINGS).iterdir()) - kept
    assert 0 < len(read_again) < len(kept)  # the pages the edit changed (new glyphs change every page of a file)
    programme, _ = read_programme(small / "programme")
    for pdf in sorted(out.rglob("*.pdf")):
        name = str(pdf.relative_to(out))
        assert check_pdf(pdf, name, programme, out / READINGS) == check_pdf(pdf, name, programme), name


BOOKLETS = ("booklet.pdf", "booklet-imposed-a4.pdf", "booklet-imposed-sra3.pdf")


def edit_measures(project, old: str, new: str) -> None:
    path = project / "programme" / "measures.yaml"
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new, 1))


def test_the_booklet_rebuilt_after_an_edit_is_the_cold_build_byte_for_byte(small_with_output, small_build):
    """The rebuild lays the booklet out once, with the last fitting's choice after the index,
    when what the pages after the measures are laid out from is unchanged (products/booklet.py);
    else it tries every choice, as a cold build does (the next test). Both give the cold build's files.

    Here a title, edited then set back: the pages after the measures stay. In the small project
    as built, the booklet is built with the edit, then rebuilt without it, and compared with the
    cold build kept apart (``small_build``)."""
    from printkit.pipeline.cache import BOOKLET_FITTING

    project, incremental = small_with_output, small_with_output / "output"
    edit_measures(project, "Planter des arbres", "Planter des arbres fruitiers")
    run_printkit("build", "booklet", "--out", str(incremental), cwd=project, check=True)
    chosen = (incremental / BOOKLET_FITTING).stat().st_ino
    assert (incremental / "booklet.pdf").read_bytes() != (small_build / "booklet.pdf").read_bytes()  # the edit shows
    edit_measures(project, "Planter des arbres fruitiers", "Planter des arbres")
    run_printkit("build", "booklet", "--out", str(incremental), cwd=project, check=True)
    assert (incremental / BOOKLET_FITTING).stat().st_ino == chosen  # the choice stood: not searched and written again
    for name in BOOKLETS:
        assert (incremental / name).read_bytes() == (small_build / name).read_bytes(), name


def index_page(pdf) -> int:
    """The page the booklet's index starts on."""
    document = pdfium.PdfDocument(pdf)
    return next(i for i in range(len(document))
                if "Chaque mesure, avec la page" in document[i].get_textpage().get_text_range())


def test_the_booklet_rebuilt_after_its_page_breaks_move_is_the_cold_build_byte_for_byte(small, small_build, tmp_path):
    """A measure made long enough to move the page breaks after it, then set back: the rebuild
    tries every choice after the index again, and gives the files of the small programme's cold
    build (``small_build``)."""
    from printkit.pipeline.cache import BOOKLET_FITTING

    incremental = tmp_path / "incremental"
    path = small / "programme" / "measures.yaml"
    original = path.read_text()
    measures = yaml.safe_load(original)
    measures[0]["measures"][0]["details"] += ["Un engagement de plus, assez long pour pousser la suite du programme "
                                              "sur la page d’après et déplacer les sauts de page qui suivent."] * 12
    write_yaml(path, measures)
    run_printkit("build", "booklet", "--out", str(incremental), cwd=small, check=True)
    chosen, index = (incremental / BOOKLET_FITTING).stat().st_ino, index_page(incremental / "booklet.pdf")
    path.write_text(original)
    run_printkit("build", "booklet", "--out", str(incremental), cwd=small, check=True)
    assert index_page(incremental / "booklet.pdf") != index  # the pages after the measures moved
    assert (incremental / BOOKLET_FITTING).stat().st_ino != chosen  # searched again and written
    for name in BOOKLETS:
        assert (incremental / name).read_bytes() == (small_build / name).read_bytes(), name


def test_the_booklet_fitting_skips_only_closings_that_cannot_win(small, tmp_path, monkeypatch):
    """The booklet's fitting lays out a closing after the index only when, at best, it would leave the
    booklet less empty: with every closing laid out, the booklet is the same, byte for byte."""
    from printkit.cli import cli
    from printkit.products import booklet

    monkeypatch.chdir(small)
    cli(["build", "booklet", "--jobs", "1", "--out", str(tmp_path / "skipping")], standalone_mode=False)
    monkeypatch.setattr(booklet, "_may_help", lambda *args: True)
    cli(["build", "booklet", "--jobs", "1", "--out", str(tmp_path / "every")], standalone_mode=False)
    for name in ("booklet.pdf", ".printkit/booklet-fitting.json"):
        assert (tmp_path / "skipping" / name).read_bytes() == (tmp_path / "every" / name).read_bytes(), name
