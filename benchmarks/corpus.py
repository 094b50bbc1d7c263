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

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs


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


@attrs.frozen
class Shape:
    """How many of each record a corpus of *attributions* attributions holds.

    One document per four attributions, one question per ten (three rival answers each),
    one outlet per hundred, an agency per two hundred outlets, a spokesperson per ten
    outlets and seven ministries.
    """

    attributions: int

    @property
    def outlets(self) -> int:
        """How many outlets."""
        return max(20, self.attributions // 100)

    @property
    def agencies(self) -> int:
        """How many news agencies."""
        return max(3, self.outlets // 200)

    @property
    def documents(self) -> int:
        """How many documents."""
        return max(10, self.attributions // 4)

    @property
    def questions(self) -> int:
        """How many questions."""
        return max(5, self.attributions // 10)


def sources(shape: Shape) -> dict[str, Any]:
    """The corpus's sources: agencies and their anonymous officials, outlets, spokespeople, ministries."""
    out: dict[str, Any] = {}
    for i in range(shape.agencies):
        out[f"agency-{i}"] = {"name": f"Agency {i}", "kind": "news-agency", "reliability": "B"}
        out[f"agency-{i}-officials"] = {
            "name": f"Officials speaking to Agency {i}",
            "kind": "anonymous",
        }
    for i in range(shape.outlets):
        out[f"outlet-{i}"] = {
            "name": f"Outlet {i}",
            "kind": "outlet",
            "reliability": _GRADES[i % 6],
        }
        if i % 10 == 0:
            out[f"spokesperson-{i}"] = {
                "name": f"Spokesperson {i}",
                "kind": "person",
                "role": "spokesperson",
                "speaks_for": f"ministry-{i % 7}",
            }
    for i in range(7):
        out[f"ministry-{i}"] = {"name": f"Ministry {i}", "kind": "government"}
    return out


def documents(shape: Shape, start: int = 0, stop: int | None = None) -> dict[str, Any]:
    """The documents numbered *start* to *stop* (default: all), each published by an outlet."""
    outlets = shape.outlets
    return {
        f"doc-{i}": {
            "publisher": f"outlet-{i % outlets}",
            "title": f"Report {i} on the events",
            "url": f"https://news.example/{i}",
            "published": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
        }
        for i in range(start, shape.documents if stop is None else stop)
    }


def questions(
    shape: Shape, start: int = 0, stop: int | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The questions numbered *start* to *stop* (default: all), and their three answers each.

    A third are casualty counts with rival figures; the others ask who did something.
    """
    asked: dict[str, Any] = {}
    claims: dict[str, Any] = {}
    for q in range(start, shape.questions if stop is None else stop):
        numeric = q % 3 == 0
        asked[f"q-{q}"] = {
            "text": f"How many were killed in incident {q}?"
            if numeric
            else f"Who {_VERBS[q % 7]} {_PLACES[q % 4]} in incident {q}?"
        }
        for k in range(3):
            claim: dict[str, Any] = {"text": f"Answer {k} to question {q}", "question": f"q-{q}"}
            if numeric:
                claim["value"] = {"exactly": 2 + k} if k < 2 else {"at_least": 5}
            claims[f"c-{q}-{k}"] = claim
    return asked, claims


def attribution_batches(
    shape: Shape, *, seed: int = 7, batch: int = 500_000
) -> Iterator[list[dict[str, Any]]]:
    """The corpus's attributions, *batch* at a time, in order: the same for the same seed."""
    rnd = random.Random(seed)
    n_questions, n_docs, n_agencies = shape.questions, shape.documents, shape.agencies
    outlets = shape.outlets
    speakers = [f"spokesperson-{i}" for i in range(0, outlets, 10)]
    speakers += [f"ministry-{i}" for i in range(7)]
    made = 0
    while made < shape.attributions:
        atts: list[dict[str, Any]] = []
        for _ in range(min(batch, shape.attributions - made)):
            q = rnd.randrange(n_questions)
            d = rnd.randrange(n_docs)
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
                att["source"] = f"outlet-{d % outlets}"  # the document's publisher
            if rnd.random() < 0.1:
                att["stance"] = "denies"
            att["document"] = f"doc-{d}"
            if rnd.random() < 0.2:
                att["quote"] = f"words of record {made + len(atts)}"
            atts.append(att)
        made += len(atts)
        yield atts


def generate(attributions: int, *, seed: int = 7) -> dict[str, Any]:
    """Build the plain data of a case file holding *attributions* attributions.

    The other records grow with it (see :class:`Shape`).
    """
    shape = Shape(attributions)
    asked, claims = questions(shape)
    return {
        "claimtrack": 1,
        "title": f"Synthetic corpus of {attributions:,} attributions",
        "sources": sources(shape),
        "documents": documents(shape),
        "questions": asked,
        "claims": claims,
        "attributions": [a for batch in attribution_batches(shape, seed=seed) for a in batch],
    }


def write(path: Path, attributions: int, *, seed: int = 7) -> Path:
    """Write the corpus of *attributions* attributions to *path* as a JSON case file."""
    path.write_text(json.dumps(generate(attributions, seed=seed), ensure_ascii=False))
    return path


def joined(shape: Shape, every: int = 150) -> list[dict[str, Any]]:
    """Relations joining every *every*-th claim to the claim three after it (the next question's)."""
    return [
        {"kind": "contradicts", "claims": [f"c-{i // 3}-{i % 3}", f"c-{i // 3 + 1}-{i % 3}"]}
        for i in range(0, 3 * shape.questions - 3, every)
    ]


def write_dataset(
    folder: Path, shape: Shape, *, seed: int = 7, joined_every: int = 150, batch: int = 500_000
) -> dict[str, int]:
    """Write the corpus of *shape* as a Parquet dataset, *batch* records at a time.

    The corpus is never whole in memory, so datasets far larger than a case this machine
    could hold can be written. Every *joined_every*-th claim contradicts the claim three
    after it, an answer of the next question, so that parts span questions. Returns each
    table's row count.
    """
    from claimtrack.files._parquet import (  # noqa: PLC0415 - the dask extra, when run
        MANIFEST,
        ROW_GROUP,
        arrow,
        arrow_table,
        manifest_text,
        schema,
    )

    pq = arrow().parquet
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}

    def write(table: str, sections: Iterable[Any]) -> None:
        rows = 0
        with pq.ParquetWriter(folder / f"{table}.parquet", schema(table)) as out:
            for section in sections:
                part = arrow_table(table, section)
                out.write_table(part, row_group_size=ROW_GROUP)
                rows += part.num_rows
        counts[table] = rows

    def spans(total: int, size: int) -> Iterator[tuple[int, int]]:
        return ((a, min(a + size, total)) for a in range(0, total, size))

    write("sources", [sources(shape)])
    write("documents", (documents(shape, a, b) for a, b in spans(shape.documents, batch)))
    write("evidence", [None])
    step = max(1, batch // 3)
    write("questions", (questions(shape, a, b)[0] for a, b in spans(shape.questions, step)))
    write("claims", (questions(shape, a, b)[1] for a, b in spans(shape.questions, step)))
    write("attributions", attribution_batches(shape, seed=seed, batch=batch))
    write("relations", [joined(shape, joined_every)])
    title = f"Synthetic corpus of {shape.attributions:,} attributions"
    (folder / MANIFEST).write_text(manifest_text(title, None, counts), encoding="utf-8")
    return counts
