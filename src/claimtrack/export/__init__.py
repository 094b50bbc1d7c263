"""Exports: the case as tables (CSV, JSON Lines, pandas), W3C PROV and schema.org ClaimReview.

Every export is a function of a :class:`~claimtrack.Case`; the ``claimtrack export``
command calls the same functions. Those that write take a path (written atomically) or
an open text file. Text from the case leaves each one by the rule of
``claimtrack._text`` (see the security page): JSON and YAML escape what a terminal could act on and read back
exactly, PROV-N spells out what it has no escape for, CSV keeps the text and guards
against formulas. PROV needs the ``prov`` extra and DataFrames the
``pandas`` extra; both are imported only when asked for.
"""

from claimtrack._text import PRETTY_UP_TO
from claimtrack.export._assessments import (
    assessment_to_data,
    assessments_json,
    assessments_to_data,
    write_assessments_json,
)
from claimtrack.export._claimreview import RATINGS, SCALE, claim_review, jsonld_text, to_claimreview
from claimtrack.export._frames import PRECISIONS, to_dataframe
from claimtrack.export._output import Target
from claimtrack.export._prov import NAMESPACE, prov_json_text, provn_string, to_prov, to_provn
from claimtrack.export._tabular import (
    ASSESSMENT_COLUMNS,
    CHAIN,
    CLAIM_COLUMNS,
    COLUMNS,
    DOCUMENT_COLUMNS,
    EVIDENCE_COLUMNS,
    IDS,
    KINDS,
    NAMES,
    QUESTION_COLUMNS,
    RELATION_COLUMNS,
    SOURCE_COLUMNS,
    assessment_rows,
    attribution_rows,
    claim_rows,
    document_rows,
    evidence_rows,
    question_rows,
    relation_rows,
    safe_cell,
    source_rows,
    to_csv,
    to_jsonl,
    write_csv,
    write_jsonl,
)


__all__ = [
    "ASSESSMENT_COLUMNS",
    "CHAIN",
    "CLAIM_COLUMNS",
    "COLUMNS",
    "DOCUMENT_COLUMNS",
    "EVIDENCE_COLUMNS",
    "IDS",
    "KINDS",
    "NAMES",
    "NAMESPACE",
    "PRECISIONS",
    "PRETTY_UP_TO",
    "QUESTION_COLUMNS",
    "RATINGS",
    "RELATION_COLUMNS",
    "SCALE",
    "SOURCE_COLUMNS",
    "Target",
    "assessment_rows",
    "assessment_to_data",
    "assessments_json",
    "assessments_to_data",
    "attribution_rows",
    "claim_review",
    "claim_rows",
    "document_rows",
    "evidence_rows",
    "jsonld_text",
    "prov_json_text",
    "provn_string",
    "question_rows",
    "relation_rows",
    "safe_cell",
    "source_rows",
    "to_claimreview",
    "to_csv",
    "to_dataframe",
    "to_jsonl",
    "to_prov",
    "to_provn",
    "write_assessments_json",
    "write_csv",
    "write_jsonl",
]


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
