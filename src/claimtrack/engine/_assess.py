"""The confidence engine: independent origins vote, weighted by reliability; answers compete.

For each question, its answers and an implicit "none of these" compete. Each independent
origin votes once per claim, with the latest stance it took. An origin with accuracy *A*
asserting one of *n* + 1 alternatives weighs ``ln(n·A / (1 - A))`` (Dong, Berti-Equille and
Srivastava, 2009), never less than nothing; a denial weighs as a vote on "not this claim",
``ln(A / (1 - A))``, taken away from the claim; doubts take away a quarter of that. Mode,
interest and the analyst's credibility digit scale a vote down. The probabilities are
the softmax of the scores. A claim without a question competes with its own negation.

Answers that can be true together do not take probability from each other: the
hypotheses are the sets of answers that can hold at once (compatible counts, answers a
relation declares compatible), each scoring the sum of its answers' scores, and an
answer's probability is the sum over the hypotheses that contain it.

The result is reported on the scales analysts read: ICD 203 estimative words, analytic
confidence kept apart from probability, and an Admiralty code.
"""

from __future__ import annotations

import abc
import enum
import math

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from claimtrack.engine._contradictions import (
    Contradiction,
    declared_compatible,
    declared_contradictions,
    find_contradictions,
    hypotheses,
)
from claimtrack.engine._origins import Echo, find_echoes, origin_map, repeated_origins, when_key
from claimtrack.model._case import Case
from claimtrack.model._records import Attribution, Claim, Credibility, Mode, Reliability, Stance


if TYPE_CHECKING:
    from rich.console import RenderableType


class Estimate(enum.Enum):
    """ICD 203 words of estimative probability, with the bands they stand for."""

    ALMOST_NO_CHANCE = "almost no chance"
    VERY_UNLIKELY = "very unlikely"
    UNLIKELY = "unlikely"
    ROUGHLY_EVEN_CHANCE = "roughly even chance"
    LIKELY = "likely"
    VERY_LIKELY = "very likely"
    ALMOST_CERTAIN = "almost certain"

    @classmethod
    def of(cls, probability: float) -> Estimate:
        """The word for *probability*: 05/20/45/55/80/95% are the bands' upper edges."""
        return _WORDS[bisect_right(_EDGES, probability)]


_EDGES = (0.05, 0.20, 0.45, 0.55, 0.80, 0.95)
_WORDS = tuple(Estimate)


class Confidence(enum.Enum):
    """Analytic confidence in a judgement: how much the evidence behind it can bear."""

    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


class Status(enum.Enum):
    """Where a claim stands among its sources."""

    SINGLE_SOURCE = "single-source"
    CORROBORATED = "corroborated"
    CONTESTED = "contested"
    DENIED = "denied"
    RETRACTED = "retracted"
    UNVERIFIED = "unverified"


@attrs.frozen
class Accuracy:
    """How often a source of each Admiralty grade is taken to be right.

    F means "cannot be judged", not "right half the time": at 0.5 an ungraded source would
    weigh nothing on a yes-or-no question, so F sits a little above even by default.
    """

    A: float = 0.95
    B: float = 0.80
    C: float = 0.65
    D: float = 0.45
    E: float = 0.25
    F: float = 0.60

    def __attrs_post_init__(self) -> None:
        for grade in Reliability:
            value = getattr(self, grade.value)
            if not 0.0 < value < 1.0:
                msg = f"the accuracy of grade {grade.value} must lie strictly between 0 and 1, got {value}"
                raise ValueError(msg)

    def of(self, grade: Reliability | None) -> float:
        """The accuracy of *grade*; an ungraded source is F."""
        return float(getattr(self, (grade or Reliability.F).value))


