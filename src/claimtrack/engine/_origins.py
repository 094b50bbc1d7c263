"""Independent origins: who first said it, and which reports only repeat one another.

Only origins vote. Nine outlets repeating one agency's anonymous officials are one origin,
because the nine add no evidence the officials did not give. Where outlets carry the same
words for the same claim without saying whom they took them from, they are flagged as
possible circular reporting, and may be merged into one origin.
"""

from __future__ import annotations

import unicodedata

from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from operator import attrgetter
from typing import TypeAlias

import attrs

from claimtrack._joins import Joins
from claimtrack.engine._rules import GRADE_RANKS
from claimtrack.model import Attribution, Case, Reliability, Stance
from claimtrack.model._anchor import _FOLD


@attrs.frozen
class Echo:
    """Several documents that carry the same words for the same claim, with no declared chain.

    Attributes:
        claim: The claim they carry.
        quote: The words, as the first of them gives them.
        attributions: Positions of the attributions in the case, earliest first.
        documents: The documents, earliest first.
        origins: The distinct speakers the attributions name.
    """

    claim: str
    quote: str
    attributions: tuple[int, ...]
    documents: tuple[str, ...]
    origins: tuple[str, ...]


def find_echoes(case: Case) -> list[Echo]:
    """Find quotes repeated across documents for one claim, with one stance, by different speakers.

    Grouping is by claim and normalised quote, so the work grows with the number of
    attributions, never with its square.
    """
    atts = case.attributions
    groups = _same_words(atts)
    echoes = []
    several = [
        (positions, claim) for (claim, _, _), positions in groups.items() if len(positions) > 1
    ]
    # in the order of each group's first attribution, as a single pass would find them
    for positions, claim in sorted(several, key=lambda item: item[0][0]):
        documents_seen = {atts[i].document for i in positions}
        speakers = {atts[i].source for i in positions}
        if min(len(documents_seen), len(speakers)) < 2:  # noqa: PLR2004 - two of each, or no echo
            continue
        ordered = sorted(positions, key=lambda i: when_key(case, atts[i], i))
        documents = tuple(dict.fromkeys(atts[i].document or "" for i in ordered))
        origins = tuple(dict.fromkeys(atts[i].source for i in ordered))
        if len(documents) > 1 and len(origins) > 1:
            first = atts[ordered[0]]
            echoes.append(Echo(claim, first.quote or "", tuple(ordered), documents, origins))
    return echoes


def _same_words(atts: Sequence[Attribution]) -> dict[tuple[str, int, str], list[int]]:
    """Positions of direct quotes by claim, stance and folded words, where two could echo."""
    # keyed by the stance's id: an enum member hashes in Python code, slowly
    if not any(map(attrgetter("quote"), atts)):  # nothing quoted, as in most bulk data
        return {}  # (an empty quote folds to nothing, and nothing echoes)
    direct = [
        i
        for i, att in enumerate(atts)
        if att.quote is not None and att.document is not None and not att.via
    ]
    # only a claim quoted directly twice can be echoed: counted in C before anything is keyed
    twice = {c for c, n in Counter(atts[i].claim for i in direct).items() if n > 1}
    quoted: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i in direct:
        att = atts[i]
        if att.claim in twice:
            quoted[att.claim, id(att.stance)].append(i)
    groups: dict[tuple[str, int, str], list[int]] = defaultdict(list)
    folded: dict[str, str] = {}  # outlets that repeat a quote repeat it word for word
    for (claim, stance), found in quoted.items():
        if len(found) < 2:  # noqa: PLR2004 - an echo needs two documents
            continue
        for i in found:
            quote = atts[i].quote or ""
            key = folded.get(quote)
            if key is None:
                key = folded[quote] = echo_key(quote)
            if key:
                groups[claim, stance, key].append(i)
    return groups


def echo_key(quote: str) -> str:
    """Fold a quote as anchors do (whitespace, typographic quotes and dashes, case), fast.

    The same folding as :func:`claimtrack.model._anchor.normalise`, without the map back to
    the original offsets, which echoes do not need.
    """
    if quote.isascii():  # NFKC leaves ASCII as it is, and it has no format characters
        return " ".join(quote.translate(_FOLD).casefold().split())
    folded = unicodedata.normalize("NFKC", quote).translate(_FOLD).casefold()
    if not folded.isascii():
        folded = "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")
    return " ".join(folded.split())


def origin_map(
    case: Case, *, merge_echoes: bool = False, echoes: list[Echo] | None = None
) -> dict[int, str]:
    """The origin of every attribution, by position: :func:`origins` as a mapping."""
    return dict(enumerate(origins(case, merge_echoes=merge_echoes, echoes=echoes)))


