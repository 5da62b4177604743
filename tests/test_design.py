"""The art director's rules: the colour system through the CMYK profile, hyphenation, French spacing."""

import json
from itertools import combinations

import pytest
import yaml
from coloraide import Color

from printkit.builtin import BUILTIN_LAYOUTS
from printkit.errors import PrintkitError
from printkit.prepress.printcolour import MIN_CONTRAST, MIN_DELTA_E, contrast_with_white, delta_e, printed_rgb
from printkit.programme.datacheck import colour_findings
from printkit.programme.loader import load_programme
from printkit.programme.model import Colour
from printkit.programme.schema import DEFAULT_ICC

from conftest import ROOT, build_card, make_designer, run_printkit, write_yaml


def only(findings: list) -> object:
    """The one finding expected; a failed assertion, not an unpacking error, when there is none."""
    assert len(findings) == 1, findings
    return findings[0]


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
    named = [("brand", programme.campaign.brand)] + [(t.slug, t.colour) for t in programme.themes]
    for (first, one), (second, other) in combinations(named, 2):
        assert delta_e(one, other, profile) >= MIN_DELTA_E, (first, second)
    assert colour_findings(programme) == []


def test_profile_measures_paper_and_ink():
    """Through Ghostscript's profile, relative colorimetric: the paper is the white, and solid black ink
    prints as sRGB (55, 53, 53), L* 22, which white text reads against at 12.19:1 (WCAG 2.1, as coloraide
    computes it) and which stands ΔE2000 67.2 from the paper."""
    paper, black = Colour(0, 0, 0, 0), Colour(0, 0, 0, 100)
    assert printed_rgb(paper, DEFAULT_ICC) == (255, 255, 255) and contrast_with_white(paper, DEFAULT_ICC) == 1
    assert printed_rgb(black, DEFAULT_ICC) == (55, 53, 53)
    wcag = Color("srgb", [55 / 255, 53 / 255, 53 / 255]).contrast("white", method="wcag21")
    measured = contrast_with_white(black, DEFAULT_ICC)
    assert measured == pytest.approx(wcag, abs=0.001) and measured == pytest.approx(12.19, abs=0.005)
    assert delta_e(paper, black, DEFAULT_ICC) == pytest.approx(67.2, abs=0.05)


def test_faint_theme_colour_is_a_warning(small):
    set_colours(small, sport=[0, 28, 100, 45])  # the old ochre: 3.9:1
    finding = only(colour_findings(load_programme(small / "programme")))
    assert finding.level == "warning" and "white text on sport [0, 28, 100, 45] reaches 3.9" in finding.what


def test_theme_colours_too_alike_are_a_warning(small):
    set_colours(small, ecologie=[80, 0, 95, 50], sport=[75, 0, 95, 50])
    finding = only(colour_findings(load_programme(small / "programme")))
    assert "ecologie and sport differ by ΔE2000" in finding.what and "below 10" in finding.what


def test_theme_colour_like_the_brand_is_a_warning(small):
    brand = load_programme(small / "programme").campaign.brand
    set_colours(small, sport=[brand.c, brand.m, brand.y, brand.k + 5])  # the programme card's red, barely darker
    finding = only(colour_findings(load_programme(small / "programme")))
    assert "brand and sport differ by ΔE2000" in finding.what


def test_build_and_check_report_a_faint_colour(small, tmp_path):
    set_colours(small, sport=[0, 28, 100, 45])
    built = run_printkit("build", "cards", "--theme", "sport", "--out", str(tmp_path / "out"), cwd=small)
    checked = run_printkit("check", str(tmp_path / "out"), "--json", cwd=small)
    assert built.returncode == 0 and "white text on sport" in built.stdout
    assert "white text on sport" in checked.stdout


def test_colour_findings_kept_between_builds_follow_the_colours(small, tmp_path):
    """A build keeps its colour measures (datacheck._kept_colour_findings); a colour edit measures again."""
    out = str(tmp_path / "out")
    assert "white text on sport" not in run_printkit("build", "cards", "--theme", "sport", "--out", out, cwd=small).stdout
    set_colours(small, sport=[0, 28, 100, 45])
    assert "white text on sport" in run_printkit("build", "cards", "--theme", "sport", "--out", out, cwd=small).stdout
    set_colours(small, sport=[15, 35, 100, 45])
    assert "white text on sport" not in run_printkit("build", "cards", "--theme", "sport", "--out", out, cwd=small).stdout


