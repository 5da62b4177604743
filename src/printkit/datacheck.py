"""Data checks, before any rendering: what the loader warned of, a proof imprint, glyph coverage."""

from functools import lru_cache
from pathlib import Path

from .errors import Finding, Problem
from .model import Programme
from .typography import french


def data_findings(programme: Programme, warnings: list[Problem]) -> list[Finding]:
    """The loader's warnings and the proof warning, as findings."""
    return [Finding(str(w.where), 0, "warning", w.message) for w in warnings] + proof_findings(programme)


def proof_findings(programme: Programme) -> list[Finding]:
    """While the printer is unknown every document is a proof: a warning that --strict makes an error."""
    if programme.campaign.imprint.complete:
        return []
    return [Finding("campaign.yaml", 0, "warning",
                    "imprint: no printer's name and address yet, so every document is marked ÉPREUVE (proof)")]


def coverage_findings(programme: Programme, fonts: Path) -> list[Finding]:
    """Programme characters that the bundled text face cannot draw, found before any rendering."""
    covered = _covered_characters(tuple(sorted(fonts.glob("Inter-*.otf"))))
    findings = []
    for where, value in _texts(programme):
        missing = sorted({c for c in str(french(value)) if not c.isspace() and ord(c) not in covered})
        if missing:
            shown = " ".join(f"{c} (U+{ord(c):04X})" for c in missing)
            findings.append(Finding("programme", 0, "error", f"{where}: no glyph in the bundled fonts for {shown}"))
    return findings


@lru_cache(maxsize=4)
def _covered_characters(paths: tuple[Path, ...]) -> frozenset[int]:
    if not paths:
        return frozenset()
    from fontTools.ttLib import TTFont  # here, not at the top: a build with nothing to render never needs it

    return frozenset.intersection(*(frozenset(TTFont(path).getBestCmap()) for path in paths))


def _texts(programme: Programme):
    campaign = programme.campaign
    yield "campaign.yaml", " ".join((campaign.name, campaign.city, campaign.election, campaign.imprint.printer_name,
                                     campaign.imprint.printer_address, campaign.imprint.publisher))
    yield "programme.yaml", " ".join((programme.title, *programme.introduction, *programme.guarantees))
    for theme in programme.themes:
        yield f"theme {theme.slug}", f"{theme.label} {theme.name}"
    for section in programme.sections:
        yield f"section « {section.title[:30]} »", section.title
    for measure in programme.measures:
        yield f"measure {measure.number}", " ".join((measure.title, *measure.details))


def uncovered_characters(text: str, fonts: Path) -> list[str]:
    """The characters of a text, once typeset in French, that the bundled text face cannot draw, in order."""
    covered = _covered_characters(tuple(sorted(fonts.glob("Inter-*.otf"))))
    return list(dict.fromkeys(c for c in str(french(text)) if not c.isspace() and ord(c) not in covered))
