"""Contradictions between claims: declared by an analyst, or derived from the case.

Derived contradictions come from questions: rival answers to an exclusive question cannot
both be true, unless their counts are compatible or the analyst declared that one
refines, supports or supersedes the other; and two counts that cannot both hold
contradict on any question. Claims are grouped by question first, so the work grows with
the size of the case, never with the square of it.
"""

from __future__ import annotations

import enum

from itertools import combinations

import attrs

from ._case import Case
from ._model import Claim, RelationKind


class ContradictionKind(enum.Enum):
    """Why two claims cannot both be true."""

    DECLARED = "declared"
    """An analyst or a source said so, as a relation."""
    VALUE = "value"
    """Their counts cannot both hold (exactly 3 and at least 4)."""
    EXCLUSIVE = "exclusive"
    """They are rival answers to a question that admits one."""


@attrs.frozen
class Contradiction:
    """Two claims that cannot both be true, and why.

    Attributes:
        claims: The two claim ids, in the order the case holds them.
        kind: Declared, or derived from values or an exclusive question.
        reason: A sentence saying why.
        question: The question both answer, for derived contradictions.
    """

    claims: tuple[str, str]
    kind: ContradictionKind
    reason: str
    question: str | None = None


def find_contradictions(case: Case) -> list[Contradiction]:
    """Every contradiction in *case*: declared ones first, then derived, each pair once."""
    out: list[Contradiction] = []
    seen: set[frozenset[str]] = set()
    compatible: set[frozenset[str]] = set()
    for rel in case.relations:
        pair = frozenset(rel.claims)
        if rel.kind is RelationKind.CONTRADICTS:
            if pair not in seen:
                seen.add(pair)
                by = case.sources.get(rel.by) if rel.by is not None else None
                who = f" by {by.name}" if by is not None else ""
                reason = f"declared{who}" + (f": {rel.reason}" if rel.reason else "")
                out.append(Contradiction(rel.claims, ContradictionKind.DECLARED, reason))
        else:
            compatible.add(pair)
    for qid, question in case.questions.items():
        for a, b in combinations(case.claims_of(qid), 2):
            pair = frozenset((a.id, b.id))
            if pair in seen or pair in compatible:
                continue
            found = _derive(a, b, exclusive=question.exclusive, question=qid)
            if found is not None:
                seen.add(pair)
                out.append(found)
    return out


def _derive(a: Claim, b: Claim, *, exclusive: bool, question: str) -> Contradiction | None:
    if a.value is not None and b.value is not None:
        if not a.value.compatible_with(b.value):
            reason = f"{a.value} cannot hold together with {b.value}"
            return Contradiction((a.id, b.id), ContradictionKind.VALUE, reason, question)
        return None
    if exclusive:
        reason = "rival answers to a question that admits only one"
        return Contradiction((a.id, b.id), ContradictionKind.EXCLUSIVE, reason, question)
    return None
