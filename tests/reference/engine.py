"""The readable reference engine: the specification the production engine is held to.

It judges one claim at a time, in plain Python, straight from the rules as
``docs/confidence.md`` states them. The production engine (``claimtrack.engine``) computes
the same on arrays for whole cases at once; the property tests in ``test_assess_speed.py``
hold it to this engine on generated cases, to the last bit and the last word.
"""

from __future__ import annotations

import math

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence

import attrs

from claimtrack import (
    Assessment,
    Assessments,
    AssessmentWarning,
    Attribution,
    Case,
    Claim,
    Confidence,
    Contradiction,
    Credibility,
    Estimate,
    Figures,
    Mode,
    Reliability,
    Settings,
    Stance,
    Status,
    Vote,
)
from claimtrack.engine import Explained
from claimtrack.engine._contradictions import (
    answers_by_question,
    cells,
    declared_compatible,
    declared_contradictions,
    declared_list,
    derived_once,
    explained_pairs,
)
from claimtrack.engine._joint import (
    MOST_COMBINATIONS,
    Group,
    aside,
    bounds,
    combinations,
    current,
    declared_links,
    entailers,
    entailing,
    groups,
    held,
    implied_by,
    joint,
    logistic,
    part_reasons,
    project,
    rest_shares,
    settle,
    superseded,
)
from claimtrack.engine._origins import Echo, find_echoes, origin_map, repeated_origins, when_key
from claimtrack.engine._settings import HEDGE_SHARES
from claimtrack.engine._stakes import DISCOUNTED, Stake, stake_of, stake_reason


def assess_reference(case: Case, settings: Settings | None = None) -> Assessments:
    """Assess every claim the plain way, one claim at a time, building every reason at once."""
    return _Engine(case, settings or Settings()).run()


def find_contradictions(case: Case) -> list[Contradiction]:
    """Declared contradictions, then derived ones question by question, in the case's order."""
    out, seen = declared_list(case)
    compatible = declared_compatible(case)
    by_question = answers_by_question(case)
    for qid, question in case.questions.items():
        found = by_question.get(qid, ())
        if len(found) < 2:
            continue
        pairs = explained_pairs(found, exclusive=question.exclusive)
        out += derived_once(qid, found, pairs, seen, compatible)
    return out


