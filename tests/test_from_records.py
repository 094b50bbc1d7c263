"""Case.from_records and Case.from_dataframes: the bulk builders, checked as a file is.

Rows of fields (or records, or DataFrames) build the case loading the same data from a
file builds, and bad rows are refused with the problems, places and messages loading the
same data from a file reports.
"""

from __future__ import annotations

import copy
import datetime as dt
import json

from typing import Any

import pytest

from hypothesis import HealthCheck, given, settings
from tests.strategies import cases

import claimtrack

from claimtrack import Case, CaseError, IntegrityError
from claimtrack.files._reading import case_to_data
from claimtrack.files._rows import FIELDS, SECTIONS
from claimtrack.model._case import RecordError


PROPERTY = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EXAMPLE = "examples/iraq-2024/case.yaml"


def rows_of_data(data: dict[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    """The rows a case file's *data* holds, by section: every field of each record, in order."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    for section, cls in SECTIONS.items():
        found = data.get(section)
        if not found:
            continue
        items = [{"id": k, **v} for k, v in found.items()] if isinstance(found, dict) else found
        out[section] = [tuple(item.get(n) for n in FIELDS[cls]) for item in items]
    return out


def rows_of_case(case: Case) -> dict[str, list[tuple[Any, ...]]]:
    """The records of *case* as rows of their own values (members, dates, counts)."""
    tables = {
        "sources": case.sources.values(),
        "documents": case.documents.values(),
        "evidence": case.evidence.values(),
        "questions": case.questions.values(),
        "claims": case.claims.values(),
        "attributions": case.attributions,
        "relations": case.relations,
    }
    return {
        s: [tuple(getattr(r, n) for n in FIELDS[SECTIONS[s]]) for r in records]
        for s, records in tables.items()
    }


def _problems(error: CaseError) -> list[tuple[str, str]]:
    return [(p.place, p.message) for p in error.problems]


def _from_file(data: dict[str, Any]) -> CaseError:
    with pytest.raises(CaseError) as caught:
        claimtrack.loads(json.dumps(data), "json")
    return caught.value


def _from_rows(data: dict[str, Any]) -> CaseError:
    with pytest.raises(CaseError) as caught:
        Case.from_records(
            title=data.get("title", "Untitled case"),
            description=data.get("description"),
            **rows_of_data(data),
        )
    assert isinstance(caught.value, RecordError | IntegrityError)
    return caught.value


# ---- the same case as the file loader ------------------------------------------------------


@pytest.fixture(name="example", scope="module")
def _example() -> Case:
    return claimtrack.load(EXAMPLE)


def test_rows_of_the_example_build_the_loaded_case(example):
    """The example's records as rows of file values build the case load() gives."""
    data = case_to_data(example)
    built = Case.from_records(
        title=data["title"], description=data.get("description"), **rows_of_data(data)
    )
    assert built == example


def test_rows_of_record_values_and_records_build_the_same(example):
    """Rows of the records' own values, and the records themselves in any order, build it too."""
    rows = rows_of_case(example)
    assert (
        Case.from_records(title=example.title, description=example.description, **rows) == example
    )
    records = [r for section in reversed(list(rows)) for r in _records(example, section)]
    assert (
        Case.from_records(records, title=example.title, description=example.description) == example
    )


def _records(case: Case, section: str) -> list[object]:
    table = getattr(case, section)
    return list(table.values() if hasattr(table, "values") else table)


def test_trailing_fields_may_be_left_out():
    """A row may stop after its required fields; None and an empty list are no value."""
    case = Case.from_records(
        sources=[("s", "S", "person"), ("o", "O", "outlet", "B", None, [])],
        claims=[("c", "C")],
        attributions=[("c", "s"), ("c", "s", "denies", None, ["o"], None)],
    )
    assert case.attributions[0] == claimtrack.Attribution("c", "s")
    assert case.attributions[1].via == ("o",)
    assert case.sources["o"].reliability is claimtrack.Reliability.B


def test_lists_in_rows_are_read_and_not_kept():
    """Lists of ids and texts, as a DataFrame's cells hold them, become the records' tuples.

    The caller's lists are not kept: changing one after does not change the case.
    """
    via, tags, aliases = ["o"], ["casualties"], ["Outlet O"]
    case = Case.from_records(
        sources=[("s", "S", "person"), ("o", "O", "outlet", "B", None, aliases)],
        claims=[("c", "C", None, None, None, [], ["s"], tags)],
        attributions=[("c", "s", "asserts", None, via), ("c", "o", "asserts", None, [])],
    )
    via.append("s")
    tags.clear()
    aliases.append("O2")
    assert case.attributions[0].via == ("o",)
    assert case.attributions[1].via == ()
    assert case.claims["c"].tags == ("casualties",)
    assert case.claims["c"].blames == ("s",)
    assert case.claims["c"].about == ()
    assert case.sources["o"].aliases == ("Outlet O",)


def test_unchecked_records_are_stored_as_given():
    """check=False keeps the loaders' old way: records stored without a check."""
    case = Case.from_records([claimtrack.Attribution("ghost", "nobody")], check=False)
    assert len(case.attributions) == 1
    with pytest.raises(IntegrityError):
        Case.from_records([claimtrack.Attribution("ghost", "nobody")])


@PROPERTY
@given(cases())
def test_rows_build_what_the_file_builds(case: Case) -> None:
    data = case_to_data(case)
    loaded = claimtrack.loads(json.dumps(data), "json")
    rows = rows_of_data(copy.deepcopy(data))
    assert (
        Case.from_records(title=data["title"], description=data.get("description"), **rows)
        == loaded
    )
    assert (
        Case.from_records(title=case.title, description=case.description, **rows_of_case(case))
        == case
    )


# ---- the same errors as the file loader ----------------------------------------------------

SMALL: dict[str, Any] = {
    "claimtrack": 1,
    "title": "Small",
    "sources": {
        "agency": {"name": "Agency", "kind": "news-agency", "reliability": "B"},
        "ministry": {"name": "Ministry", "kind": "government"},
    },
    "documents": {
        "doc": {"publisher": "agency", "title": "Report", "published": "2024-02-10"},
    },
    "questions": {"q": {"text": "How many?"}},
    "claims": {
        "c1": {"text": "Five", "question": "q", "value": {"exactly": 5}},
        "c2": {"text": "Ten", "question": "q"},
    },
    "attributions": [
        {"claim": "c1", "source": "ministry", "document": "doc", "via": ["agency"]},
        {"claim": "c2", "source": "agency", "stance": "denies", "id": "a1"},
    ],
    "relations": [{"kind": "contradicts", "claims": ["c1", "c2"]}],
}

BAD: list[tuple[str, Any, str, Any]] = [
    # unknown references
    ("attributions", 0, "source", "ministri"),
    ("attributions", 1, "claim", "c3"),
    ("attributions", 0, "via", ["agencie"]),
    ("documents", "doc", "publisher", "agncy"),
    ("claims", "c1", "question", "q2"),
    ("relations", 0, "claims", ["c1", "c9"]),
    # bad enums
    ("sources", "agency", "kind", "newspaper"),
    ("sources", "agency", "reliability", "G"),
    ("attributions", 0, "stance", "assert"),
    ("attributions", 0, "mode", "anon"),
    ("attributions", 1, "hedge", "probably"),
    ("attributions", 1, "credibility", 7),
    ("relations", 0, "kind", "contradict"),
    # bad dates
    ("documents", "doc", "published", "2024-13"),
    ("documents", "doc", "published", 2024),
    ("attributions", 0, "said", "2024/01/02"),
    ("attributions", 0, "said", "2024-03-01"),  # after the document was published
    ("claims", "c2", "when", "2024-02-30"),
    # other shapes
    ("claims", "c1", "value", {"exactly": "5"}),
    ("sources", "agency", "name", 5),
    ("attributions", 0, "in_own_name", "yes"),
    ("attributions", 0, "prefix", "before"),
    ("attributions", 0, "withdraws", "a1"),
]


@pytest.mark.parametrize(("section", "key", "field", "value"), BAD)
def test_bad_rows_give_the_files_problems(section, key, field, value):
    data = copy.deepcopy(SMALL)
    data[section][key][field] = value
    from_file = _from_file(data)
    from_rows = _from_rows(data)
    assert _problems(from_rows) == _problems(from_file)
    assert type(from_rows) is (IntegrityError if type(from_file) is IntegrityError else RecordError)


def test_an_attribution_id_given_twice_is_the_files_problem():
    data = copy.deepcopy(SMALL)
    data["attributions"][0]["id"] = "a1"
    assert _problems(_from_rows(data)) == _problems(_from_file(data))


def test_a_keyed_id_given_twice_is_refused_as_the_builders_refuse_it():
    """A file cannot hold a key twice; rows can, and are refused at the id, as add_source words it."""
    rows = [("s", "S", "person"), ("t", "T", "person"), ("s", "S again", "person")]
    with pytest.raises(IntegrityError) as caught:
        Case.from_records(sources=rows)
    case = Case()
    case.add_source("s", "S", "person")
    with pytest.raises(IntegrityError) as direct:
        case.add_source("s", "S again", "person")
    assert _problems(caught.value) == _problems(direct.value)


def test_a_row_too_long_or_not_a_row_is_refused_at_its_place():
    with pytest.raises(RecordError) as caught:
        Case.from_records(
            sources=[("s", "S", "person", None, None, (), (), (), (), None, "extra")],
            attributions=["c"],
        )
    assert _problems(caught.value) == [
        (
            "sources.s",
            (
                "a row of a source holds at most 10 fields (id, name, kind, reliability, role, "
                "aliases, speaks_for, member_of, part_of, notes); got 11"
            ),
        ),
        (
            "attributions[0]",
            "expected the fields of an attribution as a tuple, or the record itself; got text ('c')",
        ),
    ]


def test_a_row_missing_a_required_field_is_the_files_problem():
    data = copy.deepcopy(SMALL)
    del data["sources"]["agency"]["kind"]
    with pytest.raises(RecordError) as caught:
        Case.from_records(
            sources=[("agency", "Agency")], claims=[("c", "C")], attributions=[("c", "agency")]
        )
    assert ("sources.agency.kind", "required field 'kind' is missing") in _problems(caught.value)
    assert ("sources.agency.kind", "required field 'kind' is missing") in _problems(
        _from_file(data)
    )


def test_something_not_a_record_is_refused():
    with pytest.raises(RecordError, match="a case holds sources"):
        Case.from_records(["not a record"])


# ---- DataFrames ------------------------------------------------------------------------------


def _frames(case: Case) -> dict[str, Any]:
    kinds = ("sources", "documents", "evidence", "questions", "claims", "attributions", "relations")
    return {k: case.to_dataframe(k) for k in kinds}


def test_the_examples_frames_come_back(example):
    """Every frame to_dataframe writes of the example reads back into the same case."""
    assert not any(a.prefix or a.suffix for a in example.attributions)
    frames = _frames(example)
    assert (
        Case.from_dataframes(title=example.title, description=example.description, **frames)
        == example
    )


@PROPERTY
@given(cases(who=False))
def test_frames_round_trip(case: Case) -> None:
    """What to_dataframe keeps comes back: cases with no context around quotes, no dated ties."""
    frames = _frames(case)
    plain_ties = all(
        a.start is None and a.end is None
        for s in case.sources.values()
        for _, a in s.affiliations()
    )
    about = any(c.value is not None and c.value.form == "about" for c in case.claims.values())
    context = any(a.prefix or a.suffix for a in case.attributions)
    spaced = any(any(t != t.strip() or " " in t for t in c.tags) for c in case.claims.values())
    spaced |= any("; " in a or a != a.strip() for s in case.sources.values() for a in s.aliases)
    # a time with an offset comes back as the same instant in UTC, equal but not the same value
    moments = [d.published for d in case.documents.values()]
    moments += [d.retrieved for d in case.documents.values()]
    moments += [c.when for c in case.claims.values()] + [a.said for a in case.attributions]
    moments += [e.first_seen for e in case.evidence.values()]
    timed = any(isinstance(m, dt.datetime) for m in moments)
    if plain_ties and not about and not context and not spaced and not timed:
        back = Case.from_dataframes(title=case.title, description=case.description, **frames)
        assert back == case


def test_frames_of_field_columns():
    import pandas as pd

    sources = pd.DataFrame({"id": ["s", "o"], "name": ["S", "O"], "kind": ["person", "outlet"]})
    claims = pd.DataFrame({"id": ["c"], "text": ["C"], "value": [{"exactly": 4}]})
    attributions = pd.DataFrame(
        {
            "claim": ["c", "c"],
            "source": ["s", "o"],
            "via": [["o"], None],
            "credibility": pd.array([2, None], dtype="Int64"),
            "said": [pd.Timestamp("2024-01-02T10:00"), pd.NaT],
        }
    )
    case = Case.from_dataframes(sources=sources, claims=claims, attributions=attributions)
    first, second = case.attributions
    assert first.via == ("o",)
    assert first.credibility is claimtrack.Credibility(2)
    assert second.credibility is None
    assert second.said is None
    assert case.claims["c"].value == claimtrack.Count.exactly(4)


def test_an_unknown_column_is_named():
    import pandas as pd

    sources = pd.DataFrame({"id": ["s"], "name": ["S"], "knd": ["person"]})
    with pytest.raises(RecordError) as caught:
        Case.from_dataframes(sources=sources)
    assert _problems(caught.value) == [("sources", "unknown column 'knd' (did you mean 'kind'?)")]


def test_frames_refuse_as_rows_refuse():
    import pandas as pd

    sources = pd.DataFrame({"id": ["s"], "name": ["S"], "kind": ["person"]})
    attributions = pd.DataFrame({"claim": ["c"], "source": ["s"]})
    with pytest.raises(IntegrityError) as caught:
        Case.from_dataframes(sources=sources, attributions=attributions)
    assert caught.value.place == "attributions[0].claim"


@pytest.mark.usefixtures("without_pandas")
def test_without_pandas_the_error_names_the_extra():
    with pytest.raises(ModuleNotFoundError, match=r'pip install "claimtrack\[pandas\]"'):
        Case.from_dataframes()
