"""The case read as votes: one sort groups the attributions by claim and origin.

An origin's attributions on one claim make a group; the group's latest stance is its
vote (see :func:`~claimtrack.engine._rules.latest_run`). Everything is kept as arrays
over attributions, groups and votes, so the judgement and the explanation read the same.
"""

from __future__ import annotations

import itertools
import operator

from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np

from claimtrack.engine._origins import Echo, find_echoes, origin_map, when_key
from claimtrack.engine._rules import (
    MODE_OPENNESS,
    RETRACT,
    STANCE_CODES,
    Bools,
    Floats,
    Ints,
    codes,
    latest_run,
)
from claimtrack.engine._settings import Settings
from claimtrack.model import Attribution, Case, Credibility


_ABOUT_OF = operator.attrgetter("about")
# the analyst's digit, as part of the key of a combination of factor inputs (0: none given)
_CREDIBILITY_KEYS: dict[Credibility | None, int] = {None: 0} | {
    c: k + 1 for k, c in enumerate(Credibility)
}


@attrs.frozen(eq=False)
class Read:
    """The votes of a case as arrays; the attributions of unknown claims are kept apart.

    Groups come sorted by claim (in the case's order), then by origin (in order of first
    appearance). Claims the case lacks (an invalid case) are numbered after its own
    claims: their attributions are grouped and warned of, but never vote.
    """

    ids: list[str]
    """The claim ids, in the case's order, then any unknown claims an attribution names."""
    count: int
    """How many of :attr:`ids` are claims of the case."""
    where: dict[str, int]
    origins: list[str]
    """The origins, in order of first appearance (after ``via`` chains, when merged)."""
    echoes: list[Echo]
    alt: Ints
    """Per claim: how many answers compete for its question (1 if none)."""
    asked: list[str | None]
    """Per claim: its question's id, if any."""
    question: Ints
    """Per claim: its question's position among the case's questions; -1 if none."""
    exclusive: Bools
    """Per question: whether it admits only one answer."""
    asks: Ints
    """Per claim: its question's position among the exclusive questions; -1 if none."""
    ci: Ints
    """Per attribution: its claim."""
    stance: Ints
    """Per attribution: its stance's code."""
    mode: Ints
    """Per attribution: its mode's code."""
    interested: list[int]
    """The positions of attributions whose speaker speaks about its own side."""
    repeated: list[tuple[int, str, str, tuple[str, ...]]]
    """Origins two or more outlets carry on a claim: first position, claim, origin, outlets."""
    order: Ints
    """The attributions' positions, grouped: each group's run is ascending."""
    starts: Ints
    """Per group: where its run starts in :attr:`order`."""
    ends: Ints
    g_claim: Ints
    g_origin: Ints
    current: dict[int, list[int]]
    """Per group whose stance changed: the positions of the run that counts."""
    v_group: Ints
    """Per vote: its group; votes are the groups whose last word was not a retraction."""
    v_claim: Ints
    v_origin: Ints
    v_stance: Ints
    v_factor: Floats
    v_mode: Ints

    def positions(self, group: int) -> list[int]:
        """The positions of the attributions that make a group's vote, ascending."""
        found = self.current.get(group)
        if found is not None:
            return sorted(found)
        return self.order[self.starts[group] : self.ends[group]].tolist()  # type: ignore[no-any-return]

    def said(self, group: int) -> list[int]:
        """The positions of every attribution of a group, ascending."""
        return self.order[self.starts[group] : self.ends[group]].tolist()  # type: ignore[no-any-return]


