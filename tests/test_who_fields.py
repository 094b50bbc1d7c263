"""Who stands behind a claim: evidence, parties, blame, ids, withdrawals, hedges, voices.

The case-file contract of these fields (the engine's rules on them are tested with the
engine): each reads and writes in YAML and JSON, builds in Python with the words a file
holds, and is checked as other references are, with the place of each problem.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys

from pathlib import Path
from typing import Any

import pytest
import yaml

from hypothesis import HealthCheck, given, settings

import claimtrack

from claimtrack import (
    Affiliation,
    Attribution,
    CaseFileError,
    Evidence,
    EvidenceKind,
    Hedge,
    IntegrityError,
    Stance,
)
from claimtrack.cli import main


sys.path.insert(0, str(Path(__file__).parent))  # tests/ is not a package; strategies.py sits here
from strategies import cases


REFERENCE = (Path(__file__).parent.parent / "docs" / "case-file.md").read_text()


def _data(**sections: Any) -> dict[str, Any]:
    """A case file's data: two sources, two claims of one question, and *sections*."""
    data: dict[str, Any] = {
        "claimtrack": 1,
        "title": "Who stands behind",
        "sources": {
            "moh": {"name": "Ministry", "kind": "official-body", "reliability": "C"},
            "spox": {"name": "Spokesman", "kind": "person", "speaks_for": "moh"},
            "wire": {"name": "Wire", "kind": "news-agency"},
        },
        "questions": {"who": {"text": "Who did it?"}},
        "claims": {
            "x": {"text": "X did it", "question": "who"},
            "y": {"text": "Y did it", "question": "who"},
        },
    }
    data.update(sections)
    return data


def _problems(data: dict[str, Any]) -> list[claimtrack.Problem]:
    """Every problem of *data* read as a JSON case file: those loading raises, or else validate's."""
    try:
        case = claimtrack.loads(json.dumps(data), "json")
    except claimtrack.CaseError as e:
        return list(e.problems)
    return case.validate(texts=False)


def _one(data: dict[str, Any]) -> claimtrack.Problem:
    (problem,) = _problems(data)
    return problem


# ---- the records ----------------------------------------------------------------------------


