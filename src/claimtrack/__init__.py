"""Track claims and who made them; weigh them honestly; show them side by side.

The public surface is what ``__all__`` lists; everything else lives in private modules.
Each name is imported when first used, so a command that only reads and checks a case
does not pay for the engine and the exporters (numpy among them) at start-up.
"""

import importlib
import warnings

from typing import TYPE_CHECKING, Any


if TYPE_CHECKING:
    from claimtrack import errors, export
    from claimtrack.engine import (
        Accuracy,
        Assessment,
        Assessments,
        AssessmentWarning,
        Confidence,
        Contradiction,
        ContradictionKind,
        Copying,
        Estimate,
        Figures,
        Flip,
        LearnedGrade,
        Sensitivity,
        Settings,
        Stake,
        Status,
        Vote,
        WarningKind,
        find_copying,
        learn_reliability,
        sensitivity,
        suggest_grades,
    )
    from claimtrack.errors import (
        CaseError,
        CaseFileError,
        IntegrityError,
        Problem,
        Severity,
        StoreError,
    )
    from claimtrack.files import Limits, dumps, load, loads
    from claimtrack.model import (
        Affiliation,
        AffiliationKind,
        Anchor,
        AnchorStatus,
        Attribution,
        Case,
        Claim,
        Count,
        Credibility,
        Document,
        DocumentKind,
        Evidence,
        EvidenceKind,
        Hedge,
        Mode,
        Period,
        Question,
        Relation,
        RelationKind,
        Reliability,
        Source,
        SourceKind,
        Stance,
    )
    from claimtrack.store import open_store


__all__ = [
    "Accuracy",
    "Affiliation",
    "AffiliationKind",
    "Anchor",
    "AnchorStatus",
    "Assessment",
    "AssessmentWarning",
    "Assessments",
    "Attribution",
    "Case",
    "CaseError",
    "CaseFileError",
    "Claim",
    "Confidence",
    "Contradiction",
    "ContradictionKind",
    "Copying",
    "Count",
    "Credibility",
    "Document",
    "DocumentKind",
    "Estimate",
    "Evidence",
    "EvidenceKind",
    "Figures",
    "Flip",
    "Hedge",
    "IntegrityError",
    "LearnedGrade",
    "Limits",
    "Mode",
    "Period",
    "Problem",
    "Question",
    "Relation",
    "RelationKind",
    "Reliability",
    "Sensitivity",
    "Settings",
    "Severity",
    "Source",
    "SourceKind",
    "Stake",
    "Stance",
    "Status",
    "StoreError",
    "Vote",
    "WarningKind",
    "dumps",
    "errors",
    "export",
    "find_copying",
    "learn_reliability",
    "load",
    "loads",
    "open_store",
    "sensitivity",
    "suggest_grades",
]


_RENAMED = {"Notice": "AssessmentWarning"}
"""Old names kept for one release, each with a DeprecationWarning naming the new one."""


_HOMES = (
    "claimtrack.errors",
    "claimtrack.model",
    "claimtrack.files",
    "claimtrack.store",
    "claimtrack.engine",
)
"""Where the public names live, the lightest part first: a name is taken from the first that has it."""


def __getattr__(name: str) -> Any:
    if name in _RENAMED:
        new = _RENAMED[name]
        warnings.warn(
            f"claimtrack.{name} is deprecated and will be removed; use claimtrack.{new}",
            DeprecationWarning,
            stacklevel=2,
        )
        return __getattr__(new)
    if name in {"errors", "export"}:
        return importlib.import_module(f"claimtrack.{name}")
    if name in __all__:
        for home in _HOMES:
            module = importlib.import_module(home)
            if hasattr(module, name):
                value = globals()[name] = getattr(module, name)
                return value
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415 - looked up only when asked

        return version("claimtrack")
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
