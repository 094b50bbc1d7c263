"""What a verdict rests on: the origins whose loss, or a grade one step off, would change it.

A question's verdict is its leading answer (the most probable; the first in the case's
order if several tie) and that answer's estimative word. For each origin that votes on
the question's answers, :func:`sensitivity` assesses the question again without it, and
with its grade one step up and one step down along A B C D E F (an ungraded source counts
as F), and lists each change that moves the leader or its word.

A question is assessed apart from the rest of the case: with its claims and those that
relations join to them (its group), their attributions, and every source, document and
item of evidence. Its answers' probabilities depend on nothing else, so this gives the
numbers the whole case would. Changes are not assessed one at a time but in rounds, each
one case holding any group at most once: the first removal of every group, then the
second, and so on; then the changes of grade, each round holding at most one change per
source and never two that bear on one group. The learned mode learns each source's
accuracy from the whole case, so there each change is assessed on the whole case.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

import attrs

from claimtrack.engine._assess import assess
from claimtrack.engine._assessment import Assessments
from claimtrack.engine._origins import origins
from claimtrack.engine._ranking import ranked
from claimtrack.engine._rules import GRADES
from claimtrack.engine._scales import Estimate
from claimtrack.engine._settings import Settings
from claimtrack.model import Attribution, Case, Claim, Question, Relation, Reliability, Source


REMOVED = "removed"
"""The change of a flip that removes the origin."""

GRADE_STEPS = GRADES
"""The grades in the order a one-step change walks them; an ungraded source counts as F."""


@attrs.frozen
class Flip:
    """One change to one origin that changes a question's verdict.

    Attributes:
        origin: The id of the origin changed (as votes name it: a spokesperson's body,
            the origin that counts for those resting on the same evidence).
        change: ``"removed"``, or a one-step change of its grade, such as ``"grade B→C"``.
        leader: The leading answer once changed: a claim id.
        probability: That answer's probability once changed.
        estimate: Its estimative word once changed.
        attributions: For a removal, the positions in the case of the attributions
            removed: every attribution that counts under the origin on the question's
            answers. Empty for a change of grade.
    """

    origin: str
    change: str
    leader: str
    probability: float
    estimate: Estimate
    attributions: tuple[int, ...] = ()


@attrs.frozen
class Sensitivity:
    """What one question's verdict rests on.

    Attributes:
        question: The question's id.
        leader: Its leading answer, a claim id: the most probable, the first in the case's
            order if several tie.
        probability: The leader's probability.
        estimate: The leader's estimative word.
        flips: The changes that move the leader or its word, by origin id, then change.
    """

    question: str
    leader: str
    probability: float
    estimate: Estimate
    flips: tuple[Flip, ...] = ()

    @property
    def fragile(self) -> bool:
        """Whether the judgement rests on one origin: removing it hands the lead to another.

        A change of the leader's word alone (very likely to likely) is listed among the
        flips but does not make the judgement fragile: one origin fewer should move it.
        """
        return any(f.change == REMOVED and f.leader != self.leader for f in self.flips)


def sensitivity(
    case: Case,
    settings: Settings | None = None,
    *,
    questions: Iterable[str] | None = None,
    grades: bool = True,
) -> tuple[Sensitivity, ...]:
    """For each question, the origins whose removal or change of grade changes its verdict.

    Only questions with at least one answer that some origin votes on are listed; claims
    that answer no question are not. Each origin that votes on a question's answers is
    tried: removed (every attribution that counts under it on those answers), and with
    its grade one step up and one step down along A B C D E F (an ungraded source counts
    as F, so only F→E). A change is listed when the leading answer, or its estimative
    word, is no longer the same.

    Cost: one assessment of the whole case, then assessments in rounds that each hold
    every question (with the claims relations join to it) at most once: as many rounds
    of removals as the most origins voting on one question, and the rounds of grades
    (at least two; more where the changed origins share questions). Altogether they
    read each question's attributions once per change tried on it: about ``k·n`` for a
    question of *n* attributions and *k* voting origins, ``3k·n`` with *grades*. In
    the learned mode each change is an assessment of the whole case (a change of grade,
    the same for every question, is assessed once).

    Args:
        case: The case; it should be valid (see :meth:`Case.validate`).
        settings: The engine's knobs; the documented defaults if omitted.
        questions: The ids of the questions to look at; every question if omitted. They
            are listed in the case's order whatever the order given.
        grades: Whether to try changes of grade, or removals only.

    Returns:
        One :class:`Sensitivity` per question, in the case's order.

    Raises:
        ValueError: *questions* names a question the case lacks.
    """
    settings = settings or Settings()
    wanted = list(case.questions)
    if questions is not None:
        asked = set(questions)
        unknown = sorted(asked.difference(case.questions))
        if unknown:
            msg = f"the case has no question {', '.join(repr(q) for q in unknown)}"
            raise ValueError(msg)
        wanted = [q for q in wanted if q in asked]
    plan = _Plan(case, settings)
    variants = [v for qid in wanted for v in plan.variants(qid, grades=grades)]
    found = plan.whole_case(variants) if settings.learn else plan.batched(variants)
    flips: dict[str, list[Flip]] = defaultdict(list)
    for v, (leader, p, word) in zip(variants, found, strict=True):
        base = plan.heads[v.question]
        if leader != base[0] or word is not base[2]:
            flips[v.question].append(Flip(v.origin, v.change, leader, p, word, v.drop))
    return tuple(
        Sensitivity(qid, *plan.heads[qid], tuple(sorted(flips[qid], key=_by_origin)))
        for qid in wanted
        if qid in plan.heads
    )


def _by_origin(flip: Flip) -> tuple[str, str]:
    return flip.origin, flip.change


def _grade_steps(source: Source) -> list[tuple[str, Reliability]]:
    """The one-step changes of *source*'s grade, as ``(label, new grade)``."""
    grade = source.reliability or Reliability.F
    at = GRADE_STEPS.index(grade)
    steps = [GRADE_STEPS[k] for k in (at - 1, at + 1) if 0 <= k < len(GRADE_STEPS)]
    return [(f"grade {grade.value}→{new.value}", new) for new in steps]


