"""Comparing moments that may be days or times, as the integrity rules and exports must."""

from __future__ import annotations

import datetime as dt

from claimtrack.model._records import Moment


def later(a: Moment, b: Moment) -> bool:
    """Whether *a* is strictly later than *b*, at the precision both share.

    A plain day is compared by day; times without a zone are taken as UTC.
    """
    if not isinstance(a, dt.datetime) or not isinstance(b, dt.datetime):
        return _day(a) > _day(b)
    if (a.tzinfo is None) != (b.tzinfo is None):
        a, b = (x if x.tzinfo else x.replace(tzinfo=dt.UTC) for x in (a, b))
    return a > b


def _day(moment: Moment) -> dt.date:
    return moment.date() if isinstance(moment, dt.datetime) else moment
