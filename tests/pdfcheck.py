"""Reading PDFs back as a printer would: boxes, text, fonts, and QR codes decoded from pixels."""

from functools import lru_cache
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
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