def _lead(case: Case, result: Assessments, claims: Sequence[str]) -> tuple[str, float, Estimate]:
    """The leading answer among *claims* (ids, in the case's order): id, probability, word."""
    best = result[ranked([case.claims[cid] for cid in claims], result)[0].id]
    return best.claim, best.probability, best.estimate


@attrs.frozen
class _Variant:
    """One change to try: an origin on one question, removed or regraded."""

    question: str
    origin: str
    change: str
    drop: tuple[int, ...] = ()
    """For a removal, the positions of the attributions removed."""
    source: Source | None = None
    """For a change of grade, the source as regraded."""


class _Plan:
    """The case read once: its assessment, each attribution's origin, and its groups."""

    def __init__(self, case: Case, settings: Settings) -> None:
        self.case = case
        self.settings = settings
        self.atts = case.attributions
        self.base = assess(case, settings)
        self.origin_of = origins(case, merge_echoes=settings.merge_echoes)
        self.by_claim: dict[str, list[int]] = defaultdict(list)
        for i, att in enumerate(self.atts):
            self.by_claim[att.claim].append(i)
        self.heads: dict[str, tuple[str, float, Estimate]] = {}
        self.answers: dict[str, list[str]] = {}
        self._groups: dict[str, _Group] | None = None
        self._regraded: dict[tuple[str, Reliability], Source] = {}

    def variants(self, qid: str, *, grades: bool) -> Iterator[_Variant]:
        """The changes to try on question *qid*; none if no origin votes on its answers."""
        claims = [c.id for c in self.case.claims_of(qid)]
        base = self.base
        voting = sorted({v.origin for cid in claims for v in base[cid].votes})
        if not voting:
            return
        self.heads[qid] = _lead(self.case, base, claims)
        self.answers[qid] = claims
        positions = sorted(i for cid in claims for i in self.by_claim.get(cid, ()))
        sources = self.case.sources
        for origin in voting:
            drop = tuple(i for i in positions if self.origin_of[i] == origin)
            yield _Variant(qid, origin, REMOVED, drop=drop)
            source = sources.get(origin)
            if grades and source is not None:
                for label, grade in _grade_steps(source):
                    regraded = self._regraded.get((origin, grade))
                    if regraded is None:
                        regraded = attrs.evolve(source, reliability=grade)
                        self._regraded[origin, grade] = regraded
                    yield _Variant(qid, origin, label, source=regraded)

    # ---- the learned mode: the whole case, once per change ----------------------------------

    def whole_case(self, variants: Sequence[_Variant]) -> list[tuple[str, float, Estimate]]:
        """Each change's verdict, the whole case assessed once per change."""
        case = self.case
        regraded: dict[tuple[str, Reliability | None], Assessments] = {}
        out = []
        for v in variants:
            if v.source is None:
                drop = set(v.drop)
                atts = [a for i, a in enumerate(self.atts) if i not in drop]
                result = assess(_case(case, case.sources, atts), self.settings)
            else:
                key = (v.source.id, v.source.reliability)
                if key not in regraded:
                    sources = {**case.sources, v.source.id: v.source}
                    regraded[key] = assess(_case(case, sources, self.atts), self.settings)
                result = regraded[key]
            out.append(_lead(self.case, result, self.answers[v.question]))
        return out

    # ---- the plain mode: rounds of changes, many questions at once ---------------------------

    def batched(self, variants: Sequence[_Variant]) -> list[tuple[str, float, Estimate]]:
        """Each change's verdict, from rounds that each assess many changes as one case.

        A round holds each group of claims at most once: a removal round, one removal per
        group; a round of grades, the groups of the changes it holds, which never share a
        group or a source that bears on one (see :meth:`_grade_runs`).
        """
        out: list[tuple[str, float, Estimate]] = [("", 0.0, Estimate.ROUGHLY_EVEN_CHANCE)] * len(
            variants
        )
        by_group: dict[str, list[int]] = defaultdict(list)
        for k, v in enumerate(variants):
            if v.source is None:
                by_group[self.group(v.question).key].append(k)
        rounds: list[tuple[list[int], dict[str, Source]]] = []
        for members in by_group.values():
            for r, k in enumerate(members):
                if r == len(rounds):
                    rounds.append(([], {}))
                rounds[r][0].append(k)
        rounds += self._grade_runs(variants)
        for members, sources in rounds:
            groups: dict[str, tuple[_Group, set[int]]] = {}
            for k in members:
                group = self.group(variants[k].question)
                groups.setdefault(group.key, (group, set()))[1].update(variants[k].drop)
            result = assess(self._together(groups.values(), sources), self.settings)
            for k in members:
                out[k] = _lead(self.case, result, self.answers[variants[k].question])
        return out

    def _together(
        self, groups: Iterable[tuple[_Group, set[int]]], sources: Mapping[str, Source]
    ) -> Case:
        """*groups* as one case, each less the attributions at its positions given."""
        case = self.case
        questions: dict[str, Question] = {}
        claims: dict[str, Claim] = {}
        positions: list[int] = []
        relations: list[Relation] = []
        for group, drop in groups:
            questions.update((q.id, q) for q in group.questions)
            claims.update((c.id, c) for c in group.claims)
            positions += (i for i in group.positions if i not in drop)
            relations += group.relations
        atts = self.atts
        return Case(
            title=case.title,
            sources={**case.sources, **sources},
            documents=dict(case.documents),
            questions=questions,
            claims=claims,
            attributions=[atts[i] for i in sorted(positions)],
            relations=relations,
            evidence=dict(case.evidence),
        )

    def _grade_runs(
        self, variants: Sequence[_Variant]
    ) -> list[tuple[list[int], dict[str, Source]]]:
        """The changes of grade, shared out among as few cases as can hold them.

        A case holds at most one change per source, and never a change of a source that
        bears on a copy made for another change (as a speaker, a body spoken for, a party,
        someone a claim is about or blames, a publisher, or a tie of any of these).
        """
        changes: dict[tuple[str, Reliability | None], list[int]] = defaultdict(list)
        regraded: dict[tuple[str, Reliability | None], Source] = {}
        for k, v in enumerate(variants):
            if v.source is not None:
                key = (v.source.id, v.source.reliability)
                changes[key].append(k)
                regraded[key] = v.source
        runs: list[tuple[list[int], dict[str, Source], set[str]]] = []
        for key, members in changes.items():
            sid = key[0]
            near = set().union(*(self.group(variants[k].question).near for k in members))
            run = next((r for r in runs if sid not in r[2] and near.isdisjoint(r[1])), None)
            if run is None:
                run = ([], {}, set())
                runs.append(run)
            run[0].extend(members)
            run[1][sid] = regraded[key]
            run[2].update(near)
        return [(m, s) for m, s, _ in runs]

    def group(self, qid: str) -> _Group:
        """The claims assessed with question *qid*: its own and those relations join to them."""
        if self._groups is None:
            self._groups = _groups(self.case, self.by_claim)
        return self._groups[qid]


