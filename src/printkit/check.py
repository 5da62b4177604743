"""Stage 6: preflight. What a printer would check, on the laid-out boxes and on the PDFs themselves.

Layout checks read WeasyPrint's boxes (text or QR code outside the safe zone, text too
small). Document checks read the written PDF as a printer does: every QR code decoded
from pixels by zxing-cpp, fonts, boxes, colours, the legal imprint.
"""

import io
from pathlib import Path
from urllib.parse import urlsplit

import pikepdf
import pypdfium2 as pdfium
import zxingcpp
from weasyprint import Document
from weasyprint.formatting_structure import boxes

from .errors import Finding
from .model import Programme
from .datacheck import coverage_findings, data_findings
from .textcheck import text_findings
from .urls import measure_url, programme_url, theme_url

PT_PER_MM = 72 / 25.4
PX_PER_PT = 4 / 3
MIN_TEXT_PT = 6
QR_DPI = 300
EXEMPT_CLASSES = {"build-stamp"}  # belongs in the bleed, trimmed off on purpose
PROOF_MARGIN_BOX = "@top-center"  # the proof banner, never on a final file
ONE_INK_BELOW_PT = 9  # smaller text in several inks blurs with the slightest misregistration on offset
REVERSED_MIN_PT = 8  # white text on a colour: at least 8 pt bold
BOLD = 700


# layout time


def layout_findings(document: Document, name: str, safe_mm: float) -> list[Finding]:
    """Text or QR codes outside the safe zone, or set below the minimum size, from the real boxes."""
    findings = []
    for number, page in enumerate(document.pages, 1):
        safe = _safe_rect(page, safe_mm * PT_PER_MM)
        for box, measure in _content_boxes(page._page_box, None):
            findings += _box_findings(box, measure, safe, name, number)
    return sorted(set(findings))


def _safe_rect(page, safe: float) -> tuple[float, float, float, float]:
    bleed = page.bleed
    return (bleed["left"] + safe, bleed["top"] + safe,
            page.width - bleed["right"] - safe, page.height - bleed["bottom"] - safe)


def _content_boxes(box, measure):
    element = getattr(box, "element", None)
    classes = set((element.get("class") or "").split()) if element is not None else set()
    if classes & EXEMPT_CLASSES or (isinstance(box, boxes.MarginBox) and box.at_keyword == PROOF_MARGIN_BOX):
        return
    if element is not None and (element.get("id") or "").startswith("mesure-"):
        measure = element.get("id").removeprefix("mesure-")
    if isinstance(box, (boxes.TextBox, boxes.ReplacedBox)):
        yield box, measure
    for child in getattr(box, "children", ()):
        yield from _content_boxes(child, measure)


def _box_findings(box, measure: str | None, safe: tuple, name: str, page: int) -> list[Finding]:
    x, y = box.border_box_x(), box.border_box_y()
    right, bottom = x + box.border_width(), y + box.border_height()
    what = f"measure {measure}" if measure else _describe(box)
    findings = []
    tolerance = 0.5
    if x < safe[0] - tolerance or y < safe[1] - tolerance or right > safe[2] + tolerance or bottom > safe[3] + tolerance:
        findings.append(Finding(name, page, "error", f"{what} runs outside the safe zone "
                                                     f"({_distance(x, y, right, bottom, safe):.1f} mm past it)"))
    size_pt = box.style["font_size"] / PX_PER_PT
    if isinstance(box, boxes.TextBox) and box.text.strip() and size_pt < MIN_TEXT_PT - 0.01:
        findings.append(Finding(name, page, "error", f"{what} is set at {size_pt:.1f} pt, below {MIN_TEXT_PT} pt"))
    if isinstance(box, boxes.TextBox) and any(c.isalnum() for c in box.text):
        findings += _ink_findings(box.style, what, size_pt, name, page)
    return findings


def _ink_findings(style, what: str, size_pt: float, name: str, page: int) -> list[Finding]:
    """Small letters in more than one ink, and reversed letters too small or too light (squares and dashes aside).
    RGB text is left to the document checks (RGB black, RGB in PDF/X-1a)."""
    colour = style["color"]
    white = tuple(colour.coordinates) == ((0, 0, 0, 0) if colour.space == "device-cmyk" else (1, 1, 1))
    inks = sum(ink > 0 for ink in colour.coordinates) if colour.space == "device-cmyk" else 0
    if size_pt < ONE_INK_BELOW_PT and inks > 1:
        return [Finding(name, page, "error", f"{what}: {size_pt:.1f} pt text printed in {inks} inks; "
                                             f"below {ONE_INK_BELOW_PT} pt, text takes one ink or black")]
    if white and (size_pt < REVERSED_MIN_PT - 0.01 or style["font_weight"] < BOLD):
        return [Finding(name, page, "error", f"{what}: reversed (white) text at {size_pt:.1f} pt, weight "
                                             f"{style['font_weight']}; it needs {REVERSED_MIN_PT} pt bold at least")]
    return []


