"""Exports: the long table (JSON Lines, CSV, pandas), schema.org ClaimReview and W3C PROV."""

import builtins
import csv
import datetime as dt
import io
import json
import sys
import warnings

from pathlib import Path

import pandas as pd
import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from prov.model import (
    PROV_TYPE,
    ProvAgent,
    ProvAttribution,
    ProvDelegation,
    ProvDerivation,
    ProvDocument,
    ProvEntity,
)

import claimtrack

from claimtrack import export


sys.path.insert(0, str(Path(__file__).parent))  # tests/ is not a package; strategies.py sits here
from strategies import cases


ROOT = Path(__file__).parent.parent
SEED = ROOT / "examples" / "iraq-2024" / "case.yaml"


@pytest.fixture(name="seed", scope="module")
def _seed():
    return claimtrack.load(SEED)


def small_case() -> claimtrack.Case:
    """Two outlets repeat one agency's anonymous officials; a ministry denies."""
    case = claimtrack.Case(title="Wire story")
    case.add_source("agency", "A wire agency", "news-agency", reliability="B")
    case.add_source("daily", '=HYPERLINK("x")', "outlet")
    case.add_source("weekly", "A weekly", "outlet")
    case.add_source("officials", "Two security officials", "anonymous")
    case.add_source("ministry", "Ministry of Defence", "official-body")
    case.add_source("spokesman", "A spokesman", "person", speaks_for="ministry")
    case.add_document(
        "daily-1", "daily", "Strike hits depot", published="2024-05-03", url="https://a.example/1"
    )
    case.add_document("weekly-1", "weekly", "Depot struck", published="2024-05-02T10:00:00")
    case.add_question("toll", "How many were killed?")
    case.add_claim(
        "four", "-4 killed, at least", question="toll", value=claimtrack.Count.at_least(4)
    )
    case.add_claim("none", "Nobody was killed", question="toll", value=claimtrack.Count.exactly(0))
    for doc in ("daily-1", "weekly-1"):
        case.attribute(
            "four", "officials", document=doc, via=["agency"], mode="anonymous", quote="four dead"
        )
    case.attribute("none", "spokesman", document="daily-1", said="2024-05-03")
    case.attribute("four", "spokesman", "denies", document="daily-1")
    return case


