"""The long table: one row per attribution, flat, for spreadsheets, pandas and DuckDB.

Beside it, the rows of the assessments (one per claim) and of every other record kind:
sources, documents, items of evidence (with the attributions that rest on them),
questions, claims and relations. Numbers are numbers (JSON numbers in JSON Lines,
unquoted in CSV); dates are the ISO 8601 text the case gives, at its precision.
"""

from __future__ import annotations

import csv
import functools
import json
import operator
import re

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from claimtrack._text import inert_json, spelled
from claimtrack.engine import Assessments
from claimtrack.export._output import Target, text_output
from claimtrack.model._case import Case
from claimtrack.model._records import Moment, Source


Row = dict[str, str | int | float | bool | None]
"""One row of a table: column name to a text, a number, true or false, or nothing."""

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
    "notes",
    "claim_notes",
    "question_notes",
    "source_notes",
    "document_notes",
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

SOURCE_COLUMNS: tuple[str, ...] = (
    "source",
    "name",
    "kind",
    "reliability",
    "role",
    "aliases",
    "speaks_for",
    "member_of",
    "part_of",
    "notes",
)
"""The columns of :func:`source_rows`, in order."""

DOCUMENT_COLUMNS: tuple[str, ...] = (
    "document",
    "publisher",
    "publisher_name",
    "title",
    "kind",
    "url",
    "archive_url",
    "published",
    "retrieved",
    "language",
    "text",
    "text_file",
    "sha256",
    "notes",
)
"""The columns of :func:`document_rows`, in order."""

QUESTION_COLUMNS: tuple[str, ...] = ("question", "text", "exclusive", "parties", "claims", "notes")
"""The columns of :func:`question_rows`, in order."""

CLAIM_COLUMNS: tuple[str, ...] = (
    "claim",
    "text",
    "question",
    "low",
    "high",
    "unit",
    "value",
    "when",
    "about",
    "blames",
    "tags",
    "notes",
)
"""The columns of :func:`claim_rows`, in order."""

RELATION_COLUMNS: tuple[str, ...] = ("relation", "kind", "claim", "other_claim", "by", "reason")
"""The columns of :func:`relation_rows`, in order: *claim* refines, supersedes or implies *other_claim*."""

CHAIN = " > "
"""What joins the ids and names of a reporting chain in one cell; ids hold no spaces."""

IDS = " "
"""What joins a set of ids in one cell (evidence, parties, whom a claim blames); ids hold no spaces."""

NAMES = "; "
"""What joins a source's other names (its aliases) in one cell; names may hold spaces."""

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
    is the body a spokesperson counts as, when it is not the speaker itself. The analyst's
    notes come last: the attribution's own (``notes``), then its claim's, question's,
    source's and document's.
    """
    for cells in _attribution_cells(case):
        yield dict(zip(COLUMNS, cells, strict=True))


def _attribution_cells(case: Case) -> Iterator[tuple[Any, ...]]:
    """The cells of :func:`attribution_rows`, a tuple per attribution in the columns' order."""
    voices = case.speakers_as()
    # what a claim, source or document adds to a row is worked out once for each, in the
    # columns' order: the same claim or outlet comes in many rows
    claims = functools.cache(lambda cid: _claim_cells(case, cid))
    sources = functools.cache(lambda sid: _source_cells(case.sources.get(sid)))
    documents = functools.cache(lambda did: _document_cells(case, did))
    names = functools.cache(
        lambda via: CHAIN.join(case.sources[v].name if v in case.sources else v for v in via)
    )
    for i, att in enumerate(case.attributions):
        claim = claims(att.claim)
        source = sources(att.source)
        doc = documents(att.document)
        yield (
            i,
            att.claim,
            *claim[0],
            att.source,
            *source[0],
            att.stance._value_,
            att.mode._value_,
            att.credibility._value_ if att.credibility else None,
            _iso(att.said),
            CHAIN.join(att.via) or None,
            names(att.via) or None,
            att.document,
            *doc[0],
            att.quote,
            att.id,
            IDS.join(att.based_on) or None,
            att.withdraws,
            att.hedge._value_ if att.hedge is not None else None,
            att.in_own_name,
            att.against_interest,
            voices[i] if voices[i] != att.source else None,
            *claim[1],
            att.notes,
            *claim[2],
            source[1],
            doc[1],
        )


def _claim_cells(case: Case, cid: str) -> tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]:
    """What the claim *cid* adds to a row, in three runs of cells.

    From ``claim_text`` to ``claim_when``; its question's parties and whom it blames; its
    notes and its question's.
    """
    claim = case.claims.get(cid)
    if claim is None:
        return (None,) * 8, (None, None), (None, None)
    question = case.questions.get(claim.question) if claim.question else None
    value = claim.value
    return (
        (
            claim.text,
            claim.question,
            question.text if question else None,
            value.low if value else None,
            value.high if value else None,
            value.unit if value else None,
            str(value) if value else None,
            _iso(claim.when),
        ),
        (
            (IDS.join(question.parties) or None) if question else None,
            IDS.join(claim.blames) or None,
        ),
        (claim.notes, question.notes if question else None),
    )


