"""Who stands behind a claim: spokespeople, shared evidence, bounds and diminishing returns,
parties, walk-backs and hedges, each rule of docs/confidence.md pinned on its own."""

from __future__ import annotations

import itertools
import math

import pytest

from hypothesis import given
from hypothesis import strategies as st

import claimtrack

from claimtrack import Settings, WarningKind
from claimtrack.engine._rules import shares
from claimtrack.engine._settings import HEDGE_SHARES
from claimtrack.engine._stakes import Stake
from claimtrack.model import Hedge


GRADES = st.sampled_from(["A", "B", "C", "D", "E", "F", None])


def _source(case: claimtrack.Case, sid: str, grade: str | None, **fields: object) -> None:
    case.add_source(sid, f"Source {sid}", "outlet", reliability=grade, **fields)


def _weight(case: claimtrack.Case, claim: str) -> float:
    return math.fsum(v.weight for v in case.assess()[claim].votes)


# ---- spokespeople ---------------------------------------------------------------------------


def _ministry(
    *, spox_grade: str | None = None, tie: dict[str, str] | None = None
) -> claimtrack.Case:
    case = claimtrack.Case(title="Spokesman")
    case.add_source("moh", "Ministry", "official-body", reliability="C")
    case.add_source(
        "spox",
        "Spokesman",
        "person",
        reliability=spox_grade,
        speaks_for=[claimtrack.Affiliation("moh", **(tie or {}))],
    )
    case.add_claim("toll", "471 killed")
    return case


def test_a_spokesman_and_his_ministry_vote_once():
    case = _ministry()
    case.attribute("toll", "moh", said="2023-10-17")
    case.attribute("toll", "spox", said="2023-10-18")
    (vote,) = case.assess()["toll"].votes
    assert vote.origin == "moh"
    assert vote.speakers == ("spox",)
    assert "Spokesman speaks for Ministry; counted with it." in case.assess()["toll"].reasons


def test_an_ungraded_spokesman_weighs_what_his_ministry_does():
    alone = _ministry()
    alone.attribute("toll", "spox")
    body = _ministry()
    body.attribute("toll", "moh")
    assert _weight(alone, "toll") == _weight(body, "toll")


def test_in_own_name_opts_out():
    case = _ministry()
    case.attribute("toll", "moh")
    case.attribute("toll", "spox", in_own_name=True)
    assert {v.origin for v in case.assess()["toll"].votes} == {"moh", "spox"}


@pytest.mark.parametrize(
    ("said", "folded"), [("2023-10-01", True), ("2022-01-01", False), ("2024-06-01", False)]
)
def test_a_tie_holds_only_while_it_lasts(said, folded):
    case = _ministry(tie={"start": "2023-01-01", "end": "2023-12-31"})
    case.attribute("toll", "spox", said=said)
    (vote,) = case.assess()["toll"].votes
    assert (vote.origin == "moh") is folded


# ---- shared evidence ------------------------------------------------------------------------


def _outlets(n: int, based_on: list[list[str]], grades: list[str | None]) -> claimtrack.Case:
    case = claimtrack.Case(title="Evidence")
    for k in range(n):
        _source(case, f"o{k}", grades[k])
    case.add_evidence("clip", "video", "A video")
    case.add_evidence("photo", "image", "A photo")
    case.add_claim("c", "It misfired")
    for k in range(n):
        case.attribute("c", f"o{k}", based_on=based_on[k])
    return case


@given(
    st.integers(1, 6).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(
                st.lists(st.sampled_from(["clip", "photo"]), max_size=2, unique=True),
                min_size=n,
                max_size=n,
            ),
            st.lists(GRADES, min_size=n, max_size=n),
        )
    )
)
def test_shared_evidence_never_counts_more_than_the_independent_bases(drawn):
    n, based_on, grades = drawn
    case = _outlets(n, based_on, grades)
    votes = case.assess()["c"].votes
    # reports resting on nothing named stand alone; the rest join through common items
    alone = sum(1 for b in based_on if not b)
    groups: list[set[str]] = []
    for b in based_on:
        if b:
            joined = [g for g in groups if g & set(b)]
            merged = set(b).union(*joined)
            groups = [g for g in groups if g not in joined] + [merged]
    assert len(votes) == alone + len(groups)
    plain = claimtrack.Case(title="Plain")
    for k in range(n):
        _source(plain, f"o{k}", grades[k])
    plain.add_claim("c", "It misfired")
    for k in range(n):
        plain.attribute("c", f"o{k}")
    assert len(votes) <= len(plain.assess()["c"].votes)


