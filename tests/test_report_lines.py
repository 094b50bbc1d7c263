"""The report's shortcuts through rich's layout give the same lines as the rich renderables."""

from __future__ import annotations

import json
import sys

from pathlib import Path

import pytest

from hypothesis import given, settings
from hypothesis import strategies as st
from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.segment import Segment
from rich.table import Table
from rich.text import Span, Text
from rich.theme import Theme
from rich.tree import Tree

import claimtrack

from claimtrack.report import Report, _terminal
from claimtrack.report._layout import Columns, CutLines, Framed, TextTable, text_lines
from claimtrack.report._report import file_console


ROOT = Path(__file__).parent.parent
CASE = ROOT / "examples" / "iraq-2024" / "case.yaml"
PAYLOADS = json.loads((ROOT / "tests" / "data" / "hostile" / "payloads.json").read_text())


def rich_columns(cells: list[object]) -> Table:
    """What :class:`~claimtrack.report._layout.Columns` stands for."""
    grid = Table.grid(expand=True, padding=(0, 1))
    for _ in cells:
        grid.add_column(ratio=1)
    grid.add_row(*cells)
    return grid


def rich_boxed(items: list[object], *, title: Text, box: object) -> Panel:
    """What :class:`~claimtrack.report._layout.Boxed` stands for."""
    return Panel(Group(*items), title=title, title_align="left", box=box, padding=(0, 1))


def rich_framed(cells: list[object], *, box: object) -> Table:
    """What :class:`~claimtrack.report._layout.Framed` stands for."""
    table = Table(box=box, expand=True, show_header=False)
    for _ in cells:
        table.add_column(ratio=1, overflow="fold")
    table.add_row(*cells)
    return table


def lines(report: Report, width: int) -> list[list[Segment]]:
    """The report's lines of segments, as ``to_svg`` renders them."""
    console = file_console(width, colour=True)
    rendered = console.render(report)
    return list(Segment.split_and_crop_lines(rendered, width, include_new_lines=False))


@pytest.fixture(name="with_rich")
def _with_rich(monkeypatch):
    """Render with rich's Tree, tables and Panel in place of the shortcuts."""

    def render(report: Report, width: int) -> list[list[Segment]]:
        with monkeypatch.context() as m:
            m.setattr(_terminal, "ProvenanceTree", Tree)
            m.setattr(_terminal, "Columns", rich_columns)
            m.setattr(_terminal, "Boxed", rich_boxed)
            m.setattr(_terminal, "Framed", rich_framed)
            m.setattr(_terminal, "TextTable", Table)
            m.setattr(_terminal, "CutLines", lambda lines: Group(*lines))
            return lines(report, width)

    return render


@pytest.fixture(name="corpus", scope="module")
def _corpus(tmp_path_factory):
    """A small case of the benchmarks' synthetic corpus: many questions, chains and quotes."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import corpus
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return claimtrack.load(corpus.write(tmp_path_factory.mktemp("corpus") / "c.json", 400))


@pytest.mark.parametrize("width", [30, 40, 60, 100, 140])
def test_seed_case_lines_are_rich_lines(with_rich, width):
    """The seed case's report gives the same segments, styles included, as rich's renderables."""
    report = Report(claimtrack.load(CASE))
    assert lines(report, width) == with_rich(report, width)


@pytest.mark.parametrize("width", [50, 100])
def test_corpus_lines_are_rich_lines(with_rich, corpus, width):
    """A synthetic case with long provenance trees gives the same segments as rich's renderables."""
    report = Report(corpus)
    assert lines(report, width) == with_rich(report, width)


@pytest.mark.parametrize("payload", PAYLOADS, ids=[p["name"] for p in PAYLOADS])
def test_hostile_lines_are_rich_lines(with_rich, payload):
    """Hostile text in every field is laid out as rich lays it out, and stays inert."""
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from test_hostile import hostile_case
    finally:
        sys.path.remove(str(ROOT / "tests"))
    report = Report(hostile_case(payload["text"]))
    ours = lines(report, 90)
    assert ours == with_rich(report, 90)
    assert not any("\x1b" in seg.text for line in ours for seg in line)


STYLES = st.sampled_from(["", "bold", "dim", "green", "italic red", "bold green"])
WORDS = st.text(st.sampled_from("ab ✔→表\n\t"), max_size=60)


@st.composite
def texts(draw: st.DrawFn) -> Text:
    """A text with a base style and a few spans, some overlapping, some empty."""
    plain = draw(WORDS)
    spans = [
        Span(start, draw(st.integers(start, len(plain))), draw(STYLES))
        for start in draw(st.lists(st.integers(0, len(plain)), max_size=4))
    ]
    return Text(
        plain,
        style=draw(STYLES),
        spans=spans,
        justify=draw(st.sampled_from([None, None, "left", "right", "center", "full"])),
        overflow=draw(st.sampled_from([None, "fold", "ellipsis", "crop"])),
    )


