"""campaign.yaml's keys, declared once as typed options: the loader validates the file from
this schema and the docs' reference is generated from it, so the two cannot drift apart.

Each option reads one YAML node through a Reader, so that every problem points at the line
and column a volunteer has to fix; a mapping goes on past a bad key, so that every problem
is reported at once.
"""

import datetime
import re
from pathlib import Path
from typing import Any, Callable, Iterable, NamedTuple
from urllib.parse import urlsplit

import yaml

from printkit.messages import Messages
from printkit.products import products, products_wording, quantity_forms, quantity_theme
from printkit.programme.model import Colour
from printkit.programme.urls import placeholders
from printkit.programme.yamlsource import NULL_TAG, Reader, number_of

DEFAULT_ICC = "/usr/share/color/icc/ghostscript/default_cmyk.icc"
TOKEN = re.compile(r"[A-Za-z0-9._-]+")


class Keys(NamedTuple):
    """The keys a mapping allows: a test for one key, and each allowed form (as messages and the
    reference show it) with its default, None for none."""

    allows: Callable[[str], bool]
    shown: dict[str, Any]


# The keys that depend on the products printkit makes: a function each, so that the list of products
# can come from one place without touching the options that use them.

def product_keys() -> Keys:
    """The products a number of copies may be given for, from the product registry."""
    return Keys(lambda key: quantity_theme(key) is not None, dict.fromkeys(quantity_forms()))


def paper_keys() -> Keys:
    """The kinds of material a paper may be named for, with the paper used when none is (the
    message its kind names, in the default locale's words)."""
    messages = Messages(LOCALES[0], products_wording(LOCALES[0]))
    papers = {kind.kind: messages(kind.paper) for kind in products() if kind.paper}
    return Keys(papers.__contains__, papers)


def message_keys() -> Keys:
    """Any message of the catalogues, by its identifier."""
    return Keys(lambda key: True, {"<message>": None})


def theme_keys() -> Keys:
    """Any theme slug: the slugs are checked against themes.yaml once every file is read."""
    return Keys(lambda key: True, {"<theme>": None})


class Values(dict):
    """A mapping's values by key, and where the mapping, its keys and its values were written."""

    def __init__(self, reader: Reader, node: yaml.MappingNode, pairs: dict[str, tuple[yaml.Node, yaml.Node]]):
        super().__init__()
        self.where = reader.where(node)
        self.key_at = {key: reader.where(key_node) for key, (key_node, _) in pairs.items()}
        self.value_at = {key: reader.where(value_node) for key, (_, value_node) in pairs.items()}


class Option:
    """One key's value: its type, whether it must be given, its default and a line of help."""

    kind = ""  # the type, as the reference names it

    def __init__(self, help: str, required: bool = True, default: Any = None):
        self.help = help
        self.required = required
        self.default = default

    def read(self, reader: Reader, node: yaml.Node, name: str) -> Any:
        """The node's value, or None once the reader holds why it is wrong."""
        raise NotImplementedError

    def rows(self, name: str) -> list[tuple[str, str, str, str]]:
        """The reference's rows for this key: name, type, whether it must be given, help."""
        return [(name, self.kind, _presence(self.required, self.default), self.help)]


class Text(Option):
    """Text on one line (whitespace folded); empty only where ``empty_ok``."""

    def __init__(self, help: str, required: bool = True, default: str | None = None, empty_ok: bool = False):
        super().__init__(help, required, default)
        self.empty_ok = empty_ok

    @property
    def kind(self) -> str:
        return "text, may be empty" if self.empty_ok else "text"

    def read(self, reader: Reader, node: yaml.Node, name: str) -> str | None:
        value = reader.text(node, name, empty_ok=self.empty_ok)
        problem = None if value is None else self.problem(value, name)
        if problem:
            reader.fail(node, problem)
            return None
        return value

    def problem(self, value: str, name: str) -> str | None:
        """Why a text read from the file is no value of this key; None when it is one."""
        return None


