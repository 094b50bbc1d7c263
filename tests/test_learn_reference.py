"""The learned engine's rounds: the same accuracies, weights and probabilities as the reference."""

import datetime as dt
import functools
import itertools
import math
import sys

from pathlib import Path

import pytest

from hypothesis import assume, given, reject, settings
from hypothesis import strategies as st

from claimtrack import (
    Case,
    Credibility,
    Mode,
    Period,
    Reliability,
    Settings,
    find_copying,
    learn_reliability,
)
from claimtrack.engine.learned._engine import LearnedEngine


sys.path.insert(0, str(Path(__file__).parent))  # tests/ is not a package; strategies.py sits here
from reference.learned import (
    OutOfScopeError,
    copy_tests_apply,
    copy_tests_reference,
    judge_reference,
    learn_reference,
    learned_votes,
)
from strategies import cases, recipes


REL = 1e-9
ABS = 1e-12
NEAR_STOP = 1e-10
"""A case whose largest move comes this near the stopping tolerance is skipped: there the
last bits of a sum decide how many rounds run, and the engines may rightly differ."""
ROUNDING = 1e-10
"""A case whose count of both-wrong pairs may be off by this share is skipped: its questions
are so nearly settled that rounding decides the learned n (see the reference's
``_coincidence``)."""


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=REL, abs_tol=ABS)


def _learned(case: Case, knobs: Settings):
    """The production fit, as dicts keyed by ids like the reference's."""
    fit = LearnedEngine(case, knobs).learn().fit
    rows = fit.rows
    claims, origins = rows.claim_ids, rows.origin_ids
    return fit, {
        "accuracy": dict(zip(origins, fit.accuracy.tolist(), strict=True)),
        "weight": {
            (claims[c], origins[o]): w
            for c, o, w in zip(
                rows.claim.tolist(), rows.origin.tolist(), fit.weights.tolist(), strict=True
            )
        },
        "probability": dict(zip(claims, fit.probability.tolist(), strict=True)),
        "coincidence": fit.coincidence,
    }


def _reference(case: Case, knobs: Settings):
    """The reference's result, or a skipped example where it does not apply or cannot decide."""
    try:
        expected = learn_reference(case, knobs)
    except OutOfScopeError:
        reject()
    assume(expected["stop_margin"] > NEAR_STOP)
    assume(expected["coincidence_rounding"] < ROUNDING)
    return expected


def _same(case: Case, knobs: Settings) -> None:
    _agree(_learned(case, knobs)[1], _reference(case, knobs))


def _agree(found, expected) -> None:
    for part in ("accuracy", "weight", "probability"):
        assert found[part].keys() == expected[part].keys(), part
        wrong = {
            k: (found[part][k], v)
            for k, v in expected[part].items()
            if not _close(found[part][k], v)
        }
        assert not wrong, f"{part} differs (learned, reference): {wrong}"
    assert _close(found["coincidence"], expected["coincidence"])


@st.composite
def crowds(draw):
    """Up to twelve sources answering one or two exclusive questions, mostly asserting.

    Two questions are too few for any pair to share the three that copy tests need, so
    the reference never refuses a crowd; many assertions per question give coincidences
    to learn Accu's n from.
    """
    case = Case(title="A crowd")
    sources = [f"s{k}" for k in range(draw(st.integers(2, 12)))]
    for sid in sources:
        case.add_source(sid, sid.upper(), "outlet", reliability=draw(_GRADES))
    for q in range(draw(st.integers(1, 2))):
        case.add_question(f"q{q}", f"Question {q}?")
        answers = [f"q{q}-{a}" for a in range(draw(st.integers(1, 5)))]
        for cid in answers:
            case.add_claim(cid, cid, question=f"q{q}")
        # the first answer is the favourite, by a drawn margin: some questions all but settle
        picks = st.sampled_from(answers + answers[:1] * draw(st.integers(0, 8)))
        for sid in sources:
            for _ in range(draw(st.integers(0, 2))):
                case.attribute(
                    draw(picks),
                    sid,
                    draw(_CROWD_STANCES),
                    mode=draw(st.sampled_from(list(Mode))),
                    credibility=draw(st.none() | st.sampled_from(list(Credibility))),
                )
    return case


