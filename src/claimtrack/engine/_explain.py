"""Votes and reasons, built from the arrays the judgement was made from, one claim when read.

Nothing here decides: each sentence reads a number the rules already computed (a vote's
weight, a claim's confidence rule), so a reason can never disagree with its judgement.
"""

from __future__ import annotations

import functools

from collections.abc import Callable, Sequence

import numpy as np

from claimtrack.engine._assessment import Assessment, Explanation, Vote
from claimtrack.engine._joint import Group, part_reasons
from claimtrack.engine._reading import Read
from claimtrack.engine._rules import (
    CONFIDENCE_RULES,
    GRADES,
    MODES,
    STAKES,
    STANCE_RULES,
    STANCES,
    Floats,
    Ints,
    shares,
)
from claimtrack.engine._scales import Estimate
from claimtrack.engine._settings import HEDGE_SHARES
from claimtrack.engine._stakes import DISCOUNTED, stake_reason
from claimtrack.model import Case, Mode, Stance


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
        self._backed_found: dict[str, list[str]] | None = None
        votes = np.bincount(read.v_claim, minlength=read.count)
        self.first = np.cumsum(votes) - votes
        self.count = votes

    # ---- votes ------------------------------------------------------------------------

    def rows(self, claim: int) -> list[int]:
        """The claim's vote rows, strongest first, then by origin id."""
        at, k = int(self.first[claim]), int(self.count[claim])
        if k == 1:
            return [at]
        weight, origin = self._columns.weight, self._columns.origin
        return sorted(range(at, at + k), key=lambda r: (-weight[r], origin[r]))

    @functools.cached_property
    def _columns(self) -> _Columns:
        # the run's arrays as Python lists, made once: a claim's votes read them item by item
        return _Columns(self.case, self.read, self.weight)

    def votes_of(self, assessment: Assessment) -> tuple[Vote, ...]:
        """Every origin's vote on the assessed claim, strongest first."""
        return tuple(map(self.vote, self.rows(self.read.where[assessment.claim])))

    def explain(self, assessment: Assessment) -> tuple[tuple[Vote, ...], tuple[str, ...]]:
        """The votes and reasons together, the claim's rows found and its votes built once."""
        c = self.read.where[assessment.claim]
        rows = self.rows(c)
        votes = tuple(map(self.vote, rows))
        return votes, self._reasons(assessment.claim, c, rows, votes)

    def vote(self, row: int) -> Vote:
        """The vote of one row: the attributions behind it, its outlets, stake and mode."""
        col = self._columns
        origin = col.origin[row]
        positions = self.read.positions(col.group[row])
        publishers = {p for p in (col.publisher[i] for i in positions) if p is not None}
        # the attribution whose factor the vote carries: the largest, the first of those
        factor = col.factor
        counts = (
            max(positions, key=lambda i: (factor[i], -i)) if len(positions) > 1 else positions[0]
        )
        stakes = [STAKES[col.stake[i]] for i in positions]
        atts = col.atts
        speakers = {atts[i].source for i in positions} - {origin}
        evidence = dict.fromkeys(item for i in positions for item in atts[i].based_on)
        return Vote(
            origin,
            STANCES[col.stance[row]],
            col.weight[row],
            tuple(positions),
            tuple(sorted(publishers - {origin})),
            any(s in DISCOUNTED for s in stakes),
            MODES[col.mode[row]],
            STAKES[col.stake[counts]],
            atts[counts].hedge,
            tuple(sorted(speakers)),
            tuple(evidence),
        )

    # ---- reasons ----------------------------------------------------------------------

    def reasons_of(self, assessment: Assessment) -> tuple[str, ...]:
        """Why, in plain sentences: the votes, what discounts them, rivals and confidence."""
        c = self.read.where[assessment.claim]
        return self._reasons(assessment.claim, c, self.rows(c), assessment.votes)

    def _reasons(
        self, claim: str, c: int, rows: list[int], votes: tuple[Vote, ...]
    ) -> tuple[str, ...]:
        """The reasons of claim *claim* (row *c*), whose vote rows and votes are given."""
        p = float(self.probability[c])
        out = [f"Estimated {Estimate.of(p).value} ({p:.0%})."]
        for stance, rule in STANCE_RULES.items():
            if rule.listed is None:
                continue
            one, many = rule.listed
            group = [(r, v) for r, v in zip(rows, votes, strict=True) if v.stance is stance]
            if group:
                listing = "; ".join(self.describe(r, v) for r, v in group)
                n = len(group)
                verb = one if n == 1 else many
                out.append(f"{n} independent origin{'s' * (n != 1)} {verb} it: {listing}.")
        for r, v in zip(rows, votes, strict=True):
            out += self._vote_reasons(r, v)
        out += self._diminishing(votes)
        out += [
            f"{self.name(origin)} retracted what it said; that no longer counts."
            for origin in self._retracted(c)
        ]
        out += self._withdrawals(claim)
        if self._backed_found is None:  # paired on first read: a bulk run may not need it
            self._backed_found = self._backed()
        rivals = self._backed_found.get(claim, [])
        out += [f"Contradicted by claim '{r}', which has support of its own." for r in rivals]
        out += part_reasons(self.case, claim, self.groups, active=bool(self.read.active[c]))
        if not votes:
            out.append("No source takes a stance on it.")
        out += self.more_reasons(c, rows, votes)
        level, why = CONFIDENCE_RULES[self.rule[c]]
        out.append(f"Analytic confidence is {level.value}: {why.format(n=self.side[c])}.")
        return tuple(out)

    def more_reasons(self, claim: int, rows: list[int], votes: tuple[Vote, ...]) -> list[str]:  # noqa: ARG002 - for the learned mode
        """What a mode of the engine adds to a claim's reasons; nothing in the plain mode."""
        return []

    def grade(self, row: int) -> str:
        """The grade a vote's origin counts with, as the reasons show it."""
        return str(GRADES[self.rank[row]].value)

    def describe(self, row: int, vote: Vote) -> str:
        """One origin in a listing: its name, grade, weight and the outlets that carried it."""
        via = f", via {', '.join(self.name(p) for p in vote.publishers)}" if vote.publishers else ""
        return f"{self.name(vote.origin)} ({self.grade(row)}, weight {vote.weight:.2f}{via})"

    def name(self, source: str) -> str:
        """A source's name, or its id if the case lacks it."""
        return self._names.get(source, source)

    @functools.cached_property
    def _names(self) -> dict[str, str]:
        # one table for the whole run: the reasons name sources hundreds of thousands of times
        return {sid: s.name for sid, s in self.case.sources.items()}

    def _vote_reasons(self, row: int, v: Vote) -> list[str]:
        """What the analyst should know about one origin's vote."""
        name = self.name(v.origin)
        out = self._behind(v)
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
        said = self.read.said(self._columns.group[row])
        atts = self._columns.atts
        before = {
            atts[i].stance
            for i in said
            if i not in v.attributions
            and i not in self.read.withdrawn
            and atts[i].stance not in (Stance.RETRACTS, v.stance)
        }
        if before:
            earlier = " and ".join(r.past for s, r in STANCE_RULES.items() if s in before)
            out.append(
                f"{name} {earlier} it before; only its latest stance, that it "
                f"{STANCE_RULES[v.stance].verb} it, counts."
            )
        return out

    def _behind(self, v: Vote) -> list[str]:
        """Who stands behind a vote besides its origin: spokespeople, shared evidence."""
        read, atts = self.read, self._columns.atts
        out = []
        folded: dict[str, str] = {}
        for i in v.attributions:
            speaker, body = atts[i].source, read.voice[i]
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

    def _diminishing(self, votes: tuple[Vote, ...]) -> list[str]:
        """How diminishing returns shared out the weight of the origins on each side."""
        out = []
        correlation = self.correlation
        for side, word in ((True, "supporting"), (False, "disputing")):
            n = sum((v.stance is Stance.ASSERTS) is side for v in votes)
            if n > 1 and correlation > 0:
                parts = shares(n, correlation)
                out.append(
                    f"{n} {word} origins are never wholly independent: the strongest counts "
                    f"in full, the next at {parts[1]:.0%} of its weight"
                    + (f", down to {parts[-1]:.0%} for the last." if n > 2 else ".")  # noqa: PLR2004
                )
        return out

    def _withdrawals(self, claim: str) -> list[str]:
        """Attributions of the claim that another withdrew, and retractions of nothing."""
        read, atts = self.read, self.case.attributions
        out = []
        for j, i in sorted(read.withdrawn.items()):
            if atts[j].claim != claim:
                continue
            by, said = self.name(atts[i].source), self.name(atts[j].source)
            whose = "what it said" if atts[i].source == atts[j].source else f"what {said} said"
            out.append(
                f"{by} withdrew {whose} (attribution '{atts[j].id}'); that no longer counts."
            )
        out += [
            f"{self.name(atts[i].source)} retracts it but had said nothing on it before: "
            "the retraction withdraws nothing."
            for i in read.lone
            if atts[i].claim == claim
        ]
        return out

    def _retracted(self, claim: int) -> list[str]:
        """Origins whose own last word on the claim was a retraction of what they said."""
        read = self.read
        lo, hi = np.searchsorted(read.g_claim, [claim, claim + 1])
        return sorted(
            read.origins[read.g_origin[g]] for g in range(int(lo), int(hi)) if g in read.retracted
        )


class _Columns:
    """Per vote row and per attribution, what a vote is built from, as Python lists.

    Reading a numpy array item by item costs more than the item is worth; a run that
    explains many claims reads each of these hundreds of thousands of times.
    """

    def __init__(self, case: Case, read: Read, weight: Floats) -> None:
        self.atts = case.attributions
        documents = case.documents
        self.publisher: list[str | None] = [
            documents[a.document].publisher
            if a.document is not None and a.document in documents
            else None
            for a in self.atts
        ]
        self.weight: list[float] = weight.tolist()
        self.origin: list[str] = [read.origins[o] for o in read.v_origin.tolist()]
        self.group: list[int] = read.v_group.tolist()
        self.stance: list[int] = read.v_stance.tolist()
        self.mode: list[int] = read.v_mode.tolist()
        self.factor: list[float] = read.factor.tolist()
        self.stake: list[int] = read.stake.tolist()
