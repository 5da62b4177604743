"""The data any campaign has builds right: no guarantees, long flagship titles, a long list name,
themes of any size (fictional programmes, built by the real command line)."""

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from printkit.pipeline.plan import plan_materials
from printkit.programme.loader import read_programme

from campaigns import make_programme
from conftest import make_designer, run_printkit
from pdfcheck import squeezed, text

LONG_NAME = "Collectif citoyen pour un avenir partagé et solidaire"  # 53 characters
LONG_TITLE = ("Créer dans chaque quartier une maison commune ouverte tous les jours, où les habitants, les "
              "associations et les services publics se retrouvent pour décider ensemble des travaux, des fêtes, "
              "des jardins partagés et de l'entretien des rues, avec un budget voté chaque année par eux")
SHORT = "Une maison commune par quartier"
DETAIL = "Un détail fictif de la mesure, assez long pour tenir deux lignes sur un panneau du dépliant"
# A trial campaign: no guarantees, a long name, theme 1's flagship too long with no short title,
# theme 2's flagship with one, theme 3 long enough for a tri-fold: fourteen measures of a detail
# each (a tri-fold's measures have no code each, and titles alone would not fill its panels).
TRIAL = {"sizes": [9, 5, 14], "guarantees": 0, "name": LONG_NAME,
         "titles": {1: {"title": LONG_TITLE, "priority": 1},
                    10: {"title": LONG_TITLE.replace("Créer", "Ouvrir"), "short": SHORT, "priority": 1},
                    **{number: {"details": [DETAIL]} for number in range(15, 29)}}}

DESIGNER_LEAFLET = """{% extends "!builtin/leaflet/leaflet.html" %}
{% block stylesheets %}{{ super() }}<style>.format-trifold .leaflet-kicker { margin-left: -12mm; }</style>{% endblock %}
"""


def make_trial(root: Path) -> Path:
    """The trial campaign's project in ``root``."""
    return make_programme(root, **TRIAL)


def page_text(path: Path, index: int) -> str:
    """The text of one page of a PDF, squeezed."""
    return squeezed(pdfium.PdfDocument(path)[index].get_textpage().get_text_range())


def holes(build_output: str) -> dict[tuple[str, int], float]:
    """The pages the build's check found an empty band in (checks/holes.py), by file and page (a tri-fold:
    by panel, in reading order): how large, in % of the live height."""
    found = re.findall(r"│ (\S+\.pdf)\s*│ (\d+)\s*│ (?:panel (\d) \(\w+\): )?an empty band of ([\d.]+)%", build_output)
    return {(file, int(panel or page)): float(share) for file, page, panel, share in found}


@pytest.fixture(scope="module")
def trial(tmp_path_factory) -> tuple[Path, str]:
    """The trial campaign built once, and what the build printed (a failed file is the long name's test's)."""
    root = make_trial(tmp_path_factory.mktemp("trial"))
    result = run_printkit("build", "--jobs", "1", cwd=root)
    return root / "output", result.stdout + result.stderr


def test_without_guarantees_nothing_is_said_of_them(trial):
    out, _ = trial
    pdfs = [out / "booklet.pdf", *out.glob("leaflets/*.pdf"), *out.glob("cards/*.pdf")]
    assert len(pdfs) == 8
    assert not [pdf.name for pdf in pdfs if "garantie" in text(pdf).lower()]


def test_without_guarantees_the_general_card_lists_the_flagships(trial):
    out, output = trial
    back = squeezed(text(out / "cards" / "programme.pdf").split("Nosmesuresphares")[-1])
    assert "Nos mesures phares" in text(out / "cards" / "programme.pdf")
    assert squeezed(SHORT) in back and squeezed("Ouvrir le lieu de quartier numéro 2") in back
    assert re.search(r"cards/programme\.pdf .*\d+ of 27 titles on the back", output)  # the 28th on its front


def test_without_guarantees_the_tri_folds_flap_holds_the_themes(trial):
    """The flap of a tri-fold holds the guarantees; without them, how to act and the programme's
    themes, every one of them, on the outside (the sheet's first side)."""
    out, _ = trial
    outside = squeezed(pdfium.PdfDocument(out / "leaflets" / "theme-3.pdf")[0].get_textpage().get_text_range())
    assert all(squeezed(f"Thème fictif {i}") in outside for i in (1, 2, 3)), outside


