"""Typography by locale, applied to every printed string at render time, so that the YAML and
the catalogues stay easy to type: French spacing in French, curly quotes and no space before
punctuation in English; dates spelled by Babel in the locale's own words."""

import datetime
import re

from babel.dates import format_date, format_skeleton
from markupsafe import Markup, escape

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space, before ; ! ? and inside « »

# A range of years takes an en dash, in either language (« 2032–2038 »); a year in an address or a
# longer number stays as typed.
_YEAR_RANGE = (re.compile(r"(?<![\w/.-])((?:19|20)\d\d)-((?:19|20)\d\d)(?![\w/-])"), r"\1" + "\u2013" + r"\2")
# Square and cubic units raised, in either language: « les premiers m3 » reads « m³ ».
_SQUARE = (re.compile(r"(?<![\w/.-])(mm|[kcd]?m)2(?![\w/-])"), "\\1\u00b2")  # never in an address: « site.fr/m2 »
_CUBIC = (re.compile(r"(?<![\w/.-])(mm|[kcd]?m)3(?![\w/-])"), "\\1\u00b3")
_FRENCH = (
    _YEAR_RANGE,
    _SQUARE,
    _CUBIC,
    (re.compile(r"'"), "\u2019"),
    (re.compile(r"(?<!<)\s*([;!?])"), NNBSP + r"\1"),
    (re.compile(r"(?<=\S)\s*:(?=\s|$)"), NBSP + ":"),
    (re.compile(r"«\s*"), "«" + NNBSP),
    (re.compile(r"\s*»"), NNBSP + "»"),
    (re.compile(r"(\d)\s*%"), r"\1" + NNBSP + "%"),
    (re.compile(r"(\d)\s+(€|km/h\b|km\b|h\b|(?:mm|[kcd]?m)[²³])"), r"\1" + NBSP + r"\2"),
    # a figure keeps the word it counts: « plus de 16 ans », « 3 000 logements »; not a word that links
    # it to the next (« mesures 6 et 25 » may break before « et »)
    (re.compile(r"(?<=\d) (?!(?:et|ou|à|au|aux|de|des|du|en|pour|par|sur|dans|avec)\b)(?=[a-zà-ÿ])"), NBSP),
    (re.compile(r"(?<=\d)[ \u00a0](?=\d{3}\b)"), NNBSP),  # a joined tail's no-break space too
    (re.compile(r"\.\.\."), "…"),
    (re.compile(r"(?<=\w)[ \u00a0]+…"), "…"),  # the ellipsis follows its word: « santé… »
    # a capital keeps its accent: « À vous lire », the preposition that opens a sentence, typed « A »
    (re.compile(r"(^|(?<=[.!?…]\s)|(?<=«\u202f))A(?= (?:[a-zà-ÿ]|l’|l'))"), "À"),
)
# English sets no space before punctuation or a percent sign, and curls quotes: an opening
# quote follows a space, a bracket or the start; every other straight quote closes.
_ENGLISH = (
    _YEAR_RANGE,
    _SQUARE,
    _CUBIC,
    (re.compile(r"(?<=\S)[ \t\u00a0\u202f]+([;:!?%])"), r"\1"),
    (re.compile(r"«\s*"), "\u201c"),
    (re.compile(r"\s*»"), "\u201d"),
    (re.compile(r"(^|(?<=[\s(\[\u2014]))\""), "\u201c"),
    (re.compile(r"\""), "\u201d"),
    (re.compile(r"(^|(?<=[\s(\[\u2014]))'"), "\u2018"),
    (re.compile(r"'"), "\u2019"),
    (re.compile(r"\.\.\."), "…"),
    (re.compile(r"(\d)\s+(a\.m\.|p\.m\.|mph\b)", re.IGNORECASE), r"\1" + NBSP + r"\2"),  # "6 a.m." on one line
)
# A name of capitalised parts (« Val-Fleuri », "Wilkes-Barre") never breaks at its hyphen: a word
# joiner after it, which draws nothing; League Spartan has no non-breaking hyphen.
_COMPOUND_NAME = (re.compile(r"(?<![\w-])([A-ZÀ-ÖØ-Þ][\w’']*)-(?=[A-ZÀ-ÖØ-Þ])"), r"\1-" + "\u2060")
_FRENCH += (_COMPOUND_NAME,)
_ENGLISH += (_COMPOUND_NAME,)
RULES = {"fr-FR": _FRENCH, "en-US": _ENGLISH, "en-GB": _ENGLISH}


