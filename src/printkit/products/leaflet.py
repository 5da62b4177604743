"""Leaflets: one per theme, on the smallest standard format that holds every measure of it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from printkit.errors import PrintkitError
from printkit.messages import messages_for
from printkit.products.paper import A4, A5, DL, HALF_LETTER, LETTER, NO10, Size, trifold_panels
from printkit.products.registry import Format, Material, Product, Rendered, register
from printkit.programme.urls import programme_url, theme_url

if TYPE_CHECKING:
    from weasyprint import Document

    from printkit.products.fitting import Context
    from printkit.programme.model import Measure, Programme

# Designed content a leaflet may take after its measures, in order, by layout (the tri-fold's
# flap holds the guarantees, so its inside panels never repeat them). How to vote is no filler:
# every leaflet's closing carries it.
FILLERS = {"pages": ("guarantees", "join", "themes"), "trifold": ("join", "themes")}
FOLLOWING_PANELS = ("flap", "back")  # what a tri-fold lays out after its inside panels
# Without guarantees the tri-fold's flap holds how to act and the themes instead (leaflet.html sets
# ``flap``): the inside panels then never repeat how to act, and may give the themes again, spread
# with the measure each leads with, as a tri-fold's measures, without a code each, seldom fill its panels.
FLAP_ONLY = ("join",)


def _formats(page: Size, sheet: Size, closed: Size, names: tuple[str, str]) -> tuple[Format, ...]:
    """A paper family's leaflets, from the smallest to the largest: a page flyer, a sheet
    tri-fold (``closed``: the standard size it folds to, whose name tells the envelope it fits;
    its real size closed comes from its panels), a sheet
    folded to the page, 8 pages, 12 pages (a theme of many measures, set at a size voters read). The page formats share one layout, so one render tells which
    fits. ``names`` are the page's and the sheet's in the format names (and the messages
    ``format.<name>`` that describe them)."""
    small, large = names
    panels = trifold_panels(sheet)
    return (
        Format(f"{small}-flyer", "pages", 2, size=page, codes_a_side=1),
        Format(f"{large}-trifold", "trifold", 6, "fold.roll_3", size=sheet.landscape, panels=panels,
               fold_values=(("envelope", closed.name),), codes_a_side=1),
        Format(f"{large}-folded-{small}", "pages", 4, "fold.sheet_to_page", size=page,
               fold_values=(("sheet", sheet.name), ("page", page.name)), codes_a_side=1),
        Format(f"{small}-8-pages", "pages", 8, "fold.half", "binding.saddle_stitch", size=page, codes_a_side=1),
        Format(f"{small}-12-pages", "pages", 12, "fold.half", "binding.saddle_stitch", size=page, codes_a_side=1),
    )


FORMATS = {"iso": _formats(A5, A4, DL, ("a5", "a4")),
           "us": _formats(HALF_LETTER, LETTER, NO10, ("half-letter", "letter"))}


@register
class Leaflet(Product):
    """Every measure of a theme in full, then designed content where there is room. Every format
    carries one QR code, in its closing, to the theme's page, never one a measure."""

    kind = "leaflet"
    name = "leaflets"
    folder = "leaflets"
    medium = "tract"
    paper = "paper.silk_135"
    per_theme = True
    formats = FORMATS

    def qr_urls(self, programme: Programme, theme: str | None) -> tuple[set[str], set[str]]:
        """The theme's page or the programme's, which a designer's layout may give too; the theme's
        required: the closing's one code. The measures have no code of their own."""
        page = theme_url(programme, programme.theme(theme), self.medium)
        return {page, programme_url(programme, self.medium)}, {page}

    def flagships(self, programme: Programme) -> tuple[Measure, ...]:
        """The measure a tri-fold's cover leads with, for each theme of more than one measure."""
        return tuple(programme.lead_of(t.slug)[0] for t in programme.themes if len(programme.measures_of(t.slug)) > 1)

    def names(self, programme: Programme, material: Material) -> dict:
        """``call_lead``: the call to vote that leads to the closing's wordmark (call_lead)."""
        return {"call_lead": call_lead(programme)}

    def fit(self, material: Material, context: Context, layout: str) -> Rendered:
        """The smallest standard format that holds every measure of the theme, filled with designed content.

        For each format, from the smallest, the leaflet is laid out with more and more of the
        designed content after the measures while the page count stays the format's; the
        fullest layout with the fewest pages that end in a hole wins. A format whose layout
        breaks a layout rule (text past the safe zone…), or whose closing shares the cover's side,
        gives way to the next, and so does a
        tri-fold whose panels still end in a hole once filled (a measure is never cut across a
        fold, and a panel's designed parts are too few to spread); when none holds, the first
        that fits is returned, and its faults fail the file. On the chosen layout, the measures
        shared with other themes open a page whole where a break split them (_also_whole), a
        tri-fold's inside opens on its theme where it has room (_opened), and the pages and
        panels that end 6 % short or more are filled to their foot (_spread).
        """
        formats = self.formats_for(context.programme.campaign.printing.paper)
        faulty, pages_needed = None, 0
        for spec in formats:
            if spec.panels and pages_needed > TRIFOLD_MOST_PAGES:
                continue  # the page formats' layout already says the panels cannot hold the theme
            if not spec.panels and not pages_needed:
                pages_needed = len(_render(material, context, spec, (), 0)[1].pages)
            fitted = _fitted(material, context, spec)
            if fitted is None:
                continue
            fitted = _unsigned(material, context, _backed(material, context, spec, _also_whole(material, context, spec, fitted)))
            if context.faults(fitted[1]) or _closing_on_cover(context, fitted[1]) or _crowded(fitted[1]):
                faulty = faulty or Rendered(material, *fitted, spec)
                continue
            filled = _on_panels(material, context, _spread(material, context, spec, _opened(material, context, spec, fitted)))
            if not (spec.panels and context.holes(filled[1], SPREAD["trifold"])):
                return Rendered(material, *filled, spec)
            faulty = faulty or Rendered(material, *filled, spec)
        if faulty and _crowded(faulty.document):
            raise PrintkitError(f"{material.output}: the closing's panels (the dates, how to vote when away, the "
                                "code, the meetings, the imprint) run over its wordmark on every leaflet format; "
                                "list fewer meetings in identity.yaml or shorten the procuration")
        if faulty:
            return faulty
        raise PrintkitError(f"{material.output}: the theme does not fit even the largest leaflet format "
                            f"({formats[-1].name}); shorten the measures or add a format")


