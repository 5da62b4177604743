"""Fitting each material to its format from the real layout, never from character counts.

Each function renders HTML, lays it out with WeasyPrint, reads the resulting pages, and
re-renders when the fit asks for it (designed filler pages, the titles a card can hold,
the smallest leaflet format that holds a theme).
"""

from dataclasses import dataclass, field
from pathlib import Path

from weasyprint import Document

from printkit.errors import PrintkitError
from printkit.pipeline.cache import keep_fitting, kept_fitting
from printkit.pipeline.plan import Material
from printkit.programme.model import Programme
from printkit.render.html import Fitting, render_html
from printkit.render.layouts import Layouts
from printkit.render.pagewindow import measures_on, tail_inputs
from printkit.render.pdf import PrintOptions, ProjectFetcher, counting_warnings, lay_out
from printkit.render.whitespace import blank_shares, holes

BOOKLET_FILLERS = 3
BOOKLET_HIGHLIGHTS = 5
BOOKLET_CLOSING = ("themes", "vote", "act")  # what may follow the index on its last page, tried in turn
# Designed content a leaflet may take after its measures, in order (the tri-fold's flap
# always holds the guarantees, so its inside panels never repeat them).
LEAFLET_FILLERS = {"a5": ("vote", "guarantees", "act", "themes"), "trifold": ("vote", "act", "themes")}


@dataclass(frozen=True)
class LeafletFormat:
    """A standard printer product a leaflet can be laid out on."""

    layout: str
    label: str
    pages: int

    @property
    def trifold(self) -> bool:
        """Laid out as six panels, which the build imposes onto the two sides of an A4 sheet."""
        return self.layout == "trifold"


# From the smallest to the largest; A5 formats share one layout, so one render tells which fits.
LEAFLET_FORMATS = (
    LeafletFormat("a5", "A5 flyer, 2 sides", 2),
    LeafletFormat("trifold", "A4 tri-fold, DL closed (6 panels)", 6),
    LeafletFormat("a5", "A4 folded to A5 (4 pages)", 4),
    LeafletFormat("a5", "A5 booklet, 8 pages (2 sheets)", 8),
)


@dataclass
class Context:
    """What every render of one build shares."""

    programme: Programme
    layouts: Layouts
    fetcher: ProjectFetcher
    options: PrintOptions
    base: Path
    out: Path  # where the build writes, and keeps what the next build reuses
    laid: dict[str, Document] = field(default_factory=dict)  # the material's layouts so far, by their HTML


@dataclass
class Rendered:
    """A material laid out and ready to write."""

    material: Material
    html: str
    document: Document
    format: str
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    leaflet: LeafletFormat | None = None  # the leaflet format chosen, for a leaflet


def render_material(material: Material, context: Context, layout: str) -> Rendered:
    """Lay out one material, fitted to its format; ``layout`` is its layout key (cache.layout_key)."""
    with counting_warnings() as warnings:
        try:
            if material.kind == "booklet":
                rendered = _booklet(material, context, layout)
            else:
                rendered = {"leaflet": _leaflet, "card": _card}[material.kind](material, context)
        finally:
            context.laid.clear()
    rendered.warnings = list(warnings)
    return rendered


def _render(material: Material, context: Context, fitting: Fitting) -> tuple[str, Document]:
    """The material's HTML for these fitting choices, laid out; the fitting tries some choices that
    give the same HTML (the A5 formats' bare layout, parts before ``whole_from``): laid out once."""
    html = render_html(material, context.programme, context.layouts, context.options.created, fitting)
    if html not in context.laid:
        context.laid[html] = lay_out(html, context.base, context.fetcher, context.options, material.output)
    return html, context.laid[html]


def _pages_with(document: Document, prefix: str) -> list[int]:
    return [i for i, page in enumerate(document.pages) if any(a.startswith(prefix) for a in page.anchors)]


def _booklet(material: Material, context: Context, layout: str) -> Rendered:
    """Fill the index's last page with designed content when it has room, then keep just
    enough designed filler pages for a page count that is a multiple of 4.

    Each choice takes a layout of the whole booklet. The choice made last time is laid out
    first: when the pages after the measures are laid out from the same inputs as then
    (pagewindow.tail_inputs), the other choices would compare as they did, and it stands.
    """
    fitting = kept_fitting(context.out)
    if fitting is not None and fitting["layout"] == layout:
        html, document = _booklet_pages(material, context, tuple(fitting["closing"]))
        if _fitting_inputs(html, document) == fitting["inputs"]:
            return _booklet_rendered(material, html, document)
    html, document, closing = *_booklet_pages(material, context, ()), ()
    for kind in BOOKLET_CLOSING:
        closed = _booklet_pages(material, context, (kind,))
        if len(closed[1].pages) == len(document.pages) and _emptiness(closed[1]) < _emptiness(document):
            (html, document), closing = closed, (kind,)
    keep_fitting(context.out, {"layout": layout, "closing": closing, "inputs": _fitting_inputs(html, document)})
    return _booklet_rendered(material, html, document)


def draft_booklet(material: Material, context: Context) -> Rendered:
    """The booklet laid out once, with the last choice of what follows the index, for the preview
    to show while a new layout's fitting tries every choice."""
    fitting = kept_fitting(context.out)
    return _booklet_rendered(material, *_booklet_pages(material, context, tuple(fitting["closing"]) if fitting else ()))


def _fitting_inputs(html: str, document: Document) -> str:
    """What the choice after the index depends on: the inputs of the pages after the measures,
    and how empty the pages up to the last measure are (the choice compares the emptiest page)."""
    pages = document.pages
    last = max((i for i, page in enumerate(pages) if measures_on(page)), default=-1)
    return tail_inputs(html, document) + repr(_emptiness(document.copy(pages[:last + 1])))


