"""The HTML report: one self-contained page of semantic HTML5, and the Jupyter displays.

The page is checked here as text (structure, themes, nothing fetched, data escaped); how
a browser shows it (scripts, folding, sorting, contrast, hostile text) is checked in
tests/test_browser.py.
"""

from __future__ import annotations

import io
import re

from pathlib import Path

import pytest

from rich.console import Console

import claimtrack

from claimtrack.cli import main
from claimtrack.report import Report
from claimtrack.report._report import html_fragment


ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "examples" / "iraq-2024" / "case.yaml"
EVIL = "<img src=x onerror=document.title='PWNED'>"
EXTERNAL = (
    r"<script[^>]+src=",
    r"<link[^>]+href=[\"']?https?:",
    r"@import",
    r"url\(\s*[\"']?https?:",
    r"<iframe",
    r"<img",
)


@pytest.fixture(name="seed", scope="module")
def _seed():
    return claimtrack.load(CASE)


@pytest.fixture(name="page", scope="module")
def _page(seed):
    return Report(seed).to_html(script=True)


def notes_case() -> claimtrack.Case:
    """A small case with a note on every kind of record, a relation and a superseded figure."""
    case = claimtrack.Case(title="Notes")
    case.add_source("a", "Agency", "news-agency", reliability="B", notes="NOTE-SOURCE")
    case.add_source("b", "Office", "official-body", reliability="C")
    case.add_document("da", "a", "Wire story", published="2024-03-01")
    case.add_document("db", "b", "Statement", published="2024-03-02")
    case.add_question("q", "What happened at the depot?", notes="NOTE-QUESTION")
    case.add_claim("x", "The depot burned", question="q", notes="NOTE-CLAIM")
    case.add_claim("y", "The depot was untouched", question="q")
    case.add_question("toll", "How many died?")
    case.add_claim("t1", "Three died", question="toll", value={"exactly": 3})
    case.add_claim("t2", "Five died", question="toll", value={"exactly": 5})
    case.attribute("x", "a", document="da", notes="NOTE-ATTRIBUTION")
    case.attribute("y", "b", document="db")
    case.attribute("t1", "a", document="da")
    case.attribute("t2", "a", document="db")
    case.relate("contradicts", "x", "y", by="a", reason="NOTE-REASON")
    case.relate("supersedes", "t2", "t1", reason="NOTE-LATER")
    return case


class TestPage:
    def test_semantic_and_self_contained(self, page):
        """Headings, sections, tables and <details>; no <pre> dump; nothing loaded from outside."""
        assert page.startswith("<!DOCTYPE html>")
        assert "<pre" not in page
        for tag in ("<main>", "<section", "<table", "<details", "<summary>", "<h2>", "<nav"):
            assert tag in page
        for pattern in EXTERNAL:
            assert not re.search(pattern, page, re.IGNORECASE), pattern
        assert "Content-Security-Policy" in page

    def test_themes_print_and_bars(self, page):
        """Light and dark themes, a print stylesheet, and probability as a bar next to words."""
        assert "prefers-color-scheme: dark" in page
        assert "@media print" in page
        assert 'class="bar" role="img" aria-label="probability 67%"' in page
        assert "likely · 67%" in page

    def test_anchors_for_every_question_claim_and_source(self, seed, page):
        """Every question, claim and source has an id to link to."""
        for qid in seed.questions:
            assert f'id="q-{qid}"' in page
        for cid in seed.claims:
            assert f'id="c-{cid}"' in page
        for sid in seed.sources:
            assert f'id="s-{sid}"' in page

    def test_script_only_when_asked_and_allowed_by_hash(self, seed, page):
        """The script comes only when asked for, and the page's policy lets it alone run."""
        assert "<script" not in Report(seed).to_html()
        policy = re.search(r'script-src ([^;"]+)', page)
        assert policy
        assert "'sha256-" in policy.group(1)
        assert "'unsafe-inline'" not in policy.group(1)

    def test_key_judgements_first(self, seed, page):
        """The key judgements come before the first question's section, one row per question."""
        assert page.index('id="key-judgements"') < page.index('class="question"')
        rows = page.count('<tr class="judgement">')
        assert rows == len(seed.questions)

    def test_summary_only(self, seed):
        """--summary in HTML: the key judgements table alone."""
        page = Report(seed, summary=True).to_html()
        assert 'id="key-judgements"' in page
        assert 'class="question"' not in page

    def test_every_note_shown(self):
        """Notes on sources, questions, claims and attributions, relations' reasons, history."""
        page = Report(notes_case()).to_html()
        for mark in ("NOTE-SOURCE", "NOTE-QUESTION", "NOTE-CLAIM", "NOTE-ATTRIBUTION"):
            assert mark in page
        assert "NOTE-REASON" in page
        assert "NOTE-LATER" in page
        assert "superseded by" in page
        assert "toll:A" in page

    def test_hostile_text_escaped(self):
        """Markup from the data is escaped text; control characters are spelled out."""
        case = claimtrack.Case(title="<script>document.title='PWNED'</script>")
        case.add_source("e", EVIL, "outlet", notes="<svg onload=alert(1)>\x1b[31m")
        case.add_claim("z", "<svg onload=document.title='PWNED'>", notes="</details><b>x")
        case.attribute("z", "e")
        page = Report(case).to_html(script=True)
        assert "<img" not in page
        assert "<svg" not in page
        assert "<script>document" not in page
        assert "&lt;img src=x onerror=" in page
        assert "\\x1b[31m" in page
        assert "\x1b" not in page


