"""Holes where the eye sees them: the largest empty band anywhere in each page's, or each
tri-fold panel's, live area (the trim less the safe margin), measured on the rendered page.

A band is a run of pixel rows in which the live area's row is one flat colour: white, or a
flat background, reads as empty to a reader whatever the boxes underneath say. The
copy-fitting keeps its own measure of the blank at a page's end (render/whitespace.py),
which chooses the layouts; this one only judges them.
"""

from dataclasses import dataclass

from PIL import Image

from printkit.checks.document import RENDER_DPI, CheckedPdf, to_pixels
from printkit.errors import Finding
from printkit.products.paper import ROLL_INSIDE, ROLL_OUTSIDE
from printkit.units import MM_PER_INCH, mm_to_pt, pt_to_mm

MAX_BAND = 0.20  # of the live height: the most a page or panel may leave empty in one band
MAX_COVER_BAND = 0.30  # a front cover may breathe more
REDUCE = 5  # the 300 dpi rendering read at 60 dpi: rows of 0.42 mm, finer than any line of text
FLAT = 6  # the luminance levels (0-255) a row may span and still read as one flat colour
# The products whose layouts mark their first page (a tri-fold: its first panel) ``page-cover``.
FRONT_COVERED = ("booklet", "card")
PANEL_NAMES = ("cover", "inside", "inside", "inside", "flap", "back")  # by reading order (leaflet.html)


@dataclass(frozen=True)
class Region:
    """A page's, or a panel's, live area on a written page, in the page's points."""

    label: str  # "" for a whole page; "panel 1 (cover)" for a tri-fold's panel
    rect: tuple[float, float, float, float]  # x0 y0 x1 y1
    cover: bool  # a front cover


def live_regions(checked: CheckedPdf, index: int, safe_mm: float) -> list[Region]:
    """The live areas of a written page to look for holes in: none on an imposed copy-shop sheet, a
    letter (which ends where its text ends) or a ballot (a list, not prose: Product.read_as_prose), a
    tri-fold's three panels on each side, else the page."""
    if checked.subject.sheet or checked.product is None or not checked.product.read_as_prose:
        return []
    trim, safe = checked.document[index].get_trimbox(), mm_to_pt(safe_mm)
    panels = checked.product.format_named(checked.subject.format).panels
    if panels and index < 2:
        return _panels(trim, panels, (ROLL_OUTSIDE, ROLL_INSIDE)[index], safe)
    cover = index == 0 and checked.subject.kind in FRONT_COVERED
    return [Region("", _inset(trim, safe), cover)]


def _panels(trim: tuple, panels: tuple[float, ...], order: tuple[int, ...], safe: float) -> list[Region]:
    """A side's panels from the left (as the imposition places them), named by their reading order."""
    regions, left = [], trim[0]
    for panel in order:
        right = left + mm_to_pt(panels[panel])
        label = f"panel {panel + 1} ({PANEL_NAMES[panel]})"
        regions.append(Region(label, _inset((left, trim[1], right, trim[3]), safe), panel == 0))
        left = right
    return regions


def _inset(rect: tuple, by: float) -> tuple[float, float, float, float]:
    return rect[0] + by, rect[1] + by, rect[2] - by, rect[3] - by


def largest_band(page, image: Image.Image, rect: tuple) -> list[float]:
    """The largest empty band of a live area on the page rendered at RENDER_DPI: where it starts and
    ends, in mm from the top of the trim, and the live area's height."""
    (x0, y0), (x1, y1) = to_pixels(page, rect[0], rect[3]), to_pixels(page, rect[2], rect[1])
    live = image.crop((x0, y0, x1, y1)).reduce(REDUCE)
    start, length = _longest_run(_flat_rows(live))
    row_mm, top = MM_PER_INCH * REDUCE / RENDER_DPI, pt_to_mm(page.get_trimbox()[3] - rect[3])
    height = pt_to_mm(rect[3] - rect[1])
    return [round(top + start * row_mm, 1), round(top + min(height, (start + length) * row_mm), 1), round(height, 1)]


def _flat_rows(image: Image.Image) -> list[bool]:
    """For each row of a grey image, whether it is one flat tone: its bytes read a row at a time
    (a crop per row took a booklet's check a second and a half)."""
    data, width = image.tobytes(), image.width
    return [max(row) - min(row) <= FLAT for row in (data[start:start + width] for start in range(0, len(data), width))]


def _longest_run(flags: list[bool]) -> tuple[int, int]:
    """Where the longest run of true flags starts, and its length (the first of equals)."""
    best, start = (0, 0), None
    for index, flag in enumerate(flags + [False]):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            best, start = max(best, (start, index - start), key=lambda run: run[1]), None
    return best


def hole_findings(name: str, page: int, regions: list[Region], bands: list[list[float]]) -> list[Finding]:
    """A warning for each page or panel whose largest empty band is more than MAX_BAND of its live
    height (MAX_COVER_BAND on a front cover), saying where the band lies."""
    findings = []
    for region, (top, bottom, height) in zip(regions, bands):
        share, limit = (bottom - top) / height, MAX_COVER_BAND if region.cover else MAX_BAND
        if share > limit:
            findings.append(Finding(name, page, "warning", _hole(region, share, top, bottom, limit)))
    return findings


def _hole(region: Region, share: float, top: float, bottom: float, limit: float) -> str:
    where = f"{region.label}: " if region.label else ""
    cover = " on a front cover" if region.cover else ""
    return (f"{where}an empty band of {share:.1%} of the live height, from {top:.0f} to {bottom:.0f} mm below "
            f"the top of the trim (at most {limit:.0%}{cover}): fill it or tighten the layout")
