"""Decide which materials to build, from what the user asked for."""

from dataclasses import dataclass
from pathlib import Path

from printkit.builtin import BUILTIN_LAYOUTS
from printkit.errors import PrintkitError
from printkit.products import Imposition, Material, products
from printkit.programme.model import Programme


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
    def designer_layouts(self) -> Path | None:
        """The designer's layouts folder: --layouts, else the campaign folder's layouts/ when it has one."""
        if self.layouts is None and (self.root / "layouts").is_dir():
            return self.root / "layouts"
        return self.layouts

    @property
    def layout_folders(self) -> list[Path]:
        """The layout search path: the designer's folder first, the built-in layouts second."""
        return [folder.resolve() for folder in (self.designer_layouts, BUILTIN_LAYOUTS) if folder is not None]


def plan_impositions(materials: list[Material], paper: str) -> list[Imposition]:
    """The copy-shop files made from the materials: each on every sheet its product declares on the paper family."""
    return [imposition for material in materials for imposition in material.product.impositions(material, paper)]


def plan_materials(programme: Programme, which: str = "all", theme: str | None = None) -> list[Material]:
    """The materials a build makes: every product's, or one product's, optionally for one theme only."""
    if theme is not None and theme not in {t.slug for t in programme.themes}:
        known = ", ".join(t.slug for t in programme.themes)
        raise PrintkitError(f"unknown theme '{theme}' (expected one of: {known})")
    slugs = [t.slug for t in programme.themes if theme in (None, t.slug)]
    return [material for kind in products() if kind.built and which in ("all", kind.name)
            for material in kind.materials(slugs, whole=theme is None)]
