"""`printkit import`: the seed reproduces the committed programme exactly; bad text names its line."""

import re
import shutil

from printkit.programme.importer import atomic_labels, spelled_as_declared, split_labels
from printkit.programme.loader import read_programme

from conftest import ROOT, SEED, run_printkit

IMPORTED = ("themes.yaml", "programme.yaml", "measures.yaml")


def test_import_reproduces_committed_programme(tmp_path):
    (tmp_path / "programme").mkdir()
    for name in ("campaign.yaml", "themes.yaml"):  # the themes' slugs and short names are the volunteers'
        shutil.copy(ROOT / "programme" / name, tmp_path / "programme" / name)
    run_printkit("import", str(SEED), cwd=tmp_path, check=True)
    for name in (*IMPORTED, "campaign.yaml"):
        assert (tmp_path / "programme" / name).read_text() == (ROOT / "programme" / name).read_text(), name


def test_reimport_over_the_committed_programme_changes_nothing(tmp_path):
    folder = copied_programme(tmp_path)
    run_printkit("import", str(SEED), cwd=tmp_path, check=True)
    for name in (*IMPORTED, "campaign.yaml"):
        assert (folder / name).read_bytes() == (ROOT / "programme" / name).read_bytes(), name


def test_the_list_s_name_is_imported_as_campaign_yaml_spells_it():
    """The page's heading capitalises the list's name; every piece prints it as the list declares it."""
    assert SEED.read_text().startswith("Le programme de Clamart à Gauche")
    assert spelled_as_declared("Le programme de Clamart à Gauche", "Clamart à gauche !") == \
        "Le programme de Clamart à gauche"
    assert spelled_as_declared("Le programme de Clamart", "") == "Le programme de Clamart"


def copied_programme(tmp_path):
    shutil.copytree(ROOT / "programme", tmp_path / "programme")
    return tmp_path / "programme"


def line_of(text: str, fragment: str) -> int:
    return text[:text.index(fragment)].count("\n") + 1


def test_reimport_keeps_a_volunteers_fields_and_comments(tmp_path):
    folder = copied_programme(tmp_path)
    measures = (folder / "measures.yaml").read_text()
    measures = re.sub(r"(  - number: 12\n    title: .*\n    themes: .*\n)",
                      r"  # Les mesures phares, votées en AG le 12 mars\n\1    priority: 1  # décidé en AG le 12 mars\n",
                      measures)
    measures = measures.replace("    - Plan de titularisation\n", "    - Plan de titularisation  # chiffré par Alex\n")
    themes = (folder / "themes.yaml").read_text().replace("  short: Enfance\n", "  short: Enfance  # tient sur les cartes\n")
    programme = (folder / "programme.yaml").read_text() + "# relu par Camille le 3 mars\n"
    edited = {"measures.yaml": measures, "themes.yaml": themes, "programme.yaml": programme}
    for name, text in edited.items():
        (folder / name).write_text(text)
    run_printkit("import", str(SEED), cwd=tmp_path, check=True)
    for name, text in edited.items():
        assert (folder / name).read_text() == text, name
    assert read_programme(folder)[0].measure(12).priority == 1


def test_what_the_page_adds_or_the_file_lacks_is_filled_in_around_the_volunteers_edits(tmp_path):
    folder = copied_programme(tmp_path)
    committed = (folder / "measures.yaml").read_text()
    without_12 = re.sub(r"  - number: 12\n(    .*\n)+", "", committed, count=1)  # added to the page since
    without_13_title = re.sub(r"(  - number: 13\n)    title: .*\n", r"\1", without_12)  # deleted to take the page's
    commented = without_13_title.replace("  - number: 11\n", "  # à relire\n  - number: 11\n")
    (folder / "measures.yaml").write_text(commented)
    run_printkit("import", str(SEED), cwd=tmp_path, check=True)
    assert (folder / "measures.yaml").read_text() == committed.replace("  - number: 11\n", "  # à relire\n  - number: 11\n")


def test_a_measure_the_page_moves_takes_its_priority_and_comments_along(tmp_path):
    folder = copied_programme(tmp_path)
    committed = (folder / "measures.yaml").read_text()
    block = re.search(r"  - number: 12\n(    .*\n)+", committed).group()
    noted = "  # à défendre en réunion\n" + block.replace("    themes: [enfance, services-publics]\n",
                                                          "    themes: [enfance, services-publics]\n    priority: 2  # AG\n")
    (folder / "measures.yaml").write_text(committed.replace(block, "").replace("  - number: 22\n", noted + "  - number: 22\n"))
    run_printkit("import", str(SEED), cwd=tmp_path, check=True)
    assert (folder / "measures.yaml").read_text() == committed.replace(block, noted)


def test_reimport_refuses_what_it_would_lose_and_names_its_line(tmp_path):
    folder = copied_programme(tmp_path)
    measures = (folder / "measures.yaml").read_text().replace("    title: Eviter le recours", "    title: Éviter le recours")
    measures += "  - number: 105\n    title: Une mesure ajoutée à la main\n    themes: [enfance]\n- stale\n"
    programme = (folder / "programme.yaml").read_text().replace("- Gérer les communs", "- Gérer nos communs")
    (folder / "measures.yaml").write_text(measures)
    (folder / "programme.yaml").write_text(programme)
    result = run_printkit("import", str(SEED), cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr and "4 problems found" in result.stderr
    found = [line.strip() for line in result.stderr.splitlines()]
    where = {name: folder / name for name in ("measures.yaml", "programme.yaml")}
    expected = [f"{where['measures.yaml']}:{line_of(measures, 'Éviter le recours')}:12: measure 12's title here "
                "« Éviter le recours aux opérateurs privés lucratifs pour favor… », on the page « Eviter le recours",
                f"{where['measures.yaml']}:{line_of(measures, 'number: 105')}:5: measure 105 is not on the page: "
                "import would drop it",
                f"{where['measures.yaml']}:{line_of(measures, '- stale')}:3: « stale » is not a section: "
                "import would drop it",
                f"{where['programme.yaml']}:{line_of(programme, 'Gérer nos')}:3: guarantees here « Gérer nos communs "
                "par des régies publiques », on the page « Gérer les communs par des régies publiques »: "
                "import would replace it"]
    for start in expected:
        assert any(line.startswith(start) for line in found), (start, found)
    assert (folder / "measures.yaml").read_text() == measures and (folder / "programme.yaml").read_text() == programme


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
