"""Lay out HTML and write the PDF with WeasyPrint, fetching only the project's own files."""

import datetime
import hashlib
import logging
import mimetypes
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML, Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from printkit.builtin import BUILTIN_FONTS, BUILTIN_LAYOUTS
from printkit.errors import PrintkitError
from printkit.render import weasy
from printkit.units import MM_PER_PX

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
    """Fetches data: URIs and files under the allowed folders; anything else is refused.

    A file URL is decoded (``%2F`` is a slash), resolved (links followed), checked, and
    exactly the file checked is read: the URL is never handed back to urllib, which would
    decode it again. Every failure is also recorded, as WeasyPrint only logs some of them
    (an image inside an SVG picture): see ``fetching``.
    """

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols=("file", "data"), fail_on_errors=True)
        self.roots = [root.resolve() for root in roots]
        self.failures: list[str] = []

    def fetch(self, url, headers=None):
        """Fetch a data: URI, or a file URL that stays inside the project."""
        try:
            if urlsplit(url).scheme.lower() == "data":
                return super().fetch(url, headers)
            return _read(self.project_file(url))
        except Exception as error:
            self.failures.append(str(error))
            raise

    def project_file(self, url: str) -> Path:
        """The file a file URL names, decoded and resolved, once it is known to lie inside an allowed folder."""
        path = _decoded(url).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise ValueError(f"{path} is outside the project's layouts, fonts and programme folders")
        if not path.is_file():
            raise FileNotFoundError(f"{path} does not exist")
        return path


def _decoded(url: str) -> Path:
    """The path of a file URL on this machine, percent-escapes decoded, query and fragment dropped."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file":
        raise ValueError(f"'{url[:80]}' is not allowed: builds fetch nothing from the network")
    if parts.netloc not in ("", "localhost"):
        raise ValueError(f"'{url[:80]}' names another machine: builds fetch nothing from the network")
    path = unquote(parts.path, errors="surrogateescape")  # the bytes of a non-UTF-8 name, as os.fsencode gives them
    if "\0" in path:
        raise ValueError(f"'{url[:80]}' is not a file name")
    return Path(path)


def _read(path: Path) -> URLFetcherResponse:
    """The file's bytes, typed as urllib types a file (text/plain when it cannot tell), at its checked path's URL."""
    mime_type = mimetypes.guess_type(path.name)[0] or "text/plain"
    return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime_type})


@contextmanager
def fetching(fetcher: ProjectFetcher, label: str):
    """Turn what the fetcher could not fetch while the block ran, even what WeasyPrint only
    logged, into one error naming the file being made, ``label``."""
    fetcher.failures.clear()
    try:
        yield
    except FatalURLFetchingError as error:  # the fetcher recorded why, unless another fetcher failed
        fetcher.failures.append(str(error.__cause__ or error))
    if fetcher.failures:
        reasons = "; ".join(dict.fromkeys(fetcher.failures))
        raise PrintkitError(f"{label}: cannot load a resource the layout needs: {reasons}")


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


def lay_out(html: str, base: Path, fetcher: ProjectFetcher, options: PrintOptions, label: str,
            fonts: FontConfiguration | None = None) -> Document:
    """Lay out a material's HTML into pages; ``fonts``, when given, is shared with other layouts
    of the same fonts, which then skip loading them again."""
    with fetching(fetcher, label):
        return render_parsed(HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=fetcher), fetcher, options,
                             fonts=fonts)


def render_parsed(document: HTML, fetcher: ProjectFetcher, options: PrintOptions, css: str = "",
                  fonts: FontConfiguration | None = None) -> Document:
    """Lay out a parsed document with printkit's page rules, and ``css`` after them."""
    profiles = {}  # shared, so that the @color-profile of printkit's own stylesheet reaches the PDF
    fonts = fonts or FontConfiguration()
    stylesheet = CSS(string=options.page_css() + css, url_fetcher=fetcher, color_profiles=profiles, font_config=fonts)
    return weasy.render(document, stylesheet, fonts, profiles, **options.variant_options())


