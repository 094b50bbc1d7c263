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

from claimtrack.engine._joint import stands_aside, superseded
from claimtrack.engine._origins import Echo, find_echoes, origins, when_key
from claimtrack.engine._rules import (
    ASSERT,
    MODE_OPENNESS,
    RETRACT,
    STAKE_CODES,
    STAKES,
    STANCE_CODES,
    Bools,
    Floats,
    Ints,
    codes,
    latest_run,
)
from claimtrack.engine._settings import Settings
from claimtrack.engine._stakes import Stake, stakes
from claimtrack.model import Case, Credibility, Hedge, Stance


_WITHDRAWS_OF = operator.attrgetter("withdraws")
# the analyst's digit, as part of the key of a combination of factor inputs (0: none given)
_CREDIBILITY_KEYS: dict[Credibility | None, int] = {None: 0} | {
    c: k + 1 for k, c in enumerate(Credibility)
}
# the speaker's hedge, likewise (0: none given)
_HEDGE_KEYS: dict[Hedge | None, int] = {None: 0} | {h: k + 1 for k, h in enumerate(Hedge)}
_HEDGES: list[Hedge | None] = sorted(_HEDGE_KEYS, key=_HEDGE_KEYS.__getitem__)


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
    """Per claim: how many answers compete for its question (1 if none): those that take part."""
    active: Bools
    """Per claim: whether it takes part in the competition: not a superseded figure, nor aside."""
    aside: Bools
    """Per claim: an answer nobody asserts, standing aside (see :func:`stands_aside`)."""
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
    voice: list[str]
    """Per attribution: the source it counts as (:meth:`Case.speaks_as`)."""
    factor: Floats
    """Per attribution: the share of its origin's weight it carries."""
    stake: Ints
    """Per attribution: the code of its speaker's stake (see ``STAKE_CODES``)."""
    staked: list[int]
    """The positions of attributions whose speaker has a stake in them."""
    withdrawn: dict[int, int]
    """The positions of attributions another withdraws (``withdraws``), to the withdrawing one."""
    lone: list[int]
    """The positions of retractions that withdraw nothing: nothing said before them."""
    retracted: set[int]
    """The groups whose last word was their origin's own retraction."""
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

    def read(self) -> Read:  # noqa: PLR0915 - one pass, kept whole so the arrays read in order
        """The votes as arrays, grouped by claim and origin with one sort."""
        atts, settings = self.atts, self.settings
        n = len(atts)
        ids = list(self.claims)
        count = len(ids)
        where = {cid: k for k, cid in enumerate(ids)}
        ci = self._claim_positions(where)
        echoes = find_echoes(self.case)
        voice = self.case.speakers_as()
        origin_of = origins(
            self.case, merge_echoes=settings.merge_echoes, echoes=echoes, voice=voice
        )
        named = list(dict.fromkeys(origin_of))
        place = {o: k for k, o in enumerate(named)}
        oi = np.fromiter(map(place.__getitem__, origin_of), np.int64, n)
        stance = codes([a.stance for a in atts], STANCE_CODES)
        mode = codes([a.mode for a in atts], MODE_OPENNESS)
        cred = codes([a.credibility for a in atts], _CREDIBILITY_KEYS)
        hedge = codes([a.hedge for a in atts], _HEDGE_KEYS)
        found_stakes = stakes(self.case)
        if found_stakes is None:
            stake = np.zeros(n, dtype=np.int64)
        else:
            stake = codes(found_stakes, STAKE_CODES)
        staked = np.flatnonzero(stake != STAKE_CODES[Stake.NONE]).tolist()
        kinds = (len(MODE_OPENNESS), len(_CREDIBILITY_KEYS), len(STAKES), len(_HEDGE_KEYS))
        factor = self._factors(np.ravel_multi_index((mode, cred, stake, hedge), kinds), kinds)
        self.excluded, withdrawn = self._withdrawals()
        asked, question, exclusive, asks = self._questions()

        # group by claim, then origin: the groups come out sorted by claim
        key = ci * max(1, len(named)) + oi
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
        if self.excluded:  # a group with a withdrawn or withdrawing attribution is read whole
            touched = np.zeros(n, dtype=bool)
            touched[list(self.excluded)] = True
            regular &= ~reduce(np.maximum, touched[order])
        g_stance = low.copy()
        g_factor = reduce(np.maximum, factor[order])
        g_mode = reduce(np.minimum, mode[order])
        g_first = order[starts]
        g_claim = ci[g_first]
        g_origin = oi[g_first]
        keep = regular.copy()
        current: dict[int, list[int]] = {}
        self.lone: list[int] = []
        self_retracted: set[int] = set()
        for g in np.flatnonzero(~regular).tolist():
            run, own = self._current(order[starts[g] : ends[g]].tolist())
            if own:
                self_retracted.add(g)
            if run:
                current[g] = run
                keep[g] = True
                g_stance[g] = stance[run[-1]]
                g_factor[g] = max(factor[run].tolist())
                g_mode[g] = min(mode[run].tolist())
        keep &= g_claim < count  # an unknown claim has no vote
        v_group = np.flatnonzero(keep)
        active, aside, alt = self._taking_part(asks, ci[stance == ASSERT], count)
        names = ids + self._unknown
        return Read(
            ids=ids,
            count=count,
            where=where,
            origins=named,
            echoes=echoes,
            alt=alt,
            active=active,
            aside=aside,
            asked=asked,
            question=question,
            exclusive=exclusive,
            asks=asks,
            ci=ci,
            stance=stance,
            mode=mode,
            voice=voice,
            factor=factor,
            stake=stake,
            staked=staked,
            withdrawn=withdrawn,
            lone=sorted(self.lone),
            retracted=self_retracted,
            repeated=self._repeated(
                order=order,
                starts=starts,
                ends=ends,
                size=size,
                g_origin=g_origin,
                g_claim=g_claim,
                origins=named,
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

    def _factors(self, combination: Ints, kinds: tuple[int, ...]) -> Floats:
        """Each attribution's factor, from :meth:`Settings.factor` once per combination.

        *combination* numbers each attribution's mode, credibility, stake and hedge as one
        index over *kinds*, the sizes of their codes.
        """
        if not len(combination):
            return np.zeros(0)
        found, first, back = np.unique(combination, return_index=True, return_inverse=True)
        table = []
        for k, i in zip(found.tolist(), first.tolist(), strict=True):
            stake = np.unravel_index(k, kinds)[2]
            table.append(self.settings.factor(self.atts[i], stake=STAKES[int(stake)]))
        return np.array(table, dtype=np.float64)[back.reshape(-1)]

    def _withdrawals(self) -> tuple[set[int], dict[int, int]]:
        """Attributions that withdraw another by id, and those they withdraw.

        Returns the positions of both (neither votes), and each withdrawn position with
        the position of the attribution withdrawing it. A ``withdraws`` naming nothing, or
        an attribution of another claim, withdraws nothing (``check`` reports it).
        """
        atts = self.atts
        if not any(map(_WITHDRAWS_OF, atts)):
            return set(), {}
        named = {a.id: i for i, a in enumerate(atts) if a.id is not None}
        withdrawn: dict[int, int] = {}
        excluded: set[int] = set()
        for i, att in enumerate(atts):
            if att.withdraws is None:
                continue
            excluded.add(i)
            j = named.get(att.withdraws)
            if j is not None and j != i and atts[j].claim == att.claim:
                withdrawn.setdefault(j, i)
        return excluded | set(withdrawn), withdrawn

    def _current(self, items: list[int]) -> tuple[list[int], bool]:
        """The positions of the run of an origin's latest stance (:func:`latest_run`).

        Attributions withdrawn by another, and those withdrawing, are left out. Also says
        whether the origin's own last word was a retraction; a retraction with nothing
        said before it is noted in :attr:`lone`.
        """
        atts, case, excluded = self.atts, self.case, self.excluded
        said = sorted(
            (i for i in items if i not in excluded), key=lambda i: when_key(case, atts[i], i)
        )
        stances = [atts[i].stance for i in said]
        spoken = False
        for i, stance in zip(said, stances, strict=True):
            if stance is Stance.RETRACTS:
                if not spoken:
                    self.lone.append(i)
            else:
                spoken = True
        run = [said[k] for k in latest_run(stances)]
        return run, spoken and not run

    def _taking_part(self, asks: Ints, asserted: Ints, count: int) -> tuple[Bools, Bools, Ints]:
        """Which claims take part in the competition, which stand aside, and their rivals' count.

        A superseded figure takes no part, nor an answer that stands aside
        (:func:`stands_aside`); *asks* gives each claim's exclusive question (-1 if
        none), *asserted* the claim of each attribution that asserts one.
        """
        active = np.ones(count, dtype=bool)
        old = superseded(self.case)
        where = {cid: k for k, cid in enumerate(self.claims)} if old or self.case.relations else {}
        if old:
            active[[where[cid] for cid in old]] = False
        aside = stands_aside(self.case, asks[:count], asserted, where)
        active &= ~aside
        inside = (asks >= 0) & active
        alt = np.ones(count, dtype=np.int64)
        if inside.any():
            alt[inside] = np.bincount(asks[inside])[asks[inside]]
        return active, aside, alt

    # ---- per claim and question ---------------------------------------------------------

    def _questions(self) -> tuple[list[str | None], Ints, Bools, Ints]:
        """Where each claim's question is, and whether it is exclusive.

        Returns:
            Per claim its question's id (None if none) and its position among the
            questions (-1 if none); per question whether it is exclusive; per claim its
            exclusive question's position among the exclusive ones (-1 if none). How many
            answers compete is known once it is known which take part (``_taking_part``).
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
        return asked, question, exclusive, asks

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
