"""Rich renderables that show a case and its assessments.

Every piece of text that comes from a case (claim texts, quotes, names) goes into
:class:`rich.text.Text` as it is, never through console markup: text from the internet
stays text.
"""

from ._tables import assessment_table


__all__ = ["assessment_table"]
