"""The product registry: a product kind is one module plus one layout folder, and a file says what it is."""

import json
import shutil
import sys
from pathlib import Path

import pikepdf
import pytest
import yaml

from printkit.builtin import BUILTIN_FONTS
from printkit.checks import check_outputs
from printkit.pipeline.build import build
from printkit.pipeline.plan import BuildRequest
from printkit.products import FileSubject, products, unregister
from printkit.programme.loader import read_programme

from conftest import FIXTURES, make_small, run_printkit, write_yaml

BOOKMARK = FIXTURES / "bookmark"


@pytest.fixture
def bookmark():
    """The test-only bookmark product, registered for one test."""
    sys.path.insert(0, str(BOOKMARK))
    try:
        import bookmark as module  # registers it
        yield module
    finally:
        unregister("bookmark")
        sys.modules.pop("bookmark", None)
        sys.path.remove(str(BOOKMARK))


def tracked(root: Path) -> Path:
    """Give the small project tracking parameters, so that each product's codes lead to its own address."""
    campaign = yaml.safe_load((root / "programme" / "campaign.yaml").read_text())
    write_yaml(root / "programme" / "campaign.yaml", campaign | {"tracking": {"utm_source": "imprime",
                                                                              "utm_campaign": "test"}})
    return root


def bookmark_build(root: Path, layouts: Path):
    return build(BuildRequest(root, root / "output", which="bookmarks", layouts=layouts, jobs=1))


def test_a_product_registered_in_a_test_is_built_and_checked_end_to_end(bookmark, tmp_path):
    root = tracked(make_small(tmp_path / "project"))
    report = bookmark_build(root, BOOKMARK / "layouts")
    assert [(o.path, o.pages, o.error) for o in report.outputs] == [
        ("bookmarks/ecologie.pdf", 2, ""), ("bookmarks/sport.pdf", 2, "")]
    assert not [f for f in report.findings if f.level == "error"]
    with pikepdf.open(root / "output" / "bookmarks" / "sport.pdf") as pdf:
        assert FileSubject.read(pdf.docinfo) == FileSubject("bookmark", "bookmark-50x110", "sport", None,
                                                            FileSubject.read(pdf.docinfo).programme)
    programme, warnings = read_programme(root / "programme")
    assert not [f for f in check_outputs([root / "output"], programme, warnings, BUILTIN_FONTS) if f.level == "error"]


def test_the_check_holds_a_new_product_to_its_own_qr_addresses(bookmark, tmp_path):
    """Without its theme's code, a bookmark is refused for the address its own module declares."""
    root = tracked(make_small(tmp_path / "project"))
    layouts = tmp_path / "layouts"
    shutil.copytree(BOOKMARK / "layouts", layouts)
    template = layouts / "bookmark" / "bookmark.html"
    template.write_text(template.read_text().replace('{{ qr_box(theme_url(theme), "Ce thème en ligne") }}', ""))
    bookmark_build(root, layouts)
    programme, warnings = read_programme(root / "programme")
    found = [f.what for f in check_outputs([root / "output" / "bookmarks"], programme, warnings, BUILTIN_FONTS)]
    assert "no QR code for https://www.clamartagauche.fr/Programme?theme=sport&utm_source=imprime" \
           "&utm_medium=marque-page&utm_campaign=test" in found


def test_the_registry_names_every_built_in_kind_once():
    kinds = [kind.kind for kind in products()]
    assert kinds == ["booklet", "leaflet", "card", "letter", "ballot", "poster", "meeting-poster", "circular",
                     "circular-accessible"]
    assert len({kind.name for kind in products()}) == len(kinds)


def _findings(root: Path, *paths: Path) -> list[tuple[int, str, str]]:
    result = run_printkit("check", "--json", *map(str, paths), cwd=root)
    return sorted((f["page"], f["level"], f["what"]) for f in json.loads(result.stdout) if f["file"] != "campaign.yaml")


def test_check_reads_what_a_file_is_not_its_name(small, tmp_path):
    """A leaflet with a 3 mm bleed under a 2 mm specification: the same findings wherever it is and whatever
    it is called, a theme slugged `timesheets` and a folder named `sheets/` included."""
    for path in (small / "programme" / "themes.yaml", small / "programme" / "measures.yaml",
                 small / "programme" / "campaign.yaml"):
        path.write_text(path.read_text().replace("sport", "timesheets"))
    run_printkit("build", "leaflets", "--theme", "timesheets", cwd=small, check=True)
    campaign = yaml.safe_load((small / "programme" / "campaign.yaml").read_text())
    write_yaml(small / "programme" / "campaign.yaml", campaign | {"printing": campaign["printing"] | {"bleed_mm": 2}})
    built = small / "output" / "leaflets" / "timesheets.pdf"
    moved = tmp_path / "sheets" / "imposed-copy.pdf"
    moved.parent.mkdir()
    shutil.copy(built, moved)
    here = _findings(small, built)
    assert (1, "error", "bleed is 3.0 mm, not the 2 mm asked") in here
    assert _findings(small, moved) == here


def test_check_refuses_a_file_made_from_another_version_of_the_programme(small):
    """An edit after the build: the files that show the edited measure are stale, and check names them."""
    run_printkit("build", "cards", cwd=small, check=True)
    measures = small / "programme" / "measures.yaml"
    measures.write_text(measures.read_text().replace("Créer une fête du sport", "Créer une fête du sport populaire"))
    stale = {f["file"] for f in json.loads(run_printkit("check", "--json", cwd=small).stdout)
             if f["what"].startswith("stale: made from another version of the programme")}
    # the general card too: it quotes that measure, which no theme's card quotes (card.py: card_leading)
    assert stale == {"cards/sport.pdf", "cards/sheets/a4/sport.pdf", "cards/sheets/sra3/sport.pdf",
                     "cards/programme.pdf", "cards/sheets/a4/programme.pdf", "cards/sheets/sra3/programme.pdf"}


def test_check_refuses_a_file_that_does_not_say_what_it_is(small, tmp_path):
    """A PDF without printkit's metadata (another tool's, or an older printkit's) is never guessed from its name."""
    from weasyprint import HTML

    pdf = tmp_path / "cards" / "sport.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(HTML(string="<p>Une carte ?</p>").write_pdf())
    findings = [f for f in json.loads(run_printkit("check", "--json", str(pdf), cwd=small).stdout)
                if f["file"] != "campaign.yaml"]
    assert (0, "error") == (findings[0]["page"], findings[0]["level"])
    assert findings[0]["what"].startswith("its metadata names no product printkit knows (unknown)")


def test_the_booklet_keeps_whole_designed_parts_for_every_page_count():
    """The booklet's designed pages, a spread of the themes then single pages: every count of pages
    up to 3 is made of whole parts, the spread never cut in half (dropped page by page from the end,
    a count of 1 kept the spread's first page alone)."""
    from types import SimpleNamespace

    from printkit.products.booklet import _kept_fillers

    ids = [["index"], ["filler-themes"], ["filler-themes-continued"], ["filler-act"], ["filler-join"]]
    document = SimpleNamespace(pages=[SimpleNamespace(anchors={anchor: None for anchor in page}) for page in ids])
    assert [_kept_fillers(document, [1, 2, 3, 4], needed) for needed in range(4)] == [[], [3], [1, 2], [1, 2, 3]]
    assert _kept_fillers(document, [1, 2, 4], 1) == [4]  # the act page after the index: the ways to take part
