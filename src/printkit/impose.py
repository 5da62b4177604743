"""Stage 5: imposition, placing finished pages on the sheets a printer or a copy shop prints.

Each page is drawn as a form XObject, clipped to its trim box (plus bleed on the sheet's
outer edges, where the guillotine cuts), so nothing is rasterised or re-encoded.
"""

import io
from dataclasses import dataclass

import pikepdf

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)


@dataclass(frozen=True)
class Placement:
    """One page drawn on a sheet: which page, where its trim box's lower-left corner goes, what shows."""

    page: int
    x: float
    y: float
    bleed: tuple[float, float, float, float] = (0, 0, 0, 0)  # left, bottom, right, top


def saddle_order(count: int) -> list[tuple[int, int]]:
    """Page pairs (left, right) of each sheet side, in printing order, for a saddle-stitched booklet.

    Sheet k's front carries the last unplaced page and the first; its back the second and
    the one before the last. Folding the duplex-printed stack gives pages 1 to ``count``.
    """
    if count % 4:
        raise ValueError(f"a saddle-stitched booklet needs a multiple of 4 pages, not {count}")
    sides = []
    for sheet in range(count // 4):
        first, last = 2 * sheet, count - 1 - 2 * sheet
        sides += [(last, first), (first + 1, last - 1)]
    return sides


def impose_saddle(source: bytes) -> bytes:
    """A5 pages imposed two to an A4 landscape side, in saddle-stitch order, for duplex printing."""
    pdf = pikepdf.open(io.BytesIO(source))
    width, height = _trim_size(pdf.pages[0])
    sheet = (A4[1], A4[0])
    x0, y0 = (sheet[0] - 2 * width) / 2, (sheet[1] - height) / 2
    sides = [[Placement(left, x0, y0), Placement(right, x0 + width, y0)] for left, right in saddle_order(len(pdf.pages))]
    return _impose(pdf, sides, sheet)


def impose_trifold(source: bytes, bleed: float) -> bytes:
    """Six DL panels imposed on the two sides of an A4 landscape sheet, for a roll fold.

    Reading order of the panels: 1 cover, 2-4 inside from left to right (4 is the narrower
    panel that folds in), 5 the back of that panel, 6 the back cover. Outside: 5 6 1.
    """
    pdf = pikepdf.open(io.BytesIO(source))
    widths = [_trim_size(page)[0] for page in pdf.pages]
    height = _trim_size(pdf.pages[0])[1]
    sheet = (sum(widths[i] for i in (4, 5, 0)) + 2 * bleed, height + 2 * bleed)
    sides = [_row(widths, (4, 5, 0), bleed), _row(widths, (1, 2, 3), bleed)]
    return _impose(pdf, sides, sheet, trim=(bleed, bleed, sheet[0] - bleed, sheet[1] - bleed))


def _row(widths: list[float], order: tuple[int, ...], bleed: float) -> list[Placement]:
    placements, x = [], bleed
    for position, page in enumerate(order):
        left = bleed if position == 0 else 0
        right = bleed if position == len(order) - 1 else 0
        placements.append(Placement(page, x, bleed, (left, bleed, right, bleed)))
        x += widths[page]
    return placements


def impose_cards(cards: list[bytes]) -> bytes:
    """A6 cards four to an A4 sheet: a side of fronts, then the matching backs, with cut marks.

    The backs are mirrored left to right so that each lands behind its front when the
    sheet is printed duplex, flipped on the long edge. Empty places repeat the last card.
    """
    pdf = pikepdf.open(io.BytesIO(cards[0]))
    for card in cards[1:]:
        pdf.pages.extend(pikepdf.open(io.BytesIO(card)).pages)
    width, height = _trim_size(pdf.pages[0])
    x0, y0 = (A4[0] - 2 * width) / 2, (A4[1] - 2 * height) / 2
    slots = [(x0, y0 + height), (x0 + width, y0 + height), (x0, y0), (x0 + width, y0)]
    mirrored = [(x0 + width, y0 + height), (x0, y0 + height), (x0 + width, y0), (x0, y0)]
    count = len(cards)
    sides = []
    for start in range(0, count, 4):
        group = [min(i, count - 1) for i in range(start, start + 4)]
        sides.append([Placement(2 * card, *slots[i]) for i, card in enumerate(group)])
        sides.append([Placement(2 * card + 1, *mirrored[i]) for i, card in enumerate(group)])
    marks = _cut_marks(x0, y0, width, height)
    return _impose(pdf, sides, A4, extra=marks)


def _cut_marks(x0: float, y0: float, width: float, height: float) -> bytes:
    """Hairline ticks, 100 % K, where the guillotine cuts: at the sheet's edges and the card corners."""
    length = 4 * MM
    xs = [x0, x0 + width, x0 + 2 * width]
    ys = [y0, y0 + height, y0 + 2 * height]
    lines = []
    for x in xs:
        lines += [(x, 0, x, min(length, y0 + 0.01)), (x, A4[1] - min(length, y0 + 0.01), x, A4[1])]
        lines += [(x, ys[1] - length / 2, x, ys[1] + length / 2)] if x == xs[1] else []
    for y in ys:
        lines += [(0, y, min(length, x0 + length), y), (A4[0] - min(length, x0 + length), y, A4[0], y)]
    path = " ".join(f"{a:.2f} {b:.2f} m {c:.2f} {d:.2f} l" for a, b, c, d in lines)
    return f"q 0 0 0 1 K 0.3 w {path} S Q\n".encode()


def _trim_size(page: pikepdf.Page) -> tuple[float, float]:
    box = [float(v) for v in page.obj.get("/TrimBox", page.mediabox)]
    return box[2] - box[0], box[3] - box[1]


def _impose(pdf: pikepdf.Pdf, sides: list[list[Placement]], sheet: tuple[float, float],
            trim: tuple | None = None, extra: bytes = b"") -> bytes:
    out = pikepdf.new()
    if "/OutputIntents" in pdf.Root:  # a PDF/X source stays PDF/X once imposed
        out.Root.OutputIntents = pikepdf.Array([_copied(out, intent) for intent in pdf.Root.OutputIntents])
        out.Root.Metadata = out.copy_foreign(pdf.Root.Metadata)
    forms = {}
    for side in sides:
        page = out.add_blank_page(page_size=sheet)
        content = [_draw(out, page, pdf.pages[p.page], p, forms) for p in side]
        page.obj.Contents = out.make_stream(b"".join(content) + extra)
        if trim:
            page.obj.TrimBox = pikepdf.Array(trim)
            page.obj.BleedBox = pikepdf.Array([0, 0, *sheet])
        else:
            page.obj.TrimBox = pikepdf.Array([0, 0, *sheet])
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True, compress_streams=True)
    return buffer.getvalue()


