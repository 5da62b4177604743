"""One letter's pages, laid out once, and one stamp per recipient, joined with pikepdf.

Each page of the letter becomes one form XObject, drawn by every recipient's copy of that
page; each recipient's first page also draws their stamp (address and greeting). The
combined file holds the letter's content and fonts once, so 1,000 letters stay small and
fast to write. A letter with an odd number of pages gets a blank back, so that each letter
starts on a new sheet when printed on both sides.
"""

import io

import pikepdf
from pikepdf import Dictionary, Name

BOXES = ("/MediaBox", "/TrimBox", "/BleedBox")


def merge_letters(letter: bytes, stamps: list[bytes]) -> bytes:
    """The letter once per stamp page, each copy with its stamp drawn over its first page."""
    with pikepdf.open(io.BytesIO(letter)) as source:
        combined = pikepdf.new()
        forms = [combined.copy_foreign(page.as_form_xobject()) for page in source.pages]
        boxes = {key: pikepdf.Array(list(source.pages[0].obj[key])) for key in BOXES if key in source.pages[0].obj}
        for data in stamps:
            with pikepdf.open(io.BytesIO(data)) as addresses:
                _add_letters(combined, forms, boxes, addresses)
        _keep_document_data(source, combined)
        return _saved(combined, source.pdf_version)


def _add_letters(combined: pikepdf.Pdf, forms: list, boxes: dict, addresses: pikepdf.Pdf) -> None:
    for stamp in addresses.pages:
        stamp_form = combined.copy_foreign(stamp.as_form_xobject())
        for number, form in enumerate(forms):
            drawn = {"/Letter": form} | ({"/Stamp": stamp_form} if number == 0 else {})
            combined.pages.append(_page(combined, boxes, drawn))
        if len(forms) % 2:
            combined.pages.append(_page(combined, boxes, {}))


def split_letters(combined: bytes, count: int) -> list[bytes]:
    """One file per recipient from the combined file, without the duplex blank page."""
    files = []
    with pikepdf.open(io.BytesIO(combined)) as source:
        per_letter = len(source.pages) // count
        for index in range(count):
            single = pikepdf.new()
            pages = source.pages[index * per_letter:(index + 1) * per_letter]
            single.pages.extend(page for page in pages if _draws(page))
            _keep_document_data(source, single)
            files.append(_saved(single, source.pdf_version))
    return files


def _keep_document_data(source: pikepdf.Pdf, combined: pikepdf.Pdf) -> None:
    """Title, dates, XMP metadata and any PDF/X output intent stay as WeasyPrint wrote them."""
    if "/Info" in source.trailer:
        combined.trailer.Info = combined.copy_foreign(source.trailer.Info)
    for key in ("/Metadata", "/OutputIntents"):
        if key in source.Root:
            combined.Root[key] = combined.copy_foreign(source.Root[key])


def _page(pdf: pikepdf.Pdf, boxes: dict, drawn: dict) -> pikepdf.Page:
    content = b" ".join(b"q %s Do Q" % str(name).encode() for name in drawn)
    page = Dictionary(Type=Name.Page, Resources=Dictionary(XObject=Dictionary(drawn)), Contents=pdf.make_stream(content))
    for key, value in boxes.items():
        page[key] = value
    return pikepdf.Page(page)


def _draws(page: pikepdf.Page) -> bool:
    return bool(page.obj.Resources.get("/XObject"))


def _saved(pdf: pikepdf.Pdf, version: str) -> bytes:
    buffer = io.BytesIO()
    pdf.save(buffer, deterministic_id=True, min_version=version,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()
