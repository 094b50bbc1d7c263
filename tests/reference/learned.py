"""The readable reference of the learned rounds: the specification the learned engine is held to.

The learned mode (``claimtrack.engine.learned``) estimates each origin's accuracy from the
case itself, in the manner of the Accu model of Dong, Berti-Equille and Srivastava (2009),
and computes on numpy arrays for whole corpora at once. This module restates its rounds
of re-estimation in plain Python, one origin, claim and vote at a time, straight from
``docs/learned-reliability.md``; ``test_learn_reference.py`` holds the learned engine to
it on generated cases, within a relative tolerance of about 1e-9 (numpy and Python may
sum in different orders and differ in the last bits).

What it covers, round by round:

* **Votes.** The votes are the plain reference engine's (``engine.py``): each origin votes
  once per claim with its latest stance; its factor is the largest of its latest run's
  :meth:`Settings.factor` (with each speaker's stake, as the reference engine reads it).
* **Priors.** An analyst's grade is a prior worth ``grade_weight`` items of evidence at
  that grade's accuracy (``settings.accuracy``); an ungraded source starts at
  ``ungraded_accuracy``, worth two items.
* **Weights.** A vote weighs ``max(0, ln(alt * odds)) * factor * share``: *odds* are its
  origin's ``A / (1 - A)``; *alt* is Accu's *n* for an assertion on an exclusive question
  (the answers counted are those that take part, as the plain reference engine says:
  spoken to, not superseded) and 1 otherwise (denials and doubts weigh ``ln(odds)``); *share* is ``settings.doubt``
  for a doubt and 1 otherwise.
* **Accu's n.** The first pass takes *n* as the answers the question shows. Every later
  round learns it from coincidences: among the pairs of assertions on one exclusive
  question that are both wrong (in expectation, by the last probabilities), the share
  on the same answer is ``1/n`` (kept at or above 0.01, so that *n* is at most 100); *n*
  is never less than the question's false answers (its answers less one).
* **Competition.** Each exclusive question's answers, and each other claim alone, compete
  in a softmax with "none of these", which scores zero.
* **Accuracies.** An origin's accuracy is its prior items plus the stances the
  probabilities bear out (an assertion by its claim's probability, a denial by one less
  that), over its prior items plus its stances (doubts say too little to count), kept
  within [0.01, 0.99]. An origin with no items at all (a grade worth nothing, and only
  doubts) keeps its prior.
* **Stopping.** Round 0 is the first pass, at the priors; rounds 1 to ``rounds`` re-estimate.
  ``rounds=0`` is the first pass alone: no re-estimation, every accuracy stays its prior
  (grades and starting points only), and Accu's *n* stays the answers present. Learning
  stops after the first re-estimating round in which no probability moved by 1e-6 or
  more. The weights and probabilities returned are those of the last round; the
  accuracies were updated from them once more.

What it leaves out: **the rounds with copy detection**. When two origins both assert one
contested claim and assert answers to at least three of the same contested questions
(counting only questions that at most ``pair_cap`` origins answer), the learned engine
tests them for copying, skips the accuracy update of round 0, and discounts copied
votes. A *contested* claim answers an exclusive question to which some origin asserts
another answer: agreeing on anything else is no evidence of copying.
:func:`copy_tests_apply` says when the tests apply, and :func:`learn_reference` refuses
such cases with :class:`OutOfScopeError`; in the others every vote keeps its whole
weight. No setting turns the tests off (the least ``pair_cap``, 2, still tests two
origins that alone answer three questions), so cases in scope are those where no two
origins share three contested questions. A question here is a group of answers that
compete: an exclusive question, or any other claim alone.

The copy test itself is restated, one pair at a time, by :func:`copy_tests_reference`:
given the accuracies and probabilities of a round, the probability that one origin of a
pair copies the other, in which direction, and the discount it brings, with **time**:
only the questions on which the would-be copier did not speak strictly before the other
(or either moment is unknown) count for that direction, so a source that spoke first is
never the copier. ``test_learn_reference.py`` holds the learned engine's test to it.

Nor does it restate the judging: :func:`judge_reference` hands the learned weights to the
plain reference engine's competition, which is what the learned assessment reports.
"""

from __future__ import annotations

import datetime as dt
import math
import sys

from collections import defaultdict
from collections.abc import Mapping
from itertools import combinations
from typing import Any

import attrs

