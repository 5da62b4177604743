"""The addresses the QR codes encode, built from campaign.yaml's templates."""

import string
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from printkit.programme.model import Measure, Programme, Theme


def placeholders(template: str) -> set[str]:
    """The ``{names}`` a URL template uses."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def with_tracking(url: str, tracking: tuple[tuple[str, str], ...], material: str) -> str:
    """Add utm_source, utm_medium (the material) and utm_campaign: the query goes before any fragment."""
    if not tracking:
        return url
    parts = urlsplit(url)
    given = dict(tracking)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += [("utm_source", given["utm_source"]), ("utm_medium", material), ("utm_campaign", given["utm_campaign"])]
    return urlunsplit(parts._replace(query=urlencode(query)))


def measure_url(programme: Programme, measure: Measure, material: str = "") -> str:
    """The address of one measure online."""
    urls = programme.campaign.urls
    return with_tracking(urls.measure.format(number=measure.number), urls.tracking if material else (), material)


def theme_url(programme: Programme, theme: Theme, material: str = "") -> str:
    """The address of one theme's measures online."""
    urls = programme.campaign.urls
    return with_tracking(urls.theme.format(slug=theme.slug), urls.tracking if material else (), material)


def programme_url(programme: Programme, material: str = "") -> str:
    """The address of the whole programme online."""
    urls = programme.campaign.urls
    return with_tracking(urls.programme, urls.tracking if material else (), material)