def call_lead(programme: Programme) -> str:
    """The call to vote that a closing with no room to set it large leads to its wordmark, which ends
    it: the catalogue's (« Votez et faites voter », "Bring a friend, and vote"), unless the campaign
    rewords the call and not its lead; then the call less the list's name that ends it. "" where
    there is none, or the campaign has a logo, not read as words: the whole call then stands over
    the dates."""
    messages, name = messages_for(programme.campaign), programme.campaign.name
    if programme.identity.logo:
        return ""
    if "leaflet.closing_call" not in messages.overrides or "leaflet.closing_call_lead" in messages.overrides:
        return messages("leaflet.closing_call_lead")
    call = messages("leaflet.closing_call", name=name)
    return call.removesuffix(name).strip() if call.endswith(name) else ""


def _closing_on_cover(context: Context, document: Document) -> bool:
    """Whether the closing shares the first page or panel with the cover (a flyer whose measures
    leave room on page 1): the closing is the back's, where the reader turns to act."""
    return 0 in context.pages_with(document, "part-closing")


def _backed(material: Material, context: Context, spec: Format, fitted: tuple[str, Document]) -> tuple:
    """The page leaflet whose closing has its last page to itself, with that page its back cover,
    as when the fitting gives the closing the back page (closing_page): as a field of colour that
    opens the page, the closing left a band between its wordmark and its panels."""
    html, document = fitted
    fitting = context.fittings.get(html)
    if spec.panels or fitting is None or fitting.get("closing_page") or not _closing_alone(document):
        return fitted
    backed = context.render(material, **dict(fitting, closing_page=True))
    return backed if _kept(context, document, backed[1]) else fitted


def _also_whole(material: Material, context: Context, spec: Format, fitted: tuple[str, Document]) -> tuple:
    """The page leaflet whose measures shared with other themes, under « Aussi dans ce thème », start
    the page after the theme's own, where a page break split them: every reviewer saw Val-Fleuri's
    culture flyer open its back on one of them, cut from its heading on the front. Kept only if every
    page and part stays where it was, the section is then whole on one page, and the page it leaves
    ends short of a hole (SPREAD), which its measures then share out as air (_spread)."""
    html, document = fitted
    if spec.panels or html not in context.fittings or len(_also_pages(context, material, document)) < 2:
        return fitted
    moved = context.render(material, **dict(context.fittings[html], also_apart=True))
    pages = _also_pages(context, material, moved[1])
    if not (_kept(context, document, moved[1]) and len(pages) == 1):
        return fitted
    left = context.blank_shares(moved[1])[min(pages) - 1].share
    return moved if left <= SPREAD[spec.layout] else fitted


def _opened(material: Material, context: Context, spec: Format, fitted: tuple[str, Document]) -> tuple:
    """The tri-fold whose inside opens on the theme's name over its count (inside_head), where every
    measure still starts on its panel and every part stays where it was: Clamart's démocratie opened
    its inside on measure 43's number, with no word of its theme, over panels ending 27 to 37 mm
    short (review 38). A tri-fold whose first panel has no room for it keeps its measures as they are."""
    html, document = fitted
    if not spec.panels or html not in context.fittings or _first_panel_room(context, document) < INSIDE_HEAD_PX:
        return fitted
    opened = context.render(material, **dict(context.fittings[html], inside_head=True))
    same = context.openings(opened[1]) == context.openings(document)
    return opened if same and _kept(context, document, opened[1]) else fitted


