"""One run of the engine: read the votes, weigh them, let answers compete, judge each claim.

Every step works on arrays over all attributions, votes or claims at once (see
:mod:`~claimtrack.engine._rules` for the rules). The votes and reasons a reader asks for
are built from the same arrays, one claim when first read.
"""

from __future__ import annotations

import functools
import itertools

from collections.abc import Collection, Sequence
from typing import Any

import numpy as np

from claimtrack.engine._assessment import Assessment, Assessments, AssessmentWarning
from claimtrack.engine._competition import chances, scores
from claimtrack.engine._contradictions import (
    Contradiction,
    ContradictionKind,
    answers_by_question,
    declared_compatible,
    declared_list,
    derived_once,
    explained_pairs,
)
from claimtrack.engine._explain import ArrayExplanation
from claimtrack.engine._figures import figures
from claimtrack.engine._joint import superseded
from claimtrack.engine._reading import Read, Reader
from claimtrack.engine._rules import (
    ASSERT,
    CONFIDENCE_RULES,
    CREDIBLE_GRADES,
    DENY,
    DOUBT,
    GRADE_RANKS,
    GRADES,
    PURPORT,
    RETRACT,
    STAKES,
    STATUS_CODES,
    STATUSES,
    STRONG,
    Bools,
    Floats,
    Ints,
    base_weights,
    best_grades,
    confidence_rules,
    credibilities,
    diminished,
    objects,
    outweighed,
    statuses,
)
from claimtrack.engine._scales import BAND_WORDS, PERCENT_EDGES, Status
from claimtrack.engine._settings import Settings
from claimtrack.engine._shapes import by_shape, shape_codes, touched
from claimtrack.engine._stakes import DISCOUNTED
from claimtrack.model import Case, Claim, Reliability


_STATUS_OBJECTS = objects(STATUSES)
_WORD_OBJECTS = objects(BAND_WORDS)
_GRADE_OBJECTS = objects(GRADES)
_STRONG_RANKS = np.isin(np.arange(len(GRADES)), [GRADE_RANKS[g] for g in STRONG])
_CREDIBLE_RANKS = np.isin(np.arange(len(GRADES)), [GRADE_RANKS[g] for g in CREDIBLE_GRADES])
_LEVEL_OBJECTS = objects(level for level, _ in CONFIDENCE_RULES)


