"""The bulk loader: every well-formed case takes it, and it refuses only through its signal.

A case built in bulk equals the one the detailed path builds, every record of it made by its
own constructor; a record field the loader does not read fails a test; and an error that is
not the loader's signal surfaces as the bug it is, rather than as a slow load.
"""

from __future__ import annotations

import json
import sys

from pathlib import Path

import attrs
import pytest

from hypothesis import HealthCheck, given, settings

import claimtrack

from claimtrack import CaseFileError
from claimtrack.files import _bulk
from claimtrack.files._bulk import FIELDS, build, quick_json
from claimtrack.files._case_files import _read_case, dumps
from claimtrack.files._parsing import DEFAULT_LIMITS, parse_yaml
from claimtrack.files._reading import case_from_data, case_to_data
from claimtrack.model import _records, _values


ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(Path(__file__).parent))  # tests/ is not a package; strategies.py sits here
sys.path.insert(0, str(ROOT / "benchmarks"))  # nor is benchmarks/; corpus.py sits there
import corpus  # noqa: E402

from strategies import cases  # noqa: E402


MOST = DEFAULT_LIMITS.max_text


def _bulk_equals_detailed(data: object) -> claimtrack.Case:
    """Build *data* in bulk, and read it as JSON and YAML text: all equal the detailed path's case."""
    detailed = case_from_data(data)
    assert not [p for p in detailed.validate(texts=False) if p.is_error]
    bulk = build(data, MOST)
    assert bulk is not None, "well-formed data was refused by the bulk loader"
    assert bulk == detailed
    for fmt in ("json", "yaml"):
        read, in_bulk = _read_case(dumps(detailed, fmt), fmt, "<test>", DEFAULT_LIMITS)
        assert in_bulk, f"well-formed {fmt} took the detailed path"
        assert read == detailed
    for record in _every_record(bulk):
        attrs.validate(record)  # what attrs says the record is: every validator passes
    return bulk


def _every_record(case: claimtrack.Case) -> list[object]:
    affiliations = [a for s in case.sources.values() for _, a in s.affiliations()]
    counts = [c.value for c in case.claims.values() if c.value is not None]
    return [
        *case.sources.values(),
        *case.documents.values(),
        *case.questions.values(),
        *case.claims.values(),
        *case.attributions,
        *case.relations,
        *affiliations,
        *counts,
    ]


# ---- (a) every well-formed case takes the bulk path ------------------------------------


def test_the_example_takes_the_bulk_path():
    """The Iraq example, read as YAML, is built in bulk, equal to the record-by-record case."""
    data = parse_yaml((ROOT / "examples" / "iraq-2024" / "case.yaml").read_text(encoding="utf-8"))
    case = _bulk_equals_detailed(data)
    assert case.relations
    assert case.attributions


@pytest.mark.parametrize("size", [1, 50, 500, 2_000])
@pytest.mark.parametrize("seed", [1, 7, 2024])
def test_the_synthetic_corpora_take_the_bulk_path(size, seed):
    """The benchmark corpora, of every size and seed tried, are built in bulk."""
    case = _bulk_equals_detailed(corpus.generate(size, seed=seed))
    assert len(case.attributions) == size


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_generated_cases_take_the_bulk_path(case):
    """Any valid case, dumped to data through the converter, is built in bulk, equal to itself."""
    assert _bulk_equals_detailed(case_to_data(case)) == case


def test_the_loader_builds_in_bulk(monkeypatch):
    """``load`` uses the bulk result: the detailed path is not taken for a well-formed file."""

    def detailed(*_args, **_kwargs):
        pytest.fail("the detailed path was taken")

    monkeypatch.setattr("claimtrack.files._case_files.case_from_data", detailed)
    text = json.dumps(corpus.generate(200))
    assert len(claimtrack.loads(text, "json").attributions) == 200
    assert len(claimtrack.loads(text, "yaml").attributions) == 200


def test_every_record_goes_through_its_constructor(monkeypatch):
    """No record is made around its ``__init__``: each one built in bulk went through it."""
    made: set[int] = set()

    def counted(init):
        def init_and_count(self, *args, **kwargs):
            init(self, *args, **kwargs)
            made.add(id(self))

        return init_and_count

    data = corpus.generate(200)
    data["relations"] = [{"kind": "contradicts", "claims": ["c-0-0", "c-0-1"], "by": "agency-0"}]
    for cls in FIELDS:
        monkeypatch.setattr(cls, "__init__", counted(cls.__init__))
    case = build(data, MOST)
    monkeypatch.undo()
    assert case is not None
    records = _every_record(case)
    assert {type(r) for r in records} == set(FIELDS)
    assert all(id(r) in made for r in records)