class Reader:
    """Reads a snapshot of a case into :class:`Read`; its state is dropped once read."""

    def __init__(self, case: Case, settings: Settings, claim_index: Sequence[int] | None) -> None:
        self.case = case
        self.settings = settings
        self.atts = case.attributions
        self.claims = case.claims
        self.questions = case.questions
        self.documents = case.documents
        self.claim_index = claim_index
        self.belongs: dict[str, set[str]] = {}

    def read(self) -> Read:  # noqa: PLR0915 - one pass, kept whole so the arrays read in order
        """The votes as arrays, grouped by claim and origin with one sort."""
        atts, settings = self.atts, self.settings
        n = len(atts)
        ids = list(self.claims)
        count = len(ids)
        where = {cid: k for k, cid in enumerate(ids)}
        ci = self._claim_positions(where)
        echoes = find_echoes(self.case)
        if settings.merge_echoes:
            origin_of = list(origin_map(self.case, merge_echoes=True, echoes=echoes).values())
        else:
            origin_of = [a.source for a in atts]
        origins = list(dict.fromkeys(origin_of))
        place = {o: k for k, o in enumerate(origins)}
        oi = np.fromiter(map(place.__getitem__, origin_of), np.int64, n)
        stance = codes([a.stance for a in atts], STANCE_CODES)
        mode = codes([a.mode for a in atts], MODE_OPENNESS)
        cred = codes([a.credibility for a in atts], _CREDIBILITY_KEYS)

        concerned, interested = self._concerned(ci, count)
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

        def reduce(ufunc: np.ufunc, values: Ints | Floats | Bools) -> Any:
            return ufunc.reduceat(values, starts) if n else values

        low = reduce(np.minimum, s_sorted)
        high = reduce(np.maximum, s_sorted)
        retracted = reduce(np.maximum, s_sorted == RETRACT).astype(bool)
        regular = (low == high) & ~retracted
        g_stance = low.copy()
        g_factor = reduce(np.maximum, factor[order])
        g_mode = reduce(np.minimum, mode[order])
        g_first = order[starts]
        g_claim = ci[g_first]
        g_origin = oi[g_first]
        keep = regular.copy()
        current: dict[int, list[int]] = {}
        for g in np.flatnonzero(~regular).tolist():
            run = self._current(order[starts[g] : ends[g]].tolist())
            if run:
                current[g] = run
                keep[g] = True
                g_stance[g] = stance[run[-1]]
                g_factor[g] = max(factor[run].tolist())
                g_mode[g] = min(mode[run].tolist())
        keep &= g_claim < count  # an unknown claim has no vote
        v_group = np.flatnonzero(keep)
        names = ids + self._unknown
        return Read(
            ids=ids,
            count=count,
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
            repeated=self._repeated(
                order=order,
                starts=starts,
                ends=ends,
                size=size,
                g_origin=g_origin,
                g_claim=g_claim,
                origins=origins,
                names=names,
            ),
            order=order,
            starts=starts,
            ends=ends,
            g_claim=g_claim,
            g_origin=g_origin,
            current=current,
            v_group=v_group,
            v_claim=g_claim[v_group],
            v_origin=g_origin[v_group],
            v_stance=g_stance[v_group],
            v_factor=g_factor[v_group],
            v_mode=g_mode[v_group],
        )

    # ---- per attribution ----------------------------------------------------------------

    def _claim_positions(self, where: dict[str, int]) -> Ints:
        """Each attribution's claim as a position; unknown claims numbered after the case's.

        The loader finds the positions on the way; only attributions added since are
        looked up.
        """
        atts, known = self.atts, self.claim_index
        done = 0 if known is None else min(len(known), len(atts))
        self._unknown: list[str] = []
        try:
            tail = np.fromiter(
                map(where.__getitem__, [a.claim for a in atts[done:]]), np.int64, len(atts) - done
            )
        except KeyError:  # an invalid case: attributions of claims it lacks
            extended = dict(where)
            for a in atts[done:]:
                if a.claim not in extended:
                    extended[a.claim] = len(extended)
                    self._unknown.append(a.claim)
            tail = np.fromiter(
                map(extended.__getitem__, [a.claim for a in atts[done:]]),
                np.int64,
                len(atts) - done,
            )
        if known is None or not done:
            return tail
        return np.concatenate([np.asarray(known, dtype=np.int64)[:done], tail])

    def _concerned(self, ci: Ints, count: int) -> tuple[Ints, list[int]]:
        """Which attributions speak about their speaker's own side, as flags and positions."""
        concerned = np.zeros(len(ci), dtype=np.int64)
        if not any(map(_ABOUT_OF, self.claims.values())):  # no claim is about a side
            return concerned, []
        about = {k: set(c.about) for k, c in enumerate(self.claims.values()) if c.about}
        has = np.zeros(count + len(self._unknown), dtype=bool)
        has[list(about)] = True
        atts = self.atts
        found = [
            i
            for i, c in zip(np.flatnonzero(has[ci]).tolist(), ci[has[ci]].tolist(), strict=True)
            if self.interested(atts[i], about[c])
        ]
        concerned[found] = 1
        return concerned, found

    def interested(self, att: Attribution, about: set[str]) -> bool:
        """:meth:`Case.is_interested`, with what each source belongs to worked out once."""
        belongs = self.belongs.get(att.source)
        if belongs is None:
            belongs = self.belongs[att.source] = self.case.belongs_to(att.source)
        return not belongs.isdisjoint(about)

    def _factors(self, combination: Ints) -> Floats:
        """Each attribution's factor, from :meth:`Settings.factor` once per combination."""
        if not len(combination):
            return np.zeros(0)
        kinds, first, back = np.unique(combination, return_index=True, return_inverse=True)
        table = [
            self.settings.factor(self.atts[i], interested=bool(k & 1))
            for k, i in zip(kinds.tolist(), first.tolist(), strict=True)
        ]
        return np.array(table, dtype=np.float64)[back.reshape(-1)]

    def _current(self, items: list[int]) -> list[int]:
        """The positions of the run of an origin's latest stance (:func:`latest_run`)."""
        atts, case = self.atts, self.case
        said = sorted(items, key=lambda i: when_key(case, atts[i], i))
        return [said[k] for k in latest_run([atts[i].stance for i in said])]

    # ---- per claim and question ---------------------------------------------------------

    def _questions(self) -> tuple[list[str | None], Ints, Bools, Ints, Ints]:
        """Where each claim's question is, and how many answers compete with it.

        Returns:
            Per claim its question's id (None if none) and its position among the
            questions (-1 if none); per question whether it is exclusive; per claim its
            exclusive question's position among the exclusive ones (-1 if none); and per
            claim the number of answers competing in that question (1 for a claim that
            competes alone).
        """
        numbered = {qid: k for k, qid in enumerate(self.questions)}
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

    def _repeated(
        self,
        *,
        order: Ints,
        starts: Ints,
        ends: Ints,
        size: Ints,
        g_origin: Ints,
        g_claim: Ints,
        origins: list[str],
        names: list[str],
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
        known: dict[str | None, int] = {None: -1}
        pub = np.fromiter((known.setdefault(x, len(known)) for x in named), np.int64, len(named))
        mine = np.fromiter(
            (known.get(origins[o], -2) for o in g_origin[multi][group_of].tolist()), np.int64
        )
        valid = (pub >= 0) & (pub != mine)
        pairs = np.unique(group_of[valid] * (len(known) + 1) + pub[valid])
        distinct = np.bincount(pairs // (len(known) + 1), minlength=len(multi))
        out = []
        for g in multi[distinct > 1].tolist():
            origin = origins[g_origin[g]]
            found = self.publishers(origin, order[starts[g] : ends[g]].tolist())
            if len(found) > 1:
                out.append((found[0][0], names[g_claim[g]], origin, tuple(p for _, p in found)))
        out.sort()
        return out

    def publishers(self, origin: str, items: list[int]) -> list[tuple[int, str]]:
        """The outlets other than *origin* that carry *items*, each with its first position."""
        documents, atts = self.documents, self.atts
        found: dict[str, int] = {}
        for i in items:
            ref = atts[i].document
            doc = documents.get(ref) if ref is not None else None
            if doc is not None and doc.publisher != origin and doc.publisher not in found:
                found[doc.publisher] = i
        return [(i, p) for p, i in found.items()]
