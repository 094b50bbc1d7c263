"""Fuzzing every reader: whatever a file holds, the answer is a Case or a CaseError with a place.

Generated documents start from a small valid case that uses every record and most fields,
then are broken the ways hand-edited and scraped files break: a field deleted, a value of
the wrong type (None, NaN, infinities, huge numbers, deep lists, control characters), an
unknown key, a truncated file, the wrong encoding, random bytes. CI runs a fixed,
derandomised set of at least 10,000 documents (see ``FUZZ_BUDGET``); set
``CLAIMTRACK_FUZZ=100000`` (and ``HYPOTHESIS_PROFILE=thorough`` for fresh draws) to run far more.
"""

from __future__ import annotations

import copy
import functools
import io
import json
import math
import os
import tempfile

from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import claimtrack

from claimtrack import CaseError
from claimtrack.cli import main


#: How many documents the readers are fed in one run, split over the tests below.
FUZZ_BUDGET = int(os.environ.get("CLAIMTRACK_FUZZ", "10000"))

BASE: dict[str, Any] = {
    "claimtrack": 1,
    "title": "Fuzz base",
    "description": "Every record, most fields.",
    "sources": {
        "outlet": {"name": "An outlet", "kind": "outlet", "reliability": "B", "aliases": ["O"]},
        "cell": {"name": "A media cell", "kind": "official-body", "reliability": "C"},
        "spokesman": {
            "name": "A spokesman",
            "kind": "person",
            "role": "spokesperson",
            "speaks_for": [{"source": "cell", "from": "2024-01-01", "to": "2024-12-31"}],
        },
        "group": {"name": "An armed group", "kind": "armed-group"},
    },
    "documents": {
        "doc": {
            "publisher": "outlet",
            "title": "Rockets fired",
            "url": "https://example.org/a",
            "published": "2024-04-21",
            "retrieved": "2024-05-01T10:00:00+00:00",
            "language": "en",
            "text": "The cell said five rockets were fired. The group said nothing.",
        },
    },
    "questions": {"count": {"text": "How many rockets?"}, "who": {"text": "Who fired them?"}},
    "claims": {
        "five": {"text": "Five rockets", "question": "count", "value": {"exactly": 5}},
        "some": {
            "text": "Between three and six",
            "question": "count",
            "value": {"between": [3, 6]},
        },
        "group-did": {"text": "The group fired them", "question": "who", "about": ["group"]},
    },
    "attributions": [
        {
            "claim": "five",
            "source": "spokesman",
            "document": "doc",
            "via": ["cell"],
            "stance": "asserts",
            "quote": "five rockets were fired",
            "credibility": 2,
        },
        {"claim": "group-did", "source": "group", "document": "doc", "stance": "denies"},
        {"claim": "some", "source": "outlet", "mode": "anonymous", "said": "2024-04-20"},
    ],
    "relations": [{"kind": "refines", "claims": ["five", "some"], "reason": "narrower"}],
}


def test_base_is_valid():
    """The fuzzers start from a valid case, so every error they find comes from the mutation."""
    case = claimtrack.loads(json.dumps(BASE), "json")
    assert case.validate(texts=False) == []
    assert claimtrack.loads(yaml.safe_dump(BASE), "yaml") == case


# ---- values and mutations ----------------------------------------------------------------

_ODD_TEXT = st.sampled_from(
    ["", " ", "no", "~", "null", "2024-13-45", "\x00", "\x1b[31m", "\u202e", "- x", "{", "&a"]
)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**99, max_value=10**120),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    _ODD_TEXT,
)
_JUNK = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


