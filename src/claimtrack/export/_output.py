"""Where an export goes: a file object given, or a path written atomically."""

from __future__ import annotations

import contextlib
import io
import os

from collections.abc import Iterator
from typing import IO, TypeAlias

from claimtrack.files._atomic import output_file


Target: TypeAlias = str | os.PathLike[str] | IO[str]
"""Where an export is written: a path (``str`` or :class:`os.PathLike`) or an open text file."""


@contextlib.contextmanager
def text_output(target: Target) -> Iterator[IO[str]]:
    """A text file to write an export to.

    An object with a ``write`` method is used as it is (open it with ``newline=""``,
    as the ``csv`` module asks; it is neither flushed nor closed). A path is written in
    UTF-8 with the line ends the export writes, and replaced atomically when the block
    ends without an exception (see :func:`claimtrack.files._atomic.output_file`: the old
    file stays whole until the new one is complete; a FIFO or device is written to).

    Raises:
        CaseFileError: The path cannot be written; the old file, if any, is left as it was.
    """
    if not isinstance(target, (str, os.PathLike)):
        if not hasattr(target, "write"):
            msg = (
                f"expected a path or a file object with a write method, got {type(target).__name__}"
            )
            raise TypeError(msg)
        yield target  # a file object, as the caller gave it
        return
    with output_file(target) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=False)
        try:
            yield text
            text.flush()
        finally:
            text.detach()  # the raw file is output_file's to close (or throw away)


def write_text(text: str, file: Target) -> None:
    """Write *text* whole to *file*, an open text file or a path written atomically."""
    with text_output(file) as out:
        out.write(text)
