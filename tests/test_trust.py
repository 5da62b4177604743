"""What printkit trusts: a layout folder is data, volunteers' files stay inside the project,
output files follow the user's umask (docs/trust.md)."""

import os
import shutil
import stat
from pathlib import Path

import pikepdf
import pytest
import yaml

from printkit.render.pdf import ProjectFetcher

from conftest import ROOT, SEED, build_card, make_designer, make_small, run_printkit, write_yaml
from pdfcheck import text

RUNS_CODE = "{{ cycler.__init__.__globals__.os.popen('id').read() }}"
SECRET = "SECRET-PAYROLL"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">{}</svg>'


def secret_file(tmp_path: Path, name: str = "secret.txt", content: str = SECRET) -> Path:
    """A file outside the project, whose content no output may show."""
    path = tmp_path / "elsewhere" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(content)
    return path


def secret_svg(tmp_path: Path) -> Path:
    """A picture outside the project, whose text no output may show."""
    return secret_file(tmp_path, "secret.svg", SVG.format(f'<text x="0" y="30" font-family="Inter">{SECRET}</text>'))


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
    return "\n".join([data.decode("latin-1"), *streams, *strings, text(path)])


def titled(payload: str, template: str = "card/card.html") -> dict[str, str]:
    """A designer's template extending the built-in one, its title, on line 3, ``payload``."""
    return {template: f'{{% extends "!builtin/{template}" %}}\n{{% block title %}}\n{payload}\n{{% endblock %}}\n'}


def test_a_layout_cannot_run_code(small, tmp_path):
    result = build_card(small, tmp_path, make_designer(tmp_path, titled(RUNS_CODE)))
    assert "uid=" not in written(tmp_path / "out")
    assert result.returncode != 0 and "Traceback" not in result.stderr + result.stdout
    assert "designer/card/card.html:3:1: SecurityError: access to attribute '__init__'" in result.stderr


def test_a_layout_cannot_open_a_file_through_a_path_in_its_data(small, tmp_path):
    secret = secret_file(tmp_path)
    designer = make_designer(tmp_path, titled(f"{{{{ qr.folder.joinpath('{secret}').read_text() }}}}"))
    result = build_card(small, tmp_path, designer)
    assert SECRET not in written(tmp_path / "out")
    assert result.returncode != 0 and "Traceback" not in result.stderr + result.stdout
    assert ("designer/card/card.html:3:1: SecurityError: access to attribute 'joinpath' of 'PosixPath' object "
            "is unsafe") in result.stderr


def test_a_letter_layout_is_sandboxed_too(project, tmp_path):
    shutil.copytree(ROOT / "letters", project / "letters")
    designer = make_designer(tmp_path, titled(RUNS_CODE, "letter/letter.html"))
    result = run_printkit("letter", "letters/arpe.md", "--layouts", str(designer), "--out", str(tmp_path / "out"),
                          cwd=project)
    assert "uid=" not in written(tmp_path / "out")
    assert result.returncode != 0 and "Traceback" not in result.stderr + result.stdout
    assert "designer/letter/letter.html:3:1: SecurityError: access to attribute '__init__'" in result.stderr


def test_a_template_linked_to_a_file_outside_the_layouts_is_refused(small, tmp_path):
    secret = secret_file(tmp_path)
    designer = make_designer(tmp_path, titled('{% include "card/notes.html" %}'))
    (designer / "card" / "notes.html").symlink_to(secret)
    result = build_card(small, tmp_path, designer)
    assert SECRET not in written(tmp_path / "out")
    assert result.returncode != 0 and "Traceback" not in result.stderr + result.stdout
    assert f"designer/card/card.html:3:1: SecurityError: card/notes.html leads to {secret}" in result.stderr


def test_a_percent_encoded_image_in_the_logo_cannot_leave_the_project(small, tmp_path):
    secret = secret_svg(tmp_path)
    encoded = "..%2Felsewhere%2Fsecret.svg"  # programme/../elsewhere/secret.svg once decoded
    (small / "programme" / encoded).write_text("a decoy, for a check that does not decode")
    (small / "programme" / "logo.svg").write_text(SVG.format(f'<image href="{encoded}" width="200" height="40"/>'))
    write_yaml(small / "programme" / "identity.yaml", {"logo": "logo.svg"})
    out = tmp_path / "out"
    result = run_printkit("build", "cards", "--theme", "sport", "--out", str(out), cwd=small)
    assert SECRET not in written(out)
    assert result.returncode != 0 and "Traceback" not in result.stderr + result.stdout
    assert f"cards/sport.pdf: cannot load a resource the layout needs: {secret} is outside the project's" \
        in result.stderr


def test_a_percent_encoded_image_in_a_letter_cannot_leave_the_project(project, tmp_path):
    secret = secret_svg(tmp_path)
    encoded = "..%2Felsewhere%2Fsecret.svg"  # letters/../elsewhere/secret.svg once decoded
    (project / "letters").mkdir()
    (project / "letters" / encoded).write_text("a decoy, for a check that does not decode")
    front = "---\nto: Madame\nsubject: Objet\ndate: 2026-03-01\nplace: Clamart\nsignature: La liste\n---\n"
    (project / "letters" / "l.md").write_text(front + f"Voici.\n\n![x](letters/{encoded})\n")
    out = tmp_path / "out"
    result = run_printkit("letter", "letters/l.md", "--out", str(out), cwd=project)
    assert SECRET not in written(out)
    assert result.returncode != 0 and "Traceback" not in result.stderr + result.stdout
    assert f"letters/l.pdf: cannot load a resource the layout needs: {secret} is outside the project's" \
        in result.stderr


