"""Preflight. What a printer would check, on the laid-out boxes and on the PDFs themselves.

Layout checks read WeasyPrint's boxes (text or QR code outside the safe zone, text too
small). Document checks read the written PDF as a printer's preflight does: every QR code
decoded from pixels by zxing-cpp and its module size measured, bleed and sheet margins on
the rendered page, fonts and their subset names, the header version, page objects
(reversed text, image resolution) through pdfium, line widths and ink totals from the
content streams, colours, the legal imprint. Each finding says file, page and where.
"""

import ctypes
import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import zxingcpp
from PIL import Image

from printkit.checks.document import RENDER_DPI, CheckedPdf
from printkit.checks.subject import FileSubject, output_name, subject_from_name
from printkit.checks.text import text_findings
from printkit.errors import Finding
from printkit.files import write_atomic
from printkit.pipeline.plan import MEDIUMS
from printkit.prepress.finish import font_program, fonts, is_pdfx1a, program_digest, required_versions, transparent
from printkit.programme.datacheck import coverage_findings, data_findings
from printkit.programme.model import Programme
from printkit.programme.urls import measure_url, programme_url, theme_url
from printkit.render.drawing import page_digests_of
from printkit.units import (MAX_INK, MIN_LINE_PT, MIN_PPI, MIN_REVERSED_PT, MIN_TEXT_PT, MM_PER_INCH,
                            ONE_INK_BELOW_PT, PT_PER_INCH, PX_PER_PT, QR_MODULE_MM, SHEET_MARGIN_MM, SLUG_MM,
                            mm_to_pt, pt_to_mm)

QR_DPI = RENDER_DPI
QR_CROP_MARGIN_PT = 3  # around each image decoded: its quiet zone is inside it, a neighbour's code stays out
PROOF_MARGIN_BOX = "@top-center"  # the proof banner, never on a final file
ANNEX_TITLE = "Les mesures citées"
BOLD = 700


# layout time


boxes = None  # weasyprint.formatting_structure.boxes, imported by layout_findings: `printkit check` alone needs no WeasyPrint


def layout_findings(document, name: str, safe_mm: float) -> list[Finding]:
    """Text or QR codes outside the safe zone, or set below the minimum size, from the real boxes of
    a WeasyPrint document."""
    global boxes
    from weasyprint.formatting_structure import boxes
    findings = []
    for number, page in enumerate(document.pages, 1):
        safe = _safe_rect(page, mm_to_pt(safe_mm))
        for box, measure in _content_boxes(page._page_box, None):
            findings += _box_findings(box, measure, safe, name, number)
    return sorted(set(findings))


def _safe_rect(page, safe: float) -> tuple[float, float, float, float]:
    bleed = page.bleed
    return (bleed["left"] + safe, bleed["top"] + safe,
            page.width - bleed["right"] - safe, page.height - bleed["bottom"] - safe)


def _content_boxes(box, measure):
    element = getattr(box, "element", None)
    if isinstance(box, boxes.MarginBox) and box.at_keyword == PROOF_MARGIN_BOX:
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
    if white and (size_pt < MIN_REVERSED_PT - 0.01 or style["font_weight"] < BOLD):
        return [Finding(name, page, "error", f"{what}: reversed (white) text at {size_pt:.1f} pt, weight "
                                             f"{style['font_weight']}; it needs {MIN_REVERSED_PT} pt bold at least")]
    return []


def _describe(box) -> str:
    if isinstance(box, boxes.TextBox):
        return f"text « {box.text.strip()[:40]} »"
    return "a QR code" if "qr" in (box.element.get("class") or "") else "an image"


def _distance(x: float, y: float, right: float, bottom: float, safe: tuple) -> float:
    return pt_to_mm(max(safe[0] - x, safe[1] - y, right - safe[2], bottom - safe[3]))


# documents


def expected_urls(programme: Programme, subject: FileSubject) -> tuple[set[str], set[str]]:
    """The URLs a file's QR codes may encode, and those it must encode."""
    if subject.kind == "letter":  # which measures a letter must show is read from its text: letter_findings
        return {measure_url(programme, m, MEDIUMS["letter"]) for m in programme.measures}, set()
    if subject.kind == "booklet":
        required = {measure_url(programme, m, MEDIUMS["booklet"]) for m in programme.measures}
        return required | {programme_url(programme, MEDIUMS["booklet"])}, required
    if subject.kind == "leaflet":
        required = {measure_url(programme, m, MEDIUMS["leaflet"]) for m in programme.measures_of(subject.theme)}
        required.add(theme_url(programme, programme.theme(subject.theme), MEDIUMS["leaflet"]))
        return required | {programme_url(programme, MEDIUMS["leaflet"])}, required
    card = MEDIUMS["card"]
    if subject.kind == "card" and subject.theme is None:
        return {programme_url(programme, card)}, {programme_url(programme, card)}
    if subject.kind == "card":
        url = theme_url(programme, programme.theme(subject.theme), card)
        return {url}, {url}
    cards = {theme_url(programme, t, card) for t in programme.themes} | {programme_url(programme, card)}
    return cards, cards