class Token(Text):
    """Text safe in an address's query without escaping."""

    kind = "letters, digits, `.`, `_`, `-`"

    def problem(self, value: str, name: str) -> str | None:
        return None if TOKEN.fullmatch(value) else f"{name} may hold only letters, digits, '.', '_' and '-'"


class Url(Text):
    """An https:// address: a QR code must never lead to a page a browser warns about."""

    kind = "`https://` address"

    def problem(self, value: str, name: str) -> str | None:
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.netloc:
            return f"{name} must be an https:// address, not '{value}'"
        return None


class UrlTemplate(Url):
    """An https:// address with exactly the ``{placeholders}`` the target fills in."""

    def __init__(self, help: str, expected: set[str]):
        super().__init__(help)
        self.expected = expected

    @property
    def kind(self) -> str:
        return f"`https://` address with {_placeholders(self.expected, '`')}"

    def problem(self, value: str, name: str) -> str | None:
        if url_problem := super().problem(value, name):
            return url_problem
        try:
            used = placeholders(value)
        except ValueError as error:
            return f"{name} has a broken placeholder: {error}"
        if used != self.expected:
            return f"{name} must use {_placeholders(self.expected)}; it uses {', '.join(sorted(used)) or 'none'}"
        return None


class OneOf(Text):
    """One of a few words, as written in ``choices``."""

    def __init__(self, help: str, choices: tuple[str, ...], required: bool = True, default: str | None = None):
        super().__init__(help, required, default)
        self.choices = choices

    @property
    def kind(self) -> str:
        return "one of " + ", ".join(f"`{choice}`" for choice in self.choices)

    def problem(self, value: str, name: str) -> str | None:
        return None if value in self.choices else f"{name} must be one of {', '.join(self.choices)}, not '{value}'"


class Date(Option):
    """A calendar date."""

    kind = "date, `YYYY-MM-DD`"

    def read(self, reader: Reader, node: yaml.Node, name: str) -> datetime.date | None:
        return reader.date(node, name)


class Number(Option):
    """A number from ``low`` (to ``high`` when given), whole only where ``whole``."""

    def __init__(self, help: str, low: float, high: float | None = None, unit: str = "", whole: bool = False,
                 required: bool = True):
        super().__init__(help, required)
        self.low, self.high, self.unit, self.whole = low, high, unit, whole

    @property
    def kind(self) -> str:
        return f"{'whole number' if self.whole else 'number'}, {self._range}"

    @property
    def _range(self) -> str:
        return f"{self.low:g} or more" if self.high is None else f"from {self.low:g} to {self.high:g}{self.unit}"

    def read(self, reader: Reader, node: yaml.Node, name: str) -> float | None:
        value = reader.integer(node, name) if self.whole else reader.number(node, name)
        if value is not None and not (self.low <= value and (self.high is None or value <= self.high)):
            reader.fail(node, f"{name} must be {self._range}, not {value:g}")
            return None
        return value


class CmykColour(Option):
    """A print colour as four ink percentages."""

    kind = "`[C, M, Y, K]`, ink percentages from 0 to 100"

    def read(self, reader: Reader, node: yaml.Node, name: str) -> Colour | None:
        inks = [number_of(item) for item in (node.value if isinstance(node, yaml.SequenceNode) else [])]
        if len(inks) != 4 or None in inks or not all(0 <= ink <= 100 for ink in inks):
            reader.fail(node, f"{name} must be four ink percentages [C, M, Y, K], each from 0 to 100")
            return None
        return Colour(*inks)


class ListOf(Option):
    """A list of items of one option, as many as ``length`` allows, in the ``order`` named when one is."""

    def __init__(self, help: str, item: Option, length: tuple[int, int], order: str = ""):
        super().__init__(help)
        self.item, self.length, self.order = item, length, order

    @property
    def kind(self) -> str:
        ordered = f", in {self.order} order" if self.order else ""
        return f"list of {self.length[0]} to {self.length[1]} items ({self.item.kind}){ordered}"

    def read(self, reader: Reader, node: yaml.Node, name: str) -> list | None:
        if not isinstance(node, yaml.SequenceNode):
            reader.fail(node, f"{name} must be a list")
            return None
        values = [self.item.read(reader, item, f"an item of {name}") for item in node.value]
        problem = self._problem(values)
        if problem:
            reader.fail(node, f"{name} {problem}")
            return None
        return values

    def _problem(self, values: list) -> str:
        low, high = self.length
        if not low <= len(values) <= high:
            return f"must list {low} to {high} items"
        if self.order and None not in values and values != sorted(values):
            return f"must be in {self.order} order"
        return ""


