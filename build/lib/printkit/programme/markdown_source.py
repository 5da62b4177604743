"""Read the programme from a Markdown document, through markdown-it's syntax tree.

Each ``##`` heading is a section; under it, a numbered list whose items are the measures, each item's number
its measure's number. An item's first paragraph is the title, ending with ``[themes: Label; Label]`` and
optionally ``[priority: 1]`` and ``[short: A short title]``; its nested bullets are the details. Whatever
comes before the first ``##`` heading (a title, an introduction) is for readers and is not imported.
"""

import re
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from printkit.errors import Problems, Where
from printkit.programme.imported import ImportedMeasure, ImportedPage, grouped, split_themes, whole_number
from printkit.programme.reimport import MEASURE_KEYS

KEYS = ("themes", "priority", "short")
TRAILING = re.compile(r"\s*\[(\w+)\s*:\s*([^\[\]]*)\]\s*$")  # one [key: value] at the end of a title


def read_markdown(source: Path, problems: Problems) -> ImportedPage:
    """The sections and measures of a Markdown document in UTF-8."""
    label = str(source)
    text = _read(source, label, problems)
    if text is None:
        return ImportedPage()
    entries, section = [], None
    for node in SyntaxTreeNode(MarkdownIt("commonmark").parse(text)).children:
        if node.type == "heading" and node.tag == "h2":
            section = _inline(node)
            if not section:
                problems.add(_where(label, node), "the section heading is empty")
        elif section is not None and node.type == "ordered_list":
            entries += [(section, _item(item, label, problems)) for item in node.children]
        elif section is not None:
            problems.add(_where(label, node), "expected a numbered list of measures or a '## ' section heading, "
                                              f"not this {node.type.replace('_', ' ')}")
    if section is None:
        problems.add(Where(label, 1, 1), "no '## ' section heading: each section of measures starts with one")
    # A document that gives no priority (or no short title) leaves the file's as volunteers set them.
    given = tuple(key for key in ("priority", "short") if any(getattr(m, key) for _, m in entries))
    return grouped(entries, MEASURE_KEYS + given, "in the document", label, problems)


def _read(source: Path, label: str, problems: Problems) -> str | None:
    try:
        return source.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        problems.add(Where(label), "file not found")
    except UnicodeDecodeError as error:
        problems.add(Where(label, source.read_bytes()[:error.start].count(b"\n") + 1, 1), "not valid UTF-8")
    except OSError as error:
        problems.add(Where(label), f"cannot read the file: {error.strerror}")
    return None


def _item(item: SyntaxTreeNode, label: str, problems: Problems) -> ImportedMeasure:
    """One list item as a measure, each thing wrong with it a problem. A wrong measure is kept with the rest, so
    that its number is checked against theirs: nothing is written while any problem is found."""
    where, number = _where(label, item), int(item.info)
    title, *rest = item.children or [None]
    if title is None or title.type != "paragraph":
        problems.add(where, f"measure {number} has no title")
        return ImportedMeasure(number, "", [], where.line)
    text, keys, wrong = _trailing_keys(_inline(title))
    details = _details(rest, label, problems)
    wrong += _measure_problems(number, text, keys)
    for message in wrong:
        problems.add(where, message)
    themes = split_themes(keys.get("themes", ""))
    priority = whole_number(keys["priority"]) if "priority" in keys else None
    return ImportedMeasure(number, text, themes, where.line, details, priority, keys.get("short", ""))


def _measure_problems(number: int, title: str, keys: dict[str, str]) -> list[str]:
    """What is wrong with a measure's number, title, themes and priority."""
    wrong = [] if number >= 1 else [f"measure number {number} must be 1 or more"]
    if not title:
        wrong.append(f"measure {number}'s title is empty")
    if not split_themes(keys.get("themes", "")):
        wrong.append(f"measure {number} has no themes: end its title with [themes: Label; Label]")
    if "priority" in keys and whole_number(keys["priority"]) is None:
        wrong.append(f"the priority « {keys['priority']} » is not a whole number of 1 or more")
    return wrong


def _trailing_keys(text: str) -> tuple[str, dict[str, str], list[str]]:
    """A title without the [key: value] groups it ends with, those groups, and what is wrong with them."""
    keys, wrong = {}, []
    while match := TRAILING.search(text):
        key, value = match.group(1).lower(), match.group(2).strip()
        if key not in KEYS:
            wrong.append(f"unknown [{key}: …]: the keys are {', '.join(KEYS)}")
        elif key in keys:
            wrong.append(f"[{key}: …] is given twice")
        keys.setdefault(key, value)
        text = text[:match.start()]
    return text.strip(), keys, wrong


def _details(nodes: list[SyntaxTreeNode], label: str, problems: Problems) -> list[str]:
    """The texts of the bullet list under a title; anything else there is a problem."""
    bullets = nodes[0] if nodes and nodes[0].type == "bullet_list" else None
    for node in nodes:
        if node is not bullets:
            problems.add(_where(label, node), "under a measure's title, expected only a bulleted list of details")
    return [_detail(item, label, problems) for item in bullets.children] if bullets else []


def _detail(item: SyntaxTreeNode, label: str, problems: Problems) -> str:
    if [child.type for child in item.children] != ["paragraph"]:
        problems.add(_where(label, item), "a detail is one paragraph, with no list of its own")
    return _inline(item.children[0]) if item.children else ""


def _inline(node: SyntaxTreeNode) -> str:
    """A heading's or paragraph's text as written, its lines joined: the words are kept as typed."""
    return " ".join(line.strip() for line in node.children[0].content.splitlines())


def _where(label: str, node: SyntaxTreeNode) -> Where:
    return Where(label, node.map[0] + 1, 1)