def pdf_bytes(document: Document, options: PrintOptions, identity: str) -> bytes:
    """The PDF of a laid-out document, identical byte for byte for identical inputs.

    Attachments and the images inside SVG pictures are fetched only now, while writing.
    """
    identifier = hashlib.sha256(identity.encode()).hexdigest()[:32].encode()
    with fetching(document.url_fetcher, identity):
        return weasy.write_pdf(document, options.created, pdf_identifier=identifier, **options.variant_options())


ACCESSIBLE_VARIANT = "pdf/ua-1"  # tagged, for screen readers: what the State's candidates' site asks


def accessible_pdf_bytes(html: str, base: Path, fetcher: ProjectFetcher, options: PrintOptions, label: str) -> bytes:
    """The HTML laid out again as a tagged PDF/UA-1 for the screen: no bleed, no marks, no CMYK output
    intent, its language and title from the HTML's ``lang`` and ``<title>``."""
    screen = replace(options, bleed_mm=0, pdfx=None)
    with fetching(fetcher, label):
        document = HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=fetcher).render(
            stylesheets=[CSS(string=screen.page_css(), url_fetcher=fetcher)], pdf_variant=ACCESSIBLE_VARIANT)
    identifier = hashlib.sha256(label.encode()).hexdigest()[:32].encode()
    with counting_warnings() as warnings, fetching(fetcher, label):
        data = weasy.write_pdf(document, options.created, pdf_identifier=identifier, pdf_variant=ACCESSIBLE_VARIANT)
    refuse_missing_glyphs(label, warnings)
    return data


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


def slug_pdf(lines: list[str], size_mm: tuple[float, float], created: datetime.datetime, locale: str) -> bytes:
    """One page per line, the given size: the printing instructions in a copy-shop sheet's slug,
    set in the layouts' type and ink (layouts/sheet/slug.css), the locale's typography applied; its
    fonts dated ``created``, as the sheet's. A line longer than the band is set smaller to fit it,
    where it ran past the band's end, clipped, and into the guillotine's drift beside the trim."""
    page = CSS(string=f"@page {{ size: {size_mm[0]:.2f}mm {size_mm[1]:.2f}mm; margin: 0 }}")
    # a band narrower than the type (between the marks of two booklet spreads) sets it smaller, to fit
    document = _slug_html(lines, locale, f"min(var(--size-small), {0.8 * size_mm[1]:.2f}mm)").render(stylesheets=[page])
    widest = max(weasy.line_boxes(document), key=weasy.line_length)
    if weasy.line_length(widest) > size_mm[0] / MM_PER_PX:
        fitted = widest.style["font_size"] * size_mm[0] / MM_PER_PX / weasy.line_length(widest)
        document = _slug_html(lines, locale, f"{fitted:.3f}px").render(stylesheets=[page])
    return weasy.write_pdf(document, created)


def _slug_html(lines: list[str], locale: str, font_size: str) -> HTML:
    """A slug's lines, a paragraph each, their type at ``font_size`` (in the document's own style:
    a stylesheet given to WeasyPrint yields to the layouts')."""
    from printkit.render.typography import typeset

    links = "".join(f'<link rel="stylesheet" href="{name}">'
                    for name in ("common/fonts.css", "common/common.css", "sheet/slug.css"))
    body = "".join(f"<p>{typeset(line, locale)}</p>" for line in lines)
    html = (f'<!doctype html><html lang="{locale}"><head><meta charset="utf-8">{links}'
            f'<style>html {{ font-size: {font_size} }}</style></head><body>{body}</body></html>')
    return HTML(string=html, base_url=BUILTIN_LAYOUTS.as_uri() + "/", url_fetcher=ProjectFetcher([BUILTIN_LAYOUTS, BUILTIN_FONTS]))