class TestRecords:
    def test_hedge_values_and_names(self):
        """Hedge holds the ICD 203 words and confidence levels, by these names and values."""
        assert [(h.name, h.value) for h in Hedge] == [
            ("ALMOST_CERTAIN", "almost certain"),
            ("VERY_LIKELY", "very likely"),
            ("LIKELY", "likely"),
            ("ROUGHLY_EVEN_CHANCE", "roughly even chance"),
            ("UNLIKELY", "unlikely"),
            ("VERY_UNLIKELY", "very unlikely"),
            ("ALMOST_NO_CHANCE", "almost no chance"),
            ("HIGH_CONFIDENCE", "high confidence"),
            ("MODERATE_CONFIDENCE", "moderate confidence"),
            ("LOW_CONFIDENCE", "low confidence"),
        ]

    def test_evidence_kinds(self):
        """EvidenceKind holds the sorts of artefact a case file may name."""
        assert [k.value for k in EvidenceKind] == [
            "video",
            "image",
            "audio",
            "document",
            "intelligence",
            "testimony",
            "physical",
            "data",
            "other",
        ]

    def test_evidence_converts_and_validates(self):
        """An item takes its kind and date as text, and refuses a blank description or a bad id."""
        item = Evidence("v", "video", "A livestream", first_seen="2023-10-17T19:00:00+03:00")
        assert item.kind is EvidenceKind.VIDEO
        assert item.first_seen == dt.datetime(
            2023, 10, 17, 19, tzinfo=dt.timezone(dt.timedelta(hours=3))
        )
        with pytest.raises(ValueError, match="'description' must be non-empty text"):
            Evidence("v", "video", " ")
        with pytest.raises(ValueError, match="'id' must be an id"):
            Evidence("a b", "video", "x")
        with pytest.raises(ValueError, match="'vid' is not a valid EvidenceKind"):
            Evidence("v", "vid", "x")

    def test_attribution_fields_and_defaults(self):
        """The new fields come after notes, in this order, each with a default that changes nothing."""
        names = [f.name for f in claimtrack.Attribution.__attrs_attrs__]
        assert names[11:] == [
            "notes",
            "id",
            "based_on",
            "withdraws",
            "hedge",
            "in_own_name",
            "against_interest",
        ]
        att = Attribution("c", "s")
        assert (att.id, att.based_on, att.withdraws, att.hedge) == (None, (), None, None)
        assert (att.in_own_name, att.against_interest) == (False, False)
        q = [f.name for f in claimtrack.Question.__attrs_attrs__]
        assert q == ["id", "text", "exclusive", "parties", "notes"]
        c = [f.name for f in claimtrack.Claim.__attrs_attrs__]
        assert c[5:7] == ["about", "blames"]

    def test_attribution_field_checks(self):
        """Ids are ids, flags are true or false, a hedge is one of the words, evidence given as records counts by id."""
        item = Evidence("v", "video", "x")
        assert Attribution("c", "s", based_on="v").based_on == ("v",)
        assert Attribution("c", "s", based_on=[item, "w"]).based_on == ("v", "w")
        assert Attribution("c", "s", hedge="very likely").hedge is Hedge.VERY_LIKELY
        with pytest.raises(ValueError, match="'very likley' is not a valid Hedge"):
            Attribution("c", "s", hedge="very likley")
        with pytest.raises(TypeError, match="'in_own_name' must be <class 'bool'>"):
            Attribution("c", "s", in_own_name=1)
        with pytest.raises(TypeError, match="'against_interest' must be <class 'bool'>"):
            Attribution("c", "s", against_interest="yes")
        with pytest.raises(ValueError, match="'id' must be an id"):
            Attribution("c", "s", id="a b")
        with pytest.raises(ValueError, match="'based_on' must hold ids"):
            Attribution("c", "s", based_on=["a b"])

    def test_withdraws_only_on_a_retraction(self):
        """A ``withdraws`` beside any stance but ``retracts`` is refused, with the reason."""
        assert Attribution("c", "s", "retracts", withdraws="a").withdraws == "a"
        for stance in ("asserts", "denies", "doubts"):
            with pytest.raises(ValueError, match="so it needs stance 'retracts'"):
                Attribution("c", "s", stance, withdraws="a")
        # the fast constructors refuse it as __init__ does
        row = (
            *("c", "s", Stance.ASSERTS, None, (), None, None, None, None),
            claimtrack.Mode.ON_RECORD,
        )
        row = (*row, None, None, None, (), "a", None, False, False)
        with pytest.raises(ValueError, match="so it needs stance 'retracts'"):
            Attribution.many([row])
        with pytest.raises(ValueError, match="so it needs stance 'retracts'"):
            Attribution.columns(*[[v] for v in row])
        ok = (*row[:2], Stance.RETRACTS, *row[3:])
        assert Attribution.columns(*[[v] for v in ok]) == [
            Attribution("c", "s", "retracts", withdraws="a")
        ]


# ---- building -------------------------------------------------------------------------------


def _built() -> claimtrack.Case:
    case = claimtrack.Case(title="Built")
    case.add_source("moh", "Ministry", "official-body", reliability="C")
    case.add_source("spox", "Spokesman", "person", speaks_for="moh")
    case.add_source("army", "Army", "military")
    case.add_document("d", "moh", "Briefing", published="2024-01-10")
    case.add_evidence("video", "video", "A livestream", first_seen="2024-01-09")
    case.add_question("who", "Who did it?", parties=["army", "moh"])
    case.add_claim("x", "The army did it", question="who", blames=["army"])
    return case


