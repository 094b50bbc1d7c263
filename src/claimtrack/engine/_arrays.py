"""The fast path on numpy: the per-attribution and per-claim arithmetic as flat arrays.

:class:`_Vector` gives what :class:`~claimtrack.engine._quick._Quick` gives, and so what the
plain engine gives, for cases of millions of attributions. Grouping by claim and origin,
weights, tallies, statuses and confidence are array operations; whatever is rare or makes
sentences (mixed stances of one origin, repeated origins, warnings, figures, the
competition of rival answers) goes through the same code as the pure-Python fast path.
Sums that decide a result are taken exactly (``math.fsum``), so the two paths agree to
the last bit. numpy is optional: ``pip install "claimtrack[fast]"``.
"""

from __future__ import annotations

import functools
import itertools
import math
import operator

from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence, Sized
from typing import Any, TypeVar

import attrs
import numpy as np

from claimtrack.engine._assess import (
    _CREDIBLE,
    _EDGES,
    _GRADE_ORDER,
    _STRONG,
    _WEAK,
    _WORDS,
    Assessment,
    Assessments,
    Confidence,
    Figures,
    Status,
)
from claimtrack.engine._contradictions import (
    Contradiction,
    ContradictionKind,
    cells,
    declared_compatible,
    declared_contradictions,
    declared_list,
    derived_once,
    explained_pairs,
    shape,
)
from claimtrack.engine._origins import Echo, find_echoes, origin_map
from claimtrack.engine._quick import _positions, _Quick, _softmax, backed_rivals
from claimtrack.model._records import Claim, Credibility, Mode, Stance


_STANCES = tuple(Stance)
_ASSERT = _STANCES.index(Stance.ASSERTS)
_DENY = _STANCES.index(Stance.DENIES)
_DOUBT = _STANCES.index(Stance.DOUBTS)
_RETRACT = _STANCES.index(Stance.RETRACTS)
_MODES = tuple(Mode)  # the position is the rank the plain engine's mode choice uses
_PURPORT = _MODES.index(Mode.PURPORTED)
_CREDS = (None, *Credibility)
_STATUSES = tuple(Status)
_S = {s: _STATUSES.index(s) for s in Status}
_CONFIDENCES = np.array(tuple(Confidence), dtype=object)
_STATUS_OBJECTS = np.array(_STATUSES, dtype=object)
_CREDIBLE_CODES = np.isin(np.arange(len(_STATUSES)), [_STATUSES.index(s) for s in _CREDIBLE])
_WORD_OBJECTS = np.array(_WORDS, dtype=object)
_GRADE_OBJECTS = np.array(_GRADE_ORDER, dtype=object)
_STRONG_ORDERS = np.isin(np.arange(len(_GRADE_ORDER)), [_GRADE_ORDER.index(g) for g in _STRONG])
_WEAK_ORDERS = np.isin(np.arange(len(_GRADE_ORDER)), [_GRADE_ORDER.index(g) for g in _WEAK])
_CREDIBILITY_OBJECTS = np.array(
    [
        Credibility.CONFIRMED,
        Credibility.PROBABLY_TRUE,
        Credibility.POSSIBLY_TRUE,
        Credibility.DOUBTFUL,
        Credibility.IMPROBABLE,
        Credibility.CANNOT_BE_JUDGED,
    ],
    dtype=object,
)


_T = TypeVar("_T", bound=attrs.AttrsInstance)
_VALUE_OF = operator.attrgetter("value")
_ABOUT_OF = operator.attrgetter("about")

_Ints = np.ndarray[Any, np.dtype[np.int64]]
_Floats = np.ndarray[Any, np.dtype[np.float64]]
_Bools = np.ndarray[Any, np.dtype[np.bool_]]


def _codes(values: list[object], members: Sequence[object]) -> _Ints:
    """Each value's position in *members*, by identity (enum members are singletons); else 0."""
    count = len(values)
    if count and values.count(values[0]) == count:  # one value throughout, as is common
        only = next((k for k, m in enumerate(members) if m is values[0]), 0)
        return np.full(count, only, dtype=np.int64)
    known = np.fromiter(map(id, members), np.int64, len(members))
    order = np.argsort(known)
    ids = np.fromiter(map(id, values), np.int64, count)
    at = np.minimum(np.searchsorted(known[order], ids), len(members) - 1)
    return np.where(known[order][at] == ids, order[at], 0)


