"""The benchmarks run at their small size, and claimtrack beats majority vote where outlets copy."""

import importlib.util
import sys

from pathlib import Path

import pytest


BENCHMARKS = Path(__file__).parent.parent / "benchmarks"


def _load(name):
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(name="truth", scope="module")
def _truth():
    return _load("bench_truth")


@pytest.mark.parametrize("copied", ["random", "least"])
@pytest.mark.parametrize("hidden", [False, True])
def test_claimtrack_beats_majority_vote_with_copying(truth, copied, hidden):
    """On a world where outlets copy, claimtrack's top answer is right more often, with a lower Brier score."""
    spec = truth.Spec("copying", items=60, sources=8, copiers=6, copied=copied, hidden=hidden)
    scores = truth.evaluate(spec, range(2))
    mine, majority = scores["claimtrack (ungraded)"], scores["majority vote"]
    assert mine.accuracy > majority.accuracy
    assert mine.brier < majority.brier
    assert scores["claimtrack (graded)"].accuracy > majority.accuracy


def test_copies_are_one_origin(truth):
    """A declared copier adds no origin: the case holds as many origins as independent sources."""
    world = truth.draw(truth.Spec("copying", items=20, sources=4, copiers=3), 0)
    case = truth.build_case(world, graded=True)
    origins = {v.origin for a in case.assess().values() for v in a.votes}
    assert origins <= set(world.accuracy)


def test_runner_runs_every_benchmark_small(capsys):
    """benchmarks/run.py --size small runs every bench_*.py and prints ratios against majority vote."""
    run = _load("run")
    assert set(run.discover()) >= {"truth"}
    assert run.main(["--size", "small"]) == 0
    out = capsys.readouterr().out
    assert "accuracy vs majority vote: x" in out
    assert "Machine:" in out
    try:
        import truthdiscovery  # noqa: F401
    except ImportError:
        assert "truthdiscovery is not installed" in out
    else:
        assert "truthdiscovery PooledInvestment" in out


def test_runner_refuses_unknown_names(capsys):
    """An unknown benchmark name is a usage error that lists the known ones."""
    run = _load("run")
    with pytest.raises(SystemExit):
        run.main(["nonesuch"])
    assert "unknown benchmark nonesuch" in capsys.readouterr().err


@pytest.mark.parametrize("size", [7, 2_345])
def test_a_corpus_written_a_batch_at_a_time_is_the_corpus(tmp_path, size):
    """The dataset the large Dask benchmarks stream to disk reads back as the generated corpus."""
    pytest.importorskip("pyarrow")
    import json

    import claimtrack

    corpus = _load("corpus")
    data = corpus.generate(size)
    data["relations"] = corpus.joined(corpus.Shape(size))
    (tmp_path / "c.json").write_text(json.dumps(data), encoding="utf-8")
    whole = claimtrack.load(tmp_path / "c.json")
    counts = corpus.write_dataset(tmp_path / "ds", corpus.Shape(size), batch=500)
    streamed = claimtrack.load(tmp_path / "ds")
    assert counts["attributions"] == size
    for section in ("sources", "documents", "questions", "claims", "attributions", "relations"):
        assert getattr(streamed, section) == getattr(whole, section), section
    assert streamed.title == whole.title
