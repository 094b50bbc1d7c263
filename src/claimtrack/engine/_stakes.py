"""What a speaker has at stake in what it says: its own actions, an accusation, an admission.

A party to a question speaks with an interest: blaming its adversary or denying its own
blame serves it, so the engine discounts it; owning up to its own blame costs it, so the
engine counts it more (the old rule of evidence that a statement against one's interest is
seldom made unless true). The rules are stated in ``docs/confidence.md``; the factors
they carry are :class:`~claimtrack.engine.Settings` knobs.
"""

from __future__ import annotations

import enum

from collections.abc import Mapping, Sequence

from claimtrack.model import Attribution, Case, Claim, Question, Stance


class Stake(enum.Enum):
    """What the speaker of one attribution has at stake in it."""

    NONE = "none"
    """No stake the case records."""
    OWN_ACTIONS = "own-actions"
    """The claim is about the speaker's own actions (``Claim.about``), so it is discounted."""
    ACCUSES = "accuses"
    """A party asserts an answer that blames another party, so it is discounted."""
    DENIES_BLAME = "denies-blame"
    """A party denies or doubts an answer that blames it, so it is discounted."""
    ADMITS = "admits"
    """A party asserts an answer that blames itself, so it counts more."""
    AGAINST_INTEREST = "against-interest"
    """The analyst marked the statement as against the speaker's interest, so it counts more."""


DISCOUNTED = frozenset((Stake.OWN_ACTIONS, Stake.ACCUSES, Stake.DENIES_BLAME))
"""Stakes whose votes carry :attr:`Settings.interested` of their weight."""
STRENGTHENED = frozenset((Stake.ADMITS, Stake.AGAINST_INTEREST))
"""Stakes whose votes carry :attr:`Settings.against_interest` of their weight."""

STAKE_REASONS: Mapping[Stake, str] = {
    Stake.OWN_ACTIONS: "{name} speaks about its own actions; its vote is discounted.",
    Stake.ACCUSES: (
        "{name}, a party to the question, blames another party; an accusation by a party "
        "is discounted."
    ),
    Stake.DENIES_BLAME: (
        "{name} {said} a claim that blames it; a party's denial of its own blame is discounted."
    ),
    Stake.ADMITS: (
        "{name} asserts a claim that blames it: an admission against its own interest counts more."
    ),
    Stake.AGAINST_INTEREST: (
        "{name} speaks against its own interest (as the analyst marked it): its vote counts more."
    ),
}
"""What the reasons say of a vote with each stake; ``{said}`` is how it took the claim."""


_SAID = {Stance.DENIES: "denies", Stance.DOUBTS: "casts doubt on"}
"""How a vote took the claim, as :data:`STAKE_REASONS` says it; any other stance asserts."""


def stake_reason(stake: Stake, name: str, stance: Stance) -> list[str]:
    """The reason a vote's stake gives, if it has one: *name* is its origin's."""
    found = STAKE_REASONS.get(stake)
    return [] if found is None else [found.format(name=name, said=_SAID.get(stance, "asserts"))]


def stake_of(
    att: Attribution, claim: Claim | None, question: Question | None, sides: set[str]
) -> Stake:
    """The stake of one attribution; *sides* are its speaker and all it belongs to.

    The first rule that holds decides:

    1. marked ``against_interest``: against interest;
    2. a retraction has no stake (it leaves no vote);
    3. the speaker is blamed by the claim: asserting it is an admission, denying or
       doubting it is a denial of blame;
    4. the speaker is a party (listed in the question's ``parties``) and the claim blames
       another party: asserting it is an accusation;
    5. the claim is about the speaker (``about``): it speaks about its own actions.
    """
    if att.against_interest:
        return Stake.AGAINST_INTEREST
    if claim is None or att.stance is Stance.RETRACTS:
        return Stake.NONE
    if claim.blames:
        blamed = sides.intersection(claim.blames)
        if blamed:
            return Stake.ADMITS if att.stance is Stance.ASSERTS else Stake.DENIES_BLAME
        parties = set(question.parties) if question is not None else set()
        if (
            att.stance is Stance.ASSERTS
            and not sides.isdisjoint(parties)
            and not parties.isdisjoint(claim.blames)
        ):
            return Stake.ACCUSES
    if claim.about and not sides.isdisjoint(claim.about):
        return Stake.OWN_ACTIONS
    return Stake.NONE


def stakes(case: Case) -> list[Stake] | None:
    """The stake of every attribution, by position; None when no attribution has one.

    Cheap when the case records no stakes at all, as in most bulk data.
    """
    claims, questions = case.claims, case.questions
    atts: Sequence[Attribution] = case.attributions
    if not (
        any(c.about or c.blames for c in claims.values()) or any(a.against_interest for a in atts)
    ):
        return None
    sides: dict[str, set[str]] = {}
    out = []
    for att in atts:
        found = sides.get(att.source)
        if found is None:
            found = sides[att.source] = case.belongs_to(att.source)
        claim = claims.get(att.claim)
        question = questions.get(claim.question) if claim and claim.question else None
        out.append(stake_of(att, claim, question, found))
    return out
