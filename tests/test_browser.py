"""The HTML report in a real browser: Debian's Chromium, driven by Playwright.

Each page is served from a made-up address by a route that answers that one request and
refuses and records every other, so a page that tries to fetch anything fails its test.
The tests check what only a browser can tell: the report's script runs under the page's
own Content Security Policy without a console error, every claim is in the DOM, trees fold
and tables sort, the text is legible in both themes (WCAG AA, from the colours the browser
computed), and hostile text from a case stays text.

They need ``chromium`` on the PATH (``apt-get install chromium``) and Playwright for Python
(in the ``test`` extra); Playwright drives that Chromium, so it downloads no browser of its
own. Without either, they skip and say why.
"""

from __future__ import annotations

import re
import shutil

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import claimtrack

from claimtrack.report import Report, clean


ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "examples" / "iraq-2024" / "case.yaml"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
URL = "https://claimtrack-report.invalid/report.html"
AA = 4.5  # WCAG 2 level AA, normal text


@pytest.fixture(name="browser", scope="module")
def _browser() -> Iterator[Any]:
    """One headless Chromium for the module: the system's, driven by Playwright."""
    if CHROMIUM is None:
        pytest.skip("no Chromium on the PATH (apt-get install chromium)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright for Python is not installed (the test extra)"
    )
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            # nothing reaches the network even past the routes: every host name fails
            args=["--host-resolver-rules=MAP * ~NOTFOUND"],
        )
        yield browser
        browser.close()


@pytest.fixture(name="seed", scope="module")
def _seed():
    return claimtrack.load(CASE)


@dataclass
class Visit:
    """A page opened on one HTML text, and what the browser reported while showing it."""

    page: Any
    refused: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def quiet(self) -> None:
        """Assert that nothing was fetched, logged as an error or popped up."""
        assert self.refused == [], f"the page tried to fetch {self.refused}"
        assert self.console == [], self.console
        assert self.dialogs == [], self.dialogs


@pytest.fixture(name="visit")
def _visit(browser):
    """Open an HTML text in a fresh context; *scheme* and *javascript* set what it emulates."""
    contexts = []

    def visit(page_html: str, *, scheme: str = "light", javascript: bool = True) -> Visit:
        context = browser.new_context(
            viewport={"width": 1200, "height": 900},
            color_scheme=scheme,
            java_script_enabled=javascript,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        seen = Visit(page)

        def route(r: Any) -> None:
            if r.request.url == URL:
                r.fulfill(status=200, content_type="text/html; charset=utf-8", body=page_html)
            else:
                seen.refused.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page.on("websocket", lambda ws: seen.refused.append(ws.url))
        page.on(
            "console",
            lambda m: seen.console.append(m.text) if m.type in {"error", "warning"} else None,
        )
        page.on("pageerror", lambda e: seen.console.append(f"page error: {e}"))

        def dialog(d: Any) -> None:
            seen.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)
        page.goto(URL, wait_until="load")
        return seen

    yield visit
    for context in contexts:
        context.close()


@pytest.fixture(name="page_html", scope="module")
def _page_html(seed):
    return Report(seed).to_html(script=True)


# --- everything is there, and the script works ------------------------------------------


def test_loads_quietly_with_its_script(visit, page_html):
    """The page loads with nothing fetched and no console error, and its own script ran."""
    seen = visit(page_html)
    seen.quiet()
    assert seen.page.title() == "Iraq 2024"
    # the policy let the script run: it added the fold buttons and made headings sortable
    assert seen.page.locator("p.tools button").count() == 2
    assert seen.page.locator("th[aria-sort]").count() > 0


