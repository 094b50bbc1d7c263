"""The embedded SQLite store, for corpora too large to keep in a case file.

Open one with :func:`open_store`; see :class:`Store` for what it does.
"""

from claimtrack.errors import StoreError
from claimtrack.store._sqlite import (
    APPLICATION_ID,
    MIGRATIONS,
    ON_CONFLICT,
    QUERY_BUDGET,
    STORE_SUFFIXES,
    CaseInfo,
    Hit,
    Store,
    Term,
    is_store,
    load_any,
    normalise,
    open_store,
    parse_query,
)


__all__ = [
    "APPLICATION_ID",
    "MIGRATIONS",
    "ON_CONFLICT",
    "QUERY_BUDGET",
    "STORE_SUFFIXES",
    "CaseInfo",
    "Hit",
    "Store",
    "StoreError",
    "Term",
    "is_store",
    "load_any",
    "normalise",
    "open_store",
    "parse_query",
]


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
