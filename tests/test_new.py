"""`printkit new`: a campaign folder that builds at once, in each locale, made whole or not at all,
and made by an installed wheel outside the repository, where nothing of the checkout helps."""

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, run_printkit
from printkit.programme.loader import read_programme

LOCALES = ("fr-FR", "en-US", "en-GB")
LETTERS = {"fr-FR": "exemple.md", "en-US": "example.md", "en-GB": "example.md"}


@pytest.mark.parametrize("locale", LOCALES)
def test_new_makes_a_placeholder_campaign_that_loads(tmp_path, locale):
    result = run_printkit("new", "camp", "--locale", locale, cwd=tmp_path, check=True)
    camp = tmp_path / "camp"
    programme, warnings = read_programme(camp / "programme")
    assert programme.campaign.locale == locale
    assert programme.campaign.website == "https://www.example.org"
    assert not programme.campaign.imprint.complete  # no printer yet: every page is marked as a proof
    assert 2 <= len(programme.themes) <= 3 and len(programme.measures) == 6
    assert not warnings
    assert sorted(p.name for p in camp.iterdir()) == ["letters", "programme"]  # layouts and fonts are built in
    assert (camp / "letters" / LETTERS[locale]).is_file()
    assert "printkit build" in result.stdout and "printkit serve" in result.stdout
    assert [p.name for p in tmp_path.iterdir()] == ["camp"]  # no staging folder left beside it


@pytest.mark.parametrize("locale, theme", [("en-US", "first-theme"), ("en-GB", "second-theme")])
def test_an_english_campaign_builds_at_once(tmp_path, locale, theme):
    """fr-FR is built from the installed wheel below; the English skeletons build one card each here."""
    run_printkit("new", "camp", "--locale", locale, cwd=tmp_path, check=True)
    run_printkit("build", "cards", "--theme", theme, cwd=tmp_path / "camp", check=True)
    assert (tmp_path / f"camp/output/cards/{theme}.pdf").stat().st_size > 10_000


def test_every_key_of_campaign_yaml_is_explained():
    """Each key of each skeleton's campaign.yaml has a comment on its line or just above it (a theme's
    colour is explained once, on `themes:`)."""
    for locale in LOCALES:
        lines = (ROOT / "src/printkit/skeleton" / locale / "programme/campaign.yaml").read_text().splitlines()
        keys = [(above, line) for above, line in zip([""] + lines, lines) if re.match(r"\s*[a-z_]+:", line)]
        assert len(keys) > 20
        for above, line in keys:
            assert "#" in line or above.lstrip().startswith("#"), f"{locale}: {line}"


def test_the_french_skeleton_speaks_french_and_the_english_one_english():
    french = (ROOT / "src/printkit/skeleton/fr-FR/programme/measures.yaml").read_text()
    english = (ROOT / "src/printkit/skeleton/en-US/programme/measures.yaml").read_text()
    assert "Mesure d'exemple" in french and "Example measure" not in french
    assert "Example measure" in english and "Mesure" not in english


def test_new_refuses_a_folder_that_holds_anything(tmp_path):
    (tmp_path / "camp").mkdir()
    (tmp_path / "camp" / "notes.txt").write_text("mine")
    result = run_printkit("new", "camp", cwd=tmp_path)
    assert result.returncode != 0
    assert "already exists and is not empty" in result.stderr and "Traceback" not in result.stderr
    assert [p.name for p in (tmp_path / "camp").iterdir()] == ["notes.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["camp"]


def test_new_fills_an_empty_folder(tmp_path):
    (tmp_path / "camp").mkdir()
    run_printkit("new", "camp", "--locale", "en-US", cwd=tmp_path, check=True)
    assert (tmp_path / "camp" / "programme" / "campaign.yaml").is_file()


def test_new_refuses_an_unknown_locale(tmp_path):
    result = run_printkit("new", "camp", "--locale", "de-DE", cwd=tmp_path)
    assert result.returncode != 0 and "de-DE" in result.stderr
    assert not (tmp_path / "camp").exists()


# The installed wheel, outside the repository.

PACKAGE_DATA = ("printkit/layouts/base.html", "printkit/fonts/Inter-Regular.otf",
                "printkit/locales/fr_FR/LC_MESSAGES/printkit.po", "printkit/locales/en_US/LC_MESSAGES/printkit.po",
                "printkit/skeleton/fr-FR/programme/campaign.yaml", "printkit/skeleton/en-US/letters/example.md")


def _wheel(tmp_path: Path) -> Path:
    """The wheel of a copy of the source, so that the build leaves nothing in the checkout.

    The build backend pyproject.toml asks for is fetched into pip's isolated build environment,
    as a user's install would; the test is skipped only when no package index can be reached.
    """
    source = tmp_path / "source"
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(ROOT / name, source / name)
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path / "dist",
                             source], capture_output=True, text=True, timeout=300)
    if result.returncode and "No matching distribution found for setuptools" in result.stderr:
        pytest.skip("no package index reachable for the build backend")
    assert result.returncode == 0, result.stderr
    return next((tmp_path / "dist").glob("printkit-*.whl"))


def _fresh_venv(tmp_path: Path, wheel: Path) -> Path:
    """A new virtual environment with the wheel installed and, through a .pth file, the shared
    environment's dependencies (not its editable printkit: a .pth line is only put on the path, so the
    editable install's own .pth in that folder is never read)."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    site = Path(subprocess.run([venv / "bin/python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "shared-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", venv / "bin/python", "install", "--no-deps", "-q",
                    wheel], check=True, capture_output=True)
    return venv


def _outside(venv: Path, *command, cwd: Path) -> subprocess.CompletedProcess:
    """Run in ``cwd`` with the environment a user has: no PYTHONPATH pointing at the checkout."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["PATH"] = f"{venv / 'bin'}:{env['PATH']}"
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_new_works_from_an_installed_wheel_outside_the_repository(tmp_path):
    wheel = _wheel(tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    assert set(PACKAGE_DATA) <= names
    venv = _fresh_venv(tmp_path, wheel)
    work = tmp_path / "work"
    work.mkdir()
    where = _outside(venv, "python", "-c", "import printkit; print(printkit.__file__)", cwd=work)
    assert Path(where.stdout.strip()).is_relative_to(venv), where
    made = _outside(venv, "printkit", "new", "camp", "--locale", "fr-FR", cwd=work)
    assert made.returncode == 0, made.stderr
    built = _outside(venv, "printkit", "build", "cards", "--theme", "premier-theme", cwd=work / "camp")
    assert built.returncode == 0, built.stdout + built.stderr
    assert (work / "camp/output/cards/premier-theme.pdf").stat().st_size > 10_000


def test_a_folder_without_a_programme_is_one_clear_error(tmp_path):
    result = run_printkit("--root", str(tmp_path), "build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "no such folder" in result.stderr and "printkit new" in result.stderr