@attrs.frozen
class _Group:
    """Claims assessed together: a question's, and those relations join to them.

    Attributes:
        key: What names the group.
        questions: The questions among them, in the case's order.
        claims: The claims, in the case's order.
        positions: Their attributions' positions, ascending.
        relations: The relations among them.
        near: The ids of the sources that bear on them.
    """

    key: str
    questions: tuple[Question, ...]
    claims: tuple[Claim, ...]
    positions: tuple[int, ...]
    relations: tuple[Relation, ...]
    near: frozenset[str]


def _groups(case: Case, by_claim: Mapping[str, list[int]]) -> dict[str, _Group]:
    """Every question's group: claims that relations join, across questions or without one."""
    claims, questions = case.claims, case.questions
    root = _joiner(case)
    members: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims.values():
        members[root(claim)].append(claim)
    joined: dict[str, list[Relation]] = defaultdict(list)
    for relation in case.relations:
        a, b = relation.claims
        if a in claims and b in claims:
            joined[root(claims[a])].append(relation)
    order = {qid: k for k, qid in enumerate(questions)}
    made: dict[str, _Group] = {}
    out: dict[str, _Group] = {}
    for qid in questions:
        top = root(qid)
        if top not in made:
            mine = members.get(top, [])
            asked = sorted({c.question for c in mine if c.question in order}, key=order.__getitem__)
            made[top] = _group(
                case,
                top,
                [questions[q] for q in asked],
                mine,
                sorted(i for c in mine for i in by_claim.get(c.id, ())),
                joined.get(top, []),
            )
        out[qid] = made[top]
    return out


