"""Hostile input from many volunteers: a clear error or a good build, never a traceback or a partial file."""

import json
import shutil

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from printkit.builtin import BUILTIN_FONTS
from printkit.errors import InvalidInput, PrintkitError
from printkit.pipeline.build import BuildRequest, build
from printkit.programme.loader import read_programme
from printkit.programme.yamlsource import MAX_TEXT

from conftest import SMALL_MEASURES, overridden, run_printkit, write_yaml
from pdfcheck import squeezed, text


def set_title(project, title: str) -> None:
    measures = yaml.safe_load((project / "programme" / "measures.yaml").read_text())
    measures[0]["measures"][0]["title"] = title
    write_yaml(project / "programme" / "measures.yaml", measures)


def test_a_title_as_long_as_allowed_runs_in_full(small, tmp_path):
    """A title at the length limit runs across pages in full (running heads come between its pieces)
    in the booklet and in its theme's leaflet, which takes the largest format it needs."""
    title = ("Une mesure très longue " * 100)[:MAX_TEXT]
    set_title(small, title)
    out = tmp_path / "out"
    result = run_printkit("build", "--out", str(out), cwd=small)
    assert result.returncode == 0 and "Traceback" not in result.stderr + result.stdout, result.stderr
    assert not list(out.rglob(".*.part"))
    cut = read_programme(small / "programme")[0].measure(1).flagship  # quoted cut: the highlights, its theme's tile
    booklet = text(out / "booklet.pdf")
    assert booklet.count("longue") == title.count("longue") + squeezed(booklet).count(squeezed(cut)) * cut.count("longue")
    # in its theme's leaflet in full, and quoted cut, with « … », where the leaflet names its theme's lead
    leaflet = text(out / "leaflets" / "ecologie.pdf")
    quotes = squeezed(leaflet).count(squeezed(cut))
    assert leaflet.count("longue") == title.count("longue") + quotes * cut.count("longue")


def test_a_ten_megabyte_title_is_refused_at_its_line(small):
    """Read by the loader alone: before the limit, cards with such a title took 180 s to lay out."""
    set_title(small, "x" * 10_000_000)
    with pytest.raises(InvalidInput) as refused:
        read_programme(small / "programme")
    assert [f"{p.where}: {p.message}".removeprefix(f"{small}/") for p in refused.value.problems] == [
        "programme/measures.yaml:4:12: the title of measure 1 is 10,000,000 characters long: at most 2,000, "
        "more than a page holds"]


def test_a_list_reused_through_aliases_is_refused_before_it_is_walked(small, tmp_path):
    """2,000 items reused by every measure through YAML aliases: a small file, a huge programme."""
    items = "".join(f"      - détail {i}\n" for i in range(2000))
    measures = "".join(f"  - number: {n}\n    title: Mesure {n}\n    themes: [ecologie]\n    details: *many\n"
                       for n in range(2, 105))
    (small / "programme" / "measures.yaml").write_text(
        f"- section: Une section\n  measures:\n  - number: 1\n    title: Mesure 1\n    themes: [sport]\n"
        f"    details: &many\n{items}{measures}")
    result = run_printkit("build", "--out", str(tmp_path / "out"), cwd=small)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "programme/measures.yaml:1:1: 209,046" in result.stderr and "values once its aliases (*name) are " \
           "expanded: at most 100,000" in result.stderr, result.stderr


def test_pictures_too_large_to_print_from_are_refused_from_their_header(small, tmp_path):
    from PIL import Image

    Image.new("1", (10_000, 10_000)).save(small / "programme" / "logo.png")  # 100 million pixels, a few kB
    with open(small / "programme" / "photo.jpg", "wb") as photo:  # 30 MB, sparse
        photo.truncate(30_000_000)
    (small / "programme" / "identity.yaml").write_text(
        "logo: logo.png\nphotos:\n  - file: photo.jpg\n    credit: Une photographe\n")
    result = run_printkit("build", "--out", str(tmp_path / "out"), cwd=small)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "programme/identity.yaml:1:7: the logo 'logo.png' is 10000 × 10000 pixels: at most 25 million" \
           in result.stderr, result.stderr
    assert "programme/identity.yaml:3:11: the photo 'photo.jpg' is 30 MB: at most 20 MB" in result.stderr


def test_right_to_left_text_is_refused_before_rendering(small, tmp_path):
    set_title(small, "Planter des arbres — לשתול עצים — زراعة الأشجار")
    result = run_printkit("build", "--out", str(tmp_path / "out"), cwd=small)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "measure 1: no glyph in the bundled fonts for" in result.stderr and "(U+05DC)" in result.stderr


