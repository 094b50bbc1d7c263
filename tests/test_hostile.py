"""The injection corpus: every hostile payload, at the start of every field, through every output.

Each payload of ``tests/data/hostile/payloads.json`` starts every field of a small case
that holds text: the case's title and description; names, roles, aliases and notes;
document titles, URLs, archive URLs, languages, text files and texts; evidence;
questions; claims, their tags and their count's unit; quotes with their prefix and
suffix; relation reasons. With what ids may not hold taken out (whitespace, C0 controls,
DEL), it starts every id and every reference to one too.
:func:`test_the_payload_starts_every_field` checks that no field is left out, so a field
added to a record must join the corpus.

Every output must then carry the payload literally where the format can (case files,
JSON, YAML and PROV-JSON give back the exact text) and inertly everywhere: no control,
format, line-separator or surrogate character from the data (the rule of
:mod:`claimtrack._text`), no markup interpreted, no tag opened, no link made, no table
broken, no spreadsheet formula started.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
import warnings

from pathlib import Path

import attrs
import pytest
import yaml

from rich.console import Console

import claimtrack

from claimtrack import Count, export
from claimtrack.cli import main, render


PAYLOADS = json.loads(
    (Path(__file__).parent / "data" / "hostile" / "payloads.json").read_text(encoding="utf-8")
)
IDS = [p["name"] for p in PAYLOADS]

#: What never leaves the program raw (claimtrack._text's rule), but line feeds and tabs.
_UNSAFE = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))
_SGR = re.compile(r"\x1b\[[0-9;]*m")


def hostile_id(text: str, suffix: str = "") -> str:
    """*text* made the start of a valid id: what ids may not hold taken out, then *suffix*."""
    return re.sub(r"[\s\x00-\x1f\x7f]", "", text)[:180] + suffix


def hostile_case(text: str) -> claimtrack.Case:
    """A valid case whose every field that holds text starts with *text*; its ids as far as ids allow."""
    p = text

    def i(suffix: str) -> str:
        return hostile_id(p, f"-{suffix}")

    case = claimtrack.Case(title=f"{p} case", description=f"{p} about")
    case.add_source(
        i("body"), f"{p} body", "government", reliability="B", role=f"{p} role", notes=f"{p} n"
    )
    case.add_source(
        i("outlet"),
        f"{p} outlet",
        "outlet",
        role=f"{p} role",
        aliases=[f"{p} alias"],
        notes=f"{p} notes",
    )
    case.add_source(
        i("speaker"), f"{p} speaker", "person", notes=f"{p} notes", speaks_for=[i("body")]
    )
    quote = f"{p} quote"
    case.add_document(
        i("doc"),
        i("outlet"),
        f"{p} title",
        url=f"{p} https://evil.example/a",
        archive_url=f"{p} https://archive.example/a",
        language=f"{p} lang",
        published="2024-04-21",
        text=f"{p} before {quote} {p} after",
        notes=f"{p} notes",
    )
    case.add_document(
        i("doc2"), i("body"), f"{p} second", text_file=f"{p} file.txt", published="2024-04-22"
    )
    case.add_evidence(
        i("clip"), "video", f"{p} evidence", first_seen="2024-04-20", notes=f"{p} seen"
    )
    case.add_question(i("q"), f"{p} question?", parties=[i("outlet")], notes=f"{p} notes")
    case.add_question(i("q2"), f"{p} other question?")
    unit = f"{p} deaths"
    case.add_claim(
        i("yes"),
        f"{p} claim",
        question=i("q"),
        tags=[f"{p} tag"],
        about=[i("speaker")],
        blames=[i("outlet")],
        value=Count.exactly(10, unit=unit),
        notes=f"{p} notes",
    )
    case.add_claim(i("no"), f"{p} rival", question=i("q"), value=Count.exactly(12, unit=unit))
    case.add_claim(i("far"), f"{p} far claim", question=i("q2"))
    case.attribute(
        i("yes"),
        i("speaker"),
        document=i("doc"),
        via=[i("outlet")],
        quote=quote,
        prefix=f"{p} before",
        suffix=f"{p} after",
        notes=f"{p} notes",
        id=i("att"),
        based_on=[i("clip")],
        hedge="likely",
        credibility=2,
    )
    case.attribute(i("no"), i("outlet"), document=i("doc"), quote=f"{p} not in the text")
    case.attribute(i("yes"), i("outlet"), document=i("doc"), id=i("early"))
    case.attribute(
        i("yes"), i("outlet"), "retracts", document=i("doc"), withdraws=i("early"), notes=f"{p} r"
    )
    case.attribute(i("far"), i("body"), document=i("doc2"), quote=f"{p} unread")
    case.relate("contradicts", i("yes"), i("no"), reason=f"{p} reason", by=i("speaker"))
    case.relate("contradicts", i("far"), i("yes"), reason=f"{p} far reason")
    return case


def unsafe(output: str) -> list[str]:
    """The characters of *output* that the rule keeps out of every output (line feeds and tabs aside)."""
    return sorted(
        ch for ch in set(output) if ch not in "\n\t" and unicodedata.category(ch) in _UNSAFE
    )


def assert_inert(output: str) -> None:
    """No control, format, separator or surrogate character in *output*, but line feeds and tabs."""
    assert not unsafe(output), [f"U+{ord(ch):04X}" for ch in unsafe(output)]


def _records(case: claimtrack.Case) -> list[object]:
    return [
        *case.sources.values(),
        *case.documents.values(),
        *case.evidence.values(),
        *case.questions.values(),
        *case.claims.values(),
        *case.attributions,
        *case.relations,
    ]


def _texts(value: object) -> list[str]:
    """The strings inside a field's value: text, ids, a count's unit, an affiliation's source."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple):
        return [s for item in value for s in _texts(item)]
    if attrs.has(type(value)):
        return [s for f in attrs.fields(type(value)) for s in _texts(getattr(value, f.name))]
    return []


