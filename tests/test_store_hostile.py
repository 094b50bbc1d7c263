"""Stores from elsewhere: crafted schemas and rows, damaged files, read-only folders, full disks.

A `.db` file is as untrusted as a case file: it may carry views and triggers, rows crafted
to break out of their record, a header that reading must not rewrite, or bytes flipped
anywhere. Each test builds one such store and checks that claimtrack refuses it with a
StoreError naming the file, or reads it without writing to it, and never hangs or ends
in a traceback.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time

from pathlib import Path

import pytest

import claimtrack

from claimtrack import Claim, Source
from claimtrack.cli import main
from claimtrack.store import MIGRATIONS, StoreError, _sqlite, load_any, open_store


EXAMPLE = Path(__file__).parent.parent / "examples" / "iraq-2024" / "case.yaml"

_SMALL = """\
claimtrack: 1
title: small
sources:
  s2: {name: S2, kind: outlet}
claims:
  c-new: {text: New}
attributions:
  - {claim: c-new, source: s2}
"""

_READS = (["check"], ["assess"], ["report"], ["export", "--to", "json"])
"""The commands that read a case, each to be given a store."""


@pytest.fixture(name="good")
def _good(tmp_path_factory) -> Path:
    """A store holding the example case, in a folder of its own."""
    path = tmp_path_factory.mktemp("good") / "good.db"
    with open_store(path, create=True) as store:
        store.import_case(claimtrack.load(EXAMPLE))
    return path


def _copy(store: Path, folder: Path, name: str = "s.db") -> Path:
    target = folder / name
    shutil.copyfile(store, target)
    return target


def _edit(path: Path, *statements: str, params: tuple[object, ...] = ()) -> None:
    """Run SQL on a store as someone with the sqlite3 tool would, outside claimtrack."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        for statement in statements:
            db.execute(statement, params if "?" in statement else ())
        db.commit()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The command line in a process of its own, so that a hang fails the test instead of stalling it."""
    return subprocess.run(
        [sys.executable, "-m", "claimtrack", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _small_case(folder: Path) -> Path:
    path = folder / "small.yaml"
    path.write_text(_SMALL, encoding="utf-8")
    return path


# ---- what a store from elsewhere may carry ------------------------------------------------


class TestCraftedSchema:
    def test_a_recursive_view_in_place_of_a_table_is_refused_not_run(self, good, tmp_path):
        """`questions` as an endless recursive view: every reading command refuses it at once."""
        path = _copy(good, tmp_path)
        _edit(
            path,
            "DROP TABLE questions",
            "CREATE VIEW questions (id, text, data) AS WITH RECURSIVE r(n) AS "
            "(SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n, 'x', '{}' FROM r WHERE n < 0",
        )
        before = _digest(path)
        for command in _READS:
            start = time.monotonic()
            done = _run(*command[:1], str(path), *command[1:], timeout=60)
            assert time.monotonic() - start < 30, command
            assert done.returncode == 1, (command, done.stderr)
            assert "Traceback" not in done.stderr
            assert f"{path}: " in done.stderr
            assert "view 'questions'" in done.stderr, done.stderr
        assert _digest(path) == before

    @pytest.mark.parametrize(
        ("statements", "named"),
        [
            (["CREATE VIEW extra AS SELECT * FROM claims"], "view 'extra'"),
            (
                ["CREATE TABLE pwn (x)", "CREATE TRIGGER t AFTER INSERT ON claims BEGIN INSERT INTO pwn VALUES (1); END"],
                "trigger 't'",
            ),
            (
                ["CREATE TRIGGER r BEFORE DELETE ON sources BEGIN SELECT 1; END"],
                "trigger 'r'",
            ),
        ],
    )  # fmt: skip
    def test_views_and_triggers_are_refused_by_name(self, good, tmp_path, statements, named):
        """A store with any view or trigger is refused naming it, for reading and for writing."""
        path = _copy(good, tmp_path)
        _edit(path, *statements)
        for create in (False, True):
            with pytest.raises(StoreError) as info:
                open_store(path, create=create)
            assert info.value.file == str(path)
            assert named in info.value.message
            assert "not run" in info.value.message

    def test_import_does_not_run_a_stores_triggers(self, good, tmp_path, capsys):
        """`import` into a store carrying a trigger refuses it, and the trigger never runs."""
        path = _copy(good, tmp_path)
        _edit(
            path,
            "CREATE TABLE pwn (x)",
            "CREATE TRIGGER t AFTER INSERT ON claims BEGIN INSERT INTO pwn VALUES ('ran'); END",
        )
        before = _digest(path)
        assert main(["import", str(_small_case(tmp_path)), str(path)]) == 1
        err = capsys.readouterr().err
        assert "trigger 't'" in err
        assert "Traceback" not in err
        assert _digest(path) == before
        with contextlib.closing(sqlite3.connect(path)) as db:
            assert db.execute("SELECT count(*) FROM pwn").fetchone()[0] == 0

    @pytest.mark.parametrize(
        ("statements", "named"),
        [
            (["ALTER TABLE claims RENAME COLUMN text TO words"], "claims"),
            (["DROP TABLE relations"], "relations"),
            (["DROP TABLE search", "CREATE TABLE search (kind, ref, body)"], "search"),
            (["DROP INDEX attributions_claim"], "attributions_claim"),
            (
                ["DROP TABLE meta", "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT CHECK (length(value) < 3))"],
                "meta",
            ),
        ],
    )  # fmt: skip
    def test_tables_not_as_claimtrack_makes_them_are_refused(
        self, good, tmp_path, statements, named
    ):
        """A table missing, changed or of another kind is named; nothing is read or run."""
        path = _copy(good, tmp_path)
        _edit(path, *statements)
        with pytest.raises(StoreError) as info:
            load_any(path)
        assert f"'{named}'" in info.value.message
        with pytest.raises(StoreError):
            open_store(path, create=True)

    def test_tables_of_its_own_are_left_alone(self, good, tmp_path, case_of_good):
        """A table or index someone added for their own queries does not stop the store being read."""
        path = _copy(good, tmp_path)
        _edit(path, "CREATE TABLE notes (x)", "CREATE INDEX claims_text ON claims (text)")
        assert load_any(path) == case_of_good

    def test_the_names_it_shows_are_inert_and_short(self, good, tmp_path):
        """A view named with escape codes and a thousand characters is shown escaped and cut."""
        path = _copy(good, tmp_path)
        name = "\x1b]0;pwn\x07" + "v" * 1000
        _edit(path, f'CREATE VIEW "{name}" AS SELECT 1')
        with pytest.raises(StoreError) as info:
            load_any(path)
        shown = str(info.value)
        assert "\x1b" not in shown
        assert "\\x1b" in shown
        assert len(shown) < 600


@pytest.fixture(name="case_of_good")
def _case_of_good():
    """The case the good store holds."""
    return claimtrack.load(EXAMPLE)


# ---- the rows ----------------------------------------------------------------------------


class TestCraftedRows:
    def test_a_row_cannot_add_a_record(self, good, tmp_path):
        """A source's data that closes its record and opens another is refused, not read as two."""
        path = _copy(good, tmp_path)
        with contextlib.closing(sqlite3.connect(path)) as db:
            sid, data = db.execute("SELECT id, data FROM sources LIMIT 1").fetchone()
            evil = data + ',"evil":{"name":"Injected","kind":"outlet"}'
            db.execute("UPDATE sources SET data = ? WHERE id = ?", (evil, sid))
            db.commit()
        with pytest.raises(StoreError) as info:
            load_any(path)
        assert info.value.place == f"sources.{sid}"
        assert "not valid JSON" in info.value.message
        assert main(["export", str(path), "--to", "json"]) == 1

    def test_an_attribution_row_cannot_add_an_attribution(self, good, tmp_path):
        """Two attributions pasted into one row's data are refused, not read as two."""
        path = _copy(good, tmp_path)
        with contextlib.closing(sqlite3.connect(path)) as db:
            seq, data = db.execute("SELECT seq, data FROM attributions LIMIT 1").fetchone()
            two = data + "," + data
            db.execute("UPDATE attributions SET data = ? WHERE seq = ?", (two, seq))
            db.commit()
        with pytest.raises(StoreError, match="not valid JSON"):
            load_any(path)
        with open_store(path) as store, pytest.raises(StoreError):
            list(store.parts())

    @pytest.mark.parametrize(
        ("sql", "place", "what"),
        [
            ("UPDATE claims SET data = '[1, 2]' WHERE rowid = 1", "claims.", "not a JSON object"),
            ("UPDATE claims SET data = x'7b7d' WHERE rowid = 1", "claims.", "not JSON text"),
            ("UPDATE claims SET data = json_set(data, '$.text', 'other') WHERE rowid = 1", "claims.", "(text)"),
            ("UPDATE sources SET data = json_set(data, '$.id', 'other') WHERE rowid = 1", "sources.", "an id of its own"),
            ("UPDATE attributions SET data = json_set(data, '$.claim', 'other') WHERE seq = 0", "attributions[0]", "(claim)"),
            ("UPDATE attributions SET data = json_set(data, '$.stance', 'denies') WHERE seq = 0", "attributions[0]", "(stance)"),
            ("UPDATE relations SET data = json_set(data, '$.claims[1]', 'x') WHERE seq = 1", "relations[1]", "(claims)"),
            ("UPDATE claims SET data = '{\"text\": \"a\", \"text\": \"b\"}' WHERE rowid = 1", "claims.", "repeated"),
            ("UPDATE sources SET data = '{\"name\": NaN}' WHERE rowid = 1", "sources.", "not valid JSON"),
            ("UPDATE claims SET id = x'41' WHERE rowid = 1", "claims.", "id is not text"),
        ],
    )  # fmt: skip
    def test_a_row_must_match_its_record(self, good, tmp_path, sql, place, what):
        """The JSON of a record is parsed on its own and must agree with the row's columns."""
        path = _copy(good, tmp_path)
        _edit(path, sql)
        with pytest.raises(StoreError) as info:
            load_any(path)
        assert info.value.place.startswith(place), info.value
        assert what in info.value.message
        assert info.value.file == str(path)

    def test_queries_check_rows_too(self, good, tmp_path):
        """The Case-like queries read records the same checked way: no record from a bad row."""
        path = _copy(good, tmp_path)
        with contextlib.closing(sqlite3.connect(path)) as db:
            claim = db.execute("SELECT claim FROM attributions WHERE seq = 0").fetchone()[0]
        _edit(
            path, "UPDATE attributions SET data = json_set(data, '$.claim', 'other') WHERE seq = 0"
        )
        with open_store(path) as store:
            with pytest.raises(StoreError, match=r"\(claim\)"):
                store.attributions_of(claim)
            with pytest.raises(StoreError):
                store.attributions_between("1900-01-01", "2100-01-01")
        with contextlib.closing(sqlite3.connect(path)) as db:
            sid = db.execute("SELECT id FROM sources WHERE rowid = 1").fetchone()[0]
        _edit(
            path, "UPDATE sources SET data = json_set(data, '$.reliability', 'Z') WHERE rowid = 1"
        )
        with open_store(path) as store, pytest.raises(StoreError) as info:
            store.source(sid)
        assert info.value.place == f"sources.{sid}"


