"""`printkit import` from a spreadsheet (CSV, XLSX) or a Markdown document: what `printkit export` writes
comes back as the same measures.yaml, and every wrong cell or item is named at once, with nothing written."""

import csv
import io
import re
import shutil

import openpyxl
import pytest
import yaml

from printkit.errors import InvalidInput
from printkit.programme.importer import import_programme

from conftest import ROOT, SMALL_THEMES, run_printkit, write_yaml

HEADER = "number,section,title,themes,details,priority,short\n"
ROWS = ('1,Des arbres partout,Planter mille arbres,Engager la révolution écologique,"Dans chaque rue\n'
        'Avec les habitants",1,Mille arbres\n'
        "2,Des arbres partout,Ouvrir les gymnases le soir,Promouvoir le sport populaire; Engager la révolution "
        "écologique,,,\n"
        "3,Le sport pour tous,Créer une fête du sport,Promouvoir le sport populaire,,,\n")
MARKDOWN = """# Un petit programme

Une introduction pour les lecteurs, que l'import laisse.

## Des arbres partout

1. Planter mille arbres [themes: Engager la révolution écologique] [priority: 1] [short: Mille arbres]
   - Dans chaque rue
   - Avec les habitants
2. Ouvrir les gymnases le soir [themes: Promouvoir le sport populaire; Engager la révolution écologique]

## Le sport pour tous

3. Créer une fête du sport [themes: Promouvoir le sport populaire]
"""
SMALL_DATA = [
    {"section": "Des arbres partout", "measures": [
        {"number": 1, "title": "Planter mille arbres", "short": "Mille arbres", "themes": ["ecologie"],
         "details": ["Dans chaque rue", "Avec les habitants"], "priority": 1},
        {"number": 2, "title": "Ouvrir les gymnases le soir", "themes": ["sport", "ecologie"]}]},
    {"section": "Le sport pour tous", "measures": [
        {"number": 3, "title": "Créer une fête du sport", "themes": ["sport"]}]},
]


@pytest.fixture
def folder(tmp_path):
    """A programme folder holding only the small fixture's themes, as before a first import."""
    (tmp_path / "programme").mkdir()
    write_yaml(tmp_path / "programme" / "themes.yaml", SMALL_THEMES)
    return tmp_path / "programme"


