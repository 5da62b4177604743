"""`printkit export --json`: the loaded programme for other tools (the website, checks)."""

from printkit.programme.model import Programme
from printkit.programme.urls import measure_url, programme_url, theme_url


def programme_json(programme: Programme) -> dict:
    """The programme as plain JSON data; each ``url`` is exactly what that measure's QR code encodes."""
    campaign = programme.campaign
    return {
        "campaign": {
            "name": campaign.name,
            "city": campaign.city,
            "election": campaign.election,
            "rounds": [day.isoformat() for day in campaign.rounds],
            "website": campaign.website,
            "programme_url": programme_url(programme),
            "imprint": vars(campaign.imprint),
        },
        "title": programme.title,
        "introduction": list(programme.introduction),
        "guarantees": list(programme.guarantees),
        "themes": [{"slug": t.slug, "label": t.label, "color": t.colour.hex, "cmyk": list(t.colour.cmyk),
                    "url": theme_url(programme, t)} for t in programme.themes],
        "sections": [{"title": s.title, "measures": list(s.measures)} for s in programme.sections],
        "measures": [{"number": m.number, "title": m.title, "details": list(m.details), "themes": list(m.themes),
                      "section": m.section, "url": measure_url(programme, m)} for m in programme.measures],
    }