@st.composite
def panels(draw):
    """Two to five sources, each asserting an answer to most of two to six questions.

    Pairs share from none to six questions, some of them an answer: copy tests apply to
    some panels and not to others.
    """
    case = Case(title="A panel")
    sources = [f"s{k}" for k in range(draw(st.integers(2, 5)))]
    for sid in sources:
        case.add_source(sid, sid.upper(), "outlet")
    for q in range(draw(st.integers(2, 6))):
        case.add_question(f"q{q}", f"Question {q}?")
        answers = [f"q{q}-{a}" for a in range(draw(st.integers(1, 3)))]
        for cid in answers:
            case.add_claim(cid, cid, question=f"q{q}")
        for sid in sources:
            if draw(st.integers(0, 7)):
                case.attribute(draw(st.sampled_from(answers)), sid, draw(_PANEL_STANCES))
    return case


_PANEL_STANCES = st.sampled_from(["asserts"] * 10 + ["denies", "doubts"])
_GRADES = st.sampled_from([*Reliability, None])
_CROWD_STANCES = st.sampled_from(["asserts"] * 5 + ["denies", "doubts", "retracts"])
_KNOBS = st.builds(
    functools.partial(Settings, learn=True),
    merge_echoes=st.booleans(),
    rounds=st.integers(0, 4) | st.just(30),
    grade_weight=st.sampled_from([0.01, 0.5, 5.0, 20.0, 60.0]),
    ungraded_accuracy=st.sampled_from([0.02, 0.3, 0.8, 0.99]),
    doubt=st.sampled_from([0.0, 0.25, 1.0]),
    pair_cap=st.sampled_from([2, 3, 100]),
)


@settings(max_examples=120, deadline=None)
@given(recipe=recipes(max_said=14), merge=st.booleans())
def test_learned_rounds_equal_the_reference_on_assessable_cases(recipe, merge):
    """On cases of rival answers, every accuracy, weight and probability is the reference's."""
    _same(recipe.build(), Settings(learn=True, merge_echoes=merge))


@settings(max_examples=80, deadline=None)
@given(case=cases(max_attributions=10, max_relations=4), merge=st.booleans())
def test_learned_rounds_equal_the_reference_on_any_valid_case(case, merge):
    """On cases with every kind of record, chain and relation, the rounds give the reference's."""
    _same(case, Settings(learn=True, merge_echoes=merge))


@settings(max_examples=80, deadline=None)
@given(case=crowds(), merge=st.booleans())
def test_learned_rounds_equal_the_reference_on_crowds(case, merge):
    """With many assertions per question, the learned n and all that follows are the reference's."""
    _same(case, Settings(learn=True, merge_echoes=merge))


_SOME_CASES = recipes(max_said=14).map(lambda r: r.build()) | crowds()


@settings(max_examples=100, deadline=None)
@given(case=_SOME_CASES, knobs=_KNOBS)
def test_learned_rounds_equal_the_reference_whatever_the_knobs(case, knobs):
    """With other priors, doubt shares, round limits and pair caps, the rounds still agree."""
    _same(case, knobs)


@settings(max_examples=80, deadline=None)
@given(case=panels(), knobs=_KNOBS)
def test_copy_detection_applies_exactly_when_the_reference_says(case, knobs):
    """The learned engine judges some pair for copying exactly when the reference refuses the case."""
    fit, _ = _learned(case, knobs)
    refused = copy_tests_apply(case, learned_votes(case, knobs), knobs) is not None
    assert refused == (len(fit.pairs.judged) > 0)


@settings(max_examples=80, deadline=None)
@given(recipe=recipes(max_said=14), merge=st.booleans())
def test_learned_judgement_is_the_plain_judging_of_learned_weights(recipe, merge):
    """The learned assessment's probabilities are the plain competition of the reference's weights."""
    case = recipe.build()
    knobs = Settings(learn=True, merge_echoes=merge)
    expected = judge_reference(case, knobs, _reference(case, knobs)["weight"])
    found = {a.claim: a.probability for a in case.assess(knobs).assessments}
    wrong = {c: (found[c], p) for c, p in expected.items() if not _close(found[c], p)}
    assert not wrong, f"probability differs (learned, reference): {wrong}"


