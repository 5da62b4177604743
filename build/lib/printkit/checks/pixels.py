"""What the rendered page shows at its edges: a bleed that stops short where the page is
inked at the trim, and ink too near an imposed sheet's edge."""

from PIL import Image

from printkit.checks.document import RENDER_DPI, WHITE, to_pixels
from printkit.units import MM_PER_INCH, SHEET_MARGIN_MM, mm_to_pt, pt_to_mm


def bleed_problems(page, image: Image.Image) -> list[str]:
    """Ink that reaches the trim must run on to the bleed's edge: compared on the rendered page."""
    trim, bleed = page.get_trimbox(), page.get_bleedbox()
    if min(trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3]) < mm_to_pt(1.5):
        return []  # no bleed to fill (an office printer's sheet), or the bleed-size rule reports it
    problems = []
    for edge, inside, outside, along_x in _bleed_strips(trim, bleed):
        pairs = zip(_white_share(page, image, inside, along_x), _white_share(page, image, outside, along_x))
        white = [mm for mm, (near, far) in enumerate(pairs) if near < 128 <= far]  # inked at the trim, bare at the edge
        if white:
            problems.append(f"{edge} edge: the bleed is white over {len(white)} mm where the page is inked at the "
                            f"trim (from {white[0]} to {white[-1] + 1} mm along the trim)")
    return problems


def _bleed_strips(trim, bleed):
    """For each edge: the strip just inside the trim and the strip at the bleed's outer edge."""
    left, bottom, right, top = trim
    outer_left, outer_bottom, outer_right, outer_top = bleed
    near, far = mm_to_pt(0.3), mm_to_pt(1)
    yield "bottom", (left, bottom + near, right, bottom + far), (left, outer_bottom + near, right, outer_bottom + far), True
    yield "top", (left, top - far, right, top - near), (left, outer_top - far, right, outer_top - near), True
    yield "left", (left + near, bottom, left + far, top), (outer_left + near, bottom, outer_left + far, top), False
    yield "right", (right - far, bottom, right - near, top), (outer_right - far, bottom, outer_right - near, top), False


def _white_share(page, image: Image.Image, rect: tuple[float, float, float, float], along_x: bool) -> list[int]:
    """How much of a strip of the page is bare paper (0 to 255), in 1 mm steps along it.

    A share rather than a mean luminance: thin dark marks on a bare bleed (a stamp, a
    hairline) must not pass for a printed background."""
    (x0, y0), (x1, y1) = to_pixels(page, rect[0], rect[3]), to_pixels(page, rect[2], rect[1])
    strip = image.crop((x0, y0, max(x1, x0 + 1), max(y1, y0 + 1))).point(lambda v: 255 if v >= WHITE else 0)
    length = (rect[2] - rect[0]) if along_x else (rect[3] - rect[1])
    steps = max(1, round(pt_to_mm(length)))
    reduced = strip.resize((steps, 1) if along_x else (1, steps), resample=Image.Resampling.BOX)
    return list(reduced.tobytes())


def sheet_edge_problems(image: Image.Image) -> list[str]:
    """Ink within SHEET_MARGIN_MM of an imposed sheet's edge, which office and copy-shop printers cannot print."""
    width, height = image.size
    band = round(SHEET_MARGIN_MM / MM_PER_INCH * RENDER_DPI)
    lines = {"left": lambda d: (d, 0, d + 1, height), "right": lambda d: (width - 1 - d, 0, width - d, height),
             "top": lambda d: (0, d, width, d + 1), "bottom": lambda d: (0, height - 1 - d, width, height - d)}
    problems = []
    for edge, line in lines.items():
        inked = next((d for d in range(band) if image.crop(line(d)).getextrema()[0] < WHITE), None)
        if inked is not None:
            problems.append(f"ink {inked / RENDER_DPI * MM_PER_INCH:.1f} mm from the sheet's {edge} edge: "
                            f"keep the outer {SHEET_MARGIN_MM} mm of a sheet free of ink")
    return problems
