"""Linked questions at scale: assessment with ``implies`` and ``contradicts`` across questions.

The synthetic corpus of the scale benchmark (``corpus.py``) is taken at a size, and a
share of its exclusive questions (:data:`SHARE`) is bound into groups by relations
between answers of different questions: along a chain through each group's questions,
one answer of a question ``implies`` an answer of the next and another answer of it
``contradicts`` that same answer. Most groups hold two or three questions; a few hold
four to six (up to ``4**6 = 4096`` joint answers, the most judged exactly,
``MOST_COMBINATIONS``), and at least one holds eight, beyond that bound, so that the
approximation (each question judged apart, then held to the links) is timed too.

The baseline is the same case without the added relations, assessed in the same run:
both cases are loaded first (not timed), then ``case.assess()`` is timed on each in turn,
alternately, and the best of each is kept. The runs are pinned to one core, as the scale
benchmark's are. With links the engine's cost grows with the square of the case: at 1m a
linked assessment took about 37 minutes on the machine of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import gc
import itertools
import json
import math
import random
import re
import time

from collections import Counter
from typing import Any

import corpus

import claimtrack

from claimtrack.engine._joint import MOST_COMBINATIONS


SHARE = 0.2
"""The share of the exclusive questions bound into linked groups."""

LARGE = (4, 5, 6)
"""Sizes (in questions) of the few larger groups judged exactly: one per 2,500 linked questions."""

BEYOND = 8
"""Questions in a group past :data:`MOST_COMBINATIONS` (``4**8`` joint answers before links)."""

SIZES = corpus.CHOICES
"""What the runner may ask for: ``full`` is 10k, 100k and 1m attributions in one run."""

ROUNDS = {"small": 2, "10k": 5, "100k": 3, "200k": 3, "1m": 2}
"""How many times each case is assessed (alternately); the best time is kept."""

_SIZE_OF = re.compile(r"have (\d+) joint answers")


def answers_of(data: dict[str, Any]) -> dict[str, list[str]]:
    """The answers of each exclusive question of the case data, in the data's order."""
    exclusive = {
        qid for qid, q in data["questions"].items() if q.get("exclusive", True) is not False
    }
    out: dict[str, list[str]] = {qid: [] for qid in data["questions"] if qid in exclusive}
    for cid, claim in data["claims"].items():
        if claim.get("question") in out:
            out[claim["question"]].append(cid)
    return {qid: found for qid, found in out.items() if len(found) >= 2}


