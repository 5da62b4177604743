"""The product registry: what a product kind declares, and the kinds registered."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from markupsafe import Markup

from printkit.errors import PrintkitError
from printkit.products.paper import Size, Window, closed_size, css_length, roll_fold_sizes

if TYPE_CHECKING:
    from weasyprint import Document

    from printkit.messages import Messages
    from printkit.products.fitting import Context
    from printkit.programme.model import Measure, PrintSettings, Programme
    from printkit.render.pagewindow import Window as PageWindow  # not paper.Window, an envelope's


@dataclass(frozen=True)
class Format:
    """A finished product a material can be laid out as: what the layout calls it, what the
    build summary and the job ticket say, and how the printer folds and binds it. What is
    said is in the campaign's language: the message ``format.<name>``, and the messages the
    fold and the binding name."""

    name: str  # in the PDF's metadata: which format this file is
    layout: str  # the value of ``format`` in the template (several formats may share one layout)
    pages: int  # PDF pages the format holds (0: as many as the content takes)
    fold: str = "fold.none"  # the job ticket's fold, a message: the printer's words
    binding: str = "binding.none"
    size: Size | None = None  # the finished piece (a tri-fold: its open sheet); None: the layout sets its own
    panels: tuple[float, ...] = ()  # mm: laid out a panel a page, in reading order; imposed on the sheet's two sides
    window: Window | None = None  # a letter: where its envelope's window shows the address
    fold_values: tuple[tuple[str, str], ...] = ()  # the names the fold's message gives ("sheet", "envelope"…)
    # The most QR codes one printed side carries (0: no limit): a leaflet is read side by side,
    # and more than one code a side gives the reader no single thing to do.
    codes_a_side: int = 0

    def describe(self, pages: int, messages: Messages) -> str:
        """The build summary's and the job ticket's description of a file in this format."""
        return messages(f"format.{self.name}", pages=pages)

    def trim_text(self, trim: Size, bleed: str, messages: Messages) -> str:
        """The job ticket's finished size, ``trim`` (a folded sheet's open size, then its size closed)."""
        if self.panels:
            return messages("ticket.trim_open_value", size=trim.label, bleed=bleed,
                            closed=closed_size(trim, self.panels).label)
        return messages("ticket.trim_value", size=trim.label, bleed=bleed)

    def fold_text(self, messages: Messages, trim: Size | None = None) -> str:
        """The job ticket's fold. A roll fold's sizes come from its panels across ``trim`` (by
        default its size), the same data the layout and the imposition read: never typed twice."""
        values = dict(self.fold_values)
        if self.panels:
            values |= roll_fold_sizes(trim or self.size, self.panels)
        return messages(self.fold, **values)

    def tokens(self) -> Markup:
        """The format's sizes as CSS custom properties, which the layouts' ``@page`` rules and
        lengths read: --page-width and --page-height, a tri-fold's --panel-width and
        --panel-fold-in-width, a letter's --window-left, -top, -width and -height."""
        lengths = {}
        if self.size:
            lengths |= {"page-width": self.size.width, "page-height": self.size.height}
        if self.panels:
            lengths |= {"panel-width": self.panels[0], "panel-fold-in-width": min(self.panels)}
        if self.window:
            lengths |= {f"window-{side}": getattr(self.window, side) for side in ("left", "top", "width", "height")}
        return Markup(":root { " + " ".join(f"--{name}: {css_length(mm)};" for name, mm in lengths.items()) + " }")


@dataclass(frozen=True)
class Material:
    """One PDF to build: what kind, for which theme (None for the whole programme), and where it goes."""

    kind: str
    theme: str | None
    output: str

    @property
    def product(self) -> "Product":
        """The registered product this material is one of."""
        return product(self.kind)

    @property
    def template(self) -> str:
        """The layout template that renders this material."""
        return self.product.template

    @property
    def medium(self) -> str:
        """The material's name in tracking parameters (utm_medium)."""
        return self.product.medium


@dataclass(frozen=True)
class Sheet:
    """A copy-shop sheet a product's pages are imposed on, one file per material."""

    name: str  # "a4", "sra3", "letter", "12x18": in the file's name and metadata
    size: Size  # portrait
    method: str = "step-and-repeat"  # or "saddle-2-up", or "spreads" (pipeline/make.py: impose_task)
    office: bool = False  # an office printer's size, which may not feed the piece's stock: the slug says what then


