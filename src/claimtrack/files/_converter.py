"""The one cattrs converter of case files: how each value and record is read and written.

YAML and JSON files share one structure and go through this one converter, so a case reads
the same whichever format holds it. The hooks are strict (text is not a number, a number
is not text) and word what is wrong for the person who typed it; dates arrive as text,
from both formats, and are parsed here.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import operator

from collections.abc import Callable, Mapping
from typing import Any

import cattrs

from cattrs.errors import ForbiddenExtraKeysError, IterableValidationError, IterableValidationNote
from cattrs.gen import make_dict_unstructure_fn, override

from claimtrack._suggest import hint, suggest
from claimtrack.model._period import Period
from claimtrack.model._records import (
    DATE_FORMS,
    DAY_FORMS,
    Affiliation,
    Attribution,
    Claim,
    Day,
    Document,
    Evidence,
    Moment,
    Question,
    Relation,
    Source,
    parse_moment,
)
from claimtrack.model._values import DEFAULT_TOLERANCE, Count


COUNT_FORMS = ("exactly", "at_least", "at_most", "between", "about")
_SHOWN = 40  # characters of a bad value quoted back in a message


class ShapeError(ValueError):
    """A value of the wrong shape, with a message written for the person who typed it."""


def describe(value: object) -> str:
    """Name *value* for a message: its kind in plain words, and the value itself if short."""
    if value is None:
        return "nothing (an empty value)"
    kinds = {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "a mapping",
    }
    kind = next((v for k, v in kinds.items() if type(value) is k), type(value).__name__)
    shown = repr(value) if len(repr(value)) <= _SHOWN else repr(value)[: _SHOWN - 1] + "…"
    return f"{kind} ({shown})" if kind not in ("a list", "a mapping") else kind


def _structure_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        msg = f"expected text, got {describe(value)}"
        if isinstance(value, int | float | bool):
            msg += "; put it in quotes"
        raise ShapeError(msg)
    return value


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"expected a whole number, got {describe(value)}"
        raise ShapeError(msg)
    return value


def _structure_bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        msg = f"expected true or false, got {describe(value)}"
        raise ShapeError(msg)
    return value


@functools.cache
def _allowed(cls: type[enum.Enum]) -> tuple[str, ...]:
    """The values of *cls* as a file writes them; one tuple per enum, so hints index it once."""
    return tuple(str(m.value) for m in cls)


def _structure_enum(value: object, cls: type[enum.Enum]) -> enum.Enum:
    if type(value) is cls:  # a member, as a builder may be given it
        return value
    allowed = _allowed(cls)
    numbered = any(type(m.value) is int for m in cls)
    try:
        # true is 1 and 1.0 equals 1 to Python, but neither is the number a file means
        if numbered and type(value) is not int:
            raise ValueError  # noqa: TRY301 - worded below, as any value not in the enum
        return cls(value)
    except ValueError:
        close = suggest(str(value), allowed)
        meant = f"; did you mean '{close}'?" if close is not None else ""
        # values of several words (a hedge's "very likely") are quoted, so that each reads whole
        shown = [f"'{a}'" for a in allowed] if any(" " in a for a in allowed) else list(allowed)
        msg = f"expected one of {', '.join(shown)}; got {describe(value)}{meant}"
        raise ShapeError(msg) from None


def _unstructure_word(value: enum.StrEnum) -> str:
    """An enum of words as a file writes it: the plain text of its value, not the member."""
    return value.value


def _parse_moment(value: object, cls: object) -> Moment:
    if isinstance(value, dt.date | Period):
        return value
    if not isinstance(value, str):
        msg = f"expected {DAY_FORMS if cls is Day else DATE_FORMS}, got {describe(value)}"
        if isinstance(value, int) and not isinstance(value, bool):
            msg += "; a year alone is written in quotes: '2024'"
        raise ShapeError(msg)
    try:
        return parse_moment(value, day_only=cls is Day)
    except ValueError as e:
        raise ShapeError(str(e)) from None


def _unstructure_moment(value: Moment) -> str:
    return value.isoformat()


def _structure_ids(value: object, _: type) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        msg = f"expected an id or a list of ids, got {describe(value)}"
        raise ShapeError(msg)
    errors = []
    for i, item in enumerate(items):
        if not isinstance(item, str):
            e = ShapeError(f"expected text, got {describe(item)}")
            e.__notes__ = [IterableValidationNote(f"@ index {i}", i, str)]
            errors.append(e)
    if errors:
        raise IterableValidationError("While structuring a list", errors, tuple)
    return tuple(items)


def _structure_count(value: object, _: type) -> Count:
    if type(value) is Count:  # already built, as a builder may be given it
        return value
    if not isinstance(value, Mapping):
        msg = (
            "expected a count such as {exactly: 4}, {at_least: 4}, {at_most: 10}, "
            "{between: [3, 5]} or {about: 470}"
        )
        raise ShapeError(msg)
    forms = [k for k in value if k in COUNT_FORMS]
    extra = [k for k in value if k not in (*COUNT_FORMS, "unit")]
    if extra:
        raise ForbiddenExtraKeysError("", Count, set(extra))
    if len(forms) != 1:
        msg = f"a count takes exactly one of {', '.join(COUNT_FORMS)}; got {', '.join(forms) or 'none'}"
        raise ShapeError(msg)
    form = forms[0]
    unit = None if value.get("unit") is None else _structure_str(value["unit"], str)
    if form == "between":
        pair = value["between"]
        if not isinstance(pair, list | tuple) or len(pair) != 2:  # noqa: PLR2004
            msg = f"'between' takes two numbers, [low, high]; got {describe(pair)}"
            raise ShapeError(msg)
        return Count.between(_structure_int(pair[0], int), _structure_int(pair[1], int), unit=unit)
    if form == "about":
        return _structure_about(value["about"], unit)
    return getattr(Count, form)(_structure_int(value[form], int), unit=unit)  # type: ignore[no-any-return]


_ABOUT_KEYS = ("value", "tolerance")


def _structure_about(raw: object, unit: str | None) -> Count:
    """``about: 470``, or ``about: {value: 470, tolerance: 0.2}``."""
    if not isinstance(raw, Mapping):
        return Count.about(_structure_int(raw, int), unit=unit)
    extra = [str(k) for k in raw if k not in _ABOUT_KEYS]
    if extra:
        msg = (
            f"'about' takes value and tolerance; unknown '{extra[0]}'{hint(extra[0], _ABOUT_KEYS)}"
        )
        raise ShapeError(msg)
    if "value" not in raw:
        msg = "'about' needs its 'value': {about: {value: 470, tolerance: 0.1}}"
        raise ShapeError(msg)
    tolerance = raw.get("tolerance", DEFAULT_TOLERANCE)
    if isinstance(tolerance, bool) or not isinstance(tolerance, int | float):
        msg = f"'tolerance' takes a number from 0 to 1 (0.1 is ±10%), got {describe(tolerance)}"
        raise ShapeError(msg)
    try:
        return Count.about(_structure_int(raw["value"], int), tolerance, unit=unit)
    except ValueError as e:
        raise ShapeError(str(e)) from None


def _unstructure_count(value: Count) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if value.form == "between":
        out["between"] = [value.low, value.high]
    elif value.form == "about":
        if value.tolerance == DEFAULT_TOLERANCE:
            out["about"] = value.nominal
        else:
            out["about"] = {"value": value.nominal, "tolerance": value.tolerance}
    else:
        out[value.form] = value.high if value.form == "at_most" else value.low
    if value.unit is not None:
        out["unit"] = value.unit
    return out


def _structure_affiliations(value: object, _: type) -> tuple[Affiliation, ...]:
    if not isinstance(value, list | tuple):  # one tie alone: its errors are placed at the field
        return (_structure_affiliation(value),)
    out = []
    errors = []
    for i, item in enumerate(value):
        try:
            out.append(_structure_affiliation(item))
        except Exception as e:  # noqa: BLE001 - each is reported with its place
            e.__notes__ = [
                *getattr(e, "__notes__", []),
                IterableValidationNote(f"@ index {i}", i, Affiliation),
            ]
            errors.append(e)
    if errors:
        raise IterableValidationError("While structuring affiliations", errors, tuple)
    return tuple(out)


def _structure_affiliation(item: object) -> Affiliation:
    if type(item) is Affiliation:  # already built, as a builder may be given it
        return item
    if isinstance(item, str):
        return Affiliation(item)
    if not isinstance(item, Mapping):
        msg = f"expected a source id, or {{source: id, from: date, to: date}}; got {describe(item)}"
        raise ShapeError(msg)
    extra = set(item) - {"source", "from", "to"}
    if extra:
        raise ForbiddenExtraKeysError("", Affiliation, extra)
    if "source" not in item:
        msg = "a dated affiliation needs its 'source'"
        raise ShapeError(msg)
    start = None if item.get("from") is None else _parse_moment(item["from"], Day)
    end = None if item.get("to") is None else _parse_moment(item["to"], Day)
    return Affiliation(_structure_str(item["source"], str), start=start, end=end)


def _unstructure_affiliations(value: tuple[Affiliation, ...]) -> object:
    out: list[object] = []
    for a in value:
        if a.start is None and a.end is None:
            out.append(a.source)
        else:
            d: dict[str, object] = {"source": a.source}
            if a.start is not None:
                d["from"] = a.start.isoformat()
            if a.end is not None:
                d["to"] = a.end.isoformat()
            out.append(d)
    return out[0] if len(out) == 1 and isinstance(out[0], str) else out


def configure_converter(conv: cattrs.Converter) -> None:
    """Register the hooks that make *conv* read and write claimtrack's case files."""
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(bool, _structure_bool)
    # an enum of words is a str too: registered for its own class, it is read as an enum
    conv.register_structure_hook(enum.StrEnum, _structure_enum)
    conv.register_unstructure_hook(enum.StrEnum, _unstructure_word)
    conv.register_structure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _structure_enum
    )
    _exactly(conv, Moment | None, lambda v, _: None if v is None else _parse_moment(v, Moment))
    _exactly(conv, Day | None, lambda v, _: None if v is None else _parse_moment(v, Day))
    conv.register_unstructure_hook(dt.date, _unstructure_moment)
    conv.register_unstructure_hook(dt.datetime, _unstructure_moment)
    conv.register_unstructure_hook(Period, _unstructure_moment)
    _exactly(conv, tuple[str, ...], _structure_ids)
    _exactly(conv, tuple[str, str], _structure_ids)
    conv.register_structure_hook(Count, _structure_count)
    conv.register_unstructure_hook(Count, _unstructure_count)
    _exactly(conv, tuple[Affiliation, ...], _structure_affiliations)
    conv.register_unstructure_hook_func(
        lambda t: t == tuple[Affiliation, ...], _unstructure_affiliations
    )
    for cls in (Source, Document, Evidence, Question, Claim, Attribution, Relation):
        # a factory, called at the record's first unstructuring and again after any hook
        # registered later, which clears the converter's cache of hooks
        conv.register_unstructure_hook_factory(
            functools.partial(operator.is_, cls), functools.partial(_record_unstructurer, conv)
        )


