"""Cases built in bulk from rows: what :meth:`Case.from_records` and :meth:`Case.from_dataframes` run.

A script holding its records as rows (tuples of fields, records, DataFrames) should not
have to write a case file to have them checked, nor pay for a builder call per record.
The rows are turned into the data a case file holds, a section at a time, and read by the
loader's own code: :func:`~claimtrack.files._bulk.build_columns` builds the case in bulk
when it can prove the data valid (the attributions handed over as columns, never turned
into a mapping each), and otherwise the detailed path of a file,
:func:`~claimtrack.files._reading.case_from_data` and :meth:`Case.validate`, finds and
words every problem. So a bad row is refused with the problems, places and messages that
loading the same data from a file gives, and no check is written twice.

What a row is: the fields of its record in the order of :func:`attrs.fields` (the order
``Document.many`` and ``Attribution.many`` take), trailing ones optional; ``None`` (and an
empty list) is no value, so the field takes its default. Values are what a file holds
(text for enums, ISO 8601 text for dates, ``{"exactly": 5}`` for a count) or what the
records hold (enum members, :class:`datetime.date`, :class:`~claimtrack.Period`,
:class:`~claimtrack.Count`, :class:`~claimtrack.Affiliation`, a record in place of its id),
which are written as a file would hold them before they are read.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import math
import sys

from collections.abc import Iterable, Mapping, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any

import attrs

from claimtrack import _suggest
from claimtrack._gc import gc_paused
from claimtrack.errors import CaseFileError, IntegrityError, Problem
from claimtrack.files._bulk import Columns, build_columns
from claimtrack.files._converter import CONVERTER, KEYED, describe
from claimtrack.files._reading import FORMAT_VERSION, case_from_data, surrogate_problems
from claimtrack.model._case import Case, RecordError, place_of
from claimtrack.model._period import Period
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


if TYPE_CHECKING:
    import pandas as pd


SECTIONS: Mapping[str, type] = {
    "sources": Source,
    "documents": Document,
    "evidence": Evidence,
    "questions": Question,
    "claims": Claim,
    "attributions": Attribution,
    "relations": Relation,
}
"""The sections of a case, in the order a case file holds them, and the record of each."""

_SECTION_OF = {cls: section for section, cls in SECTIONS.items()}


def _fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in attrs.fields(cls))


def _required(cls: type) -> int:
    return sum(f.default is attrs.NOTHING for f in attrs.fields(cls))


FIELDS: Mapping[type, tuple[str, ...]] = {cls: _fields(cls) for cls in SECTIONS.values()}
"""The fields of each record in the order a row holds them: :func:`attrs.fields`."""

_LISTS = frozenset(
    (
        "aliases",
        "speaks_for",
        "member_of",
        "part_of",
        "parties",
        "about",
        "blames",
        "tags",
        "via",
        "based_on",
    )
)
"""Fields holding a list: an empty one is no value, as ``None`` is."""

_PLAIN = frozenset((str, type(None), bool, int, float, dict))
"""Types of values a file holds as they are: a column of nothing else is read unchanged."""


def _noun(section: str) -> str:
    if section == "evidence":
        return "an item of evidence"
    return f"{'an' if section[0] in 'aeiou' else 'a'} {section.removesuffix('s')}"


# ---- values: as a file holds them ---------------------------------------------------------


def plain(value: Any) -> Any:  # noqa: PLR0911 - one case per kind of value
    """*value* as a case file holds it: enums as their values, dates as ISO 8601 text.

    Counts and affiliations are written as the file writes them, a record standing where
    its id belongs becomes the id, and lists hold their items as a file holds them. Any
    other value is left as it is, for the loader to accept or word.
    """
    kind = type(value)
    if kind in _PLAIN:
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | Period):
        return value.isoformat()
    if kind is tuple or kind is list:
        return [plain(v) for v in value]
    if kind is Count:
        return CONVERTER.unstructure(value, Count)
    if kind is Affiliation:
        tie = CONVERTER.unstructure((value,), tuple[Affiliation, ...])
        return tie if type(tie) is str else tie[0]
    if kind in _SECTION_OF and hasattr(value, "id"):
        return value.id
    return value


def _plain_column(name: str, values: Sequence[Any]) -> list[Any]:
    """A column of values of the field *name*, each as a file holds it; no value is ``None``.

    A column of text and numbers only is returned as it is, after one pass over its types.
    """
    kinds = set(map(type, values))
    if name in _LISTS:
        # lists of text (as a DataFrame's cells hold them) or tuples of it, read as they are:
        # the loader makes a tuple of each, so none of the caller's lists is kept
        if kinds <= {tuple, list, type(None), str}:
            items = set(
                map(
                    type,
                    itertools.chain.from_iterable(
                        v for v in values if type(v) is tuple or type(v) is list
                    ),
                )
            )
            if items <= {str}:
                if () not in values and [] not in values:
                    return values if type(values) is list else list(values)
                return [None if v in ((), []) else v for v in values]
        return [
            None if v is None or (type(v) in (tuple, list) and not v) else plain(v) for v in values
        ]
    if kinds <= _PLAIN:
        return values if type(values) is list else list(values)
    return list(map(plain, values))


# ---- rows ---------------------------------------------------------------------------------


def _place(section: str, row: object, position: int) -> str:
    """Where the record of *row* stands: by its id in a keyed section, else by position."""
    if SECTIONS[section] in KEYED and type(row) is tuple and row and isinstance(row[0], str):
        return place_of(section, row[0])
    return place_of(section, position)


def _as_row(value: object, cls: type) -> object:
    """A record of *cls* as its row; a list as a tuple; anything else as it is (refused later)."""
    if type(value) is cls:
        return tuple(getattr(value, name) for name in FIELDS[cls])
    if type(value) is list:
        return tuple(value)
    return value


def _rows(section: str, given: Iterable[Any], problems: list[Problem]) -> list[tuple[Any, ...]]:
    """The rows of *section*, each a tuple of every field; a problem for each misshapen one."""
    cls = SECTIONS[section]
    width = len(FIELDS[cls])
    rows = given if type(given) is list else list(given)
    if set(map(type, rows)) - {tuple}:
        rows = [_as_row(r, cls) for r in rows]
    if set(map(len, rows) if set(map(type, rows)) == {tuple} else ()) == {width}:
        return rows
    out: list[tuple[Any, ...]] = []
    for i, row in enumerate(rows):
        if type(row) is not tuple:
            message = (
                f"expected the fields of {_noun(section)} as a tuple, or the record itself; "
                f"got {describe(row)}"
            )
            problems.append(Problem(place_of(section, i), message))
        elif len(row) > width:
            message = (
                f"a row of {_noun(section)} holds at most {width} fields "
                f"({', '.join(FIELDS[cls])}); got {len(row)}"
            )
            problems.append(Problem(_place(section, row, i), message))
        elif not row and cls in KEYED:
            problems.append(Problem(place_of(section, i), "an empty row: a row starts with its id"))
        else:
            out.append(row + (None,) * (width - len(row)))
    return out


def _columns(cls: type, rows: list[tuple[Any, ...]]) -> dict[str, list[Any]]:
    """The columns of *rows* that hold a value, by field, each value as a file holds it."""
    if not rows:
        return {}
    out = {}
    for i, name in enumerate(FIELDS[cls]):
        column = _plain_column(name, list(map(itemgetter(i), rows)))
        if column.count(None) != len(column):
            out[name] = column
    return out


def records_of(columns: dict[str, list[Any]], n: int) -> list[dict[str, Any]]:
    """The fields of each of *n* rows as a file holds them, leaving out those with no value."""
    if not columns:
        return [{} for _ in range(n)]
    names = list(columns)
    rows = zip(*columns.values(), strict=True)
    if not any(None in c for c in columns.values()):
        return [dict(zip(names, row, strict=True)) for row in rows]
    return [{k: v for k, v in zip(names, row, strict=True) if v is not None} for row in rows]


def _keyed(section: str, columns: dict[str, list[Any]], n: int) -> dict[Any, dict[str, Any]]:
    """The table of a keyed *section*, its records under their ids.

    Raises:
        RecordError: An id is not something a table can be keyed by (a list).
        IntegrityError: Two rows have the same id; each repeat is a problem at its id, as
            the builders word it.
    """
    ids = columns.pop("id", None) or [None] * n
    fields = records_of(columns, len(ids))
    try:
        table = dict(zip(ids, fields, strict=True))
    except TypeError:  # an unhashable id
        wrong = [i for i in ids if not isinstance(i, str | int | float | bool | type(None))]
        raise RecordError(
            Problem(place_of(section, str(i)), f"ids are text; got {describe(i)}: put it in quotes")
            for i in wrong
        ) from None
    if len(table) != len(ids):
        seen: set[object] = set()
        taken = []
        for i in ids:
            if i in seen:
                message = f"the id '{i}' is taken by another {_noun(section).split(' ', 1)[1]}"
                taken.append(Problem(place_of(section, str(i)), message))
            seen.add(i)
        raise IntegrityError(taken)
    return table


def case_from_rows(
    sections: Mapping[str, Iterable[Any]],
    *,
    title: str = "Untitled case",
    description: str | None = None,
) -> Case:
    """Build and check the case whose records *sections* hold, by section, as rows or records.

    Args:
        sections: Rows of each section (``sources``, ..., ``relations``): tuples of the
            fields in the order of :func:`attrs.fields`, or records.
        title: What the case is about.
        description: A longer account.

    Raises:
        RecordError: A row is misshapen (not a tuple, too long) or a field is refused as a
            case file's field is, at the place it would have in the file.
        IntegrityError: The records do not fit together (unknown or repeated ids, dates).
    """
    problems: list[Problem] = []
    rows = {s: _rows(s, sections[s], problems) for s in SECTIONS if s in sections}
    if problems:
        raise RecordError(problems)
    data: dict[str, Any] = {"claimtrack": FORMAT_VERSION, "title": title}
    if description is not None:
        data["description"] = description
    for section in ("sources", "documents", "evidence", "questions", "claims"):
        if rows.get(section):
            table = rows[section]
            data[section] = _keyed(section, _columns(SECTIONS[section], table), len(table))
    if rows.get("relations"):
        data["relations"] = records_of(
            _columns(Relation, rows["relations"]), len(rows["relations"])
        )
    attributions = _columns(Attribution, rows.get("attributions", []))
    n = len(rows.get("attributions", []))
    with gc_paused():
        case = build_columns(data, attribution_columns(attributions, n), sys.maxsize)
        if case is not None:
            return case
        if attributions:
            data["attributions"] = records_of(attributions, n)
        return _detailed(data)


def attribution_columns(columns: dict[str, list[Any]], n: int) -> Columns:
    """*columns* as the bulk loader reads attributions: no value is the field's default."""

    def column(name: str, default: object = None) -> list[Any]:
        values = columns.get(name)
        if values is None:
            return [default] * n
        if default is not None and None in values:
            return [default if v is None else v for v in values]
        return values

    return Columns(column, set(columns), n)


