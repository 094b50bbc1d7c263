"""Parquet datasets: a folder with one Parquet table per kind of record and a manifest.

A dataset holds ``sources``, ``documents``, ``evidence``, ``questions``, ``claims``,
``attributions`` and ``relations``, each a ``<kind>.parquet`` table with one row per
record, and ``claimtrack.json``, the manifest: the dataset's format version, the case's
title and description, and each table's row count.

Columns have Arrow types: ids and references are dictionary-encoded text, enums too (the
Admiralty credibility is a small integer), flags are booleans, lists of ids are lists of
text, dates are a struct of their ISO text and their precision (``year``, ``month``,
``day``, ``time``), a claim's value is a struct of the count's forms and ties between
sources a list of structs.

Tables are read a column at a time (a dictionary column through its dictionary), each
cell turned back into what a case file holds for its field, and read by the very code that
reads case files: the attributions, as columns, by the bulk loader
(:func:`~claimtrack.files._bulk.build_columns`, as :meth:`Case.from_records` reads its
columns), the other tables as a file's sections; and, when that cannot prove the case
valid, as a file's rows by :func:`~claimtrack.files._reading.case_from_data`, which words
what is wrong. So each rule is written once. A problem is placed at its table, row
(counted from 0) and column:
``DIR: claims, row 4, column value.at_least: expected a whole number``.
"""

from __future__ import annotations

import enum
import json
import os
import re
import types
import typing

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from claimtrack._gc import gc_paused
from claimtrack.errors import CaseFileError, IntegrityError, Problem
from claimtrack.files._bulk import build_columns
from claimtrack.files._converter import describe
from claimtrack.files._parsing import DEFAULT_LIMITS, Limits
from claimtrack.files._reading import FORMAT_VERSION, case_from_data, case_to_data
from claimtrack.files._rows import attribution_columns, records_of
from claimtrack.model._case import SECTIONS, Case
from claimtrack.model._places import place_of
from claimtrack.model._records import (
    Affiliation,
    Attribution,
    Claim,
    Document,
    Evidence,
    Question,
    Relation,
    Source,
)
from claimtrack.model._values import Count


MANIFEST = "claimtrack.json"
"""The manifest's name in a dataset folder."""

DATASET_VERSION = 1
"""The dataset format this version of claimtrack reads and writes."""

ROW_GROUP = 65_536
"""Rows per row group written: the most of a table a Dask worker reads at a time."""

TABLES: dict[str, type] = {
    "sources": Source,
    "documents": Document,
    "evidence": Evidence,
    "questions": Question,
    "claims": Claim,
    "attributions": Attribution,
    "relations": Relation,
}
"""Each table of a dataset and the record of its rows, in the order they are written."""

KEYED = frozenset(SECTIONS.values())
"""The tables whose rows a case file keeps in a mapping under their ids."""

_REFERENCES = frozenset(
    {"id", "publisher", "claim", "source", "question", "document", "by", "withdraws"}
)
_NEEDS = 'Parquet datasets need pyarrow: pip install "claimtrack[dask]"'


def is_dataset(path: str | Path) -> bool:
    """Whether *path* is a dataset folder: a folder holding a manifest."""
    return Path(path).is_dir() and (Path(path) / MANIFEST).is_file()


def arrow() -> Any:
    """``pyarrow`` with its Parquet module, or an error naming the extra that brings it."""
    return _arrow()


def _arrow() -> Any:
    try:
        import pyarrow as pa  # type: ignore[import-untyped] # noqa: PLC0415 - an optional dependency
        import pyarrow.parquet  # type: ignore[import-untyped] # noqa: PLC0415
    except ModuleNotFoundError:
        raise ModuleNotFoundError(_NEEDS) from None
    return pa


# ---- the columns ---------------------------------------------------------------------------

_Kind = str  # ref, enum, int-enum, text, bool, moment, ids, ties, count


def _kind(name: str, type_: object) -> _Kind:
    """How a record's field is kept in a column, from its type."""
    args = [a for a in typing.get_args(type_) if a is not type(None)]
    base = args[0] if isinstance(type_, types.UnionType) and len(args) == 1 else type_
    if isinstance(base, type) and issubclass(base, enum.Enum):
        return "int-enum" if all(type(m.value) is int for m in base) else "enum"
    if base is str:
        return "ref" if name in _REFERENCES else "text"
    if base is bool:
        return "bool"
    if base is Count:
        return "count"
    if typing.get_origin(base) is tuple:
        return "ties" if typing.get_args(base)[0] is Affiliation else "ids"
    if isinstance(type_, types.UnionType) and {"date", "Period"} <= {
        getattr(a, "__name__", "") for a in args
    }:
        return "moment"
    msg = f"no column kind for the field {name!r} of type {type_!r}"
    raise TypeError(msg)


