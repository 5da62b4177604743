"""The art director's figures of a build: hyphenation per file, white-text contrast per colour, closest theme pair.

    .venv/bin/python bench/design_figures.py [OUTPUT] [--swatches FILE.png]

Reads the PDFs under OUTPUT (default output/) and the palette of programme/campaign.yaml through
its ICC profile, with the same code as `printkit check`; --swatches draws the palette as printed.
"""

import argparse
from itertools import combinations
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont

from printkit.builtin import BUILTIN_FONTS
from printkit.checks.text import HYPHENS, printed_lines
from printkit.prepress.printcolour import contrast_with_white, delta_e, printed_rgb
from printkit.programme.loader import load_programme

ROOT = Path(__file__).resolve().parent.parent


def hyphenation(output: Path) -> None:
    """Each file's share of lines that end hyphenated and its longest run of them."""
    print(f"{'file':32} {'lines':>6} {'hyphenated':>10} {'share':>6} {'max run':>7}")
    for path in sorted(output.rglob("*.pdf")):
        if "imposed" in path.name or "sheets" in path.name:
            continue
        flags = [line.endswith(HYPHENS) for _, line in printed_lines(pdfium.PdfDocument(path))]
        run = longest = 0
        for flag in flags:
            run = run + 1 if flag else 0
            longest = max(longest, run)
        share = sum(flags) / len(flags) if flags else 0
        print(f"{str(path.relative_to(output)):32} {len(flags):6} {sum(flags):10} {share:6.1%} {longest:7}")


def palette(swatches: Path | None) -> None:
    """White-text contrast of the brand and every theme colour, and the closest theme pairs."""
    programme = load_programme(ROOT / "programme")
    profile = programme.campaign.printing.icc_profile
    named = [("brand", programme.campaign.brand), ("accent", programme.campaign.accent)]
    named += [(theme.slug, theme.colour) for theme in programme.themes]
    print(f"\nprofile: {profile}")
    for name, colour in named:
        inks = "{:g} {:g} {:g} {:g}".format(*colour.cmyk)
        print(f"{name:18} {inks:16} white on it {contrast_with_white(colour, profile):5.2f}:1")
    pairs = sorted((delta_e(a.colour, b.colour, profile), a.slug, b.slug) for a, b in combinations(programme.themes, 2))
    print("closest theme pairs (ΔE2000): " + ", ".join(f"{a}/{b} {d:.1f}" for d, a, b in pairs[:4]))
    if swatches:
        _draw(named, profile, swatches)
        print(f"swatches: {swatches}")


def _draw(named: list, profile: str, path: Path) -> None:
    width, height, columns = 250, 120, 4
    image = Image.new("RGB", (width * columns, height * -(-len(named) // columns)), "white")
    draw = ImageDraw.Draw(image)
    bold = ImageFont.truetype(str(BUILTIN_FONTS / "Inter-Bold.otf"), 20)
    small = ImageFont.truetype(str(BUILTIN_FONTS / "Inter-Regular.otf"), 14)
    for index, (name, colour) in enumerate(named):
        x, y = index % columns * width, index // columns * height
        draw.rectangle([x + 4, y + 4, x + width - 4, y + height - 4], fill=printed_rgb(colour, profile))
        draw.text((x + 14, y + 14), name, font=bold, fill="white")
        draw.text((x + 14, y + 46), "{:g} {:g} {:g} {:g}".format(*colour.cmyk), font=small, fill="white")
        draw.text((x + 14, y + 68), f"{contrast_with_white(colour, profile):.1f}:1", font=small, fill="white")
    image.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", type=Path, default=ROOT / "output")
    parser.add_argument("--swatches", type=Path)
    arguments = parser.parse_args()
    hyphenation(arguments.output)
    palette(arguments.swatches)


if __name__ == "__main__":
    main()
