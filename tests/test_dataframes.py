"""pandas-native results: typed DataFrames of the assessments and of every record kind,
exports with real numbers, and exports written to a path atomically."""

import csv
import datetime as dt
import io
import json
import os

from pathlib import Path

import pandas as pd
import pytest

import claimtrack

from claimtrack import export
from claimtrack.cli import main


ROOT = Path(__file__).parent.parent
SEED = ROOT / "examples" / "iraq-2024" / "case.yaml"


@pytest.fixture(name="seed", scope="module")
def _seed():
    return claimtrack.load(SEED)


@pytest.fixture(name="result", scope="module")
def _result(seed):
    return seed.assess()


def dated_case() -> claimtrack.Case:
    """Dates at every precision: a year, a month, a day, a time with an offset, one without."""
    case = claimtrack.Case(title="Dates")
    case.add_source("wire", "A wire", "news-agency", reliability="B")
    case.add_source("daily", "A daily", "outlet", reliability="D")
    case.add_document("year", "daily", "Yearbook", published="2023")
    case.add_document("month", "daily", "Monthly", published="2024-02")
    case.add_document("day", "wire", "Daily", published="2024-04-21", url="https://w.example/1")
    case.add_document("time", "wire", "Flash", published="2024-04-21T21:50:00+03:00")
    case.add_document("naive", "wire", "Flash 2", published="2024-04-22T08:00:00")
    case.add_evidence("clip", "video", "A clip", first_seen="0900")
    case.add_question("toll", "How many were killed?")
    case.add_claim(
        "four", "Four were killed", question="toll", value={"at_least": 4}, when="2024-04"
    )
    case.add_claim("none", "Nobody was killed", question="toll", value={"exactly": 0})
    for doc in ("year", "month", "day", "time", "naive"):
        case.attribute("four", "wire", document=doc, based_on=["clip"])
    case.attribute("none", "daily", "asserts", document="day", said="2024-04-21")
    case.relate("contradicts", "four", "none", reason="counts differ")
    return case


UTC = dt.UTC


class TestAssessmentsFrame:
    def test_one_row_per_claim_typed(self, seed, result):
        """One row per claim; numbers are numbers and the scales ordered categories."""
        frame = result.to_dataframe()
        assert len(frame) == len(seed.claims)
        assert frame["claim"].tolist() == [a.claim for a in result.assessments]
        assert frame["probability"].dtype == "float64"
        assert frame["credibility"].dtype == "int64"
        assert frame["origins_for"].dtype == frame["origins_against"].dtype == "int64"
        estimate = frame["estimate"].dtype
        assert isinstance(estimate, pd.CategoricalDtype)
        assert estimate.ordered
        assert list(estimate.categories) == [e.value for e in claimtrack.Estimate]
        assert list(frame["confidence"].dtype.categories) == ["low", "moderate", "high"]
        assert frame["confidence"].dtype.ordered
        assert list(frame["reliability"].dtype.categories) == list("ABCDEF")
        assert frame["reliability"].dtype.ordered
        assert isinstance(frame["status"].dtype, pd.CategoricalDtype)
        assert not frame["status"].dtype.ordered

    def test_values_are_the_assessments(self, result):
        """Each row holds the assessment's own figures, unrounded."""
        frame = result.to_dataframe().set_index("claim")
        for a in result.assessments:
            row = frame.loc[a.claim]
            assert row["probability"] == a.probability
            assert row["estimate"] == a.estimate.value
            assert row["admiralty"] == a.admiralty
            assert row["origins_for"] == len(a.origins_for)

    def test_ordered_scales_filter(self, result):
        """An ordered estimate compares as the scale does: 'likely' and above."""
        frame = result.to_dataframe()
        likely = frame[frame["estimate"] >= "likely"]
        assert set(likely["claim"]) == {
            a.claim for a in result.assessments if a.probability >= 0.55
        }

    def test_merges_with_the_claims(self, seed, result):
        """The claims' texts are one merge away."""
        merged = result.to_dataframe().merge(seed.to_dataframe("claims"), on="claim")
        assert len(merged) == len(seed.claims)
        assert merged["text"].notna().all()

    def test_empty(self):
        """A case with no claims gives an empty frame with the same columns."""
        frame = claimtrack.Case(title="empty").assess().to_dataframe()
        assert len(frame) == 0
        assert "probability" in frame.columns

    @pytest.mark.usefixtures("without_pandas")
    def test_without_pandas(self, result):
        """Without pandas the error names the extra to install."""
        with pytest.raises(ModuleNotFoundError, match=r'pip install "claimtrack\[pandas\]"'):
            result.to_dataframe()
        with pytest.raises(ModuleNotFoundError, match=r'pip install "claimtrack\[pandas\]"'):
            claimtrack.Case(title="x").to_dataframe("sources")


