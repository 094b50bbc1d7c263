"""The report's shortcuts through rich's layout give the same lines as the rich renderables."""

from __future__ import annotations

import json
import sys

from pathlib import Path

import pytest

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Group
from rich.panel import Panel
from rich.segment import Segment
from rich.table import Table
from rich.text import Span, Text
from rich.theme import Theme
from rich.tree import Tree

import claimtrack

from claimtrack.report import Report, _terminal
from claimtrack.report._layout import text_lines
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