def _detailed(data: dict[str, Any]) -> Case:
    """Read *data* as a file's data is read when it cannot be built in bulk, wording every problem.

    Raises:
        RecordError: A field is refused as a case file's field is.
        IntegrityError: The records do not fit together.
    """
    wrong = surrogate_problems(data, None)
    if wrong:
        raise RecordError(wrong)
    try:
        case = case_from_data(data)
    except CaseFileError as e:
        raise RecordError(e.problems) from None
    errors = [p for p in case.validate(texts=False) if p.is_error]
    if errors:
        raise IntegrityError(errors)
    return case


# ---- DataFrames ---------------------------------------------------------------------------


_ID_COLUMNS = {
    "sources": "source",
    "documents": "document",
    "evidence": "evidence",
    "questions": "question",
    "claims": "claim",
}
"""The column ``Case.to_dataframe`` writes each keyed record's id in, read as ``id``."""

_RENAMED = {"attributions": {"attribution_id": "id"}}
"""Other columns of ``Case.to_dataframe`` that hold a field under another name."""

_DERIVED: Mapping[str, frozenset[str]] = {
    "sources": frozenset(),
    "documents": frozenset({"publisher_name"}),
    "evidence": frozenset({"attributions", "claims", "sources"}),
    "questions": frozenset({"claims"}),
    "claims": frozenset({"low", "high", "unit"}),
    "attributions": frozenset(
        {
            "attribution",
            "claim_text",
            "question",
            "question_text",
            "claim_low",
            "claim_high",
            "claim_unit",
            "claim_value",
            "claim_when",
            "claim_when_precision",
            "source_name",
            "source_kind",
            "source_reliability",
            "via_names",
            "document_title",
            "document_url",
            "publisher",
            "publisher_name",
            "published",
            "published_precision",
            "speaks_as",
            "question_parties",
            "claim_blames",
            "claim_notes",
            "question_notes",
            "source_notes",
            "document_notes",
        }
    ),
    "relations": frozenset({"relation"}),
}
"""Columns ``Case.to_dataframe`` writes that repeat other records (names, positions, a
count's bounds): read back as nothing, so that its frames come back."""

