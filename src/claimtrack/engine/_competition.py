"""Rival answers compete: a softmax over the hypotheses and an implicit "none of these".

For each exclusive question, the hypotheses are the sets of its answers that can hold at
once (:func:`~claimtrack.engine._contradictions.cells`); each scores the sum of its
answers' scores, "none of these" scores zero, and an answer's probability is the share
of the hypotheses holding it. A claim that answers no exclusive question competes with
its own negation. Every probability is then held within [1%, 99%] (see
:data:`~claimtrack.engine._scales.FLOOR`). Sums of more than two terms and every ``exp`` are taken by the
standard library, so the result does not depend on how the questions are grouped.
"""

from __future__ import annotations

import math

from collections.abc import Callable, Mapping, Sequence

import attrs
import numpy as np

from claimtrack.engine._contradictions import (
    answers_by_question,
    cells,
    declared_compatible,
    declared_contradictions,
)
from claimtrack.engine._joint import (
    MOST_COMBINATIONS,
    Group,
    aside,
    bounds,
    current,
    declared_links,
    entailers,
    entailing,
    floor,
    groups,
    held,
    implied_by,
    joint,
    logistic,
    project,
    rest_shares,
    settle,
    unspoken,
)
from claimtrack.engine._reading import Read
from claimtrack.engine._rules import Bools, Floats, Ints
from claimtrack.engine._scales import CEILING, FLOOR
from claimtrack.engine._shapes import by_shape, touched
from claimtrack.model import Case, Claim


def scores(votes: Ints, first: Ints, signed: Floats) -> Floats:
    """Each claim's score: the exact sum of its votes, for and against.

    Votes come sorted by claim: claim *c* has ``votes[c]`` of them from ``first[c]`` on.
    One or two votes are summed by one IEEE addition, which rounds as ``math.fsum``
    does; only claims with more votes are summed by the standard library.
    """
    out = np.zeros(len(votes))
    one, two = votes == 1, votes == 2  # noqa: PLR2004
    out[one] = signed[first[one]]
    out[two] = signed[first[two]] + signed[first[two] + 1]
    many = np.flatnonzero(votes > 2)  # noqa: PLR2004
    if len(many):
        values, fsum = signed.tolist(), math.fsum
        out[many] = [
            fsum(values[at : at + k])
            for at, k in zip(first[many].tolist(), votes[many].tolist(), strict=True)
        ]
    return out


@attrs.frozen
class Chances:
    """Each claim's probability, and what the links between questions did.

    Attributes:
        probability: Per claim, its probability.
        groups: The groups of linked questions, each judged on its joint answers.
        approximate: The groups too large to judge exactly (:data:`MOST_COMBINATIONS`).
    """

    probability: Floats
    groups: list[Group]
    approximate: list[Group]


def chances(  # noqa: C901 - one pass per kind of competition, kept in order
    case: Case,
    read: Read,
    score: Floats,
    *,
    counts: Ints,
    answers: Mapping[str, list[Claim]],
    active: Bools,
    spare: Callable[[], Floats | None] = lambda: None,
) -> Chances:
    """Each claim's probability, a shape of question at a time; linked groups jointly.

    *counts* are the claims' :func:`~claimtrack.engine._shapes.shape_codes`, *answers*
    the claims of each question, in the case's order, and *active* marks the claims that
    take part (see :mod:`~claimtrack.engine._joint`): the others hold only what the
    answers entailing them hold. *spare* gives, when first needed, the claims' scores
    were one more answer taking part in each question (None: the scores as they are),
    against which an answer nobody asserts is judged.
    """
    where = read.where
    probability = np.full(len(score), np.nan)
    compatible = declared_compatible(case)
    clash = declared_contradictions(case)
    inactive = {read.ids[k] for k in np.flatnonzero(~active[: read.count]).tolist()}
    aside = {read.ids[k] for k in np.flatnonzero(read.aside).tolist()}
    # answers standing aside leave their questions to the arrays, judged without them
    related = {cid for pair in compatible | clash for cid in pair} | (inactive - aside)
    # which claims take part, by id: only links and answers that take no part need it
    on = {cid: bool(active[where[cid]]) for cid in case.claims} if related else {}
    named = {cid: float(score[where[cid]]) for cid in related if cid in where}
    # a question a relation touches, or with an answer that takes no part, goes alone
    hypotheses: dict[str, list[frozenset[str]]] = {}
    for qid in touched(related, case.claims, case.questions):
        found = [c for c in answers.get(qid, []) if on.get(c.id, True)]
        named.update({c.id: float(score[where[c.id]]) for c in found})
        if case.questions[qid].exclusive:
            hypotheses[qid] = cells(found, compatible, clash)
    linked = groups(case, on, hypotheses)
    in_group = {cid for g in linked for unit in g.units for cell in unit for cid in cell}
    named.update({cid: float(score[where[cid]]) for cid in in_group})
    for found_cells in hypotheses.values():
        if not found_cells or any(cid in in_group for cell in found_cells for cid in cell):
            continue
        result: dict[str, float] = {}
        softmax([list(c) for c in found_cells], named, result)
        for cid, value in result.items():
            probability[where[cid]] = value
    claims = list(case.claims.values())
    shapes = by_shape(read, claims, counts, least=1, skip=related, among=active if aside else None)
    for exclusive, found, _, at in shapes:
        if exclusive:
            held_at, member = positions(found)
            _softmax_rows(score[at], held_at, member, at, probability)
    alone = np.isnan(probability) & active
    s = score[alone]
    top = np.maximum(s, 0.0)
    e = _exp(s - top)
    probability[alone] = np.minimum(1.0, e / (e + _exp(-top)))
    approximate = []
    for g in linked:
        if g.size <= MOST_COMBINATIONS:
            result = joint(g, named)
        else:  # judged apart above (a unit at a time), then brought into line
            approximate.append(g)
            result = {
                cid: float(probability[where[cid]])
                for unit in g.units
                for cell in unit
                for cid in cell
            }
            project(result, g.contradicts, g.implies)
        for cid, value in result.items():
            probability[where[cid]] = value
    _inactive(
        case,
        inactive - aside,
        standing=aside,
        hypotheses=hypotheses,
        score=named,
        probability=probability,
        where=where,
        raw=score,
        pairs=(compatible, clash),
    )
    if aside:
        _aside(
            case,
            aside,
            answers=answers,
            active=active,
            pairs=(compatible, clash),
            linked=linked,
            hypotheses=hypotheses,
            score=score,
            spare=spare,
            where=where,
            probability=probability,
        )
    bounded: Floats = np.clip(probability, FLOOR, CEILING)
    return Chances(bounded, linked, approximate)


