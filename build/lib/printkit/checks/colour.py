"""Colours as a printer's preflight reads them in the content streams: black in K only (no RGB
black, no rich black), and in PDF/X-1a no RGB colour or image, no Lab or ICC-based RGB colour
space, no transparency."""

import pikepdf

from printkit.checks.document import CheckedPdf
from printkit.errors import Finding
from printkit.prepress.finish import is_pdfx1a, transparent


def colour_findings(checked: CheckedPdf) -> list[Finding]:
    """Colour problems of each page (a form's on the first page that draws it), and the file's transparency
    if it claims PDF/X-1a."""
    x1a = is_pdfx1a(checked.pdf)
    findings, visited = set(), set()
    for number, page in enumerate(checked.pdf.pages, 1):
        for problem in _colour_problems(page.obj, x1a, visited):
            findings.add(Finding(checked.name, number, "error", problem))
    if x1a:
        findings |= {Finding(checked.name, 0, "error", f"{problem} in a PDF/X-1a file")
                     for problem in _x1a_problems(checked.pdf)}
    return sorted(findings)


def _x1a_problems(pdf: pikepdf.Pdf):
    """Transparency anywhere in the file: PDF/X-1a allows none."""
    for obj in _all_objects(pdf):
        if isinstance(obj, pikepdf.Dictionary) and transparent(obj):
            yield "transparency"


def _all_objects(pdf: pikepdf.Pdf):
    """Every object of the file, direct ones inside dictionaries and arrays included."""
    seen = set()
    pending = [obj for obj in pdf.objects if isinstance(obj, (pikepdf.Dictionary, pikepdf.Array))]
    while pending:
        obj = pending.pop()
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        yield obj
        children = obj.values() if isinstance(obj, pikepdf.Dictionary) else obj
        pending += [child for child in children if isinstance(child, (pikepdf.Dictionary, pikepdf.Array))]


def _colour_problems(owner, x1a: bool, visited: set):
    """Colour problems of a page and the forms it draws, each form read once (reported on its first page)."""
    spaces = owner.get("/Resources", {}).get("/ColorSpace", {})
    for operands, operator in pikepdf.parse_content_stream(owner, "rg RG k K sc scn SC SCN cs CS"):
        if str(operator) in ("cs", "CS"):
            yield from _space_problems(spaces.get(str(operands[0]), operands[0]), x1a)
            continue
        values = [float(v) for v in operands if not isinstance(v, pikepdf.Name)]
        if len(values) == 3 and values == [0, 0, 0]:  # rg, or sc in an RGB space
            yield "RGB black: black must be 100 % K only"
        elif len(values) == 3 and x1a:
            yield "RGB colour in a PDF/X-1a file"
        elif len(values) == 4 and values[3] >= 0.95 and sum(values[:3]) > 0:  # k, or sc in a CMYK space
            yield "rich black: black must be 100 % K only"
    yield from _xobject_problems(owner, x1a, visited)


def _xobject_problems(owner, x1a: bool, visited: set):
    for xobject in owner.get("/Resources", {}).get("/XObject", {}).values():
        if xobject.get("/Subtype") == "/Form" and (xobject.objgen == (0, 0) or xobject.objgen not in visited):
            visited.add(xobject.objgen)
            yield from _colour_problems(xobject, x1a, visited)
        elif x1a and xobject.get("/ColorSpace") == "/DeviceRGB":
            yield "RGB image in a PDF/X-1a file"
        elif xobject.get("/Subtype") == "/Image" and xobject.get("/ColorSpace") is not None:
            yield from _space_problems(xobject.ColorSpace, x1a)


def _space_problems(space, x1a: bool):
    """A colour space that is used (by cs, CS or an image) and that PDF/X-1a forbids: Lab or ICC-based RGB.

    Only used ones: WeasyPrint declares two Lab spaces on every page whether it uses them or not."""
    if not x1a or not isinstance(space, pikepdf.Array) or not len(space):
        return
    if space[0] in (pikepdf.Name.Lab, pikepdf.Name.CalRGB):
        yield f"{str(space[0]).lstrip('/')} colour space in a PDF/X-1a file"
    elif space[0] == pikepdf.Name.ICCBased and space[1].get("/N") == 3:
        yield "RGB (ICC) colour space in a PDF/X-1a file"
