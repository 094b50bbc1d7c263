"""What a report says, gathered once from a case and its assessments, before any rendering.

The rich renderables and the Markdown renderer read the same :class:`Content`, so the
terminal, SVG, HTML and Markdown outputs cannot disagree. Every number here comes from the
engine (:mod:`claimtrack.engine`) or is a plain count of the case's records; strings are
kept raw and cleaned by the renderers.
"""

from __future__ import annotations

import datetime as dt

from collections import defaultdict
from collections.abc import Iterable, Sequence

import attrs

from claimtrack.engine import (
    Assessment,
    Assessments,
    Confidence,
    Figures,
    Settings,
    WarningKind,
    ranked,
    sensitivity,
)
from claimtrack.engine._assessment import explained
from claimtrack.engine._contradictions import Contradiction
from claimtrack.engine._joint import superseded
from claimtrack.engine._origins import when_key
from claimtrack.engine._stakes import Stake
from claimtrack.model._anchor import AnchorStatus
from claimtrack.model._case import Case
from claimtrack.model._dates import first_day, last_day
from claimtrack.model._records import Attribution, Claim, Hedge, Mode, Moment, Question, Stance


@attrs.frozen
class Rests:
    """An item of evidence an attribution rests on, as the report names it.

    Attributes:
        id: The item's id.
        kind: Its kind (``video``), or ``None`` if the case does not hold the item.
    """

    id: str
    kind: str | None


@attrs.frozen
class Said:
    """One attribution as a provenance tree shows it.

    Attributes:
        index: Its position in the case.
        stance: What the speaker did with the claim.
        chain: Names along the reporting chain, from the publisher to the speaker.
        publisher: The name of the document's publisher, if there is a document.
        document: The document's title.
        date: When it was said or published, as ISO text.
        quote: The exact words, if recorded.
        anchor: Where the quote stands in the document's text; ``None`` if not checked.
        mode: On the record, anonymous or purported.
        interested: Whether the speaker talks about its own actions.
        counted: Whether it is behind its origin's vote (not retracted or superseded).
        speaker: The speaker's name.
        folded: Whether it sits under an origin other than its speaker (a spokesperson
            counted with its body, or a speaker whose evidence another origin shares).
        ident: The attribution's own id, if it has one.
        hedge: The speaker's own hedge (``likely``), if it gave one.
        speaks_for: The name of the body it counts as, when the speaker speaks for one.
        in_own_name: Whether the speaker speaks for itself here, not for its body.
        against_interest: Whether the analyst marked it as against the speaker's interest.
        evidence: The items of evidence it rests on (``based_on``).
        withdraws: On a retraction, the id of the attribution it withdraws.
        withdrawn_by: The names of the speakers of the retractions that withdraw it.
        notes: The analyst's notes on the attribution.
        source: The speaker's id (the anchor of its row in the list of sources).
    """

    index: int
    stance: Stance
    chain: tuple[str, ...]
    publisher: str | None
    document: str | None
    date: str | None
    quote: str | None
    anchor: AnchorStatus | None
    mode: Mode
    interested: bool
    counted: bool
    speaker: str = ""
    folded: bool = False
    ident: str | None = None
    hedge: Hedge | None = None
    speaks_for: str | None = None
    in_own_name: bool = False
    against_interest: bool = False
    evidence: tuple[Rests, ...] = ()
    withdraws: str | None = None
    withdrawn_by: tuple[str, ...] = ()
    notes: str | None = None
    source: str = ""


@attrs.frozen
class Origin:
    """An independent origin's say on one claim, with the attributions behind it.

    Attributes:
        name: The origin's name.
        grade: Its Admiralty reliability letter (F when ungraded).
        role: Its role, if recorded.
        stance: The stance of its vote, or ``None`` if it no longer votes (retracted).
        weight: What its vote moves, in log-odds, as the engine computed it.
        said: Its attributions on the claim, in the order they were said.
        stake: What the origin has at stake in its vote, in words (``accusation``), when
            the engine found a stake other than its own actions (which each attribution
            marks as an interested party).
        speakers: The names of the other speakers its vote counts: spokespeople counted
            with their body, and origins that rest on the same evidence.
        id: The origin's source id.
    """

    name: str
    grade: str
    role: str | None
    stance: Stance | None
    weight: float | None
    said: tuple[Said, ...]
    stake: str | None = None
    speakers: tuple[str, ...] = ()
    id: str = ""


