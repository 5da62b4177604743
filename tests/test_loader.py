"""The loader: the real programme loads; every kind of bad input gets a located message, all at once."""

import dataclasses
from pathlib import Path

import pytest
import yaml

from printkit.errors import InvalidInput
from printkit.programme.loader import read_programme
from printkit.programme.model import FLAGSHIP_CHARS, Measure

from conftest import ROOT, make_small, run_printkit, write_yaml


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        read_programme(folder)
    return [str(problem) for problem in caught.value.problems]


def test_real_programme_loads_whole():
    programme, warnings = read_programme(ROOT / "programme")
    assert len(programme.measures) == 104
    assert len(programme.sections) == 37
    assert len(programme.themes) == 12
    assert len(programme.guarantees) == 9
    assert [m.number for m in programme.measures] == list(range(1, 105))
    assert programme.campaign.name == "Clamart à gauche !"
    assert [d.isoformat() for d in programme.campaign.rounds] == ["2026-03-15", "2026-03-22"]


def test_without_priorities_the_programme_leads_with_a_measure_of_each_theme():
    """Clamart chose no priorities, and its first 12 measures are about children and schools: the
    programme's flagships (the circulaire's, the booklet's contents) take each theme's own lead
    instead, one theme after another, then the campaign's priorities come first once it sets some."""
    programme, _ = read_programme(ROOT / "programme")
    leading = programme.leading()
    assert {m.themes[0] for m in leading[:12]} == {t.slug for t in programme.themes}
    assert sorted(m.number for m in leading) == list(range(1, 105))
    chosen = dataclasses.replace(programme, measures=tuple(
        dataclasses.replace(m, priority=1) if m.number == 99 else m for m in programme.measures))
    assert chosen.leading()[0].number == 99


def test_a_theme_leads_with_a_measure_of_its_own_then_lists_the_others():
    """Val-Fleuri's housing measure 1, its first priority, carries ville-durable too: the ville-durable
    pieces feature one of their own measures, and list their own before those they share."""
    programme, _ = read_programme(ROOT / "tests" / "fixtures" / "campaigns" / "val-fleuri" / "programme")
    assert 1 in (m.number for m in programme.measures_of("ville-durable"))
    for theme in (t.slug for t in programme.themes if programme.measures_of(t.slug)):
        firsts = [m.themes[0] == theme for m in programme.lead_of(theme)]
        assert firsts == sorted(firsts, reverse=True), theme  # its own, then the others
        assert firsts[0] == any(firsts), theme
    assert [m.number for m in programme.lead_of("ville-durable")][:2] == [20, 13]


def test_identical_measures_9_and_25_are_a_warning_not_an_error():
    _, warnings = read_programme(ROOT / "programme")
    same = [w for w in warnings if "same title" in w.message]
    assert [w.message for w in same] == ["measure 25 has the same title as measure 9"]
    assert same[0].where.file.endswith("measures.yaml") and same[0].where.line > 1


def test_the_one_flagship_too_long_for_its_place_is_a_warning():
    """Measure 61 leads the card of its theme with 229 characters: quoted cut, and said so."""
    _, warnings = read_programme(ROOT / "programme")
    cut = [w for w in warnings if "flagship" in w.message]
    assert [w.message.split(":")[0] for w in cut] == ["measure 61's title has 229 characters, more than the 220 a "
                                                      "flagship place holds"]
    assert "short: title" in cut[0].message and cut[0].where.file.endswith("measures.yaml")


def test_a_flagship_never_quotes_more_than_its_place_holds():
    """A lead phrase may end past 90 characters when a title has no earlier place for it (phrasing.py):
    one longer than a flagship place is not quoted, the title is cut at a word instead."""
    title = "Installer " + "des bancs publics confortables ombragés accessibles " * 5 + "pour les habitants"
    measure = Measure(number=1, title=title, details=(), themes=("a",), section="s")
    assert len(measure.flagship) <= FLAGSHIP_CHARS and measure.flagship.endswith("…")


def test_theme_colours_are_not_tricolour():
    _, warnings = read_programme(ROOT / "programme")
    assert not any("R27" in w.message for w in warnings)


