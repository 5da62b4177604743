"""Incremental builds: each output is keyed by a hash of everything it is made from.

A material's key covers the programme data it shows, the layout files it can use (base,
common and its own folder, as the search path resolves them), the fonts, the print
options and printkit's own code. The manifest of keys, with each file's summary line
and check findings, lives under the output folder.
"""

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from printkit.errors import Finding
from printkit.files import write_atomic
from printkit.products.registry import Material
from printkit.programme.model import Programme

MANIFEST = ".printkit/manifest.json"
BOOKLET_FITTING = ".printkit/booklet-fitting.json"  # the booklet fitting's last choice, and what it was made from
PACKAGE = Path(__file__).resolve().parent.parent


def material_key(material: Material, programme: Programme, layout: str) -> str:
    """The content hash that decides whether a material must be rebuilt: the data it shows and its layout key."""
    data = json.dumps(_data(material, programme), sort_keys=True, default=str).encode()
    return hashlib.sha256(data + layout.encode()).hexdigest()


def layout_key(material: Material, layout_folders: list[Path], fonts: Path, options: dict) -> str:
    """What a material's pages are made with, programme data aside: layout files, fonts, options, code."""
    digest = hashlib.sha256()
    for path in _layout_files(material, layout_folders) + sorted(fonts.glob("*")) + _code_files():
        digest.update(str(path).encode() + b"\0" + _file_digest(path))
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    return digest.hexdigest()


_digests: dict[tuple, bytes] = {}


def _file_digest(path: Path) -> bytes:
    """A file's digest, computed again only when the file changed: a build hashes the same fonts for
    every material, and the preview server builds on every save."""
    stat = path.stat()
    identity = (str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns)
    if identity not in _digests:
        _digests[identity] = hashlib.sha256(path.read_bytes()).digest()
    return _digests[identity]


def file_digest(path: Path) -> str | None:
    """The SHA-256 of a file's bytes, as the manifest records it; None for a missing file."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def shown_data_hash(material: Material, programme: Programme) -> str:
    """A short fingerprint of the programme data a material shows, for its build stamp: a file
    that a build leaves alone keeps the stamp a cold build would give it."""
    data = json.dumps(_data(material, programme), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()[:12]


def imposition_key(source_keys: dict[str, str]) -> str:
    """The key of an imposed file: the keys of the pages it holds.

    A card rebuilt alone (`--theme`) leaves the sheets as they were; the next build that
    covers the sheets sees that one of their pages changed.
    """
    return hashlib.sha256(json.dumps(source_keys, sort_keys=True).encode()).hexdigest()


# The election's figures, which no material shows yet (the ballot and the circulaire will): left out of
# every key and stamp, so that a change of voters: rebuilds nothing, and a campaign's stamps stay as they were.
UNSHOWN_CAMPAIGN = ("seats", "community_seats", "population", "voters")


def _data(material: Material, programme: Programme) -> dict:
    """Only the programme data a material shows, so that editing one measure touches only its materials."""
    common = {"campaign": _campaign(programme), "title": programme.title, "count": len(programme.measures),
              "introduction": programme.introduction, "guarantees": programme.guarantees,
              "themes": [asdict(t) for t in programme.themes], "identity": asdict(programme.identity),
              "theme_counts": [len(programme.measures_of(t.slug)) for t in programme.themes]}
    listed = _candidates(programme) if material.product.shows_candidates else {}
    if material.product.shows_everything:  # but the list of candidates, which only the official pieces print
        return {key: value for key, value in asdict(programme).items() if key != "candidates"} | {
            "campaign": common["campaign"]} | listed
    if listed:
        return common | listed
    if material.theme is None and material.product.whole_quotes_any:
        return common | {"measures": [asdict(m) for m in programme.measures]}
    if material.theme is None:
        return common
    return common | {"measures": [asdict(m) for m in programme.measures_of(material.theme)]}


def _candidates(programme: Programme) -> dict:
    """The list as printed, and the seats that tell its extra candidates (R117-5)."""
    return {"candidates": asdict(programme.candidates) if programme.candidates else None,
            "seats": programme.campaign.seats}


def _campaign(programme: Programme) -> dict:
    return {key: value for key, value in asdict(programme.campaign).items() if key not in UNSHOWN_CAMPAIGN}


def _layout_files(material: Material, folders: list[Path]) -> list[Path]:
    found: dict[str, Path] = {}
    for folder in reversed(folders):  # the designer's file wins over the built-in one of the same name
        for part in ("base.html", "common", material.kind):
            for path in sorted((folder / part).rglob("*")) if (folder / part).is_dir() else [folder / part]:
                if path.is_file():
                    found[str(path.relative_to(folder))] = path
    return [found[name] for name in sorted(found)]


def _code_files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def kept_fitting(out: Path) -> dict | None:
    """The booklet fitting's last choice: its layout key, what follows the index, and the digest of
    what the pages after the measures were laid out from (products/fitting.py, _booklet)."""
    try:
        return json.loads((out / BOOKLET_FITTING).read_text())
    except (OSError, ValueError):
        return None


def keep_fitting(out: Path, record: dict) -> None:
    """Keep the booklet fitting's choice for the next build."""
    write_atomic(out / BOOKLET_FITTING, json.dumps(record).encode(), durable=False)


def load_manifest(out: Path) -> dict:
    """What the previous builds recorded: key, summary and findings of each output."""
    try:
        return json.loads((out / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}


def save_manifest(out: Path, manifest: dict) -> None:
    """Record the manifest, atomically like every output."""
    write_atomic(out / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())


def findings_from(entry: dict) -> list[Finding]:
    """The findings recorded for an output that did not need rebuilding."""
    return [Finding(**finding) for finding in entry.get("findings", [])]
