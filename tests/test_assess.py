"""The confidence engine: origins vote once, answers compete, and every judgement is explained."""

import itertools
import math
import random
import re
import sys

from pathlib import Path

import attrs
import pytest

from hypothesis import assume, given, settings
from hypothesis import strategies as st

import claimtrack

from claimtrack import (
    Accuracy,
    Confidence,
    ContradictionKind,
    Count,
    Credibility,
    Estimate,
    Mode,
    RelationKind,
    Reliability,
    Settings,
    Stance,
    Status,
    WarningKind,
)
from claimtrack.engine._scales import FLOOR


sys.path.insert(0, str(Path(__file__).parent))  # tests/ is not a package; strategies.py sits here
from reference import assess_reference, find_contradictions
from strategies import Recipe, Said, recipes


SEED = Path(__file__).parent.parent / "examples" / "iraq-2024" / "case.yaml"
TOLERANCE = 1e-12
GRADES = [*Reliability, None]


def probabilities(case, settings_=None):
    return {cid: a.probability for cid, a in case.assess(settings_).items()}


def world(*said, grades=None, questions=(("q", True),), claims=None, relations=()):
    """A small recipe: speakers s0..s5 graded by *grades*, outlets o0..o2, answers a, b, c."""
    grades = grades or {}
    sources = tuple((f"s{i}", grades.get(f"s{i}")) for i in range(6))
    outlets = ("o0", "o1", "o2")
    return Recipe(
        questions=questions,
        claims=(("a", "q", None), ("b", "q", None), ("c", None, None))
        if claims is None
        else claims,
        sources=(*sources, *((o, grades.get(o)) for o in outlets)),
        outlets=outlets,
        said=tuple(attr_with_minute(s, i) for i, s in enumerate(said)),
        relations=relations,
    )


def attr_with_minute(s, minute):
    return Said(**{**_fields(s), "said": minute})


def _fields(s):
    return {
        name: getattr(s, name)
        for name in ("claim", "source", "stance", "outlet", "via", "mode", "credibility", "quote")
    }


# ---- properties ---------------------------------------------------------------------------

_FAST = settings(max_examples=60, deadline=None)


