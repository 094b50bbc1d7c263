"""The records of a case: sources, documents, questions, claims, attributions, relations.

Every record is frozen and validated when built; change one with :func:`attrs.evolve`.
Records refer to each other by id; the :class:`~claimtrack.Case` checks that the ids exist.
"""

from __future__ import annotations

import collections
import datetime as dt
import enum
import itertools
import re

from collections.abc import Callable, Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

import attrs

from claimtrack.model._period import Period, later
from claimtrack.model._surrogates import encodes, surrogate_problem
from claimtrack.model._values import Count


if TYPE_CHECKING:
    from rich.console import RenderableType


Moment: TypeAlias = dt.date | dt.datetime | Period
"""A point in time as sources give it: a day, a day and time (with or without zone), or a
month or a year (:class:`~claimtrack.Period`)."""

Day: TypeAlias = dt.date | Period
"""A day, or a month or a year: what the ties between sources are dated by."""

_NOT_IN_IDS = r"\s\x00-\x1f\x7f\ud800-\udfff"
"""What no id holds: white space, control characters, lone surrogates."""
_ID_MOST = 200
_ID = re.compile(f"[^{_NOT_IN_IDS}]{{1,{_ID_MOST}}}")
_NOT_ID = re.compile(f"[{_NOT_IN_IDS}]")


def _is_text(text: str) -> bool:
    """Whether *text*, a ``str``, holds no lone surrogate: the fast constructors' check."""
    return text.isascii() or encodes(text)


class _Ranked:
    """A scale whose members compare by how good they are: the worse is the lesser.

    ``Reliability.F < Reliability.A``, ``Credibility.CANNOT_BE_JUDGED < Credibility.CONFIRMED``,
    and likewise for analytic confidence and the estimative words; so ``max`` picks the best
    and ``sorted`` puts the worst first. Members compare only with members of their own
    scale: comparing with anything else (a letter, a number) raises :class:`TypeError`,
    rather than comparing the text as text would.
    """

    __slots__ = ()
    _rank: int  # set on each member by _rank_scale(), from worst (0) to best

    def _other(self, other: object, op: str) -> int:
        if type(other) is not type(self):
            msg = f"'{op}' not supported between {type(self).__name__} and {type(other).__name__}"
            raise TypeError(msg)
        return other._rank  # noqa: SLF001 - a member of this scale

    def __lt__(self, other: object) -> bool:
        return self._rank < self._other(other, "<")

    def __le__(self, other: object) -> bool:
        return self._rank <= self._other(other, "<=")

    def __gt__(self, other: object) -> bool:
        return self._rank > self._other(other, ">")

    def __ge__(self, other: object) -> bool:
        return self._rank >= self._other(other, ">=")


def _rank_scale(worst_first: Iterable[enum.Enum]) -> None:
    """Give each member of a :class:`_Ranked` scale its place, listed from worst to best."""
    for i, member in enumerate(worst_first):
        object.__setattr__(member, "_rank", i)


class SourceKind(enum.StrEnum):
    """What sort of speaker or publisher a source is."""

    OUTLET = "outlet"
    NEWS_AGENCY = "news-agency"
    GOVERNMENT = "government"
    OFFICIAL_BODY = "official-body"
    MILITARY = "military"
    ARMED_GROUP = "armed-group"
    POLITICAL_GROUP = "political-group"
    PERSON = "person"
    SOCIAL_CHANNEL = "social-channel"
    ANONYMOUS = "anonymous"
    OTHER = "other"


class Reliability(_Ranked, enum.StrEnum):
    """Source reliability on the Admiralty (NATO) scale, graded by the analyst.

    Ordered so that the better grade compares greater: ``Reliability.F < Reliability.E <
    ... < Reliability.A`` (F, "cannot be judged", is least trusted, as the engine reads it).
    """

    A = "A"
    """Completely reliable."""
    B = "B"
    """Usually reliable."""
    C = "C"
    """Fairly reliable."""
    D = "D"
    """Not usually reliable."""
    E = "E"
    """Unreliable."""
    F = "F"
    """Reliability cannot be judged."""


class Credibility(_Ranked, enum.Enum):
    """Information credibility on the Admiralty (NATO) scale: the digit of a code like ``B2``.

    ``str()`` and formatting give the digit, as a file writes it (``f"{c}"`` is ``"2"``). Ordered
    so that the better compares greater: ``Credibility.CANNOT_BE_JUDGED < ... <
    Credibility.CONFIRMED``, the opposite of the digits' order.
    """

    CONFIRMED = 1
    PROBABLY_TRUE = 2
    POSSIBLY_TRUE = 3
    DOUBTFUL = 4
    IMPROBABLE = 5
    CANNOT_BE_JUDGED = 6

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


_rank_scale(reversed(Reliability))
_rank_scale(reversed(Credibility))


class Stance(enum.StrEnum):
    """What a source does with a claim when it speaks."""

    ASSERTS = "asserts"
    DENIES = "denies"
    DOUBTS = "doubts"
    """Declines to confirm, or casts doubt without denying."""
    RETRACTS = "retracts"
    """Withdraws what the source said earlier; a correction is a retraction plus a new claim."""


class Mode(enum.StrEnum):
    """How openly a source speaks."""

    ON_RECORD = "on-record"
    ANONYMOUS = "anonymous"
    PURPORTED = "purported"
    """Circulates in the source's name, unverified (a statement whose author is not confirmed)."""


class RelationKind(enum.StrEnum):
    """How one claim bears on another, as an analyst declares it."""

    CONTRADICTS = "contradicts"
    SUPPORTS = "supports"
    REFINES = "refines"
    """The first claim is a more precise form of the second (a village inside a district)."""
    SUPERSEDES = "supersedes"
    """The first claim replaces the second (a later, corrected figure)."""
    IMPLIES = "implies"
    """If the first claim is true, so is the second, which may answer another question
    ("the strike hit the hospital" implies "the hospital was damaged")."""


class AffiliationKind(enum.StrEnum):
    """How one source belongs to another."""

    SPEAKS_FOR = "speaks_for"
    MEMBER_OF = "member_of"
    PART_OF = "part_of"


class DocumentKind(enum.StrEnum):
    """What sort of published item a document is."""

    ARTICLE = "article"
    STATEMENT = "statement"
    POST = "post"
    BROADCAST = "broadcast"
    OTHER = "other"


class EvidenceKind(enum.StrEnum):
    """What sort of artefact an item of evidence is."""

    VIDEO = "video"
    IMAGE = "image"
    AUDIO = "audio"
    DOCUMENT = "document"
    """A document the sources rest on (a leaked memo), not one that carries attributions."""
    INTELLIGENCE = "intelligence"
    """An intelligence assessment or intercept."""
    TESTIMONY = "testimony"
    PHYSICAL = "physical"
    """Fragments, remains, a site."""
    DATA = "data"
    """Satellite imagery, flight or ship tracks, sensor records."""
    OTHER = "other"


