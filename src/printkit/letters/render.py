"""Render a letter's HTML, lay it out and write its PDF.

A mail merge lays the letter out once, without address and greeting, then lays out what
differs (address and greeting, one small page per recipient) in one more document, and
mailmerge.py draws each recipient's stamp over the shared pages. 1,000 letters cost one
letter plus 1,000 stamps, not 1,000 letters.
"""

import datetime
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from weasyprint import Document

from printkit.checks import address_findings, check_pdf, layout_findings
from printkit.errors import Finding, InvalidInput, PrintkitError, Problem
from printkit.files import write_atomic
from printkit.letters.recipients import Recipient
from printkit.letters.source import Letter
from printkit.letters.splitfiles import remove_stale, split_name
from printkit.pipeline.cache import shown_data_hash
from printkit.pipeline.make import page_count, render_context
from printkit.pipeline.plan import BuildRequest
from printkit.pipeline.workers import worker_pool
from printkit.prepress.finish import finish_pdf
from printkit.products import FileSubject, Material, product
from printkit.products.paper import Window
from printkit.products.fitting import Context
from printkit.programme.model import Programme
from printkit.render import weasy
from printkit.render.html import page_tokens, template_context, wording
from printkit.render.pdf import (
    PrintOptions,
    ProjectFetcher,
    checked_pdf_bytes,
    counting_warnings,
    lay_out,
    refuse_missing_glyphs,
)
from printkit.units import MM_PER_PX

STAMPS_PER_WORKER = 200  # below this, starting a second process costs more than it saves


@dataclass
class LetterResult:
    """What `printkit letter` wrote and what the checks found."""

    files: dict[str, int] = field(default_factory=dict)  # name under the output folder: pages
    findings: list[Finding] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # letters of an earlier split, for recipients no longer listed


def make_letter(letter: Letter, request: BuildRequest, programme: Programme,
                recipients: list[Recipient] | None = None, split: bool = False) -> LetterResult:
    """Lay out and write a letter, or its mail merge; then check the main file."""
    context = render_context(request, programme)
    context.fetcher = ProjectFetcher([*context.fetcher.roots, letter.path.parent])
    material = Material("letter", None, f"letters/{letter.stem}.pdf")
    if not material.product.trimmed:  # a media box of the sheet itself, which « fit to page » prints at 100 %
        context.options = replace(context.options, bleed_mm=0)
    html, document = _laid_out(letter, material, context, merge=recipients is not None)
    data = checked_pdf_bytes(document, context.options, material.output)
    files = {material.output: data}
    if recipients is not None:
        files = _merged(letter, material, context, document, data, recipients, split)
    spec = material.product.page_format(programme.campaign.printing.paper)
    subject = FileSubject(material.kind, spec.name, programme=shown_data_hash(material, programme))
    files = {name: finish_pdf(content, subject) for name, content in files.items()}  # like every PDF printkit writes
    write_atomic(request.out / "html" / "letters" / f"{letter.stem}.html", html.encode())
    removed = _written(request.out, files, material.output if split and recipients is not None else None)
    result = LetterResult({name: page_count(content) for name, content in files.items()}, removed=removed)
    result.findings = check_pdf(request.out / material.output, material.output, programme)
    return result


def _written(out: Path, files: dict[str, bytes], split_from: str | None) -> list[str]:
    """Write every file; after a split of ``split_from``, remove the letters of recipients no longer listed."""
    for name, content in files.items():
        write_atomic(out / name, content)
    if split_from is None:
        return []
    folder = Path(split_from).with_suffix("")
    return remove_stale(out / folder, {Path(name).name: content for name, content in files.items()
                                       if Path(name).parent == folder})


def _laid_out(letter: Letter, material: Material, context: Context, merge: bool) -> tuple[str, Document]:
    """The letter, its annex after the signature; or on a page of its own when it would run from one
    page to the next there and a page of its own holds it whole. Its closing follows it: pushed to the
    last page's foot, it left a short annex's page a hole in its middle."""
    names = letter_names(letter, material, context.programme, context.options.created, merge)
    laid = _annex_laid(context, material, names)
    if _annex_pages(laid[1]) > 1 and _annex_fits_a_page(laid[1]):
        alone = _annex_laid(context, material, names | {"annex_page": True})
        if _annex_pages(alone[1]) == 1:
            return alone
    return laid


def letter_names(letter: Letter, material: Material, programme: Programme, created: datetime.datetime,
                 merge: bool = False) -> dict:
    """What the letter layout reads: the names every layout does, and the letter's own: its text, the
    measures it cites in place of all, whether addresses are stamped on later, the side of the
    envelope's window; its annex as first laid out (after the signature: _laid_out may give it a page)."""
    names = template_context(material, programme, created)
    return names | {"letter": letter, "measures": [programme.measure(n) for n in letter.cited], "merge": merge,
                    "annex_page": False, "window_side": _window_side(material, programme)}


def _window_side(material: Material, programme: Programme) -> str:
    """The side of the page the envelope's window shows the address on, ``left`` or ``right``: the
    letterhead stands on the other (a #10 envelope's window is on the left, under a left letterhead)."""
    spec = material.product.page_format(programme.campaign.printing.paper)
    return "left" if spec.window.left + spec.window.width / 2 < spec.size.width / 2 else "right"


def _annex_laid(context: Context, material: Material, names: dict) -> tuple[str, Document]:
    html = context.layouts.render(material.template, **names)
    return html, _checked_layout(html, material.output, Setting.of(context))


def _annex_fits_a_page(document: Document) -> bool:
    """Whether the annex's parts, added up, are no taller than a page holds: a longer one (Clamart's
    reply, eight measures) is not laid out again to learn that it runs on anyway."""
    parts = [box.margin_height() for page in document.pages for box in weasy.walk_boxes(weasy.page_box(page))
             if weasy.element_id(box) == "annex"]
    return sum(parts) <= weasy.page_box(document.pages[0]).height


