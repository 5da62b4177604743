"""`printkit export`: the loaded programme for other tools (the website, checks) as JSON, or its measures as
the spreadsheet (CSV) or Markdown document that `printkit import` reads back."""

import csv
import io

from printkit.programme.imported import THEME_SEPARATOR
from printkit.programme.model import Measure, Programme
from printkit.programme.sheets import COLUMNS
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


def programme_csv(programme: Programme) -> str:
    """The measures as the spreadsheet `printkit import` reads: one row per measure, under a header row."""
    stream = io.StringIO(newline="")
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    for measure in programme.measures:
        writer.writerow([measure.number, measure.section, measure.title, _labels(programme, measure),
                         "\n".join(measure.details), measure.priority or "", measure.short])
    return stream.getvalue()


def programme_markdown(programme: Programme) -> str:
    """The measures as the Markdown document `printkit import` reads, under the programme's title."""
    lines = [f"# {programme.title}"]
    for section in programme.sections:
        lines += ["", f"## {section.title}", ""]
        for number in section.measures:
            lines += _markdown_measure(programme, programme.measure(number))
    return "\n".join(lines) + "\n"


def _markdown_measure(programme: Programme, measure: Measure) -> list[str]:
    """A numbered item: the title and its [key: value] groups, then the details as bullets indented under it."""
    marker = f"{measure.number}. "
    groups = [f"[themes: {_labels(programme, measure)}]"]
    if measure.priority is not None:
        groups.append(f"[priority: {measure.priority}]")
    if measure.short:
        groups.append(f"[short: {measure.short}]")
    return [f"{marker}{measure.title} {' '.join(groups)}"] + [f"{' ' * len(marker)}- {d}" for d in measure.details]


def _labels(programme: Programme, measure: Measure) -> str:
    labels = {theme.slug: theme.label for theme in programme.themes}
    return f"{THEME_SEPARATOR} ".join(labels[slug] for slug in measure.themes)