class Section(Option):
    """A mapping of named keys, each read by its own option, then checked as a whole by ``check``."""

    kind = "mapping"

    def __init__(self, help: str, options: dict[str, Option], required: bool = True,
                 check: Callable[[Reader, Values], None] | None = None):
        super().__init__(help, required, {})
        self.options, self.check = options, check

    def read(self, reader: Reader, node: yaml.Node, name: str) -> Values | None:
        pairs = _pairs(reader, node, name, self.options.__contains__, sorted(self.options))
        if pairs is None:
            return None
        values = Values(reader, node, pairs)
        for key, option in self.options.items():
            values[key] = self._value(reader, node, name, key, pairs.get(key))
        if self.check:
            self.check(reader, values)
        return values

    def _value(self, reader: Reader, node: yaml.Node, name: str, key: str, pair: tuple | None) -> Any:
        option = self.options[key]
        if pair is None or (not option.required and pair[1].tag == NULL_TAG):  # an optional key left empty
            if option.required:
                reader.fail(node, f"{_shown(reader, name)} lacks the key '{key}'")
            return option.default
        return option.read(reader, pair[1], _child(name, key))

    def rows(self, name: str) -> list[tuple[str, str, str, str]]:
        own = super().rows(name) if name else []
        return own + [row for key, option in self.options.items() for row in option.rows(_child(name, key))]


class MappingOf(Option):
    """A mapping whose keys a function allows, so that the list can come from elsewhere, and whose
    values are all read by one option."""

    kind = "mapping"

    def __init__(self, help: str, keys: Callable[[], Keys], value: Option, required: bool = True):
        super().__init__(help, required, {})
        self.keys, self.value = keys, value

    def read(self, reader: Reader, node: yaml.Node, name: str) -> Values | None:
        keys = self.keys()
        pairs = _pairs(reader, node, name, keys.allows, keys.shown)
        if pairs is None:
            return None
        values = Values(reader, node, pairs)
        for key, (_, value_node) in pairs.items():
            values[key] = self.value.read(reader, value_node, _child(name, key))
        return values

    def rows(self, name: str) -> list[tuple[str, str, str, str]]:
        value = self.value
        return super().rows(name) + [(_child(name, key), value.kind, _presence(value.required, default), value.help)
                                     for key, default in self.keys().shown.items()]


def _pairs(reader: Reader, node: yaml.Node, name: str, allows: Callable[[str], bool],
           expected: Iterable[str]) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
    """A mapping's allowed keys with their nodes, after reporting unknown and repeated keys."""
    shown = _shown(reader, name)
    if not isinstance(node, yaml.MappingNode):
        reader.fail(node, f"{shown} must be a mapping of keys to values")
        return None
    pairs = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if key in pairs:
            reader.fail(key_node, f"key '{key}' is repeated in {shown}")
        elif not allows(key):
            reader.fail(key_node, f"unknown key '{key}' in {shown} (expected one of: {', '.join(expected)})")
        else:
            pairs[key] = (key_node, value_node)
    return pairs


def _shown(reader: Reader, name: str) -> str:
    return name or Path(reader.label).name


def _child(name: str, key: str) -> str:
    return f"{name}.{key}" if name else key


def _presence(required: bool, default: Any) -> str:
    if required:
        return "required"
    return "optional" if default in (None, {}) else f"optional, default `{default}`"


def _placeholders(names: set[str], quote: str = "") -> str:
    return ", ".join(f"{quote}{{{name}}}{quote}" for name in sorted(names)) or "no placeholder"


