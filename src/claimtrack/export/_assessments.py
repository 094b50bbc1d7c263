"""The assessments as plain data: the JSON shape ``claimtrack assess --format json`` prints."""

from __future__ import annotations

import json

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import cattrs

from claimtrack._text import inert_json
from claimtrack.engine import (
    Assessment,
    Assessments,
    AssessmentWarning,
    Contradiction,
    Figures,
    Sensitivity,
)
from claimtrack.engine._assessment import Vote, disputing, explained, supporting
from claimtrack.export._output import Target, text_output
from claimtrack.files._converter import CONVERTER


_BATCH = 1_000
"""Claims whose votes and reasons the JSON writer builds together: few enough that holding
them adds little to the peak (10,000 added about 40 MB at 200,000 attributions), enough
that building them together pays."""


def assessments_to_data(
    result: Assessments,
    *,
    conv: cattrs.Converter = CONVERTER,
    sensitivity: Sequence[Sensitivity] | None = None,
) -> dict[str, Any]:
    """Unstructure assessments into the JSON shape ``claimtrack assess`` prints.

    Each vote holds its origin, stance, weight, publishers and attribution positions,
    then who stands behind it: its ``stake`` (``none``, ``own-actions``, ``accuses``,
    ``denies-blame``, ``admits``, ``against-interest``), the speaker's ``hedge`` (an ICD
    203 word, or ``null``), the other ``speakers`` it counts, and the ids of the
    ``evidence`` it rests on.

    With *sensitivity* (what :func:`claimtrack.sensitivity` found), a last key,
    ``sensitivity``, lists for each question its ``question``, ``leader`` and the leader's
    ``probability``, then its ``flips``: each change's ``origin``, ``change`` (``removed``,
    or ``grade B→C`` and the like), and the ``leader``, its ``probability`` and its
    ``estimate`` once changed.
    """
    data: dict[str, Any] = {"assessments": [assessment_to_data(a) for a in result.assessments]}
    data.update(_rest(result, conv, sensitivity))
    return data


def assessment_to_data(a: Assessment, *, keep: bool = True) -> dict[str, Any]:
    """One assessment in the JSON shape ``claimtrack assess`` prints (see :func:`assessments_to_data`).

    With *keep* false the votes and reasons are built for this call only and not kept on
    the assessment (:meth:`claimtrack.Assessment.explain`), which is what a writer
    going through a large case wants.
    """
    votes, reasons = (a.votes, a.reasons) if keep else a.explain()
    return _data(a, votes, reasons)


def _data(a: Assessment, votes: Sequence[Vote], reasons: Sequence[str]) -> dict[str, Any]:
    """:func:`assessment_to_data` of *a*, whose votes and reasons are given."""
    # an enum member's value read as ``_value_``, the attribute ``value`` returns: the
    # ``value`` property goes through Python code, and a large case reads it a million times
    return {
        "claim": a.claim,
        "question": a.question,
        "probability": round(a.probability, 6),
        "estimate": a.estimate._value_,
        "confidence": a.confidence._value_,
        "credibility": a.credibility._value_,
        "admiralty": a.admiralty,
        "status": a.status._value_,
        "origins_for": len(supporting(votes)),
        "origins_against": len(disputing(votes)),
        "votes": [
            {
                "origin": v.origin,
                "stance": v.stance._value_,
                "weight": round(v.weight, 6),
                "publishers": list(v.publishers),
                "attributions": list(v.attributions),
                "stake": v.stake._value_,
                "hedge": v.hedge._value_ if v.hedge is not None else None,
                "speakers": list(v.speakers),
                "evidence": list(v.evidence),
            }
            for v in votes
        ],
        "reasons": list(reasons),
    }


def _rest(
    result: Assessments, conv: cattrs.Converter, sensitivity: Sequence[Sensitivity] | None
) -> dict[str, Any]:
    """The keys of the JSON shape after ``assessments``."""
    return {
        key: list(map(plain, items)) for key, items, plain in _rest_parts(result, conv, sensitivity)
    }


def _rest_parts(
    result: Assessments, conv: cattrs.Converter, sensitivity: Sequence[Sensitivity] | None
) -> Iterator[tuple[str, Sequence[Any], Callable[[Any], Any]]]:
    """Each key after ``assessments``, in order, with its items and what makes each plain data."""
    # each kind's hook looked up once: a large case has contradictions by the ten thousand
    yield "contradictions", result.contradictions, conv.get_unstructure_hook(Contradiction)
    yield "warnings", result.warnings, conv.get_unstructure_hook(AssessmentWarning)
    yield "figures", result.figures, conv.get_unstructure_hook(Figures)
    if sensitivity is not None:
        yield "sensitivity", sensitivity, _sensitivity_data


