"""The PDF under check, which every check of a file reads: pikepdf and pdfium open it once
each, its distinct pages are found once, and a page is rendered when a check first looks
at its pixels.
"""

import io

import pikepdf
import pypdfium2 as pdfium
from PIL import Image

from printkit.checks.subject import FileSubject
from printkit.units import PT_PER_INCH

RENDER_DPI = 300  # what the QR decoder and the pixel checks read


class CheckedPdf:
    """One PDF under check: its name under output/ (for findings), what it is, its bytes, pikepdf's
    and pdfium's documents, its distinct pages, and its pages rendered at RENDER_DPI on demand."""

    def __init__(self, name: str, subject: FileSubject, data: bytes):
        self.name, self.subject, self.data = name, subject, data
        self.pdf = pikepdf.open(io.BytesIO(data))
        self.document = pdfium.PdfDocument(data)
        self.pages = _distinct_pages(self.pdf)
        self.codes: dict[int, list] = {}  # QR codes decoded per page (checks/qr.py), kept for the letter's annex
        self._rendered: tuple[int, Image.Image] | None = None

    def __enter__(self) -> "CheckedPdf":
        return self

    def __exit__(self, *exc) -> None:
        self.document.close()
        self.pdf.close()

    def rendered(self, index: int) -> Image.Image:
        """A page rendered at RENDER_DPI in grey. The last one is kept: the checks that read pixels
        read one page after another, and a booklet's pages would weigh 150 MB."""
        if self._rendered is None or self._rendered[0] != index:
            image = self.document[index].render(scale=RENDER_DPI / PT_PER_INCH, grayscale=True).to_pil()
            self._rendered = index, image
        return self._rendered[1]


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