def _joiner(case: Case) -> Callable[[Claim | str], str]:
    """What names the group of a claim or a question id: claims relations join share one.

    A claim's home is its question, or the claim itself if it answers none the case holds.
    """
    questions = case.questions
    parent: dict[str, str] = {}

    def home(claim: Claim) -> str:
        if claim.question is not None and claim.question in questions:
            return claim.question
        return "\0" + claim.id

    def root(item: Claim | str) -> str:
        node = item if isinstance(item, str) else home(item)
        while parent.get(node, node) != node:
            parent[node] = parent.get(parent[node], parent[node])
            node = parent[node]
        return node

    claims = case.claims
    for relation in case.relations:
        a, b = relation.claims
        if a in claims and b in claims:
            ra, rb = root(claims[a]), root(claims[b])
            if ra != rb:
                parent[rb] = ra
    return root


def _group(  # noqa: PLR0917 - one group's parts, each named
    case: Case,
    key: str,
    questions: list[Question],
    claims: list[Claim],
    positions: list[int],
    relations: list[Relation],
) -> _Group:
    """The group of *claims*, with the sources that bear on them."""
    atts, documents = case.attributions, case.documents
    named: list[str] = []
    for question in questions:
        named += question.parties
    for claim in claims:
        named += [*claim.about, *claim.blames]
    for i in positions:
        att = atts[i]
        named += [att.source, *att.via]
        if att.document is not None and att.document in documents:
            named.append(documents[att.document].publisher)
    return _Group(
        key,
        tuple(questions),
        tuple(claims),
        tuple(positions),
        tuple(relations),
        frozenset().union(*map(case.belongs_to, set(named))),
    )


def _case(case: Case, sources: Mapping[str, Source], atts: Sequence[Attribution]) -> Case:
    """*case* with *sources* and *atts* in place of its own."""
    return Case(
        title=case.title,
        sources=dict(sources),
        documents=dict(case.documents),
        questions=dict(case.questions),
        claims=dict(case.claims),
        attributions=list(atts),
        relations=list(case.relations),
        evidence=dict(case.evidence),
    )
