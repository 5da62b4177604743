"""The pipeline's scheduler: load → plan → (make each file: make.py) → check, on worker processes.

Only the materials whose inputs changed are rebuilt (see cache.py). Those are built in
parallel worker processes, which die with the build: one that fails is reported and the
others still build. Each file is written atomically, beside its final name by a worker, then
renamed into place by the build. WeasyPrint and the PDF libraries are imported only when
something has to be rendered, so that a build with nothing to do returns at once.
"""

import fcntl
import logging
import os
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from printkit.builtin import BUILTIN_FONTS
from printkit.errors import Finding, PrintkitError
from printkit.files import Staged, commit, discard, writing
from printkit.pipeline import cache
from printkit.pipeline.make import (
    Output,
    Provisional,
    build_task,
    check_task,
    creation_time,
    draft_task,
    impose_task,
    window_task,
)
from printkit.pipeline.plan import BuildRequest, absent_kinds, plan_impositions, plan_materials, skipped_materials
from printkit.pipeline.workers import worker_pool
from printkit.products import Material
from printkit.programme.datacheck import coverage_findings, data_findings
from printkit.programme.loader import read_programme
from printkit.programme.model import Programme

DEFAULT_PDFX = "x-4"
log = logging.getLogger("printkit")


@dataclass
class Report:
    """What a build made and what its checks found."""

    outputs: list[Output]
    findings: list[Finding]
    skipped: list[str] = field(default_factory=list)  # the files quantities of 0 leave out
    absent: list[str] = field(default_factory=list)  # why a kind asked for has no file (no list: no ballot)

    def failed(self, strict: bool) -> bool:
        """Whether the build must exit non-zero."""
        levels = {"error", "warning"} if strict else {"error"}
        return any(o.error for o in self.outputs) or any(f.level in levels for f in self.findings)

    @property
    def rebuilt(self) -> list[str]:
        """The files this build rendered again."""
        return [o.path for o in self.outputs if o.rebuilt]


def build(request: BuildRequest, pool: ProcessPoolExecutor | None = None,
          progress: Callable[[Output], None] = lambda output: None,
          provisional: Callable[[Provisional], None] | None = None) -> Report:
    """Build the requested materials whose inputs changed, then check every file written.

    A long-lived caller (the preview server) passes its own pool, whose warm workers keep
    their imports, fonts and QR codes from one build to the next. ``progress`` is called
    with each file as soon as it is written, before its checks. ``provisional``, when given,
    is called with booklet pages laid out ahead of the full build: first those an edit of
    measures touches (render/pagewindow.py), or after a new layout a draft of the whole booklet.
    """
    programme, warnings = read_programme(request.root / "programme")
    if request.pdfx is None and programme.campaign.imprint.complete:
        request = replace(request, pdfx=DEFAULT_PDFX)  # final files go to a printer: PDF/X unless asked otherwise
    materials = plan_materials(programme, request.which, request.themes)
    with output_lock(request.out):
        manifest = cache.load_manifest(request.out)
        layouts = {m.output: _layout_key(m, programme, request) for m in materials}
        keys = {m.output: cache.material_key(m, programme, layouts[m.output]) for m in materials}
        todo = [m for m in materials if request.force or _stale(m.output, keys[m.output], manifest, request.out)]
        if todo:
            _require_glyphs(programme, request)
        paper = programme.campaign.printing.paper
        covered = {imposition.output: imposition for imposition in plan_impositions(materials, paper)}
        keys |= {name: cache.imposition_key({i.source: keys[i.source]}) for name, i in covered.items()}
        rendered = {m.output for m in todo}
        fresh = {name: imposition for name, imposition in covered.items()
                 if imposition.source in rendered or _stale(name, keys[name], manifest, request.out)}
        tasks = _Tasks(request, programme, layouts, progress, provisional, _Record(request.out, manifest, keys))
        made = _run(tasks, todo, fresh, pool)
        # An imposed file whose pages failed to build is left out, neither made nor unchanged.
        names = [m.output for m in materials] + [name for name in covered if name in made or name not in fresh]
        outputs, findings = _collect(names, made, manifest)
        _retire(manifest, programme, request.out)
        cache.save_manifest(request.out, manifest)
        data = data_findings(programme, warnings, request.out)
    return Report(outputs, data + findings,
                  [m.output for m in skipped_materials(programme, request.which, request.themes)],
                  absent_kinds(programme, request.which))