def assessments_json(
    result: Assessments,
    *,
    indent: int | None = 2,
    sensitivity: Sequence[Sensitivity] | None = None,
    conv: cattrs.Converter = CONVERTER,
) -> Iterator[str]:
    """The JSON text of :func:`assessments_to_data`, a piece at a time, ending in a line feed.

    Nothing holds the whole text or every claim's votes and reasons at once: each
    assessment is built, written and let go. With *indent* (spaces per level) the text is
    byte for byte what ``json.dumps(..., indent=indent)`` gives for the whole; with
    ``None`` it is compact, one assessment per line, which the standard library's C
    encoder writes many times faster. Either way, characters a terminal could act on are
    escaped as in every JSON claimtrack writes, one piece at a time. The pieces are
    about a megabyte each, so that a writer that flushes each one (standard output does)
    makes few, large writes.
    """
    if indent is None:
        return _joined(_compact(result, conv, sensitivity))
    return _joined(_indented(result, indent, _rest(result, conv, sensitivity)))


def _compact(
    result: Assessments, conv: cattrs.Converter, sensitivity: Sequence[Sensitivity] | None
) -> Iterator[str]:
    """The compact text of :func:`assessments_json`: a line per assessment.

    The keys after ``assessments`` are made and written last, :data:`_BATCH` items at a
    time: a large case has contradictions by the hundred thousand, whose plain data and
    text, held whole from the start, added to the writer's peak.
    """
    # one encoder for every claim: json.dumps would make one a call
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    yield '{"assessments":['
    sep = "\n"
    for a, votes, reasons in explained(result.assessments, batch=_BATCH):
        yield sep + inert_json(encode(_data(a, votes, reasons)))
        sep = ",\n"
    yield "\n]" if sep != "\n" else "]"
    for key, items, plain in _rest_parts(result, conv, sensitivity):
        yield f",{encode(key)}:["
        sep = ""
        for start in range(0, len(items), _BATCH):
            # a compact list's text is its items' texts joined by commas, within brackets
            run = encode(list(map(plain, items[start : start + _BATCH])))
            yield sep + inert_json(run[1:-1])
            sep = ","
        yield "]"
    yield "}\n"


def _indented(result: Assessments, indent: int, rest: dict[str, Any]) -> Iterator[str]:
    """The indented text of :func:`assessments_json`, a piece per assessment."""
    encode = json.JSONEncoder(ensure_ascii=False, indent=indent).encode
    outer, inner = " " * indent, "\n" + " " * (2 * indent)
    yield "{\n" + outer + '"assessments": ['
    sep = inner
    for a, votes, reasons in explained(result.assessments, batch=_BATCH):
        item = encode(_data(a, votes, reasons))
        yield sep + inert_json(item.replace("\n", inner))
        sep = "," + inner
    yield (
        ("\n" + outer + "]," if sep != inner else "],") + "\n" + inert_json(encode(rest)[2:]) + "\n"
    )


def write_assessments_json(
    result: Assessments,
    file: Target,
    *,
    indent: int | None = 2,
    sensitivity: Sequence[Sensitivity] | None = None,
) -> None:
    """Write the assessments as JSON (see :func:`assessments_json`) to a path or text file.

    A path is replaced atomically once the whole text is written.
    """
    with text_output(file) as out:
        for piece in assessments_json(result, indent=indent, sensitivity=sensitivity):
            out.write(piece)


def _joined(pieces: Iterable[str], size: int = 1 << 20) -> Iterator[str]:
    """*pieces* joined into runs of about *size* characters: fewer, larger writes."""
    run: list[str] = []
    n = 0
    for piece in pieces:
        run.append(piece)
        n += len(piece)
        if n >= size:
            yield "".join(run)
            run, n = [], 0
    if run:
        yield "".join(run)


def sensitivity_to_data(found: Sequence[Sensitivity]) -> list[dict[str, Any]]:
    """What each question's verdict rests on, as the ``sensitivity`` key of the JSON shape."""
    return list(map(_sensitivity_data, found))


def _sensitivity_data(s: Sensitivity) -> dict[str, Any]:
    """One question's item of :func:`sensitivity_to_data`."""
    return {
        "question": s.question,
        "leader": s.leader,
        "probability": round(s.probability, 6),
        "flips": [
            {
                "origin": f.origin,
                "change": f.change,
                "leader": f.leader,
                "probability": round(f.probability, 6),
                "estimate": f.estimate.value,
            }
            for f in s.flips
        ],
    }
