r"""Lone surrogates: half of a UTF-16 pair, in a string but not a character.

They reach a Python string through an escape (JSON's ``\ud800``), a literal, or
undecodable bytes read with ``surrogateescape``; no UTF-8 file, terminal or export can
hold one, so every text is checked here before it becomes part of a case.
"""

from __future__ import annotations

import re


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def surrogate_problem(text: str) -> str | None:
    r"""What is wrong with *text* if it holds a lone surrogate; ``None`` if it holds none.

    A lone surrogate (U+D800 to U+DFFF, half of a UTF-16 pair) gets into a string through
    an escape (JSON's ``\ud800``) or a Python literal, but it is not a character: no UTF-8
    file, terminal or export can hold it, so a case holding one would fail far from here.
    """
    if text.isascii() or encodes(text):
        return None
    found = _SURROGATE.search(text)
    code = ord(found.group()) if found else 0xD800
    return (
        f"holds a lone surrogate (U+{code:04X}), which is not text: half of a UTF-16 "
        "pair, it cannot be written as UTF-8; write the character itself"
    )


def encodes(text: str) -> bool:
    """Whether *text* holds no lone surrogate; cheaper than a search, which is left to the error."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True