class TestTable:
    def test_jsonl_one_row_per_attribution(self, seed):
        """JSON Lines holds one object per attribution, with the documented columns."""
        out = io.StringIO()
        assert export.to_jsonl(seed, out) == len(seed.attributions)
        rows = [json.loads(line) for line in out.getvalue().splitlines()]
        assert len(rows) == len(seed.attributions) >= 10
        assert all(tuple(r) == export.COLUMNS for r in rows)

    def test_row_fields(self):
        """A row flattens the claim, source, chain and document, with ISO dates."""
        case = small_case()
        rows = list(export.attribution_rows(case))
        first = rows[0]
        assert first["claim"] == "four"
        assert (first["claim_low"], first["claim_high"]) == (4, None)
        assert first["question_text"] == "How many were killed?"
        assert first["source_kind"] == "anonymous"
        assert first["mode"] == "anonymous"
        assert first["via"] == "agency"
        assert first["via_names"] == "A wire agency"
        assert first["published"] == "2024-05-03"
        assert rows[1]["published"] == "2024-05-02T10:00:00"
        assert first["document_url"] == "https://a.example/1"
        assert rows[2]["said"] == "2024-05-03"
        assert rows[3]["stance"] == "denies"
        assert rows[2]["via"] is None

    def test_chain_is_joined_in_order(self):
        """A chain of several reporters is joined nearest the publisher first."""
        case = small_case()
        case.add_source("radio", "A radio", "outlet")
        case.attribute("four", "officials", document="weekly-1", via=["radio", "agency"])
        row = list(export.attribution_rows(case))[-1]
        assert row["via"] == "radio > agency"
        assert row["via_names"] == "A radio > A wire agency"

    def test_csv_matches_jsonl(self, seed, tmp_path):
        """The CSV has a header and as many rows as the JSON Lines, with the same values."""
        path = tmp_path / "a.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            n = export.to_csv(seed, f)
        with path.open(newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        assert n == len(rows) == len(seed.attributions)
        first = next(export.attribution_rows(seed))
        assert rows[0]["claim_text"] == first["claim_text"]
        assert rows[0]["quote"] == (first["quote"] or "")

    def test_line_breaks_inside_text_keep_rows_whole(self):
        """A claim holding \\r, \\n or U+2028 stays in one CSV row and on one JSON line."""
        case = small_case()
        case.replace(claimtrack.Claim("none", "No one\rwas\nkilled\u2028at all", question="toll"))
        lines = io.StringIO()
        export.to_jsonl(case, lines)
        assert len(lines.getvalue().splitlines()) == len(case.attributions)
        table = io.StringIO()
        export.to_csv(case, table)
        rows = list(csv.DictReader(io.StringIO(table.getvalue(), newline="")))
        assert rows[2]["claim_text"] == "No one\rwas\nkilled\u2028at all"

    def test_csv_guards_formulas(self):
        """Cells a spreadsheet would run as formulas start with a quote; numbers do not."""
        out = io.StringIO()
        export.to_csv(small_case(), out)
        rows = list(csv.DictReader(io.StringIO(out.getvalue())))
        assert rows[0]["claim_text"] == "'-4 killed, at least"
        assert rows[0]["publisher_name"] == '\'=HYPERLINK("x")'
        assert rows[0]["claim_low"] == "4"

    @given(st.text())
    def test_safe_cell_never_starts_a_formula(self, text):
        """No guarded cell starts with a formula character, and nothing else changes."""
        cell = export.safe_cell(text)
        assert isinstance(cell, str)
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
        assert cell == ("'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text)

    @given(
        st.lists(
            st.none()
            | st.integers()
            | st.floats(allow_nan=False)
            | st.booleans()
            | st.text(max_size=6)
            | st.sampled_from(["=1", "-", "a\x00", "\t", "x\ud800", "\u2028", "ok"]),
            max_size=8,
        ),
        st.sampled_from([(), ("a",), ("a", "b", "c")]),
    )
    def test_a_row_is_written_as_each_cell_is_made_safe(self, cells, columns):
        """``write_csv`` writes each cell as ``safe_cell`` makes it, whichever way it checks the row."""
        names = [f"c{k}" for k in range(len(cells))] + list(columns)
        row = dict(zip(names, cells, strict=False))  # the columns beyond the cells are missing
        out = io.StringIO()
        export.write_csv([row], out, names, header=False)
        expected = io.StringIO()
        csv.writer(expected, lineterminator="\r\n").writerow(
            [export.safe_cell(row.get(c)) for c in names]
        )
        assert out.getvalue() == expected.getvalue()

    def test_safe_cell_spells_out_lone_surrogates(self):
        """A lone surrogate, which no encoding writes, is spelled out; the cell still encodes."""
        cell = export.safe_cell("=a\ud800b\x1b")
        assert cell == "'=a\\ud800b\x1b"  # CSV has no escapes: other characters are kept
        assert isinstance(cell, str)
        cell.encode("utf-8")

    def test_dataframe(self, seed):
        """Case.to_dataframe() is the long table, with nullable whole-number bounds."""
        frame = seed.to_dataframe()
        assert isinstance(frame, pd.DataFrame)
        assert [c for c in frame.columns if not c.endswith("_precision")] == list(export.COLUMNS)
        assert len(frame) == len(seed.attributions)
        assert str(frame["claim_low"].dtype) == "Int64"
        assert frame.loc[frame["claim"] == "toll-at-least-four", "claim_low"].iloc[0] == 4

    def test_jsonl_reads_into_pandas(self, seed, tmp_path):
        """pandas reads the JSON Lines export back, one row per attribution."""
        path = tmp_path / "a.jsonl"
        with path.open("w", encoding="utf-8") as f:
            export.to_jsonl(seed, f)
        frame = pd.read_json(path, lines=True)
        assert len(frame) == len(seed.attributions)
        assert set(frame["stance"]) <= {s.value for s in claimtrack.Stance}

    @pytest.mark.usefixtures("without_pandas")
    def test_dataframe_without_pandas(self, seed):
        """Without pandas, to_dataframe() says which extra to install."""
        with pytest.raises(ModuleNotFoundError, match=r'pip install "claimtrack\[pandas\]"'):
            seed.to_dataframe()

    def test_assessment_rows(self, seed):
        """One assessment row per claim, probability a number rounded to six places."""
        rows = list(export.assessment_rows(seed))
        assert {r["claim"] for r in rows} == set(seed.claims)
        assert all(tuple(r) == export.ASSESSMENT_COLUMNS for r in rows)
        assert all(isinstance(r["probability"], float) for r in rows)
        assert all(0 <= r["probability"] <= 1 for r in rows)
        assert all(r["probability"] == round(r["probability"], 6) for r in rows)


class TestClaimReview:
    def test_one_review_per_assessed_claim(self, seed):
        """Every assessed claim gets a ClaimReview in the schema.org context."""
        result = seed.assess()
        data = export.to_claimreview(seed, result)
        assert data["@context"] == "https://schema.org"
        reviews = data["@graph"]
        assert len(reviews) == len(result.assessments)
        assert all(r["@type"] == "ClaimReview" for r in reviews)
        assert "schema.org" in json.dumps(data)[:2000]

    def test_rating_states_its_scale(self, seed):
        """The rating maps the estimate to 1-5, names the word and states the scale."""
        result = seed.assess()
        reviews = {r["claimReviewed"]: r for r in export.to_claimreview(seed, result)["@graph"]}
        for a in result.assessments:
            rating = reviews[seed.claims[a.claim].text]["reviewRating"]
            assert rating["@type"] == "Rating"
            assert (rating["worstRating"], rating["bestRating"]) == (1, 5)
            assert rating["alternateName"] == a.estimate.value
            assert rating["ratingValue"] == export.RATINGS[a.estimate]
            assert "Scale: 1 = " in rating["ratingExplanation"]

    def test_ratings_never_go_down_as_estimates_go_up(self):
        """Higher estimative words never get a lower rating, and the ends are 1 and 5."""
        values = [export.RATINGS[e] for e in claimtrack.Estimate]
        assert values == sorted(values)
        assert (values[0], values[-1]) == (1, 5)

    def test_item_reviewed(self):
        """The claim's authors assert it; appearances are their documents, earliest first seen."""
        case = small_case()
        review = next(
            r for r in export.to_claimreview(case)["@graph"] if r["claimReviewed"].startswith("-4")
        )
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        assert item["author"] == [{"@type": "Person", "name": "Two security officials"}]
        # only documents with a URL appear; the first (undated, URL-less) one is not linked
        assert [w["headline"] for w in item["appearance"]] == ["Strike hits depot"]
        assert item["appearance"][0]["url"] == "https://a.example/1"
        assert "firstAppearance" not in item
        assert item["datePublished"] == "2024-05-02T10:00:00"
        assert "author" not in review

    def test_reviewer_and_date(self):
        """A reviewer and a date, when given, are the review's author and publication date."""
        import datetime as dt

        data = export.to_claimreview(small_case(), reviewer="Desk A", date=dt.date(2024, 6, 1))
        review = data["@graph"][0]
        assert review["author"] == {"@type": "Organization", "name": "Desk A"}
        assert review["datePublished"] == "2024-06-01"

    def test_claim_without_attributions(self):
        """A claim nobody made yet is still reviewed, with no author or appearance."""
        case = small_case()
        case.add_claim("five", "Five were killed", question="toll")
        review = next(
            r
            for r in export.to_claimreview(case)["@graph"]
            if r["claimReviewed"] == "Five were killed"
        )
        assert set(review["itemReviewed"]) == {"@type", "text"}

    @given(st.text())
    def test_jsonld_text_is_safe_in_a_script_element(self, text):
        """Text with </script> or & cannot end the script element, and reads back unchanged."""
        out = export.jsonld_text({"claimReviewed": text})
        assert not {"<", ">", "&"} & set(out)
        assert json.loads(out) == {"claimReviewed": text}


def _records(doc, kind):
    return [r for r in doc.get_records() if isinstance(r, kind)]


class TestProv:
    def test_round_trips_through_prov_json(self, seed):
        """The PROV-JSON export reads back with prov, equal, holding agents, entities, relations."""
        doc = export.to_prov(seed)
        back = ProvDocument.deserialize(content=doc.serialize(format="json"), format="json")
        assert back == doc
        kinds = {type(r).__name__ for r in back.get_records()}
        assert {"ProvAgent", "ProvEntity", "ProvAttribution", "ProvDerivation"} <= kinds
        assert "ProvDelegation" in kinds
        assert len(_records(back, ProvAgent)) == len(seed.sources)

    def test_mapping(self):
        """Sources are agents; reports are attributions; quoting, origins, affiliation too."""
        doc = export.to_prov(small_case())
        ns = "urn:claimtrack:"
        agents = {str(a.identifier.uri): a for a in _records(doc, ProvAgent)}
        assert set(agents) == {
            f"{ns}source/{s}"
            for s in ("agency", "daily", "weekly", "officials", "ministry", "spokesman")
        }
        entities = {str(e.identifier.uri) for e in _records(doc, ProvEntity)}
        assert {f"{ns}document/daily-1", f"{ns}claim/four", f"{ns}statement/0"} <= entities
        attributed = {
            (str(r.args[0].uri), str(r.args[1].uri)) for r in _records(doc, ProvAttribution)
        }
        assert (f"{ns}document/daily-1", f"{ns}source/daily") in attributed
        assert (f"{ns}statement/0", f"{ns}source/officials") in attributed
        assert (f"{ns}relay/0.0", f"{ns}source/agency") in attributed
        derivations = {
            (
                str(r.args[0].uri),
                str(r.args[1].uri),
                str(next(iter(r.get_attribute(PROV_TYPE)), "")),
            )
            for r in _records(doc, ProvDerivation)
        }
        assert (f"{ns}document/daily-1", f"{ns}relay/0.0", "prov:Quotation") in derivations
        assert (f"{ns}relay/0.0", f"{ns}statement/0", "prov:Quotation") in derivations
        assert (f"{ns}document/daily-1", f"{ns}statement/0", "prov:PrimarySource") in derivations
        assert (f"{ns}document/daily-1", f"{ns}statement/2", "") in derivations
        delegations = {
            (str(r.args[0].uri), str(r.args[1].uri)) for r in _records(doc, ProvDelegation)
        }
        assert delegations == {(f"{ns}source/spokesman", f"{ns}source/ministry")}

    def test_attribution_without_document(self):
        """Words heard directly, in no document, are a statement with no chain or primary source."""
        case = claimtrack.Case(title="heard")
        case.add_source("witness", "A witness", "person")
        case.add_claim("fire", "There was a fire")
        case.attribute("fire", "witness", quote="it burned all night")
        doc = export.to_prov(case)
        kinds = [type(r).__name__ for r in doc.get_records()]
        assert kinds.count("ProvDerivation") == 1  # the claim from the statement, nothing else
        assert kinds.count("ProvAttribution") == 1

    def test_odd_ids_stay_valid_names(self):
        """Ids with characters URIs reserve are escaped, and PROV-N still reads them."""
        case = claimtrack.Case(title="odd")
        case.add_source("a:b/c?d", "Odd", "outlet")
        doc = export.to_prov(case)
        (agent,) = _records(doc, ProvAgent)
        assert str(agent.identifier.uri) == "urn:claimtrack:source/a%3Ab%2Fc%3Fd"
        assert "source/a%3Ab%2Fc%3Fd" in doc.get_provn()

    def test_prov_n_reads_back_with_every_control_character(self):
        """CR from CRLF text, ESC, C1, bidi and quotes give PROV-N that prov parses back.

        PROV-N's own escapes read back exactly; what it has none for reads back spelled out.
        """
        import prov

        case = claimtrack.Case(title="crlf")
        case.add_source("s", 'Line one\r\nline "two"\ttab \\ end', "person")
        case.add_claim("c", "\x1b[31mred\x9b \u202eevil\u2028 \x08\x0c")
        case.attribute("c", "s", quote='"""\r')
        text = export.to_provn(case)
        assert text.isprintable() or set(text) - set(filter(str.isprintable, text)) == {"\n"}
        assert text.count("\n") == len(text.splitlines())  # a string never spans lines
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            doc = prov.read(io.StringIO(text), format="provn")
        values = {str(k): v for r in doc.get_records() for k, v in r.attributes}
        assert values["prov:value"] == '"""\r'
        labels = {v for r in doc.get_records() for k, v in r.attributes if str(k) == "prov:label"}
        assert 'Line one\r\nline "two"\ttab \\ end' in labels
        assert "\\x1b[31mred\\x9b \\u202eevil\\u2028 \x08\x0c" in labels

    def test_provn_string_uses_only_prov_n_escapes(self):
        """Escapes PROV-N lacks are spelled out after an escaped backslash, so the literal stays valid."""
        assert export.provn_string('a"b\\c') == '"a\\"b\\\\c"'
        assert export.provn_string("\r\n\t\b\f") == '"\\r\\n\\t\\b\\f"'
        assert export.provn_string("\x1b\u202e\ud800") == '"\\\\x1b\\\\u202e\\\\ud800"'
        assert export.provn_string("عاجل 🚀") == '"عاجل 🚀"'

    def test_offsets_beyond_fourteen_hours_are_given_in_utc(self):
        """A UTC offset claimtrack accepts but xsd:dateTime does not is written as UTC, silently."""
        import prov

        case = claimtrack.Case(title="far east")
        case.add_source("s", "S", "outlet")
        case.add_document("d", "s", "D", published="2024-04-21T10:00:00+15:30")
        case.add_evidence("e", "video", "E", first_seen="2024-04-19T10:00:00-23:00")
        case.add_claim("c", "C")
        case.attribute("c", "s", document="d", said="2024-04-21T01:00:00+14:00", based_on=["e"])
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            doc = export.to_prov(case)
            text = export.to_provn(case)
            back = prov.read(io.StringIO(text), format="provn")
            doc.serialize(format="json")
        assert "2024-04-20T18:30:00+00:00" in text  # the same instant
        assert "2024-04-21T01:00:00+14:00" in text  # within the range: kept as given
        assert "2024-04-20T09:00:00+00:00" in text
        times = [r.get_attribute("prov:time") for r in back.get_records() if r.is_relation()]
        assert dt.datetime(2024, 4, 20, 18, 30, tzinfo=dt.UTC) in {t for s in times for t in s}

    def test_lone_surrogates_never_end_in_a_traceback(self):
        """Ids and texts holding lone surrogates export to PROV-JSON and PROV-N, encodable, ids distinct."""
        from claimtrack.export._prov import _name

        assert _name("source", "s\ud800") == "claimtrack:source/s%ED%A0%80"
        assert _name("source", "s\\ud800") != _name("source", "s\ud800")
        assert export.provn_string("q\ud800").encode("utf-8") == b'"q\\\\ud800"'
        case = claimtrack.Case(title="t")
        try:
            case.add_source("s\ud800", "S\udc00", "person")
            case.add_source("s\\ud800", "escaped", "person")
            case.add_claim("c\udfff", "C")
            case.attribute("c\udfff", "s\ud800", id="a\ud800", quote="q\ud800")
        except (ValueError, claimtrack.IntegrityError):
            pytest.skip("the model refuses lone surrogates")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            doc = export.to_prov(case)
            text = doc.serialize(format="json")
            provn = export.to_provn(case)
        text.encode("utf-8")
        provn.encode("utf-8")
        names = {str(a.identifier) for a in _records(doc, ProvAgent)}
        assert len(names) == 2
        assert "claimtrack:source/s%ED%A0%80" in names

    def test_without_prov(self, monkeypatch):
        """Without the prov package, the PROV export says which extra to install."""
        real = builtins.__import__

        def refuse(name, *args, **kwargs):
            if name == "prov" or name.startswith("prov."):
                raise ModuleNotFoundError("No module named 'prov'", name="prov")
            return real(name, *args, **kwargs)

        monkeypatch.setattr(builtins, "__import__", refuse)
        with pytest.raises(ModuleNotFoundError, match=r'pip install "claimtrack\[prov\]"'):
            export.to_prov(small_case())


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_every_export_of_any_case(case):
    """Any valid case exports to every format; the tables agree; CSV and PROV read back."""
    jsonl, table = io.StringIO(), io.StringIO()
    assert export.to_jsonl(case, jsonl) == export.to_csv(case, table) == len(case.attributions)
    rows = [json.loads(line) for line in jsonl.getvalue().splitlines()]
    back = list(csv.DictReader(io.StringIO(table.getvalue(), newline="")))
    assert [r["claim"] for r in rows] == [a.claim for a in case.attributions]
    assert [r["quote"] for r in back] == [str(export.safe_cell(r["quote"])) for r in rows]
    reviews = export.to_claimreview(case)["@graph"]
    result = case.assess()
    assert len(reviews) == sum(
        result[c].status not in (claimtrack.Status.SUPERSEDED, claimtrack.Status.RETRACTED)
        for c in case.claims
    )
    assert json.loads(export.jsonld_text({"@graph": reviews}))["@graph"] == reviews
    doc = export.to_prov(case)
    text = doc.serialize(format="json")
    assert ProvDocument.deserialize(content=text, format="json") == doc
    back = ProvDocument.deserialize(content=export.to_provn(case), format="provn")
    assert len(back.get_records()) == len(doc.get_records())


def test_public_names():
    """claimtrack.export exports exactly these names, sorted."""
    assert export.__all__ == sorted(export.__all__)
    assert set(export.__all__) <= set(dir(export))
    assert "to_prov" in export.__all__
    assert claimtrack.export is export
