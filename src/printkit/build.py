"""The pipeline: load → plan → render HTML → lay out and write PDF → post-process → check.

Every material is built on its own, in parallel worker processes: one that fails is
reported and the others still build. Each file is written atomically.
"""

import datetime
import fcntl
import io
import os
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from .check import Finding, check_pdf, coverage_findings, layout_findings, proof_findings
from .errors import PrintkitError
from .files import write_atomic
from .impose import impose_cards, impose_saddle, impose_trifold
from .layouts import Layouts
from .loader import read_programme
from .materials import Context, Rendered, render_material
from .model import Programme
from .pdf import PrintOptions, ProjectFetcher, pdf_bytes
from .plan import Material, plan_materials


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


@dataclass
class Output:
    """One file the build wrote, or failed to write."""

    path: str
    format: str = ""
    pages: int = 0
    size: int = 0
    error: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass
class Report:
    """What a build made and what its checks found."""

    outputs: list[Output]
    findings: list[Finding]

    def failed(self, strict: bool) -> bool:
        """Whether the build must exit non-zero."""
        levels = {"error", "warning"} if strict else {"error"}
        return any(o.error for o in self.outputs) or any(f.level in levels for f in self.findings)


def build(request: BuildRequest) -> Report:
    """Build the requested materials into the output folder, then check every file written."""
    programme, warnings = read_programme(request.root / "programme")
    findings = [Finding(str(w.where), 0, "warning", w.message) for w in warnings]
    findings += _data_findings(programme, request)
    materials = plan_materials(programme, request.which, request.theme)
    with _locked(request.out):
        results = _build_all(materials, request, programme)
        outputs = [output for output, _, _ in results]
        findings += [finding for _, found, _ in results for finding in found]
        written = {material: data for material, (_, _, data) in zip(materials, results) if data}
        outputs += _post_process(written, request, programme, findings)
    return Report(outputs, findings)


def _data_findings(programme: Programme, request: BuildRequest) -> list[Finding]:
    missing = coverage_findings(programme, request.root / "fonts")
    if missing:
        raise PrintkitError("the bundled fonts cannot draw the programme:\n" + "\n".join(f"  {f.what}" for f in missing))
    return proof_findings(programme)


def _build_all(materials: list[Material], request: BuildRequest, programme: Programme) -> list[tuple]:
    jobs = min(request.jobs or os.cpu_count() or 1, len(materials))
    if jobs <= 1:
        _start_worker(request, programme)
        return [_build_one(material) for material in materials]
    with ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=(request, programme)) as pool:
        return list(pool.map(_build_one, materials))


_worker: dict = {}


def _start_worker(request: BuildRequest, programme: Programme) -> None:
    """Set up, once per worker process, what every material of the build shares."""
    _worker.update(request=request, context=_context(request, programme))


def _context(request: BuildRequest, programme: Programme) -> Context:
    settings = programme.campaign.printing
    layouts = Layouts(request.root / "layouts", request.layouts)
    roots = [*layouts.folders, request.root / "fonts", request.root / "programme"]
    if request.pdfx:
        _require_profile(Path(settings.icc_profile))
        roots.append(Path(settings.icc_profile))
    options = PrintOptions(settings.bleed_mm, request.marks, request.pdfx, settings.icc_profile,
                           _creation_time(settings.build_date))
    # fontTools stamps each font subset it writes with the current time unless this is set.
    os.environ["SOURCE_DATE_EPOCH"] = str(int(options.created.timestamp()))
    return Context(programme, layouts, ProjectFetcher(roots), options, options.created.date(), request.root)


def _require_profile(profile: Path) -> None:
    if not profile.is_file():
        raise PrintkitError(f"{profile}: CMYK ICC profile not found; set printing.icc_profile in campaign.yaml "
                            "to the profile your printer sends, or run scripts/setup, which installs a free one")


def _creation_time(build_date: datetime.date) -> datetime.datetime:
    """The date written into every PDF: SOURCE_DATE_EPOCH when set, else campaign.yaml's build_date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
    return datetime.datetime.combine(build_date, datetime.time(), datetime.timezone.utc)


@contextmanager
def _locked(out: Path):
    """One build at a time per output folder: a second one refuses at once."""
    out.mkdir(parents=True, exist_ok=True)
    with open(out / ".printkit.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PrintkitError(f"another printkit build is writing to {out}; wait for it to finish") from None
        for stale in out.rglob(".*.part"):  # left by a build that was killed; never under a final name
            stale.unlink()
        yield


def _build_one(material: Material) -> tuple[Output, list[Finding], bytes]:
    request, context = _worker["request"], _worker["context"]
    try:
        rendered = render_material(material, context)
        _check_glyphs(rendered)
        _check_layout(rendered, context)
        data = _write(rendered, context, request)
    except PrintkitError as error:
        return Output(material.output, error=error.format_message()), [], b""
    found = [Finding(material.output, 0, "warning", f"WeasyPrint: {w}") for w in dict.fromkeys(rendered.warnings)]
    found += check_pdf(request.out / material.output, material.output, context.programme)
    output = Output(material.output, rendered.format, page_count(data), len(data), notes=rendered.notes)
    return output, found, data


def _check_glyphs(rendered: Rendered) -> None:
    """A missing glyph prints as a box ("tofu"): never a mere warning."""
    glyphs = [w for w in rendered.warnings if "glyph" in w.lower() or "no font" in w.lower()]
    if glyphs:
        raise PrintkitError(f"{rendered.material.output}: WeasyPrint warned: {'; '.join(dict.fromkeys(glyphs))}")


def _check_layout(rendered: Rendered, context: Context) -> None:
    findings = layout_findings(rendered.document, rendered.material.output, context.programme.campaign.printing.safe_mm)
    if findings:
        raise PrintkitError("; ".join(f"page {f.page}: {f.what}" for f in findings))


def _write(rendered: Rendered, context: Context, request: BuildRequest) -> bytes:
    html_path = request.out / "html" / Path(rendered.material.output).with_suffix(".html")
    write_atomic(html_path, rendered.html.encode())
    data = pdf_bytes(rendered.document, context.options, rendered.material.output)
    if rendered.format.startswith("A4 tri-fold"):
        data = impose_trifold(data, context.options.bleed_mm * 72 / 25.4)
    write_atomic(request.out / rendered.material.output, data)
    return data


def page_count(data: bytes) -> int:
    """The number of pages of a PDF."""
    return len(pikepdf.open(io.BytesIO(data)).pages)


def _post_process(written: dict, request: BuildRequest, programme: Programme, findings: list) -> list[Output]:
    outputs = []
    booklet = next((data for m, data in written.items() if m.kind == "booklet"), None)
    if booklet is not None:
        outputs.append(_derived(request.out, "booklet-imposed-a4.pdf", impose_saddle(booklet),
                                "A4 landscape, 2 A5 per side, saddle-stitch order, duplex", programme, findings))
    cards = [data for m, data in written.items() if m.kind == "card"]
    if cards and request.theme is None and request.which in ("all", "cards"):
        outputs.append(_derived(request.out, "cards/sheets-a4.pdf", impose_cards(cards),
                                "A4, 4 A6 cards per sheet, fronts then backs, cut marks", programme, findings))
    return outputs


def _derived(out: Path, name: str, data: bytes, description: str, programme: Programme, findings: list) -> Output:
    write_atomic(out / name, data)
    findings += check_pdf(out / name, name, programme)
    return Output(name, description, page_count(data), len(data))
