"""The assessments as plain data: the JSON shape ``claimtrack assess --format json`` prints."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import cattrs

from claimtrack.engine import Assessments, Sensitivity
from claimtrack.files._converter import CONVERTER


def assessments_to_data(
    result: Assessments,
    *,
    conv: cattrs.Converter = CONVERTER,
    sensitivity: Sequence[Sensitivity] | None = None,
) -> dict[str, Any]:
    """Unstructure assessments into the JSON shape ``claimtrack assess`` prints.

    Each vote holds its origin, stance, weight, publishers and attribution positions,
    then who stands behind it: its ``stake`` (``none``, ``own-actions``, ``accuses``,
    ``denies-blame``, ``admits``, ``against-interest``), the speaker's ``hedge`` (an ICD
    203 word, or ``null``), the other ``speakers`` it counts, and the ids of the
    ``evidence`` it rests on.

    With *sensitivity* (what :func:`claimtrack.sensitivity` found), a last key,
    ``sensitivity``, lists for each question its ``question``, ``leader`` and the leader's
    ``probability``, then its ``flips``: each change's ``origin``, ``change`` (``removed``,
    or ``grade B→C`` and the like), and the ``leader``, its ``probability`` and its
    ``estimate`` once changed.
    """
    data: dict[str, Any] = {
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
    if sensitivity is not None:
        data["sensitivity"] = sensitivity_to_data(sensitivity)
    return data


def sensitivity_to_data(found: Sequence[Sensitivity]) -> list[dict[str, Any]]:
    """What each question's verdict rests on, as the ``sensitivity`` key of the JSON shape."""
    return [
        {
            "question": s.question,
            "leader": s.leader,
            "probability": round(s.probability, 6),
            "flips": [
                {
                    "origin": f.origin,
                    "change": f.change,
                    "leader": f.leader,
                    "probability": round(f.probability, 6),
                    "estimate": f.estimate.value,
                }
                for f in s.flips
            ],
        }
        for s in found
    ]
