"""Output files are replaced whole or not at all; one that cannot be written is named in one line."""

import os
import tempfile
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
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                if durable:
                    stream.flush()
                    os.fsync(stream.fileno())
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return Path(temporary), path


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
