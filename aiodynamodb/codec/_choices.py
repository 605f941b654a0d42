"""Converters of choices: Enum members (stored as their values) and Literal values."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any

from aiodynamodb.codec._converters import Converter, identity, lenient_int, scalar
from aiodynamodb.codec._values import decode_value, encode_value, number_av_text
from aiodynamodb.item_types import AttributeValue
from aiodynamodb.limits import NUMBER_MAX_SIZE
from aiodynamodb.rules import utf8_length


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def enum_converter(cls: type[Enum]) -> Converter:
    """The converter of an Enum: members are stored as their values."""
    members = list(cls)
    values = [m.value for m in members]
    by_value: dict[Any, Enum] = {}
    for member in members:
        by_value.setdefault(member.value, member)

    def accepts(value: Any) -> bool:
        return isinstance(value, cls)

    raw_decode: Callable[[Any], Any] = identity
    if values and all(isinstance(v, str) for v in values):
        tag = "S"
        max_size: int | None = max(utf8_length(v) for v in values)
    elif values and all(_is_int(v) for v in values):
        tag, raw_decode, max_size = "N", lenient_int, NUMBER_MAX_SIZE
    else:

        def encode_any(value: Any) -> AttributeValue:
            return encode_value(value.value if isinstance(value, Enum) else value)

        def decode_any(av: AttributeValue) -> Any:
            value = decode_value(av)
            return by_value.get(value, value)

        def strict_any(av: AttributeValue) -> Any:
            return by_value[decode_value(av)]

        tags = frozenset(next(iter(encode_value(v))) for v in values)
        return Converter(cls.__qualname__, encode_any, decode_any, strict_any, accepts, tags)

    def raw(value: Any) -> Any:
        plain = value.value if isinstance(value, Enum) else value
        return plain if tag == "S" else number_av_text(plain)

    def lenient(text: Any) -> Any:
        value = raw_decode(text)
        return by_value.get(value, value)

    def strict(text: Any) -> Any:
        return by_value[raw_decode(text)]

    return scalar(
        cls.__qualname__, tag, raw, lenient, accepts, strict_raw_decode=strict, max_size=max_size
    )


def literal_converter(label: str, values: tuple[Any, ...]) -> Converter:
    """The converter of ``Literal[...]``: values stored by their own type."""
    lookup: dict[tuple[str, Any], Any] = {}
    for value in values:
        ((tag, raw),) = encode_value(value).items()
        lookup.setdefault((tag, raw), value)
    tags = frozenset(tag for tag, _ in lookup)
    allowed = list(values)

    def accepts(value: Any) -> bool:
        return any(value == v and type(value) is type(v) for v in allowed)

    def strict(av: AttributeValue) -> Any:
        ((tag, raw),) = av.items()
        return lookup[(tag, raw)]

    def lenient(av: AttributeValue) -> Any:
        try:
            return strict(av)
        except (KeyError, TypeError, ValueError):
            return decode_value(av)

    sizes = [
        utf8_length(raw)
        if tag == "S"
        else NUMBER_MAX_SIZE
        if tag == "N"
        else len(raw)
        if tag == "B"
        else 1
        for tag, raw in lookup
    ]
    max_size = max(sizes) if sizes else None
    # One scalar type (a Literal of str, of numbers or of bytes) can be a key.
    if len(tags) == 1 and next(iter(tags)) in ("S", "N", "B"):
        tag = next(iter(tags))

        def raw_of(value: Any) -> Any:
            return encode_value(value)[tag]

        def raw_decode(text: Any) -> Any:
            if tag == "B" and type(text) is not bytes:
                text = bytes(text)
            return lookup.get((tag, text), text)

        def strict_raw(text: Any) -> Any:
            if tag == "B" and type(text) is not bytes:
                text = bytes(text)
            return lookup[(tag, text)]

        return scalar(
            label, tag, raw_of, raw_decode, accepts, strict_raw_decode=strict_raw, max_size=max_size
        )
    return Converter(label, encode_value, lenient, strict, accepts, tags, max_size=max_size)


__all__ = ["enum_converter", "literal_converter"]
