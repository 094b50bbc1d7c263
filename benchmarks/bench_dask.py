"""Parquet datasets and the Dask engine, against the one-machine engine in the same run.

``python benchmarks/bench_dask.py [small|full|200k|500k|1m|2m|5m|10m]`` (``run.py`` runs
``small`` and ``full``). For the corpus of each size up to 1m (see ``corpus.py``: one
question per ten attributions, three rival answers each, 2% of claims joined across
questions so that parts are more than one question) it times:

- reading the case file whole (the baseline for reading) and the Parquet dataset whole;
- one machine's ``case.assess().to_dataframe()`` (the baseline for judging: the same
  frame the cluster gives), then
  ``claimtrack.dask.assess`` on a local cluster of worker processes, and checks that every
  probability is the same to 1e-12.

The ratios are against the baselines measured in this run, so they compare across
machines; the cluster's numbers include planning the parts and sending them.

``2m``, ``5m`` and ``10m`` are run by hand, never by the suite: the corpus is streamed to a
dataset a batch at a time and judged on two worker processes with a memory limit of 4 GiB
each, the assessments written to Parquet by the workers; no process holds the whole case,
and the run fails if a worker is restarted for going over its limit. The time includes
the client's plan. ``CLAIMTRACK_BENCH_WAVE`` sets the waves' size (``assess(wave=...)``,
attributions per worker thread).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
import time

from pathlib import Path
from typing import Any


sys.path.insert(0, str(Path(__file__).parent))

import corpus


SIZES = ("small", "full", "200k", "500k", "1m", "2m", "5m", "10m")
"""What ``main`` takes; ``run.py`` passes ``small`` or ``full``."""

ATTRIBUTIONS = {
    "small": 2_000,
    "200k": 200_000,
    "500k": 500_000,
    "1m": 1_000_000,
}
FULL = ("200k",)
"""The sizes ``full`` stands for."""


def _workers() -> int:
    """How many worker processes to start.

    ``CLAIMTRACK_BENCH_WORKERS`` if set (1 gives the overhead against one machine), else
    one per core, 2 to 8.
    """
    if os.environ.get("CLAIMTRACK_BENCH_WORKERS"):
        return int(os.environ["CLAIMTRACK_BENCH_WORKERS"])
    return max(2, min(8, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 2))


def _peak_rss() -> int:
    """This process's peak resident memory, in bytes (run in each worker)."""
    import resource  # noqa: PLC0415 - Unix only, and only here

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _timed(f: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    out = f()
    return time.perf_counter() - start, out


def run(size: str) -> dict[str, Any]:
    """Time reading and judging the corpus of *size* on one machine and on a local cluster."""
    from distributed import Client, LocalCluster  # noqa: PLC0415 - the dask extra, when run

    import claimtrack.dask  # noqa: PLC0415

    n = ATTRIBUTIONS[size]
    data = corpus.generate(n)
    # join 2% of the claims to a claim of the next question, so that parts span questions
    data["relations"] = corpus.joined(corpus.Shape(n))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "case.json"
        path.write_text(json.dumps(data, ensure_ascii=False))
        del data
        read_json, case = _timed(lambda: claimtrack.load(path))
        write_parquet, _ = _timed(lambda: claimtrack.dask.write_dataset(case, Path(tmp) / "ds"))
        read_parquet, again = _timed(lambda: claimtrack.load(Path(tmp) / "ds"))
        if again != case:
            raise AssertionError("the dataset does not read back as the case written")
        del again
        # the same output as the cluster's: the assessments and their frame
        assess_one, whole = _timed(lambda: case.assess().to_dataframe())
        one = dict(zip(whole.claim, whole.probability, strict=True))
        del whole
        workers = _workers()
        with (
            LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.CRITICAL,  # workers losing the scheduler as it closes
            ) as cluster,
            Client(cluster) as client,
        ):
            # the first run also starts claimtrack, numpy and pandas in each worker
            cold, _ = _timed(
                lambda: claimtrack.dask.assess(Path(tmp) / "ds", client=client).compute()
            )
            assess_dask, frame = _timed(
                lambda: claimtrack.dask.assess(Path(tmp) / "ds", client=client).compute()
            )
            peak = max(client.run(_peak_rss).values())
    got = dict(zip(frame.claim, frame.probability, strict=True))
    worst = max((abs(got[c] - p) for c, p in one.items()), default=0.0)
    return {
        "size": size,
        "attributions": n,
        "claims": len(one),
        "parts": len(claimtrack.dask.parts(case)),
        "workers": workers,
        "read_json": read_json,
        "write_parquet": write_parquet,
        "read_parquet": read_parquet,
        "assess_one": assess_one,
        "assess_dask": assess_dask,
        "assess_cold": cold,
        "worker_peak_mb": peak / 2**20,
        "worst": worst,
        "same": len(got) == len(one) and worst <= 1e-12,
    }


