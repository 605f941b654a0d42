"""Items as text for a failed test's "dynamodb tables" report section.

JSON-like and read by people: numbers are written as numbers, exactly as DynamoDB holds
them (``"price": 9.99``, never ``"price": "9.99"``), sets as sorted lists, binary values as
base64 strings, map keys sorted.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

_MAX_PLAIN_DIGITS = 40
"""Longer numbers are written with an exponent (``1E+125``), still a JSON number."""


def _number(text: str) -> str:
    try:
        value = Decimal(text).normalize()
    except InvalidOperation:  # not a number DynamoDB would hold: show what was stored
        return json.dumps(text)
    plain = format(value, "f")
    return plain if len(plain) <= _MAX_PLAIN_DIGITS else str(value)


def _binary(value: Any) -> str:
    data = value if isinstance(value, bytes | bytearray) else str(value).encode()
    return json.dumps(base64.b64encode(data).decode("ascii"))


def _value(av: Any) -> str:
    if not isinstance(av, Mapping) or len(av) != 1:
        return json.dumps(av, default=str)
    ((tag, value),) = av.items()
    if tag == "S":
        return json.dumps(value)
    if tag == "N":
        return _number(value)
    if tag == "B":
        return _binary(value)
    if tag == "BOOL":
        return "true" if value else "false"
    if tag == "NULL":
        return "null"
    if tag == "L":
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if tag == "M":
        return item_text(value)
    if tag == "SS":
        return "[" + ", ".join(json.dumps(v) for v in sorted(value)) + "]"
    if tag == "NS":
        return "[" + ", ".join(_number(v) for v in sorted(value, key=Decimal)) + "]"
    if tag == "BS":
        return "[" + ", ".join(sorted(_binary(v) for v in value)) + "]"
    return json.dumps(av, default=str)


def item_text(item: Mapping[str, Any]) -> str:
    """One item, in DynamoDB's wire form (``{"price": {"N": "9.99"}}``), as one line.

    Args:
        item: Attribute names to AttributeValues, as a scan returns them.

    Returns:
        ``{"price": 9.99, "user_id": "u1"}``.
    """
    fields = (f"{json.dumps(name)}: {_value(item[name])}" for name in sorted(item))
    return "{" + ", ".join(fields) + "}"


__all__ = ["item_text"]
