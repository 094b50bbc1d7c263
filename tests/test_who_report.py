"""Who stands behind a claim, in the report and the exports: bodies, evidence, parties, walk-backs.

One small case holds each of them: a spokesman counted with his ministry, four outlets
resting on one video, a question with parties and claims that blame them, a walk-back
(``withdraws``) and a hedge. Every report format shows them, every export carries them,
and hostile text in an evidence description or an attribution id stays inert.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from prov.model import (
    PROV_TYPE,
    ProvActivity,
    ProvAssociation,
    ProvDerivation,
    ProvDocument,
    ProvEntity,
    ProvGeneration,
    ProvInvalidation,
)
from rich.console import Console

import claimtrack

from claimtrack import export
from claimtrack.cli import main, render
from claimtrack.engine import WarningKind
from claimtrack.report import Report
from claimtrack.report._content import _KIND_WORDS
from claimtrack.report._safe import md


NS = "urn:claimtrack:"
_CONTROL_BYTES = {chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))} - {"\n", "\t"}
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
HOSTILE = "[bold red]PWNED[/] \x1b[31mred\x1b[0m <script>alert(1)</script> a|b \u202eevil =1+1"
HOSTILE_ID = "=cmd|'/C'!A0[bold]<img>\u202e\x9b"
"""An id (no spaces or C0 controls) with a formula prefix, markup, a tag, a bidi override, C1."""


def who_case(description: str = "A livestream of the moment", on_air: str = "on-air"):
    """A hospital blast: a ministry and its spokesman, four outlets on one video, a walk-back."""
    case = claimtrack.Case(title="Hospital blast")
    case.add_source("moh", "Ministry of Health", "official-body", reliability="C")
    case.add_source("spox", "Ministry spokesman", "person", speaks_for=["moh"])
    case.add_source("army", "The army", "military", reliability="C")
    case.add_source("group", "The group", "armed-group", reliability="D")
    for k in range(4):
        case.add_source(f"o{k}", f"Outlet {k}", "outlet", reliability="B")
    case.add_source("tv", "A broadcaster", "outlet", reliability="B")
    case.add_source("corr", "Its correspondent", "person", member_of=["tv"])
    case.add_document("bulletin", "tv", "Evening bulletin", published="2023-10-17")
    case.add_evidence("clip", "video", description, first_seen="2023-10-17", notes="Notes")
    case.add_evidence("photos", "image", "Photographs of the car park")
    case.add_question("who", "Who caused the blast?", parties=["army", "group"])
    case.add_claim("strike", "An air strike by the army hit it", question="who", blames=["army"])
    case.add_claim("misfire", "A rocket of the group misfired", question="who", blames=["group"])
    case.add_question("toll", "How many were killed?")
    case.add_claim("hundreds", "Hundreds were killed", question="toll")
    case.attribute("strike", "moh")  # 0
    case.attribute("strike", "spox", hedge="likely")  # 1: counted with the ministry
    case.attribute("misfire", "army")  # 2: an accusation
    case.attribute("strike", "group")  # 3: an accusation
    for k in range(4):  # 4-7: one video
        case.attribute("misfire", f"o{k}", based_on=["clip"])
    case.attribute("strike", "corr", document="bulletin", id=on_air, said="2023-10-17")  # 8
    case.attribute(  # 9: the walk-back
        "strike", "tv", "retracts", withdraws=on_air, said="2023-10-20", id="walk-back"
    )
    case.attribute("hundreds", "spox", in_own_name=True)  # 10
    return case


@pytest.fixture(name="case", scope="module")
def _case():
    return who_case()


@pytest.fixture(name="report", scope="module")
def _report(case):
    return Report(case)


@pytest.fixture(name="text", scope="module")
def _text(report):
    return report.to_text(70)


@pytest.fixture(name="markdown", scope="module")
def _markdown(report):
    return report.to_markdown()


def flat(text: str) -> str:
    """The report's text with its panel borders and line breaks taken out, words one space apart."""
    return " ".join(re.sub(r"[│╭╮╰╯─├└]+", " ", text).split())