def _aside(
    case: Case,
    aside: set[str],
    *,
    answers: Mapping[str, list[Claim]],
    active: Bools,
    pairs: tuple[set[frozenset[str]], set[frozenset[str]]],
    linked: Sequence[Group],
    hypotheses: Mapping[str, Sequence[frozenset[str]]],
    score: Floats,
    spare: Callable[[], Floats | None],
    where: Mapping[str, int],
    probability: Floats,
) -> None:
    """What answers nobody asserts hold (see :mod:`~claimtrack.engine._joint`).

    *score* gives the claims' scores, and *spare* (when first needed) their scores were
    one more answer taking part (None: as they are).
    """
    plus: list[Floats] = []
    group_of = {cid: g for g in linked for unit in g.units for cell in unit for cid in cell}
    members: dict[int, list[str]] = {}
    for cid, g in group_of.items():
        members.setdefault(id(g), []).append(cid)
    for cid in sorted(aside, key=where.__getitem__):
        claim = case.claims[cid]
        if claim.value is None:  # only a count within its range entails it: none does
            probability[where[cid]] = 0.0
            continue
        qid = claim.question or ""
        found = [c for c in answers[qid] if active[where[c.id]] or c.id == cid]
        taking = [c for c in found if c.id != cid]
        among = set(entailers(claim, taking, set()))
        # superseded figures within its range, judged already, hold it up as well
        history = [c for c in answers[qid] if not active[where[c.id]] and c.id not in aside]
        older = set(entailers(claim, history, set())) if history else set()
        least = floor(
            cid,
            found,
            among=among | older,
            pairs=pairs,
            chance=probability.__getitem__,
            where=where,
        )
        if not among:  # no answer taking part holds it: at most what history does
            probability[where[cid]] = least
            continue
        own = {c.id: float(score[where[c.id]]) for c in taking}
        now, _ = held(hypotheses.get(qid) or cells(taking, *pairs), own, among)
        if not plus:
            more_scores = spare()
            plus.append(score if more_scores is None else more_scores)
        group = next((group_of[c.id] for c in taking if c.id in group_of), None)
        mine = {c.id: float(plus[0][where[c.id]]) for c in taking}
        mine[cid] = float(score[where[cid]])
        if group is not None:  # the other questions' answers, as they stand
            rest = {x: float(score[where[x]]) for x in members[id(group)]}
            mine = rest | mine
        more = unspoken(claim, found, pairs=pairs, score=mine, group=group, among=among)
        probability[where[cid]] = max(min(now, more), least)


