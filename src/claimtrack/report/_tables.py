"""Tables of assessments for the terminal.

Every text from the case goes through :func:`~claimtrack._text.clean`, as in the report:
a cell is one line of inert text, whatever line breaks or escapes the data holds.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.table import Table
from rich.text import Text

from claimtrack._text import clean
from claimtrack.engine import Assessment, Assessments, Sensitivity
from claimtrack.model._case import Case


def assessment_table(case: Case, assessments: Assessments, *, wide: bool = False) -> Table:
    """One row per claim: its id, a short text, and its badge; grouped by question.

    Claims are grouped by question, most likely first, so rival answers sit together; each
    question opens its group with a row of its own. Every row is one line, cut with an
    ellipsis rather than wrapped, so the table reads at 100 columns.

    Args:
        case: The case.
        assessments: Its assessments.
        wide: The wide layout instead: the whole claim text, wrapped, with its estimate,
            confidence, Admiralty code, status and origins for and against in columns.
    """
    if wide:
        return _wide_table(case, assessments)
    rows = _ordered(case, assessments)
    badges = [
        f"{a.estimate.value} · {a.probability:.0%} · {a.confidence.value} · {a.admiralty}"
        for a in rows
    ]
    ids = [2 + len(clean(a.claim)) for a in rows] + [len(clean(a.question or "")) for a in rows]
    table = Table(box=box.SIMPLE_HEAD, title=Text(clean(case.title)), expand=False)
    # the id and the badge keep their room (an id longer than 22 is cut); the text is cut
    # to what is left, so every row is one line
    table.add_column(
        "claim",
        no_wrap=True,
        overflow="ellipsis",
        min_width=min(22, max(ids, default=5)),
        max_width=22,
    )
    table.add_column("text", overflow="ellipsis", min_width=10)
    table.add_column("badge", no_wrap=True, min_width=max(map(len, badges), default=5))
    shown: str | None = None
    for n, a in enumerate(rows):
        if a.question != shown:
            shown = a.question
            question = case.questions.get(a.question) if a.question else None
            head = Text(clean(a.question) if a.question else "(no question)", style="bold")
            words = Text(
                clean(question.text) if question else "",
                style="bold",
                no_wrap=True,
                overflow="ellipsis",
            )
            table.add_row(head, words, Text(""))
        last_of_question = n + 1 == len(rows) or rows[n + 1].question != a.question
        table.add_row(
            Text("  " + clean(a.claim)),
            Text(clean(case.claims[a.claim].text), no_wrap=True, overflow="ellipsis"),
            Text(badges[n]),
            end_section=last_of_question,
        )
    return table


def _ordered(case: Case, assessments: Assessments) -> list[Assessment]:
    order = {qid: n for n, qid in enumerate(case.questions)}
    return sorted(
        assessments.values(),
        key=lambda a: (
            order.get(a.question, len(order)) if a.question else len(order),
            -a.probability,
            a.claim,
        ),
    )


def _wide_table(case: Case, assessments: Assessments) -> Table:
    table = Table(box=box.SIMPLE_HEAD, title=Text(clean(case.title)), expand=False)
    # The claim is what a reader scans for, so it is the column that gets the room; the
    # judgement columns are short words that may wrap on a narrow terminal.
    table.add_column("claim (question)", ratio=1, min_width=16, overflow="fold")
    table.add_column("estimate", width=12)
    table.add_column("confidence", width=10)
    table.add_column("code", no_wrap=True)
    table.add_column("status", width=13)
    table.add_column("pro/con", justify="right", no_wrap=True)
    rows = _ordered(case, assessments)
    for n, a in enumerate(rows):
        claim = Text(clean(case.claims[a.claim].text))
        if a.question:
            claim.append(f" ({clean(a.question)})", style="dim")
        last_of_question = n + 1 == len(rows) or rows[n + 1].question != a.question
        table.add_row(
            claim,
            Text(f"{a.probability:.0%} {a.estimate.value}"),
            Text(a.confidence.value),
            Text(a.admiralty),
            Text(a.status.value),
            Text(f"{len(a.origins_for)}/{len(a.origins_against)}"),
            end_section=last_of_question,
        )
    return table


def sensitivity_table(case: Case, found: Sequence[Sensitivity]) -> Table:
    """What each question's verdict rests on: one row per change that moves it.

    A question whose verdict no single change moves gets one row saying so.
    """
    table = Table(box=box.SIMPLE_HEAD, title=Text("What the verdicts rest on"), expand=False)
    table.add_column("question", overflow="fold")
    table.add_column("leader", overflow="fold")
    table.add_column("origin", overflow="fold")
    table.add_column("change", no_wrap=True)
    table.add_column("then leads", overflow="fold")
    table.add_column("estimate", width=12)
    for s in found:
        lead = Text(f"{clean(s.leader)} ({s.probability:.0%} {s.estimate.value})")
        question = Text(clean(s.question))
        if not s.flips:
            table.add_row(
                question, lead, Text("no single change moves it", style="dim"), end_section=True
            )
            continue
        for n, f in enumerate(s.flips):
            source = case.sources.get(f.origin)
            origin = Text(clean(f.origin))
            if source is not None:
                origin.append(f" ({clean(source.name)})", style="dim")
            table.add_row(
                question if n == 0 else Text(""),
                lead if n == 0 else Text(""),
                origin,
                Text(f.change),
                Text(clean(f.leader)),
                Text(f"{f.probability:.0%} {f.estimate.value}"),
                end_section=n + 1 == len(s.flips),
            )
    return table
