"""Scale benchmarks: loading, memory, the store and assessment, each beside a named baseline.

Every step is timed in this process on one core, next to its baseline measured in the same
run: ``json.loads`` of the same file for loading; a plain ``executemany`` of the same rows
for the store's import; the ``prov`` package building and serialising the equivalent PROV
document; the ``truthdiscovery`` package on the same claims for assessment. Baselines whose
package is not installed are skipped with a message.
"""

from __future__ import annotations

import gc
import json
import sqlite3
import tempfile
import time
import tracemalloc

from collections.abc import Callable
from pathlib import Path
from typing import Any

import corpus

import claimtrack

from claimtrack.store import open_store


_times = corpus.runs


def _best(f: Callable[[], object], n: int = 3) -> float:
    return min(_times(f, n))


def _peak(f: Callable[[], object]) -> tuple[object, int]:
    gc.collect()
    tracemalloc.start()
    out = f()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return out, peak


def _prov(case: claimtrack.Case) -> str | None:
    try:
        from prov.model import ProvDocument  # noqa: PLC0415
    except ImportError:
        return None
    doc = ProvDocument()
    doc.add_namespace("ct", "https://claimtrack.example/")
    for sid in case.sources:
        doc.agent(f"ct:{sid}")
    for did, d in case.documents.items():
        doc.entity(f"ct:{did}")
        doc.wasAttributedTo(f"ct:{did}", f"ct:{d.publisher}")
    for cid in case.claims:
        doc.entity(f"ct:{cid}")
    for i, a in enumerate(case.attributions):
        act = doc.activity(f"ct:att{i}")
        doc.wasAssociatedWith(act, f"ct:{a.source}")
        doc.wasGeneratedBy(f"ct:{a.claim}", act)
    return str(doc.serialize(format="json"))


def _truthdiscovery(case: claimtrack.Case) -> Callable[[], object] | None:
    try:
        from truthdiscovery import Dataset, MajorityVoting  # noqa: PLC0415
    except ImportError:
        return None
    # truthdiscovery takes one value per source and variable: each source's latest answer
    latest: dict[tuple[str, str], str] = {}
    for a in case.attributions:
        if a.stance is claimtrack.Stance.ASSERTS:
            latest[a.source, case.claims[a.claim].question or a.claim] = a.claim
    triples = [(source, question, claim) for (source, question), claim in latest.items()]

    def run() -> object:
        # majority voting is its fastest algorithm: one pass, no iteration
        return MajorityVoting().run(Dataset(triples))

    return run


