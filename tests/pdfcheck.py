"""Reading PDFs back as a printer would: boxes, text, fonts, and QR codes decoded from pixels."""

import ctypes
from functools import lru_cache
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import zxingcpp

MM = 72 / 25.4


def boxes_mm(path: Path) -> list[dict]:
    """Each page's MediaBox, TrimBox and BleedBox as (width, height) in millimetres, plus the raw boxes."""
    with pikepdf.open(path) as pdf:
        return [{name: _size(page.obj[f"/{name}"]) for name in ("MediaBox", "TrimBox", "BleedBox")
                 if f"/{name}" in page.obj} | {"raw": {name: [float(v) for v in page.obj[f"/{name}"]]
                                                    for name in ("MediaBox", "TrimBox", "BleedBox")
                                                    if f"/{name}" in page.obj}}
                for page in pdf.pages]


def _size(box) -> tuple[float, float]:
    values = [float(v) for v in box]
    return round((values[2] - values[0]) / MM, 1), round((values[3] - values[1]) / MM, 1)


def text(path: Path) -> str:
    """All the text of a PDF, page after page."""
    document = pdfium.PdfDocument(path)
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


def text_overlaps(path: Path, least_mm: float = 0.5) -> list[tuple[int, str, str]]:
    """The pairs of text runs that overlap on a page by more than ``least_mm`` each way: (page from
    1, the two runs' text), read from the rectangles the PDF's text is drawn in."""
    document, found = pdfium.PdfDocument(path), []
    for number in range(len(document)):
        chars = document[number].get_textpage()
        runs = [(box, chars.get_text_bounded(*box).strip()) for box in map(chars.get_rect, range(chars.count_rects()))]
        runs = [(box, words) for box, words in runs if words]
        for index, (a, first) in enumerate(runs):
            for b, second in runs[index + 1:]:
                if min(min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])) > least_mm * MM:
                    found.append((number + 1, first, second))
    return found


def words_box_mm(path: Path, page: int, words: str) -> tuple[float, float, float, float]:
    """Where the first occurrence of ``words`` on page ``page`` (from 0) stands, in mm from the page's
    top left: the left, top, right and bottom of its characters' boxes together."""
    found = words_boxes_mm(path, page, words)
    assert found, f"« {words} » is not on page {page + 1} of {path.name}"
    return found[0]


def words_boxes_mm(path: Path, page: int, words: str, match_case: bool = False) -> list[tuple[float, float, float, float]]:
    """Where each occurrence of ``words`` on page ``page`` (from 0) stands, as words_box_mm gives it."""
    return [(min(box[0] for box in boxes), min(box[1] for box in boxes), max(box[2] for box in boxes),
             max(box[3] for box in boxes)) for boxes in _occurrences_mm(path, page, words, match_case)]


def chars_boxes_mm(path: Path, page: int, words: str) -> list[tuple[float, float, float, float]]:
    """Each character's box of the first occurrence of ``words`` on page ``page`` (from 0), as
    words_box_mm gives a box: where a line sets two sizes, each one's baseline is its box's foot."""
    found = _occurrences_mm(path, page, words)
    assert found, f"« {words} » is not on page {page + 1} of {path.name}"
    return found[0]


def chars_sizes_pt(path: Path, page: int, words: str) -> list[float]:
    """The size in pt each letter of the first occurrence of ``words`` on page ``page`` (from 0) is
    set at. WeasyPrint sets type in CSS px under a page matrix of 0.75, which the size pdfium
    reads leaves out: a 30 pt call reads 40."""
    _, chars, found = _occurrences(path, page, words)
    assert found, f"« {words} » is not on page {page + 1} of {path.name}"
    return [pdfium_c.FPDFText_GetFontSize(chars.raw, index) * 72 / 96 for index in found[0]
            if not chars.get_text_range(index, 1).isspace()]


