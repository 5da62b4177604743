"""Every preflight rule fails on a small document made to break it, and stays quiet on one that keeps it.

The documents are tiny PDFs written by WeasyPrint from HTML strings, or edited with
pikepdf where WeasyPrint would not write the defect; each is checked by the real
``check_pdf`` (or the layout check, for the rules that read WeasyPrint's boxes).
"""

import base64
import io
import math
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import yaml
import zxingcpp
from PIL import Image
from weasyprint import HTML

from printkit.builtin import BUILTIN_FONTS, BUILTIN_LAYOUTS
from printkit.checks import check_pdf, layout_findings
from printkit.prepress.finish import finish_pdf, font_program, fonts, program_digest, required_versions
from printkit.products import FileSubject, product
from printkit.programme.datacheck import data_findings, proof_findings
from printkit.programme.loader import read_programme
from printkit.programme.urls import programme_url
from printkit.render.qr import qr_modules, qr_png, qr_width

from conftest import build_card, make_designer, run_printkit, write_yaml

FONTS = f"@font-face {{ font-family: Inter; src: url({(BUILTIN_FONTS / 'Inter-Regular.otf').as_uri()}) }}"
PAGE = "@page { size: A6; margin: 10mm; bleed: 3mm } body { margin: 0; font: 9pt Inter; color: device-cmyk(0 0 0 1) }"
URL = "https://www.clamartagauche.fr/Programme?theme=sport"


@pytest.fixture
def programme(small):
    return read_programme(small / "programme")[0]


def render(html: str, css: str = "") -> bytes:
    """A PDF from an HTML fragment, on an A6 page with 3 mm bleed, in the project's Inter."""
    return HTML(string=f"<style>{FONTS} {PAGE} {css}</style>{html}").write_pdf()


# What each planted file is: the checks read it in the file's metadata, as the build writes it.
SUBJECTS = {"cards/sport.pdf": FileSubject("card", "a6-card", "sport"), "booklet.pdf": FileSubject("booklet", "a5-booklet"),
            "booklet-imposed-a4.pdf": FileSubject("booklet", "a5-booklet", sheet="a4"),
            "letters/x.pdf": FileSubject("letter", "a4-letter")}