def _describe(box) -> str:
    if isinstance(box, boxes.TextBox):
        return f"text « {box.text.strip()[:40]} »"
    return "a QR code" if "qr" in (box.element.get("class") or "") else "an image"


def _distance(x: float, y: float, right: float, bottom: float, safe: tuple) -> float:
    return max(safe[0] - x, safe[1] - y, right - safe[2], bottom - safe[3]) / PT_PER_MM


# documents


def expected_urls(programme: Programme, name: str) -> tuple[set[str], set[str]]:
    """The URLs a file's QR codes may encode, and those it must encode, from its name in output/."""
    parts = Path(name).parts
    slug = Path(name).stem
    if parts[0].startswith("booklet"):
        required = {measure_url(programme, m, "livret") for m in programme.measures}
        return required | {programme_url(programme, "livret")}, required
    if parts[0] == "leaflets" and slug in {t.slug for t in programme.themes}:
        theme = programme.theme(slug)
        required = {measure_url(programme, m, "tract") for m in programme.measures_of(slug)}
        required.add(theme_url(programme, theme, "tract"))
        return required | {programme_url(programme, "tract")}, required
    cards = {theme_url(programme, t, "carte") for t in programme.themes} | {programme_url(programme, "carte")}
    if slug == "programme":
        return {programme_url(programme, "carte")}, {programme_url(programme, "carte")}
    if slug in {t.slug for t in programme.themes}:
        url = theme_url(programme, programme.theme(slug), "carte")
        return {url}, {url}
    return cards, cards


def check_pdf(path: Path, name: str, programme: Programme) -> list[Finding]:
    """Every document check on one written PDF."""
    data = path.read_bytes()
    findings = _qr_findings(data, name, programme)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        findings += _font_findings(pdf, name) + _geometry_findings(pdf, name, programme)
        findings += _colour_findings(pdf, name)
    findings += _imprint_findings(data, name, programme) + text_findings(data, name)
    return findings


def _qr_findings(data: bytes, name: str, programme: Programme) -> list[Finding]:
    allowed, required = expected_urls(programme, name)
    website = urlsplit(programme.campaign.website).netloc
    findings, seen = [], set()
    document = pdfium.PdfDocument(data)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        drawn = [_drawn_images(page.obj) for page in pdf.pages]
    for index in range(len(document)):
        image = document[index].render(scale=QR_DPI / 72, grayscale=True).to_pil()
        decoded = [code.text for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]
        seen.update(decoded)
        if len(decoded) < drawn[index]:
            findings.append(Finding(name, index + 1, "error", f"{drawn[index] - len(decoded)} of {drawn[index]} "
                                                               f"QR codes do not decode at {QR_DPI} dpi"))
        for url in decoded:
            parts = urlsplit(url)
            if parts.scheme != "https" or parts.netloc != website or url not in allowed:
                findings.append(Finding(name, index + 1, "error", f"QR code leads to an unexpected address: {url}"))
    for url in sorted(required - seen):
        findings.append(Finding(name, 0, "error", f"no QR code for {url}"))
    return findings


def _drawn_images(owner) -> int:
    xobjects = owner.get("/Resources", {}).get("/XObject", {})
    count = 0
    for operands, _ in pikepdf.parse_content_stream(owner, "Do"):
        if str(operands[0]) in xobjects:
            target = xobjects[str(operands[0])]
            count += 1 if target.get("/Subtype") == "/Image" else _drawn_images(target)
    return count


def _font_findings(pdf: pikepdf.Pdf, name: str) -> list[Finding]:
    findings = set()
    for number, page in enumerate(pdf.pages, 1):
        for font in _fonts(page.obj):
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get("/FontDescriptor")
                if descriptor is None or not {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys()):
                    findings.add(Finding(name, number, "error", f"font {font.get('/BaseFont')} is not embedded"))
    return sorted(findings)


