"""Votes and reasons, built from the arrays the judgement was made from, many claims at once.

Nothing here decides: each sentence reads a number the rules already computed (a vote's
weight, a claim's confidence rule), so a reason can never disagree with its judgement.

A writer going through a large case asks for a few thousand claims at a time
(:meth:`ArrayExplanation.explain_many`); one claim read alone is a batch of one, so a
claim's votes and reasons are the same sentences whichever way they were asked for.
"""

from __future__ import annotations

import functools
import operator

from collections.abc import Callable, Sequence

import numpy as np

from claimtrack.engine._assessment import Assessment, Explanation, Vote
from claimtrack.engine._joint import Group, Parts
from claimtrack.engine._reading import Read
from claimtrack.engine._rules import (
    CONFIDENCE_RULES,
    GRADES,
    MODES,
    STAKE_CODES,
    STAKES,
    STANCE_RULES,
    STANCES,
    Floats,
    Ints,
    shares,
)
from claimtrack.engine._scales import Estimate
from claimtrack.engine._settings import HEDGE_SHARES
from claimtrack.engine._stakes import DISCOUNTED, STAKE_REASONS, Stake, stake_reason
from claimtrack.model import Case, Hedge, Mode, Stance


_AHEAD = 512
"""The most claims :meth:`ArrayExplanation.explain` explains ahead of their reading."""
_LISTED = tuple(s for s, rule in STANCE_RULES.items() if rule.listed is not None)
"""The stances whose origins the reasons list, in the order they list them."""