def test_without_guarantees_no_piece_ends_a_page_in_a_hole(trial):
    """The booklet's opening, the general card's back and the tri-fold's flap were the guarantees': none
    leaves an empty band over the fitting's limit (30 %; the check warns above 20 %, the layouts' next aim)."""
    _, output = trial
    assert "A4 tri-fold" in output
    pages = {("booklet.pdf", 2), ("cards/programme.pdf", 2), ("leaflets/theme-3.pdf", 5)}
    assert {page: share for page, share in holes(output).items() if page in pages and share > 30} == {}


def test_a_flagship_too_long_is_quoted_by_its_lead_phrase_with_a_warning(trial):
    out, output = trial
    front = page_text(out / "cards" / "theme-1.pdf", 0)
    lead = "Créer dans chaque quartier une maison commune ouverte tous les jours"  # up to its first comma
    assert squeezed(lead) in front and squeezed(LONG_TITLE) not in front and "…" not in front
    assert re.search(r"measures\.yaml:\d+:\d+\s*│\s*│\s*measure 1's title has 278 characters", output)
    assert "short: title" in output


def test_a_flagship_s_short_title_stands_in_for_it(trial):
    out, output = trial
    assert squeezed(SHORT) in page_text(out / "cards" / "theme-2.pdf", 0)
    assert "measure 10's title" not in output


def test_a_long_list_name_sets_within_the_safe_zone_on_every_piece(trial):
    out, output = trial
    assert "FAILED" not in output and re.search(r"leaflets/theme-3\.pdf\s*│ A4 tri-fold", output)
    result = run_printkit("check", str(out), cwd=out.parent)
    assert result.returncode == 0 and "safe zone" not in result.stdout, result.stdout + result.stderr
    assert squeezed(LONG_NAME) in squeezed(text(out / "leaflets" / "theme-3.pdf"))


def test_a_leaflet_that_breaks_a_rule_on_one_format_takes_the_next(tmp_path):
    """A designer's tri-fold cover that runs past the safe zone: the theme goes on the next format."""
    root = make_trial(tmp_path)
    designer = make_designer(tmp_path, {"leaflet/leaflet.html": DESIGNER_LEAFLET})
    result = run_printkit("build", "leaflets", "--theme", "theme-3", "--layouts", str(designer), cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"leaflets/theme-3\.pdf\s*│ A4 folded to A5", result.stdout)


def test_theme_may_be_repeated_to_build_those_themes_only(tmp_path):
    root = make_programme(tmp_path, [1, 1, 1])
    result = run_printkit("build", "cards", "--theme", "theme-1", "--theme", "theme-3", "--jobs", "1", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in (root / "output" / "cards").glob("*.pdf")) == ["theme-1.pdf", "theme-3.pdf"]


def test_a_quantity_of_0_leaves_the_product_out_and_says_so(tmp_path):
    root = make_programme(tmp_path, [1, 1], quantities={"leaflets/theme-2": 0, "cards/theme-1": 300})
    result = run_printkit("build", "leaflets", "--jobs", "1", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in (root / "output" / "leaflets").glob("*.pdf")) == ["theme-1.pdf"]
    assert re.search(r"leaflets/theme-2\.pdf\s*│ not built .* 0 copies in campaign\.yaml's quantities", result.stdout)
    packed = plan_materials(read_programme(root / "programme")[0])  # what `printkit pack` packs
    assert "leaflets/theme-2.pdf" not in {m.output for m in packed} and "cards/theme-1.pdf" in {m.output for m in packed}


@pytest.mark.parametrize("sizes, themes", [([1, 40], ()), ([2] * 15, ("theme-1", "theme-15"))],
                         ids=["themes-of-1-and-40-measures", "15-themes"])
def test_programmes_of_any_shape_build(tmp_path, sizes, themes):
    """Every card and leaflet; of 15 themes, to keep the test cheap, the general card and the first and
    last themes' pieces only, the others given 0 copies (as a campaign leaves a piece out)."""
    left_out = [f"theme-{i}" for i in range(1, len(sizes) + 1) if themes and f"theme-{i}" not in themes]
    root = make_programme(tmp_path, sizes, quantities={f"{kind}/{slug}": 0 for slug in left_out
                                                       for kind in ("cards", "leaflets")})
    cards = run_printkit("build", "cards", "--jobs", "1", cwd=root)
    leaflets = run_printkit("build", "leaflets", "--jobs", "1", cwd=root)
    for result in (cards, leaflets):
        assert result.returncode == 0, result.stdout + result.stderr
    built = len(sizes) - len(left_out)
    assert len(list((root / "output" / "cards").glob("*.pdf"))) == built + 1
    assert len(list((root / "output" / "leaflets").glob("*.pdf"))) == built
    assert f"{len(sizes)}THÈMES" in squeezed(text(root / "output" / "cards" / "programme.pdf"))
