"""Writing files: regular files are replaced whole or not at all; anything else is written to.

:func:`atomic_file` writes the new content to a temporary file beside the target, flushes
it to disk and renames it over the target; the folder is then synced so that the rename
itself survives a crash. A symbolic link is followed: the file it points to is replaced
and the link stays. Only a regular file (or a new path) is ever replaced: a FIFO, a
device or a folder is refused, so that no write can swap ``/dev/null`` for a file.

:func:`output_file` is what a command's ``-o`` uses: it replaces regular files as above,
and streams to anything else that can be written to (a FIFO, a terminal, a device,
``/dev/stdout`` or ``/dev/fd/N``): it opens it for writing, without creating or
truncating it, as a shell's ``>`` would, and never replaces it.

A new file gets the mode ``0o666`` less the process's umask, as any other new file
would; a replaced file keeps its permission bits (and, where the writer may, its owner).

Temporary files are named ``.NAME.HOST-PID-RANDOM.claimtrack-tmp``, where HOST is a
short hash of the machine's name and PID the writer's process id, so that a writer
killed before it could clean up (``kill -9``, a power cut) leaves a file the next write
can recognise. Each atomic write first removes the leftovers of earlier writes to the
same target that belong to the same user and whose writer is gone: written on this
machine by a process that no longer exists, or not modified for :data:`STALE_AFTER`
seconds (which covers other machines sharing the folder, and process ids reused since).
A live writer on this machine is left alone unless it wrote nothing for that long.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import secrets
import socket
import stat
import time

from collections.abc import Iterator
from pathlib import Path
from typing import IO

from claimtrack.errors import CaseFileError, Problem


__all__ = ["STALE_AFTER", "TEMP_SUFFIX", "atomic_file", "atomic_write", "output_file"]

TEMP_SUFFIX = ".claimtrack-tmp"
"""How the name of every temporary file ends."""

STALE_AFTER = 3600.0
"""Seconds after which an unmodified temporary file is taken as left by a writer that is gone."""

_NAME_BYTES = 100
"""The most bytes of the target's name that a temporary name repeats: names are limited to 255."""

_TEMP_TAIL = re.compile(r"([0-9a-f]{8})-([0-9]+)-[0-9a-f]{12}" + re.escape(TEMP_SUFFIX))
# descriptor paths name a file this process already has open; writing to them means
# writing to that descriptor, wherever it points (a pipe, a terminal, a file opened with >>)
_DESCRIPTOR = re.compile(r"/dev/fd/([0-9]+)|/proc/self/fd/([0-9]+)")
_STANDARD = {"/dev/stdout": 1, "/dev/stderr": 2}


