"""Lines of rich segments written as an SVG image of a terminal, in one pass.

Rich's own ``Console.export_svg`` writes one ``<text>`` element and one clip path per
segment and line, and its number format loses the position of lines past about 41,000
(``2.52957e+06``); it also points the viewer at a font on a CDN. This writer keeps the
look (the window frame, the theme's colours, bold, italic and dim) while it:

- joins the neighbouring segments of a line that share a style into one ``<text>``;
- writes positions as plain decimals, exact at any length;
- names only fonts already on the viewer's machine (a monospace stack), so that showing
  the image fetches nothing;
- escapes every piece of text for XML, spaces as ``&#160;`` so none collapses, and spells
  out any character XML cannot hold or a terminal could act on (see
  :func:`claimtrack._text.one_line`).
"""

from __future__ import annotations

import hashlib
import re

from collections.abc import Callable, Iterable, Iterator, Sequence
from math import ceil

from rich.cells import cell_len
from rich.color import blend_rgb
from rich.segment import Segment
from rich.style import Style
from rich.terminal_theme import TerminalTheme

from claimtrack._text import one_line


CHAR_HEIGHT = 20
"""Font size, in pixels."""
CHAR_WIDTH = 12.2
"""Width of one cell: a monospace font's advance is about 0.61 of its size."""
LINE_HEIGHT = 24.4
"""Height of one line."""
FONTS = (
    "'Fira Code', 'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', 'Courier New', monospace"
)
"""The monospace stack: local fonts only, the first one the viewer has is used."""

_PADDING_TOP = 40
_PADDING_SIDE = 8
_MARGIN = 1
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", " ": "&#160;"})

_PAGE = """\
<svg class="claimtrack-terminal" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">
    <style>
    .{uid}-matrix {{
        font-family: {fonts};
        font-size: {char_height}px;
        line-height: {line_height}px;
        font-variant-east-asian: full-width;
    }}
    .{uid}-title {{
        font-size: 18px;
        font-weight: bold;
        font-family: Arial, Helvetica, sans-serif;
    }}
{styles}
    </style>
    <defs>
    <clipPath id="{uid}-clip-terminal">
      <rect x="0" y="0" width="{terminal_width}" height="{terminal_height}"/>
    </clipPath>
    </defs>
    <rect fill="{background}" stroke="rgba(255,255,255,0.35)" stroke-width="1" x="{margin}" y="{margin}" width="{frame_width}" height="{frame_height}" rx="8"/>
    <text class="{uid}-title" fill="{foreground}" text-anchor="middle" x="{title_x}" y="{title_y}">{title}</text>
    <g transform="translate(26,22)">
    <circle cx="0" cy="0" r="7" fill="#ff5f57"/>
    <circle cx="22" cy="0" r="7" fill="#febc2e"/>
    <circle cx="44" cy="0" r="7" fill="#28c840"/>
    </g>
    <g transform="translate({terminal_x}, {terminal_y})" clip-path="url(#{uid}-clip-terminal)">
{backgrounds}
    <g class="{uid}-matrix">
{matrix}
    </g>
    </g>
</svg>
"""


def _num(value: float) -> str:
    """A coordinate as a plain decimal with at most two places: never an exponent."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def split_lines(segments: Iterable[Segment]) -> Iterator[list[Segment]]:
    """The segments of a render, cut into lines at each line break, as rich cuts them."""
    line: list[Segment] = []
    for segment in segments:
        text, style, control = segment
        if control or "\n" not in text:
            line.append(segment)
            continue
        while text:
            part, new_line, text = text.partition("\n")
            if part:
                line.append(Segment(part, style))
            if new_line:
                yield line
                line = []
    if line:
        yield line


def _cells(text: str) -> int:
    """Cells *text* takes in a terminal."""
    return len(text) if text.isascii() and text.isprintable() else cell_len(text)


_NO_STYLE = Style()
_Look = tuple[str, str | None]


def _runs(
    line: Sequence[Segment], look: Callable[[Style | None], _Look]
) -> tuple[list[str], list[_Look]]:
    """The texts of a line's runs, neighbouring segments that look the same joined, and their looks."""
    texts: list[str] = []
    looks: list[_Look] = []
    last_style: Style | None = _NO_STYLE
    current: _Look = ("", None)
    for text, style, control in line:
        if control or not text or text == "\n":
            continue
        if style is not last_style:
            current = look(style)
            last_style = style
        if looks and looks[-1] is current:
            texts[-1] += text
        else:
            texts.append(text)
            looks.append(current)
    return texts, looks


def escape(text: str) -> str:
    """*text* for the content of an SVG element: XML-escaped, inert, spaces kept."""
    if text.isprintable():  # no control, format, surrogate or unassigned character
        return (
            text.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace(" ", "&#160;")
        )
    text = one_line(text)
    if _NOT_XML.search(text):
        text = _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text.translate(_XML)


