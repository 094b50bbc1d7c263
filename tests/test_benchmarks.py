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
