"""Learned reliability and copy detection, for large corpora nobody graded.

The plain engine weighs an origin by the accuracy its Admiralty grade stands for. In
learned mode each origin's accuracy is estimated from the case itself, in the manner of the
Accu model (Dong, Berti-Equille and Srivastava, 2009): answers compete per question as in
the plain engine, the probability of each answer gives each origin an expected accuracy,
that accuracy gives the weights of the next round, and so on until nothing moves. An
analyst's grade is a prior worth :attr:`Settings.grade_weight` items of evidence; it is
never overwritten. Origins still vote once per claim, after ``via`` chains collapse.

Sources that copy each other without saying so are found from the answers they share:
two independent sources rarely give the same *false* answer, so sharing false answers is
strong evidence of copying, and never disagreeing is weaker evidence. Only contested
answers count (answers of an exclusive question to which some origin asserts a rival
answer): on an answer nobody disputes everyone agrees, copier or not. For each pair
that shares an answer, a likelihood ratio between "independent" and "one copies the
other" gives the probability of copying, one direction at a time: only the questions on
which the would-be copier spoke at or after the other (or either moment is unknown) can
show it copied, so a source that spoke first is never taken for the copier. In each
answer's count, the copier's vote keeps only the share its original does not explain.
Only pairs that give the same answer somewhere are compared, question by question, so the
work grows with the answers shared, not with the square of the number of sources.
"""

from __future__ import annotations

import math

from collections.abc import Callable, Iterator, Mapping
from itertools import pairwise
from typing import TYPE_CHECKING, Any, Protocol

import attrs
import numpy as np

from claimtrack.engine._rules import ASSERT, DOUBT
from claimtrack.engine._settings import Settings
from claimtrack.model import Reliability, Source


if TYPE_CHECKING:
    from numpy.typing import NDArray

    Ints = NDArray[Any]
    """Whole numbers: positions, ids, counts (int64, or int32 where they fit)."""
    Floats = NDArray[Any]


MIN_ITEMS = 5
"""Fewer stances than this and a learned grade stays F: too little to judge a source by."""

_UNGRADED_WEIGHT = 2.0
_FLOOR = 0.01
_TOLERANCE = 1e-6
_LIKELY = 0.8
"""A pair is taken to copy, discounted, warned of and named, from this probability on."""
_GRADED_LETTERS = (Reliability.A, Reliability.B, Reliability.C, Reliability.D, Reliability.E)


@attrs.frozen
class LearnedGrade:
    """A source's reliability as learned from the case, with the evidence behind it.

    Attributes:
        source: The source's id.
        letter: The Admiralty letter the learned accuracy falls under; F with too little
            evidence (fewer than ``MIN_ITEMS`` stances), or when nothing is learned
            (``Settings.rounds`` 0).
        accuracy: The learned probability that what the source says is right.
        items: How many claims the source took a stance on, as an origin.
        agreements: How many of those stances the case bears out (an expected count).
        graded: The analyst's own grade, if any; it was the prior and stays in the case.
    """

    source: str
    letter: Reliability
    accuracy: float
    items: int
    agreements: float
    graded: Reliability | None = None


@attrs.frozen
class Copying:
    """Two sources whose shared answers suggest that one copies the other.

    Attributes:
        sources: The two source ids, in sorted order.
        probability: How likely it is that they are not independent.
        shared: Contested questions both answered (exclusive questions to which two
            answers or more are given); only these are evidence of copying.
        same: Those on which they gave the same answer.
        false: How many of those same answers are likely false (an expected count).
        copier: The one of the two taken to copy the other, whose votes are discounted:
            never one that said every answer they share strictly before the other did.
    """

    sources: tuple[str, str]
    probability: float
    shared: int
    same: int
    false: float
    copier: str | None = None


def _check(settings: Settings) -> None:
    """Refuse knobs the learned mode cannot work with, naming them."""
    for name, value in (
        ("copy_prior", settings.copy_prior),
        ("copy_rate", settings.copy_rate),
        ("ungraded_accuracy", settings.ungraded_accuracy),
    ):
        if not 0.0 < value < 1.0:
            msg = f"Settings.{name} must lie strictly between 0 and 1, got {value}"
            raise ValueError(msg)
    if settings.grade_weight < 0 or settings.pair_cap < 2 or settings.rounds < 0:  # noqa: PLR2004
        msg = (
            "Settings.grade_weight must be >= 0, pair_cap >= 2 and rounds >= 0, "
            f"got {settings.grade_weight}, {settings.pair_cap} and {settings.rounds}"
        )
        raise ValueError(msg)


@attrs.frozen
class _Learned:
    """What learning gives: grades and copying for the reader, weights and discounts per vote."""

    grades: dict[str, LearnedGrade]
    copying: list[Copying]
    fit: _Fit


@attrs.frozen
class _Rows:
    """The votes as flat arrays, one row each, and what competes with what."""

    claim_ids: list[str]
    origin_ids: list[str]
    claim: Ints
    origin: Ints
    kind: Ints
    """0 asserts, 1 denies, 2 doubts."""
    factor: Floats
    group: Ints
    """Per claim: its competing group; an exclusive question's answers share one."""
    alternatives: Ints
    """Per claim: how many answers compete in its group."""
    exclusive: NDArray[np.bool_]
    """Per claim: whether it answers an exclusive question."""
    priors: tuple[Floats, Floats]
    said: Floats | None = None
    """When each row's origin said it: three rows of numbers, the first and last day it
    may stand for and its instant (see :func:`_before`); None when nothing is dated."""


