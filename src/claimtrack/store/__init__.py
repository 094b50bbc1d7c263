"""The embedded SQLite store, for corpora too large to keep in a case file.

Open one with :func:`open_store`; see :class:`Store` for what it does.
"""

from claimtrack.errors import StoreError
from claimtrack.store._sqlite import (
    APPLICATION_ID,
    MIGRATIONS,
    QUERY_BUDGET,
    STORE_SUFFIXES,
    Store,
    is_store,
    load_any,
    normalise,
    open_store,
)


__all__ = [
    "APPLICATION_ID",
    "MIGRATIONS",
    "QUERY_BUDGET",
    "STORE_SUFFIXES",
    "Store",
    "StoreError",
    "is_store",
    "load_any",
    "normalise",
    "open_store",
]


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