class TestProperties:
    @_FAST
    @given(recipe=recipes(), data=st.data())
    def test_repeating_an_origin_changes_no_probability(self, recipe, data):
        """Repeating one origin's attribution through another outlet leaves every probability as it was."""
        assume(recipe.said)
        original = data.draw(st.sampled_from(recipe.said))
        repeated = recipe.with_outlet("o-extra").with_said(
            Said(
                **{**_fields(original), "outlet": "o-extra", "via": ("o-extra",)},
                said=original.said,
            )
        )
        for merge in (False, True):
            before = probabilities(recipe.build(), Settings(merge_echoes=merge))
            after = probabilities(repeated.build(), Settings(merge_echoes=merge))
            assert after == pytest.approx(before, abs=TOLERANCE)

    @_FAST
    @given(
        recipe=recipes(),
        data=st.data(),
        grade=st.sampled_from(GRADES),
        mode=st.sampled_from(list(Mode)),
        credibility=st.none() | st.sampled_from(list(Credibility)),
    )
    def test_an_independent_supporter_never_lowers_a_probability(
        self, recipe, data, grade, mode, credibility
    ):
        """A new origin asserting a claim never lowers that claim's probability."""
        claim = data.draw(st.sampled_from([c for c, _, _ in recipe.claims]))
        added = attrs_evolve_sources(recipe, "s-new", grade).with_said(
            Said(claim, "s-new", Stance.ASSERTS, mode=mode, credibility=credibility, said=10_000)
        )
        before = probabilities(recipe.build())[claim]
        after = probabilities(added.build())[claim]
        assert after >= before - TOLERANCE

    @_FAST
    @given(
        recipe=recipes(),
        data=st.data(),
        form=st.sampled_from([None, "exactly", "at_least", "at_most", "between"]),
        bounds=st.lists(st.integers(0, 8), min_size=2, max_size=2).map(sorted),
        learn=st.booleans(),
    )
    def test_an_answer_nobody_asserts_moves_no_other(self, recipe, data, form, bounds, learn):
        """Adding an answer nobody asserts changes no other claim's probability.

        The one exception is a question nobody answers: where no answer is asserted or
        linked, its answers compete as equals, and a new one takes its share from them.
        """
        question = data.draw(st.sampled_from([q for q, _ in recipe.questions]))
        a, b = bounds
        value = None
        if form is not None:
            value = Count.between(a, b) if form == "between" else getattr(Count, form)(a)
        more = attrs.evolve(recipe, claims=(*recipe.claims, ("c-new", question, value)))
        knobs = Settings(learn=learn)
        before = probabilities(recipe.build(), knobs)
        after = probabilities(more.build(), knobs)
        asserted = {s.claim for s in recipe.said if s.stance is Stance.ASSERTS}
        linked = {c for _, x, y in recipe.relations for c in (x, y)}
        history = {y for kind, _, y in recipe.relations if kind is RelationKind.SUPERSEDES}
        mine = [c for c, q, _ in recipe.claims if q == question]
        # a superseded figure is history: it answers nothing
        silent = dict(recipe.questions)[question] and not (set(mine) - history) & (
            asserted | linked
        )
        # learned, a silent question's figures feed what is learned of its sources, and so
        # every claim those sources speak to
        assume(not (learn and silent))
        for cid, p in before.items():
            if not (silent and cid in mine):
                assert after[cid] == pytest.approx(p, abs=1e-12), cid

    @_FAST
    @given(
        recipe=recipes(),
        data=st.data(),
        grade=st.sampled_from(GRADES),
        stance=st.sampled_from([Stance.DENIES, Stance.DOUBTS]),
    )
    def test_an_independent_denial_never_raises_a_probability(self, recipe, data, grade, stance):
        """A new origin denying or doubting a claim never raises that claim's probability."""
        claim = data.draw(st.sampled_from([c for c, _, _ in recipe.claims]))
        added = attrs_evolve_sources(recipe, "s-new", grade).with_said(
            Said(claim, "s-new", stance, said=10_000)
        )
        before = probabilities(recipe.build())[claim]
        after = probabilities(added.build())[claim]
        assert after <= before + TOLERANCE

    @_FAST
    @given(recipe=recipes(), data=st.data(), grades=st.permutations(GRADES))
    def test_a_more_reliable_supporter_never_lowers_a_probability(self, recipe, data, grades):
        """Raising the grade of a claim's supporter never lowers that claim's probability.

        The supporter takes no stance on the claim's rival answers: raising a source that
        asserts two rivals at once helps both, which is its own problem.
        """
        low, high = sorted(grades[:2], key=Accuracy().of)
        case = recipe.build()
        result = case.assess()
        pairs = [
            (a.claim, v.origin)
            for a in result.values()
            for v in a.origins_for
            if not _speaks_on_rivals(case, result, a.claim, v.origin)
        ]
        assume(pairs)
        claim, supporter = data.draw(st.sampled_from(pairs))
        before = probabilities(recipe.with_grade(supporter, low).build())[claim]
        after = probabilities(recipe.with_grade(supporter, high).build())[claim]
        assert after >= before - TOLERANCE

    @_FAST
    @given(recipe=recipes())
    def test_rival_answers_share_at_most_certainty(self, recipe):
        """Answers of an exclusive question that contradict one another sum to at most 1."""
        case = recipe.build()
        result = case.assess()
        clash = {frozenset(c.claims) for c in result.contradictions}
        for qid, question in case.questions.items():
            if not question.exclusive:
                continue
            rivals: list[str] = []
            for claim in case.claims_of(qid):
                if all(frozenset((claim.id, r)) in clash for r in rivals):
                    rivals.append(claim.id)
            # the 1% floor lifts each answer at it a little: no more than that
            floored = sum(result[r].probability == FLOOR for r in rivals)
            assert sum(result[r].probability for r in rivals) <= 1 + FLOOR * floored + 1e-9

    @_FAST
    @given(recipe=recipes(counts_allowed=False))
    def test_answers_without_counts_sum_to_at_most_one(self, recipe):
        """With no counts and no declared compatibility, an exclusive question's answers sum to at most 1."""
        recipe = Recipe(
            recipe.questions, recipe.claims, recipe.sources, recipe.outlets, recipe.said
        )
        case = recipe.build()
        result = case.assess()
        for qid, question in case.questions.items():
            if question.exclusive:
                found = [result[c.id].probability for c in case.claims_of(qid)]
                assert sum(found) <= 1 + FLOOR * found.count(FLOOR) + 1e-9

    @_FAST
    @given(recipe=recipes())
    def test_a_narrower_count_is_never_more_likely(self, recipe):
        """On an exclusive question, a count inside another is never more probable than it."""
        case = recipe.build()
        result = case.assess()
        counted = [
            c
            for c in case.claims.values()
            if c.value is not None and c.question and case.questions[c.question].exclusive
        ]
        declared = {
            frozenset(r.claims) for r in case.relations if r.kind is RelationKind.CONTRADICTS
        }
        # where the analyst declares two counts that can both hold to contradict, that word
        # overrides the counts: what one count implies for another no longer follows
        overridden = {
            c.question
            for c in counted
            for d in counted
            if frozenset((c.id, d.id)) in declared and c.value.compatible_with(d.value)
        }
        for a, b in itertools.permutations(counted, 2):
            if frozenset((a.id, b.id)) in declared or a.question in overridden:
                continue
            if a.question == b.question and _inside(a.value, b.value):
                assert result[a.id].probability <= result[b.id].probability + 1e-9

    @_FAST
    @given(recipe=recipes(), seed=st.integers(0, 2**32))
    def test_results_do_not_depend_on_input_order(self, recipe, seed):
        """Shuffling every section of the case gives the same assessments, contradictions and warnings."""
        for merge in (False, True):
            first = summary(recipe.build().assess(Settings(merge_echoes=merge)))
            again = summary(recipe.build().assess(Settings(merge_echoes=merge)))
            order = random.Random(seed)  # noqa: S311 - a shuffle, not a secret
            shuffled = summary(recipe.build(order).assess(Settings(merge_echoes=merge)))
            assert first == again
            assert first == shuffled

    @_FAST
    @given(recipe=recipes())
    def test_no_reason_mixes_likelihood_and_confidence(self, recipe):
        """ICD 203: no reason sentence holds both an estimative word or percentage and 'confidence'."""
        for assessment in recipe.build().assess().values():
            for reason in assessment.reasons:
                assert_icd203(reason)

    @_FAST
    @given(recipe=recipes())
    def test_estimate_matches_probability(self, recipe):
        """Every estimate is the ICD 203 word for its probability, and probabilities lie in [0, 1]."""
        for a in recipe.build().assess().values():
            assert 0.0 <= a.probability <= 1.0
            assert a.estimate is Estimate.of(a.probability)
            if a.credibility is Credibility.CONFIRMED:
                assert len([v for v in a.origins_for if v.weight > 0]) >= 2
            if a.confidence is Confidence.HIGH:
                # contested only by origins with a stake, or of low grade, may still be high
                assert a.status in (Status.CORROBORATED, Status.CONTESTED, Status.DENIED)