class TestBuilders:
    def test_builders_take_the_words_of_a_file(self):
        """add_evidence and attribute take kinds, hedges and ids as a case file writes them."""
        case = _built()
        assert case.evidence["video"].kind is EvidenceKind.VIDEO
        assert case.evidence["video"].first_seen == dt.date(2024, 1, 9)
        first = case.attribute(
            "x",
            "spox",
            document="d",
            id="s-1",
            based_on=["video"],
            hedge="likely",
            in_own_name=True,
        )
        assert first.hedge is Hedge.LIKELY
        back = case.attribute("x", "moh", "retracts", document="d", withdraws=first)
        assert back.withdraws == "s-1"
        assert case.attribute("x", "army", against_interest=True).against_interest
        assert case.questions["who"].parties == ("army", "moh")
        assert case.claims["x"].blames == ("army",)
        assert isinstance(case.evidence, type(case.sources))  # read-only, as the others

    def test_replace_and_equality_carry_evidence(self):
        """Evidence is part of what a case is: replaced by id, compared, shown in the repr."""
        case = _built()
        other = _built()
        assert case == other
        case.replace(Evidence("video", "image", "A still"))
        assert case != other
        assert "1 items of evidence" in repr(case)
        with pytest.raises(
            IntegrityError,
            match="no item of evidence 'nope' to replace",
        ):
            case.replace(Evidence("nope", "image", "A still"))
        with pytest.raises(
            IntegrityError, match="the id 'video' is taken by another item of evidence"
        ):
            case.add_evidence("video", "video", "Again")

    def test_positional_fields_keep_their_places(self):
        """Case(title, description, sources, ..., text_dirs, path) still builds as before, evidence last."""
        case = _built()
        copy = claimtrack.Case(
            case.title,
            case.description,
            dict(case.sources),
            dict(case.documents),
            dict(case.questions),
            dict(case.claims),
            list(case.attributions),
            list(case.relations),
            case.text_dirs,
            case.path,
            dict(case.evidence),
        )
        assert copy == case
        assert claimtrack.Case(case.title, evidence=dict(case.evidence)).evidence == case.evidence

    def test_the_case_pickles_with_its_evidence(self):
        """A pickled case comes back whole, evidence and all."""
        import pickle

        case = _built()
        case.attribute("x", "spox", based_on=["video"])
        assert pickle.loads(pickle.dumps(case)) == case  # noqa: S301 - our own bytes

    @pytest.mark.parametrize(
        ("fields", "place", "message"),
        [
            ({"based_on": ["vidoe"]}, "attributions[0].based_on[0]", "no evidence 'vidoe' (did you mean 'video'?)"),
            ({"hedge": "unlikely"}, "attributions[0].hedge", "record the opposite stance with the mirrored word ('likely')"),
            ({"stance": "retracts", "withdraws": "nothing"}, "attributions[0].withdraws", "no attribution has the id 'nothing'"),
        ],
    )  # fmt: skip
    def test_builders_refuse_what_a_file_may_not_hold(self, fields, place, message):
        """attribute refuses an attribution with these errors, and records nothing."""
        case = _built()
        stance = fields.pop("stance", "asserts")
        with pytest.raises(IntegrityError) as e:
            case.attribute("x", "spox", stance, **fields)
        assert e.value.place == place
        assert message in e.value.message
        assert case.attributions == ()

    def test_a_builder_withdraws_only_what_was_added(self):
        """A retraction names an attribution added before it; ids are not given twice."""
        case = _built()
        with pytest.raises(IntegrityError, match="no attribution has the id 's-1'"):
            case.attribute("x", "moh", "retracts", withdraws="s-1")
        case.attribute("x", "spox", id="s-1")
        case.attribute("x", "moh", "retracts", withdraws="s-1")
        with pytest.raises(
            IntegrityError, match=re.escape("the id 's-1' is taken by attributions[0]")
        ):
            case.attribute("x", "wire", id="s-1")
        with pytest.raises(IntegrityError, match="cannot withdraw itself"):
            case.attribute("x", "moh", "retracts", id="s-2", withdraws="s-2")

    def test_builders_refuse_unknown_parties_and_blame(self):
        """A party or a blamed source the case lacks is refused, with its place and a suggestion."""
        case = _built()
        with pytest.raises(IntegrityError) as e:
            case.add_question("q2", "Q?", parties=["army", "amry"])
        assert e.value.place == "questions.q2.parties[1]"
        assert "unknown source 'amry' (did you mean 'army'?)" in e.value.message
        with pytest.raises(IntegrityError) as e:
            case.add_claim("c2", "C", blames=["mho"])
        assert e.value.place == "claims.c2.blames[0]"


