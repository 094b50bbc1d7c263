"""The bulk loader: every well-formed case takes it, and it refuses only through its signal.

A case built in bulk equals the one the detailed path builds, every record of it made by its
own constructor; a record field the loader does not read fails a test; and an error that is
not the loader's signal surfaces as the bug it is, rather than as a slow load.
"""

from __future__ import annotations

import copy
import datetime as dt
import enum
import json
import sys

from pathlib import Path
from typing import Any

import attrs
import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import claimtrack

from claimtrack import CaseFileError
from claimtrack.files import _bulk
from claimtrack.files._bulk import FIELDS, build, quick_json
from claimtrack.files._case_files import _read_case, dumps
from claimtrack.files._parsing import DEFAULT_LIMITS, parse_yaml
from claimtrack.files._reading import case_from_data, case_to_data
from claimtrack.model import _records, _values
from claimtrack.model._records import (
    Attribution,
    Claim,
    Credibility,
    Document,
    DocumentKind,
    Hedge,
    Mode,
    Question,
    Reliability,
    Stance,
)
from claimtrack.model._values import Count


ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(Path(__file__).parent))  # tests/ is not a package; strategies.py sits here
sys.path.insert(0, str(ROOT / "benchmarks"))  # nor is benchmarks/; corpus.py sits there
import corpus  # noqa: E402

from strategies import cases, counts, ids, moments, texts  # noqa: E402


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
    # a case built in bulk is checked for its warnings alone: they are what a whole check finds
    assert bulk.validate(texts=False) == detailed.validate(texts=False)
    return bulk