def stamped(data: bytes, subject: FileSubject) -> bytes:
    """The PDF, saying in its metadata what it is."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        subject.write(pdf.docinfo)
        buffer = io.BytesIO()
        pdf.save(buffer)
    return buffer.getvalue()


def found(tmp_path: Path, programme, data: bytes, name: str = "cards/sport.pdf") -> list[str]:
    """What check_pdf finds in a PDF saved under a name of output/, as the product that name stands for."""
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(stamped(data, SUBJECTS[name]))
    return [f"p{f.page}: {f.what}" for f in check_pdf(path, name, programme)]


def png(width: int, height: int, mode: str = "L", colour=0) -> str:
    buffer = io.BytesIO()
    Image.new(mode, (width, height), colour).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def qr(url: str, width_mm: float) -> str:
    source = "data:image/png;base64," + base64.b64encode(qr_png(url)).decode()
    return f'<img src="{source}" style="width: {width_mm}mm; image-rendering: pixelated">'


def edited(data: bytes, edit) -> bytes:
    """A PDF changed with pikepdf where WeasyPrint would not write the defect."""
    pdf = pikepdf.open(io.BytesIO(data))
    edit(pdf)
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def as_x1a(pdf: pikepdf.Pdf) -> None:
    with pdf.open_metadata() as meta:
        meta["pdfxid:GTS_PDFXVersion"] = "PDF/X-1a:2003"


def as_x4(pdf: pikepdf.Pdf) -> None:
    """A PDF/X-4 claim whose Info dictionary says what its XMP says."""
    date = "D:20260115000000+00'00"
    pdf.docinfo.update({"/Title": "Clamart", "/Trapped": pikepdf.Name("/False"), "/CreationDate": date,
                        "/ModDate": date})
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta.update({"pdfxid:GTS_PDFXVersion": "PDF/X-4", "dc:title": "Clamart", "pdf:Trapped": "False",
                     "xmp:CreateDate": "2026-01-15T00:00:00+00:00", "xmp:ModifyDate": "2026-01-15T00:00:00+00:00"})


def matching(findings: list[str], text: str) -> list[str]:
    return [f for f in findings if text in f]


# the rendered page


FULL_PAGE = "position: absolute; left: -10mm; top: -10mm; width: 105mm; height: 148mm; background: device-cmyk(0 1 0 0)"
BLEED_PAGE = "position: absolute; left: -13mm; top: -13mm; width: 111mm; height: 154mm; background: device-cmyk(0 1 0 0)"


def test_colour_stopping_at_the_trim_leaves_the_bleed_white(tmp_path, programme):
    findings = found(tmp_path, programme, render(f'<div style="{FULL_PAGE}"></div>'))
    assert "p1: bottom edge: the bleed is white over 105 mm where the page is inked at the trim " \
           "(from 0 to 105 mm along the trim)" in findings
    assert len(matching(findings, "the bleed is white")) == 4
    assert not matching(found(tmp_path, programme, render(f'<div style="{BLEED_PAGE}"></div>')), "bleed is white")


def test_text_just_outside_the_trim_is_found(tmp_path, programme):
    stamp = '<div style="position: absolute; left: 0; top: 138.6mm; font-size: 5pt">STAMP</div>'
    assert "p1: text « STAMP » within 3 mm outside the trim (bottom): a cut that drifts prints it" \
           in found(tmp_path, programme, render(stamp))
    beyond = stamp.replace("138.6mm", "141.5mm")
    assert not matching(found(tmp_path, programme, render(beyond, "@page { bleed: 6mm }")), "STAMP")


def test_ink_near_the_edge_of_an_imposed_sheet_is_found(tmp_path, programme):
    findings = found(tmp_path, programme, render(f'<div style="{BLEED_PAGE}"></div>'), "booklet-imposed-a4.pdf")
    assert "p1: ink 0.0 mm from the sheet's left edge: keep the outer 5 mm of a sheet free of ink" in findings
    inside = render('<div style="height: 40mm; background: device-cmyk(0 1 0 0)"></div>')
    assert not matching(found(tmp_path, programme, inside, "booklet-imposed-a4.pdf"), "sheet's")


def test_undecodable_qr_code_is_found(tmp_path, programme):
    findings = found(tmp_path, programme, render(f'<img src="{png(29, 29, colour=90)}" style="width: 20mm">'))
    assert "p1: 1 of 1 QR codes do not decode at 300 dpi" in findings
    assert not matching(found(tmp_path, programme, render(qr(URL, 21))), "do not decode")


def test_qr_modules_below_half_a_millimetre_are_found(tmp_path, programme):
    measure = "https://www.clamartagauche.fr/Programme#mesure-3"
    findings = found(tmp_path, programme, render(qr(measure, 16)))
    assert matching(findings, f"p1: QR code for {measure} has 0.39 mm modules, below 0.5 mm")
    assert not matching(found(tmp_path, programme, render(qr(measure, 20.5))), "mm modules")


# fonts and structure


def _two_subsets() -> bytes:
    first = pikepdf.open(io.BytesIO(render("<p>Clamart</p>")))
    second = pikepdf.open(io.BytesIO(render("<p>Gauche xyz</p>")))
    first.pages.extend(second.pages)
    buffer = io.BytesIO()
    first.save(buffer)
    return buffer.getvalue()


def test_one_subset_name_for_two_font_programs_is_found_and_finish_pdf_renames_them(tmp_path, programme):
    merged = _two_subsets()
    assert matching(found(tmp_path, programme, merged), "p0: subset name ")
    assert matching(found(tmp_path, programme, merged), "+Inter stands for 2 different font programs")
    assert not matching(found(tmp_path, programme, finish_pdf(merged, SUBJECTS["cards/sport.pdf"])), "subset name")


def test_header_older_than_the_fonts_is_found_and_finish_pdf_raises_it(tmp_path, programme):
    old = edited(render("<p>Clamart</p>"), lambda pdf: None)
    old = pikepdf.open(io.BytesIO(old))
    buffer = io.BytesIO()
    old.save(buffer, force_version="1.3", object_stream_mode=pikepdf.ObjectStreamMode.disable)
    assert "p0: the header says PDF 1.3, but OpenType font programs need PDF 1.6" \
           in found(tmp_path, programme, buffer.getvalue())
    finished = finish_pdf(buffer.getvalue(), SUBJECTS["cards/sport.pdf"])
    assert finished.startswith(b"%PDF-1.6") and finish_pdf(buffer.getvalue(), SUBJECTS["cards/sport.pdf"]) == finished
    assert not matching(found(tmp_path, programme, finished), "the header says")


def test_pdfx1a_keeps_pdf_1_4_with_its_fonts_as_bare_cff(tmp_path, programme):
    weasyprint_x1a = HTML(string=f"<style>{FONTS} {PAGE}</style><p>Clamart</p>").write_pdf(pdf_variant="pdf/x-1a")
    assert "p0: the header says PDF 1.4, but OpenType font programs need PDF 1.6" \
           in found(tmp_path, programme, weasyprint_x1a)
    finished = finish_pdf(weasyprint_x1a, SUBJECTS["cards/sport.pdf"])
    assert finished.startswith(b"%PDF-1.4") and b"/ObjStm" not in finished
    with pikepdf.open(io.BytesIO(finished)) as pdf:
        [font] = pdf.pages[0].obj.Resources.Font.values()
        assert font.DescendantFonts[0].FontDescriptor.FontFile3.Subtype == "/CIDFontType0C"
    assert not matching(found(tmp_path, programme, finished), "the header says")
    assert "Clamart" in pdfium.PdfDocument(finished)[0].get_textpage().get_text_range()


def test_unembedded_font_is_found(tmp_path, programme):
    def helvetica(pdf):
        page = pdf.pages[0]
        page.obj.Resources.Font = pikepdf.Dictionary(F9=pikepdf.Dictionary(Type=pikepdf.Name.Font,
                                                                               Subtype=pikepdf.Name.Type1,
                                                                               BaseFont=pikepdf.Name.Helvetica))
        page.contents_add(pdf.make_stream(b"BT /F9 9 Tf 40 40 Td (Clamart) Tj ET"))
    assert "p1: font /Helvetica is not embedded" in found(tmp_path, programme, edited(render("<p>x</p>"), helvetica))
    assert not matching(found(tmp_path, programme, render("<p>x</p>")), "not embedded")


# page objects


def test_small_reversed_text_is_found(tmp_path, programme):
    band = '<p style="background: device-cmyk(0 0 0 1); color: device-cmyk(0 0 0 0); font-size: {}pt">Clamart</p>'
    findings = found(tmp_path, programme, render(band.format(7)))
    assert matching(findings, "p1: white text « Clamart » at 7.0 pt, below 8 pt for reversed text, at 10 mm")
    assert not matching(found(tmp_path, programme, render(band.format(8))), "white text")


def test_image_below_300_ppi_is_found(tmp_path, programme):
    findings = found(tmp_path, programme, render(f'<img src="{png(40, 40, colour=200)}" style="width: 20mm">'))
    assert matching(findings, "p1: image of 40×40 px printed at 51 ppi, below 300 ppi, at 10 mm from the left")
    sharp = render(f'<img src="{png(240, 240, colour=200)}" style="width: 20mm">')
    assert not matching(found(tmp_path, programme, sharp), "ppi")


# content streams


def test_thin_stroked_line_is_found(tmp_path, programme):
    def hairline(pdf):
        pdf.pages[0].contents_add(pdf.make_stream(b"q 0 0 0 1 K 0.1 w 40 40 m 200 40 l S Q"), prepend=True)
    findings = found(tmp_path, programme, edited(render("<p>x</p>"), hairline))
    assert "p1: line 0.10 pt wide, below 0.25 pt, at 14 mm from the left, 14 mm from the bottom" in findings


def test_thin_border_is_found(tmp_path, programme):
    rule = '<div style="border-top: {}pt solid device-cmyk(0 0 0 1); height: 5mm"></div>'
    assert matching(found(tmp_path, programme, render(rule.format(0.1))), "p1: line 0.10 pt wide, below 0.25 pt")
    assert not matching(found(tmp_path, programme, render(rule.format(0.25))), "pt wide")


def test_total_ink_above_300_percent_is_found(tmp_path, programme):
    box = '<div style="height: 20mm; background: device-cmyk({})"></div>'
    assert "p1: 350 % total ink, above 300 %" in found(tmp_path, programme, render(box.format("1 1 1 0.5")))
    assert not matching(found(tmp_path, programme, render(box.format("0.8 0.7 0.7 0.8"))), "total ink")


def test_a_gradient_is_read_without_failing(tmp_path, programme):
    """A gradient is painted with a pattern, whose operand is a name, not a colour value."""
    gradient = render('<div style="height: 20mm; background: linear-gradient(#c00, #00c)"></div>')
    assert not matching(found(tmp_path, programme, gradient), "total ink")


def test_rgb_black_is_found(tmp_path, programme):
    assert "p1: RGB black: black must be 100 % K only" in \
        found(tmp_path, programme, render('<p style="color: rgb(0, 0, 0)">Clamart</p>'))


def test_rich_black_is_found(tmp_path, programme):
    assert "p1: rich black: black must be 100 % K only" in \
        found(tmp_path, programme, render('<p style="color: device-cmyk(0.6 0.4 0.4 1)">Clamart</p>'))


def test_rgb_colour_and_image_in_pdfx1a_are_found(tmp_path, programme):
    data = render(f'<p style="color: rgb(200, 0, 0)">Clamart</p><img src="{png(300, 300, "RGB", (200, 0, 0))}"'
                  ' style="width: 20mm">')
    findings = found(tmp_path, programme, edited(data, as_x1a))
    assert "p1: RGB colour in a PDF/X-1a file" in findings
    assert "p1: RGB image in a PDF/X-1a file" in findings
    assert not matching(found(tmp_path, programme, data), "PDF/X-1a")


def test_transparency_in_pdfx1a_is_found(tmp_path, programme):
    data = render('<div style="height: 20mm; background: device-cmyk(0 1 0 0); opacity: 0.5"></div>')
    assert "p0: transparency in a PDF/X-1a file" in found(tmp_path, programme, edited(data, as_x1a))
    assert not matching(found(tmp_path, programme, edited(render("<p>x</p>"), as_x1a)), "transparency")


def test_a_soft_mask_of_none_is_not_transparency():
    """/SMask /None is how a graphics state says "no soft mask" (ISO 32000-1, 11.6.4.3)."""
    from printkit.prepress.finish import transparent

    assert not transparent(pikepdf.Dictionary(SMask=pikepdf.Name("/None")))
    assert transparent(pikepdf.Dictionary(SMask=pikepdf.Dictionary(S=pikepdf.Name("/Luminosity"))))


def test_lab_and_icc_rgb_colour_spaces_in_pdfx1a_are_found(tmp_path, programme):
    def spaces(pdf):
        as_x1a(pdf)
        lab = pikepdf.Array([pikepdf.Name.Lab, pikepdf.Dictionary(WhitePoint=[0.9505, 1, 1.089])])
        icc = pikepdf.Array([pikepdf.Name.ICCBased, pdf.make_stream(b"profile", N=3)])
        pdf.pages[0].obj.Resources.ColorSpace = pikepdf.Dictionary(CS8=lab, CS9=icc)
    def used(pdf):
        spaces(pdf)
        pdf.pages[0].contents_add(pdf.make_stream(b"q /CS8 cs 50 0 0 sc 0 0 9 9 re f /CS9 CS 0.2 0.4 0.6 SC Q"))
    findings = found(tmp_path, programme, edited(render("<p>x</p>"), used))
    assert "p1: Lab colour space in a PDF/X-1a file" in findings
    assert "p1: RGB (ICC) colour space in a PDF/X-1a file" in findings
    declared_only = found(tmp_path, programme, edited(render("<p>x</p>"), spaces))  # as WeasyPrint declares Lab
    assert not matching(declared_only, "colour space")


# what a PDF/X claim commits a file to


def test_pdfx_claim_without_a_valid_info_dictionary_or_disagreeing_with_its_xmp_is_found(tmp_path, programme):
    def untrapped(pdf):
        as_x4(pdf)
        del pdf.docinfo["/Trapped"], pdf.docinfo["/ModDate"]
    def retitled(pdf):
        as_x4(pdf)
        pdf.docinfo.Title = "Clamart à gauche"
    data = render("<p>x</p>")
    findings = found(tmp_path, programme, edited(data, untrapped))
    assert "p0: a PDF/X file without /Trapped True or False in its Info dictionary" in findings
    assert "p0: a PDF/X file without /ModDate in its Info dictionary" in findings
    assert "p0: Info /Title « Clamart à gauche » and XMP dc:title « Clamart » disagree" in \
        found(tmp_path, programme, edited(data, retitled))
    assert not matching(found(tmp_path, programme, edited(data, as_x4)), "Info")
    # finish_pdf, which every written file goes through, fills the Info dictionary from the XMP
    assert not matching(found(tmp_path, programme, finish_pdf(edited(data, untrapped), SUBJECTS["cards/sport.pdf"])),
                        "Info")


def test_annotation_inside_the_trim_of_a_pdfx_file_is_found(tmp_path, programme):
    def marked(pdf):
        as_x4(pdf)
        mark = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name("/PrinterMark"), Rect=[0, 0, 50, 50])
        pdf.pages[0].obj.Annots = pikepdf.Array([pdf.make_indirect(mark)])
    data = render('<p><a href="https://www.clamartagauche.fr/">Clamart</a></p>')
    assert "p1: 1 annotation(s) (Link) inside the trim of a PDF/X file: only printer's marks may lie there" in \
        found(tmp_path, programme, edited(data, as_x4))
    assert not matching(found(tmp_path, programme, data), "annotation")  # a file that is not PDF/X keeps its links
    assert not matching(found(tmp_path, programme, edited(data, marked)), "annotation")
    # finish_pdf drops the links of a print master
    assert not matching(found(tmp_path, programme, finish_pdf(edited(data, as_x4), SUBJECTS["cards/sport.pdf"])),
                        "annotation")


# boxes and page count


def test_missing_trim_box_is_found(tmp_path, programme):
    def untrimmed(pdf):
        del pdf.pages[0].obj["/TrimBox"]
    assert "p1: no TrimBox or no BleedBox" in found(tmp_path, programme, edited(render("<p>x</p>"), untrimmed))


def test_wrong_bleed_is_found(tmp_path, programme):
    assert "p1: bleed is 2.0 mm, not the 3 mm asked" in \
        found(tmp_path, programme, render("<p>x</p>", "@page { bleed: 2mm }"))


def test_booklet_of_a_page_count_not_a_multiple_of_4_is_found(tmp_path, programme):
    pages = render('<p style="break-after: page">1</p><p style="break-after: page">2</p><p>3</p>')
    assert "p0: 3 pages: a saddle-stitched booklet needs a multiple of 4" in \
        found(tmp_path, programme, pages, "booklet.pdf")


# the legal imprint


def test_missing_printer_is_found_once_a_printer_is_set(small, tmp_path):
    campaign_file = small / "programme" / "campaign.yaml"
    campaign = yaml.safe_load(campaign_file.read_text())
    campaign["imprint"] |= {"printer_name": "Imprimerie Dupont", "printer_address": "1 rue de Paris, 92140 Clamart"}
    write_yaml(campaign_file, campaign)
    programme = read_programme(small / "programme")[0]
    findings = found(tmp_path, programme, render("<p>Ne pas jeter sur la voie publique</p>"))
    assert "p0: the printer's name and address (legal imprint) are missing" in findings
    signed = render("<p>Ne pas jeter sur la voie publique. Imprimerie Dupont</p>")
    assert not matching(found(tmp_path, programme, signed), "legal imprint")


def with_output_intent(data: bytes, profile: Path) -> bytes:
    """The PDF with a PDF/X output intent on ``profile``, named by its file as WeasyPrint names it."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        stream = pikepdf.Stream(pdf, profile.read_bytes())
        stream.N = 4
        name = "Artifex CMYK SWOP Profile" if profile.name == "default_cmyk.icc" else profile.stem
        pdf.Root.OutputIntents = pikepdf.Array([pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX, OutputConditionIdentifier=name, Info=name,
            DestOutputProfile=pdf.make_indirect(stream))])
        buffer = io.BytesIO()
        pdf.save(buffer)
    return buffer.getvalue()