def _columns(cls: type) -> dict[str, _Kind]:
    attrs.resolve_types(cls)
    return {f.name: _kind(f.name, f.type) for f in attrs.fields(cls)}


COLUMNS: dict[str, dict[str, _Kind]] = {t: _columns(c) for t, c in TABLES.items()}
"""Each table's columns and how each is kept; every field of every record has one."""


def _moment_type(pa: Any) -> Any:
    return pa.struct([("text", pa.string()), ("precision", pa.dictionary(pa.int8(), pa.string()))])


def _arrow_type(pa: Any, kind: _Kind) -> Any:
    ref = pa.dictionary(pa.int32(), pa.string())
    moment = _moment_type(pa)
    return {
        "ref": ref,
        "enum": pa.dictionary(pa.int8(), pa.string()),
        "int-enum": pa.int8(),
        "text": pa.string(),
        "bool": pa.bool_(),
        "moment": moment,
        "ids": pa.list_(pa.string()),
        "ties": pa.list_(pa.struct([("source", pa.string()), ("from", moment), ("to", moment)])),
        "count": pa.struct(
            [
                ("exactly", pa.int64()),
                ("at_least", pa.int64()),
                ("at_most", pa.int64()),
                ("between", pa.list_(pa.int64())),
                ("about", pa.int64()),
                ("tolerance", pa.float64()),
                ("unit", pa.string()),
            ]
        ),
    }[kind]


def schema(table: str) -> Any:
    """The Arrow schema of one of a dataset's tables."""
    pa = _arrow()
    return pa.schema([pa.field(n, _arrow_type(pa, k)) for n, k in COLUMNS[table].items()])


def _precision(text: str) -> str:
    return {4: "year", 7: "month", 10: "day"}.get(len(text), "time")


def _moment_cell(text: str | None) -> dict[str, str] | None:
    return None if text is None else {"text": text, "precision": _precision(text)}


def _to_cell(kind: _Kind, value: Any) -> Any:
    """A field's value, as the case file writes it, as a cell of its column."""
    if value is None:
        return None
    if kind == "moment":
        return _moment_cell(value)
    if kind == "ids":
        return list(value)
    if kind == "ties":
        ties = [value] if isinstance(value, str | Mapping) else value
        return [
            {"source": t, "from": None, "to": None}
            if isinstance(t, str)
            else {
                "source": t["source"],
                "from": _moment_cell(t.get("from")),
                "to": _moment_cell(t.get("to")),
            }
            for t in ties
        ]
    if kind == "count":
        about = value.get("about")
        return {
            **value,
            "about": about["value"] if isinstance(about, Mapping) else about,
            "tolerance": about["tolerance"] if isinstance(about, Mapping) else None,
        }
    return value


def _from_moment(cell: Any) -> Any:
    return cell["text"] if isinstance(cell, Mapping) and "text" in cell else cell


def _from_cell(kind: _Kind, cell: Any) -> Any:
    """A cell read back into the value a case file holds for its field."""
    if kind == "moment":
        return _from_moment(cell)
    if kind == "ties" and isinstance(cell, list):
        out = []
        for t in cell:
            if isinstance(t, Mapping):
                tie = {k: _from_moment(v) for k, v in t.items() if v is not None}
                out.append(tie["source"] if list(tie) == ["source"] else tie)
            else:
                out.append(t)
        return out
    if kind == "count" and isinstance(cell, Mapping):
        found = {k: v for k, v in cell.items() if v is not None}
        tolerance = found.pop("tolerance", None)
        if tolerance is not None and "about" in found:
            found["about"] = {"value": found["about"], "tolerance": tolerance}
        elif tolerance is not None:
            found["tolerance"] = tolerance  # refused as an unknown key, at its place
        return found
    return cell


# ---- writing -------------------------------------------------------------------------------


