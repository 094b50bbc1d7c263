"""Unknown references at scale: ``claimtrack check`` of a file whose every attribution names a claim it lacks.

Each file holds N claims (``claim-0`` ...) and N attributions, each naming an unknown claim
one edit-ish away from a known one (``unknown-claim-7``): the worst case for "did you
mean", since every reference is unknown and every one has a close match. Comparing each
unknown reference with every known id made the check quadratic (4,000 references took
minutes); now at most twenty are compared, each with some eighty neighbours.

Two measures, each against a baseline taken in the same run:

- whole process: ``claimtrack check FILE`` as a user runs it (exit status 1, every problem
  printed), against ``python -c 'json.load(...)'`` of the same file, which pays the
  interpreter's start but not claimtrack's imports;
- in process: ``load(validate=False)`` then ``validate()``, what ``check`` does, against
  ``json.load`` of the file, and against the same check of the file with every reference
  fixed (the cost of checking that many attributions at all).

The scaling column is the time at N over the time at the smallest N: linear growth gives
N over the smallest N; quadratic, its square. Runs are pinned to one core and the best of
:data:`ROUNDS` is kept.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time

from collections.abc import Callable
from pathlib import Path
from typing import Any

import corpus

import claimtrack


SIZES = ("small", "full")
COUNTS = {"small": (250, 500), "full": (500, 1_000, 2_000, 4_000)}
"""Unknown references per file, at each size."""

ROUNDS = 3
"""Runs of each measure; the best is kept."""

TARGET = 1.0
"""Seconds ``claimtrack check`` may take, whole process, at 4,000 unknown references."""


def case_data(n: int, *, known: bool = False) -> dict[str, Any]:
    """A case of *n* claims and *n* attributions naming unknown claims (or, if *known*, theirs)."""
    return {
        "claimtrack": 1,
        "title": f"{n} unknown references",
        "sources": {f"source-{i}": {"name": f"Source {i}", "kind": "outlet"} for i in range(50)},
        "claims": {f"claim-{i}": {"text": f"Claim {i}"} for i in range(n)},
        "attributions": [
            {"claim": f"claim-{i}" if known else f"unknown-claim-{i}", "source": f"source-{i % 50}"}
            for i in range(n)
        ],
    }


def _best(f: Callable[[], object]) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return min(times)


def _process(args: list[str]) -> Callable[[], object]:
    def run() -> object:
        return subprocess.run(args, capture_output=True, check=False)  # noqa: S603 - our own command line

    return run


def _check(path: Path) -> Callable[[], object]:
    def run() -> object:
        return claimtrack.load(path, validate=False).validate()

    return run


def _json_load(path: Path) -> Callable[[], object]:
    def run() -> object:
        with path.open("rb") as f:
            return json.load(f)

    return run


def run(size: str, folder: Path) -> list[dict[str, Any]]:
    """Time every measure for each count of unknown references; one row per count."""
    claimtrack_bin = str(Path(sys.executable).with_name("claimtrack"))
    rows = []
    for n in COUNTS[size]:
        bad = folder / f"unknown-{n}.json"
        good = folder / f"known-{n}.json"
        bad.write_text(json.dumps(case_data(n)))
        good.write_text(json.dumps(case_data(n, known=True)))
        check = [claimtrack_bin, "check", str(bad)]
        done = subprocess.run(check, capture_output=True, check=False)  # noqa: S603 - our own command line
        shown = done.stderr.decode().count("unknown claim")
        if done.returncode != 1 or shown != n or b"Traceback" in done.stderr:
            msg = f"check of {bad.name}: exit {done.returncode}, {shown} of {n} problems shown"
            raise RuntimeError(msg)
        problems = claimtrack.load(bad, validate=False).validate()
        rows.append(
            {
                "n": n,
                "hints": sum("did you mean" in p.message for p in problems),
                "process": _best(_process([claimtrack_bin, "check", str(bad)])),
                "process_baseline": _best(
                    _process([sys.executable, "-c", f"import json; json.load(open({str(bad)!r}))"])
                ),
                "check": _best(_check(bad)),
                "check_known": _best(_check(good)),
                "json_load": _best(_json_load(bad)),
            }
        )
    return rows


def main(size: str) -> list[dict[str, Any]]:
    """Run at *size* (``small`` or ``full``), pinned to one core; print and return the rows."""
    corpus.pin_one_core()
    claimtrack.loads('{"claimtrack": 1}', "json").validate()  # warm the imports
    with tempfile.TemporaryDirectory() as tmp:
        rows = run(size, Path(tmp))
    first = rows[0]
    print(
        "| unknown references | hints | `claimtrack check`, whole process | "
        "vs `python -c json.load` | in process | vs `json.load` | vs all known | "
        "scaling (linear: N/N₀) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['n']:,} | {r['hints']} | {r['process']:.2f} s | "
            f"{r['process'] / r['process_baseline']:.1f}x | {r['check']:.3f} s | "
            f"{r['check'] / r['json_load']:.1f}x | {r['check'] / r['check_known']:.2f}x | "
            f"{r['check'] / first['check']:.1f} (N/N₀ {r['n'] / first['n']:.0f}) |"
        )
    last = rows[-1]
    if last["n"] >= 4_000:  # the size
        verdict = "meets" if last["process"] < TARGET else "misses"
        print(
            f"\nAt {last['n']:,} unknown references `claimtrack check` takes "
            f"{last['process']:.2f} s whole process: {verdict} the target of {TARGET:.0f} s."
        )
    return rows


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "full")
