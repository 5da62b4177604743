"""French typography applied to programme text at render time, so that the YAML stays easy to type."""

import datetime
import re

from markupsafe import Markup, escape

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space, before ; ! ? and inside « »
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")

_RULES = (
    (re.compile(r"'"), "\u2019"),
    (re.compile(r"(?<!<)\s*([;!?])"), NNBSP + r"\1"),
    (re.compile(r"(?<=\S)\s*:(?=\s|$)"), NBSP + ":"),
    (re.compile(r"«\s*"), "«" + NNBSP),
    (re.compile(r"\s*»"), NNBSP + "»"),
    (re.compile(r"(\d)\s*%"), r"\1" + NNBSP + "%"),
    (re.compile(r"(\d)\s+(€|h\b|m3\b|m²)"), r"\1" + NBSP + r"\2"),
    (re.compile(r"(?<=\d) (?=\d{3}\b)"), NNBSP),
    (re.compile(r"\.\.\."), "…"),
)


_TAG = re.compile(r"(<[^>]*>|&#?\w+;)")  # tags and character references stay as they are


def french(text: str) -> Markup:
    """Set French typographic spaces and apostrophes, then escape the text for HTML.

    Markup (a template's own HTML, as ``{% filter fr %}…{% endfilter %}`` passes it) keeps
    its tags: only the text between them is set, so every printed string, programme text
    and template wording alike, goes through this one filter.
    """
    if isinstance(text, Markup):
        return Markup("".join(part if _TAG.fullmatch(part) else _set(part) for part in _TAG.split(text)))
    return escape(_set(text))


def _set(text: str) -> str:
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


# A word of the text with what no-break spaces and punctuation glue to it. A whole group goes in a
# span, since WeasyPrint 70 breaks lines badly where a span meets text with no break opportunity.
_GROUP = re.compile(r"[^ \t\n]+")
_CAPITAL = re.compile(r"(?<!\w)[A-ZÀ-ÖØ-Þ]")
# common.css hyphenates only words of this many letters or more (hyphenate-limit-chars): shorter
# names need no span, and each span spared is one fewer chance of WeasyPrint's early line break.
HYPHENATED_WORD = 10


def body_text(text: str, *names: str) -> Markup:
    """Programme text set as body copy: French spacing; proper nouns, acronyms, capitalised words and
    words holding one of ``names`` (« clamartois ») in ``name`` spans, which are never hyphenated."""
    lowered = [name.lower() for name in names if name]

    def mark(group: re.Match) -> str:
        word = group.group()
        if sum(c.isalpha() for c in word) < HYPHENATED_WORD:
            return word
        if _CAPITAL.search(word) or any(name in word.lower() for name in lowered):
            return f'<span class="name">{word}</span>'
        return word

    return Markup(_GROUP.sub(mark, str(french(text))))


def long_date(day: datetime.date) -> Markup:
    """A date such as « 15 mars 2026 » that never breaks across lines."""
    return Markup(NBSP.join((_day(day), MONTHS[day.month - 1], str(day.year))))


def short_date(day: datetime.date) -> Markup:
    """A date without its year, such as « 15 mars », on one line."""
    return Markup(NBSP.join((_day(day), MONTHS[day.month - 1])))


def _day(day: datetime.date) -> str:
    return "1er" if day.day == 1 else str(day.day)
