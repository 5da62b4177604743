"""Nothing lost, nothing half-written: determinism, interruption, concurrency, failures kept apart."""

import fcntl
import hashlib
import os
import signal
import subprocess
import sys
import time

import pikepdf
import yaml

from conftest import make_designer, run_printkit, write_yaml


def digests(out) -> dict:
    return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.rglob("*.pdf"))}


def test_same_inputs_give_byte_identical_pdfs(small, small_build, tmp_path):
    """Built in another folder, on one process instead of one per core: the same bytes."""
    run_printkit("build", "--out", str(tmp_path / "b"), "--jobs", "1", cwd=small, check=True)
    first, second = digests(small_build), digests(tmp_path / "b")
    assert len(first) == 14  # booklet and its 2 impositions, 2 leaflets, 3 cards and their 2 sheets each
    assert first == second


def test_source_date_epoch_sets_the_creation_date(small, tmp_path):
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01
    subprocess.run([sys.executable, "-m", "printkit.cli", "build", "cards", "--theme", "sport", "--out",
                    str(tmp_path)], cwd=small, env=env, check=True, capture_output=True)
    with pikepdf.open(tmp_path / "cards" / "sport.pdf") as pdf:
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20260101")


def test_a_second_build_on_the_same_folder_refuses(small, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".printkit.lock", "w") as lock:
        fcntl.lockf(lock, fcntl.LOCK_EX)
        result = run_printkit("build", "--out", str(out), cwd=small)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert f"another printkit build is writing to {out}" in result.stderr
    assert not list(out.rglob("*.pdf"))


def test_killed_build_leaves_only_whole_files(small, tmp_path):
    out = tmp_path / "out"
    run_printkit("build", "cards", "--out", str(out), cwd=small, check=True)
    before = digests(out)
    measures = yaml.safe_load((small / "programme" / "measures.yaml").read_text())
    measures[0]["measures"][0]["title"] = "Titre modifié pendant la campagne"
    write_yaml(small / "programme" / "measures.yaml", measures)
    process = subprocess.Popen([sys.executable, "-m", "printkit.cli", "build", "--out", str(out), "--jobs", "2"],
                               cwd=small, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    _wait_for_new_files(out, before, timeout=120)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    after = digests(out)
    assert set(before) <= set(after), "no previous good file is deleted"
    for name in after:
        with pikepdf.open(out / name) as pdf:  # a truncated file would not open
            assert len(pdf.pages) >= 2
    rerun = run_printkit("build", "cards", "--out", str(out), cwd=small, check=True)
    assert "FAILED" not in rerun.stdout
    assert not list(out.rglob(".*.part")), "the next build clears what the killed one left"


def _wait_for_new_files(out, before, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if digests(out) != before:
            return
        time.sleep(0.05)
    raise AssertionError("the build wrote nothing new in time")


def test_one_failing_material_does_not_stop_the_others(small, tmp_path):
    designer = make_designer(tmp_path, {"card/card.html": "{% extends 'base.html' %}{% block body %}{{ nope.x }}{% endblock %}"})
    out = tmp_path / "out"
    result = run_printkit("build", "--layouts", str(designer), "--out", str(out), cwd=small)
    assert result.returncode != 0
    assert "FAILED" in result.stdout and "UndefinedError" in result.stdout
    assert (out / "booklet.pdf").exists() and (out / "leaflets" / "sport.pdf").exists()
    assert not (out / "cards" / "sport.pdf").exists()
