"""Shortcuts through rich's layout for the report's large, regular parts: same lines, less work.

A report of a thousand questions is a hundred thousand lines, most of them short labels
in provenance trees, inside panels set side by side. Rich renders each of those through
several nested ``render_lines`` calls, each splitting and re-cropping every segment. The
renderables here lay out the same things with one pass per text, and give the same
segments as the rich renderables they stand for (the tests compare them line by line).

They use rich's public API only; the few helpers rich keeps private (its loops, its
sharing out of widths, a table's column widths) are copied in
:mod:`claimtrack.report._rich_helpers`. The tests against rich's own renderables, on the
oldest and the newest rich allowed, catch any change in rich's layout.
"""

from __future__ import annotations

import re

from collections.abc import Iterator, Sequence
from weakref import WeakKeyDictionary

from rich.box import Box
from rich.cells import cell_len
from rich.console import (
    Console,
    ConsoleOptions,
    Group,
    JustifyMethod,
    RenderableType,
    RenderResult,
)
from rich.measure import Measurement
from rich.padding import Padding
from rich.panel import Panel
from rich.segment import Segment
from rich.style import Style, StyleStack, StyleType
from rich.styled import Styled
from rich.table import Column, Table
from rich.text import Span, Text, TextType
from rich.tree import Tree

from claimtrack.report._rich_helpers import column_widths, loop_first, loop_last, ratio_distribute


def text_lines(
    console: Console,
    text: Text,
    options: ConsoleOptions,
    *,
    pad: bool = False,
    style: Style | None = None,
) -> list[list[Segment]]:
    """The lines *text* renders to at *options*, as ``console.render_lines`` gives them.

    The text is wrapped as rich wraps it, and each line rendered on its own, which skips
    joining the lines and splitting them again; *pad* and *style* are ``render_lines``'s.
    A text met again at the same width on the same console, and styled alike by its
    theme, is not laid out again: the lines returned are shared, so callers must not
    change them.
    """
    if options.max_width < 1:
        return console.render_lines(text, options, style=style, pad=pad)
    get_style = console.get_style
    # the theme reaches the lines through the text's styles only: keyed on the styles as
    # the current theme resolves them, a text that another theme styles otherwise is laid
    # out again
    key = (
        text.plain,
        text.style and get_style(text.style, default=_NULL),
        tuple(
            (start, end, style and get_style(style, default=_NULL))
            for start, end, style in text.spans
        ),
        text.justify,
        text.overflow,
        text.no_wrap,
        text.tab_size,
        options.max_width,
        options.justify,
        options.overflow,
        options.no_wrap,
        pad,
        style,
    )
    cache = _cache(console)
    lines = cache.get(key)
    if lines is None:
        lines = cache[key] = _text_lines(console, text, options, pad=pad, style=style)
    return lines


_NULL = Style.null()
"""The style rich gives a style name it cannot read, when it renders a text."""
_LIMIT = 100_000
"""Entries a console's cache holds before it starts afresh."""
_CACHES: WeakKeyDictionary[Console, dict[tuple[object, ...], list[list[Segment]]]] = (
    WeakKeyDictionary()
)
"""Lines already laid out, per console, keyed on the styles the theme gives the text."""
_MEASURES: WeakKeyDictionary[Console, dict[tuple[str, int, int, int], Measurement]] = (
    WeakKeyDictionary()
)
"""Table cells of plain text already measured, per console (a measure depends on the text alone)."""


def _cache(console: Console) -> dict[tuple[object, ...], list[list[Segment]]]:
    """The console's cache of laid-out text, emptied when it grows too big.

    Its keys hold the text's styles as the current theme resolves them, so lines laid out
    under one theme are never given back under another that styles them otherwise.
    """
    cache = _CACHES.get(console)
    if cache is None or len(cache) > _LIMIT:
        cache = _CACHES[console] = {}
    return cache