def check_pdf(path: Path, name: str, programme: Programme, readings: Path | None = None) -> list[Finding]:
    """Every document check on one written PDF, opened once; a build passes ``readings``, the
    folder where each page's rendered reading is kept by what the page draws."""
    with CheckedPdf(name, subject_from_name(name, programme), path.read_bytes()) as checked:
        return _file_findings(checked, programme, readings)


def _file_findings(checked: CheckedPdf, programme: Programme, readings: Path | None) -> list[Finding]:
    letter = checked.subject.kind == "letter"
    # A mail merge repeats one letter, laid out once, with only each address and greeting laid
    # out again (inside the window, safe-zone checked as they are laid out): its text and its
    # rendered pages are read in the first letter; the structure of every page below.
    shown = first_letter(checked) if letter else range(len(checked.pdf.pages))
    findings = _rendered_findings(checked, shown, programme, readings)
    findings += _font_findings(checked) + _geometry_findings(checked, programme) + _colour_findings(checked)
    findings += _subset_findings(checked) + _version_findings(checked) + _content_findings(checked)
    findings += _imprint_findings(checked, programme) + _object_findings(checked)
    if not checked.subject.sheet:  # imposed copies are read in their source file
        findings += text_findings(checked.document, checked.name, shown)
    if letter:
        findings += letter_findings(checked, programme)
    return findings


def _rendered_findings(checked: CheckedPdf, shown: range, programme: Programme,
                       readings: Path | None) -> list[Finding]:
    """What shows on each distinct page rendered at 300 dpi: the QR codes, the bleed, the sheet's margins."""
    allowed, required = expected_urls(programme, checked.subject)
    findings, seen, counted = [], set(), {}
    digests = page_digests_of(checked.pdf) if readings is not None else None
    for index in (i for i in checked.pages if i in shown):
        drawn = _drawn_images(checked.pdf.pages[index].obj, counted)
        kept = readings and readings / f"{digests[index]}{'-sheet' if checked.subject.sheet else ''}{_READING}"
        reading = _page_reading(checked, index, drawn > 0, kept)
        seen.update(text for text, _, _ in reading["codes"])
        if drawn:
            findings += _qr_page_findings(reading["codes"], drawn, allowed, programme, checked.name, index + 1)
        findings += [Finding(checked.name, index + 1, level, what) for level, what in reading["pixels"]]
    for url in sorted(required - seen):
        findings.append(Finding(checked.name, 0, "error", f"no QR code for {url}"))
    return findings


# A page's reading is kept by its digest (render/drawing.py) and this module's code: after a title edit
# only the booklet's changed pages, and the sheets that hold them, are rendered and read again.
_READING = f"-{hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]}.json"


def _page_reading(checked: CheckedPdf, index: int, images: bool, kept: Path | None) -> dict:
    """The QR codes (text, module size in mm, where) and the pixel problems (level, what) of a page;
    whether it draws images is part of what its digest stands for."""
    if kept is not None and kept.exists():
        return json.loads(kept.read_text())
    page, image = checked.document[index], checked.rendered(index)
    pixels = _bleed_findings(page, image, "", 0) + (_sheet_edge_findings(image, "", 0) if checked.subject.sheet else [])
    reading = {"codes": [(c.text, _module_mm(c), _px_where(c)) for c in (_codes(checked, index) if images else [])],
               "pixels": [(f.level, f.what) for f in pixels]}
    if kept is not None:
        write_atomic(kept, json.dumps(reading).encode(), durable=False)
    return reading


def _qr_page_findings(codes: list[tuple[str, float, str]], drawn: int, allowed: set[str], programme: Programme,
                      name: str, page: int) -> list[Finding]:
    website = urlsplit(programme.campaign.website).netloc
    findings = []
    if len(codes) < drawn:
        findings.append(Finding(name, page, "error", f"{drawn - len(codes)} of {drawn} QR codes do not decode at {QR_DPI} dpi"))
    for text, module, where in codes:
        parts = urlsplit(text)
        if parts.scheme != "https" or parts.netloc != website or text not in allowed:
            findings.append(Finding(name, page, "error", f"QR code leads to an unexpected address: {text}"))
        if module < QR_MODULE_MM - 0.005:
            findings.append(Finding(name, page, "error", f"QR code for {text} has {module:.2f} mm modules, below "
                                                         f"{QR_MODULE_MM} mm ({where})"))
    return findings