def test_missing_profile_is_a_clear_error_and_a_warning_in_the_data_checks(small):
    programme = load_programme(small / "programme")
    with pytest.raises(PrintkitError, match="nowhere.icc: CMYK ICC profile not found"):
        contrast_with_white(programme.campaign.brand, str(small / "nowhere.icc"))
    path = small / "programme" / "campaign.yaml"
    campaign = yaml.safe_load(path.read_text())
    campaign["printing"]["icc_profile"] = str(small / "nowhere.icc")
    write_yaml(path, campaign)
    finding = only(colour_findings(load_programme(small / "programme")))
    assert finding.level == "warning" and finding.what.startswith("colours not measured: ")
    assert "nowhere.icc: CMYK ICC profile not found" in finding.what


def test_small_text_in_several_inks_fails_the_build(project, tmp_path):
    builtin = (BUILTIN_LAYOUTS / "card" / "card.css").read_text()
    designer = make_designer(tmp_path, {"card/card.css": builtin + "\n.card-more { color: var(--theme); font-size: 8.6pt; }\n"})
    result = build_card(project, tmp_path, designer, theme="ecologie")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "8.6 pt text printed in 3 inks; below 9 pt, text takes one ink or black" in result.stderr  # .card-more, set small


def test_thin_reversed_text_fails_the_build(project, tmp_path):
    builtin = (BUILTIN_LAYOUTS / "card" / "card.css").read_text()
    designer = make_designer(tmp_path, {"card/card.css": builtin + "\n.card-election { font-weight: 400; }\n"})
    result = build_card(project, tmp_path, designer, theme="ecologie")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "reversed (white) text at 8.0 pt, weight 400; it needs 8 pt bold at least" in result.stderr


def test_body_text_keeps_names_whole_with_what_is_glued_to_them():
    from printkit.render.typography import body_text
    html = str(body_text("Rendre la ville aux clamartois et au plan « Logementdabord » en Île-de-France, "
                         "le plan « Logement d'abord ».", "fr-FR", "Clamart"))
    assert '<span class="name"> clamartois</span>' in html  # with the space before it (see below)
    assert '<span class="name"> «\u202fLogementdabord\u202f»</span>' in html
    assert "«\u202fLogement d’abord" in html  # too short to be hyphenated: no span, none of its line-break risk
    assert '<span class="name"> Île-de-France,</span>' in html and "ville" in html and '"name"> ville' not in html


def test_body_text_never_hyphenates_its_last_word():
    """« Création d'un lieu d'accueil de personnes victimes de discriminations »: Clamart's booklet
    set « discrimina- / tions », the last line a word's end alone. The last word goes whole."""
    from printkit.render.typography import body_text
    html = str(body_text("Accueillir les personnes discriminées, victimes de discriminations", "fr-FR"))
    assert html.endswith('<span class="name"> discriminations</span>')
    assert '"name"> discriminées' not in html  # a word within the text may still be hyphenated


def printed(body: str, style: str = "") -> bytes:
    """A real WeasyPrint PDF of the given HTML body, set in the bundled fonts."""
    from weasyprint import HTML
    html = (f'<html lang="fr"><head><link rel="stylesheet" href="layouts/common/fonts.css"><style>'
            f'@page {{ size: A6; margin: 10mm }} body {{ font: 9pt Inter; }} {style}</style></head>'
            f'<body>{body}</body></html>')
    return HTML(string=html, base_url=str(BUILTIN_LAYOUTS.parent) + "/").write_pdf()


def test_body_text_never_sets_a_broken_word_alone_on_its_line():
    """Clamart's booklet set « … dans la / restaura- / tion scolaire … événements / municipaux »: the
    last word's span did not fit after the text's last space, and WeasyPrint broke the line's first
    word early, alone on its line, at 103 to 103.5 mm wide (as found with the rule switched off). The
    span takes the space before its word."""
    from pypdfium2 import PdfDocument

    from printkit.render.typography import body_text
    text = body_text("Intégrer une option végétarienne pour chaque repas dans la restauration scolaire et collective "
                     "ainsi que dans les événements municipaux", "fr-FR")
    style = (".measure-details { font-size: 9.6pt; line-height: 1.3; hyphens: auto; hyphenate-limit-chars: 10 5 4;"
             " hyphenate-limit-zone: 15%; } .name { hyphens: manual; }")  # as the booklet sets its details
    for width in (103, 103.25, 103.5):
        data = printed(f'<p class="measure-details" style="width: {width}mm">{text}</p>', style)
        lines = [line.strip() for line in PdfDocument(data)[0].get_textpage().get_text_range().splitlines()]
        assert not any(line.endswith("\u2010") and " " not in line for line in lines), (width, lines)


