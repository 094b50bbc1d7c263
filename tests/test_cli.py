"""The command line: exit codes, messages on stderr, one problem per line, no tracebacks."""

import subprocess
import sys

from pathlib import Path

import pytest

import claimtrack

from claimtrack.cli import main


GOOD = """\
claimtrack: 1
title: Rockets
sources:
  smc: {name: Security Media Cell, kind: official-body}
  shafaq: {name: Shafaq News, kind: outlet}
documents:
  shafaq-1: {publisher: shafaq, title: Rockets from Zummar, published: 2024-04-22,
             text: "The SMC said the launch vehicle was destroyed."}
claims:
  vehicle: {text: Iraqi forces destroyed the launch vehicle}
attributions:
  - {claim: vehicle, source: smc, document: shafaq-1, via: [shafaq], quote: launch vehicle was destroyed}
"""


@pytest.fixture(name="good")
def _good(tmp_path):
    path = tmp_path / "good.yaml"
    path.write_text(GOOD)
    return path


class TestCheck:
    def test_valid_case_exits_zero(self, good, capsys):
        """A valid case exits 0 and says ok on stderr, nothing on stdout."""
        assert main(["check", str(good)]) == 0
        out, err = capsys.readouterr()
        assert out == ""
        assert f"{good}: ok" in err

    def test_unknown_id_exits_one_naming_the_place(self, tmp_path, capsys):
        """An unknown source exits 1 and names the file, the place and the id."""
        bad = tmp_path / "bad.yaml"
        bad.write_text(GOOD.replace("source: smc", "source: smcc"))
        assert main(["check", str(bad)]) == 1
        err = capsys.readouterr().err
        assert f"{bad}: attributions[0].source: unknown source 'smcc' (did you mean 'smc'?)" in err

    def test_every_problem_one_per_line(self, tmp_path, capsys):
        """Each problem is one line of stderr, and all are listed."""
        bad = tmp_path / "bad.yaml"
        bad.write_text(
            GOOD.replace("kind: official-body", "kind: body").replace(
                "title: Rockets from", "titel: Rockets from"
            )
        )
        assert main(["check", str(bad)]) == 1
        lines = capsys.readouterr().err.strip().splitlines()
        assert len(lines) == 3
        assert any("sources.smc.kind" in line for line in lines)
        assert any(
            "documents.shafaq-1.titel: unknown field 'titel' (did you mean 'title'?)" in line
            for line in lines
        )
        assert any(
            "documents.shafaq-1.title: required field 'title' is missing" in line for line in lines
        )

    def test_duplicate_yaml_key(self, tmp_path, capsys):
        """A duplicate key exits 1 with its line, never a traceback."""
        bad = tmp_path / "dup.yaml"
        bad.write_text(
            "claimtrack: 1\ntitle: dup\nsources:\n  a: {name: A, kind: outlet}\n  a: {name: B, kind: outlet}\n"
        )
        assert main(["check", str(bad)]) == 1
        err = capsys.readouterr().err
        assert "line 5" in err
        assert "duplicate key 'a'" in err

    def test_missing_file(self, tmp_path, capsys):
        """A missing file exits 1 and says so."""
        assert main(["check", str(tmp_path / "nope.yaml")]) == 1
        assert "nope.yaml: no such file" in capsys.readouterr().err

    def test_several_files(self, good, tmp_path, capsys):
        """Every file is checked even after a bad one; the status is the worst."""
        missing = tmp_path / "missing.json"
        assert main(["check", str(missing), str(good)]) == 1
        err = capsys.readouterr().err
        assert "missing.json: no such file" in err
        assert f"{good}: ok" in err

    def test_warnings_pass_unless_strict(self, tmp_path, capsys):
        """An orphaned quote is a warning: exit 0, or 1 with --strict."""
        path = tmp_path / "orphan.yaml"
        path.write_text(
            GOOD.replace("quote: launch vehicle was destroyed", "quote: launcher was blown up")
        )
        assert main(["check", str(path)]) == 0
        assert "attributions[0].quote: warning: " in capsys.readouterr().err
        assert main(["check", "--strict", str(path)]) == 1

    def test_quiet_hides_warnings(self, tmp_path, capsys):
        """--quiet prints errors only."""
        path = tmp_path / "orphan.yaml"
        path.write_text(
            GOOD.replace("quote: launch vehicle was destroyed", "quote: launcher was blown up")
        )
        assert main(["check", "-q", str(path)]) == 0
        assert capsys.readouterr().err == ""

    def test_texts_folder(self, tmp_path, capsys):
        """--texts names a folder where text files are looked for."""
        texts = tmp_path / "texts"
        texts.mkdir()
        (texts / "a.txt").write_text("The SMC said the launch vehicle was destroyed.")
        case = tmp_path / "case.yaml"
        case.write_text(
            GOOD.replace(
                'text: "The SMC said the launch vehicle was destroyed."', "text_file: a.txt"
            )
        )
        assert main(["check", str(case)]) == 0
        assert "not found" in capsys.readouterr().err
        assert main(["check", "--strict", str(case), "--texts", str(texts)]) == 0

    def test_stdin(self, monkeypatch, capsys):
        """- reads the case from standard input."""
        import io

        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(GOOD.encode())))
        assert main(["check", "-"]) == 0


