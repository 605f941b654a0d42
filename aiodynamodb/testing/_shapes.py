"""Is a request body valid JSON for its operation's input shape?

DynamoDB answers a body whose JSON types do not fit the operation's shape (a number where
a string is due, a list where a map is due, ``"Item": 5``) with ``SerializationException``
before anything else looks at it. moto and our rules assume the types fit and crash when
they do not. The strict layer checks every request first (a compiled check per shape, see
below), and after a crash this check decides: the answer DynamoDB gives, or a real crash.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

_MODEL: Any = None
_LOCK = threading.Lock()

# Jackson's token names, which DynamoDB's messages use ("NUMBER_VALUE cannot be converted
# to String").
_TOKENS: tuple[tuple[type, str], ...] = (
    (bool, "VALUE_TRUE"),
    (int, "NUMBER_VALUE"),
    (float, "NUMBER_VALUE"),
    (str, "VALUE_STRING"),
    (list, "START_ARRAY"),
    (dict, "START_OBJECT"),
)
_TARGETS = {
    "string": "String",
    "blob": "ByteBuffer",
    "boolean": "Boolean",
    "integer": "Integer",
    "long": "Long",
    "double": "Double",
    "float": "Float",
    "timestamp": "Date",
    "list": "List",
    "map": "Map",
    "structure": "Structure",
}


def _service_model() -> Any:
    global _MODEL
    with _LOCK:
        if _MODEL is None:
            from botocore.model import ServiceModel

            from aiodynamodb.client import dynamodb_service_description

            # The clients' model, decoded once (a botocore session of our own would build
            # ~400 event handlers, list botocore's data folder and decode it again).
            _MODEL = ServiceModel(dynamodb_service_description(), service_name="dynamodb")
        return _MODEL


def _token(value: Any) -> str:
    if value is False:
        return "VALUE_FALSE"
    for kind, token in _TOKENS:
        if isinstance(value, kind):
            return token
    return "VALUE_NULL"


def _fits(shape: Any, value: Any) -> bool:
    kind = shape.type_name
    if kind in ("structure", "map"):
        return isinstance(value, dict)
    if kind == "list":
        return isinstance(value, list)
    if kind in ("string", "blob"):
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind in ("integer", "long"):
        return isinstance(value, int) and not isinstance(value, bool)
    if kind in ("double", "float", "timestamp"):
        return isinstance(value, int | float) and not isinstance(value, bool)
    return True


def _problem(shape: Any, value: Any) -> str | None:
    if value is None:
        return None
    if not _fits(shape, value):
        target = _TARGETS.get(shape.type_name, shape.type_name)
        return f"{_token(value)} cannot be converted to {target}"
    kind = shape.type_name
    if kind == "structure":
        for name, member in shape.members.items():
            if name in value:
                found = _problem(member, value[name])
                if found is not None:
                    return found
    elif kind == "map":
        for key, member_value in value.items():
            found = _problem(shape.key, key) or _problem(shape.value, member_value)
            if found is not None:
                return found
    elif kind == "list":
        for member_value in value:
            found = _problem(shape.member, member_value)
            if found is not None:
                return found
    return None


# -- The fast check: one compiled function per shape ------------------------------------------
#
# Every request the strict layer sees is checked, so the common answer ("it fits") must be
# cheap: each shape compiles once into a function that only says whether a value fits,
# walking the value's own keys (an AttributeValue has one) instead of every member of the
# shape. Only a body that does not fit takes the walk above, for DynamoDB's message about
# the first member in the shape's order.

Fits = Callable[[Any], bool]

_LEAVES: dict[str, Fits] = {
    "string": lambda value: value is None or isinstance(value, str),
    "boolean": lambda value: value is None or isinstance(value, bool),
    "integer": lambda value: (
        value is None or (isinstance(value, int) and not isinstance(value, bool))
    ),
    "double": lambda value: (
        value is None or (isinstance(value, int | float) and not isinstance(value, bool))
    ),
}
_LEAVES["blob"] = _LEAVES["string"]
_LEAVES["long"] = _LEAVES["integer"]
_LEAVES["float"] = _LEAVES["timestamp"] = _LEAVES["double"]
_COMPILED: dict[str, Fits] = {}  # by shape name (botocore builds new Shape objects)
_OPERATIONS: dict[str, Fits | None] = {}


def _compile(shape: Any) -> Fits:
    found = _COMPILED.get(shape.name)
    if found is not None:
        return found
    kind = shape.type_name
    leaf = _LEAVES.get(kind)
    if leaf is not None:
        _COMPILED[shape.name] = leaf
        return leaf
    if kind not in ("structure", "map", "list"):
        return _COMPILED.setdefault(shape.name, lambda value: True)
    # Recursive shapes (AttributeValue holds maps and lists of AttributeValues): register a
    # forwarder before compiling the members, then put the real function in its place.
    cell: list[Fits] = []
    _COMPILED[shape.name] = lambda value: cell[0](value)
    fits: Fits
    if kind == "structure":
        members = {name: _compile(member) for name, member in shape.members.items()}

        def fits(value: Any) -> bool:
            if value is None:
                return True
            if not isinstance(value, dict):
                return False
            for name, member_value in value.items():
                check = members.get(name)
                if check is not None and not check(member_value):
                    return False
            return True

    elif kind == "map":
        key, item = _compile(shape.key), _compile(shape.value)

        def fits(value: Any) -> bool:
            if value is None:
                return True
            if not isinstance(value, dict):
                return False
            return all(key(k) and item(v) for k, v in value.items())

    else:
        member = _compile(shape.member)

        def fits(value: Any) -> bool:
            if value is None:
                return True
            return isinstance(value, list) and all(member(v) for v in value)

    cell.append(fits)
    _COMPILED[shape.name] = fits
    return fits


def _input_shape(operation: str) -> Any:
    model = _service_model()
    if operation not in model.operation_names:
        return None
    return model.operation_model(operation).input_shape


def serialization_problem(operation: str, params: Any) -> str | None:
    """DynamoDB's ``SerializationException`` message for ``params`` of ``operation``, or
    None when every JSON value has its shape's type (or the operation is unknown)."""
    try:
        fits = _OPERATIONS[operation]
    except KeyError:
        shape = _input_shape(operation)
        with _LOCK:
            fits = _OPERATIONS[operation] = None if shape is None else _compile(shape)
    if fits is None or fits(params):
        return None
    return _problem(_input_shape(operation), params)


__all__ = ["serialization_problem"]
