"""Type a voter can read: the sizes of a file's printed characters, each character counted once at
the size it is printed (its text object's size times that object's scale), as pdfium reads them."""

import statistics

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from printkit.checks.document import CheckedPdf
from printkit.errors import Finding

# The least median character, by the kinds read at arm's length; a card is read in the hand, closer.
MIN_MEDIAN_PT = {"booklet": 9.5, "leaflet": 9.5, "card": 9.0}
SMALL_PT = 7  # labels, tags and captions below this are hard to read for many voters
MAX_SMALL_SHARE = 0.05  # of a file's characters


def type_size_findings(checked: CheckedPdf) -> list[Finding]:
    """A warning when a booklet's or leaflet's median character is below 9.5 pt (a card's 9 pt), or when
    5 % or more of its characters are below 7 pt; it gives both figures."""
    least = MIN_MEDIAN_PT.get(checked.subject.kind)
    sizes = [] if least is None or checked.subject.sheet else printed_sizes(checked.document, checked.pages)
    if not sizes:
        return []
    median, share = statistics.median(sizes), sum(size < SMALL_PT - 0.005 for size in sizes) / len(sizes)
    small_median = median < least - 0.005
    many_small = share >= MAX_SMALL_SHARE
    if not (small_median or many_small):
        return []
    return [Finding(checked.name, 0, "warning", f"type too small to read: the median character is {median:.1f} pt "
                                                f"(at least {least:g} pt) and {share:.1%} of the characters are "
                                                f"below {SMALL_PT} pt (under {MAX_SMALL_SHARE:.0%})")]


def printed_sizes(document: pdfium.PdfDocument, pages: list[int]) -> list[float]:
    """The size in points of every printed character (white space aside) of the given pages."""
    sizes, matrix = [], pdfium_c.FS_MATRIX()
    for index in pages:
        textpage = document[index].get_textpage()
        for char, letter in enumerate(textpage.get_text_range()):
            if not letter.isspace():
                pdfium_c.FPDFText_GetMatrix(textpage.raw, char, matrix)
                scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
                sizes.append(round(pdfium_c.FPDFText_GetFontSize(textpage.raw, char) * scale, 2))
    return sizes
