"""The circulaire (profession de foi) of a French list: the one sheet the commission de propagande
mails to every voter before each round, at most 210 × 297 mm, two sides (Code électoral R29).

It is the campaign's most-read piece, designed as the family's flagship: the list, its head and
slogan, the flagship measures, the guarantees, the candidates when candidates.yaml gives them,
the programme's QR code and the legal mentions. docs/official.md cites each rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from printkit.errors import PrintkitError
from printkit.products.commission import commission_deadline
from printkit.products.paper import A4
from printkit.products.poster import Official
from printkit.products.registry import Format, Material, Rendered, register
from printkit.programme.urls import programme_url
from printkit.units import MM_PER_PX

if TYPE_CHECKING:
    from printkit.messages import Messages
    from printkit.products.fitting import Context
    from printkit.programme.model import Measure, Programme

A4_CIRCULAR = Format("a4-circular", "a4-circular", 2, size=A4)
A4_ACCESSIBLE = Format("a4-circular-accessible", "a4-circular", 2, size=A4)
# The State's candidates' site takes a PDF « d'une taille inférieure à 2 Mo » (prefectures' instructions):
# read as 2,000,000 bytes, the stricter of the two megabytes.
SITE_MOST_BYTES = 2_000_000
MOST_FLAGSHIPS = 12  # the recto's flagship measures at most: one a theme of a programme of twelve, a page a voter reads
PAPER_WEIGHTS = (70, 80)  # g/m² (R29, as prefectures ask it since 2020)
FOOT_GAP_PX = 2 / MM_PER_PX  # the least air between the last flagship and the recto's foot
COPIES_PER_HUNDRED_VOTERS = 105  # R39 c: the State pays back the registered voters plus 5 %


@register
class Circular(Official):
    """Recto: the list, its head and slogan, its flagship measures and the programme's code;
    verso: the guarantees, the candidates, how and when to vote, the imprint."""

    kind = "circular"
    name = "circulars"
    medium = "profession-de-foi"
    paper = "paper.circular"
    whole = "circular"
    formats = {"iso": (A4_CIRCULAR,), "us": (A4_CIRCULAR,)}
    paper_weights = PAPER_WEIGHTS
    shows_everything = True  # its flagships are the campaign's priorities: any measure may be one
    shows_candidates = True
    pages_message = "ticket.pages_value"  # four colours, both sides
    accessible = "circular-accessible"

    def deadline(self, programme: Programme, messages: Messages) -> str | None:
        """To the commission de propagande, before the prefecture's deadline for each round (R38, R34)."""
        return commission_deadline(programme, messages)

    def copies(self, programme: Programme, material: Material) -> int | None:
        """campaign.yaml's quantity, else the most R39 pays back: the registered voters plus 5 %."""
        given, voters = super().copies(programme, material), programme.campaign.voters
        return given if given or not voters else -(-voters * COPIES_PER_HUNDRED_VOTERS // 100)

    def qr_urls(self, programme: Programme, theme: str | None) -> tuple[set[str], set[str]]:
        """The programme's page."""
        url = programme_url(programme, self.medium)
        return {url}, {url}

    def flagships(self, programme: Programme) -> tuple[Measure, ...]:
        """The measures the recto quotes in a flagship place, at most MOST_FLAGSHIPS."""
        return programme.leading()[:MOST_FLAGSHIPS]

    def fit(self, material: Material, context: Context, layout: str) -> Rendered:
        """As many flagship measures as the recto holds, on one sheet inside the safe zone."""
        for shown in range(min(MOST_FLAGSHIPS, len(context.programme.measures)), 0, -1):
            html, document = context.render(material, format=A4_CIRCULAR.layout, shown=shown)
            if len(document.pages) == 2 and not context.faults(document) and _recto_holds(context, document, shown):
                return Rendered(material, html, document, A4_CIRCULAR, notes=[f"{shown} flagship measures"])
        raise PrintkitError(f"{material.output}: the circulaire does not hold on one sheet, two sides (R29)")


@register
class AccessibleCircular(Official):
    """The circulaire as the State's candidates' site publishes it: the same HTML, tagged (PDF/UA-1), for
    the screen: no bleed, no marks, no CMYK intent. Made with the circulaire (make.py), never alone."""

    kind = "circular-accessible"
    name = "accessible-circulars"
    medium = Circular.medium  # the same QR codes as the printed circulaire
    whole = "circular-accessible"
    built = False
    trimmed = False
    formats = {"iso": (A4_ACCESSIBLE,), "us": (A4_ACCESSIBLE,)}
    shows_everything = True
    shows_candidates = True
    most_bytes = SITE_MOST_BYTES

    def qr_urls(self, programme: Programme, theme: str | None) -> tuple[set[str], set[str]]:
        """The printed circulaire's."""
        return Circular.qr_urls(self, programme, theme)


def _recto_holds(context: Context, document, shown: int) -> bool:
    """Every flagship measure on the recto, where the voter reads them first, and clear of its foot
    (the count and the code, set at the foot of the page: a long list would run under them)."""
    return context.pages_with(document, "mesure-") == ([0] if shown else []) and \
        context.ids_clear_of(document, 0, "mesure-", "circular-recto-foot", FOOT_GAP_PX) == shown