def _every_record(case: claimtrack.Case) -> list[object]:
    affiliations = [a for s in case.sources.values() for _, a in s.affiliations()]
    counts = [c.value for c in case.claims.values() if c.value is not None]
    return [
        *case.sources.values(),
        *case.documents.values(),
        *case.evidence.values(),
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


def test_a_case_changed_after_loading_is_checked_whole():
    """A loaded case is known to hold no error only until a record is added or replaced.

    Replacing a record checks that record; here two replacements, each fine alone, make
    an attribution's claim about a time after its document was retrieved.
    """
    case = build(corpus.generate(20), MOST)
    assert not [p for p in case.validate() if p.is_error]
    att = case.attributions[0]
    case.replace(attrs.evolve(case.claims[att.claim], when="2030-01-01"))
    case.replace(attrs.evolve(case.documents[att.document], retrieved="2024-06-01"))
    errors = [p for p in case.validate() if p.is_error]
    assert [p.place for p in errors] == ["attributions[0].claim"]
    assert "after document" in errors[0].message


def test_the_loader_builds_in_bulk(monkeypatch):
    """``load`` uses the bulk result: the detailed path is not taken for a well-formed file."""

    def detailed(*_args, **_kwargs):
        pytest.fail("the detailed path was taken")

    monkeypatch.setattr("claimtrack.files._case_files.case_from_data", detailed)
    text = json.dumps(corpus.generate(200))
    assert len(claimtrack.loads(text, "json").attributions) == 200
    assert len(claimtrack.loads(text, "yaml").attributions) == 200


def test_every_record_goes_through_its_constructor(monkeypatch):
    """No record is made around its class: each one built in bulk went through its ``__init__``
    or the class's documented fast constructor (``many``), which runs the same checks."""
    made: set[int] = set()

    def counted(init):
        def init_and_count(self, *args, **kwargs):
            init(self, *args, **kwargs)
            made.add(id(self))

        return init_and_count

    def counted_many(many):
        def many_and_count(_cls, *rows):
            built = many(*rows)
            made.update(map(id, built))
            return built

        return classmethod(many_and_count)

    data = corpus.generate(200)
    data["relations"] = [{"kind": "contradicts", "claims": ["c-0-0", "c-0-1"], "by": "agency-0"}]
    data["evidence"] = {"video": {"kind": "video", "description": "A livestream"}}
    data["attributions"][0]["based_on"] = ["video"]
    for cls in FIELDS:
        monkeypatch.setattr(cls, "__init__", counted(cls.__init__))
        for constructor in ("many", "columns"):
            if constructor in vars(cls):
                monkeypatch.setattr(cls, constructor, counted_many(getattr(cls, constructor)))
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
        _bulk._Builder(MOST).case(data)
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


def _who_data() -> dict[str, Any]:
    """A corpus with who stands behind its claims: evidence, parties, blame, ids and the rest."""
    data = corpus.generate(20)
    data["evidence"] = {
        "video": {"kind": "video", "description": "A livestream", "first_seen": "2024-04-20"},
        "memo": {"kind": "document", "description": "A memo", "notes": "leaked"},
    }
    sources = list(data["sources"])
    question = next(iter(data["questions"]))
    data["questions"][question]["parties"] = sources[:2]
    claim = next(iter(data["claims"]))
    data["claims"][claim]["blames"] = sources[1]
    atts = data["attributions"]
    atts[0].update(id="first", based_on=["video", "memo"], hedge="very likely")
    atts[1].update(based_on="video", in_own_name=True, against_interest=False)
    atts[2].update(id="third", hedge="high confidence", against_interest=True)
    atts.insert(
        0,
        {
            "claim": atts[0]["claim"],
            "source": sources[0],
            "stance": "retracts",
            "withdraws": "first",
        },
    )
    return data


def test_who_stands_behind_takes_the_bulk_path():
    """Every new field is read in bulk, equal to the detailed path, a forward withdrawal too."""
    case = _bulk_equals_detailed(_who_data())
    assert case.attributions[0].withdraws == "first"
    assert case.attributions[1].based_on == ("video", "memo")
    assert case.attributions[2].in_own_name
    assert len(case.evidence) == 2


@pytest.mark.parametrize(
    "bad",
    [
        {"based_on": ["no-such-video"]},
        {"based_on": [["video"]]},
        {"based_on": None},
        {"hedge": "unlikely"},
        {"hedge": "very likley"},
        {"hedge": ["likely"]},
        {"in_own_name": 1},
        {"against_interest": 0},
        {"in_own_name": None},
        {"id": "third"},
        {"id": "a b"},
        {"id": 5},
        {"withdraws": "first"},
        {"stance": "retracts", "withdraws": "nobody"},
        {"stance": "retracts", "withdraws": "third"},
        {"stance": "retracts", "withdraws": 5},
        {"stance": "retracts", "id": "me", "withdraws": "me"},
    ],
    ids=repr,
)
def test_what_the_detailed_path_refuses_of_who_the_bulk_loader_refuses(bad):
    """Each of these is an error the detailed path words, so the bulk loader must not build it."""
    data = _who_data()
    data["attributions"][2].update(bad)
    assert build(data, MOST) is None
    with pytest.raises(claimtrack.CaseError):
        claimtrack.loads(json.dumps(data), "json")


def test_a_withdrawal_of_another_claim_or_of_a_retraction_is_refused():
    """A withdrawal names an attribution of its own claim that is not a retraction."""
    for change in ({"claim": "c-0-1"}, {"stance": "retracts"}):
        data = _who_data()
        data["attributions"][1].update(change)  # the attribution "first" withdraws, of c-2-0
        assert build(data, MOST) is None
        with pytest.raises(claimtrack.IntegrityError, match="withdraws 'first'"):
            claimtrack.loads(json.dumps(data), "json")


@pytest.mark.parametrize("key", ["parties", "blames"])
def test_unknown_parties_and_blame_are_refused(key):
    """A party or a blamed source the case lacks sends the case to the detailed path."""
    data = _who_data()
    section = "questions" if key == "parties" else "claims"
    next(iter(data[section].values()))[key] = ["nobody"]
    assert build(data, MOST) is None
    with pytest.raises(claimtrack.IntegrityError, match="unknown source 'nobody'"):
        claimtrack.loads(json.dumps(data), "json")


def test_absent_fields_are_columns_of_their_defaults():
    """A corpus without the new fields builds with each attribution's defaults, shared, not read."""
    case = build(corpus.generate(50), MOST)
    assert case is not None
    assert {
        (a.id, a.based_on, a.withdraws, a.hedge, a.in_own_name, a.against_interest)
        for a in case.attributions
    } == {(None, (), None, None, False, False)}
    assert case.evidence == {}


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


@pytest.mark.parametrize("space", ["", " ", "\n", "\t", "\r\n  "])
@pytest.mark.parametrize("where", ["top", "source", "attribution", "count"])
def test_a_duplicate_key_is_refused_by_the_quick_parse(space, where):
    """A key given twice is refused by the quick parse itself, however it is spaced or placed.

    A count of keys in the text once stood in for this check, and text could fool it; now
    the quick parse refuses a repeated key as the strict one does, and the strict one words it.
    """
    data = corpus.generate(10)
    text = json.dumps(data)
    target = {
        "top": '"title": ',
        "source": '"kind": ',
        "attribution": '"stance": ',
        "count": '"exactly": ',
    }[where]
    assert target in text
    key = target.split(":")[0]
    at = text.index(target)
    value, end = json.JSONDecoder().raw_decode(text, at + len(target))
    spaced = text[:end] + f", {key}{space}:{space}{json.dumps(value)}" + text[end:]
    assert quick_json(spaced, DEFAULT_LIMITS.max_digits) is None
    with pytest.raises(CaseFileError, match=f"duplicate key {key.replace(chr(34), chr(39))}"):
        claimtrack.loads(spaced, "json")
    loose = text.replace('": ', f'"{space}:{space}')
    assert claimtrack.loads(loose, "json") == claimtrack.loads(text, "json")


def _strings(node, here=()):
    """Where *node* holds a string: ("value", path) for each text, ("key", path) for each key."""
    if isinstance(node, str):
        yield "value", here
    elif isinstance(node, dict):
        for key, value in node.items():
            yield "key", (*here, key)
            yield from _strings(value, (*here, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, (*here, i))


def test_a_lone_surrogate_anywhere_is_refused_by_the_bulk_build():
    """Every string of a valid corpus, key or value, with a lone surrogate: never built in bulk.

    The bulk loader refuses it with its signal only, as for any data it cannot prove valid,
    and the load then words it at its place.
    """
    base = corpus.generate(10)
    found = list(_strings(base))
    assert len(found) > 100
    for kind, path in found:
        data = copy.deepcopy(base)
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        if kind == "value":
            parent[last] = parent[last] + "\ud800"
        else:
            parent[last + "\udc00"] = parent.pop(last)
        assert build(data, MOST) is None, (kind, path)
    data = copy.deepcopy(base)
    data["attributions"][5]["quote"] = "said \ud800"
    with pytest.raises(CaseFileError) as info:
        claimtrack.loads(json.dumps(data), "json")
    assert info.value.place == "attributions[5].quote"


def test_quotes_inside_texts_take_the_quick_path():
    """Text holding quotes (escaped in JSON) no longer sends the file to the detailed path."""
    data = corpus.generate(10)
    data["title"] = 'The "truce" that was not'
    data["attributions"][0]["quote"] = 'He said: "no"'
    quick = quick_json(json.dumps(data), DEFAULT_LIMITS.max_digits)
    assert quick is not None
    case = build(quick[0], MOST)
    assert case is not None
    assert case.title == 'The "truce" that was not'


# ---- the fast constructors: what ``__init__`` makes, and raises ---------------------------

_EPOCH = dt.date(2024, 1, 1)
_ID_POOL = st.lists(ids(), min_size=1, max_size=4, unique=True)
_TEXTS = texts(30)


def _enum_or_value(cls: type[enum.Enum]) -> st.SearchStrategy[Any]:
    """A member of *cls*, or its value, which the converters turn into the member."""
    return st.sampled_from(list(cls)) | st.sampled_from([m.value for m in cls])


def _moment_or_text(draw: st.DrawFn) -> object:
    """``None``, a date or date and time, or one as ISO text (which the converter parses)."""
    when = draw(st.none() | moments(_EPOCH))
    return when.isoformat() if when is not None and draw(st.booleans()) else when


@st.composite
def _attribution_rows(draw: st.DrawFn) -> list[tuple[Any, ...]]:
    pool = draw(_ID_POOL)  # few ids, so that they repeat, as they do in a case
    some_id = st.sampled_from(pool)
    rows = []
    for _ in range(draw(st.integers(1, 6))):
        quote = draw(st.none() | _TEXTS)
        context = st.none() if quote is None else st.none() | _TEXTS
        via = draw(st.lists(some_id, max_size=2, unique=True))
        rows.append(
            (
                draw(some_id),
                draw(some_id),
                draw(_enum_or_value(Stance)),
                draw(st.none() | some_id),
                tuple(via) if draw(st.booleans()) else via,
                quote,
                draw(context),
                draw(context),
                _moment_or_text(draw),
                draw(_enum_or_value(Mode)),
                draw(st.none() | _enum_or_value(Credibility)),
                draw(st.none() | _TEXTS),
                *_who_row(draw, pool),
            )
        )
    return rows


_FLAGS = st.booleans()


def _who_row(draw: st.DrawFn, pool: list[str]) -> tuple[Any, ...]:
    """The fields of who stands behind an attribution, mostly their defaults, as loaders give them."""
    some_id = st.sampled_from(pool)
    if draw(st.booleans()):  # the defaults, as a file without them gives
        return (None, (), None, None, False, False)
    based_on = draw(st.lists(some_id, max_size=2, unique=True))
    return (
        draw(st.none() | some_id),
        tuple(based_on) if draw(st.booleans()) else based_on,
        None,  # a withdrawal needs a retraction: see test_withdraws_only_on_a_retraction
        draw(st.none() | _enum_or_value(Hedge)),
        draw(_FLAGS),
        draw(_FLAGS),
    )


@st.composite
def _document_rows(draw: st.DrawFn) -> list[tuple[Any, ...]]:
    pool = draw(_ID_POOL)
    rows = []
    for _ in range(draw(st.integers(1, 6))):
        text = draw(st.none() | _TEXTS)
        rows.append(
            (
                draw(ids()),
                draw(st.sampled_from(pool)),
                draw(_TEXTS),
                draw(st.none() | _TEXTS),
                draw(st.none() | _TEXTS),
                _moment_or_text(draw),
                _moment_or_text(draw),
                draw(st.none() | _TEXTS),
                draw(_enum_or_value(DocumentKind)),
                text,
                draw(st.none() | _TEXTS) if text is None else None,
                draw(st.none() | st.integers(0, 2**256 - 1).map(lambda n: f"{n:064x}")),
                draw(st.none() | _TEXTS),
            )
        )
    return rows


@st.composite
def _claim_rows(draw: st.DrawFn) -> list[tuple[Any, ...]]:
    pool = draw(_ID_POOL)
    rows = []
    for _ in range(draw(st.integers(1, 6))):
        about = draw(st.lists(st.sampled_from(pool), max_size=2, unique=True))
        blames = draw(st.lists(st.sampled_from(pool), max_size=2, unique=True))
        tags = draw(st.lists(_TEXTS, max_size=2))
        rows.append(
            (
                draw(ids()),
                draw(_TEXTS),
                draw(st.none() | st.sampled_from(pool)),
                draw(st.none() | counts()),
                _moment_or_text(draw),
                tuple(about) if draw(st.booleans()) else about,
                tuple(blames) if draw(st.booleans()) else blames,
                tuple(tags) if draw(st.booleans()) else tags,
                draw(st.none() | _TEXTS),
            )
        )
    return rows


@st.composite
def _question_rows(draw: st.DrawFn) -> list[tuple[Any, ...]]:
    pool = draw(_ID_POOL)
    rows = []
    for _ in range(draw(st.integers(1, 6))):
        parties = draw(st.lists(st.sampled_from(pool), max_size=2, unique=True))
        rows.append(
            (
                draw(ids()),
                draw(_TEXTS),
                draw(st.booleans()),
                tuple(parties) if draw(st.booleans()) else parties,
                draw(st.none() | _TEXTS),
            )
        )
    return rows


def _init(cls: type, row: tuple[Any, ...]) -> Any:
    """The record *row* describes, made by calling the class: positional fields, then keywords."""
    fields = attrs.fields(cls)
    args = [v for f, v in zip(fields, row, strict=True) if not f.kw_only]
    kwargs = {f.name: v for f, v in zip(fields, row, strict=True) if f.kw_only}
    return cls(*args, **kwargs)


def _many_equals_init(cls: type, rows: list[tuple[Any, ...]], *, by_columns: bool = False) -> None:
    """``cls.many`` (or ``cls.columns``, a column per field) gives what ``__init__`` gives."""
    fast = cls.columns(*_columns_of(cls, rows)) if by_columns else cls.many(rows)
    slow = [_init(cls, row) for row in rows]
    assert fast == slow
    assert [attrs.asdict(r) for r in fast] == [attrs.asdict(r) for r in slow]
    assert [type(r) for r in fast] == [cls] * len(rows)
    for one, other in zip(fast, slow, strict=True):
        attrs.validate(one)
        for field in attrs.fields(cls):  # every field set, to a value of the same type
            assert type(getattr(one, field.name)) is type(getattr(other, field.name))


def _columns_of(cls: type, rows: list[tuple[Any, ...]]) -> list[list[Any]]:
    """*rows* as columns, one per field of *cls*."""
    return [list(c) for c in zip(*rows, strict=True)] or [[] for _ in attrs.fields(cls)]


def _row(record: object) -> tuple[Any, ...]:
    return tuple(getattr(record, f.name) for f in attrs.fields(type(record)))


@settings(max_examples=200, deadline=None)
@given(rows=_attribution_rows())
def test_attribution_many_makes_what_init_makes(rows):
    """``Attribution.many`` gives, row for row, the attributions ``__init__`` gives."""
    _many_equals_init(Attribution, rows)
    typed = [_row(a) for a in Attribution.many(rows)]  # converted: the fast way for every row
    _many_equals_init(Attribution, typed)


def _columns_equal_many(cls: type, rows: list[tuple[Any, ...]]) -> None:
    """``cls.columns``, a field at a time, gives what ``cls.many`` gives row by row."""
    typed = [_row(r) for r in cls.many(rows)]
    for built in (rows, typed):
        made = cls.columns(*_columns_of(cls, built))
        assert made == cls.many(built)
        assert [attrs.asdict(r) for r in made] == [attrs.asdict(r) for r in cls.many(built)]


@pytest.mark.parametrize(
    ("cls", "rows"),
    [(Attribution, _attribution_rows()), (Document, _document_rows()), (Claim, _claim_rows())],
    ids=lambda v: getattr(v, "__name__", ""),
)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_columns_make_what_many_makes(cls, rows, data):
    """``columns``, a field at a time, gives what ``many`` gives row by row."""
    _columns_equal_many(cls, data.draw(rows))


@settings(max_examples=150, deadline=None)
@given(rows=_question_rows())
def test_question_columns_make_what_init_makes(rows):
    """``Question.columns``, a field at a time, gives what ``__init__`` gives row by row."""
    _many_equals_init(Question, rows, by_columns=True)
    typed = [_row(q) for q in Question.columns(*_columns_of(Question, rows))]
    _many_equals_init(Question, typed, by_columns=True)


@settings(max_examples=150, deadline=None)
@given(rows=_document_rows())
def test_document_many_makes_what_init_makes(rows):
    """``Document.many`` gives, row for row, the documents ``__init__`` gives."""
    _many_equals_init(Document, rows)
    _many_equals_init(Document, [_row(d) for d in Document.many(rows)])


@settings(max_examples=150, deadline=None)
@given(rows=_claim_rows())
def test_claim_many_makes_what_init_makes(rows):
    """``Claim.many`` gives, row for row, the claims ``__init__`` gives."""
    _many_equals_init(Claim, rows)
    _many_equals_init(Claim, [_row(c) for c in Claim.many(rows)])


class _Str(str):
    """A subclass of str: never assumed to behave, so built by ``__init__``."""

    __slots__ = ()


_GOOD = {
    Attribution: (
        "c-1", "s-1", Stance.ASSERTS, "d-1", ("r-1",), "q", "p", "x",
        dt.date(2024, 1, 1), Mode.ON_RECORD, Credibility.CONFIRMED, "n",
        "a-1", ("e-1",), None, Hedge.LIKELY, True, False,
    ),
    Document: (
        "d-1", "s-1", "Title", "https://x", "https://y", dt.date(2024, 1, 1),
        dt.datetime(2024, 1, 2, 3, 4, tzinfo=dt.UTC), "en", DocumentKind.POST, "body", None, "a" * 64, "n",
    ),
    Claim: (
        "c-1", "text", "q-1", Count.exactly(3), dt.date(2024, 1, 1), ("s-1",), ("s-2",), ("t",), "n"
    ),
    Question: ("q-1", "Who?", False, ("s-1", "s-2"), "n"),
}  # fmt: skip

_BAD_IDS = ["", " ", "a b", "a\nb", "x" * 201, "\x7f", None, 5, ["a"], _Str("a b")]
_BAD_TEXTS = ["", " ", "\n\t", 5, b"x", ["x"], _Str(" ")]
_BAD_MOMENTS = ["2024-13-01", "yesterday", 20240101, 1.5]


def _bad_cases() -> list[tuple[type, str, object]]:
    cases = []
    for cls, bad_by_field in {
        Attribution: {
            "claim": _BAD_IDS,
            "source": _BAD_IDS,
            "stance": ["assert", None, Mode.ON_RECORD, 1],
            "document": _BAD_IDS[:-4],
            "via": [("a b",), ["x", ""], ("ok", None), (5,), "a b"],
            "quote": _BAD_TEXTS,
            "prefix": _BAD_TEXTS,
            "suffix": _BAD_TEXTS,
            "said": _BAD_MOMENTS,
            "mode": ["open", None, Stance.ASSERTS],
            "credibility": [0, 7, "1", Reliability.A],
            "notes": _BAD_TEXTS,
            "id": _BAD_IDS[:-4],
            "based_on": [("a b",), ["x", ""], ("ok", None), (5,), "a b"],
            "withdraws": ["w-1", *_BAD_IDS[:-4]],  # beside stance 'asserts': refused
            "hedge": ["likley", "Likely", 1, Stance.ASSERTS],
            "in_own_name": [1, 0, "yes", None],
            "against_interest": [1, 0, "no", None],
        },
        Document: {
            "id": _BAD_IDS,
            "publisher": _BAD_IDS,
            "title": [*_BAD_TEXTS, None],
            "url": _BAD_TEXTS,
            "language": _BAD_TEXTS,
            "published": _BAD_MOMENTS,
            "retrieved": _BAD_MOMENTS,
            "kind": ["essay", None, Stance.ASSERTS],
            "text": _BAD_TEXTS,
            "text_file": ["file.txt", *_BAD_TEXTS],  # beside a text: refused
            "sha256": ["A" * 64, "a" * 63, 5, _Str("a" * 64) + "0"],
            "notes": _BAD_TEXTS,
        },
        Claim: {
            "id": _BAD_IDS,
            "text": [*_BAD_TEXTS, None],
            "question": _BAD_IDS[:-4],
            "value": [3, "3", {"exactly": 3}],
            "when": _BAD_MOMENTS,
            "about": [("a b",), ["x", ""], (None,), 5],
            "blames": [("a b",), ["x", ""], (None,), 5],
            "tags": [("",), [" "], (5,), 5],
            "notes": _BAD_TEXTS,
        },
        Question: {
            "id": _BAD_IDS,
            "text": [*_BAD_TEXTS, None],
            "exclusive": [1, 0, "yes", None],
            "parties": [("a b",), ["x", ""], (None,), 5],
            "notes": _BAD_TEXTS,
        },
    }.items():
        names = [f.name for f in attrs.fields(cls)]
        cases += [(cls, names.index(n), v) for n, values in bad_by_field.items() for v in values]
    return cases


@pytest.mark.parametrize(
    ("cls", "at", "bad"), [c for c in _bad_cases() if c[0] is not Question], ids=repr
)
def test_many_raises_what_init_raises(cls, at, bad):
    """A bad value, among good rows, raises from ``many`` the error ``__init__`` raises for it."""
    row = list(_GOOD[cls])
    row[at] = bad
    with pytest.raises((ValueError, TypeError)) as expected:
        _init(cls, tuple(row))
    good = _GOOD[cls]
    for rows in ([tuple(row)], [good, good, tuple(row), good]):
        with pytest.raises(expected.type) as got:
            cls.many(rows)
        assert str(got.value) == str(expected.value)


@pytest.mark.parametrize(("cls", "at", "bad"), _bad_cases(), ids=repr)
def test_columns_raise_what_init_raises(cls, at, bad):
    """A bad value in a column raises from ``columns`` the error ``__init__`` raises for it."""
    row = list(_GOOD[cls])
    row[at] = bad
    with pytest.raises((ValueError, TypeError)) as expected:
        _init(cls, tuple(row))
    good = _GOOD[cls]
    rows = [good, good, tuple(row), good]
    with pytest.raises(expected.type) as got:
        cls.columns(*_columns_of(cls, rows))
    assert str(got.value) == str(expected.value)


@pytest.mark.parametrize("field", ["prefix", "suffix"])
def test_attribution_many_refuses_context_without_a_quote(field):
    """A prefix or suffix with no quote raises what ``__init__`` raises, after good rows too."""
    row = dict(zip([f.name for f in attrs.fields(Attribution)], _GOOD[Attribution], strict=True))
    row["quote"] = None
    row["prefix"] = row["suffix"] = None
    row[field] = "before"
    with pytest.raises(ValueError, match="need a 'quote'"):
        _init(Attribution, tuple(row.values()))
    with pytest.raises(ValueError, match="need a 'quote'"):
        Attribution.many([_GOOD[Attribution], tuple(row.values())])


@settings(max_examples=200, deadline=None)
@given(bad=st.text(max_size=8).filter(lambda s: not _records._ID.fullmatch(s)), good=ids())
def test_many_checks_every_distinct_id(bad, good):
    """An id that is not one is refused by ``many`` as by ``__init__``, however many good come first."""
    row = list(_GOOD[Attribution])
    rows = [(good, good, *row[2:])] * 3
    for at in (0, 1, 3):
        row_bad = list(rows[0])
        row_bad[at] = bad
        with pytest.raises(ValueError, match="must be an id") as expected:
            _init(Attribution, tuple(row_bad))
        with pytest.raises(ValueError, match="must be an id") as got:
            Attribution.many([*rows, tuple(row_bad)])
        assert str(got.value) == str(expected.value)


_NEAR_IDS = st.lists(
    ids()
    | st.text(max_size=4)
    | st.text("abéف", min_size=199, max_size=201)  # about the most an id holds
    | st.sampled_from(["a b", "a\nb", "\x7f", "\ud800x", "a\u00a0b", "\u2028", "é", 5, None]),
    max_size=6,
)


@settings(max_examples=500, deadline=None)
@given(values=_NEAR_IDS)
def test_ids_are_checked_together_as_one_at_a_time(values):
    """The check of many ids at once says what the id pattern says of each one."""
    one_at_a_time = all(type(v) is str and _records._ID.fullmatch(v) for v in values)
    assert _records._ids_fine(values) == bool(one_at_a_time)
