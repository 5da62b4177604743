"""Shared fixtures: the real project, small fixture programmes, one real build of everything."""

import copy
import fcntl
import hashlib
import os
import shutil
import signal
import multiprocessing
import multiprocessing.forkserver
import runpy
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

from printkit.builtin import BUILTIN_LAYOUTS
from processes import started_in, still_running

ROOT = Path(__file__).resolve().parent.parent
# The suite starts printkit in a few hundred processes: each compiles printkit's modules again
# unless their bytecode is kept (an environment that sets PYTHONDONTWRITEBYTECODE, as CI's does).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = FIXTURES / "programme-page.txt"


def run_printkit(*args: str, cwd: Path = ROOT, check: bool = False, pool: bool = False) -> subprocess.CompletedProcess:
    """Run the real command line in a process of its own, as a user would, and what it printed.

    `printkit build` runs on one process (`--jobs 1`) unless the test gives `--jobs` itself or
    asks for the default worker pool, one per core (``pool=True``): under pytest-xdist every
    core already runs a test, and starting a pool there costs more CPU than it saves.
    """
    if _command(args) == "build" and not pool and not any(a == "--jobs" or a.startswith("--jobs=") for a in args):
        args = (*args, "--jobs", "1")
    result = _forked_cli(args, cwd, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"printkit {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


# The fork server that runs the command line for the tests (see tests/forkedcli.py): a fresh
# interpreter that imports these once, then forks a child for each command.
FORK_SERVER = multiprocessing.get_context("forkserver")
FORK_SERVER.set_forkserver_preload(["printkit.cli", "printkit.products.fitting", "printkit.checks.preflight"])
FORKED_CLI = str(Path(__file__).resolve().parent / "forkedcli.py")


def _forked_cli(args: tuple[str, ...], cwd: Path, timeout: float) -> subprocess.CompletedProcess:
    """`python -m printkit.cli ARGS` in ``cwd``, in a child of the tests' fork server: a fresh
    interpreter's process, output and exit status, without the 0.6 s of CPU one takes to start and
    import WeasyPrint. A few tests start the installed command itself (test_new.py, test_serve.py)."""
    with tempfile.TemporaryDirectory(prefix="printkit-cli-") as folder:
        umask = os.umask(0)
        os.umask(umask)
        given = {"ARGS": args, "CWD": str(cwd), "ENVIRONMENT": dict(os.environ), "UMASK": umask,
                 "TEMPORARY": folder, "STDOUT": f"{folder}/stdout", "STDERR": f"{folder}/stderr"}
        child = FORK_SERVER.Process(target=runpy.run_path, args=(FORKED_CLI,), kwargs={"init_globals": given})
        child.start()
        try:
            child.join(timeout)
        finally:
            if child.exitcode is None:
                child.kill()
                child.join()
        output = [_text(Path(given[name])) for name in ("STDOUT", "STDERR")]
        if child.exitcode == -signal.SIGKILL:
            raise subprocess.TimeoutExpired(["printkit", *args], timeout, *output)
        return subprocess.CompletedProcess(["printkit", *args], child.exitcode, *output)


def _text(path: Path) -> str:
    """What a child wrote, read as `subprocess.run(text=True)` reads it."""
    data = path.read_bytes() if path.exists() else b""
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def _command(args: tuple[str, ...]) -> str | None:
    """The printkit command that ``args`` run: the first word that is neither an option nor --root's value."""
    words = iter(args)
    for word in words:
        if word == "--root":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the real project (its programme; layouts and fonts are built in) that a test may change."""
    shutil.copytree(ROOT / "programme", tmp_path / "programme")
    return tmp_path


SMALL_THEMES = [{"slug": "ecologie", "label": "Engager la révolution écologique", "short": "Écologie"},
                {"slug": "sport", "label": "Promouvoir le sport populaire"}]
SMALL_MEASURES = [
    {"section": "Première section", "measures": [
        {"number": 1, "title": "Planter des arbres", "themes": ["ecologie"], "details": ["Dans chaque rue"]},
        {"number": 2, "title": "Ouvrir les gymnases le soir", "themes": ["sport", "ecologie"]},
    ]},
    {"section": "Seconde section", "measures": [
        {"number": 3, "title": "Créer une fête du sport", "themes": ["sport"]},
    ]},
]


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A small valid project: the real campaign, three measures in two themes, the built-in layouts."""
    return make_small(tmp_path)


def make_small(root: Path, **campaign_changes) -> Path:
    """Write the small project into ``root``, with top-level campaign.yaml keys replaced."""
    folder = root / "programme"
    folder.mkdir(parents=True)
    campaign = yaml.safe_load((ROOT / "programme" / "campaign.yaml").read_text())
    campaign["colours"]["themes"] = {"ecologie": [80, 0, 95, 50], "sport": [15, 35, 100, 45]}
    write_yaml(folder / "campaign.yaml", campaign | campaign_changes)
    write_yaml(folder / "themes.yaml", SMALL_THEMES)
    write_yaml(folder / "programme.yaml", {"title": "Petit programme", "introduction": ["Une introduction."],
                                           "guarantees": ["Une garantie", "Une autre garantie"]})
    write_yaml(folder / "measures.yaml", SMALL_MEASURES)
    return root


def write_yaml(path: Path, data) -> None:
    """Write data as YAML, dates and accents kept."""
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def overridden(project: Path, name: str) -> Path:
    """The campaign's own copy of a built-in layout file, in its layouts/ folder, for a test to change."""
    path = project / "layouts" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(BUILTIN_LAYOUTS / name, path)
    return path


def make_designer(tmp_path: Path, files: dict[str, str]) -> Path:
    """A designer's layouts folder holding just the given files."""
    folder = tmp_path / "designer"
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(content)
    return folder


def build_card(project: Path, tmp_path: Path, designer: Path, *options: str, theme: str = "sport"):
    """Build one theme's card with a designer's layouts, as the command line would."""
    return run_printkit("build", "cards", "--theme", theme, "--layouts", str(designer),
                        "--out", str(tmp_path / "out"), *options, cwd=project)


# The session builds that tests share, longest first: (name, what a test that reads it asks for).
SHARED_BUILDS = [("real", "real_build_run"), ("val-fleuri", "val_fleuri"), ("riverton", "riverton")]


def _shared_build(item: pytest.Item) -> int | None:
    """Which of SHARED_BUILDS the test reads, by its place in that list (some tests of
    test_campaigns.py ask for their campaign by name, a parameter, as they run)."""
    names = getattr(item, "fixturenames", ())
    callspec = getattr(item, "callspec", None)
    params = {str(v).replace("_", "-") for v in callspec.params.values()} if callspec is not None else set()
    for index, (name, fixture) in enumerate(SHARED_BUILDS):
        if fixture in names or (name in params and item.path.name == "test_campaigns.py"):
            return index
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests that read a shared session build first, each build at the head of a worker's share.

    Under pytest-xdist (`--dist worksteal`, see pyproject.toml) worker i first gets the i-th
    share of the collection, in order, and an idle worker later takes the tail of another's
    queue. The longest builds (SHARED_BUILDS) are dealt out to the shares' heads, so that they
    start at once, on different workers, while the other tests fill the rest of each share.
    """
    workers = max(1, int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")))
    heads: list[list[pytest.Item]] = [[] for _ in range(workers)]
    rest = []
    builds = {item: _shared_build(item) for item in items}
    for item in sorted(items, key=lambda item: len(SHARED_BUILDS) if builds[item] is None else builds[item]):
        (rest if builds[item] is None else heads[builds[item] % workers]).append(item)
    ordered, left = [], len(items)
    for worker, head in enumerate(heads):
        share = left // (workers - worker)  # as xdist's work-stealing scheduler deals the collection out
        left -= share
        take = max(0, share - len(head))
        ordered += head + rest[:take]
        rest = rest[take:]
    items[:] = ordered + rest


def built_once(tmp_path_factory, name: str, make) -> Path:
    """A folder that ``make`` fills once per test run, which its users then only read.

    Under pytest-xdist the first worker that asks makes it, in the run's temporary folder that
    the workers share, while the others wait for it; each session checks at its end that no
    test changed it (see ``_unchanged``).
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        folder = tmp_path_factory.mktemp(name)
        make(folder)
        return folder
    shared = tmp_path_factory.getbasetemp().parent
    folder = shared / name
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / f"{name}.made").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            (shared / f"{name}.made").touch()
    return folder