@attrs.define
class _Engine:
    case: Case
    settings: Settings
    origins: dict[int, str] = attrs.field(init=False)
    echoes: list[Echo] = attrs.field(init=False)
    contradictions: list[Contradiction] = attrs.field(init=False)
    rivals: dict[str, list[str]] = attrs.field(init=False)
    said: dict[str, dict[str, list[tuple[int, Attribution]]]] = attrs.field(init=False)
    compatible: set[frozenset[str]] = attrs.field(init=False)
    clash: set[frozenset[str]] = attrs.field(init=False)
    withdrawn: dict[int, int] = attrs.field(init=False)
    """Attributions another withdraws, by position, to the position withdrawing them."""
    excluded: set[int] = attrs.field(init=False)
    """Attributions that neither vote nor retract: withdrawn, or withdrawing."""
    active: dict[str, bool] = attrs.field(init=False)
    """Per claim: whether it takes part in the competition."""
    aside: set[str] = attrs.field(init=False)
    """Answers of exclusive questions no attribution asserts and no relation names."""
    groups: list[Group] = attrs.field(init=False)
    approximate: list[Group] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.echoes = find_echoes(self.case)
        self.origins = origin_map(
            self.case, merge_echoes=self.settings.merge_echoes, echoes=self.echoes
        )
        atts = self.case.attributions
        by_id = {a.id: i for i, a in enumerate(atts) if a.id is not None}
        self.withdrawn = {}
        self.excluded = set()
        for i, att in enumerate(atts):
            if att.withdraws is not None:
                self.excluded.add(i)
                j = by_id.get(att.withdraws)
                if j is not None and j != i and atts[j].claim == att.claim:
                    self.withdrawn.setdefault(j, i)
        self.excluded |= set(self.withdrawn)
        self.said = defaultdict(lambda: defaultdict(list))
        for i, att in enumerate(self.case.attributions):
            self.said[att.claim][self.origins[i]].append((i, att))
        self.contradictions = find_contradictions(self.case)
        self.compatible = declared_compatible(self.case)
        self.clash = declared_contradictions(self.case)
        self.rivals = defaultdict(list)
        for c in self.contradictions:
            self.rivals[c.claims[0]].append(c.claims[1])
            self.rivals[c.claims[1]].append(c.claims[0])
        # which claims take part: all but superseded figures and answers nobody asserts
        old = superseded(self.case)
        spoken = {a.claim for a in self.case.attributions if a.stance is Stance.ASSERTS}
        related = {cid for rel in self.case.relations for cid in rel.claims}
        exclusive = {
            cid: claim.question
            for cid, claim in self.case.claims.items()
            if claim.question in self.case.questions
            and self.case.questions[claim.question].exclusive
        }
        answered = {
            qid for cid, qid in exclusive.items() if cid in spoken | related and cid not in old
        }
        self.aside = {
            cid for cid, qid in exclusive.items() if cid not in spoken | related and qid in answered
        }
        self.active = {cid: cid not in old and cid not in self.aside for cid in self.case.claims}
        self.groups = []
        self.approximate = []

    def run(self) -> Assessments:
        votes = {cid: self._votes(claim) for cid, claim in self.case.claims.items()}
        score = {cid: _score(v) for cid, v in votes.items()}
        probability: dict[str, float] = {}
        cells_of: dict[str, list[frozenset[str]]] = {}
        for qid, question in self.case.questions.items():
            answers = [c for c in self.case.claims_of(qid) if self.active[c.id]]
            if question.exclusive:
                cells_of[qid] = cells(answers, self.compatible, self.clash)
                if answers:
                    probability.update(_compete(cells_of[qid], votes))
        for cid in self.case.claims:
            if cid not in probability and self.active[cid]:
                probability.update(_compete([frozenset((cid,))], votes))
        self.groups = groups(self.case, self.active, cells_of)
        for g in self.groups:
            if g.size <= MOST_COMBINATIONS:
                probability.update(joint(g, score))
            else:
                self.approximate.append(g)
                found = {cid: probability[cid] for unit in g.units for cell in unit for cid in cell}
                project(found, g.contradicts, g.implies)
                probability.update(found)
        self._superseded_figures(probability, score, cells_of)
        inactive = {c for c, on in self.active.items() if not on}
        linked = {
            c: probability[c]
            for _, a, b in declared_links(self.case)
            for c in (a, b)
            if c in probability
        }
        settle(linked, declared_links(self.case), inactive)
        probability.update(linked)
        # answers nobody asserts last: they rest on what the others hold, settled
        for cid in self.aside:
            probability[cid] = self._unspoken(cid, score, cells_of, probability)
        probability = {cid: min(0.99, max(0.01, p)) for cid, p in probability.items()}
        warnings = self._warnings()
        warnings += [AssessmentWarning.approximate(g.names, g.size) for g in self.approximate]
        out = [
            self._judge(claim, probability[cid], votes) for cid, claim in self.case.claims.items()
        ]
        return Assessments(
            tuple(out),
            tuple(self.contradictions),
            tuple(warnings),
            tuple(self._figures(probability, {a.claim: a for a in out})),
        )

    def _unspoken(
        self,
        cid: str,
        score: Mapping[str, float],
        cells_of: Mapping[str, list[frozenset[str]]],
        probability: Mapping[str, float],
    ) -> float:
        """An answer nobody asserts: what the answers entailing it hold, as they stand or
        were it one more answer (with its own denials), whichever is less."""
        claim = self.case.claims[cid]
        qid = claim.question
        assert qid is not None
        taking = [c for c in self.case.claims_of(qid) if self.active[c.id]]
        among = set(entailers(claim, taking, set()))
        history = [
            c for c in self.case.claims_of(qid) if not self.active[c.id] and c.id not in self.aside
        ]
        holding = among | set(entailers(claim, history, set()))
        answers = [c for c in self.case.claims_of(qid) if self.active[c.id] or c.id == cid]
        mine = cells(answers, self.compatible, self.clash)
        share = {x for cell in mine if cid in cell for x in cell}
        rivals = [c.id for c in answers if c.id not in share]
        least = 0.0
        if holding and claim.value is not None:
            least = min(
                max(probability[e] for e in holding),
                1.0 - math.fsum(probability[r] for r in rivals),
            )
        if not among:
            return max(0.0, least)
        now, _ = held(cells_of[qid], score, among)
        plus = {c.id: _score(self._votes(c, extra=1)) for c in taking} | {cid: score[cid]}
        world = Group(((frozenset(), *mine),), (), (), ())
        for g in groups(self.case, self.active | {cid: True}, {**cells_of, qid: mine}):
            if (
                any(cid in cell for unit in g.units for cell in unit)
                and g.size <= MOST_COMBINATIONS
            ):
                world = g
        found = [c for c in combinations(world) if c]
        return max(min(now, held(found, {**score, **plus}, among)[0]), 0.0, least)

    def _superseded_figures(
        self,
        probability: dict[str, float],
        score: Mapping[str, float],
        cells_of: Mapping[str, list[frozenset[str]]],
    ) -> None:
        """What the claims that take no part hold, into *probability*."""
        implies = entailing(self.case)
        for cid, claim in self.case.claims.items():
            if self.active[cid] or cid in self.aside:
                continue
            found_cells = cells_of.get(claim.question) if claim.question else None
            answers = (
                [c for c in self.case.claims_of(claim.question) if self.active[c.id]]
                if claim.question
                else []
            )
            among = set(entailers(claim, answers, implies))
            entailed, none = held(found_cells or [], score, among)
            question = self.case.questions.get(claim.question) if claim.question else None
            inactive = {c for c, on in self.active.items() if not on}
            if not (question and question.exclusive):  # superseded: against its successor
                now = current(self.case, cid)
                none = 1.0 if now == cid or now in inactive else 1.0 - probability[now]
            above = [probability[x] for x in implied_by(cid, implies, inactive)]
            taking_part = {c: p for c, p in probability.items() if self.active[c]}
            below = bounds(cid, declared_links(self.case), taking_part)
            if question and question.exclusive:
                everyone = [c for c in self.case.claims_of(question.id) if c.id not in self.aside]
                part = {c.id for c in everyone if self.active[c.id]}
                own = rest_shares(cells(everyone, self.compatible, self.clash), score, part).get(
                    cid, 0.0
                )
            else:
                own = logistic(score[cid])
            probability[cid] = aside(
                entailed=entailed, none=none, own=own, above=above, below=below
            )

    # ---- votes --------------------------------------------------------------------------

    def _votes(self, claim: Claim, extra: int = 0) -> list[Vote]:
        """The claim's votes; *extra* more answers competing with it, if it answers a question."""
        by_origin = self._said_of(claim.id)
        alternatives = self._alternatives(claim) + (extra if self._competes(claim) else 0)
        votes = []
        for origin, items in by_origin.items():
            vote = self._vote(origin, items, alternatives)
            if vote is not None:
                votes.append(vote)
        votes.sort(key=lambda v: (-v.weight, v.origin))
        return self._diminish(votes)

    def _diminish(self, votes: list[Vote]) -> list[Vote]:
        """Diminishing returns: on each side, the k-th strongest keeps n(k) - n(k-1) of it."""
        out = []
        for side in (True, False):
            mine = [v for v in votes if (v.stance is Stance.ASSERTS) is side]
            for k, v in enumerate(mine, start=1):
                out.append(attrs.evolve(v, weight=v.weight * self._share(k)))
        out.sort(key=lambda v: (-v.weight, v.origin))
        return out

    def _share(self, k: int) -> float:
        """n(k) - n(k-1) for n(k) = k / (1 + (k-1)rho), in the form whose rounding falls with k."""
        rho = self.settings.correlation
        return (1.0 - rho) / ((1.0 + (k - 1.0) * rho) * (1.0 + (k - 2.0) * rho))

    def _stake(self, att: Attribution) -> Stake:
        claim = self.case.claims.get(att.claim)
        question = self.case.questions.get(claim.question) if claim and claim.question else None
        return stake_of(att, claim, question, self.case.belongs_to(att.source))

    def _said_of(self, claim: str) -> dict[str, list[tuple[int, Attribution]]]:
        """What each origin said on *claim*: positions and attributions, by origin."""
        return self.said.get(claim, {})

    def _competes(self, claim: Claim) -> bool:
        """Whether *claim* takes part in an exclusive question's competition."""
        question = self.case.questions.get(claim.question) if claim.question else None
        return bool(question and question.exclusive and self.active[claim.id])

    def _alternatives(self, claim: Claim) -> int:
        """How many answers compete with *claim*: its question's that take part, else one."""
        if not self._competes(claim):
            return 1
        assert claim.question is not None
        return sum(self.active[c.id] for c in self.case.claims_of(claim.question))

    def _vote(
        self, origin: str, items: list[tuple[int, Attribution]], alternatives: int
    ) -> Vote | None:
        items = sorted(
            (it for it in items if it[0] not in self.excluded),
            key=lambda it: when_key(self.case, it[1], it[0]),
        )
        current: list[tuple[int, Attribution]] = []
        for i, att in items:
            if att.stance is Stance.RETRACTS:
                current = []
            elif current and current[-1][1].stance is att.stance:
                current.append((i, att))
            else:
                current = [(i, att)]
        if not current:
            return None
        stance = current[-1][1].stance
        source = self.case.sources.get(origin)
        accuracy = self.settings.accuracy.of(source.reliability if source else None)
        odds = accuracy / (1 - accuracy)
        base = math.log(alternatives * odds) if stance is Stance.ASSERTS else math.log(odds)
        base = max(0.0, base)
        if stance is Stance.DOUBTS:
            base *= self.settings.doubt
        stakes = [self._stake(att) for _, att in current]
        interested = any(s in DISCOUNTED for s in stakes)
        factors = [
            self.settings.factor(att, stake=stake)
            for (_, att), stake in zip(current, stakes, strict=True)
        ]
        factor = max(factors)
        publishers = tuple(
            sorted(
                {
                    self.case.documents[att.document].publisher
                    for _, att in current
                    if att.document is not None and att.document in self.case.documents
                }
                - {origin}
            )
        )
        modes = [att.mode for _, att in current]
        mode = min(modes, key=_OPENNESS.__getitem__)
        # the attribution whose factor counts: the first in the case of those with the largest
        counted = min((i for (i, _), f in zip(current, factors, strict=True) if f == factor))
        return Vote(
            origin,
            stance,
            base * factor,
            tuple(sorted(i for i, _ in current)),
            publishers,
            interested,
            mode,
            self._stake(self.case.attributions[counted]),
            self.case.attributions[counted].hedge,
            tuple(sorted({att.source for _, att in current} - {origin})),
            tuple(dict.fromkeys(e for i, att in sorted(current) for e in att.based_on)),
        )

    # ---- judgement ----------------------------------------------------------------------

    def _judge(
        self, claim: Claim, probability: float, votes: Mapping[str, list[Vote]]
    ) -> Assessment:
        mine = votes[claim.id]
        pro = [v for v in mine if v.stance is Stance.ASSERTS]
        con = [v for v in mine if v.stance is not Stance.ASSERTS]
        backed_rivals = [
            r
            for r in self.rivals.get(claim.id, [])
            if any(v.stance is Stance.ASSERTS and v.weight > 0 for v in votes[r])
        ]
        status = self._status(claim, pro, con, backed_rivals)
        disputed = self._disputed(claim, status, pro, con, votes)
        confidence, why = self._assurance(status, pro, con, disputed=disputed)
        credibility = _credibility(
            probability,
            sum(v.weight > 0 and self._grade(v.origin) in _CREDIBLE_GRADES for v in pro),
            status,
            has_votes=bool(mine),
            disputed=disputed,
        )
        letter = min(
            (self._grade(v.origin) for v in (pro or con)),
            key=_GRADE_ORDER.index,
            default=Reliability.F,
        )
        reasons = self._reasons(claim, probability, mine, backed_rivals)
        reasons.append(f"Analytic confidence is {confidence.value}: {why}.")
        return Assessment(
            claim=claim.id,
            question=claim.question,
            probability=probability,
            estimate=Estimate.of(probability),
            confidence=confidence,
            credibility=credibility,
            reliability=letter,
            status=status,
            explanation=Explained(tuple(mine), tuple(reasons)),
        )

    def _assurance(
        self, status: Status, pro: list[Vote], con: list[Vote], *, disputed: bool
    ) -> tuple[Confidence, str]:
        """Analytic confidence and why, from the side the judgement rests on."""
        side = [v for v in con if v.stance is Stance.DENIES] if status is Status.DENIED else pro
        weighted = [v for v in side if v.weight > 0]
        return _confidence(
            len(weighted),
            [self._grade(v.origin) for v in weighted],
            status,
            disagreement=disputed,
        )

    def _partisan(self, claim: Claim, vote: Vote) -> bool:
        """Whether the vote's origin has a stake: discounted for it, or a party to the question."""
        if vote.interested:
            return True
        question = self.case.questions.get(claim.question) if claim.question else None
        if question is None or not question.parties:
            return False
        sides = self.case.belongs_to(vote.origin) | {vote.origin}
        return not sides.isdisjoint(question.parties)

    def _disputed(
        self,
        claim: Claim,
        status: Status,
        pro: list[Vote],
        con: list[Vote],
        votes: Mapping[str, list[Vote]],
    ) -> bool:
        """Whether a credible, weighty origin without a stake opposes the judgement."""

        def neutral(c: Claim, v: Vote) -> bool:
            return (
                v.weight > 0
                and self._grade(v.origin) in _CREDIBLE_GRADES
                and not self._partisan(c, v)
            )

        if status is Status.DENIED:
            return any(neutral(claim, v) for v in pro)
        if any(neutral(claim, v) for v in con):
            return True
        return any(
            v.stance is Stance.ASSERTS and neutral(self.case.claims[r], v)
            for r in self.rivals.get(claim.id, [])
            for v in votes[r]
        )

    def _grade(self, origin: str) -> Reliability:
        source = self.case.sources.get(origin)
        return (source.reliability if source else None) or Reliability.F

    def _status(
        self, claim: Claim, pro: list[Vote], con: list[Vote], backed_rivals: list[str]
    ) -> Status:
        """Where the claim stands; see :class:`Status` and docs/confidence.md for the rules."""
        if claim.id in superseded(self.case):
            return Status.SUPERSEDED
        denials = [v for v in con if v.stance is Stance.DENIES]
        if not pro and not denials:
            retracted = any(
                a.stance is Stance.RETRACTS for a in self.case.attributions_of(claim.id)
            )
            return Status.RETRACTED if retracted else Status.UNVERIFIED
        if pro and all(v.mode is Mode.PURPORTED for v in pro) and not denials:
            return Status.UNVERIFIED
        if not pro or math.fsum(v.weight for v in denials) > math.fsum(v.weight for v in pro):
            return Status.DENIED
        doubted = any(v.stance is Stance.DOUBTS and v.weight > 0 for v in con)
        if denials or doubted or backed_rivals:
            return Status.CONTESTED
        return Status.CORROBORATED if len(pro) > 1 else Status.SINGLE_SOURCE

    def _reasons(
        self,
        claim: Claim,
        probability: float,
        votes: list[Vote],
        rivals: list[str],
    ) -> list[str]:
        out = [f"Estimated {Estimate.of(probability).value} ({probability:.0%})."]
        for stance, one, many in (
            (Stance.ASSERTS, "supports", "support"),
            (Stance.DENIES, "denies", "deny"),
            (Stance.DOUBTS, "doubts", "doubt"),
        ):
            group = [v for v in votes if v.stance is stance]
            if group:
                listing = "; ".join(self._describe(v) for v in group)
                n = len(group)
                verb = one if n == 1 else many
                out.append(f"{n} independent origin{'s' * (n != 1)} {verb} it: {listing}.")
        for v in votes:
            out += self._vote_reasons(claim.id, v)
        for side, word in ((True, "supporting"), (False, "disputing")):
            n = sum((v.stance is Stance.ASSERTS) is side for v in votes)
            if n > 1 and self.settings.correlation > 0:
                second, last = self._share(2), self._share(n)
                tail = f", down to {last:.0%} for the last." if n > 2 else "."
                out.append(
                    f"{n} {word} origins are never wholly independent: the strongest counts "
                    f"in full, the next at {second:.0%} of its weight{tail}"
                )
        out += [
            f"{self._name(origin)} retracted what it said; that no longer counts."
            for origin in self._retracted(claim.id, votes)
        ]
        atts = self.case.attributions
        for j, i in sorted(self.withdrawn.items()):
            if atts[j].claim == claim.id:
                whose = (
                    "what it said"
                    if atts[i].source == atts[j].source
                    else f"what {self._name(atts[j].source)} said"
                )
                out.append(
                    f"{self._name(atts[i].source)} withdrew {whose} "
                    f"(attribution '{atts[j].id}'); that no longer counts."
                )
        out += [
            f"{self._name(atts[i].source)} retracts it but had said nothing on it before: "
            "the retraction withdraws nothing."
            for i in self._lone()
            if atts[i].claim == claim.id
        ]
        out += [f"Contradicted by claim '{r}', which has support of its own." for r in rivals]
        out += part_reasons(self.case, claim.id, self.groups, active=self.active[claim.id])
        if not votes:
            out.append("No source takes a stance on it.")
        return out

    def _vote_reasons(self, claim: str, v: Vote) -> list[str]:
        """What the analyst should know about one origin's vote."""
        name = self._name(v.origin)
        out = []
        atts = self.case.attributions
        for speaker in sorted({atts[i].source for i in v.attributions}):
            # the body of the first of its attributions counted with a body, if any is
            bodies = [self.case.speaks_as(i) for i in v.attributions if atts[i].source == speaker]
            body = next((b for b in bodies if b != speaker), speaker)
            if body != speaker:
                out.append(f"{self._name(speaker)} speaks for {self._name(body)}; counted with it.")
        voices = {self.case.speaks_as(i) for i in v.attributions}
        if v.evidence and len(voices) > 1:
            items = ", ".join(
                f"{self.case.evidence[e].kind.value} '{e}'" if e in self.case.evidence else f"'{e}'"
                for e in v.evidence
            )
            names = ", ".join(self._name(o) for o in sorted(voices))
            out.append(
                f"{len(voices)} origins rest on the same evidence ({items}) and count once, "
                f"as {name}: {names}."
            )
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
                f"{name} is graded {self._grade(v.origin).value}, right less often than "
                "needed to move the odds on its own: its vote weighs nothing."
            )
        earlier = self._earlier(claim, v)
        if earlier:
            out.append(
                f"{name} {earlier} it before; only its latest stance, that it "
                f"{_VERBS[v.stance]} it, counts."
            )
        return out

    def _earlier(self, claim: str, vote: Vote) -> str | None:
        """What the origin said before its latest stance, if it changed its stance."""
        items = [
            it for it in self._said_of(claim).get(vote.origin, []) if it[0] not in self.excluded
        ]
        before = {
            att.stance
            for i, att in items
            if i not in vote.attributions and att.stance not in (Stance.RETRACTS, vote.stance)
        }
        if not before:
            return None
        return " and ".join(_PAST[s] for s in _PAST if s in before)

    def _retracted(self, claim: str, votes: list[Vote]) -> list[str]:
        """Origins whose own last word on the claim was a retraction of what they said."""
        voted = {v.origin for v in votes}
        out = []
        for origin, items in self._said_of(claim).items():
            kept = [att for i, att in items if i not in self.excluded]
            spoke = any(att.stance is not Stance.RETRACTS for att in kept)
            if origin not in voted and spoke:
                out.append(origin)
        return sorted(out)

    def _lone(self) -> list[int]:
        """Retractions (not withdrawing by id) with nothing their origin said before them."""
        out = []
        for by_origin in self.said.values():
            for items in by_origin.values():
                kept = sorted(
                    (it for it in items if it[0] not in self.excluded),
                    key=lambda it: when_key(self.case, it[1], it[0]),
                )
                spoken = False
                for i, att in kept:
                    if att.stance is Stance.RETRACTS:
                        if not spoken:
                            out.append(i)
                    else:
                        spoken = True
        return sorted(out)

    def _describe(self, vote: Vote) -> str:
        grade = self._grade(vote.origin).value
        via = (
            f", via {', '.join(self._name(p) for p in vote.publishers)}" if vote.publishers else ""
        )
        return f"{self._name(vote.origin)} ({grade}, weight {vote.weight:.2f}{via})"

    def _name(self, source: str) -> str:
        found = self.case.sources.get(source)
        return found.name if found else source

    # ---- warnings and figures -------------------------------------------------------------

    def _warnings(self) -> list[AssessmentWarning]:
        name = self._name
        out = [
            AssessmentWarning.circular(e, merged=self.settings.merge_echoes) for e in self.echoes
        ]
        out += [
            AssessmentWarning.repeated(claim, name(origin), [name(p) for p in publishers])
            for claim, origin, publishers in repeated_origins(self.case, self.origins)
        ]
        lone = set(self._lone())
        for i, att in enumerate(self.case.attributions):
            if att.mode is Mode.PURPORTED:
                out.append(AssessmentWarning.purported(i, name(att.source), att.claim))
            stake = self._stake(att)
            if stake is not Stake.NONE:
                claim = self.case.claims.get(att.claim)
                blamed = [name(s) for s in claim.blames] if claim else []
                out.append(
                    AssessmentWarning.stake(
                        i,
                        name(att.source),
                        att.claim,
                        stake=stake,
                        stance=att.stance,
                        blamed=blamed,
                    )
                )
            if i in lone:
                out.append(AssessmentWarning.lone_retraction(i, name(att.source), att.claim))
        return out

    def _figures(
        self, probability: Mapping[str, float], judged: Mapping[str, Assessment]
    ) -> Iterator[Figures]:
        for qid in self.case.questions:
            valued = [c for c in self.case.claims_of(qid) if c.value is not None]
            credible = [c for c in valued if judged[c.id].status in _CREDIBLE]
            units = {c.value.unit for c in credible if c.value}
            if not credible or len(units) > 1:
                continue
            lows = [_low(c) for c in credible]
            highs = [_high(c) for c in credible]
            # open-ended answers bound the range; the best figure comes from the others
            closed = [c for c in credible if c.value and c.value.kind != "open_ended"]
            points = sorted(
                ((_low(c) + _high(c)) / 2, probability[c.id]) for c in (closed or credible)
            )
            yield Figures(qid, min(lows), _weighted_median(points), max(highs), units.pop())


