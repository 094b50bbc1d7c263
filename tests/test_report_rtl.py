"""Right-to-left text keeps the boxes of the terminal report and its SVG square.

Arabic names, titles, claims and quotes, with vowel marks, a lam-alef and Latin and Arabic
digits mixed in, go through the report; in every line of every box the right border must
stand in the same cell column as the box's top corner. Columns are counted as rich counts
them, with :func:`rich.cells.cell_len`, the measure the report lays its boxes out by.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

from collections import defaultdict

import pytest

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

import claimtrack

from claimtrack.report import Report
from claimtrack.report._svg import CHAR_WIDTH


NS = "{http://www.w3.org/2000/svg}"
# corners and tees that open a column of border, what closes it, and what continues it
OPENS = set("╭╮╔╗┏┓┌┐┬╤╦┳")
CLOSES = set("╰╯╚╝┗┛└┘┴╧╩┻")
SIDES = set("│║┃├┤┼╟╢╠╣┠┨╞╡")

# the Security Media Cell, and the news agency Shafaq News, reporting on a strike in Baghdad
ARABIC = [
    {
        "cell": "خلية الإعلام الأمني",
        "claim": "نفذت طائرة مسيرة أمريكية الضربة على سيارة في حي المشتل شرق بغداد",
        "title": "بيان خلية الإعلام الأمني حول الهجوم",
        "quote": "استهدفت طائرة مسيرة سيارة",
        "question": "من نفذ الهجوم؟",
    },
    {  # vowel marks (zero cells each), lam-alef, tatweel, Arabic-Indic digits, ligatures
        "cell": "خَلِيَّةُ الإِعْلَامِ الأَمْنِيِّ",
        "claim": "قُتِلَ ٤ أشخاص على الأقل، لا ٥ ـــ كما قيل ﷺ",  # noqa: RUF001 - Arabic digits
        "title": "بيان ﻻ ﻼ رقم ١٢٣",
        "quote": "قال: «لا» ٤ قتلى",
        "question": "كم عدد القتلى؟",
    },
    {  # Arabic and Latin in one line
        "cell": "Security Media Cell خلية الإعلام الأمني (SMC)",
        "claim": "At least 4 killed قُتِلَ أربعة على الأقل in Baghdad بغداد",
        "title": "Statement بيان 2024",
        "quote": "mixed مختلط text",
        "question": "Who? مَن؟",
    },
]


def arabic_case(texts: dict[str, str]) -> claimtrack.Case:
    """Two Arabic-named sources, one question, two rival answers, a denial and a quote."""
    case = claimtrack.Case(title="قضية بغداد", description="ضربة في بغداد")
    case.add_source("smc", texts["cell"], "official-body", reliability="B", role="المتحدث")
    case.add_source("shafaq", "شفق نيوز", "news-agency", reliability="C")
    case.add_document("d1", "smc", texts["title"], published="2024-02-07")
    case.add_document("d2", "shafaq", "عاجل: انفجار في بغداد", published="2024-02-08")
    case.add_question("q", texts["question"], notes="ملاحظة المحلل")
    case.add_claim("a", texts["claim"], question="q", notes="ملاحظة")
    case.add_claim("b", "لم تكن هناك ضربة جوية بل انفجار عرضي", question="q")
    case.attribute("a", "smc", document="d1", quote=texts["quote"], notes="من البيان")
    case.attribute("b", "shafaq", document="d2")
    case.attribute("a", "shafaq", document="d2", stance="denies", via=["smc"])
    return case


Row = dict[int, str]


def text_rows(text: str) -> list[Row]:
    """Each line of *text* as its characters by the cell column they start at."""
    rows = []
    for line in text.splitlines():
        row, column = {}, 0
        for ch in line:
            row[column] = ch
            column += cell_len(ch)
        rows.append(row)
    return rows


def svg_rows(image: str) -> list[Row]:
    """Each line of an SVG report as its characters by cell column, from the x of its texts."""
    lines: defaultdict[float, Row] = defaultdict(dict)
    for element in ET.fromstring(image).iter(f"{NS}text"):  # noqa: S314 - our own output
        if element.get("class", "").endswith("-title"):
            continue
        column = round(float(element.get("x", "0")) / CHAR_WIDTH)
        for ch in element.text or "":
            lines[float(element.get("y", "0"))][column] = ch
            column += cell_len(ch)
    return [lines[y] for y in sorted(lines)]


def misaligned(rows: list[Row]) -> list[tuple[int, int, str]]:
    """Where a box's border is missing from its column: (line, column, what stands there).

    A line with corners opens a column at each; every following line must hold a border
    character in each open column, until a closing corner shuts it.
    """
    wrong = []
    open_columns: set[int] = set()
    for n, row in enumerate(rows):
        for column in sorted(open_columns):
            ch = row.get(column, " ")
            if ch in CLOSES:
                open_columns.discard(column)
            elif ch not in SIDES:
                wrong.append((n, column, ch))
        if not open_columns:
            open_columns = {column for column, ch in row.items() if ch in OPENS}
    return wrong


def boxes(rows: list[Row]) -> int:
    """How many boxes the lines open."""
    return sum(1 for row in rows for ch in row.values() if ch in "╭╔")


def terminal(report: Report, width: int) -> str:
    """The report as a colour terminal shows it, escape sequences taken out."""
    console = Console(
        file=io.StringIO(), width=width, force_terminal=True, color_system="truecolor"
    )
    console.print(report)
    return Text.from_ansi(console.file.getvalue()).plain


def test_a_shifted_border_is_found():
    """The check finds a right border one cell off, and a box left open."""
    text = Report(arabic_case(ARABIC[0])).to_text(80)
    assert misaligned(text_rows(text)) == []
    lines = text.splitlines()
    n = next(i for i, line in enumerate(lines) if "│" in line and "طائرة" in line)
    lines[n] = lines[n].replace(" │", "│", 1)
    assert misaligned(text_rows("\n".join(lines)))
    assert misaligned(text_rows("╭──╮\n│ab│\n│abc│\n╰──╯"))
    assert misaligned(text_rows("╭──╮\n│ab│\n")) == []  # an unfinished box is not a shift


@pytest.mark.parametrize("texts", ARABIC, ids=["plain", "marks-and-ligatures", "mixed"])
@pytest.mark.parametrize("width", [60, 100, 140])
@pytest.mark.parametrize("scope", [{}, {"question": "q"}], ids=["case", "question"])
def test_right_borders_line_up(texts, width, scope):
    """Plain text, the colour terminal and the SVG: every box's right border in one column."""
    case = arabic_case(texts)
    assert [p for p in case.validate() if p.is_error] == []
    report = Report(case, **scope)
    text = report.to_text(width)
    assert "شفق نيوز" in text  # Arabic is shown as written, not escaped
    for name, rows in (
        ("text", text_rows(text)),
        ("terminal", text_rows(terminal(report, width))),
        ("svg", svg_rows(report.to_svg(width))),
    ):
        assert boxes(rows) >= 2, name  # the header's box, and the answers' panels
        assert misaligned(rows) == [], name


@pytest.mark.parametrize("texts", ARABIC, ids=["plain", "marks-and-ligatures", "mixed"])
@pytest.mark.parametrize("width", [60, 100])
def test_summary_lines_end_at_the_width(texts, width):
    """The key judgements, which have no box, cut Arabic lines at the width, rule included."""
    text = Report(arabic_case(texts), summary=True).to_text(width)
    lengths = [cell_len(line) for line in text.splitlines()]
    assert lengths[0] == width  # the heading's rule runs to the edge
    assert max(lengths) == width