def chars_fonts(path: Path, page: int, words: str) -> list[str]:
    """The font each letter of the first occurrence of ``words`` on page ``page`` (from 0) is set in,
    by its name without the subset's prefix (« Inter-Bold »)."""
    _, chars, found = _occurrences(path, page, words)
    assert found, f"« {words} » is not on page {page + 1} of {path.name}"
    names = []
    for index in found[0]:
        if not chars.get_text_range(index, 1).isspace():
            name = ctypes.create_string_buffer(128)
            pdfium_c.FPDFText_GetFontInfo(chars.raw, index, name, 128, None)
            names.append(name.value.decode().split("+")[-1])
    return names


def line_lengths_mm(path: Path, page: int, first: str, last: str) -> list[float]:
    """The length of each line of a block of text on page ``page`` (from 0), from the line that
    starts with ``first`` to the one that ends with ``last``: the lines of text set at ``first``'s size."""
    _, chars, found = _occurrences(path, page, first, match_case=True)
    _, _, ends = _occurrences(path, page, last, match_case=True)
    assert found and ends, f"« {first} » or « {last} » is not on page {page + 1} of {path.name}"
    size, top, bottom = pdfium_c.FPDFText_GetFontSize(chars.raw, found[0][0]), _baseline(chars, found[0][0]), _baseline(chars, ends[0][-1])
    rows = {}
    for index in range(chars.count_chars()):
        left, _, right, _ = chars.get_charbox(index)
        base = _baseline(chars, index)
        if (abs(pdfium_c.FPDFText_GetFontSize(chars.raw, index) - size) < 0.01 and bottom - 1 <= base <= top + 1
                and not chars.get_text_range(index, 1).isspace()):
            rows.setdefault(round(base), []).append((left, right))
    return [(max(r for _, r in row) - min(x for x, _ in row)) / MM for _, row in sorted(rows.items(), reverse=True)]


def _baseline(chars, index: int) -> float:
    """The baseline of a character (its origin's height, in points): its box's foot is its glyph's."""
    x, y = ctypes.c_double(), ctypes.c_double()
    pdfium_c.FPDFText_GetCharOrigin(chars.raw, index, x, y)
    return y.value


def _occurrences(path: Path, page: int, words: str, match_case: bool = False) -> tuple:
    """The page, its text and the range of character indices of each occurrence of ``words`` on it."""
    sheet = pdfium.PdfDocument(path)[page]
    chars = sheet.get_textpage()
    search = chars.search(words, match_case=match_case)
    return sheet, chars, [range(start, start + count) for start, count in iter(search.get_next, None)]


def _occurrences_mm(path: Path, page: int, words: str, match_case: bool = False) -> list[list[tuple]]:
    """Each occurrence of ``words`` on a page as its characters' boxes, in mm from the page's top left."""
    sheet, chars, found = _occurrences(path, page, words, match_case)
    height = sheet.get_height()
    return [[(left / MM, (height - top) / MM, right / MM, (height - bottom) / MM)
             for left, bottom, right, top in map(chars.get_charbox, indices)] for indices in found]


def squeezed(value: str) -> str:
    """Text without what typesetting changes: spaces, hyphens, apostrophe shapes."""
    return "".join(c for c in value.replace("’", "'") if not c.isspace() and c not in "-\u00ad\u2010\ufffe")


@lru_cache(maxsize=64)
def qr_codes(path: Path, dpi: int = 300) -> tuple[tuple[str, ...], ...]:
    """The text of every QR code on each page, decoded by zxing-cpp from the page rendered at ``dpi``."""
    document = pdfium.PdfDocument(path)
    pages = []
    for i in range(len(document)):
        image = document[i].render(scale=dpi / 72, grayscale=True).to_pil()
        found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        pages.append(tuple(sorted(code.text for code in found)))
    return tuple(pages)


def unembedded_fonts(path: Path) -> list[str]:
    """Names of the fonts a PDF uses without embedding them."""
    missing = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for font in page.obj.Resources.get("/Font", {}).values():
                for descendant in font.get("/DescendantFonts", [font]):
                    descriptor = descendant.get("/FontDescriptor")
                    if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                        missing.append(str(font.get("/BaseFont")))
    return missing