# ---- reading never writes ----------------------------------------------------------------


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


class TestReadingDoesNotWrite:
    def test_a_rollback_journal_backup_keeps_its_header(self, good, tmp_path, capsys):
        """A `VACUUM INTO` backup (rollback journal) is read by every command, byte for byte unchanged."""
        path = tmp_path / "backup.db"
        with contextlib.closing(sqlite3.connect(good)) as db:
            db.execute("VACUUM INTO ?", (str(path),))
        before = _digest(path)
        for command in _READS:
            assert main([command[0], str(path), *command[1:]]) == 0
        assert main(["assess", str(path), "--stream", "--format", "jsonl"]) == 0
        capsys.readouterr()
        assert _digest(path) == before
        assert _listing(tmp_path) == ["backup.db"]
        with contextlib.closing(sqlite3.connect(path)) as db:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"

    def test_a_wal_store_and_its_folder_are_left_as_they_were(self, good, capsys):
        """Reading a store in WAL mode changes none of its bytes and leaves no file beside it."""
        before, listing = _digest(good), _listing(good.parent)
        for command in _READS:
            assert main([command[0], str(good), *command[1:]]) == 0
        capsys.readouterr()
        assert _digest(good) == before
        assert _listing(good.parent) == listing

    def test_an_old_store_is_read_without_upgrading_it(self, tmp_path):
        """A store of schema 1 reads as it is; only a write brings it up to date."""
        path = tmp_path / "old.db"
        _schema_1(path)
        before = _digest(path)
        with open_store(path) as store:
            case = store.to_case()
            assert list(case.claims) == ["c"]
            assert next(iter(store.parts())).claims.keys() == {"c"}
            with pytest.raises(KeyError):
                store.evidence("v")
            assert store.integrity_problems() == []
        assert _digest(path) == before
        with open_store(path) as store:
            store.add(claimtrack.Evidence("v", "video", "A video"))
        with contextlib.closing(sqlite3.connect(path)) as db:
            assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)

    def test_a_store_in_a_read_only_folder_is_read(self, good, tmp_path):
        """Stores in WAL and rollback-journal mode are read where nothing can be written."""
        folder = tmp_path / "ro"
        folder.mkdir()
        wal = _copy(good, folder, "wal.db")
        with contextlib.closing(sqlite3.connect(good)) as db:
            db.execute("VACUUM INTO ?", (str(folder / "journal.db"),))
        for path in (wal, folder / "journal.db"):
            assert not Path(f"{path}-shm").exists()
        folder.chmod(0o555)
        try:
            for name in ("wal.db", "journal.db"):
                done = _as_unprivileged("check", str(folder / name))
                assert done.returncode == 0, done.stderr
                assert f"{folder / name}: ok" in done.stderr
                done = _as_unprivileged("import", str(_small_case(tmp_path)), str(folder / name))
                assert done.returncode == 1
                assert "read-only" in done.stderr
                assert "Traceback" not in done.stderr
            assert _listing(folder) == ["journal.db", "wal.db"]
        finally:
            folder.chmod(0o755)

    def test_a_log_that_cannot_be_read_is_not_ignored(self, good, tmp_path):
        """A WAL store whose log holds changes is refused in a read-only folder, not read without them."""
        with contextlib.closing(sqlite3.connect(good)) as db:
            db.execute("PRAGMA wal_autocheckpoint = 0")
            db.execute("UPDATE cases SET title = 'changed'")
            db.commit()
            folder = tmp_path / "ro"
            folder.mkdir()
            shutil.copyfile(good, folder / "s.db")
            shutil.copyfile(f"{good}-wal", folder / "s.db-wal")
        assert load_any(_copy(folder / "s.db", tmp_path)).title == "Iraq 2024"  # no log: as was
        folder.chmod(0o555)
        try:
            done = _as_unprivileged("check", str(folder / "s.db"))
        finally:
            folder.chmod(0o755)
        assert done.returncode == 1
        assert "its log (s.db-wal) holds changes" in done.stderr
        assert load_any(folder / "s.db").title == "changed"  # where the log can be read

    def test_a_reading_connection_writes_nothing_at_all(self, good):
        """Even what SQLite lets a read-only connection write (a temporary table) is refused."""
        with open_store(good) as store:
            with pytest.raises(StoreError, match="read-only"):
                store._rows("CREATE TEMP TABLE t (x)")
            assert store._rows("PRAGMA trusted_schema") == [(0,)]


