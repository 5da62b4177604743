"""The checks that read a piece as a voter does: holes where the eye sees them, type a voter can
read, and the call to vote. Each fails on a tiny document made to break it (WeasyPrint HTML
strings, as in test_preflight.py) and stays quiet on one that keeps it."""

import io
import re
from pathlib import Path

import pikepdf
import pytest
from weasyprint import HTML

from printkit.builtin import BUILTIN_FONTS
from printkit.checks import check_pdf
from printkit.messages import messages_for
from printkit.products import FileSubject
from printkit.programme.loader import read_programme

from conftest import make_small

FONTS = f"@font-face {{ font-family: Inter; src: url({(BUILTIN_FONTS / 'Inter-Regular.otf').as_uri()}) }}"
A5 = "@page { size: A5; margin: 10mm; bleed: 3mm } body { margin: 0; font: 10pt/12pt Inter } p { margin: 0 }"
TRIFOLD = ("@page { size: 297mm 210mm; margin: 0; bleed: 3mm } body { margin: 0; font: 10pt Inter }"
           ".side { display: flex; height: 210mm; break-after: page } .side > div { height: 210mm; padding: 8mm 5mm;"
           "box-sizing: border-box } p { margin: 0 }")
BOOKLET, FLYER, CARD = (FileSubject("booklet", "a5-booklet"), FileSubject("leaflet", "a5-flyer", "sport"),
                        FileSubject("card", "a6-card", "sport"))


@pytest.fixture
def programme(small):
    return read_programme(small / "programme")[0]


def findings(tmp_path: Path, programme, html: str, subject: FileSubject, css: str = A5) -> list[str]:
    """What check_pdf finds in the HTML written as a PDF that says it is ``subject``, as « p<page>: what »."""
    data = HTML(string=f"<html lang='{programme.campaign.locale}'><style>{FONTS} {css}</style>{html}").write_pdf()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        subject.write(pdf.docinfo)
        buffer = io.BytesIO()
        pdf.save(buffer)
    path = tmp_path / "piece.pdf"
    path.write_bytes(buffer.getvalue())
    return [f"p{f.page}: {f.what}" for f in check_pdf(path, "piece.pdf", programme)]


def band(found: list[str], page: str) -> tuple[float, float, float]:
    """The empty band a finding reports on a page (or « p1: panel 6 »): its share in %, its top and bottom in mm."""
    matches = [re.search(r"band of ([\d.]+)% .* from (\d+) to (\d+) mm", f) for f in found if f.startswith(page + ":")]
    assert matches, found
    return float(matches[0][1]), float(matches[0][2]), float(matches[0][3])


def lines(count: int) -> str:
    """Lines of text of 12 pt (4.2 mm) each."""
    return "".join(f"<p>Ligne {n}</p>" for n in range(count))


LINES = lines(40)  # 170 mm: a full A5 page or panel


def holes(found: list[str]) -> list[str]:
    return [f for f in found if "empty band" in f]


# holes where the eye sees them


def test_an_empty_band_in_the_middle_of_a_page_is_found_with_where_it_lies(tmp_path, programme):
    """Gaps of 80 and 90 mm between lines of 12 pt (4.2 mm): the second, 45 % of the A5 live height
    (200 mm), is the largest; it runs from the foot of the second line to the top of the third."""
    page = '<p>Haut</p><div style="height: 80mm"></div><p>Bas</p><div style="height: 90mm"></div><p>Fin</p>'
    cover = f'<p>Couverture</p><div style="height: 55mm"></div>{lines(30)}'
    html = f'{cover}<section style="break-before: page">{page}</section>'
    found = holes(findings(tmp_path, programme, html, BOOKLET))
    share, top, bottom = band(found, "p2")
    assert 44 < share < 47 and 97 <= top <= 99 and 188 <= bottom <= 190, found
    assert not [f for f in found if f.startswith("p1:")]  # 27 % on a front cover, which may leave 30 % empty


def test_a_flat_background_colour_is_empty_too(tmp_path, programme):
    html = ('<p>Couverture</p><div style="height: 170mm"></div><p>Fin</p>'
            '<section style="break-before: page"><p>Haut</p><div style="height: 60mm"></div><p>Bas</p>'
            '<div style="height: 60mm"></div><p>Fin</p><div style="height: 45mm"></div><p>Fin</p></section>')
    css = A5 + " @page :nth(2) { background: rgb(200, 30, 40) }"
    found = holes(findings(tmp_path, programme, html, BOOKLET, css))
    assert 29 < band(found, "p2")[0] < 33, found  # 60 mm of red is as empty as 60 mm of white
    assert 80 < band(found, "p1")[0], found  # the front cover's band, over 30 %


