"""The confidence engine's fast path: the numbers in tight loops, the sentences on demand.

:func:`quick` gives exactly what the plain engine (:func:`~claimtrack.engine._assess.assess_reference`)
gives. It groups the attributions once, by claim and origin, weighs each origin's vote as a
plain tuple, and works out the hypotheses and conflicting pairs of a question once per
shape of its answers. Votes and reasons, which only a reader needs, are built from a
snapshot of the case by the plain engine's own code when first read.
"""

from __future__ import annotations

import functools
import math

from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from typing import Any

from claimtrack.engine._assess import (
    _CREDIBLE,
    _GRADE_ORDER,
    Assessment,
    Assessments,
    Confidence,
    Estimate,
    Explanation,
    Figures,
    Notice,
    Settings,
    Status,
    Vote,
    _confidence,
    _credibility,
    _Engine,
    _high,
    _low,
    _weighted_median,
)
from claimtrack.engine._contradictions import (
    Contradiction,
    answers_by_question,
    cells,
    declared_compatible,
    declared_contradictions,
    find_contradictions,
    shape,
)
from claimtrack.engine._origins import Echo, find_echoes, origin_map, when_key
from claimtrack.files._bulk import gc_paused
from claimtrack.model._case import Case
from claimtrack.model._records import Attribution, Claim, Credibility, Mode, Reliability, Stance


_ASSERTS = Stance.ASSERTS
_DENIES = Stance.DENIES
_DOUBTS = Stance.DOUBTS
_RETRACTS = Stance.RETRACTS
_PURPORTED = Mode.PURPORTED
_ON_RECORD = Mode.ON_RECORD
_MODES = tuple(Mode)
_MODE_RANK = {id(m): i for i, m in enumerate(_MODES)}  # by id: enum members hash slowly
_GRADE_RANK = {g: i for i, g in enumerate(_GRADE_ORDER)}

# One origin's vote, as the numbers need it: stance, weight, mode, grade and its rank.
_Tally = tuple[Stance, float, Mode, Reliability, int]


def quick(case: Case, settings: Settings, *, vectorised: bool | None = None) -> Assessments:
    """Assess every claim of *case*: the same result as the plain engine, computed in bulk.

    With numpy installed (``claimtrack[fast]``) the arithmetic runs on arrays; without it,
    in pure Python. *vectorised* forces one or the other (None: numpy when installed).
    The collector is paused meanwhile, as the loader does: the run makes many small
    objects and no cycles, and on a large case the collector would otherwise walk the
    whole case again and again for nothing.
    """
    with gc_paused():
        return _engine(vectorised)(case, settings).run()


def _engine(vectorised: bool | None) -> type[_Quick]:
    """The numpy path when asked for or available, else the pure-Python one."""
    if vectorised is False:
        return _Quick
    try:
        from claimtrack.engine._arrays import _Vector  # noqa: PLC0415 - numpy is optional
    except ImportError:
        if vectorised:
            raise
        return _Quick
    return _Vector


