"""Case files: round trips, errors that name their place, safe YAML, strict JSON, atomic saves."""

from __future__ import annotations

import datetime as dt
import errno
import io
import json
import os
import stat
import sys

from pathlib import Path

import attrs
import pytest

from hypothesis import HealthCheck, given, settings

import claimtrack
import claimtrack.files._atomic

from claimtrack import CaseError, CaseFileError, IntegrityError


sys.path.insert(0, str(Path(__file__).parent))  # tests/ is not a package; strategies.py sits here
from strategies import _TRICKY_IDS, _TRICKY_TEXTS, cases


PROPERTY = settings(max_examples=60, deadline=None)
PROPERTY_WITH_FILES = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

HEAD = "claimtrack: 1\n"

VALID = """\
claimtrack: 1
title: Truce in Baghdad?
sources:
  reuters:
    name: Reuters
    kind: news-agency
    reliability: B
  smc:
    name: Security Media Cell
    kind: official-body
  spokesman:
    name: Yehia Rasool
    kind: person
    speaks_for: smc
documents:
  art:
    publisher: reuters
    title: Rockets hit Baghdad
    published: 2024-04-21
    language: no
questions:
  truce:
    text: Was there a truce?
claims:
  no-truce:
    text: There was no formal truce.
    question: truce
    value: {at_least: 4, unit: rockets}
attributions:
  - claim: no-truce
    source: spokesman
    document: art
    via: [smc]
relations: []
"""


def write(folder: Path, text: str | bytes, name: str = "case.yaml") -> Path:
    """Write a case file into *folder* and give its path."""
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def places(err: CaseError) -> list[str]:
    """The places of every problem an error carries."""
    return [p.place for p in err.problems]


def loads_error(text: str | bytes, fmt: str = "yaml") -> CaseError:
    """The error that reading *text* raises."""
    with pytest.raises(CaseError) as info:
        claimtrack.loads(text, fmt)
    return info.value


def small_case() -> claimtrack.Case:
    """A small valid case built in Python."""
    case = claimtrack.Case(title="Small case")
    case.add_source("reuters", "Reuters", "news-agency")
    case.add_claim("c", "Four rockets hit.", value=claimtrack.Count.exactly(4))
    case.attribute("c", "reuters")
    return case


def folder_listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ---- round trips ----------------------------------------------------------------------------


class TestRoundTrip:
    @PROPERTY
    @given(cases())
    def test_yaml_text(self, case):
        """Any valid case reads back equal from the YAML text dumps writes."""
        assert claimtrack.loads(claimtrack.dumps(case, "yaml"), "yaml") == case

    @PROPERTY
    @given(cases())
    def test_json_text(self, case):
        """Any valid case reads back equal from the JSON text dumps writes."""
        assert claimtrack.loads(claimtrack.dumps(case, "json"), "json") == case

    @PROPERTY
    @given(cases())
    def test_dumps_is_canonical(self, case):
        """Writing a case that was read back gives the very same text, in either format."""
        for fmt in ("yaml", "json"):
            text = claimtrack.dumps(case, fmt)
            assert claimtrack.dumps(claimtrack.loads(text, fmt), fmt) == text

    @PROPERTY_WITH_FILES
    @given(case=cases())
    @pytest.mark.parametrize("name", ["c.yaml", "c.yml", "c.json"])
    def test_through_files(self, tmp_path, name, case):
        """A case saved to a file loads back equal, and remembers the file as its path."""
        path = tmp_path / name
        case.save(path)
        assert case.path == path
        back = claimtrack.load(path)
        assert back == case
        assert back.path == path

    @PROPERTY_WITH_FILES
    @given(case=cases())
    def test_saving_twice_is_byte_identical(self, tmp_path, case):
        """Saving a case twice, or saving what was loaded, writes byte-identical files."""
        for name in ("c.yaml", "c.json"):
            first, second, third = (
                tmp_path / f"1{name}",
                tmp_path / f"2{name}",
                tmp_path / f"3{name}",
            )
            case.save(first)
            case.save(second)
            claimtrack.load(first).save(third)
            assert first.read_bytes() == second.read_bytes() == third.read_bytes()

    @pytest.mark.parametrize("fmt", ["yaml", "json"])
    @pytest.mark.parametrize("text", _TRICKY_TEXTS, ids=ascii)
    def test_tricky_texts(self, fmt, text):
        """Text YAML could misread (no, ~, dates, line breaks of every kind, quotes) reads back as written."""
        case = claimtrack.Case(title=text, description=text)
        case.add_source("s", text, "outlet", role=text, aliases=[text])
        case.add_claim("c", text, value=claimtrack.Count.at_least(1, unit=text), tags=[text])
        back = claimtrack.loads(claimtrack.dumps(case, fmt), fmt)
        assert back.title == text
        assert back.sources["s"].name == text
        assert back.claims["c"].value == claimtrack.Count.at_least(1, unit=text)
        assert back == case

    @pytest.mark.parametrize("fmt", ["yaml", "json"])
    @pytest.mark.parametrize("rid", _TRICKY_IDS, ids=ascii)
    def test_tricky_ids(self, fmt, rid):
        """Ids YAML could misread (no, 1, ~, -x, &a, Arabic) stay text ids, as keys and as references."""
        case = claimtrack.Case()
        case.add_source(rid, "Name", "outlet")
        case.add_claim(rid, "Text", about=[rid])
        case.attribute(rid, rid)
        back = claimtrack.loads(claimtrack.dumps(case, fmt), fmt)
        assert list(back.sources) == [rid]
        assert back.attributions[0].source == rid
        assert back == case

    def test_key_order_is_stable(self):
        """Sections and fields are written in a fixed order: version first, then title, then the records."""
        text = claimtrack.dumps(small_case(), "yaml")
        tops = [line.split(":")[0] for line in text.splitlines() if line and not line[0].isspace()]
        assert tops == [
            "claimtrack",
            "title",
            "sources",
            "documents",
            "questions",
            "claims",
            "attributions",
            "relations",
        ]
        data = json.loads(claimtrack.dumps(small_case(), "json"))
        assert list(data) == tops
        assert data["claimtrack"] == 1
        assert data["claims"]["c"] == {"text": "Four rockets hit.", "value": {"exactly": 4}}

    def test_defaults_are_left_out(self):
        """Fields at their defaults are not written, and the id is the key, not a field."""
        data = json.loads(claimtrack.dumps(small_case(), "json"))
        assert data["sources"]["reuters"] == {"name": "Reuters", "kind": "news-agency"}
        assert data["attributions"] == [{"claim": "c", "source": "reuters"}]

    @given(cases())
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def test_each_record_writes_its_fields_in_order_leaving_defaults_out(self, case):
        """A record's keys are its fields in their order, each one not at its default; no id as a key's value."""
        data = json.loads(claimtrack.dumps(case, "json"))
        written = [
            *(
                (r, data[s][k])
                for s in ("sources", "documents", "questions", "claims")
                for k, r in getattr(case, s).items()
            ),
            *((r, data["evidence"][k]) for k, r in case.evidence.items()),
            *zip(case.attributions, data["attributions"], strict=True),
            *zip(case.relations, data["relations"], strict=True),
        ]
        for record, fields in written:
            keyed = not isinstance(record, (claimtrack.Attribution, claimtrack.Relation))
            expected = [
                f.name
                for f in attrs.fields(type(record))
                if not (keyed and f.name == "id") and getattr(record, f.name) != f.default
            ]
            assert list(fields) == expected

    def test_dates_written_as_iso_text(self):
        """Days and times are written as ISO 8601 and read back as the same date or datetime."""
        case = claimtrack.Case()
        case.add_source("r", "R", "outlet")
        aware = dt.datetime(2024, 4, 21, 21, 50, tzinfo=dt.timezone(dt.timedelta(hours=3)))
        case.add_document("d", "r", "T", published=dt.date(2024, 4, 21), retrieved=aware)
        text = claimtrack.dumps(case, "yaml")
        assert "published: 2024-04-21\n" in text
        assert "retrieved: 2024-04-21T21:50:00+03:00\n" in text
        doc = claimtrack.loads(text).documents["d"]
        assert type(doc.published) is dt.date
        assert doc.retrieved == aware
        assert doc.retrieved.utcoffset() == dt.timedelta(hours=3)