def test_the_generic_output_intent_is_a_warning_once_a_printer_is_named(small, tmp_path):
    from printkit.programme.schema import DEFAULT_ICC

    generic, other = Path(DEFAULT_ICC), Path(DEFAULT_ICC).with_name("ps_cmyk.icc")
    page = render("<p>Ne pas jeter sur la voie publique. Imprimerie Dupont</p>")
    def intents(programme, profile: Path) -> list[str]:
        return matching(found(tmp_path, programme, with_output_intent(page, profile)), "output intent")
    proof = read_programme(small / "programme")[0]
    assert intents(proof, generic) == []  # a proof: no printer to ask yet
    campaign_file = small / "programme" / "campaign.yaml"
    campaign = yaml.safe_load(campaign_file.read_text())
    campaign["imprint"] |= {"printer_name": "Imprimerie Dupont", "printer_address": "1 rue de Paris, 92140 Clamart"}
    write_yaml(campaign_file, campaign)
    programme = read_programme(small / "programme")[0]
    warned = intents(programme, generic)
    assert len(warned) == 1 and warned[0].startswith("p0: output intent « Artifex CMYK SWOP Profile » is "
                                                     "Ghostscript's generic CMYK profile")
    assert "ask the printer for its profile" in warned[0]
    assert intents(programme, other) == []  # the printer's own profile


