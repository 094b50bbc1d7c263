"""What a verdict rests on: every flip listed is real, and no single change that flips is missing."""

import json
import sys

from pathlib import Path

import attrs
import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

import claimtrack

from claimtrack import Case, Estimate, Reliability, Settings
from claimtrack.engine import ranked
from claimtrack.engine._origins import origins


sys.path.insert(0, str(Path(__file__).parent))  # tests/ is not a package; strategies.py sits here
from strategies import cases, recipes


_FAST = settings(max_examples=60, deadline=None)
STEPS = "ABCDEF"


def site_case():
    """The acceptance check's case: yard asserted by b0 (B), bldg by a party p (C)."""
    case = Case(title="Site")
    case.add_source("b0", "An outlet", "outlet", reliability="B")
    case.add_source("p", "A party", "armed-group", reliability="C")
    case.add_question("site", "Where did it land?", parties=["p"])
    case.add_claim("yard", "In the yard", question="site")
    case.add_claim("bldg", "On the building", question="site")
    case.attribute("yard", "b0")
    case.attribute("bldg", "p")
    return case


def rebuilt(case, *, drop=(), source=None):
    """A copy of *case* without the attributions at *drop*, with *source* put in."""
    drop = set(drop)
    records = [
        *case.sources.values(),
        *case.documents.values(),
        *case.evidence.values(),
        *case.questions.values(),
        *case.claims.values(),
        *(a for i, a in enumerate(case.attributions) if i not in drop),
        *case.relations,
    ]
    copy = Case.from_records(records, title=case.title)
    if source is not None:
        copy.replace(source)
    return copy


def verdict(result, claims):
    """The leading answer (first as answers are ranked), its probability and word."""
    a = result[ranked(claims, result)[0].id]
    return a.claim, a.probability, a.estimate


def removal(case, question, origin, settings_):
    """The positions of every attribution counting under *origin* on *question*'s answers."""
    mine = {c.id for c in case.claims_of(question)}
    of = origins(case, merge_echoes=settings_.merge_echoes)
    return [i for i, a in enumerate(case.attributions) if a.claim in mine and of[i] == origin]


def steps(source):
    grade = (source.reliability or Reliability.F).value
    at = STEPS.index(grade)
    return [
        (f"grade {grade}→{STEPS[k]}", Reliability(STEPS[k]))
        for k in (at - 1, at + 1)
        if 0 <= k < len(STEPS)
    ]


def check_exhaustively(case, settings_):
    """Every flip listed is real, and every single change that flips is listed."""
    found = {s.question: s for s in claimtrack.sensitivity(case, settings_)}
    whole = case.assess(settings_)
    for qid in case.questions:
        claims = case.claims_of(qid)
        voting = sorted({v.origin for c in claims for v in whole[c.id].votes})
        if not voting:
            assert qid not in found
            continue
        s = found[qid]
        leader, p, word = verdict(whole, claims)
        assert (s.leader, s.probability, s.estimate) == (leader, p, word)
        listed = {(f.origin, f.change): f for f in s.flips}
        assert [(f.origin, f.change) for f in s.flips] == sorted(listed)
        for origin in voting:
            drop = removal(case, qid, origin, settings_)
            tries = [("removed", rebuilt(case, drop=drop))]
            source = case.sources.get(origin)
            if source is not None:
                tries += [
                    (label, rebuilt(case, source=attrs.evolve(source, reliability=g)))
                    for label, g in steps(source)
                ]
            for change, changed in tries:
                after = verdict(changed.assess(settings_), claims)
                flips = after[0] != leader or after[2] is not word
                flip = listed.pop((origin, change), None)
                assert flips == (flip is not None), (qid, origin, change, after)
                if flip is not None:
                    assert (flip.leader, flip.probability, flip.estimate) == after
                    if change == "removed":
                        assert flip.attributions == tuple(drop)
        assert not listed, f"flips of origins that do not vote: {listed}"
    assert set(found) <= set(case.questions)


