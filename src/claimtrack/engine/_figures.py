"""Numeric questions summed up as conflict monitors publish figures: low, best and high.

Only credible answers count (single-source, corroborated or contested), and only where
they all count one unit. The best figure is the probability-weighted median of their
midpoints: the first, in ascending order, at which the running weight reaches half. An
open-ended answer ("at least 100") bounds the range but sets no best figure, unless no
answer of the question has both bounds.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from claimtrack.engine._assessment import Figures
from claimtrack.engine._rules import STATUS_CODES, Floats, Ints
from claimtrack.engine._scales import CREDIBLE
from claimtrack.model import Claim, Question


_CREDIBLE_CODES = np.isin(np.arange(len(STATUS_CODES)), [STATUS_CODES[s] for s in CREDIBLE])


def figures(
    claims: Mapping[str, Claim],
    questions: Mapping[str, Question],
    p: Floats,
    status: Ints,
    counts: Ints,
) -> list[Figures]:
    """Low, weighted median and high of each numeric question's credible counts.

    *counts* are the claims' shape codes: only claims with a count are looked at.
    """
    numbered = {qid: k for k, qid in enumerate(questions)}
    rows: list[tuple[int, float, float, str | None, int, bool]] = []
    listed = list(claims.values())
    for k in np.flatnonzero(_CREDIBLE_CODES[status] & (counts > 0)).tolist():
        claim = listed[k]
        v = claim.value
        if v is None or claim.question is None:
            continue
        q = numbered.get(claim.question)
        if q is not None:
            bottom = v.low if v.low is not None else v.high
            top = v.high if v.high is not None else v.low
            rows.append((q, float(bottom), float(top), v.unit, k, v.kind == "open_ended"))  # type: ignore[arg-type]
    if not rows:
        return []
    asked, low, high, unit, positions, opened = zip(*rows, strict=True)
    units = {u: n for n, u in enumerate(dict.fromkeys(unit))}
    qa = np.array(asked, dtype=np.int64)
    kinds = np.unique(qa * len(units) + np.fromiter(map(units.__getitem__, unit), np.int64))
    single = np.bincount(kinds // len(units), minlength=len(questions)) == 1
    keep = single[qa]
    if not keep.any():
        return []
    qa, lo, hi = qa[keep], np.array(low)[keep], np.array(high)[keep]
    weight = p[np.array(positions, dtype=np.int64)[keep]]
    unit_of = [u for u, ok in zip(unit, keep.tolist(), strict=True) if ok]
    order = np.lexsort((weight, (lo + hi) / 2, qa))
    starts = np.flatnonzero(np.r_[True, qa[order][1:] != qa[order][:-1]])
    lows = np.minimum.reduceat(lo[order], starts)
    highs = np.maximum.reduceat(hi[order], starts)
    names = list(questions)
    first_unit = [unit_of[i] for i in order[starts].tolist()]
    # the best figure from the answers with both bounds, where a question has any
    shut = ~np.array(opened)[keep]
    closed = np.zeros(len(questions), dtype=bool)
    closed[qa[shut]] = True
    chosen = shut | ~closed[qa]
    best = _medians(qa[chosen], ((lo + hi) / 2)[chosen], weight[chosen])
    return [
        Figures(names[qi], a, b, c, u)
        for qi, a, b, c, u in zip(
            qa[order][starts].tolist(),
            lows.tolist(),
            best.tolist(),
            highs.tolist(),
            first_unit,
            strict=True,
        )
    ]


def _medians(qa: Ints, mid: Floats, weight: Floats) -> Floats:
    """Per question (in order), the probability-weighted median of its answers' midpoints."""
    order = np.lexsort((weight, mid, qa))
    qa, mid, weight = qa[order], mid[order], weight[order]
    starts = np.flatnonzero(np.r_[True, qa[1:] != qa[:-1]])
    sizes = np.diff(np.r_[starts, len(qa)])
    column = np.arange(len(qa)) - np.repeat(starts, sizes)
    # running sums one question per row, added left to right
    padded = np.zeros((len(starts), int(sizes.max())))
    padded[np.repeat(np.arange(len(starts)), sizes), column] = weight
    run = np.cumsum(padded, axis=1)
    total = run[np.arange(len(starts)), sizes - 1]
    reached = run >= (total / 2)[:, None]
    pick = np.where(
        total <= 0,
        sizes // 2,
        np.where(reached.any(axis=1), reached.argmax(axis=1), sizes - 1),
    )
    best: Floats = mid[starts + pick]
    return best
