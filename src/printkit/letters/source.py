"""Read LETTER.md (YAML front matter, Markdown body), find and check its references.

The body is parsed by markdown-it-py with raw HTML off, so that HTML typed in a letter
prints literally. References to measures (« mesure 89 », « nos mesures 61 et 62 »,
« (**mesure 11**) », « me-» / « sure 81 » cut by a page break; "measures 6, 7, and 25" in
an English letter) are found in the text the reader sees, emphasis and line breaks removed,
in the language of the campaign's locale, and each number is mapped back to its line and
column in the source so that a wrong one can be fixed at once.
"""

import datetime
import functools
import logging
import re
import string
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml
from markdown_it import MarkdownIt
from markupsafe import Markup

from printkit.errors import Problems, Where
from printkit.programme.datacheck import uncovered_characters
from printkit.programme.model import Programme
from printkit.programme.yamlsource import NULL_TAG, STR_TAG, TEXT_TAGS, Reader
from printkit.render.typography import raised_ordinals, typeset

log = logging.getLogger("printkit")

FENCE = "---"
REQUIRED = ("to", "subject", "date", "place", "signature")
OPTIONAL = ("reference", "cc", "greeting")
ADDRESS_LINES, ADDRESS_WIDTH = 6, 38  # NF Z10-011; what the window holds at 10 pt, kept for every country
DIGITS = re.compile(r"\d+")
FIELD = re.compile(r"\{(\w+)\}")
CUT_WORD = re.compile(r"\b\w+-[*_]*[ \t]*\n\s*[*_]*\w+")


@dataclass(frozen=True)
class Words:
    """How a language cites measures: the word, its plural, a number's prefix, the conjunctions."""

    name: str
    singular: str
    plural: str
    number_prefix: str  # a regular expression: « n° » or "#" before a number
    conjunctions: tuple[str, ...]
    serial_comma: bool = False  # "measures 6, 7, and 25", as American English writes a list


# By language, the part of a locale before its region (« fr » of fr-FR). A bare "#12" is not a
# reference: a hashtag, a flat or a ranking are written so too; "measure #12" is.
WORDS = {
    "fr": Words("French", "mesure", "mesures", r"n[°o]\s*", ("et", "ou")),
    "en": Words("English", "measure", "measures", r"(?:#|no\.)\s*", ("and", "or"), serial_comma=True),
}


def language(locale: str) -> str:
    """The language of a BCP 47 locale, which its letters are written in: « fr » of fr-FR."""
    return locale.split("-")[0]


@functools.cache
def reference_pattern(language: str) -> re.Pattern:
    """References to measures in a language: « mesure 89 », « nos mesures 6, 7 et 25 », "measures 6 or 7".

    The number's digits are what the match holds from its first group on.
    """
    words = WORDS[language]
    word = f"(?:{_cuttable(words.plural)}|{_cuttable(words.singular)})"
    number = rf"(?:{words.number_prefix})?(\d+)"
    before = r"\s*,?\s+" if words.serial_comma else r"\s+"
    last = rf"{before}(?:{'|'.join(words.conjunctions)})\s+{number}"
    return re.compile(rf"\b{word}\s+{number}((?:\s*,\s*{number})*(?:{last})?)", re.IGNORECASE)


def _cuttable(word: str) -> str:
    """A word as written, or cut by a hyphen at a line or page break (« me- sure »)."""
    return r"(?:-\s+)?".join(word)


def cited_numbers(text: str, language: str) -> list[re.Match]:
    """Each measure number that ``text`` cites, as a match of its digits, in order."""
    return [number for match in reference_pattern(language).finditer(text)
            for number in DIGITS.finditer(text, match.start(1), match.end())]


@dataclass(frozen=True)
class Citation:
    """A measure number as written in a letter, and where."""

    number: int
    where: Where


