"""A packed file's job ticket against the file: the sizes ticket.txt states beside it (the
finished size, a folded sheet's size closed, its panels and folds) must be those of the PDF's
TrimBox and of its format's panels. A ticket edited by hand, or left from another build,
would have the printer cut or fold to sizes the file does not have."""

import re
from pathlib import Path

from printkit.checks.document import CheckedPdf
from printkit.errors import Finding, PrintkitError
from printkit.messages import messages_for
from printkit.products.paper import ROLL_OUTSIDE, Size
from printkit.programme.model import Programme
from printkit.units import pt_to_mm

TICKET = "ticket.txt"
TOLERANCE = {"mm": 0.5, "in": 0.02}  # a size stated to the unit's usual precision, not a different size
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
# A paper's weight, or a range of weights (« 70 à 80 g/m² », "70-80 gsm"): each end is read.
_WEIGHT = re.compile(r"(\d+(?:[.,]\d+)?)(?:\s*(?:à|to|-|–)\s*(\d+(?:[.,]\d+)?))?\s*(?:g\b|g/m|gsm)")


def ticket_findings(checked: CheckedPdf, path: Path, programme: Programme) -> list[Finding]:
    """The size rows of the ticket beside a packed PDF that the file's geometry contradicts; nothing
    for a file without a ticket (output/), or of a kind or format printkit does not know."""
    ticket = path.parent / TICKET
    # A file printed as it is or shown on screen (the circulaire's accessible copy) has no ticket of its
    # own: the one beside it is its print file's.
    if not ticket.is_file() or checked.product is None or not checked.product.trimmed:
        return []
    try:
        finished = checked.product.format_named(checked.subject.format)
    except PrintkitError:
        return []
    from printkit.pipeline.pack import LABEL_WIDTH, size_rows  # here: the pack imports the checks

    trim, bleed = _geometry(checked, finished)
    stated, messages = _rows(ticket.read_text(), LABEL_WIDTH), messages_for(programme.campaign)
    return [Finding(checked.name, 0, "error", f"{TICKET}: « {label} » says « {stated.get(label, '')} », but the "
                                              f"file's TrimBox and format give « {value} »")
            for label, value in size_rows(finished, trim, bleed, messages)
            if not _same_sizes(stated.get(label, ""), value, trim.unit)] + _panel_findings(checked, finished, trim) \
        + _quantity_findings(checked, stated, messages) + _paper_findings(checked, stated, messages) \
        + _deadline_findings(checked, stated, programme, messages)


def _deadline_findings(checked: CheckedPdf, stated: dict[str, str], programme: Programme, messages) -> list[Finding]:
    """A ticket that does not give the date the law sets the kind (a campaign poster: up by the Thursday
    before the first round, R26): the team would post, or the printer deliver, too late."""
    deadline = checked.product.deadline(programme, messages)
    said = stated.get(messages("ticket.delivery"), "")
    if deadline is None or " ".join(said.split()) == " ".join(deadline.split()):
        return []
    return [Finding(checked.name, 0, "error", f"{TICKET}: « {messages('ticket.delivery')} » says « {said} », not the "
                                              f"date the law sets: « {deadline} »")]


def _paper_findings(checked: CheckedPdf, stated: dict[str, str], messages) -> list[Finding]:
    """A ticket whose paper is not of a weight the law allows the kind (a ballot: R30): the printer runs
    what the ticket says, and the commission refuses, or the count voids, what it did not allow."""
    allowed = checked.product.paper_weights
    paper = stated.get(messages("ticket.paper"), "")
    weights = [float(w.replace(",", ".")) for match in _WEIGHT.findall(paper) for w in match if w]
    if allowed is None or weights and all(allowed[0] <= w <= allowed[1] for w in weights):
        return []
    return [Finding(checked.name, 0, "error", f"{TICKET}: the paper « {paper} » is not of {allowed[0]} to "
                                              f"{allowed[1]} g/m², the weight a {checked.subject.kind} must have "
                                              "(Code électoral R30); set it in campaign.yaml's printing.stock")]


def _quantity_findings(checked: CheckedPdf, stated: dict[str, str], messages) -> list[Finding]:
    """A ticket that leaves the quantity to be confirmed: the printer can neither quote nor print the job."""
    if stated.get(messages("ticket.quantity")) != messages("ticket.quantity_unknown"):
        return []
    return [Finding(checked.name, 0, "warning", f"{TICKET}: no quantity; give it in campaign.yaml (quantities:) and "
                                                "pack again before sending: the printer can neither quote nor print")]


def _geometry(checked: CheckedPdf, finished) -> tuple[Size, str]:
    """The first page's trim, in the format's unit, and its bleed in mm, as the ticket states them."""
    page = checked.pdf.pages[0].obj
    trim = [float(v) for v in page.TrimBox]
    bleed = [float(v) for v in page.get("/BleedBox", page.TrimBox)]
    unit = finished.size.unit if finished.size else "mm"
    return Size("", pt_to_mm(trim[2] - trim[0]), pt_to_mm(trim[3] - trim[1]), unit), f"{pt_to_mm(trim[0] - bleed[0]):g}"


def _rows(text: str, width: int) -> dict[str, str]:
    """A ticket's rows: each label (padded to ``width``) and its value."""
    return {line[:width].strip(): line[width:].strip() for line in text.splitlines() if len(line) > width}


def _same_sizes(stated: str, expected: str, unit: str) -> bool:
    """Whether two wordings state the same numbers, each to within the unit's precision."""
    ours, theirs = _numbers(stated), _numbers(expected)
    return len(ours) == len(theirs) and all(abs(a - b) <= TOLERANCE[unit] for a, b in zip(ours, theirs))


def _numbers(text: str) -> list[float]:
    return [float(number.replace(",", ".")) for number in _NUMBER.findall(text)]


def _panel_findings(checked: CheckedPdf, finished, trim: Size) -> list[Finding]:
    """A roll fold's panels that do not add up to the trim's width: the folds would fall elsewhere."""
    across = sum(finished.panels[i] for i in ROLL_OUTSIDE) if finished.panels else trim.width
    if abs(across - trim.width) <= TOLERANCE["mm"]:
        return []
    return [Finding(checked.name, 0, "error", f"the {finished.name} panels add up to {across:g} mm, but the "
                                              f"TrimBox is {trim.width:.1f} mm wide: the folds would not fall "
                                              "where the ticket says")]
