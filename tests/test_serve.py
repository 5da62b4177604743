"""`printkit serve` in a real browser: Debian's Chromium, driven by Playwright."""

import http.client
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import sync_playwright

from printkit.pipeline.build import BuildRequest, Report
from printkit.preview import serve
from printkit.render.drawing import page_digests

from conftest import overridden, run_printkit, write_yaml
from pdfcheck import squeezed, text
from processes import descendants, still_running

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def state(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/state.json", timeout=5) as response:
        return json.load(response)


@contextmanager
def started_server(project, out, *options, prelude=""):
    """`printkit serve` on ``project`` with ``options``, as soon as it is started; its log goes to ``out``/../serve.log.

    ``prelude``, Python run before the command line, sets a module's constant. On leaving,
    SIGTERM, as systemd or Docker stop it: it must stop its workers itself (the session's
    `nothing_left_running` fails the run otherwise).
    """
    port = free_port()
    command = ["-c", f"{prelude}\nfrom printkit.cli import main\nmain()"] if prelude else ["-m", "printkit.cli"]
    with open(out.parent / "serve.log", "w") as log:
        process = subprocess.Popen([sys.executable, *command, "serve", "--port", str(port),
                                    "--out", str(out), *options], cwd=project, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield process, port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def running_server(project, out, *options, during_first_build=lambda process: None, prelude=""):
    """`printkit serve` on ``project``, once its first build is shown."""
    with started_server(project, out, *options, prelude=prelude) as (process, port):
        while not (out / "html").exists():  # the workers have started writing
            assert process.poll() is None, "the preview server exited"
            time.sleep(0.05)
        during_first_build(process)
        wait_for_state(port, lambda current: current["version"] >= 1 and not current["building"], process)
        yield process, port


def wait_for_state(port: int, ready, process, timeout: float = 180) -> dict:
    """The server's first state that satisfies ``ready``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the preview server exited"
        try:
            current = state(port)
            if ready(current):
                return current
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError("the preview server did not reach the expected state in time")


def rebuilt(port: int, process, after: dict) -> dict:
    """The state once a rebuild started after state ``after`` has finished."""
    return wait_for_state(port, lambda current: current["version"] > after["version"] and not current["building"],
                          process)


def edit_title(project, title: str) -> None:
    measures = yaml.safe_load((project / "programme" / "measures.yaml").read_text())
    measures[1]["measures"][0]["title"] = title
    write_yaml(project / "programme" / "measures.yaml", measures)


@pytest.fixture
def server(small_with_output):
    """`printkit serve` on the small project, whose output is built already (the server's first build has nothing to do)."""
    with running_server(small_with_output, small_with_output / "output") as (process, port):
        yield port, small_with_output / "output"


def shown_images(page) -> list[str]:
    return page.eval_on_selector_all("img.page-image", "images => images.map(i => i.getAttribute('src'))")


def wait_for_new_version(page, after: int) -> None:
    """Wait until a rebuild started after version ``after`` has finished and is shown."""
    page.wait_for_function(f"Number(document.body.dataset.version) > {after} "
                           "&& document.body.dataset.building === 'false'", timeout=120_000)


def version(page) -> int:
    return int(page.get_attribute("body", "data-version"))


@pytest.fixture
def server_with_own_card(small_with_output):
    """As ``server``, the campaign holding its own copy of the card's template, for the test to edit."""
    overridden(small_with_output, "card/card.html")
    with running_server(small_with_output, small_with_output / "output") as (process, port):
        yield port, small_with_output / "output"


def test_preview_follows_edits_and_recovers_from_errors(small_with_output, server_with_own_card):
    port, out = server_with_own_card
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/")
        page.wait_for_selector("img.page-image")
        page.get_by_role("button", name="cards/sport.pdf").click()
        page.wait_for_function("document.querySelector('#title').textContent === 'cards/sport.pdf'")
        before = shown_images(page)
        assert len(before) == 2 and page.get_attribute("#pdf", "href") == "/files/cards/sport.pdf"
        page.wait_for_function("(i => i.complete && i.naturalWidth > 0)(document.querySelector('img.page-image'))")

        measures = yaml.safe_load((small_with_output / "programme" / "measures.yaml").read_text())
        measures[1]["measures"][0]["title"] = "Une fête du sport dans chaque quartier"
        now = version(page)
        write_yaml(small_with_output / "programme" / "measures.yaml", measures)
        wait_for_new_version(page, now)
        after = shown_images(page)
        assert after != before
        pdf = (out / "cards" / "sport.pdf").read_bytes()
        assert [Path(src).stem for src in after] == [digest[:32] for digest in page_digests(pdf)]
        assert squeezed("Une fête du sport dans chaque quartier") in squeezed(text(out / "cards" / "sport.pdf"))
        page.wait_for_function("[...document.querySelectorAll('img.page-image')].every(i => i.naturalWidth > 0)")

        template = small_with_output / "layouts" / "card" / "card.html"
        good = template.read_text()
        now = version(page)
        template.write_text(good.replace("{% if theme %}", "{% if %}", 1))
        wait_for_new_version(page, now)
        assert page.is_visible("#error")
        assert "card/card.html:" in page.text_content("#error")

        now = version(page)
        template.write_text(good)
        wait_for_new_version(page, now)
        assert not page.is_visible("#error")
        assert shown_images(page) == after
        browser.close()


LONG_PROGRAMME = [{"section": f"Section {section}", "measures": [
    {"number": section * 10 + n + 1, "title": f"Mesure {section * 10 + n + 1} pour toute la ville",
     "themes": ["sport"], "details": ["Un détail assez long pour occuper au moins une ligne du livret."]}
    for n in range(10)]} for section in range(40)]


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP], ids=lambda number: number.name)
def test_a_stop_signal_ends_the_server_and_its_workers_within_2_s(small_with_output, stop):
    project = small_with_output
    with running_server(project, project / "output") as (process, port):
        workers = descendants(process.pid)
        assert len(workers) == os.cpu_count()
        write_yaml(project / "programme" / "measures.yaml", LONG_PROGRAMME)
        wait_for_state(port, lambda current: current["building"], process)
        time.sleep(1)  # in the middle of the booklet's layout, which takes several seconds more
        process.send_signal(stop)
        assert still_running([process.pid, *workers], timeout=2) == []
        assert process.wait(timeout=1) == 0
    log = (project / "serve.log").read_text()
    assert f"stopping ({stop.name})" in log and "Traceback" not in log


def test_a_save_during_the_first_build_is_built_after_it(small, tmp_path):
    title = "Une fête du sport dans chaque quartier"
    with running_server(small, tmp_path / "out",
                        during_first_build=lambda process: edit_title(small, title)) as (process, port):
        booklet = tmp_path / "out" / "booklet.pdf"
        shown = wait_for_state(port, lambda current: squeezed(title) in squeezed(text(booklet))
                               and not current["building"], process, timeout=60)
        assert shown["error"] == ""


def test_the_workers_die_with_a_server_killed_hard(small_with_output):
    with running_server(small_with_output, small_with_output / "output") as (process, port):
        workers = descendants(process.pid)
        assert workers
        process.kill()
        assert still_running(workers, timeout=2) == []


def test_a_bug_in_a_rebuild_is_shown_and_logged_and_the_next_save_recovers(small_with_output):
    # A designer's division by zero is not one of the template errors printkit reports as the
    # designer's: it reaches the server as an unexpected exception, as a bug in printkit would.
    project = small_with_output
    template = overridden(project, "card/card.html")
    good = template.read_text()
    with running_server(project, project / "output") as (process, port):
        before = state(port)
        template.write_text(good.replace("{% if theme %}", "{% if 1 // 0 %}", 1))
        failed = rebuilt(port, process, before)
        assert "the rebuild failed unexpectedly" in failed["error"] and "ZeroDivisionError" in failed["error"]
        assert failed["materials"] == before["materials"], "the last good pages stay"
        log = (project / "serve.log").read_text()
        assert "Traceback" in log and "ZeroDivisionError" in log

        template.write_text(good)
        edit_title(project, "Une fête du sport dans chaque quartier")
        recovered = rebuilt(port, process, failed)
        assert recovered["error"] == ""
        assert squeezed("Une fête du sport dans chaque quartier") in squeezed(text(project / "output" / "cards" / "sport.pdf"))


def test_rebuild_outlives_any_exception(small, tmp_path, monkeypatch, caplog):
    """The same, in process, for a bug anywhere in the build: the watcher thread calls rebuild and must go on."""
    request, workers = BuildRequest(small, tmp_path / "out"), serve.Workers()
    shown = [{"name": "booklet.pdf", "pdf": "booklet.pdf", "pages": []}]
    state = serve.PreviewState(materials=shown)

    def bug(*args):
        raise RuntimeError("a bug in the build")

    monkeypatch.setattr(serve, "build", bug)
    try:
        with caplog.at_level(logging.ERROR, logger="printkit"):
            serve.rebuild(request, state, workers)
        assert "RuntimeError: a bug in the build" in state.error and not state.building and state.materials == shown
        assert caplog.records[-1].exc_info[0] is RuntimeError, "logged with its traceback"
        monkeypatch.setattr(serve, "build", lambda *args: Report([], []))
        serve.rebuild(request, state, workers)
        assert state.error == "" and not state.building
    finally:
        workers.stop()


def test_rebuilds_never_overlap(small, tmp_path, monkeypatch):
    """The first build and the watcher's (a save during the first) take turns: the output folder's lock,
    a POSIX record lock, does not keep out a second thread of the same process."""
    running, seen = [], []

    def slow_build(*args):
        running.append(True)
        seen.append(len(running))
        time.sleep(0.2)
        running.pop()
        return Report([], [])

    monkeypatch.setattr(serve, "build", slow_build)
    request, state, workers = BuildRequest(small, tmp_path / "out"), serve.PreviewState(), serve.Workers()
    threads = [threading.Thread(target=serve.rebuild, args=(request, state, workers)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    workers.stop()
    assert seen == [1, 1, 1]


def test_a_worker_killed_by_the_kernel_is_replaced_and_the_next_save_rebuilds(small_with_output):
    project = small_with_output
    with running_server(project, project / "output") as (process, port):
        before = state(port)
        workers = descendants(process.pid)
        os.kill(workers[0], signal.SIGKILL)  # as the out-of-memory killer does
        assert still_running(workers, timeout=2) == [], "the broken pool's other workers end too"
        edit_title(project, "Une fête du sport dans chaque quartier")
        after = rebuilt(port, process, before)
        assert after["error"] == ""
        assert squeezed("Une fête du sport dans chaque quartier") in squeezed(text(project / "output" / "booklet.pdf"))
        replaced = descendants(process.pid)
        assert len(replaced) == os.cpu_count() and not set(replaced) & set(workers)


def test_a_port_in_use_is_a_clear_error_before_any_build(small, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_printkit("serve", "--port", str(port), "--out", str(tmp_path / "out"), cwd=small)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"cannot serve on 127.0.0.1:{port}: Address already in use" in result.stderr
    assert not (tmp_path / "out").exists()



def test_a_worker_killed_during_a_build_is_replaced_and_the_build_runs_again(small, tmp_path):
    killed = []

    def kill_a_worker(process):  # while the first files are being written
        killed.extend(descendants(process.pid))
        os.kill(killed[0], signal.SIGKILL)

    with running_server(small, tmp_path / "out", during_first_build=kill_a_worker) as (process, port):
        shown = state(port)
        assert shown["error"] == "" and len(shown["materials"]) == 16  # 6 materials, 2 booklet impositions, 6 card sheets, poster, circulaire
        assert "a worker process died" in (tmp_path / "serve.log").read_text()
        assert not set(descendants(process.pid)) & set(killed)


def get(port: int, path: str, host: str | None = None, timeout: float = 5) -> tuple[int, str]:
    """A GET on 127.0.0.1 whose Host header is ``host`` (127.0.0.1:port unless given); its status and body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", f"127.0.0.1:{port}" if host is None else host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def test_a_request_for_another_host_name_is_refused(small_with_output):
    # DNS rebinding: a web page's own name, pointed at 127.0.0.1, must not let it read the drafts
    with running_server(small_with_output, small_with_output / "output") as (process, port):
        for host in ("127.0.0.1", f"127.0.0.1:{port}", f"localhost:{port}", "LocalHost", f"[::1]:{port}", "[::1]"):
            assert get(port, "/state.json", host)[0] == 200, host
        for host in ("attacker.example", f"attacker.example:{port}", f"localhost.attacker.example:{port}",
                     "127.0.0.1.attacker.example", "", "[::1]x", f"localhost:{port}@attacker.example"):
            for path in ("/", "/state.json", "/files/booklet.pdf"):
                status, body = get(port, path, host)
                assert status == 403 and "--allow-host" in body, (host, path)


def test_names_given_with_allow_host_are_answered(small_with_output):
    with running_server(small_with_output, small_with_output / "output", "--allow-host", "Apercu.local", "--allow-host", "10.0.0.7") \
            as (process, port):
        for host in (f"apercu.local:{port}", "APERCU.LOCAL", f"10.0.0.7:{port}", f"localhost:{port}"):
            assert get(port, "/state.json", host)[0] == 200, host
        assert get(port, "/", "other.local")[0] == 403


def test_two_hundred_concurrent_requests_are_all_answered(server):
    port, _ = server
    together = threading.Barrier(200)

    def fetch(_) -> tuple[int, float]:
        together.wait(timeout=30)
        started = time.monotonic()
        status, _ = get(port, "/", timeout=10)
        return status, time.monotonic() - started

    with ThreadPoolExecutor(200) as clients:
        answers = list(clients.map(fetch, range(200)))
    assert [status for status, _ in answers] == [200] * 200
    assert max(seconds for _, seconds in answers) < 5, "a request waited for the listen queue"


def test_a_connection_that_sends_nothing_is_closed(small_with_output):
    out = small_with_output / "output"
    with running_server(small_with_output, out, prelude="from printkit.preview import serve\n"
                                                         "serve.CONNECTION_TIMEOUT = 1") as (process, port):
        with socket.create_connection(("127.0.0.1", port), timeout=10) as idle:
            started = time.monotonic()
            assert idle.recv(1) == b"", "the server sent something to a client that asked nothing"
            assert time.monotonic() - started < 5
        assert get(port, "/state.json")[0] == 200
    assert "Traceback" not in (small_with_output / "serve.log").read_text()


def test_the_server_answers_at_once_during_its_first_build_and_says_so(small, tmp_path):
    with started_server(small, tmp_path / "out") as (process, port):
        deadline = time.monotonic() + 30
        while not (tmp_path / "out" / ".printkit.lock").exists():  # listening, and the first build has begun
            assert process.poll() is None and time.monotonic() < deadline, "the server did not start its build"
            time.sleep(0.05)
        status, page = get(port, "/", timeout=2)
        first = state(port)
        assert first["building"] and not first["built_at"], "no longer in the first build"
        assert status == 200 and '<p id="first-build">' in page and "Première construction en cours" in page
        wait_for_state(port, lambda current: current["built_at"] and not current["building"], process)
        status, page = get(port, "/", timeout=2)
        assert status == 200 and '<p id="first-build" hidden>' in page
