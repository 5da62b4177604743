"""`printkit serve` in a real browser: Debian's Chromium, driven by Playwright."""

import hashlib
import json
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
import yaml
from playwright.sync_api import sync_playwright

from pdfcheck import squeezed, text

from conftest import write_yaml

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


@pytest.fixture
def server(small, tmp_path):
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "printkit.cli", "serve", "--port", str(port),
                                "--out", str(tmp_path / "out")], cwd=small,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            current = state(port)
            if current["version"] >= 1 and not current["building"]:
                break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        raise AssertionError("the preview server did not start")
    yield port, tmp_path / "out"
    process.terminate()
    process.wait(timeout=10)


def shown_images(page) -> list[str]:
    return page.eval_on_selector_all("img.page-image", "images => images.map(i => i.getAttribute('src'))")


def wait_for_new_version(page, after: int) -> None:
    """Wait until a rebuild started after version ``after`` has finished and is shown."""
    page.wait_for_function(f"Number(document.body.dataset.version) > {after} "
                           "&& document.body.dataset.building === 'false'", timeout=120_000)


def version(page) -> int:
    return int(page.get_attribute("body", "data-version"))


def test_preview_follows_edits_and_recovers_from_errors(small, server):
    port, out = server
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/")
        page.wait_for_selector("img.page-image")
        page.get_by_role("button", name="cards/sport.pdf").click()
        page.wait_for_function("document.querySelector('#title').textContent === 'cards/sport.pdf'")
        before = shown_images(page)
        assert len(before) == 2 and page.get_attribute("#pdf", "href") == "/files/cards/sport.pdf"
        assert page.eval_on_selector("img.page-image", "i => i.complete && i.naturalWidth > 0")

        measures = yaml.safe_load((small / "programme" / "measures.yaml").read_text())
        measures[1]["measures"][0]["title"] = "Une fête du sport dans chaque quartier"
        now = version(page)
        write_yaml(small / "programme" / "measures.yaml", measures)
        wait_for_new_version(page, now)
        after = shown_images(page)
        assert after != before
        pdf = (out / "cards" / "sport.pdf").read_bytes()
        assert all(hashlib.sha256(pdf).hexdigest()[:16] in src for src in after)
        assert squeezed("Une fête du sport dans chaque quartier") in squeezed(text(out / "cards" / "sport.pdf"))
        page.wait_for_function("[...document.querySelectorAll('img.page-image')].every(i => i.naturalWidth > 0)")

        template = small / "layouts" / "card" / "card.html"
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
