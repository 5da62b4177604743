"""Making one file, in a worker process: render HTML, lay out and write the PDF, post-process,
impose, check. The scheduler (build.py) decides which files to make and when."""

import datetime
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from printkit.errors import Finding, PrintkitError
from printkit.files import Staged, discard, stage, stage_all, write_atomic
from printkit.messages import interface_messages, messages_for
from printkit.pipeline.cache import shown_data_hash
from printkit.pipeline.plan import BuildRequest
from printkit.prepress.finish import finish_pdf
from printkit.products import FileSubject, Imposition, Material
from printkit.programme.model import Programme
from printkit.units import mm_to_pt, pt_to_mm

if TYPE_CHECKING:
    from printkit.prepress.impose import Layout

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
    sha256: str = ""  # of the bytes written: a file whose bytes differ was not written by the build that recorded it
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
               layout: str) -> tuple[Output, list[Finding], list[Staged]]:
    """Lay out one material and stage its files, reusing the worker's set-up while the request and
    programme stay the same.

    The build puts the staged files under their final names (build.py: _placed). The booklet's
    page map is recorded with its layout key, for the preview's next edit (window_task).
    """
    context = _context(request, programme)
    staged = []
    try:
        rendered = _render(material, context, layout)
        data, staged = _write(rendered, context, request)
        if material.product.previewed_ahead:
            from printkit.render import pagewindow

            pagewindow.record(request.out, material.output, rendered.html, rendered.document, layout)
    except PrintkitError as error:
        discard(staged)
        return Output(material.output, error=error.format_message()), [], []
    found = [Finding(material.output, 0, "warning", f"WeasyPrint: {w}") for w in dict.fromkeys(rendered.warnings)]
    output = Output(material.output, rendered.description(interface_messages()), page_count(data), len(data),
                    sha256(data), notes=rendered.notes)
    return output, found, staged


def window_task(material: Material, request: BuildRequest, programme: Programme, layout: str) -> Provisional | None:
    """The pages an edit of measures touches, laid out alone, for the preview to show before the full build."""
    from printkit.render import pagewindow

    context = _context(request, programme)
    html, following = material.product.full_html(material, context), material.product.next_html(material, context)
    window = pagewindow.lay_out_window(request.out, material.output, html, following, layout, context.base,
                                       context.fetcher, context.options,
                                       lambda laid: material.product.window_html(material, context, laid))
    if window is None:
        return None
    pdf = _write_ahead(WINDOWS, material, window.document, context, request)
    return Provisional(material.output, pdf, window.first, window.settled)


def draft_task(material: Material, request: BuildRequest, programme: Programme) -> Provisional:
    """The whole booklet laid out once, with the fitting's last choice, while the full build tries every choice."""
    context = _context(request, programme)
    pdf = _write_ahead(DRAFTS, material, material.product.draft(material, context).document, context, request)
    return Provisional(material.output, pdf, 0, True, whole=True)


def _write_ahead(folder: str, material: Material, document, context, request: BuildRequest) -> str:
    """Write pages laid out ahead of the full build as a PDF for the preview; its path under the output."""
    from printkit.render.pdf import pdf_bytes

    pdf = Path(folder) / material.output
    write_atomic(request.out / pdf, pdf_bytes(document, context.options, material.output), durable=False)
    return str(pdf)


def _context(request: BuildRequest, programme: Programme):
    # the layout folders too: a campaign's layouts/ made between two builds of the same request
    identity = (request, tuple(request.layout_folders), programme.content_hash())
    if _worker.get("identity") != identity:
        _worker.update(identity=identity, context=render_context(request, programme))
    return _worker["context"]


def check_task(out: Path, name: str, programme: Programme, path: Path | None = None) -> list[Finding]:
    """Every document check on a file the build made, at ``path`` while it is staged, reading again
    only the pages no earlier build read."""
    from printkit.checks import check_pdf

    try:
        return check_pdf(path or out / name, name, programme, out / READINGS)
    except PrintkitError as error:  # a full disk under the pages' readings kept: the file itself is made
        return [Finding(name, 0, "error", f"not checked: {error.format_message()}")]


