"""Parsing case files safely: YAML that builds plain data only, strict JSON, and the limits.

YAML is read with a loader that constructs no objects, refuses duplicate keys and aliases,
and reads ``no``, ``on`` and ISO dates as the text they are; JSON refuses duplicate keys
and NaN. Both refuse whatever is past the :class:`Limits`, before it can exhaust the machine.
"""

from __future__ import annotations

import json
import re

from typing import Any

import attrs
import yaml

from claimtrack.errors import CaseFileError, Problem


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


def _construct_mapping(
    loader: _SafeLoader, node: yaml.MappingNode, deep: bool = False
) -> dict[Any, Any]:
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

    A case file is read whole, so its size bounds the memory a load takes; nesting and
    text length bound what the parser and the renderers are asked to do. The defaults
    leave room for a million attributions and for documents' full texts inline.

    Attributes:
        max_bytes: The largest file read, in bytes (default 512 MiB).
        max_depth: How deeply lists and mappings may nest in YAML (default 64; a case file
            needs six). JSON is bounded by its decoder at about a thousand levels.
        max_text: The longest single text, in characters (default 1,000,000).
        max_digits: The longest number, in digits (default 100).
    """

    max_bytes: int = attrs.field(default=512 * 2**20, validator=_whole_number)
    max_depth: int = attrs.field(default=64, validator=_whole_number)
    max_text: int = attrs.field(default=1_000_000, validator=_whole_number)
    max_digits: int = attrs.field(default=100, validator=_whole_number)


DEFAULT_LIMITS = Limits()


class _Composer(_SafeLoader):
    """Refuses aliases (repeated subtrees are how YAML bombs multiply) and whatever is past the limits."""

    def __init__(self, stream: str | bytes, limits: Limits) -> None:
        super().__init__(stream)
        self.limits = limits
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self._depth >= self.limits.max_depth:
            event = self.peek_event()  # type: ignore[no-untyped-call]
            msg = f"nested more than {self.limits.max_depth} levels deep"
            raise yaml.composer.ComposerError(None, None, msg, event.start_mark)
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