def whats(data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    from printkit.checks.text import text_findings
    return [finding.what for finding in text_findings(pdfium.PdfDocument(data), "leaflets/test.pdf", None, "fr-FR")]


def test_hyphen_ladder_and_hyphenated_share_are_warnings():
    three = "<p>Une ligne qui se ter\u2010<br>mine par un trait d’u\u2010<br>nion, puis encore une au\u2010<br>tre fois.</p>"
    found = whats(printed(three + "<p>Fin.</p>" * 100))
    assert found == ["hyphen ladder: 3 hyphenated lines in a row (ter‐ / d’u‐ / au‐)"]
    found = whats(printed(three.replace("au\u2010<br>tre", "autre")))
    assert found == ["2 of 3 lines (66.7%) end hyphenated, more than 4%"]


def test_a_word_broken_alone_on_its_line_is_a_warning():
    found = whats(printed("<p>Intégrer une option pour chaque repas dans la<br>restaura\u2010<br>tion scolaire.</p>"
                          + "<p>Fin.</p>" * 40))
    assert found == ["a word broken alone on its line (restaura‐)"]
    assert whats(printed("<p>Intégrer une option dans la restaura\u2010<br>tion scolaire.</p>" + "<p>Fin.</p>" * 40)) == []


def test_french_spacing_missing_in_printed_text_is_a_warning():
    found = whats(printed("<p>Absent ce jour-là ? Éditeur : Clamart</p><p>Toutes les mesures «<br>Sport »</p>"
                          "<p>1ER TOUR et 2ème tour</p><p>Clamart à gauche!</p><p>Le plan «Logement\u202f»"
                          " et « Vélo\u202f»</p>"))
    assert any("a plain space before « ? » in « Absent ce jour-là ?" in what for what in found)
    assert any(what.startswith("a plain space before « : »") and "Éditeur :" in what for what in found)
    assert any("a line ends with « « »" in what for what in found)
    assert any(what.startswith("a line starts with « » »") for what in whats(printed("<p>Un «\u202fmot<br>»</p>")))
    assert any("a plain space before « » »" in what for what in found)
    assert any("no space before « ! »" in what for what in found)
    assert any(what.startswith("no space after « « »") and "plan «Logement" in what for what in found)
    assert any(what.startswith("a plain space after « « »") and "« Vélo" in what for what in found)
    assert "ordinal « 1ER »: set it as 1er (in small letters, or spelled out)" in found
    assert "ordinal « 2ème »: set it as 2e (in small letters, or spelled out)" in found


def test_french_spacing_done_right_is_quiet_in_either_face():
    text = "Absent ce jour-là\u202f? Éditeur\u00a0: «\u202fSport\u202f» à 18:30, 1er tour, https://www.clamartagauche.fr/Programme?theme=sport"
    assert whats(printed(f"<p>{text}</p>")) == []
    assert whats(printed(f'<p style="font-family: League Spartan, Inter; font-weight: 800">{text}</p>')) == []


def test_check_reads_french_spacing_in_a_designers_template(project, tmp_path):
    builtin = (BUILTIN_LAYOUTS / "card" / "card.html").read_text()
    forgot_the_filter = builtin.replace("{{ campaign.name|typeset }}", "{{ campaign.name }}", 1)
    build_card(project, tmp_path, make_designer(tmp_path, {"card/card.html": forgot_the_filter}), theme="ecologie")
    result = run_printkit("check", str(tmp_path / "out" / "cards" / "ecologie.pdf"), "--json", cwd=project)
    assert any(f["what"].startswith("a plain space before « ! » in « Clamart à gauche ! ") and f["page"] == 1
               for f in json.loads(result.stdout))


def test_real_build_hyphenates_body_text_only_within_limits(real_build):
    import pypdfium2 as pdfium

    from printkit.checks.text import hyphen_findings, printed_lines
    for path in sorted(real_build.rglob("*.pdf")):
        lines = printed_lines(pdfium.PdfDocument(path))
        assert hyphen_findings(lines, path.name) == [], path
        broken = [line.split()[-1] for _, line in lines if line.endswith("\u2010")]
        assert not [word for word in broken if word[0].isupper() or "clamar" in word.lower()], path
