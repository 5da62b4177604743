"""A ballot as the commission de propagande reads it (Code électoral R30, docs/official.md): one ink
in the separations, no ground on the white paper, the trim R30 gives its number of names, and its
text the list's title and candidates in order, nothing else. A ballot that breaks any of these is
refused by the commission, or void when counted (L66)."""

import pikepdf
import pypdfium2.raw as pdfium_c
from PIL import ImageStat

from printkit.checks.document import WHITE, CheckedPdf, page_objects, to_pixels
from printkit.checks.objects import object_text
from printkit.checks.text import squeeze
from printkit.errors import Finding
from printkit.messages import messages_for
from printkit.products.ballot import ballot_format, names_counted, printed
from printkit.programme.model import Programme
from printkit.units import pt_to_mm

PROCESS = "CMYK"
TRIM_TOLERANCE_MM = 0.5
# Apostrophes in either shape; pdfium's mark of a hyphen at a line's end, a hyphen still.
APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "\x02": "-"})


def ballot_findings(checked: CheckedPdf, programme: Programme) -> list[Finding]:
    """Every R30 rule the ballot breaks; nothing for another kind, or for a copy-shop sheet."""
    if checked.subject.kind != "ballot" or checked.subject.sheet or programme.candidates is None:
        return []
    problems = _ink_problems(checked) + _ground_problems(checked) + _trim_problems(checked, programme)
    problems += _text_problems(checked, programme)
    return [Finding(checked.name, 1, "error", problem) for problem in problems]


# one colorant


def _ink_problems(checked: CheckedPdf) -> list[str]:
    inks = set()
    for page in checked.pdf.pages:
        inks |= _inks(page.obj, set())
    if len(inks) <= 1:
        return []
    return [f"a ballot is printed in one ink (Code électoral R30), but its separations hold {len(inks)}: "
            f"{', '.join(sorted(inks))}"]


def _inks(owner, visited: set) -> set[str]:
    """The colorants a page or form paints with: C, M, Y, K, a spot colour's name, or what cannot
    separate into one plate (RGB, a pattern)."""
    spaces = owner.get("/Resources", {}).get("/ColorSpace", {})
    inks, space = set(), "/DeviceGray"
    for operands, operator in pikepdf.parse_content_stream(owner, "g G rg RG k K cs CS sc scn SC SCN sh"):
        op = str(operator)
        if op in ("cs", "CS"):
            space = _space_kind(spaces.get(str(operands[0]), operands[0]))
        elif op == "sh":
            inks.add("a gradient")
        else:
            inks |= _colorants({"g": "/DeviceGray", "G": "/DeviceGray", "rg": "/DeviceRGB", "RG": "/DeviceRGB",
                                "k": "/DeviceCMYK", "K": "/DeviceCMYK"}.get(op, space), operands)
    return inks | _xobject_inks(owner, visited)


def _space_kind(space) -> str:
    """A colour space as the device space it separates like, or its spot colour's name."""
    if isinstance(space, pikepdf.Array) and len(space):
        if space[0] == pikepdf.Name.ICCBased:
            return {1: "/DeviceGray", 3: "/DeviceRGB", 4: "/DeviceCMYK"}.get(int(space[1].get("/N", 0)), "other")
        if space[0] == pikepdf.Name.Separation:
            return f"spot {str(space[1]).lstrip('/')}"
        return str(space[0])
    return str(space)


def _colorants(space: str, operands) -> set[str]:
    values = [float(v) for v in operands if not isinstance(v, pikepdf.Name)]
    if len(values) < len(operands) or space == "/Pattern":
        return {"a pattern"}
    if space == "/DeviceCMYK":
        return {PROCESS[i] for i, value in enumerate(values[:4]) if value > 0}
    if space == "/DeviceGray":
        return {"K"} if values and values[0] < 1 else set()
    if space.startswith("spot "):
        return {space.removeprefix("spot ")} if values and values[0] > 0 else set()
    if space == "/DeviceRGB" and values == [1, 1, 1]:
        return set()
    return {f"{space.lstrip('/')} colour (separates into several inks)"}