def _fonts(owner):
    resources = owner.get("/Resources", {})
    yield from resources.get("/Font", {}).values()
    for xobject in resources.get("/XObject", {}).values():
        if xobject.get("/Subtype") == "/Form":
            yield from _fonts(xobject)


def _geometry_findings(pdf: pikepdf.Pdf, name: str, programme: Programme) -> list[Finding]:
    findings = []
    bleed = programme.campaign.printing.bleed_mm
    imposed = "imposed" in name or "sheets" in name
    for number, page in enumerate(pdf.pages, 1):
        if "/TrimBox" not in page.obj or "/BleedBox" not in page.obj and not imposed:
            findings.append(Finding(name, number, "error", "no TrimBox or no BleedBox"))
            continue
        if not imposed:
            trim, box = [float(v) for v in page.obj.TrimBox], [float(v) for v in page.obj.BleedBox]
            given = (trim[0] - box[0]) / PT_PER_MM
            if abs(given - bleed) > 0.05:
                findings.append(Finding(name, number, "error", f"bleed is {given:.1f} mm, not the {bleed:g} mm asked"))
    if name == "booklet.pdf" and len(pdf.pages) % 4:
        findings.append(Finding(name, 0, "error", f"{len(pdf.pages)} pages: a saddle-stitched booklet needs a multiple of 4"))
    return findings


def _colour_findings(pdf: pikepdf.Pdf, name: str) -> list[Finding]:
    x1a = str(pdf.open_metadata().get("pdfxid:GTS_PDFXVersion", "")).startswith("PDF/X-1")
    findings = set()
    for number, page in enumerate(pdf.pages, 1):
        for problem in _colour_problems(page.obj, x1a):
            findings.add(Finding(name, number, "error", problem))
    return sorted(findings)


def _colour_problems(owner, x1a: bool):
    for operands, operator in pikepdf.parse_content_stream(owner, "rg RG k K"):
        op, values = str(operator), [float(v) for v in operands]
        if op in ("rg", "RG") and values == [0, 0, 0]:
            yield "RGB black: black must be 100 % K only"
        elif op in ("rg", "RG") and x1a:
            yield "RGB colour in a PDF/X-1a file"
        elif op in ("k", "K") and len(values) == 4 and values[3] >= 0.95 and sum(values[:3]) > 0:
            yield "rich black: black must be 100 % K only"
    for xobject in owner.get("/Resources", {}).get("/XObject", {}).values():
        if xobject.get("/Subtype") == "/Form":
            yield from _colour_problems(xobject, x1a)
        elif x1a and xobject.get("/ColorSpace") == "/DeviceRGB":
            yield "RGB image in a PDF/X-1a file"


def _imprint_findings(data: bytes, name: str, programme: Programme) -> list[Finding]:
    document = pdfium.PdfDocument(data)
    text = "".join(_trimmed_text(document[i]) for i in range(len(document)))
    imprint = programme.campaign.imprint
    findings = []
    if _squeeze("Ne pas jeter sur la voie publique") not in text:
        findings.append(Finding(name, 0, "error", "no « Ne pas jeter sur la voie publique »"))
    if imprint.complete and _squeeze(imprint.printer_name) not in text:
        findings.append(Finding(name, 0, "error", "the printer's name and address (legal imprint) are missing"))
    elif not imprint.complete and "ÉPREUVE" not in text:
        findings.append(Finding(name, 0, "error", "no printer in campaign.yaml and no proof mark (ÉPREUVE)"))
    return findings


def _trimmed_text(page) -> str:
    """The text inside the trim box only (the build stamp in the bleed is cut off), without spaces."""
    left, bottom, right, top = page.get_trimbox()
    return _squeeze(page.get_textpage().get_text_bounded(left, bottom, right, top))


def _squeeze(text: str) -> str:
    return "".join(text.split())


# printkit check


def check_outputs(paths: list[Path], programme: Programme, warnings: list, fonts: Path) -> list[Finding]:
    """Data checks, then document checks on every PDF under the given files and folders."""
    findings = data_findings(programme, warnings) + coverage_findings(programme, fonts)
    for path, name in _pdfs(paths):
        findings += check_pdf(path, name, programme)
    return findings


def _pdfs(paths: list[Path]):
    for path in paths:
        if path.is_dir():
            for pdf in sorted(path.rglob("*.pdf")):
                yield pdf, str(pdf.relative_to(path))
        else:
            yield path, str(Path(path.parent.name, path.name)) if path.parent.name in ("leaflets", "cards") else path.name
