"""The bundled example: the case file and the script agree, and every quote is in its article."""

import runpy
import subprocess
import sys

from pathlib import Path

import pytest

import claimtrack


ROOT = Path(__file__).parent.parent
CASE = ROOT / "examples" / "iraq-2024" / "case.yaml"
SCRIPT = ROOT / "examples" / "iraq_2024.py"
# The two articles stay out of the repository; the project's shared folder holds them.
SEEDS = ROOT.parent / "shared" / "seeds"
needs_seeds = pytest.mark.skipif(
    not SEEDS.is_dir(), reason="the seed articles are not beside the repo"
)


@pytest.fixture(name="case", scope="module")
def _case():
    return claimtrack.load(CASE)


def test_case_file_is_valid(case):
    """The example case holds no error; without the texts, only 'text not found' warnings."""
    problems = case.validate()
    assert [p for p in problems if p.is_error] == []
    assert {p.place for p in problems} <= {f"documents.{d}.text_file" for d in case.documents}


def test_script_builds_the_same_case(case):
    """examples/iraq_2024.py builds, through the Python API, exactly the case in the file."""
    built = runpy.run_path(str(SCRIPT))["build"]()
    assert built == case


def test_script_runs(tmp_path):
    """The script runs as users run it and saves a case that loads back equal."""
    out = tmp_path / "case.json"
    r = subprocess.run(
        [sys.executable, str(SCRIPT), "-o", str(out)], capture_output=True, text=True, check=False
    )
    assert r.returncode == 0, r.stderr
    assert "43 claims" in r.stdout
    assert claimtrack.load(out) == claimtrack.load(CASE)


def test_round_trips(case, tmp_path):
    """The example survives YAML and JSON round trips unchanged."""
    for suffix in ("yaml", "json"):
        path = tmp_path / f"case.{suffix}"
        case.save(path)
        assert claimtrack.load(path) == case


def test_models_what_the_articles_say(case):
    """The example holds the sources, questions and chains the articles are about."""
    for source in (
        "the-national",
        "shafaq-news",
        "security-media-cell",
        "yahya-rasool",
        "pmf",
        "kataib-hezbollah",
        "haider-al-lami",
        "hassan-fadhem",
        "coordination-framework",
        "united-states",
    ):
        assert source in case.sources
    fadhem = case.said_by("hassan-fadhem")
    assert fadhem, "Fadhem's words are recorded"
    assert [s.id for s in case.chain(fadhem[0])] == ["shafaq-news", "hassan-fadhem"]
    smc = case.said_by("security-media-cell")
    assert any(case.chain(a)[0].id == "shafaq-news" for a in smc)
    truce = {c.id for c in case.claims_of("truce")}
    assert {"truce-existed", "no-formal-truce"} <= truce
    kinds = {(r.kind.value, frozenset(r.claims)) for r in case.relations}
    assert ("contradicts", frozenset({"truce-existed", "no-formal-truce"})) in kinds
    toll = [c.value for c in case.claims_of("babil-toll") if c.value]
    assert claimtrack.Count.at_least(4, unit="people") in toll
    purported = [a for a in case.attributions if a.mode is claimtrack.Mode.PURPORTED]
    assert purported
    assert purported[0].source == "kataib-hezbollah"


@needs_seeds
def test_every_quote_is_in_its_article():
    """Given the articles' texts, every quote of the example is anchored, and no hash differs."""
    case = claimtrack.load(CASE, texts=SEEDS)
    assert case.validate() == []
    quoted = [a for a in case.attributions if a.quote]
    assert len(quoted) >= 20
    for att in quoted:
        anchor = case.anchor(att)
        assert anchor is not None
        assert anchor.status is claimtrack.AnchorStatus.EXACT, att
        text = case.text_of(att.document)
        assert text[anchor.start : anchor.end] == att.quote


@needs_seeds
def test_check_command_with_texts():
    """claimtrack check with --texts passes --strict on the example."""
    from claimtrack.cli import main

    assert main(["check", "--strict", str(CASE), "--texts", str(SEEDS)]) == 0


def test_broken_copy_names_the_place(tmp_path, capsys):
    """A copy of the example with one bad id fails the check, naming the place and the id."""
    from claimtrack.cli import main

    text = CASE.read_text().replace("source: hassan-fadhem", "source: hasan-fadhem", 1)
    bad = tmp_path / "case.yaml"
    bad.write_text(text)
    assert main(["check", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "unknown source 'hasan-fadhem' (did you mean 'hassan-fadhem'?)" in err
    assert "attributions[" in err
