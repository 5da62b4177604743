"""Door-to-door cards: one per theme and one for the whole programme, A6 or 4 × 6 in, two sides."""

from __future__ import annotations

from typing import TYPE_CHECKING

from printkit.errors import PrintkitError
from printkit.products.paper import A4, A6, LETTER, POSTCARD, SRA3, TABLOID_EXTRA
from printkit.products.registry import Format, Material, Product, Rendered, Sheet, register
from printkit.programme.urls import programme_url, theme_url
from printkit.units import MM_PER_PX

if TYPE_CHECKING:
    from weasyprint import Document

    from printkit.products.fitting import Context
    from printkit.programme.model import Measure, Programme

FORMATS = {"iso": (Format("a6-card", "card", 2, size=A6),),
           "us": (Format("4x6-card", "card", 2, size=POSTCARD),)}
SHEETS = {"iso": (Sheet("sra3", SRA3), Sheet("a4", A4, office=True)),
          "us": (Sheet("12x18", TABLOID_EXTRA), Sheet("letter", LETTER, office=True))}


@register
class Card(Product):
    """Front: identity, theme, flagship, call to vote; back: as many titles as fit, the theme's own
    measures first, the campaign's chosen flagships first among them (quoted short), and a QR code."""

    kind = "card"
    name = "cards"
    folder = "cards"
    medium = "carte"
    paper = "paper.matt_350"
    per_theme = True
    whole = "programme"
    whole_quotes_any = True  # the general card's front, and its back without guarantees (card_leading)
    formats = FORMATS
    sheets = SHEETS
    piece = "piece.card"

    def qr_urls(self, programme: Programme, theme: str | None) -> tuple[set[str], set[str]]:
        """The theme's page, or the programme's for the general card."""
        url = theme_url(programme, programme.theme(theme), self.medium) if theme else programme_url(programme, self.medium)
        return {url}, {url}

    def flagships(self, programme: Programme) -> tuple[Measure, ...]:
        """Each front's flagship (front_measures); every measure when the general card's back lists them."""
        return programme.theme_leads() + front_measures(programme, None) + (() if programme.guarantees else programme.leading())

    def names(self, programme: Programme, material: Material) -> dict:
        """``front``: the measures the card's front quotes (front_measures); ``front_large`` when
        they are short enough to be set a size up (SHORT_FRONT); ``card_order``: the measures in the
        order the card leads with (card_leading)."""
        front = front_measures(programme, material.theme)
        return {"front": front, "front_large": all(len(m.flagship) <= SHORT_FRONT for m in front),
                "card_order": card_leading(programme, material.theme)}

    def fit(self, material: Material, context: Context, layout: str) -> Rendered:
        """Its front's headline in lines of even length, as many measure titles as the back of the
        card holds, then how many of the theme's measures it leaves out."""
        total = len(_listed(material, context.programme))
        html, document = _render(material, context, shown=total, spread_titles=False, with_details=False)
        headline = _even_headline(material, context, document, shown=total)
        if headline:
            html, document = _render(material, context, shown=total, spread_titles=False, with_details=False,
                                     headline_mm=headline)
        shown = _titles_on_back(context, document) if total else 0
        if total and not shown and 'id="mesure-' not in html:
            raise PrintkitError(f"{context.layouts.template_file(material.template)}: the card layout gives no "
                                "measure title an id 'mesure-<number>', which the build reads back to count the "
                                "titles that fit (see « The layout contract » in the docs)")
        if shown < total:
            shown, html, document = _with_titles(material, context, shown, headline)
        else:  # every title fits: with the measures' details if they fit too, spread over the room the back leaves
            html, document = _spread(material, context, shown, headline) or (html, document)
        if len(document.pages) != 2:
            raise PrintkitError(f"{material.output}: the card's content takes {len(document.pages)} sides, not 2")
        _check_guarantees(material, context, document)
        notes = [f"{shown} of {total} titles on the back"] if total else []
        lost = [m for m in _listed(material, context.programme)[shown:] if m.priority]
        if lost:  # a chosen flagship the back has no room for: say which
            notes.append("flagships " + ", ".join(str(m.number) for m in lost) + " not on the back")
        return Rendered(material, html, document, FORMATS[context.programme.campaign.printing.paper][0], notes=notes)


FOOT_GAP_PX = 2 / MM_PER_PX  # the least air between the last title and the foot's rule


def _with_titles(material: Material, context: Context, shown: int, headline: float) -> tuple[int, str, Document]:
    """The card with ``shown`` titles on its back, or fewer while the last would run under the foot:
    the line saying how many of the theme's measures it leaves out may take a title's room."""
    while True:
        html, document = _render(material, context, shown=shown, spread_titles=False, with_details=False,
                                 headline_mm=headline)
        if shown == 0 or _titles_on_back(context, document) >= shown:
            return shown, html, document
        shown -= 1


def _spread(material: Material, context: Context, shown: int, headline: float) -> tuple[str, Document] | None:
    """The back of a card that lists all its titles, its list spread over the back's room, with
    each measure's details when they fit too (a theme of a few measures); None if neither holds."""
    measures = context.programme.measures_of(material.theme) if material.theme else ()
    for details in (True, False) if any(m.details for m in measures) else (False,):
        html, document = _render(material, context, shown=shown, spread_titles=True, with_details=details,
                                 headline_mm=headline)
        if len(document.pages) == 2 and _titles_on_back(context, document) == shown:
            return html, document
    return None


