"""Answers judged together: linked questions, answers nobody asserts, superseded figures.

An exclusive question's answers compete among themselves (see
:mod:`~claimtrack.engine._competition`). Three things reach beyond that:

- **Links.** ``contradicts`` and ``implies`` between answers of different questions (or
  ``implies`` between answers of one question) bind the questions together: each group
  of linked questions is judged on its joint answers, every combination of one hypothesis
  per question that breaks no link, so that ``contradicts(A, B)`` keeps ``P(A) + P(B)``
  at most 1 and ``implies(A, B)`` keeps ``P(A)`` at most ``P(B)``. Up to
  :data:`MOST_COMBINATIONS` combinations are enumerated exactly; a larger group is judged
  question by question and then brought into line with its links (see :func:`project`),
  with a warning naming it.
- **Answers nobody asserts.** An answer of an exclusive question that no attribution
  asserts and no relation names stands aside (:func:`stands_aside`) when another answer
  of its question is asserted or linked: it takes no part, so adding or removing it
  moves no other answer. It holds only what the answers that entail it
  hold (a count within its range): their chance as the answers stand, or as they would
  stand were it one more answer with no support (:func:`unspoken`), whichever is less,
  and never less than its likeliest entailer where its rivals leave room (:func:`floor`).
- **Superseded figures** (``supersedes(new, old)``) are history: they take no part in the
  competition. Such a figure holds what the answers that entail it hold (a count within
  its range, or a declared ``implies``), plus its share of the chance that none of the
  answers taking part holds; so it never moves another answer's figure.
"""

from __future__ import annotations

import itertools
import math

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from claimtrack._joins import Joins
from claimtrack.engine._contradictions import cells
from claimtrack.engine._rules import Bools, Ints
from claimtrack.model import Case, Claim, RelationKind


MOST_COMBINATIONS = 4096
"""The most joint answers a group of linked questions is judged on exactly."""

_LINKS = (RelationKind.CONTRADICTS, RelationKind.IMPLIES)


@attrs.frozen
class Group:
    """Questions (and claims that answer none) judged together because links join them.

    Attributes:
        units: Per member, its hypotheses: each a set of its answers that can hold at
            once; the empty set (none of them) is always among them.
        contradicts: Pairs of claims that cannot both hold.
        implies: Pairs ``(a, b)`` where *a* holding means *b* holds.
        names: The members' names, for a warning: question ids, or claim ids.
    """

    units: tuple[tuple[frozenset[str], ...], ...]
    contradicts: tuple[tuple[str, str], ...]
    implies: tuple[tuple[str, str], ...]
    names: tuple[str, ...]

    @property
    def size(self) -> int:
        """How many joint answers the group has before its links rule any out."""
        return math.prod(len(u) for u in self.units)


def superseded(case: Case) -> dict[str, str]:
    """The claims a later one supersedes, each with its successor (the first by id, if several)."""
    out: dict[str, str] = {}
    for rel in case.relations:
        new, old = rel.claims
        if rel.kind is RelationKind.SUPERSEDES and new in case.claims and old in case.claims:
            out[old] = min(new, out.get(old, new))
    return out


def stands_aside(case: Case, asks: Ints, asserted: Ints, where: Mapping[str, int]) -> Bools:
    """Per claim: whether it is an answer nobody asserts, which stands aside.

    *asks* gives each claim's exclusive question (-1 if none), *asserted* the claim of
    each attribution that asserts one (positions past the case's claims are unknown
    claims), *where* each claim's position (needed only when the case has relations).
    An answer no attribution asserts and no relation names is put forward by nobody:
    were it to take part, it would change how many answers its rivals compete with, and
    so their figures. Where no answer of its question is asserted or linked (a
    superseded figure, history, does not count), there is nothing for it to move but
    answers like it, and the question's answers compete as equals.
    """
    count = len(asks)
    inside = asks >= 0
    spoken = np.zeros(count, dtype=bool)
    spoken[asserted[asserted < count]] = True
    if case.relations:
        spoken[[where[cid] for rel in case.relations for cid in rel.claims if cid in where]] = True
    answered = np.zeros(int(asks.max(initial=-1)) + 1, dtype=bool)
    live = spoken & inside
    old = [where[cid] for cid in superseded(case) if cid in where]
    if old:  # history does not answer a question
        live[old] = False
    answered[asks[live]] = True
    aside: Bools = inside & ~spoken
    aside[aside] = answered[asks[aside]]
    return aside