def _retire(manifest: dict, programme: Programme, out: Path) -> None:
    """Delete the files an earlier build made that no build of this programme makes any more.

    A file left behind (a theme renamed, the old mixed card sheet) would be sent to a printer
    as if current. Only files recorded in the manifest are touched, never a user's own.
    """
    materials = plan_materials(programme)
    paper = programme.campaign.printing.paper
    current = {m.output for m in materials} | {i.output for i in plan_impositions(materials, paper)}
    for name in [name for name in manifest if name not in current]:
        with writing(out / name):
            (out / name).unlink(missing_ok=True)
        del manifest[name]


def _layout_key(material: Material, programme: Programme, request: BuildRequest) -> str:
    settings = programme.campaign.printing
    options = {"paper": settings.paper, "bleed": settings.bleed_mm, "safe": settings.safe_mm, "marks": request.marks,
               "pdfx": request.pdfx, "profile": settings.icc_profile, "created": creation_time(settings.build_date).isoformat(),
               "folders": [str(f) for f in request.layout_folders]}
    return cache.layout_key(material, request.layout_folders, BUILTIN_FONTS, options)


def _stale(name: str, key: str, manifest: dict, out: Path) -> bool:
    """Made from other inputs, missing, or not the bytes recorded: a build killed between writing a
    file and recording it leaves a file its recorded key does not describe (as Ninja's log, the
    digest is the proof)."""
    entry = manifest.get(name, {})
    return entry.get("key") != key or cache.file_digest(out / name) != entry.get("output", {}).get("sha256")


def _require_glyphs(programme: Programme, request: BuildRequest) -> None:
    missing = coverage_findings(programme, BUILTIN_FONTS)
    if missing:
        raise PrintkitError("the bundled fonts cannot draw the programme:\n" + "\n".join(f"  {f.what}" for f in missing))


@dataclass
class _Record:
    """The manifest, recorded again the moment a file is written or checked: a build killed
    later leaves every file it wrote described by its key and digest."""

    out: Path
    manifest: dict
    keys: dict

    def __call__(self, name: str, output: Output, found: list[Finding]) -> None:
        """Record a file this build wrote, with its findings so far."""
        if not output.error:
            self.manifest[name] = {"key": self.keys[name], "output": asdict(output),
                                   "findings": [f.as_dict() for f in found]}
            cache.save_manifest(self.out, self.manifest)


def _collect(names: list[str], made: dict, manifest: dict) -> tuple[list, list]:
    """Each file's summary and findings: from this build (recorded as it went), or from the manifest."""
    outputs, findings = [], []
    for name in names:
        if name in made:
            output, found = made[name]
        else:
            entry = manifest[name]
            output, found = Output(**(entry["output"] | {"rebuilt": False})), cache.findings_from(entry)
        outputs.append(output)
        findings += found
    return outputs, findings


