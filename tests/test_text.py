"""Text from the internet stays text: control characters never reach a terminal raw."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from claimtrack import Problem
from claimtrack._text import inert, one_line
from claimtrack.cli import main


_DANGEROUS = {chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))} | {
    chr(c)
    for c in (
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        0x200B,
        0x200D,
        0xFEFF,
        0x2028,
        0x2029,
        0x00AD,
    )
}


@given(st.text())
def test_one_line_leaves_no_control_character(text):
    """Whatever the text, one_line's result holds no control or bidi override character."""
    assert not _DANGEROUS & set(one_line(text))


@given(st.text())
def test_inert_keeps_only_line_breaks_and_tabs(text):
    """inert keeps newlines and tabs and escapes every other control character."""
    assert not (_DANGEROUS - {"\n", "\t"}) & set(inert(text))
    assert inert(text).count("\n") == text.count("\n")


@given(st.text(st.characters(exclude_categories=["Cc", "Cf", "Cs", "Zl", "Zp"])))
def test_ordinary_text_is_unchanged(text):
    """Text without control, format or separator characters passes through exactly."""
    assert one_line(text) == text
    assert inert(text) == text


def test_line_and_paragraph_separators_are_escaped():
    """U+2028 and U+2029, line breaks to some readers, are spelled out like any control."""
    assert one_line("a\u2028b\u2029c") == "a\\u2028b\\u2029c"
    assert inert("a\u2028b\nc\u2029") == "a\\u2028b\nc\\u2029"


def test_the_rule():
    """escaped() takes control, format, separator and surrogate characters, nothing else."""
    from claimtrack._text import escaped

    taken = ["\x00", "\x1b", "\n", "\x7f", "\x85", "\x9b", "\u00ad", "\u200b", "\u202e"]
    taken += ["\u2028", "\u2029", "\u2066", "\ufeff", "\ud800", "\U000e0041"]
    kept = ["a", " ", "\u00a0", "\u0644", "\U0001f680", "\ufffd", "\U0010fffd", "\u3000"]
    assert all(map(escaped, taken))
    assert not any(map(escaped, kept))


@given(st.text())
def test_yaml_escapes_read_back_exactly_and_inert(text):
    """A YAML dumper with YamlEscapes writes any text, key or value, readable back and inert."""
    import yaml

    from claimtrack._text import YamlEscapes

    class Dumper(YamlEscapes, yaml.SafeDumper):
        pass

    data = {text: [text, {"k": text}]}
    for encoding in (None, "utf-8"):
        out = yaml.dump(data, Dumper=Dumper, allow_unicode=True, width=40, encoding=encoding)
        out = out.decode() if encoding else out
        assert yaml.safe_load(out) == data
        assert not (_DANGEROUS - {"\n"}) & set(out)


def test_escapes_are_visible_and_arabic_stays():
    """ESC, BEL, RLO and invisible marks show as escapes; Arabic and emoji stay."""
    assert one_line("\x1b]0;title\x07") == "\\x1b]0;title\\x07"
    assert one_line("a\u202eb") == "a\\u202eb"
    assert one_line("a\nb") == "a\\x0ab"
    assert one_line("\x9b31m") == "\\x9b31m"
    arabic = "لا توجد هدنة رسمية 🚀"
    assert one_line(arabic) == arabic
    assert one_line("a\u200fb\u200dc") == "a\\u200fb\\u200dc"


def test_problem_is_one_safe_line():
    """A problem naming a hostile key prints on one line with the escape made visible."""
    text = str(Problem("sources.a", "unknown field '\x1b[31mred\nx'", file="c.json"))
    assert "\x1b" not in text
    assert "\n" not in text
    assert "\\x1b[31mred" in text


def test_check_messages_are_inert(tmp_path, capsys):
    """claimtrack check never echoes an escape sequence from a case file to the terminal."""
    path = tmp_path / "esc.json"
    path.write_text(
        json.dumps(
            {
                "claimtrack": 1,
                "\x1b]0;PWNED\x07": 1,
                "sources": {"a": {"name": "A", "kind": "outlet", "\x1b[31mred": 2}},
            }
        )
    )
    assert main(["check", str(path)]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err
    assert "\x07" not in err
    assert "unknown section '\\x1b]0;PWNED\\x07'" in err
    assert "unknown field '\\x1b[31mred'" in err


@given(
    st.recursive(st.text() | st.integers(), lambda x: st.lists(x) | st.dictionaries(st.text(), x))
)
def test_json_text_reads_back_exactly_and_is_inert(data):
    """json_text gives valid JSON that reads back to the same data, with no raw control or format character."""
    from claimtrack._text import json_text

    text = json_text(data)
    assert json.loads(text) == data
    assert not (_DANGEROUS - {"\n"}) & set(text)


def test_clean_collapses_whitespace():
    """clean makes one line of a text: runs of whitespace become one space, the ends are trimmed."""
    from claimtrack._text import clean

    assert clean("  a\n\n b\u2028c\t ") == "a b c"
    assert clean("x\x1by") == "x\\x1by"
