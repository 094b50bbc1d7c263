"""Who an attribution counts as: a speaker, or the body it speaks for on the day it speaks.

Shared by the :class:`~claimtrack.Case`, its checks and the store, which read the same ties.

A day here may be a month or a year (a :class:`~claimtrack.Period`) when that is all the
dates say. A tie holds on such a period if it holds on any day of it: neither end of the
tie falls strictly outside the period (see :func:`~claimtrack.model._dates.later`). So a
spokesman who took office on 10 February 2024 speaks for his ministry in a statement
dated only "2024-02", and so does his predecessor; the first tie listed wins.
"""

from __future__ import annotations

import datetime as dt

from collections.abc import Callable, Mapping

from claimtrack.model._period import later
from claimtrack.model._records import Attribution, Day, Document, Moment, Source


def day(moment: Moment | None) -> Day | None:
    """The day of *moment*: a date and time gives its date; a day, month or year stays as it is."""
    return moment.date() if isinstance(moment, dt.datetime) else moment


def day_of(att: Attribution, document: Callable[[str], Document | None]) -> Day | None:
    """The day *att* was made: its own ``said``, else its document's day of publication."""
    when = att.said
    if when is None and att.document is not None:
        doc = document(att.document)
        when = None if doc is None else doc.published
    return day(when)


def speaks_for(sources: Mapping[str, Source], sid: str, on: Day | None) -> str | None:
    """The first body the source *sid* speaks for on the day *on* (any day if ``None``), or ``None``.

    A tie holds on *on* unless it started after it or ended before it; on a month or a
    year, a tie that holds on any of its days holds.
    """
    source = sources.get(sid)
    if source is None:
        return None
    for tie in source.speaks_for:
        if on is None or _holds(tie.start, tie.end, on):
            return tie.source
    return None


_PLAIN = (type(None), dt.date)


def _holds(start: Day | None, end: Day | None, on: Day) -> bool:
    if type(on) is dt.date and type(start) in _PLAIN and type(end) in _PLAIN:
        # days only, the common case: compared as they are
        return (start is None or start <= on) and (end is None or on <= end)  # type: ignore[operator]
    return (start is None or not later(start, on)) and (end is None or not later(on, end))


def speaks_as(sources: Mapping[str, Source], sid: str, on: Day | None) -> str:
    """Follow the ties of *sid* on the day *on* to a source that speaks for nobody then.

    Stops too before a source already passed (a loop) or one *sources* lacks.
    """
    seen = {sid}
    while True:
        body = speaks_for(sources, sid, on)
        if body is None or body in seen or body not in sources:
            return sid
        seen.add(body)
        sid = body
