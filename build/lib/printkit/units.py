"""Units, and the limits of print that the layout, the imposition and the checks share.

PDF coordinates are points (1/72 inch); WeasyPrint's boxes are CSS pixels (1/96 inch).
"""

MM_PER_INCH = 25.4
PT_PER_INCH = 72
PX_PER_INCH = 96
PT_PER_MM = PT_PER_INCH / MM_PER_INCH
PX_PER_PT = PX_PER_INCH / PT_PER_INCH
MM_PER_PX = MM_PER_INCH / PX_PER_INCH


def mm_to_pt(mm: float) -> float:
    """A length in millimetres, in points."""
    return mm * PT_PER_MM


def pt_to_mm(pt: float) -> float:
    """A length in points, in millimetres."""
    return pt / PT_PER_MM


# What printers accept: the checks report anything beyond, the imposition keeps within.
MIN_TEXT_PT = 6
ONE_INK_BELOW_PT = 9  # smaller text in several inks blurs with the slightest misregistration on offset
MIN_REVERSED_PT = 8  # white text on a colour (and bold, where the layout says its weight)
MIN_LINE_PT = 0.25  # the thinnest line a printer accepts
MAX_INK = 300  # % total ink: the four inks' percentages added
MIN_PPI = 300  # raster images at their printed size
SLUG_MM = 3  # a guillotine drifts: nothing but marks between the trim and this far outside it
SHEET_MARGIN_MM = 5  # office printers and digital presses print nothing nearer the sheet's edge
QR_MODULE_MM = 0.5  # a phone at reading distance, and a weaker decoder, both need it