class ArrayExplanation(Explanation):
    """The votes and reasons of every claim of one run of the engine.

    Args:
        case: The snapshot of the case the run judged (later edits do not reach it).
        read: The run's votes as arrays.
        weight: Per vote, its weight; *rank*: per vote, its origin's grade rank.
        probability: Per claim, its probability.
        rule: Per claim, the confidence rule that holds (see ``CONFIDENCE_RULES``), and
            *side* the weighty origins it counted.
        backed: Gives, for each claim, the rivals with weighty support of their own;
            called once, when a reason is first read.
        correlation: The run's :attr:`Settings.correlation`, to say how support diminishes.
        groups: The groups of linked questions the run judged jointly.
    """

    def __init__(
        self,
        case: Case,
        read: Read,
        *,
        weight: Floats,
        rank: Ints,
        probability: Floats,
        rule: Ints,
        side: Ints,
        backed: Callable[[], dict[str, list[str]]],
        correlation: float,
        groups: Sequence[Group] = (),
    ) -> None:
        self.case = case
        self.read = read
        self.weight = weight
        self.rank = rank
        self.probability = probability
        self.rule = rule
        self.side = side
        self._backed = backed
        self.correlation = correlation
        self.groups = groups
        # sentences many claims share, each made once: keyed by what they read
        self._heads: dict[tuple[Stance, int], str] = {}
        self._sides: dict[tuple[int, int], list[str]] = {}
        self._levels: dict[tuple[int, int], str] = {}
        self._vias: dict[tuple[str, ...], str] = {}
        # the claims explained ahead of their reading (see explain), and where reading is
        self._ahead: dict[int, tuple[tuple[Vote, ...], tuple[str, ...]]] = {}
        self._size, self._next = 1, 0

    # ---- votes ------------------------------------------------------------------------

    def rows(self, claim: int) -> list[int]:
        """The claim's vote rows, strongest first, then by origin id."""
        col = self._columns
        at = col.first[claim]
        return col.strongest[at : at + col.count[claim]].tolist()  # type: ignore[no-any-return]

    @functools.cached_property
    def _columns(self) -> _Columns:
        # the run's arrays as Python lists, made once: votes read them item by item
        return _Columns(self)

    def votes_of(self, assessment: Assessment) -> tuple[Vote, ...]:
        """Every origin's vote on the assessed claim, strongest first."""
        return self.explain(assessment)[0]

    def reasons_of(self, assessment: Assessment) -> tuple[str, ...]:
        """Why, in plain sentences: the votes, what discounts them, rivals and confidence."""
        return self.explain(assessment)[1]

    def explain(self, assessment: Assessment) -> tuple[tuple[Vote, ...], tuple[str, ...]]:
        """The votes and reasons of one claim, as :meth:`explain_many` builds them.

        Claims read one after another in the run's order (a report, a writer) are
        explained ahead, a batch at a time: each batch twice the last, up to
        :data:`_AHEAD` claims, the only ones held. A claim read out of order is explained
        alone.
        """
        c = self.read.where[assessment.claim]
        found = self._ahead.get(c)
        if found is not None:
            return found
        size = min(2 * self._size, _AHEAD) if c == self._next else 1
        claims = list(range(c, min(c + size, self.read.count))) or [c]
        done = self._explain(claims)
        if size > 1:
            self._ahead = dict(zip(claims, done, strict=True))
            self._size, self._next = size, claims[-1] + 1
        else:
            self._size, self._next = 1, c + 1
        return done[0]

    def explain_many(
        self, assessments: Sequence[Assessment]
    ) -> list[tuple[tuple[Vote, ...], tuple[str, ...]]]:
        """The votes and reasons of each assessment of this run, in order, built together.

        The votes of all the claims are built in one pass over their rows, and what
        many claims share (an origin's name and grade, a count of origins) is said once.
        """
        where = self.read.where
        return self._explain([where[a.claim] for a in assessments])

    def votes_many(self, assessments: Sequence[Assessment]) -> list[tuple[Vote, ...]]:
        """The votes of each assessment of this run, in order, built together without reasons.

        What a table of counts needs (how many origins assert or deny each claim): the
        votes alone cost a fraction of the sentences that explain them.
        """
        where = self.read.where
        claims = [where[a.claim] for a in assessments]
        ordered = [self.rows(c) for c in claims]
        votes, _ = self._votes([r for rows in ordered for r in rows])
        out = []
        at = 0
        for rows in ordered:
            out.append(tuple(votes[at : at + len(rows)]))
            at += len(rows)
        return out

    def _explain(self, claims: list[int]) -> list[tuple[tuple[Vote, ...], tuple[str, ...]]]:
        """The votes and reasons of the claims at positions *claims*, in order."""
        ordered = [self.rows(c) for c in claims]
        flat = [r for rows in ordered for r in rows]
        votes, loud = self._votes(flat)
        listed = self._listed(flat, votes)
        out = []
        at = 0
        reasons = self._reasons
        for c, rows in zip(claims, ordered, strict=True):
            end = at + len(rows)
            mine = tuple(votes[at:end])
            out.append((mine, reasons(c, rows, mine, listed[at:end], loud[at:end])))
            at = end
        return out

    def _votes(self, rows: list[int]) -> tuple[list[Vote], list[bool]]:
        """The votes of *rows*; and whether each may have reasons of its own to give.

        A vote of one attribution (most of them) is read straight from the columns, a
        column at a time: its outlets, speakers, stake and evidence are those of its one
        attribution. Any other goes through :meth:`vote`. Whether a vote may have reasons
        of its own is a cheap test, true whenever :meth:`_vote_reasons` says anything.
        """
        col = self._columns
        # per row, its one attribution; -1 (the last attribution, a stand-in) for a vote
        # on several, whose vote :meth:`vote` builds instead below
        read = self.read
        which = np.array(rows, dtype=np.int64)
        at: list[int] = col.single[which].tolist()
        origins = read.origins
        origin = [origins[o] for o in read.v_origin[which].tolist()]
        stance = [STANCES[k] for k in read.v_stance[which].tolist()]
        weight: list[float] = col.weight[which].tolist()
        mode = [MODES[k] for k in read.v_mode[which].tolist()]
        votes = list(
            map(
                Vote,
                origin,
                stance,
                weight,
                [(i,) for i in at],
                [
                    (p,) if p is not None and p != o else ()
                    for p, o in zip(map(col.publisher.__getitem__, at), origin, strict=True)
                ],
                map(col.discounted.__getitem__, at),
                mode,
                map(col.stake_of.__getitem__, at),
                map(col.hedge.__getitem__, at),
                [
                    (s,) if s != o else ()
                    for s, o in zip(map(col.source.__getitem__, at), origin, strict=True)
                ],
                map(col.evidence.__getitem__, at),
            )
        )
        purported, doubts = Mode.PURPORTED, Stance.DOUBTS
        loud = [
            said or m is purported or (w == 0 and s is not doubts)
            for said, m, w, s in zip(
                map(col.loud.__getitem__, at), mode, weight, stance, strict=True
            )
        ]
        if -1 in at:
            for k, i in enumerate(at):
                if i < 0:
                    votes[k] = self.vote(rows[k])
                    loud[k] = True
        return votes, loud

    def vote(self, row: int) -> Vote:
        """The vote of one row: the attributions behind it, its outlets, stake and mode."""
        col, read = self._columns, self.read
        origin = read.origins[int(read.v_origin[row])]
        positions = read.positions(int(read.v_group[row]))
        publishers = {p for p in (col.publisher[i] for i in positions) if p is not None}
        # the attribution whose factor the vote carries: the largest, the first of those
        factor = read.factor
        counts = (
            max(positions, key=lambda i: (factor[i], -i)) if len(positions) > 1 else positions[0]
        )
        speakers = {col.source[i] for i in positions} - {origin}
        evidence = dict.fromkeys(item for i in positions for item in col.atts[i].based_on)
        return Vote(
            origin,
            STANCES[int(read.v_stance[row])],
            float(col.weight[row]),
            tuple(positions),
            tuple(sorted(publishers - {origin})),
            any(col.discounted[i] for i in positions),
            MODES[int(read.v_mode[row])],
            col.stake_of[counts],
            col.hedge[counts],
            tuple(sorted(speakers)),
            tuple(evidence),
        )

    # ---- reasons ----------------------------------------------------------------------

    def _listed(self, rows: list[int], votes: list[Vote]) -> list[str]:
        """Each vote as the reasons list it: its origin's name, grade, weight and outlets."""
        vias = self._vias
        for v in votes:
            if v.publishers not in vias:
                names = ", ".join(map(self.name, v.publishers))
                vias[v.publishers] = f", via {names})" if v.publishers else ")"
        found, pair = self._named
        starts = [found[k] for k in pair[np.array(rows, dtype=np.int64)].tolist()]
        return [
            f"{named}{v.weight:.2f}{vias[v.publishers]}"
            for named, v in zip(starts, votes, strict=True)
        ]

    @functools.cached_property
    def _named(self) -> tuple[list[str], Ints]:
        # how a listing starts (its origin's name and grade), once per pair of them; and
        # per vote row, which of those starts it
        read, rank = self.read, self.rank
        key = read.v_origin * (int(rank.max()) + 1 if len(rank) else 1) + rank
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        names = self._columns.named
        found = [
            f"{names[o]} ({self.grade(r)}, weight "
            for r, o in zip(first.tolist(), read.v_origin[first].tolist(), strict=True)
        ]
        return found, inverse.ravel()

    def _reasons(
        self,
        c: int,
        rows: list[int],
        votes: tuple[Vote, ...],
        listed: list[str],
        loud: list[bool],
    ) -> tuple[str, ...]:
        """The reasons of the claim at *c*, whose vote rows, votes and listings are given.

        *loud* tells, per vote, whether it may have reasons of its own (see :meth:`_votes`).
        """
        col = self._columns
        claim = self.read.ids[c]
        p = col.probability[c]
        out = [f"Estimated {Estimate.of(p)._value_} ({p:.0%})."]
        if votes:
            out += self._said(rows, votes, listed, loud)
        if c in col.retracted:
            out += [
                f"{self.name(origin)} retracted what it said; that no longer counts."
                for origin in col.retracted[c]
            ]
        if claim in col.withdrawn:
            out += self._withdrawals(claim)
        rivals = self._rivals.get(claim)
        if rivals:
            out += [f"Contradicted by claim '{r}', which has support of its own." for r in rivals]
        active = col.active[c]
        if not (active and self._parts.quiet):
            out += self._parts.reasons(claim, active=active)
        if not votes:
            out.append("No source takes a stance on it.")
        out += self.more_reasons(c, rows, votes)
        out.append(self._confidence(col.rule[c], col.side[c]))
        return tuple(out)

    def _said(
        self, rows: list[int], votes: tuple[Vote, ...], listed: list[str], loud: list[bool]
    ) -> list[str]:
        """What a claim's votes say: who takes each stance, each vote's own reasons, returns."""
        out = []
        stances = [v.stance for v in votes]
        first = stances[0]
        if stances.count(first) == len(stances):  # one stance, one listing: most claims
            if first in _LISTED:
                out.append(self._listing(first, listed))
        else:
            for stance in _LISTED:
                group = [d for d, s in zip(listed, stances, strict=True) if s is stance]
                if group:
                    out.append(self._listing(stance, group))
        if True in loud:
            for r, v, flag in zip(rows, votes, loud, strict=True):
                if flag:
                    out += self._vote_reasons(r, v)
        pro = stances.count(Stance.ASSERTS)
        out += self._diminishing(pro, len(votes) - pro)
        return out

    @functools.cached_property
    def _rivals(self) -> dict[str, list[str]]:
        # paired on first read: a bulk run may not need it
        return self._backed()

    @functools.cached_property
    def _parts(self) -> Parts:
        return Parts(self.case, self.groups)

    def _listing(self, stance: Stance, group: list[str]) -> str:
        """The sentence listing the origins that take *stance*: *group*, as :meth:`_listed`."""
        n = len(group)
        head = self._heads.get((stance, n))
        if head is None:
            one, many = STANCE_RULES[stance].listed or ("", "")
            verb = one if n == 1 else many
            head = self._heads[stance, n] = f"{n} independent origin{'s' * (n != 1)} {verb} it: "
        return head + "; ".join(group) + "."

    def _confidence(self, rule: int, side: int) -> str:
        """The sentence of confidence rule *rule*, which counted *side* weighty origins."""
        found = self._levels.get((rule, side))
        if found is None:
            level, why = CONFIDENCE_RULES[rule]
            found = self._levels[rule, side] = (
                f"Analytic confidence is {level.value}: {why.format(n=side)}."
            )
        return found

    def more_reasons(self, claim: int, rows: list[int], votes: tuple[Vote, ...]) -> list[str]:  # noqa: ARG002 - for the learned mode
        """What a mode of the engine adds to a claim's reasons; nothing in the plain mode."""
        return []

    def grade(self, row: int) -> str:
        """The grade a vote's origin counts with, as the reasons show it.

        It may read only the row's origin and grade rank: :attr:`_named` asks once for
        each pair of them.
        """
        return str(GRADES[self.rank[row]].value)

    def name(self, source: str) -> str:
        """A source's name, or its id if the case lacks it."""
        return self._names.get(source, source)

    @functools.cached_property
    def _names(self) -> dict[str, str]:
        # one table for the whole run: the reasons name sources hundreds of thousands of times
        return {sid: s.name for sid, s in self.case.sources.items()}

    def _vote_reasons(self, row: int, v: Vote) -> list[str]:
        """What the analyst should know about one origin's vote.

        :meth:`_votes` skips the votes for which this says nothing; a sentence added here
        needs its condition in that test (and in :attr:`_Columns.loud`) too.
        """
        name = self.name(v.origin)
        out = self._behind(v) if v.evidence or self._columns.spoken else []
        if len(v.publishers) > 1:
            out.append(f"{len(v.publishers)} outlets repeat one origin, {name}: counted once.")
        out += stake_reason(v.stake, name, v.stance)
        if v.hedge is not None:
            out.append(
                f"{name} hedges ('{v.hedge.value}'): its vote carries "
                f"{HEDGE_SHARES[v.hedge]:.0%} of a flat statement's weight."
            )
        if v.mode is Mode.PURPORTED:
            out.append(
                f"The statement in {name}'s name is purported, not verified; its vote is discounted."
            )
        if v.weight == 0 and v.stance is not Stance.DOUBTS:
            out.append(
                f"{name} is graded {GRADES[self.rank[row]].value}, right less often than "
                "needed to move the odds on its own: its vote weighs nothing."
            )
        out += self._before(row, v, name)
        return out

    def _before(self, row: int, v: Vote, name: str) -> list[str]:
        """What the vote's origin said of the claim before its latest stance, if it changed."""
        read = self.read
        group = int(read.v_group[row])
        if group not in read.current:  # the vote rests on all its origin said: nothing before
            return []
        atts = self._columns.atts
        before = {
            atts[i].stance
            for i in read.said(group)
            if i not in v.attributions
            and i not in read.withdrawn
            and atts[i].stance not in (Stance.RETRACTS, v.stance)
        }
        out = []
        if before:
            earlier = " and ".join(r.past for s, r in STANCE_RULES.items() if s in before)
            out.append(
                f"{name} {earlier} it before; only its latest stance, that it "
                f"{STANCE_RULES[v.stance].verb} it, counts."
            )
        return out

    def _behind(self, v: Vote) -> list[str]:
        """Who stands behind a vote besides its origin: spokespeople, shared evidence."""
        read, source = self.read, self._columns.source
        out = []
        folded: dict[str, str] = {}
        for i in v.attributions:
            speaker, body = source[i], read.voice[i]
            if body != speaker:
                folded.setdefault(speaker, body)
        out += [
            f"{self.name(speaker)} speaks for {self.name(body)}; counted with it."
            for speaker, body in sorted(folded.items())
        ]
        voices = {read.voice[i] for i in v.attributions}
        if v.evidence and len(voices) > 1:
            items = ", ".join(self.evidence(e) for e in v.evidence)
            names = ", ".join(self.name(o) for o in sorted(voices))
            out.append(
                f"{len(voices)} origins rest on the same evidence ({items}) and count once, "
                f"as {self.name(v.origin)}: {names}."
            )
        return out

    def evidence(self, item: str) -> str:
        """An item of evidence as the reasons name it: its kind and id."""
        found = self.case.evidence.get(item)
        return f"{found.kind.value} '{item}'" if found else f"'{item}'"

    def _diminishing(self, pro: int, con: int) -> list[str]:
        """How diminishing returns shared out the weight of *pro* supporting, *con* other origins."""
        found = self._sides.get((pro, con))
        if found is not None:
            return found
        out = []
        correlation = self.correlation
        for n, word in ((pro, "supporting"), (con, "disputing")):
            if n > 1 and correlation > 0:
                parts = shares(n, correlation)
                out.append(
                    f"{n} {word} origins are never wholly independent: the strongest counts "
                    f"in full, the next at {parts[1]:.0%} of its weight"
                    + (f", down to {parts[-1]:.0%} for the last." if n > 2 else ".")  # noqa: PLR2004
                )
        self._sides[pro, con] = out
        return out

    def _withdrawals(self, claim: str) -> list[str]:
        """Attributions of the claim that another withdrew, and retractions of nothing."""
        atts = self.case.attributions
        withdrawn, lone = self._columns.withdrawn.get(claim, ([], []))
        out = []
        for j, i in withdrawn:
            by, said = self.name(atts[i].source), self.name(atts[j].source)
            whose = "what it said" if atts[i].source == atts[j].source else f"what {said} said"
            out.append(
                f"{by} withdrew {whose} (attribution '{atts[j].id}'); that no longer counts."
            )
        out += [
            f"{self.name(atts[i].source)} retracts it but had said nothing on it before: "
            "the retraction withdraws nothing."
            for i in lone
        ]
        return out