def test_malformed_yaml_points_at_line_and_column(small):
    (small / "programme" / "themes.yaml").write_text("- slug: ecologie\n  label: [unclosed\n")
    [problem] = problems_of(small / "programme")
    assert problem.startswith(str(small / "programme" / "themes.yaml") + ":3:1: malformed YAML")


def test_all_problems_are_reported_at_once_with_positions(small):
    measures = yaml.safe_load((small / "programme" / "measures.yaml").read_text())
    measures[0]["measures"][0]["number"] = "un"                  # wrong type
    measures[0]["measures"][1]["themes"] = ["sport", "culture"]  # unknown theme
    measures[1]["measures"][0]["titel"] = "typo"                 # unknown key
    measures[1]["measures"][0]["title"] = "   "                  # empty title
    write_yaml(small / "programme" / "measures.yaml", measures)
    problems = problems_of(small / "programme")
    assert len(problems) == 4
    text = "\n".join(problems)
    assert "a measure's number must be a whole number, not 'un'" in text
    assert "unknown theme 'culture' (expected one of: ecologie, sport)" in text
    assert "unknown key 'titel' in a measure (expected one of: details, number, priority, short, themes, title)" in text
    assert "the title of measure 3 is empty" in text
    for problem in problems:
        file, line, column, _ = problem.split(":", 3)
        assert file.endswith("measures.yaml") and int(line) > 0 and int(column) > 0


def test_duplicate_number_names_both_places(small):
    measures = yaml.safe_load((small / "programme" / "measures.yaml").read_text())
    measures[1]["measures"][0]["number"] = 1
    write_yaml(small / "programme" / "measures.yaml", measures)
    [problem] = problems_of(small / "programme")
    assert "measure 1 is given twice (first at " in problem and "exactly one section" in problem


@pytest.mark.parametrize("template, message", [
    ("http://www.clamartagauche.fr/Programme#m{number}", "must be an https:// address"),
    ("javascript:alert({number})", "must be an https:// address"),
    ("https://www.clamartagauche.fr/Programme#mesure", "must use {number}; it uses none"),
    ("https://www.clamartagauche.fr/Programme#{numbre}", "must use {number}; it uses numbre"),
    ("https://evil.example/{number}", "must point at the website www.clamartagauche.fr"),
])
def test_bad_url_templates(small, template, message):
    campaign = yaml.safe_load((small / "programme" / "campaign.yaml").read_text())
    campaign["urls"]["measure"] = template
    write_yaml(small / "programme" / "campaign.yaml", campaign)
    [problem] = problems_of(small / "programme")
    assert "campaign.yaml:" in problem and message in problem


@pytest.mark.parametrize("slug", ["../etc", "Ecologie", "éco", "a/b", "x" * 41, "-x"])
def test_unsafe_slugs(small, slug):
    themes = yaml.safe_load((small / "programme" / "themes.yaml").read_text())
    themes[0]["slug"] = slug
    write_yaml(small / "programme" / "themes.yaml", themes)
    problems = problems_of(small / "programme")
    assert any("not safe as a file name" in p for p in problems)


def test_a_theme_s_pictogram_and_key_figure_are_checked_at_their_line(small):
    """A pictogram printkit does not ship, with the names nearest it, and a key figure without
    what it counts, each reported at its line, all at once."""
    themes = yaml.safe_load((small / "programme" / "themes.yaml").read_text())
    themes[0]["icon"] = "hous"
    themes[1]["figure"] = "1 240"
    write_yaml(small / "programme" / "themes.yaml", themes)
    problems = problems_of(small / "programme")
    assert len(problems) == 2
    assert "themes.yaml:4:" in problems[0] and "no pictogram 'hous' is shipped (did you mean house" in problems[0]
    assert "a key figure needs both figure (the number) and figure_label" in problems[1]
    assert "themes.yaml:7:" in problems[1]