@attrs.frozen
class Settings:
    """The documented knobs of the confidence engine, with their defaults.

    Attributes:
        accuracy: Accuracy per reliability grade.
        anonymous: Factor on the vote of an anonymous speaker.
        purported: Factor on the vote of a statement circulating unverified in a name.
        interested: Factor on the vote of a speaker talking about its own actions.
        doubt: Share of a denial's weight that "doubts" takes away.
        credibility: Factors for the analyst's credibility digits 1 to 6.
        merge_echoes: Treat documents carrying the same words for a claim, with no declared
            chain, as one origin (possible circular reporting).
        learn: Learn each origin's accuracy from agreement and detect undeclared copying
            (see ``docs/learned-reliability.md``); an analyst's grade stays a prior.
        grade_weight: In learned mode, how many items of evidence an analyst's grade is worth.
        ungraded_accuracy: In learned mode, the accuracy an ungraded source starts from
            (0.8, as in the Accu model), worth two items of evidence.
        copy_prior: In learned mode, the prior probability that two sources copy each other.
        copy_rate: In learned mode, the share of its answers a copier is taken to copy
            when testing a pair for copying.
        rounds: In learned mode, the most rounds of re-estimation.
        pair_cap: In learned mode, questions answered by more origins than this give no
            evidence of copying, so that the pairs compared stay few.
    """

    accuracy: Accuracy = attrs.Factory(Accuracy)
    anonymous: float = 0.75
    purported: float = 0.3
    interested: float = 0.5
    doubt: float = 0.25
    credibility: tuple[float, float, float, float, float, float] = (1.0, 1.0, 0.85, 0.5, 0.25, 1.0)
    merge_echoes: bool = False
    learn: bool = False
    grade_weight: float = 20.0
    ungraded_accuracy: float = 0.8
    copy_prior: float = 0.05
    copy_rate: float = 0.8
    rounds: int = 30
    pair_cap: int = 100

    def factor(self, att: Attribution, *, interested: bool) -> float:
        """How much of its origin's weight one attribution carries."""
        f = 1.0
        if att.mode is Mode.ANONYMOUS:
            f *= self.anonymous
        elif att.mode is Mode.PURPORTED:
            f *= self.purported
        if interested:
            f *= self.interested
        if att.credibility is not None:
            f *= self.credibility[att.credibility.value - 1]
        return f


@attrs.frozen
class Vote:
    """One independent origin's say on one claim.

    Attributes:
        origin: The id of the origin (the speaker as first reported).
        stance: Its latest stance on the claim.
        weight: What the vote moves, in log-odds; zero for a source too unreliable to count.
        attributions: Positions in the case of the attributions behind it.
        publishers: The outlets that carried it.
        interested: Whether the origin spoke about its own actions.
        mode: The most open mode among its attributions.
    """

    origin: str
    stance: Stance
    weight: float
    attributions: tuple[int, ...]
    publishers: tuple[str, ...]
    interested: bool = False
    mode: Mode = Mode.ON_RECORD


@attrs.frozen
class Assessment:
    """The computed judgement on one claim; computed from the case, never stored in it.

    Attributes:
        claim: The claim's id.
        question: The id of the question it answers, if any.
        probability: How likely the claim is, given the origins and their weights.
        estimate: The ICD 203 word for that probability.
        confidence: Analytic confidence, from the number, independence and grades of origins.
        credibility: The derived Admiralty credibility digit.
        reliability: The best grade among the origins behind the claim.
        status: Where the claim stands among its sources.
        votes: Every origin's vote, strongest first.
        reasons: Why, in plain sentences.

    Votes and reasons are built when first read; until then a deferred ``Explanation``
    stands in for them.
    """

    claim: str
    question: str | None
    probability: float
    estimate: Estimate
    confidence: Confidence
    credibility: Credibility
    reliability: Reliability
    status: Status
    votes: tuple[Vote, ...]
    reasons: tuple[str, ...]

    @property
    def origins_for(self) -> tuple[Vote, ...]:
        """The origins that assert the claim."""
        return tuple(v for v in self.votes if v.stance is Stance.ASSERTS)

    @property
    def origins_against(self) -> tuple[Vote, ...]:
        """The origins that deny the claim."""
        return tuple(v for v in self.votes if v.stance is Stance.DENIES)

    @property
    def admiralty(self) -> str:
        """The Admiralty code, letter and digit, such as ``B2``."""
        return f"{self.reliability.value}{self.credibility.value}"

    @property
    def badge(self) -> str:
        """Estimate, percentage, confidence and code: ``likely · 70% · moderate · B2``."""
        pct = f"{self.probability:.0%}"
        return f"{self.estimate.value} · {pct} · {self.confidence.value} · {self.admiralty}"

    def __rich__(self) -> RenderableType:
        """How ``rich.print`` shows the assessment: badge, status and reasons."""
        from claimtrack.report._records import assessment_view  # noqa: PLC0415 - keeps rich out of import time

        return assessment_view(self)