def _as_unprivileged(*args: str) -> subprocess.CompletedProcess[str]:
    """The command line run so that file permissions bind it, even when the tests run as root."""
    command = [sys.executable, "-m", "claimtrack", *args]
    if os.geteuid() == 0:  # root reads and writes through any permission: drop that power
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: a read-only folder cannot be made")
        caps = "-dac_override,-dac_read_search,-fowner"
        command = [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def _schema_1(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as db:
        for statement in MIGRATIONS[0].split(";"):
            if statement.strip():
                db.execute(statement)
        db.execute(f"PRAGMA application_id = {_sqlite.APPLICATION_ID}")
        db.execute("PRAGMA user_version = 1")
        db.execute(
            "INSERT INTO sources VALUES ('s', 'S', 'outlet', '{\"name\":\"S\",\"kind\":\"outlet\"}')"
        )
        db.execute("INSERT INTO claims VALUES ('c', NULL, 'C', '{\"text\":\"C\"}')")
        db.execute(
            "INSERT INTO attributions VALUES (0, 'c', 's', 'asserts', NULL, NULL, NULL, "
            '\'{"claim":"c","source":"s"}\')'
        )
        db.commit()


# ---- damaged stores ----------------------------------------------------------------------


def _flipped(data: bytes, rng: random.Random) -> bytes:
    """*data* with a few bits flipped, most of them in the first pages, where the schema is."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        at = rng.randrange(min(len(out), 16_384) if rng.random() < 0.5 else len(out))
        out[at] ^= 1 << rng.randrange(8)
    return bytes(out)


def test_bit_flipped_stores_through_import_and_streaming(good, tmp_path, capsys):
    """A store with bits flipped gives exit 0 or 1, and a message naming it, for import and --stream."""
    rng = random.Random(6)  # noqa: S311 - the same damage on every run
    base = good.read_bytes()
    small = _small_case(tmp_path)
    path = tmp_path / "flip.db"
    for _ in range(400):
        data = _flipped(base, rng)
        for command in (
            ["import", str(small), str(path)],
            ["assess", str(path), "--stream", "--format", "jsonl"],
        ):
            for leftover in tmp_path.glob("flip.db*"):
                leftover.unlink()
            path.write_bytes(data)
            status = main(command)
            err = capsys.readouterr().err
            assert status in (0, 1), (command, err)
            if status == 1:
                assert f"{path}: " in err, err


# ---- the time budget ---------------------------------------------------------------------


def test_a_runaway_query_is_stopped_at_the_budget(good):
    """A query that would run for ever is stopped when the store's time budget is spent."""
    with open_store(good, budget=0.5) as store:
        start = time.monotonic()
        with pytest.raises(StoreError) as info:
            store._rows(  # no query of claimtrack's runs away: one is made here
                "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
                "SELECT n FROM r WHERE n < 0"
            )
        assert time.monotonic() - start < 10
        assert "0.5 s" in info.value.message
        assert "budget" in info.value.message
        assert store.to_case() == claimtrack.load(EXAMPLE)  # the store is still usable


def test_the_budget_must_be_positive(good):
    """A budget of no time, or of NaN seconds, is a mistake in the call, not a store's problem."""
    with pytest.raises(ValueError, match="budget"):
        open_store(good, budget=float("nan"))
    with pytest.raises(ValueError, match="budget"):
        open_store(good, budget=0)


# ---- full disk ---------------------------------------------------------------------------


def _pages(limit: int, monkeypatch) -> None:
    """Give every connection a store opens for writing at most *limit* pages: SQLite's own full disk."""
    connect = _sqlite._connect

    def small(*args, **kw):
        db = connect(*args, **kw)
        if kw.get("write"):
            db.execute(f"PRAGMA max_page_count = {limit}")
        return db

    monkeypatch.setattr(_sqlite, "_connect", small)


class TestFullDisk:
    def test_import_into_a_full_store_says_disk_full_and_changes_nothing(self, good, tmp_path, monkeypatch, capsys):  # fmt: skip
        """Import that runs out of room says "disk full", with no traceback, and the store is as it was."""
        path = _copy(good, tmp_path)
        pages = path.stat().st_size // 4096
        big = claimtrack.Case("big")
        big.add_source("zz", "Z", "outlet")
        for i in range(2_000):
            big.add_claim(f"z{i}", "words " * 20)
            big.attribute(f"z{i}", "zz", quote="quoted " * 20)
        big.save(tmp_path / "big.yaml")
        before = load_any(path)
        _pages(pages + 4, monkeypatch)
        assert main(["import", str(tmp_path / "big.yaml"), str(path)]) == 1
        err = capsys.readouterr().err
        assert f"{path}: disk full" in err
        assert "rollback" not in err
        assert "Traceback" not in err
        monkeypatch.undo()
        assert load_any(path) == before
        with open_store(path) as store:
            assert store.integrity_problems() == []

    def test_a_new_store_that_cannot_be_made_leaves_no_file(self, tmp_path, monkeypatch, capsys):
        """A store that runs out of room while it is made is removed, with its side files."""
        _pages(3, monkeypatch)
        path = tmp_path / "new.db"
        assert main(["import", str(EXAMPLE), str(path)]) == 1
        err = capsys.readouterr().err
        assert f"{path}: disk full" in err
        assert "Traceback" not in err
        assert _listing(tmp_path) == []
        with pytest.raises(StoreError, match="disk full"):
            open_store(path, create=True)
        assert _listing(tmp_path) == []

    def test_a_failed_rollback_does_not_hide_the_error(self, good, tmp_path, monkeypatch):
        """When SQLite has already undone the transaction, the error says what went wrong."""
        path = _copy(good, tmp_path)
        _pages(path.stat().st_size // 4096, monkeypatch)
        with open_store(path) as store, pytest.raises(StoreError) as info:
            store.add(Source("new", "N" * 200_000, "outlet"), Claim("new-claim", "C" * 200_000))
        assert "disk full" in info.value.message
        assert "rollback" not in info.value.message


_TINY = """
set -e
mount -t tmpfs -o size={size}k tmpfs "{folder}"
python="{python}"
"$python" -m claimtrack import "{example}" "{folder}/s.db" > /dev/null 2>&1
head -c {fill}k /dev/zero > "{folder}/fill" 2> /dev/null || true
echo "-- import"
"$python" -m claimtrack import "{big}" "{folder}/s.db" 2>&1 || echo "exit $?"
"$python" -m claimtrack check "{folder}/s.db" 2>&1 | tail -n 1
echo "-- new"
rm "{folder}/fill"
head -c {full}k /dev/zero > "{folder}/fill" 2> /dev/null || true
"$python" -m claimtrack import "{example}" "{folder}/new.db" 2>&1 || echo "exit $?"
ls "{folder}"
echo "-- half"
rm "{folder}/fill"
head -c {half}k /dev/zero > "{folder}/fill" 2> /dev/null || true
"$python" -m claimtrack import "{big}" "{folder}/half.db" 2>&1 || echo "exit $?"
ls "{folder}"
"""


@pytest.mark.skipif(sys.platform != "linux", reason="a tiny file system needs Linux namespaces")
def test_a_real_full_disk(tmp_path):
    """On a tiny file system: import says "disk full", the store stays whole, a new one leaves nothing."""
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("no unshare: cannot mount a tiny file system")
    folder = tmp_path / "tiny"
    folder.mkdir()
    big = claimtrack.Case("big")
    big.add_source("zz", "Z", "outlet")
    for i in range(3_000):
        big.add_claim(f"z{i}", "words " * 20)
        big.attribute(f"z{i}", "zz", quote="quoted " * 20)
    big.save(tmp_path / "big.yaml")
    script = _TINY.format(
        size=2048,
        fill=1600,
        full=2040,
        half=1850,
        folder=folder,
        python=sys.executable,
        example=EXAMPLE,
        big=tmp_path / "big.yaml",
    )
    done = subprocess.run(
        [unshare, "-rm", "sh", "-c", script],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if "-- import" not in done.stdout:
        pytest.skip(f"cannot mount a tiny file system here: {done.stderr.strip()}")
    imported, new = done.stdout.split("-- import", 1)[1].split("-- new")
    new, half = new.split("-- half")
    assert "Traceback" not in done.stdout, done.stdout
    assert f"{folder}/s.db: disk full" in imported
    assert "exit 1" in imported
    assert f"{folder}/s.db: ok" in imported  # the store is whole, as it was before the import
    assert f"{folder}/new.db: disk full" in new
    assert "new.db" not in new.split("exit 1")[-1], new  # no file left of the store not made
    # a new store whose schema was made but whose import filled the disk is not left empty
    assert f"{folder}/half.db: disk full" in half
    assert "half.db" not in half.split("exit 1")[-1], half


# ---- every sqlite3 error is a StoreError ---------------------------------------------------


def test_errors_name_the_file_and_what_to_do(good, tmp_path):
    """Errors from SQLite reach the user as a StoreError naming the store, never as sqlite3's own."""
    path = _copy(good, tmp_path)
    _edit(path, "UPDATE search_data SET block = x'ffffffffffffffff' WHERE id = 10")
    with open_store(path) as store:
        with pytest.raises(StoreError) as info:
            store.search("truce")
        assert info.value.file == str(path)
        assert "restore it from a backup" in info.value.message
    store = open_store(good)
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.to_case()


def test_a_path_with_uri_characters(good, tmp_path):
    """A store whose name holds characters that mean something in a URI opens as itself."""
    path = _copy(good, tmp_path, "odd ?mode=rwc#x%20&.db")
    assert load_any(path) == claimtrack.load(EXAMPLE)
    assert not (tmp_path / "odd ").exists()