def _text_lines(
    console: Console,
    text: Text,
    options: ConsoleOptions,
    *,
    pad: bool,
    style: Style | None,
) -> list[list[Segment]]:
    width = options.max_width
    justify = text.justify or options.justify or "default"
    plain = text.plain
    length = cell_len(plain)
    if length <= width and justify in {"default", "left"} and not _BREAKS.search(plain):
        # one line that fits: wrapping would only copy it (and pad it, to the left)
        if justify == "left" and length < width:
            plain += " " * (width - length)
        spans = [Span(0, len(plain), text.style), *text.spans] if text.style else text.spans
        segments = list(Text(plain, spans=spans).render(console)) if spans else [Segment(plain)]
        return [
            Segment.adjust_line_length(segments, width, style=style, pad=True)
            if pad and length < width and justify != "left"
            else segments
        ]
    no_wrap = text.no_wrap if text.no_wrap is not None else options.no_wrap
    lines = text.wrap(
        console,
        width,
        justify=justify,
        overflow=text.overflow or options.overflow or "fold",
        tab_size=(console.tab_size if text.tab_size is None else text.tab_size) or 8,
        no_wrap=bool(no_wrap),
    )
    # rich renders the lines joined into one text, which turns each line's own style into
    # a span and gives unstyled lines the null style once any line has a style
    styled = any(line.style or line.spans for line in lines)
    null = Style.null() if styled else None
    out = []
    for line in lines:
        plain = line.plain
        if line.style:
            line = Text(plain, spans=[Span(0, len(plain), line.style), *line.spans])  # noqa: PLW2901
        if line.spans:
            segments = list(line.render(console))
        elif plain or (not styled and len(lines) == 1):
            segments = [Segment(plain, null)]
        else:
            segments = []
        length = cell_len(plain)
        if length > width or (pad and length < width):
            segments = Segment.adjust_line_length(segments, width, style=style, pad=pad)
        out.append(segments)
    return out


_BREAKS = re.compile("[\n\t]")