_JOINED = {"via": " > ", "aliases": "; "}
"""How ``Case.to_dataframe`` joins a list in one cell; every other list with a space."""

_DATES = frozenset(("published", "retrieved", "first_seen", "when", "said"))


def need_pandas() -> None:
    """Check that pandas can be imported; else an error naming the extra to install.

    Raises:
        ModuleNotFoundError: pandas is not installed.
    """
    try:
        import pandas as pd  # noqa: F401, PLC0415 - an optional extra, imported when asked for
    except ModuleNotFoundError as e:
        msg = 'Case.from_dataframes() needs pandas: pip install "claimtrack[pandas]"'
        raise ModuleNotFoundError(msg, name=e.name) from None


def case_from_frames(
    frames: Mapping[str, pd.DataFrame | None],
    *,
    title: str = "Untitled case",
    description: str | None = None,
) -> Case:
    """Build and check the case whose records *frames* hold, a DataFrame per section.

    Raises:
        ModuleNotFoundError: pandas is not installed.
        RecordError: A column is unknown, or a field is refused as in a case file.
        IntegrityError: The records do not fit together.
    """
    need_pandas()
    problems: list[Problem] = []
    sections: dict[str, list[tuple[Any, ...]]] = {}
    for section, frame in frames.items():
        if frame is not None:
            sections[section] = _frame_rows(section, frame, problems)
    if problems:
        raise RecordError(problems)
    return case_from_rows(sections, title=title, description=description)


