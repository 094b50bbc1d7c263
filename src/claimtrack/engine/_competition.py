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

from collections.abc import Mapping, Sequence

import numpy as np

from claimtrack.engine._contradictions import cells, declared_compatible, declared_contradictions
from claimtrack.engine._reading import Read
from claimtrack.engine._rules import Floats, Ints
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


def chances(
    case: Case,
    read: Read,
    score: Floats,
    counts: Ints,
    answers: Mapping[str, list[Claim]],
) -> Floats:
    """Each claim's probability, a shape of question at a time.

    *counts* are the claims' :func:`~claimtrack.engine._shapes.shape_codes` and *answers*
    the claims of each question, in the case's order.
    """
    where = read.where
    probability = np.full(len(score), np.nan)
    compatible = declared_compatible(case)
    clash = declared_contradictions(case)
    related = {cid for pair in compatible | clash for cid in pair}
    # a question a relation touches competes by its own cells, one at a time
    for qid in touched(related, case.claims, case.questions):
        found = answers.get(qid)
        if not case.questions[qid].exclusive or not found:
            continue
        result: dict[str, float] = {}
        named = {c.id: float(score[where[c.id]]) for c in found}
        softmax([list(c) for c in cells(found, compatible, clash)], named, result)
        for cid, value in result.items():
            probability[where[cid]] = value
    claims = list(case.claims.values())
    for exclusive, found, _, at in by_shape(read, claims, counts, least=1, skip=related):
        if exclusive:
            held, member = positions(found)
            _softmax_rows(score[at], held, member, at, probability)
    alone = np.isnan(probability)
    s = score[alone]
    top = np.maximum(s, 0.0)
    e = _exp(s - top)
    probability[alone] = np.minimum(1.0, e / (e + _exp(-top)))
    bounded: Floats = np.clip(probability, FLOOR, CEILING)
    return bounded


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
