"""The :class:`Report`: a case and its assessments, side by side, with their provenance."""

from __future__ import annotations

import io

from typing import Any

import attrs

from rich.console import Console, ConsoleOptions, RenderResult
from rich.terminal_theme import MONOKAI, TerminalTheme

from claimtrack._suggest import hint
from claimtrack._text import clean
from claimtrack.engine import Assessment, Assessments, Settings
from claimtrack.model._case import Case
from claimtrack.model._records import Question
from claimtrack.report import _terminal
from claimtrack.report._content import SORTS, Content, gather
from claimtrack.report._markdown import render_markdown
from claimtrack.report._svg import split_lines, write_svg


DEFAULT_WIDTH = 100
"""Columns used by the file outputs when no width is given."""

_HTML_FRAGMENT = (
    '<pre style="white-space:pre;overflow-x:auto;line-height:normal;'
    "font-family:Menlo,'DejaVu Sans Mono',consolas,'Courier New',monospace\">{code}</pre>"
)


def _question(case: Case, question: str | Question | None) -> Question | None:
    if question is None or isinstance(question, Question):
        return question
    if question in case.questions:
        return case.questions[question]
    meant = hint(question, case._vocabulary(case._questions))  # noqa: SLF001 - the case's own index
    known = ", ".join(clean(q) for q in case.questions) or "none"
    msg = f"the case has no question '{clean(question)}'{meant}; its questions are: {known}"
    raise ValueError(msg)


def file_console(width: int, *, colour: bool, record: bool = False) -> Console:
    """A console that renders to memory, the same on every machine and terminal.

    Width, colour system and legacy Windows mode are pinned, and markup, emoji codes and
    highlighting are off, so output depends on the report alone.
    """
    return Console(
        file=io.StringIO(),
        width=width,
        color_system="truecolor" if colour else None,
        force_terminal=colour,
        force_jupyter=False,
        force_interactive=False,
        legacy_windows=False,
        no_color=not colour,
        markup=False,
        emoji=False,
        highlight=False,
        record=record,
        soft_wrap=False,
        _environ={},
    )


