"""Parquet datasets: a case written as one table per kind of record, read back exactly."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile

from pathlib import Path

import pytest

from hypothesis import HealthCheck, given, settings

import claimtrack

from claimtrack.errors import CaseFileError, IntegrityError
from claimtrack.files._parquet import COLUMNS, MANIFEST, TABLES, dump_dataset


sys.path.insert(0, str(Path(__file__).parent))  # tests/ is not a package; strategies.py sits here
from strategies import cases


pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

EXAMPLE = Path(__file__).parents[1] / "examples" / "iraq-2024" / "case.yaml"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "claimtrack", *args], capture_output=True, text=True, check=False
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_case_to_parquet_to_case_is_identical(case):
    with tempfile.TemporaryDirectory() as tmp:
        dump_dataset(case, Path(tmp) / "ds")
        back = claimtrack.load(Path(tmp) / "ds")
    assert back == case
    assert claimtrack.dumps(back, "json") == claimtrack.dumps(case, "json")


def test_every_field_of_every_record_has_a_column():
    import attrs

    for table, cls in TABLES.items():
        assert set(COLUMNS[table]) == {f.name for f in attrs.fields(cls)}


def test_columns_have_arrow_types(tmp_path):
    case = claimtrack.load(EXAMPLE)
    counts = dump_dataset(case, tmp_path / "ds")
    manifest = json.loads((tmp_path / "ds" / MANIFEST).read_text())
    assert manifest["claimtrack_dataset"] == 1
    assert manifest["counts"] == counts
    assert counts["attributions"] == len(case.attributions)
    atts = pq.read_schema(tmp_path / "ds" / "attributions.parquet")
    assert pa.types.is_dictionary(atts.field("claim").type)
    assert pa.types.is_dictionary(atts.field("stance").type)
    assert atts.field("via").type == pa.list_(pa.string())
    assert pa.types.is_boolean(atts.field("in_own_name").type)
    assert pa.types.is_int8(atts.field("credibility").type)
    docs = pq.read_table(tmp_path / "ds" / "documents.parquet")
    published = docs.column("published").to_pylist()
    assert {p["precision"] for p in published if p} <= {"year", "month", "day", "time"}
    assert all(
        p["text"] == d.published.isoformat()
        for p, d in zip(published, case.documents.values(), strict=True)
        if p
    )
    claims = pq.read_schema(tmp_path / "ds" / "claims.parquet")
    assert pa.types.is_struct(claims.field("value").type)


def test_a_dataset_with_a_date_of_each_precision(tmp_path):
    case = claimtrack.Case(title="Dates")
    case.add_source("s", "S", "outlet")
    case.add_document("d1", "s", "One", published="2024")
    case.add_document("d2", "s", "Two", published="2024-03")
    case.add_document("d3", "s", "Three", published="2024-03-05T10:30:00+03:00")
    dump_dataset(case, tmp_path / "ds")
    rows = pq.read_table(tmp_path / "ds" / "documents.parquet").column("published").to_pylist()
    assert [r["precision"] for r in rows] == ["year", "month", "time"]
    assert claimtrack.load(tmp_path / "ds") == case


def _bad(tmp_path, table, column, values, kind=None):
    """The example as a dataset, with *column* of *table* replaced by *values*."""
    dump_dataset(claimtrack.load(EXAMPLE), tmp_path / "ds")
    path = tmp_path / "ds" / f"{table}.parquet"
    t = pq.read_table(path)
    array = pa.array(values, type=kind)
    if column in t.column_names:
        t = t.set_column(t.column_names.index(column), column, array)
    else:
        t = t.append_column(column, array)
    pq.write_table(t, path)
    return tmp_path / "ds"


def test_a_wrong_value_is_placed_at_its_table_row_and_column(tmp_path):
    n = len(claimtrack.load(EXAMPLE).claims)
    ds = _bad(tmp_path, "claims", "text", [*["ok"] * 3, None, *["ok"] * (n - 4)])
    with pytest.raises(CaseFileError) as e:
        claimtrack.load(ds)
    (p,) = e.value.problems
    assert (p.file, p.place) == (str(ds), "claims, row 3, column text")
    assert str(p) == f"{ds}: claims, row 3, column text: required field 'text' is missing"


def test_a_wrong_type_and_an_unknown_column(tmp_path):
    n = len(claimtrack.load(EXAMPLE).attributions)
    ds = _bad(tmp_path, "attributions", "stance", ["asserts"] * (n - 1) + ["claims"])
    t = pq.read_table(ds / "attributions.parquet")
    pq.write_table(
        t.append_column("colour", pa.array(["red"] + [None] * (n - 1))), ds / "attributions.parquet"
    )
    with pytest.raises(CaseFileError) as e:
        claimtrack.load(ds)
    places = sorted(p.place for p in e.value.problems)
    assert places == [
        "attributions, row 0, column colour",
        f"attributions, row {n - 1}, column stance",
    ]
    assert "unknown field 'colour'" in str(e.value)


def test_a_count_and_a_duplicate_id(tmp_path):
    ids = list(claimtrack.load(EXAMPLE).claims)
    ds = _bad(tmp_path, "claims", "id", [ids[0], *ids[1:-1], ids[0]])
    with pytest.raises(CaseFileError) as e:
        claimtrack.load(ds)
    (p,) = e.value.problems
    assert p.place == f"claims, row {len(ids) - 1}, column id"
    assert p.message == f"duplicate id '{ids[0]}' (also row 0)"


def test_a_reference_to_nothing_is_an_integrity_error_at_its_cell(tmp_path):
    claims = [a.claim for a in claimtrack.load(EXAMPLE).attributions]
    ds = _bad(tmp_path, "attributions", "claim", ["nowhere", *claims[1:]])
    with pytest.raises((CaseFileError, IntegrityError)) as e:
        claimtrack.load(ds)
    places = {p.place for p in e.value.problems}
    assert "attributions, row 0, column claim" in places
    assert all(p.file == str(ds) for p in e.value.problems)


def test_a_broken_table_and_manifest(tmp_path):
    dump_dataset(claimtrack.load(EXAMPLE), tmp_path / "ds")
    (tmp_path / "ds" / "claims.parquet").write_bytes(b"not parquet")
    with pytest.raises(CaseFileError) as e:
        claimtrack.load(tmp_path / "ds")
    assert e.value.problems[0].place == "claims"
    assert "not a readable Parquet table" in e.value.problems[0].message
    (tmp_path / "ds" / MANIFEST).write_text('{"claimtrack_dataset": 9}')
    with pytest.raises(CaseFileError, match="dataset format version 9"):
        claimtrack.load(tmp_path / "ds")


def test_a_bad_title_is_placed_in_the_manifest(tmp_path):
    dump_dataset(claimtrack.load(EXAMPLE), tmp_path / "ds")
    manifest = json.loads((tmp_path / "ds" / MANIFEST).read_text())
    (tmp_path / "ds" / MANIFEST).write_text(json.dumps({**manifest, "title": 7}))
    with pytest.raises(CaseFileError) as e:
        claimtrack.load(tmp_path / "ds")
    (p,) = e.value.problems
    assert (p.file, p.place) == (str(tmp_path / "ds" / MANIFEST), "title")


def test_writing_refuses_a_folder_of_other_files(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(CaseFileError, match=r"holds files but no claimtrack\.json"):
        dump_dataset(claimtrack.load(EXAMPLE), tmp_path)
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_the_command_line_writes_and_reads_a_dataset(tmp_path):
    ds = tmp_path / "ds"
    r = _cli("export", str(EXAMPLE), "--to", "parquet", str(ds))
    assert r.returncode == 0, r.stderr
    assert "attributions" in r.stderr
    from_file = _cli("assess", str(EXAMPLE), "--format", "json")
    from_dataset = _cli("assess", str(ds), "--format", "json")
    assert from_dataset.returncode == 0, from_dataset.stderr
    assert from_dataset.stdout == from_file.stdout
    assert _cli("check", str(ds)).returncode == 0


def test_the_command_line_exports_a_store(tmp_path):
    store = tmp_path / "cases.db"
    assert _cli("import", str(EXAMPLE), str(store)).returncode == 0
    r = _cli("export", str(store), "--to", "parquet", str(tmp_path / "ds"))
    assert r.returncode == 0, r.stderr
    assert claimtrack.load(tmp_path / "ds").assess() == claimtrack.load(EXAMPLE).assess()


def test_bad_data_is_a_message_not_a_traceback(tmp_path):
    n = len(claimtrack.load(EXAMPLE).claims)
    ds = _bad(tmp_path, "claims", "question", [1] * n, pa.int64())
    r = _cli("check", str(ds))
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert f"{ds}: claims, row 0, column question: expected text, got a number (1)" in r.stderr


def test_export_usage_errors(tmp_path):
    assert _cli("export", str(EXAMPLE), "--to", "parquet").returncode == 2
    assert _cli("export", str(EXAMPLE), "--to", "json", str(tmp_path / "x")).returncode == 2
    assert _cli("export", str(EXAMPLE), "--to", "parquet", "a", "b").returncode == 2
    assert _cli("export", str(EXAMPLE), "--to", "nothing").returncode == 2


def test_a_table_in_many_row_groups_reads_back_whole(tmp_path):
    """Each row group of a column has a dictionary of its own; every one is read through its own."""
    case = claimtrack.load(EXAMPLE)
    dump_dataset(case, tmp_path / "ds")
    for table in ("attributions", "documents", "claims"):
        path = tmp_path / "ds" / f"{table}.parquet"
        pq.write_table(pq.read_table(path), path, row_group_size=3)
    assert pq.ParquetFile(tmp_path / "ds" / "attributions.parquet").metadata.num_row_groups > 1
    again = claimtrack.load(tmp_path / "ds")
    assert again.attributions == case.attributions
    assert again.documents == case.documents
    assert again.claims == case.claims


def test_a_null_in_a_required_column_of_the_many_is_placed(tmp_path):
    claims = [a.claim for a in claimtrack.load(EXAMPLE).attributions]
    ds = _bad(tmp_path, "attributions", "claim", [*claims[:2], None, *claims[3:]])
    with pytest.raises(CaseFileError) as e:
        claimtrack.load(ds)
    (p,) = e.value.problems
    assert str(p) == f"{ds}: attributions, row 2, column claim: required field 'claim' is missing"
