"""Merging two case files of one case, as two analysts keep it: ``claimtrack merge A B -o C``.

The rules are a store's for the cases it holds (see :meth:`claimtrack.store.Store.import_case`),
applied to every keyed record: a record both files hold with the same content is kept
once; one they hold with different content is refused, each differing field named,
unless the conflict is settled by keeping the first file's record or taking the second's.
Attributions and relations are put together in order, the first file's first, an
attribution or relation both files hold alike kept once.
"""

from __future__ import annotations

import json

from typing import TYPE_CHECKING, Any

import attrs

from claimtrack.errors import IntegrityError, Problem
from claimtrack.files._reading import case_from_data, case_to_data


if TYPE_CHECKING:
    from claimtrack.model._case import Case

ON_CONFLICT = ("refuse", "keep", "replace")
"""What to do with a record both cases hold with different content: refuse the merge, keep
the first case's record, or replace it with the second's."""

_KEYED = ("sources", "documents", "evidence", "questions", "claims")


def _shown(data: dict[str, Any], field: str) -> str:
    if field not in data:
        return "none"
    value = data[field]
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 80 else f"'{value[:80]}...'"  # noqa: PLR2004
    return json.dumps(value, ensure_ascii=False)[:80]


def merge(
    first: Case,
    second: Case,
    *,
    on_conflict: str = "refuse",
    names: tuple[str, str] = ("the first case", "the second case"),
) -> Case:
    """One case holding the records of *first* and *second*; *first*'s title and description.

    Args:
        first: The case whose title, description and order come first.
        second: The case added to it.
        on_conflict: ``"refuse"`` (the default), ``"keep"`` (the first's record stays) or
            ``"replace"`` (the second's is taken), for a record of one id both cases hold
            with different content.
        names: What the two cases are called in messages (their files' names).

    Raises:
        IntegrityError: The cases hold records of one id with different content (each
            differing field named, as ``sources.reuters.name: 'Reuters' in one.json,
            'Reuters News' in two.json``), or the merged records do not fit together.
        ValueError: *on_conflict* is none of the three.
    """
    if on_conflict not in ON_CONFLICT:
        msg = f"on_conflict is one of {', '.join(ON_CONFLICT)}, not {on_conflict!r}"
        raise ValueError(msg)
    a, b = case_to_data(first), case_to_data(second)
    out = dict(a)
    problems: list[Problem] = []
    for section in _KEYED:
        records = dict(a.get(section, {}))
        for rid, record in b.get(section, {}).items():
            held = records.get(rid)
            if held is None or held == record or on_conflict == "keep":
                records.setdefault(rid, record)
            elif on_conflict == "replace":
                records[rid] = record
            else:
                fields = [*held, *(f for f in record if f not in held)]
                problems += [
                    Problem(
                        f"{section}.{rid}.{field}",
                        f"{_shown(held, field)} in {names[0]}, {_shown(record, field)} in {names[1]}",
                        file=names[1],
                    )
                    for field in fields
                    if held.get(field) != record.get(field)
                ]
        if records or section in a:
            out[section] = records
    for section in ("attributions", "relations"):
        items = list(a.get(section, []))
        items += [item for item in b.get(section, []) if item not in a.get(section, [])]
        out[section] = items
    if problems:
        problems.append(
            Problem(
                "",
                "the two cases hold records of one id with different content; keep the "
                "first's with --on-conflict keep, or take the second's with --on-conflict replace",
                file=names[1],
            )
        )
        raise IntegrityError(problems)
    case = case_from_data(out, file=names[1])
    errors = [p for p in case.validate(texts=False) if p.is_error]
    if errors:
        raise IntegrityError([attrs.evolve(p, file=names[1]) for p in errors])
    return case
