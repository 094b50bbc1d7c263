"""The docs' shell examples run as written, and the CLI reference lists every option."""

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys

from pathlib import Path

import pytest

import claimtrack

from claimtrack.cli import _parser, main


ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md") if "_build" not in p.parts)
_FENCE = re.compile(r"^```(sh|console|yaml)\n(.*?)^```", re.MULTILINE | re.DOTALL)
_EXIT = re.compile(r"\s+#\s*exit (\d+)$")


def commands(page: Path) -> list[tuple[str, int]]:
    """Every ``claimtrack ...`` line of the page's sh and console blocks, with its expected status."""
    found = []
    for lang, body in _FENCE.findall(page.read_text(encoding="utf-8")):
        if lang == "yaml":
            continue
        for raw in body.splitlines():
            line = raw.removeprefix("$ ").strip()
            if not line.startswith("claimtrack "):
                continue
            expected = _EXIT.search(line)
            found.append((_EXIT.sub("", line), int(expected[1]) if expected else 0))
    return found


def case_blocks(page: Path) -> list[str]:
    """Every yaml block of the page that is a whole case file."""
    return [
        body
        for lang, body in _FENCE.findall(page.read_text(encoding="utf-8"))
        if lang == "yaml" and body.startswith("claimtrack: 1")
    ]


WITH_COMMANDS = [p for p in PAGES if commands(p)]


def test_docs_have_shell_examples():
    """The pages that teach the command line have commands for this test to run."""
    names = {p.name for p in WITH_COMMANDS}
    assert {"getting-started.md", "cli.md", "export.md"} <= names


@pytest.mark.parametrize("page", WITH_COMMANDS, ids=lambda p: str(p.relative_to(DOCS)))
def test_shell_examples_run(page, tmp_path, monkeypatch, capsys):
    """Each command exits as the page says (0 unless marked ``# exit N``), with no traceback.

    Plain commands run in this process, through the same ``main`` as the console script;
    pipelines and redirections run in bash, with this environment's ``claimtrack`` first
    on the PATH.
    """
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    for line, expected in commands(page):
        if re.search(r"[|<>]", line):
            r = subprocess.run(
                [shutil.which("bash") or "/bin/bash", "-o", "pipefail", "-c", line],
                env={**os.environ, "PATH": path},
                capture_output=True,
                text=True,
                check=False,
            )
            status, err = r.returncode, r.stderr
        else:
            status = main(shlex.split(line)[1:])
            err = capsys.readouterr().err
        assert status == expected, f"{line}\n{err}"
        assert "Traceback" not in err, line


@pytest.mark.parametrize(
    "block",
    [b for p in PAGES for b in case_blocks(p)],
    ids=lambda b: b.splitlines()[1],
)
def test_case_file_examples_are_valid(block):
    """Every whole case file shown in the docs loads and has no errors."""
    case = claimtrack.loads(block)
    assert [p for p in case.validate() if p.is_error] == []


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("name", sorted(_subcommands()))
def test_reference_lists_every_option(name):
    """docs/cli.md has a section for every command, naming each of its options."""
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    section = text.split(f"\n## `claimtrack {name}`\n", 1)[1].split("\n## ", 1)[0]
    for action in _subcommands()[name]._actions:
        for option in action.option_strings:
            if option not in ("-h", "--help"):
                assert f"`{option}" in section, option
        if not action.option_strings:
            assert f"`{action.metavar}`" in section, action.metavar
