"""Learned reliability and copy detection, for large corpora nobody graded."""

from claimtrack.engine.learned._reliability import (
    Copying,
    LearnedGrade,
    find_copying,
    learn_reliability,
    suggest_grades,
)


__all__ = ["Copying", "LearnedGrade", "find_copying", "learn_reliability", "suggest_grades"]
