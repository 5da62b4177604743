"""QR codes drawn as 8-bit greyscale PNGs at one pixel per module.

Measured on this programme's 104 codes (see the README): a PNG shown with
``image-rendering: pixelated`` renders several times faster in WeasyPrint than an SVG
with one element per module, stays sharp at any zoom (the PDF image has
/Interpolate false), and, being DeviceGray, prints its dark modules in black ink only.
Greyscale rather than 1-bit because WeasyPrint converts 1-bit images to RGB.
"""

import base64
import hashlib
import io
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import qrcode
from qrcode.constants import ERROR_CORRECT_M

from .files import write_atomic

QUIET_ZONE = 4
# Cached codes are stale whenever this module changes (how they are drawn) or qrcode does.
_DRAWING = hashlib.sha256(Path(__file__).read_bytes() + version("qrcode").encode()).hexdigest()


@lru_cache(maxsize=4096)
def qr_png(url: str) -> bytes:
    """The QR code of a URL: error correction M, a 4-module quiet zone, one pixel per module."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE, box_size=1)
    code.add_data(url)
    code.make(fit=True)
    image = code.make_image().get_image().convert("L")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


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
