"""The commission de propagande: where a French list's ballots and circulaire go, and by when.

Code électoral R38: a list that wants the commission to mail its pieces hands them to its
president before a deadline that a prefectoral order (arrêté) sets for each round; the code
fixes no offset for it. R34: the commission then mails them to the voters, and the ballots to
each mairie, by the Wednesday before the first round and the Thursday before the second (the
Tuesday and the Wednesday for a Saturday vote), so the prefecture's deadline falls before those
days. L241: the commission works for communes of 2,500 inhabitants and more only.
docs/official.md cites the sources read.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from markupsafe import Markup

from printkit.render.typography import long_date, weekday

if TYPE_CHECKING:
    from printkit.messages import Messages
    from printkit.programme.model import Programme

LEAST_INHABITANTS = 2500  # L241: no commission de propagande below
# R34: days before a round the commission mails by, first round then second: the Wednesday and the
# Thursday before a Sunday vote, the Tuesday and the Wednesday before a Saturday one, the same offsets.
MAILED_BEFORE = (4, 3)


def mailing_days(programme: Programme) -> list[datetime.date]:
    """The last day the commission mails the pieces to the voters, for each round (R34)."""
    rounds = sorted(programme.campaign.rounds)[:2]
    return [day - datetime.timedelta(days=before) for day, before in zip(rounds, MAILED_BEFORE)]


def has_commission(programme: Programme) -> bool:
    """Whether the commune has a commission de propagande (L241): unknown population counts as yes."""
    population = programme.campaign.population
    return population is None or population >= LEAST_INHABITANTS


def commission_deadline(programme: Programme, messages: Messages) -> str | None:
    """The ticket's delivery row for a piece the commission mails (ballot, circulaire): to its president
    before the prefecture's deadline (R38), which falls before the mailing days R34 sets. None where
    the commune has no commission: the list delivers as for any other piece."""
    if not has_commission(programme):
        return None
    locale = programme.campaign.locale
    days = [f"{weekday(day, locale)} {Markup(long_date(day, locale)).striptags()}" for day in mailing_days(programme)]
    if len(days) == 1:
        return messages("ticket.delivery_commission", first=days[0])
    return messages("ticket.delivery_commission_rounds", first=days[0], second=days[1])
