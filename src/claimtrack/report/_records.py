"""How single records look under ``rich.print``: the renderables behind their ``__rich__``.

The model modules do not import rich; their ``__rich__`` methods import these functions
when called. Every value from a record is cleaned and shown as text.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from claimtrack.engine import Assessment, ranked
from claimtrack.model._case import Case
from claimtrack.model._records import Attribution, Claim, Evidence, Question, Source
from claimtrack.report._terminal import STANCES, badge, text


def _fields(rows: Iterable[tuple[str, str | None]]) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    for name, value in rows:
        if value:
            grid.add_row(Text(name), text(value))
    return grid


def _card(kind: str, title: Text, *body: RenderableType) -> Panel:
    head = Text(f"{kind} ", style="dim").append_text(title)
    return Panel(Group(*body), title=head, title_align="left", box=box.ROUNDED, expand=False)


def source_view(source: Source) -> Panel:
    """A source: name and id, kind, grade, role, aliases and affiliations."""
    ties = ", ".join(f"{kind.value} {a.source}" for kind, a in source.affiliations())
    return _card(
        "source",
        text(source.name, "bold"),
        _fields(
            [
                ("id", source.id),
                ("kind", source.kind.value),
                ("reliability", source.reliability.value if source.reliability else "F (ungraded)"),
                ("role", source.role),
                ("aliases", ", ".join(source.aliases)),
                ("affiliations", ties),
                ("notes", source.notes),
            ]
        ),
    )


def evidence_view(evidence: Evidence) -> Panel:
    """An item of evidence: its description, id, kind, when first seen, and notes."""
    return _card(
        "evidence",
        text(evidence.description, "bold"),
        _fields(
            [
                ("id", evidence.id),
                ("kind", evidence.kind.value),
                ("first seen", evidence.first_seen.isoformat() if evidence.first_seen else None),
                ("notes", evidence.notes),
            ]
        ),
    )


def question_view(question: Question) -> Panel:
    """A question: its text, id, whether its answers exclude each other, and its parties."""
    return _card(
        "question",
        text(question.text, "bold"),
        _fields(
            [
                ("id", question.id),
                ("answers", "exclusive" if question.exclusive else "not exclusive"),
                ("parties", ", ".join(question.parties)),
                ("notes", question.notes),
            ]
        ),
    )


def claim_view(claim: Claim) -> Panel:
    """A claim: its text, id, question, value, time, whom it is about and blames, and tags."""
    return _card(
        "claim",
        text(claim.text, "bold"),
        _fields(
            [
                ("id", claim.id),
                ("question", claim.question),
                ("value", str(claim.value) if claim.value else None),
                ("when", claim.when.isoformat() if claim.when else None),
                ("about", ", ".join(claim.about)),
                ("blames", ", ".join(claim.blames)),
                ("tags", ", ".join(claim.tags)),
                ("notes", claim.notes),
            ]
        ),
    )


def attribution_view(att: Attribution) -> Text:
    """An attribution on one line: who takes which stance on which claim, where, in what words."""
    line = text(att.source, "bold")
    line.append(" ")
    line.append_text(STANCES[att.stance].text())
    if att.hedge is not None:
        line.append(f" ({att.hedge.value})", style=STANCES[att.stance].style)
    line.append(" ")
    line.append_text(text(att.claim, "bold"))
    if att.quote:
        line.append(": ")
        line.append_text(text(f"“{att.quote}”", "italic"))
    where = [
        words
        for words, shown in (
            (f"in {att.document}", att.document),
            ("via " + " → ".join(att.via), att.via),
            (f"said {att.said.isoformat()}" if att.said else "", att.said),
            (att.mode.value, att.mode.value != "on-record"),
            ("based on " + ", ".join(att.based_on), att.based_on),
            (f"withdraws {att.withdraws}", att.withdraws is not None),
            ("in own name", att.in_own_name),
            ("against interest", att.against_interest),
            (f"id {att.id}", att.id is not None),
        )
        if shown
    ]
    if where:
        line.append(" (")
        line.append_text(text(", ".join(where)))
        line.append(")")
    return line


def assessment_view(assessment: Assessment) -> Panel:
    """An assessment: the badge, the status, and the engine's reasons."""
    n = len(assessment.votes)
    status = Text(f"{assessment.status.value} · {n} independent origin{'s' * (n != 1)}")
    reasons = [text(f"• {r}") for r in assessment.reasons]
    return _card("assessment", text(assessment.claim, "bold"), badge(assessment), status, *reasons)


def case_view(case: Case) -> Panel:
    """A case at a glance: its size and its questions, each with its leading answer.

    Assessing needs a valid case; while one is still being built with errors, only the
    counts are shown.
    """
    counts = Text(
        f"{len(case.sources)} sources · {len(case.documents)} documents · "
        f"{len(case.questions)} questions · {len(case.claims)} claims · "
        f"{len(case.attributions)} attributions · {len(case.relations)} relations"
    )
    body: list[RenderableType] = []
    if case.description:
        body.append(text(case.description, "italic"))
    body.append(counts)
    errors = [p for p in case.validate(texts=False) if p.is_error]
    if errors:
        n = len(errors)
        body.append(Text(f"{n} error{'s' * (n != 1)}: not assessed (see case.validate())"))
    elif case.questions:
        assessed = case.assess()
        table = Table(box=box.SIMPLE_HEAD, expand=True)
        table.add_column("question", overflow="fold", ratio=1)
        table.add_column("leading answer", overflow="fold", ratio=1)
        table.add_column("badge", no_wrap=True)
        for q in case.questions.values():
            answers = ranked(case.claims_of(q.id), assessed)
            if answers:
                top = answers[0]
                table.add_row(text(q.text), text(top.text), badge(assessed[top.id]))
            else:
                table.add_row(text(q.text), Text("—"), Text(""))
        body.append(table)
    return _card("case", text(case.title, "bold"), *body)