def origins(
    case: Case,
    *,
    merge_echoes: bool = False,
    echoes: list[Echo] | None = None,
    voice: list[str] | None = None,
) -> list[str]:
    """The origin of every attribution, in order: who it counts as, once per basis.

    1. A speaker counts as the body it speaks for (:meth:`Case.speaks_as`), unless it
       speaks in its own name.
    2. On one claim, attributions that rest on the same evidence (``based_on``) with the
       same stance share one origin: the best-graded of their speakers, the earliest of
       those if several.
    3. With *merge_echoes*, the speakers of an echo are one origin on that claim, the
       first of them: every attribution of theirs on the claim, echoed or not, takes that
       origin, so repeating one of them elsewhere changes nothing. Pass *echoes* if they
       are already found, and *voice* if :meth:`Case.speakers_as` is.
    """
    atts = case.attributions
    out = case.speakers_as() if voice is None else voice
    if any(map(attrgetter("based_on"), atts)):
        shared = _joined(case, _evidence_pairs(atts, out), out, best_graded=True)
        out = [shared.get((att.claim, o), o) for att, o in zip(atts, out, strict=True)]
    if merge_echoes:
        found = find_echoes(case) if echoes is None else echoes
        pairs = []
        for echo in found:
            nodes = list(dict.fromkeys((echo.claim, out[i]) for i in echo.attributions))
            pairs += [(nodes[0], node) for node in nodes[1:]]
            pairs.append((nodes[0], nodes[0]))
        merged = _joined(case, pairs, out, best_graded=False)
        out = [merged.get((att.claim, o), o) for att, o in zip(atts, out, strict=True)]
    return out


_Node: TypeAlias = tuple[str, str]
"""An origin on one claim: (claim, origin)."""


def _earliest(
    case: Case, voice: list[str], nodes: Collection[_Node]
) -> dict[_Node, tuple[str, str, str, int]]:
    """When each of *nodes* first spoke on its claim, as :func:`when_key` orders it."""
    earliest: dict[_Node, tuple[str, str, str, int]] = {}
    for i, (att, origin) in enumerate(zip(case.attributions, voice, strict=True)):
        node = (att.claim, origin)
        if node in nodes:
            key = when_key(case, att, i)
            if node not in earliest or key < earliest[node]:
                earliest[node] = key
    return earliest


def _evidence_pairs(atts: Sequence[Attribution], voice: list[str]) -> list[tuple[_Node, _Node]]:
    """Origins on one claim whose attributions rest on one item with one stance, as pairs."""
    first: dict[tuple[str, int, str], _Node] = {}
    pairs = []
    for att, origin in zip(atts, voice, strict=True):
        if not att.based_on or att.stance is Stance.RETRACTS:
            continue
        node = (att.claim, origin)
        pairs += [
            (first.setdefault((att.claim, id(att.stance), item), node), node)
            for item in att.based_on
        ]
    return pairs


def _joined(
    case: Case, pairs: list[tuple[_Node, _Node]], voice: list[str], *, best_graded: bool
) -> dict[_Node, str]:
    """Join origins on one claim into groups, each named by one origin of its own.

    The name is the earliest origin to speak on the claim (by when it spoke), or with
    *best_graded* the best-graded origin, the earliest of those if several. Pairs that
    share an origin join, whatever order they come in.
    """
    joins: Joins[_Node] = Joins()
    for a, b in pairs:
        joins.join(a, b)
    parent, root = joins.parent, joins.root
    if not parent:
        return {}
    earliest = _earliest(case, voice, parent.keys())
    sources = case.sources

    def rank(node: _Node) -> tuple[int, tuple[str, str, str, int], str]:
        source = sources.get(node[1])
        grade = GRADE_RANKS[(source.reliability if source else None) or Reliability.F]
        return (grade if best_graded else 0, earliest[node], node[1])

    best: dict[_Node, _Node] = {}
    for node in parent:
        top = root(node)
        if top not in best or rank(node) < rank(best[top]):
            best[top] = node
    return {node: best[root(node)][1] for node in parent}


def repeated_origins(case: Case, origins: dict[int, str]) -> list[tuple[str, str, tuple[str, ...]]]:
    """Origins that reach a claim through more than one publisher.

    Returns:
        ``(claim, origin, publishers)`` for each origin carried by two or more outlets.
    """
    carriers: dict[tuple[str, str], dict[str, None]] = defaultdict(dict)
    for i, att in enumerate(case.attributions):
        if att.document is not None and att.document in case.documents:
            publisher = case.documents[att.document].publisher
            if publisher != origins[i]:
                carriers[att.claim, origins[i]][publisher] = None
    return [(c, o, tuple(p)) for (c, o), p in carriers.items() if len(p) > 1]


def when_key(case: Case, att: Attribution, index: int) -> tuple[str, str, str, int]:
    """Sort attributions by when they were said (or published), independent of input order.

    ISO text sorts days and times together; attributions without a date go last.
    """
    doc = case.documents.get(att.document) if att.document else None
    when = att.said or (doc.published if doc else None)
    return (when.isoformat() if when else "\uffff", att.document or "", att.source, index)
