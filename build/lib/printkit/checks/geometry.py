"""The page boxes a printer trims by: TrimBox and BleedBox on every page, the bleed as
campaign.yaml asks (none on a letter, printed on an office sheet as it is), the size the file's format or copy-shop sheet has in the paper data, and
the page count a product needs (a booklet's in multiples of 4)."""

from printkit.checks.document import CheckedPdf
from printkit.errors import Finding
from printkit.products.paper import Size
from printkit.programme.model import Programme
from printkit.units import pt_to_mm

SIZE_TOLERANCE_MM = 0.1  # points rounded in the boxes, not a wrong size


def geometry_findings(checked: CheckedPdf, programme: Programme) -> list[Finding]:
    """Missing boxes and a wrong bleed on each page (imposed sheets need no bleed box); a page not
    the size its format or sheet has in the paper data; the page count its product needs (a
    saddle-stitched booklet: a multiple of 4)."""
    imposed, count = checked.subject.sheet, len(checked.pdf.pages)
    size = _expected_size(checked)
    bleed = programme.campaign.printing.bleed_mm if checked.product is None or checked.product.trimmed else 0
    findings = []
    for number, page in enumerate(checked.pdf.pages, 1):
        problems = _box_problems(page.obj, imposed, bleed)
        problems += _size_problems(page.obj, size, imposed) if size and not problems else []
        findings += [Finding(checked.name, number, "error", what) for what in problems]
    multiple = checked.product.page_multiple if checked.product else 1
    if not imposed and count % multiple:
        findings.append(Finding(checked.name, 0, "error", f"{count} pages: a saddle-stitched {checked.subject.kind} "
                                                          f"needs a multiple of {multiple}"))
    return findings


def _expected_size(checked: CheckedPdf) -> Size | None:
    """The size the paper data gives the file: its copy-shop sheet's, or its format's."""
    if checked.product is None:
        return None
    if checked.subject.sheet:
        return checked.product.sheet_named(checked.subject.sheet).size
    return checked.product.format_named(checked.subject.format).size


def _box_problems(page, imposed: bool, bleed: float) -> list[str]:
    if "/TrimBox" not in page or "/BleedBox" not in page and not imposed:
        return ["no TrimBox or no BleedBox"]
    if imposed:
        return []
    given = pt_to_mm(float(page.TrimBox[0]) - float(page.BleedBox[0]))
    return [f"bleed is {given:.1f} mm, not the {bleed:g} mm asked"] if abs(given - bleed) > 0.05 else []


def _size_problems(page, size: Size, imposed: bool) -> list[str]:
    """A sheet's media box is the sheet, either way up; a piece's trim box is its format's size (a
    piece without one has its own finding)."""
    if not imposed and "/TrimBox" not in page:
        return []
    box = [float(v) for v in (page.MediaBox if imposed else page.TrimBox)]
    found = (pt_to_mm(box[2] - box[0]), pt_to_mm(box[3] - box[1]))
    expected = (size.width, size.height)
    if imposed:
        found, expected = sorted(found), sorted(expected)
    if all(abs(f - e) <= SIZE_TOLERANCE_MM for f, e in zip(found, expected)):
        return []
    return [f"the page is {found[0]:.1f} × {found[1]:.1f} mm, not {size.name} ({size.label})"]