class _Quick:
    """One run of the fast path; its state is dropped once the assessments are made."""

    def __init__(self, case: Case, settings: Settings) -> None:
        self.settings = settings
        self.atts: Sequence[Attribution] = case.attributions
        self.claim_index = case._claim_index  # noqa: SLF001 - the loader's, if it is current
        # copies of the case's own dicts: copying through the read-only views is ten times slower
        self.sources = case._sources.copy()  # noqa: SLF001
        self.documents = case._documents.copy()  # noqa: SLF001
        self.questions = case._questions.copy()  # noqa: SLF001
        self.claims = case._claims.copy()  # noqa: SLF001
        # the snapshot holds these very dicts, so the run reads plain dicts, not proxies
        self.case = Case(
            case.title,
            case.description,
            self.sources,
            self.documents,
            self.questions,
            self.claims,
            list(self.atts),
            list(case.relations),
            case.text_dirs,
            case.path,
        )
        self.belongs: dict[str, set[str]] = {}

    @functools.cached_property
    def answers(self) -> dict[str, list[Claim]]:
        """The claims of each question, in the case's order; grouped when first needed."""
        return answers_by_question(self.case)

    def run(self) -> Assessments:
        """Votes, hypotheses, judgements, warnings and figures, in the plain engine's order."""
        echoes = find_echoes(self.case)
        said, purported, retracting = self._group(echoes)
        rivals_of = {
            qid: len(self.answers.get(qid, ()))
            for qid, question in self.questions.items()
            if question.exclusive
        }
        alternatives = {
            cid: rivals_of.get(claim.question, 1) if claim.question else 1
            for cid, claim in self.claims.items()
        }
        tallies, supported, interested, repeated = self._tally(said, alternatives)
        fsum = math.fsum
        score = {
            cid: fsum([v[1] if v[0] is _ASSERTS else -v[1] for v in vs])
            for cid, vs in tallies.items()
        }
        contradictions = find_contradictions(self.case, self.answers)
        probability = self._compete(score)
        rivals = rival_claims(contradictions)
        backed = {cid for cid, found in rivals.items() if not supported.isdisjoint(found)}
        explanation = self._explainer(
            lambda: said, alternatives, lambda: backed_rivals(contradictions, supported)
        )
        judged = self._judge(probability, tallies, backed, retracting, explanation)
        warnings = self._warnings(echoes, repeated, purported, interested)
        return Assessments(
            tuple(judged),
            tuple(contradictions),
            tuple(warnings),
            tuple(self._figures(probability, {a.claim: a.status for a in judged})),
        )

    def _explainer(
        self,
        said: Callable[[], dict[str, dict[str, list[int]]]],
        alternatives: Mapping[str, int],
        backed: Callable[[], dict[str, list[str]]],
    ) -> _Explainer:
        """What builds each assessment's votes and reasons when they are first read."""
        return _Explainer(
            self.case,
            self.settings,
            said=said,
            alternatives=alternatives,
            backed=backed,
        )

    # ---- grouping and votes -------------------------------------------------------------

    def _group(
        self, echoes: list[Echo]
    ) -> tuple[dict[str, dict[str, list[int]]], list[int], set[str]]:
        """Positions of attributions by claim and origin; purported ones; claims retracted."""
        said: dict[str, dict[str, list[int]]] = {}
        purported: list[int] = []
        retracting: set[str] = set()
        origins = (
            origin_map(self.case, merge_echoes=True, echoes=echoes)
            if self.settings.merge_echoes
            else None
        )
        for i, att in enumerate(self.atts):
            claim = att.claim
            origin = att.source if origins is None else origins[i]
            by = said.get(claim)
            if by is None:
                said[claim] = {origin: [i]}
            else:
                items = by.get(origin)
                if items is None:
                    by[origin] = [i]
                else:
                    items.append(i)
            if att.mode is _PURPORTED:
                purported.append(i)
            if att.stance is _RETRACTS:
                retracting.add(claim)
        return said, purported, retracting

    def _tally(  # noqa: C901, PLR0912, PLR0915 - the inner loop, kept flat to stay fast
        self, said: dict[str, dict[str, list[int]]], alternatives: Mapping[str, int]
    ) -> tuple[
        dict[str, list[_Tally]], set[str], list[int], list[tuple[int, str, str, tuple[str, ...]]]
    ]:
        """Each claim's votes as tuples, and what the warnings and statuses need.

        Returns the tallies by claim, the claims with weighty support, the positions of
        interested attributions, and the origins that several outlets repeat on one claim.
        """
        settings, atts, claims = self.settings, self.atts, self.claims
        # Enum members hash in Python code, so the caches are keyed by numbers and ids.
        known: dict[str, tuple[Reliability, int, float, float]] = {}
        asserting: dict[tuple[float, int], float] = {}
        factors: dict[tuple[int, int, bool], float] = {}
        doubt = settings.doubt
        log = math.log
        tallies: dict[str, list[_Tally]] = {}
        supported: set[str] = set()
        interested: list[int] = []
        repeated: list[tuple[int, str, str, tuple[str, ...]]] = []
        for cid, by in said.items():
            claim = claims.get(cid)
            if claim is None:  # not in a valid case; only its warnings are due
                repeated += self._repeats(cid, by)
                continue
            about = set(claim.about) if claim.about else None
            alt = alternatives[cid]
            out: list[_Tally] = []
            for origin, items in by.items():
                if about is not None:
                    interested += [i for i in items if self._interested(atts[i], about)]
                if len(items) == 1:
                    att = atts[items[0]]
                    stance = att.stance
                    if stance is _RETRACTS:
                        continue
                    mode = att.mode
                    concerned = about is not None and self._interested(att, about)
                    if mode is _ON_RECORD and att.credibility is None and not concerned:
                        factor = 1.0  # what Settings.factor gives when nothing discounts
                    else:
                        key = (id(mode), id(att.credibility), concerned)
                        found = factors.get(key)
                        if found is None:
                            found = factors[key] = settings.factor(att, interested=concerned)
                        factor = found
                else:
                    repeat = self._publishers(origin, items)
                    if repeat is not None:
                        repeated.append((repeat[0], cid, origin, repeat[1]))
                    current = [atts[i] for i in items]
                    stance = current[0].stance
                    # one stance throughout: the latest run is all of them, in any order
                    if stance is _RETRACTS or any(a.stance is not stance for a in current):
                        current = [atts[i] for i in self._current(items)]
                        if not current:
                            continue
                        stance = current[-1].stance
                    factor = max(
                        settings.factor(
                            a, interested=about is not None and self._interested(a, about)
                        )
                        for a in current
                    )
                    mode = _MODES[min([_MODE_RANK[id(a.mode)] for a in current])]
                grade_odds = known.get(origin)
                if grade_odds is None:
                    grade_odds = known[origin] = self._odds(origin)
                grade, order, odds, against = grade_odds
                # the plain engine's base weight: ln(n·odds) for, ln(odds) against, ≥ 0
                if stance is _ASSERTS:
                    key2 = (odds, alt)
                    base = asserting.get(key2)
                    if base is None:
                        base = asserting[key2] = max(0.0, log(alt * odds))
                    weight = base * factor
                    if weight > 0:
                        supported.add(cid)
                elif stance is _DOUBTS:
                    weight = against * doubt * factor
                else:
                    weight = against * factor
                out.append((stance, weight, mode, grade, order))
            tallies[cid] = out
        repeated.sort()
        return tallies, supported, sorted(interested), repeated

    def _repeats(
        self, cid: str, by: dict[str, list[int]]
    ) -> list[tuple[int, str, str, tuple[str, ...]]]:
        found = [(origin, self._publishers(origin, items)) for origin, items in by.items()]
        return [(r[0], cid, origin, r[1]) for origin, r in found if r is not None]

    def _odds(self, origin: str) -> tuple[Reliability, int, float, float]:
        """An origin's grade and its rank, the odds that it is right, and a denial's weight."""
        source = self.sources.get(origin)
        grade = source.reliability if source else None
        accuracy = self.settings.accuracy.of(grade)
        odds = accuracy / (1 - accuracy)
        letter = grade or Reliability.F
        return letter, _GRADE_RANK[letter], odds, max(0.0, math.log(odds))

    def _current(self, items: list[int]) -> list[int]:
        """The positions of the run of the origin's latest stance, as the plain engine finds it."""
        atts, case = self.atts, self.case
        current: list[int] = []
        for i in sorted(items, key=lambda i: when_key(case, atts[i], i)):
            stance = atts[i].stance
            if stance is _RETRACTS:
                current = []
            elif current and atts[current[-1]].stance is stance:
                current.append(i)
            else:
                current = [i]
        return current

    def _publishers(self, origin: str, items: list[int]) -> tuple[int, tuple[str, ...]] | None:
        """Where two or more outlets carry one origin: the first position, and the outlets."""
        documents, atts = self.documents, self.atts
        first = -1
        found: dict[str, None] = {}
        for i in items:
            ref = atts[i].document
            doc = documents.get(ref) if ref is not None else None
            if doc is not None and doc.publisher != origin:
                if first < 0:
                    first = i
                found[doc.publisher] = None
        return (first, tuple(found)) if len(found) > 1 else None

    def _interested(self, att: Attribution, about: set[str]) -> bool:
        """:meth:`Case.is_interested`, with what each source belongs to worked out once."""
        belongs = self.belongs.get(att.source)
        if belongs is None:
            belongs = self.belongs[att.source] = self.case.belongs_to(att.source)
        return not belongs.isdisjoint(about)

    # ---- competition --------------------------------------------------------------------

    def _compete(self, score: Mapping[str, float]) -> dict[str, float]:
        """Each claim's probability: answers of exclusive questions compete, others alone."""
        compatible = declared_compatible(self.case)
        clash = declared_contradictions(self.case)
        related = {cid for pair in compatible | clash for cid in pair}
        # the hypotheses of answers no relation names depend only on their counts, in order
        shapes: dict[tuple[object, ...], tuple[list[tuple[int, ...]], list[tuple[int, ...]]]] = {}
        probability: dict[str, float] = {}
        fsum, exp, get = math.fsum, math.exp, score.get
        for qid, question in self.questions.items():
            answers = self.answers.get(qid)
            if not question.exclusive or not answers:
                continue
            if related and not related.isdisjoint(c.id for c in answers):
                _softmax(
                    [list(cell) for cell in cells(answers, compatible, clash)], score, probability
                )
                continue
            key = tuple(map(shape, answers))
            found = shapes.get(key)
            if found is None:
                found = shapes[key] = _positions(answers)
            held, member = found
            cell_scores = [fsum([get(answers[p].id, 0.0) for p in cell]) for cell in held]
            top = max(0.0, *cell_scores)
            exps = [exp(s - top) for s in cell_scores]
            total = fsum(exps) + exp(-top)
            for c, inside in zip(answers, member, strict=True):
                if inside:
                    probability[c.id] = min(1.0, fsum([exps[k] for k in inside]) / total)
        for cid in self.claims:
            if cid not in probability:
                s = fsum([score.get(cid, 0.0)])
                top = max(0.0, s)
                e = exp(s - top)
                probability[cid] = min(1.0, fsum([e]) / (fsum([e]) + exp(-top)))
        return probability

    # ---- judgement ----------------------------------------------------------------------

    def _judge(  # noqa: C901, PLR0912 - one flat loop over every claim
        self,
        probability: Mapping[str, float],
        tallies: Mapping[str, list[_Tally]],
        backed: set[str],
        retracting: set[str],
        explanation: Any,
    ) -> list[Assessment]:
        """Every claim's judgement by the plain engine's rules.

        Votes and reasons are left to *explanation*, which builds them when read.
        """
        out: list[Assessment] = []
        append = out.append
        estimate, fsum = Estimate.of, math.fsum
        for cid, claim in self.claims.items():
            p = probability[cid]
            votes = tallies.get(cid)
            if not votes:
                status = Status.RETRACTED if cid in retracting else Status.UNVERIFIED
                confidence = Confidence.LOW
                credibility = Credibility.CANNOT_BE_JUDGED
                letter = Reliability.F
            elif len(votes) == 1:  # the plain rules, worked out for a lone vote
                stance, weight, mode, letter, _ = votes[0]
                agreeing = 0
                if stance is _ASSERTS:
                    agreeing = weight > 0
                    if mode is _PURPORTED:
                        status = Status.UNVERIFIED
                    elif weight < 0.0:
                        status = Status.DENIED
                    else:
                        status = Status.CONTESTED if cid in backed else Status.SINGLE_SOURCE
                elif stance is _DENIES:
                    status = Status.DENIED
                else:
                    status = Status.RETRACTED if cid in retracting else Status.UNVERIFIED
                confidence = Confidence.LOW  # one origin at most carries weight
                credibility = _credibility(p, agreeing, status, has_votes=True)
            else:
                pro = [v for v in votes if v[0] is _ASSERTS]
                con = [v for v in votes if v[0] is not _ASSERTS] if len(pro) < len(votes) else []
                denials = [v for v in con if v[0] is _DENIES]
                if not pro and not denials:
                    status = Status.RETRACTED if cid in retracting else Status.UNVERIFIED
                elif pro and not denials and all(v[2] is _PURPORTED for v in pro):
                    status = Status.UNVERIFIED
                elif not pro or fsum([v[1] for v in denials]) > fsum([v[1] for v in pro]):
                    status = Status.DENIED
                elif denials or cid in backed or any(v[0] is _DOUBTS and v[1] > 0 for v in con):
                    status = Status.CONTESTED
                else:
                    status = Status.CORROBORATED if len(pro) > 1 else Status.SINGLE_SOURCE
                side = denials if status is Status.DENIED else pro
                grades = [v[3] for v in side if v[1] > 0]
                confidence = _confidence(
                    len(grades),
                    grades,
                    status,
                    disagreement=status is Status.CONTESTED
                    or (status is Status.DENIED and bool(pro)),
                )[0]
                agreeing = sum(v[1] > 0 for v in pro)
                credibility = _credibility(p, agreeing, status, has_votes=True)
                letter = _GRADE_ORDER[min([v[4] for v in (pro or con)])]
            append(
                Assessment(
                    cid,
                    claim.question,
                    p,
                    estimate(p),
                    confidence,
                    credibility,
                    letter,
                    status,
                    explanation,  # votes and reasons, built when read
                    explanation,
                )
            )
        return out

    # ---- warnings and figures -------------------------------------------------------------

    def _name(self, source: str) -> str:
        found = self.sources.get(source)
        return found.name if found else source

    def _warnings(
        self,
        echoes: list[Echo],
        repeated: list[tuple[int, str, str, tuple[str, ...]]],
        purported: list[int],
        interested: list[int],
    ) -> list[Notice]:
        name = self._name
        out = [Notice.circular(e, merged=self.settings.merge_echoes) for e in echoes]
        out += [
            Notice.repeated(claim, name(origin), [name(p) for p in publishers])
            for _, claim, origin, publishers in repeated
        ]
        flagged = set(purported)
        concerned = set(interested)
        for i in sorted(flagged | concerned):
            att = self.atts[i]
            if i in flagged:
                out.append(Notice.purported(i, name(att.source), att.claim))
            if i in concerned:
                out.append(Notice.interested(i, name(att.source), att.claim))
        return out

    def _figures(
        self, probability: Mapping[str, float], status: Mapping[str, Status]
    ) -> Iterator[Figures]:
        for qid in self.questions:
            credible = [
                c
                for c in self.answers.get(qid, ())
                if c.value is not None and status[c.id] in _CREDIBLE
            ]
            if not credible:
                continue
            units = {c.value.unit for c in credible if c.value}
            if len(units) > 1:
                continue
            lows = [_low(c) for c in credible]
            highs = [_high(c) for c in credible]
            points = sorted(
                [
                    ((lo + hi) / 2, probability[c.id])
                    for c, lo, hi in zip(credible, lows, highs, strict=True)
                ]
            )
            yield Figures(qid, min(lows), _weighted_median(points), max(highs), units.pop())


