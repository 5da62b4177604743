"""Layouts as a design system: copy-fitting from measured blank space, the layout contract,
identity fields, flagship measures and French spacing in template wording."""

import datetime
import re

import pytest
import yaml
from weasyprint import HTML

from printkit.builtin import BUILTIN_LAYOUTS
from printkit.products import Material
from printkit.programme.loader import load_programme
from printkit.render.html import Fitting, render_html
from printkit.render.layouts import Layouts
from printkit.render.whitespace import MAX_BLANK, blank_shares

from conftest import build_card, make_designer, run_printkit, write_yaml
from pdfcheck import squeezed, text

A5 = "<style>@page { size: A5; margin: 10mm }</style>"


def test_blank_share_is_measured_on_the_laid_out_boxes():
    html = (A5 + '<p style="margin: 0; height: 60mm">top</p><p style="margin: 0; font-size: 10pt">end</p>'
            '<section class="page-cover" style="break-before: page">cover</section>')
    document = HTML(string=html).render()
    first, cover = blank_shares(document)
    live = 210 - 20
    assert abs(first.share - (live - 60 - 4.3) / live) < 0.015 and not first.cover  # a 10 pt line is about 4.3 mm
    assert cover.cover


def test_a_full_page_is_not_a_hole():
    document = HTML(string=A5 + '<p style="height: 170mm">a</p><p>end</p>').render()
    assert blank_shares(document)[0].share < MAX_BLANK


def test_build_warns_about_a_planted_hole(small, tmp_path):
    builtin = (BUILTIN_LAYOUTS / "card" / "card.css").read_text()
    designer = make_designer(tmp_path, {"card/card.css": builtin + "\n.card-spread .card-titles { justify-content: flex-start; }\n"})
    result = build_card(small, tmp_path, designer)
    assert result.returncode == 0, result.stderr
    assert re.search(r"cards/sport\.pdf\s*│\s*2\s*│\s*an empty band of [\d.]+% of the live height", result.stdout)


def test_a_general_card_whose_foot_covers_a_guarantee_fails_naming_it(small, tmp_path):
    builtin = (BUILTIN_LAYOUTS / "card" / "card.css").read_text()
    designer = make_designer(tmp_path, {"card/card.css": builtin + "\n.card-foot { padding-top: 60mm; }\n"})
    result = run_printkit("build", "cards", "--layouts", str(designer), "--out", str(tmp_path / "out"), cwd=small)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert re.search(r"cards/programme\.pdf: the back holds \d of the 2 guarantees clear of its foot", result.stderr)


def test_card_layout_without_measure_ids_fails_naming_the_file(small, tmp_path):
    template = ('{% extends "!builtin/card/card.html" %}\n{% block body %}\n'
                '<section class="card-front">{{ theme.label }}</section>\n'
                '<section class="card-back" style="break-before: page"><ol>{% for m in measures[:shown] %}'
                '<li>{{ m.title }}</li>{% endfor %}</ol>{% include "common/imprint.html" %}</section>\n{% endblock %}\n')
    result = build_card(small, tmp_path, make_designer(tmp_path, {"card/card.html": template}))
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "designer/card/card.html: the card layout gives no measure title an id 'mesure-<number>'" in result.stderr


IDENTITY = {
    "slogan": "Une ville pour tous !",
    "head_of_list": "Camille Exemple",
    "logo": "logo.svg",
    "contact": {"email": "contact@exemple.fr", "phone": "01 23 45 67 89", "social": ["@exemple"]},
    "procuration": "https://www.exemple.fr/procuration",
    "meetings": [{"date": datetime.date(2026, 3, 5), "time": "19 h 30", "place": "Salle des fêtes"}],
}
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="10"><rect width="40" height="10" fill="#fff"/></svg>'


def test_identity_fields_are_placed(small, tmp_path):
    write_yaml(small / "programme" / "identity.yaml", IDENTITY)
    (small / "programme" / "logo.svg").write_text(LOGO)
    out = tmp_path / "out"
    run_printkit("build", "cards", "--out", str(out), cwd=small, check=True)
    run_printkit("build", "leaflets", "--theme", "sport", "--out", str(out), cwd=small, check=True)
    front = squeezed(text(out / "cards" / "programme.pdf").split("\f")[0])
    assert squeezed("Une ville pour tous") in front
    leaflet = squeezed(text(out / "leaflets" / "sport.pdf"))
    assert squeezed("contact@exemple.fr") in leaflet and squeezed("01 23 45 67 89") in leaflet
    assert "logo.svg" in (out / "html" / "cards" / "programme.html").read_text()


