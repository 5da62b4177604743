"""Read programme/ into a validated Programme, reporting every problem at once."""

import logging
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from printkit.errors import Problem, Problems, Where
from printkit.products import products
from printkit.programme.identity import FILE as IDENTITY_FILE
from printkit.programme.identity import read_identity
from printkit.programme.model import (
    Campaign,
    Colour,
    Imprint,
    Measure,
    PrintSettings,
    Programme,
    Section,
    Theme,
    UrlTemplates,
)
from printkit.programme.urls import PLACEHOLDERS, placeholders
from printkit.programme.yamlsource import Reader, read_yaml

log = logging.getLogger("printkit")

FILES = ("campaign.yaml", "themes.yaml", "programme.yaml", "measures.yaml")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 40
DEFAULT_ICC = "/usr/share/color/icc/ghostscript/default_cmyk.icc"
BLUE_HUES = (190, 255)
RED_HUES = (340, 15)


def load_programme(folder: Path) -> Programme:
    """Read and validate a programme folder; log its warnings; raise InvalidInput on any error."""
    programme, warnings = read_programme(folder)
    for warning in warnings:
        log.warning("%s", warning)
    return programme


def read_programme(folder: Path) -> tuple[Programme, list[Problem]]:
    """Read and validate a programme folder; return it with its warnings."""
    problems = Problems()
    readers = {name: Reader(_label(folder, name), problems) for name in FILES}
    nodes = {name: read_yaml(folder / name, readers[name].label, problems) for name in FILES}
    problems.raise_if_any()
    located = _Located()
    themes = _themes(readers["themes.yaml"], nodes["themes.yaml"], located)
    campaign, colours = _campaign(readers["campaign.yaml"], nodes["campaign.yaml"], located)
    title, introduction, guarantees = _texts(readers["programme.yaml"], nodes["programme.yaml"])
    sections, measures = _measures(readers["measures.yaml"], nodes["measures.yaml"], located)
    identity = read_identity(folder, Reader(_label(folder, IDENTITY_FILE), problems))
    _cross_check(problems, located, themes, colours, measures, readers["measures.yaml"], nodes["measures.yaml"])
    problems.raise_if_any()
    themes = tuple(Theme(slug, label, colours[slug], short) for slug, label, short in themes)
    programme = Programme(campaign, title, introduction, guarantees, themes, sections, measures, identity)
    return programme, _warnings(programme, located)


def _label(folder: Path, name: str) -> str:
    path = folder / name
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class _Located:
    """Where each named thing was written, so that later checks can point at it."""

    def __init__(self) -> None:
        self.measures: dict[int, Where] = {}
        self.themes: dict[str, Where] = {}
        self.colours: dict[str, Where] = {}
        self.theme_refs: list[tuple[str, Where]] = []
        self.palette: Where | None = None
        self.products: list[tuple[str, Where]] = []


# campaign.yaml

CAMPAIGN_KEYS = ("name", "city", "election", "rounds", "website", "urls", "imprint", "printing", "colours")


def _campaign(reader: Reader, node: yaml.Node, located: _Located) -> tuple[Campaign | None, dict]:
    keys = reader.mapping(node, "campaign.yaml", required=CAMPAIGN_KEYS, optional=("tracking", "quantities"))
    if keys is None or any(key not in keys for key in CAMPAIGN_KEYS):
        return None, {}
    website = _https(reader, keys["website"], "website")
    urls = _urls(reader, keys["urls"], keys.get("tracking"), website)
    colours = _colours(reader, keys["colours"], located)
    campaign = Campaign(
        name=reader.text(keys["name"], "the list's name"),
        city=reader.text(keys["city"], "the city"),
        election=reader.text(keys["election"], "the election"),
        rounds=_rounds(reader, keys["rounds"]),
        website=website,
        urls=urls,
        imprint=_imprint(reader, keys["imprint"]),
        printing=_printing(reader, keys["printing"]),
        brand=colours.pop("brand", None),
        accent=colours.pop("accent", None),
        quantities=_quantities(reader, keys["quantities"], located) if "quantities" in keys else (),
    )
    return campaign, colours


def _https(reader: Reader, node: yaml.Node, what: str) -> str | None:
    url = reader.text(node, what)
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc:
        reader.fail(node, f"{what} must be an https:// address, not '{url}'")
        return None
    return url


def _urls(reader: Reader, node: yaml.Node, tracking_node: yaml.Node | None, website: str | None) -> UrlTemplates:
    keys = reader.mapping(node, "urls", required=tuple(PLACEHOLDERS)) or {}
    templates = {kind: _template(reader, keys[kind], kind, website) for kind in PLACEHOLDERS if kind in keys}
    tracking = _tracking(reader, tracking_node) if tracking_node is not None else ()
    return UrlTemplates(**templates, tracking=tracking) if len(templates) == len(PLACEHOLDERS) else None