@contextmanager
def output_lock(out: Path):
    """One build at a time per output folder: a second one refuses at once.

    A POSIX record lock (lockf), not flock: worker processes forked during the build must
    not inherit it, or a long-lived pool would hold it after the build.
    """
    with writing(out):
        out.mkdir(parents=True, exist_ok=True)
    with writing(out / ".printkit.lock"):
        lock = open(out / ".printkit.lock", "w")  # the first file written: a read-only folder stops here
    with lock:
        try:
            fcntl.lockf(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise PrintkitError(f"another printkit build is writing to {out}; wait for it to finish") from None
        for stale in out.rglob(".*.part"):  # left by a build that was killed; never under a final name
            stale.unlink()
        yield


# scheduling


def _run(tasks: "_Tasks", todo: list[Material], impositions: dict, pool: ProcessPoolExecutor | None) -> dict:
    """Render, write and check the materials, and impose them as soon as their pages are made."""
    jobs = min(tasks.request.jobs or os.cpu_count() or 1, max(len(todo), 1))
    if pool is None and jobs == 1:
        return tasks.run(_InlineExecutor(), todo, impositions)
    with nullcontext(pool) if pool is not None else worker_pool(jobs) as executor:
        return tasks.run(executor, todo, impositions)


class _InlineExecutor:
    """Runs each task at once in this process, for `--jobs 1`: no worker to start."""

    def submit(self, function: Callable, *args) -> Future:
        future = Future()
        future.set_result(function(*args))
        return future


class _Tasks:
    """The build's tasks on one executor: a material's check and the imposed files that need
    its pages start the moment it is written, while other materials still render."""

    def __init__(self, request: BuildRequest, programme: Programme, layouts: dict[str, str],
                 progress: Callable[[Output], None], provisional: Callable[[Provisional], None] | None,
                 record: _Record) -> None:
        self.request, self.programme, self.layouts = request, programme, layouts
        self.progress, self.provisional, self.record = progress, provisional, record
        self.pending: dict[Future, tuple[Callable, str]] = {}
        self.made: dict[str, tuple[Output, list[Finding]]] = {}

    def run(self, executor, todo: list[Material], impositions: dict) -> dict[str, tuple[Output, list[Finding]]]:
        """Submit the materials, then wait for every task, starting the ones each result makes possible."""
        self.executor, self.impositions = executor, impositions
        rendered = {m.output for m in todo}
        self.waiting = {name: [i.source] if i.source in rendered else [] for name, i in impositions.items()}
        if self.provisional is not None:
            self._show_edited_pages_first(todo)
        for material in todo:  # in plan order: the booklet, the longest, first
            self._submit(self._written, material.output, build_task, material, self.request, self.programme,
                         self.layouts[material.output])
        self._impose_ready()
        while self.pending:
            done, _ = wait(self.pending, return_when=FIRST_COMPLETED)
            for future in done:
                handler, name = self.pending.pop(future)
                handler(name, future)
        return self.made

    def _submit(self, handler: Callable, name: str, function: Callable, *args) -> None:
        self.pending[self.executor.submit(function, *args)] = (handler, name)

    def _show_edited_pages_first(self, todo: list[Material]) -> None:
        """Lay out the booklet pages an edit touched, alone on the workers: about half a second,
        which the full layouts would otherwise share the cores with. When there is no such
        window and the booklet's fitting will try every choice again (a new layout), a draft of
        the whole booklet is laid out beside the full build."""
        for material in todo:
            if material.kind != "booklet":
                continue
            layout = self.layouts[material.output]
            future = self.executor.submit(window_task, material, self.request, self.programme, layout)
            shown = self._drafted(material.output, future)
            fitting = cache.kept_fitting(self.request.out)
            if not shown and (fitting is None or fitting["layout"] != layout):
                self._submit(self._drafted, material.output, draft_task, material, self.request, self.programme)

    def _drafted(self, name: str, future: Future) -> bool:
        """Show pages laid out ahead of the full build, never over the full build's own; whether it did."""
        try:
            result = future.result()
            if result is None or name in self.made:
                return False
            self.provisional(result)
            return True
        except BrokenProcessPool:
            raise
        except Exception:  # a shortcut only: whatever stops it, the full build follows and says why
            log.warning("showing pages ahead of the full build failed; the full build follows", exc_info=True)
            return False

    def _written(self, name: str, future: Future) -> None:
        self.made[name] = result = _placed(*future.result())
        self.record(name, *result)
        self.progress(result[0])
        if not result[0].error:
            self._submit(self._checked, name, check_task, self.request.out, name, self.programme)
        self._impose_ready()

    def _checked(self, name: str, future: Future) -> None:
        self.made[name][1].extend(future.result())
        self.record(name, *self.made[name])

    def _impose_ready(self) -> None:
        for name, sources in list(self.waiting.items()):
            if all(source in self.made for source in sources):
                del self.waiting[name]
                if not any(self.made[source][0].error for source in sources):
                    self._submit(self._imposed, name, impose_task, self.impositions[name], self.request,
                                 self.programme)

    def _imposed(self, name: str, future: Future) -> None:
        self.made[name] = result = _placed(*future.result())
        self.record(name, *result)
        self.progress(result[0])


def _placed(output: Output, findings: list[Finding], staged: list[Staged]) -> tuple[Output, list[Finding]]:
    """A task's files renamed into place here, in the build, not in the worker that wrote them.

    Only the build holds the output folder's lock, and only while it lives. A worker dies with
    the build (workers.py), but a signal takes effect only once the system call under way returns:
    a worker that renamed its own files could finish a rename just after the build died, as a new
    build takes the folder. Files a killed build had not placed stay temporary files, which the
    next build deletes (output_lock).
    """
    try:
        for each in staged:
            commit(each)
    except PrintkitError as error:  # a full disk, a folder made read-only: this file fails, the others go on
        discard(staged)
        return replace(output, error=error.format_message()), []
    return output, findings
