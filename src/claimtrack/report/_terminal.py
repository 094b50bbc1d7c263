"""The rich renderables of a report: header, side-by-side answers, matrix, conflicts, legend.

Data always enters as :class:`rich.text.Text` through :func:`text`, which cleans it first
(see :mod:`claimtrack.report._safe`); no string built from data is ever read as markup.
Colour is never the only carrier of meaning: each coloured mark comes with a word.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Span, Text

from claimtrack._text import clean
from claimtrack.engine import Assessment, Estimate
from claimtrack.model._anchor import AnchorStatus
from claimtrack.model._records import Mode, Stance
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
from claimtrack.report._layout import (
    Boxed,
    Columns,
    CutLines,
    Framed,
    ProvenanceTree,
    TextTable,
)
from claimtrack.report._safe import shorten


QUOTE_LIMIT = 160
TITLE_LIMIT = 200
"""Titles longer than this are cut; shorter ones wrap rather than being cut at the width."""
PANEL_MIN_WIDTH = 38
"""Answers sit side by side as long as each panel gets at least this many columns."""


@attrs.frozen
class Mark:
    """A symbol, the word it stands for, and the colour that goes with both."""

    symbol: str
    word: str
    style: str

    def text(self, *, word: bool = True) -> Text:
        """The mark as text: the symbol, then the word unless *word* is false."""
        out = Text(self.symbol, style=self.style)
        if word:
            out.append(f" {self.word}", style=self.style)
        return out


STANCES = {
    Stance.ASSERTS: Mark("✔", "asserts", "green"),
    Stance.DENIES: Mark("✘", "denies", "red"),
    Stance.DOUBTS: Mark("?", "doubts", "yellow"),
    Stance.RETRACTS: Mark("↺", "retracts", "magenta"),
}
ANCHORS: dict[AnchorStatus | None, Mark] = {
    AnchorStatus.EXACT: Mark("✓", "in text", "green"),
    AnchorStatus.RELOCATED: Mark("≈", "in text after normalising", "green"),
    AnchorStatus.ORPHANED: Mark("✗", "NOT in text", "bold red"),
    AnchorStatus.AMBIGUOUS: Mark("✗", "ambiguous in text", "red"),
    None: Mark("·", "not checked", "dim"),
}
NO_VOTE = Mark("○", "no vote", "dim")
NO_STANCE = Mark("—", "no stance", "dim")
PURPORTED = Mark("⚠", "purported", "yellow")
ANONYMOUS = Mark("◌", "anonymous", "cyan")
INTERESTED = Mark("⚑", "interested party", "yellow")
SPEAKS_FOR = Mark("⇒", "speaks for", "cyan")
OWN_NAME = Mark("◇", "in own name", "cyan")
AGAINST_INTEREST = Mark("⚖", "against interest", "green")
RESTS_ON = Mark("▣", "rests on", "blue")
WITHDRAWN = Mark("⊘", "withdrawn by", "magenta")
CONFLICT = Mark("⟂", "contradicts", "red")
WARNING = Mark("⚠", "warning", "yellow")
FRAGILE = Mark("△", "rests on one origin", "yellow")
NOTE = Mark("✎", "analyst's note", "cyan")
SUPERSEDED = Mark("⤳", "superseded by", "magenta")


def text(value: str, style: str = "", *, limit: int | None = None) -> Text:
    """Data as text, cleaned (and cut to *limit* characters if given); never markup."""
    return Text(shorten(value, limit) if limit else clean(value), style=style)


def joined(parts: Iterable[Text | str], sep: str = " · ") -> Text:
    """Join pieces of text with *sep*; plain strings here are the report's own words."""
    pieces: list[str] = []
    spans: list[Span] = []
    offset = 0
    for n, part in enumerate(parts):
        if n:
            pieces.append(sep)
            offset += len(sep)
        if isinstance(part, str):
            pieces.append(part)
            offset += len(part)
            continue
        plain = part.plain
        if part.style:
            spans.append(Span(offset, offset + len(plain), part.style))
        spans += [Span(start + offset, end + offset, style) for start, end, style in part.spans]
        pieces.append(plain)
        offset += len(plain)
    return Text("".join(pieces), spans=spans)


def badge(assessment: Assessment) -> Text:
    """The confidence badge: estimative word, percentage, analytic confidence, Admiralty code."""
    return joined(
        [
            Text(assessment.estimate.value, style="bold"),
            Text(f"{assessment.probability:.0%}", style="bold"),
            Text(assessment.confidence.value),
            Text(assessment.admiralty),
        ]
    )


