"""The writers that stream: ``assess --format json|jsonl|csv`` written as made, same content."""

from __future__ import annotations

import io
import json
import sys

from pathlib import Path

import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

import claimtrack

from claimtrack import export
from claimtrack._text import inert_json, json_text
from claimtrack.cli import main
from claimtrack.export import _assessments


sys.path.insert(0, str(Path(__file__).parent))  # tests/ is not a package; strategies.py sits here
from strategies import recipes


ROOT = Path(__file__).parent.parent
SEED = ROOT / "examples" / "iraq-2024" / "case.yaml"
_FAST = settings(max_examples=40, deadline=None)


def _whole(result: claimtrack.Assessments, indent: int | None) -> str:
    return "".join(export.assessments_json(result, indent=indent))


class TestAssessmentsJson:
    def test_indented_is_byte_for_byte_the_whole_document(self):
        """Streamed with an indent, the text is json.dumps of the whole, as before streaming."""
        case = claimtrack.load(SEED)
        result = case.assess()
        for indent in (2, 4):
            expected = json_text(export.assessments_to_data(result), indent=indent) + "\n"
            assert _whole(result, indent) == expected

    @_FAST
    @given(recipe=recipes())
    def test_same_content_indented_or_compact(self, recipe):
        """Compact and indented JSON read back to the same data as the unstreamed shape."""
        result = recipe.build().assess()
        data = json.loads(json_text(export.assessments_to_data(result)))
        pretty = _whole(result, 2)
        assert pretty == json_text(export.assessments_to_data(result)) + "\n"
        assert json.loads(_whole(result, None)) == data

    @_FAST
    @given(recipe=recipes(), batch=st.integers(1, 4))
    def test_compact_is_byte_for_byte_the_whole_document_but_its_lines(self, recipe, batch):
        """Compact, the text is json.dumps of the whole with a line per claim, whatever the runs.

        Contradictions and the keys after them are written a run of items at a time; a
        run of one to four items crosses every boundary a small case has.
        """
        case = recipe.build()
        result = case.assess()
        found = claimtrack.sensitivity(case)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(_assessments, "_BATCH", batch)
            for sensitivity in (None, found):
                text = "".join(
                    export.assessments_json(result, indent=None, sensitivity=sensitivity)
                )
                data = export.assessments_to_data(result, sensitivity=sensitivity)
                whole = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
                assert text.endswith("}\n")
                # a line feed in the text is a separator: the data's own are escaped
                assert text.replace("\n", "") == inert_json(whole)
                assert text.count("\n") == len(result.assessments) + 1 + bool(result.assessments)

    def test_compact_is_one_claim_a_line(self):
        result = claimtrack.load(SEED).assess()
        lines = _whole(result, None).splitlines()
        assert lines[0] == '{"assessments":['
        claims = [json.loads(line.rstrip(",")) for line in lines[1:-1]]
        assert [c["claim"] for c in claims] == [a.claim for a in result.assessments]

    def test_empty_case(self):
        result = claimtrack.Case(title="Empty").assess()
        for indent in (None, 2):
            text = _whole(result, indent)
            assert json.loads(text)["assessments"] == []
        assert _whole(result, 2) == json_text(export.assessments_to_data(result)) + "\n"

    def test_nothing_is_kept_on_the_assessments(self):
        """Writing reads no assessment's cached votes or reasons into memory for good."""
        result = claimtrack.load(SEED).assess()
        _whole(result, None)
        first = result.assessments[0]
        # explain() gives what the properties give, built afresh
        assert first.explain() == (first.votes, first.reasons)

    def test_hostile_text_escaped_in_each_piece(self):
        case = claimtrack.Case(title="Evil")
        case.add_source("s", "A\x1b[31mred\u2028name", "outlet")
        case.add_claim("c", "Text\x07 with a bell")
        case.attribute("c", "s")
        text = _whole(case.assess(), None)
        for ch in ("\x1b", "\x07", "\u2028"):
            assert ch not in text
        assert "\\u001b" in text
        assert json.loads(text)["assessments"][0]["reasons"]

    def test_write_to_a_path(self, tmp_path):
        result = claimtrack.load(SEED).assess()
        out = tmp_path / "a.json"
        export.write_assessments_json(result, out, indent=None)
        assert json.loads(out.read_text(encoding="utf-8")) == json.loads(_whole(result, 2))
        buffer = io.StringIO()
        export.write_assessments_json(result, buffer)
        assert buffer.getvalue() == _whole(result, 2)


class TestCli:
    def test_indent_and_compact(self, tmp_path, capsys):
        assert main(["assess", str(SEED), "--format", "json"]) == 0
        pretty = capsys.readouterr().out
        assert pretty.startswith('{\n  "assessments": [')  # small: indented by default
        assert main(["assess", str(SEED), "--format", "json", "--indent", "0"]) == 0
        compact = capsys.readouterr().out
        assert compact.startswith('{"assessments":[\n')
        assert json.loads(compact) == json.loads(pretty)
        out = tmp_path / "a.json"
        assert main(["assess", str(SEED), "--format", "json", "--indent", "4", "-o", str(out)]) == 0
        assert out.read_text(encoding="utf-8").startswith('{\n    "assessments": [')

    def test_compact_by_default_above_the_limit(self, monkeypatch, capsys):
        monkeypatch.setattr(export, "PRETTY_UP_TO", 3)
        assert main(["assess", str(SEED), "--format", "json"]) == 0
        assert capsys.readouterr().out.startswith('{"assessments":[\n')

    @pytest.mark.parametrize("argv", [["--indent", "2"], ["--indent", "-1"], ["--indent", "x"]])
    def test_indent_refused(self, argv, capsys):
        fmt = ["--format", "csv"] if argv[1] == "2" else ["--format", "json"]
        assert main(["assess", str(SEED), *fmt, *argv]) == 2
        err = capsys.readouterr().err
        assert "--indent" in err
        assert "Traceback" not in err

    def test_rows_are_the_same_streamed(self, capsys):
        case = claimtrack.load(SEED)
        result = case.assess()
        for form in ("jsonl", "csv"):
            buffer = io.StringIO()
            if form == "jsonl":
                export.write_jsonl(export.assessment_rows(case, result), buffer)
            else:
                export.write_csv(
                    export.assessment_rows(case, result), buffer, export.ASSESSMENT_COLUMNS
                )
            assert main(["assess", str(SEED), "--format", form]) == 0
            assert capsys.readouterr().out == buffer.getvalue()

    def test_csv_of_nothing_has_its_header(self, tmp_path, capsys):
        empty = tmp_path / "empty.yaml"
        empty.write_text("claimtrack: 1\ntitle: Empty\n", encoding="utf-8")
        assert main(["assess", str(empty), "--format", "csv"]) == 0
        assert capsys.readouterr().out.splitlines() == [",".join(export.ASSESSMENT_COLUMNS)]