@attrs.frozen
class _Fit:
    """The state learning ends in: per vote, per claim, per origin and per pair of origins."""

    rows: _Rows
    weights: Floats
    independence: Floats
    probability: Floats
    accuracy: Floats
    agreements: Floats
    items: Floats
    pairs: _Pairs
    chance: Floats
    """Per pair: the probability of copying, as last tested."""
    discount: Floats
    """Per pair: the share of the copier's vote that copying explains (0 if negligible)."""
    copier_left: NDArray[np.bool_]
    """Per pair: whether the left origin is taken to copy the right (else the right the left)."""
    keys: Ints
    """The rows' (claim, origin) keys, sorted, to find a row."""
    at: Ints
    """The row of each sorted key."""
    copied: Ints
    """The rows a copy discount applies to, sorted."""
    copied_from: Ints
    """For each of those, the origin it likely copies."""
    coincidence: float
    """How often two independent wrong answers coincide, as learned (1/n in Accu's terms)."""
    true: Floats
    """Per pair: the expected number of true answers among the contested ones it shares
    (worked out only when some pair is discounted; else zeros)."""

    def row(self, claim: int, origin: int) -> int:
        """The row of *origin*'s vote on *claim*."""
        key = claim * len(self.rows.origin_ids) + origin
        return int(self.at[int(self.keys.searchsorted(key))])

    def partners(self, row: int) -> list[int]:
        """The origins the vote of *row* likely copies."""
        lo, hi = self.copied.searchsorted([row, row + 1])
        return [int(q) for q in self.copied_from[lo:hi]]


@attrs.frozen
class _Pairs:
    """Pairs of origins that gave the same answer, with the evidence, and the answers shared.

    Each instance is one claim both assert, in a question few enough origins answer; only
    those on contested questions are evidence, but a copy discount applies to them all.
    """

    left: Ints
    right: Ints
    shared: Ints
    """Per pair: contested questions both answered."""
    same: Ints
    """Per pair: contested claims both asserted."""
    judged: Ints
    """The pairs with enough questions in common to be tested."""
    pair: Ints
    """Per instance: its pair."""
    claim: Ints
    """Per instance: the claim."""
    row_left: Ints
    row_right: Ints
    coincide: float
    """How often two independent wrong answers coincide, as the questions compared suggest."""
    telling: NDArray[np.bool_] | None
    """Per instance: whether its claim is contested, so evidence; None when every one is."""
    shared_to: tuple[Ints, Ints] | None = None
    """Per direction (left copies right, right copies left), per pair: the questions both
    answered on which the copier did not speak strictly before the other; None when
    nothing is dated (every question counts both ways)."""
    same_to: tuple[Ints, Ints] | None = None
    """Likewise, the claims both asserted."""
    timely: tuple[NDArray[np.bool_], NDArray[np.bool_]] | None = None
    """Per direction, per instance: whether the copier did not say it strictly before the other."""


def _fit(rows: _Rows, settings: Settings) -> _Fit:
    """Alternate probabilities and accuracies until nothing moves, discounting copies.

    On one machine the whole case is the one part :func:`learn` works on.
    """
    here = _Here(Part.of(rows, settings))
    learnt = learn(here, rows.priors, settings)
    return here.part.fit(learnt)  # the part as the rounds left it


class Parts(Protocol):
    """The parts of a case that learning works on, wherever they are held.

    The parts hold between them every claim and vote of the case, each group of competing
    claims whole; the origins are numbered alike in all.
    """

    def map(self, step: Callable[..., tuple[Part, Any]], *args: Any) -> list[Any]:
        """``step(part, *args)`` on every part, each part replaced by the one it returns.

        Returns the rest of what each step returns, part by part in a fixed order.
        """
        ...


class _Here:
    """The one part of one machine, held in this process."""

    def __init__(self, part: Part) -> None:
        self.part = part

    def map(self, step: Callable[..., tuple[Part, Any]], *args: Any) -> list[Any]:
        self.part, out = step(self.part, *args)
        return [out]


@attrs.frozen
class _Found:
    """What one part tells of its pairs of origins, by pair key (left origin × origins + right).

    Each is a pair of sorted keys and their counts; summed over the parts they give the
    case's (see :func:`_joined`).
    """

    shared: tuple[Ints, Ints]
    """Contested questions both answered (among those few enough origins answer)."""
    same: tuple[Ints, Ints]
    """Contested claims both asserted."""
    compared: tuple[float, int]
    """The sum of one over the false answers of each question compared, and how many."""
    firsts: tuple[tuple[Ints, Ints], tuple[Ints, Ints]] | None = None
    """Per direction, when dated: questions both answered on which the would-be copier
    spoke strictly first."""
    same_to: tuple[tuple[Ints, Ints], tuple[Ints, Ints]] | None = None
    """Per direction, when dated: contested claims both asserted in time to copy."""


@attrs.frozen
class _Instances:
    """A part's claims asserted by two origins, before the case's pairs are known."""

    keys: Ints
    claim: Ints
    row_left: Ints
    row_right: Ints
    telling: NDArray[np.bool_]
    every_telling: bool
    timely: tuple[NDArray[np.bool_], NDArray[np.bool_]] | None


@attrs.frozen
class _Setup:
    """What stays the same from round to round in a part."""

    asserts: NDArray[np.bool_]
    every_asserts: bool
    scored: NDArray[np.bool_]
    every_scored: bool
    scored_origin: Ints
    scale: Floats
    sign: Floats
    by_group: Ints
    starts: Ints
    fewest_false: Floats
    on: Ints | None
    """The rows whose coincidences count (exclusive assertions), None when every row does."""
    on_claim: Ints


@attrs.frozen
class _Orders:
    """What a round tells every part: the accuracies and what changed, and what to report."""

    accuracy: Floats
    coincide: float | None
    """Accu's coincidence, once re-estimated; None in the first round."""
    copies: tuple[Floats, Any] | None
    """Each pair's discount and copier, when the copy tests changed them."""
    borne: bool
    """Whether to report how far each origin's stances are borne out."""
    ahead: bool
    """Whether another round may follow: then report the coincidences it needs."""
    evidence: bool
    """Whether the next round's copy tests may need the evidence."""


@attrs.frozen
class _Said:
    """What a part reports of a round: partial sums, added up over the parts."""

    moved: float
    borne: Floats | None
    coincidences: tuple[float, float] | None
    evidence: tuple[Floats, ...] | None