def rival_claims(contradictions: Sequence[Contradiction]) -> dict[str, list[str]]:
    """The claims each claim contradicts, from the contradictions found."""
    rivals: dict[str, list[str]] = defaultdict(list)
    for c in contradictions:
        rivals[c.claims[0]].append(c.claims[1])
        rivals[c.claims[1]].append(c.claims[0])
    return rivals


def backed_rivals(
    contradictions: Sequence[Contradiction], supported: Collection[str]
) -> dict[str, list[str]]:
    """For each claim, the claims contradicting it that have weighty support of their own."""
    rivals = rival_claims(contradictions)
    return {cid: [r for r in found if r in supported] for cid, found in rivals.items()}


def _positions(answers: Sequence[Claim]) -> tuple[list[tuple[int, ...]], list[tuple[int, ...]]]:
    """The hypotheses of *answers* as positions, and for each answer the hypotheses holding it."""
    where = {c.id: p for p, c in enumerate(answers)}
    held = [tuple(where[cid] for cid in cell) for cell in cells(answers, set())]
    member = [tuple(k for k, cell in enumerate(held) if p in cell) for p in range(len(answers))]
    return held, member


def _softmax(
    cells_: list[list[str]], score: Mapping[str, float], probability: dict[str, float]
) -> None:
    """The plain engine's softmax over hypotheses and "none of these", into *probability*."""
    fsum, exp = math.fsum, math.exp
    cell_scores = [fsum([score.get(cid, 0.0) for cid in cell]) for cell in cells_]
    top = max(0.0, *cell_scores)
    exps = [exp(s - top) for s in cell_scores]
    total = fsum(exps) + exp(-top)
    share: dict[str, list[float]] = {}
    for cell, e in zip(cells_, exps, strict=True):
        for cid in cell:
            found = share.get(cid)
            if found is None:
                share[cid] = [e]
            else:
                found.append(e)
    for cid, parts in share.items():
        probability[cid] = min(1.0, fsum(parts) / total)


