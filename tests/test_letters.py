"""Letters: references found and checked, the letter laid out and checked, mail merge, register."""

import dataclasses
import hashlib
import io
import json
import logging
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
import zxingcpp
from conftest import FIXTURES, ROOT, make_designer, make_small, run_printkit
from pdfcheck import chars_fonts, words_box_mm

from printkit.builtin import BUILTIN_FONTS, BUILTIN_LAYOUTS
from printkit.errors import InvalidInput
from printkit.letters.recipients import read_recipients
from printkit.letters.source import read_letter
from printkit.programme.loader import read_programme

MM = 72 / 25.4
SEED = FIXTURES / "letter-arpe.txt"
FRONT = "---\nto: |\n  Madame la Présidente\n  92140 CLAMART\nsubject: Une réponse\ndate: 2026-03-01\nplace: Clamart\nsignature: La liste\n---\n"


@pytest.fixture(scope="module")
def programme():
    return read_programme(ROOT / "programme")[0]


@pytest.fixture
def letters(project: Path) -> Path:
    shutil.copytree(ROOT / "letters", project / "letters")
    return project


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def cited(tmp_path: Path, programme, body: str) -> tuple[int, ...]:
    return read_letter(write(tmp_path, "l.md", FRONT + body), programme, BUILTIN_FONTS).cited


def problems(tmp_path: Path, programme, text: str) -> list[str]:
    with pytest.raises(InvalidInput) as error:
        read_letter(write(tmp_path, "l.md", text), programme, BUILTIN_FONTS, "l.md")
    return [str(p) for p in error.value.problems]


# references


@pytest.mark.parametrize("body, numbers", [
    ("Notre mesure 89 le dit.", (89,)),
    ("la crèche (**mesure 11**), et", (11,)),
    ("nos mesures 11, 17 et 81 le disent", (11, 17, 81)),
    ("nos mesures 61 et 62.", (61, 62)),
    ("la *mesure\n89* encore", (89,)),
    ("des jeunes (**me-**\nsure 81). Nous", (81,)),
    ("des jeunes (**me-**\n\n\n\nsure 81). Nous", (81,)),
    ("Mesures 3, 4 ou 5", (3, 4, 5)),
    ("un programme de 104 mesures. Les mesures ciblées", ()),
    ("mesure 89, puis mesure 11 et encore la mesure 89", (89, 11)),
])
def test_references_as_people_write_them(tmp_path, programme, body, numbers):
    assert cited(tmp_path, programme, body) == numbers


@pytest.fixture(scope="module")
def english(programme):
    """The real programme, for a campaign whose locale is en-US."""
    return dataclasses.replace(programme, campaign=dataclasses.replace(programme.campaign, locale="en-US"))


FRONT_EN = FRONT.replace("Madame la Présidente\n  92140 CLAMART", "Ms Jane Roe\n  SPRINGFIELD IL 62701")


@pytest.mark.parametrize("body, numbers", [
    ("Our measure 2 says so.", (2,)),
    ("Measure 2 says so.", (2,)),
    ("our measures 6 and 25.", (6, 25)),
    ("measures 6, 7 and 25 say so", (6, 7, 25)),
    ("measures 6, 7, and 25 say so", (6, 7, 25)),
    ("MEASURES 6 or 7", (6, 7)),
    ("the nursery (**measure 11**), and", (11,)),
    ("the *measure\n89* again", (89,)),
    ("young people (**mea-**\nsure 81). We", (81,)),
    ("measure #12 and measures No. 6 and #25", (12, 6, 25)),
    ("measure 89, then measure 11 and measure 89 again", (89, 11)),
    ("we measured 3 streets", ()),
    ("a measurement 4 times", ()),
    ("3 measures, or 104 measures in all", ()),
    ("ranked #12 in the county", ()),
    ("la mesure 3 et nos mesures 6 et 25", ()),
    ("measures 6 et 25", (6,)),
])
def test_english_references_as_people_write_them(tmp_path, english, body, numbers):
    assert read_letter(write(tmp_path, "l.md", FRONT_EN + body), english, BUILTIN_FONTS).cited == numbers


def test_french_letters_do_not_read_english_references(tmp_path, programme):
    assert cited(tmp_path, programme, "measure 3 et measures 6 and 25, mesure 4") == (4,)


def warnings(caplog, path: Path, programme) -> list[str]:
    with caplog.at_level(logging.WARNING, logger="printkit"):
        read_letter(path, programme, BUILTIN_FONTS, "l.md")
    return [record.getMessage() for record in caplog.records]


def test_a_letter_citing_nothing_is_warned_of(tmp_path, english, caplog):
    found = warnings(caplog, write(tmp_path, "l.md", FRONT_EN + "We thank you.\n\nWe measured 3 streets.\n"), english)
    assert found == [("l.md: cites no measure, so its annex is empty (a reference is written « measure 12 » "
                      "or « measures 6 and 25 »)")]


@pytest.mark.parametrize("body, campaign, expected", [
    ("Thanks.\n\nSee our (**mesure 3**).\n", "english",
     ("l.md:12:12: « mesure 3 » cites a measure in French, but this letter is in English (the campaign's locale): "
      "it is not read as a reference")),
    ("Merci.\n\nVoir nos *measures 3\nand 4*.\n", "programme",
     "l.md:12:11: « measures 3 and 4 » cites a measure in English, but this letter is in French"),
])
def test_a_reference_in_the_other_language_is_pointed_at(tmp_path, caplog, request, body, campaign, expected):
    front = FRONT_EN if campaign == "english" else FRONT
    found = warnings(caplog, write(tmp_path, "l.md", front + body), request.getfixturevalue(campaign))
    assert found[0].startswith(expected), found
    assert found[1].startswith("l.md: cites no measure"), found


