"""Atomic writes: a file is replaced whole or not at all, so readers never see a mix.

The new content goes to a temporary file beside the target, is flushed to disk and renamed
over it; the folder is then synced so that the rename itself survives a crash.
"""

from __future__ import annotations

import contextlib
import os
import tempfile

from collections.abc import Iterator
from pathlib import Path
from typing import IO

from claimtrack.errors import CaseFileError, Problem


def atomic_write(path: Path, data: bytes) -> None:
    """Replace *path* with *data* so that readers see the old file or the new, never a mix.

    Raises:
        CaseFileError: The file cannot be written; the old file, if any, is left as it was.
    """
    with atomic_file(path) as out:
        out.write(data)


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[IO[bytes]]:
    """A file to write *path*'s new content to, a piece at a time; it replaces *path* at the end.

    Until the block ends without an exception, *path* is untouched; then the new content
    takes its place whole. If the block fails, the partial content is thrown away.

    Raises:
        CaseFileError: The file cannot be written; the old file, if any, is left as it was.
    """
    folder = path.parent if str(path.parent) else Path()
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(OSError):
            Path(tmp).chmod(path.stat().st_mode & 0o7777 if path.exists() else 0o644)
        Path(tmp).replace(path)
        tmp = None
        _sync_folder(folder)
    except OSError as e:
        raise CaseFileError(
            [Problem("", f"cannot be written: {e.strerror or e}", file=str(path))]
        ) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; some systems cannot open a folder, and that is fine."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
