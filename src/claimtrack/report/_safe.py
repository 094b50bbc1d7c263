r"""Make text from a case safe to show: no control, escape or invisible character gets through.

Claim texts, quotes, titles and names come from the internet. Before they reach any
output they pass through :func:`clean` (shared with every other output of claimtrack):

- runs of whitespace, line and paragraph separators included, become one space, so that
  a text cannot forge lines of the report;
- every other control character (C0, DEL, C1) and every invisible *format* character
  (bidirectional embeddings, overrides and isolates, zero-width spaces and joiners, the
  byte-order mark, soft hyphens) is spelled out as a Python escape such as ``\x1b`` or
  ``\u202e``, so that the reader sees it is there and no terminal acts on it;
- lone surrogates, which no output encoding accepts, are spelled out the same way.

Everything else, Arabic script and emoji included, is shown as it is. Joiners are spelled
out too, although some scripts use them: a report is for weighing evidence, and invisible
characters are where spoofed names hide.

The Markdown helpers then escape what Markdown would read as syntax, and break what
GitHub-flavoured Markdown would turn into a link by itself (URLs, ``www.`` names, e-mail
addresses).
"""

from __future__ import annotations

import re

from claimtrack._text import clean


def shorten(text: str, limit: int) -> str:
    """Clean *text* and cut it to at most *limit* characters, ending in an ellipsis if cut."""
    text = clean(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_MD_ALWAYS = re.compile(r"([\\`*_\[\]|~])")
_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MD_LINE_START = re.compile(r"^(?:[#+=\-]|\d+(?=[.)]))")
# GFM's extended autolinks: a scheme's "://" and "www." are found as the inline parser
# reads the source, so a backslash before ":" or "." leaves them text; an e-mail address is
# found in the text once escapes are read, so no escape breaks it: a code span around the
# "@" does, as it ends the text before it (checked with cmark-gfm, GitHub's parser).
_MD_AUTOLINK = re.compile(r"(?<=[A-Za-z0-9.+\-_])@|(:)(?=//)|(?i:(?<=www)(\.))")


def _no_autolink(match: re.Match[str]) -> str:
    return "`@`" if match.group(0) == "@" else "\\" + match.group(0)


def md(text: str) -> str:
    """Clean *text* and escape it for Markdown: it reads as the same text, never as syntax.

    Backslashes, backticks, emphasis marks, brackets, pipes and tildes are escaped with a
    backslash; ``&``, ``<`` and ``>`` become entities, so no HTML tag can open; a character
    that would start a heading, quote, list or rule at the start of a line is escaped too.
    No URL, ``www.`` name or e-mail address becomes a link: the ``:`` of ``://`` and the
    ``.`` of ``www.`` are escaped, and the ``@`` of an address is set as code (``a`@`b.org``
    shows as ``a@b.org``). The result holds no line break, so it is safe in a table cell.
    """
    text = _MD_ALWAYS.sub(r"\\\1", clean(text))
    text = "".join(_MD_ENTITIES.get(ch, ch) for ch in text)
    text = _MD_AUTOLINK.sub(_no_autolink, text)
    return _MD_LINE_START.sub(
        lambda m: m.group(0) + "\\" if m.group(0).isdigit() else "\\" + m.group(0), text
    )