class TestReport:
    def test_hedge_next_to_the_stance(self, text, markdown):
        """The speaker's own hedge follows its stance."""
        assert "✔ asserts (likely)" in text
        assert "✔ asserts (likely)" in markdown

    def test_spokesman_counted_with_his_ministry(self, text, markdown):
        """The spokesman sits under the ministry's vote, marked as speaking for it."""
        assert "Ministry of Health (C) · asserts · weight" in text
        assert "with Ministry spokesman" in flat(text)
        assert "⇒ speaks for Ministry of Health" in flat(text)
        assert "Ministry spokesman, own report" in text
        assert "⇒ speaks for Ministry of Health" in markdown

    def test_in_own_name(self, case):
        """A spokesman speaking in his own name is marked so, and not as speaking for the body."""
        text = Report(case, question="toll").to_text(120)
        assert "◇ in own name" in text
        assert "speaks for Ministry" not in text.split("Legend")[0]

    def test_evidence_per_attribution_and_section(self, text, markdown):
        """Each attribution names what it rests on; the Evidence section lists every item."""
        assert text.count("▣ rests on video 'clip'") >= 4
        assert "with Outlet 1, Outlet 2, Outlet 3" in flat(text)
        evidence = flat(text.split("Evidence ─", 1)[1].split("Conflicts ─", 1)[0])
        assert "▣ video 'clip' · first seen 2023-10-17 · A livestream of the moment" in evidence
        assert "rested on by Outlet 0 (A1), Outlet 1 (A1), Outlet 2 (A1), Outlet 3 (A1)" in evidence
        assert "▣ image 'photos' · Photographs of the car park" in evidence
        assert "rested on by nobody" in evidence
        assert "## Evidence" in markdown
        assert (
            "| ▣ | clip | video | 2023-10-17 | A livestream of the moment | "
            "Outlet 0 (A1), Outlet 1 (A1), Outlet 2 (A1), Outlet 3 (A1) |"
        ) in markdown
        assert "| ▣ | photos | image | — | Photographs of the car park | nobody |" in markdown

    def test_evidence_in_scope_only(self, case):
        """One question's report lists only the evidence its attributions rest on, or none."""
        who = Report(case, question="who")
        assert [e.id for e in who.content.evidence] == ["clip"]
        toll = Report(case, question="toll")
        assert toll.content.evidence == ()
        assert "Evidence ─" not in toll.to_text(100)
        assert "## Evidence" not in toll.to_markdown()

    def test_withdrawal_both_ways(self, text, markdown):
        """The withdrawn attribution names who withdrew it; the retraction names what it withdraws."""
        flat_text = flat(text)
        assert "⊘ withdrawn by A broadcaster (id on-air) (not counted)" in flat_text
        assert "↺ retracts (no quote recorded) withdraws 'on-air' (id walk-back)" in flat_text
        assert "⊘ withdrawn by A broadcaster (id on-air) (not counted)" in markdown
        assert "withdraws 'on-air' (id walk-back)" in markdown

    def test_parties_blames_and_stakes(self, text, markdown):
        """The question's parties, whom each claim blames, and each vote's stake are shown."""
        assert "Parties: The army, The group." in text
        assert "Parties: The army, The group." in markdown
        assert "blames The group" in text
        assert "blames The army" in text
        assert "id misfire · blames The group" in markdown
        assert re.search(r"The army \(C\) · asserts · weight [\d.]+ · accusation", text)
        assert re.search(r"\*\*The group\*\* \(D\) · weight [\d.]+ · accusation", markdown)

    def test_every_warning_kind_has_a_label(self):
        """Each kind of warning has a word in the report, the new ones included."""
        assert set(_KIND_WORDS) == set(WarningKind)
        assert _KIND_WORDS[WarningKind.AGAINST_INTEREST] == "against interest"
        assert _KIND_WORDS[WarningKind.RETRACTION] == "retraction"

    def test_new_warnings_render(self):
        """A lone retraction and a statement against interest show with their labels."""
        case = claimtrack.Case(title="Warnings")
        case.add_source("s", "A speaker", "person", reliability="B")
        case.add_source("t", "An outlet", "outlet", reliability="B")
        case.add_claim("c", "Something happened")
        case.attribute("c", "s", "retracts")
        case.attribute("c", "t", against_interest=True)
        report = Report(case)
        text = report.to_text(120)
        assert "⚠ retraction" in text
        assert "⚠ against interest" in text
        assert "⚖ against interest" in text
        assert re.search(r"An outlet \(B\) · asserts · weight [\d.]+ · against interest", text)
        markdown = report.to_markdown()
        assert "- ⚠ **retraction**: " in markdown
        assert "- ⚠ **against interest**: " in markdown

    def test_html_and_svg(self, report):
        """HTML and SVG carry the same words."""
        page = report.to_html(140)
        for words in ("asserts (likely)", "withdrawn by", "rests on", "Parties: The army"):
            assert words in page
        svg = report.to_svg(140)
        assert "withdrawn&#160;by" in svg
        assert "(likely)" in svg

    def test_legend_explains_the_new_marks(self, text):
        """Every new mark has a line in the legend."""
        legend = text.split("Legend ─", 1)[1]
        for mark in ("⇒ speaks for", "◇ in own name", "⚖ against interest", "▣ rests on"):
            assert mark in legend
        assert "⊘ withdrawn by" in legend

    def test_markdown_tables_hold(self, markdown):
        """Every Markdown table keeps its column count."""
        table: list[int] = []
        for line in [*markdown.splitlines(), ""]:
            if line.startswith("|"):
                table.append(line.replace("\\|", "").count("|"))
            elif table:
                assert len(set(table)) == 1, table
                table = []

    def test_record_views(self, case):
        """rich.print of an attribution and a question shows the new fields."""
        buffer = io.StringIO()
        console = Console(file=buffer, width=200, color_system=None)
        console.print(case.attributions[1], case.attributions[9], case.questions["who"])
        console.print(case.claims["misfire"], case.attributions[4])
        out = buffer.getvalue()
        assert "spox ✔ asserts (likely) strike" in out
        assert "withdraws on-air" in out
        assert "id walk-back" in out
        assert "army, group" in out
        assert "based on clip" in out


