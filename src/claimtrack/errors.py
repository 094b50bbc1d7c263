"""Errors claimtrack raises, and the problems it reports.

Every error derives from :class:`CaseError` and carries :class:`Problem` records, each
naming the file, the place in it (``attributions[3].source``) and what is wrong, so that
one ``except claimtrack.CaseError`` catches everything a bad case can cause.
"""

from __future__ import annotations

import enum

from collections.abc import Iterable, Sequence

import attrs

from claimtrack._text import one_line


__all__ = [
    "CaseError",
    "CaseFileError",
    "IntegrityError",
    "Problem",
    "Severity",
    "StoreError",
]


class Severity(enum.Enum):
    """How bad a problem is: errors make a case invalid, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@attrs.frozen
class Problem:
    """One thing wrong with a case, and where.

    Attributes:
        place: Where in the case it is, as a path (``sources.reuters.kind``,
            ``attributions[3].source``), or a line and column for unreadable files.
        message: What is wrong, in a sentence.
        severity: Whether it makes the case invalid.
        file: The file it came from, if the case came from a file.
    """

    place: str
    message: str
    severity: Severity = Severity.ERROR
    file: str | None = None

    @property
    def is_error(self) -> bool:
        """Whether the problem makes the case invalid."""
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        """One line, safe to print: text taken from the file cannot steer the terminal."""
        where = ": ".join(p for p in (self.file, self.place) if p)
        label = "" if self.is_error else "warning: "
        text = f"{where}: {label}{self.message}" if where else f"{label}{self.message}"
        return one_line(text)


class CaseError(Exception):
    """Something is wrong with a case; the base of every claimtrack error.

    Attributes:
        problems: Every problem found, errors first; never empty.
    """

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = (Problem("", problems),)
        found = tuple(sorted(problems, key=lambda p: not p.is_error))
        if not found:
            msg = "a CaseError needs at least one problem"
            raise ValueError(msg)
        self.problems = found
        super().__init__("\n".join(str(p) for p in found))

    @property
    def errors(self) -> Sequence[Problem]:
        """The problems that make the case invalid."""
        return [p for p in self.problems if p.is_error]

    @property
    def file(self) -> str | None:
        """The file of the first problem."""
        return self.problems[0].file

    @property
    def place(self) -> str:
        """The place of the first problem."""
        return self.problems[0].place

    @property
    def message(self) -> str:
        """What is wrong, for the first problem."""
        return self.problems[0].message


class CaseFileError(CaseError):
    """A case file cannot be read: missing, unparsable, or not of the case-file shape."""


class IntegrityError(CaseError):
    """The records of a case do not fit together: unknown or duplicate ids, loops, dates."""


class StoreError(CaseError):
    """A store cannot be used: missing, not a claimtrack store, from a newer claimtrack, or damaged."""
