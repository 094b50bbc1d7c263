"""Case files: the one cattrs converter, safe YAML, strict JSON, and atomic saves.

YAML and JSON files share one structure; both go through the same converter, so a case
reads the same whichever format holds it. YAML is read with a loader that constructs
no objects, refuses duplicate keys and aliases, and reads ``no``, ``on`` and ISO dates
as the text they are; dates are then parsed by the converter, as they are for JSON.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import io
import json
import os
import re
import sys
import tempfile

from collections.abc import Callable, Iterator, Mapping
from difflib import get_close_matches
from pathlib import Path
from typing import IO, Any, TypeVar

import attrs
import cattrs
import yaml

from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)

from claimtrack._text import json_text
from claimtrack.engine._assess import Assessments
from claimtrack.errors import CaseFileError, IntegrityError, Problem
from claimtrack.files._bulk import build, gc_paused, quick_json
from claimtrack.model._case import SECTIONS, TOP_KEYS, Case, place_of
from claimtrack.model._records import (
    DATE_FORMS,
    Affiliation,
    Attribution,
    Claim,
    Document,
    Moment,
    Question,
    Relation,
    Source,
    parse_moment,
)
from claimtrack.model._values import Count


FORMAT_VERSION = 1
"""The case-file format this version of claimtrack reads and writes."""

_COUNT_FORMS = ("exactly", "at_least", "at_most", "between")
_T = TypeVar("_T")
_SHOWN = 40  # characters of a bad value quoted back in a message


class _ShapeError(ValueError):
    """A value of the wrong shape, with a message written for the person who typed it."""


def _describe(value: object) -> str:
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


# ---- the converter ----------------------------------------------------------------------


def _structure_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        msg = f"expected text, got {_describe(value)}"
        if isinstance(value, int | float | bool):
            msg += "; put it in quotes"
        raise _ShapeError(msg)
    return value


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"expected a whole number, got {_describe(value)}"
        raise _ShapeError(msg)
    return value


def _structure_bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        msg = f"expected true or false, got {_describe(value)}"
        raise _ShapeError(msg)
    return value


def _structure_enum(value: object, cls: type[enum.Enum]) -> enum.Enum:
    allowed = [m.value for m in cls]
    try:
        return cls(value)
    except ValueError:
        close = get_close_matches(str(value), [str(a) for a in allowed], n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        msg = f"expected one of {', '.join(str(a) for a in allowed)}; got {_describe(value)}{hint}"
        raise _ShapeError(msg) from None


def _parse_moment(value: object, cls: object) -> Moment:
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        msg = f"expected {DATE_FORMS}, got {_describe(value)}"
        raise _ShapeError(msg)
    try:
        return parse_moment(value, day_only=cls is dt.date)
    except ValueError as e:
        raise _ShapeError(str(e)) from None


def _unstructure_moment(value: Moment) -> str:
    return value.isoformat()


def _structure_ids(value: object, _: type) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        msg = f"expected an id or a list of ids, got {_describe(value)}"
        raise _ShapeError(msg)
    errors = []
    for i, item in enumerate(items):
        if not isinstance(item, str):
            e = _ShapeError(f"expected text, got {_describe(item)}")
            e.__notes__ = [IterableValidationNote(f"@ index {i}", i, str)]
            errors.append(e)
    if errors:
        raise IterableValidationError("While structuring a list", errors, tuple)
    return tuple(items)


def _structure_count(value: object, _: type) -> Count:
    if not isinstance(value, Mapping):
        msg = "expected a count such as {exactly: 4}, {at_least: 4}, {at_most: 10} or {between: [3, 5]}"
        raise _ShapeError(msg)
    forms = [k for k in value if k in _COUNT_FORMS]
    extra = [k for k in value if k not in (*_COUNT_FORMS, "unit")]
    if extra:
        raise ForbiddenExtraKeysError("", Count, set(extra))
    if len(forms) != 1:
        msg = f"a count takes exactly one of {', '.join(_COUNT_FORMS)}; got {', '.join(forms) or 'none'}"
        raise _ShapeError(msg)
    form = forms[0]
    unit = None if value.get("unit") is None else _structure_str(value["unit"], str)
    if form == "between":
        pair = value["between"]
        if not isinstance(pair, list | tuple) or len(pair) != 2:  # noqa: PLR2004
            msg = f"'between' takes two numbers, [low, high]; got {_describe(pair)}"
            raise _ShapeError(msg)
        return Count.between(_structure_int(pair[0], int), _structure_int(pair[1], int), unit=unit)
    return getattr(Count, form)(_structure_int(value[form], int), unit=unit)  # type: ignore[no-any-return]


def _unstructure_count(value: Count) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if value.form == "between":
        out["between"] = [value.low, value.high]
    else:
        out[value.form] = value.high if value.form == "at_most" else value.low
    if value.unit is not None:
        out["unit"] = value.unit
    return out


def _structure_affiliations(value: object, _: type) -> tuple[Affiliation, ...]:
    items = value if isinstance(value, list | tuple) else [value]
    out = []
    errors = []
    for i, item in enumerate(items):
        try:
            out.append(_structure_affiliation(item))
        except Exception as e:  # noqa: BLE001 - each is reported with its place
            e.__notes__ = [
                *getattr(e, "__notes__", []),
                IterableValidationNote(f"@ index {i}", i, Affiliation),
            ]
            errors.append(e)
    if errors:
        if not isinstance(value, list | tuple):
            raise errors[0]
        raise IterableValidationError("While structuring affiliations", errors, tuple)
    return tuple(out)


def _structure_affiliation(item: object) -> Affiliation:
    if isinstance(item, str):
        return Affiliation(item)
    if not isinstance(item, Mapping):
        msg = (
            f"expected a source id, or {{source: id, from: date, to: date}}; got {_describe(item)}"
        )
        raise _ShapeError(msg)
    extra = set(item) - {"source", "from", "to"}
    if extra:
        raise ForbiddenExtraKeysError("", Affiliation, extra)
    if "source" not in item:
        msg = "a dated affiliation needs its 'source'"
        raise _ShapeError(msg)
    start = None if item.get("from") is None else _parse_moment(item["from"], dt.date)
    end = None if item.get("to") is None else _parse_moment(item["to"], dt.date)
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
    conv.register_structure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _structure_enum
    )
    _exactly(conv, Moment | None, lambda v, _: None if v is None else _parse_moment(v, Moment))
    _exactly(conv, dt.date | None, lambda v, _: None if v is None else _parse_moment(v, dt.date))
    conv.register_unstructure_hook(dt.date, _unstructure_moment)
    conv.register_unstructure_hook(dt.datetime, _unstructure_moment)
    _exactly(conv, tuple[str, ...], _structure_ids)
    _exactly(conv, tuple[str, str], _structure_ids)
    conv.register_structure_hook(Count, _structure_count)
    conv.register_unstructure_hook(Count, _unstructure_count)
    _exactly(conv, tuple[Affiliation, ...], _structure_affiliations)
    conv.register_unstructure_hook_func(
        lambda t: t == tuple[Affiliation, ...], _unstructure_affiliations
    )
    for cls in (Source, Document, Question, Claim, Attribution, Relation):
        conv.register_unstructure_hook(cls, _record_unstructurer(conv, cls))
    conv.register_unstructure_hook(Assessments, lambda a: assessments_to_data(a, conv=conv))
    conv.register_structure_hook(Case, lambda data, _: case_from_data(data, conv=conv))
    conv.register_unstructure_hook(Case, lambda case: case_to_data(case, conv=conv))


def _exactly(conv: cattrs.Converter, type_: object, hook: Callable[[Any, Any], Any]) -> None:
    """Register a structure hook for one generic type, which singledispatch cannot key on."""
    conv.register_structure_hook_func(lambda t: t == type_, hook)


def make_converter() -> cattrs.Converter:
    """Make the converter that reads and writes case files: strict and with detailed errors."""
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    configure_converter(conv)
    return conv


def _record_unstructurer(conv: cattrs.Converter, cls: type) -> Callable[[Any], dict[str, Any]]:
    """Unstructure records in field order, leaving out the id (it is the key) and defaults."""
    fields = [f for f in attrs.fields(cls) if f.name != "id"]

    def unstructure(record: Any) -> dict[str, Any]:
        out = {}
        for f in fields:
            value = getattr(record, f.name)
            if f.default is not attrs.NOTHING and value == f.default:
                continue
            out[f.name] = conv.unstructure(value, f.type)
        return out

    return unstructure


CONVERTER = make_converter()
"""The one converter for every case-file format."""


# ---- from data to a Case, with every problem and its place -------------------------------------


def case_from_data(
    data: object, *, conv: cattrs.Converter = CONVERTER, file: str | None = None
) -> Case:
    """Structure the parsed contents of a case file into a :class:`Case`, unchecked.

    Raises:
        CaseFileError: With every structural problem found, each with its place.
    """
    if not isinstance(data, Mapping):
        msg = f"a case file holds a mapping of sections, not {_describe(data)}"
        raise CaseFileError([Problem("", msg, file=file)])
    reader = _Reader(conv, file)
    title, description = reader.header(data)
    records: list[object] = []
    for cls, section in SECTIONS.items():
        records += reader.table(data, section, cls)
    records += reader.items(data, "attributions", Attribution)
    records += reader.items(data, "relations", Relation)
    if reader.problems:
        raise CaseFileError(reader.problems)
    return Case.from_records(records, title=title, description=description)


@attrs.define
class _Reader:
    """Structures the sections of a case file, gathering every problem with its place."""

    conv: cattrs.Converter
    file: str | None
    problems: list[Problem] = attrs.Factory(list)

    def problem(self, place: str, message: str) -> None:
        self.problems.append(Problem(place, message, file=self.file))

    def header(self, data: Mapping[Any, Any]) -> tuple[str, str | None]:
        for key in data:
            if key not in TOP_KEYS:
                self.problem(str(key), f"unknown section '{key}'{_hint(str(key), TOP_KEYS)}")
        version = data.get("claimtrack")
        if "claimtrack" not in data:
            msg = f"missing: the format version, 'claimtrack: {FORMAT_VERSION}', opens a case file"
            self.problem("claimtrack", msg)
        elif version != FORMAT_VERSION or isinstance(version, bool):
            msg = (
                f"format version {version!r} is not one this claimtrack reads "
                f"(it reads {FORMAT_VERSION}); upgrade claimtrack or fix the version"
            )
            self.problem("claimtrack", msg)
        title = data.get("title", "Untitled case")
        if not isinstance(title, str) or not title.strip():
            self.problem("title", f"expected non-empty text, got {_describe(title)}")
        description = data.get("description")
        if description is not None and not isinstance(description, str):
            self.problem("description", f"expected text, got {_describe(description)}")
        return title, description

    def table(self, data: Mapping[Any, Any], section: str, cls: type[_T]) -> list[_T]:
        table = data.get(section)
        if table is None:
            return []
        if not isinstance(table, Mapping):
            self.problem(section, f"expected a mapping of ids to {section}, got {_describe(table)}")
            return []
        out = []
        for key, fields in table.items():
            here = place_of(section, str(key))
            if not isinstance(key, str):
                self.problem(here, f"ids are text; got {_describe(key)}: put it in quotes")
            elif not isinstance(fields, Mapping):
                noun = section.removesuffix("s")
                self.problem(here, f"expected the fields of a {noun}, got {_describe(fields)}")
            elif "id" in fields:
                self.problem(f"{here}.id", "the id is the key above; remove this field")
            else:
                out.append(self.record({"id": key, **fields}, cls, here))
        return [r for r in out if r is not None]

    def items(self, data: Mapping[Any, Any], section: str, cls: type[_T]) -> list[_T]:
        items = data.get(section)
        if items is None:
            return []
        if not isinstance(items, list):
            self.problem(section, f"expected a list of {section}, got {_describe(items)}")
            return []
        out = []
        for i, fields in enumerate(items):
            here = place_of(section, i)
            if not isinstance(fields, Mapping):
                noun = section.removesuffix("s")
                self.problem(here, f"expected the fields of an {noun}, got {_describe(fields)}")
            else:
                out.append(self.record(fields, cls, here))
        return [r for r in out if r is not None]

    def record(self, data: Mapping[str, Any], cls: type[_T], here: str) -> _T | None:
        try:
            return self.conv.structure(data, cls)
        except (ClassValidationError, IterableValidationError) as exc:
            for path, err in _walk(exc, []):
                if isinstance(err, ForbiddenExtraKeysError):
                    owner = err.cl if attrs.has(err.cl) or err.cl in (Affiliation, Count) else cls
                    known = _known_keys(owner)
                    for key in sorted(err.extra_fields):
                        msg = f"unknown field '{key}'{_hint(key, known)}"
                        self.problem(_join(here, [*path, key]), msg)
                else:
                    self.problem(_join(here, path), _message(err, path))
        except (ValueError, TypeError) as exc:
            self.problem(here, _message(exc, []))
        return None


def _walk(
    exc: BaseException, path: list[str | int]
) -> Iterator[tuple[list[str | int], BaseException]]:
    if isinstance(exc, ClassValidationError | IterableValidationError):
        for sub in exc.exceptions:
            step = next(
                (
                    n
                    for n in getattr(sub, "__notes__", [])
                    if isinstance(n, AttributeValidationNote | IterableValidationNote)
                ),
                None,
            )
            if isinstance(step, AttributeValidationNote):
                yield from _walk(sub, [*path, step.name])
            elif isinstance(step, IterableValidationNote):
                yield from _walk(sub, [*path, step.index])
            else:
                yield from _walk(sub, path)
    else:
        yield path, exc


def _join(here: str, path: list[str | int]) -> str:
    for part in path:
        here += f"[{part}]" if isinstance(part, int) else f".{part}"
    return here


def _known_keys(cls: type) -> list[str]:
    if cls is Affiliation:
        return ["source", "from", "to"]
    if cls is Count:
        return [*_COUNT_FORMS, "unit"]
    return [f.name for f in attrs.fields(cls) if f.name != "id"]


def _message(err: BaseException, path: list[str | int]) -> str:
    if isinstance(err, KeyError):
        return f"required field '{err.args[0]}' is missing"
    if isinstance(err, ValueError | TypeError) and (
        isinstance(err, _ShapeError) or str(err).startswith("'") or path
    ):
        return str(err)  # written for the reader: by our hooks, or our validators naming the field
    return f"{type(err).__name__}: {err}"


def _hint(word: str, known: Any) -> str:
    close = get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def case_to_data(case: Case, *, conv: cattrs.Converter = CONVERTER) -> dict[str, Any]:
    """Unstructure *case* into the plain mapping a case file holds, keys in a stable order."""
    data: dict[str, Any] = {"claimtrack": FORMAT_VERSION, "title": case.title}
    if case.description is not None:
        data["description"] = case.description
    data["sources"] = {k: conv.unstructure(v, Source) for k, v in case.sources.items()}
    data["documents"] = {k: conv.unstructure(v, Document) for k, v in case.documents.items()}
    data["questions"] = {k: conv.unstructure(v, Question) for k, v in case.questions.items()}
    data["claims"] = {k: conv.unstructure(v, Claim) for k, v in case.claims.items()}
    data["attributions"] = [conv.unstructure(a, Attribution) for a in case.attributions]
    data["relations"] = [conv.unstructure(r, Relation) for r in case.relations]
    return data


def assessments_to_data(
    result: Assessments, *, conv: cattrs.Converter = CONVERTER
) -> dict[str, Any]:
    """Unstructure assessments into the JSON shape ``claimtrack assess`` prints."""
    return {
        "assessments": [
            {
                "claim": a.claim,
                "question": a.question,
                "probability": round(a.probability, 6),
                "estimate": a.estimate.value,
                "confidence": a.confidence.value,
                "credibility": a.credibility.value,
                "admiralty": a.admiralty,
                "status": a.status.value,
                "origins_for": len(a.origins_for),
                "origins_against": len(a.origins_against),
                "votes": [
                    {
                        "origin": v.origin,
                        "stance": v.stance.value,
                        "weight": round(v.weight, 6),
                        "publishers": list(v.publishers),
                        "attributions": list(v.attributions),
                    }
                    for v in a.votes
                ],
                "reasons": list(a.reasons),
            }
            for a in result.assessments
        ],
        "contradictions": [conv.unstructure(c) for c in result.contradictions],
        "warnings": [conv.unstructure(w) for w in result.warnings],
        "figures": [conv.unstructure(f) for f in result.figures],
    }


# ---- parsing ------------------------------------------------------------------------------


class _SafeLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate keys and aliases and keeps dates and no/on as text."""


_SafeLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_SafeLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def _construct_mapping(
    loader: _SafeLoader, node: yaml.MappingNode, deep: bool = False
) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: dict[Any, yaml.Node] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                "a key must be a plain value, not a list or mapping",
                key_node.start_mark,
            ) from None
        if key in seen:
            first = seen[key].start_mark
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key '{key}' (first given on line {first.line + 1})",
                key_node.start_mark,
            )
        seen[key] = key_node
    return loader.construct_mapping(node, deep=deep)


_SafeLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _whole_number(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        msg = f"Limits.{attribute.name} must be a whole number of at least 1, got {value!r}"
        raise ValueError(msg)


@attrs.frozen
class Limits:
    """How much a case file may hold; past these it is refused before it can exhaust the machine.

    A case file is read whole, so its size bounds the memory a load takes; nesting and
    text length bound what the parser and the renderers are asked to do. The defaults
    leave room for a million attributions and for documents' full texts inline.

    Attributes:
        max_bytes: The largest file read, in bytes (default 512 MiB).
        max_depth: How deeply lists and mappings may nest in YAML (default 64; a case file
            needs six). JSON is bounded by its decoder at about a thousand levels.
        max_text: The longest single text, in characters (default 1,000,000).
        max_digits: The longest number, in digits (default 100).
    """

    max_bytes: int = attrs.field(default=512 * 2**20, validator=_whole_number)
    max_depth: int = attrs.field(default=64, validator=_whole_number)
    max_text: int = attrs.field(default=1_000_000, validator=_whole_number)
    max_digits: int = attrs.field(default=100, validator=_whole_number)


DEFAULT_LIMITS = Limits()


class _Composer(_SafeLoader):
    """Refuses aliases (repeated subtrees are how YAML bombs multiply) and whatever is past the limits."""

    def __init__(self, stream: str | bytes, limits: Limits) -> None:
        super().__init__(stream)
        self.limits = limits
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self._depth >= self.limits.max_depth:
            event = self.peek_event()  # type: ignore[no-untyped-call]
            msg = f"nested more than {self.limits.max_depth} levels deep"
            raise yaml.composer.ComposerError(None, None, msg, event.start_mark)
        self._depth += 1
        try:
            return self._compose_one(parent, index)
        finally:
            self._depth -= 1

    def _compose_one(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event: Any = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None,
                None,
                f"aliases (*{event.anchor}) are not allowed in case files; repeat the value",
                event.start_mark,
            )
        return super().compose_node(parent, index)


def _construct_int(loader: _Composer, node: yaml.ScalarNode) -> int:
    if len(str(node.value)) > loader.limits.max_digits:
        msg = f"a number of more than {loader.limits.max_digits} digits"
        raise yaml.constructor.ConstructorError(None, None, msg, node.start_mark)
    return int(loader.construct_yaml_int(node))


def _construct_str(loader: _Composer, node: yaml.ScalarNode) -> str:
    value = loader.construct_scalar(node)
    if len(value) > loader.limits.max_text:
        msg = _too_long(len(value), loader.limits)
        raise yaml.constructor.ConstructorError(None, None, msg, node.start_mark)
    return str(value)


_Composer.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Composer.add_constructor("tag:yaml.org,2002:str", _construct_str)


def _too_long(length: int, limits: Limits) -> str:
    return f"a text of {length:,} characters; the limit is {limits.max_text:,}"


def _yaml_error(e: yaml.YAMLError, file: str | None) -> CaseFileError:
    if isinstance(e, yaml.MarkedYAMLError):
        mark = e.problem_mark or e.context_mark
        place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        return CaseFileError(
            [Problem(place, f"not valid YAML: {e.problem or e.context}", file=file)]
        )
    return CaseFileError([Problem("", f"not valid YAML: {e}", file=file)])


def parse_yaml(
    text: str | bytes, *, file: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> Any:
    """Parse YAML text safely: plain data only, no duplicate keys, no aliases, within *limits*.

    Raises:
        CaseFileError: With the line and column of what is wrong.
    """
    try:
        loader = _Composer(text, limits)  # the reader refuses control characters already here
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.YAMLError as e:
        raise _yaml_error(e, file) from None


def _refuse_constant(name: str) -> None:
    msg = f"{name} is not a number a case file may hold"
    raise ValueError(msg)


def _json_hooks(limits: Limits) -> dict[str, Any]:  # noqa: C901 - one tight loop, run per object
    """The decoder's hooks: no duplicate keys, no NaN, nothing past *limits*."""
    most = limits.max_text

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                msg = f"duplicate key '{key}'"
                raise ValueError(msg)
            if len(key) > most:
                raise ValueError(_too_long(len(key), limits))
            if type(value) is str:
                if len(value) > most:
                    raise ValueError(_too_long(len(value), limits))
            elif type(value) is list:
                for item in value:
                    if type(item) is str and len(item) > most:
                        raise ValueError(_too_long(len(item), limits))
            out[key] = value
        return out

    def parse_int(digits: str) -> int:
        if len(digits) > limits.max_digits:
            msg = f"a number of more than {limits.max_digits} digits"
            raise ValueError(msg)
        return int(digits)

    return {"object_pairs_hook": pairs, "parse_constant": _refuse_constant, "parse_int": parse_int}


def parse_json(
    text: str | bytes, *, file: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> Any:
    """Parse JSON strictly: no duplicate keys, no NaN or Infinity, nothing past *limits*.

    Raises:
        CaseFileError: With the line and column of what is wrong.
    """
    try:
        return json.loads(text, **_json_hooks(limits))
    except json.JSONDecodeError as e:
        raise CaseFileError(
            [Problem(f"line {e.lineno}, column {e.colno}", f"not valid JSON: {e.msg}", file=file)]
        ) from None
    except ValueError as e:
        raise CaseFileError([Problem("", f"not valid JSON: {e}", file=file)]) from None
    except RecursionError:
        raise CaseFileError([Problem("", "not valid JSON: nested too deeply", file=file)]) from None


def _known_format(format: str, file: str | None = None) -> str:  # noqa: A002
    fmt = format.lower()
    if fmt not in ("yaml", "json"):
        msg = f"unknown format '{format}': case files are yaml or json"
        raise CaseFileError([Problem("", msg, file=file)])
    return fmt


def format_of(path: str | Path, format: str | None = None) -> str:  # noqa: A002
    """The format of a case file: *format* if given, else by the suffix of *path*."""
    if format is not None:
        fmt = format.lower()
    else:
        suffix = Path(str(path)).suffix.lower()
        fmt = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}.get(suffix, "")
        if str(path) == "-":
            fmt = "yaml"
    if fmt not in ("yaml", "json"):
        msg = f"cannot tell the format of '{path}': use a .yaml, .yml or .json file, or give the format"
        raise CaseFileError([Problem("", msg, file=str(path))])
    return fmt


# ---- load and save --------------------------------------------------------------------------


def load(
    path: str | Path | IO[str] | IO[bytes],
    *,
    format: str | None = None,  # noqa: A002
    texts: str | Path | list[str | Path] | None = None,
    validate: bool = True,
    limits: Limits = DEFAULT_LIMITS,
) -> Case:
    """Load a case file (YAML or JSON, by suffix; ``-`` is standard input).

    Args:
        path: The file, ``-`` for standard input, or an open file.
        format: ``yaml`` or ``json``, when the suffix does not say.
        texts: Folders to look in for documents' ``text_file`` before the case file's own.
        validate: Refuse a case whose records do not fit together (the default).
        limits: The most a file may hold; see :class:`Limits`.

    Raises:
        CaseFileError: The file is missing, unreadable, past the limits, or not of the
            case-file shape.
        IntegrityError: The records do not fit together (unknown ids, loops, dates).
    """
    name, raw, stamp = _read(path, limits)
    fmt = (
        format_of(path, format)
        if isinstance(path, str | Path)
        else _known_format(format or "yaml", name)
    )
    with gc_paused():
        case, checked = _read_case(raw, fmt, name, limits)
    if isinstance(path, str | Path) and str(path) != "-":
        case.path = Path(path)
        case._disk = stamp  # noqa: SLF001 - the case's own record of the file, kept by I/O
    if texts is not None:
        case.text_dirs = tuple(Path(t) for t in (texts if isinstance(texts, list) else [texts]))
    if validate and not checked:
        errors = [p for p in case.validate(texts=False) if p.is_error]
        if errors:
            raise IntegrityError([attrs.evolve(p, file=name) for p in errors])
    return case


def _read_case(raw: str, fmt: str, name: str, limits: Limits) -> tuple[Case, bool]:
    """Read a case from *raw*: in bulk when the data is well formed, else record by record.

    Returns:
        The case, and whether its records were already checked to fit together.
    """
    quick = quick_json(raw, limits.max_digits) if fmt == "json" else None
    if quick is None:
        data = (parse_yaml if fmt == "yaml" else parse_json)(raw, file=name, limits=limits)
        case = build(data, limits.max_text)
    else:
        data = quick[0]
        case = build(data, limits.max_text, keys=quick[1])
    if case is not None:
        return case, True
    if quick is not None:  # the quick parse let through what the strict one words
        data = parse_json(raw, file=name, limits=limits)
    return case_from_data(data, file=name), False


Stamp = tuple[int, int, int]
"""What tells a file apart from its later versions: size, modification time and inode."""


def _stamp(stat: os.stat_result) -> Stamp:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def _read(path: str | Path | IO[str] | IO[bytes], limits: Limits) -> tuple[str, str, Stamp | None]:  # noqa: C901 - each way a file can fail, worded
    stamp = None
    most = limits.max_bytes
    if not isinstance(path, str | Path):
        name, raw = str(getattr(path, "name", "<stream>")), path.read(most + 1)
    elif str(path) == "-":
        name, raw = "<stdin>", sys.stdin.buffer.read(most + 1)
    else:
        name = str(path)
        try:
            with Path(path).open("rb") as f:
                stamp = _stamp(os.fstat(f.fileno()))
                if stamp[0] > most:
                    raise CaseFileError([Problem("", _too_big(stamp[0], limits), file=name)])
                # read what fstat says is there, not the limit: a buffer the size of the
                # limit would be allocated up front however small the file
                raw = f.read(stamp[0] + 1)
                if len(raw) > stamp[0]:  # it grew meanwhile
                    raw += f.read(most + 1 - len(raw))
        except FileNotFoundError:
            raise CaseFileError([Problem("", "no such file", file=name)]) from None
        except IsADirectoryError:
            raise CaseFileError([Problem("", "is a folder, not a case file", file=name)]) from None
        except OSError as e:
            raise CaseFileError([Problem("", f"cannot be read: {e.strerror}", file=name)]) from None
    if len(raw) > most:
        raise CaseFileError([Problem("", _too_big(None, limits), file=name)])
    if isinstance(raw, str):
        return name, raw, stamp
    try:
        return name, raw.decode("utf-8-sig"), stamp
    except UnicodeDecodeError as e:
        raise CaseFileError([Problem(f"byte {e.start}", "not UTF-8 text", file=name)]) from None


def _too_big(size: int | None, limits: Limits) -> str:
    what = f"{size:,} bytes" if size is not None else "more bytes"
    return f"{what} than a case file may hold (the limit is {limits.max_bytes:,}; see Limits)"


class _Dumper(yaml.SafeDumper):
    """Writes ISO dates without quotes; quotes everything YAML 1.1 readers might misread."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        """Indent list items under their key, so that only section names start a line."""
        del indentless
        super().increase_indent(flow, False)  # noqa: FBT003


_Dumper.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}


_YAML_BREAKS = "\r\x85\u2028\u2029"  # line breaks to YAML 1.1 besides \n; only "..." keeps them


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style: str | None = None
    if any(c in value for c in _YAML_BREAKS):
        style = '"'
    elif "\n" in value and value == value.strip(" "):
        style = "|"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dumps(case: Case, format: str = "yaml") -> str:  # noqa: A002
    """The text of *case* as a case file, in ``yaml`` or ``json``."""
    format = _known_format(format)  # noqa: A001
    data = case_to_data(case)
    if format == "json":
        return json_text(data) + "\n"
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def save(
    case: Case,
    path: str | Path,
    *,
    format: str | None = None,  # noqa: A002
    force: bool = False,
) -> None:
    """Write *case* to *path* atomically; see :meth:`Case.save`."""
    fmt = format_of(path, format)
    errors = [p for p in case.validate(texts=False) if p.is_error]
    if errors:
        raise IntegrityError(errors)
    text = dumps(case, fmt)
    if str(path) == "-":
        sys.stdout.write(text)
        return
    target = Path(path)
    if not force:
        _refuse_if_changed(case, target)
    atomic_write(target, text.encode())
    case.path = target
    with contextlib.suppress(OSError):
        case._disk = _stamp(target.stat())  # noqa: SLF001 - the case's own record of the file


def _refuse_if_changed(case: Case, target: Path) -> None:
    """Refuse to overwrite the case's own file when someone changed it after it was read."""
    seen = case._disk  # noqa: SLF001
    if seen is None or case.path is None:
        return
    try:
        same_file = target.resolve() == case.path.resolve()
        now = _stamp(target.stat()) if same_file else seen
    except OSError:
        return  # gone or unreadable: there is nothing of someone else's to overwrite
    if now != seen:
        msg = (
            "changed on disk since this case was loaded; saving would lose those changes. "
            "Load it again, or save with force=True to overwrite them"
        )
        raise CaseFileError([Problem("", msg, file=str(target))])


def atomic_write(path: Path, data: bytes) -> None:
    """Replace *path* with *data* so that readers see the old file or the new, never a mix.

    Raises:
        CaseFileError: The file cannot be written; the old file, if any, is left as it was.
    """
    with atomic_file(path) as out:
        out.write(data)


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[IO[bytes]]:
    """A file to write *path*'s new content to, a piece at a time; it replaces *path* at the end.

    Until the block ends without an exception, *path* is untouched; then the new content
    takes its place whole. If the block fails, the partial content is thrown away.

    Raises:
        CaseFileError: The file cannot be written; the old file, if any, is left as it was.
    """
    folder = path.parent if str(path.parent) else Path()
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(OSError):
            Path(tmp).chmod(path.stat().st_mode & 0o7777 if path.exists() else 0o644)
        Path(tmp).replace(path)
        tmp = None
        _sync_folder(folder)
    except OSError as e:
        raise CaseFileError(
            [Problem("", f"cannot be written: {e.strerror or e}", file=str(path))]
        ) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; some systems cannot open a folder, and that is fine."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def loads(
    text: str | bytes,
    format: str = "yaml",  # noqa: A002
    *,
    file: str = "<string>",
    limits: Limits = DEFAULT_LIMITS,
) -> Case:
    """Read a case from the text of a case file; see :func:`load`."""
    return load(_Named(text, file), format=format, limits=limits)


class _Named(io.BytesIO):
    def __init__(self, text: str | bytes, name: str) -> None:
        super().__init__(text.encode() if isinstance(text, str) else text)
        self.name = name