_TAG = re.compile(r"(<[^>]*>|&#?\w+;)")  # tags and character references stay as they are


def typeset(text: str, locale: str) -> Markup:
    """Set the locale's typographic spaces, quotes and apostrophes, then escape the text for HTML.

    Markup (a template's own HTML, as ``{% filter typeset %}…{% endfilter %}`` passes it) keeps
    its tags: only the text between them is set, so every printed string, programme text
    and template wording alike, goes through this one filter.
    """
    rules = RULES[locale]
    if isinstance(text, Markup):
        return Markup("".join(part if _TAG.fullmatch(part) else _set(part, rules) for part in _TAG.split(text)))
    return escape(_set(text, rules))


def _set(text: str, rules) -> str:
    for pattern, replacement in rules:
        text = pattern.sub(replacement, text)
    return text


_SPACES = re.compile(r"[ \t\n]+")
# How long a text's last words may be to be kept on one line (« sur votre téléphone » is 19).
TAIL = 15


def unbroken_tail(text: str) -> str:
    """The text with its last words, up to TAIL characters (« votre téléphone », "on your phone"),
    joined by no-break spaces, so that its last line is never one short word, and each word of one
    small letter joined to the next, so that no line ends on one (« accessibles à / toutes et tous »). A
    span with white-space: nowrap would not do: WeasyPrint then breaks the lines before it early."""
    words = _SPACES.split(text.strip())  # a typeset text's no-break spaces (« gauche\u202f! ») stay in their words
    kept = 1
    while kept + 1 < len(words) and len(" ".join(words[-kept - 1:])) <= TAIL:
        kept += 1
    joined = " ".join(words[:-kept] + [NBSP.join(words[-kept:])])
    return _as(text, _ONE_LETTER.sub(rf"\1{NBSP}", joined))


def _as(text: str, joined: str) -> str:
    """The joined words, of the text's type: a Markup stays one, and is not escaped again."""
    return type(text)(joined) if isinstance(text, Markup) else joined


# How long a text's last clause, after its last comma, may be to be kept on one line.
CLAUSE = 30


def unbroken_clause(text: str) -> str:
    """The text with its last clause, after its last comma, joined by no-break spaces when it is
    CLAUSE characters or fewer: a call on two lines breaks at its comma (« Vote Port Riverton
    Forward, / and bring a friend to vote ») rather than leave its last words alone on the second."""
    head, comma, clause = text.rpartition(", ")
    if not comma or len(clause) > CLAUSE:
        return text
    return _as(text, f"{head}, {NBSP.join(_SPACES.split(clause.strip()))}")


# « à », « y », "a" before a space: lower case only, as a capital (« A l'écoute », « le plan A »)
# is a word the locale's rules still set (« À ») or the end of a phrase, and a figure leaves the
# thousands' space to them (« 3 000 »).
_ONE_LETTER = re.compile(r"(?<!\S)([^\W\d_A-ZÀ-Þ]) (?=\S)")


_ORDINAL = re.compile(r"(?<![\w])(\d+)(er|re|e)(?![\w])")  # « 1er », « 1re », « 2e »


def raised_ordinals(text: Markup, locale: str) -> Markup:
    """French ordinals with their letters raised, « 1<sup>er</sup> », in typeset text (see ``typeset``):
    for text set at body size, where the raised letters stay above 7 pt (a letter)."""
    if locale != "fr-FR":
        return text
    raise_ = lambda part: _ORDINAL.sub(r'\1<sup class="ordinal">\2</sup>', part)
    return Markup("".join(part if _TAG.fullmatch(part) else raise_(part) for part in _TAG.split(Markup(text))))


