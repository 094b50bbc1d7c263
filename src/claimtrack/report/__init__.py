"""The report: a case's competing answers side by side, with their provenance.

:class:`Report` is a rich renderable built from a case, its assessments and optionally
one question; it renders to the terminal, plain text, SVG, HTML and Markdown.

Every piece of text that comes from a case (claim texts, quotes, names) goes into
:class:`rich.text.Text` after :func:`clean` has spelled out control and invisible format
characters, never through console markup: text from the internet stays text.
"""

from claimtrack._text import clean
from claimtrack.report._report import DEFAULT_WIDTH, Report
from claimtrack.report._tables import assessment_table


__all__ = ["DEFAULT_WIDTH", "Report", "assessment_table", "clean"]


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