from claimtrack import Attribution, Case, Claim, Settings, Stance, Vote
from claimtrack.engine._origins import origin_map, when_key
from claimtrack.model._dates import first_day, last_day, later
from claimtrack.model._records import Moment

from .engine import _Engine


__all__ = [
    "LearnedVote",
    "OutOfScopeError",
    "copy_tests_apply",
    "copy_tests_reference",
    "judge_reference",
    "learn_reference",
    "learned_votes",
]

TOLERANCE = 1e-6
"""Learning stops after a round that moved no probability by this much."""
FLOOR = 0.01
"""Accuracies stay within [FLOOR, 1 - FLOOR]."""
UNGRADED_ITEMS = 2.0
"""How many items of evidence an ungraded source's starting accuracy is worth."""
LEAST_COINCIDENCE = 0.01
"""Two wrong answers coincide at least this often: Accu's n is at most 100."""
MIN_SHARED = 3
"""Two origins are tested for copying once they answer this many questions in common."""
NEGLIGIBLE = 0.02
"""Copy discounts under this are dropped."""
EXP_LIMIT = 700.0
"""A log-odds against copying beyond this is a probability of 0."""
EPSILON = sys.float_info.epsilon
"""The relative rounding error of one floating-point operation, about 2.2e-16."""


class OutOfScopeError(ValueError):
    """The case has a pair of origins the learned engine would test for copying."""


@attrs.frozen
class LearnedVote:
    """One origin's vote on one claim, as learning sees it: its latest stance and factor."""

    claim: str
    origin: str
    stance: Stance
    factor: float
    said: Moment | None = None
    """When the origin said it: the first of its attributions in the plain engine's order
    (``when_key``), its ``said`` or else its document's ``published``."""


def learned_votes(case: Case, settings: Settings) -> list[LearnedVote]:
    """Every vote of the case, read as the plain reference engine reads it."""
    engine = _Engine(case, settings)
    atts = case.attributions
    stake = getattr(engine, "_stake", None)  # the speaker's stake, where the engine reads one

    def factor_of(att: Attribution) -> float:
        if stake is None:
            return settings.factor(att, interested=case.is_interested(att))
        return settings.factor(att, stake=stake(att))

    out = []
    for claim in case.claims.values():
        for vote in engine._votes(claim):
            factor = max(factor_of(atts[i]) for i in vote.attributions)
            first = min(vote.attributions, key=lambda i: when_key(case, atts[i], i))
            out.append(LearnedVote(claim.id, vote.origin, vote.stance, factor, _said(case, first)))
    return out


def _said(case: Case, position: int) -> Moment | None:
    """When an attribution was said: its ``said``, else its document's ``published``."""
    att = case.attributions[position]
    doc = case.documents.get(att.document) if att.document else None
    return att.said or (doc.published if doc else None)


def learn_reference(case: Case, settings: Settings | None = None) -> dict[str, Any]:
    """Learn every origin's accuracy, every vote's weight and every claim's probability.

    Returns a dict with ``accuracy`` (by origin id), ``weight`` (by (claim id, origin id)),
    ``probability`` (by claim id), ``coincidence`` (the last learned ``1/n``), ``rounds``
    (how many passes ran, the first pass included), and two measures of how much the
    last bits of a sum can matter, so that a test may skip the cases where they decide:
    ``stop_margin``, how near any round's largest move came to :data:`TOLERANCE`, and
    ``coincidence_rounding``, the largest relative error that rounding may have left in
    a round's count of both-wrong pairs (see :func:`_coincidence`).

    Raises:
        OutOfScopeError: The learned engine would test some pair for copying.
    """
    settings = settings or Settings(learn=True)
    votes = learned_votes(case, settings)
    found = copy_tests_apply(case, votes, settings)
    if found:
        msg = f"origins {found[0]!r} and {found[1]!r} would be tested for copying"
        raise OutOfScopeError(msg)

    origins = sorted(set(origin_map(case, merge_echoes=settings.merge_echoes).values()))
    prior, items = _priors(case, origins, settings)
    group, _ = _groups(case)
    alternatives = _alternatives(case, settings)
    exclusive = {cid: group[cid][0] == "question" for cid in case.claims}

    accuracy = dict(prior)
    probability = dict.fromkeys(case.claims, 0.0)
    coincidence = 1.0
    weight: dict[tuple[str, str], float] = {}
    rounds, stop_margin, coincidence_rounding = 0, math.inf, 0.0
    for round_ in range(settings.rounds + 1):
        rounds += 1
        # Accu's n per claim: the answers present at first, then what coincidences show
        n: dict[str, float] = {}
        if round_ > 0:
            coincidence, rounding = _coincidence(votes, group, probability, before=coincidence)
            coincidence_rounding = max(coincidence_rounding, rounding)
        for cid in case.claims:
            if not exclusive[cid]:
                n[cid] = 1.0
            elif round_ == 0:
                n[cid] = float(alternatives[cid])
            else:
                n[cid] = max(alternatives[cid] - 1.0, 1.0 / coincidence, 1.0)

        weight = {
            (v.claim, v.origin): _weight(v, accuracy[v.origin], n[v.claim], settings) for v in votes
        }
        score = _scores(case, votes, weight)
        new = _softmax(group, score)
        moved = max((abs(new[cid] - probability[cid]) for cid in case.claims), default=0.0)
        probability = new
        if settings.rounds == 0:
            break  # no re-estimation: the accuracies stay the priors
        accuracy = _accuracies(origins, votes, probability, prior, items)
        if round_ > 0:
            stop_margin = min(stop_margin, abs(moved - TOLERANCE))
            if moved < TOLERANCE:
                break

    return {
        "accuracy": accuracy,
        "weight": weight,
        "probability": probability,
        "coincidence": coincidence,
        "rounds": rounds,
        "stop_margin": stop_margin,
        "coincidence_rounding": coincidence_rounding,
    }


