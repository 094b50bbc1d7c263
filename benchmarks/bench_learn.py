"""Benchmark learned reliability and copy detection against the published state of the art.

Four parts, each printed as a Markdown table (the figures in docs/learned-reliability.md
come from this script):

1. Books: the real AbeBooks data set (stores listing the authors of books), read from
   ``../shared/data/books`` beside the repository; skipped when the folder is absent.
2. Synthetic worlds with copiers: seeded, known truth; accuracy and Brier score of the
   learned mode against majority vote, the plain engine and every ``truthdiscovery``
   algorithm (skipped, with a message, when that package is not installed).
3. Speed: the learned mode against ``truthdiscovery``'s ``Dataset`` construction plus its
   fastest algorithm, on the same data in the same run.
4. Calibration: a reliability diagram of the learned mode's probabilities.

Run ``python benchmarks/bench_learn.py`` (``--quick`` for a small run, ``--size N`` for the
number of attributions in the speed test).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from claimtrack import Attribution, Case, Claim, Question, Settings, Source


sys.path.insert(0, str(Path(__file__).parent))  # run as a script too, beside bench_truth.py
import bench_truth
import corpus

from bench_scale import _times


BOOKS = Path(__file__).resolve().parents[2] / "shared" / "data" / "books"
STOP = frozenset({"and", "the", "edt", "editor", "eds"})
WORD = re.compile(r"[a-z']+")

Triple = tuple[str, str, str]


# ---- Books ---------------------------------------------------------------------------------


def normalise(authors: str) -> str:
    """The word set of an author list: lower case, words of three letters or more, sorted."""
    words = {w for w in WORD.findall(authors.lower()) if len(w) >= 3 and w not in STOP}
    return " ".join(sorted(words))


def books_triples(folder: Path = BOOKS) -> list[Triple]:
    """``(store, isbn, normalised authors)``, first listing per store and book kept."""
    out, seen = [], set()
    with (folder / "claims.txt").open(encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = [p.strip() for p in line.rstrip("\n").split("|\t")]
            if len(parts) < 6:
                continue
            isbn, value, store = parts[2], parts[4], parts[5]
            if value.lower() == "not available" or (store, isbn) in seen:
                continue
            norm = normalise(value)
            if norm:
                seen.add((store, isbn))
                out.append((store, isbn, norm))
    return out


def books_gold(folder: Path = BOOKS) -> dict[str, str]:
    """The 100 gold books: ISBN to normalised author list."""
    gold = {}
    for line in (folder / "golden.txt").read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            isbn, authors = line.split("\t", 1)
            gold[isbn.strip()] = normalise(authors)
    return gold


def source_id(name: str) -> str:
    """A store's name as a source id: ids hold no spaces."""
    return re.sub(r"\s+", "_", name)[:200]


def build_case(triples: Iterable[Triple], *, documents: bool = True) -> tuple[Case, dict[str, str]]:
    """A case through the public API: a question per item, a claim per distinct value.

    Returns the case and, for each claim id, the value it stands for.
    """
    case = Case(title="Truth discovery")
    values: dict[str, str] = {}
    claim_of: dict[tuple[str, str], str] = {}
    for store, item, value in triples:
        sid = source_id(store)
        if sid not in case.sources:
            case.add_source(sid, store, "outlet")
        qid = f"q{item}"
        if qid not in case.questions:
            case.add_question(qid, f"What is the value of {item}?")
        cid = claim_of.get((item, value))
        if cid is None:
            cid = claim_of[item, value] = f"{qid}-{len(claim_of)}"
            case.add_claim(cid, value, question=qid)
            values[cid] = value
        doc = None
        if documents:
            doc = f"{sid}-{item}"[:200]
            case.add_document(doc, sid, f"{store} on {item}")
        case.attribute(cid, sid, document=doc)
    return case, values


def picks(case: Case, values: dict[str, str], settings: Settings) -> dict[str, str]:
    """The most probable value per item, as ``claimtrack assess`` ranks them."""
    result = case.assess(settings)
    best: dict[str, tuple[float, str]] = {}
    for a in result.assessments:
        if a.question is not None:
            key = (a.probability, a.claim)
            if a.question not in best or key > best[a.question]:
                best[a.question] = key
    return {q[1:]: values[c] for q, (_, c) in best.items()}


