"""The long table: one row per attribution, flat, for spreadsheets, pandas and DuckDB.

Beside it, the rows of the assessments (one per claim) and of the items of evidence (one
per item, with the attributions that rest on it).
"""

from __future__ import annotations

import csv
import json
import re

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any

from claimtrack._text import inert_json, spelled
from claimtrack.engine import Assessments
from claimtrack.model._case import Case
from claimtrack.model._records import Moment


if TYPE_CHECKING:
    import pandas as pd


Row = dict[str, str | int | bool | None]
"""One row of a table: column name to a text, a whole number, true or false, or nothing."""

COLUMNS: tuple[str, ...] = (
    "attribution",
    "claim",
    "claim_text",
    "question",
    "question_text",
    "claim_low",
    "claim_high",
    "claim_unit",
    "claim_value",
    "claim_when",
    "source",
    "source_name",
    "source_kind",
    "source_reliability",
    "stance",
    "mode",
    "credibility",
    "said",
    "via",
    "via_names",
    "document",
    "document_title",
    "document_url",
    "publisher",
    "publisher_name",
    "published",
    "quote",
    "attribution_id",
    "based_on",
    "withdraws",
    "hedge",
    "in_own_name",
    "against_interest",
    "speaks_as",
    "question_parties",
    "claim_blames",
)
"""The columns of :func:`attribution_rows`, in order."""

ASSESSMENT_COLUMNS: tuple[str, ...] = (
    "claim",
    "claim_text",
    "question",
    "probability",
    "estimate",
    "confidence",
    "admiralty",
    "status",
    "origins_for",
    "origins_against",
    "question_parties",
    "claim_blames",
    "evidence",
)
"""The columns of :func:`assessment_rows`, in order."""

EVIDENCE_COLUMNS: tuple[str, ...] = (
    "evidence",
    "kind",
    "description",
    "first_seen",
    "notes",
    "attributions",
    "claims",
    "sources",
)
"""The columns of :func:`evidence_rows`, in order."""

CHAIN = " > "
"""What joins the ids and names of a reporting chain in one cell; ids hold no spaces."""

IDS = " "
"""What joins a set of ids in one cell (evidence, parties, whom a claim blames); ids hold no spaces."""

_RISKY = ("=", "+", "-", "@", "\t", "\r")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _iso(moment: Moment | None) -> str | None:
    return None if moment is None else moment.isoformat()


def attribution_rows(case: Case) -> Iterator[Row]:
    """Yield one flat row per attribution, with the fields of its claim, source and document.

    Dates are ISO 8601 text at the precision given (``2024-02`` for a month), the claim's
    count is given both as its bounds (``claim_low``, ``claim_high``) and as said
    (``claim_value``: ``about 470 people``), the reporting chain (*via*) is joined with ``" > "``
    (nearest the publisher first), sets of ids (``based_on``, the question's parties, whom
    the claim blames) with a space, and a field with no value is ``None``. ``speaks_as``
    is the body a spokesperson counts as, when it is not the speaker itself.
    """
    voices = case.speakers_as()
    for i, att in enumerate(case.attributions):
        claim = case.claims.get(att.claim)
        question = case.questions.get(claim.question) if claim and claim.question else None
        source = case.sources.get(att.source)
        doc = case.documents.get(att.document) if att.document else None
        publisher = case.sources.get(doc.publisher) if doc else None
        value = claim.value if claim else None
        voice = voices[i]
        yield {
            "attribution": i,
            "claim": att.claim,
            "claim_text": claim.text if claim else None,
            "question": claim.question if claim else None,
            "question_text": question.text if question else None,
            "claim_low": value.low if value else None,
            "claim_high": value.high if value else None,
            "claim_unit": value.unit if value else None,
            "claim_value": str(value) if value else None,
            "claim_when": _iso(claim.when) if claim else None,
            "source": att.source,
            "source_name": source.name if source else None,
            "source_kind": source.kind.value if source else None,
            "source_reliability": source.reliability.value
            if source and source.reliability
            else None,
            "stance": att.stance.value,
            "mode": att.mode.value,
            "credibility": att.credibility.value if att.credibility else None,
            "said": _iso(att.said),
            "via": CHAIN.join(att.via) or None,
            "via_names": CHAIN.join(
                case.sources[v].name if v in case.sources else v for v in att.via
            )
            or None,
            "document": att.document,
            "document_title": doc.title if doc else None,
            "document_url": doc.url if doc else None,
            "publisher": doc.publisher if doc else None,
            "publisher_name": publisher.name if publisher else None,
            "published": _iso(doc.published) if doc else None,
            "quote": att.quote,
            "attribution_id": att.id,
            "based_on": IDS.join(att.based_on) or None,
            "withdraws": att.withdraws,
            "hedge": att.hedge.value if att.hedge is not None else None,
            "in_own_name": att.in_own_name,
            "against_interest": att.against_interest,
            "speaks_as": voice if voice != att.source else None,
            "question_parties": (IDS.join(question.parties) or None) if question else None,
            "claim_blames": (IDS.join(claim.blames) or None) if claim else None,
        }


