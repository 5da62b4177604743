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
import io
import logging
import uuid
from collections import OrderedDict
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from fontTools.misc.timeTools import timestampNow, timestampSinceEpoch
from fontTools.ttLib.tables import _h_e_a_d
import tinycss2
from weasyprint import CSS, HTML, Document, Page, css
from weasyprint.css import get_child_text, media_queries
from weasyprint.css.tokens import Pending
from weasyprint.html import element_has_link_type, parse_url
from weasyprint.pdf import metadata
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetchingError, fetch
from weasyprint.formatting_structure.boxes import Box, LineBox, MarginBox, ReplacedBox, TextBox

__all__ = ["Box", "MarginBox", "ReplacedBox", "TextBox", "classes", "element_id", "line_boxes", "line_length", "page_box",
           "render", "walk_boxes", "write_pdf"]

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


def line_boxes(document: Document) -> Iterator[Box]:
    """Every line box of a laid-out document, page after page."""
    for page in document.pages:
        yield from (box for box in walk_boxes(page_box(page)) if isinstance(box, LineBox))


def line_length(line: Box) -> float:
    """How far a line box's content runs from its start, in px: a line box is as wide as its block."""
    return max((child.position_x + child.margin_width() for child in line.children), default=line.position_x) - line.position_x


def render(html: HTML, own: CSS, fonts: FontConfiguration, color_profiles: dict, **options) -> Document:
    """``html.render(stylesheets=[own], …)``, each of the document's stylesheets parsed once per process.

    WeasyPrint parses each ``<style>`` and ``<link rel="stylesheet">`` again for every layout (6 to
    9 % of a small programme's build), and a fitting lays the same stylesheets out many times.
    While printkit lays out, WeasyPrint's reader of a document's stylesheets
    (``weasyprint.css.find_stylesheets``) is ``_find_stylesheets``, which gives it the sheets as
    parsed before: the same author sheets, in the same order, so the cascade is WeasyPrint's.
    """
    reading = _reading.set(True)
    try:
        return html.render(stylesheets=[own], font_config=fonts, color_profiles=color_profiles, **options)
    finally:
        _reading.reset(reading)


_KEPT_SHEETS = 64  # parsed stylesheets kept, the most recently used: a layout has 3 to 6, a designer edits them
# At-rules that fill the layout's own tables as they are parsed (its fonts, counter styles, colour
# profiles, layers) or that read other sheets: a stylesheet holding one is parsed for each layout.
_RULES_NEVER_KEPT = {"font-face", "counter-style", "color-profile", "import", "layer"}
_reading: ContextVar[bool] = ContextVar("reading", default=False)  # printkit's layout under way
_sheets: OrderedDict[tuple, "_Kept | None"] = OrderedDict()  # None: a stylesheet parsed for each layout
_LOGGER = logging.getLogger("weasyprint")  # WeasyPrint's own, which its warnings go to
_weasyprint_find_stylesheets = css.find_stylesheets


@dataclass
class _Kept:
    """A stylesheet as parsed once: the sheet, what WeasyPrint logged while parsing it, and its values
    whose validation waits for the layout (``var()``), each of which warns once per layout."""

    sheet: CSS
    records: list[logging.LogRecord]
    pending: list[Pending]


def _find_stylesheets(wrapper_element, device_media_type, url_fetcher, base_url, font_config, counter_style,
                      color_profiles, page_rules, layers):
    """WeasyPrint's ``find_stylesheets``, with the sheets it would parse again taken as parsed before
    while printkit lays out: the same elements, media and types read, in the same order."""
    if not _reading.get():
        yield from _weasyprint_find_stylesheets(wrapper_element, device_media_type, url_fetcher, base_url, font_config,
                                                counter_style, color_profiles, page_rules, layers)
        return
    tables = {"url_fetcher": url_fetcher, "media_type": device_media_type, "font_config": font_config,
              "counter_style": counter_style, "color_profiles": color_profiles, "layers": layers}
    for element in _stylesheet_elements(wrapper_element, device_media_type):
        if element.tag == "style":
            text = get_child_text(element)
            yield _sheet((text, base_url, device_media_type), {"string": text, "base_url": base_url}, tables)
        elif (url := parse_url(element.get("href"), base_url)) is not None:
            yield from _linked_sheet(url, tables)