# ---- the case file --------------------------------------------------------------------------


_FULL = _data(
    documents={"d": {"publisher": "moh", "title": "Briefing", "published": "2024-01-10"}},
    evidence={
        "video": {"kind": "video", "description": "A livestream", "first_seen": "2024-01-09"},
        "memo": {"kind": "document", "description": "A leaked memo", "notes": "unverified"},
    },
    attributions=[
        {"claim": "x", "source": "moh", "stance": "retracts", "withdraws": "s-1", "document": "d"},
        {
            "claim": "x",
            "source": "spox",
            "id": "s-1",
            "based_on": ["video", "memo"],
            "hedge": "roughly even chance",
            "document": "d",
        },
        {"claim": "y", "source": "wire", "in_own_name": False, "against_interest": True},
        {"claim": "y", "source": "spox", "hedge": "high confidence", "based_on": "video"},
    ],
)
_FULL["questions"]["who"]["parties"] = ["moh", "wire"]
_FULL["claims"]["x"]["blames"] = "wire"


class TestFiles:
    @pytest.mark.parametrize("fmt", ["yaml", "json"])
    def test_round_trip(self, fmt):
        """Every new field reads, writes and reads back the same, a forward withdrawal too."""
        case = claimtrack.loads(json.dumps(_FULL), "json")
        text = claimtrack.dumps(case, fmt)
        again = claimtrack.loads(text, fmt)
        assert again == case
        assert claimtrack.dumps(again, fmt) == text
        assert case.attributions[0].withdraws == "s-1"
        assert case.attributions[1].based_on == ("video", "memo")
        assert case.attributions[1].hedge is Hedge.ROUGHLY_EVEN_CHANCE
        assert case.attributions[3].based_on == ("video",)
        assert case.claims["x"].blames == ("wire",)
        assert case.questions["who"].parties == ("moh", "wire")

    def test_dumps_keep_a_stable_order_and_omit_defaults(self):
        """Evidence follows documents; an attribution's id is written, defaults are not."""
        data = yaml.safe_load(claimtrack.dumps(claimtrack.loads(json.dumps(_FULL), "json")))
        assert list(data) == [
            "claimtrack",
            "title",
            "sources",
            "documents",
            "evidence",
            "questions",
            "claims",
            "attributions",
            "relations",
        ]
        assert data["evidence"]["memo"] == {
            "kind": "document",
            "description": "A leaked memo",
            "notes": "unverified",
        }
        assert data["attributions"][1] == {
            "claim": "x",
            "source": "spox",
            "document": "d",
            "id": "s-1",
            "based_on": ["video", "memo"],
            "hedge": "roughly even chance",
        }
        assert data["attributions"][2] == {"claim": "y", "source": "wire", "against_interest": True}

    def test_a_case_without_evidence_is_written_as_before(self):
        """No evidence, no section: files of cases that do not use it do not change."""
        case = claimtrack.loads(json.dumps(_data()), "json")
        assert "evidence" not in claimtrack.dumps(case)
        assert "evidence" not in claimtrack.dumps(case, "json")

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(case=cases(max_attributions=8))
    def test_generated_cases_round_trip(self, case):
        """Any valid case with who stands behind it reads back equal, in either format."""
        for fmt in ("yaml", "json"):
            assert claimtrack.loads(claimtrack.dumps(case, fmt), fmt) == case

    @pytest.mark.parametrize("fmt", ["yaml", "json"])
    def test_a_misspelt_hedge(self, fmt):
        """A misspelt hedge names the place, the accepted words (quoted, for their spaces) and the nearest."""
        data = _data(attributions=[{"claim": "x", "source": "wire", "hedge": "very likley"}])
        text = json.dumps(data) if fmt == "json" else yaml.safe_dump(data)
        with pytest.raises(CaseFileError) as e:
            claimtrack.loads(text, fmt)
        assert e.value.place == "attributions[0].hedge"
        assert "did you mean 'very likely'?" in e.value.message
        assert "'roughly even chance', 'unlikely'" in e.value.message

    @pytest.mark.parametrize(
        ("change", "place", "message"),
        [
            ({"evidence": {"v": {"kind": "vid", "description": "x"}}}, "evidence.v.kind", "did you mean 'video'?"),
            ({"evidence": {"v": {"kind": "video", "descripton": "x"}}}, "evidence.v.descripton", "unknown field 'descripton' (did you mean 'description'?)"),
            ({"evidence": {"v": "x"}}, "evidence.v", "expected the fields of an item of evidence"),
            ({"evidence": {"v": {"kind": "video", "description": "x", "id": "v"}}}, "evidence.v.id", "the id is the key above"),
            ({"evidense": {}}, "evidense", "unknown section 'evidense' (did you mean 'evidence'?)"),
            ({"attributions": [{"claim": "x", "source": "wire", "in_own_name": "yes"}]}, "attributions[0].in_own_name", "expected true or false"),
            ({"attributions": [{"claim": "x", "source": "wire", "withdraws": "a"}]}, "attributions[0].withdraws", "so it needs stance 'retracts'"),
            ({"attributions": [{"claim": "x", "source": "wire", "based_on": 5}]}, "attributions[0].based_on", "expected an id or a list of ids"),
            ({"attributions": [{"claim": "x", "source": "wire", "ids": "a"}]}, "attributions[0].ids", "(did you mean 'id'?)"),
        ],
    )  # fmt: skip
    def test_shape_errors(self, change, place, message):
        """A new field of the wrong shape is worded with its place, as every field is."""
        problems = _problems(_data(**change))
        assert any(p.place == place and message in p.message for p in problems), problems