def judge_reference(
    case: Case, settings: Settings, weight: Mapping[tuple[str, str], float]
) -> dict[str, float]:
    """Each claim's probability by the plain judging, with each vote weighing *weight*.

    This is the plain reference engine's judging, whole (hypotheses of each exclusive
    question, as relations and counts allow, "none of these", and whatever else it
    weighs claims by), with every vote's weight replaced by the learned one; not the
    learning softmax above, which lets each answer compete alone. No correlation between
    origins is assumed (``Settings.correlation``, where there is one, is taken as 0): the
    learned mode counts dependence only where copy detection finds it.
    """
    if getattr(settings, "correlation", 0.0):
        settings = attrs.evolve(settings, correlation=0.0)
    judged = _LearnedJudge(case, settings, learned=weight).run()
    return {a.claim: a.probability for a in judged.assessments}


@attrs.define
class _LearnedJudge(_Engine):
    """The plain reference engine, its votes weighing what was learned."""

    learned: Mapping[tuple[str, str], float] = attrs.field(kw_only=True)

    def _votes(self, claim: Claim, extra: int = 0) -> list[Vote]:
        votes = [
            attrs.evolve(v, weight=self.learned[(claim.id, v.origin)])
            for v in super()._votes(claim, extra)
        ]
        votes.sort(key=lambda v: (-v.weight, v.origin))
        return votes


def copy_tests_apply(
    case: Case, votes: list[LearnedVote], settings: Settings
) -> tuple[str, str] | None:
    """The first pair of origins the learned engine would test for copying, if any.

    A question here is a group of competing claims (see :func:`_groups`); only contested
    ones count: exclusive questions with at least two answers some origin asserts. One
    is "small" when at most ``pair_cap`` origins assert answers to it. A pair is tested
    when both origins assert one claim of a small contested question and both assert
    answers to at least :data:`MIN_SHARED` small contested questions.
    """
    evidence = _copy_evidence(case, votes, settings)
    for (a, b), (shared, same) in sorted(evidence.items()):
        if same and shared >= MIN_SHARED:
            return a, b
    return None


def _copy_evidence(
    case: Case, votes: list[LearnedVote], settings: Settings
) -> dict[tuple[str, str], tuple[int, int]]:
    """Per pair of origins (sorted) that assert one claim of a small contested question:
    how many small contested questions both answer, and how many claims both assert."""
    group, _ = _groups(case)
    asserting, on_claim, _ = _contested_assertions(case, votes, settings)
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for who in asserting.values():
        for pair in combinations(sorted(who), 2):
            shared[pair] += 1
    same: dict[tuple[str, str], int] = defaultdict(int)
    for cid, who in on_claim.items():
        if group[cid] in asserting:
            for pair in combinations(sorted(who), 2):
                same[pair] += 1
    return {pair: (shared[pair], n) for pair, n in same.items()}