def _first_panel_room(context: Context, document: Document) -> float:
    """The blank (px) at the end of a tri-fold's first inside panel, its second page."""
    from printkit.render.weasy import page_box
    return context.blank_shares(document)[1].share * page_box(document.pages[1]).height


def _also_pages(context: Context, material: Material, document: Document) -> set[int]:
    """The pages the theme's measures shared with other themes start on."""
    openings = context.openings(document)
    return {openings[m.number] for m in context.programme.measures_of(material.theme)
            if m.themes[0] != material.theme and m.number in openings}


def _unsigned(material: Material, context: Context, fitted: tuple[str, Document]) -> tuple:
    """The leaflet, or, where the panels at its back cover's foot would run over the closing's sign
    (many meetings, a long procuration), the same with the sign set smaller (SIGN_SIZES), else
    without it: Riverton's backs, with two meetings, dropped it and left 35 mm of bare colour."""
    html, document = fitted
    if not _crowded(document) or html not in context.fittings:
        return fitted
    fitting, parts = context.fittings[html], _closing_parts(document)
    size = _sign_pt(parts["closing-sign"]) if "closing-sign" in parts else 0
    for pt in (pt for pt in SIGN_SIZES if pt < size - 0.5):
        smaller = context.render(material, **dict(fitting, sign_pt=pt))
        if not _crowded(smaller[1]) and len(smaller[1].pages) == len(document.pages):
            return smaller
    return context.render(material, **dict(fitting, closing_sign=False))


def _crowded(document: Document) -> bool:
    """Whether the closing's panels, set at its foot out of the flow, reach up over its wordmark
    or the closing's sign: nothing else keeps them apart."""
    parts = _closing_parts(document)
    panels = parts.get("closing-panels")
    return panels is not None and any(box.position_y + box.margin_height() - box.margin_bottom > panels.position_y
                                      for name, box in parts.items() if name != "closing-panels")


def _closing_parts(document: Document) -> dict:
    """The closing's wordmark, the call leading to it, its sign and panels (classes closing-mark,
    closing-call-lead, -sign, -panels), those it has, each its first box on the last page, where
    the closing always is."""
    from printkit.render.weasy import classes, page_box, walk_boxes
    found = {}
    for box in walk_boxes(page_box(document.pages[-1])):
        for name in {"closing-mark", "closing-call-lead", "closing-sign", "closing-panels"} & classes(box):
            found.setdefault(name, box)
    return found


def _on_panels(material: Material, context: Context, fitted: tuple[str, Document]) -> tuple:
    """The leaflet with the closing's sign (its call to vote) grown to its room (_grown_sign), or
    without one the call that leads to the wordmark (_grown_mark), then the call SIGN_GAP_PX over
    its panels (the dates first), the colour's room above it (_call_room): the call reads with the
    dates it calls to. Centred, or under the wordmark, it stood 2 to 30 mm above them from one
    piece to the next."""
    html, document = _grown_mark(material, context, _grown_sign(material, context, fitted))
    if html not in context.fittings:
        return html, document
    air = _call_room(document, context.fittings[html])
    if air < GAP_PX:
        return html, document
    lowered = context.render(material, **dict(context.fittings[html], call_air=round(air, 1)))
    return lowered if _kept(context, document, lowered[1]) else (html, document)


def _grown_sign(material: Material, context: Context, fitted: tuple[str, Document]) -> tuple:
    """The leaflet with the closing's call to vote set at the largest of SIGN_SIZES that its room
    holds, where it is set smaller: a field grown under measures set it at 17 pt, and left 20 to 30 mm
    of bare colour between the wordmark and it (Clamart's vivre-ensemble, culture)."""
    html, document = fitted
    parts = _closing_parts(document)
    if not {"closing-sign", "closing-panels"} <= parts.keys() or html not in context.fittings:
        return fitted
    sign = parts["closing-sign"]
    size = _sign_pt(sign)
    room = sign.border_height() + max(0.0, _room_over(parts, sign))
    for pt in (pt for pt in SIGN_SIZES if pt > size + 0.5 and sign.border_height() * pt / size <= room):
        grown = context.render(material, **dict(context.fittings[html], sign_pt=pt))
        if _kept(context, document, grown[1]) and "closing-sign" in _closing_parts(grown[1]):
            return grown
    return fitted


def _grown_mark(material: Material, context: Context, fitted: tuple[str, Document]) -> tuple:
    """On a field grown under measures too short for the sign, the leaflet with the call that leads
    to the wordmark, and the wordmark, set at the sign's size (leaflet.css: mark-grown), where they
    stay SIGN_GAP_PX over the panels: VF's flyer backs set the call at 12 pt, 11 mm over the dates."""
    html, document = fitted
    if html not in context.fittings or "closing-sign" in _closing_parts(document) \
            or _call_room(document, context.fittings[html]) < GAP_PX:
        return fitted
    grown = context.render(material, **dict(context.fittings[html], mark_grown=True))
    kept = _kept(context, document, grown[1]) and _call_room(grown[1], context.fittings[html]) >= 0
    return grown if kept else fitted