#: Fields that hold text but not free text: a digest of the document's text.
_NOT_FREE = {"sha256"}


def test_the_payload_starts_every_field():
    """Every field that can hold text holds the payload at its start, in some record of the case."""
    payload = "<P>"
    case = hostile_case(payload)
    starts = (payload, hostile_id(payload))
    assert case.title.startswith(payload)
    assert case.description is not None
    assert case.description.startswith(payload)
    filled: dict[tuple[str, str], bool] = {}
    for record in _records(case):
        for field in attrs.fields(type(record)):
            if "str" not in str(field.type) and "Count" not in str(field.type):
                continue  # enums, dates, numbers, flags
            if field.name in _NOT_FREE:
                continue
            texts = _texts(getattr(record, field.name))
            for text in texts:
                assert text.startswith(starts), (type(record).__name__, field.name, text)
            key = (type(record).__name__, field.name)
            filled[key] = filled.get(key, False) or bool(texts)
    assert all(filled.values()), sorted(k for k, v in filled.items() if not v)


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_case_files_keep_the_text_exactly(payload, fmt):
    """A case file gives back every payload exactly, as text, in every field, ids included."""
    case = hostile_case(payload["text"])
    back = claimtrack.loads(claimtrack.dumps(case, fmt), fmt)
    assert back == case
    assert back.title == f"{payload['text']} case"


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_yaml_file_has_no_tag_or_alias_of_the_data(payload):
    """Data that looks like a YAML tag or alias is written as quoted text, never as one."""
    text = claimtrack.dumps(hostile_case(payload["text"]), "yaml")
    tokens = {type(token) for token in yaml.scan(text)}
    assert not tokens & {yaml.TagToken, yaml.AnchorToken, yaml.AliasToken}


