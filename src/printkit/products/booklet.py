"""The booklet: the whole programme, A5 or half-letter, saddle-stitched, with its copy-shop impositions."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from printkit.products.paper import A4, A5, HALF_LETTER, LETTER, SRA3, TABLOID_EXTRA
from printkit.products.registry import Format, Material, Product, Rendered, Sheet, register
from printkit.programme.urls import programme_url, theme_url

if TYPE_CHECKING:
    from weasyprint import Document

    from printkit.messages import Messages
    from printkit.products.fitting import Context
    from printkit.programme.model import Measure, Programme
    from printkit.render.pagewindow import Window

MM_PER_PX = 25.4 / 96  # WeasyPrint lays out in CSS pixels
FILLERS = 3
HIGHLIGHTS = 5
# What may follow the index on its last page, tried in turn, the smallest first: the first that leaves
# no page ending in a hole stands (the closing's page then takes its height: _closing_height). Never
# the vote's dates and procuration: the back cover gives them.
CLOSING = ("act", "themes")
FOLD, BINDING = "fold.half", "binding.saddle_stitch"
FORMATS = {
    "iso": (Format("a5-booklet", "pages", 0, FOLD, BINDING, A5),),
    "us": (Format("half-letter-booklet", "pages", 0, FOLD, BINDING, HALF_LETTER),),
}
# Spreads two to a side of an untrimmed office sheet twice the page (A4, Letter), and with bleed and
# marks on a digital press sheet (SRA3, 12 × 18 in).
SHEETS = {
    "iso": (Sheet("a4", A4, "saddle-2-up"), Sheet("sra3", SRA3, "spreads")),
    "us": (Sheet("letter", LETTER, "saddle-2-up"), Sheet("12x18", TABLOID_EXTRA, "spreads")),
}


@register
class Booklet(Product):
    """The full programme in the website's order, a multiple of 4 pages."""

    kind = "booklet"
    name = "booklet"
    medium = "livret"
    paper = "paper.silk_135"
    whole = "booklet"
    formats = FORMATS
    sheets = SHEETS
    shows_everything = True
    page_multiple = 4
    previewed_ahead = True
    sheet_finishing = "finishing.booklet"

    def sheet_output(self, output: str, sheet: Sheet) -> str:
        """The imposed booklets sit beside it: booklet-imposed-a4.pdf, booklet-imposed-sra3.pdf (US:
        booklet-imposed-letter.pdf, booklet-imposed-12x18.pdf)."""
        return f"booklet-imposed-{sheet.name}.pdf"

    def piece_name(self, programme: Programme, theme: str | None, messages: Messages) -> str:
        """A sheet holds the booklet's spreads."""
        return messages("piece.booklet_spread", size=self.page_format(programme.campaign.printing.paper).size.name)

    def qr_urls(self, programme: Programme, theme: str | None) -> tuple[set[str], set[str]]:
        """One code per chapter, at its first section, to the theme's page: the address its leaflet
        and its card print (a code a section, 37 in Clamart's, outweighed the numbers they stood
        beside); and the programme's on the back cover."""
        required = {theme_url(programme, programme.theme(slug), self.medium) for slug in set(chapters(programme)) if slug}
        return required | {programme_url(programme, self.medium)}, required

    def flagships(self, programme: Programme) -> tuple[Measure, ...]:
        """The measures the contents page highlights."""
        return programme.leading()[:HIGHLIGHTS]

    def fit(self, material: Material, context: Context, layout: str) -> Rendered:
        """Mark where the measures run on, fill the index's last page with designed content when it
        has room, then keep just enough designed filler pages for a page count that is a multiple of 4.

        Each choice takes a layout of the whole booklet. The choices made last time are laid out
        first: the marks stand when the layout breaks the measures where they say (the marks sit
        out of the flow, so marking never moves a break); when the pages after the measures are
        laid out from the same inputs as then (pagewindow.tail_inputs), the other choices would
        compare as they did, and the closing stands too.
        """
        from printkit.pipeline.cache import keep_fitting, kept_fitting  # the pipeline imports the registry

        fitting = kept_fitting(context.out)
        kept = fitting if fitting is not None and fitting["layout"] == layout else None
        closing, height = (tuple(kept["closing"]), kept.get("closing_height", 0)) if kept else ((), 0)
        marks = _kept_marks(kept)
        html, document = _pages(material, context, closing, marks, height)
        found = _marks(context, document, marks)
        if found != marks:
            marks = found
            html, document = _pages(material, context, closing, marks, height)
        if kept and _fitting_inputs(html, document, context) == kept["inputs"]:
            return _rendered(material, context, html, document)
        html, document, closing, height = _closed(material, context, marks)
        if _closing_height(context, document):  # the closing went to a page of its own, and leaves a hole there
            height = _closing_height(context, document)
            html, document = _pages(material, context, closing, marks, height)
        keep_fitting(context.out, {"layout": layout, "closing": closing, "closing_height": height, **_marks_kept(marks),
                                   "inputs": _fitting_inputs(html, document, context)})
        return _rendered(material, context, html, document)

    def full_html(self, material: Material, context: Context) -> str:
        """Every designed filler page in, nothing after the index, the measures marked as last
        time: what the page window is cut from."""
        return booklet_html(material, context, marks=_kept_marks(_kept_fitting(context)))

    def next_html(self, material: Material, context: Context) -> str:
        """The booklet's HTML with the last build's choices: the page window compares what follows
        its measures with the last build's, since a closing page quotes each theme's lead."""
        return booklet_html(material, context, *_kept_choices(context))

    def window_html(self, material: Material, context: Context, window: Window) -> str | None:
        """The HTML to lay the window out from again when its pages, laid out from full_html, ask
        for other marks than the last build's (an edit fills or empties a page, whose air then
        changes): the full build re-derives them from its first layout (fit), so the window
        takes them too; None when they hold."""
        kept = _kept_marks(_kept_fitting(context))
        marks = _window_marks(context, window, kept)
        return None if marks == _sorted_marks(kept) else booklet_html(material, context, marks=marks)

    def draft(self, material: Material, context: Context) -> Rendered:
        """The booklet laid out once, with the last choices, for the preview to show while a new
        layout's fitting tries every choice."""
        closing, marks, height = _kept_choices(context)
        return _rendered(material, context, *_pages(material, context, closing, marks, height))


