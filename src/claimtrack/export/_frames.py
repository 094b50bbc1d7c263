"""The tables of a case as pandas DataFrames, with real types.

Whole numbers are integers (nullable ``Int64`` where a value may be missing), true and
false are booleans, the file's fixed vocabularies are pandas ``category`` columns (the
Admiralty reliability grades ordered ``A`` to ``F``, best first), and every date is a
timezone-aware ``datetime64[us, UTC]`` with a ``_precision`` column beside it.
"""

from __future__ import annotations

import datetime as dt
import enum

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from claimtrack.export._tabular import KINDS, table
from claimtrack.model._case import Case
from claimtrack.model._period import Period
from claimtrack.model._records import (
    DocumentKind,
    EvidenceKind,
    Hedge,
    Mode,
    Moment,
    RelationKind,
    Reliability,
    SourceKind,
    Stance,
    parse_moment,
)


if TYPE_CHECKING:
    import pandas as pd


PRECISIONS: tuple[str, ...] = ("year", "month", "day", "time")
"""The values of a ``_precision`` column, coarsest first (an ordered category)."""

_DATES: Mapping[str, tuple[str, ...]] = {
    "attributions": ("claim_when", "said", "published"),
    "documents": ("published", "retrieved"),
    "evidence": ("first_seen",),
    "claims": ("when",),
}

# column -> (the enumeration whose values it holds, whether its order means something)
_CATEGORIES: Mapping[str, Mapping[str, tuple[type[enum.Enum], bool]]] = {
    "attributions": {
        "source_kind": (SourceKind, False),
        "source_reliability": (Reliability, True),
        "stance": (Stance, False),
        "mode": (Mode, False),
        "hedge": (Hedge, False),
    },
    "sources": {"kind": (SourceKind, False), "reliability": (Reliability, True)},
    "documents": {"kind": (DocumentKind, False)},
    "evidence": {"kind": (EvidenceKind, False)},
    "relations": {"kind": (RelationKind, False)},
}

# column -> its dtype: "Int64" where a value may be missing
_WHOLE: Mapping[str, Mapping[str, str]] = {
    "attributions": {
        "attribution": "int64",
        "claim_low": "Int64",
        "claim_high": "Int64",
        "credibility": "Int64",
    },
    "claims": {"low": "Int64", "high": "Int64"},
    "relations": {"relation": "int64"},
}


def need_pandas(what: str) -> None:
    """Check that pandas can be imported, or raise an error naming the extra to install for *what*."""
    try:
        import pandas as pd  # noqa: F401, PLC0415 - an optional extra, imported when asked for
    except ModuleNotFoundError as e:
        msg = f'{what} needs pandas: pip install "claimtrack[pandas]"'
        raise ModuleNotFoundError(msg, name=e.name) from None


def instant(moment: Moment) -> tuple[dt.datetime, str]:
    """*moment* as a UTC instant and its precision (one of :data:`PRECISIONS`).

    A year or a month is its first instant (``2024-02`` is 1 February 2024, 00:00 UTC),
    a day its midnight in UTC, a time with an offset the same instant in UTC, and a time
    given without an offset is taken as UTC.
    """
    if isinstance(moment, Period):
        month = moment.month
        return dt.datetime(moment.year, month or 1, 1, tzinfo=dt.UTC), (
            "year" if month is None else "month"
        )
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is None or moment.utcoffset() is None:
            return moment.replace(tzinfo=dt.UTC), "time"
        return moment.astimezone(dt.UTC), "time"
    return dt.datetime(moment.year, moment.month, moment.day, tzinfo=dt.UTC), "day"


def date_columns(texts: Iterable[str | None]) -> tuple[pd.Series, pd.Series]:
    """ISO 8601 texts of any precision as UTC datetimes and their precisions."""
    import pandas as pd  # noqa: PLC0415 - an optional extra

    when: list[dt.datetime | None] = []
    precision: list[str | None] = []
    for text in texts:
        if text is None:
            when.append(None)
            precision.append(None)
            continue
        moment, exact = instant(parse_moment(text))
        when.append(moment)
        precision.append(exact)
    return (
        pd.Series(when, dtype="datetime64[us, UTC]"),
        pd.Series(pd.Categorical(precision, categories=PRECISIONS, ordered=True)),
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def category(values: Sequence[Any], members: type[enum.Enum], *, ordered: bool) -> pd.Series:
    """*values* as a pandas category whose categories are every value of *members*, in order."""
    import pandas as pd  # noqa: PLC0415 - an optional extra

    return pd.Series(pd.Categorical(values, categories=[m.value for m in members], ordered=ordered))


def to_dataframe(case: Case, kind: str = "attributions") -> pd.DataFrame:
    """The records of *kind* of *case* as a pandas DataFrame, one row per record.

    *kind* is one of ``sources``, ``documents``, ``evidence``, ``questions``, ``claims``,
    ``attributions`` (the default: the long table of :func:`attribution_rows`) and
    ``relations``; the columns are those of the kind's rows (see
    ``claimtrack.export.KINDS``), typed: whole numbers as ``int64`` (``Int64`` where
    one may be missing), true and false as ``bool``, kinds, stances, modes and hedges as
    ``category`` (reliability grades ordered ``A`` < ... < ``F``, best first), and each
    date as ``datetime64[us, UTC]`` followed by a ``<column>_precision`` column
    (``year``, ``month``, ``day`` or ``time``, an ordered category): ``2024-02`` is
    2024-02-01 00:00 UTC with precision ``month``. A time without an offset is taken as
    UTC.

    Raises:
        ValueError: *kind* is not a record kind.
        ModuleNotFoundError: pandas is not installed; the message names the extra.
    """
    columns, rows = table(kind)
    need_pandas("Case.to_dataframe()")
    import pandas as pd  # noqa: PLC0415 - an optional extra, imported when asked for

    records = list(rows(case))
    frame = pd.DataFrame.from_records(records, columns=list(columns))
    for column, (members, ordered) in _CATEGORIES.get(kind, {}).items():
        frame[column] = category([r[column] for r in records], members, ordered=ordered)
    for column, dtype in _WHOLE.get(kind, {}).items():
        frame[column] = pd.Series([r[column] for r in records], dtype=dtype)
    for column in ("exclusive", "in_own_name", "against_interest"):
        if column in frame.columns:
            frame[column] = frame[column].astype(bool)
    for column in _DATES.get(kind, ()):
        when, precision = date_columns(_text(r[column]) for r in records)
        frame[column] = when
        frame.insert(list(frame.columns).index(column) + 1, f"{column}_precision", precision)
    return frame


__all__ = ["KINDS", "PRECISIONS", "to_dataframe"]