def _contested_assertions(
    case: Case, votes: list[LearnedVote], settings: Settings
) -> tuple[
    dict[tuple[str, str], dict[str, list[Moment | None]]],
    dict[str, dict[str, Moment | None]],
    list[tuple[str, str]],
]:
    """Who asserts what on the small contested questions, with when.

    Returns, per small contested question, its asserting origins with the moments of
    their assertions on it; per claim, its asserting origins with the moment of each; and
    every contested question with two or more origins asserting answers, small or not.
    """
    group, _ = _groups(case)
    asserted: dict[tuple[str, str], set[str]] = defaultdict(set)  # group -> claims
    for v in votes:
        if v.stance is Stance.ASSERTS:
            asserted[group[v.claim]].add(v.claim)
    contested = {g for g, claims in asserted.items() if g[0] == "question" and len(claims) > 1}
    asserting: dict[tuple[str, str], dict[str, list[Moment | None]]] = defaultdict(
        lambda: defaultdict(list)
    )
    on_claim: dict[str, dict[str, Moment | None]] = defaultdict(dict)
    for v in votes:
        if v.stance is Stance.ASSERTS and group[v.claim] in contested:
            asserting[group[v.claim]][v.origin].append(v.said)
            on_claim[v.claim][v.origin] = v.said
    compared = [g for g, who in asserting.items() if len(who) >= 2]
    small = {g: who for g, who in asserting.items() if len(who) <= settings.pair_cap}
    return small, {c: who for c, who in on_claim.items() if group[c] in small}, compared


def copy_tests_reference(
    case: Case,
    settings: Settings,
    accuracy: Mapping[str, float],
    probability: Mapping[str, float],
) -> dict[tuple[str, str], dict[str, Any]]:
    """The copy test of every pair the learned engine tests, one pair at a time.

    For each pair of origins (sorted ids) that assert one claim of a small contested
    question and answer :data:`MIN_SHARED` or more such questions, given each origin's
    accuracy and each claim's probability in some round: ``chance``, the probability of
    copying in the direction taken; ``copier``, the origin taken to copy; ``discount``,
    the share of the copier's vote that copying explains (0 under 2%); and per direction
    ``(copier, original)`` its ``evidence``, ``(questions, same answers)``, and its
    ``odds``, the log-likelihood ratio (-inf where ruled out).

    **Time.** For "X copies Y", only the questions on which X did not speak strictly
    before Y count (its moment on a question is its earliest assertion there; an unknown
    moment is before nothing), and only the claims both assert on which X did not say it
    strictly before Y. A direction with no such claim, or fewer than :data:`MIN_SHARED`
    such questions, is ruled out (probability 0).

    **The test** of a direction: two independent origins give the same true answer with
    probability ``a1·a2`` and the same false one with ``(1-a1)(1-a2)·φ``; a copier gives
    the other's answer on a share ``copy_rate`` of the questions. Each same answer counts
    as true by its claim's probability; the log-likelihood ratio against a prior of
    ``copy_prior`` gives the probability. φ is the rough estimate: over the contested
    questions that two or more origins answer and at most ``pair_cap``, one false answer
    among the others, ``1 / (answers - 1)``, averaged (answers are the question's claims
    that take part), at most 0.5; 0.5 with none.

    **The copier** is the direction with the larger log-likelihood ratio; if both are
    exactly as large (as when nothing is dated), the less accurate origin, the later id
    on a tie. The discount is
    the probability times the excess share of same answers, ``(s - agree) / (1 - agree)``
    within [0, 1], where *s* is the direction's same answers over its questions and
    ``agree = a1·a2 + (1-a1)(1-a2)·φ``.
    """
    votes = learned_votes(case, settings)
    asserting, on_claim, compared = _contested_assertions(case, votes, settings)
    group, _ = _groups(case)
    alternatives = _alternatives(case, settings)
    answers: dict[tuple[str, str], int] = defaultdict(int)
    for cid, g in group.items():
        answers[g] = max(answers[g], alternatives[cid])
    small = [g for g in compared if g in asserting]
    spread = [1.0 / (answers[g] - 1) for g in small if answers[g] > 1]
    phi = min(0.5, sum(spread) / len(spread)) if spread else 0.5
    prior = math.log((1.0 - settings.copy_prior) / settings.copy_prior)
    rate = settings.copy_rate
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for (a, b), (shared, same) in sorted(_copy_evidence(case, votes, settings).items()):
        if shared < MIN_SHARED or not same:
            continue
        a1, a2 = accuracy[a], accuracy[b]
        pt, pf, am = a1 * a2, (1.0 - a1) * (1.0 - a2) * phi, (a1 + a2) / 2.0
        tested = {}
        for x, y in ((a, b), (b, a)):
            questions = sum(
                1
                for who in asserting.values()
                if x in who and y in who and not _before(min_said(who[x]), min_said(who[y]))
            )
            claims = [
                c
                for c, who in on_claim.items()
                if x in who and y in who and not _before(who[x], who[y])
            ]
            n_same = len(claims)
            questions = max(questions, n_same)
            true = math.fsum(probability[c] for c in claims)
            ratio = (
                true * math.log((am * rate + pt * (1.0 - rate)) / pt)
                + (n_same - true) * math.log(((1.0 - am) * rate + pf * (1.0 - rate)) / pf)
                + (questions - n_same) * math.log(1.0 - rate)
            )
            chance, odds = 0.0, -math.inf
            if n_same and questions >= MIN_SHARED:
                odds = ratio
                if prior - ratio <= EXP_LIMIT:
                    chance = 1.0 / (1.0 + math.exp(prior - ratio))
            share = n_same / questions if questions else 0.0
            tested[x, y] = (chance, share, odds, (questions, n_same))
        (to_b, share_b, odds_b, ev_ab) = tested[a, b]
        (to_a, share_a, odds_a, ev_ba) = tested[b, a]
        copier = (a if odds_b > odds_a else b) if odds_b != odds_a else (a if a1 < a2 else b)
        chance, share = (to_b, share_b) if copier == a else (to_a, share_a)
        agree = pt + pf
        excess = min(1.0, max(0.0, (share - agree) / (1.0 - agree)))
        discount = chance * excess
        out[a, b] = {
            "chance": chance,
            "copier": copier,
            "discount": discount if discount > NEGLIGIBLE else 0.0,
            "evidence": {(a, b): ev_ab, (b, a): ev_ba},
            "odds": {(a, b): odds_b, (b, a): odds_a},
        }
    return out