def dump_dataset(case: Case, path: str | Path) -> dict[str, int]:
    """Write *case* to the dataset folder *path*; return each table's row count.

    The folder is made if missing; one that holds files but no manifest is refused, so
    that nothing else is overwritten. The manifest is written last, each file atomically.

    Raises:
        CaseFileError: The folder cannot be written, or a value has no Parquet form (a
            count past 64 bits).
        IntegrityError: The case is not valid.
    """
    pa = _arrow()
    errors = [p for p in case.validate(texts=False) if p.is_error]
    if errors:
        raise IntegrityError(errors)
    folder = Path(path)
    name = str(folder)

    def refuse(message: str, place: str = "") -> CaseFileError:
        return CaseFileError([Problem(place, message, file=name)])

    if folder.exists() and not folder.is_dir():
        raise refuse("exists and is not a folder; a dataset is a folder")
    if folder.is_dir() and any(folder.iterdir()) and not is_dataset(folder):
        raise refuse("holds files but no claimtrack.json; give an empty or new folder")
    data = case_to_data(case)
    counts: dict[str, int] = {}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for table in COLUMNS:
            try:
                arrow = arrow_table(table, data.get(table))
            except (pa.ArrowException, OverflowError) as e:
                raise refuse(f"cannot be written as Parquet: {e}", table) from None
            _write_atomically(folder / f"{table}.parquet", _table_writer(pa, arrow))
            counts[table] = arrow.num_rows
        text = manifest_text(case.title, case.description, counts)
        _write_atomically(folder / MANIFEST, lambda f: f.write(text.encode()))
    except OSError as e:
        raise refuse(f"cannot be written: {e.strerror or e}") from None
    return counts


def arrow_table(table: str, section: Any) -> Any:
    """A case file's *section* (a mapping under ids, or a list) as the Arrow table of *table*.

    Raises:
        pyarrow.ArrowException, OverflowError: A value has no form in its column.
    """
    columns = _table_columns(section, COLUMNS[table], keyed=table in KEYED)
    return _arrow().Table.from_pydict(columns, schema=schema(table))


def manifest_text(title: str, description: str | None, counts: Mapping[str, int]) -> str:
    """The manifest of a dataset of the case *title*, whose tables hold *counts* rows."""
    manifest = {
        "claimtrack_dataset": DATASET_VERSION,
        "claimtrack": FORMAT_VERSION,
        "title": title,
        "description": description,
        "tables": {t: f"{t}.parquet" for t in TABLES},
        "counts": dict(counts),
    }
    return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"


def _table_writer(pa: Any, table: Any) -> Callable[[Any], None]:
    def write(f: Any) -> None:
        pa.parquet.write_table(table, f, row_group_size=ROW_GROUP)

    return write


def _table_columns(
    section: Any, columns: Mapping[str, _Kind], *, keyed: bool
) -> dict[str, list[Any]]:
    """A case file's section as the columns of its table, a field at a time."""
    if not section:
        return {name: [] for name in columns}
    records = list(section.values()) if keyed else section
    out = {}
    for name, kind in columns.items():
        if keyed and name == "id":
            out[name] = list(section)
            continue
        values = [r.get(name) for r in records]
        if kind in _CELLS:
            values = [None if v is None else _to_cell(kind, v) for v in values]
        out[name] = values
    return out


_CELLS = frozenset(("moment", "ids", "ties", "count"))
"""The kinds of column whose cells are not what a case file holds as they are, and back."""


def _write_atomically(target: Path, write: Callable[[Any], Any]) -> None:
    part = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        with part.open("wb") as f:
            write(f)
        part.replace(target)
    finally:
        part.unlink(missing_ok=True)


# ---- reading -------------------------------------------------------------------------------


def load_dataset(
    path: str | Path,
    *,
    texts: str | Path | list[str | Path] | None = None,
    validate: bool = True,
    limits: Limits = DEFAULT_LIMITS,
) -> Case:
    """Read the dataset folder *path* whole into a :class:`Case`; see :func:`claimtrack.load`.

    Raises:
        CaseFileError: A table or the manifest is missing, unreadable or not of the
            dataset's shape; each problem placed at its table, row and column.
        IntegrityError: The records do not fit together.
    """
    folder = Path(path)
    dirs = texts if texts is not None else [folder]
    texts_in = [Path(t) for t in (dirs if isinstance(dirs, list) else [dirs])]
    header, tables = read_tables(folder)
    return _case_of_tables(folder, header, tables, None, texts_in, limits, validate=validate)