def bench_books() -> None:
    """Accuracy on the 100 gold books."""
    print("## Books (100 gold books, word-set normalisation)\n")
    if not (BOOKS / "claims.txt").is_file():
        print("skipped: the Books data folder is absent\n")
        return
    triples = books_triples()
    gold = books_gold()
    case, values = build_case(triples)
    print(
        f"{len(case.sources)} stores, {len(case.questions)} books, {len(case.claims)} "
        f"distinct author lists, {len(case.attributions)} listings\n"
    )
    print("| method | accuracy | seconds |\n|---|---|---|")
    for name, settings in (("plain engine", Settings()), ("learned mode", Settings(learn=True))):
        start = time.perf_counter()
        chosen = picks(case, values, settings)
        took = time.perf_counter() - start
        right = sum(chosen.get(isbn) == truth for isbn, truth in gold.items())
        print(f"| claimtrack {name} | {right / len(gold):.2f} | {took:.1f} |")
    for name, run in _td_algorithms():
        start = time.perf_counter()
        chosen = run(triples)
        took = time.perf_counter() - start
        right = sum(chosen.get(isbn) == truth for isbn, truth in gold.items())
        print(f"| truthdiscovery {name} | {right / len(gold):.2f} | {took:.1f} |")
    print()


# ---- the truthdiscovery package ---------------------------------------------------------------


def _td() -> Any | None:
    try:
        import truthdiscovery  # noqa: PLC0415 - an optional baseline
    except ImportError as e:
        print(f"(truthdiscovery baselines skipped: {e}; `pip install truthdiscovery`)\n")
        return None
    return truthdiscovery


TD_ALGORITHMS = (*bench_truth.TD_ALGORITHMS, "CRH")
"""The truthdiscovery package's algorithms, each measured on the same data."""


def _td_algorithms() -> list[tuple[str, Callable[[Sequence[Triple]], dict[str, str]]]]:
    """Every truthdiscovery algorithm, each as a function from triples to picks."""
    td = _td()
    if td is None:
        return []
    algorithms = [(name, getattr(td, name)) for name in TD_ALGORITHMS]

    def runner(cls: Any) -> Callable[[Sequence[Triple]], dict[str, str]]:
        def run(triples: Sequence[Triple]) -> dict[str, str]:
            result = cls().run(td.Dataset(triples))
            return {var: _top(beliefs) for var, beliefs in result.belief.items()}

        return run

    return [(name, runner(cls)) for name, cls in algorithms]


def _top(beliefs: dict[Any, float]) -> Any:
    """The most believed value; ties go to the smallest value, for determinism."""
    return min(beliefs.items(), key=lambda kv: (-kv[1], str(kv[0])))[0]


# ---- synthetic worlds ------------------------------------------------------------------------


def world(
    seed: int,
    *,
    items: int = 2000,
    per_item: int = 5,
    independents: int = 60,
    accuracy: tuple[float, float] = (0.65, 0.9),
    masters: int = 1,
    copiers: int = 6,
    master_accuracy: float = 0.3,
    coverage: float = 0.6,
    false_values: int = 10,
) -> tuple[list[Triple], dict[str, str], set[str]]:
    """A seeded world with known truth and sources that copy without saying so.

    Each item is answered by *per_item* independent sources drawn at random, each right
    with its own accuracy, wrong otherwise with a false value drawn uniformly. Each of
    *masters* sources (right with *master_accuracy*) answers a share *coverage* of the
    items, and *copiers* copiers per master repeat its answers, with no declared chain.

    Returns:
        The triples ``(source, item, value)``, the truth per item, and the copiers' ids.
    """
    rng = random.Random(seed)
    accs = [rng.uniform(*accuracy) for _ in range(independents)]
    truth = {f"i{i}": "v0" for i in range(items)}
    triples: list[Triple] = []
    copier_ids: set[str] = set()

    def answer(acc: float) -> str:
        return "v0" if rng.random() < acc else f"v{rng.randint(1, false_values)}"

    for i in range(items):
        item = f"i{i}"
        triples.extend(
            (f"s{s}", item, answer(accs[s])) for s in rng.sample(range(independents), per_item)
        )
        for m in range(masters):
            if rng.random() < coverage:
                value = answer(master_accuracy)
                triples.append((f"m{m}", item, value))
                for c in range(copiers):
                    copier_ids.add(f"m{m}c{c}")
                    triples.append((f"m{m}c{c}", item, value))
    return triples, truth, copier_ids


