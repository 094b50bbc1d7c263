"""The engine's rules, each written once, as named tables and functions over arrays.

Every function takes one row per vote or per claim and gives the judgement for all of
them at once; the explanation reads the same arrays, so a reason can never disagree with
the number it explains. docs/confidence.md states each rule with its reason and a
worked example; ``tests/reference`` restates them one claim at a time.

Enum members are coded through the tables below, by name: adding a member to
:class:`~claimtrack.Stance`, :class:`~claimtrack.Mode` or :class:`~claimtrack.Reliability`
changes no code and no result.
"""

from __future__ import annotations

import math

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

import attrs
import numpy as np

from claimtrack.engine._scales import Confidence, Status
from claimtrack.engine._settings import Settings
from claimtrack.engine._stakes import Stake
from claimtrack.model import Credibility, Mode, Reliability, Stance


Ints = np.ndarray[Any, np.dtype[np.int64]]
Floats = np.ndarray[Any, np.dtype[np.float64]]
Bools = np.ndarray[Any, np.dtype[np.bool_]]

_E = TypeVar("_E")

# ---- codes ------------------------------------------------------------------------------

ASSERT, DENY, DOUBT, RETRACT = 0, 1, 2, 3


@attrs.frozen
class StanceRule:
    """A stance as the engine counts it and the reasons word it.

    Attributes:
        code: Its code in the arrays; the rules below say what each code does.
        verb: How a reason says an origin takes it ("denies").
        past: How a reason says an origin took it before ("denied").
        listed: How the reasons list the origins taking it, one and many ("deny"), or
            None where they are not listed (a retraction leaves no vote).
    """

    code: int
    verb: str
    past: str
    listed: tuple[str, str] | None


STANCE_RULES: Mapping[Stance, StanceRule] = {
    Stance.ASSERTS: StanceRule(ASSERT, "asserts", "asserted", ("supports", "support")),
    Stance.DENIES: StanceRule(DENY, "denies", "denied", ("denies", "deny")),
    Stance.DOUBTS: StanceRule(DOUBT, "doubts", "doubted", ("doubts", "doubt")),
    Stance.RETRACTS: StanceRule(RETRACT, "retracts", "retracted", None),
}
"""Every stance, in the order the reasons list them."""
STANCE_CODES: Mapping[Stance, int] = {s: rule.code for s, rule in STANCE_RULES.items()}
"""Each stance's code in the arrays."""
STANCES = tuple(sorted(STANCE_CODES, key=STANCE_CODES.__getitem__))
"""The stances by code."""

MODE_OPENNESS: Mapping[Mode, int] = {Mode.ON_RECORD: 0, Mode.ANONYMOUS: 1, Mode.PURPORTED: 2}
"""Each mode's code, most open first: a vote's mode is the most open of its attributions."""
MODES = tuple(sorted(MODE_OPENNESS, key=MODE_OPENNESS.__getitem__))
"""The modes by code."""
PURPORT = MODE_OPENNESS[Mode.PURPORTED]

GRADE_RANKS: Mapping[Reliability, int] = {
    Reliability.A: 0,
    Reliability.B: 1,
    Reliability.C: 2,
    Reliability.D: 3,
    Reliability.E: 4,
    Reliability.F: 5,
}
"""Each grade's rank, best first; an ungraded source ranks as F."""
GRADES = tuple(sorted(GRADE_RANKS, key=GRADE_RANKS.__getitem__))
"""The grades by rank."""
STRONG = frozenset((Reliability.A, Reliability.B))
"""Grades that lift analytic confidence to high."""
CREDIBLE_GRADES = frozenset((Reliability.A, Reliability.B, Reliability.C))
"""Grades whose origins count towards analytic confidence, and whose disagreement lowers it."""

STAKE_CODES: Mapping[Stake, int] = {s: k for k, s in enumerate(Stake)}
"""Each stake's code in the arrays (any numbering serves: a stake's factor is the rule)."""
STAKES = tuple(STAKE_CODES)

