"""Data checks, before any rendering: what the loader warned of, a proof imprint, the French
electoral silence (L49), glyph coverage."""

import datetime
import hashlib
import json
import unicodedata
from functools import lru_cache
from itertools import combinations
from pathlib import Path

from printkit.errors import Finding, PrintkitError, Problem
from printkit.files import write_atomic
from printkit.messages import messages_for
from printkit.programme.model import Programme
from printkit.render.typography import RULES, typeset


def data_findings(programme: Programme, warnings: list[Problem], kept: Path | None = None) -> list[Finding]:
    """The loader's warnings, the proof warning and the colour measures, as findings; the colour
    findings are kept in ``kept`` (a build's output folder) while the colours and profile stay the same."""
    colours = colour_findings(programme) if kept is None else _kept_colour_findings(programme, kept)
    findings = [Finding(str(w.where), 0, "warning", w.message) for w in warnings] + proof_findings(programme)
    return findings + silence_findings(programme, datetime.date.today()) + colours


def _kept_colour_findings(programme: Programme, kept: Path) -> list[Finding]:
    """Measuring the colours through the profile takes longer than a build with nothing to do."""
    path = kept / ".printkit" / "colours.json"
    key = _colours_key(programme)
    try:
        entry = json.loads(path.read_text())
        if entry["key"] == key:
            return [Finding(**finding) for finding in entry["findings"]]
    except (OSError, ValueError, KeyError):
        pass
    findings = colour_findings(programme)
    write_atomic(path, json.dumps({"key": key, "findings": [f.as_dict() for f in findings]}).encode(), durable=False)
    return findings


def _colours_key(programme: Programme) -> str:
    profile = Path(programme.campaign.printing.icc_profile)
    stat = profile.stat() if profile.is_file() else None
    named = [("brand", programme.campaign.brand.cmyk)] + [(t.slug, t.colour.cmyk) for t in programme.themes]
    data = [named, str(profile), stat and (stat.st_size, stat.st_mtime_ns), _code_digest()]
    return hashlib.sha256(json.dumps(data).encode()).hexdigest()


def _code_digest() -> str:
    # printcolour's file read, not imported: its colour library takes longer to import than a
    # build with nothing to do
    printcolour = Path(__file__).resolve().parent.parent / "prepress" / "printcolour.py"
    return hashlib.sha256(Path(__file__).read_bytes() + printcolour.read_bytes()).hexdigest()


def proof_findings(programme: Programme) -> list[Finding]:
    """While the printer is unknown every document is a proof: a warning that --strict makes an error."""
    if programme.campaign.imprint.complete:
        return []
    mark = messages_for(programme.campaign)("imprint.proof_mark")
    return [Finding("campaign.yaml", 0, "warning",
                    f"imprint: no printer's name and address yet, so every document is marked {mark} (proof)")]


def silence_findings(programme: Programme, today: datetime.date) -> list[Finding]:
    """France, Code électoral L49: nothing may be handed out from midnight the day before a round until
    its polls close, so files built, checked or packed ``today`` in that window wait for the round's end."""
    if programme.campaign.jurisdiction != "fr":
        return []
    return [Finding("campaign.yaml", 0, "warning",
                    f"rounds: today ({today}) falls in the electoral silence of the round of {day}: from "
                    f"{day - datetime.timedelta(days=1)} 0:00 until the polls close, no document may be "
                    "distributed (Code électoral L49)")
            for day in programme.campaign.rounds if day - datetime.timedelta(days=1) <= today <= day]


def colour_findings(programme: Programme) -> list[Finding]:
    """White text too faint on a theme or brand colour, and theme colours too alike, as printed with the profile."""
    profile = programme.campaign.printing.icc_profile
    named = [("brand", programme.campaign.brand)] + [(theme.slug, theme.colour) for theme in programme.themes]
    try:
        findings = [_contrast_finding(name, colour, profile) for name, colour in named]
        # The brand colour codes the whole programme (its card): it must stand apart from the themes too.
        findings += [_distance_finding(a, b, profile) for a, b in combinations(named, 2)]
    except PrintkitError as error:  # only PDF/X output needs the profile: without it, say what was not checked
        return [Finding("campaign.yaml", 0, "warning", f"colours not measured: {error}")]
    return [finding for finding in findings if finding]


def _contrast_finding(name: str, colour, profile: str) -> Finding | None:
    from printkit.prepress.printcolour import MIN_CONTRAST, contrast_with_white

    ratio = contrast_with_white(colour, profile)
    if ratio >= MIN_CONTRAST:
        return None
    return Finding("campaign.yaml", 0, "warning", f"colours: white text on {name} {_inks(colour)} reaches "
                                                   f"{ratio:.2f}:1 as printed ({Path(profile).name}), "
                                                   f"below {MIN_CONTRAST}:1")


def _inks(colour) -> str:
    return "[{:g}, {:g}, {:g}, {:g}]".format(*colour.cmyk)


def _distance_finding(first: tuple, second: tuple, profile: str) -> Finding | None:
    from printkit.prepress.printcolour import MIN_DELTA_E, delta_e

    (first_name, first_colour), (second_name, second_colour) = first, second
    distance = delta_e(first_colour, second_colour, profile)
    if distance >= MIN_DELTA_E:
        return None
    return Finding("campaign.yaml", 0, "warning", f"colours: {first_name} and {second_name} differ by ΔE2000 "
                                                   f"{distance:.1f} as printed ({Path(profile).name}), "
                                                   f"below {MIN_DELTA_E}: their chips read alike")


def coverage_findings(programme: Programme, fonts: Path) -> list[Finding]:
    """Programme characters that the bundled text face cannot draw, found before any rendering."""
    covered = _covered_characters(tuple(sorted(fonts.glob("Inter-*.otf"))))
    findings = []
    for where, value in _texts(programme):
        missing = sorted({c for c in _printed(value) if _drawn(c) and ord(c) not in covered})
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
    yield "campaign.yaml", " ".join((campaign.name, campaign.city, campaign.election, *vars(campaign.imprint).values()))
    yield "programme.yaml", " ".join((programme.title, *programme.introduction, *programme.guarantees))
    for theme in programme.themes:
        yield f"theme {theme.slug}", f"{theme.label} {theme.name} {theme.figure} {theme.figure_label}"
    for section in programme.sections:
        yield f"section « {section.title[:30]} »", section.title
    for measure in programme.measures:
        yield f"measure {measure.number}", " ".join((measure.title, *measure.details))


def _printed(text: str) -> str:
    """A text as any locale's typography may print it, so that every space and quote it adds is looked for."""
    return "".join(str(typeset(text, locale)) for locale in RULES)


def uncovered_characters(text: str, fonts: Path) -> list[str]:
    """The characters of a text, once typeset, that the bundled text face cannot draw, in order."""
    covered = _covered_characters(tuple(sorted(fonts.glob("Inter-*.otf"))))
    return list(dict.fromkeys(c for c in _printed(text) if _drawn(c) and ord(c) not in covered))


def _drawn(character: str) -> bool:
    """Whether a character needs a glyph: not a space, nor a format character, which draws nothing
    (the word joiner the typography sets after a name's hyphen)."""
    return not character.isspace() and unicodedata.category(character) != "Cf"