@dataclass(frozen=True)
class Letter:
    """A letter read and checked: its front matter, its body as HTML, the measures it cites."""

    path: Path
    to: tuple[str, ...]
    subject: str
    date: datetime.date
    place: str
    signature: tuple[str, ...]
    reference: str
    cc: tuple[str, ...]
    greeting: str
    body: Markup
    citations: tuple[Citation, ...]
    body_fields: tuple[tuple[str, Where], ...] = ()  # ``{name}`` written in the body, which no merge fills in

    @property
    def stem(self) -> str:
        """The letter's name, which its PDF takes."""
        return self.path.stem

    @property
    def cited(self) -> tuple[int, ...]:
        """The numbers of the measures cited, each once, in order of first citation."""
        return tuple(dict.fromkeys(c.number for c in self.citations))

    @property
    def fields(self) -> set[str]:
        """The recipient columns the greeting refers to, as ``{nom}``."""
        return {name for _, name, _, _ in string.Formatter().parse(self.greeting) if name}


def read_letter(path: Path, programme: Programme, fonts: Path, label: str | None = None) -> Letter:
    """Read and check a letter; every problem in it is reported at once, as ``file:line:column``."""
    label = label or str(path)
    problems = Problems()
    text = _read_text(path, label, problems)
    problems.raise_if_any()
    _glyphs(text, label, fonts, problems)
    head, body, body_line = _split(text, label, problems)
    if not head:  # without a front matter nothing else can be read
        problems.raise_if_any()
    front = _front_matter(head, label, problems)
    markdown = _markdown(programme.campaign.locale)
    tokens = markdown.parse(body)
    _resources(tokens, path, label, body_line, problems)
    text, places = _plain_text(tokens, body.splitlines(), body_line)
    written_in = language(programme.campaign.locale)
    citations = [Citation(int(number.group()), Where(label, *places[number.start()]))
                 for number in cited_numbers(text, written_in)]
    _known(citations, programme, problems)
    problems.raise_if_any()
    _warn_cut_words(body, label, body_line)
    _warn_other_language(text, places, label, written_in)
    _warn_uncited(citations, label, written_in)
    return Letter(path, body=Markup(markdown.renderer.render(tokens, markdown.options, {})),
                  citations=tuple(citations), body_fields=_body_fields(body, label, body_line), **front)


def _read_text(path: Path, label: str, problems: Problems) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        problems.add(Where(label), "no such letter")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[:error.start].count(b"\n") + 1
        problems.add(Where(label, line, 1), "not valid UTF-8 (save the letter as UTF-8)")
    except OSError as error:
        problems.add(Where(label), f"cannot read the letter: {error.strerror}")
    return ""


def _glyphs(text: str, label: str, fonts: Path, problems: Problems) -> None:
    """Characters the bundled fonts cannot draw (emoji, other scripts), refused before any rendering."""
    for number, line in enumerate(text.splitlines(), 1):
        missing = uncovered_characters(line, fonts)
        if missing:
            shown = " ".join(f"{c} (U+{ord(c):04X})" for c in missing)
            problems.add(Where(label, number, max(line.find(missing[0]), 0) + 1), f"no glyph in the bundled fonts for {shown}")


