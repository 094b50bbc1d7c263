"""The docs describe the code as it is: every field of every record is in the reference."""

import re

from pathlib import Path

import attrs
import pytest

import claimtrack


REFERENCE = (Path(__file__).parent.parent / "docs" / "case-file.md").read_text()


@pytest.mark.parametrize(
    "cls",
    [
        claimtrack.Source,
        claimtrack.Document,
        claimtrack.Question,
        claimtrack.Claim,
        claimtrack.Attribution,
        claimtrack.Relation,
    ],
)
def test_every_field_is_documented(cls):
    """Each field of each record has a row in its section of docs/case-file.md."""
    section = REFERENCE.split(f"\n## {cls.__name__}\n", 1)[1].split("\n## ", 1)[0]
    rows = set(re.findall(r"^\| `(\w+)` \|", section, re.MULTILINE))
    assert rows == {f.name for f in attrs.fields(cls) if f.name != "id"}


@pytest.mark.parametrize(
    ("enum", "section"),
    [
        (claimtrack.SourceKind, "Source"),
        (claimtrack.DocumentKind, "Document"),
        (claimtrack.Stance, "Attribution"),
        (claimtrack.Mode, "Attribution"),
        (claimtrack.RelationKind, "Relation"),
    ],
)
def test_every_enum_value_is_documented(enum, section):
    """Each value a file may hold for an enumeration appears in the reference."""
    text = REFERENCE.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    for member in enum:
        assert f"`{member.value}`" in text


def test_example_in_reference_loads():
    """The example at the top of the reference is a valid case file."""
    block = REFERENCE.split("```yaml\n", 1)[1].split("```", 1)[0]
    case = claimtrack.loads(block)
    assert [p for p in case.validate() if p.is_error] == []
    assert case.claims["five-or-more"].value == claimtrack.Count.at_least(5)
