"""How much of each page's live area ends blank, measured on WeasyPrint's laid-out boxes.

The copy-fitting's measure (``products/fitting.py``), which decides from it how to fill or
tighten a document. A page or panel is WeasyPrint's page (a tri-fold's panels are laid out
as pages). Covers, marked by the layout contract's ``page-cover`` class, are designed as a
whole and exempt. The checks judge the result by what the eye sees instead: the largest
empty band anywhere on the rendered page or panel (checks/holes.py).
"""

from dataclasses import dataclass

from weasyprint import Document

from printkit.render import weasy

MAX_BLANK = 0.30  # the most of a page's live area that may end blank, covers aside
COVER_CLASS = "page-cover"


@dataclass(frozen=True)
class Blank:
    """The blank share at the end of one page's live area (0 full, 1 empty)."""

    page: int  # from 1
    share: float
    cover: bool


def blank_shares(document: Document) -> list[Blank]:
    """For every page: the share of the live area's height below the last text or image."""
    return [_blank(number, weasy.page_box(page)) for number, page in enumerate(document.pages, 1)]


def holes(document: Document, limit: float = MAX_BLANK) -> list[Blank]:
    """The pages, covers aside, that end in more blank live area than the limit."""
    return [blank for blank in blank_shares(document) if not blank.cover and blank.share > limit]


def _blank(number: int, page_box) -> Blank:
    top = page_box.content_box_y()
    height = page_box.height
    bottoms, cover = [top], False
    for box in weasy.walk_boxes(page_box, margins=False):
        if COVER_CLASS in weasy.classes(box):
            cover = True
        if isinstance(box, (weasy.TextBox, weasy.ReplacedBox)) and top - 1 <= box.position_y < top + height:
            bottoms.append(min(box.position_y + box.margin_height(), top + height))
    return Blank(number, max(0.0, (top + height - max(bottoms)) / height), cover)