@dataclass(frozen=True)
class Imposition:
    """A file made by placing the pages of a material on a copy shop's sheets."""

    output: str
    material: Material
    sheet: Sheet

    @property
    def source(self) -> str:
        """The file whose pages it places."""
        return self.material.output


@dataclass(frozen=True)
class FileSubject:
    """What a file is, written into its metadata: the checks and the pack read it, never its name."""

    kind: str
    format: str
    theme: str | None = None
    sheet: str | None = None  # the copy-shop sheet its pages are imposed on
    programme: str | None = None  # the fingerprint of the programme data it shows (cache.shown_data_hash)

    KEYS: ClassVar[dict[str, str]] = {"kind": "/PrintkitProduct", "format": "/PrintkitFormat",
                                      "theme": "/PrintkitTheme", "sheet": "/PrintkitSheet",
                                      "programme": "/PrintkitProgramme"}

    def write(self, docinfo) -> None:
        """Record it in a PDF's Info dictionary (a pikepdf ``Pdf.docinfo``)."""
        for field_name, key in self.KEYS.items():
            if getattr(self, field_name) is not None:
                docinfo[key] = getattr(self, field_name)

    @classmethod
    def read(cls, docinfo) -> FileSubject | None:
        """What a PDF's Info dictionary says it is; None for a file printkit did not write."""
        values = {name: str(docinfo[key]) for name, key in cls.KEYS.items() if key in docinfo}
        return cls(**values) if {"kind", "format"} <= values.keys() else None


@dataclass
class Rendered:
    """A material laid out and ready to write, in the format its fitting chose."""

    material: Material
    html: str
    document: Document
    format: Format
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def description(self, messages: Messages) -> str:
        """What the build summary says of the file, in the given wording."""
        return self.format.describe(len(self.document.pages), messages)


