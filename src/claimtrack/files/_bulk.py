"""The fast path for loading: build a valid case from well-formed data in bulk.

Structuring a record through cattrs and running each validator one record at a time costs
microseconds per field, which adds up to seconds at a million attributions. This module
checks the same rules in bulk and builds the frozen records directly. It accepts only data
it can prove well formed and whose records fit together; for anything else it returns
``None`` and the caller takes the detailed path, so every error message stays exactly as
that path words it. It is an optimisation only: it must never accept what the detailed
path refuses, and must build records equal to the ones that path builds.
"""

from __future__ import annotations

import datetime as dt
import enum
import gc
import json
import sys

from array import array
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from claimtrack.model._case import TOP_KEYS, Case, later
from claimtrack.model._records import (
    _ID,
    _SHA256,
    Affiliation,
    Attribution,
    Claim,
    Credibility,
    Document,
    DocumentKind,
    Mode,
    Moment,
    Question,
    Relation,
    RelationKind,
    Reliability,
    Source,
    SourceKind,
    Stance,
    parse_moment,
)
from claimtrack.model._values import Count


_TOP = frozenset(TOP_KEYS)


class _Refused(Exception):  # noqa: N818 - a signal to take the detailed path, never shown
    """The data is not provably well formed: the detailed path must read it."""


def _maker(cls: type) -> Callable[..., Any]:
    """A function that builds a *cls* from its field values in slot order, skipping ``__init__``.

    Only for values already checked against every rule of the class's validators.
    """
    names = [n for n in cls.__slots__ if n != "__weakref__"]  # type: ignore[attr-defined]
    setters = {f"_s{i}": getattr(cls, n).__set__ for i, n in enumerate(names)}
    lines = [f"def make({', '.join(names)}):", "    o = _new(_cls)"]
    lines += [f"    _s{i}(o, {n})" for i, n in enumerate(names)]
    lines.append("    return o")
    scope: dict[str, Any] = {"_new": object.__new__, "_cls": cls, **setters}
    exec("\n".join(lines), scope)  # noqa: S102 - code built only from the class's own slot names
    return scope["make"]  # type: ignore[no-any-return]


_MAKE = {cls: _maker(cls) for cls in (Source, Document, Question, Claim, Attribution, Relation)}


def _values(cls: type[enum.Enum]) -> dict[object, Any]:
    return {m.value: m for m in cls}


_SOURCE_KINDS = _values(SourceKind)
_RELIABILITY = _values(Reliability)
_DOCUMENT_KINDS = _values(DocumentKind)
_STANCES = _values(Stance)
_MODES = _values(Mode)
_RELATION_KINDS = _values(RelationKind)
_CREDIBILITY = _values(Credibility)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of acyclic objects are made.

    Each collection walks every object made so far, so leaving it on makes a large load
    quadratic in effect; records and parsed data hold no cycles, so nothing is missed.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _digits(limit: int) -> Callable[[str], int]:
    def parse_int(text: str) -> int:
        if len(text) > limit:
            raise _Refused
        return int(text)

    return parse_int


def _no_constant(_name: str) -> None:
    raise _Refused


def quick_json(text: str, max_digits: int) -> tuple[Any, int] | None:
    """Parse JSON at the decoder's full speed; ``None`` if it cannot be done safely.

    A hook per object to refuse duplicate keys would more than double the time, so instead
    the keys are counted in the text: with no escaped quote in it, every ``":`` ends a key.
    :func:`build` counts the keys it reads; a merged duplicate leaves it one short. Text
    lengths are not checked here either: :func:`build` checks every text it accepts.

    Returns:
        The data and the number of keys in the text.
    """
    if '\\"' in text:
        return None
    try:
        data = json.loads(text, parse_constant=_no_constant, parse_int=_digits(max_digits))
    except (_Refused, ValueError, RecursionError):
        return None
    return data, text.count('":')


def build(data: object, max_text: int, keys: int | None = None) -> Case | None:
    """Build the case *data* describes, checked as ``load`` checks it, or ``None``.

    ``None`` means the data is not provably a valid case: the caller reads it again through
    the detailed path, which finds and words every problem. *keys*, from :func:`quick_json`,
    is how many keys the text holds: fewer in the data means a duplicate was merged.
    """
    try:
        return _Builder(max_text, keys).case(data)
    except (_Refused, KeyError, TypeError, ValueError, AttributeError):
        return None