def unspoken(
    claim: Claim,
    answers: Sequence[Claim],
    *,
    pairs: tuple[set[frozenset[str]], set[frozenset[str]]],
    score: Mapping[str, float],
    group: Group | None,
    among: set[str],
) -> float:
    """What the answers entailing an answer nobody asserts hold, were it one more answer.

    *answers* are its question's answers, in the case's order: those taking part and
    itself; *among* are those that entail it; *score* gives their scores as they would
    be were it taking part too (the engine's ``spare`` scores: one more answer to compete
    with), and its own (denials and doubts only); *pairs* are the declared compatible
    and contradicting pairs. When links bind
    the question into *group*, it is judged within the group's joint answers, as it would
    be taking part (exactly, up to :data:`MOST_COMBINATIONS`; beyond that, within its
    question alone, as a large group's answers are before they are brought into line).
    A first source asserting the answer would add to its score here, so its figure then
    is at least this; a denial lowers it.
    """
    if not among:
        return 0.0
    found = (frozenset(), *cells(answers, *pairs))
    world = Group((found,), (), (), ())
    if group is not None:
        others = {c.id for c in answers} - {claim.id}
        at = next(k for k, unit in enumerate(group.units) if any(cell & others for cell in unit))
        wider = attrs.evolve(group, units=(*group.units[:at], found, *group.units[at + 1 :]))
        world = wider if wider.size <= MOST_COMBINATIONS else world
    return held([c for c in combinations(world) if c], score, among)[0]


def floor(
    claim: str,
    answers: Sequence[Claim],
    *,
    among: set[str],
    pairs: tuple[set[frozenset[str]], set[frozenset[str]]],
    chance: Callable[[int], Any],
    where: Mapping[str, int],
) -> float:
    """The least an answer nobody asserts holds: what its likeliest entailer holds.

    "At least 0" holds whenever "0" does; but never so much that it and its rivals (the
    answers taking part that share no hypothesis with it) would pass certainty together.
    *answers* are its question's answers taking part and itself, *among* those entailing
    it, *chance* each claim's probability by position.
    """
    if not among:
        return 0.0
    share = {x for cell in cells(answers, *pairs) if claim in cell for x in cell}
    rivals = [c.id for c in answers if c.id not in share]
    least = max(float(chance(where[e])) for e in among)
    return max(0.0, min(least, 1.0 - math.fsum(float(chance(where[r])) for r in rivals)))


def links(case: Case, active: Mapping[str, bool]) -> list[tuple[RelationKind, str, str]]:
    """The declared contradicts and implies between answers that take part, once each."""
    seen: set[tuple[RelationKind, str, str]] = set()
    out = []
    for rel in case.relations:
        a, b = rel.claims
        if rel.kind in _LINKS and active.get(a) and active.get(b):
            key = (rel.kind, *(sorted((a, b)) if rel.kind is RelationKind.CONTRADICTS else (a, b)))
            if key not in seen:
                seen.add(key)
                out.append((rel.kind, a, b))
    return out


def unit_of(claim: Claim, exclusive: Mapping[str, bool]) -> str:
    """What a claim competes within: its exclusive question, else itself."""
    if claim.question is not None and exclusive.get(claim.question):
        return f"q:{claim.question}"
    return f"c:{claim.id}"


def groups(
    case: Case,
    active: Mapping[str, bool],
    hypotheses: Mapping[str, Sequence[frozenset[str]]],
) -> list[Group]:
    """The groups of linked questions and claims, in the order of the case.

    *hypotheses* gives each exclusive question's hypotheses over its answers that take
    part (without the empty one); a claim outside such a question has two: itself, or not.
    A question is in a group when a link crosses to another, or an ``implies`` binds two
    of its own answers.
    """
    exclusive = {qid: q.exclusive for qid, q in case.questions.items()}
    found = links(case, active)
    claims = case.claims
    joins: Joins[str] = Joins()
    root = joins.root
    bound: set[str] = set()
    for kind, a, b in found:
        ua, ub = unit_of(claims[a], exclusive), unit_of(claims[b], exclusive)
        if ua != ub or kind is RelationKind.IMPLIES:
            bound |= {ua, ub}
            joins.join(ua, ub)
    if not bound:
        return []
    members = _members(claims, exclusive, bound, active, root)
    own: dict[str, list[tuple[RelationKind, str, str]]] = {}  # each group's links, by root
    for kind, a, b in found:
        unit = unit_of(claims[a], exclusive)
        if unit in bound:
            own.setdefault(root(unit), []).append((kind, a, b))
    out = []
    for key, units in members.items():
        hyps = []
        for unit in units:
            if unit.startswith("q:"):
                hyps.append((frozenset(), *hypotheses.get(unit[2:], ())))
            else:
                hyps.append((frozenset(), frozenset((unit[2:],))))
        mine = own.get(key, [])
        out.append(
            Group(
                tuple(hyps),
                tuple((a, b) for kind, a, b in mine if kind is RelationKind.CONTRADICTS),
                tuple((a, b) for kind, a, b in mine if kind is RelationKind.IMPLIES),
                tuple(u[2:] for u in units),
            )
        )
    return out