class TestUsage:
    def test_no_command_is_a_usage_error(self, capsys):
        """No command exits 2 with usage on stderr."""
        assert main([]) == 2
        assert "usage:" in capsys.readouterr().err

    def test_help_exits_zero(self, capsys):
        """--help exits 0 and shows an example."""
        assert main(["check", "--help"]) == 0
        assert "examples:" in capsys.readouterr().out

    def test_version(self, capsys):
        """--version prints the installed version."""
        import claimtrack

        assert main(["--version"]) == 0
        assert claimtrack.__version__ in capsys.readouterr().out


def test_python_dash_m(good):
    """python -m claimtrack runs the same command line."""
    r = subprocess.run(
        [sys.executable, "-m", "claimtrack", "check", str(good)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    assert "ok" in r.stderr
    assert "Traceback" not in r.stderr


def test_console_script_on_path(good):
    """The claimtrack console script is installed next to the interpreter."""
    script = Path(sys.executable).parent / "claimtrack"
    r = subprocess.run(
        [str(script), "check", str(good)], capture_output=True, text=True, check=False
    )
    assert r.returncode == 0, r.stderr


SEED = Path(__file__).parent.parent / "examples" / "iraq-2024" / "case.yaml"


class TestExport:
    @pytest.mark.parametrize(
        "fmt", ["json", "yaml", "jsonl", "csv", "claimreview", "prov-json", "prov-n"]
    )
    def test_every_format_to_a_file(self, fmt, tmp_path, capsys):
        """Each format is written to -o, nothing on stdout, and the file reads back."""
        out = tmp_path / f"out.{fmt}"
        # a review is published: it needs its author, its address and the claims it rates
        extra = (
            ["--reviewer", "Desk A", "--url", "https://example.org/r", "--all-claims"]
            if fmt == "claimreview"
            else []
        )
        assert main(["export", str(SEED), "--to", fmt, "-o", str(out), *extra]) == 0
        assert capsys.readouterr().out == ""
        text = out.read_text(encoding="utf-8")
        assert text.endswith("\n")
        if fmt in ("json", "yaml"):
            import claimtrack

            assert claimtrack.load(out, format=fmt) == claimtrack.load(SEED)

    def test_tables_agree(self, tmp_path):
        """JSON Lines and CSV hold the same number of rows, at least ten for the seed case."""
        import csv
        import json

        assert main(["export", str(SEED), "--to", "jsonl", "-o", str(tmp_path / "a.jsonl")]) == 0
        assert main(["export", str(SEED), "--to", "csv", "-o", str(tmp_path / "a.csv")]) == 0
        lines = (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()
        rows = [json.loads(line) for line in lines]
        with (tmp_path / "a.csv").open(newline="", encoding="utf-8") as f:
            assert len(list(csv.DictReader(f))) == len(rows) >= 10

    def test_claimreview_and_prov_read_back(self, tmp_path):
        """ClaimReview is schema.org JSON-LD; PROV-JSON deserialises with prov."""
        import json

        from prov.model import ProvDocument

        publish = ["--reviewer", "Desk A", "--url", "https://example.org/r", "--all-claims"]
        assert (
            main(["export", str(SEED), "--to", "claimreview", "-o", str(tmp_path / "c"), *publish])
            == 0
        )
        text = (tmp_path / "c").read_text(encoding="utf-8")
        assert "schema.org" in text[:2000]
        assert {r["@type"] for r in json.loads(text)["@graph"]} == {"ClaimReview"}
        assert main(["export", str(SEED), "--to", "prov-json", "-o", str(tmp_path / "p")]) == 0
        doc = ProvDocument.deserialize(source=str(tmp_path / "p"), format="json")
        kinds = {type(r).__name__ for r in doc.get_records()}
        assert {"ProvAgent", "ProvEntity", "ProvAttribution"} <= kinds

    def test_case_before_or_after_the_format(self, capsys):
        """The case may come before --to or after its format; a stray word is a usage error."""
        assert main(["export", str(SEED), "--to", "jsonl"]) == 0
        first = capsys.readouterr().out
        assert main(["export", "--to", "jsonl", str(SEED)]) == 0
        assert capsys.readouterr().out == first
        assert main(["export", "--to", "jsonl"]) == 2
        assert "required: CASE" in capsys.readouterr().err
        assert main(["export", str(SEED), "--to", "jsonl", "stray"]) == 2
        assert "unrecognized arguments: stray" in capsys.readouterr().err

    def test_stdout_by_default(self, capsys):
        """Without -o (or with -o -), the export goes to standard output."""
        assert main(["export", str(SEED), "--to", "jsonl"]) == 0
        first = capsys.readouterr().out
        assert main(["export", str(SEED), "--format", "jsonl", "-o", "-"]) == 0
        assert capsys.readouterr().out == first
        assert first.count("\n") >= 10

    def test_reviewer(self, capsys):
        """--reviewer names the author of every ClaimReview."""
        import json

        publish = ["--url", "https://example.org/r", "--all-claims"]
        assert (
            main(["export", str(SEED), "--to", "claimreview", "--reviewer", "Desk A", *publish])
            == 0
        )
        reviews = json.loads(capsys.readouterr().out)["@graph"]
        assert {r["author"]["name"] for r in reviews} == {"Desk A"}

    def test_unknown_format_is_a_usage_error(self, capsys):
        """An unknown --to exits 2 and lists the formats."""
        assert main(["export", str(SEED), "--to", "xml"]) == 2
        err = capsys.readouterr().err
        assert "invalid choice: 'xml'" in err
        assert "prov-json" in err

    def test_missing_format_is_a_usage_error(self, capsys):
        """--to is required."""
        assert main(["export", str(SEED)]) == 2
        assert "--to" in capsys.readouterr().err

    def test_missing_file(self, tmp_path, capsys):
        """A missing case exits 1 with the file named and no traceback."""
        assert main(["export", str(tmp_path / "gone.yaml"), "--to", "csv"]) == 1
        err = capsys.readouterr().err
        assert "gone.yaml: no such file" in err
        assert "Traceback" not in err

    def test_invalid_case(self, tmp_path, capsys):
        """An invalid case exits 1 naming the place; nothing is written."""
        bad = tmp_path / "bad.yaml"
        bad.write_text(GOOD.replace("source: smc", "source: smcc"))
        out = tmp_path / "out.csv"
        assert main(["export", str(bad), "--to", "csv", "-o", str(out)]) == 1
        assert "attributions[0].source: unknown source 'smcc'" in capsys.readouterr().err
        assert not out.exists()

    def test_unwritable_output(self, tmp_path, capsys):
        """An output in a missing folder exits 1 with a message, not a traceback."""
        out = tmp_path / "no" / "such" / "out.csv"
        assert main(["export", str(SEED), "--to", "csv", "-o", str(out)]) == 1
        assert "cannot be written" in capsys.readouterr().err

    def test_stdin(self, monkeypatch, capsys):
        """- reads the case from standard input."""
        import io

        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(GOOD.encode())))
        assert main(["export", "-", "--to", "jsonl"]) == 0
        assert '"claim":"vehicle"' in capsys.readouterr().out

    def test_missing_extra(self, monkeypatch, capsys):
        """Without prov installed, prov-json exits 1 naming the extra, with no traceback."""
        import builtins

        real = builtins.__import__

        def refuse(name, *args, **kwargs):
            if name.startswith("prov"):
                raise ModuleNotFoundError("No module named 'prov'", name="prov")
            return real(name, *args, **kwargs)

        monkeypatch.setattr(builtins, "__import__", refuse)
        assert main(["export", str(SEED), "--to", "prov-json"]) == 1
        assert 'pip install "claimtrack[prov]"' in capsys.readouterr().err


class TestAssessFormats:
    @pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
    def test_data_formats(self, fmt, capsys):
        """JSON, JSON Lines and CSV each carry every claim of the case."""
        import csv
        import io
        import json

        import claimtrack

        assert main(["assess", str(SEED), "--format", fmt]) == 0
        out = capsys.readouterr().out
        if fmt == "json":
            claims = {a["claim"] for a in json.loads(out)["assessments"]}
        elif fmt == "jsonl":
            claims = {json.loads(line)["claim"] for line in out.splitlines()}
        else:
            claims = {r["claim"] for r in csv.DictReader(io.StringIO(out))}
        assert claims == set(claimtrack.load(SEED).claims)

    def test_table_has_no_colour_off_a_terminal(self, capsys):
        """The table printed to a pipe holds no escape codes."""
        assert main(["assess", str(SEED)]) == 0
        out = capsys.readouterr().out
        assert "Iraq 2024" in out
        assert "\x1b[" not in out

    def test_no_color_on_a_terminal(self, monkeypatch):
        """NO_COLOR turns colour off even on a terminal; without it, a terminal gets colour."""
        import io

        from claimtrack.cli import _console

        class Tty(io.StringIO):
            def isatty(self):
                return True

        monkeypatch.delenv("NO_COLOR", raising=False)
        monkeypatch.delenv("FORCE_COLOR", raising=False)
        monkeypatch.delenv("TERM", raising=False)
        assert _console(Tty()).color_system is not None
        monkeypatch.setenv("NO_COLOR", "1")
        assert _console(Tty()).color_system is None

    def test_table_to_file(self, tmp_path):
        """-o writes the table to a file, without colour."""
        out = tmp_path / "table.txt"
        assert main(["assess", str(SEED), "-o", str(out)]) == 0
        text = out.read_text(encoding="utf-8")
        assert "Iraq 2024" in text
        assert "\x1b[" not in text

    def test_unknown_format(self, capsys):
        """An unknown --format exits 2."""
        assert main(["assess", str(SEED), "--format", "xml"]) == 2
        assert "invalid choice" in capsys.readouterr().err

    def test_missing_file(self, tmp_path, capsys):
        """A missing case exits 1 with no traceback."""
        assert main(["assess", str(tmp_path / "gone.yaml")]) == 1
        assert "gone.yaml: no such file" in capsys.readouterr().err


class TestAssessStream:
    @pytest.fixture(name="store")
    def _store(self, tmp_path):
        import json

        sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
        try:
            import corpus
        finally:
            sys.path.pop(0)
        case_file = tmp_path / "corpus.json"
        case_file.write_text(json.dumps(corpus.generate(3_000)), encoding="utf-8")
        db = tmp_path / "corpus.db"
        assert main(["import", str(case_file), str(db)]) == 0
        return case_file, db

    @pytest.mark.parametrize("fmt", ["jsonl", "csv"])
    def test_rows_are_those_of_the_whole(self, store, fmt, tmp_path, capsys):
        """Streamed from a store, the rows are the very rows of the whole case, in parts."""
        case_file, db = store
        assert main(["assess", str(case_file), "--format", fmt]) == 0
        whole = capsys.readouterr().out
        out = tmp_path / f"rows.{fmt}"
        args = ["assess", str(db), "--stream", "--part-size", "40", "--format", fmt]
        assert main([*args, "-o", str(out)]) == 0
        with out.open(encoding="utf-8", newline="") as f:
            streamed = f.read()
        lines = whole.splitlines(keepends=True)
        mine = streamed.splitlines(keepends=True)
        if fmt == "csv":  # one header, then the rows
            assert mine[0] == lines[0]
            lines, mine = lines[1:], mine[1:]
        assert sorted(mine) == sorted(lines)
        assert len(mine) == len(lines) > 800

    def test_stdout(self, store, capsys):
        """Without -o the rows go to standard output, part after part."""
        _, db = store
        assert main(["assess", str(db), "--stream", "--part-size", "7", "--format", "jsonl"]) == 0
        assert len(capsys.readouterr().out.splitlines()) == 900

    @pytest.mark.parametrize(
        ("extra", "message"),
        [
            (["--format", "json"], "use --format jsonl or --format csv"),
            (["--format", "jsonl", "--learn"], "learning needs the whole corpus"),
            (["--format", "jsonl", "--part-size", "0"], "expected 1 or more"),
        ],
    )
    def test_refusals(self, store, extra, message, capsys):
        """--stream refuses what it cannot do with a usage error, naming what to do."""
        _, db = store
        assert main(["assess", str(db), "--stream", *extra]) == 2
        assert message in capsys.readouterr().err

    def test_a_case_file_is_not_streamed(self, capsys):
        """--stream needs a store; a case file is read whole anyway."""
        assert main(["assess", str(SEED), "--stream", "--format", "jsonl"]) == 2
        assert "reads a store" in capsys.readouterr().err

    def test_a_failure_midway_leaves_the_old_file(self, store, tmp_path, monkeypatch, capsys):
        """If a part cannot be read, the output file keeps its old content and no temp is left."""
        from claimtrack.store._sqlite import Store

        _, db = store
        out = tmp_path / "rows.jsonl"
        out.write_text("old\n", encoding="utf-8")
        calls = []
        real = Store._part

        def failing(self, claims):
            calls.append(1)
            if len(calls) == 2:
                raise claimtrack.StoreError([claimtrack.Problem("", "is damaged", file=str(db))])
            return real(self, claims)

        monkeypatch.setattr(Store, "_part", failing)
        args = ["assess", str(db), "--stream", "--part-size", "50", "--format", "jsonl"]
        assert main([*args, "-o", str(out)]) == 1
        assert "is damaged" in capsys.readouterr().err
        assert len(calls) == 2
        assert out.read_text(encoding="utf-8") == "old\n"
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".rows")] == []


