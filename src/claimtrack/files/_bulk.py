"""The fast path for loading: build a valid case from well-formed data in bulk.

Structuring a record through cattrs, one field at a time with detailed errors, costs
microseconds per field, which adds up to minutes at a million attributions. This module
checks the same rules in tight loops, with no error to word, then builds each record through
its own constructor, which converts and validates every field again: every record is what
attrs makes of it. Attributions, documents and claims, the many, are built by their classes'
documented fast constructors (``Attribution.columns``, ``Document.columns`` and the like), which run the same checks
in bulk and cheaply, and hand a row they cannot prove valid to ``__init__``. It accepts only data it can prove well formed and whose records fit
together. For anything else it raises :class:`NotProvablyValid`, and only that: :func:`build`
then returns ``None`` and the caller takes the detailed path, so every error message stays
exactly as that path words it. It is an optimisation only: it must never accept what the
detailed path refuses, and must build records equal to the ones that path builds.
"""

from __future__ import annotations

import enum
import itertools
import json

from array import array
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

import attrs

from claimtrack.files._converter import KEYED
from claimtrack.files._reading import FORMAT_VERSION
from claimtrack.model._case import TOP_KEYS, Case
from claimtrack.model._dates import later
from claimtrack.model._records import (
    _ID,
    _SHA256,
    MIRRORED_HEDGES,
    Affiliation,
    Attribution,
    Claim,
    Credibility,
    Day,
    Document,
    DocumentKind,
    Evidence,
    EvidenceKind,
    Hedge,
    Mode,
    Moment,
    Question,
    Relation,
    RelationKind,
    Reliability,
    Source,
    SourceKind,
    Stance,
    _all_text,
    _ids_fine,
    _is_text,
    parse_moment,
)
from claimtrack.model._values import DEFAULT_TOLERANCE, Count


class NotProvablyValid(Exception):  # noqa: N818 - a signal to take the detailed path, never shown
    """The data is not provably a valid case, so the bulk loader will not build it.

    Raised for what the data holds, never for a fault of the loader: the caller then reads the
    data through the detailed path, which finds and words every problem. The bulk loader ends
    in no other way on bad data; any other exception from it is a bug in it (a record that
    gained a field, a check out of step with a validator) and propagates as one.
    """


FIELDS: Mapping[type, tuple[str, ...]] = {
    Source: (
        "id",
        "name",
        "kind",
        "reliability",
        "role",
        "aliases",
        "speaks_for",
        "member_of",
        "part_of",
        "notes",
    ),
    Document: (
        "id",
        "publisher",
        "title",
        "url",
        "archive_url",
        "published",
        "retrieved",
        "language",
        "kind",
        "text",
        "text_file",
        "sha256",
        "notes",
    ),
    Evidence: ("id", "kind", "description", "first_seen", "notes"),
    Question: ("id", "text", "exclusive", "parties", "notes"),
    Claim: ("id", "text", "question", "value", "when", "about", "blames", "tags", "notes"),
    Attribution: (
        "claim",
        "source",
        "stance",
        "document",
        "via",
        "quote",
        "prefix",
        "suffix",
        "said",
        "mode",
        "credibility",
        "notes",
        "id",
        "based_on",
        "withdraws",
        "hedge",
        "in_own_name",
        "against_interest",
    ),
    Relation: ("kind", "claims", "by", "reason"),
    Affiliation: ("source", "start", "end"),
    Count: ("low", "high", "unit", "nominal", "tolerance"),
}
"""Every field of every record this loader builds: each is read, checked and passed on below.

A record's file keys are these names (but the ``id`` of a record kept in a table, which is
its key there; an attribution's ``id`` is one of its keys); an
affiliation's are ``source``, ``from`` and ``to``, a count's its form and ``unit`` (an
approximate count's form, ``about``, gives its ``nominal`` and ``tolerance``). A key
not named here sends the data to the detailed path, so a field a record gains is never lost,
only slow to load until it is added here and read below (``tests/test_bulk.py`` checks).
"""


def _keys(cls: type) -> frozenset[str]:
    """The keys a record of *cls* may hold in a case file."""
    return frozenset(FIELDS[cls]) - ({"id"} if cls in KEYED else set())


