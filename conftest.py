"""Run every Python example in README.md and docs/ as a test, so the docs cannot rot."""

from __future__ import annotations

import os
import tempfile

from pathlib import Path
from typing import Any

from hypothesis import settings
from sybil import Sybil
from sybil.parsers.myst import DocTestDirectiveParser, PythonCodeBlockParser, SkipParser


ROOT = Path(__file__).parent

# CI must not go red by luck: there, every run draws the same examples. Locally each run
# explores new ones; HYPOTHESIS_PROFILE=thorough explores far more.
settings.register_profile("ci", derandomize=True, database=None, deadline=None)
settings.register_profile("thorough", max_examples=2_000, deadline=None)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default")
)


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