def test_a_full_page_has_no_hole(tmp_path, programme):
    assert holes(findings(tmp_path, programme, LINES, FLYER)) == []


def test_a_trifold_is_read_panel_by_panel_named_in_reading_order(tmp_path, programme):
    """The outside side holds panels 5, 6 and 1 from the left (97, 100, 100 mm); only the back, panel 6, is empty."""
    back = '<div style="width: 100mm"><p>Dos</p><div style="height: 150mm"></div><p>Bas</p></div>'
    outside = f'<div class="side"><div style="width: 97mm">{LINES}</div>{back}<div style="width: 100mm">{LINES}</div></div>'
    panel = f'<div style="width: 99mm">{LINES}</div>'
    inside = f'<div class="side">{3 * panel}</div>'
    found = holes(findings(tmp_path, programme, outside + inside, FileSubject("leaflet", "a4-trifold", "sport"), TRIFOLD))
    assert len(found) == 1 and found[0].startswith("p1: panel 6 (back): an empty band of"), found
    assert band(found, "p1")[0] > 70


def test_a_trifold_side_with_two_qr_codes_is_an_error_and_one_a_side_passes(tmp_path, programme):
    """One call to action a side (the format's codes_a_side): the back's code and the cover's on
    the outside are one too many; the theme's inside and the programme's outside pass."""
    from printkit.programme.urls import programme_url, theme_url
    from printkit.render.qr import QrCodes

    def code(url: str) -> str:
        return f'<img src="{QrCodes()(url)}" style="width: 30mm; margin: 5mm">'
    whole, sport = programme_url(programme, "tract"), theme_url(programme, programme.theme("sport"), "tract")
    panel = '<div style="width: 99mm">{}</div>'
    outside = f'<div class="side">{panel.format("")}{panel.format(code(whole))}{panel.format(code(sport))}</div>'
    inside = f'<div class="side">{panel.format("")}{panel.format(code(sport))}{panel.format("")}</div>'
    subject = FileSubject("leaflet", "a4-trifold", "sport")
    crowded = [f for f in findings(tmp_path, programme, outside + inside, subject, TRIFOLD) if "QR codes on one side" in f]
    assert crowded == ["p1: 2 QR codes on one side, at most 1: one call to action a side"], crowded
    outside = f'<div class="side">{panel.format("")}{panel.format(code(whole))}{panel.format("")}</div>'
    found = findings(tmp_path, programme, outside + inside, subject, TRIFOLD)
    assert not [f for f in found if "QR code" in f], found


def test_a_page_leaflet_side_with_two_qr_codes_is_an_error_and_one_a_side_passes(tmp_path, programme):
    """Page leaflets too carry one code a side (their formats' codes_a_side), never one a measure: a
    measure's code planted beside the cover's is one too many, and leads where a leaflet's code may
    not; the theme's code on the cover's page and the programme's on the closing's pass."""
    from printkit.programme.urls import measure_url, programme_url, theme_url
    from printkit.render.qr import QrCodes

    def code(url: str) -> str:
        return f'<img src="{QrCodes()(url)}" style="width: 30mm; margin: 5mm">'
    sport = theme_url(programme, programme.theme("sport"), "tract")
    planted = measure_url(programme, programme.measures_of("sport")[0], "tract")
    page = '<div style="height: 180mm; break-after: page">{}</div>'
    closing = page.format(code(programme_url(programme, "tract")))
    found = findings(tmp_path, programme, page.format(code(sport) + code(planted)) + closing, FLYER)
    assert "p1: 2 QR codes on one side, at most 1: one call to action a side" in found, found
    assert f"p1: QR code leads to an unexpected address: {planted}" in found, found
    found = findings(tmp_path, programme, page.format(code(sport)) + closing, FLYER)
    assert not [f for f in found if "QR code" in f], found


# type a voter can read


def sized(*runs: tuple[float, int]) -> str:
    """Paragraphs of ``count`` characters (white space aside) set at ``size`` pt, for each (size, count)."""
    return "".join(f'<p style="font-size: {size}pt">{"m" * count}</p>' for size, count in runs)


