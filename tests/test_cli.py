"""The command line: exit codes, messages on stderr, one problem per line, no tracebacks."""

import subprocess
import sys

from pathlib import Path

import pytest

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
        assert "example:" in capsys.readouterr().out

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
