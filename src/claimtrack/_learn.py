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
strong evidence of copying, and never disagreeing is weaker evidence. For each pair that
shares an answer, a likelihood ratio between "independent" and "one copies the other"
gives the probability of copying; in each answer's count, an origin's vote keeps only the
share that the origins counted before it (the more accurate first) did not explain.
Only pairs that give the same answer somewhere are compared, question by question, so the
work grows with the answers shared, not with the square of the number of sources.
"""

from __future__ import annotations

import math

from collections import Counter, defaultdict
from collections.abc import Mapping
from itertools import combinations, pairwise

import attrs

from ._assess import Assessments, Notice, Settings, Vote, WarningKind, _Engine
from ._case import Case
from ._model import Attribution, Claim, Mode, Reliability, Source, Stance


MIN_ITEMS = 5
"""Fewer stances than this and a learned grade stays F: too little to judge a source by."""

_UNGRADED_WEIGHT = 2.0
_FLOOR = 0.01
_TOLERANCE = 1e-6
_SHOWN_PROBABILITY = 0.8
_NOTED_DISCOUNT = 0.05
_GRADED_LETTERS = (Reliability.A, Reliability.B, Reliability.C, Reliability.D, Reliability.E)


@attrs.frozen
class LearnedGrade:
    """A source's reliability as learned from the case, with the evidence behind it.

    Attributes:
        source: The source's id.
        letter: The Admiralty letter the learned accuracy falls under; F with too little
            evidence (fewer than ``MIN_ITEMS`` stances).
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
        shared: Questions both answered.
        same: Questions on which they gave the same answer.
        false: How many of those same answers are likely false (an expected count).
    """

    sources: tuple[str, str]
    probability: float
    shared: int
    same: int
    false: float


def assess_learned(case: Case, settings: Settings) -> Assessments:
    """Assess every claim of *case* with learned accuracies and copy detection.

    The result has the shape of the plain engine's: the same assessments, contradictions
    and figures, with a ``copying`` warning for each pair of sources likely to copy.
    """
    return _Learner(case, settings).run()


def learn_reliability(case: Case, settings: Settings | None = None) -> dict[str, LearnedGrade]:
    """Learn the reliability of every source that speaks in *case*, by source id.

    Args:
        case: The case; it should be valid (see :meth:`Case.validate`).
        settings: The engine's knobs; ``learn`` is implied.
    """
    learner = _Learner(case, attrs.evolve(settings or Settings(), learn=True))
    return dict(learner.grades)


def find_copying(case: Case, settings: Settings | None = None) -> list[Copying]:
    """The pairs of sources of *case* likely to copy each other, most likely first."""
    learner = _Learner(case, attrs.evolve(settings or Settings(), learn=True))
    return list(learner.copying)


def suggest_grades(case: Case, settings: Settings | None = None) -> list[Source]:
    """Suggested grades for the sources the analyst left ungraded, as new source records.

    Each is the case's source with the learned letter and a note on the evidence, made
    with :func:`attrs.evolve`; the case itself is left as it is. Sources with a grade, and
    sources with too little evidence to judge (learned F), get no suggestion. Take one
    with ``case.replace(source)``.
    """
    out = []
    for sid, grade in sorted(learn_reliability(case, settings).items()):
        source = case.sources.get(sid)
        if source is None or source.reliability is not None or grade.letter is Reliability.F:
            continue
        note = (
            f"Learned grade {grade.letter.value}: accuracy {grade.accuracy:.2f}, "
            f"{grade.agreements:.1f} of {grade.items} stances borne out."
        )
        notes = f"{source.notes}\n{note}" if source.notes else note
        out.append(attrs.evolve(source, reliability=grade.letter, notes=notes))
    return out


@attrs.define
class _Proto:
    """A vote before its weight is known: what the learning needs, and what the output shows."""

    claim: int
    origin: int
    stance: Stance
    factor: float
    attributions: tuple[int, ...]
    publishers: tuple[str, ...]
    interested: bool
    mode: Mode


@attrs.define
class _Learner(_Engine):
    """The plain engine with accuracies learned from the case and copied votes discounted."""

    grades: dict[str, LearnedGrade] = attrs.field(init=False)
    copying: list[Copying] = attrs.field(init=False)
    learned: dict[str, list[Vote]] = attrs.field(init=False)
    discounts: dict[tuple[str, str], tuple[float, tuple[str, ...]]] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        s = self.settings
        for name, value in (
            ("copy_prior", s.copy_prior),
            ("copy_rate", s.copy_rate),
            ("ungraded_accuracy", s.ungraded_accuracy),
        ):
            if not 0.0 < value < 1.0:
                msg = f"Settings.{name} must lie strictly between 0 and 1, got {value}"
                raise ValueError(msg)
        if s.grade_weight < 0 or s.pair_cap < 2:  # noqa: PLR2004
            msg = f"Settings.grade_weight must be >= 0 and pair_cap >= 2, got {s.grade_weight} and {s.pair_cap}"
            raise ValueError(msg)
        super().__attrs_post_init__()
        self._learn()

    # ---- the parts of the plain engine that learning changes -----------------------------

    def _votes(self, claim: Claim) -> list[Vote]:
        return self.learned[claim.id]

    def _grade(self, origin: str) -> Reliability:
        source = self.case.sources.get(origin)
        if source is not None and source.reliability is not None:
            return source.reliability
        found = self.grades.get(origin)
        return found.letter if found else Reliability.F

    def _describe(self, vote: Vote) -> str:
        source = self.case.sources.get(vote.origin)
        learned = self.grades.get(vote.origin)
        if source is not None and source.reliability is not None:
            grade = source.reliability.value
        else:
            grade = f"learned {self._grade(vote.origin).value}"
        accuracy = f", accuracy {learned.accuracy:.2f}" if learned else ""
        via = (
            f", via {', '.join(self._name(p) for p in vote.publishers)}" if vote.publishers else ""
        )
        return f"{self._name(vote.origin)} ({grade}{accuracy}, weight {vote.weight:.2f}{via})"

    def _reasons(
        self, claim: Claim, probability: float, votes: list[Vote], rivals: list[str]
    ) -> list[str]:
        out = super()._reasons(claim, probability, votes, rivals)
        for vote in votes:
            found = self.discounts.get((claim.id, vote.origin))
            if found:
                keeps, names = found[0], ", ".join(self._name(s) for s in found[1])
                out.append(
                    f"{self._name(vote.origin)} likely copies {names} (shared answers, no "
                    f"declared chain); its vote keeps {keeps:.0%} of its weight."
                )
        return out

    def _warnings(self) -> list[Notice]:
        out = super()._warnings()
        for pair in self.copying:
            a, b = (self._name(s) for s in pair.sources)
            out.append(
                Notice(
                    WarningKind.COPYING,
                    f"{a} and {b} likely copy one another ({pair.probability:.0%}): they gave "
                    f"the same answer to {pair.same} of the {pair.shared} questions both "
                    f"answered, about {pair.false:.0f} of them likely false, with no declared "
                    f"chain; the later one's votes are discounted",
                )
            )
        return out

    # ---- learning -------------------------------------------------------------------------

    def _protos(self) -> tuple[list[str], list[_Proto]]:
        """Every origin's current stance on every claim, as the plain engine reads it."""
        case, settings = self.case, self.settings
        atts = case.attributions
        docs = case.documents
        origin_ids = sorted({o for by in self.said.values() for o in by})
        index = {o: k for k, o in enumerate(origin_ids)}
        claim_index = {cid: k for k, cid in enumerate(case.claims)}
        protos = []
        for cid, by_origin in self.said.items():
            c = claim_index.get(cid)
            if c is None:
                continue
            for origin, items in by_origin.items():
                if len(items) == 1 and items[0][1].stance is not Stance.RETRACTS:
                    i, att = items[0]
                    interested = case.is_interested(att)
                    factor = settings.factor(att, interested=interested)
                    publishers = _publishers(att, docs, origin)
                    protos.append(
                        _Proto(
                            c,
                            index[origin],
                            att.stance,
                            factor,
                            (i,),
                            publishers,
                            interested,
                            att.mode,
                        )
                    )
                    continue
                vote = self._vote(origin, items, 1)
                if vote is None:
                    continue
                factor = max(
                    settings.factor(atts[i], interested=case.is_interested(i))
                    for i in vote.attributions
                )
                protos.append(
                    _Proto(
                        c,
                        index[origin],
                        vote.stance,
                        factor,
                        vote.attributions,
                        vote.publishers,
                        vote.interested,
                        vote.mode,
                    )
                )
        protos.sort(key=lambda p: (p.claim, p.origin))
        return origin_ids, protos

    def _learn(self) -> None:  # noqa: C901, PLR0912, PLR0915 - one loop, kept whole to stay fast
        case, settings = self.case, self.settings
        claims = list(case.claims.values())
        origin_ids, protos = self._protos()
        n_claims, n_origins = len(claims), len(origin_ids)

        # Competing groups: each exclusive question's answers, and every other claim alone.
        groups: list[list[int]] = []
        alternatives = [1] * n_claims
        in_group: set[int] = set()
        claim_index = {c.id: k for k, c in enumerate(claims)}
        for qid, question in case.questions.items():
            answers = [claim_index[c.id] for c in case.claims_of(qid)]
            if question.exclusive and answers:
                groups.append(answers)
                in_group.update(answers)
                for c in answers:
                    alternatives[c] = len(answers)
        groups += [[c] for c in range(n_claims) if c not in in_group]

        # Priors: an analyst's grade is worth grade_weight items; an ungraded source little.
        prior = [settings.ungraded_accuracy] * n_origins
        strength = [_UNGRADED_WEIGHT] * n_origins
        for k, oid in enumerate(origin_ids):
            source = case.sources.get(oid)
            if source is not None and source.reliability is not None:
                prior[k] = settings.accuracy.of(source.reliability)
                strength[k] = settings.grade_weight
        accuracy = list(prior)

        v_claim = [p.claim for p in protos]
        v_origin = [p.origin for p in protos]
        v_factor = [p.factor for p in protos]
        v_kind = [_KIND[p.stance] for p in protos]
        v_alt = [alternatives[c] for c in v_claim]

        # Who asserts what: the answers shared are the evidence of copying.
        providers: dict[int, list[int]] = defaultdict(list)
        assert_vote: dict[tuple[int, int], int] = {}
        for k, p in enumerate(protos):
            if p.stance is Stance.ASSERTS:
                providers[p.claim].append(p.origin)
                assert_vote[p.claim, p.origin] = k
        shared: Counter[tuple[int, int]] = Counter()
        same: dict[tuple[int, int], list[int]] = defaultdict(list)
        falses = []
        for group in groups:
            askers = sorted({o for c in group for o in providers.get(c, ())})
            if len(askers) < 2 or len(askers) > settings.pair_cap:  # noqa: PLR2004
                continue
            shared.update(combinations(askers, 2))
            if len(group) > 1:
                falses.append(1.0 / (len(group) - 1))
            for c in group:
                who = providers.get(c, ())
                if len(who) > 1:
                    for pair in combinations(sorted(who), 2):
                        same[pair].append(c)
        # How often two independent wrong answers coincide: one false answer among the rest.
        coincide = min(0.5, sum(falses) / len(falses)) if falses else 0.5
        pairs = sorted(pair for pair in same if shared[pair] >= _MIN_SHARED)

        independence = [1.0] * len(protos)
        partners: dict[int, list[int]] = {}
        right, seen = [0.0] * n_origins, [0.0] * n_origins
        probability = [0.0] * n_claims
        weights = [0.0] * len(protos)
        dependence: dict[tuple[int, int], tuple[float, float]] = {}
        moved = 1.0
        for round_ in range(max(1, settings.rounds) + 1):
            if round_ and pairs and moved >= _SETTLED:
                dependence = _dependence(
                    pairs, same, shared, probability, accuracy, coincide, settings
                )
                independence, partners = _independence(
                    dependence, providers, assert_vote, accuracy, len(protos)
                )
            score = [0.0] * n_claims
            for k in range(len(protos)):
                a = accuracy[v_origin[k]]
                kind = v_kind[k]
                odds = a / (1.0 - a)
                base = math.log(v_alt[k] * odds) if kind == 0 else math.log(odds)
                w = 0.0 if base <= 0.0 else base * v_factor[k] * independence[k]
                if kind == 2:  # noqa: PLR2004 - doubts
                    w *= settings.doubt
                weights[k] = w
                score[v_claim[k]] += w if kind == 0 else -w
            new = [0.0] * n_claims
            for group in groups:
                top = max(0.0, *(score[c] for c in group))
                exps = [math.exp(score[c] - top) for c in group]
                total = math.fsum(exps) + math.exp(-top)
                for c, e in zip(group, exps, strict=True):
                    new[c] = e / total
            moved = max((abs(x - y) for x, y in zip(new, probability, strict=True)), default=0.0)
            probability = new
            if round_ == 0 and pairs:
                continue  # the first pass only seeds copy detection, at the prior accuracies
            right = [pr * st for pr, st in zip(prior, strength, strict=True)]
            seen = list(strength)
            for k in range(len(protos)):
                kind = v_kind[k]
                if kind == 2:  # noqa: PLR2004 - doubts say too little to score a source by
                    continue
                o = v_origin[k]
                pc = probability[v_claim[k]]
                right[o] += pc if kind == 0 else 1.0 - pc
                seen[o] += 1.0
            accuracy = [
                min(1.0 - _FLOOR, max(_FLOOR, r / n)) for r, n in zip(right, seen, strict=True)
            ]
            if round_ and moved < _TOLERANCE:
                break

        fit = _Fit(
            origin_ids,
            protos,
            weights,
            independence,
            partners,
            probability,
            accuracy,
            [r - pr * st for r, pr, st in zip(right, prior, strength, strict=True)],
            [n - st for n, st in zip(seen, strength, strict=True)],
            dependence,
            same,
            shared,
        )
        self._report(claims, fit)

    def _report(self, claims: list[Claim], fit: _Fit) -> None:
        """Turn the fit into what the output shows: votes, grades, copying, discounts."""
        ids = fit.origin_ids
        edges = _letter_edges(self.settings)
        self.grades = {}
        for k, oid in enumerate(ids):
            source = self.case.sources.get(oid)
            items = round(fit.items[k])
            letter = Reliability.F
            if items >= MIN_ITEMS:
                letter = next((g for g, edge in edges if fit.accuracy[k] >= edge), Reliability.E)
            self.grades[oid] = LearnedGrade(
                oid,
                letter,
                fit.accuracy[k],
                items,
                fit.agreements[k],
                source.reliability if source else None,
            )
        self.learned = {c.id: [] for c in claims}
        self.discounts = {}
        for k, p in enumerate(fit.protos):
            cid = claims[p.claim].id
            self.learned[cid].append(
                Vote(
                    ids[p.origin],
                    p.stance,
                    fit.weights[k],
                    p.attributions,
                    p.publishers,
                    p.interested,
                    p.mode,
                )
            )
            keeps = fit.independence[k]
            if keeps < 1.0 - _NOTED_DISCOUNT and k in fit.partners:
                named = tuple(sorted(ids[q] for q in fit.partners[k]))
                self.discounts[cid, ids[p.origin]] = (keeps, named)
        for votes in self.learned.values():
            votes.sort(key=lambda v: (-v.weight, v.origin))
        self.copying = []
        for pair, (chance, _) in fit.dependence.items():
            if chance >= _SHOWN_PROBABILITY:
                listed = fit.same[pair]
                true = math.fsum(fit.probability[c] for c in listed)
                self.copying.append(
                    Copying(
                        (ids[pair[0]], ids[pair[1]]),
                        chance,
                        fit.shared[pair],
                        len(listed),
                        max(0.0, len(listed) - true),
                    )
                )
        self.copying.sort(key=lambda c: (-c.probability, c.sources))


