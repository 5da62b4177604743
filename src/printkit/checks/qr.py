"""QR codes, as a phone reads them from the printed page: every code decoded from the page
rendered at 300 dpi by zxing-cpp, to an address the file may hold; its modules measured."""

import math
from dataclasses import dataclass
from urllib.parse import urlsplit

import pikepdf
import pypdfium2.raw as pdfium_c
import zxingcpp

from printkit.checks.document import RENDER_DPI, CheckedPdf, page_objects, to_pixels
from printkit.products import FileSubject, product, products
from printkit.programme.model import Programme
from printkit.units import MM_PER_INCH, PT_PER_INCH, QR_MODULE_MM

CROP_MARGIN_PT = 3  # around each image decoded: its quiet zone is inside it, a neighbour's code stays out


def expected_urls(programme: Programme, subject: FileSubject) -> tuple[set[str] | None, set[str]]:
    """The URLs a file's QR codes may encode (None: any of the campaign's website), and those they must
    encode, as the file's product declares them."""
    if subject.kind not in {kind.kind for kind in products()}:
        return None, set()
    return product(subject.kind).file_qr_urls(programme, subject)


def codes_a_side(subject: FileSubject) -> int:
    """The most QR codes a page (a printed side) of the file may carry, as its format declares (0: no limit)."""
    if subject.kind not in {kind.kind for kind in products()}:
        return 0
    return product(subject.kind).format_named(subject.format).codes_a_side


def crowded_side(codes: list[tuple[str, float, str]], most: int) -> list[str]:
    """A side that carries more codes than its format's ``most``: a reader given several codes
    on one side has no single thing to do (``codes`` as a page's reading keeps them)."""
    if not most or len(codes) <= most:
        return []
    return [f"{len(codes)} QR codes on one side, at most {most}: one call to action a side"]


def qr_page_problems(codes: list[tuple[str, float, str]], drawn: int, allowed: set[str] | None,
                     programme: Programme) -> list[str]:
    """A page's codes that do not decode, lead elsewhere than an allowed address, or have too small modules;
    ``codes`` as a page's reading keeps them: (text, module size in mm, where)."""
    website = urlsplit(programme.campaign.website).netloc
    problems = []
    if len(codes) < drawn:
        problems.append(f"{drawn - len(codes)} of {drawn} QR codes do not decode at {RENDER_DPI} dpi")
    for text, module, where in codes:
        parts = urlsplit(text)
        if parts.scheme != "https" or parts.netloc != website or allowed is not None and text not in allowed:
            problems.append(f"QR code leads to an unexpected address: {text}")
        if module < QR_MODULE_MM - 0.005:
            problems.append(f"QR code for {text} has {module:.2f} mm modules, below {QR_MODULE_MM} mm ({where})")
    return problems


@dataclass(frozen=True)
class Code:
    """A decoded QR code, and where the crop it was decoded from sits on the page image."""

    code: object  # zxingcpp.Barcode, its position in the crop's pixels
    left: int
    top: int

    @property
    def text(self) -> str:
        """The URL the code encodes."""
        return self.code.text

    def module_mm(self) -> float:
        """The module size: the symbol's side over its module count (17 + 4 × version)."""
        corners = self.code.position
        side = math.dist((corners.top_left.x, corners.top_left.y), (corners.top_right.x, corners.top_right.y))
        modules = 17 + 4 * int(self.code.extra["Version"])
        return side / modules / RENDER_DPI * MM_PER_INCH

    def where(self) -> str:
        """Where the code's top left corner is on the page."""
        x, y = self.left + self.code.position.top_left.x, self.top + self.code.position.top_left.y
        return f"{x / RENDER_DPI * MM_PER_INCH:.0f} mm from the left, {y / RENDER_DPI * MM_PER_INCH:.0f} mm from the top"


def codes(checked: CheckedPdf, index: int) -> list[Code]:
    """The QR codes of a page as zxing-cpp decodes them, in reading order, top to bottom
    (kept: letters read the annex's again, and its order must follow the order of citation)."""
    if index not in checked.codes:
        checked.codes[index] = _decode(checked.document[index], checked.rendered(index))
    return checked.codes[index]


def decoded(checked: CheckedPdf, index: int) -> list[str]:
    """The texts of a page's QR codes, in reading order."""
    return [code.text for code in codes(checked, index)]


def _decode(page, image) -> list[Code]:
    """Each image is decoded from a crop of the page rendered at 300 dpi around where it is
    drawn, which is everything on the page there: a twentieth of the pixels of a booklet
    page, for the same codes. A page whose images pdfium cannot place is decoded whole."""
    crops = sorted(_image_crops(page, image.size))
    if not crops:
        crops = [(0, 0, *image.size)]
    found = []
    for top, left, right, bottom in crops:
        read = zxingcpp.read_barcodes(image.crop((left, top, right, bottom)), formats=zxingcpp.BarcodeFormat.QRCode)
        found += [Code(c, left, top) for c in sorted(read, key=lambda c: (c.position.top_left.y, c.position.top_left.x))]
    return found


def _image_crops(page, size: tuple[int, int]) -> set[tuple[int, int, int, int]]:
    """(top, left, right, bottom) in pixels of each image the page draws, with CROP_MARGIN_PT around it."""
    crops = set()
    margin = round(CROP_MARGIN_PT * RENDER_DPI / PT_PER_INCH)
    for obj, matrix in page_objects(page):
        if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            corners = [to_pixels(page, *matrix.on_point(u, v)) for u in (0, 1) for v in (0, 1)]
            xs, ys = [x for x, _ in corners], [y for _, y in corners]
            crops.add((max(min(ys) - margin, 0), max(min(xs) - margin, 0),
                       min(max(xs) + margin, size[0]), min(max(ys) + margin, size[1])))
    # an image drawn off the page (on a tile of a poster, the part of it another tile shows) has nothing to read
    return {(top, left, right, bottom) for top, left, right, bottom in crops if right > left and bottom > top}


def drawn_images(owner, counted: dict) -> int:
    """How many images a page or form draws; ``counted`` keeps each form's count, as a
    mail merge draws the same forms on thousands of pages."""
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
                counted[target.objgen] = drawn_images(target, counted)
                count += counted[target.objgen]
    return count
