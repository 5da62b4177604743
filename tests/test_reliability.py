"""Nothing lost, nothing half-written: determinism, interruption, concurrency, failures kept apart."""

import datetime
import errno
import fcntl
import hashlib
import io
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

import pikepdf
import pytest
import weasyprint.pdf.fonts
import yaml
from fontTools.misc.timeTools import timestampSinceEpoch
from fontTools.ttLib import TTFont
from weasyprint import HTML

from printkit.builtin import BUILTIN_FONTS
from printkit.files import commit, discard
from printkit.pipeline.build import build
from printkit.pipeline.make import build_task, creation_time, impose_task
from printkit.pipeline.plan import BuildRequest, plan_impositions
from printkit.prepress.finish import font_program, fonts
from printkit.products import Material
from printkit.programme.loader import read_programme
from printkit.render.pdf import PrintOptions, ProjectFetcher, pdf_bytes

from conftest import make_designer, run_printkit, write_yaml
from processes import descendants, started_in, still_running


def digests(out) -> dict:
    return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.rglob("*.pdf"))}


def test_same_inputs_give_byte_identical_pdfs(small, small_build, tmp_path):
    """Built in another folder, on one process instead of one per core: the same bytes."""
    run_printkit("build", "--out", str(tmp_path / "b"), "--jobs", "1", cwd=small, check=True)
    first, second = digests(small_build), digests(tmp_path / "b")
    # booklet and its 2 impositions, 2 leaflets, 3 cards and their 2 sheets each, poster and its A3 tiles, circulaire
    # and its accessible copy
    assert len(first) == 18
    assert first == second


def test_source_date_epoch_sets_the_creation_date(small, tmp_path):
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01
    subprocess.run([sys.executable, "-m", "printkit.cli", "build", "cards", "--theme", "sport", "--out",
                    str(tmp_path)], cwd=small, env=env, check=True, capture_output=True)
    with pikepdf.open(tmp_path / "cards" / "sport.pdf") as pdf:
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20260101")


def test_fonts_that_fonttools_writes_carry_the_creation_date_not_today(monkeypatch):
    """WeasyPrint writes fonts with fontTools when libharfbuzz-subset is missing (and for variable
    or colour fonts), and fontTools dates each with the current time: a build one day later must
    still give the same bytes, with SOURCE_DATE_EPOCH unset."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)  # as on a machine without it
    font = (BUILTIN_FONTS / "Inter-Regular.otf").as_uri()
    document = HTML(string=f"<style>@font-face {{ font-family: T; src: url({font}) }} p {{ font-family: T }}</style>"
                           "<p>Bonjour</p>", url_fetcher=ProjectFetcher([BUILTIN_FONTS])).render()
    created = datetime.datetime(2026, 1, 15, tzinfo=datetime.timezone.utc)
    today = time.time()
    plain, printed = [], []
    for day in (0, 1):
        monkeypatch.setattr(time, "time", lambda: today + day * 86400)
        plain.append(document.write_pdf(pdf_identifier=b"0"))
        printed.append(pdf_bytes(document, PrintOptions(3, None, "", created), "test"))
    assert plain[0] != plain[1], "WeasyPrint no longer writes this font with fontTools: the test proves nothing"
    assert printed[0] == printed[1]
    with pikepdf.open(io.BytesIO(printed[0])) as pdf:
        program = font_program(next(fonts(pdf)))
        assert TTFont(io.BytesIO(program.read_bytes()))["head"].modified == timestampSinceEpoch(created.timestamp())


def test_a_build_leaves_the_environment_alone(small, tmp_path, monkeypatch):
    """Worker processes started by spawn or forkserver (Python 3.14's default) inherit the environment,
    so a build writes nothing to it: a worker started after one dates the next from campaign.yaml."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = dict(os.environ)
    request, programme = BuildRequest(small, tmp_path), read_programme(small / "programme")[0]
    card = Material("card", "sport", "cards/sport.pdf")
    output, _, staged = build_task(card, request, programme, "layout")
    for each in staged:  # as the build places a worker's files
        commit(each)
    imposed, _, staged = impose_task(plan_impositions([card], "iso")[0], request, programme)  # its slug is a PDF of its own
    discard(staged)
    assert not output.error and not imposed.error
    assert dict(os.environ) == before
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("forkserver")) as pool:
        later = pool.submit(creation_time, datetime.date(2026, 2, 1)).result()
    assert later == datetime.datetime(2026, 2, 1, tzinfo=datetime.timezone.utc)


def test_a_build_on_workers_leaves_no_fonts_in_the_temporary_folder(small, tmp_path, monkeypatch):
    """WeasyPrint copies a layout's fonts into a folder of its own, which it removes when the cycle
    collector frees them: a worker ends with os._exit, which collects nothing, and each worker of a
    build left one in the temporary folder (its workers are forked: they take this one)."""
    temporary = tmp_path / "temporary"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    report = build(BuildRequest(small, tmp_path / "output", "cards", jobs=2))
    assert not [o.error for o in report.outputs if o.error]
    assert not list(temporary.glob("weasyprint-*"))


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


