"""The pipeline: load → plan → render HTML → lay out and write PDF → post-process → summary.

Every material is built on its own: one that fails is reported and the others still build.
"""

import datetime
import fcntl
import io
import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from .errors import PrintkitError
from .files import write_atomic
from .impose import impose_cards, impose_saddle, impose_trifold
from .layouts import Layouts
from .loader import load_programme
from .materials import Context, Rendered, render_material
from .pdf import PrintOptions, ProjectFetcher, pdf_bytes
from .plan import Material, plan_materials

log = logging.getLogger("printkit")


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


@dataclass
class Output:
    """One file the build wrote, or failed to write."""

    path: str
    format: str = ""
    pages: int = 0
    size: int = 0
    error: str = ""
    notes: list[str] = field(default_factory=list)


def build(request: BuildRequest) -> list[Output]:
    """Build the requested materials into the output folder; return one line per file."""
    programme = load_programme(request.root / "programme")
    context = _context(request, programme)
    with _locked(request.out):
        outputs, written = [], {}
        for material in plan_materials(programme, request.which, request.theme):
            outputs.append(_build_one(material, context, request, written))
        outputs += _post_process(written, context, request)
    return outputs


def _context(request: BuildRequest, programme) -> Context:
    settings = programme.campaign.printing
    layouts = Layouts(request.root / "layouts", request.layouts)
    roots = [*layouts.folders, request.root / "fonts", request.root / "programme"]
    if request.pdfx:
        _require_profile(Path(settings.icc_profile))
        roots.append(Path(settings.icc_profile))
    options = PrintOptions(settings.bleed_mm, request.marks, request.pdfx, settings.icc_profile,
                           _creation_time(settings.build_date))
    return Context(programme, layouts, ProjectFetcher(roots), options, options.created.date(), request.root)


def _require_profile(profile: Path) -> None:
    if not profile.is_file():
        raise PrintkitError(f"{profile}: CMYK ICC profile not found; set printing.icc_profile in campaign.yaml "
                            "to the profile your printer sends, or run the set-up script, which installs a free one")


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
        yield


def _build_one(material: Material, context: Context, request: BuildRequest, written: dict) -> Output:
    try:
        rendered = render_material(material, context)
        _check_warnings(rendered, request.strict)
        data = _write(rendered, context, request)
    except PrintkitError as error:
        log.error("%s", error.format_message())
        return Output(material.output, error=error.format_message())
    written[material] = data
    return Output(material.output, rendered.format, page_count(data), len(data), notes=rendered.notes)


def _check_warnings(rendered: Rendered, strict: bool) -> None:
    glyphs = [w for w in rendered.warnings if "glyph" in w.lower() or "no font" in w.lower()]
    if glyphs or (strict and rendered.warnings):
        shown = "; ".join(dict.fromkeys(glyphs or rendered.warnings))
        raise PrintkitError(f"{rendered.material.output}: WeasyPrint warned: {shown}")
    for warning in dict.fromkeys(rendered.warnings):
        log.warning("%s: WeasyPrint: %s", rendered.material.output, warning)


def _write(rendered: Rendered, context: Context, request: BuildRequest) -> bytes:
    html_path = request.out / "html" / Path(rendered.material.output).with_suffix(".html")
    write_atomic(html_path, rendered.html.encode())
    data = pdf_bytes(rendered.document, context.options, rendered.material.output)
    if rendered.format.startswith("A4 tri-fold"):
        data = impose_trifold(data, context.options.bleed_mm * 72 / 25.4)
    write_atomic(request.out / rendered.material.output, data)
    return data


def _post_process(written: dict, context: Context, request: BuildRequest) -> list[Output]:
    outputs = []
    booklet = next((data for m, data in written.items() if m.kind == "booklet"), None)
    if booklet is not None:
        outputs.append(_derived(request.out, "booklet-imposed-a4.pdf", impose_saddle(booklet),
                                "A4 landscape, 2 A5 per side, saddle-stitch order, duplex"))
    cards = [data for m, data in written.items() if m.kind == "card"]
    if cards and request.theme is None and request.which in ("all", "cards"):
        outputs.append(_derived(request.out, "cards/sheets-a4.pdf", impose_cards(cards),
                                "A4, 4 A6 cards per sheet, fronts then backs, cut marks"))
    return outputs


def _derived(out: Path, name: str, data: bytes, description: str) -> Output:
    write_atomic(out / name, data)
    return Output(name, description, page_count(data), len(data))


def page_count(data: bytes) -> int:
    """The number of pages of a PDF."""
    return len(pikepdf.open(io.BytesIO(data)).pages)