def test_a_letter_citing_a_measure_gets_no_warning(tmp_path, programme, caplog):
    assert warnings(caplog, write(tmp_path, "l.md", FRONT + "Voir la mesure 3.\n"), programme) == []


def test_the_cli_warns_of_a_letter_that_cites_nothing(letters, tmp_path):
    write(letters / "letters", "vide.md", FRONT + "Merci de votre lettre.\n\nVoir notre measure 3.\n")
    result = run_printkit("letter", "letters/vide.md", "--out", str(tmp_path / "out"), cwd=letters, check=True)
    assert "letters/vide.md:12:12: « measure 3 » cites a measure in English, but this letter is in French" in result.stderr
    assert "letters/vide.md: cites no measure, so its annex is empty" in result.stderr

def test_unknown_measures_are_all_reported_with_line_and_column(tmp_path, programme):
    found = problems(tmp_path, programme, FRONT + "Texte.\n\nLa mesure 122 et nos *mesures* 11 et 130.\n")
    assert found == ["l.md:12:11: measure 122 is not in the programme (measures 1 to 104)",
                     "l.md:12:38: measure 130 is not in the programme (measures 1 to 104)"]


def test_the_cli_refuses_an_unknown_measure_and_writes_nothing(letters, tmp_path):
    write(letters / "letters", "faux.md", FRONT + "Voir la mesure 122.\n")
    result = run_printkit("letter", "letters/faux.md", "--out", str(tmp_path / "out"), cwd=letters)
    assert result.returncode == 1
    assert "letters/faux.md:10:16: measure 122 is not in the programme" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


# front matter and body


@pytest.mark.parametrize("front, expected", [
    ("subject: [a, b]\ndate: 2026-03-01\nplace: Clamart\nsignature: X\nto: A\n", "l.md:2:10: subject must be text"),
    ("to: A\nsubject: S\ndate: 2026-03-01\nplace: P\nsignature: X\ncolour: red\n", "l.md:7:1: unknown key 'colour'"),
    ("subject: S\ndate: 2026-03-01\nplace: P\nsignature: X\n", "l.md:2:1: the front matter lacks the key 'to'"),
    ("to: A\nsubject: S\ndate: le 1er mars\nplace: P\nsignature: X\n", "l.md:4:7: date must be a date written YYYY-MM-DD"),
    ("to: A\nsubject: S\ndate: 2026-02-30\nplace: P\nsignature: X\n", "l.md:4:7: date must be a date written YYYY-MM-DD"),
    ("to: A\nsubject: S\ndate: 2026-03-01\nplace: P\nsignature: X\ngreeting: \"Chère {nom\"\n", "l.md:7:11: greeting:"),
    ("to: A\nsubject: S\ndate: 2026-03-01\nplace: P\nsignature: X\ngreeting: \"{0},\"\n", "l.md:7:11: greeting: '{0}'"),
    ("to: |\n  " + "x" * 39 + "\nsubject: S\ndate: 2026-03-01\nplace: P\nsignature: X\n", "l.md:2:5: to: line"),
])
def test_front_matter_errors_point_at_their_line(tmp_path, programme, front, expected):
    found = problems(tmp_path, programme, "---\n" + front + "---\nCorps.\n")
    assert any(p.startswith(expected) for p in found), found


def test_headings_lists_and_emphasis_render(tmp_path, programme):
    letter = read_letter(write(tmp_path, "l.md", FRONT + "## Nos engagements\n\n- *un*\n- **deux**\n\n1. trois\n"),
                         programme, BUILTIN_FONTS)
    assert "<h2>Nos engagements</h2>" in letter.body
    assert "<li><em>un</em></li>" in letter.body and "<strong>deux</strong>" in letter.body and "<ol>" in letter.body


def test_raw_html_prints_literally(tmp_path, programme):
    letter = read_letter(write(tmp_path, "l.md", FRONT + "Un <b>mot</b> et <script>x()</script>.\n"),
                         programme, BUILTIN_FONTS)
    assert "<b>" not in letter.body and "&lt;b&gt;mot&lt;/b&gt;" in letter.body
    assert "<script>" not in letter.body


@pytest.mark.parametrize("body, expected", [
    ("![logo](https://example.org/logo.png)\n", "an image to 'https://example.org/logo.png' is refused"),
    ("![logo](../../secret.png)\n", "an image to '../../secret.png' is refused"),
    ("![logo](..%2F..%2Fsecret.png)\n", "an image to '..%2F..%2Fsecret.png' is refused"),
    ("[site](http://example.org)\n", "a link to 'http://example.org' is refused"),
    ("Bravo 🎉 !\n", "no glyph in the bundled fonts for 🎉"),
    ("שלום\n", "no glyph in the bundled fonts for ש"),
])
def test_remote_files_and_undrawable_text_are_refused(tmp_path, programme, body, expected):
    found = problems(tmp_path, programme, FRONT + body)
    assert any(expected in p and p.startswith("l.md:10:") for p in found), found