class Hedge(enum.StrEnum):
    """How sure the speaker says it is, in the words of ICD 203.

    The estimative words (``almost certain`` to ``almost no chance``) and the levels of
    analytic confidence (``high confidence`` to ``low confidence``) a statement gives
    itself. A hedge below even chance says the speaker thinks its own stance probably
    wrong: a case records that as the opposite stance with the mirrored word instead.
    """

    ALMOST_CERTAIN = "almost certain"
    VERY_LIKELY = "very likely"
    LIKELY = "likely"
    ROUGHLY_EVEN_CHANCE = "roughly even chance"
    UNLIKELY = "unlikely"
    VERY_UNLIKELY = "very unlikely"
    ALMOST_NO_CHANCE = "almost no chance"
    HIGH_CONFIDENCE = "high confidence"
    MODERATE_CONFIDENCE = "moderate confidence"
    LOW_CONFIDENCE = "low confidence"


MIRRORED_HEDGES: dict[Hedge, Hedge] = {
    Hedge.UNLIKELY: Hedge.LIKELY,
    Hedge.VERY_UNLIKELY: Hedge.VERY_LIKELY,
    Hedge.ALMOST_NO_CHANCE: Hedge.ALMOST_CERTAIN,
}
"""The hedges below even chance, each with the word that says the same of the opposite stance."""


