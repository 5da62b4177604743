"""Golden HTML for the deterministic stage: the small fixture programme rendered by every layout.

Regenerate after an intended layout change with:
    PRINTKIT_REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
and review the diff of tests/golden/ before committing it.
"""

import datetime
import os
from pathlib import Path

import pytest

from printkit.builtin import BUILTIN_LAYOUTS
from printkit.products import Material
from printkit.programme.loader import load_programme
from printkit.render.html import Fitting, render_html
from printkit.render.layouts import Layouts

GOLDEN = Path(__file__).parent / "golden"
CREATED = datetime.datetime(2026, 1, 15, tzinfo=datetime.timezone.utc)
CASES = {
    "booklet.html": (Material("booklet", None, "booklet.pdf"),
                     {"fillers": 3, "highlights": 5, "closing": ("themes",), "closing_height": 1200,
                      "heads": ("mesure-3", "index-sport"), "air": (("mesure-2", 60),),
                      "tabs": ((2, "sport"),), "chapters": ("ecologie", "sport"), "tab_mm": 46.0,
                      "tab_labels": (("ecologie", "Écologie"), ("sport", "Sport populaire"))}),
    "leaflet-sport.html": (Material("leaflet", "sport", "leaflets/sport.pdf"),
                           {"format": "pages", "fillers": ("vote", "guarantees"), "whole_from": 1}),
    "leaflet-ecologie-trifold.html": (Material("leaflet", "ecologie", "leaflets/ecologie.pdf"),
                                      {"format": "trifold", "fillers": ("act",), "whole_from": 1}),
    "card-ecologie.html": (Material("card", "ecologie", "cards/ecologie.pdf"), {"shown": 1, "spread_titles": False, "with_details": False}),
    "card-sport.html": (Material("card", "sport", "cards/sport.pdf"), {"shown": 1, "spread_titles": True, "with_details": True}),
    "card-programme.html": (Material("card", None, "cards/programme.pdf"), {"shown": 0, "spread_titles": False, "with_details": False}),
}


def rendered(small: Path, material: Material, fitting: dict) -> str:
    programme = load_programme(small / "programme")
    html = render_html(material, programme, Layouts(small / "programme"), CREATED, Fitting(**fitting))
    html = html.replace(BUILTIN_LAYOUTS.as_uri(), "file://BUILTIN/layouts")
    return html.replace(small.resolve().as_uri(), "file://PROJECT")


@pytest.mark.parametrize("name", sorted(CASES))
def test_html_matches_golden(small, name):
    html = rendered(small, *CASES[name])
    if os.environ.get("PRINTKIT_REGENERATE_GOLDEN"):
        (GOLDEN / name).write_text(html, encoding="utf-8")
    assert html == (GOLDEN / name).read_text(encoding="utf-8")