def _module_mm(decoded: "_Code") -> float:
    """The module size of a decoded code: its symbol's side over its module count (17 + 4 × version)."""
    code = decoded.code
    corners = code.position
    side = math.dist((corners.top_left.x, corners.top_left.y), (corners.top_right.x, corners.top_right.y))
    modules = 17 + 4 * int(code.extra["Version"])
    return side / modules / QR_DPI * MM_PER_INCH


def _px_where(decoded: "_Code") -> str:
    x, y = decoded.left + decoded.code.position.top_left.x, decoded.top + decoded.code.position.top_left.y
    return f"{x / QR_DPI * MM_PER_INCH:.0f} mm from the left, {y / QR_DPI * MM_PER_INCH:.0f} mm from the top"


@dataclass(frozen=True)
class _Code:
    """A decoded QR code, and where the crop it was decoded from sits on the page image."""

    code: object  # zxingcpp.Barcode, its position in the crop's pixels
    left: int
    top: int

    @property
    def text(self) -> str:
        """The URL the code encodes."""
        return self.code.text


def _codes(checked: CheckedPdf, index: int) -> list[_Code]:
    """The QR codes of a page as zxing-cpp decodes them, in reading order, top to bottom
    (kept: letters read the annex's again, and its order must follow the order of citation)."""
    if index not in checked.codes:
        checked.codes[index] = _decode(checked.document[index], checked.rendered(index))
    return checked.codes[index]


def _decode(page, image) -> list[_Code]:
    """Each image is decoded from a crop of the page rendered at 300 dpi around where it is
    drawn, which is everything on the page there: a twentieth of the pixels of a booklet
    page, for the same codes. A page whose images pdfium cannot place is decoded whole."""
    crops = sorted(_image_crops(page, image.size))
    if not crops:
        crops = [(0, 0, *image.size)]
    codes = []
    for top, left, right, bottom in crops:
        found = zxingcpp.read_barcodes(image.crop((left, top, right, bottom)), formats=zxingcpp.BarcodeFormat.QRCode)
        codes += [_Code(c, left, top) for c in sorted(found, key=lambda c: (c.position.top_left.y, c.position.top_left.x))]
    return codes


def _image_crops(page, size: tuple[int, int]) -> set[tuple[int, int, int, int]]:
    """(top, left, right, bottom) in pixels of each image the page draws, with QR_CROP_MARGIN_PT around it."""
    crops = set()
    for obj, matrix in _page_objects(page):
        if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            corners = [_to_pixels(page, *matrix.on_point(u, v)) for u in (0, 1) for v in (0, 1)]
            margin = round(QR_CROP_MARGIN_PT * QR_DPI / PT_PER_INCH)
            xs, ys = [x for x, _ in corners], [y for _, y in corners]
            crops.add((max(min(ys) - margin, 0), max(min(xs) - margin, 0),
                       min(max(xs) + margin, size[0]), min(max(ys) + margin, size[1])))
    return crops


def _decoded(checked: CheckedPdf, index: int) -> list[str]:
    """The texts of a page's QR codes, in reading order."""
    return [code.text for code in _codes(checked, index)]


def _drawn_images(owner, counted: dict | None = None) -> int:
    """How many images a page or form draws; ``counted`` keeps each form's count, as a
    mail merge draws the same forms on thousands of pages."""
    counted = {} if counted is None else counted
    xobjects = owner.get("/Resources", {}).get("/XObject", {})
    count = 0
    for operands, _ in pikepdf.parse_content_stream(owner, "Do"):
        if str(operands[0]) in xobjects:
            target = xobjects[str(operands[0])]
            if target.get("/Subtype") == "/Image":
                count += 1
            elif target.objgen != (0, 0) and target.objgen in counted:
                count += counted[target.objgen]
            else:
                counted[target.objgen] = _drawn_images(target, counted)
                count += counted[target.objgen]
    return count


def _font_findings(checked: CheckedPdf) -> list[Finding]:
    findings = set()
    for number, page in enumerate(checked.pdf.pages, 1):
        for font in _fonts(page.obj):
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get("/FontDescriptor")
                if descriptor is None or not {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys()):
                    findings.add(Finding(checked.name, number, "error", f"font {font.get('/BaseFont')} is not embedded"))
    return sorted(findings)