def _booklet_rendered(material: Material, html: str, document: Document) -> Rendered:
    return Rendered(material, html, document, f"A5 booklet, {len(document.pages)} pages, saddle-stitched")


def booklet_html(material: Material, context: Context, closing: tuple[str, ...] = ()) -> str:
    """The booklet's HTML with every designed filler page, before the fitting drops those it does not need."""
    return render_html(material, context.programme, context.layouts, context.options.created,
                       Fitting(fillers=BOOKLET_FILLERS, highlights=BOOKLET_HIGHLIGHTS, closing=closing))


def _booklet_pages(material: Material, context: Context, closing: tuple[str, ...]) -> tuple[str, Document]:
    html = booklet_html(material, context, closing)
    document = lay_out(html, context.base, context.fetcher, context.options, material.output)
    fillers = _pages_with(document, "filler-")
    needed = -(len(document.pages) - len(fillers)) % 4
    dropped = set(fillers[needed:])
    return html, document.copy([page for i, page in enumerate(document.pages) if i not in dropped])


def _leaflet(material: Material, context: Context) -> Rendered:
    """The smallest standard format that holds every measure of the theme, filled with designed content.

    For each format, from the smallest, the leaflet is laid out with more and more of the
    designed content after the measures while the page count stays the format's; the
    fullest layout with the fewest pages that end in a hole wins.
    """
    for spec in LEAFLET_FORMATS:
        fitted = _fitted(material, context, spec)
        if fitted is not None:
            return Rendered(material, *fitted, spec.label, leaflet=spec)
    raise PrintkitError(f"{material.output}: the theme does not fit even the largest leaflet format "
                        f"({LEAFLET_FORMATS[-1].label}); shorten the measures or add a format")


def _fitted(material: Material, context: Context, spec: LeafletFormat) -> tuple[str, Document] | None:
    """The layout on this format with the fewest pages ending in a hole; None if the measures do not fit.

    Designed content is added part by part after the measures, each part kept only if the
    format still holds everything. The parts flow after the measures; when pages remain to
    fill, the later parts take whole pages (and the closing becomes the back page).
    """
    bare = _render(material, context, Fitting(format=spec.layout))
    if len(bare[1].pages) > spec.pages:
        return None
    candidates = []
    for kinds, whole_from in _arrangements(spec):
        html, document = _greedy(material, context, spec, bare, kinds, whole_from)
        if len(document.pages) == spec.pages:
            candidates.append((_emptiness(document), whole_from, html, document))
        if candidates and not candidates[-1][0][0]:
            break
    return min(candidates, key=lambda c: c[:2])[2:] if candidates else None


def _emptiness(document: Document) -> tuple[int, float]:
    """How many pages end in a hole, then the largest blank share of a page (covers aside)."""
    shares = [blank.share for blank in blank_shares(document) if not blank.cover]
    return len(holes(document)), max(shares, default=0.0)


def _arrangements(spec: LeafletFormat) -> list[tuple[tuple[str, ...], int]]:
    """The orders of designed parts to try, and from which part on they take whole pages.

    A5 pages: the parts in order, flowing, then more and more of them as whole pages. The
    tri-fold's panels are too narrow for whole-page parts: each part may come first instead.
    """
    kinds = LEAFLET_FILLERS[spec.layout]
    if spec.layout == "trifold":
        return [(kinds[i:] + kinds[:i], len(kinds)) for i in range(len(kinds))]
    return [(kinds, whole_from) for whole_from in range(len(kinds), -1, -1)]


def _greedy(material: Material, context: Context, spec: LeafletFormat, bare: tuple, kinds: tuple[str, ...],
            whole_from: int) -> tuple:
    """Add each designed part that still fits; parts from ``whole_from`` on take a whole page each."""
    best, chosen = bare, ()
    for kind in kinds:
        html, document = _render(material, context, Fitting(format=spec.layout, fillers=chosen + (kind,),
                                                             whole_from=whole_from))
        if len(document.pages) <= spec.pages:
            best, chosen = (html, document), chosen + (kind,)
    return best


def _card(material: Material, context: Context) -> Rendered:
    """As many measure titles as the back of the card holds, then how many more are online."""
    total = len(context.programme.measures_of(material.theme)) if material.theme else 0
    html, document = _render(material, context, Fitting(shown=total))
    shown = _titles_on_back(document) if material.theme else 0
    if total and not shown and not _titles_in(html):
        raise PrintkitError(f"{context.layouts.template_file(material.template)}: the card layout gives no measure "
                            "title an id 'mesure-<number>', which the build reads back to count the titles that "
                            "fit (see « The layout contract » in the README)")
    if shown < total:
        html, document = _render(material, context, Fitting(shown=shown))
    elif holes(document):  # every title fits with room to spare: say how to vote by proxy too
        roomier = _render(material, context, Fitting(shown=shown, vote=True))
        if len(roomier[1].pages) == 2 and _titles_on_back(roomier[1]) == shown:
            html, document = roomier
    if len(document.pages) != 2:
        raise PrintkitError(f"{material.output}: the card's content takes {len(document.pages)} sides, not 2")
    notes = [f"{shown} of {total} titles on the back"] if material.theme else []
    return Rendered(material, html, document, "A6 card, 2 sides", notes=notes)


def _titles_in(html: str) -> bool:
    return 'id="mesure-' in html


def _titles_on_back(document: Document) -> int:
    return sum(1 for page in document.pages[1:2] for anchor in page.anchors if anchor.startswith("mesure-"))