# What the fitting marks on the measures, read back from a layout: the continued measures (number, first
# detail on), the ids with a running head of their own, the space added above some blocks (id, tenths of mm),
# the thumb tab of a page whose first title is not of its main chapter (that title's measure, the chapter).
Marks = tuple[tuple[tuple[int, int], ...], tuple[str, ...], tuple[tuple[str, int], ...], tuple[tuple[int, str], ...]]
NO_MARKS: Marks = ((), (), (), ())
# A page's blank at its end from which its blocks share it out: 27 mm of the 176 mm page, with the
# 12 mm of the live area under it, is about the largest band the hole check allows (checks/holes.py).
AIR_FROM = 0.155
AIR_MOST = 12.0  # mm: the most space added above one block, beyond which the page reads loose
AIR_LEFT = 14.0  # mm left at the page's end, as on most pages: only the excess is shared out
# mm: the blank under the index's last line that a closing after it does not get (the index's
# bottom padding, the closing's top margin): 4 mm on Val-Fleuri, where more did not hold
CLOSING_GAP = 6.0
# The thumb tabs (booklet.css: .thumb-tab): each at most TAB_MOST tall, and, with more themes than
# the live height holds at that, a step tall less TAB_GAP, so that on the closed booklet's edge
# each chapter's tab stands clear of the next. Its words run along it in the display face
# (TAB_TYPE: size in pt, tracking in em), TAB_PADDING from each end.
LIVE_MARGINS = 34.0  # mm: the booklet's top and bottom page margins (booklet.css)
TAB_MOST, TAB_GAP, TAB_PADDING = 46.0, 1.5, 3.0
TAB_TYPE = (8.5, 0.04)
TAB_FACE = Path(__file__).parent.parent / "fonts" / "LeagueSpartan-ExtraBold.otf"
TAB_SMALL_WORDS = {"la", "le", "les", "l'", "de", "du", "des", "d'", "à", "au", "aux", "et", "en", "pour", "contre",
                   "sur", "the", "of", "and", "for", "to", "a", "an", "in", "on"}