class TestNew:
    def test_stdout_passes_check(self, tmp_path, capsys, monkeypatch):
        """The scaffold goes to stdout by default and passes claimtrack check as it is."""
        import io

        assert main(["new"]) == 0
        text = capsys.readouterr().out
        assert text.startswith("# A claimtrack case file")
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
        assert main(["check", "--strict", "-"]) == 0

    def test_commented_examples_are_a_valid_case(self):
        """Uncommenting every example record gives a valid case with one record of each kind."""
        import re

        import claimtrack

        from claimtrack.cli import template

        text = re.sub(r"^#(  +)", r"\1", template(), flags=re.MULTILINE)
        text = re.sub(r": (\{\}|\[\])$", ":", text, flags=re.MULTILINE)
        case = claimtrack.loads(text)
        assert case.validate() == []
        assert [len(case.sources), len(case.documents), len(case.claims)] == [3, 1, 2]
        assert [len(case.attributions), len(case.relations)] == [1, 1]

    def test_to_a_file(self, tmp_path, capsys):
        """A path gets the scaffold, with a note on stderr; the file passes check."""
        path = tmp_path / "case.yaml"
        assert main(["new", str(path), "--title", 'Rockets: "Zummar"']) == 0
        assert capsys.readouterr().out == ""
        import claimtrack

        assert claimtrack.load(path).title == 'Rockets: "Zummar"'
        assert main(["check", str(path)]) == 0

    def test_refuses_to_overwrite(self, tmp_path, capsys):
        """An existing file is kept unless --force."""
        path = tmp_path / "case.yaml"
        path.write_text("mine")
        assert main(["new", str(path)]) == 1
        assert "already exists" in capsys.readouterr().err
        assert path.read_text() == "mine"
        assert main(["new", "--force", str(path)]) == 0
        assert path.read_text().startswith("# A claimtrack case file")

    def test_not_yaml_is_a_usage_error(self, tmp_path, capsys):
        """A new case file is YAML; another suffix exits 2."""
        assert main(["new", str(tmp_path / "case.json")]) == 2
        assert "name it .yaml or .yml" in capsys.readouterr().err
        assert not (tmp_path / "case.json").exists()

    def test_empty_title_is_a_usage_error(self, capsys):
        """An empty --title exits 2."""
        assert main(["new", "--title", " "]) == 2
        assert "--title" in capsys.readouterr().err