def _css(style: Style, theme: TerminalTheme) -> str:
    """The CSS rules of a style, as rich's SVG export words them."""
    color = (
        theme.foreground_color
        if style.color is None or style.color.is_default
        else style.color.get_truecolor(theme)
    )
    bgcolor = (
        theme.background_color
        if style.bgcolor is None or style.bgcolor.is_default
        else style.bgcolor.get_truecolor(theme)
    )
    if style.reverse:
        color, bgcolor = bgcolor, color
    if style.dim:
        color = blend_rgb(color, bgcolor, 0.4)
    rules = [f"fill: {color.hex}"]
    if style.bold:
        rules.append("font-weight: bold")
    if style.italic:
        rules.append("font-style: italic")
    if style.underline:
        rules.append("text-decoration: underline")
    if style.strike:
        rules.append("text-decoration: line-through")
    return "; ".join(rules)


def _background(style: Style, theme: TerminalTheme) -> str | None:
    """The fill of the cells behind a style's text, or None for the terminal's own."""
    if style.reverse:
        color = style.color
        return theme.foreground_color.hex if color is None else color.get_truecolor(theme).hex
    bgcolor = style.bgcolor
    if bgcolor is None or bgcolor.is_default:
        return None
    return bgcolor.get_truecolor(theme).hex


def write_svg(
    lines: Iterable[Sequence[Segment]],
    *,
    width: int,
    title: str,
    theme: TerminalTheme,
    unique_id: str | None = None,
) -> str:
    """The SVG image of a terminal *width* cells wide showing *lines*.

    Args:
        lines: The lines, each a sequence of segments; control segments and line ends
            are skipped, and a line wider than *width* is cropped.
        width: Columns of the terminal.
        title: The window title.
        theme: The terminal colours.
        unique_id: Prefix of the SVG's ids and classes; if omitted, one is derived from
            the text of the lines, so the same lines always give the same bytes.
    """
    classes: dict[Style | None, _Look] = {}
    rules: dict[str, str] = {}
    backgrounds: list[str] = []
    matrix: list[str] = []
    digest = hashlib.sha256()
    px: dict[int, str] = {}

    def at(cells: int) -> str:
        """A position or length of *cells* cells, in pixels."""
        if cells not in px:
            px[cells] = _num(cells * CHAR_WIDTH)
        return px[cells]

    def look(style: Style | None) -> _Look:
        """The CSS class and background fill of a style."""
        if style not in classes:
            css = _css(style or Style(), theme)
            name = rules.setdefault(css, f"r{len(rules) + 1}")
            classes[style] = (name, _background(style or Style(), theme))
        return classes[style]

    y = 0
    for y, line in enumerate(lines):
        texts, looks = _runs(line, look)
        sizes = [_cells(text) for text in texts]
        if sum(sizes) > width:
            texts, looks = _runs(Segment.adjust_line_length(list(line), width), look)
            sizes = [_cells(text) for text in texts]
        digest.update("".join(texts).rstrip().encode(errors="surrogatepass") + b"\n")
        text_y = _num(y * LINE_HEIGHT + CHAR_HEIGHT)
        x = 0
        for text, (name, fill), cells in zip(texts, looks, sizes, strict=True):
            if fill is not None:
                backgrounds.append(
                    f'<rect fill="{fill}" x="{at(x)}" y="{_num(y * LINE_HEIGHT + 1.5)}" '
                    f'width="{at(cells)}" height="{_num(LINE_HEIGHT + 0.25)}" '
                    'shape-rendering="crispEdges"/>'
                )
            core = text.strip(" ")
            if core and not core.isspace():
                # spaces around the words are left out: only the position keeps them
                lead = len(text) - len(text.lstrip(" "))
                trail = len(text) - lead - len(core)
                matrix.append(
                    f'<text class="{name}" x="{at(x + lead)}" y="{text_y}" '
                    f'textLength="{at(cells - lead - trail)}">{escape(core)}</text>'
                )
            x += cells
    uid = unique_id if unique_id is not None else f"claimtrack-{digest.hexdigest()[:10]}"
    terminal_width = ceil(width * CHAR_WIDTH + 2 * _PADDING_SIDE)
    terminal_height = (y + 1) * LINE_HEIGHT + _PADDING_TOP + _PADDING_SIDE
    styles = "\n".join(f"    .{uid}-matrix .{name} {{ {css} }}" for css, name in rules.items())
    return _PAGE.format(
        uid=uid,
        fonts=FONTS,
        char_height=CHAR_HEIGHT,
        line_height=_num(LINE_HEIGHT),
        styles=styles,
        terminal_width=_num(width * CHAR_WIDTH - 1),
        terminal_height=_num((y + 1) * LINE_HEIGHT - 1),
        background=theme.background_color.hex,
        foreground=theme.foreground_color.hex,
        margin=_MARGIN,
        frame_width=terminal_width,
        frame_height=_num(terminal_height),
        title_x=terminal_width // 2,
        title_y=_MARGIN + CHAR_HEIGHT + 6,
        title=escape(title),
        terminal_x=_MARGIN + _PADDING_SIDE,
        terminal_y=_MARGIN + _PADDING_TOP,
        width=terminal_width + 2 * _MARGIN,
        height=_num(terminal_height + 2 * _MARGIN),
        backgrounds="\n".join(backgrounds),
        matrix="\n".join(matrix),
    )
