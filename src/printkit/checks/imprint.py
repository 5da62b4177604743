"""The legal mentions inside the trim, as the campaign's jurisdiction requires (docs/law.md cites
each rule): the printer's name, or while campaign.yaml names no printer the proof mark; in
France « Ne pas jeter sur la voie publique »; in the US the "Paid for by" disclaimer, in a ruled
box, legible, black on white; in the UK the promoter and whoever the material is published for.

Each mention is sought as the catalogue words it (messages), so a campaign's replacement is
sought as printed."""

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import ImageStat

from printkit.checks.document import WHITE, CheckedPdf, page_objects, to_pixels
from printkit.checks.text import squeeze
from printkit.errors import Finding
from printkit.messages import Messages, messages_for
from printkit.programme.model import Imprint, Programme

MIN_DISCLAIMER_PT = 7  # legible on a card read in hand; 11 CFR 110.11(c)(2)(i) asks "clearly readable"
DARK = 64  # the highest RGB component of text that reads as black (FEC's safe harbour: black on white)
BOX_REACH_PT = 14  # how far a ruled box may stand from the disclaimer's text and still be its box


def imprint_findings(checked: CheckedPdf, programme: Programme) -> list[Finding]:
    """Each legal mention the file's text lacks; in the US, a disclaimer outside its ruled box too.
    Nothing for a kind that carries no imprint: a ballot prints only its list (R30)."""
    if checked.product is not None and not checked.product.imprinted:
        return []
    needed = _needed(programme)
    text = _text_until(checked, set(needed.values()))
    missing = [what for what, needle in needed.items() if needle not in text]
    findings = [Finding(checked.name, 0, "error", what) for what in missing]
    if programme.campaign.jurisdiction == "us" and not missing and not checked.subject.sheet:
        findings += _disclaimer_findings(checked, _disclaimer(programme))
    return findings


def _needed(programme: Programme) -> dict[str, str]:
    """What the file must print, by the finding its absence gives."""
    imprint, say = programme.campaign.imprint, messages_for(programme.campaign)
    if imprint.complete:
        printer = {"the printer's name and address (legal imprint) are missing": squeeze(imprint.printer_name)}
    else:
        mark = say("imprint.proof_mark")
        printer = {f"no printer in campaign.yaml and no proof mark ({mark})": squeeze(mark)}
    return printer | LAW[programme.campaign.jurisdiction](imprint, say)


def _france(imprint: Imprint, say: Messages) -> dict[str, str]:
    litter = say("imprint.no_litter")
    return {f"no « {litter} »": squeeze(litter)}


def _united_states(imprint: Imprint, say: Messages) -> dict[str, str]:
    paid = say("imprint.paid_for_by", name=imprint.publisher)
    return {f"no « {paid} » disclaimer (11 CFR 110.11(b))": squeeze(paid)}


def _united_kingdom(imprint: Imprint, say: Messages) -> dict[str, str]:
    promoted = say("imprint.promoted_by", name=imprint.publisher, address=imprint.publisher_address)
    needed = {f"no « {promoted} » in the imprint (Representation of the People Act 1983, s.110)": squeeze(promoted)}
    if imprint.on_behalf_of:
        needed[f"the imprint does not say on whose behalf it is published ({imprint.on_behalf_of}; "
               "Representation of the People Act 1983, s.110)"] = squeeze(imprint.on_behalf_of)
    return needed


LAW = {"fr": _france, "us": _united_states, "gb": _united_kingdom}


def closing_mention(programme: Programme) -> str:
    """The jurisdiction's own mention, without spaces, as printed in the imprint that ends every
    letter: where a mail merge's first letter ends."""
    campaign = programme.campaign
    return next(iter(LAW[campaign.jurisdiction](campaign.imprint, messages_for(campaign)).values()))


def _disclaimer(programme: Programme) -> str:
    return messages_for(programme.campaign)("imprint.paid_for_by", name=programme.campaign.imprint.publisher)


def _text_until(checked: CheckedPdf, needles: set[str]) -> str:
    """The text inside the trim of each distinct page, read until every needle has been seen
    (a merge of 1,000 letters shows its imprint in the first one)."""
    text = ""
    for index in checked.pages:
        text += _trimmed_text(checked.document[index])
        if all(needle in text for needle in needles):
            break
    return text


def _trimmed_text(page) -> str:
    """The text inside the trim box only (the build stamp in the bleed is cut off), without spaces."""
    left, bottom, right, top = page.get_trimbox()
    return squeeze(page.get_textpage().get_text_bounded(left, bottom, right, top))


# The US disclaimer's box: 11 CFR 110.11(c)(2)(ii) and (iii).


def _disclaimer_findings(checked: CheckedPdf, disclaimer: str) -> list[Finding]:
    """The first printed disclaimer in a ruled box inside the trim, at MIN_DISCLAIMER_PT or more, black on white."""
    for index in checked.pages:
        chars = _chars_of(checked.document[index], squeeze(disclaimer))
        if chars:
            return [Finding(checked.name, index + 1, "error", f"the « {disclaimer} » disclaimer {what}")
                    for what in _disclaimer_problems(checked, index, chars)]
    return []


