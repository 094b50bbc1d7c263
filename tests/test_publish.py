"""Publishable exports: ClaimReview as Google documents it, and PROV read back with prov."""

import datetime as dt
import io
import json
import re
import warnings

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from prov.model import (
    PROV_TYPE,
    ProvActivity,
    ProvDerivation,
    ProvDocument,
    ProvGeneration,
    ProvInfluence,
    ProvInvalidation,
)

import claimtrack

from claimtrack import export
from claimtrack.cli import main


ROOT = Path(__file__).parent.parent
SEED = ROOT / "examples" / "iraq-2024" / "case.yaml"
URL = "https://desk.example/reviews/babil"
NS = "urn:claimtrack:"


def figures_case() -> claimtrack.Case:
    """A toll revised (39 superseded by 50), a retracted claim, a denial and declared relations."""
    case = claimtrack.Case(title="Station strike")
    case.add_source("gov", "Regional government", "government", reliability="B")
    case.add_source("news", "A daily", "outlet", reliability="B")
    case.add_source("army", "The army", "military", reliability="C")
    case.add_document(
        "d1", "news", "Missiles hit the station", published="2022-04-08", url="https://n.example/1"
    )
    case.add_document("d2", "news", "Toll rises", published="2022-04")
    case.add_document("d3", "news", "Army statement", published="2022")
    case.add_question("toll", "How many were killed?")
    case.add_claim("toll-39", "39 were killed", question="toll", value={"exactly": 39})
    case.add_claim("toll-50", "50 were killed", question="toll", value={"exactly": 50})
    case.add_claim("missiles", "Missiles struck the station")
    case.add_claim("ceasefire", "A local ceasefire was agreed")
    case.add_claim("damage", "The station was damaged")
    case.attribute("toll-39", "gov", document="d1", via=["news"], said="2022-04-07")
    case.attribute("toll-50", "gov", document="d1", said="2022-04-08T16:30:00+03:00")
    case.attribute("missiles", "gov", document="d1")
    case.attribute("missiles", "army", "denies", document="d3")
    case.attribute("ceasefire", "news", document="d2")
    case.attribute("ceasefire", "news", "retracts", document="d2")
    case.relate("supersedes", "toll-50", "toll-39", reason="a later count", by="gov")
    case.relate("implies", "missiles", "damage")
    case.relate("contradicts", "toll-50", "toll-39")
    case.relate("supports", "damage", "missiles")
    return case


# ---- ClaimReview, checked as Google's structured-data documentation describes it -------------

_ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2}(T[\d:.]+([+-]\d{2}:\d{2}|Z)?)?)?)?")


def _is_url(text: object) -> bool:
    if not isinstance(text, str):
        return False
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _agent_ok(agent: object) -> bool:
    return (
        isinstance(agent, dict)
        and agent.get("@type") in ("Organization", "Person")
        and bool(agent.get("name"))
    )


def _rating_problems(rating: dict) -> list[str]:
    problems = [] if rating.get("@type") == "Rating" else ["reviewRating"]
    numbers = [rating.get(k) for k in ("worstRating", "ratingValue", "bestRating")]
    if not all(isinstance(n, int) for n in numbers):
        problems.append("reviewRating: ratingValue, bestRating and worstRating")
    elif not numbers[0] <= numbers[1] <= numbers[2]:
        problems.append("reviewRating.ratingValue out of range")
    if not isinstance(rating.get("alternateName"), str) or not rating["alternateName"]:
        problems.append("reviewRating.alternateName")
    return problems


def _item_problems(item: dict) -> list[str]:
    works = [
        *item.get("appearance", []),
        *([item["firstAppearance"]] if "firstAppearance" in item else []),
    ]
    checks = {
        "itemReviewed": item.get("@type") == "Claim",
        "itemReviewed.author": all(_agent_ok(a) for a in item.get("author", [])),
        "itemReviewed.datePublished": bool(_ISO_DATE.fullmatch(item.get("datePublished", "2000"))),
        "itemReviewed.appearance": all(
            w.get("@type") == "CreativeWork" and _is_url(w.get("url")) for w in works
        ),
    }
    return [name for name, ok in checks.items() if not ok]