def min_said(moments: list[Moment | None]) -> Moment | None:
    """The earliest of an origin's moments on a question: by first day, then by instant
    (a time before a plain day, a month or a year), then by last day; unknown last (the
    learned engine's sort)."""

    def key(m: Moment | None) -> tuple[float, float, float]:
        if m is None:
            return (math.inf, math.inf, math.inf)
        instant = math.inf
        if isinstance(m, dt.datetime):
            instant = (m if m.tzinfo else m.replace(tzinfo=dt.UTC)).timestamp()
        return (float(first_day(m).toordinal()), instant, float(last_day(m).toordinal()))

    return min(moments, key=key)


def _before(x: Moment | None, y: Moment | None) -> bool:
    """Whether *x* is strictly before *y*, at the precision both share (a month or a year
    standing for every day it spans); unknown: never."""
    return x is not None and y is not None and later(y, x)


# ---- the steps of a round --------------------------------------------------------------


def _priors(
    case: Case, origins: list[str], settings: Settings
) -> tuple[dict[str, float], dict[str, float]]:
    """Each origin's prior accuracy and how many items of evidence that prior is worth."""
    prior, items = {}, {}
    for origin in origins:
        source = case.sources.get(origin)
        if source is not None and source.reliability is not None:
            prior[origin] = settings.accuracy.of(source.reliability)
            items[origin] = settings.grade_weight
        else:
            prior[origin] = settings.ungraded_accuracy
            items[origin] = UNGRADED_ITEMS
    return prior, items


def _groups(case: Case) -> tuple[dict[str, tuple[str, str]], dict[tuple[str, str], int]]:
    """Each claim's competing group, and how many answers each group has.

    An exclusive question's answers are one group, ``("question", id)``; any other claim
    competes alone, ``("claim", id)``, and so does an answer nobody asserts.
    """
    aside = _Engine(case, Settings()).aside
    group = {}
    for cid, claim in case.claims.items():
        question = case.questions.get(claim.question) if claim.question else None
        group[cid] = (
            ("question", question.id)
            if question and question.exclusive and cid not in aside
            else ("claim", cid)
        )
    answers: dict[tuple[str, str], int] = defaultdict(int)
    for g in group.values():
        answers[g] += 1
    return group, answers


def _alternatives(case: Case, settings: Settings) -> dict[str, int]:
    """Per claim: how many answers compete with it, as the plain reference engine counts them.

    For a claim that takes part in its exclusive question's competition (where the engine
    says which do: one spoken to, not superseded), the question's answers that take part;
    1 for any other claim.
    """
    group, _ = _groups(case)
    active: Mapping[str, bool] = getattr(_Engine(case, settings), "active", {})
    taking = {cid: active.get(cid, True) for cid in case.claims}
    answers: dict[tuple[str, str], int] = defaultdict(int)
    for cid, g in group.items():
        answers[g] += taking[cid]
    return {
        cid: answers[g] if g[0] == "question" and taking[cid] else 1 for cid, g in group.items()
    }