# layout time and data


def test_text_below_6_pt_is_found_on_the_boxes():
    document = HTML(string=f"<style>{FONTS} {PAGE}</style><p style='font-size: 5pt'>Clamart</p>").render()
    assert [f.what for f in layout_findings(document, "cards/sport.pdf", 5)] == \
           ["text « Clamart » is set at 5.0 pt, below 6 pt"]


def test_text_outside_the_safe_zone_is_found_on_the_boxes():
    document = HTML(string=f"<style>{FONTS} {PAGE}</style><p style='margin-left: -8mm'>Clamart</p>").render()
    whats = [f.what for f in layout_findings(document, "cards/sport.pdf", 5)]
    assert len(whats) == 1 and whats[0].startswith("text « Clamart » runs outside the safe zone (")


def test_the_safe_zone_is_measured_from_the_trim_in_millimetres():
    """The safe line stands the safe margin inside the trim: text 6 mm inside it is safe, text
    4 mm inside it runs 1 mm past. Read once in points and from the bleed's edge, the line stood
    6.75 mm inside the trim, and a thumb tab's pictogram 5.9 mm inside was called outside."""
    def whats(inside_mm: float) -> list[str]:
        document = HTML(string=f"<style>{FONTS} {PAGE}</style><p style='margin-left: {inside_mm - 10}mm'>Clamart</p>").render()
        return [f.what for f in layout_findings(document, "cards/sport.pdf", 5)]
    assert whats(6) == []
    assert whats(4) == ["text « Clamart » runs outside the safe zone (1.0 mm past it)"]


