"""Leaflets: one per theme, on the smallest standard format that holds every measure of it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from printkit.errors import PrintkitError
from printkit.products.paper import A4, A5, DL, HALF_LETTER, LETTER, NO10, Size, trifold_panels
from printkit.products.registry import Format, Material, Product, Rendered, register
from printkit.programme.urls import measure_url, programme_url, theme_url

if TYPE_CHECKING:
    from weasyprint import Document

    from printkit.products.fitting import Context
    from printkit.programme.model import Measure, Programme

# Designed content a leaflet may take after its measures, in order, by layout (the tri-fold's
# flap holds the guarantees, so its inside panels never repeat them).
FILLERS = {"pages": ("vote", "guarantees", "act", "themes"), "trifold": ("vote", "act", "themes")}
# Without guarantees the tri-fold's flap holds how to vote and to act instead (leaflet.html sets ``flap``).
FLAP = ("vote", "act")


def _formats(page: Size, sheet: Size, closed: Size, names: tuple[str, str]) -> tuple[Format, ...]:
    """A paper family's leaflets, from the smallest to the largest: a page flyer, a sheet
    tri-fold (``closed``: the standard size it folds to, whose name tells the envelope it fits;
    its real size closed comes from its panels), a sheet
    folded to the page, 8 pages. The page formats share one layout, so one render tells which
    fits. ``names`` are the page's and the sheet's in the format names (and the messages
    ``format.<name>`` that describe them)."""
    small, large = names
    panels = trifold_panels(sheet)
    return (
        Format(f"{small}-flyer", "pages", 2, size=page),
        Format(f"{large}-trifold", "trifold", 6, "fold.roll_3", size=sheet.landscape, panels=panels,
               fold_values=(("envelope", closed.name),)),
        Format(f"{large}-folded-{small}", "pages", 4, "fold.sheet_to_page", size=page,
               fold_values=(("sheet", sheet.name), ("page", page.name))),
        Format(f"{small}-8-pages", "pages", 8, "fold.half", "binding.saddle_stitch", size=page),
    )


FORMATS = {"iso": _formats(A5, A4, DL, ("a5", "a4")),
           "us": _formats(HALF_LETTER, LETTER, NO10, ("half-letter", "letter"))}


@register
class Leaflet(Product):
    """Every measure of a theme in full, with its QR code, then designed content where there is room."""

    kind = "leaflet"
    name = "leaflets"
    folder = "leaflets"
    medium = "tract"
    paper = "paper.silk_135"
    per_theme = True
    formats = FORMATS

    def qr_urls(self, programme: Programme, theme: str | None) -> tuple[set[str], set[str]]:
        """Each measure of the theme and the theme's page; the programme's page may be there too."""
        required = {measure_url(programme, m, self.medium) for m in programme.measures_of(theme)}
        required.add(theme_url(programme, programme.theme(theme), self.medium))
        return required | {programme_url(programme, self.medium)}, required

    def flagships(self, programme: Programme) -> tuple[Measure, ...]:
        """The measure a tri-fold's cover leads with, for each theme of more than one measure."""
        return tuple(programme.leading(t.slug)[0] for t in programme.themes if len(programme.measures_of(t.slug)) > 1)

    def fit(self, material: Material, context: Context, layout: str) -> Rendered:
        """The smallest standard format that holds every measure of the theme, filled with designed content.

        For each format, from the smallest, the leaflet is laid out with more and more of the
        designed content after the measures while the page count stays the format's; the
        fullest layout with the fewest pages that end in a hole wins. A format whose layout
        breaks a layout rule (text past the safe zone…) gives way to the next; when none holds,
        the first that fits is returned, and its faults fail the file.
        """
        formats = self.formats_for(context.programme.campaign.printing.paper)
        faulty = None
        for spec in formats:
            fitted = _fitted(material, context, spec)
            if fitted is None:
                continue
            if not context.faults(fitted[1]):
                return Rendered(material, *fitted, spec)
            faulty = faulty or Rendered(material, *fitted, spec)
        if faulty:
            return faulty
        raise PrintkitError(f"{material.output}: the theme does not fit even the largest leaflet format "
                            f"({formats[-1].name}); shorten the measures or add a format")


def _fitted(material: Material, context: Context, spec: Format) -> tuple[str, Document] | None:
    """The layout on this format with the fewest pages ending in a hole; None if the measures do not fit.

    Designed content is added part by part after the measures, each part kept only if the
    format still holds everything. The parts flow after the measures; when pages remain to
    fill, the later parts take whole pages (and the closing becomes the back page).
    """
    bare = context.render(material, format=spec.layout, fillers=(), whole_from=0)
    if len(bare[1].pages) > spec.pages:
        return None
    candidates = []
    for kinds, whole_from in _arrangements(spec, context.programme):
        html, document = _greedy(material, context, spec, bare, kinds, whole_from)
        if len(document.pages) == spec.pages:
            candidates.append((context.emptiness(document), whole_from, html, document))
        if candidates and not candidates[-1][0][0]:
            break
    return min(candidates, key=lambda c: c[:2])[2:] if candidates else None


def _fillers(spec: Format, programme: Programme) -> tuple[str, ...]:
    """The designed parts this format may take: never the guarantees when there are none, never
    what the tri-fold's flap already holds."""
    if programme.guarantees:
        return FILLERS[spec.layout]
    return tuple(kind for kind in FILLERS[spec.layout] if kind != "guarantees" and not (spec.panels and kind in FLAP))


def _arrangements(spec: Format, programme: Programme) -> list[tuple[tuple[str, ...], int]]:
    """The orders of designed parts to try, and from which part on they take whole pages.

    Pages: the parts in order, flowing, then more and more of them as whole pages. The
    tri-fold's panels are too narrow for whole-page parts: each part may come first instead.
    """
    kinds = _fillers(spec, programme)
    if spec.panels:
        return [(kinds[i:] + kinds[:i], len(kinds)) for i in range(len(kinds))]
    return [(kinds, whole_from) for whole_from in range(len(kinds), -1, -1)]


def _greedy(material: Material, context: Context, spec: Format, bare: tuple, kinds: tuple[str, ...],
            whole_from: int) -> tuple:
    """Add each designed part that still fits; parts from ``whole_from`` on take a whole page each."""
    best, chosen = bare, ()
    for kind in kinds:
        html, document = context.render(material, format=spec.layout, fillers=chosen + (kind,),
                                        whole_from=whole_from)
        if len(document.pages) <= spec.pages:
            best, chosen = (html, document), chosen + (kind,)
    return best
