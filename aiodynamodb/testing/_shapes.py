"""Is a request body valid JSON for its operation's input shape?

DynamoDB answers a body whose JSON types do not fit the operation's shape (a number where
a string is due, a list where a map is due, ``"Item": 5``) with ``SerializationException``
before anything else looks at it. moto and our rules assume the types fit and crash when
they do not, so after such a crash this check decides: the answer DynamoDB gives, or a
real crash. It runs only then, so well-formed requests pay nothing for it.
"""

from __future__ import annotations

import threading
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
            import botocore.session

            _MODEL = botocore.session.get_session().get_service_model("dynamodb")
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


def serialization_problem(operation: str, params: Any) -> str | None:
    """DynamoDB's ``SerializationException`` message for ``params`` of ``operation``, or
    None when every JSON value has its shape's type (or the operation is unknown)."""
    model = _service_model()
    if operation not in model.operation_names:
        return None
    shape = model.operation_model(operation).input_shape
    if shape is None:
        return None
    return _problem(shape, params)


__all__ = ["serialization_problem"]
