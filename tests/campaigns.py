"""Fictional programmes of any shape, written as a campaign would keep them, to build in tests."""

from pathlib import Path

from conftest import make_small, write_yaml


def make_programme(root: Path, sizes: list[int], guarantees: int = 2, titles: dict[int, dict] | None = None,
                   **campaign_changes) -> Path:
    """A project whose themes hold ``sizes[i]`` measures each (short fictional text), with this many
    guarantees; ``titles`` replaces some measures' keys by number (a long title, a short one, a priority)."""
    make_small(root, **campaign_changes)
    folder = root / "programme"
    slugs = [f"theme-{i}" for i in range(1, len(sizes) + 1)]
    write_yaml(folder / "themes.yaml", [{"slug": slug, "label": f"Thème fictif {i}"} for i, slug in enumerate(slugs, 1)])
    sections, number = [], 0
    for slug, size in zip(slugs, sizes):
        measures = []
        for _ in range(size):
            number += 1
            measures.append({"number": number, "title": f"Ouvrir le lieu de quartier numéro {number}",
                             "themes": [slug]} | (titles or {}).get(number, {}))
        sections.append({"section": f"Section du {slug}", "measures": measures})
    write_yaml(folder / "measures.yaml", sections)
    write_yaml(folder / "programme.yaml", {"title": "Programme fictif", "introduction": ["Une introduction."]}
               | ({"guarantees": [f"Garantie fictive {i}" for i in range(1, guarantees + 1)]} if guarantees else {}))
    _colours(folder / "campaign.yaml", slugs)
    return root


def _colours(path: Path, slugs: list[str]) -> None:
    """A dark colour per theme, far enough apart to tell the themes' chips apart."""
    import yaml

    campaign = yaml.safe_load(path.read_text())
    campaign["colours"]["themes"] = {slug: [(i * 29) % 100, (i * 53) % 100, (i * 71) % 100, 40]
                                     for i, slug in enumerate(slugs, 1)}
    write_yaml(path, campaign)
