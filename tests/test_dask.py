"""The Dask engine: a dataset judged a connected part at a time gives one machine's answers."""

from __future__ import annotations

import itertools
import subprocess
import sys
import tempfile

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import claimtrack

from claimtrack.engine import Settings
from claimtrack.files._parquet import dump_dataset


sys.path.insert(0, str(Path(__file__).parent))  # tests/ is not a package; strategies.py sits here
from strategies import cases


dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")

import claimtrack.dask  # noqa: E402

from claimtrack.dask._assess import frame_of  # noqa: E402


EXAMPLE = Path(__file__).parents[1] / "examples" / "iraq-2024" / "case.yaml"


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # a free port: never one another cluster holds
            host="127.0.0.1",
            protocol="tcp",
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


def _same(case, got, settings=None):
    """Every column of every claim's assessment as one machine gives it (probability to 1e-12)."""
    one = frame_of(case.assess(settings)).set_index("claim")
    got = got.set_index("claim")
    assert sorted(got.index) == sorted(one.index)
    got = got.loc[one.index]
    assert list(got.columns) == list(one.columns)
    assert (abs(got.probability - one.probability) <= 1e-12).all()
    for column in one.columns.drop("probability"):
        assert got[column].astype(object).tolist() == one[column].astype(object).tolist(), column


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(case=cases(max_claims=8, max_attributions=10, max_relations=4))
def test_a_cluster_gives_one_machines_answers(client, case):
    """Plain and learned, the workers reading the dataset themselves."""
    with tempfile.TemporaryDirectory() as tmp:
        dump_dataset(case, Path(tmp) / "ds")
        for knobs in (Settings(), Settings(learn=True)):
            got = claimtrack.dask.assess(
                Path(tmp) / "ds", client=client, settings=knobs, partitions=3
            ).compute()
            _same(case, got, knobs)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    case=cases(max_claims=10, max_attributions=16, max_relations=4),
    knobs=st.sampled_from([Settings(learn=True), Settings(learn=True, rounds=2)]),
)
def test_learning_in_parts_gives_one_machines_answers(case, knobs):
    """The rounds of learning summed over parts give the whole case's (in this process)."""
    import dask

    with tempfile.TemporaryDirectory() as tmp, dask.config.set(scheduler="sync"):
        dump_dataset(case, Path(tmp) / "ds")
        got = claimtrack.dask.assess(Path(tmp) / "ds", settings=knobs, partitions=3).compute()
    _same(case, got, knobs)


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(case=cases(max_claims=8, max_attributions=10, max_relations=4))
def test_parts_judged_apart_give_the_whole_cases_answers(case):
    import dask

    with dask.config.set(scheduler="sync"):
        got = claimtrack.dask.assess(case, partitions=3).compute()
    _same(case, got)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(case=cases(max_claims=8, max_attributions=10, max_relations=4))
def test_parts_read_from_a_dataset_give_the_whole_cases_answers(case):
    """Each part holding only the sources that bear on it changes no answer (in this process)."""
    import dask

    with tempfile.TemporaryDirectory() as tmp, dask.config.set(scheduler="sync"):
        dump_dataset(case, Path(tmp) / "ds")
        got = claimtrack.dask.assess(Path(tmp) / "ds", partitions=3).compute()
    _same(case, got)


def _spokesman() -> claimtrack.Case:
    """The two questions, the first also answered by a spokesman of a ministry of a government."""
    case = _two_questions()
    case.add_source("gov", "Government", "government")
    case.add_source("min", "Ministry", "official-body", part_of="gov")
    case.add_source("sp", "Spokesman", "person", speaks_for="min")
    case.add_source("idle", "Nobody cites it", "outlet")
    case.attribute("c1", "sp", document="d1")
    return case


def test_a_part_holds_the_sources_that_bear_on_it(monkeypatch, tmp_path):
    """Those its rows name and whom they speak for or belong to; not the dataset's others."""
    import dask

    import claimtrack.dask._assess as on_dask

    held = []
    read = on_dask.case_of_rows

    def spied(folder, head, tables, numbers):
        case = read(folder, head, tables, numbers)
        held.append(set(case.sources))
        return case

    monkeypatch.setattr(on_dask, "case_of_rows", spied)
    case = _spokesman()
    dump_dataset(case, tmp_path / "ds")
    with dask.config.set(scheduler="sync"):
        got = claimtrack.dask.assess(tmp_path / "ds", partitions=2).compute()
    _same(case, got)
    whole, *parts = held  # the client checks the whole table first
    assert whole == set(case.sources)
    assert sorted(map(sorted, parts)) == [["gov", "min", "s", "sp"], ["s"]]


