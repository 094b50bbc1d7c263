"""The learned mode's run: the engine's own reading and judging, with learned weights.

:class:`LearnedEngine` reads the case as :class:`~claimtrack.engine._engine.Engine` reads
it and judges the claims with the same code; only each vote's weight and its origin's
grade are learned (see :mod:`~claimtrack.engine.learned._fit`), and the reasons say
what was learned.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import operator

from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np

from claimtrack.engine._assessment import AssessmentWarning, Vote
from claimtrack.engine._engine import Engine
from claimtrack.engine._explain import ArrayExplanation
from claimtrack.engine._origins import when_key
from claimtrack.engine._reading import Read
from claimtrack.engine._rules import GRADE_RANKS, Bools, Floats, Ints
from claimtrack.engine._settings import Settings
from claimtrack.engine.learned._fit import (
    _UNGRADED_WEIGHT,
    Learnt,
    Part,
    _check,
    _copying,
    _fit,
    _grades,
    _Learned,
    _Rows,
)
from claimtrack.model import Case, Source, Stance
from claimtrack.model._dates import first_day, last_day
from claimtrack.model._records import Moment


class LearnedEngine(Engine):
    """The engine, with each vote's weight learned and copied votes discounted.

    The votes the engine reads become the rows the rounds of learning work on, in the
    same order; the learned weights and letters then go through the engine's judging.
    """

    def __init__(self, case: Case, settings: Settings) -> None:
        _check(settings)
        super().__init__(case, _independent(settings))
        self.learned: _Learned | None = None
        self.votes: Read | None = None

    def learn(self) -> _Learned:
        """Read the case's votes and learn from them, once."""
        if self.learned is None:
            fit = _fit(self._rows(self.read()), self.settings)
            self.learned = _Learned(_grades(self.sources, self.settings, fit), _copying(fit), fit)
        return self.learned

    def read(self) -> Read:
        """The votes, read once; a case with an attribution of an unknown claim is refused."""
        if self.votes is None:
            read = super().read()
            unknown = np.flatnonzero(read.ci >= read.count)
            if len(unknown):
                at = int(unknown[0])
                msg = (
                    f"attributions[{at}].claim: no claim {self.atts[at].claim!r} in the case; "
                    "the learned mode needs a valid case (see Case.validate)"
                )
                raise ValueError(msg)
            self.votes = read
        return self.votes

    def weigh(self, read: Read) -> tuple[Ints, Floats]:  # noqa: ARG002 - learning read these very votes
        """Each vote's learned weight, and the rank of its origin's grade or learned letter."""
        learned = self.learn()
        fit = learned.fit
        ranks = np.fromiter(
            (
                GRADE_RANKS[g.graded or g.letter]
                for g in (learned.grades[o] for o in fit.rows.origin_ids)
            ),
            np.int64,
            len(fit.rows.origin_ids),
        )
        return ranks[fit.rows.origin], fit.weights

    def spare(self, read: Read) -> Floats | None:  # noqa: ARG002 - nothing to recompute
        """None: an answer nobody asserts is judged against the learned weights as they are.

        Learning sets each question's *n* mostly from how often wrong answers coincide
        (the answers taking part, less one, are only its floor); weights for one more
        answer would take another round of learning, so the plain engine's guarantee that
        a first supporter only raises such an answer is not made here.
        """
        return None

    # ---- the votes as the rows of learning ------------------------------------------------

    def part(self, origin_ids: list[str], *, dated: bool) -> Part:
        """The case as one part of a larger one learning works on (see :func:`learn`).

        *origin_ids* are the whole case's origins, sorted; *dated* says whether anything
        in the whole case is dated (then the votes of an undated part have unknown moments).
        """
        rows = self._rows(self.read(), origin_ids)
        if dated and rows.said is None:
            rows = attrs.evolve(rows, said=np.full((3, len(rows.claim)), math.nan))
        return Part.of(rows, self.settings)

    def dated(self) -> bool:
        """Whether anything in the case says when it was said."""
        return _moments(self.case, self.read()) is not None

    def take(self, part: Part, learnt: Learnt) -> None:
        """Judge with what learning on the larger case gave, as *part* of it holds it."""
        fit = part.fit(learnt)
        self.learned = _Learned(_grades(self.sources, self.settings, fit), _copying(fit), fit)

    def _rows(self, read: Read, origin_ids: list[str] | None = None) -> _Rows:
        """The engine's votes as the rows learning works on; origins numbered by sorted id.

        Numbering origins by id makes learning independent of the order of the case.
        *origin_ids*, if given, are a larger case's, numbered alike in all its parts.
        """
        if origin_ids is None:
            origin_ids = sorted(read.origins)
        index = {o: k for k, o in enumerate(origin_ids)}
        rank = np.fromiter(map(index.__getitem__, read.origins), np.int64, len(read.origins))
        group, alternatives, exclusive = _groups(read)
        return _Rows(
            read.ids,
            origin_ids,
            read.v_claim,
            rank[read.v_origin],
            read.v_stance,
            read.v_factor,
            group,
            alternatives,
            exclusive,
            self._priors(origin_ids),
            _moments(self.case, read),
        )

    def _priors(self, origin_ids: list[str]) -> tuple[Floats, Floats]:
        return priors(origin_ids, self.sources, self.settings)

    # ---- what the reader sees -------------------------------------------------------------

    def explanation(self, read: Read, **arrays: Any) -> ArrayExplanation:
        """The engine's explanation, saying what was learned and who likely copies."""
        return LearnedExplanation(self.case, read, learned=self.learn(), **arrays)

    def warnings(self, read: Read, purported: list[int]) -> list[AssessmentWarning]:
        """The engine's warnings, then one for each pair of sources likely to copy.

        They are the pairs :func:`~claimtrack.find_copying` returns, the very pairs whose
        discounts the reasons name, the copier first.
        """
        out = super().warnings(read, purported)
        for pair in self.learn().copying:
            copier = pair.copier or pair.sources[1]
            original = pair.sources[0] if copier == pair.sources[1] else pair.sources[1]
            out.append(
                AssessmentWarning.copying(
                    self.name(copier),
                    self.name(original),
                    probability=pair.probability,
                    same=pair.same,
                    shared=pair.shared,
                    false=pair.false,
                )
            )
        return out


