"""The integrity rules: what makes a case invalid (errors) or doubtful (warnings).

One function per family of rules, each over a whole case or one record of it; the builders
of :class:`~claimtrack.Case` refuse a record with errors, and :meth:`Case.validate` reports
them all, with the warnings. These functions are the case's own methods, kept apart; they
read its tables directly.
"""

from __future__ import annotations

import functools
import operator

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from claimtrack import _suggest
from claimtrack._gc import gc_paused
from claimtrack.errors import Problem
from claimtrack.model._dates import later
from claimtrack.model._places import place_of, warning
from claimtrack.model._records import (
    MIRRORED_HEDGES,
    Attribution,
    Claim,
    Document,
    Evidence,
    Question,
    Relation,
    RelationKind,
    Source,
    Stance,
)
from claimtrack.model._surrogates import surrogate_problem
from claimtrack.model._texts import text_problems
from claimtrack.model._voices import day_of, speaks_for


if TYPE_CHECKING:
    from claimtrack.model._case import Case


def case_problems(case: Case, *, texts: bool, proven: bool | None = None) -> list[Problem]:
    """Every problem of *case*, in the order of its file; see :meth:`Case.validate`.

    A case the bulk loader built, untouched since (*proven*, by default what the case
    says of itself), holds no error: the loader refuses every one. Of its records' own
    problems only their warnings are then looked for, by the same functions, in the
    same order.
    """
    proven = case._proven if proven is None else proven  # noqa: SLF001
    with gc_paused():  # keys and places by the hundred thousand, none in a cycle
        problems = _record_warnings(case) if proven else _record_problems(case)
        problems += consistency_warnings(case)
        if texts:
            problems += text_problems(case)
    file = str(case.path) if case.path else None
    return [attrs.evolve(p, file=file) for p in problems]


def _record_problems(case: Case) -> list[Problem]:
    """The problems of the case's title and of each record, and its affiliation loops."""
    problems: list[Problem] = []
    if not case.title.strip():
        problems.append(Problem("title", "expected non-empty text, got blank text"))
    for field, value in (("title", case.title), ("description", case.description)):
        wrong = None if value is None else surrogate_problem(value)
        if wrong is not None:
            problems.append(Problem(field, wrong))
    with _suggest.report():  # one budget of "did you mean" hints for the whole check
        for section in ("sources", "documents", "evidence", "questions", "claims"):
            for record in getattr(case, f"_{section}").values():
                problems += record_problems(case, record)
        for i, att in enumerate(case._attributions):  # noqa: SLF001
            problems += record_problems(case, att, i)
        for i, rel in enumerate(case._relations):  # noqa: SLF001
            problems += record_problems(case, rel, i)
    return problems + affiliation_loops(case)


def _record_warnings(case: Case) -> list[Problem]:
    """:func:`_record_problems` of a case known to hold no error: the warnings alone."""
    problems: list[Problem] = []
    for i, att in enumerate(case._attributions):  # noqa: SLF001
        if att.in_own_name:  # the one warning a single record can carry
            problems += _own_name_warnings(
                case, att, functools.partial(place_of, "attributions", i)
            )
    return problems


def record_problems(case: Case, record: object, index: int = -1) -> list[Problem]:
    """What is wrong with *record* in *case*: unknown ids, self-references, loops, dates.

    *index* is the position of an attribution or relation, for the places of its problems.
    """
    check = _CHECKS.get(type(record))
    if check is None:  # a subclass of a record, if any: found the slow way
        check = next((c for kind, c in _CHECKS.items() if isinstance(record, kind)), None)
    return [] if check is None else check(case, record, index)


Here = Callable[..., str]
"""Gives the place of a field of one record: ``here("via", 1)``."""