def test_a_small_median_character_is_a_warning_that_gives_its_size(tmp_path, programme):
    found = [f for f in findings(tmp_path, programme, sized((8.5, 60), (12, 40)), FLYER) if "too small" in f]
    assert found == ["p0: type too small to read: the median character is 8.5 pt (at least 9.5 pt) and 0.0% of "
                     "the characters are below 7 pt (under 5%)"]


def test_a_card_may_set_its_median_at_9_pt(tmp_path, programme):
    text = sized((9.2, 60), (12, 40))
    assert not [f for f in findings(tmp_path, programme, text, CARD) if "too small" in f]
    assert [f for f in findings(tmp_path, programme, text, FLYER) if "too small" in f]


def test_five_percent_of_characters_below_7_pt_is_a_warning(tmp_path, programme):
    found = [f for f in findings(tmp_path, programme, sized((10, 90), (6.5, 10)), FLYER) if "too small" in f]
    assert len(found) == 1 and "median character is 10.0 pt" in found[0] and "10.0% of the characters" in found[0]
    assert not [f for f in findings(tmp_path, programme, sized((10, 96), (6.5, 4)), FLYER) if "too small" in f]


# the call to vote


def vote_text(programme, days: str, call: bool = True, away: bool = True) -> str:
    """A closing as the layouts set it: the days, the call, how to vote when away; broken, hyphenated, in capitals."""
    say = messages_for(programme.campaign)
    call_line = f"<p style='text-transform: uppercase'>{say('vote.call', name=programme.campaign.name)}</p>"
    away_line = f"<p style='width: 35mm; hyphens: auto; text-align: justify'>{say('vote.away_how')}</p>"
    return f"<p>{days}</p>{call_line if call else ''}{away_line if away else ''}"


def vote_findings(tmp_path, programme, html: str, subject: FileSubject) -> list[str]:
    parts = ("the vote's day", "no call to vote", "no word of how to vote")
    return [f for f in findings(tmp_path, programme, html, subject) if f.startswith(tuple(f"p0: {p}" for p in parts))]


def test_a_leaflet_with_the_call_both_days_and_procuration_passes(tmp_path, programme):
    assert vote_findings(tmp_path, programme, vote_text(programme, "Les 15 et 22 mars,"), FLYER) == []
    rounds = "premier tour 15 mars 2026 second tour 22 mars 2026"
    assert vote_findings(tmp_path, programme, vote_text(programme, rounds), FLYER) == []


def test_a_leaflet_without_the_call_a_day_or_procuration_is_warned_of(tmp_path, programme):
    found = vote_findings(tmp_path, programme, vote_text(programme, "Le 15 mars", call=False, away=False), FLYER)
    assert found == ["p0: the vote's day « 22 mars » is not printed",
                     "p0: no call to vote (« votez Clamart à gauche ! » or « Votez et faites voter Clamart à gauche ! »)",
                     "p0: no word of how to vote when away (« Donnez procuration à une personne de confiance "
                     "inscrite sur … », vote.away_how, or vote.away_short)"]


def test_a_flyer_s_short_closing_says_how_to_vote_when_away_in_one_sentence(tmp_path, programme):
    """A closing that shares its side with measures prints vote.away_short: that is procuration too."""
    say = messages_for(programme.campaign)
    short = f"<p>Les 15 et 22 mars,</p><p>{say('vote.call', name=programme.campaign.name)}</p><p>{say('vote.away_short')}</p>"
    assert vote_findings(tmp_path, programme, short, FLYER) == []


def test_a_card_needs_the_days_only(tmp_path, programme):
    assert vote_findings(tmp_path, programme, "<p>Les 15 et 22 mars, votez !</p>", CARD) == []
    assert vote_findings(tmp_path, programme, "<p>Le 22 mars, votez !</p>", CARD) == [
        "p0: the vote's day « 15 mars » is not printed"]


def test_the_call_to_vote_is_read_in_the_campaign_s_language(tmp_path):
    programme = read_programme(make_small(tmp_path / "us", locale="en-US") / "programme")[0]
    assert vote_findings(tmp_path, programme, vote_text(programme, "On March 15 and 22,"), FLYER) == []
    found = vote_findings(tmp_path, programme, vote_text(programme, "On March 15,", away=False), FLYER)
    assert found == ["p0: the vote's day « March 22 » is not printed",
                     "p0: no word of how to vote when away (« Vote early or by mail: ask your local election "
                     "office for an… », vote.away_how, or vote.away_short)"]