def _chars_of(page: pdfium.PdfPage, needle: str) -> list[int]:
    """The indices of the characters of the page's text that spell ``needle``, white space aside."""
    text = page.get_textpage().get_text_range()
    placed = [index for index, char in enumerate(text) if not char.isspace()]
    start = "".join(text[index] for index in placed).find(needle)
    return placed[start:start + len(needle)] if start >= 0 else []


def _disclaimer_problems(checked: CheckedPdf, index: int, chars: list[int]) -> list[str]:
    page = checked.document[index]
    textpage = page.get_textpage()
    bounds = _union([textpage.get_charbox(char) for char in chars])
    box = _ruled_box(page, bounds)
    problems = [] if box else ["is not in a printed box set apart (a ruled border around it; 11 CFR 110.11(c)(2)(ii))"]
    smallest = min(_points(textpage, char) for char in chars)
    if smallest < MIN_DISCLAIMER_PT - 0.01:
        problems.append(f"is set at {smallest:.1f} pt, below {MIN_DISCLAIMER_PT} pt (11 CFR 110.11(c)(2)(i))")
    if not (_black(textpage, chars) and _on_white(checked, index, box or bounds)):
        problems.append("is not black on white (11 CFR 110.11(c)(2)(iii))")
    return problems


def _union(boxes: list[tuple[float, float, float, float]]) -> tuple[float, float, float, float]:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _ruled_box(page: pdfium.PdfPage, text: tuple) -> tuple | None:
    """A ruled border drawn around the text, close to it and inside the trim: a stroked path, or a ring
    filled between two outlines (as WeasyPrint draws a border). A background's plain rectangle is no box."""
    left, bottom, right, top = page.get_trimbox()
    for obj, placed in page_objects(page):
        if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_PATH and _ruled(obj):
            box = _on_page(obj, placed)
            around = all(0 <= gap <= BOX_REACH_PT for gap in (text[0] - box[0], text[1] - box[1],
                                                               box[2] - text[2], box[3] - text[3]))
            if around and left <= box[0] and bottom <= box[1] and box[2] <= right and box[3] <= top:
                return box
    return None


def _ruled(path) -> bool:
    mode, stroked = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDFPath_GetDrawMode(path, ctypes.byref(mode), ctypes.byref(stroked))
    segments = [pdfium_c.FPDFPath_GetPathSegment(path, i) for i in range(pdfium_c.FPDFPath_CountSegments(path))]
    outlines = sum(pdfium_c.FPDFPathSegment_GetType(s) == pdfium_c.FPDF_SEGMENT_MOVETO for s in segments)
    return bool(stroked.value) or outlines >= 2


def _on_page(obj, placed: pdfium.PdfMatrix) -> tuple[float, float, float, float]:
    """An object's bounds on the page: pdfium gives them in the space of the form XObject that holds
    it (an imposed tri-fold's panel), so the form's own placement is applied to them."""
    own = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(obj, own)
    a, b, c, d, e, f = own.a, own.b, own.c, own.d, own.e, own.f
    det = a * d - b * c or 1.0
    inverse = pdfium.PdfMatrix(d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det)
    outer = inverse.multiply(placed)  # placed = own × outer
    left, bottom, right, top = _bounds(obj)
    xs, ys = zip(*(outer.on_point(x, y) for x in (left, right) for y in (bottom, top)))
    return min(xs), min(ys), max(xs), max(ys)


def _bounds(obj) -> tuple[float, float, float, float]:
    values = [ctypes.c_float() for _ in range(4)]
    pdfium_c.FPDFPageObj_GetBounds(obj, *(ctypes.byref(v) for v in values))
    return tuple(v.value for v in values)


def _points(textpage, char: int) -> float:
    """A character's size in points, as printed: its text object's size times that object's scale."""
    obj = pdfium_c.FPDFText_GetTextObject(textpage.raw, char)
    size, matrix = ctypes.c_float(), pdfium_c.FS_MATRIX()
    pdfium_c.FPDFTextObj_GetFontSize(obj, ctypes.byref(size))
    pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
    return size.value * abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5


def _black(textpage, chars: list[int]) -> bool:
    colour = [ctypes.c_uint() for _ in range(4)]
    for char in chars:
        pdfium_c.FPDFText_GetFillColor(textpage.raw, char, *(ctypes.byref(c) for c in colour))
        if max(c.value for c in colour[:3]) > DARK:
            return False
    return True


def _on_white(checked: CheckedPdf, index: int, box: tuple) -> bool:
    """Whether the box's ground, as rendered, is paper: most of its pixels carry no ink."""
    page = checked.document[index]
    x0, y0 = to_pixels(page, box[0], box[3])
    x1, y1 = to_pixels(page, box[2], box[1])
    ground = checked.rendered(index).crop((x0 + 4, y0 + 4, x1 - 4, y1 - 4))  # inside the border's rule
    return ImageStat.Stat(ground).median[0] >= WHITE
