"""Page objects as pdfium reads them, on each distinct page: white text too small for its
ink to hold, raster images below the resolution a press needs, and text beside the trim
where a drifting cut prints it."""

import ctypes
import math

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from printkit.checks.document import WHITE, CheckedPdf, page_objects, where
from printkit.checks.text import squeeze
from printkit.errors import Finding
from printkit.units import MIN_PPI, MIN_REVERSED_PT, PT_PER_INCH, SLUG_MM, mm_to_pt


def object_findings(checked: CheckedPdf) -> list[Finding]:
    """Reversed text, image resolution and text beside the trim, on each distinct page."""
    findings = []
    for index in checked.pages:
        problems = _page_problems(checked.document[index], slug=not checked.tiled)
        findings += [Finding(checked.name, index + 1, "error", what) for what in problems]
    return sorted(set(findings))


def _page_problems(page: pdfium.PdfPage, slug: bool = True) -> list[str]:
    """A page's reversed text, its images' resolution and, with ``slug``, its text beside the trim: a tile
    of a poster has none to check, its text running on, clipped, into the next tile (read in the poster)."""
    text, problems = page.get_textpage(), []
    for obj, matrix in page_objects(page):
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            problems += _reversed_problems(obj, matrix, text)
        elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            problems += _resolution_problems(obj, matrix)
    return problems + (_slug_text_problems(page, text) if slug else [])


def _scale(matrix: pdfium.PdfMatrix) -> float:
    return math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))


def _reversed_problems(obj, matrix: pdfium.PdfMatrix, text) -> list[str]:
    """White text below MIN_REVERSED_PT: thin strokes of ink around it close up on press."""
    size = ctypes.c_float()
    pdfium_c.FPDFTextObj_GetFontSize(obj, ctypes.byref(size))
    points = size.value * _scale(matrix)
    colour = [ctypes.c_uint() for _ in range(4)]
    pdfium_c.FPDFPageObj_GetFillColor(obj, *(ctypes.byref(c) for c in colour))
    if points >= MIN_REVERSED_PT - 0.01 or min(c.value for c in colour[:3]) < WHITE:
        return []
    return [f"white text « {object_text(obj, text)[:30]} » at {points:.1f} pt, below {MIN_REVERSED_PT} pt "
            f"for reversed text, {where(matrix.e, matrix.f)}"]


def object_text(obj, text) -> str:
    """The text a text object draws, as its page's text page decodes it."""
    length = pdfium_c.FPDFTextObj_GetText(obj, text.raw, None, 0)
    buffer = ctypes.create_string_buffer(length)
    pdfium_c.FPDFTextObj_GetText(obj, text.raw, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), length)
    return buffer.raw.decode("utf-16-le").rstrip("\x00").strip()


def _resolution_problems(obj, matrix: pdfium.PdfMatrix) -> list[str]:
    """Raster images below MIN_PPI at their printed size."""
    width, height = ctypes.c_uint(), ctypes.c_uint()
    pdfium_c.FPDFImageObj_GetImagePixelSize(obj, ctypes.byref(width), ctypes.byref(height))
    printed = (math.hypot(matrix.a, matrix.b) / PT_PER_INCH, math.hypot(matrix.c, matrix.d) / PT_PER_INCH)
    ppi = min(width.value / max(printed[0], 1e-6), height.value / max(printed[1], 1e-6))
    if ppi >= MIN_PPI - 0.5:
        return []
    return [f"image of {width.value}×{height.value} px printed at {ppi:.0f} ppi, below {MIN_PPI} ppi, "
            f"{where(matrix.e, matrix.f)}"]


def _slug_text_problems(page: pdfium.PdfPage, text) -> list[str]:
    """Text between the trim and SLUG_MM outside it, where a drifting cut prints it on part of the run."""
    left, bottom, right, top = page.get_trimbox()
    slug = mm_to_pt(SLUG_MM)
    bands = {"bottom": (left - slug, bottom - slug, right + slug, bottom),
             "top": (left - slug, top, right + slug, top + slug),
             "left": (left - slug, bottom, left, top), "right": (right, bottom, right + slug, top)}
    problems = []
    for edge, band in bands.items():
        found = squeeze(text.get_text_bounded(*band))
        if found:
            problems.append(f"text « {found[:30]} » within {SLUG_MM} mm outside the trim ({edge}): "
                            f"a cut that drifts prints it")
    return problems