def _sign_pt(sign) -> float:
    """The size, in pt, the closing's call to vote is set at: its first text's."""
    from printkit.render.weasy import TextBox, walk_boxes

    text = next(box for box in walk_boxes(sign) if isinstance(box, TextBox))
    return text.style["font_size"] * 72 / 96


def _call_room(document: Document, fitting: dict) -> float:
    """How far (px) the closing's call to vote stands above SIGN_GAP_PX over its panels, less than 0
    where it stands nearer: its sign, else, on a field grown under measures, the wordmark its call
    leads to (VF's flyer backs set it 11 mm over its dates); 0 without either (a back cover's
    wordmark heads its page; a logo, or a call that does not lead to the name, opens the panels)."""
    parts = _closing_parts(document)
    grown = any(kind == "closing" for kind, *_ in fitting.get("spread", ()))
    call = parts.get("closing-sign") or (parts.get("closing-mark") if grown and "closing-call-lead" in parts else None)
    return _room_over(parts, call) if call is not None and "closing-panels" in parts else 0.0


def _room_over(parts: dict, call) -> float:
    """How far (px) this part of the closing stands above SIGN_GAP_PX over its panels."""
    return parts["closing-panels"].position_y - (call.border_box_y() + call.border_height()) - SIGN_GAP_PX


def _closing_alone(document: Document) -> bool:
    """Whether the closing is alone on the last page, no measure nor designed part before it."""
    anchors = document.pages[-1].anchors
    return "part-closing" in anchors and not any(
        a.startswith(("mesure-", "suite-", "part-")) for a in anchors if a != "part-closing")


# From how many pages a leaflet's cover takes its whole first page, as a stitched booklet's does:
# a folded sheet's cover band leaves its first page to the measures.
COVER_PAGE_FROM = 8
# The most themes a panel holds as tiles, each with the measure it leads with (leaflet.html:
# THEMES_WITH_LEADS): a grid taller than its panel is not carried over.
PANEL_TILES = 6
# The most pages the measures may take in the page formats' layout for a tri-fold to be worth
# trying: its three inside panels, narrower than a page, hold less than this.
TRIFOLD_MOST_PAGES = 4


def _fitted(material: Material, context: Context, spec: Format, whole: bool = False) -> tuple[str, Document] | None:
    """The layout on this format with the fewest pages ending in a hole; None if the measures do not fit.

    On page formats the closing takes the back page, or follows the measures when they leave no
    page for it. Designed content is added after the measures: every part at once, in each
    arrangement (which flow, which take a whole page: first as many whole pages as the measures
    leave spare), the first that makes the format's page count winning; else part by part, each
    kept only if the format still holds everything, the layout with the fewest pages ending in
    a hole winning. Long measures that would end a page in a hole are cut first (_cut), unless
    ``whole``.
    """
    from printkit.render.weasy import (
        page_box,  # in the functions: checking a PDF imports no WeasyPrint
    )
    flowing = _render(material, context, spec, (), 0)
    closing_page = not spec.panels and _back_page_free(context, flowing[1], spec)

    def cuts(closing_page: bool) -> tuple[tuple | None, tuple]:
        return (None, ()) if whole else _cut(material, context, spec, closing_page, flowing)
    cut, continued = cuts(closing_page)
    if closing_page and _measured(context, flowing[1], closing_page, cut)[0] > spec.pages:
        closing_page = False
        cut, continued = cuts(closing_page)
    pages, end = _measured(context, flowing[1], closing_page, cut)
    if pages > spec.pages:
        return None
    if spec.panels:  # the flap and the back follow the inside panels: the measures end on the third from last
        end = context.blank_shares(flowing[1])[-len(FOLLOWING_PANELS) - 1].share

    def bare() -> tuple[str, Document]:  # the measures and the closing alone, laid out only when they are the answer
        return cut or _render(material, context, spec, (), 0, closing_page)

    spare = spec.pages - pages
    if not spare and end < PART:
        return bare()  # no designed part fits in what the measures' last page leaves
    arrangements, tried = _arrangements(spec, context.programme, spare), {}
    for kinds, whole_from in arrangements:  # every part at once: the first that makes the page count
        html, document = _render(material, context, spec, kinds, whole_from, closing_page, continued=continued)
        if len(document.pages) == spec.pages:
            return html, document
        tried[kinds, whole_from] = _part_heights(document), len(document.pages)
    page = page_box(flowing[1].pages[-1]).height
    room = end * page + spare * page
    candidates = []
    for kinds, whole_from in arrangements:  # else part by part, the layout with the fewest holes
        heights, pages = tried[kinds, whole_from]
        if pages < spec.pages:
            continue  # every part at once is short of the format: fewer parts are shorter still
        html, document = _greedy(material, context, spec, (bare, continued), (kinds, whole_from), closing_page,
                                 (heights, room))
        if len(document.pages) == spec.pages:
            candidates.append((context.emptiness(document), whole_from, html, document))
            if not candidates[-1][0][0]:
                break
    return min(candidates, key=lambda c: c[:2])[2:] if candidates else None