class ProvenanceTree(Tree):
    """A :class:`rich.tree.Tree` that lays out its text labels without the nested rendering.

    The walk over the nodes follows ``rich.tree.Tree.__rich_console__`` (rich is MIT
    licensed) step for step, so the guides and styles are rich's; a label that is plain
    :class:`~rich.text.Text` with no style of its node goes through :func:`text_lines`,
    anything else through ``console.render_lines`` as in rich. The lines are returned,
    not yielded, so that the panel around the tree takes them without splitting them again.
    """

    # class attributes since rich 13.8, local names before
    ASCII_GUIDES = getattr(Tree, "ASCII_GUIDES", ("    ", "|   ", "+-- ", "`-- "))
    TREE_GUIDES = getattr(
        Tree,
        "TREE_GUIDES",
        [
            ("    ", "│   ", "├── ", "└── "),
            ("    ", "┃   ", "┣━━ ", "┗━━ "),
            ("    ", "║   ", "╠══ ", "╚══ "),
        ],
    )

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from _segments(self.lines(console, options))

    def lines(  # noqa: C901, PLR0915 - rich's loop, kept whole
        self, console: Console, options: ConsoleOptions, style: Style | None = None
    ) -> list[list[Segment]]:
        """What ``console.render_lines(self, options, style=style)`` gives."""
        out: list[list[Segment]] = []
        width = options.max_width
        stack: list[Iterator[tuple[bool, Tree]]] = []
        pop = stack.pop
        push = stack.append

        get_style = console.get_style
        null_style = Style.null()
        guide_style = get_style(self.guide_style, default="") or null_style
        space, cont, fork, end = range(4)

        def make_guide(index: int, style: Style) -> Segment:
            if options.ascii_only:
                line = self.ASCII_GUIDES[index]
            else:
                guide = 1 if style.bold else (2 if style.underline2 else 0)
                line = self.TREE_GUIDES[0 if options.legacy_windows else guide][index]
            return Segment(line, style)

        levels: list[Segment] = [make_guide(cont, guide_style)]
        push(iter(loop_last([self])))

        guide_style_stack = StyleStack(get_style(self.guide_style))
        style_stack = StyleStack(get_style(self.style))
        remove_guide_styles = Style(bold=False, underline2=False)
        guide_cache: dict[tuple[tuple[Segment, ...], Style], list[Segment]] = {}
        pad = options.justify is not None
        depth = 0

        while stack:
            stack_node = pop()
            try:
                last, node = next(stack_node)
            except StopIteration:
                levels.pop()
                if levels:
                    guide_style = levels[-1].style or null_style
                    levels[-1] = make_guide(fork, guide_style)
                    guide_style_stack.pop()
                    style_stack.pop()
                continue
            push(stack_node)
            if last:
                levels[-1] = make_guide(end, levels[-1].style or null_style)

            guide_style = guide_style_stack.current + get_style(node.guide_style)
            node_style = style_stack.current + get_style(node.style)
            prefix = levels[(2 if self.hide_root else 1) :]
            label_options = options.update(
                width=options.max_width - sum(level.cell_length for level in prefix),
                highlight=self.highlight,
                height=None,
            )
            if not (depth == 0 and self.hide_root):
                if isinstance(node.label, Text) and not node_style:
                    lines = text_lines(console, node.label, label_options, pad=pad)
                else:
                    lines = console.render_lines(
                        Styled(node.label, node_style), label_options, pad=pad
                    )
                for first, line in loop_first(lines):
                    key = (tuple(prefix), node_style)
                    if key not in guide_cache:
                        guide_cache[key] = list(
                            Segment.apply_style(
                                prefix, node_style.background_style, post_style=remove_guide_styles
                            )
                        )
                    guides = guide_cache[key]
                    out.append(
                        [*guides, *line]
                        if pad
                        else Segment.adjust_line_length([*guides, *line], width, pad=True)
                    )
                    if first and prefix:
                        prefix[-1] = make_guide(
                            space if last else cont, prefix[-1].style or null_style
                        )

            if node.expanded and node.children:
                levels[-1] = make_guide(space if last else cont, levels[-1].style or null_style)
                levels.append(make_guide(end if len(node.children) == 1 else fork, guide_style))
                style_stack.push(get_style(node.style))
                guide_style_stack.push(get_style(node.guide_style))
                push(iter(loop_last(node.children)))
                depth += 1
        if style:
            return [list(Segment.apply_style(line, style)) for line in out]
        return out


_BREAK = Text("\n")


class CutLines:
    """Lines of text, each cut at the width rather than wrapped: what ``Group(*lines)`` shows.

    The key judgements of a case of a hundred thousand questions are three hundred thousand
    such lines. Rich lays out each ``Text`` by splitting it into lines, justifying them and
    joining them again, which for a line of no line break, cut rather than wrapped, gives
    back the line itself, cut: that is done here directly, and the line rendered. A line
    this cannot prove alike (a break or a tab in it, justified, not cut, or too long and
    ending in white space, which rich 13 and 15 cut differently) is laid out by rich.
    """

    def __init__(self, lines: Sequence[Text]) -> None:
        self.lines = lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        for line in self.lines:
            overflow = line.overflow or options.overflow or "fold"
            plain = line.plain
            fits = line.cell_len <= width
            if (
                not plain
                or "\n" in plain
                or "\t" in plain
                or (line.justify or options.justify or "default") != "default"
                or not (line.no_wrap if line.no_wrap is not None else options.no_wrap)
                or overflow == "ignore"
                or (not fits and plain[-1].isspace())
            ):
                yield line
                continue
            if not fits:
                line = line.copy()  # noqa: PLW2901 - the caller's line is left as it was
                line.truncate(width, overflow=overflow)
            # rich renders a text's own style as a span over it, as joining lines makes it
            shown = _BREAK.join([line]) if line.style else line
            yield from shown.render(console, end=line.end)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, Group(*self.lines))


