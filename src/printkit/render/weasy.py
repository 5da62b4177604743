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

Laying out goes through ``render`` here, which hands WeasyPrint the document's stylesheets
already parsed (see ``render``); writing a PDF goes through ``write_pdf`` here too, for the dates of the fonts WeasyPrint
embeds (fontTools 4.x) and the DocumentID it draws at random for a PDF/X file's XMP
(``weasyprint.pdf.metadata.uuid4``).
"""

import datetime
import hashlib
import logging
import uuid
from collections import OrderedDict
from collections.abc import Iterator
from contextvars import ContextVar

from fontTools.misc.timeTools import timestampNow, timestampSinceEpoch
from fontTools.ttLib.tables import _h_e_a_d
from weasyprint import CSS, HTML, Document, Page
from weasyprint.css import get_child_text
from weasyprint.css.counters import CounterStyle
from weasyprint.html import element_has_link_type, parse_url
from weasyprint.pdf import metadata
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import fetch
from weasyprint.formatting_structure.boxes import Box, MarginBox, ReplacedBox, TextBox

__all__ = ["Box", "MarginBox", "ReplacedBox", "TextBox", "classes", "element_id", "page_box", "render",
           "walk_boxes", "write_pdf"]

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


def render(html: HTML, own: CSS, fonts: FontConfiguration, color_profiles: dict, **options) -> Document:
    """``html.render(stylesheets=[own], …)``, with the document's stylesheets parsed once per process.

    WeasyPrint parses each ``<style>`` and ``<link rel="stylesheet">`` again for every layout: a
    sixth of a small document's layout time, and a fitting lays the same stylesheets out many
    times. They are handed to WeasyPrint parsed instead, as user stylesheets after ``own`` in
    the document's order, and their elements marked for WeasyPrint to skip. The cascade is the
    same: all of them are of one origin, in the same order, and ``own`` (printkit's page rules,
    the user origin's before) comes first, with selectors no more specific than a layout's.
    """
    counters = CounterStyle()
    sheets = _document_sheets(html, fonts, counters, color_profiles)
    return html.render(stylesheets=[own, *sheets], font_config=fonts, counter_style=counters,
                       color_profiles=color_profiles, **options)


_PARSED = "text/x-printkit-parsed"  # the type a stylesheet's element gets once its sheet is handed over parsed
_KEPT_SHEETS = 64  # parsed stylesheets kept, the most recently used: a layout has 3 to 6, a designer edits them
# Rules that fill the layout's own tables as they are parsed (its fonts, counters, colour profiles,
# layers) or that read other sheets: a stylesheet holding one is parsed for each layout, as before.
_RULES_NEVER_KEPT = ("@font-face", "@counter-style", "@color-profile", "@import", "@layer")
_sheets: OrderedDict[tuple, tuple[CSS, list[logging.LogRecord]]] = OrderedDict()
_LOGGER = logging.getLogger("weasyprint")  # WeasyPrint's own, which its warnings go to


def _document_sheets(html: HTML, fonts: FontConfiguration, counters: CounterStyle, profiles: dict) -> list[CSS]:
    """The document's stylesheets in order, parsed or as parsed before, each element marked parsed (a
    document laid out again is read the same way); none when one is for some media only or not plain
    CSS: WeasyPrint then reads them all itself."""
    elements = [w.etree_element for w in html.wrapper_element.query_all("style", "link")]
    elements = [e for e in elements if e.tag == "style" or (
        e.get("href") and element_has_link_type(e, "stylesheet") and not element_has_link_type(e, "alternate"))]
    if any(e.get("media") is not None or e.get("type", "text/css") not in ("text/css", _PARSED) for e in elements):
        return []  # WeasyPrint reads them all, in order, weighing each medium
    sheets = [_sheet(e, html, fonts, counters, profiles) for e in elements]
    for element in elements:
        element.set("type", _PARSED)
    return sheets


def _sheet(element, html: HTML, fonts: FontConfiguration, counters: CounterStyle, profiles: dict) -> CSS:
    """One element's stylesheet, parsed as WeasyPrint would, or as parsed before: then the warnings
    its parsing gave (an unknown property…) are given again, as each layout gets them from WeasyPrint."""
    text, source = _source(element, html)
    tables = {"url_fetcher": html.url_fetcher, "media_type": html.media_type, "font_config": fonts,
              "counter_style": counters, "color_profiles": profiles}
    if any(rule in text for rule in _RULES_NEVER_KEPT):
        return CSS(**source, **tables)
    key = (text, source.get("url", html.base_url), html.media_type)
    if key in _sheets:
        _sheets.move_to_end(key)
        sheet, warnings = _sheets[key]
        for record in warnings:
            _LOGGER.handle(record)
        return sheet
    _sheets[key] = _parsed(source, tables)
    if len(_sheets) > _KEPT_SHEETS:
        _sheets.popitem(last=False)
    return _sheets[key][0]


def _source(element, html: HTML) -> tuple[str, dict]:
    """An element's stylesheet as text, and how ``CSS`` reads it as WeasyPrint does; a linked one is
    fetched each time, so that the project's fetcher still decides what a layout may read."""
    if element.tag == "style":
        text = get_child_text(element)
        return text, {"string": text, "base_url": html.base_url}
    url = parse_url(element.get("href"), html.base_url)
    with fetch(html.url_fetcher, url) as response:
        data = response.read()
    return (data if isinstance(data, str) else data.decode("utf-8", "replace")), {"url": url, "_check_mime_type": True}


class _Records(logging.Handler):
    """The records a logger gives while it is attached."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _parsed(source: dict, tables: dict) -> tuple[CSS, list[logging.LogRecord]]:
    """A stylesheet parsed, and what WeasyPrint logged while parsing it."""
    records = _Records()
    _LOGGER.addHandler(records)
    try:
        return CSS(**source, **tables), records.records
    finally:
        _LOGGER.removeHandler(records)


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
