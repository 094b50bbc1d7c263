"""The order of a question's answers: most probable first, vague counts after precise ones they hold."""

from __future__ import annotations

import sys

from pathlib import Path

from hypothesis import given, settings

import claimtrack

from claimtrack import Count
from claimtrack.engine import ranked
from claimtrack.model import Stance
from claimtrack.report import Report


sys.path.insert(0, str(Path(__file__).parent))  # tests/ is not a package; strategies.py sits here
from strategies import recipes


def _toll(unattributed_open: bool = False, strong_open: bool = False) -> claimtrack.Case:
    case = claimtrack.Case(title="A toll")
    for sid, grade in (("c1", "C"), ("c2", "C"), ("b", "B"), ("a", "A"), ("a2", "A")):
        case.add_source(sid, sid.upper(), "outlet", reliability=grade)
    case.add_question("killed", "How many were killed?")
    case.add_claim("atl100", "at least 100", question="killed", value=Count.at_least(100))
    case.add_claim("t471", "471 killed", question="killed", value=Count.exactly(471))
    case.add_claim("t200", "100 to 300", question="killed", value=Count.between(100, 300))
    case.attribute("t471", "c1")
    case.attribute("t471", "c2")
    case.attribute("t200", "b")
    if not unattributed_open:
        case.attribute("atl100", "a" if strong_open else "c1")
    if strong_open:
        case.attribute("atl100", "a2")
    return case


def _order(case: claimtrack.Case) -> list[str]:
    return [c.id for c in ranked(case.claims_of("killed"), case.assess())]


def test_an_open_ended_count_ranks_below_the_precise_answers_it_holds():
    """'At least 100', backed no better than 471 and 100-300, comes after both, though likelier."""
    case = _toll()
    result = case.assess()
    assert result["atl100"].probability > result["t471"].probability
    assert _order(case) == ["t471", "t200", "atl100"]
    assert _order(_toll(unattributed_open=True)) == ["t471", "t200", "atl100"]


def test_an_open_ended_count_with_stronger_support_leads():
    """Backed by two A-graded origins, 'at least 100' keeps its place by probability."""
    assert _order(_toll(strong_open=True))[0] == "atl100"


def test_the_report_and_sensitivity_lead_with_the_same_answer():
    """The report's first answer and the sensitivity's leader are the ranked first."""
    case = _toll()
    leaders = {q.question: q.leader for q in claimtrack.sensitivity(case)}
    assert leaders["killed"] == "t471"
    markdown = Report(case).to_markdown()
    assert markdown.index("471 killed") < markdown.index("at least 100")


def _vague(claim: claimtrack.Claim) -> bool:
    return claim.value is not None and (claim.value.low is None or claim.value.high is None)


@settings(max_examples=80, deadline=None)
@given(recipe=recipes())
def test_the_order_is_by_probability_but_for_vague_counts(recipe):
    """Answers go most probable first; an open-ended count only ever moves down, below a precise answer it holds."""
    case = recipe.build()
    result = case.assess()
    for qid in case.questions:
        answers = case.claims_of(qid)
        order = ranked(answers, result)
        assert sorted(c.id for c in order) == sorted(c.id for c in answers)
        firm = [result[c.id].probability for c in order if not _vague(c)]
        assert firm == sorted(firm, reverse=True)
        for at, claim in enumerate(order):
            if not _vague(claim):
                continue
            # above it: only likelier answers, or precise ones it holds and those between
            above = [
                c for c in order[:at] if result[c.id].probability < result[claim.id].probability
            ]
            if above:
                holds = [
                    c
                    for c in above
                    if not _vague(c)
                    and claim.value.low is not None
                    and c.value is not None
                    and c.value.low is not None
                    and c.value.low >= claim.value.low
                ] or [
                    c
                    for c in above
                    if not _vague(c)
                    and claim.value.high is not None
                    and c.value is not None
                    and c.value.high is not None
                    and c.value.high <= claim.value.high
                ]
                assert holds, (claim.id, [c.id for c in above])


def test_a_denial_is_not_support():
    """Denials of the precise answer do not count as its support: backed less, it gives way."""
    case = _toll()
    case.add_source("d", "D", "outlet", reliability="A")
    case.attribute("t471", "d", Stance.DENIES)
    case.attribute("t200", "d", Stance.DENIES)
    result = case.assess()
    order = _order(case)
    if result["atl100"].probability >= max(result["t471"].probability, result["t200"].probability):
        assert order.index("t471") < order.index("atl100")