def _split(text: str, label: str, problems: Problems) -> tuple[str, str, int]:
    """The front matter (with its opening fence, so that YAML lines match the file's), the body, its first line."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FENCE:
        problems.add(Where(label, 1, 1), f"a letter starts with a front matter between two '{FENCE}' lines")
        return "", "", 0
    end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == FENCE), None)
    if end is None:
        problems.add(Where(label, 1, 1), f"the front matter has no closing '{FENCE}' line")
        return "", "", 0
    return "".join(lines[:end]), "".join(lines[end + 1:]), end + 2


# front matter


def _front_matter(head: str, label: str, problems: Problems) -> dict:
    reader = Reader(label, problems)
    try:
        node = yaml.compose(head, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problems.add(Where(label, mark.line + 1, mark.column + 1), f"malformed YAML: {error.problem or error.context}")
        return {}
    if node is None:
        problems.add(Where(label, 1, 1), f"the front matter is empty (it needs {', '.join(REQUIRED)})")
        return {}
    keys = reader.mapping(node, "the front matter", required=REQUIRED, optional=OPTIONAL) or {}
    return _fields(reader, keys)


def _fields(reader: Reader, keys: dict) -> dict:
    optional = {key: keys.get(key) for key in OPTIONAL}
    return {
        "to": _address(reader, keys["to"]) if "to" in keys else (),
        "subject": _text(reader, keys.get("subject"), "subject"),
        "date": _date(reader, keys["date"]) if "date" in keys else None,
        "place": _text(reader, keys.get("place"), "place"),
        "signature": _lines(reader, keys["signature"], "signature") if "signature" in keys else (),
        "reference": _text(reader, optional["reference"], "reference"),
        "cc": _lines(reader, optional["cc"], "cc") if optional["cc"] is not None else (),
        "greeting": _greeting(reader, optional["greeting"]),
    }


def _greeting(reader: Reader, node: yaml.Node | None) -> str:
    """The greeting, whose ``{column}`` fields a mail merge fills in."""
    greeting = _text(reader, node, "greeting")
    try:
        fields = [(name, spec or conversion) for _, name, spec, conversion in string.Formatter().parse(greeting)
                  if name is not None]
    except ValueError as error:
        reader.fail(node, f"greeting: {error} (a recipient's column is written {{nom}})")
        return ""
    for name, extra in fields:
        if not name.isidentifier() or extra:
            reader.fail(node, f"greeting: '{{{name}}}' is not a column name (a recipient's column is written {{nom}})")
    return greeting


def _text(reader: Reader, node: yaml.Node | None, what: str) -> str:
    return (reader.text(node, what) or "") if node is not None else ""


def _lines(reader: Reader, node: yaml.Node, what: str) -> tuple[str, ...]:
    """Several lines: a list of texts, or a block of text with one line per line."""
    if isinstance(node, yaml.SequenceNode):
        return tuple(reader.texts(node, what))
    if isinstance(node, yaml.ScalarNode) and node.tag in TEXT_TAGS and node.value.strip():
        return tuple(line.strip() for line in node.value.splitlines() if line.strip())
    reader.fail(node, f"{what} must be text, one line per line, or a list of lines")
    return ()


def _address(reader: Reader, node: yaml.Node) -> tuple[str, ...]:
    lines = _lines(reader, node, "to")
    for problem in address_problems(lines):
        reader.fail(node, f"to: {problem}")
    return lines


def address_problems(lines: tuple[str, ...] | list[str]) -> list[str]:
    """What makes an address unfit for a French envelope (NF Z10-011: 6 lines of 38 characters at most)."""
    problems = [f"{len(lines)} lines: an address has at most {ADDRESS_LINES}"] if len(lines) > ADDRESS_LINES else []
    return problems + [f"line « {line} » has {len(line)} characters: at most {ADDRESS_WIDTH}"
                       for line in lines if len(line) > ADDRESS_WIDTH]


def _date(reader: Reader, node: yaml.Node) -> datetime.date | None:
    if isinstance(node, yaml.ScalarNode) and node.tag not in (STR_TAG, NULL_TAG) or _iso(node):
        return reader.date(node, "date")
    reader.fail(node, f"date must be a date written YYYY-MM-DD, not '{getattr(node, 'value', '')}'")
    return None


def _iso(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", node.value) is not None


# Markdown body


def _markdown(locale: str) -> MarkdownIt:
    """CommonMark with raw HTML off (it prints as typed) and the locale's typography on the text,
    French ordinals raised (« 1<sup>er</sup> décembre »), a reference's word bound to its number."""
    markdown = MarkdownIt("commonmark", {"html": False, "typographer": False})
    bound = _bound_reference(language(locale))
    markdown.add_render_rule("text", lambda renderer, tokens, index, options, env:
                             str(raised_ordinals(typeset(bound(tokens[index].content), locale), locale)))
    return markdown


def _bound_reference(language: str):
    """What joins a reference's word (and its « n° ») to its number by no-break spaces, and the
    last number of a list to its « et »: a line that ends on « (mesure » and a next one that starts
    on « 61) », or "measures 6 and" and "26", split what the reader looks up. The line may break
    before the « et » (« mesures 6 | et 25 »): a whole list kept on one line left the line before it short."""
    words = WORDS[language]
    number = rf"(?:{words.number_prefix})?\d"
    reference = re.compile(rf"\b(?:{words.plural}|{words.singular})\s+{number}", re.IGNORECASE)
    last = re.compile(rf"(?<=\d\s)(?:{'|'.join(words.conjunctions)})\s+{number}")  # after a number: in a list

    def bound(text: str) -> str:
        for pattern in (reference, last):
            text = pattern.sub(lambda found: re.sub(r"\s+", "\u00a0", found.group()), text)
        return text
    return bound