def test_a_dataset_without_the_optional_columns(tmp_path):
    """Tables written without the columns nobody fills (by another tool) are read alike."""
    import dask
    import pyarrow.parquet as pq

    case = _spokesman()
    dump_dataset(case, tmp_path / "ds")
    for table, column in (
        ("attributions", "via"),
        ("sources", "member_of"),
        ("questions", "parties"),
    ):
        file = tmp_path / "ds" / f"{table}.parquet"
        pq.write_table(pq.read_table(file).drop_columns([column]), file)
    with dask.config.set(scheduler="sync"):
        _same(case, claimtrack.dask.assess(tmp_path / "ds", partitions=2).compute())


def test_a_bad_source_no_part_names_is_refused(tmp_path):
    def nameless(rows: list[dict[str, Any]]) -> None:
        rows[-1]["name"] = ""

    dump_dataset(_spokesman(), tmp_path / "ds")
    _edited(tmp_path / "ds", "sources", nameless)
    _refused_alike(tmp_path / "ds")


def test_the_example_on_the_cluster(client, tmp_path):
    case = claimtrack.load(EXAMPLE)
    dump_dataset(case, tmp_path / "ds")
    frame = claimtrack.dask.assess(tmp_path / "ds", client=client)
    assert isinstance(frame, dd.DataFrame)
    assert list(frame.columns) == list(claimtrack.dask.COLUMNS)
    assert frame.npartitions > 1
    _same(case, frame.compute())


def test_parts_follow_questions_and_relations():
    case = claimtrack.Case(title="Parts")
    case.add_source("s", "S", "outlet")
    for q in ("q1", "q2", "q3"):
        case.add_question(q, f"{q}?")
    case.add_claim("a", "A", question="q1")
    case.add_claim("b", "B", question="q1")
    case.add_claim("c", "C", question="q2")
    case.add_claim("d", "D", question="q3")
    case.add_claim("e", "E")
    case.add_claim("f", "F")
    case.relate("contradicts", "b", "c")
    case.relate("supports", "e", "f")
    assert sorted(map(sorted, claimtrack.dask.parts(case))) == [["a", "b", "c"], ["d"], ["e", "f"]]


def test_the_example_learned_on_the_cluster(client, tmp_path):
    case = claimtrack.load(EXAMPLE)
    dump_dataset(case, tmp_path / "ds")
    knobs = Settings(learn=True)
    _same(
        case,
        claimtrack.dask.assess(tmp_path / "ds", client=client, settings=knobs).compute(),
        knobs,
    )


def test_learned_mode_refuses_what_it_refuses_on_one_machine():
    with pytest.raises(ValueError, match="copy_rate"):
        claimtrack.dask.assess(
            claimtrack.load(EXAMPLE), settings=Settings(learn=True, copy_rate=1.0)
        )


def test_a_bad_row_is_placed_in_the_dataset(tmp_path):
    import dask
    import pyarrow.parquet as pq

    case = claimtrack.load(EXAMPLE)
    dump_dataset(case, tmp_path / "ds")
    file = tmp_path / "ds" / "attributions.parquet"
    table = pq.read_table(file)
    rows = table.to_pylist()
    rows[7]["claim"] = "no-such-claim"
    pq.write_table(type(table).from_pylist(rows, schema=table.schema), file)
    with dask.config.set(scheduler="sync"), pytest.raises(claimtrack.IntegrityError) as e:
        claimtrack.dask.assess(tmp_path / "ds", partitions=3).compute()
    assert "attributions, row 7, column claim" in str(e.value)


def _two_questions() -> claimtrack.Case:
    """Two questions nothing joins, each with an answer said in its own document."""
    case = claimtrack.Case("two")
    case.add_source("s", "S", "outlet")
    case.add_source("t", "T", "outlet")
    for k in (1, 2):
        case.add_document(f"d{k}", "s", f"D{k}")
        case.add_question(f"q{k}", f"Q{k}?")
        case.add_claim(f"c{k}", f"C{k}", question=f"q{k}")
        case.attribute(f"c{k}", "s", document=f"d{k}")
    return case


def _edited(folder: Path, table: str, edit: Callable[[list[dict[str, Any]]], None]) -> None:
    """The dataset in *folder* with *edit* made to the rows of *table*."""
    import pyarrow.parquet as pq

    file = folder / f"{table}.parquet"
    rows = pq.read_table(file).to_pylist()
    edit(rows)
    pq.write_table(pq.read_table(file).from_pylist(rows, schema=pq.read_schema(file)), file)