# ---- errors name their place ---------------------------------------------------------------


class TestPlaces:
    def test_unknown_source_kind(self, tmp_path):
        """An unknown kind is reported at sources.<id>.kind, with the file, the choices and a suggestion."""
        path = write(
            tmp_path, HEAD + "sources:\n  reuters:\n    name: Reuters\n    kind: outlett\n"
        )
        with pytest.raises(CaseFileError) as info:
            claimtrack.load(path)
        err = info.value
        assert places(err) == ["sources.reuters.kind"]
        assert err.file == str(path)
        assert str(err).startswith(f"{path}: sources.reuters.kind: ")
        assert "did you mean 'outlet'?" in err.message
        assert "'outlett'" in err.message
        assert "news-agency" in err.message

    def test_unknown_field(self):
        """A misspelt field is reported at its own place, with the field it was probably meant to be."""
        err = loads_error(
            HEAD + "sources:\n  r:\n    name: R\n    kind: outlet\n    reliabilty: A\n"
        )
        assert isinstance(err, CaseFileError)
        assert places(err) == ["sources.r.reliabilty"]
        assert err.message == "unknown field 'reliabilty' (did you mean 'reliability'?)"

    def test_unusual_id_is_quoted_in_the_place(self):
        """An id that is not a plain word is shown quoted in brackets, so the place reads unambiguously."""
        err = loads_error(HEAD + "sources:\n  reuters.com:\n    name: R\n    kind: outlett\n")
        assert places(err) == ["sources['reuters.com'].kind"]

    def test_number_where_text_belongs(self):
        """A number given where text belongs says so and says to put it in quotes."""
        err = loads_error(HEAD + "sources:\n  r:\n    name: 42\n    kind: outlet\n")
        assert places(err) == ["sources.r.name"]
        assert "expected text" in err.message
        assert "42" in err.message
        assert "put it in quotes" in err.message

    def test_missing_required_field(self):
        """A record without a required field is reported at that field, as missing."""
        err = loads_error(HEAD + "sources:\n  r:\n    kind: outlet\n")
        assert isinstance(err, CaseFileError)
        assert places(err) == ["sources.r.name"]
        assert "required field 'name' is missing" in err.message

    def test_unknown_reference_in_attribution(self, tmp_path):
        """An attribution naming an unknown source is an IntegrityError at attributions[i].source."""
        path = write(
            tmp_path,
            HEAD
            + "sources:\n  reuters: {name: R, kind: outlet}\n"
            + "claims:\n  c: {text: C}\n"
            + "attributions:\n"
            + "  - {claim: c, source: reuters}\n"
            + "  - {claim: c, source: reuters}\n"
            + "  - {claim: c, source: reutres}\n",
        )
        with pytest.raises(IntegrityError) as info:
            claimtrack.load(path)
        err = info.value
        assert places(err) == ["attributions[2].source"]
        assert err.file == str(path)
        assert "unknown source 'reutres'" in err.message
        assert "did you mean 'reuters'?" in err.message

    def test_unchecked_load_keeps_unknown_reference(self, tmp_path):
        """With validate=False a case with unknown ids loads, and validate() then reports them."""
        path = write(
            tmp_path,
            HEAD + "claims:\n  c: {text: C}\nattributions:\n  - {claim: c, source: nobody}\n",
        )
        case = claimtrack.load(path, validate=False)
        assert case.attributions[0].source == "nobody"
        assert [p.place for p in case.validate(texts=False) if p.is_error] == [
            "attributions[0].source"
        ]

    def test_wrong_stance_in_list_item(self):
        """A bad value in a list of records is placed by its index, with a suggestion."""
        err = loads_error(HEAD + "attributions:\n  - {claim: c, source: r, stance: assert}\n")
        assert places(err) == ["attributions[0].stance"]
        assert "did you mean 'asserts'?" in err.message

    def test_bad_affiliation_items(self):
        """Problems inside a list of affiliations are placed by index and field."""
        err = loads_error(
            HEAD
            + "sources:\n  a: {name: A, kind: outlet}\n  r:\n    name: R\n    kind: person\n"
            + "    speaks_for: [a, {source: a, form: 2024-01-01}, {source: a, from: 2024-13-01}]\n"
        )
        assert places(err) == ["sources.r.speaks_for[1].form", "sources.r.speaks_for[2]"]
        assert "did you mean 'from'?" in err.problems[0].message
        assert "2024-13-01" in err.problems[1].message

    def test_id_field_inside_record(self):
        """An 'id' field inside a record is refused: the id is the key above it."""
        err = loads_error(HEAD + "sources:\n  r: {id: r, name: R, kind: outlet}\n")
        assert places(err) == ["sources.r.id"]
        assert "the id is the key above" in err.message

    def test_number_as_id(self):
        """A number used as an id is refused, with a hint to quote it."""
        err = loads_error(HEAD + "sources:\n  1: {name: R, kind: outlet}\n")
        assert places(err) == ["sources.1"]
        assert "ids are text" in err.message
        assert "put it in quotes" in err.message

    def test_record_that_is_not_a_mapping(self):
        """A record given as plain text is refused at its place."""
        err = loads_error(HEAD + "sources:\n  r: Reuters\n")
        assert places(err) == ["sources.r"]
        assert "expected the fields of a source" in err.message

    @pytest.mark.parametrize(
        ("section", "body", "expected"),
        [
            ("sources", "[a]", "expected a mapping of ids to sources, got a list"),
            ("attributions", "{a: 1}", "expected a list of attributions, got a mapping"),
        ],
    )
    def test_section_of_the_wrong_shape(self, section, body, expected):
        """A section of the wrong shape is reported at the section's name."""
        err = loads_error(f"{HEAD}{section}: {body}\n")
        assert places(err) == [section]
        assert err.message == expected

    def test_every_problem_is_collected(self):
        """A file with three independent errors reports all three, in file order."""
        err = loads_error(
            HEAD
            + "sources:\n"
            + "  a: {name: A, kind: outlett}\n"
            + "  b: {name: B, kind: outlet, reliabilty: A}\n"
            + "claims:\n"
            + "  c: {text: C, value: {between: [5, 3]}}\n"
        )
        assert isinstance(err, CaseFileError)
        assert places(err) == ["sources.a.kind", "sources.b.reliabilty", "claims.c.value"]
        assert len(str(err).splitlines()) == 3

    def test_every_integrity_problem_is_collected(self):
        """Unknown ids in several records are all reported by one IntegrityError."""
        err = loads_error(
            HEAD
            + "sources:\n  r: {name: R, kind: outlet, speaks_for: ghost}\n"
            + "documents:\n  d: {publisher: nobody, title: T}\n"
            + "claims:\n  c: {text: C, question: why}\n"
        )
        assert isinstance(err, IntegrityError)
        assert places(err) == ["sources.r.speaks_for", "documents.d.publisher", "claims.c.question"]


