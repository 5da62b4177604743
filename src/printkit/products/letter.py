"""Letters that cite measures, A4 or US Letter, made by `printkit letter` rather than by the build."""

from __future__ import annotations

from typing import TYPE_CHECKING

from printkit.products.paper import A4, LETTER, Window, window_for_no10
from printkit.products.registry import Format, Product, register
from printkit.programme.urls import programme_url

if TYPE_CHECKING:
    from printkit.programme.model import Programme

# The address frame that a French window envelope, DL or C5/6, shows once an A4 sheet is folded
# in three: 85 × 33 mm, 110 mm from the left edge, 55 mm from the top.
FRENCH_WINDOW = Window(110, 55, 85, 33)
# One code a letter, so at most one a side: the annex sets its measures in full, and a code
# beside each one turned a letter into a wall of black squares.
FORMATS = {"iso": (Format("a4-letter", "letter", 0, size=A4, window=FRENCH_WINDOW, codes_a_side=1),),
           "us": (Format("us-letter", "letter", 0, size=LETTER, window=window_for_no10(LETTER), codes_a_side=1),)}


@register
class Letter(Product):
    """A reply that cites measures, with an annex of the measures cited; which ones is read from its text."""

    kind = "letter"
    name = "letters"
    folder = "letters"
    medium = "lettre"
    built = False
    trimmed = False  # an office printer prints the A4 or Letter sheet as it is: no bleed, nothing to cut
    shows_everything = True  # any measure may be cited: its stamp covers the whole programme
    read_as_prose = False  # a letter ends where its text ends: its last page is no hole
    formats = FORMATS

    def qr_urls(self, programme: Programme, theme: str | None) -> tuple[set[str], set[str]]:
        """The programme's page, the one code a letter carries at its annex's end; which measures the
        annex shows is read from its text (checks: letter_findings)."""
        url = programme_url(programme, self.medium)
        return {url}, {url}