def _segments(lines: list[list[Segment]]) -> Iterator[Segment]:
    new_line = Segment.line()
    for line in lines:
        yield from line
        yield new_line


def lines_of(
    console: Console, renderable: RenderableType, options: ConsoleOptions, style: Style
) -> list[list[Segment]]:
    """``console.render_lines(renderable, options, style=style)``, with shortcuts.

    Text goes through :func:`text_lines`, the renderables of this module give their lines
    directly, and a group of those is their lines one after the other.
    """
    if isinstance(renderable, Text) and renderable.end == "\n":
        return text_lines(console, renderable, options, pad=True, style=style)
    if isinstance(renderable, (ProvenanceTree, Boxed, Columns, Framed)):
        return renderable.lines(console, options, style)
    if isinstance(renderable, Group) and all(
        isinstance(item, (ProvenanceTree, Boxed, Columns, Framed))
        or (isinstance(item, Text) and item.end == "\n")
        for item in renderable.renderables
    ):
        return [
            line
            for item in renderable.renderables
            for line in lines_of(console, item, options, style)
        ]
    return console.render_lines(renderable, options, style=style)


def _fit(lines: list[list[Segment]], style: Style | None) -> list[list[Segment]]:
    """*lines*, each already as wide as the options, as ``render_lines(..., style=style)`` gives them."""
    if not style:
        return lines
    return [list(Segment.apply_style(line, style)) for line in lines]


def _side_by_side(
    console: Console,
    cells: Sequence[RenderableType],
    widths: Sequence[int],
    pads: Sequence[tuple[int, int]],
    options: ConsoleOptions,
) -> list[list[list[Segment]]]:
    """The lines of each cell, padded, and as many as the tallest cell has (a table row)."""
    null = console.get_style("none")
    columns = []
    for cell, width, (left, right) in zip(cells, widths, pads, strict=True):
        lines = lines_of(console, cell, options.update_width(width - left - right), null)
        before = [Segment(" " * left, null)] if left else []
        after = [Segment(" " * right, null)] if right else []
        columns.append([[*before, *line, *after] for line in lines])
    height = max(len(lines) for lines in columns)
    for width, lines in zip(widths, columns, strict=True):
        lines.extend([[Segment(" " * width, null)]] * (height - len(lines)))
    return columns


class Columns:
    """Renderables side by side in equal columns one space apart, as ``Table.grid`` sets them.

    The same widths, padding and styles as one row of ``Table.grid(expand=True,
    padding=(0, 1))`` with a ``ratio=1`` column per cell, without measuring the cells
    (equal ratios make the widths independent of the content).
    """

    def __init__(self, cells: Sequence[RenderableType]) -> None:
        self.cells = cells

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from _segments(self.lines(console, options))

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(options.max_width, options.max_width)

    def lines(
        self, console: Console, options: ConsoleOptions, style: Style | None = None
    ) -> list[list[Segment]]:
        """What ``console.render_lines(self, options, style=style)`` gives."""
        n = len(self.cells)
        pads = [(0, 0 if i == n - 1 else 1) for i in range(n)]  # collapsed padding
        widths = ratio_distribute(options.max_width, [1] * n, [1 + a + b for a, b in pads])
        cell_options = options.update(
            justify="left", no_wrap=False, overflow="ellipsis", height=None, highlight=False
        )
        columns = _side_by_side(console, self.cells, widths, pads, cell_options)
        rows = []
        for row in range(len(columns[0])):
            line: list[Segment] = []
            for lines in columns:
                line += lines[row]
            rows.append(line)
        return _fit(rows, style)


