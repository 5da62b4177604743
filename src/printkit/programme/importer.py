"""`printkit import`: turn the campaign's programme into programme/ YAML.

The source is chosen by its extension: a spreadsheet (.csv, .xlsx: sheets.py), a Markdown document (.md:
markdown_source.py), or else the website's programme page exported as text, read here. The page's format:
a title, introduction paragraphs, the guarantees as bullets, then sections ("Title" followed by "Points :
1, 2") holding measures (a line of theme labels run together, "N)", the title, then "  • •" detail lines).
campaign.yaml is never touched, and what volunteers added to the other files is kept (see reimport.py).
"""

import re
import unicodedata
from functools import partial
from pathlib import Path

import yaml

from printkit.errors import Problems, Where
from printkit.files import write_atomic
from printkit.programme.imported import ImportedMeasure, ImportedPage, ImportedSection
from printkit.programme.loader import THEME_KEYS
from printkit.programme.markdown_source import read_markdown
from printkit.programme.reimport import merge_programme, merge_sections, merge_themes, merged_text
from printkit.programme.sheets import read_csv, read_xlsx
from printkit.programme.yamlsource import Reader, read_yaml

GUARANTEES_HEADING = "Les garanties programmatiques"
WEB_CHROME = ("Filtre par thématique", "Bienvenue sur la page du programme")
POINTS = re.compile(r"^Points\s*:\s*(.*)$")
NUMBER = re.compile(r"^(\d+)\)$")
BULLET = re.compile(r"^\s*(?:•\s*)+(.*)$")
SHORT_WORDS = 3


def import_programme(source: Path, folder: Path) -> list[str]:
    """Read a source and write themes.yaml, measures.yaml and, from the website's page, programme.yaml;
    return the new theme labels."""
    problems = Problems()
    page = READERS.get(source.suffix.lower(), _read_website)(source, problems)
    known = _known_themes(folder, problems)
    problems.raise_if_any()
    themes = _assign_slugs(page, known, str(source), problems)
    problems.raise_if_any()
    page.title = spelled_as_declared(page.title, _list_name(folder))
    _write(folder, page, themes)
    return [label for label in themes if label not in known]


def _list_name(folder: Path) -> str:
    """The list's name as campaign.yaml declares it ("" when it does not)."""
    path = folder / "campaign.yaml"
    settings = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
    name = settings.get("name") if isinstance(settings, dict) else None
    return name if isinstance(name, str) else ""


def spelled_as_declared(text: str, name: str) -> str:
    """``text`` with the list's name spelled as the list declares it, whatever the capitals a web
    page's heading gave it (« Clamart à Gauche »): every piece prints the name as its imprint does."""
    stem = name.rstrip(" !?.")
    return re.sub(re.escape(stem), lambda _: stem, text, flags=re.IGNORECASE) if stem else text


def _read_website(source: Path, problems: Problems) -> ImportedPage:
    return parse_page(_read_text(source, problems), str(source), problems)


READERS = {".csv": read_csv, ".xlsx": read_xlsx, ".md": read_markdown}


def _read_text(source: Path, problems: Problems) -> list[str]:
    try:
        return source.read_bytes().decode("utf-8").splitlines()
    except FileNotFoundError:
        problems.add(Where(str(source)), "file not found")
    except UnicodeDecodeError as error:
        problems.add(Where(str(source), source.read_bytes()[:error.start].count(b"\n") + 1), "not valid UTF-8")
    except OSError as error:
        problems.add(Where(str(source)), f"cannot read the file: {error.strerror}")
    return []


def parse_page(lines: list[str], label: str, problems: Problems) -> ImportedPage:
    """Parse the page's lines, recording every line that does not fit the expected format."""
    page = ImportedPage()
    rows = [(number, " ".join(text.split()), text) for number, text in enumerate(lines, 1)]
    rows = [row for row in rows if row[1] and not row[1].startswith(WEB_CHROME)]
    if not rows:
        problems.add(Where(label, 1), "the file holds no programme text")
        return page
    page.title = rows[0][1]
    rest = _head(rows[1:], page, label, problems)
    _body(rest, page, label, problems)
    return page