class Product:
    """A kind of printed material. Subclasses declare the class attributes and may override
    the methods; ``register`` makes the kind known to every stage."""

    kind: ClassVar[str]  # its layout folder and template name, its key in printing.stock
    name: ClassVar[str]  # what `printkit build NAME` and campaign.yaml's quantities call it
    folder: ClassVar[str] = ""  # where its files go under output/ ("" for the top)
    medium: ClassVar[str]  # its name in the QR codes' tracking parameters (utm_medium)
    paper: ClassVar[str] = ""  # the paper suggested to the printer (a message), unless campaign.yaml names one
    per_theme: ClassVar[bool] = False  # one file per theme
    whole: ClassVar[str | None] = None  # the stem of its file for the whole programme, if it has one
    built: ClassVar[bool] = True  # made by `printkit build` (letters come from `printkit letter`)
    formats: ClassVar[dict[str, tuple[Format, ...]]] = {}  # per paper family, from the smallest to the largest
    sheets: ClassVar[dict[str, tuple[Sheet, ...]]] = {}  # per paper family
    shows_everything: ClassVar[bool] = False  # every part of the programme: any edit rebuilds it
    # its file for the whole programme quotes measures picked across every theme (the leads, the
    # priorities): any measure's edit rebuilds it, as any may become one it quotes
    whole_quotes_any: ClassVar[bool] = False
    page_multiple: ClassVar[int] = 1  # a saddle-stitched booklet needs a multiple of 4
    previewed_ahead: ClassVar[bool] = False  # the preview lays out the pages an edit touches first (full_html, draft)
    trimmed: ClassVar[bool] = True  # printed with bleed and cut to size; else printed on an office sheet as it is
    piece: ClassVar[str] = ""  # what a copy-shop sheet's slug line calls one copy, a message taking its size
    sheet_finishing: ClassVar[str] = "finishing.cut"  # the slug line's finishing, a message
    # A kind registered outside printkit: the messages it adds (its format's, its paper's), by locale.
    wording: ClassVar[dict[str, dict[str, str]]] = {}
    imprinted: ClassVar[bool] = True  # carries the legal imprint (a ballot carries only the list: R30)
    read_as_prose: ClassVar[bool] = True  # judged as a reader reads prose: empty bands, the median type size
    shows_candidates: ClassVar[bool] = False  # prints candidates.yaml's list: its edits rebuild it
    paper_weights: ClassVar[tuple[int, int] | None] = None  # g/m² the law allows, which the ticket's paper states
    official: ClassVar[bool] = False  # the Code électoral's own material: the ticket names no part of the programme
    pages_message: ClassVar[str] = "ticket.pages_value"  # the ticket's pages and inks, a plural message
    accessible: ClassVar[str | None] = None  # the kind of the tagged screen copy written beside its print file
    most_bytes: ClassVar[int | None] = None  # the largest file its publisher takes

    def absent(self, programme: Programme) -> str | None:
        """Why this programme has none of this kind, which the build says once; None when it has."""
        return None

    def deadline(self, programme: Programme, messages: Messages) -> str | None:
        """The job ticket's delivery row when the law sets this kind its own date; None for the
        printer's usual one (pack.delivery_text)."""
        return None

    def names(self, programme: Programme, material: Material) -> dict:
        """The names this kind's layout reads besides every layout's (render/html.py: template_context)."""
        return {}

    def copies(self, programme: Programme, material: Material) -> int | None:
        """How many copies the job ticket asks for: campaign.yaml's quantities, when they say."""
        return programme.campaign.quantity(self.quantity_key(material.output))

    @property
    def template(self) -> str:
        """The layout template that renders this kind."""
        return f"{self.kind}/{self.kind}.html"

    def materials(self, slugs: list[str], whole: bool) -> list[Material]:
        """The files of this kind for these themes, and for the whole programme when asked."""
        folder = f"{self.folder}/" if self.folder else ""
        themed = [Material(self.kind, slug, f"{folder}{slug}.pdf") for slug in slugs] if self.per_theme else []
        return themed + ([Material(self.kind, None, f"{folder}{self.whole}.pdf")] if whole and self.whole else [])

    def quantity_key(self, output: str) -> str:
        """The key of a file in campaign.yaml's quantities."""
        return output.removesuffix(".pdf")

    def quantity_keys(self, slugs: list[str]) -> list[str]:
        """Every quantity key this kind accepts, for these themes."""
        return [self.quantity_key(material.output) for material in self.materials(slugs, whole=True)]

    def paper_for(self, settings: PrintSettings, messages: Messages) -> str:
        """The paper suggested to the printer: campaign.yaml's, or this kind's default in the campaign's words."""
        return dict(settings.stock).get(self.kind) or messages(self.paper)

    def formats_for(self, paper: str) -> tuple[Format, ...]:
        """This kind's formats on a paper family (campaign.yaml's printing.paper)."""
        return self.formats.get(paper, ())

    def format_named(self, name: str) -> Format:
        """One of this kind's formats, on any paper family, by the name its files carry in their metadata."""
        every = [f for formats in self.formats.values() for f in formats]
        found = next((f for f in every if f.name == name), None)
        if found is None:
            raise PrintkitError(f"a {self.kind} has no format '{name}' (expected one of: "
                                f"{', '.join(dict.fromkeys(f.name for f in every))})")
        return found

    def sheet_named(self, name: str) -> Sheet:
        """One of this kind's copy-shop sheets, on any paper family, by the name its files carry."""
        found = next((s for sheets in self.sheets.values() for s in sheets if s.name == name), None)
        if found is None:
            raise PrintkitError(f"a {self.kind} is imposed on no sheet '{name}'")
        return found

    def page_format(self, paper: str, layout: str | None = None) -> Format | None:
        """The format whose sizes a render on this layout reads: the first of the family's on it."""
        return next((f for f in self.formats_for(paper) if layout in (None, f.layout)), None)

    def fit(self, material: Material, context: Context, layout: str) -> Rendered:
        """Lay the material out, fitted to one of this kind's formats."""
        raise NotImplementedError(f"the {self.kind} product does not say how it is fitted")

    def qr_urls(self, programme: Programme, theme: str | None) -> tuple[set[str], set[str]]:
        """The addresses this kind's QR codes may lead to, and those they must lead to."""
        raise NotImplementedError(f"the {self.kind} product does not say where its QR codes lead")

    def file_qr_urls(self, programme: Programme, subject: FileSubject) -> tuple[set[str] | None, set[str]]:
        """The addresses a file's QR codes may and must lead to: the kind's (qr_urls), for the
        file's theme; a kind whose formats differ in their codes narrows them by ``subject.format``."""
        return self.qr_urls(programme, subject.theme)

    def flagships(self, programme: Programme) -> tuple[Measure, ...]:
        """The measures this kind quotes in a flagship place (card front, cover, highlights), by its
        title's ``flagship``: the loader warns of those it has to cut."""
        return ()

    def full_html(self, material: Material, context: Context) -> str:
        """The material's HTML before the fitting's choices, for the preview's page window."""
        raise NotImplementedError(f"the {self.kind} product is not previewed ahead of its build")

    def next_html(self, material: Material, context: Context) -> str:
        """The material's HTML as the next build lays it out if its fitting keeps its last choices."""
        raise NotImplementedError(f"the {self.kind} product is not previewed ahead of its build")

    def window_html(self, material: Material, context: Context, window: PageWindow) -> str | None:
        """The material's HTML to lay a page window (render/pagewindow.py) out from again when its
        pages ask for other fitting choices than the last build's (None: they hold)."""
        raise NotImplementedError(f"the {self.kind} product is not previewed ahead of its build")

    def draft(self, material: Material, context: Context) -> Rendered:
        """The material laid out once, with the fitting's last choice, for the preview."""
        raise NotImplementedError(f"the {self.kind} product is not previewed ahead of its build")

    def impositions(self, material: Material, paper: str) -> list[Imposition]:
        """The copy-shop files made from one material: one per sheet of the paper family."""
        return [Imposition(self.sheet_output(material.output, sheet), material, sheet)
                for sheet in self.sheets.get(paper, ())]

    def sheet_output(self, output: str, sheet: Sheet) -> str:
        """Where a material imposed on a sheet goes: beside its folder, in sheets/<sheet>/."""
        folder, _, name = output.rpartition("/")
        return f"{folder}/sheets/{sheet.name}/{name}" if folder else f"sheets/{sheet.name}/{name}"

    def piece_name(self, programme: Programme, theme: str | None, messages: Messages) -> str:
        """What a copy-shop sheet holds, for its slug line: « carte A6 « Sport » »."""
        name = programme.theme(theme).name if theme else messages("slug.whole")
        size = self.page_format(programme.campaign.printing.paper).size.name
        return messages("slug.piece", piece=messages(self.piece, size=size), name=name)