@attrs.frozen
class Answer:
    """One claim in its question, with its assessment and its provenance.

    Attributes:
        label: A short label that ties the panels, matrix and conflicts together (``A1``).
        claim: The claim.
        assessment: The engine's assessment of it.
        origins: Its origins, strongest vote first.
        blames: The names of the sources the claim blames.
        fragile: Whether the answer leads its question and rests on one origin: removing
            a single origin would change the leading answer or its estimative word (see
            :func:`claimtrack.sensitivity`; looked at for up to :data:`FRAGILE_LIMIT`
            questions).
        key: The label unique across the case (``truce:A2``; ``C1`` for a claim without
            a question).
        superseded_by: The key of the answer that supersedes it, a later figure, if any.
        supersedes: The keys of the answers it supersedes.
        first_said: When it was first said or published, as ISO text, if known.
    """

    label: str
    claim: Claim
    assessment: Assessment
    origins: tuple[Origin, ...]
    blames: tuple[str, ...] = ()
    fragile: bool = False
    key: str = ""
    superseded_by: str | None = None
    supersedes: tuple[str, ...] = ()
    first_said: str | None = None


@attrs.frozen
class Row:
    """One row of the source × answer matrix.

    Attributes:
        source: The speaker's name.
        grade: Its reliability letter.
        cells: For each answer, the stances the source took on it, in the order said.
        id: The source's id.
    """

    source: str
    grade: str
    cells: tuple[tuple[Stance, ...], ...]
    id: str = ""


@attrs.frozen
class Section:
    """A question and its competing answers, or the claims that answer no question.

    Attributes:
        question: The question; ``None`` for the section of claims without one.
        answers: The answers, most probable first.
        rows: The source × answer matrix.
        figures: The engine's low, best and high figures, for a numeric question.
        parties: The names of the question's parties.
    """

    question: Question | None
    answers: tuple[Answer, ...]
    rows: tuple[Row, ...]
    figures: Figures | None
    parties: tuple[str, ...] = ()


@attrs.frozen
class Side:
    """One side of a conflict: the claim and its strongest attribution.

    Attributes:
        label: The claim's label in the report, or its id if it is shown elsewhere.
        claim: The claim.
        assessment: Its assessment.
        strongest: The attribution behind its strongest supporting vote, if any.
    """

    label: str
    claim: Claim
    assessment: Assessment
    strongest: Said | None


@attrs.frozen
class Conflict:
    """A contradiction with both sides.

    Attributes:
        contradiction: The engine's contradiction.
        sides: The two sides, in the contradiction's order.
    """

    contradiction: Contradiction
    sides: tuple[Side, Side]


@attrs.frozen
class WarningRow:
    """One warning line of the report.

    Attributes:
        kind: A short word for what sort of warning (``circular reporting``).
        message: The sentence.
    """

    kind: str
    message: str
    claim: str | None = None


@attrs.frozen
class SourceRow:
    """One source in the list of sources: what the case records of it.

    Attributes:
        id: Its id.
        name: Its name.
        kind: Its kind (``outlet``).
        grade: Its reliability letter (F when ungraded).
        role: Its role, if recorded.
        notes: The analyst's notes on it.
    """

    id: str
    name: str
    kind: str
    grade: str
    role: str | None
    notes: str | None


@attrs.frozen
class RelationRow:
    """A relation the analyst (or a source) declared between two claims.

    Attributes:
        kind: How the first claim bears on the second (``supersedes``).
        first: The first claim's label (``toll:A1``), or its id when out of the report.
        second: The second claim's label.
        first_text: The first claim's text.
        second_text: The second claim's text.
        by: The name of the source that decided it; ``None`` for the analyst.
        reason: Why, in the analyst's words.
        dates: For ``supersedes``, when each claim was first said, as ISO text.
        in_conflicts: Whether the conflicts show it already, with who decided it and why
            (the first ``contradicts`` of a pair of claims).
    """

    kind: str
    first: str
    second: str
    first_text: str
    second_text: str
    by: str | None
    reason: str | None
    dates: tuple[str | None, str | None] = (None, None)
    in_conflicts: bool = False