def _head(rows: list, page: ImportedPage, label: str, problems: Problems) -> list:
    heading = next((i for i, (_, text, _) in enumerate(rows) if text == GUARANTEES_HEADING), None)
    if heading is None:
        problems.add(Where(label, rows[0][0] if rows else 1), f"no '{GUARANTEES_HEADING}' heading found")
        return []
    page.introduction = [text for _, text, _ in rows[:heading]]
    index = heading + 1
    while index < len(rows) and BULLET.match(rows[index][2]):
        page.guarantees.append(BULLET.match(rows[index][1]).group(1))
        index += 1
    return rows[index:]


def _body(rows: list, page: ImportedPage, label: str, problems: Problems) -> None:
    index = 0
    while index < len(rows):
        line, text, raw = rows[index]
        following = rows[index + 1][1] if index + 1 < len(rows) else ""
        if POINTS.match(following):
            page.sections.append(ImportedSection(text, _points(following, label, rows[index + 1][0], problems), line))
            index += 2
        elif NUMBER.match(following) and page.sections and index + 2 < len(rows):
            index = _measure(rows, index, page.sections[-1])
        else:
            problems.add(Where(label, line), f"cannot understand '{text[:60]}': expected a section title followed "
                                             "by 'Points : …', theme labels followed by 'N)' and a title, "
                                             "or a detail line starting with '•'")
            index += 1
    _check_points(page, label, problems)


def _points(text: str, label: str, line: int, problems: Problems) -> list[int]:
    items = [item.strip() for item in POINTS.match(text).group(1).split(",")]
    if not all(item.isdigit() for item in items):
        problems.add(Where(label, line), f"'{text}' should list measure numbers separated by commas")
        return []
    return [int(item) for item in items]


def _measure(rows: list, index: int, section: ImportedSection) -> int:
    line, labels, _ = rows[index]
    number = int(NUMBER.match(rows[index + 1][1]).group(1))
    measure = ImportedMeasure(number, rows[index + 2][1], labels, line)
    index += 3
    while index < len(rows) and BULLET.match(rows[index][2]):
        measure.details.append(BULLET.match(rows[index][1]).group(1))
        index += 1
    section.measures.append(measure)
    return index


def _check_points(page: ImportedPage, label: str, problems: Problems) -> None:
    for section in page.sections:
        found = [m.number for m in section.measures]
        if found != section.announced:
            problems.add(Where(label, section.line), f"section '{section.title}' announces points "
                                                     f"{section.announced} but holds measures {found}")


# themes


def _known_themes(folder: Path, problems: Problems) -> dict[str, dict]:
    """Label to slug, short name, pictogram and key figure of an existing themes.yaml, so that they
    stay stable across imports."""
    path = folder / "themes.yaml"
    if not path.exists():
        return {}
    node = read_yaml(path, str(path), problems)
    reader = Reader(str(path), problems)
    known = {}
    for item in reader.sequence(node, "themes.yaml") if node is not None else []:
        keys = reader.mapping(item, "a theme", required=("slug", "label"), optional=THEME_KEYS) or {}
        if "slug" in keys and "label" in keys:
            entry = {key: reader.text(keys[key], key) for key in ("slug", *THEME_KEYS) if key in keys}
            known[reader.text(keys["label"], "label")] = entry
    return known


def split_labels(text: str, themes: list[str]) -> list[str] | None:
    """Split a line of theme labels run together with spaces against the known labels."""
    if not text:
        return []
    for theme in sorted(themes, key=len, reverse=True):
        if text == theme or text.startswith(theme + " "):
            rest = split_labels(text[len(theme):].strip(), themes)
            if rest is not None:
                return [theme] + rest
    return None


