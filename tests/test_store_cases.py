"""A store holding several cases: shared sources and documents, conflicts, --case, cases, merge, migration."""

import contextlib
import hashlib
import json
import sqlite3

from pathlib import Path

import pytest

import claimtrack

from claimtrack.cli import main
from claimtrack.errors import IntegrityError
from claimtrack.files._merge import merge
from claimtrack.store import MIGRATIONS, StoreError, load_any, open_store
from claimtrack.store._sqlite import APPLICATION_ID


def _data(title: str, cid: str = "c1", reuters: str = "Reuters") -> dict[str, object]:
    return {
        "claimtrack": 1,
        "title": title,
        "sources": {"reuters": {"name": reuters, "kind": "news-agency", "reliability": "B"}},
        "documents": {
            f"d-{cid}": {"publisher": "reuters", "title": f"Story {cid}", "published": "2024-01-02"}
        },
        "questions": {"q": {"text": "What happened?"}},
        "claims": {cid: {"text": "Missiles struck the station on Friday", "question": "q"}},
        "attributions": [{"claim": cid, "source": "reuters", "document": f"d-{cid}"}],
    }


def _write(tmp_path: Path, name: str, data: dict[str, object]) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _case(title: str, cid: str = "c1", reuters: str = "Reuters") -> claimtrack.Case:
    return claimtrack.loads(json.dumps(_data(title, cid, reuters)), "json")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class TestSeveralCases:
    def test_cases_share_identical_sources_and_keep_their_own_ids(self, tmp_path):
        """Two cases with the same source reuse it; the same claim and question ids live in both."""
        with open_store(tmp_path / "t.db", create=True) as store:
            store.import_case(_case("one"))
            store.import_case(_case("two"))  # the same ids c1, q and d-c1: its own claims
            assert [(c.name, c.sources, c.documents, c.claims) for c in store.cases()] == [
                ("one", 1, 1, 1),
                ("two", 1, 1, 1),
            ]
            with pytest.raises(StoreError, match=r"holds several cases \('one', 'two'\)"):
                store.to_case()
            store.choose("two")
            two = store.to_case()
        assert two.title == "two"
        assert two == _case("two")
        assert load_any(tmp_path / "t.db", case="one") == _case("one")

    def test_a_differing_source_is_refused_with_each_field_named(self, tmp_path):
        """Other content under a taken id is refused, naming the field; nothing is added."""
        path = tmp_path / "t.db"
        with open_store(path, create=True) as store:
            store.import_case(_case("one"))
        before = _digest(path)
        with open_store(path) as store:
            with pytest.raises(IntegrityError) as info:
                store.import_case(_case("three", "c3", "Reuters News"), origin="three.json")
            assert str(info.value.problems[0]).split(": ", 1)[1] == (
                "sources.reuters.name: 'Reuters' in the store, 'Reuters News' in three.json"
            )
            assert "--on-conflict keep" in info.value.problems[-1].message
            assert [c.name for c in store.cases()] == ["one"]
        assert _digest(path) == before

    @pytest.mark.parametrize(("policy", "name"), [("keep", "Reuters"), ("replace", "Reuters News")])
    def test_keep_or_replace(self, tmp_path, policy, name):
        """keep leaves the store's record in every case; replace puts the new one in every case."""
        with open_store(tmp_path / "t.db", create=True) as store:
            store.import_case(_case("one"))
            store.import_case(_case("three", "c3", "Reuters News"), on_conflict=policy)
            for case in ("one", "three"):
                store.choose(case)
                assert store.to_case().sources["reuters"].name == name
            assert [h.place for h in store.search("story")] == ["documents.d-c3"]

    def test_a_bad_policy(self, tmp_path):
        with (
            open_store(tmp_path / "t.db", create=True) as store,
            pytest.raises(ValueError, match="not 'merge'"),
        ):
            store.import_case(_case("one"), on_conflict="merge")

    def test_import_under_a_name_and_add_to_it(self, tmp_path):
        """--name names the case; adding to a chosen case writes there; the same ids again are refused."""
        with open_store(tmp_path / "t.db", create=True) as store:
            store.import_case(_case("one"), name="alpha")
            store.import_case(_case("one"), name="beta")
            with pytest.raises(IntegrityError, match="taken by another claim"):
                store.import_case(_case("one"), name="beta")
            store.choose("beta")
            store.add(claimtrack.Claim("c9", "Another", question="q"))
            assert sorted(store.to_case().claims) == ["c1", "c9"]
            store.choose("alpha")
            assert sorted(store.to_case().claims) == ["c1"]
            assert [c.title for c in store.cases()] == ["one", "one"]
            store.set_title("Alpha case")
            assert store.to_case().title == "Alpha case"
            with pytest.raises(
                StoreError, match="holds no case named 'gamma': it holds 'alpha', 'beta'"
            ):
                store.choose("gamma")

    def test_an_attribution_must_name_a_source_of_its_case(self, tmp_path):
        """A source of another case is not the chosen case's until added to it (alike: reused)."""
        with open_store(tmp_path / "t.db", create=True) as store:
            store.import_case(_case("one"))
            store.import_case(
                claimtrack.loads(
                    json.dumps({"claimtrack": 1, "title": "two", "claims": {"x": {"text": "X"}}}),
                    "json",
                )
            )
            store.choose("two")
            with pytest.raises(IntegrityError, match="unknown source 'reuters'"):
                store.add(claimtrack.Attribution("x", "reuters"))
            store.add(
                claimtrack.Source("reuters", "Reuters", "news-agency", reliability="B"),
                claimtrack.Attribution("x", "reuters"),
            )
            assert list(store.to_case().sources) == ["reuters"]
            assert store.integrity_problems() == []


