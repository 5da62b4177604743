"""Paper sizes, defined once: the products' formats and copy-shop sheets are made of them, and
the layouts (through CSS custom properties), the imposition, the job ticket and the checks
all read them from there. campaign.yaml's ``printing.paper`` picks the family: ``iso`` or ``us``.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate

from printkit.units import MM_PER_INCH, mm_to_pt

FAMILIES = ("iso", "us")
FOLD_IN_MM = 3  # a tri-fold's inside panel is this much narrower, so that it folds in without buckling


@dataclass(frozen=True)
class Size:
    """A piece or a sheet, in millimetres, with the name and unit its trade states it in."""

    name: str  # "A5", "half-letter", "12 × 18 in"
    width: float  # mm
    height: float  # mm
    unit: str = "mm"  # how job tickets and slug lines state it: "mm" or "in"

    @property
    def label(self) -> str:
        """The size as a printer reads it: "148 × 210 mm", "5.5 × 8.5 in"."""
        return f"{in_unit(self.width, self.unit)} × {in_unit(self.height, self.unit)} {self.unit}"

    @property
    def landscape(self) -> Size:
        """The same sheet turned a quarter turn, its long side across."""
        return Size(self.name, max(self.width, self.height), min(self.width, self.height), self.unit)

    @property
    def pt(self) -> tuple[float, float]:
        """Width and height in points, as PDF boxes state them."""
        return mm_to_pt(self.width), mm_to_pt(self.height)


def inches(name: str, width: float, height: float) -> Size:
    """A US size, given in inches."""
    return Size(name, width * MM_PER_INCH, height * MM_PER_INCH, "in")


def in_unit(mm: float, unit: str, digits: int = 3) -> str:
    """A length in millimetres, stated in a unit ("mm" or "in"), without trailing zeros."""
    return _number(round(mm / (MM_PER_INCH if unit == "in" else 1), digits))


def css_length(mm: float) -> str:
    """A length for CSS, in millimetres, to the micrometre."""
    return f"{_number(round(mm, 3))}mm"


def _number(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


A1 = Size("A1", 594, 841)  # the largest French election poster (Code électoral R26, R27)
A3 = Size("A3", 297, 420)  # the meeting poster (R26)
A4 = Size("A4", 210, 297)
A5 = Size("A5", 148, 210)
A6 = Size("A6", 105, 148)
SRA3 = Size("SRA3", 320, 450)
LETTER = inches("Letter", 8.5, 11)
HALF_LETTER = inches("half-letter", 5.5, 8.5)
POSTCARD = inches("4 × 6 in", 4, 6)  # the US postcard and palm card; close to A6, so the card's layout carries over
TABLOID_EXTRA = inches("12 × 18 in", 12, 18)  # the US digital press sheet, as SRA3 is the ISO one
DL = Size("DL", 99, 210)  # an A4 tri-fold closed, named after the envelope it fits
NO10 = inches("#10", 11 / 3, 8.5)  # a Letter tri-fold closed, likewise


def trifold_panels(sheet: Size) -> tuple[float, ...]:
    """The six panels of a roll fold across a landscape sheet, in reading order (mm).

    The panel that folds in (the 4th, and the 5th behind it) is ``FOLD_IN_MM`` narrower; the
    other two on each side share what is left: A4 gives 100, 100, 97 (DL closed).
    """
    across = sheet.landscape.width
    panel = round((across + FOLD_IN_MM) / 3, 3)
    fold_in = round(across - 2 * panel, 3)
    return (panel, panel, panel, fold_in, fold_in, panel)


# A roll fold's panels on each side of the sheet, from the left, by their reading order (trifold_panels):
# outside the back of the fold-in panel, the back cover and the cover; inside the three inner panels.
# The imposition places them so, and the job ticket states the folds from them.
ROLL_OUTSIDE, ROLL_INSIDE = (4, 5, 0), (1, 2, 3)


def closed_size(sheet: Size, panels: tuple[float, ...]) -> Size:
    """A roll-folded sheet once folded: its widest panel across, the sheet's height."""
    return Size(sheet.name, max(panels), sheet.height, sheet.unit)


def roll_fold_sizes(sheet: Size, panels: tuple[float, ...]) -> dict[str, str]:
    """What a job ticket says of a roll fold across ``sheet`` (landscape): its size closed, the
    outside panels from the left, where the folds fall from the left edge, the panel that folds in."""
    unit = sheet.unit
    outside = [panels[i] for i in ROLL_OUTSIDE]
    folds = list(accumulate(outside))[:-1]
    return {"closed": closed_size(sheet, panels).label, "panels": _lengths(outside, unit),
            "folds": _lengths(folds, unit), "fold_in": _lengths([min(panels)], unit)}


def _lengths(values: list[float], unit: str) -> str:
    return " / ".join(in_unit(value, unit, 2) for value in values) + f" {unit}"


@dataclass(frozen=True)
class Window:
    """Where a window envelope shows the address on the letter's first page, in mm from its top left."""

    left: float
    top: float
    width: float
    height: float


def window_for_no10(page: Size) -> Window:
    """The address frame of a US Letter page tri-folded into a #10 window envelope.

    The #10 envelope is 9.5 × 4.125 in; its window 4.5 × 1.125 in, 7/8 in from the left and
    1/2 in from the bottom. Folded in three, the letter is a packet 8.5 in wide and 11/3 in
    tall, its top third (the page's top edge up) behind the window. It rests on the
    envelope's bottom, so the window shows the page from 11/3 − 1.625 in to 11/3 − 0.5 in
    below its top edge. Sideways it may slide by 9.5 − 8.5 = 1 in: the part of the window
    that shows the page whatever the slide runs from 7/8 in to 7/8 + 4.5 − 1 in from the
    page's left edge.
    """
    panel = page.height / 3
    envelope_play = 9.5 * MM_PER_INCH - page.width
    left, width = 0.875 * MM_PER_INCH, 4.5 * MM_PER_INCH - envelope_play
    bottom, height = 0.5 * MM_PER_INCH, 1.125 * MM_PER_INCH
    return Window(left, panel - bottom - height, width, height)