def atomic_labels(lines: list[str], known: list[str]) -> list[str]:
    """The theme labels in use: known ones, then every label line not made of other label lines."""
    candidates = list(dict.fromkeys(known + lines))
    atoms = []
    for line in sorted(candidates, key=len):
        if line in known or split_labels(line, atoms) is None:
            atoms.append(line)
    order = {label: i for i, label in enumerate(candidates)}
    return sorted(atoms, key=order.get)


def _assign_slugs(page: ImportedPage, known: dict[str, dict], label: str, problems: Problems) -> dict[str, dict]:
    measures = page.measures()
    labels = _theme_labels(measures, list(known))
    themes = {theme: known.get(theme) or {"slug": slugify(theme)} for theme in labels
              if theme in known or any(theme in m.labels for m in measures)}
    slugs = [entry["slug"] for entry in themes.values()]
    for slug in {slug for slug in slugs if slugs.count(slug) > 1}:
        problems.add(Where(label), f"two themes would share the slug '{slug}': name one in themes.yaml first")
    return themes


def _theme_labels(measures: list[ImportedMeasure], known: list[str]) -> list[str]:
    """Every theme label, the known ones first; the website's label lines are split into lists here."""
    labels = atomic_labels([m.labels for m in measures if isinstance(m.labels, str)], known)
    for measure in measures:
        if isinstance(measure.labels, str):
            measure.labels = split_labels(measure.labels, labels)
    return list(dict.fromkeys(labels + [theme for m in measures for theme in m.labels]))


def slugify(label: str) -> str:
    """A stable ASCII file name for a theme label: its first three significant words."""
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().lower()
    words = [word for word in re.split(r"[^a-z0-9]+", ascii_text) if len(word) > SHORT_WORDS]
    return "-".join(words[:3]) or "theme"


# writing


class _Flow(list):
    """A list written on one line: a measure's theme slugs."""


class _Dumper(yaml.SafeDumper):
    """Writes YAML that a volunteer can read: block style, one theme list per line."""


_Dumper.add_representer(_Flow, lambda dumper, data: dumper.represent_sequence(
    "tag:yaml.org,2002:seq", data, flow_style=True))


def _write(folder: Path, page: ImportedPage, themes: dict[str, dict]) -> None:
    """Write the files, each merged into what volunteers made of it; none if one would lose anything."""
    problems = Problems()
    texts = {name: merged_text(folder / name, dump_yaml(data), merge, problems, page.source)
             for name, (data, merge) in _files(page, themes).items()}
    problems.raise_if_any()
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        write_atomic(folder / name, text.encode())


def _files(page: ImportedPage, themes: dict[str, dict]) -> dict[str, tuple]:
    """Each file's data as the source gives it, and how it merges into the file."""
    slugs = {label: entry["slug"] for label, entry in themes.items()}
    files = {
        "themes.yaml": ([{"slug": entry["slug"], "label": label, **entry} for label, entry in themes.items()], merge_themes),
        "measures.yaml": ([{"section": s.title, "measures": [_measure_data(m, slugs) for m in s.measures]}
                           for s in page.sections], partial(merge_sections, owned=page.owned)),
    }
    if page.programme:
        files["programme.yaml"] = ({"title": page.title, "introduction": page.introduction,
                                    "guarantees": page.guarantees}, merge_programme)
    return files


def _measure_data(measure: ImportedMeasure, slugs: dict[str, str]) -> dict:
    data = {"number": measure.number, "title": measure.title}
    if measure.short:
        data["short"] = measure.short
    data["themes"] = _Flow(slugs[t] for t in measure.labels)
    if measure.details:
        data["details"] = measure.details
    if measure.priority is not None:
        data["priority"] = measure.priority
    return data


def dump_yaml(data) -> str:
    """Data as block-style YAML with the accents kept readable."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096)