# ---- the acceptance case ------------------------------------------------------------------


def test_removing_the_outlet_hands_the_lead_to_the_party():
    (s,) = claimtrack.sensitivity(site_case())
    assert (s.question, s.leader, s.estimate) == ("site", "yard", Estimate.LIKELY)
    removed = {f.origin: f for f in s.flips if f.change == "removed"}
    assert removed["b0"].leader == "bldg"
    assert removed["b0"].attributions == (0,)
    assert s.fragile
    assert [(f.origin, f.change) for f in s.flips] == sorted((f.origin, f.change) for f in s.flips)


def test_grade_steps_go_both_ways_and_ungraded_counts_as_f():
    case = site_case()
    (s,) = claimtrack.sensitivity(case)
    changes = {(f.origin, f.change) for f in s.flips}
    assert ("b0", "grade B→A") in changes  # very likely then
    assert ("b0", "grade B→C") in changes  # a tie: yard still leads, at "unlikely"
    lone = Case(title="Lone")
    lone.add_source("u", "An ungraded outlet", "outlet")
    lone.add_question("q", "Did it?")
    lone.add_claim("c", "Something happened", question="q")
    lone.attribute("c", "u")
    (s,) = claimtrack.sensitivity(lone)
    assert {f.change for f in s.flips} <= {"removed", "grade F→E"}
    assert s.flips[0].change == "grade F→E"  # 60% likely → 25% unlikely


def test_only_questions_with_votes_and_those_asked():
    case = site_case()
    case.add_question("empty", "Nobody speaks to it?")
    case.add_claim("quiet", "Nothing", question="empty")
    case.add_claim("loose", "A claim without a question")
    case.attribute("loose", "b0")
    assert [s.question for s in claimtrack.sensitivity(case)] == ["site"]
    assert claimtrack.sensitivity(case, questions=["empty"]) == ()
    (s,) = claimtrack.sensitivity(case, grades=False)
    assert {f.change for f in s.flips} == {"removed"}
    with pytest.raises(ValueError, match="no question 'nope'"):
        claimtrack.sensitivity(case, questions=["nope"])


def test_a_spokesman_is_removed_with_his_body():
    case = Case(title="Voice")
    case.add_source("moh", "Ministry", "official-body", reliability="C")
    case.add_source("spox", "Its spokesman", "person", speaks_for=["moh"])
    case.add_source("w", "A wire", "news-agency", reliability="C")
    case.add_question("toll", "How many?")
    case.add_claim("high", "Many", question="toll")
    case.add_claim("low", "Few", question="toll")
    case.attribute("high", "moh")
    case.attribute("high", "spox")
    case.attribute("low", "w")
    case.attribute("low", "moh", "denies")
    (s,) = claimtrack.sensitivity(case)
    flip = next(f for f in s.flips if f.origin == "moh" and f.change == "removed")
    assert flip.attributions == (0, 1, 3)
    check_exhaustively(case, Settings())


def test_learned_mode_assesses_the_whole_case():
    case = site_case()
    (s,) = claimtrack.sensitivity(case, Settings(learn=True))
    assert s.leader == verdict(case.assess(Settings(learn=True)), case.claims_of("site"))[0]
    check_exhaustively(case, Settings(learn=True))


# ---- properties ---------------------------------------------------------------------------


@_FAST
@given(recipe=recipes(max_said=8), merge=st.booleans())
def test_flips_are_real_and_none_is_missing(recipe, merge):
    """On generated recipes, checked against the whole case assessed after each change."""
    check_exhaustively(recipe.build(), Settings(merge_echoes=merge))


@_FAST
@given(case=cases(max_attributions=8))
def test_flips_hold_with_who_stands_behind(case):
    """Spokespeople, shared evidence, parties, blame and walk-backs: the question alone is enough."""
    check_exhaustively(case, Settings())