class Framed:
    """Renderables side by side in a box, as a one-row ``Table`` without header sets them.

    The same lines as ``Table(box=box, expand=True, show_header=False)`` with a
    ``ratio=1, overflow="fold"`` column per cell and one row of *cells*.
    """

    def __init__(self, cells: Sequence[RenderableType], *, box: Box) -> None:
        self.cells = cells
        self.box = box

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from _segments(self.lines(console, options))

    def lines(
        self, console: Console, options: ConsoleOptions, style: Style | None = None
    ) -> list[list[Segment]]:
        """What ``console.render_lines(self, options, style=style)`` gives."""
        n = len(self.cells)
        null = console.get_style("none")
        box = self.box.substitute(options, safe=console.safe_box).get_plain_headed_box()
        widths = ratio_distribute(options.max_width - n - 1, [1] * n, [3] * n)
        cell_options = options.update(
            width=sum(widths) + n + 1, highlight=False, height=None
        ).update(justify="left", no_wrap=False, overflow="fold", height=None, highlight=False)
        columns = _side_by_side(console, self.cells, widths, [(1, 1)] * n, cell_options)
        left = Segment(box.head_left, null)
        right = Segment(box.head_right, null)
        divider = Segment(box.head_vertical, null)
        rows = [[Segment(box.get_top(widths), null)]]
        for row in range(len(columns[0])):
            line = [left]
            for n_col, lines in enumerate(columns):
                if n_col:
                    line.append(divider)
                line += lines[row]
            line.append(right)
            rows.append(line)
        rows.append([Segment(box.get_bottom(widths), null)])
        return _fit(rows, style)


class Boxed:
    """A ``Panel(Group(*items), title=title, title_align="left", box=box, padding=(0, 1))``.

    Laid out in one pass: the items' lines go straight between the borders, text through
    :func:`text_lines`, with the same segments and styles as the panel.
    """

    def __init__(self, items: Sequence[RenderableType], *, title: Text, box: Box) -> None:
        self.items = items
        self.title = title
        self.box = box

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.height is not None or options.max_width <= 4 or not self.title:  # noqa: PLR2004 - the borders and padding
            yield self._panel()
            return
        yield from _segments(self.lines(console, options))

    def _panel(self) -> Panel:
        return Panel(
            Group(*self.items), title=self.title, title_align="left", box=self.box, padding=(0, 1)
        )

    def lines(
        self, console: Console, options: ConsoleOptions, style: Style | None = None
    ) -> list[list[Segment]]:
        """What ``console.render_lines(self, options, style=style)`` gives."""
        if options.height is not None or options.max_width <= 4 or not self.title:  # noqa: PLR2004 - the borders and padding
            return console.render_lines(self._panel(), options, style=style)
        width = options.max_width
        box = self.box.substitute(options, safe=console.safe_box)
        null = console.get_style("none")
        child = options.update(width=width - 2, height=None, highlight=False)
        inner = child.update_width(width - 4)
        space = Segment(" ", null)
        start = Segment(box.mid_left, null)
        end = Segment(box.mid_right, null)

        title = self.title.copy()
        title.end = ""
        title.plain = title.plain.replace("\n", " ")
        title.no_wrap = True
        title.expand_tabs()
        title.pad(1)
        title.truncate(width - 4)
        if title.style:
            title.stylize(console.get_style(title.style))
        excess = width - 4 - title.cell_len
        if excess:
            title = Text.assemble(title, (box.top * excess, null), no_wrap=True, end="")
        out = [
            [
                Segment(box.top_left + box.top, null),
                *text_lines(console, title, child.update_width(width - 4))[0],
                Segment(box.top + box.top_right, null),
            ]
        ]
        for item in self.items:
            out += [
                [start, space, *line, space, end] for line in lines_of(console, item, inner, null)
            ]
        out.append([Segment(box.get_bottom([width - 2]), null)])
        return _fit(out, style)


