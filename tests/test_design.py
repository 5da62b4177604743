"""The art director's rules: the colour system through the CMYK profile, hyphenation, French spacing."""

from itertools import combinations

import pytest
import yaml

from conftest import ROOT, build_card, make_designer, run_printkit, write_yaml
from printkit.datacheck import colour_findings
from printkit.errors import PrintkitError
from printkit.loader import load_programme
from printkit.model import Colour
from printkit.printcolour import MIN_CONTRAST, MIN_DELTA_E, contrast_with_white, delta_e


def set_colours(project, **themes) -> None:
    """Give the small project's themes the given CMYK colours."""
    path = project / "programme" / "campaign.yaml"
    campaign = yaml.safe_load(path.read_text())
    campaign["colours"]["themes"].update(themes)
    write_yaml(path, campaign)


def test_real_palette_reads_white_and_keeps_themes_apart():
    programme = load_programme(ROOT / "programme")
    profile = programme.campaign.printing.icc_profile
    for name, colour in [("brand", programme.campaign.brand)] + [(t.slug, t.colour) for t in programme.themes]:
        assert contrast_with_white(colour, profile) >= MIN_CONTRAST, name
    for first, second in combinations(programme.themes, 2):
        assert delta_e(first.colour, second.colour, profile) >= MIN_DELTA_E, (first.slug, second.slug)
    assert colour_findings(programme) == []


def test_profile_measures_paper_and_ink():
    profile = load_programme(ROOT / "programme").campaign.printing.icc_profile
    assert contrast_with_white(Colour(0, 0, 0, 0), profile) == pytest.approx(1, abs=0.01)
    assert contrast_with_white(Colour(0, 0, 0, 100), profile) > 10
    assert delta_e(Colour(0, 100, 90, 15), Colour(0, 100, 90, 15), profile) == 0


def test_faint_theme_colour_is_a_warning(small):
    set_colours(small, sport=[0, 28, 100, 45])  # the old ochre: 3.9:1
    [finding] = colour_findings(load_programme(small / "programme"))
    assert finding.level == "warning" and "white text on sport [0, 28, 100, 45] reaches 3.9" in finding.what


def test_theme_colours_too_alike_are_a_warning(small):
    set_colours(small, ecologie=[80, 0, 95, 50], sport=[75, 0, 95, 50])
    [finding] = colour_findings(load_programme(small / "programme"))
    assert "ecologie and sport differ by ΔE2000" in finding.what and "below 10" in finding.what


def test_build_and_check_report_a_faint_colour(small, tmp_path):
    set_colours(small, sport=[0, 28, 100, 45])
    built = run_printkit("build", "cards", "--theme", "sport", "--out", str(tmp_path / "out"), cwd=small)
    checked = run_printkit("check", str(tmp_path / "out"), "--json", cwd=small)
    assert built.returncode == 0 and "white text on sport" in built.stdout
    assert "white text on sport" in checked.stdout


def test_missing_profile_is_a_clear_error(small):
    programme = load_programme(small / "programme")
    with pytest.raises(PrintkitError, match="nowhere.icc: CMYK ICC profile not found"):
        contrast_with_white(programme.campaign.brand, str(small / "nowhere.icc"))


def test_small_text_in_several_inks_fails_the_build(project, tmp_path):
    builtin = (project / "layouts" / "card" / "card.css").read_text()
    designer = make_designer(tmp_path, {"card/card.css": builtin + "\n.card-more { color: var(--theme); }\n"})
    result = build_card(project, tmp_path, designer, theme="ecologie")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "8.0 pt text printed in 3 inks; below 9 pt, text takes one ink or black" in result.stderr


def test_thin_reversed_text_fails_the_build(project, tmp_path):
    builtin = (project / "layouts" / "card" / "card.css").read_text()
    designer = make_designer(tmp_path, {"card/card.css": builtin + "\n.card-election { font-weight: 400; }\n"})
    result = build_card(project, tmp_path, designer, theme="ecologie")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "reversed (white) text at 8.0 pt, weight 400; it needs 8 pt bold at least" in result.stderr


def test_body_text_keeps_names_whole_with_what_is_glued_to_them():
    from printkit.typography import body_text
    html = str(body_text("Rendre la ville aux clamartois et au plan « Logement d'abord » en Île-de-France.", "Clamart"))
    assert '<span class="name">clamartois</span>' in html
    assert '<span class="name">«\u202fLogement</span> d’abord\u202f»' in html
    assert '<span class="name">Île-de-France.</span>' in html and "ville" in html and '"name">ville' not in html
