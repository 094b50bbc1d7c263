"""Judgements over time: month and year dates, about-values, ``implies``, and ``Case.as_of``."""

from __future__ import annotations

import datetime as dt
import json
import sys

from pathlib import Path

import attrs
import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


sys.path.insert(0, str(Path(__file__).parent))  # tests/ is not a package; strategies.py sits here
import claimtrack

from claimtrack import Affiliation, CaseFileError, Count, Period, RelationKind
from claimtrack.cli import main
from claimtrack.files._bulk import build
from claimtrack.files._case_files import _read_case
from claimtrack.files._parsing import DEFAULT_LIMITS
from claimtrack.files._reading import case_from_data, case_to_data
from claimtrack.model._dates import later
from claimtrack.model._records import parse_moment
from claimtrack.store import open_store
from strategies import cases, counts


HEAD = "claimtrack: 1\ntitle: T\n"
SOURCES = "sources:\n  r: {name: R, kind: outlet}\n  g: {name: G, kind: government}\n"

_PERIODS = st.builds(Period, st.integers(1, 9999), st.none() | st.integers(1, 12))
_DAYS = st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31))
_TIMES = st.datetimes(
    dt.datetime(1, 1, 2),  # noqa: DTZ001 - the bounds of naive and aware times alike
    dt.datetime(9999, 12, 30),  # noqa: DTZ001
    timezones=st.none() | st.timezones(),
)
_MOMENTS = st.one_of(_PERIODS, _DAYS, _TIMES)


def loads_error(text: str) -> CaseFileError:
    with pytest.raises(CaseFileError) as info:
        claimtrack.loads(text)
    return info.value


def places(err: CaseFileError) -> list[str]:
    return [p.place for p in err.problems]


def _document(published: str) -> str:
    return f"{HEAD}{SOURCES}documents:\n  d: {{publisher: r, title: T, published: {published}}}\n"


# ---- Period --------------------------------------------------------------------------------


class TestPeriod:
    def test_month_and_year(self):
        feb = Period(2024, 2)
        assert (feb.isoformat(), str(feb), feb.precision) == ("2024-02", "2024-02", "month")
        assert (feb.start, feb.end) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
        year = Period(2023)
        assert (year.isoformat(), year.precision) == ("2023", "year")
        assert (year.start, year.end) == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
        assert Period(7).isoformat() == "0007"

    def test_contains(self):
        assert dt.date(2024, 2, 10) in Period(2024, 2)
        assert dt.datetime(2024, 2, 29, 23, 59) in Period(2024, 2)  # noqa: DTZ001
        assert dt.date(2024, 3, 1) not in Period(2024, 2)
        assert dt.date(2024, 3, 1) in Period(2024)
        assert "2024-02-10" not in Period(2024, 2)

    @pytest.mark.parametrize(
        ("text", "period"), [("2024", Period(2024)), (" 2024-02 ", Period(2024, 2))]
    )
    def test_parse(self, text, period):
        assert Period.parse(text) == period
        assert parse_moment(text) == period

    @pytest.mark.parametrize(
        "text", ["2024-13", "2024-00", "0000", "2024-2", "24", "2024-02-10", ""]
    )
    def test_parse_refuses(self, text):
        with pytest.raises(ValueError, match="expected a year"):
            Period.parse(text)

    def test_fields_checked(self):
        with pytest.raises(ValueError, match="month from 1 to 12"):
            Period(2024, 13)
        with pytest.raises(TypeError, match="whole number"):
            Period("2024")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="year from 1"):
            Period(0)

    def test_no_order_of_its_own(self):
        with pytest.raises(TypeError):
            assert Period(2024, 1) < Period(2024, 2)  # type: ignore[operator]

    @given(_PERIODS)
    def test_isoformat_round_trips(self, period):
        assert Period.parse(period.isoformat()) == period
        assert parse_moment(period.isoformat()) == period


# ---- later: a month is the whole month --------------------------------------------------------


def _span(moment):
    if isinstance(moment, Period):
        return moment.start, moment.end
    day = moment.date() if isinstance(moment, dt.datetime) else moment
    return day, day


