"""The Case: the records of one investigation, how to build them, check them and query them."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from claimtrack.errors import IntegrityError, Problem, Severity
from claimtrack.model._anchor import Anchor, AnchorStatus, locate
from claimtrack.model._records import (
    AffiliationKind,
    Attribution,
    Claim,
    Document,
    Moment,
    Question,
    Relation,
    RelationKind,
    Source,
    SourceKind,
    Stance,
)


if TYPE_CHECKING:
    import pandas as pd

    from rich.console import RenderableType

    from claimtrack.engine._assess import Assessments, Settings


_R = TypeVar("_R", Source, Document, Question, Claim)
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_\-]+")

SECTIONS: Mapping[type, str] = MappingProxyType(
    {Source: "sources", Document: "documents", Question: "questions", Claim: "claims"}
)

TOP_KEYS = ("claimtrack", "title", "description", *SECTIONS.values(), "attributions", "relations")
"""The keys a case file may hold at its top, in the order files are written."""


def place_of(section: str, key: str | int, *fields: str | int) -> str:
    """Write the place of a record or field the way messages show it.

    ``place_of("sources", "reuters", "kind")`` gives ``sources.reuters.kind``;
    ``place_of("attributions", 3, "source")`` gives ``attributions[3].source``.
    """
    out = section
    for part in (key, *fields):
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(part):
            out += f".{part}"
        else:
            out += f"[{part!r}]"
    return out


def _day(moment: Moment) -> dt.date:
    return moment.date() if isinstance(moment, dt.datetime) else moment


def later(a: Moment, b: Moment) -> bool:
    """Whether *a* is strictly later than *b*, at the precision both share.

    A plain day is compared by day; times without a zone are taken as UTC.
    """
    if not isinstance(a, dt.datetime) or not isinstance(b, dt.datetime):
        return _day(a) > _day(b)
    if (a.tzinfo is None) != (b.tzinfo is None):
        a, b = (x if x.tzinfo else x.replace(tzinfo=dt.UTC) for x in (a, b))
    return a > b


def _paths(value: Iterable[str | Path]) -> tuple[Path, ...]:
    return tuple(Path(p) for p in value)


@attrs.define(eq=False, repr=False)
class Case:
    """The collection an analyst works on, with indexes for the questions analysts ask of it.

    A case holds sources, documents, questions, claims, attributions and relations.

    Build one with the ``add_*`` methods, :meth:`attribute` and :meth:`relate`, or load one
    with :func:`claimtrack.load`. Every builder refuses a record that refers to an id the case
    does not hold, or that repeats an id, so a case built in Python is valid as it goes.

    Attributes:
        title: What the case is about.
        description: A longer account, in the analyst's words.
    """

    title: str = "Untitled case"
    description: str | None = None
    _sources: dict[str, Source] = attrs.Factory(dict)
    _documents: dict[str, Document] = attrs.Factory(dict)
    _questions: dict[str, Question] = attrs.Factory(dict)
    _claims: dict[str, Claim] = attrs.Factory(dict)
    _attributions: list[Attribution] = attrs.Factory(list)
    _relations: list[Relation] = attrs.Factory(list)
    #: Folders searched for the ``text_file`` of documents, first to last.
    text_dirs: tuple[Path, ...] = attrs.field(default=(), converter=_paths)
    #: The file the case was loaded from or last saved to.
    path: Path | None = None
    _index: _Index | None = attrs.field(default=None, init=False)
    _texts: dict[str, str | None] = attrs.field(factory=dict, init=False)
    # where the loader found each attribution's claim among the claims, as positions: valid
    # for as many attributions as it holds, since claims keep their places once added
    _claim_index: Sequence[int] | None = attrs.field(default=None, init=False, repr=False)
    # read-only copies handed out by `attributions` and `relations`, kept until one is added
    _frozen_attributions: tuple[Attribution, ...] = attrs.field(default=(), init=False, repr=False)
    _frozen_relations: tuple[Relation, ...] = attrs.field(default=(), init=False, repr=False)
    # size, mtime and inode of `path` when last read or written, to notice others' edits
    _disk: tuple[int, int, int] | None = attrs.field(default=None, init=False, repr=False)

    @classmethod
    def from_records(
        cls,
        records: Iterable[object],
        **kw: Any,
    ) -> Case:
        """Build a case from records in any order, without checking them (see :meth:`validate`).

        This is how files are loaded: references may point forward, so the check comes last.
        """
        case = cls(**kw)
        for record in records:
            case._store(record, check=False)
        return case

    # ---- the records, read-only -------------------------------------------------------

    @property
    def sources(self) -> Mapping[str, Source]:
        """Sources by id."""
        return MappingProxyType(self._sources)

    @property
    def documents(self) -> Mapping[str, Document]:
        """Documents by id."""
        return MappingProxyType(self._documents)

    @property
    def questions(self) -> Mapping[str, Question]:
        """Questions by id."""
        return MappingProxyType(self._questions)

    @property
    def claims(self) -> Mapping[str, Claim]:
        """Claims by id."""
        return MappingProxyType(self._claims)

    @property
    def attributions(self) -> Sequence[Attribution]:
        """Every attribution, in the order it was recorded."""
        # attributions are only ever appended, so a copy as long as the list is current
        if len(self._frozen_attributions) != len(self._attributions):
            self._frozen_attributions = tuple(self._attributions)
        return self._frozen_attributions

    @property
    def relations(self) -> Sequence[Relation]:
        """Every declared relation, in the order it was recorded."""
        if len(self._frozen_relations) != len(self._relations):
            self._frozen_relations = tuple(self._relations)
        return self._frozen_relations

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Case):
            return NotImplemented
        return self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]

    def _key(self) -> tuple[object, ...]:
        return (
            self.title,
            self.description,
            self._sources,
            self._documents,
            self._questions,
            self._claims,
            self._attributions,
            self._relations,
        )

    def __repr__(self) -> str:
        return (
            f"<Case {self.title!r}: {len(self._sources)} sources, {len(self._documents)} "
            f"documents, {len(self._questions)} questions, {len(self._claims)} claims, "
            f"{len(self._attributions)} attributions, {len(self._relations)} relations>"
        )

    def __rich__(self) -> RenderableType:
        """How ``rich.print`` shows the case: its size, and each question's leading answer."""
        from claimtrack.report._records import case_view  # noqa: PLC0415 - keeps rich out of import time

        return case_view(self)

    def _repr_html_(self) -> str:
        """Jupyter shows the case as ``rich.print`` does, as HTML."""
        from claimtrack.report._report import html_fragment  # noqa: PLC0415 - keeps rich out of import time

        return html_fragment(self)

    # ---- building ---------------------------------------------------------------------

    def add_source(self, id: str, name: str, kind: SourceKind | str, **fields: Any) -> Source:  # noqa: A002
        """Add a source; *fields* are those of :class:`~claimtrack.Source`."""
        return self.add(Source(id, name, kind, **fields))

    def add_document(self, id: str, publisher: str | Source, title: str, **fields: Any) -> Document:  # noqa: A002
        """Add a document published by *publisher*; *fields* are those of :class:`~claimtrack.Document`."""
        return self.add(Document(id, publisher, title, **fields))

    def add_question(self, id: str, text: str, **fields: Any) -> Question:  # noqa: A002
        """Add a question; *fields* are those of :class:`~claimtrack.Question`."""
        return self.add(Question(id, text, **fields))

    def add_claim(self, id: str, text: str, **fields: Any) -> Claim:  # noqa: A002
        """Add a claim; *fields* are those of :class:`~claimtrack.Claim`."""
        return self.add(Claim(id, text, **fields))

    def attribute(
        self,
        claim: str | Claim,
        source: str | Source,
        stance: Stance | str = Stance.ASSERTS,
        **fields: Any,
    ) -> Attribution:
        """Record that *source* takes *stance* on *claim*; *fields* as :class:`~claimtrack.Attribution`.

        Example: ``case.attribute("no-formal-truce", "hassan-fadhem", document="shafaq",
        via=["shafaq-news"], quote="There wasn't a formal truce")``.
        """
        return self.add(Attribution(claim, source, stance, **fields))

    def relate(
        self, kind: RelationKind | str, first: str | Claim, second: str | Claim, **fields: Any
    ) -> Relation:
        """Declare that *first* contradicts, supports, refines or supersedes *second*."""
        return self.add(Relation(kind, (first, second), **fields))

    def add(self, record: _A) -> _A:
        """Add any record, after checking that it fits the case.

        Raises:
            IntegrityError: The id is taken, or the record refers to an id the case lacks,
                or its dates or chains cannot be right.
        """
        self._store(record, check=True)
        return record

    def replace(self, record: _R) -> _R:
        """Put *record* in place of the record with the same id (made with :func:`attrs.evolve`).

        Attributions and relations are append-only: record a retraction or a new relation.

        Raises:
            IntegrityError: No record has that id, or the new one does not fit the case.
        """
        section = SECTIONS[type(record)]
        table: dict[str, Any] = getattr(self, f"_{section}")
        if record.id not in table:
            raise IntegrityError(
                [
                    Problem(
                        place_of(section, record.id),
                        f"no {_noun(section)} '{record.id}' to replace",
                    )
                ]
            )
        old = table[record.id]
        table[record.id] = record
        problems = [p for p in self._record_problems(record) if p.is_error]
        if isinstance(record, Source):
            problems += [p for p in self._affiliation_loops() if p.is_error]
        if problems:
            table[record.id] = old
            raise IntegrityError(problems)
        self._index = None
        self._texts.pop(record.id, None)
        return record

    def _store(self, record: object, *, check: bool) -> None:
        if isinstance(record, Attribution | Relation):
            if check:
                self._refuse(
                    self._record_problems(
                        record,
                        len(self._attributions)
                        if isinstance(record, Attribution)
                        else len(self._relations),
                    )
                )
            if isinstance(record, Attribution):
                self._attributions.append(record)
                if self._index is not None:
                    self._index.add(len(self._attributions) - 1, record)
            else:
                self._relations.append(record)
            return
        section = SECTIONS.get(type(record))
        if section is None:
            msg = f"a case holds sources, documents, questions, claims, attributions and relations, not {type(record).__name__}"
            raise TypeError(msg)
        table: dict[str, Any] = getattr(self, f"_{section}")
        rid: str = record.id  # type: ignore[attr-defined]
        if rid in table:
            raise IntegrityError(
                [
                    Problem(
                        place_of(section, rid),
                        f"the id '{rid}' is taken by another {_noun(section)}",
                    )
                ]
            )
        if check:
            self._refuse(self._record_problems(record))
        table[rid] = record
        self._index = None

    @staticmethod
    def _refuse(problems: Iterable[Problem]) -> None:
        errors = [p for p in problems if p.is_error]
        if errors:
            raise IntegrityError(errors)

    # ---- checking ---------------------------------------------------------------------

    def validate(self, *, texts: bool = True) -> list[Problem]:
        """Check the whole case and return every problem found, errors and warnings.

        Args:
            texts: Also read document texts, check their hashes and locate every quote.

        Returns:
            The problems, in the order of the case file; empty when all is well.
        """
        problems: list[Problem] = []
        if not self.title.strip():
            problems.append(Problem("title", "expected non-empty text, got blank text"))
        for section in ("sources", "documents", "questions", "claims"):
            for record in getattr(self, f"_{section}").values():
                problems += self._record_problems(record)
        for i, att in enumerate(self._attributions):
            problems += self._record_problems(att, i)
        for i, rel in enumerate(self._relations):
            problems += self._record_problems(rel, i)
        problems += self._affiliation_loops()
        problems += self._consistency_warnings()
        if texts:
            problems += self._text_problems()
        file = str(self.path) if self.path else None
        return [attrs.evolve(p, file=file) for p in problems]

    def _record_problems(self, record: object, index: int = -1) -> list[Problem]:  # noqa: C901, PLR0912
        out: list[Problem] = []

        def need(
            table: Mapping[str, object], noun: str, ref: str | None, *place: str | int
        ) -> bool:
            if ref is None or ref in table:
                return True
            out.append(Problem(here(*place), f"unknown {noun} '{ref}'{_suggest(ref, table)}"))
            return False

        if isinstance(record, Source):

            def here(*p: str | int) -> str:
                return place_of("sources", record.id, *p)

            for kind, aff in record.affiliations():
                field = kind.value
                if aff.source == record.id:
                    out.append(
                        Problem(here(field), f"'{record.id}' cannot be affiliated to itself")
                    )
                else:
                    need(self._sources, "source", aff.source, field)
        elif isinstance(record, Document):

            def here(*p: str | int) -> str:
                return place_of("documents", record.id, *p)

            need(self._sources, "source", record.publisher, "publisher")
            if record.published and record.retrieved and later(record.published, record.retrieved):
                out.append(
                    Problem(
                        here("published"),
                        f"published {record.published} after it was retrieved {record.retrieved}",
                    )
                )
            if record.text_file is not None and Path(record.text_file).is_absolute():
                out.append(
                    Problem(
                        here("text_file"),
                        "must be relative to the case file, so that the case can move",
                    )
                )
        elif isinstance(record, Question):
            pass
        elif isinstance(record, Claim):

            def here(*p: str | int) -> str:
                return place_of("claims", record.id, *p)

            need(self._questions, "question", record.question, "question")
            for i, ref in enumerate(record.about):
                need(self._sources, "source", ref, "about", i)
        elif isinstance(record, Attribution):

            def here(*p: str | int) -> str:
                return place_of("attributions", index, *p)

            need(self._claims, "claim", record.claim, "claim")
            need(self._sources, "source", record.source, "source")
            for i, ref in enumerate(record.via):
                need(self._sources, "source", ref, "via", i)
            chain = [*record.via, record.source]
            for i, ref in enumerate(chain):
                if ref in chain[:i]:
                    out.append(
                        Problem(
                            here("via"),
                            f"the reporting chain {' → '.join(chain)} loops: '{ref}' comes twice",
                        )
                    )
                    break
            if need(self._documents, "document", record.document, "document") and record.document:
                out += self._date_problems(record, here)
        elif isinstance(record, Relation):

            def here(*p: str | int) -> str:
                return place_of("relations", index, *p)

            for i, ref in enumerate(record.claims):
                need(self._claims, "claim", ref, "claims", i)
            if record.claims[0] == record.claims[1]:
                out.append(
                    Problem(
                        here("claims"),
                        f"a claim cannot {record.kind.value.rstrip('s')} itself ('{record.claims[0]}')",
                    )
                )
            need(self._sources, "source", record.by, "by")
        return out

    def _date_problems(self, att: Attribution, here: Callable[..., str]) -> list[Problem]:
        doc = self._documents[att.document]  # type: ignore[index]
        out = []
        if att.said and doc.published and later(att.said, doc.published):
            out.append(
                Problem(
                    here("said"),
                    f"said {att.said}, after its document was published {doc.published}",
                )
            )
        elif att.said and doc.retrieved and later(att.said, doc.retrieved):
            out.append(
                Problem(
                    here("said"),
                    f"said {att.said}, after its document was retrieved {doc.retrieved}",
                )
            )
        claim = self._claims.get(att.claim)
        if claim and claim.when and doc.retrieved and later(claim.when, doc.retrieved):
            out.append(
                Problem(
                    here("claim"),
                    f"claim '{claim.id}' is about {claim.when}, after document '{doc.id}' "
                    f"that reports it was retrieved {doc.retrieved}",
                )
            )
        return out

    def _affiliation_loops(self) -> list[Problem]:
        edges = {
            sid: [
                a.source
                for _, a in s.affiliations()
                if a.source in self._sources and a.source != sid
            ]
            for sid, s in self._sources.items()
        }
        out: list[Problem] = []
        state: dict[str, int] = {}  # 1 = on the current path, 2 = done
        for root, targets in edges.items():
            if root in state:
                continue
            stack: list[tuple[str, Iterator[str]]] = [(root, iter(targets))]
            path = [root]
            state[root] = 1
            while stack:
                node, children = stack[-1]
                nxt = next(children, None)
                if nxt is None:
                    stack.pop()
                    path.pop()
                    state[node] = 2
                elif state.get(nxt) == 1:
                    loop = [*path[path.index(nxt) :], nxt]
                    out.append(
                        Problem(place_of("sources", nxt), f"affiliations loop: {' → '.join(loop)}")
                    )
                elif nxt not in state:
                    state[nxt] = 1
                    path.append(nxt)
                    stack.append((nxt, iter(edges[nxt])))
        return out

    def _consistency_warnings(self) -> list[Problem]:
        out: list[Problem] = []
        seen: dict[Attribution, int] = {}
        asserted: set[tuple[str, str]] = set()
        for i, att in enumerate(self._attributions):
            if att in seen:
                out.append(
                    _warn(place_of("attributions", i), f"repeats attributions[{seen[att]}] exactly")
                )
            seen.setdefault(att, i)
            if att.stance is Stance.ASSERTS:
                asserted.add((att.source, att.claim))
            elif att.stance is Stance.RETRACTS and (att.source, att.claim) not in asserted:
                out.append(
                    _warn(
                        place_of("attributions", i, "stance"),
                        f"'{att.source}' retracts claim '{att.claim}' without an earlier assertion of it",
                    )
                )
        units: dict[str, dict[str, str]] = defaultdict(dict)
        for claim in self._claims.values():
            if claim.question and claim.value and claim.value.unit:
                units[claim.question].setdefault(claim.value.unit, claim.id)
        for qid, by_unit in units.items():
            if len(by_unit) > 1:
                listing = ", ".join(f"'{u}' ({c})" for u, c in by_unit.items())
                out.append(
                    _warn(
                        place_of("questions", qid),
                        f"its answers count in different units: {listing}; such counts are never compared",
                    )
                )
        return out

    # ---- texts and quotes -------------------------------------------------------------

    def text_of(self, document: str | Document) -> str | None:
        """The full text of *document*, inline or from its ``text_file``; ``None`` if unknown."""
        doc = self._documents[_id(document)]
        if doc.text is not None:
            return doc.text
        if doc.id not in self._texts:
            found = self._find_text_file(doc)
            self._texts[doc.id] = None if found is None else _read_text(found)[0]
        return self._texts[doc.id]

    def _find_text_file(self, doc: Document) -> Path | None:
        if doc.text_file is None or Path(doc.text_file).is_absolute():
            return None
        for folder in self._text_folders():
            candidate = folder / doc.text_file
            if candidate.is_file():
                return candidate
        return None

    def _text_folders(self) -> list[Path]:
        base = [self.path.parent] if self.path else []
        return [*self.text_dirs, *base]

    def anchor(self, attribution: Attribution | int) -> Anchor | None:
        """Locate an attribution's quote in its document's text.

        Returns:
            ``None`` when there is nothing to check: no quote, no document, or no text.
        """
        att = self._attributions[attribution] if isinstance(attribution, int) else attribution
        if att.quote is None or att.document is None or att.document not in self._documents:
            return None
        text = self.text_of(att.document)
        if text is None:
            return None
        return locate(text, att.quote, att.prefix, att.suffix)

    def _text_problems(self) -> list[Problem]:
        out: list[Problem] = []
        for doc in self._documents.values():
            here = place_of("documents", doc.id)
            if doc.text is not None:
                data = doc.text.encode()
            elif doc.text_file is not None and not Path(doc.text_file).is_absolute():
                found = self._find_text_file(doc)
                if found is None:
                    looked = ", ".join(str(f) for f in self._text_folders()) or "no folder"
                    out.append(
                        _warn(
                            place_of("documents", doc.id, "text_file"),
                            f"'{doc.text_file}' not found (looked in {looked}); its quotes are not verified",
                        )
                    )
                    continue
                text, data, problem = _read_text(found)
                self._texts[doc.id] = text
                if problem:
                    out.append(
                        Problem(place_of("documents", doc.id, "text_file"), f"'{found}' {problem}")
                    )
                    continue
            else:
                continue
            if doc.sha256 and hashlib.sha256(data).hexdigest() != doc.sha256:
                out.append(
                    Problem(
                        place_of("documents", doc.id, "sha256"),
                        "the text has changed since its hash was recorded; check its quotes, then record the new hash",
                    )
                )
            del here
        for i, att in enumerate(self._attributions):
            anchor = self.anchor(att)
            if anchor is None or anchor.found:
                continue
            if anchor.status is AnchorStatus.AMBIGUOUS:
                msg = f"the quote occurs {anchor.occurrences} times in document '{att.document}'; add a 'prefix' or 'suffix' to say which"
            else:
                msg = f"the quote is not in the text of document '{att.document}' (orphaned): {_short(att.quote)}"
            out.append(_warn(place_of("attributions", i, "quote"), msg))
        return out

    # ---- queries ----------------------------------------------------------------------

    @property
    def _idx(self) -> _Index:
        if self._index is None:
            self._index = _Index.build(self)
        return self._index

    def attributions_of(
        self, claim: str | Claim, stance: Stance | str | None = None
    ) -> list[Attribution]:
        """The attributions of *claim*, optionally of one *stance*."""
        return self._pick(self._idx.by_claim.get(_id(claim), ()), stance)

    def said_by(
        self, source: str | Source, stance: Stance | str | None = None
    ) -> list[Attribution]:
        """What *source* said (as the speaker), optionally with one *stance*."""
        return self._pick(self._idx.by_source.get(_id(source), ()), stance)

    def attributions_in(self, document: str | Document) -> list[Attribution]:
        """The attributions a document carries."""
        return self._pick(self._idx.by_document.get(_id(document), ()), None)

    def claims_of(self, question: str | Question) -> list[Claim]:
        """The claims that answer *question*, in the order they were added."""
        return [self._claims[c] for c in self._idx.claims_by_question.get(_id(question), ())]

    def documents_of(self, publisher: str | Source) -> list[Document]:
        """The documents *publisher* published."""
        return [
            self._documents[d] for d in self._idx.documents_by_publisher.get(_id(publisher), ())
        ]

    def _pick(self, positions: Iterable[int], stance: Stance | str | None) -> list[Attribution]:
        atts = [self._attributions[i] for i in positions]
        if stance is None:
            return atts
        want = Stance(stance)
        return [a for a in atts if a.stance is want]

    def chain(self, attribution: Attribution | int) -> tuple[Source, ...]:
        """The reporting chain of an attribution, from the document's publisher to the speaker.

        Shafaq News reporting what the Security Media Cell said gives
        ``(shafaq-news, security-media-cell)``. A publisher listed again at the head of
        ``via`` appears once.
        """
        att = self._attributions[attribution] if isinstance(attribution, int) else attribution
        ids: list[str] = []
        if att.document is not None and att.document in self._documents:
            ids.append(self._documents[att.document].publisher)
        for sid in (*att.via, att.source):
            if not ids or ids[-1] != sid:
                ids.append(sid)
        return tuple(self._sources[s] for s in ids if s in self._sources)

    def origin(self, attribution: Attribution | int) -> Source:
        """The speaker as first reported: the end of the reporting chain.

        Nine outlets repeating one agency's anonymous sources share one origin.
        """
        att = self._attributions[attribution] if isinstance(attribution, int) else attribution
        return self._sources[att.source]

    def is_interested(self, attribution: Attribution | int) -> bool:
        """Whether the speaker, or a source it belongs to, is what the claim is about."""
        att = self._attributions[attribution] if isinstance(attribution, int) else attribution
        claim = self._claims.get(att.claim)
        if claim is None or not claim.about:
            return False
        return bool(self.belongs_to(att.source) & set(claim.about))

    def belongs_to(self, source: str | Source) -> set[str]:
        """The source and everything it speaks for, is a member of or part of, transitively."""
        pending = [_id(source)]
        seen: set[str] = set()
        while pending:
            sid = pending.pop()
            if sid in seen or sid not in self._sources:
                continue
            seen.add(sid)
            pending += [a.source for _, a in self._sources[sid].affiliations()]
        return seen

    def affiliated(
        self, source: str | Source, kind: AffiliationKind | str | None = None
    ) -> list[Source]:
        """The sources that *source* is directly affiliated to, optionally of one *kind*."""
        want = None if kind is None else AffiliationKind(kind)
        return [
            self._sources[a.source]
            for k, a in self._sources[_id(source)].affiliations()
            if (want is None or k is want) and a.source in self._sources
        ]

    # ---- judgement --------------------------------------------------------------------

    def assess(self, settings: Settings | None = None) -> Assessments:
        """Assess every claim: probability, estimate, confidence, Admiralty code, reasons.

        Args:
            settings: The engine's knobs (accuracy per grade, discounts); defaults if omitted.
        """
        from claimtrack.engine._assess import assess  # noqa: PLC0415 - _assess imports this module

        return assess(self, settings)

    # ---- exports ----------------------------------------------------------------------

    def to_dataframe(self) -> pd.DataFrame:
        """The attributions as a pandas DataFrame: one row per attribution, flat.

        The columns are those of :func:`claimtrack.export.attribution_rows`. Needs the
        ``pandas`` extra (``pip install "claimtrack[pandas]"``).

        Raises:
            ModuleNotFoundError: pandas is not installed; the message names the extra.
        """
        from claimtrack.export import to_dataframe  # noqa: PLC0415 - export imports this module

        return to_dataframe(self)

    # ---- files ------------------------------------------------------------------------

    def save(
        self,
        path: str | Path,
        *,
        format: str | None = None,  # noqa: A002
        force: bool = False,
    ) -> None:
        """Write the case to *path* atomically (YAML or JSON by suffix, or *format*).

        The file is written beside its target and renamed over it, so a crash or a full
        disk leaves the old file whole. Saving over the file the case was loaded from is
        refused when someone changed that file in the meantime, unless *force*.

        Raises:
            IntegrityError: The case holds errors; an invalid case is never saved.
            CaseFileError: The file cannot be written, or changed on disk since it was read.
        """
        from claimtrack.files._case_files import save  # noqa: PLC0415 - _io imports this module

        save(self, path, format=format, force=force)


