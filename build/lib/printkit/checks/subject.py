"""What a checked file is, read from its metadata (products.FileSubject), never from its name:
a pack folder, a renamed file and a theme slugged `timesheets` are checked alike. Its
programme stamp says whether it shows the programme as it is now."""

from pathlib import Path

from printkit.errors import Finding
from printkit.pipeline.cache import shown_data_hash
from printkit.products import FileSubject, Material, Product, product, products
from printkit.programme.model import Programme

UNKNOWN = FileSubject("unknown", "unknown")  # a PDF printkit did not write, or wrote before files said what they are


def subject_of(docinfo) -> FileSubject:
    """What a PDF's Info dictionary says it is, or UNKNOWN."""
    return FileSubject.read(docinfo) or UNKNOWN


def product_of(subject: FileSubject) -> Product | None:
    """The registered product a file is one of, None for an unknown kind."""
    return product(subject.kind) if subject.kind in {kind.kind for kind in products()} else None


def subject_findings(name: str, subject: FileSubject, programme: Programme) -> list[Finding]:
    """A file that does not say what it is, or that shows the programme as it was, not as it is."""
    if product_of(subject) is None:  # nothing more can be said of it: which programme data it shows is the product's
        return _unknown(name, subject)
    if subject.theme is not None and subject.theme not in {theme.slug for theme in programme.themes}:
        return [Finding(name, 0, "error", f"made for the theme '{subject.theme}', which the programme no longer has")]
    stamp = shown_data_hash(Material(subject.kind, subject.theme, name), programme)
    if subject.programme is not None and subject.programme != stamp:
        return [Finding(name, 0, "error", f"stale: made from another version of the programme (stamp "
                                          f"{subject.programme}, now {stamp}); build it again")]
    return []


def _unknown(name: str, subject: FileSubject) -> list[Finding]:
    return [Finding(name, 0, "error", f"its metadata names no product printkit knows ({subject.kind}): "
                                      "printkit cannot tell which checks apply; build it again")]


def output_name(pdf: Path, given: str) -> str:
    """A PDF's name as under output/, wherever the user points, under which its findings are
    reported (never to tell what it is). ``given`` is its path under the folder the user named."""
    for depth, folder in enumerate(pdf.parents[:2]):
        if folder.name == "letters":  # a letter, or a file of a mail merge split per recipient
            return str(Path("letters", *pdf.parts[len(pdf.parts) - depth - 1:]))
    return str(Path(pdf.parent.name, pdf.name)) if pdf.parent.name in ("leaflets", "cards") else given
