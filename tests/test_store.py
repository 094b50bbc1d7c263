"""The SQLite store: round trips, the Case's queries, search, errors, concurrency and crashes."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

from pathlib import Path

import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


sys.path.insert(0, str(Path(__file__).parent))  # tests/ is not a package; strategies.py sits here
import claimtrack

from claimtrack import Attribution, Claim, IntegrityError, Settings, Source
from claimtrack.cli import main
from claimtrack.store import MIGRATIONS, StoreError, normalise, open_store
from strategies import cases


EXAMPLE = Path(__file__).parent.parent / "examples" / "iraq-2024" / "case.yaml"


@pytest.fixture(name="case")
def _case():
    return claimtrack.load(EXAMPLE)


@pytest.fixture(name="store")
def _store(tmp_path, case):
    with open_store(tmp_path / "s.db", create=True) as store:
        store.import_case(case)
        yield store


class TestRoundTrip:
    def test_example(self, store, case):
        """The example case reads back from the store equal to the file it came from."""
        assert store.to_case() == case

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(case=cases())
    def test_any_case(self, tmp_path, case):
        """Any valid case reads back equal from a store."""
        path = tmp_path / f"r{id(case)}.db"
        with open_store(path, create=True) as store:
            store.import_case(case)
            assert store.to_case() == case
        path.unlink()

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(case=cases(), twice=st.booleans())
    def test_a_loaded_case_leaves_no_reference_unknown(self, tmp_path, case, twice):
        """A case read from a file goes in without the search for unknown ids; none is left.

        Imported a second time, as another case, it reuses the shared records it holds.
        """
        loaded = claimtrack.loads(claimtrack.dumps(case, "json"), "json")
        path = tmp_path / f"k{id(case)}.db"
        with open_store(path, create=True) as store:
            for name in ("one", "two")[: 1 + twice]:
                store.import_case(loaded, name=name)
            assert store.integrity_problems() == []
            store.choose("one")
            assert store.to_case() == case
        path.unlink()

    def test_an_unchecked_case_naming_what_it_lacks_is_refused(self, tmp_path):
        """A case built without checks, naming a source it lacks, is refused, and nothing is added."""
        case = claimtrack.Case.from_records(
            [Claim("c", "C"), Attribution("c", "nobody")], title="loose", check=False
        )
        with open_store(tmp_path / "u.db", create=True) as store:
            with pytest.raises(IntegrityError, match="unknown source 'nobody'"):
                store.import_case(case)
            assert store.cases() == []

    def test_assessments_agree(self, tmp_path, capsys):
        """Assessing a store prints exactly what assessing its case file prints."""
        db = str(tmp_path / "s.db")
        assert main(["import", str(EXAMPLE), db]) == 0
        capsys.readouterr()
        assert main(["assess", str(EXAMPLE), "--format", "json"]) == 0
        from_file = capsys.readouterr().out
        assert main(["assess", db, "--format", "json"]) == 0
        assert capsys.readouterr().out == from_file
        assert main(["check", db]) == 0


class TestQueries:
    def test_same_answers_as_the_case(self, store, case):
        """Every query gives what the in-memory Case gives, for every id it can be asked of."""
        for claim in case.claims:
            assert store.attributions_of(claim) == case.attributions_of(claim)
            assert store.attributions_of(claim, "denies") == case.attributions_of(claim, "denies")
        for source in case.sources:
            assert store.said_by(source) == case.said_by(source)
            assert store.said_by(source, "asserts") == case.said_by(source, "asserts")
            assert store.documents_of(source) == case.documents_of(source)
        for doc in case.documents:
            assert store.attributions_in(doc) == case.attributions_in(doc)
        for question in case.questions:
            assert store.claims_of(question) == case.claims_of(question)
        for att in case.attributions:
            assert store.chain(att) == case.chain(att)
            assert store.origin(att) == case.origin(att)

    def test_case_of_a_question(self, store, case):
        """A question's part of the store assesses that question as the whole case does."""
        whole = {a.claim: a.probability for a in case.assess().assessments}
        for qid in store.question_ids():
            part = store.case_of(qid)
            assert list(part.questions) == [qid]
            for a in part.assess().assessments:
                assert abs(a.probability - whole[a.claim]) < 1e-9

    def test_time_range(self, tmp_path):
        """Attributions are found by day: their own, or else their document's publication."""
        with open_store(tmp_path / "t.db", create=True) as store:
            store.add(
                Source("s", "S", "outlet"),
                claimtrack.Document("d1", "s", "One", published="2024-04-21"),
                claimtrack.Document("d2", "s", "Two", published="2024-05-02"),
                Claim("c", "C"),
                Attribution("c", "s", document="d1"),
                Attribution("c", "s", document="d2", said="2024-04-30"),
                Attribution("c", "s", document="d2"),
            )
            found = store.attributions_between("2024-04-01", "2024-04-30")
            assert [a.document for a in found] == ["d1", "d2"]
            assert found[1].said is not None

    def test_search_folds_arabic(self, tmp_path):
        """Search matches across alef forms, yaa/alef maqsura, taa marbuta, diacritics and case."""
        with open_store(tmp_path / "a.db", create=True) as store:
            store.add(
                Source("s", "S", "outlet"),
                Claim("c1", "قوات الحشد الشعبى أعلنت الهدنة"),
                Claim("c2", "An UNRELATED claim"),
                Attribution("c2", "s", quote="مُدِيرِيَّة الإعلام"),
            )
            assert [h.place for h in store.search("الحشد الشعبي")] == ["claims.c1"]
            assert [h.place for h in store.search("اعلنت الهدنه")] == ["claims.c1"]
            assert [h.place for h in store.search("unrelated")] == ["claims.c2"]
            assert [h.label for h in store.search("مديريه")] == ["quote of claim c2"]
            assert [a.claim for a in store.search_quotes("الاعلام")] == ["c2"]
            assert store.search('"; DROP TABLE claims; --"') == []
            with pytest.raises(ValueError, match="does not close"):
                store.search('"; DROP TABLE claims; --')
            assert store.search("   ") == []

    def test_normalise(self):
        """Tatweel and diacritics go; the variant letters fold to one."""
        assert normalise("إِعـــلان") == normalise("اعلان")
        assert normalise("مدرسة") == "مدرسه"


