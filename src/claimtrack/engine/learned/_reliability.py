"""Learned reliability and copy detection, for large corpora nobody graded.

Each source's accuracy is learned from agreement in the manner of the Accu model, and
pairs of sources that copy each other without saying so are found from the answers they
share; see :mod:`~claimtrack.engine.learned._fit` for how, and
``docs/learned-reliability.md`` for why. ``Settings(learn=True)`` assesses with what is
learned; these functions give what is learned itself.
"""

from __future__ import annotations

import attrs

from claimtrack._gc import gc_paused
from claimtrack.engine._settings import Settings
from claimtrack.engine.learned._engine import LearnedEngine
from claimtrack.engine.learned._fit import Copying, LearnedGrade
from claimtrack.model import Case, Reliability, Source


__all__ = ["Copying", "LearnedGrade", "find_copying", "learn_reliability", "suggest_grades"]


def learn_reliability(case: Case, settings: Settings | None = None) -> dict[str, LearnedGrade]:
    """Learn the reliability of every source that speaks in *case*, by source id.

    Args:
        case: The case; it should be valid (see :meth:`Case.validate`).
        settings: The engine's knobs; ``learn`` is implied.
    """
    chosen = attrs.evolve(settings or Settings(), learn=True)
    with gc_paused():
        return LearnedEngine(case, chosen).learn().grades


def find_copying(case: Case, settings: Settings | None = None) -> list[Copying]:
    """The pairs of sources of *case* likely to copy each other, most likely first."""
    chosen = attrs.evolve(settings or Settings(), learn=True)
    with gc_paused():
        return LearnedEngine(case, chosen).learn().copying


def suggest_grades(case: Case, settings: Settings | None = None) -> list[Source]:
    """Suggested grades for the sources the analyst left ungraded, as new source records.

    Each is the case's source with the learned letter and a note on the evidence, made
    with :func:`attrs.evolve`; the case itself is left as it is. Sources with a grade, and
    sources with too little evidence to judge (learned F), get no suggestion. Take one
    with ``case.replace(source)``.
    """
    out = []
    for sid, grade in sorted(learn_reliability(case, settings).items()):
        source = case.sources.get(sid)
        if source is None or source.reliability is not None or grade.letter is Reliability.F:
            continue
        note = (
            f"Learned grade {grade.letter.value}: accuracy {grade.accuracy:.2f}, "
            f"{grade.agreements:.1f} of {grade.items} stances borne out."
        )
        notes = f"{source.notes}\n{note}" if source.notes else note
        out.append(attrs.evolve(source, reliability=grade.letter, notes=notes))
    return out
