"""schema.org ClaimReview: each assessed claim as the JSON-LD fact-checkers publish."""

from __future__ import annotations

import datetime as dt
import json

from collections.abc import Mapping
from typing import Any

from claimtrack._text import inert_json
from claimtrack.engine import Assessment, Assessments, Estimate
from claimtrack.model._case import Case
from claimtrack.model._dates import later
from claimtrack.model._records import Document, Moment, Source, SourceKind, Stance


SCHEMA_ORG = "https://schema.org"

RATINGS: Mapping[Estimate, int] = {
    Estimate.ALMOST_NO_CHANCE: 1,
    Estimate.VERY_UNLIKELY: 1,
    Estimate.UNLIKELY: 2,
    Estimate.ROUGHLY_EVEN_CHANCE: 3,
    Estimate.LIKELY: 4,
    Estimate.VERY_LIKELY: 5,
    Estimate.ALMOST_CERTAIN: 5,
}
"""ICD 203 estimative words on ClaimReview's 1 (worst) to 5 (best) scale."""

SCALE = (
    "1 = almost no chance or very unlikely (under 20%), 2 = unlikely (20-45%), "
    "3 = roughly even chance (45-55%), 4 = likely (55-80%), "
    "5 = very likely or almost certain (over 80%); ICD 203 estimative probability"
)
"""The scale of :data:`RATINGS`, stated in every rating."""

_PEOPLE = (SourceKind.PERSON, SourceKind.ANONYMOUS)


def _agent(source: Source) -> dict[str, Any]:
    kind = "Person" if source.kind in _PEOPLE else "Organization"
    agent: dict[str, Any] = {"@type": kind, "name": source.name}
    if source.role is not None:
        agent["jobTitle" if kind == "Person" else "description"] = source.role
    return agent


def _author(case: Case, sid: str, body: str | None) -> dict[str, Any]:
    """The author *sid*; a spokesperson with the body it speaks for, which its words count as."""
    agent = _agent(case.sources[sid])
    if body is not None:
        key = "affiliation" if agent["@type"] == "Person" else "parentOrganization"
        agent[key] = _agent(case.sources[body])
    return agent


def _work(case: Case, doc: Document) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork", "headline": doc.title}
    if doc.url is not None:
        work["url"] = doc.url
    if doc.published is not None:
        work["datePublished"] = doc.published.isoformat()
    publisher = case.sources.get(doc.publisher)
    if publisher is not None:
        work["publisher"] = _agent(publisher)
    return work


def _first(docs: list[Document]) -> Document | None:
    first: tuple[Moment, Document] | None = None
    for doc in docs:
        if doc.published is not None and (first is None or later(first[0], doc.published)):
            first = (doc.published, doc)
    return None if first is None else first[1]


def claim_review(
    case: Case,
    assessment: Assessment,
    *,
    reviewer: str | None = None,
    date: dt.date | None = None,
) -> dict[str, Any]:
    """One ``ClaimReview`` for one assessed claim, without its ``@context``.

    The reviewed item is a ``Claim`` whose authors are the sources that assert it and
    whose appearances are the documents that carry those assertions; the earliest dated
    one is its first appearance. A spokesperson stays the author of its words, with the
    body it speaks for (whose words they count as) as its ``affiliation`` (a person's) or
    ``parentOrganization`` (an organisation's). The rating maps the ICD 203 estimate onto 1 to 5
    (see ``RATINGS``), names the estimative word and states the scale.
    """
    claim = case.claims[assessment.claim]
    asserting = [a for a in case.attributions_of(claim.id) if a.stance is Stance.ASSERTS]
    # each author with the body it speaks for, if it speaks as one there
    authors: dict[str, str | None] = {}
    for a in asserting:
        if a.source in case.sources:
            voice = case.speaks_as(a)
            if authors.get(a.source) is None:
                authors[a.source] = voice if voice != a.source and voice in case.sources else None
    docs = list(
        dict.fromkeys(
            case.documents[a.document]
            for a in asserting
            if a.document is not None and a.document in case.documents
        )
    )
    item: dict[str, Any] = {"@type": "Claim", "text": claim.text}
    if authors:
        item["author"] = [_author(case, s, body) for s, body in authors.items()]
    if docs:
        item["appearance"] = [_work(case, d) for d in docs]
    first = _first(docs)
    if first is not None:
        item["firstAppearance"] = _work(case, first)
    rating = {
        "@type": "Rating",
        "ratingValue": RATINGS[assessment.estimate],
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": assessment.estimate.value,
        "ratingExplanation": " ".join(
            (f"{assessment.badge}.", *assessment.reasons, f"Scale: {SCALE}.")
        ),
    }
    review: dict[str, Any] = {
        "@type": "ClaimReview",
        "claimReviewed": claim.text,
        "itemReviewed": item,
        "reviewRating": rating,
    }
    if reviewer is not None:
        review["author"] = {"@type": "Organization", "name": reviewer}
    if date is not None:
        review["datePublished"] = date.isoformat()
    return review


def to_claimreview(
    case: Case,
    assessments: Assessments | None = None,
    *,
    reviewer: str | None = None,
    date: dt.date | None = None,
) -> dict[str, Any]:
    """Every assessed claim of *case* as schema.org ``ClaimReview`` JSON-LD.

    Args:
        case: The case.
        assessments: What :meth:`claimtrack.Case.assess` returned; computed with the defaults if omitted.
        reviewer: The name of the organisation publishing the reviews, if any.
        date: The date the reviews are published, if any.

    Returns:
        A JSON-LD document: ``{"@context": "https://schema.org", "@graph": [...]}`` with
        one ``ClaimReview`` per assessed claim, ready for :func:`json.dumps`.
    """
    result = case.assess() if assessments is None else assessments
    return {
        "@context": SCHEMA_ORG,
        "@graph": [
            claim_review(case, a, reviewer=reviewer, date=date)
            for a in result.assessments
            if a.claim in case.claims
        ],
    }


_SCRIPT_UNSAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def jsonld_text(data: Mapping[str, Any]) -> str:
    """JSON text for *data* that is safe to paste into an HTML ``<script>`` element.

    ClaimReview is published inside ``<script type="application/ld+json">``; a claim or
    title holding ``</script>`` would end that element early. ``<``, ``>`` and ``&`` are
    written as JSON escapes, so the text reads back the same and cannot break out.
    """
    return (
        inert_json(json.dumps(data, ensure_ascii=False, indent=2).translate(_SCRIPT_UNSAFE)) + "\n"
    )