# ---- integrity ------------------------------------------------------------------------------


_VIDEO = {"video": {"kind": "video", "description": "A livestream"}}


class TestIntegrity:
    def test_unknown_evidence(self):
        """An unknown item in based_on is an error at its place, with the id meant."""
        att = {"claim": "x", "source": "wire", "based_on": ["video", "no-such-video"]}
        problem = _one(_data(evidence=_VIDEO, attributions=[att]))
        assert (problem.place, problem.message) == (
            "attributions[0].based_on[1]",
            "no evidence 'no-such-video' (did you mean 'video'?)",
        )
        assert problem.is_error
        assert "based_on" in str(problem)
        assert "no-such-video" in str(problem)

    def test_unknown_parties_and_blame(self):
        """Parties and blamed sources must be sources of the case."""
        data = _data()
        data["questions"]["who"]["parties"] = ["moh", "wier"]
        data["claims"]["x"]["blames"] = ["nobody"]
        problems = _problems(data)
        assert [(p.place, p.message) for p in problems] == [
            ("questions.who.parties[1]", "unknown source 'wier' (did you mean 'wire'?)"),
            ("claims.x.blames[0]", "unknown source 'nobody'"),
        ]

    def test_a_repeated_attribution_id(self):
        """Two attributions may not share an id; the error names the first."""
        atts = [
            {"claim": "x", "source": "wire", "id": "a"},
            {"claim": "y", "source": "wire", "id": "b"},
            {"claim": "y", "source": "moh", "id": "a"},
        ]
        problem = _one(_data(attributions=atts))
        assert (problem.place, problem.message) == (
            "attributions[2].id",
            "the id 'a' is taken by attributions[0]",
        )

    @pytest.mark.parametrize(
        ("withdrawn", "retraction", "message"),
        [
            ({"id": "said"}, {"withdraws": "sayd"}, "no attribution has the id 'sayd' (did you mean 'said'?)"),
            ({"id": "said", "claim": "y"}, {"withdraws": "said"}, "withdraws 'said', an attribution of claim 'y', not of claim 'x'"),
            ({"id": "said", "stance": "retracts"}, {"withdraws": "said"}, "withdraws 'said', itself a retraction"),
            ({}, {"id": "own", "withdraws": "own"}, "a retraction cannot withdraw itself ('own')"),
        ],
    )  # fmt: skip
    def test_withdrawals_that_cannot_be(self, withdrawn, retraction, message):
        """A withdrawal names another attribution of its claim that is not a retraction."""
        atts = [
            {"claim": "x", "source": "spox", **withdrawn},
            {"claim": "x", "source": "moh", "stance": "retracts", **retraction},
        ]
        problems = [p for p in _problems(_data(attributions=atts)) if p.is_error]
        assert [p.place for p in problems] == ["attributions[1].withdraws"]
        assert problems[0].message.startswith(message)
        assert "withdraws" in str(problems[0])

    def test_a_withdrawal_may_name_a_later_attribution(self):
        """In a file the order is free: a retraction may come before what it withdraws."""
        atts = [
            {"claim": "x", "source": "moh", "stance": "retracts", "withdraws": "said"},
            {"claim": "x", "source": "spox", "id": "said"},
        ]
        assert _problems(_data(attributions=atts)) == []

    def test_a_lone_retraction_is_still_warned_of(self):
        """A retraction with no earlier assertion warns, unless it withdraws a named attribution."""
        lone = [{"claim": "x", "source": "wire", "stance": "retracts"}]
        problem = _one(_data(attributions=lone))
        assert not problem.is_error
        assert "retracts claim 'x' without an earlier assertion of it" in problem.message
        named = [
            {"claim": "x", "source": "spox", "id": "said"},
            {"claim": "x", "source": "wire", "stance": "retracts", "withdraws": "said"},
        ]
        assert _problems(_data(attributions=named)) == []

    def test_check_strict_fails_a_lone_retraction(self, tmp_path, capsys):
        """``check --strict`` fails a retraction that withdraws nothing; one that names its target passes."""
        lone = tmp_path / "lone.json"
        lone.write_text(
            json.dumps(_data(attributions=[{"claim": "x", "source": "wire", "stance": "retracts"}]))
        )
        assert main(["check", str(lone)]) == 0
        assert main(["check", "--strict", str(lone)]) != 0
        named = tmp_path / "named.json"
        atts = [
            {"claim": "x", "source": "spox", "id": "said"},
            {"claim": "x", "source": "wire", "stance": "retracts", "withdraws": "said"},
        ]
        named.write_text(json.dumps(_data(attributions=atts)))
        assert main(["check", "--strict", str(named)]) == 0
        capsys.readouterr()

    @pytest.mark.parametrize(
        ("hedge", "mirror"),
        [
            ("unlikely", "likely"),
            ("very unlikely", "very likely"),
            ("almost no chance", "almost certain"),
        ],
    )
    @pytest.mark.parametrize("stance", ["asserts", "denies", "doubts", "retracts"])
    def test_a_hedge_below_even_chance(self, hedge, mirror, stance):
        """A hedge below even chance is an error on any stance, naming the mirrored word."""
        att = {"claim": "x", "source": "wire", "stance": stance, "hedge": hedge}
        problem = next(p for p in _problems(_data(attributions=[att])) if p.is_error)
        assert (problem.place, problem.message) == (
            "attributions[0].hedge",
            (
                f"hedge '{hedge}' says the speaker thinks its own stance is probably wrong; "
                f"record the opposite stance with the mirrored word ('{mirror}')"
            ),
        )

    @pytest.mark.parametrize("hedge", [h.value for h in Hedge][:4] + [h.value for h in Hedge][7:])
    def test_hedges_at_or_above_even_chance_are_fine(self, hedge):
        """Every other hedge is accepted."""
        assert (
            _problems(_data(attributions=[{"claim": "x", "source": "wire", "hedge": hedge}])) == []
        )

    def test_in_own_name_of_an_ungraded_voice_of_a_graded_body(self):
        """An ungraded spokesman speaking in his own name, for a graded body, is warned of."""
        att = {"claim": "x", "source": "spox", "in_own_name": True}
        problem = _one(_data(attributions=[att]))
        assert not problem.is_error
        assert (problem.place, problem.message) == (
            "attributions[0].in_own_name",
            (
                "'spox' speaks in its own name and has no grade; the body it speaks for, 'moh', "
                "is graded C — grade the person, or drop in_own_name to count it with its body"
            ),
        )
        data = _data(attributions=[att])
        data["sources"]["spox"]["reliability"] = "D"
        assert _problems(data) == []  # graded: the flag is the analyst's choice

    def test_in_own_name_of_a_voice_of_nobody(self):
        """in_own_name on a source that speaks for no body on that day changes nothing: a warning."""
        data = _data(
            documents={"d": {"publisher": "wire", "title": "T", "published": "2024-01-10"}},
            attributions=[
                {"claim": "x", "source": "wire", "in_own_name": True},
                {"claim": "x", "source": "spox", "in_own_name": True, "document": "d"},
            ],
        )
        data["sources"]["spox"]["speaks_for"] = {"source": "moh", "from": "2024-02-01"}
        problems = _problems(data)
        assert [(p.place, p.message, p.is_error) for p in problems] == [
            (
                "attributions[0].in_own_name",
                "'wire' speaks for no body at all, so in_own_name changes nothing",
                False,
            ),
            (
                "attributions[1].in_own_name",
                "'spox' speaks for no body on 2024-01-10, so in_own_name changes nothing",
                False,
            ),
        ]