def group_sizes(linked: int, rnd: random.Random) -> list[int]:
    """How many questions each group holds, for *linked* questions in all."""
    sizes = [BEYOND] * max(1, linked // 10_000)
    for k in LARGE:
        sizes += [k] * max(1, linked // 2_500)
    rest = linked - sum(sizes)
    while rest >= 2:  # pairs and triples, the most common; no question left alone
        k = rest if rest <= 3 else rnd.choice((2, 2, 3))
        if rest - k == 1:
            k += 1 if k == 2 else -1
        sizes.append(k)
        rest -= k
    return sizes


def link(data: dict[str, Any], *, seed: int = 11) -> tuple[list[dict[str, Any]], list[list[str]]]:
    """Relations binding :data:`SHARE` of the exclusive questions into groups, and the groups.

    Along each group's chain of questions, an answer of one question implies an answer of
    the next, and a different answer of the first contradicts that same answer: both
    links can hold (no answer implies one it contradicts).
    """
    rnd = random.Random(seed)
    answers = answers_of(data)
    chosen = rnd.sample(sorted(answers), int(len(answers) * SHARE))
    relations: list[dict[str, Any]] = []
    groups: list[list[str]] = []
    at = 0
    for k in group_sizes(len(chosen), rnd):
        group = chosen[at : at + k]
        at += k
        groups.append(group)
        for first, second in itertools.pairwise(group):
            a, other = rnd.sample(answers[first], 2)
            b = rnd.choice(answers[second])
            relations.append({"kind": "implies", "claims": [a, b]})
            relations.append({"kind": "contradicts", "claims": [other, b]})
    return relations, groups


def nominal(questions: list[str], answers: dict[str, list[str]]) -> int:
    """A group's joint answers before links rule any out, all its answers taking part.

    One hypothesis per answer plus "none of these" per question: the synthetic corpus's
    rival answers cannot hold together (its counts are exact figures or a floor above them).
    """
    return math.prod(len(answers[q]) + 1 for q in questions)


def broken(result: claimtrack.Assessments, relations: list[dict[str, Any]]) -> int:
    """How many of *relations* the probabilities break (beyond rounding)."""
    out = 0
    for rel in relations:
        a, b = (result[c].probability for c in rel["claims"])
        out += a > b + 1e-9 if rel["kind"] == "implies" else a + b > 1.0 + 1e-9
    return out


def _assess(case: claimtrack.Case) -> tuple[float, float, claimtrack.Assessments]:
    """Wall and CPU seconds of one ``case.assess()``, after a collection, and its result."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    result = case.assess()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def run(size: str) -> dict[str, Any]:
    """Assess the corpus at *size* without and with the linked groups; one row of figures."""
    n = corpus.SIZES[size]
    data = corpus.generate(n)
    plain = claimtrack.loads(json.dumps(data, ensure_ascii=False), "json")
    relations, groups = link(data)
    data["relations"] = relations
    linked = claimtrack.loads(json.dumps(data, ensure_ascii=False), "json")
    del data["relations"]
    answers = answers_of(data)
    # warm the imports (the loader, the engine and numpy): a one-time cost per process
    claimtrack.loads('{"claimtrack": 1}', "json").assess()
    times: dict[str, list[tuple[float, float]]] = {"plain": [], "linked": []}
    result = None
    for _ in range(ROUNDS.get(size, 3)):
        result = None  # the previous result is dropped before the next run
        wall, cpu, _ = _assess(plain)
        times["plain"].append((wall, cpu))
        wall, cpu, result = _assess(linked)
        times["linked"].append((wall, cpu))
    if result is None:
        raise ValueError(f"no rounds at size {size}")
    approximate = [w for w in result.warnings if w.kind is claimtrack.WarningKind.APPROXIMATE]
    expected = [g for g in groups if nominal(g, answers) > MOST_COMBINATIONS]
    base_wall, base_cpu = (min(t[k] for t in times["plain"]) for k in (0, 1))
    link_wall, link_cpu = (min(t[k] for t in times["linked"]) for k in (0, 1))
    return {
        "size": size,
        "attributions": n,
        "questions": len(data["questions"]),
        "linked_questions": sum(map(len, groups)),
        "relations": len(relations),
        "groups": len(groups),
        "group_sizes": dict(sorted(Counter(map(len, groups)).items())),
        "largest_exact": max(
            (nominal(g, answers) for g in groups if nominal(g, answers) <= MOST_COMBINATIONS),
            default=0,
        ),
        "expected_approximate": len(expected),
        "approximate": len(approximate),
        "approximate_sizes": [int(m[1]) for w in approximate if (m := _SIZE_OF.search(w.message))],
        "broken": broken(result, relations),
        "rounds": len(times["plain"]),
        "baseline_seconds": base_wall,
        "baseline_cpu": base_cpu,
        "seconds": link_wall,
        "cpu": link_cpu,
        "ratio": link_wall / base_wall,
        "cpu_ratio": link_cpu / base_cpu,
        "baseline_all": [t[0] for t in times["plain"]],
        "linked_all": [t[0] for t in times["linked"]],
    }


def _report(r: dict[str, Any]) -> None:
    shapes = ", ".join(f"{k}q: {v:,}" for k, v in r["group_sizes"].items())
    sizes = ", ".join(f"{s:,}" for s in r["approximate_sizes"]) or "none"
    print(
        f"  linked: {r['linked_questions']:,} of {r['questions']:,} questions in "
        f"{r['groups']:,} groups ({shapes}), {r['relations']:,} relations"
    )
    print(
        f"  assess, no relations (baseline) {r['baseline_seconds']:8.2f} s  "
        f"(CPU {r['baseline_cpu']:.2f} s)  best of {r['rounds']}"
    )
    print(
        f"  assess, linked groups           {r['seconds']:8.2f} s  "
        f"(CPU {r['cpu']:.2f} s)  {r['ratio']:.2f}x baseline (CPU {r['cpu_ratio']:.2f}x)"
    )
    print(
        f"  judged exactly: {r['groups'] - r['approximate']:,} groups, the largest up to "
        f"{r['largest_exact']:,} joint answers (bound {MOST_COMBINATIONS:,}); approximate: "
        f"{r['approximate']:,} (expected {r['expected_approximate']:,}; joint answers {sizes})"
    )
    print(f"  links broken in the result: {r['broken']:,} of {r['relations']:,}")
    every = ", ".join(
        f"{b:.2f}/{t:.2f}" for b, t in zip(r["baseline_all"], r["linked_all"], strict=True)
    )
    print(f"  every round (baseline/linked, s): {every}", flush=True)


def main(sizes: str | list[str]) -> list[dict[str, Any]]:
    """Run the benchmark at each size, pinned to one core; print and return the rows."""
    sizes = corpus.chosen(sizes)
    corpus.pin_one_core()
    out = []
    for size in sizes:
        print(f"size {size} ({corpus.SIZES[size]:,} attributions)", flush=True)
        row = run(size)
        _report(row)
        out.append(row)
    return out


if __name__ == "__main__":
    import sys

    main(sys.argv[1] if len(sys.argv) > 1 else "small")