_TOP = frozenset(TOP_KEYS)
_AFFILIATION_KEYS = frozenset(("source", "from", "to"))
_ABOUT_KEYS = frozenset(("value", "tolerance"))


def _values(cls: type[enum.Enum]) -> dict[object, Any]:
    return {m.value: m for m in cls}


_SOURCE_KINDS = _values(SourceKind)
_RELIABILITY = _values(Reliability)
_DOCUMENT_KINDS = _values(DocumentKind)
_STANCES = _values(Stance)
_MODES = _values(Mode)
_RELATION_KINDS = _values(RelationKind)
_CREDIBILITY = _values(Credibility)
_EVIDENCE_KINDS = _values(EvidenceKind)
_HEDGES = _values(Hedge)
_BELOW_EVEN = frozenset(MIRRORED_HEDGES)


# ---- JSON at the decoder's speed ----------------------------------------------------------


def _digits(limit: int) -> Callable[[str], int]:
    def parse_int(text: str) -> int:
        if len(text) > limit:
            raise NotProvablyValid
        try:
            return int(text)
        except ValueError:  # past Python's own limit on digits: the strict parser words it
            raise NotProvablyValid from None

    return parse_int


def _no_constant(_name: str) -> None:
    raise NotProvablyValid


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object's mapping, refused if a key repeats: the strict parser's rule, in one call."""
    out = dict(pairs)
    if len(out) != len(pairs):
        raise NotProvablyValid
    return out


def quick_json(text: str, max_digits: int) -> tuple[Any, None] | None:
    """Parse JSON at the decoder's speed; ``None`` if it cannot be done safely.

    Duplicate keys are refused as the strict parser refuses them, by a hook on every object
    (with the collector paused, as loading runs, it costs a fifth of the decoder's time);
    the strict parse then words the error. Text lengths are not checked here: :func:`build`
    checks every text it accepts.

    Returns:
        The data, and ``None``, where a count of the keys in the text once stood; kept for
        the callers that pass it on to :func:`build`.
    """
    try:
        return _parse_json(text, max_digits), None
    except NotProvablyValid:
        return None


def _parse_json(text: str, max_digits: int) -> Any:
    try:
        return json.loads(
            text,
            object_pairs_hook=_pairs,
            parse_constant=_no_constant,
            parse_int=_digits(max_digits),
        )
    except (json.JSONDecodeError, RecursionError):  # not JSON, or nested too deeply
        raise NotProvablyValid from None


# ---- the case -----------------------------------------------------------------------------


def build(data: object, max_text: int, keys: int | None = None) -> Case | None:
    """Build the case *data* describes, checked as ``load`` checks it, or ``None``.

    ``None`` means the data is not provably a valid case: the caller reads it again through
    the detailed path, which finds and words every problem. *data* must hold no merged
    duplicate key: it comes from :func:`quick_json` or a strict parse, which refuse them.
    *keys* is ignored; it once carried a count of the keys in the text.
    """
    del keys
    try:
        return _Builder(max_text).case(data)
    except NotProvablyValid:
        return None


class ColumnOf(Protocol):
    """Gives the values of the field *key* of every attribution, *default* where one lacks it."""

    def __call__(self, key: str, default: object = None, /) -> list[Any]: ...


@attrs.frozen
class Columns:
    """The attributions of a case as columns, for :func:`build_columns`.

    Attributes:
        column: Gives the list of the values of a field, one per attribution, given the
            field's name and its default (the value of an attribution that lacks it).
        present: The fields some attribution holds; every other is its default throughout.
        n: How many attributions there are.
    """

    column: ColumnOf
    present: set[str]
    n: int


def build_columns(data: dict[str, Any], columns: Columns, max_text: int) -> Case | None:
    """:func:`build`, with the attributions given as *columns* rather than in *data*.

    The bulk builders of :class:`Case` hand their attributions over a field at a time, as
    :meth:`_Builder.attributions` reads them from a file, so that every check is the same.
    """
    try:
        return _Builder(max_text).case(data, columns)
    except NotProvablyValid:
        return None


class _Builder:
    """Checks and builds records in bulk, sharing one string per id and one object per value."""

    def __init__(self, max_text: int) -> None:
        self.most = max_text
        self.moments: dict[str, Moment] = {}
        self.days: dict[str, Day] = {}
        self.counts: dict[tuple[object, ...], Count] = {}
        self.source_ids: dict[str, str] = {}
        """The one shared string of each source's id, by id."""
        self.id_tuples: dict[tuple[str, ...], tuple[str, ...]] = {}
        """The source ids of each list of them read so far, by the list (see source_refs)."""
        self.evidence_ids: dict[str, str] = {}
        """The one shared string of each item of evidence's id, by id."""
        self.evidence_tuples: dict[tuple[str, ...], tuple[str, ...]] = {}
        """The evidence ids of each list of them read so far, by the list (see refs)."""

    # ---- values ---------------------------------------------------------------------

    def text(self, value: object) -> str:
        if (
            type(value) is not str
            or not value
            or value.isspace()
            or len(value) > self.most
            or not _is_text(value)
        ):
            raise NotProvablyValid
        return value

    def opt_text(self, value: object) -> str | None:
        return None if value is None else self.text(value)

    def opt_texts(self, *values: object) -> None:
        """Refuse unless each of *values* is ``None`` or text: one call for a record's many.

        Text holding a lone surrogate is refused as records refuse it, in one pass over all
        of *values* (a column of a million quotes, say), in C where they are ASCII.
        """
        most = self.most
        for v in values:
            if v is not None and (type(v) is not str or not v or v.isspace() or len(v) > most):
                raise NotProvablyValid
        if not _all_text(list(filter(None, values))):  # type: ignore[arg-type]
            raise NotProvablyValid

    def texts_column(self, values: list[Any]) -> list[str]:
        """*values*, once each is text (:meth:`text`), checked a pass at a time, in C where it can be."""
        if values and not (
            set(map(type, values)) <= {str}
            and all(values)
            and not any(map(str.isspace, values))
            and max(map(len, values)) <= self.most
            and _all_text(values)
        ):
            raise NotProvablyValid
        return values

    @staticmethod
    def looked_up_column(
        table: Mapping[Any, Any], values: list[Any], *, optional: bool = False
    ) -> list[Any]:
        """What *table* holds for each of *values*, each a ``str`` (:meth:`ref`, :meth:`enum`).

        Refused if a value is not in *table*; with *optional*, ``None`` stays ``None``.
        """
        if not set(map(type, values)) <= ({str, type(None)} if optional else {str}):
            raise NotProvablyValid
        found = list(map(table.get, values))
        if found.count(None) != (values.count(None) if optional else 0):
            raise NotProvablyValid
        return found

    def moment_column(self, values: list[Any]) -> list[Moment | None]:
        """Each of *values* as :meth:`moment` reads it: each distinct text parsed once."""
        if values.count(None) == len(values):
            return values
        if not set(map(type, values)) <= {str, type(None)}:
            raise NotProvablyValid
        known = self.moments
        for text in set(values).difference(known, (None,)):
            known[text] = _parsed(text, day_only=False)
        return list(map(known.get, values))  # None, never a key, reads as None

    @staticmethod
    def given(
        column: ColumnOf, present: set[str], key: str, read: Callable[[Any], tuple[str, ...]]
    ) -> list[tuple[str, ...]]:
        """The field *key* of every record read by *read*, or ``()`` where a record lacks it.

        A record that holds the key holds a value to read, ``null`` too, which is refused.
        """
        if key not in present:
            return column(key, ())
        return [() if v is _LACKS else read(v) for v in column(key, _LACKS)]

    def texts(self, value: object) -> tuple[str, ...]:
        items = [value] if type(value) is str else value
        if type(items) is not list and type(items) is not tuple:
            raise NotProvablyValid
        return tuple(self.text(v) for v in items)

    def new_id(self, value: object) -> str:
        if type(value) is not str or not _ID.fullmatch(value) or len(value) > self.most:
            raise NotProvablyValid
        return value

    @staticmethod
    def ref(table: Mapping[str, str], value: object) -> str:
        """The one shared string of an id the case holds; refused if it holds no such id."""
        if type(value) is not str:
            raise NotProvablyValid
        found = table.get(value)
        if found is None:
            raise NotProvablyValid
        return found

    def source_refs(self, value: object) -> tuple[str, ...]:
        """The ids of the sources *value* names (one id or a list), as one shared tuple.

        Lists of the same ids come again and again (the reporters of a million attributions),
        so each is looked up once and its tuple is shared.
        """
        return self.refs(self.source_ids, self.id_tuples, value)

    def refs(
        self,
        table: Mapping[str, str],
        tuples: dict[tuple[str, ...], tuple[str, ...]],
        value: object,
    ) -> tuple[str, ...]:
        """The ids of *table* that *value* names (one id or a list), as one tuple shared in *tuples*."""
        items = (value,) if type(value) is str else value
        if type(items) is list:
            items = tuple(items)
        elif type(items) is not tuple:
            raise NotProvablyValid
        for v in items:
            if type(v) is not str:
                raise NotProvablyValid
        found = tuples.get(items)
        if found is None:
            found = tuples[items] = tuple(self.ref(table, v) for v in items)
        return found

    def moment(self, value: object) -> Moment | None:
        if value is None:
            return None
        if type(value) is not str:
            raise NotProvablyValid
        found = self.moments.get(value)
        if found is None:
            found = self.moments[value] = _parsed(value, day_only=False)
        return found

    def day(self, value: object) -> Day | None:
        if value is None:
            return None
        if type(value) is not str:
            raise NotProvablyValid
        found = self.days.get(value)
        if found is None:
            found = self.days[value] = _parsed(value, day_only=True)
        return found

    @staticmethod
    def enum(table: Mapping[object, Any], value: object) -> Any:
        if type(value) is not str or value not in table:
            raise NotProvablyValid
        return table[value]

    @staticmethod
    def whole(value: object) -> int:
        """A whole number of zero or more (a bool is not one)."""
        if type(value) is not int or value < 0:
            raise NotProvablyValid
        return value

    def count(self, value: object) -> Count | None:
        if value is None:
            return None
        if type(value) is not dict:
            raise NotProvablyValid
        unit = self.opt_text(value.get("unit"))
        forms = [k for k in value if k != "unit"]
        if len(forms) != 1:
            raise NotProvablyValid
        form = forms[0]
        raw = value[form]
        if form == "between":
            if (type(raw) is not list and type(raw) is not tuple) or len(raw) != 2:  # noqa: PLR2004
                raise NotProvablyValid
            low, high = self.whole(raw[0]), self.whole(raw[1])
            if low > high:
                raise NotProvablyValid
            key: tuple[object, ...] = (form, low, high, unit)
        elif form in ("exactly", "at_least", "at_most"):
            key = (form, self.whole(raw), unit)
        elif form == "about":
            key = ("about", *self.about(raw), unit)
        else:
            raise NotProvablyValid
        found = self.counts.get(key)
        if found is None:
            found = getattr(Count, form)(*key[1:-1], unit=unit)
            self.counts[key] = found
        return found

    def about(self, raw: object) -> tuple[int, float]:
        """The figure and tolerance of ``about: N`` or ``about: {value: N, tolerance: T}``."""
        if type(raw) is not dict:
            return self.whole(raw), DEFAULT_TOLERANCE
        if not _ABOUT_KEYS.issuperset(raw):
            raise NotProvablyValid
        tolerance = raw.get("tolerance", DEFAULT_TOLERANCE)
        if (type(tolerance) is not float and type(tolerance) is not int) or not (
            0 <= tolerance <= 1
        ):
            raise NotProvablyValid
        return self.whole(raw.get("value")), float(tolerance)

    # ---- sections -------------------------------------------------------------------

    def case(self, data: object, columns: Columns | None = None) -> Case:
        """The case *data* holds; its attributions are *columns* instead, when given."""
        if type(data) is not dict or not _TOP.issuperset(data):
            raise NotProvablyValid
        version = data.get("claimtrack")
        if type(version) is not int or version != FORMAT_VERSION:  # neither true nor 1.0
            raise NotProvablyValid
        title = self.text(data.get("title", "Untitled case"))
        description = data.get("description")
        if description is not None and (
            type(description) is not str
            or len(description) > self.most
            or not _is_text(description)
        ):
            raise NotProvablyValid
        source = self.source
        sources = {k: source(k, f) for k, f in self.table(data, "sources").items()}
        ids = self.source_ids = {k: k for k in sources}
        for one in sources.values():
            for _, aff in one.affiliations():
                if aff.source == one.id or aff.source not in ids:
                    raise NotProvablyValid
        documents = self.documents(self.table(data, "documents"), ids)
        evidence = {k: self.evidence(k, f) for k, f in self.table(data, "evidence").items()}
        self.evidence_ids = {k: k for k in evidence}
        questions = self.questions(self.table(data, "questions"))
        claims = self.claims(self.table(data, "claims"), {k: k for k in questions})
        if columns is None:
            attributions, claim_index = self.attributions(
                self.items(data, "attributions"), claims, ids, documents
            )
        else:
            if "attributions" in data:
                raise NotProvablyValid
            attributions, claim_index = self.attribution_columns(
                columns.column, columns.present, columns.n, claims, ids, documents
            )
        cids = {k: k for k in claims}
        relations = [self.relation(f, cids, ids) for f in self.items(data, "relations")]
        case = Case(
            title=title,
            description=description,
            sources=sources,
            documents=documents,
            questions=questions,
            claims=claims,
            attributions=attributions,
            relations=relations,
            evidence=evidence,
        )
        if any(p.is_error for p in case._affiliation_loops()):  # noqa: SLF001
            raise NotProvablyValid
        case._claim_index = claim_index  # noqa: SLF001
        case._proven = True  # noqa: SLF001 - every error this case could hold was ruled out above
        return case

    def table(self, data: dict[str, Any], section: str) -> dict[str, dict[str, Any]]:
        """The table *section*, once its ids are ids and each of its records a mapping."""
        table = data.get(section)
        if table is None:
            return {}
        if type(table) is not dict or not _only_dicts(table.values()):
            raise NotProvablyValid
        ids = list(table)
        if not (_ids_fine(ids) and max(map(len, ids), default=0) <= self.most):
            raise NotProvablyValid
        return table

    @staticmethod
    def items(data: dict[str, Any], section: str) -> list[dict[str, Any]]:
        items = data.get(section)
        if items is None:
            return []
        if type(items) is not list or not _only_dicts(items):
            raise NotProvablyValid
        return items

    @staticmethod
    def known(fields: dict[str, Any], names: frozenset[str]) -> None:
        if not names.issuperset(fields):
            raise NotProvablyValid

    def affiliations(self, value: object) -> tuple[Affiliation, ...]:
        items = value if type(value) is list or type(value) is tuple else [value]
        out = []
        for item in items:
            if type(item) is str:
                out.append(Affiliation(self.new_id(item)))
            elif type(item) is dict and _AFFILIATION_KEYS.issuperset(item):
                start, end = self.day(item.get("from")), self.day(item.get("to"))
                if end is not None and start is not None and later(start, end):
                    raise NotProvablyValid
                out.append(Affiliation(self.new_id(item.get("source")), start=start, end=end))
            else:
                raise NotProvablyValid
        return tuple(out)

    _SOURCE = _keys(Source)

    def source(self, rid: str, f: dict[str, Any]) -> Source:
        self.known(f, self._SOURCE)
        g = f.get
        reliability = g("reliability")
        return Source(
            rid,
            self.text(g("name")),
            self.enum(_SOURCE_KINDS, g("kind")),
            reliability=None if reliability is None else self.enum(_RELIABILITY, reliability),
            role=self.opt_text(g("role")),
            aliases=self.texts(f["aliases"]) if "aliases" in f else (),
            speaks_for=self.affiliations(f["speaks_for"]) if "speaks_for" in f else (),
            member_of=self.affiliations(f["member_of"]) if "member_of" in f else (),
            part_of=self.affiliations(f["part_of"]) if "part_of" in f else (),
            notes=self.opt_text(g("notes")),
        )

    _DOCUMENT = _keys(Document)

    def documents(
        self, table: dict[str, dict[str, Any]], sources: dict[str, str]
    ) -> dict[str, Document]:
        """The documents of *table*, checked a field at a time and built by :meth:`Document.columns`."""
        column, present = _columns(list(table.values()))
        if not self._DOCUMENT.issuperset(present):
            raise NotProvablyValid
        n = len(table)
        url, archive_url, language, text, text_file, notes = (
            column(k) for k in ("url", "archive_url", "language", "text", "text_file", "notes")
        )
        for texts in (url, archive_url, language, text, text_file, notes):
            if texts.count(None) != n:
                self.opt_texts(*texts)
        if text_file.count(None) != n and any(
            f is not None and (t is not None or Path(f).is_absolute())
            for t, f in zip(text, text_file, strict=True)
        ):
            raise NotProvablyValid
        published, retrieved = (
            self.moment_column(column("published")),
            self.moment_column(column("retrieved")),
        )
        if (
            published.count(None) != n
            and retrieved.count(None) != n
            and any(
                p is not None and r is not None and later(p, r)
                for p, r in zip(published, retrieved, strict=True)
            )
        ):
            raise NotProvablyValid
        sha = column("sha256")
        if sha.count(None) != n and not all(
            s is None or (type(s) is str and _SHA256.fullmatch(s)) for s in sha
        ):
            raise NotProvablyValid
        kind = (
            self.looked_up_column(_DOCUMENT_KINDS, column("kind", DocumentKind.ARTICLE.value))
            if "kind" in present
            else [DocumentKind.ARTICLE] * n
        )
        return _by_id(
            Document.columns(
                list(table),
                self.looked_up_column(sources, column("publisher")),
                self.texts_column(column("title")),
                url,
                archive_url,
                published,
                retrieved,
                language,
                kind,
                text,
                text_file,
                sha,
                notes,
            )
        )

    _EVIDENCE = _keys(Evidence)

    def evidence(self, rid: str, f: dict[str, Any]) -> Evidence:
        self.known(f, self._EVIDENCE)
        g = f.get
        return Evidence(
            rid,
            self.enum(_EVIDENCE_KINDS, g("kind")),
            self.text(g("description")),
            first_seen=self.moment(g("first_seen")),
            notes=self.opt_text(g("notes")),
        )

    _QUESTION = _keys(Question)

    def questions(self, table: dict[str, dict[str, Any]]) -> dict[str, Question]:
        """The questions of *table*, checked a field at a time and built by :meth:`Question.columns`."""
        column, present = _columns(list(table.values()))
        if not self._QUESTION.issuperset(present):
            raise NotProvablyValid
        n = len(table)
        exclusive, notes = column("exclusive", True), column("notes")  # noqa: FBT003 - a default
        if not set(map(type, exclusive)) <= {bool}:
            raise NotProvablyValid
        if notes.count(None) != n:
            self.opt_texts(*notes)
        parties = self.given(column, present, "parties", self.source_refs)
        return _by_id(
            Question.columns(
                list(table), self.texts_column(column("text")), exclusive, parties, notes
            )
        )

    _CLAIM = _keys(Claim)

    def claims(
        self, table: dict[str, dict[str, Any]], questions: dict[str, str]
    ) -> dict[str, Claim]:
        """The claims of *table*, checked a field at a time and built by :meth:`Claim.columns`."""
        column, present = _columns(list(table.values()))
        if not self._CLAIM.issuperset(present):
            raise NotProvablyValid
        n = len(table)
        question, value, when, notes = (column(k) for k in ("question", "value", "when", "notes"))
        if notes.count(None) != n:
            self.opt_texts(*notes)
        if question.count(None) != n:
            question = self.looked_up_column(questions, question, optional=True)
        return _by_id(
            Claim.columns(
                list(table),
                self.texts_column(column("text")),
                question,
                value if value.count(None) == n else list(map(self.count, value)),
                self.moment_column(when),
                self.given(column, present, "about", self.source_refs),
                self.given(column, present, "blames", self.source_refs),
                self.given(column, present, "tags", self.texts),
                notes,
            )
        )

    _ATTRIBUTION = _keys(Attribution)

    def attributions(
        self,
        items: list[dict[str, Any]],
        claims: dict[str, Claim],
        sources: dict[str, str],
        documents: dict[str, Document],
    ) -> tuple[list[Attribution], array[int]]:
        """Every attribution, checked and built a field at a time: a million of them take seconds.

        Each field is one pass over the parsed mappings, in C where it can be (a lookup of
        every value in a table); the records are then built by :meth:`Attribution.columns`.
        Also returns the position of each attribution's claim among the claims, which the
        loader finds on the way and the engine would otherwise look up again.
        """
        column, present = _columns(items)
        return self.attribution_columns(column, present, len(items), claims, sources, documents)

    def attribution_columns(  # noqa: C901, PLR0912, PLR0917 - one pass per field, each refusing what it cannot prove
        self,
        column: ColumnOf,
        present: set[str],
        n: int,
        claims: dict[str, Claim],
        sources: dict[str, str],
        documents: dict[str, Document],
    ) -> tuple[list[Attribution], array[int]]:
        """The attributions of :meth:`attributions`, from their columns: the fields they hold.

        *column* gives the list of the *n* values of a field, each field's default where an
        attribution lacks it; *present* names the fields some attribution holds. The bulk
        builders of :class:`Case` call this with the columns of their rows.
        """
        if not self._ATTRIBUTION.issuperset(present):
            raise NotProvablyValid
        place = {k: i for i, k in enumerate(claims)}

        def looked_up(table: Mapping[Any, Any], values: list[Any]) -> list[Any]:
            try:  # an unhashable value, a list where an id belongs, is not in any table
                found = list(map(table.get, values))
            except TypeError:
                raise NotProvablyValid from None
            if None in found:
                raise NotProvablyValid
            return found

        claim_col = column("claim")
        index = array("q", looked_up(place, claim_col))
        ids = list(claims)
        claim = [ids[i] for i in index]
        source = looked_up(sources, column("source"))
        stance = looked_up(_STANCES, column("stance", "asserts"))
        mode = looked_up(_MODES, column("mode", "on-record"))
        via = [() if v == () else self.source_refs(v) for v in column("via", ())]
        for s, v in zip(source, via, strict=True):
            if v and (s in v or (len(v) > 1 and len(set(v)) != len(v))):
                raise NotProvablyValid
        quote, prefix, suffix, notes = (column(k) for k in ("quote", "prefix", "suffix", "notes"))
        for texts in (quote, prefix, suffix, notes):
            if texts.count(None) != n:
                self.opt_texts(*texts)
        if (prefix.count(None) != n or suffix.count(None) != n) and any(
            q is None and (p is not None or x is not None)
            for q, p, x in zip(quote, prefix, suffix, strict=True)
        ):
            raise NotProvablyValid
        credibility = column("credibility")
        if credibility.count(None) != n:
            credibility = [_CREDIBILITY.get(v, v) if type(v) is int else v for v in credibility]
            if any(v is not None and type(v) is not Credibility for v in credibility):
                raise NotProvablyValid
        said = self.moment_column(column("said"))
        docs = column("document")
        if docs.count(None) != n:
            if not set(map(type, docs)) <= {str, type(None)}:
                raise NotProvablyValid
            if not set(docs).difference((None,)) <= documents.keys():  # an id the case lacks
                raise NotProvablyValid
            dated = any(c.when is not None for c in claims.values())
            if dated or said.count(None) != n:
                found = map(documents.get, docs)
                for doc, at, cid in zip(found, said, claim, strict=True):
                    if doc is not None and _dates_rule_out(doc, at, claims[cid]):
                        raise NotProvablyValid
            shared = {k: k for k in documents}  # each id as the one string its document keeps
            docs = list(map(shared.get, docs))
        who = self.who(column, present, stance, index)
        made = Attribution.columns(
            claim,
            source,
            stance,
            docs,
            via,
            quote,
            prefix,
            suffix,
            said,
            mode,
            credibility,
            notes,
            *who,
        )
        return made, index

    def who(
        self,
        column: Callable[[str, object], list[Any]],
        present: set[str],
        stance: list[Stance],
        claim_at: array[int],
    ) -> tuple[list[Any], ...]:
        """The columns of who stands behind each attribution, from *id* to *against_interest*.

        A field no attribution holds is a column of its default, with nothing to check.
        Refused: an id given twice; evidence the case lacks; a ``withdraws`` but on a
        retraction, or naming no attribution of the same claim, or naming a retraction or
        itself; a hedge below even chance; a flag other than true or false.
        """
        rid = column("id", None)
        at = self.id_positions(rid) if "id" in present else {}
        based_on = column("based_on", ())
        if "based_on" in present:
            refs, table, tuples = self.refs, self.evidence_ids, self.evidence_tuples
            based_on = [() if v == () else refs(table, tuples, v) for v in based_on]
        withdraws = column("withdraws", None)
        if "withdraws" in present:
            _withdrawals_hold(withdraws, at, stance, claim_at)
        hedge = column("hedge", None)
        if "hedge" in present:
            try:
                hedge = [None if v is None else _HEDGES[v] for v in hedge]
            except (KeyError, TypeError):  # not a hedge, or unhashable
                raise NotProvablyValid from None
            if not _BELOW_EVEN.isdisjoint(hedge):
                raise NotProvablyValid
        flags = []
        for key in ("in_own_name", "against_interest"):
            flag = column(key, False)  # noqa: FBT003 - a column's default, not a flag of the call
            if key in present and not set(map(type, flag)) <= {bool}:
                raise NotProvablyValid
            flags.append(flag)
        return rid, based_on, withdraws, hedge, *flags

    def id_positions(self, ids: list[Any]) -> dict[str, int]:
        """The position of each id of *ids* (``None`` where an attribution has none); refused if one repeats."""
        at: dict[str, int] = {}
        new_id = self.new_id
        for i, v in enumerate(ids):
            if v is not None:
                if new_id(v) in at:
                    raise NotProvablyValid
                at[v] = i
        return at

    _RELATION = _keys(Relation)

    def relation(
        self, f: dict[str, Any], claims: dict[str, str], sources: dict[str, str]
    ) -> Relation:
        self.known(f, self._RELATION)
        pair = f.get("claims")
        if (type(pair) is not list and type(pair) is not tuple) or len(pair) != 2:  # noqa: PLR2004
            raise NotProvablyValid
        first, second = self.ref(claims, pair[0]), self.ref(claims, pair[1])
        if first == second:
            raise NotProvablyValid
        by = f.get("by")
        return Relation(
            self.enum(_RELATION_KINDS, f.get("kind")),
            (first, second),
            by=None if by is None else self.ref(sources, by),
            reason=self.opt_text(f.get("reason")),
        )


_LACKS = object()
"""The value of a field a record lacks, where ``None`` would be a value it holds."""


def _columns(records: list[dict[str, Any]]) -> tuple[ColumnOf, set[str]]:
    """A function giving the values of a field of every one of *records*; and the fields they hold.

    Each column is one pass over the parsed mappings, in C; a field no record holds is a
    column of its default.
    """
    present: set[str] = set().union(*records)
    n = len(records)
    get = dict.get

    def column(key: str, default: object = None) -> list[Any]:
        if key not in present:  # no record holds it: every one takes the default
            return [default] * n
        return list(map(get, records, itertools.repeat(key, n), itertools.repeat(default, n)))

    return column, present


def _by_id(records: list[Any]) -> dict[str, Any]:
    """*records*, each under its id, in order."""
    return {r.id: r for r in records}


def _dates_rule_out(doc: Document, said: Moment | None, claim: Claim) -> bool:
    """Whether *doc*'s dates rule out an attribution it carries.

    They do for a speaker said to speak after the document was published or retrieved, and
    for a claim about a time after the document reporting it was retrieved.
    """
    if said is not None and (
        (doc.published is not None and later(said, doc.published))
        or (doc.retrieved is not None and later(said, doc.retrieved))
    ):
        return True
    when = claim.when
    return when is not None and doc.retrieved is not None and later(when, doc.retrieved)


def _withdrawals_hold(
    withdraws: list[Any], at: Mapping[str, int], stance: list[Stance], claim_at: array[int]
) -> None:
    """Refuse unless each ``withdraws`` given, on a retraction, names an attribution of its claim.

    The attribution named, by its id (*at*), must be another one, and not a retraction.
    """
    retracts = Stance.RETRACTS
    for i, v in enumerate(withdraws):
        if v is None:
            continue
        j = at.get(v) if type(v) is str else None
        if (
            j is None
            or j == i
            or stance[i] is not retracts
            or stance[j] is retracts
            or claim_at[j] != claim_at[i]
        ):
            raise NotProvablyValid


def _only_dicts(items: Iterable[Any]) -> bool:
    return set(map(type, items)) <= {dict}


def _parsed(text: str, *, day_only: bool) -> Moment:
    """:func:`parse_moment`, refused rather than raised when *text* is not a date."""
    try:
        return parse_moment(text, day_only=day_only)
    except ValueError:
        raise NotProvablyValid from None
