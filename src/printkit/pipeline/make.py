"""Making one file, in a worker process: render HTML, lay out and write the PDF, post-process,
impose, check. The scheduler (build.py) decides which files to make and when."""

import datetime
import os
from dataclasses import dataclass, field
from pathlib import Path

from printkit.errors import Finding, PrintkitError
from printkit.files import write_atomic
from printkit.pipeline.plan import BuildRequest, Imposition, Material
from printkit.programme.model import Programme
from printkit.units import mm_to_pt, pt_to_mm

_USER_EPOCH = os.environ.get("SOURCE_DATE_EPOCH")  # read once: the build sets it for fontTools
READINGS = ".printkit/pages"  # each page's rendered reading (QR codes, pixel checks), by what it draws
WINDOWS = ".printkit/window"  # the booklet pages an edit touched, laid out ahead of the full build
DRAFTS = ".printkit/draft"  # whole materials laid out ahead of their full build, for the preview


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


_worker: dict = {}


@dataclass
class Provisional:
    """Pages of a material laid out ahead of its full build, in their own PDF: a window of pages
    from ``first`` on (render/pagewindow.py), or the whole material (``whole``)."""

    path: str
    pdf: str
    first: int
    settled: bool
    whole: bool = False


def build_task(material: Material, request: BuildRequest, programme: Programme,
               layout: str) -> tuple[Output, list[Finding]]:
    """Lay out and write one material, reusing the worker's set-up while the request and programme stay the same.

    The booklet's page map is recorded with its layout key, for the preview's next edit (window_task).
    """
    from printkit.render.whitespace import blank_findings

    context = _context(request, programme)
    try:
        rendered = _render(material, context, layout)
        data = _write(rendered, context, request)
        if material.kind == "booklet":
            from printkit.render import pagewindow

            pagewindow.record(request.out, material.output, rendered.html, rendered.document, layout)
    except PrintkitError as error:
        return Output(material.output, error=error.format_message()), []
    found = [Finding(material.output, 0, "warning", f"WeasyPrint: {w}") for w in dict.fromkeys(rendered.warnings)]
    found += blank_findings(rendered.document, material.output)
    return Output(material.output, rendered.format, page_count(data), len(data), notes=rendered.notes), found


def window_task(material: Material, request: BuildRequest, programme: Programme, layout: str) -> Provisional | None:
    """The pages an edit of measures touches, laid out alone, for the preview to show before the full build."""
    from printkit.products.fitting import booklet_html
    from printkit.render import pagewindow

    context = _context(request, programme)
    html = booklet_html(material, context)
    window = pagewindow.lay_out_window(request.out, material.output, html, layout, context.base, context.fetcher,
                                       context.options)
    if window is None:
        return None
    pdf = _write_ahead(WINDOWS, material, window.document, context, request)
    return Provisional(material.output, pdf, window.first, window.settled)


def draft_task(material: Material, request: BuildRequest, programme: Programme) -> Provisional:
    """The whole booklet laid out once, with the fitting's last choice, while the full build tries every choice."""
    from printkit.products.fitting import draft_booklet

    context = _context(request, programme)
    pdf = _write_ahead(DRAFTS, material, draft_booklet(material, context).document, context, request)
    return Provisional(material.output, pdf, 0, True, whole=True)


def _write_ahead(folder: str, material: Material, document, context, request: BuildRequest) -> str:
    """Write pages laid out ahead of the full build as a PDF for the preview; its path under the output."""
    from printkit.render.pdf import pdf_bytes

    pdf = Path(folder) / material.output
    write_atomic(request.out / pdf, pdf_bytes(document, context.options, material.output), durable=False)
    return str(pdf)


def _context(request: BuildRequest, programme: Programme):
    identity = (request, programme.content_hash())
    if _worker.get("identity") != identity:
        _worker.update(identity=identity, context=render_context(request, programme))
    return _worker["context"]


def check_task(out: Path, name: str, programme: Programme) -> list[Finding]:
    """Every document check on a file the build wrote, reading again only the pages no earlier build read."""
    from printkit.checks import check_pdf

    return check_pdf(out / name, name, programme, out / READINGS)


def warm_up() -> None:
    """Import what making a file needs and lay out one line, loading fontconfig and Pango, so that
    a long-lived worker's first layout costs what its others do."""
    from weasyprint import HTML

    from printkit.render import pagewindow  # noqa: F401

    HTML(string="<p>printkit</p>").render()


