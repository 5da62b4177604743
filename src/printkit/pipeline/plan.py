"""Decide which materials to build, from what the user asked for."""

from dataclasses import dataclass
from pathlib import Path

from printkit.errors import PrintkitError
from printkit.programme.model import Programme

KINDS = ("booklet", "leaflets", "cards")
# A material's name in tracking parameters (utm_medium), by kind: the layouts' URLs and the checks' expected URLs.
MEDIUMS = {"booklet": "livret", "leaflet": "tract", "card": "carte", "letter": "lettre"}


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


@dataclass(frozen=True)
class Material:
    """One PDF to build: what kind, for which theme (None for the whole programme), and where it goes."""

    kind: str
    theme: str | None
    output: str

    @property
    def template(self) -> str:
        """The layout template that renders this material."""
        return f"{self.kind}/{self.kind}.html"

    @property
    def medium(self) -> str:
        """The material's name in tracking parameters (utm_medium)."""
        return MEDIUMS[self.kind]


@dataclass(frozen=True)
class Imposition:
    """A file made by placing the pages of a material on printing sheets, for a copy shop."""

    output: str
    source: str
    sheet: str  # how: "booklet-a4", "booklet-sra3", "card-a4" or "card-sra3"


def plan_impositions(materials: list[Material]) -> list[Imposition]:
    """The copy-shop files made from the materials: the booklet on A4 (untrimmed) and on SRA3
    (trimmed), and each card step-and-repeated on SRA3 and on A4, one card per file."""
    impositions = []
    for material in materials:
        if material.kind == "booklet":
            impositions += [Imposition(f"booklet-imposed-{size}.pdf", material.output, f"booklet-{size}")
                            for size in ("a4", "sra3")]
        elif material.kind == "card":
            name = material.output.removeprefix("cards/")
            impositions += [Imposition(f"cards/sheets/{size}/{name}", material.output, f"card-{size}")
                            for size in ("sra3", "a4")]
    return impositions


def plan_materials(programme: Programme, which: str = "all", theme: str | None = None) -> list[Material]:
    """The materials a build makes: all of them, or one kind, optionally for one theme only."""
    if theme is not None and theme not in {t.slug for t in programme.themes}:
        known = ", ".join(t.slug for t in programme.themes)
        raise PrintkitError(f"unknown theme '{theme}' (expected one of: {known})")
    kinds = KINDS if which == "all" else (which,)
    slugs = [t.slug for t in programme.themes if theme in (None, t.slug)]
    materials = []
    if "booklet" in kinds and theme is None:
        materials.append(Material("booklet", None, "booklet.pdf"))
    if "leaflets" in kinds:
        materials += [Material("leaflet", slug, f"leaflets/{slug}.pdf") for slug in slugs]
    if "cards" in kinds:
        materials += [Material("card", slug, f"cards/{slug}.pdf") for slug in slugs]
        if theme is None:
            materials.append(Material("card", None, "cards/programme.pdf"))
    return materials
