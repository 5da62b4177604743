"""How to draw a QR code for WeasyPrint: the same 104 codes as PNG images, or as SVG vector paths.

Run: .venv/bin/python bench/qr_drawing.py   (prints seconds to lay out and write each variant,
and the size of the PDF)
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


def png(pixels: int):
    def draw(url: str) -> str:
        code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4, box_size=pixels)
        code.add_data(url)
        buffer = io.BytesIO()
        code.make_image().get_image().convert("L").save(buffer, format="PNG", optimize=True)
        data = base64.b64encode(buffer.getvalue()).decode()
        return f'<img style="image-rendering: pixelated" src="data:image/png;base64,{data}">'
    return draw


def svg(path: str, size: int) -> str:
    return (f'<svg viewBox="0 0 {size} {size}"><path fill="device-cmyk(0 0 0 1)" d="{path}"/></svg>')


def svg_modules(url: str) -> str:
    cells = matrix(url)
    return svg("".join(f"M{x},{y}h1v1h-1z" for y, row in enumerate(cells) for x, dark in enumerate(row) if dark),
               len(cells))


def svg_runs(url: str) -> str:
    cells = matrix(url)
    path = []
    for y, row in enumerate(cells):
        x = 0
        while x < len(row):
            if row[x]:
                end = x
                while end < len(row) and row[end]:
                    end += 1
                path.append(f"M{x} {y}h{end - x}v1h{x - end}z")
                x = end
            x += 1
    return svg("".join(path), len(cells))


def timed(draw) -> tuple[float, int]:
    body = "".join(f"<div>{draw(url)}</div>" for url in URLS)
    html = f"<style>@page {{ size: A5 }} div {{ display: inline-block; width: 20.5mm; margin: 2mm }} img, svg {{ width: 20.5mm; display: block }}</style>{body}"
    start = time.perf_counter()
    data = HTML(string=html).write_pdf()
    return time.perf_counter() - start, len(data)


if __name__ == "__main__":
    timed(png(1))  # warm-up: imports and fonts
    for name, draw in (("PNG, 1 pixel per module", png(1)), ("PNG, 16 pixels per module", png(16)),
                       ("SVG, one path, a square per module", svg_modules),
                       ("SVG, one path, a rectangle per run", svg_runs)):
        runs = [timed(draw) for _ in range(3)]
        print(f"{name:38} {min(t for t, _ in runs):.2f} s  {runs[0][1] / 1024:.0f} KiB")