def _retitle(root, title: str) -> str:
    """Give the first measure a new title; return the old one."""
    measures = yaml.safe_load((root / "programme" / "measures.yaml").read_text())
    old, measures[0]["measures"][0]["title"] = measures[0]["measures"][0]["title"], title
    write_yaml(root / "programme" / "measures.yaml", measures)
    return old


def test_an_edit_undone_after_a_build_killed_before_recording_is_rebuilt(small_with_output, small_build, monkeypatch):
    """The worst a print tool can do: a file written with an edit that was then undone, shipped as current.

    The build is killed between writing the first file and recording it; after the undo, the
    next build must give exactly what a cold build gives (``small_build``)."""
    from printkit.pipeline import build as scheduler

    small, cold, out = small_with_output, small_build, small_with_output / "output"
    old = _retitle(small, "Titre modifié puis annulé")

    def killed(self, name, output, found):
        raise KeyboardInterrupt  # as SIGKILL would: the file is written, its record is not

    with monkeypatch.context() as patch:
        patch.setattr(scheduler._Record, "__call__", killed)
        with pytest.raises(KeyboardInterrupt):
            scheduler.build(BuildRequest(small, out, jobs=1))
    assert digests(out) != digests(cold)  # the edited file reached the folder
    _retitle(small, old)
    report = scheduler.build(BuildRequest(small, out, jobs=1))
    assert report.rebuilt  # the file that no longer matches its record is made again
    assert digests(out) == digests(cold)


def test_a_killed_build_takes_its_workers_with_it_and_writes_nothing_after(project, tmp_path):
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "printkit.cli", "build", "--out", str(out), "--jobs", "2"],
                               cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        workers = _in_the_middle_of_a_build(process, out)
        process.kill()
        process.wait()
        killed = _snapshot(out)
        survivors = still_running(workers, timeout=2)
        time.sleep(0.5)  # what a worker that outlived the build would write next
        assert survivors == [], "workers outlived the build they worked for"
        assert _snapshot(out) == killed, "a file under the output changed after the build was killed"
    finally:
        process.kill()
        process.wait()
        for pid in started_in(tmp_path):  # the build's workers, orphans or not
            os.kill(pid, signal.SIGKILL)


def _in_the_middle_of_a_build(process, out) -> list[int]:
    """The build's workers, once it has written its first PDF and still has the booklet to lay out."""
    deadline = time.monotonic() + 120
    while not list(out.rglob("[!.]*.pdf")):
        assert process.poll() is None and time.monotonic() < deadline, "the build wrote no PDF in time"
        time.sleep(0.05)
    workers = descendants(process.pid)
    assert workers and not (out / "booklet.pdf").exists(), "no longer in the middle of the build"
    return workers


def _snapshot(out) -> dict:
    """Every file under ``out``, temporary ones too, with what writing or replacing it changes."""
    found = {}
    for path in out.rglob("*"):
        try:
            status = path.stat()
        except FileNotFoundError:  # renamed or deleted while listed
            continue
        found[str(path.relative_to(out))] = (status.st_ino, status.st_mtime_ns, status.st_size)
    return found


def test_a_full_disk_while_writing_one_file_names_it_and_the_others_still_build(small, tmp_path, monkeypatch):
    out = tmp_path / "out"
    full = out / "cards" / "sport.pdf"
    flush = os.fsync

    def fsync(descriptor: int) -> None:  # the disk fills up as this one file is flushed
        if os.readlink(f"/proc/self/fd/{descriptor}").startswith(f"{full.parent}/.{full.name}."):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        flush(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    report = build(BuildRequest(small, out, "cards", jobs=1))
    failed = {output.path: output.error for output in report.outputs if output.error}
    assert failed == {"cards/sport.pdf": f"cannot write {full}: No space left on device"}
    assert not full.exists() and not list(out.rglob(".*.part"))
    built = [output.path for output in report.outputs if not output.error]
    assert len(built) == 6 and all((out / name).is_file() for name in built)  # 2 cards and their 4 sheets


def test_a_read_only_output_folder_is_one_line_naming_the_path(small, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with read_only(out) as (prefix, why):
        result = subprocess.run([*prefix, sys.executable, "-m", "printkit.cli", "build", "--out", str(out)],
                                cwd=small, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    assert result.stderr.splitlines() == [f"Error: cannot write {out}/.printkit.lock: {why}"]


@contextmanager
def read_only(folder):
    """``folder`` made read-only for a command run with the prefix given, and the error writing in it gives.

    The tests run as root, which write bits do not stop: a read-only bind mount in a mount namespace
    of the command's own (the error reported: a read-only file system), else the immutable attribute.
    """
    bind = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
    prefix = ["unshare", "--mount", "--propagation", "private", "sh", "-c", bind, "sh", str(folder)]
    if shutil.which("unshare") and subprocess.run([*prefix, "true"], capture_output=True).returncode == 0:
        yield prefix, "Read-only file system"
    elif shutil.which("chattr") and subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0:
        try:
            yield [], "Operation not permitted"
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        pytest.skip("neither a read-only bind mount nor the immutable attribute can be had here")