def booklet_html(material: Material, context: Context, closing: tuple[str, ...] = (), marks: Marks = NO_MARKS,
                 height: int = 0) -> str:
    """The booklet's HTML with every designed filler page, before the fitting drops those it does not
    need; ``height``: the closing's, in tenths of mm (0: its own)."""
    return context.html(material, fillers=FILLERS, highlights=HIGHLIGHTS, closing=closing, closing_height=height,
                        continued=marks[0], heads=marks[1], air=marks[2], tabs=marks[3],
                        chapters=chapters(context.programme), **thumb_tabs(material, context.programme))


def thumb_tabs(material: Material, programme: Programme) -> dict:
    """The thumb tabs' height in mm (``tab_mm``) and each theme's words along its tab
    (``tab_labels``): the theme's short name, or its label shortened (_tab_words), when every
    theme's fits its tab; else none, and each tab holds its theme's pictogram (its number
    without one). Twelve chapters on an A5 page leave tabs 13 mm tall, too short for a name."""
    height = material.product.page_format(programme.campaign.printing.paper).size.height
    tab = min(TAB_MOST, (height - LIVE_MARGINS) / max(len(programme.themes), 1) - TAB_GAP)
    words = {theme.slug: _tab_words(theme.name) for theme in programme.themes}
    fits = all(_tab_length(text) <= tab - 2 * TAB_PADDING for text in words.values())
    return {"tab_mm": round(tab, 1), "tab_labels": tuple((slug, text if fits else "") for slug, text in words.items())}


def _tab_words(name: str) -> str:
    """A theme's name as its tab gives it, in capitals (booklet.css): whole when 22 characters or
    fewer; else the part before a colon; else its longest ending that fits, whole words, without a
    leading small word (« Engager la révolution écologique »: « révolution écologique »); else its
    longest word."""
    if len(name) <= 22:
        return name
    if " : " in name and len(name.split(" : ")[0]) <= 22:
        return name.split(" : ")[0]
    words = name.replace(" : ", " ").split()
    tail = next((words[i:] for i in range(1, len(words))
                 if len(" ".join(words[i:])) <= 22 and words[i].lower() not in TAB_SMALL_WORDS), None)
    return " ".join(tail) if tail else max(words, key=len)


def _tab_length(text: str) -> float:
    """The length in mm of a tab's words, in capitals, set in the tab's face and tracking."""
    size, tracking = TAB_TYPE
    advances, units = _tab_advances()
    width = sum(advances.get(ord(c), units / 2) / units + tracking for c in text.upper())
    return width * size * 25.4 / 72


@lru_cache(maxsize=1)
def _tab_advances() -> tuple[dict[int, int], int]:
    """The tab face's advance width of each character, and its units per em."""
    from fontTools.ttLib import TTFont  # here: only a booklet's build needs it

    font = TTFont(TAB_FACE)
    metrics = font["hmtx"].metrics
    return {code: metrics[glyph][0] for code, glyph in font.getBestCmap().items()}, font["head"].unitsPerEm


def chapters(programme: Programme) -> tuple[str, ...]:
    """Each section's chapter: the theme whose thumb tab its pages show ("" for none). The theme
    most of its measures open with; but a theme that would have no chapter takes the section that
    holds most of the measures it opens, when that section's theme has another one, so that every
    theme a measure opens with has its tab (Val-Fleuri's jumelage, one of the three measures of
    « Ouverts sur le monde », whose two others are ville-durable's, a chapter before)."""
    themes = [_leading_theme(programme, section) for section in programme.sections]
    for theme in programme.themes:
        home = _home(programme, theme.slug, themes)
        if theme.slug not in themes and home is not None:
            themes[home] = theme.slug
    return tuple(themes)


