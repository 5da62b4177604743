"""Fitting each material to its format from the real layout, never from character counts.

Each function renders HTML, lays it out with WeasyPrint, reads the resulting pages, and
re-renders when the fit asks for it (designed filler pages, the titles a card can hold,
the smallest leaflet format that holds a theme).
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from weasyprint import Document

from .errors import PrintkitError
from .html import render_html
from .layouts import Layouts
from .model import Programme
from .pdf import PrintOptions, ProjectFetcher, counting_warnings, lay_out
from .plan import Material

BOOKLET_FILLERS = 3
LEAFLET_FILLERS = 4


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
    build_date: datetime.date
    base: Path


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


def render_material(material: Material, context: Context) -> Rendered:
    """Lay out one material, fitted to its format."""
    fit = {"booklet": _booklet, "leaflet": _leaflet, "card": _card}[material.kind]
    with counting_warnings() as warnings:
        rendered = fit(material, context)
    rendered.warnings = list(warnings)
    return rendered


def _render(material: Material, context: Context, **fitting) -> tuple[str, Document]:
    html = render_html(material, context.programme, context.layouts, context.build_date,
                       created=context.options.created.isoformat(), **fitting)
    return html, lay_out(html, context.base, context.fetcher, context.options, material.output)


def _pages_with(document: Document, prefix: str) -> list[int]:
    return [i for i, page in enumerate(document.pages) if any(a.startswith(prefix) for a in page.anchors)]


def _booklet(material: Material, context: Context) -> Rendered:
    """Keep just enough designed filler pages for a page count that is a multiple of 4."""
    html, document = _render(material, context, fillers=BOOKLET_FILLERS)
    fillers = _pages_with(document, "filler-")
    needed = -(len(document.pages) - len(fillers)) % 4
    dropped = set(fillers[needed:])
    document = document.copy([page for i, page in enumerate(document.pages) if i not in dropped])
    return Rendered(material, html, document, f"A5 booklet, {len(document.pages)} pages, saddle-stitched")


def _leaflet(material: Material, context: Context) -> Rendered:
    """The smallest standard format that holds every measure of the theme, filled with designed pages."""
    laid_out = {}
    for spec in LEAFLET_FORMATS:
        if spec.layout not in laid_out:
            laid_out[spec.layout] = _render(material, context, format=spec.layout, fillers=0)
        html, document = _filled(material, context, spec, *laid_out[spec.layout])
        if len(document.pages) == spec.pages:
            return Rendered(material, html, document, spec.label, leaflet=spec)
    raise PrintkitError(f"{material.output}: the theme does not fit even the largest leaflet format "
                        f"({LEAFLET_FORMATS[-1].label}); shorten the measures or add a format")


def _filled(material: Material, context: Context, spec: LeafletFormat, html: str, document: Document):
    """Add designed filler pages, one more at a time, until the format's page count is met."""
    for fillers in range(max(1, spec.pages - len(document.pages)), LEAFLET_FILLERS + 1):
        if len(document.pages) >= spec.pages:
            break
        html, document = _render(material, context, format=spec.layout, fillers=fillers)
    return html, document


def _card(material: Material, context: Context) -> Rendered:
    """As many measure titles as the back of the card holds, then how many more are online."""
    total = len(context.programme.measures_of(material.theme)) if material.theme else 0
    html, document = _render(material, context, shown=total)
    shown = _titles_on_back(document) if material.theme else 0
    if shown < total:
        html, document = _render(material, context, shown=shown)
    if len(document.pages) != 2:
        raise PrintkitError(f"{material.output}: the card's content takes {len(document.pages)} sides, not 2")
    notes = [f"{shown} of {total} titles on the back"] if material.theme else []
    return Rendered(material, html, document, "A6 card, 2 sides", notes=notes)


def _titles_on_back(document: Document) -> int:
    return sum(1 for page in document.pages[1:2] for anchor in page.anchors if anchor.startswith("mesure-"))
