"""The booklet pages an edit touches, laid out alone, for the preview to show first.

A full layout of the booklet takes seconds; a title edit changes two or three of its pages.
Each full build records which measure starts each page (the page map). After an edit, the
measures from the last page start before the edit to the first page start after it are laid
out alone: everything else stays in the document, emptied and hidden, so that every
selector matches as it did. One page laid out first and thrown away carries what the
window inherits: the page number and side, the running head, and a page break that falls
where the full layout's did (no forced break, which would keep margins a page top drops).

The pages are those of a full layout (tests/test_pagewindow.py compares them pixel for
pixel over every page of the real booklet); the full build follows and replaces them.
"""

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from xml.etree.ElementTree import Element, tostring

from weasyprint import HTML, Document

from printkit.files import write_atomic
from printkit.render import weasy
from printkit.render.pdf import PrintOptions, ProjectFetcher

PAGE_MAP = ".printkit/page-map.json"
MEASURE = "mesure-"  # the layout contract: each measure's element has id="mesure-<number>"
FILLER = "filler-"  # the layout contract: a designed page the fitting may drop has id="filler-<kind>"
HEAD = "data-head"  # the layout contract: a running head's text, set by the element that carries it
HIDDEN = "display: none"
SPACER = "display: block; margin: 0; padding: 0; border: 0; break-before: auto; break-after: auto; page: auto"


@dataclass
class Window:
    """New pages for a run of the booklet's pages: they replace pages ``first`` on; when
    ``settled`` the pages after them are unchanged, else they moved and wait for the full build."""

    document: Document
    first: int
    settled: bool
    following: str | None = None  # the measure that starts the page after the window, if one does
    titles: tuple[str, ...] = ()  # the first measure title on each page before it that has one, in the last full layout


def record(out: Path, name: str, html: str, document: Document, layout_key: str) -> None:
    """Record the page map of a material just laid out in full, and what its HTML holds after the measures."""
    pages = [{"measures": measures_on(page), "height": weasy.page_box(page).height} for page in document.pages]
    starts = page_starts(document)
    for page, start in zip(pages, starts):
        page["start"] = start
    articles = {identity: _digest(element) for identity, element in _measure_elements(_parse(html)).items()}
    printed = {anchor for page in document.pages for anchor in page.anchors}
    dropped = sorted(set(re.findall(rf'id="({FILLER}[^"]*)"', html)) - printed)
    write_atomic(out / PAGE_MAP, json.dumps({"name": name, "key": layout_key, "pages": pages, "articles": articles,
                                             "tail": _tail_digest(html, dropped), "dropped": dropped}).encode(),
                 durable=False)


def lay_out_window(out: Path, name: str, html: str, following: str, layout_key: str, base: Path,
                   fetcher: ProjectFetcher, options: PrintOptions,
                   refit: Callable[[Window], str | None] = lambda window: None) -> Window | None:
    """The pages the edit touches, cut from ``html``, or None when it is not an edit of measures under
    the same layout; settled only if ``following``, the HTML the next full layout is made from, holds
    after its measures what the last one did (its closing pages may quote a measure).

    ``html`` carries the last build's fitting choices on the measures (the space shared out above
    them, say), which the edit may have changed on the window's pages: ``refit``, given the window
    laid out, returns the HTML with the choices the full build's fitting reads back from them
    (None: they hold), and the window is laid out again from it."""
    recorded = _recorded(out, name, layout_key)
    if recorded is None:
        return None
    document = _document(html, base, fetcher)
    elements = _measure_elements(document.etree_element)
    changed = [i for i in elements if _digest(elements[i]) != recorded["articles"].get(i)]
    if list(elements) != list(recorded["articles"]) or not changed:
        return None  # measures added, removed or moved, or no measure changed: the full build shows it
    span = _span(recorded["pages"], changed)
    if span is None:
        return None
    window = _laid_window(document, span, recorded["pages"], fetcher, options)
    again = refit(window) if window else None
    if again is not None:  # the choices move no page break: the same span
        window = _laid_window(_document(again, base, fetcher), span, recorded["pages"], fetcher, options)
    tail_kept = _tail_digest(following, recorded.get("dropped", [])) == recorded.get("tail")
    return window if window is None or tail_kept else replace(window, settled=False)


def _document(html: str, base: Path, fetcher: ProjectFetcher) -> HTML:
    return HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=fetcher)


def _laid_window(document: HTML, span: tuple[int, str | None], pages: list[dict], fetcher: ProjectFetcher,
                 options: PrintOptions) -> Window | None:
    """The window's pages, laid out from ``document`` hollowed to the ``span``'s measures."""
    first, stop = span
    _hollow(document.etree_element, _measure_elements(document.etree_element), first, stop, pages)
    return _settle(_render(document, first, fetcher, options), first, pages, stop)