def _fonts(owner):
    resources = owner.get("/Resources", {})
    yield from resources.get("/Font", {}).values()
    for xobject in resources.get("/XObject", {}).values():
        if xobject.get("/Subtype") == "/Form":
            yield from _fonts(xobject)


def _geometry_findings(checked: CheckedPdf, programme: Programme) -> list[Finding]:
    pdf, name, findings = checked.pdf, checked.name, []
    bleed = programme.campaign.printing.bleed_mm
    imposed = checked.subject.sheet
    for number, page in enumerate(pdf.pages, 1):
        if "/TrimBox" not in page.obj or "/BleedBox" not in page.obj and not imposed:
            findings.append(Finding(name, number, "error", "no TrimBox or no BleedBox"))
            continue
        if not imposed:
            trim, box = [float(v) for v in page.obj.TrimBox], [float(v) for v in page.obj.BleedBox]
            given = pt_to_mm(trim[0] - box[0])
            if abs(given - bleed) > 0.05:
                findings.append(Finding(name, number, "error", f"bleed is {given:.1f} mm, not the {bleed:g} mm asked"))
    if checked.subject.kind == "booklet" and not imposed and len(pdf.pages) % 4:
        findings.append(Finding(name, 0, "error", f"{len(pdf.pages)} pages: a saddle-stitched booklet needs a multiple of 4"))
    return findings


def _colour_findings(checked: CheckedPdf) -> list[Finding]:
    pdf, name = checked.pdf, checked.name
    x1a = is_pdfx1a(pdf)
    findings, visited = set(), set()
    for number, page in enumerate(pdf.pages, 1):
        for problem in _colour_problems(page.obj, x1a, visited):
            findings.add(Finding(name, number, "error", problem))
    if x1a:
        findings |= {Finding(name, 0, "error", f"{problem} in a PDF/X-1a file") for problem in _x1a_problems(pdf)}
    return sorted(findings)


def _x1a_problems(pdf: pikepdf.Pdf):
    """Transparency anywhere in the file: PDF/X-1a allows none."""
    for obj in _all_objects(pdf):
        if isinstance(obj, pikepdf.Dictionary) and transparent(obj):
            yield "transparency"


def _all_objects(pdf: pikepdf.Pdf):
    """Every object of the file, direct ones inside dictionaries and arrays included."""
    seen = set()
    pending = [obj for obj in pdf.objects if isinstance(obj, (pikepdf.Dictionary, pikepdf.Array))]
    while pending:
        obj = pending.pop()
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        yield obj
        children = obj.values() if isinstance(obj, pikepdf.Dictionary) else obj
        pending += [child for child in children if isinstance(child, (pikepdf.Dictionary, pikepdf.Array))]


def _colour_problems(owner, x1a: bool, visited: set):
    """Colour problems of a page and the forms it draws, each form read once (reported on its first page)."""
    spaces = owner.get("/Resources", {}).get("/ColorSpace", {})
    for operands, operator in pikepdf.parse_content_stream(owner, "rg RG k K sc scn SC SCN cs CS"):
        if str(operator) in ("cs", "CS"):
            yield from _space_problems(spaces.get(str(operands[0]), operands[0]), x1a)
            continue
        values = [float(v) for v in operands if not isinstance(v, pikepdf.Name)]
        if len(values) == 3 and values == [0, 0, 0]:  # rg, or sc in an RGB space
            yield "RGB black: black must be 100 % K only"
        elif len(values) == 3 and x1a:
            yield "RGB colour in a PDF/X-1a file"
        elif len(values) == 4 and values[3] >= 0.95 and sum(values[:3]) > 0:  # k, or sc in a CMYK space
            yield "rich black: black must be 100 % K only"
    for xobject in owner.get("/Resources", {}).get("/XObject", {}).values():
        if xobject.get("/Subtype") == "/Form" and (xobject.objgen == (0, 0) or xobject.objgen not in visited):
            visited.add(xobject.objgen)
            yield from _colour_problems(xobject, x1a, visited)
        elif x1a and xobject.get("/ColorSpace") == "/DeviceRGB":
            yield "RGB image in a PDF/X-1a file"
        elif xobject.get("/Subtype") == "/Image" and xobject.get("/ColorSpace") is not None:
            yield from _space_problems(xobject.ColorSpace, x1a)


