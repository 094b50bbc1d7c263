"""The index behind a case's queries: where each claim, source and document is mentioned."""

from __future__ import annotations

from array import array
from collections import defaultdict
from typing import TYPE_CHECKING

import attrs

from claimtrack.model._records import Attribution


if TYPE_CHECKING:
    from claimtrack.model._case import Case


def _positions() -> array[int]:
    return array("q")


@attrs.define
class Index:
    """Positions of attributions by claim, source and document, as packed arrays of ints.

    Built once, on the first query, in one pass; kept up to date as attributions are added.
    """

    by_claim: dict[str, array[int]]
    by_source: dict[str, array[int]]
    by_document: dict[str, array[int]]
    claims_by_question: dict[str, list[str]]
    documents_by_publisher: dict[str, list[str]]

    @classmethod
    def build(cls, case: Case) -> Index:
        """Index every record *case* holds now."""
        index = cls(
            defaultdict(_positions),
            defaultdict(_positions),
            defaultdict(_positions),
            defaultdict(list),
            defaultdict(list),
        )
        for i, att in enumerate(case._attributions):  # noqa: SLF001
            index.add(i, att)
        for claim in case.claims.values():
            if claim.question is not None:
                index.claims_by_question[claim.question].append(claim.id)
        for doc in case.documents.values():
            index.documents_by_publisher[doc.publisher].append(doc.id)
        return index

    def add(self, i: int, att: Attribution) -> None:
        """Index *att*, newly added at position *i*."""
        self.by_claim[att.claim].append(i)
        self.by_source[att.source].append(i)
        if att.document is not None:
            self.by_document[att.document].append(i)
