"""Python values <-> AttributeValues by runtime type.

These functions need no model: :func:`encode_value` looks at the value's runtime type and
:func:`decode_value` at the AttributeValue's tag. The model codec
(:mod:`aiodynamodb.codec`) uses them for ``Any`` fields, for fields with custom pydantic
serializers and for paths it does not know; everything else goes through per-type
converters chosen once per model.

Text forms shared with the model codec:

* ``datetime`` must be timezone-aware; it is stored in UTC as fixed-width ISO-8601 text with
  six fractional digits and a ``Z`` (``2024-05-01T12:00:00.000000Z``), so stored text sorts
  in time order. Naive datetimes are rejected. It reads back as an aware UTC datetime (the
  same instant; the original time zone is not kept).
* ``date`` is ``YYYY-MM-DD``; ``UUID`` its canonical hyphenated text; an ``Enum`` member is
  stored as its value.
* Sets become ``SS``/``NS``/``BS``. DynamoDB has no empty set, so an empty set is written as
  an empty list (``{"L": []}``) wherever its absence would be ambiguous.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from aiodynamodb.codec._number_text import (
    NumberError,
    decimal_text,
    decode_number,
    float_text,
    int_text,
)
from aiodynamodb.item_types import AttributeValue

NAIVE_DATETIME = (
    "datetimes must be timezone-aware to be stored (they are kept in UTC); "
    "attach a tzinfo or use pydantic's AwareDatetime"
)
UNSUPPORTED_VALUE = "values of type {type} cannot be stored in DynamoDB"
MIXED_SET = "set members must all be strings, all numbers or all binary"
DUPLICATE_SET_MEMBERS = "set members must be unique in DynamoDB; these are equal when stored"
NON_STR_MAP_KEY = "map keys must be strings; got key {key!r}"


class ValueProblem(ValueError):
    """A value the codec cannot store; ``path`` is filled in as the error travels outwards."""

    def __init__(self, reason: str, value: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.value = value
        self.path: list[str | int] = []


def datetime_text(value: datetime) -> str:
    """The stored text of an aware datetime: fixed-width UTC ISO-8601 ending in ``Z``."""
    tz = value.tzinfo
    if tz is not UTC:
        offset = value.utcoffset() if tz is not None else None
        if offset is None:
            raise ValueProblem(NAIVE_DATETIME, value)
        if offset:
            try:
                value = value.astimezone(UTC)
            except OverflowError:
                raise ValueProblem(
                    "this datetime is outside the years 1-9999 in UTC", value
                ) from None
    # %-formatting is the fastest way to the fixed width (isoformat drops zero microseconds).
    return "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ" % (  # noqa: UP031
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.microsecond,
    )


def number_av_text(value: Any) -> str:
    """Text of an int, float or Decimal for ``N`` (bool and other types raise ValueProblem)."""
    try:
        cls = type(value)
        if cls is int:
            return int_text(value)
        if cls is float:
            return float_text(value)
        if cls is Decimal:
            return decimal_text(value)
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise ValueProblem("not a number", value)
        if isinstance(value, int):
            return int_text(int(value))
        if isinstance(value, float):
            return float_text(float(value))
        return decimal_text(value)
    except NumberError as exc:
        raise ValueProblem(exc.reason, value) from None


def _encode_set(value: Iterable[Any]) -> AttributeValue:
    members = list(value)
    if not members:
        return {"L": []}
    first = members[0]
    if all(isinstance(m, str) for m in members):
        raw: list[Any] = [m.value if isinstance(m, Enum) else m for m in members]
        tag = "SS"
        keys: list[Any] = raw
    elif all(isinstance(m, bytes | bytearray) for m in members):
        raw = [bytes(m) for m in members]
        tag = "BS"
        keys = raw
    elif all(isinstance(m, int | float | Decimal) and not isinstance(m, bool) for m in members):
        raw = [number_av_text(m) for m in members]
        tag = "NS"
        keys = [Decimal(t) for t in raw]
    else:
        raise ValueProblem(MIXED_SET, first)
    if len(set(keys)) != len(keys):
        raise ValueProblem(DUPLICATE_SET_MEMBERS, value)
    return {tag: raw}


def _encode_map(value: Mapping[Any, Any]) -> AttributeValue:
    out: dict[str, AttributeValue] = {}
    for key, item in value.items():
        if isinstance(key, Enum):
            key = key.value
        if not isinstance(key, str):
            raise ValueProblem(NON_STR_MAP_KEY.format(key=key), value)
        try:
            out[key] = encode_value(item)
        except ValueProblem as exc:
            exc.path.insert(0, key)
            raise
    return {"M": out}


def _encode_list(value: Iterable[Any]) -> AttributeValue:
    out = []
    for index, item in enumerate(value):
        try:
            out.append(encode_value(item))
        except ValueProblem as exc:
            exc.path.insert(0, index)
            raise
    return {"L": out}


ModelWriter = Callable[[BaseModel], dict[str, AttributeValue]]

# A pydantic model met by runtime type (in an ``Any`` field, say) is written with its own
# field plan. Plans live in ``_fields``, a layer above this one, so ``_fields`` installs its
# writer here when it is imported (``aiodynamodb.codec`` imports it before any encoding).
_model_writers: list[ModelWriter] = []


def set_model_writer(writer: ModelWriter) -> None:
    """Install the function that writes a pydantic model's attribute map (see above)."""
    _model_writers[:] = [writer]


