"""From the parsed contents of a case file to a Case and back, with every problem and its place.

:func:`case_from_data` reads every record through the converter and, rather than stopping at
the first problem, gathers them all, each with the place it is at (``claims.c1.value``) and,
for a misspelt key, the key that was probably meant. :func:`case_to_data` is the reverse.
"""

from __future__ import annotations

import functools

from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

import attrs
import cattrs

from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)

from claimtrack import _suggest
from claimtrack.errors import CaseFileError, Problem
from claimtrack.files._converter import CONVERTER, COUNT_FORMS, KEYED, ShapeError, describe
from claimtrack.model._case import SECTIONS, TOP_KEYS, Case, place_of
from claimtrack.model._records import (
    FIELD_OF_MESSAGE,
    Affiliation,
    Attribution,
    Claim,
    Document,
    Evidence,
    Question,
    Relation,
    Source,
)
from claimtrack.model._surrogates import surrogate_problem
from claimtrack.model._values import Count


FORMAT_VERSION = 1
"""The case-file format this version of claimtrack reads and writes."""

_T = TypeVar("_T")


def case_from_data(
    data: object, *, conv: cattrs.Converter = CONVERTER, file: str | None = None
) -> Case:
    """Structure the parsed contents of a case file into a :class:`Case`, unchecked.

    Raises:
        CaseFileError: With every structural problem found, each with its place.
    """
    if not isinstance(data, Mapping):
        msg = f"a case file holds a mapping of sections, not {describe(data)}"
        raise CaseFileError([Problem("", msg, file=file)])
    reader = _Reader(conv, file)
    with _suggest.report():  # one budget of "did you mean" hints for the whole file
        title, description = reader.header(data)
        records: list[object] = []
        for cls, section in SECTIONS.items():
            records += reader.table(data, section, cls)
        records += reader.items(data, "attributions", Attribution)
        records += reader.items(data, "relations", Relation)
    if reader.problems:
        raise CaseFileError(reader.problems)
    return Case.from_records(records, title=title, description=description, check=False)


def structure_record(
    cls: type[_T], section: str, key: str | int, fields: Mapping[str, Any]
) -> tuple[_T | None, list[Problem]]:
    """Read one record as a case file holds it, for the builders of :class:`Case`.

    *fields* are those the file would hold for the record; *key* its id (under which a
    keyed record stands in *section*, and which *fields* then lack) or its position in a
    listed section. The record is read exactly as :func:`case_from_data` reads it in a
    file, through the same converter, so that a builder refuses what a file refuses, with
    the same problems at the same places (``sources.x.kind``), and accepts what a file
    accepts (text for enums, ``{"exactly": 5}`` for a count, ISO text for dates).

    Returns:
        The record, or ``None`` with the problems (each without a file) that refuse it.
    """
    here = place_of(section, key if isinstance(key, int) else str(key))
    keyed = cls in KEYED
    reader = _Reader(CONVERTER, None)
    with _suggest.report():
        wrong = surrogate_problems({section: {key: fields}}, None)
        if wrong:
            return None, wrong
        if not keyed:
            return reader.record(fields, cls, here), reader.problems
        if not isinstance(key, str):
            reader.problem(here, f"ids are text; got {describe(key)}: put it in quotes")
            return None, reader.problems
        return reader.record({"id": key, **fields}, cls, here), reader.problems


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
        elif type(version) is not int or version != FORMAT_VERSION:  # true and 1.0 equal 1
            msg = (
                f"format version {version!r} is not one this claimtrack reads "
                f"(it reads {FORMAT_VERSION}); upgrade claimtrack or fix the version"
            )
            self.problem("claimtrack", msg)
        title = data.get("title", "Untitled case")
        if not isinstance(title, str) or not title.strip():
            self.problem("title", f"expected non-empty text, got {describe(title)}")
        description = data.get("description")
        if description is not None and not isinstance(description, str):
            self.problem("description", f"expected text, got {describe(description)}")
        return title, description

    def table(self, data: Mapping[Any, Any], section: str, cls: type[_T]) -> list[_T]:
        table = data.get(section)
        if table is None:
            return []
        if not isinstance(table, Mapping):
            self.problem(section, f"expected a mapping of ids to {section}, got {describe(table)}")
            return []
        out = []
        for key, fields in table.items():
            here = place_of(section, str(key))
            if not isinstance(key, str):
                self.problem(here, f"ids are text; got {describe(key)}: put it in quotes")
            elif not isinstance(fields, Mapping):
                noun = "an item of evidence" if section == "evidence" else f"a {section[:-1]}"
                self.problem(here, f"expected the fields of {noun}, got {describe(fields)}")
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
            self.problem(section, f"expected a list of {section}, got {describe(items)}")
            return []
        out = []
        for i, fields in enumerate(items):
            here = place_of(section, i)
            if not isinstance(fields, Mapping):
                noun = section.removesuffix("s")
                self.problem(here, f"expected the fields of an {noun}, got {describe(fields)}")
            else:
                out.append(self.record(fields, cls, here))
        return [r for r in out if r is not None]

    def record(self, data: Mapping[str, Any], cls: type[_T], here: str) -> _T | None:
        try:
            return self.conv.structure(data, cls)
        except (ClassValidationError, IterableValidationError) as exc:
            for path, err in _walk(exc, []):
                if isinstance(err, ForbiddenExtraKeysError):
                    owner: type = (
                        err.cl if attrs.has(err.cl) or err.cl in (Affiliation, Count) else cls
                    )
                    known = _known_keys(owner)
                    for key in sorted(err.extra_fields):
                        msg = f"unknown field '{key}'{_hint(key, known)}"
                        self.problem(_join(here, [*path, key]), msg)
                else:
                    self.problem(_join(here, path or _field_of(err)), _message(err, path))
        except (ValueError, TypeError) as exc:
            self.problem(_join(here, _field_of(exc)), _message(exc, []))
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


