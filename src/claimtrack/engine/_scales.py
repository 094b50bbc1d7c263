"""The scales a judgement is read on: ICD 203 words, analytic confidence, a claim's status.

Every table here is keyed by name: no rule reads an enum by the position of its members,
so adding a member changes no result. The members print as their words (``str()`` and
f-strings give ``"likely"``, ``"high"``), and the two ordered scales compare with the better
greater: ``Estimate.UNLIKELY < Estimate.LIKELY``, ``Confidence.LOW < Confidence.HIGH``.
"""

from __future__ import annotations

import enum

from bisect import bisect_right

from claimtrack.model._records import _rank_scale, _Ranked


class Estimate(_Ranked, enum.StrEnum):
    """ICD 203 words of estimative probability, with the bands they stand for.

    Ordered by the probability they stand for: ``Estimate.ALMOST_NO_CHANCE < ... <
    Estimate.ALMOST_CERTAIN``.
    """

    ALMOST_NO_CHANCE = "almost no chance"
    VERY_UNLIKELY = "very unlikely"
    UNLIKELY = "unlikely"
    ROUGHLY_EVEN_CHANCE = "roughly even chance"
    LIKELY = "likely"
    VERY_LIKELY = "very likely"
    ALMOST_CERTAIN = "almost certain"

    @classmethod
    def of(cls, probability: float) -> Estimate:
        """The word for *probability* as it is printed, in whole percent.

        05/20/45/55/80/95% are the bands' upper edges; a probability printed as 95% is
        "almost certain" even if it is 94.6%, so the word always matches the figure.
        """
        return BAND_WORDS[bisect_right(PERCENT_EDGES, round(probability * 100))]


BAND_EDGES = (0.05, 0.20, 0.45, 0.55, 0.80, 0.95)
"""The upper edges of the ICD 203 bands; a probability on an edge belongs to the band above."""
PERCENT_EDGES = (5, 20, 45, 55, 80, 95)
"""The same edges in whole percent, as probabilities are printed and words chosen."""

FLOOR, CEILING = 0.01, 0.99
"""No probability leaves [1%, 99%]: no account of a contested event rules a claim in or out
for certain, and ICD 203's own top band ends at 99%."""

BAND_WORDS = (
    Estimate.ALMOST_NO_CHANCE,
    Estimate.VERY_UNLIKELY,
    Estimate.UNLIKELY,
    Estimate.ROUGHLY_EVEN_CHANCE,
    Estimate.LIKELY,
    Estimate.VERY_LIKELY,
    Estimate.ALMOST_CERTAIN,
)
"""The word of each band, lowest first: one more than there are edges."""


class Confidence(_Ranked, enum.StrEnum):
    """Analytic confidence in a judgement: how much the evidence behind it can bear.

    Ordered: ``Confidence.LOW < Confidence.MODERATE < Confidence.HIGH``.
    """

    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


_rank_scale(Estimate)  # defined lowest first
_rank_scale(Confidence)


class Status(enum.StrEnum):
    """Where a claim stands among its sources."""

    SINGLE_SOURCE = "single-source"
    CORROBORATED = "corroborated"
    CONTESTED = "contested"
    DENIED = "denied"
    RETRACTED = "retracted"
    UNVERIFIED = "unverified"
    SUPERSEDED = "superseded"
    """A later claim supersedes it, as a corrected or updated figure does; kept as history."""


CREDIBLE = frozenset((Status.SINGLE_SOURCE, Status.CORROBORATED, Status.CONTESTED))
"""The statuses whose figures a numeric question's summary counts."""