@attrs.frozen
class Learnt:
    """What the rounds learn for the whole case: per origin, per pair, and Accu's coincidence."""

    accuracy: Floats
    agreements: Floats
    items: Floats
    pairs: _Pairs
    """The case's pairs of origins, without instances."""
    keys: Ints
    """The pairs' keys, sorted."""
    chance: Floats
    discount: Floats
    copier_left: NDArray[np.bool_]
    coincidence: float
    true: Floats
    """Per pair: the expected number of true answers among those it shares, at the end."""


@attrs.frozen
class Part:
    """Some claims of a case and their votes, as learning holds them between rounds.

    A part holds each group of competing claims whole; on one machine the whole case is
    one part. Its state (each vote's weight and independence, each claim's probability)
    changes round by round; what the rounds need from the rest of the case comes as
    :class:`_Orders`, and what the rest needs from it goes back as sums (:class:`_Said`).
    """

    rows: _Rows
    settings: Settings
    setup: _Setup
    alt: Floats
    independence: Floats
    weights: Floats
    probability: Floats
    instances: _Instances | None = None
    pairs: _Pairs | None = None
    copied: _Copied | None = None

    @classmethod
    def of(cls, rows: _Rows, settings: Settings) -> Part:
        """A part of *rows*, at the start of learning."""
        n_claims = len(rows.claim_ids)
        claim, origin, kind = rows.claim, rows.origin, rows.kind
        asserts, scored = kind == ASSERT, kind != DOUBT  # doubts say too little to score by
        every_scored = bool(scored.all())
        # claims ordered by group, so that a group is a contiguous run
        by_group = np.argsort(rows.group, kind="stable")
        starts = (
            np.flatnonzero(np.r_[True, np.diff(rows.group[by_group]) != 0])
            if n_claims
            else by_group
        )
        coinciding = (kind == ASSERT) & rows.exclusive[claim]
        on = None if coinciding.all() else np.flatnonzero(coinciding)
        setup = _Setup(
            asserts,
            bool(asserts.all()),  # as is common: then the stances need no masks
            scored,
            every_scored,
            origin if every_scored else origin[scored],
            rows.factor * np.where(kind == DOUBT, settings.doubt, 1.0),
            np.where(asserts, 1.0, -1.0),
            by_group,
            starts,
            rows.alternatives - 1.0,  # per claim: fewer values than rows, same result
            on,
            claim if on is None else claim[on],
        )
        return cls(
            rows,
            settings,
            setup,
            rows.alternatives[claim].astype(np.float64),
            np.ones(len(claim)),
            np.zeros(len(claim)),
            np.zeros(n_claims),
        )

    def find(self) -> tuple[Part, tuple[_Found, Ints]]:
        """The part's pairs of origins, and how many scored stances each origin took."""
        found, instances = _found(self.rows, self.settings)
        seen = np.bincount(self.setup.scored_origin, minlength=len(self.rows.origin_ids))
        return attrs.evolve(self, instances=instances), (found, seen)

    def attach(self, pairs: _Pairs, keys: Ints) -> tuple[Part, None]:
        """The part with the case's pairs (*keys* sorted), its instances numbered by them."""
        inst = self.instances
        assert inst is not None  # noqa: S101 - found first
        claim, left, right, telling, timely = (
            inst.claim,
            inst.row_left,
            inst.row_right,
            inst.telling,
            inst.timely,
        )
        inst_keys = inst.keys
        if not inst.every_telling:
            # an instance of a pair that gives the same contested answer nowhere is dropped
            at = np.minimum(keys.searchsorted(inst_keys), max(len(keys) - 1, 0))
            mine = np.flatnonzero(keys[at] == inst_keys) if len(keys) else at[:0]
            inst_keys, claim, left, right = inst_keys[mine], claim[mine], left[mine], right[mine]
            telling = telling[mine]
            if timely is not None:
                timely = (timely[0][mine], timely[1][mine])
        mine_pairs = attrs.evolve(
            pairs,
            pair=keys.searchsorted(inst_keys),
            claim=claim,
            row_left=left,
            row_right=right,
            telling=None if inst.every_telling else telling,
            timely=timely,
        )
        return attrs.evolve(
            self, instances=None, pairs=mine_pairs, copied=_Copied(mine_pairs)
        ), None

    def round(self, orders: _Orders) -> tuple[Part, _Said]:
        """One round on the part: new weights and probabilities, and the sums to report."""
        rows, s = self.rows, self.setup
        claim, n_rows = rows.claim, len(rows.claim)
        independence, alt = self.independence, self.alt
        if orders.copies is not None:
            assert self.copied is not None  # noqa: S101 - attached first
            independence = self.copied.independence(*orders.copies, n_rows)
        if orders.coincide is not None:
            # Accu's n: the false answers a wrong source picks from, as coincidences show
            false = np.maximum(s.fewest_false, 1.0 / orders.coincide)
            alt = np.where(rows.exclusive, np.maximum(false, 1.0), 1.0)[claim]
        odds = orders.accuracy / (1.0 - orders.accuracy)
        base = np.log(
            (alt if s.every_asserts else np.where(s.asserts, alt, 1.0)) * odds[rows.origin]
        )
        weights = np.where(base <= 0.0, 0.0, base * s.scale * independence)
        signed = weights if s.every_asserts else s.sign * weights
        score = np.bincount(claim, weights=signed, minlength=len(rows.claim_ids))
        new = _softmax(np, score, s.by_group, s.starts, rows.group)
        moved = float(np.abs(new - self.probability).max(initial=0.0))
        borne = None
        if orders.borne:
            p = new[claim]
            b = p if s.every_asserts else np.where(s.asserts, p, 1.0 - p)
            borne = np.bincount(
                s.scored_origin, b if s.every_scored else b[s.scored], len(rows.origin_ids)
            )
        coincidences = None
        if orders.ahead:
            w = independence if s.on is None else independence[s.on]
            coincidences = _coincidences(rows, s.on_claim, w, new)
        evidence = None
        if orders.evidence and self.pairs is not None:
            evidence = _evidence(self.pairs, new)
        said = _Said(moved, borne, coincidences, evidence)
        return attrs.evolve(
            self, alt=alt, independence=independence, weights=weights, probability=new
        ), said

    def plain_evidence(self) -> tuple[Part, Floats]:
        """Per pair, the expected true answers among the contested ones it shares here."""
        assert self.pairs is not None  # noqa: S101 - attached first
        return self, _evidence(self.pairs, self.probability, timed=False)[0]

    def fit(self, learnt: Learnt) -> _Fit:
        """The state learning ends in, as this part holds it."""
        rows, pairs, copied = self.rows, self.pairs, self.copied
        assert pairs is not None  # noqa: S101 - attached first
        assert copied is not None  # noqa: S101
        n_origins = len(rows.origin_ids)
        keys = rows.claim * n_origins + rows.origin
        at = np.argsort(keys, kind="stable")
        copied_rows, copied_from = copied.partners(learnt.discount, learnt.copier_left)
        return _Fit(
            rows,
            self.weights,
            self.independence,
            self.probability,
            learnt.accuracy,
            learnt.agreements,
            learnt.items,
            pairs,
            learnt.chance,
            learnt.discount,
            learnt.copier_left,
            keys[at],
            at,
            copied_rows,
            copied_from,
            learnt.coincidence,
            learnt.true,
        )