def _xobject_inks(owner, visited: set) -> set[str]:
    inks = set()
    for xobject in owner.get("/Resources", {}).get("/XObject", {}).values():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in visited:
            visited.add(xobject.objgen)
            inks |= _inks(xobject, visited)
        elif xobject.get("/Subtype") == "/Image" and not xobject.get("/ImageMask", False):
            kind = _space_kind(xobject.get("/ColorSpace", pikepdf.Name.DeviceGray))
            inks |= {"K"} if kind == "/DeviceGray" else {f"an image in {kind.lstrip('/')}"}
    return inks


# the white paper


def _ground_problems(checked: CheckedPdf) -> list[str]:
    """A ground under the names: most of the trim is inked (a tinted ballot reads as coloured paper)."""
    page = checked.document[0]
    left, bottom, right, top = page.get_trimbox()
    box = (*to_pixels(page, left, top), *to_pixels(page, right, bottom))
    ground = ImageStat.Stat(checked.rendered(0).crop(box)).median[0]
    if ground >= WHITE:
        return []
    return [f"the ballot has a ground (most of its trim is {round(100 - ground * 100 / 255)} % ink): a ballot is printed "
            "on white paper with no background, or it is void (Code électoral R30, L66)"]


# the size R30 gives the names


def _trim_problems(checked: CheckedPdf, programme: Programme) -> list[str]:
    left, bottom, right, top = (float(v) for v in checked.pdf.pages[0].obj.TrimBox)
    width, height = pt_to_mm(right - left), pt_to_mm(top - bottom)
    wanted = ballot_format(programme).size
    if abs(width - wanted.width) <= TRIM_TOLERANCE_MM and abs(height - wanted.height) <= TRIM_TOLERANCE_MM:
        return []
    return [f"the ballot is trimmed to {width:.0f} × {height:.0f} mm, but R30 gives a list of "
            f"{names_counted(programme)} names {wanted.label}, landscape (Code électoral R30, R117-5)"]


# the list, and nothing else


def _text_problems(checked: CheckedPdf, programme: Programme) -> list[str]:
    say = messages_for(programme.campaign)
    text = _page_text(checked)
    if not programme.campaign.imprint.complete:  # a proof's banner, never printed
        text = text.replace(_plain(say("proof.banner")), "", 1)
    missing, rest = _read_in_order(text, printed(programme, say))
    problems = [f"« {piece} » is missing from the ballot, or out of the list's order (Code électoral L260, R30)"
                for piece in missing]
    if rest:
        problems.append(f"the ballot prints more than the list's title and its candidates: « {rest[:80]} » "
                        "(no name but the candidates', nothing else: Code électoral R30)")
    return problems


def _read_in_order(text: str, pieces: list[str]) -> tuple[list[str], str]:
    """The pieces not found in order in ``text``, and the text left once those found are taken out."""
    missing, rest, at = [], [], 0
    for piece in pieces:
        found = text.find(_plain(piece), at)
        if found < 0:
            missing.append(piece)
            continue
        rest.append(text[at:found])
        at = found + len(_plain(piece))
    return missing, "".join(rest) + text[at:]


def _page_text(checked: CheckedPdf) -> str:
    """The ballot's text inside its trim in the order it is drawn, which is the layout's reading order
    (pdfium's text page reorders it by position: two lists side by side would mix), as ``_plain`` compares it."""
    page = checked.document[0]
    text, (left, bottom, right, top) = page.get_textpage(), page.get_trimbox()
    return _plain("".join(object_text(obj, text) for obj, matrix in page_objects(page)
                          if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_TEXT
                          and left <= matrix.e <= right and bottom <= matrix.f <= top))


def _plain(text: str) -> str:
    """Text without spaces, case or apostrophes' shape: a name set in capitals is still the name."""
    return squeeze(text).casefold().translate(APOSTROPHES)
