"""The report's own SVG writer: escaping, positions, styles and no network reference."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st
from rich.segment import Segment
from rich.style import Style
from rich.terminal_theme import MONOKAI

from claimtrack.report._svg import CHAR_WIDTH, LINE_HEIGHT, escape, split_lines, write_svg


NS = "{http://www.w3.org/2000/svg}"
BAD = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufffe\uffff]"
)


def svg(*lines: list[Segment], width: int = 40, **kw: object) -> str:
    """Write *lines* with the default theme and a fixed title."""
    return write_svg(lines, width=width, title=str(kw.pop("title", "t")), theme=MONOKAI, **kw)  # type: ignore[arg-type]


def texts(image: str) -> list[ET.Element]:
    """The ``<text>`` elements of the terminal's matrix (the title left out)."""
    root = ET.fromstring(image)  # noqa: S314 - our own output
    return [t for t in root.iter(f"{NS}text") if not t.get("class", "").endswith("-title")]


class TestEscaping:
    def test_tags_and_entities_stay_text(self):
        """Markup in a segment is written as escaped text and reads back as the same text."""
        image = svg([Segment("<script>alert('&')</script>")], title="<b>&title</b>")
        assert "<script>" not in image
        assert "<b>" not in image
        (text,) = texts(image)
        assert text.text.replace("\xa0", " ") == "<script>alert('&')</script>"
        assert "&lt;b&gt;&amp;title&lt;/b&gt;" in image

    def test_controls_are_spelled_out(self):
        """Escape sequences, bidi overrides and XML-forbidden characters are spelled out, never written."""
        image = svg([Segment("a\x1b[31mb\u202ec\x00d\ufffee\ud800")])
        assert not BAD.search(image)
        (text,) = texts(image)
        assert text.text == "a\\x1b[31mb\\u202ec\\x00d\\ufffee\\ud800"

    def test_line_and_paragraph_separators_are_spelled_out(self):
        """U+2028 and U+2029, in a segment or the title, are escapes, not line breaks to a viewer."""
        image = svg([Segment("a\u2028b\u2029c")], title="t\u2028u")
        assert "\u2028" not in image
        assert "\u2029" not in image
        (text,) = texts(image)
        assert text.text == "a\\u2028b\\u2029c"
        assert escape("t\u2028u") == "t\\u2028u"

    @given(st.text())
    def test_any_text_is_well_formed(self, value):
        """Whatever the text, the image is well-formed XML with no control or invisible character."""
        image = svg([Segment(value)], width=200)
        assert not BAD.search(image)
        ET.fromstring(image)  # noqa: S314 - our own output

    def test_escape_keeps_spaces(self):
        """Spaces inside text are non-breaking so that no viewer collapses them."""
        assert escape("a  b &") == "a&#160;&#160;b&#160;&amp;"


class TestLayout:
    def test_runs_of_one_style_are_joined(self):
        """Neighbouring segments of one style make one element; another style starts another."""
        bold = Style(bold=True)
        image = svg(
            [Segment("ab"), Segment("cd"), Segment("ef", bold), Segment("gh", Style(bold=True))]
        )
        assert [t.text for t in texts(image)] == ["abcd", "efgh"]

    def test_spaces_move_the_text(self):
        """Leading spaces shift the text's position; trailing ones are left out; blank runs draw nothing."""
        image = svg(
            [Segment("   ab  "), Segment("   ", Style(bold=True)), Segment("c", Style(italic=True))]
        )
        first, second = texts(image)
        assert ("ab", f"{3 * CHAR_WIDTH:g}", f"{2 * CHAR_WIDTH:g}") == (
            first.text,
            first.get("x"),
            first.get("textLength"),
        )
        assert ("c", f"{10 * CHAR_WIDTH:g}") == (second.text, second.get("x"))

    def test_wide_characters_take_two_cells(self):
        """A wide character advances the position by two cells."""
        image = svg([Segment("表", Style(bold=True)), Segment("x")])
        wide, x = texts(image)
        assert f"{2 * CHAR_WIDTH:g}" == wide.get("textLength")
        assert f"{2 * CHAR_WIDTH:g}" == x.get("x")

    def test_far_lines_keep_exact_positions(self):
        """Lines past the hundred-thousandth are placed as plain decimals, not rounded exponents."""
        lines = [[Segment("x")] for _ in range(120_000)]
        image = svg(*lines)
        last = texts(image)[-1]
        assert f"{119_999 * LINE_HEIGHT + 20:.1f}" == last.get("y")
        assert "e+" not in image

    def test_styles_become_classes(self):
        """Bold, italic, dim, colour and background map to CSS classes and background cells."""
        image = svg(
            [
                Segment("a", Style(color="red", bold=True)),
                Segment("b", Style(italic=True, dim=True)),
                Segment("c", Style(bgcolor="blue")),
            ]
        )
        assert "font-weight: bold" in image
        assert "font-style: italic" in image
        assert re.search(r'<rect fill="#[0-9a-f]{6}" x="24.4" y="1.5" width="12.2"', image)
        assert len({t.get("class") for t in texts(image)}) == 3

    def test_controls_and_line_ends_are_skipped(self):
        """Control segments and line ends draw nothing and take no room."""
        image = svg([Segment("\n"), Segment("", None, [(1,)]), Segment("a")])  # type: ignore[list-item]
        (text,) = texts(image)
        assert text.get("x") == "0"


class TestIdentity:
    def test_same_lines_same_bytes(self):
        """The ids come from the text: the same lines give the same image, other text another id."""
        one = svg([Segment("one")])
        assert one == svg([Segment("one")])
        ids = {
            re.search(r"\.(claimtrack-[0-9a-f]{10})-matrix", x).group(1)
            for x in (one, svg([Segment("two")]))
        }  # type: ignore[union-attr]
        assert len(ids) == 2

    def test_given_id_is_used(self):
        """A given unique id names the classes and the clip path."""
        assert 'id="mine-clip-terminal"' in svg([Segment("a")], unique_id="mine")

    def test_no_network_reference(self):
        """The image names local fonts only: nothing is fetched when it is shown."""
        image = svg([Segment("a")])
        assert 'url("http' not in image
        assert "https://" not in image
        assert "@font-face" not in image
        assert "monospace" in image


class TestSplitting:
    def test_split_lines_is_rich_split(self):
        """Segments are cut at line breaks as rich cuts them, empty lines and styles kept."""
        bold = Style(bold=True)
        segments = [Segment("a\nb", bold), Segment("c"), Segment("\n"), Segment("\n\nd\n", bold)]
        expected = list(
            Segment.split_and_crop_lines(segments, 80, include_new_lines=False, pad=False)
        )
        assert list(split_lines(segments)) == expected

    def test_wide_lines_are_cropped(self):
        """A line wider than the terminal is cropped to it, as rich crops it."""
        image = svg([Segment("abcdef", Style(bold=True)), Segment("ghij")], width=8)
        assert [t.text for t in texts(image)] == ["abcdef", "gh"]
