"""Incremental builds: only what a change affects is rendered again."""

import yaml

from printkit.pipeline.build import BuildRequest, build

from conftest import overridden, write_yaml

SPORT_SHEETS = {"cards/sheets/sra3/sport.pdf", "cards/sheets/a4/sport.pdf"}
# the general card and its sheets: its front quotes measure 3, which no theme's card quotes (card.py:
# card_leading), and any measure's edit may change the one it quotes
GENERAL_CARD = {"cards/programme.pdf", "cards/sheets/sra3/programme.pdf", "cards/sheets/a4/programme.pdf"}


def rebuilt(small, out, **options) -> set[str]:
    return set(build(BuildRequest(small, out, jobs=1, **options)).rebuilt)


def test_nothing_changed_renders_nothing(small_with_output):
    small, out = small_with_output, small_with_output / "output"
    assert rebuilt(small, out) == set()
    # 6 materials, 2 booklet impositions, 2 sheets for each of 3 cards, the poster, its A3 tiles and the circulaire
    # (no list, no meeting: no ballot, no meeting poster)
    assert len(rebuilt(small, out, force=True)) == 17


def test_editing_one_measure_rebuilds_only_its_materials(small_with_output):
    small, out = small_with_output, small_with_output / "output"
    assert rebuilt(small, out) == set()
    measures = yaml.safe_load((small / "programme" / "measures.yaml").read_text())
    measures[1]["measures"][0]["title"] = "Créer une grande fête du sport"  # measure 3, theme sport only
    write_yaml(small / "programme" / "measures.yaml", measures)
    assert rebuilt(small, out) == {"booklet.pdf", "booklet-imposed-a4.pdf", "booklet-imposed-sra3.pdf",
                                   "leaflets/sport.pdf", "cards/sport.pdf", *SPORT_SHEETS, *GENERAL_CARD,
                                   "official/circular.pdf"}  # any measure may be among its flagships


def test_editing_a_stylesheet_rebuilds_only_its_format(small_with_output):
    small, out = small_with_output, small_with_output / "output"
    assert rebuilt(small, out) == set()
    css = overridden(small, "card/card.css")
    assert "booklet.pdf" in rebuilt(small, out), "a campaign's new layouts/ folder is searched first for every material"
    css.write_text(css.read_text() + "\n.card-kicker { letter-spacing: 0.2em; }\n")
    cards = {f"cards/{name}.pdf" for name in ("ecologie", "sport", "programme")}
    assert rebuilt(small, out) == cards | {f"cards/sheets/{size}/{card.removeprefix('cards/')}"
                                           for card in cards for size in ("sra3", "a4")}


def test_a_deleted_output_is_rebuilt(small_with_output):
    small, out = small_with_output, small_with_output / "output"
    assert rebuilt(small, out) == set()
    (out / "leaflets" / "sport.pdf").unlink()
    assert rebuilt(small, out) == {"leaflets/sport.pdf"}


def test_a_card_rebuilt_alone_brings_its_own_sheets(small_with_output):
    small, out = small_with_output, small_with_output / "output"
    assert rebuilt(small, out) == set()
    measures = yaml.safe_load((small / "programme" / "measures.yaml").read_text())
    measures[1]["measures"][0]["title"] = "Créer une grande fête du sport"
    write_yaml(small / "programme" / "measures.yaml", measures)
    assert rebuilt(small, out, which="cards", themes=("sport",)) == {"cards/sport.pdf", *SPORT_SHEETS}
    assert rebuilt(small, out, which="cards") == GENERAL_CARD  # the sport card is not made again


def test_a_deleted_sheet_is_imposed_again_from_its_card(small_with_output):
    small, out = small_with_output, small_with_output / "output"
    assert rebuilt(small, out) == set()
    (out / "cards" / "sheets" / "a4" / "sport.pdf").unlink()
    assert rebuilt(small, out) == {"cards/sheets/a4/sport.pdf"}


def test_a_file_no_build_makes_any_more_is_deleted(small_with_output):
    small, out = small_with_output, small_with_output / "output"
    assert rebuilt(small, out) == set()
    themes = yaml.safe_load((small / "programme" / "themes.yaml").read_text())
    themes[1]["slug"] = "sports"  # the theme renamed: its old leaflet and card must not linger
    write_yaml(small / "programme" / "themes.yaml", themes)
    for path in ("campaign.yaml", "measures.yaml"):
        source = small / "programme" / path
        source.write_text(source.read_text().replace("sport:", "sports:").replace("- sport\n", "- sports\n"))
    (out / "notes.pdf").write_bytes(b"%PDF- a user's own file")
    rebuilt(small, out)
    assert not (out / "leaflets" / "sport.pdf").exists() and not (out / "cards" / "sheets" / "a4" / "sport.pdf").exists()
    assert (out / "leaflets" / "sports.pdf").is_file() and (out / "notes.pdf").is_file()
