"""The documented knobs of the confidence engine: accuracy per grade, discounts, learning."""

from __future__ import annotations

import attrs

from claimtrack.engine._stakes import DISCOUNTED, STRENGTHENED, Stake
from claimtrack.model import Attribution, Hedge, Mode, Reliability
from claimtrack.model._records import Moment


HEDGE_SHARES = {
    Hedge.ALMOST_CERTAIN: 0.94,
    Hedge.VERY_LIKELY: 0.75,
    Hedge.LIKELY: 0.35,
    Hedge.ROUGHLY_EVEN_CHANCE: 0.0,
    Hedge.UNLIKELY: 0.0,
    Hedge.VERY_UNLIKELY: 0.0,
    Hedge.ALMOST_NO_CHANCE: 0.0,
    Hedge.HIGH_CONFIDENCE: 0.75,
    Hedge.MODERATE_CONFIDENCE: 0.5,
    Hedge.LOW_CONFIDENCE: 0.25,
}
"""The share of a flat statement's weight that a statement with each hedge carries.

An ICD 203 word stands for a band of probability; a speaker who says "likely" commits to
how far the middle of that band lies from an even chance towards certainty: ``2*p - 1``
(likely, 55–80%, middle 67.5%: 0.35). The confidence phrases are read as the words they
usually go with (high as very likely, moderate as between likely and very likely, low as
a little better than even). Words below even chance say the speaker doubts its own
stance; ``check`` refuses them, and they carry nothing.
"""


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
        interested: Factor on the vote of a speaker with a stake in it: talking about its
            own actions, a party accusing another, or a party denying its own blame.
        against_interest: Factor on the vote of a speaker talking against its own interest:
            a party admitting its own blame, or a statement the analyst marks so. More
            than 1: such statements are seldom made unless true.
        correlation: How much any two origins on the same side of a claim are taken to
            share, however independent they look (the rho of Kish's design effect): *k*
            origins of equal weight count as ``k / (1 + (k - 1)*rho)`` of them, so
            support gives diminishing returns, and never more than ``1/rho`` of its
            strongest vote. Not in learned mode, which counts dependence where copy
            detection finds it.
        doubt: Share of a denial's weight that "doubts" takes away.
        credibility: Factors for the analyst's credibility digits 1 to 6.
        as_of: Assess the case as it was known on this day or moment: only what was
            published (or said) by then counts (see :meth:`Case.as_of`); None for all.
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
        rounds: In learned mode, the most rounds of re-estimation; 0 for none (grades and
            starting points only, no copy detection).
        pair_cap: In learned mode, questions answered by more origins than this give no
            evidence of copying, so that the pairs compared stay few.
    """

    accuracy: Accuracy = attrs.Factory(Accuracy)
    anonymous: float = 0.75
    purported: float = 0.3
    interested: float = 0.5
    against_interest: float = 1.5
    correlation: float = 0.2
    doubt: float = 0.25
    credibility: tuple[float, float, float, float, float, float] = (1.0, 1.0, 0.85, 0.5, 0.25, 1.0)
    merge_echoes: bool = False
    as_of: Moment | None = None
    learn: bool = False
    grade_weight: float = 20.0
    ungraded_accuracy: float = 0.8
    copy_prior: float = 0.05
    copy_rate: float = 0.8
    rounds: int = 30
    pair_cap: int = 100

    def __attrs_post_init__(self) -> None:
        if not 0.0 <= self.correlation < 1.0:
            msg = f"the correlation must lie in [0, 1), got {self.correlation}"
            raise ValueError(msg)
        if self.against_interest < 1.0:
            msg = f"the against_interest factor must be at least 1, got {self.against_interest}"
            raise ValueError(msg)

    def factor(
        self, att: Attribution, *, stake: Stake = Stake.NONE, interested: bool = False
    ) -> float:
        """How much of its origin's weight one attribution carries.

        Its mode, its stake (*interested* is the stake of speaking about one's own
        actions), the analyst's credibility digit and the speaker's own hedge each
        multiply it.
        """
        f = 1.0
        if att.mode is Mode.ANONYMOUS:
            f *= self.anonymous
        elif att.mode is Mode.PURPORTED:
            f *= self.purported
        if interested or stake in DISCOUNTED:
            f *= self.interested
        elif stake in STRENGTHENED:
            f *= self.against_interest
        if att.credibility is not None:
            f *= self.credibility[att.credibility.value - 1]
        if att.hedge is not None:
            f *= HEDGE_SHARES[att.hedge]
        return f