class TestCountsInFiles:
    @pytest.mark.parametrize(
        ("value", "words"),
        [
            ("{exactly: 3, at_least: 2}", ["exactly one of", "got exactly, at_least"]),
            ("{}", ["exactly one of", "got none"]),
            ("{between: [5, 3]}", ["lower bound 5", "upper bound 3"]),
            ("{between: 3}", ["'between' takes two numbers", "3"]),
            ("{between: [1, 2, 3]}", ["'between' takes two numbers"]),
            ("{exactly: -1}", ["zero or more", "-1"]),
            ("{at_most: -2}", ["zero or more", "-2"]),
            ("{exactly: '3'}", ["expected a whole number", "text ('3')"]),
            ("{exactly: 3.5}", ["expected a whole number", "3.5"]),
            ("{exactly: true}", ["expected a whole number", "true/false"]),
            ("3", ["expected a count such as {exactly: 4}"]),
            ("{exactly: 3, unit: ''}", ["'unit' must be non-empty text"]),
        ],
    )
    def test_bad_count(self, value, words):
        """A count of a bad form is reported at claims.<id>.value, saying what is wrong."""
        err = loads_error(f"{HEAD}claims:\n  c:\n    text: C\n    value: {value}\n")
        assert isinstance(err, CaseFileError)
        assert places(err) == ["claims.c.value"]
        for word in words:
            assert word in err.message

    def test_misspelt_count_form(self):
        """A misspelt count form is placed at its key, with the form it was probably meant to be."""
        err = loads_error(f"{HEAD}claims:\n  c: {{text: C, value: {{exacly: 3}}}}\n")
        assert places(err) == ["claims.c.value.exacly"]
        assert "did you mean 'exactly'?" in err.message

    @pytest.mark.parametrize(
        ("value", "count"),
        [
            ("{exactly: 4}", claimtrack.Count.exactly(4)),
            ("{at_least: 4, unit: people}", claimtrack.Count.at_least(4, unit="people")),
            ("{at_most: 0}", claimtrack.Count.at_most(0)),
            ("{between: [3, 5], unit: rockets}", claimtrack.Count.between(3, 5, unit="rockets")),
            ("{exactly: 4, unit: no}", claimtrack.Count.exactly(4, unit="no")),
        ],
    )
    def test_good_count(self, value, count):
        """Each form of count reads into the Count it names."""
        case = claimtrack.loads(f"{HEAD}claims:\n  c: {{text: C, value: {value}}}\n")
        assert case.claims["c"].value == count


class TestDatesInFiles:
    @pytest.mark.parametrize("value", ["2024-13-01", "20240421", "yesterday", "'2024-04-21T25:00'"])
    def test_bad_date(self, value):
        """A date that is not ISO 8601 is reported at its field, showing the forms allowed."""
        err = loads_error(
            f"{HEAD}sources:\n  r: {{name: R, kind: outlet}}\n"
            f"documents:\n  d:\n    publisher: r\n    title: T\n    published: {value}\n"
        )
        assert isinstance(err, CaseFileError)
        assert places(err) == ["documents.d.published"]
        assert "expected a date (2024-04-21) or a date and time" in err.message

    def test_affiliation_dates_are_days(self):
        """An affiliation's dates are plain days; a time there is refused at its place."""
        err = loads_error(
            f"{HEAD}sources:\n  a: {{name: A, kind: outlet}}\n"
            "  b: {name: B, kind: person, member_of: [{source: a, from: '2024-01-01T10:00:00'}]}\n"
        )
        assert places(err) == ["sources.b.member_of[0]"]
        assert "expected a date (2024-04-21)" in err.message

    def test_said_after_published(self):
        """An attribution said after its document was published is an IntegrityError at .said."""
        err = loads_error(
            f"{HEAD}sources:\n  r: {{name: R, kind: outlet}}\n"
            "documents:\n  d: {publisher: r, title: T, published: 2024-04-21}\n"
            "claims:\n  c: {text: C}\n"
            "attributions:\n  - {claim: c, source: r, document: d, said: 2024-04-22}\n"
        )
        assert isinstance(err, IntegrityError)
        assert places(err) == ["attributions[0].said"]


