"""What shows on each distinct page rendered at 300 dpi, read once: its QR codes (checks/qr.py),
its pixel problems (checks/pixels.py) and the largest empty band of each live area (checks/holes.py).

A build keeps each page's reading under the page's digest (render/drawing.py) and the code
that reads it: after a title edit only the booklet's changed pages, and the sheets that
hold them, are rendered and read again.
"""

import hashlib
import json
from pathlib import Path

from printkit import units
from printkit.checks import document, holes, pixels, qr
from printkit.checks.document import CheckedPdf
from printkit.errors import Finding
from printkit.files import write_atomic
from printkit.programme.model import Programme
from printkit.render.drawing import page_digests_of


def _code_digest(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# The modules whose code decides a page's reading, this one included: a change to any reads every page again.
_READING = f"-{_code_digest(Path(__file__), *(Path(m.__file__) for m in (document, holes, pixels, qr, units)))}.json"


def rendered_findings(checked: CheckedPdf, shown: range, programme: Programme,
                      readings: Path | None) -> list[Finding]:
    """What shows on each distinct page of ``shown`` rendered at 300 dpi: the QR codes, the bleed,
    the sheet's margins, the holes; a build passes ``readings``, the folder where the readings are kept."""
    allowed, required = qr.expected_urls(programme, checked.subject)
    most = qr.codes_a_side(checked.subject)
    # A poster's tiles cut its QR code where they fall: the code is read in the poster itself.
    tiled = checked.tiled
    required = set() if tiled else required
    findings, seen, counted = [], set(), {}
    digests = page_digests_of(checked.pdf) if readings is not None else None
    for index in (i for i in checked.pages if i in shown):
        drawn = 0 if tiled else qr.drawn_images(checked.pdf.pages[index].obj, counted)
        regions = holes.live_regions(checked, index, programme.campaign.printing.safe_mm)
        kept = readings and readings / f"{digests[index]}{'-sheet' if checked.subject.sheet else ''}" \
                                       f"{_regions_key(regions)}{_READING}"
        reading = _page_reading(checked, index, drawn > 0, kept, regions)
        seen.update(text for text, _, _ in reading["codes"])
        problems = qr.qr_page_problems(reading["codes"], drawn, allowed, programme) if drawn else []
        problems += qr.crowded_side(reading["codes"], most)
        findings += [Finding(checked.name, index + 1, "error", what) for what in problems + reading["pixels"]]
        findings += holes.hole_findings(checked.name, index + 1, regions, reading["bands"])
    return findings + [Finding(checked.name, 0, "error", f"no QR code for {url}") for url in sorted(required - seen)]


def _regions_key(regions: list) -> str:
    """The live areas a reading measured, in its file's name: the same page read with another safe
    margin or format is read again."""
    return f"-{hashlib.sha256(repr([r.rect for r in regions]).encode()).hexdigest()[:8]}" if regions else ""


def _page_reading(checked: CheckedPdf, index: int, images: bool, kept: Path | None, regions: list) -> dict:
    """The QR codes (text, module size in mm, where), the pixel problems and the largest empty band
    of each live area of a page; whether it draws images is part of what its digest stands for."""
    if kept is not None and kept.exists():
        return json.loads(kept.read_text())
    page, image = checked.document[index], checked.rendered(index)
    found = qr.codes(checked, index) if images else []
    reading = {"codes": [(code.text, code.module_mm(), code.where()) for code in found],
               "pixels": pixels.bleed_problems(page, image)
               + (pixels.sheet_edge_problems(image) if checked.subject.sheet else []),
               "bands": [holes.largest_band(page, image, region.rect) for region in regions]}
    if kept is not None:
        write_atomic(kept, json.dumps(reading).encode(), durable=False)
    return reading