def _ident(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        _refuse_surrogate(attribute, value)
        msg = (
            f"'{attribute.name}' must be an id: 1 to 200 characters without spaces "
            f"or control characters, got {value!r}"
        )
        raise ValueError(msg)


def _text(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        msg = f"'{attribute.name}' must be non-empty text, got {value!r}"
        raise ValueError(msg)
    _refuse_surrogate(attribute, value)


def _refuse_surrogate(attribute: attrs.Attribute[Any], value: object) -> None:
    """Raise the error of a lone surrogate in *value*, if it is text that holds one."""
    if isinstance(value, str):
        wrong = surrogate_problem(value)
        if wrong is not None:
            msg = f"'{attribute.name}' {wrong}"
            raise ValueError(msg)


def _optional_text(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _text(inst, attribute, value)


def _ids(_inst: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    for item in value:
        if not isinstance(item, str) or not _ID.fullmatch(item):
            _refuse_surrogate(attribute, item)
            msg = f"'{attribute.name}' must hold ids, got {item!r}"
            raise ValueError(msg)


def _texts(_inst: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    for item in value:
        if not isinstance(item, str) or not item.strip():
            msg = f"'{attribute.name}' must hold non-empty text, got {item!r}"
            raise ValueError(msg)
        _refuse_surrogate(attribute, item)


DATE_FORMS = (
    "a date (2024-04-21) or a date and time (2024-04-21T21:50:00+03:00), "
    "or just a month (2024-02) or a year (2024)"
)
"""The forms a date may take in a case file, as messages list them."""

DAY_FORMS = "a date (2024-04-21), or just a month (2024-02) or a year (2024)"
"""The forms the dates of a tie between sources may take (no time of day)."""

_PARTIAL_DATE = re.compile(r"\d{4}(?:-\d{2})?")


def parse_moment(text: str, *, day_only: bool = False) -> Moment:
    """Read an ISO 8601 year, month, date, or date and time, as sources give them.

    ``2024`` and ``2024-02`` give a :class:`~claimtrack.Period`, kept at that precision; ``2024-04-21``
    a :class:`datetime.date`; a date and time a :class:`datetime.datetime`.

    Raises:
        ValueError: The text is none of these (with *day_only*, a date and time is
            refused too); the message lists the forms accepted.
    """
    text = text.strip()
    try:
        if _PARTIAL_DATE.fullmatch(text):
            return Period.parse(text)
        if day_only or len(text) == len("2024-04-21"):
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text)
    except ValueError:
        want = DAY_FORMS if day_only else DATE_FORMS
        msg = f"expected {want}, got {text!r}"
        raise ValueError(msg) from None


def _to_moment(value: Moment | str | None) -> Moment | None:
    return parse_moment(value) if isinstance(value, str) else value


def _to_day(value: Day | str | None) -> Day | None:
    return parse_moment(value, day_only=True) if isinstance(value, str) else value


def _moment(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, dt.date | Period):
        msg = (
            f"'{attribute.name}' must be a date, a date and time, or a Period "
            f"(a month or a year), got {value!r}"
        )
        raise TypeError(msg)


def _to_tuple(value: Iterable[Any] | str) -> tuple[Any, ...]:
    """Accept one item or many; a lone string is one item, not its characters."""
    if isinstance(value, str):
        return (value,)
    return tuple(value)


# The converters below pass a value that is already what they make straight through: the
# bulk loader builds a million records through their constructors, already typed, and a
# needless enum lookup or attribute probe per field would cost seconds.


def _ref(value: object) -> object:
    """Reduce a record to its id, so builders accept the object or its id alike."""
    return value if type(value) is str else getattr(value, "id", value)


def _refs(value: Iterable[object] | str) -> tuple[object, ...]:
    if type(value) is tuple:
        for v in value:
            if type(v) is not str:
                break
        else:
            return value  # ids already, as loaders give them: the tuple is kept, and shared
    return tuple(_ref(v) for v in _to_tuple(value))


def _source_kind(value: object) -> SourceKind:
    return value if type(value) is SourceKind else SourceKind(value)  # type: ignore[arg-type]  # any value: the enum refuses it


def _document_kind(value: object) -> DocumentKind:
    return value if type(value) is DocumentKind else DocumentKind(value)  # type: ignore[arg-type]  # any value: the enum refuses it


def _stance(value: object) -> Stance:
    return value if type(value) is Stance else Stance(value)  # type: ignore[arg-type]  # any value: the enum refuses it


def _mode(value: object) -> Mode:
    return value if type(value) is Mode else Mode(value)  # type: ignore[arg-type]  # any value: the enum refuses it


def _evidence_kind(value: object) -> EvidenceKind:
    return value if type(value) is EvidenceKind else EvidenceKind(value)  # type: ignore[arg-type]  # any value: the enum refuses it


def _opt_hedge(value: object) -> Hedge | None:
    return value if value is None or type(value) is Hedge else Hedge(value)  # type: ignore[arg-type]  # any value: the enum refuses it


def _opt_ref(value: object) -> object:
    """:func:`_ref` for an optional reference: a record without an id is kept, to be refused."""
    if value is None or type(value) is str:
        return value
    rid = getattr(value, "id", None)
    return value if rid is None else rid


def _relation_kind(value: object) -> RelationKind:
    return value if type(value) is RelationKind else RelationKind(value)  # type: ignore[arg-type]  # any value: the enum refuses it


def _opt_reliability(value: Reliability | str | None) -> Reliability | None:
    return value if value is None or type(value) is Reliability else Reliability(value)


def _opt_credibility(value: Credibility | int | None) -> Credibility | None:
    if value is None or type(value) is Credibility:
        return value
    if type(value) is not int:  # true is 1 and 1.0 equals 1 to Python, but neither is a digit
        msg = f"{value!r} is not a valid Credibility: it takes a whole number from 1 to 6"
        raise ValueError(msg)
    return Credibility(value)


def _optional_ident(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _ident(inst, attribute, value)


_CONTEXT_NEEDS_QUOTE = "'prefix' and 'suffix' place a quote, so they need a 'quote'"
_WITHDRAWS_NEEDS_RETRACTS = (
    "'withdraws' names the attribution a retraction withdraws, so it needs stance 'retracts'"
)
FIELD_OF_MESSAGE: dict[str, str] = {_WITHDRAWS_NEEDS_RETRACTS: "withdraws"}
"""Errors a record raises about two fields together, each with the field it is placed at."""


# ---- building records in bulk ---------------------------------------------------------------
#
# The ``many`` constructors below build thousands of records at a time. Each checks every row
# cheaply (an id once however often it comes, a value already of its field's type as it is),
# and hands any row it cannot prove valid that way to the class's own ``__init__``, which
# converts and validates it and raises its error if it has one.

_Setter: TypeAlias = Callable[[object, object], None]
_R = TypeVar("_R")


def _slot_setters(cls: type) -> tuple[_Setter, ...]:
    """The ``__set__`` of the slot of each field of *cls*, in field order.

    These are the class's own slot descriptors, the ones attrs' ``__init__`` writes through
    (by ``object.__setattr__``); they bypass the frozen ``__setattr__`` just as it does.
    """
    setters: tuple[_Setter, ...] = tuple(
        vars(cls)[field.name].__set__ for field in attrs.fields(cls)
    )
    return setters


def _new_id(value: str, good: set[str]) -> bool:
    """Whether *value*, a ``str``, is an id; if it is, it joins *good* and is not checked again."""
    if _ID.fullmatch(value):
        good.add(value)
        return True
    return False


def _ids_fine(values: Collection[object]) -> bool:
    """Whether every one of *values* is an id, as ``str``: :data:`_ID`'s test, in a few passes in C.

    An id is one to two hundred characters, none of them one that no id holds; so all of
    *values* are ids when each is a ``str`` of such a length and their characters, joined,
    hold none of those. A column of a million references has tens of thousands of distinct ids, whose
    matching one at a time was the dearest of the fast constructors' checks.
    """
    return not values or (
        set(map(type, values)) <= {str}
        and min(map(len, values)) >= 1  # type: ignore[arg-type]
        and max(map(len, values)) <= _ID_MOST  # type: ignore[arg-type]
        and _NOT_ID.search("".join(values)) is None  # type: ignore[arg-type]
    )


def _columns_fine(
    columns: tuple[Sequence[Any], ...], ids: set[str], vias: dict[int, tuple[object, ...]]
) -> bool:
    """Whether whole columns of attribution fields pass every check :meth:`Attribution.many` makes."""
    claim, source, stance, document, via, quote, prefix, suffix, said, mode, cred, notes = columns[
        :12
    ]
    rid, based_on, withdraws, hedge, in_own_name, against_interest = columns[12:]
    n = len(claim)
    return (
        _ids_fine({*claim, *source})
        and _ids_fine(set(document) - {None})
        and _id_tuples_fine(via, vias)
        and set(map(type, stance)) <= {Stance}
        and set(map(type, mode)) <= {Mode}
        and set(map(type, cred)) <= {type(None), Credibility}
        and set(map(type, said)) <= {type(None), dt.date, dt.datetime, Period}
        and all(_no_text_or_text(col) for col in (quote, prefix, suffix, notes))
        and (
            (prefix.count(None) == n and suffix.count(None) == n)
            or all(
                q is not None or (p is None and s is None)
                for q, p, s in zip(quote, prefix, suffix, strict=True)
            )
        )
        and (rid.count(None) == n or _optional_ids_fine(rid, ids))
        and (based_on.count(()) == n or _id_tuples_fine(based_on, vias))
        and (
            withdraws.count(None) == n
            or (
                _optional_ids_fine(withdraws, ids)
                and all(
                    w is None or s is Stance.RETRACTS
                    for w, s in zip(withdraws, stance, strict=True)
                )
            )
        )
        and (hedge.count(None) == n or set(map(type, hedge)) <= {type(None), Hedge})
        and _bools_fine(in_own_name)
        and _bools_fine(against_interest)
    )


def _optional_ids_fine(column: Sequence[object], ids: set[str]) -> bool:
    """Whether each value of *column* is ``None`` or an id, as ``str``; the ids join *ids*."""
    found = set(column) - {None}
    if not _ids_fine(found - ids):
        return False
    ids |= found  # type: ignore[arg-type]
    return True


def _id_tuples_fine(column: Sequence[object], good: dict[int, tuple[object, ...]]) -> bool:
    """Whether each value of *column* is a tuple of ids: each distinct tuple checked once."""
    return all(
        type(v) is tuple and (good.get(id(v)) is v or _new_ids(v, good))
        for v in {id(v): v for v in column}.values()
    )


def _bools_fine(column: Sequence[object]) -> bool:
    """Whether each value of *column* is ``True`` or ``False`` (not ``0``, not ``1``)."""
    return set(map(type, column)) <= {bool}


def _no_text_or_text(column: Sequence[object]) -> bool:
    """Whether each value of *column* is ``None`` or non-blank ``str``: the optional texts' check."""
    if column.count(None) == len(column):
        return True
    return all(v is None or (type(v) is str and v and not v.isspace()) for v in column) and (
        _all_text(list(filter(None, column)))  # type: ignore[arg-type]
    )


def _all_text(texts: list[str]) -> bool:
    """Whether no text of *texts* holds a lone surrogate: a pass in C, all ASCII the usual answer."""
    if all(map(str.isascii, texts)):
        return True
    try:
        collections.deque(map(str.encode, texts), maxlen=0)
    except UnicodeEncodeError:
        return False
    return True


def _texts_fine(column: Sequence[object]) -> bool:
    """Whether each value of *column* is non-blank ``str``: the required texts' check, a pass at a time."""
    return not column or (
        set(map(type, column)) <= {str}
        and all(column)
        and not any(map(str.isspace, column))  # type: ignore[arg-type]
        and _all_text(column)  # type: ignore[arg-type]
    )


def _types_fine(column: Sequence[object], types: Collection[type]) -> bool:
    """Whether the type of each value of *column* is one of *types*, exactly."""
    return set(map(type, column)) <= set(types)


_MOMENT_OR_NONE = frozenset((type(None), dt.date, dt.datetime, Period))


def _made(
    cls: type[_R], setters: tuple[_Setter, ...], columns: Sequence[Sequence[Any]]
) -> list[_R]:
    """Instances of *cls*, a column of *columns* per field, set through its own slot descriptors.

    Only for columns the caller has proved hold what the fields' converters return unchanged
    and their validators pass: every field of every instance is set before any is returned.
    """
    made = list(map(cls.__new__, itertools.repeat(cls, len(columns[0]))))
    for setter, column in zip(setters, columns, strict=True):
        collections.deque(map(setter, made, column), maxlen=0)
    return made


def _columns_given(
    cls: type, setters: tuple[_Setter, ...], columns: Sequence[Sequence[Any]]
) -> None:
    """Refuse columns that are not one per field of *cls*, all of one length."""
    if len(columns) != len(setters) or len({len(c) for c in columns}) > 1:
        msg = f"{cls.__name__}.columns takes {len(setters)} columns of one length"
        raise TypeError(msg)


def _new_ids(value: tuple[object, ...], good: dict[int, tuple[object, ...]]) -> bool:
    """Whether *value* holds ids only, as ``str``; if so it joins *good*, kept by identity.

    The tuples are kept by identity (loaders share one tuple for each list of ids) and held
    in *good*, so an identity is not reused while the check is remembered.
    """
    for item in value:
        if type(item) is not str or not _ID.fullmatch(item):
            return False
    good[id(value)] = value
    return True


_MOMENT_TYPES = frozenset((dt.date, dt.datetime, Period))
"""The exact types a moment may be, for the fast constructors' checks."""


def _optional_texts_ok(values: tuple[object, ...]) -> bool:
    """Whether each of *values* is ``None`` or non-empty text, as ``str``."""
    for item in values:
        if item is not None and (
            type(item) is not str or not item or item.isspace() or not _is_text(item)
        ):
            return False
    return True


def _texts_ok(value: tuple[object, ...]) -> bool:
    """Whether *value* holds non-empty text only, as ``str``."""
    return all(
        type(item) is str and item and not item.isspace() and _is_text(item) for item in value
    )


@attrs.frozen
class Affiliation:
    """A tie from a source to another source: speaks for, member of, part of.

    Attributes:
        source: The id of the source this one belongs to.
        start: When the tie began, if known: a day, or a month or a year
            (:class:`~claimtrack.Period`).
        end: When the tie ended, if it did; likewise.
    """

    source: str = attrs.field(converter=_ref, validator=_ident)
    start: Day | None = attrs.field(
        default=None, kw_only=True, converter=_to_day, validator=_moment
    )
    end: Day | None = attrs.field(default=None, kw_only=True, converter=_to_day, validator=_moment)

    @end.validator
    def _end_after_start(self, _attribute: attrs.Attribute[Any], value: Day | None) -> None:
        if value is not None and self.start is not None and later(self.start, value):
            msg = f"the tie ends ({value}) before it starts ({self.start})"
            raise ValueError(msg)


def _affiliations(value: object) -> tuple[Affiliation, ...]:
    items = value if isinstance(value, list | tuple) else (value,)
    return tuple(i if isinstance(i, Affiliation) else Affiliation(i) for i in items)


@attrs.frozen
class Source:
    """Anyone who can say or publish something: an outlet, a body, a person, a group.

    Attributes:
        id: The id other records use to refer to this source.
        name: The name as readers know it.
        kind: What sort of source it is.
        reliability: The analyst's Admiralty grade, if given (``None`` reads as F).
        role: A title or function ("Iraqi military spokesperson").
        aliases: Other names the source goes by.
        speaks_for: Sources this one speaks for (a spokesperson for a ministry).
        member_of: Sources this one is a member of (a leader within an alliance).
        part_of: Sources this one is a part of (a media unit of a force).
        notes: The analyst's notes.
    """

    id: str = attrs.field(validator=_ident)
    name: str = attrs.field(validator=_text)
    kind: SourceKind = attrs.field(converter=_source_kind)
    reliability: Reliability | None = attrs.field(
        default=None, kw_only=True, converter=_opt_reliability
    )
    role: str | None = attrs.field(default=None, kw_only=True, validator=_optional_text)
    aliases: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=_to_tuple, validator=_texts
    )
    speaks_for: tuple[Affiliation, ...] = attrs.field(
        default=(), kw_only=True, converter=_affiliations
    )
    member_of: tuple[Affiliation, ...] = attrs.field(
        default=(), kw_only=True, converter=_affiliations
    )
    part_of: tuple[Affiliation, ...] = attrs.field(
        default=(), kw_only=True, converter=_affiliations
    )
    notes: str | None = attrs.field(default=None, kw_only=True, validator=_optional_text)

    def affiliations(self) -> tuple[tuple[AffiliationKind, Affiliation], ...]:
        """Every tie of this source, each with its kind."""
        return (
            *((AffiliationKind.SPEAKS_FOR, a) for a in self.speaks_for),
            *((AffiliationKind.MEMBER_OF, a) for a in self.member_of),
            *((AffiliationKind.PART_OF, a) for a in self.part_of),
        )

    def __rich__(self) -> RenderableType:
        """How ``rich.print`` shows the source; rich is imported only when asked."""
        from claimtrack.report._records import source_view  # noqa: PLC0415 - keeps rich out of import time

        return source_view(self)


_SHA256 = re.compile(r"[0-9a-f]{64}")


def _sha256(_inst: object, _attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (not isinstance(value, str) or not _SHA256.fullmatch(value)):
        msg = f"'sha256' must be 64 lowercase hexadecimal digits, got {value!r}"
        raise ValueError(msg)


@attrs.frozen
class Document:
    """One published item (article, statement, post, broadcast) that carries attributions.

    Attributes:
        id: The id attributions use to refer to this document.
        publisher: The id of the source that published it.
        title: Its title, or a short description if it has none.
        url: Where it was published.
        archive_url: A stable archived copy.
        published: When it was published.
        retrieved: When the analyst retrieved it.
        language: Its language, as a tag such as ``en`` or ``ar``.
        kind: What sort of item it is.
        text: Its full text, inline.
        text_file: A file holding its full text, relative to the case file.
        sha256: The SHA-256 of the text, so that a changed text is noticed.
        notes: The analyst's notes.
    """

    id: str = attrs.field(validator=_ident)
    publisher: str = attrs.field(converter=_ref, validator=_ident)
    title: str = attrs.field(validator=_text)
    url: str | None = attrs.field(default=None, kw_only=True, validator=_optional_text)
    archive_url: str | None = attrs.field(default=None, kw_only=True, validator=_optional_text)
    published: Moment | None = attrs.field(
        default=None, kw_only=True, converter=_to_moment, validator=_moment
    )
    retrieved: Moment | None = attrs.field(
        default=None, kw_only=True, converter=_to_moment, validator=_moment
    )
    language: str | None = attrs.field(default=None, kw_only=True, validator=_optional_text)
    kind: DocumentKind = attrs.field(
        default=DocumentKind.ARTICLE, kw_only=True, converter=_document_kind
    )
    text: str | None = attrs.field(default=None, kw_only=True, validator=_optional_text)
    text_file: str | None = attrs.field(default=None, kw_only=True, validator=_optional_text)
    sha256: str | None = attrs.field(default=None, kw_only=True, validator=_sha256)
    notes: str | None = attrs.field(default=None, kw_only=True, validator=_optional_text)

    @text_file.validator
    def _one_text(self, _attribute: attrs.Attribute[Any], value: str | None) -> None:
        if value is not None and self.text is not None:
            msg = "give either 'text' or 'text_file', not both"
            raise ValueError(msg)

    @classmethod
    def columns(cls, *columns: Sequence[Any]) -> list[Document]:
        """Build documents from whole columns of fields: :meth:`many`, a field at a time.

        The thirteen columns hold the fields in order, as :meth:`many`'s rows do. Every
        check of :meth:`many` is made over whole columns, and where every column passes,
        the instances are made as :meth:`Attribution.columns` makes them; where any check
        fails, the rows go through :meth:`many`, which builds or raises exactly as
        ``__init__`` does.
        """
        _columns_given(cls, _DOCUMENT_SETTERS, columns)
        rid, publisher, title, url, archive_url, published, retrieved, language = columns[:8]
        kind, text, text_file, sha256, notes = columns[8:]
        try:
            fine = (
                _ids_fine(rid)
                and _ids_fine(set(publisher))
                and _texts_fine(title)
                and all(
                    _no_text_or_text(c)
                    for c in (url, archive_url, language, text, text_file, notes)
                )
                and (
                    text_file.count(None) == len(rid)
                    or not any(
                        f is not None and t is not None
                        for t, f in zip(text, text_file, strict=True)
                    )
                )
                and _types_fine(published, _MOMENT_OR_NONE)
                and _types_fine(retrieved, _MOMENT_OR_NONE)
                and _types_fine(kind, (DocumentKind,))
                and (
                    sha256.count(None) == len(rid)
                    or all(s is None or (type(s) is str and _SHA256.fullmatch(s)) for s in sha256)
                )
            )
        except TypeError:  # an unhashable value: many() says what is wrong with it
            fine = False
        if not fine:
            return cls.many(zip(*columns, strict=True))
        return _made(cls, _DOCUMENT_SETTERS, columns)

    @classmethod
    def many(cls, rows: Iterable[tuple[Any, ...]]) -> list[Document]:
        """Build documents in bulk, checked as ``__init__`` checks them: the fast constructor.

        Each row holds the thirteen fields in order (``id, publisher, title, url,
        archive_url, published, retrieved, language, kind, text, text_file, sha256,
        notes``), as the arguments of ``Document(id, publisher, title, url=..., ...)``.
        Returns the records in the order of the rows.

        How instances are made: as :meth:`Attribution.many` makes them. A row that passes
        the checks below gives an instance made by ``cls.__new__(cls)`` whose every field is
        then set, in order, through the class's own slot descriptors (the ones its generated
        ``__init__`` writes through); this is done here only, no instance leaves with a field
        unset, none is changed after, and no class attribute or descriptor is replaced.

        The checks, the validators' and converters' own: ``id`` and ``publisher`` ``str``
        matching the id pattern (each distinct publisher matched once); ``title`` non-blank
        ``str``, and ``url``, ``archive_url``, ``language``, ``text``, ``text_file`` and
        ``notes`` that or ``None``, with no ``text_file`` beside a ``text``; ``published``
        and ``retrieved`` ``None``, a ``datetime.date``, ``datetime.datetime`` or ``Period``; ``kind``
        a :class:`DocumentKind` member as it is; ``sha256`` ``None`` or 64 lowercase
        hexadecimal digits. Types are tested exactly. Any other row is built by calling the
        class, which converts it or raises exactly the error ``__init__`` raises for it; so
        each instance equals (``==`` and :func:`attrs.asdict`) the one ``__init__`` gives.

        Raises:
            ValueError: A value fails its field's check, as ``__init__`` raises it.
            TypeError: Likewise.
        """
        new = cls.__new__
        s_id, s_publisher, s_title, s_url, s_archive, s_published, s_retrieved = _DOCUMENT_SETTERS[
            :7
        ]
        s_language, s_kind, s_text, s_text_file, s_sha256, s_notes = _DOCUMENT_SETTERS[7:]
        ids: set[str] = set()
        moments = _MOMENT_TYPES
        made: list[Document] = []
        add = made.append
        for row in rows:
            (
                rid,
                publisher,
                title,
                url,
                archive_url,
                published,
                retrieved,
                language,
                kind,
                text,
                text_file,
                sha256,
                notes,
            ) = row
            if (
                type(rid) is str
                and _ID.fullmatch(rid)
                and type(publisher) is str
                and (publisher in ids or _new_id(publisher, ids))
                and type(title) is str
                and title
                and not title.isspace()
                and _is_text(title)
                and _optional_texts_ok((url, archive_url, language, text, text_file, notes))
                and (text_file is None or text is None)
                and (published is None or type(published) in moments)
                and (retrieved is None or type(retrieved) in moments)
                and type(kind) is DocumentKind
                and (sha256 is None or (type(sha256) is str and _SHA256.fullmatch(sha256)))
            ):
                one = new(cls)
                s_id(one, rid)
                s_publisher(one, publisher)
                s_title(one, title)
                s_url(one, url)
                s_archive(one, archive_url)
                s_published(one, published)
                s_retrieved(one, retrieved)
                s_language(one, language)
                s_kind(one, kind)
                s_text(one, text)
                s_text_file(one, text_file)
                s_sha256(one, sha256)
                s_notes(one, notes)
            else:
                one = cls(
                    rid,
                    publisher,
                    title,
                    url=url,
                    archive_url=archive_url,
                    published=published,
                    retrieved=retrieved,
                    language=language,
                    kind=kind,
                    text=text,
                    text_file=text_file,
                    sha256=sha256,
                    notes=notes,
                )
            add(one)
        return made


_DOCUMENT_SETTERS = _slot_setters(Document)


@attrs.frozen
class Evidence:
    """An artefact several sources may rest on: a video, photographs, an intercept, a report.

    Attributions name it in ``based_on``; how the engine counts attributions that rest on
    the same item is told in the page on confidence.

    Attributes:
        id: The id attributions use to refer to this item.
        kind: What sort of artefact it is.
        description: What it is, in the analyst's words ("a livestream of the moment").
        first_seen: When it was first seen in public, if known.
        notes: The analyst's notes.
    """

    id: str = attrs.field(validator=_ident)
    kind: EvidenceKind = attrs.field(converter=_evidence_kind)
    description: str = attrs.field(validator=_text)
    first_seen: Moment | None = attrs.field(
        default=None, kw_only=True, converter=_to_moment, validator=_moment
    )
    notes: str | None = attrs.field(default=None, kw_only=True, validator=_optional_text)


@attrs.frozen
class Question:
    """What competing claims answer ("Was there a truce?").

    Attributes:
        id: The id claims use to refer to this question.
        text: The question.
        exclusive: Whether at most one of its answers can be true (the default).
        parties: Ids of the sources that are parties to the question: the sides whose
            actions its answers are about (the two sides of a strike).
        notes: The analyst's notes.
    """

    id: str = attrs.field(validator=_ident)
    text: str = attrs.field(validator=_text)
    exclusive: bool = attrs.field(
        default=True, kw_only=True, validator=attrs.validators.instance_of(bool)
    )
    parties: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=_refs, validator=_ids
    )
    notes: str | None = attrs.field(default=None, kw_only=True, validator=_optional_text)

    def __rich__(self) -> RenderableType:
        """How ``rich.print`` shows the question; rich is imported only when asked."""
        from claimtrack.report._records import question_view  # noqa: PLC0415 - keeps rich out of import time

        return question_view(self)

    @classmethod
    def columns(cls, *columns: Sequence[Any]) -> list[Question]:
        """Build questions from whole columns of fields, checked as ``__init__`` checks them.

        The five columns hold the fields in order (``id, text, exclusive, parties,
        notes``), one value per question. Where every column passes the checks (``id`` an
        id and ``text`` non-blank, as ``str``; ``exclusive`` ``True`` or ``False``;
        ``parties`` a tuple of ids, each tuple checked once; ``notes`` ``None`` or non-blank
        ``str``), the instances are made as :meth:`Attribution.columns` makes them; where
        any fails, each question is made by calling the class, which converts it or raises
        exactly its error.
        """
        _columns_given(cls, _QUESTION_SETTERS, columns)
        rid, text, exclusive, parties, notes = columns
        good: dict[int, tuple[object, ...]] = {id(()): ()}
        try:
            fine = (
                _ids_fine(rid)
                and _texts_fine(text)
                and _types_fine(exclusive, (bool,))
                and _id_tuples_fine(parties, good)
                and _no_text_or_text(notes)
            )
        except TypeError:  # an unhashable value: __init__ says what is wrong with it
            fine = False
        if not fine:
            return [
                cls(r, t, exclusive=e, parties=p, notes=n)
                for r, t, e, p, n in zip(*columns, strict=True)
            ]
        return _made(cls, _QUESTION_SETTERS, columns)


_QUESTION_SETTERS = _slot_setters(Question)


@attrs.frozen
class Claim:
    """A proposition, in the analyst's words, that can be true or false.

    Attributes:
        id: The id attributions use to refer to this claim.
        text: The proposition.
        question: The id of the question it answers, if any.
        value: A structured count, so that incompatible figures can be found.
        when: When the event the claim is about took place.
        about: Ids of the sources the claim is about; a source speaking about its own
            actions is an interested party.
        blames: Ids of the sources the claim holds responsible (for a strike, a toll).
        tags: Free labels.
        notes: The analyst's notes.
    """

    id: str = attrs.field(validator=_ident)
    text: str = attrs.field(validator=_text)
    question: str | None = attrs.field(
        default=None, kw_only=True, converter=_ref, validator=_optional_ident
    )
    value: Count | None = attrs.field(
        default=None,
        kw_only=True,
        validator=attrs.validators.optional(attrs.validators.instance_of(Count)),
    )
    when: Moment | None = attrs.field(
        default=None, kw_only=True, converter=_to_moment, validator=_moment
    )
    about: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=_refs, validator=_ids)
    blames: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=_refs, validator=_ids)
    tags: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=_to_tuple, validator=_texts
    )
    notes: str | None = attrs.field(default=None, kw_only=True, validator=_optional_text)

    def __rich__(self) -> RenderableType:
        """How ``rich.print`` shows the claim; rich is imported only when asked."""
        from claimtrack.report._records import claim_view  # noqa: PLC0415 - keeps rich out of import time

        return claim_view(self)

    @classmethod
    def columns(cls, *columns: Sequence[Any]) -> list[Claim]:
        """Build claims from whole columns of fields: :meth:`many`, a field at a time.

        The nine columns hold the fields in order, as :meth:`many`'s rows do; checked and
        made as :meth:`Document.columns` checks and makes documents.
        """
        _columns_given(cls, _CLAIM_SETTERS, columns)
        rid, text, question, value, when, about, blames, tags, notes = columns
        good: dict[int, tuple[object, ...]] = {id(()): ()}
        try:
            fine = (
                _ids_fine(rid)
                and _texts_fine(text)
                and _ids_fine(set(question) - {None})
                and _types_fine(value, (type(None), Count))
                and _types_fine(when, _MOMENT_OR_NONE)
                and _id_tuples_fine(about, good)
                and _id_tuples_fine(blames, good)
                and (
                    tags.count(()) == len(rid)
                    or all(type(t) is tuple and (not t or _texts_ok(t)) for t in tags)
                )
                and _no_text_or_text(notes)
            )
        except TypeError:  # an unhashable value: many() says what is wrong with it
            fine = False
        if not fine:
            return cls.many(zip(*columns, strict=True))
        return _made(cls, _CLAIM_SETTERS, columns)

    @classmethod
    def many(cls, rows: Iterable[tuple[Any, ...]]) -> list[Claim]:
        """Build claims in bulk, checked as ``__init__`` checks them: the fast constructor.

        Each row holds the nine fields in order (``id, text, question, value, when, about,
        blames, tags, notes``), as the arguments of ``Claim(id, text, question=..., ...)``.
        Returns the records in the order of the rows.

        How instances are made: as :meth:`Attribution.many` makes them. A row that passes
        the checks below gives an instance made by ``cls.__new__(cls)`` whose every field is
        then set, in order, through the class's own slot descriptors (the ones its generated
        ``__init__`` writes through); this is done here only, no instance leaves with a field
        unset, none is changed after, and no class attribute or descriptor is replaced.

        The checks, the validators' and converters' own: ``id`` ``str`` matching the id
        pattern, and ``question`` that or ``None`` (each distinct question matched once);
        ``text`` non-blank ``str``, ``notes`` that or ``None``; ``value`` ``None`` or a
        :class:`~claimtrack.Count`; ``when`` ``None``, a ``datetime.date``, a
        ``datetime.datetime`` or a :class:`~claimtrack.Period`; ``about`` and ``blames`` tuples of ids (each tuple checked
        once) and ``tags`` a tuple of non-blank ``str``. Types are tested exactly. Any other row is
        built by calling the class, which converts it or raises exactly the error
        ``__init__`` raises for it; so each instance equals (``==`` and
        :func:`attrs.asdict`) the one ``__init__`` gives.

        Raises:
            ValueError: A value fails its field's check, as ``__init__`` raises it.
            TypeError: Likewise.
        """
        new = cls.__new__
        s_id, s_text, s_question, s_value, s_when, s_about, s_blames, s_tags, s_notes = (
            _CLAIM_SETTERS
        )
        questions: set[str] = set()
        abouts: dict[int, tuple[object, ...]] = {id(()): ()}
        moments = _MOMENT_TYPES
        made: list[Claim] = []
        add = made.append
        for rid, text, question, value, when, about, blames, tags, notes in rows:
            if (
                type(rid) is str
                and _ID.fullmatch(rid)
                and type(text) is str
                and text
                and not text.isspace()
                and _is_text(text)
                and (
                    question is None
                    or (
                        type(question) is str
                        and (question in questions or _new_id(question, questions))
                    )
                )
                and (value is None or type(value) is Count)
                and (when is None or type(when) in moments)
                and type(about) is tuple
                and (abouts.get(id(about)) is about or _new_ids(about, abouts))
                and type(blames) is tuple
                and (abouts.get(id(blames)) is blames or _new_ids(blames, abouts))
                and type(tags) is tuple
                and (not tags or _texts_ok(tags))
                and (
                    notes is None
                    or (type(notes) is str and notes and not notes.isspace() and _is_text(notes))
                )
            ):
                one = new(cls)
                s_id(one, rid)
                s_text(one, text)
                s_question(one, question)
                s_value(one, value)
                s_when(one, when)
                s_about(one, about)
                s_blames(one, blames)
                s_tags(one, tags)
                s_notes(one, notes)
            else:
                one = cls(
                    rid,
                    text,
                    question=question,
                    value=value,
                    when=when,
                    about=about,
                    blames=blames,
                    tags=tags,
                    notes=notes,
                )
            add(one)
        return made


_CLAIM_SETTERS = _slot_setters(Claim)


@attrs.frozen
class Attribution:
    """One act of saying: a source takes a stance on a claim, in a document, via reporters.

    Attributions are append-only in spirit: a later denial or retraction is a new
    attribution, not an edit of the old one.

    Attributes:
        claim: The id of the claim.
        source: The id of the speaker.
        stance: What the speaker does with the claim.
        document: The id of the document that carries it.
        via: Ids of the reporters between the document's publisher and the speaker,
            nearest the publisher first ("Shafaq News reports that the SMC said").
        quote: The speaker's exact words, as they stand in the document.
        prefix: A few words just before the quote, to tell apart two places it occurs.
        suffix: A few words just after the quote, likewise.
        said: When the speaker said it.
        mode: On the record, anonymous, or purported.
        credibility: The analyst's Admiralty credibility digit for this piece of information.
        notes: The analyst's notes.
        id: An id, so that a later retraction can name this attribution in ``withdraws``.
        based_on: Ids of the items of :class:`Evidence` the speaker rests on.
        withdraws: On a retraction, the id of the attribution it withdraws (a correction
            of a correspondent's words by the outlet, say).
        hedge: How sure the speaker says it is, in its own words (``likely``).
        in_own_name: The speaker speaks for itself here, not for the body it speaks for.
        against_interest: The analyst marks the statement as made against the speaker's
            own interest.
    """

    claim: str = attrs.field(converter=_ref, validator=_ident)
    source: str = attrs.field(converter=_ref, validator=_ident)
    stance: Stance = attrs.field(default=Stance.ASSERTS, converter=_stance)
    document: str | None = attrs.field(
        default=None, kw_only=True, converter=_ref, validator=_optional_ident
    )
    via: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=_refs, validator=_ids)
    quote: str | None = attrs.field(default=None, kw_only=True, validator=_optional_text)
    prefix: str | None = attrs.field(default=None, kw_only=True, validator=_optional_text)
    suffix: str | None = attrs.field(default=None, kw_only=True, validator=_optional_text)
    said: Moment | None = attrs.field(
        default=None, kw_only=True, converter=_to_moment, validator=_moment
    )
    mode: Mode = attrs.field(default=Mode.ON_RECORD, kw_only=True, converter=_mode)
    credibility: Credibility | None = attrs.field(
        default=None, kw_only=True, converter=_opt_credibility
    )
    notes: str | None = attrs.field(default=None, kw_only=True, validator=_optional_text)
    id: str | None = attrs.field(default=None, kw_only=True, validator=_optional_ident)
    based_on: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=_refs, validator=_ids
    )
    withdraws: str | None = attrs.field(
        default=None, kw_only=True, converter=_opt_ref, validator=_optional_ident
    )
    hedge: Hedge | None = attrs.field(default=None, kw_only=True, converter=_opt_hedge)
    in_own_name: bool = attrs.field(
        default=False, kw_only=True, validator=attrs.validators.instance_of(bool)
    )
    against_interest: bool = attrs.field(
        default=False, kw_only=True, validator=attrs.validators.instance_of(bool)
    )

    @suffix.validator
    def _context_needs_quote(self, _attribute: attrs.Attribute[Any], value: str | None) -> None:
        if self.quote is None and (value is not None or self.prefix is not None):
            raise ValueError(_CONTEXT_NEEDS_QUOTE)

    @withdraws.validator
    def _withdrawn_by_a_retraction(
        self, _attribute: attrs.Attribute[Any], value: str | None
    ) -> None:
        if value is not None and self.stance is not Stance.RETRACTS:
            raise ValueError(_WITHDRAWS_NEEDS_RETRACTS)

    @classmethod
    def columns(cls, *columns: Sequence[Any]) -> list[Attribution]:
        """Build attributions from whole columns of fields: :meth:`many`, a field at a time.

        The eighteen columns hold the fields in order, as :meth:`many`'s rows do, one value
        per attribution each. Every check of :meth:`many` is made over whole columns (each
        distinct id, ``via`` and ``based_on`` tuple, enum member and date type once; each
        text once; a column of nothing but the field's default in one count), and where
        every column passes, each field is set over all the instances at once, through the
        class's own slot descriptors, after ``cls.__new__(cls)`` made them: every field of
        every instance is set before any is returned. Where any check fails, the rows go
        through :meth:`many`, which builds or raises exactly as ``__init__`` does.
        """
        _columns_given(cls, _ATTRIBUTION_SETTERS, columns)
        ids: set[str] = set()
        vias: dict[int, tuple[object, ...]] = {id(()): ()}
        try:
            fine = _columns_fine(columns, ids, vias)
        except TypeError:  # an unhashable value: many() says what is wrong with it
            fine = False
        if not fine:
            return cls.many(zip(*columns, strict=True))
        return _made(cls, _ATTRIBUTION_SETTERS, columns)

    @classmethod
    def many(cls, rows: Iterable[tuple[Any, ...]]) -> list[Attribution]:
        """Build attributions in bulk, checked as ``__init__`` checks them: the fast constructor.

        Each row holds the eighteen fields in order (``claim, source, stance, document, via,
        quote, prefix, suffix, said, mode, credibility, notes, id, based_on, withdraws,
        hedge, in_own_name, against_interest``), as the arguments of
        ``Attribution(claim, source, stance, document=..., ...)``. Returns the records in the
        order of the rows. For a million rows it takes about a fifth of the time that calling
        the class for each does.

        How instances are made: a row whose every value is already what its field's
        converter returns unchanged, and passes its validators, gives an instance made by
        ``cls.__new__(cls)`` whose eighteen fields are then all set, in order, through the
        class's own slot descriptors: the member descriptors attrs made for the fields, which
        its generated ``__init__`` writes through as well. This is done here only, on the
        class itself; no instance leaves this method with a field unset, none is changed
        after, and no class attribute or descriptor is replaced.

        The checks, the validators' and converters' own, made cheaply: ``claim``, ``source``
        and ``document``, ``id`` and ``withdraws`` (or ``None``) must be ``str`` matching the
        id pattern, each distinct id matched once, and ``withdraws`` only on a retraction;
        ``via`` and ``based_on`` tuples of such ids, each tuple checked once; ``stance``,
        ``mode``, ``credibility`` and ``hedge`` (or ``None``) members of their enums, taken as
        they are; ``quote``, ``prefix``, ``suffix`` and ``notes`` ``None`` or non-blank
        ``str``, one test each, with ``prefix`` and ``suffix`` only beside a quote; ``said``
        ``None``, a ``datetime.date``, a ``datetime.datetime`` or a ``Period``; ``in_own_name`` and
        ``against_interest`` ``True`` or ``False``. Types are tested exactly, so a subclass
        is not assumed to behave.

        Any other row (a value to convert, such as an enum's value, a date as text or a
        record in place of its id; a bad value) is built by calling the class, which converts
        it as ever or raises exactly the ``ValueError`` or ``TypeError`` that ``__init__``
        raises for it. So bad input behaves as it does through ``__init__``, and each
        instance equals (``==`` and :func:`attrs.asdict`) the one ``__init__`` gives.

        Raises:
            ValueError: A value fails its field's check, as ``__init__`` raises it.
            TypeError: Likewise.
        """
        new = cls.__new__
        s_claim, s_source, s_stance, s_document, s_via, s_quote = _ATTRIBUTION_SETTERS[:6]
        s_prefix, s_suffix, s_said, s_mode, s_credibility, s_notes = _ATTRIBUTION_SETTERS[6:12]
        s_id, s_based_on, s_withdraws, s_hedge, s_own, s_against = _ATTRIBUTION_SETTERS[12:]
        ids: set[str] = set()
        vias: dict[int, tuple[object, ...]] = {id(()): ()}
        date, datetime = dt.date, dt.datetime
        period = Period
        retracts = Stance.RETRACTS
        made: list[Attribution] = []
        add = made.append
        for (
            claim,
            source,
            stance,
            document,
            via,
            quote,
            prefix,
            suffix,
            said,
            mode,
            credibility,
            notes,
            rid,
            based_on,
            withdraws,
            hedge,
            in_own_name,
            against_interest,
        ) in rows:
            if (
                type(claim) is str
                and (claim in ids or _new_id(claim, ids))
                and type(source) is str
                and (source in ids or _new_id(source, ids))
                and type(stance) is Stance
                and (
                    document is None
                    or (type(document) is str and (document in ids or _new_id(document, ids)))
                )
                and type(via) is tuple
                and (vias.get(id(via)) is via or _new_ids(via, vias))
                and (
                    (quote is None and prefix is None and suffix is None)
                    or (
                        type(quote) is str
                        and quote
                        and not quote.isspace()
                        and _is_text(quote)
                        and _optional_texts_ok((prefix, suffix))
                    )
                )
                and (
                    said is None
                    or type(said) is date
                    or type(said) is datetime
                    or type(said) is period
                )
                and type(mode) is Mode
                and (credibility is None or type(credibility) is Credibility)
                and (
                    notes is None
                    or (type(notes) is str and notes and not notes.isspace() and _is_text(notes))
                )
                and (rid is None or (type(rid) is str and (rid in ids or _new_id(rid, ids))))
                and type(based_on) is tuple
                and (vias.get(id(based_on)) is based_on or _new_ids(based_on, vias))
                and (
                    withdraws is None
                    or (
                        type(withdraws) is str
                        and (withdraws in ids or _new_id(withdraws, ids))
                        and stance is retracts
                    )
                )
                and (hedge is None or type(hedge) is Hedge)
                and (in_own_name is False or in_own_name is True)
                and (against_interest is False or against_interest is True)
            ):
                one = new(cls)
                s_claim(one, claim)
                s_source(one, source)
                s_stance(one, stance)
                s_document(one, document)
                s_via(one, via)
                s_quote(one, quote)
                s_prefix(one, prefix)
                s_suffix(one, suffix)
                s_said(one, said)
                s_mode(one, mode)
                s_credibility(one, credibility)
                s_notes(one, notes)
                s_id(one, rid)
                s_based_on(one, based_on)
                s_withdraws(one, withdraws)
                s_hedge(one, hedge)
                s_own(one, in_own_name)
                s_against(one, against_interest)
            else:
                one = cls(
                    claim,
                    source,
                    stance,
                    document=document,
                    via=via,
                    quote=quote,
                    prefix=prefix,
                    suffix=suffix,
                    said=said,
                    mode=mode,
                    credibility=credibility,
                    notes=notes,
                    id=rid,
                    based_on=based_on,
                    withdraws=withdraws,
                    hedge=hedge,
                    in_own_name=in_own_name,
                    against_interest=against_interest,
                )
            add(one)
        return made

    def __rich__(self) -> RenderableType:
        """How ``rich.print`` shows the attribution; rich is imported only when asked."""
        from claimtrack.report._records import attribution_view  # noqa: PLC0415 - keeps rich out of import time

        return attribution_view(self)


_ATTRIBUTION_SETTERS = _slot_setters(Attribution)


def _two_claims(_inst: object, _attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    if len(value) != 2:  # noqa: PLR2004
        msg = f"'claims' must name exactly two claims, got {len(value)}"
        raise ValueError(msg)
    _ids(_inst, _attribute, value)


@attrs.frozen
class Relation:
    """An explicit link between two claims, declared by someone for a reason.

    For ``refines``, ``supersedes`` and ``implies`` the order matters: the first claim
    refines, supersedes or implies the second.

    Attributes:
        kind: How the first claim bears on the second.
        claims: The ids of the two claims.
        by: The id of the source that decided it, if not the analyst.
        reason: Why.
    """

    kind: RelationKind = attrs.field(converter=_relation_kind)
    claims: tuple[str, str] = attrs.field(converter=_refs, validator=_two_claims)
    by: str | None = attrs.field(
        default=None, kw_only=True, converter=_ref, validator=_optional_ident
    )
    reason: str | None = attrs.field(default=None, kw_only=True, validator=_optional_text)