def written(tmp_path, name: str, text: str, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def measures(folder):
    return yaml.safe_load((folder / "measures.yaml").read_text())


def measure(folder, number: int) -> dict:
    return next(m for section in measures(folder) for m in section["measures"] if m["number"] == number)


def imported(source, folder) -> list[str]:
    """Import ``source``, which must hold no problem; the new theme labels."""
    try:
        return import_programme(source, folder)
    except InvalidInput as error:
        assert [str(problem) for problem in error.problems] == []


def problems_of(source, folder) -> list[str]:
    """The problems importing ``source`` reports; none of the files may have been written."""
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    with pytest.raises(InvalidInput) as caught:
        import_programme(source, folder)
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before
    return [str(problem) for problem in caught.value.problems]


# reading


def test_a_csv_becomes_measures_yaml(tmp_path, folder):
    assert imported(written(tmp_path, "m.csv", HEADER + ROWS), folder) == []
    assert measures(folder) == SMALL_DATA
    assert not (folder / "programme.yaml").exists()  # a spreadsheet has no title, introduction or guarantees


def test_a_french_csv_with_semicolons_and_a_byte_order_mark(tmp_path, folder):
    rows = list(csv.reader(io.StringIO(HEADER + ROWS)))
    stream = io.StringIO()
    csv.writer(stream, delimiter=";").writerows(rows)
    imported(written(tmp_path, "m.csv", stream.getvalue(), "utf-8-sig"), folder)
    assert measures(folder) == SMALL_DATA


def test_columns_in_any_order_and_case_and_only_the_required_ones(tmp_path, folder):
    text = "Themes,TITLE,Number,Section\nPromouvoir le sport populaire,Créer une fête du sport,3,Le sport pour tous\n"
    imported(written(tmp_path, "m.csv", text), folder)
    assert measures(folder) == SMALL_DATA[1:]


def test_sections_in_order_of_first_appearance(tmp_path, folder):
    lines = (HEADER + ROWS).splitlines(keepends=True)
    imported(written(tmp_path, "m.csv", "".join([lines[0], lines[4], *lines[1:4]])), folder)
    assert [s["section"] for s in measures(folder)] == ["Le sport pour tous", "Des arbres partout"]
    assert [m["number"] for m in measures(folder)[1]["measures"]] == [1, 2]


def test_an_xlsx_with_numbers_typed_as_numbers(tmp_path, folder):
    source = tmp_path / "m.xlsx"
    xlsx(source, [*csv.reader(io.StringIO(HEADER + ROWS))])
    imported(source, folder)
    assert measures(folder) == SMALL_DATA


def xlsx(path, rows) -> None:
    """Write rows into a workbook's first sheet, whole numbers as numbers, as a spreadsheet types them."""
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append([float(cell) if cell.isdigit() else cell or None for cell in row])
    workbook.save(path)


def test_a_markdown_document_becomes_measures_yaml(tmp_path, folder):
    imported(written(tmp_path, "m.md", MARKDOWN), folder)
    assert measures(folder) == SMALL_DATA


def test_a_new_theme_label_is_added_to_themes_yaml(tmp_path, folder):
    text = HEADER + ROWS.replace("Créer une fête du sport,Promouvoir le sport populaire",
                                 "Créer une fête du sport,Promouvoir le sport populaire; Soutenir les clubs amateurs")
    assert imported(written(tmp_path, "m.csv", text), folder) == ["Soutenir les clubs amateurs"]
    themes = yaml.safe_load((folder / "themes.yaml").read_text())
    assert themes[-1] == {"slug": "soutenir-clubs-amateurs", "label": "Soutenir les clubs amateurs"}
    assert measures(folder)[1]["measures"][0]["themes"] == ["sport", "soutenir-clubs-amateurs"]


# what is wrong in a spreadsheet


def test_unknown_and_missing_columns_are_named_with_the_expected_ones(tmp_path, folder):
    text = "number,section,titre,themes,notes\n1,S,Un titre,Promouvoir le sport populaire,x\n"
    source = written(tmp_path, "m.csv", text)
    expected = "number, section, title, themes, details, priority, short"
    assert problems_of(source, folder) == [
        f"{source}:1:1: no 'title' column (required: number, section, title, themes)",
        f"{source}:1:3: unknown column 'titre': the columns are {expected}",
        f"{source}:1:5: unknown column 'notes': the columns are {expected}"]


def test_a_column_given_twice(tmp_path, folder):
    source = written(tmp_path, "m.csv", HEADER.replace("short", "title") + ROWS)
    assert problems_of(source, folder) == [f"{source}:1:7: column 'title' is given twice"]


def test_every_wrong_cell_is_named_at_its_row_and_column(tmp_path, folder):
    text = (HEADER + ROWS.replace("1,Des arbres partout,Planter", "un,Des arbres partout,Planter")
            .replace("Avec les habitants\",1,", "Avec les habitants\",premier,")
            .replace("Ouvrir les gymnases le soir", "").replace("3,Le sport pour tous", "0,")
            + "4,Le sport pour tous,Un stade,,,,\n" + "5,Le sport pour tous,Un gymnase, ; ,,,\n")
    source = written(tmp_path, "m.csv", text)
    assert problems_of(source, folder) == [
        f"{source}:2:1: the number « un » is not a whole number of 1 or more",
        f"{source}:2:6: the priority « premier » is not a whole number of 1 or more",
        f"{source}:3:3: the 'title' cell is empty",
        f"{source}:4:1: the number « 0 » is not a whole number of 1 or more",
        f"{source}:4:2: the 'section' cell is empty",
        f"{source}:5:4: the 'themes' cell is empty",
        f"{source}:6:4: the 'themes' cell is empty"]


def test_a_number_given_twice_even_in_a_wrong_row(tmp_path, folder):
    text = HEADER + ROWS.replace("3,Le sport", "2,Le sport").replace("Ouvrir les gymnases le soir", "")
    source = written(tmp_path, "m.csv", text)
    assert problems_of(source, folder) == [f"{source}:3:3: the 'title' cell is empty",
                                           f"{source}:4:1: measure 2 is given twice (first at {source}:3:1)"]


def test_a_value_under_no_header(tmp_path, folder):
    shifted = ROWS.replace("écologique,,,\n", "écologique,Le soir, et le week-end,,Gymnases\n")  # unquoted comma
    source = written(tmp_path, "m.csv", HEADER + shifted)
    assert problems_of(source, folder) == [
        f"{source}:3:6: the priority « et le week-end » is not a whole number of 1 or more",
        f"{source}:3:8: « Gymnases » is in a column with no header: name the column, or quote a value holding the "
        + "separator"]


def test_a_header_row_only(tmp_path, folder):
    source = written(tmp_path, "m.csv", HEADER + ",,,,,,\n")
    assert problems_of(source, folder) == [f"{source}:1:1: no measure: the file holds a header row only"]


def test_two_themes_that_would_share_a_slug(tmp_path, folder):
    source = written(tmp_path, "m.csv", HEADER + ROWS.replace(",Promouvoir le sport populaire,,,", ",Sport,,,"))
    assert problems_of(source, folder) == [
        f"{source}: two themes would share the slug 'sport': name one in themes.yaml first"]


def test_an_xlsx_names_the_row_and_column(tmp_path, folder):
    source = tmp_path / "m.xlsx"
    rows = [*csv.reader(io.StringIO(HEADER + ROWS))]
    rows[2][0], rows[3][2] = "2,5", ""
    xlsx(source, rows)
    assert problems_of(source, folder) == [f"{source}:3:1: the number « 2,5 » is not a whole number of 1 or more",
                                           f"{source}:4:3: the 'title' cell is empty"]


def test_a_file_that_is_not_a_workbook(tmp_path, folder):
    source = written(tmp_path, "m.xlsx", HEADER + ROWS)
    assert problems_of(source, folder) == [
        f"{source}: not an XLSX workbook: save the spreadsheet as « Excel 2007-365 (.xlsx) »"]


def test_a_csv_that_is_not_utf8(tmp_path, folder):
    source = written(tmp_path, "m.csv", HEADER + ROWS, "latin-1")
    assert problems_of(source, folder) == [f"{source}:2:1: not valid UTF-8: export the spreadsheet as « CSV UTF-8 »"]


# what is wrong in a Markdown document


def test_every_wrong_item_is_named_at_its_line(tmp_path, folder):
    text = (MARKDOWN.replace(" [priority: 1]", " [priority: haute] [theme: x]")
            .replace("   - Avec les habitants\n", "   - Avec les habitants\n     - et leurs enfants\n")
            .replace("2. Ouvrir les gymnases le soir [themes: Promouvoir le sport populaire; Engager la révolution "
                     "écologique]", "2. Ouvrir les gymnases le soir\n\nUn paragraphe égaré.\n\n1. [themes: Promouvoir "
                     "le sport populaire]")
            .replace("3. Créer", "5. Créer") + "5. Une autre fête [themes: Promouvoir le sport populaire]\n")
    source = written(tmp_path, "m.md", text)
    assert problems_of(source, folder) == [
        f"{source}:7:1: the priority « haute » is not a whole number of 1 or more",
        f"{source}:7:1: unknown [theme: …]: the keys are themes, priority, short",
        f"{source}:9:1: a detail is one paragraph, with no list of its own",
        f"{source}:11:1: measure 2 has no themes: end its title with [themes: Label; Label]",
        f"{source}:13:1: expected a numbered list of measures or a '## ' section heading, not this paragraph",
        f"{source}:15:1: measure 1 is given twice (first at {source}:7:1)",
        f"{source}:15:1: measure 1's title is empty",
        f"{source}:20:1: measure 5 is given twice (first at {source}:19:1)"]


def test_a_document_without_sections(tmp_path, folder):
    source = written(tmp_path, "m.md", MARKDOWN.replace("## ", "### "))
    assert problems_of(source, folder) == [
        f"{source}:1:1: no '## ' section heading: each section of measures starts with one"]


# round trips through export


@pytest.fixture
def exported_from(tmp_path):
    """The committed programme with a short title and priorities added, and a folder to import it into."""
    source = tmp_path / "source" / "programme"
    shutil.copytree(ROOT / "programme", source)
    text = (source / "measures.yaml").read_text()
    text = text.replace("  - number: 12\n", "  - number: 12\n    priority: 1\n    short: Pas de crèches lucratives\n")
    (source / "measures.yaml").write_text(text.replace("  - number: 40\n", "  - number: 40\n    priority: 2\n"))
    target = tmp_path / "target" / "programme"
    target.mkdir(parents=True)
    for name in ("campaign.yaml", "themes.yaml"):
        shutil.copy(source / name, target / name)
    return source, target


def export_to(tmp_path, source, form: str, name: str):
    path = tmp_path / name
    path.write_text(run_printkit("--root", str(source.parent), "export", form, check=True).stdout)
    return path


@pytest.mark.parametrize(("form", "name"), [("--csv", "programme.csv"), ("--markdown", "programme.md")])
def test_export_then_import_gives_the_same_measures(tmp_path, exported_from, form, name):
    source, target = exported_from
    exported = export_to(tmp_path, source, form, name)
    run_printkit("--root", str(target.parent), "import", str(exported), check=True)
    assert measures(target) == measures(source)
    assert measure(target, 12)["priority"] == 1 and measure(target, 12)["short"]  # so they did go through


def test_an_xlsx_made_from_the_export_gives_the_same_measures(tmp_path, exported_from):
    source, target = exported_from
    rows = [*csv.reader(io.StringIO(export_to(tmp_path, source, "--csv", "programme.csv").read_text()))]
    xlsx(tmp_path / "programme.xlsx", rows)
    run_printkit("--root", str(target.parent), "import", str(tmp_path / "programme.xlsx"), check=True)
    assert measures(target) == measures(source)


def test_importing_the_export_over_its_programme_changes_nothing(tmp_path, exported_from):
    source, _ = exported_from
    before = {path.name: path.read_bytes() for path in source.iterdir()}
    exported = export_to(tmp_path, source, "--csv", "programme.csv")
    run_printkit("--root", str(source.parent), "import", str(exported), check=True)
    assert {path.name: path.read_bytes() for path in source.iterdir()} == before


# what the source has no place for stays as volunteers wrote it


def without_priorities(form: str, text: str) -> str:
    """The exported text without its priority and short columns, or [priority: …] and [short: …] groups."""
    if form == "--markdown":
        return re.sub(r" \[(priority|short): [^]]*\]", "", text)
    stream = io.StringIO()
    csv.writer(stream).writerows(row[:5] for row in csv.reader(io.StringIO(text)))
    return stream.getvalue()


@pytest.mark.parametrize(("form", "name"), [("--csv", "programme.csv"), ("--markdown", "programme.md")])
def test_a_source_without_priorities_keeps_the_files(tmp_path, exported_from, form, name):
    source, _ = exported_from
    text = without_priorities(form, export_to(tmp_path, source, form, name).read_text())
    assert "Pas de crèches" not in text
    imported(written(tmp_path, name, text), source)
    assert measure(source, 12)["priority"] == 1 and measure(source, 12)["short"] == "Pas de crèches lucratives"


@pytest.mark.parametrize(("form", "name", "old", "new", "there"), [
    ("--csv", "programme.csv", ",1,Pas de crèches", ",3,Pas de crèches", "in the spreadsheet"),
    ("--markdown", "programme.md", "[priority: 1]", "[priority: 3]", "in the document")])
def test_a_priority_that_differs_from_the_files_is_refused(tmp_path, exported_from, form, name, old, new, there):
    source, _ = exported_from
    text = export_to(tmp_path, source, form, name).read_text()
    problems = problems_of(written(tmp_path, name, text.replace(old, new)), source)
    assert len(problems) == 1
    assert f"measure 12's priority here « 1 », {there} « 3 »: import would replace it" in problems[0]


def test_a_file_with_problems_writes_nothing_and_names_them_all(tmp_path):
    target = shutil.copytree(ROOT / "programme", tmp_path / "programme")
    before = {path.name: path.read_bytes() for path in target.iterdir()}
    text = HEADER + ROWS.replace("3,Le sport", "x,Le sport").replace(",1,Mille", ",0,Mille")
    source = written(tmp_path, "m.csv", text)
    result = run_printkit("import", str(source), cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr and "2 problems found" in result.stderr
    assert f"{source}:2:6: the priority « 0 »" in result.stderr
    assert f"{source}:4:1: the number « x »" in result.stderr
    assert {path.name: path.read_bytes() for path in target.iterdir()} == before
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []


def test_a_number_below_one_an_empty_heading_an_item_without_title_and_a_key_given_twice(tmp_path, folder):
    text = (MARKDOWN.replace("2. Ouvrir", "0. Ouvrir").replace(" [short: Mille arbres]", " [short: A] [short: B]")
            .replace("## Le sport pour tous", "##"))
    source = written(tmp_path, "m.md", text + "4. - un détail sans titre\n5. Un titre [themes: Promouvoir le sport "
                                              "populaire]\n\n   Un second paragraphe.\n")
    assert problems_of(source, folder) == [
        f"{source}:7:1: [short: …] is given twice",
        f"{source}:10:1: measure number 0 must be 1 or more",
        f"{source}:12:1: the section heading is empty",
        f"{source}:15:1: measure 4 has no title",
        f"{source}:18:1: under a measure's title, expected only a bulleted list of details"]


@pytest.mark.parametrize("name", ["nope.csv", "nope.xlsx", "nope.md"])
def test_a_missing_source(tmp_path, folder, name):
    assert problems_of(tmp_path / name, folder) == [f"{tmp_path / name}: file not found"]


def test_export_needs_a_form(tmp_path):
    result = run_printkit("export", cwd=tmp_path)
    assert result.returncode == 2 and "give --json, --csv or --markdown" in result.stderr
