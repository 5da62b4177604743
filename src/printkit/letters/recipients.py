"""Read the recipients' CSV, as a campaign's spreadsheet exports it.

Every row is checked before anything is laid out: a missing column or value, an empty row,
a line longer than La Poste's 38 characters, bad UTF-8 or a character the bundled fonts
cannot draw is reported as ``FILE.csv:row``, all at once.
"""

import csv
import io
import string
from dataclasses import dataclass
from pathlib import Path

from printkit.errors import Problems, Where
from printkit.letters.source import address_problems
from printkit.programme.datacheck import uncovered_characters

# Each address part and the column names accepted for it, French first.
COLUMNS = {
    "nom": ("nom", "name"),
    "complement": ("complement", "complément", "address2", "address_2"),
    "adresse": ("adresse", "address", "street"),
    "code_postal": ("code_postal", "code postal", "cp", "postcode", "postal_code", "zip"),
    "ville": ("ville", "localite", "localité", "city", "town"),
}
OPTIONAL = {"complement"}
DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class Recipient:
    """One row: where it is, its address lines in La Poste's order and every column, for the greeting."""

    where: Where
    address: tuple[str, ...]
    columns: dict

    @property
    def row(self) -> int:
        """The row's number in the file, the header being row 1."""
        return self.where.line

    def greeting(self, template: str) -> str:
        """The letter's greeting with ``{column}`` replaced by this row's value."""
        parts = string.Formatter().parse(template)
        return "".join(literal + (self.columns[name] if name else "") for literal, name, _, _ in parts)


def read_recipients(path: Path, fields: set[str], fonts: Path, label: str | None = None,
                    body_fields: tuple = ()) -> list[Recipient]:
    """Read and check every row; ``fields`` are the columns the letter's greeting uses, ``body_fields``
    the ``{name}`` written in its body, which is laid out once for everyone and so cannot use a column."""
    label = label or str(path)
    problems = Problems()
    text = _decode(path, label, problems)
    problems.raise_if_any()
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    header = [name.strip().lower() for name in rows[0]] if rows else []
    columns = _columns(header, fields, label, problems)
    for name, where in body_fields:
        if name in header:
            problems.add(where, f"{{{name}}}: only the greeting can use a recipient's column; the body is the same for all")
    problems.raise_if_any()
    recipients = [_recipient(number, row, header, columns, fonts, label, problems)
                  for number, row in enumerate(rows[1:], 2)]
    if not recipients:
        problems.add(Where(label, 1, 1), "no recipient: the file holds a header row only")
    problems.raise_if_any()
    return recipients


def _decode(path: Path, label: str, problems: Problems) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        problems.add(Where(label), "no such file")
    except UnicodeDecodeError as error:
        row = path.read_bytes()[:error.start].count(b"\n") + 1
        problems.add(Where(label, row, 1), "not valid UTF-8: export the spreadsheet as « CSV UTF-8 »")
    return ""


def _delimiter(text: str) -> str:
    """Commas, or the semicolons of a French spreadsheet's CSV export, or tabs: whichever the header row uses most."""
    header = text.split("\n", 1)[0]
    return max(DELIMITERS, key=header.count)


def _columns(header: list[str], fields: set[str], label: str, problems: Problems) -> dict[str, int]:
    """The position of each address part in the header row."""
    found = {}
    for part, names in COLUMNS.items():
        index = next((header.index(name) for name in names if name in header), None)
        if index is not None:
            found[part] = index
        elif part not in OPTIONAL:
            problems.add(Where(label, 1, 1), f"no column '{part}' (accepted names: {', '.join(names)})")
    for field in sorted(fields - set(header)):
        problems.add(Where(label, 1, 1), f"the letter's greeting uses {{{field}}}, but no column has that name")
    return found


def _recipient(number: int, row: list[str], header: list[str], columns: dict[str, int], fonts: Path,
               label: str, problems: Problems) -> Recipient | None:
    where = Where(label, number, 1)
    values = {part: row[index].strip() if index < len(row) else "" for part, index in columns.items()}
    if not any(cell.strip() for cell in row):
        problems.add(where, "empty row")
        return None
    for part in COLUMNS:
        if part in columns and part not in OPTIONAL and not values[part]:
            problems.add(where, f"no value in column '{header[columns[part]]}'")
    address = _address(values)
    for problem in address_problems(address) + _glyph_problems(row, fonts):
        problems.add(where, problem)
    return Recipient(where, address, dict(zip(header, (cell.strip() for cell in row))))


def _address(values: dict[str, str]) -> tuple[str, ...]:
    """NF Z10-011's order: name, complement (flat, building), street, then postcode and TOWN."""
    town = f"{values['code_postal']} {values['ville'].upper()}"
    return tuple(line for line in (values["nom"], values.get("complement", ""), values["adresse"], town) if line)


def _glyph_problems(row: list[str], fonts: Path) -> list[str]:
    missing = uncovered_characters(" ".join(row), fonts)
    return [f"no glyph in the bundled fonts for {' '.join(f'{c} (U+{ord(c):04X})' for c in missing)}"] if missing else []