def _frame_rows(
    section: str, frame: pd.DataFrame, problems: list[Problem]
) -> list[tuple[Any, ...]]:
    """The rows of *frame*, a field per column; a problem for each unknown column."""
    cls = SECTIONS[section]
    names = FIELDS[cls]
    renamed = {**_RENAMED.get(section, {})}
    if section in _ID_COLUMNS and "id" not in frame.columns:
        renamed[_ID_COLUMNS[section]] = "id"
    precisions = {f"{n}_precision" for n in _DATES if n in names}
    ignored = _DERIVED[section] | precisions
    known = [*names, *renamed, *ignored]
    columns: dict[str, str] = {}
    for label in frame.columns:
        name = renamed.get(label, label)
        if name in names and (section != "relations" or name != "claims"):
            columns[name] = label
        elif section == "relations" and label in ("claims", "claim", "other_claim"):
            continue
        elif label not in ignored:
            shown = str(label)
            problems.append(
                Problem(section, f"unknown column '{shown}'{_suggest.hint(shown, known)}")
            )
    n = len(frame)
    values: list[list[Any]] = []
    for name in names:
        if section == "relations" and name == "claims":
            values.append(_claim_pairs(frame, n))
        elif name in columns:
            label = columns[name]
            precision = f"{label}_precision"
            values.append(
                _cells(
                    name,
                    frame[label],
                    frame[precision] if name in _DATES and precision in frame.columns else None,
                )
            )
        else:
            values.append([None] * n)
    if section == "claims" and "value" in columns:
        values[names.index("value")] = _counts(frame, values[names.index("value")])
    return list(zip(*values, strict=True)) if n else []


