"""The page boxes a printer trims by: TrimBox and BleedBox on every page, the bleed as
campaign.yaml asks, and the page count a product needs (a booklet's in multiples of 4)."""

from printkit.checks.document import CheckedPdf
from printkit.errors import Finding
from printkit.programme.model import Programme
from printkit.units import pt_to_mm


def geometry_findings(checked: CheckedPdf, programme: Programme) -> list[Finding]:
    """Missing boxes and a wrong bleed on each page (imposed sheets need no bleed box); the page count
    its product needs (a saddle-stitched booklet: a multiple of 4)."""
    imposed, count = checked.subject.sheet, len(checked.pdf.pages)
    findings = []
    for number, page in enumerate(checked.pdf.pages, 1):
        findings += [Finding(checked.name, number, "error", what)
                     for what in _box_problems(page.obj, imposed, programme.campaign.printing.bleed_mm)]
    multiple = checked.product.page_multiple if checked.product else 1
    if not imposed and count % multiple:
        findings.append(Finding(checked.name, 0, "error", f"{count} pages: a saddle-stitched {checked.subject.kind} "
                                                          f"needs a multiple of {multiple}"))
    return findings


def _box_problems(page, imposed: bool, bleed: float) -> list[str]:
    if "/TrimBox" not in page or "/BleedBox" not in page and not imposed:
        return ["no TrimBox or no BleedBox"]
    if imposed:
        return []
    given = pt_to_mm(float(page.TrimBox[0]) - float(page.BleedBox[0]))
    return [f"bleed is {given:.1f} mm, not the {bleed:g} mm asked"] if abs(given - bleed) > 0.05 else []
