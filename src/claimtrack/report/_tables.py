"""Tables of assessments for the terminal."""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text

from claimtrack._assess import Assessments
from claimtrack._case import Case
from claimtrack._text import inert, one_line


def assessment_table(case: Case, assessments: Assessments) -> Table:
    """One row per claim: its estimate, confidence, Admiralty code, status and origins.

    Claims are grouped by question, most likely first, so rival answers sit together.
    """
    table = Table(box=box.SIMPLE_HEAD, title=Text(one_line(case.title)), expand=False)
    table.add_column("question", max_width=18, overflow="fold")
    table.add_column("claim", ratio=1, min_width=20, overflow="fold")
    table.add_column("estimate", no_wrap=True)
    table.add_column("P", justify="right", no_wrap=True)
    table.add_column("confidence", no_wrap=True)
    table.add_column("code", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("for", justify="right", no_wrap=True)
    table.add_column("against", justify="right", no_wrap=True)
    order = {qid: n for n, qid in enumerate(case.questions)}
    rows = sorted(
        assessments.values(),
        key=lambda a: (
            order.get(a.question, len(order)) if a.question else len(order),
            -a.probability,
            a.claim,
        ),
    )
    for a in rows:
        table.add_row(
            Text(one_line(a.question or "—")),
            Text(inert(case.claims[a.claim].text)),
            Text(a.estimate.value),
            Text(f"{a.probability:.0%}"),
            Text(a.confidence.value),
            Text(a.admiralty),
            Text(a.status.value),
            Text(str(len(a.origins_for))),
            Text(str(len(a.origins_against))),
        )
    return table
