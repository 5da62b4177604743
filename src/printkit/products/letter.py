"""Letters that cite measures, A4, made by `printkit letter` rather than by the build."""

from __future__ import annotations

from typing import TYPE_CHECKING

from printkit.products.registry import Format, Product, register
from printkit.programme.urls import measure_url

if TYPE_CHECKING:
    from printkit.programme.model import Programme

A4 = Format("a4-letter", "a4", 0)


@register
class Letter(Product):
    """A reply that cites measures, with an annex of the measures cited; which ones is read from its text."""

    kind = "letter"
    name = "letters"
    folder = "letters"
    medium = "lettre"
    built = False
    shows_everything = True  # any measure may be cited: its stamp covers the whole programme
    formats = (A4,)

    def qr_urls(self, programme: Programme, theme: str | None) -> tuple[set[str], set[str]]:
        """Any measure; which ones a letter must show is read from its text (checks: letter_findings)."""
        return {measure_url(programme, m, self.medium) for m in programme.measures}, set()
