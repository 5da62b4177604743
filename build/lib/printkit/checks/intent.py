"""The printing condition a PDF/X file is made for: its output intent. printkit's free default is
Ghostscript's generic CMYK profile, close to US SWOP, while a printer prints to its own
condition (a French sheet-fed press to FOGRA39 or FOGRA51): once a printer is named, a file
still on the generic profile is a warning, so that the coordinator asks for the printer's."""

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from printkit.checks.document import CheckedPdf
from printkit.errors import Finding
from printkit.programme.model import Programme
from printkit.programme.schema import DEFAULT_ICC

# What WeasyPrint names the condition of Ghostscript's default_cmyk.icc (its profile description):
# how the generic profile is known where Ghostscript's file is not installed.
GENERIC_CONDITION = "Artifex CMYK SWOP Profile"


@dataclass(frozen=True)
class Intent:
    """A file's output intent: the condition it names (OutputConditionIdentifier, or Info), and
    whether its profile is the generic default."""

    condition: str
    generic: bool


def output_intent(pdf: pikepdf.Pdf) -> Intent | None:
    """The PDF/X output intent of a file, None if it has none."""
    intent = next((i for i in pdf.Root.get("/OutputIntents", []) if i.get("/S") == "/GTS_PDFX"), None)
    if intent is None:
        return None
    condition = str(intent.get("/OutputConditionIdentifier") or intent.get("/Info") or "")
    profile = intent.get("/DestOutputProfile")
    digest = _digest(profile.read_bytes()) if isinstance(profile, pikepdf.Stream) else None
    return Intent(condition, digest == _default_digest() if _default_digest() else condition == GENERIC_CONDITION)


def generic_profile(path: str) -> bool:
    """Whether a profile file (campaign.yaml's printing.icc_profile) is the generic default."""
    profile = Path(path)
    return profile == Path(DEFAULT_ICC) or profile.is_file() and _digest(profile.read_bytes()) == _default_digest()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@functools.cache
def _default_digest() -> str | None:
    path = Path(DEFAULT_ICC)
    return _digest(path.read_bytes()) if path.is_file() else None


def intent_findings(checked: CheckedPdf, programme: Programme) -> list[Finding]:
    """A file on the generic profile once campaign.yaml names a printer: a warning, as the file is
    right for some press, just perhaps not this printer's."""
    intent = output_intent(checked.pdf)
    if intent is None or not intent.generic or not programme.campaign.imprint.complete:
        return []
    return [Finding(checked.name, 0, "warning", f"output intent « {intent.condition} » is Ghostscript's generic "
                                                f"CMYK profile ({Path(DEFAULT_ICC).name}, close to US SWOP), not "
                                                f"{programme.campaign.imprint.printer_name}'s: ask the printer for its "
                                                "profile (a French sheet-fed press prints to FOGRA39 or FOGRA51) and "
                                                "set printing.icc_profile in campaign.yaml")]
