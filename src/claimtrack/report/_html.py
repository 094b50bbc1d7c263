"""The report as semantic HTML5, rendered with Jinja2 from the templates in ``templates/``.

One environment, autoescape on, and a *finalize* that passes every value printed through
:func:`~claimtrack._text.clean`: text from a case reaches the page escaped, with control
and invisible characters spelled out, whatever template prints it. The page is one
self-contained file: inline CSS (light and dark themes by ``prefers-color-scheme``, a print
stylesheet), no external fetch of any kind, a Content Security Policy that forbids any
load and any script but the report's own optional one (by its hash), and readable with
scripting off (provenance trees fold with ``<details>``).

The Jupyter displays (:func:`html_fragment`) use the same templates, without the script.
"""

from __future__ import annotations

import base64
import functools
import hashlib

from importlib.resources import files
from typing import Any

import attrs
import jinja2

from markupsafe import Markup

from claimtrack._text import clean
from claimtrack.engine import Assessment, Assessments, ranked
from claimtrack.model._case import Case
from claimtrack.model._records import Stance
from claimtrack.report._content import Content
from claimtrack.report._terminal import (
    AGAINST_INTEREST,
    ANCHORS,
    ANONYMOUS,
    CONFLICT,
    FRAGILE,
    INTERESTED,
    NO_STANCE,
    NO_VOTE,
    NOTE,
    OWN_NAME,
    PURPORTED,
    RESTS_ON,
    SPEAKS_FOR,
    STANCES,
    SUPERSEDED,
    WARNING,
    WITHDRAWN,
    Mark,
    legend_rows,
)


_CSS_CLASS = {
    "green": "ok",
    "red": "bad",
    "bold red": "bad",
    "yellow": "flag",
    "magenta": "retracts",
    "cyan": "voice",
    "blue": "voice",
    "dim": "muted",
}


@attrs.frozen
class _HtmlMark:
    symbol: str
    word: str
    css: str


def _mark(mark: Mark, css: str | None = None) -> _HtmlMark:
    return _HtmlMark(mark.symbol, mark.word, css or _CSS_CLASS.get(mark.style, ""))


_STANCE_MARKS = {s: _mark(m, s.value) for s, m in STANCES.items()}
_ANCHOR_MARKS = {a: _mark(m) for a, m in ANCHORS.items()}
_MARKS = {
    "no_vote": _mark(NO_VOTE),
    "no_stance": _mark(NO_STANCE),
    "purported": _mark(PURPORTED),
    "anonymous": _mark(ANONYMOUS),
    "interested": _mark(INTERESTED),
    "speaks_for": _mark(SPEAKS_FOR),
    "own_name": _mark(OWN_NAME),
    "against_interest": _mark(AGAINST_INTEREST),
    "rests_on": _mark(RESTS_ON),
    "withdrawn": _mark(WITHDRAWN),
    "conflict": _mark(CONFLICT),
    "warning": _mark(WARNING),
    "fragile": _mark(FRAGILE),
    "note": _mark(NOTE),
    "superseded": _mark(SUPERSEDED),
}


def _finalize(value: object) -> object:
    """Every value a template prints: data cleaned (markup from the templates left alone)."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return clean(value)
    if value is None:
        return ""
    return value


@functools.cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the HTML report: autoescape on, every value cleaned."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("claimtrack.report", "templates"),
        autoescape=True,
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@functools.cache
def _script() -> tuple[Markup, Markup]:
    """The optional script, and its hash for the page's Content Security Policy."""
    code = files("claimtrack.report").joinpath("templates", "report.js").read_text("utf-8")
    digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii")
    return Markup(code), Markup(f"'sha256-{digest}'")  # noqa: S704 - the package's own script


def _context(content: Content) -> dict[str, Any]:
    claim_anchor = {a.key: a.claim.id for s in content.sections for a in s.answers}
    return {
        "content": content,
        "stances": _STANCE_MARKS,
        "anchors": _ANCHOR_MARKS,
        "marks": _MARKS,
        "legend": [(m.plain, meaning) for m, meaning in legend_rows()],
        "claim_anchor": claim_anchor,
        "source_ids": {s.id for s in content.sources},
    }


def render_page(
    content: Content,
    *,
    title: str,
    show_legend: bool = True,
    only_summary: bool = False,
    script: bool = False,
) -> str:
    """*content* as a standalone HTML page titled *title* (with the optional script)."""
    code, digest = _script() if script else (Markup(""), Markup(""))
    return (
        environment()
        .get_template("page.html.j2")
        .render(
            _context(content),
            page_title=title,
            show_legend=show_legend,
            only_summary=only_summary,
            script=code,
            script_hash=digest,
        )
    )


def render_fragment(
    content: Content, *, show_legend: bool = True, only_summary: bool = False
) -> str:
    """*content* as an HTML fragment for Jupyter: the page's body and style, no script."""
    return (
        environment()
        .get_template("fragment.html.j2")
        .render(_context(content), show_legend=show_legend, only_summary=only_summary)
    )


def case_fragment(case: Case) -> str:
    """A case at a glance, for Jupyter: its size and each question's leading answer."""
    errors = [p for p in case.validate(texts=False) if p.is_error]
    rows = []
    if not errors:
        assessed = case.assess()
        for q in case.questions.values():
            answers = ranked(case.claims_of(q.id), assessed)
            rows.append((q, answers[0] if answers else None, assessed))
    return (
        environment()
        .get_template("records.html.j2")
        .render(kind="case", case=case, errors=len(errors), rows=rows)
    )


def assessment_fragment(assessment: Assessment) -> str:
    """One assessment, for Jupyter: the badge as words, numbers and a bar, and the reasons."""
    return (
        environment()
        .get_template("records.html.j2")
        .render(kind="assessment", a=assessment, stance=Stance)
    )


def assessments_fragment(assessments: Assessments) -> str:
    """Assessments, for Jupyter: one row per claim, most probable first."""
    rows = sorted(assessments.values(), key=lambda a: (a.question or "", -a.probability, a.claim))
    return environment().get_template("records.html.j2").render(kind="assessments", rows=rows)
