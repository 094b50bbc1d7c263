"""The assessments as plain data: the JSON shape ``claimtrack assess --format json`` prints."""

from __future__ import annotations

from typing import Any

import cattrs

from claimtrack.engine import Assessments
from claimtrack.files._converter import CONVERTER


def assessments_to_data(
    result: Assessments, *, conv: cattrs.Converter = CONVERTER
) -> dict[str, Any]:
    """Unstructure assessments into the JSON shape ``claimtrack assess`` prints."""
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
