"""Hostile input, second round: bounded hints, lone surrogates, confined text files, limits on values.

Each class holds one item of the issue: what a hostile file did before (quadratic "did you
mean", a lone surrogate that passed ``check`` and broke the exports, a ``text_file`` read
from anywhere on the disk, a file of a few megabytes that took gigabytes, a duplicate key
that slipped past the bulk loader, ``true`` read as 1) and what it gets now: a clean
:class:`claimtrack.CaseError`, at once.
"""

from __future__ import annotations

import difflib
import io
import json
import os
import subprocess
import sys
import threading
import time
import tracemalloc

from pathlib import Path

import pytest

import claimtrack
import claimtrack._suggest

from claimtrack import CaseError, CaseFileError, IntegrityError
from claimtrack.files._parsing import json_items, parse_json
from claimtrack.model._texts import read_bounded
from claimtrack.report import Report


CLAIMTRACK = str(Path(sys.executable).with_name("claimtrack"))

LONE = "holds a lone surrogate (U+D800), which is not text"


def base(**sections: object) -> dict[str, object]:
    """A small valid case's data, with *sections* put in or over it."""
    data: dict[str, object] = {
        "claimtrack": 1,
        "title": "Rockets",
        "sources": {"s": {"name": "S", "kind": "outlet"}, "t": {"name": "T", "kind": "person"}},
        "documents": {"d": {"publisher": "s", "title": "D"}},
        "questions": {"q": {"text": "How many?"}},
        "claims": {
            "c": {"text": "Five rockets", "question": "q", "value": {"exactly": 5}},
            "e": {"text": "Six rockets", "question": "q"},
        },
        "attributions": [{"claim": "c", "source": "t", "document": "d", "via": ["s"]}],
        "relations": [{"kind": "contradicts", "claims": ["c", "e"]}],
    }
    data.update(sections)
    return data


def error_of(text: str, fmt: str = "json", **kw: object) -> CaseError:
    with pytest.raises(CaseError) as info:
        claimtrack.loads(text, fmt, **kw)
    return info.value


def load_error(path: object) -> CaseFileError:
    with pytest.raises(CaseFileError) as info:
        claimtrack.load(path)
    return info.value