def _members(
    claims: Mapping[str, Claim],
    exclusive: Mapping[str, bool],
    bound: set[str],
    active: Mapping[str, bool],
    root: Callable[[str], str],
) -> dict[str, list[str]]:
    """The units of each group, by the group's root, in the case's order."""
    members: dict[str, list[str]] = {}
    for cid, claim in claims.items():  # in the case's order
        unit = unit_of(claim, exclusive)
        if unit in bound and active.get(cid) and unit not in members.get(root(unit), []):
            members.setdefault(root(unit), []).append(unit)
    return members


def combinations(group: Group) -> list[frozenset[str]]:
    """The group's joint answers that break no link, each as the set of answers holding."""
    combos = []
    for parts in itertools.product(*group.units):
        held = frozenset().union(*parts)
        if any(a in held and b in held for a, b in group.contradicts):
            continue
        if any(a in held and b not in held for a, b in group.implies):
            continue
        combos.append(held)
    return combos


def joint(group: Group, score: Mapping[str, float]) -> dict[str, float]:
    """Each answer's probability over the group's joint answers that break no link.

    Every combination scores the sum of its answers' scores; the probabilities are the
    softmax over the combinations (the one holding nothing scores zero, "none of these"),
    and an answer's probability the share of the combinations holding it. Sums and
    exponentials are taken exactly (:func:`math.fsum`, :func:`math.exp`).
    """
    combos = combinations(group)
    values = [math.fsum([score.get(c, 0.0) for c in sorted(held)]) for held in combos]
    top = max(values)
    exps = [math.exp(v - top) for v in values]
    total = math.fsum(exps)
    share: dict[str, list[float]] = {}
    for held, e in zip(combos, exps, strict=True):
        for cid in held:
            share.setdefault(cid, []).append(e)
    answers = {cid for unit in group.units for cell in unit for cid in cell}
    return {cid: min(1.0, math.fsum(share.get(cid, [])) / total) for cid in sorted(answers)}


def project(
    probability: dict[str, float],
    contradicts: Iterable[tuple[str, str]],
    implies: Iterable[tuple[str, str]],
    *,
    rounds: int = 100,
) -> None:
    """Bring figures judged apart into line with their links, in place: the approximation.

    Each round scales a contradicting pair down to sum to at most 1 and lowers an
    implying answer to the answer it implies, until no link is broken.
    """
    clash, imply = list(contradicts), list(implies)
    for _ in range(rounds):
        moved = False
        for a, b in clash:
            total = probability[a] + probability[b]
            if total > 1.0:
                probability[a] /= total
                probability[b] /= total
                moved = True
        for a, b in imply:
            if probability[a] > probability[b]:
                probability[a] = probability[b]
                moved = True
        if not moved:
            return


def entailers(claim: Claim, answers: Sequence[Claim], implies: set[tuple[str, str]]) -> list[str]:
    """The answers that take part and entail *claim*: a count within its range, or a link.

    A count entails another of the same unit whose range holds its own; ``implies`` and
    ``refines`` declare it.
    """
    out = []
    mine = claim.value
    for other in answers:
        if other.id == claim.id:
            continue
        theirs = other.value
        if (other.id, claim.id) in implies:
            out.append(other.id)
        elif mine is not None and theirs is not None and mine.unit == theirs.unit:
            low, high = _span(mine.low, mine.high)
            o_low, o_high = _span(theirs.low, theirs.high)
            if low <= o_low and o_high <= high:
                out.append(other.id)
    return out