def _annex_pages(document: Document) -> int:
    """How many pages the annex spans, from its start to its foot (ids ``annex``, ``annex-end``; a
    page lists the id of each element it holds a part of)."""
    first = next(i for i, page in enumerate(document.pages) if "annex" in page.anchors)
    last = max(i for i, page in enumerate(document.pages) if "annex-end" in page.anchors)
    return last - first + 1


@dataclass(frozen=True)
class Setting:
    """What laying out needs, in a form a worker process can receive."""

    base: Path
    roots: tuple[Path, ...]
    options: PrintOptions
    safe_mm: float
    window: Window  # where the envelope shows the address: the letter format's

    @classmethod
    def of(cls, context: Context) -> "Setting":
        """The setting of a build's render context."""
        printing = context.programme.campaign.printing
        window = product("letter").page_format(printing.paper).window
        return cls(context.base, tuple(context.fetcher.roots), context.options, printing.safe_mm, window)


def _checked_layout(html: str, label: str, setting: Setting, safe_zone: bool = True) -> Document:
    """Lay out, refusing a missing glyph or text outside the safe zone, as every material does."""
    with counting_warnings() as warnings:
        document = lay_out(html, setting.base, ProjectFetcher(list(setting.roots)), setting.options, label)
    refuse_missing_glyphs(label, warnings)
    if safe_zone:
        _require_safe_zone(document, label, setting)
    return document


def _require_safe_zone(document: Document, label: str, setting: Setting) -> None:
    findings = layout_findings(document, label, setting.safe_mm) + address_findings(document, label, setting.window)
    if findings:
        raise PrintkitError(f"{label}: " + "; ".join(f"page {f.page}: {f.what}" for f in findings))


# mail merge


def _merged(letter: Letter, material: Material, context: Context, document: Document, data: bytes,
            recipients: list[Recipient], split: bool) -> dict[str, bytes]:
    from printkit.letters.mailmerge import merge_letters, split_letters

    stamps = _stamps(letter, material, context, document, recipients)
    combined = merge_letters(data, stamps)
    files = {material.output: combined}
    if split:
        folder = Path(material.output).with_suffix("")
        names = [f"{folder}/{split_name(r.row, r.address[0])}" for r in recipients]
        files |= dict(zip(names, split_letters(combined, len(recipients))))
    return files


def _stamps(letter: Letter, material: Material, context: Context, document: Document,
            recipients: list[Recipient]) -> list[bytes]:
    """One page per recipient holding only the address and greeting, placed as on the letter's first page.

    Laid out in one WeasyPrint document per core, since 1,000 small pages take a core
    about ten seconds: what a merge's time is made of.
    """
    left, top = _greeting_position(document)
    column = _greeting_box(document.pages[0]).width if _greeting_box(document.pages[0]) else 0
    size = -(-len(recipients) // _workers(len(recipients)))
    chunks = [recipients[i:i + size] for i in range(0, len(recipients), size)]
    tokens = page_tokens(material, context.programme)
    htmls = [context.layouts.render("letter/stamps.html", **wording(context.programme.campaign), page_tokens=tokens,
                                    greeting_left=f"{left:.3f}", greeting_top=f"{top:.3f}",
                                    stamps=[{"address": r.address, "greeting": r.greeting(letter.greeting)} for r in chunk])
             for chunk in chunks]
    jobs = [(html, Setting.of(context), f"{material.output} (addresses)", column) for html in htmls]
    if len(jobs) == 1:
        results = [_stamp_pages(*jobs[0])]
    else:
        with worker_pool(len(jobs)) as pool:
            results = list(pool.map(_stamp_pages, *zip(*jobs)))
    wide = [chunk[i] for chunk, (_, indexes) in zip(chunks, results) for i in indexes]
    if wide:
        raise InvalidInput([Problem(r.where, f"the greeting « {r.greeting(letter.greeting)} » is wider than the "
                                             "letter's text column") for r in wide])
    return [data for data, _ in results]


def _workers(count: int) -> int:
    return max(1, min(os.cpu_count() or 1, count // STAMPS_PER_WORKER))


def _stamp_pages(html: str, setting: Setting, label: str, column: float) -> tuple[bytes, list[int]]:
    """Lay out and write one document of stamps; or the indexes of those whose greeting is wider than ``column``."""
    document = _checked_layout(html, label, setting, safe_zone=False)
    wide = [index for index, page in enumerate(document.pages)
            if (box := _greeting_box(page)) is not None and _line_width(box) > column]
    if wide:
        return b"", wide
    _require_safe_zone(document, label, setting)
    return checked_pdf_bytes(document, setting.options, label), wide


def _greeting_box(page):
    return _box_with_class(page, "greeting")


def _box_with_class(page, name: str):
    """The first box on the page, in document order, made for an element of that class, or None."""
    return next((box for box in weasy.walk_boxes(weasy.page_box(page)) if name in weasy.classes(box)), None)


def _greeting_position(document: Document) -> tuple[float, float]:
    """Where the greeting's border box sits on the first page, in mm from the top left of the letter's head."""
    page = document.pages[0]
    box, head = _greeting_box(page), _box_with_class(page, "letter-head")
    if box is None:
        return 0.0, 0.0
    return ((box.border_box_x() - head.border_box_x()) * MM_PER_PX, (box.border_box_y() - head.border_box_y()) * MM_PER_PX)


def _line_width(box) -> float:
    """The width of the text set on a block's lines (a greeting is one unbreakable line)."""
    return max((sum(child.margin_width() for child in line.children) for line in box.children), default=0)

