"""Read the programme from a spreadsheet, CSV or XLSX: a header row, then one row per measure.

Columns (any order, names in any case): number, section, title, themes (required), details, priority,
short. Themes are labels from themes.yaml separated by ';' (labels hold commas), details one per line
inside their cell. Problems are reported as ``file:row:column``, the header being row 1.
"""

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from printkit.errors import Problems, Where
from printkit.programme.imported import ImportedMeasure, ImportedPage, grouped, split_themes, whole_number

COLUMNS = ("number", "section", "title", "themes", "details", "priority", "short")
REQUIRED = COLUMNS[:4]


def read_csv(source: Path, problems: Problems) -> ImportedPage:
    """A CSV file in UTF-8, with or without a byte order mark, its cells separated by ',' or ';'."""
    text = _decode(source, problems)
    if text is None:
        return ImportedPage()
    header = text.split("\n", 1)[0]
    # A French spreadsheet exports with ';': whichever the header row uses most separates the cells.
    delimiter = max(",;", key=header.count)
    return sheet_page(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), str(source), problems)


def _decode(source: Path, problems: Problems) -> str | None:
    try:
        return source.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        problems.add(Where(str(source)), "file not found")
    except UnicodeDecodeError as error:
        row = source.read_bytes()[:error.start].count(b"\n") + 1
        problems.add(Where(str(source), row, 1), "not valid UTF-8: export the spreadsheet as « CSV UTF-8 »")
    except OSError as error:
        problems.add(Where(str(source)), f"cannot read the file: {error.strerror}")
    return None


def read_xlsx(source: Path, problems: Problems) -> ImportedPage:
    """The first sheet of an XLSX workbook, its cells' values (a formula's last computed value)."""
    # Imported here: openpyxl takes a tenth of a second to import, which every other command would pay.
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except FileNotFoundError:
        problems.add(Where(str(source)), "file not found")
        return ImportedPage()
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError):
        problems.add(Where(str(source)), "not an XLSX workbook: save the spreadsheet as « Excel 2007-365 (.xlsx) »")
        return ImportedPage()
    try:
        return sheet_page(workbook.worksheets[0].iter_rows(values_only=True), str(source), problems)
    finally:
        workbook.close()  # a read-only workbook keeps its file open until closed


def sheet_page(rows, label: str, problems: Problems) -> ImportedPage:
    """The measures of a header row and the rows under it, each a sequence of cell values."""
    rows = iter(rows)
    header = [_text(name).lower() for name in next(rows, ())]
    sheet = _Sheet(label, _columns(header, label, problems), {index for index, name in enumerate(header) if name})
    if any(name not in sheet.columns for name in REQUIRED):
        return ImportedPage()
    entries = [_row(number, row, sheet, problems) for number, row in enumerate(rows, 2) if _filled(row)]
    if not entries:
        problems.add(Where(label, 1, 1), "no measure: the file holds a header row only")
    optional = tuple(name for name in ("details", "priority", "short") if name in sheet.columns)
    return grouped([entry for entry in entries if entry], ("title", "themes") + optional, "in the spreadsheet",
                   label, problems)


@dataclass(frozen=True)
class _Sheet:
    """What each row is read against: the file's label, each known column's index, the indexes with a header."""

    label: str
    columns: dict[str, int]
    named: set[int]


def _columns(header: list[str], label: str, problems: Problems) -> dict[str, int]:
    """Each known column's index; an unknown, repeated or missing one is a problem of row 1."""
    columns = {}
    for index, name in enumerate(header):
        if name in columns:
            problems.add(Where(label, 1, index + 1), f"column '{name}' is given twice")
        elif name in COLUMNS:
            columns[name] = index
        elif name:
            problems.add(Where(label, 1, index + 1), f"unknown column '{name}': the columns are {', '.join(COLUMNS)}")
    for name in REQUIRED:
        if name not in columns:
            problems.add(Where(label, 1, 1), f"no '{name}' column (required: {', '.join(REQUIRED)})")
    return columns


def _filled(row) -> bool:
    """Spreadsheets carry empty rows, between blocks or after the last: they hold no measure."""
    return any(_text(cell) for cell in row)


def _row(number: int, row, sheet: _Sheet, problems: Problems) -> tuple[str, ImportedMeasure] | None:
    """One row as its section and measure, each wrong cell a problem; None when its number is wrong. A wrong
    measure is kept with the rest, so that its number is checked against theirs: nothing is written while any
    problem is found."""
    cells = {name: _text(row[index]) if index < len(row) else "" for name, index in sheet.columns.items()}
    where = {name: Where(sheet.label, number, index + 1) for name, index in sheet.columns.items()}
    _stray_cells(row, sheet, number, problems)
    for name in REQUIRED:
        if not (split_themes(cells[name]) if name == "themes" else cells[name]):  # ";" alone names no theme
            problems.add(where[name], f"the '{name}' cell is empty")
    measure_number = _whole(cells["number"], where["number"], "number", problems)
    priority = _whole(cells.get("priority", ""), where.get("priority"), "priority", problems)
    if measure_number is None:
        return None
    themes = split_themes(cells["themes"])
    details = [line.strip() for line in cells.get("details", "").splitlines() if line.strip()]
    measure = ImportedMeasure(measure_number, cells["title"], themes, number, details, priority, cells.get("short", ""))
    return cells["section"], measure


def _stray_cells(row, sheet: _Sheet, number: int, problems: Problems) -> None:
    """A value under no header: an unquoted separator shifted it there, or its column has no name."""
    for index, cell in enumerate(row):
        if index not in sheet.named and _text(cell):
            problems.add(Where(sheet.label, number, index + 1), f"« {_text(cell)[:40]} » is in a column with no "
                                                                "header: name the column, or quote a value holding "
                                                                "the separator")


def _whole(text: str, where: Where | None, name: str, problems: Problems) -> int | None:
    """A cell holding a whole number of 1 or more; an empty cell is None."""
    if not text:
        return None
    if whole_number(text) is None:
        problems.add(where, f"the {name} « {text} » is not a whole number of 1 or more")
    return whole_number(text)


def _text(value) -> str:
    """A cell's value as text: a spreadsheet types 12 as the number 12.0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
