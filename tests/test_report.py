"""The report: side-by-side answers with provenance, in every format, and hostile text kept as text.

Golden files live in tests/data/golden/. After an intended change to the report (or to the
engine's numbers, or the example case), regenerate them and review the diff:

    CLAIMTRACK_UPDATE_GOLDEN=1 .venv-test/bin/python -m pytest tests/test_report.py

The images in docs/images/ are regenerated with ``python docs/render_images.py``.
"""

from __future__ import annotations

import html.parser
import io
import os
import re
import runpy
import struct
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET

from datetime import UTC, datetime
from pathlib import Path

import pytest

from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from rich.console import Console

import claimtrack

from claimtrack.cli import main
from claimtrack.report import Report, clean
from claimtrack.report._safe import md


ROOT = Path(__file__).parent.parent
CASE = ROOT / "examples" / "iraq-2024" / "case.yaml"
GOLDEN = Path(__file__).parent / "data" / "golden"
UPDATE = bool(os.environ.get("CLAIMTRACK_UPDATE_GOLDEN"))

HOSTILE = (
    "[bold red]PWNED[/] \x1b[31mred\x1b[0m \x1b]0;title\x07 <script>alert(1)</script> "
    "a|b `x` \u202eevil"
)
EXTRA = (
    " [link=https://evil.example]click[/link] \x1b]8;;https://evil.example\x07link\x1b]8;;\x07"
    " \x9b31m c1 \x85 nel \x00 nul \x7f del \u200b zw \u2066iso\u2069 *em* _u_ # h"
    " &amp; <img src=x onerror=alert(2)> " + "L" * 400 + " عاجل: الهدنة"
)
BAD_BYTES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(name="seed", scope="module")
def _seed():
    return claimtrack.load(CASE)


@pytest.fixture(name="truce", scope="module")
def _truce(seed):
    return Report(seed, question="truce")


def hostile_case(extra: str = EXTRA) -> claimtrack.Case:
    """A case whose every text field carries markup, escapes, tags, pipes and invisibles."""
    h = HOSTILE + extra
    case = claimtrack.Case(title="Case " + h, description="About " + h)
    case.add_source("outlet", "Outlet " + h, "outlet", reliability="B", role="Role " + h)
    case.add_source("person", "Person " + h, "person", aliases=["Alias " + h])
    case.add_source("other", "Other " + h, "outlet")
    case.add_document(
        "doc", "outlet", "Document " + h, published="2024-01-02", text="Some text without it."
    )
    case.add_document("doc2", "other", "Second " + h, published="2024-01-05")
    case.add_question("q", "Question " + h)
    case.add_claim("yes", "Claim " + h, question="q")
    case.add_claim("no", "Rival " + h, question="q")
    case.add_claim("loose", "Loose " + h)
    case.attribute("yes", "person", document="doc", via=["outlet"], quote="Quote " + h)
    case.attribute("no", "other", document="doc2", quote="Other quote " + h, mode="purported")
    case.attribute("yes", "person", "denies", document="doc2", via=["other"])
    case.attribute("loose", "outlet", document="doc", quote="Loose quote " + h)
    case.relate("contradicts", "yes", "no", reason="Reason " + h)
    return case


def text_rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("|")]


def unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line.replace("\\\\", "")))


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs; see the module docstring"