# A word of the text with what no-break spaces and punctuation glue to it, and the space before it.
# A whole group goes in a span, since WeasyPrint 70 breaks lines badly where a span meets text with
# no break opportunity; the space goes in too, since where the text before a span ends on a space
# and the span does not fit after it, WeasyPrint 70 broke the line's first word early, alone on its
# line (« dans la / restaura- / tion scolaire … événements / municipaux », Clamart's booklet).
_GROUP = re.compile(r"([ \t\n]?)([^ \t\n]+)")
_CAPITAL = re.compile(r"(?<!\w)[A-ZÀ-ÖØ-Þ]")
# common.css hyphenates only words of this many letters or more (hyphenate-limit-chars): shorter
# names need no span, and each span spared is one fewer chance of WeasyPrint's early line break.
HYPHENATED_WORD = 10


def body_text(text: str, locale: str, *names: str) -> Markup:
    """Programme text set as body copy: the locale's typography; proper nouns, acronyms, capitalised words,
    words holding one of ``names`` (« clamartois ») and the text's last word in ``name`` spans, which are
    never hyphenated: a paragraph's last line is never the end of a word alone (« discrimina- / tions »)."""
    lowered = [name.lower() for name in names if name]
    typeset_text = str(typeset(text, locale))
    last = max((group.start() for group in _GROUP.finditer(typeset_text)), default=-1)

    def mark(group: re.Match) -> str:
        word = group.group(2)
        if sum(c.isalpha() for c in word) >= HYPHENATED_WORD and (
                group.start() == last or _CAPITAL.search(word) or any(name in word.lower() for name in lowered)):
            return f'<span class="name">{group.group()}</span>'
        return group.group()

    return Markup(_GROUP.sub(mark, typeset_text))


def long_date(day: datetime.date, locale: str) -> Markup:
    """A date such as « 15 mars 2026 » or "November 3, 2026" that never breaks across lines."""
    return _unbroken(format_date(day, "long", locale=_babel(locale)), locale)


def short_date(day: datetime.date, locale: str) -> Markup:
    """A date without its year, such as « 15 mars » or "November 3", on one line."""
    return _unbroken(format_skeleton("MMMMd", day, locale=_babel(locale)), locale)


def date_parts(day: datetime.date, locale: str) -> tuple[str, str, str]:
    """A date without its year cut around its day, in the locale's order, for a graphic that sets
    the day large, then its year: ("", "15", "mars"), ("", "1er", "mars"), ("November", "3,", "").
    The day keeps the comma the locale writes between it and the year (« November 3, 2026 »)."""
    text = str(short_date(day, locale)).replace(NBSP, " ")
    before, number, after = re.fullmatch(r"(\D*?)\s*(\d+\S*)\s*(.*)", text).groups()
    if not after and re.search(rf"\b{day.day},", format_date(day, "long", locale=_babel(locale))):
        number += ","
    return before, number, after


def paired_dates(days: tuple[datetime.date, ...], locale: str) -> tuple[Markup, ...]:
    """Dates as a sentence names them, the month once when they share it: « 15 et 22 mars »,
    "November 3 and 10", "3 and 10 November"; the day goes where the locale writes it."""
    dates = tuple(short_date(day, locale) for day in days)
    if len(days) < 2 or len({(day.year, day.month) for day in days}) > 1:
        return dates
    numbers = tuple(_unbroken(str(day.day), locale) for day in days)
    if dates[0][:1].isdigit():  # the day before the month: the first day alone
        return numbers[:-1] + dates[-1:]
    return dates[:1] + numbers[1:]


def dated_weekday(day: datetime.date, locale: str) -> Markup:
    """A date with its day of the week and without its year, on one line: « lun. 2 mars », "Mon, September 14"."""
    return _unbroken(format_skeleton("MMMMEd", day, locale=_babel(locale)), locale)


def weekday(day: datetime.date, locale: str) -> str:
    """The day of the week of a date, computed, never typed: « dimanche », "Tuesday"."""
    return format_date(day, "EEEE", locale=_babel(locale))


def _unbroken(text: str, locale: str) -> Markup:
    # French writes the first of the month as an ordinal, « 1er mars »; Babel does not
    if locale == "fr-FR":
        text = re.sub(r"^1(?=\s|$)", "1er", text)
    return Markup(NBSP.join(text.split()))


def _babel(locale: str) -> str:
    return locale.replace("-", "_")
