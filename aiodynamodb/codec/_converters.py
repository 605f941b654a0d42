"""Converters: the encoder and decoder of one type, and those of the scalar types.

A :class:`Converter` holds plain functions chosen once for an annotation (see
:mod:`aiodynamodb.codec._annotations`), so encoding an item never inspects annotations. Decoders
produce the exact Python type declared (a ``datetime``, a ``UUID``, an Enum member), which
pydantic then validates cheaply, in lax and strict mode alike; text a decoder cannot parse is
passed on unchanged for pydantic to judge and report.

Longer than 400 lines because it is one table: the Converter type and one small converter
per scalar type, each with its fast paths; split, the table would no longer read as one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from aiodynamodb.codec._number_text import (
    NumberError,
    decimal_fast_text,
    decimal_text,
    float_text,
    parse_int,
)
from aiodynamodb.codec._values import (
    ValueProblem,
    datetime_text,
    decode_value,
    encode_value,
    number_av_text,
)
from aiodynamodb.item_types import AttributeValue
from aiodynamodb.limits import FLOAT_FAST_MAX, FLOAT_FAST_MIN, INT_FAST_LIMIT, NUMBER_MAX_SIZE

Encoder = Callable[[Any], AttributeValue]
Decoder = Callable[[AttributeValue], Any]


def _no_child(step: str | int) -> Converter | None:
    return None


@dataclass(eq=False)
class Converter:
    """Encoder, decoder and facts for one annotation.

    Attributes:
        label: The annotation, for messages.
        encode: Value -> AttributeValue (never omits; ``None`` only if ``nullable``).
        decode: AttributeValue -> value of the declared type (lenient: text it cannot parse
            is passed on for pydantic to judge).
        strict_decode: Like ``decode`` but raises ``ValueError``/``KeyError`` unless the
            value reads exactly as this type (used to pick a union member).
        accepts: Whether a Python value is one this converter encodes.
        tags: The AttributeValue tags ``decode`` understands.
        scalar: ``"S"``/``"N"``/``"B"`` for values stored as one string, number or binary.
        raw: For scalars, value -> the text or bytes inside the AttributeValue.
        raw_decode: For scalars, that text or bytes -> value (set members).
        nullable: ``None`` is a valid value.
        is_set: The value is a set (stored as SS/NS/BS).
        mixed: A union or ``Any``: values of several Python types share this converter.
        child: For containers and models, the converter at a path step.
        keyable: DynamoDB can key on it (one S, N or B value; not float).
        base: For ``X | None``, the converter of ``X``.
        max_size: The most bytes an encoded value can take, when that is bounded.
        bound: Value -> an upper bound of its encoded size, when cheaper than encoding.
        sized_encode: Value -> (AttributeValue, upper bound of its size), for nested models.
        bound_expr: ``bound`` as a Python expression of ``{v}``, inlined in generated code,
            without the UTF-8 bytes of ``bound_texts``.
        bound_texts: Expressions of ``{v}``, each a collection of strings whose UTF-8 bytes
            complete ``bound_expr`` (generated code measures all of an item's text at once).
        kind: ``"list"``, ``"tuple"``, ``"map"``, ``"set"`` or ``"model"`` for containers
            (lets generated readers inline their contents).
        inner: A list's item, a map's value or a set's member converter.
        model_fields: For ``"model"``, the nested model's field plan.
    """

    label: str
    encode: Encoder
    decode: Decoder
    strict_decode: Decoder
    accepts: Callable[[Any], bool]
    tags: frozenset[str]
    scalar: str | None = None
    raw: Callable[[Any], Any] | None = None
    raw_decode: Callable[[Any], Any] | None = None
    nullable: bool = False
    is_set: bool = False
    mixed: bool = False
    child: Callable[[str | int], Converter | None] = field(default=_no_child)
    keyable: bool = False
    base: Converter | None = None
    max_size: int | None = None
    bound: Callable[[Any], int] | None = None
    sized_encode: Callable[[Any], tuple[AttributeValue, int]] | None = None
    bound_expr: str | None = None
    bound_texts: tuple[str, ...] = ()
    kind: str = ""
    inner: Converter | None = None
    model_fields: Any = None


def scalar(
    label: str,
    tag: str,
    raw: Callable[[Any], Any],
    raw_decode: Callable[[Any], Any],
    accepts: Callable[[Any], bool],
    *,
    strict_raw_decode: Callable[[Any], Any] | None = None,
    keyable: bool = True,
    max_size: int | None = None,
) -> Converter:
    """A converter for values stored as one ``S``, ``N`` or ``B`` value."""
    strict_raw = strict_raw_decode or raw_decode

    def encode(value: Any) -> AttributeValue:
        return {tag: raw(value)}

    def decode(av: AttributeValue) -> Any:
        text = av.get(tag)
        if text is None:  # stored as another type: let validation judge the plain value
            return decode_value(av)
        return raw_decode(text)

    def strict_decode(av: AttributeValue) -> Any:
        return strict_raw(av[tag])

    return Converter(
        label,
        encode,
        decode,
        strict_decode,
        accepts,
        frozenset({tag}),
        tag,
        raw,
        raw_decode,
        keyable=keyable,
        max_size=max_size,
    )


def identity(value: Any) -> Any:
    """Return ``value``."""
    return value


def _is_str(value: Any) -> bool:
    return isinstance(value, str)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _bytes(value: Any) -> bytes:
    return value if type(value) is bytes else bytes(value)


def _strict_str(text: Any) -> str:
    if not isinstance(text, str):
        raise ValueError("not text")
    return text


def _str_encode(value: Any) -> AttributeValue:
    return {"S": value}


def _str_decode(av: AttributeValue) -> Any:
    text = av.get("S")
    return decode_value(av) if text is None else text


def _int_raw(value: Any) -> str:
    if type(value) is int and -INT_FAST_LIMIT < value < INT_FAST_LIMIT:
        return str(value)
    return number_av_text(value)


def _int_encode(value: Any) -> AttributeValue:
    if type(value) is int and -INT_FAST_LIMIT < value < INT_FAST_LIMIT:
        return {"N": str(value)}
    return {"N": number_av_text(value)}


def lenient_int(text: Any) -> Any:
    """``N`` text as an int (``"1E+3"`` too); text that is not a whole number is returned as is."""
    try:
        return int(text)
    except (ValueError, TypeError):
        try:
            return parse_int(text)
        except (ValueError, TypeError, InvalidOperation):
            return text


def _int_decode(av: AttributeValue) -> Any:
    text = av.get("N")
    return decode_value(av) if text is None else lenient_int(text)


def _float_raw(value: Any) -> str:
    if type(value) is float and FLOAT_FAST_MIN <= abs(value) < FLOAT_FAST_MAX:
        return repr(value)
    try:
        return float_text(float(value))
    except NumberError as exc:
        raise ValueProblem(exc.reason, value) from None


def _float_parse(text: Any) -> Any:
    try:
        return float(text)
    except (ValueError, TypeError):
        return text


def _decimal_raw(value: Any) -> str:
    try:
        return decimal_text(value) if type(value) is Decimal else number_av_text(value)
    except NumberError as exc:
        raise ValueProblem(exc.reason, value) from None


def _decimal_parse(text: Any) -> Any:
    try:
        return Decimal(text)
    except (InvalidOperation, TypeError, ValueError):
        return text


def _strict_decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None


def _datetime_parse(text: Any) -> Any:
    try:
        return datetime.fromisoformat(text)
    except (ValueError, TypeError):
        return text  # let pydantic try its own formats, and report the failure


def _strict_datetime(text: str) -> datetime:
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        raise ValueError("naive datetime text")
    return parsed


def _date_raw(value: Any) -> str:
    if isinstance(value, datetime):
        raise ValueProblem("a datetime given for a date", value)
    text: str = value.isoformat()
    return text


def _date_parse(text: Any) -> Any:
    try:
        return date.fromisoformat(text)
    except (ValueError, TypeError):
        return text


def _uuid_parse(text: Any) -> Any:
    try:
        return UUID(text)
    except (ValueError, TypeError, AttributeError):
        return text


def _strict_uuid(text: Any) -> UUID:
    if not isinstance(text, str):
        raise ValueError("not text")
    return UUID(text)


def _float_encode(value: Any) -> AttributeValue:
    if type(value) is float and FLOAT_FAST_MIN <= abs(value) < FLOAT_FAST_MAX:
        return {"N": repr(value)}
    return {"N": _float_raw(value)}


def _decimal_encode(value: Any) -> AttributeValue:
    if type(value) is Decimal:
        text = decimal_fast_text(value)
        if text is not None:
            return {"N": text}
    return {"N": _decimal_raw(value)}


DATETIME_FORMAT = "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ"
"""The stored form of a UTC datetime (fixed width, so text order is time order)."""


def _datetime_encode(value: Any) -> AttributeValue:
    if value.tzinfo is UTC:
        return {
            # %-formatting is the fastest way to this fixed width.
            "S": DATETIME_FORMAT
            % (
                value.year,
                value.month,
                value.day,
                value.hour,
                value.minute,
                value.second,
                value.microsecond,
            )
        }
    return {"S": datetime_text(value)}


STR = scalar("str", "S", identity, identity, _is_str, strict_raw_decode=_strict_str)
STR.encode, STR.decode = _str_encode, _str_decode
INT = scalar(
    "int",
    "N",
    _int_raw,
    lenient_int,
    _is_int,
    strict_raw_decode=int,
    max_size=NUMBER_MAX_SIZE,
)
INT.encode, INT.decode = _int_encode, _int_decode
FLOAT = scalar(
    "float",
    "N",
    _float_raw,
    _float_parse,
    lambda v: isinstance(v, float),
    strict_raw_decode=float,
    keyable=False,
    max_size=NUMBER_MAX_SIZE,
)
FLOAT.encode = _float_encode
DECIMAL = scalar(
    "Decimal",
    "N",
    _decimal_raw,
    _decimal_parse,
    lambda v: isinstance(v, Decimal),
    strict_raw_decode=_strict_decimal,
    max_size=NUMBER_MAX_SIZE,
)
DECIMAL.encode = _decimal_encode
BYTES = scalar("bytes", "B", _bytes, _bytes, lambda v: isinstance(v, bytes | bytearray))
DATETIME = scalar(
    "datetime",
    "S",
    datetime_text,
    _datetime_parse,
    lambda v: isinstance(v, datetime),
    strict_raw_decode=_strict_datetime,
    max_size=27,
)
DATETIME.encode = _datetime_encode
DATE = scalar(
    "date",
    "S",
    _date_raw,
    _date_parse,
    lambda v: isinstance(v, date) and not isinstance(v, datetime),
    strict_raw_decode=date.fromisoformat,
    max_size=10,
)
UUID_ = scalar(
    "UUID",
    "S",
    str,
    _uuid_parse,
    lambda v: isinstance(v, UUID),
    strict_raw_decode=_strict_uuid,
    max_size=36,
)


def _bool_decode(av: AttributeValue) -> Any:
    value = av.get("BOOL")
    return decode_value(av) if value is None else value


def _strict_bool(av: AttributeValue) -> bool:
    value = av["BOOL"]
    if type(value) is not bool:
        raise ValueError("not a bool")
    return value


BOOL = Converter(
    "bool",
    lambda v: {"BOOL": v},
    _bool_decode,
    _strict_bool,
    lambda v: isinstance(v, bool),
    frozenset({"BOOL"}),
    max_size=1,
)


def _null_decode(av: AttributeValue) -> None:
    if "NULL" not in av:
        raise KeyError("NULL")


NONE = Converter(
    "None",
    lambda v: {"NULL": True},
    _null_decode,
    _null_decode,
    lambda v: v is None,
    frozenset({"NULL"}),
    nullable=True,
    max_size=1,
)


def _any_child(step: str | int) -> Converter:
    return ANY


ANY = Converter(
    "Any",
    encode_value,
    decode_value,
    decode_value,
    lambda v: True,
    frozenset({"S", "N", "B", "BOOL", "NULL", "L", "M", "SS", "NS", "BS"}),
    nullable=True,
    mixed=True,
    child=_any_child,
)


__all__ = [
    "ANY",
    "BOOL",
    "BYTES",
    "DATE",
    "DATETIME",
    "DATETIME_FORMAT",
    "DECIMAL",
    "FLOAT",
    "INT",
    "NONE",
    "STR",
    "UUID_",
    "Converter",
    "Decoder",
    "Encoder",
    "identity",
    "lenient_int",
    "scalar",
]
