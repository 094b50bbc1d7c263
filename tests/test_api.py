"""The public surface is deliberate: adding or removing a name is a decision, made here."""

import claimtrack


def test_public_names():
    """claimtrack exports exactly these names, and dir() shows them."""
    assert set(claimtrack.__all__) <= set(dir(claimtrack))
    assert claimtrack.__all__ == [
        "Accuracy",
        "Affiliation",
        "AffiliationKind",
        "Anchor",
        "AnchorStatus",
        "Assessment",
        "AssessmentWarning",
        "Assessments",
        "Attribution",
        "Case",
        "CaseError",
        "CaseFileError",
        "Claim",
        "Confidence",
        "Contradiction",
        "ContradictionKind",
        "Copying",
        "Count",
        "Credibility",
        "Document",
        "DocumentKind",
        "Estimate",
        "Evidence",
        "EvidenceKind",
        "Figures",
        "Flip",
        "Hedge",
        "IntegrityError",
        "LearnedGrade",
        "Limits",
        "Mode",
        "Period",
        "Problem",
        "Question",
        "Relation",
        "RelationKind",
        "Reliability",
        "Sensitivity",
        "Settings",
        "Severity",
        "Source",
        "SourceKind",
        "Stake",
        "Stance",
        "Status",
        "StoreError",
        "Vote",
        "WarningKind",
        "dumps",
        "errors",
        "export",
        "find_copying",
        "learn_reliability",
        "load",
        "loads",
        "open_store",
        "sensitivity",
        "suggest_grades",
    ]


def test_all_is_sorted_and_importable():
    """__all__ is sorted and every name in it exists."""
    assert sorted(claimtrack.__all__) == claimtrack.__all__
    for name in claimtrack.__all__:
        assert getattr(claimtrack, name) is not None


def test_each_name_is_the_one_its_part_defines():
    """A name imported on first use is the very object of the part that defines it."""
    import importlib

    parts = ("errors", "model", "files", "store", "engine")
    for name in claimtrack.__all__:
        homes = [p for p in parts if hasattr(importlib.import_module(f"claimtrack.{p}"), name)]
        if homes:
            module = importlib.import_module(f"claimtrack.{homes[0]}")
            assert getattr(claimtrack, name) is getattr(module, name), name
        else:
            assert name in {"errors", "export"}, name


def test_reading_and_checking_import_neither_engine_nor_exporters(tmp_path):
    """``claimtrack check`` and ``claimtrack.load`` start without numpy, the engine or the exporters.

    They are a good part of every command's start-up; only the commands that judge or
    write pay for them.
    """
    import subprocess
    import sys

    case = tmp_path / "c.json"
    case.write_text('{"claimtrack": 1, "title": "T"}', encoding="utf-8")
    probe = (
        "import sys, claimtrack, claimtrack.cli\n"
        "claimtrack.load(sys.argv[1]).validate()\n"
        "status = claimtrack.cli.main(['check', '--quiet', sys.argv[1]])\n"
        "heavy = [m for m in ('numpy', 'claimtrack.engine', 'claimtrack.export') if m in sys.modules]\n"
        "print(status, heavy)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(case)], capture_output=True, text=True, check=True
    )
    assert done.stdout.split("\n")[-2] == "0 []"


def test_version_is_looked_up_lazily():
    """__version__ comes from the installed metadata, not a hard-coded string."""
    from importlib.metadata import version

    assert version("claimtrack") == claimtrack.__version__


def test_unknown_attribute():
    """An unknown attribute raises AttributeError naming it."""
    import pytest

    with pytest.raises(AttributeError, match="nope"):
        claimtrack.nope  # noqa: B018


def test_errors_share_one_base():
    """Every error claimtrack raises derives from CaseError."""
    assert issubclass(claimtrack.CaseFileError, claimtrack.CaseError)
    assert issubclass(claimtrack.IntegrityError, claimtrack.CaseError)
    assert claimtrack.errors.CaseError is claimtrack.CaseError


def test_renamed_names_still_work_for_one_release():
    """An old name gives the new object, with a DeprecationWarning naming its successor."""
    import pytest

    with pytest.warns(DeprecationWarning, match="use claimtrack.AssessmentWarning"):
        old = claimtrack.Notice
    assert old is claimtrack.AssessmentWarning
    assert "Notice" not in claimtrack.__all__


def test_builders_show_their_fields_and_raise_case_errors():
    """The builders list their fields (no **fields) and refuse a bad one with a CaseError."""
    import inspect

    import pytest

    for name in ("add_source", "add_document", "add_evidence", "add_question", "add_claim"):
        params = inspect.signature(getattr(claimtrack.Case, name)).parameters
        assert "notes" in params
        assert all(p.kind is not p.VAR_KEYWORD for p in params.values())
    assert "reliability" in inspect.signature(claimtrack.Case.add_source).parameters
    assert "hedge" in inspect.signature(claimtrack.Case.attribute).parameters
    case = claimtrack.Case()
    with pytest.raises(claimtrack.CaseError, match="did you mean 'news-agency'"):
        case.add_source("x", "X", "newspaper")
    with pytest.raises(claimtrack.CaseError, match="did you mean 'reliability'"):
        case.add_source("x", "X", "outlet", reliabilty="B")


def test_enums_are_their_file_words():
    """The public enums print as, and those of words equal, the words a case file holds."""
    assert str(claimtrack.Reliability.B) == "B"
    assert f"{claimtrack.Stance.ASSERTS}" == "asserts"
    assert claimtrack.Mode.ANONYMOUS == "anonymous"
    assert claimtrack.Confidence.LOW < claimtrack.Confidence.HIGH
    assert claimtrack.Reliability.F < claimtrack.Reliability.A
