"""`printkit export --json`: all measures with their themes, section and the exact QR address."""

import json
import re
from collections import Counter

from conftest import SEED, run_printkit


def exported() -> dict:
    return json.loads(run_printkit("export", "--json", check=True).stdout)


def source_counts() -> Counter:
    """Theme counts read straight from the seed: each label line stands just before its "N)" line."""
    lines = SEED.read_text().splitlines()
    labels = [lines[i - 1] for i, line in enumerate(lines) if re.fullmatch(r"\d+\)", line)]
    themes = [t["label"] for t in exported()["themes"]]
    return Counter({theme: sum(theme in line for line in labels) for theme in themes})


def test_shape_and_counts():
    data = exported()
    assert set(data) >= {"campaign", "guarantees", "themes", "sections", "measures"}
    assert len(data["measures"]) == 104 and len(data["sections"]) == 37 and len(data["guarantees"]) == 9
    assert {tuple(sorted(t)) for t in data["themes"]} >= {("cmyk", "color", "label", "slug", "url")}
    assert all(re.fullmatch(r"#[0-9a-f]{6}", t["color"]) for t in data["themes"])
    first = data["measures"][0]
    assert set(first) == {"number", "title", "details", "themes", "section", "url"}
    assert first["url"] == "https://www.clamartagauche.fr/Programme#mesure-1"
    assert first["section"] == "Des écoles où il fait bon apprendre"


def test_theme_counts_match_the_source():
    data = exported()
    counts = Counter(slug for m in data["measures"] for slug in m["themes"])
    by_label = {t["label"]: counts[t["slug"]] for t in data["themes"]}
    assert by_label == dict(source_counts())
    assert by_label["Engager la révolution écologique"] == 28
    assert by_label["Vivre la ville ensemble"] == 21
    assert by_label["Débétonner la ville"] == 3


def test_sections_list_each_measure_once_in_order():
    data = exported()
    numbers = [n for section in data["sections"] for n in section["measures"]]
    assert numbers == list(range(1, 105))
    for measure in data["measures"]:
        section = next(s for s in data["sections"] if measure["number"] in s["measures"])
        assert measure["section"] == section["title"]


def test_tracking_puts_the_query_before_the_fragment(small):
    campaign = (small / "programme" / "campaign.yaml").read_text()
    campaign = campaign.replace("tracking: null", "tracking: {utm_source: imprime, utm_campaign: mun2026}")
    (small / "programme" / "campaign.yaml").write_text(campaign)
    from printkit.programme.loader import load_programme
    from printkit.programme.urls import measure_url, theme_url
    programme = load_programme(small / "programme")
    url = measure_url(programme, programme.measures[0], "tract")
    assert url == "https://www.clamartagauche.fr/Programme?utm_source=imprime&utm_medium=tract&utm_campaign=mun2026#mesure-1"
    assert theme_url(programme, programme.themes[0], "carte") == (
        "https://www.clamartagauche.fr/Programme?theme=ecologie&utm_source=imprime&utm_medium=carte&utm_campaign=mun2026")