def _copiers() -> Case:
    """Two outlets giving the same answers to four questions, and a third on its own."""
    case = Case(title="copiers")
    for sid in ("a", "b", "c"):
        case.add_source(sid, sid.upper(), "outlet")
    for q in range(4):
        case.add_question(f"q{q}", f"Question {q}?")
        case.add_claim(f"q{q}-x", "x", question=f"q{q}")
        case.add_claim(f"q{q}-y", "y", question=f"q{q}")
        case.attribute(f"q{q}-x", "a")
        case.attribute(f"q{q}-x", "b")
        case.attribute(f"q{q}-y", "c")
    return case


def test_the_reference_refuses_cases_with_copy_detection():
    """A pair sharing answers on three or more questions is out of the reference's scope."""
    case = _copiers()
    with pytest.raises(OutOfScopeError, match="'a' and 'b'"):
        learn_reference(case, Settings(learn=True))
    fit, _ = _learned(case, Settings(learn=True))
    assert len(fit.pairs.judged) == 1


def test_agreeing_only_where_crowded_brings_no_copy_test():
    """Two origins that agree only on a question too crowded for pairs are not tested."""
    case = Case(title="crowded")
    for sid in ("a", "b", "c", "d"):
        case.add_source(sid, sid.upper(), "outlet")
    for q in range(4):
        case.add_question(f"q{q}", f"Question {q}?")
        for value in ("x", "y"):
            case.add_claim(f"q{q}-{value}", value, question=f"q{q}")
    for sid in ("a", "b", "c"):
        case.attribute("q0-x", sid)
    case.attribute("q0-y", "d")
    for q in (1, 2, 3):
        case.attribute(f"q{q}-x", "a")
        case.attribute(f"q{q}-y", "b")
    for cap, tested in ((3, False), (4, True)):
        knobs = Settings(learn=True, pair_cap=cap)
        fit, _ = _learned(case, knobs)
        assert (len(fit.pairs.judged) > 0) is tested
        assert (copy_tests_apply(case, learned_votes(case, knobs), knobs) is not None) is tested
    _agree(
        _learned(case, Settings(learn=True, pair_cap=3))[1],
        learn_reference(case, Settings(learn=True, pair_cap=3)),
    )


def _agreeing(*, contested: bool, exclusive: bool = True) -> Case:
    """Two origins asserting the same answer to four questions; a third gives rivals, or not."""
    case = Case(title="agreeing")
    for sid in ("a", "b", "c"):
        case.add_source(sid, sid.upper(), "outlet")
    for q in range(4):
        case.add_question(f"q{q}", f"Question {q}?", exclusive=exclusive)
        case.add_claim(f"q{q}-x", "x", question=f"q{q}")
        case.add_claim(f"q{q}-y", "y", question=f"q{q}")
        case.attribute(f"q{q}-x", "a")
        case.attribute(f"q{q}-x", "b")
        case.attribute(f"q{q}-y" if contested else f"q{q}-x", "c")
    return case


@pytest.mark.parametrize(
    ("contested", "exclusive", "tested"),
    [(True, True, True), (False, True, False), (True, False, False)],
)
def test_only_contested_answers_are_evidence_of_copying(contested, exclusive, tested):
    """Agreeing on an answer nobody disputes, or on claims that compete with nothing, is no
    evidence of copying: only answers of exclusive questions with a rival answer count."""
    case = _agreeing(contested=contested, exclusive=exclusive)
    knobs = Settings(learn=True)
    fit, _ = _learned(case, knobs)
    assert (len(fit.pairs.judged) > 0) is tested
    assert (copy_tests_apply(case, learned_votes(case, knobs), knobs) is not None) is tested
    if not tested:
        _agree(_learned(case, knobs)[1], learn_reference(case, knobs))