def atomic_write(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace *path* with *data* so that readers see the old file or the new, never a mix.

    Raises:
        CaseFileError: The file cannot be written; the old file, if any, is left as it was.
    """
    with atomic_file(path) as out:
        out.write(data)


@contextlib.contextmanager
def atomic_file(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """A file to write *path*'s new content to, a piece at a time; it replaces *path* at the end.

    Until the block ends without an exception, *path* is untouched; then the new content
    takes its place whole. If the block fails, the partial content is thrown away. A
    symbolic link is followed, and the file it points to replaced.

    Raises:
        CaseFileError: The file cannot be written, or *path* is not a regular file (a
            folder, a FIFO, a device); the old file, if any, is left as it was.
    """
    name = os.fspath(path)
    try:
        # realpath follows links, so the file they point to is replaced and they stay
        target = Path(os.path.realpath(name))
        try:
            old: os.stat_result | None = target.stat()
        except FileNotFoundError:
            old = None
        if old is not None and not stat.S_ISREG(old.st_mode):
            raise _refusal(name, f"is {_kind(old.st_mode)}, not a regular file; it is not replaced")
        folder = target.parent
        _remove_leftovers(folder, target.name)
        fd, created = _create_temporary(folder, target.name)
        tmp: Path | None = created
        try:
            with os.fdopen(fd, "wb") as out:
                yield out
                out.flush()
                _set_owner_and_mode(out.fileno(), created, old)
                os.fsync(out.fileno())
            created.replace(target)
            tmp = None
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    tmp.unlink()
        _sync_folder(folder)
    except OSError as e:
        raise _failure(name, e) from None


@contextlib.contextmanager
def output_file(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """A file to write to *path*: a regular file is replaced atomically, anything else written to.

    A new path or a regular file (or a link to one) is written with :func:`atomic_file`.
    A FIFO, a terminal or another device, ``/dev/stdout``, ``/dev/stderr`` and
    ``/dev/fd/N`` are opened for writing and written in place, never replaced, created
    or truncated. A broken pipe is raised as :class:`BrokenPipeError`, as for standard
    output, so a reader that stops early is not an error.

    Raises:
        CaseFileError: *path* is a folder or cannot be opened or written.
    """
    name = os.fspath(path)
    try:
        fd = _open_in_place(name)
    except OSError as e:
        raise _failure(name, e) from None
    if fd is None:
        with atomic_file(name) as out:
            yield out
        return
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
    except BrokenPipeError:
        raise
    except OSError as e:
        raise _failure(name, e) from None


def _open_in_place(name: str) -> int | None:
    """A descriptor to write to *name* in place, or None if *name* is to be replaced atomically."""
    fd = _open_descriptor(name)
    if fd is not None:
        return fd
    try:
        found = Path(name).stat()
    except FileNotFoundError:
        return None
    if stat.S_ISDIR(found.st_mode):
        raise _refusal(name, "is a folder; name a file in it")
    if stat.S_ISREG(found.st_mode):
        return None
    fd = os.open(name, os.O_WRONLY | _O_NOCTTY | _O_CLOEXEC)
    try:
        regular = stat.S_ISREG(os.fstat(fd).st_mode)
    except OSError:
        os.close(fd)
        raise
    if regular:  # it became a regular file since the stat: it is replaced after all
        os.close(fd)
        return None
    return fd


def _open_descriptor(name: str) -> int | None:
    """A new descriptor for what *name* names if it is one of this process's descriptors."""
    # abspath, not resolve: /dev/stdout is itself a link, and it is its name that tells
    absolute = os.path.abspath(name)  # noqa: PTH100
    number = _STANDARD.get(absolute)
    if number is None:
        match = _DESCRIPTOR.fullmatch(absolute)
        if match is None:
            return None
        number = int(match.group(1) or match.group(2))
    return os.dup(number)


_O_NOCTTY = getattr(os, "O_NOCTTY", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)


def _create_temporary(folder: Path, name: str) -> tuple[int, Path]:
    """A new, private temporary file beside the target, named so a later write knows it."""
    stem = os.fsdecode(os.fsencode(name)[:_NAME_BYTES])
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_CLOEXEC | _O_BINARY
    for _ in range(100):
        tmp = folder / f".{stem}.{_host()}-{os.getpid()}-{secrets.token_hex(6)}{TEMP_SUFFIX}"
        try:
            return os.open(tmp, flags, 0o600), tmp
        except FileExistsError:
            continue
    msg = "no free name for a temporary file"
    raise FileExistsError(msg)


def _set_owner_and_mode(fd: int, tmp: Path, old: os.stat_result | None) -> None:
    """Give the new file the old one's owner and permissions, or a new file's mode under the umask.

    Failures are ignored: some file systems have no owners or modes to set, and a file
    that is written with the writer's own owner is still written.
    """
    if old is None:
        mode = 0o666 & ~_umask()
    else:
        # the permission bits only: new content is never made set-user-id by accident
        mode = stat.S_IMODE(old.st_mode) & 0o777
        if hasattr(os, "fchown") and (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
            with contextlib.suppress(OSError):
                os.fchown(fd, old.st_uid, old.st_gid)
    with contextlib.suppress(OSError, NotImplementedError):
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        else:  # Windows
            tmp.chmod(mode)


@functools.cache
def _umask() -> int:
    """The process's umask, read once.

    Linux shows it in /proc; elsewhere it can only be read by setting it, which is
    done and undone at once (a file another thread creates in between would miss it).
    """
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@functools.cache
def _host() -> str:
    """A short, file-name-safe tag for this machine, so leftovers of others are told apart."""
    return hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


def _remove_leftovers(folder: Path, name: str) -> None:
    """Remove the temporary files earlier writes to *name* left behind, once their writer is gone."""
    prefix = "." + os.fsdecode(os.fsencode(name)[:_NAME_BYTES]) + "."
    now = time.time()
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if not entry.name.startswith(prefix) or not entry.name.endswith(TEMP_SUFFIX):
                continue
            match = _TEMP_TAIL.fullmatch(entry.name, len(prefix))
            if match is None:
                continue
            with contextlib.suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                mine = not hasattr(os, "geteuid") or info.st_uid == os.geteuid()
                gone = now - info.st_mtime > STALE_AFTER or (
                    match.group(1) == _host() and not _running(int(match.group(2)))
                )
                if stat.S_ISREG(info.st_mode) and mine and gone:
                    Path(entry.path).unlink()


def _running(pid: int) -> bool:
    """Whether a process *pid* exists on this machine; where that cannot be asked, assume it does."""
    if os.name != "posix":
        return True  # os.kill(pid, 0) would terminate the process on Windows
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, but belongs to someone else
    return True


def _kind(mode: int) -> str:
    """What a file of *mode* is, in words."""
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((what for test, what in kinds if test(mode)), "not a regular file")


def _refusal(name: str, message: str) -> CaseFileError:
    return CaseFileError([Problem("", message, file=name)])


def _failure(name: str, error: OSError) -> CaseFileError:
    return _refusal(name, f"cannot be written: {error.strerror or error}")


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; some systems cannot open a folder, and that is fine."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
