"""What a PDF/X claim commits a file to, beyond its colours (colour.py) and boxes (geometry.py):
an Info dictionary that a PDF/X reader can rely on, saying what the XMP says, and no
annotation on the printed area but a printer's marks (ISO 15930-7, PDF/X-4)."""

import datetime

import pikepdf
from pikepdf.models.metadata import decode_pdf_date

from printkit.checks.document import CheckedPdf
from printkit.errors import Finding
from printkit.prepress.finish import PRINTER_ANNOTATIONS, pdfx_version

TRAPPED = (pikepdf.Name("/True"), pikepdf.Name("/False"))  # /Unknown, which PDF allows, PDF/X does not
# Info keys and the XMP properties that must say the same in a PDF/X file.
AGREEING = (("/Title", "dc:title"), ("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate"),
            ("/Trapped", "pdf:Trapped"), ("/GTS_PDFXVersion", "pdfxid:GTS_PDFXVersion"))


def pdfx_findings(checked: CheckedPdf) -> list[Finding]:
    """An Info dictionary a PDF/X claim needs, agreeing with the XMP, and annotations inside the trim."""
    if not pdfx_version(checked.pdf):
        return []
    findings = [Finding(checked.name, 0, "error", what) for what in _info_problems(checked.pdf)]
    for number, page in enumerate(checked.pdf.pages, 1):
        findings += [Finding(checked.name, number, "error", what) for what in _annotation_problems(page.obj)]
    return findings


def _info_problems(pdf: pikepdf.Pdf) -> list[str]:
    info, meta = pdf.docinfo, pdf.open_metadata()
    problems = []
    if info.get("/Trapped") not in TRAPPED:
        problems.append("a PDF/X file without /Trapped True or False in its Info dictionary")
    problems += [f"a PDF/X file without {key} in its Info dictionary"
                 for key in ("/CreationDate", "/ModDate") if key not in info]
    for key, name in AGREEING:
        if key in info and name in meta and _value(info[key], key) != _value(meta[name], key):
            problems.append(f"Info {key} « {info[key]} » and XMP {name} « {meta[name]} » disagree")
    return problems


def _value(value, key: str):
    """An Info or XMP value as both can be compared: a date as a moment, /Trapped without its slash."""
    text = str(value).lstrip("/") if key == "/Trapped" else str(value)
    if key.endswith("Date"):
        return decode_pdf_date(text) if text.startswith("D:") else datetime.datetime.fromisoformat(text)
    return text


def _annotation_problems(page: pikepdf.Dictionary) -> list[str]:
    trim = [float(v) for v in page.get("/TrimBox", page.get("/ArtBox", page.MediaBox))]
    inside = [str(a.get("/Subtype", "")).lstrip("/") for a in page.get("/Annots", [])
              if a.get("/Subtype") not in PRINTER_ANNOTATIONS and _meets(a.Rect, trim)]
    if not inside:
        return []
    kinds = ", ".join(sorted(set(inside)))
    return [f"{len(inside)} annotation(s) ({kinds}) inside the trim of a PDF/X file: only printer's marks may lie there"]


def _meets(rect, trim: list[float]) -> bool:
    """Whether an annotation's rectangle (its corners in any order) overlaps the trim box."""
    x0, x1 = sorted(float(v) for v in rect[0::2])
    y0, y1 = sorted(float(v) for v in rect[1::2])
    return x0 < trim[2] and trim[0] < x1 and y0 < trim[3] and trim[1] < y1
