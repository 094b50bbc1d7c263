"""The embedded store: a case in SQLite, added to in transactions, queried in SQL.

Each record is kept whole as the JSON a case file holds for it (so the store round-trips
losslessly through the one converter), next to indexed columns for the queries analysts
ask. Writes are transactions in WAL mode: several processes may write at once, and a
crash leaves the store as it was before the interrupted transaction.
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import unicodedata

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import attrs

from claimtrack._gc import gc_paused
from claimtrack.errors import IntegrityError, Problem, StoreError
from claimtrack.files._bulk import build, quick_json
from claimtrack.files._converter import CONVERTER
from claimtrack.files._parsing import DEFAULT_LIMITS
from claimtrack.files._reading import case_from_data
from claimtrack.model import _voices
from claimtrack.model._case import Case
from claimtrack.model._integrity import hedge_problem
from claimtrack.model._records import (
    Attribution,
    Claim,
    Document,
    Evidence,
    Question,
    Relation,
    Source,
    Stance,
    parse_moment,
)


if TYPE_CHECKING:  # the store hands parts to the engine; it needs none of it itself
    from claimtrack.engine import Assessments, Settings


APPLICATION_ID = 0x436C546B
"""Marks a SQLite file as a claimtrack store (``PRAGMA application_id``)."""

STORE_SUFFIXES = (".db", ".sqlite", ".sqlite3")
"""Suffixes that name a store rather than a case file."""

_SCHEMA_1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE sources (id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE documents (
    id TEXT PRIMARY KEY, publisher TEXT NOT NULL, published TEXT, url TEXT, archive_url TEXT,
    text TEXT, data TEXT NOT NULL);
CREATE INDEX documents_publisher ON documents (publisher);
CREATE TABLE questions (id TEXT PRIMARY KEY, text TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE claims (id TEXT PRIMARY KEY, question TEXT, text TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX claims_question ON claims (question);
CREATE TABLE attributions (
    seq INTEGER PRIMARY KEY, claim TEXT NOT NULL, source TEXT NOT NULL, stance TEXT NOT NULL,
    document TEXT, day TEXT, quote TEXT, data TEXT NOT NULL);
CREATE INDEX attributions_claim ON attributions (claim, stance);
CREATE INDEX attributions_source ON attributions (source, stance);
CREATE INDEX attributions_document ON attributions (document);
CREATE INDEX attributions_day ON attributions (day);
CREATE TABLE relations (
    seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, first TEXT NOT NULL, second TEXT NOT NULL,
    data TEXT NOT NULL);
CREATE VIRTUAL TABLE search USING fts5 (kind UNINDEXED, ref UNINDEXED, body);
"""

_SCHEMA_2 = """
CREATE TABLE evidence (id TEXT PRIMARY KEY, kind TEXT NOT NULL, data TEXT NOT NULL);
ALTER TABLE attributions ADD COLUMN aid TEXT;
ALTER TABLE attributions ADD COLUMN withdraws TEXT;
CREATE INDEX attributions_aid ON attributions (aid) WHERE aid IS NOT NULL;
CREATE INDEX attributions_withdraws ON attributions (withdraws) WHERE withdraws IS NOT NULL;
CREATE TABLE based_on (seq INTEGER NOT NULL, evidence TEXT NOT NULL);
CREATE INDEX based_on_seq ON based_on (seq);
"""
"""Who stands behind a claim: evidence, attributions' ids and what they withdraw, what they rest on.

A store of schema 1 holds no attribution with any of these, so its rows need nothing filled in.
"""

MIGRATIONS: Sequence[str] = (_SCHEMA_1, _SCHEMA_2)
"""The schema, as steps; a store at ``user_version`` *n* has had the first *n* applied."""

_ALEF = str.maketrans(
    {"\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627"}
    | {"\u0649": "\u064a", "\u0629": "\u0647", "\u0640": None}
)
"""Alef forms to alef, alef maqsura to yaa, taa marbuta to haa; tatweel dropped."""
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]")


def normalise(text: str) -> str:
    """Fold text for search: case, and the Arabic spellings people write interchangeably.

    The forms of alef (with hamza above or below, madda, wasla) become plain alef, alef
    maqsura becomes yaa, taa marbuta becomes haa, and diacritics and tatweel are dropped,
    so a name spelt with a final alef maqsura finds the same name spelt with yaa.
    """
    return _MARKS.sub("", unicodedata.normalize("NFC", text).translate(_ALEF)).casefold()


