"""``--progress``: what a long command is doing, on standard error, only on a terminal."""

from __future__ import annotations

import io
import sys

from pathlib import Path

import pytest

from claimtrack._progress import Stages
from claimtrack.cli import main


SEED = Path(__file__).parent.parent / "examples" / "iraq-2024" / "case.yaml"


class _Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


class TestStages:
    def test_nothing_drawn_off_a_terminal(self):
        out = io.StringIO()
        with Stages(enabled=True, stream=out) as stages, stages.stage("reading", 10) as step:
            step(10)
        assert out.getvalue() == ""

    def test_nothing_drawn_unless_asked(self):
        out = _Terminal()
        with Stages(enabled=False, stream=out) as stages, stages.stage("reading") as step:
            step(1)
        assert out.getvalue() == ""

    def test_drawn_on_a_terminal(self):
        out = _Terminal()
        with Stages(enabled=True, stream=out) as stages:
            with stages.stage("reading case.json") as step:
                step(1)
            with stages.stage("writing", 4) as step:
                step(4)
        assert "reading case.json" in out.getvalue() or "writing" in out.getvalue()

    def test_an_error_inside_a_stage_goes_through(self):
        stages = Stages(enabled=True, stream=_Terminal())
        with pytest.raises(KeyError), stages, stages.stage("reading"):
            raise KeyError("x")


COMMANDS = [
    ["check", str(SEED)],
    ["assess", str(SEED), "--format", "json"],
    ["assess", str(SEED), "--format", "csv"],
    ["report", str(SEED), "--format", "md"],
    ["export", str(SEED), "--to", "jsonl"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: " ".join(a[:1] + a[2:]))
def test_output_the_same_with_progress(argv, capsys, monkeypatch):
    """The command's output is untouched by --progress; the bar goes to a terminal's stderr."""
    assert main(argv) == 0
    plain = capsys.readouterr().out
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main([*argv, "--progress"]) == 0
    assert capsys.readouterr().out == plain
    assert terminal.getvalue()  # something was drawn


def test_import_with_progress(tmp_path, capsys):
    store = tmp_path / "s.db"
    assert main(["import", str(SEED), str(store), "--progress"]) == 0
    assert "imported" in capsys.readouterr().err


def test_not_on_commands_that_are_quick(capsys):
    assert main(["new", "--progress"]) == 2
    assert "--progress" in capsys.readouterr().err
