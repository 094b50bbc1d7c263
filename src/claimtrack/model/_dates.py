"""Comparing moments that may be days, times, months or years, as the integrity rules and exports must.

The rule itself lives beside :class:`~claimtrack.Period` in ``_period.py``, which the
records import; it is re-exported here, where the integrity rules and the loaders look.
"""

from __future__ import annotations

from claimtrack.model._period import first_day, last_day, later


__all__ = ["first_day", "last_day", "later"]