class TestLater:
    @given(_PERIODS, st.data())
    def test_a_period_is_neither_before_nor_after_a_day_inside_it(self, period, data):
        day = data.draw(st.dates(period.start, period.end))
        timed = data.draw(st.times()).replace(tzinfo=data.draw(st.none() | st.timezones()))
        for inside in (day, dt.datetime.combine(day, timed)):
            assert not later(period, inside)
            assert not later(inside, period)
        assert not later(period, period)

    @given(_PERIODS, st.integers(1, 400))
    def test_a_day_after_the_period_is_later(self, period, days):
        if period.end <= dt.date.max - dt.timedelta(days=days):
            after = period.end + dt.timedelta(days=days)
            assert later(after, period)
            assert not later(period, after)
        if period.start >= dt.date.min + dt.timedelta(days=days):
            before = period.start - dt.timedelta(days=days)
            assert later(period, before)
            assert not later(before, period)

    @given(_MOMENTS, _MOMENTS)
    def test_later_is_strictly_after_every_day(self, a, b):
        """Beyond two times (compared as instants), a is later exactly when it starts after b ends."""
        if isinstance(a, dt.datetime) and isinstance(b, dt.datetime):
            return
        assert later(a, b) == (_span(a)[0] > _span(b)[1])
        assert not (later(a, b) and later(b, a))

    def test_months_and_years(self):
        assert not later(Period(2024, 2), Period(2024))
        assert not later(Period(2024), Period(2024, 2))
        assert later(Period(2025, 1), Period(2024))
        assert later(Period(2024, 3), Period(2024, 2))
        assert later(dt.date(2024, 3, 1), Period(2024, 2))
        assert not later(dt.date(2024, 2, 29), Period(2024, 2))


# ---- dates in files ------------------------------------------------------------------------