def _on_the_website(reader: Reader, campaign: Values) -> None:
    """Every QR code leads to the campaign's own website, never to a look-alike host."""
    host = urlsplit(campaign["website"] or "").netloc
    urls = campaign["urls"] or {}
    for kind, template in urls.items():
        if host and template and urlsplit(template).netloc != host:
            reader.problems.add(urls.value_at[kind], f"urls.{kind} must point at the website {host}")


# The imprint keys a jurisdiction's law requires, each with the rule (docs/law.md).
REQUIRED_IMPRINT = {"gb": {"publisher_address": "the UK imprint gives the promoter's address "
                                                "(Representation of the People Act 1983, s.110)"}}


def region_of(locale: str) -> str:
    """The country of a BCP 47 locale: FR for fr-FR."""
    return locale.split("-")[-1].upper()


def jurisdiction_of(campaign: Values) -> str | None:
    """The law the pieces follow: ``jurisdiction``, else the locale's region; None while either is wrong."""
    locale = campaign.get("locale")
    return campaign.get("jurisdiction") or (region_of(locale).lower() if locale else None)


def _campaign_checks(reader: Reader, campaign: Values) -> None:
    _on_the_website(reader, campaign)
    _imprint_for_jurisdiction(reader, campaign)


def _imprint_for_jurisdiction(reader: Reader, campaign: Values) -> None:
    """The imprint keys the jurisdiction's law requires, each reported where it is missing or empty."""
    imprint = campaign.get("imprint")
    if not isinstance(imprint, Values):
        return
    needed = dict(REQUIRED_IMPRINT.get(jurisdiction_of(campaign), {}))
    if imprint.get("on_behalf_of"):  # s.110 gives the address of whoever the material is published for
        needed["on_behalf_of_address"] = "imprint.on_behalf_of is given without its address"
    for key, why in needed.items():
        if not imprint.get(key):
            reader.problems.add(imprint.value_at.get(key, imprint.where), f"imprint.{key} is required: {why}")


COLOUR_CHECKS = "`printkit check` warns when white text on it is faint or when it reads like another colour."

LOCALES = ("fr-FR", "en-US", "en-GB")
JURISDICTIONS = ("fr", "us", "gb")
PAPER_FAMILIES = ("iso", "us")