def case_of_rows(
    folder: Path,
    header: Mapping[str, Any],
    tables: Mapping[str, Any],
    numbers: Mapping[str, list[int]],
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> Case:
    """The case some rows of the dataset in *folder* make, read and checked as a whole one is.

    *header* is the manifest's; *tables* holds each table's rows as an Arrow table, and
    *numbers* each row's place in its table, so that a problem is placed where it is in
    the dataset. This is how a Dask worker reads its part of a dataset.
    """
    return _case_of_tables(
        folder, _header(header), tables, numbers, [folder], limits, validate=True
    )


def _case_of_tables(  # noqa: PLR0917 - the folder, what it holds, and how to read it
    folder: Path,
    header: dict[str, Any],
    tables: Mapping[str, Any],
    numbers: Mapping[str, list[int]] | None,
    texts: list[Path],
    limits: Limits,
    *,
    validate: bool,
) -> Case:
    """The case the Arrow *tables* hold, read as a case file is; problems placed in the dataset.

    Every table but the attributions becomes the section a case file holds; the
    attributions, the many, stay columns, which the bulk loader reads a field at a time
    (as it reads the columns of :meth:`Case.from_records`). Only when the bulk loader
    cannot prove the case valid are they made into a file's rows, for the detailed path
    to word what is wrong.
    """
    name = str(folder)
    data = dict(header)
    with gc_paused():  # a column of a million values, none in a cycle
        attributions, n = (
            _decoded_table(tables["attributions"], COLUMNS["attributions"])
            if "attributions" in tables
            else ({}, 0)
        )
        data.update(_sections(tables, numbers, name))
        case = build_columns(data, attribution_columns(attributions, n), limits.max_text)
        checked = case is not None
        if case is None:
            if n:
                data["attributions"] = records_of(attributions, n)
            try:
                case = case_from_data(data, file=name)
            except CaseFileError as e:
                raise CaseFileError(_placed(e.problems, data, folder, numbers)) from None
    case._text_file_limit = limits.max_text_file  # noqa: SLF001 - read by its text files
    case.text_dirs = tuple(texts)
    if validate and not checked:
        errors = [p for p in case.validate(texts=False) if p.is_error]
        if errors:
            raise IntegrityError(_placed(errors, data, folder, numbers))
    return case


def _sections(
    tables: Mapping[str, Any], numbers: Mapping[str, list[int]] | None, name: str
) -> dict[str, Any]:
    """Every table but the attributions as the section a case file holds, those that hold rows.

    Raises:
        CaseFileError: A row of a keyed table lacks an id or repeats one.
    """
    problems: list[Problem] = []
    out = {}
    for table, kinds in COLUMNS.items():
        if table == "attributions" or table not in tables:
            continue
        found, rows = _decoded_table(tables[table], kinds)
        at = numbers.get(table) if numbers is not None else None
        section = _section(table, found, rows, name, problems, numbers=at)
        if section:
            out[table] = section
    if problems:
        raise CaseFileError(problems)
    return out


def _header(manifest: Mapping[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {"claimtrack": FORMAT_VERSION}
    for key in ("title", "description"):
        if manifest.get(key) is not None:
            data[key] = manifest[key]
    return data


def read_tables(folder: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The manifest's part of the case in *folder*, and each of its tables as an Arrow table.

    Raises:
        CaseFileError: The manifest is wrong, or a table is missing, unreadable or not as
            long as the manifest says.
    """
    pa = _arrow()
    name = str(folder)
    manifest = _manifest(folder)
    problems: list[Problem] = []
    found = manifest.get("counts")
    counts: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    tables: dict[str, Any] = {}
    for table in COLUMNS:
        file = folder / f"{table}.parquet"
        if not file.exists():
            if counts.get(table):
                problems.append(
                    Problem(table, f"missing: {file.name} is not in the folder", file=name)
                )
            continue
        try:
            tables[table] = read = pa.parquet.read_table(file)
        except (pa.ArrowException, OSError, ValueError) as e:
            problems.append(Problem(table, f"not a readable Parquet table: {e}", file=name))
            continue
        expected = counts.get(table)
        if expected is not None and expected != read.num_rows:
            msg = f"holds {read.num_rows:,} rows, the manifest says {expected!r}"
            problems.append(Problem(table, msg, file=name))
    if problems:
        raise CaseFileError(problems)
    return _header(manifest), tables


def manifest(folder: Path) -> dict[str, Any]:
    """The manifest of the dataset in *folder*, its format version checked."""
    return _manifest(folder)


def _manifest(folder: Path) -> dict[str, Any]:
    file = str(folder / MANIFEST)

    def refuse(message: str, place: str = "") -> CaseFileError:
        return CaseFileError([Problem(place, message, file=file)])

    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except OSError as e:
        raise refuse(f"cannot be read: {e.strerror or e}") from None
    except (ValueError, UnicodeDecodeError) as e:
        raise refuse(f"not JSON: {e}") from None
    if not isinstance(manifest, dict):
        raise refuse(f"expected a mapping, got {describe(manifest)}")
    version = manifest.get("claimtrack_dataset")
    if type(version) is not int or version != DATASET_VERSION:
        msg = (
            f"dataset format version {version!r} is not one this claimtrack reads "
            f"(it reads {DATASET_VERSION})"
        )
        raise refuse(msg, "claimtrack_dataset")
    return manifest


def _decoded_table(table: Any, kinds: Mapping[str, _Kind]) -> tuple[dict[str, list[Any]], int]:
    """The columns of an Arrow *table* that hold a value, as a case file holds them; its row count.

    A column of nothing but nulls is left out, as a file leaves out a field it does not
    give; a column the record lacks is kept, to be refused as an unknown field.
    """
    out = {}
    for name in table.column_names:
        column = table.column(name)
        if column.null_count < len(column):
            out[name] = values_of(column, kinds.get(name, ""))
    return out, table.num_rows


def values_of(column: Any, kind: _Kind = "") -> list[Any]:
    """An Arrow column's values as a case file holds them, ``None`` where a row has none.

    A dictionary-encoded column (ids, enums) is read through its dictionary: each distinct
    text once, shared by the rows that hold it, at a tenth of the time of reading the
    column a row at a time.
    """
    pa = _arrow()
    out: list[Any] = []
    for chunk in column.chunks:
        if pa.types.is_dictionary(chunk.type):
            words = chunk.dictionary.to_pylist()
            at = chunk.indices.to_pylist()
            if chunk.null_count:
                out += [None if i is None else words[i] for i in at]
            else:
                out += map(words.__getitem__, at)
        else:
            out += chunk.to_pylist()
    if kind in _CELLS:
        return [None if v is None else _from_cell(kind, v) for v in out]
    return out


def _section(
    table: str,
    columns: dict[str, list[Any]],
    n: int,
    name: str,
    problems: list[Problem],
    *,
    numbers: list[int] | None = None,
) -> Any:
    """A table's decoded *columns* (*n* rows) as a case file's section: a mapping under ids, or a list.

    *numbers* are the rows' places in the table when they are only some of its rows.
    """
    if table not in KEYED:
        return records_of(columns, n)
    at: Callable[[int], int] = numbers.__getitem__ if numbers is not None else int
    ids = columns.pop("id", None) or [None] * n
    out: dict[str, Any] = {}
    first_row: dict[str, int] = {}
    for k, (key, fields) in enumerate(zip(ids, records_of(columns, n), strict=True)):
        if not isinstance(key, str):
            msg = (
                "required field 'id' is missing"
                if key is None
                else f"ids are text; got {describe(key)}"
            )
            problems.append(Problem(f"{table}, row {at(k)}, column id", msg, file=name))
        elif key in first_row:
            msg = f"duplicate id '{key}' (also row {first_row[key]})"
            problems.append(Problem(f"{table}, row {at(k)}, column id", msg, file=name))
        else:
            first_row[key] = at(k)
            out[key] = fields
    return out


_SECTION = re.compile(r"[a-z_]+")


def _placed(
    problems: Iterable[Problem],
    data: Mapping[str, Any],
    folder: Path,
    numbers: Mapping[str, list[int]] | None = None,
) -> list[Problem]:
    """*problems* placed as ``table, row N, column C`` rather than as a case file places them.

    *numbers* gives each row's place in its table when *data* holds only some rows.
    """

    def at(table: str, n: int) -> int:
        return numbers[table][n] if numbers is not None and table in numbers else n

    rows: dict[str, dict[str, int]] = {}
    for table in KEYED:
        rows[table] = {
            place_of(table, k): at(table, n) for n, k in enumerate(data.get(table) or {})
        }
    out = []
    for p in problems:
        place = p.place
        found = _SECTION.match(place)
        table = found.group() if found else ""
        new = place
        if table in TABLES and table not in KEYED:
            found_at = re.match(rf"{table}\[(\d+)\](.*)", place, re.DOTALL)
            if found_at:
                new = _cell(table, at(table, int(found_at.group(1))), found_at.group(2))
        elif table in rows:
            here = rows[table]
            for i in range(len(table), len(place) + 1):
                if (i == len(place) or place[i] in ".[") and place[:i] in here:
                    new = _cell(table, here[place[:i]], place[i:])
                    break
        # the title, the description and the version come from the manifest
        file = folder if table in TABLES else folder / MANIFEST
        out.append(attrs.evolve(p, place=new, file=str(file)))
    return out


def _cell(table: str, row: int, rest: str) -> str:
    column = rest.removeprefix(".")
    return f"{table}, row {row}" + (f", column {column}" if column else "")


__all__ = [
    "COLUMNS",
    "MANIFEST",
    "ROW_GROUP",
    "TABLES",
    "arrow",
    "arrow_table",
    "case_of_rows",
    "dump_dataset",
    "is_dataset",
    "load_dataset",
    "manifest",
    "manifest_text",
    "read_tables",
    "schema",
    "values_of",
]