_GRADE_ORDER = [
    Reliability.A,
    Reliability.B,
    Reliability.C,
    Reliability.D,
    Reliability.E,
    Reliability.F,
]
_OPENNESS = {Mode.ON_RECORD: 0, Mode.ANONYMOUS: 1, Mode.PURPORTED: 2}
_VERBS = {
    Stance.ASSERTS: "asserts",
    Stance.DENIES: "denies",
    Stance.DOUBTS: "doubts",
    Stance.RETRACTS: "retracts",
}
_PAST = {
    Stance.ASSERTS: "asserted",
    Stance.DENIES: "denied",
    Stance.DOUBTS: "doubted",
    Stance.RETRACTS: "retracted",
}
_CREDIBLE = (Status.SINGLE_SOURCE, Status.CORROBORATED, Status.CONTESTED)


def _score(votes: list[Vote]) -> float:
    return math.fsum(v.weight if v.stance is Stance.ASSERTS else -v.weight for v in votes)


def _compete(cells: Sequence[frozenset[str]], votes: Mapping[str, list[Vote]]) -> dict[str, float]:
    """Softmax over the hypotheses and an implicit "none of these" that scores zero.

    Sums are exact (:func:`math.fsum`), so the result does not depend on the order of
    the case.
    """
    score = {cid: _score(votes[cid]) for cell in cells for cid in cell}
    cell_scores = [math.fsum(score[cid] for cid in cell) for cell in cells]
    top = max(0.0, *cell_scores)
    exps = [math.exp(s - top) for s in cell_scores]
    total = math.fsum(exps) + math.exp(-top)
    share: dict[str, list[float]] = defaultdict(list)
    for cell, e in zip(cells, exps, strict=True):
        for cid in cell:
            share[cid].append(e)
    return {cid: min(1.0, math.fsum(parts) / total) for cid, parts in share.items()}