class TestCommandLine:
    def test_import_cases_and_case_option(self, tmp_path, capsys):
        """The acceptance walk: two cases, cases lists them, a conflict named, keep, --case."""
        db = str(tmp_path / "team.db")
        one = _write(tmp_path, "one.json", _data("one"))
        two = _write(tmp_path, "two.json", _data("two", "c2"))
        three = _write(tmp_path, "three.json", _data("three", "c3", "Reuters News"))
        assert main(["import", str(one), db]) == 0
        assert main(["import", str(two), db]) == 0
        capsys.readouterr()
        assert main(["cases", db]) == 0
        out = capsys.readouterr().out
        assert out.splitlines() == [
            "one: 1 sources, 1 documents, 1 questions, 1 claims, 1 attributions",
            "two: 1 sources, 1 documents, 1 questions, 1 claims, 1 attributions",
        ]
        assert main(["import", str(three), db]) == 1
        err = capsys.readouterr().err
        assert "sources.reuters.name: 'Reuters' in the store, 'Reuters News' in three.json" in err
        assert main(["import", str(three), db, "--on-conflict", "keep", "--name", "3"]) == 0
        capsys.readouterr()
        for command in (["check"], ["assess"], ["report"], ["export"]):
            extra = ["--to", "json"] if command == ["export"] else []
            assert main([*command, db, *extra]) == 1
            err = capsys.readouterr().err
            assert "holds several cases ('one', 'two', '3')" in err
            assert "--case NAME" in err
            assert "Traceback" not in err
            assert main([*command, db, "--case", "two", *extra]) == 0
            capsys.readouterr()
        assert main(["export", db, "--case", "3", "--to", "json"]) == 0
        assert json.loads(capsys.readouterr().out)["sources"]["reuters"]["name"] == "Reuters"
        assert main(["assess", db, "--case", "nope"]) == 1
        assert "holds no case named 'nope'" in capsys.readouterr().err
        assert main(["assess", db, "--case", "one", "--stream", "--format", "jsonl"]) == 0
        assert json.loads(capsys.readouterr().out)["claim"] == "c1"

    def test_merge(self, tmp_path, capsys):
        """merge A B -o C: both analysts' records, once each; a differing record refused or settled."""
        one = _write(tmp_path, "one.json", _data("one"))
        two = _write(tmp_path, "two.json", _data("two", "c2"))
        out = tmp_path / "merged.json"
        assert main(["merge", str(one), str(two), "-o", str(out)]) == 0
        merged = claimtrack.load(out)
        assert merged.title == "one"
        assert len(merged.attributions) == 2
        assert sorted(merged.claims) == ["c1", "c2"]
        capsys.readouterr()
        clash = _write(tmp_path, "clash.json", _data("one", "c1", "Reuters News"))
        assert main(["merge", str(one), str(clash), "-o", str(tmp_path / "m.yaml")]) == 1
        err = capsys.readouterr().err
        assert (
            "clash.json: sources.reuters.name: 'Reuters' in one.json, 'Reuters News' in clash.json"
            in err
        )
        assert not (tmp_path / "m.yaml").exists()
        assert (
            main(
                [
                    "merge",
                    str(one),
                    str(clash),
                    "-o",
                    str(tmp_path / "m.yaml"),
                    "--on-conflict",
                    "replace",
                ]
            )
            == 0
        )
        assert claimtrack.load(tmp_path / "m.yaml").sources["reuters"].name == "Reuters News"
        assert main(["merge", str(one), str(two), "-o", str(tmp_path / "m.txt")]) == 2

    def test_merge_in_python(self):
        """An attribution both hold alike is kept once; the first case's title stays."""
        one = _case("one")
        same = merge(one, one)
        assert same == one
        other = claimtrack.loads(
            json.dumps({**_data("two"), "questions": {"q": {"text": "Who?"}}}), "json"
        )
        with pytest.raises(IntegrityError) as info:
            merge(one, other, names=("a.json", "b.json"))
        assert str(info.value.problems[0]) == (
            "b.json: questions.q.text: 'What happened?' in a.json, 'Who?' in b.json"
        )
        assert merge(one, other, on_conflict="keep") == one
        assert merge(one, other, on_conflict="replace").questions["q"].text == "Who?"


