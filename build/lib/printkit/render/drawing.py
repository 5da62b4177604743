"""What each page of a PDF draws, as a content hash.

Two pages with the same digest look the same: the digest covers the page's boxes, its
content stream and every resource it draws (fonts, images, forms, colour spaces), down to
the bytes. The preview rasterises, and the checks decode the QR codes of, only the pages
whose digest they have not seen; a title edit changes two or three of the booklet's pages.
"""

import hashlib
import io

import pikepdf

DRAWN_KEYS = ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/Rotate", "/Resources", "/Contents")


def page_digests(data: bytes) -> list[str]:
    """One hex digest per page of a PDF, in page order."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return page_digests_of(pdf)


def page_digests_of(pdf: pikepdf.Pdf) -> list[str]:
    """One hex digest per page of an open PDF, in page order."""
    known: dict = {}
    return [_page_digest(page.obj, known) for page in pdf.pages]


def _page_digest(page: pikepdf.Dictionary, known: dict) -> str:
    digest = hashlib.sha256()
    for key in DRAWN_KEYS:
        if key in page:
            digest.update(key.encode() + _hashed(page[key], known))
    return digest.hexdigest()


def _hashed(obj, known: dict) -> bytes:
    """The digest of an object and everything it refers to; shared objects (fonts) are hashed once."""
    if not isinstance(obj, pikepdf.Object):  # numbers and booleans come back as Python values
        return repr(obj).encode()
    identity = obj.objgen if obj.is_indirect else None
    if identity and identity in known:
        return known[identity]
    digest = hashlib.sha256()
    if isinstance(obj, pikepdf.Stream):
        digest.update(b"stream" + _hashed(pikepdf.Dictionary(obj.stream_dict), known) + obj.read_raw_bytes())
    elif isinstance(obj, pikepdf.Dictionary):
        for key in sorted(k for k in obj.keys() if k != "/Parent"):  # a page's parent is the whole document
            digest.update(key.encode() + _hashed(obj[key], known))
    elif isinstance(obj, pikepdf.Array):
        for item in obj:
            digest.update(b"[" + _hashed(item, known))
    else:
        digest.update(obj.unparse())
    value = digest.digest()
    if identity:
        known[identity] = value
    return value
