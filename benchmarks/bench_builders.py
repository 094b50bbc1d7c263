"""The bulk builder for scripts: ``Case.from_records`` beside ``json.loads`` of the same case.

The rows are the records of the scale benchmarks' synthetic corpus (``corpus.py``), a tuple
of fields each, in the order the record classes take them; the baseline parses the JSON
text of the same case file. Both are timed in this process on one core, best of three,
with only the build or the parse inside the clock. The target is ``Case.from_records``
within three times ``json.loads`` at a million attributions.
"""

from __future__ import annotations

import json

from collections.abc import Callable
from typing import Any

import corpus

from claimtrack import Case
from claimtrack.files._rows import FIELDS, SECTIONS


TARGET = 3.0
"""The most ``Case.from_records`` may take, as a multiple of ``json.loads``, at 1M attributions."""

SIZES = ("small", "full", "100k", "1m")
"""What the runner may ask for: ``full`` is 100k and 1m attributions in one run."""


def _best(f: Callable[[], object], n: int = 3) -> float:
    return min(corpus.runs(f, n))


def rows(data: dict[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of the case file's *data*, by section: a tuple of every field per record."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    for section, cls in SECTIONS.items():
        names = FIELDS[cls]
        found = data.get(section)
        if not found:
            continue
        items = [{"id": k, **v} for k, v in found.items()] if isinstance(found, dict) else found
        out[section] = [tuple(item.get(n) for n in names) for item in items]
    return out


def run(size: str) -> dict[str, float]:
    """Time both at *size*; return the seconds of each and their ratio."""
    n = corpus.SIZES[size]
    data = corpus.generate(n)
    raw = json.dumps(data, ensure_ascii=False)
    sections = rows(data)
    del data
    tj = _best(lambda: json.loads(raw))
    tb = _best(lambda: Case.from_records(title="Synthetic corpus", **sections))
    return {"attributions": n, "json.loads": tj, "from_records": tb, "ratio": tb / tj}


def main(sizes: str | list[str]) -> list[dict[str, float]]:
    """Run at each size, pinned to one core; print and return the figures."""
    chosen = ["small"] if sizes == "small" else ["100k", "1m"] if sizes == "full" else sizes
    if isinstance(chosen, str):
        chosen = [chosen]
    corpus.pin_one_core()
    Case.from_records(attributions=[])  # the loader's imports, once per process
    out = []
    for size in chosen:
        r = run(size)
        met = "met" if r["ratio"] <= TARGET else "missed"
        print(
            f"  {r['attributions']:>9,} attributions  json.loads {r['json.loads']:6.2f} s  "
            f"Case.from_records {r['from_records']:6.2f} s  {r['ratio']:.2f}x json.loads "
            f"(target <= {TARGET:g}x at 1M: {met})",
            flush=True,
        )
        out.append(r)
    return out
