"""The injection corpus: every hostile payload, in every text field, through every output.

Each payload of ``tests/data/hostile/payloads.json`` is put into every free-text field of
a small case (title, names, roles, aliases, notes, document titles and texts, questions,
claims, tags, quotes, relation reasons, evidence descriptions and notes), and, with its
spaces and C0 controls taken out, into an attribution's id. Every output must then carry it literally where
the format can (case files and JSON give back the exact text) and inertly everywhere:
no escape or control byte from the data in terminal text, no markup interpreted.
"""

from __future__ import annotations

import io
import json
import re

from pathlib import Path

import pytest

from rich.console import Console

import claimtrack

from claimtrack import Count
from claimtrack.cli import main


PAYLOADS = json.loads(
    (Path(__file__).parent / "data" / "hostile" / "payloads.json").read_text(encoding="utf-8")
)
IDS = [p["name"] for p in PAYLOADS]

#: Bytes that must never reach a terminal from the data: C0 but newline and tab, DEL, C1.
_CONTROL_BYTES = {chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))} - {"\n", "\t"}
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def hostile_id(text: str) -> str:
    """*text* made a valid id: what ids may not hold (spaces, C0 controls, DEL) taken out."""
    return "id-" + re.sub(r"[\s\x00-\x1f\x7f]", "", text)[:190]


def hostile_case(text: str) -> claimtrack.Case:
    """A valid case whose every free-text field carries *text*; an attribution's id, what it can."""
    case = claimtrack.Case(title=f"Case {text}", description=f"About {text}")
    case.add_source(
        "outlet", f"Outlet {text}", "outlet", role=f"Role {text}", aliases=[f"Alias {text}"]
    )
    case.add_source("speaker", f"Speaker {text}", "person", notes=f"Notes {text}")
    case.add_document(
        "doc",
        "outlet",
        f"Title {text}",
        published="2024-04-21",
        text=f"Before. Quote {text} After.",
    )
    case.add_evidence(
        "clip", "video", f"Evidence {text}", first_seen="2024-04-20", notes=f"Seen {text}"
    )
    case.add_question("q", f"Question {text}?", parties=["outlet"])
    unit = f"deaths {text}"  # a count's unit is text from the file like any other
    case.add_claim(
        "yes",
        f"Claim {text}",
        question="q",
        tags=[f"tag {text}"],
        blames=["outlet"],
        value=Count.exactly(10, unit=unit),
    )
    case.add_claim("no", f"Rival {text}", question="q", value=Count.exactly(12, unit=unit))
    case.attribute(
        "yes",
        "speaker",
        document="doc",
        via=["outlet"],
        quote=f"Quote {text}",
        notes=f"N {text}",
        id=hostile_id(text),
        based_on=["clip"],
        hedge="likely",
    )
    case.attribute("no", "outlet", "asserts", document="doc")
    case.relate("contradicts", "yes", "no", reason=f"Reason {text}")
    return case