def learn(parts: Parts, priors: tuple[Floats, Floats], settings: Settings) -> Learnt:
    """Run the rounds of learning on *parts*: the same on one machine as on many.

    Each round every part weighs its votes with the accuracies of the last and reports
    partial sums: per origin, how far its stances are borne out; per pair of origins, the
    true answers they share; and Accu's coincidences. Here they are added up, the
    accuracies, copy tests and coincidence worked out for the whole case and sent back.

    Args:
        parts: The parts, from :meth:`Part.of` with the origins numbered alike.
        priors: Each origin's prior accuracy and how many items of evidence it is worth.
        settings: The engine's knobs.
    """
    prior, strength = priors
    n_origins = len(prior)
    found = parts.map(Part.find)
    pairs, keys = _joined([f for f, _ in found], n_origins)
    seen_counts = _total([c for _, c in found])
    parts.map(Part.attach, pairs, keys)
    tests = _Tests(pairs, settings)
    accuracy = prior.copy()
    right, seen = prior * strength, strength.copy()
    some_pairs = len(pairs.judged) > 0
    moved = 1.0
    coincide = 1.0
    said: list[_Said] = []
    # round 0 is the first pass, at the priors; rounds 1 to ``rounds`` re-estimate
    for round_ in range(settings.rounds + 1):
        if round_:
            coincide = _coincided([s.coincidences for s in said], before=coincide)
        last = round_ == settings.rounds
        copies = None
        evidence = _summed_evidence([s.evidence for s in said])
        if round_ and tests.step(evidence, accuracy, moved=moved, last=last):
            copies = (tests.discount, tests.copier_left)
        skip = bool(round_ == 0 and some_pairs and settings.rounds)
        orders = _Orders(
            accuracy,
            coincide if round_ else None,
            copies,
            borne=not skip,
            ahead=not last,
            evidence=not last and not tests.settled,
        )
        said = parts.map(Part.round, orders)
        moved = max(s.moved for s in said)
        if skip:
            continue  # the first pass only seeds copy detection, at the prior accuracies
        right = prior * strength + _total([s.borne for s in said])
        seen = strength + seen_counts
        if not settings.rounds:
            break  # no re-estimation: the accuracies stay the priors, the evidence is noted
        # an origin with no evidence at all (a grade worth nothing, only doubts) keeps its prior
        known = np.divide(right, seen, out=prior.copy(), where=seen > 0)
        accuracy = np.clip(known, _FLOOR, 1.0 - _FLOOR)
        if round_ and moved < _TOLERANCE and tests.settled:
            break
    true = np.zeros(len(pairs.left))
    if (tests.discount > 0.0).any():  # what find_copying tells of the pairs it names
        true = _total(parts.map(Part.plain_evidence))
    return Learnt(
        accuracy,
        right - prior * strength,
        seen - strength,
        pairs,
        keys,
        tests.chance,
        tests.discount,
        tests.copier_left,
        coincide,
        true,
    )


def _total(partial: list[Any]) -> Any:
    """The sum of the parts' arrays, the first as it is when it is the only one."""
    out = partial[0]
    for more in partial[1:]:
        out = out + more
    return out


def _summed_evidence(partial: list[tuple[Floats, ...] | None]) -> tuple[Floats, ...] | None:
    """The parts' evidence per pair (per direction), added up; None if none was asked for."""
    given = [e for e in partial if e is not None]
    if not given:
        return None
    return tuple(_total(list(each)) for each in zip(*given, strict=True))


def _evidence(pairs: _Pairs, probability: Floats, *, timed: bool = True) -> tuple[Floats, ...]:
    """Per pair: the expected number of true answers among the contested ones it shares.

    When the case is dated (and *timed*), once per direction, counting only the answers
    the would-be copier did not give strictly before the other.
    """
    n = len(pairs.left)
    p = probability[pairs.claim]
    if pairs.telling is not None:
        p = np.where(pairs.telling, p, 0.0)  # only contested answers are evidence
    if pairs.shared_to is None or not timed or pairs.timely is None:
        both = np.bincount(pairs.pair, weights=p, minlength=n)
        return (both,) if pairs.shared_to is None or not timed else (both, both)
    return tuple(
        np.bincount(pairs.pair, weights=np.where(t, p, 0.0), minlength=n) for t in pairs.timely
    )


def _coincidences(
    rows: _Rows, c: Ints, w: Floats, probability: Floats
) -> tuple[float, float] | None:
    """A part's share of how often two independent wrong answers to a question coincide.

    Over the exclusive questions: among pairs of asserting origins that are both wrong
    (by the current probabilities, in expectation), those that give the same answer, and
    those that give different ones. Each origin counts by its independence, so copies do
    not pass for coincidences. *c* and *w* are the claims of those assertions and the
    independence of each; None when there are none.
    """
    if not len(c):
        return None
    n_claims = len(rows.claim_ids)
    k = np.bincount(c, weights=w, minlength=n_claims)
    q = np.bincount(c, weights=w * w, minlength=n_claims)
    g = rows.group
    n_groups = int(g.max()) + 1
    t = np.bincount(g, weights=k, minlength=n_groups)[g]
    wrong = 1.0 - probability
    same = wrong * (k * k - q) / 2.0
    apart = (k * (t - k)) / 2.0 - probability * k * (t - k)
    return float(same.sum()), float(apart.sum())