def _field_of(err: BaseException) -> list[str | int]:
    """The field a record's error about two of its fields is placed at, if it is one."""
    field = FIELD_OF_MESSAGE.get(str(err))
    return [] if field is None else [field]


def _join(here: str, path: list[str | int]) -> str:
    for part in path:
        here += f"[{part}]" if isinstance(part, int) else f".{part}"
    return here


@functools.cache
def _known_keys(cls: type) -> tuple[str, ...]:
    """The keys a record of *cls* holds in a file; one tuple per class, so hints index it once."""
    if cls is Affiliation:
        return ("source", "from", "to")
    if cls is Count:
        return (*COUNT_FORMS, "unit")
    return tuple(f.name for f in attrs.fields(cls) if f.name != "id" or cls not in KEYED)


def _message(err: BaseException, path: list[str | int]) -> str:
    if isinstance(err, KeyError):
        return f"required field '{err.args[0]}' is missing"
    if isinstance(err, ValueError | TypeError) and (
        isinstance(err, ShapeError) or str(err).startswith("'") or path
    ):
        return str(err)  # written for the reader: by our hooks, or our validators naming the field
    return f"{type(err).__name__}: {err}"


def _hint(word: str, known: list[str] | tuple[str, ...]) -> str:
    return _suggest.hint(word, known)


def surrogate_problems(data: object, file: str | None) -> list[Problem]:
    """A problem for every string of *data*, key or value, that holds a lone surrogate.

    Each is placed where it stands (``claims.c.text``, ``attributions[3].via[0]``); a key
    holding one is named by its place, which shows the key escaped.
    """
    out: list[Problem] = []
    # (value, its path, whether the last step of the path is a key of a mapping)
    stack: list[tuple[object, tuple[str | int, ...], bool]] = [(data, (), False)]
    while stack:
        value, path, keyed = stack.pop()
        key = path[-1] if keyed else None
        wrong = surrogate_problem(key) if isinstance(key, str) else None
        if wrong is not None:
            out.append(Problem(_place(path), f"the key {wrong}", file=file))
        if isinstance(value, str):
            wrong = surrogate_problem(value)
            if wrong is not None:
                out.append(Problem(_place(path), wrong, file=file))
        elif isinstance(value, Mapping):
            stack.extend(
                (item, (*path, k if isinstance(k, str | int) else str(k)), True)
                for k, item in reversed(list(value.items()))
            )
        elif isinstance(value, list | tuple):
            stack.extend((item, (*path, i), False) for i, item in reversed(list(enumerate(value))))
    return out


def _place(path: tuple[str | int, ...]) -> str:
    """The place of the value at *path* in a file's data, as messages show places."""
    if not path:
        return ""
    first = path[0]
    section = first if isinstance(first, str) and first.isidentifier() else repr(first)
    return place_of(section, *path[1:]) if len(path) > 1 else section


def _keyed(unstructure: Callable[[Any], Any], table: Mapping[str, Any]) -> dict[str, Any]:
    return dict(zip(table, map(unstructure, table.values()), strict=True))


def case_to_data(case: Case, *, conv: cattrs.Converter = CONVERTER) -> dict[str, Any]:
    """Unstructure *case* into the plain mapping a case file holds, keys in a stable order."""
    data: dict[str, Any] = {"claimtrack": FORMAT_VERSION, "title": case.title}
    if case.description is not None:
        data["description"] = case.description
    hook = conv.get_unstructure_hook  # each class's hook looked up once, not per record
    data["sources"] = _keyed(hook(Source), case.sources)
    data["documents"] = _keyed(hook(Document), case.documents)
    # evidence is a section only cases that use it hold, so that older files stay as they were
    if case.evidence:
        data["evidence"] = _keyed(hook(Evidence), case.evidence)
    data["questions"] = _keyed(hook(Question), case.questions)
    data["claims"] = _keyed(hook(Claim), case.claims)
    data["attributions"] = list(map(hook(Attribution), case.attributions))
    data["relations"] = list(map(hook(Relation), case.relations))
    return data