_KIND = {Stance.ASSERTS: 0, Stance.DENIES: 1, Stance.DOUBTS: 2}


@attrs.frozen
class _Fit:
    """The state learning ends in, indexed by vote, claim and origin position."""

    origin_ids: list[str]
    protos: list[_Proto]
    weights: list[float]
    independence: list[float]
    partners: dict[int, list[int]]
    probability: list[float]
    accuracy: list[float]
    agreements: list[float]
    items: list[float]
    dependence: dict[tuple[int, int], tuple[float, float]]
    same: dict[tuple[int, int], list[int]]
    shared: Counter[tuple[int, int]]


def _publishers(att: Attribution, docs: Mapping[str, object], origin: str) -> tuple[str, ...]:
    doc = docs.get(att.document) if att.document is not None else None
    publisher = getattr(doc, "publisher", None)
    return (publisher,) if publisher is not None and publisher != origin else ()


def _letter_edges(settings: Settings) -> list[tuple[Reliability, float]]:
    """The lowest accuracy of each letter A to E: halfway to the next letter's accuracy."""
    values = [settings.accuracy.of(g) for g in _GRADED_LETTERS]
    edges = [(a + b) / 2 for a, b in pairwise(values)]
    return list(zip(_GRADED_LETTERS, [*edges, 0.0], strict=True))