def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def _unchanged():
    """Folders shared by many tests stay as they were made: a test that must change one copies it."""
    watched: dict[Path, dict[str, str]] = {}
    yield lambda folder: watched.setdefault(folder, _digests(folder))
    changed = [str(folder) for folder, digests in watched.items() if _digests(folder) != digests]
    assert not changed, f"a test changed a shared build: {changed}"


def _build_real(folder: Path) -> None:
    result = run_printkit("build", "--out", str(folder / "output"), check=True)
    (folder / "build.txt").write_text(result.stdout)


@pytest.fixture(scope="session")
def real_build_run(tmp_path_factory, _unchanged) -> tuple[Path, str]:
    """Every material built once from the real programme, by the real command line, and what it printed."""
    folder = built_once(tmp_path_factory, "real", _build_real)
    _unchanged(folder)
    return folder / "output", (folder / "build.txt").read_text()


@pytest.fixture(scope="session")
def real_build(real_build_run) -> Path:
    """Every material built once from the real programme, by the real command line; read only."""
    return real_build_run[0]


@pytest.fixture(scope="session")
def real_check(real_build) -> subprocess.CompletedProcess:
    """`printkit check --json` run once on the real build."""
    return run_printkit("check", str(real_build), "--json")


def _pack_small(root: Path) -> None:
    campaign = yaml.safe_load((ROOT / "programme" / "campaign.yaml").read_text())
    imprint = campaign["imprint"] | {"printer_name": "Imprimerie Exemple",
                                     "printer_address": "1 rue du Test, 92140 Clamart"}
    printing = campaign["printing"] | {"stock": {"card": "couché mat 400 g"}}
    make_small(root, imprint=imprint, printing=printing, quantities={"booklet": 500, "cards/sport": 2000})
    measures = copy.deepcopy(SMALL_MEASURES)
    measures[1]["measures"][0]["title"] = "Créer une fête du sport le 1ER mai"
    write_yaml(root / "programme" / "measures.yaml", measures)
    result = run_printkit("pack", cwd=root)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="session")