@given(
    texts(),
    st.integers(1, 40),
    st.sampled_from([None, "left", "default"]),
    st.sampled_from([None, "fold", "ellipsis"]),
    st.booleans(),
)
def test_text_lines_are_render_lines(text, width, justify, overflow, pad):
    """Any text, at any width, justification and overflow, gives ``render_lines``'s lines."""
    console = file_console(80, colour=True)
    options = console.options.update(width=width, justify=justify, overflow=overflow)
    style = console.get_style("none")
    expected = console.render_lines(text, options, style=style, pad=pad)
    assert text_lines(console, text, options, pad=pad, style=style) == expected


@st.composite
def cut_lines(draw: st.DrawFn) -> list[Text]:
    """Lines as the key judgements make them (mostly cut, not justified), and others."""
    lines = draw(st.lists(texts(), max_size=5))
    for line in lines:
        line.no_wrap = draw(st.sampled_from([True, True, True, None, False]))
        line.justify = draw(st.sampled_from([None, None, None, "left", "full"]))
        line.overflow = draw(st.sampled_from(["ellipsis", "ellipsis", "crop", "fold", None]))
    return [*lines, Text("ends in white space   ", no_wrap=True, overflow="ellipsis")]


@settings(max_examples=300, deadline=None)
@given(
    cut_lines(),
    st.integers(1, 40),
    st.sampled_from([None, None, "left", "default"]),
    st.sampled_from([None, None, "fold", "ellipsis", "crop", "ignore"]),
)
def test_cut_lines_are_a_group_of_lines(lines, width, justify, overflow):
    """Lines cut at the width give, segment for segment, what rich gives for their group."""
    console = file_console(80, colour=True)
    options = console.options.update(width=width, justify=justify, overflow=overflow)
    ours = list(console.render(CutLines(lines), options))
    assert ours == list(console.render(Group(*lines), options))
    assert console.measure(CutLines(lines), options=options) == console.measure(
        Group(*lines), options=options
    )


def test_cut_lines_leave_the_lines_as_they_were():
    """A line cut to the width is cut in a copy: the caller's line keeps its text."""
    line = Text(
        "a line much longer than the width", style="bold", no_wrap=True, overflow="ellipsis"
    )
    console = file_console(80, colour=True)
    list(console.render(CutLines([line]), console.options.update(width=10)))
    assert line.plain == "a line much longer than the width"


def test_laid_out_text_follows_the_theme():
    """A text laid out again after the console's theme changes takes the new theme's style."""
    console = file_console(40, colour=True)
    text = Text("claim", style="claimtrack.test")
    with console.use_theme(Theme({"claimtrack.test": "red"})):
        red = text_lines(console, text, console.options)
    with console.use_theme(Theme({"claimtrack.test": "green"})):
        green = text_lines(console, text, console.options)
    assert red[0][0].style == console.get_style("red")
    assert green[0][0].style == console.get_style("green")
    assert text_lines(console, text, console.options) is text_lines(console, text, console.options)
    spanned = Text("a claim", spans=[Span(2, 7, "claimtrack.test")])
    with console.use_theme(Theme({"claimtrack.test": "red"})):
        red = text_lines(console, spanned, console.options)
    with console.use_theme(Theme({"claimtrack.test": "green"})):
        green = text_lines(console, spanned, console.options)
    assert red[0][1].style == console.get_style("red")
    assert green[0][1].style == console.get_style("green")


@pytest.mark.parametrize("width", [20, 45])
def test_lines_with_a_style_are_render_lines(monkeypatch, width):
    """Asked for their lines with a style, the shortcuts give what ``render_lines`` gives."""
    answer = Report(claimtrack.load(CASE)).content.sections[0].answers[0]
    console = file_console(100, colour=True)
    options = console.options.update_width(width)
    style = console.get_style("on blue")
    ours = [_terminal.answer_panel(answer), _terminal.provenance(answer)]
    monkeypatch.setattr(_terminal, "ProvenanceTree", Tree)
    monkeypatch.setattr(_terminal, "Boxed", rich_boxed)
    theirs = [_terminal.answer_panel(answer), _terminal.provenance(answer)]
    for mine, rich in zip(ours, theirs, strict=True):
        assert mine.lines(console, options, style) == console.render_lines(
            rich, options, style=style
        )


# ---- tables and columns of any shape, on the rich installed ---------------------------------