def font_names(path: Path) -> set[str]:
    """The base names of the fonts a PDF's pages draw with, without their subset prefix."""
    with pikepdf.open(path) as pdf:
        return {str(font.get("/BaseFont", "")).split("+")[-1] for page in pdf.pages
                for font in page.obj.get("/Resources", {}).get("/Font", {}).values()}


def image_count(path: Path) -> list[int]:
    """How many images each page draws (its content stream's ``Do`` of image XObjects)."""
    with pikepdf.open(path) as pdf:
        return [_drawn_images(page.obj) for page in pdf.pages]


def _drawn_images(owner) -> int:
    xobjects = owner.get("/Resources", {}).get("/XObject", {})
    count = 0
    for operands, operator in pikepdf.parse_content_stream(owner):
        if str(operator) == "Do":
            target = xobjects[str(operands[0])]
            count += 1 if target.get("/Subtype") == "/Image" else _drawn_images(target)
    return count


def text_under_images(path: Path, depth_mm: float = 4, beside_mm: float = 0) -> list[tuple[int, str]]:
    """(page number, text) for each image of each page: the text in a band ``depth_mm`` high right
    under the image and as wide as it, in page space (images inside form XObjects included); with
    ``beside_mm``, also the text in a band that wide right of the image and as high as it."""
    document = pdfium.PdfDocument(path)
    found = []
    for number in range(len(document)):
        page = document[number]
        textpage = page.get_textpage()
        for left, bottom, right, top in _image_bounds(page):
            below = textpage.get_text_bounded(left=left, bottom=bottom - depth_mm * MM, right=right, top=bottom)
            beside = textpage.get_text_bounded(left=right, bottom=bottom, right=right + beside_mm * MM, top=top) \
                if beside_mm else ""
            found.append((number + 1, (below + beside).strip()))
    return found


def _image_bounds(page):
    """Each image's (left, bottom, right, top) on the page: pdfium gives a nested object's bounds
    in its form's space, so they go through the matrices of the forms that hold it."""
    forms = [pdfium.PdfMatrix()]  # forms[level]: from that level's space to page space
    for obj in page.get_objects(filter=None, max_depth=15):
        del forms[obj.level + 1:]
        if obj.type == pdfium_c.FPDF_PAGEOBJ_FORM:
            forms.append(obj.get_matrix().multiply(forms[obj.level]))
        elif obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            yield forms[obj.level].on_rect(*obj.get_bounds())


def rule_crossings(path: Path, index: int) -> list[str]:
    """The characters of a page that the top border of a box wider than half the page runs through:
    a card's foot, set over the flow, strikes out a title that runs under it."""
    page = pdfium.PdfDocument(path)[index]
    boxes = [obj.get_bounds() for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=5)]
    rules = [top for left, bottom, right, top in boxes if right - left > page.get_width() / 2]
    textpage = page.get_textpage()
    boxes = [(i, textpage.get_charbox(i)) for i in range(textpage.count_chars())]
    return [textpage.get_text_range(i, 1) for i, (_, bottom, _, top) in boxes
            if top - bottom > 1 and any(bottom < y < top for y in rules)]


def rule_gaps_mm(path: Path, index: int, below_mm: float = 0) -> list[tuple[float, float, float]]:
    """Each rule of a page under ``below_mm`` from its top (the foot of a path wider than a third of
    the page: WeasyPrint draws a box's bottom border as a path as tall as its box) between two lines
    of text: its depth, the white from the text above to it and from it to the text below (mm)."""
    page = pdfium.PdfDocument(path)[index]
    height, textpage = page.get_height(), page.get_textpage()
    feet = [(height - bottom) / MM for left, bottom, right, top in
            (obj.get_bounds() for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=5))
            if right - left > page.get_width() / 3]
    lines = [((height - top) / MM, (height - bottom) / MM) for _, bottom, _, top in
             map(textpage.get_charbox, range(textpage.count_chars())) if top - bottom > 1]
    gaps = []
    for foot in sorted(y for y in feet if y > below_mm):
        above, under = [b for t, b in lines if b < foot], [t for t, b in lines if t > foot]
        if above and under:
            gaps.append((foot, foot - max(above), min(under) - foot))
    return gaps
