"""The learned mode's engine: the numpy fast path, with each vote's weight and grade learned.

:class:`_Learner` reads the case exactly as :class:`~claimtrack.engine._arrays._Vector` reads it
(one sort groups the attributions by claim and origin; latest stances, factors and modes
per vote) and judges the claims with ``_Vector``'s own code; only the weights and the
grades of the votes are swapped for the learned ones. numpy is required, so this module
is imported only once :func:`~claimtrack.engine.learned._reliability._require_numpy` has passed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs
import numpy as np

from claimtrack.engine._arrays import _Bools, _Floats, _Ints, _Read, _Vector
from claimtrack.engine._assess import _GRADE_ORDER, Assessments, Notice, Settings, Vote, WarningKind
from claimtrack.engine._origins import Echo
from claimtrack.engine._quick import _Explainer
from claimtrack.engine.learned._reliability import (
    _NOTED_DISCOUNT,
    _UNGRADED_WEIGHT,
    _check,
    _copying,
    _fit,
    _grades,
    _Learned,
    _Rows,
)
from claimtrack.model._case import Case
from claimtrack.model._records import Claim, Reliability, Stance


_GRADE_RANK = {g: i for i, g in enumerate(_GRADE_ORDER)}


class _Learner(_Vector):
    """The numpy fast path, with each vote's weight learned and copied votes discounted.

    The votes ``_Vector`` reads become the rows the rounds of learning work on, in the
    same order; the learned weights and letters then go through ``_Vector``'s judging.
    """

    def __init__(self, case: Case, settings: Settings) -> None:
        _check(settings)
        super().__init__(case, settings)
        self.learned: _Learned | None = None
        self.read: _Read | None = None

    def run(self) -> Assessments:
        """The plain fast path's assessments, with learned weights, letters and warnings."""
        read = self._votes()
        v_order, v_weight = self._weigh(read)
        return self._judged(read, v_order, v_weight)

    def learn(self) -> _Learned:
        """Read the case's votes and learn from them, once."""
        if self.learned is None:
            fit = _fit(self._rows(self._votes()), self.settings)
            self.learned = _Learned(_grades(self, fit), _copying(fit), fit)
        return self.learned

    def _votes(self) -> _Read:
        """The votes, read once; a case with an attribution of an unknown claim is refused."""
        if self.read is None:
            read = self._read()
            if read is None:
                at, att = next(
                    (i, a) for i, a in enumerate(self.atts) if a.claim not in self.claims
                )
                msg = (
                    f"attributions[{at}].claim: no claim {att.claim!r} in the case; "
                    "the learned mode needs a valid case (see Case.validate)"
                )
                raise ValueError(msg)
            self.read = read
        return self.read

    def _weigh(self, read: _Read) -> tuple[_Ints, _Floats]:
        """Each vote's learned weight, and the rank of its origin's grade or learned letter."""
        self.read = read  # learning reads these very votes
        learned = self.learn()
        fit = learned.fit
        ranks = np.fromiter(
            (
                _GRADE_RANK[g.graded or g.letter]
                for g in (learned.grades[o] for o in fit.rows.origin_ids)
            ),
            np.int64,
            len(fit.rows.origin_ids),
        )
        return ranks[fit.rows.origin], fit.weights

    # ---- the votes as the rows of learning ------------------------------------------------

    def _rows(self, read: _Read) -> _Rows:
        """``_Vector``'s votes as the rows learning works on; origins numbered by sorted id.

        Numbering origins by id makes learning independent of the order of the case.
        """
        origin_ids = sorted(read.origins)
        index = {o: k for k, o in enumerate(origin_ids)}
        rank = np.fromiter(map(index.__getitem__, read.origins), np.int64, len(read.origins))
        group, alternatives, exclusive = self._groups(read)
        return _Rows(
            read.ids,
            origin_ids,
            read.v_claim,
            rank[read.v_origin],
            read.v_stance,  # the position in Stance: 0 asserts, 1 denies, 2 doubts
            read.v_factor,
            group,
            alternatives,
            exclusive,
            self._priors(origin_ids),
        )

    @staticmethod
    def _groups(read: _Read) -> tuple[_Ints, _Ints, _Bools]:
        """Each claim's competing group, its number of answers, and if it answers a question.

        An exclusive question's answers make one group, numbered in the order of the
        questions; any other claim is a group alone, numbered after them.
        """
        asks = read.asks
        inside = asks >= 0
        group = np.full(len(asks), -1, dtype=np.int64)
        answered = np.unique(asks[inside])
        group[inside] = answered.searchsorted(asks[inside])
        alone = np.flatnonzero(~inside)
        group[alone] = len(answered) + np.arange(len(alone))
        return group, read.alt.copy(), inside

    def _priors(self, origin_ids: list[str]) -> tuple[_Floats, _Floats]:
        """Each origin's prior accuracy and how many items of evidence it is worth."""
        s = self.settings
        prior = np.full(len(origin_ids), s.ungraded_accuracy)
        strength = np.full(len(origin_ids), _UNGRADED_WEIGHT)
        for k, oid in enumerate(origin_ids):
            source = self.sources.get(oid)
            if source is not None and source.reliability is not None:
                prior[k] = s.accuracy.of(source.reliability)
                strength[k] = s.grade_weight
        return prior, strength

    # ---- what the reader sees -------------------------------------------------------------

    def _explainer(
        self,
        said: Callable[[], dict[str, dict[str, list[int]]]],
        alternatives: Mapping[str, int],
        backed: Callable[[], dict[str, list[str]]],
    ) -> _Explainer:
        assert self.read is not None  # noqa: S101 - judging comes after reading
        return _LearnedExplainer(
            self.case,
            self.settings,
            said=said,
            alternatives=alternatives,
            backed=backed,
            learned=self.learn(),
            claim_index=self.read.where,
        )

    def _warnings(
        self,
        echoes: list[Echo],
        repeated: list[tuple[int, str, str, tuple[str, ...]]],
        purported: list[int],
        interested: list[int],
    ) -> list[Notice]:
        out = super()._warnings(echoes, repeated, purported, interested)
        for pair in self.learn().copying:
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