def _opened(programme: Programme, section, slug: str) -> int:
    """How many of the section's measures open with the theme ``slug`` (their first theme)."""
    return sum((programme.measure(number).themes or [""])[0] == slug for number in section.measures)


def _leading_theme(programme: Programme, section) -> str:
    """The first theme most of the section's measures open with; the programme's first if none does."""
    count, _, slug = max(((_opened(programme, section, theme.slug), -i, theme.slug)
                          for i, theme in enumerate(programme.themes)), default=(0, 0, ""))
    return slug if count else (programme.themes[0].slug if programme.themes else "")


def _home(programme: Programme, slug: str, themes: list[str]) -> int | None:
    """The section that holds most of the measures opening with ``slug``, if its chapter has
    another section to keep its tab on (None: no such section)."""
    count, at = max(((_opened(programme, section, slug), -i) for i, section in enumerate(programme.sections)),
                    default=(0, 0))
    return -at if count and themes.count(themes[-at]) > 1 else None


def _closed(material: Material, context: Context, marks: Marks) -> tuple[str, Document, tuple[str, ...], int]:
    """The booklet with the closing after the index that leaves it least empty, if any does, at the
    same page count: each closing that could (_may_help) laid out, until one leaves no page ending
    in a hole (on the real programme, the first: two layouts fewer than trying all three). Each is
    laid out stretched over the room the index leaves (_room_after_index), so that one that fits
    there needs no layout more to fill its page. Returns the closing's height too (0: its own)."""
    html, document, closing = *_pages(material, context, (), marks), ()
    full = context.laid_out(html, material.output)  # every filler page in: _pages dropped those not needed
    room, height = _room_after_index(context, document), 0
    for kind in CLOSING:
        if not _may_help(context, full, kind, len(document.pages), context.emptiness(document)):
            continue
        *closed, stretched = _closing_laid(material, context, kind, marks, room, len(document.pages))
        if len(closed[1].pages) == len(document.pages) and context.emptiness(closed[1]) < context.emptiness(document):
            (html, document), closing, height = closed, (kind,), stretched
            if not context.emptiness(document)[0]:
                break
    return html, document, closing, height


def _closing_laid(material: Material, context: Context, kind: str, marks: Marks, room: int, pages: int) -> tuple:
    """The booklet with the closing ``kind``, stretched over ``room`` if it holds there at ``pages``
    pages, else at its own height: its HTML, its document and the height given (0: its own)."""
    if room:
        html, document = _pages(material, context, (kind,), marks, room)
        if len(document.pages) == pages:
            return html, document, room
    return *_pages(material, context, (kind,), marks), 0


def _room_after_index(context: Context, document: Document) -> int:
    """The height, in tenths of mm, that a closing after the index takes to leave its page AIR_LEFT
    at the foot, when the index's last page ends in more than AIR_FROM blank (0: its own). A
    closing no taller fills it; a taller one keeps its own height (the room is a least height)."""
    from printkit.render import weasy

    pages = [i for i, page in enumerate(document.pages) if any(a.startswith("index") for a in page.anchors)]
    blank = context.blank_shares(document)[pages[-1]] if pages else None
    if blank is None or blank.share <= AIR_FROM:
        return 0
    room = blank.share * weasy.page_box(document.pages[pages[-1]]).height * MM_PER_PX - AIR_LEFT - CLOSING_GAP
    return _half_mm(room)