def test_a_theme_s_pictogram_is_a_character_of_the_shipped_font():
    """The shipped names each draw a glyph of the pictogram font, which carries its licence."""
    from fontTools.ttLib import TTFont

    from printkit.builtin import BUILTIN_FONTS
    from printkit.programme.pictograms import pictograms
    drawn = TTFont(BUILTIN_FONTS / "Lucide-Pictograms.ttf").getBestCmap()
    assert len(pictograms()) >= 60 and [name for name, code in pictograms().items() if code not in drawn] == []
    assert "ISC License" in (BUILTIN_FONTS / "LICENSE-Lucide.txt").read_text()


def test_missing_file(small):
    (small / "programme" / "programme.yaml").unlink()
    [problem] = problems_of(small / "programme")
    assert problem.endswith("programme.yaml: file not found (expected a YAML file here)")


def test_unreadable_encoding_gives_line(small):
    path = small / "programme" / "measures.yaml"
    path.write_bytes(path.read_bytes().replace("Créer".encode(), "Créer".encode("latin-1")))
    [problem] = problems_of(small / "programme")
    assert "measures.yaml:" in problem and "not valid UTF-8" in problem
    assert int(problem.split(":")[1]) > 1


def test_empty_programme(small):
    (small / "programme" / "measures.yaml").write_text("[]\n")
    problems = problems_of(small / "programme")
    assert any("the programme has no measure" in p for p in problems)


def test_empty_file(small):
    (small / "programme" / "measures.yaml").write_text("# nothing yet\n")
    [problem] = problems_of(small / "programme")
    assert problem.endswith("measures.yaml:1:1: the file is empty")


def test_text_where_a_number_is_expected_is_an_error(small):
    campaign = yaml.safe_load((small / "programme" / "campaign.yaml").read_text())
    campaign["printing"]["bleed_mm"] = "trois"
    write_yaml(small / "programme" / "campaign.yaml", campaign)
    [problem] = problems_of(small / "programme")
    assert "campaign.yaml:" in problem and "bleed_mm must be a number, not 'trois'" in problem


BROKEN_CAMPAIGN = """\
name: Clamart à gauche !
city: [Clamart]
rounds: [2026-03-22, 2026-03-15]
website: http://www.clamartagauche.fr
urls:
  programme: https://www.clamartagauche.fr/Programme
  measure: https://www.clamartagauche.fr/Programme#mesure
  theme: https://www.clamartagauche.fr/Programme?theme={slug}
tracking: {utm_source: imprimé}
imprint:
  printer_name: ""
  printer_address: ""
printing:
  bleed_mm: 12
  safe_mm: cinq
  build_date: 2026-01-15
  icc_profil: /tmp/x.icc
colours:
  brand: [0, 100, 90]
  accent: [0, 22, 100, 0]
  themes: rouge
quantities:
  cards/sport: -1
"""


def test_every_problem_of_campaign_yaml_is_reported_at_once_with_its_line(small):
    """A missing key no longer hides the others, and a wrong colours.themes is a message, not a traceback."""
    (small / "programme" / "campaign.yaml").write_text(BROKEN_CAMPAIGN, encoding="utf-8")
    problems = [problem.split("campaign.yaml:", 1)[1] for problem in problems_of(small / "programme")]
    assert problems == [
        "1:1: campaign.yaml lacks the key 'election'",
        "2:7: city must be text",
        "3:9: rounds must be in chronological order",
        "4:10: website must be an https:// address, not 'http://www.clamartagauche.fr'",
        "7:12: urls.measure must use {number}; it uses none",
        "9:11: tracking lacks the key 'utm_campaign'",
        "9:24: tracking.utm_source may hold only letters, digits, '.', '_' and '-'",
        "11:3: imprint lacks the key 'publisher'",
        "14:13: printing.bleed_mm must be from 0 to 10 mm, not 12",
        "15:12: printing.safe_mm must be a number, not 'cinq'",
        "17:3: unknown key 'icc_profil' in printing (expected one of: bleed_mm, build_date, icc_profile, paper, "
        "safe_mm, stock)",
        "19:10: colours.brand must be four ink percentages [C, M, Y, K], each from 0 to 100",
        "21:11: colours.themes must be a mapping of keys to values",
        "23:16: quantities.cards/sport must be 0 or more, not -1",
    ]