def attrs_evolve_sources(recipe, source, grade):
    return attrs.evolve(recipe, sources=(*recipe.sources, (source, grade)))


def _speaks_on_rivals(case, result, claim, origin):
    """Whether *origin* votes on a claim judged together with *claim*: a rival answer, or
    any claim that declared links (contradicts, implies, supersedes) bind to it, with their
    questions. A superseded figure holds what its successor leaves: a source that backs
    both, made more reliable, rightly raises the successor and so lowers the old figure."""
    linked, pending = {claim}, [claim]
    while pending:
        current = case.claims[pending.pop()]
        near = set()
        if current.question is not None and case.questions[current.question].exclusive:
            near |= {c.id for c in case.claims_of(current.question)}
        for rel in case.relations:
            if (
                rel.kind
                in (RelationKind.CONTRADICTS, RelationKind.IMPLIES, RelationKind.SUPERSEDES)
                and current.id in rel.claims
            ):
                near |= set(rel.claims)
        pending += [c for c in near - linked if c in case.claims]
        linked |= near
    return any(
        v.origin == origin
        for rival in linked - {claim}
        if rival in result
        for v in result[rival].votes
    )


def _inside(a, b):
    lo = lambda v: v.low if v.low is not None else 0  # noqa: E731
    hi = lambda v: v.high if v.high is not None else math.inf  # noqa: E731
    return lo(b) <= lo(a) and hi(a) <= hi(b)


def summary(result):
    return (
        {
            a.claim: (
                round(a.probability, 12),
                a.estimate,
                a.confidence,
                a.credibility,
                a.reliability,
                a.status,
                sorted(
                    (v.origin, v.stance.value, round(v.weight, 12), v.publishers) for v in a.votes
                ),
                sorted(a.reasons),
            )
            for a in result.values()
        },
        {(frozenset(c.claims), c.kind) for c in result.contradictions},
        sorted((w.kind.value, w.claim or "") for w in result.warnings),
        {f.question: (f.low, f.best, f.high) for f in result.figures},
    )


_ESTIMATIVE = re.compile(
    r"\b(almost no chance|very unlikely|unlikely|roughly even chance|likely|very likely|"
    r"almost certain|probab\w*|chance|odds)\b|\d+\s*%",
    re.IGNORECASE,
)


def assert_icd203(sentence):
    if "confidence" in sentence.lower():
        assert not _ESTIMATIVE.search(sentence), sentence


# ---- statuses -----------------------------------------------------------------------------


def assessed(*said, **kwargs):
    return world(*said, **kwargs).build().assess()


class TestStatus:
    def test_single_source(self):
        """One origin asserting a claim makes it single-source."""
        result = assessed(Said("c", "s0"))
        assert result["c"].status is Status.SINGLE_SOURCE

    def test_corroborated(self):
        """Two independent origins asserting a claim, nobody against, make it corroborated."""
        result = assessed(Said("c", "s0"), Said("c", "s1"))
        assert result["c"].status is Status.CORROBORATED

    def test_contested_by_a_denial(self):
        """A weaker denial than the support makes the claim contested."""
        result = assessed(Said("c", "s0"), Said("c", "s1", Stance.DENIES), grades={"s0": "A"})
        assert result["c"].status is Status.CONTESTED

    def test_contested_by_a_backed_rival(self):
        """A rival answer with support of its own makes an answer contested."""
        result = assessed(Said("a", "s0"), Said("b", "s1"))
        assert result["a"].status is Status.CONTESTED
        assert result["b"].status is Status.CONTESTED
        assert "Contradicted by claim 'b', which has support of its own." in result["a"].reasons

    def test_a_doubt_without_weight_does_not_contest(self):
        """A doubt from a source whose grade gives it no weight is reported but does not contest."""
        result = assessed(Said("c", "s0"), Said("c", "s1", Stance.DOUBTS), grades={"s1": "D"})
        assert result["c"].status is Status.SINGLE_SOURCE
        assert any("doubts it" in r for r in result["c"].reasons)

    def test_denied(self):
        """Denials that outweigh the support make the claim denied."""
        result = assessed(Said("c", "s0"), Said("c", "s1", Stance.DENIES), grades={"s1": "A"})
        assert result["c"].status is Status.DENIED
        only_denied = assessed(Said("c", "s1", Stance.DENIES))
        assert only_denied["c"].status is Status.DENIED

    def test_retracted(self):
        """A claim whose only assertion was retracted is retracted, and its vote is gone."""
        result = assessed(Said("c", "s0"), Said("c", "s0", Stance.RETRACTS))
        assert result["c"].status is Status.RETRACTED
        assert result["c"].votes == ()
        assert result["c"].probability == pytest.approx(0.5)
        assert "Source s0 retracted what it said; that no longer counts." in result["c"].reasons

    def test_unverified(self):
        """A claim nobody speaks to, or only purported statements back, is unverified."""
        result = assessed(Said("a", "s0", mode=Mode.PURPORTED))
        assert result["c"].status is Status.UNVERIFIED
        assert result["a"].status is Status.UNVERIFIED
        assert "No source takes a stance on it." in result["c"].reasons


# ---- the computation ----------------------------------------------------------------------