def _match(query: str) -> str:
    """An FTS5 query finding every word of *query*, each taken literally."""
    words = normalise(query).split()
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def _json(record: object, cls: type) -> str:
    return json.dumps(CONVERTER.unstructure(record, cls), ensure_ascii=False)


def is_store(path: str | Path) -> bool:
    """Whether *path* names a store, by its suffix (``.db``, ``.sqlite``, ``.sqlite3``)."""
    return Path(str(path)).suffix.lower() in STORE_SUFFIXES


def open_store(path: str | Path, *, create: bool = False, timeout: float = 30.0) -> Store:
    """Open the store at *path*, bringing its schema up to date.

    Args:
        path: The SQLite file.
        create: Make the store if the file does not exist (otherwise that is an error).
        timeout: How long, in seconds, to wait for another process's write to finish.

    Raises:
        StoreError: The file is missing, is not a claimtrack store, was made by a newer
            claimtrack, or is damaged.
    """
    name = str(path)
    target = Path(path)
    if not create and not target.exists():
        raise StoreError([Problem("", "no such store", file=name)])
    if target.is_dir():
        raise StoreError([Problem("", "is a folder, not a store", file=name)])
    try:
        db = sqlite3.connect(name, timeout=timeout, isolation_level=None)
    except sqlite3.Error as e:
        raise StoreError([Problem("", f"cannot be opened: {e}", file=name)]) from None
    store = Store(db, name)
    try:
        store._upgrade(create=create)  # noqa: SLF001
    except (sqlite3.Error, ValueError) as e:
        db.close()
        raise StoreError(
            [Problem("", f"is damaged and cannot be opened: {e}", file=name)]
        ) from None
    except BaseException:
        db.close()
        raise
    return store