def _recorded(out: Path, name: str, layout_key: str) -> dict | None:
    try:
        recorded = json.loads((out / PAGE_MAP).read_text())
    except (OSError, ValueError):
        return None
    return recorded if recorded.get("name") == name and recorded.get("key") == layout_key else None


@lru_cache(maxsize=1)
def _parse(html: str) -> Element:
    """The tree of a booklet's HTML, read-only: the fitting's digest and the page map read the same one."""
    return HTML(string=html).etree_element


def _measure_elements(root: Element) -> dict[str, Element]:
    return {e.get("id"): e for e in root.iter() if e.get("id", "").startswith(MEASURE)}


def _digest(element: Element) -> str:
    return hashlib.sha256(tostring(element)).hexdigest()


def measures_on(page) -> list[str]:
    """The measures a laid-out page holds, by their ids."""
    return [a for a in page.anchors if a.startswith(MEASURE)]


def page_starts(document: Document) -> list[str | None]:
    """For each page, the measure that begins at its top, if one does (None for a continued one)."""
    starts, before = [], set()
    for page in document.pages:
        top = _first_measure(weasy.page_box(page))
        starts.append(top if top in page.anchors and top not in before else None)
        before = set(page.anchors)
    return starts


def _first_measure(box) -> str | None:
    return next((i for i in map(weasy.element_id, weasy.walk_boxes(box)) if i.startswith(MEASURE)), None)


def _span(pages: list[dict], changed: list[str]) -> tuple[int, str | None] | None:
    """The page the window starts on, and the measure it stops at (None: the end of the measures).

    It starts at the last page start before the first changed measure and stops at the
    first page start two pages after the last: one page for the edit, one to settle. When the
    measures end before such a page (a short booklet, or a last page that opens inside a long
    measure), it stops at the page start right after the edit, if the window still holds two
    pages: without a stop the window runs to the end of the measures and can never say the
    pages after it are unchanged, even after an edit that moves nothing.
    """
    on = [i for i, page in enumerate(pages) if set(changed) & set(page["measures"])]
    if not on:
        return None
    first = next((i for i in range(on[0], -1, -1) if pages[i]["start"]), None)
    if first is None or first == 0:
        return None
    stop = next((pages[i]["start"] for i in range(on[-1] + 2, len(pages)) if pages[i]["start"]), None)
    if stop is None:
        stop = next((pages[i]["start"] for i in range(max(on[-1] + 1, first + 2), len(pages)) if pages[i]["start"]),
                    None)
    return first, stop


def _hollow(root: Element, elements: dict[str, Element], first: int, stop: str | None, pages: list[dict]) -> None:
    """Empty and hide all but the window's measures, and make the page before them the seed page."""
    ids = list(elements)
    start = pages[first]["start"]
    kept = {elements[i] for i in ids[ids.index(start):ids.index(stop) + 1 if stop else len(ids)]}
    parents = {child: parent for parent in root.iter() for child in parent}
    heads = _heads_before(root, elements[start])
    _empty_all_but(root.find("body"), kept)
    host = _seed_host(elements[start], parents)
    host.set("style", f"{SPACER}; height: {pages[first - 1]['height']}px")
    if heads:  # the running head the window's first page inherits, set on the seed page
        host.append(Element(heads[-1].tag, dict(heads[-1].attrib) | {"style": f"{SPACER}; height: 0"}))


def _heads_before(root: Element, start: Element) -> list[Element]:
    heads = []
    for element in root.iter():
        if element is start:
            return heads
        if element.get(HEAD) is not None:
            heads.append(element)
    return heads


def _empty_all_but(element: Element, kept: set[Element]) -> None:
    for child in list(element):
        if child in kept:
            continue
        if any(descendant in kept for descendant in child.iter()):
            _empty_all_but(child, kept)
            continue
        child[:] = []
        child.text = None
        child.set("style", HIDDEN)


def _seed_host(start: Element, parents: dict) -> Element:
    """The element just before the outermost one that begins with the window's first measure:
    laid out as tall as a page, it pushes the window on to the next page with the break a full
    layout makes there."""
    outer = start
    while parents[outer].tag != "body" and parents[outer][0] is outer:
        outer = parents[outer]
    parent = parents[outer]
    index = list(parent).index(outer)
    if index == 0:
        parent.insert(0, Element("div"))
        return parent[0]
    return parent[index - 1]


def _render(document: HTML, first: int, fetcher: ProjectFetcher, options: PrintOptions) -> Document:
    from printkit.render.pdf import render_parsed

    side = "right" if first % 2 else "left"  # the seed page is page number ``first``
    seed = f"@page :first {{ counter-reset: page {first} }} html {{ break-before: {side} }}"
    return render_parsed(document, fetcher, options, seed)


