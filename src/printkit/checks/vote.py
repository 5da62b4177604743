"""The call to vote a piece carries, read in its printed text: a leaflet says to vote, on which
days, and how to vote when away (a procuration in France, an absentee ballot in the US); a
card gives the days.

The wording is the campaign's own, as its pieces print it: its catalogue's messages (and its
replacements in campaign.yaml), its name, and its rounds written as its locale writes dates.
"""

import html

from printkit.checks.document import CheckedPdf
from printkit.checks.text import printed_lines
from printkit.messages import Messages, messages_for
from printkit.programme.model import Programme
from printkit.render import typography
from printkit.errors import Finding

# What reads the same however it is set: a line broken at a hyphen, capitals, curly apostrophes.
_UNSET = {ord(char): None for char in "\u00ad\u2010\u2011-"} | {ord("\u2019"): "'"}


def vote_findings(checked: CheckedPdf, programme: Programme) -> list[Finding]:
    """A warning for each part of the call to vote a leaflet (or a card: the days) does not print."""
    kind = checked.subject.kind
    if checked.subject.sheet or kind not in ("leaflet", "card"):
        return []
    text = plain("".join(line for _, line in printed_lines(checked.document, checked.pages)))
    needed = _days(programme) | (_call(programme) | _away(programme) if kind == "leaflet" else {})
    return [Finding(checked.name, 0, "warning", what) for what, needles in needed.items()
            if not any(needle in text for needle in needles)]


def plain(text: str) -> str:
    """Text as it is sought: no white space, no hyphen, no capitals, straight apostrophes."""
    return "".join(html.unescape(str(text)).casefold().translate(_UNSET).split())


def _call(programme: Programme) -> dict[str, list[str]]:
    """The call to vote, the leaflet's closing one (« Votez et faites voter … ») or the short one (« votez … »)."""
    say, name = messages_for(programme.campaign), programme.campaign.name
    calls = [say("vote.call", name=name), say("leaflet.closing_call", name=name)]
    return {f"no call to vote (« {calls[0]} » or « {calls[1]} »)": [plain(call) for call in calls]}


def _days(programme: Programme) -> dict[str, list[str]]:
    """Each round's day, written as the locale writes it (« 15 mars », "March 15"), or within the
    sentence that names all the days (« Les 15 et 22 mars », which names the month once)."""
    campaign, locale = programme.campaign, programme.campaign.locale
    sentence = plain(_days_sentence(messages_for(campaign), campaign.rounds, locale))
    days = {str(typography.short_date(day, locale)).replace("\u00a0", " "): day for day in campaign.rounds}
    return {f"the vote's day « {day} » is not printed": [plain(day), sentence] for day in days}


def _days_sentence(say: Messages, rounds: tuple, locale: str) -> str:
    """The days as the call to vote names them (layouts/common/macros.html: vote_call)."""
    days = typography.paired_dates(rounds, locale)
    return say.plural("vote.days", len(rounds), first=days[0], second=days[-1],
                      weekday=typography.weekday(rounds[0], locale))


def _away(programme: Programme) -> dict[str, list[str]]:
    """How to vote when away on the day: the catalogue's wording of it (vote.away_how), or its
    one sentence (vote.away_short), which a closing that shares its side with measures prints."""
    say = messages_for(programme.campaign)
    how, short = say("vote.away_how"), say("vote.away_short")
    what = f"no word of how to vote when away (« {how[:60]}… », vote.away_how, or vote.away_short)"
    return {what: [plain(how), plain(short)]}