def test_the_shared_vote_takes_the_best_grade():
    case = _outlets(3, [["clip"]] * 3, ["C", "A", "B"])
    (vote,) = case.assess()["c"].votes
    assert vote.origin == "o1"
    assert vote.evidence == ("clip",)


def test_opposite_stances_on_one_item_stay_apart():
    case = _outlets(1, [["clip"]], ["B"])
    _source(case, "x", "B")
    case.attribute("c", "x", "denies", based_on=["clip"])
    assert len(case.assess()["c"].votes) == 2


# ---- bounds and diminishing returns ---------------------------------------------------------


@given(st.floats(0.0, 0.95), st.integers(1, 40))
def test_shares_start_whole_fall_and_sum_to_the_effective_number(rho, k):
    parts = shares(k, rho)
    assert parts[0] == 1.0
    assert all(b <= a for a, b in itertools.pairwise(parts))
    assert all(p > 0 for p in parts)
    assert math.isclose(math.fsum(parts), k / (1 + (k - 1) * rho))


def _crowd(grades: list[str | None], rival: str | None = "B") -> claimtrack.Case:
    case = claimtrack.Case(title="Crowd")
    case.add_question("q", "Which?")
    case.add_claim("x", "X", question="q")
    case.add_claim("y", "Y", question="q")
    for k, grade in enumerate(grades):
        _source(case, f"s{k}", grade)
        case.attribute("x", f"s{k}")
    if rival is not None:
        _source(case, "r", rival)
        case.attribute("y", "r")
    return case


@given(st.lists(GRADES, min_size=1, max_size=10), GRADES)
def test_more_independent_support_never_lowers_a_probability(grades, extra):
    before = _crowd(grades).assess()
    after = _crowd([*grades, extra]).assess()
    assert after["x"].probability >= before["x"].probability - 1e-12
    assert after["y"].probability <= before["y"].probability + 1e-12


@given(GRADES, st.booleans())
def test_the_tenth_origin_moves_less_than_the_second(grade, lone):
    probs = [
        _crowd([grade] * n, rival=None if lone else "B").assess()["x"].probability
        for n in range(1, 11)
    ]
    assert probs[9] - probs[8] <= probs[1] - probs[0]
    if probs[1] > probs[0]:
        assert probs[9] - probs[8] < probs[1] - probs[0]


@given(st.lists(GRADES, max_size=12), st.lists(GRADES, max_size=12))
def test_no_probability_leaves_the_bounds_and_the_word_matches_the_figure(pro, con):
    case = claimtrack.Case(title="Bounds")
    case.add_claim("c", "C")
    for k, grade in enumerate(pro):
        _source(case, f"p{k}", grade)
        case.attribute("c", f"p{k}")
    for k, grade in enumerate(con):
        _source(case, f"n{k}", grade)
        case.attribute("c", f"n{k}", "denies")
    judged = case.assess()["c"]
    assert 0.01 <= judged.probability <= 0.99
    assert judged.reasons[0] == f"Estimated {judged.estimate.value} ({judged.probability:.0%})."
    assert judged.estimate is claimtrack.Estimate.of(judged.probability)


@pytest.mark.parametrize(("p", "word"), [(0.9449, "very likely"), (0.9451, "almost certain")])
def test_the_word_follows_the_printed_percent(p, word):
    assert claimtrack.Estimate.of(p).value == word


# ---- parties --------------------------------------------------------------------------------


def _parties() -> claimtrack.Case:
    case = claimtrack.Case(title="Parties")
    for sid in ("pa", "pb", "n", "w"):
        case.add_source(sid, f"Source {sid}", "outlet", reliability="C")
    case.add_question("who", "Who did it?", parties=["pa", "pb"])
    case.add_claim("a-did", "A did it", question="who", blames=["pa"])
    case.add_claim("b-did", "B did it", question="who", blames=["pb"])
    return case


@pytest.mark.parametrize(
    ("speaker", "claim", "stance", "stake", "factor"),
    [
        ("n", "a-did", "asserts", Stake.NONE, 1.0),
        ("pb", "a-did", "asserts", Stake.ACCUSES, 0.5),
        ("pa", "a-did", "asserts", Stake.ADMITS, 1.5),
        ("pa", "a-did", "denies", Stake.DENIES_BLAME, 0.5),
        ("pa", "a-did", "doubts", Stake.DENIES_BLAME, 0.5),
        ("pb", "a-did", "denies", Stake.NONE, 1.0),
    ],
)
def test_a_party_s_stake_sets_its_factor(speaker, claim, stance, stake, factor):
    case = _parties()
    case.attribute(claim, speaker, stance)
    neutral = _parties()
    neutral.attribute(claim, "n", stance)
    (vote,) = case.assess()[claim].votes
    (plain,) = neutral.assess()[claim].votes
    assert vote.stake is stake
    assert math.isclose(vote.weight, plain.weight * factor)
    warned = [w for w in case.assess().warnings if w.attributions == (0,)]
    if stake is Stake.NONE:
        assert not warned
    else:
        (warning,) = warned
        assert ("own actions" in warning.message) is (stake is Stake.OWN_ACTIONS)
        expected = WarningKind.AGAINST_INTEREST if factor > 1 else WarningKind.INTERESTED_PARTY
        assert warning.kind is expected


