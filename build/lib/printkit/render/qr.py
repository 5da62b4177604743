"""QR codes drawn as 8-bit greyscale PNGs of 16 pixels per module, and the width each needs.

Measured on this programme's 104 codes (see the README): a PNG shown with
``image-rendering: pixelated`` renders many times faster in WeasyPrint than an SVG path,
stays sharp at any zoom (the PDF image has /Interpolate false), and, being DeviceGray,
prints its dark modules in black ink only. 16 pixels per module keep the image at
300 ppi or more up to 1.35 mm modules (a 55 mm version-4 code), so a printer's preflight
never reports it. Greyscale rather than 1-bit because WeasyPrint converts 1-bit images to RGB.

Each code is at least QR_MODULE_MM per module: its width follows from the version its URL
needs (a shorter URL, a smaller code).
"""

import base64
import hashlib
import io
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import qrcode
from qrcode.constants import ERROR_CORRECT_M

from printkit.files import write_atomic
from printkit.units import QR_MODULE_MM

QUIET_ZONE = 4
PIXELS_PER_MODULE = 16
# Cached codes are stale whenever this module changes (how they are drawn) or qrcode does.
_DRAWING = hashlib.sha256(Path(__file__).read_bytes() + version("qrcode").encode()).hexdigest()


@lru_cache(maxsize=4096)
def qr_png(url: str) -> bytes:
    """The QR code of a URL: error correction M, a 4-module quiet zone, PIXELS_PER_MODULE pixels per module."""
    image = _code(url).make_image().get_image().convert("L")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


@lru_cache(maxsize=4096)
def qr_modules(url: str) -> int:
    """How many modules wide a URL's code is, its quiet zone included (41 for a version-4 code)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M)
    code.add_data(url)
    return 17 + 4 * code.best_fit() + 2 * QUIET_ZONE


def _code(url: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE, box_size=PIXELS_PER_MODULE)
    code.add_data(url)
    code.make(fit=True)
    return code


def qr_width(url: str, minimum: str) -> str:
    """The CSS width of a URL's code: ``minimum`` (any CSS length), or more when its version needs it."""
    return f"max({minimum}, {qr_modules(url) * QR_MODULE_MM:g}mm)"


class QrCodes:
    """QR codes as data: URIs for the templates, kept in a folder from one build to the next.

    qrcode tries all eight masks for each code, about 5 ms a code: the booklet's 105
    codes cost more than half a second, and a rebuild after one edit needs the same codes.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder

    def __call__(self, url: str) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png(url)).decode("ascii")

    def png(self, url: str) -> bytes:
        """The PNG of a URL's code, from the folder when an earlier build made it."""
        if self.folder is None:
            return qr_png(url)
        path = self.folder / (hashlib.sha256(f"{_DRAWING}\n{url}".encode()).hexdigest()[:32] + ".png")
        if path.is_file():
            return path.read_bytes()
        data = qr_png(url)
        write_atomic(path, data, durable=False)  # a cache: every code is decoded again from the PDF
        return data