def _coincided(partial: list[tuple[float, float] | None], *, before: float) -> float:
    """How often two independent wrong answers coincide, from the parts' shares.

    Its inverse is Accu's *n*, the number of false answers a wrong source picks from; it
    is kept at or above ``_LEAST_COINCIDENCE``, so that *n* stays at most 100. With
    nothing to go by, *before* is kept.
    """
    given = [s for s in partial if s is not None]
    if not given:
        return before
    same = sum(s for s, _ in given)
    both = same + sum(a for _, a in given)
    if both <= 0.0:
        return before
    return float(np.clip(same / both, _LEAST_COINCIDENCE, 1.0))


def _softmax(np: Any, score: Floats, by_group: Ints, starts: Ints, group_of: Ints) -> Floats:
    """Each claim's probability: the answers of a group and "none of these" (score 0) compete.

    Groups are numbered densely, so the k-th run of *by_group* is group k.
    """
    if not len(score):
        return score.copy()
    top = np.maximum(np.maximum.reduceat(score[by_group], starts), 0.0)
    exps = np.exp(score - top[group_of])
    total = np.add.reduceat(exps[by_group], starts) + np.exp(-top)
    out: Floats = exps / total[group_of]
    return out


def _blocks(np: Any, starts: Ints, sizes: Ints) -> Iterator[tuple[int, Ints]]:
    """The runs (given by start and size) of two or more, by size *m*, as rows of *m* positions."""
    for m in np.unique(sizes[sizes >= 2]).tolist():  # noqa: PLR2004
        yield m, starts[sizes == m][:, None] + np.arange(m, dtype=starts.dtype)


def _runs(np: Any, keys: Ints) -> tuple[Ints, Ints]:
    """Where each run of equal values starts in sorted *keys*, and how long it is."""
    if not len(keys):
        return keys, keys
    start = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    return start, np.diff(np.r_[start, len(keys)])


def _contested(rows: _Rows) -> NDArray[np.bool_]:
    """Per group of competing claims: whether agreeing on one of them can show copying.

    That is an exclusive question to which origins assert two answers or more. A claim
    that competes with nothing, or the only answer anyone gives, is one everyone can
    agree on, copier or not: agreeing on it is no evidence of copying.
    """
    asserted = np.zeros(len(rows.claim_ids), dtype=bool)
    asserted[rows.claim[rows.kind == ASSERT]] = True
    n_groups = int(rows.group.max()) + 1 if len(rows.group) else 0
    # a group of two or more claims is an exclusive question's
    contested: NDArray[np.bool_] = np.bincount(rows.group[asserted], minlength=n_groups) >= 2  # noqa: PLR2004
    return contested


def _before(moment: Floats, other: Floats) -> Any:
    """Whether each moment is strictly before the other, at the precision both share.

    Moments are columns of (first day, last day, instant), as ordinals of days and seconds
    since the epoch. As :func:`claimtrack.model._dates.later` compares them: two times by
    their instant (a time without a zone taken as UTC); anything else by its days, a month
    or a year standing for every day it spans, so that a moment is before another only if
    its last day is before the other's first. An unknown moment (NaN) is before nothing,
    and nothing is before it.
    """
    timed = ~np.isnan(moment[2]) & ~np.isnan(other[2])
    with np.errstate(invalid="ignore"):
        return np.where(timed, moment[2] < other[2], moment[1] < other[0])