def test_every_claim_is_in_the_dom(visit, seed, page_html):
    """Each claim of the bundled case has its panel, rendered, with its text as written."""
    seen = visit(page_html)
    shown = seen.page.evaluate(
        """ids => Object.fromEntries(ids.map(id => {
            const panel = document.getElementById("c-" + id);
            const text = panel && panel.querySelector(".claim");
            return [id, text && text.getClientRects().length ? text.textContent.trim() : null];
        }))""",
        list(seed.claims),
    )
    assert len(shown) == len(seed.claims) > 40
    wrong = {cid: text for cid, text in shown.items() if text != clean(seed.claims[cid].text)}
    assert wrong == {}
    seen.quiet()


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_trees_fold(visit, page_html, javascript):
    """Provenance trees start folded and open on a click, with scripting on or off."""
    seen = visit(page_html, javascript=javascript)
    page = seen.page
    details = page.locator("details")
    assert details.count() >= len(claimtrack.load(CASE).claims)
    assert page.locator("details[open]").count() == 0
    first = details.first
    tree = first.locator("ul.tree").first
    assert not tree.is_visible()
    first.locator("summary").click()
    assert first.evaluate("d => d.open") is True
    assert tree.is_visible()
    first.locator("summary").click()
    assert first.evaluate("d => d.open") is False
    assert not tree.is_visible()
    if javascript:
        page.get_by_role("button", name="Unfold all", exact=True).click()
        assert page.locator("details:not([open])").count() == 0
        page.get_by_role("button", name="Fold all", exact=True).click()
        assert page.locator("details[open]").count() == 0
    seen.quiet()


def _column(page: Any, table: str, n: int, numeric: bool) -> list[Any]:
    """The sort keys of column *n* of *table*, row by row, as the report's script reads them."""
    return page.evaluate(
        """([table, n, numeric]) => Array.from(
            document.querySelector(table).tBodies[0].rows, row => {
                const cell = row.cells[n];
                const value = cell.getAttribute("data-value");
                return numeric ? parseFloat(value !== null ? value : cell.textContent)
                               : cell.textContent.trim().toLowerCase();
            })""",
        [table, n, numeric],
    )


def _rows(page: Any, table: str) -> list[str]:
    return page.evaluate(
        "t => Array.from(document.querySelector(t).tBodies[0].rows, r => r.textContent)", table
    )


def test_sorting_the_source_by_answer_matrix(visit, seed, page_html):
    """A click on a heading of a sources × answers matrix sorts its rows, then reverses them."""
    seen = visit(page_html)
    page = seen.page
    # the matrix with the most rows whose source column is not already in order
    matrices = page.evaluate(
        """() => Array.from(document.querySelectorAll("table.matrix"),
            t => [t.closest("section").id, t.tBodies[0].rows.length])"""
    )
    section, size = max(matrices, key=lambda m: m[1])
    assert size >= 3
    table = f"section#{section} table.matrix"
    before = _rows(page, table)
    for n in (0, 1):  # the source column, then the first answer's
        heading = page.locator(f"{table} thead th").nth(n)
        heading.locator("button").click()
        assert heading.get_attribute("aria-sort") == "descending"
        keys = _column(page, table, n, numeric=False)
        assert keys == sorted(keys, reverse=True)
        down = _rows(page, table)
        heading.locator("button").click()
        assert heading.get_attribute("aria-sort") == "ascending"
        keys = _column(page, table, n, numeric=False)
        assert keys == sorted(keys)
        up = _rows(page, table)
        assert sorted(down) == sorted(up) == sorted(before)  # the same rows, moved
        if n == 0:
            assert down != up  # sources differ: reversing the order moves rows
    seen.quiet()


def test_sorting_the_key_judgements_by_number(visit, page_html):
    """The probability column of the key judgements sorts by its value, not its text."""
    seen = visit(page_html)
    table = "#key-judgements table"
    heading = seen.page.locator(f"{table} thead th").nth(2)
    assert heading.inner_text().strip() == "probability"
    heading.locator("button").click()
    keys = _column(seen.page, table, 2, numeric=True)
    assert keys == sorted(keys, reverse=True)
    assert len(set(keys)) > 1
    seen.quiet()


# --- contrast -----------------------------------------------------------------------------

# Every rendered element with text of its own: its colour, and its background found by
# walking up to the first opaque one and laying the translucent ones above it on top.
_COLOURS = """() => {
  const rgba = value => {
    const m = /^rgba?\\(([^)]*)\\)$/.exec(value);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3])).concat([1]);
  const background = el => {
    const layers = [];
    for (let n = el; n; n = n.parentElement) {
      const c = rgba(getComputedStyle(n).backgroundColor);
      if (c === null) return null;
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    if (!layers.length || layers[layers.length - 1][3] < 1) return null;
    return layers.reverse().reduce((under, top) => over(top, under));
  };
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.data.trim());
    if (!own || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility !== "visible") continue;
    const bg = background(el);
    const fg = rgba(style.color);
    out.push({
      what: el.tagName.toLowerCase() + (el.className ? "." + el.className : ""),
      text: el.textContent.trim().slice(0, 40),
      fg: fg, bg: bg, raw: style.color,
    });
  }
  return out;
}"""


