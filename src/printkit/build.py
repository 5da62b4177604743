"""The pipeline: load → plan → render HTML → lay out and write PDF → post-process → check.

Only the materials whose inputs changed are rebuilt (see cache.py). Those are built in
parallel worker processes: one that fails is reported and the others still build. Each
file is written atomically. WeasyPrint and the PDF libraries are imported only when
something has to be rendered, so that a build with nothing to do returns at once.
"""

import datetime
import fcntl
import os
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from . import cache
from .datacheck import coverage_findings, data_findings
from .errors import Finding, PrintkitError
from .files import write_atomic
from .loader import read_programme
from .model import Programme
from .plan import Imposition, Material, plan_impositions, plan_materials

DEFAULT_PDFX = "x-4"
_USER_EPOCH = os.environ.get("SOURCE_DATE_EPOCH")  # read once: the build sets it for fontTools


@dataclass(frozen=True)
class BuildRequest:
    """What the user asked for on the command line."""

    root: Path
    out: Path
    which: str = "all"
    theme: str | None = None
    marks: bool = False
    pdfx: str | None = None
    layouts: Path | None = None
    strict: bool = False
    jobs: int = 0
    force: bool = False

    @property
    def layout_folders(self) -> list[Path]:
        """The layout search path: the designer's folder first, the built-in layouts second."""
        return [folder.resolve() for folder in (self.layouts, self.root / "layouts") if folder is not None]


@dataclass
class Output:
    """One file the build wrote, or failed to write."""

    path: str
    format: str = ""
    pages: int = 0
    size: int = 0
    error: str = ""
    notes: list[str] = field(default_factory=list)
    rebuilt: bool = True


@dataclass
class Report:
    """What a build made and what its checks found."""

    outputs: list[Output]
    findings: list[Finding]

    def failed(self, strict: bool) -> bool:
        """Whether the build must exit non-zero."""
        levels = {"error", "warning"} if strict else {"error"}
        return any(o.error for o in self.outputs) or any(f.level in levels for f in self.findings)

    @property
    def rebuilt(self) -> list[str]:
        """The files this build rendered again."""
        return [o.path for o in self.outputs if o.rebuilt]


def build(request: BuildRequest, pool: ProcessPoolExecutor | None = None,
          progress: Callable[[Output], None] = lambda output: None) -> Report:
    """Build the requested materials whose inputs changed, then check every file written.

    A long-lived caller (the preview server) passes its own pool, whose warm workers keep
    their imports, fonts and QR codes from one build to the next. ``progress`` is called
    with each file as soon as it is written, before its checks.
    """
    programme, warnings = read_programme(request.root / "programme")
    if request.pdfx is None and programme.campaign.imprint.complete:
        request = replace(request, pdfx=DEFAULT_PDFX)  # final files go to a printer: PDF/X unless asked otherwise
    materials = plan_materials(programme, request.which, request.theme)
    with output_lock(request.out):
        manifest = cache.load_manifest(request.out)
        keys = {m.output: _key(m, programme, request) for m in materials}
        todo = [m for m in materials if request.force or _stale(m.output, keys[m.output], manifest, request.out)]
        if todo:
            _require_glyphs(programme, request)
        covered = {imposition.output: imposition for imposition in plan_impositions(materials)}
        keys |= {name: cache.imposition_key({i.source: keys[i.source]}) for name, i in covered.items()}
        rendered = {m.output for m in todo}
        fresh = {name: imposition for name, imposition in covered.items()
                 if imposition.source in rendered or _stale(name, keys[name], manifest, request.out)}
        made = _run(todo, fresh, request, programme, pool, progress)
        # An imposed file whose pages failed to build is left out, neither made nor unchanged.
        names = [m.output for m in materials] + [name for name in covered if name in made or name not in fresh]
        outputs, findings = _collect(names, made, keys, manifest)
        cache.save_manifest(request.out, manifest)
    return Report(outputs, data_findings(programme, warnings) + findings)


