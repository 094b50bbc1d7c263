"""What the engine gives: votes, assessments, warnings and figures; computed, never stored."""

from __future__ import annotations

import abc
import enum
import functools
import itertools

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from claimtrack.engine._contradictions import Contradiction
from claimtrack.engine._origins import Echo
from claimtrack.engine._scales import Confidence, Estimate, Status
from claimtrack.engine._stakes import DISCOUNTED, Stake
from claimtrack.model import Credibility, Hedge, Mode, Reliability, Stance


if TYPE_CHECKING:
    import pandas as pd

    from rich.console import RenderableType


@attrs.frozen
class Vote:
    """One independent origin's say on one claim.

    Attributes:
        origin: The id of the origin (the speaker as first reported).
        stance: Its latest stance on the claim.
        weight: What the vote moves, in log-odds; zero for a source too unreliable to count.
        attributions: Positions in the case of the attributions behind it.
        publishers: The outlets that carried it.
        interested: Whether the origin has a stake that discounts its vote (its own
            actions, an accusation, a denial of its own blame).
        mode: The most open mode among its attributions.
        stake: The stake of the attribution whose factor the vote carries.
        hedge: The speaker's own hedge on that attribution, if it gave one.
        speakers: The speakers behind the vote other than its origin: spokespeople
            counted with their body, and origins that rest on the same evidence.
        evidence: The ids of the evidence its attributions rest on.
    """

    origin: str
    stance: Stance
    weight: float
    attributions: tuple[int, ...]
    publishers: tuple[str, ...]
    interested: bool = False
    mode: Mode = Mode.ON_RECORD
    stake: Stake = Stake.NONE
    hedge: Hedge | None = None
    speakers: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()


def supporting(votes: Sequence[Vote]) -> tuple[Vote, ...]:
    """The votes of origins that assert the claim: an assessment's ``origins_for``."""
    return tuple(v for v in votes if v.stance is Stance.ASSERTS)


def disputing(votes: Sequence[Vote]) -> tuple[Vote, ...]:
    """The votes of origins that deny the claim: an assessment's ``origins_against``."""
    return tuple(v for v in votes if v.stance is Stance.DENIES)


class Explanation(abc.ABC):
    """What an assessment shows beyond its numbers: its votes and reasons, built when read.

    The engine judges a large case without building a sentence nobody reads; the
    explanation keeps what it needs (a snapshot of the case and the run's arrays) and
    builds one claim's votes and reasons when they are first asked for.
    """

    @abc.abstractmethod
    def votes_of(self, assessment: Assessment) -> tuple[Vote, ...]:
        """Every origin's vote on the assessed claim, strongest first."""

    @abc.abstractmethod
    def reasons_of(self, assessment: Assessment) -> tuple[str, ...]:
        """Why, in plain sentences."""

    def explain(self, assessment: Assessment) -> tuple[tuple[Vote, ...], tuple[str, ...]]:
        """The votes and reasons together, built afresh and kept nowhere."""
        return self.votes_of(assessment), self.reasons_of(assessment)

    def explain_many(
        self, assessments: Sequence[Assessment]
    ) -> list[tuple[tuple[Vote, ...], tuple[str, ...]]]:
        """:meth:`explain` for each of *assessments*, all explained by this, in order.

        An explanation that can build many claims' votes and reasons together for less
        than one at a time overrides this.
        """
        return [self.explain(a) for a in assessments]

    def votes_many(self, assessments: Sequence[Assessment]) -> list[tuple[Vote, ...]]:
        """The votes of each of *assessments*, all explained by this, in order.

        An explanation that can build votes without their reasons for less overrides this.
        """
        return [self.votes_of(a) for a in assessments]


