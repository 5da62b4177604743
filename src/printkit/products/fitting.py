"""Fitting each material to its format from the real layout, never from character counts.

Each product's ``fit`` renders HTML, lays it out with WeasyPrint through the ``Context``,
reads the resulting pages, and re-renders when the fit asks for it (designed filler
pages, the titles a card can hold, the smallest leaflet format that holds a theme).
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from weasyprint import Document
from weasyprint.text.fonts import FontConfiguration

from printkit.checks import layout_findings
from printkit.products.registry import Material, Rendered, product
from printkit.programme.model import Programme
from printkit.render.html import Fitting, render_html
from printkit.render.layouts import Layouts
from printkit.render.pdf import PrintOptions, ProjectFetcher, counting_warnings, lay_out
from printkit.render.weasy import classes, element_id, page_box, walk_boxes
from printkit.render.whitespace import MAX_BLANK, blank_shares, holes

DETAIL = re.compile(r"detail-(\d+)-(\d+)")  # a detail's id in the layout: its measure, its index


@dataclass
class Context:
    """What every render of one build shares, and the layout engine as the fittings use it."""

    programme: Programme
    layouts: Layouts
    fetcher: ProjectFetcher
    options: PrintOptions
    base: Path
    out: Path  # where the build writes, and keeps what the next build reuses
    laid: dict[str, Document] = field(default_factory=dict)  # the material's layouts so far, by their HTML
    # the material's fonts, loaded by its first layout and reused by the others (a layout's fonts
    # are most of what WeasyPrint sets up before it lays out); each material starts afresh, so that
    # one layout's @font-face rules never reach another's
    fonts: FontConfiguration = field(default_factory=FontConfiguration)
    fittings: dict[str, dict] = field(default_factory=dict)  # the fitting choices of each HTML so far
    htmls: dict[tuple, str] = field(default_factory=dict)  # the HTML of each set of fitting choices so far

    def html(self, material: Material, **fitting) -> str:
        """The material's HTML for these fitting choices (the names of ``Fitting``)."""
        return render_html(material, self.programme, self.layouts, self.options.created, Fitting(**fitting))

    def lay_out(self, html: str, label: str) -> Document:
        """HTML laid out into pages, with the build's print options."""
        return lay_out(html, self.base, self.fetcher, self.options, label, self.fonts)

    def render(self, material: Material, **fitting) -> tuple[str, Document]:
        """The material's HTML for these fitting choices, laid out; the fitting tries some choices
        that give the same HTML (the page formats' bare layout, parts before ``whole_from``): laid out once."""
        key = (material.output, *sorted(fitting.items()))
        if key not in self.htmls:  # the fitting asks again for choices it made (each format's bare layout)
            self.htmls[key] = self.html(material, **fitting)
        html = self.htmls[key]
        self.fittings[html] = fitting
        return html, self.laid_out(html, material.output)

    def laid_out(self, html: str, label: str) -> Document:
        """``lay_out``, once for each HTML of a material (its fitting may ask again)."""
        if html not in self.laid:
            self.laid[html] = self.lay_out(html, label)
        return self.laid[html]

    @staticmethod
    def pages_with(document: Document, prefix: str) -> list[int]:
        """The pages holding an anchor whose id starts with ``prefix``."""
        return [i for i, page in enumerate(document.pages) if any(a.startswith(prefix) for a in page.anchors)]

    @staticmethod
    def blank_shares(document: Document) -> list:
        """For every page, the share of its live area left blank at its end (render/whitespace.py)."""
        return blank_shares(document)

    @staticmethod
    def holes(document: Document, limit: float = MAX_BLANK) -> list:
        """The pages that end in more blank than ``limit`` of their live area (covers aside)."""
        return holes(document, limit)

    @staticmethod
    def ids_clear_of(document: Document, page: int, prefix: str, obstacle: str, gap_px: float) -> int:
        """How many elements of a page whose id starts with ``prefix`` end ``gap_px`` or more above the
        first element of class ``obstacle``: a footer placed over the flow hides what runs under it."""
        boxes = list(walk_boxes(page_box(document.pages[page])))
        top = min((box.position_y for box in boxes if obstacle in classes(box)), default=float("inf"))
        return sum(1 for box in boxes
                   if element_id(box).startswith(prefix) and box.position_y + box.margin_height() <= top - gap_px)

    @staticmethod
    def cuts(document: Document) -> dict[int, int]:
        """The measures a page break cuts: each number with its first detail on a later page (the
        layout contract: a measure's id ``mesure-<number>``, its details' ``detail-<number>-<index>``)."""
        starts, cuts = Context.openings(document), {}
        for index, page in enumerate(document.pages):
            for anchor in page.anchors:
                found = DETAIL.fullmatch(anchor)
                if found and starts.get(int(found[1]), index) < index:
                    number, detail = int(found[1]), int(found[2])
                    cuts[number] = min(detail, cuts.get(number, detail))
        return cuts

    @staticmethod
    def openings(document: Document, prefix: str = "mesure-") -> dict[int, int]:
        """The page each measure (or, with ``suite-``, each rest of a cut measure) starts on."""
        starts = {}
        for index, page in enumerate(document.pages):
            for anchor in page.anchors:
                if anchor.startswith(prefix) and anchor[len(prefix):].isdigit():
                    starts.setdefault(int(anchor[len(prefix):]), index)  # a box cut by a page break has an anchor on each
        return starts

    def faults(self, document: Document) -> list:
        """The layout's errors that fail a build (text outside the safe zone, set too small)."""
        return [f for f in layout_findings(document, "", self.programme.campaign.printing.safe_mm) if f.level == "error"]

    @staticmethod
    def emptiness(document: Document) -> tuple[int, float]:
        """How many pages end in a hole, then the largest blank share of a page (covers aside)."""
        return Context.emptiness_of([blank.share for blank in blank_shares(document) if not blank.cover])

    @staticmethod
    def emptiness_of(shares: list[float]) -> tuple[int, float]:
        """``emptiness`` of pages whose blank shares are these."""
        return sum(share > MAX_BLANK for share in shares), max(shares, default=0.0)


def render_material(material: Material, context: Context, layout: str) -> Rendered:
    """Lay out one material, fitted to its format; ``layout`` is its layout key (cache.layout_key)."""
    with counting_warnings() as warnings:
        try:
            rendered = product(material.kind).fit(material, context, layout)
        finally:
            context.laid.clear()
            context.fittings.clear()
            context.htmls.clear()
            context.fonts = FontConfiguration()
    rendered.warnings = list(warnings)
    return rendered
