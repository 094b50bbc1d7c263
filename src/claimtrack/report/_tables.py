"""Tables of assessments for the terminal.

Every text from the case goes through :func:`~claimtrack._text.clean`, as in the report:
a cell is one line of inert text, whatever line breaks or escapes the data holds.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

from claimtrack._text import clean
from claimtrack.engine import Assessment, Assessments, Sensitivity
from claimtrack.model._case import Case


def assessment_table(case: Case, assessments: Assessments, *, wide: bool = False) -> Table:
    """One row per claim: its id, a short text, and its badge; grouped by question.

    Claims are grouped by question, most likely first, so rival answers sit together; each
    question opens its group with a row of its own. Every row is one line, cut with an
    ellipsis rather than wrapped, so the table reads at 100 columns. On a narrower
    terminal the ids are cut shorter and the table drops its outer margins, so that the
    claim's own words keep a fair share of the line; the badge always stays whole.

    Args:
        case: The case.
        assessments: Its assessments.
        wide: The wide layout instead: the whole claim text, wrapped, with its estimate,
            confidence, Admiralty code, status and origins for and against in columns.
    """
    if wide:
        return _wide_table(case, assessments)
    return _CompactTable(case, _ordered(case, assessments))


# Widths of the compact table: the id column's longest and shortest, and the share of the
# content width below which the text column makes the ids give way.
_ID_MAX = 22
_ID_MIN = 12
_TEXT_SHARE = 1 / 3
# What a SIMPLE_HEAD table of three columns takes besides its cells: edges, separators and
# one cell of padding on each side of each column.
_OVERHEAD = 10


class _CompactTable(Table):
    """The compact assess table, laid out for the width it is given when it is printed.

    Built for a wide terminal; printed narrower, it renders a copy with a shorter id
    column and no outer margins, so that the badge, which must stay whole, does not crowd
    out the claim's text.
    """

    def __init__(self, case: Case, rows: Sequence[Assessment]) -> None:
        super().__init__(box=box.SIMPLE_HEAD, title=Text(clean(case.title)), expand=False)
        self._case = case
        self._rows = rows
        ids = [2 + len(clean(a.claim)) for a in rows] + [len(clean(a.question or "")) for a in rows]
        self._longest_id = max(ids, default=5)
        _fill(self, case, rows, id_width=min(_ID_MAX, self._longest_id))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        content = options.max_width - _OVERHEAD
        id_width = min(_ID_MAX, self._longest_id)
        badge = max((len(a.badge) for a in self._rows), default=5)
        if content - id_width - badge >= content * _TEXT_SHARE:
            yield from super().__rich_console__(console, options)
            return
        # the two margins' cells go to the text, and the ids take a fifth at most
        content += 4
        id_width = min(self._longest_id, max(_ID_MIN, content // 5))
        narrow = Table(
            box=box.SIMPLE_HEAD, title=self.title, expand=False, show_edge=False, pad_edge=False
        )
        _fill(narrow, self._case, self._rows, id_width=id_width)
        yield narrow


def _fill(table: Table, case: Case, rows: Sequence[Assessment], *, id_width: int) -> None:
    """Add the compact table's columns and rows to *table*, ids at most *id_width* wide."""
    badges = [a.badge for a in rows]
    table.add_column(
        "claim", no_wrap=True, overflow="ellipsis", min_width=id_width, max_width=id_width
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