class Engine:
    """One run of the engine on a snapshot of a case; its state is dropped once judged."""

    def __init__(self, case: Case, settings: Settings) -> None:
        self.settings = settings
        self.claim_index = case._claim_index  # noqa: SLF001 - the loader's, if it is current
        # copies of the case's own dicts: copying through the read-only views is ten times slower
        self.sources = case._sources.copy()  # noqa: SLF001
        self.claims = case._claims.copy()  # noqa: SLF001
        self.questions = case._questions.copy()  # noqa: SLF001
        # the snapshot holds these very dicts, so the run reads plain dicts, not proxies
        self.case = Case(
            case.title,
            case.description,
            self.sources,
            case._documents.copy(),  # noqa: SLF001
            self.questions,
            self.claims,
            list(case.attributions),
            list(case.relations),
            case.text_dirs,
            case.path,
            dict(case.evidence),
        )
        self.atts = self.case.attributions

    @functools.cached_property
    def answers(self) -> dict[str, list[Claim]]:
        """The claims of each question, in the case's order; grouped when first needed."""
        return answers_by_question(self.case)

    def run(self) -> Assessments:
        """Votes, hypotheses, judgements, warnings and figures."""
        read = self.read()
        rank, weight = self.weigh(read)
        return self.judged(read, rank, self.diminish(read, weight))

    def read(self) -> Read:
        """The case's votes as arrays."""
        return Reader(self.case, self.settings, self.claim_index).read()

    def weigh(self, read: Read) -> tuple[Ints, Floats]:
        """Each vote's grade rank and weight: its base weight times its factor."""
        return self.weighed(read, read.alt)

    def weighed(self, read: Read, alt: Ints) -> tuple[Ints, Floats]:
        """:meth:`weigh`, with *alt* answers competing for each claim's question."""
        odds_of: dict[int, float] = {}
        ranks = []
        for origin in read.origins:
            source = self.sources.get(origin)
            grade = source.reliability if source else None
            rank = GRADE_RANKS[grade or Reliability.F]
            accuracy = self.settings.accuracy.of(grade)
            odds_of[rank] = accuracy / (1 - accuracy)
            ranks.append(rank)
        o_rank = np.array(ranks, dtype=np.int64)
        v_rank = o_rank[read.v_origin]
        base = base_weights(v_rank, read.v_stance, alt[read.v_claim], odds_of, self.settings)
        return v_rank, base * read.v_factor

    def spare(self, read: Read) -> Floats | None:
        """Each claim's score were one more answer taking part in its exclusive question.

        What an answer nobody asserts is judged against (see
        :func:`~claimtrack.engine._joint.unspoken`): as one more answer, it would give
        its rivals one more alternative each.
        """
        more = read.alt + ((read.asks >= 0) & read.active)
        _, weight = self.weighed(read, more)
        return _scores(read, self.diminish(read, weight))

    def diminish(self, read: Read, weight: Floats) -> Floats:
        """The weights once origins on one side of a claim give diminishing returns."""
        by_id = np.argsort(np.array(read.origins, dtype=object), kind="stable")
        place = np.empty(len(by_id), dtype=np.int64)
        place[by_id] = np.arange(len(by_id))
        return diminished(
            read.v_claim,
            read.v_stance == ASSERT,
            weight,
            place[read.v_origin],
            self.settings.correlation,
        )

    # ---- judgement ------------------------------------------------------------------------

    def judged(self, read: Read, rank: Ints, weight: Floats) -> Assessments:
        """Scores, competition, judgements, warnings and figures from weighed votes."""
        count = read.count
        v_claim, v_stance = read.v_claim, read.v_stance
        pro = v_stance == ASSERT
        den = v_stance == DENY
        heavy = weight > 0

        def per_claim(mask: Bools) -> Ints:
            return np.bincount(v_claim[mask], minlength=count)

        votes = np.bincount(v_claim, minlength=count)
        first = np.cumsum(votes) - votes
        score = _scores(read, weight)
        counts = shape_codes(self.claims)
        contradictions, pairs = self.contradictions(read, counts)
        found = chances(
            self.case,
            read,
            score,
            counts=counts,
            answers=self.answers,
            active=read.active,
            spare=lambda: self.spare(read),
        )
        p = found.probability
        superseding = np.zeros(count, dtype=bool)
        superseding[[read.where[cid] for cid in superseded(self.case)]] = True
        backed = _backed(pairs, v_claim[pro & heavy], count)
        retracting = np.zeros(count, dtype=bool)
        retract = (read.stance == RETRACT) & (read.ci < count)
        retracting[np.unique(read.ci[retract])] = True

        n_pro, n_den = per_claim(pro), per_claim(den)
        status = statuses(
            pro=n_pro,
            denials=n_den,
            purported_pro=per_claim(pro & (read.v_mode == PURPORT)),
            doubting=per_claim((v_stance == DOUBT) & heavy),
            outweighed=outweighed(
                votes, first, pro=n_pro, denials=n_den, weight=weight, stance=v_stance
            ),
            backed=backed,
            retracting=retracting,
            superseded=superseding,
        )
        # confidence rests on the deniers of a denied claim, else on the supporters
        denied = status == STATUS_CODES[Status.DENIED]
        mine = np.where(denied[v_claim], den, pro) & heavy
        credible = _CREDIBLE_RANKS[rank]
        # who can hold confidence down: credible, weighty origins without a stake
        neutral = credible & heavy & ~self.partisan(read)
        against = np.where(denied[v_claim], pro, ~pro) & neutral
        # (a rival's support bears against a claim, and with the deniers of a denied one)
        disputed = (per_claim(against) > 0) | (
            _backed(pairs, v_claim[pro & neutral], count) & ~denied
        )
        rule = confidence_rules(
            status,
            heavy=per_claim(mine),
            credible=per_claim(mine & credible),
            strong=per_claim(mine & _STRONG_RANKS[rank]),
            disputed=disputed,
        )
        explanation = self.explanation(
            read,
            weight=weight,
            rank=rank,
            probability=p,
            rule=rule,
            side=per_claim(mine & credible),
            correlation=self.settings.correlation,
            groups=found.groups,
            backed=lambda: backed_rivals(
                contradictions, {read.ids[c] for c in np.unique(v_claim[pro & heavy]).tolist()}
            ),
        )
        judged = map(
            Assessment,
            read.ids,
            read.asked,
            p.tolist(),
            _WORD_OBJECTS[np.searchsorted(PERCENT_EDGES, np.round(p * 100), side="right")].tolist(),
            _LEVEL_OBJECTS[rule].tolist(),
            credibilities(p, votes, per_claim(pro & heavy & credible), status, disputed),
            _GRADE_OBJECTS[best_grades(count, v_claim, pro, rank, n_pro)].tolist(),
            _STATUS_OBJECTS[status].tolist(),
            itertools.repeat(explanation, count),
        )
        purported = np.flatnonzero(read.mode == PURPORT).tolist()
        warnings = self.warnings(read, purported)
        warnings += [AssessmentWarning.approximate(g.names, g.size) for g in found.approximate]
        return Assessments(
            tuple(judged),
            tuple(contradictions),
            tuple(warnings),
            tuple(figures(self.claims, self.questions, p, status, counts)),
        )

    def partisan(self, read: Read) -> Bools:
        """Per vote: whether its origin has a stake in the claim.

        A vote has one when an attribution it counts is discounted for its stake (its own
        actions, an accusation, a denial of its own blame), or its origin, or a body it
        belongs to, is a party to the claim's question.
        """
        out = np.zeros(len(read.v_claim), dtype=bool)
        discounted = [i for i in read.staked if STAKES[read.stake[i]] in DISCOUNTED]
        if discounted:
            row_of = {int(g): r for r, g in enumerate(read.v_group.tolist())}
            group_of = np.empty(len(read.order), dtype=np.int64)
            group_of[read.order] = np.repeat(np.arange(len(read.starts)), read.ends - read.starts)
            for i in discounted:
                g = int(group_of[i])
                if g in row_of and i in read.positions(g):
                    out[row_of[g]] = True
        parties = {qid: set(q.parties) for qid, q in self.questions.items() if q.parties}
        if parties:
            sides: dict[str, set[str]] = {}
            asked = read.asked
            for r, (c, o) in enumerate(
                zip(read.v_claim.tolist(), read.v_origin.tolist(), strict=True)
            ):
                mine = parties.get(asked[c]) if asked[c] is not None else None
                if mine:
                    origin = read.origins[o]
                    found = sides.get(origin)
                    if found is None:
                        found = sides[origin] = self.case.belongs_to(origin) | {origin}
                    out[r] |= not found.isdisjoint(mine)
        return out

    def explanation(self, read: Read, **arrays: Any) -> ArrayExplanation:
        """What builds each assessment's votes and reasons when they are first read."""
        return ArrayExplanation(self.case, read, **arrays)

    # ---- contradictions -------------------------------------------------------------------

    def contradictions(self, read: Read, counts: Ints) -> tuple[list[Contradiction], Ints]:
        """Declared and derived contradictions, a shape of question at a time; and their pairs.

        The pairs' claims are positions among the claims, one row per contradiction in no
        particular order, -1 where the case lacks a declared contradiction's claim.
        Derived ones come question by question, in the case's order, each question's pairs
        in the order of its answers.
        """
        case, where = self.case, read.where
        out, seen = declared_list(case)
        compatible = declared_compatible(case)
        related = {cid for pair in seen | compatible for cid in pair}
        numbered = {qid: k for k, qid in enumerate(self.questions)}
        # what a relation touches goes one question at a time
        one_by_one: list[tuple[int, list[Contradiction]]] = []
        for qid in touched(related, self.claims, self.questions):
            found = self.answers.get(qid, [])
            if len(found) >= 2:  # noqa: PLR2004 - a pair needs two
                pairs = explained_pairs(found, exclusive=self.questions[qid].exclusive)
                one_by_one.append(
                    (numbered[qid], derived_once(qid, found, pairs, seen, compatible))
                )
        # the rest by shape: each shape's pairs repeat in each of its questions
        parts: list[tuple[Ints, Ints, Ints, Ints, Ints]] = []
        made: list[tuple[ContradictionKind, str]] = []
        claims = list(self.claims.values())
        for exclusive, answers, questions, at in by_shape(
            read, claims, counts, least=2, skip=related
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
        names, ids = list(self.questions), read.ids
        kinds, reasons = [k for k, _ in made], [r for _, r in made]
        # declared ones, and those of questions taken one by one: their claims looked up by id
        by_id = [c.claims for c in out] + [c.claims for _, found in one_by_one for c in found]
        done = 0
        for position, derived in [*one_by_one, (len(names), [])]:
            upto = int(q.searchsorted(position))
            w = why[done:upto].tolist()
            out += map(
                Contradiction,
                zip(
                    map(ids.__getitem__, a[done:upto].tolist()),
                    map(ids.__getitem__, b[done:upto].tolist()),
                    strict=True,
                ),
                map(kinds.__getitem__, w),
                map(reasons.__getitem__, w),
                map(names.__getitem__, q[done:upto].tolist()),
            )
            out += derived
            done = upto
        named = np.array(
            [[where.get(x, -1), where.get(y, -1)] for x, y in by_id], dtype=np.int64
        ).reshape(-1, 2)
        return out, np.concatenate([np.column_stack([a, b]), named])

    # ---- warnings -------------------------------------------------------------------------

    def name(self, source: str) -> str:
        """A source's name, or its id if the case lacks it."""
        found = self.sources.get(source)
        return found.name if found else source

    def warnings(self, read: Read, purported: list[int]) -> list[AssessmentWarning]:
        """Circular reporting, repeated origins, then each attribution's own warnings.

        Those are: a purported statement, a speaker with a stake, a lone retraction.
        """
        name = self.name
        out = [
            AssessmentWarning.circular(e, merged=self.settings.merge_echoes) for e in read.echoes
        ]
        out += [
            AssessmentWarning.repeated(claim, name(origin), [name(p) for p in publishers])
            for _, claim, origin, publishers in read.repeated
        ]
        flagged = set(purported)
        concerned = set(read.staked)
        lone = set(read.lone)
        for i in sorted(flagged | concerned | lone):
            att = self.atts[i]
            if i in flagged:
                out.append(AssessmentWarning.purported(i, name(att.source), att.claim))
            if i in concerned:
                out.append(self.stake_warning(read, i))
            if i in lone:
                out.append(AssessmentWarning.lone_retraction(i, name(att.source), att.claim))
        return out

    def stake_warning(self, read: Read, position: int) -> AssessmentWarning:
        """The warning for an attribution whose speaker has a stake in it."""
        att = self.atts[position]
        claim = self.claims.get(att.claim)
        blamed = [self.name(s) for s in claim.blames] if claim else []
        return AssessmentWarning.stake(
            position,
            self.name(att.source),
            att.claim,
            stake=STAKES[read.stake[position]],
            stance=att.stance,
            blamed=blamed,
        )


def _backed(pairs: Ints, heavy: Ints, count: int) -> Bools:
    """Claims contradicted by a claim that has weighty support of its own.

    *pairs* are the contradictions' claims as positions, one row each; -1 where the case
    lacks the claim.
    """
    supported = np.zeros(count, dtype=bool)
    supported[heavy] = True
    pairs = pairs[(pairs >= 0).all(axis=1)]
    backed = np.zeros(count, dtype=bool)
    backed[pairs[supported[pairs[:, 1]], 0]] = True
    backed[pairs[supported[pairs[:, 0]], 1]] = True
    return backed


def backed_rivals(
    contradictions: Sequence[Contradiction], supported: Collection[str]
) -> dict[str, list[str]]:
    """For each claim, the claims contradicting it that have weighty support of their own."""
    rivals: dict[str, list[str]] = {}
    for c in contradictions:
        first, second = c.claims
        rivals.setdefault(first, []).append(second)
        rivals.setdefault(second, []).append(first)
    return {cid: [r for r in found if r in supported] for cid, found in rivals.items()}


def _scores(read: Read, weight: Floats) -> Floats:
    """Each claim's score from its votes' weights: for it, less against it."""
    votes = np.bincount(read.v_claim, minlength=read.count)
    first = np.cumsum(votes) - votes
    return scores(votes, first, np.where(read.v_stance == ASSERT, weight, -weight))