class TestDatesInFiles:
    @pytest.mark.parametrize("text", ["2024", "2024-02", "2024-02-10", "2024-02-10T08:30:00+03:00"])
    def test_every_form_is_kept_as_given(self, text):
        """Each form loads, and is written back exactly as given, in YAML and JSON."""
        case = claimtrack.loads(_document(f"'{text}'"))
        assert case.documents["d"].published.isoformat() == text
        yaml_text = claimtrack.dumps(case)
        assert text in yaml_text
        assert claimtrack.loads(yaml_text) == case
        json_text = claimtrack.dumps(case, "json")
        assert json.loads(json_text)["documents"]["d"]["published"] == text
        assert claimtrack.loads(json_text, "json") == case

    def test_a_month_is_written_without_quotes(self):
        case = claimtrack.loads(_document("2024-02"))
        assert "published: 2024-02\n" in claimtrack.dumps(case)
        assert case.documents["d"].published == Period(2024, 2)

    @pytest.mark.parametrize("bad", ["2024-13", "2024-2-30", "2024-02-30", "'0000'", "Feb 2024"])
    def test_a_bad_date_is_placed_and_lists_the_forms(self, bad):
        err = loads_error(_document(bad))
        assert places(err) == ["documents.d.published"]
        message = err.problems[0].message
        for form in ("(2024)", "(2024-02)", "(2024-04-21)", "(2024-04-21T21:50:00+03:00)"):
            assert form in message

    def test_a_bare_year_is_asked_to_be_quoted(self):
        """YAML reads 2024 as a number: the message says to quote it."""
        err = loads_error(_document("2024"))
        assert places(err) == ["documents.d.published"]
        assert "'2024'" in err.message

    @pytest.mark.parametrize(
        ("field", "place"),
        [
            ("said", "attributions[0].said"),
        ],
    )
    def test_bad_dates_elsewhere(self, field, place):
        err = loads_error(
            f"{HEAD}{SOURCES}claims:\n  c: {{text: C}}\n"
            f"attributions:\n  - {{claim: c, source: r, {field}: 2024-13}}\n"
        )
        assert places(err) == [place]

    def test_every_field_takes_a_period(self):
        text = (
            f"{HEAD}sources:\n  r: {{name: R, kind: outlet}}\n"
            "  g: {name: G, kind: government, speaks_for: {source: r, from: '2023', to: 2024-02}}\n"
            "documents:\n  d: {publisher: r, title: T, published: 2024-02, retrieved: '2024'}\n"
            "evidence:\n  v: {kind: video, description: V, first_seen: 2024-01}\n"
            "claims:\n  c: {text: C, when: 2024-01}\n"
            "attributions:\n  - {claim: c, source: g, document: d, said: 2024-02, based_on: [v]}\n"
        )
        case = claimtrack.loads(text)
        assert case.validate() == []
        tie = case.sources["g"].speaks_for[0]
        assert (tie.start, tie.end) == (Period(2023), Period(2024, 2))
        assert case.documents["d"].retrieved == Period(2024)
        assert case.evidence["v"].first_seen == Period(2024, 1)
        assert case.claims["c"].when == Period(2024, 1)
        assert case.attributions[0].said == Period(2024, 2)
        assert claimtrack.loads(claimtrack.dumps(case)) == case

    def test_a_tie_takes_no_time_of_day(self):
        err = loads_error(
            f"{HEAD}{SOURCES}".replace(
                "g: {name: G, kind: government}",
                "g: {name: G, kind: government, speaks_for: {source: r, from: '2024-02-10T08:00'}}",
            )
        )
        assert places(err) == ["sources.g.speaks_for"]
        assert "just a month (2024-02) or a year (2024)" in err.message

    def test_dates_still_contradict_at_the_shared_precision(self):
        """A statement said in March, in a document published in February, is an error; in February, not."""
        base = (
            f"{HEAD}{SOURCES}documents:\n  d: {{publisher: r, title: T, published: 2024-02-10}}\n"
            "claims:\n  c: {text: C}\n"
        )
        fine = claimtrack.loads(
            base + "attributions:\n  - {claim: c, source: g, document: d, said: 2024-02}\n"
        )
        assert fine.validate() == []
        with pytest.raises(claimtrack.IntegrityError) as info:
            claimtrack.loads(
                base + "attributions:\n  - {claim: c, source: g, document: d, said: 2024-03}\n"
            )
        assert [p.place for p in info.value.problems] == ["attributions[0].said"]
        assert "said 2024-03, after its document was published 2024-02-10" in info.value.message

    def test_a_tie_may_not_end_before_it_starts(self):
        assert Affiliation("r", start="2024-02-10", end="2024-02").end == Period(2024, 2)
        with pytest.raises(ValueError, match="ends"):
            Affiliation("r", start="2024-03", end="2024-02-10")

    def test_builders_take_the_forms_as_text(self):
        case = claimtrack.Case()
        case.add_source("r", "R", "outlet")
        doc = case.add_document("d", "r", "T", published="2024-02")
        assert doc.published == Period(2024, 2)
        with pytest.raises(ValueError, match="just a month"):
            case.add_document("e", "r", "T", published="2024-13")


# ---- about-values --------------------------------------------------------------------------