def _stylesheet_elements(wrapper_element, device_media_type) -> Iterator:
    """The ``<style>`` and ``<link rel="stylesheet">`` elements WeasyPrint reads, for this medium."""
    for wrapper in wrapper_element.query_all("style", "link"):
        element = wrapper.etree_element
        if element.get("type", "text/css").split(";", 1)[0].strip() != "text/css":
            continue
        media = [medium.strip() for medium in (element.get("media", "").strip() or "all").split(",")]
        if not media_queries.evaluate_media_query(media, device_media_type):
            continue
        if element.tag == "style" or (element.get("href") and element_has_link_type(element, "stylesheet")
                                      and not element_has_link_type(element, "alternate")):
            yield element


def _linked_sheet(url: str, tables: dict) -> Iterator[CSS]:
    """A linked stylesheet, fetched each time by the project's fetcher (which decides what a layout may
    read) and kept by its bytes; one that is not plain CSS, or names its charset, WeasyPrint reads itself."""
    try:
        with fetch(tables["url_fetcher"], url) as response:
            data, address, charset, kind = response.read(), response.url, response.charset, response.content_type
    except URLFetchingError as error:
        _LOGGER.error("Failed to load stylesheet at %s: %s", url, error)
        return
    if kind != "text/css" or charset or isinstance(data, str):
        yield CSS(url=url, _check_mime_type=True, **tables)
    else:
        yield _sheet((data, address, tables["media_type"]), {"file_obj": io.BytesIO(data), "base_url": address}, tables)


def _sheet(key: tuple, source: dict, tables: dict) -> CSS:
    """The stylesheet ``source`` parsed, or as parsed before under ``key``: then what its parsing
    logged (an unknown property…) is logged again, as each layout's own parsing would."""
    if key in _sheets:
        _sheets.move_to_end(key)
        kept = _sheets[key]
        if kept is not None:
            _log_again(kept)
    else:
        _sheets[key] = kept = _parsed(source, tables) if _keepable(source) else None
        if len(_sheets) > _KEPT_SHEETS:
            _sheets.popitem(last=False)
    return CSS(**_fresh(source), **tables) if kept is None else kept.sheet


def _log_again(kept: _Kept) -> None:
    """What a kept stylesheet's parsing logged, logged again; its ``var()`` values warn again."""
    for value in kept.pending:
        value._reported_error = False
    for record in kept.records:
        _LOGGER.handle(record)


def _keepable(source: dict) -> bool:
    """Whether a stylesheet holds none of the at-rules that make it the layout's own, at any depth."""
    rules = (tinycss2.parse_stylesheet(source["string"]) if "string" in source
             else tinycss2.parse_stylesheet_bytes(source["file_obj"].getvalue())[0])
    return not any(keyword in _RULES_NEVER_KEPT for keyword in _at_keywords(rules))


def _at_keywords(rules) -> Iterator[str]:
    for rule in rules:
        if rule.type == "at-rule":
            yield rule.lower_at_keyword
            if rule.content is not None:
                yield from _at_keywords(tinycss2.parse_rule_list(rule.content))


def _fresh(source: dict) -> dict:
    """``source`` to be read once more (a byte stream is read to its end)."""
    return {**source, "file_obj": io.BytesIO(source["file_obj"].getvalue())} if "file_obj" in source else source


class _Records(logging.Handler):
    """The records a logger gives while it is attached."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _parsed(source: dict, tables: dict) -> _Kept:
    """A stylesheet parsed on its own tables (a layout's own are for the sheets never kept), with what
    WeasyPrint logged and the values it left to validate while parsing it."""
    records, pending = _Records(), []
    _LOGGER.addHandler(records)
    token = _pending.set(pending)
    try:
        own = {**tables, "counter_style": {}, "color_profiles": {}, "layers": None}
        return _Kept(CSS(**_fresh(source), **own), records.records, pending)
    finally:
        _pending.reset(token)
        _LOGGER.removeHandler(records)


_pending: ContextVar[list | None] = ContextVar("pending", default=None)  # a kept sheet's values left to validate
_pending_init = Pending.__init__


def _recorded_pending(value: Pending, *args, **kwargs) -> None:
    """``Pending.__init__``, the value recorded with the stylesheet being parsed to be kept."""
    _pending_init(value, *args, **kwargs)
    if (pending := _pending.get()) is not None:
        pending.append(value)


Pending.__init__ = _recorded_pending  # a value WeasyPrint validates at layout time, and warns of once
css.find_stylesheets = _find_stylesheets  # the name get_all_computed_styles reads the document's sheets through


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