# The blank share at a page's end from which its measures' last page is balanced (_balanced), that a
# page left by measures moved on must stay under (_also_whole), and from which a tri-fold, filled,
# gives way to the next format: what the checks' band of 20 % of the live height
# (trim less the safe margin) comes to at the end of the page's content box: on a page, the band
# runs on 2.5 mm to the folio; on a panel, with no folio, into the foot margin, 8 mm.
SPREAD = {"pages": 0.205, "trifold": 0.17}
# The blank share under a closing from which it grows to its page's foot: a side that closes
# ends at its foot, as a back page does, rather than over a strip of white.
CLOSING_FOOT = 0.04
# The blank share at the end of a page or panel of measures from which they share it out as air, and
# at the end of a page or panel from which the designed part that ends it spreads: a reader sees a
# page end 1 cm short, as a designer justifies a column; a tri-fold's panels, side by side, then end at
# one foot, where Clamart's oppressions ended its middle panel 13 mm above the others, and its last,
# on the list of themes, 16 mm above.
AIR_FROM = 0.06
ROOM_PX = 19  # px (5 mm): what a part's top margin may give back when it opens a page
LEADS = 2.5  # how many times its own height a spread themes list must grow to for each theme to show its lead measure
SIGN_PX = 57  # px (15 mm): the room a closing must grow by to show its sign (its call to vote, set large between wordmark and panels), as a back page does
INSIDE_HEAD_PX = 57  # px (15 mm): a tri-fold inside's opening, the theme's name at 17 pt over its count and rule; no layout is tried with less room
AIR_PX = 23  # px (6 mm): the most air a measure takes above its number to bring a page's last to its foot
# the shares of the air a last page of measures leaves that its measures share out (_balanced), tried
# in turn: not all, lest one more moves on; less where the measures, each moving on whole, overshoot
# (Val-Fleuri's ville-durable, its tags set 2 mm tighter, took a ninth page with 0.8 and is balanced
# with 0.6: tests/test_campaigns.py)
BALANCES = (0.8, 0.6, 0.4)
FOOT_PX = 15  # px (4 mm): a measure's foot under its last detail, its padding (--space-3) and its rule
GAP_PX = 4  # px: how near a part's foot must come to the page's last line, and what it leaves under it when grown
SIGN_SIZES = (40, 30, 24)  # pt: what a closing's call to vote may be set at, grown or shrunk to its room, the largest first
SIGN_GAP_PX = 19  # px (5 mm, --space-4): the closing's call to vote over its dates, as on every piece (leaflet.css)
PART = 0.20  # the least blank share at the end of the last page that may hold a designed part
HOLE = 0.20  # the largest blank share at the end of a page of measures before a long measure may run on
MEASURE = re.compile(r'id="mesure-(\d+)"')  # a measure's article, in the order of the layout
LONG = re.compile(r'measure-long[^"]*" id="mesure-(\d+)"')  # a long measure's article (common/macros.html)


def _last_measure_page(context: Context, document: Document) -> int:
    """The index of the last page that holds a measure (0 when none does)."""
    return max(context.pages_with(document, "mesure-"), default=0)


def _measures_end(document: Document, index: int) -> float:
    """The blank share of a page's live area below its last line before the closing: what the page
    ends with once the closing takes a page of its own (whitespace.py's measure, the closing aside),
    read on the layout where it follows the measures, without laying that one out."""
    from printkit.render.weasy import (
        ReplacedBox,
        TextBox,
        classes,
        page_box,
        walk_boxes,
    )
    page = page_box(document.pages[index])
    top, foot = page.content_box_y(), page.content_box_y() + page.height
    closing = min((box.position_y for box in walk_boxes(page) if "leaflet-closing" in classes(box)), default=foot)
    bottoms = [min(box.position_y + box.margin_height(), foot) for box in walk_boxes(page, margins=False)
               if isinstance(box, (TextBox, ReplacedBox)) and top - 1 <= box.position_y < closing]
    return max(0.0, (foot - max(bottoms, default=top)) / page.height)


def _measured(context: Context, flowing: Document, closing_page: bool, cut: tuple | None) -> tuple[int, float]:
    """How many pages the measures and the closing take, and the blank share at the end of the
    measures' last page: read on the cut layout when there is one, else on the layout where the
    closing follows the measures (``flowing``), without laying out the one where it takes a page
    of its own (the measures' pages are the same in both)."""
    if cut:
        return len(cut[1].pages), context.blank_shares(cut[1])[-2 if closing_page else -1].share
    if not closing_page:
        return len(flowing.pages), context.blank_shares(flowing)[-1].share
    last = _last_measure_page(context, flowing)
    return last + 2, _measures_end(flowing, last)


def _back_page_free(context: Context, flowing: Document, spec: Format) -> bool:
    """Whether the measures, laid out with the closing after them, leave the format a page for the
    closing: the page after their last one comes before the back page."""
    return _last_measure_page(context, flowing) + 2 <= spec.pages


