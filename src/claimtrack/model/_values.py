"""Structured values of claims: counts with bounds, and whether two can both hold."""

from __future__ import annotations

import math

from fractions import Fraction
from typing import Literal, TypeAlias

import attrs

from claimtrack.model._surrogates import surrogate_problem


DEFAULT_TOLERANCE = 0.1
"""How far "about N" reaches either side of N, as a share of N: 0.1 is ±10%."""


def _non_negative(_inst: object, attribute: attrs.Attribute[int | None], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"'{attribute.name}' must be a whole number, got {value!r}"
        raise TypeError(msg)
    if value < 0:
        msg = f"'{attribute.name}' must be zero or more, got {value}"
        raise ValueError(msg)


def _optional_unit(_inst: object, _attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        msg = f"'unit' must be non-empty text, got {value!r}"
        raise ValueError(msg)
    wrong = None if value is None else surrogate_problem(value)
    if wrong is not None:
        msg = f"'unit' {wrong}"
        raise ValueError(msg)


def _tolerance(value: object) -> float | None:
    """A relative tolerance from 0 to 1, as a float; ``None`` stays ``None``."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"'tolerance' must be a number from 0 to 1, got {value!r}"
        raise TypeError(msg)
    if not 0 <= value <= 1:  # also refuses NaN
        msg = f"'tolerance' must be a number from 0 to 1 (0.1 is ±10%), got {value!r}"
        raise ValueError(msg)
    return float(value)


def _figure(n: object) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        msg = f"'about' takes a whole number of zero or more, got {n!r}"
        raise ValueError(msg)


def _spread(tolerance: float | None) -> str:
    """A tolerance as a reader says it: ``±10%``."""
    return f"±{(tolerance or 0) * 100:g}%"


def about_bounds(n: int, tolerance: float) -> tuple[int, int]:
    """The whole numbers "about *n*" allows: those in [n·(1-t), n·(1+t)], worked exactly.

    The tolerance is read as the decimal it is written as (0.1 is one tenth, not the
    binary fraction nearest it), so ``about 470`` is 423 to 517.
    """
    t = Fraction(repr(tolerance))
    return math.ceil(n * (1 - t)), math.floor(n * (1 + t))


CountKind: TypeAlias = Literal["precise", "open_ended", "approximate"]
"""How a count bounds its number: see :attr:`Count.kind`."""


@attrs.frozen
class Count:
    """A count with bounds, as reports give them: exactly 4, at least 4, at most 10, 3 to 5, about 470.

    A count is the closed interval [*low*, *high*] of whole numbers; ``None`` on either side
    means unbounded. An approximate count, "about 470", keeps the figure given (*nominal*)
    and its *tolerance*, and its bounds are those the tolerance allows: 423 to 517 for
    ±10%. Build counts with the named constructors rather than by hand.

    Attributes:
        low: The smallest number the claim allows, or ``None`` for no lower bound.
        high: The largest number the claim allows, or ``None`` for no upper bound.
        unit: What is counted ("people", "rockets"), if the analyst says so.
        nominal: The figure of an approximate count ("about 470" gives 470); ``None`` for
            the other forms.
        tolerance: How far an approximate count reaches either side of its figure, as a
            share of it (0.1 is ±10%); ``None`` for the other forms.
    """

    low: int | None = attrs.field(validator=_non_negative)
    high: int | None = attrs.field(validator=_non_negative)
    unit: str | None = attrs.field(default=None, validator=_optional_unit, kw_only=True)
    nominal: int | None = attrs.field(default=None, validator=_non_negative, kw_only=True)
    tolerance: float | None = attrs.field(default=None, converter=_tolerance, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.low is None and self.high is None:
            msg = "a count needs at least one bound"
            raise ValueError(msg)
        if self.low is not None and self.high is not None and self.low > self.high:
            msg = f"the lower bound {self.low} is above the upper bound {self.high}"
            raise ValueError(msg)
        if (self.nominal is None) != (self.tolerance is None):
            msg = "an approximate count needs both its figure and its tolerance: use Count.about"
            raise ValueError(msg)
        if self.nominal is not None and self.tolerance is not None:
            bounds = about_bounds(self.nominal, self.tolerance)
            if (self.low, self.high) != bounds:
                msg = (
                    f"about {self.nominal} ({_spread(self.tolerance)}) allows {bounds[0]} to "
                    f"{bounds[1]}, not {self.low} to {self.high}: use Count.about"
                )
                raise ValueError(msg)

    @classmethod
    def exactly(cls, n: int, *, unit: str | None = None) -> Count:
        """Exactly *n*."""
        return cls(n, n, unit=unit)

    @classmethod
    def at_least(cls, n: int, *, unit: str | None = None) -> Count:
        """*n* or more ("at least four killed")."""
        return cls(n, None, unit=unit)

    @classmethod
    def at_most(cls, n: int, *, unit: str | None = None) -> Count:
        """*n* or fewer ("up to ten")."""
        return cls(None, n, unit=unit)

    @classmethod
    def between(cls, low: int, high: int, *, unit: str | None = None) -> Count:
        """From *low* to *high*, both included."""
        return cls(low, high, unit=unit)

    @classmethod
    def about(
        cls, n: int, tolerance: float = DEFAULT_TOLERANCE, *, unit: str | None = None
    ) -> Count:
        """About *n* ("some 470 killed"): *n* give or take *tolerance*, a share of *n*.

        The count allows the whole numbers from n·(1-tolerance) to n·(1+tolerance): with
        the default 0.1 (±10%), about 470 is 423 to 517. *tolerance* is from 0 to 1.
        """
        _figure(n)
        t = _tolerance(tolerance)
        assert t is not None  # noqa: S101 - a number was given
        low, high = about_bounds(n, t)
        return cls(low, high, unit=unit, nominal=n, tolerance=t)

    @property
    def form(self) -> str:
        """The name of the form this count takes: exactly, at_least, at_most, between or about."""
        if self.nominal is not None:
            return "about"
        if self.low is None:
            return "at_most"
        if self.high is None:
            return "at_least"
        return "exactly" if self.low == self.high else "between"

    @property
    def kind(self) -> CountKind:
        """How the count bounds its number.

        ``"precise"`` for exactly and between (both bounds given by the source),
        ``"open_ended"`` for at least and at most (one side unbounded), ``"approximate"``
        for about (bounds that follow from a figure and a tolerance).
        """
        if self.nominal is not None:
            return "approximate"
        if self.low is None or self.high is None:
            return "open_ended"
        return "precise"

    def compatible_with(self, other: Count) -> bool:
        """Whether both counts can hold at once, that is whether their intervals intersect.

        "At least 4" and "exactly 4" are compatible; "exactly 3" and "at least 4" are not.
        Counts of different units measure different things, so they never conflict.
        """
        if self.unit is not None and other.unit is not None and self.unit != other.unit:
            return True
        low = max(_lo(self.low), _lo(other.low))
        high = min(_hi(self.high), _hi(other.high))
        return low <= high

    def __str__(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        if self.form == "exactly":
            return f"exactly {self.low}{unit}"
        if self.form == "at_least":
            return f"at least {self.low}{unit}"
        if self.form == "at_most":
            return f"at most {self.high}{unit}"
        if self.form == "about":
            if self.tolerance == DEFAULT_TOLERANCE:
                return f"about {self.nominal}{unit}"
            return f"about {self.nominal}{unit} ({_spread(self.tolerance)})"
        return f"between {self.low} and {self.high}{unit}"


def _lo(n: int | None) -> float:
    return float("-inf") if n is None else n


def _hi(n: int | None) -> float:
    return float("inf") if n is None else n