# ---- who an attribution counts as -----------------------------------------------------------


def _voices() -> claimtrack.Case:
    case = claimtrack.Case(title="Voices")
    case.add_source("gov", "Government", "government", reliability="B")
    case.add_source("moh", "Ministry", "official-body", speaks_for="gov")
    case.add_source(
        "spox",
        "Spokesman",
        "person",
        speaks_for=[
            Affiliation("moh", start="2024-01-01", end="2024-06-30"),
            Affiliation("gov", start="2024-07-01"),
        ],
    )
    case.add_source("loner", "Loner", "person")
    case.add_document("d-may", "moh", "May", published="2024-05-01")
    case.add_document("d-old", "moh", "Old", published="2023-05-01")
    case.add_document("d-undated", "moh", "Undated")
    case.add_document("d-late", "moh", "Late", published="2024-09-01")
    case.add_claim("x", "X")
    return case


class TestSpeaksAs:
    @pytest.mark.parametrize(
        ("fields", "expected"),
        [
            ({"document": "d-may"}, "gov"),  # spox -> moh (May) -> gov
            ({"said": "2024-08-01T10:00:00+02:00"}, "gov"),  # the second tie
            ({"said": "2023-01-01"}, "spox"),  # before either tie
            ({"document": "d-old"}, "spox"),
            ({"document": "d-undated"}, "gov"),  # no day: the first tie holds, then moh's
            ({}, "gov"),
            ({"said": "2024-05-01", "in_own_name": True}, "spox"),
            ({"document": "d-late"}, "gov"),
            ({"said": "2023-06-01", "document": "d-late"}, "spox"),  # its own day first
        ],
    )
    def test_ties_are_followed_on_the_day(self, fields, expected):
        """The first tie holding on the attribution's day is followed, transitively."""
        case = _voices()
        att = case.attribute("x", "spox", **fields)
        assert case.speaks_as(att) == expected
        assert case.speaks_as(len(case.attributions) - 1) == expected
        assert case.origin(att).id == expected
        assert case.speakers_as() == [expected]

    def test_a_tie_holds_on_its_first_and_last_day(self):
        """A dated tie holds from its start to its end, both days included."""
        case = _voices()
        for day, expected in [
            ("2023-12-31", "spox"),
            ("2024-01-01", "gov"),
            ("2024-06-30T23:59:00", "gov"),
            ("2024-07-01", "gov"),
        ]:
            assert case.speaks_as(case.attribute("x", "spox", said=day)) == expected
        assert case.speaks_for_at("spox", dt.date(2024, 3, 1)) == "moh"
        assert case.speaks_for_at("spox", dt.datetime(2024, 8, 1, 12, tzinfo=dt.UTC)) == "gov"
        assert case.speaks_for_at("spox", dt.date(2023, 1, 1)) is None
        assert case.speaks_for_at("spox", None) == "moh"
        assert case.speaks_for_at("loner", None) is None
        assert case.speaks_for_at("nobody", None) is None

    def test_nobody_is_followed_forever(self):
        """Unknown speakers stay themselves; a loop (an error already) stops where it closes."""
        case = claimtrack.Case(title="Loop")
        case.add_source("a", "A", "person")
        case.add_source("b", "B", "person", speaks_for="a")
        case._sources["a"] = claimtrack.Source("a", "A", "person", speaks_for="b")  # a loop
        case.add_claim("x", "X")
        att = Attribution("x", "a")
        assert case.speaks_as(att) == "b"
        assert case.speaks_as(Attribution("x", "b")) == "a"
        assert case.speaks_as(Attribution("x", "ghost")) == "ghost"

    def test_without_ties_speakers_are_sources(self):
        """With no source speaking for another, speakers_as is each speaker, in order."""
        case = claimtrack.Case(title="Plain")
        case.add_source("a", "A", "person")
        case.add_source("b", "B", "person", member_of="a")
        case.add_claim("x", "X")
        for s in "abab":
            case.attribute("x", s, in_own_name=s == "a")
        assert case.speakers_as() == list("abab")

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(case=cases(max_attributions=10))
    def test_speakers_as_is_speaks_as_for_each(self, case):
        """The bulk form gives, for every attribution, what speaks_as gives for it."""
        assert case.speakers_as() == [case.speaks_as(a) for a in case.attributions]
        assert [case.origin(i).id for i in range(len(case.attributions))] == case.speakers_as()