def _fast_case(triples: Iterable[Triple]) -> tuple[Case, dict[str, str]]:
    """The case of :func:`build_case` without documents, built unchecked for speed."""
    records: list[object] = []
    seen_sources: set[str] = set()
    seen_items: set[str] = set()
    claims: dict[tuple[str, str], str] = {}
    values: dict[str, str] = {}
    for store, item, value in triples:
        if store not in seen_sources:
            seen_sources.add(store)
            records.append(Source(store, store, "outlet"))
        if item not in seen_items:
            seen_items.add(item)
            records.append(Question(f"q{item}", f"What is the value of {item}?"))
        cid = claims.get((item, value))
        if cid is None:
            cid = claims[item, value] = f"q{item}-{value}"
            records.append(Claim(cid, value, question=f"q{item}"))
            values[cid] = value
        records.append(Attribution(cid, store))
    return Case.from_records(records, title="Synthetic world"), values


def _distribution(
    case: Case, values: dict[str, str], settings: Settings
) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for a in case.assess(settings).assessments:
        if a.question is not None:
            out[a.question[1:]][values[a.claim]] = a.probability
    return out


def _vote_shares(triples: Iterable[Triple]) -> dict[str, dict[str, float]]:
    counts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for _, item, value in triples:
        counts[item][value] += 1
    return {i: {v: n / sum(c.values()) for v, n in c.items()} for i, c in counts.items()}


def _score(dist: dict[str, dict[str, float]], truth: dict[str, str]) -> tuple[float, float]:
    """Accuracy of the top value, and the Brier score of the distribution, per item.

    A tie between k top values scores 1/k when the truth is among them, what a fair coin
    would give: breaking ties by the value's name would favour these worlds' truth, which
    is always ``v0``, and so flatter every method that ties (voting most of all).
    """
    right, brier = 0.0, 0.0
    for item, true in truth.items():
        probs = dist.get(item, {})
        top = max(probs.values(), default=0.0)
        tied = [v for v, p in probs.items() if p >= top - 1e-12]
        if probs and true in tied:
            right += 1 / len(tied)
        brier += sum((p - (v == true)) ** 2 for v, p in probs.items())
        if true not in probs:
            brier += 1.0
    return right / len(truth), brier / len(truth)


def _td_distributions(triples: Sequence[Triple]) -> list[tuple[str, dict[str, dict[str, float]]]]:
    td = _td()
    if td is None:
        return []
    out = []
    for name in TD_ALGORITHMS:
        cls = getattr(td, name)
        result = cls().run(td.Dataset(triples))
        dist = {}
        for var, beliefs in result.belief.items():
            low = min(0.0, *beliefs.values())
            total = sum(b - low for b in beliefs.values()) or 1.0
            dist[var] = {v: (b - low) / total for v, b in beliefs.items()}
        out.append((f"truthdiscovery {name}", dist))
    return out


SCENARIOS: list[tuple[str, dict[str, Any]]] = [
    ("base: 1 master (accuracy 0.3), 6 copiers, 5 independent per item", {}),
    ("no copiers", {"copiers": 0, "masters": 0}),
    ("2 copiers", {"copiers": 2}),
    ("12 copiers", {"copiers": 12}),
    ("3 masters, 4 copiers each", {"masters": 3, "copiers": 4, "coverage": 0.3}),
    ("copied source accuracy 0.1", {"master_accuracy": 0.1}),
    ("copied source accuracy 0.5", {"master_accuracy": 0.5}),
    ("3 independent per item", {"per_item": 3}),
    ("8 independent per item", {"per_item": 8}),
]


def bench_worlds(seeds: Sequence[int], items: int) -> None:
    """Accuracy and Brier score per scenario, averaged over *seeds*."""
    print(f"## Synthetic worlds with copiers ({items} items, seeds {list(seeds)})\n")
    rows: dict[str, dict[str, list[tuple[float, float]]]] = defaultdict(lambda: defaultdict(list))
    for label, knobs in SCENARIOS:
        for seed in seeds:
            triples, truth, copiers = world(seed, items=items, **knobs)
            case, values = _fast_case(triples)
            honest = [t for t in triples if t[0] not in copiers]
            row = rows[label]
            row["majority vote, independent sources only"].append(
                _score(_vote_shares(honest), truth)
            )
            row["majority vote"].append(_score(_vote_shares(triples), truth))
            row["claimtrack plain engine"].append(
                _score(_distribution(case, values, Settings()), truth)
            )
            row["claimtrack learned mode"].append(
                _score(_distribution(case, values, Settings(learn=True)), truth)
            )
            for name, dist in _td_distributions(triples):
                row[name].append(_score(dist, truth))
    for label, row in rows.items():
        print(f"### {label}\n\n| method | accuracy | Brier |\n|---|---|---|")
        for method, scores in row.items():
            acc = sum(s[0] for s in scores) / len(scores)
            brier = sum(s[1] for s in scores) / len(scores)
            print(f"| {method} | {acc:.3f} | {brier:.3f} |")
        print()