def _space_problems(space, x1a: bool):
    """A colour space that is used (by cs, CS or an image) and that PDF/X-1a forbids: Lab or ICC-based RGB.

    Only used ones: WeasyPrint declares two Lab spaces on every page whether it uses them or not."""
    if not x1a or not isinstance(space, pikepdf.Array) or not len(space):
        return
    if space[0] in (pikepdf.Name.Lab, pikepdf.Name.CalRGB):
        yield f"{str(space[0]).lstrip('/')} colour space in a PDF/X-1a file"
    elif space[0] == pikepdf.Name.ICCBased and space[1].get("/N") == 3:
        yield "RGB (ICC) colour space in a PDF/X-1a file"


def _imprint_findings(checked: CheckedPdf, programme: Programme) -> list[Finding]:
    imprint = programme.campaign.imprint
    needed = {"no « Ne pas jeter sur la voie publique »": _squeeze("Ne pas jeter sur la voie publique")}
    if imprint.complete:
        needed["the printer's name and address (legal imprint) are missing"] = _squeeze(imprint.printer_name)
    else:
        needed["no printer in campaign.yaml and no proof mark (ÉPREUVE)"] = "ÉPREUVE"
    text = _text_until(checked, set(needed.values()))
    return [Finding(checked.name, 0, "error", what) for what, needle in needed.items() if needle not in text]


def _text_until(checked: CheckedPdf, needles: set[str]) -> str:
    """The text inside the trim of each distinct page, read until every needle has been seen
    (a merge of 1,000 letters shows its imprint in the first one)."""
    text = ""
    for index in checked.pages:
        text += _trimmed_text(checked.document[index])
        if all(needle in text for needle in needles):
            break
    return text


def _trimmed_text(page) -> str:
    """The text inside the trim box only (the build stamp in the bleed is cut off), without spaces."""
    left, bottom, right, top = page.get_trimbox()
    return _squeeze(page.get_textpage().get_text_bounded(left, bottom, right, top))


def _squeeze(text: str) -> str:
    return "".join(text.split())


# what a printer's preflight reads: the rendered page, the page objects, the content streams

WHITE = 250  # luminance (0-255) above which a pixel carries no ink


def _to_pixels(page, x: float, y: float) -> tuple[int, int]:
    left, _, _, top = page.get_cropbox()
    scale = QR_DPI / PT_PER_INCH
    return round((x - left) * scale), round((top - y) * scale)


def _white_share(page, image, rect: tuple[float, float, float, float], along_x: bool) -> list[int]:
    """How much of a strip of the page is bare paper (0 to 255), in 1 mm steps along it.

    A share rather than a mean luminance: thin dark marks on a bare bleed (a stamp, a
    hairline) must not pass for a printed background."""
    (x0, y0), (x1, y1) = _to_pixels(page, rect[0], rect[3]), _to_pixels(page, rect[2], rect[1])
    strip = image.crop((x0, y0, max(x1, x0 + 1), max(y1, y0 + 1))).point(lambda v: 255 if v >= WHITE else 0)
    length = (rect[2] - rect[0]) if along_x else (rect[3] - rect[1])
    steps = max(1, round(pt_to_mm(length)))
    reduced = strip.resize((steps, 1) if along_x else (1, steps), resample=Image.Resampling.BOX)
    return list(reduced.tobytes())


def _bleed_strips(trim, bleed):
    """For each edge: the strip just inside the trim and the strip at the bleed's outer edge."""
    left, bottom, right, top = trim
    outer_left, outer_bottom, outer_right, outer_top = bleed
    near, far = mm_to_pt(0.3), mm_to_pt(1)
    yield "bottom", (left, bottom + near, right, bottom + far), (left, outer_bottom + near, right, outer_bottom + far), True
    yield "top", (left, top - far, right, top - near), (left, outer_top - far, right, outer_top - near), True
    yield "left", (left + near, bottom, left + far, top), (outer_left + near, bottom, outer_left + far, top), False
    yield "right", (right - far, bottom, right - near, top), (outer_right - far, bottom, outer_right - near, top), False


def _bleed_findings(page, image, name: str, number: int) -> list[Finding]:
    """Ink that reaches the trim must run on to the bleed's edge: compared on the rendered page."""
    trim, bleed = page.get_trimbox(), page.get_bleedbox()
    if min(trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3]) < mm_to_pt(1.5):
        return []  # no bleed to fill (an office printer's sheet), or the bleed-size rule reports it
    findings = []
    for edge, inside, outside, along_x in _bleed_strips(trim, bleed):
        pairs = zip(_white_share(page, image, inside, along_x), _white_share(page, image, outside, along_x))
        white = [mm for mm, (near, far) in enumerate(pairs) if near < 128 <= far]  # inked at the trim, bare at the edge
        if white:
            findings.append(Finding(name, number, "error", f"{edge} edge: the bleed is white over {len(white)} mm "
                                    f"where the page is inked at the trim (from {white[0]} to {white[-1] + 1} mm along "
                                    f"the trim)"))
    return findings