class Store:
    """A case kept in SQLite: add and update records in transactions, query them in SQL.

    Open one with :func:`open_store`; close it, or use it as a context manager. The query
    methods mirror :class:`~claimtrack.Case` (:meth:`attributions_of`, :meth:`said_by`,
    :meth:`attributions_in`, :meth:`claims_of`, :meth:`documents_of`, :meth:`chain`,
    :meth:`origin`), and :meth:`to_case` reads the whole store into a case.

    Attributes:
        path: The file of the store.
    """

    def __init__(self, db: sqlite3.Connection, path: str) -> None:
        self._db = db
        self.path = path

    # ---- opening --------------------------------------------------------------------

    def _problem(self, message: str) -> StoreError:
        return StoreError([Problem("", message, file=self.path)])

    def _upgrade(self, *, create: bool) -> None:
        try:
            app = self._db.execute("PRAGMA application_id").fetchone()[0]
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            tables = self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        except sqlite3.DatabaseError:
            raise self._problem("is not a claimtrack store (not an SQLite database)") from None
        if app != APPLICATION_ID and (tables or app):
            raise self._problem("is not a claimtrack store (an SQLite database of another kind)")
        if not create and app != APPLICATION_ID:
            # an empty file: reading it must not turn it into a store
            raise self._problem("is not a claimtrack store (an empty file)")
        if version > len(MIGRATIONS):
            raise self._problem(
                f"was written by a newer claimtrack (schema {version}; this one reads up to "
                f"{len(MIGRATIONS)}); upgrade claimtrack"
            )
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        if version == len(MIGRATIONS):
            return
        with self._write():
            now = self._db.execute("PRAGMA user_version").fetchone()[0]  # another may have won
            for step in MIGRATIONS[now:]:
                for statement in step.split(";"):
                    if statement.strip():
                        self._db.execute(statement)
            self._db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            self._db.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")

    def close(self) -> None:
        """Close the store; what was committed stays."""
        self._db.close()

    def __enter__(self) -> Store:  # noqa: PYI034 - Store is not meant to be subclassed
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Store {self.path!r}: {self._count('claims')} claims, {self._count('attributions')} attributions>"

    @contextlib.contextmanager
    def _write(self) -> Iterator[None]:
        """One write transaction: all of it is committed, or none of it."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            raise self._problem(f"cannot be written: {e}") from None
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        try:
            self._db.execute("COMMIT")
        except sqlite3.Error as e:
            self._db.execute("ROLLBACK")
            raise self._problem(f"cannot be written: {e}") from None

    def _count(self, table: str) -> int:
        return int(self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608 - our own table names

    # ---- writing --------------------------------------------------------------------

    def import_case(self, case: Case) -> None:
        """Add every record of *case*, with its title if the store has none, in one transaction.

        Raises:
            IntegrityError: A record repeats an id the store holds, or refers to one it lacks;
                nothing is added.
        """
        with self._write():
            if self._meta("title") is None:
                self._set_meta("title", case.title)
                if case.description is not None:
                    self._set_meta("description", case.description)
            self._insert(
                [
                    *case.sources.values(),
                    *case.documents.values(),
                    *case.evidence.values(),
                    *case.questions.values(),
                    *case.claims.values(),
                    *case.attributions,
                    *case.relations,
                ]
            )

    def add(self, *records: object) -> None:
        """Add records (any mix, in an order where each refers only to earlier ones or the store's).

        Raises:
            IntegrityError: An id is taken or unknown, or a chain loops; nothing is added.
        """
        with self._write():
            self._insert(records)

    def update(self, record: Source | Document | Evidence | Question | Claim) -> None:
        """Put *record* in place of the stored record with its id.

        Attributions and relations are append-only: add a retraction or a new relation.

        Raises:
            IntegrityError: No record has that id, or the new one refers to an unknown id.
        """
        with self._write():
            table = _TABLES[type(record)]
            found = self._db.execute(f"SELECT 1 FROM {table} WHERE id = ?", (record.id,)).fetchone()  # noqa: S608
            if found is None:
                raise IntegrityError(
                    [
                        Problem(
                            f"{table}.{record.id}",
                            f"no {_noun(table)} '{record.id}' to replace",
                            file=self.path,
                        )
                    ]
                )
            self._db.execute(f"DELETE FROM {table} WHERE id = ?", (record.id,))  # noqa: S608
            if isinstance(record, Claim):
                self._db.execute(
                    "DELETE FROM search WHERE kind = 'claim' AND ref = ?", (record.id,)
                )
            self._insert([record])

    def set_title(self, title: str, description: str | None = None) -> None:
        """Set what the case in the store is about."""
        with self._write():
            self._set_meta("title", title)
            self._set_meta("description", description)

    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0]) if row[0] is not None else None

    def _set_meta(self, key: str, value: str | None) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def _insert(self, records: Iterable[object]) -> None:  # noqa: C901, PLR0912 - one branch per kind
        rows: dict[str, list[tuple[Any, ...]]] = {
            t: [] for t in (*_TABLES.values(), "attributions", "based_on", "relations", "search")
        }
        seq = self._next_seq("attributions")
        for record in records:
            if isinstance(record, Source):
                rows["sources"].append(
                    (record.id, record.name, record.kind.value, _json(record, Source))
                )
            elif isinstance(record, Document):
                published = None if record.published is None else record.published.isoformat()
                rows["documents"].append(
                    (
                        record.id,
                        record.publisher,
                        published,
                        record.url,
                        record.archive_url,
                        record.text,
                        _json(record, Document),
                    )
                )
            elif isinstance(record, Evidence):
                rows["evidence"].append((record.id, record.kind.value, _json(record, Evidence)))
            elif isinstance(record, Question):
                rows["questions"].append((record.id, record.text, _json(record, Question)))
            elif isinstance(record, Claim):
                rows["claims"].append(
                    (record.id, record.question, record.text, _json(record, Claim))
                )
                rows["search"].append(("claim", record.id, normalise(record.text)))
            elif isinstance(record, Attribution):
                day = None if record.said is None else record.said.isoformat()[:10]
                rows["attributions"].append(
                    (
                        seq,
                        record.claim,
                        record.source,
                        record.stance.value,
                        record.document,
                        day,
                        record.quote,
                        _json(record, Attribution),
                        record.id,
                        record.withdraws,
                    )
                )
                rows["based_on"] += [(seq, e) for e in record.based_on]
                if record.hedge is not None and (wrong := hedge_problem(record)) is not None:
                    raise IntegrityError(
                        [Problem(f"attributions[{seq}].hedge", wrong, file=self.path)]
                    )
                if record.quote is not None:
                    rows["search"].append(("quote", str(seq), normalise(record.quote)))
                seq += 1
            elif isinstance(record, Relation):
                rows["relations"].append(
                    (*(record.kind.value, *record.claims), _json(record, Relation))
                )
            else:
                msg = f"a store holds sources, documents, evidence, questions, claims, attributions and relations, not {type(record).__name__}"
                raise TypeError(msg)
        db = self._db
        try:
            db.executemany("INSERT INTO sources VALUES (?, ?, ?, ?)", rows["sources"])
            db.executemany("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?)", rows["documents"])
            db.executemany("INSERT INTO evidence VALUES (?, ?, ?)", rows["evidence"])
            db.executemany("INSERT INTO questions VALUES (?, ?, ?)", rows["questions"])
            db.executemany("INSERT INTO claims VALUES (?, ?, ?, ?)", rows["claims"])
        except sqlite3.IntegrityError:
            raise IntegrityError(self._taken(rows)) from None
        db.executemany(
            "INSERT INTO attributions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows["attributions"]
        )
        db.executemany("INSERT INTO based_on VALUES (?, ?)", rows["based_on"])
        db.executemany(
            "INSERT INTO relations (kind, first, second, data) VALUES (?, ?, ?, ?)",
            rows["relations"],
        )
        db.executemany("INSERT INTO search VALUES (?, ?, ?)", rows["search"])
        # the day of an undated attribution is its document's day of publication
        db.execute(
            "UPDATE attributions SET day = (SELECT substr(published, 1, 10) FROM documents d "
            "WHERE d.id = attributions.document) WHERE day IS NULL AND seq >= ? AND document IS NOT NULL",
            (self._next_seq("attributions") - len(rows["attributions"]),),
        )
        problems = self._unknown_refs()
        if problems:
            raise IntegrityError(problems)

    def _next_seq(self, table: str) -> int:
        query = f"SELECT coalesce(max(seq), -1) + 1 FROM {table}"  # noqa: S608 - our own names
        return int(self._db.execute(query).fetchone()[0])

    def _taken(self, rows: dict[str, list[tuple[Any, ...]]]) -> list[Problem]:
        out = []
        for table in _TABLES.values():
            seen: set[str] = set()
            for row in rows[table]:
                rid = row[0]
                stored = self._db.execute(f"SELECT 1 FROM {table} WHERE id = ?", (rid,)).fetchone()  # noqa: S608
                if rid in seen or stored:
                    out.append(
                        Problem(
                            f"{table}.{rid}",
                            f"the id '{rid}' is taken by another {_noun(table)}",
                            file=self.path,
                        )
                    )
                seen.add(rid)
        return out or [Problem("", "an id is taken", file=self.path)]

    def _unknown_refs(self) -> list[Problem]:
        """Every reference in the store to an id it lacks (run inside the writing transaction)."""
        checks = [
            ("documents", "id", "publisher", "sources", "source"),
            ("claims", "id", "question", "questions", "question"),
            ("attributions", "seq", "claim", "claims", "claim"),
            ("attributions", "seq", "source", "sources", "source"),
            ("attributions", "seq", "document", "documents", "document"),
            ("relations", "seq", "first", "claims", "claim"),
            ("relations", "seq", "second", "claims", "claim"),
        ]
        out = []
        for table, key, column, target, noun in checks:
            rows = self._db.execute(
                f"SELECT t.{key}, t.{column} FROM {table} t WHERE t.{column} IS NOT NULL "  # noqa: S608 - our own names
                f"AND NOT EXISTS (SELECT 1 FROM {target} x WHERE x.id = t.{column}) LIMIT 20"
            ).fetchall()
            for rid, ref in rows:
                place = f"{table}[{rid}].{column}" if key == "seq" else f"{table}.{rid}.{column}"
                out.append(Problem(place, f"unknown {noun} '{ref}'", file=self.path))
        return out + self._unknown_who()

    def _unknown_who(self) -> list[Problem]:
        """What the fields of who stands behind a claim name and the store lacks, or repeat."""
        db, out = self._db, []
        for table, field in (("questions", "parties"), ("claims", "blames")):
            rows = db.execute(
                f"SELECT t.id, j.key, j.value FROM {table} t, json_each(t.data, '$.{field}') j "  # noqa: S608 - our own names
                f"WHERE instr(t.data, '\"{field}\"') AND j.type = 'text' AND NOT EXISTS "
                "(SELECT 1 FROM sources s WHERE s.id = j.value) LIMIT 20"
            ).fetchall()
            rows += db.execute(  # one id alone, not in a list
                f"SELECT id, 0, json_extract(data, '$.{field}') FROM {table} "  # noqa: S608 - our own names
                f"WHERE instr(data, '\"{field}\"') AND json_type(data, '$.{field}') = 'text' "
                f"AND json_extract(data, '$.{field}') NOT IN (SELECT id FROM sources) LIMIT 20"
            ).fetchall()
            out += [
                Problem(f"{table}.{rid}.{field}[{i}]", f"unknown source '{ref}'", file=self.path)
                for rid, i, ref in rows
            ]
        for seq, ref in db.execute(
            "SELECT seq, evidence FROM based_on b WHERE NOT EXISTS "
            "(SELECT 1 FROM evidence e WHERE e.id = b.evidence) LIMIT 20"
        ):
            out.append(
                Problem(f"attributions[{seq}].based_on", f"no evidence '{ref}'", file=self.path)
            )
        for aid, first, seq in db.execute(
            "SELECT aid, min(seq), max(seq) FROM attributions WHERE aid IS NOT NULL "
            "GROUP BY aid HAVING count(*) > 1 LIMIT 20"
        ):
            out.append(
                Problem(
                    f"attributions[{seq}].id",
                    f"the id '{aid}' is taken by attributions[{first}]",
                    file=self.path,
                )
            )
        for seq, ref, claim in db.execute(
            "SELECT a.seq, a.withdraws, a.claim FROM attributions a WHERE a.withdraws IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM attributions b WHERE b.aid = a.withdraws "
            "AND b.claim = a.claim AND b.stance != 'retracts' AND b.seq != a.seq) LIMIT 20"
        ):
            out.append(
                Problem(
                    f"attributions[{seq}].withdraws",
                    f"withdraws '{ref}', but no attribution of claim '{claim}' that is not "
                    "a retraction has that id",
                    file=self.path,
                )
            )
        return out

    # ---- reading --------------------------------------------------------------------

    def to_case(self) -> Case:
        """Read the whole store into a :class:`~claimtrack.Case`, checked as a loaded file is.

        Raises:
            IntegrityError: The records do not fit together.
        """
        return self._case(
            "SELECT id, data FROM sources ORDER BY rowid",
            "SELECT id, data FROM documents ORDER BY rowid",
            "SELECT id, data FROM questions ORDER BY rowid",
            "SELECT id, data FROM claims ORDER BY rowid",
            "SELECT data FROM attributions ORDER BY seq",
            "SELECT data FROM relations ORDER BY seq",
            (),
        )

    def case_of(self, question: str | Question) -> Case:
        """The part of the store that bears on one *question*, as a case.

        It holds the question, its claims, their attributions and relations, every source,
        and the documents the attributions name: enough to assess the question alone, so
        that a corpus too large to read whole can be assessed a question at a time.
        """
        qid = question if isinstance(question, str) else question.id
        claims = "SELECT id FROM claims WHERE question = :q"
        atts = f"SELECT * FROM attributions WHERE claim IN ({claims})"  # noqa: S608
        return self._case(
            "SELECT id, data FROM sources ORDER BY rowid",
            f"SELECT id, data FROM documents WHERE id IN (SELECT document FROM ({atts})) ORDER BY rowid",  # noqa: S608
            "SELECT id, data FROM questions WHERE id = :q",
            "SELECT id, data FROM claims WHERE question = :q ORDER BY rowid",
            f"SELECT data FROM ({atts}) ORDER BY seq",  # noqa: S608
            f"SELECT data FROM relations WHERE first IN ({claims}) AND second IN ({claims}) ORDER BY seq",  # noqa: S608
            {"q": qid},
        )

    def parts(self, *, questions: int = 1_000) -> Iterator[Case]:
        """The store as a series of cases that can each be assessed alone, one read at a time.

        Each part holds about *questions* whole questions with their claims, attributions
        and relations, the documents those attributions name, and every source. Claims
        that relations join, across questions or without one, stay in one part, so that
        each claim is assessed exactly as in the whole store; every claim is in one part.
        Attribution positions in a part count within that part.
        """
        if questions < 1:
            msg = f"questions must be at least 1, got {questions}"
            raise ValueError(msg)
        batch: list[str] = []
        homes: set[str] = set()
        for claims, where in self._groups():
            batch += claims
            homes.update(where)
            if len(homes) >= questions:
                yield self._part(batch)
                batch, homes = [], set()
        if batch:
            yield self._part(batch)

    def _groups(self) -> list[tuple[list[str], set[str]]]:
        """Claims that must be assessed together, with their questions (or, lacking one, ids)."""
        db = self._db
        home: dict[str, str] = {}  # a claim's question, or for a claim with none, the claim
        for cid, qid in db.execute("SELECT id, question FROM claims ORDER BY rowid"):
            home[cid] = qid if qid is not None else "\0" + cid
        parent: dict[str, str] = {}

        def root(node: str) -> str:
            while parent.get(node, node) != node:
                parent[node] = parent.get(parent[node], parent[node])
                node = parent[node]
            return node

        for first, second in db.execute("SELECT first, second FROM relations ORDER BY seq"):
            if first in home and second in home:
                a, b = root(home[first]), root(home[second])
                if a != b:
                    parent[b] = a
        groups: dict[str, tuple[list[str], set[str]]] = {}
        for cid, where in home.items():
            claims, homes = groups.setdefault(root(where), ([], set()))
            claims.append(cid)
            homes.add(where)
        return list(groups.values())

    def _part(self, claims: list[str]) -> Case:
        """The claims *claims* and what bears on them, read as a case."""
        db = self._db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS part (claim TEXT PRIMARY KEY)")
        db.execute("DELETE FROM temp.part")
        db.executemany("INSERT INTO temp.part VALUES (?)", ((c,) for c in claims))
        mine = "SELECT claim FROM temp.part"
        atts = f"SELECT * FROM attributions WHERE claim IN ({mine})"  # noqa: S608
        try:
            return self._case(
                "SELECT id, data FROM sources ORDER BY rowid",
                f"SELECT id, data FROM documents WHERE id IN (SELECT document FROM ({atts})) ORDER BY rowid",  # noqa: S608
                f"SELECT id, data FROM questions WHERE id IN (SELECT question FROM claims WHERE id IN ({mine})) ORDER BY rowid",  # noqa: S608
                f"SELECT id, data FROM claims WHERE id IN ({mine}) ORDER BY rowid",  # noqa: S608
                f"SELECT data FROM ({atts}) ORDER BY seq",  # noqa: S608
                f"SELECT data FROM relations WHERE first IN ({mine}) ORDER BY seq",  # noqa: S608
                (),
            )
        finally:
            db.execute("DELETE FROM temp.part")

    def assess_parts(
        self, settings: Settings | None = None, *, questions: int = 1_000
    ) -> Iterator[tuple[Case, Assessments]]:
        """Assess the store a part at a time (see :meth:`parts`), for corpora too large to read whole.

        Each claim's assessment is the one the whole store would give it; contradictions,
        warnings and figures come with the part they belong to, and their attribution
        positions count within that part.

        Raises:
            ValueError: *settings* asks for the learned mode, which learns from the whole
                corpus at once; assess ``store.to_case()`` for that.
        """
        if settings is not None and settings.learn:
            msg = "the learned mode learns from the whole corpus at once and cannot go a part at a time; assess store.to_case() instead"
            raise ValueError(msg)
        for part in self.parts(questions=questions):
            yield part, part.assess(settings)

    def question_ids(self) -> list[str]:
        """The ids of every question, in the order they were added."""
        return [r[0] for r in self._db.execute("SELECT id FROM questions ORDER BY rowid")]

    def _case(self, *queries_and_params: Any) -> Case:
        try:
            return self._read_case(*queries_and_params)
        except (sqlite3.Error, ValueError, TypeError, RecursionError) as e:
            # stored JSON that no longer parses, or a NULL where a record was; CaseErrors
            # (records that parse but do not fit) pass through with their places
            raise self._problem(f"is damaged and cannot be read: {e}") from None

    def _read_case(self, *queries_and_params: Any) -> Case:
        *queries, params = queries_and_params
        db = self._db
        parts = []
        for name, query in zip(
            ("sources", "documents", "evidence", "questions", "claims"),
            (*queries[:2], _ALL_EVIDENCE, *queries[2:4]),
            strict=True,
        ):
            body = ",".join(
                f"{json.dumps(rid, ensure_ascii=False)}:{data}"
                for rid, data in db.execute(query, () if query is _ALL_EVIDENCE else params)
            )
            if body or name != "evidence":  # a case with no evidence is read as it was written
                parts.append(f'"{name}":{{{body}}}')
        for name, query in zip(("attributions", "relations"), queries[4:], strict=True):
            body = ",".join(data for (data,) in db.execute(query, params))
            parts.append(f'"{name}":[{body}]')
        head = json.dumps(
            {"claimtrack": 1, "title": self._meta("title") or "Untitled case"}, ensure_ascii=False
        )[:-1]
        description = self._meta("description")
        if description is not None:
            head += f',"description":{json.dumps(description, ensure_ascii=False)}'
        raw = head + "," + ",".join(parts) + "}"
        with gc_paused():
            quick = quick_json(raw, DEFAULT_LIMITS.max_digits)
            case = (
                None if quick is None else build(quick[0], DEFAULT_LIMITS.max_text, keys=quick[1])
            )
            if case is None:
                case = case_from_data(json.loads(raw), file=self.path)
                errors = [p for p in case.validate(texts=False) if p.is_error]
                if errors:
                    raise IntegrityError([attrs.evolve(p, file=self.path) for p in errors])
        return case

    def _records(
        self, cls: type[Any], query: str, params: Sequence[object] | Mapping[str, object] = ()
    ) -> list[Any]:
        return [
            CONVERTER.structure(
                {
                    **({"id": r[0]} if cls not in (Attribution, Relation) else {}),
                    **json.loads(r[-1]),
                },
                cls,
            )
            for r in self._db.execute(query, params)
        ]

    def _one(self, cls: type[Any], table: str, rid: str) -> Any:
        """The record of *cls* with id *rid* in *table* (a name of this module, not input).

        Raises:
            KeyError: The store holds no such record.
        """
        found = self._records(cls, f"SELECT id, data FROM {table} WHERE id = ?", (rid,))  # noqa: S608 - the table is one of ours
        if not found:
            raise KeyError(rid)
        return found[0]

    def source(self, source: str) -> Source:
        """The source with id *source*.

        Raises:
            KeyError: The store holds no such source.
        """
        return self._one(Source, "sources", source)  # type: ignore[no-any-return]

    def _stance(self, query: str, key: str, stance: Stance | str | None) -> list[Attribution]:
        if stance is None:
            return self._records(Attribution, f"{query} ORDER BY seq", (key,))
        return self._records(
            Attribution, f"{query} AND stance = ? ORDER BY seq", (key, Stance(stance).value)
        )

    def attributions_of(
        self, claim: str | Claim, stance: Stance | str | None = None
    ) -> list[Attribution]:
        """The attributions of *claim*, optionally of one *stance*, in the order recorded."""
        return self._stance("SELECT data FROM attributions WHERE claim = ?", _id(claim), stance)

    def said_by(
        self, source: str | Source, stance: Stance | str | None = None
    ) -> list[Attribution]:
        """What *source* said (as the speaker), optionally with one *stance*."""
        return self._stance("SELECT data FROM attributions WHERE source = ?", _id(source), stance)

    def attributions_in(self, document: str | Document) -> list[Attribution]:
        """The attributions a document carries."""
        return self._stance("SELECT data FROM attributions WHERE document = ?", _id(document), None)

    def attributions_between(self, first: str, last: str) -> list[Attribution]:
        """The attributions made from day *first* to day *last* (ISO dates, both included).

        An attribution without its own date takes its document's day of publication. One
        dated only to a month or a year (``2024-02``) is among them if any day of that
        month or year is.
        """
        # a day is kept as its ISO text, a month or a year as its own shorter text, which
        # sorts before every day inside it: the index finds both from the first's year on
        return self._records(
            Attribution,
            "SELECT data FROM attributions WHERE day BETWEEN substr(:first, 1, 4) AND :last "
            "AND (day >= :first OR (length(day) < 10 AND day >= substr(:first, 1, length(day)))) "
            "ORDER BY seq",
            {"first": first, "last": last},
        )

    def claims_of(self, question: str | Question) -> list[Claim]:
        """The claims that answer *question*, in the order they were added."""
        return self._records(
            Claim, "SELECT id, data FROM claims WHERE question = ? ORDER BY rowid", (_id(question),)
        )

    def documents_of(self, publisher: str | Source) -> list[Document]:
        """The documents *publisher* published."""
        return self._records(
            Document,
            "SELECT id, data FROM documents WHERE publisher = ? ORDER BY rowid",
            (_id(publisher),),
        )

    def chain(self, attribution: Attribution) -> tuple[Source, ...]:
        """The reporting chain of *attribution*, from its document's publisher to the speaker."""
        ids: list[str] = []
        if attribution.document is not None:
            row = self._db.execute(
                "SELECT publisher FROM documents WHERE id = ?", (attribution.document,)
            ).fetchone()
            if row is not None:
                ids.append(row[0])
        for sid in (*attribution.via, attribution.source):
            if not ids or ids[-1] != sid:
                ids.append(sid)
        out = []
        for sid in ids:
            with contextlib.suppress(KeyError):
                out.append(self.source(sid))
        return tuple(out)

    def origin(self, attribution: Attribution) -> Source:
        """The source *attribution* counts as: its speaker, or the body it speaks for (see :meth:`speaks_as`)."""
        return self.source(self.speaks_as(attribution))

    def speaks_as(self, attribution: Attribution) -> str:
        """The id of the source *attribution* counts as, as :meth:`Case.speaks_as <claimtrack.Case.speaks_as>` finds it."""
        if attribution.in_own_name:
            return attribution.source
        when = attribution.said
        if when is None and attribution.document is not None:
            row = self._db.execute(
                "SELECT published FROM documents WHERE id = ?", (attribution.document,)
            ).fetchone()
            when = None if row is None or row[0] is None else parse_moment(row[0])
        return _voices.speaks_as(_Sources(self), attribution.source, _voices.day(when))

    def evidence(self, evidence: str) -> Evidence:
        """The item of evidence with id *evidence*.

        Raises:
            KeyError: The store holds no such item.
        """
        return self._one(Evidence, "evidence", evidence)  # type: ignore[no-any-return]

    def search(self, words: str) -> list[Claim]:
        """Claims whose text, or a quote of whose attributions, holds every one of *words*.

        Matching ignores case, Arabic diacritics and tatweel, and the interchangeable
        spellings of alef, yaa and taa marbuta (see :func:`normalise`).
        """
        query = _match(words)
        if not query:
            return []
        return self._records(
            Claim,
            "SELECT id, data FROM claims WHERE id IN ("
            "SELECT ref FROM search WHERE search MATCH :q AND kind = 'claim' UNION "
            "SELECT a.claim FROM search s JOIN attributions a ON a.seq = CAST(s.ref AS INTEGER) "
            "WHERE search MATCH :q AND s.kind = 'quote') ORDER BY rowid",
            {"q": query},
        )

    def search_quotes(self, words: str) -> list[Attribution]:
        """Attributions whose quote holds every one of *words* (normalised as in :meth:`search`)."""
        query = _match(words)
        if not query:
            return []
        return self._records(
            Attribution,
            "SELECT data FROM attributions WHERE seq IN (SELECT CAST(ref AS INTEGER) FROM search "
            "WHERE search MATCH ? AND kind = 'quote') ORDER BY seq",
            (query,),
        )

    def integrity_problems(self) -> list[Problem]:
        """What SQLite's own check finds wrong with the file, and every dangling reference."""
        rows = [r[0] for r in self._db.execute("PRAGMA integrity_check")]
        out = [Problem("", f"damaged: {r}", file=self.path) for r in rows if r != "ok"]
        return out + self._unknown_refs()


_TABLES: dict[type, str] = {
    Source: "sources",
    Document: "documents",
    Evidence: "evidence",
    Question: "questions",
    Claim: "claims",
}

_ALL_EVIDENCE = "SELECT id, data FROM evidence ORDER BY rowid"
"""Every part of a store holds every item of evidence, as it holds every source."""


def _noun(table: str) -> str:
    return "item of evidence" if table == "evidence" else table[:-1]


class _Sources(Mapping[str, Source]):
    """The store's sources, read one at a time as they are asked for."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._read: dict[str, Source | None] = {}

    def __getitem__(self, sid: str) -> Source:
        if sid not in self._read:
            try:
                self._read[sid] = self._store.source(sid)
            except KeyError:
                self._read[sid] = None
        found = self._read[sid]
        if found is None:
            raise KeyError(sid)
        return found

    def __iter__(self) -> Iterator[str]:
        return (r[0] for r in self._store._db.execute("SELECT id FROM sources ORDER BY rowid"))  # noqa: SLF001

    def __len__(self) -> int:
        return self._store._count("sources")  # noqa: SLF001


def _id(ref: str | Source | Document | Question | Claim) -> str:
    return ref if isinstance(ref, str) else ref.id


def load_any(path: str | Path, **kw: Any) -> Case:
    """Load a case file, or read a store whole when *path* has a store's suffix.

    *kw* goes to :func:`claimtrack.load` for case files and is ignored for stores but
    ``texts``, which sets where documents' text files are looked for.
    """
    if not is_store(path):
        from claimtrack.files._case_files import load  # noqa: PLC0415 - kept beside the store's reader

        return load(path, **kw)
    with open_store(path) as store:
        case = store.to_case()
    texts = kw.get("texts")
    if texts:
        case.text_dirs = tuple(Path(t) for t in (texts if isinstance(texts, list) else [texts]))
    return case