class _Builder:
    """Checks and builds records in bulk, sharing one string per id and one object per value."""

    def __init__(self, max_text: int, expect_keys: int | None) -> None:
        self.most = max_text
        self.expect_keys = expect_keys
        self.moments: dict[str, Moment] = {}
        self.days: dict[str, dt.date] = {}
        self.counts: dict[tuple[object, ...], Count] = {}
        self.id_tuples: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.keys = 0
        """How many keys the mappings read so far hold, to tell merged duplicates (see quick_json)."""

    # ---- values ---------------------------------------------------------------------

    def text(self, value: object) -> str:
        if type(value) is not str or not value or value.isspace() or len(value) > self.most:
            raise _Refused
        return value

    def opt_text(self, value: object) -> str | None:
        return None if value is None else self.text(value)

    def texts(self, value: object) -> tuple[str, ...]:
        items = [value] if type(value) is str else value
        if type(items) is not list:
            raise _Refused
        return tuple(self.text(v) for v in items)

    def new_id(self, value: object) -> str:
        if type(value) is not str or not _ID.fullmatch(value) or len(value) > self.most:
            raise _Refused
        return sys.intern(value)

    @staticmethod
    def ref(table: Mapping[str, str], value: object) -> str:
        """The one shared string of an id the case holds; refused if it holds no such id."""
        if type(value) is not str:
            raise _Refused
        return table[value]

    def refs(self, table: Mapping[str, str], value: object) -> tuple[str, ...]:
        items = [value] if type(value) is str else value
        if type(items) is not list:
            raise _Refused
        ids = tuple(self.ref(table, v) for v in items)
        return self.id_tuples.setdefault(ids, ids)

    def moment(self, value: object) -> Moment | None:
        if value is None:
            return None
        if type(value) is not str:
            raise _Refused
        found = self.moments.get(value)
        if found is None:
            found = self.moments[value] = parse_moment(value)
        return found

    def day(self, value: object) -> dt.date | None:
        if value is None:
            return None
        if type(value) is not str:
            raise _Refused
        found = self.days.get(value)
        if found is None:
            found = self.days[value] = parse_moment(value, day_only=True)
        return found

    @staticmethod
    def enum(table: Mapping[object, Any], value: object) -> Any:
        if type(value) is not str:
            raise _Refused
        return table[value]

    @staticmethod
    def whole(value: object) -> int:
        if type(value) is not int:
            raise _Refused
        return value

    def count(self, value: object) -> Count | None:
        if value is None:
            return None
        if type(value) is not dict:
            raise _Refused
        self.keys += len(value)
        unit = value.get("unit")
        forms = [k for k in value if k != "unit"]
        if len(forms) != 1 or (unit is not None and type(unit) is not str):
            raise _Refused
        form = forms[0]
        raw = value[form]
        if form == "between":
            if type(raw) is not list or len(raw) != 2:  # noqa: PLR2004
                raise _Refused
            key: tuple[object, ...] = (form, self.whole(raw[0]), self.whole(raw[1]), unit)
        elif form in ("exactly", "at_least", "at_most"):
            key = (form, self.whole(raw), unit)
        else:
            raise _Refused
        found = self.counts.get(key)
        if found is None:
            if unit is not None:
                self.text(unit)
            found = getattr(Count, form)(*key[1:-1], unit=unit)
            self.counts[key] = found
        return found

    # ---- sections -------------------------------------------------------------------

    def case(self, data: object) -> Case:
        if type(data) is not dict or not _TOP.issuperset(data):
            raise _Refused
        self.keys += len(data)
        version = data.get("claimtrack")
        if type(version) is not int or version != 1:
            raise _Refused
        title = self.text(data.get("title", "Untitled case"))
        description = data.get("description")
        if description is not None and (
            type(description) is not str or len(description) > self.most
        ):
            raise _Refused
        sources = self.table(data, "sources", self.source)
        ids = {k: k for k in sources}
        for source in sources.values():
            for _, aff in source.affiliations():
                if aff.source == source.id or aff.source not in ids:
                    raise _Refused
        documents = self.table(data, "documents", lambda k, f: self.document(k, f, ids))
        questions = self.table(data, "questions", self.question)
        qids = {k: k for k in questions}
        claims = self.table(data, "claims", lambda k, f: self.claim(k, f, qids, ids))
        cids = {k: k for k in claims}
        attributions, claim_index = self.attributions(
            self.items(data, "attributions"), cids, ids, documents, claims
        )
        relations = [self.relation(f, cids, ids) for f in self.items(data, "relations")]
        self.keys += sum(map(len, self.items(data, "relations")))
        if self.expect_keys is not None and self.keys != self.expect_keys:
            raise _Refused
        case = Case(
            title=title,
            description=description,
            sources=sources,
            documents=documents,
            questions=questions,
            claims=claims,
            attributions=attributions,
            relations=relations,
        )
        if any(p.is_error for p in case._affiliation_loops()):  # noqa: SLF001
            raise _Refused
        case._claim_index = claim_index  # noqa: SLF001
        return case

    def table(
        self, data: dict[str, Any], section: str, make: Callable[[str, dict[str, Any]], Any]
    ) -> dict[str, Any]:
        table = data.get(section)
        if table is None:
            return {}
        if type(table) is not dict:
            raise _Refused
        self.keys += len(table)
        out = {}
        for key, fields in table.items():
            if type(fields) is not dict or "id" in fields:
                raise _Refused
            self.keys += len(fields)
            rid = self.new_id(key)
            out[rid] = make(rid, fields)
        return out

    @staticmethod
    def items(data: dict[str, Any], section: str) -> list[dict[str, Any]]:
        items = data.get(section)
        if items is None:
            return []
        if type(items) is not list or any(type(i) is not dict for i in items):
            raise _Refused
        return items

    @staticmethod
    def known(fields: dict[str, Any], names: frozenset[str]) -> None:
        if not names.issuperset(fields):
            raise _Refused

    def affiliations(self, value: object) -> tuple[Affiliation, ...]:
        items = value if type(value) is list else [value]
        out = []
        for item in items:
            if type(item) is str:
                out.append(Affiliation(self.new_id(item)))
            elif type(item) is dict and {"source", "from", "to"}.issuperset(item):
                self.keys += len(item)
                start, end = self.day(item.get("from")), self.day(item.get("to"))
                if end is not None and start is not None and end < start:
                    raise _Refused
                out.append(Affiliation(self.new_id(item["source"]), start=start, end=end))
            else:
                raise _Refused
        return tuple(out)

    _SOURCE = frozenset(
        (
            "name",
            "kind",
            "reliability",
            "role",
            "aliases",
            "speaks_for",
            "member_of",
            "part_of",
            "notes",
        )
    )

    def source(self, rid: str, f: dict[str, Any]) -> Source:
        self.known(f, self._SOURCE)
        g = f.get
        reliability = g("reliability")
        return _MAKE[Source](  # type: ignore[no-any-return]
            rid,
            self.text(f["name"]),
            self.enum(_SOURCE_KINDS, f["kind"]),
            None if reliability is None else self.enum(_RELIABILITY, reliability),
            self.opt_text(g("role")),
            self.texts(f["aliases"]) if "aliases" in f else (),
            self.affiliations(f["speaks_for"]) if "speaks_for" in f else (),
            self.affiliations(f["member_of"]) if "member_of" in f else (),
            self.affiliations(f["part_of"]) if "part_of" in f else (),
            self.opt_text(g("notes")),
        )

    _DOCUMENT = frozenset(
        (
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
        )
    )

    def document(self, rid: str, f: dict[str, Any], sources: dict[str, str]) -> Document:
        self.known(f, self._DOCUMENT)
        g = f.get
        published, retrieved = self.moment(g("published")), self.moment(g("retrieved"))
        if published is not None and retrieved is not None and later(published, retrieved):
            raise _Refused
        text, text_file = self.opt_text(g("text")), self.opt_text(g("text_file"))
        if text is not None and text_file is not None:
            raise _Refused
        if text_file is not None and Path(text_file).is_absolute():
            raise _Refused
        sha = g("sha256")
        if sha is not None and (type(sha) is not str or not _SHA256.fullmatch(sha)):
            raise _Refused
        kind = g("kind")
        return _MAKE[Document](  # type: ignore[no-any-return]
            rid,
            self.ref(sources, f["publisher"]),
            self.text(f["title"]),
            self.opt_text(g("url")),
            self.opt_text(g("archive_url")),
            published,
            retrieved,
            self.opt_text(g("language")),
            DocumentKind.ARTICLE
            if kind is None and "kind" not in f
            else self.enum(_DOCUMENT_KINDS, kind),
            text,
            text_file,
            sha,
            self.opt_text(g("notes")),
        )

    _QUESTION = frozenset(("text", "exclusive", "notes"))

    def question(self, rid: str, f: dict[str, Any]) -> Question:
        self.known(f, self._QUESTION)
        exclusive = f.get("exclusive", True)
        if type(exclusive) is not bool:
            raise _Refused
        return _MAKE[Question](rid, self.text(f["text"]), exclusive, self.opt_text(f.get("notes")))  # type: ignore[no-any-return]

    _CLAIM = frozenset(("text", "question", "value", "when", "about", "tags", "notes"))

    def claim(
        self, rid: str, f: dict[str, Any], questions: dict[str, str], sources: dict[str, str]
    ) -> Claim:
        self.known(f, self._CLAIM)
        g = f.get
        question = g("question")
        return _MAKE[Claim](  # type: ignore[no-any-return]
            rid,
            self.text(f["text"]),
            None if question is None else self.ref(questions, question),
            self.count(g("value")),
            self.moment(g("when")),
            self.refs(sources, f["about"]) if "about" in f else (),
            self.texts(f["tags"]) if "tags" in f else (),
            self.opt_text(g("notes")),
        )

    _ATTRIBUTION = frozenset(
        (
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
        )
    )

    def opt_texts(self, items: list[dict[str, Any]], key: str) -> list[str | None]:
        """The optional text *key* of every record, column-wise: one pass, no call per value."""
        col = [f.get(key) for f in items]
        most = self.most
        if any(
            v is not None and (type(v) is not str or not v or v.isspace() or len(v) > most)
            for v in col
        ):
            raise _Refused
        return col

    def attributions(
        self,
        items: list[dict[str, Any]],
        claims: dict[str, str],
        sources: dict[str, str],
        documents: dict[str, Document],
        claim_records: dict[str, Claim],
    ) -> tuple[list[Attribution], array[int]]:
        """Every attribution, checked and built a column at a time, which is what makes it fast.

        Also returns the position of each attribution's claim among the claims, which the
        loader finds on the way and the engine would otherwise look up again.
        """
        if not all(map(self._ATTRIBUTION.issuperset, items)):
            raise _Refused
        self.keys += sum(map(len, items))
        place = {k: i for i, k in enumerate(claims)}
        index = [place[f["claim"]] for f in items]
        ids = list(claims)
        claim = [ids[i] for i in index]
        source = [sources[f["source"]] for f in items]
        stance = [_STANCES[f.get("stance", "asserts")] for f in items]
        mode = [_MODES[f.get("mode", "on-record")] for f in items]
        via: list[tuple[str, ...]] = [
            () if v is None else self.refs(sources, v) for v in (f.get("via") for f in items)
        ]
        for s, v in zip(source, via, strict=True):
            if v and (s in v or len(set(v)) != len(v)):
                raise _Refused
        quote, prefix, suffix, notes = (
            self.opt_texts(items, k) for k in ("quote", "prefix", "suffix", "notes")
        )
        if any(
            q is None and (p is not None or x is not None)
            for q, p, x in zip(quote, prefix, suffix, strict=True)
        ):
            raise _Refused
        said = [None if v is None else self.moment(v) for v in (f.get("said") for f in items)]
        credibility = [
            None if v is None else _CREDIBILITY[self.whole(v)]
            for v in (f.get("credibility") for f in items)
        ]
        docs = [None if d is None else documents[d] for d in (f.get("document") for f in items)]
        dated = any(c.when is not None for c in claim_records.values())
        for i, doc in enumerate(docs):
            if doc is None or (said[i] is None and not dated):
                continue
            at = said[i]
            if at is not None and (
                (doc.published is not None and later(at, doc.published))
                or (doc.retrieved is not None and later(at, doc.retrieved))
            ):
                raise _Refused
            when = claim_records[claim[i]].when
            if when is not None and doc.retrieved is not None and later(when, doc.retrieved):
                raise _Refused
        document = [None if d is None else d.id for d in docs]
        made = list(
            map(
                _MAKE[Attribution],
                claim,
                source,
                stance,
                document,
                via,
                quote,
                prefix,
                suffix,
                said,
                mode,
                credibility,
                notes,
            )
        )
        return made, array("q", index)

    _RELATION = frozenset(("kind", "claims", "by", "reason"))

    def relation(
        self, f: dict[str, Any], claims: dict[str, str], sources: dict[str, str]
    ) -> Relation:
        self.known(f, self._RELATION)
        pair = f["claims"]
        if type(pair) is not list or len(pair) != 2:  # noqa: PLR2004
            raise _Refused
        first, second = self.ref(claims, pair[0]), self.ref(claims, pair[1])
        if first == second:
            raise _Refused
        by = f.get("by")
        return _MAKE[Relation](  # type: ignore[no-any-return]
            self.enum(_RELATION_KINDS, f["kind"]),
            (first, second),
            None if by is None else self.ref(sources, by),
            self.opt_text(f.get("reason")),
        )
