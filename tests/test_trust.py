"""What printkit trusts: a layout folder is data, volunteers' files stay inside the project,
output files follow the user's umask (docs/trust.md)."""

import shutil
from pathlib import Path

import pikepdf

from conftest import ROOT, build_card, make_designer, run_printkit

RUNS_CODE = "{{ cycler.__init__.__globals__.os.popen('id').read() }}"


def written(out: Path) -> str:
    """Everything under ``out`` as text: raw bytes, and each PDF's decoded streams, strings and text."""
    return "\n".join(_readable(path) for path in sorted(out.rglob("*")) if path.is_file())


def _readable(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix != ".pdf":
        return data.decode("latin-1")
    with pikepdf.open(path) as pdf:
        streams = [o.read_bytes().decode("latin-1") for o in pdf.objects if isinstance(o, pikepdf.Stream)]
        strings = [str(value) for value in pdf.docinfo.values()]
    return "\n".join([data.decode("latin-1"), *streams, *strings])


def titled(payload: str, template: str = "card/card.html") -> dict[str, str]:
    """A designer's template extending the built-in one, its title, on line 3, ``payload``."""
    return {template: f'{{% extends "!builtin/{template}" %}}\n{{% block title %}}\n{payload}\n{{% endblock %}}\n'}


def test_a_layout_cannot_run_code(small, tmp_path):
    result = build_card(small, tmp_path, make_designer(tmp_path, titled(RUNS_CODE)))
    assert result.returncode != 0 and "Traceback" not in result.stderr + result.stdout
    assert "designer/card/card.html:3:1: SecurityError: access to attribute '__init__'" in result.stderr
    assert "uid=" not in written(tmp_path / "out")


def test_a_layout_cannot_open_a_file_through_a_path_in_its_data(small, tmp_path):
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("SECRET-PAYROLL")
    designer = make_designer(tmp_path, titled(f"{{{{ qr.folder.joinpath('{secret}').read_text() }}}}"))
    result = build_card(small, tmp_path, designer)
    assert result.returncode != 0 and "Traceback" not in result.stderr + result.stdout
    assert ("designer/card/card.html:3:1: SecurityError: access to attribute 'joinpath' of 'PosixPath' object "
            "is unsafe") in result.stderr
    assert "SECRET-PAYROLL" not in written(tmp_path / "out")


def test_a_letter_layout_is_sandboxed_too(project, tmp_path):
    shutil.copytree(ROOT / "letters", project / "letters")
    designer = make_designer(tmp_path, titled(RUNS_CODE, "letter/letter.html"))
    result = run_printkit("letter", "letters/arpe.md", "--layouts", str(designer), "--out", str(tmp_path / "out"),
                          cwd=project)
    assert result.returncode != 0 and "Traceback" not in result.stderr + result.stdout
    assert "designer/letter/letter.html:3:1: SecurityError: access to attribute '__init__'" in result.stderr
    assert "uid=" not in written(tmp_path / "out")


def test_a_template_linked_to_a_file_outside_the_layouts_is_refused(small, tmp_path):
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("SECRET-PAYROLL")
    designer = make_designer(tmp_path, titled('{% include "card/notes.html" %}'))
    (designer / "card" / "notes.html").symlink_to(secret)
    result = build_card(small, tmp_path, designer)
    assert result.returncode != 0 and "Traceback" not in result.stderr + result.stdout
    assert f"designer/card/card.html:3:1: SecurityError: card/notes.html leads to {secret}" in result.stderr
    assert "SECRET-PAYROLL" not in written(tmp_path / "out")
