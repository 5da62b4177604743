"""Where the built-in layouts and fonts are installed: inside the package, so that a campaign
folder holds only its data and, optionally, its own layout overrides."""

from pathlib import Path

BUILTIN_LAYOUTS = Path(__file__).resolve().parent / "layouts"
BUILTIN_FONTS = Path(__file__).resolve().parent / "fonts"