class TestWriting:
    def test_incremental_add_and_update(self, store, case):
        """Records added or replaced later show in queries and in the case read back."""
        store.add(
            Claim("new-claim", "A new answer"), Attribution("new-claim", next(iter(case.sources)))
        )
        assert len(store.attributions_of("new-claim")) == 1
        source = next(iter(case.sources.values()))
        store.update(claimtrack.Source(source.id, "Renamed", source.kind))
        assert store.to_case().sources[source.id].name == "Renamed"
        assert len(store.to_case().attributions) == len(case.attributions) + 1

    def test_refused_add_changes_nothing(self, store, case):
        """A batch with an unknown id or a taken one is refused whole, naming the place."""
        with pytest.raises(IntegrityError) as info:
            store.add(Claim("fresh", "F"), Attribution("fresh", "nobody"))
        assert "unknown source 'nobody'" in info.value.message
        with pytest.raises(IntegrityError, match="taken"):
            store.add(Claim(next(iter(case.claims)), "Again"))
        with pytest.raises(IntegrityError, match="no source 'ghost' to replace"):
            store.update(Source("ghost", "G", "outlet"))
        assert store.to_case() == case


class TestErrors:
    def test_missing(self, tmp_path):
        """A missing store is a StoreError naming the file, not a new empty store."""
        with pytest.raises(StoreError) as info:
            open_store(tmp_path / "none.db")
        assert info.value.file == str(tmp_path / "none.db")
        assert not (tmp_path / "none.db").exists()

    def test_not_sqlite(self, tmp_path):
        """A file that is not SQLite is refused as not a store."""
        path = tmp_path / "junk.db"
        path.write_text("not a database at all, just text " * 100)
        with pytest.raises(StoreError, match="not a claimtrack store"):
            open_store(path)

    def test_other_sqlite(self, tmp_path):
        """Somebody else's SQLite database is refused, and left untouched."""
        path = tmp_path / "other.db"
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE t (x)")
        with pytest.raises(StoreError, match="another kind"):
            open_store(path)

    def test_newer_schema(self, tmp_path):
        """A store from a newer claimtrack is refused with a message to upgrade."""
        path = tmp_path / "new.db"
        open_store(path, create=True).close()
        with sqlite3.connect(path) as db:
            db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
        with pytest.raises(StoreError, match="newer claimtrack"):
            open_store(path)

    def test_cli_errors(self, tmp_path, capsys):
        """The command line names the file and exits 1 for a bad store."""
        bad = tmp_path / "bad.db"
        bad.write_bytes(b"\x00" * 4096)
        assert main(["assess", str(bad)]) == 1
        assert main(["check", str(tmp_path / "missing.db")]) == 1
        err = capsys.readouterr().err
        assert f"{bad}: is not a claimtrack store" in err
        assert "missing.db: no such store" in err
        assert main(["import", str(EXAMPLE), str(tmp_path / "x.json")]) == 2


