"""The posters for the official panels of a French election: the campaign poster, at most
594 × 841 mm, and the meeting poster, at most 297 × 420 mm, which carries only a meeting's date,
its place, its speakers and the list's name (Code électoral R26, R27). Never on white paper,
which is kept for official notices (L48); never the national emblem's blue, white and red (R27).
docs/official.md cites each.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from markupsafe import Markup

from printkit.errors import PrintkitError
from printkit.messages import messages_for
from printkit.products.paper import A1, A3
from printkit.products.registry import Format, Material, Product, Rendered, Sheet, register
from printkit.programme.urls import programme_url
from printkit.render.typography import long_date, weekday

if TYPE_CHECKING:
    from printkit.messages import Messages
    from printkit.products.fitting import Context
    from printkit.programme.model import Meeting, Programme

A1_POSTER = Format("a1-poster", "a1-poster", 1, size=A1)
A3_MEETING_POSTER = Format("a3-meeting-poster", "a3-meeting-poster", 0, size=A3)
A3_TILES = Sheet("a3-tiles", A3, method="tiles")  # a copy shop's largest common sheet: the poster in pieces to glue
LAST_POSTING_WEEKDAY = 3  # Thursday: no campaign poster goes up after the Thursday before the first round (R26)
LAST_POSTING_WEEKDAY_SECOND = 4  # and after the Friday before the second


def last_posting_day(programme: Programme) -> datetime.date:
    """The Thursday before the first round: the last day a campaign poster may go up (R26)."""
    first = min(programme.campaign.rounds)
    return first - datetime.timedelta(days=(first.weekday() - LAST_POSTING_WEEKDAY - 1) % 7 + 1)


def last_posting_day_second(programme: Programme) -> datetime.date | None:
    """The Friday before the second round, the last day a poster may go up for it (R26); None for one round."""
    rounds = sorted(programme.campaign.rounds)
    if len(rounds) < 2:
        return None
    return rounds[1] - datetime.timedelta(days=(rounds[1].weekday() - LAST_POSTING_WEEKDAY_SECOND - 1) % 7 + 1)


def meeting_words(programme: Programme, meeting: Meeting) -> list[str]:
    """What a meeting poster may print of one meeting, as printed: the list's name, that it is a public
    meeting, the day, the time, the place and the speakers (R26). The check reads each page's words against these and the imprint."""
    locale = programme.campaign.locale
    day = f"{weekday(meeting.day, locale)} {Markup(long_date(meeting.day, locale)).striptags()}"
    said = messages_for(programme.campaign)("meeting.kind")  # what the poster announces: a public meeting
    return [programme.campaign.name, said, day, meeting.time, meeting.place, *meeting.speakers]


class Official(Product):
    """What the Code électoral's printed pieces share: French law only, their ticket's date; a poster's
    one side (the circulaire says its own)."""

    folder = "official"
    official = True
    read_as_prose = False  # a poster is read from the pavement: its air is no hole
    pages_message = "ticket.pages_one_side"

    def absent(self, programme: Programme) -> str | None:
        """None in France; elsewhere, these are not its election's pieces."""
        if programme.campaign.jurisdiction != "fr":
            return f"no {self.name}: the Code électoral's official material, and campaign.yaml's jurisdiction " \
                   f"is '{programme.campaign.jurisdiction}'"
        return None


@register
class Poster(Official):
    """The list, its head and slogan, the rounds and the programme's code, on the brand's colour."""

    kind = "poster"
    name = "posters"
    medium = "affiche"
    paper = "paper.poster"
    whole = "poster"
    formats = {"iso": (A1_POSTER,), "us": (A1_POSTER,)}
    sheets = {"iso": (A3_TILES,), "us": (A3_TILES,)}

    def qr_urls(self, programme: Programme, theme: str | None) -> tuple[set[str], set[str]]:
        """The programme's page."""
        url = programme_url(programme, self.medium)
        return {url}, {url}

    def deadline(self, programme: Programme, messages: Messages) -> str | None:
        """The ticket's delivery row: up by the Thursday before the first round, and for a second round by
        the Friday before it (R26; a meeting poster may go up later)."""
        first, second = last_posting_day(programme), last_posting_day_second(programme)
        said = _day(first, programme.campaign.locale)
        if second is None:
            return messages("ticket.delivery_poster", day=said)
        return messages("ticket.delivery_poster_rounds", day=said, second=_day(second, programme.campaign.locale))

    def fit(self, material: Material, context: Context, layout: str) -> Rendered:
        """The poster on one side of its sheet."""
        html, document = context.render(material, format=A1_POSTER.layout)
        _one_page_each(material, document, 1, context)
        return Rendered(material, html, document, A1_POSTER)


@register
class MeetingPoster(Official):
    """One page per meeting of identity.yaml: the list's name, the day and time, the place, the speakers."""

    kind = "meeting-poster"
    name = "meeting-posters"
    medium = "affiche-reunion"
    paper = "paper.poster"
    whole = "meeting-poster"
    formats = {"iso": (A3_MEETING_POSTER,), "us": (A3_MEETING_POSTER,)}

    def absent(self, programme: Programme) -> str | None:
        """No meeting, no meeting poster."""
        if not programme.identity.meetings:
            return "no meeting poster: identity.yaml lists no meeting"
        return super().absent(programme)

    def qr_urls(self, programme: Programme, theme: str | None) -> tuple[set[str], set[str]]:
        """None: R26 allows nothing but the meeting and the list's name."""
        return set(), set()

    def fit(self, material: Material, context: Context, layout: str) -> Rendered:
        """A page per meeting, each on one side."""
        html, document = context.render(material, format=A3_MEETING_POSTER.layout)
        _one_page_each(material, document, len(context.programme.identity.meetings), context)
        return Rendered(material, html, document, A3_MEETING_POSTER)


def _day(day: datetime.date, locale: str) -> str:
    """« jeudi 12 mars 2026 », as a ticket says a day."""
    return f"{weekday(day, locale)} {Markup(long_date(day, locale)).striptags()}"


def _one_page_each(material: Material, document, wanted: int, context: Context) -> None:
    """A poster is one side: its content on as many pages as posters, inside the safe zone."""
    if len(document.pages) != wanted:
        raise PrintkitError(f"{material.output}: the content takes {len(document.pages)} pages for {wanted} "
                            "poster(s) of one side each")
    faults = context.faults(document)
    if faults:
        raise PrintkitError(f"{material.output}: " + "; ".join(f.what for f in faults[:3]))