def _need(  # noqa: PLR0917 - one call per reference, the place given last
    case: Case,
    out: list[Problem],
    table: Mapping[str, object],
    noun: str,
    ref: str | None,
    here: Here,
    *place: str | int,
) -> bool:
    """Whether *ref* is in *table* (or not given); if not, a problem at *place* with a hint."""
    if ref is None or ref in table:
        return True
    known = case._vocabulary(table)  # noqa: SLF001
    out.append(Problem(here(*place), f"unknown {noun} '{ref}'{_suggest.hint(ref, known)}"))
    return False


def _source_problems(case: Case, record: Source, _index: int) -> list[Problem]:
    out: list[Problem] = []
    here = functools.partial(place_of, "sources", record.id)
    for kind, aff in record.affiliations():
        field = kind.value
        if aff.source == record.id:
            out.append(Problem(here(field), f"'{record.id}' cannot be affiliated to itself"))
        else:
            _need(case, out, case._sources, "source", aff.source, here, field)  # noqa: SLF001
    return out


def _document_problems(case: Case, record: Document, _index: int) -> list[Problem]:
    out: list[Problem] = []
    here = functools.partial(place_of, "documents", record.id)
    _need(case, out, case._sources, "source", record.publisher, here, "publisher")  # noqa: SLF001
    if record.published and record.retrieved and later(record.published, record.retrieved):
        out.append(
            Problem(
                here("published"),
                f"published {record.published} after it was retrieved {record.retrieved}",
            )
        )
    if record.text_file is not None and Path(record.text_file).is_absolute():
        out.append(
            Problem(
                here("text_file"), "must be relative to the case file, so that the case can move"
            )
        )
    return out


def _question_problems(case: Case, record: Question, _index: int) -> list[Problem]:
    out: list[Problem] = []
    here = functools.partial(place_of, "questions", record.id)
    for i, ref in enumerate(record.parties):
        _need(case, out, case._sources, "source", ref, here, "parties", i)  # noqa: SLF001
    return out


def _claim_problems(case: Case, record: Claim, _index: int) -> list[Problem]:
    out: list[Problem] = []
    here = functools.partial(place_of, "claims", record.id)
    sources = case._sources  # noqa: SLF001
    _need(case, out, case._questions, "question", record.question, here, "question")  # noqa: SLF001
    for i, ref in enumerate(record.about):
        _need(case, out, sources, "source", ref, here, "about", i)
    for i, ref in enumerate(record.blames):
        _need(case, out, sources, "source", ref, here, "blames", i)
    return out


def _attribution_problems(case: Case, record: Attribution, index: int) -> list[Problem]:
    sources, documents, claims = case._sources, case._documents, case._claims  # noqa: SLF001
    out: list[Problem] = []
    here = functools.partial(place_of, "attributions", index)
    via, document = record.via, record.document
    known = (
        record.claim in claims
        and record.source in sources
        and (document is None or document in documents)
        and (not via or (all(v in sources for v in via) and record.source not in via))
    )
    # most attributions refer only to records the case holds: one test for them, and
    # the field-by-field account (with its places and hints) for the others
    if not known or (len(via) > 1 and len(set(via)) < len(via)):
        _need(case, out, claims, "claim", record.claim, here, "claim")
        _need(case, out, sources, "source", record.source, here, "source")
        _need(case, out, documents, "document", document, here, "document")
        for i, ref in enumerate(via):
            _need(case, out, sources, "source", ref, here, "via", i)
        chain = [*via, record.source]
        for i, ref in enumerate(chain):
            if ref in chain[:i]:
                out.append(
                    Problem(
                        here("via"),
                        f"the reporting chain {' → '.join(chain)} loops: '{ref}' comes twice",
                    )
                )
                break
    if document is not None and document in documents:
        out += date_problems(case, record, here)
    if (
        record.based_on
        or record.id is not None
        or record.withdraws is not None
        or record.hedge is not None
        or record.in_own_name
    ):  # one test for the many attributions that hold none of these
        out += _who_problems(case, record, index, here)
    return out