def test_theme_without_colour_and_colour_without_theme(small):
    campaign = yaml.safe_load((small / "programme" / "campaign.yaml").read_text())
    campaign["colours"]["themes"] = {"ecologie": [85, 10, 100, 42], "sprot": [0, 75, 100, 20]}
    write_yaml(small / "programme" / "campaign.yaml", campaign)
    text = "\n".join(problems_of(small / "programme"))
    assert "theme 'sport' has no colour in colours.themes" in text
    assert "colour given for 'sprot', which is not a theme in themes.yaml" in text


def test_warnings_for_gaps_unused_themes_and_tricolour(small):
    measures = yaml.safe_load((small / "programme" / "measures.yaml").read_text())
    measures[1]["measures"][0]["number"] = 7
    measures[1]["measures"][0]["themes"] = ["ecologie"]
    measures[0]["measures"][1]["themes"] = ["ecologie"]
    write_yaml(small / "programme" / "measures.yaml", measures)
    campaign = yaml.safe_load((small / "programme" / "campaign.yaml").read_text())
    campaign["colours"]["themes"]["sport"] = [100, 60, 0, 10]
    write_yaml(small / "programme" / "campaign.yaml", campaign)
    _, warnings = read_programme(small / "programme")
    messages = [w.message for w in warnings]
    assert "numbering jumps from 2 to 7" in messages
    assert "theme 'sport' has no measure" in messages
    assert any("Code électoral R27" in m for m in messages)


def test_cli_reports_without_traceback_and_writes_nothing(small):
    (small / "programme" / "themes.yaml").write_text("- slug: ecologie\n  label: x\n  colour: red\n")
    result = run_printkit("build", cwd=small)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "unknown key 'colour' in a theme" in result.stderr
    assert not (small / "output").exists()


def test_a_raw_nul_in_yaml_is_located_by_line_and_column(small):
    # libyaml reports a forbidden character by its byte offset alone; accents before it count once each
    path = small / "programme" / "measures.yaml"
    lines = path.read_text().splitlines(keepends=True)
    number = next(n for n, line in enumerate(lines) if "Créer" in line)
    lines[number] = lines[number].replace("Créer", "Cré\0er")
    path.write_text("".join(lines))
    [problem] = problems_of(small / "programme")
    column = lines[number].index("\0") + 1
    assert problem.startswith(f"{path}:{number + 1}:{column}: "), problem
    assert "U+0000" in problem and "position" not in problem


@pytest.mark.parametrize("locale, written, printed", [
    ("fr-FR", "+33 1 99 00 12 34", "01 99 00 12 34"),
    ("fr-FR", "01.99.00.12.34", "01 99 00 12 34"),
    ("en-US", "(555) 014-2032", "(555) 014-2032"),
    ("en-US", "+1 555 014 2032", "(555) 014-2032"),
    ("en-US", "+33 1 99 00 12 34", "+33 1 99 00 12 34"),  # a number abroad keeps its country code
])
def test_a_phone_number_is_read_and_printed_by_the_locale_s_rules(tmp_path, locale, written, printed):
    root = make_small(tmp_path, locale=locale)
    write_yaml(root / "programme" / "identity.yaml", {"contact": {"phone": written}})
    programme, _ = read_programme(root / "programme")
    assert programme.identity.contact.phone == printed


@pytest.mark.parametrize("locale, written", [("fr-FR", "(555) 014-2032"), ("en-US", "01 99 00 12"), ("fr-FR", "12")])
def test_a_number_the_locale_cannot_dial_is_an_error_at_its_line(tmp_path, locale, written):
    root = make_small(tmp_path, locale=locale)
    write_yaml(root / "programme" / "identity.yaml", {"slogan": "Ensemble", "contact": {"phone": written}})
    region = locale[-2:]
    assert problems_of(root / "programme") == [f"{root}/programme/identity.yaml:3:10: '{written}' is not a phone number in "
                                               f"{region} (write it as that country does, or in the international "
                                               "format, +<country code> …)"]