class _LearnedExplainer(_Explainer):
    """The plain engine's votes and reasons, with learned weights, letters and copying."""

    def __init__(
        self,
        case: Case,
        settings: Settings,
        *,
        learned: _Learned,
        claim_index: dict[str, int],
        **kw: Any,
    ) -> None:
        super().__init__(case, settings, **kw)
        self.learned = learned
        self.claim_index = claim_index  # the claims' positions, as learning numbers them
        self.origin_index = {o: k for k, o in enumerate(learned.fit.rows.origin_ids)}

    def _votes(self, claim: Claim) -> list[Vote]:
        votes = []
        fit = self.learned.fit
        for vote in super()._votes(claim):
            row = fit.row(self.claim_index[claim.id], self.origin_index[vote.origin])
            votes.append(attrs.evolve(vote, weight=float(fit.weights[row])))
        votes.sort(key=lambda v: (-v.weight, v.origin))
        return votes

    def _grade(self, origin: str) -> Reliability:
        source = self.case.sources.get(origin)
        if source is not None and source.reliability is not None:
            return source.reliability
        found = self.learned.grades.get(origin)
        return found.letter if found else Reliability.F

    def _describe(self, vote: Vote) -> str:
        source = self.case.sources.get(vote.origin)
        learned = self.learned.grades.get(vote.origin)
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
        fit = self.learned.fit
        ids = fit.rows.origin_ids
        c = self.claim_index[claim.id]
        for vote in votes:
            if vote.stance is not Stance.ASSERTS:
                continue
            row = fit.row(c, self.origin_index[vote.origin])
            keeps = float(fit.independence[row])
            partners = fit.partners(row)
            if keeps < 1.0 - _NOTED_DISCOUNT and partners:
                names = ", ".join(self._name(ids[q]) for q in sorted(partners, key=ids.__getitem__))
                out.append(
                    f"{self._name(vote.origin)} likely copies {names} (shared answers, no "
                    f"declared chain); its vote keeps {keeps:.0%} of its weight."
                )
        return out
