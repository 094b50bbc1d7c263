"""A dataset judged on Dask: one task per part of the case that nothing couples to the rest.

Questions are judged together when a relation joins their claims (``contradicts``,
``implies``, ``supersedes`` and the others between answers of different questions, see
:mod:`~claimtrack.engine._joint`) or an attribution of one withdraws an attribution of
another (or shares its id); a claim that answers no question is a question of its own.
Everything else the engine weighs stays within one claim (echoes, evidence shared by
attributions, repeated origins, stakes) or belongs to the sources. So the connected
parts of that graph are judged apart, each as a sub-case of the sources and the
documents, evidence, questions, claims, attributions and relations it uses, by the one
engine, and their rows concatenated: the same numbers as one machine gives. (A part read
from a dataset holds only the sources that bear on its rows, see :func:`_bearing`; a case
held here sends every part all of them.)

From a dataset folder the client reads only the columns that say what joins what (ids and
references) and the sources; workers read the tables a row group at a time and send each
row to the parts that use it, and each part is read into a case by the code that reads a
whole dataset, checked alike.

In learned mode every source's accuracy depends on the whole corpus: the parts stay on
the workers, and in each round every part weighs its votes and sends back partial sums
(per source, how far its stances are borne out; per pair of sources, the answers they
share; the coincidences of wrong answers), which are added up here; the new accuracies
and copy discounts go back to every part (:func:`claimtrack.engine.learned._fit.learn`,
the very rounds one machine runs).
"""

from __future__ import annotations

import importlib
import operator

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import attrs
import numpy as np

from claimtrack._gc import gc_paused
from claimtrack._joins import Joins
from claimtrack.engine import Assessments, Settings
from claimtrack.engine.learned._engine import LearnedEngine, priors
from claimtrack.engine.learned._fit import Learnt, Part, _check, learn
from claimtrack.errors import CaseFileError, Problem
from claimtrack.files._case_files import load
from claimtrack.files._parquet import (
    TABLES,
    arrow,
    case_of_rows,
    is_dataset,
    manifest,
    schema,
    values_of,
)
from claimtrack.model import Case, Source


if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd

    from distributed import Client


COLUMNS = (
    "claim",
    "question",
    "probability",
    "estimate",
    "confidence",
    "reliability",
    "credibility",
    "admiralty",
    "status",
    "origins_for",
    "origins_against",
)
"""The columns of the assessments' frame: those of ``Assessments.to_dataframe()``."""

_NEEDS = 'the Dask engine needs dask and distributed: pip install "claimtrack[dask]"'


def assess(
    path: str | Path | Case,
    client: Client | None = None,
    *,
    settings: Settings | None = None,
    partitions: int | None = None,
    wave: int | None = None,
) -> dd.DataFrame:
    """The assessments of a dataset's claims, as a Dask frame with one row per claim.

    Args:
        path: A Parquet dataset folder, which the workers read, or any case
            ``claimtrack.load`` reads, or a case (both read or held here and sent).
        client: The ``distributed.Client`` to run on. Without one, Dask's default
            scheduler runs the tasks in this process.
        settings: The engine's knobs. In learned mode (``learn=True``) the rounds of
            learning run on the workers before this returns; the frame itself is lazy.
        partitions: How many parts to judge the case in, never more than there are
            independent parts. By default, twice the client's worker threads (or 8), and
            more for a large case, so that no part holds much over
            ``PART_ATTRIBUTIONS`` attributions. A dataset folder larger than
            *wave* attributions for each worker thread is read and judged in waves of
            parts. A worker's memory then grows with the size of a part and of a wave,
            not with the dataset's.
        wave: About the most attributions a wave's parts hold for each worker thread;
            by default ``WAVE_ATTRIBUTIONS``. Larger on workers with the memory for it:
            each wave reads the dataset's tables once more.

    Raises:
        ValueError: *settings* the learned mode cannot work with.
        CaseFileError, IntegrityError: The dataset is unreadable or not a valid case.
    """
    dask, frames = _dask()
    on: Any = client  # distributed's Client is partly unannotated
    settings = settings or Settings()
    if settings.learn:
        _check(settings)
    threads = max(sum(on.nthreads().values()) if on is not None else 4, 1)
    for name, given in (("partitions", partitions), ("wave", wave)):
        if given is not None and (type(given) is not int or given < 1):
            msg = f"{name} must be a whole number of one or more, not {given!r}"
            raise ValueError(msg)
    meta = frame_of(Assessments(()))

    def judge(recipes: list[tuple[Any, ...]], make: Any) -> list[Any]:
        if settings.learn:  # the parts stay on the workers, round after round
            return _learned(
                [dask.delayed(make, pure=True)(*r) for r in recipes], settings, on, dask
            )
        # each part read and judged in one task: no part outlives its judging
        return [dask.delayed(_judged, pure=True)(make, r, settings) for r in recipes]

    if not isinstance(path, Case) and is_dataset(path):
        per_wave = 0 if settings.learn else (wave or WAVE_ATTRIBUTIONS) * threads
        tasks = _read_on_workers(
            Path(path),
            partitions=partitions,
            threads=threads,
            on=on,
            dask=dask,
            judge=judge,
            per_wave=per_wave,
            whole_sources=settings.learn,
        )
    else:
        case = path if isinstance(path, Case) else load(path)
        recipes = _sent(case, partitions or _how_many(threads, len(case.attributions)), on, dask)
        tasks = judge(recipes, _sub_case) if recipes else []
    if not tasks:
        return cast("dd.DataFrame", frames.from_pandas(meta, npartitions=1))
    return cast("dd.DataFrame", frames.from_delayed(tasks, meta=meta, verify_meta=False))


