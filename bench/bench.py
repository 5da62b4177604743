"""printkit's benchmark: cold, no-op and one-edit builds, preview latency, memory, scale, and Chromium.

Each figure is one run of the real command line on a copy of the project, on this machine.
"""

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PRINTKIT = [sys.executable, "-m", "printkit.cli"]
CHROMIUM = "/usr/bin/chromium"


def copy_project(target: Path) -> Path:
    for name in ("programme", "letters"):
        shutil.copytree(ROOT / name, target / name)
    return target


class PeakRss:
    """Samples the summed RSS of a process and all its descendants."""

    def __init__(self, pid: int):
        self.pid, self.peak, self.done = pid, 0, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, sum(_rss(pid) for pid in _tree(self.pid)))
            time.sleep(0.02)

    def stop(self) -> int:
        self.done.set()
        self.thread.join()
        return self.peak


def _tree(pid: int) -> list[int]:
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            pids += _tree(int(child))
    return pids


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def timed_build(project: Path, out: Path, *extra: str) -> tuple[float, int, str]:
    start = time.perf_counter()
    process = subprocess.Popen([*PRINTKIT, "build", "--out", str(out), *extra], cwd=project,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sampler = PeakRss(process.pid)
    output, _ = process.communicate()
    elapsed = time.perf_counter() - start
    return elapsed, sampler.stop(), output


def edit_title(project: Path, number: int, suffix: str) -> None:
    path = project / "programme" / "measures.yaml"
    text = path.read_text()
    marker = f"- number: {number}\n    title: "
    start = text.index(marker) + len(marker)
    end = text.index("\n", start)
    path.write_text(text[:start] + text[start:end] + suffix + text[end:])


def preview_latency(project: Path, out: Path, edits: int = 3) -> list[float]:
    """Seconds from each of ``edits`` title edits (a different measure each time) to new booklet page images."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([*PRINTKIT, "serve", "--port", str(port), "--out", str(out)], cwd=project,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        state = _wait_state(port, lambda s: s["version"] >= 1 and not s["building"], 300)
        times = []
        for number in (40, 41, 42)[:edits]:
            state = _wait_state(port, lambda s: not s["building"], 300)  # the last edit's leaflets and checks done
            images = _booklet_images(state)
            edit_title(project, number, " (édition pour la mesure du temps)")
            start = time.perf_counter()
            state = _wait_state(port, lambda s: s["version"] > state["version"] and _booklet_images(s) != images, 300)
            times.append(time.perf_counter() - start)
            assert not state["error"], state["error"]
        return times
    finally:
        server.terminate()
        server.wait()


def _booklet_images(state: dict) -> list[str]:
    return [p["image"] for m in state["materials"] if m["name"] == "booklet.pdf" for p in m["pages"]]


def _wait_state(port: int, ready, timeout: float) -> dict:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/state.json", timeout=5) as response:
                state = json.load(response)
            if ready(state):
                return state
        except OSError:
            pass
        time.sleep(0.02)
    raise TimeoutError("the preview server did not update in time")


def scale_programme(project: Path, factor: int) -> None:
    """The real programme repeated ``factor`` times: 104 × factor measures in the same 12 themes."""
    path = project / "programme" / "measures.yaml"
    sections = yaml.safe_load(path.read_text())
    count = sum(len(s["measures"]) for s in sections)
    grown = []
    for copy in range(factor):
        for section in sections:
            measures = [dict(m, number=m["number"] + copy * count) for m in section["measures"]]
            grown.append({"section": f"{section['section']} ({copy + 1})", "measures": measures})
    path.write_text(yaml.safe_dump(grown, allow_unicode=True, sort_keys=False, width=4096))


def chromium_baseline(html: Path) -> tuple[float, int]:
    files = sorted(html.rglob("*.html"))
    with tempfile.TemporaryDirectory() as scratch:
        start = time.perf_counter()
        for index, page in enumerate(files):
            subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                            "--no-first-run", "--disable-background-networking", "--disable-component-update",
                            "--disable-sync", f"--user-data-dir={scratch}/profile", "--allow-file-access-from-files",
                            "--no-pdf-header-footer", f"--print-to-pdf={scratch}/{index}.pdf", page.as_uri()],
                           check=True, capture_output=True, timeout=120)
        return time.perf_counter() - start, len(files)


def mail_merge(project: Path, out: Path, count: int) -> tuple[float, int, int]:
    """(h): the seed letter with a personal greeting, merged for ``count`` recipients; then how many
    recipients' names the combined PDF shows (read back with pdfium) and how many pages it has."""
    import pypdfium2 as pdfium

    letter = (project / "letters" / "arpe.md").read_text()
    (project / "letters" / "merge.md").write_text(letter.replace("greeting: Madame la Présidente,", 'greeting: "{civilite},"'))
    names = [f"Camille Martin {index:04d}" for index in range(count)]
    rows = ["nom,complement,adresse,code_postal,ville,civilite"]
    rows += [f"{name},{'Bât. B' if i % 3 == 0 else ''},{i % 200 + 1} rue de la Paix,92140,Clamart,{('Madame', 'Monsieur')[i % 2]}"
             for i, name in enumerate(names)]
    (project / "recipients.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    start = time.perf_counter()
    subprocess.run([*PRINTKIT, "letter", "letters/merge.md", "--recipients", "recipients.csv", "--out", str(out)],
                   cwd=project, check=True, capture_output=True)
    elapsed = time.perf_counter() - start
    document = pdfium.PdfDocument(out / "letters" / "merge.pdf")
    text = "".join(document[i].get_textpage().get_text_range() for i in range(0, len(document), len(document) // count))
    return elapsed, sum(name in text for name in names), len(document)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-large", action="store_true", help="skip (f), the ten-times programme")
    parser.add_argument("--letters-only", action="store_true", help="only (h), the mail merge of 1,000 letters")
    parser.add_argument("--skip-letters", action="store_true", help="skip (h), the mail merge")
    args = parser.parse_args()
    results = {"date": date.today().isoformat(), "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
               f"Python {platform.python_version()}", "load_average_at_start": os.getloadavg()}
    with tempfile.TemporaryDirectory() as scratch:
        project, out = copy_project(Path(scratch) / "project"), Path(scratch) / "out"
        if not args.skip_letters:
            results["h_mail_merge_1000_s"], results["h_names_found"], results["h_pages"] = mail_merge(
                project, Path(scratch) / "letters-out", 1000)
        if args.letters_only:
            return report(results)
        results["a_cold_full_build_s"], results["e_peak_rss_mb"], log = timed_build(project, out)
        results["e_peak_rss_mb"] //= 1024 * 1024
        results["a_files"] = log.count(" rebuilt ")
        results["b_no_change_rebuild_s"] = timed_build(project, out)[0]
        edit_title(project, 50, " (modifiée)")
        results["c_one_title_rebuild_s"] = timed_build(project, out)[0]
        results["d_preview_runs_s"] = preview_latency(project, out)
        results["d_preview_edit_to_images_s"] = statistics.median(results["d_preview_runs_s"])
        results["g_chromium_print_s"], results["g_chromium_files"] = chromium_baseline(out / "html")
        if not args.skip_large:
            large = copy_project(Path(scratch) / "large")
            scale_programme(large, 10)
            elapsed, rss, log = timed_build(large, Path(scratch) / "large-out")
            results["f_ten_times_cold_build_s"], results["f_peak_rss_mb"] = elapsed, rss // (1024 * 1024)
            results["f_failed_files"] = log.count("FAILED")
    results["load_average_at_end"] = os.getloadavg()
    for name, (top, bottom) in RATIOS.items():
        if top in results and bottom in results:
            results[name] = round(results[top] / results[bottom], 3)
    report(results)


RATIOS = {"a_over_g": ("a_cold_full_build_s", "g_chromium_print_s"),
          "c_over_a": ("c_one_title_rebuild_s", "a_cold_full_build_s"),
          "f_over_a": ("f_ten_times_cold_build_s", "a_cold_full_build_s")}


TARGETS = {  # the goals of issue 13
    "a_cold_full_build_s": ("(a) cold full build, every material", lambda r: r["a_cold_full_build_s"] <= 0.5 * r["g_chromium_print_s"], "≤ 0.5 × (g)"),
    "b_no_change_rebuild_s": ("(b) rebuild, nothing changed", lambda r: r["b_no_change_rebuild_s"] < 0.3, "< 0.3 s"),
    "c_one_title_rebuild_s": ("(c) rebuild after one title edit", lambda r: r["c_one_title_rebuild_s"] <= 0.25 * r["a_cold_full_build_s"], "≤ 25 % of (a)"),
    "d_preview_edit_to_images_s": ("(d) preview, title edit to new booklet page images, median of 3", lambda r: r["d_preview_edit_to_images_s"] < 1, "< 1 s"),
    "e_peak_rss_mb": ("(e) peak RSS of the full build (MB)", lambda r: r["e_peak_rss_mb"] < 600, "< 600 MB"),
    "f_ten_times_cold_build_s": ("(f) cold build, 1,040 measures", lambda r: r["f_ten_times_cold_build_s"] <= 12 * r["a_cold_full_build_s"], "≤ 12 × (a)"),
    "g_chromium_print_s": ("(g) Chromium --print-to-pdf of output/html/", lambda r: True, "peer baseline"),
    "h_mail_merge_1000_s": ("(h) mail merge, 1,000 letters, checks included (names found in the PDF: h_names_found)",
                            lambda r: r["h_mail_merge_1000_s"] < 30 and r["h_names_found"] == 1000, "< 30 s, 1,000 names"),
}


def report(results: dict) -> None:
    print(f"printkit benchmark, {results['date']}, {results['machine']}\n")
    print(f"| measure | result | target | met |\n|---|---|---|---|")
    for key, (label, met, target) in TARGETS.items():
        if key in results:
            value = results[key]
            shown = f"{value:.2f} s" if key.endswith("_s") else f"{value}"
            print(f"| {label} | {shown} | {target} | {'yes' if met(results) else 'NO'} |")
    print("\n" + json.dumps(results, indent=1))
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "latest.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
