"""Read programme/ into a validated Programme, reporting every problem at once."""

import logging
import re
from collections import Counter
import datetime
import difflib
from pathlib import Path
from typing import Any

import yaml

from printkit.errors import PrintkitError, Problem, Problems, Where
from printkit.products import products, quantity_theme
from printkit.programme.candidates import FILE as CANDIDATES_FILE
from printkit.programme.candidates import read_candidates
from printkit.programme.identity import FILE as IDENTITY_FILE
from printkit.programme.identity import read_identity
from printkit.programme.pictograms import pictograms
from printkit.programme.model import (FLAGSHIP_CHARS, Campaign, Imprint, Measure, PrintSettings, Programme, Section,
                                      Theme, UrlTemplates)
from printkit.programme.schema import CAMPAIGN, Values, jurisdiction_of, region_of
from printkit.programme.yamlsource import Reader, read_yaml

log = logging.getLogger("printkit")

FILES = ("campaign.yaml", "themes.yaml", "programme.yaml", "measures.yaml")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 40
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
    if not folder.is_dir():
        raise PrintkitError(f"{_label(folder, '')}: no such folder: give --root the campaign folder, which holds "
                            "programme/, or start one with `printkit new DIR`")
    problems = Problems()
    readers = {name: Reader(_label(folder, name), problems) for name in FILES}
    nodes = {name: read_yaml(folder / name, readers[name].label, problems) for name in FILES}
    problems.raise_if_any()
    located = _Located()
    themes = _themes(readers["themes.yaml"], nodes["themes.yaml"], located)
    settings = CAMPAIGN.read(readers["campaign.yaml"], nodes["campaign.yaml"], "")  # "": the file, its keys unprefixed
    title, introduction, guarantees = _texts(readers["programme.yaml"], nodes["programme.yaml"])
    sections, measures = _measures(readers["measures.yaml"], nodes["measures.yaml"], located)
    identity = read_identity(folder, Reader(_label(folder, IDENTITY_FILE), problems), _region(settings), located.meetings)
    candidates = read_candidates(folder, Reader(_label(folder, CANDIDATES_FILE), problems), settings)
    _cross_check(problems, located, themes, settings, measures, readers["measures.yaml"], nodes["measures.yaml"])
    problems.raise_if_any()
    palette = settings["colours"]["themes"]
    themes = tuple(Theme(colour=palette[theme["slug"]], **theme) for theme in themes)
    programme = Programme(_campaign(settings), title, introduction, guarantees, themes, sections, measures, identity,
                          candidates)
    return programme, _warnings(programme, located, palette.where)


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
        self.theme_refs: list[tuple[str, Where]] = []
        self.meetings: list[Where] = []  # identity.yaml's meetings, in order


# campaign.yaml


def _campaign(settings: Values) -> Campaign:
    """The typed campaign settings, once the schema has found campaign.yaml valid."""
    printing, colours, locale = settings["printing"], settings["colours"], settings["locale"]
    return Campaign(
        **{key: settings[key] for key in ("name", "city", "election", "website")},
        rounds=tuple(settings["rounds"]),
        urls=UrlTemplates(**settings["urls"], tracking=_pairs(settings["tracking"])),
        imprint=Imprint(**settings["imprint"]),
        printing=PrintSettings(**printing | {"paper": printing["paper"] or ("us" if region_of(locale) == "US" else "iso"),
                                             "stock": _pairs(printing["stock"])}),
        brand=colours["brand"],
        accent=colours["accent"],
        quantities=_pairs(settings["quantities"]),
        locale=locale,
        jurisdiction=jurisdiction_of(settings),
        messages=_pairs(settings["messages"]),
        **{key: settings[key] for key in ("seats", "community_seats", "population", "voters")},
    )


def _region(settings: Values | None) -> str:
    """The country of campaign.yaml's locale (fr-FR: FR), by whose rules phone numbers are read."""
    locale = settings.get("locale") if isinstance(settings, Values) else None
    return region_of(locale or "fr-FR")


def _pairs(values: dict) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted(values.items()))


def _found(settings: Values | None, *keys: str) -> Values | None:
    """A mapping as written in campaign.yaml; None when it, or one holding it, is wrong or left out."""
    for key in keys:
        settings = settings.get(key) if isinstance(settings, Values) else None
    return settings if isinstance(settings, Values) else None


# themes.yaml and programme.yaml


THEME_KEYS = ("short", "icon", "figure", "figure_label")


def _themes(reader: Reader, node: yaml.Node, located: _Located) -> list[dict]:
    themes = []
    for item in reader.sequence(node, "themes.yaml"):
        keys = reader.mapping(item, "a theme", required=("slug", "label"), optional=THEME_KEYS) or {}
        values = {key: reader.text(keys[key], f"the theme's {key}") for key in keys}
        _theme_extras(reader, keys, values)  # a wrong one is reported: the loading stops before a Theme is made
        if values.get("slug") is not None and _slug_ok(reader, keys["slug"], values["slug"], located) \
                and values.get("label") is not None:
            themes.append(values)
    _no_repeats(reader, node, [theme["label"] for theme in themes], "theme label")
    return themes