_WRITER = textwrap.dedent(
    """
    import sys
    from claimtrack import Attribution, Claim
    from claimtrack.store import open_store
    path, tag = sys.argv[1], sys.argv[2]
    with open_store(path) as store:
        for i in range(40):
            store.add(Claim(f"{tag}-{i}", "C"), Attribution(f"{tag}-{i}", "s"))
    """
)

_IMPORTER = textwrap.dedent(
    """
    import sys
    import claimtrack
    from claimtrack.store import open_store
    n = int(sys.argv[2])
    case = claimtrack.Case()
    case.add_source("t", "T", "outlet")
    for i in range(n):
        case.add_claim(f"big-{i}", "A claim among many, to make the import take a while")
        case.attribute(f"big-{i}", "t", quote="quoted words that fill the pages of the log")
    with open_store(sys.argv[1]) as store:
        print("importing", flush=True)
        store.import_case(case)
    """
)


class TestProcesses:
    def test_two_writers_lose_nothing(self, tmp_path):
        """Two processes adding at once both get every record in."""
        path = tmp_path / "w.db"
        with open_store(path, create=True) as store:
            store.add(Source("s", "S", "outlet"))
        procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(path), tag]) for tag in "ab"]
        assert [p.wait(timeout=120) for p in procs] == [0, 0]
        with open_store(path) as store:
            case = store.to_case()
        assert len(case.claims) == 80
        assert len(case.attributions) == 80

    def test_killed_import_leaves_the_store_as_it_was(self, tmp_path, case):
        """SIGKILL part-way through an import leaves exactly the store's earlier state."""
        path = tmp_path / "k.db"
        with open_store(path, create=True) as store:
            store.import_case(case)
        proc = subprocess.Popen(
            [sys.executable, "-c", _IMPORTER, str(path), "150000"], stdout=subprocess.PIPE
        )
        try:
            assert proc.stdout is not None
            assert proc.stdout.readline().strip() == b"importing"
            wal = Path(f"{path}-wal")
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and proc.poll() is None:
                if wal.exists() and wal.stat().st_size > 2**20:
                    break
                time.sleep(0.01)
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.wait(timeout=30)
            proc.stdout.close()  # type: ignore[union-attr]
        assert proc.returncode == -signal.SIGKILL, "the import ended before it could be killed"
        with open_store(path) as store:
            assert store.integrity_problems() == []
            assert store.to_case() == case
        with sqlite3.connect(path) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _judgement(a):
    votes = tuple((v.origin, v.stance, v.weight) for v in a.votes)
    return (a.probability, a.status, a.confidence, a.credibility, a.reliability, votes)


def _by_part(store, knobs, questions):
    found, contradictions, figures, warnings = {}, set(), set(), []
    for part, result in store.assess_parts(knobs, questions=questions):
        assert set(result) == set(part.claims)
        for a in result.assessments:
            assert a.claim not in found, "a claim is in two parts"
            found[a.claim] = _judgement(a)
        contradictions |= {(c.claims, c.kind, c.reason) for c in result.contradictions}
        figures |= set(result.figures)
        warnings += [(w.kind, w.claim) for w in result.warnings]
    return found, contradictions, figures, sorted(warnings, key=repr)


