"""Output files are replaced whole or not at all, follow the user's umask, and one that cannot be
written is named in one line."""

import os
import secrets
from contextlib import contextmanager
from pathlib import Path

from printkit.errors import PrintkitError

Staged = tuple[Path, Path]  # a temporary file, written in full, and the name it is to take


def write_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """Write to a temporary file in the same folder, flush it to disk, then rename it over ``path``.

    A build interrupted at any moment leaves either the previous file or the new one,
    never a truncated file under the final name. Caches and preview images, which the next
    run can make again, pass ``durable=False`` and skip the costly flush to disk.
    """
    commit(stage(path, data, durable))


def stage(path: Path, data: bytes, durable: bool = True) -> Staged:
    """The first half of write_atomic: ``data`` in a temporary file beside ``path``, for commit()."""
    with writing(path):
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
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    return temporary, path


def commit(staged: Staged) -> None:
    """The second half of write_atomic: rename the temporary file over its final name."""
    temporary, path = staged
    try:
        with writing(path):
            os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


@contextmanager
def writing(path: Path):
    """Report a failure to write ``path`` (a full disk, a read-only folder) as a message naming it, not a traceback.

    The final path is named, not the temporary file beside it, nor none at all (a full disk
    reports no file).
    """
    try:
        yield
    except OSError as error:
        raise PrintkitError(f"cannot write {path}: {error.strerror or error}") from None


def discard(staged: list[Staged]) -> None:
    """Delete the temporary files of staged writes that will not be committed."""
    for temporary, _ in staged:
        temporary.unlink(missing_ok=True)


def stage_all(files: dict[Path, bytes]) -> list[Staged]:
    """Stage several files that are to be committed together, or none of them."""
    staged = []
    try:
        for path, data in files.items():
            staged.append(stage(path, data))
    except BaseException:
        discard(staged)
        raise
    return staged


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