_PRODUCTS: dict[str, Product] = {}


def products_wording(locale: str) -> dict[str, str]:
    """The messages the registered kinds add to printkit's catalogues, in a locale."""
    return {identifier: text for kind in _PRODUCTS.values()
            for identifier, text in kind.wording.get(locale, {}).items()}


def register(cls: type[Product]) -> type[Product]:
    """Make a product kind known to the plan, the checks, the pack, the loader and the command line."""
    if cls.kind in _PRODUCTS or any(p.name == cls.name for p in _PRODUCTS.values()):
        raise ValueError(f"a product kind '{cls.kind}' ({cls.name}) is registered already")
    _PRODUCTS[cls.kind] = cls()
    return cls


def unregister(kind: str) -> None:
    """Forget a product kind (a test's own, once the test is done)."""
    del _PRODUCTS[kind]


def product(kind: str) -> Product:
    """The registered product of a kind."""
    if kind not in _PRODUCTS:
        raise PrintkitError(f"unknown product kind '{kind}' (known: {', '.join(_PRODUCTS)})")
    return _PRODUCTS[kind]


def products() -> list[Product]:
    """Every registered product, in the order a build makes them."""
    return list(_PRODUCTS.values())


def quantity_forms() -> list[str]:
    """The keys campaign.yaml's quantities accept, in build order; `<theme>` stands for a theme's slug."""
    return [key for kind in products() if kind.built for key in kind.quantity_keys(["<theme>"])]


def quantity_theme(key: str) -> str | None:
    """The theme a quantity key names ('' for a product of the whole programme); None for no product's
    key. Whether the theme exists is checked against themes.yaml once every file is read."""
    for form in sorted(quantity_forms(), key=lambda form: "<theme>" in form):  # cards/programme is no theme
        head, placeholder, tail = form.partition("<theme>")
        if not placeholder and key == form:
            return ""
        middle = key[len(head):len(key) - len(tail)]
        if placeholder and key.startswith(head) and key.endswith(tail) and middle and "/" not in middle:
            return middle
    return None