STATUS_CODES: Mapping[Status, int] = {s: k for k, s in enumerate(Status)}
"""Each status's code in the arrays (any numbering serves: codes are only compared)."""
STATUSES = tuple(STATUS_CODES)


def codes(values: Sequence[_E], table: Mapping[_E, int]) -> Ints:
    """Each value's code in *table*, by identity (enum members are singletons).

    A value the table lacks raises :class:`KeyError`: a member added to an enum must be
    given its code and its rule before the engine can count it.
    """
    count = len(values)
    if count and values.count(values[0]) == count:  # one value throughout, as is common
        return np.full(count, table[values[0]], dtype=np.int64)
    by_id = {id(member): code for member, code in table.items()}
    try:
        return np.fromiter(map(by_id.__getitem__, map(id, values)), np.int64, count)
    except KeyError:
        missing = next(v for v in values if id(v) not in by_id)
        raise KeyError(missing) from None


def objects(members: Iterable[object]) -> np.ndarray[Any, np.dtype[np.object_]]:
    """An object array of *members*, to turn codes back into members by indexing."""
    found = list(members)
    out = np.empty(len(found), dtype=object)
    out[:] = found
    return out


# ---- one vote ---------------------------------------------------------------------------


def latest_run(stances: Sequence[Stance]) -> list[int]:
    """Which of an origin's stances on a claim count, given in the order they were said.

    Only an origin's latest stance counts, with the attributions that took it since it
    last changed its mind; a retraction withdraws everything said before it. Returns
    the positions (in *stances*) of the run that counts; empty if the last word was a
    retraction.
    """
    current: list[int] = []
    for k, stance in enumerate(stances):
        if stance is Stance.RETRACTS:
            current = []
        elif current and stances[current[-1]] is stance:
            current.append(k)
        else:
            current = [k]
    return current