def _inline_blocks(tokens):
    """Each inline token (a paragraph's, a heading's, a list item's text) with its first source line."""
    for token in tokens:
        if token.type == "inline" and token.map:
            yield token, token.map[0]


def _resources(tokens, folder: Path, label: str, body_line: int, problems: Problems) -> None:
    """Images and links must stay inside the letter's folder: nothing is fetched from elsewhere."""
    for block, first in _inline_blocks(tokens):
        for child in block.children or ():
            target = child.attrGet("src") if child.type == "image" else child.attrGet("href")
            if target is not None and not _inside(str(target), folder.parent):
                what = "an image" if child.type == "image" else "a link"
                problems.add(Where(label, body_line + first, 1),
                             f"{what} to '{target}' is refused: a letter may only use files next to it")


def _inside(target: str, folder: Path) -> bool:
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("/"):
        return False
    return (folder / unquote(parts.path)).resolve().is_relative_to(folder.resolve())  # as the fetcher decodes it


def _plain_text(tokens, source: list[str], body_line: int) -> tuple[str, list[tuple[int, int]]]:
    """The body's text as read, without markup, and the source line and column of each character."""
    text, places = [], []
    for block, first in _inline_blocks(tokens):
        lines = block.content.split("\n")
        cursor = 0
        for child in block.children or ():
            if child.type in ("softbreak", "hardbreak"):
                text.append("\n")
                places.append((0, 0))
            elif child.type in ("text", "code_inline"):
                at = block.content.find(child.content, cursor)
                cursor = at + len(child.content) if at >= 0 else cursor
                for offset, character in enumerate(child.content):
                    text.append(character)
                    places.append(_position(lines, source, first, at + offset if at >= 0 else cursor, body_line))
        text.append("\n\n")
        places += [(0, 0), (0, 0)]
    return "".join(text), places


def _position(lines: list[str], source: list[str], first: int, offset: int, body_line: int) -> tuple[int, int]:
    """From an offset in a block's inline content (each line stripped of its indentation and
    list markers) to the line and column in the file."""
    for index, line in enumerate(lines):
        if offset <= len(line):
            indent = max(source[first + index].find(line), 0) if first + index < len(source) else 0
            return body_line + first + index, indent + offset + 1
        offset -= len(line) + 1
    return body_line + first + len(lines) - 1, 1


def _known(citations: list[Citation], programme: Programme, problems: Problems) -> None:
    numbers = [m.number for m in programme.measures]
    for citation in citations:
        if citation.number not in numbers:
            problems.add(citation.where, f"measure {citation.number} is not in the programme "
                                         f"(measures {min(numbers)} to {max(numbers)})")


def _body_fields(body: str, label: str, body_line: int) -> tuple[tuple[str, Where], ...]:
    return tuple((match.group(1), Where(label, body_line + number, match.start() + 1))
                 for number, line in enumerate(body.splitlines()) for match in FIELD.finditer(line))


def _warn_cut_words(body: str, label: str, body_line: int) -> None:
    """A word cut by a hyphen across a line break looks like an export artefact: the letter prints it as written."""
    for match in CUT_WORD.finditer(body):
        line = body_line + body.count("\n", 0, match.start())
        shown = " ".join(match.group().replace("*", "").replace("_", "").split())
        log.warning("%s:%d: « %s » looks like a word cut by a page break; it prints as written", label, line, shown)


def _warn_other_language(text: str, places: list, label: str, written_in: str) -> None:
    """A reference written in another language than the letter's is not read: it would be missing from the annex."""
    for other in (code for code in WORDS if code != written_in):
        for match in reference_pattern(other).finditer(text):
            line, column = places[match.start()]
            log.warning("%s:%d:%d: « %s » cites a measure in %s, but this letter is in %s (the campaign's locale): "
                        "it is not read as a reference", label, line, column, " ".join(match.group().split()),
                        WORDS[other].name, WORDS[written_in].name)


def _warn_uncited(citations: list[Citation], label: str, written_in: str) -> None:
    """A letter that cites nothing gets an empty annex, most likely by mistake."""
    if not citations:
        words = WORDS[written_in]
        log.warning("%s: cites no measure, so its annex is empty (a reference is written « %s 12 » or « %s 6 %s 25 »)",
                    label, words.singular, words.plural, words.conjunctions[0])
