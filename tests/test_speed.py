"""What makes builds, checks and the preview faster must not change what they find or show."""

import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import zxingcpp

from printkit import check

from conftest import run_printkit


def whole_page_codes(data: bytes, index: int) -> list[str]:
    codes = zxingcpp.read_barcodes(check._rendered(data, index), formats=zxingcpp.BarcodeFormat.QRCode)
    return [c.text for c in sorted(codes, key=lambda c: (c.position.top_left.y, c.position.top_left.x))]


def test_qr_codes_decoded_from_crops_are_those_of_the_whole_page(small, tmp_path):
    run_printkit("build", "--out", str(tmp_path / "out"), cwd=small)
    pdfs = sorted((tmp_path / "out").rglob("*.pdf"))
    compared = 0
    for pdf in pdfs:
        data = pdf.read_bytes()
        for index in range(len(pdfium.PdfDocument(data))):
            whole = whole_page_codes(data, index)
            assert check._decoded(data, index) == whole, f"{pdf.name} page {index + 1}"
            compared += len(whole)
    assert compared >= 3 * len(pdfs)  # every file holds codes: booklet, leaflets, cards, imposed sheets


def test_checking_a_pdf_imports_no_weasyprint(small, tmp_path):
    run_printkit("build", "cards", "--theme", "sport", "--out", str(tmp_path / "out"), cwd=small)
    script = ("import sys; from printkit.cli import cli; "
              "cli(['check', sys.argv[1]], standalone_mode=False); print('weasyprint' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path / "out" / "cards" / "sport.pdf")],
                            cwd=small, capture_output=True, text=True, timeout=120)
    assert result.stdout.strip().splitlines()[-1] == "False", result.stdout + result.stderr