@settings(max_examples=15, deadline=None)
@given(recipe=recipes(max_questions=6, max_claims=12, max_sources=6, max_said=20))
def test_many_questions_assessed_in_rounds(recipe):
    """Larger cases: the rounds that hold many questions at once give each its own verdict."""
    check_exhaustively(recipe.build(), Settings())


# ---- the report ---------------------------------------------------------------------------


def agreed(n):
    """A question whose one answer *n* sources graded B assert."""
    case = Case(title="Agreed")
    case.add_question("q", "Did it happen?")
    case.add_claim("yes", "It happened", question="q")
    for i in range(n):
        case.add_source(f"s{i}", f"Source {i}", "outlet", reliability="B")
        case.attribute("yes", f"s{i}")
    return case


def test_report_marks_a_leader_that_rests_on_one_origin():
    from claimtrack.report import Report

    report = Report(site_case())
    (section,) = report.content.sections
    assert [a.fragile for a in section.answers] == [True, False]
    assert "A1 · △ rests on one origin" in report.to_text(100)
    assert "△ rests on one origin" in report.to_markdown()
    assert "rests on one origin" in report.to_html(100)


def test_report_leaves_a_sturdy_leader_unmarked():
    from claimtrack.report import Report

    (s,) = claimtrack.sensitivity(agreed(4))
    assert not s.fragile
    report = Report(agreed(4), legend=False)
    assert "rests on one origin" not in report.to_text(100)
    assert "rests on one origin" not in report.to_markdown()
    # one fewer of three moves the word (95% → 91%), not the leader: not fragile
    assert not Report(agreed(3)).content.sections[0].answers[0].fragile


def test_report_marks_with_its_own_settings_only(monkeypatch):
    from claimtrack.report import Report, _content

    case = site_case()
    other = Settings(accuracy=claimtrack.Accuracy(B=0.9))
    # assessments made with other settings than the report's: no mark rather than a wrong one
    assert not Report(case, case.assess(other)).content.sections[0].answers[0].fragile
    assert Report(case, case.assess(other), settings=other).content.sections[0].answers[0].fragile
    monkeypatch.setattr(_content, "FRAGILE_LIMIT", 0)
    assert not Report(case).content.sections[0].answers[0].fragile


# ---- the command line -----------------------------------------------------------------------


def test_cli_json_lists_the_flip(tmp_path, capsys):
    from claimtrack.cli import main

    path = tmp_path / "site.yaml"
    site_case().save(path)
    assert main(["assess", str(path), "--format", "json", "--sensitivity"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "assessments" in data
    (entry,) = data["sensitivity"]
    assert (entry["question"], entry["leader"]) == ("site", "yard")
    flip = next(f for f in entry["flips"] if f["origin"] == "b0" and f["change"] == "removed")
    assert flip == {
        "origin": "b0",
        "change": "removed",
        "leader": "bldg",
        "probability": 0.65,
        "estimate": "likely",
    }
    assert main(["assess", str(path), "--format", "json"]) == 0
    assert "sensitivity" not in json.loads(capsys.readouterr().out)


def test_cli_table_and_refusals(tmp_path, capsys):
    from claimtrack.cli import main

    path = tmp_path / "site.yaml"
    site_case().save(path)
    assert main(["assess", str(path), "--sensitivity"]) == 0
    out = capsys.readouterr().out
    assert "What the verdicts rest on" in out
    assert "b0" in out
    assert "removed" in out
    assert main(["assess", str(path), "--format", "csv", "--sensitivity"]) == 2
    assert "--sensitivity" in capsys.readouterr().err


def test_cli_table_keeps_hostile_names_inert(tmp_path, capsys):
    from claimtrack.cli import main

    case = site_case()
    case.replace(attrs.evolve(case.sources["b0"], name="[bold]Wire\x1b[31m\u202e"))
    path = tmp_path / "hostile.yaml"
    case.save(path)
    assert main(["assess", str(path), "--sensitivity"]) == 0
    out = capsys.readouterr().out
    assert "[bold]Wire" in out
    assert "\x1b" not in out
    assert "\u202e" not in out
