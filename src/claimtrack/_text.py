r"""Text from the internet made inert for terminals, messages, reports and JSON.

Claim texts, quotes, names, ids and keys come from pages and files nobody vetted. A
control character in them could move the cursor, retitle a terminal window or hide a
link (ANSI CSI and OSC sequences); an invisible format character (a bidirectional
override, a zero-width joiner) could make a line read differently from what it holds or
hide a spoofed name. Before such text is shown it goes through one of these functions,
which spell those characters out as escapes (``\x1b``, ``\u202e``) so the reader sees
they are there and no terminal acts on them. Every other character, Arabic script and
emoji included, is shown as it is.

The policy is one for every output: control (Cc), format (Cf) and lone surrogate (Cs)
characters are escaped; only :func:`inert` keeps line breaks and tabs.
"""

from __future__ import annotations

import json
import re
import unicodedata

from collections.abc import Callable


_SHOWN_AS_ESCAPE = frozenset(("Cc", "Cf", "Cs"))
_SPACE = re.compile(r"\s+")


def _spell(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:  # noqa: PLR2004
        return f"\\x{code:02x}"
    if code < 0x10000:  # noqa: PLR2004
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _json_escape(ch: str) -> str:
    code = ord(ch)
    if code < 0x10000:  # noqa: PLR2004
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


class _Escapes(dict[int, str]):
    """A translation table filled as characters are met: Unicode is too large to list."""

    def __init__(self, keep: str, spell: Callable[[str], str], *, also: str = "") -> None:
        super().__init__()
        self._keep = keep
        self._spell = spell
        self._also = also

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        shown = ch not in self._keep and (
            unicodedata.category(ch) in _SHOWN_AS_ESCAPE or ch in self._also
        )
        value = self._spell(ch) if shown else ch
        self[code] = value
        return value


_ONE_LINE = _Escapes("", _spell)
_MULTI_LINE = _Escapes("\n\t", _spell)
# JSON itself escapes C0, quotes and backslashes; the rest goes as \u escapes, and the
# line and paragraph separators too, which some JavaScript readers take for line ends.
_JSON = _Escapes('\n\t\r\b\f"\\', _json_escape, also="\u2028\u2029")


def one_line(text: str) -> str:
    """*text* with every control and format character, line breaks included, spelled out."""
    return text if text.isprintable() else text.translate(_ONE_LINE)


def inert(text: str) -> str:
    """*text* with control and format characters spelled out; line breaks and tabs are kept."""
    return text if text.isprintable() else text.translate(_MULTI_LINE)


def clean(text: str) -> str:
    """*text* on one line: whitespace runs made one space, control and format characters spelled out."""
    if text.isprintable() and "  " not in text:
        return text.strip()
    return one_line(_SPACE.sub(" ", text).strip())


def json_text(data: object, *, indent: int | None = 2) -> str:
    """*data* as JSON in UTF-8, with every character a terminal could act on escaped.

    The escapes read back to the same text, so nothing is lost.
    """
    return inert_json(json.dumps(data, ensure_ascii=False, indent=indent))


def inert_json(text: str) -> str:
    """JSON *text*, written by any library, with the same characters escaped as :func:`json_text`.

    Only strings can hold such characters in valid JSON, and inside a string an escape
    reads back as the character, so the data is unchanged.
    """
    return text if text.isprintable() else text.translate(_JSON)
