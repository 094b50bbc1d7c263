"""The assessments as plain data: the JSON shape ``claimtrack assess --format json`` prints."""

from __future__ import annotations

from typing import Any

import cattrs

from claimtrack.engine import Assessments
from claimtrack.files._converter import CONVERTER


def assessments_to_data(
    result: Assessments, *, conv: cattrs.Converter = CONVERTER
) -> dict[str, Any]:
    """Unstructure assessments into the JSON shape ``claimtrack assess`` prints.

    Each vote holds its origin, stance, weight, publishers and attribution positions,
    then who stands behind it: its ``stake`` (``none``, ``own-actions``, ``accuses``,
    ``denies-blame``, ``admits``, ``against-interest``), the speaker's ``hedge`` (an ICD
    203 word, or ``null``), the other ``speakers`` it counts, and the ids of the
    ``evidence`` it rests on.
    """
    return {
        "assessments": [
            {
                "claim": a.claim,
                "question": a.question,
                "probability": round(a.probability, 6),
                "estimate": a.estimate.value,
                "confidence": a.confidence.value,
                "credibility": a.credibility.value,
                "admiralty": a.admiralty,
                "status": a.status.value,
                "origins_for": len(a.origins_for),
                "origins_against": len(a.origins_against),
                "votes": [
                    {
                        "origin": v.origin,
                        "stance": v.stance.value,
                        "weight": round(v.weight, 6),
                        "publishers": list(v.publishers),
                        "attributions": list(v.attributions),
                        "stake": v.stake.value,
                        "hedge": v.hedge.value if v.hedge is not None else None,
                        "speakers": list(v.speakers),
                        "evidence": list(v.evidence),
                    }
                    for v in a.votes
                ],
                "reasons": list(a.reasons),
            }
            for a in result.assessments
        ],
        "contradictions": [conv.unstructure(c) for c in result.contradictions],
        "warnings": [conv.unstructure(w) for w in result.warnings],
        "figures": [conv.unstructure(f) for f in result.figures],
    }
