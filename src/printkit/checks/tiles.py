"""A poster's tiles as the person gluing them reads them: every part of the poster (its bleed
included) on some sheet, at its size, and each tile overlapping its neighbours by the margin the
slug line promises, so that a cut that strays still leaves paper to glue. Read from the sheets'
own drawing: the matrix and the clip each sheet draws the poster through (prepress/impose.py)."""

import pikepdf

from printkit.checks.document import CheckedPdf
from printkit.errors import Finding
from printkit.prepress.impose import OVERLAP
from printkit.units import mm_to_pt, pt_to_mm

STEP = mm_to_pt(5)  # the poster is sampled this often: no strip of it narrower goes unseen
TOLERANCE = 0.5  # pt: a coordinate written to three decimals


def tile_findings(checked: CheckedPdf) -> list[Finding]:
    """Part of the poster on no tile, a tile not at the poster's size, a seam without its overlap."""
    if not checked.tiled:
        return []
    placed = [_placement(page) for page in checked.pdf.pages]
    clips = [clip for scale, clip, _ in placed if clip]
    problems = [f"sheet {n} draws the poster at {scale * 100:.0f} %, not 100 %: the tiles would not meet"
                for n, (scale, clip, _) in enumerate(placed, 1) if clip and abs(scale - 1) > 0.001]
    box = next((bbox for _, _, bbox in placed if bbox), None)
    problems += _gaps(clips, box) if box else []
    return [Finding(checked.name, 0, "error", problem) for problem in problems]


def _placement(page: pikepdf.Page) -> tuple[float, tuple | None, tuple | None]:
    """The scale, the clip (in the poster's coordinates) and the poster's box of the one form a tile draws."""
    matrix, clip = None, None
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "cm" and matrix is None:
            matrix = [float(v) for v in operands]
        elif str(operator) == "re" and matrix is not None and clip is None:
            x, y, w, h = (float(v) for v in operands)
            clip = (x, y, x + w, y + h)
        elif str(operator) == "Do" and clip is not None:
            form = page.obj.Resources.XObject[str(operands[0])]
            return matrix[0], clip, tuple(float(v) for v in form.BBox)
    return 1.0, None, None


def _gaps(clips: list[tuple], box: tuple) -> list[str]:
    """The poster's points on no tile, and the seams where a neighbour repeats less than OVERLAP."""
    x0, y0, x1, y1 = box
    missed = [(x, y) for x in _steps(x0, x1) for y in _steps(y0, y1) if not _shown(clips, x, y)]
    problems = []
    if missed:
        x, y = missed[0]
        problems.append(f"{len(missed)} points of the poster are on no tile (the first {pt_to_mm(x - x0):.0f} mm "
                        f"from its left, {pt_to_mm(y1 - y):.0f} mm from its top): the assembled poster has a hole")
    short = sum(1 for clip in clips for point in _seam_points(clip, box) if not _shown(clips, *point, other=clip))
    if short and not missed:
        problems.append(f"tiles overlap by less than {pt_to_mm(OVERLAP):g} mm at {short} seams: no paper left "
                        "to glue them, and a cut that strays leaves a white line")
    return problems


def _steps(start: float, end: float) -> list[float]:
    count = max(1, int((end - start) // STEP))
    return [start + (end - start) * (i + 0.5) / count for i in range(count)]


def _shown(clips: list[tuple], x: float, y: float, other: tuple | None = None) -> bool:
    """Whether a clip (other than ``other``) shows the point."""
    return any(c is not other and c[0] - TOLERANCE <= x <= c[2] + TOLERANCE and c[1] - TOLERANCE <= y <= c[3] + TOLERANCE
               for c in clips)


def _seam_points(clip: tuple, box: tuple) -> list[tuple[float, float]]:
    """Points OVERLAP inside each of a tile's inner edges, at its middle: a neighbour must show them too."""
    x0, y0, x1, y1 = clip
    middle = ((x0 + x1) / 2, (y0 + y1) / 2)
    inset = OVERLAP - TOLERANCE * 2
    points = []
    if x0 > box[0] + TOLERANCE:
        points.append((x0 + inset, middle[1]))
    if x1 < box[2] - TOLERANCE:
        points.append((x1 - inset, middle[1]))
    if y0 > box[1] + TOLERANCE:
        points.append((middle[0], y0 + inset))
    if y1 < box[3] - TOLERANCE:
        points.append((middle[0], y1 - inset))
    return points
