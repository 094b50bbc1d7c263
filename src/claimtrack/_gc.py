"""Pausing the garbage collector while millions of acyclic objects are made."""

from __future__ import annotations

import gc

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of acyclic objects are made.

    Each collection walks every object made so far, so leaving it on makes a large load
    or assessment quadratic in effect; records, parsed data and the engine's results hold
    no cycles, so nothing is missed.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