def rests_on(said: Said) -> list[Text]:
    """The items of evidence *said* rests on: kind and id (``video 'clip'``)."""
    return [
        (Text(f"{e.kind} ") if e.kind else Text("")).append_text(text(f"'{e.id}'"))
        for e in said.evidence
    ]


def _who_stands_behind(said: Said, line: Text) -> None:
    """Append to *line* who stands behind *said*: body, evidence, withdrawals, its id."""
    if said.speaks_for is not None:
        line.append(" ")
        line.append_text(SPEAKS_FOR.text()).append(" ")
        line.append_text(text(said.speaks_for, SPEAKS_FOR.style))
    if said.in_own_name:
        line.append(" ")
        line.append_text(OWN_NAME.text())
    if said.against_interest:
        line.append(" ")
        line.append_text(AGAINST_INTEREST.text())
    if said.evidence:
        line.append(" ")
        line.append_text(RESTS_ON.text()).append(" ")
        line.append_text(joined(rests_on(said), ", "))
    if said.withdraws is not None:
        line.append(" withdraws ", style=STANCES[Stance.RETRACTS].style)
        line.append_text(text(f"'{said.withdraws}'", STANCES[Stance.RETRACTS].style))
    if said.withdrawn_by:
        line.append(" ")
        line.append_text(WITHDRAWN.text()).append(" ")
        line.append_text(joined([text(n, WITHDRAWN.style) for n in said.withdrawn_by], ", "))
    if said.ident is not None:
        line.append(" (id ", style="dim")
        line.append_text(text(said.ident, "dim")).append(")", style="dim")


def _said_line(said: Said) -> Text:
    """The leaf of a provenance tree: the stance, the quote and whether it is in the text."""
    line = STANCES[said.stance].text()
    if said.hedge is not None:
        line.append(f" ({said.hedge.value})", style=STANCES[said.stance].style)
    if said.quote is not None:
        line.append(" ")
        line.append_text(text(f"“{shorten(said.quote, QUOTE_LIMIT)}”", "italic"))
        line.append(" ")
        line.append_text(ANCHORS[said.anchor].text())
    else:
        line.append(" (no quote recorded)", style="dim")
    if said.mode is Mode.PURPORTED:
        line.append(" ")
        line.append_text(PURPORTED.text())
    elif said.mode is Mode.ANONYMOUS:
        line.append(" ")
        line.append_text(ANONYMOUS.text())
    if said.interested:
        line.append(" ")
        line.append_text(INTERESTED.text())
    _who_stands_behind(said, line)
    if not said.counted:
        line.append(" (not counted)", style="dim")
    return line


def note(notes: str) -> Text:
    """The analyst's note on a record, marked as the analyst's."""
    return NOTE.text().append(": ", style=NOTE.style).append_text(text(notes))


def _chain(said: Said) -> Text:
    if len(said.chain) <= 1:
        if said.folded:  # under another origin: say whose report it is
            return text(said.speaker).append(", own report", style="dim")
        return Text("own report", style="dim")
    return joined([text(name) for name in said.chain], " → ").append("", style="")


def _document(said: Said, *, publisher: bool = True) -> Text:
    parts = [text(said.publisher, "bold")] if said.publisher and publisher else []
    parts.append(Text(said.date or "undated"))
    line = joined(parts, ", ")
    if said.document is not None:
        line.append(": ")
        line.append_text(text(said.document, "dim", limit=TITLE_LIMIT))
    return line


def origin_label(origin: Origin) -> Text:
    """An origin node: its vote's stance, name, grade and weight."""
    mark = STANCES[origin.stance] if origin.stance is not None else NO_VOTE
    label = mark.text(word=False)
    label.append(" ")
    label.append_text(text(origin.name, "bold"))
    label.append(f" ({origin.grade})")
    details = [Text(mark.word)]
    if origin.weight is not None:
        details.append(Text(f"weight {origin.weight:.2f}"))
    if origin.role:
        details.append(text(origin.role, "dim"))
    if origin.stake is not None:
        details.append(Text(origin.stake, style="yellow"))
    if origin.speakers:
        details.append(Text("with ").append_text(joined([text(n) for n in origin.speakers], ", ")))
    label.append(" · ")
    label.append_text(joined(details))
    return label