_SAID = operator.attrgetter("said")


def priors(
    origin_ids: list[str], sources: Mapping[str, Source], settings: Settings
) -> tuple[Floats, Floats]:
    """Each origin's prior accuracy and how many items of evidence it is worth."""
    prior = np.full(len(origin_ids), settings.ungraded_accuracy)
    strength = np.full(len(origin_ids), _UNGRADED_WEIGHT)
    for k, oid in enumerate(origin_ids):
        source = sources.get(oid)
        if source is not None and source.reliability is not None:
            prior[k] = settings.accuracy.of(source.reliability)
            strength[k] = settings.grade_weight
    return prior, strength


def _independent(settings: Settings) -> Settings:
    """The settings the learned mode judges with: no correlation assumed between origins.

    The rounds learn the weights, and the probabilities they bear out, with every origin
    counting in full; dependence between origins is what copy detection finds and
    discounts, not a correlation assumed for all (``Settings.correlation``), which would
    leave the learned probabilities uncalibrated.
    """
    if settings.correlation:
        return attrs.evolve(settings, correlation=0.0)
    return settings


def _moments(case: Case, read: Read) -> Floats | None:
    """When each vote's origin said it; None if nothing in the case is dated.

    A vote's moment is its first attribution's in the plain engine's order
    (:func:`~claimtrack.engine._origins.when_key`): the attribution's ``said``, else its
    document's ``published``. It is kept as three rows of numbers: the first and the last
    day it may stand for (a month or a year stands for every day it spans), as ordinals,
    and for a date and time its instant, in seconds since the epoch (a time without a
    zone taken as UTC); NaN where unknown.
    """
    atts = case.attributions
    published = {d: doc.published for d, doc in case.documents.items() if doc.published}
    if not published and not any(map(_SAID, atts)):  # in C: most bulk data is undated
        return None
    unknown = (math.nan, math.nan, math.nan)
    cache: dict[Moment, tuple[float, float, float]] = {}

    def moment(when: Moment | None) -> tuple[float, float, float]:
        if when is None:
            return unknown
        found = cache.get(when)
        if found is None:
            instant = math.nan
            if isinstance(when, dt.datetime):
                instant = (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).timestamp()
            first, last = first_day(when).toordinal(), last_day(when).toordinal()
            found = cache[when] = (float(first), float(last), instant)
        return found

    first = read.order[read.starts[read.v_group]]
    several = np.flatnonzero(read.ends[read.v_group] - read.starts[read.v_group] > 1)
    for v in several.tolist():
        said = read.positions(int(read.v_group[v]))
        first[v] = min(said, key=lambda i: when_key(case, atts[i], i))
    found = [moment(atts[i].said or published.get(atts[i].document)) for i in first.tolist()]
    out: Floats = np.array(found, dtype=np.float64).reshape(-1, 3).T.copy()
    return out


