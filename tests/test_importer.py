"""`printkit import`: the seed reproduces the committed programme exactly; bad text names its line."""

import shutil

from printkit.programme.importer import atomic_labels, split_labels

from conftest import ROOT, SEED, run_printkit

IMPORTED = ("themes.yaml", "programme.yaml", "measures.yaml")


def test_import_reproduces_committed_programme(tmp_path):
    shutil.copytree(ROOT / "programme", tmp_path / "programme")
    for name in IMPORTED:
        (tmp_path / "programme" / name).write_text("- stale\n") if name != "themes.yaml" else None
    campaign_before = (tmp_path / "programme" / "campaign.yaml").read_bytes()
    run_printkit("import", str(SEED), cwd=tmp_path, check=True)
    for name in IMPORTED:
        assert (tmp_path / "programme" / name).read_text() == (ROOT / "programme" / name).read_text(), name
    assert (tmp_path / "programme" / "campaign.yaml").read_bytes() == campaign_before


def test_import_into_empty_folder_finds_the_12_themes(tmp_path):
    result = run_printkit("import", str(SEED), cwd=tmp_path, check=True)
    assert result.stderr.count("new theme") == 12
    committed = (ROOT / "programme" / "measures.yaml").read_text()
    fresh = (tmp_path / "programme" / "measures.yaml").read_text()
    assert fresh.count("- number:") == committed.count("- number:") == 104
    assert not (tmp_path / "programme" / "campaign.yaml").exists()


def test_labels_are_split_against_known_themes_not_on_spaces():
    themes = ["Penser la ville à hauteur d'enfant", "Services publics : Étendre le domaine du commun", "Vivre"]
    line = "Penser la ville à hauteur d'enfant Services publics : Étendre le domaine du commun"
    assert split_labels(line, themes) == themes[:2]
    assert split_labels("Penser la ville", themes) is None


def test_atomic_labels_keeps_only_lines_that_are_not_combinations():
    lines = ["A b", "C d e", "A b C d e", "F", "F A b"]
    assert atomic_labels(lines, []) == ["A b", "C d e", "F"]


def test_text_in_another_format_names_the_line(tmp_path):
    source = tmp_path / "page.txt"
    text = SEED.read_text().replace("Points : 10, 11, 12", "Points: dix, onze").replace("\n42)\n", "\nquarante-deux)\n")
    source.write_text(text)
    result = run_printkit("import", str(source), cwd=tmp_path)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert f"{source}:" in result.stderr
    assert "should list measure numbers separated by commas" in result.stderr
    assert "cannot understand" in result.stderr
    assert not (tmp_path / "programme" / "measures.yaml").exists()


def test_missing_source(tmp_path):
    result = run_printkit("import", str(tmp_path / "nope.txt"), cwd=tmp_path)
    assert result.returncode != 0 and "nope.txt: file not found" in result.stderr