def _inactive(
    case: Case,
    inactive: set[str],
    *,
    standing: set[str],
    hypotheses: Mapping[str, list[frozenset[str]]],
    score: Mapping[str, float],
    probability: Floats,
    where: Mapping[str, int],
    raw: Floats,
    pairs: tuple[set[frozenset[str]], set[frozenset[str]]],
) -> None:
    """What answers that take no part hold (see :func:`~claimtrack.engine._joint.aside`).

    *pairs* are the declared compatible and contradicting pairs; the answers *standing*
    aside are left out, as if the case did not hold them.
    """
    if not inactive:
        return
    by_question = answers_by_question(case)
    shares: dict[str, float] = {}  # within exclusive questions: the rest, shared
    every = {cid: float(raw[where[cid]]) for cid in case.claims}
    for qid in sorted({case.claims[c].question or "" for c in inactive} - {""}):
        if case.questions[qid].exclusive:
            found = [c for c in by_question.get(qid, []) if c.id not in standing]
            part = {c.id for c in found if c.id not in inactive}
            shares.update(rest_shares(cells(found, *pairs), every, part))
    implies = entailing(case)
    exclusive = {qid for qid, q in case.questions.items() if q.exclusive}
    declared = declared_links(case)
    taking_part = {
        c: float(probability[where[c]])
        for _, a, b in declared
        for c in (a, b)
        if c in where and c not in inactive
    }
    for cid in sorted(inactive, key=where.__getitem__):
        claim = case.claims[cid]
        mine = by_question.get(claim.question, []) if claim.question else []
        among = set(entailers(claim, [c for c in mine if c.id not in inactive], implies))
        entailed, none = held(hypotheses.get(claim.question or "", []), score, among)
        if claim.question not in exclusive:  # a superseded claim competes with its successor
            now = current(case, cid)
            none = 1.0 if now == cid or now in inactive else 1.0 - float(probability[where[now]])
        above = [float(probability[where[x]]) for x in implied_by(cid, implies, inactive)]
        # within an exclusive question it takes no share of "none of these": answers
        # nobody asserts would otherwise sum past one, or move one another
        if claim.question in exclusive:
            own = shares.get(cid, 0.0)
        else:
            own = logistic(float(raw[where[cid]]))
        below = bounds(cid, declared, taking_part)
        probability[where[cid]] = aside(
            entailed=entailed,
            none=none,
            own=own,
            above=above,
            below=below,
        )
    linked = {c: float(probability[where[c]]) for _, a, b in declared for c in (a, b) if c in where}
    settle(linked, declared, inactive)
    for cid, value in linked.items():
        probability[where[cid]] = value


def positions(answers: Sequence[Claim]) -> tuple[list[tuple[int, ...]], list[tuple[int, ...]]]:
    """The hypotheses of *answers* as positions, and for each answer the hypotheses holding it."""
    where = {c.id: p for p, c in enumerate(answers)}
    held = [tuple(where[cid] for cid in cell) for cell in cells(answers, set())]
    member = [tuple(k for k, cell in enumerate(held) if p in cell) for p in range(len(answers))]
    return held, member


def softmax(
    hypotheses: list[list[str]], score: Mapping[str, float], probability: dict[str, float]
) -> None:
    """The softmax over *hypotheses* and "none of these", into *probability* by claim id."""
    fsum, exp = math.fsum, math.exp
    cell_scores = [fsum([score.get(cid, 0.0) for cid in cell]) for cell in hypotheses]
    top = max(0.0, *cell_scores)
    exps = [exp(s - top) for s in cell_scores]
    total = fsum(exps) + exp(-top)
    share: dict[str, list[float]] = {}
    for cell, e in zip(hypotheses, exps, strict=True):
        for cid in cell:
            found = share.get(cid)
            if found is None:
                share[cid] = [e]
            else:
                found.append(e)
    for cid, parts in share.items():
        probability[cid] = min(1.0, fsum(parts) / total)


def _exp(values: Floats) -> Floats:
    """``math.exp`` of every value: numpy's own may differ in the last bit."""
    return np.array(list(map(math.exp, values.ravel().tolist()))).reshape(values.shape)


def _sums(columns: list[Floats]) -> Floats:
    """Row-wise sums of *columns*, rounded once as ``math.fsum`` rounds them."""
    if len(columns) == 1:
        return columns[0]
    if len(columns) == 2:  # noqa: PLR2004 - one IEEE addition is already correctly rounded
        return columns[0] + columns[1]
    return np.array(list(map(math.fsum, np.column_stack(columns).tolist())))


def _softmax_rows(
    score: Floats,
    held: list[tuple[int, ...]],
    member: list[tuple[int, ...]],
    at: Ints,
    probability: Floats,
) -> None:
    """:func:`softmax` for many questions of one shape at once: one row per question."""
    if not held:
        return
    cell = np.column_stack([_sums([score[:, p] for p in positions]) for positions in held])
    top = np.maximum(cell.max(axis=1), 0.0)
    exps = _exp(cell - top[:, None])
    total = _sums([exps[:, k] for k in range(exps.shape[1])]) + _exp(-top)
    for p, inside in enumerate(member):
        if inside:
            share = _sums([exps[:, k] for k in inside])
            probability[at[:, p]] = np.minimum(1.0, share / total)
