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
    themes: tuple[str, ...] = ()  # only these themes' files; none: every file
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


def plan_materials(programme: Programme, which: str = "all", themes: tuple[str, ...] = ()) -> list[Material]:
    """The materials a build makes: every product's, or one product's, optionally for some themes only;
    never those campaign.yaml's quantities print 0 copies of."""
    return [m for m in _requested(programme, which, themes) if not _no_copies(programme, m)]


def skipped_materials(programme: Programme, which: str = "all", themes: tuple[str, ...] = ()) -> list[Material]:
    """The materials asked for that campaign.yaml's quantities print 0 copies of: neither built nor packed."""
    return [m for m in _requested(programme, which, themes) if _no_copies(programme, m)]


def _no_copies(programme: Programme, material: Material) -> bool:
    return programme.campaign.quantity(material.product.quantity_key(material.output)) == 0


def _requested(programme: Programme, which: str, themes: tuple[str, ...]) -> list[Material]:
    unknown = [theme for theme in themes if theme not in {t.slug for t in programme.themes}]
    if unknown:
        known = ", ".join(t.slug for t in programme.themes)
        raise PrintkitError(f"unknown theme '{unknown[0]}' (expected one of: {known})")
    slugs = [t.slug for t in programme.themes if not themes or t.slug in themes]
    return [material for kind in _asked(programme, which) if kind.absent(programme) is None
            for material in kind.materials(slugs, whole=not themes)]


def _asked(programme: Programme, which: str) -> list:
    return [kind for kind in products() if kind.built and which in ("all", kind.name)]


def absent_kinds(programme: Programme, which: str = "all") -> list[str]:
    """Why the kinds asked for that this programme has none of are not built: one line per kind,
    however many files it would have made (a campaign without a list of candidates: no ballot)."""
    return [why for why in (kind.absent(programme) for kind in _asked(programme, which)) if why]
