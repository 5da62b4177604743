"""Layout-time checks, on the boxes WeasyPrint laid out before any PDF is written: text or a
QR code outside the safe zone, text below the minimum size, small text in several inks or in
a tint, reversed text too small or too light."""

from printkit.errors import Finding
from printkit.units import MIN_REVERSED_PT, MIN_TEXT_PT, MM_PER_PX, ONE_INK_BELOW_PT, PX_PER_PT

# The proof banner's margin box, never on a final file: the top centre's, and a leaflet's page or
# panel's foot's (common/proof.css), whose head is the running head's.
PROOF_MARGIN_BOXES = {"": "@top-center", **dict.fromkeys(("trifold", "leaflet", "leaflet-cover", "leaflet-back"), "@bottom-center")}
BOLD = 700
TOLERANCE = 0.5  # past the safe zone, in the boxes' units: rounding, not a defect
# An ink at this or more prints solid; below, the plate screens it into dots, and small type loses its edges.
SOLID = 0.995

boxes = None  # render/weasy.py, imported by layout_findings: `printkit check` alone needs no WeasyPrint


def layout_findings(document, name: str, safe_mm: float) -> list[Finding]:
    """Text or QR codes outside the safe zone, or set below the minimum size, from the real boxes of
    a WeasyPrint document."""
    global boxes
    from printkit.render import weasy as boxes
    findings = []
    for number, page in enumerate(document.pages, 1):
        safe = _safe_rect(page, safe_mm / MM_PER_PX)
        page_box = boxes.page_box(page)
        proof = PROOF_MARGIN_BOXES.get(page_box.page_type.name, PROOF_MARGIN_BOXES[""])
        for box, measure in _content_boxes(page_box, None, proof):
            findings += _box_findings(box, measure, safe, name, number)
    return sorted(set(findings))


def _safe_rect(page, safe: float) -> tuple[float, float, float, float]:
    """The trim less ``safe`` on each side, in the boxes' units (CSS px): a page's boxes are laid
    out from its trim's top left corner, its bleed outside it, at negative or past-width places."""
    return safe, safe, page.width - safe, page.height - safe


def _content_boxes(box, measure, proof: str):
    element = getattr(box, "element", None)
    if isinstance(box, boxes.MarginBox) and box.at_keyword == proof:
        return
    if element is not None and (element.get("id") or "").startswith("mesure-"):
        measure = element.get("id").removeprefix("mesure-")
    if isinstance(box, (boxes.TextBox, boxes.ReplacedBox)):
        yield box, measure
    for child in getattr(box, "children", ()):
        yield from _content_boxes(child, measure, proof)


def _box_findings(box, measure: str | None, safe: tuple, name: str, page: int) -> list[Finding]:
    x, y = box.border_box_x(), box.border_box_y()
    right, bottom = x + box.border_width(), y + box.border_height()
    what = f"measure {measure}" if measure else _describe(box)
    findings = []
    if x < safe[0] - TOLERANCE or y < safe[1] - TOLERANCE or right > safe[2] + TOLERANCE or bottom > safe[3] + TOLERANCE:
        findings.append(Finding(name, page, "error", f"{what} runs outside the safe zone "
                                                     f"({_distance(x, y, right, bottom, safe):.1f} mm past it)"))
    size_pt = box.style["font_size"] / PX_PER_PT
    if isinstance(box, boxes.TextBox) and box.text.strip() and size_pt < MIN_TEXT_PT - 0.01:
        findings.append(Finding(name, page, "error", f"{what} is set at {size_pt:.1f} pt, below {MIN_TEXT_PT} pt"))
    if isinstance(box, boxes.TextBox) and box.text.strip():
        findings += _ink_findings(box.style, what, size_pt, name, page, any(c.isalnum() for c in box.text))
    return findings


def _ink_findings(style, what: str, size_pt: float, name: str, page: int, letters: bool) -> list[Finding]:
    """Small glyphs in more than one ink or in a tint of one (a square or a dash too: a press
    misregisters it as it does a letter, and a preflight reports it), and reversed letters too
    small or too light.
    RGB text is left to the document checks (RGB black, RGB in PDF/X-1a)."""
    colour = style["color"]
    white = tuple(colour.coordinates) == ((0, 0, 0, 0) if colour.space == "device-cmyk" else (1, 1, 1))
    inks = [ink for ink in colour.coordinates if ink > 0] if colour.space == "device-cmyk" else []
    if size_pt < ONE_INK_BELOW_PT and len(inks) > 1:
        return [Finding(name, page, "error", f"{what}: {size_pt:.1f} pt text printed in {len(inks)} inks; "
                                             f"below {ONE_INK_BELOW_PT} pt, text takes one ink or black")]
    if size_pt < ONE_INK_BELOW_PT and inks and (inks[0] < SOLID or colour.alpha < 1):
        return [Finding(name, page, "error", f"{what}: {size_pt:.1f} pt text printed in a {_tint(inks[0], colour.alpha)} "
                                             f"tint; below {ONE_INK_BELOW_PT} pt, text takes one solid ink (100 %)")]
    if white and letters and (size_pt < MIN_REVERSED_PT - 0.01 or style["font_weight"] < BOLD):
        return [Finding(name, page, "error", f"{what}: reversed (white) text at {size_pt:.1f} pt, weight "
                                             f"{style['font_weight']}; it needs {MIN_REVERSED_PT} pt bold at least")]
    return []


def _tint(ink: float, alpha: float) -> str:
    return f"{ink * alpha * 100:.0f} %"


def _describe(box) -> str:
    if isinstance(box, boxes.TextBox):
        return f"text « {box.text.strip()[:40]} »"
    return "a QR code" if "qr" in (box.element.get("class") or "") else "an image"


def _distance(x: float, y: float, right: float, bottom: float, safe: tuple) -> float:
    return max(safe[0] - x, safe[1] - y, right - safe[2], bottom - safe[3]) * MM_PER_PX
