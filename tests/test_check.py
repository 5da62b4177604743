"""`printkit check` passes on the real build and fails, clearly, on each planted defect."""

import json

import yaml

from printkit.builtin import BUILTIN_LAYOUTS

from conftest import build_card, make_designer, run_printkit, write_yaml


def test_check_passes_on_the_real_build(real_check):
    assert real_check.returncode == 0, real_check.stdout + real_check.stderr
    findings = json.loads(real_check.stdout)
    assert [f for f in findings if f["level"] == "error"] == []
    assert any("ÉPREUVE" in f["what"] for f in findings if f["level"] == "warning")


def test_strict_turns_the_proof_warning_into_a_failure(real_build):
    result = run_printkit("check", str(real_build / "cards" / "sport.pdf"), "--strict")
    assert result.returncode != 0 and "Traceback" not in result.stderr


def test_card_with_too_much_text_names_the_measure(project, tmp_path):
    builtin = (BUILTIN_LAYOUTS / "card" / "card.css").read_text()
    designer = make_designer(tmp_path, {"card/card.css": builtin + "\n.card-text { white-space: nowrap; }\n"})
    result = build_card(project, tmp_path, designer, theme="ecologie")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "page 2: measure 17 runs outside the safe zone" in result.stderr  # 16 is on the front
    assert not (tmp_path / "out" / "cards" / "ecologie.pdf").exists()


def test_wrong_qr_code_is_found(small, small_build):
    out = small_build  # the same programme's card, checked against a changed campaign.yaml
    campaign = yaml.safe_load((small / "programme" / "campaign.yaml").read_text())
    campaign["urls"]["theme"] = "https://www.clamartagauche.fr/theme/{slug}"
    write_yaml(small / "programme" / "campaign.yaml", campaign)
    result = run_printkit("check", str(out / "cards" / "sport.pdf"), "--json", cwd=small)
    assert result.returncode != 0
    whats = [f["what"] for f in json.loads(result.stdout) if f["level"] == "error"]
    assert "QR code leads to an unexpected address: https://www.clamartagauche.fr/Programme?theme=sport" in whats
    assert "no QR code for https://www.clamartagauche.fr/theme/sport" in whats


def test_missing_glyph_stops_the_build_before_rendering(small, tmp_path):
    measures = yaml.safe_load((small / "programme" / "measures.yaml").read_text())
    measures[0]["measures"][0]["title"] = "Planter des arbres 🌳 et des fleurs ✿"
    write_yaml(small / "programme" / "measures.yaml", measures)
    result = run_printkit("build", "--out", str(tmp_path / "out"), cwd=small)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "measure 1: no glyph in the bundled fonts for ✿ (U+273F) 🌳 (U+1F333)" in result.stderr
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_missing_imprint_is_an_error(small, tmp_path):
    designer = make_designer(tmp_path, {"common/imprint.html": '<p class="imprint"></p>\n', "common/proof.css": ""})
    result = build_card(small, tmp_path, designer)
    assert result.returncode != 0
    assert "no « Ne pas jeter sur la voie publique »" in result.stdout
    assert "no printer in campaign.yaml and no proof mark (ÉPREUVE)" in result.stdout


def test_rgb_black_in_pdfx1a_is_an_error(small, tmp_path):
    builtin = (BUILTIN_LAYOUTS / "card" / "card.css").read_text()
    designer = make_designer(tmp_path, {"card/card.css": builtin + "\n.card-text { color: rgb(0, 0, 0); }\n"})
    result = build_card(small, tmp_path, designer, "--pdfx", "x-1a")
    assert result.returncode != 0
    assert "RGB black: black must be 100 % K only" in result.stdout


def test_printed_black_is_pure_k_in_the_real_build(real_check):
    findings = json.loads(real_check.stdout)
    assert not [f for f in findings if "black" in f["what"]]
