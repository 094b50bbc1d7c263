"""The embedded store: a case in SQLite, added to in transactions, queried in SQL.

Each record is kept whole as the JSON a case file holds for it (so the store round-trips
losslessly through the one converter), next to indexed columns for the queries analysts
ask. Writes are transactions in WAL mode: several processes may write at once, and a
crash leaves the store as it was before the interrupted transaction.

A store may come from elsewhere, so it is handled as a case file is: nothing in it is run
and nothing read from it is trusted. A store is opened read-only, and only a write opens
it for writing; before any use its schema must be exactly claimtrack's (no view, no
trigger, every table as claimtrack makes it); every query runs under a time budget; each
record's JSON is parsed on its own and must agree with the columns of its row; and every
SQLite error becomes a :class:`~claimtrack.errors.StoreError` naming the file.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import json
import math
import operator
import os
import re
import shutil
import sqlite3
import time
import unicodedata

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import attrs

from cattrs.errors import BaseValidationError

from claimtrack._gc import gc_paused
from claimtrack.errors import IntegrityError, Problem, StoreError
from claimtrack.files._bulk import build
from claimtrack.files._converter import CONVERTER
from claimtrack.files._parsing import DEFAULT_LIMITS
from claimtrack.files._reading import FORMAT_VERSION, case_from_data
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

QUERY_BUDGET = 60.0
"""How many seconds one query may run before it is stopped (:func:`open_store`'s *budget*).

Claimtrack's own queries take well under a second on the example corpora and seconds on a
million attributions; a query that runs for a minute is one a crafted or damaged store has
sent astray, and stopping it turns a hang into an error.
"""

_STEPS = 100_000
"""SQLite virtual-machine steps between two looks at the clock: often enough to stop a
runaway query within milliseconds, rarely enough to cost nothing measurable."""

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

_SCHEMA_3 = """
CREATE TABLE cases (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, title TEXT NOT NULL, description TEXT);
INSERT INTO cases SELECT 1, coalesce((SELECT value FROM meta WHERE key = 'title'), 'Untitled case'),
    coalesce((SELECT value FROM meta WHERE key = 'title'), 'Untitled case'),
    (SELECT value FROM meta WHERE key = 'description')
    WHERE EXISTS (SELECT 1 FROM meta WHERE key = 'title' AND value IS NOT NULL)
    OR EXISTS (SELECT 1 FROM sources) OR EXISTS (SELECT 1 FROM questions) OR EXISTS (SELECT 1 FROM claims);
CREATE TABLE members (case_id INTEGER NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (case_id, kind, id)) WITHOUT ROWID;
INSERT INTO members SELECT 1, 'sources', id FROM sources;
INSERT INTO members SELECT 1, 'documents', id FROM documents;
INSERT INTO members SELECT 1, 'evidence', id FROM evidence;
CREATE TABLE questions_3 (
    case_id INTEGER NOT NULL, id TEXT NOT NULL, text TEXT NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (case_id, id));
INSERT INTO questions_3 SELECT 1, id, text, data FROM questions ORDER BY rowid;
DROP TABLE questions;
ALTER TABLE questions_3 RENAME TO questions;
CREATE TABLE claims_3 (
    case_id INTEGER NOT NULL, id TEXT NOT NULL, question TEXT, text TEXT NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (case_id, id));
INSERT INTO claims_3 SELECT 1, id, question, text, data FROM claims ORDER BY rowid;
DROP TABLE claims;
ALTER TABLE claims_3 RENAME TO claims;
CREATE INDEX claims_question ON claims (case_id, question);
ALTER TABLE attributions ADD COLUMN case_id INTEGER NOT NULL DEFAULT 1;
DROP INDEX attributions_claim;
CREATE INDEX attributions_claim ON attributions (case_id, claim, stance);
ALTER TABLE relations ADD COLUMN case_id INTEGER NOT NULL DEFAULT 1;
DROP TABLE search;
CREATE VIRTUAL TABLE search USING fts5 (
    case_id UNINDEXED, kind UNINDEXED, tab UNINDEXED, ref UNINDEXED, label UNINDEXED, shown UNINDEXED,
    body, tokenize = 'porter unicode61 remove_diacritics 2')
"""
"""Several cases in one store, and search with stemming.

A case is a row of ``cases``; questions, claims, attributions and relations belong to one
(their ids are the case's own), while sources, documents and evidence are shared by id
across the cases, each case's own listed in ``members``. A store of schema 2 becomes
case 1, named by its title; the search index is rebuilt (in Python, see
``Store._reindex``) with the ``porter`` tokenizer, and indexes document titles and notes too.
"""

MIGRATIONS: Sequence[str] = (_SCHEMA_1, _SCHEMA_2, _SCHEMA_3)
"""The schema, as steps; a store at ``user_version`` *n* has had the first *n* applied."""

_ALEF = str.maketrans(
    {"\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627"}
    | {"\u0649": "\u064a", "\u0629": "\u0647", "\u0640": None}
)
"""Alef forms to alef, alef maqsura to yaa, taa marbuta to haa; tatweel dropped."""
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]")


_CYRILLIC_APOSTROPHE = re.compile("(?<=[\u0400-\u04ff])['\u2019\u02bc](?=[\u0400-\u04ff])")
"""An apostrophe inside a Cyrillic word (Ukrainian ``обʼєкт``), in any of the three ways it is typed."""
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u0451": "\u0435"})
"""The other apostrophes to ``'``, and ``ё`` to ``е`` (after case folding)."""  # noqa: RUF001


def normalise(text: str) -> str:
    """Fold text for search: case, and the spellings people write interchangeably.

    The forms of alef (with hamza above or below, madda, wasla) become plain alef, alef
    maqsura becomes yaa, taa marbuta becomes haa, and diacritics and tatweel are dropped,
    so a name spelt with a final alef maqsura finds the same name spelt with yaa. In
    Cyrillic, ``ё`` is ``е`` and the apostrophe inside a word (typed as ``'``, U+2019 or
    U+02BC) is dropped, so ``об'єкті`` finds ``обʼєкті``.
    """  # noqa: RUF002
    if text.isascii():  # none of the spellings above is ASCII: only the case is folded
        return text.casefold()
    return _folded(text)


def _folded(text: str) -> str:
    """:func:`normalise`, every step of it, for text of any script."""
    text = _MARKS.sub("", unicodedata.normalize("NFC", text).translate(_ALEF))
    return _CYRILLIC_APOSTROPHE.sub("", text).casefold().translate(_APOSTROPHES)


_TERM = re.compile(r'"([^"]*)("?)(\*?)|(\S+)')


@attrs.frozen
class Term:
    """One part of a search query: a word or a phrase, which may end in a prefix."""

    text: str
    phrase: bool = False
    prefix: bool = False


def parse_query(query: str) -> list[Term]:
    """The words and phrases of a search query, as :meth:`Store.search` reads it.

    Words are separated by spaces, and every one must be found; ``"..."`` is a phrase,
    its words found next to each other in order; a ``*`` at the end of a word or phrase
    finds every word beginning so. Nothing else has a meaning: ``OR``, ``NOT``, ``NEAR``,
    parentheses, ``-`` and ``:`` are words like any other.

    Raises:
        ValueError: A quote is opened and not closed.
    """
    terms = []
    for m in _TERM.finditer(query):
        if m.group(4) is not None:
            word = m.group(4)
            if '"' in word:
                msg = f'a quote inside the word {word!r}: put a phrase in quotes of its own ("like this")'
                raise ValueError(msg)
            prefix = word.endswith("*")
            text = word.rstrip("*")
            phrase = False
        else:
            if not m.group(2):
                msg = 'the query opens a quote (") it does not close'
                raise ValueError(msg)
            text, phrase, prefix = m.group(1), True, bool(m.group(3))
        if re.search(r"\w", text):
            terms.append(Term(text, phrase=phrase, prefix=prefix))
    return terms


def _fts(term: Term) -> str:
    """The FTS5 expression of one term: its folded text in quotes, so that nothing in it is syntax."""
    text = normalise(term.text)
    return '"' + text.replace('"', '""') + '"' + (" *" if term.prefix else "")


def _match(query: str) -> str:
    """The FTS5 query finding every term of *query* (see :func:`parse_query`)."""
    return " ".join(_fts(t) for t in parse_query(query))


_BULK_ROWS = 10_000
"""From how many rows added to a table at least as large its indexes are built after them."""

_IDS_A_QUERY = 500
"""How many ids one ``IN (...)`` query looks up: well under SQLite's limit on parameters."""

_ABSENT = object()
"""What :meth:`Store._held` lacks: not in the store (a stored value may be ``None``)."""


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode
"""``json.dumps(..., ensure_ascii=False)`` without making an encoder for each record."""


def _encoders() -> Callable[[object, type], str]:
    """The JSON text of a record of a given class, as the converter unstructures it.

    Each class's hook is looked up once per call of this function, not once per record,
    for the rows of an import by the hundred thousand.
    """
    hook = functools.cache(CONVERTER.get_unstructure_hook)
    return lambda record, cls: _ENCODE(hook(cls)(record))


def is_store(path: str | Path) -> bool:
    """Whether *path* names a store, by its suffix (``.db``, ``.sqlite``, ``.sqlite3``)."""
    return Path(str(path)).suffix.lower() in STORE_SUFFIXES


def open_store(
    path: str | Path,
    *,
    create: bool = False,
    timeout: float = 30.0,
    budget: float = QUERY_BUDGET,
    case: str | None = None,
) -> Store:
    """Open the store at *path*, read-only until something is written to it.

    The store is checked before anything in it is used: it must be a claimtrack store whose
    schema is exactly claimtrack's, with no view and no trigger, so that nothing a store
    from elsewhere carries ever runs. Reading never writes to the file, not even its
    journal mode; a store of an older schema is read as it is and brought up to date by
    its first write.

    Args:
        path: The SQLite file.
        create: Make the store if the file does not exist (otherwise that is an error). A
            store that cannot be made (a full disk, say) is removed, leaving no file.
        timeout: How long, in seconds, to wait for another process's write to finish.
        budget: How long, in seconds, one query may run before it is stopped with a
            :class:`~claimtrack.errors.StoreError` (see ``QUERY_BUDGET``).
        case: The name of the case (see :meth:`~claimtrack.store.Store.cases`) that reading and adding use.
            It may be left out when the store holds one case (or none).

    Raises:
        StoreError: The file is missing, is not a claimtrack store, was made by a newer
            claimtrack, holds what claimtrack does not make, is damaged, or cannot be made;
            or it holds no case named *case*.
        ValueError: *budget* is not a positive number of seconds.
    """
    if not budget > 0:  # also refuses NaN
        msg = f"the budget must be a positive number of seconds, got {budget!r}"
        raise ValueError(msg)
    name = str(path)
    target = Path(path)
    if target.is_dir():
        raise StoreError([Problem("", "is a folder, not a store", file=name)])
    made = False
    if not target.exists():
        if not create:
            raise StoreError([Problem("", "no such store", file=name)])
        made = _make_file(target, name)
    store = Store(name, timeout=timeout, budget=budget)
    try:
        store._open(create=create, made=made)  # noqa: SLF001
        if case is not None:
            store.choose(case)
    except BaseException:
        store.close()
        if made:
            _remove(name)
        raise
    return store


def _make_file(target: Path, name: str) -> bool:
    """Make *target* as an empty file for SQLite to fill; whether this call made it.

    Only a file this call made may be removed when making the store fails: one that
    appeared meanwhile is another process's store.
    """
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        return False
    except OSError as e:
        if e.errno == errno.ENOSPC:
            msg = "disk full: the store was not made; free some space and try again"
        else:
            msg = f"cannot be made ({e.strerror or e}): check that its folder exists and can be written to"
        raise StoreError([Problem("", msg, file=name)]) from None
    os.close(fd)
    return True


def _remove(name: str) -> None:
    """Remove a store this process made and could not finish, with SQLite's files beside it."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            Path(name + suffix).unlink()


def _connect(
    path: str, *, write: bool, timeout: float, immutable: bool = False
) -> sqlite3.Connection:
    """A connection to the existing SQLite file *path*: read-only unless *write*.

    The path goes into a ``file:`` URI percent-encoded, so that no character of a file's
    name can add a parameter (a name holding ``?mode=rwc`` stays part of the name); the
    mode never lets SQLite make the file. *immutable* tells SQLite that nothing changes the
    file while it is open, which lets it read a WAL store in a folder it cannot write to.
    """
    uri = Path(path).absolute().as_uri() + ("?mode=rw" if write else "?mode=ro")
    if immutable:
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None)


def _in_wal_mode(path: str) -> bool:
    """Whether the header of the SQLite file *path* says it is in WAL mode (bytes 18 and 19)."""
    try:
        with Path(path).open("rb") as f:
            head = f.read(20)
    except OSError:
        return False
    return head[18:20] == b"\x02\x02"


def _tidy(path: str, timeout: float) -> None:
    """Remove the empty ``-wal`` and ``-shm`` files a read-only connection made beside *path*.

    A read-only connection cannot remove them, as the last connection to close a WAL store
    otherwise does. One that may write, opened and closed at once, lets SQLite remove them,
    or keep them if another process has the store open. It writes nothing to the store:
    the log it would copy in is empty, and a log that is not is left alone.
    """
    with contextlib.suppress(OSError, sqlite3.Error):
        if Path(f"{path}-wal").stat().st_size:
            return
        db = _connect(path, write=True, timeout=timeout)
        try:
            db.execute("PRAGMA trusted_schema = OFF")
            db.execute("PRAGMA query_only = ON")
            db.execute("PRAGMA application_id").fetchone()  # a read, which opens the log
        finally:
            db.close()


class _Clock:
    """The time budget of the running query; SQLite's progress handler asks it whether to stop."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = math.inf
        self.spent = False

    def start(self) -> None:
        """Give the query about to run a whole budget."""
        self.deadline = time.monotonic() + self.seconds
        self.spent = False

    def __call__(self) -> int:
        """Non-zero, which makes SQLite interrupt the query, once the budget is spent."""
        if time.monotonic() > self.deadline:
            self.spent = True
            return 1
        return 0


_ROOM = 2**20
"""Free bytes below which a failed write is taken for a full disk. SQLite reports some
writes that fail for want of room as input/output errors (growing its shared-memory file,
for one); a folder with under a megabyte free tells them apart."""


_QUOTED_NAME = re.compile(r'^CREATE TABLE "(\w+)"')


def _words(sql: object) -> str | None:
    """SQL text with its runs of white space made one space, to compare statements by their words.

    A table's name in quotes is the same name: SQLite puts the name of a table it renamed
    in quotes, as a migration does.
    """
    return (
        _QUOTED_NAME.sub(r"CREATE TABLE \1", " ".join(sql.split()))
        if isinstance(sql, str)
        else None
    )


@functools.cache
def _schema(version: int) -> dict[tuple[str, str], str]:
    """What claimtrack makes in a store of schema *version*: the SQL of each table and index, by kind and name.

    Made by running the migrations on an empty database, so that it cannot drift from
    them. FTS5's own tables (``search_data`` and the like) and SQLite's automatic indexes
    are left out: SQLite makes and words them itself, differently from one version to
    another, and one missing makes the store fail as damaged when it is used.
    """
    with contextlib.closing(sqlite3.connect(":memory:")) as db:
        for step in MIGRATIONS[:version]:
            for statement in step.split(";"):
                if statement.strip():
                    db.execute(statement)
        rows = db.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    return {
        (kind, name): str(_words(sql))
        for kind, name, sql in rows
        if sql is not None and not name.startswith("search_")
    }


def _shown(name: object, *, most: int = 40) -> str:
    """A name read from a store, quoted and cut short enough for a message."""
    text = str(name)
    return f"'{text}'" if len(text) <= most else f"'{text[:most]}...'"


def _listed(items: Sequence[str], *, most: int = 5) -> str:
    shown = ", ".join(items[:most])
    return shown if len(items) <= most else f"{shown} and {len(items) - most:,} more"


def _foreign(rows: Sequence[Sequence[Any]], version: int) -> str | None:
    """What is wrong with a store's schema (rows of ``sqlite_master``), in words; ``None`` if nothing.

    Views and triggers are named and refused: claimtrack makes none, and they are how a
    store carries SQL that runs when it is read (a view) or written (a trigger). Each
    table and index claimtrack makes must be there, as claimtrack makes it: a changed
    column or a table turned view would feed the reader something else. Tables and
    indexes of someone's own are left alone: nothing claimtrack runs reads them.
    """
    run = [f"{kind} {_shown(name)}" for kind, name, _ in rows if kind in ("view", "trigger")]
    if run:
        return (
            f"holds {_listed(run)}, which claimtrack never makes and has not run: a store "
            "from elsewhere can carry SQL that runs when it is read or written; use a store "
            "made by claimtrack, or remove them with the sqlite3 tool if you trust the file"
        )
    found = {(kind, name): sql for kind, name, sql in rows}
    wrong = []
    for (kind, name), sql in _schema(version).items():
        if (kind, name) not in found:
            wrong.append(f"no {kind} {_shown(name)}")
        elif _words(found[kind, name]) != sql:
            wrong.append(f"its {kind} {_shown(name)} is not as claimtrack makes it")
    if wrong:
        return (
            f"is not a store as claimtrack makes them ({_listed(wrong)}) and was not read: "
            "it is damaged or was changed by another program; restore it from a backup"
        )
    return None


_Params = Sequence[object] | Mapping[str, object]

_ORDER = {
    "sources": "ORDER BY rowid",
    "documents": "ORDER BY rowid",
    "evidence": "ORDER BY rowid",
    "questions": "ORDER BY rowid",
    "claims": "ORDER BY rowid",
    "attributions": "ORDER BY seq",
    "relations": "ORDER BY seq",
}
"""Each table read whole, in the order its records were added; the order a case is read in."""

_KEYED = ("sources", "documents", "evidence", "questions", "claims")
"""The tables whose records are keyed by id, as the case file's mappings are."""

_COLUMNS = {
    "sources": "id, name, kind",
    "documents": "id, publisher, url, archive_url, text",
    "evidence": "id, kind",
    "questions": "id, text",
    "claims": "id, question, text",
    "attributions": "seq, claim, source, stance, document, quote, aid, withdraws",
    "relations": "seq, kind, first, second",
}
"""What each record is read with: its id (or position) and the columns its JSON must agree with."""

_FIELDS: dict[str, tuple[tuple[str, object], ...]] = {
    "sources": (("name", None), ("kind", None)),
    "documents": (("publisher", None), ("url", None), ("archive_url", None), ("text", None)),
    "evidence": (("kind", None),),
    "questions": (("text", None),),
    "claims": (("question", None), ("text", None)),
    "attributions": (
        ("claim", None),
        ("source", None),
        ("stance", Stance.ASSERTS.value),
        ("document", None),
        ("quote", None),
        ("id", None),
        ("withdraws", None),
    ),
    "relations": (("kind", None),),
}
"""The field of the JSON each column after the first holds, and its value when the JSON leaves it out."""


def _place(table: str, key: object) -> str:
    return f"{table}.{key}" if table in _KEYED else f"{table}[{key}]"


def _agrees(table: str, data: dict[str, Any], row: Sequence[Any]) -> bool:
    """Whether *data*, parsed from a row of *table*, is the record the row's columns say.

    The quick test every record takes: the fields, their defaults filled in, read out in
    C and compared with the columns in one go. :func:`_disagreeing` words a failure.
    """
    if table == "relations":
        return not _disagreeing(table, data, row)
    if table in _KEYED and (type(row[0]) is not str or "id" in data):
        return False
    defaults, fields = _SHAPES[table]
    return bool(fields(defaults | data) == row[1:-1])


def _disagreeing(table: str, data: Mapping[str, Any], row: Sequence[Any]) -> list[str]:
    """The fields of the record *data* that disagree with the columns of its row in *table*."""
    columns = row[1:-1]
    if table == "relations":  # its two claims are columns of their own
        claims = data.get("claims")
        wrong = [] if data.get("kind") == columns[0] else ["kind"]
        if type(claims) is not list or claims != list(columns[1:]):
            wrong.append("claims")
        return wrong
    return [
        field
        for (field, default), value in zip(_FIELDS[table], columns, strict=True)
        if data.get(field, default) != value
    ]


def _shape(fields: tuple[tuple[str, object], ...]) -> tuple[dict[str, object], Any]:
    """The defaults of *fields*, and a function reading their values out of a record as a tuple."""
    names = [name for name, _ in fields]
    if len(names) == 1:
        only = names[0]
        return dict(fields), lambda record: (record[only],)
    return dict(fields), operator.itemgetter(*names)


_SHAPES = {table: _shape(fields) for table, fields in _FIELDS.items()}


def _refuse_constant(name: str) -> None:
    msg = f"{name} is not a number"
    raise ValueError(msg)


def _whole(text: str) -> int:
    if len(text.lstrip("-")) > DEFAULT_LIMITS.max_digits:
        msg = f"a number of more than {DEFAULT_LIMITS.max_digits} digits"
        raise ValueError(msg)
    return int(text)


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object's mapping, refused if a key repeats (which :func:`json.loads` would merge)."""
    found = dict(pairs)
    if len(found) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                msg = f"the key '{key}' is repeated"
                raise ValueError(msg)
            seen.add(key)
    return found


_DECODER = json.JSONDecoder(
    object_pairs_hook=_unique, parse_constant=_refuse_constant, parse_int=_whole
)
"""Parses JSON as a case file's is: no repeated key, no NaN, no over-long number. One for
all records, as making a decoder per record would take longer than most records' parse."""


def _loads(text: str) -> Any:
    """The one JSON value *text* holds, parsed by :data:`_DECODER`."""
    try:
        data, end = _DECODER.raw_decode(text)
    except ValueError:
        end = -1
    if end != len(text):  # not JSON, white space around it, or a second value: decode says which
        data = _DECODER.decode(text)
    return data


class Store:
    """A case kept in SQLite: add and update records in transactions, query them in SQL.

    Open one with :func:`open_store`; close it, or use it as a context manager. The query
    methods mirror :class:`~claimtrack.Case` (:meth:`attributions_of`, :meth:`said_by`,
    :meth:`attributions_in`, :meth:`claims_of`, :meth:`documents_of`, :meth:`chain`,
    :meth:`origin`), and :meth:`to_case` reads the whole store into a case.

    A store holds any number of cases (:meth:`cases` lists them): reading and adding use
    the one chosen with :meth:`choose` (or ``open_store(..., case=NAME)``), which may be
    left out when the store holds one. :meth:`search` finds text across them.

    Attributes:
        path: The file of the store.
    """

    def __init__(self, path: str, *, timeout: float = 30.0, budget: float = QUERY_BUDGET) -> None:
        """Set up a store for *path*; :func:`open_store` opens and checks it."""
        self.path = path
        self._timeout = timeout
        self._clock = _Clock(budget)
        self._db: sqlite3.Connection | None = None
        self._create = False
        self._making = False  # the store is being made: a failure removes it
        self._writing = False  # the connection may write (and the store's header says WAL)
        self._changing = False  # a write is under way: a failure leaves the store as it was
        self._tidy = False  # closing removes the -wal and -shm files the read-only reading made
        self._version = 0
        self._chosen: str | None = None  # the name of the case reads and writes use

    # ---- opening --------------------------------------------------------------------

    def _problem(self, message: str, place: str = "") -> StoreError:
        return StoreError([Problem(place, message, file=self.path)])

    def _damaged(self, place: str, what: str) -> StoreError:
        return self._problem(f"is damaged: {what}; restore the store from a backup", place)

    def _open(self, *, create: bool, made: bool) -> None:
        """Open the store read-only and check it; make it, if *create* and it is empty."""
        self._create = create
        self._making = made
        # a read-only connection to a WAL store makes SQLite's -wal and -shm files but cannot
        # remove them; closing removes them when they were not there before
        self._tidy = _in_wal_mode(self.path) and not any(
            Path(self.path + s).exists() for s in ("-wal", "-shm")
        )
        self._db = self._connection(write=False)
        self._clock.start()
        try:
            self._db.execute("PRAGMA application_id").fetchone()
        except sqlite3.Error as e:
            if not self._folder_read_only(e):
                raise self._failure(e) from None
            # a WAL store in a folder SQLite cannot write its shared-memory file in: read it
            # as a file nothing changes, which it cannot be while its log cannot be made
            self._db.close()
            self._db = self._connection(write=False, immutable=True)
        self._version = self._inspect()
        if self._version == 0:  # an empty file, which only create may make a store of
            with self._write():
                pass
        self._making = False

    def _folder_read_only(self, e: sqlite3.Error) -> bool:
        """Whether *e* is SQLite failing to make a WAL store's side files in a read-only folder.

        Raises:
            StoreError: The store's log holds transactions that reading it as unchanging
                would miss.
        """
        code = getattr(e, "sqlite_errorcode", None)
        if code is None or not _in_wal_mode(self.path):
            return False
        if code not in (sqlite3.SQLITE_READONLY_DIRECTORY, sqlite3.SQLITE_READONLY_CANTINIT) and (
            code & 0xFF != sqlite3.SQLITE_CANTOPEN
        ):
            return False
        with contextlib.suppress(OSError):
            if Path(f"{self.path}-wal").stat().st_size:
                msg = (
                    f"cannot be read where it is: its log ({Path(self.path).name}-wal) holds "
                    "changes, and SQLite cannot open the log in a read-only folder; copy the "
                    "store with its -wal file to a folder you can write to"
                )
                raise self._problem(msg) from None
        return True

    def _connection(self, *, write: bool, immutable: bool = False) -> sqlite3.Connection:
        """A connection to the store, under the time budget and trusting nothing in its schema.

        ``trusted_schema`` off keeps functions with side effects out of anything the
        schema holds; ``query_only`` makes a read-only connection refuse even the writes
        SQLite would allow it (to temporary tables); ``cell_size_check`` finds damaged
        pages before they are used.
        """
        try:
            db = _connect(self.path, write=write, timeout=self._timeout, immutable=immutable)
        except sqlite3.Error as e:
            raise self._failure(e) from None
        try:
            db.set_progress_handler(self._clock, _STEPS)
            db.execute("PRAGMA trusted_schema = OFF")
            db.execute("PRAGMA cell_size_check = ON")
            if not write:
                db.execute("PRAGMA query_only = ON")
        except sqlite3.Error as e:
            db.close()
            raise self._failure(e) from None
        return db

    def _inspect(self) -> int:
        """Check that the file is a claimtrack store this claimtrack reads; its schema version.

        Only the header and ``sqlite_master`` are read: nothing in the schema runs before
        it is known to be claimtrack's.
        """
        app = self._value("PRAGMA application_id")
        version = self._value("PRAGMA user_version")
        rows = self._rows("SELECT type, name, sql FROM sqlite_master")
        if app != APPLICATION_ID and (rows or app):
            raise self._problem("is not a claimtrack store (an SQLite database of another kind)")
        if app != APPLICATION_ID and not self._create:
            # an empty file: reading it must not turn it into a store
            raise self._problem("is not a claimtrack store (an empty file)")
        if version > len(MIGRATIONS):
            raise self._problem(
                f"was written by a newer claimtrack (schema {version}; this one reads up to "
                f"{len(MIGRATIONS)}); upgrade claimtrack"
            )
        if app == APPLICATION_ID and version < 1:
            # claimtrack sets both in the transaction that makes the tables
            raise self._damaged(
                "", f"its schema version is {version}, which claimtrack never writes"
            )
        wrong = _foreign(rows, version)
        if wrong is not None:
            raise self._problem(wrong)
        return int(version)

    def _writable(self) -> None:
        """Reopen the store for writing, checking it again: it may have changed since it was read."""
        if self._writing:
            return
        reading, self._db = self._db, self._connection(write=True)
        try:
            self._inspect()
            # only a write changes the header: WAL lets several processes write at once
            self._run("PRAGMA journal_mode = WAL")
            self._run("PRAGMA synchronous = NORMAL")
        except BaseException:
            self._conn.close()
            self._db = reading
            raise
        if reading is not None:
            reading.close()
        self._writing = True
        self._tidy = False  # the writing connection's close removes SQLite's side files

    def close(self) -> None:
        """Close the store; what was committed stays."""
        db, self._db = self._db, None
        if db is None:
            return
        db.close()
        if self._tidy:
            _tidy(self.path, self._timeout)

    def __enter__(self) -> Store:  # noqa: PYI034 - Store is not meant to be subclassed
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        try:
            counts = f"{self._total('claims')} claims, {self._total('attributions')} attributions"
        except StoreError:
            counts = "closed or unreadable"
        return f"<Store {self.path!r}: {counts}>"

    # ---- running SQL ----------------------------------------------------------------

    @property
    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            raise self._problem("is closed: open it again with open_store")
        return self._db

    def _failure(self, e: sqlite3.Error) -> StoreError:
        """The StoreError for the SQLite error *e*: what happened, in words a user can act on."""
        code = getattr(e, "sqlite_errorcode", None)
        primary = None if code is None else code & 0xFF
        text = str(e)
        if self._making:
            after = "the store was not made; "
        elif self._changing:
            after = "nothing was written, and the store is as it was; "
        else:
            after = ""
        if primary == sqlite3.SQLITE_INTERRUPT and self._clock.spent:
            msg = (
                f"a query ran past the time budget of {self._clock.seconds:g} s and was "
                "stopped: the store may be crafted to hang claimtrack, or be too large for the "
                "budget; use a store you trust, or open it with a larger budget "
                "(open_store(..., budget=seconds))"
            )
        elif (
            primary == sqlite3.SQLITE_FULL
            or "disk is full" in text
            or (primary == sqlite3.SQLITE_IOERR and self._no_room())
        ):
            msg = f"disk full: {after}free some space and try again"
        elif primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            msg = (
                f"is busy: another program kept it locked for over {self._timeout:g} s; "
                f"{after}try again when that program is done"
            )
        elif primary == sqlite3.SQLITE_READONLY:
            msg = (
                f"cannot be written, as the file or its folder is read-only ({text}); {after}"
                "copy the store to a folder you can write to, or change the permissions"
            )
        elif primary in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH):
            need = "read and write it and its folder" if self._changing else "read it"
            msg = f"cannot be opened ({text}): check that you may {need}"
        elif primary == sqlite3.SQLITE_NOTADB:
            msg = "is not a claimtrack store (not an SQLite database)"
        elif primary == sqlite3.SQLITE_IOERR:
            msg = f"cannot be read or written ({text}): {after}check the disk and try again"
        else:  # damaged pages, a schema that no longer parses, text that is not UTF-8
            doing = "written" if self._changing else "read"
            msg = f"is damaged and cannot be {doing}: {text}; {after}restore it from a backup"
        return self._problem(msg)

    def _no_room(self) -> bool:
        try:
            return shutil.disk_usage(Path(self.path).absolute().parent).free < _ROOM
        except OSError:
            return False

    def _run(self, sql: str, params: _Params = ()) -> sqlite3.Cursor:
        """Run one statement under the time budget; a failure is a StoreError."""
        db = self._conn
        self._clock.start()
        try:
            return db.execute(sql, params)
        except sqlite3.Error as e:
            raise self._failure(e) from None

    def _rows(self, sql: str, params: _Params = ()) -> list[Any]:
        """Every row a query gives, read under the time budget; a failure is a StoreError."""
        db = self._conn
        self._clock.start()
        try:
            return db.execute(sql, params).fetchall()
        except sqlite3.Error as e:
            raise self._failure(e) from None
        except UnicodeDecodeError as e:  # sqlite3 decodes some text itself, and fails so
            raise self._damaged("", f"it holds text that is not UTF-8 ({e.reason})") from None

    def _value(self, sql: str, params: _Params = ()) -> Any:
        """The one value a query gives."""
        return self._rows(sql, params)[0][0]

    def _many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for each of *rows*, each under the time budget.

        A taken id (``sqlite3.IntegrityError``) is left for the caller to word.
        """
        db = self._conn

        def timed() -> Iterator[Sequence[Any]]:
            for row in rows:
                self._clock.start()
                yield row

        try:
            db.executemany(sql, timed())
        except sqlite3.IntegrityError:
            raise
        except sqlite3.Error as e:
            raise self._failure(e) from None

    @contextlib.contextmanager
    def _write(self) -> Iterator[None]:
        """One write transaction: all of it is committed, or none of it.

        The first write opens the store for writing and brings its schema up to date, in
        the same transaction. When SQLite has undone the transaction itself (as it does on
        a full disk), there is nothing to roll back, and the error says what happened.
        """
        version = self._version
        self._changing = True
        try:
            self._writable()
            self._run("BEGIN IMMEDIATE")
            self._migrate()
            yield
            self._run("COMMIT")
        except sqlite3.Error as e:  # one of sqlite3's own, which the code above did not word
            error = self._failure(e)  # before the rollback, which restarts the clock
            self._version = version
            self._rollback()
            raise error from None
        except BaseException:
            self._version = version
            self._rollback()
            raise
        finally:
            self._changing = False

    def _migrate(self) -> None:
        """Bring the schema up to date, inside the write transaction."""
        now = int(self._value("PRAGMA user_version"))  # another process may have won
        if now > len(MIGRATIONS):
            msg = "was upgraded by a newer claimtrack meanwhile; upgrade claimtrack"
            raise self._problem(msg)
        if now < len(MIGRATIONS):
            for step in MIGRATIONS[now:]:
                for statement in step.split(";"):
                    if statement.strip():
                        self._run(statement)
            self._run(f"PRAGMA application_id = {APPLICATION_ID}")
            self._run(f"PRAGMA user_version = {len(MIGRATIONS)}")
            self._version = len(MIGRATIONS)
            if now < 3:  # noqa: PLR2004 - the index of schema 3 stems, and holds titles and notes
                self._reindex()
        self._version = len(MIGRATIONS)

    def _rollback(self) -> None:
        """Undo the open transaction, if SQLite has not: a failure to undo must not hide why."""
        db = self._db
        if db is not None and db.in_transaction:
            self._clock.start()
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")

    def _total(self, table: str) -> int:
        """How many rows *table* holds, in every case."""
        return int(self._value(f"SELECT count(*) FROM {table}"))  # noqa: S608 - our own table names

    def _count(self, table: str) -> int:
        where = self._scope(table) if table in _SCOPED else "1"
        return int(self._value(f"SELECT count(*) FROM {table} WHERE {where}"))  # noqa: S608 - our own table names

    # ---- cases ----------------------------------------------------------------------

    def cases(self) -> list[CaseInfo]:
        """The cases the store holds, in the order they were added, with what each holds.

        A store made before claimtrack kept several cases holds one, named by its title.
        """
        if self._version < 3:  # noqa: PLR2004 - one case, the whole store
            if not any(self._count(t) for t in ("sources", "questions", "claims")) and (
                self._meta("title") is None
            ):
                return []
            title = self._meta("title") or "Untitled case"
            counts = [self._value(f"SELECT count(*) FROM {t}") for t in _COUNTED]  # noqa: S608
            return [CaseInfo(title, title, self._meta("description"), *map(int, counts))]
        rows = self._rows("SELECT id, name, title, description FROM cases ORDER BY id")
        out = []
        for cid, name, title, description in rows:
            if type(cid) is not int or type(name) is not str or type(title) is not str:
                raise self._damaged(
                    f"cases[{cid}]", "its id, name or title is not as claimtrack writes it"
                )
            counts = []
            for table in _COUNTED:
                where = self._scope(table, cid)
                counts.append(int(self._value(f"SELECT count(*) FROM {table} WHERE {where}")))  # noqa: S608
            out.append(CaseInfo(name, title, description, *counts))
        return out

    def choose(self, name: str) -> None:
        """Make the case named *name* the one reading and adding use.

        Raises:
            StoreError: The store holds no case of that name; the message lists those it holds.
        """
        names = [c.name for c in self.cases()]
        if name not in names:
            held = (
                f"it holds {_listed([_shown(n) for n in names], most=10)}"
                if names
                else "it holds no case"
            )
            raise self._problem(f"holds no case named {_shown(name)}: {held}")
        self._chosen = name

    @property
    def chosen(self) -> str | None:
        """The name of the case chosen with :meth:`choose` (or ``open_store(..., case=...)``)."""
        return self._chosen

    def _case_id(self) -> int:
        """The id of the case reading uses: the chosen one, or the store's only case (0: none).

        Raises:
            StoreError: No case was chosen and the store holds several.
        """
        if self._version < 3:  # noqa: PLR2004 - the whole store is one case
            return 1
        if self._chosen is not None:
            rows = self._rows("SELECT id FROM cases WHERE name = ?", (self._chosen,))
            if not rows:
                raise self._problem(f"holds no case named {_shown(self._chosen)} any more")
            return int(rows[0][0])
        rows = self._rows("SELECT id, name FROM cases ORDER BY id LIMIT 11")
        if len(rows) > 1:
            names = [_shown(r[1]) for r in rows[:10]]
            more = " and more" if len(rows) > 10 else ""  # noqa: PLR2004
            msg = (
                f"holds several cases ({', '.join(names)}{more}): choose one with --case NAME "
                "(in Python, open_store(path, case=NAME)); claimtrack cases STORE lists them"
            )
            raise self._problem(msg)
        return int(rows[0][0]) if rows else 0

    def _new_case(self, name: str, title: str, description: str | None) -> int:
        """The id of the case named *name*, made with *title* if the store holds none (in a write)."""
        rows = self._rows("SELECT id FROM cases WHERE name = ?", (name,))
        if rows:
            return int(rows[0][0])
        self._run(
            "INSERT INTO cases (name, title, description) VALUES (?, ?, ?)",
            (name, title, description),
        )
        return int(self._value("SELECT id FROM cases WHERE name = ?", (name,)))

    def _target(self) -> int:
        """The case that :meth:`add` and :meth:`update` write to (in a write): made if the store has none."""
        cid = self._case_id()
        return cid or self._new_case("Untitled case", "Untitled case", None)

    def _scope(self, table: str, cid: int | None = None) -> str:
        """The SQL condition picking the rows of *table* that belong to the case *cid* (default: the read one).

        The case's id is an integer read from the store's own table, put into the SQL as one.
        """
        if self._version < 3:  # noqa: PLR2004
            return "1"
        case = int(self._case_id() if cid is None else cid)
        if table in _SHARED:
            return f"id IN (SELECT id FROM members WHERE case_id = {case} AND kind = '{table}')"  # noqa: S608
        return f"case_id = {case}"

    # ---- writing --------------------------------------------------------------------

    def import_case(
        self,
        case: Case,
        *,
        name: str | None = None,
        on_conflict: str = "refuse",
        origin: str | None = None,
    ) -> None:
        """Add every record of *case* to the store, as the case *name* (default: its title), in one transaction.

        A store holds any number of cases. Questions, claims, attributions and relations are
        the case's own, so their ids may repeat those of another case; importing into a
        case already in the store adds to it. Sources, documents and evidence are shared
        by id: one the store holds with the same content is reused, one with different
        content is refused, naming each field that differs, unless *on_conflict* says
        ``"keep"`` (the store's stays) or ``"replace"`` (the case's replaces it, in every
        case that holds it).

        Args:
            case: The case to add.
            name: The name of the case in the store; its title by default.
            on_conflict: ``"refuse"``, ``"keep"`` or ``"replace"``.
            origin: What the case came from (a file name), for messages.

        Raises:
            IntegrityError: A record differs from the store's record of that id, repeats
                an id the case holds, or refers to one it lacks; nothing is added.
            ValueError: *on_conflict* is none of the three.
        """
        _check_policy(on_conflict)
        # A case the bulk loader proved to fit together, untouched since, refers only to
        # its own records; all of them go in, or are the store's records of the same
        # content (other content is refused), so its rows can name nothing the store
        # lacks and the store's search for such names is not run. Keeping or replacing
        # the store's records can break other references, so then the search runs.
        alone = case._proven and on_conflict == "refuse"  # noqa: SLF001
        with self._write(), gc_paused():  # rows by the hundred thousand, none in a cycle
            cid = self._new_case(name or case.title, case.title, case.description)
            self._insert(
                [
                    *case.sources.values(),
                    *case.documents.values(),
                    *case.evidence.values(),
                    *case.questions.values(),
                    *case.claims.values(),
                    *case.attributions,
                    *case.relations,
                ],
                cid,
                on_conflict=on_conflict,
                origin=origin or f"the case '{case.title}'",
                fits=alone,
            )

    def add(self, *records: object) -> None:
        """Add records (any mix, in an order where each refers only to earlier ones or the store's).

        They go to the chosen case (see :meth:`choose`), or the store's only one. A source,
        document or item of evidence the store holds with the same content is reused.

        Raises:
            IntegrityError: An id is taken or unknown, or a chain loops; nothing is added.
        """
        with self._write():
            self._insert(records, self._target(), origin="the records added")

    def update(self, record: Source | Document | Evidence | Question | Claim) -> None:
        """Put *record* in place of the stored record with its id.

        A question or claim is the chosen case's; a source, document or item of evidence is
        shared, and replaced in every case that holds it. Attributions and relations are
        append-only: add a retraction or a new relation.

        Raises:
            IntegrityError: No record has that id, or the new one refers to an unknown id.
        """
        with self._write():
            table = _TABLES[type(record)]
            cid = self._target()
            where = "1" if table in _SHARED else f"case_id = {cid}"
            found = self._rows(f"SELECT 1 FROM {table} WHERE id = ? AND {where}", (record.id,))  # noqa: S608
            if not found:
                raise IntegrityError(
                    [
                        Problem(
                            f"{table}.{record.id}",
                            f"no {_noun(table)} '{record.id}' to replace",
                            file=self.path,
                        )
                    ]
                )
            self._run(f"DELETE FROM {table} WHERE id = ? AND {where}", (record.id,))  # noqa: S608
            self._unindex(table, record.id, None if table in _SHARED else cid)
            self._insert([record], cid)

    def set_title(self, title: str, description: str | None = None) -> None:
        """Set what the chosen case (or the store's only one) is about; its name stays."""
        with self._write():
            cid = self._target()
            self._run(
                "UPDATE cases SET title = ?, description = ? WHERE id = ?",
                (title, description, cid),
            )

    def _meta(self, key: str) -> str | None:
        rows = self._rows("SELECT value FROM meta WHERE key = ?", (key,))
        value = rows[0][0] if rows else None
        if value is not None and type(value) is not str:
            raise self._damaged(f"meta.{key}", "it is not text")
        return value

    def _set_meta(self, key: str, value: str | None) -> None:
        self._run("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def _insert(  # noqa: C901, PLR0915 - one branch per kind
        self,
        records: Iterable[object],
        cid: int,
        *,
        on_conflict: str = "refuse",
        origin: str = "the records added",
        fits: bool = False,
    ) -> None:
        """Add *records* to the case *cid*, refused whole if any refers to an id the store lacks.

        *fits* says the records refer only to each other and to shared records of the same
        content, so that no reference can be unknown: the search for unknown ones is skipped.
        """
        rows: dict[str, list[tuple[Any, ...]]] = {
            t: [] for t in (*_TABLES.values(), "attributions", "based_on", "relations", "search")
        }
        shared: list[tuple[str, str, object, type]] = []  # table, id, record, class
        seq = self._next_seq("attributions")
        _json = _encoders()
        for record in records:
            if isinstance(record, Source):
                rows["sources"].append(
                    (record.id, record.name, record.kind.value, _json(record, Source))
                )
                shared.append(("sources", record.id, record, Source))
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
                shared.append(("documents", record.id, record, Document))
            elif isinstance(record, Evidence):
                rows["evidence"].append((record.id, record.kind.value, _json(record, Evidence)))
                shared.append(("evidence", record.id, record, Evidence))
            elif isinstance(record, Question):
                rows["questions"].append((cid, record.id, record.text, _json(record, Question)))
                rows["search"] += _index_rows(cid, "questions", record.id, record)
            elif isinstance(record, Claim):
                rows["claims"].append(
                    (cid, record.id, record.question, record.text, _json(record, Claim))
                )
                rows["search"] += _index_rows(cid, "claims", record.id, record)
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
                        cid,
                    )
                )
                rows["based_on"] += [(seq, e) for e in record.based_on]
                if record.hedge is not None and (wrong := hedge_problem(record)) is not None:
                    raise IntegrityError(
                        [Problem(f"attributions[{seq}].hedge", wrong, file=self.path)]
                    )
                rows["search"] += _index_rows(cid, "attributions", str(seq), record)
                seq += 1
            elif isinstance(record, Relation):
                rows["relations"].append(
                    (*(record.kind.value, *record.claims), _json(record, Relation), cid)
                )
            else:
                msg = f"a store holds sources, documents, evidence, questions, claims, attributions and relations, not {type(record).__name__}"
                raise TypeError(msg)
        self._settle(shared, rows, on_conflict, origin)
        # the day of an undated attribution is its document's day of publication: known
        # here for the documents added; the store's own are looked up after the rows
        days = {r[0]: r[2][:10] for r in rows["documents"] if r[2] is not None}
        rows["attributions"] = [
            (*r[:5], days.get(r[4]), *r[6:]) if r[5] is None and r[4] is not None else r
            for r in rows["attributions"]
        ]
        many = self._many
        try:
            many("INSERT INTO sources VALUES (?, ?, ?, ?)", rows["sources"])
            many("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?)", rows["documents"])
            many("INSERT INTO evidence VALUES (?, ?, ?)", rows["evidence"])
            many(
                "INSERT INTO questions (case_id, id, text, data) VALUES (?, ?, ?, ?)",
                rows["questions"],
            )
            many(
                "INSERT INTO claims (case_id, id, question, text, data) VALUES (?, ?, ?, ?, ?)",
                rows["claims"],
            )
        except sqlite3.IntegrityError:
            raise IntegrityError(self._taken(rows, cid)) from None
        many(
            "INSERT OR IGNORE INTO members VALUES (?, ?, ?)",
            [(cid, table, rid) for table, rid, _, _ in shared],
        )
        with self._indexes_after("attributions", len(rows["attributions"])):
            many(
                "INSERT INTO attributions (seq, claim, source, stance, document, day, quote, "
                "data, aid, withdraws, case_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows["attributions"],
            )
        with self._indexes_after("based_on", len(rows["based_on"])):
            many("INSERT INTO based_on VALUES (?, ?)", rows["based_on"])
        many(
            "INSERT INTO relations (kind, first, second, data, case_id) VALUES (?, ?, ?, ?, ?)",
            rows["relations"],
        )
        many(
            "INSERT INTO search (case_id, kind, tab, ref, label, shown, body) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows["search"],
        )
        # ... and for documents the store held already
        self._run(
            "UPDATE attributions SET day = (SELECT substr(published, 1, 10) FROM documents d "
            "WHERE d.id = attributions.document) WHERE day IS NULL AND seq >= ? AND document IS NOT NULL",
            (self._next_seq("attributions") - len(rows["attributions"]),),
        )
        problems = [] if fits else self._unknown_refs()
        if problems:
            raise IntegrityError(problems)

    def _settle(
        self,
        shared: list[tuple[str, str, object, type]],
        rows: dict[str, list[tuple[Any, ...]]],
        on_conflict: str,
        origin: str,
    ) -> None:
        """Reuse the shared records the store holds already; settle those that differ by *on_conflict*.

        A record the store holds with the same content is not inserted again, only listed
        as the case's. One that differs is refused with each differing field named, kept
        as the store has it, or put in its place.

        Raises:
            IntegrityError: A record differs from the store's and *on_conflict* is ``"refuse"``.
        """
        differing: list[Problem] = []
        drop: set[tuple[str, str]] = set()
        held = self._held(shared)
        for table, rid, record, cls in shared:
            data = held.get((table, rid), _ABSENT)
            if data is _ABSENT:
                continue
            old = _loads(data) if type(data) is str else None
            if type(old) is not dict:
                raise self._damaged(_place(table, rid), "its record is not a JSON object")
            new = CONVERTER.unstructure(record, cls)
            if old == new or on_conflict == "keep":
                drop.add((table, rid))
            elif on_conflict == "replace":
                self._run(f"DELETE FROM {table} WHERE id = ?", (rid,))  # noqa: S608
                self._unindex(table, rid, None)
            else:
                differing += [
                    Problem(
                        f"{table}.{rid}.{field}",
                        f"{_value(old, field)} in the store, {_value(new, field)} in {origin}",
                        file=self.path,
                    )
                    for field in _fields_differing(old, new)
                ]
        if differing:
            differing.append(
                Problem(
                    "",
                    "a source, document or item of evidence of that id is in the store with "
                    "other content, and nothing was added: keep the store's with "
                    "--on-conflict keep (on_conflict='keep'), or replace it with "
                    "--on-conflict replace",
                    file=self.path,
                )
            )
            raise IntegrityError(differing)
        for table in _SHARED:
            rows[table] = [r for r in rows[table] if (table, r[0]) not in drop]
        rows["search"] = [
            r for r in rows["search"] if not (r[2] in _SHARED and (r[2], r[3]) in drop)
        ]
        rows["search"] += [
            row
            for table, rid, record, _ in shared
            if (table, rid) not in drop
            for row in _index_rows(None, table, rid, record)
        ]

    @contextlib.contextmanager
    def _indexes_after(self, table: str, adding: int) -> Iterator[None]:
        """Build *table*'s indexes once after the block's rows, when it adds most of the table.

        Keeping an index up to date row by row costs several times what building it once
        costs; the indexes are dropped and made again in the same transaction, so a
        failure leaves them as they were. A few rows into a large table keep them.
        """
        if adding < _BULK_ROWS or adding < (self._value(f"SELECT max(rowid) FROM {table}") or 0):  # noqa: S608 - a table of ours
            yield
            return
        indexes = self._rows(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL",
            (table,),
        )
        for name, _ in indexes:
            self._run(f'DROP INDEX "{name}"')
        yield
        for _, sql in indexes:
            self._run(sql)

    def _held(
        self, shared: Sequence[tuple[str, str, object, type]]
    ) -> dict[tuple[str, str], object]:
        """The stored data of those of *shared* the store holds, by table and id.

        Looked up a few hundred ids a query: one query per record made importing tens of
        thousands of sources and documents take seconds.
        """
        held: dict[tuple[str, str], object] = {}
        by_table: dict[str, list[str]] = {}
        for table, rid, _, _ in shared:
            by_table.setdefault(table, []).append(rid)
        for table, ids in by_table.items():
            if not self._rows(f"SELECT 1 FROM {table} LIMIT 1"):  # noqa: S608 - a table of ours
                continue  # nothing held: a new store, or the first case of a kind
            for at in range(0, len(ids), _IDS_A_QUERY):
                chunk = ids[at : at + _IDS_A_QUERY]
                marks = ", ".join("?" * len(chunk))
                query = f"SELECT id, data FROM {table} WHERE id IN ({marks})"  # noqa: S608
                held.update(((table, rid), data) for rid, data in self._rows(query, chunk))
        return held

    def _unindex(self, table: str, rid: str, cid: int | None) -> None:
        """Take the search rows of one record out of the index."""
        if cid is None:
            self._run(
                "DELETE FROM search WHERE tab = ? AND ref = ? AND case_id IS NULL", (table, rid)
            )
        else:
            self._run(
                "DELETE FROM search WHERE tab = ? AND ref = ? AND case_id = ?", (table, rid, cid)
            )

    def _reindex(self) -> None:
        """Fill the search index from the records (in the write that brings a store to schema 3)."""
        self._run("DELETE FROM search")
        rows: list[tuple[Any, ...]] = []
        shared: tuple[tuple[str, type[Any]], ...] = (
            ("sources", Source),
            ("documents", Document),
            ("evidence", Evidence),
        )
        for table, cls in shared:
            for record in self._records(cls, table, "ORDER BY rowid", scoped=False):
                rows += _index_rows(None, table, record.id, record)
        own: tuple[tuple[str, type[Any]], ...] = (("questions", Question), ("claims", Claim))
        for table, cls in own:
            query = f"SELECT case_id, id, data FROM {table} ORDER BY rowid"  # noqa: S608
            for cid, rid, text in self._rows(query):
                item = self._structure(cls, table, rid, text)
                rows += _index_rows(cid, table, rid, item)
        for cid, seq, text in self._rows(
            "SELECT case_id, seq, data FROM attributions ORDER BY seq"
        ):
            record = self._structure(Attribution, "attributions", seq, text)
            rows += _index_rows(cid, "attributions", str(seq), record)
        self._many(
            "INSERT INTO search (case_id, kind, tab, ref, label, shown, body) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )

    def _structure(self, cls: type[Any], table: str, rid: object, text: object) -> Any:
        data = _loads(text) if type(text) is str else None
        if type(data) is not dict:
            raise self._damaged(_place(table, rid), "its record is not a JSON object")
        try:
            return CONVERTER.structure({"id": rid, **data} if table in _KEYED else data, cls)
        except (BaseValidationError, ValueError, TypeError) as e:
            raise self._damaged(
                _place(table, rid), f"its record is not a valid {_noun(table)} ({e})"
            ) from None

    def _next_seq(self, table: str) -> int:
        query = f"SELECT coalesce(max(seq), -1) + 1 FROM {table}"  # noqa: S608 - our own names
        return int(self._value(query))

    def _taken(self, rows: dict[str, list[tuple[Any, ...]]], cid: int) -> list[Problem]:
        out = []
        for table in _TABLES.values():
            seen: set[str] = set()
            shared = table in _SHARED
            where = "1" if shared else f"case_id = {int(cid)}"
            for row in rows[table]:
                rid = row[0] if shared else row[1]
                stored = self._rows(f"SELECT 1 FROM {table} WHERE id = ? AND {where}", (rid,))  # noqa: S608
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

    def _has(self, table: str, ref: str, case: str) -> str:
        """SQL for: the case *case* (an SQL expression) holds a record of *table* whose id is *ref*."""
        if self._version < 3:  # noqa: PLR2004 - one case
            return f"EXISTS (SELECT 1 FROM {table} x WHERE x.id = {ref})"  # noqa: S608
        if table in _SHARED:
            return (
                f"EXISTS (SELECT 1 FROM members x WHERE x.case_id = {case} "  # noqa: S608
                f"AND x.kind = '{table}' AND x.id = {ref})"
            )
        return f"EXISTS (SELECT 1 FROM {table} x WHERE x.id = {ref} AND x.case_id = {case})"  # noqa: S608

    def _unknown_refs(self) -> list[Problem]:
        """Every reference in the store to an id its case lacks (run inside the writing transaction)."""
        checks = [
            ("claims", "id", "question", "questions", "question"),
            ("attributions", "seq", "claim", "claims", "claim"),
            ("attributions", "seq", "source", "sources", "source"),
            ("attributions", "seq", "document", "documents", "document"),
            ("relations", "seq", "first", "claims", "claim"),
            ("relations", "seq", "second", "claims", "claim"),
        ]
        out = []
        v3 = self._version >= 3  # noqa: PLR2004
        if v3:  # a case's documents name a publisher the case holds
            rows = self._rows(
                "SELECT m.id, d.publisher FROM members m JOIN documents d ON d.id = m.id "  # noqa: S608
                "WHERE m.kind = 'documents' AND NOT "
                + self._has("sources", "d.publisher", "m.case_id")
                + " LIMIT 20"
            )
        else:
            rows = self._rows(
                "SELECT t.id, t.publisher FROM documents t WHERE NOT "  # noqa: S608
                + self._has("sources", "t.publisher", "")
                + " LIMIT 20"
            )
        for rid, ref in rows:
            out.append(
                Problem(f"documents.{rid}.publisher", f"unknown source '{ref}'", file=self.path)
            )
        for table, key, column, target, noun in checks:
            case = "t.case_id" if v3 else ""
            rows = self._rows(
                f"SELECT t.{key}, t.{column} FROM {table} t WHERE t.{column} IS NOT NULL "  # noqa: S608 - our own names
                f"AND NOT {self._has(target, f't.{column}', case)} LIMIT 20"
            )
            for rid, ref in rows:
                place = f"{table}[{rid}].{column}" if key == "seq" else f"{table}.{rid}.{column}"
                out.append(Problem(place, f"unknown {noun} '{ref}'", file=self.path))
        return out + self._unknown_who()

    def _unknown_who(self) -> list[Problem]:
        """What the fields of who stands behind a claim name and the case lacks, or repeat."""
        out = []
        v3 = self._version >= 3  # noqa: PLR2004
        case = "t.case_id" if v3 else ""
        for table, field in (("questions", "parties"), ("claims", "blames")):
            rows = self._rows(
                f"SELECT t.id, j.key, j.value FROM {table} t, json_each(t.data, '$.{field}') j "  # noqa: S608 - our own names
                f"WHERE instr(t.data, '\"{field}\"') AND j.type = 'text' AND NOT "
                f"{self._has('sources', 'j.value', case)} LIMIT 20"
            )
            alone = f"json_extract(t.data, '$.{field}')"
            rows += self._rows(  # one id alone, not in a list
                f"SELECT t.id, 0, json_extract(t.data, '$.{field}') FROM {table} t "  # noqa: S608 - our own names
                f"WHERE instr(t.data, '\"{field}\"') AND json_type(t.data, '$.{field}') = 'text' "
                f"AND NOT {self._has('sources', alone, case)} LIMIT 20"
            )
            out += [
                Problem(f"{table}.{rid}.{field}[{i}]", f"unknown source '{ref}'", file=self.path)
                for rid, i, ref in rows
            ]
        if self._version < 2:  # noqa: PLR2004 - schema 1 has no evidence, ids or withdrawals
            return out
        for seq, ref in self._rows(
            "SELECT b.seq, b.evidence FROM based_on b JOIN attributions t ON t.seq = b.seq WHERE NOT "  # noqa: S608
            + self._has("evidence", "b.evidence", case)
            + " LIMIT 20"
        ):
            out.append(
                Problem(f"attributions[{seq}].based_on", f"no evidence '{ref}'", file=self.path)
            )
        # aid first: the planner then reads the partial index of the few ids given,
        # not the whole table in case order
        group = "aid, case_id" if v3 else "aid"
        for aid, first, seq in self._rows(
            "SELECT aid, min(seq), max(seq) FROM attributions WHERE aid IS NOT NULL "  # noqa: S608
            f"GROUP BY {group} HAVING count(*) > 1 LIMIT 20"
        ):
            out.append(
                Problem(
                    f"attributions[{seq}].id",
                    f"the id '{aid}' is taken by attributions[{first}]",
                    file=self.path,
                )
            )
        same = "AND b.case_id = a.case_id " if v3 else ""
        for seq, ref, claim in self._rows(
            "SELECT a.seq, a.withdraws, a.claim FROM attributions a WHERE a.withdraws IS NOT NULL "  # noqa: S608
            "AND NOT EXISTS (SELECT 1 FROM attributions b WHERE b.aid = a.withdraws "
            f"AND b.claim = a.claim {same}AND b.stance != 'retracts' AND b.seq != a.seq) LIMIT 20"
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
            StoreError: The store is damaged: a record is not the JSON of one record, or
                does not agree with its row.
        """
        return self._case({})

    def case_of(self, question: str | Question) -> Case:
        """The part of the store that bears on one *question*, as a case.

        It holds the question, its claims, their attributions and relations, every source,
        and the documents the attributions name: enough to assess the question alone, so
        that a corpus too large to read whole can be assessed a question at a time.
        """
        qid = question if isinstance(question, str) else question.id
        claims = f"SELECT id FROM claims WHERE question = :q AND {self._scope('claims')}"  # noqa: S608
        attributions = f"SELECT document FROM attributions WHERE {self._scope('attributions')} AND claim IN ({claims})"  # noqa: S608
        return self._case(
            {
                "documents": f"WHERE id IN ({attributions}) ORDER BY rowid",
                "questions": "WHERE id = :q",
                "claims": "WHERE question = :q ORDER BY rowid",
                "attributions": f"WHERE claim IN ({claims}) ORDER BY seq",
                "relations": f"WHERE first IN ({claims}) AND second IN ({claims}) ORDER BY seq",
            },
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
        home: dict[str, str] = {}  # a claim's question, or for a claim with none, the claim
        query = f"SELECT id, question FROM claims WHERE {self._scope('claims')} ORDER BY rowid"  # noqa: S608
        for cid, qid in self._rows(query):
            if type(cid) is not str or not (qid is None or type(qid) is str):
                raise self._damaged(_place("claims", cid), "its id or question is not text")
            home[cid] = qid if qid is not None else "\0" + cid
        parent: dict[str, str] = {}

        def root(node: str) -> str:
            while parent.get(node, node) != node:
                parent[node] = parent.get(parent[node], parent[node])
                node = parent[node]
            return node

        relations = (
            f"SELECT first, second FROM relations WHERE {self._scope('relations')} ORDER BY seq"  # noqa: S608
        )
        for first, second in self._rows(relations):
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
        """The claims *claims* and what bears on them, read as a case.

        The ids go in as one JSON parameter rather than a temporary table, which a
        read-only connection may not make.
        """
        mine = "SELECT value FROM json_each(:part)"
        attributions = f"SELECT document FROM attributions WHERE {self._scope('attributions')} AND claim IN ({mine})"  # noqa: S608
        questions = f"SELECT question FROM claims WHERE {self._scope('claims')} AND id IN ({mine})"  # noqa: S608
        return self._case(
            {
                "documents": f"WHERE id IN ({attributions}) ORDER BY rowid",
                "questions": f"WHERE id IN ({questions}) ORDER BY rowid",
                "claims": f"WHERE id IN ({mine}) ORDER BY rowid",
                "attributions": f"WHERE claim IN ({mine}) ORDER BY seq",
                "relations": f"WHERE first IN ({mine}) ORDER BY seq",
            },
            {"part": json.dumps(claims)},
        )

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
        query = f"SELECT id FROM questions WHERE {self._scope('questions')} ORDER BY rowid"  # noqa: S608
        ids = [r[0] for r in self._rows(query)]
        for qid in ids:
            if type(qid) is not str:
                raise self._damaged(_place("questions", qid), "its id is not text")
        return ids

    def _scoped(self, table: str, clause: str) -> str:
        """The clause *clause* (``WHERE ...`` or ``ORDER BY ...``) of *table*, kept to the read case."""
        scope = self._scope(table)
        if clause.startswith("WHERE "):
            return f"WHERE {scope} AND {clause[6:]}"
        return f"WHERE {scope} {clause}"

    def _select(self, table: str) -> str:
        """The query that reads the records of *table* with the columns they must agree with."""
        columns = _COLUMNS[table]
        if table == "attributions" and self._version < 2:  # noqa: PLR2004
            columns = columns.replace("aid, withdraws", "NULL, NULL")  # schema 1 has neither
        return f"SELECT {columns}, data FROM {table}"  # noqa: S608 - our own names

    def _case(self, where: Mapping[str, str], params: _Params = ()) -> Case:
        """The records each clause of *where* picks from its table (all, by default), as a case.

        Each record's JSON is parsed on its own and checked against its row, then the
        records are built into a case as a loaded case file's are, with the same checks.
        """
        rows = {
            table: []
            if table == "evidence" and self._version < 2  # noqa: PLR2004 - schema 1 has none
            else self._rows(
                f"{self._select(table)} {self._scoped(table, where.get(table, order))}", params
            )
            for table, order in _ORDER.items()
        }
        title, description = self._about()
        try:
            with gc_paused():
                data = self._data(rows, title, description)
                case = build(data, DEFAULT_LIMITS.max_text)
                if case is None:  # the detailed path, which words what is wrong
                    case = case_from_data(data, file=self.path)
                    errors = [p for p in case.validate(texts=False) if p.is_error]
                    if errors:
                        raise IntegrityError([attrs.evolve(p, file=self.path) for p in errors])
        except (ValueError, TypeError, RecursionError) as e:
            raise self._problem(
                f"is damaged and cannot be read: {e}; restore it from a backup"
            ) from None
        return case

    def _data(
        self, rows: Mapping[str, list[Any]], title: str, description: str | None
    ) -> dict[str, Any]:
        """The data of a case file holding the records of *rows*.

        The records are parsed one by one and put in place as data: no text from the
        store is ever pasted into a larger JSON document, where a crafted record could
        close itself and open another.
        """
        data: dict[str, Any] = {"claimtrack": FORMAT_VERSION, "title": title}
        if description is not None:
            data["description"] = description
        for table in _KEYED:
            records: dict[str, Any] = {}
            for row in rows[table]:
                record = self._parse(table, row)
                if row[0] in records:
                    raise self._damaged(_place(table, row[0]), "its id is in two rows")
                records[row[0]] = record
            if records or table != "evidence":  # a case with no evidence is read as written
                data[table] = records
        for table in ("attributions", "relations"):
            data[table] = [self._parse(table, row) for row in rows[table]]
        return data

    def _parse(self, table: str, row: Sequence[Any]) -> dict[str, Any]:
        """The record one row of *table* holds, parsed as data and checked against the row.

        The ``data`` column must be the JSON of one object, parsed on its own as a case
        file is (no repeated key, no NaN), agreeing with the row's other columns (an
        attribution holds the claim its row is indexed under), and a keyed record's id is
        its row's alone.

        Raises:
            StoreError: The row does not hold a record, or not the one its columns say.
        """
        text = row[-1]
        try:
            data = _loads(text) if type(text) is str else None
        except (ValueError, RecursionError) as e:
            place = _place(table, row[0])
            raise self._damaged(place, f"its record is not valid JSON ({e})") from None
        if type(data) is not dict or not _agrees(table, data, row):
            raise self._misfit(table, row, data)
        return data

    def _misfit(self, table: str, row: Sequence[Any], data: object) -> StoreError:
        """Why the row *row* of *table*, whose JSON parsed to *data*, holds no record that fits it."""
        key, place = row[0], _place(table, row[0])
        if type(row[-1]) is not str:
            return self._damaged(place, "its record is not JSON text")
        if not isinstance(data, dict):
            return self._damaged(place, "its record is not a JSON object")
        if table in _KEYED and type(key) is not str:
            return self._damaged(place, "its id is not text")
        if table in _KEYED and "id" in data:
            return self._damaged(place, "its record holds an id of its own")
        wrong = ", ".join(_disagreeing(table, data, row))
        return self._damaged(place, f"its record does not match its row ({wrong})")

    def _about(self) -> tuple[str, str | None]:
        """The title and description of the case read."""
        if self._version < 3:  # noqa: PLR2004
            return self._meta("title") or "Untitled case", self._meta("description")
        rows = self._rows("SELECT title, description FROM cases WHERE id = ?", (self._case_id(),))
        if not rows:
            return "Untitled case", None
        title, description = rows[0]
        if type(title) is not str or not (description is None or type(description) is str):
            raise self._damaged("cases", "its title or description is not text")
        return title, description

    def _records(
        self,
        cls: type[Any],
        table: str,
        where: str,
        params: _Params = (),
        *,
        scoped: bool = True,
    ) -> list[Any]:
        """The records of *table* that the clause *where* picks, each parsed and checked alone."""
        out = []
        clause = self._scoped(table, where) if scoped else where
        for row in self._rows(f"{self._select(table)} {clause}", params):
            data = self._parse(table, row)
            try:
                out.append(
                    CONVERTER.structure({"id": row[0], **data} if table in _KEYED else data, cls)
                )
            except (BaseValidationError, ValueError, TypeError) as e:
                raise self._damaged(
                    _place(table, row[0]), f"its record is not a valid {_noun(table)} ({e})"
                ) from None
        return out

    def _one(self, cls: type[Any], table: str, rid: str) -> Any:
        """The record of *cls* with id *rid* in *table* (a name of this module, not input).

        Raises:
            KeyError: The store holds no such record.
        """
        found = self._records(cls, table, "WHERE id = ?", (rid,), scoped=table not in _SHARED)
        if not found:
            raise KeyError(rid)
        return found[0]

    def source(self, source: str) -> Source:
        """The source with id *source*.

        Raises:
            KeyError: The store holds no such source.
        """
        return self._one(Source, "sources", source)  # type: ignore[no-any-return]

    def _stance(self, where: str, key: str, stance: Stance | str | None) -> list[Attribution]:
        if stance is None:
            return self._records(Attribution, "attributions", f"{where} ORDER BY seq", (key,))
        return self._records(
            Attribution,
            "attributions",
            f"{where} AND stance = ? ORDER BY seq",
            (key, Stance(stance).value),
        )

    def attributions_of(
        self, claim: str | Claim, stance: Stance | str | None = None
    ) -> list[Attribution]:
        """The attributions of *claim*, optionally of one *stance*, in the order recorded."""
        return self._stance("WHERE claim = ?", _id(claim), stance)

    def said_by(
        self, source: str | Source, stance: Stance | str | None = None
    ) -> list[Attribution]:
        """What *source* said (as the speaker), optionally with one *stance*."""
        return self._stance("WHERE source = ?", _id(source), stance)

    def attributions_in(self, document: str | Document) -> list[Attribution]:
        """The attributions a document carries."""
        return self._stance("WHERE document = ?", _id(document), None)

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
            "attributions",
            "WHERE day BETWEEN substr(:first, 1, 4) AND :last "
            "AND (day >= :first OR (length(day) < 10 AND day >= substr(:first, 1, length(day)))) "
            "ORDER BY seq",
            {"first": first, "last": last},
        )

    def claims_of(self, question: str | Question) -> list[Claim]:
        """The claims that answer *question*, in the order they were added."""
        return self._records(Claim, "claims", "WHERE question = ? ORDER BY rowid", (_id(question),))

    def documents_of(self, publisher: str | Source) -> list[Document]:
        """The documents *publisher* published."""
        return self._records(
            Document, "documents", "WHERE publisher = ? ORDER BY rowid", (_id(publisher),)
        )

    def chain(self, attribution: Attribution) -> tuple[Source, ...]:
        """The reporting chain of *attribution*, from its document's publisher to the speaker."""
        ids: list[str] = []
        if attribution.document is not None:
            rows = self._rows(
                "SELECT publisher FROM documents WHERE id = ?", (attribution.document,)
            )
            if rows and type(rows[0][0]) is str:
                ids.append(rows[0][0])
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
            rows = self._rows(
                "SELECT published FROM documents WHERE id = ?", (attribution.document,)
            )
            published = rows[0][0] if rows else None
            try:
                when = None if published is None else parse_moment(published)
            except (ValueError, TypeError):
                place = _place("documents", attribution.document)
                raise self._damaged(place, "its day of publication is not a date") from None
        return _voices.speaks_as(_Sources(self), attribution.source, _voices.day(when))

    def evidence(self, evidence: str) -> Evidence:
        """The item of evidence with id *evidence*.

        Raises:
            KeyError: The store holds no such item.
        """
        if self._version < 2:  # noqa: PLR2004 - schema 1 holds no evidence
            raise KeyError(evidence)
        return self._one(Evidence, "evidence", evidence)  # type: ignore[no-any-return]

    def search(self, query: str, *, limit: int = 50) -> list[Hit]:
        """What matches *query*, best first: claims, questions, quotes, document titles and notes.

        Every word of *query* must match; ``"..."`` matches a phrase and ``word*`` every
        word beginning so (see :func:`parse_query`). English words match their other forms
        (``missile`` finds ``Missiles``: FTS5's ``porter`` stemmer), and matching ignores
        case, diacritics, the spellings of Arabic written interchangeably, ``ё`` against
        ``е`` and the way an apostrophe is typed (see :func:`normalise`). Results are
        ranked by BM25, each with its text and the words that matched.

        It searches the chosen case, or every case when none is chosen; a shared
        document or source is found in each case that holds it.

        Raises:
            ValueError: The query is not one :func:`parse_query` reads.
        """  # noqa: RUF002
        terms = parse_query(query)
        if not terms or self._version < 3:  # noqa: PLR2004 - an older store is searched once upgraded
            return self._search_old(terms) if terms else []
        match = " ".join(_fts(t) for t in terms)
        if self._chosen is not None or len(self._rows("SELECT id FROM cases LIMIT 2")) < 2:  # noqa: PLR2004
            cid = self._case_id()
            scope = (
                f"(s.case_id = {cid} OR (s.case_id IS NULL AND EXISTS (SELECT 1 FROM members m "  # noqa: S608
                f"WHERE m.case_id = {cid} AND m.kind = s.tab AND m.id = s.ref)))"
            )
        else:
            scope = "1"
        sql = (
            "SELECT s.kind, s.tab, s.ref, s.label, s.shown, "  # noqa: S608
            "CASE WHEN s.case_id IS NULL THEN (SELECT group_concat(c.name, ', ') FROM members m "
            "JOIN cases c ON c.id = m.case_id WHERE m.kind = s.tab AND m.id = s.ref) "
            "ELSE (SELECT name FROM cases c WHERE c.id = s.case_id) END, bm25(search) "
            f"FROM search s WHERE search MATCH :q AND {scope} ORDER BY bm25(search) LIMIT :n"
        )
        db = self._conn
        self._clock.start()
        try:
            rows = db.execute(sql, {"q": match, "n": max(limit, 0)}).fetchall()
        except sqlite3.OperationalError as e:
            if "fts5" in str(e) or "syntax" in str(e):
                msg = f"the search query cannot be read ({e}); see parse_query for what a query may hold"
                raise ValueError(msg) from None
            raise self._failure(e) from None
        except sqlite3.Error as e:
            raise self._failure(e) from None
        words = _matching_words(terms, [str(r[4]) for r in rows])
        return [
            Hit(
                kind=str(kind),
                place=f"{tab}.{ref}" if tab != "attributions" else f"attributions[{ref}]",
                label=str(label),
                case=None if case is None else str(case),
                text=str(shown),
                spans=_spans(str(shown), words),
                score=-float(score),
            )
            for kind, tab, ref, label, shown, case, score in rows
        ]

    def _search_old(self, terms: list[Term]) -> list[Hit]:
        """Search a store of an older schema, whose index folds but does not stem: claims and quotes."""
        query = " ".join(_fts(t) for t in terms)
        claims = self._records(
            Claim,
            "claims",
            "WHERE id IN ("
            "SELECT ref FROM search WHERE search MATCH :q AND kind = 'claim' UNION "
            "SELECT a.claim FROM search s JOIN attributions a ON a.seq = CAST(s.ref AS INTEGER) "
            "WHERE search MATCH :q AND s.kind = 'quote') ORDER BY rowid",
            {"q": query},
        )
        words = _matching_words(terms, [c.text for c in claims])
        title = self._meta("title") or "Untitled case"
        return [
            Hit(
                "claim",
                f"claims.{c.id}",
                f"claim {c.id}",
                title,
                c.text,
                _spans(c.text, words),
                0.0,
            )
            for c in claims
        ]

    def search_quotes(self, words: str) -> list[Attribution]:
        """Attributions of the read case whose quote matches *words* (a query as in :meth:`search`)."""
        query = _match(words)
        if not query:
            return []
        kind = "quote"
        return self._records(
            Attribution,
            "attributions",
            "WHERE seq IN (SELECT CAST(ref AS INTEGER) FROM search "
            "WHERE search MATCH ? AND kind = ?) ORDER BY seq",
            (query, kind),
        )

    def integrity_problems(self) -> list[Problem]:
        """What SQLite's own check finds wrong with the file, and every dangling reference."""
        rows = [r[0] for r in self._rows("PRAGMA integrity_check")]
        out = [Problem("", f"damaged: {r}", file=self.path) for r in rows if r != "ok"]
        return out + self._unknown_refs()


def _check_policy(on_conflict: str) -> None:
    if on_conflict not in ON_CONFLICT:
        msg = f"on_conflict is one of {', '.join(ON_CONFLICT)}, not {on_conflict!r}"
        raise ValueError(msg)


def _value(data: Mapping[str, Any], field: str) -> str:
    """A field's value as a conflict message shows it: quoted text, JSON otherwise, or 'none'."""
    if field not in data:
        return "none"
    value = data[field]
    if isinstance(value, str):
        return _shown(value, most=80)
    return json.dumps(value, ensure_ascii=False)[:80]


def _fields_differing(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """The fields whose values differ between two records' data, in the order of the first."""
    fields = [*old, *(f for f in new if f not in old)]
    return [f for f in fields if old.get(f) != new.get(f)]


_LABELS = {
    "sources": "source",
    "documents": "document",
    "evidence": "evidence",
    "questions": "question",
    "claims": "claim",
}


def _index_rows(cid: int | None, table: str, rid: str, record: Any) -> list[tuple[Any, ...]]:
    """The search rows of one record: its text (a claim's, a question's, a quote, a title) and its notes."""
    rows: list[tuple[Any, ...]] = []
    if table == "attributions":
        if record.quote is None and record.notes is None:
            return rows  # most attributions: nothing of theirs to find
        about = f"claim {record.claim}"
        if record.quote is not None:
            rows.append((cid, "quote", table, rid, f"quote of {about}", record.quote))
        own = f"attribution of {about}"
    else:
        own = f"{_LABELS[table]} {rid}"
        if table in {"claims", "questions"}:
            rows.append((cid, _LABELS[table], table, rid, own, record.text))
        elif table == "documents":
            rows.append((cid, "title", table, rid, f"title of document {rid}", record.title))
    notes = getattr(record, "notes", None)
    if notes is not None:
        rows.append((cid, "note", table, rid, f"note on {own}", notes))
    return [(*row, normalise(row[-1])) for row in rows]


_WORD = re.compile(r"\w+(?:['\u2019\u02bc]\w+)*")


def _matching_words(terms: Sequence[Term], texts: Sequence[str]) -> set[str]:
    """The words of *texts* (folded) that one of *terms* matches, as the store's index matches them.

    Asked of an FTS5 table in memory with the index's tokenizer, so that what is
    highlighted is what matched: a stemmed form, a prefix, a folded spelling.
    """
    words = sorted({normalise(m.group()) for text in texts for m in _WORD.finditer(text)})
    if not words:
        return set()
    found: set[str] = set()
    with contextlib.closing(sqlite3.connect(":memory:")) as db:
        db.execute(
            "CREATE VIRTUAL TABLE w USING fts5 (body, tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        db.executemany("INSERT INTO w (rowid, body) VALUES (?, ?)", enumerate(words, 1))
        for term in terms:
            parts = [
                Term(p, prefix=term.prefix and i == len(term.text.split()) - 1)
                for i, p in enumerate(term.text.split())
            ]
            for part in parts:
                if not re.search(r"\w", part.text):
                    continue
                with contextlib.suppress(sqlite3.Error):
                    rows = db.execute(
                        "SELECT rowid FROM w WHERE w MATCH ?", (_fts(part),)
                    ).fetchall()
                    found.update(words[r[0] - 1] for r in rows)
    return found


_AROUND = 80
"""How many characters of a long text a hit shows on each side of its first matching word."""


def _spans(text: str, words: set[str]) -> tuple[tuple[str, bool], ...]:
    """*text* as pieces, each marked whether it is a word that matched; a long text cut around the first."""
    pieces: list[tuple[str, bool]] = []
    at = 0
    first = None
    for m in _WORD.finditer(text):
        if normalise(m.group()) in words:
            if first is None:
                first = m.start()
            pieces.append((text[at : m.start()], False))
            pieces.append((m.group(), True))
            at = m.end()
    pieces.append((text[at:], False))
    start = 0 if first is None or first < _AROUND else first - _AROUND
    out: list[tuple[str, bool]] = []
    pos = 0
    for piece, hit in pieces:
        end = pos + len(piece)
        if end > start and pos < start + 3 * _AROUND:
            cut = piece[max(start - pos, 0) : start + 3 * _AROUND - pos]
            if cut:
                out.append((cut, hit))
        pos = end
    if start > 0:
        out.insert(0, ("…", False))
    if pos > start + 3 * _AROUND:
        out.append(("…", False))
    return tuple((p, h) for p, h in out if p)


@attrs.frozen
class Hit:
    """One result of :meth:`Store.search`.

    Attributes:
        kind: What matched: ``claim``, ``question``, ``quote``, ``title`` (of a document) or ``note``.
        place: The record, as a place in the store (``claims.c1``, ``attributions[4]``).
        label: The record in words (``quote of claim c1``).
        case: The name of its case; for a shared document or source, of every case holding it.
        text: The whole text that matched.
        spans: The text to show, as pieces each marked whether it is a word that matched;
            a long text is cut around the first match, with ``…`` where it is cut.
        score: How well it matched (BM25, higher is better).
    """

    kind: str
    place: str
    label: str
    case: str | None
    text: str
    spans: tuple[tuple[str, bool], ...]
    score: float

    @property
    def snippet(self) -> str:
        """The text shown, with the words that matched in ``[brackets]``."""
        return "".join(f"[{p}]" if hit else p for p, hit in self.spans)


ON_CONFLICT = ("refuse", "keep", "replace")
"""What importing or merging does with a shared record whose id is taken by one with other content."""

_SHARED = ("sources", "documents", "evidence")
"""The tables whose records are shared by id across the cases of a store."""
_SCOPED = (*_SHARED, "questions", "claims", "attributions", "relations")
_COUNTED = ("sources", "documents", "questions", "claims", "attributions")


@attrs.frozen
class CaseInfo:
    """One case of a store, as :meth:`~claimtrack.store.Store.cases` lists it."""

    name: str
    title: str
    description: str | None
    sources: int
    documents: int
    questions: int
    claims: int
    attributions: int


_TABLES: dict[type, str] = {
    Source: "sources",
    Document: "documents",
    Evidence: "evidence",
    Question: "questions",
    Claim: "claims",
}


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
        rows = self._store._rows("SELECT id FROM sources ORDER BY rowid")  # noqa: SLF001
        return (r[0] for r in rows)

    def __len__(self) -> int:
        return self._store._total("sources")  # noqa: SLF001


def _id(ref: str | Source | Document | Question | Claim) -> str:
    return ref if isinstance(ref, str) else ref.id


def load_any(path: str | Path, *, case: str | None = None, **kw: Any) -> Case:
    """Load a case file, or read a store whole when *path* has a store's suffix.

    *kw* goes to :func:`claimtrack.load` for case files and is ignored for stores but
    ``texts``, which sets where documents' text files are looked for. *case* names the case
    to read from a store holding several (see :meth:`~claimtrack.store.Store.cases`); a case file ignores it.
    """
    if not is_store(path):
        from claimtrack.files._case_files import load  # noqa: PLC0415 - kept beside the store's reader

        return load(path, **kw)
    with open_store(path, case=case) as store:
        found = store.to_case()
    texts = kw.get("texts")
    if texts:
        found.text_dirs = tuple(Path(t) for t in (texts if isinstance(texts, list) else [texts]))
    return found