def _found(rows: _Rows, settings: Settings) -> tuple[_Found, _Instances]:  # noqa: PLR0915 - one pass
    """A part's pairs of origins that assert the same claim, and the questions each pair shares.

    Only contested questions give evidence (:func:`_contested`): the questions a pair
    shares are counted among them, and a pair is one that asserts the same answer to one
    of them. A pair's instances are every claim both assert, contested or not: once it
    is found to copy, the copier's vote is discounted on all of them. Only questions
    answered by at most ``pair_cap`` origins are looked at, so the pairs stay few; pairs
    with fewer than ``_MIN_SHARED`` questions in common are not judged. Pairs are counted
    in a table of every pair when that table is small, else by sorting. When the part is
    dated, each pair's questions and answers are also counted per direction: those on
    which the would-be copier did not speak strictly before the other. What is counted
    by pair goes to :func:`_joined`; the instances stay with the part.
    """
    n_o = len(rows.origin_ids)
    space = n_o * n_o
    cap = settings.pair_cap
    n_groups = int(rows.group.max()) + 1 if len(rows.group) else 0
    contested = _contested(rows)
    a_rows = np.flatnonzero(rows.kind == ASSERT)
    # who asserts each claim: the rows come claim by claim, each origin once per claim
    order = a_rows
    # narrow numbers where they fit: the pair arrays are the largest, and half the size is faster
    narrow = np.int32 if max(space, len(rows.claim)) < 1 << 31 else np.int64
    a_claim, a_origin = rows.claim[order], rows.origin[order].astype(narrow)
    # who answers each question: distinct (group, origin), by group
    asked = rows.group[a_claim] * n_o + a_origin
    dated = rows.said is not None and len(asked) > 0
    if dated:
        # each origin's moment on a question: its earliest answer's, by first day, instant
        # and last day (undated ones sort last)
        said = rows.said[:, order]  # type: ignore[index]
        by = np.lexsort((said[1], said[2], said[0], asked))
        asked = asked[by]
        first = np.r_[True, asked[1:] != asked[:-1]]
        asked, ask_said = asked[first], said[:, by[first]]
    else:
        # rows come by claim, and mostly by group already: a merging sort makes short work of it
        asked = np.sort(asked, kind="stable")
        asked = asked[np.r_[True, asked[1:] != asked[:-1]]] if len(asked) else asked
    ask_group, ask_origin = asked // n_o, (asked % n_o).astype(narrow)
    g_start, g_size = _runs(np, ask_group)
    answered = np.zeros(n_groups, dtype=np.int64)
    answered[ask_group[g_start]] = g_size
    small = g_size <= cap
    telling = small & contested[ask_group[g_start]] if len(g_start) else small
    table = space <= max(1 << 24, 4 * len(a_rows))
    counted = np.zeros(space if table else 0, dtype=np.int64)
    listed = []
    # per direction: the keys of the pairs on questions where the copier spoke strictly first
    first_left: list[Ints] = []
    first_right: list[Ints] = []
    for m, at in _blocks(np, g_start[telling].astype(narrow), g_size[telling]):
        values: Ints = ask_origin[at]
        i, j = np.triu_indices(m, 1)
        keys = (values[:, i] * n_o + values[:, j]).ravel()
        if table:
            counted += np.bincount(keys, minlength=space)
        else:
            listed.append(keys)
        if dated:
            mine = ask_said[:, at]
            left, right = mine[:, :, i], mine[:, :, j]
            first_left.append(keys[_before(left, right).ravel()])
            first_right.append(keys[_before(right, left).ravel()])
    if table:
        shared_keys = np.flatnonzero(counted)
        shared = (shared_keys, counted[shared_keys])
    else:
        shared = _counted(listed)
    # one false answer among the rest, in the questions compared
    compared = ask_group[g_start][telling & (g_size >= 2)]  # noqa: PLR2004
    answers = np.zeros(n_groups, dtype=np.int64)
    np.maximum.at(answers, rows.group, rows.alternatives)  # the answers that take part
    sizes = answers[compared]
    sizes = sizes[sizes > 1]
    c_start, c_size = _runs(np, a_claim)
    keep = answered[rows.group[a_claim[c_start]]] <= cap if len(c_start) else c_start > 0
    found = [
        (at[:, i].ravel(), at[:, j].ravel())
        for m, at in _blocks(np, c_start[keep].astype(narrow), c_size[keep])
        for i, j in [np.triu_indices(m, 1)]
    ]
    i = np.concatenate([f[0] for f in found]) if found else np.zeros(0, dtype=narrow)
    j = np.concatenate([f[1] for f in found]) if found else np.zeros(0, dtype=narrow)
    oi: Ints = a_origin[i]
    oj: Ints = a_origin[j]
    inst_keys = np.minimum(oi, oj) * n_o + np.maximum(oi, oj)
    telling_claim = contested[rows.group[a_claim[i]]]
    every_telling = bool(telling_claim.all())
    # the pairs: those that give the same answer to a contested question
    told = inst_keys if every_telling else inst_keys[telling_claim]
    if table:
        same_counts = np.bincount(told, minlength=space)
        same_keys = np.flatnonzero(same_counts)
        same = (same_keys, same_counts[same_keys])
    else:
        same = _counted([told])
    first_lower = oi < oj
    # rows of the two assertions; where every row asserts, a position is its row
    at_i, at_j = (i, j) if len(order) == len(rows.kind) else (order[i], order[j])
    row_left = np.where(first_lower, at_i, at_j)
    row_right = np.where(first_lower, at_j, at_i)
    timely = firsts = same_to = None
    if dated:
        left, right = rows.said[:, row_left], rows.said[:, row_right]  # type: ignore[index]
        # left may copy right where left did not speak strictly first, and the other way
        timely = (~_before(left, right), ~_before(right, left))
        firsts = (_counted(first_left), _counted(first_right))
        same_to = (
            _counted([inst_keys[timely[0] & telling_claim]]),
            _counted([inst_keys[timely[1] & telling_claim]]),
        )
    ratios = 1.0 / (sizes - 1)
    summary = _Found(shared, same, (float(ratios.sum()), len(sizes)), firsts, same_to)
    instances = _Instances(
        inst_keys, a_claim[i], row_left, row_right, telling_claim, every_telling, timely
    )
    return summary, instances


def _joined(found: list[_Found], n_o: int) -> tuple[_Pairs, Ints]:
    """The case's pairs of origins, from what each part found; and their keys, sorted.

    A pair is one that gives the same answer to a contested question in some part; its
    counts are the sums of the parts'. The pairs come without instances: each part
    numbers its own by these keys (:meth:`Part.attach`).
    """
    shared_keys, shared_counts = _added([f.shared for f in found])
    same_keys, same = _added([f.same for f in found])
    shared = _looked_up(shared_keys, shared_counts, same_keys)
    total = sum(f.compared[0] for f in found)
    count = sum(f.compared[1] for f in found)
    coincide = float(min(0.5, total / count)) if count else 0.5
    shared_to = same_to = None
    if any(f.firsts is not None for f in found):
        dated = [f for f in found if f.firsts is not None and f.same_to is not None]
        same_to = tuple(
            _looked_up(*_added([f.same_to[d] for f in dated]), same_keys)  # type: ignore[index]
            for d in (0, 1)
        )
        shared_to = tuple(
            np.maximum(shared - _looked_up(*_added([f.firsts[d] for f in dated]), same_keys), s)  # type: ignore[index]
            for d, s in ((0, same_to[0]), (1, same_to[1]))
        )
    none = np.zeros(0, dtype=np.int64)
    pairs = _Pairs(
        same_keys // n_o,
        same_keys % n_o,
        shared,
        same,
        np.flatnonzero(shared >= _MIN_SHARED),
        none,
        none,
        none,
        none,
        coincide,
        None,
        shared_to,  # type: ignore[arg-type]
        same_to,  # type: ignore[arg-type]
    )
    return pairs, same_keys


def _counted(found: list[Ints]) -> tuple[Ints, Ints]:
    """The distinct values of the arrays *found*, sorted, and how often each occurs."""
    if not found:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    keys, counts = np.unique(np.concatenate(found), return_counts=True)
    return keys, counts


def _added(counted: list[tuple[Ints, Ints]]) -> tuple[Ints, Ints]:
    """Counts by sorted key from several parts, added up; the only one as it is."""
    given = [c for c in counted if len(c[0])]
    if not given:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if len(given) == 1:
        return given[0]
    keys, where = np.unique(
        np.concatenate([k.astype(np.int64) for k, _ in given]), return_inverse=True
    )
    counts = np.bincount(where, weights=np.concatenate([c for _, c in given]))
    return keys, counts.astype(np.int64)