def _sheet_edge_findings(image, name: str, number: int) -> list[Finding]:
    """Ink within SHEET_MARGIN_MM of an imposed sheet's edge, which office and copy-shop printers cannot print."""
    width, height = image.size
    band = round(SHEET_MARGIN_MM / MM_PER_INCH * QR_DPI)
    lines = {"left": lambda d: (d, 0, d + 1, height), "right": lambda d: (width - 1 - d, 0, width - d, height),
             "top": lambda d: (0, d, width, d + 1), "bottom": lambda d: (0, height - 1 - d, width, height - d)}
    findings = []
    for edge, line in lines.items():
        inked = next((d for d in range(band) if image.crop(line(d)).getextrema()[0] < WHITE), None)
        if inked is not None:
            findings.append(Finding(name, number, "error", f"ink {inked / QR_DPI * MM_PER_INCH:.1f} mm from the sheet's "
                                    f"{edge} edge: keep the outer {SHEET_MARGIN_MM} mm of a sheet free of ink"))
    return findings


def _subset_findings(checked: CheckedPdf) -> list[Finding]:
    """One subset name must stand for one font program: RIPs cache fonts by name."""
    programs: dict[str, set[str]] = {}
    for font in fonts(checked.pdf):
        program, base = font_program(font), str(font.get("/BaseFont", ""))
        if program is not None and "+" in base:
            programs.setdefault(base.lstrip("/"), set()).add(program_digest(program))
    return [Finding(checked.name, 0, "error", f"subset name {base} stands for {len(digests)} different font programs")
            for base, digests in sorted(programs.items()) if len(digests) > 1]


def _version_findings(checked: CheckedPdf) -> list[Finding]:
    """The header's version must cover every feature the file uses."""
    pdf, needed = checked.pdf, {}
    for version, feature in required_versions(pdf, checked.data):
        needed[feature] = max(version, needed.get(feature, version))
    return [Finding(checked.name, 0, "error", f"the header says PDF {pdf.pdf_version}, but {feature} need PDF {version}")
            for feature, version in sorted(needed.items()) if version > pdf.pdf_version]


def _object_findings(checked: CheckedPdf) -> list[Finding]:
    """Page objects as pdfium reads them, on each distinct page: reversed text, image resolution,
    text beside the trim."""
    name, findings = checked.name, []
    for index in checked.pages:
        page, number = checked.document[index], index + 1
        text = page.get_textpage()
        for obj, matrix in _page_objects(page):
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                findings += _reversed_findings(obj, matrix, text, name, number)
            elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                findings += _resolution_findings(obj, matrix, name, number)
        findings += _slug_text_findings(page, text, name, number)
    return sorted(set(findings))


def _page_objects(page):
    """Every object of a page with its matrix on the page, the contents of form XObjects included."""
    for index in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        yield from _placed(pdfium_c.FPDFPage_GetObject(page.raw, index), pdfium.PdfMatrix())


def _placed(obj, outer: pdfium.PdfMatrix):
    matrix = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
    placed = pdfium.PdfMatrix.from_raw(matrix).multiply(outer)
    if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_FORM:
        for index in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
            yield from _placed(pdfium_c.FPDFFormObj_GetObject(obj, index), placed)
    else:
        yield obj, placed


def _scale(matrix: pdfium.PdfMatrix) -> float:
    return math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))


def _where(x: float, y: float) -> str:
    return f"at {pt_to_mm(x):.0f} mm from the left, {pt_to_mm(y):.0f} mm from the bottom"


def _reversed_findings(obj, matrix: pdfium.PdfMatrix, text, name: str, number: int) -> list[Finding]:
    """White text below MIN_REVERSED_PT: thin strokes of ink around it close up on press."""
    size = ctypes.c_float()
    pdfium_c.FPDFTextObj_GetFontSize(obj, ctypes.byref(size))
    points = size.value * _scale(matrix)
    colour = [ctypes.c_uint() for _ in range(4)]
    pdfium_c.FPDFPageObj_GetFillColor(obj, *(ctypes.byref(c) for c in colour))
    if points >= MIN_REVERSED_PT - 0.01 or min(c.value for c in colour[:3]) < WHITE:
        return []
    return [Finding(name, number, "error", f"white text « {_object_text(obj, text)[:30]} » at {points:.1f} pt, "
                                           f"below {MIN_REVERSED_PT} pt for reversed text, {_where(matrix.e, matrix.f)}")]


