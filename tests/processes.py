"""Processes found through /proc, to prove that a test left none running."""

import time
from pathlib import Path


def running(pid: int) -> bool:
    """Whether the process exists and is not a zombie (dead, waiting to be reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def descendants(pid: int) -> list[int]:
    """The running processes started by ``pid``, their children, and so on."""
    parents = _parents()
    found, frontier = [], [pid]
    while frontier:
        children = [child for child, parent in parents.items() if parent in frontier and running(child)]
        found += children
        frontier = children
    return found


def _parents() -> dict[int, int]:
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return parents


def still_running(pids: list[int], timeout: float) -> list[int]:
    """Those of ``pids`` still running after up to ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        left = [pid for pid in pids if running(pid)]
        if not left or time.monotonic() >= deadline:
            return left
        time.sleep(0.02)


def started_in(folder: Path) -> dict[int, str]:
    """Running processes whose command line names ``folder`` or that work inside it, with their command lines:
    the servers, builds and worker processes that tests started on their temporary projects, orphans included."""
    found = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            cwd = Path((entry / "cwd").readlink())
        except OSError:
            continue
        if (f"{folder}/" in command or cwd.is_relative_to(folder)) and running(int(entry.name)):
            found[int(entry.name)] = command
    return found
