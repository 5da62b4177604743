"""Merge what `printkit import` read from the page into the YAML a volunteer has edited.

The page says the title, the introduction, the guarantees, the sections and each measure's
number, title, themes and details, and the theme labels. Everything else in programme/ is
the volunteers': a measure's priority, a theme's slug and short name, any comment. The
files are read with ruamel.yaml's round trip, which keeps comments, key order and quoting,
and only what the page says is changed in place, each measure in the file's own mapping.

A value the file lacks is taken from the page. Where the file holds something the page
does not (a title edited by hand, a measure the page no longer has, a comment left with no
place), importing would lose it: every such place is named, ``file:line:column``, and
nothing is written.
"""

import io
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from printkit.errors import Problems, Where

HEADER = "# Imported by `printkit import` from the website's programme page; edit freely.\n"
MEASURE_KEYS = ("title", "themes", "details")
PROGRAMME_KEYS = ("title", "introduction", "guarantees")
COMMENT = re.compile(r"(?:^|(?<=[ \t]))#[^\n]*", re.MULTILINE)
SHOWN = 60


@dataclass
class _File:
    """One file being merged: its name in messages, and the problems found so far."""

    label: str
    problems: Problems
    source: str  # where the source holds a value, as messages say it: "on the page", "in the spreadsheet"

    def lose(self, position: tuple[int, int], message: str) -> None:
        """Record what importing would lose, at a 0-based (line, column) of the file."""
        self.problems.add(Where(self.label, position[0] + 1, position[1] + 1), message)


def merged_text(path: Path, page_text: str, merge, problems: Problems, source: str = "on the page") -> str:
    """The file's new text: the page's YAML, as a first import writes it, merged by ``merge`` into the file's."""
    file = _File(str(path), problems, source)
    try:
        text = path.read_bytes().decode("utf-8")
        old = _yaml().load(text)
    except FileNotFoundError:
        return HEADER + page_text
    except (UnicodeDecodeError, YAMLError) as error:
        position, why = _unreadable(error)
        file.lose(position, f"{why}: import would not read what the file holds")
        return ""
    # The page's values are read back from the first import's YAML, so that they keep its quoting wherever they go.
    new = HEADER + page_text if old is None else _dump(merge(old, _yaml().load(page_text), file))
    _lost_comments(text, new, file)
    return new


def _unreadable(error: Exception) -> tuple[tuple[int, int], str]:
    if isinstance(error, UnicodeDecodeError):
        return (error.object[:error.start].count(b"\n"), 0), "not valid UTF-8"
    mark = getattr(error, "problem_mark", None)
    return (mark.line, mark.column) if mark else (0, 0), f"malformed YAML ({getattr(error, 'problem', None) or error})"


def _yaml() -> YAML:
    """A round trip that keeps comments, key order and quotes, and writes as the first import did."""
    rt = YAML()
    rt.width = 4096  # a title on one line, however long, as the volunteers read them
    rt.preserve_quotes = True
    return rt


def _dump(data) -> str:
    stream = io.StringIO()
    _yaml().dump(data, stream)
    return stream.getvalue()


# the three files


def merge_themes(old: CommentedSeq, page: list[dict], file: _File) -> CommentedSeq:
    """The page's new themes after the file's. A theme in the file is never changed (its slug and short name are
    the volunteers'), nor dropped (the loader warns of a theme no measure has). The import has checked the file
    as a list of themes already, when it read their slugs."""
    labels = {theme["label"] for theme in old}
    old.extend(theme for theme in page if theme["label"] not in labels)
    return old


def merge_programme(old, page: dict, file: _File):
    """The page's title, introduction and guarantees into the file's mapping."""
    if not isinstance(old, CommentedMap):
        file.lose((0, 0), "not a mapping of title, introduction and guarantees: import would replace it")
        return old
    return _merge_mapping(old, page, PROGRAMME_KEYS, str, file)


