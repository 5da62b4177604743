"""The theme pictograms printkit ships: a subset of the Lucide icon set (ISC licence), drawn from a
font (fonts/Lucide-Pictograms.ttf) so that a pictogram is text in the piece's ink, CMYK like every
other letter, where an SVG would bring RGB paint to the printer. fonts/pictograms.json names each
pictogram's character; fonts/README.md says how both were made."""

import json
from functools import cache

from printkit.builtin import BUILTIN_FONTS


@cache
def pictograms() -> dict[str, int]:
    """Each shipped pictogram's name, with its code point in the pictogram font."""
    return json.loads((BUILTIN_FONTS / "pictograms.json").read_text())


def pictogram_character(name: str) -> str:
    """The character that draws the named pictogram (KeyError for a name not shipped)."""
    return chr(pictograms()[name])
