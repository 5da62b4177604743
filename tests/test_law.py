"""The law follows the election: each jurisdiction's legal mentions printed and checked on the PDF,
its required imprint data, and the French rules (R27, L49) that stay in France (docs/law.md)."""

import datetime
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import yaml
from conftest import ROOT, make_small, run_printkit
from test_preflight import SUBJECTS, render, stamped

from printkit.builtin import BUILTIN_FONTS
from printkit.checks import check_pdf, first_letter
from printkit.checks.document import CheckedPdf
from printkit.checks.imprint import imprint_findings
from printkit.programme.datacheck import coverage_findings, silence_findings
from printkit.programme.loader import read_programme
from printkit.render.html import wording
from printkit.render.layouts import Layouts

PRINTER = {"printer_name": "Acme Print", "printer_address": "1 Main St, Springfield"}
US = {"locale": "en-US", "jurisdiction": "us", "imprint": PRINTER | {"publisher": "Friends of Jane Doe"}}
GB = {"locale": "en-GB", "imprint": PRINTER | {
    "publisher": "Sam Agent", "publisher_address": "2 High St, Barchester BA1 1AA",
    "on_behalf_of": "Jo Candidate", "on_behalf_of_address": "3 Low Rd, Barchester BA1 2BB"}}


def programme_of(root: Path, **changes):
    return read_programme(make_small(root, **changes) / "programme")[0]


def imprint_text(programme) -> str:
    """The imprint as the built-in template renders it, spaces and line breaks folded (no-break spaces kept)."""
    html = Layouts(ROOT / "programme").render("common/imprint.html", **wording(programme.campaign),
                                              campaign=programme.campaign, programme=programme)
    return re.sub(r"[ \n]+", " ", html.replace('<p class="imprint">', "").replace("</p>", "")).strip()


def pdf_text(path: Path) -> str:
    document = pdfium.PdfDocument(path)
    return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in document)


def findings(programme, data: bytes) -> list[str]:
    """What the legal imprint check finds in a card, as a build would have stamped it."""
    with CheckedPdf("cards/sport.pdf", stamped(data, SUBJECTS["cards/sport.pdf"])) as checked:
        return [f"p{f.page}: {f.what}" for f in imprint_findings(checked, programme)]


# France: as before


def test_the_french_imprint_is_unchanged(tmp_path):
    imprint = yaml.safe_load((ROOT / "programme" / "campaign.yaml").read_text())["imprint"] | {
        "printer_name": "Imprimerie Dupont", "printer_address": "1 rue de Paris, 92140 Clamart"}
    assert imprint_text(programme_of(tmp_path, imprint=imprint)) == (
        "Imprimé par Imprimerie Dupont, 1\u00a0rue de Paris, 92140 Clamart · Éditeur\u00a0: Clamart à gauche\u202f! "
        "· Ne pas jeter sur la voie publique")


# United States: "Paid for by" in a ruled box