class TestComputation:
    def test_a_lone_source_gets_its_accuracy(self):
        """A lone graded source asserting a yes-or-no claim gives it that grade's accuracy."""
        for grade in Reliability:
            result = assessed(Said("c", "s0"), grades={"s0": grade})
            expected = max(0.5, Accuracy().of(grade))
            assert result["c"].probability == pytest.approx(expected)

    def test_a_lone_answer_gets_its_accuracy(self):
        """A lone supporter gives its answer its accuracy; answers nobody asserts stand aside."""
        result = assessed(Said("a", "s0"), grades={"s0": "B"})
        assert result["a"].probability == pytest.approx(0.80)
        assert result["b"].probability == pytest.approx(FLOOR)

    def test_weights_follow_the_formula(self):
        """An assertion weighs ln(n·A/(1-A)), a denial ln(A/(1-A)), doubts a quarter of that."""
        result = assessed(
            Said("a", "s0"),
            Said("b", "s3"),
            Said("c", "s1", Stance.DENIES),
            Said("b", "s2", Stance.DOUBTS),
            grades={"s0": "B", "s1": "A", "s2": "C", "s3": "E"},
        )
        # two answers are asserted, so n = 2; "c", asserted by nobody, stands aside
        assert result["a"].votes[0].weight == pytest.approx(math.log(2 * 0.8 / 0.2))
        assert result["c"].votes[0].weight == pytest.approx(math.log(0.95 / 0.05))
        doubt = next(v for v in result["b"].votes if v.stance is Stance.DOUBTS)
        assert doubt.weight == pytest.approx(0.25 * math.log(0.65 / 0.35))

    def test_custom_accuracy(self):
        """Accuracy priors per grade are settings."""
        lenient = Settings(accuracy=Accuracy(F=0.9))
        result = world(Said("c", "s0")).build().assess(lenient)
        assert result["c"].probability == pytest.approx(0.9)

    def test_accuracy_must_be_a_probability(self):
        """An accuracy of 0 or 1 is refused with a message naming the grade."""
        with pytest.raises(ValueError, match="grade B"):
            Accuracy(B=1.0)

    def test_doubts_move_little(self):
        """Doubting a claim lowers it, but much less than denying it does."""
        base = assessed(Said("c", "s0"))["c"].probability
        doubted = assessed(Said("c", "s0"), Said("c", "s1", Stance.DOUBTS), grades={"s1": "B"})
        denied = assessed(Said("c", "s0"), Said("c", "s1", Stance.DENIES), grades={"s1": "B"})
        assert denied["c"].probability < doubted["c"].probability < base
        assert base - doubted["c"].probability < (base - denied["c"].probability) / 2

    def test_retraction_removes_only_that_origins_vote(self):
        """A retraction removes its origin's earlier vote; other origins still count."""
        kept = assessed(Said("c", "s0"), Said("c", "s1"), Said("c", "s1", Stance.RETRACTS))
        alone = assessed(Said("c", "s0"))
        assert kept["c"].probability == pytest.approx(alone["c"].probability)
        assert [v.origin for v in kept["c"].votes] == ["s0"]
        assert kept["c"].status is Status.SINGLE_SOURCE

    def test_a_later_assertion_after_a_retraction_counts(self):
        """A correction is a retraction plus a new assertion: the new assertion counts."""
        result = assessed(
            Said("a", "s0"), Said("a", "s0", Stance.RETRACTS), Said("b", "s0"), grades={"s0": "B"}
        )
        assert result["b"].probability == pytest.approx(0.80)
        assert result["a"].status is Status.RETRACTED

    def test_latest_stance_wins(self):
        """An origin that asserted and later denied a claim counts once, as a denial, and says so."""
        result = assessed(Said("c", "s0"), Said("c", "s0", Stance.DENIES))
        (vote,) = result["c"].votes
        assert vote.stance is Stance.DENIES
        assert (
            "Source s0 asserted it before; only its latest stance, that it denies it, counts."
            in result["c"].reasons
        )

    def test_modes_and_interest_discount(self):
        """Anonymous, purported and interested speakers weigh less than on-record ones."""
        on_record = assessed(Said("c", "s1"))["c"].votes[0].weight
        anonymous = assessed(Said("c", "s1", mode=Mode.ANONYMOUS))["c"].votes[0].weight
        purported = assessed(Said("c", "s1", mode=Mode.PURPORTED))["c"].votes[0].weight
        assert purported < anonymous < on_record
        case = world(Said("c", "s1")).build()
        case.replace(claimtrack.Claim("c", "Claim c", about=["s1"]))
        interested = case.assess()["c"]
        assert interested.votes[0].weight == pytest.approx(on_record * Settings().interested)
        assert interested.votes[0].interested

    def test_credibility_digit_scales_a_vote(self):
        """The analyst's credibility digit 5 (improbable) scales a vote down."""
        plain = assessed(Said("c", "s1"))["c"].votes[0].weight
        improbable = (
            assessed(Said("c", "s1", credibility=Credibility.IMPROBABLE))["c"].votes[0].weight
        )
        assert improbable == pytest.approx(plain * 0.25)


# ---- confidence and credibility -----------------------------------------------------------