def _relation_problems(case: Case, record: Relation, index: int) -> list[Problem]:
    out: list[Problem] = []
    here = functools.partial(place_of, "relations", index)
    for i, ref in enumerate(record.claims):
        _need(case, out, case._claims, "claim", ref, here, "claims", i)  # noqa: SLF001
    if record.claims[0] == record.claims[1]:
        out.append(
            Problem(
                here("claims"),
                f"a claim cannot {_VERBS[record.kind]} itself ('{record.claims[0]}')",
            )
        )
    _need(case, out, case._sources, "source", record.by, here, "by")  # noqa: SLF001
    return out


def _no_problems(_case: Case, _record: Evidence, _index: int) -> list[Problem]:
    return []  # an item of evidence refers to nothing


_CHECKS: dict[type, Callable[[Case, Any, int], list[Problem]]] = {
    Source: _source_problems,
    Document: _document_problems,
    Evidence: _no_problems,
    Question: _question_problems,
    Claim: _claim_problems,
    Attribution: _attribution_problems,
    Relation: _relation_problems,
}
"""The check of each kind of record."""


_VERBS = {kind: kind.value.removesuffix("s") for kind in RelationKind} | {
    RelationKind.IMPLIES: "imply"
}
"""Each kind of relation as the verb after "a claim cannot"."""


def _who_problems(
    case: Case, att: Attribution, index: int, here: Callable[..., str]
) -> list[Problem]:
    """What is wrong with who stands behind *att*: its evidence, id, withdrawal, hedge, voice."""
    out: list[Problem] = []
    if att.based_on:
        evidence = case._evidence  # noqa: SLF001
        for i, ref in enumerate(att.based_on):
            if ref not in evidence:
                out.append(
                    Problem(
                        here("based_on", i),
                        f"no evidence '{ref}'{_hint_within(case, ref, evidence)}",
                    )
                )
    if att.id is not None or att.withdraws is not None:
        out += _withdrawal_problems(case, att, index, here)
    if att.hedge is not None and (wrong := hedge_problem(att)) is not None:
        out.append(Problem(here("hedge"), wrong))
    if att.in_own_name:
        out += _own_name_warnings(case, att, here)
    return out


def hedge_problem(att: Attribution) -> str | None:
    """What is wrong with the hedge of *att*: a word below even chance, or ``None``."""
    hedge = att.hedge
    if hedge is None or hedge not in MIRRORED_HEDGES:
        return None
    return (
        f"hedge '{hedge.value}' says the speaker thinks its own stance is probably wrong; "
        f"record the opposite stance with the mirrored word ('{MIRRORED_HEDGES[hedge].value}')"
    )


def _withdrawal_problems(
    case: Case, att: Attribution, index: int, here: Callable[..., str]
) -> list[Problem]:
    """A repeated attribution id, and a ``withdraws`` that names nothing it can withdraw.

    The ids are those of the attributions the case holds: when a builder adds *att*, those
    added before it; when the whole case is checked, all of them, so a file may name an
    attribution that comes later in it.
    """
    out: list[Problem] = []
    ids = case._attribution_ids()  # noqa: SLF001
    if att.id is not None:
        first = ids.get(att.id, index)
        if first != index:
            out.append(
                Problem(
                    here("id"),
                    f"the id '{att.id}' is taken by attributions[{first}]",
                )
            )
    target_id = att.withdraws
    if target_id is None:
        return out
    if target_id == att.id:
        out.append(
            Problem(here("withdraws"), f"a retraction cannot withdraw itself ('{target_id}')")
        )
        return out
    at = ids.get(target_id)
    if at is None:
        out.append(
            Problem(
                here("withdraws"),
                f"no attribution has the id '{target_id}'{_hint_within(case, target_id, ids)}",
            )
        )
        return out
    target = case._attributions[at]  # noqa: SLF001
    if target.claim != att.claim:
        out.append(
            Problem(
                here("withdraws"),
                f"withdraws '{target_id}', an attribution of claim '{target.claim}', "
                f"not of claim '{att.claim}'",
            )
        )
    elif target.stance is Stance.RETRACTS:
        out.append(
            Problem(
                here("withdraws"),
                f"withdraws '{target_id}', itself a retraction; name what was said, "
                "not another retraction of it",
            )
        )
    return out


