"""Read the recipients' CSV, as a campaign's spreadsheet exports it.

Every row is checked before anything is laid out: a missing column or value, an empty row,
a row whose cells do not line up with the header (an unquoted comma shifts every cell after
it), a postcode that is not one of the row's country, a US address without a known state,
a line longer than the window's 38 characters, bad UTF-8 or a character the bundled fonts
cannot draw is reported as ``FILE.csv:row``, all at once. Each address is set by the norm of
its country (postal.py), the campaign's own when the row names none.
"""

import csv
import io
import string
from dataclasses import dataclass
from pathlib import Path

from printkit.errors import Problems, Where
from printkit.letters.postal import (
    Parts,
    address_block,
    address_problems,
    country_code,
    unknown_country,
)
from printkit.letters.source import address_problems as line_problems
from printkit.programme.datacheck import uncovered_characters

# Each address part and the column names accepted for it, French first.
COLUMNS = {
    "nom": ("nom", "name"),
    "complement": ("complement", "complément", "address2", "address_2"),
    "adresse": ("adresse", "address", "street"),
    "code_postal": ("code_postal", "code postal", "cp", "postcode", "postal_code", "zip"),
    "ville": ("ville", "localite", "localité", "city", "town"),
    "etat": ("etat", "état", "state"),  # a US address's state, as IL or Illinois
    "pays": ("pays", "country", "code_pays", "country_code"),
}
OPTIONAL = {"complement", "etat", "pays"}
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}


@dataclass(frozen=True)
class Recipient:
    """One row: where it is, its address lines by its country's norm and every column, for the greeting."""

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


@dataclass(frozen=True)
class _Sheet:
    """What every row is read against: the file's label, header, address columns and delimiter."""

    label: str
    header: list[str]
    columns: dict[str, int]
    delimiter: str
    fonts: Path
    home: str  # the country the letters are posted from, a row's own when it names none


def read_recipients(path: Path, fields: set[str], fonts: Path, home: str, label: str | None = None,
                    body_fields: tuple = ()) -> list[Recipient]:
    """Read and check every row; ``fields`` are the columns the letter's greeting uses, ``body_fields``
    the ``{name}`` written in its body, which is laid out once for everyone and so cannot use a column;
    ``home`` the country the letters are posted from (postal.home_country)."""
    label = label or str(path)
    problems = Problems()
    text = _decode(path, label, problems)
    problems.raise_if_any()
    delimiter = _delimiter(text)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header = [name.strip().lower() for name in rows[0]] if rows else []
    columns = _columns(header, fields, home, label, problems)
    for name, where in body_fields:
        if name in header:
            problems.add(where, f"{{{name}}}: only the greeting can use a recipient's column; the body is the same for all")
    problems.raise_if_any()
    sheet = _Sheet(label, header, columns, delimiter, fonts, home)
    recipients = [_recipient(number, row, sheet, problems) for number, row in enumerate(rows[1:], 2)]
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


def _columns(header: list[str], fields: set[str], home: str, label: str, problems: Problems) -> dict[str, int]:
    """The position of each address part in the header row; posted in the US, an address needs its state."""
    optional = OPTIONAL - {"etat"} if home == "US" else OPTIONAL
    found = {}
    for part, names in COLUMNS.items():
        index = next((header.index(name) for name in names if name in header), None)
        if index is not None:
            found[part] = index
        elif part not in optional:
            problems.add(Where(label, 1, 1), f"no column '{part}' (accepted names: {', '.join(names)})")
    for field in sorted(fields - set(header)):
        problems.add(Where(label, 1, 1), f"the letter's greeting uses {{{field}}}, but no column has that name")
    return found


def _recipient(number: int, row: list[str], sheet: _Sheet, problems: Problems) -> Recipient | None:
    where = Where(sheet.label, number, 1)
    shape = _shape_problem(row, sheet)
    if shape:  # the cells of a shifted row sit under the wrong headers: checking them would only mislead
        problems.add(where, shape)
        return None
    values = {part: row[index].strip() for part, index in sheet.columns.items()}
    country = country_code(values.get("pays", ""), sheet.home)
    address = address_block(_parts(values), country, sheet.home) if country else ()
    for problem in _value_problems(values, country, sheet) + line_problems(address) + _glyph_problems(row, sheet.fonts):
        problems.add(where, problem)
    return Recipient(where, address, dict(zip(sheet.header, (cell.strip() for cell in row))))


def _shape_problem(row: list[str], sheet: _Sheet) -> str | None:
    """An empty row, or one with more or fewer cells than the header has names."""
    cells, names = len(row), len(sheet.header)
    if not any(cell.strip() for cell in row):
        return "empty row"
    if cells > names:
        return f"{cells} cells under {names} headers: a value holding a {DELIMITERS[sheet.delimiter]} must be in double quotes"
    if cells < names:
        return f"{cells} cells under {names} headers: each row needs one cell per column, empty ones included"
    return None


def _value_problems(values: dict[str, str], country: str | None, sheet: _Sheet) -> list[str]:
    """Required values left empty; an unknown country, a postcode that is not one of the row's country, a US state."""
    found = [f"no value in column '{sheet.header[index]}'" for part, index in sheet.columns.items()
             if part not in OPTIONAL and not values[part]]
    if country is None:
        return found + [unknown_country(values["pays"])]
    return found + address_problems(_parts(values), country)


def _parts(values: dict[str, str]) -> Parts:
    return Parts(values["nom"], values.get("complement", ""), values["adresse"], values["code_postal"], values["ville"],
                 values.get("etat", ""))


def _glyph_problems(row: list[str], fonts: Path) -> list[str]:
    missing = uncovered_characters(" ".join(row), fonts)
    return [f"no glyph in the bundled fonts for {' '.join(f'{c} (U+{ord(c):04X})' for c in missing)}"] if missing else []