class TestConfidence:
    def test_high(self):
        """Two independent origins, one graded B or better, nobody against: high."""
        result = assessed(Said("c", "s0"), Said("c", "s1"), grades={"s0": "B", "s1": "C"})
        assert result["c"].confidence is Confidence.HIGH

    def test_moderate(self):
        """Two independent origins graded C: moderate."""
        result = assessed(Said("c", "s0"), Said("c", "s1"), grades={"s0": "C", "s1": "C"})
        assert result["c"].confidence is Confidence.MODERATE

    def test_low_for_a_single_origin(self):
        """A single origin, however reliable, gives low confidence."""
        result = assessed(Said("c", "s0"), grades={"s0": "A"})
        assert result["c"].confidence is Confidence.LOW
        assert "Analytic confidence is low: a single origin bears on it." in result["c"].reasons

    def test_low_for_only_e_or_f_origins(self):
        """Origins graded only E or F give low confidence, however many."""
        result = assessed(Said("c", "s0"), Said("c", "s1"), Said("c", "s2"))
        assert result["c"].confidence is Confidence.LOW
        assert result["c"].status is Status.CORROBORATED

    def test_low_when_contested(self):
        """A credible denial makes confidence low even with two good supporters."""
        result = assessed(
            Said("c", "s0"),
            Said("c", "s1"),
            Said("c", "s2", Stance.DENIES),
            grades={"s0": "A", "s1": "B", "s2": "C"},
        )
        assert result["c"].status is Status.CONTESTED
        assert result["c"].confidence is Confidence.LOW

    def test_repeats_are_not_independent(self):
        """One origin carried by three outlets is still a single origin: low confidence."""
        result = assessed(
            Said("c", "s0", outlet="o0"),
            Said("c", "s0", outlet="o1"),
            Said("c", "s0", outlet="o2"),
            grades={"s0": "A"},
        )
        assert result["c"].confidence is Confidence.LOW
        assert result["c"].votes[0].publishers == ("o0", "o1", "o2")
        assert "3 outlets repeat one origin, Source s0: counted once." in result["c"].reasons
        assert [w.kind for w in result.warnings] == [WarningKind.REPEATED_ORIGIN]

    def test_credibility_one_needs_two_agreeing_origins(self):
        """Admiralty 1 only when two independent origins agree; a single B source gives 2."""
        two = assessed(Said("c", "s0"), Said("c", "s1"), grades={"s0": "B", "s1": "B"})
        one = assessed(Said("c", "s0"), grades={"s0": "A"})
        assert two["c"].credibility is Credibility.CONFIRMED
        assert two["c"].admiralty == "B1"
        assert one["c"].credibility is Credibility.PROBABLY_TRUE
        assert one["c"].admiralty == "A2"

    def test_credibility_digits_follow_probability(self):
        """Without corroboration the digit follows the probability; no stance at all is 6."""
        result = assessed(Said("c", "s0", Stance.DENIES), grades={"s0": "A"})
        assert result["c"].credibility is Credibility.IMPROBABLE
        assert result["a"].credibility is Credibility.CANNOT_BE_JUDGED
        assert result["a"].admiralty == "F6"

    def test_badge(self):
        """The badge puts estimate, percentage, confidence and code side by side."""
        result = assessed(Said("c", "s0"), grades={"s0": "B"})
        assert result["c"].badge == "very likely · 80% · low · B2"


@pytest.mark.parametrize(
    ("probability", "word"),
    [
        (0.0, Estimate.ALMOST_NO_CHANCE),
        (0.049, Estimate.VERY_UNLIKELY),  # printed as 5%
        (0.0449, Estimate.ALMOST_NO_CHANCE),
        (0.05, Estimate.VERY_UNLIKELY),
        (0.2, Estimate.UNLIKELY),
        (0.45, Estimate.ROUGHLY_EVEN_CHANCE),
        (0.55, Estimate.LIKELY),
        (0.8, Estimate.VERY_LIKELY),
        (0.95, Estimate.ALMOST_CERTAIN),
        (1.0, Estimate.ALMOST_CERTAIN),
    ],
)
def test_icd203_bands(probability, word):
    """The ICD 203 bands start at 5, 20, 45, 55, 80 and 95 percent."""
    assert Estimate.of(probability) is word


# ---- counts, relations and figures ----------------------------------------------------------


def counted(*values, exclusive=True, relations=(), said=()):
    claims = tuple((f"n{i}", "q", v) for i, v in enumerate(values))
    return world(*said, questions=(("q", exclusive),), claims=claims, relations=relations).build()