class TestParts:
    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(case=cases(max_relations=6), questions=st.integers(1, 3), merge=st.booleans())
    def test_parts_assess_as_the_whole(self, tmp_path, case, questions, merge):
        """A part at a time, every claim, contradiction, figure and warning is the whole store's."""
        path = tmp_path / f"p{id(case)}.db"
        knobs = Settings(merge_echoes=merge)
        with open_store(path, create=True) as store:
            store.import_case(case)
            whole = case.assess(knobs)
            found, contradictions, figures, warnings = _by_part(store, knobs, questions)
        path.unlink()
        assert found == {a.claim: _judgement(a) for a in whole.assessments}
        assert contradictions == {(c.claims, c.kind, c.reason) for c in whole.contradictions}
        assert figures == set(whole.figures)
        assert warnings == sorted(((w.kind, w.claim) for w in whole.warnings), key=repr)

    def test_relations_across_questions_keep_their_claims_together(self, tmp_path):
        """Claims a relation joins are read in one part, even from different questions."""
        case = claimtrack.Case("joined")
        case.add_source("s", "S", "outlet")
        for q in ("q1", "q2", "q3"):
            case.add_question(q, f"{q}?")
            case.add_claim(f"{q}-a", f"{q} yes", question=q)
            case.attribute(f"{q}-a", "s")
        case.add_claim("free", "No question")
        case.relate("contradicts", "q1-a", "q3-a")
        case.relate("supports", "free", "q2-a")
        with open_store(tmp_path / "j.db", create=True) as store:
            store.import_case(case)
            parts = [sorted(p.claims) for p in store.parts(questions=1)]
        assert parts == [["q1-a", "q3-a"], ["free", "q2-a"]]

    def test_every_part_is_small(self, tmp_path):
        """Parts hold about the number of questions asked for, and only their attributions."""
        sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
        try:
            import corpus
        finally:
            sys.path.pop(0)
        case = claimtrack.loads(json.dumps(corpus.generate(2_000)), "json")
        with open_store(tmp_path / "c.db", create=True) as store:
            store.import_case(case)
            parts = list(store.parts(questions=40))
        assert len(parts) == len(case.questions) // 40
        assert sum(len(p.attributions) for p in parts) == len(case.attributions)
        assert max(len(p.questions) for p in parts) == 40

    def test_the_learned_mode_does_not_go_in_parts(self, store):
        """Learning needs the whole corpus: asking for it a part at a time is refused."""
        with pytest.raises(ValueError, match="whole corpus"):
            next(store.assess_parts(Settings(learn=True)))
        with pytest.raises(ValueError, match="at least 1"):
            next(store.parts(questions=0))


def _who_case() -> claimtrack.Case:
    """A case with every field of who stands behind a claim."""
    case = claimtrack.Case("who")
    case.add_source("moh", "Ministry", "official-body", reliability="C")
    case.add_source("spox", "Spokesman", "person", speaks_for="moh")
    case.add_source("army", "Army", "military")
    case.add_document("d", "army", "Briefing", published="2024-01-10")
    case.add_evidence("video", "video", "A livestream", first_seen="2024-01-09")
    case.add_evidence("memo", "document", "A memo", notes="leaked")
    case.add_question("who", "Who did it?", parties=["army", "moh"])
    case.add_claim("x", "The army did it", question="who", blames=["army"])
    case.add_claim("y", "The ministry did it", question="who", blames="moh")
    case.attribute("x", "spox", document="d", id="s-1", based_on=["video", "memo"], hedge="likely")
    case.attribute("x", "moh", "retracts", document="d", withdraws="s-1")
    case.attribute("y", "spox", in_own_name=True, against_interest=True, said="2024-01-09")
    case.attribute("y", "army", id="a-1", hedge="high confidence")
    return case


def _schema_1_store(path: Path) -> None:
    """A store as claimtrack wrote it before schema 2: one source, claim and attribution."""
    from claimtrack.store._sqlite import APPLICATION_ID

    with sqlite3.connect(path) as db:
        for statement in MIGRATIONS[0].split(";"):
            if statement.strip():
                db.execute(statement)
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute("PRAGMA user_version = 1")
        db.execute(
            "INSERT INTO sources VALUES ('s', 'S', 'outlet', '{\"name\":\"S\",\"kind\":\"outlet\"}')"
        )
        db.execute("INSERT INTO claims VALUES ('c', NULL, 'C', '{\"text\":\"C\"}')")
        db.execute(
            "INSERT INTO attributions VALUES (0, 'c', 's', 'asserts', NULL, NULL, NULL, "
            '\'{"claim":"c","source":"s"}\')'
        )