def bench_calibration(seeds: Sequence[int], items: int) -> None:
    """A reliability diagram: stated probability against how often such claims are true."""
    print("## Calibration of the learned mode (all scenarios pooled)\n")
    bins = [[0, 0.0, 0] for _ in range(10)]
    for _, knobs in SCENARIOS:
        for seed in seeds:
            triples, truth, _ = world(seed, items=items, **knobs)
            case, values = _fast_case(triples)
            for item, probs in _distribution(case, values, Settings(learn=True)).items():
                for value, p in probs.items():
                    b = bins[min(9, int(p * 10))]
                    b[0] += 1
                    b[1] += p
                    b[2] += value == truth[item]
    print("| stated | claims | mean stated | observed | gap |\n|---|---|---|---|---|")
    for k, (n, total, true) in enumerate(bins):
        if n:
            print(
                f"| {k / 10:.1f} to {(k + 1) / 10:.1f} | {n} | {total / n:.3f} | {true / n:.3f} | "
                f"{true / n - total / n:+.3f} |"
            )
    print()


# ---- speed -------------------------------------------------------------------------------------


def bench_speed(size: int, repeat: int = 3) -> None:
    """Learned mode against truthdiscovery's Dataset plus its fastest algorithm, same data.

    Pinned to one core. Each contender runs *repeat* times and its best time is compared,
    truthdiscovery's as well as ours; the first run, which in a fresh process pays for
    memory the operating system has not handed out yet, is shown beside it.
    """
    corpus.pin_one_core()
    per_item = 10
    triples, _, _ = world(
        1, items=int(size / (per_item + 7 * 0.6)), per_item=per_item, independents=1000
    )
    print(f"## Speed ({len(triples):,} attributions, one core, best of {repeat})\n")
    case, _ = _fast_case(triples)
    from claimtrack.engine.learned._reliability import learn_reliability  # noqa: PLC0415 - the fit alone

    td = _td()
    runs: list[tuple[str, Callable[[], object]]] = [
        (
            "claimtrack learned mode: learning only (`learn_reliability`)",
            lambda: learn_reliability(case),
        ),
        ("claimtrack learned mode: full assessments", lambda: case.assess(Settings(learn=True))),
        ("claimtrack plain engine: full assessments", case.assess),
    ]
    if td is not None:
        runs.append(
            (
                "truthdiscovery `Dataset` + `MajorityVoting`",
                lambda: td.MajorityVoting().run(td.Dataset(triples)),
            )
        )
    measured = [(name, _times(run, repeat)) for name, run in runs]
    baseline = min(measured[-1][1]) if td is not None else None
    print("| what | best, s | first run, s | × truthdiscovery |\n|---|---|---|---|")
    for name, times in measured:
        ratio = f"{min(times) / baseline:.2f}" if baseline else "-"
        print(f"| {name} | {min(times):.2f} | {times[0]:.2f} | {ratio} |")
    if td is None:
        print("\n(truthdiscovery is not installed: no baseline to compare with)")
    print()


def main(size: str = "small") -> None:
    """Entry point for ``benchmarks/run.py``: ``small`` is the quick run, anything else the full one."""
    cli(["--quick"] if size == "small" else [])


def cli(argv: Sequence[str] | None = None) -> int:
    """Run every part; ``--quick`` keeps it small."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small run, for CI")
    parser.add_argument(
        "--size", type=int, default=1_000_000, help="attributions in the speed test"
    )
    parser.add_argument("--only", choices=("books", "worlds", "calibration", "speed"))
    args = parser.parse_args(argv)
    seeds = [1] if args.quick else [1, 2, 3]
    items = 300 if args.quick else 2000
    size = min(args.size, 20_000) if args.quick else args.size
    parts: dict[str, Callable[[], None]] = {
        "books": bench_books,
        "worlds": lambda: bench_worlds(seeds, items),
        "calibration": lambda: bench_calibration(seeds, items),
        "speed": lambda: bench_speed(size),
    }
    for name, part in parts.items():
        if args.only in (None, name):
            part()
    return 0


if __name__ == "__main__":
    sys.exit(cli())
