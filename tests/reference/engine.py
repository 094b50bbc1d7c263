"""The readable reference engine: the specification the production engine is held to.

It judges one claim at a time, in plain Python, straight from the rules as
``docs/confidence.md`` states them. The production engine (``claimtrack.engine``) computes
the same on arrays for whole cases at once; the property tests in ``test_assess_speed.py``
hold it to this engine on generated cases, to the last bit and the last word.
"""

from __future__ import annotations

import math

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence

import attrs

from claimtrack import (
    Assessment,
    Assessments,
    AssessmentWarning,
    Attribution,
    Case,
    Claim,
    Confidence,
    Contradiction,
    Credibility,
    Estimate,
    Figures,
    Mode,
    Reliability,
    Settings,
    Stance,
    Status,
    Vote,
)
from claimtrack.engine import Explained
from claimtrack.engine._contradictions import (
    answers_by_question,
    cells,
    declared_compatible,
    declared_contradictions,
    declared_list,
    derived_once,
    explained_pairs,
)
from claimtrack.engine._origins import Echo, find_echoes, origin_map, repeated_origins, when_key


def assess_reference(case: Case, settings: Settings | None = None) -> Assessments:
    """Assess every claim the plain way, one claim at a time, building every reason at once."""
    return _Engine(case, settings or Settings()).run()


def find_contradictions(case: Case) -> list[Contradiction]:
    """Declared contradictions, then derived ones question by question, in the case's order."""
    out, seen = declared_list(case)
    compatible = declared_compatible(case)
    by_question = answers_by_question(case)
    for qid, question in case.questions.items():
        found = by_question.get(qid, ())
        if len(found) < 2:
            continue
        pairs = explained_pairs(found, exclusive=question.exclusive)
        out += derived_once(qid, found, pairs, seen, compatible)
    return out


def hypotheses(
    case: Case, question: str, compatible: set[frozenset[str]], clash: set[frozenset[str]]
) -> list[frozenset[str]]:
    """The sets of a question's answers that can hold at once."""
    return cells(case.claims_of(question), compatible, clash)