def google_problems(review: dict) -> list[str]:
    """What a ClaimReview lacks of the properties Google requires or recommends.

    Required: claimReviewed, reviewRating (ratingValue, bestRating, worstRating, and
    alternateName, the textual rating), url. Recommended: author (with a name),
    datePublished, itemReviewed (a Claim with author, datePublished and appearance).
    """
    checks = {
        "@type": review.get("@type") == "ClaimReview",
        "claimReviewed": isinstance(review.get("claimReviewed"), str)
        and bool(review["claimReviewed"]),
        "url": _is_url(review.get("url")),
        "author.name": _agent_ok(review.get("author")),
        "datePublished": bool(_ISO_DATE.fullmatch(str(review.get("datePublished", "")))),
    }
    return [
        *(name for name, ok in checks.items() if not ok),
        *_rating_problems(review.get("reviewRating") or {}),
        *_item_problems(review.get("itemReviewed") or {}),
    ]


def _reviews(case, **kwargs):
    options = {"reviewer": "Desk A", "url": URL, "date": dt.date(2024, 8, 1)} | kwargs
    return export.to_claimreview(case, **options)["@graph"]


class TestClaimReview:
    def test_seed_reviews_meet_googles_properties(self):
        """Every review of the bundled case has what Google requires and recommends."""
        case = claimtrack.load(SEED)
        reviews = _reviews(case, reviewer_url="https://desk.example")
        assert reviews
        for review in reviews:
            assert google_problems(review) == [], review["claimReviewed"]
            assert review["author"] == {
                "@type": "Organization",
                "name": "Desk A",
                "url": "https://desk.example",
            }
            assert review["datePublished"] == "2024-08-01"
            assert review["url"] == URL
        assert any("appearance" in r["itemReviewed"] for r in reviews)
        assert any("datePublished" in r["itemReviewed"] for r in reviews)
        assert all(
            r["itemReviewed"].get("author") for r in reviews if r["itemReviewed"].get("appearance")
        )

    def test_review_body_is_a_sentence_without_ids(self):
        """reviewBody is one short sentence naming the finding, holding no internal id."""
        case = claimtrack.load(SEED)
        ids = {*case.claims, *case.sources, *case.documents, *case.questions}
        for review in _reviews(case):
            body = review["reviewBody"]
            assert body.startswith("Assessed as ")
            assert body.endswith(".")
            assert body.count(".") == 1
            assert len(body) < 160
            words = set(re.findall(r"[\w-]+", body))
            assert not words & ids, words & ids
            assert not ids & set(re.findall(r"[\w-]+", review["reviewRating"]["ratingExplanation"]))

    def test_only_the_claims_reviewed(self):
        """claims= is an opt-in list: only those claims are reviewed, in the case's order."""
        case = figures_case()
        reviews = _reviews(case, claims=["missiles", "toll-50"])
        assert [r["claimReviewed"] for r in reviews] == [
            "50 were killed",
            "Missiles struck the station",
        ]

    def test_superseded_and_retracted_are_never_reviewed(self):
        """Left out when every claim is reviewed; refused when named."""
        case = figures_case()
        result = case.assess()
        assert result["toll-39"].status is claimtrack.Status.SUPERSEDED
        assert result["ceasefire"].status is claimtrack.Status.RETRACTED
        reviewed = {r["claimReviewed"] for r in _reviews(case)}
        assert "39 were killed" not in reviewed
        assert "A local ceasefire was agreed" not in reviewed
        assert "50 were killed" in reviewed
        with pytest.raises(ValueError, match="'toll-39' is superseded"):
            _reviews(case, claims=["toll-39"])
        with pytest.raises(ValueError, match="'ceasefire' is retracted"):
            _reviews(case, claims=["ceasefire", "missiles"])
        with pytest.raises(ValueError, match="no such claim"):
            _reviews(case, claims=["nope"])

    def test_appearance_only_with_a_url(self):
        """Documents without a URL are not appearances; the claim keeps its earliest date."""
        case = figures_case()
        (review,) = _reviews(case, claims=["toll-50"])
        item = review["itemReviewed"]
        assert [w["url"] for w in item["appearance"]] == ["https://n.example/1"]
        assert (
            item["datePublished"] == "2022-04-08T16:30:00+03:00"
        )  # said, the day it was published
        assert item["author"] == [{"@type": "Organization", "name": "Regional government"}]
        (review,) = _reviews(case, claims=["damage"])
        assert set(review["itemReviewed"]) == {"@type", "text"}

    def test_denial_counts_in_the_body(self):
        """A denial is named in the sentence."""
        (review,) = _reviews(figures_case(), claims=["missiles"])
        assert "1 denies it" in review["reviewBody"]