def _after_holes(context: Context, laid: tuple[str, Document]) -> tuple[int, ...]:
    """The long measures that open a page after a page of measures ending in a hole: the holes the
    designed parts, which come after the last measure, cannot fill. Only those may run on: a
    measure cut anywhere else moves every page after it, and the cuts found then no longer fall
    where the holes are."""
    html, document = laid
    shares = context.blank_shares(document)[:_last_measure_page(context, document)]
    holed = {index + 1 for index, blank in enumerate(shares) if blank.share > HOLE and not blank.cover}
    opening, firsts = context.openings(document), {}
    for number in (int(n) for n in MEASURE.findall(html)):  # in the order of the layout
        firsts.setdefault(opening.get(number), number)
    long = {int(number) for number in LONG.findall(html)}  # more than two details, or a long title
    return tuple(sorted(firsts[index] for index in holed if firsts.get(index) in long))


def _cut(material: Material, context: Context, spec: Format, closing_page: bool,
         flowing: tuple[str, Document]) -> tuple[tuple | None, tuple]:
    """Where a long measure would end a page in a hole, the measures laid out with it let run on to
    the next page: cut between two details, the rest under its number and « (suite) ».
    The cuts hold for every arrangement of the designed parts, which come after the measures.
    Read on ``flowing`` (the closing after the measures: the same pages of measures), then once
    more on the cut layout: a cut moves the pages after it, and may end one of them in a hole
    before another long measure (Clamart's écologie, measure 16 two details longer: 26.5 % over
    measure 34). Returns the layout and the cuts ((measure, first detail on), …); (None, ())
    when the measures stay whole."""
    after, whole = _after_holes(context, flowing), _measured(context, flowing[1], closing_page, None)[0]
    if not after or spec.panels or spec.pages < 4 or whole > spec.pages + 1:
        return None, ()  # cuts save a page at most; folds stay whole
    found = _cut_at(material, context, spec, closing_page, after, whole)
    more = tuple(n for n in _after_holes(context, found[0]) if n not in after) if found[0] else ()
    again = _cut_at(material, context, spec, closing_page, after + more, whole) if more else (None, ())
    return again if again[0] else found


def _cut_at(material: Material, context: Context, spec: Format, closing_page: bool, breakable: tuple[int, ...],
            whole: int) -> tuple[tuple | None, tuple]:
    """The layout with the ``breakable`` measures cut where a page ends in them, and the cuts; (None,
    ()) when none is, when the cuts do not settle in three layouts, when they take more pages than
    the measures whole (``whole``), or when the cut layout has faults."""
    broken = _render(material, context, spec, (), 0, closing_page, breakable=breakable)[1]
    cuts, wanted = _tight(context, broken, context.cuts(broken)), context.openings(broken)
    for _ in range(3):
        if not cuts:
            return None, ()
        continued = tuple(sorted(cuts.items()))
        cut = _render(material, context, spec, (), 0, closing_page, continued=continued)
        starts, alongside = context.openings(cut[1]), _alongside(context, cut[1])
        if not alongside:  # each rest opens a page
            break
        # a head pushed past its page is a little taller whole than cut (its tags): one
        # detail fewer; a head still in place shares its page with its rest: the layout moved, it stays whole
        cuts = {n: at - (n in alongside) for n, at in cuts.items()
                if n not in alongside or (starts.get(n, 0) > wanted.get(n, 0) and at > 1)}
    else:
        return None, ()
    if len(cut[1].pages) > whole or context.faults(cut[1]):
        return None, ()
    return cut, continued


def _tight(context: Context, broken: Document, cuts: dict[int, int]) -> dict[int, int]:
    """The cuts, each one detail earlier where its head ends its page with less room under it than
    the foot a cut head takes whole (its padding and rule, FOOT_PX): it would not fit there, and
    laying it out to learn so costs a layout."""
    from printkit.render.weasy import (
        page_box,
    )
    shares, starts = context.blank_shares(broken), context.openings(broken)
    tight = {n for n, at in cuts.items() if shares[starts[n]].share * page_box(broken.pages[starts[n]]).height < FOOT_PX}
    return {n: at - (n in tight) for n, at in cuts.items() if n not in tight or at > 1}