def _confidence(  # noqa: PLR0911 - one return per documented rule
    n: int, grades: list[Reliability], status: Status, *, disagreement: bool
) -> tuple[Confidence, str]:
    """Analytic confidence and why, by the documented rules (never from the probability).

    *n* origins carry weight on the side the judgement rests on (the supporters, or the
    deniers of a denied claim), graded *grades*. Only the sentence of the rule that holds
    is written.
    """
    if status is Status.SUPERSEDED:
        return Confidence.LOW, "a later claim supersedes it"
    if n == 0:
        return Confidence.LOW, "no origin that carries weight bears on it"
    if n == 1:
        return Confidence.LOW, "a single origin bears on it"
    if disagreement:
        return Confidence.LOW, "credible origins without a stake in it disagree"
    if status is Status.UNVERIFIED:
        return Confidence.LOW, "its support is purported, not verified"
    credible = sum(g in _CREDIBLE_GRADES for g in grades)
    if credible < 2:
        return Confidence.LOW, "fewer than two of its origins are credible (graded A to C)"
    tail = "and no credible origin without a stake in it disagrees"
    if any(g in _STRONG for g in grades):
        why = f"{credible} independent credible origins agree, one graded B or better, {tail}"
        return Confidence.HIGH, why
    why = f"{credible} independent credible origins agree, none graded B or better, {tail}"
    return Confidence.MODERATE, why