def test_identity_problems_are_all_reported_with_their_line(small):
    bad = {"slogan": "Ok", "logo": "missing.png", "contact": {"email": "not-an-email"},
           "procuration": "http://exemple.fr", "meetings": [{"date": "demain"}], "colour": "red"}
    write_yaml(small / "programme" / "identity.yaml", bad)
    result = run_printkit("build", "cards", cwd=small)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    for message in ("the logo 'missing.png' does not exist", "'not-an-email' is not an email address",
                    "the procuration link must be an https:// address", "the meeting's date must be a date",
                    "a meeting lacks the key 'place'", "unknown key 'colour'"):
        assert re.search(r"programme/identity\.yaml:\d+:\d+: " + re.escape(message), result.stderr), message


def rendered(small, material, **fitting) -> str:
    programme = load_programme(small / "programme")
    return render_html(material, programme, Layouts(small / "programme"),
                       datetime.datetime(2026, 1, 15, tzinfo=datetime.timezone.utc), Fitting(**fitting))


def test_priority_decides_what_cards_lead_with_among_the_theme_s_own(small):
    """A card leads with its theme's own measures (their first theme), the campaign's priorities first
    among them: a priority of another theme that merely carries this one comes after them."""
    measures = yaml.safe_load((small / "programme" / "measures.yaml").read_text())
    measures[1]["measures"][0]["priority"] = 1  # measure 3, sport's, after measure 2
    measures[0]["measures"][1]["priority"] = 2  # measure 2, sport's, which carries ecologie too
    write_yaml(small / "programme" / "measures.yaml", measures)
    sport = rendered(small, Material("card", "sport", "cards/sport.pdf"), shown=2, spread_titles=False, with_details=False)
    assert 'aria-label="Mesure 3">3</span> Créer une fête du sport' in sport.replace("\xa0", " ")  # its last words kept together
    ecologie = rendered(small, Material("card", "ecologie", "cards/ecologie.pdf"), shown=2, spread_titles=False,
                        with_details=False)
    assert 'aria-label="Mesure 1">1</span> Planter des arbres' in ecologie.replace("\xa0", " ")


def test_priority_must_be_a_positive_number(small):
    measures = yaml.safe_load((small / "programme" / "measures.yaml").read_text())
    measures[0]["measures"][0]["priority"] = 0
    write_yaml(small / "programme" / "measures.yaml", measures)
    result = run_printkit("build", "cards", cwd=small)
    assert result.returncode != 0 and "priority 0 must be 1 or more" in result.stderr


CASES = [
    (Material("booklet", None, "booklet.pdf"), {"fillers": 3, "highlights": 5, "closing": ("themes",)}),
    (Material("leaflet", "sport", "leaflets/sport.pdf"), {"format": "pages", "fillers": ("vote", "guarantees", "act", "themes"), "whole_from": 2}),
    (Material("leaflet", "sport", "leaflets/sport.pdf"), {"format": "trifold", "fillers": ("vote",), "whole_from": 1}),
    (Material("card", "sport", "cards/sport.pdf"), {"shown": 2, "spread_titles": True, "with_details": True}),
    (Material("card", None, "cards/programme.pdf"), {"shown": 0}),
]


def printed_text(html: str) -> str:
    html = html[html.index("<body"):]
    html = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", "", html)
    return re.sub(r"https?://\S+", "", html)


@pytest.mark.parametrize("material, fitting", CASES, ids=lambda c: getattr(c, "output", ""))
def test_template_wording_has_french_spacing(small, material, fitting):
    words = printed_text(rendered(small, material, **fitting))
    assert not re.search(r"[ \t\n][;!?»]|«[ \t\n]|\S:(?=\s)|[ \t\n]:", words), re.findall(r".{20}[ \n][;:!?»].{5}", words)


def test_rounds_are_spelled_out_and_never_uppercased(small):
    material, fitting = CASES[1]
    html = rendered(small, material, **fitting)
    assert "premier tour" in html and "second tour" in html
    assert not re.search(r"(?i)\b\d+\s*(er|d|e|ème)\s+tour", printed_text(html))
    css = (BUILTIN_LAYOUTS / "common" / "common.css").read_text()
    assert re.search(r"\.round-name \{[^}]*\}", css) and "uppercase" not in re.search(r"\.round-name \{[^}]*\}", css)[0]


def test_template_wording_uses_the_typeset_filter_not_entities():
    for path in [p for folder in ("booklet", "leaflet", "card", "common") for p in (BUILTIN_LAYOUTS / folder).glob("*.html")]:
        source = path.read_text()
        assert not re.search(r"&#x?[0-9a-fA-F]+;|&nbsp;|\\u20", source), path
