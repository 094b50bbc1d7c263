"""Parsing case files safely: YAML that builds plain data only, strict JSON, and the limits.

YAML is read with a loader that constructs no objects, refuses duplicate keys, aliases and
merge keys, and reads ``no``, ``on`` and ISO dates as the text they are; JSON refuses
duplicate keys and NaN. Both refuse whatever is past the :class:`Limits`, before it can
exhaust the machine: YAML's values are counted as they are composed, JSON's in its text
before it is parsed.
"""

from __future__ import annotations

import json
import re

from typing import Any

import attrs
import yaml

from claimtrack.errors import CaseFileError, Problem
from claimtrack.model._texts import MAX_TEXT_FILE


class _SafeLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate keys and aliases and keeps dates and no/on as text."""


_SafeLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_SafeLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


_MERGE_TAG = "tag:yaml.org,2002:merge"


def _construct_mapping(
    loader: _SafeLoader, node: yaml.MappingNode, deep: bool = False
) -> dict[Any, Any]:
    for key_node, _ in node.value:
        # a merge key copies another mapping's keys in, unseen by the duplicate check below;
        # with aliases refused only an inline mapping is left to merge, which nobody needs
        if key_node.tag == _MERGE_TAG:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                "merge keys (<<) are not allowed in case files; write the keys out",
                key_node.start_mark,
            )
    loader.flatten_mapping(node)
    seen: dict[Any, yaml.Node] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                "a key must be a plain value, not a list or mapping",
                key_node.start_mark,
            ) from None
        if key in seen:
            first = seen[key].start_mark
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key '{key}' (first given on line {first.line + 1})",
                key_node.start_mark,
            )
        seen[key] = key_node
    return loader.construct_mapping(node, deep=deep)


_SafeLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _whole_number(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        msg = f"Limits.{attribute.name} must be a whole number of at least 1, got {value!r}"
        raise ValueError(msg)


@attrs.frozen
class Limits:
    """How much a case file may hold; past these it is refused before it can exhaust the machine.

    A case file is read whole, so its size and the number of values in it bound the memory
    a load takes; nesting and text length bound what the parser and the renderers are asked
    to do. The defaults leave room for a million attributions in JSON and for documents'
    full texts inline.

    Attributes:
        max_bytes: The largest file read, in bytes (default 512 MiB).
        max_depth: How deeply lists and mappings may nest in YAML (default 64; a case file
            needs six). JSON is bounded by its decoder at about a thousand levels.
        max_text: The longest single text, in characters (default 1,000,000).
        max_digits: The longest number, in digits (default 100).
        max_items: The most values a file may hold, each mapping, list, key and scalar
            counting one (default 20,000,000; a case file holds some fifteen per
            attribution). Each takes memory however few bytes it is written in: ``{},``
            is three bytes, and some 150 once read.
        max_yaml_items: The same for a YAML file, which is held to the smaller of the two
            (default 500,000, some 35,000 attributions): a YAML value takes several times
            the memory of a JSON one and a hundred times the time to read, so that at this
            limit a load takes some 300 MiB and ten seconds. Larger cases are kept in JSON.
        max_text_file: The largest document text file (``text_file``) read, in bytes
            (default 64 MiB); a larger one is a problem of its document and is not read.
    """

    max_bytes: int = attrs.field(default=512 * 2**20, validator=_whole_number)
    max_depth: int = attrs.field(default=64, validator=_whole_number)
    max_text: int = attrs.field(default=1_000_000, validator=_whole_number)
    max_digits: int = attrs.field(default=100, validator=_whole_number)
    max_items: int = attrs.field(default=20_000_000, validator=_whole_number)
    max_yaml_items: int = attrs.field(default=500_000, validator=_whole_number)
    max_text_file: int = attrs.field(default=MAX_TEXT_FILE, validator=_whole_number)


DEFAULT_LIMITS = Limits()


class _Composer(_SafeLoader):
    """Refuses aliases (repeated subtrees are how YAML bombs multiply) and whatever is past the limits."""

    def __init__(self, stream: str | bytes, limits: Limits) -> None:
        super().__init__(stream)
        self.limits = limits
        self._depth = 0
        self._items = 0
        self._most_items = min(limits.max_items, limits.max_yaml_items)
        self._items_field = (
            "max_items" if limits.max_items < limits.max_yaml_items else "max_yaml_items"
        )

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self._depth >= self.limits.max_depth:
            event = self.peek_event()  # type: ignore[no-untyped-call]
            msg = f"nested more than {self.limits.max_depth} levels deep"
            raise yaml.composer.ComposerError(None, None, msg, event.start_mark)
        self._items += 1  # every node, a mapping's keys included, before it is built
        if self._items > self._most_items:
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, _too_many(self._most_items, self._items_field), event.start_mark
            )
        self._depth += 1
        try:
            return self._compose_one(parent, index)
        finally:
            self._depth -= 1

    def _compose_one(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event: Any = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None,
                None,
                f"aliases (*{event.anchor}) are not allowed in case files; repeat the value",
                event.start_mark,
            )
        return super().compose_node(parent, index)


def _construct_int(loader: _Composer, node: yaml.ScalarNode) -> int:
    if len(str(node.value)) > loader.limits.max_digits:
        msg = f"a number of more than {loader.limits.max_digits} digits"
        raise yaml.constructor.ConstructorError(None, None, msg, node.start_mark)
    return int(loader.construct_yaml_int(node))


def _construct_str(loader: _Composer, node: yaml.ScalarNode) -> str:
    value = loader.construct_scalar(node)
    if len(value) > loader.limits.max_text:
        msg = _too_long(len(value), loader.limits)
        raise yaml.constructor.ConstructorError(None, None, msg, node.start_mark)
    return str(value)


_Composer.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Composer.add_constructor("tag:yaml.org,2002:str", _construct_str)


def _too_long(length: int, limits: Limits) -> str:
    return f"a text of {length:,} characters; the limit is {limits.max_text:,}"


def _too_many(most: int, field: str) -> str:
    return (
        f"more than {most:,} values (mappings, lists, keys and scalars); "
        f"the limit is {most:,} (Limits.{field})"
    )


# a JSON string, escapes and all: what may hold commas, colons and brackets that are not the JSON's
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_JSON_EMPTY = re.compile(r"\[\s*\]|\{\s*\}")


def json_items(text: str) -> int:
    """How many values JSON *text* holds, each mapping, list, key and scalar counting one.

    Counted in the text, before it is parsed: a value is the first of its list or mapping,
    or follows a comma, and a key precedes a colon. So the count is the commas, colons and
    non-empty lists and mappings outside strings, and one for the value the text is.
    """
    stripped = _JSON_STRING.sub("0", text)
    punctuation = sum(stripped.count(c) for c in ",:[{")
    return punctuation - _JSON_EMPTY.subn("", stripped)[1] + 1


def refuse_json_items(text: str | bytes, limits: Limits, file: str | None) -> None:
    """Refuse JSON *text* holding more than ``limits.max_items`` values, before it is parsed.

    Text of *n* characters holds at most (n + 1) / 2 values (a value takes a character,
    and all but the first a comma, colon or bracket before it), so shorter text is let
    through unread; then an upper bound, the punctuation in the whole text, strings
    included, is counted at the speed of memory, and only text past that is counted
    exactly (see :func:`json_items`).

    Raises:
        CaseFileError: The text holds too many values.
    """
    most = limits.max_items
    if (len(text) + 1) // 2 <= most:
        return
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if sum(text.count(c) for c in ",:[{") + 1 <= most or json_items(text) <= most:
        return
    msg = f"not valid JSON: {_too_many(most, 'max_items')}"
    raise CaseFileError([Problem("", msg, file=file)])


def _yaml_error(e: yaml.YAMLError, file: str | None) -> CaseFileError:
    if isinstance(e, yaml.MarkedYAMLError):
        mark = e.problem_mark or e.context_mark
        place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        return CaseFileError(
            [Problem(place, f"not valid YAML: {e.problem or e.context}", file=file)]
        )
    return CaseFileError([Problem("", f"not valid YAML: {e}", file=file)])


def parse_yaml(
    text: str | bytes, *, file: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> Any:
    """Parse YAML text safely: plain data only, no duplicate keys, no aliases, within *limits*.

    Raises:
        CaseFileError: With the line and column of what is wrong.
    """
    try:
        loader = _Composer(text, limits)  # the reader refuses control characters already here
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.YAMLError as e:
        raise _yaml_error(e, file) from None


def _refuse_constant(name: str) -> None:
    msg = f"{name} is not a number a case file may hold"
    raise ValueError(msg)


def _json_hooks(limits: Limits) -> dict[str, Any]:  # noqa: C901 - one tight loop, run per object
    """The decoder's hooks: no duplicate keys, no NaN, nothing past *limits*."""
    most = limits.max_text

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                msg = f"duplicate key '{key}'"
                raise ValueError(msg)
            if len(key) > most:
                raise ValueError(_too_long(len(key), limits))
            if type(value) is str:
                if len(value) > most:
                    raise ValueError(_too_long(len(value), limits))
            elif type(value) is list:
                for item in value:
                    if type(item) is str and len(item) > most:
                        raise ValueError(_too_long(len(item), limits))
            out[key] = value
        return out

    def parse_int(digits: str) -> int:
        if len(digits) > limits.max_digits:
            msg = f"a number of more than {limits.max_digits} digits"
            raise ValueError(msg)
        return int(digits)

    return {"object_pairs_hook": pairs, "parse_constant": _refuse_constant, "parse_int": parse_int}


def parse_json(
    text: str | bytes, *, file: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> Any:
    """Parse JSON strictly: no duplicate keys, no NaN or Infinity, nothing past *limits*.

    Raises:
        CaseFileError: With the line and column of what is wrong.
    """
    refuse_json_items(text, limits, file)
    try:
        return json.loads(text, **_json_hooks(limits))
    except json.JSONDecodeError as e:
        raise CaseFileError(
            [Problem(f"line {e.lineno}, column {e.colno}", f"not valid JSON: {e.msg}", file=file)]
        ) from None
    except ValueError as e:
        raise CaseFileError([Problem("", f"not valid JSON: {e}", file=file)]) from None
    except RecursionError:
        raise CaseFileError([Problem("", "not valid JSON: nested too deeply", file=file)]) from None
