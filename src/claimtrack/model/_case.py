"""The Case: the records of one investigation, how to build them, and how to ask of them.

Its checks live in ``_integrity.py``, its texts and quotes in ``_texts.py`` and its query
index in ``_index.py``; the methods here hand the case to them.
"""

from __future__ import annotations

import functools
import inspect
import itertools

from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import attrgetter
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from claimtrack._suggest import Vocabulary, hint
from claimtrack.errors import CaseError, IntegrityError, Problem
from claimtrack.model import _integrity, _texts, _voices
from claimtrack.model._anchor import Anchor
from claimtrack.model._dates import later
from claimtrack.model._index import Index
from claimtrack.model._places import place_of
from claimtrack.model._records import (
    Affiliation,
    AffiliationKind,
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
    _opt_ref,
    _ref,
    parse_moment,
)
from claimtrack.model._values import Count


if TYPE_CHECKING:
    import pandas as pd

    from rich.console import RenderableType

    from claimtrack.engine import Assessments, Settings


# what other modules import from here: the loaders in files/ take all four
__all__ = ["SECTIONS", "TOP_KEYS", "Case", "RecordError", "place_of"]

_R = TypeVar("_R", Source, Document, Evidence, Question, Claim)
_B = TypeVar("_B", Source, Document, Evidence, Question, Claim, Attribution, Relation)

SECTIONS: Mapping[type, str] = MappingProxyType(
    {
        Source: "sources",
        Document: "documents",
        Evidence: "evidence",
        Question: "questions",
        Claim: "claims",
    }
)

TOP_KEYS = ("claimtrack", "title", "description", *SECTIONS.values(), "attributions", "relations")
"""The keys a case file may hold at its top, in the order files are written."""


def _paths(value: Iterable[str | Path]) -> tuple[Path, ...]:
    return tuple(Path(p) for p in value)


class RecordError(CaseError, ValueError, TypeError):
    """A builder's arguments are refused as a case file's record would be.

    A :class:`~claimtrack.CaseError`, with the problems ``claimtrack check`` reports for the
    same record in a file; also a :class:`ValueError` and a :class:`TypeError`, the errors
    builders raised before, so that code catching those still catches it.
    """


_F = TypeVar("_F", bound=Callable[..., Any])


def _builder(section: str) -> Callable[[_F], _F]:
    """Word a builder's wrong call (a misspelt keyword) as a file's unknown field is worded.

    The builder keeps its signature (``inspect.signature`` and ``help()`` show it, through
    ``__wrapped__``); only a call Python refuses, which never reaches the builder, is caught.
    """

    def wrap(fn: _F) -> _F:
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def builder(self: Case, /, *args: Any, **kwargs: Any) -> Any:
            try:
                return fn(self, *args, **kwargs)
            except TypeError as e:
                if isinstance(e, CaseError):
                    raise
                try:
                    signature.bind(self, *args, **kwargs)
                except TypeError:
                    raise _call_error(
                        self, section, args=args, kwargs=kwargs, signature=signature, wrong=e
                    ) from None
                raise

        return builder  # type: ignore[return-value]

    return wrap


def _call_error(
    case: Case,
    section: str,
    *,
    args: tuple[Any, ...],
    kwargs: Mapping[str, Any],
    signature: inspect.Signature,
    wrong: TypeError,
) -> RecordError:
    """The error of a call to a builder that Python refused, placed where the record would be."""
    if section in ("attributions", "relations"):
        here = place_of(section, len(getattr(case, f"_{section}")))
    else:
        key = args[0] if args else kwargs.get("id", "?")
        here = place_of(section, str(_ref(key)))
    known = [name for name in signature.parameters if name != "self"]
    unknown = [k for k in kwargs if k not in known]
    if unknown:
        listed = section in ("attributions", "relations")  # a keyed record's id is its key
        fields = [k for k in known if k not in ("first", "second") and (listed or k != "id")]
        return RecordError(
            Problem(f"{here}.{name}", f"unknown field '{name}'{hint(name, fields)}")
            for name in sorted(unknown)
        )
    try:
        bound = signature.bind_partial(case, *args, **kwargs).arguments
    except TypeError:  # too many positional arguments
        named = [n for n, p in signature.parameters.items() if p.kind is p.KEYWORD_ONLY]
        message = f"{wrong}; the fields from {named[0]!r} on are given by name ({named[0]}=...)"
        return RecordError([Problem(here, message)])
    missing = [
        name
        for name, p in signature.parameters.items()
        if p.default is p.empty and name not in bound
    ]
    return RecordError(
        Problem(f"{here}.{name}", f"required field '{name}' is missing") for name in missing
    )