def test_against_interest_counts_more_and_overrides_own_actions():
    case = _parties()
    case.add_claim("c", "C did it", about=["n"])
    case.attribute("c", "n", against_interest=True)
    plain = _parties()
    plain.add_claim("c", "C did it")
    plain.attribute("c", "n")
    assert math.isclose(_weight(case, "c"), 1.5 * _weight(plain, "c"))


# ---- walk-backs -----------------------------------------------------------------------------


def _walk() -> claimtrack.Case:
    case = claimtrack.Case(title="Walk-back")
    case.add_source("tv", "Broadcaster", "outlet", reliability="B")
    case.add_source("corr", "Correspondent", "person", member_of=["tv"])
    case.add_source("x", "Other", "outlet", reliability="C")
    case.add_claim("strike", "An air strike")
    case.attribute("strike", "corr", id="on-air", said="2023-10-17")
    return case


def test_a_withdrawal_cancels_the_named_attribution_whoever_said_it():
    case = _walk()
    case.attribute("strike", "tv", "asserts", said="2023-10-18")
    case.attribute("strike", "tv", "retracts", withdraws="on-air", said="2023-10-20")
    judged = case.assess()["strike"]
    assert [v.origin for v in judged.votes] == ["tv"]  # the outlet's own word still stands
    assert (
        "Broadcaster withdrew what Correspondent said (attribution 'on-air'); "
        "that no longer counts." in judged.reasons
    )
    assert not any("retracted what it said" in r for r in judged.reasons)


def test_a_retraction_of_nothing_is_warned_of():
    case = _walk()
    case.attribute("strike", "x", "retracts")
    result = case.assess()
    (warning,) = [w for w in result.warnings if w.kind is WarningKind.RETRACTION]
    assert warning.attributions == (1,)
    assert "withdraws nothing" in warning.message
    assert [v.origin for v in result["strike"].votes] == ["corr"]


def test_a_plain_retraction_keeps_its_meaning():
    case = _walk()
    case.attribute("strike", "corr", "retracts", said="2023-10-19")
    result = case.assess()
    assert result["strike"].votes == ()
    assert (
        "Correspondent retracted what it said; that no longer counts." in result["strike"].reasons
    )
    assert not [w for w in result.warnings if w.kind is WarningKind.RETRACTION]


# ---- hedges ---------------------------------------------------------------------------------


@pytest.mark.parametrize("hedge", [h for h in Hedge if HEDGE_SHARES[h] > 0])
def test_a_hedge_carries_its_share(hedge):
    hedged = claimtrack.Case(title="Hedged")
    hedged.add_source("s", "S", "outlet", reliability="B")
    hedged.add_claim("c", "C")
    hedged.attribute("c", "s", hedge=hedge.value)
    plain = claimtrack.Case(title="Flat")
    plain.add_source("s", "S", "outlet", reliability="B")
    plain.add_claim("c", "C")
    plain.attribute("c", "s")
    assert math.isclose(_weight(hedged, "c"), HEDGE_SHARES[hedge] * _weight(plain, "c"))
    assert _weight(hedged, "c") < _weight(plain, "c")
    (vote,) = hedged.assess()["c"].votes
    assert vote.hedge is hedge


def test_hedge_shares_follow_their_bands():
    words = [Hedge.ALMOST_CERTAIN, Hedge.VERY_LIKELY, Hedge.LIKELY, Hedge.ROUGHLY_EVEN_CHANCE]
    assert [HEDGE_SHARES[w] for w in words] == sorted(
        (HEDGE_SHARES[w] for w in words), reverse=True
    )
    assert HEDGE_SHARES[Hedge.HIGH_CONFIDENCE] > HEDGE_SHARES[Hedge.MODERATE_CONFIDENCE]
    assert HEDGE_SHARES[Hedge.MODERATE_CONFIDENCE] > HEDGE_SHARES[Hedge.LOW_CONFIDENCE]


def test_settings_refuse_meaningless_knobs():
    with pytest.raises(ValueError, match="correlation"):
        Settings(correlation=1.0)
    with pytest.raises(ValueError, match="against_interest"):
        Settings(against_interest=0.5)
