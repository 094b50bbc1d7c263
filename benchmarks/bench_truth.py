"""Accuracy on synthetic worlds with known truth: claimtrack against majority vote and truth discovery.

Each world has *items* (questions), each with one true answer among ``VALUES`` candidates.
Independent sources answer a share of the items, each right with its own accuracy and
otherwise picking a wrong answer at random. Copiers repeat what one origin said. In
claimtrack a copier's report is an attribution to the origin, in a document the copier
publishes, so the origin votes once however many outlets repeat it; the baselines see
every outlet as an independent source, as they would in practice.

Two claimtrack columns are reported. *ungraded* gives no source a grade, so every origin
weighs the same: it is majority vote over origins. *graded* gives each source the
Admiralty grade nearest its true accuracy, as an analyst who knows the sources would; the
baselines get no such knowledge (the truth-discovery algorithms learn trust from the data
instead), so read that column as "what grading is worth", not as a like-for-like race.

Scores: accuracy is the share of items whose most probable answer is true (a tie between
*t* answers earns ``1/t`` when the truth is among them); the Brier score is the mean over
items of the squared error of the probabilities over all candidate answers (lower is
better). truthdiscovery's beliefs are scores, not probabilities: they are normalised to
sum to 1 over each item's claimed answers before the Brier score is taken.
"""

from __future__ import annotations

import math
import random
import sys
import time

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from claimtrack import Case, Reliability, Settings


VALUES = 5
"""Candidate answers per item."""

GRADES = {
    Reliability.A: 0.95,
    Reliability.B: 0.80,
    Reliability.C: 0.65,
    Reliability.D: 0.45,
    Reliability.E: 0.25,
}

TD_ALGORITHMS = (
    "MajorityVoting",
    "Sums",
    "AverageLog",
    "Investment",
    "PooledInvestment",
    "TruthFinder",
)


@dataclass(frozen=True)
class Spec:
    """How to draw one world."""

    name: str
    items: int
    sources: int
    copiers: int
    coverage: float = 0.6
    accuracy: tuple[float, float] = (0.3, 0.9)
    copy_rate: float = 0.9
    copied: str = "random"
    """Which sources copiers repeat: ``random`` or the ``least`` accurate ones."""
    origins: int = 2
    """How many distinct sources the copiers repeat."""
    hidden: bool = False
    """Copiers do not say whom they copy: they repeat the origin's words as their own."""


@dataclass
class World:
    """A drawn world: the truth, who said what, and who copies whom."""

    spec: Spec
    truth: dict[str, int]
    accuracy: dict[str, float]
    said: dict[str, dict[str, int]] = field(default_factory=dict)
    """Per outlet (source or copier), its answer per item."""
    copies: dict[str, str] = field(default_factory=dict)
    """Per copier, the source it repeats."""


def draw(spec: Spec, seed: int) -> World:
    """Draw a world from *spec* with a seeded generator, so runs are repeatable."""
    rng = random.Random(seed)
    items = [f"item-{i}" for i in range(spec.items)]
    truth = {item: rng.randrange(VALUES) for item in items}
    sources = [f"src-{i}" for i in range(spec.sources)]
    accuracy = {s: rng.uniform(*spec.accuracy) for s in sources}
    world = World(spec, truth, accuracy)
    for s in sources:
        answers = {}
        for item in items:
            if rng.random() < spec.coverage:
                right = rng.random() < accuracy[s]
                wrong = [v for v in range(VALUES) if v != truth[item]]
                answers[item] = truth[item] if right else rng.choice(wrong)
        world.said[s] = answers
    pool = sorted(sources, key=accuracy.__getitem__) if spec.copied == "least" else list(sources)
    if spec.copied == "random":
        rng.shuffle(pool)
    origins = pool[: spec.origins]
    for j in range(spec.copiers):
        copier = f"copy-{j}"
        origin = origins[j % len(origins)]
        world.copies[copier] = origin
        world.said[copier] = {
            item: v for item, v in world.said[origin].items() if rng.random() < spec.copy_rate
        }
    return world


def grade(accuracy: float) -> Reliability:
    """The Admiralty grade whose default accuracy is nearest *accuracy*."""
    return min(GRADES, key=lambda g: abs(GRADES[g] - accuracy))