def test_reversed_text_below_8_pt_is_found_on_the_boxes():
    band = "background: device-cmyk(0 0 0 1); color: device-cmyk(0 0 0 0); font-weight: 700; font-size: {}pt"
    def whats(size: int) -> list[str]:
        document = HTML(string=f"<style>{FONTS} {PAGE}</style><p style='{band.format(size)}'>Clamart</p>").render()
        return [f.what for f in layout_findings(document, "cards/sport.pdf", 5)]
    assert whats(7) == ["text « Clamart »: reversed (white) text at 7.0 pt, weight 700; it needs 8 pt bold at least"]
    assert whats(8) == []


def test_small_text_in_a_tint_is_found_on_the_boxes():
    def whats(size: float, colour: str) -> list[str]:
        document = HTML(string=f"<style>{FONTS} {PAGE}</style><p style='color: {colour}; font-size: {size}pt'>"
                               "Clamart</p>").render()
        return [f.what for f in layout_findings(document, "booklet.pdf", 5)]
    assert whats(6, "device-cmyk(0 0 0 0.78)") == [
        "text « Clamart »: 6.0 pt text printed in a 78 % tint; below 9 pt, text takes one solid ink (100 %)"]
    assert whats(7.5, "device-cmyk(0 0 0 1 / 0.5)") == [
        "text « Clamart »: 7.5 pt text printed in a 50 % tint; below 9 pt, text takes one solid ink (100 %)"]
    assert whats(8.6, "device-cmyk(0 0 0 1)") == [] and whats(8.6, "device-cmyk(0 100 0 0)") == []
    assert whats(9, "device-cmyk(0 0 0 0.78)") == []  # large enough for a screen to keep its edges


