"""Every PDF/X file printkit writes passes a PDF/X-4 structure check written apart from printkit's own.

The check follows ISO 15930-7 (PDF/X-4) as a printer's upload check reads it, with pikepdf
and the XML parser only: nothing here imports printkit.checks, so that a rule both sides
got wrong cannot pass unseen. It runs on every PDF/X file of the small programme packed
with a printer named (the ``packed`` fixture): the print masters in output/ and pack/, the
tri-fold leaflets and the copy-shop sheets. proof-pdf, whose structural layer checks the
same, needs Python 3.15 (docs/developers/dependencies.md).
"""

import datetime
from pathlib import Path
from xml.etree import ElementTree

import pikepdf
import pytest

NS = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "dc": "http://purl.org/dc/elements/1.1/",
      "xmp": "http://ns.adobe.com/xap/1.0/", "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
      "pdf": "http://ns.adobe.com/pdf/1.3/", "pdfxid": "http://www.npes.org/pdfx/ns/id/"}
PRINTER_MARKS = ("/PrinterMark", "/TrapNet")  # the only annotations allowed on the printed area
TOLERANCE = 0.01  # pt: boxes written with rounded coordinates
ACTIONS = ("/JavaScript", "/JS", "/AA", "/OpenAction", "/Launch")


def xmp(pdf: pikepdf.Pdf) -> dict[str, str]:
    """Every simple XMP property, as an element or an attribute, and the default of an rdf:Alt, by prefix:name."""
    root = ElementTree.fromstring(pdf.Root.Metadata.read_bytes())
    prefixes = {uri: prefix for prefix, uri in NS.items()}
    found = {}
    for description in root.iter(f"{{{NS['rdf']}}}Description"):
        for name, value in description.attrib.items():
            found[_short(name, prefixes)] = value
        for element in description:
            alternative = element.find("rdf:Alt/rdf:li", NS)
            found[_short(element.tag, prefixes)] = (alternative.text if alternative is not None else element.text) or ""
    return found


def _short(tag: str, prefixes: dict[str, str]) -> str:
    uri, _, name = tag[1:].partition("}")
    return f"{prefixes.get(uri, uri)}:{name}"


def pdf_date(text: str) -> datetime.datetime:
    """A PDF date (D:YYYYMMDDHHmmSS followed by Z or +HH'mm') as a moment."""
    moment = datetime.datetime.strptime(text[2:16], "%Y%m%d%H%M%S")
    zone = text[16:].replace("'", "")
    if zone in ("", "Z"):
        return moment.replace(tzinfo=datetime.UTC)
    offset = datetime.timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5] or 0))
    return moment.replace(tzinfo=datetime.timezone(-offset if zone[0] == "-" else offset))


def document_problems(pdf: pikepdf.Pdf) -> list[str]:
    """What ISO 15930-7 asks of the whole file: output intent, Info, XMP identification, no encryption."""
    problems = []
    intents = [i for i in pdf.Root.get("/OutputIntents", []) if i.get("/S") == "/GTS_PDFX"]
    if len(intents) != 1 or not isinstance(intents[0].get("/DestOutputProfile"), pikepdf.Stream):
        problems.append("not one GTS_PDFX output intent with an embedded DestOutputProfile")
    if pdf.is_encrypted or "/Encrypt" in pdf.trailer:
        problems.append("encrypted")
    if "/ID" not in pdf.trailer:
        problems.append("no file identifier (trailer /ID)")
    if pdf.pdf_version > "1.6":
        problems.append(f"PDF {pdf.pdf_version}: PDF/X-4 is PDF 1.6")
    return problems + metadata_problems(pdf)


def metadata_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Info /Trapped and dates, the XMP's identification and document identifiers, and Info and XMP agreeing."""
    info, meta = pdf.docinfo, xmp(pdf)
    problems = [f"Info {key} missing" for key in ("/CreationDate", "/ModDate", "/Title") if key not in info]
    if str(info.get("/Trapped")) not in ("/True", "/False"):
        problems.append(f"Info /Trapped is {info.get('/Trapped')}, not True or False")
    if meta.get("pdfxid:GTS_PDFXVersion") != "PDF/X-4":
        problems.append(f"XMP pdfxid:GTS_PDFXVersion is {meta.get('pdfxid:GTS_PDFXVersion')!r}")
    problems += [f"XMP {name} missing" for name in ("xmpMM:DocumentID", "xmpMM:VersionID", "xmpMM:RenditionClass",
                                                    "xmp:CreateDate", "xmp:ModifyDate") if not meta.get(name)]
    if problems:
        return problems
    pairs = [(str(info.Title), meta.get("dc:title")), (str(info.Trapped).lstrip("/"), meta.get("pdf:Trapped")),
             (pdf_date(str(info.CreationDate)), datetime.datetime.fromisoformat(meta["xmp:CreateDate"])),
             (pdf_date(str(info.ModDate)), datetime.datetime.fromisoformat(meta["xmp:ModifyDate"]))]
    return [f"Info says {a!r}, XMP {b!r}" for a, b in pairs if a != b]