def explained(
    assessments: Iterable[Assessment], *, batch: int = 10_000, reasons: bool = True
) -> Iterator[tuple[Assessment, tuple[Vote, ...], tuple[str, ...]]]:
    """Each assessment with its votes and reasons, built *batch* claims at a time, kept nowhere.

    What a writer of many claims uses: the assessments of one run share an explanation,
    which builds a batch's votes and reasons together (:meth:`Explanation.explain_many`);
    only one batch's are held at once, and none stay on the assessments. Without
    *reasons*, the votes alone are built and the reasons are empty.
    """
    it = iter(assessments)
    while chunk := list(itertools.islice(it, batch)):
        by: dict[int, list[int]] = {}  # per explanation, the places of its assessments
        for k, a in enumerate(chunk):
            by.setdefault(id(a.explanation), []).append(k)
        found: dict[int, tuple[tuple[Vote, ...], tuple[str, ...]]] = {}
        for places in by.values():
            explanation = chunk[places[0]].explanation
            listed = [chunk[k] for k in places]
            done = (
                explanation.explain_many(listed)
                if reasons
                else [(v, ()) for v in explanation.votes_many(listed)]
            )
            found.update(zip(places, done, strict=True))
        for k, a in enumerate(chunk):
            yield a, *found[k]


@attrs.frozen
class Explained(Explanation):
    """An explanation whose votes and reasons are already built."""

    votes: tuple[Vote, ...] = ()
    reasons: tuple[str, ...] = ()

    def votes_of(self, assessment: Assessment) -> tuple[Vote, ...]:  # noqa: ARG002 - given
        """The votes given."""
        return self.votes

    def reasons_of(self, assessment: Assessment) -> tuple[str, ...]:  # noqa: ARG002 - given
        """The reasons given."""
        return self.reasons


@attrs.frozen(eq=False)
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
        explanation: What builds ``votes`` and ``reasons`` when first read; give
            :class:`~claimtrack.engine.Explained` to make an assessment whose votes and
            reasons are known.

    Two assessments are equal when their judgements, votes and reasons are; equality,
    hashing and pickling build the votes and reasons if they were not read yet.
    """

    claim: str
    question: str | None
    probability: float
    estimate: Estimate
    confidence: Confidence
    credibility: Credibility
    reliability: Reliability
    status: Status
    explanation: Explanation = attrs.field(factory=Explained, repr=False)

    @functools.cached_property
    def votes(self) -> tuple[Vote, ...]:
        """Every origin's vote, strongest first."""
        return self.explanation.votes_of(self)

    @functools.cached_property
    def reasons(self) -> tuple[str, ...]:
        """Why, in plain sentences."""
        return self.explanation.reasons_of(self)

    def explain(self) -> tuple[tuple[Vote, ...], tuple[str, ...]]:
        """The votes and reasons, built without keeping them on the assessment.

        What a writer of many claims uses: reading ``votes`` and ``reasons`` keeps them
        for the assessment's lifetime, which for a large case holds every sentence at once.
        """
        return self.explanation.explain(self)

    @property
    def origins_for(self) -> tuple[Vote, ...]:
        """The origins that assert the claim."""
        return supporting(self.votes)

    @property
    def origins_against(self) -> tuple[Vote, ...]:
        """The origins that deny the claim."""
        return disputing(self.votes)

    @property
    def admiralty(self) -> str:
        """The Admiralty code, letter and digit, such as ``B2``."""
        return f"{self.reliability.value}{self.credibility.value}"

    @property
    def badge(self) -> str:
        """Estimate, percentage, confidence and code: ``likely · 70% · moderate · B2``."""
        pct = f"{self.probability:.0%}"
        return f"{self.estimate.value} · {pct} · {self.confidence.value} · {self.admiralty}"

    def _key(self) -> tuple[Any, ...]:
        return (*attrs.astuple(self, recurse=False)[:-1], self.votes, self.reasons)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled with its votes and reasons built: the explanation's arrays stay behind
        fields = attrs.astuple(self, recurse=False)[:-1]
        return (Assessment, (*fields, Explained(self.votes, self.reasons)))

    def __rich__(self) -> RenderableType:
        """How ``rich.print`` shows the assessment: badge, status and reasons."""
        from claimtrack.report._records import assessment_view  # noqa: PLC0415 - the report is a higher layer

        return assessment_view(self)

    def _repr_html_(self) -> str:
        """How Jupyter shows the assessment: the report's own HTML, for light and dark themes."""
        from claimtrack.report._report import html_fragment  # noqa: PLC0415 - the report is a higher layer

        return html_fragment(self)