BOXES = st.sampled_from(
    [box.SIMPLE_HEAD, box.ROUNDED, box.SQUARE, box.HEAVY_HEAD, box.MINIMAL, box.ASCII, box.SIMPLE]
)
CELLS = st.one_of(texts(), texts(), st.sampled_from(["", "plain", "a str cell, longer", "x\ny"]))


@st.composite
def tables(
    draw: st.DrawFn,
) -> tuple[dict[str, object], list[dict[str, object]], list[list[object]]]:
    """A table's settings, its columns' settings and its rows: what ``Table`` takes."""
    settings = {
        "box": draw(BOXES),
        "expand": draw(st.booleans()),
        "width": draw(st.sampled_from([None, None, None, 12, 50])),
        "min_width": draw(st.sampled_from([None, None, 20, 70])),
        "pad_edge": draw(st.sampled_from([True, True, False])),
        "padding": draw(st.sampled_from([(0, 1), (0, 1), (0, 0), (0, 2), (0, 1, 0, 0), (1, 1)])),
        "collapse_padding": draw(st.sampled_from([False, False, True])),
        "show_lines": draw(st.sampled_from([False, False, False, True])),
        "show_header": draw(st.sampled_from([True, True, True, False])),
        "highlight": draw(st.booleans()),
        "title": draw(st.sampled_from([None, "Title 1", Text("A longer title", style="bold")])),
        "caption": draw(st.sampled_from([None, None, "caption"])),
        "title_justify": draw(st.sampled_from(["left", "center", "right"])),
        "style": draw(STYLES),
        "border_style": draw(STYLES),
        "header_style": draw(STYLES),
    }
    columns = [
        {
            "header": draw(st.sampled_from(["", "A", "source", "a long header (1)"])),
            "ratio": draw(st.sampled_from([None, None, 1, 2])),
            "width": draw(st.sampled_from([None, None, None, 3, 8])),
            "min_width": draw(st.sampled_from([None, None, 4, 12])),
            "max_width": draw(st.sampled_from([None, None, 6])),
            "no_wrap": draw(st.booleans()),
            "justify": draw(st.sampled_from(["left", "right", "center", "full"])),
            "overflow": draw(st.sampled_from(["fold", "ellipsis", "crop"])),
            "vertical": draw(st.sampled_from(["top", "middle", "bottom"])),
            "style": draw(STYLES),
            "header_style": draw(STYLES),
        }
        for _ in range(draw(st.integers(1, 4)))
    ]
    rows = draw(st.lists(st.lists(CELLS, min_size=len(columns), max_size=len(columns)), max_size=4))
    return settings, columns, rows


def build(kind: type[Table], settings, columns, rows) -> Table:
    table = kind(**settings)
    for column in columns:
        table.add_column(**column)
    for row in rows:
        table.add_row(*row)
    return table


def rendered(console: Console, renderable: object) -> list[list[Segment]]:
    return list(Segment.split_lines(console.render(renderable)))


@settings(max_examples=100, deadline=None)
@given(tables(), st.integers(1, 90))
def test_text_tables_are_rich_tables(table, width):
    """Any table, plain enough for the shortcut or not, gives the lines of rich's ``Table``."""
    console = file_console(width, colour=True)
    ours = build(TextTable, *table)
    try:
        expected = rendered(file_console(width, colour=True), build(Table, *table))
    except AssertionError:  # rich finds no width to share out; so must the shortcut
        with pytest.raises((AssertionError, ValueError)):
            rendered(console, ours)
        return
    assert rendered(console, ours) == expected
    assert rendered(console, ours) == expected  # again, from the console's caches


def test_the_matrix_shape_takes_the_shortcut(monkeypatch):
    """The report's matrix is laid out by the shortcut, not handed back to rich."""
    table = TextTable(title=Text("Sources × answers"), box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("source", overflow="fold", min_width=12)
    table.add_column("A", overflow="fold")
    table.add_row(Text("a source (B2)"), Text("✔ asserts"))
    expected = rendered(file_console(40, colour=True), table)
    monkeypatch.setattr(Table, "__rich_console__", None)
    assert rendered(file_console(40, colour=True), table) == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(CELLS, min_size=1, max_size=5), st.integers(0, 100), BOXES)
def test_columns_and_frames_are_rich_tables(cells, extra, frame):
    """Cells side by side, bare or framed, give the lines of the rich tables they stand for.

    At any width that leaves each framed cell its borders and a column of text, as the
    report's do (narrower, rich squeezes the frame in its own way).
    """
    width = 4 * len(cells) + 1 + extra
    console = file_console(width, colour=True)
    assert rendered(console, Columns(cells)) == rendered(console, rich_columns(cells))
    assert rendered(console, Framed(cells, box=frame)) == rendered(
        console, rich_framed(cells, box=frame)
    )