def warm_up() -> None:
    """Import what making a file needs and lay out one line, loading fontconfig and Pango, so that
    a long-lived worker's first layout costs what its others do."""
    from weasyprint import HTML

    from printkit.render import pagewindow  # noqa: F401

    HTML(string="<p>printkit</p>").render()


def render_context(request: BuildRequest, programme: Programme):
    """What every render of a build shares: layouts, fetcher, print options, creation date."""
    from printkit.products.fitting import Context
    from printkit.builtin import BUILTIN_FONTS
    from printkit.render.layouts import Layouts
    from printkit.render.pdf import PrintOptions, ProjectFetcher
    from printkit.render.qr import QrCodes

    settings = programme.campaign.printing
    layouts = Layouts(request.root / "programme", request.designer_layouts, QrCodes(request.out / ".printkit" / "qr"))
    roots = [*layouts.folders, BUILTIN_FONTS, request.root / "programme"]
    if request.pdfx:
        _require_profile(Path(settings.icc_profile))
        roots.append(Path(settings.icc_profile))
    options = PrintOptions(settings.bleed_mm, request.pdfx, settings.icc_profile,
                           creation_time(settings.build_date))
    return Context(programme, layouts, ProjectFetcher(roots), options, request.root, request.out)


def _require_profile(profile: Path) -> None:
    if not profile.is_file():
        raise PrintkitError(f"{profile}: CMYK ICC profile not found; set printing.icc_profile in campaign.yaml "
                            "to the profile your printer sends, or run scripts/setup, which installs a free one")


def creation_time(build_date: datetime.date) -> datetime.datetime:
    """The date written into every PDF: SOURCE_DATE_EPOCH when set, else campaign.yaml's build_date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
    return datetime.datetime.combine(build_date, datetime.time(), datetime.timezone.utc)


def _render(material: Material, context, layout: str):
    from printkit.checks import layout_findings
    from printkit.products.fitting import render_material
    from printkit.render.pdf import refuse_missing_glyphs

    rendered = render_material(material, context, layout)
    refuse_missing_glyphs(material.output, rendered.warnings)
    findings = layout_findings(rendered.document, material.output, context.programme.campaign.printing.safe_mm)
    if findings:
        raise PrintkitError("; ".join(f"page {f.page}: {f.what}" for f in findings))
    return rendered


def _write(rendered, context, request: BuildRequest) -> tuple[bytes, list[Staged]]:
    """The material's PDF, and it and the HTML it was rendered from staged beside their final names."""
    from printkit.prepress.impose import add_crop_marks, impose_trifold
    from printkit.render.pdf import checked_pdf_bytes

    data = checked_pdf_bytes(rendered.document, context.options, rendered.material.output)
    bleed = mm_to_pt(context.options.bleed_mm)
    if rendered.format.panels:
        data = impose_trifold(data, bleed)
    if request.marks:
        data = add_crop_marks(data, bleed)
    material = rendered.material
    data = finish_pdf(data, FileSubject(material.kind, rendered.format.name, material.theme,
                                        programme=shown_data_hash(material, context.programme)))
    html = request.out / "html" / Path(material.output).with_suffix(".html")
    return data, stage_all({request.out / material.output: data, html: rendered.html.encode(),
                            **_accessible(rendered, context, request)})


def _accessible(rendered, context, request: BuildRequest) -> dict[Path, bytes]:
    """The tagged screen copy some kinds have (the circulaire's, which the State's site publishes), from
    the same HTML as the print file, so that the two always say the same."""
    from printkit.products import product
    from printkit.render.pdf import accessible_pdf_bytes

    kind = rendered.material.product.accessible
    if kind is None:
        return {}
    material = product(kind).materials([], whole=True)[0]
    data = accessible_pdf_bytes(rendered.html, context.base, context.fetcher, context.options, material.output)
    fmt = product(kind).page_format(context.programme.campaign.printing.paper)
    data = finish_pdf(data, FileSubject(kind, fmt.name, programme=shown_data_hash(material, context.programme)))
    return {request.out / material.output: data}


