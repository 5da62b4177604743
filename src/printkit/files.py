"""Output files are replaced whole or not at all."""

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """Write to a temporary file in the same folder, flush it to disk, then rename it over ``path``.

    A build interrupted at any moment leaves either the previous file or the new one,
    never a truncated file under the final name. Caches and preview images, which the next
    run can make again, pass ``durable=False`` and skip the costly flush to disk.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