class _Explainer(_Engine, Explanation):
    """The plain engine's votes and reasons for one claim at a time, on a snapshot."""

    def __init__(
        self,
        case: Case,
        settings: Settings,
        *,
        said: Callable[[], dict[str, dict[str, list[int]]]],
        alternatives: Mapping[str, int],
        backed: Callable[[], dict[str, list[str]]],
    ) -> None:
        self.case = case
        self.settings = settings
        self.group = said
        self.positions: dict[str, dict[str, list[int]]] | None = None
        self.counts = alternatives
        self.find_backed = backed
        self.backed: dict[str, list[str]] | None = None
        self.claims = case.claims  # the snapshot's own: it is never changed
        self.atts = case.attributions

    def _said_of(self, claim: str) -> dict[str, list[tuple[int, Attribution]]]:
        atts = self.atts
        if self.positions is None:  # grouped on first read: a bulk run may not need it
            self.positions = self.group()
        return {
            origin: [(i, atts[i]) for i in items]
            for origin, items in self.positions.get(claim, {}).items()
        }

    def _alternatives(self, claim: Claim) -> int:
        return self.counts[claim.id]

    def votes_of(self, assessment: Assessment) -> tuple[Vote, ...]:
        return tuple(self._votes(self.claims[assessment.claim]))

    def reasons_of(self, assessment: Assessment) -> tuple[str, ...]:
        claim = self.claims[assessment.claim]
        mine = list(assessment.votes)
        pro = [v for v in mine if v.stance is Stance.ASSERTS]
        con = [v for v in mine if v.stance is not Stance.ASSERTS]
        if self.backed is None:  # paired on first read, as the votes are grouped
            self.backed = self.find_backed()
        backed = self.backed.get(claim.id, [])
        confidence, why = self._assurance(assessment.status, pro, con)
        reasons = self._reasons(claim, assessment.probability, mine, backed)
        reasons.append(f"Analytic confidence is {confidence.value}: {why}.")
        return tuple(reasons)
