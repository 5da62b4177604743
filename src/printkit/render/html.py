"""Render a material's HTML with Jinja2."""

import datetime

from markupsafe import Markup

from printkit.pipeline.cache import shown_data_hash
from printkit.products import Material
from printkit.programme.model import Programme
from printkit.render.layouts import Layouts, url_helpers


def render_html(material: Material, programme: Programme, layouts: Layouts, build_date: datetime.date,
                **fitting) -> str:
    """The HTML of one material; ``fitting`` holds what the layout fitting decided (format, counts)."""
    theme = programme.theme(material.theme) if material.theme else None
    return layouts.render(
        material.template,
        programme=programme,
        campaign=programme.campaign,
        material=material,
        theme=theme,
        measures=programme.measures_of(theme.slug) if theme else programme.measures,
        colour_tokens=colour_tokens(programme),
        build_date=build_date,
        content_hash=shown_data_hash(material, programme),
        proof=not programme.campaign.imprint.complete,
        **url_helpers(programme, material.medium),
        **fitting,
    )


def colour_tokens(programme: Programme) -> Markup:
    """CSS custom properties for the campaign's colours, and a class per theme that sets ``--theme``."""
    campaign = programme.campaign
    lines = [f"--brand: {campaign.brand.css};", f"--accent: {campaign.accent.css};"]
    lines += [f"--theme-{t.slug}: {t.colour.css};" for t in programme.themes]
    classes = [f".theme-{t.slug} {{ --theme: var(--theme-{t.slug}); }}" for t in programme.themes]
    return Markup(":root { " + " ".join(lines) + " }\n" + "\n".join(classes))