def assert_inert(output: str) -> None:
    """No control byte but newline, and no bidi override, in *output*."""
    assert not _CONTROL_BYTES & set(output), sorted(_CONTROL_BYTES & set(output))
    assert not _BIDI & set(output)


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_case_files_keep_the_text_exactly(payload, fmt):
    """A case file gives back every payload exactly, as text, in every field."""
    case = hostile_case(payload["text"])
    back = claimtrack.loads(claimtrack.dumps(case, fmt), fmt)
    assert back == case
    assert back.claims["yes"].text == f"Claim {payload['text']}"


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_yaml_file_has_no_tag_or_alias_of_the_data(payload):
    """Data that looks like a YAML tag or alias is written as quoted text, never as one."""
    text = claimtrack.dumps(hostile_case(payload["text"]), "yaml")
    for line in text.splitlines():
        value = line.split(": ", 1)[-1].lstrip("- ")
        assert not value.startswith(("!", "&", "*")), line


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_assess_json_keeps_the_text(tmp_path, capsys, payload):
    """claimtrack assess --format json is valid JSON, and its reasons carry names as text."""
    path = tmp_path / "case.json"
    hostile_case(payload["text"]).save(path)
    assert main(["assess", str(path), "--format", "json"]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    assert {a["claim"] for a in data["assessments"]} == {"yes", "no"}
    assert_inert(out)  # JSON escapes every control character


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_assess_table_is_inert(tmp_path, capsys, payload):
    """The assessment table shows markup literally and lets no control byte through."""
    path = tmp_path / "case.json"
    hostile_case(payload["text"]).save(path)
    assert main(["assess", str(path), "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert_inert(out)
    if payload["name"] == "rich-markup":
        assert "[bold red]PWNED" in out


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_rich_print_of_records_is_inert(payload):
    """rich.print of a hostile record shows its text literally, with no byte from the data."""
    case = hostile_case(payload["text"])
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, color_system="truecolor", legacy_windows=False)
    for record in (case.sources["speaker"], case.claims["yes"], case.attributions[0]):
        console.print(record)
    out = buffer.getvalue()
    styled = [s for s in out.split("\x1b[") if s]  # rich's own styling is allowed, nothing else
    for chunk in styled:
        body = chunk.split("m", 1)[-1]
        assert_inert(body)


@pytest.fixture(name="reports", scope="module")
def _reports():
    """Each payload's case rendered once in every report format."""
    from claimtrack.report import Report

    out = {}
    for payload in PAYLOADS:
        report = Report(hostile_case(payload["text"]))
        out[payload["name"]] = {
            "text": report.to_text(120),
            "md": report.to_markdown(),
            "html": report.to_html(120),
            "svg": report.to_svg(120),
        }
    return out


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_report_text_is_inert(reports, payload):
    """The plain-text report holds no control byte from the data and shows markup literally."""
    text = reports[payload["name"]]["text"]
    assert_inert(text)
    if payload["name"] == "rich-markup":
        assert "[bold red]PWNED[/bold red]" in text


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
@pytest.mark.parametrize("fmt", ["html", "svg"])
def test_report_html_and_svg_escape_tags(reports, payload, fmt):
    """No tag from the data opens in HTML or SVG, and no control byte from it is written."""
    out = reports[payload["name"]][fmt]
    assert_inert(out)
    for tag in ("<script", "<img", "</svg><svg", "<svg onload"):
        assert tag not in out


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_report_markdown_tables_hold(reports, payload):
    """Every Markdown table keeps its column count, and no raw tag or control byte is written."""
    out = reports[payload["name"]]["md"]
    assert_inert(out)
    assert "<script" not in out
    assert "<img" not in out
    table: list[int] = []
    for line in [*out.splitlines(), ""]:
        if line.startswith("|"):
            table.append(line.replace("\\|", "").count("|"))
        elif table:
            assert len(set(table)) == 1, (payload["name"], table)
            table = []


@pytest.fixture(name="exports", scope="module")
def _exports():
    """Each payload's case exported once in every interchange format."""
    from claimtrack.cli import render

    return {
        p["name"]: {
            to: render(hostile_case(p["text"]), to)
            for to in ("jsonl", "csv", "claimreview", "prov-json", "prov-n")
        }
        for p in PAYLOADS
    }


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
@pytest.mark.parametrize("to", ["jsonl", "claimreview", "prov-json"])
def test_json_exports_are_inert_and_exact(exports, payload, to):
    """JSON exports hold no raw control or bidi character, and read back to the exact text."""
    out = exports[payload["name"]][to]
    assert_inert(out)
    rows = [json.loads(line) for line in out.splitlines()] if to == "jsonl" else [json.loads(out)]
    assert any(f"Claim {payload['text']}" in text for text in _strings(rows))


def _strings(data: object) -> list[str]:
    """Every string inside parsed JSON, keys and values."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in (k, *_strings(v))]
    if isinstance(data, list):
        return [s for item in data for s in _strings(item)]
    return []


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_csv_export_is_safe_for_spreadsheets(exports, payload):
    """No CSV cell starts with a formula prefix, and every row parses with the header's width."""
    import csv

    rows = list(csv.reader(io.StringIO(exports[payload["name"]]["csv"], newline="")))
    header, body = rows[0], rows[1:]
    assert len(body) == 2
    for row in body:
        assert len(row) == len(header)
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_prov_n_is_inert(exports, payload):
    """PROV-N, a text format, carries no control byte from the data."""
    assert_inert(exports[payload["name"]]["prov-n"])


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_evidence_and_attribution_ids_come_out_exact(exports, payload):
    """An evidence description and an attribution id read back exactly from the JSON exports."""
    text = payload["text"]
    (row, _) = [json.loads(line) for line in exports[payload["name"]]["jsonl"].splitlines()]
    assert row["attribution_id"] == hostile_id(text)
    assert row["based_on"] == "clip"
    prov = _strings(json.loads(exports[payload["name"]]["prov-json"]))
    assert f"Evidence {text}" in prov
    assert hostile_id(text) in prov


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_report_shows_evidence_and_ids_literally(reports, payload):
    """The report lists the evidence and the attribution's id, cleaned and escaped, as text."""
    from claimtrack.report._safe import md

    text = reports[payload["name"]]["text"]
    assert "Evidence ─" in text
    assert "rested on by" in text
    if payload["name"] == "rich-markup":
        assert "Evidence [bold red]PWNED[/bold red]" in " ".join(text.split())
    markdown = reports[payload["name"]]["md"]
    assert md(f"Evidence {payload['text']}") in markdown
    assert f"(id {md(hostile_id(payload['text']))})" in markdown