def _report(r: dict[str, Any]) -> None:
    print(
        f"  {r['attributions']:,} attributions, {r['claims']:,} claims in {r['parts']:,} parts; "
        f"{r['workers']} worker processes"
    )
    print(f"  read the case file (baseline)   {r['read_json']:8.2f} s")
    print(f"  write the Parquet dataset       {r['write_parquet']:8.2f} s")
    print(
        f"  read the Parquet dataset        {r['read_parquet']:8.2f} s  "
        f"{r['read_parquet'] / r['read_json']:.2f}x baseline"
    )
    print(f"  assess on one machine (baseline){r['assess_one']:8.2f} s  (with to_dataframe())")
    print(
        f"  assess on the Dask cluster      {r['assess_dask']:8.2f} s  "
        f"{r['assess_dask'] / r['assess_one']:.2f}x baseline (reading and planning included)"
    )
    print(f"  (its first run, workers starting up: {r['assess_cold']:.2f} s)")
    print(f"  peak memory of a worker process   {r['worker_peak_mb']:8.0f} MiB")
    print(f"  same answers: {r['same']} (largest difference {r['worst']:.1e})", flush=True)


LARGE = {"2m": 2_000_000, "5m": 5_000_000, "10m": 10_000_000}
"""The sizes run only on the cluster, from a dataset streamed to disk (see ``run_large``)."""

WORKER_MEMORY = "4GiB"
"""Each worker's memory limit in the large runs: past it, Dask's nanny restarts the worker."""


def run_large(size: str) -> dict[str, Any]:
    """Judge the corpus of *size* on two worker processes of :data:`WORKER_MEMORY` each.

    The dataset is written a batch at a time (``corpus.write_dataset``), never whole in
    memory, and the assessments go straight to Parquet from the workers: no process holds
    the case. What is measured is whether it completes, its time, each process's peak
    memory, and whether any worker was restarted (a worker over its limit is). The time
    of assessing counts from the call to ``assess``, the client's plan included.
    """
    from distributed import Client, LocalCluster  # noqa: PLC0415 - the dask extra, when run

    import claimtrack.dask  # noqa: PLC0415

    from claimtrack.files._parquet import arrow  # noqa: PLC0415

    n = LARGE[size]
    wave = int(os.environ.get("CLAIMTRACK_BENCH_WAVE", "0")) or None
    with tempfile.TemporaryDirectory() as tmp:
        ds, out = Path(tmp) / "ds", Path(tmp) / "out"
        write, counts = _timed(lambda: corpus.write_dataset(ds, corpus.Shape(n)))
        with (
            LocalCluster(
                n_workers=2,
                threads_per_worker=1,
                processes=True,
                memory_limit=WORKER_MEMORY,
                dashboard_address=None,
                silence_logs=logging.CRITICAL,
            ) as cluster,
            Client(cluster) as client,
        ):
            pids = client.run(os.getpid)
            planned, frame = _timed(lambda: claimtrack.dask.assess(ds, client=client, wave=wave))
            took, _ = _timed(lambda: frame.to_parquet(out, write_index=False))
            peaks = client.run(_peak_rss).values()
            restarted = client.run(os.getpid) != pids
        rows = sum(
            arrow().parquet.ParquetFile(f).metadata.num_rows for f in sorted(out.glob("*.parquet"))
        )
    return {
        "size": size,
        "attributions": n,
        "claims": counts["claims"],
        "tasks": frame.npartitions,
        "write_parquet": write,
        "wave": wave or claimtrack.dask.WAVE_ATTRIBUTIONS,
        "plan": planned,
        "assess_dask": planned + took,
        "worker_peak_mb": max(peaks) / 2**20,
        "client_peak_mb": _peak_rss() / 2**20,
        "restarted": restarted,
        "complete": rows == counts["claims"],
    }


def _report_large(r: dict[str, Any]) -> None:
    print(
        f"  {r['attributions']:,} attributions, {r['claims']:,} claims in {r['tasks']} tasks; "
        f"2 worker processes of {WORKER_MEMORY} each"
    )
    print(f"  waves of {r['wave']:,} attributions per worker thread")
    print(f"  write the Parquet dataset, streamed  {r['write_parquet']:8.2f} s")
    print(f"  assess on the cluster, to Parquet    {r['assess_dask']:8.2f} s")
    print(f"    of which the client's plan         {r['plan']:8.2f} s")
    print(f"  peak memory of a worker process      {r['worker_peak_mb']:8.0f} MiB")
    print(f"  peak memory of this process (client) {r['client_peak_mb']:8.0f} MiB")
    print(
        f"  a worker restarted: {r['restarted']}; every claim judged: {r['complete']}", flush=True
    )


def main(size: str = "small") -> list[dict[str, Any]]:
    """Run the benchmark at *size* (``full`` is 200k attributions); print and return the rows."""
    sizes = list(FULL) if size == "full" else [size]
    rows = []
    for s in sizes:
        if s in LARGE:
            print(f"size {s} ({LARGE[s]:,} attributions, on the cluster only)", flush=True)
            row = run_large(s)
            _report_large(row)
            if row["restarted"] or not row["complete"]:
                raise AssertionError(
                    f"the large run at size {s} did not complete within its limits"
                )
            rows.append(row)
            continue
        print(f"size {s} ({ATTRIBUTIONS[s]:,} attributions)", flush=True)
        row = run(s)
        _report(row)
        if not row["same"]:
            raise AssertionError(f"the Dask engine differs from one machine at size {s}")
        rows.append(row)
    return rows


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "small")
