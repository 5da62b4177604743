"""The posters for the official panels as the commission and the mayor's office read them
(Code électoral R26, R27, L48; docs/official.md): no larger than R26 allows, never on white
paper, and a meeting poster that says nothing but its meeting's date and place, its speakers
and the list's name."""

import re

import pypdfium2.raw as pdfium_c
from PIL import ImageStat

from printkit.checks.document import WHITE, CheckedPdf, page_objects
from printkit.checks.objects import object_text
from printkit.checks.text import squeeze
from printkit.errors import Finding
from printkit.messages import messages_for
from printkit.products.paper import A1, A3
from printkit.products.poster import meeting_words
from printkit.programme.model import Programme
from printkit.units import PT_PER_INCH, pt_to_mm

LARGEST = {"poster": A1, "meeting-poster": A3}  # portrait: R27 gives a width and a height
TOLERANCE_MM = 0.5
GROUND_DPI = 12  # the ground is the page's colour: a coarse rendering reads it
_WORD = re.compile(r"\w+")


def poster_findings(checked: CheckedPdf, programme: Programme) -> list[Finding]:
    """Every rule of R26, R27 and L48 a poster breaks; nothing for another kind, or a copy-shop sheet."""
    if checked.subject.kind not in LARGEST or checked.subject.sheet:
        return []
    found = [Finding(checked.name, 0, "error", what) for what in _size_problems(checked)]
    for index in range(len(checked.pdf.pages)):
        found += [Finding(checked.name, index + 1, "error", what) for what in _ground_problems(checked, index)]
    if checked.subject.kind == "meeting-poster":
        found += _meeting_findings(checked, programme)
    return found


def _size_problems(checked: CheckedPdf) -> list[str]:
    largest = LARGEST[checked.subject.kind]
    left, bottom, right, top = (float(v) for v in checked.pdf.pages[0].obj.TrimBox)
    width, height = pt_to_mm(right - left), pt_to_mm(top - bottom)
    if width <= largest.width + TOLERANCE_MM and height <= largest.height + TOLERANCE_MM:
        return []
    return [f"the {checked.subject.kind} is {width:.0f} × {height:.0f} mm: R26 allows at most {largest.label} "
            f"({largest.width:g} mm wide, {largest.height:g} mm high)"]


def _ground_problems(checked: CheckedPdf, index: int) -> list[str]:
    """A page whose trim is mostly paper white: white paper is the State's (L48)."""
    page = checked.document[index]
    image = page.render(scale=GROUND_DPI / PT_PER_INCH, grayscale=True, crop=_bleed(page)).to_pil()
    if ImageStat.Stat(image).median[0] < WHITE:
        return []
    return [f"the {checked.subject.kind} is white: posters are never on white paper, which is kept for the "
            "authorities' notices (Code électoral L48; loi du 29 juillet 1881, art. 15)"]


def _bleed(page) -> tuple[float, float, float, float]:
    """How much to crop off each side to keep the trim: left, bottom, right, top, in points."""
    media, trim = page.get_mediabox(), page.get_trimbox()
    return trim[0] - media[0], trim[1] - media[1], media[2] - trim[2], media[3] - trim[3]


# a meeting poster says nothing but its meeting


def _meeting_findings(checked: CheckedPdf, programme: Programme) -> list[Finding]:
    meetings, allowed = programme.identity.meetings, _imprint_words(programme)
    proof = not programme.campaign.imprint.complete
    banner = squeeze(messages_for(programme.campaign)("proof.banner")) if proof else ""
    found = []
    for index, meeting in enumerate(meetings[:len(checked.pdf.pages)]):
        known = allowed | set(_words(" ".join(meeting_words(programme, meeting))))
        extra = list(dict.fromkeys(w for w in _words(_text(checked, index, banner)) if w not in known))
        if extra:
            found.append(Finding(checked.name, index + 1, "error", f"the meeting poster prints more than its "
                                 f"meeting's date and place, its speakers and the list's name: « {' '.join(extra)[:80]} » "
                                 "(Code électoral R26)"))
    return found


def _imprint_words(programme: Programme) -> set[str]:
    """The words of the legal mentions every poster carries (L48), and of a proof's marks."""
    imprint, say = programme.campaign.imprint, messages_for(programme.campaign)
    texts = [say("imprint.printed_by", name=imprint.printer_name, address=imprint.printer_address),
             say("imprint.publisher", name=imprint.publisher), say("imprint.no_litter"),
             say("imprint.proof", mark=say("imprint.proof_mark"))]
    return set(_words(" ".join(texts)))


def _text(checked: CheckedPdf, index: int, banner: str) -> str:
    """The page's text inside its trim, run by run, but a proof's banner (set letter-spaced: pdfium's text
    page would read it a few letters at a time, words that are none)."""
    page = checked.document[index]
    text, (left, bottom, right, top) = page.get_textpage(), page.get_trimbox()
    runs = [object_text(obj, text) for obj, matrix in page_objects(page)
            if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_TEXT
            and left <= matrix.e <= right and bottom <= matrix.f <= top]
    return " ".join(run for run in runs if not (banner and squeeze(run) and squeeze(run) in banner))


def _words(text: str) -> list[str]:
    """The words of a text, in order, without case: a capitalised weekday is still the weekday."""
    return [word.casefold() for word in _WORD.findall(text)]
