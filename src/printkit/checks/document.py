"""The PDF under check, which every check of a file reads: pikepdf and pdfium open it once
each, its distinct pages are found once, and a page is rendered when a check first looks
at its pixels. Also what several checks share to read pdfium's pages."""

import io

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from printkit.checks.subject import product_of, subject_of
from printkit.units import PT_PER_INCH, pt_to_mm

RENDER_DPI = 300  # what the QR decoder and the pixel checks read
WHITE = 250  # luminance (0-255) above which a pixel, or a colour component, carries no ink


class CheckedPdf:
    """One PDF under check: its name under output/ (for findings), what its metadata says it is and
    the product that is, its bytes, pikepdf's
    and pdfium's documents, its distinct pages, and its pages rendered at RENDER_DPI on demand."""

    def __init__(self, name: str, data: bytes):
        self.name, self.data = name, data
        self.pdf = pikepdf.open(io.BytesIO(data))
        self.subject = subject_of(self.pdf.docinfo)
        self.product = product_of(self.subject)
        self.document = _Pages(data)
        self.pages = _distinct_pages(self.pdf)
        self.codes: dict[int, list] = {}  # QR codes decoded per page (checks/qr.py), kept for the letter's annex
        self._rendered: tuple[int, Image.Image] | None = None

    def __enter__(self) -> "CheckedPdf":
        return self

    def __exit__(self, *exc) -> None:
        self.document.close()
        self.pdf.close()

    @property
    def tiled(self) -> bool:
        """Whether the file is a poster cut into overlapping tiles, a tile to a sheet: each shows a piece
        of the poster, clipped where the sheet's piece ends, its words and codes cut there."""
        sheet = self.subject.sheet
        return bool(sheet and self.product and self.product.sheet_named(sheet).method == "tiles")

    def rendered(self, index: int) -> Image.Image:
        """A page rendered at RENDER_DPI in grey. The last one is kept: the checks that read pixels
        read one page after another, and a booklet's pages would weigh 150 MB."""
        if self._rendered is None or self._rendered[0] != index:
            image = self.document[index].render(scale=RENDER_DPI / PT_PER_INCH, grayscale=True).to_pil()
            self._rendered = index, image
        return self._rendered[1]


class _Pages(pdfium.PdfDocument):
    """pdfium's document, each page loaded once: the checks read a page's text, objects, codes and
    pixels in turn, and loading a page parses its content each time (a millisecond a booklet page)."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self._loaded: dict[int, pdfium.PdfPage] = {}

    def get_page(self, index: int) -> pdfium.PdfPage:
        """The page, loaded on first use; closed with the document."""
        if index not in self._loaded:
            self._loaded[index] = super().get_page(index)
        return self._loaded[index]


def _distinct_pages(pdf: pikepdf.Pdf) -> list[int]:
    """Each distinct page once. A mail merge repeats the same pages, as the same form
    XObjects, for every recipient: a page that draws exactly what an earlier one drew looks
    exactly the same, so its codes and text need reading once."""
    seen, pages = set(), []
    for index, page in enumerate(pdf.pages):
        xobjects = page.obj.get("/Resources", {}).get("/XObject", {})
        contents = page.obj.get("/Contents")
        drawing = contents.read_bytes() if isinstance(contents, pikepdf.Stream) else index
        signature = (drawing, tuple((str(k), v.objgen) for k, v in xobjects.items()))
        if signature not in seen:
            seen.add(signature)
            pages.append(index)
    return pages


def page_objects(page: pdfium.PdfPage):
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


def to_pixels(page: pdfium.PdfPage, x: float, y: float) -> tuple[int, int]:
    """A point of the page, in pixels of the page rendered at RENDER_DPI (from its top left)."""
    left, _, _, top = page.get_cropbox()
    scale = RENDER_DPI / PT_PER_INCH
    return round((x - left) * scale), round((top - y) * scale)


def where(x: float, y: float) -> str:
    """A point of the page, as a finding says where it is."""
    return f"at {pt_to_mm(x):.0f} mm from the left, {pt_to_mm(y):.0f} mm from the bottom"