def _settle(laid: Document, first: int, pages: list[dict], stop: str | None) -> Window | None:
    """The window's pages up to the one the stop measure starts (or up to the last, which the
    hidden content after the measures would have shared)."""
    window = laid.pages[1:]
    starts = page_starts(laid)[1:]
    if not window or starts[0] != pages[first]["start"]:
        return None  # the seed page did not hold: never show a page a full layout would not make
    end = next((k for k, page in enumerate(window) if stop in page.anchors), len(window) - 1)
    if end == 0:
        return None
    settled = stop is not None and starts[end] == stop and first + end < len(pages) and pages[first + end]["start"] == stop
    return Window(laid.copy(window[:end]), first, settled, starts[end], _first_titles(pages[:first]))


def _first_titles(pages: list[dict]) -> tuple[str, ...]:
    """The measure whose title comes first on each page that has one: the one it opens with, else
    the one after the measure it opens inside."""
    firsts = [page["measures"][0 if page["start"] else 1:][:1] for page in pages]
    return tuple(first[0] for first in firsts if first)


def tail_inputs(html: str, document: Document) -> str:
    """A digest of what the pages after the last measure are laid out from: their HTML, where
    they start (page, height, running head) and the page of every anchor their page numbers
    refer to. Equal digests, under the same layout, give the same pages after the measures.
    The designed pages the layout dropped are left out: they fill their page whatever they say,
    so an edit only they quote (a theme's lead) changes no printed page, nor how empty another
    choice after the index would leave the booklet."""
    root = _parse(html)
    order, last, after = _after_measures(root)
    printed = {anchor for page in document.pages for anchor in page.anchors}
    after = [element for element in after if not element.get("id", "").startswith(FILLER) or element.get("id") in printed]
    start = order.index(last) if last is not root else 0
    heads = [element.get(HEAD) for element in order[:start] if element.get(HEAD) is not None]
    pages = {anchor: index for index, page in enumerate(document.pages) for anchor in page.anchors}
    ends = _bottom(document, last.get("id"))
    parts = [b"".join(tostring(element) for element in after), json.dumps([pages, ends, heads[-1:]]).encode()]
    return hashlib.sha256(b"\0".join(parts)).hexdigest()


def _after_measures(root: Element) -> tuple[list[Element], Element, list[Element]]:
    """The document's elements in order, its last measure (the root when it has none: the whole
    document is then what follows), and the outermost elements after that measure."""
    order = list(root.iter())
    measures = list(_measure_elements(root).values())
    last = measures[-1] if measures else root
    start, inside = (order.index(last), set(last.iter())) if measures else (0, set())
    tail = [element for element in order[start:] if element not in inside]
    parents, tail_set = {child: parent for parent in order for child in parent}, set(tail)
    return order, last, [element for element in tail if parents.get(element) not in tail_set]


def _tail_digest(html: str, dropped: list[str]) -> str:
    """A digest of the HTML after the last measure's element, found in the text itself (parsing the
    booklet again would cost the preview a tenth of a second): the closing pages may quote a measure.
    The ``dropped`` designed pages, which the last build did not print, are left out: an edit they
    alone quote changes no page."""
    start = html.rfind(f'id="{MEASURE}')
    if start < 0:
        return hashlib.sha256(html.encode()).hexdigest()
    tail = html[_element_end(html, html.rindex("<", 0, start)):]
    for identity in dropped:
        tail = _without(tail, identity)
    return hashlib.sha256(tail.encode()).hexdigest()


def _element_end(html: str, opening: int) -> int:
    """Where the element whose start tag opens at ``opening`` ends (the end of the text if it does not)."""
    tag = re.match(r"<(\w+)", html[opening:]).group(1)
    depth = 0
    for mark in re.finditer(rf"<(/?){tag}\b[^>]*>", html[opening:]):  # text and attributes escape « < »
        depth += -1 if mark.group(1) else 1
        if depth == 0:
            return opening + mark.end()
    return len(html)


def _without(html: str, identity: str) -> str:
    at = html.find(f'id="{identity}"')
    if at < 0:
        return html
    opening = html.rindex("<", 0, at)
    return html[:opening] + html[_element_end(html, opening):]


def _bottom(document: Document, identity: str) -> tuple[int, float]:
    """The page where an element ends, and how far down it ends there."""
    for index in range(len(document.pages) - 1, -1, -1):
        page = weasy.page_box(document.pages[index])
        bottoms = [box.position_y + box.margin_height() for box in weasy.walk_boxes(page)
                   if weasy.element_id(box) == identity]
        if bottoms:
            return index, max(bottoms)
    return -1, 0.0
