"""YAML read safely into nodes that keep their line numbers, and typed accessors on them.

Validation walks the composed nodes rather than plain Python values so that every
problem can point at the exact line and column a volunteer has to fix.
"""

import datetime
from pathlib import Path

import yaml

from printkit.errors import Problems, Where

STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
TEXT_TAGS = {STR_TAG, INT_TAG, FLOAT_TAG}
NULL_TAG = "tag:yaml.org,2002:null"
LOADER = yaml.CSafeLoader  # libyaml (in PyYAML's wheels): the same marks, several times faster than PyYAML's parser

MAX_TEXT = 2_000  # characters in one text: the longest a measure's title or detail can run and still fit a page
MAX_VALUES = 100_000  # values in one file once aliases are expanded: 2,000 measures hold about 16,000


def read_yaml(path: Path, label: str, problems: Problems) -> yaml.Node | None:
    """Compose one YAML file into a node tree, recording why it could not be read."""
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        problems.add(Where(label), "file not found (expected a YAML file here)")
        return None
    except UnicodeDecodeError as error:
        problems.add(_position(path.read_bytes(), label, error.start), "not valid UTF-8 (save the file as UTF-8)")
        return None
    except OSError as error:
        problems.add(Where(label), f"cannot read the file: {error.strerror}")
        return None
    return _compose(text, label, problems)


def _compose(text: str, label: str, problems: Problems) -> yaml.Node | None:
    try:
        node = yaml.compose(text, Loader=LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = Where(label, mark.line + 1, mark.column + 1) if mark else Where(label)
        problems.add(where, f"malformed YAML: {error.problem or error.context}")
        return None
    except yaml.reader.ReaderError as error:  # a character YAML forbids, located by libyaml as a byte offset only
        problems.add(_position(text.encode(), label, error.position),
                     f"malformed YAML: the character U+{error.character:04X} is not allowed ({error.reason})")
        return None
    except yaml.YAMLError as error:
        problems.add(Where(label), f"malformed YAML: {error}")
        return None
    if node is None:
        problems.add(Where(label, 1, 1), "the file is empty")
    elif (count := _expanded(node, {})) > MAX_VALUES:
        problems.add(Where(label, 1, 1), f"{count:,} values once its aliases (*name) are expanded: at most "
                                         f"{MAX_VALUES:,}; write the repeated list once")
        return None
    return node


def _expanded(node: yaml.Node, counted: dict[int, int]) -> int:
    """How many values the file holds once each alias is replaced by what it names. Composing keeps
    one node for an anchor and its aliases, so an alias bomb is small; every stage after would walk
    it whole. Each node is counted once (``counted``), so the count itself stays cheap."""
    if id(node) not in counted:
        counted[id(node)] = 1
        children = [part for pair in node.value for part in pair] if isinstance(node, yaml.MappingNode) else \
            node.value if isinstance(node, yaml.SequenceNode) else []
        counted[id(node)] = 1 + sum(_expanded(child, counted) for child in children)
    return counted[id(node)]


def _position(data: bytes, label: str, offset: int) -> Where:
    """Where the byte at ``offset`` of a UTF-8 file is, its column counted in characters."""
    before = data[:offset].decode("utf-8", errors="replace")
    return Where(label, before.count("\n") + 1, len(before) - before.rfind("\n"))


def number_of(node: yaml.Node) -> float | None:
    """A scalar written as a number, whole or decimal; None for text, dates, lists and the rest."""
    if not isinstance(node, yaml.ScalarNode) or node.tag not in (INT_TAG, FLOAT_TAG):
        return None
    try:
        return float(node.value)
    except ValueError:  # YAML 1.1 forms Python does not read, such as 0x1A or 1:30
        return None


def _not(node: yaml.Node) -> str:
    """What was written instead, quoted when it is a single value (a list or a mapping is not)."""
    return f", not '{node.value}'" if isinstance(node, yaml.ScalarNode) else ""


class Reader:
    """Typed, located access to the nodes of one file; problems go to a shared list."""

    def __init__(self, label: str, problems: Problems):
        self.label = label
        self.problems = problems

    def where(self, node: yaml.Node) -> Where:
        """The position of a node in its file."""
        return Where(self.label, node.start_mark.line + 1, node.start_mark.column + 1)

    def fail(self, node: yaml.Node, message: str) -> None:
        """Record a problem at a node."""
        self.problems.add(self.where(node), message)

    def mapping(self, node: yaml.Node, what: str, required: tuple = (), optional: tuple = ()) -> dict | None:
        """The keys of a mapping node, after checking for unknown, missing and repeated keys."""
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"{what} must be a mapping of keys to values")
            return None
        found: dict[str, yaml.Node] = {}
        allowed = set(required) | set(optional)
        for key_node, value_node in node.value:
            key = key_node.value
            if key in found:
                self.fail(key_node, f"key '{key}' is repeated in {what}")
            elif key not in allowed:
                self.fail(key_node, f"unknown key '{key}' in {what} (expected one of: {', '.join(sorted(allowed))})")
            found[key] = value_node
        for key in required:
            if key not in found:
                self.fail(node, f"{what} lacks the key '{key}'")
        return found

    def sequence(self, node: yaml.Node, what: str) -> list:
        """The items of a sequence node (empty, with a problem, when it is not one)."""
        if isinstance(node, yaml.SequenceNode):
            return node.value
        self.fail(node, f"{what} must be a list")
        return []

    def text(self, node: yaml.Node, what: str, empty_ok: bool = False) -> str | None:
        """A scalar as text, whitespace folded; ints and floats keep their written form."""
        if not isinstance(node, yaml.ScalarNode) or (node.tag not in TEXT_TAGS and node.tag != NULL_TAG):
            self.fail(node, f"{what} must be text")
            return None
        value = " ".join(node.value.split()) if node.tag != NULL_TAG else ""
        if not value and not empty_ok:
            self.fail(node, f"{what} is empty (expected some text)")
            return None
        if len(value) > MAX_TEXT:
            self.fail(node, f"{what} is {len(value):,} characters long: at most {MAX_TEXT:,}, more than a page holds")
            return None
        return value

    def texts(self, node: yaml.Node, what: str) -> list[str]:
        """A list of non-empty texts."""
        values = (self.text(item, what) for item in self.sequence(node, f"{what}s"))
        return [value for value in values if value is not None]

    def integer(self, node: yaml.Node, what: str) -> int | None:
        """A whole number."""
        if isinstance(node, yaml.ScalarNode) and node.tag == INT_TAG:
            return int(node.value)
        self.fail(node, f"{what} must be a whole number{_not(node)}")
        return None

    def number(self, node: yaml.Node, what: str) -> float | None:
        """A number, whole or decimal."""
        value = number_of(node)
        if value is None:
            self.fail(node, f"{what} must be a number{_not(node)}")
        return value

    def date(self, node: yaml.Node, what: str) -> datetime.date | None:
        """A calendar date written YYYY-MM-DD."""
        try:
            return datetime.date.fromisoformat(node.value)
        except (TypeError, ValueError, AttributeError):
            self.fail(node, f"{what} must be a date written YYYY-MM-DD")
            return None
