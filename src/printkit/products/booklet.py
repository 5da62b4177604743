"""The booklet: the whole programme, A5, saddle-stitched, with its copy-shop impositions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from printkit.products.registry import Format, Material, Product, Rendered, Sheet, register
from printkit.programme.urls import measure_url, programme_url

if TYPE_CHECKING:
    from weasyprint import Document

    from printkit.messages import Messages
    from printkit.products.fitting import Context
    from printkit.programme.model import Programme

FILLERS = 3
HIGHLIGHTS = 5
CLOSING = ("themes", "vote", "act")  # what may follow the index on its last page, tried in turn
A5 = Format("a5-booklet", "a5", 0, "fold.half", "binding.saddle_stitch")


@register
class Booklet(Product):
    """The full programme in the website's order, a multiple of 4 pages."""

    kind = "booklet"
    name = "booklet"
    medium = "livret"
    paper = "paper.silk_135"
    whole = "booklet"
    formats = (A5,)
    sheets = (Sheet("a4", (210, 297), "saddle-2-up"), Sheet("sra3", (320, 450), "spreads"))
    shows_everything = True
    page_multiple = 4
    previewed_ahead = True
    sheet_finishing = "finishing.booklet"

    def sheet_output(self, output: str, sheet: Sheet) -> str:
        """The imposed booklets sit beside it: booklet-imposed-a4.pdf, booklet-imposed-sra3.pdf."""
        return f"booklet-imposed-{sheet.name}.pdf"

    def piece_name(self, programme: Programme, theme: str | None, messages: Messages) -> str:
        """A sheet holds the booklet's spreads."""
        return messages("piece.booklet_spread")

    def qr_urls(self, programme: Programme, theme: str | None) -> tuple[set[str], set[str]]:
        """Every measure's code, and the programme's."""
        required = {measure_url(programme, m, self.medium) for m in programme.measures}
        return required | {programme_url(programme, self.medium)}, required

    def fit(self, material: Material, context: Context, layout: str) -> Rendered:
        """Fill the index's last page with designed content when it has room, then keep just
        enough designed filler pages for a page count that is a multiple of 4.

        Each choice takes a layout of the whole booklet. The choice made last time is laid out
        first: when the pages after the measures are laid out from the same inputs as then
        (pagewindow.tail_inputs), the other choices would compare as they did, and it stands.
        """
        from printkit.pipeline.cache import keep_fitting, kept_fitting  # the pipeline imports the registry

        fitting = kept_fitting(context.out)
        if fitting is not None and fitting["layout"] == layout:
            html, document = _pages(material, context, tuple(fitting["closing"]))
            if _fitting_inputs(html, document, context) == fitting["inputs"]:
                return _rendered(material, html, document)
        html, document, closing = *_pages(material, context, ()), ()
        for kind in CLOSING:
            closed = _pages(material, context, (kind,))
            if len(closed[1].pages) == len(document.pages) and context.emptiness(closed[1]) < context.emptiness(document):
                (html, document), closing = closed, (kind,)
        keep_fitting(context.out, {"layout": layout, "closing": closing,
                                   "inputs": _fitting_inputs(html, document, context)})
        return _rendered(material, html, document)

    def full_html(self, material: Material, context: Context) -> str:
        """Every designed filler page in, nothing after the index: what the page window is cut from."""
        return booklet_html(material, context)

    def draft(self, material: Material, context: Context) -> Rendered:
        """The booklet laid out once, with the last choice of what follows the index, for the preview
        to show while a new layout's fitting tries every choice."""
        from printkit.pipeline.cache import kept_fitting

        fitting = kept_fitting(context.out)
        return _rendered(material, *_pages(material, context, tuple(fitting["closing"]) if fitting else ()))


def booklet_html(material: Material, context: Context, closing: tuple[str, ...] = ()) -> str:
    """The booklet's HTML with every designed filler page, before the fitting drops those it does not need."""
    return context.html(material, fillers=FILLERS, highlights=HIGHLIGHTS, closing=closing)


def _fitting_inputs(html: str, document: Document, context: Context) -> str:
    """What the choice after the index depends on: the inputs of the pages after the measures,
    and how empty the pages up to the last measure are (the choice compares the emptiest page)."""
    from printkit.render.pagewindow import measures_on, tail_inputs

    pages = document.pages
    last = max((i for i, page in enumerate(pages) if measures_on(page)), default=-1)
    return tail_inputs(html, document) + repr(context.emptiness(document.copy(pages[:last + 1])))


def _rendered(material: Material, html: str, document: Document) -> Rendered:
    return Rendered(material, html, document, A5)


def _pages(material: Material, context: Context, closing: tuple[str, ...]) -> tuple[str, Document]:
    html = booklet_html(material, context, closing)
    document = context.lay_out(html, material.output)
    fillers = context.pages_with(document, "filler-")
    needed = -(len(document.pages) - len(fillers)) % 4
    dropped = set(fillers[needed:])
    return html, document.copy([page for i, page in enumerate(document.pages) if i not in dropped])