@attrs.define(repr=False)
class Report:
    r"""The side-by-side provenance report of a case, or of one of its questions.

    A rich renderable: ``rich.print(report)`` shows it in the terminal. For each question it
    sets the competing answers side by side, each with its confidence badge and provenance
    tree; then a source × answer matrix, the conflicts, the warnings and a legend. The same
    report renders to plain text, SVG, HTML and Markdown.

    Every figure comes from the engine: pass *assessments* to show those of your own
    :class:`~claimtrack.Settings` (and those *settings*), or leave it out to assess with
    *settings*, the defaults if omitted. A leading answer that rests on one origin
    (removing a single origin would change the leader or its estimative word) is marked so,
    for reports of up to 1000 questions.

    Text from the case (titles, names, claims, quotes) is shown as text: markup is not
    read, control and invisible format characters are spelled out as escapes such as
    ``\x1b`` or ``\u202e``, and HTML, SVG and Markdown are escaped.

    Args:
        case: The case.
        assessments: Its assessments; ``case.assess()`` if omitted.
        question: A question, or its id, to show alone; the whole case if omitted.
        legend: Whether to end with the legend.
        settings: The settings the assessments are made with; the defaults if omitted.
        summary: Whether to show the key judgements alone (one row per question).
        sort: The order of the questions: ``case`` (as in the case), ``confidence`` (the
            weakest judgements first) or ``conflicts`` (the most conflicts first).

    Raises:
        ValueError: The case has no such question, or *sort* is not an order.
    """

    case: Case
    assessments: Assessments = attrs.field(default=None)
    question: Question | None = attrs.field(default=None, kw_only=True)
    legend: bool = attrs.field(default=True, kw_only=True)
    settings: Settings | None = attrs.field(default=None, kw_only=True)
    summary: bool = attrs.field(default=False, kw_only=True)
    sort: str = attrs.field(default="case", kw_only=True)
    _content: Content | None = attrs.field(default=None, init=False)

    def __attrs_post_init__(self) -> None:
        if self.sort not in SORTS:
            msg = f"unknown order '{clean(self.sort)}': use one of {', '.join(SORTS)}"
            raise ValueError(msg)
        self.question = _question(self.case, self.question)
        if self.assessments is None:
            self.assessments = self.case.assess(self.settings)

    def __repr__(self) -> str:
        scope = f"question {self.question.id!r}" if self.question else "whole case"
        return f"<Report {self.case.title!r}: {scope}>"

    @property
    def content(self) -> Content:
        """What the report shows, gathered from the case and the assessments (computed once)."""
        if self._content is None:
            self._content = gather(
                self.case,
                self.assessments,
                self.question,
                settings=self.settings,
                sort=self.sort,
                brief=self.summary,
            )
        return self._content

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from _terminal.report(
            self.content, show_legend=self.legend, only_summary=self.summary
        )

    def _render(self, width: int, *, colour: bool, record: bool = False) -> Console:
        console = file_console(width, colour=colour, record=record)
        console.print(self)
        return console

    def to_text(self, width: int = DEFAULT_WIDTH) -> str:
        """The report as plain text, *width* columns wide, without any escape sequence."""
        out = self._render(width, colour=False).file.getvalue()  # type: ignore[attr-defined]
        return "".join(line.rstrip() + "\n" for line in out.splitlines())

    def to_svg(
        self,
        width: int = DEFAULT_WIDTH,
        *,
        title: str | None = None,
        theme: TerminalTheme = MONOKAI,
        unique_id: str | None = None,
    ) -> str:
        """The report as an SVG image of a terminal.

        Args:
            width: Columns.
            title: The window title; the case's title if omitted.
            theme: The terminal colours.
            unique_id: Prefix of the SVG's ids; derived from the text if omitted, so the
                same report always gives the same bytes.
        """
        # one render straight into lines: no terminal output, no recording, no second pass
        console = file_console(width, colour=True)
        lines = split_lines(console.render(self))
        return write_svg(
            lines,
            width=width,
            title=clean(title if title is not None else self.case.title),
            theme=theme,
            unique_id=unique_id,
        )

    def to_html(
        self,
        width: int = DEFAULT_WIDTH,  # noqa: ARG002 - kept for callers; the page reflows
        *,
        title: str | None = None,
        script: bool = False,
    ) -> str:
        """The report as one self-contained page of semantic HTML5.

        Headings, tables and lists, with inline CSS for light and dark themes and for
        print; it fetches nothing, and reads the same with scripting off (provenance
        trees fold with ``<details>``).

        Args:
            width: Ignored: the page reflows to the window (kept for older callers).
            title: The page's title; the case's title if omitted.
            script: Whether to add the small inline script that folds and unfolds every
                tree and sorts tables by a click on their headings. The page's Content
                Security Policy lets that script alone run, by its hash.
        """
        from claimtrack.report._html import render_page  # noqa: PLC0415 - Jinja2 on demand

        return render_page(
            self.content,
            title=title if title is not None else self.case.title,
            show_legend=self.legend,
            only_summary=self.summary,
            script=script,
        )

    def to_markdown(self) -> str:
        """The report as GitHub-flavoured Markdown: tables and lists, with the data escaped."""
        return render_markdown(self.content, show_legend=self.legend, only_summary=self.summary)

    def _repr_html_(self) -> str:
        from claimtrack.report._html import render_fragment  # noqa: PLC0415 - Jinja2 on demand

        return render_fragment(self.content, show_legend=self.legend, only_summary=self.summary)


def html_fragment(renderable: Any, width: int = DEFAULT_WIDTH) -> str:
    """An HTML fragment for Jupyter, from the report's templates.

    A :class:`Report`, a case, an assessment and assessments each have their own;
    anything else rich can render is shown as a ``<pre>`` block of its terminal view.
    """
    from claimtrack.report import _html  # noqa: PLC0415 - Jinja2 on demand

    if isinstance(renderable, Report):
        return renderable._repr_html_()
    if isinstance(renderable, Case):
        return _html.case_fragment(renderable)
    if isinstance(renderable, Assessment):
        return _html.assessment_fragment(renderable)
    if isinstance(renderable, Assessments):
        return _html.assessments_fragment(renderable)
    console = file_console(width, colour=True, record=True)
    console.print(renderable)
    return console.export_html(theme=MONOKAI, code_format=_HTML_FRAGMENT, inline_styles=True)