def _source_cells(source: Source | None) -> tuple[tuple[Any, ...], str | None]:
    """What a source adds to a row: its name, kind and grade; and its notes."""
    if source is None:
        return (None, None, None), None
    grade = source.reliability.value if source.reliability else None
    return (source.name, source.kind.value, grade), source.notes


def _document_cells(case: Case, did: str | None) -> tuple[tuple[Any, ...], str | None]:
    """What the document *did* adds to a row: from its title to its day of publication; and its notes."""
    doc = case.documents.get(did) if did else None
    if doc is None:
        return (None,) * 5, None
    publisher = case.sources.get(doc.publisher)
    return (
        (
            doc.title,
            doc.url,
            doc.publisher,
            publisher.name if publisher else None,
            _iso(doc.published),
        ),
        doc.notes,
    )


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
            "probability": round(a.probability, 6),
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


def write_jsonl(rows: Iterable[Mapping[str, Any]], file: Target) -> int:
    """Write *rows* as JSON Lines, one compact object per line; return how many were written.

    *file* is an open text file or a path (written atomically). Numbers are JSON numbers,
    true and false JSON's. Text stays readable (not ASCII-escaped), except control and format characters and the
    ones some readers take for line breaks (U+0085, U+2028, U+2029), which are escaped so
    that a line is always a row and a terminal showing the file acts on nothing.
    """
    n = 0
    # one encoder for every row: json.dumps with options makes one a call
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    with text_output(file) as out:
        for row in rows:
            out.write(inert_json(encode(row)) + "\n")
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
    file: Target,
    columns: Sequence[str] = COLUMNS,
    *,
    header: bool = True,
) -> int:
    """Write *rows* as CSV (RFC 4180), guarded against formulas; return the row count.

    *file* is a text file opened with ``newline=""`` or a path (written atomically).
    Numbers are written unquoted, as Python spells them (``0.997674``, ``4``); only text
    is quoted, and only when it holds a comma, a quote or a line break. The header line
    comes first unless *header* is false (to add rows to a file begun).
    """
    take = operator.itemgetter(*columns) if len(columns) > 1 else None

    def cells(row: Mapping[str, Any]) -> Sequence[Any]:
        """The row's cells in one call; a column the row lacks is an empty cell."""
        try:
            return take(row) if take else tuple(row[c] for c in columns)
        except KeyError:
            return tuple(row.get(c) for c in columns)

    return _write_cells(map(cells, rows), file, columns, header=header)


def _write_cells(
    rows: Iterable[Sequence[Any]], file: Target, columns: Sequence[str], *, header: bool = True
) -> int:
    """:func:`write_csv` of rows given as their cells, in the order of *columns*."""
    n = 0
    with text_output(file) as stream:
        # RFC 4180 line ends: with them the writer quotes every cell holding \r or \n, which
        # readers split lines on; with a bare \n, a lone \r in a claim would break the row.
        out = csv.writer(stream, lineterminator="\r\n")
        if header:
            out.writerow(columns)
        for cells in rows:
            out.writerow(_safe_cells(cells))
            n += 1
    return n


_RISKY_AFTER = re.compile("\x00[" + re.escape("".join(_RISKY)) + "]")
"""A separator, then a character that would start a formula: a cell of a row joined on ``\x00``."""


def _safe_cells(values: Sequence[Any]) -> Sequence[Any]:
    """Each of *values* as :func:`safe_cell` makes it, for :func:`write_csv`.

    Most rows hold no text to change: a row whose texts are all printable, none starting
    a formula, is found so in a few passes in C over the row's text, and its cells are
    written as they are (the CSV writer writes ``None`` as an empty cell, as
    :func:`safe_cell` does). Any other row goes through :func:`safe_cell`, a cell at a time.
    """
    texts = [v for v in values if isinstance(v, str)]
    if "".join(texts).isprintable() and not _RISKY_AFTER.search("\x00" + "\x00".join(texts)):
        return values
    return [safe_cell(v) for v in values]


def source_rows(case: Case) -> Iterator[Row]:
    """Yield one row per source: its name, kind, grade, role, aliases and ties.

    ``speaks_for``, ``member_of`` and ``part_of`` hold the ids of the sources it is tied to,
    joined with a space; ``aliases`` its other names, joined with ``"; "`` (``claimtrack.export.NAMES``).
    """
    for sid, source in case.sources.items():
        yield {
            "source": sid,
            "name": source.name,
            "kind": source.kind.value,
            "reliability": source.reliability.value if source.reliability else None,
            "role": source.role,
            "aliases": NAMES.join(source.aliases) or None,
            "speaks_for": IDS.join(t.source for t in source.speaks_for) or None,
            "member_of": IDS.join(t.source for t in source.member_of) or None,
            "part_of": IDS.join(t.source for t in source.part_of) or None,
            "notes": source.notes,
        }


