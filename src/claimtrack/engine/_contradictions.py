"""Contradictions between claims: declared by an analyst, or derived from the case.

Derived contradictions come from questions: rival answers to an exclusive question cannot
both be true, unless their counts are compatible or the analyst declared that one
refines, supports or supersedes the other; and two counts that cannot both hold
contradict on any question.

No attribution is ever compared with another: claims are grouped by question, and counts
are sorted by their bounds so that only the pairs that really conflict are visited. The
work is linear in the attributions and, per question of *k* answers, ``k log k`` plus the
number of contradictions found. That number can reach ``k(k-1)/2`` on an exclusive
question whose answers carry no counts, because there every pair of answers does
contradict and each is reported.
"""

from __future__ import annotations

import enum

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator, Sequence

import attrs

from claimtrack.model._case import Case
from claimtrack.model._records import Claim, RelationKind


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


def declared_compatible(case: Case) -> set[frozenset[str]]:
    """Pairs of claims a relation says can both be true: refines, supports, supersedes, implies.

    A figure is never a rival of one that supersedes it, however far down the chain (39 →
    50 → 52: 39 and 52 too). A pair also declared to contradict is left out: the declared
    contradiction stands.
    """
    pairs = {frozenset(rel.claims) for rel in case.relations} | succession(case)
    return pairs - declared_contradictions(case)