class Explanation(abc.ABC):
    """What an assessment shows beyond its numbers, built when first read.

    An :class:`Assessment` made by :func:`assess` holds an explanation in place of its
    votes and reasons; reading either field builds it from a snapshot of the case taken
    when it was assessed, once, so the judgement of a large case does not pay for
    sentences nobody reads. Equality, hashing, ``repr`` and pickling read the fields and
    so see the built values.
    """

    @abc.abstractmethod
    def votes_of(self, assessment: Assessment) -> tuple[Vote, ...]:
        """Every origin's vote on the assessed claim, strongest first."""

    @abc.abstractmethod
    def reasons_of(self, assessment: Assessment) -> tuple[str, ...]:
        """Why, in plain sentences."""


class _Deferred:
    """A slot of a frozen class whose value, while an :class:`Explanation`, is built on read."""

    def __init__(self, slot: Any, name: str) -> None:
        self.slot = slot
        self.build = f"{name}_of"

    def __get__(self, obj: object, owner: type | None = None) -> Any:
        if obj is None:
            return self.slot
        value = self.slot.__get__(obj, owner)
        if isinstance(value, Explanation):
            value = getattr(value, self.build)(obj)
            self.slot.__set__(obj, value)
        return value

    def __set__(self, obj: object, value: object) -> None:
        self.slot.__set__(obj, value)


for _field in ("votes", "reasons"):
    setattr(Assessment, _field, _Deferred(Assessment.__dict__[_field], _field))


class WarningKind(enum.Enum):
    """What an assessment warns of."""

    CIRCULAR_REPORTING = "circular-reporting"
    REPEATED_ORIGIN = "repeated-origin"
    PURPORTED = "purported"
    INTERESTED_PARTY = "interested-party"
    COPYING = "copying"


@attrs.frozen
class Notice:
    """A warning that comes with the assessments: something the analyst should look at.

    Attributes:
        kind: What sort of warning.
        message: A sentence saying what and where.
        claim: The claim concerned, if one.
        attributions: Positions of the attributions concerned.
    """

    kind: WarningKind
    message: str
    claim: str | None = None
    attributions: tuple[int, ...] = ()

    @classmethod
    def circular(cls, echo: Echo, *, merged: bool) -> Notice:
        """Documents carry the same words for a claim with no declared chain."""
        action = "counted as one origin" if merged else "counted as separate origins"
        return cls(
            WarningKind.CIRCULAR_REPORTING,
            f"possible circular reporting: documents {', '.join(echo.documents)} carry the "
            f"same words for claim '{echo.claim}' with no declared chain ({action})",
            echo.claim,
            echo.attributions,
        )

    @classmethod
    def repeated(cls, claim: str, origin: str, publishers: Sequence[str]) -> Notice:
        """Several outlets repeat one origin (given by name) on a claim."""
        return cls(
            WarningKind.REPEATED_ORIGIN,
            f"{len(publishers)} outlets ({', '.join(publishers)}) repeat one origin, "
            f"{origin}, on claim '{claim}'; it counts once",
            claim,
        )

    @classmethod
    def purported(cls, position: int, speaker: str, claim: str) -> Notice:
        """A statement circulates, unverified, in the name of *speaker*."""
        return cls(
            WarningKind.PURPORTED,
            f"attributions[{position}]: a statement circulating in {speaker}'s name is unverified",
            claim,
            (position,),
        )

    @classmethod
    def interested(cls, position: int, speaker: str, claim: str) -> Notice:
        """The speaker talks about its own actions."""
        return cls(
            WarningKind.INTERESTED_PARTY,
            f"attributions[{position}]: {speaker} speaks about its own actions on claim '{claim}'",
            claim,
            (position,),
        )


