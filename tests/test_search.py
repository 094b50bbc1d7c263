# ruff: noqa: RUF001, RUF003 - Cyrillic is what these tests search
"""Search: stemming, prefixes, phrases, folding, ranking, highlighting, and queries that cannot inject."""

import io
import json

from pathlib import Path

import pytest

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from claimtrack.cli import main
from claimtrack.store import Hit, StoreError, Term, normalise, open_store, parse_query
from claimtrack.store._sqlite import _folded, _spans


CASE = {
    "claimtrack": 1,
    "title": "search",
    "sources": {"u": {"name": "Ukrinform", "kind": "outlet", "notes": "State news agency"}},
    "documents": {
        "du": {
            "publisher": "u",
            "title": "Удар по вокзалу в Краматорську",
            "published": "2022-04-08",
        }
    },
    "claims": {
        "m": {"text": "Missiles struck the railway station"},
        "r": {"text": "Загинули всё ещё 52 людини на обʼєкті"},
        "x": {
            "text": "[bold red]OR NOT[/] \x1b[31m NEAR(a b) the station's roof",
            "notes": "A missile, once more",
        },
    },
    "attributions": [
        {
            "claim": "m",
            "source": "u",
            "document": "du",
            "quote": "two Tochka-U missiles hit the station",
        },
        {"claim": "r", "source": "u", "document": "du"},
        {"claim": "x", "source": "u", "document": "du"},
    ],
}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    case = tmp_path / "search.json"
    case.write_text(json.dumps(CASE, ensure_ascii=False), encoding="utf-8")
    path = tmp_path / "search.db"
    assert main(["import", str(case), str(path)]) == 0
    return path


def _places(path: Path, query: str) -> list[str]:
    with open_store(path) as store:
        return [h.place for h in store.search(query)]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        (
            "missile",
            {"claims.m", "attributions[0]", "claims.x"},
        ),  # stemmed: Missiles, missiles, missile
        ("struck missiles", {"claims.m"}),
        ("stat*", {"claims.m", "attributions[0]", "sources.u", "claims.x"}),  # station, State
        ('"railway station"', {"claims.m"}),
        ('"station railway"', set()),
        ('"rail sta"*', set()),
        ('"railway sta"*', {"claims.m"}),
        ("все", {"claims.r"}),  # ё is е
        ("ЕЩЕ", {"claims.r"}),
        ("об'єкті", {"claims.r"}),  # the apostrophe, however typed
        ("об\u2019єкті", {"claims.r"}),
        ("краматорську", {"documents.du"}),  # a document's title
        ("once", {"claims.x"}),  # a claim's notes
        ("ukrinform", set()),  # a source's name is not searched, only its notes
    ],
)
def test_what_is_found(db, query, found):
    assert set(_places(db, query)) == found


def test_ranked_best_first(db):
    """BM25: the claim saying missile twice over a short text comes before a longer mention."""
    with open_store(db) as store:
        hits = store.search("missile")
    assert all(isinstance(h, Hit) for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert hits[0].case == "search"


def test_highlight_marks_the_words_that_matched(db):
    with open_store(db) as store:
        (hit,) = store.search("struck missile")
        assert hit.snippet == "[Missiles] [struck] the railway station"
        (title,) = store.search("краматорську")
        assert title.label == "title of document du"
        assert title.snippet == "Удар по вокзалу в [Краматорську]"
        (yo,) = store.search("все")
        assert "[всё]" in yo.snippet
        (apostrophe,) = store.search("об'єкті")
        assert "[обʼєкті]" in apostrophe.snippet


def test_long_text_is_cut_around_the_match():
    text = "word " * 100 + "missile " + "tail " * 100
    spans = _spans(text, {"missile"})
    assert spans[0] == ("…", False)
    assert spans[-1] == ("…", False)
    assert ("missile", True) in spans
    assert sum(len(p) for p, _ in spans) < len(text) / 2


@pytest.mark.parametrize(
    "query",
    ["NEAR(a b)", "OR", "NOT station", "a:b", "{x}", "^start", "-minus", "***", "'", "AND OR NOT"],
)
def test_fts_syntax_in_user_text_is_only_words(db, query):
    """FTS5 operators, columns, groups and carets in a query are words to find, not syntax."""
    with open_store(db) as store:
        store.search(query)  # no error: every term goes to FTS5 quoted


def test_operators_are_words(db):
    assert set(_places(db, "OR NOT")) == {"claims.x"}
    assert set(_places(db, "near")) == {"claims.x"}


@pytest.mark.parametrize(
    ("query", "message"),
    [('"unclosed', "does not close"), ('a"b', "a quote inside the word")],
)
def test_query_errors_are_clear(db, capsys, query, message):
    with open_store(db) as store, pytest.raises(ValueError, match=message):
        store.search(query)
    assert main(["search", str(db), query]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_parse_query():
    assert parse_query('kill* "rail way" x "y z"* * ""') == [
        Term("kill", prefix=True),
        Term("rail way", phrase=True),
        Term("x"),
        Term("y z", phrase=True, prefix=True),
    ]


def test_normalise_cyrillic():
    assert normalise("Всё ЕЩЁ") == "все еще"
    assert normalise("обʼєкт") == normalise("об'єкт") == normalise("об\u2019єкт") == "обєкт"
    assert normalise("don\u2019t") == "don't"  # outside Cyrillic an apostrophe stays one


def test_command_line(db, capsys):
    """search prints the case, what matched and its text; nothing found exits 1."""
    assert main(["search", str(db), "missile"]) == 0
    out = capsys.readouterr().out
    assert "search · claim m: Missiles struck the railway station" in out
    assert "quote of claim m: two Tochka-U missiles hit the station" in out
    assert main(["search", str(db), "stat*", "--case", "search", "--limit", "1"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1
    assert main(["search", str(db), "zzzz"]) == 1
    assert "nothing matches" in capsys.readouterr().err
    assert main(["search", str(db), "x", "--case", "nope"]) == 1
    assert "holds no case named 'nope'" in capsys.readouterr().err


def test_data_stays_inert_in_the_terminal(db, monkeypatch):
    """Markup and escape sequences in the data print as text, never act: rich.Text, no markup."""
    buffer = io.StringIO()
    buffer.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr("sys.stdout", buffer)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert main(["search", str(db), "roof"]) == 0
    out = buffer.getvalue()
    assert "[bold red]OR NOT[/]" in Text.from_ansi(out).plain
    assert "\x1b[31m" not in out
    console = Console(file=io.StringIO(), markup=False)
    console.print(Text("[x]"))


def test_a_damaged_index_is_a_store_error(db):
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE search_data SET block = x'ffffffffffffffff' WHERE id = 10")
    with open_store(db) as store, pytest.raises((StoreError, ValueError)):
        store.search("station")


@given(st.text(st.characters(max_codepoint=127)))
def test_ascii_is_folded_as_any_text_is(text):
    """ASCII text takes a shorter way to its folded form, and reaches the same one."""
    assert normalise(text) == _folded(text)