class TestHeader:
    @pytest.mark.parametrize(("text", "shown"), [("- a\n- b\n", "a list"), ("just text\n", "text")])
    def test_top_level_not_a_mapping(self, text, shown):
        """A file that is not a mapping of sections is refused, saying what it holds instead."""
        err = loads_error(text)
        assert isinstance(err, CaseFileError)
        assert err.place == ""
        assert "a case file holds a mapping of sections" in err.message
        assert shown in err.message

    def test_missing_version(self):
        """A file without 'claimtrack: 1' is refused at 'claimtrack', saying how to open a case file."""
        err = loads_error("title: T\n")
        assert places(err) == ["claimtrack"]
        assert "missing" in err.message
        assert "'claimtrack: 1'" in err.message

    @pytest.mark.parametrize("version", ["2", "true", "'1'", "0"])
    def test_unknown_version(self, version):
        """A format version other than 1 is refused at 'claimtrack', naming the version this reads."""
        err = loads_error(f"claimtrack: {version}\n")
        assert places(err) == ["claimtrack"]
        assert "format version" in err.message
        assert "it reads 1" in err.message

    def test_unknown_section(self):
        """An unknown section is refused by name, with the section it was probably meant to be."""
        err = loads_error(HEAD + "sourcs: {}\n")
        assert places(err) == ["sourcs"]
        assert err.message == "unknown section 'sourcs' (did you mean 'sources'?)"

    @pytest.mark.parametrize("title", ["''", "'  '", "42", "[a]"])
    def test_bad_title(self, title):
        """The title must be non-empty text."""
        err = loads_error(f"{HEAD}title: {title}\n")
        assert places(err) == ["title"]
        assert "expected non-empty text" in err.message

    def test_default_title(self):
        """A file without a title reads as an untitled case, with no description."""
        case = claimtrack.loads(HEAD)
        assert case.title == "Untitled case"
        assert case.description is None


# ---- YAML safety ---------------------------------------------------------------------------


class TestYamlSafety:
    def test_duplicate_top_level_key(self):
        """A key given twice is refused, naming the line of each."""
        err = loads_error(HEAD + "title: T\ntitle: U\n")
        assert isinstance(err, CaseFileError)
        assert err.place == "line 3, column 1"
        assert "duplicate key 'title' (first given on line 2)" in err.message

    def test_duplicate_nested_key(self, tmp_path):
        """A key given twice deep inside a record is refused too, with its line and the file."""
        path = write(
            tmp_path, HEAD + "sources:\n  r:\n    name: R\n    kind: outlet\n    name: S\n"
        )
        with pytest.raises(CaseFileError) as info:
            claimtrack.load(path)
        assert info.value.place == "line 6, column 5"
        assert "duplicate key 'name' (first given on line 4)" in info.value.message
        assert str(info.value).startswith(f"{path}: line 6, column 5: ")

    def test_duplicate_record_id(self):
        """Two records with one id are refused as a duplicate key, not silently merged."""
        err = loads_error(
            HEAD + "sources:\n  r: {name: R, kind: outlet}\n  r: {name: S, kind: outlet}\n"
        )
        assert "duplicate key 'r' (first given on line 3)" in err.message

    @pytest.mark.parametrize(
        "tag",
        ["!!python/object:os.system", "!!python/object/apply:os.system", "!!python/name:os.system"],
    )
    def test_python_tags_refused(self, tag):
        """Python object tags are refused: reading a case file never builds objects or runs code."""
        err = loads_error(f"{HEAD}sources:\n  r: {tag} {{name: R}}\n")
        assert isinstance(err, CaseFileError)
        assert err.place.startswith("line 3,")
        assert "not valid YAML" in err.message

    def test_aliases_refused(self):
        """An alias of an anchored value is refused, with its line."""
        err = loads_error(HEAD + "sources:\n  r: &x {name: R, kind: outlet}\n  s: *x\n")
        assert isinstance(err, CaseFileError)
        assert err.place == "line 4, column 6"
        assert "aliases (*x) are not allowed" in err.message

    def test_merge_of_alias_refused(self):
        """A merge key pulling in an anchored mapping is refused, as any alias is."""
        err = loads_error(
            HEAD + "sources:\n  r: &x {name: R, kind: outlet}\n  s: {<<: *x, name: S}\n"
        )
        assert "aliases (*x) are not allowed" in err.message

    def test_alias_bomb_refused_quickly(self):
        """A billion-laughs file is refused at its first alias rather than expanded."""
        lines = [HEAD, "a: &a [x, x, x, x, x, x, x, x, x]\n"]
        lines += [
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n"
            for i in range(8)
        ]
        err = loads_error("".join(lines))
        assert "aliases (*a) are not allowed" in err.message

    @pytest.mark.parametrize("word", ["no", "No", "NO", "off", "on", "yes", "y", "n", "~x"])
    def test_norway(self, word):
        """Words YAML 1.1 reads as booleans stay the text they are: language: no is Norwegian."""
        case = claimtrack.loads(
            f"{HEAD}sources:\n  r: {{name: R, kind: outlet}}\n"
            f"documents:\n  d:\n    publisher: r\n    title: T\n    language: {word}\n"
        )
        assert case.documents["d"].language == word

    def test_plain_date(self):
        """An unquoted ISO date reads as a datetime.date."""
        case = claimtrack.loads(
            f"{HEAD}sources:\n  r: {{name: R, kind: outlet}}\n"
            "documents:\n  d: {publisher: r, title: T, published: 2024-04-21}\n"
        )
        published = case.documents["d"].published
        assert type(published) is dt.date
        assert published == dt.date(2024, 4, 21)

    def test_plain_datetime_with_zone(self):
        """An unquoted ISO date and time with an offset reads as an aware datetime keeping that offset."""
        case = claimtrack.loads(
            f"{HEAD}sources:\n  r: {{name: R, kind: outlet}}\n"
            "documents:\n  d: {publisher: r, title: T, published: 2024-04-21T21:50:00+03:00}\n"
        )
        published = case.documents["d"].published
        assert isinstance(published, dt.datetime)
        assert published.utcoffset() == dt.timedelta(hours=3)
        assert published == dt.datetime(2024, 4, 21, 18, 50, tzinfo=dt.UTC)

    def test_naive_datetime(self):
        """A date and time without an offset reads as a naive datetime."""
        case = claimtrack.loads(f"{HEAD}claims:\n  c: {{text: C, when: 2024-04-21T21:50:00}}\n")
        assert case.claims["c"].when == dt.datetime(2024, 4, 21, 21, 50)  # noqa: DTZ001

    def test_date_in_text_field_stays_text(self):
        """An unquoted date where text belongs stays the text written, not a date."""
        case = claimtrack.loads(f"{HEAD}title: 2024-04-21\n")
        assert case.title == "2024-04-21"

    @pytest.mark.parametrize("word", ["yes", "no", "on", "off", "'true'", "1"])
    def test_only_true_and_false_are_booleans(self, word):
        """exclusive: yes (or no, on, off, 1) is refused: only true and false are booleans."""
        err = loads_error(f"{HEAD}questions:\n  q: {{text: Q, exclusive: {word}}}\n")
        assert places(err) == ["questions.q.exclusive"]
        assert "expected true or false" in err.message

    @pytest.mark.parametrize(
        ("word", "value"), [("true", True), ("false", False), ("False", False)]
    )
    def test_true_and_false(self, word, value):
        """true and false read as booleans."""
        case = claimtrack.loads(f"{HEAD}questions:\n  q: {{text: Q, exclusive: {word}}}\n")
        assert case.questions["q"].exclusive is value

    def test_syntax_error_has_line_and_column(self):
        """A YAML syntax error names the line and column."""
        err = loads_error(HEAD + "title: [unclosed\n")
        assert isinstance(err, CaseFileError)
        assert err.place.startswith("line ")
        assert ", column " in err.place
        assert err.message.startswith("not valid YAML: ")

    def test_mapping_as_key_refused(self):
        """A mapping used as a key is refused as not valid YAML, not a crash."""
        err = loads_error(HEAD + "? {a: 1}\n: x\n")
        assert isinstance(err, CaseFileError)
        assert "a key must be a plain value" in err.message

    def test_lone_anchor_is_harmless(self):
        """An anchor that no alias refers to changes nothing."""
        case = claimtrack.loads(HEAD + "sources:\n  r: &x {name: R, kind: outlet}\n")
        assert case.sources["r"].name == "R"


