"""Stage 5, last step: the PDF structure every written file gets, imposed and merged ones included.

The header declares the version the file's features need (OpenType font programs need
1.6, transparency 1.4), and every font subset gets a name derived from its program, so
that two different subsets never share a name in one file: RIPs cache fonts by name.
A PDF/X-1a file must stay PDF 1.4: its fonts are embedded as bare CFF (a PDF 1.3
feature) instead of OpenType, and it gets no compressed object streams (PDF 1.5).
A PDF/X file is a print master: its Info dictionary and its XMP say the same thing (see
``print_master``), and it keeps no annotation but a printer's marks.
Deterministic: the same input gives the same bytes.
"""

import datetime
import hashlib
import io
import re
import string
import uuid
import zlib

import pikepdf
from fontTools.ttLib import TTFont
from pikepdf.models.metadata import decode_pdf_date, encode_pdf_date

from printkit.products.registry import FileSubject

FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
_STREAMS = re.compile(rb"/Type\s*/(?:ObjStm|XRef)\b")
PRINTER_ANNOTATIONS = ("/PrinterMark", "/TrapNet")  # the only annotations PDF/X allows on the printed area
RENDITION = "default"  # XMP's class of a master, from which proofs and screen renditions derive


def finish_pdf(data: bytes, subject: FileSubject, stamp: str | None = None) -> bytes:
    """The PDF with unique subset names, a header version that covers the features it uses,
    and what the file is in its metadata; ``stamp`` replaces the build stamp (Info /Subject)
    of a file made from another, an imposed sheet's."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        subject.write(pdf.docinfo)
        if stamp is not None:
            pdf.docinfo.Subject = stamp
        if pdfx_version(pdf):
            print_master(pdf, subject)
        x1a = is_pdfx1a(pdf)
        for font in fonts(pdf):
            _rename_subset(font)
            if x1a:
                _bare_cff(font)
        written = b"" if x1a else data  # object streams are written out for PDF/X-1a
        version = max((version for version, _ in required_versions(pdf, written)), default="1.3")
        buffer = io.BytesIO()
        if x1a:  # PDF/X-1a:2003 is PDF 1.4, which WeasyPrint's header says
            pdf.save(buffer, force_version=max(version, "1.4"), object_stream_mode=pikepdf.ObjectStreamMode.disable,
                     deterministic_id=True)
        else:
            pdf.save(buffer, min_version=version, deterministic_id=True)
    return buffer.getvalue()


def pdfx_version(pdf: pikepdf.Pdf) -> str:
    """The PDF/X version the file claims, in its XMP or its Info dictionary ("" for none)."""
    claimed = str(pdf.open_metadata().get("pdfxid:GTS_PDFXVersion", ""))
    return claimed or str(pdf.docinfo.get("/GTS_PDFXVersion", ""))


def print_master(pdf: pikepdf.Pdf, subject: FileSubject) -> None:
    """Make a PDF/X file the print master it claims to be: no annotation but a printer's marks,
    and Info and XMP that agree, with identifiers of its own.

    Links stay in the files that are not PDF/X (a build without a printer named); on paper
    they do nothing, and PDF/X forbids them on the printed area.
    """
    drop_annotations(pdf)
    _agreeing_metadata(pdf, subject)


def drop_annotations(pdf: pikepdf.Pdf) -> None:
    """Remove every annotation that is not a printer's mark or a trap network."""
    for page in pdf.pages:
        kept = [a for a in page.obj.get("/Annots", []) if a.get("/Subtype") in PRINTER_ANNOTATIONS]
        if kept:
            page.obj.Annots = pikepdf.Array(kept)
        elif "/Annots" in page.obj:
            del page.obj["/Annots"]


# Info keys and the XMP properties that say the same (ISO 32000-1, 14.3.2), the dates as XMP writes them.
SHARED = (("/Title", "dc:title"), ("/Subject", "dc:description"), ("/CreationDate", "xmp:CreateDate"),
          ("/ModDate", "xmp:ModifyDate"))


