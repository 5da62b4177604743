"""The preflight of a written PDF: every document check on the file, opened once, and
`printkit check` over files and folders."""

from pathlib import Path

from printkit.checks.ballot import ballot_findings
from printkit.checks.circular import accessible_findings, circular_findings
from printkit.checks.colour import colour_findings
from printkit.checks.document import CheckedPdf
from printkit.checks.fonts import embedding_findings, subset_findings, version_findings
from printkit.checks.geometry import geometry_findings
from printkit.checks.imprint import imprint_findings
from printkit.checks.intent import intent_findings
from printkit.checks.letters import first_letter, letter_findings
from printkit.checks.objects import object_findings
from printkit.checks.paint import paint_findings
from printkit.checks.pdfx import pdfx_findings
from printkit.checks.poster import poster_findings
from printkit.checks.reading import rendered_findings
from printkit.checks.subject import output_name, subject_findings
from printkit.checks.text import text_findings
from printkit.checks.ticket import ticket_findings
from printkit.checks.tiles import tile_findings
from printkit.checks.typesize import type_size_findings
from printkit.checks.vote import vote_findings
from printkit.errors import Finding
from printkit.programme.datacheck import coverage_findings, data_findings
from printkit.programme.model import Programme


def check_pdf(path: Path, name: str, programme: Programme, readings: Path | None = None) -> list[Finding]:
    """Every document check on one written PDF, opened once; a build passes ``readings``, the
    folder where each page's rendered reading is kept by what the page draws."""
    with CheckedPdf(name, path.read_bytes()) as checked:
        findings = subject_findings(name, checked.subject, programme) + _file_findings(checked, programme, readings)
        return findings + ticket_findings(checked, path, programme)  # a pack folder's ticket.txt beside it


def _file_findings(checked: CheckedPdf, programme: Programme, readings: Path | None) -> list[Finding]:
    letter = checked.subject.kind == "letter"
    # A mail merge repeats one letter, laid out once, with only each address and greeting laid
    # out again (inside the window, safe-zone checked as they are laid out): its text and its
    # rendered pages are read in the first letter; the structure of every page below.
    shown = first_letter(checked, programme) if letter else range(len(checked.pdf.pages))
    findings = rendered_findings(checked, shown, programme, readings)
    findings += embedding_findings(checked) + geometry_findings(checked, programme) + colour_findings(checked)
    findings += subset_findings(checked) + version_findings(checked) + paint_findings(checked)
    findings += imprint_findings(checked, programme) + object_findings(checked) + pdfx_findings(checked)
    findings += intent_findings(checked, programme) + type_size_findings(checked) + vote_findings(checked, programme)
    findings += ballot_findings(checked, programme) + poster_findings(checked, programme) + circular_findings(checked)
    findings += accessible_findings(checked) + tile_findings(checked)
    if not checked.subject.sheet:  # imposed copies are read in their source file
        findings += text_findings(checked.document, checked.name, shown, programme.campaign.locale)
    if letter:
        findings += letter_findings(checked, programme)
    return findings


def check_outputs(paths: list[Path], programme: Programme, warnings: list, fonts: Path) -> list[Finding]:
    """Data checks, then document checks on every PDF under the given files and folders."""
    findings = data_findings(programme, warnings) + coverage_findings(programme, fonts)
    for path, name in _pdfs(paths):
        findings += check_pdf(path, name, programme)
    return findings


def _pdfs(paths: list[Path]):
    for path in paths:
        if path.is_dir():
            for pdf in sorted(path.rglob("*.pdf")):
                yield pdf, output_name(pdf, str(pdf.relative_to(path)))
        else:
            yield path, output_name(path, path.name)
