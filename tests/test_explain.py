"""Votes and reasons: built many claims at once or one at a time, they are the same."""

import json
import random
import sys

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from claimtrack import Settings
from claimtrack.engine._assessment import explained
from claimtrack.engine._explain import ArrayExplanation
from claimtrack.export import assessments_json, assessments_to_data


sys.path.insert(0, str(Path(__file__).parent))  # tests/ is not a package; strategies.py sits here
from strategies import cases, recipes


_FAST = settings(max_examples=60, deadline=None)
_MODES = st.sampled_from([Settings(), Settings(learn=True), Settings(correlation=0)])


def _one_at_a_time(case, mode, order):
    """Each claim's votes and reasons, each claim read alone, in *order*."""
    assessments = case.assess(mode).assessments
    found = {}
    for k in order(len(assessments)):
        a = assessments[k]
        found[a.claim] = (a.votes, a.reasons)
    return [found[a.claim] for a in assessments]


def _same_read_either_way(case, mode, seed):
    """Every way of reading a run's votes and reasons gives the same ones."""
    shuffled = random.Random(seed).sample  # noqa: S311 - an order of reading, not a secret
    alone = _one_at_a_time(case, mode, lambda n: shuffled(range(n), n))
    in_order = _one_at_a_time(case, mode, range)
    backwards = _one_at_a_time(case, mode, lambda n: range(n - 1, -1, -1))
    assessments = case.assess(mode).assessments
    bulk = assessments[0].explanation.explain_many(assessments) if assessments else []
    batched = [(v, r) for _, v, r in explained(case.assess(mode).assessments, batch=3)]
    assert bulk == alone == in_order == backwards == batched
    votes_only = [v for _, v, _ in explained(case.assess(mode).assessments, reasons=False)]
    assert votes_only == [v for v, _ in alone]


def _votes_follow_the_rule(case, mode):
    """Each vote built with its claim's is the vote :meth:`ArrayExplanation.vote` builds alone.

    Votes of one attribution are read straight from the columns when many are built;
    ``vote`` states the rule for any number of attributions.
    """
    result = case.assess(mode)
    if not result.assessments:
        return
    explanation = result.assessments[0].explanation
    assert isinstance(explanation, ArrayExplanation)
    for a in result.assessments:
        rows = explanation.rows(explanation.read.where[a.claim])
        assert a.votes == tuple(explanation.vote(r) for r in rows)


class TestBulkIsSingle:
    @_FAST
    @given(recipe=recipes(), mode=_MODES, seed=st.integers(0, 1000))
    def test_recipes(self, recipe, mode, seed):
        """On assessable worlds, bulk and single claims give the same votes and reasons."""
        case = recipe.build()
        _same_read_either_way(case, mode, seed)
        _votes_follow_the_rule(case, mode)

    @_FAST
    @given(case=cases(), mode=_MODES, seed=st.integers(0, 1000))
    def test_cases_with_who_stands_behind(self, case, mode, seed):
        """With spokespeople, evidence, stakes, hedges and withdrawals, the same again."""
        _same_read_either_way(case, mode, seed)
        _votes_follow_the_rule(case, mode)

    @settings(max_examples=20, deadline=None)
    @given(case=cases(), mode=_MODES)
    def test_json_writes_the_kept_votes_and_reasons(self, case, mode):
        """The JSON writer, which explains claims in batches, writes what the claims keep."""
        result = case.assess(mode)
        written = json.loads("".join(assessments_json(case.assess(mode), indent=None)))
        assert written["assessments"] == assessments_to_data(result)["assessments"]
