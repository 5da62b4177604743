"""Door-to-door cards: one per theme and one for the whole programme, A6, two sides."""

from __future__ import annotations

from typing import TYPE_CHECKING

from printkit.errors import PrintkitError
from printkit.products.registry import Format, Material, Product, Rendered, Sheet, register
from printkit.programme.urls import programme_url, theme_url

if TYPE_CHECKING:
    from weasyprint import Document

    from printkit.products.fitting import Context
    from printkit.programme.model import Programme

A6 = Format("a6-card", "a6", 2)


@register
class Card(Product):
    """Front: identity, theme, flagship, call to vote; back: as many titles as fit, and a QR code."""

    kind = "card"
    name = "cards"
    folder = "cards"
    medium = "carte"
    paper = "paper.matt_350"
    per_theme = True
    whole = "programme"
    formats = (A6,)
    sheets = (Sheet("sra3", (320, 450)), Sheet("a4", (210, 297)))
    piece = "piece.card"

    def qr_urls(self, programme: Programme, theme: str | None) -> tuple[set[str], set[str]]:
        """The theme's page, or the programme's for the general card."""
        url = theme_url(programme, programme.theme(theme), self.medium) if theme else programme_url(programme, self.medium)
        return {url}, {url}

    def fit(self, material: Material, context: Context, layout: str) -> Rendered:
        """As many measure titles as the back of the card holds, then how many more are online."""
        total = len(context.programme.measures_of(material.theme)) if material.theme else 0
        html, document = context.render(material, shown=total, vote=False)
        shown = _titles_on_back(document) if material.theme else 0
        if total and not shown and 'id="mesure-' not in html:
            raise PrintkitError(f"{context.layouts.template_file(material.template)}: the card layout gives no "
                                "measure title an id 'mesure-<number>', which the build reads back to count the "
                                "titles that fit (see « The layout contract » in the docs)")
        if shown < total:
            html, document = context.render(material, shown=shown, vote=False)
        elif context.holes(document):  # every title fits with room to spare: say how to vote by proxy too
            roomier = context.render(material, shown=shown, vote=True)
            if len(roomier[1].pages) == 2 and _titles_on_back(roomier[1]) == shown:
                html, document = roomier
        if len(document.pages) != 2:
            raise PrintkitError(f"{material.output}: the card's content takes {len(document.pages)} sides, not 2")
        notes = [f"{shown} of {total} titles on the back"] if material.theme else []
        return Rendered(material, html, document, A6, notes=notes)


def _titles_on_back(document: Document) -> int:
    return sum(1 for page in document.pages[1:2] for anchor in page.anchors if anchor.startswith("mesure-"))