def items_of(value: object) -> int:
    """The values *value* holds, itself included: each mapping, list, key and scalar is one."""
    if isinstance(value, dict):
        return 1 + sum(1 + items_of(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(items_of(v) for v in value)
    return 1


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CLAIMTRACK, *args],
        input=None if stdin is None else stdin.decode(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def unknown_references(n: int) -> str:
    """JSON of *n* claims and *n* attributions, each naming a claim the case lacks."""
    return json.dumps(
        {
            "claimtrack": 1,
            "sources": {"s": {"name": "S", "kind": "outlet"}},
            "claims": {f"claim-{i}": {"text": f"C{i}"} for i in range(n)},
            "attributions": [{"claim": f"unknown-claim-{i}", "source": "s"} for i in range(n)],
        }
    )


def finishes(f, seconds: float = 10.0):
    """Run *f* in a thread; its result or error, or a failure if it hangs past *seconds*."""
    out: dict[str, object] = {}

    def target() -> None:
        try:
            out["value"] = f()
        except BaseException as e:  # noqa: BLE001 - handed to the test
            out["error"] = e

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    if "error" in out:
        raise out["error"]  # type: ignore[misc]
    return out.get("value")


# ---- 2. "did you mean", at a bounded cost ----------------------------------------------------


class TestSuggestions:
    def test_many_unknown_references_are_checked_at_once(self):
        """3,000 attributions naming unknown claims are checked in well under a second each run.

        Each unknown reference was compared with every claim: 3,000 took some thirty seconds.
        """
        text = unknown_references(3_000)
        start = time.perf_counter()
        err = error_of(text)
        assert time.perf_counter() - start < 3.0
        assert len(err.problems) == 3_000
        assert err.problems[0].message == (
            "unknown claim 'unknown-claim-0' (did you mean 'claim-0'?)"
        )

    def test_comparisons_are_bounded(self, monkeypatch):
        """However many unknown references, a check compares a bounded number of words."""
        compared: list[int] = []
        real = difflib.get_close_matches

        def counting(word, possibilities, *args, **kw):
            compared.append(len(possibilities))
            return real(word, possibilities, *args, **kw)

        monkeypatch.setattr(claimtrack._suggest.difflib, "get_close_matches", counting)
        error_of(unknown_references(2_000))
        assert len(compared) <= claimtrack._suggest.MAX_FRESH
        assert sum(compared) <= claimtrack._suggest.MAX_FRESH * 100

    def test_first_references_get_hints_and_repeats_keep_theirs(self):
        """The first twenty unknown words get a hint; one seen before keeps it past them."""
        data = json.loads(unknown_references(40))
        data["attributions"].append({"claim": "unknown-claim-3", "source": "s"})
        problems = error_of(json.dumps(data)).problems
        hinted = ["did you mean" in p.message for p in problems]
        assert hinted[:20] == [True] * 20
        assert not any(hinted[20:40])
        assert problems[40].message == "unknown claim 'unknown-claim-3' (did you mean 'claim-3'?)"

    @pytest.mark.parametrize(
        ("word", "meant"),
        [
            ("unknown-claim-4321", "claim-4321"),  # a prefix added
            ("xlaim-4321", "claim-4321"),  # the first character wrong
            ("claim-43210", "claim-4321"),  # a character added at the end
            ("claim-4312", "claim-4312"),  # a known id is its own closest
        ],
    )
    def test_large_vocabularies_still_find_the_id(self, word, meant):
        """In a vocabulary too large to compare whole, a misspelt id is found through its neighbours."""
        vocabulary = claimtrack._suggest.Vocabulary([f"claim-{i}" for i in range(10_000)])
        assert vocabulary.closest(word) == meant
        assert vocabulary.closest("zzzzzz") is None
        assert vocabulary.closest("c" * 10_000) is None  # far longer than any id: not compared

    def test_within_finds_a_longer_or_shorter_form(self):
        """With ``within``, an id held in the unknown one, or holding it, is taken as meant."""
        vocabulary = claimtrack._suggest.Vocabulary(["video", "livestream", "ab"])
        assert vocabulary.closest("no-such-video", within=True) == "video"
        assert vocabulary.closest("no-such-video") is None
        assert vocabulary.closest("no-such-ab", within=True) is None  # two characters: chance

    def test_a_vocabulary_catches_up_with_its_table(self):
        """An index of a growing table sees the ids added since it was made."""
        table = {f"claim-{i}": None for i in range(500)}
        vocabulary = claimtrack._suggest.Vocabulary(table)
        assert vocabulary.closest("sources-7") is None
        table["sources-7x"] = None
        assert vocabulary.closest("sources-7") == "sources-7x"

    def test_builders_refusing_many_records_stay_fast(self):
        """A builder refusing records one by one indexes the table once, not per refusal."""
        case = claimtrack.Case()
        case.add_source("s", "S", "outlet")
        for i in range(5_000):
            case.add_claim(f"claim-{i}", "C")
        start = time.perf_counter()
        for i in range(300):
            with pytest.raises(IntegrityError, match=f"did you mean 'claim-{i}'"):
                case.attribute(f"claim-{i}x", "s")
        assert time.perf_counter() - start < 3.0
        assert len(case._vocabularies) == 1

    def test_the_report_suggests_through_the_same_function(self):
        """An unknown question asked of the report is hinted at, as ids are."""
        case = claimtrack.loads(json.dumps(base()), "json")
        with pytest.raises(ValueError, match=r"no question 'qq' \(did you mean 'q'\?\)"):
            Report(case, question="qq")

    def test_hints_of_keys_and_values_are_kept(self):
        """Unknown fields and enum values are still hinted at."""
        data = base()
        data["sources"]["s"] = {"name": "S", "kind": "outlt", "reliabilty": "B"}
        messages = {p.message for p in error_of(json.dumps(data)).problems}
        assert "unknown field 'reliabilty' (did you mean 'reliability'?)" in messages
        assert any("did you mean 'outlet'?" in m for m in messages)


# ---- 3. lone surrogates --------------------------------------------------------------------


_FIELDS = [
    (("title",), "title"),
    (("description",), "description"),
    (("sources", "s", "name"), "sources.s.name"),
    (("sources", "s", "aliases"), "sources.s.aliases"),
    (("documents", "d", "title"), "documents.d.title"),
    (("documents", "d", "url"), "documents.d.url"),
    (("documents", "d", "text"), "documents.d.text"),
    (("questions", "q", "text"), "questions.q.text"),
    (("claims", "c", "text"), "claims.c.text"),
    (("claims", "c", "notes"), "claims.c.notes"),
    (("attributions", 0, "quote"), "attributions[0].quote"),
    (("attributions", 0, "notes"), "attributions[0].notes"),
    (("relations", 0, "reason"), "relations[0].reason"),
]


def _put(data: dict[str, object], path: tuple[object, ...], value: object) -> None:
    target: object = data
    for step in path[:-1]:
        target = target[step]  # type: ignore[index]
    target[path[-1]] = value  # type: ignore[index]


class TestLoneSurrogates:
    @pytest.mark.parametrize(("path", "place"), _FIELDS)
    @pytest.mark.parametrize("fmt", ["json", "yaml"])
    def test_every_text_is_refused_at_its_place(self, fmt, path, place):
        """A lone surrogate in any text is refused at load, named by its place, in both formats."""
        data = base()
        _put(data, path, "Five \ud800 rockets")
        text = json.dumps(data)  # escapes it as \ud800, which JSON and YAML both read
        assert "\\ud800" in text
        err = error_of(text, fmt)
        assert isinstance(err, CaseFileError)
        assert [(p.place, p.message.split(":")[0]) for p in err.problems] == [(place, LONE)]
        assert str(err).startswith(f"<string>: {place}: {LONE}: ")

    @pytest.mark.parametrize("fmt", ["json", "yaml"])
    def test_ids_and_keys_are_refused(self, fmt):
        """A surrogate in an id, a reference or a key of any mapping is refused too."""
        data = base()
        data["claims"]["c\udc00"] = {"text": "X"}
        data["attributions"][0]["via"] = ["s", "\udfff"]
        data["\ud800"] = 1
        err = error_of(json.dumps(data), fmt)
        places = [p.place for p in err.problems]
        assert places == ["claims['c\\udc00']", "attributions[0].via[1]", "'\\ud800'"]
        assert err.problems[0].message.startswith("the key holds a lone surrogate (U+DC00)")

    def test_the_bulk_path_refuses_what_the_detailed_path_refuses(self):
        """A file otherwise valid, which the bulk loader would build, is refused the same way."""
        data = base()
        data["claims"]["c"]["text"] = "\udbff"
        valid = base()
        assert claimtrack.loads(json.dumps(valid), "json")
        err = error_of(json.dumps(data))
        assert [p.place for p in err.problems] == ["claims.c.text"]
        assert "(U+DBFF)" in err.message

    def test_yaml_escapes_of_every_width(self):
        """YAML's \\u and \\U escapes of a surrogate are refused; a real character is kept."""
        for escape in ("\\ud800", "\\U0000d800", "\\uDFFF"):
            err = error_of(f'claimtrack: 1\ntitle: "a {escape} b"\n', "yaml")
            assert err.place == "title"
        case = claimtrack.loads('claimtrack: 1\ntitle: "a \\U0001F600 b"\n', "yaml")
        assert case.title == "a \U0001f600 b"

    def test_a_pair_of_json_escapes_is_one_character(self):
        """JSON's escaped pair is the character it stands for, and reads."""
        case = claimtrack.loads('{"claimtrack": 1, "title": "a \\ud83d\\ude00 b"}', "json")
        assert case.title == "a \U0001f600 b"
        assert claimtrack.loads(claimtrack.dumps(case, "json"), "json") == case

    def test_text_given_as_str_is_refused_with_line_and_column(self):
        """A surrogate in the text itself, which no file can hold, is refused where it stands."""
        err = error_of("claimtrack: 1\ntitle: ab\ud800c\n", "yaml")
        assert (err.place, err.message.split(":")[0]) == ("line 2, column 10", LONE)
        with pytest.raises(CaseFileError) as info:
            claimtrack.load(io.StringIO("claimtrack: 1\ntitle: ab\ud800c\n"))
        assert info.value.place == "line 2, column 10"

    @pytest.mark.parametrize(
        "build",
        [
            lambda c: c.add_claim("x", "Five \ud800 rockets"),
            lambda c: c.add_source("s\ud800", "S", "outlet"),
            lambda c: c.add_source("u", "U", "outlet", aliases=["\ud800"]),
            lambda c: c.add_claim("x", "X", tags=["ok", "\udc00"]),
            lambda c: c.attribute("c", "s", quote="\ud800"),
            lambda c: c.attribute("c", "s", via=["\ud800"]),
            lambda c: c.add_document("d2", "s", "D", text_file="a\ud800.txt"),
            lambda c: c.add_claim("n", "N", value=claimtrack.Count.exactly(4, unit="\ud800")),
        ],
    )
    def test_builders_refuse_it_as_they_refuse_other_bad_text(self, build):
        """Python builders raise ValueError naming the field, as for blank text."""
        case = claimtrack.Case()
        case.add_source("s", "S", "outlet")
        case.add_claim("c", "C")
        with pytest.raises(ValueError, match=r"holds a lone surrogate \(U\+D[8C]00\)"):
            build(case)

    def test_fast_constructors_refuse_it_as_init_does(self):
        """Claim.many and Attribution.columns raise exactly what __init__ raises."""
        with pytest.raises(ValueError, match="'text' holds a lone surrogate"):
            claimtrack.Claim.many([("c", "\ud800", None, None, None, (), (), (), None)])
        columns = [[v] for v in ("c", "s", claimtrack.Stance.ASSERTS, None, ())]
        columns += [["\ud800"], [None], [None], [None], [claimtrack.Mode.ON_RECORD], [None]]
        columns += [[None], [None], [()], [None], [None], [False], [False]]
        with pytest.raises(ValueError, match="'quote' holds a lone surrogate"):
            claimtrack.Attribution.columns(*columns)

    def test_a_case_title_is_an_error_and_is_not_saved(self, tmp_path):
        """The case's own title is checked, and an invalid case is refused, not half written."""
        case = claimtrack.Case(title="Rockets \ud800")
        assert [(p.place, p.is_error) for p in case.validate()] == [("title", True)]
        with pytest.raises(IntegrityError):
            case.save(tmp_path / "case.yaml")
        assert not (tmp_path / "case.yaml").exists()

    def test_check_refuses_it_and_exports_never_meet_it(self, tmp_path):
        """``check`` exits 1 with the place; ``export`` is refused at load, not at writing."""
        path = tmp_path / "case.json"
        path.write_text(json.dumps(base(claims={"c": {"text": "Five \ud800 rockets"}})))
        for args in (["check"], ["export", "--to", "csv"], ["assess"]):
            done = run_cli(*args, str(path))
            assert done.returncode == 1
            assert f"{path}: claims.c.text: {LONE}" in done.stderr
            assert "Traceback" not in done.stderr


# ---- 5. text files: confined, bounded, every failure worded ----------------------------------


@pytest.fixture(name="folder")
def _folder(tmp_path):
    """A case folder with a text file inside it, and a secret outside it."""
    inside = tmp_path / "case"
    inside.mkdir()
    (inside / "a.txt").write_text("The five rockets fell.")
    (tmp_path / "secret.txt").write_text("hunter2 is the password")
    return inside


def text_case(folder: Path, text_file: str, quote: str = "five rockets", **kw: object) -> Path:
    data = base(
        documents={"d": {"publisher": "s", "title": "D", "text_file": text_file}},
        attributions=[{"claim": "c", "source": "t", "document": "d", "quote": quote}],
    )
    path = folder / "case.json"
    path.write_text(json.dumps(data))
    return path


def text_problems(case: claimtrack.Case) -> list[tuple[str, str, bool]]:
    return [
        (p.place, p.message, p.is_error)
        for p in case.validate()
        if p.place.startswith(("documents", "attributions"))
    ]


class TestTextFiles:
    def test_a_file_inside_is_read(self, folder):
        case = claimtrack.load(text_case(folder, "a.txt"))
        assert text_problems(case) == []
        assert case.anchor(0).found

    @pytest.mark.parametrize(
        "name", ["../secret.txt", "sub/../../secret.txt", "../case/../secret.txt"]
    )
    def test_a_path_out_of_the_folder_is_refused_unread(self, folder, name, monkeypatch):
        """``..`` out of the folders is an error at the text_file; the file is never opened."""
        case = claimtrack.load(text_case(folder, name, quote="hunter2"))
        opened: list[object] = []
        real = os.open
        monkeypatch.setattr(os, "open", lambda p, *a: opened.append(p) or real(p, *a))
        [(place, message, is_error)] = text_problems(case)
        assert place == "documents.d.text_file"
        assert message.startswith(f"'{name}' lies outside the case's folder and the text folders")
        assert is_error
        assert case.text_of("d") is None
        assert case.anchor(0) is None  # no found or orphaned mark to tell what the file holds
        assert opened == []

    def test_a_missing_file_out_of_the_folder_is_refused_the_same(self, folder):
        """Whether the outside file exists is not told: the answer is the same."""
        case = claimtrack.load(text_case(folder, "../no-such-file.txt"))
        [(_, message, _)] = text_problems(case)
        assert "lies outside" in message

    def test_a_link_out_of_the_folder_is_refused(self, folder):
        (folder / "link.txt").symlink_to(folder.parent / "secret.txt")
        case = claimtrack.load(text_case(folder, "link.txt", quote="hunter2"))
        [(_, message, is_error)] = text_problems(case)
        assert "lies outside" in message
        assert is_error
        assert case.anchor(0) is None

    def test_a_link_within_the_folder_is_followed(self, folder):
        (folder / "link.txt").symlink_to(folder / "a.txt")
        case = claimtrack.load(text_case(folder, "link.txt"))
        assert text_problems(case) == []

    def test_the_text_folders_are_allowed(self, folder, tmp_path):
        texts = tmp_path / "texts"
        texts.mkdir()
        (texts / "b.txt").write_text("The five rockets fell.")
        case = claimtrack.load(text_case(folder, "b.txt"), texts=texts)
        assert text_problems(case) == []
        done = run_cli("check", "--texts", str(texts), str(folder / "case.json"))
        assert done.returncode == 0, done.stderr

    def test_a_file_past_the_limit_is_refused_unread(self, folder):
        (folder / "big.txt").write_bytes(b"five rockets " * 10)
        path = text_case(folder, "big.txt")
        case = claimtrack.load(path, limits=claimtrack.Limits(max_text_file=129))
        [(_, message, is_error)] = text_problems(case)
        assert "holds 130 bytes than a text file may (the limit is 129; see" in message
        assert is_error
        case = claimtrack.load(path, limits=claimtrack.Limits(max_text_file=130))
        assert text_problems(case)[0][1].startswith("the quote occurs 10 times")  # read, then

    def test_a_huge_sparse_file_is_refused_without_reading(self, folder):
        """A 3 GB file (sparse: it costs no disk) is refused by its size, at once, in little memory."""
        with (folder / "huge.txt").open("wb") as f:
            f.truncate(3 * 2**30)
        case = claimtrack.load(text_case(folder, "huge.txt"))
        tracemalloc.start()
        try:
            [(_, message, _)] = text_problems(case)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert "3,221,225,472 bytes than a text file may" in message
        assert peak < 10 * 2**20

    def test_a_fifo_is_refused_without_waiting(self, folder):
        os.mkfifo(folder / "pipe.txt")
        case = claimtrack.load(text_case(folder, "pipe.txt"))
        [(_, message, is_error)] = finishes(lambda: text_problems(case))
        assert message.endswith("pipe.txt' is a FIFO (a named pipe), not a text file")
        assert is_error

    def test_a_folder_is_refused(self, folder):
        (folder / "dir.txt").mkdir()
        case = claimtrack.load(text_case(folder, "dir.txt"))
        [(_, message, _)] = text_problems(case)
        assert message.endswith("dir.txt' is a folder, not a text file")

    def test_a_name_too_long_is_a_problem(self, folder):
        case = claimtrack.load(text_case(folder, "x" * 5_000 + ".txt"))
        [(place, message, is_error)] = text_problems(case)
        assert place == "documents.d.text_file"
        assert message.endswith("cannot be read: File name too long")
        assert is_error

    def test_an_unreadable_folder_is_a_problem(self, folder, monkeypatch):
        """Any error of the system while looking is a problem, not a traceback."""
        real = Path.stat

        def denied(self, *a, **kw):
            if self.name == "a.txt":
                raise PermissionError(13, "Permission denied", str(self))
            return real(self, *a, **kw)

        monkeypatch.setattr(Path, "stat", denied)
        case = claimtrack.load(text_case(folder, "a.txt"))
        [(_, message, is_error)] = text_problems(case)
        assert message == "'a.txt' cannot be read: Permission denied"
        assert is_error

    def test_a_nul_in_the_name_is_a_problem(self, folder):
        case = claimtrack.load(text_case(folder, "a\x00.txt"))
        [(_, message, _)] = text_problems(case)
        assert "is not a usable file name" in message

    def test_check_words_every_failure(self, folder):
        """``claimtrack check``: exit 1, ``FILE: PLACE: MESSAGE``, no traceback."""
        for name in ("../secret.txt", "x" * 5_000):
            path = text_case(folder, name)
            done = run_cli("check", str(path))
            assert done.returncode == 1
            assert f"{path}: documents.d.text_file: " in done.stderr
            assert "Traceback" not in done.stderr
            assert "hunter2" not in done.stdout + done.stderr


# ---- 7. duplicate keys, however spaced -------------------------------------------------------


class TestDuplicateKeys:
    @pytest.mark.parametrize("space", ["", " ", "\t", "\n  "])
    def test_a_repeated_key_is_refused_as_the_strict_parser_refuses_it(self, tmp_path, space):
        """The issue's file: ``"reliability": "E", "reliability" : "A"`` loaded as A."""
        text = json.dumps(base()).replace(
            '"kind": "outlet"}',
            f'"kind": "outlet", "reliability": "E", "reliability"{space}:{space}"A"}}',
            1,
        )
        with pytest.raises(CaseFileError) as strict:
            parse_json(text, file="<string>")
        err = error_of(text)
        assert err.problems == strict.value.problems
        assert err.message == "not valid JSON: duplicate key 'reliability'"
        path = tmp_path / "case.json"
        path.write_text(text)
        done = run_cli("check", str(path))
        assert (done.returncode, done.stderr.strip()) == (1, f"{path}: {err.message}")


# ---- 8. memory: values counted, special files refused, reads bounded --------------------------


class TestItems:
    def test_defaults(self):
        limits = claimtrack.Limits()
        assert (limits.max_items, limits.max_yaml_items, limits.max_text_file) == (
            20_000_000,
            500_000,
            64 * 2**20,
        )

    @pytest.mark.parametrize("field", ["max_items", "max_yaml_items", "max_text_file"])
    @pytest.mark.parametrize("value", [0, -1, 1.5, True, "10"])
    def test_bad_limits_refused(self, field, value):
        with pytest.raises(ValueError, match=f"Limits.{field} must be a whole number"):
            claimtrack.Limits(**{field: value})

    @pytest.mark.parametrize("fmt", ["json", "yaml"])
    @pytest.mark.parametrize("field", ["max_items", "max_yaml_items"])
    @pytest.mark.parametrize("punctuated", [False, True])
    def test_accepted_at_the_limit_refused_past_it(self, fmt, field, punctuated):
        """A file of N values reads with a limit of N, and is refused with N - 1, in both formats.

        JSON texts full of commas, colons and brackets are counted exactly all the same.
        """
        data = base()
        if punctuated:
            data["title"] = "a, b: [c] {d} " * 50
        text = json.dumps(data)
        n = items_of(data)
        if fmt == "json":
            assert json_items(text) == n
        if field == "max_yaml_items" and fmt == "json":
            assert claimtrack.loads(text, fmt, limits=claimtrack.Limits(max_yaml_items=1))
            return
        assert claimtrack.loads(text, fmt, limits=claimtrack.Limits(**{field: n}))
        err = error_of(text, fmt, limits=claimtrack.Limits(**{field: n - 1}))
        assert f"more than {n - 1:,} values (mappings, lists, keys and scalars)" in err.message
        assert err.message.endswith(f"(Limits.{field})")

    def test_yaml_is_held_to_the_smaller_limit(self):
        text = json.dumps(base())
        n = items_of(base())
        err = error_of(text, "yaml", limits=claimtrack.Limits(max_items=n - 1, max_yaml_items=n))
        assert err.message.endswith("(Limits.max_items)")

    @pytest.mark.parametrize(
        "text",
        ["[]", "{}", "[[], {}, [[]]]", '{"a": [1, "x,y:[{", {"b": null}], "c": {}}', " [ 1 , 2 ] "],
    )
    def test_json_values_are_counted_exactly(self, text):
        assert json_items(text) == items_of(json.loads(text))

    def test_a_yaml_bomb_of_values_is_refused_early(self):
        """``x: [0, 0, ...]``: refused at the limit, before the rest is read, in little memory.

        Five megabytes of it took 1.7 GB and a minute.
        """
        text = "claimtrack: 1\nx: [" + ",".join(["0"] * 200_000) + "]\n"
        tracemalloc.start()
        start = time.perf_counter()
        try:
            err = error_of(text, "yaml", limits=claimtrack.Limits(max_yaml_items=5_000))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert time.perf_counter() - start < 5.0
        assert "more than 5,000 values" in err.message
        assert err.place.startswith("line 2,")
        assert peak < 40 * 2**20

    def test_json_of_empty_mappings_is_refused_before_it_is_parsed(self, monkeypatch):
        """``[{}, {}, ...]`` past the limit is refused from its text: the decoder never runs."""
        text = "[" + ",".join(["{}"] * 100_000) + "]"

        def never(*_a: object, **_kw: object) -> object:
            raise AssertionError("parsed")

        monkeypatch.setattr(json, "loads", never)
        err = error_of(text, limits=claimtrack.Limits(max_items=50_000))
        assert "more than 50,000 values" in err.message

    def test_a_corpus_of_a_thousand_attributions_is_far_within(self):
        """The default leaves room: a case holds some fifteen values per attribution."""
        sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
        import corpus  # the benchmarks' generator

        data = corpus.generate(1_000)
        assert items_of(data) < 20 * 1_000
        assert json_items(json.dumps(data)) == items_of(data)


class TestSpecialFiles:
    def test_dev_zero_is_refused_unread(self):
        """A device never ends: refused by what it is, before it is opened."""
        err = finishes(lambda: load_error("/dev/zero"))
        assert err.message == "is a character device, not a case file"
        assert err.file == "/dev/zero"

    def test_a_fifo_is_refused_without_waiting(self, tmp_path):
        """Opening a FIFO waits for a writer forever: it is refused by what it is."""
        fifo = tmp_path / "case.yaml"
        os.mkfifo(fifo)
        err = finishes(lambda: load_error(fifo))
        assert err.message == "is a FIFO (a named pipe), not a case file"
        done = run_cli("check", str(fifo))
        assert (done.returncode, done.stderr.strip()) == (
            1,
            f"{fifo}: is a FIFO (a named pipe), not a case file",
        )

    def test_a_nul_in_the_name_is_refused(self):
        with pytest.raises(CaseFileError, match="not a usable file name"):
            claimtrack.load("case\x00.yaml")

    def test_standard_input_still_reads(self):
        text = json.dumps(base())
        done = run_cli("check", "-", stdin=text.encode())
        assert done.returncode == 0, done.stderr


class TestBoundedReads:
    def test_a_read_stops_one_byte_past_the_limit(self):
        stream = io.BytesIO(b"x" * 1000)
        assert len(read_bounded(stream, 99)) == 100
        assert stream.tell() == 100

    @pytest.mark.parametrize("expect", [0, 10, 4 * 2**20])
    def test_a_read_takes_the_whole_of_a_short_stream(self, expect):
        data = os.urandom(3 * 2**20 + 7)
        assert read_bounded(io.BytesIO(data), 8 * 2**20, expect) == data

    def test_a_big_stream_is_not_held_twice(self):
        """Reading 16 MiB past a wrong size hint takes about 16 MiB, not twice that."""
        size = 16 * 2**20
        stream = io.BytesIO(b"x" * size)
        tracemalloc.start()
        try:
            got = read_bounded(stream, 32 * 2**20, expect=0)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert len(got) == size
        assert peak < 1.4 * size


# ---- 13. true is not 1, 1.0 is not the version, merge keys are refused ------------------------


class TestExactTypes:
    @pytest.mark.parametrize("fmt", ["json", "yaml"])
    @pytest.mark.parametrize("value", [True, False, 1.0, 2.0])
    def test_credibility_takes_a_whole_number_only(self, fmt, value):
        data = base()
        data["attributions"][0]["credibility"] = value
        err = error_of(json.dumps(data), fmt)
        assert err.place == "attributions[0].credibility"
        assert err.message.startswith("expected one of 1, 2, 3, 4, 5, 6; got")
        data["attributions"][0]["credibility"] = 2
        case = claimtrack.loads(json.dumps(data), fmt)
        assert case.attributions[0].credibility is claimtrack.Credibility.PROBABLY_TRUE

    @pytest.mark.parametrize("value", [True, 1.0])
    def test_builders_refuse_true_as_a_credibility(self, value):
        with pytest.raises(ValueError, match="is not a valid Credibility"):
            claimtrack.Attribution("c", "s", credibility=value)

    @pytest.mark.parametrize("fmt", ["json", "yaml"])
    @pytest.mark.parametrize("version", [1.0, True, "1"])
    def test_the_version_is_the_whole_number_one(self, fmt, version):
        err = error_of(json.dumps(base(claimtrack=version)), fmt)
        assert err.place == "claimtrack"
        assert "is not one this claimtrack reads (it reads 1)" in err.message

    def test_an_inline_merge_key_is_refused(self):
        err = error_of("claimtrack: 1\nsources:\n  s: {<<: {name: S}, kind: outlet}\n", "yaml")
        assert err.place == "line 3, column 7"
        assert err.message == (
            "not valid YAML: merge keys (<<) are not allowed in case files; write the keys out"
        )

    def test_a_quoted_merge_key_is_just_an_unknown_field(self):
        err = error_of("claimtrack: 1\nsources:\n  s: {'<<': x, name: S, kind: outlet}\n", "yaml")
        assert (err.place, err.message) == ("sources.s.<<", "unknown field '<<'")
