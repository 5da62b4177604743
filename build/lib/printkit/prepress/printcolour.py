"""Printed colours: the campaign's CMYK inks as the press prints them, through the ICC profile in use.

littleCMS (Pillow's ImageCms) converts each colour to sRGB, for the WCAG contrast of white
paper against it, and to CIE Lab (D50), for the ΔE2000 between theme colours (coloraide).
Relative colorimetric intent: the paper is the white, as it is for white text on a colour.
"""

from functools import lru_cache
from pathlib import Path

from coloraide import Color
from PIL import Image, ImageCms

from printkit.errors import PrintkitError
from printkit.programme.model import Colour

MIN_CONTRAST = 4.5  # WCAG AA for text of normal size
MIN_DELTA_E = 10  # theme colours that code themes must stay apart


def contrast_with_white(colour: Colour, profile: str) -> float:
    """The WCAG contrast ratio of white paper against this colour, as printed with the profile."""
    return 1.05 / (_luminance(_convert(colour, profile, "RGB")) + 0.05)


def delta_e(first: Colour, second: Colour, profile: str) -> float:
    """The CIEDE2000 colour difference between two colours, as printed with the profile."""
    return _lab(first, profile).delta_e(_lab(second, profile), method="2000")


def printed_rgb(colour: Colour, profile: str) -> tuple[int, int, int]:
    """The colour as printed with the profile, in sRGB: for swatches on a screen."""
    return _convert(colour, profile, "RGB")


def _lab(colour: Colour, profile: str) -> Color:
    lightness, a, b = _convert(colour, profile, "LAB")
    return Color("lab", [lightness * 100 / 255, a - 128, b - 128])  # Pillow's 8-bit Lab: L scaled, a and b offset


def _convert(colour: Colour, profile: str, mode: str) -> tuple[int, int, int]:
    inks = tuple(round(value * 255 / 100) for value in colour.cmyk)
    return ImageCms.applyTransform(Image.new("CMYK", (1, 1), inks), _transform(profile, mode)).getpixel((0, 0))


@lru_cache(maxsize=8)
def _transform(profile: str, mode: str) -> ImageCms.ImageCmsTransform:
    if not Path(profile).is_file():
        raise PrintkitError(f"{profile}: CMYK ICC profile not found; set printing.icc_profile in campaign.yaml "
                            "or run scripts/setup, which installs Ghostscript's")
    target = ImageCms.createProfile("sRGB" if mode == "RGB" else "LAB")
    try:
        return ImageCms.buildTransform(ImageCms.getOpenProfile(profile), target, "CMYK", mode,
                                       renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)
    except ImageCms.PyCMSError as error:
        raise PrintkitError(f"{profile}: not a usable CMYK ICC profile ({error})") from None


def _luminance(rgb: tuple[int, int, int]) -> float:
    def linear(value: int) -> float:
        s = value / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