@pytest.fixture(name="hostile", scope="module")
def _hostile():
    """The case with hostile text in an evidence description and an attribution id, rendered."""
    case = who_case(description="Evidence " + HOSTILE, on_air=HOSTILE_ID)
    report = Report(case)
    return case, {
        "text": report.to_text(70),
        "md": report.to_markdown(),
        "html": report.to_html(140),
        "svg": report.to_svg(140),
    }


class TestHostile:
    @pytest.mark.parametrize("fmt", ["text", "md", "html", "svg"])
    def test_reports_are_inert(self, hostile, fmt):
        """No control byte or bidi override from a description or an id reaches any format."""
        out = hostile[1][fmt]
        assert not _CONTROL_BYTES & set(out)
        assert not _BIDI & set(out)
        if fmt != "text":  # plain text shows tags as written; nothing reads them there
            assert "<script" not in out
            assert "<img" not in out

    def test_text_shows_markup_and_escapes(self, hostile):
        """Markup is shown as written; escapes are spelled out."""
        text = flat(hostile[1]["text"])
        assert "Evidence [bold red]PWNED[/]" in text
        assert "\\x1b[31mred" in text
        assert "\\u202e" in text
        assert "withdraws '=cmd|'/C'!A0[bold]<img>\\u202e\\x9b'" in text

    def test_markdown_escapes(self, hostile):
        """In Markdown the description and the id are escaped and the tables hold."""
        markdown = hostile[1]["md"]
        assert md("Evidence " + HOSTILE) in markdown
        assert f"(id {md(HOSTILE_ID)})" in markdown
        for line in markdown.splitlines():
            if line.startswith("| ▣"):
                assert line.replace("\\|", "").count("|") == 7

    def test_exports(self, hostile):
        """JSON Lines and PROV-JSON give the exact text; CSV cells never start a formula."""
        case = hostile[0]
        rows = [json.loads(line) for line in render(case, "jsonl").splitlines()]
        assert rows[8]["attribution_id"] == HOSTILE_ID
        assert rows[9]["withdraws"] == HOSTILE_ID
        for to in ("jsonl", "prov-json", "prov-n", "claimreview"):
            out = render(case, to)
            assert not _CONTROL_BYTES & set(out), to
            assert not _BIDI & set(out), to
        table = list(csv.DictReader(io.StringIO(render(case, "csv"), newline="")))
        assert table[8]["attribution_id"] == "'" + HOSTILE_ID
        assert table[9]["withdraws"] == "'" + HOSTILE_ID
        prov = json.loads(render(case, "prov-json"))
        labels = [e.get("prov:label") for e in prov["entity"].values()]
        assert f"Evidence {HOSTILE}" in labels
        out = io.StringIO()
        export.write_csv(export.evidence_rows(case), out, export.EVIDENCE_COLUMNS)
        (clip, _) = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
        assert clip["description"] == "Evidence " + HOSTILE
        case.replace(claimtrack.Evidence("photos", "image", "=HYPERLINK(1)", notes="@notes"))
        out = io.StringIO()
        export.write_csv(export.evidence_rows(case), out, export.EVIDENCE_COLUMNS)
        (_, photos) = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
        assert (photos["description"], photos["notes"]) == ("'=HYPERLINK(1)", "'@notes")