def _groups(read: Read) -> tuple[Ints, Ints, Bools]:
    """Each claim's competing group, its number of answers, and if it answers a question.

    An exclusive question's answers make one group, numbered in the order of the
    questions; any other claim is a group alone, numbered after them, and so is an
    answer nobody asserts, which stands aside.
    """
    asks = read.asks
    inside = (asks >= 0) & ~read.aside
    group = np.full(len(asks), -1, dtype=np.int64)
    answered = np.unique(asks[inside])
    group[inside] = answered.searchsorted(asks[inside])
    alone = np.flatnonzero(~inside)
    group[alone] = len(answered) + np.arange(len(alone))
    return group, read.alt.copy(), inside


class LearnedExplanation(ArrayExplanation):
    """The engine's votes and reasons, with learned grades, accuracies and copying."""

    def __init__(self, case: Case, read: Read, *, learned: _Learned, **arrays: Any) -> None:
        super().__init__(case, read, **arrays)
        self.learned = learned

    def grade(self, row: int) -> str:
        """The analyst's grade, or the learned letter with the accuracy behind it."""
        origin = self.read.origins[self.read.v_origin[row]]
        source = self.case.sources.get(origin)
        if source is not None and source.reliability is not None:
            label = source.reliability.value
        else:
            label = f"learned {super().grade(row)}"
        learned = self.learned.grades.get(origin)
        return f"{label}, accuracy {learned.accuracy:.2f}" if learned else label

    def more_reasons(self, claim: int, rows: list[int], votes: tuple[Vote, ...]) -> list[str]:  # noqa: ARG002 - the claim is in the rows
        """Who likely copies whom among the claim's supporters, and what their votes keep.

        Every vote a copy discount applies to is named, with the origins it likely copies.
        """
        copied = self._copied
        if not copied:
            return []
        out = []
        fit = self.learned.fit
        ids = fit.rows.origin_ids
        for row, vote in zip(rows, votes, strict=True):
            if vote.stance is not Stance.ASSERTS or row not in copied:
                continue
            keeps = float(fit.independence[row])
            partners = fit.partners(row)
            if partners:  # every discount is named: these pairs are find_copying's
                names = ", ".join(self.name(ids[q]) for q in sorted(partners, key=ids.__getitem__))
                out.append(
                    f"{self.name(vote.origin)} likely copies {names} (shared answers, no "
                    f"declared chain); its vote keeps {keeps:.0%} of its weight."
                )
        return out

    @functools.cached_property
    def _copied(self) -> frozenset[int]:
        # the rows a copy discount applies to: most claims have none, and need not look
        return frozenset(self.learned.fit.copied.tolist())