_A = TypeVar("_A", Source, Document, Question, Claim, Attribution, Relation)


def _positions() -> array[int]:
    return array("q")


@attrs.define
class _Index:
    """Positions of attributions by claim, source and document, as packed arrays of ints.

    Built once, on the first query, in one pass; kept up to date as attributions are added.
    """

    by_claim: dict[str, array[int]]
    by_source: dict[str, array[int]]
    by_document: dict[str, array[int]]
    claims_by_question: dict[str, list[str]]
    documents_by_publisher: dict[str, list[str]]

    @classmethod
    def build(cls, case: Case) -> _Index:
        index = cls(
            defaultdict(_positions),
            defaultdict(_positions),
            defaultdict(_positions),
            defaultdict(list),
            defaultdict(list),
        )
        for i, att in enumerate(case._attributions):  # noqa: SLF001
            index.add(i, att)
        for claim in case.claims.values():
            if claim.question is not None:
                index.claims_by_question[claim.question].append(claim.id)
        for doc in case.documents.values():
            index.documents_by_publisher[doc.publisher].append(doc.id)
        return index

    def add(self, i: int, att: Attribution) -> None:
        self.by_claim[att.claim].append(i)
        self.by_source[att.source].append(i)
        if att.document is not None:
            self.by_document[att.document].append(i)


def _id(ref: str | Source | Document | Question | Claim) -> str:
    return ref if isinstance(ref, str) else ref.id


def _noun(section: str) -> str:
    return section.removesuffix("s")


def _warn(place: str, message: str) -> Problem:
    return Problem(place, message, Severity.WARNING)


def _short(text: str | None, limit: int = 60) -> str:
    text = text or ""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _suggest(word: str, known: Iterable[str]) -> str:
    from difflib import get_close_matches  # noqa: PLC0415 - only needed on the error path

    close = get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _read_text(path: Path) -> tuple[str | None, bytes, str | None]:
    """Read a document's text file: its text, its bytes, and what went wrong, if anything."""
    try:
        data = path.read_bytes()
    except OSError as e:
        return None, b"", f"cannot be read: {e.strerror}"
    try:
        return data.decode("utf-8"), data, None
    except UnicodeDecodeError as e:
        return None, data, f"is not UTF-8 text (byte {e.start})"