def base_weights(
    rank: Ints, stance: Ints, alternatives: Ints, odds_of: Mapping[int, float], settings: Settings
) -> Floats:
    """What each vote moves before its factor: the accuracy-weighted vote of Dong et al.

    An origin right with odds *o* asserting one of *n* alternatives weighs ``ln(n*o)``; a
    denial weighs ``ln(o)``, a doubt the :attr:`Settings.doubt` share of that; never less
    than nothing. *rank* keys *odds_of*: origins of one rank share their odds.
    """
    base = np.zeros(len(rank))
    pro = stance == ASSERT
    if pro.any():
        span = int(alternatives.max()) + 1
        pair = rank[pro] * span + alternatives[pro]
        kinds, back = np.unique(pair, return_inverse=True)
        logs = [max(0.0, math.log((k % span) * odds_of[k // span])) for k in kinds.tolist()]
        base[pro] = np.array(logs)[back.reshape(-1)]
    against = np.zeros(len(GRADES))
    doubted = np.zeros(len(GRADES))
    for k, odds in odds_of.items():
        against[k] = max(0.0, math.log(odds))
        doubted[k] = against[k] * settings.doubt
    con = ~pro
    base[con] = np.where(stance[con] == DOUBT, doubted[rank[con]], against[rank[con]])
    return base


def shares(count: int, correlation: float) -> Floats:
    """What the *k*-th strongest of *count* origins on one side adds, as a share of its weight.

    *k* origins each sharing *correlation* with every other carry the information of
    ``n(k) = k / (1 + (k - 1)*rho)`` independent ones (Kish's design effect); the *k*-th
    adds ``n(k) - n(k - 1)``: 1 for the first, then less and less, never below zero.
    That difference is computed as ``(1 - rho) / ((1 + (k - 1)*rho)(1 + (k - 2)*rho))``, equal
    to it, whose rounding can only fall as *k* grows, as the rule does.
    """
    k = np.arange(1, count + 1, dtype=np.float64)
    rho = correlation
    return (1.0 - rho) / ((1.0 + (k - 1.0) * rho) * (1.0 + (k - 2.0) * rho))


def diminished(claim: Ints, pro: Bools, weight: Floats, tie: Ints, correlation: float) -> Floats:
    """Each vote's weight once origins on one side give diminishing returns.

    The votes of each claim are split into its supporters and the rest (deniers and
    doubters); within each side the strongest vote keeps its weight and the *k*-th
    strongest keeps :func:`shares` of it. *tie* orders votes of equal weight (the
    origin's place among the origins sorted by id, as the reasons list them). Weights
    sorted strongest first times shares that fall keep their order, and adding a vote to
    a side never lowers that side's total: the new vote adds at least what it pushes the
    weaker ones down by.
    """
    if not len(weight):
        return weight
    order = np.lexsort((tie, -weight, ~pro, claim))
    side = claim[order] * 2 + (~pro[order]).astype(np.int64)
    start = np.flatnonzero(np.r_[True, side[1:] != side[:-1]])
    size = np.diff(np.r_[start, len(side)])
    rank = np.arange(len(side)) - np.repeat(start, size)
    out = np.empty_like(weight)
    out[order] = weight[order] * shares(int(size.max()), correlation)[rank]
    return out


# ---- one claim --------------------------------------------------------------------------


def outweighed(
    votes: Ints, first: Ints, *, pro: Ints, denials: Ints, weight: Floats, stance: Ints
) -> Bools:
    """Claims whose denials weigh more than their support, as exact sums would say.

    numpy's sums are within a hair of the exact ones; only where the two sides are that
    close are they summed again exactly (:func:`math.fsum`), so a tie stays a tie.
    """
    count = len(votes)
    claim = np.repeat(np.arange(count), votes)
    against = np.bincount(claim, np.where(stance == DENY, weight, 0.0), count)
    support = np.bincount(claim, np.where(stance == ASSERT, weight, 0.0), count)
    out: Bools = (pro > 0) & (denials > 0) & (against > support)
    close = np.abs(against - support) <= 1e-9 * (against + support)
    near = np.flatnonzero((pro > 0) & (denials > 0) & close)
    if not len(near):
        return out
    w, s = weight.tolist(), stance.tolist()
    fsum = math.fsum
    for c in near.tolist():
        at, k = int(first[c]), int(votes[c])
        mine = list(zip(w[at : at + k], s[at : at + k], strict=True))
        out[c] = fsum([x for x, y in mine if y == DENY]) > fsum([x for x, y in mine if y == ASSERT])
    return out


def statuses(
    *,
    pro: Ints,
    denials: Ints,
    purported_pro: Ints,
    doubting: Ints,
    outweighed: Bools,
    backed: Bools,
    retracting: Bools,
    superseded: Bools,
) -> Ints:
    """Where each claim stands, the first rule that holds deciding.

    0. A later claim supersedes it: superseded.
    1. No origin asserts or denies it: retracted if someone retracted it, else unverified.
    2. Only purported statements assert it and none denies it: unverified.
    3. Nobody asserts it, or its denials outweigh its support: denied.
    4. A denial, a weighty doubt, or a rival answer with weighty support: contested.
    5. Two or more origins assert it: corroborated; one: single-source.

    Counts are of votes per claim; *outweighed* is :func:`outweighed`, *backed* marks claims
    contradicted by a claim with weighty support of its own, *retracting* claims that
    some attribution retracts, *superseded* those a later claim supersedes.
    """
    c = STATUS_CODES
    return np.select(
        [
            superseded,
            (pro == 0) & (denials == 0),
            (denials == 0) & (purported_pro == pro),
            (pro == 0) | outweighed,
            (denials > 0) | backed | (doubting > 0),
            pro > 1,
        ],
        [
            c[Status.SUPERSEDED],
            np.where(retracting, c[Status.RETRACTED], c[Status.UNVERIFIED]),
            c[Status.UNVERIFIED],
            c[Status.DENIED],
            c[Status.CONTESTED],
            c[Status.CORROBORATED],
        ],
        c[Status.SINGLE_SOURCE],
    )


CONFIDENCE_RULES: tuple[tuple[Confidence, str], ...] = (
    (Confidence.LOW, "a later claim supersedes it"),
    (Confidence.LOW, "no origin that carries weight bears on it"),
    (Confidence.LOW, "a single origin bears on it"),
    (Confidence.LOW, "credible origins without a stake in it disagree"),
    (Confidence.LOW, "its support is purported, not verified"),
    (Confidence.LOW, "fewer than two of its origins are credible (graded A to C)"),
    (
        Confidence.HIGH,
        (
            "{n} independent credible origins agree, one graded B or better, and no credible "
            "origin without a stake in it disagrees"
        ),
    ),
    (
        Confidence.MODERATE,
        (
            "{n} independent credible origins agree, none graded B or better, and no credible "
            "origin without a stake in it disagrees"
        ),
    ),
)
"""Analytic confidence by rule, with the sentence that says why; ``{n}`` is the origins."""


def confidence_rules(
    status: Ints, *, heavy: Ints, credible: Ints, strong: Ints, disputed: Bools
) -> Ints:
    """Which confidence rule holds for each claim: a position in :data:`CONFIDENCE_RULES`.

    Confidence rests on the side the judgement rests on: the deniers of a denied claim,
    else the supporters. *heavy*, *credible* and *strong* count, on that side, the origins
    that carry weight, those of them graded A to C, and those graded A or B. *disputed*
    marks claims that a credible origin without a stake (not a party to the question, not
    discounted as interested) opposes: by denying or doubting it, by backing a rival, or,
    for a denied claim, by supporting it. Disagreement that comes only from parties,
    interested or low-grade origins does not hold confidence down. It never reads the
    probability (ICD 203 keeps the two apart).
    """
    c = STATUS_CODES
    return np.select(
        [
            status == c[Status.SUPERSEDED],
            heavy == 0,
            heavy == 1,
            disputed,
            status == c[Status.UNVERIFIED],
            credible < 2,  # noqa: PLR2004 - two credible origins, or no more than low
            strong > 0,
        ],
        [0, 1, 2, 3, 4, 5, 6],
        7,
    )


CREDIBILITY_EDGES = (
    (0.70, Credibility.PROBABLY_TRUE),
    (0.45, Credibility.POSSIBLY_TRUE),
    (0.20, Credibility.DOUBTFUL),
)
"""The lowest probability of each Admiralty digit from 2 to 4; below the last, 5."""


def credibilities(
    p: Floats, votes: Ints, credible_pro: Ints, status: Ints, disputed: Bools
) -> list[Credibility]:
    """The Admiralty credibility digit each claim earns.

    6 (cannot be judged) without a vote; 1 (confirmed by other sources) for a claim that
    two weighty credible origins support at 80% or more, corroborated or contested only by
    origins with a stake or of low grade (not *disputed*); else the band of its
    probability.
    """
    edges = [e for e, _ in reversed(CREDIBILITY_EDGES)]
    digits = [Credibility.IMPROBABLE, *(d for _, d in reversed(CREDIBILITY_EDGES))]
    band = np.searchsorted(edges, p, side="right")
    table = objects([*digits, Credibility.CONFIRMED, Credibility.CANNOT_BE_JUDGED])
    agreed = (status == STATUS_CODES[Status.CORROBORATED]) | (
        status == STATUS_CODES[Status.CONTESTED]
    )
    confirmed = (credible_pro >= 2) & (p >= 0.80) & agreed & ~disputed  # noqa: PLR2004
    code = np.where(votes == 0, len(digits) + 1, np.where(confirmed, len(digits), band))
    return table[code].tolist()  # type: ignore[no-any-return]


def best_grades(count: int, claim: Ints, pro: Bools, rank: Ints, supported: Ints) -> Ints:
    """The rank of the best grade behind each claim: among its supporters, else all its votes.

    *supported* counts each claim's supporting votes; a claim without votes ranks F.
    """
    best = np.full(count, GRADE_RANKS[Reliability.F], dtype=np.int64)
    side = pro | (supported[claim] == 0)
    np.minimum.at(best, claim[side], rank[side])
    return best
