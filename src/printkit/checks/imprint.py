"""The legal imprint inside the trim: « Ne pas jeter sur la voie publique » and the printer's
name and address, or, while campaign.yaml names no printer, the proof mark."""

from printkit.checks.document import CheckedPdf
from printkit.checks.text import squeeze
from printkit.errors import Finding
from printkit.programme.model import Programme

PROOF_MARK = "ÉPREUVE"


def imprint_findings(checked: CheckedPdf, programme: Programme) -> list[Finding]:
    """Each part of the imprint the file's text lacks."""
    imprint = programme.campaign.imprint
    needed = {"no « Ne pas jeter sur la voie publique »": squeeze("Ne pas jeter sur la voie publique")}
    if imprint.complete:
        needed["the printer's name and address (legal imprint) are missing"] = squeeze(imprint.printer_name)
    else:
        needed[f"no printer in campaign.yaml and no proof mark ({PROOF_MARK})"] = PROOF_MARK
    text = _text_until(checked, set(needed.values()))
    return [Finding(checked.name, 0, "error", what) for what, needle in needed.items() if needle not in text]


def _text_until(checked: CheckedPdf, needles: set[str]) -> str:
    """The text inside the trim of each distinct page, read until every needle has been seen
    (a merge of 1,000 letters shows its imprint in the first one)."""
    text = ""
    for index in checked.pages:
        text += _trimmed_text(checked.document[index])
        if all(needle in text for needle in needles):
            break
    return text


def _trimmed_text(page) -> str:
    """The text inside the trim box only (the build stamp in the bleed is cut off), without spaces."""
    left, bottom, right, top = page.get_trimbox()
    return squeeze(page.get_textpage().get_text_bounded(left, bottom, right, top))