def _luminance(rgb: list[float]) -> float:
    """WCAG 2's relative luminance of an sRGB colour given as 0-255 channels."""

    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: list[float], bg: list[float]) -> float:
    """WCAG 2's contrast ratio of a text colour (blended onto *bg* if translucent) and *bg*."""
    alpha = fg[3]
    shown = [fg[i] * alpha + bg[i] * (1 - alpha) for i in range(3)]
    light, dark = sorted((_luminance(shown), _luminance(bg)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_helper():
    """The contrast formula gives WCAG's reference values."""
    assert contrast([0, 0, 0, 1], [255, 255, 255, 1]) == pytest.approx(21)
    assert contrast([118, 118, 118, 1], [255, 255, 255, 1]) == pytest.approx(4.54, abs=0.01)
    assert contrast([255, 255, 255, 1], [255, 255, 255, 1]) == pytest.approx(1)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_contrast_meets_wcag_aa(visit, page_html, scheme):
    """Every piece of text, unfolded trees included, is at least 4.5:1 on its background."""
    seen = visit(page_html, scheme=scheme)
    seen.page.get_by_role("button", name="Unfold all", exact=True).click()
    body = seen.page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    dark_page = _luminance([float(x) for x in re.findall(r"[\d.]+", body)[:3]]) < 0.1
    assert dark_page == (scheme == "dark"), body  # the theme followed the emulated setting
    samples = seen.page.evaluate(_COLOURS)
    unresolved = [s for s in samples if s["fg"] is None or s["bg"] is None]
    assert unresolved == []
    kinds = {s["what"].split(".")[0] for s in samples} | {
        c for s in samples for c in s["what"].split(".")[1:]
    }
    # body text, badges, links, table cells and headings, muted words and stance marks
    assert {"p", "a", "td", "th", "badge", "muted", "asserts", "denies", "summary"} <= kinds
    weak = sorted(
        {
            (round(contrast(s["fg"], s["bg"]), 2), s["what"], s["raw"], tuple(s["bg"]))
            for s in samples
            if contrast(s["fg"], s["bg"]) < AA
        }
    )
    assert weak == [], f"{scheme} theme: text under 4.5:1: {weak[:10]}"
    seen.quiet()


# --- hostile text -------------------------------------------------------------------------

PWN = "window.__pwned=(window.__pwned||0)+1"
HOSTILE = {
    "title": f"</title><script>{PWN}</script>",
    "description": f'<img src=x onerror="{PWN}">',
    "source": f'<img src=x onerror="{PWN}">',
    "role": f"<svg onload={PWN}>",
    "source_notes": f"<iframe srcdoc='<script>parent.{PWN}</script>'></iframe>",
    "document": f"<script>{PWN}</script>",
    "url": f"javascript:{PWN}",
    "question": f'<a href="javascript:{PWN}">click</a>',
    "question_notes": "<style>body{display:none}</style><base href='https://evil.invalid/'>",
    "claim": f"<svg/onload={PWN}> \u202eevil\u202c \u2067isolate\u2069",
    "claim_notes": "</details></p><details open><summary>forged</summary>",
    "quote": f"<math><mi xlink:href='javascript:{PWN}'>x</mi></math>",
    "attribution_notes": "<object data='javascript:alert(1)'></object><embed src=x>",
    "reason": "<meta http-equiv='refresh' content='0;url=https://evil.invalid/'>",
    "evidence": f"<video src=x onerror={PWN}></video><input autofocus onfocus={PWN}>",
}
# an id may hold quotes and angle brackets: they end up in attribute values
HOSTILE_ID = f'x"onfocus="{PWN}"autofocus="'


def hostile_case() -> claimtrack.Case:
    """A case whose every text field that the page shows is an attempt at markup or script."""
    h = HOSTILE
    case = claimtrack.Case(title=h["title"], description=h["description"])
    case.add_source(HOSTILE_ID, h["source"], "outlet", role=h["role"], notes=h["source_notes"])
    case.add_source("b", "Other outlet\u202e", "outlet")
    case.add_document(
        "d", HOSTILE_ID, h["document"], url=h["url"], archive_url=h["url"], published="2024-01-02"
    )
    case.add_evidence("clip", "video", h["evidence"])
    case.add_question("q", h["question"], notes=h["question_notes"])
    case.add_claim(HOSTILE_ID, h["claim"], question="q", notes=h["claim_notes"])
    case.add_claim("y", "The opposite", question="q")
    case.attribute(
        HOSTILE_ID,
        HOSTILE_ID,
        document="d",
        quote=h["quote"],
        notes=h["attribution_notes"],
        based_on="clip",
    )
    case.attribute("y", "b")
    case.relate("contradicts", HOSTILE_ID, "y", reason=h["reason"])
    return case


# What a page of the report may hold: the tags of its templates, and the buttons its script
# adds. Anything else came from the data.
TEMPLATES = ROOT / "src" / "claimtrack" / "report" / "templates"
ALLOWED_TAGS = {
    tag for t in TEMPLATES.glob("*.j2") for tag in re.findall(r"<([a-z][a-z0-9]*)", t.read_text())
} | {"button"}
LIVE_TAGS = {"img", "svg", "iframe", "object", "embed", "video", "input", "math", "base", "form"}


def test_hostile_text_stays_text(visit):
    """Markup, script, javascript: URLs and bidi controls from a case run nothing and make no element."""
    case = hostile_case()
    assert [p for p in case.validate() if p.is_error] == []
    seen = visit(Report(case).to_html(script=True))
    page = seen.page
    page.get_by_role("button", name="Unfold all", exact=True).click()
    for summary in page.locator("summary").all():
        summary.hover()
    page.keyboard.press("Tab")
    found = page.evaluate(
        """() => ({
            pwned: window.__pwned === undefined ? 0 : window.__pwned,
            title: document.title,
            tags: Array.from(new Set(Array.from(document.querySelectorAll("*"), e => e.localName))),
            scripts: document.scripts.length,
            metas: document.querySelectorAll("meta").length,
            styles: document.querySelectorAll("style").length,
            handlers: Array.from(document.querySelectorAll("*")).flatMap(e =>
                Array.from(e.attributes).filter(a => a.name.startsWith("on") || a.name === "autofocus"
                    || a.name === "src" || a.name === "srcdoc" || a.name === "data").map(a => a.name)),
            hrefs: Array.from(document.querySelectorAll("[href]"), e => e.getAttribute("href")),
            text: document.body.textContent,
            hidden: getComputedStyle(document.body).display,
        })"""
    )
    assert found["pwned"] == 0
    assert found["title"] == clean(HOSTILE["title"])
    assert LIVE_TAGS.isdisjoint(ALLOWED_TAGS)
    assert set(found["tags"]) <= ALLOWED_TAGS, set(found["tags"]) - ALLOWED_TAGS
    assert (found["scripts"], found["metas"], found["styles"]) == (1, 5, 1)
    assert found["handlers"] == []
    assert all(href.startswith("#") for href in found["hrefs"]), found["hrefs"]
    assert found["hidden"] == "block"
    # the data is on the page, as the characters it is made of
    for name in ("source", "document", "question", "claim_notes", "quote", "reason", "evidence"):
        assert clean(HOSTILE[name]) in found["text"], name
    # bidi controls are spelled out, never applied
    assert not re.search("[\u202a-\u202e\u2066-\u2069]", found["text"])
    assert "\\u202eevil\\u202c" in found["text"]
    # the page's own script still ran: nothing forged stopped it
    assert page.locator("p.tools button").count() == 2
    assert page.locator("summary", has_text="forged").count() == 0
    seen.quiet()


def test_hostile_ids_stay_inside_their_attributes(visit):
    """An id with quotes and angle brackets stays one attribute value: its row and link work."""
    seen = visit(Report(hostile_case()).to_html(script=True))
    row = seen.page.evaluate("id => !!document.getElementById(id)", f"s-{HOSTILE_ID}")
    assert row
    hrefs = seen.page.evaluate(
        "() => Array.from(document.querySelectorAll('a[href^=\"#s-\"]'), a => a.getAttribute('href'))"
    )
    assert f"#s-{HOSTILE_ID}" in hrefs
    seen.quiet()
