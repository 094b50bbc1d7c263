"""``claimtrack assess DIR --engine dask [--scheduler ADDRESS] -o OUT_DIR``."""

from __future__ import annotations

import contextlib
import importlib
import logging

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimtrack.dask._assess import assess
from claimtrack.engine import Settings
from claimtrack.errors import CaseFileError, Problem


if TYPE_CHECKING:
    from distributed import Client


def assess_to_parquet(
    case: str | Path, out: str | Path, *, scheduler: str | None, settings: Settings
) -> int:
    """Assess the dataset *case* on Dask and write the rows as Parquet to *out*; their count.

    On the scheduler at *scheduler*, or on a local cluster started and stopped here.
    *out* is made if missing; a folder holding anything but Parquet files is refused.
    """
    target = Path(out)
    if target.exists() and (
        not target.is_dir() or any(p.suffix != ".parquet" for p in target.iterdir())
    ):
        msg = "holds files other than Parquet (or is not a folder): give a new or empty folder"
        raise CaseFileError([Problem("", msg, file=str(target))])
    with _client(scheduler) as client:
        frame: Any = assess(case, client, settings=settings)
        frame = frame.persist()  # once, for the file and the count
        frame.to_parquet(str(target), write_index=False, overwrite=target.exists())
        return len(frame)


@contextlib.contextmanager
def _client(scheduler: str | None) -> Iterator[Client]:
    # distributed's Client and LocalCluster are unannotated: used through Any
    distributed: Any = importlib.import_module("distributed")
    if scheduler is not None:
        with distributed.Client(scheduler) as client:
            yield client
        return
    with (
        # quiet: workers log errors when the scheduler closes before them at the end
        distributed.LocalCluster(
            dashboard_address=None, processes=True, silence_logs=logging.CRITICAL
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client