class _Columns:
    """Per vote row, per attribution and per claim, what votes and reasons read, as lists.

    Reading a numpy array item by item costs more than the item is worth; a run that
    explains many claims reads each of these hundreds of thousands of times. What is read a
    batch of rows or a claim's run at a time (each row's origin, stance, mode, weight and
    one attribution, the rows in order of strength), or only for the few votes that rest
    on several attributions (the run's factors and groups), stays in its array: as lists
    they added about 200 MB to the peak of writing a million attributions' assessments.
    What most cases lack (evidence, withdrawals, retractions) is tested for once, here.
    """

    def __init__(self, run: ArrayExplanation) -> None:
        case, read = run.case, run.read
        atts = self.atts = case.attributions
        n = len(atts)
        documents = case.documents
        published = {did: d.publisher for did, d in documents.items()}
        self.publisher: list[str | None] = list(
            map(published.get, map(operator.attrgetter("document"), atts))
        )
        self.source: list[str] = list(map(operator.attrgetter("source"), atts))
        self.hedge: list[Hedge | None] = list(map(operator.attrgetter("hedge"), atts))
        based_on: list[tuple[str, ...]] = list(map(operator.attrgetter("based_on"), atts))
        self.evidence: list[tuple[str, ...]] = (
            [tuple(dict.fromkeys(b)) if b else () for b in based_on] if any(based_on) else [()] * n
        )
        self.stake_of: list[Stake] = [STAKES[k] for k in read.stake.tolist()]
        self.discounted: list[bool] = np.isin(
            read.stake, [STAKE_CODES[s] for s in DISCOUNTED]
        ).tolist()
        # per attribution: whether, alone in its vote, it gives that vote reasons of its own
        # (a spokesperson's, a stake's or a hedge's; see ArrayExplanation._vote_reasons)
        telling = np.isin(read.stake, [STAKE_CODES[s] for s in STAKE_REASONS]).tolist()
        voice = read.voice
        spoken = [s != b for s, b in zip(self.source, voice, strict=True)]
        self.spoken = any(spoken)
        """Whether any speaker speaks for another (a spokesperson for its body)."""
        self.loud: list[bool] = [
            t or h is not None or f for t, h, f in zip(telling, self.hedge, spoken, strict=True)
        ]

        self.weight: Floats = run.weight
        origins = read.origins
        names = {sid: s.name for sid, s in case.sources.items()}
        self.named: list[str] = [names.get(o, o) for o in origins]
        """Each origin's name, or its id if the case lacks it."""
        group = read.v_group
        # per row: the position of the one attribution its vote rests on, or -1 if it
        # rests on several, or on a run of its group's attributions
        alone = (read.ends[group] - read.starts[group]) == 1
        if read.current:
            alone &= ~np.isin(group, list(read.current))
        self.single: Ints = np.where(alone, read.order[read.starts[group]], -1)

        # every claim's rows, strongest first, then by origin id: one sort for the run
        place = np.empty(len(origins), dtype=np.int64)
        place[sorted(range(len(origins)), key=origins.__getitem__)] = np.arange(len(origins))
        self.strongest: Ints = np.lexsort((place[read.v_origin], -run.weight, read.v_claim))
        votes = np.bincount(read.v_claim, minlength=read.count)
        self.first: list[int] = (np.cumsum(votes) - votes).tolist()
        self.count: list[int] = votes.tolist()
        # per claim: its origins whose own last word was a retraction of what they said
        self.retracted: dict[int, list[str]] = {}
        for g in sorted(read.retracted):
            self.retracted.setdefault(int(read.g_claim[g]), []).append(origins[read.g_origin[g]])
        for found in self.retracted.values():
            found.sort()
        # per claim id: its attributions another withdrew (with the withdrawing one), and
        # its retractions that withdraw nothing
        self.withdrawn: dict[str, tuple[list[tuple[int, int]], list[int]]] = {}
        for j, i in sorted(read.withdrawn.items()):
            self.withdrawn.setdefault(atts[j].claim, ([], []))[0].append((j, i))
        for i in read.lone:
            self.withdrawn.setdefault(atts[i].claim, ([], []))[1].append(i)
        self.probability: list[float] = run.probability.tolist()
        self.rule: list[int] = run.rule.tolist()
        self.side: list[int] = run.side.tolist()
        self.active: list[bool] = read.active.tolist()