class TestWhoStandsBehind:
    def test_import_and_read_back_keep_every_field(self, tmp_path):
        """Evidence, parties, blame, ids, withdrawals, hedges and flags come back as they went in."""
        case = _who_case()
        with open_store(tmp_path / "w.db", create=True) as store:
            store.import_case(case)
            back = store.to_case()
            assert back == case
            assert back.evidence == case.evidence
            assert store.evidence("memo") == case.evidence["memo"]
            with pytest.raises(KeyError):
                store.evidence("nope")
            assert store.attributions_of("x") == case.attributions_of("x")
            assert store.claims_of("who") == case.claims_of("who")
            for att in case.attributions:
                assert store.speaks_as(att) == case.speaks_as(att)
                assert store.origin(att) == case.origin(att)
            assert store.origin(case.attributions[0]).id == "moh"
            (part,) = store.parts()
            assert part == case
            assert store.case_of("who").evidence == case.evidence

    def test_export_through_the_command_line(self, tmp_path, capsys):
        """A case imported to a store exports to YAML and JSON with every new field."""
        case = _who_case()
        source = tmp_path / "case.yaml"
        case.save(source)
        db = tmp_path / "w.db"
        assert main(["import", str(source), str(db)]) == 0
        capsys.readouterr()
        for fmt in ("yaml", "json"):
            assert main(["export", str(db), "--to", fmt]) == 0
            text = capsys.readouterr().out
            assert claimtrack.loads(text, fmt) == case

    def test_evidence_is_updated_by_id(self, tmp_path):
        """An item of evidence is replaced by id, as any keyed record is; an unknown one is refused."""
        with open_store(tmp_path / "u.db", create=True) as store:
            store.import_case(_who_case())
            store.update(claimtrack.Evidence("memo", "intelligence", "An intercept"))
            assert store.to_case().evidence["memo"].kind is claimtrack.EvidenceKind.INTELLIGENCE
            with pytest.raises(IntegrityError, match="no item of evidence 'nope' to replace"):
                store.update(claimtrack.Evidence("nope", "video", "x"))
            with pytest.raises(
                IntegrityError, match=r"evidence\.memo\.kind: 'intelligence' in the store"
            ):
                store.add(claimtrack.Evidence("memo", "video", "x"))

    @pytest.mark.parametrize(
        ("records", "place", "message"),
        [
            ([Attribution("x", "army", based_on=["vidoe"])], "attributions[4].based_on", "no evidence 'vidoe'"),
            ([claimtrack.Question("q2", "Q?", parties=["nobody"])], "questions.q2.parties[0]", "unknown source 'nobody'"),
            ([Claim("c2", "C", blames="nobody")], "claims.c2.blames[0]", "unknown source 'nobody'"),
            ([Attribution("x", "army", id="s-1")], "attributions[4].id", "the id 's-1' is taken by attributions[0]"),
            ([Attribution("x", "army", "retracts", withdraws="nothing")], "attributions[4].withdraws", "withdraws 'nothing'"),
            ([Attribution("y", "army", "retracts", withdraws="s-1")], "attributions[4].withdraws", "withdraws 's-1'"),
            ([Attribution("x", "army", hedge="unlikely")], "attributions[4].hedge", "the mirrored word ('likely')"),
        ],
    )  # fmt: skip
    def test_the_store_refuses_what_a_case_refuses(self, tmp_path, records, place, message):
        """A record naming what the store lacks, or repeating an id, is refused; nothing is added."""
        case = _who_case()
        with open_store(tmp_path / "r.db", create=True) as store:
            store.import_case(case)
            with pytest.raises(IntegrityError) as info:
                store.add(*records)
            assert any(p.place == place and message in p.message for p in info.value.problems)
            assert store.to_case() == case
            assert store.integrity_problems() == []

    def test_a_store_of_schema_1_is_upgraded(self, tmp_path):
        """An older store opens, is brought to the current schema, and takes the new records."""
        path = tmp_path / "old.db"
        _schema_1_store(path)
        with open_store(path) as store:
            old = store.to_case()
            assert [(a.claim, a.source, a.id, a.based_on) for a in old.attributions] == [
                ("c", "s", None, ())
            ]
            store.add(
                claimtrack.Evidence("v", "video", "A video"),
                Attribution("c", "s", id="a-1", based_on=["v"]),
                Attribution("c", "s", "retracts", withdraws="a-1"),
            )
            case = store.to_case()
        with sqlite3.connect(path) as db:
            assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert case.evidence["v"].kind is claimtrack.EvidenceKind.VIDEO
        assert [a.withdraws for a in case.attributions] == [None, None, "a-1"]
        with open_store(path) as store:
            assert store.integrity_problems() == []