def entailing(case: Case) -> set[tuple[str, str]]:
    """Pairs ``(a, b)`` a relation says hold ``a ⇒ b``: implies.

    ``refines`` keeps its meaning: a more precise form that can hold with the other.
    """
    return {
        (rel.claims[0], rel.claims[1]) for rel in case.relations if rel.kind is RelationKind.IMPLIES
    }


def implied_by(claim: str, implies: set[tuple[str, str]], inactive: set[str]) -> list[str]:
    """The claims that take part and that a relation says imply *claim*, sorted."""
    return sorted(a for a, b in implies if b == claim and a not in inactive)


def held(
    cells: Sequence[frozenset[str]], score: Mapping[str, float], among: set[str]
) -> tuple[float, float]:
    """The chance that one of *among* holds over *cells*, and that none of the cells does."""
    if not cells:
        return 0.0, 1.0
    values = [math.fsum([score.get(c, 0.0) for c in sorted(cell)]) for cell in cells]
    top = max(0.0, *values)
    exps = [math.exp(v - top) for v in values]
    total = math.fsum(exps) + math.exp(-top)
    inside = math.fsum([e for cell, e in zip(cells, exps, strict=True) if cell & among])
    return min(1.0, inside / total), min(1.0, math.exp(-top) / total)


def rest_shares(
    everything: Sequence[frozenset[str]], score: Mapping[str, float], taking_part: set[str]
) -> dict[str, float]:
    """How the chance that no answer taking part holds is shared among those that do not.

    *everything* are the hypotheses of all of a question's answers; those holding no
    answer that takes part compete with "none of these", by the answers' own scores.
    """
    rest = [cell for cell in everything if not cell & taking_part]
    if not rest:
        return {}
    values = [math.fsum([score.get(c, 0.0) for c in sorted(cell)]) for cell in rest]
    top = max(0.0, *values)
    exps = [math.exp(v - top) for v in values]
    total = math.fsum(exps) + math.exp(-top)
    share: dict[str, list[float]] = {}
    for cell, e in zip(rest, exps, strict=True):
        for cid in cell:
            share.setdefault(cid, []).append(e)
    return {cid: min(1.0, math.fsum(parts) / total) for cid, parts in share.items()}


def aside(
    *, entailed: float, none: float, own: float, above: Sequence[float], below: Sequence[float]
) -> float:
    """What an answer that takes no part holds.

    What the answers entailing it hold (*entailed*), plus, of the chance that none of the
    answers taking part holds (*none*), its share (*own*: among the answers of its
    exclusive question that take no part, by their own scores (:func:`rest_shares`), or
    for a claim that answers none, the logistic of its score); never less than an answer
    that takes part and implies it (*above*), nor more than its links to answers that
    take part allow (*below*: one less a contradicting answer's chance, or the chance of
    an answer it implies).
    """
    return min([max([min(1.0, entailed + none * own), *above]), *below])


def bounds(
    claim: str, found: Iterable[tuple[RelationKind, str, str]], probability: Mapping[str, float]
) -> list[float]:
    """The ceilings the links of *claim* to answers that take part put on it."""
    out = []
    for kind, a, b in found:
        if kind is RelationKind.CONTRADICTS and claim in (a, b):
            other = b if claim == a else a
            if other in probability:
                out.append(1.0 - probability[other])
        elif kind is RelationKind.IMPLIES and claim == a and b in probability:
            out.append(probability[b])
    return out


def settle(
    probability: dict[str, float],
    found: Iterable[tuple[RelationKind, str, str]],
    inactive: set[str],
    *,
    rounds: int = 100,
) -> None:
    """Hold answers that take no part to their links with one another, in place.

    Only answers that take no part move: a contradicting pair's are scaled down to sum to
    at most 1, an implying one lowered to what it implies, an implied one raised to what
    implies it, until no link is broken. Links are visited in sorted order, so the result
    does not depend on the order of the case.
    """
    mine = sorted(
        (kind.value, a, b)
        for kind, a, b in found
        if (a in inactive or b in inactive) and a in probability and b in probability
    )
    for _ in range(rounds):
        moved = False
        for kind, a, b in mine:
            pa, pb = probability[a], probability[b]
            if kind == RelationKind.CONTRADICTS.value and pa + pb > 1.0 + 1e-12:
                if a in inactive and b in inactive:
                    probability[a], probability[b] = pa / (pa + pb), pb / (pa + pb)
                elif a in inactive:
                    probability[a] = 1.0 - pb
                else:
                    probability[b] = 1.0 - pa
                moved = True
            elif kind == RelationKind.IMPLIES.value and pa > pb + 1e-12:
                if a in inactive:
                    probability[a] = pb
                else:
                    probability[b] = pa
                moved = True
        if not moved:
            return


