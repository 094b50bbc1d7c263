r"""Text from the internet made inert for a terminal or a one-line message.

Claim texts, quotes, names, ids and keys come from pages and files nobody vetted. A
control character in them could move the cursor, retitle a terminal window or hide a
link (ANSI CSI and OSC sequences), and a bidirectional override could make a line read
differently from what it holds. Before such text reaches a terminal it goes through
:func:`inert` or :func:`one_line`, which show those characters as visible escapes
(``\x1b``, ``\u202e``) and leave every other character, Arabic and emoji included, as
it is.
"""

from __future__ import annotations

import json


# Overrides, embeddings and isolates reorder what follows them; the marks LRM, RLM and
# ALM do not, and Arabic text needs them, so they stay.
_BIDI_CONTROLS = (*range(0x202A, 0x202F), *range(0x2066, 0x206A))

_CONTROLS = {cp: f"\\x{cp:02x}" for cp in (*range(0x20), 0x7F, *range(0x80, 0xA0))} | {
    cp: f"\\u{cp:04x}" for cp in _BIDI_CONTROLS
}

_ONE_LINE = str.maketrans(_CONTROLS)
_MULTI_LINE = str.maketrans({cp: s for cp, s in _CONTROLS.items() if chr(cp) not in "\n\t"})


def one_line(text: str) -> str:
    """*text* with every control character, line breaks included, shown as an escape."""
    return text.translate(_ONE_LINE)


def inert(text: str) -> str:
    """*text* with control characters shown as escapes; line breaks and tabs are kept."""
    return text.translate(_MULTI_LINE)


# JSON leaves DEL, C1 controls and bidi overrides raw when it writes UTF-8; a terminal
# showing the file may act on them. As \u escapes they read back to the same text.
_JSON_UNSAFE = str.maketrans(
    {cp: f"\\u{cp:04x}" for cp in (0x7F, *range(0x80, 0xA0), *_BIDI_CONTROLS, 0x2028, 0x2029)}
)


def json_text(data: object, *, indent: int | None = 2) -> str:
    """*data* as JSON text in UTF-8, with every character a terminal could act on escaped."""
    return json.dumps(data, ensure_ascii=False, indent=indent).translate(_JSON_UNSAFE)