def _template(reader: Reader, node: yaml.Node, kind: str, website: str | None) -> str | None:
    template = _https(reader, node, f"the {kind} URL template")
    if template is None:
        return None
    try:
        used = placeholders(template)
    except ValueError as error:
        reader.fail(node, f"the {kind} URL template has a broken placeholder: {error}")
        return None
    expected = PLACEHOLDERS[kind]
    if used != expected:
        wanted = ", ".join(f"{{{name}}}" for name in sorted(expected)) or "no placeholder"
        reader.fail(node, f"the {kind} URL template must use {wanted}; it uses {', '.join(sorted(used)) or 'none'}")
        return None
    if website and urlsplit(template).netloc != urlsplit(website).netloc:
        reader.fail(node, f"the {kind} URL template must point at the website {urlsplit(website).netloc}")
        return None
    return template


def _tracking(reader: Reader, node: yaml.Node) -> tuple[tuple[str, str], ...]:
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
        return ()
    keys = reader.mapping(node, "tracking", required=("utm_source", "utm_campaign")) or {}
    values = {key: reader.text(value, key) for key, value in keys.items()}
    for key, value in values.items():
        if value is not None and not re.fullmatch(r"[A-Za-z0-9._-]+", value):
            reader.fail(keys[key], f"{key} may hold only letters, digits, '.', '_' and '-'")
    return tuple(sorted(values.items())) if all(values.values()) else ()


def _rounds(reader: Reader, node: yaml.Node) -> tuple:
    dates = [reader.date(item, "a round's date") for item in reader.sequence(node, "rounds")]
    if not 1 <= len(dates) <= 2:
        reader.fail(node, "rounds must list one or two dates")
    elif None not in dates and dates != sorted(dates):
        reader.fail(node, "rounds must be in chronological order")
    return tuple(dates)


def _imprint(reader: Reader, node: yaml.Node) -> Imprint | None:
    keys = reader.mapping(node, "imprint", required=("printer_name", "printer_address", "publisher"))
    if keys is None or len(keys) < 3:
        return None
    return Imprint(**{key: reader.text(keys[key], key, empty_ok=key != "publisher") for key in keys})


def _printing(reader: Reader, node: yaml.Node) -> PrintSettings | None:
    keys = reader.mapping(node, "printing", required=("bleed_mm", "safe_mm", "build_date"),
                          optional=("icc_profile", "paper"))
    if keys is None or len(keys.keys() - {"icc_profile", "paper"}) < 3:
        return None
    bleed = _millimetres(reader, keys["bleed_mm"], "bleed_mm", 0, 10)
    safe = _millimetres(reader, keys["safe_mm"], "safe_mm", 3, 20)
    icc = reader.text(keys["icc_profile"], "icc_profile") if "icc_profile" in keys else DEFAULT_ICC
    paper = _paper(reader, keys["paper"]) if "paper" in keys else ()
    return PrintSettings(bleed, safe, icc, reader.date(keys["build_date"], "build_date"), paper)


def _paper(reader: Reader, node: yaml.Node) -> tuple[tuple[str, str], ...]:
    kinds = tuple(kind.kind for kind in products() if kind.paper)
    keys = reader.mapping(node, "paper", optional=kinds) or {}
    papers = {kind: reader.text(value, f"the paper for the {kind}") for kind, value in keys.items()}
    return tuple(sorted((kind, paper) for kind, paper in papers.items() if kind in kinds and paper))


def _quantities(reader: Reader, node: yaml.Node, located: _Located) -> tuple[tuple[str, int], ...]:
    """Copies per product; products naming a theme are checked against themes.yaml later."""
    if not isinstance(node, yaml.MappingNode):
        reader.fail(node, "quantities must be a mapping of products (booklet, leaflets/<theme>, cards/<theme>) "
                          "to numbers of copies")
        return ()
    seen, found = set(), {}
    for key_node, value_node in node.value:
        product = str(key_node.value)
        known = _product_ok(reader, key_node, product, seen, located)
        seen.add(product)
        copies = _copies(reader, value_node, product)  # checked even under a bad key: every problem at once
        if known and copies is not None:
            found[product] = copies
    return tuple(sorted(found.items()))


def _quantity_forms() -> list[str]:
    """The keys quantities accept, from the product registry; `<theme>` stands for a theme's slug."""
    return [key for kind in products() if kind.built for key in kind.quantity_keys(["<theme>"])]


def _quantity_theme(product: str) -> str | None:
    """The theme a quantity key names ('' for a product of the whole programme); None for no product's key."""
    for form in sorted(_quantity_forms(), key=lambda form: "<theme>" in form):  # cards/programme is no theme
        head, placeholder, tail = form.partition("<theme>")
        if not placeholder and product == form:
            return ""
        middle = product[len(head):len(product) - len(tail)]
        if placeholder and product.startswith(head) and product.endswith(tail) and SLUG.fullmatch(middle):
            return middle
    return None


