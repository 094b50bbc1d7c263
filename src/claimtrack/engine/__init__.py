"""The confidence engine: origins, contradictions, votes, judgements and their reasons."""

from claimtrack.engine._assess import (
    Accuracy,
    Assessment,
    Assessments,
    Confidence,
    Estimate,
    Figures,
    Notice,
    Settings,
    Status,
    Vote,
    WarningKind,
    assess,
)
from claimtrack.engine._contradictions import Contradiction, ContradictionKind
from claimtrack.engine.learned import (
    Copying,
    LearnedGrade,
    find_copying,
    learn_reliability,
    suggest_grades,
)


__all__ = [
    "Accuracy",
    "Assessment",
    "Assessments",
    "Confidence",
    "Contradiction",
    "ContradictionKind",
    "Copying",
    "Estimate",
    "Figures",
    "LearnedGrade",
    "Notice",
    "Settings",
    "Status",
    "Vote",
    "WarningKind",
    "assess",
    "find_copying",
    "learn_reliability",
    "suggest_grades",
]