_CREDIBLE_GRADES = (Reliability.A, Reliability.B, Reliability.C)
_STRONG = (Reliability.A, Reliability.B)


def _credibility(
    probability: float, agreeing: int, status: Status, *, has_votes: bool, disputed: bool
) -> Credibility:
    """The Admiralty credibility digit; *agreeing* counts the credible, weighty supporters."""
    if not has_votes:
        return Credibility.CANNOT_BE_JUDGED
    if (
        agreeing >= 2
        and probability >= 0.80
        and status in (Status.CORROBORATED, Status.CONTESTED)
        and not disputed
    ):
        return Credibility.CONFIRMED
    for edge, digit in (
        (0.70, Credibility.PROBABLY_TRUE),
        (0.45, Credibility.POSSIBLY_TRUE),
        (0.20, Credibility.DOUBTFUL),
    ):
        if probability >= edge:
            return digit
    return Credibility.IMPROBABLE


def _low(claim: Claim) -> float:
    v = claim.value
    assert v is not None
    return float(v.low if v.low is not None else v.high)  # type: ignore[arg-type]


def _high(claim: Claim) -> float:
    v = claim.value
    assert v is not None
    return float(v.high if v.high is not None else v.low)  # type: ignore[arg-type]


def _weighted_median(points: list[tuple[float, float]]) -> float:
    total = sum(w for _, w in points)
    if total <= 0:
        return points[len(points) // 2][0]
    run = 0.0
    for value, weight in points:
        run += weight
        if run >= total / 2:
            return value
    return points[-1][0]