class TestAssessJson:
    def test_votes_say_who_stands_behind_them(self, case, tmp_path, capsys):
        """Each vote keeps its keys and adds stake, hedge, speakers and evidence."""
        path = tmp_path / "case.yaml"
        case.save(path)
        assert main(["assess", str(path), "--format", "json"]) == 0
        data = json.loads(capsys.readouterr().out)
        votes = {(a["claim"], v["origin"]): v for a in data["assessments"] for v in a["votes"]}
        assert list(votes["strike", "moh"]) == [
            "origin",
            "stance",
            "weight",
            "publishers",
            "attributions",
            "stake",
            "hedge",
            "speakers",
            "evidence",
        ]
        assert votes["strike", "moh"]["speakers"] == ["spox"]
        assert votes["strike", "moh"]["stake"] == "none"
        assert votes["misfire", "o0"]["evidence"] == ["clip"]
        assert votes["misfire", "o0"]["speakers"] == ["o1", "o2", "o3"]
        assert votes["misfire", "army"]["stake"] == "accuses"
        assert all(v["hedge"] in (None, "likely") for v in votes.values())

    def test_hedge_value(self):
        """A hedged vote carries its word."""
        case = claimtrack.Case(title="Hedge")
        case.add_source("s", "A speaker", "person", reliability="B")
        case.add_claim("c", "Something happened")
        case.attribute("c", "s", hedge="very likely")
        data = export.assessments_to_data(case.assess())
        (vote,) = data["assessments"][0]["votes"]
        assert vote["hedge"] == "very likely"


class TestTables:
    def test_attribution_rows(self, case):
        """The long table carries id, evidence, withdrawal, hedge, marks, body, parties, blames."""
        rows = list(export.attribution_rows(case))
        assert all(tuple(r) == export.COLUMNS for r in rows)
        assert rows[1]["hedge"] == "likely"
        assert rows[1]["speaks_as"] == "moh"
        assert rows[0]["speaks_as"] is None
        assert rows[10]["speaks_as"] is None
        assert rows[10]["in_own_name"] is True
        assert rows[0]["in_own_name"] is False
        assert rows[0]["against_interest"] is False
        assert rows[4]["based_on"] == "clip"
        assert rows[0]["based_on"] is None
        assert (rows[8]["attribution_id"], rows[8]["withdraws"]) == ("on-air", None)
        assert (rows[9]["attribution_id"], rows[9]["withdraws"]) == ("walk-back", "on-air")
        assert rows[0]["question_parties"] == "army group"
        assert rows[0]["claim_blames"] == "army"
        assert rows[10]["question_parties"] is None

    def test_csv_and_dataframe(self, case):
        """CSV and pandas hold the new columns."""
        out = io.StringIO()
        export.to_csv(case, out)
        rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
        assert rows[9]["withdraws"] == "on-air"
        assert rows[10]["in_own_name"] == "True"
        frame = case.to_dataframe()
        # each date is followed by its precision (year, month, day or time)
        named = [c for c in frame.columns if not c.endswith("_precision")]
        assert named == list(export.COLUMNS)
        assert frame["in_own_name"].tolist().count(True) == 1

    def test_assessment_rows(self, case):
        """Each claim's row names the question's parties, whom it blames and its evidence."""
        rows = {r["claim"]: r for r in export.assessment_rows(case)}
        assert all(tuple(r) == export.ASSESSMENT_COLUMNS for r in rows.values())
        assert rows["misfire"]["question_parties"] == "army group"
        assert rows["misfire"]["claim_blames"] == "group"
        assert rows["misfire"]["evidence"] == "clip"
        assert rows["hundreds"]["evidence"] is None
        assert rows["hundreds"]["question_parties"] is None

    def test_evidence_rows(self, case):
        """One row per item of evidence, with what rests on it."""
        rows = list(export.evidence_rows(case))
        assert all(tuple(r) == export.EVIDENCE_COLUMNS for r in rows)
        clip, photos = rows
        assert clip == {
            "evidence": "clip",
            "kind": "video",
            "description": "A livestream of the moment",
            "first_seen": "2023-10-17",
            "notes": "Notes",
            "attributions": "4 5 6 7",
            "claims": "misfire",
            "sources": "o0 o1 o2 o3",
        }
        assert (photos["attributions"], photos["first_seen"]) == (None, None)


def _records(doc, kind):
    return [r for r in doc.get_records() if isinstance(r, kind)]


@pytest.fixture(name="doc", scope="module")
def _doc(case):
    return export.to_prov(case)