LINKED = '<link rel="attachment" href="{}">'


def attaching(href: str, tag: str = LINKED) -> dict[str, str]:
    """A designer's card template that attaches ``href`` to the sport card only."""
    return {"card/card.html": '{% extends "!builtin/card/card.html" %}\n{% block body %}{{ super() }}\n'
                              f"{{% if theme and theme.slug == 'sport' %}}{tag.format(href)}{{% endif %}}"
                              "{% endblock %}\n"}


@pytest.mark.parametrize("tag", [LINKED, '<a rel="attachment" href="{}">pièce jointe</a>'], ids=["link", "a"])
def test_a_percent_encoded_attachment_cannot_leave_the_project(small, tmp_path, tag):
    secret = secret_file(tmp_path)
    # relative to the project; the designer's folder is allowed, and holds a decoy of that name
    designer = make_designer(tmp_path, attaching("designer/..%2Felsewhere%2Fsecret.txt", tag))
    (designer / "..%2Felsewhere%2Fsecret.txt").write_text("a decoy, for a check that does not decode")
    result = build_card(small, tmp_path, designer)
    assert SECRET not in written(tmp_path / "out")
    assert result.returncode != 0 and "Traceback" not in result.stderr + result.stdout
    assert f"cards/sport.pdf: cannot load a resource the layout needs: {secret} is outside the project's" \
        in result.stderr


def test_a_refused_attachment_fails_its_file_and_the_others_are_built(small, tmp_path):
    out = tmp_path / "out"
    designer = make_designer(tmp_path, attaching("file:///etc/passwd"))
    result = run_printkit("build", "cards", "--layouts", str(designer), "--out", str(out), cwd=small)
    assert result.returncode != 0 and "Traceback" not in result.stderr + result.stdout
    assert "cards/sport.pdf: cannot load a resource the layout needs: /etc/passwd is outside the project's" \
        in result.stderr
    assert (out / "cards" / "ecologie.pdf").is_file() and (out / "cards" / "programme.pdf").is_file()
    assert not (out / "cards" / "sport.pdf").exists() and "root:" not in written(out)


@pytest.fixture
def allowed(tmp_path: Path) -> Path:
    """A folder the fetcher may read, a decoy file named as an escape, and a secret beside the folder."""
    (tmp_path / "secret.txt").write_text(SECRET)
    folder = tmp_path / "layouts"
    folder.mkdir()
    for name in ("..%2Fsecret.txt", "in side.txt"):
        (folder / name).write_text("inside")
    (folder / "link.txt").symlink_to(tmp_path / "secret.txt")
    return folder


@pytest.mark.parametrize("url", [
    "{folder}/..%2Fsecret.txt", "{folder}/%2e%2E/secret.txt", "{folder}/..%2fsecret.txt?x#y", "{folder}/link.txt",
    "file://localhost{path}/..%2Fsecret.txt",
], ids=["encoded-slash", "encoded-dots", "lower-case-query-fragment", "link", "localhost"])
def test_the_fetcher_decodes_then_refuses_what_leaves_the_folders(allowed, url):
    fetcher = ProjectFetcher([allowed])
    with pytest.raises(ValueError, match=f"^{allowed.parent / 'secret.txt'} is outside the project's"):
        fetcher.fetch(url.format(folder=allowed.as_uri(), path=allowed))
    assert fetcher.failures


@pytest.mark.parametrize("url, message", [
    ("file://elsewhere.example{path}/in%20side.txt", "names another machine"),
    ("https://example.org/logo.png", "builds fetch nothing from the network"),
    ("file://{path}/in%00side.txt", "is not a file name"),
])
def test_the_fetcher_refuses_other_machines_and_the_network(allowed, url, message):
    with pytest.raises(ValueError, match=message):
        ProjectFetcher([allowed]).fetch(url.format(path=allowed))


def test_the_fetcher_opens_exactly_the_file_it_checked(allowed):
    response = ProjectFetcher([allowed]).fetch(f"{allowed.as_uri()}/sub/..%2Fin%20side.txt?v=2#top")
    assert response.read() == b"inside" and response.content_type == "text/plain"
    assert Path(response.path) == allowed / "in side.txt"


def test_output_follows_the_umask(tmp_path):
    """Under a umask that is not the usual 022, so that neither a fixed 0o644 nor a private
    temporary file's 0o600 passes: files 0o640, folders 0o750."""
    umask, file_mode, folder_mode = 0o027, 0o640, 0o750
    campaign = yaml.safe_load((ROOT / "programme" / "campaign.yaml").read_text())
    root = make_small(tmp_path / "project", imprint=campaign["imprint"] | {
        "printer_name": "Imprimerie Exemple", "printer_address": "1 rue du Test, 92140 Clamart"})
    (tmp_path / "imported").mkdir()
    previous = os.umask(umask)
    try:
        run_printkit("pack", cwd=root, check=True)
        run_printkit("import", str(SEED), cwd=tmp_path / "imported", check=True)
    finally:
        os.umask(previous)
    made = [*(root / "output").rglob("*"), *(root / "pack").rglob("*"), *(tmp_path / "imported").rglob("*")]
    assert root / "output" / "booklet.pdf" in made and root / "pack" / "cards-sport" / "cards-sport.pdf" in made
    assert tmp_path / "imported" / "programme" / "measures.yaml" in made
    modes = {path: stat.S_IMODE(path.stat().st_mode) for path in made}
    wrong = {str(path.relative_to(tmp_path)): oct(mode) for path, mode in modes.items()
             if mode != (folder_mode if path.is_dir() else file_mode)}
    assert not wrong