def _object_text(obj, text) -> str:
    length = pdfium_c.FPDFTextObj_GetText(obj, text.raw, None, 0)
    buffer = ctypes.create_string_buffer(length)
    pdfium_c.FPDFTextObj_GetText(obj, text.raw, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), length)
    return buffer.raw.decode("utf-16-le").rstrip("\x00").strip()


def _resolution_findings(obj, matrix: pdfium.PdfMatrix, name: str, number: int) -> list[Finding]:
    """Raster images below MIN_PPI at their printed size."""
    width, height = ctypes.c_uint(), ctypes.c_uint()
    pdfium_c.FPDFImageObj_GetImagePixelSize(obj, ctypes.byref(width), ctypes.byref(height))
    printed = (math.hypot(matrix.a, matrix.b) / PT_PER_INCH, math.hypot(matrix.c, matrix.d) / PT_PER_INCH)
    ppi = min(width.value / max(printed[0], 1e-6), height.value / max(printed[1], 1e-6))
    if ppi >= MIN_PPI - 0.5:
        return []
    return [Finding(name, number, "error", f"image of {width.value}×{height.value} px printed at {ppi:.0f} ppi, "
                                           f"below {MIN_PPI} ppi, {_where(matrix.e, matrix.f)}")]


def _slug_text_findings(page, text, name: str, number: int) -> list[Finding]:
    """Text between the trim and SLUG_MM outside it, where a drifting cut prints it on part of the run."""
    left, bottom, right, top = page.get_trimbox()
    slug = mm_to_pt(SLUG_MM)
    bands = {"bottom": (left - slug, bottom - slug, right + slug, bottom),
             "top": (left - slug, top, right + slug, top + slug),
             "left": (left - slug, bottom, left, top), "right": (right, bottom, right + slug, top)}
    findings = []
    for edge, band in bands.items():
        found = _squeeze(text.get_text_bounded(*band))
        if found:
            findings.append(Finding(name, number, "error", f"text « {found[:30]} » within {SLUG_MM} mm outside the "
                                                           f"trim ({edge}): a cut that drifts prints it"))
    return findings


def _content_findings(checked: CheckedPdf) -> list[Finding]:
    """Lines thinner than MIN_LINE_PT and colours above MAX_INK % total ink, from the content
    streams of each distinct page."""
    findings = set()
    for index in checked.pages:
        for problem in _paint_problems(checked.pdf.pages[index].obj, (1, 0, 0, 1, 0, 0)):
            findings.add(Finding(checked.name, index + 1, "error", problem))
    return sorted(findings)


STROKES = {"S", "s", "B", "B*", "b", "b*"}
FILLS = {"f", "F", "f*", "B", "B*", "b", "b*"}
COLOURS = {"k", "K", "sc", "scn", "SC", "SCN"}


def _paint_problems(owner, ctm: tuple):
    """Walk a content stream with its graphics state (q, Q, cm, w), forms included."""
    stack, width, rects, start = [], 1.0, [], (0.0, 0.0)
    xobjects = owner.get("/Resources", {}).get("/XObject", {})
    for operands, operator in pikepdf.parse_content_stream(owner):
        op = str(operator)
        if op == "q":
            stack.append((ctm, width))
        elif op == "Q" and stack:
            ctm, width = stack.pop()
        elif op == "cm":
            ctm = _multiply([float(v) for v in operands], ctm)
        elif op == "w":
            width = float(operands[0])
        elif op == "re":
            rects.append([float(v) for v in operands])
        elif op == "m":
            start = _apply(ctm, float(operands[0]), float(operands[1]))
        elif op in COLOURS:
            yield from _ink_problems(operands, ctm)
        elif op == "Do" and xobjects.get(str(operands[0]), {}).get("/Subtype") == "/Form":
            form = xobjects[str(operands[0])]
            yield from _paint_problems(form, _multiply([float(v) for v in form.get("/Matrix", [1, 0, 0, 1, 0, 0])], ctm))
        if op in STROKES and 0 <= width * _ctm_scale(ctm) < MIN_LINE_PT - 0.005:
            yield f"line {width * _ctm_scale(ctm):.2f} pt wide, below {MIN_LINE_PT} pt, {_where(*start)}"
        if op in FILLS:
            yield from _thin_fills(rects, ctm)
        if op in STROKES | FILLS | {"n"}:
            rects = []


def _multiply(m: list[float], n: tuple) -> tuple:
    a, b, c, d, e, f = m
    return (a * n[0] + b * n[2], a * n[1] + b * n[3], c * n[0] + d * n[2], c * n[1] + d * n[3],
            e * n[0] + f * n[2] + n[4], e * n[1] + f * n[3] + n[5])