def _looked_up(keys: Ints, counts: Ints, wanted: Ints) -> Ints:
    """The count of each of *wanted* among the sorted *keys*, 0 where it is not one."""
    if not len(keys):
        return np.zeros(len(wanted), dtype=np.int64)
    at = np.minimum(keys.searchsorted(wanted), len(keys) - 1)
    out: Ints = np.where(keys[at] == wanted, counts[at], 0)
    return out


class _Tests:
    """The copy test of every pair, with what stays the same from round to round worked out once."""

    def __init__(self, pairs: _Pairs, settings: Settings) -> None:

        self.pairs = pairs
        self.rate = settings.copy_rate
        self.prior = math.log((1.0 - settings.copy_prior) / settings.copy_prior)
        self.judged = np.zeros(len(pairs.left), dtype=bool)
        self.judged[pairs.judged] = True
        # per direction (left copies right, right copies left): what may show copying
        both = (pairs.shared, pairs.shared)
        self.shared = both if pairs.shared_to is None else pairs.shared_to
        self.same = (pairs.same, pairs.same) if pairs.same_to is None else pairs.same_to
        # the state of the tests: per pair, the last probability, discount and copier
        self.chance = np.zeros(len(pairs.left))
        self.discount = np.zeros(len(pairs.left))
        self.copier_left: NDArray[np.bool_] = np.zeros(len(pairs.left), dtype=bool)
        self.settled = len(pairs.judged) == 0
        self.likely_only = False

    def step(
        self, evidence: tuple[Floats, ...] | None, accuracy: Floats, *, moved: float, last: bool
    ) -> bool:
        """One round's copy tests, given how far the last round moved; whether they ran.

        *evidence* is what :func:`_evidence` gives, summed over the parts, at the last
        round's probabilities; it is looked at only while copying is not settled.

        First every tested pair is discounted as likely as copying is, so that a cluster
        of copiers can lose the lead it took at the priors. Once no probability moves by
        ``_SETTLED``, only the likely copies (``_LIKELY``), the pairs the reader is told
        of, are discounted, and the tests go on until that settles too; the last round
        keeps only the likely copies all the same.
        """
        if self.settled:
            return False
        if moved >= _SETTLED:
            assert evidence is not None  # noqa: S101 - asked for while not settled
            self.chance, self.discount, self.copier_left = self.tested(evidence, accuracy)
        elif self.likely_only:
            self.settled = True
        self.likely_only = self.likely_only or moved < _SETTLED or last
        if self.likely_only:
            self.discount = np.where(self.chance >= _LIKELY, self.discount, 0.0)
        return True

    def run(self, probability: Floats, accuracy: Floats) -> tuple[Floats, Floats, Any]:
        """:meth:`tested` on the evidence of *probability*, the pairs holding their instances."""
        return self.tested(_evidence(self.pairs, probability), accuracy)

    def tested(self, evidence: tuple[Floats, ...], accuracy: Floats) -> tuple[Floats, Floats, Any]:
        """For each pair: the probability of copying, the discount it brings, and who copies.

        Each direction is tested on its own evidence: the questions on which the would-be
        copier did not speak strictly before the other. The likelihood ratio compares two
        independent sources (same true answer with probability a1·a2, same false answer
        (1-a1)(1-a2)·coincide) with one that copies a share ``copy_rate`` of its answers
        from the other. A direction with no such answer in common, or fewer than
        ``_MIN_SHARED`` such questions, is ruled out. The copier is the direction with the
        stronger evidence (the larger likelihood ratio); where both are as strong (as when
        nothing is dated), the less accurate of the two (then the later id). The discount is the probability of copying times
        the share of answers the pair has in common beyond what independence explains;
        under ``_NEGLIGIBLE`` it is dropped, as is every pair not judged.
        """
        pairs = self.pairs
        a1, a2 = accuracy[pairs.left], accuracy[pairs.right]
        pt = a1 * a2
        pf = (1.0 - a1) * (1.0 - a2) * pairs.coincide
        am = (a1 + a2) / 2.0
        later = _later(pairs, accuracy)
        if pairs.shared_to is None:
            chance, share, _ = self._direction(
                evidence[0], self.same[0], self.shared[0], pt=pt, pf=pf, am=am
            )
            copier_left = later
        else:
            tested = [
                self._direction(true, same, shared, pt=pt, pf=pf, am=am)
                for true, same, shared in zip(evidence, self.same, self.shared, strict=True)
            ]
            (to_right, share_r, odds_r), (to_left, share_l, odds_l) = tested
            # by the evidence's log-odds, which do not round to a tie as probabilities near 1 do
            copier_left = np.where(odds_r == odds_l, later, odds_r > odds_l)
            chance = np.where(copier_left, to_right, to_left)
            share = np.where(copier_left, share_r, share_l)
        agree = pt + pf
        excess = np.clip((share - agree) / (1.0 - agree), 0.0, 1.0)
        discount = chance * excess
        discount = np.where(self.judged & (discount > _NEGLIGIBLE), discount, 0.0)
        chance = np.where(self.judged, chance, 0.0)
        return chance, discount, copier_left

    def _direction(
        self, true: Floats, same: Ints, shared: Ints, *, pt: Floats, pf: Floats, am: Floats
    ) -> tuple[Floats, Floats, Floats]:
        """One direction's test, from its evidence, for every pair.

        Returns the probability that one origin copies the other, their share of same
        answers, and the log-likelihood ratio (-inf where the direction is ruled out).
        """
        rate = self.rate
        ratio = (
            true * np.log((am * rate + pt * (1.0 - rate)) / pt)
            + (same - true) * np.log(((1.0 - am) * rate + pf * (1.0 - rate)) / pf)
            + (shared - same) * math.log(1.0 - rate)
        )
        x = np.minimum(self.prior - ratio, _EXP_LIMIT)
        chance = np.where(self.prior - ratio > _EXP_LIMIT, 0.0, 1.0 / (1.0 + np.exp(x)))
        possible = (same > 0) & (shared >= _MIN_SHARED)
        share = np.divide(same, shared, out=np.zeros(len(same)), where=shared > 0)
        return np.where(possible, chance, 0.0), share, np.where(possible, ratio, -np.inf)


