"""Hypothesis strategies that build valid cases through claimtrack's public builder API.

Every case :func:`cases` draws is valid by construction: ids are unique per section and
refer only to records that exist, affiliations point only to earlier sources (so they
cannot loop), reporting chains never repeat a source, relations join two distinct claims,
and dates are laid out on a timeline that keeps every check of the case satisfied::

    epoch + [0, 30] days     claims' "when" and attributions' "said"
    epoch + [40, 70] days    documents' "published"
    epoch + [80, 110] days   documents' "retrieved"

The gaps of ten days are wider than any time zone offset, so aware, naive and plain-day
moments never swap order. A moment may also be given as only its month or its year (a
:class:`~claimtrack.Period`): a period stands for every day it spans, so it is never
strictly later than a moment its day was not later than, and every check still holds.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import string

from typing import Any

import attrs

from hypothesis import strategies as st

from claimtrack import (
    Affiliation,
    Case,
    Count,
    Credibility,
    DocumentKind,
    EvidenceKind,
    Hedge,
    Mode,
    Period,
    RelationKind,
    Reliability,
    SourceKind,
    Stance,
)


__all__ = [
    "Recipe",
    "Said",
    "cases",
    "counts",
    "ids",
    "moments",
    "recipes",
    "texts",
    "units",
]

# The rule claimtrack applies to ids: no whitespace, no control characters.
_ID = re.compile(r"[^\s\x00-\x1f\x7f]{1,200}")

# Ids that YAML or JSON could misread if they were written carelessly.
_TRICKY_IDS = [
    "no",
    "yes",
    "No",
    "on",
    "off",
    "null",
    "~",
    "true",
    "False",
    "1",
    "007",
    "1e3",
    "1.5",
    "0x1F",
    "1:20",
    "1_000",
    ".inf",
    ".nan",
    "2024-01-01",
    "2024-04-21T21:50:00+03:00",
    "-",
    "-x",
    ":x",
    "x:",
    "#x",
    "&a",
    "*a",
    "!x",
    "!!str",
    "%x",
    "@x",
    "`x",
    "'q'",
    '"q"',
    "[a]",
    "{a}",
    "a,b",
    "?",
    "|",
    ">",
    "<<",
    "=",
    "---",
    "...",
    "reuters.com",
    "a.b.c",
    "خلية-الإعلام-الأمني",
    "شفق",
]

# Texts that YAML or JSON could misread, or that stress the writer's quoting and folding.
_TRICKY_TEXTS = [
    *_TRICKY_IDS,
    "Yes",
    "NO",
    "Null",
    "y",
    "n",
    "- x",
    ": x",
    "x #y",
    "a: b",
    "[1, 2]",
    "{a: 1}",
    " leading space",
    "trailing space ",
    "  both  ",
    "line one\nline two",
    "line\n\n  indented\n",
    "\nstarts with a newline",
    "ends with a newline\n",
    "trailing spaces   \non a line",
    "\ttab first",
    "windows\r\nline ends",
    "old mac\rline ends",
    "next line\x85char",
    "line\u2028separator",
    "\ufeffbyte order mark",
    "zero\u200bwidth",
    "nul\x00inside",
    "escape\x1b[0m",
    "it's",
    'say "no"',
    "back\\slash",
    "ليس هناك هدنة رسمية",
    "There wasn't a formal truce, but…",
    "emoji 🚀 and 𝕏",  # noqa: RUF001 - a letter outside the BMP, on purpose
    "x" * 150,
    " ".join(["word"] * 40),
]

_ARABIC = st.characters(min_codepoint=0x0621, max_codepoint=0x064A)
_ID_CHARS = st.characters(categories=("L", "N", "P", "S", "M"))


def _valid_id(s: str) -> bool:
    return bool(_ID.fullmatch(s))


def ids() -> st.SearchStrategy[str]:
    """Valid ids of 1 to 30 characters: plain slugs, Arabic, any unicode, and YAML-tricky ones."""
    return st.one_of(
        st.from_regex(r"[a-z][a-z0-9-]{0,14}", fullmatch=True),
        st.text(_ARABIC, min_size=1, max_size=12),
        st.text(_ID_CHARS, min_size=1, max_size=30),
        st.sampled_from(_TRICKY_IDS),
    ).filter(_valid_id)


def texts(max_size: int = 60) -> st.SearchStrategy[str]:
    """Non-blank text of any sort: unicode, quotes, newlines, outer spaces, YAML-tricky words."""
    return st.one_of(
        st.sampled_from(_TRICKY_TEXTS),
        st.text(min_size=1, max_size=max_size),
        st.text(string.printable, min_size=1, max_size=max_size),
    ).filter(lambda s: bool(s.strip()))


def units() -> st.SearchStrategy[str]:
    """What a count counts: non-blank text."""
    return st.one_of(st.sampled_from(["people", "rockets", "killed", "no", "1"]), texts(20))


@st.composite
def counts(
    draw: st.DrawFn, max_value: int = 10**6, unit: st.SearchStrategy[str | None] | None = None
) -> Count:
    """A valid count of any form, with or without a unit."""
    unit_strategy = st.none() | units() if unit is None else unit
    the_unit = draw(unit_strategy)
    n = st.integers(0, max_value)
    form = draw(st.sampled_from(["exactly", "at_least", "at_most", "between", "about"]))
    if form == "between":
        low, high = sorted((draw(n), draw(n)))
        return Count.between(low, high, unit=the_unit)
    if form == "about":
        if draw(_BOOL):  # the default tolerance, written back as a bare figure
            return Count.about(draw(n), unit=the_unit)
        return Count.about(draw(n), draw(_TOLERANCES), unit=the_unit)
    return getattr(Count, form)(draw(n), unit=the_unit)  # type: ignore[no-any-return]


_TOLERANCES = st.sampled_from([0, 0.05, 0.1, 0.25, 0.5, 1]) | st.floats(0, 1)


_OFFSETS = st.integers(-12 * 60, 14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))
_MOMENT_FORMS = st.sampled_from(["day", "naive", "aware", "utc", "month", "year"])
_DAY_FORMS = st.sampled_from(["day", "day", "month", "year"])
_TIMES = st.times()
_SPAN = 30  # days in each window of the timeline
_DAY = st.integers(0, _SPAN)


@st.composite
def moments(draw: st.DrawFn, start: dt.date, *, day_only: bool = False) -> dt.date | Period:
    """A plain day, a naive or aware date and time, or a day's month or year, within 30 days after *start*.

    With *day_only*, a plain day or its month or year: what the ties between sources take.
    """
    return _moment(draw, start, day_only=day_only)


def _moment(draw: st.DrawFn, start: dt.date, *, day_only: bool = False) -> dt.date | Period:
    day = start + dt.timedelta(days=draw(_DAY))
    form = draw(_DAY_FORMS if day_only else _MOMENT_FORMS)
    if form == "day":
        return day
    if form == "month":
        return Period(day.year, day.month)
    if form == "year":
        return Period(day.year)
    at = dt.datetime.combine(day, draw(_TIMES))
    if form == "naive":
        return at
    return at.replace(tzinfo=dt.UTC if form == "utc" else draw(_OFFSETS))


# Strategies built once: building them inside the composite on every draw is slow.
_TEXT = texts(40)
_SHORT_TEXT = texts(20)
_LONG_TEXT = texts(80)
_QUOTE = texts(80)
_BODY = texts(120)
_TEXT_LISTS = st.lists(_TEXT, max_size=3) | _TEXT
_TAGS = st.lists(_SHORT_TEXT, max_size=3) | _SHORT_TEXT
_BOOL = st.booleans()
_COUNT = counts()
_URL = st.sampled_from(["https://example.org/a?b=1&c=2#d"]) | _TEXT
_LANGUAGE = st.sampled_from(["en", "ar", "no", "yes", "on"]) | texts(8)
_TEXT_FILE = st.sampled_from(
    ["a.txt", "texts/shafaq.txt", "texts/بيان.txt", "no", "2024-01-01.txt"]
)
_SHA256 = st.integers(0, 2**256 - 1).map(lambda n: f"{n:064x}")
_TEXT_CHOICE = st.sampled_from(["none", "text", "file"])


def _enum(cls: Any) -> st.SearchStrategy[Any]:
    """A member of *cls*, or its value: the builders take either."""
    return st.sampled_from(list(cls)) | st.sampled_from([m.value for m in cls])


_RELIABILITY = _enum(Reliability)
_SOURCE_KIND = _enum(SourceKind)
_DOCUMENT_KIND = _enum(DocumentKind)
_STANCE = _enum(Stance)
_MODE = _enum(Mode)
_CREDIBILITY = _enum(Credibility)
_RELATION_KIND = _enum(RelationKind)
_EVIDENCE_KIND = _enum(EvidenceKind)
# a speaker's hedge, at or above even chance: a word below it is an error (the mirrored stance)
_HEDGE = st.sampled_from(
    [h for h in Hedge if h not in (Hedge.UNLIKELY, Hedge.VERY_UNLIKELY, Hedge.ALMOST_NO_CHANCE)]
)
_HEDGE = _HEDGE | _HEDGE.map(lambda h: h.value)


def _maybe(
    draw: st.DrawFn, fields: dict[str, Any], name: str, value: st.SearchStrategy[Any]
) -> None:
    """Set fields[name] to a drawn value, or leave it out to use the default."""
    if draw(_BOOL):
        fields[name] = draw(value)


def _pick(draw: st.DrawFn, items: list[str]) -> str:
    return items[draw(st.integers(0, len(items) - 1))]


def _some(draw: st.DrawFn, items: list[str], most: int) -> list[str]:
    """One to *most* distinct items, in a drawn order."""
    return draw(st.permutations(items))[: draw(st.integers(1, min(most, len(items))))]


def _affiliation(draw: st.DrawFn, earlier: list[str], epoch: dt.date) -> Affiliation | str:
    target = _pick(draw, earlier)
    if draw(_BOOL):
        return target
    start = _moment(draw, epoch, day_only=True) if draw(_BOOL) else None
    end = (
        _moment(draw, epoch + dt.timedelta(days=_SPAN + 1), day_only=True) if draw(_BOOL) else None
    )
    return Affiliation(target, start=start, end=end)


def _ref(draw: st.DrawFn, case: Case, section: str, rid: str) -> object:
    """An id, or sometimes the record itself: the builders take either."""
    return getattr(case, section)[rid] if draw(_BOOL) else rid


_IDS = ids()


@st.composite
def cases(  # noqa: C901, PLR0912, PLR0915 - one builder, section by section
    draw: st.DrawFn,
    *,
    max_sources: int = 5,
    max_documents: int = 4,
    max_questions: int = 3,
    max_claims: int = 5,
    max_attributions: int = 6,
    max_relations: int = 3,
    max_evidence: int = 3,
    who: bool = True,
) -> Case:
    """A valid case built with add_source, add_document, add_question, add_claim, attribute, relate.

    With *who* (the default) it also holds who stands behind its claims: evidence, the
    parties to questions, whom claims blame, and attributions with ids, ``based_on``,
    ``withdraws``, hedges, ``in_own_name`` and ``against_interest``.
    """
    case = Case(title=draw(_TEXT), description=draw(_LONG_TEXT) if draw(_BOOL) else None)
    epoch = draw(st.dates(dt.date(1000, 1, 1), dt.date(9000, 12, 31)))
    said_from = epoch
    published_from = epoch + dt.timedelta(days=40)
    retrieved_from = epoch + dt.timedelta(days=80)

    def unique_ids(least: int, most: int) -> list[str]:
        return draw(st.lists(_IDS, min_size=least, max_size=most, unique=True))

    # Sources, each affiliated only to earlier ones, so that ties cannot loop.
    source_ids = unique_ids(1, max_sources)
    for i, sid in enumerate(source_ids):
        fields: dict[str, Any] = {}
        _maybe(draw, fields, "reliability", _RELIABILITY)
        _maybe(draw, fields, "role", _TEXT)
        _maybe(draw, fields, "aliases", _TEXT_LISTS)
        _maybe(draw, fields, "notes", _LONG_TEXT)
        earlier = source_ids[:i]
        for kind in ("speaks_for", "member_of", "part_of"):
            if earlier and draw(_BOOL):
                ties = [_affiliation(draw, earlier, epoch) for _ in range(draw(st.integers(1, 2)))]
                # One tie may be given alone rather than in a list.
                fields[kind] = ties[0] if len(ties) == 1 and draw(_BOOL) else ties
        case.add_source(sid, draw(_TEXT), draw(_SOURCE_KIND), **fields)

    # Documents, published before they are retrieved.
    document_ids = unique_ids(0, max_documents)
    for did in document_ids:
        fields = {}
        _maybe(draw, fields, "url", _URL)
        _maybe(draw, fields, "archive_url", _URL)
        if draw(_BOOL):
            fields["published"] = _moment(draw, published_from)
        if draw(_BOOL):
            fields["retrieved"] = _moment(draw, retrieved_from)
        _maybe(draw, fields, "language", _LANGUAGE)
        _maybe(draw, fields, "kind", _DOCUMENT_KIND)
        text_choice = draw(_TEXT_CHOICE)
        if text_choice == "text":
            fields["text"] = draw(_BODY)
        elif text_choice == "file":
            fields["text_file"] = draw(_TEXT_FILE)
        _maybe(draw, fields, "sha256", _SHA256)
        _maybe(draw, fields, "notes", _LONG_TEXT)
        publisher = _ref(draw, case, "sources", _pick(draw, source_ids))
        case.add_document(did, publisher, draw(_TEXT), **fields)

    # Evidence.
    evidence_ids = unique_ids(0, max_evidence) if who else []
    for eid in evidence_ids:
        fields = {}
        if draw(_BOOL):
            fields["first_seen"] = _moment(draw, said_from)
        _maybe(draw, fields, "notes", _LONG_TEXT)
        case.add_evidence(eid, draw(_EVIDENCE_KIND), draw(_TEXT), **fields)

    # Questions.
    question_ids = unique_ids(0, max_questions)
    for qid in question_ids:
        fields = {}
        _maybe(draw, fields, "exclusive", _BOOL)
        if who and draw(_BOOL):
            fields["parties"] = [_ref(draw, case, "sources", s) for s in _some(draw, source_ids, 2)]
        _maybe(draw, fields, "notes", _LONG_TEXT)
        case.add_question(qid, draw(_TEXT), **fields)

    # Claims, about events before any document was retrieved.
    claim_ids = unique_ids(0, max_claims)
    for cid in claim_ids:
        fields = {}
        if question_ids and draw(_BOOL):
            fields["question"] = _ref(draw, case, "questions", _pick(draw, question_ids))
        _maybe(draw, fields, "value", _COUNT)
        if draw(_BOOL):
            fields["when"] = _moment(draw, said_from)
        if draw(_BOOL):
            fields["about"] = [_ref(draw, case, "sources", s) for s in _some(draw, source_ids, 3)]
        if who and draw(_BOOL):
            fields["blames"] = [_ref(draw, case, "sources", s) for s in _some(draw, source_ids, 2)]
        _maybe(draw, fields, "tags", _TAGS)
        _maybe(draw, fields, "notes", _LONG_TEXT)
        case.add_claim(cid, draw(_QUOTE), **fields)

    # Attributions, said before their document was published; chains never repeat a source.
    # A retraction may withdraw an earlier attribution of its claim that has an id.
    attribution_ids = draw(st.lists(_IDS, max_size=max_attributions, unique=True)) if who else []
    named: dict[str, list[Any]] = {}  # claim -> the attributions of it with an id, not retractions
    if claim_ids:
        for _ in range(draw(st.integers(0, max_attributions))):
            fields = {}
            speaker = _pick(draw, source_ids)
            if document_ids and draw(_BOOL):
                fields["document"] = _ref(draw, case, "documents", _pick(draw, document_ids))
            others = [s for s in source_ids if s != speaker]
            if others and draw(_BOOL):
                fields["via"] = [_ref(draw, case, "sources", s) for s in _some(draw, others, 3)]
            if draw(_BOOL):
                fields["quote"] = draw(_QUOTE)
                _maybe(draw, fields, "prefix", _SHORT_TEXT)
                _maybe(draw, fields, "suffix", _SHORT_TEXT)
            if draw(_BOOL):
                fields["said"] = _moment(draw, said_from)
            _maybe(draw, fields, "mode", _MODE)
            _maybe(draw, fields, "credibility", _CREDIBILITY)
            _maybe(draw, fields, "notes", _LONG_TEXT)
            cid = _pick(draw, claim_ids)
            claim = _ref(draw, case, "claims", cid)
            source = _ref(draw, case, "sources", speaker)
            stance = Stance(draw(_STANCE)) if draw(_BOOL) else None
            if who:
                _who_fields(
                    draw,
                    fields,
                    stance=stance,
                    withdrawable=named.get(cid, []),
                    free_ids=attribution_ids,
                    evidence_ids=evidence_ids,
                )
            if stance is not None:
                att = case.attribute(
                    claim, source, stance.value if draw(_BOOL) else stance, **fields
                )
            else:
                att = case.attribute(claim, source, **fields)
            if att.id is not None and att.stance is not Stance.RETRACTS:
                named.setdefault(cid, []).append(att)

    # Relations between two distinct claims.
    if len(claim_ids) >= 2:
        for _ in range(draw(st.integers(0, max_relations))):
            first, second = draw(st.permutations(claim_ids))[:2]
            fields = {}
            if draw(_BOOL):
                fields["by"] = _ref(draw, case, "sources", _pick(draw, source_ids))
            _maybe(draw, fields, "reason", _LONG_TEXT)
            first_ref = _ref(draw, case, "claims", first)
            second_ref = _ref(draw, case, "claims", second)
            case.relate(draw(_RELATION_KIND), first_ref, second_ref, **fields)

    errors = [p for p in case.validate(texts=False) if p.is_error]
    assert not errors, f"the strategy built an invalid case: {errors}"
    return case


def _who_fields(
    draw: st.DrawFn,
    fields: dict[str, Any],
    *,
    stance: Stance | None,
    withdrawable: list[Any],
    free_ids: list[str],
    evidence_ids: list[str],
) -> None:
    """Draw who stands behind one attribution into *fields*: valid by construction.

    *free_ids* are the attribution ids not yet used (one is taken when drawn);
    *withdrawable* the earlier attributions of the same claim a retraction may withdraw.
    """
    if free_ids and draw(_BOOL):
        fields["id"] = free_ids.pop()
    if evidence_ids and draw(_BOOL):
        fields["based_on"] = _some(draw, evidence_ids, 2)
    if stance is Stance.RETRACTS and withdrawable and draw(_BOOL):
        target = withdrawable[draw(st.integers(0, len(withdrawable) - 1))]
        fields["withdraws"] = target if draw(_BOOL) else target.id  # the record or its id
    _maybe(draw, fields, "hedge", _HEDGE)
    _maybe(draw, fields, "in_own_name", _BOOL)
    _maybe(draw, fields, "against_interest", _BOOL)


# ---- assessable worlds -------------------------------------------------------------------
#
# The property tests of the confidence engine change one thing in a case (add a supporter,
# repeat an origin through one more outlet, raise a grade, shuffle the records) and compare
# the assessments before and after. So the strategy draws a *recipe*, plain data that
# builds a case, rather than the case itself.

_GRADES = [*Reliability, None]
_SAID_EPOCH = dt.datetime(2024, 4, 1, tzinfo=dt.UTC)
_PUBLISHED = dt.date(2024, 5, 1)


@attrs.frozen
class Said:
    """One attribution of a recipe: a speaker takes a stance on a claim, maybe via an outlet.

    ``said`` is a distinct minute for every attribution, so that the order of each origin's
    stances is known whatever the order of the records.
    """

    claim: str
    source: str
    stance: Stance = Stance.ASSERTS
    outlet: str | None = None
    via: tuple[str, ...] = ()
    mode: Mode = Mode.ON_RECORD
    credibility: Credibility | None = None
    quote: str | None = None
    said: int = 0


@attrs.frozen
class Recipe:
    """Plain data for an assessable case: questions, claims with counts, graded sources.

    Every outlet publishes one document, ``doc-<outlet>``; a speaker quoted by an outlet is
    attributed in that document.
    """

    questions: tuple[tuple[str, bool], ...]
    claims: tuple[tuple[str, str | None, Count | None], ...]
    sources: tuple[tuple[str, Reliability | None], ...]
    outlets: tuple[str, ...]
    said: tuple[Said, ...]
    relations: tuple[tuple[RelationKind, str, str], ...] = ()

    def grade(self, source: str) -> Reliability | None:
        """The grade the recipe gives *source*."""
        return dict(self.sources)[source]

    def with_said(self, *extra: Said) -> Recipe:
        """The same recipe with more attributions."""
        return attrs.evolve(self, said=(*self.said, *extra))

    def with_grade(self, source: str, grade: Reliability | None) -> Recipe:
        """The same recipe with *source* graded *grade*."""
        return attrs.evolve(
            self, sources=tuple((s, grade if s == source else g) for s, g in self.sources)
        )

    def with_outlet(self, outlet: str) -> Recipe:
        """The same recipe with one more outlet."""
        return attrs.evolve(
            self, outlets=(*self.outlets, outlet), sources=(*self.sources, (outlet, None))
        )

    def build(self, order: random.Random | None = None) -> Case:
        """Build the case; with *order*, add every section's records in a shuffled order."""

        def arrange(items: Any) -> list[Any]:
            items = list(items)
            if order is not None:
                order.shuffle(items)
            return items

        case = Case(title="An assessable world")
        for sid, grade in arrange(self.sources):
            kind = "outlet" if sid in self.outlets else "anonymous" if sid[-1] in "05" else "person"
            case.add_source(sid, f"Source {sid}", kind, reliability=grade)
        for outlet in arrange(self.outlets):
            case.add_document(f"doc-{outlet}", outlet, f"Report by {outlet}", published=_PUBLISHED)
        for qid, exclusive in arrange(self.questions):
            case.add_question(qid, f"Question {qid}?", exclusive=exclusive)
        for cid, question, value in arrange(self.claims):
            case.add_claim(cid, f"Claim {cid}", question=question, value=value)
        for s in arrange(self.said):
            case.attribute(
                s.claim,
                s.source,
                s.stance,
                document=f"doc-{s.outlet}" if s.outlet else None,
                via=s.via,
                mode=s.mode,
                credibility=s.credibility,
                quote=s.quote,
                said=_SAID_EPOCH + dt.timedelta(minutes=s.said),
            )
        for kind, a, b in arrange(self.relations):
            case.relate(kind, a, b)
        errors = [p for p in case.validate(texts=False) if p.is_error]
        assert not errors, f"the recipe built an invalid case: {errors}"
        return case