class TestCaseFrames:
    @pytest.mark.parametrize("kind", list(export.KINDS))
    def test_every_kind(self, seed, kind):
        """Each record kind gives one row per record, its columns those of its rows plus precisions."""
        frame = seed.to_dataframe(kind)
        columns, rows = export.KINDS[kind]
        records = list(rows(seed))
        assert len(frame) == len(records)
        assert [c for c in frame.columns if not c.endswith("_precision")] == list(columns)
        if kind in ("sources", "documents", "questions", "claims", "evidence"):
            assert frame[columns[0]].tolist() == list(getattr(seed, kind))

    def test_default_is_the_long_table(self, seed):
        """Without a kind, the attributions' long table, as before."""
        assert seed.to_dataframe().equals(seed.to_dataframe("attributions"))
        assert len(seed.to_dataframe()) == len(seed.attributions)

    def test_unknown_kind(self, seed):
        """An unknown kind is refused, naming the kinds."""
        with pytest.raises(ValueError, match="use one of sources, documents"):
            seed.to_dataframe("people")

    def test_dates_are_utc_with_their_precision(self):
        """Every precision becomes a tz-aware UTC datetime, the precision kept beside it."""
        frame = dated_case().to_dataframe("documents")
        assert str(frame["published"].dtype) == "datetime64[us, UTC]"
        assert frame["published"].tolist() == [
            pd.Timestamp("2023-01-01", tz=UTC),
            pd.Timestamp("2024-02-01", tz=UTC),
            pd.Timestamp("2024-04-21", tz=UTC),
            pd.Timestamp("2024-04-21T18:50:00", tz=UTC),
            pd.Timestamp("2024-04-22T08:00:00", tz=UTC),  # no offset: taken as UTC
        ]
        precision = frame["published_precision"]
        assert precision.tolist() == ["year", "month", "day", "time", "time"]
        assert precision.dtype.ordered
        assert list(precision.dtype.categories) == list(export.PRECISIONS)
        assert list(frame.columns).index("published_precision") == (
            list(frame.columns).index("published") + 1
        )
        assert frame["retrieved"].isna().all()

    def test_dates_outside_nanoseconds(self):
        """A year pandas' nanoseconds cannot hold (900) still converts."""
        frame = dated_case().to_dataframe("evidence")
        assert frame["first_seen"].iloc[0].year == 900
        assert frame["first_seen_precision"].iloc[0] == "year"

    def test_long_table_types(self):
        """The long table's numbers, booleans, categories and dates are typed."""
        frame = dated_case().to_dataframe()
        assert frame["attribution"].dtype == "int64"
        assert str(frame["claim_low"].dtype) == "Int64"
        assert frame["in_own_name"].dtype == bool
        assert frame["stance"].dtype == "category"
        assert frame["source_reliability"].dtype.ordered
        assert frame.loc[5, "said"] == pd.Timestamp("2024-04-21", tz=UTC)
        assert frame.loc[0, "claim_when_precision"] == "month"
        assert pd.isna(frame.loc[5, "claim_when"])

    def test_other_kinds_types(self):
        """Sources, claims, questions and relations are typed too."""
        case = dated_case()
        sources = case.to_dataframe("sources")
        assert sources["reliability"].dtype.ordered
        assert sources.loc[sources["reliability"] < "C", "source"].tolist() == ["wire"]
        claims = case.to_dataframe("claims")
        assert str(claims["low"].dtype) == "Int64"
        assert claims["low"].tolist() == [4, 0]
        questions = case.to_dataframe("questions")
        assert questions["exclusive"].dtype == bool
        assert questions.loc[0, "claims"] == "four none"
        relations = case.to_dataframe("relations")
        assert relations.loc[0, ["kind", "claim", "other_claim", "reason"]].tolist() == [
            "contradicts",
            "four",
            "none",
            "counts differ",
        ]

    def test_text_exports_keep_the_files_dates(self):
        """JSON Lines and CSV keep each date as the case's text, at its precision."""
        case = dated_case()
        out = io.StringIO()
        export.to_jsonl(case, out, kind="documents")
        published = [json.loads(line)["published"] for line in out.getvalue().splitlines()]
        assert published == [
            "2023",
            "2024-02",
            "2024-04-21",
            "2024-04-21T21:50:00+03:00",
            "2024-04-22T08:00:00",
        ]