def test_a_small_square_or_dash_in_several_inks_is_found_on_the_boxes():
    """A marker set as a glyph misregisters as a letter does; a drawn one is a fill, not text."""
    def whats(marker: str) -> list[str]:
        document = HTML(string=f"<style>{FONTS} {PAGE}</style><p style='font-size: 8pt'><span style='color: "
                               f"device-cmyk(0.8 0 0.95 0.5)'>{marker}</span> Clamart</p>").render()
        return [f.what for f in layout_findings(document, "booklet.pdf", 5)]
    assert whats("■") == ["text « ■ »: 8.0 pt text printed in 3 inks; below 9 pt, text takes one ink or black"]
    assert whats("–") == ["text « – »: 8.0 pt text printed in 3 inks; below 9 pt, text takes one ink or black"]
    assert whats("<span style='display: inline-block; width: 0.6em; height: 0.6em; background: "
                 "device-cmyk(0.8 0 0.95 0.5)'></span>") == []


def test_glyph_missing_from_the_fonts_in_a_layout_stops_the_build(small, tmp_path):
    builtin = (BUILTIN_LAYOUTS / "common" / "imprint.html").read_text()
    designer = make_designer(tmp_path, {"common/imprint.html": builtin + "<p>\U00013000</p>\n"})
    result = build_card(small, tmp_path, designer)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "cards/sport.pdf: WeasyPrint warned: .notdef glyph rendered" in result.stderr


