r"""Text from the internet made inert for every output: terminals, reports, messages and files.

Claim texts, quotes, names, ids and keys come from pages and files nobody vetted. A
control character in them could move the cursor, retitle a terminal window or hide a
link (ANSI CSI and OSC sequences); an invisible format character (a bidirectional
override, a zero-width joiner) could make a line read differently from what it holds or
hide a spoofed name; a line or paragraph separator (U+2028, U+2029) breaks lines where
some readers see none.

The rule is one for every output (``escaped`` says which characters it takes):
control (Cc), format (Cf), line and paragraph separator (Zl, Zp) and lone surrogate (Cs)
characters never leave the program raw. Each output spells them out in its own way:

- terminals, messages and reports (text, HTML, SVG, Markdown): as Python escapes
  (``\x1b``, ``\u202e``), through :func:`one_line`, :func:`clean` or :func:`inert` (which
  alone keeps line breaks and tabs), so the reader sees they are there and no terminal
  acts on them;
- JSON: as ``\u`` escapes (:func:`json_text`, :func:`inert_json`), which read back exactly;
- YAML: as YAML's double-quoted escapes (:class:`YamlEscapes`), which read back exactly;
- PROV-N: see :mod:`claimtrack.export._prov`, which uses the few escapes PROV-N has.

Every other character, Arabic script and emoji included, is kept as it is.
"""

from __future__ import annotations

import json
import re
import unicodedata

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol


if TYPE_CHECKING:
    from yaml.emitter import Emitter as _Emitter
    from yaml.emitter import ScalarAnalysis
else:
    _Emitter = object


_SHOWN_AS_ESCAPE = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))
_SPACE = re.compile(r"\s+")


def escaped(ch: str) -> bool:
    """Whether the character *ch* never leaves the program raw: control, format, separator, surrogate."""
    return unicodedata.category(ch) in _SHOWN_AS_ESCAPE


def spelled(ch: str) -> str:
    r"""The character *ch* spelled out as a Python escape: ``\x1b``, ``\u202e``, ``\U000e0001``."""
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
        shown = ch not in self._keep and (escaped(ch) or ch in self._also)
        value = self._spell(ch) if shown else ch
        self[code] = value
        return value


def escaper(spell: Callable[[str], str], *, also: str = "") -> Callable[[str], str]:
    """A function that writes each character ``escaped`` takes, and those in *also*, as *spell* does.

    Outputs with their own escapes (PROV-N's) build on it, so they follow the same rule.
    """
    table = _Escapes("", spell, also=also)
    return lambda text: text.translate(table)


_ONE_LINE = _Escapes("", spelled)
_MULTI_LINE = _Escapes("\n\t", spelled)
# JSON itself escapes C0, quotes and backslashes; the rest goes as \u escapes (the line
# and paragraph separators among them, which some JavaScript readers take for line ends)
_JSON = _Escapes('\n\t\r\b\f"\\', _json_escape)


def one_line(text: str) -> str:
    """*text* with every character ``escaped`` takes, line breaks included, spelled out."""
    return text if text.isprintable() else text.translate(_ONE_LINE)


def inert(text: str) -> str:
    """*text* with every character ``escaped`` takes spelled out, but line feeds and tabs."""
    return text if text.isprintable() else text.translate(_MULTI_LINE)


def clean(text: str) -> str:
    """*text* on one line: whitespace runs made one space, what ``escaped`` takes spelled out.

    The form every report and table shows data in; it is idempotent, so text cleaned
    twice reads the same.
    """
    if text.isprintable() and "  " not in text:
        return text.strip()
    return one_line(_SPACE.sub(" ", text).strip())


PRETTY_UP_TO = 5_000
"""Up to how many claims ``claimtrack assess --format json`` indents its JSON by default.

Beyond, it writes compact JSON (one claim per line): indenting takes the standard
library's slower pure-Python encoder, several times the time of the whole assessment.
"""


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


def _yaml_escape(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:  # noqa: PLR2004
        return f"\\x{code:02X}"
    if code < 0x10000:  # noqa: PLR2004
        return f"\\u{code:04X}"
    return f"\\U{code:08X}"


# The line breaks PyYAML writes itself between the lines of a long scalar; from the data it
# escapes them all (``\n``, ``\r``, ``\N``, ``\L``, ``\P``), so raw ones are its own.
_YAML = _Escapes("\n\r\x85\u2028\u2029", _yaml_escape)


class _Writer(Protocol):
    def write(self, data: Any, /) -> object: ...


class _YamlStream:
    """A stream that writes every character ``escaped`` takes as a YAML escape."""

    def __init__(self, stream: _Writer, encoding: str | None) -> None:
        self._stream = stream
        self._encoding = encoding

    def write(self, data: str | bytes) -> None:
        if isinstance(data, bytes):  # an encoding was asked for: PyYAML encodes each piece
            encoding = self._encoding or "utf-8"
            text = data.decode(encoding)
            if not text.isprintable():
                data = text.translate(_YAML).encode(encoding)
        elif not data.isprintable():
            data = data.translate(_YAML)
        self._stream.write(data)


class YamlEscapes(_Emitter):
    r"""Mixed into a PyYAML dumper, it writes every character ``escaped`` takes as an escape.

    PyYAML escapes control characters, but writes format characters (bidirectional
    overrides and isolates, zero-width spaces and joiners, soft hyphens) raw, in plain
    scalars even, where YAML has no escape at all. With this mixin, a scalar holding any
    character the rule takes is double-quoted and those characters are written as YAML
    escapes (``\u202E``), which read back as the same character: the file holds the exact
    text, and shows nothing a terminal or an editor would act on.

    Use it first among the bases: ``class Dumper(YamlEscapes, yaml.SafeDumper)``.
    """

    def analyze_scalar(self, scalar: str) -> ScalarAnalysis:
        """PyYAML's analysis, which allows only double quotes when a character needs an escape."""
        analysis = super().analyze_scalar(scalar)
        # line feeds alone leave a text as it was: a literal block shows them as lines
        if not scalar.isprintable() and any(escaped(ch) and ch != "\n" for ch in scalar):
            analysis.allow_flow_plain = analysis.allow_block_plain = False
            analysis.allow_single_quoted = analysis.allow_block = False
        return analysis

    def write_double_quoted(self, text: str, split: bool = True) -> None:
        """PyYAML's double-quoted scalar, with what it leaves raw of the rule written as escapes."""
        if text.isprintable():
            super().write_double_quoted(text, split)
            return
        stream = self.stream
        self.stream = _YamlStream(stream, self.encoding)
        try:
            super().write_double_quoted(text, split)
        finally:
            self.stream = stream