def _read(cls: type[_B], section: str, key: object, fields: Mapping[str, Any]) -> _B:
    """Read a builder's record by the rules of a case file; raise what a file would report."""
    from claimtrack.files._reading import structure_record  # noqa: PLC0415 - files is a higher layer

    given = {k: v for k, v in fields.items() if v is not None and not (type(v) is tuple and not v)}
    record, problems = structure_record(
        cls, section, key if isinstance(key, str | int) else str(key), given
    )
    if record is None:
        raise RecordError(problems)
    return record


def _items(value: object) -> object:
    """A builder's list of ids as a file holds it: records reduced to their ids, in a list."""
    if isinstance(value, str | Mapping) or not isinstance(value, Iterable):
        return value
    return [_ref(v) for v in value]


def _ties(value: object) -> object:
    """A builder's affiliations as a file holds them: one tie, or a list of ties."""
    if isinstance(value, str | Mapping) or not isinstance(value, Iterable):
        return _ref(value)
    return [v if isinstance(v, Mapping) else _ref(v) for v in value]


@attrs.define(eq=False, repr=False)
class Case:
    """The collection an analyst works on, with indexes for the questions analysts ask of it.

    A case holds sources, documents, evidence, questions, claims, attributions and relations.

    Build one with the ``add_*`` methods, :meth:`attribute` and :meth:`relate`, or load one
    with :func:`claimtrack.load`. The builders take each field by name and read it by the
    rules of a case file, accepting what a file accepts and refusing what it refuses with
    the same problems, as a :class:`~claimtrack.CaseError`. Every builder refuses a record
    that refers to an id the case does not hold, or that repeats an id, so a case built in
    Python is valid as it goes.

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
    # after `path`, so that the positional order of the fields before it stays as it was
    _evidence: dict[str, Evidence] = attrs.Factory(dict)
    _index: Index | None = attrs.field(default=None, init=False)
    # the texts read from documents' text files, by document id; None if not found or unreadable
    _text_cache: dict[str, str | None] = attrs.field(factory=dict, init=False)
    # where the loader found each attribution's claim among the claims, as positions: valid
    # for as many attributions as it holds, since claims keep their places once added
    _claim_index: Sequence[int] | None = attrs.field(default=None, init=False, repr=False)
    # whether the bulk loader checked every record against the others and nothing has been
    # added or replaced since: `validate` then has no error left to find, only warnings
    _proven: bool = attrs.field(default=False, init=False, repr=False)
    # read-only copies handed out by `attributions` and `relations`, kept until one is added
    _frozen_attributions: tuple[Attribution, ...] = attrs.field(default=(), init=False, repr=False)
    _frozen_relations: tuple[Relation, ...] = attrs.field(default=(), init=False, repr=False)
    # size, mtime and inode of `path` when last read or written, to notice others' edits
    _disk: tuple[int, int, int] | None = attrs.field(default=None, init=False, repr=False)
    # the position of the first attribution with each id, for the first `_ids_seen` of them
    _ids_at: dict[str, int] = attrs.field(factory=dict, init=False, repr=False)
    _ids_seen: int = attrs.field(default=0, init=False, repr=False)
    # each table's ids indexed for "did you mean" hints, by the table's identity: built on the
    # first unknown id, and caught up as the table grows, so a builder refusing many records
    # does not index the table again for each
    _vocabularies: dict[int, Vocabulary] = attrs.field(factory=dict, init=False, repr=False)
    # the largest document text file read, in bytes: the limit load() was given, else the default
    _text_file_limit: int = attrs.field(default=_texts.MAX_TEXT_FILE, init=False, repr=False)

    @classmethod
    def from_records(
        cls,
        records: Iterable[object] = (),
        *,
        title: str = "Untitled case",
        description: str | None = None,
        sources: Iterable[Source | Sequence[Any]] = (),
        documents: Iterable[Document | Sequence[Any]] = (),
        evidence: Iterable[Evidence | Sequence[Any]] = (),
        questions: Iterable[Question | Sequence[Any]] = (),
        claims: Iterable[Claim | Sequence[Any]] = (),
        attributions: Iterable[Attribution | Sequence[Any]] = (),
        relations: Iterable[Relation | Sequence[Any]] = (),
        check: bool = True,
        text_dirs: Iterable[str | Path] = (),
        path: Path | None = None,
    ) -> Case:
        """Build a case in bulk from records, or from rows of fields, checked as a file is.

        The bulk builder for scripts: a million attributions take seconds, where a call of
        :meth:`attribute` each takes far longer. Each section takes rows, each a tuple of
        the record's fields in the order of :func:`attrs.fields` (the order of the class's
        own arguments: ``(claim, source, stance, document, via, ...)`` for an attribution,
        ``(id, name, kind, reliability, ...)`` for a source), or records; *records* takes
        records of any kinds, in any order. A row may leave out trailing fields, which
        then take their defaults, and ``None`` or an empty list in a row is no value (the
        field's default) too. Values are given as a case file gives them (text for enums,
        ISO 8601 text for dates, ``{"exactly": 5}`` for a count, ids for references) or as
        the records hold them (enum members, dates and :class:`~claimtrack.Period`,
        :class:`~claimtrack.Count`, :class:`~claimtrack.Affiliation`, a record in place of
        its id). A list field takes a list or tuple of items, or one item.

        The rows are read by the loader's own code, so the case equals the one
        :func:`claimtrack.load` gives for the same data in a file, and bad data is refused
        with the same problems at the same places (``attributions[3].source: unknown
        source 'x' (did you mean 'y'?)``); a row's place is that of its record in the
        file. The limits on files' sizes do not apply.

        Args:
            records: Records of any kinds, in any order, added to the sections' rows.
            title: What the case is about.
            description: A longer account.
            sources: Rows or records of sources; likewise *documents*, *evidence*,
                *questions*, *claims*, *attributions* and *relations* (a relation's row is
                ``(kind, (first, second), by, reason)``).
            documents: See *sources*.
            evidence: See *sources*.
            questions: See *sources*.
            claims: See *sources*.
            attributions: See *sources*.
            relations: See *sources*.
            check: ``False`` stores *records* as they are, without checking them (see
                :meth:`validate`): how loaders that checked them already build a case.
                Rows are not taken then.
            text_dirs: Folders searched for documents' text files.
            path: The file the case belongs to, if any.

        Raises:
            CaseError: A row is misshapen (not a tuple, more fields than the record
                has), or a field is refused as a case file's field is.
            IntegrityError: The records do not fit together: a reference to an id the
                case lacks, an id given twice, dates that cannot be right.
        """
        sections = dict(
            zip(
                (*SECTIONS.values(), "attributions", "relations"),
                (sources, documents, evidence, questions, claims, attributions, relations),
                strict=True,
            )
        )
        if not check:
            case = cls(title=title, description=description, text_dirs=text_dirs, path=path)
            for record in itertools.chain(records, *sections.values()):
                case._store(record, check=False)
            return case
        from claimtrack.files._case_files import case_from_rows, rows_of  # noqa: PLC0415 - files is a higher layer

        given: dict[str, Iterable[object]] = {k: v for k, v in sections.items() if v != ()}
        for section, more in rows_of(records).items():
            given[section] = [*given.get(section, ()), *more]
        case = case_from_rows(given, title=title, description=description)
        case.text_dirs = tuple(Path(p) for p in text_dirs)
        case.path = path
        return case

    @classmethod
    def from_dataframes(
        cls,
        *,
        title: str = "Untitled case",
        description: str | None = None,
        sources: pd.DataFrame | None = None,
        documents: pd.DataFrame | None = None,
        evidence: pd.DataFrame | None = None,
        questions: pd.DataFrame | None = None,
        claims: pd.DataFrame | None = None,
        attributions: pd.DataFrame | None = None,
        relations: pd.DataFrame | None = None,
    ) -> Case:
        """Build a case from pandas DataFrames, one per section, checked as :meth:`from_records` checks.

        Each frame holds a record per row and a field per column, named as the field
        (``id``, ``name``, ``kind``, ...); a column left out takes the field's default, and
        an empty cell (``None``, NaN, ``pd.NA``, ``NaT``) is no value. A list field's cell
        holds a list, or the text :meth:`to_dataframe` writes (ids joined with a space,
        a ``via`` chain with ``" > "``, aliases with ``"; "``). The frames
        :meth:`to_dataframe` writes come back too: their id columns (``source``,
        ``document``, ...; ``attribution_id``), dates with their ``_precision`` columns,
        a relation's ``claim`` and ``other_claim``, and a claim's count from its bounds;
        the columns it adds from other records (names, titles, positions) are passed
        over. What those frames leave out (an attribution's ``prefix`` and ``suffix``, the
        dates of affiliations, an approximate count's figure) does not come back. Needs
        the ``pandas`` extra (``pip install "claimtrack[pandas]"``).

        Raises:
            ModuleNotFoundError: pandas is not installed; the message names the extra.
            CaseError: A column is unknown (named, with the field probably meant), or a
                field is refused as a case file's field is.
            IntegrityError: The records do not fit together.
        """
        from claimtrack.files._case_files import case_from_frames  # noqa: PLC0415 - files is a higher layer

        frames = dict(
            zip(
                (*SECTIONS.values(), "attributions", "relations"),
                (sources, documents, evidence, questions, claims, attributions, relations),
                strict=True,
            )
        )
        return case_from_frames(frames, title=title, description=description)

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
    def evidence(self) -> Mapping[str, Evidence]:
        """Items of evidence by id: the artefacts attributions say they rest on (``based_on``)."""
        return MappingProxyType(self._evidence)

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
            self._evidence,
            self._questions,
            self._claims,
            self._attributions,
            self._relations,
        )

    def __repr__(self) -> str:
        evidence = f"{len(self._evidence)} items of evidence, " if self._evidence else ""
        return (
            f"<Case {self.title!r}: {len(self._sources)} sources, {len(self._documents)} "
            f"documents, {evidence}{len(self._questions)} questions, {len(self._claims)} "
            f"claims, {len(self._attributions)} attributions, {len(self._relations)} relations>"
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
    #
    # Each builder takes the fields of its record by name, as a file holds them, and reads
    # them by the file's own rules: the record is made directly when its arguments are
    # already fine (the fast path loops take), else they are read as a case file's record
    # is, through the one converter of files/, which accepts what a file accepts (text for
    # enums, {"exactly": 5} for a count, ISO text for dates) and refuses what it refuses,
    # with the same problems at the same places (sources.x.kind).

    @_builder("sources")
    def add_source(
        self,
        id: str,  # noqa: A002
        name: str,
        kind: SourceKind | str,
        *,
        reliability: Reliability | str | None = None,
        role: str | None = None,
        aliases: Iterable[str] | str = (),
        speaks_for: str
        | Source
        | Affiliation
        | Mapping[str, Any]
        | Iterable[str | Source | Affiliation | Mapping[str, Any]] = (),
        member_of: str
        | Source
        | Affiliation
        | Mapping[str, Any]
        | Iterable[str | Source | Affiliation | Mapping[str, Any]] = (),
        part_of: str
        | Source
        | Affiliation
        | Mapping[str, Any]
        | Iterable[str | Source | Affiliation | Mapping[str, Any]] = (),
        notes: str | None = None,
    ) -> Source:
        """Add a source; the fields are those of :class:`~claimtrack.Source`.

        Example: ``case.add_source("smc", "Security Media Cell", "official-body",
        reliability="B", speaks_for=["iraqi-army"])``. Each affiliation field takes one tie or
        a list: a source or its id, an :class:`~claimtrack.Affiliation`, or a dated tie as a
        file writes it, ``{"source": "iraqi-army", "from": "2023", "to": "2024-02"}``.

        Raises:
            CaseError: A field is refused as a case file would refuse it (its place is
                ``sources.<id>.<field>``); an :class:`~claimtrack.IntegrityError` when the
                id is taken or an affiliation names a source the case lacks.
        """
        try:
            record = Source(
                id,
                name,
                kind,
                reliability=reliability,
                role=role,
                aliases=aliases,
                speaks_for=speaks_for,
                member_of=member_of,
                part_of=part_of,
                notes=notes,
            )
        except (ValueError, TypeError):
            fields = {
                "name": name,
                "kind": kind,
                "reliability": reliability,
                "role": role,
                "aliases": _items(aliases),
                "speaks_for": _ties(speaks_for),
                "member_of": _ties(member_of),
                "part_of": _ties(part_of),
                "notes": notes,
            }
            record = _read(Source, "sources", id, fields)
        return self.add(record)

    @_builder("documents")
    def add_document(
        self,
        id: str,  # noqa: A002
        publisher: str | Source,
        title: str,
        *,
        url: str | None = None,
        archive_url: str | None = None,
        published: Moment | str | None = None,
        retrieved: Moment | str | None = None,
        language: str | None = None,
        kind: DocumentKind | str = DocumentKind.ARTICLE,
        text: str | None = None,
        text_file: str | None = None,
        sha256: str | None = None,
        notes: str | None = None,
    ) -> Document:
        """Add a document published by *publisher*; the fields are those of :class:`~claimtrack.Document`.

        Dates are :class:`datetime.date`, :class:`datetime.datetime`,
        :class:`~claimtrack.Period` or text in any form a case file takes (``"2024-04"``).

        Raises:
            CaseError: A field is refused as a case file would refuse it
                (``documents.<id>.<field>``), or the publisher is unknown.
        """
        try:
            record = Document(
                id,
                publisher,
                title,
                url=url,
                archive_url=archive_url,
                published=published,
                retrieved=retrieved,
                language=language,
                kind=kind,
                text=text,
                text_file=text_file,
                sha256=sha256,
                notes=notes,
            )
        except (ValueError, TypeError):
            fields = {
                "publisher": _ref(publisher),
                "title": title,
                "url": url,
                "archive_url": archive_url,
                "published": published,
                "retrieved": retrieved,
                "language": language,
                "kind": kind,
                "text": text,
                "text_file": text_file,
                "sha256": sha256,
                "notes": notes,
            }
            record = _read(Document, "documents", id, fields)
        return self.add(record)

    @_builder("evidence")
    def add_evidence(
        self,
        id: str,  # noqa: A002
        kind: EvidenceKind | str,
        description: str,
        *,
        first_seen: Moment | str | None = None,
        notes: str | None = None,
    ) -> Evidence:
        """Add an item of evidence; the fields are those of :class:`~claimtrack.Evidence`.

        Example: ``case.add_evidence("livestream", "video", "A livestream of the moment",
        first_seen="2023-10-17")``; attributions then name it, ``based_on=["livestream"]``.

        Raises:
            CaseError: A field is refused as a case file would refuse it
                (``evidence.<id>.<field>``), or the id is taken.
        """
        try:
            record = Evidence(id, kind, description, first_seen=first_seen, notes=notes)
        except (ValueError, TypeError):
            fields = {
                "kind": kind,
                "description": description,
                "first_seen": first_seen,
                "notes": notes,
            }
            record = _read(Evidence, "evidence", id, fields)
        return self.add(record)

    @_builder("questions")
    def add_question(
        self,
        id: str,  # noqa: A002
        text: str,
        *,
        exclusive: bool = True,
        parties: Iterable[str | Source] | str = (),
        notes: str | None = None,
    ) -> Question:
        """Add a question; the fields are those of :class:`~claimtrack.Question`.

        Raises:
            CaseError: A field is refused as a case file would refuse it
                (``questions.<id>.<field>``), or a party is unknown.
        """
        try:
            record = Question(id, text, exclusive=exclusive, parties=parties, notes=notes)
        except (ValueError, TypeError):
            fields = {
                "text": text,
                "exclusive": exclusive,
                "parties": _items(parties),
                "notes": notes,
            }
            record = _read(Question, "questions", id, fields)
        return self.add(record)

    @_builder("claims")
    def add_claim(
        self,
        id: str,  # noqa: A002
        text: str,
        *,
        question: str | Question | None = None,
        value: Count | Mapping[str, Any] | None = None,
        when: Moment | str | None = None,
        about: Iterable[str | Source] | str = (),
        blames: Iterable[str | Source] | str = (),
        tags: Iterable[str] | str = (),
        notes: str | None = None,
    ) -> Claim:
        """Add a claim; the fields are those of :class:`~claimtrack.Claim`.

        *value* is a :class:`~claimtrack.Count` or a count as a file writes it:
        ``{"exactly": 5}``, ``{"at_least": 4}``, ``{"between": [3, 5]}``,
        ``{"about": 470, "unit": "people"}``.

        Raises:
            CaseError: A field is refused as a case file would refuse it
                (``claims.<id>.value``), or the question or a source is unknown.
        """
        try:
            if value is not None and type(value) is not Count:
                raise TypeError  # noqa: TRY301 - a count as a file writes it: read below
            record = Claim(
                id,
                text,
                question=question,
                value=value,
                when=when,
                about=about,
                blames=blames,
                tags=tags,
                notes=notes,
            )
        except (ValueError, TypeError):
            fields = {
                "text": text,
                "question": _ref(question),
                "value": value,
                "when": when,
                "about": _items(about),
                "blames": _items(blames),
                "tags": _items(tags),
                "notes": notes,
            }
            record = _read(Claim, "claims", id, fields)
        return self.add(record)

    @_builder("attributions")
    def attribute(
        self,
        claim: str | Claim,
        source: str | Source,
        stance: Stance | str = Stance.ASSERTS,
        *,
        document: str | Document | None = None,
        via: Iterable[str | Source] | str = (),
        quote: str | None = None,
        prefix: str | None = None,
        suffix: str | None = None,
        said: Moment | str | None = None,
        mode: Mode | str = Mode.ON_RECORD,
        credibility: Credibility | int | None = None,
        notes: str | None = None,
        id: str | None = None,  # noqa: A002
        based_on: Iterable[str | Evidence] | str = (),
        withdraws: str | Attribution | None = None,
        hedge: Hedge | str | None = None,
        in_own_name: bool = False,
        against_interest: bool = False,
    ) -> Attribution:
        """Record that *source* takes *stance* on *claim*; the fields are those of :class:`~claimtrack.Attribution`.

        Example: ``case.attribute("no-formal-truce", "hassan-fadhem", document="shafaq",
        via=["shafaq-news"], quote="There wasn't a formal truce")``. The fields of who stands
        behind it take the same words a case file holds: ``id="fadhem-1"``,
        ``based_on=["livestream"]``, ``hedge="likely"``, ``in_own_name=True``,
        ``against_interest=True``, and on a retraction ``withdraws="fadhem-1"``, which must
        name an attribution already added.

        Raises:
            CaseError: A field is refused as a case file would refuse it, placed as the
                attribution would stand in the file (``attributions[3].mode``), or it
                names a claim, source, document or item of evidence the case lacks.
        """
        try:
            record = Attribution(
                claim,
                source,
                stance,
                document=document,
                via=via,
                quote=quote,
                prefix=prefix,
                suffix=suffix,
                said=said,
                mode=mode,
                credibility=credibility,
                notes=notes,
                id=id,
                based_on=based_on,
                withdraws=withdraws,
                hedge=hedge,
                in_own_name=in_own_name,
                against_interest=against_interest,
            )
        except (ValueError, TypeError):
            fields = {
                "claim": _ref(claim),
                "source": _ref(source),
                "stance": stance,
                "document": _ref(document),
                "via": _items(via),
                "quote": quote,
                "prefix": prefix,
                "suffix": suffix,
                "said": said,
                "mode": mode,
                "credibility": credibility,
                "notes": notes,
                "id": id,
                "based_on": _items(based_on),
                "withdraws": _opt_ref(withdraws),
                "hedge": hedge,
                "in_own_name": in_own_name,
                "against_interest": against_interest,
            }
            record = _read(Attribution, "attributions", len(self._attributions), fields)
        return self.add(record)

    @_builder("relations")
    def relate(
        self,
        kind: RelationKind | str,
        first: str | Claim,
        second: str | Claim,
        *,
        by: str | Source | None = None,
        reason: str | None = None,
    ) -> Relation:
        """Declare that *first* contradicts, supports, refines, supersedes or implies *second*.

        Raises:
            CaseError: A field is refused as a case file would refuse it
                (``relations[0].kind``), or a claim or *by* is unknown.
        """
        try:
            record = Relation(kind, (first, second), by=by, reason=reason)
        except (ValueError, TypeError):
            fields = {
                "kind": kind,
                "claims": [_ref(first), _ref(second)],
                "by": _ref(by),
                "reason": reason,
            }
            record = _read(Relation, "relations", len(self._relations), fields)
        return self.add(record)

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
        self._proven = False
        problems = [p for p in _integrity.record_problems(self, record) if p.is_error]
        if isinstance(record, Source):
            problems += [p for p in _integrity.affiliation_loops(self) if p.is_error]
        if problems:
            table[record.id] = old
            raise IntegrityError(problems)
        self._index = None
        self._text_cache.pop(record.id, None)
        return record

    def _store(self, record: object, *, check: bool) -> None:
        self._proven = False
        if isinstance(record, Attribution | Relation):
            if check:
                self._refuse(
                    _integrity.record_problems(
                        self,
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
            msg = f"a case holds sources, documents, evidence, questions, claims, attributions and relations, not {type(record).__name__}"
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
            self._refuse(_integrity.record_problems(self, record))
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
        return _integrity.case_problems(self, texts=texts)

    def _attribution_ids(self) -> Mapping[str, int]:
        """The position of the first attribution with each id, kept up to date as they are added."""
        atts = self._attributions
        seen = self._ids_seen
        if seen < len(atts):
            new = list(map(_ID_OF, atts[seen:]))
            if new.count(None) != len(new):
                at = self._ids_at
                for i, rid in enumerate(new, seen):
                    if rid is not None and rid not in at:
                        at[rid] = i
            self._ids_seen = len(atts)
        return self._ids_at

    def _vocabulary(self, table: Mapping[str, object]) -> Vocabulary:
        """The ids of *table*, one of this case's own, indexed for hints (see :mod:`claimtrack._suggest`)."""
        found = self._vocabularies.get(id(table))
        if found is None:
            found = self._vocabularies[id(table)] = Vocabulary(table)
        return found

    def _affiliation_loops(self) -> list[Problem]:
        # the bulk loader (files/_bulk.py) checks loops alone, having checked the rest itself
        return _integrity.affiliation_loops(self)

    # ---- texts and quotes -------------------------------------------------------------

    def text_of(self, document: str | Document) -> str | None:
        """The full text of *document*, inline or from its ``text_file``; ``None`` if unknown."""
        return _texts.text_of(self, self._documents[_id(document)])

    def anchor(self, attribution: Attribution | int) -> Anchor | None:
        """Locate an attribution's quote in its document's text.

        Returns:
            ``None`` when there is nothing to check: no quote, no document, or no text.
        """
        att = self._attributions[attribution] if isinstance(attribution, int) else attribution
        return _texts.anchor(self, att)

    # ---- queries ----------------------------------------------------------------------

    @property
    def _idx(self) -> Index:
        if self._index is None:
            self._index = Index.build(self)
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
        """The source the attribution counts as: the end of the reporting chain, as it speaks.

        That is the speaker as first reported, or, for a spokesperson, the body it speaks
        for (see :meth:`speaks_as`). Nine outlets repeating one agency's anonymous sources
        share one origin; so do a ministry and its spokesman.
        """
        att = self._attributions[attribution] if isinstance(attribution, int) else attribution
        return self._sources[self.speaks_as(att)]

    def speaks_as(self, attribution: Attribution | int) -> str:
        """The id of the source an attribution counts as: its speaker, or the body it speaks for.

        A speaker that speaks for a body (``speaks_for``) counts as that body, and the body
        as the one it speaks for in turn, and so on: the first tie listed that holds on the
        day the attribution was made (its ``said``, else its document's ``published``; with
        neither, every tie holds) is followed, until a source that speaks for nobody then.
        An attribution ``in_own_name`` counts as its speaker.
        """
        att = self._attributions[attribution] if isinstance(attribution, int) else attribution
        if att.in_own_name:
            return att.source
        return _voices.speaks_as(self._sources, att.source, self._day_of(att))

    def speakers_as(self) -> list[str]:
        """:meth:`speaks_as` for every attribution, in order: what the engine reads.

        When no source speaks for another this is each attribution's speaker, read in one
        pass; otherwise each speaker's ties are followed once (once per day it speaks on,
        where a tie is dated), and only the attributions of such speakers are visited.
        """
        atts = self._attributions
        out: list[str] = list(map(_SOURCE_OF, atts))
        sources = self._sources
        talkers = {sid for sid, s in sources.items() if s.speaks_for}
        if not talkers or talkers.isdisjoint(out):
            return out
        dated = any(
            tie.start is not None or tie.end is not None
            for sid in talkers
            for tie in sources[sid].speaks_for
        )
        if not dated:  # each speaker counts as one body whatever the day: one lookup each
            voice = {sid: _voices.speaks_as(sources, sid, None) for sid in talkers}
            out = list(map(voice.get, out, out))
        else:
            found: dict[tuple[str, Day | None], str] = {}
            day_of = self._day_of
            for i in itertools.compress(range(len(out)), map(talkers.__contains__, out)):
                key = (out[i], day_of(atts[i]))
                body = found.get(key)
                if body is None:
                    body = found[key] = _voices.speaks_as(sources, *key)
                out[i] = body
        if any(map(_IN_OWN_NAME, atts)):
            for i in itertools.compress(range(len(out)), map(_IN_OWN_NAME, atts)):
                out[i] = atts[i].source
        return out

    def speaks_for_at(self, source: str | Source, moment: Moment | None) -> str | None:
        """The id of the body *source* speaks for at *moment*, or ``None`` if it speaks for none.

        The first of its ``speaks_for`` ties that holds then (every tie holds when *moment*
        is ``None``); a source the case does not hold speaks for none.
        """
        return _voices.speaks_for(self._sources, _id(source), _voices.day(moment))

    def _day_of(self, att: Attribution) -> Day | None:
        """The day *att* was made: its own, else its document's day of publication."""
        return _voices.day_of(att, self._documents.get)

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

    # ---- time -------------------------------------------------------------------------

    def as_of(self, moment: Moment | str) -> Case:
        """The case as it was known at *moment*: what had been published, said and seen by then.

        *moment* is a day, a date and time, or a month or year (a :class:`~claimtrack.Period`,
        or text in any of the forms a case file takes: ``2024-02``, ``2024-02-10``, ...).
        Dates compare at the precision both share, a month or a year standing for every day
        it spans: a record is dropped only if it is strictly after *moment*. So a document
        published "2024-02" is kept as of 10 February 2024, and as of "2024-02" everything
        published in February is kept.

        The new case holds:

        - every source, question and claim (a claim nobody has asserted yet stays, with no
          attribution: an answer nobody gives yet);
        - the documents published by *moment*, and those with no ``published`` date (their
          time is unknown, so they are taken as known throughout);
        - the items of evidence first seen by *moment*, or with no ``first_seen``;
        - the attributions whose document (if any) is kept and whose own ``said`` (if any)
          is not after *moment*; each loses the items of ``based_on`` that were dropped. A
          retraction that ``withdraws`` an attribution dropped is dropped too: what it
          withdraws was not yet known;
        - every relation whose two claims it holds (all of them, as every claim is kept).

        Records are shared with this case, not copied, and keep their order; the title,
        description, text folders and path are this case's. ``case.as_of(moment)`` of a
        moment after everything in the case equals the case.

        Raises:
            ValueError: *moment* is text in none of the date forms.
        """
        when = parse_moment(moment) if isinstance(moment, str) else moment
        documents = {
            k: d
            for k, d in self._documents.items()
            if d.published is None or not later(d.published, when)
        }
        evidence = {
            k: e
            for k, e in self._evidence.items()
            if e.first_seen is None or not later(e.first_seen, when)
        }
        kept: list[Attribution] = []
        for att in self._attributions:
            if (att.document is not None and att.document not in documents) or (
                att.said is not None and later(att.said, when)
            ):
                continue
            if att.based_on and not all(e in evidence for e in att.based_on):
                att = attrs.evolve(att, based_on=tuple(e for e in att.based_on if e in evidence))  # noqa: PLW2901 - the kept form of the same attribution
            kept.append(att)
        ids = {a.id for a in kept if a.id is not None}
        kept = [a for a in kept if a.withdraws is None or a.withdraws in ids]
        claims = self._claims
        relations = [r for r in self._relations if r.claims[0] in claims and r.claims[1] in claims]
        past = Case.from_records(
            [
                *self._sources.values(),
                *documents.values(),
                *evidence.values(),
                *self._questions.values(),
                *claims.values(),
                *kept,
                *relations,
            ],
            title=self.title,
            description=self.description,
            text_dirs=self.text_dirs,
            path=self.path,
            check=False,
        )
        past._text_file_limit = self._text_file_limit  # noqa: SLF001 - the same files, read as this case reads them
        return past

    # ---- judgement --------------------------------------------------------------------

    def assess(self, settings: Settings | None = None) -> Assessments:
        """Assess every claim: probability, estimate, confidence, Admiralty code, reasons.

        Args:
            settings: The engine's knobs (accuracy per grade, discounts); defaults if omitted.
        """
        from claimtrack.engine import assess  # noqa: PLC0415 - the engine is a higher layer

        return assess(self, settings)

    # ---- exports ----------------------------------------------------------------------

    def to_dataframe(self, kind: str = "attributions") -> pd.DataFrame:
        """The records of *kind* as a pandas DataFrame, one row per record, typed.

        *kind* is ``attributions`` (the default: the long table of
        :func:`claimtrack.export.attribution_rows`, one flat row per attribution),
        ``sources``, ``documents``, ``evidence``, ``questions``, ``claims`` or
        ``relations``. Whole numbers are integers, kinds and stances ``category``
        columns, and dates ``datetime64[us, UTC]`` with a ``<column>_precision`` column
        beside each (see :func:`claimtrack.export.to_dataframe`). Needs the ``pandas``
        extra (``pip install "claimtrack[pandas]"``).

        Raises:
            ValueError: *kind* is not a record kind.
            ModuleNotFoundError: pandas is not installed; the message names the extra.
        """
        from claimtrack.export import to_dataframe  # noqa: PLC0415 - export imports this module

        return to_dataframe(self, kind)

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


_A = TypeVar("_A", Source, Document, Evidence, Question, Claim, Attribution, Relation)


def _id(ref: str | Source | Document | Question | Claim) -> str:
    return ref if isinstance(ref, str) else ref.id


_SOURCE_OF = attrgetter("source")
_ID_OF = attrgetter("id")
_IN_OWN_NAME = attrgetter("in_own_name")


def _noun(section: str) -> str:
    return "item of evidence" if section == "evidence" else section.removesuffix("s")