def build_case(world: World, *, graded: bool) -> Case:
    """The world as a claimtrack case, built through the public API.

    A declared copy is an attribution to the origin in the copier's document. A hidden
    copy is the copier speaking in its own name with the origin's words, published a day
    later: only the repeated words give it away.
    """
    case = Case(title=f"Synthetic world: {world.spec.name}")
    for s, acc in world.accuracy.items():
        case.add_source(s, s, "outlet", reliability=grade(acc) if graded else None)
        case.add_document(f"doc-{s}", s, f"Reports of {s}", published="2024-01-01")
    for copier in world.copies:
        case.add_source(copier, copier, "outlet")
        case.add_document(f"doc-{copier}", copier, f"Reports of {copier}", published="2024-01-02")
    for item in world.truth:
        case.add_question(item, f"What is the value of {item}?")
    claimed = sorted({(item, v) for answers in world.said.values() for item, v in answers.items()})
    for item, v in claimed:
        case.add_claim(f"{item}={v}", f"{item} is {v}", question=item)
    hidden = world.spec.hidden
    for outlet, answers in world.said.items():
        origin = world.copies.get(outlet, outlet)
        speaker = outlet if hidden else origin
        for item, v in answers.items():
            words = f"{origin} on {item}: the answer is {v}"
            case.attribute(f"{item}={v}", speaker, document=f"doc-{outlet}", quote=words)
    return case


Beliefs = dict[str, dict[int, float]]
"""Per item, a probability (or normalised belief) per answer."""


def claimtrack_beliefs(world: World, *, graded: bool) -> Beliefs:
    """The probabilities claimtrack gives every claimed answer."""
    result = build_case(world, graded=graded).assess(Settings(merge_echoes=world.spec.hidden))
    out: Beliefs = defaultdict(dict)
    for a in result.values():
        item, _, v = a.claim.partition("=")
        out[item][int(v)] = a.probability
    return out


def majority_beliefs(world: World) -> Beliefs:
    """Majority vote over outlets, as vote shares."""
    votes: dict[str, Counter[int]] = defaultdict(Counter)
    for answers in world.said.values():
        for item, v in answers.items():
            votes[item][v] += 1
    return {item: {v: n / sum(c.values()) for v, n in c.items()} for item, c in votes.items()}


def truthdiscovery_runners() -> dict[str, Callable[[World], Beliefs]] | None:
    """One runner per truthdiscovery algorithm, or ``None`` when the package is missing."""
    try:
        import truthdiscovery as td  # type: ignore[import-not-found,import-untyped,unused-ignore]  # noqa: PLC0415
    except ImportError:
        return None

    def runner(name: str) -> Callable[[World], Beliefs]:
        def run(world: World) -> Beliefs:
            triples = [
                (outlet, item, v)
                for outlet, answers in world.said.items()
                for item, v in answers.items()
            ]
            belief = getattr(td, name)().run(td.Dataset(triples)).belief
            return {
                item: _normalise({int(v): float(b) for v, b in vals.items()})
                for item, vals in belief.items()
            }

        return run

    return {name: runner(name) for name in TD_ALGORITHMS}


def _normalise(scores: Mapping[int, float]) -> dict[int, float]:
    low = min(0.0, *scores.values())
    shifted = {v: s - low for v, s in scores.items()}
    total = sum(shifted.values())
    if total <= 0 or not math.isfinite(total):
        return {v: 1 / len(scores) for v in scores}
    return {v: s / total for v, s in shifted.items()}


@dataclass(frozen=True)
class Score:
    """Accuracy (higher is better) and Brier score (lower is better) of one method on one world."""

    accuracy: float
    brier: float
    seconds: float


def score(world: World, beliefs: Beliefs, seconds: float) -> Score:
    """Score *beliefs* against the truth of *world*; items nobody answered are left out."""
    hits = 0.0
    brier = 0.0
    items = [item for item in world.truth if beliefs.get(item)]
    for item in items:
        p = beliefs[item]
        top = max(p.values())
        tied = [v for v, q in p.items() if q >= top - 1e-12]
        if world.truth[item] in tied:
            hits += 1 / len(tied)
        brier += sum((p.get(v, 0.0) - (v == world.truth[item])) ** 2 for v in range(VALUES))
    n = max(1, len(items))
    return Score(hits / n, brier / n, seconds)


