"""Partial dates (a year, or a month of a year) and how moments of any precision compare.

Sources date things as precisely as they know them: "on 21 April 2024 at 21:50", "on 21
April", "in February 2024", "in 2023". A :class:`Period` is the last two: a whole month or a
whole year, kept at the precision given. Comparisons treat it as every day it spans.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from typing import Any, Literal, TypeAlias

import attrs


def _year(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"'{attribute.name}' must be a whole number, got {value!r}"
        raise TypeError(msg)
    if not dt.MINYEAR <= value <= dt.MAXYEAR:
        msg = f"'{attribute.name}' must be a year from {dt.MINYEAR} to {dt.MAXYEAR}, got {value}"
        raise ValueError(msg)


def _month(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"'{attribute.name}' must be a whole number, got {value!r}"
        raise TypeError(msg)
    if not 1 <= value <= 12:  # noqa: PLR2004 - the months of the year
        msg = f"'{attribute.name}' must be a month from 1 to 12, got {value}"
        raise ValueError(msg)


_PARTIAL = re.compile(r"(\d{4})(?:-(\d{2}))?")


def _partial(text: object) -> re.Match[str] | None:
    return _PARTIAL.fullmatch(text.strip()) if isinstance(text, str) else None


@attrs.frozen
class Period:
    """A date known only to the month or to the year: ``2024-02`` or ``2024``.

    Wherever a case takes a date it also takes a period, and keeps it as given: a file
    that says ``published: 2024-02`` is written back so, and reports show ``2024-02``. In
    comparisons a period stands for every day it spans: February 2024 is neither before
    nor after 10 February 2024, and is before 1 March 2024 (see :meth:`Case.as_of
    <claimtrack.Case.as_of>`).

    Periods have no order of their own (``<`` is not defined); ``isoformat()`` text sorts
    a month before the days inside it.

    Attributes:
        year: The year, 1 to 9999.
        month: The month, 1 to 12; ``None`` for the whole year.
    """

    year: int = attrs.field(validator=_year)
    month: int | None = attrs.field(default=None, validator=_month)

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read ``YYYY`` or ``YYYY-MM``.

        Raises:
            ValueError: The text is neither, or names no month (``2024-13``).
        """
        found = _partial(text)
        if found is None:
            msg = f"expected a year (2024) or a month (2024-02), got {text!r}"
            raise ValueError(msg)
        year, month = found.groups()
        try:
            return cls(int(year), None if month is None else int(month))
        except ValueError as e:  # month 13, year 0
            msg = f"expected a year (2024) or a month (2024-02), got {text!r}: {e}"
            raise ValueError(msg) from None

    @property
    def precision(self) -> Literal["year", "month"]:
        """How precisely the period is known: ``"year"`` or ``"month"``."""
        return "year" if self.month is None else "month"

    @property
    def start(self) -> dt.date:
        """Its first day."""
        return dt.date(self.year, self.month or 1, 1)

    @property
    def end(self) -> dt.date:
        """Its last day."""
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def isoformat(self) -> str:
        """The period as ISO 8601 text, at its own precision: ``2024`` or ``2024-02``."""
        if self.month is None:
            return f"{self.year:04d}"
        return f"{self.year:04d}-{self.month:02d}"

    def __contains__(self, moment: object) -> bool:
        """Whether the day of *moment* (a date, or a date and time) falls in the period."""
        if not isinstance(moment, dt.date):
            return False
        day = moment.date() if isinstance(moment, dt.datetime) else moment
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.isoformat()


_When: TypeAlias = dt.date | Period
"""A moment of any precision (a date and time is a date); the records name it ``Moment``."""


def first_day(moment: _When) -> dt.date:
    """The first day *moment* may stand for: its day, or a period's first day."""
    if isinstance(moment, Period):
        return moment.start
    return moment.date() if isinstance(moment, dt.datetime) else moment


def last_day(moment: _When) -> dt.date:
    """The last day *moment* may stand for: its day, or a period's last day."""
    if isinstance(moment, Period):
        return moment.end
    return moment.date() if isinstance(moment, dt.datetime) else moment


def later(a: _When, b: _When) -> bool:
    """Whether *a* is strictly later than *b*, at the precision both share.

    Two dates and times compare as such (a time without a zone is taken as UTC beside one
    with a zone). Otherwise days are compared, and a month or a year stands for every day
    it spans: *a* is later only if its first day is after the last day of *b*. So
    ``2024-02`` is neither later nor earlier than ``2024-02-10``, and ``2024-03-01`` is
    later than ``2024-02``.
    """
    if isinstance(a, dt.datetime) and isinstance(b, dt.datetime):
        if (a.tzinfo is None) != (b.tzinfo is None):
            a, b = (x if x.tzinfo else x.replace(tzinfo=dt.UTC) for x in (a, b))
        return a > b
    return first_day(a) > last_day(b)