def merge_sections(old, page: list[dict], file: _File, owned: tuple[str, ...] = MEASURE_KEYS):
    """The page's sections in its order, each measure in the file's mapping for its number, wherever it was;
    ``owned`` are the measure keys the source says (a spreadsheet may say priority and short too)."""
    if not isinstance(old, CommentedSeq):
        file.lose((0, 0), "not a list of sections: import would replace it")
        return old
    sections = _by_key(old, "section")
    lists = {id(s): s["measures"] for s in old if _has(s, "section") and isinstance(s.get("measures"), CommentedSeq)}
    measures = _by_key([measure for items in lists.values() for measure in items], "number")
    notes = _notes(lists.values())
    merged = [_section(section, sections, measures, notes, file, owned) for section in page]
    _report_dropped(old, lists, merged, {m["number"] for s in page for m in s["measures"]}, file)
    return _rebuilt(old, merged)


# sections and measures


def _section(page: dict, sections: dict, measures: dict, notes: dict, file: _File, owned: tuple[str, ...]):
    merged = [_measure(measure, measures, file, owned) for measure in page["measures"]]
    found = _take(sections, page["section"]) or page
    earlier = found.get("measures")
    if earlier and not isinstance(earlier, CommentedSeq):
        file.lose(found.lc.value("measures"), f"section « {page['section']} »'s measures here {_shown(earlier)}, "
                                              "not a list: import would replace them")
    found["measures"] = _rebuilt(earlier if isinstance(earlier, CommentedSeq) else page["measures"], merged, notes)
    return found


def _measure(page: dict, measures: dict, file: _File, owned: tuple[str, ...]):
    found = _take(measures, page["number"])
    if found is None:
        return page
    return _merge_mapping(found, page, owned, lambda key: f"measure {page['number']}'s {key}", file)


def _take(found: dict, key):
    """The file's first mapping for ``key`` not taken yet, if any."""
    return found[key].pop(0) if found.get(key) else None


def _report_dropped(old: CommentedSeq, lists: dict, merged: list, numbers: set[int], file: _File) -> None:
    """What the file holds that the merge did not keep: sections and measures the page does not have, anything else.
    ``lists`` are the file's lists of measures, by section, as they were before the merge."""
    kept = {id(section) for section in merged} | {id(m) for section in merged for m in section["measures"]}
    for index, section in enumerate(old):
        if not _has(section, "section"):
            file.lose(old.lc.item(index), f"{_shown(section)} is not a section: import would drop it")
            continue
        if id(section) not in kept:
            file.lose(old.lc.item(index),
                      f"section « {section['section']} » is not {file.source}: import would drop it")
        if id(section) in lists:
            _report_dropped_measures(lists[id(section)], kept, numbers, file)


def _report_dropped_measures(measures: CommentedSeq, kept: set[int], numbers: set[int], file: _File) -> None:
    for index, measure in enumerate(measures):
        if id(measure) in kept:
            continue
        if not _has(measure, "number"):
            why = f"{_shown(measure)} is not a measure"
        elif measure["number"] in numbers:
            why = f"measure {measure['number']} is here more than once"
        else:
            why = f"measure {measure['number']} is not {file.source}"
        file.lose(measures.lc.item(index), f"{why}: import would drop it")


# values


def _merge_mapping(old: CommentedMap, page: dict, owned: tuple[str, ...], what, file: _File) -> CommentedMap:
    """The page's values into the file's mapping: one the file lacks is taken, one that differs would be lost."""
    for key in owned:
        if key not in old and key in page:
            old.insert(_position(old, key, list(page)), key, page[key])
        elif key in old and key not in page:
            file.lose(old.lc.key(key), f"{what(key)} here {_shown(old[key])}, not {file.source}: import would drop it")
        elif key in old and old[key] != page[key]:
            position, here, there = _difference(old, key, page[key])
            file.lose(position, f"{what(key)} here {here}, {file.source} {there}: import would replace it")
    return old