def test_loader_warnings_become_findings(small):
    measures = yaml.safe_load((small / "programme" / "measures.yaml").read_text())
    measures[1]["measures"][0]["title"] = measures[0]["measures"][0]["title"]
    write_yaml(small / "programme" / "measures.yaml", measures)
    programme, warnings = read_programme(small / "programme")
    assert any("measure 3 has the same title as measure 1" in f.what and f.level == "warning"
               for f in data_findings(programme, warnings))


def test_proof_warning_while_no_printer_is_set(programme):
    assert [(f.level, f.what) for f in proof_findings(programme)] == \
           [("warning", "imprint: no printer's name and address yet, so every document is marked ÉPREUVE (proof)")]


# letters


def letter(body: str, annexed: list[int], programme) -> bytes:
    """A letter citing measures in ``body``, with an annex of the given measures (number, then title) and
    the letter's one QR code, to the programme."""
    shown = "".join(f"<p>{n} {programme.measure(n).title}</p>" for n in annexed)
    code = qr(programme_url(programme, product("letter").medium), 21)
    annex = f'<h2 style="break-before: page">Les mesures citées</h2>{shown}{code}' if annexed else ""  # as letters have it
    return render(f"<p>{body}</p>{annex}<p>Ne pas jeter sur la voie publique. ÉPREUVE</p>", "@page { size: A4 }")


def test_letter_without_its_annex_is_found(tmp_path, programme):
    assert "p0: no annex « Les mesures citées »" in \
        found(tmp_path, programme, letter("Notre mesure 1 le dit.", [], programme), "letters/x.pdf")
    annexed = found(tmp_path, programme, letter("Notre mesure 1 le dit.", [1], programme), "letters/x.pdf")
    assert not matching(annexed, "annex") and not matching(annexed, "measure")


def test_letter_citing_a_measure_not_in_the_programme_is_found(tmp_path, programme):
    findings = found(tmp_path, programme, letter("Nos mesures 1 et 99 le disent.", [1], programme), "letters/x.pdf")
    assert "p0: the letter cites measure 99, which is not in the programme" in findings
    known = found(tmp_path, programme, letter("Notre mesure 1 le dit.", [1], programme), "letters/x.pdf")
    assert not matching(known, "not in the programme")


def test_an_annexed_measure_is_read_by_its_number_and_title(tmp_path, small):
    """Two measures may share a title (Clamart's 9 and 25): the number printed before it tells
    which one the annex shows."""
    measures = yaml.safe_load((small / "programme" / "measures.yaml").read_text())
    measures[1]["measures"][0]["title"] = measures[0]["measures"][0]["title"]  # measure 3's, as measure 1's
    write_yaml(small / "programme" / "measures.yaml", measures)
    programme = read_programme(small / "programme")[0]
    findings = found(tmp_path, programme, letter("Notre mesure 3 le dit.", [1], programme), "letters/x.pdf")
    assert "p0: the letter cites measure 3, which its annex lacks" in findings
    assert "p0: the annex holds measure 1, which the letter does not cite" in findings
    shown = found(tmp_path, programme, letter("Notre mesure 3 le dit.", [3], programme), "letters/x.pdf")
    assert not matching(shown, "annex")