class TestClaimReviewCommand:
    def run(self, *args, capsys=None):
        return main(["export", str(SEED), "--to", "claimreview", *args])

    def test_refuses_without_an_author(self, tmp_path, capsys):
        """No --reviewer: exit 1, the message says what is missing, nothing is written."""
        out = tmp_path / "reviews.json"
        assert self.run("--url", URL, "--all-claims", "-o", str(out)) == 1
        err = capsys.readouterr().err
        assert "a ClaimReview needs an author (--reviewer NAME)" in err
        assert not out.exists()

    def test_refuses_without_url_or_claims(self, capsys):
        """--url and the claims reviewed are asked for as well, all at once."""
        assert self.run("--reviewer", "Desk") == 1
        err = capsys.readouterr().err
        assert "--url URL" in err
        assert "--claims ID,ID or --all-claims" in err
        assert self.run("--reviewer", " ", "--url", URL, "--all-claims") == 1

    def test_publishable(self, capsys):
        """With an author, a URL and a date, every review has them."""
        args = ("--reviewer", "Desk", "--reviewer-url", "https://desk.example", "--url", URL)
        assert self.run(*args, "--date", "2024-08-01", "--all-claims") == 0
        reviews = json.loads(capsys.readouterr().out)["@graph"]
        assert reviews
        for review in reviews:
            assert google_problems(review) == []
            assert review["datePublished"] == "2024-08-01"

    def test_date_defaults_to_today(self, capsys):
        """Without --date, the reviews are dated today (UTC)."""
        assert self.run("--reviewer", "Desk", "--url", URL, "--claims", "truce-existed") == 0
        (review,) = json.loads(capsys.readouterr().out)["@graph"]
        today = dt.datetime.now(dt.UTC).date()
        assert review["datePublished"] in {
            today.isoformat(),
            (today - dt.timedelta(days=1)).isoformat(),
        }

    def test_claims_list(self, capsys):
        """--claims takes ids separated by commas, and may be repeated."""
        args = ("--reviewer", "Desk", "--url", URL, "--claims", "truce-existed,no-formal-truce")
        assert self.run(*args, "--claims", "haniyeh-killed") == 0
        reviews = json.loads(capsys.readouterr().out)["@graph"]
        assert len(reviews) == 3

    def test_unknown_or_superseded_claim(self, tmp_path, capsys):
        """A claim that cannot be reviewed exits 1 with the reason."""
        path = tmp_path / "case.yaml"
        figures_case().save(path)
        argv = ["export", str(path), "--to", "claimreview", "--reviewer", "D", "--url", URL]
        assert main([*argv, "--claims", "toll-39"]) == 1
        assert "'toll-39' is superseded" in capsys.readouterr().err
        assert main([*argv, "--claims", "nope"]) == 1

    def test_bad_combinations(self, capsys):
        """Both --claims and --all-claims, a bad date, or review options elsewhere: usage errors."""
        assert self.run("--reviewer", "D", "--url", URL, "--claims", "a", "--all-claims") == 2
        assert self.run("--reviewer", "D", "--url", URL, "--all-claims", "--date", "1 Aug") == 2
        assert main(["export", str(SEED), "--to", "csv", "--url", URL]) == 2
        assert "only for --to claimreview" in capsys.readouterr().err
        assert self.run("--reviewer", "D", "--url", "reviews.html", "--all-claims") == 2
        assert "--url: expected an absolute http(s) address" in capsys.readouterr().err


# ---- PROV, read back with the prov package -----------------------------------------------