def assessment_rows(case: Case, assessments: Assessments | None = None) -> Iterator[Row]:
    """Yield one flat row per assessed claim: its estimate, probability, confidence and code.

    Args:
        case: The case the claims belong to.
        assessments: What :meth:`claimtrack.Case.assess` returned; computed with the defaults if omitted.
    """
    result = case.assess() if assessments is None else assessments
    questions = case.questions
    for a in result.assessments:
        claim = case.claims.get(a.claim)
        question = questions.get(a.question) if a.question is not None else None
        evidence = dict.fromkeys(e for v in a.votes for e in v.evidence)
        yield {
            "claim": a.claim,
            "claim_text": claim.text if claim else None,
            "question": a.question,
            "probability": f"{a.probability:.6f}",
            "estimate": a.estimate.value,
            "confidence": a.confidence.value,
            "admiralty": a.admiralty,
            "status": a.status.value,
            "origins_for": len(a.origins_for),
            "origins_against": len(a.origins_against),
            "question_parties": (IDS.join(question.parties) or None) if question else None,
            "claim_blames": (IDS.join(claim.blames) or None) if claim else None,
            "evidence": IDS.join(evidence) or None,
        }


def evidence_rows(case: Case) -> Iterator[Row]:
    """Yield one row per item of evidence, with the attributions, claims and sources resting on it.

    ``attributions`` holds the positions of the attributions that name the item in
    ``based_on``, ``claims`` and ``sources`` the ids of their claims and speakers, each
    joined with a space; ``first_seen`` is ISO 8601 text.
    """
    resting: dict[str, list[int]] = {eid: [] for eid in case.evidence}
    atts = case.attributions
    for i, att in enumerate(atts):
        for eid in att.based_on:
            if eid in resting:
                resting[eid].append(i)
    for eid, item in case.evidence.items():
        found = resting[eid]
        yield {
            "evidence": eid,
            "kind": item.kind.value,
            "description": item.description,
            "first_seen": _iso(item.first_seen),
            "notes": item.notes,
            "attributions": IDS.join(str(i) for i in found) or None,
            "claims": IDS.join(dict.fromkeys(atts[i].claim for i in found)) or None,
            "sources": IDS.join(dict.fromkeys(atts[i].source for i in found)) or None,
        }


def write_jsonl(rows: Iterable[Mapping[str, Any]], file: IO[str]) -> int:
    """Write *rows* as JSON Lines, one compact object per line; return how many were written.

    Text stays readable (not ASCII-escaped), except control and format characters and the
    ones some readers take for line breaks (U+0085, U+2028, U+2029), which are escaped so
    that a line is always a row and a terminal showing the file acts on nothing.
    """
    n = 0
    for row in rows:
        line = json.dumps(row, ensure_ascii=False, separators=(",", ":"))
        file.write(inert_json(line) + "\n")
        n += 1
    return n


def safe_cell(value: str | float | None) -> str | int | float:
    r"""Make one cell safe to open in a spreadsheet, and to write in any encoding.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be
    read by spreadsheet programs as a formula, so it gets a leading ``'``. A lone
    surrogate, which no encoding can write, is spelled out (``\ud800``); every other
    character is kept, as CSV has no escapes. Numbers are left alone; ``None`` becomes an
    empty cell.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        if not value.isprintable():
            value = _SURROGATE.sub(lambda m: spelled(m.group()), value)
        if value.startswith(_RISKY):
            return "'" + value
    return value


def write_csv(
    rows: Iterable[Mapping[str, Any]],
    file: IO[str],
    columns: Sequence[str] = COLUMNS,
    *,
    header: bool = True,
) -> int:
    """Write *rows* as CSV (RFC 4180), guarded against formulas; return the row count.

    The header line comes first unless *header* is false (to add rows to a file begun).
    """
    # RFC 4180 line ends: with them the writer quotes every cell holding \r or \n, which
    # readers split lines on; with a bare \n, a lone \r in a claim would break the row.
    out = csv.writer(file, lineterminator="\r\n")
    if header:
        out.writerow(columns)
    n = 0
    for row in rows:
        out.writerow([safe_cell(row.get(c)) for c in columns])
        n += 1
    return n


def to_jsonl(case: Case, file: IO[str]) -> int:
    """Write the attributions of *case* to *file* as JSON Lines; return the row count.

    Each line is one row of :func:`attribution_rows`, ready for
    ``pandas.read_json(path, lines=True)`` or DuckDB's ``read_json``.
    """
    return write_jsonl(attribution_rows(case), file)


def to_csv(case: Case, file: IO[str]) -> int:
    """Write the attributions of *case* to *file* as CSV; return the row count.

    The columns are those of :func:`attribution_rows`. Cells that a spreadsheet would run
    as a formula are prefixed with ``'`` (see :func:`safe_cell`), so the file is safe to
    open even when claims, quotes or names come from hostile pages. Open *file* with
    ``newline=""``, as the ``csv`` module asks.
    """
    return write_csv(attribution_rows(case), file)


def to_dataframe(case: Case) -> pd.DataFrame:
    """The attributions of *case* as a pandas DataFrame, one row per attribution.

    Raises:
        ModuleNotFoundError: pandas is not installed; the message names the extra.
    """
    try:
        import pandas as pd  # noqa: PLC0415 - an optional extra, imported when asked for
    except ModuleNotFoundError as e:
        msg = 'Case.to_dataframe() needs pandas: pip install "claimtrack[pandas]"'
        raise ModuleNotFoundError(msg, name=e.name) from None
    frame = pd.DataFrame.from_records(list(attribution_rows(case)), columns=list(COLUMNS))
    for column in ("claim_low", "claim_high", "credibility"):
        frame[column] = frame[column].astype("Int64")
    return frame