def _position(old: CommentedMap, key: str, order: list[str]) -> int:
    """Where a key the file lacks goes: before the first of the file's keys that the page puts after it."""
    after = order[order.index(key) + 1:]
    return next((index for index, existing in enumerate(old) if existing in after), len(old))


def _difference(old: CommentedMap, key: str, page) -> tuple[tuple[int, int], str, str]:
    """Where a value first differs from the page's, and the two as shown: for a block list, its first differing item."""
    value = old[key]
    if isinstance(value, str) and isinstance(page, str):
        start = max(0, next((i for i, (a, b) in enumerate(zip(value, page)) if a != b), len(value)) - SHOWN // 3)
        return old.lc.value(key), _shown(value, start), _shown(page, start)
    if not isinstance(value, CommentedSeq) or value.fa.flow_style() or not isinstance(page, list):
        return old.lc.value(key), _shown(value), _shown(page)
    index = next((i for i, (mine, theirs) in enumerate(zip(value, page)) if mine != theirs), min(len(value), len(page)))
    position = value.lc.item(index) if index < len(value) else old.lc.key(key)
    return position, _item(value, index), _item(page, index)


def _item(items: list, index: int) -> str:
    return _shown(items[index]) if index < len(items) else "nothing"


def _shown(value, start: int = 0) -> str:
    """A value in a message, cut to SHOWN characters from ``start``, where two texts begin to differ."""
    text = str(value) if not isinstance(value, list) else ", ".join(map(str, value))
    return f"« {'…' if start else ''}{text[start:start + SHOWN]}{'…' if len(text) > start + SHOWN else ''} »"


def _has(node, key: str) -> bool:
    return isinstance(node, CommentedMap) and key in node


def _by_key(items: list, key: str) -> dict:
    """The mappings holding ``key``, by its value, in the file's order (a value may be there twice)."""
    found = {}
    for item in items:
        if _has(item, key) and isinstance(item[key], (str, int)):
            found.setdefault(item[key], []).append(item)
    return found


def _rebuilt(old: CommentedSeq, items: list, notes: dict | None = None) -> CommentedSeq:
    """``items`` as a sequence that keeps ``old``'s own comments, and each item's (``notes``, by default
    those ``old`` holds) wherever the item now is."""
    if [id(item) for item in old] == [id(item) for item in items]:
        return old
    notes = _notes([old]) if notes is None else notes
    seq = CommentedSeq(items)
    seq.ca.comment, seq.ca.end = old.ca.comment, old.ca.end
    seq.ca.items.update({index: notes[id(item)] for index, item in enumerate(items) if id(item) in notes})
    return seq


def _notes(lists) -> dict:
    """The comments ruamel.yaml keeps with each item of these sequences (before it, or at its line's end), by item."""
    return {id(item): seq.ca.items[index] for seq in lists for index, item in enumerate(seq) if index in seq.ca.items}


# comments


def _lost_comments(before: str, after: str, file: _File) -> None:
    """Comments the merged file no longer has: those ruamel.yaml attached to something the page replaced."""
    left = Counter(text for _, text in _comments(after))
    for line, text in _comments(before):
        if left[text]:
            left[text] -= 1
        else:
            file.lose((line, 0), f"the comment « {text} » would have no place left: import would drop it")


def _comments(text: str) -> list[tuple[int, str]]:
    """Each comment and its 0-based line: a '#' at a line's start or after a blank, outside any scalar."""
    spans = sorted((token.start_mark.index, token.end_mark.index)
                   for token in yaml.scan(text, Loader=yaml.CSafeLoader) if isinstance(token, yaml.ScalarToken))
    starts = [start for start, _ in spans]
    found = []
    for match in COMMENT.finditer(text):
        inside = bisect_right(starts, match.start()) - 1
        if inside < 0 or spans[inside][1] <= match.start():
            found.append((text.count("\n", 0, match.start()), match.group().rstrip()))
    return found
