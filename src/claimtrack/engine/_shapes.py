"""Questions grouped by the shape of their answers, so that each shape is worked out once.

Two questions share a shape when both admit one answer or both several, and their answers
have the same counts in the same order: then their hypotheses and conflicting pairs are
the same, and a whole shape is one matrix.
"""

from __future__ import annotations

import operator

from collections.abc import Iterator, Mapping

import numpy as np

from claimtrack.engine._contradictions import shape
from claimtrack.engine._reading import Read
from claimtrack.engine._rules import Bools, Ints
from claimtrack.model import Claim, Question


_VALUE_OF = operator.attrgetter("value")


def shape_codes(claims: Mapping[str, Claim]) -> Ints:
    """Per claim: a number for its count, the same for equal counts; 0 for no count."""
    if not any(map(_VALUE_OF, claims.values())):  # no counts, as in much bulk data
        return np.zeros(len(claims), dtype=np.int64)
    numbers: dict[object, int] = {}
    return np.fromiter(
        (
            0 if c.value is None else numbers.setdefault(shape(c), len(numbers) + 1)
            for c in claims.values()
        ),
        np.int64,
        len(claims),
    )


def touched(
    related: set[str], claims: Mapping[str, Claim], questions: Mapping[str, Question]
) -> list[str]:
    """The questions, in the case's order, that have an answer in *related*."""
    found = {claims[c].question for c in related if c in claims}
    return [qid for qid in questions if qid in found] if found else []


def by_shape(
    read: Read,
    claims: list[Claim],
    counts: Ints,
    *,
    least: int,
    skip: set[str],
    among: Bools | None = None,
) -> Iterator[tuple[bool, list[Claim], Ints, Ints]]:
    """The questions with at least *least* answers, grouped by shape, leaving out *skip*.

    *claims* are the case's claims in order and *counts* their :func:`shape_codes`. Per
    shape: whether exclusive, the answers of one of its questions, the questions'
    positions and their answers' positions, one row per question, in the case's order.
    A question with an answer in *skip* is left out; with *among*, only the claims it
    marks count as answers.
    """
    question = read.question
    answering = question >= 0
    if among is not None:
        answering &= among[: len(question)]
    answered = np.flatnonzero(answering)
    order = answered[np.argsort(question[answered], kind="stable")]
    asked = question[order]
    if not len(asked):
        return
    starts = np.flatnonzero(np.r_[True, asked[1:] != asked[:-1]])
    sizes = np.diff(np.r_[starts, len(asked)])
    keep = sizes >= least
    left_out = [read.where[c] for c in skip if c in read.where]
    if left_out:
        out = np.zeros(len(question), dtype=bool)
        out[left_out] = True
        keep &= ~np.maximum.reduceat(out[order], starts)
    for m in np.unique(sizes[keep]).tolist():
        first = starts[keep & (sizes == m)]
        at = order[first[:, None] + np.arange(m)]
        questions = asked[first]
        exclusive = read.exclusive[questions]
        # rows of the same shape next to each other, each run in the case's order
        key = np.column_stack([exclusive, counts[at]])
        by = np.lexsort(key.T[::-1])
        ordered = key[by]
        cuts = np.flatnonzero((ordered[1:] != ordered[:-1]).any(axis=1)) + 1
        for rows in np.split(by, cuts):
            one = rows[0]
            answers = [claims[k] for k in at[one].tolist()]
            yield bool(exclusive[one]), answers, questions[rows], at[rows]
