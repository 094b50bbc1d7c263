"""The engine's rules read enums by name: their tables cover every member, by member."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from pathlib import Path

import pytest

import claimtrack

from claimtrack import Mode, Reliability, Stance, Status
from claimtrack.engine import _rules


ROOT = Path(__file__).parent.parent
SEED = ROOT / "examples" / "iraq-2024" / "case.yaml"


def test_every_member_has_its_code():
    """Each stance, mode, grade and status has a code, and the codes run both ways."""
    assert set(_rules.STANCE_CODES) == set(Stance)
    assert set(_rules.MODE_OPENNESS) == set(Mode)
    assert set(_rules.GRADE_RANKS) == set(Reliability)
    assert set(_rules.STATUS_CODES) == set(Status)
    for table, members in (
        (_rules.STANCE_CODES, _rules.STANCES),
        (_rules.MODE_OPENNESS, _rules.MODES),
        (_rules.GRADE_RANKS, _rules.GRADES),
    ):
        assert [members[code] for code in table.values()] == list(table)


def test_a_member_without_a_code_is_refused_not_miscounted():
    """A value the table lacks raises KeyError naming it, rather than taking another's code."""
    with pytest.raises(KeyError, match="hedges"):
        _rules.codes([Stance.ASSERTS, "hedges"], _rules.STANCE_CODES)  # type: ignore[list-item]


_PROBE = """
import json, sys
sys.path.insert(0, {bench!r})
import claimtrack, corpus
from claimtrack.export import assessments_to_data
case = claimtrack.load({seed!r})
big = claimtrack.loads(json.dumps(corpus.generate(1500, seed=5)), "json")
out = []
for c in (case, big):
    for s in (claimtrack.Settings(), claimtrack.Settings(merge_echoes=True), claimtrack.Settings(learn=True)):
        out.append(assessments_to_data(c.assess(s)))
print(json.dumps(out, sort_keys=True))
"""


def _run(package_root: Path) -> object:
    probe = _PROBE.format(bench=str(ROOT / "benchmarks"), seed=str(SEED))
    env = {"PYTHONPATH": str(package_root), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    ("enum_line", "member"),
    [
        (
            'class Stance(enum.StrEnum):\n    """What a source does with a claim when it speaks."""\n',
            'HEDGES = "hedges"',
        ),
        ('class Mode(enum.StrEnum):\n    """How openly a source speaks."""\n', 'SEALED = "sealed"'),
    ],
    ids=["stance", "mode"],
)
def test_adding_an_unused_member_changes_no_result(tmp_path, enum_line, member):
    """A copy of the package whose enum gains a first member, unused, judges exactly as before."""
    source = Path(claimtrack.__file__).parent
    for name, widen in (("plain", False), ("widened", True)):
        root = tmp_path / name
        shutil.copytree(source, root / "claimtrack", ignore=shutil.ignore_patterns("__pycache__"))
        if widen:
            records = root / "claimtrack" / "model" / "_records.py"
            text = records.read_text(encoding="utf-8")
            assert enum_line in text
            records.write_text(text.replace(enum_line, f"{enum_line}\n    {member}\n"), "utf-8")
    assert _run(tmp_path / "widened") == _run(tmp_path / "plain")
