"""The ballot (bulletin de vote) of a French municipal list: one ink on white, landscape, sized by
its number of names, printing the list's title and its candidates in order, nothing else.

Code électoral R30 sets the ink, the paper and the three formats; R117-4 and LO247-1 the
nationality beside an EU national's name; L273-9 the community-council list printed distinctly
on the same ballot. docs/official.md cites each. The ballot names no round and no date, so one
file serves both rounds.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from printkit.errors import PrintkitError
from printkit.products.commission import commission_deadline
from printkit.products.paper import A4, A5, A6
from printkit.products.registry import Format, Material, Product, Rendered, register

if TYPE_CHECKING:
    from printkit.messages import Messages
    from printkit.products.fitting import Context
    from printkit.programme.model import Candidate, Programme

# R30: 105 × 148 mm up to 4 names, 148 × 210 mm from 5 to 31, 210 × 297 mm past 31; landscape.
A6_BALLOT = Format("a6-ballot", "a6-ballot", 1, size=A6.landscape)
A5_BALLOT = Format("a5-ballot", "a5-ballot", 1, size=A5.landscape)
A4_BALLOT = Format("a4-ballot", "a4-ballot", 1, size=A4.landscape)
BY_NAMES = ((4, A6_BALLOT), (31, A5_BALLOT), (math.inf, A4_BALLOT))  # the most names each format takes
PAPER_WEIGHTS = (70, 80)  # g/m², white (R30 as in force since 20 November 2020)
# R39 d: the State pays back up to twice the registered voters plus 10 %, 22 per 10 voters; R38 asks the
# commission for at least twice the voters.
COPIES_PER_TEN_VOTERS = 22


def names_counted(programme: Programme) -> int:
    """The names R30 sizes the ballot by: the municipal list less its extra candidates, which R117-5
    leaves out; the community candidates are drawn from the municipal list (L273-9) and add no person."""
    candidates, seats = programme.candidates, programme.campaign.seats
    return len(candidates.municipal) - len(candidates.supplementary(seats or len(candidates.municipal)))


def ballot_format(programme: Programme) -> Format:
    """The format R30 gives a list of this many names."""
    count = names_counted(programme)
    return next(found for most, found in BY_NAMES if count <= most)


def printed(programme: Programme, messages: Messages) -> list[str]:
    """Everything the ballot may print, in reading order (R117-4): on the left, « Liste des candidats
    au conseil municipal », the list's title, its candidates numbered, each with their nationality
    when not French; on the right, the community list's heading and candidates. The check reads the
    PDF's text against it: a missing, swapped or added word is an error."""
    candidates = programme.candidates
    pieces = [messages("ballot.municipal"), programme.campaign.name, *_names(candidates.municipal, messages)]
    if candidates.community:
        pieces += [messages("ballot.community"), *_names(candidates.community, messages)]
    return pieces


def _names(people: tuple[Candidate, ...], messages: Messages) -> list[str]:
    return [piece for number, person in enumerate(people, 1)
            for piece in (str(number), person.first_name, person.last_name, *_nationality(person, messages))]


def _nationality(person: Candidate, messages: Messages) -> tuple[str, ...]:
    return (messages("ballot.nationality", nationality=person.nationality),) if person.nationality else ()


@register
class Ballot(Product):
    """The list's title and its candidates in order, in 100 % K on white, one side."""

    kind = "ballot"
    name = "ballots"
    folder = "official"
    medium = "bulletin"
    paper = "paper.ballot"
    whole = "ballot"
    formats = {"iso": (A6_BALLOT, A5_BALLOT, A4_BALLOT), "us": (A6_BALLOT, A5_BALLOT, A4_BALLOT)}
    imprinted = False  # R30: no name but the candidates'; a ballot carries no imprint
    read_as_prose = False  # a list of names, not a page of text: its air is no hole
    shows_candidates = True
    paper_weights = PAPER_WEIGHTS
    official = True
    pages_message = "ticket.pages_one_ink"

    def absent(self, programme: Programme) -> str | None:
        """No ballot without a list: its names are never invented."""
        if programme.candidates is None:
            return "no ballot: programme/candidates.yaml gives no list of candidates"
        return None

    def deadline(self, programme: Programme, messages: Messages) -> str | None:
        """To the commission de propagande, before the prefecture's deadline for each round (R38, R34)."""
        return commission_deadline(programme, messages)

    def copies(self, programme: Programme, material: Material) -> int | None:
        """campaign.yaml's quantity, else the most R39 pays back for the registered voters."""
        given = super().copies(programme, material)
        voters = programme.campaign.voters
        return given if given or not voters else -(-voters * COPIES_PER_TEN_VOTERS // 10)

    def qr_urls(self, programme: Programme, theme: str | None) -> tuple[set[str], set[str]]:
        """None: a ballot carries nothing but names."""
        return set(), set()

    def fit(self, material: Material, context: Context, layout: str) -> Rendered:
        """The list on the format its names call for, on one side inside the safe zone: set tighter
        when it does not fit so (R30 gives the format; only the type may give way)."""
        chosen, count = ballot_format(context.programme), names_counted(context.programme)
        for dense in (False, True):
            html, document = context.render(material, format=chosen.layout, dense=dense)
            if len(document.pages) == 1 and not context.faults(document):
                return Rendered(material, html, document, chosen, notes=[f"{count} names"])
        raise PrintkitError(f"{material.output}: the list does not fit one side of the {chosen.size.label} ballot "
                            f"that R30 gives {count} names, even set tight")