class TestCounts:
    def test_answer_compatible_with_one_count_stays_a_rival_of_the_others(self):
        """A text answer that supports one of two equal counts still contradicts the other, and the two share at most certainty."""
        case = claimtrack.Case(title="Compatibility is not transitive")
        case.add_source("s", "A reliable source", "outlet", reliability="A")
        case.add_question("q", "How many?")
        case.add_claim("words", "Nobody was hurt", question="q")
        case.add_claim("zero", "Zero hurt", question="q", value=Count.exactly(0))
        case.add_claim("none", "None hurt", question="q", value=Count.exactly(0))
        case.relate("supports", "words", "zero")
        case.attribute("words", "s")
        result = case.assess()
        assert frozenset(("words", "none")) in {frozenset(c.claims) for c in result.contradictions}
        assert result["words"].probability + result["none"].probability <= 1 + 1e-9

    def test_a_joined_count_never_outweighs_a_count_it_implies(self):
        """Supporting one of two equal counts gives it no hypothesis the other is missing from."""
        case = claimtrack.Case(title="Equal counts, one supported")
        case.add_source("s", "A reliable source", "outlet", reliability="A")
        case.add_question("q", "How many?")
        case.add_claim("zero", "Zero hurt", question="q", value=Count.exactly(0))
        case.add_claim("words", "Nobody was hurt", question="q")
        case.add_claim("none", "None hurt", question="q", value=Count.exactly(0))
        case.relate("supports", "zero", "words")
        # both counts asserted, by a source too weak to move them, so both take part
        case.add_source("e", "A source that cannot be trusted", "outlet", reliability="E")
        case.attribute("zero", "e")
        case.attribute("none", "e")
        for found in (case.assess(), assess_reference(case)):
            assert found["zero"].probability == pytest.approx(found["none"].probability)
        case.attribute("words", "s")
        result = case.assess()
        assert result["zero"].probability == pytest.approx(result["none"].probability)

    def test_compatible_counts_do_not_contradict(self):
        """'At least 4' and 'exactly 4' are compatible: no contradiction between them."""
        case = counted(Count.at_least(4), Count.exactly(4))
        assert find_contradictions(case) == []

    def test_incompatible_counts_contradict(self):
        """'Exactly 3' and 'at least 4' contradict, as values, even on a non-exclusive question."""
        for exclusive in (True, False):
            (found,) = find_contradictions(
                counted(Count.exactly(3), Count.at_least(4), exclusive=exclusive)
            )
            assert found.claims == ("n0", "n1")
            assert found.kind is ContradictionKind.VALUE
            assert found.reason == "exactly 3 cannot hold together with at least 4"

    def test_counts_of_different_units_never_contradict(self):
        """Counts of different things never conflict."""
        case = counted(Count.exactly(3, unit="people"), Count.exactly(5, unit="rockets"))
        assert find_contradictions(case) == []

    def test_compatible_counts_do_not_compete(self):
        """Support for 'exactly 4' also supports 'at least 4', which stays at least as likely."""
        case = counted(
            Count.at_least(4),
            Count.exactly(4),
            said=(Said("n0", "s0"), Said("n1", "s1")),
        )
        result = case.assess()
        assert result["n0"].probability >= result["n1"].probability
        assert (
            result["n0"].status is Status.CORROBORATED
            or result["n0"].status is Status.SINGLE_SOURCE
        )
        alone = counted(Count.at_least(4), Count.exactly(4), said=(Said("n0", "s0"),)).assess()
        assert result["n0"].probability > alone["n0"].probability

    @settings(max_examples=200, deadline=None)
    @given(
        values=st.lists(
            st.tuples(
                st.sampled_from(["exactly", "at_least", "at_most", "between", None]),
                st.integers(0, 6),
                st.integers(0, 6),
                st.sampled_from([None, "people", "rockets"]),
            ),
            min_size=0,
            max_size=7,
        ),
        exclusive=st.booleans(),
    )
    def test_derived_contradictions_match_every_pair(self, values, exclusive):
        """Grouping and sorting finds exactly the pairs that a comparison of all pairs would."""
        counts = []
        for form, a, b, unit in values:
            if form is None:
                counts.append(None)
            elif form == "between":
                counts.append(Count.between(min(a, b), max(a, b), unit=unit))
            else:
                counts.append(getattr(Count, form)(a, unit=unit))
        case = counted(*counts, exclusive=exclusive)
        expected = set()
        for (i, x), (j, y) in itertools.combinations(enumerate(counts), 2):
            if x is not None and y is not None:
                if not x.compatible_with(y):
                    expected.add((f"n{i}", f"n{j}", ContradictionKind.VALUE))
            elif exclusive:
                expected.add((f"n{i}", f"n{j}", ContradictionKind.EXCLUSIVE))
        found = find_contradictions(case)
        assert {(*c.claims, c.kind) for c in found} == expected
        assert len(found) == len(expected)

    @pytest.mark.parametrize(
        "kind", [RelationKind.REFINES, RelationKind.SUPPORTS, RelationKind.SUPERSEDES]
    )
    def test_declared_compatibility_suppresses_derived_contradictions(self, kind):
        """A declared refines, supports or supersedes between two answers means no derived contradiction."""
        plain = world(Said("a", "s0"), Said("b", "s1"))
        assert {c.kind for c in plain.build().assess().contradictions} == {
            ContradictionKind.EXCLUSIVE
        }
        related = Recipe(
            plain.questions,
            plain.claims,
            plain.sources,
            plain.outlets,
            plain.said,
            ((kind, "a", "b"),),
        )
        result = related.build().assess()
        assert result.contradictions == ()
        assert result["a"].status is Status.SINGLE_SOURCE
        assert result["a"].probability > plain.build().assess()["a"].probability

    def test_declared_compatibility_suppresses_value_contradictions(self):
        """A later figure that supersedes an earlier one is not flagged as contradicting it."""
        case = counted(
            Count.exactly(3), Count.exactly(5), relations=((RelationKind.SUPERSEDES, "n1", "n0"),)
        )
        assert find_contradictions(case) == []

    def test_declared_contradictions_are_kept_as_given(self):
        """A declared contradiction keeps its order and reason, and is not derived again."""
        case = world(relations=((RelationKind.CONTRADICTS, "b", "a"),)).build()
        (found,) = case.assess().contradictions
        assert found.claims == ("b", "a")
        assert found.kind is ContradictionKind.DECLARED

    def test_figures(self):
        """A numeric question gives low, best and high figures of its credible answers."""
        case = counted(
            Count.exactly(4, unit="people"),
            Count.between(6, 9, unit="people"),
            Count.exactly(40, unit="people"),
            said=(
                Said("n0", "s0"),
                Said("n1", "s1"),
                Said("n1", "s2"),
                Said("n2", "s3", mode=Mode.PURPORTED),
            ),
        )
        result = case.assess()
        (figures,) = result.figures
        assert (figures.low, figures.best, figures.high, figures.unit) == (4, 7.5, 9, "people")
        assert result["n2"].status is Status.UNVERIFIED


# ---- circular reporting ---------------------------------------------------------------------


