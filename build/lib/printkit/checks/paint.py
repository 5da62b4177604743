"""What the content streams paint, followed with their graphics state and into form XObjects:
no line thinner than MIN_LINE_PT, stroked or drawn as a filled border, and no colour above
MAX_INK % total ink."""

import math

import pikepdf

from printkit.checks.document import CheckedPdf, where
from printkit.errors import Finding
from printkit.units import MAX_INK, MIN_LINE_PT

STROKES = {"S", "s", "B", "B*", "b", "b*"}
FILLS = {"f", "F", "f*", "B", "B*", "b", "b*"}
COLOURS = {"k", "K", "sc", "scn", "SC", "SCN"}


def paint_findings(checked: CheckedPdf) -> list[Finding]:
    """Thin lines and too much ink on each distinct page."""
    findings = set()
    for index in checked.pages:
        for problem in _paint_problems(checked.pdf.pages[index].obj, (1, 0, 0, 1, 0, 0)):
            findings.add(Finding(checked.name, index + 1, "error", problem))
    return sorted(findings)


def _paint_problems(owner, ctm: tuple):
    """Walk a content stream with its graphics state (q, Q, cm, w), forms included."""
    stack, width, rects, start = [], 1.0, [], (0.0, 0.0)
    xobjects = owner.get("/Resources", {}).get("/XObject", {})
    for operands, operator in pikepdf.parse_content_stream(owner):
        op = str(operator)
        if op == "q":
            stack.append((ctm, width))
        elif op == "Q" and stack:
            ctm, width = stack.pop()
        elif op == "cm":
            ctm = _multiply([float(v) for v in operands], ctm)
        elif op == "w":
            width = float(operands[0])
        elif op == "re":
            rects.append([float(v) for v in operands])
        elif op == "m":
            start = _apply(ctm, float(operands[0]), float(operands[1]))
        elif op in COLOURS:
            yield from _ink_problems(operands)
        elif op == "Do" and xobjects.get(str(operands[0]), {}).get("/Subtype") == "/Form":
            form = xobjects[str(operands[0])]
            yield from _paint_problems(form, _multiply([float(v) for v in form.get("/Matrix", [1, 0, 0, 1, 0, 0])], ctm))
        if op in STROKES and 0 <= width * _ctm_scale(ctm) < MIN_LINE_PT - 0.005:
            yield f"line {width * _ctm_scale(ctm):.2f} pt wide, below {MIN_LINE_PT} pt, {where(*start)}"
        if op in FILLS:
            yield from _thin_fills(rects, ctm)
        if op in STROKES | FILLS | {"n"}:
            rects = []


def _multiply(m: list[float], n: tuple) -> tuple:
    a, b, c, d, e, f = m
    return (a * n[0] + b * n[2], a * n[1] + b * n[3], c * n[0] + d * n[2], c * n[1] + d * n[3],
            e * n[0] + f * n[2] + n[4], e * n[1] + f * n[3] + n[5])


def _apply(ctm: tuple, x: float, y: float) -> tuple[float, float]:
    return x * ctm[0] + y * ctm[2] + ctm[4], x * ctm[1] + y * ctm[3] + ctm[5]


def _ctm_scale(ctm: tuple) -> float:
    return math.sqrt(abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]))


def _ink_problems(operands):
    values = [float(v) for v in operands if isinstance(v, (int, float)) or hasattr(v, "as_integer_ratio")]
    if len(values) == 4 and sum(values) * 100 > MAX_INK + 0.5:
        yield f"{sum(values) * 100:.0f} % total ink, above {MAX_INK} %"


def _thin_fills(rects: list[list[float]], ctm: tuple):
    """A filled rectangle, or the ring between two (how WeasyPrint draws a border), thinner than a line may be."""
    boxes = [(min(x, x + w), min(y, y + h), max(x, x + w), max(y, y + h)) for x, y, w, h in rects]
    if len(boxes) == 1:
        sides = [boxes[0][2] - boxes[0][0], boxes[0][3] - boxes[0][1]]
    elif len(boxes) == 2:
        outer, inner = sorted(boxes, key=lambda r: (r[2] - r[0]) * (r[3] - r[1]), reverse=True)
        sides = [inner[0] - outer[0], inner[1] - outer[1], outer[2] - inner[2], outer[3] - inner[3]]
    else:
        return
    thinnest = min((side for side in sides if side > 0.01), default=None)  # smaller: rounding, no border
    if thinnest is not None and thinnest * _ctm_scale(ctm) < MIN_LINE_PT - 0.005:
        yield f"line {thinnest * _ctm_scale(ctm):.2f} pt wide, below {MIN_LINE_PT} pt, " \
              f"{where(*_apply(ctm, boxes[0][0], boxes[0][1]))}"