def test_no_rounds_means_grades_only():
    """rounds=0 re-estimates nothing: accuracies stay the priors, and it differs from rounds=1."""
    case = _settled(None, 5, 2)
    case.add_source("g", "G", "outlet", reliability="C")
    case.attribute("y", "g")
    none = learn_reference(case, Settings(learn=True, rounds=0))
    one = learn_reference(case, Settings(learn=True, rounds=1))
    assert none["rounds"] == 1
    assert none["accuracy"] == {
        **dict.fromkeys([f"s{k:02}" for k in range(7)], 0.8),
        "g": Settings().accuracy.C,
    }
    assert none["probability"] != one["probability"]
    for rounds in (0, 1):
        knobs = Settings(learn=True, rounds=rounds)
        _agree(_learned(case, knobs)[1], learn_reference(case, knobs))
    grades = learn_reliability(case, Settings(rounds=0))
    assert {g.letter for g in grades.values()} == {Reliability.F}
    assert grades["g"].accuracy == Settings().accuracy.C
    assert not find_copying(_agreeing(contested=True), Settings(rounds=0))


_DAYS = st.none() | st.integers(0, 6).map(lambda d: dt.date(2024, 1, 1) + dt.timedelta(days=d))
_MOMENTS = (
    _DAYS
    | st.builds(
        lambda d, h, z: dt.datetime(2024, 1, 1 + d, h, tzinfo=z),
        st.integers(0, 6),
        st.integers(0, 23),
        st.sampled_from([None, dt.UTC, dt.timezone(dt.timedelta(hours=5))]),
    )
    | st.sampled_from([Period(2023, 12), Period(2024, 1), Period(2024)])
)


@st.composite
def dated_panels(draw):
    """Three to six sources asserting answers to three to ten questions, on dates or not.

    Moments are drawn from a week: plain days, times with and without a zone, the month
    before, the month and the year (which span the week's days), none; so the same day,
    the same instant, overlapping periods and unknown moments all come up. In some panels the
    last sources repeat the first one's answers, at their own moments, so that pairs
    share enough to be tested and some copy.
    """
    case = Case(title="A dated panel")
    sources = [f"s{k}" for k in range(draw(st.integers(3, 6)))]
    for sid in sources:
        case.add_source(sid, sid.upper(), "outlet", reliability=draw(_GRADES))
    by_document = draw(st.booleans())
    copiers = draw(st.integers(0, len(sources) - 2))

    def say(cid: str, sid: str) -> None:
        when = draw(_MOMENTS)
        if by_document:
            doc = f"{sid}-{len(case.attributions)}"
            case.add_document(doc, sid, "listing", published=when)
            case.attribute(cid, sid, draw(_PANEL_STANCES), document=doc)
        else:
            case.attribute(cid, sid, draw(_PANEL_STANCES), said=when)

    for q in range(draw(st.integers(3, 10))):
        case.add_question(f"q{q}", f"Question {q}?")
        answers = [f"q{q}-{a}" for a in range(draw(st.sampled_from([1, 2, 2, 2, 3])))]
        for cid in answers:
            case.add_claim(cid, cid, question=f"q{q}")
        for k, sid in enumerate(sources):
            if k and k >= len(sources) - copiers:
                said = [
                    a.claim for a in case.attributions if a.source == "s0" and a.claim in answers
                ]
                for cid in said:
                    say(cid, sid)
                continue
            for _ in range(draw(st.sampled_from([0, 1, 1, 1, 2]))):
                say(draw(st.sampled_from(answers)), sid)
    return case