def test_a_character_no_font_draws_is_refused_when_the_letter_is_laid_out(letters, tmp_path):
    """The source check reads the letter as typed; an entity becomes its character in the HTML only,
    where WeasyPrint would draw it as a box: the letter is refused, as any material is, and not written."""
    write(letters / "letters", "glyphe.md", FRONT + "Un hiéroglyphe : &#x13000;.\n")
    out = tmp_path / "out"
    result = run_printkit("letter", "letters/glyphe.md", "--out", str(out), cwd=letters)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert ("letters/glyphe.pdf: WeasyPrint warned: .notdef glyph rendered for Unicode string unsupported by fonts: "
            '"\U00013000" (U+13000)') in result.stderr
    assert not list(out.rglob("glyphe.*"))


def test_a_reference_never_ends_a_line_before_its_number(tmp_path, programme):
    body = read_letter(write(tmp_path, "l.md", FRONT + "Nos **mesures 6 et 25**, la (mesure 89) et la mesure n° 11.\n"),
                       programme, BUILTIN_FONTS).body
    # the line may break before « et 25 », never between « et » and its number
    assert "mesures\u00a06 et\u00a025" in body and "(mesure\u00a089)" in body and "mesure\u00a0n°\u00a011" in body


# the seed letter, end to end


def words(text: str) -> str:
    """Text compared without spaces, hyphens (WeasyPrint hyphenates) or Markdown marks, with straight quotes
    and the capital A that French typography accents (« À vous lire ») as typed."""
    for old, new in (("’", "'"), ("…", "..."), ("*", ""), ("-", ""), ("\u2010", ""), ("^{er}", "er"), ("À", "A")):
        text = text.replace(old, new)
    return "".join(text.split())


def decoded_by_page(pdf: Path) -> list[list[str]]:
    document = pdfium.PdfDocument(pdf)
    pages = []
    for page in document:
        codes = zxingcpp.read_barcodes(page.render(scale=300 / 72, grayscale=True).to_pil(),
                                       formats=zxingcpp.BarcodeFormat.QRCode)
        pages.append([c.text for c in sorted(codes, key=lambda c: c.position.top_left.y)])
    return pages


def pdf_text(pdf: Path) -> str:
    return "".join(page.get_textpage().get_text_range() for page in pdfium.PdfDocument(pdf))


