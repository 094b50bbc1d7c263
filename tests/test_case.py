"""The Case's read-only views of its records."""

from __future__ import annotations

import json

import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

import claimtrack


def _case() -> claimtrack.Case:
    case = claimtrack.Case("views")
    case.add_source("s", "S", "outlet")
    case.add_claim("a", "A")
    case.add_claim("b", "B")
    case.attribute("a", "s")
    return case


def test_attributions_are_one_copy_until_one_is_added():
    """Reading `attributions` in a loop costs nothing; an attribution added shows at once."""
    case = _case()
    first = case.attributions
    assert case.attributions is first
    added = case.attribute("b", "s", "denies")
    assert case.attributions == (*first, added)
    assert case.attributions is case.attributions


def test_relations_are_one_copy_until_one_is_added():
    """The same holds for relations."""
    case = _case()
    assert case.relations == ()
    rel = case.relate("contradicts", "a", "b")
    assert case.relations == (rel,)
    assert case.relations is case.relations


def test_the_views_cannot_change_the_case():
    """The views are tuples: a caller cannot slip a record past the checks through them."""
    case = _case()
    assert isinstance(case.attributions, tuple)
    assert isinstance(case.relations, tuple)


def test_the_evidence_view_cannot_change_the_case():
    """Evidence is read through a read-only mapping, as sources are; add_evidence adds to it."""
    case = _case()
    assert dict(case.evidence) == {}
    item = case.add_evidence("v", "video", "A livestream")
    assert case.evidence == {"v": item}
    try:
        case.evidence["w"] = item  # type: ignore[index]
    except TypeError:
        pass
    else:
        raise AssertionError("the evidence view took a record past the checks")
    assert list(case.evidence) == ["v"]


def test_builders_take_what_a_file_takes():
    """Words for enums, a mapping for a count, ISO text for dates, records for ids."""
    case = claimtrack.Case(title="t")
    source = case.add_source("s", "S", "news-agency", reliability="A", aliases="Es")
    case.add_question("q", "How many?", parties=[source])
    claim = case.add_claim("c", "C", question="q", value={"at_most": 4}, when="2024")
    att = case.attribute(claim, source, "denies", mode="purported", credibility=3, hedge="likely")
    assert (source.kind, source.reliability, source.aliases) == ("news-agency", "A", ("Es",))
    assert claim.value is not None
    assert claim.value.high == 4
    assert (att.stance, att.mode, str(att.credibility), att.hedge) == (
        "denies",
        "purported",
        "3",
        "likely",
    )


_KNOWN = {
    "claimtrack": 1,
    "title": "References",
    "sources": {"s": {"name": "S", "kind": "outlet"}, "w": {"name": "W", "kind": "news-agency"}},
    "documents": {"d": {"publisher": "s", "title": "A story"}},
    "claims": {"c": {"text": "Something happened"}},
}


@pytest.mark.parametrize(
    ("field", "value", "place"),
    [
        ("claim", "nope", "attributions[1].claim"),
        ("source", "nope", "attributions[1].source"),
        ("document", "nope", "attributions[1].document"),
        ("via", ["w", "nope"], "attributions[1].via[1]"),
        ("via", ["w", "w"], "attributions[1].via"),
        ("via", ["s"], "attributions[1].via"),
    ],
)
def test_every_reference_of_an_attribution_is_checked(field, value, place, tmp_path):
    """An unknown or looping reference is an error at its place, from a file and from a check."""
    good = {"claim": "c", "source": "s", "document": "d"}
    data = {**_KNOWN, "attributions": [good, {**good, field: value}]}
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(claimtrack.CaseError) as e:
        claimtrack.load(path)
    assert [p.place for p in e.value.problems if p.is_error] == [place]
    case = claimtrack.load(path, validate=False)
    assert [p.place for p in case.validate() if p.is_error] == [place]


@settings(max_examples=60)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b"]),
            st.sampled_from(["s", "t"]),
            st.sampled_from(["asserts", "denies"]),
            st.sampled_from([None, "d"]),
            st.sampled_from([None, "words"]),
        ),
        max_size=12,
    )
)
def test_a_repeated_attribution_is_warned_of_at_each_repeat(drawn):
    """Each attribution equal to an earlier one, and only such, is warned of, naming the first.

    Records that share a claim, source and document but differ elsewhere (stance, quote)
    are not repeats.
    """
    case = claimtrack.Case("repeats")
    case.add_source("s", "S", "outlet")
    case.add_source("t", "T", "outlet")
    case.add_document("d", "s", "D")
    case.add_claim("a", "A")
    case.add_claim("b", "B")
    for claim, source, stance, document, quote in drawn:
        case.attribute(claim, source, stance, document=document, quote=quote)
    atts = case.attributions
    expected = [
        f"attributions[{i}]: repeats attributions[{atts.index(att)}] exactly"
        for i, att in enumerate(atts)
        if atts.index(att) != i
    ]
    got = [f"{p.place}: {p.message}" for p in case.validate() if "repeats" in p.message]
    assert got == expected