def _dependence(  # noqa: PLR0917 - one hot loop, its inputs passed flat
    pairs: list[tuple[int, int]],
    same: Mapping[tuple[int, int], list[int]],
    shared: Mapping[tuple[int, int], int],
    probability: list[float],
    accuracy: list[float],
    coincide: float,
    settings: Settings,
) -> dict[tuple[int, int], tuple[float, float]]:
    """For each pair that shares an answer: the probability of copying, and the discount.

    The likelihood ratio compares two independent sources (same true answer with
    probability a1·a2, same false answer (1-a1)(1-a2)·coincide) with one that copies a
    share ``copy_rate`` of its answers from the other. The discount is that probability
    times the share of answers the pair has in common beyond what independence explains.
    """
    rate = settings.copy_rate
    prior = math.log((1.0 - settings.copy_prior) / settings.copy_prior)
    differ = math.log(1.0 - rate)
    get = probability.__getitem__
    out = {}
    for pair in pairs:
        listed = same[pair]
        n_same, n_shared = len(listed), shared[pair]
        true = sum(map(get, listed))
        a1, a2 = accuracy[pair[0]], accuracy[pair[1]]
        pt = a1 * a2
        pf = (1.0 - a1) * (1.0 - a2) * coincide
        am = (a1 + a2) / 2.0
        ratio = (
            true * math.log((am * rate + pt * (1.0 - rate)) / pt)
            + (n_same - true) * math.log(((1.0 - am) * rate + pf * (1.0 - rate)) / pf)
            + (n_shared - n_same) * differ
        )
        x = prior - ratio
        chance = 0.0 if x > _EXP_LIMIT else 1.0 / (1.0 + math.exp(x))
        agree = pt + pf
        excess = min(1.0, max(0.0, (n_same / n_shared - agree) / (1.0 - agree)))
        if chance * excess > _NEGLIGIBLE:
            out[pair] = (chance, chance * excess)
    return out