def _agreeing_metadata(pdf: pikepdf.Pdf, subject: FileSubject) -> None:
    """Info wins where both have a value: printkit writes it last (an imposed sheet's title and
    stamp, the dates a source's Info carries to its imposed copy); XMP fills what Info lacks."""
    info = pdf.docinfo
    info.Trapped = info.get("/Trapped", pikepdf.Name("/False"))  # printkit never traps: the RIP may
    identity = _document_id(subject), _instance_id(pdf)
    # not marked as edited by pikepdf: that would write the current time, and builds are byte-identical
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        for key, name in SHARED:
            _agree(info, meta, key, name)
        meta["pdf:Trapped"] = str(info.Trapped).lstrip("/")
        if "xmp:ModifyDate" in meta:
            meta["xmp:MetadataDate"] = meta["xmp:ModifyDate"]
        meta["xmpMM:DocumentID"], meta["xmpMM:InstanceID"] = identity
        meta["xmpMM:RenditionClass"] = RENDITION


def _agree(info: pikepdf.Dictionary, meta, key: str, name: str) -> None:
    dated = name.startswith("xmp:")
    if key in info:
        meta[name] = decode_pdf_date(str(info[key])).isoformat() if dated else str(info[key])
    elif name in meta:
        info[key] = encode_pdf_date(datetime.datetime.fromisoformat(str(meta[name]))) if dated else str(meta[name])


def _document_id(subject: FileSubject) -> str:
    """The same for every build of the same file (XMP's document): derived from what it is, which
    differs between a piece and its imposed sheets."""
    return _uuid(repr((subject.kind, subject.format, subject.theme, subject.sheet)).encode())


def _instance_id(pdf: pikepdf.Pdf) -> str:
    """Derived from the file's content, metadata aside: a new one for a file that prints otherwise."""
    digest = hashlib.sha256()
    skipped = pdf.Root.Metadata.objgen if "/Metadata" in pdf.Root else None
    for obj in pdf.objects:
        if obj.objgen != skipped and isinstance(obj, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)):
            digest.update(obj.read_raw_bytes() if isinstance(obj, pikepdf.Stream) else obj.unparse(resolved=True))
    return _uuid(digest.digest())


def _uuid(data: bytes) -> str:
    """A UUID from a digest, never from chance or the clock: builds are byte-identical."""
    return f"uuid:{uuid.UUID(bytes=hashlib.sha256(data).digest()[:16], version=5)}"


def is_pdfx1a(pdf: pikepdf.Pdf) -> bool:
    """Whether the file declares PDF/X-1a in its metadata."""
    return str(pdf.open_metadata().get("pdfxid:GTS_PDFXVersion", "")).startswith("PDF/X-1")


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


def _bare_cff(font: pikepdf.Dictionary) -> None:
    """Embed an OpenType font's CFF table alone: ISO 32000 reads the CIDs of a CIDFontType0C
    program that is not CID-keyed as glyph indices, as WeasyPrint writes them."""
    program = font_program(font)
    if program is None or program.get("/Subtype") != "/OpenType":
        return
    table = TTFont(io.BytesIO(program.read_bytes())).reader["CFF "]
    program.write(zlib.compress(table, 9), filter=pikepdf.Name.FlateDecode)
    program.Subtype = pikepdf.Name.CIDFontType0C


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
    if smask is not None and smask != pikepdf.Name("/None"):  # Name.None_ would be /None_, not /None
        return True
    if obj.get("/BM") not in (None, pikepdf.Name.Normal, pikepdf.Name.Compatible):
        return True
    if any(key in obj and float(obj[key]) < 1 for key in ("/CA", "/ca")):
        return True
    group = obj.get("/Group")
    return isinstance(group, pikepdf.Dictionary) and group.get("/S") == "/Transparency"