PART_ATTRIBUTIONS = 250_000
"""About the most attributions one part holds when ``assess`` chooses how many parts."""


WAVE_ATTRIBUTIONS = 1_000_000
"""About the most attributions a worker thread's parts hold at once, read from a dataset.

A dataset larger than that many for every worker thread is judged in waves: each reads
the tables again, keeping only the rows of its own parts. No read of a wave starts before
every part of the wave before is judged: the reads wait on a gate task that waits on them
(``tests/test_dask.py`` pins it, in the graph and in Dask's order). A worker then holds
about a wave's rows, never two waves', not the dataset's, for one more reading of the
tables per wave. (The learned mode holds every part through its rounds, so it reads the
dataset in one wave.)
"""


def _how_many(threads: int, attributions: int) -> int:
    """How many parts to cut a case of *attributions* into for *threads* worker threads."""
    return max(2 * threads, -(-attributions // PART_ATTRIBUTIONS))


def _sent(case: Case, n: int, on: Any, dask: Any) -> list[tuple[Any, ...]]:
    """The parts of *case*, held here: for each, the arguments of :func:`_sub_case`."""
    groups = parts(case)
    bins = _packed(case, groups, max(1, min(n, len(groups))))
    sources = list(case.sources.values())
    records = [_records(case, b) for b in bins if b]
    shared: Any
    if on is not None:
        # straight to the workers, not through the scheduler's graph: the sources to each
        # worker once, each part's records to one
        shared = on.scatter(sources, broadcast=True, hash=False)
        records = on.scatter(records, hash=False) if records else []
    else:
        shared = dask.delayed(sources, traverse=False)
    return [(shared, r, case.title) for r in records]


def _sub_case(sources: Sequence[Source], records: list[object], title: str) -> Case:
    return Case.from_records([*sources, *records], title=title, check=False)


def _judged(make: Any, recipe: tuple[Any, ...], settings: Settings) -> pd.DataFrame:
    """One part, made by *make* from *recipe*, judged by the one engine: rows of the frame."""
    case = make(*recipe)
    with gc_paused():
        return frame_of(case.assess(settings))


def _dask() -> tuple[Any, Any]:
    """Dask and dask.dataframe, used through ``Any``: parts of their API are unannotated."""
    try:
        return importlib.import_module("dask"), importlib.import_module("dask.dataframe")
    except ModuleNotFoundError:
        raise ModuleNotFoundError(_NEEDS) from None


def parts(case: Case) -> list[list[str]]:
    """The claims of *case* in the parts judged apart, each in the case's order.

    Two claims are in one part when they answer one question, a relation joins them, or
    an attribution of one withdraws an attribution of the other or has its id.
    """
    claims = list(case.claims)
    links = [rel.claims for rel in case.relations]
    atts = case.attributions
    groups = _components(
        claims,
        questions=[c.question for c in case.claims.values()],
        relations=links,
        att_ids=[a.id for a in atts],
        att_claims=[a.claim for a in atts],
        withdraws=[a.withdraws for a in atts],
    )
    return [[claims[i] for i in g] for g in groups]


def _components(
    claims: Sequence[object],
    *,
    questions: Sequence[object],
    relations: Iterable[Sequence[object]],
    att_ids: Sequence[object],
    att_claims: Sequence[object],
    withdraws: Sequence[object],
) -> list[list[int]]:
    """The claims (by position) in groups nothing joins: see :func:`parts`.

    Ids come as read, so any may be missing or not text: those join nothing. Two claims
    of one id (an error in a dataset) are joined, for the check to find them together.
    """
    where = {cid: i for i, cid in enumerate(claims) if isinstance(cid, str)}
    joins: Joins[int] = Joins()
    if len(where) != sum(isinstance(cid, str) for cid in claims):
        _join_alike(joins, claims)  # one id twice: one part, where the check finds it
    _join_alike(joins, questions)
    for pair in relations:
        a, b = (where.get(c) if isinstance(c, str) else None for c in (*pair, None, None)[:2])
        if a is not None and b is not None:
            joins.join(a, b)
    said: dict[object, int] = {}
    # most attributions have no id and withdraw nothing: only those that do are looked at
    for k in _given(att_ids):
        aid, cid = att_ids[k], att_claims[k]
        at = where.get(cid) if isinstance(cid, str) else None
        if isinstance(aid, str) and at is not None:
            j = said.setdefault(aid, at)  # one id twice: one part, where the check finds it
            if j != at:
                joins.join(j, at)
    for k in _given(withdraws):
        cid, other = att_claims[k], withdraws[k]
        a = where.get(cid) if isinstance(cid, str) else None
        b = said.get(other) if isinstance(other, str) else None
        if a is not None and b is not None:
            joins.join(a, b)
    out: dict[int, list[int]] = {}
    for i in range(len(claims)):
        out.setdefault(joins.root(i), []).append(i)
    return list(out.values())


def _join_alike(joins: Joins[int], values: Sequence[object]) -> None:
    """Join the claims (by position) whose *values* are one text: an id, or a question."""
    first: dict[object, int] = {}
    for i, value in enumerate(values):
        j = first.setdefault(value, i) if isinstance(value, str) else i
        if j != i:
            joins.join(i, j)


def _given(values: Sequence[object]) -> list[int]:
    """The places of *values* that hold something, found at C speed when none does."""
    if values.count(None) == len(values):
        return []
    return [k for k, v in enumerate(values) if v is not None]


def _bins(weights: list[int], n: int) -> list[int]:
    """For each group of *weights*, its bin of *n*: about equal work, the heaviest first."""
    loads = [0] * n
    out = [0] * len(weights)
    for weight, k in sorted(((w, k) for k, w in enumerate(weights)), reverse=True):
        lightest = loads.index(min(loads))
        out[k] = lightest
        loads[lightest] += weight
    return out


def _packed(case: Case, groups: list[list[str]], n: int) -> list[set[str]]:
    """*groups* packed into *n* bins of about equal work (a claim and its attributions)."""
    work: dict[str, int] = dict.fromkeys(case.claims, 1)
    for att in case.attributions:
        if att.claim in work:
            work[att.claim] += 1
    bins: list[set[str]] = [set() for _ in range(n)]
    for k, b in enumerate(_bins([sum(work[c] for c in g) for g in groups], n)):
        bins[b].update(groups[k])
    return bins


# ---- a dataset read by the workers ----------------------------------------------------------


def _read_on_workers(
    folder: Path,
    *,
    partitions: int | None,
    threads: int,
    on: Any,
    dask: Any,
    judge: Any,
    per_wave: int,
    whole_sources: bool,
) -> list[Any]:
    """The tasks judging the dataset in *folder*: *judge* of each part's recipe, wave by wave.

    Here only the ids and references that say what joins what are read, and the sources
    (every worker gets the table). Each row group of each other table is read by one task
    per wave, which sends every row to the wave's parts that use it: a claim, its
    attributions, question and relations to its claim's part; a document or an item of
    evidence to every part whose attributions use it. A document, item of evidence or
    question nothing uses goes to one part all the same, to be checked: the parts take
    turns, so that none holds the dataset's unused rows (rows of one id go to one part,
    where the check finds them together). Each part is then the arguments of
    :func:`_part_case`. A wave's parts hold about *per_wave* attributions at most (0: one
    wave); see :data:`WAVE_ATTRIBUTIONS`. Every worker gets the sources table, and each
    part takes from it the sources that bear on its rows (see :func:`_bearing`), or all
    of them if *whole_sources* (the learned mode, whose priors one part gives for all);
    the table is checked whole here, so that a source no part names is checked too.
    """
    with gc_paused():  # lists of millions of ids, none in a cycle; no network call in it
        n, head, files, targets, sources = _plan(folder, partitions, threads)
        # the sources checked whole: each part holds only those that bear on it
        checked = case_of_rows(
            folder, head, {"sources": sources}, {"sources": list(range(sources.num_rows))}
        )
        behind = None if whole_sources else _behind(checked)
    if on is not None:
        sources, behind = on.scatter([sources, behind], broadcast=True, hash=False)
    pq = arrow().parquet
    groups_of: list[tuple[Path, str, int, int, Any]] = []  # file, table, group, start, routes
    for table, parts_of in targets.items():
        file = files[table]
        if file is None:
            continue
        try:
            sizes = [g.num_rows for g in _row_groups(pq.ParquetFile(file))]
        except (arrow().ArrowException, OSError, ValueError) as e:
            raise _unreadable(folder, table, e) from None
        start = 0
        for g, size in enumerate(sizes):
            groups_of.append((file, table, g, start, _routes(parts_of[start : start + size], n)))
            start += size
    # each row group's routes scattered to the workers, not put in the graph, which would
    # then grow with the dataset and go through the scheduler; every wave uses them
    tos = [t for *_, t in groups_of]
    sent = (
        on.scatter(tos, hash=False)
        if on is not None and tos
        else [dask.delayed(t, traverse=False, pure=False) for t in tos]
    )
    attributions = len(targets["attributions"])
    tasks: list[Any] = []
    gate = None
    waves = _waves(n, attributions, per_wave)
    for w, (lo, hi) in enumerate(waves):
        pieces = _reads(groups_of, sent, (lo, hi), gate, dask)
        recipes = [(folder, head, sources, pieces[p], behind) for p in range(hi - lo)]
        judged = judge(recipes, _part_case)
        if w + 1 < len(waves):
            gate = _gate(judged, dask)
        tasks += judged
    return tasks


def _reads(
    groups_of: list[tuple[Path, str, int, int, Any]],
    sent: list[Any],
    parts: tuple[int, int],
    gate: Any,
    dask: Any,
) -> list[list[Any]]:
    """For each part from the first to the past-last of *parts* (a wave), its rows' reads.

    A row group with no row for the wave is not read for it; every read waits on *gate*.
    """
    lo, hi = parts
    pieces: list[list[Any]] = [[] for _ in range(lo, hi)]
    for (file, table, g, start, (_, part_of)), to in zip(groups_of, sent, strict=True):
        if not ((part_of >= lo) & (part_of < hi)).any():
            continue  # nothing in this row group for this wave: not read for it
        split = dask.delayed(_split, pure=False, nout=hi - lo)(
            file, table, g, start=start, to=to, parts=parts, after=gate
        )
        for p in range(hi - lo):
            pieces[p].append(split[p])
    return pieces


def _gate(judged: list[Any], dask: Any) -> Any:
    """A task done once every one of *judged* is: the reads of the next wave wait on it.

    Without it, a worker left waiting for another's rows reads the next wave early and
    holds two waves' rows at once. It waits on a small task beside each part, so that no
    part's rows travel to it. Its graph keeps only its own tasks' layers, not those of
    what they wait on: every read of the next wave carries it, and a graph of everything
    before would make building the graph grow with the square of the number of waves.
    What it waits on is in the frame's graph all the same, as the frame's own parts.
    """
    graphs = importlib.import_module("dask.highlevelgraph")
    delayed = importlib.import_module("dask.delayed")
    ends = [dask.delayed(_part_done, pure=False)(j) for j in judged]
    gate = dask.delayed(_gate_open, pure=False)(*ends)
    whole = gate.__dask_graph__()
    own = [d.__dask_layers__()[0] for d in (gate, *ends)]
    kept = {name: whole.layers[name] for name in own}
    deps = {name: whole.dependencies[name] & set(own) for name in own}
    return delayed.Delayed(gate.key, graphs.HighLevelGraph(kept, deps), layer=own[0])


def _part_done(_part: object) -> None:
    """Done beside a judged part, once it is: what a gate waits on."""


def _gate_open(*_ends: None) -> None:
    """Done once every part of a wave is: the reads of the next wave wait on it."""


def _waves(n: int, attributions: int, per_wave: int) -> list[tuple[int, int]]:
    """The *n* parts of a dataset of *attributions* in waves: the first and past-last part of each.

    As few waves as keep each under *per_wave* attributions (0: one wave); the parts are
    packed to about equal work, so a run of them is about its share.
    """
    count = max(1, min(n, -(-attributions // per_wave) if per_wave else 1))
    size = -(-n // count)
    return [(lo, min(lo + size, n)) for lo in range(0, n, size)]


def _plan(  # noqa: C901, PLR0912, PLR0915 - the plan, table by table
    folder: Path, partitions: int | None, threads: int
) -> tuple[int, dict[str, Any], dict[str, Path | None], dict[str, Sequence[int | list[int]]], Any]:
    """How to cut the dataset in *folder*, read from its ids and references alone.

    Returns the number of parts, the manifest, each table's file, each row's part (or a
    document's or evidence's parts) by table, and the sources table.
    """
    pq = arrow().parquet
    head = manifest(folder)
    found = head.get("counts")
    counts: dict[str, Any] = found if isinstance(found, dict) else {}
    files = {t: _table(folder, t, counts) for t in TABLES}

    def column(table: str, *names: str) -> list[list[Any]]:
        file = files[table]
        if file is None:
            return [[] for _ in names]
        try:
            got = pq.read_table(file, columns=list(names))
        except (arrow().ArrowException, OSError, ValueError) as e:
            raise _unreadable(folder, table, e) from None
        return [values_of(got.column(c)) for c in names]

    claim_ids, questions = column("claims", "id", "question")
    att_ids, att_claims, withdraws, documents, based_on = column(
        "attributions", "id", "claim", "withdraws", "document", "based_on"
    )
    (links,) = column("relations", "claims")
    links = [c if isinstance(c, list) else [] for c in links]
    groups = _components(
        claim_ids,
        questions=questions,
        relations=links,
        att_ids=att_ids,
        att_claims=att_claims,
        withdraws=withdraws,
    )
    where = {c: i for i, c in enumerate(claim_ids) if isinstance(c, str)}
    claim_at = _places(where, att_claims)
    work = [1] * len(claim_ids)
    for i in claim_at:
        if i is not None:
            work[i] += 1
    n = max(1, min(partitions or _how_many(threads, len(att_claims)), len(groups)))
    part = [0] * len(claim_ids)
    for k, b in enumerate(_bins([sum(work[i] for i in g) for g in groups], n)):
        for i in groups[k]:
            part[i] = b

    def of_claim(cid: object) -> int:
        i = where.get(cid) if isinstance(cid, str) else None
        return part[i] if i is not None else 0

    att_parts = [0 if i is None else part[i] for i in claim_at]
    used: dict[str, dict[object, set[int]]] = {"documents": {}, "evidence": {}}
    by_document = used["documents"]
    try:  # one part, a set of one, for the many documents all of whose attributions are in it
        for p, doc in zip(att_parts, documents, strict=True):
            found = by_document.get(doc)
            if found is None:
                by_document[doc] = {p}
            elif p not in found:
                found.add(p)
    except TypeError:  # an unhashable document: it names none, and the check says so
        by_document.clear()
        for p, doc in zip(att_parts, documents, strict=True):
            by_document.setdefault(doc if isinstance(doc, str) else None, set()).add(p)
    for k in _given(based_on):
        based = based_on[k]
        for e in based if isinstance(based, list) else []:
            used["evidence"].setdefault(e, set()).add(att_parts[k])
    asked: dict[object, int] = {}
    for q, p in zip(questions, part, strict=True):
        asked.setdefault(q, p)
    targets: dict[str, Sequence[int | list[int]]] = {
        "claims": part,
        "attributions": att_parts,
        "relations": [
            next((of_claim(c) for c in pair if of_claim(c) or c in where), 0) for pair in links
        ],
    }
    for table in ("documents", "evidence", "questions"):
        (ids,) = column(table, "id")
        turns: dict[object, int] = {}  # a part for each id nothing uses, in turn
        if table == "questions":
            targets[table] = [
                asked[q] if q in asked else turns.setdefault(q, len(turns) % n) for q in ids
            ]
        else:
            found_in = used[table]
            targets[table] = [
                sorted(found_in[i]) if i in found_in else [turns.setdefault(i, len(turns) % n)]
                for i in ids
            ]
    sources: Any = (
        pq.read_table(files["sources"]) if files["sources"] else schema("sources").empty_table()
    )
    return n, head, files, targets, sources


def _table(folder: Path, table: str, counts: dict[str, Any]) -> Path | None:
    """The file of *table*, None if it is not there and the manifest counts no rows."""
    file = folder / f"{table}.parquet"
    if file.exists():
        return file
    if counts.get(table):
        msg = f"missing: {file.name} is not in the folder"
        raise CaseFileError([Problem(table, msg, file=str(folder))])
    return None


def _unreadable(folder: Path, table: str, e: Exception) -> CaseFileError:
    msg = f"not a readable Parquet table: {e}"
    return CaseFileError([Problem(table, msg, file=str(folder))])


def _row_groups(file: Any) -> list[Any]:
    return [file.metadata.row_group(g) for g in range(file.metadata.num_row_groups)]


def _routes(parts_of: Sequence[int | list[int]], n: int) -> tuple[Any, Any]:
    """Each row's part (or a document's or evidence's parts) as two arrays: rows and parts.

    Arrays, not lists: ``distributed`` sends a list an item at a time, which for the
    parts of a row group of 65,536 rows takes seconds. The workers hold these for every
    wave, so they are as small as they can be: the rows are ``None`` when every row has
    one part (the rows are then the row group's, in order), and each number is of the
    smallest type that holds it, a byte a row for up to 255 parts of *n*.
    """
    kind = np.min_scalar_type(n)
    if all(isinstance(p, int) for p in parts_of):
        return None, np.asarray(parts_of, dtype=kind)
    pairs = [(k, p) for k, ps in enumerate(parts_of) for p in ([ps] if isinstance(ps, int) else ps)]
    flat = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    return flat[:, 0].astype(np.min_scalar_type(len(parts_of))), flat[:, 1].astype(kind)


def _split(
    file: Path,
    table: str,
    group: int,
    *,
    start: int,
    to: tuple[Any, Any],
    parts: tuple[int, int],
    after: None = None,  # noqa: ARG001 - the gate of the wave before: waited on, not read
) -> list[tuple[str, Any, list[int]]]:
    """One row group of *table*, its rows sent to the parts *to* names: per part, its rows.

    *to* holds, in two arrays, rows of the group and the part each goes to (a row that
    several parts use comes once for each; no rows: each row once, in order; see
    :func:`_routes`); only the parts from the first to the past-last of *parts* (a wave)
    are served. Each part's rows go as an Arrow table (compact to send, and read by
    columns), with their places in the table, in order.
    """
    pa = arrow()
    lo, hi = parts
    row_of, part_of = to
    keep = (part_of >= lo) & (part_of < hi)
    row_of = np.flatnonzero(keep) if row_of is None else row_of[keep]
    part_of = part_of[keep] - lo
    rows = pa.parquet.ParquetFile(file).read_row_group(group)
    order = np.argsort(part_of, kind="stable")  # each part's rows stay in the table's order
    ends = np.cumsum(np.bincount(part_of, minlength=hi - lo))
    out = []
    for p in range(hi - lo):
        k = row_of[order[(ends[p - 1] if p else 0) : ends[p]]]
        at = k.astype(np.int64) + start  # its place in the table, which may pass 2**31
        out.append((table, _compact(rows.take(pa.array(k))), at.tolist()))
    return out


def _compact(rows: Any) -> Any:
    """*rows* with each dictionary column's dictionary cut down to the values they hold.

    A piece taken from a row group shares the row group's whole dictionary; sent to another
    worker, it would carry it all, once for every part the row group feeds.
    """
    pa = arrow()
    for i, field in enumerate(rows.schema):
        if pa.types.is_dictionary(field.type):
            column = rows.column(i)
            kind = pa.dictionary(pa.int32(), field.type.value_type)  # one type for every piece
            own = [c.dictionary_decode().dictionary_encode().cast(kind) for c in column.chunks]
            rows = rows.set_column(i, pa.field(field.name, kind), pa.chunked_array(own, kind))
    return rows


def _places(where: dict[str, int], ids: list[Any]) -> list[int | None]:
    """The place in *where* of each of *ids*; ``None`` for one it lacks, or that is not an id."""
    try:
        return list(map(where.get, ids))
    except TypeError:  # an unhashable value where an id belongs: it names nothing
        return [where.get(c) if isinstance(c, str) else None for c in ids]


def _part_case(
    folder: Path,
    head: dict[str, Any],
    sources: Any,
    pieces: list[tuple[str, Any, list[int]]],
    behind: dict[str, set[str]] | None,
) -> Case:
    """A part's sub-case from the rows sent to it, read and checked as a dataset is.

    It holds the sources that bear on its rows (see :func:`_bearing`; all of them if
    *behind* is ``None``), so that a part's size, not the dataset's, bounds what it holds.
    """
    pa = arrow()
    tables: dict[str, list[Any]] = {}
    numbers: dict[str, list[int]] = {}
    for table, rows, at in pieces:
        tables.setdefault(table, []).append(rows)
        numbers.setdefault(table, []).extend(at)
    whole = {t: pa.concat_tables(parts) for t, parts in tables.items()}
    kept = list(range(sources.num_rows)) if behind is None else _bearing(sources, behind, whole)
    whole["sources"] = sources.take(pa.array(kept, pa.int64()))
    numbers["sources"] = kept
    return case_of_rows(folder, head, whole, numbers)


NAMING = {
    "attributions": ("source", "via"),
    "documents": ("publisher",),
    "questions": ("parties",),
    "claims": ("about", "blames"),
    "relations": ("by",),
}
"""The columns of each table whose values name sources."""


def _behind(checked: Case) -> dict[str, set[str]]:
    """For each source of *checked* tied to others, every source it belongs to, itself too."""
    return {sid: checked.belongs_to(sid) for sid, s in checked.sources.items() if s.affiliations()}


def _bearing(sources: Any, behind: dict[str, set[str]], tables: dict[str, Any]) -> list[int]:
    """The rows of *sources* that bear on the rows of *tables*, in order.

    Those are the sources the rows name (:data:`NAMING`) and every source those speak
    for, are members of or are part of, as far as the ties go (*behind*, from
    :func:`_behind`): the engine weighs a claim by its sources and what stands behind
    them, never by a source nothing of it names or stands behind (the tests compare every
    part's answers with one machine's). A source the part names but the table lacks is
    left for the check to report.
    """
    named = _named(tables)
    found = named.union(*(behind[sid] for sid in named if sid in behind))
    ids = values_of(sources.column("id"))
    return [k for k, sid in enumerate(ids) if isinstance(sid, str) and sid in found]


def _named(tables: dict[str, Any]) -> set[str]:
    """Every id in the columns of *tables* that name sources (:data:`NAMING`)."""
    is_list = arrow().types.is_list
    named: set[str] = set()
    for table, columns in NAMING.items():
        rows = tables.get(table)
        if rows is None:
            continue
        given = [n for n in columns if n in rows.column_names]
        for chunk in (c for name in given for c in rows.column(name).chunks):
            values = chunk  # each piece a chunk, with its own dictionary
            while is_list(values.type):
                values = values.flatten()
            named.update(v for v in values.unique().to_pylist() if isinstance(v, str))
    return named


# ---- learned mode -----------------------------------------------------------------------------


@attrs.frozen
class _Learner:
    """A part's engine, and the part of learning it holds."""

    engine: LearnedEngine
    part: Part | None = None


def _learner(case: Case, settings: Settings) -> _Learner:
    if settings.as_of is not None:
        case = case.as_of(settings.as_of)
    with gc_paused():
        engine = LearnedEngine(case, settings)
        engine.read()
    return _Learner(engine)


def _origins(learner: _Learner) -> tuple[set[str], bool]:
    """The part's origins, and whether anything in it is dated."""
    return set(learner.engine.read().origins), learner.engine.dated()


def _begun(learner: _Learner, origin_ids: list[str], dated: bool) -> _Learner:
    return _Learner(learner.engine, learner.engine.part(origin_ids, dated=dated))


def _priors(learner: _Learner, origin_ids: list[str]) -> tuple[Any, Any]:
    engine = learner.engine
    return priors(origin_ids, engine.sources, engine.settings)


def _stepped(learner: _Learner, step: Any, args: tuple[Any, ...]) -> tuple[_Learner, Any]:
    with gc_paused():
        part, out = step(learner.part, *args)
    return _Learner(learner.engine, part), out


def _judge_learnt(learner: _Learner, learnt: Learnt) -> pd.DataFrame:
    """A part judged by the learned engine, with what the whole case taught it."""
    engine = learner.engine
    assert learner.part is not None  # noqa: S101 - learning ran first
    with gc_paused():
        engine.take(learner.part, learnt)
        return frame_of(engine.run())


class _OnCluster:
    """The parts of learning, each held by a worker; the rounds' orders broadcast to all."""

    def __init__(self, client: Any, learners: list[Any]) -> None:
        self.client = client
        self.learners = learners

    def map(self, step: Any, *args: Any) -> list[Any]:
        on = self.client
        shared = on.scatter([args], broadcast=True, hash=False)[0]
        both = [on.submit(_stepped, f, step, shared, pure=False) for f in self.learners]
        self.learners = [on.submit(operator.itemgetter(0), b, pure=False) for b in both]
        out: list[Any] = on.gather([on.submit(operator.itemgetter(1), b, pure=False) for b in both])
        return out


class _InProcess:
    """The parts of learning held in this process, for Dask's default scheduler."""

    def __init__(self, learners: list[_Learner]) -> None:
        self.learners = learners

    def map(self, step: Any, *args: Any) -> list[Any]:
        stepped = [_stepped(learner, step, args) for learner in self.learners]
        self.learners = [learner for learner, _ in stepped]
        return [out for _, out in stepped]


def _learned(cases: list[Any], settings: Settings, on: Any, dask: Any) -> list[Any]:
    """Learn on the parts of *cases* where they are, then a task judging each with it."""
    made = [dask.delayed(_learner, pure=True)(c, settings) for c in cases]
    if on is not None:
        learners: list[Any] = on.compute(made)
        found = on.gather([on.submit(_origins, f, pure=False) for f in learners])
    else:
        learners = list(dask.compute(*made))
        found = [_origins(learner) for learner in learners]
    origin_ids = sorted(set().union(*(o for o, _ in found)))
    dated = any(d for _, d in found)
    parts_: _OnCluster | _InProcess
    if on is not None:
        prior = on.submit(_priors, learners[0], origin_ids, pure=False).result()
        ids = on.scatter([origin_ids], broadcast=True, hash=False)[0]
        parts_ = _OnCluster(on, [on.submit(_begun, f, ids, dated, pure=False) for f in learners])
    else:
        prior = _priors(learners[0], origin_ids)
        parts_ = _InProcess([_begun(learner, origin_ids, dated) for learner in learners])
    learnt: Any = learn(parts_, prior, settings)
    if on is not None:
        learnt = on.scatter([learnt], broadcast=True, hash=False)[0]
    return [dask.delayed(_judge_learnt, pure=True)(f, learnt) for f in parts_.learners]


def _records(case: Case, claims: set[str]) -> list[object]:
    """The records a part's sub-case holds but the sources: what its claims use, in order."""
    atts = [a for a in case.attributions if a.claim in claims]
    documents = {a.document for a in atts if a.document is not None}
    evidence = {e for a in atts for e in a.based_on}
    questions = {c.question for cid, c in case.claims.items() if cid in claims and c.question}
    out: list[object] = [d for k, d in case.documents.items() if k in documents]
    out += [e for k, e in case.evidence.items() if k in evidence]
    out += [q for k, q in case.questions.items() if k in questions]
    out += [c for k, c in case.claims.items() if k in claims]
    out += atts
    out += [r for r in case.relations if r.claims[0] in claims or r.claims[1] in claims]
    return out


_TEXT = ("claim", "question", "admiralty")


def frame_of(result: Assessments) -> pd.DataFrame:
    """``Assessments.to_dataframe()``, its ids and codes as pandas ``string`` columns.

    Every part's frame has then the same types, the empty one (Dask's ``meta``) too,
    whatever pandas infers for text.
    """
    frame = result.to_dataframe()
    return frame.astype(dict.fromkeys(_TEXT, "string"))