@attrs.frozen
class Figures:
    """A numeric question summed up as conflict monitors publish figures.

    Attributes:
        question: The question's id.
        low: The most conservative credible figure.
        best: The probability-weighted median of the credible figures.
        high: The highest credible figure.
        unit: What is counted, if the answers say.
    """

    question: str
    low: float
    best: float
    high: float
    unit: str | None = None


@attrs.frozen
class Assessments(Mapping[str, Assessment]):
    """Every claim's assessment, by claim id, with the contradictions and warnings found.

    Attributes:
        assessments: One per claim, in the order of the case.
        contradictions: Declared and derived contradictions.
        warnings: Circular reporting, repeated origins, purported and interested speakers.
        figures: Low, best and high figures of numeric questions.
    """

    assessments: tuple[Assessment, ...]
    contradictions: tuple[Contradiction, ...] = ()
    warnings: tuple[Notice, ...] = ()
    figures: tuple[Figures, ...] = ()
    _by_claim: Mapping[str, Assessment] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_claim", {a.claim: a for a in self.assessments})

    def __getitem__(self, claim: str) -> Assessment:
        return self._by_claim[claim]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_claim)

    def __len__(self) -> int:
        return len(self._by_claim)


def assess(case: Case, settings: Settings | None = None) -> Assessments:
    """Assess every claim of *case*.

    Args:
        case: The case; it should be valid (see :meth:`Case.validate`).
        settings: The engine's knobs; the documented defaults if omitted.
    """
    settings = settings or Settings()
    if settings.learn:
        from claimtrack.engine.learned._reliability import assess_learned  # noqa: PLC0415 - _learn builds on this module

        return assess_learned(case, settings)
    from claimtrack.engine._quick import quick  # noqa: PLC0415 - _quick imports this module

    return quick(case, settings)


def assess_reference(case: Case, settings: Settings | None = None) -> Assessments:
    """Assess every claim the plain way, one claim at a time, building every reason at once.

    This is the engine's definition: :func:`assess` gives the same result, faster.
    """
    return _Engine(case, settings or Settings()).run()


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
        mode = min(modes, key=list(Mode).index)
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
            votes=tuple(mine),
            reasons=tuple(reasons),
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
        return " and ".join(_PAST[s] for s in Stance if s in before)

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

    def _warnings(self) -> list[Notice]:
        name = self._name
        out = [Notice.circular(e, merged=self.settings.merge_echoes) for e in self.echoes]
        out += [
            Notice.repeated(claim, name(origin), [name(p) for p in publishers])
            for claim, origin, publishers in repeated_origins(self.case, self.origins)
        ]
        for i, att in enumerate(self.case.attributions):
            if att.mode is Mode.PURPORTED:
                out.append(Notice.purported(i, name(att.source), att.claim))
            if self.case.is_interested(att):
                out.append(Notice.interested(i, name(att.source), att.claim))
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


_GRADE_ORDER = list(Reliability)
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
    if agreeing >= 2 and probability >= 0.80 and status is Status.CORROBORATED:  # noqa: PLR2004
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
    assert v is not None  # noqa: S101 - callers pass valued claims only
    return float(v.low if v.low is not None else v.high)  # type: ignore[arg-type]


def _high(claim: Claim) -> float:
    v = claim.value
    assert v is not None  # noqa: S101 - callers pass valued claims only
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
