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

Writing a PDF goes through ``write_pdf`` here too, for the dates of the fonts WeasyPrint
embeds (fontTools 4.x) and the DocumentID it draws at random for a PDF/X file's XMP
(``weasyprint.pdf.metadata.uuid4``).
"""

import datetime
import hashlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar

from fontTools.misc.timeTools import timestampNow, timestampSinceEpoch
from fontTools.ttLib.tables import _h_e_a_d
from weasyprint import HTML, Document, Page
from weasyprint.pdf import metadata
from weasyprint.formatting_structure.boxes import Box, MarginBox, ReplacedBox, TextBox

__all__ = ["Box", "MarginBox", "ReplacedBox", "TextBox", "classes", "element_id", "page_box", "walk_boxes",
           "write_pdf"]

_font_date: ContextVar[int | None] = ContextVar("font_date", default=None)  # in fontTools' units
_identity: ContextVar[bytes | None] = ContextVar("identity", default=None)  # the PDF's identifier, while written


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


def write_pdf(source: HTML | Document, created: datetime.datetime, **options) -> bytes:
    """``source.write_pdf(**options)``, every font that fontTools writes for it dated ``created``.

    WeasyPrint subsets fonts with HarfBuzz, which keeps a font's dates, but with fontTools
    when libharfbuzz-subset is missing or older than 4.1, and instantiates variable fonts
    and strips colour fonts with fontTools too. fontTools dates each font it saves (the
    ``head`` table's ``modified``) with the current time, or with SOURCE_DATE_EPOCH: dated
    here instead, the same inputs give the same bytes on any day, and the environment, which
    worker processes started by spawn or forkserver inherit, is left as the user set it.
    """
    token = _font_date.set(timestampSinceEpoch(int(created.timestamp())))
    given = options.get("pdf_identifier")
    identity = _identity.set(given if isinstance(given, bytes) else created.isoformat().encode())
    try:
        return source.write_pdf(**options)
    finally:
        _identity.reset(identity)
        _font_date.reset(token)


def _font_clock() -> int:
    """fontTools' clock for a font's ``head.modified``: the creation date of the PDF being written, else its own."""
    date = _font_date.get()
    return timestampNow() if date is None else date


_h_e_a_d.timestampNow = _font_clock  # the name the head table reads the time through when fontTools saves a font


def _document_uuid() -> uuid.UUID:
    """WeasyPrint's DocumentID: from the identifier of the PDF being written, never drawn at random.

    finish_pdf gives every PDF/X file its own identifiers, but an imposed file (a tri-fold)
    is saved once before that, and its trailer /ID is a digest of content that held the random one.
    """
    identity = _identity.get()
    return uuid.uuid4() if identity is None else uuid.UUID(bytes=hashlib.sha256(identity).digest()[:16], version=4)


metadata.uuid4 = _document_uuid  # the name WeasyPrint's XMP writer draws the DocumentID through