@attrs.frozen
class Judgement:
    """One question's key judgement, as the summary at the top of the report shows it.

    Attributes:
        section: The question's section.
        leader: Its leading answer, if any claim answers it.
        rival: The strongest rival answer, if any.
        backers: The names of the origins that assert the rival.
        conflicts: How many contradictions involve its answers.
        warnings: How many warnings concern its answers.
        fragile: Whether the leader rests on one origin.
        superseded: How many of its answers are figures superseded by later ones.
    """

    section: Section
    leader: Answer | None
    rival: Answer | None
    backers: tuple[str, ...]
    conflicts: int
    warnings: int
    fragile: bool
    superseded: int


@attrs.frozen
class EvidenceRow:
    """One item of evidence, with what rests on it.

    Attributes:
        id: Its id.
        kind: Its kind (``video``).
        description: What it is, in the analyst's words.
        first_seen: When it was first seen in public, as ISO text.
        resting: Who rests on it: each speaker's name with the label of the claim.
    """

    id: str
    kind: str
    description: str
    first_seen: str | None
    resting: tuple[str, ...]


@attrs.frozen
class Counts:
    """The size of the case, as the header shows it."""

    sources: int
    documents: int
    questions: int
    claims: int
    attributions: int
    origins: int


@attrs.frozen
class Content:
    """Everything a report shows.

    Attributes:
        title: The case's title.
        description: The case's description.
        counts: How many records, and how many independent origins the engine found.
        span: The first and last publication dates of the documents, if any is dated.
        scope: The question shown alone, if one was chosen.
        sections: The questions, then the claims without a question.
        conflicts: Every contradiction in scope.
        warnings: Every warning in scope.
        evidence: The items of evidence in scope (all the case's for the whole case;
            those that attributions in scope rest on for one question).
        summary: The key judgements: one per question in scope, in the sections' order.
        sources: The sources in scope (all the case's for the whole case).
        relations: The relations declared between claims in scope.
    """

    title: str
    description: str | None
    counts: Counts
    span: tuple[str, str] | None
    scope: Question | None
    sections: tuple[Section, ...]
    conflicts: tuple[Conflict, ...]
    warnings: tuple[WarningRow, ...]
    evidence: tuple[EvidenceRow, ...] = ()
    summary: tuple[Judgement, ...] = ()
    sources: tuple[SourceRow, ...] = ()
    relations: tuple[RelationRow, ...] = ()


_KIND_WORDS = {
    WarningKind.CIRCULAR_REPORTING: "circular reporting",
    WarningKind.REPEATED_ORIGIN: "repeated origin",
    WarningKind.PURPORTED: "purported",
    WarningKind.INTERESTED_PARTY: "interested party",
    WarningKind.AGAINST_INTEREST: "against interest",
    WarningKind.RETRACTION: "retraction",
    WarningKind.APPROXIMATE: "approximate joint judgement",
    WarningKind.COPYING: "copying",
}

STAKE_WORDS = {
    Stake.ACCUSES: "accusation",
    Stake.DENIES_BLAME: "denial of blame",
    Stake.ADMITS: "admission",
    Stake.AGAINST_INTEREST: "against interest",
}
"""The stakes a vote's origin label names; own actions are marked on each attribution."""


SORTS = ("case", "confidence", "conflicts")
"""How a report can order its questions: as in the case; the weakest judgements first
(analytic confidence, then probability of the leading answer); the most conflicts first."""

_CONFIDENCE_RANK = {Confidence.LOW: 0, Confidence.MODERATE: 1, Confidence.HIGH: 2}