def _later(pairs: _Pairs, accuracy: Floats) -> NDArray[np.bool_]:
    """Per pair: whether the left origin counts after the right.

    The later one (less accurate, or tied and later in order) is the one taken to copy
    when time does not tell.
    """
    a, b = accuracy[pairs.left], accuracy[pairs.right]
    later: NDArray[np.bool_] = (a < b) | ((a == b) & (pairs.left > pairs.right))
    return later


class _Copied:
    """The instances of the pairs a copy discount applies to, found again only when they change.

    After the first rounds the same pairs stay discounted; each round then works on their
    instances alone, not on every instance of every pair.
    """

    def __init__(self, pairs: _Pairs) -> None:
        self.pairs = pairs
        self.active: NDArray[np.bool_] | None = None
        self.found: tuple[Ints, Ints, Ints, Ints] = (
            pairs.pair[:0],
            pairs.row_left[:0],
            pairs.row_right[:0],
            pairs.pair[:0],
        )

    def instances(self, discount: Floats) -> tuple[Ints, Ints, Ints, Ints]:
        """The pair, left row, right row and number of every instance of a discounted pair."""
        active = discount > 0.0
        if self.active is None or not np.array_equal(active, self.active):
            pairs = self.pairs
            on = np.flatnonzero(active[pairs.pair])
            self.active = active
            # rows as numpy's own index type: bincount would otherwise convert them each round
            rows = (pairs.row_left[on].astype(np.intp), pairs.row_right[on].astype(np.intp))
            self.found = (pairs.pair[on], *rows, on)
        return self.found

    def copies(self, discount: Floats, copier_left: Any) -> tuple[Ints, Ints, Any]:
        """Every copied vote: its pair, its row, and whether the copier said it in time.

        An instance on which the copier spoke strictly before the other is its own: the
        pair's discount does not apply there.
        """
        pair, left, right, on = self.instances(discount)
        by_left = copier_left[pair]
        target = np.where(by_left, left, right)
        timely = self.pairs.timely
        if timely is None:
            return pair, target, None
        return pair, target, np.where(by_left, timely[0][on], timely[1][on])

    def independence(self, discount: Floats, copier_left: Any, n_rows: int) -> Floats:
        """The share of each assertion that the origins it likely copies do not explain.

        Each copier keeps ``1 - discount`` of its vote on an answer for every origin it
        likely copies that gave it too.
        """
        pair, target, timely = self.copies(discount, copier_left)
        lost = np.zeros(len(discount))
        active = discount > 0.0
        with np.errstate(divide="ignore"):  # a certain copy keeps nothing: log 0 is -inf, exp 0
            lost[active] = np.log1p(-discount[active])
        w = lost[pair] if timely is None else np.where(timely, lost[pair], 0.0)
        keep: Floats = np.exp(np.bincount(target, weights=w, minlength=n_rows))
        return keep

    def partners(self, discount: Floats, copier_left: Any) -> tuple[Ints, Ints]:
        """The rows a copy discount applies to, sorted, each with the origin it likely copies."""
        pairs = self.pairs
        pair, target, timely = self.copies(discount, copier_left)
        source = np.where(copier_left[pair], pairs.right[pair], pairs.left[pair])
        if timely is not None:
            pair, target, source = pair[timely], target[timely], source[timely]
        order = np.argsort(target, kind="stable")
        return target[order], source[order]


def _grades(
    sources: Mapping[str, Source], settings: Settings, fit: _Fit
) -> dict[str, LearnedGrade]:
    """Each origin's learned accuracy as a letter, with its evidence."""
    edges = _letter_edges(settings)
    out = {}
    accuracy, items, agreements = (
        fit.accuracy.tolist(),
        fit.items.tolist(),
        fit.agreements.tolist(),
    )
    for k, oid in enumerate(fit.rows.origin_ids):
        source = sources.get(oid)
        count = round(items[k])
        letter = Reliability.F  # too little evidence, or nothing learned (``rounds=0``)
        if count >= MIN_ITEMS and settings.rounds > 0:
            letter = next((g for g, edge in edges if accuracy[k] >= edge), Reliability.E)
        out[oid] = LearnedGrade(
            oid, letter, accuracy[k], count, agreements[k], source.reliability if source else None
        )
    return out


def _copying(fit: _Fit) -> list[Copying]:
    """The pairs likely to copy, most likely first, with the answers they share."""
    pairs, ids, true = fit.pairs, fit.rows.origin_ids, fit.true
    out = [
        Copying(
            (ids[int(pairs.left[k])], ids[int(pairs.right[k])]),
            float(fit.chance[k]),
            int(pairs.shared[k]),
            int(pairs.same[k]),
            max(0.0, float(pairs.same[k] - true[k])),
            ids[int(pairs.left[k] if fit.copier_left[k] else pairs.right[k])],
        )
        for k in np.flatnonzero(fit.discount > 0.0)  # the pairs the reasons name, and no other
    ]
    out.sort(key=lambda c: (-c.probability, c.sources))
    return out


def _letter_edges(settings: Settings) -> list[tuple[Reliability, float]]:
    """The lowest accuracy of each letter A to E: halfway to the next letter's accuracy."""
    values = [settings.accuracy.of(g) for g in _GRADED_LETTERS]
    edges = [(a + b) / 2 for a, b in pairwise(values)]
    return list(zip(_GRADED_LETTERS, [*edges, 0.0], strict=True))


_EXP_LIMIT = 700.0
_MIN_SHARED = 3
"""Pairs with fewer questions in common are not judged: too few to tell copying from chance."""
_SETTLED = 1e-3
"""Once no probability moves by this much, copying is taken as settled and not re-tested."""
_NEGLIGIBLE = 0.02
_LEAST_COINCIDENCE = 0.01