def _product_ok(reader: Reader, node: yaml.Node, product: str, seen: set, located: _Located) -> bool:
    if product in seen:
        reader.fail(node, f"the quantity of '{product}' is given twice")
        return False
    if _quantity_theme(product) is None:
        forms = _quantity_forms()
        reader.fail(node, f"unknown product '{product}' (expected {', '.join(forms[:-1])} or {forms[-1]})")
        return False
    located.products.append((product, reader.where(node)))
    return True


def _copies(reader: Reader, node: yaml.Node, product: str) -> int | None:
    copies = reader.integer(node, f"the quantity of '{product}'")
    if copies is not None and copies < 1:
        reader.fail(node, f"the quantity of '{product}' must be 1 or more, not {copies}")
        return None
    return copies


def _millimetres(reader: Reader, node: yaml.Node, what: str, low: float, high: float) -> float | None:
    value = reader.number(node, what)
    if value is not None and not low <= value <= high:
        reader.fail(node, f"{what} must lie between {low:g} and {high:g} mm")
    return value


def _colours(reader: Reader, node: yaml.Node, located: _Located) -> dict[str, Colour]:
    keys = reader.mapping(node, "colours", required=("brand", "accent", "themes")) or {}
    colours = {name: _colour(reader, keys[name], name) for name in ("brand", "accent") if name in keys}
    if "themes" in keys:
        located.palette = reader.where(keys["themes"])
        for key_node, value_node in getattr(keys["themes"], "value", []):
            located.colours[key_node.value] = reader.where(key_node)
            colours[key_node.value] = _colour(reader, value_node, f"the colour of '{key_node.value}'")
    return colours


def _colour(reader: Reader, node: yaml.Node, what: str) -> Colour | None:
    inks = [reader.number(item, f"{what}'s ink") for item in reader.sequence(node, what)]
    if len(inks) != 4 or None in inks or not all(0 <= ink <= 100 for ink in inks):
        reader.fail(node, f"{what} must be four ink percentages [C, M, Y, K], each from 0 to 100")
        return None
    return Colour(*inks)


# themes.yaml and programme.yaml


def _themes(reader: Reader, node: yaml.Node, located: _Located) -> list[tuple[str, str, str]]:
    themes = []
    for item in reader.sequence(node, "themes.yaml"):
        keys = reader.mapping(item, "a theme", required=("slug", "label"), optional=("short",)) or {}
        slug, label, short = (reader.text(keys[key], f"the theme's {key}") if key in keys else None
                              for key in ("slug", "label", "short"))
        if slug is not None and _slug_ok(reader, keys["slug"], slug, located) and label is not None:
            themes.append((slug, label, short or ""))
    _no_repeats(reader, node, [label for _, label, _ in themes], "theme label")
    return themes


def _slug_ok(reader: Reader, node: yaml.Node, slug: str, located: _Located) -> bool:
    if not SLUG.match(slug) or len(slug) > SLUG_MAX:
        reader.fail(node, f"slug '{slug}' is not safe as a file name "
                          f"(expected lowercase ASCII letters and digits joined by '-', at most {SLUG_MAX})")
        return False
    if slug in located.themes:
        reader.fail(node, f"slug '{slug}' is used by another theme at {located.themes[slug]}")
        return False
    located.themes[slug] = reader.where(node)
    return True


def _no_repeats(reader: Reader, node: yaml.Node, values: list[str], what: str) -> None:
    for value, count in Counter(values).items():
        if count > 1:
            reader.fail(node, f"{what} '{value}' is given {count} times")


def _texts(reader: Reader, node: yaml.Node) -> tuple:
    keys = reader.mapping(node, "programme.yaml", required=("title", "introduction", "guarantees")) or {}
    title = reader.text(keys["title"], "the title") if "title" in keys else None
    introduction = tuple(reader.texts(keys["introduction"], "an introduction paragraph")) if "introduction" in keys else ()
    guarantees = tuple(reader.texts(keys["guarantees"], "a guarantee")) if "guarantees" in keys else ()
    return title, introduction, guarantees


# measures.yaml


def _measures(reader: Reader, node: yaml.Node, located: _Located) -> tuple[tuple, tuple]:
    sections, measures = [], []
    for item in reader.sequence(node, "measures.yaml (a list of sections)"):
        keys = reader.mapping(item, "a section", required=("section", "measures")) or {}
        title = reader.text(keys["section"], "the section's title") if "section" in keys else None
        found = [_measure(reader, m, title, located) for m in reader.sequence(keys.get("measures", item), "measures")]
        found = [measure for measure in found if measure is not None]
        sections.append(Section(title, tuple(m.number for m in found)))
        measures.extend(found)
    _no_repeats(reader, node, [s.title for s in sections if s.title], "section title")
    return tuple(sections), tuple(measures)