def _deep(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


_VALUES = _JUNK | st.integers(50, 900).map(_deep)  # JSON writers recurse, so < 1000


def _paths(node: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a document, to pick one to break, down to where case files end."""
    out = [here]
    if len(here) > 6:
        return out
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*here, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, (*here, i))
    return out


_BASE_PATHS = _paths(BASE)[1:]
# every key some record, count or affiliation may hold: adding one of these is not unknown
_FIELD_NAMES = {
    f.name
    for cls in (
        claimtrack.Source,
        claimtrack.Document,
        claimtrack.Question,
        claimtrack.Claim,
        claimtrack.Attribution,
        claimtrack.Relation,
        claimtrack.Count,
        claimtrack.Affiliation,
    )
    for f in attrs.fields(cls)
} | {"exactly", "at_least", "at_most", "between", "from", "to"}


def _at(doc: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        doc = doc[step]
    return doc


@st.composite
def broken_documents(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """The base case with one to three things broken, and what was done."""
    doc = copy.deepcopy(BASE)
    done = []
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(doc)[1:] if p]
        path = draw(st.sampled_from(paths))
        parent, last = _at(doc, path[:-1]), path[-1]
        action = draw(st.sampled_from(["delete", "replace", "add", "rename"]))
        if action == "delete":
            del parent[last]
        elif action == "replace":
            parent[last] = draw(_VALUES)
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=8))] = draw(_VALUES)
        elif action == "rename" and isinstance(parent, dict):
            parent[str(last) + draw(st.sampled_from(["s", "_", "x", " "]))] = parent.pop(last)
        done.append(f"{action} {'.'.join(map(str, path))}")
    return doc, "; ".join(done)


def _assert_clean(text: str | bytes, fmt: str) -> claimtrack.Case | CaseError:
    """Read *text*: it must give a Case, or a CaseError whose every problem has a message."""
    try:
        return claimtrack.loads(text, fmt, file="fuzz." + fmt)
    except CaseError as e:
        error = e
    assert error.problems
    for p in error.problems:
        assert p.message.strip()
        assert p.file == "fuzz." + fmt
        assert "Traceback" not in str(p)
    return error


def _to_json(doc: Any) -> str:
    return json.dumps(doc, allow_nan=True, ensure_ascii=False)


def _to_yaml(doc: Any) -> str:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def fuzz(share: float) -> settings:
    """Settings for a fuzz test that takes *share* of the budget."""
    return settings(
        max_examples=max(1, int(FUZZ_BUDGET * share)),
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


# ---- the readers --------------------------------------------------------------------------


@fuzz(0.45)
@given(broken=broken_documents())
def test_json_reader(broken):
    """Broken JSON documents give a Case or a CaseError, never another exception."""
    doc, _ = broken
    _assert_clean(_to_json(doc), "json")


@fuzz(0.25)
@given(broken=broken_documents())
def test_yaml_reader(broken):
    """Broken YAML documents give a Case or a CaseError, never another exception."""
    doc, _ = broken
    try:
        text = _to_yaml(doc)
    except (yaml.YAMLError, RecursionError):
        return  # PyYAML cannot write some generated values; they are fuzzed as JSON
    _assert_clean(text, "yaml")


@fuzz(0.2)
@given(
    fmt=st.sampled_from(["json", "yaml"]),
    cut=st.floats(0, 1, exclude_max=True),
    encoding=st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252"]),
    noise=st.binary(max_size=8),
)
def test_truncated_and_misencoded_files(fmt, cut, encoding, noise):
    """A file cut short, in another encoding, or with stray bytes is a CaseError, never a crash."""
    text = (_to_json if fmt == "json" else _to_yaml)(BASE)
    data = text.encode(encoding, errors="replace")
    data = data[: int(len(data) * cut)] + noise
    result = _assert_clean(data, fmt)
    if fmt == "json" and cut < 0.9 and not noise:
        assert isinstance(result, CaseError)


@fuzz(0.1)
@given(
    place=st.sampled_from(_BASE_PATHS),
    key=st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=10),
)
def test_unknown_keys_are_named(place, key):
    """A key no record has is refused at its place, whatever the key and wherever it is put."""
    doc = copy.deepcopy(BASE)
    target = _at(doc, place)
    if not isinstance(target, dict) or key in target or place[0] in ("title", "description"):
        return
    if key in _FIELD_NAMES:  # a real field, valid with text ('notes'), is not an unknown key
        return
    target[key] = "x"
    result = _assert_clean(_to_json(doc), "json")
    assert isinstance(result, CaseError), f"an unknown key {key!r} at {place} was accepted"


@fuzz(0.02)
@given(
    fmt=st.sampled_from(["json", "yaml"]),
    place=st.sampled_from(_BASE_PATHS),
    in_key=st.booleans(),
    code=st.integers(0xD800, 0xDFFF),
    at=st.integers(0, 12),
)
def test_lone_surrogates_are_refused_everywhere(fmt, place, in_key, code, at):
    """A lone surrogate in any string, key or value, is refused at load, by that one problem.

    Written as the escape a file holds (``\\ud800``), which JSON and YAML both read.
    """
    doc = copy.deepcopy(BASE)
    parent, last = _at(doc, place[:-1]), place[-1]
    if in_key:
        if not isinstance(last, str):
            return
        key = last[:at] + chr(code) + last[at:]
        parent[key] = parent.pop(last)
    else:
        if not isinstance(parent[last], str):
            return
        parent[last] = parent[last][:at] + chr(code) + parent[last][at:]
    result = _assert_clean(json.dumps(doc), fmt)  # ASCII: the surrogate is an escape
    assert isinstance(result, claimtrack.CaseFileError)
    assert len(result.problems) == 1
    assert f"lone surrogate (U+{code:04X}), which is not text" in result.message


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_numbers_refused(constant):
    """NaN and the infinities are refused in JSON wherever they stand."""
    text = _to_json(BASE).replace('"credibility": 2', f'"credibility": {constant}')
    result = _assert_clean(text, "json")
    assert isinstance(result, CaseError)
    assert constant.lstrip("-") in result.message


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", "1e999"])
def test_yaml_non_numbers_refused(value):
    """YAML's NaN and infinities are not counts, credibility digits or any other field."""
    text = _to_yaml(BASE).replace("credibility: 2", f"credibility: {value}")
    result = _assert_clean(text, "yaml")
    assert isinstance(result, CaseError)
    assert result.place == "attributions[0].credibility"


def test_json_nan_is_not_a_float_anywhere():
    """math.nan never reaches a record: the reader refuses it before the converter sees it."""
    doc = copy.deepcopy(BASE)
    doc["claims"]["five"]["value"] = {"exactly": math.nan}
    assert isinstance(_assert_clean(_to_json(doc), "json"), CaseError)


# ---- the command line ------------------------------------------------------------------------

_WORDS = st.sampled_from(
    [
        "check",
        "assess",
        "report",
        "export",
        "new",
        "demo",
        "--format",
        "json",
        "table",
        "--texts",
        "--strict",
        "-q",
        "--to",
        "-o",
        "--width",
        "-1",
        "0",
        "99999999999999999999",
        "--question",
        "-",
        "case.yaml",
        "missing.json",
        "--help",
        "--version",
        "--merge-echoes",
        "\x1b[31m",
        "[bold]x[/]",
        "",
    ]
)


@fuzz(0.03)
@given(argv=st.lists(_WORDS | st.text(max_size=6), max_size=6))
def test_command_line(argv, tmp_path, monkeypatch, capsys):
    """Any arguments give exit 0, 1 or 2 with no traceback; nothing is written outside -o."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "case.yaml").write_text(_to_yaml(BASE), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"")))
    before = sorted(p.name for p in tmp_path.iterdir())
    status = main(argv)
    _, err = capsys.readouterr()
    assert status in (0, 1, 2), (argv, status, err)
    assert "Traceback" not in err
    after = sorted(p.name for p in tmp_path.iterdir())
    if "-o" not in argv and "new" not in argv:
        assert after == before, argv


# ---- the SQLite store ------------------------------------------------------------------------


@functools.cache
def _store_bytes() -> bytes:
    """A valid store holding the base case, as bytes to break."""
    from claimtrack.store import open_store

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "base.db"
        with open_store(path, create=True) as store:
            store.import_case(claimtrack.loads(_to_json(BASE), "json"))
        return path.read_bytes()


@fuzz(0.02)
@given(
    hits=st.lists(
        st.tuples(st.floats(0, 1, exclude_max=True), st.binary(min_size=1, max_size=16)),
        min_size=1,
        max_size=4,
    ),
    cut=st.none() | st.floats(0, 1, exclude_max=True),
)
def test_damaged_store(tmp_path_factory, hits, cut):
    """A store with bytes overwritten or cut short gives a Case or a CaseError, never a crash."""
    from claimtrack.store import load_any

    data = bytearray(_store_bytes())
    for where, junk in hits:
        at = int(len(data) * where)
        data[at : at + len(junk)] = junk
    if cut is not None:
        data = data[: int(len(data) * cut)]
    path = tmp_path_factory.mktemp("damaged") / "case.db"
    path.write_bytes(bytes(data))
    try:
        load_any(path)
    except CaseError as e:
        error = e
    else:
        return
    assert error.problems
    assert all(p.message.strip() for p in error.problems)


@pytest.mark.parametrize(
    "content", [b"", b"not a database at all", b"SQLite format 3\x00" + b"\x00" * 100]
)
def test_not_a_store(tmp_path, content):
    """A file named .db that is no claimtrack store is a CaseError naming the file."""
    from claimtrack.store import load_any

    path = tmp_path / "x.db"
    path.write_bytes(content)
    with pytest.raises(CaseError) as info:
        load_any(path)
    assert str(path) in str(info.value)