def _apply(ctm: tuple, x: float, y: float) -> tuple[float, float]:
    return x * ctm[0] + y * ctm[2] + ctm[4], x * ctm[1] + y * ctm[3] + ctm[5]


def _ctm_scale(ctm: tuple) -> float:
    return math.sqrt(abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]))


def _ink_problems(operands, ctm: tuple):
    values = [float(v) for v in operands if isinstance(v, (int, float)) or hasattr(v, "as_integer_ratio")]
    if len(values) == 4 and sum(values) * 100 > MAX_INK + 0.5:
        yield f"{sum(values) * 100:.0f} % total ink, above {MAX_INK} %"


def _thin_fills(rects: list[list[float]], ctm: tuple):
    """A filled rectangle, or the ring between two (how WeasyPrint draws a border), thinner than a line may be."""
    boxes_ = [(min(x, x + w), min(y, y + h), max(x, x + w), max(y, y + h)) for x, y, w, h in rects]
    if len(boxes_) == 1:
        sides = [boxes_[0][2] - boxes_[0][0], boxes_[0][3] - boxes_[0][1]]
    elif len(boxes_) == 2:
        outer, inner = sorted(boxes_, key=lambda r: (r[2] - r[0]) * (r[3] - r[1]), reverse=True)
        sides = [inner[0] - outer[0], inner[1] - outer[1], outer[2] - inner[2], outer[3] - inner[3]]
    else:
        return
    thinnest = min((side for side in sides if side > 0.01), default=None)  # smaller: rounding, no border
    if thinnest is not None and thinnest * _ctm_scale(ctm) < MIN_LINE_PT - 0.005:
        yield f"line {thinnest * _ctm_scale(ctm):.2f} pt wide, below {MIN_LINE_PT} pt, " \
              f"{_where(*_apply(ctm, boxes_[0][0], boxes_[0][1]))}"


# letters


def letter_findings(checked: CheckedPdf, programme: Programme) -> list[Finding]:
    """The annex holds exactly the measures that the letter's text cites, each with its QR code.

    Read from the PDF as printed: references found in the text before « Les mesures citées »,
    the annexed measures from their decoded QR codes; in a mail merge, the first letter.
    """
    from printkit.letters.source import DIGITS, REFERENCE

    texts = _first_letter(checked.document)
    start = next((i for i, text in enumerate(texts) if ANNEX_TITLE in text), None)
    if start is None:
        return [Finding(checked.name, 0, "error", f"no annex « {ANNEX_TITLE} »")]
    end = len(texts) - 1
    body = "\n".join(texts[:start]).replace("\u2010", "-")  # the hyphen WeasyPrint adds at a line break
    cited = [int(d.group()) for m in REFERENCE.finditer(body) for d in DIGITS.finditer(body, m.start(1), m.end())]
    urls = {measure_url(programme, m, MEDIUMS["letter"]): m.number for m in programme.measures}
    annexed = [urls[url] for i in range(start, end + 1) for url in _decoded(checked, i) if url in urls]
    return _annex_findings(checked.name, list(dict.fromkeys(cited)), list(dict.fromkeys(annexed)), programme)


def first_letter(checked: CheckedPdf) -> range:
    """The pages of a file's first letter (every page, for a single letter)."""
    return range(len(_first_letter(checked.document)))


def _first_letter(document) -> list[str]:
    """The text of each page of the file's first letter, which ends with the imprint."""
    texts = []
    for index in range(len(document)):
        texts.append(document[index].get_textpage().get_text_range())
        if "Ne pas jeter" in texts[-1]:
            break
    return texts


def _annex_findings(name: str, cited: list[int], annexed: list[int], programme: Programme) -> list[Finding]:
    numbers = {m.number for m in programme.measures}
    findings = [Finding(name, 0, "error", f"the letter cites measure {n}, which is not in the programme")
                for n in cited if n not in numbers]
    findings += [Finding(name, 0, "error", f"the letter cites measure {n}, which its annex lacks")
                 for n in cited if n in numbers and n not in annexed]
    findings += [Finding(name, 0, "error", f"the annex holds measure {n}, which the letter does not cite")
                 for n in annexed if n not in cited]
    if not findings and annexed != [n for n in cited if n in annexed]:
        findings.append(Finding(name, 0, "error", "the annex is not in the order the letter cites its measures"))
    return findings


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
                yield pdf, output_name(pdf, str(pdf.relative_to(path)))
        else:
            yield path, output_name(path, path.name)