class TestConsistency:
    @pytest.mark.parametrize("command", ["check", "assess", "export", "new"])
    def test_every_command_has_examples(self, command, capsys):
        """Every command's --help ends with examples of itself."""
        assert main([command, "--help"]) == 0
        out = capsys.readouterr().out
        assert "examples:" in out
        assert f"claimtrack {command}" in out.split("examples:", 1)[1]

    def test_top_level_help(self, capsys):
        """The top-level help lists the commands and the exit codes."""
        assert main(["--help"]) == 0
        out = capsys.readouterr().out
        for command in ("check", "assess", "export", "new"):
            assert command in out
        assert "exit status: 0 success, 1 invalid input" in out

    def test_unknown_command(self, capsys):
        """An unknown command exits 2."""
        assert main(["frobnicate"]) == 2
        assert "invalid choice" in capsys.readouterr().err

    @pytest.mark.parametrize(
        "argv",
        [
            ["assess", "gone.yaml"],
            ["export", "gone.yaml", "--to", "csv"],
            ["export", "examples/iraq-2024/case.yaml", "--to", "nope"],
            ["new", "--bogus"],
            ["new", "--title", "bad \udcff byte", "never.yaml"],
            ["export", "examples/iraq-2024/case.yaml", "--to", "csv", "-o", "examples"],
            ["export", "examples/iraq-2024/case.yaml", "--to", "csv", "-o", "/dev/fd/97"],
        ],
    )
    def test_no_traceback_in_a_subprocess(self, argv, tmp_path):
        """Bad input, run as users run it, gives a message and 1 or 2, never a traceback."""
        r = subprocess.run(
            [sys.executable, "-m", "claimtrack", *argv],
            capture_output=True,
            text=True,
            check=False,
            cwd=SEED.parent.parent.parent,
        )
        assert r.returncode in (1, 2)
        assert r.stderr.strip()
        assert "Traceback" not in r.stderr