def _exactly(conv: cattrs.Converter, type_: object, hook: Callable[[Any, Any], Any]) -> None:
    """Register a structure hook for one generic type, which singledispatch cannot key on."""
    conv.register_structure_hook_func(lambda t: t == type_, hook)


def make_converter() -> cattrs.Converter:
    """Make the converter that reads and writes case files: strict and with detailed errors."""
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    configure_converter(conv)
    return conv


KEYED: tuple[type, ...] = (Source, Document, Evidence, Question, Claim)
"""The records a case file keeps in a mapping under their ids; the others are listed."""


def _record_unstructurer(conv: cattrs.Converter, cls: type) -> Callable[[Any], dict[str, Any]]:
    """Unstructure records in field order, leaving out defaults and a keyed record's id (the key).

    cattrs generates the function, with each field's hook looked up as it is made: it is
    made at a record's first unstructuring (see :func:`configure_converter`), so hooks
    registered after this converter was configured still count. Every record's fields
    without a default come before those with one, so leaving defaults out keeps the order.
    """
    if cls in KEYED:
        return make_dict_unstructure_fn(
            cls, conv, _cattrs_omit_if_default=True, id=override(omit=True)
        )
    return make_dict_unstructure_fn(cls, conv, _cattrs_omit_if_default=True)


CONVERTER = make_converter()
"""The one converter for every case-file format."""