# ---- (b) every field of every record is read ---------------------------------------------


def _record_classes() -> list[type]:
    return [
        value
        for module in (_records, _values)
        for value in vars(module).values()
        if isinstance(value, type) and attrs.has(value) and value.__module__ == module.__name__
    ]


@pytest.mark.parametrize("cls", _record_classes(), ids=lambda cls: cls.__name__)
def test_the_bulk_loader_reads_every_field(cls):
    """A record that gains a field fails here until the bulk loader reads it (see FIELDS)."""
    assert cls in FIELDS, f"the bulk loader builds no {cls.__name__}: add it to FIELDS"
    fields = [f.name for f in attrs.fields(cls)]
    assert fields == list(FIELDS[cls]), (
        f"{cls.__name__} has the fields {fields}; the bulk loader reads {list(FIELDS[cls])}: "
        "read the new field in claimtrack/files/_bulk.py and name it in FIELDS"
    )


# ---- refusing through the signal alone --------------------------------------------------


def test_a_bug_in_the_bulk_loader_surfaces(monkeypatch):
    """An error that is not the loader's signal, here a record missing a field, is raised."""

    def source(*_args, **_kwargs):
        msg = "Source.__init__() missing 1 required keyword-only argument: 'new'"
        raise TypeError(msg)

    monkeypatch.setattr(_bulk, "Source", source)
    with pytest.raises(TypeError, match="'new'"):
        build(corpus.generate(10), MOST)
    with pytest.raises(TypeError, match="'new'"):
        claimtrack.loads(json.dumps(corpus.generate(10)), "json")


def test_bad_data_is_refused_with_the_signal():
    """What the bulk loader will not build ends in its signal, and build answers None."""
    data = corpus.generate(10)
    data["attributions"][3]["claim"] = "no-such-claim"
    with pytest.raises(_bulk.NotProvablyValid):
        _bulk._Builder(MOST, None).case(data)
    assert build(data, MOST) is None


@pytest.mark.parametrize(
    "bad",
    [
        {"via": None},
        {"stance": None},
        {"credibility": 7},
        {"quote": ""},
        {"quote": " "},
        {"prefix": "a"},
        {"said": "2024-13-01"},
        {"said": 20240101},
        {"claim": ["c-0-0"]},
        {"document": {"id": "doc-0"}},
    ],
    ids=repr,
)
def test_what_the_detailed_path_refuses_the_bulk_loader_refuses(bad):
    """Each of these is an error the detailed path words, so the bulk loader must not build it."""
    data = corpus.generate(10)
    data["attributions"][0].update(bad)
    assert build(data, MOST) is None
    with pytest.raises(CaseFileError):
        claimtrack.loads(json.dumps(data), "json")


@pytest.mark.parametrize(
    "value", [{"exactly": -1}, {"between": [5, 3]}, {"at_least": 2, "unit": [1]}]
)
def test_impossible_counts_are_refused(value):
    """A count the Count class would refuse sends the case to the detailed path."""
    data = corpus.generate(10)
    data["claims"]["c-0-0"]["value"] = value
    assert build(data, MOST) is None
    with pytest.raises(CaseFileError):
        claimtrack.loads(json.dumps(data), "json")


@pytest.mark.parametrize("space", [" ", "\n", "\t", "\r\n  "])
def test_a_duplicate_key_is_found_beside_a_spaced_key(space):
    """White space before a colon does not hide a duplicate key from the key count."""
    text = f'{{"claimtrack"{space}: 1, "title": "x", "title": "y"}}'
    quick = quick_json(text, DEFAULT_LIMITS.max_digits)
    assert quick is not None
    assert build(quick[0], MOST, keys=quick[1]) is None
    with pytest.raises(CaseFileError, match="duplicate key 'title'"):
        claimtrack.loads(text, "json")
    spaced = f'{{"claimtrack"{space}: 1, "title"{space}:{space}"x"}}'
    assert claimtrack.loads(spaced, "json").title == "x"