def _key(material: Material, programme: Programme, request: BuildRequest) -> str:
    settings = programme.campaign.printing
    options = {"bleed": settings.bleed_mm, "safe": settings.safe_mm, "marks": request.marks, "pdfx": request.pdfx,
               "profile": settings.icc_profile, "created": _creation_time(settings.build_date).isoformat(),
               "folders": [str(f) for f in request.layout_folders]}
    return cache.material_key(material, programme, request.layout_folders, request.root / "fonts", options)


def _stale(name: str, key: str, manifest: dict, out: Path) -> bool:
    return manifest.get(name, {}).get("key") != key or not (out / name).is_file()


def _require_glyphs(programme: Programme, request: BuildRequest) -> None:
    missing = coverage_findings(programme, request.root / "fonts")
    if missing:
        raise PrintkitError("the bundled fonts cannot draw the programme:\n" + "\n".join(f"  {f.what}" for f in missing))


def _collect(names: list[str], made: dict, keys: dict, manifest: dict) -> tuple[list, list]:
    """Each file's summary and findings: from this build, recorded with its key, or from the manifest."""
    outputs, findings = [], []
    for name in names:
        if name in made:
            output, found = made[name]
            if not output.error:
                manifest[name] = {"key": keys[name], "output": asdict(output), "findings": [f.as_dict() for f in found]}
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
    out.mkdir(parents=True, exist_ok=True)
    with open(out / ".printkit.lock", "w") as lock:
        try:
            fcntl.lockf(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise PrintkitError(f"another printkit build is writing to {out}; wait for it to finish") from None
        for stale in out.rglob(".*.part"):  # left by a build that was killed; never under a final name
            stale.unlink()
        yield


# scheduling


def _run(todo: list[Material], impositions: dict, request: BuildRequest, programme: Programme,
         pool: ProcessPoolExecutor | None, progress: Callable[[Output], None]) -> dict:
    """Render, write and check the materials, and impose them as soon as their pages are made."""
    jobs = min(request.jobs or os.cpu_count() or 1, max(len(todo), 1))
    if pool is None and jobs == 1:
        return _Tasks(_InlineExecutor(), request, programme, impositions, todo, progress).run()
    with nullcontext(pool) if pool is not None else ProcessPoolExecutor(jobs) as executor:
        return _Tasks(executor, request, programme, impositions, todo, progress).run()


class _InlineExecutor:
    """Runs each task at once in this process, for `--jobs 1`: no worker to start."""

    def submit(self, function: Callable, *args) -> Future:
        future = Future()
        future.set_result(function(*args))
        return future


class _Tasks:
    """The build's tasks on one executor: a material's check and the imposed files that need
    its pages start the moment it is written, while other materials still render."""

    def __init__(self, executor, request: BuildRequest, programme: Programme, impositions: dict,
                 todo: list[Material], progress: Callable[[Output], None]) -> None:
        self.executor, self.request, self.programme, self.progress = executor, request, programme, progress
        self.impositions: dict[str, Imposition] = impositions
        rendered = {m.output for m in todo}
        self.waiting = {name: [i.source] if i.source in rendered else [] for name, i in impositions.items()}
        self.pending: dict[Future, tuple[Callable, str]] = {}
        self.made: dict[str, tuple[Output, list[Finding]]] = {}
        for material in todo:  # in plan order: the booklet, the longest, first
            self._submit(self._written, material.output, _build_task, material, request, programme)

    def run(self) -> dict[str, tuple[Output, list[Finding]]]:
        """Wait for every task, starting the ones each result makes possible."""
        self._impose_ready()
        while self.pending:
            done, _ = wait(self.pending, return_when=FIRST_COMPLETED)
            for future in done:
                handler, name = self.pending.pop(future)
                handler(name, future.result())
        return self.made

    def _submit(self, handler: Callable, name: str, function: Callable, *args) -> None:
        self.pending[self.executor.submit(function, *args)] = (handler, name)

    def _written(self, name: str, result: tuple[Output, list[Finding]]) -> None:
        self.made[name] = result
        self.progress(result[0])
        if not result[0].error:
            self._submit(self._checked, name, _check_task, self.request.out, name, self.programme)
        self._impose_ready()

    def _checked(self, name: str, findings: list[Finding]) -> None:
        self.made[name][1].extend(findings)

    def _impose_ready(self) -> None:
        for name, sources in list(self.waiting.items()):
            if all(source in self.made for source in sources):
                del self.waiting[name]
                if not any(self.made[source][0].error for source in sources):
                    self._submit(self._imposed, name, _impose_task, self.impositions[name], self.request,
                                 self.programme)

    def _imposed(self, name: str, result: tuple[Output, list[Finding]]) -> None:
        self.made[name] = result
        self.progress(result[0])


# in worker processes


_worker: dict = {}


def _build_task(material: Material, request: BuildRequest, programme: Programme) -> tuple[Output, list[Finding]]:
    """Lay out and write one material, reusing the worker's set-up while the request and programme stay the same."""
    from .whitespace import blank_findings

    identity = (request, programme.content_hash())
    if _worker.get("identity") != identity:
        _worker.update(identity=identity, context=render_context(request, programme))
    context = _worker["context"]
    try:
        rendered = _render(material, context)
        data = _write(rendered, context, request)
    except PrintkitError as error:
        return Output(material.output, error=error.format_message()), []
    found = [Finding(material.output, 0, "warning", f"WeasyPrint: {w}") for w in dict.fromkeys(rendered.warnings)]
    found += blank_findings(rendered.document, material.output)
    return Output(material.output, rendered.format, page_count(data), len(data), notes=rendered.notes), found


def _check_task(out: Path, name: str, programme: Programme) -> list[Finding]:
    from .check import check_pdf

    return check_pdf(out / name, name, programme)


def render_context(request: BuildRequest, programme: Programme):
    """What every render of a build shares: layouts, fetcher, print options, creation date."""
    from .layouts import Layouts
    from .materials import Context
    from .pdf import PrintOptions, ProjectFetcher
    from .qr import QrCodes

    settings = programme.campaign.printing
    layouts = Layouts(request.root / "layouts", request.layouts, QrCodes(request.out / ".printkit" / "qr"))
    roots = [*layouts.folders, request.root / "fonts", request.root / "programme"]
    if request.pdfx:
        _require_profile(Path(settings.icc_profile))
        roots.append(Path(settings.icc_profile))
    options = PrintOptions(settings.bleed_mm, request.pdfx, settings.icc_profile,
                           _creation_time(settings.build_date))
    _pin_font_dates(options.created)
    return Context(programme, layouts, ProjectFetcher(roots), options, options.created.date(), request.root)


def _pin_font_dates(created: datetime.datetime) -> None:
    """fontTools stamps each font subset it writes with the current time unless this is set."""
    os.environ["SOURCE_DATE_EPOCH"] = str(int(created.timestamp()))


def _require_profile(profile: Path) -> None:
    if not profile.is_file():
        raise PrintkitError(f"{profile}: CMYK ICC profile not found; set printing.icc_profile in campaign.yaml "
                            "to the profile your printer sends, or run scripts/setup, which installs a free one")


def _creation_time(build_date: datetime.date) -> datetime.datetime:
    """The date written into every PDF: SOURCE_DATE_EPOCH when set, else campaign.yaml's build_date."""
    epoch = _USER_EPOCH
    if epoch and epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
    return datetime.datetime.combine(build_date, datetime.time(), datetime.timezone.utc)


def _render(material: Material, context):
    from .check import layout_findings
    from .materials import render_material

    rendered = render_material(material, context)
    _refuse_missing_glyphs(material.output, rendered.warnings)
    findings = layout_findings(rendered.document, material.output, context.programme.campaign.printing.safe_mm)
    if findings:
        raise PrintkitError("; ".join(f"page {f.page}: {f.what}" for f in findings))
    return rendered


def _refuse_missing_glyphs(name: str, warnings: list[str]) -> None:
    glyphs = [w for w in warnings if "glyph" in w.lower() or "no font" in w.lower()]
    if glyphs:  # a missing glyph prints as a box ("tofu"): never a mere warning
        raise PrintkitError(f"{name}: WeasyPrint warned: {'; '.join(dict.fromkeys(glyphs))}")


def _write(rendered, context, request: BuildRequest) -> bytes:
    from .finish import finish_pdf
    from .impose import add_crop_marks, impose_trifold
    from .pdf import counting_warnings, pdf_bytes

    html_path = request.out / "html" / Path(rendered.material.output).with_suffix(".html")
    write_atomic(html_path, rendered.html.encode())
    with counting_warnings() as warnings:  # WeasyPrint reports .notdef glyphs while drawing, not laying out
        data = pdf_bytes(rendered.document, context.options, rendered.material.output)
    _refuse_missing_glyphs(rendered.material.output, warnings)
    bleed = context.options.bleed_mm * 72 / 25.4
    if rendered.format.startswith("A4 tri-fold"):
        data = impose_trifold(data, bleed)
    if request.marks:
        data = add_crop_marks(data, bleed)
    data = finish_pdf(data)
    write_atomic(request.out / rendered.material.output, data)
    return data


def page_count(data: bytes) -> int:
    """The number of pages of a PDF."""
    import io

    import pikepdf

    return len(pikepdf.open(io.BytesIO(data)).pages)


# imposition


def _impose_task(imposition: Imposition, request: BuildRequest,
                 programme: Programme) -> tuple[Output, list[Finding]]:
    """Impose a material's pages on the sheets of a copy shop, write them, then check them."""
    from . import impose
    from .finish import finish_pdf

    _pin_font_dates(_creation_time(programme.campaign.printing.build_date))
    source = (request.out / imposition.source).read_bytes()
    settings = programme.campaign.printing
    bleed = settings.bleed_mm * impose.MM
    if imposition.sheet == "booklet-a4":
        data = impose.impose_booklet_a4(source, settings.safe_mm * impose.MM)
        description = "A4 landscape, 2 A5 per side, saddle-stitch order, duplex on the short edge, untrimmed"
    else:
        data, description = _step_and_repeat(imposition, source, bleed, request, programme)
    data = finish_pdf(data)
    write_atomic(request.out / imposition.output, data)
    output = Output(imposition.output, description, page_count(data), len(data))
    return output, _check_task(request.out, imposition.output, programme)


def _step_and_repeat(imposition: Imposition, source: bytes, bleed: float, request: BuildRequest,
                     programme: Programme) -> tuple[bytes, str]:
    """Copies of one card, or of the booklet's spreads, with bleed, gutters, crop marks and how to print them."""
    from . import impose
    from .pdf import slug_pdf

    kind, size = imposition.sheet.split("-")
    if kind == "booklet":
        source = impose.spreads(source, bleed)
    layout = impose.plan_sheet(impose.trim_size(source), bleed, {"a4": impose.A4, "sra3": impose.SRA3}[size])
    what = _piece_name(imposition, programme)
    finishing = "rogner aux traits, plier, agrafer 2 points au pli" if kind == "booklet" else "couper aux traits"
    quantity = programme.campaign.quantity(imposition.source.removesuffix(".pdf"))
    lines = impose.sheet_instructions(layout, what, programme.campaign.printing.paper_for(kind), finishing, quantity)
    width = layout.sheet[0] / impose.MM - 2 * (impose.MARGIN / impose.MM)
    slug = slug_pdf(lines, (width, impose.SLUG_HEIGHT / impose.MM), request.root / "layouts")
    data = impose.step_and_repeat(source, layout, slug, title=lines[0].removesuffix(" · RECTO"))
    description = (f"{size.upper()}, {len(layout.slots)} per side, crop marks, duplex on the "
                   f"{'long' if layout.flip == 'bord long' else 'short'} edge, to trim")
    return data, description


def _piece_name(imposition: Imposition, programme: Programme) -> str:
    """What a sheet holds, in French, for its slug line."""
    if imposition.sheet.startswith("booklet"):
        return "livret A5 (planche 2 pages)"
    slug = Path(imposition.source).stem
    themes = {t.slug: t.name for t in programme.themes}
    return f"carte A6 « {themes[slug]} »" if slug in themes else "carte A6 « programme »"
