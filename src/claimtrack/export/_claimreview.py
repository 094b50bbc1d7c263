"""schema.org ClaimReview: each assessed claim as the JSON-LD fact-checkers publish."""

from __future__ import annotations

import datetime as dt
import json

from collections.abc import Iterable, Mapping
from typing import Any

from claimtrack._text import inert_json
from claimtrack.engine import Assessment, Assessments, Estimate, Status
from claimtrack.export._output import Target, write_text
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


def _earliest(moments: Iterable[Moment | None]) -> Moment | None:
    first: Moment | None = None
    for moment in moments:
        if moment is not None and (first is None or later(first, moment)):
            first = moment
    return first


UNREVIEWABLE = frozenset({Status.SUPERSEDED, Status.RETRACTED})
"""Statuses whose claims get no review: a figure replaced by a later one, a claim retracted."""


def _count(n: int, one: str, many: str) -> str:
    return f"{'no' if n == 0 else n} {one if n == 1 else many}"


def review_body(assessment: Assessment) -> str:
    """One short sentence saying what the review found, with no internal ids.

    ``Assessed as likely (71%), with low confidence: 1 independent source asserts it
    and none denies it.``
    """
    backing = len(assessment.origins_for)
    against = len(assessment.origins_against)
    sources = _count(backing, "independent source asserts", "independent sources assert")
    denial = (
        "none denies" if against == 0 else _count(against, "denies", "deny").removeprefix("no ")
    )
    return (
        f"Assessed as {assessment.estimate.value} ({assessment.probability:.0%}), with "
        f"{assessment.confidence.value} confidence: {sources} it and {denial} it."
    )


def _claim_item(case: Case, cid: str, text: str) -> dict[str, Any]:
    """The reviewed ``Claim``: its authors, earliest date and appearances with a URL."""
    asserting = [a for a in case.attributions_of(cid) if a.stance is Stance.ASSERTS]
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
    item: dict[str, Any] = {"@type": "Claim", "text": text}
    if authors:
        item["author"] = [_author(case, s, body) for s, body in authors.items()]
    said = _earliest([*(a.said for a in asserting), *(d.published for d in docs)])
    if said is not None:
        item["datePublished"] = said.isoformat()
    linked = [d for d in docs if d.url is not None]
    if linked:
        item["appearance"] = [_work(case, d) for d in linked]
    first = _first(docs)
    if first is not None and first.url is not None:
        item["firstAppearance"] = _work(case, first)
    return item


def claim_review(
    case: Case,
    assessment: Assessment,
    *,
    reviewer: str | None = None,
    reviewer_url: str | None = None,
    url: str | None = None,
    date: dt.date | None = None,
) -> dict[str, Any]:
    """One ``ClaimReview`` for one assessed claim, without its ``@context``.

    The reviewed item is a ``Claim`` whose authors are the sources that assert it, whose
    ``datePublished`` is the earliest date it was said or published, and whose
    appearances are the documents with a URL that carry those assertions (the earliest
    dated document is its first appearance, if it has a URL). A spokesperson stays the
    author of its words, with the body it speaks for (whose words they count as) as its
    ``affiliation`` (a person's) or ``parentOrganization`` (an organisation's). The
    rating maps the ICD 203 estimate onto 1 to 5 (see ``RATINGS``), names the
    estimative word in ``alternateName`` and states the scale in ``ratingExplanation``;
    ``reviewBody`` says the finding in one sentence (see ``review_body``).

    *reviewer* (and *reviewer_url*) is the review's author, *url* the page it is
    published on and *date* its ``datePublished``; each is left out when not given,
    and a review published without an author, a URL and a date is not one search
    engines accept (``claimtrack export --to claimreview`` asks for them).
    """
    claim = case.claims[assessment.claim]
    item = _claim_item(case, claim.id, claim.text)
    rating = {
        "@type": "Rating",
        "ratingValue": RATINGS[assessment.estimate],
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": assessment.estimate.value,
        "ratingExplanation": f"{assessment.badge}. Scale: {SCALE}.",
    }
    review: dict[str, Any] = {"@type": "ClaimReview"}
    if url is not None:
        review["url"] = url
    if date is not None:
        review["datePublished"] = date.isoformat()
    if reviewer is not None:
        author = {"@type": "Organization", "name": reviewer}
        if reviewer_url is not None:
            author["url"] = reviewer_url
        review["author"] = author
    review.update(
        {
            "claimReviewed": claim.text,
            "reviewBody": review_body(assessment),
            "itemReviewed": item,
            "reviewRating": rating,
        }
    )
    return review


def reviewed(
    case: Case, result: Assessments, claims: Iterable[str] | None = None
) -> list[Assessment]:
    """The assessments to review: of *claims* (every claim if ``None``), in the case's order.

    Superseded and retracted claims are never reviewed: left out when *claims* is
    ``None``, refused when named.

    Raises:
        ValueError: A named claim is not in the case, or is superseded or retracted.
    """
    if claims is None:
        return [
            a for a in result.assessments if a.claim in case.claims and a.status not in UNREVIEWABLE
        ]
    wanted = list(dict.fromkeys(claims))
    unknown = [c for c in wanted if c not in case.claims or c not in result]
    if unknown:
        msg = f"no such claim to review: {', '.join(repr(c) for c in unknown)}"
        raise ValueError(msg)
    refused = [c for c in wanted if result[c].status in UNREVIEWABLE]
    if refused:
        said = ", ".join(f"{c!r} is {result[c].status.value}" for c in refused)
        msg = f"superseded and retracted claims are not reviewed: {said}"
        raise ValueError(msg)
    chosen = set(wanted)
    return [a for a in result.assessments if a.claim in chosen]


def to_claimreview(
    case: Case,
    assessments: Assessments | None = None,
    *,
    reviewer: str | None = None,
    reviewer_url: str | None = None,
    url: str | None = None,
    date: dt.date | None = None,
    claims: Iterable[str] | None = None,
    file: Target | None = None,
) -> dict[str, Any]:
    """The claims of *case* the analyst reviewed as schema.org ``ClaimReview`` JSON-LD.

    Args:
        case: The case.
        assessments: What :meth:`claimtrack.Case.assess` returned; computed with the defaults if omitted.
        reviewer: The name of the organisation publishing the reviews, their author.
        reviewer_url: The address of the reviewer's site.
        url: The address of the page the reviews are published on.
        date: The date the reviews are published.
        claims: The ids of the claims reviewed; every claim if omitted. Superseded and
            retracted claims are never reviewed (see ``reviewed``).
        file: Where to write the document as well, as :func:`jsonld_text` writes it: a
            path (written atomically) or an open text file.

    Returns:
        A JSON-LD document: ``{"@context": "https://schema.org", "@graph": [...]}`` with
        one ``ClaimReview`` per reviewed claim, ready for :func:`jsonld_text`.

    Raises:
        ValueError: A claim named in *claims* is unknown, superseded or retracted.
    """
    result = case.assess() if assessments is None else assessments
    data = {
        "@context": SCHEMA_ORG,
        "@graph": [
            claim_review(case, a, reviewer=reviewer, reviewer_url=reviewer_url, url=url, date=date)
            for a in reviewed(case, result, claims)
        ],
    }
    if file is not None:
        write_text(jsonld_text(data), file)
    return data


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