class TestProv:
    def test_evidence_entities(self, doc):
        """Each item of evidence is an entity typed by its kind, labelled by its description."""
        entities = {str(e.identifier.uri): e for e in _records(doc, ProvEntity)}
        clip = entities[f"{NS}evidence/clip"]
        assert str(next(iter(clip.get_attribute(PROV_TYPE)))) == "claimtrack:Video"
        assert clip.label == "A livestream of the moment"
        photos = entities[f"{NS}evidence/photos"]
        assert str(next(iter(photos.get_attribute(PROV_TYPE)))) == "claimtrack:Image"

    def test_statements_derive_from_their_evidence(self, doc):
        """Each statement resting on the video was derived from it."""
        derived = {(str(r.args[0].uri), str(r.args[1].uri)) for r in _records(doc, ProvDerivation)}
        for k in range(4, 8):
            assert (f"{NS}statement/{k}", f"{NS}evidence/clip") in derived
        assert not any(e.endswith("evidence/photos") for _, e in derived)

    def test_withdrawal_invalidates(self, doc):
        """The walk-back is made by a withdrawal, by its speaker, which invalidates the withdrawn."""
        (activity,) = _records(doc, ProvActivity)
        assert str(activity.identifier.uri) == f"{NS}withdrawal/9"
        (invalidation,) = _records(doc, ProvInvalidation)
        assert str(invalidation.args[0].uri) == f"{NS}statement/8"
        assert str(invalidation.args[1].uri) == f"{NS}withdrawal/9"
        # a date without a time of day is no PROV time (no naive midnight): the withdrawal
        # carries it as an xsd:date instead
        assert invalidation.args[2] is None
        (said,) = activity.get_attribute("claimtrack:said")
        assert (str(said.datatype), said.value) == ("xsd:date", "2023-10-20")
        made = {
            (str(r.args[0].uri), str(r.args[1].uri) if r.args[1] else None)
            for r in _records(doc, ProvGeneration)
        }
        assert (f"{NS}statement/9", f"{NS}withdrawal/9") in made
        (association,) = _records(doc, ProvAssociation)
        assert str(association.args[1].uri) == f"{NS}source/tv"

    def test_statement_attributes(self, doc):
        """Statements carry their id, hedge, the body counted and the analyst's marks."""
        entities = {str(e.identifier.uri): e for e in _records(doc, ProvEntity)}
        spox = dict(entities[f"{NS}statement/1"].attributes)
        assert str(spox[doc.valid_qualified_name("claimtrack:hedge")]) == "likely"
        assert (
            str(spox[doc.valid_qualified_name("claimtrack:speaks_as")]) == "claimtrack:source/moh"
        )
        walk = dict(entities[f"{NS}statement/9"].attributes)
        assert str(walk[doc.valid_qualified_name("claimtrack:id")]) == "walk-back"
        own = dict(entities[f"{NS}statement/10"].attributes)
        assert own[doc.valid_qualified_name("claimtrack:in_own_name")] is True

    def test_round_trip(self, doc):
        """PROV-JSON reads back equal, and PROV-N writes."""
        back = ProvDocument.deserialize(content=doc.serialize(format="json"), format="json")
        assert back == doc
        assert "wasInvalidatedBy(claimtrack:statement/8" in doc.get_provn()


class TestClaimReview:
    def test_spokesman_stays_the_author_with_his_body(self, case):
        """The spokesman is an author, affiliated with the ministry his words count as."""
        reviews = export.to_claimreview(case)["@graph"]
        strike = next(r for r in reviews if r["claimReviewed"].startswith("An air strike"))
        authors = strike["itemReviewed"]["author"]
        assert {
            "@type": "Person",
            "name": "Ministry spokesman",
            "affiliation": {"@type": "Organization", "name": "Ministry of Health"},
        } in authors
        assert {"@type": "Organization", "name": "Ministry of Health"} in authors
        hundreds = next(r for r in reviews if r["claimReviewed"] == "Hundreds were killed")
        assert hundreds["itemReviewed"]["author"] == [
            {"@type": "Person", "name": "Ministry spokesman"}
        ]

    def test_press_office_of_a_ministry(self):
        """An organisation speaking for another has it as its parent organisation."""
        case = claimtrack.Case(title="Office")
        case.add_source("moh", "Ministry of Health", "official-body")
        case.add_source("office", "Press office", "official-body", speaks_for=["moh"])
        case.add_claim("c", "Something happened")
        case.attribute("c", "office")
        (review,) = export.to_claimreview(case)["@graph"]
        (author,) = review["itemReviewed"]["author"]
        assert author["parentOrganization"] == {
            "@type": "Organization",
            "name": "Ministry of Health",
        }
