"""Document texts, inline or in files beside the case, and the quotes anchored in them.

A text file is looked for in the case's ``text_dirs``, then beside the case file, and read
once: the case keeps what it read, so that anchoring many quotes reads each file once. These
functions are the case's own methods, kept apart; they read its tables directly.

A case file names its text files, and a case file may come from anyone, so what it names is
read only if it lies inside those folders once every ``..`` and symbolic link is resolved,
is a regular file (never a FIFO or a device, which could block or never end), and is no
larger than the case's limit; anything else is a problem at ``documents.ID.text_file`` and
is not read. Otherwise a quote's found or orphaned mark would tell whether words are in
any file the reader can open (``../../../etc/shadow``).
"""

from __future__ import annotations

import errno
import hashlib
import itertools
import operator
import os
import stat

from pathlib import Path
from typing import IO, TYPE_CHECKING

import attrs

from claimtrack.errors import Problem
from claimtrack.model._anchor import Anchor, AnchorStatus, locate
from claimtrack.model._places import place_of, warning
from claimtrack.model._records import Attribution, Document


if TYPE_CHECKING:
    from claimtrack.model._case import Case


MAX_TEXT_FILE = 64 * 2**20
"""The largest document text file read by default, in bytes (64 MiB; see ``Limits.max_text_file``)."""

_CHUNK = 2**20
"""What a bounded read asks for at a time once past the size the file was said to have."""

_NOT_THERE = (errno.ENOENT, errno.ENOTDIR)
"""Errors that mean a file is not in a folder, so the next folder is looked in."""


def read_bounded(f: IO[bytes], most: int, expect: int = _CHUNK) -> bytearray:
    """Read *f* to its end or to one byte past *most*, whichever comes first.

    The buffer is allocated for *expect* bytes (what ``fstat`` says a file holds; a chunk for
    a stream) and grows a chunk at a time only if more comes, so a small file costs little,
    and a big one is never held twice, as reading pieces and joining them would.
    """
    buf = bytearray(min(max(expect, 0), most) + 1)
    n = 0
    while True:
        if n == len(buf):
            if n > most:
                break
            buf.extend(bytes(min(_CHUNK, most + 1 - n)))
        with memoryview(buf) as view, view[n:] as rest:
            got = f.readinto(rest)  # type: ignore[attr-defined]
        if not got:
            break
        n += got
    del buf[n:]
    return buf