@pytest.fixture(scope="module")
def arpe(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The real campaign's letters/arpe.md laid out once by the real command line, for the tests
    that only read it: its project (as ``letters``) and what `printkit letter` returned."""
    project = tmp_path_factory.mktemp("arpe")
    shutil.copytree(ROOT / "programme", project / "programme")
    shutil.copytree(ROOT / "letters", project / "letters")
    return project, run_printkit("letter", "letters/arpe.md", "--out", str(project / "out"), cwd=project)


def plain(text: str) -> str:
    """Letters and digits only: a measure's number and title as typed and as printed, typeset and hyphenated."""
    return "".join(c for c in text.casefold() if c.isalnum())


def annexed(pdf: Path, programme) -> list[int]:
    """The measures the annex prints, each as its number then its title, in the annex's order."""
    annex = plain(pdf_text(pdf).split("Les mesures citées")[1])
    found = {annex.find(plain(f"{m.number} {m.title}")[:30]): m.number for m in programme.measures}
    return [number for at, number in sorted(found.items()) if at >= 0]


def test_arpe_builds_to_an_a4_letter_with_its_annex(arpe, programme):
    letters, result = arpe
    out = letters / "out"
    assert result.returncode == 0, result.stderr
    pdf = out / "letters" / "arpe.pdf"
    with pikepdf.open(pdf) as document:
        # the annex starts under the signature and is set compactly: three pages, not four
        assert len(document.pages) == 3
        for page in document.pages:
            trim = [float(v) for v in page.obj.TrimBox]
            assert (round((trim[2] - trim[0]) / MM), round((trim[3] - trim[1]) / MM)) == (210, 297)
            # no bleed: an office printer's « fit to page » prints the media box at 100 %, not 97.2 %
            assert [float(v) for v in page.mediabox] == trim
    text = words(pdf_text(pdf))
    seed = [p for p in SEED.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    for paragraph in seed:
        assert _printed(words(paragraph), text) or paragraph.startswith("Clamart, le"), paragraph[:60]
    assert words("Clamart, le 1er mars 2026") in text
    assert annexed(pdf, programme) == [89, 11, 17, 81, 95, 61, 62, 65]
    # one code for the whole letter, at the annex's end, saying what scanning it does
    assert decoded_by_page(pdf) == [[], [], ["https://www.clamartagauche.fr/Programme"]]
    assert words("Scannez ce code : notre programme s’ouvre en ligne, chaque mesure en détail.") in text
    assert run_printkit("check", str(pdf), cwd=letters).returncode == 0


def test_an_annex_carried_on_to_a_page_heads_it_with_its_title_continued(arpe):
    """Clamart's ARPE letter carries its annex from page 2 on to page 3, which opens under « Les
    mesures citées (suite) » in the title's face, in the top margin: it opened on measure 17 with
    nothing to say what it continued (as found with the rule switched off). Page 2, where the
    title stands, has no such head."""
    pdf = arpe[0] / "out" / "letters" / "arpe.pdf"
    texts = [page.get_textpage().get_text_range() for page in pdfium.PdfDocument(pdf)]
    assert "(suite)" not in texts[1]
    assert words_box_mm(pdf, 2, "Les mesures citées (suite)")[1] < 18  # the top margin: 18 mm


def _printed(paragraph: str, text: str) -> bool:
    """Whether a paragraph is in the text whole, or in two parts: one that ends a page and one that
    starts the next (the page's banner, folio, letterhead and address read between them)."""
    return paragraph in text or any(paragraph[:cut] in text and paragraph[cut:] in text
                                    for cut in range(20, len(paragraph) - 20))


def test_the_address_sits_in_the_envelope_window(arpe):
    letters, result = arpe
    assert result.returncode == 0, result.stdout + result.stderr
    page = pdfium.PdfDocument(letters / "out" / "letters" / "arpe.pdf")[0]
    left, bottom, right, top = page.get_trimbox()
    text = page.get_textpage()
    start = text.get_text_range().index("Association ARPE")
    x0, _, _, y1 = text.get_charbox(start)
    # La Poste's frame: 110 mm from the left edge, 55 mm from the top, 85 × 33 mm.
    assert 110 <= (x0 - left) / MM <= 118
    assert 55 + 33 / 6 <= (top - y1) / MM <= 55 + 33 / 2  # the second of three lines
    # the date under the first fold, where no ride of the sheet in its envelope shows it in the window
    # (it stood at 92 mm, under the frame but above the fold, as found with the rule switched off)
    date = text.get_charbox(text.get_text_range().index("Clamart, le"))
    assert (top - date[3]) / MM > (top - bottom) / MM / 3, (top - date[3]) / MM


def test_the_first_page_marks_the_two_folds_in_its_left_margin(arpe):
    """Two short rules in the left margin, at a third and two thirds of the page's height, where the
    letter is folded for its window envelope; and nothing else inked in that margin. Without them (as
    found with the rule switched off), whoever folds the letters by hand folds them by eye."""
    letters, _ = arpe
    dpi = 150
    image = pdfium.PdfDocument(letters / "out" / "letters" / "arpe.pdf")[0].render(scale=dpi / 72).to_pil().convert("L")
    px_mm = dpi / 25.4
    margin = image.crop((round(5 * px_mm), 0, round(12 * px_mm), image.height))
    inked = {row for row in range(margin.height) if margin.crop((0, row, margin.width, row + 1)).getextrema()[0] < 200}
    marks = sorted(row / px_mm for row in inked if row - 1 not in inked)  # each run of inked rows, by its top
    height = image.height / px_mm
    assert len(marks) == 2 and all(abs(mark - height * k / 3) < 0.7 for mark, k in zip(marks, (1, 2))), marks


@pytest.mark.parametrize("loop, finding", [
    ("measures[:-1]", "the letter cites measure 65, which its annex lacks"),
    ("measures + [programme.measure(1)]", "the annex holds measure 1, which the letter does not cite"),
    ("measures|reverse", "the annex is not in the order the letter cites its measures"),
])
def test_the_check_finds_an_annex_that_differs_from_the_citations(letters, tmp_path, loop, finding):
    template = (BUILTIN_LAYOUTS / "letter" / "letter.html").read_text()
    designer = make_designer(tmp_path, {"letter/letter.html": template.replace(
        "{% for measure in measures %}", "{% for measure in " + loop + " %}")})
    result = run_printkit("letter", "letters/arpe.md", "--layouts", str(designer), "--out", str(tmp_path / "o"),
                          cwd=letters)
    assert result.returncode == 1
    assert finding in result.stdout


@pytest.mark.parametrize("edit, findings", [
    (("{{ cited_measure(programme, measure) }}", "{{ qr_image(measure_url(measure)) }}{{ cited_measure(programme, measure) }}"),
     ["QR codes on one side, at most 1",
      "QR code leads to an unexpected address: https://www.clamartagauche.fr/Programme#mesure-89"]),
    (("{{ qr_image(online) }}", ""), ["no QR code for https://www.clamartagauche.fr/Programme"]),
], ids=["codes-beside-measures", "no-code"])
def test_the_check_finds_a_code_beside_each_measure_or_the_letters_code_missing(letters, tmp_path, edit, findings):
    """A letter carries one code, to the programme: codes back beside the annex's measures, or
    none at all, fail its check."""
    template = (BUILTIN_LAYOUTS / "letter" / "letter.html").read_text()
    assert edit[0] in template
    designer = make_designer(tmp_path, {"letter/letter.html": template.replace(*edit)})
    result = run_printkit("letter", "letters/arpe.md", "--layouts", str(designer), "--out", str(tmp_path / "o"),
                          cwd=letters)
    assert result.returncode == 1
    assert [finding for finding in findings if finding not in result.stdout] == []


# mail merge


def csv_file(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "destinataires.csv"
    path.write_bytes(text.encode(encoding))
    return path


def recipient_problems(path: Path, home: str) -> list[str]:
    """What reading a recipients file posted from ``home`` refuses, each as printed."""
    with pytest.raises(InvalidInput) as error:
        read_recipients(path, set(), BUILTIN_FONTS, home)
    return [str(p) for p in error.value.problems]


def test_bad_recipients_are_all_reported_by_row(tmp_path):
    path = csv_file(tmp_path, "nom,adresse,code_postal,ville\n"
                              "Camille Martin,2 rue de la Paix,92140,Clamart\n"
                              ",,,\n"
                              "Dominique Durand-Lefebvre-Montmorency-Saint-Cyr,1 rue X,92140,Clamart\n"
                              "Alex,3 rue Y,,Clamart\n")
    found = recipient_problems(path, "FR")
    assert found[0].startswith(f"{path}:3:1: empty row")
    assert found[1].startswith(f"{path}:4:1: line « Dominique")
    assert found[2] == f"{path}:5:1: no value in column 'code_postal'"


def test_a_french_spreadsheet_export_with_semicolons_and_a_bom(tmp_path):
    path = csv_file(tmp_path, "\ufeffNom;Complément;Adresse;Code postal;Ville\r\nÉlise Roy;;3, rue X;92140;Clamart\r\n")
    [recipient] = read_recipients(path, set(), BUILTIN_FONTS, "FR")
    assert recipient.address == ("Élise Roy", "3, rue X", "92140 CLAMART")


@pytest.mark.parametrize("text, encoding, expected", [
    ("nom,adresse,ville\nA,B,C\n", "utf-8", ":1:1: no column 'code_postal'"),
    ("nom,adresse,code_postal,ville\nÉlise,B,92140,Clamart\n", "latin-1", ":2:1: not valid UTF-8"),
    ("nom,adresse,code_postal,ville\n", "utf-8", ":1:1: no recipient"),
])
def test_unreadable_recipient_files(tmp_path, text, encoding, expected):
    with pytest.raises(InvalidInput) as error:
        read_recipients(csv_file(tmp_path, text, encoding), set(), BUILTIN_FONTS, "FR")
    assert expected in str(error.value)


def test_rows_shifted_by_a_comma_and_bad_postcodes_are_refused_at_once(letters, tmp_path):
    # An unquoted comma in a name used to shift every cell: « Dupont / Jean / 1 rue de la Paix 92140 », exit 0.
    recipients = csv_file(tmp_path, "nom,adresse,code_postal,ville,civilite\n"
                                    "Camille Martin,2 rue de la Paix,92140,Clamart,Madame\n"
                                    "Dupont, Jean,1 rue de la Paix,92140,Clamart,Monsieur\n"
                                    "Alex Roy,3 rue Y,92 140,Clamart,Madame\n"
                                    "Léa Roux,4 rue Z,92140\n"
                                    "Paul Petit,5 rue W,1000,Bourg-en-Bresse,Monsieur\n")
    out = tmp_path / "o"
    result = run_printkit("letter", "letters/arpe.md", "--recipients", str(recipients), "--out", str(out), cwd=letters)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = [line.strip() for line in result.stderr.splitlines()]
    assert f"{recipients}:3:1: 6 cells under 5 headers: a value holding a comma must be in double quotes" in lines
    assert f"{recipients}:4:1: postcode « 92 140 » is not one of FR: 5 digits (NF Z10-011)" in lines
    assert f"{recipients}:5:1: 3 cells under 5 headers: each row needs one cell per column, empty ones included" in lines
    assert any(line.startswith(f"{recipients}:6:1: postcode « 1000 »") and "leading 0" in line for line in lines)
    assert "1 rue de la Paix" not in result.stderr  # a shifted row is reported once, not as a postcode too
    assert not out.exists()


def test_the_country_column_picks_the_postcode_rule_and_adds_the_country_line(tmp_path):
    path = csv_file(tmp_path, "nom,adresse,code_postal,ville,pays\n"
                              "Élise Roy,3 rue X,92140,Clamart,\n"
                              "Jan Peeters,Rue Haute 1,1000,Bruxelles,BE\n"
                              "Anna Keller,Bahnhofstrasse 2,8001,Zürich,Suisse\n")
    recipients = read_recipients(path, set(), BUILTIN_FONTS, "FR")
    assert [r.address[-2:] for r in recipients] == [("3 rue X", "92140 CLAMART"), ("1000 BRUXELLES", "BELGIQUE"),
                                                     ("8001 ZÜRICH", "SUISSE")]
    path = csv_file(tmp_path, "nom,adresse,code_postal,ville,pays\n"
                              "A,1 rue X,92140,Bruxelles,be\n"
                              "B,2 rue Y,1000,Paris,FR\n"
                              "C,3 rue Z,12345,Atlantide,ZZ\n")
    found = recipient_problems(path, "FR")
    assert found[0] == f"{path}:2:1: postcode « 92140 » is not one of BE: 4 digits"
    assert found[1].startswith(f"{path}:3:1: postcode « 1000 » is not one of FR: 5 digits (NF Z10-011)")
    assert found[2].startswith(f"{path}:4:1: country « ZZ » unknown: give a code or a name among FR (France), MC (Monaco), BE")
    assert len(found) == 3


# postal addresses by country


@pytest.mark.parametrize("home, row, expected", [
    ("US", "Jane Roe,Apt. 4B,1201 W. Main St.,62701-1234,Springfield,IL,",
     ("JANE ROE", "1201 W MAIN ST APT 4B", "SPRINGFIELD IL 62701-1234")),
    ("US", "Dr. John O'Hara Jr.,Suite 1200 North Tower,4567 Long Avenue Northwest,20001,Washington,District of Columbia,",
     ("DR JOHN OHARA JR", "SUITE 1200 NORTH TOWER", "4567 LONG AVENUE NORTHWEST", "WASHINGTON DC 20001")),
    ("US", "Pat Doe,,123-45 Queens Blvd,11375,Forest Hills,ny,",
     ("PAT DOE", "123-45 QUEENS BLVD", "FOREST HILLS NY 11375")),
    ("US", "Élise Roy,Bât. B,3 rue X,92140,Clamart,,France", ("Élise Roy", "Bât. B", "3 rue X", "92140 CLAMART", "FRANCE")),
    ("FR", "Jane Roe,,1201 W Main St,62701,Springfield,IL,US", ("JANE ROE", "1201 W MAIN ST", "SPRINGFIELD IL 62701", "ÉTATS-UNIS")),
    ("FR", "Élise Roy,,3 rue X,92140,Clamart,,", ("Élise Roy", "3 rue X", "92140 CLAMART")),
    ("GB", "Sam Smith,Flat 2,10 Downing Street,sw1a2aa,London,,", ("Sam Smith", "Flat 2", "10 Downing Street", "LONDON", "SW1A 2AA")),
    ("US", "Sam Smith,,1 High Street,M1 1AE,Manchester,,GB", ("Sam Smith", "1 High Street", "MANCHESTER", "M1 1AE", "UNITED KINGDOM")),
])
def test_each_address_follows_its_countrys_norm(tmp_path, home, row, expected):
    path = csv_file(tmp_path, f"name,address2,address,zip,city,state,country\n{row}\n")
    [recipient] = read_recipients(path, set(), BUILTIN_FONTS, home)
    assert recipient.address == expected


def test_bad_zip_codes_and_states_are_all_reported_by_row(tmp_path):
    path = csv_file(tmp_path, "name,address,zip,city,state\n"
                              "Jane Roe,1 Main St,62701,Springfield,IL\n"
                              "John Doe,2 Main St,6270,Springfield,IL\n"
                              "Ann Lee,3 Main St,2134,Boston,MA\n"
                              "Bob Ray,4 Main St,62701-12,Springfield,IL\n"
                              "Kim Poe,5 Main St,62701,Springfield,Ilinois\n"
                              "Lou Fox,6 Main St,62701,Springfield,\n")
    found = recipient_problems(path, "US")
    zip_rule = "is not one of US: a ZIP Code of 5 digits, or ZIP+4 as 12345-6789 (Publication 28)"
    appendix = "(Publication 28, Appendix B)"
    leading_zero = "; a spreadsheet drops a leading 0 unless the column is formatted as text"
    assert found == [
        f"{path}:3:1: postcode « 6270 » {zip_rule}{leading_zero}",
        f"{path}:4:1: postcode « 2134 » {zip_rule}{leading_zero}",
        f"{path}:5:1: postcode « 62701-12 » {zip_rule}",
        f"{path}:6:1: state « Ilinois » unknown: give its two-letter abbreviation (IL, NY, DC…) or its name {appendix}",
        f"{path}:7:1: no state: a US address's last line needs its state's two-letter abbreviation (column 'state')",
    ]


def test_a_us_sheet_needs_a_state_column_and_a_gb_postcode_is_checked(tmp_path):
    path = csv_file(tmp_path, "name,address,zip,city\nJane Roe,1 Main St,62701,Springfield\n")
    assert recipient_problems(path, "US") == [f"{tmp_path / 'destinataires.csv'}:1:1: no column 'etat' (accepted names: etat, état, state)"]
    path = csv_file(tmp_path, "name,address,postcode,city\nSam Smith,1 High St,M1 1A,Manchester\n")
    assert recipient_problems(path, "GB")[0].endswith("postcode « M1 1A » is not one of GB: an outward code, a space and an "
                                                 "inward code, as SW1A 1AA (Royal Mail)")


def test_mail_merge_one_letter_per_sheet_and_one_file_each(letters, tmp_path):
    source = (letters / "letters/arpe.md").read_text().replace("greeting: Madame la Présidente,", "greeting: \"{civilite},\"")
    write(letters / "letters", "merge.md", source)
    recipients = csv_file(tmp_path, "nom,complement,adresse,code_postal,ville,civilite\n"
                                    "Camille Martin,Bât. B,2 rue de la Paix,92140,Clamart,Madame\n"
                                    "Élie Durand,,5 avenue Jean Jaurès,92140,clamart,Monsieur\n"
                                    "Zoé Ferrand,,1 place de la Mairie,92140,Clamart,Chère Zoé\n")
    out = tmp_path / "out"
    result = run_printkit("letter", "letters/merge.md", "--recipients", str(recipients), "--split", "--out", str(out),
                          cwd=letters)
    assert result.returncode == 0, result.stdout + result.stderr
    combined = pdfium.PdfDocument(out / "letters" / "merge.pdf")
    assert len(combined) == 12  # three letters of three pages, each with a blank back: one starts each sheet
    firsts = [combined[i].get_textpage().get_text_range() for i in (0, 4, 8)]
    for text, name, greeting in zip(firsts, ("Camille Martin", "Élie Durand", "Zoé Ferrand"),
                                    ("Madame,", "Monsieur,", "Chère Zoé,")):
        assert name in text and greeting in text and "Objet" in text
    assert "Bât. B\r\n2\u00a0rue de la Paix\r\n92140 CLAMART" in firsts[0]
    split = sorted((out / "letters" / "merge").glob("*.pdf"))
    assert [p.name for p in split] == ["0002-camille-martin.pdf", "0003-elie-durand.pdf", "0004-zoe-ferrand.pdf"]
    assert "Élie Durand" in pdf_text(split[1]) and len(pdfium.PdfDocument(split[1])) == 3  # sent as is: no blank back
    checked = run_printkit("check", str(out / "letters"), cwd=letters)  # the folder: named as under output/
    assert checked.returncode == 0, checked.stdout


def test_split_removes_the_letters_of_recipients_no_longer_listed(letters, tmp_path):
    rows = ["Camille Martin,2 rue de la Paix,92140,Clamart", "Élie Durand,5 avenue Jean Jaurès,92140,Clamart",
            "Zoé Ferrand,1 place de la Mairie,92140,Clamart"]
    out = tmp_path / "out"
    folder = out / "letters" / "arpe"

    def split(*listed: str):
        recipients = csv_file(tmp_path, "nom,adresse,code_postal,ville\n" + "\n".join(listed) + "\n")
        return run_printkit("letter", "letters/arpe.md", "--recipients", str(recipients), "--split", "--out", str(out),
                            cwd=letters, check=True)

    split(*rows)
    shutil.copy(folder / "0004-zoe-ferrand.pdf", folder / "zoe-annotee.pdf")  # the user's own files stay
    (folder / "0009-brouillon.pdf").write_bytes(b"%PDF-1.7 mine")
    with (folder / "0003-elie-durand.pdf").open("ab") as edited:  # and so does a split letter the user changed
        edited.write(b"% annotated\n")
    result = split(rows[0])
    pdfs = sorted(p.name for p in folder.glob("*.pdf"))
    assert pdfs == ["0002-camille-martin.pdf", "0003-elie-durand.pdf", "0009-brouillon.pdf", "zoe-annotee.pdf"]
    assert "removed 1 letter of a recipient no longer in the list" in result.stdout
    assert f"{folder / '0003-elie-durand.pdf'}: kept, since it changed after printkit wrote it" in result.stderr
    assert "removed" not in split(rows[0]).stdout


def test_a_split_record_edited_by_hand_reaches_no_file_outside_its_folder(tmp_path):
    from printkit.letters.splitfiles import RECORD, remove_stale

    folder = tmp_path / "letters" / "arpe"
    folder.mkdir(parents=True)
    for name in ("outside.pdf", "letters/arpe.pdf", "letters/arpe/0002-a.pdf"):
        (tmp_path / name).write_bytes(b"%PDF")
    digest = hashlib.sha256(b"%PDF").hexdigest()
    (folder / RECORD).write_text(json.dumps({"../../outside.pdf": digest, "../arpe.pdf": digest}))
    assert remove_stale(folder, {"0002-a.pdf": b"%PDF"}) == []
    assert (tmp_path / "outside.pdf").exists() and (tmp_path / "letters/arpe.pdf").exists()
    (folder / RECORD).write_text("[not, a, record")  # damaged: 0002-a.pdf is no longer known to be printkit's
    assert remove_stale(folder, {}) == [] and (folder / "0002-a.pdf").exists()


def test_a_column_in_the_body_is_refused(letters, tmp_path):
    write(letters / "letters", "champ.md", FRONT + "Bonjour.\n\nCher {nom}, voir la mesure 1.\n")
    recipients = csv_file(tmp_path, "nom,adresse,code_postal,ville\nA,B,92140,Clamart\n")
    result = run_printkit("letter", "letters/champ.md", "--recipients", str(recipients), "--out", str(tmp_path / "o"),
                          cwd=letters)
    assert result.returncode == 1
    assert "letters/champ.md:12:6: {nom}: only the greeting can use a recipient's column" in result.stderr


def test_mail_merge_refuses_bad_rows_and_writes_nothing(letters, tmp_path):
    recipients = csv_file(tmp_path, "nom,adresse,code_postal,ville\nA,B,92140,Clamart\n,,,\n")
    result = run_printkit("letter", "letters/arpe.md", "--recipients", str(recipients), "--out", str(tmp_path / "o"),
                          cwd=letters)
    assert result.returncode == 1 and f"{recipients}:3:1: empty row" in result.stderr
    assert not (tmp_path / "o").exists()


# register


def test_register_lists_what_each_letter_cites(letters):
    write(letters / "letters", "autre.md", FRONT + "Nos mesures 1 et 89.\n")
    result = run_printkit("letter", "--register", "--json", cwd=letters, check=True)
    data = json.loads(result.stdout)
    assert data["letters"][0] == {"letter": "arpe.md", "to": "Madame la Présidente", "date": "2026-03-01",
                                  "subject": data["letters"][0]["subject"], "measures": [89, 11, 17, 81, 95, 61, 62, 65]}
    assert data["letters"][1]["measures"] == [1, 89]
    assert 1 not in data["uncited"] and 2 in data["uncited"] and 89 not in data["uncited"]
    assert len(data["uncited"]) == 104 - 9
    table = run_printkit("letter", "--register", cwd=letters, check=True).stdout
    assert "arpe.md" in table and "measures no letter cites (95)" in table


def test_a_greeting_wider_than_the_column_is_refused(letters, tmp_path):
    source = (letters / "letters/arpe.md").read_text().replace("greeting: Madame la Présidente,", "greeting: \"{civilite},\"")
    write(letters / "letters", "merge.md", source)
    recipients = csv_file(tmp_path, "nom,adresse,code_postal,ville,civilite\nA,1 rue X,92140,Clamart,Madame\n"
                                    f"B,2 rue Y,92140,Clamart,{'Très chère et honorable présidente ' * 3}\n")
    result = run_printkit("letter", "letters/merge.md", "--recipients", str(recipients), "--out", str(tmp_path / "o"),
                          cwd=letters)
    assert result.returncode == 1
    assert f"{recipients}:3:1: the greeting « Très chère" in result.stderr and "wider than the letter's text column" in result.stderr
    assert ":2:1:" not in result.stderr
    assert not (tmp_path / "o" / "letters").exists()


def test_a_word_cut_by_a_page_break_is_warned_of(letters, tmp_path):
    source = (letters / "letters" / "arpe.md").read_text()
    (letters / "letters" / "arpe.md").write_text(source.replace("(**mesure 81**)", "(**me-**\nsure 81)"))
    result = run_printkit("letter", "letters/arpe.md", "--out", str(tmp_path), cwd=letters, check=True)
    assert "letters/arpe.md:25: « me- sure » looks like a word cut by a page break" in result.stderr


def test_a_letter_with_an_odd_page_count_gets_a_blank_back_in_a_merge():
    from printkit.letters.mailmerge import merge_letters, split_letters

    def pdf(pages: int) -> bytes:
        document = pikepdf.new()
        for _ in range(pages):
            document.add_blank_page(page_size=(595, 842))
            document.pages[-1].obj.TrimBox = pikepdf.Array([0, 0, 595, 842])
            document.pages[-1].obj.Contents = document.make_stream(b"0 0 1 1 re f")
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()

    combined = merge_letters(pdf(3), [pdf(2), pdf(1)])
    with pikepdf.open(io.BytesIO(combined)) as document:
        drawn = [sorted(page.obj.Resources.get("/XObject", {}).keys()) for page in document.pages]
        assert [float(v) for v in document.pages[3].obj.TrimBox] == [0, 0, 595, 842]
    assert drawn == [["/Letter", "/Stamp"], ["/Letter"], ["/Letter"], []] * 3
    assert [len(pikepdf.open(io.BytesIO(f)).pages) for f in split_letters(combined, 3)] == [3, 3, 3]


def test_every_kind_of_problem_is_reported_together(tmp_path, programme):
    text = FRONT.replace("date: 2026-03-01", "date: demain") + "Bravo 🎉 pour la mesure 999.\n"
    found = problems(tmp_path, programme, text)
    assert [p.split(": ")[0] for p in found] == ["l.md:6:7", "l.md:10:7", "l.md:10:24"]


def test_an_english_letter_to_a_us_address_is_laid_out_with_its_annex(tmp_path):
    project = make_small(tmp_path / "project", locale="en-US", jurisdiction="us")
    (project / "letters").mkdir()
    write(project / "letters", "reply.md", FRONT_EN.replace("Ms Jane Roe", "Ms Jane Roe") + "Dear friends,\n\n"
          "Our measures 2 and 1 answer you, and so does measure #3.\n")
    recipients = csv_file(tmp_path, "name,address2,address,city,state,zip\n"
                                    "Jane Roe,Suite 200,1201 W. Main St.,Springfield,Illinois,62701-1234\n")
    out = tmp_path / "out"
    result = run_printkit("letter", "letters/reply.md", "--recipients", str(recipients), "--out", str(out), cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "cites no measure" not in result.stderr
    first = pdfium.PdfDocument(out / "letters" / "reply.pdf")[0].get_textpage().get_text_range()
    assert "JANE ROE\r\n1201 W MAIN ST SUITE 200\r\nSPRINGFIELD IL 62701-1234" in first


def test_a_cited_measure_s_title_is_bold_on_its_lead_phrase_only(arpe):
    """The annex's « 81 Créer un guichet dédié au co-logement : … »: the lead phrase bold, the rest
    in the text's weight, as every piece sets a title; all of it stood bold."""
    letters, result = arpe
    assert result.returncode == 0, result.stdout + result.stderr
    letter = letters / "out" / "letters" / "arpe.pdf"
    last = len(pdfium.PdfDocument(letter)) - 1
    assert set(chars_fonts(letter, last, "Créer un guichet dédié")) == {"Inter-Bold"}
    assert set(chars_fonts(letter, last, "au co-logement")) == {"Inter"}  # the regular face


def test_french_ordinals_are_raised_in_the_letter(arpe):
    """« le 1er mars » and « depuis le 1er décembre »: the letters « er » printed smaller than the
    figure and above its baseline, in the date line and in the body; and in the date of the
    running line at the foot of the next pages."""
    document = pdfium.PdfDocument(arpe[0] / "out" / "letters" / "arpe.pdf")
    assert [raised_ordinals(document[index]) for index in range(len(document))] == [2, 1, 1]


def raised_ordinals(page) -> int:
    """How many « 1er » of the page print their « er » smaller than the figure, its bottom higher."""
    text = page.get_textpage()
    raised = 0
    for found in re.finditer(r"1\s*er\s", text.get_text_range()):  # the text read back may break the line before a raised part
        figure, letter = text.get_charbox(found.start()), text.get_charbox(found.end() - 3)
        if letter[1] > figure[1] + 0.5 and letter[3] - letter[1] < figure[3] - figure[1]:  # bottom higher, smaller
            raised += 1
    return raised


def test_a_short_annex_ends_with_its_closing_under_it(tmp_path):
    """Val-Fleuri's annex of three measures takes a page of its own and ends a third of the way down:
    pushed to the foot, its closing left some 110 mm of white between it and the annex, a hole in the
    page's middle (as found with the push). It follows the annex, the white at the page's foot."""
    campaign = tmp_path / "val-fleuri"
    shutil.copytree(FIXTURES / "campaigns" / "val-fleuri", campaign)
    run_printkit("letter", "letters/amicale-locataires.md", cwd=campaign, check=True)
    letter = campaign / "output" / "letters" / "amicale-locataires.pdf"
    measure, closing = words_box_mm(letter, 1, "Un bilan public"), words_box_mm(letter, 1, "Le programme complet")
    assert closing[1] - measure[3] < 15, (measure, closing)  # the last detail, its tags, the rule and the gaps