def test_a_us_card_prints_the_disclaimer_in_a_ruled_box(tmp_path):
    root = make_small(tmp_path / "us", **US)
    result = run_printkit("build", "cards", "--theme", "sport", "--out", str(tmp_path / "out"), cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    text = pdf_text(tmp_path / "out" / "cards" / "sport.pdf")
    assert "Paid for by Friends of Jane Doe" in text and "Printed by Acme Print, 1 Main St, Springfield" in text
    assert "Ne pas jeter" not in text
    programme = read_programme(root / "programme")[0]
    findings = check_pdf(tmp_path / "out" / "cards" / "sport.pdf", "cards/sport.pdf", programme)
    assert [f for f in findings if f.level == "error" or "Paid for" in f.what or "imprint" in f.what] == []


BOX = "border: 0.75pt solid black; padding: 1mm; display: inline-block; font-size: {size}pt; color: {colour}"


def disclaimer(style: str) -> str:
    return f'<p><span style="{style}">Paid for by Friends of Jane Doe</span> Printed by Acme Print</p>'


def test_the_us_disclaimer_must_sit_in_a_ruled_box(tmp_path):
    programme = programme_of(tmp_path, **US)
    assert findings(programme, render(disclaimer(BOX.format(size=8, colour="device-cmyk(0 0 0 1)")))) == []
    unruled = findings(programme, render(disclaimer("font-size: 8pt; background: device-cmyk(0 0 0 0)")))
    assert unruled == [("p1: the « Paid for by Friends of Jane Doe » disclaimer is not in a printed box set apart "
                        "(a ruled border around it; 11 CFR 110.11(c)(2)(ii))")]


def test_the_us_disclaimer_must_be_legible_black_on_white(tmp_path):
    programme = programme_of(tmp_path, **US)
    assert findings(programme, render(disclaimer(BOX.format(size=6.5, colour="device-cmyk(0 0 0 1)")))) == [
        "p1: the « Paid for by Friends of Jane Doe » disclaimer is set at 6.5 pt, below 7 pt (11 CFR 110.11(c)(2)(i))"]
    grey = BOX.format(size=8, colour="device-cmyk(0 0 0 0.4)")
    assert findings(programme, render(disclaimer(grey))) == [
        "p1: the « Paid for by Friends of Jane Doe » disclaimer is not black on white (11 CFR 110.11(c)(2)(iii))"]
    on_grey = BOX.format(size=8, colour="device-cmyk(0 0 0 1)") + "; background: device-cmyk(0 0 0 0.3)"
    assert findings(programme, render(disclaimer(on_grey))) == [
        "p1: the « Paid for by Friends of Jane Doe » disclaimer is not black on white (11 CFR 110.11(c)(2)(iii))"]


def test_a_us_file_without_the_disclaimer_is_an_error_and_france_is_not_asked(tmp_path):
    programme = programme_of(tmp_path, **US)
    assert findings(programme, render("<p>Printed by Acme Print</p>")) == [
        "p0: no « Paid for by Friends of Jane Doe » disclaimer (11 CFR 110.11(b))"]


# United Kingdom: printer, promoter and on whose behalf, with addresses


def test_a_uk_card_prints_the_imprint_with_printer_promoter_and_candidate(tmp_path):
    root = make_small(tmp_path / "gb", **GB)
    result = run_printkit("build", "cards", "--theme", "sport", "--out", str(tmp_path / "out"), cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    text = pdf_text(tmp_path / "out" / "cards" / "sport.pdf")
    assert ("Promoted by Sam Agent, 2 High St, Barchester BA1 1AA, on behalf of Jo Candidate, 3 Low Rd, "
            "Barchester BA1 2BB. Printed by Acme Print, 1 Main St, Springfield") in text


def test_a_uk_file_without_its_promoter_is_an_error(tmp_path):
    programme = programme_of(tmp_path, **GB)
    assert findings(programme, render("<p>Printed by Acme Print</p>")) == [
        ("p0: no « Promoted by Sam Agent, 2 High St, Barchester BA1 1AA » in the imprint "
         "(Representation of the People Act 1983, s.110)"),
        ("p0: the imprint does not say on whose behalf it is published (Jo Candidate; "
         "Representation of the People Act 1983, s.110)")]


@pytest.mark.parametrize("left_out, key, at, why", [
    # a key left out is reported where the imprint mapping begins, one left empty where its value is
    ("publisher_address", "publisher_address", "printer_name",
     "the UK imprint gives the promoter's address (Representation of the People Act 1983, s.110)"),
    (None, "on_behalf_of_address", "on_behalf_of_address", "imprint.on_behalf_of is given without its address"),
])
def test_a_uk_imprint_without_a_required_address_is_an_error_at_its_line(tmp_path, left_out, key, at, why):
    imprint = {name: value for name, value in GB["imprint"].items() if name != left_out} | (
        {} if left_out else {key: None})
    root = make_small(tmp_path, locale="en-GB", imprint=imprint)
    result = run_printkit("build", "cards", "--out", str(tmp_path / "out"), cwd=root)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    lines = (root / "programme" / "campaign.yaml").read_text().splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.startswith(f"  {at}:"))
    assert f"campaign.yaml:{line}:" in result.stderr and f"imprint.{key} is required: {why}" in result.stderr


# French rules stay in France


NAVY_AND_RED = {"brand": [100, 80, 0, 30], "accent": [0, 22, 100, 0],
                "themes": {"ecologie": [80, 0, 95, 50], "sport": [0, 100, 90, 15]}}


@pytest.mark.parametrize("jurisdiction, warned", [("fr", True), ("us", False)])
def test_r27_warns_of_blue_beside_red_in_france_only(tmp_path, jurisdiction, warned):
    root = make_small(tmp_path, jurisdiction=jurisdiction, colours=NAVY_AND_RED)
    warnings = read_programme(root / "programme")[1]
    assert any("Code électoral R27" in w.message for w in warnings) == warned


@pytest.mark.parametrize("today, warned", [
    (datetime.date(2026, 3, 13), []), (datetime.date(2026, 3, 14), ["2026-03-15"]),
    (datetime.date(2026, 3, 15), ["2026-03-15"]), (datetime.date(2026, 3, 16), []),
    (datetime.date(2026, 3, 21), ["2026-03-22"]), (datetime.date(2026, 3, 23), []),
])
def test_l49_warns_while_today_falls_in_a_rounds_silence(tmp_path, today, warned):
    programme = programme_of(tmp_path)  # rounds on 15 and 22 March 2026
    whats = [f.what for f in silence_findings(programme, today)]
    assert [what.split("round of ")[1][:10] for what in whats] == warned
    assert all("Code électoral L49" in what and f"today ({today})" in what for what in whats)


def test_l49_is_french_law_only(tmp_path):
    assert silence_findings(programme_of(tmp_path, **US), datetime.date(2026, 3, 14)) == []


@pytest.mark.parametrize("changes, closing", [({}, "Ne pas jeter sur la voie publique"),
                                              (US, "Paid for by Friends of Jane Doe"),
                                              (GB, "Promoted by Sam Agent, 2 High St, Barchester BA1 1AA")])
def test_a_mail_merge_s_first_letter_ends_with_its_jurisdiction_s_mention(tmp_path, changes, closing):
    programme = programme_of(tmp_path, **changes)
    letter = f'<p style="break-after: page">Madame,</p><p style="break-after: page">{closing}</p>'
    with CheckedPdf("letters/x.pdf", stamped(render(letter * 3), SUBJECTS["letters/x.pdf"])) as checked:
        assert first_letter(checked, programme) == range(2)


def test_every_imprint_key_is_checked_against_the_fonts_before_rendering(tmp_path):
    programme = programme_of(tmp_path, **GB | {"imprint": GB["imprint"] | {"on_behalf_of_address": "3 Low Rd ✿"}})
    assert [f.what for f in coverage_findings(programme, BUILTIN_FONTS)] == [
        "campaign.yaml: no glyph in the bundled fonts for ✿ (U+273F)"]