_SMALL_COUNT = st.sampled_from(["exactly", "at_least", "at_most", "between", "about"])


@st.composite
def recipes(
    draw: st.DrawFn,
    *,
    max_questions: int = 3,
    max_claims: int = 6,
    max_sources: int = 5,
    max_outlets: int = 3,
    max_said: int = 10,
    counts_allowed: bool = True,
) -> Recipe:
    """A recipe for an assessable case, mostly exclusive questions with rival answers.

    Answers come with and without counts, sources graded A to F or not at all, and
    attributions with every stance, mode and credibility digit, some via outlets.
    """
    questions = tuple(
        (f"q{i}", draw(st.sampled_from([True, True, False])))
        for i in range(draw(st.integers(1, max_questions)))
    )
    claims = []
    for i in range(draw(st.integers(1, max_claims))):
        question = draw(st.sampled_from([None, *(q for q, _ in questions)]))
        value = None
        if counts_allowed and question is not None and draw(st.booleans()):
            form = draw(_SMALL_COUNT)
            a, b = sorted(draw(st.lists(st.integers(0, 8), min_size=2, max_size=2)))
            if form == "about":  # about 8 give or take a half is 4 to 12
                value = Count.about(b, draw(st.sampled_from([0.1, 0.5])))
            else:
                value = Count.between(a, b) if form == "between" else getattr(Count, form)(a)
        claims.append((f"c{i}", question, value))
    speakers = [
        (f"s{i}", draw(st.sampled_from(_GRADES))) for i in range(draw(st.integers(1, max_sources)))
    ]
    outlets = tuple(f"o{i}" for i in range(draw(st.integers(0, max_outlets))))
    sources = (*speakers, *((o, draw(st.sampled_from(_GRADES))) for o in outlets))
    speaker_ids = [s for s, _ in sources]
    n = draw(st.integers(0, max_said))
    minutes = draw(st.permutations(range(n)))
    said = []
    for k in range(n):
        source = draw(st.sampled_from(speaker_ids))
        outlet = draw(st.sampled_from([None, *(o for o in outlets if o != source)]))
        via: tuple[str, ...] = ()
        if outlet is not None and draw(st.booleans()):
            middle = [s for s in speaker_ids if s not in (source, outlet)]
            via = (
                (outlet, *draw(st.lists(st.sampled_from(middle), max_size=1)))
                if middle
                else (outlet,)
            )
        said.append(
            Said(
                claim=draw(st.sampled_from([c for c, _, _ in claims])),
                source=source,
                stance=draw(st.sampled_from(list(Stance))),
                outlet=outlet,
                via=via,
                mode=draw(st.sampled_from(list(Mode))),
                credibility=draw(st.none() | st.sampled_from(list(Credibility))),
                quote=draw(st.none() | st.sampled_from(["the words", "The  Words", "other words"]))
                if outlet
                else None,
                said=minutes[k],
            )
        )
    relations = []
    if len(claims) >= 2:
        for _ in range(draw(st.integers(0, 2))):
            a, b = draw(st.permutations([c for c, _, _ in claims]))[:2]
            relations.append((draw(st.sampled_from(list(RelationKind))), a, b))
    return Recipe(questions, tuple(claims), tuple(sources), outlets, tuple(said), tuple(relations))