def _closing_height(context: Context, document: Document) -> int:
    """The height, in tenths of mm, that the closing after the index takes when the page it ends
    would otherwise end in a hole: its own and what the page leaves but AIR_LEFT, its parts spread
    over it (0: its own). Nothing follows it on its page, so no page breaks elsewhere."""
    from printkit.render import weasy

    page = next((i for i, page in enumerate(document.pages) if "closing" in page.anchors), None)
    blank = None if page is None else context.blank_shares(document)[page]
    if blank is None or blank.share <= AIR_FROM:
        return 0
    box = weasy.page_box(document.pages[page])
    own = max(b.margin_height() for b in weasy.walk_boxes(box) if weasy.element_id(b) == "closing")
    return _half_mm((own + blank.share * box.height) * MM_PER_PX - AIR_LEFT)


def _half_mm(mm: float) -> int:
    """A length the layout is given, in tenths of mm, rounded down to half millimetres: a read-back
    that differs by a hair gives the same HTML, so a rebuild lays out what the cold build did."""
    return int(mm * 2) * 5


def _kept_choices(context: Context) -> tuple[tuple[str, ...], Marks, int]:
    """The last build's fitting choices: its closing after the index, the measures' marks, the closing's height."""
    fitting = _kept_fitting(context)
    closing, height = (tuple(fitting["closing"]), fitting.get("closing_height", 0)) if fitting else ((), 0)
    return closing, _kept_marks(fitting), height


def _kept_fitting(context: Context) -> dict | None:
    from printkit.pipeline.cache import kept_fitting  # the pipeline imports the registry

    return kept_fitting(context.out)


def _marks_kept(marks: Marks) -> dict:
    """The marks as the fitting record keeps them."""
    return {"continued": marks[0], "heads": marks[1], "air": marks[2], "tabs": marks[3]}


def _kept_marks(fitting: dict | None) -> Marks:
    if not fitting or "tabs" not in fitting:
        return NO_MARKS
    return (tuple((number, at) for number, at in fitting["continued"]), tuple(fitting["heads"]),
            tuple((identity, tenths) for identity, tenths in fitting["air"]),
            tuple((number, slug) for number, slug in fitting["tabs"]))


def _marks(context: Context, document: Document, applied: Marks, tabbed: frozenset[str] = frozenset()) -> Marks:
    """What the layout, laid out with the ``applied`` marks, asks the measures to mark: each measure
    a page break cuts, with the detail the rest opens with (its number and « (suite) » go there);
    the elements that set the running head of a page a measure holds alone (« Mesure 104 »), or
    of an index page after the first (the index names its pages, the measures sharing its first
    page keep theirs); the space that shares out a page's blank (_air); the thumb tabs (_tabs; ``tabbed``:
    the chapters whose tabs the pages before ``document``'s show). A
    mark added leaves the pages breaking where they did; space taken away after an edit may let the
    first measure of the next page move up, which the layout with the new marks shows (fit lays it
    out)."""
    continued = tuple(sorted(context.cuts(document).items()))
    heads, seen = [], set()
    for page in document.pages:
        numbers = {anchor[7:] for anchor in page.anchors if anchor.startswith("mesure-")}
        if len(numbers) == 1:
            number = numbers.pop()
            heads.append(f"suite-{number}" if f"mesure-{number}" in seen else f"mesure-{number}")
        elif not numbers:
            # the index's first block new on the page: the index runs on, its anchor on each of its pages,
            # and marking it again reset the head of the page its measures share with it (« Mesures 44 »)
            heads += [anchor for anchor in page.anchors
                      if anchor not in seen and (anchor == "index" or anchor.startswith("index-"))][:1]
        seen |= set(page.anchors)
    return continued, tuple(heads), _air(context, document, dict(applied[2])), _tabs(document, tabbed)