class TestAbout:
    def test_bounds_and_kind(self):
        c = Count.about(470)
        assert (c.low, c.high, c.nominal, c.tolerance) == (423, 517, 470, 0.1)
        assert (c.form, c.kind, str(c)) == ("about", "approximate", "about 470")
        wide = Count.about(470, 0.2, unit="people")
        assert (wide.low, wide.high, str(wide)) == (376, 564, "about 470 people (±20%)")
        assert Count.about(3).low == Count.about(3).high == 3
        assert Count.about(0) == Count(0, 0, nominal=0, tolerance=0.1)

    @pytest.mark.parametrize(
        ("count", "kind"),
        [
            (Count.exactly(4), "precise"),
            (Count.between(3, 5), "precise"),
            (Count.at_least(4), "open_ended"),
            (Count.at_most(4), "open_ended"),
            (Count.about(4), "approximate"),
        ],
    )
    def test_kind(self, count, kind):
        assert count.kind == kind

    def test_compatibility_as_an_interval(self):
        about = Count.about(470)
        assert about.compatible_with(Count.exactly(500))
        assert about.compatible_with(Count.exactly(517))
        assert not about.compatible_with(Count.exactly(518))
        assert not about.compatible_with(Count.exactly(600))
        assert about.compatible_with(Count.at_least(510))
        assert not about.compatible_with(Count.at_most(422))

    def test_refused(self):
        with pytest.raises(ValueError, match="from 0 to 1"):
            Count.about(470, 1.5)
        with pytest.raises(ValueError, match="from 0 to 1"):
            Count.about(470, float("nan"))
        with pytest.raises(TypeError, match="from 0 to 1"):
            Count.about(470, True)  # noqa: FBT003
        with pytest.raises(ValueError, match="whole number"):
            Count.about(-1)
        with pytest.raises(ValueError, match=r"use Count\.about"):
            Count(1, 2, nominal=470, tolerance=0.1)
        with pytest.raises(ValueError, match=r"use Count\.about"):
            Count(423, 517, nominal=470)

    @given(counts())
    def test_round_trip_through_the_converter(self, count):
        case = claimtrack.Case()
        case.add_claim("c", "C", value=count)
        for fmt in ("yaml", "json"):
            back = claimtrack.loads(claimtrack.dumps(case, fmt), fmt)
            assert back.claims["c"].value == count
            assert back.claims["c"].value.form == count.form

    @pytest.mark.parametrize(
        ("value", "count", "written"),
        [
            ("{about: 470}", Count.about(470), "about: 470"),
            ("{about: {value: 470}}", Count.about(470), "about: 470"),
            ("{about: {value: 470, tolerance: 0.1}}", Count.about(470), "about: 470"),
            (
                "{about: {value: 470, tolerance: 0.25}, unit: people}",
                Count.about(470, 0.25, unit="people"),
                "tolerance: 0.25",
            ),
        ],
    )
    def test_in_files(self, value, count, written):
        case = claimtrack.loads(f"{HEAD}claims:\n  c: {{text: C, value: {value}}}\n")
        assert case.claims["c"].value == count
        assert written in claimtrack.dumps(case)

    @pytest.mark.parametrize(
        ("value", "words"),
        [
            ("{about: 4.5}", "whole number"),
            ("{about: -3}", "zero or more"),
            ("{about: {value: 470, tolerance: 2}}", "from 0 to 1"),
            ("{about: {value: 470, tolerance: ten}}", "from 0 to 1"),
            ("{about: {value: 470, tolerence: 0.2}}", "did you mean 'tolerance'?"),
            ("{about: {tolerance: 0.2}}", "needs its 'value'"),
            ("{about: 4, exactly: 4}", "exactly one of"),
            ("{abut: 470}", "did you mean 'about'?"),
        ],
    )
    def test_errors_in_files(self, value, words):
        err = loads_error(f"{HEAD}claims:\n  c: {{text: C, value: {value}}}\n")
        assert places(err)[0].startswith("claims.c.value")
        assert words in err.message

    def test_derived_contradictions_read_the_interval(self):
        case = claimtrack.Case()
        case.add_question("toll", "How many died?", exclusive=False)
        case.add_claim("about", "About 470 died", question="toll", value=Count.about(470))
        case.add_claim("five-hundred", "500 died", question="toll", value=Count.exactly(500))
        case.add_claim("six-hundred", "600 died", question="toll", value=Count.exactly(600))
        found = {frozenset(c.claims) for c in case.assess().contradictions}
        assert frozenset(("about", "six-hundred")) in found
        assert frozenset(("about", "five-hundred")) not in found


# ---- implies -------------------------------------------------------------------------------