def _refused_alike(folder: Path, about: str = "") -> None:
    """The Dask path finds in *folder* what ``claimtrack.load`` does (its problems *about*)."""
    import dask

    with pytest.raises(claimtrack.CaseError) as whole:
        claimtrack.load(folder)
    said = [str(p) for p in whole.value.problems if about in p.message]
    with dask.config.set(scheduler="sync"), pytest.raises(claimtrack.CaseError) as e:
        claimtrack.dask.assess(folder, partitions=2).compute()
    found = [str(p) for p in e.value.problems]
    assert said
    assert all(p in found for p in said)


@pytest.mark.parametrize("table", ["claims", "questions", "documents", "sources"])
def test_an_id_given_twice_is_refused_as_on_one_machine(tmp_path, table):
    """A row whose id an earlier row has is found, even where nothing else joins the two."""

    def again(rows: list[dict[str, Any]]) -> None:
        rows[-1]["id"] = rows[0]["id"]
        if table == "claims":  # its attribution names the first, in the other part
            rows[-1]["text"] = rows[0]["text"]

    dump_dataset(_two_questions(), tmp_path / "ds")
    _edited(tmp_path / "ds", table, again)
    _refused_alike(tmp_path / "ds", "duplicate id")


def _with_unused(folder: Path) -> Path:
    """The two questions as a dataset, with documents and questions nothing uses."""
    case = _two_questions()
    for k in range(3, 9):
        case.add_document(f"d{k}", "t", f"D{k}")
        case.add_question(f"q{k}", f"Q{k}?")
    dump_dataset(case, folder)
    return folder


def test_rows_nothing_uses_take_turns_among_the_parts(tmp_path):
    """No part holds every unused row: at scale, the first part would hold a share of the dataset."""
    import claimtrack.dask._assess as on_dask

    n, _, _, targets, _ = on_dask._plan(_with_unused(tmp_path / "ds"), 2, 1)
    assert n == 2
    assert {p for ps in targets["documents"][2:] for p in ps} == {0, 1}
    assert set(targets["questions"][2:]) == {0, 1}


@pytest.mark.parametrize("table", ["questions", "documents"])
def test_an_unused_id_given_twice_is_refused(tmp_path, table):
    """Rows of one id that nothing uses go to one part, where the check finds them together."""

    def again(rows: list[dict[str, Any]]) -> None:
        rows[-1]["id"] = rows[-2]["id"]

    _edited(_with_unused(tmp_path / "ds"), table, again)
    _refused_alike(tmp_path / "ds", "duplicate id")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "claimtrack", *args], capture_output=True, text=True, check=False
    )


