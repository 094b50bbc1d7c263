"""What a long command is doing, shown on standard error while it runs (``--progress``).

Only on a terminal: a pipe or a log file gets nothing, so the option is safe in scripts.
The bar is drawn by rich and goes away when the command ends; the command's own output,
on standard output or in a file, is never touched.
"""

from __future__ import annotations

import contextlib
import sys

from collections.abc import Callable, Iterator
from typing import IO, TYPE_CHECKING, Self


if TYPE_CHECKING:
    from rich.progress import Progress


Advance = Callable[[int], None]
"""Told how many more items of a stage are done."""


def _nothing(_done: int) -> None:
    pass


class Stages:
    """The stages of one command (reading, checking, judging, writing), each with its bar.

    Args:
        enabled: Whether ``--progress`` was given.
        stream: Where the bar goes; standard error by default. Nothing is drawn unless it
            is a terminal.
    """

    def __init__(self, *, enabled: bool, stream: IO[str] | None = None) -> None:
        out = sys.stderr if stream is None else stream
        self._progress: Progress | None = None
        if enabled and out.isatty():
            from rich.console import Console  # noqa: PLC0415 - only a terminal with --progress needs it
            from rich.progress import (  # noqa: PLC0415
                BarColumn,
                MofNCompleteColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(file=out, markup=False, highlight=False, emoji=False),
                transient=True,
                # the command's own output stays where it goes: rich would otherwise take
                # what is printed to standard output and print it above the bar, on stderr
                redirect_stdout=False,
                redirect_stderr=False,
            )

    def __enter__(self) -> Self:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    @contextlib.contextmanager
    def stage(self, what: str, total: int | None = None) -> Iterator[Advance]:
        """Show *what* is being done, with a bar when *total* items are known.

        Yields the function to call with each number of items done; a stage without a
        total shows a spinner and the time taken.
        """
        progress = self._progress
        if progress is None:
            yield _nothing
            return
        task = progress.add_task(what, total=total)

        def advance(done: int) -> None:
            progress.advance(task, done)

        try:
            yield advance
        finally:
            progress.update(task, completed=total if total is not None else 1, total=total or 1)
            progress.remove_task(task)
