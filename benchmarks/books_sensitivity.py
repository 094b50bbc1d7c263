"""How Books accuracy moves when each default of the learned mode is halved or doubled.

The learned mode's defaults (``Settings.grade_weight``, ``ungraded_accuracy``,
``copy_prior``, ``copy_rate``, ``rounds``, ``pair_cap``) were chosen looking at the Books
data set. This script measures Books accuracy (the 100 gold books) with the defaults, then
with each default halved and doubled, one at a time, and prints a Markdown table with the
machine and the date. Run it from the repository's root::

    python benchmarks/books_sensitivity.py

``ungraded_accuracy`` and ``copy_rate`` are probabilities above one half, which cannot be
doubled: for them the *odds* ``p / (1 - p)`` are halved and doubled, and the plain half of
the value is shown too. The Books data is read from ``../shared/data/books`` beside the
repository (``--books`` for another folder), loaded as ``bench_learn.py`` and the test
suite load it; the script says so and stops when it is absent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from claimtrack import Settings


sys.path.insert(0, str(Path(__file__).parent))  # run as a script, beside bench_learn.py
import bench_learn


KNOBS = ("grade_weight", "ungraded_accuracy", "copy_prior", "copy_rate", "rounds", "pair_cap")
"""The learned mode's knobs, in the order of ``Settings``."""
PROBABILITIES_ABOVE_HALF = frozenset({"ungraded_accuracy", "copy_rate"})
"""Knobs whose double would leave (0, 1): their odds are halved and doubled instead."""
EDGE = 0.02
"""A change of Books accuracy by more than this marks a default on a knife's edge."""


def _odds(p: float, factor: float) -> float:
    odds = p / (1.0 - p) * factor
    return odds / (1.0 + odds)


def variants(defaults: Settings) -> list[tuple[str, str, Any]]:
    """``(knob, how, value)`` for each default halved and doubled, one at a time."""
    out: list[tuple[str, str, Any]] = []
    for knob in KNOBS:
        value = getattr(defaults, knob)
        if knob in PROBABILITIES_ABOVE_HALF:
            out += [
                (knob, "halved", value / 2),
                (knob, "odds halved", round(_odds(value, 0.5), 4)),
                (knob, "odds doubled", round(_odds(value, 2.0), 4)),
            ]
        elif isinstance(value, int):
            out += [(knob, "halved", max(value // 2, 2)), (knob, "doubled", value * 2)]
        else:
            out += [(knob, "halved", value / 2), (knob, "doubled", value * 2)]
    return out


def machine() -> str:
    """Cores, CPU model and Python, for the record beside the table."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores (`nproc`), {cpu}, Python {platform.python_version()}"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table; exit 1 when the Books data is absent."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", type=Path, default=bench_learn.BOOKS, help="the data folder")
    args = parser.parse_args(argv)
    if not (args.books / "claims.txt").is_file():
        print(f"no Books data in {args.books}: nothing measured")
        return 1
    gold = bench_learn.books_gold(args.books)
    case, values = bench_learn.build_case(bench_learn.books_triples(args.books), documents=False)
    defaults = Settings(learn=True)

    def accuracy(settings: Settings) -> float:
        chosen = bench_learn.picks(case, values, settings)
        return sum(chosen.get(isbn) == truth for isbn, truth in gold.items()) / len(gold)

    start = time.perf_counter()
    base = accuracy(defaults)
    print(
        f"Books, {len(gold)} gold books; measured {dt.datetime.now(dt.UTC).date().isoformat()} on {machine()}.\n"
    )
    print("| knob | default | changed | value | accuracy | change |\n|---|---|---|---|---|---|")
    print(f"| (all defaults) | | | | **{base:.2f}** | |")
    edges = []
    for knob, how, value in variants(defaults):
        got = accuracy(Settings(learn=True, **{knob: value}))
        change = got - base
        mark = " ⚠" if abs(change) > EDGE + 1e-9 else ""
        if mark:
            edges.append(knob)
        default = getattr(defaults, knob)
        print(f"| `{knob}` | {default} | {how} | {value} | {got:.2f} | {change:+.2f}{mark} |")
    took = time.perf_counter() - start
    print(f"\n{took:.0f} s in all. ⚠: moves accuracy by more than {EDGE:.0%}", end="")
    print(f" ({', '.join(dict.fromkeys(edges))})." if edges else "; none does.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