# ---- JSON strictness -----------------------------------------------------------------------


class TestJsonStrictness:
    def test_duplicate_keys_refused(self):
        """A key given twice in a JSON object is refused."""
        err = loads_error('{"claimtrack": 1, "sources": {"r": {"name": "R", "name": "S"}}}', "json")
        assert isinstance(err, CaseFileError)
        assert "duplicate key 'name'" in err.message

    @pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
    def test_nan_and_infinity_refused(self, constant):
        """NaN and Infinity, which JSON does not have, are refused by name."""
        err = loads_error(f'{{"claimtrack": 1, "title": {constant}}}', "json")
        assert isinstance(err, CaseFileError)
        assert f"{constant} is not a number a case file may hold" in err.message

    def test_syntax_error_line_and_column(self):
        """A JSON syntax error names its line and column."""
        err = loads_error('{"claimtrack": 1,\n "title": "x",\n}', "json")
        assert isinstance(err, CaseFileError)
        assert err.place == "line 3, column 1"
        assert err.message.startswith("not valid JSON: ")

    def test_same_structure_as_yaml(self):
        """A JSON file reads with the same places in its errors as YAML."""
        err = loads_error(
            '{"claimtrack": 1, "sources": {"r": {"name": "R", "kind": "outlett"}}}', "json"
        )
        assert places(err) == ["sources.r.kind"]
        assert "did you mean 'outlet'?" in err.message

    @pytest.mark.parametrize("fmt", ["yaml", "json"])
    def test_huge_numbers_refused(self, fmt):
        """A number too long for any count is a CaseFileError, not Python's int-conversion error."""
        digits = "9" * 5000
        text = (
            f"{HEAD}claims:\n  c: {{text: C, value: {{exactly: {digits}}}}}\n"
            if fmt == "yaml"
            else f'{{"claimtrack": 1, "claims": {{"c": {{"text": "C", "value": {{"exactly": {digits}}}}}}}}}'
        )
        err = loads_error(text, fmt)
        assert isinstance(err, CaseFileError)
        assert "more than 100 digits" in err.message

    def test_long_but_sane_numbers_read(self):
        """A long count that is still a number reads as one."""
        case = claimtrack.loads(f"{HEAD}claims:\n  c: {{text: C, value: {{at_least: {10**30}}}}}\n")
        assert case.claims["c"].value == claimtrack.Count.at_least(10**30)

    def test_deep_nesting_refused(self):
        """Absurdly deep nesting is refused as a CaseFileError, not a RecursionError."""
        err = loads_error("[" * 100_000 + "]" * 100_000, "json")
        assert isinstance(err, CaseFileError)

    def test_deep_yaml_nesting_refused(self):
        """Absurdly deep YAML nesting is refused as a CaseFileError, not a RecursionError."""
        err = loads_error("[" * 100_000 + "]" * 100_000)
        assert isinstance(err, CaseFileError)

    def test_valid_json(self):
        """A JSON case file reads like its YAML twin."""
        case = claimtrack.loads(VALID)
        assert claimtrack.loads(claimtrack.dumps(case, "json"), "json") == case
        assert case.documents["art"].language == "no"


# ---- reading files -------------------------------------------------------------------------


