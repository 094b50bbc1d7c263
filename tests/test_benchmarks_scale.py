"""The scale benchmarks run end to end at their smallest size (a smoke test, not a timing)."""

from __future__ import annotations

import sys

from pathlib import Path


BENCH = Path(__file__).parent.parent / "benchmarks"


def test_corpus_is_a_valid_case(tmp_path):
    """The synthetic corpus loads, equal whether read in bulk or record by record."""
    sys.path.insert(0, str(BENCH))
    try:
        import corpus
    finally:
        sys.path.remove(str(BENCH))
    import claimtrack

    from claimtrack.files._reading import case_from_data

    data = corpus.generate(500)
    path = corpus.write(tmp_path / "c.json", 500)
    fast = claimtrack.load(path)
    slow = case_from_data(data)
    assert fast == slow
    assert len(fast.attributions) == 500
    assert fast.attributions_of(next(iter(fast.claims))) == slow.attributions_of(
        next(iter(slow.claims))
    )


def test_small_run(monkeypatch, capsys):
    """`benchmarks/run.py --size small` prints a row per step with its baseline."""
    sys.path.insert(0, str(BENCH))
    try:
        import bench_scale
    finally:
        sys.path.remove(str(BENCH))
    monkeypatch.setattr(bench_scale.corpus, "SIZES", {"small": 300})
    monkeypatch.setattr(bench_scale.corpus, "pin_one_core", lambda: None)
    rows = bench_scale.main(["small"])
    steps = {r["step"] for r in rows}
    expected = {
        "load",
        "store import",
        "store to_case",
        "store query by claim",
        "assess",
    }
    assert expected <= steps
    load = next(r for r in rows if r["step"] == "load")
    assert load["baseline"] == "json.loads"
    assert load["ratio"] > 0
    assert "json.loads" in capsys.readouterr().out
