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
from claimtrack.engine import Assessments, Sensitivity
from claimtrack.model._case import Case


def assessment_table(case: Case, assessments: Assessments) -> Table:
    """One row per claim: its estimate, confidence, Admiralty code, status and origins.

    Claims are grouped by question, most likely first, so rival answers sit together.
    """
    table = Table(box=box.SIMPLE_HEAD, title=Text(clean(case.title)), expand=False)
    # The claim is what a reader scans for, so it is the column that gets the room; the
    # judgement columns are short words that may wrap on a narrow terminal.
    table.add_column("claim (question)", ratio=1, min_width=16, overflow="fold")
    table.add_column("estimate", width=12)
    table.add_column("confidence", width=10)
    table.add_column("code", no_wrap=True)
    table.add_column("status", width=13)
    table.add_column("pro/con", justify="right", no_wrap=True)
    order = {qid: n for n, qid in enumerate(case.questions)}
    rows = sorted(
        assessments.values(),
        key=lambda a: (
            order.get(a.question, len(order)) if a.question else len(order),
            -a.probability,
            a.claim,
        ),
    )
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