class TextTable(Table):
    """A :class:`rich.table.Table` whose rows of text are laid out without the nested rendering.

    The column widths are rich's (worked out as rich does, with each text cell measured
    once per console and width); each cell is then laid out with :func:`lines_of` rather
    than through a ``Padding`` inside ``render_lines``, with the same segments and styles.
    Tables with a footer, row styles, lines between rows or sections, vertical, collapsed
    or no padding, no padding at the edges, or without a header or a box, are left to rich.
    """

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        box = (
            self.box.substitute(
                options, safe=console.safe_box if self.safe_box is None else self.safe_box
            )
            if self.box
            else None
        )
        if box is None or not _plain(self, box):
            yield from super().__rich_console__(console, options)
            return
        n_columns = len(self.columns)
        extra_width = n_columns + 1  # the edges and the lines between columns
        _, right, _, left = self.padding
        cells = [[column.header, *column.cells] for column in self.columns]
        room = options.update_width(
            (options.max_width if self.width is None else self.width) - extra_width
        )

        def measure(n: int, width: int) -> tuple[int, int]:
            return _measure(
                console, room.update_width(width), self.columns[n], cells[n], (left, right)
            )

        widths = column_widths(
            self.columns,
            measure,
            [left + right] * n_columns,
            room.max_width,
            expand=self.expand,
            min_width=self.min_width,
            extra_width=extra_width,
        )
        options = options.update(
            width=sum(widths) + extra_width, highlight=self.highlight, height=None
        )
        if self.title:
            yield from _annotation(
                console,
                options,
                self.title,
                Style.pick_first(self.title_style, "table.title"),
                self.title_justify,
            )
        yield from _rows(
            self, console, options, box=box, widths=widths, cells=cells, pad=(left, right)
        )
        if self.caption:
            yield from _annotation(
                console,
                options,
                self.caption,
                Style.pick_first(self.caption_style, "table.caption"),
                self.caption_justify,
            )


def _rows(
    table: Table,
    console: Console,
    options: ConsoleOptions,
    *,
    box: Box,
    widths: list[int],
    cells: list[list[RenderableType]],
    pad: tuple[int, int],
) -> Iterator[Segment]:
    """The table's header and rows in their box, each cell laid out by :func:`lines_of`."""
    get_style = console.get_style
    border_style = get_style(table.style or "") + get_style(table.border_style or "")
    null = Style.null()
    pad_style = get_style("none")  # a Padding's style
    left, right = pad
    before = [Segment(" " * left, pad_style)] if left else []
    after = [Segment(" " * right, pad_style)] if right else []
    new_line = Segment.line()
    edges = [
        (box.head_left, box.head_right, box.head_vertical),
        (box.mid_left, box.mid_right, box.mid_vertical),
        (box.foot_left, box.foot_right, box.foot_vertical),
    ]
    header_style = get_style(table.header_style or "")
    cell_styles = [
        (header_style + get_style(column.header_style), get_style(column.style or ""))
        for column in table.columns
    ]
    yield Segment(box.get_top(widths), border_style)
    yield new_line
    n_rows = len(cells[0])
    for index in range(n_rows):
        header = index == 0
        row = []
        for width, column, column_cells, styles in zip(
            widths, table.columns, cells, cell_styles, strict=True
        ):
            renderable = column_cells[index]
            cell_options = options.update(
                width=width - left - right,
                justify=column.justify,
                no_wrap=column.no_wrap,
                overflow=column.overflow,
                height=None,
                highlight=getattr(column, "highlight", options.highlight),  # rich 14+
            )
            lines = lines_of(console, renderable, cell_options, pad_style)
            style = styles[0 if header else 1] + null
            lines = [[*before, *line, *after] for line in lines]
            if style:
                lines = [list(Segment.apply_style(line, style)) for line in lines]
            vertical = (
                "bottom" if header else getattr(renderable, "vertical", None) or column.vertical
            )
            row.append((lines, style, vertical, width))
        left_edge, right_edge, divider = edges[0 if header else (2 if index == n_rows - 1 else 1)]
        divider_style = border_style if divider.strip() else null.background_style + border_style
        left_segment = Segment(left_edge, border_style)
        right_segment = Segment(right_edge, border_style)
        divider_segment = Segment(divider, divider_style)
        for line in zip(*_shaped(row), strict=True):
            yield left_segment
            for n, cell_line in enumerate(line):
                if n:
                    yield divider_segment
                yield from cell_line
            yield right_segment
            yield new_line
        if header:
            yield Segment(box.get_row(widths, "head", edge=True), border_style)
            yield new_line
    yield Segment(box.get_bottom(widths), border_style)
    yield new_line