class TestImplies:
    def _case(self) -> claimtrack.Case:
        case = claimtrack.Case()
        case.add_claim("hit", "The strike hit the hospital")
        case.add_claim("damaged", "The hospital was damaged")
        return case

    def test_a_relation_kind(self):
        assert RelationKind("implies") is RelationKind.IMPLIES
        case = self._case()
        case.relate("implies", "hit", "damaged", reason="a hit damages")
        assert case.validate() == []
        assert claimtrack.loads(claimtrack.dumps(case)) == case

    @pytest.mark.parametrize("order", [("hit", "damaged"), ("damaged", "hit")])
    def test_implies_and_contradicts_rule_an_answer_out(self, order):
        case = self._case()
        case.relate("contradicts", *order)
        case.relate("supports", "damaged", "hit")
        case.relate("implies", "hit", "damaged")
        problems = case.validate()
        assert [(p.place, p.is_error) for p in problems] == [("relations[2]", False)]
        assert "relations[0]" in problems[0].message
        assert "rule 'hit' out" in problems[0].message

    def test_unknown_claims_and_itself(self):
        case = self._case()
        with pytest.raises(claimtrack.IntegrityError, match="unknown claim 'nothing'"):
            case.relate("implies", "hit", "nothing")
        with pytest.raises(claimtrack.IntegrityError, match="cannot imply itself"):
            case.relate("implies", "hit", "hit")

    def test_in_the_store_and_exports(self, tmp_path):
        case = self._case()
        case.add_source("r", "R", "outlet")
        case.attribute("hit", "r")
        case.relate("implies", "hit", "damaged")
        case.relate("contradicts", "hit", "damaged")
        with open_store(tmp_path / "s.db", create=True) as store:
            store.import_case(case)
            assert store.to_case() == case
        data = case_to_data(case)
        assert build(data, DEFAULT_LIMITS.max_text) == case


# ---- the bulk loader and the store ----------------------------------------------------------


def _new_forms() -> claimtrack.Case:
    return claimtrack.loads(
        f"{HEAD}sources:\n  r: {{name: R, kind: outlet}}\n"
        "  g: {name: G, kind: government, speaks_for: [{source: r, from: '2023', to: 2024-02}]}\n"
        "documents:\n  d: {publisher: r, title: T, published: 2024-02, retrieved: 2024-03-01}\n"
        "  e: {publisher: r, title: U, published: '2024'}\n"
        "evidence:\n  v: {kind: video, description: V, first_seen: 2024-01}\n"
        "questions:\n  toll: {text: How many}\n"
        "claims:\n  c: {text: C, question: toll, when: 2024-01, value: {about: 470}}\n"
        "  k: {text: K, question: toll, value: {about: {value: 50, tolerance: 0.5}, unit: people}}\n"
        "attributions:\n  - {claim: c, source: g, document: d, said: 2024-02, based_on: [v]}\n"
        "  - {claim: k, source: r, document: e}\n"
        "  - {claim: k, source: g, said: 2023-05-01}\n"
        "relations:\n  - {kind: implies, claims: [c, k]}\n"
    )


class TestBulkAndStore:
    def test_the_bulk_loader_takes_the_new_forms(self):
        case = _new_forms()
        for fmt in ("json", "yaml"):
            read, in_bulk = _read_case(claimtrack.dumps(case, fmt), fmt, "<t>", DEFAULT_LIMITS)
            assert in_bulk, fmt
            assert read == case
        assert build(case_to_data(case), DEFAULT_LIMITS.max_text) == case_from_data(
            case_to_data(case)
        )

    def test_the_bulk_loader_refuses_what_the_detailed_path_refuses(self):
        data = case_to_data(_new_forms())
        for bad in ("2024-13", "2024-2", 2024):
            broken = json.loads(json.dumps(data))
            broken["documents"]["d"]["published"] = bad
            assert build(broken, DEFAULT_LIMITS.max_text) is None
        broken = json.loads(json.dumps(data))
        broken["claims"]["c"]["value"] = {"about": {"value": 4, "tolerance": 3}}
        assert build(broken, DEFAULT_LIMITS.max_text) is None

    def test_the_store_round_trips(self, tmp_path):
        case = _new_forms()
        with open_store(tmp_path / "s.db", create=True) as store:
            store.import_case(case)
            assert store.to_case() == case
            assert store.speaks_as(case.attributions[0]) == "r"

    @pytest.mark.parametrize(
        ("first", "last", "found"),
        [
            ("2024-02-10", "2024-02-10", [0]),  # said "2024-02", and "2024" from its document
            ("2024-02-01", "2024-12-31", [0]),
            ("2023-05-01", "2023-05-01", [2]),
            ("2023-01-01", "2023-12-31", [2]),
            ("2024-03-01", "2024-03-31", []),
            ("2023-06-01", "2024-01-31", []),
        ],
    )
    def test_attributions_between_a_month_counts_as_its_days(self, tmp_path, first, last, found):
        case = _new_forms()
        with open_store(tmp_path / "s.db", create=True) as store:
            store.import_case(case)
            got = store.attributions_between(first, last)
        # the year-dated document's attribution (1) counts on any day of 2024
        expected = sorted({*found, *([1] if first[:4] <= "2024" <= last[:4] else [])})
        assert got == [case.attributions[i] for i in expected]