# ---- the reference --------------------------------------------------------------------------


class TestReference:
    def test_evidence_is_documented(self):
        """Each field of Evidence, and each kind, has its place in docs/case-file.md."""
        section = REFERENCE.split("\n## Evidence\n", 1)[1].split("\n## ", 1)[0]
        rows = set(re.findall(r"^\| `(\w+)` \|", section, re.MULTILINE))
        assert rows == {"kind", "description", "first_seen", "notes"}
        for kind in EvidenceKind:
            assert f"`{kind.value}`" in section

    def test_hedges_and_the_id_are_documented(self):
        """Every hedge, and an attribution's id, are in the Attribution section."""
        section = REFERENCE.split("\n## Attribution\n", 1)[1].split("\n## ", 1)[0]
        for hedge in Hedge:
            assert f"`{hedge.value}`" in section
        assert "**`id`**" in section

    def test_the_yaml_examples_are_yaml(self):
        """Every YAML block of the reference parses, each record of it into a known field."""
        known = {
            "evidence": {"kind", "description", "first_seen", "notes"},
            "questions": {"text", "exclusive", "parties", "notes"},
            "claims": {f.name for f in claimtrack.Claim.__attrs_attrs__} - {"id"},
            "attributions": {f.name for f in claimtrack.Attribution.__attrs_attrs__},
        }
        for block in re.findall(r"```yaml\n(.*?)```", REFERENCE, re.DOTALL):
            data = yaml.safe_load(block)
            for section, fields in known.items():
                records = data.get(section) or {}
                for record in records.values() if isinstance(records, dict) else records:
                    assert set(record) <= fields, (section, record)
