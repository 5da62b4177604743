"""The preflight, as a printer's would read each PDF.

At layout time (layout.py), on WeasyPrint's boxes. On each written file (preflight.py),
opened once as a CheckedPdf (document.py) whose subject (subject.py) says what it is: its
pages rendered and read (reading.py: QR codes in qr.py, bleed and sheet edge in pixels.py),
fonts (fonts.py), page boxes (geometry.py), colours (colour.py), content streams
(paint.py), page objects (objects.py), a PDF/X claim's metadata and annotations (pdfx.py),
the legal imprint (imprint.py), the art director's reading of the text (text.py), and a
letter's annex (letters.py).
"""

from printkit.checks.layout import layout_findings
from printkit.checks.letters import address_findings, first_letter, letter_findings
from printkit.checks.preflight import check_outputs, check_pdf

__all__ = ["address_findings", "check_outputs", "check_pdf", "first_letter", "layout_findings", "letter_findings"]