# ---- who an attribution counts as, on a month ------------------------------------------------


class TestVoices:
    def test_a_tie_holds_on_a_month_it_overlaps(self):
        case = claimtrack.Case()
        case.add_source("old", "Old ministry", "official-body")
        case.add_source("new", "New ministry", "official-body")
        case.add_source(
            "spox",
            "Spokesman",
            "person",
            speaks_for=[
                Affiliation("new", start="2024-02-10"),
                Affiliation("old", end="2024-02-09"),
            ],
        )
        case.add_claim("c", "C")
        in_month = case.attribute("c", "spox", said="2024-02")
        before = case.attribute("c", "spox", said="2024-01")
        after = case.attribute("c", "spox", said="2024-03-01T10:00:00+02:00")
        in_year = case.attribute("c", "spox", said="2023")
        assert case.speaks_as(in_month) == "new"  # both ties hold in February: the first listed
        assert case.speaks_as(before) == "old"
        assert case.speaks_as(after) == "new"
        assert case.speaks_as(in_year) == "old"
        assert case.speakers_as() == ["new", "old", "new", "old"]
        assert case.speaks_for_at("spox", Period(2024, 1)) == "old"


# ---- Case.as_of ----------------------------------------------------------------------------


FAR = dt.date(9999, 12, 31)


class TestAsOf:
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(case=cases())
    def test_the_far_future_is_the_case(self, case):
        assert case.as_of(FAR) == case
        assert case.as_of(Period(9999)) == case

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(case=cases(), data=st.data())
    def test_drops_what_came_after_and_only_that(self, case, data):
        dated = [
            m
            for m in (
                *(d.published for d in case.documents.values()),
                *(a.said for a in case.attributions),
                *(e.first_seen for e in case.evidence.values()),
            )
            if m is not None
        ]
        moment = data.draw(st.sampled_from(dated) if dated else _MOMENTS)
        then = case.as_of(moment)
        assert [p for p in then.validate(texts=False) if p.is_error] == []
        assert dict(then.sources) == dict(case.sources)
        assert dict(then.questions) == dict(case.questions)
        assert dict(then.claims) == dict(case.claims)
        assert list(then.relations) == list(case.relations)
        assert {
            k for k, d in case.documents.items() if d.published and later(d.published, moment)
        } == (set(case.documents) - set(then.documents))
        assert {
            k for k, e in case.evidence.items() if e.first_seen and later(e.first_seen, moment)
        } == (set(case.evidence) - set(then.evidence))
        expected = []
        for att in case.attributions:
            if (att.document is None or att.document in then.documents) and (
                att.said is None or not later(att.said, moment)
            ):
                rests = tuple(e for e in att.based_on if e in then.evidence)
                expected.append(attrs.evolve(att, based_on=rests))
        known = {a.id for a in expected if a.id is not None}
        # a retraction withdrawing an attribution not yet made is not yet made either
        expected = [a for a in expected if a.withdraws is None or a.withdraws in known]
        assert list(then.attributions) == expected
        assert then.as_of(moment) == then

    def test_a_worked_example(self):
        case = claimtrack.Case(title="A toll")
        case.add_source("moh", "Ministry of Health", "official-body")
        case.add_document("day1", "moh", "Toll", published="2024-03-02")
        case.add_document("day2", "moh", "Toll", published="2024-03-03T09:00:00+02:00")
        case.add_document("month", "moh", "Monthly report", published="2024-03")
        case.add_document("undated", "moh", "Undated note")
        case.add_evidence("clip", "video", "A clip", first_seen="2024-03-03")
        case.add_claim("t39", "39 died", value=Count.exactly(39))
        case.add_claim("t50", "50 died", value=Count.exactly(50))
        case.add_claim("t52", "52 died", value=Count.exactly(52))
        case.attribute("t39", "moh", document="day1", id="first")
        case.attribute("t50", "moh", document="day2", based_on=["clip"])
        case.attribute("t52", "moh", document="month")
        case.attribute(
            "t39", "moh", "retracts", document="undated", withdraws="first", said="2024-03-04"
        )
        case.attribute("t50", "moh", document="undated", said="2024-03")
        case.relate("supersedes", "t50", "t39")

        day1 = case.as_of("2024-03-02")
        assert set(day1.documents) == {"day1", "month", "undated"}
        assert [a.claim for a in day1.attributions] == ["t39", "t52", "t50"]
        assert set(day1.claims) == {"t39", "t50", "t52"}  # every answer stays, asserted or not
        assert day1.evidence == {}
        day3 = case.as_of(dt.datetime(2024, 3, 3, 12, tzinfo=dt.UTC))
        assert day3.attributions[1].based_on == ("clip",)
        assert [a.claim for a in day3.attributions] == ["t39", "t50", "t52", "t50"]
        assert case.as_of("2024-03-04").attributions[3].withdraws == "first"
        feb = case.as_of("2024-02")
        assert set(feb.documents) == {"undated"}
        assert feb.attributions == ()
        assert feb.relations == case.relations

    def test_a_retraction_of_something_not_yet_known_is_dropped(self):
        case = claimtrack.Case()
        case.add_source("s", "S", "outlet")
        case.add_document("late", "s", "Late", published="2024-05-01")
        case.add_claim("c", "C")
        case.attribute("c", "s", document="late", id="said")
        case.attribute("c", "s", "retracts", withdraws="said", said="2024-04-01")
        then = case.as_of("2024-04-15")
        assert then.attributions == ()
        assert then.validate() == []

    def test_text_and_bad_text(self):
        case = _new_forms()
        assert case.as_of("2024-02-10") == case.as_of(dt.date(2024, 2, 10))
        with pytest.raises(ValueError, match="just a month"):
            case.as_of("10 Feb 2024")