@attrs.define
class _Engine:
    case: Case
    settings: Settings
    origins: dict[int, str] = attrs.field(init=False)
    echoes: list[Echo] = attrs.field(init=False)
    contradictions: list[Contradiction] = attrs.field(init=False)
    rivals: dict[str, list[str]] = attrs.field(init=False)
    said: dict[str, dict[str, list[tuple[int, Attribution]]]] = attrs.field(init=False)
    compatible: set[frozenset[str]] = attrs.field(init=False)
    clash: set[frozenset[str]] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.echoes = find_echoes(self.case)
        self.origins = origin_map(
            self.case, merge_echoes=self.settings.merge_echoes, echoes=self.echoes
        )
        self.said = defaultdict(lambda: defaultdict(list))
        for i, att in enumerate(self.case.attributions):
            self.said[att.claim][self.origins[i]].append((i, att))
        self.contradictions = find_contradictions(self.case)
        self.compatible = declared_compatible(self.case)
        self.clash = declared_contradictions(self.case)
        self.rivals = defaultdict(list)
        for c in self.contradictions:
            self.rivals[c.claims[0]].append(c.claims[1])
            self.rivals[c.claims[1]].append(c.claims[0])

    def run(self) -> Assessments:
        votes = {cid: self._votes(claim) for cid, claim in self.case.claims.items()}
        probability: dict[str, float] = {}
        for qid, question in self.case.questions.items():
            answers = self.case.claims_of(qid)
            if question.exclusive and answers:
                cells = hypotheses(self.case, qid, self.compatible, self.clash)
                probability.update(_compete(cells, votes))
        for cid in self.case.claims:
            if cid not in probability:
                probability.update(_compete([frozenset((cid,))], votes))
        warnings = self._warnings()
        out = [
            self._judge(claim, probability[cid], votes) for cid, claim in self.case.claims.items()
        ]
        return Assessments(
            tuple(out),
            tuple(self.contradictions),
            tuple(warnings),
            tuple(self._figures(probability, {a.claim: a for a in out})),
        )

    # ---- votes --------------------------------------------------------------------------

    def _votes(self, claim: Claim) -> list[Vote]:
        by_origin = self._said_of(claim.id)
        alternatives = self._alternatives(claim)
        votes = []
        for origin, items in by_origin.items():
            vote = self._vote(origin, items, alternatives)
            if vote is not None:
                votes.append(vote)
        votes.sort(key=lambda v: (-v.weight, v.origin))
        return votes

    def _said_of(self, claim: str) -> dict[str, list[tuple[int, Attribution]]]:
        """What each origin said on *claim*: positions and attributions, by origin."""
        return self.said.get(claim, {})

    def _alternatives(self, claim: Claim) -> int:
        """How many answers compete with *claim*: its question's, if exclusive, else one."""
        question = self.case.questions.get(claim.question) if claim.question else None
        return len(self.case.claims_of(question.id)) if question and question.exclusive else 1

    def _vote(
        self, origin: str, items: list[tuple[int, Attribution]], alternatives: int
    ) -> Vote | None:
        items.sort(key=lambda it: when_key(self.case, it[1], it[0]))
        current: list[tuple[int, Attribution]] = []
        for i, att in items:
            if att.stance is Stance.RETRACTS:
                current = []
            elif current and current[-1][1].stance is att.stance:
                current.append((i, att))
            else:
                current = [(i, att)]
        if not current:
            return None
        stance = current[-1][1].stance
        source = self.case.sources.get(origin)
        accuracy = self.settings.accuracy.of(source.reliability if source else None)
        odds = accuracy / (1 - accuracy)
        base = math.log(alternatives * odds) if stance is Stance.ASSERTS else math.log(odds)
        base = max(0.0, base)
        if stance is Stance.DOUBTS:
            base *= self.settings.doubt
        interested = any(self.case.is_interested(att) for _, att in current)
        factor = max(
            self.settings.factor(att, interested=self.case.is_interested(att)) for _, att in current
        )
        publishers = tuple(
            sorted(
                {
                    self.case.documents[att.document].publisher
                    for _, att in current
                    if att.document is not None and att.document in self.case.documents
                }
                - {origin}
            )
        )
        modes = [att.mode for _, att in current]
        mode = min(modes, key=_OPENNESS.__getitem__)
        return Vote(
            origin,
            stance,
            base * factor,
            tuple(sorted(i for i, _ in current)),
            publishers,
            interested,
            mode,
        )

    # ---- judgement ----------------------------------------------------------------------

    def _judge(
        self, claim: Claim, probability: float, votes: Mapping[str, list[Vote]]
    ) -> Assessment:
        mine = votes[claim.id]
        pro = [v for v in mine if v.stance is Stance.ASSERTS]
        con = [v for v in mine if v.stance is not Stance.ASSERTS]
        backed_rivals = [
            r
            for r in self.rivals.get(claim.id, [])
            if any(v.stance is Stance.ASSERTS and v.weight > 0 for v in votes[r])
        ]
        status = self._status(claim, pro, con, backed_rivals)
        confidence, why = self._assurance(status, pro, con)
        credibility = _credibility(
            probability, sum(v.weight > 0 for v in pro), status, has_votes=bool(mine)
        )
        letter = min(
            (self._grade(v.origin) for v in (pro or con)),
            key=_GRADE_ORDER.index,
            default=Reliability.F,
        )
        reasons = self._reasons(claim, probability, mine, backed_rivals)
        reasons.append(f"Analytic confidence is {confidence.value}: {why}.")
        return Assessment(
            claim=claim.id,
            question=claim.question,
            probability=probability,
            estimate=Estimate.of(probability),
            confidence=confidence,
            credibility=credibility,
            reliability=letter,
            status=status,
            explanation=Explained(tuple(mine), tuple(reasons)),
        )

    def _assurance(
        self, status: Status, pro: list[Vote], con: list[Vote]
    ) -> tuple[Confidence, str]:
        """Analytic confidence and why, from the side the judgement rests on."""
        side = [v for v in con if v.stance is Stance.DENIES] if status is Status.DENIED else pro
        weighted = [v for v in side if v.weight > 0]
        return _confidence(
            len(weighted),
            [self._grade(v.origin) for v in weighted],
            status,
            disagreement=status is Status.CONTESTED or (status is Status.DENIED and bool(pro)),
        )

    def _grade(self, origin: str) -> Reliability:
        source = self.case.sources.get(origin)
        return (source.reliability if source else None) or Reliability.F

    def _status(
        self, claim: Claim, pro: list[Vote], con: list[Vote], backed_rivals: list[str]
    ) -> Status:
        """Where the claim stands; see :class:`Status` and docs/confidence.md for the rules."""
        denials = [v for v in con if v.stance is Stance.DENIES]
        if not pro and not denials:
            retracted = any(
                a.stance is Stance.RETRACTS for a in self.case.attributions_of(claim.id)
            )
            return Status.RETRACTED if retracted else Status.UNVERIFIED
        if pro and all(v.mode is Mode.PURPORTED for v in pro) and not denials:
            return Status.UNVERIFIED
        if not pro or math.fsum(v.weight for v in denials) > math.fsum(v.weight for v in pro):
            return Status.DENIED
        doubted = any(v.stance is Stance.DOUBTS and v.weight > 0 for v in con)
        if denials or doubted or backed_rivals:
            return Status.CONTESTED
        return Status.CORROBORATED if len(pro) > 1 else Status.SINGLE_SOURCE

    def _reasons(
        self,
        claim: Claim,
        probability: float,
        votes: list[Vote],
        rivals: list[str],
    ) -> list[str]:
        out = [f"Estimated {Estimate.of(probability).value} ({probability:.0%})."]
        for stance, one, many in (
            (Stance.ASSERTS, "supports", "support"),
            (Stance.DENIES, "denies", "deny"),
            (Stance.DOUBTS, "doubts", "doubt"),
        ):
            group = [v for v in votes if v.stance is stance]
            if group:
                listing = "; ".join(self._describe(v) for v in group)
                n = len(group)
                verb = one if n == 1 else many
                out.append(f"{n} independent origin{'s' * (n != 1)} {verb} it: {listing}.")
        for v in votes:
            out += self._vote_reasons(claim.id, v)
        out += [
            f"{self._name(origin)} retracted what it said; that no longer counts."
            for origin in self._retracted(claim.id, votes)
        ]
        out += [f"Contradicted by claim '{r}', which has support of its own." for r in rivals]
        if not votes:
            out.append("No source takes a stance on it.")
        return out

    def _vote_reasons(self, claim: str, v: Vote) -> list[str]:
        """What the analyst should know about one origin's vote."""
        name = self._name(v.origin)
        out = []
        if len(v.publishers) > 1:
            out.append(f"{len(v.publishers)} outlets repeat one origin, {name}: counted once.")
        if v.interested:
            out.append(f"{name} speaks about its own actions; its vote is discounted.")
        if v.mode is Mode.PURPORTED:
            out.append(
                f"The statement in {name}'s name is purported, not verified; its vote is discounted."
            )
        if v.weight == 0 and v.stance is not Stance.DOUBTS:
            out.append(
                f"{name} is graded {self._grade(v.origin).value}, right less often than "
                "needed to move the odds on its own: its vote weighs nothing."
            )
        earlier = self._earlier(claim, v)
        if earlier:
            out.append(
                f"{name} {earlier} it before; only its latest stance, that it "
                f"{_VERBS[v.stance]} it, counts."
            )
        return out

    def _earlier(self, claim: str, vote: Vote) -> str | None:
        """What the origin said before its latest stance, if it changed its stance."""
        items = self._said_of(claim).get(vote.origin, [])
        before = {
            att.stance
            for i, att in items
            if i not in vote.attributions and att.stance not in (Stance.RETRACTS, vote.stance)
        }
        if not before:
            return None
        return " and ".join(_PAST[s] for s in _PAST if s in before)

    def _retracted(self, claim: str, votes: list[Vote]) -> list[str]:
        """Origins whose last word on the claim was a retraction."""
        voted = {v.origin for v in votes}
        return sorted(
            origin
            for origin, items in self._said_of(claim).items()
            if origin not in voted and any(att.stance is Stance.RETRACTS for _, att in items)
        )

    def _describe(self, vote: Vote) -> str:
        grade = self._grade(vote.origin).value
        via = (
            f", via {', '.join(self._name(p) for p in vote.publishers)}" if vote.publishers else ""
        )
        return f"{self._name(vote.origin)} ({grade}, weight {vote.weight:.2f}{via})"

    def _name(self, source: str) -> str:
        found = self.case.sources.get(source)
        return found.name if found else source

    # ---- warnings and figures -------------------------------------------------------------

    def _warnings(self) -> list[AssessmentWarning]:
        name = self._name
        out = [
            AssessmentWarning.circular(e, merged=self.settings.merge_echoes) for e in self.echoes
        ]
        out += [
            AssessmentWarning.repeated(claim, name(origin), [name(p) for p in publishers])
            for claim, origin, publishers in repeated_origins(self.case, self.origins)
        ]
        for i, att in enumerate(self.case.attributions):
            if att.mode is Mode.PURPORTED:
                out.append(AssessmentWarning.purported(i, name(att.source), att.claim))
            if self.case.is_interested(att):
                out.append(AssessmentWarning.interested(i, name(att.source), att.claim))
        return out

    def _figures(
        self, probability: Mapping[str, float], judged: Mapping[str, Assessment]
    ) -> Iterator[Figures]:
        for qid in self.case.questions:
            valued = [c for c in self.case.claims_of(qid) if c.value is not None]
            credible = [c for c in valued if judged[c.id].status in _CREDIBLE]
            units = {c.value.unit for c in credible if c.value}
            if not credible or len(units) > 1:
                continue
            lows = [_low(c) for c in credible]
            highs = [_high(c) for c in credible]
            points = sorted(((_low(c) + _high(c)) / 2, probability[c.id]) for c in credible)
            yield Figures(qid, min(lows), _weighted_median(points), max(highs), units.pop())