@attrs.frozen(eq=False)
class _Read:
    """The case read as votes: one row per origin's current stance on a claim, by claim.

    Rows come sorted by claim (in the case's order), then by origin (in order of first
    appearance); an origin whose latest word on a claim was a retraction has no row.
    """

    ids: list[str]
    """The claim ids, in the case's order."""
    where: dict[str, int]
    origins: list[str]
    """The origins, in order of first appearance (after ``via`` chains, when merged)."""
    echoes: list[Echo]
    alt: _Ints
    """Per claim: how many answers compete for its question (1 if none)."""
    asked: list[str | None]
    """Per claim: its question's id, if any."""
    question: _Ints
    """Per claim: its question's position among the case's questions; -1 if none."""
    exclusive: _Bools
    """Per question: whether it admits only one answer."""
    asks: _Ints
    """Per claim: its question's position among the exclusive questions; -1 if none."""
    ci: _Ints
    """Per attribution: its claim."""
    stance: _Ints
    """Per attribution: its stance's position in :class:`Stance`."""
    mode: _Ints
    interested: list[int]
    repeated: list[tuple[int, str, str, tuple[str, ...]]]
    v_claim: _Ints
    v_origin: _Ints
    v_stance: _Ints
    v_factor: _Floats
    v_mode: _Ints