def _read_back(case):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        doc = export.to_prov(case)
        from_json = ProvDocument.deserialize(content=doc.serialize(format="json"), format="json")
        from_provn = ProvDocument.deserialize(content=export.to_provn(case), format="provn")
    assert from_json == doc
    assert len(from_provn.get_records()) == len(doc.get_records())
    return from_json, from_provn


def _uri(ref) -> str:
    return str(ref.uri)


def _types(record) -> set[str]:
    return {str(t) for t in record.get_attribute(PROV_TYPE)}


@pytest.fixture(name="docs", scope="module")
def _docs():
    return _read_back(figures_case())


class TestProv:
    @pytest.mark.parametrize("which", [0, 1], ids=["prov-json", "prov-n"])
    def test_supersedes_is_a_revision(self, docs, which):
        """The newer figure wasRevisionOf the older, with the reason and who decided."""
        revisions = [
            r for r in docs[which].get_records(ProvDerivation) if "prov:Revision" in _types(r)
        ]
        (revision,) = revisions
        assert (_uri(revision.args[0]), _uri(revision.args[1])) == (
            f"{NS}claim/toll-50",
            f"{NS}claim/toll-39",
        )
        values = {str(k): v for k, v in revision.attributes}
        assert values["claimtrack:reason"] == "a later count"
        assert str(values["claimtrack:by"]) == "claimtrack:source/gov"

    @pytest.mark.parametrize("which", [0, 1], ids=["prov-json", "prov-n"])
    def test_relations_are_typed_influences(self, docs, which):
        """contradicts, implies and supports: wasInfluencedBy, typed in the claimtrack namespace."""
        found = {
            (_uri(r.args[0]), _uri(r.args[1]), t)
            for r in docs[which].get_records(ProvInfluence)
            for t in _types(r)
        }
        assert (f"{NS}claim/missiles", f"{NS}claim/damage", "claimtrack:Implies") in found
        assert (f"{NS}claim/toll-50", f"{NS}claim/toll-39", "claimtrack:Contradicts") in found
        assert (f"{NS}claim/damage", f"{NS}claim/missiles", "claimtrack:Supports") in found

    @pytest.mark.parametrize("which", [0, 1], ids=["prov-json", "prov-n"])
    def test_denial_is_its_own_influence(self, docs, which):
        """A denial influences the claim, typed claimtrack:Denial; the claim is not derived from it."""
        doc = docs[which]
        denial = f"{NS}statement/3"
        derived = {(_uri(r.args[0]), _uri(r.args[1])) for r in doc.get_records(ProvDerivation)}
        assert (f"{NS}claim/missiles", denial) not in derived
        assert (f"{NS}claim/missiles", f"{NS}statement/2") in derived
        influences = {
            (_uri(r.args[0]), _uri(r.args[1])): _types(r) for r in doc.get_records(ProvInfluence)
        }
        assert influences[(f"{NS}claim/missiles", denial)] == {"claimtrack:Denial"}
        assert influences[(f"{NS}claim/ceasefire", f"{NS}statement/5")] == {"claimtrack:Retraction"}

    @pytest.mark.parametrize("which", [0, 1], ids=["prov-json", "prov-n"])
    def test_dates_keep_their_precision(self, docs, which):
        """A day is xsd:date, a month xsd:gYearMonth, a year xsd:gYear, a time xsd:dateTime."""
        doc = docs[which]
        published = {}
        for record in doc.get_records():
            for key, value in record.attributes:
                if str(key) in ("claimtrack:published", "claimtrack:said"):
                    published[(_uri(record.identifier), str(key))] = value
        day = published[(f"{NS}document/d1", "claimtrack:published")]
        assert (str(day.datatype), day.value) == ("xsd:date", "2022-04-08")
        month = published[(f"{NS}document/d2", "claimtrack:published")]
        assert (str(month.datatype), month.value) == ("xsd:gYearMonth", "2022-04")
        year = published[(f"{NS}document/d3", "claimtrack:published")]
        assert (str(year.datatype), year.value) == ("xsd:gYear", "2022")
        said = published[(f"{NS}statement/0", "claimtrack:said")]
        assert (str(said.datatype), said.value) == ("xsd:date", "2022-04-07")
        time = published[(f"{NS}statement/1", "claimtrack:said")]
        assert time == dt.datetime(2022, 4, 8, 16, 30, tzinfo=dt.timezone(dt.timedelta(hours=3)))

    @pytest.mark.parametrize("which", [0, 1], ids=["prov-json", "prov-n"])
    def test_no_naive_midnights(self, docs, which):
        """Only a time of day is a PROV time; no day becomes midnight."""
        times = [
            t
            for r in docs[which].get_records()
            if r.is_relation()
            for t in r.get_attribute("prov:time")
        ]
        assert times == [dt.datetime(2022, 4, 8, 16, 30, tzinfo=dt.timezone(dt.timedelta(hours=3)))]
        generations = docs[which].get_records(ProvGeneration)
        assert [_uri(g.args[0]) for g in generations] == [f"{NS}statement/1"]

    def test_withdrawal_dated_to_the_day(self):
        """A retraction dated to a day: no invalidation time, the activity keeps the date."""
        case = claimtrack.Case(title="walk-back")
        case.add_source("s", "Speaker", "person")
        case.add_claim("c", "It happened")
        case.attribute("c", "s", id="first", said="2023-10-19")
        case.attribute("c", "s", "retracts", withdraws="first", said="2023-10-20")
        doc, _ = _read_back(case)
        (invalidation,) = doc.get_records(ProvInvalidation)
        assert invalidation.args[2] is None
        (activity,) = doc.get_records(ProvActivity)
        (said,) = activity.get_attribute("claimtrack:said")
        assert (str(said.datatype), said.value) == ("xsd:date", "2023-10-20")

    def test_command_writes_the_revision(self, tmp_path, capsys):
        """claimtrack export --to prov-json writes the revision (as PROV-JSON's typed derivation)."""
        path = tmp_path / "case.json"
        figures_case().save(path)
        assert main(["export", str(path), "--to", "prov-json"]) == 0
        out = capsys.readouterr().out
        assert '"prov:Revision"' in out
        assert "toll-50 supersedes toll-39" in out
        assert main(["export", str(path), "--to", "prov-n"]) == 0
        assert "prov:type='prov:Revision'" in capsys.readouterr().out

    def test_hostile_reasons_stay_inert(self):
        """A relation's reason with control and bidi characters goes through PROV-N's escapes."""
        case = figures_case()
        case.relate("contradicts", "damage", "ceasefire", reason='\x1b[31m"red"\u202e\r\n')
        text = export.to_provn(case)
        assert "\x1b" not in text
        assert "\u202e" not in text
        assert text.count("\n") == len(text.splitlines())
        back = ProvDocument.deserialize(content=text, format="provn")
        reasons = {
            v for r in back.get_records() for k, v in r.attributes if str(k) == "claimtrack:reason"
        }
        assert '\\x1b[31m"red"\\u202e\r\n' in reasons
        assert isinstance(io.StringIO(text).read(), str)