def _weight(vote: LearnedVote, accuracy: float, n: float, settings: Settings) -> float:
    """What one vote moves: ``max(0, ln(n * odds))`` for an assertion, ``ln(odds)`` else."""
    odds = accuracy / (1.0 - accuracy)
    alt = n if vote.stance is Stance.ASSERTS else 1.0
    share = settings.doubt if vote.stance is Stance.DOUBTS else 1.0
    return max(0.0, math.log(alt * odds)) * vote.factor * share


def _scores(
    case: Case, votes: list[LearnedVote], weight: Mapping[tuple[str, str], float]
) -> dict[str, float]:
    """Each claim's score: its assertions' weights less its denials' and doubts'."""
    signed: dict[str, list[float]] = {cid: [] for cid in case.claims}
    for v in votes:
        w = weight[(v.claim, v.origin)]
        signed[v.claim].append(w if v.stance is Stance.ASSERTS else -w)
    return {cid: math.fsum(parts) for cid, parts in signed.items()}


def _softmax(group: Mapping[str, tuple[str, str]], score: Mapping[str, float]) -> dict[str, float]:
    """Each claim's probability: its group's answers and "none of these" (score 0) compete."""
    members: dict[tuple[str, str], list[str]] = defaultdict(list)
    for cid, g in group.items():
        members[g].append(cid)
    out = {}
    for claims in members.values():
        top = max(0.0, *(score[cid] for cid in claims))
        exps = {cid: math.exp(score[cid] - top) for cid in claims}
        total = math.fsum(exps.values()) + math.exp(-top)
        for cid in claims:
            out[cid] = exps[cid] / total
    return out


def _coincidence(
    votes: list[LearnedVote],
    group: Mapping[str, tuple[str, str]],
    probability: Mapping[str, float],
    *,
    before: float,
) -> tuple[float, float]:
    """How often two wrong answers to an exclusive question coincide: Accu's ``1/n``.

    Over every pair of assertions on one exclusive question: both on claim *c* are both
    wrong with probability ``1 - p(c)``, and coincide; on claims *c* and *d* they are both
    wrong with probability ``1 - p(c) - p(d)`` (the answers exclude each other), and
    differ. The share of coinciding among the both-wrong pairs is kept within
    [:data:`LEAST_COINCIDENCE`, 1]; with no such pairs, *before* stays.

    Also returns the relative error rounding may have left in the both-wrong count: each
    term is a difference of numbers up to one, good to about :data:`EPSILON`, so a count
    of nearly settled questions (every term tiny) is known to few bits.
    """
    on_question: dict[tuple[str, str], list[str]] = defaultdict(list)
    for v in votes:
        if v.stance is Stance.ASSERTS and group[v.claim][0] == "question":
            on_question[group[v.claim]].append(v.claim)
    same, both = [], []
    for claims in on_question.values():
        for c, d in combinations(claims, 2):
            if c == d:
                wrong = 1.0 - probability[c]
                same.append(wrong)
            else:
                wrong = 1.0 - probability[c] - probability[d]
            both.append(wrong)
    total = math.fsum(both)
    if not both or total <= 0.0:
        return before, 0.0
    share = min(1.0, max(LEAST_COINCIDENCE, math.fsum(same) / total))
    return share, len(both) * EPSILON / total


def _accuracies(
    origins: list[str],
    votes: list[LearnedVote],
    probability: Mapping[str, float],
    prior: Mapping[str, float],
    items: Mapping[str, float],
) -> dict[str, float]:
    """Each origin's share of items borne out, its prior's items included, clipped."""
    borne: dict[str, list[float]] = {o: [prior[o] * items[o]] for o in origins}
    seen = dict(items)
    for v in votes:
        if v.stance is Stance.ASSERTS:
            borne[v.origin].append(probability[v.claim])
        elif v.stance is Stance.DENIES:
            borne[v.origin].append(1.0 - probability[v.claim])
        else:
            continue  # a doubt says too little to score an origin by
        seen[v.origin] += 1.0
    return {
        o: min(1.0 - FLOOR, max(FLOOR, math.fsum(borne[o]) / seen[o])) if seen[o] else prior[o]
        for o in origins
    }