FRAGILE_LIMIT = 1_000
"""The most questions a report looks at for leaders that rest on one origin.

Each question costs a reading of its attributions per origin voting on it (see
:func:`claimtrack.sensitivity`), a few seconds for a thousand questions; a report of more
questions marks none.
"""


def _day_text(moment: Moment) -> str:
    """The day of *moment* as ISO text; a month or a year as given."""
    return (moment.date() if isinstance(moment, dt.datetime) else moment).isoformat()


def _iso(moment: Moment | None) -> str | None:
    """A moment as ISO text, at the precision given (a date and time to the minute)."""
    if moment is None:
        return None
    if isinstance(moment, dt.datetime):
        return moment.isoformat(timespec="minutes")
    return moment.isoformat()


@attrs.define
class _Builder:
    case: Case
    assessments: Assessments
    settings: Settings | None = None
    # the key judgements alone: no provenance, matrix, evidence, sources or relations
    brief: bool = False
    labels: dict[str, str] = attrs.Factory(dict)
    anchors: dict[int, AnchorStatus | None] = attrs.Factory(dict)
    # the attributions once (the case's property copies them on every read), and by claim
    atts: Sequence[Attribution] = attrs.field(init=False)
    by_claim: dict[str, list[int]] = attrs.field(init=False)
    figures: dict[str, Figures] = attrs.field(init=False)
    # the retractions that withdraw an attribution, by the id they name
    withdrawals: dict[str, list[int]] = attrs.field(init=False)
    # the source each attribution counts as (a spokesperson's body), by position
    voices: list[str] = attrs.field(init=False)
    # the leading answers that rest on one origin
    fragile: set[str] = attrs.field(init=False, factory=set)
    # each claim's label unique across the case (truce:A2), and the figures superseded
    keys: dict[str, str] = attrs.Factory(dict)
    later: dict[str, str] = attrs.field(init=False, factory=dict)
    earlier: dict[str, list[str]] = attrs.field(init=False, factory=dict)

    def __attrs_post_init__(self) -> None:
        self.atts = self.case.attributions
        self.voices = self.case.speakers_as()
        self.by_claim = defaultdict(list)
        self.withdrawals = defaultdict(list)
        for i, att in enumerate(self.atts):
            self.by_claim[att.claim].append(i)
            if att.withdraws is not None:
                self.withdrawals[att.withdraws].append(i)
        self.figures = {}
        for f in self.assessments.figures:
            self.figures.setdefault(f.question, f)
        self.later = superseded(self.case)
        self.earlier = defaultdict(list)
        for old, new in self.later.items():
            self.earlier[new].append(old)

    def content(self, question: Question | None, sort: str = "case") -> Content:
        if sort not in SORTS:
            msg = f"unknown order '{sort}': use one of {', '.join(SORTS)}"
            raise ValueError(msg)
        case = self.case
        if question is not None:
            scopes: list[tuple[Question | None, list[Claim]]] = [
                (question, case.claims_of(question.id))
            ]
        else:
            scopes = [(q, case.claims_of(q.id)) for q in case.questions.values()]
            loose = [c for c in case.claims.values() if c.question not in case.questions]
            if loose:
                scopes.append((None, loose))
        self.fragile = self._fragile([q.id for q, claims in scopes if q is not None and claims])
        listed = [(q, ranked(claims, self.assessments)) for q, claims in scopes]
        for q, claims in listed:
            prefix = "A" if q is not None else "C"
            for n, claim in enumerate(claims, 1):
                self.labels.setdefault(claim.id, f"{prefix}{n}")
                key = f"{q.id}:{prefix}{n}" if q is not None else f"{prefix}{n}"
                self.keys.setdefault(claim.id, key)
        sections = [self._section(q, claims) for q, claims in listed]
        in_scope = {a.claim.id for s in sections for a in s.answers}
        conflicts = tuple(self._conflicts(in_scope))
        warnings = tuple(self._warnings(in_scope))
        # conflicts and warnings counted once per question they concern
        owner = {a.claim.id: n for n, s in enumerate(sections) for a in s.answers}
        in_conflict: dict[int, int] = defaultdict(int)
        for c in conflicts:
            for n in {owner[side.claim.id] for side in c.sides if side.claim.id in owner}:
                in_conflict[n] += 1
        warned: dict[int, int] = defaultdict(int)
        for w in warnings:
            if w.claim in owner:
                warned[owner[w.claim]] += 1
        asked = [s for s in sections if s.question]
        backers = self._backers([s.answers[1].assessment for s in asked if len(s.answers) > 1])
        summary = [
            self._judgement(s, in_conflict[n], warned[n], backers)
            for n, s in enumerate(sections)
            if s.question
        ]
        summary = _sorted(summary, sort)
        order = {id(j.section): n for n, j in enumerate(summary)}
        sections.sort(key=lambda s: order.get(id(s), len(order)))
        return Content(
            title=case.title,
            description=case.description,
            counts=self._counts(),
            span=self._span(),
            scope=question,
            sections=tuple(sections),
            conflicts=conflicts,
            warnings=warnings,
            evidence=() if self.brief else tuple(self._evidence(in_scope, whole=question is None)),
            summary=tuple(summary),
            sources=() if self.brief else tuple(self._sources(in_scope, whole=question is None)),
            relations=() if self.brief else tuple(self._relations(in_scope)),
        )

    def _backers(self, rivals: Sequence[Assessment]) -> dict[str, tuple[str, ...]]:
        """The names of the origins asserting each of *rivals*, by claim.

        From the votes, since a brief report builds no origins: built together, and
        without the reasons, which the key judgements do not show.
        """
        return {
            a.claim: tuple(self._name(v.origin) for v in votes if v.stance is Stance.ASSERTS)
            for a, votes, _ in explained(rivals, reasons=False)
        }

    def _judgement(
        self,
        section: Section,
        conflicts: int,
        warnings: int,
        backers: dict[str, tuple[str, ...]],
    ) -> Judgement:
        answers = section.answers
        leader = answers[0] if answers else None
        rival = answers[1] if len(answers) > 1 else None
        return Judgement(
            section=section,
            leader=leader,
            rival=rival,
            backers=() if rival is None else backers[rival.claim.id],
            conflicts=conflicts,
            warnings=warnings,
            fragile=bool(leader and leader.fragile),
            superseded=sum(1 for a in answers if a.superseded_by is not None),
        )

    def _sources(self, in_scope: set[str], *, whole: bool) -> Iterable[SourceRow]:
        """The case's sources (for one question, those that speak, relay or publish in it)."""
        case = self.case
        named: set[str] = set()
        if not whole:
            for att in self.atts:
                if att.claim in in_scope:
                    named.add(att.source)
                    named.update(att.via)
                    doc = case.documents.get(att.document) if att.document else None
                    if doc is not None:
                        named.add(doc.publisher)
            named.update(r.by for r in case.relations if r.by and set(r.claims) & in_scope)
        for sid, src in case.sources.items():
            if whole or sid in named:
                yield SourceRow(
                    id=sid,
                    name=src.name,
                    kind=src.kind.value,
                    grade=src.reliability.value if src.reliability else "F",
                    role=src.role,
                    notes=src.notes,
                )

    def _first_said(self, claim: str) -> str | None:
        """When *claim* was first said or published, as ISO text."""
        for i in self._positions(claim):
            att = self.atts[i]
            doc = self.case.documents.get(att.document) if att.document else None
            moment = att.said or (doc.published if doc else None)
            if moment is not None:
                return _iso(moment)
        return None

    def _relations(self, in_scope: set[str]) -> Iterable[RelationRow]:
        claims = self.case.claims
        seen: set[frozenset[str]] = set()
        for rel in self.case.relations:
            first, second = rel.claims
            pair = frozenset(rel.claims)
            shown = rel.kind.value == "contradicts" and pair not in seen
            if shown:
                seen.add(pair)
            if first not in in_scope and second not in in_scope:
                continue
            dates: tuple[str | None, str | None] = (None, None)
            if rel.kind.value == "supersedes":
                dates = (self._first_said(first), self._first_said(second))
            yield RelationRow(
                kind=rel.kind.value,
                first=self.keys.get(first, first),
                second=self.keys.get(second, second),
                first_text=claims[first].text if first in claims else first,
                second_text=claims[second].text if second in claims else second,
                by=self._name(rel.by) if rel.by else None,
                reason=rel.reason,
                dates=dates,
                in_conflicts=shown,
            )

    def _fragile(self, questions: list[str]) -> set[str]:
        """The leaders of *questions* that rest on one origin, for up to FRAGILE_LIMIT of them.

        Only leaders whose probability is the one the report shows are marked: assessments
        made with other settings than the report's are left unmarked. The learned mode,
        which would learn the whole case again for every origin, marks none.
        """
        settings = self.settings or Settings()
        if not questions or len(questions) > FRAGILE_LIMIT or settings.learn:
            return set()
        found = sensitivity(self.case, settings, questions=questions, grades=False)
        shown = self.assessments
        return {
            s.leader
            for s in found
            if s.fragile and s.leader in shown and shown[s.leader].probability == s.probability
        }

    def _counts(self) -> Counts:
        # the votes alone, without the reasons a summary does not show
        votes = explained(self.assessments.values(), reasons=False)
        origins = {v.origin for _, mine, _ in votes for v in mine}
        case = self.case
        return Counts(
            len(case.sources),
            len(case.documents),
            len(case.questions),
            len(case.claims),
            len(case.attributions),
            len(origins),
        )

    def _span(self) -> tuple[str, str] | None:
        """The first and last days of publication, as given (a month or a year as such)."""
        dates = [d.published for d in self.case.documents.values() if d.published is not None]
        if not dates:
            return None
        first = min(dates, key=lambda m: (first_day(m), last_day(m)))
        last = max(dates, key=lambda m: (last_day(m), first_day(m)))
        return (_day_text(first), _day_text(last))

    def _section(self, question: Question | None, listed: Sequence[Claim]) -> Section:
        prefix = "A" if question is not None else "C"
        answers = []
        for n, claim in enumerate(listed, 1):
            label = f"{prefix}{n}"
            lead = n == 1 and question is not None and claim.id in self.fragile
            answers.append(self._answer(label, claim, fragile=lead))
        figures = None
        if question is not None:
            figures = self.figures.get(question.id)
        parties = tuple(self._name(p) for p in question.parties) if question is not None else ()
        rows = () if self.brief else self._matrix(listed)
        return Section(question, tuple(answers), rows, figures, parties)

    def _answer(self, label: str, claim: Claim, *, fragile: bool = False) -> Answer:
        assessment = self.assessments[claim.id]
        origins = () if self.brief else self._origins(claim, assessment)
        blames = tuple(self._name(b) for b in claim.blames)
        new = self.later.get(claim.id)
        return Answer(
            label,
            claim,
            assessment,
            origins,
            blames,
            fragile,
            key=self.keys.get(claim.id, label),
            superseded_by=self.keys.get(new, new) if new is not None else None,
            supersedes=tuple(self.keys.get(old, old) for old in self.earlier.get(claim.id, ())),
            first_said=self._first_said(claim.id)
            if new is not None or claim.id in self.earlier
            else None,
        )

    def _origins(self, claim: Claim, assessment: Assessment) -> tuple[Origin, ...]:
        """The origins behind *claim*, strongest vote first, each with what it said."""
        votes = assessment.votes
        group: dict[int, int] = {i: n for n, v in enumerate(votes) for i in v.attributions}
        by_origin = {v.origin: n for n, v in reversed(list(enumerate(votes)))}
        members: list[list[int]] = [[] for _ in votes]
        rest: dict[str, list[int]] = defaultdict(list)
        for i in self._positions(claim.id):
            n = group.get(i)
            if n is None:
                # not behind a vote (retracted, withdrawn): under its origin's vote if it
                # has one, else alone; a spokesperson's under the body it speaks as
                source = self.voices[i]
                n = by_origin.get(source)
                if n is None:
                    rest[source].append(i)
                    continue
            members[n].append(i)
        origins = [
            self._origin(
                v.origin,
                v.stance,
                v.weight,
                members[n],
                set(v.attributions),
                stake=STAKE_WORDS.get(v.stake),
                speakers=v.speakers,
            )
            for n, v in enumerate(votes)
        ]
        origins += [self._origin(src, None, None, found, set()) for src, found in rest.items()]
        return tuple(origins)

    def _positions(self, claim: str) -> list[int]:
        atts = self.atts
        return sorted(self.by_claim.get(claim, ()), key=lambda i: when_key(self.case, atts[i], i))

    def _origin(
        self,
        origin: str,
        stance: Stance | None,
        weight: float | None,
        positions: Iterable[int],
        counted: set[int],
        *,
        stake: str | None = None,
        speakers: Sequence[str] = (),
    ) -> Origin:
        source = self.case.sources.get(origin)
        grade = source.reliability.value if source and source.reliability else "F"
        return Origin(
            name=source.name if source else origin,
            grade=grade,
            role=source.role if source else None,
            stance=stance,
            weight=weight,
            said=tuple(self.said(i, counted=i in counted, origin=origin) for i in positions),
            stake=stake,
            speakers=tuple(self._name(s) for s in speakers),
            id=origin,
        )

    def _name(self, sid: str) -> str:
        source = self.case.sources.get(sid)
        return source.name if source else sid

    def said(self, i: int, *, counted: bool, origin: str | None = None) -> Said:
        """Describe the attribution at position *i*, shown under *origin* if given."""
        case = self.case
        att: Attribution = self.atts[i]
        doc = case.documents.get(att.document) if att.document else None
        publisher = case.sources.get(doc.publisher) if doc else None
        if i not in self.anchors:
            anchor = case.anchor(i)
            self.anchors[i] = anchor.status if anchor else None
        voice = self.voices[i]
        evidence = case.evidence
        return Said(
            index=i,
            stance=att.stance,
            chain=tuple(s.name for s in case.chain(i)),
            publisher=publisher.name if publisher else (doc.publisher if doc else None),
            document=doc.title if doc else None,
            date=_iso(att.said or (doc.published if doc else None)),
            quote=att.quote,
            anchor=self.anchors[i],
            mode=att.mode,
            interested=case.is_interested(i),
            counted=counted,
            speaker=self._name(att.source),
            folded=origin is not None and origin != att.source,
            ident=att.id,
            hedge=att.hedge,
            speaks_for=self._name(voice) if voice != att.source else None,
            in_own_name=att.in_own_name,
            against_interest=att.against_interest,
            evidence=tuple(
                Rests(e, evidence[e].kind.value if e in evidence else None) for e in att.based_on
            ),
            withdraws=att.withdraws,
            withdrawn_by=tuple(self._name(self.atts[r].source) for r in self._withdrawn(att)),
            notes=att.notes,
            source=att.source,
        )

    def _withdrawn(self, att: Attribution) -> Sequence[int]:
        """The positions of the retractions that withdraw *att*."""
        return self.withdrawals.get(att.id, ()) if att.id is not None else ()

    def _matrix(self, claims: Sequence[Claim]) -> tuple[Row, ...]:
        stances: dict[str, dict[str, list[Stance]]] = defaultdict(lambda: defaultdict(list))
        for claim in claims:
            for i in self._positions(claim.id):
                att = self.atts[i]
                stances[att.source][claim.id].append(att.stance)
        rows = []
        for sid, by_claim in stances.items():
            source = self.case.sources.get(sid)
            rows.append(
                Row(
                    source.name if source else sid,
                    (source.reliability.value if source and source.reliability else "F"),
                    tuple(tuple(by_claim.get(c.id, ())) for c in claims),
                    sid,
                )
            )
        return tuple(rows)

    def _side(self, claim_id: str) -> Side:
        claim = self.case.claims[claim_id]
        assessment = self.assessments[claim_id]
        strongest = None
        # a brief report counts the conflicts, and shows neither side's attributions
        for vote in () if self.brief else assessment.votes:
            if vote.stance is Stance.ASSERTS and vote.attributions:
                quoted = [i for i in vote.attributions if self.atts[i].quote]
                strongest = self.said((quoted or list(vote.attributions))[0], counted=True)
                break
        return Side(self.keys.get(claim_id, claim_id), claim, assessment, strongest)

    def _conflicts(self, in_scope: set[str]) -> Iterable[Conflict]:
        for c in self.assessments.contradictions:
            if c.claims[0] in in_scope or c.claims[1] in in_scope:
                yield Conflict(c, (self._side(c.claims[0]), self._side(c.claims[1])))

    def _evidence(self, in_scope: set[str], *, whole: bool) -> Iterable[EvidenceRow]:
        """The case's items of evidence (only those rested on in scope, for one question)."""
        items = self.case.evidence
        if not items:
            return
        resting: dict[str, list[str]] = defaultdict(list)
        for att in self.atts:
            if att.claim not in in_scope:
                continue
            for e in att.based_on:
                who = f"{self._name(att.source)} ({self.labels.get(att.claim, att.claim)})"
                if who not in resting[e]:
                    resting[e].append(who)
        for eid, item in items.items():
            if whole or eid in resting:
                yield EvidenceRow(
                    id=eid,
                    kind=item.kind.value,
                    description=item.description,
                    first_seen=_iso(item.first_seen),
                    resting=tuple(resting.get(eid, ())),
                )

    def _warnings(self, in_scope: set[str]) -> Iterable[WarningRow]:
        for notice in self.assessments.warnings:
            if notice.claim is None or notice.claim in in_scope:
                yield WarningRow(
                    _KIND_WORDS.get(notice.kind, notice.kind.value), notice.message, notice.claim
                )
        unread: dict[str, int] = defaultdict(int)
        for i, att in enumerate(self.atts):
            if att.claim not in in_scope or att.quote is None or att.document is None:
                continue
            if i not in self.anchors:
                anchor = self.case.anchor(i)
                self.anchors[i] = anchor.status if anchor else None
            status = self.anchors[i]
            if status is AnchorStatus.ORPHANED:
                yield WarningRow(
                    "quote not found",
                    f"attributions[{i}]: the quote is not in the text of document "
                    f"'{att.document}': “{att.quote}”",
                    att.claim,
                )
            elif status is AnchorStatus.AMBIGUOUS:
                yield WarningRow(
                    "quote ambiguous",
                    f"attributions[{i}]: the quote occurs more than once in document "
                    f"'{att.document}'; a prefix or suffix would say which",
                    att.claim,
                )
            elif status is None and att.document in self.case.documents:
                unread[att.document] += 1
        for doc, n in unread.items():
            yield WarningRow(
                "quote not checked",
                f"the text of document '{doc}' is not available, so its {n} "
                f"quote{'s' * (n != 1)} could not be checked",
            )


def _sorted(summary: list[Judgement], sort: str) -> list[Judgement]:
    """The key judgements in the order *sort* names (see :data:`SORTS`); stable."""
    if sort == "confidence":

        def weakest(j: Judgement) -> tuple[int, int, float]:
            if j.leader is None:
                return (1, 0, 0.0)
            a = j.leader.assessment
            return (0, _CONFIDENCE_RANK.get(a.confidence, 0), a.probability)

        return sorted(summary, key=weakest)
    if sort == "conflicts":
        return sorted(summary, key=lambda j: (-j.conflicts, -j.warnings))
    return summary


def gather(
    case: Case,
    assessments: Assessments,
    question: Question | None = None,
    *,
    settings: Settings | None = None,
    sort: str = "case",
    brief: bool = False,
) -> Content:
    """Gather what a report of *case* shows, for one *question* or for the whole case.

    *settings* are those *assessments* were made with (the defaults if omitted): they
    find the leading answers that rest on one origin. *brief* gathers what the key
    judgements show and no more: answers without their origins, sections without their
    source × answer matrix, conflicts without either side's strongest attribution, and no
    evidence, sources or relations.
    """
    return _Builder(case, assessments, settings, brief=brief).content(question, sort)