class TestSeed:
    def test_truce_side_by_side(self, truce):
        """The National's claim and Fadhem's statement sit side by side, each with badge, chain, quote and date."""
        text = truce.to_text(100)
        side = [line for line in text.splitlines() if "The National (B)" in line]
        assert any("Hassan Fadhem (F)" in line for line in side)
        for needle in (
            "likely · 67% · low · B3",
            "unlikely · 25% · low · F4",
            "Shafaq News → Hassan Fadhem",
            "“a longstanding truce”",
            "“There wasn't a formal truce”",
            "2024-04-22",
            "2024-07-31",
        ):
            assert needle in text

    def test_answers_ordered_by_probability(self, seed, truce):
        """Answers come most probable first, and their badges are the engine's."""
        assessments = seed.assess()
        section = truce.content.sections[0]
        probabilities = [a.assessment.probability for a in section.answers]
        assert probabilities == sorted(probabilities, reverse=True)
        for answer in section.answers:
            assert answer.assessment == assessments[answer.claim.id]
            assert answer.assessment.badge in truce.to_text(100)

    def test_golden_text(self, truce):
        """The truce question renders at 100 columns exactly as the golden file."""
        check_golden("report-truce-100.txt", truce.to_text(100))

    def test_golden_markdown(self, seed):
        """The whole case renders to Markdown exactly as the golden file."""
        check_golden("report-iraq-2024.md", Report(seed).to_markdown())

    def test_whole_case_has_every_question_and_loose_claims(self, seed):
        """The whole-case report has a section per question and one for claims without a question."""
        report = Report(seed)
        text = report.to_text(120)
        for q in seed.questions.values():
            assert q.text in text.replace("\n", " ") or q.id in text
        assert "Claims that answer no question" in text
        loose = [c for c in seed.claims.values() if c.question is None]
        assert len(report.content.sections[-1].answers) == len(loose)

    def test_header_counts(self, seed, truce):
        """The header counts the case's records and the engine's independent origins, and the span."""
        origins = {v.origin for a in seed.assess().values() for v in a.votes}
        text = truce.to_text(120)
        assert (
            f"{len(seed.sources)} sources · {len(seed.documents)} documents · "
            f"{len(seed.questions)} questions · {len(seed.claims)} claims · "
            f"{len(seed.attributions)} attributions · {len(origins)} independent origins"
        ) in text
        assert "Documents published 2024-04-22 to 2024-07-31" in text

    def test_matrix(self, truce):
        """Each source's row has its stance under the answer it spoke on, and a dash elsewhere."""
        lines = truce.to_text(100).splitlines()
        fadhem = next(line for line in lines if line.strip().startswith("Hassan Fadhem (F)"))
        assert re.search(r"Hassan Fadhem \(F\)\s+—\s+✔ asserts", fadhem)

    def test_conflicts_quote_both_sides(self, truce):
        """The declared truce conflict quotes each side's strongest attribution on one line."""
        text = truce.to_text(140)
        assert "Conflict 1 (declared): truce:A1 ⟂ truce:A2" in text
        line = next(
            line
            for line in text.splitlines()
            if "“a longstanding truce”" in line and "│" in line[2:] and "formal truce" in line
        )
        assert line

    def test_warnings_in_scope(self, seed):
        """Purported and interested-party warnings appear for the question they concern."""
        text = Report(seed, question="kh-resumption").to_text(120)
        assert "⚠ purported" in text
        assert "interested party" in text
        assert "Kataib Hezbollah" in text
        truce = Report(seed, question="truce").to_text(120)
        assert "interested party" not in truce.split("Warnings")[1].split("Legend")[0]

    def test_figures(self, seed):
        """A numeric question shows the engine's low, best and high figures."""
        assert "Figures: low 4 · best 4 · high 4 people" in Report(
            seed, question="babil-toll"
        ).to_text(100)

    def test_unknown_question(self, seed):
        """An unknown question id is refused with the closest id suggested."""
        with pytest.raises(ValueError, match="no question 'truse' \\(did you mean 'truce'\\?\\)"):
            Report(seed, question="truse")

    def test_own_assessments(self, seed):
        """The report shows the assessments it is given, not its own."""
        settings = claimtrack.Settings(accuracy=claimtrack.Accuracy(F=0.9))
        mine = seed.assess(settings)
        text = Report(seed, mine, question="truce").to_text(100)
        assert mine["no-formal-truce"].badge in text
        assert mine["no-formal-truce"].badge != seed.assess()["no-formal-truce"].badge

    @pytest.mark.parametrize("width", [80, 100, 140, 200])
    def test_widths(self, seed, width):
        """At every width no line overflows, and as many answers sit side by side as fit."""
        report = Report(seed, question="retaliation")
        text = report.to_text(width)
        assert max(len(line) for line in text.splitlines()) <= width
        # a label is followed by its border, or by the mark of a leader resting on one origin
        first = next(line for line in text.splitlines() if "─ A1 " in line)
        per_row = min(5, width // 38)
        assert all(f"─ A{n} " in first for n in range(1, per_row + 1))
        assert f"─ A{per_row + 1} " not in first

    def test_svg_and_html(self, truce):
        """SVG parses as XML with the title; HTML is a page with a title and the report."""
        svg = truce.to_svg(100, title="Truce <report>")
        root = ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input
        assert root.tag.endswith("svg")
        assert "Truce&#160;&lt;report&gt;" in svg
        assert "Hassan&#160;Fadhem" in svg
        assert truce.to_svg(100) == truce.to_svg(100)
        page = truce.to_html(100)
        assert page.startswith("<!DOCTYPE html>")
        assert "<title>Iraq 2024</title>" in page
        assert "<pre" not in page
        assert "<table" in page
        assert "<details" in page
        assert "Hassan Fadhem" in page

    def test_jupyter(self, seed, truce):
        """Case and Report display as HTML fragments in Jupyter."""
        for obj in (seed, truce):
            fragment = obj._repr_html_()
            assert fragment.startswith('<div class="ct')
            assert "Iraq 2024" in fragment
            assert "<script" not in fragment

    def test_quote_checks(self, seed):
        """With the texts, quotes are marked as found; without, as not checked, with a warning."""
        text = Report(seed, question="truce").to_text(120)
        assert "not checked" in text
        assert "could not be checked" in text

    def test_orphaned_quote(self):
        """A quote missing from its document's text is marked and warned about."""
        case = hostile_case("")
        text = Report(case, question="q").to_text(120)
        assert "✗ NOT in text" in text
        assert "quote not found" in text


def render_terminal(report, width=120):
    console = Console(
        file=io.StringIO(),
        width=width,
        color_system="truecolor",
        force_terminal=True,
        legacy_windows=False,
    )
    console.print(report)
    return console.file.getvalue()


@pytest.fixture(name="report", scope="module")
def _hostile_report():
    return Report(hostile_case())


class TestHostile:
    def test_text(self, report):
        """Plain text shows markup literally and holds no control or invisible character."""
        text = report.to_text(140)
        assert "red]PWNED[/]" in text
        assert "[link=https://evil.example]click[/link]" in text
        assert "\\x1b[31mred" in text
        assert "\\u202eevil" in text
        assert "\\x9b31m" in text
        assert "عاجل: الهدنة" in text
        assert not BAD_BYTES.search(text)

    def test_terminal(self, report):
        """In colour, the only escape sequences are rich's own SGR codes: no OSC, no data escapes."""
        out = render_terminal(report)
        assert not re.sub(r"\x1b\[[0-9;]*m", "", out).count("\x1b")
        assert not BAD_BYTES.search(re.sub(r"\x1b\[[0-9;]*m", "", out))
        assert "\x1b]" not in out
        assert "red]PWNED[/]" in out

    def test_html(self, report):
        """HTML escapes every tag from the data; the literal text is what a browser shows."""
        page = report.to_html(140)
        assert "<script>alert" not in page
        assert "<img" not in page
        assert not BAD_BYTES.search(page)

        class Tags(html.parser.HTMLParser):
            def __init__(self):
                super().__init__()
                self.tags: set[str] = set()
                self.text: list[str] = []

            def handle_starttag(self, tag, attrs):
                self.tags.add(tag)

            def handle_data(self, data):
                self.text.append(data)

        parser = Tags()
        parser.feed(page)
        allowed = {"html", "head", "meta", "title", "style", "body", "main", "header", "nav"}
        allowed |= {"section", "article", "details", "summary", "h1", "h2", "h3", "p", "i", "b"}
        allowed |= {"table", "caption", "thead", "tbody", "tr", "th", "td", "dl", "dt", "dd"}
        allowed |= {"ul", "ol", "li", "a", "span", "code", "q", "cite", "time", "abbr", "div"}
        allowed |= {"br"}
        assert parser.tags <= allowed, parser.tags - allowed
        shown = "".join(parser.text)
        assert "<script>alert(1)</script>" in shown
        assert "[bold red]PWNED[/]" in shown

    def test_svg(self, report):
        """The SVG parses as XML, its title escaped, with no script element or raw tag from data."""
        svg = report.to_svg(140)
        assert "<script>alert" not in svg
        assert not BAD_BYTES.search(svg)
        root = ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input
        tags = {el.tag.split("}")[-1] for el in root.iter()}
        assert tags <= {"svg", "style", "defs", "clipPath", "rect", "g", "text", "circle"}

    def test_markdown(self, report):
        """Markdown tables keep their shape, and the rendered page shows the data as text."""
        markdown = report.to_markdown()
        assert "<script>alert" not in markdown
        assert not BAD_BYTES.search(markdown)
        table: list[int] = []
        for line in [*markdown.splitlines(), ""]:
            if line.startswith("|"):
                table.append(unescaped_pipes(line))
                assert "a|b" not in line.replace("\\|", "")
            elif table:
                assert len(set(table)) == 1, table
                table = []
        rendered = MarkdownIt("commonmark").enable("table").render(markdown)
        assert "<script" not in rendered
        assert "<img" not in rendered
        assert "<a " not in rendered
        assert "[bold red]PWNED[/]" in rendered
        assert "a|b" in rendered
        assert "`x`" in rendered
        assert "<em>" not in rendered.split("<h2>Legend</h2>")[0].split("</h1>", 1)[1].replace(
            "<em>About", ""
        )

    def test_records_print_safely(self):
        """Each record's rich view shows hostile text literally, with no data escape."""
        case = hostile_case()
        records = [
            case,
            case.sources["person"],
            case.questions["q"],
            case.claims["yes"],
            case.attributions[0],
            case.assess()["yes"],
        ]
        for record in records:
            out = render_terminal(record)
            plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
            assert "\x1b" not in plain
            assert not BAD_BYTES.search(plain)
            assert "[bold red]" in plain.replace("\n", "") or "red]" in plain

    @pytest.mark.parametrize("fmt", ["text", "html", "md", "svg"])
    def test_cli(self, tmp_path, fmt):
        """The command line, run as the outside check runs it, gives safe output in each format."""
        path = tmp_path / "h.yaml"
        hostile_case(" \u200b").save(path)
        env = {**os.environ, "NO_COLOR": "1"}
        r = subprocess.run(
            [
                sys.executable,
                "-m",
                "claimtrack",
                "report",
                str(path),
                "--format",
                fmt,
                "--width",
                "140",
            ],
            capture_output=True,
            check=False,
            env=env,
        )
        assert r.returncode == 0, r.stderr
        out = r.stdout.decode()
        if fmt == "text":
            assert "red]PWNED[/]" in out
            assert b"\x1b" not in r.stdout
            assert b"\x07" not in r.stdout
        else:
            assert "<script>alert" not in out
        if fmt == "md":
            assert not [line for line in text_rows(out) if "a|b" in line.replace("\\|", "")]


MARKUPISH = st.lists(
    st.one_of(
        st.sampled_from(list("|\\`*_[]<>&#-+.1 \n\x1b\u202e\u2028:/w@a")),
        st.sampled_from(["://", "www.", "a@b.c", "http", "W"]),
        st.characters(),
    )
).map("".join)
#: What GitHub-flavoured Markdown makes a link of by itself (its extended autolinks).
AUTOLINK = re.compile(r"[A-Za-z]://|(?i:www\.)|[A-Za-z0-9.+\-_]@")


class TestClean:
    @given(MARKUPISH)
    def test_no_control_or_format_character_survives(self, value):
        """Nothing cleaned holds a control, format, separator or surrogate character, or a line break."""
        out = clean(value)
        assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") for ch in out)
        assert "  " not in out
        assert out == out.strip()

    @given(MARKUPISH)
    def test_markdown_cell_never_breaks_a_row(self, value):
        """Any text escaped for Markdown adds no unescaped pipe and no line break."""
        cell = md(value)
        assert unescaped_pipes(f"| {cell} |") == 2
        assert "\n" not in cell
        assert "<" not in cell

    @given(MARKUPISH)
    def test_markdown_makes_no_autolink(self, value):
        """No URL, www. name or e-mail address in the data is left for GFM to make a link of."""
        assert not AUTOLINK.search(md(value))

    def test_markdown_breaks_autolinks_and_keeps_the_text(self):
        """The colon of ://, the dot of www. are escaped and the @ of an address set as code."""
        assert md("see https://a.example/x, www.b.example, WWW.C.example") == (
            "see https\\://a.example/x, www\\.b.example, WWW\\.C.example"
        )
        assert md("mail a.b-c@d.example or mailto:x@y.z, @name, 1 @ 2") == (
            "mail a.b-c`@`d.example or mailto:x`@`y.z, @name, 1 @ 2"
        )
        assert md("user_name@x.org") == "user\\_name`@`x.org"
        rendered = MarkdownIt("commonmark").render(md("a https://x.org www.y.org b@z.org"))
        assert rendered == "<p>a https://x.org www.y.org b<code>@</code>z.org</p>\n"

    def test_printable_text_is_kept(self):
        """Ordinary text, Arabic and emoji are shown as written."""
        for value in ("Shafaq News → Hassan Fadhem", "عاجل: الهدنة", "✔ 🚀", "a [b] c"):
            assert clean(value) == value


def test_assessment_table_cells_are_one_line():
    """The assess table shows a claim with line breaks and separators on one line, escapes spelled out."""
    from claimtrack.report._tables import assessment_table

    case = claimtrack.Case(title="T\u2028itle\nx")
    case.add_source("s", "S", "outlet")
    case.add_question("q\u202e", "Q?")
    case.add_claim("c", "one\ntwo\u2028three\u2029four\r\nfive \x1b[31m", question="q\u202e")
    case.attribute("c", "s")
    console = Console(file=io.StringIO(), width=200, color_system=None, legacy_windows=False)
    console.print(assessment_table(case, case.assess(), wide=True))
    out = console.file.getvalue()
    assert "one two three four five \\x1b[31m (q\\u202e)" in out
    assert "T itle x" in out
    assert not BAD_BYTES.search(out)
    assert "\u2028" not in out
    assert "\u2029" not in out


class TestCli:
    def test_formats_and_output_file(self, tmp_path, capsys):
        """Every format is written, to stdout or atomically to -o, the text without escapes."""
        for fmt, needle in (
            ("text", "Fadhem"),
            ("md", "| A1 |"),
            ("html", "<table"),
            ("svg", "<svg"),
        ):
            out = tmp_path / f"r.{fmt}"
            assert (
                main(["report", str(CASE), "--question", "truce", "--format", fmt, "-o", str(out)])
                == 0
            )
            assert needle in out.read_text(encoding="utf-8")
        assert capsys.readouterr().out == ""
        assert main(["report", str(CASE), "--format", "text", "--width", "140"]) == 0
        text = capsys.readouterr().out
        assert "\x1b" not in text
        assert "truce" in text
        assert "National" in text
        assert re.search(r"\d+%", text)
        assert "likely" in text

    def test_terminal_not_a_tty_has_no_colour(self, capsys):
        """The default terminal format writes no escape when stdout is not a terminal."""
        assert main(["report", str(CASE), "--question", "truce", "--width", "90"]) == 0
        out = capsys.readouterr().out
        assert "\x1b" not in out
        assert max(len(line) for line in out.splitlines()) <= 90

    def test_unknown_question_exits_one(self, capsys):
        """An unknown question exits 1 with a clear message on stderr."""
        assert main(["report", str(CASE), "--question", "truse"]) == 1
        err = capsys.readouterr().err
        assert "no question 'truse' (did you mean 'truce'?)" in err

    def test_unknown_format_is_a_usage_error(self, capsys):
        """An unknown format exits 2."""
        assert main(["report", str(CASE), "--format", "pdf"]) == 2
        assert "invalid choice" in capsys.readouterr().err

    def test_bad_case_exits_one_with_problems(self, tmp_path, capsys):
        """A case with errors exits 1 with its problems on stderr, as check prints them."""
        bad = tmp_path / "bad.yaml"
        bad.write_text(CASE.read_text().replace("source: hassan-fadhem", "source: hasan-fadhem", 1))
        assert main(["report", str(bad)]) == 1
        out, err = capsys.readouterr()
        assert out == ""
        assert "unknown source 'hasan-fadhem'" in err

    def test_unwritable_output(self, tmp_path, capsys):
        """An output file that cannot be written exits 1 naming it."""
        target = tmp_path / "missing" / "r.md"
        assert main(["report", str(CASE), "--format", "md", "-o", str(target)]) == 1
        assert str(target) in capsys.readouterr().err


def test_rich_is_not_imported_with_the_model():
    """Importing claimtrack, loading and assessing a case imports no rich module."""
    code = (
        "import sys, claimtrack; c = claimtrack.load(sys.argv[1]); c.assess(); "
        "print(any(m == 'rich' or m.startswith('rich.') for m in sys.modules))"
    )
    r = subprocess.run(
        [sys.executable, "-c", code, str(CASE)], capture_output=True, text=True, check=True
    )
    assert r.stdout.strip() == "False"


def test_docs_images_are_fresh():
    """The SVGs in docs/images/ and the screenshots' stamp are what docs/render_images.py renders now."""
    render = runpy.run_path(str(ROOT / "docs" / "render_images.py"))["render"]
    images = render()
    assert {p.name for p in images} >= {"report-summary.svg", "report-html.sha256"}
    for path, data in images.items():
        assert path.read_bytes() == data, f"{path.name} is stale: run python docs/render_images.py"


def test_docs_screenshots_are_of_the_page_rendered_now():
    """The HTML screenshots were taken of the page the library renders now, at 1200 × 900.

    A browser's pixels differ between machines, so the screenshots are pinned by their
    input: the stamp beside them holds the SHA-256 of the page they show, and that page is
    the same in every process (no date of the day, no order from hashing).
    """
    script = ROOT / "docs" / "render_images.py"
    images = runpy.run_path(str(script))
    page = images["page"]()
    assert images["STAMP"].read_bytes() == images["stamp"](page), (
        f"{images['STAMP'].name} is stale: run python docs/render_images.py"
    )
    code = "import runpy, sys; sys.stdout.write(runpy.run_path(sys.argv[1])['page']())"
    for seed in ("1", "2"):
        r = subprocess.run(
            [sys.executable, "-c", code, str(script)],
            capture_output=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert r.stdout.decode("utf-8") == page
    assert datetime.now(UTC).date().isoformat() not in page
    assert "<script>" in page  # the page as --format html writes it
    for name in images["SCREENSHOTS"]:
        data = (ROOT / "docs" / "images" / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", name
        assert struct.unpack(">II", data[16:24]) == (1200, 900), name


def test_report_namespace():
    """claimtrack.report exports exactly these names."""
    import claimtrack.report

    assert claimtrack.report.__all__ == ["DEFAULT_WIDTH", "Report", "assessment_table", "clean"]
    assert set(claimtrack.report.__all__) <= set(dir(claimtrack.report))


def test_records_print_their_facts(seed):
    """rich.print of each record shows what a reader needs: names, badge, chain and quote."""
    fadhem = next(a for a in seed.attributions if a.claim == "no-formal-truce")
    expected = [
        (seed, "likely · 67% · low · B3"),
        (seed.sources["hassan-fadhem"], "Coordination Framework leader"),
        (seed.questions["truce"], "exclusive"),
        (seed.claims["toll-at-least-four"], "at least 4 people"),
        (fadhem, "“There wasn't a formal truce”"),
        (seed.assess()["truce-existed"], "likely · 67% · low · B3"),
    ]
    for record, needle in expected:
        console = Console(width=120, color_system=None, legacy_windows=False, record=True)
        console.print(record)
        assert needle in console.export_text(), type(record).__name__


def test_a_brief_gathering_gives_the_same_key_judgements():
    """The key judgements alone (--summary) gather less, and say the same as the whole report."""
    from claimtrack.report._content import gather

    case = claimtrack.load(Path(__file__).parent.parent / "examples" / "iraq-2024" / "case.yaml")
    result = case.assess()
    for sort in ("case", "confidence", "conflicts"):
        whole = gather(case, result, sort=sort)
        brief = gather(case, result, sort=sort, brief=True)

        def judged(content):
            return [
                (
                    j.section.question.id if j.section.question else None,
                    j.leader.key if j.leader else None,
                    j.rival.key if j.rival else None,
                    j.backers,
                    j.conflicts,
                    j.warnings,
                    j.fragile,
                    j.superseded,
                )
                for j in content.summary
            ]

        assert judged(brief) == judged(whole)
        assert any(j.backers for j in whole.summary)  # the rival's backers are compared
        for j in brief.summary:  # ... with the rival's own votes, read one claim at a time
            votes = j.rival.assessment.votes if j.rival else ()
            asserting = [v.origin for v in votes if v.stance is claimtrack.Stance.ASSERTS]
            assert j.backers == tuple(case.sources[o].name for o in asserting)
        origins = {v.origin for a in result.values() for v in a.votes}
        assert brief.counts == whole.counts
        assert brief.counts.origins == len(origins)
        assert not brief.sources
        assert all(not a.origins for s in brief.sections for a in s.answers)
    full = claimtrack.report.Report(case, result).to_markdown()
    alone = claimtrack.report.Report(case, result, summary=True).to_markdown()
    assert alone.split("\n", 2)[2].strip() in full
