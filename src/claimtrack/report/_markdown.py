"""The report as GitHub-flavoured Markdown: headings, tables and nested lists.

Every piece of data goes through :func:`~claimtrack.report._safe.md`, so the result is
safe to paste into documentation: no data can open an HTML tag, a link, a code span or
emphasis, break a table row, or start a heading or list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from claimtrack.engine import Assessment
from claimtrack.model._records import Mode
from claimtrack.report._content import (
    Answer,
    Conflict,
    Content,
    EvidenceRow,
    Judgement,
    Origin,
    RelationRow,
    Said,
    Section,
    SourceRow,
    WarningRow,
)
from claimtrack.report._safe import md, shorten
from claimtrack.report._terminal import (
    AGAINST_INTEREST,
    ANCHORS,
    ANONYMOUS,
    FRAGILE,
    INTERESTED,
    NO_STANCE,
    NO_VOTE,
    NOTE,
    OWN_NAME,
    PURPORTED,
    QUOTE_LIMIT,
    RESTS_ON,
    SPEAKS_FOR,
    STANCES,
    SUPERSEDED,
    TITLE_LIMIT,
    WITHDRAWN,
    legend_rows,
)


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    return [_row(head), _row("---" for _ in head), *(_row(r) for r in rows)]


def _badge(a: Assessment) -> str:
    return f"{a.estimate.value} · {a.probability:.0%} · {a.confidence.value} · {a.admiralty}"


def _who_stands_behind(said: Said) -> str:
    out = ""
    if said.speaks_for is not None:
        out += f" {SPEAKS_FOR.symbol} {SPEAKS_FOR.word} {md(said.speaks_for)}"
    for flag, on in ((OWN_NAME, said.in_own_name), (AGAINST_INTEREST, said.against_interest)):
        if on:
            out += f" {flag.symbol} {flag.word}"
    if said.evidence:
        items = ", ".join((f"{e.kind} " if e.kind else "") + md(f"'{e.id}'") for e in said.evidence)
        out += f" {RESTS_ON.symbol} {RESTS_ON.word} {items}"
    if said.withdraws is not None:
        out += " withdraws " + md(f"'{said.withdraws}'")
    if said.withdrawn_by:
        names = ", ".join(md(n) for n in said.withdrawn_by)
        out += f" {WITHDRAWN.symbol} {WITHDRAWN.word} {names}"
    if said.ident is not None:
        out += f" (id {md(said.ident)})"
    return out


def _said(said: Said) -> str:
    mark = STANCES[said.stance]
    out = f"{mark.symbol} {mark.word}"
    if said.hedge is not None:
        out += f" ({said.hedge.value})"
    if said.quote is not None:
        anchor = ANCHORS[said.anchor]
        out += f" “{md(shorten(said.quote, QUOTE_LIMIT))}” {anchor.symbol} {anchor.word}"
    else:
        out += " (no quote recorded)"
    for flag, on in (
        (PURPORTED, said.mode is Mode.PURPORTED),
        (ANONYMOUS, said.mode is Mode.ANONYMOUS),
        (INTERESTED, said.interested),
    ):
        if on:
            out += f" {flag.symbol} {flag.word}"
    out += _who_stands_behind(said)
    if not said.counted:
        out += " (not counted)"
    return out


def _note(notes: str) -> str:
    return f"{NOTE.symbol} *{NOTE.word}*: {md(notes)}"


def _chain(said: Said) -> str:
    if len(said.chain) > 1:
        return " → ".join(md(n) for n in said.chain)
    return f"{md(said.speaker)}, own report" if said.folded else "own report"


def _document(said: Said, *, publisher: bool = True) -> str:
    out = f"**{md(said.publisher)}**, " if said.publisher and publisher else ""
    out += said.date or "undated"
    if said.document is not None:
        out += f": {md(shorten(said.document, TITLE_LIMIT))}"
    return out


def _origin(origin: Origin) -> str:
    mark = STANCES[origin.stance] if origin.stance is not None else NO_VOTE
    parts = [f"{mark.symbol} {mark.word}", f"**{md(origin.name)}** ({origin.grade})"]
    if origin.weight is not None:
        parts.append(f"weight {origin.weight:.2f}")
    if origin.role:
        parts.append(md(origin.role))
    if origin.stake is not None:
        parts.append(origin.stake)
    if origin.speakers:
        parts.append("with " + ", ".join(md(n) for n in origin.speakers))
    return " · ".join(parts)


def _answer(answer: Answer) -> list[str]:
    a = answer.assessment
    out = [
        f"### {answer.label} · {_badge(a)}",
        "",
        md(answer.claim.text),
        "",
        (
            f"{a.status.value} · {len(a.origins_for)} for · {len(a.origins_against)} against · "
            + (f"{FRAGILE.symbol} {FRAGILE.word} · " if answer.fragile else "")
            + f"id {md(answer.claim.id)}"
            + (f" · blames {', '.join(md(n) for n in answer.blames)}" if answer.blames else "")
        ),
        "",
    ]
    history = []
    if answer.superseded_by is not None:
        history.append(f"{SUPERSEDED.symbol} {SUPERSEDED.word} {md(answer.superseded_by)}")
    if answer.supersedes:
        history.append("supersedes " + ", ".join(md(k) for k in answer.supersedes))
    if history:
        if answer.first_said is not None:
            history.append(f"first said {answer.first_said}")
        out += [" · ".join(history), ""]
    if answer.claim.notes:
        out += [_note(answer.claim.notes), ""]
    if not answer.origins:
        out.append("- no source takes a stance on it")
    for origin in answer.origins:
        out.append(f"- {_origin(origin)}")
        for said in origin.said:
            out += [
                f"  - {_chain(said)}",
                f"    - {_document(said)}",
                f"      - {_said(said)}",
            ]
            if said.notes:
                out.append(f"        - {_note(said.notes)}")
    out.append("")
    return out


def _cell(stances: Sequence[object]) -> str:
    if not stances:
        return NO_STANCE.symbol
    return ", then ".join(f"{STANCES[s].symbol} {STANCES[s].word}" for s in stances)  # type: ignore[index]


def _section(section: Section) -> list[str]:
    q = section.question
    if q is None:
        out = ["## Claims that answer no question", ""]
    else:
        kind = "one answer at most can be true" if q.exclusive else "answers can all be true"
        out = [
            f"## {md(q.text)}",
            "",
            (
                f"Question {md(q.id)}: {len(section.answers)} "
                f"answer{'s' * (len(section.answers) != 1)}, most probable first; {kind}."
            ),
            "",
        ]
        if section.parties:
            out += [f"Parties: {', '.join(md(p) for p in section.parties)}.", ""]
        if q.notes:
            out += [_note(q.notes), ""]
    if section.figures is not None:
        f = section.figures
        unit = f" {md(f.unit)}" if f.unit else ""
        out += [f"Figures: low {f.low:g} · best {f.best:g} · high {f.high:g}{unit}", ""]
    if not section.answers:
        return [*out, "No claim answers it yet.", ""]
    out += _table(
        ["", "answer", "estimate", "probability", "confidence", "Admiralty", "status"],
        (
            [
                a.label,
                md(a.claim.text),
                a.assessment.estimate.value,
                f"{a.assessment.probability:.0%}",
                a.assessment.confidence.value,
                a.assessment.admiralty,
                a.assessment.status.value,
            ]
            for a in section.answers
        ),
    )
    out.append("")
    for answer in section.answers:
        out += _answer(answer)
    if section.rows:
        out += ["#### Sources × answers", ""]
        out += _table(
            ["source", *(a.label for a in section.answers)],
            ([f"{md(r.source)} ({r.grade})", *(_cell(c) for c in r.cells)] for r in section.rows),
        )
        out.append("")
    return out


def _side(conflict: Conflict, n: int) -> str:
    s = conflict.sides[n]
    out = f"**{md(s.label)}** {_badge(s.assessment)}: {md(s.claim.text)}"
    if s.strongest is None:
        return out + " — no source asserts it"
    said = s.strongest
    who = " → ".join(md(name) for name in said.chain)
    return f"{out} — {_said(said)} — {who}, {_document(said, publisher=False)}"


def _conflicts(items: Sequence[Conflict]) -> list[str]:
    out = ["## Conflicts", ""]
    if not items:
        return [*out, "No contradiction found.", ""]
    out += _table(
        ["", "kind", "why", "one side", "the other side"],
        (
            [
                f"⟂ {n}",
                c.contradiction.kind.value,
                md(c.contradiction.reason),
                _side(c, 0),
                _side(c, 1),
            ]
            for n, c in enumerate(items, 1)
        ),
    )
    return [*out, ""]


def _evidence(items: Sequence[EvidenceRow]) -> list[str]:
    out = ["## Evidence", ""]
    out += _table(
        ["", "id", "kind", "first seen", "what it is", "rested on by"],
        (
            [
                RESTS_ON.symbol,
                md(item.id),
                item.kind,
                item.first_seen or "—",
                md(item.description),
                ", ".join(md(n) for n in item.resting) or "nobody",
            ]
            for item in items
        ),
    )
    return [*out, ""]


def _warnings(items: Sequence[WarningRow]) -> list[str]:
    out = ["## Warnings", ""]
    if not items:
        return [*out, "No warning.", ""]
    out += [f"- ⚠ **{a.kind}**: {md(a.message)}" for a in items]
    return [*out, ""]


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def _summary(items: Sequence[Judgement]) -> list[str]:
    out = ["## Key judgements", ""]
    if not items:
        return [*out, "No question.", ""]
    rows = []
    for j in items:
        q = j.section.question
        assert q is not None  # noqa: S101 - only questions have judgements
        marks = [_count(j.conflicts, "conflict"), _count(j.warnings, "warning")]
        if j.fragile:
            marks.append(f"{FRAGILE.symbol} {FRAGILE.word}")
        if j.superseded:
            marks.append(f"{SUPERSEDED.symbol} {_count(j.superseded, 'superseded figure')}")
        lead = badge = rival = "—"
        if j.leader is not None:
            lead = f"{j.leader.label}: {md(j.leader.claim.text)}"
            badge = _badge(j.leader.assessment)
        if j.rival is not None:
            who = ", ".join(md(n) for n in j.backers) or "nobody"
            rival = (
                f"{j.rival.label}: {md(j.rival.claim.text)} ({_badge(j.rival.assessment)}; "
                f"backed by {who})"
            )
        rows.append([f"{md(q.text)} ({md(q.id)})", lead, badge, rival, " · ".join(marks)])
    out += _table(["question", "leading answer", "badge", "strongest rival", "marks"], rows)
    return [*out, ""]


def _sources(items: Sequence[SourceRow]) -> list[str]:
    out = ["## Sources", ""]
    out += _table(
        ["source", "id", "kind", "role", f"{NOTE.symbol} {NOTE.word}"],
        (
            [
                f"{md(s.name)} ({s.grade})",
                md(s.id),
                s.kind,
                md(s.role) if s.role else "",
                md(s.notes) if s.notes else "",
            ]
            for s in items
        ),
    )
    return [*out, ""]


def _relations(items: Sequence[RelationRow]) -> list[str]:
    out = ["## Declared relations", ""]
    rows = []
    for r in items:
        first, second = r.dates
        when = (
            f" (first said {first or 'undated'} and {second or 'undated'})"
            if first or second
            else ""
        )
        rows.append(
            [
                f"**{md(r.first)}** {md(r.first_text)}",
                r.kind + when,
                f"**{md(r.second)}** {md(r.second_text)}",
                md(r.by) if r.by is not None else "the analyst",
                md(r.reason) if r.reason else "",
            ]
        )
    out += _table(["claim", "relation", "other claim", "decided by", "why"], rows)
    return [*out, ""]


def render_markdown(
    content: Content, *, show_legend: bool = True, only_summary: bool = False
) -> str:
    """Render *content* as Markdown (or its key judgements alone)."""
    if only_summary:
        return "\n".join([f"# {md(content.title)}", "", *_summary(content.summary)])
    out = _header(content)
    if content.summary and content.scope is None:
        out += _summary(content.summary)
    for s in content.sections:
        out += _section(s)
    if content.sources:
        out += _sources(content.sources)
    if content.relations:
        out += _relations(content.relations)
    if content.evidence:
        out += _evidence(content.evidence)
    out += _conflicts(content.conflicts)
    out += _warnings(content.warnings)
    if show_legend:
        out += ["## Legend", ""]
        out += [f"- {md(mark.plain)}: {md(meaning)}" for mark, meaning in legend_rows()]
        out.append("")
    return "\n".join(out)


def _header(content: Content) -> list[str]:
    """The title, the description, the counts and the scope."""
    c = content.counts
    out = [f"# {md(content.title)}", ""]
    if content.description:
        out += [f"*{md(content.description)}*", ""]
    head = ["sources", "documents", "questions", "claims", "attributions", "independent origins"]
    values = [c.sources, c.documents, c.questions, c.claims, c.attributions, c.origins]
    if content.span is not None:
        head.append("documents published")
        first, last = content.span
        values_s = [str(v) for v in values] + [f"{first} to {last}" if first != last else first]
    else:
        values_s = [str(v) for v in values]
    out += [*_table(head, [values_s]), ""]
    if content.scope is not None:
        out += [f"Showing one question: {md(content.scope.id)}", ""]
    return out
