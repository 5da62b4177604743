"""What a checked file is: which product, for which theme, imposed on sheets or not.

The checks read this and never the file's name. Today it is inferred from where the file
lies under output/ (the only place that does so is this module); reading it from the
product the PDF's metadata names would replace ``subject_from_name`` alone.
"""

from dataclasses import dataclass
from pathlib import Path

from printkit.programme.model import Programme


@dataclass(frozen=True)
class FileSubject:
    """What a PDF holds, as far as the checks care.

    ``kind`` is booklet, leaflet, card, letter, or unknown: a file whose name says nothing of
    its product, held to every card's QR codes. ``theme`` is the slug of a leaflet's or a
    card's theme, None for the programme card and the other kinds. ``sheet`` is an imposed
    file: the sheets a copy shop or an office printer prints on.
    """

    kind: str
    theme: str | None
    sheet: bool


def subject_from_name(name: str, programme: Programme) -> FileSubject:
    """A file's subject from its name under output/ (``booklet-imposed-a4.pdf``, ``leaflets/sport.pdf``,
    ``cards/sheets/sra3/programme.pdf``, ``letters/…``)."""
    top, slug = Path(name).parts[0], Path(name).stem
    themes = {theme.slug for theme in programme.themes}
    sheet = "imposed" in name or "sheets" in name
    if top == "letters":
        return FileSubject("letter", None, sheet)
    if top.startswith("booklet"):
        return FileSubject("booklet", None, sheet)
    if top == "leaflets" and slug in themes:
        return FileSubject("leaflet", slug, sheet)
    if slug == "programme":
        return FileSubject("card", None, sheet)
    if slug in themes:
        return FileSubject("card", slug, sheet)
    return FileSubject("unknown", None, sheet)


def output_name(pdf: Path, given: str) -> str:
    """A PDF's name as under output/, wherever the user points, from which its subject is read and
    under which its findings are reported. ``given`` is its path under the folder the user named."""
    for depth, folder in enumerate(pdf.parents[:2]):
        if folder.name == "letters":  # a letter, or a file of a mail merge split per recipient
            return str(Path("letters", *pdf.parts[len(pdf.parts) - depth - 1:]))
    return str(Path(pdf.parent.name, pdf.name)) if pdf.parent.name in ("leaflets", "cards") else given
