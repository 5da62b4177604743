"""The one module that reaches inside WeasyPrint, written against WeasyPrint 70.0.

WeasyPrint's public API (HTML, CSS, Document, Page) lays out and writes PDFs, but the
layout contract is read back from the laid-out boxes: which measure (id ``mesure-<n>``)
each page starts with and where it ends, how far down a page the text goes, whether text
or a QR code leaves the safe zone, where a letter's greeting sits. A page's box tree is
private (``Page._page_box``) and the box classes live in
``weasyprint.formatting_structure.boxes``: both are reached here only, so that a WeasyPrint
upgrade is checked against this file. The boxes handed out are WeasyPrint's own, read for
their geometry (``position_y``, ``margin_height()``, ``border_box_x()``…), ``style`` and
``element``.
"""

from collections.abc import Iterator

from weasyprint import Page
from weasyprint.formatting_structure.boxes import Box, MarginBox, ReplacedBox, TextBox

__all__ = ["Box", "MarginBox", "ReplacedBox", "TextBox", "classes", "element_id", "page_box", "walk_boxes"]


def page_box(page: Page) -> Box:
    """The root of a laid-out page's boxes: the page box, its margin boxes among its children."""
    return page._page_box


def walk_boxes(box: Box, margins: bool = True) -> Iterator[Box]:
    """``box`` and every box under it, each before its children; without ``margins``, the page's
    margin boxes (running heads, page numbers, the proof banner) and what they hold are left out."""
    if not margins and isinstance(box, MarginBox):
        return
    yield box
    for child in getattr(box, "children", None) or ():  # text and replaced boxes have none
        yield from walk_boxes(child, margins)


def element_id(box: Box) -> str:
    """The id of the element this box is the principal box of ("" for none, or a pseudo-element's box)."""
    element = getattr(box, "element", None)
    return element.get("id", "") if element is not None and box.element_tag == element.tag else ""


def classes(box: Box) -> set[str]:
    """The classes of the element a box was made for (anonymous boxes, such as lines, share their parent's)."""
    element = getattr(box, "element", None)
    return set((element.get("class") or "").split()) if element is not None else set()
