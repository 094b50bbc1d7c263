"""The confidence engine: origins, contradictions, votes, judgements and their reasons."""

from claimtrack.engine._assess import assess
from claimtrack.engine._assessment import (
    Assessment,
    Assessments,
    AssessmentWarning,
    Explained,
    Explanation,
    Figures,
    Vote,
    WarningKind,
)
from claimtrack.engine._contradictions import Contradiction, ContradictionKind
from claimtrack.engine._ranking import ranked
from claimtrack.engine._scales import Confidence, Estimate, Status
from claimtrack.engine._sensitivity import Flip, Sensitivity, sensitivity
from claimtrack.engine._settings import HEDGE_SHARES, Accuracy, Settings
from claimtrack.engine._stakes import Stake
from claimtrack.engine.learned import (
    Copying,
    LearnedGrade,
    find_copying,
    learn_reliability,
    suggest_grades,
)


__all__ = [
    "HEDGE_SHARES",
    "Accuracy",
    "Assessment",
    "AssessmentWarning",
    "Assessments",
    "Confidence",
    "Contradiction",
    "ContradictionKind",
    "Copying",
    "Estimate",
    "Explained",
    "Explanation",
    "Figures",
    "Flip",
    "LearnedGrade",
    "Sensitivity",
    "Settings",
    "Stake",
    "Status",
    "Vote",
    "WarningKind",
    "assess",
    "find_copying",
    "learn_reliability",
    "ranked",
    "sensitivity",
    "suggest_grades",
]