def _own_name_warnings(case: Case, att: Attribution, here: Callable[..., str]) -> list[Problem]:
    """An ``in_own_name`` that changes nothing, or that leaves an ungraded voice beside a graded body."""
    sources = case._sources  # noqa: SLF001
    speaker = sources.get(att.source)
    if speaker is None:
        return []  # unknown: reported as such
    on = day_of(att, case._documents.get)  # noqa: SLF001
    body = speaks_for(sources, speaker.id, on)
    if body is None:
        when = f"on {on}" if on is not None else "at all"
        return [
            warning(
                here("in_own_name"),
                f"'{speaker.id}' speaks for no body {when}, so in_own_name changes nothing",
            )
        ]
    if speaker.reliability is not None:
        return []
    seen = {speaker.id}
    while body is not None and body not in seen and body in sources:
        grade = sources[body].reliability
        if grade is not None:
            return [
                warning(
                    here("in_own_name"),
                    f"'{speaker.id}' speaks in its own name and has no grade; the body it "
                    f"speaks for, '{body}', is graded {grade.value} — grade the person, or drop "
                    "in_own_name to count it with its body",
                )
            ]
        seen.add(body)
        body = speaks_for(sources, body, on)
    return []


def date_problems(case: Case, att: Attribution, here: Callable[..., str]) -> list[Problem]:
    """Where the dates of *att* contradict its document's: said, or about a time, too late.

    *att* names a document *case* holds; *here* gives the places of its fields.
    """
    doc = case._documents[att.document]  # type: ignore[index]  # noqa: SLF001
    out = []
    if att.said and doc.published and later(att.said, doc.published):
        out.append(
            Problem(
                here("said"),
                f"said {att.said}, after its document was published {doc.published}",
            )
        )
    elif att.said and doc.retrieved and later(att.said, doc.retrieved):
        out.append(
            Problem(
                here("said"),
                f"said {att.said}, after its document was retrieved {doc.retrieved}",
            )
        )
    claim = case._claims.get(att.claim)  # noqa: SLF001
    if claim and claim.when and doc.retrieved and later(claim.when, doc.retrieved):
        out.append(
            Problem(
                here("claim"),
                f"claim '{claim.id}' is about {claim.when}, after document '{doc.id}' "
                f"that reports it was retrieved {doc.retrieved}",
            )
        )
    return out


def affiliation_loops(case: Case) -> list[Problem]:
    """Sources that, through their affiliations, belong to themselves: one problem per loop."""
    sources = case._sources  # noqa: SLF001
    edges = {
        sid: [a.source for _, a in s.affiliations() if a.source in sources and a.source != sid]
        for sid, s in sources.items()
    }
    out: list[Problem] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for root, targets in edges.items():
        if root in state:
            continue
        stack: list[tuple[str, Iterator[str]]] = [(root, iter(targets))]
        path = [root]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            nxt = next(children, None)
            if nxt is None:
                stack.pop()
                path.pop()
                state[node] = 2
            elif state.get(nxt) == 1:
                loop = [*path[path.index(nxt) :], nxt]
                out.append(
                    Problem(place_of("sources", nxt), f"affiliations loop: {' → '.join(loop)}")
                )
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                stack.append((nxt, iter(edges[nxt])))
    return out