def test_missing_font_file(small, tmp_path):
    # a designer's fonts.css naming a font file of its own that its folder does not hold
    fonts = overridden(small, "common/fonts.css")
    fonts.write_text(fonts.read_text().replace("../../fonts/Inter-Bold.otf", "Inter-Bold.otf")
                     .replace("../../fonts/", BUILTIN_FONTS.as_uri() + "/"))
    result = run_printkit("build", "cards", "--theme", "sport", "--out", str(tmp_path / "out"), cwd=small)
    assert result.returncode != 0 and "Traceback" not in result.stderr + result.stdout
    assert "layouts/common/Inter-Bold.otf does not exist" in result.stderr


def test_two_thousand_measures(small, tmp_path):
    measures = [{"section": f"Section {s}", "measures": [
        {"number": s * 100 + i + 1, "title": f"Mesure {s * 100 + i + 1} pour la ville",
         "themes": ["ecologie" if i % 3 else "sport"], "details": ["Un détail"] * (i % 3)}
        for i in range(100)]} for s in range(20)]
    write_yaml(small / "programme" / "measures.yaml", measures)
    exported = json.loads(run_printkit("export", "--json", cwd=small, check=True).stdout)
    assert len(exported["measures"]) == 2000
    result = run_printkit("build", "cards", "--theme", "sport", "--out", str(tmp_path / "out"), cwd=small,
                          check=True)
    assert "of 679 titles on the back" in result.stdout  # 680 of the theme, the front quoting one


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3000) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["number", "title", "themes", "details", "section", "measures", "slug", "x"]),
        children, max_size=5),
    max_leaves=20)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(measures=yaml_values, themes=yaml_values)
def test_loader_never_crashes(small, measures, themes):
    write_yaml(small / "programme" / "measures.yaml", measures)
    write_yaml(small / "programme" / "themes.yaml", themes)
    try:
        read_programme(small / "programme")
    except InvalidInput as error:
        assert error.problems and all(str(p.where) for p in error.problems)


CAMPAIGN_KEYS = ["name", "rounds", "website", "urls", "urls.measure", "tracking", "tracking.utm_source", "imprint",
                 "imprint.printer_name", "imprint.on_behalf_of", "printing", "printing.bleed_mm", "printing.paper", "printing.stock", "printing.stock.card", "locale", "jurisdiction", "messages",
                 "colours", "colours.brand", "colours.themes", "colours.themes.sport", "quantities",
                 "quantities.booklet", "x"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from(CAMPAIGN_KEYS), value=yaml_values)
def test_loader_never_crashes_on_campaign_yaml(small, key, value):
    path = small / "programme" / "campaign.yaml"
    original = path.read_text(encoding="utf-8")
    campaign = yaml.safe_load(original)
    *parents, last = key.split(".")
    holder = campaign
    for parent in parents:
        if not isinstance(holder.get(parent), dict):
            holder[parent] = {}
        holder = holder[parent]
    holder[last] = value
    write_yaml(path, campaign)
    try:
        read_programme(small / "programme")
    except InvalidInput as error:
        assert error.problems and all(str(p.where) for p in error.problems)
    finally:
        path.write_text(original, encoding="utf-8")


titles = st.text(st.characters(codec="latin-1", exclude_categories=("Cc", "Cs")), min_size=1, max_size=200)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=titles, second=titles, details=st.lists(titles, max_size=3))
def test_build_gives_good_files_or_a_clear_error(small, tmp_path, first, second, details):
    measures = json.loads(json.dumps(SMALL_MEASURES))
    measures[0]["measures"][0].update(title=first, details=details)
    measures[1]["measures"][0]["title"] = second
    write_yaml(small / "programme" / "measures.yaml", measures)
    out = tmp_path / "hypothesis-out"
    shutil.rmtree(out, ignore_errors=True)
    try:
        # the two theme cards, whose backs list the titles (the general card lists the guarantees)
        report = build(BuildRequest(small, out, "cards", ("ecologie", "sport"), jobs=1))
    except InvalidInput:
        return
    except PrintkitError as error:
        assert "no glyph" in error.format_message() or "empty" in error.format_message()
        return
    assert not list(out.rglob(".*.part"))
    for output in report.outputs:
        assert output.error or (out / output.path).stat().st_size == output.size