def _spread(material: Material, context: Context, spec: Format, fitted: tuple[str, Document]) -> tuple:
    """The fitted leaflet with its pages that end short filled to the foot, as a designer
    justifies a column: a designed part that ends one AIR_FROM short or more grows to the foot and
    spreads its list over it, item under item (leaflet.css: part-spread; Clamart's enfance 4-page
    left 32 mm under its guarantees, short of SPREAD), or the closing, its panels kept at the foot
    (closing-spread); where the themes' list would spread thin, each theme also says what it leads
    with, and where the closing grows by SIGN_PX or more, it shows the closing's sign; the
    measures that end a page short (AIR_FROM) share the room as air over each (AIR_PX at most). One more layout (two
    when the leads do not fit), kept only if every page stays where it was; then, on pages, the
    measures' last page is balanced (_balanced)."""
    html, document = fitted
    closings = context.pages_with(document, "part-closing")
    shares = [(index, blank.share) for index, blank in enumerate(context.blank_shares(document)) if not blank.cover]
    holed = [(index, share) for index, share in shares
             if share > (CLOSING_FOOT if index in closings else AIR_FROM)]
    openings = context.openings(document)
    spread = tuple(filter(None, (_grown(context, document, index, share) for index, share in holed)))
    aired = tuple(air for index, share in shares if share > AIR_FROM
                  for air in _aired(document, openings, index, share))
    if not (spread or aired) or html not in context.fittings:
        return _balanced(material, context, spec, fitted)
    fitting = context.fittings[html]
    for tried in dict.fromkeys((spread, tuple((kind, height, False) for kind, height, _ in spread))):
        grown = context.render(material, **dict(fitting, spread=tried, aired=aired))
        if _kept(context, document, grown[1]):
            return _balanced(material, context, spec, grown)
    return _balanced(material, context, spec, fitted)  # the leads did not fit, nor did the lists alone


def _balanced(material: Material, context: Context, spec: Format, fitted: tuple[str, Document]) -> tuple:
    """The page leaflet with the air its measures' last page leaves, when no designed part ends that
    page (they take whole pages after it) and its measures cannot take it all (_aired), shared among
    every measure that does not open a page (BALANCES of it), after the last cut measure's head:
    measures move on from each page to the next, and the last is no longer one or two above a
    hole. One more layout a share, until one keeps every page and part where they were; kept if it
    ends fewer pages in a hole. A tri-fold's panels stay as they are: one that ends in a hole
    gives way to the next format."""
    from printkit.render.weasy import (
        page_box,
    )
    html, document = fitted
    last = _last_measure_page(context, document)
    share = context.blank_shares(document)[last].share
    if spec.panels or share <= SPREAD[spec.layout] or last in context.pages_with(document, "part-") \
            or html not in context.fittings:
        return fitted
    openings, numbers = context.openings(document), [int(n) for n in MEASURE.findall(html)]
    after = max((openings[n] for n in context.openings(document, "suite-")), default=-1)  # a cut head stays where it is
    inside = [n for before, n in zip([None] + numbers, numbers)
              if openings.get(before) == openings.get(n) and openings.get(n) > after]
    if not inside:
        return fitted
    room = share * page_box(document.pages[last]).height / len(inside)
    for balance in BALANCES:
        air = round(min(AIR_PX, balance * room), 1)
        balanced = context.render(material, **dict(context.fittings[html], aired=tuple((n, air) for n in inside)))
        if _kept(context, document, balanced[1]):
            return balanced if context.emptiness(balanced[1]) < context.emptiness(document) else fitted
    return fitted  # every share moved a measure past the last page


def _aired(document: Document, openings: dict[int, int], index: int, share: float) -> tuple[tuple[int, float], ...]:
    """When measures end this page, the air (px) each one that starts on it below its head takes
    over its number (leaflet.html: half of it under the rule before, after a measure) to bring the
    last to the foot; nothing when a designed part ends the page. A tri-fold's note of where the
    measures are online ends them: Clamart's démocratie ended its last panel 20 mm above the others' foot.
    ``openings``: the page each measure starts on."""
    from printkit.render.weasy import (
        classes,
        element_id,
        page_box,
        walk_boxes,
    )
    page = page_box(document.pages[index])
    foot = page.content_box_y() + page.height
    top = page.content_box_y() + 1
    last_line, bottoms, starting = foot - page.height * share, [], []
    for box in walk_boxes(page):
        name = element_id(box)
        if {"measures-also", "inside-head"} & classes(box) and box.position_y <= top:
            top = max(top, box.position_y + box.margin_height() + 1)  # a heading opens the page: its first measure keeps to it
        elif name.startswith(("mesure-", "suite-")) or "leaflet-online" in classes(box):
            bottoms.append(box.position_y + box.margin_height() - box.margin_bottom)
            if (name.startswith("mesure-") and openings.get(int(name[7:])) == index
                    and box.position_y > top):  # the page's first keeps to its head, as on every page
                starting.append(int(name[7:]))
    if not starting or max(bottoms) < last_line - 1:
        return ()
    air = min(AIR_PX, (foot - max(bottoms) - GAP_PX) / len(starting))
    return tuple((number, round(air, 1)) for number in starting)


def _kept(context: Context, before: Document, after: Document) -> bool:
    """Whether a layout keeps every page and every part where they were, every cut measure's rest
    on a page after its head, its closing's panels clear of its wordmark, with no fault the layout
    before it did not have (the fitting spreads only layouts with none: a spread never adds one)."""
    faults = context.faults(after)
    return (len(after.pages) == len(before.pages) and context.pages_with(after, "part-") == context.pages_with(before, "part-")
            and not _alongside(context, after) and not _crowded(after)
            and (not faults or len(faults) <= len(context.faults(before))))


