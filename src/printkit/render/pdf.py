"""Lay out HTML and write the PDF with WeasyPrint, fetching only the project's own files."""

import datetime
import hashlib
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from weasyprint import CSS, HTML, Document
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from printkit.errors import PrintkitError
from printkit.render import weasy

PDFX_VARIANTS = {"x-4": "pdf/x-4", "x-1a": "pdf/x-1a"}


@dataclass(frozen=True)
class PrintOptions:
    """How WeasyPrint writes the PDFs: bleed, PDF/X variant and its profile, creation date."""

    bleed_mm: float
    pdfx: str | None
    icc_profile: str
    created: datetime.datetime

    def variant_options(self) -> dict:
        """The PDF/X options WeasyPrint needs both when laying out and when writing."""
        variant = PDFX_VARIANTS.get(self.pdfx)
        return {"pdf_variant": variant, "output_intent": "device-cmyk"} if variant else {}

    def page_css(self) -> str:
        """The page rules printkit adds to every layout: bleed and the CMYK profile."""
        css = f"@page {{ bleed: {self.bleed_mm:g}mm; }}\n"
        css += f":root {{ --bleed: {self.bleed_mm:g}mm; }}\n"
        if self.pdfx:
            css += ("@color-profile device-cmyk { components: cyan, magenta, yellow, black; "
                    f"src: url({Path(self.icc_profile).as_uri()}) }}\n")
        return css


class ProjectFetcher(URLFetcher):
    """Fetches data: URIs and files under the allowed folders; anything else stops the build."""

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols=("file", "data"), fail_on_errors=True)
        self.roots = [root.resolve() for root in roots]

    def fetch(self, url, headers=None):
        """Fetch a URL after checking that it stays inside the project."""
        if url.startswith("file:"):
            path = Path(url.split("?")[0].removeprefix("file://")).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise ValueError(f"{path} is outside the project's layouts, fonts and programme folders")
            if not path.is_file():
                raise FileNotFoundError(f"{path} does not exist")
        elif not url.startswith("data:"):
            raise ValueError(f"'{url[:80]}' is not allowed: builds fetch nothing from the network")
        return super().fetch(url, headers)


class WarningCounter(logging.Handler):
    """Collects WeasyPrint's warnings (missing glyphs, ignored CSS) during one render."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def counting_warnings():
    """Count WeasyPrint's warnings while the block runs."""
    counter = WarningCounter()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(counter)
    try:
        yield counter.messages
    finally:
        logger.removeHandler(counter)


def lay_out(html: str, base: Path, fetcher: ProjectFetcher, options: PrintOptions, label: str) -> Document:
    """Lay out a material's HTML into pages."""
    try:
        return render_parsed(HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=fetcher), fetcher, options)
    except FatalURLFetchingError as error:
        raise PrintkitError(f"{label}: cannot load a resource the layout needs: {error.__cause__ or error}") from None


def render_parsed(document: HTML, fetcher: ProjectFetcher, options: PrintOptions, css: str = "") -> Document:
    """Lay out a parsed document with printkit's page rules, and ``css`` after them."""
    profiles = {}  # shared, so that the @color-profile of printkit's own stylesheet reaches the PDF
    stylesheet = CSS(string=options.page_css() + css, url_fetcher=fetcher, color_profiles=profiles)
    return document.render(stylesheets=[stylesheet], color_profiles=profiles, **options.variant_options())


def pdf_bytes(document: Document, options: PrintOptions, identity: str) -> bytes:
    """The PDF of a laid-out document, identical byte for byte for identical inputs."""
    identifier = hashlib.sha256(identity.encode()).hexdigest()[:32].encode()
    return weasy.write_pdf(document, options.created, pdf_identifier=identifier, **options.variant_options())


def checked_pdf_bytes(document: Document, options: PrintOptions, label: str) -> bytes:
    """``pdf_bytes``, refused if WeasyPrint drew a missing glyph: it warns of those while drawing, not laying out."""
    with counting_warnings() as warnings:
        data = pdf_bytes(document, options, label)
    refuse_missing_glyphs(label, warnings)
    return data


def refuse_missing_glyphs(label: str, warnings: list[str]) -> None:
    """Stop on WeasyPrint's warning of a character no font draws: it prints as a box ("tofu"),
    so it is never a mere warning."""
    glyphs = [w for w in warnings if "glyph" in w.lower() or "no font" in w.lower()]
    if glyphs:
        raise PrintkitError(f"{label}: WeasyPrint warned: {'; '.join(dict.fromkeys(glyphs))}")


def slug_pdf(lines: list[str], size_mm: tuple[float, float], layouts: Path, created: datetime.datetime) -> bytes:
    """One page per line, the given size: the printing instructions in a copy-shop sheet's slug,
    set in the layouts' type and ink (layouts/sheet/slug.css), French typography applied; its fonts
    dated ``created``, as the sheet's."""
    from printkit.render.typography import french

    links = "".join(f'<link rel="stylesheet" href="{name}">'
                    for name in ("common/fonts.css", "common/common.css", "sheet/slug.css"))
    body = "".join(f"<p>{french(line)}</p>" for line in lines)
    html = f'<!doctype html><html lang="fr"><head><meta charset="utf-8">{links}</head><body>{body}</body></html>'
    page = CSS(string=f"@page {{ size: {size_mm[0]:.2f}mm {size_mm[1]:.2f}mm; margin: 0 }}")
    fetcher = ProjectFetcher([layouts, layouts.parent / "fonts"])
    return weasy.write_pdf(HTML(string=html, base_url=layouts.as_uri() + "/", url_fetcher=fetcher), created,
                           stylesheets=[page])