MEASURE_KEYS = ("number", "title", "themes")


def _measure(reader: Reader, node: yaml.Node, section: str | None, located: _Located) -> Measure | None:
    keys = reader.mapping(node, "a measure", required=MEASURE_KEYS, optional=("details", "priority"))
    if keys is None or any(key not in keys for key in MEASURE_KEYS):
        return None
    number = reader.integer(keys["number"], "a measure's number")
    if number is not None and number < 1:
        reader.fail(keys["number"], f"measure number {number} must be 1 or more")
    elif number in located.measures:
        reader.fail(keys["number"], f"measure {number} is given twice (first at {located.measures[number]}); "
                                    "each measure belongs to exactly one section")
        number = None
    title = reader.text(keys["title"], f"the title of measure {number}")
    details = tuple(reader.texts(keys["details"], "a detail")) if "details" in keys else ()
    themes = _theme_refs(reader, keys["themes"], number, located)
    priority = _priority(reader, keys["priority"]) if "priority" in keys else None
    if None in (number, title, section):
        return None
    located.measures[number] = reader.where(node)
    return Measure(number, title, details, themes, section, priority)


def _priority(reader: Reader, node: yaml.Node) -> int | None:
    """A flagship measure's rank: 1 leads the cards, leaflet covers and the booklet's highlights."""
    priority = reader.integer(node, "a measure's priority")
    if priority is not None and priority < 1:
        reader.fail(node, f"priority {priority} must be 1 or more (1 leads)")
        return None
    return priority


def _theme_refs(reader: Reader, node: yaml.Node, number: int | None, located: _Located) -> tuple[str, ...]:
    slugs = []
    for item in reader.sequence(node, f"the themes of measure {number}"):
        slug = reader.text(item, "a theme slug")
        if slug is not None:
            slugs.append(slug)
            located.theme_refs.append((slug, reader.where(item)))
    _no_repeats(reader, node, slugs, "theme")
    return tuple(slugs)


# across files


def _cross_check(problems: Problems, located: _Located, themes: list, colours: dict,
                 measures: tuple, reader: Reader, node: yaml.Node) -> None:
    known = {slug for slug, _, _ in themes}
    for slug, where in located.theme_refs:
        if slug not in known:
            problems.add(where, f"unknown theme '{slug}' (expected one of: {', '.join(sorted(known))})")
    for slug in known - colours.keys():
        problems.add(located.palette or located.themes[slug], f"theme '{slug}' has no colour in colours.themes")
    for slug in colours.keys() - known:
        problems.add(located.colours[slug], f"colour given for '{slug}', which is not a theme in themes.yaml")
    for product, where in located.products:
        slug = _quantity_theme(product)
        if slug and slug not in known:
            problems.add(where, f"quantity for '{product}': '{slug}' is not a theme in themes.yaml")
    if not measures and not problems.items:
        reader.fail(node, "the programme has no measure (expected at least one section with measures)")


def _warnings(programme: Programme, located: _Located) -> list[Problem]:
    return sorted(_gaps(programme, located) + _unused_themes(programme, located)
                  + _duplicate_titles(programme, located) + _tricolour(programme, located))


def _gaps(programme: Programme, located: _Located) -> list[Problem]:
    numbers = sorted(m.number for m in programme.measures)
    return [Problem(located.measures[after], f"numbering jumps from {before} to {after}")
            for before, after in zip(numbers, numbers[1:]) if after != before + 1]


def _unused_themes(programme: Programme, located: _Located) -> list[Problem]:
    return [Problem(located.themes[t.slug], f"theme '{t.slug}' has no measure")
            for t in programme.themes if not programme.measures_of(t.slug)]


def _duplicate_titles(programme: Programme, located: _Located) -> list[Problem]:
    first: dict[str, int] = {}
    warnings = []
    for measure in programme.measures:
        if measure.title in first:
            warnings.append(Problem(located.measures[measure.number],
                                    f"measure {measure.number} has the same title as measure {first[measure.title]}"))
        first.setdefault(measure.title, measure.number)
    return warnings


def _tricolour(programme: Programme, located: _Located) -> list[Problem]:
    colours = [programme.campaign.brand, programme.campaign.accent] + [t.colour for t in programme.themes]
    vivid = [c for c in colours if c.saturation > 0.35]
    blue = any(BLUE_HUES[0] <= c.hue <= BLUE_HUES[1] for c in vivid)
    red = any(c.hue >= RED_HUES[0] or c.hue <= RED_HUES[1] for c in vivid)
    if not (blue and red):
        return []
    return [Problem(located.palette, "the palette holds both a blue and a red: printed side by side on white they "
                                     "could read as the national colours (Code électoral R27)")]
