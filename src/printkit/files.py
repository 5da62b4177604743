"""Output files are replaced whole or not at all, and follow the user's umask."""

import os
import secrets
from pathlib import Path


def write_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """Write to a temporary file in the same folder, flush it to disk, then rename it over ``path``.

    A build interrupted at any moment leaves either the previous file or the new one,
    never a truncated file under the final name. Caches and preview images, which the next
    run can make again, pass ``durable=False`` and skip the costly flush to disk.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _part_beside(path)
    # Created as open() creates any file, so that the umask applies (mkstemp's files are 0600);
    # O_EXCL never follows a link or reuses a file someone else made.
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def staging_folder(folder: Path) -> Path:
    """A new empty folder beside ``folder``, to fill and then rename into place; it follows the umask
    (mkdtemp's folders are 0700)."""
    staging = _part_beside(folder)
    staging.mkdir()
    return staging


def _part_beside(path: Path) -> Path:
    """A name no other file has beside ``path``: hidden and ending in .part, which a killed build leaves
    and the next one removes."""
    return path.with_name(f".{path.name}.{secrets.token_hex(8)}.part")