def document_rows(case: Case) -> Iterator[Row]:
    """Yield one row per document: publisher, title, kind, addresses, dates, language, text."""
    for did, doc in case.documents.items():
        publisher = case.sources.get(doc.publisher)
        yield {
            "document": did,
            "publisher": doc.publisher,
            "publisher_name": publisher.name if publisher else None,
            "title": doc.title,
            "kind": doc.kind.value,
            "url": doc.url,
            "archive_url": doc.archive_url,
            "published": _iso(doc.published),
            "retrieved": _iso(doc.retrieved),
            "language": doc.language,
            "text": doc.text,
            "text_file": doc.text_file,
            "sha256": doc.sha256,
            "notes": doc.notes,
        }


def question_rows(case: Case) -> Iterator[Row]:
    """Yield one row per question: its text, whether its answers exclude each other, its parties.

    ``claims`` holds the ids of the claims that answer it, joined with a space.
    """
    for qid, question in case.questions.items():
        yield {
            "question": qid,
            "text": question.text,
            "exclusive": question.exclusive,
            "parties": IDS.join(question.parties) or None,
            "claims": IDS.join(c.id for c in case.claims_of(qid)) or None,
            "notes": question.notes,
        }


def claim_rows(case: Case) -> Iterator[Row]:
    """Yield one row per claim: its text, question, count (bounds and as said) and date."""
    for cid, claim in case.claims.items():
        value = claim.value
        yield {
            "claim": cid,
            "text": claim.text,
            "question": claim.question,
            "low": value.low if value else None,
            "high": value.high if value else None,
            "unit": value.unit if value else None,
            "value": str(value) if value else None,
            "when": _iso(claim.when),
            "about": IDS.join(claim.about) or None,
            "blames": IDS.join(claim.blames) or None,
            "tags": IDS.join(claim.tags) or None,
            "notes": claim.notes,
        }


def relation_rows(case: Case) -> Iterator[Row]:
    """Yield one row per relation: its position, kind, the two claims, who decided it and why."""
    for i, relation in enumerate(case.relations):
        first, second = relation.claims
        yield {
            "relation": i,
            "kind": relation.kind.value,
            "claim": first,
            "other_claim": second,
            "by": relation.by,
            "reason": relation.reason,
        }


KINDS: Mapping[str, tuple[tuple[str, ...], Callable[[Case], Iterator[Row]]]] = {
    "sources": (SOURCE_COLUMNS, source_rows),
    "documents": (DOCUMENT_COLUMNS, document_rows),
    "evidence": (EVIDENCE_COLUMNS, evidence_rows),
    "questions": (QUESTION_COLUMNS, question_rows),
    "claims": (CLAIM_COLUMNS, claim_rows),
    "attributions": (COLUMNS, attribution_rows),
    "relations": (RELATION_COLUMNS, relation_rows),
}
"""Each record kind's table: its columns and the function yielding its rows."""


def table(kind: str) -> tuple[tuple[str, ...], Callable[[Case], Iterator[Row]]]:
    """The columns and row function of the table of *kind* (one of ``claimtrack.export.KINDS``).

    Raises:
        ValueError: *kind* is not a record kind; the message lists them.
    """
    try:
        return KINDS[kind]
    except (KeyError, TypeError):
        msg = f"unknown kind {kind!r}: use one of {', '.join(KINDS)}"
        raise ValueError(msg) from None


def to_jsonl(case: Case, file: Target, *, kind: str = "attributions") -> int:
    """Write the attributions (or the records of *kind*) of *case* as JSON Lines; return the row count.

    *file* is an open text file or a path, written atomically. Each line is one row of
    :func:`attribution_rows` (or of the *kind*'s rows, see ``claimtrack.export.KINDS``), ready for
    ``pandas.read_json(path, lines=True)`` or DuckDB's ``read_json``.
    """
    _, rows = table(kind)
    return write_jsonl(rows(case), file)


def to_csv(case: Case, file: Target, *, kind: str = "attributions") -> int:
    """Write the attributions (or the records of *kind*) of *case* as CSV; return the row count.

    The columns are those of :func:`attribution_rows` (or of *kind*, see ``claimtrack.export.KINDS``).
    Cells that a spreadsheet would run as a formula are prefixed with ``'`` (see
    :func:`safe_cell`), so the file is safe to open even when claims, quotes or names
    come from hostile pages. *file* is a path, written atomically, or a text file opened
    with ``newline=""``, as the ``csv`` module asks.
    """
    if kind == "attributions":  # the long table, its cells written without a mapping each
        return _write_cells(_attribution_cells(case), file, COLUMNS)
    columns, rows = table(kind)
    return write_csv(rows(case), file, columns)
