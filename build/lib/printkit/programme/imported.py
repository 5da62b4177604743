"""What `printkit import` read from a source, before it becomes YAML: the website's page, a spreadsheet or a
Markdown document."""

from dataclasses import dataclass, field

from printkit.errors import Problems, Where
from printkit.programme.reimport import MEASURE_KEYS

THEME_SEPARATOR = ";"  # between a structured source's theme labels, which hold commas


@dataclass
class ImportedMeasure:
    """A measure as read from the source, with the line (or spreadsheet row) it starts on.

    ``labels`` is the website's line of theme labels run together with spaces, or a structured source's list.
    """

    number: int
    title: str
    labels: str | list[str]
    line: int
    details: list[str] = field(default_factory=list)
    priority: int | None = None
    short: str = ""


@dataclass
class ImportedSection:
    """A section as read from the source, with the numbers the website's "Points" line announced."""

    title: str
    announced: list[int]
    line: int
    measures: list[ImportedMeasure] = field(default_factory=list)


@dataclass
class ImportedPage:
    """Everything read from one source.

    Only the website's page holds a title, an introduction and guarantees (``programme``); ``owned`` are the
    measure keys the source says, so that the keys it has no place for stay as volunteers wrote them;
    ``source`` is where the source holds a value, as messages say it.
    """

    title: str = ""
    introduction: list[str] = field(default_factory=list)
    guarantees: list[str] = field(default_factory=list)
    sections: list[ImportedSection] = field(default_factory=list)
    programme: bool = True
    owned: tuple[str, ...] = MEASURE_KEYS
    source: str = "on the page"

    def measures(self) -> list[ImportedMeasure]:
        """Every measure, section by section."""
        return [measure for section in self.sections for measure in section.measures]


def grouped(entries: list[tuple[str, ImportedMeasure]], owned: tuple[str, ...], source: str, label: str,
            problems: Problems) -> ImportedPage:
    """A structured source's (section, measure) entries as a page: sections in order of first appearance.

    A number given twice is a problem at its second place.
    """
    page = ImportedPage(programme=False, owned=owned, source=source)
    sections, first = {}, {}
    for title, measure in entries:
        if measure.number in first:
            problems.add(Where(label, measure.line, 1), f"measure {measure.number} is given twice "
                                                        f"(first at {Where(label, first[measure.number], 1)})")
            continue
        first[measure.number] = measure.line
        if title not in sections:
            sections[title] = ImportedSection(title, [], measure.line)
            page.sections.append(sections[title])
        sections[title].measures.append(measure)
    return page


def whole_number(text: str) -> int | None:
    """A number or priority as typed in a structured source: a whole number of 1 or more, or None."""
    return int(text) if text.isascii() and text.isdigit() and int(text) >= 1 else None


def split_themes(text: str) -> list[str]:
    """The theme labels of a spreadsheet's cell or a Markdown [themes: …]."""
    return [theme.strip() for theme in text.split(THEME_SEPARATOR) if theme.strip()]