class _Vector(_Quick):
    """One run of the numpy path; falls back to the pure-Python path for an invalid case."""

    @functools.cached_property
    def _numbered(self) -> dict[str, int]:
        """Each question's position among the questions."""
        return {qid: k for k, qid in enumerate(self.questions)}

    def run(self) -> Assessments:
        """Votes, hypotheses, judgements, warnings and figures, in the plain engine's order."""
        read = self._read() if self.atts else None
        if read is None:
            return super().run()
        v_order, v_weight = self._weigh(read)
        return self._judged(read, v_order, v_weight)

    def _weigh(self, read: _Read) -> tuple[_Ints, _Floats]:
        """Each vote's grade rank and weight; the learned mode learns them instead."""
        return self._weights(
            read.origins, read.v_origin, read.v_stance, read.v_factor, read.alt[read.v_claim]
        )

    def _read(self) -> _Read | None:
        """The votes as arrays, grouped by claim and origin with one sort; None if invalid.

        An attribution of a claim the case does not hold makes the case invalid: the
        pure-Python path then gives what the plain engine gives for it.
        """
        atts, claims, settings = self.atts, self.claims, self.settings
        n = len(atts)
        ids = list(claims)
        where = {cid: k for k, cid in enumerate(ids)}
        ci = self._claim_positions(where)
        if ci is None:  # an attribution of an unknown claim: not a valid case
            return None
        echoes = find_echoes(self.case)
        if settings.merge_echoes:
            origin_of = list(origin_map(self.case, merge_echoes=True, echoes=echoes).values())
        else:
            origin_of = [a.source for a in atts]
        origins = list(dict.fromkeys(origin_of))
        place = {o: k for k, o in enumerate(origins)}
        oi = np.fromiter(map(place.__getitem__, origin_of), np.int64, n)
        stance = _codes([a.stance for a in atts], _STANCES)
        mode = _codes([a.mode for a in atts], _MODES)
        cred = _codes([a.credibility for a in atts], _CREDS)

        concerned, interested = self._concerned(ci)
        factor = self._factors(mode * 16 + cred * 2 + concerned)

        asked, question, exclusive, asks, alt = self._questions()

        # group by claim, then origin: the groups come out sorted by claim
        key = ci * max(1, len(origins)) + oi
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        starts = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]]) if n else order
        ends = np.r_[starts[1:], n].astype(np.int64) if n else order
        size = ends - starts
        s_sorted = stance[order]

        def reduce(ufunc: Any, values: Any) -> Any:
            return ufunc.reduceat(values, starts) if n else values

        low = reduce(np.minimum, s_sorted)
        high = reduce(np.maximum, s_sorted)
        retracted = reduce(np.maximum, s_sorted == _RETRACT)
        regular = (low == high) & ~retracted
        g_stance = low.copy()
        g_factor = reduce(np.maximum, factor[order])
        g_mode = reduce(np.minimum, mode[order])
        g_first = order[starts]
        keep = regular.copy()
        repeated = self._repeated_groups(
            order=order, starts=starts, ends=ends, size=size, oi=oi, origins=origins, ids=ids, ci=ci
        )
        for g in np.flatnonzero(~regular & (size > 1)).tolist():
            current = self._current(order[starts[g] : ends[g]].tolist())
            if current:
                keep[g] = True
                g_stance[g] = stance[current[-1]]
                g_factor[g] = max(factor[current].tolist())
                g_mode[g] = min(mode[current].tolist())
        return _Read(
            ids=ids,
            where=where,
            origins=origins,
            echoes=echoes,
            alt=alt,
            asked=asked,
            question=question,
            exclusive=exclusive,
            asks=asks,
            ci=ci,
            stance=stance,
            mode=mode,
            interested=interested,
            repeated=repeated,
            v_claim=ci[g_first][keep],
            v_origin=oi[g_first][keep],
            v_stance=g_stance[keep],
            v_factor=g_factor[keep],
            v_mode=g_mode[keep],
        )

    def _questions(self) -> tuple[list[str | None], _Ints, _Bools, _Ints, _Ints]:
        """Where each claim's question is, and how many answers compete with it.

        Returns:
            Per claim its question's id (None if none) and its position among the
            questions (-1 if none); per question whether it is exclusive; per claim its
            exclusive question's position among the exclusive ones (-1 if none); and per
            claim the number of answers competing in that question (1 for a claim that
            competes alone).
        """
        numbered = self._numbered
        asked = [c.question for c in self.claims.values()]
        position = map(numbered.get, asked, itertools.repeat(-1))  # type: ignore[arg-type]
        question = np.fromiter(position, np.int64, len(asked))
        exclusive = np.fromiter(
            (q.exclusive for q in self.questions.values()), bool, len(self.questions)
        )
        # a claim with no question, or of a question that admits several, competes alone
        inside = question >= 0
        inside[inside] = exclusive[question[inside]]
        asks = np.full(len(self.claims), -1, dtype=np.int64)
        asks[inside] = (np.cumsum(exclusive) - 1)[question[inside]]
        alt = np.ones(len(self.claims), dtype=np.int64)
        alt[inside] = np.bincount(asks[inside])[asks[inside]]
        return asked, question, exclusive, asks, alt

    @staticmethod
    def _backed(pairs: _Ints, heavy: _Ints, count: int) -> _Bools:
        """Claims contradicted by a claim that has weighty support of its own.

        *pairs* are the contradictions' claims as positions, one row each; -1 where the
        case lacks the claim.
        """
        supported = np.zeros(count, dtype=bool)
        supported[heavy] = True
        pairs = pairs[(pairs >= 0).all(axis=1)]
        backed = np.zeros(count, dtype=bool)
        backed[pairs[supported[pairs[:, 1]], 0]] = True
        backed[pairs[supported[pairs[:, 0]], 1]] = True
        return backed

    def _claim_positions(self, where: dict[str, int]) -> _Ints | None:
        """Each attribution's claim as its position among the claims; None if one is unknown.

        The loader finds them on the way; only attributions added since are looked up.
        """
        atts, known = self.atts, self.claim_index
        done = 0 if known is None else min(len(known), len(atts))
        try:
            tail = np.fromiter(
                map(where.__getitem__, [a.claim for a in atts[done:]]), np.int64, len(atts) - done
            )
        except KeyError:
            return None
        if known is None or not done:
            return tail
        return np.concatenate([np.asarray(known, dtype=np.int64)[:done], tail])

    def _judged(self, read: _Read, v_order: _Ints, v_weight: _Floats) -> Assessments:
        """Scores, competition, judgements, warnings and figures from weighed votes."""
        ids = read.ids
        v_claim, v_stance, v_mode = read.v_claim, read.v_stance, read.v_mode
        v_pro = v_stance == _ASSERT
        v_den = v_stance == _DENY
        v_heavy = v_weight > 0
        signed = np.where(v_pro, v_weight, -v_weight)

        count = len(ids)

        def per_claim(mask: _Bools) -> _Ints:
            return np.bincount(v_claim[mask], minlength=count)

        votes = np.bincount(v_claim, minlength=count)
        first = np.cumsum(votes) - votes
        score = self._scores(votes, first, signed)

        counts = self._shape_codes()
        contradictions, pairs = self._contradictions(read, counts)
        p = self._chances(score, read, counts)
        backed = self._backed(pairs, v_claim[v_pro & v_heavy], count)
        retracting = np.zeros(count, dtype=bool)
        retracting[np.unique(read.ci[read.stance == _RETRACT])] = True

        codes, confidence, credibility, letter = self._judgements(
            p=p,
            votes=votes,
            first=first,
            pro=per_claim(v_pro),
            denials=per_claim(v_den),
            heavy_pro=per_claim(v_pro & v_heavy),
            heavy_den=per_claim(v_den & v_heavy),
            purported_pro=per_claim(v_pro & (v_mode == _PURPORT)),
            doubting=per_claim((v_stance == _DOUBT) & v_heavy),
            strong=(
                per_claim(v_pro & v_heavy & _STRONG_ORDERS[v_order]),
                per_claim(v_den & v_heavy & _STRONG_ORDERS[v_order]),
            ),
            weak=(
                per_claim(v_pro & v_heavy & _WEAK_ORDERS[v_order]),
                per_claim(v_den & v_heavy & _WEAK_ORDERS[v_order]),
            ),
            orders=(v_claim, v_pro, v_order),
            sums=(v_weight, v_stance),
            backed=backed,
            retracting=retracting,
        )
        said, echoes = self._group, read.echoes
        heavy = v_claim[v_pro & v_heavy]
        explanation: Any = self._explainer(
            lambda: said(echoes)[0],
            _PerClaim(read.where, read.alt),
            lambda: backed_rivals(contradictions, {ids[c] for c in np.unique(heavy).tolist()}),
        )
        status = _STATUS_OBJECTS[codes].tolist()
        estimate = _WORD_OBJECTS[np.searchsorted(_EDGES, p, side="right")].tolist()
        judged = _built(
            Assessment,
            count,
            claim=ids,
            question=read.asked,
            probability=p.tolist(),
            estimate=estimate,
            confidence=confidence,
            credibility=credibility,
            reliability=letter,
            status=status,
            votes=itertools.repeat(explanation),
            reasons=itertools.repeat(explanation),
        )
        purported = np.flatnonzero(read.mode == _PURPORT).tolist()
        warnings = self._warnings(echoes, read.repeated, purported, read.interested)
        return Assessments(
            tuple(judged),
            tuple(contradictions),
            tuple(warnings),
            tuple(self._summed_up(p, codes, counts)),
        )

    # ---- per attribution ----------------------------------------------------------------

    def _concerned(self, ci: _Ints) -> tuple[_Ints, list[int]]:
        """Which attributions speak about their speaker's own side, as flags and positions."""
        concerned = np.zeros(len(ci), dtype=np.int64)
        if not any(map(_ABOUT_OF, self.claims.values())):  # no claim is about a side
            return concerned, []
        about = {k: set(c.about) for k, c in enumerate(self.claims.values()) if c.about}
        if not about:
            return concerned, []
        has = np.zeros(len(self.claims), dtype=bool)
        has[list(about)] = True
        atts = self.atts
        found = [
            i
            for i, c in zip(np.flatnonzero(has[ci]).tolist(), ci[has[ci]].tolist(), strict=True)
            if self._interested(atts[i], about[c])
        ]
        concerned[found] = 1
        return concerned, found

    def _factors(self, combination: _Ints) -> _Floats:
        """Each attribution's factor, from Settings.factor once per combination of its inputs."""
        if not len(combination):
            return np.zeros(0)
        kinds, first, back = np.unique(combination, return_index=True, return_inverse=True)
        table = [
            self.settings.factor(self.atts[i], interested=bool(k & 1))
            for k, i in zip(kinds.tolist(), first.tolist(), strict=True)
        ]
        return np.array(table, dtype=np.float64)[back.reshape(-1)]

    def _repeated_groups(
        self,
        *,
        order: _Ints,
        starts: _Ints,
        ends: _Ints,
        size: _Ints,
        oi: _Ints,
        origins: list[str],
        ids: list[str],
        ci: _Ints,
    ) -> list[tuple[int, str, str, tuple[str, ...]]]:
        """Origins on one claim that two or more outlets carry, found with arrays first."""
        multi = np.flatnonzero(size > 1)
        if not len(multi):
            return []
        publisher = {d: doc.publisher for d, doc in self.documents.items()}
        members = order[np.repeat(size > 1, size)]
        group_of = np.repeat(np.arange(len(multi)), size[multi])
        atts = self.atts
        named = [publisher.get(atts[i].document) for i in members.tolist()]
        codes: dict[str | None, int] = {None: -1}
        pub = np.fromiter((codes.setdefault(x, len(codes)) for x in named), np.int64, len(named))
        mine = np.fromiter((codes.get(origins[o], -2) for o in oi[members].tolist()), np.int64)
        valid = (pub >= 0) & (pub != mine)
        pairs = np.unique(group_of[valid] * (len(codes) + 1) + pub[valid])
        distinct = np.bincount(pairs // (len(codes) + 1), minlength=len(multi))
        out = []
        for g in multi[distinct > 1].tolist():
            items = order[starts[g] : ends[g]].tolist()
            origin = origins[oi[items[0]]]
            found = self._publishers(origin, items)
            if found is not None:
                out.append((found[0], ids[ci[items[0]]], origin, found[1]))
        out.sort()
        return out

    # ---- per vote and per claim ---------------------------------------------------------

    def _weights(
        self,
        origins: list[str],
        v_origin: _Ints,
        v_stance: _Ints,
        v_factor: _Floats,
        v_alt: _Ints,
    ) -> tuple[_Ints, _Floats]:
        """Each vote's grade rank and weight, by the plain engine's formulas, bit for bit."""
        odds = [self._odds(o) for o in origins]
        o_order = np.fromiter((x[1] for x in odds), np.int64, len(odds))
        odds_of = {x[1]: x[2] for x in odds}
        against_of = {x[1]: x[3] for x in odds}
        v_order = o_order[v_origin]
        base = np.zeros(len(v_order))
        pro = v_stance == _ASSERT
        if pro.any():
            span = int(v_alt.max()) + 1
            pair = v_order[pro] * span + v_alt[pro]
            kinds, back = np.unique(pair, return_inverse=True)
            logs = [max(0.0, math.log((k % span) * odds_of[k // span])) for k in kinds.tolist()]
            base[pro] = np.array(logs)[back.reshape(-1)]
        doubt = self.settings.doubt
        against = np.zeros(len(_GRADE_ORDER))
        doubted = np.zeros(len(_GRADE_ORDER))
        for k, value in against_of.items():
            against[k] = value
            doubted[k] = value * doubt
        con = ~pro
        base[con] = np.where(v_stance[con] == _DOUBT, doubted[v_order[con]], against[v_order[con]])
        return v_order, base * v_factor

    @staticmethod
    def _scores(votes: _Ints, first: _Ints, signed: _Floats) -> _Floats:
        """Each claim's score: the exact sum of its votes, for and against.

        One or two votes are summed by one IEEE addition, which rounds as ``math.fsum``
        does; only claims with more votes are summed by the standard library.
        """
        scores = np.zeros(len(votes))
        one, two = votes == 1, votes == 2  # noqa: PLR2004
        scores[one] = signed[first[one]]
        scores[two] = signed[first[two]] + signed[first[two] + 1]
        many = np.flatnonzero(votes > 2)  # noqa: PLR2004
        if len(many):
            values, fsum = signed.tolist(), math.fsum
            scores[many] = [
                fsum(values[at : at + k])
                for at, k in zip(first[many].tolist(), votes[many].tolist(), strict=True)
            ]
        return scores

    # ---- competition --------------------------------------------------------------------

    def _chances(self, score: _Floats, read: _Read, counts: _Ints) -> _Floats:
        """Each claim's probability, by ``_Quick._compete``'s rules, a shape of question at a time.

        The questions whose answers have the same counts in the same order share their
        hypotheses, so each such shape is one matrix; sums of more than two terms and
        every ``exp`` are taken by the standard library, as the other path takes them.
        *counts* are :meth:`_shape_codes`.
        """
        where = read.where
        probability = np.full(len(score), np.nan)
        compatible = declared_compatible(self.case)
        clash = declared_contradictions(self.case)
        related = {cid for pair in compatible | clash for cid in pair}
        # a question a relation touches competes by its own cells, one at a time
        for qid in self._touched(related):
            answers = self.answers.get(qid)
            if not self.questions[qid].exclusive or not answers:
                continue
            found: dict[str, float] = {}
            named = {c.id: float(score[where[c.id]]) for c in answers}
            _softmax([list(c) for c in cells(answers, compatible, clash)], named, found)
            for cid, value in found.items():
                probability[where[cid]] = value
        for exclusive, answers, _, at in self._by_shape(read, counts, least=1, skip=related):
            if exclusive:
                held, member = _positions(answers)
                _softmax_rows(score[at], held, member, at, probability)
        alone = np.isnan(probability)
        s = score[alone]
        top = np.maximum(s, 0.0)
        e = _exp(s - top)
        probability[alone] = np.minimum(1.0, e / (e + _exp(-top)))
        return probability

    # ---- questions, a shape at a time -----------------------------------------------------

    def _shape_codes(self) -> _Ints:
        """Per claim: a number for its count, the same for equal counts; 0 for no count."""
        if not any(map(_VALUE_OF, self.claims.values())):  # no counts, as in much bulk data
            return np.zeros(len(self.claims), dtype=np.int64)
        numbers: dict[object, int] = {}
        return np.fromiter(
            (
                0 if c.value is None else numbers.setdefault(shape(c), len(numbers) + 1)
                for c in self.claims.values()
            ),
            np.int64,
            len(self.claims),
        )

    def _touched(self, related: set[str]) -> list[str]:
        """The questions, in the case's order, that have an answer in *related*."""
        touched = {self.claims[c].question for c in related if c in self.claims}
        return [qid for qid in self.questions if qid in touched] if touched else []

    def _by_shape(
        self, read: _Read, counts: _Ints, *, least: int, skip: set[str]
    ) -> Iterator[tuple[bool, list[Claim], _Ints, _Ints]]:
        """The questions with at least *least* answers, grouped by shape, leaving out *skip*.

        Two questions share a shape when both admit one answer or both several, and their
        answers have the same *counts* (:meth:`_shape_codes`) in the same order. Per
        shape: whether exclusive, the answers of one of its questions, the questions'
        positions and their answers' positions, one row per question, in the case's order.
        A question with an answer in *skip* is left out.
        """
        question = read.question
        answered = np.flatnonzero(question >= 0)
        order = answered[np.argsort(question[answered], kind="stable")]
        asked = question[order]
        if not len(asked):
            return
        starts = np.flatnonzero(np.r_[True, asked[1:] != asked[:-1]])
        sizes = np.diff(np.r_[starts, len(asked)])
        keep = sizes >= least
        left_out = [read.where[c] for c in skip if c in read.where]
        if left_out:
            out = np.zeros(len(question), dtype=bool)
            out[left_out] = True
            keep &= ~np.maximum.reduceat(out[order], starts)
        claims = list(self.claims.values())
        for m in np.unique(sizes[keep]).tolist():
            first = starts[keep & (sizes == m)]
            at = order[first[:, None] + np.arange(m)]
            questions = asked[first]
            exclusive = read.exclusive[questions]
            # rows of the same shape next to each other, each run in the case's order
            key = np.column_stack([exclusive, counts[at]])
            by = np.lexsort(key.T[::-1])
            ordered = key[by]
            cuts = np.flatnonzero((ordered[1:] != ordered[:-1]).any(axis=1)) + 1
            for rows in np.split(by, cuts):
                one = rows[0]
                answers = [claims[k] for k in at[one].tolist()]
                yield bool(exclusive[one]), answers, questions[rows], at[rows]

    def _contradictions(self, read: _Read, counts: _Ints) -> tuple[list[Contradiction], _Ints]:
        """:func:`find_contradictions`, a shape of question at a time; and the pairs as positions.

        The pairs' claims are positions among the claims, one row per contradiction in no
        particular order, -1 where the case lacks a declared contradiction's claim.
        """
        case, where = self.case, read.where
        out, seen = declared_list(case)
        compatible = declared_compatible(case)
        related = {cid for pair in seen | compatible for cid in pair}
        # what a relation touches goes one question at a time, as find_contradictions goes
        touched: list[tuple[int, list[Contradiction]]] = []
        numbered = self._numbered
        for qid in self._touched(related):
            found = self.answers.get(qid, [])
            if len(found) >= 2:  # noqa: PLR2004 - a pair needs two
                pairs = explained_pairs(found, exclusive=self.questions[qid].exclusive)
                touched.append((numbered[qid], derived_once(qid, found, pairs, seen, compatible)))
        # the rest by shape: each shape's pairs repeat in each of its questions
        parts: list[tuple[_Ints, _Ints, _Ints, _Ints, _Ints]] = []
        made: list[tuple[ContradictionKind, str]] = []
        for exclusive, answers, questions, at in self._by_shape(
            read, counts, least=2, skip=related
        ):
            pairs = explained_pairs(answers, exclusive=exclusive)
            if not pairs:
                continue
            i, j, kind, reason = zip(*pairs, strict=True)
            rank = np.arange(len(pairs))
            parts.append(
                (
                    np.repeat(questions, len(pairs)),
                    np.tile(rank, len(questions)),
                    at[:, list(i)].ravel(),
                    at[:, list(j)].ravel(),
                    np.tile(len(made) + rank, len(questions)),
                )
            )
            made += zip(kind, reason, strict=True)
        none = np.zeros(0, dtype=np.int64)
        q, rank, a, b, why = (
            (np.concatenate(c) for c in zip(*parts, strict=True)) if parts else [none] * 5
        )
        order = np.lexsort((rank, q))
        q, a, b, why = q[order], a[order], b[order], why[order]
        names, name = list(self.questions), read.ids.__getitem__
        kinds, texts = [k for k, _ in made], [r for _, r in made]
        # declared ones, and those of touched questions: their claims looked up by id
        by_id = [c.claims for c in out] + [c.claims for _, found in touched for c in found]
        done = 0
        for position, derived in [*touched, (len(names), [])]:
            upto = int(q.searchsorted(position))
            why_here = why[done:upto].tolist()
            out += _built(
                Contradiction,
                upto - done,
                claims=list(
                    zip(
                        map(name, a[done:upto].tolist()),
                        map(name, b[done:upto].tolist()),
                        strict=True,
                    )
                ),
                kind=list(map(kinds.__getitem__, why_here)),
                reason=list(map(texts.__getitem__, why_here)),
                question=list(map(names.__getitem__, q[done:upto].tolist())),
            )
            out += derived
            done = upto
        named = np.array(
            [[where.get(x, -1), where.get(y, -1)] for x, y in by_id], dtype=np.int64
        ).reshape(-1, 2)
        return out, np.concatenate([np.column_stack([a, b]), named])

    def _judgements(
        self,
        *,
        p: _Floats,
        votes: _Ints,
        first: _Ints,
        pro: _Ints,
        denials: _Ints,
        heavy_pro: _Ints,
        heavy_den: _Ints,
        purported_pro: _Ints,
        doubting: _Ints,
        strong: tuple[_Ints, _Ints],
        weak: tuple[_Ints, _Ints],
        orders: tuple[_Ints, _Bools, _Ints],
        sums: tuple[_Floats, _Ints],
        backed: _Bools,
        retracting: _Bools,
    ) -> tuple[_Ints, list[Confidence], list[Credibility], list[Any]]:
        """Status, confidence, credibility and grade of every claim, by the plain rules."""
        count = len(votes)
        outweighed = self._outweighed(votes, first, pro, denials, sums)
        silent = np.where(retracting, _S[Status.RETRACTED], _S[Status.UNVERIFIED])
        status = np.where(
            (pro == 0) & (denials == 0),
            silent,
            np.where(
                (pro > 0) & (denials == 0) & (purported_pro == pro),
                _S[Status.UNVERIFIED],
                np.where(
                    (pro == 0) | outweighed,
                    _S[Status.DENIED],
                    np.where(
                        (denials > 0) | backed | (doubting > 0),
                        _S[Status.CONTESTED],
                        np.where(pro > 1, _S[Status.CORROBORATED], _S[Status.SINGLE_SOURCE]),
                    ),
                ),
            ),
        )
        denied = status == _S[Status.DENIED]
        n = np.where(denied, heavy_den, heavy_pro)
        disagreement = (status == _S[Status.CONTESTED]) | (denied & (pro > 0))
        weak_n = np.where(denied, weak[1], weak[0])
        strong_n = np.where(denied, strong[1], strong[0])
        low = (n <= 1) | disagreement | (status == _S[Status.UNVERIFIED]) | (weak_n == n)
        confidence = np.where(low, 0, np.where(strong_n > 0, 2, 1))
        confidence[votes == 0] = 0
        edges = np.searchsorted([0.20, 0.45, 0.70], p, side="right")  # 0 improbable .. 3 probably
        credibility = np.where(
            votes == 0,
            5,
            np.where(
                (heavy_pro >= 2) & (p >= 0.80) & (status == _S[Status.CORROBORATED]),  # noqa: PLR2004
                0,
                4 - edges,
            ),
        )
        v_claim, v_pro, v_order = orders
        best = np.full(count, len(_GRADE_ORDER) - 1, dtype=np.int64)
        side = v_pro | (pro[v_claim] == 0)  # the supporters, or every vote where none support
        np.minimum.at(best, v_claim[side], v_order[side])
        return (
            status,
            _CONFIDENCES[confidence].tolist(),
            _CREDIBILITY_OBJECTS[credibility].tolist(),
            _GRADE_OBJECTS[best].tolist(),
        )

    def _summed_up(self, p: _Floats, status: _Ints, counts: _Ints) -> list[Figures]:
        """``_Quick._figures`` on arrays: low, weighted median and high of credible counts.

        *counts* are :meth:`_shape_codes`: only claims with a count are looked at.
        """
        numbered = self._numbered
        rows: list[tuple[int, float, float, str | None, int]] = []
        claims = list(self.claims.values())
        for k in np.flatnonzero(_CREDIBLE_CODES[status] & (counts > 0)).tolist():
            claim = claims[k]
            v = claim.value
            if v is None or claim.question is None:
                continue
            q = numbered.get(claim.question)
            if q is not None:
                bottom = v.low if v.low is not None else v.high
                top = v.high if v.high is not None else v.low
                rows.append((q, float(bottom), float(top), v.unit, k))  # type: ignore[arg-type]
        if not rows:
            return []
        questions, low, high, unit, positions = zip(*rows, strict=True)
        units = {u: n for n, u in enumerate(dict.fromkeys(unit))}
        qa = np.array(questions, dtype=np.int64)
        kinds = np.unique(qa * len(units) + np.fromiter(map(units.__getitem__, unit), np.int64))
        single = np.bincount(kinds // len(units), minlength=len(self.questions)) == 1
        keep = single[qa]
        if not keep.any():
            return []
        qa, lo, hi = qa[keep], np.array(low)[keep], np.array(high)[keep]
        weight = p[np.array(positions, dtype=np.int64)[keep]]
        unit_of = [u for u, ok in zip(unit, keep.tolist(), strict=True) if ok]
        mid = (lo + hi) / 2
        order = np.lexsort((weight, mid, qa))
        qa, mid, weight = qa[order], mid[order], weight[order]
        starts = np.flatnonzero(np.r_[True, qa[1:] != qa[:-1]])
        sizes = np.diff(np.r_[starts, len(qa)])
        column = np.arange(len(qa)) - np.repeat(starts, sizes)
        # running sums one question per row, added left to right as the plain engine adds
        padded = np.zeros((len(starts), int(sizes.max())))
        padded[np.repeat(np.arange(len(starts)), sizes), column] = weight
        run = np.cumsum(padded, axis=1)
        total = run[np.arange(len(starts)), sizes - 1]
        reached = run >= (total / 2)[:, None]
        pick = np.where(
            total <= 0,
            sizes // 2,
            np.where(reached.any(axis=1), reached.argmax(axis=1), sizes - 1),
        )
        best = mid[starts + pick]
        lows = np.minimum.reduceat(lo[order], starts)
        highs = np.maximum.reduceat(hi[order], starts)
        names = list(self.questions)
        first_unit = [unit_of[i] for i in order[starts].tolist()]
        return [
            Figures(names[qi], a, b, c, u)
            for qi, a, b, c, u in zip(
                qa[starts].tolist(),
                lows.tolist(),
                best.tolist(),
                highs.tolist(),
                first_unit,
                strict=True,
            )
        ]

    @staticmethod
    def _outweighed(
        votes: _Ints, first: _Ints, pro: _Ints, denials: _Ints, sums: tuple[_Floats, _Ints]
    ) -> _Bools:
        """Claims whose denials weigh more than their support, as exact sums would say.

        numpy's sums are within a hair of the exact ones; only where the two sides are
        that close are they summed again exactly.
        """
        weights, stances = sums
        count = len(votes)
        claim = np.repeat(np.arange(count), votes)
        against = np.bincount(claim, np.where(stances == _DENY, weights, 0.0), count)
        support = np.bincount(claim, np.where(stances == _ASSERT, weights, 0.0), count)
        out = (pro > 0) & (denials > 0) & (against > support)
        close = np.abs(against - support) <= 1e-9 * (against + support)
        near = np.flatnonzero((pro > 0) & (denials > 0) & close)
        if not len(near):
            return out
        w, s = weights.tolist(), stances.tolist()
        fsum = math.fsum
        for c in near.tolist():
            at, k = int(first[c]), int(votes[c])
            mine = list(zip(w[at : at + k], s[at : at + k], strict=True))
            out[c] = fsum([x for x, y in mine if y == _DENY]) > fsum(
                [x for x, y in mine if y == _ASSERT]
            )
        return out


def _exp(values: _Floats) -> _Floats:
    """``math.exp`` of every value: numpy's own may differ in the last bit."""
    return np.array(list(map(math.exp, values.ravel().tolist()))).reshape(values.shape)


def _sums(columns: list[_Floats]) -> _Floats:
    """Row-wise sums of *columns*, rounded once as ``math.fsum`` rounds them."""
    if len(columns) == 1:
        return columns[0]
    if len(columns) == 2:  # noqa: PLR2004 - one IEEE addition is already correctly rounded
        return columns[0] + columns[1]
    return np.array(list(map(math.fsum, np.column_stack(columns).tolist())))


def _softmax_rows(
    scores: _Floats,
    held: list[tuple[int, ...]],
    member: list[tuple[int, ...]],
    at: _Ints,
    probability: _Floats,
) -> None:
    """``_softmax`` for many questions of one shape at once: one row per question."""
    if not held:
        return
    cell = np.column_stack([_sums([scores[:, p] for p in positions]) for positions in held])
    top = np.maximum(cell.max(axis=1), 0.0)
    exps = _exp(cell - top[:, None])
    total = _sums([exps[:, k] for k in range(exps.shape[1])]) + _exp(-top)
    for p, inside in enumerate(member):
        if inside:
            share = _sums([exps[:, k] for k in inside])
            probability[at[:, p]] = np.minimum(1.0, share / total)


def _built(cls: type[_T], count: int, **columns: Iterable[Any]) -> list[_T]:
    """*count* instances of the frozen attrs class *cls*, one per row of *columns*, a column at a time.

    Setting each slot over a whole column takes about half the time of calling ``__init__``
    once per instance, which matters for hundreds of thousands of them. It skips ``__init__``,
    so a class with a validator, converter or ``__attrs_post_init__`` is refused; every
    field must be given, each column as a sequence of *count* values or an endless iterator.
    """
    fields = attrs.fields(cls)
    if (
        any(f.validator or f.converter for f in fields)
        or hasattr(cls, "__attrs_post_init__")
        or {f.name for f in fields} != set(columns)
        or any(isinstance(c, Sized) and len(c) != count for c in columns.values())
    ):
        msg = f"{cls.__name__} cannot be built a column at a time from these columns"
        raise TypeError(msg)
    out = list(map(object.__new__, itertools.repeat(cls, count)))
    for name, column in columns.items():
        slot = cls.__dict__[name]
        slot = getattr(slot, "slot", slot)  # a deferred slot is set underneath
        deque(map(slot.__set__, out, column), maxlen=0)
    return out


class _PerClaim(Mapping[str, int]):
    """A number per claim id, read from an array by the claim's position when asked for."""

    def __init__(self, where: dict[str, int], numbers: _Ints) -> None:
        self._where = where
        self._numbers = numbers

    def __getitem__(self, claim: str) -> int:
        return int(self._numbers[self._where[claim]])

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)