# QR codes sized from their version


def test_qr_width_follows_the_version_the_url_needs():
    assert qr_modules("https://www.clamartagauche.fr/Programme#mesure-104") == 41  # version 4
    assert qr_width("https://www.clamartagauche.fr/Programme#mesure-104", "var(--qr-min)") == \
           "max(var(--qr-min), 20.5mm)"
    assert qr_width("https://www.clamartagauche.fr/m1", "16mm") == "max(16mm, 18.5mm)"  # version 3


def _measure_code_widths(path: Path) -> set[float]:
    document = pdfium.PdfDocument(path)
    widths = set()
    for index in range(len(document)):
        for image in document[index].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
            left, _, right, _ = image.get_bounds()
            widths.add(round((right - left) / (72 / 25.4), 1))
    return widths


def test_a_shorter_url_template_gives_a_smaller_booklet_code(small, small_build, tmp_path):
    campaign_file = small / "programme" / "campaign.yaml"
    campaign = yaml.safe_load(campaign_file.read_text())
    campaign["urls"]["theme"] = "https://www.clamartagauche.fr/t/{slug}"  # a chapter's code is its theme's page
    write_yaml(campaign_file, campaign)
    run_printkit("build", "booklet", "--out", str(tmp_path / "short"), cwd=small)
    long, short = (_measure_code_widths(run / "booklet.pdf") for run in (small_build, tmp_path / "short"))
    assert 20.5 in long and 18.5 not in long
    assert 18.5 in short and 20.5 not in short


# the real programme, measured on its PDFs


def test_real_pdfs_declare_their_version_and_name_each_font_program_once(real_build):
    for path in sorted(real_build.rglob("*.pdf")):
        with pikepdf.open(path) as pdf:
            assert pdf.pdf_version >= max(version for version, _ in required_versions(pdf, path.read_bytes())), path
            programs: dict[str, set[str]] = {}
            for font in fonts(pdf):
                programs.setdefault(str(font.BaseFont), set()).add(program_digest(font_program(font)))
            assert programs and all(len(digests) == 1 for digests in programs.values()), path


def test_real_build_stamp_is_in_the_metadata_and_nothing_prints_beside_the_trim(real_build):
    with pikepdf.open(real_build / "booklet.pdf") as pdf:
        assert str(pdf.docinfo.Subject).startswith("Clamart à gauche ! · booklet.pdf · 2026-01-15 · programme ")
    for path in (real_build / "booklet.pdf", real_build / "leaflets" / "culture.pdf", real_build / "cards" / "sport.pdf"):
        document = pdfium.PdfDocument(path)
        for index in range(len(document)):
            page = document[index]
            left, bottom, right, top = page.get_trimbox()
            slug = 3 * 72 / 25.4
            beside = page.get_textpage().get_text_bounded(left - slug, bottom - slug, right + slug, bottom)
            assert beside.strip() == "", (path, index)


def test_real_qr_codes_are_sharp_images_with_half_millimetre_modules(real_build):
    for path in (real_build / "booklet.pdf", real_build / "leaflets" / "culture.pdf",
                 real_build / "cards" / "services-publics.pdf"):
        document = pdfium.PdfDocument(path)
        for index in range(len(document)):
            page = document[index]
            for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
                assert image.get_metadata().horizontal_dpi >= 300, (path, index)
            bitmap = page.render(scale=300 / 72, grayscale=True).to_pil()
            for code in zxingcpp.read_barcodes(bitmap, formats=zxingcpp.BarcodeFormat.QRCode):
                corners = code.position
                side = math.dist((corners.top_left.x, corners.top_left.y), (corners.top_right.x, corners.top_right.y))
                assert side / (17 + 4 * int(code.extra["Version"])) / 300 * 25.4 >= 0.495, (path, index, code.text)