def sha256(data: bytes) -> str:
    """The digest the manifest records for a file's bytes."""
    import hashlib

    return hashlib.sha256(data).hexdigest()


def page_count(data: bytes) -> int:
    """The number of pages of a PDF."""
    import io

    import pikepdf

    return len(pikepdf.open(io.BytesIO(data)).pages)


# imposition


def impose_task(imposition: Imposition, request: BuildRequest,
                programme: Programme) -> tuple[Output, list[Finding], list[Staged]]:
    """Impose a material's pages on the sheets of a copy shop, stage them, then check them."""
    from printkit.prepress.finish import finish_pdf

    source = (request.out / imposition.source).read_bytes()
    data, description = IMPOSE[imposition.sheet.method](imposition, source, request, programme)
    data = finish_pdf(data, *_described(source, imposition))
    try:
        staged = stage(request.out / imposition.output, data)
    except PrintkitError as error:  # a full disk: this file fails, the others go on
        return Output(imposition.output, error=error.format_message()), [], []
    output = Output(imposition.output, description, page_count(data), len(data), sha256(data))
    return output, check_task(request.out, imposition.output, programme, staged[0]), [staged]


def _described(source: bytes, imposition: Imposition) -> tuple[FileSubject, str]:
    """What an imposed file is (what its pages are, on a sheet), and its build stamp: its source's,
    naming the imposed file instead."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(source)) as pdf:
        stamp = str(pdf.docinfo.get("/Subject", ""))
        subject = replace(FileSubject.read(pdf.docinfo), sheet=imposition.sheet.name)
    return subject, stamp.replace(f" · {imposition.source} · ", f" · {imposition.output} · ", 1)


def _saddle_2_up(imposition: Imposition, source: bytes, request: BuildRequest, programme: Programme) -> tuple[bytes, str]:
    """A booklet's pages two to a side of the sheet, in saddle-stitch order, untrimmed."""
    from printkit.prepress import impose

    sheet, settings, messages = imposition.sheet.size, programme.campaign.printing, messages_for(programme.campaign)
    page = imposition.material.product.page_format(settings.paper).size.name
    title = messages("booklet.2up_title", page=page, sheet=sheet.name)
    data = impose.impose_booklet_2up(source, mm_to_pt(settings.safe_mm), sheet.pt, title)
    return data, f"{sheet.name} landscape, 2 {page} per side, saddle-stitch order, duplex on the short edge, untrimmed"


def _spreads(imposition: Imposition, source: bytes, request: BuildRequest, programme: Programme) -> tuple[bytes, str]:
    """A booklet's spreads, in saddle-stitch order, on press sheets: two a side where they fit,
    gathered after trimming, else one."""
    from printkit.prepress import impose

    messages, bleed = messages_for(programme.campaign), mm_to_pt(programme.campaign.printing.bleed_mm)
    kind, spreads = imposition.material.product, impose.spreads(source, bleed)
    layout = impose.plan_spreads(impose.trim_size(spreads), bleed, imposition.sheet.size.pt)
    finishing, booklet_sheets = messages(kind.sheet_finishing), page_count(spreads) // 2
    if len(layout.slots) > 1:
        finishing = messages("finishing.booklet_pair")
        if booklet_sheets % len(layout.slots):  # an odd number of the booklet's sheets
            finishing += f" · {messages('slug.blank_half')}"
    draw = partial(impose.impose_spreads, spreads, layout)
    press_sheets = len(impose.spread_sides(booklet_sheets, len(layout.slots))) // 2  # a front and a back each
    return _on_press_sheet(imposition, layout, finishing, programme, draw, copies=1, sheets=press_sheets)