def _encode_model(value: BaseModel) -> AttributeValue:
    return {"M": _model_writers[0](value)}


_BY_TYPE: dict[type, Callable[[Any], AttributeValue]] = {
    str: lambda v: {"S": v},
    bool: lambda v: {"BOOL": v},
    int: lambda v: {"N": number_av_text(v)},
    float: lambda v: {"N": number_av_text(v)},
    Decimal: lambda v: {"N": number_av_text(v)},
    bytes: lambda v: {"B": v},
    bytearray: lambda v: {"B": bytes(v)},
    type(None): lambda v: {"NULL": True},
    datetime: lambda v: {"S": datetime_text(v)},
    date: lambda v: {"S": v.isoformat()},
    UUID: lambda v: {"S": str(v)},
    list: _encode_list,
    tuple: _encode_list,
    dict: _encode_map,
    set: _encode_set,
    frozenset: _encode_set,
}


def encode_value(value: Any) -> AttributeValue:
    """Encode a Python value by its runtime type (no model involved).

    Args:
        value: str, int, float, Decimal, bool, None, bytes, datetime (aware), date, UUID, Enum,
            list/tuple, dict with str keys, set/frozenset of str, numbers or bytes, or a
            pydantic model.

    Returns:
        The AttributeValue. An empty set becomes ``{"L": []}``.

    Raises:
        ValueProblem: The value cannot be stored (a ``ValueError``; the codec reports it as an
            :class:`~aiodynamodb.errors.EncodeError`).
    """
    encoder = _BY_TYPE.get(type(value))
    if encoder is not None:
        return encoder(value)
    if isinstance(value, Enum):
        return encode_value(value.value)
    if isinstance(value, BaseModel):
        return _encode_model(value)
    for cls in (bool, str, int, float, Decimal, bytes, datetime, date, UUID):
        if isinstance(value, cls):
            return _BY_TYPE[cls](value)
    if isinstance(value, Mapping):
        return _encode_map(value)
    if isinstance(value, set | frozenset):
        return _encode_set(value)
    if isinstance(value, list | tuple):
        return _encode_list(value)
    raise ValueProblem(UNSUPPORTED_VALUE.format(type=type(value).__qualname__), value)


def _decode_binary(value: Any) -> bytes:
    return value if type(value) is bytes else bytes(value)


_DECODERS: dict[str, Callable[[Any], Any]] = {
    "S": str,
    "N": decode_number,
    "B": _decode_binary,
    "BOOL": bool,
    "NULL": lambda v: None,
    "L": lambda v: [decode_value(x) for x in v],
    "M": lambda v: {k: decode_value(x) for k, x in v.items()},
    "SS": set,
    "NS": lambda v: {decode_number(x) for x in v},
    "BS": lambda v: {_decode_binary(x) for x in v},
}


def decode_value(av: AttributeValue) -> Any:
    """Decode an AttributeValue by its tag (no model involved).

    ``S`` -> str, ``N`` -> int when written as a whole number else Decimal, ``B`` -> bytes,
    ``BOOL`` -> bool, ``NULL`` -> None, ``L`` -> list, ``M`` -> dict, ``SS``/``NS``/``BS`` ->
    set.

    Raises:
        ValueError: ``av`` is not a single-tag AttributeValue of a known type.
    """
    if len(av) != 1:
        raise ValueError(f"not an AttributeValue: {av!r}")
    ((tag, value),) = av.items()
    decoder = _DECODERS.get(tag)
    if decoder is None:
        raise ValueError(f"unknown AttributeValue type {tag!r}")
    return decoder(value)


__all__ = [
    "ValueProblem",
    "datetime_text",
    "decode_value",
    "encode_value",
    "number_av_text",
    "set_model_writer",
]
