"""Who an attribution counts as: a speaker, or the body it speaks for on the day it speaks.

Shared by the :class:`~claimtrack.Case`, its checks and the store, which read the same ties.
"""

from __future__ import annotations

import datetime as dt

from collections.abc import Callable, Mapping

from claimtrack.model._records import Attribution, Document, Moment, Source


def day(moment: Moment | None) -> dt.date | None:
    """The day of *moment*: a date and time gives its date."""
    return moment.date() if isinstance(moment, dt.datetime) else moment


def day_of(att: Attribution, document: Callable[[str], Document | None]) -> dt.date | None:
    """The day *att* was made: its own ``said``, else its document's day of publication."""
    when = att.said
    if when is None and att.document is not None:
        doc = document(att.document)
        when = None if doc is None else doc.published
    return day(when)


def speaks_for(sources: Mapping[str, Source], sid: str, on: dt.date | None) -> str | None:
    """The first body the source *sid* speaks for on the day *on* (any day if ``None``), or ``None``."""
    source = sources.get(sid)
    if source is None:
        return None
    for tie in source.speaks_for:
        if on is None or (
            (tie.start is None or tie.start <= on) and (tie.end is None or on <= tie.end)
        ):
            return tie.source
    return None


def speaks_as(sources: Mapping[str, Source], sid: str, on: dt.date | None) -> str:
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