def page_problems(page: pikepdf.Dictionary) -> list[str]:
    """Each page: a TrimBox or an ArtBox, not both; the boxes nested; no annotation on the printed area; no actions."""
    if ("/TrimBox" in page) == ("/ArtBox" in page):
        return ["not exactly one of TrimBox and ArtBox"]
    media = box(page.MediaBox)
    trim = box(page.get("/TrimBox", page.get("/ArtBox")))
    bleed = box(page.get("/BleedBox", page.MediaBox))
    problems = [f"{name} outside {outer_name}" for name, inner, outer_name, outer in
                (("BleedBox", bleed, "MediaBox", media), ("TrimBox", trim, "BleedBox", bleed)) if not within(inner, outer)]
    problems += [f"{annotation.get('/Subtype')} annotation inside the trim" for annotation in page.get("/Annots", [])
                 if annotation.get("/Subtype") not in PRINTER_MARKS and overlaps(box(annotation.Rect), trim)]
    return problems + [f"page action {key}" for key in ACTIONS if key in page]


def box(values) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) for v in values)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def within(inner, outer) -> bool:
    return all(i >= o - TOLERANCE for i, o in zip(inner[:2], outer[:2])) and \
        all(i <= o + TOLERANCE for i, o in zip(inner[2:], outer[2:]))


def overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def action_problems(pdf: pikepdf.Pdf) -> list[str]:
    """JavaScript and actions anywhere: PDF/X allows neither (outline entries that go to a page are no action)."""
    names = pdf.Root.get("/Names", {})
    problems = ["document JavaScript"] if "/JavaScript" in names else []
    problems += [f"catalogue {key}" for key in ("/OpenAction", "/AA") if key in pdf.Root]
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and ("/JS" in obj or obj.get("/S") in ("/JavaScript", "/Launch")):
            problems.append(f"action {obj.get('/S')} in object {obj.objgen}")
    return problems


def pdfx_problems(path: Path) -> list[str]:
    """Everything the independent check finds in one file."""
    with pikepdf.open(path) as pdf:
        problems = document_problems(pdf) + action_problems(pdf)
        for number, page in enumerate(pdf.pages, 1):
            problems += [f"page {number}: {what}" for what in page_problems(page.obj)]
    return problems


def claims_pdfx(path: Path) -> bool:
    with pikepdf.open(path) as pdf:
        return "/Metadata" in pdf.Root and "pdfxid:GTS_PDFXVersion" in xmp(pdf) or "/GTS_PDFXVersion" in pdf.docinfo


@pytest.fixture(scope="module")
def pdfx_files(packed) -> list[Path]:
    """Every PDF/X file of the small packed programme (not the build's own caches)."""
    paths = [p for folder in ("output", "pack") for p in sorted((packed / folder).rglob("*.pdf"))
             if not any(part.startswith(".") for part in p.relative_to(packed).parts)]
    return [p for p in paths if claims_pdfx(p)]


def test_every_pdfx_file_passes_an_independent_pdfx4_structure_check(packed, pdfx_files):
    names = {str(p.relative_to(packed)) for p in pdfx_files}
    # the print masters, the booklet's office and copy-shop sheets and the cards' sheets are all there
    assert {"output/booklet.pdf", "output/booklet-imposed-a4.pdf", "output/booklet-imposed-sra3.pdf",
            "output/cards/sheets/a4/sport.pdf", "pack/booklet/booklet.pdf"} <= names
    failures = {name: problems for name, problems in ((str(p.relative_to(packed)), pdfx_problems(p)) for p in pdfx_files)
                if problems}
    assert not failures


def test_the_check_fails_on_a_file_with_the_defects_the_review_found(packed, tmp_path):
    """The checker itself is checked: it rejects an empty Info dictionary and a link inside the trim."""
    with pikepdf.open(packed / "output" / "booklet.pdf") as pdf:
        for key in ("/Trapped", "/CreationDate", "/ModDate"):
            del pdf.docinfo[key]
        link = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[100, 100, 200, 120])
        pdf.pages[2].obj.Annots = pikepdf.Array([pdf.make_indirect(link)])
        pdf.save(tmp_path / "broken.pdf")
    problems = pdfx_problems(tmp_path / "broken.pdf")
    assert "Info /CreationDate missing" in problems
    assert "Info /Trapped is None, not True or False" in problems
    assert "page 3: /Link annotation inside the trim" in problems


def test_imposed_files_have_their_own_identity_and_say_what_they_are(packed):
    with pikepdf.open(packed / "output" / "booklet.pdf") as source, \
            pikepdf.open(packed / "output" / "booklet-imposed-a4.pdf") as imposed:
        source_meta, imposed_meta = xmp(source), xmp(imposed)
        assert imposed_meta["xmpMM:DocumentID"] != source_meta["xmpMM:DocumentID"]
        assert imposed_meta["xmpMM:InstanceID"] != source_meta["xmpMM:InstanceID"]
        assert imposed_meta["dc:description"] == str(imposed.docinfo.Subject)
        assert " · booklet-imposed-a4.pdf · " in imposed_meta["dc:description"]  # its own build stamp
        assert imposed_meta["dc:title"] == str(imposed.docinfo.Title)  # how to print it, in both
        assert imposed_meta["xmpMM:RenditionClass"] == source_meta["xmpMM:RenditionClass"] == "default"