def provenance(answer: Answer) -> ProvenanceTree:
    """The provenance tree: origin → reporting chain → document → quote, for each origin."""
    tree = ProvenanceTree(Text("provenance"), hide_root=True, guide_style="dim")
    if not answer.origins:
        tree.add(Text("no source takes a stance on it", style="dim"))
    for origin in answer.origins:
        node = tree.add(origin_label(origin))
        for said in origin.said:
            leaf = node.add(_chain(said)).add(_document(said)).add(_said_line(said))
            if said.notes:
                leaf.add(note(said.notes))
    return tree


def answer_panel(answer: Answer) -> Boxed:
    """One answer: its badge, status, the claim, and its provenance tree."""
    a = answer.assessment
    head = badge(a)
    status = joined(
        [
            Text(a.status.value),
            Text(f"{len(a.origins_for)} for"),
            Text(f"{len(a.origins_against)} against"),
        ]
    )
    claim = text(answer.claim.text)
    ident = Text("id ", style="dim").append_text(text(answer.claim.id, "dim"))
    if answer.claim.value is not None:
        ident.append(" · value ", style="dim")
        ident.append_text(text(str(answer.claim.value), "dim"))
    if answer.blames:
        ident.append(" · blames ", style="dim")
        ident.append_text(joined([text(n, "dim") for n in answer.blames], ", "))
    title = Text(answer.label)
    if answer.fragile:  # in the border, so that the panels side by side stay aligned
        title = joined([title, FRAGILE.text()])
    items: list[RenderableType] = [head, status, claim, ident]
    history = supersession(answer)
    if history is not None:
        items.append(history)
    if answer.claim.notes:
        items.append(note(answer.claim.notes))
    items.append(provenance(answer))
    return Boxed(items, title=title, box=box.ROUNDED)


def supersession(answer: Answer) -> Text | None:
    """The figure's history: what supersedes it, what it supersedes, and when first said."""
    parts: list[Text | str] = []
    if answer.superseded_by is not None:
        parts.append(SUPERSEDED.text().append(" ").append_text(text(answer.superseded_by)))
    if answer.supersedes:
        parts.append(
            Text("supersedes ", style=SUPERSEDED.style).append_text(
                joined([text(k) for k in answer.supersedes], ", ")
            )
        )
    if not parts:
        return None
    if answer.first_said is not None:
        parts.append(Text(f"first said {answer.first_said}", style="dim"))
    return joined(parts)