def packed(tmp_path_factory, _unchanged) -> Path:
    """The small programme, its printer named, two quantities and a card paper given, packed once:
    its output/ holds every file as PDF/X-4, pack/ the printer's package. Measure 3's title sets an
    ordinal as « 1ER », a warning that `printkit check` finds in its files. Read only."""
    root = built_once(tmp_path_factory, "packed", _pack_small)
    _unchanged(root)
    return root


def _build_small(folder: Path) -> None:
    make_small(folder)
    # one worker per core, as a user's build: test_reliability compares it with a build on one process
    run_printkit("build", "--out", str(folder / "output"), cwd=folder, check=True, pool=True)


@pytest.fixture(scope="session")
def _small_with_output_made(tmp_path_factory, _unchanged) -> tuple[Path, Path]:
    """The small project built once per run and kept apart, read only; and the folder where a test gets
    its own copy (a copy elsewhere builds nothing again: a build's keys name no project folder)."""
    template = built_once(tmp_path_factory, "small-as-built", _build_small)
    _unchanged(template)
    return tmp_path_factory.getbasetemp() / "small-with-output", template


@pytest.fixture(scope="session")
def small_build(_small_with_output_made) -> Path:
    """The small programme built once, every material and copy-shop file; read only."""
    return _small_with_output_made[1] / "output"


@pytest.fixture
def small_with_output(_small_with_output_made) -> Path:
    """The small project (see ``small``) with every material already built into its output/
    folder, for a test that changes either, as a user's project between two edits."""
    place, template = _small_with_output_made
    shutil.rmtree(place, ignore_errors=True)
    shutil.copytree(template, place)
    return place


@pytest.fixture(scope="session", autouse=True)
def fork_server():
    """The fork server of ``run_printkit``, started before any test works in a temporary folder: started
    from one, it would work in it, and ``nothing_left_running`` would take it for a test's leftover."""
    multiprocessing.forkserver.ensure_running()


@pytest.fixture(scope="session", autouse=True)
def nothing_left_running(tmp_path_factory):
    """After the last test, no process that a test started (a server, its workers, a build) may still run."""
    yield
    left = started_in(tmp_path_factory.getbasetemp())
    left = {pid: left[pid] for pid in still_running(list(left), timeout=2)}
    for pid in left:  # ours: started on this session's temporary projects
        os.kill(pid, signal.SIGKILL)
    assert not left, "the tests left processes running:\n" + "\n".join(f"  {pid} {c}" for pid, c in left.items())