class TestCircularReporting:
    def echo(self):
        return world(
            Said("c", "s1", outlet="o0", quote="Five rockets were 'fired'"),
            Said("c", "s2", outlet="o1", quote="five  rockets WERE \u2018fired\u2019"),
            grades={"s1": "B", "s2": "C"},
        )

    def test_same_words_without_a_chain_are_flagged(self):
        """Two documents carrying the same words for one claim, with no via, are flagged, naming both."""
        result = self.echo().build().assess()
        (warning,) = [w for w in result.warnings if w.kind is WarningKind.CIRCULAR_REPORTING]
        assert "doc-o0" in warning.message
        assert "doc-o1" in warning.message
        assert "counted as separate origins" in warning.message
        assert len(result["c"].origins_for) == 2

    def test_merge_echoes_counts_them_once(self):
        """merge_echoes treats the echoing documents as one origin, the earliest speaker."""
        recipe = self.echo()
        merged = recipe.build().assess(Settings(merge_echoes=True))
        apart = recipe.build().assess()
        (vote,) = merged["c"].votes
        assert vote.origin == "s1"
        assert merged["c"].probability < apart["c"].probability
        assert merged["c"].probability == pytest.approx(0.80)
        assert "counted as one origin" in next(
            w.message for w in merged.warnings if w.kind is WarningKind.CIRCULAR_REPORTING
        )

    def test_echoes_are_warned_of_in_the_order_of_their_first_attribution(self):
        """Echoes of two claims whose attributions interleave come in order of first position."""
        recipe = world(
            Said("a", "s0", outlet="o0", quote="first words"),
            Said("c", "s1", outlet="o0", quote="other words"),
            Said("a", "s2", outlet="o1", quote="second words"),
            Said("c", "s3", outlet="o1", quote="other words"),
            Said("a", "s4", outlet="o2", quote="second words"),
            Said("a", "s5", outlet="o1", quote="first words"),
        )
        found = [
            w.attributions
            for w in recipe.build().assess().warnings
            if w.kind is WarningKind.CIRCULAR_REPORTING
        ]
        assert found == [(0, 5), (1, 3), (2, 4)]

    def test_a_declared_chain_is_not_an_echo(self):
        """Words repeated with a declared via chain are a known chain, not suspected copying."""
        recipe = world(
            Said("c", "s1", outlet="o0", via=("o0",), quote="the words"),
            Said("c", "s2", outlet="o1", via=("o1",), quote="the words"),
        )
        assert recipe.build().assess().warnings == ()

    def test_anonymous_sources_are_origins_like_any_other(self):
        """Two anonymous sources are two origins unless the analyst gives them one id."""
        two = assessed(Said("c", "s0", mode=Mode.ANONYMOUS), Said("c", "s5", mode=Mode.ANONYMOUS))
        one = assessed(
            Said("c", "s0", mode=Mode.ANONYMOUS, outlet="o0"),
            Said("c", "s0", mode=Mode.ANONYMOUS, outlet="o1"),
        )
        assert len(two["c"].origins_for) == 2
        assert len(one["c"].origins_for) == 1
        assert two["c"].probability > one["c"].probability


# ---- the seed case --------------------------------------------------------------------------


@pytest.fixture(name="seed", scope="module")
def _seed():
    return claimtrack.load(SEED)


@pytest.fixture(name="judged", scope="module")
def _judged(seed):
    return seed.assess()


class TestSeed:
    def test_truce_contradiction(self, seed, judged):
        """The National's truce and Hassan Fadhem's 'no formal truce' contradict, and both are contested."""
        truce = [
            c
            for c in judged.contradictions
            if set(c.claims) == {"truce-existed", "no-formal-truce"}
        ]
        assert len(truce) == 1
        for claim, origin in (
            ("truce-existed", "the-national"),
            ("no-formal-truce", "hassan-fadhem"),
        ):
            a = judged[claim]
            assert a.question == "truce"
            assert a.status is Status.CONTESTED
            assert [v.origin for v in a.origins_for] == [origin]
            assert a.confidence is Confidence.LOW
        # A B-graded outlet outweighs one ungraded interview, without certainty either way.
        assert judged["truce-existed"].probability > judged["no-formal-truce"].probability
        assert judged["truce-existed"].estimate is Estimate.LIKELY
        assert judged["truce-existed"].probability + judged["no-formal-truce"].probability < 1

    def test_babil_toll_has_no_false_contradiction(self, seed, judged):
        """The Babil toll is a single-source count with no contradiction, and an 'exactly 4' report would not clash."""
        toll = judged["toll-at-least-four"]
        assert not [c for c in judged.contradictions if "toll-at-least-four" in c.claims]
        assert toll.status is Status.SINGLE_SOURCE
        assert any("PMF central media unit" in r and "doubts" in r for r in toll.reasons)
        figures = {f.question: f for f in judged.figures}["babil-toll"]
        assert (figures.low, figures.high) == (4, 4)
        seed = claimtrack.load(SEED)
        seed.add_claim(
            "toll-exactly-four",
            "Four were killed",
            question="babil-toll",
            value=Count.exactly(4, unit="people"),
        )
        seed.attribute(
            "toll-exactly-four", "pmf", document="national-2024-07-31", via=["the-national"]
        )
        again = seed.assess()
        assert not [c for c in again.contradictions if "toll-exactly-four" in c.claims]
        assert again["toll-at-least-four"].probability >= again["toll-exactly-four"].probability

    def test_self_defence_against_aggression(self, judged):
        """The US's self-defence claim, discounted as interested, trails the spokesman's 'aggression'."""
        defence, aggression = judged["strike-self-defence"], judged["strike-aggression"]
        assert defence.votes[0].interested
        assert defence.probability < aggression.probability
        assert {defence.status, aggression.status} == {Status.CONTESTED}

    def test_two_origins_on_who_struck(self, judged):
        """The National and the US both say the US struck: corroborated, high confidence, B1."""
        a = judged["us-carried-out-strike"]
        assert a.status is Status.CORROBORATED
        assert a.confidence is Confidence.HIGH
        assert a.admiralty == "B1"

    def test_disowned_statement(self, judged):
        """Kataib Hezbollah's disowning outlasts the purported statement: denied, and explained."""
        a = judged["kh-announced-resumption"]
        assert a.status is Status.DENIED
        assert [v.stance for v in a.votes] == [Stance.DENIES]
        assert any("asserted it before" in r for r in a.reasons)

    def test_every_claim_is_explained(self, seed, judged):
        """Every claim has an assessment whose reasons start with the estimate and end with the confidence."""
        assert set(judged) == set(seed.claims)
        for a in judged.values():
            assert a.reasons[0].startswith("Estimated ")
            assert a.reasons[-1].startswith("Analytic confidence is ")
            for reason in a.reasons:
                assert_icd203(reason)


