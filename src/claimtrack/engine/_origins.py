"""Independent origins: who first said it, and which reports only repeat one another.

Only origins vote. Nine outlets repeating one agency's anonymous officials are one origin,
because the nine add no evidence the officials did not give. Where outlets carry the same
words for the same claim without saying whom they took them from, they are flagged as
possible circular reporting, and may be merged into one origin.
"""

from __future__ import annotations

import unicodedata

from collections import Counter, defaultdict
from collections.abc import Sequence
from operator import attrgetter

import attrs

from claimtrack.model._anchor import _FOLD
from claimtrack.model._case import Case
from claimtrack.model._records import Attribution


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
    """The origin of every attribution, by position.

    The origin is the speaker. With *merge_echoes*, the speakers of an echo are one origin
    on that claim, the first of them: every attribution of theirs on the claim, echoed or
    not, takes that origin, so repeating one of them elsewhere changes nothing. Pass
    *echoes* if they are already found.
    """
    atts = case.attributions
    out = {i: att.source for i, att in enumerate(atts)}
    if merge_echoes:
        merged = _merge(case, atts, find_echoes(case) if echoes is None else echoes)
        for i, att in enumerate(atts):
            out[i] = merged.get((att.claim, att.source), att.source)
    return out


def _merge(
    case: Case, atts: Sequence[Attribution], echoes: list[Echo]
) -> dict[tuple[str, str], str]:
    """Join the speakers of echoes on one claim into groups, each led by its earliest speaker.

    Echoes that share a speaker join, whatever order they come in.
    """
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def root(node: tuple[str, str]) -> tuple[str, str]:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    first: dict[tuple[str, str], tuple[tuple[str, str, str, int], str]] = {}
    for echo in echoes:
        i = echo.attributions[0]
        key = (when_key(case, atts[i], 0), atts[i].source)
        nodes = [(echo.claim, speaker) for speaker in echo.origins]
        for node in nodes[1:]:
            a, b = root(nodes[0]), root(node)
            if a != b:
                parent[b] = a
                if b in first:
                    first[a] = min(first.get(a, first[b]), first[b])
        top = root(nodes[0])
        first[top] = min(first.get(top, key), key)
    return {node: first[root(node)][1] for node in parent}


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
