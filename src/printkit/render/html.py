"""Render a material's HTML with Jinja2, from the names every layout reads."""

import datetime
from dataclasses import asdict, dataclass

from markupsafe import Markup

from printkit.messages import messages_for
from printkit.pipeline.cache import shown_data_hash
from printkit.products import Material
from printkit.programme.model import Programme
from printkit.render.layouts import Layouts, url_helpers
from printkit.render.typography import typeset


@dataclass(frozen=True)
class Fitting:
    """What the copy-fitting decided for one render, under the names the layouts read (the layout
    contract, in the README). Every template receives them all; each product reads its own."""

    format: str | None = None  # leaflet: its format's layout, "pages" or "trifold"
    fillers: tuple[str, ...] | int = ()  # leaflet: the designed parts after the measures, in order;
    # booklet: how many designed filler pages to offer, the fitting keeping those it needs
    whole_from: int = 0  # leaflet: the index of the first filler that takes a whole page
    closing_page: bool = False  # leaflet: its closing takes the whole back page (formats of 4 pages or more)
    cover_page: bool = False  # leaflet: its cover takes the whole first page (stitched formats, of 8 pages or more)
    closing_sign: bool = True  # leaflet: its back cover sets its call to vote large above the panels (not where they would run over it)
    sign_pt: float = 0  # leaflet: the size its closing's call to vote is grown to, to fill its field (0: its stylesheet's)
    mark_grown: bool = False  # leaflet: the call that leads to the closing's wordmark, and the wordmark, set at the sign's size
    call_air: float = 0  # leaflet: the air (px) above the closing's call to vote (its sign, else its wordmark), which sets it a fixed gap over the closing's panels
    breakable: tuple[int, ...] = ()  # leaflet: the long measures that may run on to the next page
    continued: tuple[tuple[int, int], ...] = ()  # leaflet, booklet: (measure, detail) where a measure goes on, « (suite) »
    spread: tuple[tuple[str, float, bool], ...] = ()  # leaflet: (part, px, more) the parts that end a page grow to, and whether with the themes' leads or the closing's sign
    aired: tuple[tuple[int, float], ...] = ()  # leaflet: (measure, px) the air added above the measures of a page ending 6 % short or more
    inside_head: bool = False  # leaflet: a tri-fold's inside opens on the theme's name over its count
    also_apart: bool = False  # leaflet: « Aussi dans ce thème » opens a page, its measures whole after the theme's own
    shown: int | None = None  # card: how many measure titles its back shows
    back_from: int = 0  # card: the first of its theme's measures, or of the general card's flagships, its back lists (1: the front quotes the first)
    spread_titles: bool = False  # card: its back lists every title, spread over its room
    with_details: bool = False  # card: those titles with their measures' details
    headline_mm: float = 0  # card: the width its front's headline is set in, for lines of even length (0: its column's)
    highlights: int = 0  # booklet: how many flagship measures its contents page lists
    closing: tuple[str, ...] = ()  # booklet: the designed parts on the index's last page
    dense: bool = False  # ballot: its names set tighter, for a list near the most its format takes
    closing_height: int = 0  # booklet: the height those parts fill, in tenths of mm (0: their own)
    heads: tuple[str, ...] = ()  # booklet: the ids whose running head reads one measure, or the index again
    air: tuple[tuple[str, int], ...] = ()  # booklet: (id, tenths of mm) the space added above a block that shares out a page's blank
    tabs: tuple[tuple[int, str], ...] = ()  # booklet: (measure, theme) the thumb tab a page's first title sets, its main chapter's
    chapters: tuple[str, ...] = ()  # booklet: each section's chapter, the theme of its thumb tab
    tab_mm: float = 0  # booklet: its thumb tabs' height
    tab_labels: tuple[tuple[str, str], ...] = ()  # booklet: (theme, words) along each thumb tab ("": its pictogram)


def render_html(material: Material, programme: Programme, layouts: Layouts, created: datetime.datetime,
                fitting: Fitting = Fitting()) -> str:
    """The HTML of one material, as the fitting decided; ``created`` is the build's creation time."""
    names = template_context(material, programme, created, fitting.format)
    return layouts.render(material.template, **names, **asdict(fitting))


def template_context(material: Material, programme: Programme, created: datetime.datetime,
                     layout: str | None = None) -> dict:
    """The names every layout reads, letters included: programme, campaign, the material with its
    theme and measures, colour tokens, the page tokens of its format on ``layout`` (the sizes
    from products/paper.py), build date and creation time, the proof flag, the addresses QR
    codes encode, the fingerprint of the data the material shows, its kind's own names
    (Product.names), and the wording of the campaign's locale: ``_("id", name=value)``,
    ``plural("id", count)`` and ``lang``."""
    theme = programme.theme(material.theme) if material.theme else None
    return {
        **wording(programme.campaign),
        "page_tokens": page_tokens(material, programme, layout),
        "programme": programme,
        "campaign": programme.campaign,
        "material": material,
        "theme": theme,
        "measures": programme.measures_of(theme.slug) if theme else programme.measures,
        "colour_tokens": colour_tokens(programme),
        "build_date": created.date(),
        "created": created.isoformat(),
        "content_hash": shown_data_hash(material, programme),
        "proof": not programme.campaign.imprint.complete,
        **url_helpers(programme, material.medium),
        **material.product.names(programme, material),
    }


def page_tokens(material: Material, programme: Programme, layout: str | None = None) -> Markup:
    """The sizes of the material's format on the campaign's paper, as CSS custom properties
    (--page-width, --page-height…); none for a format that sets its own size."""
    spec = material.product.page_format(programme.campaign.printing.paper, layout)
    return spec.tokens() if spec is not None and spec.size else Markup("")


def wording(campaign) -> dict:
    """``_``, ``plural`` and ``lang`` for a campaign's layouts: each message comes typeset in the
    locale, as every printed string is, so that a template prints it as it is."""
    messages, locale = messages_for(campaign), campaign.locale
    return {
        "_": lambda identifier, **values: typeset(messages(identifier, **values), locale),
        "plural": lambda identifier, count, **values: typeset(messages.plural(identifier, count, **values), locale),
        "lang": locale,
    }


# The share of a theme's inks in its tint (--tint-<slug>): a ground dark text reads on at 4.5:1 and more.
TINT = 0.12


def colour_tokens(programme: Programme) -> Markup:
    """CSS custom properties for the campaign's colours and their tints, and a class per theme that sets ``--theme``."""
    campaign = programme.campaign
    lines = [f"--brand: {campaign.brand.css};", f"--accent: {campaign.accent.css};"]
    lines += [f"--theme-{t.slug}: {t.colour.css}; --tint-{t.slug}: {t.colour.tint(TINT).css};" for t in programme.themes]
    classes = [f".theme-{t.slug} {{ --theme: var(--theme-{t.slug}); }}" for t in programme.themes]
    return Markup(":root { " + " ".join(lines) + " }\n" + "\n".join(classes))