_GRADE_ORDER = [
    Reliability.A,
    Reliability.B,
    Reliability.C,
    Reliability.D,
    Reliability.E,
    Reliability.F,
]
_OPENNESS = {Mode.ON_RECORD: 0, Mode.ANONYMOUS: 1, Mode.PURPORTED: 2}
_VERBS = {
    Stance.ASSERTS: "asserts",
    Stance.DENIES: "denies",
    Stance.DOUBTS: "doubts",
    Stance.RETRACTS: "retracts",
}
_PAST = {
    Stance.ASSERTS: "asserted",
    Stance.DENIES: "denied",
    Stance.DOUBTS: "doubted",
    Stance.RETRACTS: "retracted",
}
_CREDIBLE = (Status.SINGLE_SOURCE, Status.CORROBORATED, Status.CONTESTED)


def _score(votes: list[Vote]) -> float:
    return math.fsum(v.weight if v.stance is Stance.ASSERTS else -v.weight for v in votes)


def _compete(cells: Sequence[frozenset[str]], votes: Mapping[str, list[Vote]]) -> dict[str, float]:
    """Softmax over the hypotheses and an implicit "none of these" that scores zero.

    Sums are exact (:func:`math.fsum`), so the result does not depend on the order of
    the case.
    """
    score = {cid: _score(votes[cid]) for cell in cells for cid in cell}
    cell_scores = [math.fsum(score[cid] for cid in cell) for cell in cells]
    top = max(0.0, *cell_scores)
    exps = [math.exp(s - top) for s in cell_scores]
    total = math.fsum(exps) + math.exp(-top)
    share: dict[str, list[float]] = defaultdict(list)
    for cell, e in zip(cells, exps, strict=True):
        for cid in cell:
            share[cid].append(e)
    return {cid: min(1.0, math.fsum(parts) / total) for cid, parts in share.items()}