def methods() -> tuple[dict[str, Callable[[World], Beliefs]], bool]:
    """Every method to compare, and whether truthdiscovery was found."""
    out: dict[str, Callable[[World], Beliefs]] = {
        "claimtrack (graded)": lambda w: claimtrack_beliefs(w, graded=True),
        "claimtrack (ungraded)": lambda w: claimtrack_beliefs(w, graded=False),
        "majority vote": majority_beliefs,
    }
    td = truthdiscovery_runners()
    if td is not None:
        out |= {f"truthdiscovery {name}": run for name, run in td.items()}
    return out, td is not None


def evaluate(spec: Spec, seeds: range) -> dict[str, Score]:
    """Every method on worlds drawn from *spec* with each of *seeds*, scores averaged."""
    runners, _ = methods()
    totals: dict[str, list[Score]] = defaultdict(list)
    for seed in seeds:
        world = draw(spec, seed)
        for name, run in runners.items():
            start = time.perf_counter()
            beliefs = run(world)
            totals[name].append(score(world, beliefs, time.perf_counter() - start))
    return {
        name: Score(
            sum(s.accuracy for s in scores) / len(scores),
            sum(s.brier for s in scores) / len(scores),
            sum(s.seconds for s in scores),
        )
        for name, scores in totals.items()
    }


def specs(size: str) -> tuple[list[Spec], range]:
    """The worlds of each size: without copying, with copiers of random origins, and a rumour mill."""
    small = size == "small"
    items, sources, copiers, seeds = (60, 8, 6, range(2)) if small else (1000, 12, 10, range(8))
    return [
        Spec("independent sources", items, sources, 0),
        Spec("copiers of random origins", items, sources, copiers),
        Spec("rumour mill: copiers of the least accurate", items, sources, copiers, copied="least"),
        Spec(
            "hidden copying: copiers repeat the words of the least accurate as their own",
            items,
            sources,
            copiers,
            copied="least",
            hidden=True,
        ),
    ], seeds


BASELINE = "majority vote"


def report(results: Mapping[Spec, Mapping[str, Score]]) -> Iterator[str]:
    """Markdown tables, one per world, with ratios against majority vote from the same run."""
    for spec, scores in results.items():
        base = scores[BASELINE]
        yield f"### {spec.name}\n"
        yield (
            f"{spec.items} items of {VALUES} candidate answers, {spec.sources} independent sources "
            f"(accuracy {spec.accuracy[0]:.2f} to {spec.accuracy[1]:.2f}, coverage {spec.coverage:.0%}), "
            f"{spec.copiers} copiers of {spec.origins if spec.copiers else 0} origins"
            + (", undeclared (claimtrack runs with merge_echoes)" if spec.hidden else "")
            + ".\n"
        )
        yield "| method | accuracy | Brier | accuracy vs majority vote | Brier vs majority vote | seconds |"
        yield "|---|---:|---:|---:|---:|---:|"
        for name, s in sorted(scores.items(), key=lambda kv: (-kv[1].accuracy, kv[1].brier)):
            yield (
                f"| {name} | {s.accuracy:.3f} | {s.brier:.3f} | x{s.accuracy / base.accuracy:.2f} "
                f"| x{s.brier / base.brier:.2f} | {s.seconds:.2f} |"
            )
        yield ""
        for column in ("claimtrack (graded)", "claimtrack (ungraded)"):
            mine = scores[column]
            yield (
                f"- {column}: accuracy vs majority vote: x{mine.accuracy / base.accuracy:.2f}; "
                f"Brier vs majority vote: x{mine.brier / base.brier:.2f} (below 1 is better)."
            )
        others = {n: s for n, s in scores.items() if not n.startswith("claimtrack")}
        best_name, best = max(others.items(), key=lambda kv: kv[1].accuracy)
        yield f"- best baseline: {best_name}, accuracy {best.accuracy:.3f}.\n"


def main(size: str = "small") -> None:
    """Run the worlds of *size* and print the report."""
    _, has_td = methods()
    if not has_td:
        print(
            "truthdiscovery is not installed: its columns are skipped "
            "(see benchmarks/requirements.txt).\n"
        )
    worlds, seeds = specs(size)
    results = {spec: evaluate(spec, seeds) for spec in worlds}
    print(f"Averaged over {len(seeds)} seeded worlds each.\n")
    for line in report(results):
        print(line)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "small")
