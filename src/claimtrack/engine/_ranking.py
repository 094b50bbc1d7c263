"""The order of a question's answers, and so its leading answer.

Answers go most probable first, in the case's order among equals, with one exception:
an open-ended count ("at least 100") ranks just below a precise answer it holds (an
exact figure, a range or an approximate figure within its range) unless its own
support is the stronger. "At least 100" is true whenever "471" is, so it is always at
least as probable; ranking it first would make the vaguer statement the verdict on the
strength of the precise one's sources.
"""

from __future__ import annotations

import math

from collections.abc import Mapping, Sequence

from claimtrack.engine._assessment import Assessment
from claimtrack.engine._joint import entailers
from claimtrack.model import Claim, Stance


def ranked(claims: Sequence[Claim], assessments: Mapping[str, Assessment]) -> list[Claim]:
    """*claims* (one question's answers, in the case's order) as a report lists them.

    First most probable first, the case's order among equals; then each open-ended count,
    in that order, moves to just below the last of the precise answers it holds that are
    backed at least as strongly as itself, if it stands above it.
    """
    order = [
        c
        for _, c in sorted(
            enumerate(claims), key=lambda x: (-assessments[x[1].id].probability, x[0])
        )
    ]
    precise = [c for c in claims if _bounded(c)]
    vague = [c for c in order if c.value is not None and not _bounded(c)]
    if not (precise and vague):
        return order
    support: dict[str, float] = {}

    def own(claim: Claim) -> float:
        """The weight of what asserts *claim*: its own support."""
        found = support.get(claim.id)
        if found is None:
            votes = assessments[claim.id].votes
            found = support[claim.id] = math.fsum(
                v.weight for v in votes if v.stance is Stance.ASSERTS
            )
        return found

    by_id = {c.id: c for c in claims}
    for claim in vague:
        held = [by_id[e] for e in entailers(claim, precise, set())]
        below = [e for e in held if own(e) >= own(claim)]
        if below:
            last = max(order.index(e) for e in below)
            if order.index(claim) < last:
                order.remove(claim)
                order.insert(last, claim)  # after the removal, *last* is just below it
    return order


def _bounded(claim: Claim) -> bool:
    """Whether the claim's count has both bounds: exact, a range, or approximate."""
    value = claim.value
    return value is not None and value.low is not None and value.high is not None
