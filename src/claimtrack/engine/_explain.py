"""Votes and reasons, built from the arrays the judgement was made from, one claim when read.

Nothing here decides: each sentence reads a number the rules already computed (a vote's
weight, a claim's confidence rule), so a reason can never disagree with its judgement.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from claimtrack.engine._assessment import Assessment, Explanation, Vote
from claimtrack.engine._reading import Read
from claimtrack.engine._rules import (
    CONFIDENCE_RULES,
    GRADES,
    MODES,
    STANCE_RULES,
    STANCES,
    Floats,
    Ints,
)
from claimtrack.engine._scales import Estimate
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
    ) -> None:
        self.case = case
        self.read = read
        self.weight = weight
        self.rank = rank
        self.probability = probability
        self.rule = rule
        self.side = side
        self._backed = backed
        self._backed_found: dict[str, list[str]] | None = None
        votes = np.bincount(read.v_claim, minlength=read.count)
        self.first = np.cumsum(votes) - votes
        self.count = votes

    # ---- votes ------------------------------------------------------------------------

    def rows(self, claim: int) -> list[int]:
        """The claim's vote rows, strongest first, then by origin id."""
        at, k = int(self.first[claim]), int(self.count[claim])
        origins, v_origin = self.read.origins, self.read.v_origin
        return sorted(range(at, at + k), key=lambda r: (-self.weight[r], origins[v_origin[r]]))

    def votes_of(self, assessment: Assessment) -> tuple[Vote, ...]:
        """Every origin's vote on the assessed claim, strongest first."""
        return tuple(map(self.vote, self.rows(self.read.where[assessment.claim])))

    def vote(self, row: int) -> Vote:
        """The vote of one row: the attributions behind it, its outlets, interest and mode."""
        read, case = self.read, self.case
        origin = read.origins[read.v_origin[row]]
        positions = read.positions(int(read.v_group[row]))
        atts, documents = case.attributions, case.documents
        publishers = {
            documents[ref].publisher
            for ref in (atts[i].document for i in positions)
            if ref is not None and ref in documents
        }
        return Vote(
            origin,
            STANCES[read.v_stance[row]],
            float(self.weight[row]),
            tuple(positions),
            tuple(sorted(publishers - {origin})),
            any(case.is_interested(atts[i]) for i in positions),
            MODES[read.v_mode[row]],
        )

    # ---- reasons ----------------------------------------------------------------------

    def reasons_of(self, assessment: Assessment) -> tuple[str, ...]:
        """Why, in plain sentences: the votes, what discounts them, rivals and confidence."""
        c = self.read.where[assessment.claim]
        p = float(self.probability[c])
        rows = self.rows(c)
        votes = assessment.votes
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
        out += [
            f"{self.name(origin)} retracted what it said; that no longer counts."
            for origin in self._retracted(c)
        ]
        if self._backed_found is None:  # paired on first read: a bulk run may not need it
            self._backed_found = self._backed()
        rivals = self._backed_found.get(assessment.claim, [])
        out += [f"Contradicted by claim '{r}', which has support of its own." for r in rivals]
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
        found = self.case.sources.get(source)
        return found.name if found else source

    def _vote_reasons(self, row: int, v: Vote) -> list[str]:
        """What the analyst should know about one origin's vote."""
        name = self.name(v.origin)
        out = []
        if len(v.publishers) > 1:
            out.append(f"{len(v.publishers)} outlets repeat one origin, {name}: counted once.")
        if v.interested:
            out.append(f"{name} speaks about its own actions; its vote is discounted.")
        if v.mode is Mode.PURPORTED:
            out.append(
                f"The statement in {name}'s name is purported, not verified; its vote is discounted."
            )
        if v.weight == 0 and v.stance is not Stance.DOUBTS:
            out.append(
                f"{name} is graded {GRADES[self.rank[row]].value}, right less often than "
                "needed to move the odds on its own: its vote weighs nothing."
            )
        said = self.read.said(int(self.read.v_group[row]))
        atts = self.case.attributions
        before = {
            atts[i].stance
            for i in said
            if i not in v.attributions and atts[i].stance not in (Stance.RETRACTS, v.stance)
        }
        if before:
            earlier = " and ".join(r.past for s, r in STANCE_RULES.items() if s in before)
            out.append(
                f"{name} {earlier} it before; only its latest stance, that it "
                f"{STANCE_RULES[v.stance].verb} it, counts."
            )
        return out

    def _retracted(self, claim: int) -> list[str]:
        """Origins whose last word on the claim was a retraction."""
        read = self.read
        lo, hi = np.searchsorted(read.g_claim, [claim, claim + 1])
        at = int(self.first[claim])
        voted = set(read.v_group[at : at + int(self.count[claim])].tolist())
        return sorted(
            read.origins[read.g_origin[g]] for g in range(int(lo), int(hi)) if g not in voted
        )
