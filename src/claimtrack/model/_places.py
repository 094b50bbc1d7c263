"""How a problem names the place in a case it is about, shared by building, checking and loading."""

from __future__ import annotations

import re

from claimtrack.errors import Problem, Severity


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_\-]+")


def place_of(section: str, key: str | int, *fields: str | int) -> str:
    """Write the place of a record or field the way messages show it.

    ``place_of("sources", "reuters", "kind")`` gives ``sources.reuters.kind``;
    ``place_of("attributions", 3, "source")`` gives ``attributions[3].source``.
    """
    out = section
    for part in (key, *fields):
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(part):
            out += f".{part}"
        else:
            out += f"[{part!r}]"
    return out


def warning(place: str, message: str) -> Problem:
    """A problem at *place* that the analyst should hear of but that leaves the case valid."""
    return Problem(place, message, Severity.WARNING)