def _shaped(
    row: list[tuple[list[list[Segment]], Style, str, int]],
) -> list[list[list[Segment]]]:
    """The lines of a row's cells, each cell as tall as the row, filled as rich aligns them.

    *row* holds each cell's lines, style, vertical alignment and width.
    """
    height = max(len(lines) for lines, _, _, _ in row)
    if not height:  # rich gives a row one line at least, blank and unstyled
        return [[[Segment(" " * width)]] for _, _, _, width in row]
    shaped = []
    for lines, style, vertical, width in row:
        blank = [Segment(" " * width, style)]
        missing = height - len(lines)
        top = 0 if vertical == "top" else missing // 2 if vertical == "middle" else missing
        shaped.append([*[blank] * top, *lines, *[blank] * (missing - top)])
    return shaped


def _plain(table: Table, box: Box) -> bool:
    """Whether *table* has the plain shape :class:`TextTable` lays out itself, in *box*.

    Rich's own rows differ from the ones here in nothing else, in any version: rich 13.7
    measures columns without edge padding as if they had it, and swaps the edges of the
    rows between and of the last row, so those must be drawn alike.
    """
    top, right, bottom, left = table.padding
    return bool(
        table.columns
        and table.show_header
        and table.show_edge
        and table.pad_edge
        and not (
            table.show_footer
            or table.show_lines
            or table.leading
            or table.row_styles
            or table.collapse_padding
        )
        and top == bottom == 0
        and (left or right)
        and not any(row.end_section or row.style is not None for row in table.rows)
        and (box.mid_left, box.mid_right, box.mid_vertical)
        == (box.foot_left, box.foot_right, box.foot_vertical)
    )


def _measure(
    console: Console,
    options: ConsoleOptions,
    column: Column,
    cells: list[RenderableType],
    pad: tuple[int, int],
) -> tuple[int, int]:
    """The least and most width of a column's cells, padding included, as rich measures them.

    A cell of plain :class:`~rich.text.Text` is measured once per console, width and
    padding: its measure depends on its characters alone.
    """
    max_width = options.max_width
    if max_width < 1:
        return 0, 0
    left, right = pad
    if column.width is not None:
        fixed = column.width + left + right
        low, high = Measurement(fixed, fixed).with_maximum(max_width)
        return low, high
    memo = _MEASURES.setdefault(console, {})
    if len(memo) > _LIMIT:
        memo.clear()
    lows = []
    highs = []
    for cell in cells:
        if type(cell) is Text:
            key = (cell.plain, left, right, max_width)
            if key not in memo:
                memo[key] = Measurement.get(console, options, Padding(cell, (0, right, 0, left)))
            low, high = memo[key]
        else:
            low, high = Measurement.get(console, options, Padding(cell, (0, right, 0, left)))
        lows.append(low)
        highs.append(high)
    measurement = Measurement(
        max(lows) if lows else 1, max(highs) if highs else max_width
    ).with_maximum(max_width)
    low, high = measurement.clamp(
        None if column.min_width is None else column.min_width + left + right,
        None if column.max_width is None else column.max_width + left + right,
    )
    return low, high


def _annotation(
    console: Console,
    options: ConsoleOptions,
    text: TextType,
    style: StyleType,
    justify: JustifyMethod,
) -> Iterator[Segment]:
    """A table's title or caption, as rich renders it above or below the table."""
    if isinstance(text, str):
        text = console.render_str(text, style=style, highlight=False)
    yield from console.render(text, options.update(justify=justify))
