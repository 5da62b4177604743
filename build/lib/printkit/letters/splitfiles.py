"""A split mail merge's folder: one letter per recipient, and the record of the letters a split wrote.

A split removes the letters that the previous split of the same letter wrote and that it did
not write again: kept, the letter of a person taken off the list would still be emailed.
Nothing else is removed. A user's own file in the folder is not in the record, and a letter
changed since printkit wrote it (annotated, signed) no longer has the digest recorded for it.
"""

import hashlib
import json
import logging
import re
import unicodedata
from pathlib import Path

from printkit.files import write_atomic

log = logging.getLogger("printkit")

RECORD = ".printkit-split.json"
NAME = re.compile(r"\d{4}-[a-z0-9-]+\.pdf")  # what split_name makes


def split_name(row: int, name: str) -> str:
    """A recipient's file: their CSV row, then their name in ASCII, as « 0003-elie-durand.pdf »."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    slug = "-".join("".join(c if c.isalnum() else " " for c in ascii_text).split())[:40] or "destinataire"
    return f"{row:04d}-{slug}.pdf"


def remove_stale(folder: Path, written: dict[str, bytes]) -> list[str]:
    """After a split wrote ``written`` (name: content) into ``folder``, remove the letters the previous split
    wrote that this one did not, and record this one's; return the names removed."""
    earlier = _recorded(folder)
    removed = [name for name, digest in earlier.items() if name not in written and _remove(folder / name, digest)]
    record = {name: _digest(content) for name, content in written.items()}
    write_atomic(folder / RECORD, json.dumps(record, indent=1, sort_keys=True).encode())
    return removed


def _recorded(folder: Path) -> dict[str, str]:
    """The letters the previous split wrote, with their digests."""
    try:
        record = json.loads((folder / RECORD).read_bytes())
    except (OSError, ValueError):  # no previous split, or a damaged record: then no file is known to be printkit's
        return {}
    # Only names a split makes: a record edited by hand must not reach a file outside the folder.
    return {name: digest for name, digest in record.items() if NAME.fullmatch(name)} if isinstance(record, dict) else {}


def _remove(path: Path, digest: str) -> bool:
    try:
        content = path.read_bytes()
    except FileNotFoundError:  # the user removed it already
        return False
    if _digest(content) != digest:
        log.warning("%s: kept, since it changed after printkit wrote it; its recipient is no longer in the list", path)
        return False
    path.unlink()
    return True


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