# ---- the command line ----------------------------------------------------------------------


class TestCommandLine:
    @pytest.fixture(name="path")
    def _path(self, tmp_path):
        path = tmp_path / "case.yaml"
        _new_forms().save(path)
        return path

    def test_assess_passes_the_moment_on(self, path, monkeypatch, capsys):
        seen = []
        real = claimtrack.Case.assess

        def assess(self, settings=None):
            seen.append(settings)
            return real(self, settings)

        monkeypatch.setattr(claimtrack.Case, "assess", assess)
        assert main(["assess", str(path), "--as-of", "2024-02", "--format", "csv"]) == 0
        assert seen[0].as_of == Period(2024, 2)
        assert main(["assess", str(path), "--format", "csv"]) == 0
        assert seen[1].as_of is None
        capsys.readouterr()

    def test_report_shows_the_case_as_it_was(self, path, capsys):
        assert main(["report", str(path), "--as-of", "2023-12", "--format", "md"]) == 0
        then = capsys.readouterr().out
        assert main(["report", str(path), "--format", "md"]) == 0
        now = capsys.readouterr().out
        assert "2024-02" in now
        assert then != now

    @pytest.mark.parametrize("command", ["assess", "report"])
    def test_a_bad_date_is_a_usage_error(self, path, command, capsys):
        assert main([command, str(path), "--as-of", "2024-13"]) == 2
        err = capsys.readouterr().err
        assert "--as-of" in err
        assert "just a month (2024-02)" in err
        assert "Traceback" not in err


# ---- exports show what was given -------------------------------------------------------------


def test_exports_show_dates_and_values_as_given():
    from claimtrack import export

    case = _new_forms()
    rows = list(export.attribution_rows(case))
    assert rows[0]["said"] == "2024-02"
    assert rows[0]["published"] == "2024-02"
    assert rows[1]["published"] == "2024"
    assert rows[0]["claim_when"] == "2024-01"
    assert (rows[0]["claim_low"], rows[0]["claim_high"], rows[0]["claim_value"]) == (
        423,
        517,
        "about 470",
    )
    evidence = list(export.evidence_rows(case))
    assert evidence[0]["first_seen"] == "2024-01"