def _copied(out: pikepdf.Pdf, dictionary: pikepdf.Dictionary) -> pikepdf.Dictionary:
    return pikepdf.Dictionary({key: out.copy_foreign(value) if value.is_indirect else value
                               for key, value in dictionary.items()})


def _draw(out: pikepdf.Pdf, sheet: pikepdf.Page, source: pikepdf.Page, placement: Placement, forms: dict) -> bytes:
    if placement.page not in forms:
        form = source.as_form_xobject()
        form.BBox = source.mediabox  # keep the bleed: the clip below decides what shows
        forms[placement.page] = out.copy_foreign(form)
    name = f"/P{placement.page}"
    if "/Resources" not in sheet.obj:
        sheet.obj.Resources = pikepdf.Dictionary()
    if "/XObject" not in sheet.obj.Resources:
        sheet.obj.Resources.XObject = pikepdf.Dictionary()
    sheet.obj.Resources.XObject[name] = forms[placement.page]
    trim = [float(v) for v in source.obj.get("/TrimBox", source.mediabox)]
    left, bottom, right, top = placement.bleed
    clip_x, clip_y = placement.x - left, placement.y - bottom
    clip_w = trim[2] - trim[0] + left + right
    clip_h = trim[3] - trim[1] + bottom + top
    dx, dy = placement.x - trim[0], placement.y - trim[1]
    return (f"q {clip_x:.3f} {clip_y:.3f} {clip_w:.3f} {clip_h:.3f} re W n "
            f"1 0 0 1 {dx:.3f} {dy:.3f} cm {name} Do Q\n").encode()


SLUG = 9 * MM  # room outside the bleed for the crop marks
MARK_GAP = 1 * MM  # marks stop short of the bleed, so they never print on it


def add_crop_marks(source: bytes, bleed: float) -> bytes:
    """Crop marks in 100 % K outside the bleed, on a media box enlarged to hold them.

    WeasyPrint's own marks are drawn in RGB black inside the bleed; a copy shop trimming
    by hand wants K-only marks that stay clear of the printed bleed.
    """
    pdf = pikepdf.open(io.BytesIO(source))
    for page in pdf.pages:
        trim = [float(v) for v in page.obj.TrimBox]
        page.obj.MediaBox = pikepdf.Array([trim[0] - bleed - SLUG, trim[1] - bleed - SLUG,
                                           trim[2] + bleed + SLUG, trim[3] + bleed + SLUG])
        page.obj.CropBox = page.obj.MediaBox
        page.contents_add(pdf.make_stream(_corner_marks(trim, bleed)), prepend=False)
    buffer = io.BytesIO()
    pdf.save(buffer, deterministic_id=True)
    return buffer.getvalue()


def _corner_marks(trim: list[float], bleed: float) -> bytes:
    near, far = bleed + MARK_GAP, bleed + SLUG
    left, bottom, right, top = trim
    lines = []
    for x, sign_x in ((left, -1), (right, 1)):
        for y, sign_y in ((bottom, -1), (top, 1)):
            lines.append((x + sign_x * near, y, x + sign_x * far, y))
            lines.append((x, y + sign_y * near, x, y + sign_y * far))
    path = " ".join(f"{a:.2f} {b:.2f} m {c:.2f} {d:.2f} l" for a, b, c, d in lines)
    return f"q 0 0 0 1 K 0.25 w {path} S Q\n".encode()
