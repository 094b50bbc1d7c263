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
  :meth:`Settings.factor`.
* **Priors.** An analyst's grade is a prior worth ``grade_weight`` items of evidence at
  that grade's accuracy (``settings.accuracy``); an ungraded source starts at
  ``ungraded_accuracy``, worth two items.
* **Weights.** A vote weighs ``max(0, ln(alt * odds)) * factor * share``: *odds* are its
  origin's ``A / (1 - A)``; *alt* is Accu's *n* for an assertion on an exclusive question
  and 1 otherwise (denials and doubts weigh ``ln(odds)``); *share* is ``settings.doubt``
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
* **Stopping.** Round 0 is the first pass, at the priors; rounds 1 to ``rounds`` re-estimate
  (``rounds=0`` runs one all the same). Learning stops after the first re-estimating round in which no
  probability moved by 1e-6 or more. The weights and probabilities returned are those of
  the last round; the accuracies were updated from them once more.

What it leaves out: **copy detection**. When two origins both assert one claim and
assert answers to at least three of the same questions (counting only questions that at
most ``pair_cap`` origins answer), the learned engine tests them for copying, skips the
accuracy update of round 0, and discounts copied votes. :func:`copy_tests_apply` says
when that happens, and :func:`learn_reference` refuses such cases with
:class:`OutOfScopeError`; in the others every vote keeps its whole weight. No setting
turns the tests off (the least ``pair_cap``, 2, still tests two origins that alone
answer three questions), so cases in scope are those where no two origins share three
questions: one or two questions, say. A question here is a group of answers that
compete: an exclusive question, or any other claim alone.

Nor does it restate the judging: :func:`judge_reference` hands the learned weights to the
plain reference engine's competition, which is what the learned assessment reports.
"""

from __future__ import annotations

import math
import sys

from collections import defaultdict
from collections.abc import Mapping
from itertools import combinations
from typing import Any

import attrs

from claimtrack import Case, Settings, Stance
from claimtrack.engine._origins import origin_map

from .engine import _compete, _Engine, hypotheses


__all__ = [
    "LearnedVote",
    "OutOfScopeError",
    "copy_tests_apply",
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


def learned_votes(case: Case, settings: Settings) -> list[LearnedVote]:
    """Every vote of the case, read as the plain reference engine reads it."""
    engine = _Engine(case, settings)
    atts = case.attributions
    out = []
    for claim in case.claims.values():
        for vote in engine._votes(claim):
            factor = max(
                settings.factor(atts[i], interested=case.is_interested(atts[i]))
                for i in vote.attributions
            )
            out.append(LearnedVote(claim.id, vote.origin, vote.stance, factor))
    return out


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
    group, answers = _groups(case)
    exclusive = {cid: group[cid][0] == "question" for cid in case.claims}

    accuracy = dict(prior)
    probability = dict.fromkeys(case.claims, 0.0)
    coincidence = 1.0
    weight: dict[tuple[str, str], float] = {}
    rounds, stop_margin, coincidence_rounding = 0, math.inf, 0.0
    for round_ in range(max(1, settings.rounds) + 1):
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
                n[cid] = float(answers[group[cid]])
            else:
                n[cid] = max(answers[group[cid]] - 1.0, 1.0 / coincidence, 1.0)

        weight = {
            (v.claim, v.origin): _weight(v, accuracy[v.origin], n[v.claim], settings) for v in votes
        }
        score = _scores(case, votes, weight)
        new = _softmax(group, score)
        moved = max((abs(new[cid] - probability[cid]) for cid in case.claims), default=0.0)
        probability = new
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

    This is the plain reference engine's competition (hypotheses of each exclusive
    question, as relations and counts allow, and "none of these"), not the learning
    softmax above, which lets each answer compete alone.
    """
    engine = _Engine(case, settings)
    votes = {
        cid: [attrs.evolve(v, weight=weight[(cid, v.origin)]) for v in engine._votes(claim)]
        for cid, claim in case.claims.items()
    }
    probability: dict[str, float] = {}
    for qid, question in case.questions.items():
        if question.exclusive and case.claims_of(qid):
            cells = hypotheses(case, qid, engine.compatible, engine.clash)
            probability.update(_compete(cells, votes))
    for cid in case.claims:
        if cid not in probability:
            probability.update(_compete([frozenset((cid,))], votes))
    return probability


def copy_tests_apply(
    case: Case, votes: list[LearnedVote], settings: Settings
) -> tuple[str, str] | None:
    """The first pair of origins the learned engine would test for copying, if any.

    A question here is a group of competing claims (see :func:`_groups`); it is "small"
    when at most ``pair_cap`` origins assert answers to it. A pair is tested when both
    origins assert one claim of a small question and both assert answers to at least
    :data:`MIN_SHARED` small questions.
    """
    group, _ = _groups(case)
    asserting: dict[tuple[str, str], set[str]] = defaultdict(set)  # group -> origins
    on_claim: dict[str, set[str]] = defaultdict(set)  # claim -> origins
    for v in votes:
        if v.stance is Stance.ASSERTS:
            asserting[group[v.claim]].add(v.origin)
            on_claim[v.claim].add(v.origin)
    small = {g for g, who in asserting.items() if len(who) <= settings.pair_cap}
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for g in small:
        for pair in combinations(sorted(asserting[g]), 2):
            shared[pair] += 1
    for cid, who in on_claim.items():
        if group[cid] not in small:
            continue
        for pair in combinations(sorted(who), 2):
            if shared[pair] >= MIN_SHARED:
                return pair
    return None


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
    competes alone, ``("claim", id)``.
    """
    group = {}
    for cid, claim in case.claims.items():
        question = case.questions.get(claim.question) if claim.question else None
        group[cid] = (
            ("question", question.id) if question and question.exclusive else ("claim", cid)
        )
    answers: dict[tuple[str, str], int] = defaultdict(int)
    for g in group.values():
        answers[g] += 1
    return group, answers


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