def _confidence(  # noqa: PLR0911 - one return per documented rule
    n: int, grades: list[Reliability], status: Status, *, disagreement: bool
) -> tuple[Confidence, str]:
    """Analytic confidence and why, by the documented rules (never from the probability).

    *n* origins carry weight on the side the judgement rests on (the supporters, or the
    deniers of a denied claim), graded *grades*. Only the sentence of the rule that holds
    is written.
    """
    if n == 0:
        return Confidence.LOW, "no origin that carries weight bears on it"
    if n == 1:
        return Confidence.LOW, "a single origin bears on it"
    if disagreement:
        return Confidence.LOW, "credible origins disagree"
    if status is Status.UNVERIFIED:
        return Confidence.LOW, "its support is purported, not verified"
    if all(g in _WEAK for g in grades):
        return Confidence.LOW, "its origins are unreliable or cannot be judged"
    if any(g in _STRONG for g in grades):
        return (
            Confidence.HIGH,
            f"{n} independent origins agree, one graded B or better, and no credible origin disagrees",
        )
    return Confidence.MODERATE, f"{n} independent origins agree, none graded B or better"


_WEAK = (Reliability.E, Reliability.F)
_STRONG = (Reliability.A, Reliability.B)


def _credibility(
    probability: float, agreeing: int, status: Status, *, has_votes: bool
) -> Credibility:
    """The Admiralty credibility digit; *agreeing* counts the supporters that carry weight."""
    if not has_votes:
        return Credibility.CANNOT_BE_JUDGED
    if agreeing >= 2 and probability >= 0.80 and status is Status.CORROBORATED:
        return Credibility.CONFIRMED
    for edge, digit in (
        (0.70, Credibility.PROBABLY_TRUE),
        (0.45, Credibility.POSSIBLY_TRUE),
        (0.20, Credibility.DOUBTFUL),
    ):
        if probability >= edge:
            return digit
    return Credibility.IMPROBABLE


def _low(claim: Claim) -> float:
    v = claim.value
    assert v is not None
    return float(v.low if v.low is not None else v.high)  # type: ignore[arg-type]


def _high(claim: Claim) -> float:
    v = claim.value
    assert v is not None
    return float(v.high if v.high is not None else v.low)  # type: ignore[arg-type]


def _weighted_median(points: list[tuple[float, float]]) -> float:
    total = sum(w for _, w in points)
    if total <= 0:
        return points[len(points) // 2][0]
    run = 0.0
    for value, weight in points:
        run += weight
        if run >= total / 2:
            return value
    return points[-1][0]