def consistency_warnings(case: Case) -> list[Problem]:
    """Valid but doubtful: repeated attributions, retractions of nothing, answers in mixed units."""
    out: list[Problem] = []
    atts = case._attributions  # noqa: SLF001
    repeats = _repeats(atts)
    asserted: set[tuple[str, str]] = set()
    # most cases repeat nothing and retract nothing: then there is nothing to walk
    walk = repeats or Stance.RETRACTS in map(_STANCE, atts)
    for i, att in enumerate(atts if walk else ()):
        if i in repeats:
            out.append(
                warning(place_of("attributions", i), f"repeats attributions[{repeats[i]}] exactly")
            )
        if att.stance is Stance.ASSERTS:
            asserted.add((att.source, att.claim))
        elif (
            att.stance is Stance.RETRACTS
            and att.withdraws is None  # it withdraws what it names
            and (att.source, att.claim) not in asserted
        ):
            out.append(
                warning(
                    place_of("attributions", i, "stance"),
                    f"'{att.source}' retracts claim '{att.claim}' without an earlier assertion of it",
                )
            )
    units: dict[str, dict[str, str]] = defaultdict(dict)
    for claim in case._claims.values():  # noqa: SLF001
        if claim.question and claim.value and claim.value.unit:
            units[claim.question].setdefault(claim.value.unit, claim.id)
    for qid, by_unit in units.items():
        if len(by_unit) > 1:
            listing = ", ".join(f"'{u}' ({c})" for u, c in by_unit.items())
            out.append(
                warning(
                    place_of("questions", qid),
                    f"its answers count in different units: {listing}; such counts are never compared",
                )
            )
    return out + ruled_out(case)


_STANCE = operator.attrgetter("stance")
_CLAIM_SOURCE_DOCUMENT = operator.attrgetter("claim", "source", "document")


def _repeats(atts: Sequence[Attribution]) -> dict[int, int]:
    """Each attribution equal to an earlier one, by place: the place of the first.

    Hashing a whole record is the dearest step of the warnings, so the records are first
    sorted by their claim, source and document (strings, whose hashes Python keeps), and
    only those that share all three are compared whole.
    """
    keys = list(map(_CLAIM_SOURCE_DOCUMENT, atts))
    # each key's first place: of the places given for a key, the last one given stands
    first = dict(zip(reversed(keys), range(len(keys) - 1, -1, -1), strict=True))
    if len(first) == len(keys):  # no two share all three, the usual case
        return {}
    shared = [i for i, k in enumerate(keys) if first[k] != i]
    firsts = {first[keys[i]] for i in shared}
    seen: dict[Attribution, int] = {}
    out: dict[int, int] = {}
    for i in sorted(firsts.union(shared)):
        at = seen.setdefault(atts[i], i)
        if at != i:
            out[i] = at
    return out


def ruled_out(case: Case) -> list[Problem]:
    """Claims the declared relations rule out: one implies another it also contradicts.

    If A implies B and A contradicts B (in either order), A cannot be true: were it, B
    would hold and could not. One warning at the ``implies`` relation, naming the
    ``contradicts`` relation too.
    """
    relations = case._relations  # noqa: SLF001
    implies = [i for i, r in enumerate(relations) if r.kind is RelationKind.IMPLIES]
    if not implies:
        return []
    contradicts: dict[frozenset[str], int] = {}
    for j, rel in enumerate(relations):
        if rel.kind is RelationKind.CONTRADICTS:
            contradicts.setdefault(frozenset(rel.claims), j)
    out: list[Problem] = []
    for i in implies:
        first, second = relations[i].claims
        at = contradicts.get(frozenset((first, second)))
        if at is not None and first != second:
            out.append(
                warning(
                    place_of("relations", i),
                    f"'{first}' implies '{second}' here, but relations[{at}] says they "
                    f"contradict each other: together they rule '{first}' out",
                )
            )
    return out


def _hint_within(case: Case, word: str, known: Mapping[str, object]) -> str:
    """A hint at the known id closest to *word*; failing a close spelling, one it holds or that holds it.

    ``no-such-video`` is taken to mean ``video``: an id that names evidence or an
    attribution is often a longer or shorter form of the one meant.
    """
    return _suggest.hint(word, case._vocabulary(known), within=True)  # noqa: SLF001