def test_render_refuses_unknown_formats():
    """render() names the formats it knows when given another."""
    import claimtrack

    from claimtrack.cli import _UsageError, render

    with pytest.raises(_UsageError, match="use one of json, yaml"):
        render(claimtrack.Case(), "xml")


def test_other_missing_modules_are_not_hidden(monkeypatch):
    """A missing module that is not an optional extra is a bug, and is not dressed as one."""
    import claimtrack.cli

    def broken(case, to, **kw):
        raise ModuleNotFoundError("No module named 'nothing'")

    monkeypatch.setattr(claimtrack.cli, "render", broken)
    with pytest.raises(ModuleNotFoundError, match="nothing"):
        main(["export", str(SEED), "--to", "yaml"])


def test_an_os_error_is_a_message(monkeypatch, capsys):
    """An OS error no command named itself still exits 1 as FILE: MESSAGE, never a traceback."""
    import errno

    import claimtrack.cli

    def broken(case, to, **kw):
        raise PermissionError(errno.EACCES, "Permission denied", "/some/file")

    monkeypatch.setattr(claimtrack.cli, "render", broken)
    assert main(["export", str(SEED), "--to", "yaml"]) == 1
    assert capsys.readouterr().err == "/some/file: Permission denied\n"


class TestDemo:
    def test_demo_shows_the_bundled_case(self, capsys, tmp_path, monkeypatch):
        """claimtrack demo needs no file: it reports the bundled case, truce conflict included."""
        monkeypatch.chdir(tmp_path)
        assert main(["demo", "--question", "truce", "--format", "text", "--width", "120"]) == 0
        out = capsys.readouterr().out
        assert "Hassan Fadhem" in out
        assert "The National" in out
        assert "%" in out

    def test_demo_case_is_the_example(self):
        """The case demo shows is the example case file, not a copy that could drift."""
        from claimtrack.cli import demo_case

        assert demo_case() == claimtrack.load(SEED)

    def test_demo_writes_markdown_to_a_file(self, tmp_path):
        """demo takes report's -o and --format."""
        out = tmp_path / "demo.md"
        assert main(["demo", "--format", "md", "-o", str(out)]) == 0
        assert out.read_text(encoding="utf-8").count("|") > 10

    def test_demo_unknown_question(self, capsys):
        """An unknown question exits 1 with a suggestion, as report does."""
        assert main(["demo", "--question", "truse"]) == 1
        assert "truce" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "a\x00b.yaml"],
        ["assess", "case.yaml", "-o", "out\x00.json"],
        ["report", "case\x00.yaml"],
    ],
)
def test_a_nul_in_an_argument_is_a_usage_error(argv, capsys):
    """A NUL character in an argument exits 2 with a message, not a traceback (found by fuzzing)."""
    from claimtrack.cli import main

    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "NUL character" in err
    assert "Traceback" not in err


def test_a_command_runs_with_the_collector_paused_but_on_dask(monkeypatch, tmp_path):
    """The collector is paused while a command runs, and is as it was after.

    What a command makes holds no cycles; a run on a Dask cluster, whose event loop makes
    them, keeps the collector.
    """
    import gc

    from claimtrack import cli

    seen = []

    def spy(args):
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr(cli, "_check", spy)
    monkeypatch.setattr(cli, "_assess_dask", spy)
    case = tmp_path / "c.json"
    case.write_text('{"claimtrack": 1, "title": "T"}', encoding="utf-8")
    assert gc.isenabled()
    assert main(["check", str(case)]) == 0
    assert main(["assess", str(case), "--engine", "dask"]) == 0
    assert seen == [False, True]
    assert gc.isenabled()