def _tabs(document: Document, tabbed: frozenset[str] = frozenset()) -> tuple[tuple[int, str], ...]:
    """The pages whose tab is not the chapter of their first measure title (booklet.css): that
    title's measure and the page's chapter, the tab it then sets. A page's chapter is the first on
    it whose tab no page before shows (``tabbed``: those before the pages laid out), a chapter that
    opens on it among them, where a canvasser thumbing for it finds its heading; else the one most
    of its measures' height is of. Most of the page alone left a short chapter that opens at one
    page's foot and ends on the next (Clamart's débétonner, santé) with no tab of its own; the
    first chapter to open on a page alone, one that opens at its foot under another (Riverton's
    libraries, when the page after opens a third)."""
    tabs, tabbed = [], set(tabbed)
    for page in document.pages:
        heights, first = _chapters_on(page)
        untabbed = [chapter for chapter in heights if chapter not in tabbed and chapter != "none"]
        chapter = untabbed[0] if untabbed else max(heights, key=heights.get, default=None)
        if first:  # a page with no title shows the tab of the last before
            tabbed.add(chapter)
            if chapter != first[1]:
                tabs.append((first[0], chapter))
    return tuple(tabs)


def _chapters_on(page) -> tuple[dict[str, float], tuple[int, str] | None]:
    """The height of the page's sections by chapter (their theme- class), in the order they come,
    and its first measure title's measure with that measure's chapter (None when no title starts
    on the page)."""
    from printkit.render import weasy

    heights, first, article = {}, None, None
    for box in weasy.walk_boxes(weasy.page_box(page), margins=False):
        names = weasy.classes(box)
        chapter = next((name[6:] for name in sorted(names) if name.startswith("theme-")), "none")
        if box.element_tag == "section" and "section" in names:
            heights[chapter] = heights.get(chapter, 0) + box.margin_height()
        elif box.element_tag == "article" and "measure" in names:
            article = (int(weasy.element_id(box)[len("mesure-"):]), chapter)
        elif first is None and box.element_tag == "h3" and "measure-title" in names:
            first = article
    return heights, first


def _window_marks(context: Context, window: Window, kept: Marks) -> Marks:
    """The ``kept`` marks with those of the measures on the ``window``'s pages read back from its
    layout instead, each part sorted: the marks a full layout of these pages asks for, whatever
    the other pages ask. The measure that starts the page after them gets no air either (a
    page's first measure never does): with less above it, it may move up, as in the full build."""
    from printkit.render.pagewindow import measures_on

    found = _marks(context, window.document, kept, _chapters_before(context, window, kept))
    numbers = {anchor[len("mesure-"):] for page in window.document.pages for anchor in measures_on(page)}
    continued = [mark for mark in kept[0] if str(mark[0]) not in numbers] + list(found[0])
    heads = [head for head in kept[1] if head.rpartition("-")[2] not in numbers] + list(found[1])
    air = [mark for mark in kept[2] if mark[0][len("mesure-"):] not in numbers and mark[0] != window.following]
    tabs = [mark for mark in kept[3] if str(mark[0]) not in numbers] + list(found[3])
    return _sorted_marks((continued, heads, air + list(found[2]), tabs))


def _chapters_before(context: Context, window: Window, kept: Marks) -> frozenset[str]:
    """The chapters whose tabs the pages before the ``window`` show in the last full layout: each
    page's first title sets its chapter's, or the one the ``kept`` marks give it."""
    marked = dict(kept[3])
    sections = zip(context.programme.sections, chapters(context.programme))
    chapter = {f"mesure-{number}": slug for section, slug in sections for number in section.measures}
    return frozenset(marked.get(int(title[len("mesure-"):]), chapter[title]) for title in window.titles)


def _sorted_marks(marks) -> Marks:
    """Marks in one order: the layout reads them as sets, the window compares them."""
    return tuple(tuple(sorted(part)) for part in marks)