class TestReading:
    def test_load_valid_file(self, tmp_path):
        """A valid file loads with every record, and the case remembers its path."""
        path = write(tmp_path, VALID)
        case = claimtrack.load(path)
        assert case.path == path
        assert list(case.sources) == ["reuters", "smc", "spokesman"]
        assert case.sources["spokesman"].speaks_for == (claimtrack.Affiliation("smc"),)
        assert case.claims["no-truce"].value == claimtrack.Count.at_least(4, unit="rockets")
        assert case.attributions[0].via == ("smc",)

    def test_load_str_path(self, tmp_path):
        """A path given as text loads like a Path."""
        path = write(tmp_path, VALID)
        assert claimtrack.load(str(path)) == claimtrack.load(path)

    def test_missing_file(self, tmp_path):
        """A missing file is a CaseFileError saying so, naming the file."""
        path = tmp_path / "absent.yaml"
        with pytest.raises(CaseFileError) as info:
            claimtrack.load(path)
        assert info.value.message == "no such file"
        assert info.value.file == str(path)
        assert str(info.value) == f"{path}: no such file"

    def test_folder(self, tmp_path):
        """A folder given as the case file is a CaseFileError saying it is a folder."""
        folder = tmp_path / "case.yaml"
        folder.mkdir()
        with pytest.raises(CaseFileError) as info:
            claimtrack.load(folder)
        assert "is a folder" in info.value.message

    def test_not_utf8(self, tmp_path):
        """Bytes that are not UTF-8 are refused, naming the offset of the first bad byte."""
        path = write(tmp_path, b"claimtrack: 1\ntitle: caf\xe9\n")
        with pytest.raises(CaseFileError) as info:
            claimtrack.load(path)
        assert info.value.place == "byte 24"
        assert "not UTF-8" in info.value.message

    def test_byte_order_mark(self, tmp_path):
        """A UTF-8 byte order mark at the start of the file is ignored."""
        path = write(tmp_path, b"\xef\xbb\xbf" + VALID.encode())
        assert claimtrack.load(path) == claimtrack.loads(VALID)

    def test_windows_line_ends(self, tmp_path):
        """A file with CRLF line ends reads like one with LF."""
        path = write(tmp_path, VALID.replace("\n", "\r\n").encode())
        assert claimtrack.load(path) == claimtrack.loads(VALID)

    @pytest.mark.parametrize(
        ("name", "text"), [("e.yaml", ""), ("e.yaml", "# nothing\n"), ("e.json", "null")]
    )
    def test_empty_file(self, tmp_path, name, text):
        """An empty file is a CaseFileError in plain words, without Python's type names."""
        path = write(tmp_path, text, name)
        with pytest.raises(CaseFileError) as info:
            claimtrack.load(path)
        assert info.value.place == ""
        assert "a case file holds a mapping of sections" in info.value.message
        assert "NoneType" not in str(info.value)

    def test_open_file(self, tmp_path):
        """An open file, binary or text, loads like its path."""
        path = write(tmp_path, VALID)
        with path.open("rb") as f:
            from_binary = claimtrack.load(f)
        with path.open(encoding="utf-8") as f:
            from_text = claimtrack.load(f)
        assert from_binary == from_text == claimtrack.load(path)
        assert from_binary.path is None

    def test_open_file_errors_name_it(self, tmp_path):
        """Errors from an open file name the file it came from."""
        path = write(tmp_path, HEAD + "sourcs: {}\n")
        with path.open("rb") as f, pytest.raises(CaseFileError) as info:
            claimtrack.load(f)
        assert info.value.file == str(path)

    def test_stdin(self, monkeypatch):
        """'-' reads a YAML case from standard input."""

        class Stdin:
            buffer = io.BytesIO(VALID.encode())

        monkeypatch.setattr(sys, "stdin", Stdin)
        case = claimtrack.load("-")
        assert case == claimtrack.loads(VALID)
        assert case.path is None

    def test_loads_str_and_bytes(self):
        """loads takes text or UTF-8 bytes alike."""
        assert claimtrack.loads(VALID) == claimtrack.loads(VALID.encode())

    def test_loads_names_string(self):
        """Errors from loads name '<string>', or the file name given."""
        assert loads_error(HEAD + "sourcs: {}\n").file == "<string>"
        with pytest.raises(CaseFileError) as info:
            claimtrack.loads(HEAD + "sourcs: {}\n", file="pasted.yaml")
        assert str(info.value).startswith("pasted.yaml: sourcs: ")


# ---- formats -------------------------------------------------------------------------------


class TestFormat:
    @pytest.mark.parametrize(
        ("name", "fmt"),
        [("c.yaml", "yaml"), ("c.yml", "yaml"), ("c.json", "json"), ("C.JSON", "json")],
    )
    def test_format_by_suffix(self, tmp_path, name, fmt):
        """The suffix chooses the format, in either case: .yaml, .yml and .json."""
        small_case().save(tmp_path / name)
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert text == claimtrack.dumps(small_case(), fmt)
        assert claimtrack.load(tmp_path / name) == small_case()

    def test_json_file_is_json(self, tmp_path):
        """A .json file holds JSON that any JSON reader accepts."""
        small_case().save(tmp_path / "c.json")
        data = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
        assert data["claimtrack"] == 1

    @pytest.mark.parametrize("name", ["case.txt", "case", "case.yaml.bak"])
    def test_unknown_suffix_on_load(self, tmp_path, name):
        """Loading a file whose suffix says no format is refused, saying how to fix it."""
        path = write(tmp_path, VALID, name)
        with pytest.raises(CaseFileError) as info:
            claimtrack.load(path)
        assert "cannot tell the format" in info.value.message
        assert ".yaml, .yml or .json" in info.value.message

    def test_unknown_suffix_on_save(self, tmp_path):
        """Saving to a file whose suffix says no format is refused, and writes nothing."""
        with pytest.raises(CaseFileError) as info:
            small_case().save(tmp_path / "case.txt")
        assert "cannot tell the format" in info.value.message
        assert folder_listing(tmp_path) == []

    def test_format_override_on_load(self, tmp_path):
        """format= reads a file whatever its suffix says."""
        json_text = claimtrack.dumps(small_case(), "json")
        assert (
            claimtrack.load(write(tmp_path, json_text, "case.txt"), format="json") == small_case()
        )
        assert claimtrack.load(
            write(tmp_path, VALID, "case.json"), format="yaml"
        ) == claimtrack.loads(VALID)

    def test_format_override_is_obeyed(self, tmp_path):
        """format= is obeyed even when the suffix disagrees: YAML read as JSON is a JSON error."""
        path = write(tmp_path, VALID, "case.yaml")
        with pytest.raises(CaseFileError) as info:
            claimtrack.load(path, format="json")
        assert "not valid JSON" in info.value.message

    def test_format_override_on_save(self, tmp_path):
        """format= writes the format given whatever the suffix."""
        small_case().save(tmp_path / "case.txt", format="json")
        assert (tmp_path / "case.txt").read_text(encoding="utf-8") == claimtrack.dumps(
            small_case(), "json"
        )

    def test_unknown_format_on_load(self, tmp_path):
        """An unknown format= is refused."""
        path = write(tmp_path, VALID, "case.yaml")
        with pytest.raises(CaseFileError, match="cannot tell the format"):
            claimtrack.load(path, format="xml")

    def test_unknown_format_in_dumps(self):
        """dumps refuses a format it does not write rather than silently writing YAML."""
        with pytest.raises((ValueError, CaseError), match="xml"):
            claimtrack.dumps(small_case(), "xml")

    def test_unknown_format_in_loads(self):
        """loads refuses a format it does not read rather than silently reading JSON."""
        with pytest.raises(CaseError, match="xml"):
            claimtrack.loads(VALID, "xml")

    def test_dumps_json_keeps_unicode(self):
        """JSON is written as UTF-8 text, not \\u escapes, and ends with a newline."""
        case = claimtrack.Case(title="هدنة")
        text = claimtrack.dumps(case, "json")
        assert '"title": "هدنة"' in text
        assert text.endswith("}\n")

    def test_dumps_yaml_keeps_unicode(self):
        """YAML is written with unicode as it is."""
        assert "title: هدنة\n" in claimtrack.dumps(claimtrack.Case(title="هدنة"), "yaml")

    def test_multiline_text_as_block(self):
        """Text of several lines is written as a literal block, readable in the file."""
        case = claimtrack.Case(description="line one\nline two\n")
        assert "description: |\n  line one\n  line two\n" in claimtrack.dumps(case)