def succession(case: Case) -> set[frozenset[str]]:
    """Pairs of claims on one chain of supersession (39 → 50 → 52 gives all three pairs)."""
    later: dict[str, set[str]] = {}
    for rel in case.relations:
        if rel.kind is RelationKind.SUPERSEDES:
            new, old = rel.claims
            later.setdefault(old, set()).add(new)
    pairs: set[frozenset[str]] = set()
    for start in later:
        seen: set[str] = set()
        pending = [start]
        while pending:
            for nxt in later.get(pending.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    pending.append(nxt)
        pairs |= {frozenset((start, x)) for x in seen if x != start}
    return pairs


def declared_contradictions(case: Case) -> set[frozenset[str]]:
    """Pairs of claims a relation says cannot both be true."""
    return {frozenset(rel.claims) for rel in case.relations if rel.kind is RelationKind.CONTRADICTS}


def declared_list(case: Case) -> tuple[list[Contradiction], set[frozenset[str]]]:
    """The declared contradictions, each pair once, and the pairs as sets."""
    out: list[Contradiction] = []
    seen: set[frozenset[str]] = set()
    for rel in case.relations:
        pair = frozenset(rel.claims)
        if rel.kind is RelationKind.CONTRADICTS and pair not in seen:
            seen.add(pair)
            by = case.sources.get(rel.by) if rel.by is not None else None
            who = f" by {by.name}" if by is not None else ""
            reason = f"declared{who}" + (f": {rel.reason}" if rel.reason else "")
            out.append(Contradiction(rel.claims, ContradictionKind.DECLARED, reason))
    return out, seen


def derived_once(
    qid: str,
    found: Sequence[Claim],
    pairs: list[tuple[int, int, ContradictionKind, str]],
    seen: set[frozenset[str]],
    compatible: set[frozenset[str]],
) -> list[Contradiction]:
    """The derived contradictions of question *qid* not already *seen* nor declared compatible.

    *pairs* are :func:`explained_pairs` of its answers *found*; the new pairs join *seen*.
    """
    out = []
    for i, j, kind, reason in pairs:
        a, b = found[i].id, found[j].id
        pair = frozenset((a, b))
        if pair in seen or pair in compatible:
            continue
        seen.add(pair)
        out.append(Contradiction((a, b), kind, reason, qid))
    return out


def explained_pairs(
    found: Sequence[Claim], *, exclusive: bool
) -> list[tuple[int, int, ContradictionKind, str]]:
    """The conflicting pairs of *found*, by position, with the kind and reason of each."""
    counts = [None if c.value is None else str(c.value) for c in found]
    out = []
    for i, j in _conflicting_pairs(found, exclusive=exclusive):
        made = _derive(found[i], found[j], question="", counts=(counts[i], counts[j]))
        out.append((i, j, made.kind, made.reason))
    return out


def answers_by_question(case: Case) -> dict[str, list[Claim]]:
    """The claims of each question, in the order of the case, in one pass over the claims."""
    out: dict[str, list[Claim]] = {}
    for claim in case.claims.values():
        if claim.question is not None:
            found = out.get(claim.question)
            if found is None:
                out[claim.question] = [claim]
            else:
                found.append(claim)
    return out


def shape(claim: Claim) -> tuple[object, ...] | None:
    """What of an answer decides which others it conflicts with: its count, if any."""
    v = claim.value
    return None if v is None else (v.low, v.high, v.unit)


def _derive(
    a: Claim, b: Claim, *, question: str, counts: tuple[str | None, str | None]
) -> Contradiction:
    """The contradiction between rival answers *a* and *b*; *counts* are their counts as text."""
    if counts[0] is not None and counts[1] is not None:
        reason = f"{counts[0]} cannot hold together with {counts[1]}"
        return Contradiction((a.id, b.id), ContradictionKind.VALUE, reason, question)
    reason = "rival answers to a question that admits only one"
    return Contradiction((a.id, b.id), ContradictionKind.EXCLUSIVE, reason, question)


def _conflicting_pairs(answers: Sequence[Claim], *, exclusive: bool) -> list[tuple[int, int]]:
    """The positions of pairs of *answers* that cannot both be true, in the order of the case.

    On an exclusive question every pair with an answer that has no count conflicts; two
    counts conflict, on any question, when their intervals do not meet.
    """
    pairs: list[tuple[int, int]] = []
    if exclusive:
        plain = [i for i, c in enumerate(answers) if c.value is None]
        pairs += [(i, j) for i in plain for j in range(len(answers)) if j != i]
    pairs += _disjoint_counts(answers)
    return sorted({(min(i, j), max(i, j)) for i, j in pairs})


def _disjoint_counts(answers: Sequence[Claim]) -> Iterator[tuple[int, int]]:
    """Positions of counts whose intervals do not meet, found by sorting, not by pairing.

    Counts of two different units never conflict; a count without a unit meets all.
    """
    by_unit: dict[str | None, list[int]] = defaultdict(list)
    for i, c in enumerate(answers):
        if c.value is not None:
            by_unit[c.value.unit].append(i)
    no_unit = by_unit.pop(None, [])
    yield from _left_of(answers, no_unit)
    for group in by_unit.values():
        for i, j in _left_of(answers, group + no_unit):
            if i in group or j in group:
                yield i, j


def _left_of(answers: Sequence[Claim], positions: list[int]) -> Iterator[tuple[int, int]]:
    """Pairs ``(a, b)`` where count *a* ends before count *b* begins."""
    bounds = {i: _bounds(answers[i]) for i in positions}
    ends = sorted(positions, key=lambda i: bounds[i][1])
    highs = [bounds[i][1] for i in ends]
    for b in positions:
        for a in ends[: bisect_left(highs, bounds[b][0])]:
            yield a, b


def _bounds(claim: Claim) -> tuple[float, float]:
    """The closed interval a count allows; counts are never negative."""
    v = claim.value
    assert v is not None  # noqa: S101 - callers pass counted claims only
    return (0.0 if v.low is None else v.low, float("inf") if v.high is None else v.high)


def cells(
    answers: Sequence[Claim],
    compatible: set[frozenset[str]],
    clash: set[frozenset[str]] | None = None,
) -> list[frozenset[str]]:
    """The sets of *answers* (a question's, in case order) that can hold at once: its hypotheses."""
    counted = [c for c in answers if c.value is not None]
    if len({c.value.unit for c in counted if c.value and c.value.unit is not None}) > 1:
        counted = []
    cells = {frozenset((c.id,)) for c in answers if c not in counted}
    numeric = set(_segments(counted))
    cells |= numeric
    in_numeric = {c.id for c in counted}
    span = {c.id: _bounds(c) for c in counted}
    ids = {c.id for c in answers}
    for pair in sorted(_within(compatible, ids), key=sorted):
        if len(pair) != 2:  # noqa: PLR2004
            continue
        a, b = sorted(pair, key=lambda cid: cid in in_numeric)
        if b not in in_numeric:
            cells.add(pair)
        elif a not in in_numeric:
            # only with the counts declared compatible with it: the others stay its rivals.
            # Where a count it joins implies a rival (a count whose range holds the joined
            # one's is true whenever that is), the two cannot hold together there at all.
            for cell in numeric:
                if b in cell:
                    joined = {x for x in cell if frozenset((a, x)) in compatible}
                    if all(
                        x in joined for x in cell if any(_holds(span[x], span[y]) for y in joined)
                    ):
                        cells.add(frozenset({a, *joined}))
    apart = _within(clash or set(), ids)
    if apart:
        cells = {part for cell in cells for part in _apart(cell, apart)}
    return sorted(cells, key=sorted)


def _within(pairs: set[frozenset[str]], ids: set[str]) -> set[frozenset[str]]:
    """The *pairs* both of whose claims are among *ids*.

    A question has few answers and a case many relations: where fewer, the question's
    own pairs are looked up rather than every pair of the case read, so that judging
    every question stays linear in the case.
    """
    if len(ids) * (len(ids) - 1) // 2 < len(pairs):
        ordered = sorted(ids)
        return {
            pair
            for k, a in enumerate(ordered)
            for b in ordered[k:]  # a claim paired with itself, too, as a set of one
            if (pair := frozenset((a, b))) in pairs
        }
    return {pair for pair in pairs if pair <= ids}


def _holds(wide: tuple[float, float], narrow: tuple[float, float]) -> bool:
    """Whether the range *wide* holds all of the range *narrow*."""
    return wide[0] <= narrow[0] and narrow[1] <= wide[1]


def _apart(cell: frozenset[str], clash: set[frozenset[str]]) -> set[frozenset[str]]:
    """Split *cell* until it holds no pair declared to contradict."""
    for pair in sorted(clash, key=sorted):
        if pair <= cell:
            a, b = sorted(pair)
            return _apart(cell - {a}, clash) | _apart(cell - {b}, clash)
    return {cell} if cell else set()


def _segments(counted: Sequence[Claim]) -> Iterator[frozenset[str]]:
    """The distinct sets of counts that hold on each stretch of the number line."""
    bounds = [(c.id, *_bounds(c)) for c in counted]
    points = sorted({0.0} | {p for _, low, high in bounds for p in (low, high + 1)})
    for p in points:
        held = frozenset(cid for cid, low, high in bounds if low <= p <= high)
        if held:
            yield held
