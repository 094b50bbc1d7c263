"""A dataset judged on Dask: one task per part of the case that nothing couples to the rest.

Questions are judged together when a relation joins their claims (``contradicts``,
``implies``, ``supersedes`` and the others between answers of different questions, see
:mod:`~claimtrack.engine._joint`) or an attribution of one withdraws an attribution of
another; a claim that answers no question is a question of its own. Everything else the
engine weighs stays within one claim (echoes, evidence shared by attributions, repeated
origins, stakes) or belongs to the sources, which every part holds whole. So the
connected parts of that graph are judged apart, each as a sub-case of all the sources and
the documents, evidence, questions, claims, attributions and relations it uses, by the
one engine (``Case.assess``), and their rows concatenated: the same numbers as one
machine gives.

Learned mode is refused here: its rounds estimate each source's accuracy from the whole
corpus at once.
"""

from __future__ import annotations

import importlib

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from claimtrack._joins import Joins
from claimtrack.engine import Assessments, Settings
from claimtrack.files._case_files import load
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
) -> dd.DataFrame:
    """The assessments of a dataset's claims, as a lazy Dask frame with one row per claim.

    Args:
        path: A Parquet dataset folder (or any case ``claimtrack.load`` reads), or a case.
        client: The ``distributed.Client`` to run on: the sources are sent to its
            workers once. Without one, Dask's default scheduler runs the tasks.
        settings: The engine's knobs; learned mode is refused.
        partitions: How many tasks to judge the parts in (default: twice the client's
            worker threads, or 8), never more than there are parts.

    Raises:
        ValueError: *settings* ask for learned mode.
    """
    dask, frames = _dask()
    on: Any = client  # distributed's Client is partly unannotated
    settings = settings or Settings()
    if settings.learn:
        msg = (
            "learned mode is not available on the Dask engine: it learns each source's "
            "accuracy from the whole corpus at once; assess on one machine instead"
        )
        raise ValueError(msg)
    case = path if isinstance(path, Case) else load(path)
    groups = parts(case)
    if partitions is None:
        threads = sum(on.nthreads().values()) if on is not None else 4
        partitions = 2 * max(threads, 1)
    bins = _packed(case, groups, max(1, min(partitions, len(groups))))
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
    tasks = [dask.delayed(_judge, pure=True)(shared, r, case.title, settings) for r in records]
    meta = frame_of(Assessments(()))
    if not tasks:
        return cast("dd.DataFrame", frames.from_pandas(meta, npartitions=1))
    return cast("dd.DataFrame", frames.from_delayed(tasks, meta=meta, verify_meta=False))


def _dask() -> tuple[Any, Any]:
    """Dask and dask.dataframe, used through ``Any``: parts of their API are unannotated."""
    try:
        return importlib.import_module("dask"), importlib.import_module("dask.dataframe")
    except ModuleNotFoundError:
        raise ModuleNotFoundError(_NEEDS) from None


def parts(case: Case) -> list[list[str]]:
    """The claims of *case* in the parts judged apart, each in the case's order.

    Two claims are in one part when they answer one question, a relation joins them, or
    an attribution of one withdraws an attribution of the other.
    """
    claims = list(case.claims)
    where = {cid: i for i, cid in enumerate(claims)}
    joins: Joins[int] = Joins()
    first_of: dict[str, int] = {}
    for i, claim in enumerate(case.claims.values()):
        if claim.question is not None:
            j = first_of.setdefault(claim.question, i)
            if j != i:
                joins.join(i, j)
    for rel in case.relations:
        a, b = (where.get(c) for c in rel.claims)
        if a is not None and b is not None:
            joins.join(a, b)
    said = {att.id: att.claim for att in case.attributions if att.id is not None}
    for att in case.attributions:
        other = said.get(att.withdraws) if att.withdraws is not None else None
        a, b = where.get(att.claim), where.get(other) if other is not None else None
        if a is not None and b is not None:
            joins.join(a, b)
    out: dict[int, list[str]] = {}
    for i, cid in enumerate(claims):
        out.setdefault(joins.root(i), []).append(cid)
    return list(out.values())


def _packed(case: Case, groups: list[list[str]], n: int) -> list[set[str]]:
    """*groups* packed into *n* bins of about equal work, the heaviest group first."""
    work: dict[str, int] = dict.fromkeys(case.claims, 1)
    for att in case.attributions:
        if att.claim in work:
            work[att.claim] += 1
    weighed = sorted(((sum(work[c] for c in g), k) for k, g in enumerate(groups)), reverse=True)
    bins: list[set[str]] = [set() for _ in range(n)]
    loads = [0] * n
    for weight, k in weighed:
        lightest = loads.index(min(loads))
        bins[lightest].update(groups[k])
        loads[lightest] += weight
    return bins


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


def _judge(
    sources: Sequence[Source], records: list[object], title: str, settings: Settings
) -> pd.DataFrame:
    """One part judged by the one engine, as rows of the assessments' frame."""
    case = Case.from_records([*sources, *records], title=title)
    return frame_of(case.assess(settings))


_TEXT = ("claim", "question", "admiralty")


def frame_of(result: Assessments) -> pd.DataFrame:
    """``Assessments.to_dataframe()``, its ids and codes as pandas ``string`` columns.

    Every part's frame has then the same types, the empty one (Dask's ``meta``) too,
    whatever pandas infers for text.
    """
    frame = result.to_dataframe()
    return frame.astype(dict.fromkeys(_TEXT, "string"))