# A headline line, but its last, shorter than this share of its longest reads as a stray word
# between two lines (« Soutenir l'accès à un / logement / digne pour tous »).
EVEN_LINES = 0.6
# The widths tried for an uneven headline, as shares over its lines' mean length: the first that
# keeps its number of lines and lengthens its shortest stands.
NARROWER = (1.1, 1.25)


def _even_headline(material: Material, context: Context, document: Document, **fitting) -> float:
    """The width, in mm, that sets the front's headline (class ``card-theme``) of three lines or more
    in lines of even length, when one of them but its last is short (EVEN_LINES); 0 when they are
    even, or no narrower width keeps their number. CSS balancing (text-wrap) is not WeasyPrint's."""
    lines = _headline_lines(document)
    if len(lines) < 3 or min(lines[:-1]) >= EVEN_LINES * max(lines):
        return 0
    for share in NARROWER:
        width = round(sum(lines) / len(lines) * share, 1)
        narrower = _headline_lines(_render(material, context, headline_mm=width, **fitting,
                                           spread_titles=False, with_details=False)[1])
        if len(narrower) == len(lines) and min(narrower[:-1]) > min(lines[:-1]):
            return width
    return 0


def _headline_lines(document: Document) -> list[float]:
    """The length, in mm, of each line of the front's headline (class ``card-theme``), as set."""
    from printkit.render import weasy

    headline = next((box for box in weasy.walk_boxes(weasy.page_box(document.pages[0]))
                     if "card-theme" in weasy.classes(box)), None)
    return [] if headline is None else [weasy.line_length(line) * MM_PER_PX for line in headline.children]


def _check_guarantees(material: Material, context: Context, document: Document) -> None:
    """The general card's back lists every guarantee, each clear of its foot (ids ``garantie-<n>``):
    a list the back cannot hold is the campaign's to shorten, never to be printed under the code."""
    guarantees = context.programme.guarantees
    if material.theme or not guarantees:
        return
    clear = context.ids_clear_of(document, 1, "garantie-", "card-foot", FOOT_GAP_PX)
    if clear < len(guarantees):
        raise PrintkitError(f"{material.output}: the back holds {clear} of the {len(guarantees)} guarantees clear "
                            "of its foot; shorten them in programme.yaml")


# The most measures a theme may have for its back to list the one its front quotes too: the back of
# a theme of two measures or one lists them whole; a longer theme's back lists the others.
FRONT_ON_BACK = 2


def _listed(material: Material, programme: Programme) -> tuple[Measure, ...]:
    """The measures the back may list, in its order, but for the one its front quotes (_back_from):
    the theme's, its own first (``lead_of``); on the general card, the flagships of every measure
    when there are no guarantees to list instead."""
    if programme.guarantees and not material.theme:
        return ()
    return card_leading(programme, material.theme)[_back_from(material, programme):]


def _render(material: Material, context: Context, **fitting) -> tuple[str, Document]:
    """The card laid out as ``fitting`` says, its back listing from the measure after its front's."""
    return context.render(material, back_from=_back_from(material, context.programme), **fitting)


# The most characters of a front's measure set a size up (card.css: card-flagship-large): three
# lines at most in the front's width; at the heading size, Riverton's two lines of 65 stood between
# bands of some 12 mm of bare colour. A longer one, up to five lines, keeps the heading size.
SHORT_FRONT = 90


def front_measures(programme: Programme, theme: str | None) -> tuple[Measure, ...]:
    """The measure a card's front quotes, one: its theme's lead, or on the general card the first
    of ``card_leading``, beside its slogan too (the slogan alone left Riverton's bands of 25 mm of bare colour, and
    Val-Fleuri's front without a measure of its programme)."""
    return card_leading(programme, theme)[:1]


def card_leading(programme: Programme, theme: str | None) -> tuple[Measure, ...]:
    """The measures a card leads with, the one its front quotes first: its theme's (``lead_of``), or
    on the general card the campaign's (``leading``), but, where the campaign chose no priority,
    from the first that no theme's card quotes (the first lead when every measure is one): Clamart's
    general card quoted measure 1, as its enfance card does, and two cards in one hand led with one
    measure (issue 21, defect 6)."""
    if theme:
        return programme.lead_of(theme)
    leading = programme.leading()
    if any(measure.priority is not None for measure in leading):
        return leading
    quoted = {measure.number for measure in programme.theme_leads()}
    first = next((measure for measure in leading if measure.number not in quoted), leading[0])
    return (first, *(measure for measure in leading if measure is not first))


def _back_from(material: Material, programme: Programme) -> int:
    """The first of the measures (in ``card_leading`` order) the back lists: 1 past the front's, but for a theme of FRONT_ON_BACK measures or fewer."""
    return int(not material.theme or len(programme.measures_of(material.theme)) > FRONT_ON_BACK)


def _titles_on_back(context: Context, document: Document) -> int:
    """The titles the back shows whole, clear of its foot (the QR code and the imprint, set over the flow)."""
    if len(document.pages) < 2:
        return 0
    return context.ids_clear_of(document, 1, "mesure-", "card-foot", FOOT_GAP_PX)