# ---- the command line -----------------------------------------------------------------------

ECHO_CASE = """\
claimtrack: 1
title: Echoes
sources:
  wire: {name: A wire, kind: news-agency, reliability: B}
  daily: {name: A daily, kind: outlet, reliability: C}
documents:
  d1: {publisher: wire, title: First, published: 2024-04-22}
  d2: {publisher: daily, title: Second, published: 2024-04-23}
questions:
  rockets: {text: "How many rockets?"}
claims:
  five: {text: Five rockets were fired, question: rockets, value: {exactly: 5}}
  six: {text: Six rockets were fired, question: rockets, value: {at_least: 6}}
attributions:
  - {claim: five, source: wire, document: d1, quote: five rockets were fired}
  - {claim: five, source: daily, document: d2, quote: "Five  rockets were fired"}
  - {claim: six, source: daily, document: d2}
"""


class TestCommandLine:
    def run_json(self, capsys, *args):
        from claimtrack.cli import main

        assert main(["assess", *map(str, args), "--format", "json"]) == 0
        import json

        return json.loads(capsys.readouterr().out)

    def test_json_shape(self, capsys):
        """assess --format json gives assessments, contradictions and warnings with the documented keys."""
        data = self.run_json(capsys, SEED)
        keys = {"claim", "question", "probability", "estimate", "confidence", "credibility"}
        keys |= {"status", "origins_for", "origins_against", "reasons"}
        assert {"assessments", "contradictions", "warnings"} <= set(data)
        for a in data["assessments"]:
            assert keys <= set(a)
            assert a["estimate"] in {e.value for e in Estimate}
            assert a["confidence"] in {"low", "moderate", "high"}
            assert a["credibility"] in range(1, 7)
        for c in data["contradictions"]:
            assert {"claims", "kind", "reason"} <= set(c)
            assert c["kind"] in {"declared", "value", "exclusive"}
            assert len(c["claims"]) == 2
        truce = next(a for a in data["assessments"] if a["claim"] == "truce-existed")
        assert truce["question"] == "truce"
        assert truce["status"] == "contested"
        assert ["truce-existed", "no-formal-truce"] in [c["claims"] for c in data["contradictions"]]

    def test_circular_reporting_and_merge_echoes(self, tmp_path, capsys):
        """The same words in two documents give a circular-reporting warning; --merge-echoes counts them once."""
        path = tmp_path / "echo.yaml"
        path.write_text(ECHO_CASE)
        apart = self.run_json(capsys, path)
        (warning,) = [w for w in apart["warnings"] if w["kind"] == "circular-reporting"]
        assert "d1" in warning["message"]
        assert "d2" in warning["message"]
        five = next(a for a in apart["assessments"] if a["claim"] == "five")
        assert five["origins_for"] == 2
        merged = self.run_json(capsys, path, "--merge-echoes")
        five_merged = next(a for a in merged["assessments"] if a["claim"] == "five")
        assert five_merged["origins_for"] == 1
        assert five_merged["probability"] < five["probability"]
        assert [c["kind"] for c in apart["contradictions"]] == ["value"]

    def test_table(self, capsys):
        """assess prints a compact table by default, and the wide one with --wide."""
        from claimtrack.cli import main

        assert main(["assess", str(SEED)]) == 0
        assert "likely · 67% · low · B3" in capsys.readouterr().out
        assert main(["assess", str(SEED), "--wide"]) == 0
        assert "contested" in capsys.readouterr().out

    def test_bad_case_exits_one(self, tmp_path, capsys):
        """A broken case exits 1 with the file and place named, no traceback."""
        from claimtrack.cli import main

        path = tmp_path / "bad.yaml"
        path.write_text(
            ECHO_CASE.replace("source: daily, document: d2}", "source: dialy, document: d2}")
        )
        assert main(["assess", str(path)]) == 1
        err = capsys.readouterr().err
        assert f"{path}: attributions[2].source: unknown source 'dialy'" in err
        assert "Traceback" not in err


def test_echoes_are_found_behind_unquoted_attributions():
    """The search for echoes skips a case with nothing quoted, and only such a case."""
    echoed = world(
        Said("a", "s0"),
        Said("b", "s3", outlet="o2"),
        Said("c", "s1", outlet="o0", quote="the same words"),
        Said("c", "s2", outlet="o1", quote="the same words"),
    )
    found = [
        w for w in echoed.build().assess().warnings if w.kind is WarningKind.CIRCULAR_REPORTING
    ]
    assert [w.attributions for w in found] == [(2, 3)]
