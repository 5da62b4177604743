"""How to draw a QR code for WeasyPrint: the same 104 codes as PNG, one SVG path, or one SVG rect per module.

Run: .venv/bin/python bench/qr_drawing.py   (prints seconds to lay out and write each variant)
"""

import base64
import io
import time

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from weasyprint import HTML

URLS = [f"https://www.clamartagauche.fr/Programme#mesure-{n}" for n in range(1, 105)]


def matrix(url: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
    code.add_data(url)
    code.make(fit=True)
    return code.get_matrix()


def png(url: str) -> str:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4, box_size=1)
    code.add_data(url)
    buffer = io.BytesIO()
    code.make_image().get_image().convert("L").save(buffer, format="PNG")
    return f'<img style="image-rendering: pixelated" src="data:image/png;base64,{base64.b64encode(buffer.getvalue()).decode()}">'


def svg_path(url: str) -> str:
    cells = matrix(url)
    path = "".join(f"M{x},{y}h1v1h-1z" for y, row in enumerate(cells) for x, dark in enumerate(row) if dark)
    return (f'<svg viewBox="0 0 {len(cells)} {len(cells)}"><path fill="black" d="{path}"/></svg>')


def svg_rects(url: str) -> str:
    cells = matrix(url)
    rects = "".join(f'<rect x="{x}" y="{y}" width="1" height="1"/>' for y, row in enumerate(cells)
                    for x, dark in enumerate(row) if dark)
    return f'<svg viewBox="0 0 {len(cells)} {len(cells)}">{rects}</svg>'


def timed(draw) -> float:
    body = "".join(f"<div>{draw(url)}</div>" for url in URLS)
    html = f"<style>@page {{ size: A5 }} div {{ display: inline-block; width: 20mm; margin: 2mm }} img, svg {{ width: 20mm }}</style>{body}"
    start = time.perf_counter()
    HTML(string=html).write_pdf()
    return time.perf_counter() - start


if __name__ == "__main__":
    timed(png)  # warm-up: imports and fonts
    for name, draw in (("8-bit greyscale PNG, pixelated", png), ("one SVG path", svg_path),
                       ("one SVG rect per module", svg_rects)):
        print(f"{name:34} {min(timed(draw) for _ in range(3)):.2f} s")
