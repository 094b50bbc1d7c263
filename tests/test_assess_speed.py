"""The engine: the same judgements as the reference engine, with reasons built on demand."""

from __future__ import annotations

import hashlib
import pickle
import random
import sys

from pathlib import Path

import attrs
import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

import claimtrack

from claimtrack import Settings
from claimtrack._text import json_text
from claimtrack.engine import Assessment, assess
from claimtrack.export import assessments_to_data

from .reference import assess_reference
from .strategies import cases, recipes


ROOT = Path(__file__).parent.parent
SEED = ROOT / "examples" / "iraq-2024" / "case.yaml"
GOLDEN = Path(__file__).parent / "data" / "golden"

# sha256 of `claimtrack assess --format json` for the synthetic benchmark corpus: a change of
# the bytes is a change of the rules, to be explained in the CHANGELOG. Last changed by
# diminishing returns and the new keys of each vote (stake, hedge, speakers, evidence).
CORPUS_DIGESTS = {
    False: "862b800aabd1812e49098ebf9624d39065a2d6c9285085c89f587a5dab6c8b45",
    True: "a92febe2e7ca6edcd8e885ed7a952621f3e7771a373993d48dd0977a259dcb28",
}


def _json(case: claimtrack.Case, merge: bool = False) -> str:
    found = assess(case, Settings(merge_echoes=merge))
    return json_text(assessments_to_data(found)) + "\n"


def _corpus(n: int) -> claimtrack.Case:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import corpus
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    from claimtrack.files._reading import case_from_data

    data = corpus.generate(n)
    rnd = random.Random(3)  # noqa: S311 - a seeded shuffle, not a secret
    claims = list(data["claims"])
    for cid in claims[::7]:
        data["claims"][cid]["about"] = ["ministry-1", "agency-0"]
    for i, att in enumerate(data["attributions"]):
        roll = rnd.random()
        if "quote" in att:
            att["quote"] = f"the words on {att['claim']}"
        if roll < 0.04:
            att["stance"] = "retracts"
        elif roll < 0.08:
            att["stance"] = "doubts"
        elif roll < 0.10:
            att["mode"] = "purported"
        elif roll < 0.12:
            att["credibility"] = 1 + i % 6
        if rnd.random() < 0.3:
            att["said"] = f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}"
    data["relations"] = [
        {"kind": kind, "claims": [claims[j], claims[j + k]]}
        for j, (kind, k) in enumerate(
            (("contradicts", 1), ("supports", 2), ("refines", 1), ("supersedes", 3)) * 20
        )
    ]
    return case_from_data(data)


def test_seed_json_is_unchanged():
    """`claimtrack assess --format json` gives the same bytes for the seed case as before."""
    golden = (GOLDEN / "assess-iraq-2024.json").read_text(encoding="utf-8")
    assert _json(claimtrack.load(SEED)) == golden


@pytest.mark.parametrize("merge", [False, True])
def test_corpus_json_is_unchanged(merge):
    """The JSON for a 2,000-attribution synthetic corpus is byte for byte what it was."""
    found = _json(_corpus(2000), merge)
    assert hashlib.sha256(found.encode()).hexdigest() == CORPUS_DIGESTS[merge]


def _same(case: claimtrack.Case, knobs: Settings) -> None:
    fast = assess(case, knobs)
    plain = assess_reference(case, knobs)
    assert fast == plain
    assert json_text(assessments_to_data(fast)) == json_text(assessments_to_data(plain))


@settings(max_examples=150, deadline=None)
@given(recipe=recipes(max_said=14), merge=st.booleans())
def test_fast_engine_equals_the_plain_one_on_assessable_cases(recipe, merge):
    """Both bulk paths give every number, vote, reason and warning the plain engine gives."""
    _same(recipe.build(), Settings(merge_echoes=merge))


@settings(max_examples=150, deadline=None)
@given(
    case=cases(max_attributions=10, max_relations=4),
    merge=st.booleans(),
)
def test_fast_engine_equals_the_plain_one_on_any_valid_case(case, merge):
    """On cases with every kind of record and relation, the engines agree exactly."""
    _same(case, Settings(merge_echoes=merge))


def test_corpus_equals_the_plain_engine():
    """On the varied corpus, with echoes merged or not, the engines agree exactly."""
    case = _corpus(600)
    for merge in (False, True):
        _same(case, Settings(merge_echoes=merge))


def _unread(a: Assessment) -> bool:
    """Whether the assessment's reasons are still to be built: their slot is empty."""
    try:
        Assessment.__dict__["reasons"].__get__(a, Assessment)
    except AttributeError:
        return True
    return False


def test_reasons_are_built_when_first_read_and_kept():
    """Reasons are not built by assess itself; once read they are plain, kept tuples of text."""
    result = claimtrack.load(SEED).assess()
    first = next(iter(result.values()))
    assert _unread(first)
    reasons = first.reasons
    assert isinstance(reasons, tuple)
    assert all(isinstance(r, str) for r in reasons)
    assert not _unread(first)
    assert first.reasons is reasons