# ---- saving --------------------------------------------------------------------------------


def broken_case() -> claimtrack.Case:
    """A case with an attribution to ids it does not hold: built unchecked, so invalid."""
    return claimtrack.Case.from_records(
        [claimtrack.Attribution("ghost-claim", "ghost-source")], check=False
    )


class TestSave:
    def test_invalid_case_not_saved(self, tmp_path):
        """Saving an invalid case raises IntegrityError with the places, and leaves the old file untouched."""
        path = tmp_path / "case.yaml"
        small_case().save(path)
        before = path.read_bytes()
        with pytest.raises(IntegrityError) as info:
            broken_case().save(path)
        assert places(info.value) == ["attributions[0].claim", "attributions[0].source"]
        assert path.read_bytes() == before
        assert folder_listing(tmp_path) == ["case.yaml"]

    def test_invalid_case_creates_no_file(self, tmp_path):
        """Saving an invalid case to a new path creates nothing."""
        with pytest.raises(IntegrityError):
            broken_case().save(tmp_path / "case.json")
        assert folder_listing(tmp_path) == []

    def test_case_loadable_after_save(self, tmp_path):
        """Whatever save writes, load reads: a case whose title load would refuse is not saved."""
        case = claimtrack.Case(title="   ")
        path = tmp_path / "case.yaml"
        try:
            case.save(path)
        except CaseError:
            assert not path.exists()
        else:
            assert claimtrack.load(path) == case

    @pytest.mark.parametrize("failing", ["fsync", "replace"])
    def test_failed_write_leaves_old_file(self, tmp_path, monkeypatch, failing):
        """A failure while writing is a CaseFileError; the old file stays byte-identical, no temp file is left."""
        path = tmp_path / "case.yaml"
        small_case().save(path)
        before = path.read_bytes()

        def fail(*_args, **_kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(claimtrack.files._atomic.os, failing, fail)
        case = small_case()
        case.add_source("afp", "AFP", "news-agency")
        with pytest.raises(CaseFileError) as info:
            case.save(path)
        monkeypatch.undo()
        assert info.value.file == str(path)
        assert "cannot be written: No space left on device" in info.value.message
        assert path.read_bytes() == before
        assert folder_listing(tmp_path) == ["case.yaml"]
        assert case.path is None

    def test_failed_write_of_new_file(self, tmp_path, monkeypatch):
        """A failure writing a new file leaves no file and no temp file behind."""

        def fail(*_args, **_kwargs):
            raise OSError(errno.EIO, "Input/output error")

        monkeypatch.setattr(claimtrack.files._atomic.os, "fsync", fail)
        with pytest.raises(CaseFileError, match="cannot be written"):
            small_case().save(tmp_path / "case.json")
        monkeypatch.undo()
        assert folder_listing(tmp_path) == []

    def test_missing_folder(self, tmp_path):
        """Saving into a folder that does not exist is a CaseFileError naming the file."""
        path = tmp_path / "absent" / "case.yaml"
        with pytest.raises(CaseFileError) as info:
            small_case().save(path)
        assert info.value.file == str(path)
        assert "cannot be written" in info.value.message

    @pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
    @pytest.mark.parametrize("mode", [0o600, 0o640, 0o664])
    def test_permissions_kept(self, tmp_path, mode):
        """Saving over a file keeps that file's permissions."""
        path = tmp_path / "case.yaml"
        small_case().save(path)
        path.chmod(mode)
        case = small_case()
        case.add_source("afp", "AFP", "news-agency")
        case.save(path)
        assert stat.S_IMODE(path.stat().st_mode) == mode
        assert "afp" in claimtrack.load(path).sources

    def test_replaces_content(self, tmp_path):
        """Saving over a file replaces its content entirely with the new case."""
        path = tmp_path / "case.yaml"
        path.write_text("x" * 10_000, encoding="utf-8")
        small_case().save(path)
        assert path.read_text(encoding="utf-8") == claimtrack.dumps(small_case())

    def test_save_sets_path(self, tmp_path):
        """A saved case remembers where it was saved."""
        case = small_case()
        case.save(tmp_path / "case.json")
        assert case.path == tmp_path / "case.json"

    def test_save_to_stdout(self, capsys):
        """Saving to '-' writes YAML to standard output."""
        small_case().save("-")
        assert capsys.readouterr().out == claimtrack.dumps(small_case())

    def test_relative_path(self, tmp_path, monkeypatch):
        """A bare file name saves into the working folder."""
        monkeypatch.chdir(tmp_path)
        small_case().save("case.yaml")
        assert folder_listing(tmp_path) == ["case.yaml"]
        assert claimtrack.load("case.yaml") == small_case()


class TestSaveProtection:
    def test_write_failure_leaves_old_file(self, tmp_path, monkeypatch):
        """A failure half-way through writing the bytes leaves the old file whole and no temp file."""
        path = tmp_path / "case.yaml"
        small_case().save(path)
        before = path.read_bytes()
        real_fdopen = os.fdopen

        class HalfWriter(io.RawIOBase):
            def __init__(self, fd):
                self._file = real_fdopen(fd, "wb")

            def write(self, data):
                self._file.write(bytes(data)[: len(data) // 2])
                raise OSError(errno.ENOSPC, "No space left on device")

            def fileno(self):
                return self._file.fileno()

            def close(self):
                self._file.close()
                super().close()

        monkeypatch.setattr(claimtrack.files._atomic.os, "fdopen", lambda fd, _mode: HalfWriter(fd))
        case = small_case()
        case.add_source("afp", "AFP", "news-agency")
        with pytest.raises(CaseFileError, match="No space left on device"):
            case.save(path)
        monkeypatch.undo()
        assert path.read_bytes() == before
        assert folder_listing(tmp_path) == ["case.yaml"]

    def test_file_changed_since_load_is_not_overwritten(self, tmp_path):
        """Saving over a case file that someone edited after it was loaded is refused, and their edit kept."""
        path = tmp_path / "case.yaml"
        small_case().save(path)
        case = claimtrack.load(path)
        edited = path.read_text() + "# an edit made in another window\n"
        path.write_text(edited)
        case.add_source("afp", "AFP", "news-agency")
        with pytest.raises(CaseFileError) as info:
            case.save(path)
        assert info.value.file == str(path)
        assert "changed on disk since this case was loaded" in info.value.message
        assert "force=True" in info.value.message
        assert path.read_text() == edited

    def test_force_overwrites_a_changed_file(self, tmp_path):
        """force=True saves over a file that changed since it was loaded."""
        path = tmp_path / "case.yaml"
        small_case().save(path)
        case = claimtrack.load(path)
        path.write_text(path.read_text() + "# edited\n")
        case.add_source("afp", "AFP", "news-agency")
        case.save(path, force=True)
        assert "afp" in claimtrack.load(path).sources

    def test_saving_twice_after_load_is_allowed(self, tmp_path):
        """A case may be saved over its own file again and again: its own saves are not others' edits."""
        path = tmp_path / "case.json"
        small_case().save(path)
        case = claimtrack.load(path)
        case.add_source("afp", "AFP", "news-agency")
        case.save(path)
        case.add_source("ap", "AP", "news-agency")
        case.save(path)
        assert set(claimtrack.load(path).sources) == {"reuters", "afp", "ap"}

    def test_saving_elsewhere_is_not_checked(self, tmp_path):
        """Saving a loaded case to another path is never refused because the original changed."""
        path = tmp_path / "case.yaml"
        small_case().save(path)
        case = claimtrack.load(path)
        path.write_text(path.read_text() + "# edited\n")
        case.save(tmp_path / "copy.yaml")
        assert claimtrack.load(tmp_path / "copy.yaml") == case

    def test_deleted_file_is_written_again(self, tmp_path):
        """If the loaded file was deleted, saving writes it again: nothing of anyone's is lost."""
        path = tmp_path / "case.yaml"
        small_case().save(path)
        case = claimtrack.load(path)
        path.unlink()
        case.save(path)
        assert claimtrack.load(path) == case


class TestLimits:
    def test_defaults(self):
        """The documented defaults: 512 MiB, 64 levels, a million characters, 100 digits."""
        limits = claimtrack.Limits()
        assert (limits.max_bytes, limits.max_depth, limits.max_text, limits.max_digits) == (
            512 * 2**20,
            64,
            1_000_000,
            100,
        )

    @pytest.mark.parametrize("field", ["max_bytes", "max_depth", "max_text", "max_digits"])
    @pytest.mark.parametrize("value", [0, -1, 1.5, True, "10"])
    def test_bad_limits_refused(self, field, value):
        """A limit must be a whole number of at least 1; the error names the limit."""
        with pytest.raises(ValueError, match=f"Limits.{field} must be a whole number"):
            claimtrack.Limits(**{field: value})

    @pytest.mark.parametrize("name", ["case.yaml", "case.json"])
    def test_file_too_big(self, tmp_path, name):
        """A file over max_bytes is refused before it is parsed, with its size and the limit."""
        text = VALID if name.endswith("yaml") else claimtrack.dumps(claimtrack.loads(VALID), "json")
        path = write(tmp_path, text, name)
        with pytest.raises(CaseFileError) as info:
            claimtrack.load(path, limits=claimtrack.Limits(max_bytes=100))
        assert info.value.file == str(path)
        assert f"{len(text.encode()):,} bytes than a case file may hold" in info.value.message
        assert "the limit is 100" in info.value.message
        assert claimtrack.load(path, limits=claimtrack.Limits(max_bytes=len(text.encode())))

    def test_stream_too_big(self):
        """A stream over max_bytes is refused after reading one byte past the limit, not all of it."""
        stream = io.BytesIO(VALID.encode())
        with pytest.raises(CaseFileError, match="than a case file may hold"):
            claimtrack.load(stream, limits=claimtrack.Limits(max_bytes=50))
        assert stream.tell() == 51

    @pytest.mark.parametrize("fmt", ["yaml", "json"])
    @pytest.mark.parametrize("where", ["claim", "key", "via"])
    def test_text_too_long(self, fmt, where):
        """A text over max_text is refused wherever it stands: a value, a key, or an item of a list."""
        long = "x" * 101
        if where == "claim":
            data = {"claimtrack": 1, "claims": {"c": {"text": long}}}
        elif where == "key":
            data = {"claimtrack": 1, "claims": {long: {"text": "C"}}}
        else:
            data = {"claimtrack": 1, "attributions": [{"claim": "c", "source": "s", "via": [long]}]}
        text = json.dumps(data)  # JSON is YAML too
        with pytest.raises(CaseFileError) as info:
            claimtrack.loads(text, fmt, limits=claimtrack.Limits(max_text=100))
        assert "a text of 101 characters; the limit is 100" in info.value.message

    def test_text_at_the_limit_reads(self):
        """A text exactly max_text long is read."""
        text = json.dumps({"claimtrack": 1, "title": "t" * 100})
        assert claimtrack.loads(text, "json", limits=claimtrack.Limits(max_text=100)).title

    def test_depth_limit(self):
        """YAML nested past max_depth is refused with the line; within it, the usual shape errors apply."""
        deep = "claimtrack: 1\nnotes: " + "[" * 10 + "]" * 10 + "\n"
        with pytest.raises(CaseFileError) as info:
            claimtrack.loads(deep, limits=claimtrack.Limits(max_depth=5))
        assert "nested more than 5 levels deep" in info.value.message
        assert info.value.place.startswith("line 2")
        with pytest.raises(CaseFileError, match="unknown section 'notes'"):
            claimtrack.loads(deep)

    @pytest.mark.parametrize("fmt", ["yaml", "json"])
    def test_digit_limit(self, fmt):
        """max_digits is configurable, for both formats."""
        text = json.dumps(
            {"claimtrack": 1, "claims": {"c": {"text": "C", "value": {"exactly": 12345}}}}
        )
        with pytest.raises(CaseFileError, match="more than 4 digits"):
            claimtrack.loads(text, fmt, limits=claimtrack.Limits(max_digits=4))
        assert claimtrack.loads(text, fmt, limits=claimtrack.Limits(max_digits=5))