@attrs.frozen
class SideBySide:
    """Renderables in as many equal columns as fit, wrapping to further rows as needed."""

    items: Sequence[RenderableType]
    min_width: int = PANEL_MIN_WIDTH

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        per_row = max(1, min(len(self.items), options.max_width // self.min_width))
        for start in range(0, len(self.items), per_row):
            row = list(self.items[start : start + per_row])
            yield Columns([*row, *([""] * (per_row - len(row)))])

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(min(self.min_width, options.max_width), options.max_width)


def stance_cell(stances: Sequence[Stance]) -> Text:
    """A matrix cell: each stance the source took, in the order it took them."""
    if not stances:
        return NO_STANCE.text(word=False)
    return joined([STANCES[s].text() for s in stances], ", then ")


def matrix(section: Section) -> TextTable:
    """The source × answer matrix (analysis of competing hypotheses)."""
    table = TextTable(
        title=Text("Sources × answers", style="bold"),
        box=box.SIMPLE_HEAD,
        title_justify="left",
        expand=False,
    )
    table.add_column("source", overflow="fold", min_width=12)
    for answer in section.answers:
        table.add_column(answer.label, overflow="fold")
    for row in section.rows:
        name = text(row.source).append(f" ({row.grade})")
        table.add_row(name, *(stance_cell(c) for c in row.cells))
    return table


def section_title(section: Section) -> Text:
    """The heading of a section: the question and its id, or the loose claims."""
    if section.question is None:
        return Text("Claims that answer no question", style="bold")
    title = text(section.question.text, "bold")
    title.append("  ")
    title.append_text(text(f"({section.question.id})", "dim"))
    return title


def section(section: Section) -> Group:
    """One question: its competing answers side by side, then its matrix."""
    parts: list[RenderableType] = [Rule(section_title(section), align="left")]
    q = section.question
    if q is not None:
        kind = "one answer at most can be true" if q.exclusive else "answers can all be true"
        n = len(section.answers)
        parts.append(Text(f"{n} answer{'s' * (n != 1)}, most probable first; {kind}."))
    if section.parties:
        parties = Text("Parties: ").append_text(joined([text(p) for p in section.parties], ", "))
        parts.append(parties.append("."))
    if q is not None and q.notes:
        parts.append(note(q.notes))
    if section.figures is not None:
        f = section.figures
        line = Text(f"Figures: low {f.low:g} · best {f.best:g} · high {f.high:g}")
        if f.unit:  # the unit is text from the case, cleaned like any other
            line.append(" ").append_text(text(f.unit))
        parts.append(line)
    if not section.answers:
        parts.append(Text("No claim answers it yet.", style="dim"))
        return Group(*parts)
    parts.append(SideBySide([answer_panel(a) for a in section.answers]))
    if section.rows:
        parts.append(matrix(section))
    return Group(*parts)


def _side_cell(side: Conflict, n: int) -> Group:
    s = side.sides[n]
    # the label is a claim's id when the claim is out of the report's scope: data, cleaned
    head = Text(f"{clean(s.label)}  ", style="bold").append_text(badge(s.assessment))
    lines: list[RenderableType] = [head, text(s.claim.text)]
    if s.strongest is None:
        lines.append(Text("no source asserts it", style="dim"))
    else:
        said = s.strongest
        lines.append(_said_line(said))
        who = joined([text(name) for name in said.chain], " → ") if said.chain else Text("")
        lines.append(
            Text("— ").append_text(who).append(", ").append_text(_document(said, publisher=False))
        )
    return Group(*lines)


def conflicts(items: Sequence[Conflict]) -> RenderableType:
    """Every contradiction, both sides' strongest attribution next to each other."""
    parts: list[RenderableType] = [Rule(Text("Conflicts", style="bold"), align="left")]
    if not items:
        parts.append(Text("No contradiction found.", style="dim"))
    for n, conflict in enumerate(items, 1):
        c = conflict.contradiction
        title = CONFLICT.text(word=False)
        title.append(f" Conflict {n} ({c.kind.value}): ", style="bold")
        labels = [text(side.label, "bold") for side in conflict.sides]
        title.append_text(joined(labels, f" {CONFLICT.symbol} "))
        parts += [title, text(c.reason)]
        table = Framed([_side_cell(conflict, 0), _side_cell(conflict, 1)], box=box.ROUNDED)
        parts.append(table)
    return Group(*parts)


def evidence(items: Sequence[EvidenceRow]) -> RenderableType:
    """The items of evidence: kind, id, when first seen, what it is, and who rests on it."""
    parts: list[RenderableType] = [Rule(Text("Evidence", style="bold"), align="left")]
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for item in items:
        head = [text(f"'{item.id}'", "bold")]
        if item.first_seen is not None:
            head.append(Text(f"first seen {item.first_seen}"))
        head.append(text(item.description))
        grid.add_row(RESTS_ON.text(word=False).append(f" {item.kind}", style="blue"), joined(head))
        who = joined([text(n) for n in item.resting], ", ") if item.resting else Text("nobody")
        grid.add_row(Text(""), Text("rested on by ", style="dim").append_text(who))
    parts.append(grid)
    return Group(*parts)


def warnings(items: Sequence[WarningRow]) -> RenderableType:
    """Warnings: circular reporting, quotes not in their text, purported and interested speakers."""
    parts: list[RenderableType] = [Rule(Text("Warnings", style="bold"), align="left")]
    if not items:
        parts.append(Text("No warning.", style="dim"))
        return Group(*parts)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for alert in items:
        grid.add_row(
            WARNING.text(word=False).append(f" {alert.kind}", style="yellow"), text(alert.message)
        )
    parts.append(grid)
    return Group(*parts)


def _bands() -> str:
    edges = ["1", "5", "20", "45", "55", "80", "95", "99"]
    return "; ".join(f"{e.value} {edges[n]}–{edges[n + 1]}%" for n, e in enumerate(Estimate))


LEGEND_SCALES = (
    ("badge", "estimative word · probability · analytic confidence · Admiralty code"),
    ("estimative word", f"ICD 203: {_bands()}"),
    (
        "probability",
        "the engine's estimate; rival answers to one question share 100% with 'none of these'",
    ),
    (
        "analytic confidence",
        "low / moderate / high: how much the evidence can bear, apart from probability",
    ),
    (
        "Admiralty code",
        "letter = best source reliability (A completely reliable, B usually, C fairly, D not usually, E unreliable, F cannot be judged); digit = credibility (1 confirmed, 2 probably true, 3 possibly true, 4 doubtful, 5 improbable, 6 cannot be judged)",
    ),
    ("(B) after a name", "the source's reliability letter; F when ungraded"),
    (
        "weight",
        "how far the origin's vote moves the claim, in log-odds; each independent origin votes once",
    ),
    (
        "A1, A2 …",
        "answers to the question, most probable first; C1, C2 … claims without a question",
    ),
    ("A → B", "reporting chain: the publisher, whom it reports, …, the speaker"),
    (
        "(likely) after a stance",
        "the speaker's own hedge, in ICD 203 words: it commits to less than a flat statement",
    ),
    (
        "accusation, admission …",
        (
            "what the origin has at stake: an accusation or denial of blame by a party counts "
            "less, an admission or a statement against interest more"
        ),
    ),
    ("with …", "the other speakers the origin's one vote counts"),
)


def legend_rows() -> list[tuple[Text, str]]:
    """Every mark and scale the report uses, with its meaning (Markdown reuses the words)."""
    rows: list[tuple[Text, str]] = []
    for stance, mark in STANCES.items():
        rows.append((mark.text(), f"the speaker {stance.value} the claim ({mark.style})"))
    rows.append((NO_VOTE.text(), "the origin's stance no longer counts (it retracted)"))
    rows.append(
        (NO_STANCE.text(word=False), "in the matrix: the source takes no stance on that answer")
    )
    for status, mark in ANCHORS.items():
        what = status.value if status else "no text to check against"
        rows.append(
            (mark.text(), f"the quote, checked against its document's text: {what} ({mark.style})")
        )
    rows.append(
        (PURPORTED.text(), "a statement circulating in the speaker's name, not verified (yellow)")
    )
    rows.append((ANONYMOUS.text(), "the speaker is not named (cyan)"))
    rows.append((INTERESTED.text(), "the speaker talks about its own actions (yellow)"))
    rows.append(
        (
            SPEAKS_FOR.text(),
            "the speaker speaks for that body, and counts as it: one vote for both (cyan)",
        )
    )
    rows.append((OWN_NAME.text(), "a spokesperson speaking for itself, not its body (cyan)"))
    rows.append(
        (
            AGAINST_INTEREST.text(),
            "marked by the analyst as said against the speaker's own interest (green)",
        )
    )
    rows.append(
        (
            RESTS_ON.text(),
            "the items of evidence it rests on; origins resting on one item count once (blue)",
        )
    )
    rows.append(
        (WITHDRAWN.text(), "a later retraction withdraws it, and it no longer counts (magenta)")
    )
    rows.append((CONFLICT.text(), "two claims that cannot both be true (red)"))
    rows.append((WARNING.text(), "something the analyst should look at (yellow)"))
    rows.append(
        (
            FRAGILE.text(),
            ("removing one origin alone would give the question another leading answer (yellow)"),
        )
    )
    rows.append((NOTE.text(), "the analyst's own note on a record, not a source's words (cyan)"))
    rows.append(
        (SUPERSEDED.text(), "a figure a later one replaces: history, not counted (magenta)")
    )
    rows += [(Text(k, style="bold"), v) for k, v in LEGEND_SCALES]
    return rows


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def judgement_lines(j: Judgement) -> list[Text]:
    """A question's key judgement in at most three lines, each cut rather than wrapped."""
    q = j.section.question
    assert q is not None  # noqa: S101 - only questions have judgements
    # the id and the marks first: a line too long loses the end of the question's text
    head = Text("▸ ", style="bold").append_text(text(q.id, "bold"))
    marks: list[Text | str] = [
        Text(_count(j.conflicts, "conflict"), style="red" if j.conflicts else "dim"),
        Text(_count(j.warnings, "warning"), style="yellow" if j.warnings else "dim"),
    ]
    if j.fragile:
        marks.append(FRAGILE.text())
    if j.superseded:
        marks.append(
            Text(
                f"{SUPERSEDED.symbol} {_count(j.superseded, 'superseded figure')}",
                style=SUPERSEDED.style,
            )
        )
    head.append(" · ").append_text(joined(marks)).append(": ").append_text(text(q.text, "bold"))
    lines = [head]
    if j.leader is None:
        lines.append(Text("  no claim answers it yet", style="dim"))
    else:
        lead = Text(f"  {j.leader.label} ", style="bold").append_text(badge(j.leader.assessment))
        lines.append(lead.append(": ").append_text(text(j.leader.claim.text)))
    if j.rival is not None:
        rival = Text(f"  rival {j.rival.label} ").append_text(badge(j.rival.assessment))
        if j.backers:
            rival.append(", backed by ").append_text(joined([text(n) for n in j.backers], ", "))
        else:
            rival.append(", asserted by nobody", style="dim")
        lines.append(rival.append(": ").append_text(text(j.rival.claim.text)))
    for line in lines:
        line.no_wrap = True
        line.overflow = "ellipsis"
    return lines


def summary(items: Sequence[Judgement]) -> RenderableType:
    """The key judgements: each question's leader, badge, strongest rival and marks."""
    head = Rule(Text("Key judgements", style="bold"), align="left")
    if not items:
        return Group(head, Text("No question.", style="dim"))
    return Group(head, CutLines([line for j in items for line in judgement_lines(j)]))


def sources(items: Sequence[SourceRow]) -> RenderableType | None:
    """The analyst's notes on the sources in scope (sources without notes are left out)."""
    noted = [src for src in items if src.notes]
    if not noted:
        return None
    parts: list[RenderableType] = [Rule(Text("Notes on sources", style="bold"), align="left")]
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for src in noted:
        name = text(src.name, "bold", limit=40).append(f" ({src.grade})")
        grid.add_row(name, NOTE.text(word=False).append(" ").append_text(text(src.notes or "")))
    parts.append(grid)
    return Group(*parts)


def relations(items: Sequence[RelationRow]) -> RenderableType | None:
    """The relations declared between claims, with who decided them and why.

    Declared contradictions are left to the conflicts, which show who decided them and why.
    """
    items = [rel for rel in items if not rel.in_conflicts]
    if not items:
        return None
    parts: list[RenderableType] = [Rule(Text("Declared relations", style="bold"), align="left")]
    for rel in items:
        line = text(rel.first, "bold").append(f" {rel.kind} ").append_text(text(rel.second, "bold"))
        line.append(" · by ").append_text(
            text(rel.by) if rel.by is not None else Text("the analyst")
        )
        first, second = rel.dates
        if first or second:
            line.append(f" · first said {first or 'undated'} and {second or 'undated'}")
        if rel.reason:
            line.append(": ").append_text(text(rel.reason, "dim"))
        parts.append(line)
    return Group(*parts)


def legend() -> RenderableType:
    """The legend: every symbol, colour and scale, each with words."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for mark, meaning in legend_rows():
        grid.add_row(mark, Text(meaning))
    return Group(Rule(Text("Legend", style="bold"), align="left"), grid)


def header(content: Content) -> Panel:
    """The header: title, counts, the time span of the documents, and the scope."""
    c = content.counts
    lines: list[RenderableType] = []
    if content.description:
        lines.append(text(content.description, "italic"))
    lines.append(
        Text(
            f"{c.sources} sources · {c.documents} documents · {c.questions} questions · "
            f"{c.claims} claims · {c.attributions} attributions · "
            f"{c.origins} independent origins"
        )
    )
    if content.span is not None:
        first, last = content.span
        lines.append(
            Text(
                f"Documents published {first} to {last}"
                if first != last
                else f"Documents published {first}"
            )
        )
    if content.scope is not None:
        lines.append(Text("Showing one question: ").append_text(text(content.scope.id, "bold")))
    return Panel(
        Group(*lines),
        title=text(content.title, "bold"),
        title_align="left",
        box=box.DOUBLE,
    )


def report(
    content: Content, *, show_legend: bool = True, only_summary: bool = False
) -> Iterable[RenderableType]:
    """Every part of the report, in order (or the key judgements alone)."""
    if only_summary:
        yield summary(content.summary)
        return
    yield header(content)
    if content.summary and content.scope is None:
        yield summary(content.summary)
    for s in content.sections:
        yield section(s)
    noted = sources(content.sources)
    if noted is not None:
        yield noted
    declared = relations(content.relations)
    if declared is not None:
        yield declared
    if content.evidence:
        yield evidence(content.evidence)
    yield conflicts(content.conflicts)
    yield warnings(content.warnings)
    if show_legend:
        yield legend()
