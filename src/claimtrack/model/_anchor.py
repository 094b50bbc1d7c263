"""Locating quotes in the texts of their documents.

A quote is anchored where its exact words stand; failing that, where they stand once
whitespace, typographic quotes and dashes, and case are normalised. A quote that is only
*similar* to a passage is never anchored to it: that is an orphan, and the analyst hears.
"""

from __future__ import annotations

import enum
import unicodedata

import attrs


class AnchorStatus(enum.Enum):
    """How a quote was found in its document."""

    EXACT = "exact"
    """The exact words stand in the text."""
    RELOCATED = "relocated"
    """Found only after normalising whitespace, typographic quotes, dashes and case."""
    ORPHANED = "orphaned"
    """Not found, or not at the place its prefix and suffix describe."""
    AMBIGUOUS = "ambiguous"
    """Found more than once, with no prefix or suffix to tell the places apart."""


@attrs.frozen
class Anchor:
    """Where a quote sits in its document's text.

    Attributes:
        status: How it was found.
        start: The offset of its first character in the text (``None`` unless found once).
        end: The offset just past its last character.
        occurrences: How many places matched.
    """

    status: AnchorStatus
    start: int | None = None
    end: int | None = None
    occurrences: int = 0

    @property
    def found(self) -> bool:
        """Whether the quote was placed at one spot in the text."""
        return self.status in (AnchorStatus.EXACT, AnchorStatus.RELOCATED)


_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
    }
)


def normalise(text: str) -> tuple[str, list[int]]:
    """Fold *text* for lenient matching, and map each folded character to its origin.

    Returns:
        The folded text, and for each of its characters the offset in *text* it came from.
    """
    out: list[str] = []
    where: list[int] = []
    space = False
    for i, ch in enumerate(text):
        if ch.isspace() or unicodedata.category(ch) == "Cf":
            # Format characters (zero-width joiners, bidi marks) are invisible in print.
            if ch.isspace() and out:
                space = True
            continue
        if space:
            out.append(" ")
            where.append(i)
            space = False
        for folded in unicodedata.normalize("NFKC", ch).translate(_FOLD).casefold():
            out.append(folded)
            where.append(i)
    return "".join(out), where


def _occurrences(haystack: str, needle: str) -> list[int]:
    found = []
    start = haystack.find(needle)
    while start >= 0:
        found.append(start)
        start = haystack.find(needle, start + 1)
    return found


def locate(text: str, quote: str, prefix: str | None = None, suffix: str | None = None) -> Anchor:
    """Find *quote* in *text*, using *prefix* and *suffix* to choose among repeats."""
    starts = _occurrences(text, quote)
    if starts:
        spans = [(s, s + len(quote)) for s in starts]
        status = AnchorStatus.EXACT
    else:
        folded, where = normalise(text)
        needle = normalise(quote)[0]
        if not needle:
            return Anchor(AnchorStatus.ORPHANED)
        spans = [(where[s], where[s + len(needle) - 1] + 1) for s in _occurrences(folded, needle)]
        status = AnchorStatus.RELOCATED
    if prefix is not None or suffix is not None:
        spans = [s for s in spans if _context_fits(text, s, prefix, suffix)]
    if not spans:
        return Anchor(AnchorStatus.ORPHANED)
    if len(spans) > 1:
        return Anchor(AnchorStatus.AMBIGUOUS, occurrences=len(spans))
    ((start, end),) = spans
    return Anchor(status, start, end, occurrences=1)


def _context_fits(text: str, span: tuple[int, int], prefix: str | None, suffix: str | None) -> bool:
    if prefix is not None:
        want = normalise(prefix)[0].strip()
        before = normalise(text[max(0, span[0] - 4 * len(prefix) - 16) : span[0]])[0].rstrip()
        if not before.endswith(want):
            return False
    if suffix is not None:
        want = normalise(suffix)[0].strip()
        after = normalise(text[span[1] : span[1] + 4 * len(suffix) + 16])[0].lstrip()
        if not after.startswith(want):
            return False
    return True
