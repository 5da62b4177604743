"""The circulaire as the commission de propagande reads it before mailing it (Code électoral R29,
R27; docs/official.md): one sheet of at most 210 × 297 mm, and on it, as on the posters, no blue
beside a red that would make the national colours with the paper's white. The imprint is the
imprint check's, as on every piece."""

import pikepdf

from printkit.checks.document import CheckedPdf
from printkit.errors import Finding
from printkit.products.paper import A4
from printkit.programme.loader import BLUE_HUES, RED_HUES
from printkit.programme.model import Colour
from printkit.units import pt_to_mm

TOLERANCE_MM = 0.5
VIVID = 0.35  # the saturation above which a colour reads as a colour, as the loader's R27 warning has it
R27_KINDS = ("circular", "poster", "meeting-poster")  # « affiches et circulaires »


def circular_findings(checked: CheckedPdf) -> list[Finding]:
    """R29's one sheet and size on a circulaire, R27's colours on it and on the posters."""
    if checked.subject.sheet or checked.subject.kind not in R27_KINDS:
        return []
    problems = _tricolour_problems(checked)
    if checked.subject.kind == "circular":
        problems = _sheet_problems(checked) + problems
    return [Finding(checked.name, 0, "error", problem) for problem in problems]


def _sheet_problems(checked: CheckedPdf) -> list[str]:
    """More than two sides, or a page larger than 210 × 297 mm either way."""
    problems = []
    if len(checked.pdf.pages) > 2:
        problems.append(f"the circulaire has {len(checked.pdf.pages)} pages: it is one sheet, two sides at most "
                        "(Code électoral R29)")
    for number, page in enumerate(checked.pdf.pages, 1):
        left, bottom, right, top = (float(v) for v in page.TrimBox)
        width, height = sorted((pt_to_mm(right - left), pt_to_mm(top - bottom)))
        if width > A4.width + TOLERANCE_MM or height > A4.height + TOLERANCE_MM:
            problems.append(f"page {number} of the circulaire is {width:.0f} × {height:.0f} mm: R29 allows "
                            f"{A4.label} at most (Code électoral R29)")
    return problems


def _tricolour_problems(checked: CheckedPdf) -> list[str]:
    """A vivid blue and a vivid red painted on the same piece: with the paper's white, the national colours."""
    colours = set()
    for page in checked.pdf.pages:
        colours |= _painted(page.obj, set())
    vivid = [c for c in colours if c.saturation > VIVID]
    blue = any(BLUE_HUES[0] <= c.hue <= BLUE_HUES[1] for c in vivid)
    red = any(c.hue >= RED_HUES[0] or c.hue <= RED_HUES[1] for c in vivid)
    if not (blue and red):
        return []
    return [f"the {checked.subject.kind} paints a blue and a red: with the paper's white, the national colours, "
            "which R27 forbids on posters and circulaires (Code électoral R27)"]


def _painted(owner, visited: set) -> set[Colour]:
    """The CMYK and RGB colours a page or form paints with, as Colour (percentages)."""
    found = set()
    for operands, _ in pikepdf.parse_content_stream(owner, "rg RG k K sc scn SC SCN"):
        values = [float(v) for v in operands if not isinstance(v, pikepdf.Name)]
        if len(values) == 4:
            found.add(Colour(*(100 * v for v in values)))
        elif len(values) == 3:  # RGB, as the CMYK that renders it naively
            k = 1 - max(values)
            found.add(Colour(*(100 * (1 - v - k) / (1 - k) if k < 1 else 0 for v in values), 100 * k))
    for xobject in owner.get("/Resources", {}).get("/XObject", {}).values():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in visited:
            visited.add(xobject.objgen)
            found |= _painted(xobject, visited)
    return found


def accessible_findings(checked: CheckedPdf) -> list[Finding]:
    """A screen copy its publisher would refuse or a screen reader could not read: over the site's size
    limit (the State's candidates' site: under 2 MB), untagged, or without its language or title."""
    if checked.product is None or checked.product.most_bytes is None:
        return []
    problems = _tag_problems(checked.pdf)
    most = checked.product.most_bytes
    if len(checked.data) > most:
        problems.append(f"the file is {len(checked.data) / 1e6:.1f} MB: the State's candidates' site takes a PDF "
                        f"under {most / 1e6:g} MB; lighten the head's photo or the logo")
    return [Finding(checked.name, 0, "error", problem) for problem in problems]


def _tag_problems(pdf: pikepdf.Pdf) -> list[str]:
    """What a screen reader needs of the file: its tags, its language, its title shown."""
    root = pdf.Root
    problems = [] if "/StructTreeRoot" in root else ["the accessible copy is not tagged (no structure tree)"]
    if not str(root.get("/Lang", "")):
        problems.append("the accessible copy states no language (/Lang)")
    if not str(pdf.docinfo.get("/Title", "")):
        problems.append("the accessible copy has no title")
    return problems
