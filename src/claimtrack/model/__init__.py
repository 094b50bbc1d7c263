"""The records of a case, its values, anchors, and the Case that holds and checks them.

The lowest part: it imports nothing else of claimtrack but :mod:`claimtrack.errors`.
"""

from claimtrack.model._anchor import Anchor, AnchorStatus
from claimtrack.model._case import Case
from claimtrack.model._period import Period
from claimtrack.model._records import (
    Affiliation,
    AffiliationKind,
    Attribution,
    Claim,
    Credibility,
    Document,
    DocumentKind,
    Evidence,
    EvidenceKind,
    Hedge,
    Mode,
    Question,
    Relation,
    RelationKind,
    Reliability,
    Source,
    SourceKind,
    Stance,
)
from claimtrack.model._values import Count


__all__ = [
    "Affiliation",
    "AffiliationKind",
    "Anchor",
    "AnchorStatus",
    "Attribution",
    "Case",
    "Claim",
    "Count",
    "Credibility",
    "Document",
    "DocumentKind",
    "Evidence",
    "EvidenceKind",
    "Hedge",
    "Mode",
    "Period",
    "Question",
    "Relation",
    "RelationKind",
    "Reliability",
    "Source",
    "SourceKind",
    "Stance",
]
