"""Coherent judgements: linked questions, superseded figures, figures from precise answers;
each rule of docs/confidence.md pinned on its own."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import claimtrack

from claimtrack import Count, Status, WarningKind
from claimtrack.engine._joint import MOST_COMBINATIONS


GRADES = st.sampled_from(["A", "B", "C", "D", "E", None])
# who asserts what: per answer of two linked questions, the grades of its supporters
BACKING = st.lists(st.lists(GRADES, max_size=3), min_size=4, max_size=4)


def _linked(
    backing: list[list[str | None]], relations: list[tuple[str, str, str]]
) -> claimtrack.Case:
    case = claimtrack.Case(title="Linked")
    case.add_question("cause", "What caused it?")
    case.add_question("who", "Who launched it?")
    answers = [("misfire", "cause"), ("strike", "cause"), ("army", "who"), ("group", "who")]
    for cid, qid in answers:
        case.add_claim(cid, cid, question=qid)
    for (cid, _), grades in zip(answers, backing, strict=True):
        for k, grade in enumerate(grades):
            sid = f"{cid}-{k}"
            case.add_source(sid, sid, "outlet", reliability=grade)
            case.attribute(cid, sid)
    for kind, a, b in relations:
        case.relate(kind, a, b)
    return case


_ANSWERS = ["misfire", "strike", "army", "group"]
PAIRS = st.sampled_from(
    [("misfire", "army"), ("strike", "group"), ("misfire", "group"), ("strike", "army")]
)


@given(BACKING, PAIRS, PAIRS)
def test_links_across_questions_bind_the_figures(backing, clash, implied):
    relations = [("contradicts", *clash)]
    if set(implied) != set(clash):
        relations.append(("implies", *implied))
    result = _linked(backing, relations).assess()
    a, b = clash
    assert result[a].probability + result[b].probability <= 1 + 1e-9
    if len(relations) == 2:
        x, y = implied
        assert result[x].probability <= result[y].probability + 1e-9
        # the link is named where it moved a figure: on both, or on the answer nobody backs
        backed_x, backed_y = backing[_ANSWERS.index(x)], backing[_ANSWERS.index(y)]
        if backed_x and backed_y:
            assert any(f"claim '{y}'" in r for r in result[x].reasons)
        if backed_x:
            assert any(f"claim '{x}'" in r for r in result[y].reasons)


def test_a_link_names_itself_in_the_reasons():
    result = _linked(
        [["B"], ["C"], ["B", "B"], ["D"]], [("contradicts", "misfire", "army")]
    ).assess()
    assert (
        "Judged together with claim 'misfire', which it contradicts: the two cannot both hold."
        in result["army"].reasons
    )


def test_unlinked_questions_are_judged_apart():
    plain = _linked([["B"], ["C"], ["B", "B"], ["D"]], []).assess()
    alone = _linked([["B"], ["C"], [], []], []).assess()
    assert plain["misfire"].probability == alone["misfire"].probability


def _toll() -> claimtrack.Case:
    case = claimtrack.Case(title="Rising toll")
    case.add_source("gov", "Governor", "government", reliability="B")
    case.add_question("toll", "How many were killed?")
    for n, day in ((39, 8), (50, 9), (52, 10)):
        case.add_claim(f"t{n}", f"{n} killed", question="toll", value=Count.exactly(n))
        case.attribute(f"t{n}", "gov", said=f"2022-04-{day:02d}")
    case.relate("supersedes", "t50", "t39")
    case.relate("supersedes", "t52", "t50")
    return case


def test_a_chain_of_figures_leaves_the_latest_current():
    result = _toll().assess()
    assert [result[c].status for c in ("t39", "t50", "t52")] == [
        Status.SUPERSEDED,
        Status.SUPERSEDED,
        Status.SINGLE_SOURCE,
    ]
    assert result["t52"].probability > result["t39"].probability
    assert result["t39"].estimate.value not in ("very likely", "almost certain")
    assert not result.contradictions  # never a rival of its successor
    assert any("Superseded by claim 't50'" in r for r in result["t39"].reasons)


def test_a_superseded_figure_takes_no_part():
    with_history = _toll().assess()
    latest = claimtrack.Case(title="Latest only")
    latest.add_source("gov", "Governor", "government", reliability="B")
    latest.add_question("toll", "How many were killed?")
    latest.add_claim("t52", "52 killed", question="toll", value=Count.exactly(52))
    latest.attribute("t52", "gov")
    assert with_history["t52"].probability == latest.assess()["t52"].probability


def test_a_group_too_large_is_approximated_and_warned_of():
    case = claimtrack.Case(title="Large")
    width = 9
    for q in range(5):
        case.add_question(f"q{q}", f"Question {q}?")
        for k in range(width):
            case.add_claim(f"q{q}a{k}", f"answer {k}", question=f"q{q}")
            case.add_source(f"s{q}{k}", f"S{q}{k}", "outlet", reliability="C")
            case.attribute(f"q{q}a{k}", f"s{q}{k}")
        if q:
            case.relate("contradicts", f"q{q - 1}a0", f"q{q}a0")
    assert (width + 1) ** 5 > MOST_COMBINATIONS
    result = case.assess()
    (warning,) = [w for w in result.warnings if w.kind is WarningKind.APPROXIMATE]
    assert "q0, q1, q2, q3, q4" in warning.message
    for q in range(1, 5):
        assert result[f"q{q - 1}a0"].probability + result[f"q{q}a0"].probability <= 1 + 1e-9


def test_the_best_figure_comes_from_answers_with_both_bounds():
    case = claimtrack.Case(title="Vague")
    case.add_question("toll", "How many?")
    for k, (cid, value) in enumerate(
        [
            ("t471", Count.exactly(471)),
            ("t200", Count.between(100, 300)),
            ("atl100", Count.at_least(100)),
        ]
    ):
        case.add_source(f"s{k}", f"S{k}", "outlet", reliability="B")
        case.add_claim(cid, cid, question="toll", value=value)
        case.attribute(cid, f"s{k}")
    (figures,) = case.assess().figures
    assert figures.best in (471, 200)
    assert figures.low == 100
