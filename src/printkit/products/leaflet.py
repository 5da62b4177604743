"""Leaflets: one per theme, on the smallest standard format that holds every measure of it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from printkit.errors import PrintkitError
from printkit.products.registry import Format, Material, Product, Rendered, register
from printkit.programme.urls import measure_url, programme_url, theme_url

if TYPE_CHECKING:
    from weasyprint import Document

    from printkit.products.fitting import Context
    from printkit.programme.model import Programme

# Designed content a leaflet may take after its measures, in order, by layout (the tri-fold's
# flap always holds the guarantees, so its inside panels never repeat them).
FILLERS = {"a5": ("vote", "guarantees", "act", "themes"), "trifold": ("vote", "act", "themes")}
# From the smallest to the largest; A5 formats share one layout, so one render tells which fits.
FORMATS = (
    Format("a5-flyer", "a5", 2),
    Format("a4-trifold", "trifold", 6, "fold.roll_3", panels=True),
    Format("a4-folded-a5", "a5", 4, "fold.a4_to_a5"),
    Format("a5-8-pages", "a5", 8, "fold.half", "binding.saddle_stitch"),
)


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

    def fit(self, material: Material, context: Context, layout: str) -> Rendered:
        """The smallest standard format that holds every measure of the theme, filled with designed content.

        For each format, from the smallest, the leaflet is laid out with more and more of the
        designed content after the measures while the page count stays the format's; the
        fullest layout with the fewest pages that end in a hole wins.
        """
        for spec in self.formats:
            fitted = _fitted(material, context, spec)
            if fitted is not None:
                return Rendered(material, *fitted, spec)
        raise PrintkitError(f"{material.output}: the theme does not fit even the largest leaflet format "
                            f"({self.formats[-1].name}); shorten the measures or add a format")


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
    for kinds, whole_from in _arrangements(spec):
        html, document = _greedy(material, context, spec, bare, kinds, whole_from)
        if len(document.pages) == spec.pages:
            candidates.append((context.emptiness(document), whole_from, html, document))
        if candidates and not candidates[-1][0][0]:
            break
    return min(candidates, key=lambda c: c[:2])[2:] if candidates else None


def _arrangements(spec: Format) -> list[tuple[tuple[str, ...], int]]:
    """The orders of designed parts to try, and from which part on they take whole pages.

    A5 pages: the parts in order, flowing, then more and more of them as whole pages. The
    tri-fold's panels are too narrow for whole-page parts: each part may come first instead.
    """
    kinds = FILLERS[spec.layout]
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
