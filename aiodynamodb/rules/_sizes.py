"""Sizes as DynamoDB counts them: the one item-size function of the package.

The codec (its 400 KB check and size bounds), the client's request checks and the in-memory
backend all count with these functions. Strings count their UTF-8 bytes, and a string that
has no UTF-8 form (a lone surrogate such as ``"\\ud800"``) raises ``UnicodeEncodeError``:
DynamoDB cannot store it, so there is no size to give. Binary values are accepted as bytes
(the parameters of a client call) or as base64 text (the wire JSON).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from aiodynamodb.rules._numbers import number_size


def utf8_length(text: str) -> int:
    """Bytes of ``text`` in UTF-8.

    Raises:
        UnicodeEncodeError: ``text`` holds a lone surrogate, which has no UTF-8 form.
    """
    return len(text) if text.isascii() else len(text.encode("utf-8"))


def text_bound(texts: Iterable[str]) -> int:
    """Bytes of all ``texts`` in UTF-8 (a sized collection of strings, read twice).

    Raises:
        UnicodeEncodeError: A string holds a lone surrogate.
    """
    if all(map(str.isascii, texts)):
        return sum(map(len, texts))
    return sum(map(utf8_length, texts))


def binary_length(value: Any) -> int:
    """Raw byte length of a ``B`` value given as bytes or as base64 text."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return len(value)
    if isinstance(value, str):
        length = len(value)
        if length == 0:
            return 0
        padding = 2 if value.endswith("==") else 1 if value.endswith("=") else 0
        return length * 3 // 4 - padding
    return 0


CONTAINER_SIZE = 3
"""Bytes a list or map counts before its members."""
MEMBER_SIZE = 1
"""Bytes a list or map counts per member, beyond the member (and a map key's length)."""
FLAG_SIZE = 1
"""Bytes of a ``BOOL`` or ``NULL`` value."""


def string_size(text: Any) -> int:
    """Bytes of an ``S`` value or map key (0 when it is not text: refused elsewhere).

    Raises:
        UnicodeEncodeError: ``text`` holds a lone surrogate.
    """
    try:
        return len(text) if text.isascii() else len(text.encode("utf-8"))
    except AttributeError:  # not text: the request is refused for it elsewhere
        return 0


def number_value_size(text: Any) -> int:
    """Bytes of an ``N`` value (0 when it is not text: refused elsewhere)."""
    return number_size(text) if isinstance(text, str) else 0


def binary_size(value: Any) -> int:
    """Bytes of a ``B`` value given as bytes or as base64 text."""
    return len(value) if type(value) is bytes else binary_length(value)


def _flag_size(value: Any) -> int:
    return FLAG_SIZE


def _zero(value: Any) -> int:
    return 0


def _map_size(value: Mapping[str, Mapping[str, Any]]) -> int:
    size = CONTAINER_SIZE
    for key, member in value.items():
        size += string_size(key) + value_size(member) + MEMBER_SIZE
    return size


def _list_size(value: list[Mapping[str, Any]]) -> int:
    size = CONTAINER_SIZE + MEMBER_SIZE * len(value)
    for member in value:
        size += value_size(member)
    return size


def string_set_size(value: list[str]) -> int:
    """Bytes of an ``SS`` value: its members' sizes.

    Raises:
        UnicodeEncodeError: A member holds a lone surrogate.
    """
    return sum(map(string_size, value))


def number_set_size(value: list[str]) -> int:
    """Bytes of an ``NS`` value: its members' sizes."""
    return sum(map(number_value_size, value))


def binary_set_size(value: list[Any]) -> int:
    """Bytes of a ``BS`` value: its members' sizes."""
    return sum(map(binary_length, value))


_SIZERS: dict[str, Callable[[Any], int]] = {
    "S": string_size,
    "N": number_value_size,
    "B": binary_size,
    "BOOL": _flag_size,
    "NULL": _flag_size,
    "M": _map_size,
    "L": _list_size,
    "SS": string_set_size,
    "NS": number_set_size,
    "BS": binary_set_size,
}


def value_size(av: Mapping[str, Any]) -> int:
    """Bytes DynamoDB counts for one AttributeValue (without its attribute name).

    Raises:
        UnicodeEncodeError: A string in it holds a lone surrogate.
    """
    for tag, value in av.items():
        return _SIZERS.get(tag, _zero)(value)
    return 0


def item_size(item: Mapping[str, Mapping[str, Any]]) -> int:
    """Bytes DynamoDB counts for an item (checked against ``limits.MAX_ITEM_SIZE``).

    The sum of each attribute name's UTF-8 length and its value's size: strings their
    UTF-8 length, binary their raw length, numbers one byte plus one per base-100 digit
    pair (plus one if negative), booleans and nulls one byte, lists and maps three bytes
    plus one per element (and map keys' lengths), sets the sum of their members.

    Raises:
        UnicodeEncodeError: A name or string holds a lone surrogate.
    """
    total = 0
    for name, av in item.items():
        total += len(name) if name.isascii() else len(name.encode("utf-8"))
        for tag, value in av.items():
            total += _SIZERS.get(tag, _zero)(value)
    return total


__all__ = [
    "CONTAINER_SIZE",
    "FLAG_SIZE",
    "MEMBER_SIZE",
    "binary_length",
    "binary_set_size",
    "binary_size",
    "item_size",
    "number_set_size",
    "number_value_size",
    "string_set_size",
    "string_size",
    "text_bound",
    "utf8_length",
    "value_size",
]