def _theme_extras(reader: Reader, keys: dict, values: dict) -> None:
    """A theme's pictogram is one printkit ships, and its key figure comes with what it counts."""
    if values.get("icon") and values["icon"] not in pictograms():
        near = difflib.get_close_matches(values["icon"], list(pictograms()), n=3)
        reader.fail(keys["icon"], f"no pictogram '{values['icon']}' is shipped"
                    + (f" (did you mean {', '.join(near)}?)" if near else "") + ": the names are in docs/data.md")
    if ("figure" in values) != ("figure_label" in values):
        reader.fail(keys.get("figure") or keys["figure_label"], "a key figure needs both figure (the number) and "
                    "figure_label (what it counts)")


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
    keys = reader.mapping(node, "programme.yaml", required=("title", "introduction"), optional=("guarantees",)) or {}
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
    keys = reader.mapping(node, "a measure", required=MEASURE_KEYS, optional=("details", "priority", "short"))
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
    short = reader.text(keys["short"], f"the short title of measure {number}") if "short" in keys else ""
    if None in (number, title, section, short):
        return None
    located.measures[number] = reader.where(node)
    return Measure(number, title, details, themes, section, priority, short)


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


def _cross_check(problems: Problems, located: _Located, themes: list, settings: Values | None,
                 measures: tuple, reader: Reader, node: yaml.Node) -> None:
    known = {theme["slug"] for theme in themes}
    for slug, where in located.theme_refs:
        if slug not in known:
            problems.add(where, f"unknown theme '{slug}' (expected one of: {', '.join(sorted(known))})")
    _colours_of_themes(problems, known, _found(settings, "colours", "themes"))
    _products_of_themes(problems, known, _found(settings, "quantities"))
    if not measures and not problems.items:
        reader.fail(node, "the programme has no measure (expected at least one section with measures)")


def _colours_of_themes(problems: Problems, known: set[str], palette: Values | None) -> None:
    if palette is None:  # colours.themes is missing or wrong, which the schema has already reported
        return
    for slug in known - palette.keys():
        problems.add(palette.where, f"theme '{slug}' has no colour in colours.themes")
    for slug in palette.keys() - known:
        problems.add(palette.key_at[slug], f"colour given for '{slug}', which is not a theme in themes.yaml")


def _products_of_themes(problems: Problems, known: set[str], quantities: Values | None) -> None:
    if quantities is None:
        return
    for product, where in quantities.key_at.items():
        slug = quantity_theme(product)
        if slug and slug not in known:
            problems.add(where, f"quantity for '{product}': '{slug}' is not a theme in themes.yaml")


def _warnings(programme: Programme, located: _Located, palette: Where) -> list[Problem]:
    return sorted(_gaps(programme, located) + _unused_themes(programme, located)
                  + _duplicate_titles(programme, located) + _tricolour(programme, palette)
                  + _cut_flagships(programme, located) + _early_meetings(programme, located))


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


def _cut_flagships(programme: Programme, located: _Located) -> list[Problem]:
    """A flagship quoted by its lead phrase or cut, which the campaign can replace with a short title of its own."""
    quoted = {m.number: m for kind in products() for m in kind.flagships(programme)}
    return [Problem(located.measures[number], f"measure {number}'s title has {len(m.title)} characters, more than "
                                              f"the {FLAGSHIP_CHARS} a flagship place holds: it is quoted there as "
                                              f"« {m.flagship} »; give the measure a short: title")
            for number, m in sorted(quoted.items()) if m.flagship != (m.short or m.title)]


def _early_meetings(programme: Programme, located: _Located) -> list[Problem]:
    """A meeting before the official campaign opens (R26: the second Monday before the first round),
    whose poster has no official panel to go on yet."""
    if programme.campaign.jurisdiction != "fr":
        return []
    opens = campaign_opens(min(programme.campaign.rounds))
    return [Problem(where, f"the meeting of {meeting.day:%A} {meeting.day.day} {meeting.day:%B %Y} comes before the "
                           f"official campaign opens ({opens:%A} {opens.day} {opens:%B %Y}): its meeting poster may "
                           "not go on the official panels yet (Code électoral R26)")
            for where, meeting in zip(located.meetings, programme.identity.meetings) if meeting.day < opens]


def campaign_opens(first_round: datetime.date) -> datetime.date:
    """The day the official campaign opens: the second Monday before the first round (R26)."""
    return first_round - datetime.timedelta(days=(first_round.weekday() - 1) % 7 + 1 + 7)


def _tricolour(programme: Programme, palette: Where) -> list[Problem]:
    if programme.campaign.jurisdiction != "fr":  # R27 is French law: elsewhere a blue beside a red is only a palette
        return []
    colours = [programme.campaign.brand, programme.campaign.accent] + [t.colour for t in programme.themes]
    vivid = [c for c in colours if c.saturation > 0.35]
    blue = any(BLUE_HUES[0] <= c.hue <= BLUE_HUES[1] for c in vivid)
    red = any(c.hue >= RED_HUES[0] or c.hue <= RED_HUES[1] for c in vivid)
    if not (blue and red):
        return []
    return [Problem(palette, "the palette holds both a blue and a red: printed side by side on white they "
                             "could read as the national colours (Code électoral R27)")]