def _schema_2_store(path: Path) -> None:
    """A one-case store as claimtrack wrote it at schema 2."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        for step in MIGRATIONS[:2]:
            for statement in step.split(";"):
                if statement.strip():
                    db.execute(statement)
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute("PRAGMA user_version = 2")
        db.execute("INSERT INTO meta VALUES ('title', 'Old case')")
        db.execute(
            "INSERT INTO sources VALUES ('s', 'S', 'outlet', '{\"name\":\"S\",\"kind\":\"outlet\"}')"
        )
        db.execute(
            "INSERT INTO claims VALUES ('c', NULL, 'Missiles struck', '{\"text\":\"Missiles struck\"}')"
        )
        db.execute(
            "INSERT INTO attributions (seq, claim, source, stance, data) VALUES "
            "(0, 'c', 's', 'asserts', '{\"claim\":\"c\",\"source\":\"s\"}')"
        )
        db.execute("INSERT INTO search VALUES ('claim', 'c', 'missiles struck')")
        db.commit()


class TestMigration:
    def test_reading_an_older_store_writes_nothing(self, tmp_path, capsys):
        """A schema-2 store reads as one case named by its title, and reading leaves it as it was."""
        path = tmp_path / "old.db"
        _schema_2_store(path)
        before = _digest(path)
        with open_store(path) as store:
            assert [(c.name, c.claims) for c in store.cases()] == [("Old case", 1)]
            assert store.to_case().title == "Old case"
            assert [h.place for h in store.search("missiles")] == ["claims.c"]
            assert store.integrity_problems() == []
        with open_store(path, case="Old case") as store:
            assert list(store.to_case().claims) == ["c"]
        with pytest.raises(StoreError, match="holds no case named 'new'"):
            open_store(path, case="new")
        assert main(["cases", str(path)]) == 0
        assert main(["search", str(path), "missiles"]) == 0
        assert "Missiles struck" in capsys.readouterr().out
        assert _digest(path) == before
        assert not Path(f"{path}-wal").exists()

    def test_the_first_write_upgrades(self, tmp_path):
        """The first write brings the store to the current schema: case 1, stemmed search, a second case."""
        path = tmp_path / "old.db"
        _schema_2_store(path)
        with open_store(path) as store:
            store.import_case(_case("two"))
            assert [c.name for c in store.cases()] == ["Old case", "two"]
            assert {h.place for h in store.search("missile")} == {"claims.c", "claims.c1"}
            store.choose("Old case")
            assert list(store.to_case().claims) == ["c"]
            assert store.integrity_problems() == []
        with contextlib.closing(sqlite3.connect(path)) as db:
            assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) == 3

    def test_a_store_with_a_changed_cases_table_is_refused(self, tmp_path):
        """The schema check covers the new tables: a cases table not as claimtrack makes it is named."""
        path = tmp_path / "t.db"
        with open_store(path, create=True) as store:
            store.import_case(_case("one"))
        with contextlib.closing(sqlite3.connect(path)) as db:
            db.execute("DROP TABLE members")
            db.execute("CREATE TABLE members (case_id, kind, id)")
            db.commit()
        with pytest.raises(StoreError, match="its table 'members' is not as claimtrack makes it"):
            open_store(path)