_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a FIFO (a named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def file_kind(mode: int) -> str | None:
    """What a file of *mode* is, in words, if it is not a regular file; ``None`` if it is."""
    if stat.S_ISREG(mode):
        return None
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


@attrs.frozen
class _Read:
    """What became of a document's ``text_file``: its text, its bytes, or what went wrong."""

    text: str | None = None
    data: bytes | bytearray = b""
    problem: Problem | None = None
    path: Path | None = None


def text_of(case: Case, doc: Document) -> str | None:
    """The full text of *doc*, inline or from its ``text_file``; ``None`` if unknown or refused."""
    if doc.text is not None:
        return doc.text
    cache = case._text_cache  # noqa: SLF001 - the case's own cache of what was read
    if doc.id not in cache:
        cache[doc.id] = _read_text_file(case, doc).text
    return cache[doc.id]


def text_folders(case: Case) -> list[Path]:
    """The folders searched for text files, first to last: ``text_dirs``, then the case's own."""
    base = [case.path.parent] if case.path else []
    return [*case.text_dirs, *base]


def _locate(case: Case, doc: Document) -> tuple[Path | None, Problem | None]:  # noqa: PLR0911 - each way a name can fail, worded
    """The resolved path of *doc*'s text file, or the problem that keeps it from being read.

    The first folder holding the name wins. A name that resolves outside every folder is
    refused whether or not the file exists, so that the answer tells nothing of the disk.
    """
    here = place_of("documents", doc.id, "text_file")
    name = doc.text_file
    if name is None:
        return None, None
    if Path(name).is_absolute():
        return None, None  # an error of the record itself (see _integrity)
    folders = text_folders(case)
    try:
        roots = [f.resolve() for f in folders]
        for folder in folders:
            candidate = (folder / name).resolve()
            if not any(candidate.is_relative_to(root) for root in roots):
                msg = (
                    f"'{name}' lies outside the case's folder and the text folders "
                    "(after '..' and links are followed); it is not read"
                )
                return None, Problem(here, msg)
            try:
                mode = candidate.stat().st_mode
            except OSError as e:
                if e.errno in _NOT_THERE:
                    continue
                raise
            kind = file_kind(mode)
            if kind is not None:
                return None, Problem(here, f"'{candidate}' is {kind}, not a text file")
            return candidate, None
    except (OSError, RuntimeError) as e:  # a link loop is a RuntimeError from resolve()
        reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        return None, Problem(here, f"'{name}' cannot be read: {reason}")
    except ValueError as e:  # a NUL character: no file is named so
        return None, Problem(here, f"'{name}' is not a usable file name: {e}")
    looked = ", ".join(str(f) for f in folders) or "no folder"
    msg = f"'{name}' not found (looked in {looked}); its quotes are not verified"
    return None, warning(here, msg)


def _read_text_file(case: Case, doc: Document) -> _Read:  # noqa: PLR0911 - each way a file can fail, worded
    """Find and read *doc*'s text file within the case's folders and limit."""
    path, problem = _locate(case, doc)
    if path is None:
        return _Read(problem=problem)
    here = place_of("documents", doc.id, "text_file")
    most = case._text_file_limit  # noqa: SLF001 - the limit the case was loaded with
    try:
        # O_NONBLOCK: should the file have become a FIFO since it was looked at, opening
        # it does not wait for a writer; fstat below then refuses it
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb", buffering=0) as f:
            info = os.fstat(f.fileno())
            kind = file_kind(info.st_mode)
            if kind is not None:
                return _Read(problem=Problem(here, f"'{path}' is {kind}, not a text file"))
            if info.st_size > most:
                return _Read(problem=Problem(here, _too_big(path, info.st_size, most)))
            data = read_bounded(f, most, info.st_size)
    except OSError as e:
        return _Read(problem=Problem(here, f"'{path}' cannot be read: {e.strerror or e}"))
    if len(data) > most:  # it grew while being read
        return _Read(problem=Problem(here, _too_big(path, None, most)))
    try:
        return _Read(data.decode("utf-8"), data, None, path)
    except UnicodeDecodeError as e:
        return _Read(None, data, Problem(here, f"'{path}' is not UTF-8 text (byte {e.start})"))


def _too_big(path: Path, size: int | None, most: int) -> str:
    what = f"{size:,} bytes" if size is not None else "more bytes"
    return (
        f"'{path}' holds {what} than a text file may (the limit is {most:,}; see "
        "Limits.max_text_file); it is not read"
    )


def anchor(case: Case, att: Attribution) -> Anchor | None:
    """Locate the quote of *att* in its document's text; see :meth:`Case.anchor`."""
    documents = case._documents  # noqa: SLF001
    if att.quote is None or att.document is None or att.document not in documents:
        return None
    text = text_of(case, documents[att.document])
    if text is None:
        return None
    return locate(text, att.quote, att.prefix, att.suffix)


_QUOTE = operator.attrgetter("quote")


def text_problems(case: Case) -> list[Problem]:
    """Check each document's text (found, readable, unchanged since hashed) and each quote's anchor."""
    out: list[Problem] = []
    for doc in case._documents.values():  # noqa: SLF001
        data: bytes | bytearray
        if doc.text is not None:
            data = doc.text.encode()
        elif doc.text_file is not None:
            read = _read_text_file(case, doc)
            case._text_cache[doc.id] = read.text  # noqa: SLF001 - read once, for the anchors below
            if read.problem is not None:
                out.append(read.problem)
            if read.text is None:
                continue
            data = read.data
        else:
            continue
        if doc.sha256 and hashlib.sha256(data).hexdigest() != doc.sha256:
            out.append(
                Problem(
                    place_of("documents", doc.id, "sha256"),
                    "the text has changed since its hash was recorded; check its quotes, then record the new hash",
                )
            )
    atts = case._attributions  # noqa: SLF001
    # only a quote has an anchor to find: the others are passed over a column at a time
    for i in itertools.compress(range(len(atts)), map(_QUOTE, atts)):
        att = atts[i]
        found_at = anchor(case, att)
        if found_at is None or found_at.found:
            continue
        if found_at.status is AnchorStatus.AMBIGUOUS:
            msg = f"the quote occurs {found_at.occurrences} times in document '{att.document}'; add a 'prefix' or 'suffix' to say which"
        else:
            msg = f"the quote is not in the text of document '{att.document}' (orphaned): {_short(att.quote)}"
        out.append(warning(place_of("attributions", i, "quote"), msg))
    return out


def _short(text: str | None, limit: int = 60) -> str:
    text = text or ""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