def _alongside(context: Context, document: Document) -> set[int]:
    """The cut measures whose rest shares its head's page: air above the measures before it pushed
    the head on, and « (suite) » would follow its own head."""
    starts = context.openings(document)
    return {n for n, page in context.openings(document, "suite-").items() if starts.get(n) == page}


def _grown(context: Context, document: Document, index: int, share: float) -> tuple[str, float, bool] | None:
    """The designed part (or the closing, ``part-closing``) that ends this page, whole on it, the
    height it grows to (px), and whether that is room enough for more: the themes to say what each
    leads with (LEADS), the closing to show the closing's sign (SIGN_PX); or None."""
    from printkit.render.weasy import (
        element_id,
        page_box,
        walk_boxes,
    )
    page = page_box(document.pages[index])
    foot = page.content_box_y() + page.height
    last_line = foot - page.height * share
    for box in walk_boxes(page):
        name = element_id(box)
        if name.startswith("part-") and context.pages_with(document, name) == [index]:
            bottom = box.position_y + box.margin_height() - box.margin_bottom  # of its border box
            if bottom >= last_line - 1:  # nothing follows it on the page
                height = box.height + foot - bottom - GAP_PX
                more = (height >= LEADS * box.height if name == "part-themes"
                        else name == "part-closing" and height - box.height >= SIGN_PX)
                return name[5:], round(height, 1), more
    return None


def _render(material: Material, context: Context, spec: Format, kinds: tuple[str, ...], whole_from: int,
            closing_page: bool = False, breakable: tuple[int, ...] = (), continued: tuple = ()) -> tuple:
    """The leaflet laid out with these designed parts, its closing on the back page or not, its long
    measures whole, those of ``breakable`` free to run on, or cut where ``continued`` says."""
    return context.render(material, format=spec.layout, fillers=kinds, whole_from=whole_from,
                          closing_page=closing_page, cover_page=spec.pages >= COVER_PAGE_FROM,
                          breakable=breakable, continued=continued)


def _fillers(spec: Format, programme: Programme) -> tuple[str, ...]:
    """The designed parts this format may take: never the guarantees when there are none, nor
    then on a tri-fold what only its flap holds (FLAP_ONLY)."""
    if programme.guarantees:
        return FILLERS[spec.layout]
    return tuple(kind for kind in FILLERS[spec.layout] if kind != "guarantees" and not (spec.panels and kind in FLAP_ONLY))


def _arrangements(spec: Format, programme: Programme, spare: int) -> list[tuple[tuple[str, ...], int]]:
    """The orders of designed parts to try, and from which part on they take whole pages.

    Pages: the parts in order, flowing, then, when the measures leave ``spare`` pages, more and
    more of them as whole pages. On the tri-fold each part may come first instead; then, for
    measures that leave a panel to spare, the themes last, as a whole panel of tiles when they
    are few enough for one (PANEL_TILES).
    """
    kinds = _fillers(spec, programme)
    if spec.panels:
        flowing = [(kinds[i:] + kinds[:i], len(kinds)) for i in range(len(kinds))]
        rest = tuple(kind for kind in kinds if kind != "themes")
        tiled = "themes" in kinds and len(programme.themes) <= PANEL_TILES
        return flowing + ([(rest + ("themes",), len(rest))] if tiled else [])
    if not spare:
        return [(kinds, len(kinds))]
    # as many whole pages as the measures leave spare first, then fewer, then more
    wholes = sorted(range(len(kinds) + 1), key=lambda whole: (whole > spare, abs(spare - whole)))
    return [(kinds, len(kinds) - whole) for whole in wholes]


def _greedy(material: Material, context: Context, spec: Format, cut: tuple, arrangement: tuple,
            closing_page: bool, measured: tuple[dict[str, float], float]) -> tuple:
    """Add each designed part that still fits; parts from ``whole_from`` on take a whole page each.
    ``cut``: the measures' layout (a function: laid out only if no part fits) and cuts; ``measured``: each flowing part's height when all of
    them were laid out, and the room the measures leave (px). A part taller than the room left
    cannot fit: it is not laid out to learn so."""
    (bare, continued), (kinds, whole_from), (heights, room) = cut, arrangement, measured
    best, chosen = None, ()
    for kind in kinds:
        if heights.get(kind, 0) > room + ROOM_PX:
            continue
        html, document = _render(material, context, spec, chosen + (kind,), whole_from, closing_page,
                                 continued=continued)
        if len(document.pages) <= spec.pages:
            best, chosen, room = (html, document), chosen + (kind,), room - heights.get(kind, 0)
    return best or bare()


def _part_heights(document: Document) -> dict[str, float]:
    """Each designed part's height in the flow of a layout (px, over every page it runs on)."""
    from printkit.render.weasy import (
        element_id,
        page_box,
        walk_boxes,
    )
    heights = {}
    for page in document.pages:
        for box in walk_boxes(page_box(page)):
            if element_id(box).startswith("part-"):
                heights[element_id(box)[5:]] = heights.get(element_id(box)[5:], 0) + box.margin_height()
    return heights