def _independence(
    dependence: Mapping[tuple[int, int], tuple[float, float]],
    providers: Mapping[int, list[int]],
    assert_vote: Mapping[tuple[int, int], int],
    accuracy: list[float],
    n_votes: int,
) -> tuple[list[float], dict[int, list[int]]]:
    """The share of each assertion that origins counted before it do not explain.

    Within one answer, origins count in order of accuracy (then id); each keeps
    ``1 - discount`` for every earlier origin it likely copies.
    """
    near: dict[int, dict[int, float]] = defaultdict(dict)
    for (a, b), (_, share) in dependence.items():
        near[a][b] = share
        near[b][a] = share
    out = [1.0] * n_votes
    partners: dict[int, list[int]] = {}
    for claim, who in providers.items():
        if len(who) < 2 or not any(o in near for o in who):  # noqa: PLR2004
            continue
        rank = {o: (-accuracy[o], o) for o in who}
        for o in who:
            found = near.get(o)
            if not found:
                continue
            mine = rank[o]
            keep, named = 1.0, []
            for q in who:
                discount = found.get(q)
                if discount is not None and rank[q] < mine:
                    keep *= 1.0 - discount
                    named.append(q)
            if named:
                k = assert_vote[claim, o]
                out[k] = keep
                partners[k] = named
    return out, partners


_EXP_LIMIT = 700.0
_MIN_SHARED = 3
"""Pairs with fewer questions in common are not judged: too few to tell copying from chance."""
_SETTLED = 1e-3
"""Once no probability moves by this much, copying is taken as settled and not re-tested."""
_NEGLIGIBLE = 0.02