class TestToPathsAndFiles:
    """Every export that returns data also writes it to a path or an open text file."""

    def test_claimreview(self, tmp_path):
        case = claimtrack.load(SEED)
        kw = {"reviewer": "Desk", "url": "https://example.org/r", "date": dt.date(2024, 8, 1)}
        data = export.to_claimreview(case, file=tmp_path / "r.jsonld", **kw)
        assert (tmp_path / "r.jsonld").read_text(encoding="utf-8") == export.jsonld_text(data)
        buffer = io.StringIO()
        export.to_claimreview(case, file=buffer, **kw)
        assert json.loads(buffer.getvalue()) == data

    def test_prov_json(self, tmp_path):
        case = claimtrack.load(SEED)
        doc = export.to_prov(case, file=tmp_path / "c.prov.json")
        text = (tmp_path / "c.prov.json").read_text(encoding="utf-8")
        assert text == export.prov_json_text(doc)
        back = ProvDocument.deserialize(content=text, format="json")
        assert len(back.get_records()) == len(doc.get_records())

    def test_provn(self, tmp_path):
        case = claimtrack.load(SEED)
        buffer = io.StringIO()
        text = export.to_provn(case, file=buffer)
        assert buffer.getvalue() == text
        export.to_provn(case, file=tmp_path / "c.provn")
        assert (tmp_path / "c.provn").read_text(encoding="utf-8") == text