class TestRealNumbers:
    def test_assess_jsonl_gives_numbers(self, capsys):
        """assess --format jsonl: probability a JSON number, counts whole numbers."""
        assert main(["assess", str(SEED), "--format", "jsonl"]) == 0
        rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert rows
        assert all(isinstance(r["probability"], float) for r in rows)
        assert all(isinstance(r["origins_for"], int) for r in rows)

    def test_assess_csv_numbers_unquoted(self, capsys):
        """assess --format csv: numbers are written bare and read back as numbers."""
        assert main(["assess", str(SEED), "--format", "csv"]) == 0
        text = capsys.readouterr().out
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        first = rows[0]
        assert f",{first['probability']},{first['estimate']}," in text.splitlines()[1]
        assert float(first["probability"]) == pytest.approx(float(first["probability"]), abs=1e-6)
        frame = pd.read_csv(io.StringIO(text))
        assert frame["probability"].dtype == "float64"
        assert frame["origins_for"].dtype == "int64"

    def test_jsonl_export_numbers(self):
        """The long table's bounds and positions are JSON numbers, its flags JSON booleans."""
        out = io.StringIO()
        export.to_jsonl(dated_case(), out)
        row = json.loads(out.getvalue().splitlines()[0])
        assert row["attribution"] == 0
        assert row["claim_low"] == 4
        assert row["in_own_name"] is False


class TestPaths:
    @pytest.mark.parametrize("as_path", [str, Path])
    def test_csv_and_jsonl_to_a_path(self, seed, tmp_path, as_path):
        """export.to_csv and to_jsonl take a path (str or PathLike), not only a file."""
        n = export.to_csv(seed, as_path(tmp_path / "a.csv"))
        assert n == len(seed.attributions)
        with (tmp_path / "a.csv").open(newline="", encoding="utf-8") as f:
            assert len(list(csv.DictReader(f))) == n
        assert (tmp_path / "a.csv").read_bytes().count(b"\r\n") == n + 1
        assert export.to_jsonl(seed, as_path(tmp_path / "a.jsonl")) == n
        assert len(pd.read_json(tmp_path / "a.jsonl", lines=True)) == n

    def test_every_kind_to_a_path(self, seed, tmp_path):
        """Each kind's table writes to a path and reads back into pandas."""
        for kind in export.KINDS:
            n = export.to_csv(seed, tmp_path / f"{kind}.csv", kind=kind)
            back = pd.read_csv(tmp_path / f"{kind}.csv")
            assert len(back) == n

    def test_writers_take_a_path(self, seed, tmp_path):
        """write_csv and write_jsonl, as the others, take a path."""
        rows = list(export.assessment_rows(seed))
        export.write_csv(rows, tmp_path / "a.csv", export.ASSESSMENT_COLUMNS)
        export.write_jsonl(rows, os.fspath(tmp_path / "a.jsonl"))
        frame = pd.read_csv(tmp_path / "a.csv")
        assert frame["probability"].dtype == "float64"
        assert len(pd.read_json(tmp_path / "a.jsonl", lines=True)) == len(rows)

    def test_a_failed_write_leaves_the_old_file(self, tmp_path):
        """Writing to a path is atomic: a failure midway leaves the old file whole, no leftovers."""
        path = tmp_path / "a.jsonl"
        path.write_text("old\n", encoding="utf-8")

        def rows():
            yield {"a": 1}
            raise RuntimeError("disk on fire")

        with pytest.raises(RuntimeError):
            export.write_jsonl(rows(), path)
        assert path.read_text(encoding="utf-8") == "old\n"
        assert [p.name for p in tmp_path.iterdir()] == ["a.jsonl"]

    def test_file_objects_still_work(self, seed):
        """An open file is written to, and left open."""
        out = io.StringIO()
        export.to_csv(seed, out)
        assert not out.closed
        assert out.getvalue().startswith("attribution,claim,")

    def test_neither_path_nor_file(self, seed):
        """Something that is neither is refused with a clear message."""
        with pytest.raises(TypeError, match="a path or a file object"):
            export.to_csv(seed, 42)

    def test_unwritable_path(self, seed, tmp_path):
        """A folder that does not exist gives the case-file error, naming the file."""
        with pytest.raises(claimtrack.CaseFileError, match="cannot be written"):
            export.to_csv(seed, tmp_path / "missing" / "a.csv")