def _missing(series: pd.Series) -> list[bool]:
    """Whether each cell of *series* is empty (``None``, NaN, ``pd.NA``, ``NaT``)."""
    out: list[bool] = series.isna().tolist()
    return out


def _cells(name: str, series: pd.Series, precision: pd.Series | None) -> list[Any]:
    """The values of a column, as Python values; an empty cell is ``None``."""
    cells: list[Any] = series.tolist()
    empty = _missing(series)
    if precision is not None:
        exact: list[Any] = precision.astype(object).tolist()
        cells = [None if e else _moment(v, p) for v, p, e in zip(cells, exact, empty, strict=True)]
    elif any(empty):
        cells = [None if e else v for v, e in zip(cells, empty, strict=True)]
    if name in _LISTS:
        joiner = _JOINED.get(name, " ")
        cells = [v.split(joiner) if type(v) is str else v for v in cells]
    return [_python(v) for v in cells] if set(map(type, cells)) - _PLAIN - {list, tuple} else cells


def _python(value: Any) -> Any:
    """A pandas or numpy scalar as the Python value it stands for."""
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime()
    if hasattr(value, "item") and type(value).__module__ == "numpy":
        return value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _moment(value: Any, precision: object) -> Any:
    """The date a ``to_dataframe`` instant and its precision stand for (``2024-02`` for a month)."""
    when = _python(value)
    if not isinstance(when, dt.datetime) or precision is None or precision != precision:  # noqa: PLR0124 - NaN
        return when
    if precision == "year":
        return Period(when.year)
    if precision == "month":
        return Period(when.year, when.month)
    if precision == "day":
        return when.date()
    return when


def _claim_pairs(frame: pd.DataFrame, n: int) -> list[Any]:
    """A relation's two claims: a ``claims`` column of pairs, or ``claim`` and ``other_claim``."""
    if "claims" in frame.columns:
        return [_python(v) for v in frame["claims"].tolist()]
    if "claim" in frame.columns and "other_claim" in frame.columns:
        return list(zip(frame["claim"].tolist(), frame["other_claim"].tolist(), strict=True))
    return [None] * n


def _counts(frame: pd.DataFrame, values: list[Any]) -> list[Any]:
    """Claims' counts: a count or its mapping as they are, or ``to_dataframe``'s text, from its bounds.

    ``to_dataframe`` writes a count as text (``exactly 5 people``) beside its bounds
    (``low``, ``high``) and unit; the bounds and unit give it back, but an approximate
    count's (``about 470``), which keeps its figure and tolerance as text only.
    """
    if not any(type(v) is str for v in values) or not {"low", "high"} <= set(frame.columns):
        return values
    lows = _cells("low", frame["low"], None)
    highs = _cells("high", frame["high"], None)
    units = _cells("unit", frame["unit"], None) if "unit" in frame.columns else [None] * len(values)
    out: list[Any] = []
    for value, low, high, unit in zip(values, lows, highs, units, strict=True):
        if type(value) is not str or value.startswith("about"):
            out.append(value)
            continue
        count: dict[str, Any] = (
            {"at_most": high}
            if low is None
            else {"at_least": low}
            if high is None
            else {"exactly": low}
            if low == high
            else {"between": [low, high]}
        )
        if unit is not None:
            count["unit"] = unit
        out.append(count)
    return out


def rows_of(records: Iterable[object]) -> dict[str, list[object]]:
    """Records of any kinds, in any order, by the section each belongs to.

    Raises:
        RecordError: One is not a record a case holds.
    """
    out: dict[str, list[object]] = {}
    for i, record in enumerate(records):
        section = _SECTION_OF.get(type(record))
        if section is None:
            message = (
                "a case holds sources, documents, evidence, questions, claims, attributions "
                f"and relations; got {describe(record)}"
            )
            raise RecordError([Problem(f"records[{i}]", message)])
        out.setdefault(section, []).append(record)
    return out


__all__ = ["FIELDS", "SECTIONS", "case_from_frames", "case_from_rows", "need_pandas", "rows_of"]
