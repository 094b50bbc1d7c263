"""Run every Python example in README.md and docs/ as a test, so the docs cannot rot."""

from __future__ import annotations

import builtins
import os
import tempfile

from pathlib import Path
from typing import Any

import pytest

from hypothesis import settings
from sybil import Sybil
from sybil.parsers.myst import DocTestDirectiveParser, PythonCodeBlockParser, SkipParser


ROOT = Path(__file__).parent

# The suite must not pass or fail by luck: by default every run draws the same examples,
# so README's test command gives everyone the same answer. HYPOTHESIS_PROFILE=explore
# draws fresh examples each run (and keeps the failures it finds in .hypothesis/);
# HYPOTHESIS_PROFILE=thorough draws far more. The counterexamples exploring has found and
# the engine does not yet meet are listed in docs/confidence.md, "Known limits".
settings.register_profile("ci", derandomize=True, database=None, deadline=None)
settings.register_profile("explore", deadline=None)
settings.register_profile("thorough", max_examples=2_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def without_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``import pandas`` fail as it does where the extra is not installed."""
    real = builtins.__import__

    def refuse(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError("No module named 'pandas'", name="pandas")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", refuse)


def _setup(namespace: dict[str, Any]) -> None:
    """Give each document a scratch folder as its working directory and the repo's root."""
    scratch = tempfile.TemporaryDirectory()
    namespace["_scratch"] = scratch
    namespace["_cwd"] = Path.cwd()
    namespace["ROOT"] = ROOT
    os.chdir(scratch.name)


def _teardown(namespace: dict[str, Any]) -> None:
    os.chdir(namespace["_cwd"])
    namespace["_scratch"].cleanup()


pytest_collect_file = Sybil(
    parsers=[DocTestDirectiveParser(), PythonCodeBlockParser(), SkipParser()],
    patterns=["*.md"],
    setup=_setup,
    teardown=_teardown,
    excludes=["CHANGELOG.md"],
).pytest()
