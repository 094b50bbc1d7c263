"""A seeded synthetic corpus with the shapes monitoring work produces, for the scale benchmarks.

A few news agencies break most stories; many outlets repeat them (``via`` the agency),
often quoting the agency's anonymous officials; officials and armed groups deny; about a
third of the questions are casualty counts with rival figures. The same seed and size
always give the same corpus, so runs can be compared.
"""

from __future__ import annotations

import gc
import json
import os
import random
import time

from collections.abc import Callable
from pathlib import Path
from typing import Any


SIZES = {"small": 2_000, "10k": 10_000, "100k": 100_000, "200k": 200_000, "1m": 1_000_000}
"""Attributions per named size."""

FULL = ("10k", "100k", "1m")
"""The sizes ``full`` stands for: 10k, 100k and 1m attributions in one run."""

CHOICES = ("small", "full", *SIZES)
"""What a scale benchmark's runner may ask for."""


def chosen(sizes: str | list[str]) -> list[str]:
    """The sizes to run: *sizes* as given, or ``full`` spelled out."""
    if isinstance(sizes, str):
        return list(FULL) if sizes == "full" else [sizes]
    return sizes


def runs(f: Callable[[], object], n: int = 3) -> list[float]:
    """Seconds of each of *n* runs of *f*, each after a collection; its result is dropped."""
    times = []
    for _ in range(n):
        gc.collect()
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return times


def pin_one_core() -> None:
    """Run this process on one core, where the platform allows, so timings compare."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


_GRADES = "ABCDEF"
_VERBS = ("struck", "shelled", "seized", "evacuated", "visited", "closed", "reopened")
_PLACES = ("the border crossing", "the airport road", "the northern district", "the old port")


def generate(attributions: int, *, seed: int = 7) -> dict[str, Any]:  # noqa: C901, PLR0912 - one flat recipe
    """Build the plain data of a case file holding *attributions* attributions.

    The other records grow with it: one document per four attributions, one question
    per ten, three rival answers per question, one source per hundred.
    """
    rnd = random.Random(seed)
    n_sources = max(20, attributions // 100)
    n_agencies = max(3, n_sources // 200)
    n_docs = max(10, attributions // 4)
    n_questions = max(5, attributions // 10)
    sources: dict[str, Any] = {}
    for i in range(n_agencies):
        sources[f"agency-{i}"] = {"name": f"Agency {i}", "kind": "news-agency", "reliability": "B"}
        sources[f"agency-{i}-officials"] = {
            "name": f"Officials speaking to Agency {i}",
            "kind": "anonymous",
        }
    for i in range(n_sources):
        sources[f"outlet-{i}"] = {
            "name": f"Outlet {i}",
            "kind": "outlet",
            "reliability": _GRADES[i % 6],
        }
        if i % 10 == 0:
            sources[f"spokesperson-{i}"] = {
                "name": f"Spokesperson {i}",
                "kind": "person",
                "role": "spokesperson",
                "speaks_for": f"ministry-{i % 7}",
            }
    for i in range(7):
        sources[f"ministry-{i}"] = {"name": f"Ministry {i}", "kind": "government"}
    outlets = [s for s in sources if s.startswith("outlet-")]
    speakers = [s for s in sources if s.startswith(("spokesperson-", "ministry-"))]
    documents = {
        f"doc-{i}": {
            "publisher": outlets[i % len(outlets)],
            "title": f"Report {i} on the events",
            "url": f"https://news.example/{i}",
            "published": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
        }
        for i in range(n_docs)
    }
    questions: dict[str, Any] = {}
    claims: dict[str, Any] = {}
    for q in range(n_questions):
        numeric = q % 3 == 0
        questions[f"q-{q}"] = {
            "text": f"How many were killed in incident {q}?"
            if numeric
            else f"Who {_VERBS[q % 7]} {_PLACES[q % 4]} in incident {q}?"
        }
        for k in range(3):
            claim: dict[str, Any] = {"text": f"Answer {k} to question {q}", "question": f"q-{q}"}
            if numeric:
                claim["value"] = {"exactly": 2 + k} if k < 2 else {"at_least": 5}
            claims[f"c-{q}-{k}"] = claim
    atts: list[dict[str, Any]] = []
    for _ in range(attributions):
        q = rnd.randrange(n_questions)
        doc = f"doc-{rnd.randrange(n_docs)}"
        att: dict[str, Any] = {"claim": f"c-{q}-{rnd.choices((0, 1, 2), (6, 3, 1))[0]}"}
        roll = rnd.random()
        if roll < 0.3:  # an outlet repeats an agency's anonymous officials
            agency = rnd.randrange(n_agencies)
            att["source"] = f"agency-{agency}-officials"
            att["via"] = [f"agency-{agency}"]
            att["mode"] = "anonymous"
        elif roll < 0.5:
            att["source"] = rnd.choice(speakers)
        else:
            att["source"] = documents[doc]["publisher"]
        if rnd.random() < 0.1:
            att["stance"] = "denies"
        att["document"] = doc
        if rnd.random() < 0.2:
            att["quote"] = f"words of record {len(atts)}"
        atts.append(att)
    return {
        "claimtrack": 1,
        "title": f"Synthetic corpus of {attributions:,} attributions",
        "sources": sources,
        "documents": documents,
        "questions": questions,
        "claims": claims,
        "attributions": atts,
    }


def write(path: Path, attributions: int, *, seed: int = 7) -> Path:
    """Write the corpus of *attributions* attributions to *path* as a JSON case file."""
    path.write_text(json.dumps(generate(attributions, seed=seed), ensure_ascii=False))
    return path