def _step_and_repeat(imposition: Imposition, source: bytes, request: BuildRequest,
                     programme: Programme) -> tuple[bytes, str]:
    """Copies of one piece, with bleed, gutters, crop marks and how to print them."""
    from printkit.prepress import impose

    kind, messages = imposition.material.product, messages_for(programme.campaign)
    bleed = mm_to_pt(programme.campaign.printing.bleed_mm)
    layout = impose.plan_sheet(impose.trim_size(source), bleed, imposition.sheet.size.pt)
    draw = partial(impose.step_and_repeat, source, layout)
    return _on_press_sheet(imposition, layout, messages(kind.sheet_finishing), programme, draw)


def _on_press_sheet(imposition: Imposition, layout: "Layout", finishing: str, programme: Programme,
                    draw: Callable[..., bytes], copies: int = 0, sheets: int = 1) -> tuple[bytes, str]:
    """The sheets ``draw`` makes of a layout, given their slug and title: what the sheet holds, how
    to print it and ``finishing`` (``copies``: of one piece a sheet; ``sheets``: how many
    different ones the file holds; impose.sheet_instructions)."""
    from printkit.prepress import impose
    from printkit.render.pdf import slug_pdf

    settings, kind = programme.campaign.printing, imposition.material.product
    messages, paper = messages_for(programme.campaign), imposition.sheet.size
    size = paper.landscape if layout.sheet[0] > layout.sheet[1] else paper
    what = kind.piece_name(programme, imposition.material.theme, messages)
    quantity = programme.campaign.quantity(kind.quantity_key(imposition.source))
    stock = kind.paper_for(settings, messages)
    if imposition.sheet.office:  # many office printers feed nothing as stiff as a card's
        stock = messages("slug.paper_office", paper=stock)
    title, lines = impose.sheet_instructions(layout, what, size.label, stock, finishing, quantity, messages, copies,
                                             sheets)
    box = layout.slugs[0]  # a layout's slug boxes are all one size
    slug = slug_pdf(lines, (pt_to_mm(box[2]), pt_to_mm(box[3])), creation_time(settings.build_date),
                    programme.campaign.locale)
    data = draw(slug, title=title)
    description = f"{paper.name}, {len(layout.slots)} per side, crop marks, duplex on the {layout.flip} edge, to trim"
    return data, description


def _tiles(imposition: Imposition, source: bytes, request: BuildRequest, programme: Programme) -> tuple[bytes, str]:
    """A poster larger than the copy shop's sheets, a tile to a sheet, overlapping, with cut marks and a slug
    line saying which tile each sheet is and how to assemble them."""
    from printkit.prepress import impose
    from printkit.render.pdf import slug_pdf

    settings, messages = programme.campaign.printing, messages_for(programme.campaign)
    sheet, poster = imposition.sheet.size, imposition.material.product.page_format(settings.paper).size
    tiling = impose.plan_tiles(impose.trim_size(source), mm_to_pt(settings.bleed_mm), sheet.pt)
    title = messages("slug.tiles", size=poster.label, count=tiling.columns * tiling.rows, sheet=sheet.name,
                     columns=tiling.columns, rows=tiling.rows, overlap=f"{pt_to_mm(impose.OVERLAP):g}")
    lines = [f"{messages('slug.tile', name=name, column=name[0], row=name[1:])} · {title}"
             for name in impose.tile_names(tiling)]
    width = pt_to_mm(tiling.sheet[0]) - 2 * pt_to_mm(impose.MARGIN)
    slug = slug_pdf(lines, (width, pt_to_mm(impose.SLUG_HEIGHT)), creation_time(settings.build_date),
                    programme.campaign.locale)
    data = impose.tile(source, tiling, slug, title=title)
    return data, f"{sheet.name}, {tiling.columns} × {tiling.rows} tiles, {pt_to_mm(impose.OVERLAP):g} mm overlap, cut marks"


# How each kind of sheet is made (products declare which their sheets take: products.Sheet.method).
IMPOSE = {"saddle-2-up": _saddle_2_up, "spreads": _spreads, "step-and-repeat": _step_and_repeat, "tiles": _tiles}