@settings(max_examples=150, deadline=None)
@given(case=dated_panels(), knobs=_KNOBS)
def test_copy_tests_equal_the_reference_with_time(case, knobs):
    """Every pair's evidence per direction, probability of copying, copier and discount are
    the reference's, given the accuracies and probabilities the rounds ended with."""
    from claimtrack.engine.learned._fit import _Tests

    fit, found = _learned(case, knobs)
    expected = copy_tests_reference(case, knobs, found["accuracy"], found["probability"])
    pairs, ids = fit.pairs, fit.rows.origin_ids
    chance, discount, copier_left = _Tests(pairs, knobs).run(fit.probability, fit.accuracy)
    judged = {(ids[pairs.left[k]], ids[pairs.right[k]]): k for k in pairs.judged.tolist()}
    assert judged.keys() == expected.keys()
    for (a, b), k in judged.items():
        want = expected[a, b]
        if pairs.shared_to is not None:
            assert want["evidence"][a, b] == (pairs.shared_to[0][k], pairs.same_to[0][k])
            assert want["evidence"][b, a] == (pairs.shared_to[1][k], pairs.same_to[1][k])
        else:
            assert want["evidence"][a, b] == want["evidence"][b, a]
            assert want["evidence"][a, b] == (pairs.shared[k], pairs.same[k])
        assert _close(chance[k], want["chance"]), (a, b)
        assert _close(discount[k], want["discount"]), (a, b)
        forward, backward = want["odds"][a, b], want["odds"][b, a]
        if want["chance"] > 0.0 and (forward == backward or not _close(forward, backward)):
            # (where the two directions' evidence differs in the last bits, the order of
            # summing may rightly decide)
            assert (a if copier_left[k] else b) == want["copier"], (a, b)


def test_a_small_world_is_learned_as_the_reference_learns_it():
    """Rival answers, a denial and a graded source: the rounds agree and the accuracies move."""
    case = Case(title="small")
    for sid, grade in (("a", None), ("b", None), ("c", "B"), ("d", None)):
        case.add_source(sid, sid.upper(), "outlet", reliability=grade)
    said = {"q0": ("a", "b", "c"), "q1": ("a", "c", "d"), "q2": ("b", "d", "c")}
    for q, (first, second, odd) in said.items():
        case.add_question(q, f"Question {q}?")
        case.add_claim(f"{q}-x", "x", question=q)
        case.add_claim(f"{q}-y", "y", question=q)
        case.attribute(f"{q}-x", first)
        case.attribute(f"{q}-y", second)
        case.attribute(f"{q}-y", odd, "denies")
    knobs = Settings(learn=True)
    expected = learn_reference(case, knobs)
    assert expected["rounds"] > 2
    assert expected["accuracy"]["c"] != knobs.accuracy.of(case.sources["c"].reliability)
    _agree(_learned(case, knobs)[1], expected)


def _settled(grade: str | None, many: int, other: int) -> Case:
    """One question: *many* sources graded *grade* assert one answer, *other* the rival one."""
    case = Case(title="settled")
    for k in range(many + other):
        case.add_source(f"s{k:02}", f"S{k}", "outlet", reliability=grade)
    case.add_question("q", "Which?")
    case.add_claim("x", "x", question="q")
    case.add_claim("y", "y", question="q")
    for k in range(many + other):
        case.attribute("x" if k < many else "y", f"s{k:02}")
    return case


def test_all_but_settled_questions_agree_unless_rounding_decides():
    """On a question all but settled, the rounds agree wherever rounding cannot decide the learned n."""
    knobs = Settings(learn=True)
    compared = 0
    for grade, many, other in itertools.product(("A", None), range(2, 13), range(3)):
        case = _settled(grade, many, other)
        expected = learn_reference(case, knobs)
        if expected["coincidence_rounding"] < ROUNDING:
            _agree(_learned(case, knobs)[1], expected)
            compared += 1
    assert 36 <= compared < 66  # enough of them compared; where y is unasserted, it stands aside


def test_an_origin_with_no_evidence_keeps_its_prior():
    """With grades worth nothing, a graded origin that only doubts keeps its prior accuracy."""
    case = Case(title="no evidence")
    case.add_source("a", "A", "outlet", reliability="B")
    case.add_source("b", "B", "outlet")
    case.add_question("q", "Which?")
    case.add_claim("x", "x", question="q")
    case.add_claim("y", "y", question="q")
    case.attribute("x", "a", "doubts")
    case.attribute("x", "b")
    knobs = Settings(learn=True, grade_weight=0.0)
    expected = learn_reference(case, knobs)
    assert expected["accuracy"]["a"] == knobs.accuracy.B
    _agree(_learned(case, knobs)[1], expected)
