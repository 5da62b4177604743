"""Stage 2: decide which materials to build."""

from dataclasses import dataclass

from .errors import PrintkitError
from .model import Programme

KINDS = ("booklet", "leaflets", "cards")


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
        return {"booklet": "livret", "leaflet": "tract", "card": "carte", "letter": "lettre"}[self.kind]


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
