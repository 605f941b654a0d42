"""moto's JSON request parsing, compiled once per shape (moto >= 5.2).

moto >= 5.2 turns every request body into parameters with its protocol parser
(``moto.core.parse.JSONParser``): a walk over the operation's input shape that keeps the
members the shape names (in the shape's order, ``None`` dropped), decodes binary values
and converts numbers. It is generic: for each value it looks its handler up by name, and
for each AttributeValue (a structure of ten members, of which one is set) it asks the
value for all ten. On a put of a 10-field item that was ~18% of the call.

:class:`CompiledParser` gives the same result with the same operations in the same order
(so a body whose types do not fit fails with the same exceptions), compiled once per shape:
the handler of every shape is chosen once, and a structure given a plain dict of one key
(every AttributeValue) looks up that key instead of asking for every member. It mirrors the
handlers of moto's ``BaseJSONParser`` and ``RequestParser`` exactly; :func:`compiled_parser`
checks that the parser moto would use still has those handlers, and returns None (moto's
own parser then runs) when it does not. ``tests/integration/test_moto_contract.py``
compares the two on every request of its corpus.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Parse = Callable[[Any], Any]

# The handlers of moto's JSON parser this module mirrors, by shape type name: the class
# that defines each (moto.core.parse), or None where no handler exists (the value is kept
# as it is, RequestParser._default_handle).
_MIRRORED: dict[str, str | None] = {
    "structure": "BaseJSONParser",
    "list": "RequestParser",
    "map": "RequestParser",
    "blob": "BaseJSONParser",
    "timestamp": "BaseJSONParser",
    "float": "BaseJSONParser",
    "double": "BaseJSONParser",
    "integer": "BaseJSONParser",
    "byte": "BaseJSONParser",
    "short": "BaseJSONParser",
    "long": "BaseJSONParser",
    "string": None,
    "boolean": None,
}
# Methods of the parser besides the handlers, which must be moto's JSONParser's own.
_PLUMBING = ("_parse_shape", "_default_handle", "_parse_json_body", "_parse_body_as_json")


def _keep(value: Any) -> Any:
    return value


def mirrors_moto(parser: Any) -> bool:
    """Whether ``parser`` (moto's parser for one operation) has exactly the handlers
    :class:`CompiledParser` mirrors, and no others."""
    from moto.core import parse as module

    kind = type(parser)
    json_parser = getattr(module, "JSONParser", None)
    if kind is not json_parser:
        return False
    for name in _PLUMBING:
        if getattr(kind, name, None) is not getattr(json_parser, name, None):
            return False
    if kind._parse_shape is not module.RequestParser._parse_shape:
        return False
    if kind._default_handle is not module.RequestParser._default_handle:
        return False
    known = {f"_parse_{name}" for name in _MIRRORED} | set(_PLUMBING)
    if any(name.startswith("_parse_") and name not in known for name in dir(kind)):
        return False
    for name, owner in _MIRRORED.items():
        found = getattr(kind, f"_parse_{name}", None)
        expected = None if owner is None else getattr(getattr(module, owner), f"_parse_{name}")
        if found is not expected:
            return False
    return True


class CompiledParser:
    """moto's JSON parser for one service model, one function per shape.

    Args:
        parser: A moto ``JSONParser`` (its blob and timestamp parsers and map type are
            used as they are); check it with :func:`mirrors_moto` first.
    """

    def __init__(self, parser: Any) -> None:
        self._blob: Parse = parser._blob_parser
        self._timestamp: Parse = parser._timestamp_parser
        self._map_type: Callable[[], Any] = parser.MAP_TYPE
        self._compiled: dict[str, Parse] = {}  # by shape name (botocore builds new Shapes)

    def compile(self, shape: Any) -> Parse:
        """The parse function of ``shape``: equal to moto's ``_parse_shape(shape, value)``."""
        found = self._compiled.get(shape.name)
        if found is not None:
            return found
        kind = shape.type_name
        if kind == "blob":
            return self._compiled.setdefault(shape.name, self._blob)
        if kind == "timestamp":
            return self._compiled.setdefault(shape.name, self._timestamp)
        if kind in ("float", "double"):
            return self._compiled.setdefault(shape.name, float)
        if kind in ("integer", "long", "byte", "short"):
            return self._compiled.setdefault(shape.name, int)
        if kind not in ("structure", "list", "map") or (
            kind == "structure" and shape.is_document_type
        ):
            return self._compiled.setdefault(shape.name, _keep)
        # Recursive shapes (AttributeValue holds maps and lists of AttributeValues): a
        # forwarder first, the real function once the members are compiled.
        cell: list[Parse] = []
        self._compiled[shape.name] = lambda value: cell[0](value)
        if kind == "structure":
            parse = self._structure(shape)
        elif kind == "list":
            parse = self._list(shape)
        else:
            parse = self._map(shape)
        cell.append(parse)
        self._compiled[shape.name] = parse
        return parse

    def _structure(self, shape: Any) -> Parse:
        # BaseJSONParser._parse_structure: None stays None; members in the shape's order,
        # read by their JSON name, those that are None left out.
        members = [
            (name, member.serialization.get("name", name), self.compile(member))
            for name, member in shape.members.items()
        ]
        by_json = {json_name: (name, parse) for name, json_name, parse in members}
        map_type = self._map_type

        def parse_structure(value: Any) -> Any:
            if value is None:
                return None
            parsed = map_type()
            if type(value) is dict and len(value) == 1:
                # One key (every AttributeValue): the members' lookups would find only it.
                for json_name, raw in value.items():
                    entry = by_json.get(json_name)
                    if entry is not None and raw is not None:
                        parsed[entry[0]] = entry[1](raw)
                return parsed
            for name, json_name, parse in members:
                raw = value.get(json_name)
                if raw is not None:
                    parsed[name] = parse(raw)
            return parsed

        return parse_structure

    def _list(self, shape: Any) -> Parse:
        member = self.compile(shape.member)

        def parse_list(value: Any) -> Any:
            return [member(item) for item in value]

        return parse_list

    def _map(self, shape: Any) -> Parse:
        key, item = self.compile(shape.key), self.compile(shape.value)
        map_type = self._map_type

        def parse_map(value: Any) -> Any:
            parsed = map_type()
            for k, v in value.items():
                parsed_key = key(k)
                parsed[parsed_key] = item(v)
            return parsed

        return parse_map


__all__ = ["CompiledParser", "Parse", "mirrors_moto"]
