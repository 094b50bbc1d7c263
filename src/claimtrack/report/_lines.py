"""Shortcuts through rich's layout for the report's large, regular parts: same lines, less work.

A report of a thousand questions is a hundred thousand lines, most of them short labels
in provenance trees, inside panels set side by side. Rich renders each of those through
several nested ``render_lines`` calls, each splitting and re-cropping every segment. The
renderables here lay out the same things with one pass per text, and give the same
segments as the rich renderables they stand for (the tests compare them line by line).
"""

from __future__ import annotations

import re

from collections.abc import Iterator, Sequence

from rich._loop import loop_first, loop_last
from rich._ratio import ratio_distribute
from rich.box import Box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.panel import Panel
from rich.segment import Segment
from rich.style import Style, StyleStack
from rich.styled import Styled
from rich.text import Span, Text
from rich.tree import Tree


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
    """
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

    The guides, styles and wrapping are rich's (the loop is rich's own, in the same order);
    a label that is plain :class:`~rich.text.Text` with no style of its node goes through
    :func:`text_lines`, anything else through ``console.render_lines`` as in rich.
    """

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:  # noqa: C901, PLR0915 - rich's loop, kept whole
        stack: list[Iterator[tuple[bool, Tree]]] = []
        pop = stack.pop
        push = stack.append
        new_line = Segment.line()

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
            style = style_stack.current + get_style(node.style)
            prefix = levels[(2 if self.hide_root else 1) :]
            label_options = options.update(
                width=options.max_width - sum(level.cell_length for level in prefix),
                highlight=self.highlight,
                height=None,
            )
            if not (depth == 0 and self.hide_root):
                if isinstance(node.label, Text) and not style:
                    lines = text_lines(console, node.label, label_options, pad=pad)
                else:
                    lines = console.render_lines(Styled(node.label, style), label_options, pad=pad)
                for first, line in loop_first(lines):
                    if prefix:
                        yield from Segment.apply_style(
                            prefix, style.background_style, post_style=remove_guide_styles
                        )
                    yield from line
                    yield new_line
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


def lines_of(
    console: Console, renderable: RenderableType, options: ConsoleOptions, style: Style
) -> list[list[Segment]]:
    """``console.render_lines(renderable, options, style=style)``, through :func:`text_lines` for text."""
    if isinstance(renderable, Text) and renderable.end == "\n":
        return text_lines(console, renderable, options, pad=True, style=style)
    return console.render_lines(renderable, options, style=style)


class Columns:
    """Renderables side by side in equal columns one space apart, as ``Table.grid`` sets them.

    The same widths, padding and styles as one row of ``Table.grid(expand=True,
    padding=(0, 1))`` with a ``ratio=1`` column per cell, without measuring the cells
    (equal ratios make the widths independent of the content).
    """

    def __init__(self, cells: Sequence[RenderableType]) -> None:
        self.cells = cells

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        n = len(self.cells)
        pads = [(0, 0 if i == n - 1 else 1) for i in range(n)]  # collapsed padding
        widths = ratio_distribute(options.max_width, [1] * n, [1 + a + b for a, b in pads])
        null = console.get_style("none")
        cell_options = options.update(
            justify="left", no_wrap=False, overflow="ellipsis", height=None, highlight=False
        )
        columns: list[list[list[Segment]]] = []
        for cell, width, (left, right) in zip(self.cells, widths, pads, strict=True):
            lines = lines_of(console, cell, cell_options.update_width(width - left - right), null)
            before = [Segment(" " * left, null)] if left else []
            after = [Segment(" " * right, null)] if right else []
            columns.append([[*before, *line, *after] for line in lines])
        height = max(len(lines) for lines in columns)
        new_line = Segment.line()
        for row in range(height):
            for width, lines in zip(widths, columns, strict=True):
                yield from lines[row] if row < len(lines) else [Segment(" " * width, null)]
            yield new_line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(options.max_width, options.max_width)


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
            yield Panel(
                Group(*self.items),
                title=self.title,
                title_align="left",
                box=self.box,
                padding=(0, 1),
            )
            return
        width = options.max_width
        box = self.box.substitute(options, safe=console.safe_box)
        null = console.get_style("none")
        child = options.update(width=width - 2, height=None, highlight=False)
        inner = child.update_width(width - 4)
        space = Segment(" ", null)
        start = Segment(box.mid_left, null)
        end = Segment(box.mid_right, null)
        new_line = Segment.line()

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
        yield Segment(box.top_left + box.top, null)
        yield from text_lines(console, title, child.update_width(width - 4))[0]
        yield Segment(box.top + box.top_right, null)
        yield new_line
        for item in self.items:
            for line in lines_of(console, item, inner, null):
                yield start
                yield space
                yield from line
                yield space
                yield end
                yield new_line
        yield Segment(box.get_bottom([width - 2]), null)
        yield new_line