def _air(context: Context, document: Document, applied: dict[str, int]) -> tuple[tuple[str, int], ...]:
    """The space added above the measures that start on a page ending in a blank of more than
    AIR_FROM, shared out between them rather than left at the foot, the page's first measure kept
    at its top: at most AIR_MOST each, AIR_LEFT left at the foot. (The index is set evenly on all
    its pages: a closing after it fills its last.)
    The page's blank is counted as it was without the space already ``applied`` there. Space
    added on a page takes no more than the page had left, so no page breaks elsewhere: the next
    block, which did not fit there, still does not."""
    from printkit.render import weasy
    from printkit.render.pagewindow import page_starts

    air, seen = [], set()
    for page, blank, start in zip(document.pages, context.blank_shares(document), page_starts(document)):
        blocks = [a for a in page.anchors if a not in seen and a.startswith("mesure-")]
        opens_inside = start is None and any(a.startswith("mesure-") and a in seen for a in page.anchors)
        seen |= set(page.anchors)
        height = weasy.page_box(page).height
        free = (blank.share * height) * MM_PER_PX + sum(applied.get(block, 0) for block in blocks) / 10
        blocks = blocks if opens_inside else blocks[1:]
        if blank.cover or not blocks or free / (height * MM_PER_PX) <= AIR_FROM:
            continue
        tenths = _half_mm(min(AIR_MOST, (free - AIR_LEFT) / len(blocks)))
        air += [(block, tenths) for block in blocks if tenths >= 10]
    return tuple(air)


def _fitting_inputs(html: str, document: Document, context: Context) -> str:
    """What the choice after the index depends on: the inputs of the pages after the measures,
    and how empty the pages up to the last measure are (the choice compares the emptiest page)."""
    from printkit.render.pagewindow import measures_on, tail_inputs

    pages = document.pages
    last = max((i for i, page in enumerate(pages) if measures_on(page)), default=-1)
    return tail_inputs(html, document) + repr(context.emptiness(document.copy(pages[:last + 1])))


def _rendered(material: Material, context: Context, html: str, document: Document) -> Rendered:
    return Rendered(material, html, document, FORMATS[context.programme.campaign.printing.paper][0])


def _may_help(context: Context, full: Document, kind: str, pages: int, emptiness: tuple[int, float]) -> bool:
    """Whether ``kind`` after the index could leave the booklet of ``pages`` pages less empty than
    ``emptiness``, at best: the index's last page filled, the designed filler pages other than
    ``kind`` kept as ``full`` (the layout with them all) lays them out, since a whole filler page
    is as empty wherever it falls. A closing that cannot is not laid out."""
    fillers = context.pages_with(full, "filler-")
    needed = pages - (len(full.pages) - len(fillers))
    others = [i for i in fillers if not any(a.startswith(f"filler-{kind}") for a in full.pages[i].anchors)]
    kept = _kept_fillers(full, others, needed)
    index_end = fillers[0] - 1 if fillers else None
    shares = [0.0 if blank.page - 1 == index_end else blank.share for blank in context.blank_shares(full)
              if not blank.cover and (blank.page - 1 not in fillers or blank.page - 1 in kept)]
    return context.emptiness_of(shares) < emptiness


def _pages(material: Material, context: Context, closing: tuple[str, ...], marks: Marks,
           height: int = 0) -> tuple[str, Document]:
    html = booklet_html(material, context, closing, marks, height)
    document = context.laid_out(html, material.output)
    fillers = context.pages_with(document, "filler-")
    needed = -(len(document.pages) - len(fillers)) % 4
    dropped = set(fillers) - set(_kept_fillers(document, fillers, needed))
    return html, document.copy([page for i, page in enumerate(document.pages) if i not in dropped])


def _kept_fillers(document: Document, fillers: list[int], needed: int) -> list[int]:
    """The designed filler pages that make up ``needed`` pages: whole parts, in their order, a part
    that would run past the count passed over for the next, so that a spread is never cut in half
    (the booklet offers a spread, then single pages: every count up to 3 is met)."""
    kept = []
    for part in _filler_parts(document, fillers):
        if len(kept) + len(part) <= needed:
            kept += part
    return kept


def _filler_parts(document: Document, fillers: list[int]) -> list[list[int]]:
    """The designed filler pages by part: a part's later pages carry ids ending in ``-continued``
    (the layout contract, fillers.html)."""
    parts = []
    for i in fillers:
        ids = [a for a in document.pages[i].anchors if a.startswith("filler-")]
        if parts and all(a.endswith("-continued") for a in ids):
            parts[-1].append(i)
        else:
            parts.append([i])
    return parts