def render_context(request: BuildRequest, programme: Programme):
    """What every render of a build shares: layouts, fetcher, print options, creation date."""
    from printkit.products.fitting import Context
    from printkit.render.layouts import Layouts
    from printkit.render.pdf import PrintOptions, ProjectFetcher
    from printkit.render.qr import QrCodes

    settings = programme.campaign.printing
    layouts = Layouts(request.root / "layouts", request.layouts, QrCodes(request.out / ".printkit" / "qr"))
    roots = [*layouts.folders, request.root / "fonts", request.root / "programme"]
    if request.pdfx:
        _require_profile(Path(settings.icc_profile))
        roots.append(Path(settings.icc_profile))
    options = PrintOptions(settings.bleed_mm, request.pdfx, settings.icc_profile,
                           creation_time(settings.build_date))
    _pin_font_dates(options.created)
    return Context(programme, layouts, ProjectFetcher(roots), options, options.created.date(), request.root,
                   request.out)


def _pin_font_dates(created: datetime.datetime) -> None:
    """fontTools stamps each font subset it writes with the current time unless this is set."""
    os.environ["SOURCE_DATE_EPOCH"] = str(int(created.timestamp()))


def _require_profile(profile: Path) -> None:
    if not profile.is_file():
        raise PrintkitError(f"{profile}: CMYK ICC profile not found; set printing.icc_profile in campaign.yaml "
                            "to the profile your printer sends, or run scripts/setup, which installs a free one")


def creation_time(build_date: datetime.date) -> datetime.datetime:
    """The date written into every PDF: SOURCE_DATE_EPOCH when set, else campaign.yaml's build_date."""
    epoch = _USER_EPOCH
    if epoch and epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
    return datetime.datetime.combine(build_date, datetime.time(), datetime.timezone.utc)


def _render(material: Material, context, layout: str):
    from printkit.checks import layout_findings
    from printkit.products.fitting import render_material

    rendered = render_material(material, context, layout)
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
    from printkit.prepress.finish import finish_pdf
    from printkit.prepress.impose import add_crop_marks, impose_trifold
    from printkit.render.pdf import counting_warnings, pdf_bytes

    html_path = request.out / "html" / Path(rendered.material.output).with_suffix(".html")
    write_atomic(html_path, rendered.html.encode())
    with counting_warnings() as warnings:  # WeasyPrint reports .notdef glyphs while drawing, not laying out
        data = pdf_bytes(rendered.document, context.options, rendered.material.output)
    _refuse_missing_glyphs(rendered.material.output, warnings)
    bleed = mm_to_pt(context.options.bleed_mm)
    if rendered.leaflet is not None and rendered.leaflet.trifold:
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


def impose_task(imposition: Imposition, request: BuildRequest,
                 programme: Programme) -> tuple[Output, list[Finding]]:
    """Impose a material's pages on the sheets of a copy shop, write them, then check them."""
    from printkit.prepress import impose
    from printkit.prepress.finish import finish_pdf

    _pin_font_dates(creation_time(programme.campaign.printing.build_date))
    source = (request.out / imposition.source).read_bytes()
    settings = programme.campaign.printing
    bleed = mm_to_pt(settings.bleed_mm)
    if imposition.sheet == "booklet-a4":
        data = impose.impose_booklet_a4(source, mm_to_pt(settings.safe_mm))
        description = "A4 landscape, 2 A5 per side, saddle-stitch order, duplex on the short edge, untrimmed"
    else:
        data, description = _step_and_repeat(imposition, source, bleed, request, programme)
    data = finish_pdf(data)
    write_atomic(request.out / imposition.output, data)
    output = Output(imposition.output, description, page_count(data), len(data))
    return output, check_task(request.out, imposition.output, programme)


def _step_and_repeat(imposition: Imposition, source: bytes, bleed: float, request: BuildRequest,
                     programme: Programme) -> tuple[bytes, str]:
    """Copies of one card, or of the booklet's spreads, with bleed, gutters, crop marks and how to print them."""
    from printkit.prepress import impose
    from printkit.render.pdf import slug_pdf

    kind, size = imposition.sheet.split("-")
    if kind == "booklet":
        source = impose.spreads(source, bleed)
    layout = impose.plan_sheet(impose.trim_size(source), bleed, {"a4": impose.A4, "sra3": impose.SRA3}[size])
    what = _piece_name(imposition, programme)
    finishing = "rogner aux traits, plier, agrafer 2 points au pli" if kind == "booklet" else "couper aux traits"
    quantity = programme.campaign.quantity(imposition.source.removesuffix(".pdf"))
    lines = impose.sheet_instructions(layout, what, programme.campaign.printing.paper_for(kind), finishing, quantity)
    width = pt_to_mm(layout.sheet[0]) - 2 * pt_to_mm(impose.MARGIN)
    slug = slug_pdf(lines, (width, pt_to_mm(impose.SLUG_HEIGHT)), request.root / "layouts")
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