def declared_links(case: Case) -> list[tuple[RelationKind, str, str]]:
    """Every declared contradicts and implies, as ``(kind, first, second)``."""
    return [(rel.kind, *rel.claims) for rel in case.relations if rel.kind in _LINKS]


def logistic(score: float) -> float:
    """The chance a claim alone holds against its negation, from its score, exactly."""
    top = max(score, 0.0)
    e = math.exp(score - top)
    return min(1.0, e / (e + math.exp(-top)))


def current(case: Case, claim: str) -> str:
    """The figure that stands at the end of a claim's chain of supersession."""
    later = superseded(case)
    seen = {claim}
    while claim in later and later[claim] not in seen:
        claim = later[claim]
        seen.add(claim)
    return claim


def part_reasons(case: Case, claim: str, found: Sequence[Group], *, active: bool) -> list[str]:
    """What the reasons say of a claim's part in the competition: links, supersession."""
    return Parts(case, found).reasons(claim, active=active)


_CONTRADICTS = "Judged together with claim '{}', which it contradicts: the two cannot both hold."
_BELOW = "Held at or below claim '{}', which it implies."
_ABOVE = "Held at or above claim '{}', which implies it."


class Parts:
    """The links and supersessions of a case, indexed by claim for :func:`part_reasons`.

    Made once for a run that explains many claims: each claim's sentences are then found
    by its id, not by going through every link and relation of the case again.
    """

    def __init__(self, case: Case, found: Sequence[Group]) -> None:
        self.case = case
        # per claim, its link sentences in the order the groups and their pairs come
        self.links: dict[str, list[str]] = {}
        add = self._add
        for g in found:
            for a, b in g.contradicts:
                add(a, b, _CONTRADICTS)
                if b != a:
                    add(b, a, _CONTRADICTS)
            for a, b in g.implies:
                add(a, b, _BELOW)
                if b != a:
                    add(b, a, _ABOVE)
        self.superseded = superseded(case)
        # per claim, the claims said to imply it that are still in the competition
        self.implied_by: dict[str, list[str]] = {}
        for a, b in sorted(entailing(case)):
            if a in case.claims and a not in self.superseded:
                self.implied_by.setdefault(b, []).append(a)
        self._said: dict[str, str] = {}
        self.quiet = not (self.links or self.superseded)
        """Whether no claim that takes part in the competition has a sentence to show."""

    def _add(self, claim: str, other: str, sentence: str) -> None:
        self.links.setdefault(claim, []).append(sentence.format(other))

    def reasons(self, claim: str, *, active: bool) -> list[str]:
        """The sentences of :func:`part_reasons` for *claim*, active or not."""
        out = list(self.links.get(claim, ()))
        new = self.superseded.get(claim)
        if new is not None:
            said = self._said.get(new)
            if said is None:
                said = self._said[new] = _first_said(self.case, new)
            out.append(
                f"Superseded by claim '{new}'{said}: kept as history, it takes "
                "no part in the competition."
            )
        elif not active:
            out.append(
                "Nobody asserts it: it stands aside, moving no other answer, and holds no more "
                "than the answers within its range hold."
            )
        if not active:
            out += [_ABOVE.format(a) for a in self.implied_by.get(claim, ())]
        return out


def _first_said(case: Case, claim: str) -> str:
    """When and by whom *claim* was first said, as ``" (said 2022-04-09 by The governor)"``.

    Empty when nobody is recorded saying it. The earliest dated attribution counts; the
    speaker is named as the case names it.
    """
    said = [
        (a.said or (doc.published if doc else None), a.source)
        for a in case.attributions
        if a.claim == claim
        for doc in [case.documents.get(a.document) if a.document else None]
    ]
    if not said:
        return ""
    dated = sorted((when.isoformat(), source) for when, source in said if when is not None)
    when, source = dated[0] if dated else (None, said[0][1])
    found = case.sources.get(source)
    name = found.name if found else source
    return f" (said {when} by {name})" if when else f" (said by {name})"


def _span(low: float | None, high: float | None) -> tuple[float, float]:
    return (0.0 if low is None else float(low), math.inf if high is None else float(high))