class WarningKind(enum.Enum):
    """What an assessment warns of."""

    CIRCULAR_REPORTING = "circular-reporting"
    REPEATED_ORIGIN = "repeated-origin"
    PURPORTED = "purported"
    INTERESTED_PARTY = "interested-party"
    AGAINST_INTEREST = "against-interest"
    RETRACTION = "retraction"
    APPROXIMATE = "approximate"
    COPYING = "copying"


@attrs.frozen
class AssessmentWarning:
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
    def copying(
        cls, copier: str, original: str, *, probability: float, same: int, shared: int, false: float
    ) -> AssessmentWarning:
        """Learned mode: *copier* likely copies *original* (given by name), with no chain."""
        return cls(
            WarningKind.COPYING,
            f"{copier} likely copies {original} ({probability:.0%}): they gave the same answer "
            f"to {same} of the {shared} contested questions both answered, about {false:.0f} "
            f"of them likely false, with no declared chain; {copier}'s votes on the answers "
            "it could have copied are discounted",
        )

    @classmethod
    def circular(cls, echo: Echo, *, merged: bool) -> AssessmentWarning:
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
    def repeated(cls, claim: str, origin: str, publishers: Sequence[str]) -> AssessmentWarning:
        """Several outlets repeat one origin (given by name) on a claim."""
        return cls(
            WarningKind.REPEATED_ORIGIN,
            f"{len(publishers)} outlets ({', '.join(publishers)}) repeat one origin, "
            f"{origin}, on claim '{claim}'; it counts once",
            claim,
        )

    @classmethod
    def purported(cls, position: int, speaker: str, claim: str) -> AssessmentWarning:
        """A statement circulates, unverified, in the name of *speaker*."""
        return cls(
            WarningKind.PURPORTED,
            f"attributions[{position}]: a statement circulating in {speaker}'s name is unverified",
            claim,
            (position,),
        )

    @classmethod
    def interested(cls, position: int, speaker: str, claim: str) -> AssessmentWarning:
        """The speaker talks about its own actions."""
        return cls.stake(position, speaker, claim, stake=Stake.OWN_ACTIONS)

    @classmethod
    def stake(
        cls,
        position: int,
        speaker: str,
        claim: str,
        *,
        stake: Stake,
        stance: Stance = Stance.ASSERTS,
        blamed: Sequence[str] = (),
    ) -> AssessmentWarning:
        """The speaker has a stake in what it says; *blamed* names whom the claim blames."""
        whom = ", ".join(blamed) or "another party"
        said = {Stance.DENIES: "denies", Stance.DOUBTS: "casts doubt on"}.get(stance, "asserts")
        message = {
            Stake.OWN_ACTIONS: f"{speaker} speaks about its own actions on claim '{claim}'",
            Stake.ACCUSES: (
                f"{speaker}, a party to the question, asserts claim '{claim}', which blames "
                f"{whom}: an accusation by a party is discounted"
            ),
            Stake.DENIES_BLAME: (
                f"{speaker} {said} claim '{claim}', which blames it: a party's denial of "
                "its own blame is discounted"
            ),
            Stake.ADMITS: (
                f"{speaker} asserts claim '{claim}', which blames it: an admission against "
                "its own interest counts more"
            ),
            Stake.AGAINST_INTEREST: (
                f"{speaker} speaks against its own interest on claim '{claim}', as the "
                "analyst marked it: it counts more"
            ),
        }.get(stake, f"{speaker} has no stake in claim '{claim}'")
        kind = WarningKind.INTERESTED_PARTY if stake in DISCOUNTED else WarningKind.AGAINST_INTEREST
        return cls(kind, f"attributions[{position}]: {message}", claim, (position,))

    @classmethod
    def approximate(cls, names: Sequence[str], size: int) -> AssessmentWarning:
        """A group of linked questions too large to judge on its joint answers exactly."""
        return cls(
            WarningKind.APPROXIMATE,
            f"linked questions {', '.join(names)} have {size} joint answers, too many to judge "
            "exactly: each was judged apart, then held to the links between them",
        )

    @classmethod
    def lone_retraction(cls, position: int, speaker: str, claim: str) -> AssessmentWarning:
        """A retraction with nothing said before it to withdraw."""
        return cls(
            WarningKind.RETRACTION,
            f"attributions[{position}]: {speaker} retracts claim '{claim}' but had said nothing "
            "on it before: the retraction withdraws nothing (name what it withdraws with "
            "'withdraws')",
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
    warnings: tuple[AssessmentWarning, ...] = ()
    figures: tuple[Figures, ...] = ()

    @functools.cached_property
    def _by_claim(self) -> Mapping[str, Assessment]:
        return {a.claim: a for a in self.assessments}

    def __getitem__(self, claim: str) -> Assessment:
        return self._by_claim[claim]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_claim)

    def __len__(self) -> int:
        return len(self._by_claim)

    def _repr_html_(self) -> str:
        """How Jupyter shows the assessments: the report's own HTML table, not a long repr."""
        from claimtrack.report._report import html_fragment  # noqa: PLC0415 - the report is a higher layer

        return html_fragment(self)

    def to_dataframe(self) -> pd.DataFrame:
        """The assessments as a pandas DataFrame: one row per claim, in the case's order.

        Columns: ``claim`` and ``question`` (ids), ``probability`` (``float64``), the
        ``estimate`` (ICD 203 word), ``confidence`` and ``reliability`` (the Admiralty
        letter) as ordered ``category`` columns (from ``almost no chance`` up to
        ``almost certain``, ``low`` up to ``high``, and ``A`` < ... < ``F``, best
        first), ``credibility`` (the Admiralty digit, ``int64``), ``admiralty`` (the
        code, such as ``B2``), ``status`` (a ``category``) and ``origins_for`` and
        ``origins_against`` (``int64``). The texts of the claims are in
        ``case.to_dataframe("claims")``, to merge on ``claim``. Needs the ``pandas``
        extra (``pip install "claimtrack[pandas]"``).

        Raises:
            ModuleNotFoundError: pandas is not installed; the message names the extra.
        """
        try:
            import pandas as pd  # noqa: PLC0415 - an optional extra, imported when asked for
        except ModuleNotFoundError as e:
            msg = 'Assessments.to_dataframe() needs pandas: pip install "claimtrack[pandas]"'
            raise ModuleNotFoundError(msg, name=e.name) from None

        rows = self.assessments
        # votes built many claims at a time, as the writers build them, and kept nowhere
        counted = [
            (len(supporting(votes)), len(disputing(votes)))
            for _, votes, _ in explained(rows, reasons=False)
        ]

        def category(values: list[str], members: type[enum.Enum], *, ordered: bool) -> pd.Series:
            categories = [m.value for m in members]
            return pd.Series(pd.Categorical(values, categories=categories, ordered=ordered))

        return pd.DataFrame(
            {
                "claim": pd.Series([a.claim for a in rows]),
                "question": pd.Series([a.question for a in rows]),
                "probability": pd.Series([a.probability for a in rows], dtype="float64"),
                "estimate": category([a.estimate.value for a in rows], Estimate, ordered=True),
                "confidence": category(
                    [a.confidence.value for a in rows], Confidence, ordered=True
                ),
                "reliability": category(
                    [a.reliability.value for a in rows], Reliability, ordered=True
                ),
                "credibility": pd.Series([a.credibility.value for a in rows], dtype="int64"),
                "admiralty": pd.Series([a.admiralty for a in rows]),
                "status": category([a.status.value for a in rows], Status, ordered=False),
                "origins_for": pd.Series([f for f, _ in counted], dtype="int64"),
                "origins_against": pd.Series([a for _, a in counted], dtype="int64"),
            }
        )
