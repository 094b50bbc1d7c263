"""Case files: load and save a case, by path, stream or text, in YAML or JSON.

Loading reads the file within its :class:`Limits`, then builds the case in bulk when the data
is well formed and record by record, wording every problem, when it is not. Saving refuses an
invalid case, and a file someone changed since it was loaded, and replaces the file atomically.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys

from pathlib import Path
from typing import IO

import attrs
import yaml

from claimtrack._gc import gc_paused
from claimtrack._text import YamlEscapes, json_text
from claimtrack.errors import CaseFileError, IntegrityError, Problem
from claimtrack.files._atomic import atomic_write
from claimtrack.files._bulk import build, quick_json
from claimtrack.files._parsing import (
    DEFAULT_LIMITS,
    Limits,
    parse_json,
    parse_yaml,
    refuse_json_items,
)
from claimtrack.files._reading import case_from_data, case_to_data, surrogate_problems
from claimtrack.files._rows import case_from_frames, case_from_rows, rows_of
from claimtrack.model._case import Case
from claimtrack.model._surrogates import surrogate_problem
from claimtrack.model._texts import file_kind, read_bounded


def _known_format(format: str, file: str | None = None) -> str:  # noqa: A002
    fmt = format.lower()
    if fmt not in ("yaml", "json"):
        msg = f"unknown format '{format}': case files are yaml or json"
        raise CaseFileError([Problem("", msg, file=file)])
    return fmt


def format_of(path: str | Path, format: str | None = None) -> str:  # noqa: A002
    """The format of a case file: *format* if given, else by the suffix of *path*."""
    if format is not None:
        fmt = format.lower()
    else:
        suffix = Path(str(path)).suffix.lower()
        fmt = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}.get(suffix, "")
        if str(path) == "-":
            fmt = "yaml"
    if fmt not in ("yaml", "json"):
        msg = f"cannot tell the format of '{path}': use a .yaml, .yml or .json file, or give the format"
        raise CaseFileError([Problem("", msg, file=str(path))])
    return fmt


def load(
    path: str | Path | IO[str] | IO[bytes],
    *,
    format: str | None = None,  # noqa: A002
    texts: str | Path | list[str | Path] | None = None,
    validate: bool = True,
    limits: Limits = DEFAULT_LIMITS,
) -> Case:
    """Load a case file (YAML or JSON, by suffix; ``-`` is standard input), or a Parquet dataset folder.

    Args:
        path: The file, ``-`` for standard input, or an open file.
        format: ``yaml`` or ``json``, when the suffix does not say.
        texts: Folders to look in for documents' ``text_file`` before the case file's own.
        validate: Refuse a case whose records do not fit together (the default).
        limits: The most a file may hold; see :class:`Limits`.

    Raises:
        CaseFileError: The file is missing, unreadable, past the limits, or not of the
            case-file shape.
        IntegrityError: The records do not fit together (unknown ids, loops, dates).
    """
    if isinstance(path, str | Path) and str(path) != "-" and Path(path).is_dir():
        from claimtrack.files._parquet import is_dataset, load_dataset  # noqa: PLC0415 - needs pyarrow

        if is_dataset(path):  # a Parquet dataset folder
            return load_dataset(path, texts=texts, validate=validate, limits=limits)
    name, raw, stamp = _read(path, limits)
    fmt = (
        format_of(path, format)
        if isinstance(path, str | Path)
        else _known_format(format or "yaml", name)
    )
    with gc_paused():
        case, checked = _read_case(raw, fmt, name, limits)
    case._text_file_limit = limits.max_text_file  # noqa: SLF001 - read by its text files
    if isinstance(path, str | Path) and str(path) != "-":
        case.path = Path(path)
        case._disk = stamp  # noqa: SLF001 - the case's own record of the file, kept by I/O
    if texts is not None:
        case.text_dirs = tuple(Path(t) for t in (texts if isinstance(texts, list) else [texts]))
    if validate and not checked:
        errors = [p for p in case.validate(texts=False) if p.is_error]
        if errors:
            raise IntegrityError([attrs.evolve(p, file=name) for p in errors])
    return case


def _read_case(raw: str, fmt: str, name: str, limits: Limits) -> tuple[Case, bool]:
    """Read a case from *raw*: in bulk when the data is well formed, else record by record.

    JSON past the limit on values is refused before it is parsed. Then it is parsed at the
    decoder's speed (refusing duplicate keys as the strict parse does) and built in bulk;
    when that is refused, the strict parse is built in bulk once more, since the quick one
    gives up on what it need not prove (a text past the limit), before the detailed path,
    which words every problem, is taken.

    A lone surrogate (which reaches parsed text through an escape only: UTF-8 holds none)
    is refused by the bulk build as records refuse it; then, if the text holds such an
    escape, every string and key of the strict parse is checked, and each one holding a
    surrogate is a problem at its place, before anything else is built or checked.

    Returns:
        The case, and whether it was built in bulk, its records checked to fit together.
    """
    if fmt == "json":
        refuse_json_items(raw, limits, name)
    quick = quick_json(raw, limits.max_digits) if fmt == "json" else None
    if quick is not None:
        case = build(quick[0], limits.max_text)  # which refuses a lone surrogate, as records do
        if case is not None:
            return case, True
    data = (parse_yaml if fmt == "yaml" else parse_json)(raw, file=name, limits=limits)
    if _may_hold_surrogates(raw, fmt):
        problems = surrogate_problems(data, name)
        if problems:
            raise CaseFileError(problems)
    case = build(data, limits.max_text)
    if case is not None:
        return case, True
    return case_from_data(data, file=name), False


# A lone surrogate reaches parsed text only through an escape (text read from UTF-8 holds
# none): JSON's \ud800 unpaired (a pair becomes one character), YAML's \ud800 or \U0000d800
# (YAML joins no pairs). Only text holding one is checked string by string.
_JSON_LONE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)
_YAML_SURROGATE = re.compile(r"\\(?:u|U0000)[dD][89a-fA-F]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _may_hold_surrogates(raw: str, fmt: str) -> bool:
    """Whether the parsed *raw* may hold a lone surrogate; ``False`` is certain."""
    if fmt == "json":
        if "\\ud" not in raw and "\\uD" not in raw:  # the usual answer, at memory speed
            return False
        return _JSON_LONE.search(raw) is not None
    if "\\u" not in raw and "\\U" not in raw:
        return False
    return _YAML_SURROGATE.search(raw) is not None


Stamp = tuple[int, int, int]
"""What tells a file apart from its later versions: size, modification time and inode."""


def _stamp(stat: os.stat_result) -> Stamp:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def _read(path: str | Path | IO[str] | IO[bytes], limits: Limits) -> tuple[str, str, Stamp | None]:
    """The name, text and stamp of a case file, read within ``limits.max_bytes``.

    A file is looked at before it is opened: a folder, FIFO, device or socket is refused
    unopened (opening a FIFO waits for a writer; a device may never end), as is a file
    larger than the limit. Whatever is read, a file or a stream, is read in one buffer
    up to one byte past the limit, never held twice.
    """
    stamp = None
    most = limits.max_bytes
    raw: str | bytes | bytearray
    if not isinstance(path, str | Path):
        name = str(getattr(path, "name", "<stream>"))
        if isinstance(path, io.TextIOBase) or not hasattr(path, "readinto"):
            raw = path.read(most + 1)
        else:
            raw = read_bounded(path, most, _size_left(path))  # type: ignore[arg-type]
    elif str(path) == "-":
        name, raw = "<stdin>", read_bounded(sys.stdin.buffer, most, _size_left(sys.stdin.buffer))
    else:
        name = str(path)
        raw, stamp = _read_file(path, name, most, limits)
    if len(raw) > most:
        raise CaseFileError([Problem("", _too_big(None, limits), file=name)])
    if isinstance(raw, str):
        _refuse_lone_surrogate(raw, name)
        return name, raw, stamp
    try:
        return name, raw.decode("utf-8-sig"), stamp
    except UnicodeDecodeError as e:
        raise CaseFileError([Problem(f"byte {e.start}", "not UTF-8 text", file=name)]) from None


def _read_file(path: str | Path, name: str, most: int, limits: Limits) -> tuple[bytearray, Stamp]:
    """The bytes of the case file *path* and its stamp; every way it can fail, worded."""

    def refuse(message: str) -> CaseFileError:
        return CaseFileError([Problem("", message, file=name)])

    try:
        kind = file_kind(Path(path).stat().st_mode)
        if kind is not None:
            raise refuse(f"is {kind}, not a case file")
        # not waiting on a FIFO put in the file's place since: fstat then refuses it
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb", buffering=0) as f:
            info = os.fstat(f.fileno())
            kind = file_kind(info.st_mode)
            if kind is not None:
                raise refuse(f"is {kind}, not a case file")
            stamp = _stamp(info)
            if stamp[0] > most:
                raise refuse(_too_big(stamp[0], limits))
            # a buffer the size of the file, not of the limit: it would be allocated up front
            return read_bounded(f, most, stamp[0]), stamp
    except (FileNotFoundError, NotADirectoryError):
        raise refuse("no such file") from None
    except IsADirectoryError:
        raise refuse("is a folder, not a case file") from None
    except OSError as e:
        raise refuse(f"cannot be read: {e.strerror or e}") from None
    except ValueError as e:  # a NUL character in the name
        raise refuse(f"not a usable file name: {e}") from None


def _size_left(stream: IO[bytes]) -> int:
    """What is left to read of *stream*, if it can tell (an open file, bytes in memory); else a guess."""
    try:
        if isinstance(stream, io.BytesIO):
            return stream.getbuffer().nbytes - stream.tell()
        return os.fstat(stream.fileno()).st_size - stream.tell()
    except (OSError, ValueError, AttributeError):  # a pipe, a socket, a stream of another kind
        return 2**20


def _refuse_lone_surrogate(text: str, name: str) -> None:
    """Refuse *text*, given as ``str``, if it holds a lone surrogate, with its line and column."""
    wrong = surrogate_problem(text)
    if wrong is None:
        return
    found = _SURROGATE.search(text)
    at = found.start() if found else 0
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    raise CaseFileError([Problem(f"line {line}, column {column}", wrong, file=name)])


def _too_big(size: int | None, limits: Limits) -> str:
    what = f"{size:,} bytes" if size is not None else "more bytes"
    return f"{what} than a case file may hold (the limit is {limits.max_bytes:,}; see Limits)"


class _Dumper(YamlEscapes, yaml.SafeDumper):
    """Writes ISO dates without quotes; quotes everything YAML 1.1 readers might misread."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        """Indent list items under their key, so that only section names start a line."""
        del indentless
        super().increase_indent(flow, False)  # noqa: FBT003


_Dumper.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}


_YAML_BREAKS = "\r\x85\u2028\u2029"  # line breaks to YAML 1.1 besides \n; only "..." keeps them


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style: str | None = None
    if any(c in value for c in _YAML_BREAKS):
        style = '"'
    elif "\n" in value and value == value.strip(" "):
        style = "|"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dumps(case: Case, format: str = "yaml") -> str:  # noqa: A002
    """The text of *case* as a case file, in ``yaml`` or ``json``."""
    format = _known_format(format)  # noqa: A001
    data = case_to_data(case)
    if format == "json":
        return json_text(data) + "\n"
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def save(
    case: Case,
    path: str | Path,
    *,
    format: str | None = None,  # noqa: A002
    force: bool = False,
) -> None:
    """Write *case* to *path* atomically; see :meth:`Case.save`."""
    fmt = format_of(path, format)
    errors = [p for p in case.validate(texts=False) if p.is_error]
    if errors:
        raise IntegrityError(errors)
    text = dumps(case, fmt)
    if str(path) == "-":
        sys.stdout.write(text)
        return
    target = Path(path)
    if not force:
        _refuse_if_changed(case, target)
    atomic_write(target, text.encode())
    case.path = target
    with contextlib.suppress(OSError):
        case._disk = _stamp(target.stat())  # noqa: SLF001 - the case's own record of the file


def _refuse_if_changed(case: Case, target: Path) -> None:
    """Refuse to overwrite the case's own file when someone changed it after it was read."""
    seen = case._disk  # noqa: SLF001
    if seen is None or case.path is None:
        return
    try:
        same_file = target.resolve() == case.path.resolve()
        now = _stamp(target.stat()) if same_file else seen
    except OSError:
        return  # gone or unreadable: there is nothing of someone else's to overwrite
    if now != seen:
        msg = (
            "changed on disk since this case was loaded; saving would lose those changes. "
            "Load it again, or save with force=True to overwrite them"
        )
        raise CaseFileError([Problem("", msg, file=str(target))])


def loads(
    text: str | bytes,
    format: str = "yaml",  # noqa: A002
    *,
    file: str = "<string>",
    limits: Limits = DEFAULT_LIMITS,
) -> Case:
    """Read a case from the text of a case file; see :func:`load`."""
    return load(_Named(text, file), format=format, limits=limits)


class _Named(io.BytesIO):
    def __init__(self, text: str | bytes, name: str) -> None:
        data: bytes
        if isinstance(text, str):
            try:
                data = text.encode()
            except UnicodeEncodeError:  # a lone surrogate, which no bytes can hold
                _refuse_lone_surrogate(text, name)
                raise
        else:
            data = text
        super().__init__(data)
        self.name = name


# the bulk builders of Case reach files through this module, as loading and saving do
__all__ = [
    "case_from_frames",
    "case_from_rows",
    "dumps",
    "format_of",
    "load",
    "loads",
    "rows_of",
    "save",
]