def test_lazy_reasons_survive_later_edits_of_the_case():
    """Editing the case after assess changes nothing in the reasons of the earlier result."""
    case = claimtrack.load(SEED)
    expected = assess_reference(case)
    result = case.assess()
    for source in list(case.sources.values()):
        case.replace(attrs.evolve(source, name=f"Renamed {source.name}"))
    claim = next(iter(case.claims))
    case.attribute(claim, next(iter(case.sources)), "denies")
    assert [a.reasons for a in result.values()] == [a.reasons for a in expected.values()]
    assert [a.votes for a in result.values()] == [a.votes for a in expected.values()]


def test_equality_hash_repr_and_pickle_see_the_built_fields():
    """An unread assessment equals, hashes, prints and pickles as one whose reasons were read."""
    case = claimtrack.load(SEED)
    unread = case.assess()
    read = case.assess()
    for a in read.values():
        assert a.reasons
    for a, b in zip(unread.values(), read.values(), strict=True):
        assert repr(a) == repr(b)
        assert hash(a) == hash(b)
        assert a == b
        assert pickle.loads(pickle.dumps(a)) == b  # noqa: S301 - our own bytes
        assert attrs.evolve(a, probability=0.5).reasons == b.reasons


def test_a_tie_between_support_and_denial_is_contested():
    """Equal weights for and against (summed exactly) leave a claim contested, not denied."""
    case = claimtrack.Case("tie")
    for sid in ("a", "b", "c", "d"):
        case.add_source(sid, sid.upper(), "outlet", reliability="B")
    case.add_claim("x", "The bridge was closed.")
    for sid, stance in (("a", "asserts"), ("b", "asserts"), ("c", "denies"), ("d", "denies")):
        case.attribute("x", sid, stance)
    found = assess(case, Settings())["x"]
    assert found.status is claimtrack.Status.CONTESTED
    assert found == assess_reference(case)["x"]


def test_the_best_figure_is_the_first_to_reach_half_the_weight():
    """Two equally likely counts: the weighted median is the lower, as the plain engine says."""
    case = claimtrack.Case("median")
    case.add_source("a", "A", "outlet", reliability="B")
    case.add_source("b", "B", "outlet", reliability="B")
    case.add_question("q", "How many were hurt?", exclusive=False)
    case.add_claim("two", "Two were hurt.", question="q", value=claimtrack.Count.exactly(2))
    case.add_claim("four", "Four were hurt.", question="q", value=claimtrack.Count.exactly(4))
    case.attribute("two", "a")
    case.attribute("four", "b")
    found = assess(case, Settings())
    assert [(f.low, f.best, f.high) for f in found.figures] == [(2.0, 2.0, 4.0)]
    assert found.figures == assess_reference(case).figures


def test_claim_positions_from_the_loader_stay_right_as_the_case_grows():
    """The loader's claim positions serve the arrays; attributions added later are looked up."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import corpus
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    import json

    case = claimtrack.loads(json.dumps(corpus.generate(600)), "json")
    index = case._claim_index
    ids = list(case.claims)
    assert [ids[i] for i in index] == [a.claim for a in case.attributions]
    case.add_claim("late", "A claim added after loading")
    case.attribute("late", next(iter(case.sources)), "asserts")
    case.attribute(ids[0], next(iter(case.sources)), "denies")
    plain = assess_reference(case)
    assert assess(case, Settings()) == plain


def test_questions_a_relation_touches_keep_their_place_among_contradictions():
    """Derived contradictions come question by question, however the numpy path groups them."""
    case = claimtrack.Case("order")
    case.add_source("a", "A", "outlet", reliability="B")
    for q in ("q1", "q2", "q3"):
        case.add_question(q, f"Which answer to {q}?")
        for v in ("x", "y", "z"):
            case.add_claim(f"{q}{v}", f"{q} is {v}.", question=q)
            case.attribute(f"{q}{v}", "a")
    case.add_question("n", "How many?", exclusive=False)
    for low, name in ((1, "one"), (3, "three"), (5, "five")):
        case.add_claim(name, f"{name} of them.", question="n", value=claimtrack.Count.exactly(low))
        case.attribute(name, "a")
    # the middle question is touched by a relation: it goes one pair at a time
    case.relate("refines", "q2x", "q2y")
    case.relate("contradicts", "q1x", "q3z", reason="the analyst says so")
    plain = assess_reference(case)
    fast = assess(case, Settings())
    assert fast.contradictions == plain.contradictions
    assert [c.question for c in fast.contradictions] == [
        None,
        "q1",
        "q1",
        "q1",
        "q2",
        "q2",
        "q3",
        "q3",
        "q3",
        "n",
        "n",
        "n",
    ]
    assert fast == plain