CAMPAIGN = Section("campaign.yaml", {
    "locale": OneOf("The language and region of every printed word, as a BCP 47 tag.", LOCALES,
                    required=False, default="fr-FR"),
    "jurisdiction": OneOf("The law the printed pieces follow: their legal mentions and `printkit check`'s law "
                          "rules. Default: the locale's region.", JURISDICTIONS, required=False),
    "messages": MappingOf("Printed wording replaced without copying a template, by message identifier.",
                          message_keys, Text("The wording printed instead."), required=False),
    "name": Text("The list's name, as printed on every material."),
    "city": Text("The city the election is held in."),
    "election": Text("The election, as printed (for example « Élections municipales »)."),
    "rounds": ListOf("The date of each round of voting.", Date("A round's date."), (1, 2), "chronological"),
    "seats": Number("The municipal council's seats, as the CGCT (article L2121-2) sets them for the commune's "
                    "population; required with `candidates.yaml`, whose list is counted against them.", 1, whole=True,
                    required=False),
    "community_seats": Number("The commune's seats on its intercommunal council (conseil communautaire), as the "
                              "prefect's order fixes them; with them, a commune of 1,000 inhabitants or more lists "
                              "its community candidates in `candidates.yaml`.", 1, whole=True, required=False),
    "population": Number("The commune's population as last authenticated, which sets the law of its lists: under "
                         "1,000 inhabitants a list may run two candidates short of the seats; required with "
                         "`candidates.yaml`.", 0, whole=True, required=False),
    "voters": Number("The registered voters, from which the quantities of ballots and circulaires follow.", 0,
                     whole=True, required=False),
    "website": Url("The campaign's website: every QR code leads there."),
    "urls": Section("What the QR codes encode, each on the website's host; a shorter address gives "
                    "larger modules at the same printed size.", {
        "programme": UrlTemplate("The whole programme online.", set()),
        "measure": UrlTemplate("One measure online; `{number}` is its number.", {"number"}),
        "theme": UrlTemplate("One theme's measures online; `{slug}` is its slug in themes.yaml.", {"slug"}),
    }),
    "tracking": Section("Adds `utm_source`, `utm_medium` (the material) and `utm_campaign` to every QR code's "
                        "address.", {
        "utm_source": Token("Where the visit comes from, for example `imprime`."),
        "utm_campaign": Token("The campaign's name in the site's statistics, for example `municipales-2026`."),
    }, required=False),
    "imprint": Section("The legal mentions on every printed document, as the jurisdiction's law requires "
                       "(see [The law](../law.md)).", {
        "printer_name": Text("The printer's name; while it is empty every document is marked ÉPREUVE (proof).",
                             empty_ok=True),
        "printer_address": Text("The printer's address; while it is empty every document is marked ÉPREUVE "
                                "(proof).", empty_ok=True),
        "publisher": Text("Who publishes the documents: in the US the committee that paid for them, in the UK "
                          "their promoter."),
        "publisher_address": Text("The publisher's address; required in the UK (`jurisdiction: gb`), where the "
                                  "imprint gives the promoter's address.", required=False, default=""),
        "on_behalf_of": Text("UK: the candidate or party on whose behalf the promoter publishes, when another "
                             "person.", required=False, default=""),
        "on_behalf_of_address": Text("UK: their address; required with `on_behalf_of`.", required=False, default=""),
    }),
    "printing": Section("The printer's file specification.", {
        "bleed_mm": Number("How far colour runs past the trim (fond perdu); 3 mm is the common request.",
                           0, 10, " mm"),
        "safe_mm": Number("How far inside the trim text and QR codes stay.", 3, 20, " mm"),
        "build_date": Date("The creation date written into every PDF, so that builds are byte-identical."),
        "icc_profile": Text("The CMYK profile the printer sends, for PDF/X and for judging colours as printed.",
                            required=False, default=DEFAULT_ICC),
        "paper": OneOf("The paper sizes printed on: `iso` (A4, A5, SRA3) or `us` (Letter, half-letter, "
                       "12 × 18 in). Default: `us` for the US locale, else `iso`.", PAPER_FAMILIES, required=False),
        "stock": MappingOf("The paper stock suggested per kind of material, on job tickets and sheet slugs.",
                           paper_keys, Text("The paper stock for this kind of material.", required=False),
                           required=False),
    }),
    "colours": Section("Ink percentages `[C, M, Y, K]` of the brand, the accent and every theme.", {
        "brand": CmykColour(f"The campaign's colour. {COLOUR_CHECKS}"),
        "accent": CmykColour("The second colour, used on the brand colour only."),
        "themes": MappingOf("Each theme's colour, by its slug in themes.yaml; every theme needs one.", theme_keys,
                            CmykColour(f"The theme's colour. {COLOUR_CHECKS}")),
    }),
    "quantities": MappingOf("Copies to print per product, for the job tickets of `printkit pack`; 0 leaves the "
                            "product out: neither built nor packed.", product_keys,
                            Number("The number of copies.", 0, whole=True, required=False), required=False),
}, check=_campaign_checks)

REFERENCE_INTRODUCTION = """\
# campaign.yaml

<!-- Generated by scripts/campaign-reference from src/printkit/programme/schema.py: edit the schema, not this page. -->

The campaign's settings, in `programme/campaign.yaml`. A dotted key is nested: `printing.bleed_mm`
is `bleed_mm` under `printing:`. A key marked required inside an optional mapping is required
when that mapping is given. An optional key left out or left empty takes its default.
`printkit build` reports every mistake at once, each as `file:line:column: what is wrong`.
"""


def reference_markdown() -> str:
    """campaign.yaml's reference for the docs: every key with its type, whether it must be given, and its help."""
    rows = [f"| `{key}` | {kind} | {presence} | {text} |" for key, kind, presence, text in CAMPAIGN.rows("")]
    return "\n".join([REFERENCE_INTRODUCTION, "| Key | Type | Given | What it is |", "|---|---|---|---|", *rows, ""])
