"""The engine's entry point: assess every claim of a case, plainly or with learned weights."""

from __future__ import annotations

from claimtrack._gc import gc_paused
from claimtrack.engine._assessment import Assessments
from claimtrack.engine._engine import Engine
from claimtrack.engine._settings import Settings
from claimtrack.engine.learned._engine import LearnedEngine
from claimtrack.model import Case


def assess(case: Case, settings: Settings | None = None) -> Assessments:
    """Assess every claim of *case*.

    Args:
        case: The case; it should be valid (see :meth:`Case.validate`).
        settings: The engine's knobs; the documented defaults if omitted. With
            ``as_of``, the case as it was known then (:meth:`Case.as_of`).

    The collector is paused meanwhile: the run makes many small objects and no cycles,
    and on a large case the collector would otherwise walk the whole case again and
    again for nothing.
    """
    settings = settings or Settings()
    if settings.as_of is not None:
        case = case.as_of(settings.as_of)
    engine = LearnedEngine if settings.learn else Engine
    with gc_paused():
        return engine(case, settings).run()