def run(size: str, folder: Path) -> list[dict[str, Any]]:  # noqa: C901, PLR0915 - the steps, in order
    """Run every step at *size*; return one row per step."""
    n = corpus.SIZES[size]
    path = corpus.write(folder / f"corpus-{size}.json", n)
    raw = path.read_text()
    rows: list[dict[str, Any]] = []

    def row(
        step: str, seconds: float, peak: int, base: str, base_s: float | None, **kw: Any
    ) -> None:
        ratio = None if not base_s else seconds / base_s
        rows.append(
            {
                "size": size,
                "attributions": n,
                "step": step,
                "seconds": seconds,
                "peak_mb": peak / 2**20,
                "baseline": base,
                "baseline_seconds": base_s,
                "ratio": ratio,
                **kw,
            }
        )

    # warm the imports (the loader, the engine and numpy): a one-time cost per process
    claimtrack.loads('{"claimtrack": 1}', "json").assess()
    tj = _best(lambda: json.loads(raw))
    tl = _best(lambda: claimtrack.load(path))
    gc.collect()
    tracemalloc.start()
    case = claimtrack.load(path)
    case.attributions_of("x")  # every index built
    per = tracemalloc.get_traced_memory()[0] / n
    tracemalloc.stop()
    _, peak = _peak(lambda: claimtrack.load(path))
    row("load", tl, peak, "json.loads", tj, bytes_per_attribution=per)

    db = folder / f"store-{size}.db"
    for p in folder.glob(f"store-{size}.db*"):
        p.unlink()

    def import_() -> None:
        with open_store(db, create=True) as store:
            store.import_case(case)

    start = time.perf_counter()
    _, peak = _peak(import_)
    ti = time.perf_counter() - start
    rows_data = [(a.claim, a.source, a.stance.value, a.document) for a in case.attributions]
    plain = folder / f"plain-{size}.db"
    for p in folder.glob(f"plain-{size}.db*"):
        p.unlink()

    def plain_insert() -> None:
        con = sqlite3.connect(plain)
        con.execute("CREATE TABLE a (claim TEXT, source TEXT, stance TEXT, document TEXT)")
        with con:
            con.executemany("INSERT INTO a VALUES (?, ?, ?, ?)", rows_data)
        con.close()

    tp = _best(plain_insert, 1)
    row("store import", ti, peak, "executemany of the attribution rows", tp)
    with open_store(db) as store:
        tc = _best(store.to_case, 1)
        row("store to_case", tc, 0, "json.loads", tj)
        claim = next(iter(case.claims))
        tq = _best(lambda: store.attributions_of(claim), 5)
        tm = _best(lambda: case.attributions_of(claim), 5)
        row("store query by claim", tq, 0, "Case.attributions_of", tm)

    tprov = _best(lambda: _prov(case), 1) if _prov(claimtrack.Case()) is not None else None
    if tprov is None:
        print("  (prov not installed: PROV baseline skipped)")
    else:
        row("PROV document (prov package)", tprov, 0, "load", tl)

    fresh = claimtrack.load(path)
    start = time.perf_counter()
    fresh.assess()
    ta = time.perf_counter() - start
    td = _truthdiscovery(case)
    if td is None:
        print("  (truthdiscovery not installed: its baseline skipped)")
    tt = _best(td, 1) if td is not None else None
    baseline = "truthdiscovery Dataset + MajorityVoting" if td else "none"
    row("assess", ta, 0, baseline, tt)
    result = fresh.assess()
    start = time.perf_counter()
    for a in result.values():
        a.reasons  # noqa: B018 - reading builds the votes and reasons
    tr = time.perf_counter() - start
    row("read every vote and reason", tr, 0, "assess", ta)
    if len(case.questions) == REPORT_QUESTIONS:
        from claimtrack.report import Report  # noqa: PLC0415 - only this step needs rich

        start = time.perf_counter()
        svg = Report(fresh).to_svg()
        ts = time.perf_counter() - start
        row(
            f"report to SVG ({REPORT_QUESTIONS:,} questions)",
            ts,
            0,
            "none",
            None,
            megabytes=len(svg) / 1e6,
        )
    for p in folder.glob("*"):
        p.unlink()
    return rows


REPORT_QUESTIONS = 1_000
"""The report figure is drawn for the corpus with this many questions (10k attributions)."""

SIZES = corpus.CHOICES
"""What the runner may ask for: ``full`` is 10k, 100k and 1m attributions in one run."""


def main(sizes: str | list[str]) -> list[dict[str, Any]]:
    """Run the benchmark at each size, pinned to one core; print and return the rows."""
    sizes = corpus.chosen(sizes)
    corpus.pin_one_core()
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            print(f"size {size} ({corpus.SIZES[size]:,} attributions)")
            for r in run(size, Path(tmp)):
                ratio = "" if r["ratio"] is None else f"  {r['ratio']:.2f}x {r['baseline']}"
                extra = (
                    f"  {r['bytes_per_attribution']:.0f} B/attribution"
                    if "bytes_per_attribution" in r
                    else ""
                )
                print(
                    f"  {r['step']:<30} {r['seconds']:8.2f} s  peak {r['peak_mb']:7.1f} MiB{ratio}{extra}",
                    flush=True,
                )
                out.append(r)
    return out