class TestJupyter:
    def test_fragments(self, seed):
        """Case, Report, Assessment and Assessments display as HTML from the same templates."""
        assessments = seed.assess()
        one = next(iter(assessments.values()))
        for obj in (seed, Report(seed, question="truce"), assessments, one):
            fragment = html_fragment(obj)
            assert fragment.startswith('<div class="ct')
            assert "<pre" not in fragment
            assert "<script" not in fragment
            assert 'class="bar"' in fragment or obj is seed
        assert "Iraq 2024" in seed._repr_html_()
        assert "truce" in Report(seed, question="truce")._repr_html_()
        # Jupyter calls _repr_html_ itself: each class has one, the same fragment
        assert assessments._repr_html_() == html_fragment(assessments)
        assert one._repr_html_() == html_fragment(one)

    def test_anything_else_is_a_pre_block(self, seed):
        """Other renderables still show as their terminal view."""
        assert html_fragment(seed.sources["shafaq-news"]).startswith("<pre")


class TestCli:
    def test_summary_is_short_and_names_every_question(self, seed, capsys):
        """report --summary prints at most three lines per question, and each question."""
        assert main(["report", str(CASE), "--summary", "--format", "text", "--width", "160"]) == 0
        out = capsys.readouterr().out
        assert len(out.splitlines()) <= 3 * len(seed.questions) + 2
        for qid in seed.questions:
            assert f"▸ {qid} " in out

    def test_sort(self, capsys):
        """--sort conflicts puts the questions with most conflicts first."""
        assert (
            main(["report", str(CASE), "--summary", "--format", "text", "--sort", "conflicts"]) == 0
        )
        lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("▸")]
        counts = [int(re.search(r"(\d+) conflicts?", line).group(1)) for line in lines]
        assert counts == sorted(counts, reverse=True)
        assert (
            main(["report", str(CASE), "--summary", "--sort", "confidence", "--format", "md"]) == 0
        )
        assert "## Key judgements" in capsys.readouterr().out

    def test_html_page_has_the_script(self, tmp_path):
        """--format html writes the page with its folding and sorting script."""
        out = tmp_path / "r.html"
        assert main(["report", str(CASE), "--format", "html", "-o", str(out)]) == 0
        page = out.read_text(encoding="utf-8")
        assert "<script>" in page
        assert "<pre" not in page

    def test_assess_compact_fits_100_columns(self):
        """The assess table is one line per row at 100 columns; --wide is the wrapped table."""
        from claimtrack.report import assessment_table

        case = claimtrack.load(CASE)
        result = case.assess()
        console = Console(file=io.StringIO(), width=100, color_system=None, legacy_windows=False)
        console.print(assessment_table(case, result))
        lines = console.file.getvalue().splitlines()
        assert max(len(line) for line in lines) <= 100
        # one line per claim and per question (or group without one), title, header, rule
        groups = len({a.question for a in result.values()})
        assert len([line for line in lines if line.strip()]) == len(case.claims) + groups + 3
        assert "likely · 67% · low · B3" in "\n".join(lines)
        console = Console(file=io.StringIO(), width=100, color_system=None, legacy_windows=False)
        console.print(assessment_table(case, result, wide=True))
        assert "pro/con" in console.file.getvalue()

    def test_assess_compact_at_80_columns_is_proportionate(self):
        """At 80 columns every row is one line, each badge whole, and the text gets its share.

        The longest badge of the example takes 36 cells; the ids give way (to a fifth of the
        line at most) and the table drops its outer margins, so that the claim's text gets
        more room than the ids: before, it had 12 cells to the ids' 22.
        """
        from claimtrack.report import assessment_table

        case = claimtrack.load(CASE)
        result = case.assess()
        console = Console(file=io.StringIO(), width=80, color_system=None, legacy_windows=False)
        console.print(assessment_table(case, result))
        lines = console.file.getvalue().splitlines()
        assert max(len(line) for line in lines) <= 80
        groups = len({a.question for a in result.values()})
        assert len([line for line in lines if line.strip()]) == len(case.claims) + groups + 3
        header = next(line for line in lines if line.startswith("claim "))
        text, badge = header.index("text"), header.index("badge")
        assert text <= 80 // 5 + 2  # the ids: a fifth of the line, and the gap
        assert badge - text >= 24 + 2  # the text: more than the ids, a third of the line
        assert badge - text > text
        assert 80 - badge == max(len(a.badge) for a in result.values())
        for a in result.values():
            assert any(line.rstrip().endswith(a.badge) for line in lines), a.badge