@pytest.fixture(name="case_file", scope="module")
def _case_file(tmp_path_factory):
    """Each payload's case saved once, for the command line."""
    folder = tmp_path_factory.mktemp("hostile")
    paths = {}
    for n, payload in enumerate(PAYLOADS):
        paths[payload["name"]] = path = folder / f"case{n}.json"
        hostile_case(payload["text"]).save(path)
    return paths


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_assess_json_keeps_the_text(case_file, capsys, payload):
    """claimtrack assess --format json is valid JSON, and gives back the ids exactly."""
    assert main(["assess", str(case_file[payload["name"]]), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert_inert(out)  # JSON escapes every such character
    data = json.loads(out)
    claims = {a["claim"] for a in data["assessments"]}
    assert claims == {hostile_id(payload["text"], f"-{c}") for c in ("yes", "no", "far")}


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_assess_table_is_inert(case_file, capsys, payload):
    """The assessment table shows markup literally, each cell one line, no control byte through."""
    assert main(["assess", str(case_file[payload["name"]]), "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert_inert(out)
    if payload["name"] == "rich-markup":
        assert "[bold red]PWNED" in out
    if payload["name"] == "newlines":  # the claim's line breaks are spaces, not new rows
        assert not [line for line in out.splitlines() if line.lstrip().startswith("line two")]


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_assess_csv_is_safe_for_spreadsheets(case_file, capsys, payload):
    """claimtrack assess --format csv starts no cell with a formula prefix."""
    assert main(["assess", str(case_file[payload["name"]]), "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out, newline="")))
    assert len(rows) == 4
    assert_no_formula(rows)


def assert_no_formula(rows: list[list[str]]) -> None:
    """No cell starts as a spreadsheet formula, and every row is as wide as the header."""
    header, body = rows[0], rows[1:]
    for row in body:
        assert len(row) == len(header)
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_rich_print_of_records_is_inert(payload):
    """rich.print of every hostile record shows its text literally, with no character from the data."""
    case = hostile_case(payload["text"])
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, color_system="truecolor", legacy_windows=False)
    for record in (*_records(case), case, case.assess()[hostile_id(payload["text"], "-yes")]):
        console.print(record)
    out = buffer.getvalue()
    assert "\x1b" not in _SGR.sub("", out)  # rich's own styling is allowed, nothing else
    assert_inert(_SGR.sub("", out))


@pytest.fixture(name="reports", scope="module")
def _reports():
    """Each payload's case rendered once in every report format, whole and for one question."""
    from claimtrack.report import Report

    out = {}
    for payload in PAYLOADS:
        case = hostile_case(payload["text"])
        report = Report(case)
        # the other question: its conflict names a claim out of scope by its id
        scoped = Report(case, question=hostile_id(payload["text"], "-q2"))
        terminal = Console(
            file=io.StringIO(), width=120, color_system="truecolor", force_terminal=True
        )
        terminal.print(report)
        out[payload["name"]] = {
            "text": report.to_text(120),
            "terminal": terminal.file.getvalue(),  # type: ignore[attr-defined]
            "md": report.to_markdown(),
            "html": report.to_html(120),
            "svg": report.to_svg(120),
            "scoped text": scoped.to_text(120),
            "scoped md": scoped.to_markdown(),
        }
    return out


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
@pytest.mark.parametrize("fmt", ["text", "scoped text", "terminal"])
def test_report_text_is_inert(reports, payload, fmt):
    """The text report holds no character from the data a terminal acts on, and shows markup literally."""
    text = _SGR.sub("", reports[payload["name"]][fmt])  # the terminal's own colours aside
    assert "\x1b" not in text
    assert_inert(text)
    if payload["name"] == "rich-markup":
        assert "[bold red]PWNED[/bold red]" in text


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
@pytest.mark.parametrize("fmt", ["html", "svg"])
def test_report_html_and_svg_escape_tags(reports, payload, fmt):
    """No tag from the data opens in HTML or SVG, and no character from it is written raw."""
    out = reports[payload["name"]][fmt]
    assert_inert(out)
    for tag in ("<script", "<img", "</svg><svg", "<svg onload"):
        assert tag not in out


#: What GitHub-flavoured Markdown turns into a link by itself: a scheme's "://", "www."
#: and an e-mail address (the character before its "@" one an address can end with).
_AUTOLINK = re.compile(r"[A-Za-z]://|(?i:www\.)|[A-Za-z0-9.+\-_]@")


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
@pytest.mark.parametrize("fmt", ["md", "scoped md"])
def test_report_markdown_holds(reports, payload, fmt):
    """Every Markdown table keeps its columns; no raw tag, control byte or autolink is written."""
    out = reports[payload["name"]][fmt]
    assert_inert(out)
    assert "<script" not in out
    assert "<img" not in out
    assert not _AUTOLINK.findall(out)
    table: list[int] = []
    for line in [*out.splitlines(), ""]:
        if line.startswith("|"):
            table.append(line.replace("\\\\", "").replace("\\|", "").count("|"))
        elif table:
            assert len(set(table)) == 1, (payload["name"], table)
            table = []


def test_markdown_makes_no_link_under_github_rules(reports):
    """cmark-gfm, GitHub's own parser, makes no link of the data and shows it as written."""
    cmarkgfm = pytest.importorskip("cmarkgfm")
    markdown = reports["autolinks"]["md"]
    html = cmarkgfm.github_flavored_markdown_to_html(markdown)
    assert "<a " not in html
    shown = re.sub(r"<[^>]+>", "", html)
    assert "mail@evil.example" in shown
    assert "https://evil.example/a" in shown
    assert "www.evil.example" in shown


@pytest.fixture(name="exports", scope="module")
def _exports():
    """Each payload's case exported once in every interchange format, prov warnings as errors."""
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for p in PAYLOADS:
            case = hostile_case(p["text"])
            made = {
                to: render(case, to) for to in ("jsonl", "csv", "yaml", "claimreview", "prov-json")
            }
            made["prov-n"] = export.to_provn(case)
            out[p["name"]] = made
    return out


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
@pytest.mark.parametrize("to", ["jsonl", "claimreview", "prov-json"])
def test_json_exports_are_inert_and_exact(exports, payload, to):
    """JSON exports hold no raw control or format character, and read back to the exact text."""
    out = exports[payload["name"]][to]
    assert_inert(out)
    rows = [json.loads(line) for line in out.splitlines()] if to == "jsonl" else [json.loads(out)]
    assert f"{payload['text']} claim" in _strings(rows)


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
    rows = list(csv.reader(io.StringIO(exports[payload["name"]]["csv"], newline="")))
    assert len(rows) == 6
    assert_no_formula(rows)


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_yaml_export_reads_back_exactly(exports, payload):
    """The YAML export is the case file: it reads back to the same case."""
    case = hostile_case(payload["text"])
    assert claimtrack.loads(exports[payload["name"]]["yaml"], "yaml") == case


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_yaml_escapes_keep_the_text_inert_and_exact(payload):
    """Case files are written with YamlEscapes: every character of the rule escaped, read back."""
    case = hostile_case(payload["text"])
    text = claimtrack.dumps(case, "yaml")
    assert_inert(text)
    assert claimtrack.loads(text, "yaml") == case


def test_yaml_export_is_inert(exports):
    """The YAML export writes no bidi, zero-width or other format character raw."""
    raw = {p["name"]: unsafe(exports[p["name"]]["yaml"]) for p in PAYLOADS}
    assert not {name: chars for name, chars in raw.items() if chars}


def _spelled(text: str) -> str:
    """*text* as PROV-N gives it back: what PROV-N cannot escape spelled out, the rest exact."""
    from claimtrack._text import spelled

    return "".join(
        spelled(ch) if ch not in "\t\n\r\b\f" and unicodedata.category(ch) in _UNSAFE else ch
        for ch in text
    )


def _attributes(doc: object) -> set[tuple[str, str, object]]:
    """Each record's identifier, attribute names and values, as comparable triples."""
    return {
        (str(record.identifier), str(name), value if isinstance(value, str) else str(value))
        for record in doc.get_records()  # type: ignore[attr-defined]
        for name, value in record.attributes
    }


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_prov_n_is_inert_and_reads_back(exports, payload):
    """PROV-N carries no character of the rule raw, one string per line, and prov reads it back.

    The strings read back exactly where PROV-N has an escape; the rest reads back spelled out.
    """
    import prov

    out = exports[payload["name"]]["prov-n"]
    assert_inert(out)
    assert "\t" not in out
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        back = prov.read(io.StringIO(out), format="provn")
        exact = prov.read(io.StringIO(exports[payload["name"]]["prov-json"]), format="json")
    expected = {
        (ident, name, _spelled(value) if isinstance(value, str) else value)
        for ident, name, value in _attributes(exact)
    }
    assert _attributes(back) == expected
    assert f"{payload['text']} claim" in {v for _, _, v in _attributes(exact)}


def test_cli_writes_the_same_prov_n(exports):
    """claimtrack export --to prov-n writes what export.to_provn writes."""
    wrong = [
        p["name"]
        for p in PAYLOADS
        if render(hostile_case(p["text"]), "prov-n").rstrip("\n")
        != exports[p["name"]]["prov-n"].rstrip("\n")
    ]
    assert not wrong


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_evidence_and_attribution_ids_come_out_exact(exports, payload):
    """An evidence description and an attribution id read back exactly from the JSON exports."""
    text = payload["text"]
    row = json.loads(exports[payload["name"]]["jsonl"].splitlines()[0])
    assert row["attribution_id"] == hostile_id(text, "-att")
    assert row["based_on"] == hostile_id(text, "-clip")
    prov = _strings(json.loads(exports[payload["name"]]["prov-json"]))
    assert f"{text} evidence" in prov
    assert hostile_id(text, "-att") in prov


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_report_shows_evidence_and_ids_literally(reports, payload):
    """The report lists the evidence and the attribution's id, cleaned and escaped, as text."""
    from claimtrack.report._safe import md

    text = reports[payload["name"]]["text"]
    assert "Evidence ─" in text
    assert "rested on by" in text
    if payload["name"] == "rich-markup":
        assert f"{payload['text']} evidence" in " ".join(text.split())
    markdown = reports[payload["name"]]["md"]
    assert md(f"{payload['text']} evidence") in markdown
    assert f"(id {md(hostile_id(payload['text'], '-att'))})" in markdown
