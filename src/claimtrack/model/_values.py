"""Structured values of claims: counts with bounds, and whether two can both hold."""

from __future__ import annotations

import attrs


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


@attrs.frozen
class Count:
    """A count with bounds, as reports give them: exactly 4, at least 4, at most 10, 3 to 5.

    A count is the closed interval [*low*, *high*] of whole numbers; ``None`` on either side
    means unbounded. Build counts with the named constructors rather than by hand.

    Attributes:
        low: The smallest number the claim allows, or ``None`` for no lower bound.
        high: The largest number the claim allows, or ``None`` for no upper bound.
        unit: What is counted ("people", "rockets"), if the analyst says so.
    """

    low: int | None = attrs.field(validator=_non_negative)
    high: int | None = attrs.field(validator=_non_negative)
    unit: str | None = attrs.field(default=None, validator=_optional_unit, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.low is None and self.high is None:
            msg = "a count needs at least one bound"
            raise ValueError(msg)
        if self.low is not None and self.high is not None and self.low > self.high:
            msg = f"the lower bound {self.low} is above the upper bound {self.high}"
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

    @property
    def form(self) -> str:
        """The name of the form this count takes: exactly, at_least, at_most or between."""
        if self.low is None:
            return "at_most"
        if self.high is None:
            return "at_least"
        return "exactly" if self.low == self.high else "between"

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
        return f"between {self.low} and {self.high}{unit}"


def _lo(n: int | None) -> float:
    return float("-inf") if n is None else n


def _hi(n: int | None) -> float:
    return float("inf") if n is None else n