def test_the_command_line_on_a_scheduler(client, tmp_path):
    dump_dataset(claimtrack.load(EXAMPLE), tmp_path / "ds")
    out = tmp_path / "out"
    r = _cli(
        "assess", str(tmp_path / "ds"), "--engine", "dask", "--scheduler", client.scheduler.address,
        "-o", str(out),
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    got = pd.read_parquet(out)
    _same(claimtrack.load(EXAMPLE), got)
    assert "wrote 43 assessments" in r.stderr


def test_the_command_line_refuses_what_the_dask_engine_does_not_do(tmp_path):
    ds = str(tmp_path / "ds")
    dump_dataset(claimtrack.load(EXAMPLE), ds)
    for extra in (["--format", "json"], ["--sensitivity"]):
        r = _cli("assess", ds, "--engine", "dask", "-o", str(tmp_path / "out"), *extra)
        assert r.returncode == 2, (extra, r.stderr)
    assert _cli("assess", ds, "--engine", "dask").returncode == 2
    assert _cli("assess", ds, "--scheduler", "tcp://127.0.0.1:1", "-o", "x").returncode == 2


@pytest.mark.parametrize("given", ["dataset", "case"])
def test_a_large_case_is_cut_into_parts_of_bounded_size(monkeypatch, tmp_path, given):
    """Without ``partitions``, a part holds about PART_ATTRIBUTIONS attributions at most.

    The bound is lowered here so that the example is "large": a worker's memory then grows
    with the size of a part, not with the dataset.
    """
    import dask

    case = claimtrack.load(EXAMPLE)
    dump_dataset(case, tmp_path / "ds")
    source = tmp_path / "ds" if given == "dataset" else case
    with dask.config.set(scheduler="sync"):
        few = claimtrack.dask.assess(source).npartitions
        monkeypatch.setattr("claimtrack.dask._assess.PART_ATTRIBUTIONS", 2)
        frame = claimtrack.dask.assess(source)
        parts = len(claimtrack.dask.parts(case))
        assert frame.npartitions == min(parts, -(-len(case.attributions) // 2)) > few
        _same(case, frame.compute())


def test_a_large_dataset_is_read_and_judged_in_waves(monkeypatch, tmp_path):
    """Past ``wave`` attributions per thread, each wave reads the tables for its own parts.

    Both bounds are lowered so that the example is "large". Every row group is read once
    per wave, each time serving that wave's parts alone, no read before the wave before is
    judged, and the answers are unchanged.
    """
    import dask

    from dask.order import order

    import claimtrack.dask._assess as on_dask

    case = claimtrack.load(EXAMPLE)
    dump_dataset(case, tmp_path / "ds")
    monkeypatch.setattr(on_dask, "PART_ATTRIBUTIONS", 2)
    served: list[tuple[str, tuple[int, int]]] = []
    split = on_dask._split

    def spied(file, table, group, **kw):
        served.append((table, kw["parts"]))
        return split(file, table, group, **kw)

    monkeypatch.setattr(on_dask, "_split", spied)
    with dask.config.set(scheduler="sync"):
        frame = claimtrack.dask.assess(tmp_path / "ds", wave=2)
        _same(case, frame.compute())
    waves = sorted({parts for table, parts in served if table == "attributions"})
    assert len(waves) > 1
    # the waves cover every part once, one after another
    assert waves[0][0] == 0
    assert all(a[1] == b[0] for a, b in itertools.pairwise(waves))
    assert waves[-1][1] == frame.npartitions
    # and one after another: each wave's reads, then its parts judged, in Dask's order ...
    graph = dict(frame.__dask_graph__())
    rank = order(graph)
    kinds = [_kind(k) for k in sorted(graph, key=rank.__getitem__) if _kind(k) in ("read", "judge")]
    runs = [kind for kind, _ in itertools.groupby(kinds)]
    assert runs == ["read", "judge"] * len(waves)

    # ... and in the graph itself: no read of a wave before every part of the wave before
    # is judged, whatever order a scheduler of its own would choose
    def wave(key):  # how many gates a task waits behind
        return sum(1 for k in _ancestors(graph, key) if _kind(k) == "gate")

    reads = [k for k in graph if _kind(k) == "read"]
    judged = [k for k in graph if _kind(k) == "judge"]
    wave_of = {k: max(wave(r) for r in _ancestors(graph, k) if _kind(r) == "read") for k in judged}
    assert sorted(set(wave_of.values())) == list(range(len(waves)))
    for read in reads:
        w = wave(read)
        assert {k for k, its in wave_of.items() if its < w} <= _ancestors(graph, read)


def _ancestors(graph, key):
    from dask.core import get_dependencies

    seen, todo = set(), [key]
    while todo:
        for d in get_dependencies(graph, todo.pop()):
            if d not in seen:
                seen.add(d)
                todo.append(d)
    return seen


def _kind(key):
    name = key[0] if isinstance(key, tuple) else key
    if name.startswith("_gate_open"):
        return "gate"
    return "read" if name.startswith("spied") else "judge" if name.startswith("_judged") else ""


@given(
    n=st.integers(1, 70_000),
    data=st.data(),
)
def test_routes_name_every_row_and_part_in_few_bytes(n, data):
    """Each row's parts come back from its routes, in numbers that fit whatever *n* is."""
    import claimtrack.dask._assess as on_dask

    part = st.integers(0, n - 1)
    parts_of = data.draw(st.lists(part | st.lists(part, min_size=1, max_size=3, unique=True)))
    rows, parts = on_dask._routes(parts_of, n)
    if rows is None:
        rows = range(len(parts_of))
    got = sorted(zip(map(int, rows), map(int, parts), strict=True))
    want = sorted(
        (k, p) for k, ps in enumerate(parts_of) for p in ([ps] if isinstance(ps, int) else ps)
    )
    assert got == want
    assert parts.itemsize == (1 if n < 256 else 2 if n < 65_536 else 4)


def test_the_learned_mode_reads_a_dataset_in_one_wave(monkeypatch, tmp_path):
    import dask

    import claimtrack.dask._assess as on_dask

    case = claimtrack.load(EXAMPLE)
    dump_dataset(case, tmp_path / "ds")
    monkeypatch.setattr(on_dask, "PART_ATTRIBUTIONS", 2)
    learn = Settings(learn=True)
    with dask.config.set(scheduler="sync"):
        frame = claimtrack.dask.assess(tmp_path / "ds", settings=learn, wave=2)
        _same(case, frame.compute(), learn)


@pytest.mark.parametrize("wrong", [0, -1, 2.5, True])
@pytest.mark.parametrize("knob", ["partitions", "wave"])
def test_a_wrong_number_of_partitions_is_refused(wrong, knob):
    with pytest.raises(ValueError, match=f"{knob} must be a whole number"):
        claimtrack.dask.assess(claimtrack.load(EXAMPLE), **{knob: wrong})
