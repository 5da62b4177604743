"""Stage 5, last step: the PDF structure every written file gets, imposed and merged ones included.

The header declares the version the file's features need (OpenType font programs need
1.6, transparency 1.4), and every font subset gets a name derived from its program, so
that two different subsets never share a name in one file: RIPs cache fonts by name.
Deterministic: the same input gives the same bytes.
"""

import hashlib
import io
import re
import string

import pikepdf

FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
_STREAMS = re.compile(rb"/Type\s*/(?:ObjStm|XRef)\b")


def finish_pdf(data: bytes) -> bytes:
    """The PDF with unique subset names and a header version that covers the features it uses."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for font in fonts(pdf):
            _rename_subset(font)
        version = max((version for version, _ in required_versions(pdf, data)), default="1.3")
        buffer = io.BytesIO()
        pdf.save(buffer, min_version=version, deterministic_id=True)
    return buffer.getvalue()


def fonts(pdf: pikepdf.Pdf):
    """Every font dictionary of the file, except the descendants of composite fonts."""
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font" \
                and obj.get("/Subtype") not in ("/CIDFontType0", "/CIDFontType2"):
            yield obj


def font_program(font: pikepdf.Dictionary) -> pikepdf.Stream | None:
    """The embedded program of a font (of its descendant, for a composite font), or None."""
    descendant = font.get("/DescendantFonts", [font])[0]
    descriptor = descendant.get("/FontDescriptor")
    if descriptor is None:
        return None
    return next((descriptor[key] for key in FONT_FILES if key in descriptor), None)


def program_digest(program: pikepdf.Stream) -> str:
    """A hash of a font program's bytes: equal programs, equal digests."""
    return hashlib.sha256(program.read_bytes()).hexdigest()


def subset_prefix(digest: str) -> str:
    """Six capital letters from a program's hash, as PDF subset prefixes are written."""
    number = int(digest, 16)
    letters = []
    for _ in range(6):
        number, index = divmod(number, 26)
        letters.append(string.ascii_uppercase[index])
    return "".join(letters)


def _rename_subset(font: pikepdf.Dictionary) -> None:
    program = font_program(font)
    name = str(font.get("/BaseFont", ""))
    if program is None or "+" not in name:
        return
    renamed = pikepdf.Name(f"/{subset_prefix(program_digest(program))}+{name.split('+', 1)[1]}")
    font.BaseFont = renamed
    for descendant in font.get("/DescendantFonts", []):
        descendant.BaseFont = renamed
        descendant.FontDescriptor.FontName = renamed
    if "/FontDescriptor" in font:
        font.FontDescriptor.FontName = renamed


def required_versions(pdf: pikepdf.Pdf, data: bytes):
    """(version, feature) for each versioned feature the file uses."""
    if _STREAMS.search(data):
        yield "1.5", "compressed object streams"
    for obj in pdf.objects:
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            yield from _object_features(obj)


def _object_features(obj):
    if obj.get("/Subtype") == "/OpenType":
        yield "1.6", "OpenType font programs"
    if transparent(obj):
        yield "1.4", "transparency"


def transparent(obj) -> bool:
    """A soft mask, a non-normal blend mode, an alpha below 1 or a transparency group."""
    smask = obj.get("/SMask")
    if smask is not None and smask != pikepdf.Name.None_:
        return True
    if obj.get("/BM") not in (None, pikepdf.Name.Normal, pikepdf.Name.Compatible):
        return True
    if any(key in obj and float(obj[key]) < 1 for key in ("/CA", "/ca")):
        return True
    group = obj.get("/Group")
    return isinstance(group, pikepdf.Dictionary) and group.get("/S") == "/Transparency"
