"""AttributeValue rules: shape, numbers, sets, empty values, and sizes as DynamoDB counts them.

Values arrive in either form a boto client handles: binary (``B``/``BS``) as ``bytes`` (the
parameters given to a client method) or as base64 text (the wire JSON the client sends).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from aiodynamodb.rules import messages as msg

MAX_ITEM_SIZE = 409_600
"""DynamoDB's item size limit in bytes (400 KB)."""

MAX_DIGITS = 38
MAX_EXPONENT = 125  # position of the leading digit of the largest magnitude, 9.99..E+125
MIN_EXPONENT = -130  # position of the leading digit of the smallest magnitude, 1E-130
MAX_NESTING = 32

TYPES = frozenset({"S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"})

# Java's BigDecimal grammar, which is what DynamoDB parses numbers with (no spaces, no
# underscores, no NaN or Infinity, unlike Python's Decimal).
_NUMBER = re.compile(r"([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?")
_CANONICAL = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?")


class Number:
    """A parsed DynamoDB number: ``sign * int(digits) * 10**exponent``.

    ``digits`` has no leading or trailing zeros; it is empty for zero.
    """

    __slots__ = ("digits", "exponent", "negative")

    def __init__(self, negative: bool, digits: str, exponent: int) -> None:
        self.negative = negative
        self.digits = digits
        self.exponent = exponent

    @property
    def leading(self) -> int:
        """Decimal position of the leading digit (0 for units, -1 for tenths)."""
        return self.exponent + len(self.digits) - 1

    def canonical(self) -> str:
        """The text DynamoDB returns for this number: plain notation, no spare zeros."""
        digits = self.digits
        if not digits:
            return "0"
        exponent = self.exponent
        if exponent >= 0:
            text = digits + "0" * exponent
        else:
            point = len(digits) + exponent
            if point > 0:
                text = digits[:point] + "." + digits[point:]
            else:
                text = "0." + "0" * -point + digits
        return "-" + text if self.negative else text

    def key(self) -> tuple[bool, str, int]:
        """A hashable identity: equal for numerically equal texts (``1`` and ``1.0``)."""
        return (self.negative, self.digits, self.exponent)

    def size(self) -> int:
        """Bytes DynamoDB counts for this number.

        DynamoDB stores a number as one exponent byte plus base-100 digit pairs aligned on
        the decimal point (plus a terminator byte for negatives), which is why ``3.14159``
        costs 5 bytes and ``123456`` costs 4 although both have six digits.
        """
        if not self.digits:
            return 1
        pairs = self.leading // 2 - self.exponent // 2 + 1
        return 1 + pairs + (1 if self.negative else 0)

    def compare(self, other: Number) -> int:
        """Compare numerically: negative, zero or positive like ``self - other``."""
        if self.negative != other.negative:
            if not self.digits and not other.digits:
                return 0
            return -1 if self.negative else 1
        magnitude = _compare_magnitude(self, other)
        return -magnitude if self.negative else magnitude


def _compare_magnitude(a: Number, b: Number) -> int:
    if not a.digits or not b.digits:
        return (len(a.digits) > 0) - (len(b.digits) > 0)
    if a.leading != b.leading:
        return 1 if a.leading > b.leading else -1
    width = max(len(a.digits), len(b.digits))
    left, right = a.digits.ljust(width, "0"), b.digits.ljust(width, "0")
    return (left > right) - (left < right)


def parse_number(text: str) -> Number | None:
    """Parse an ``N`` text the way DynamoDB does; None when it is not a number."""
    match = _NUMBER.fullmatch(text)
    if match is None:
        return None
    sign, whole, fraction, exponent_text = match.groups()
    fraction = fraction or ""
    if not whole and not fraction:
        return None
    digits = (whole + fraction).lstrip("0")
    exponent = int(exponent_text) if exponent_text else 0
    exponent -= len(fraction)
    stripped = digits.rstrip("0")
    exponent += len(digits) - len(stripped)
    if not stripped:
        return Number(False, "", 0)
    return Number(sign == "-", stripped, exponent)


def number_problem(text: Any, older: bool) -> str | None:
    """The message for an ``N`` text DynamoDB refuses, or None when it is valid."""
    if not isinstance(text, str):
        return msg.NOT_NUMERIC if older else msg.NOT_NUMERIC_VALUE.format(text=text)
    number = parse_number(text)
    if number is None:
        if older and not text:
            return msg.NOT_NUMERIC
        return msg.NOT_NUMERIC_VALUE.format(text=text)
    if number.digits:
        if number.leading > MAX_EXPONENT:
            return msg.NUMBER_OVERFLOW
        if number.leading < MIN_EXPONENT:
            return msg.NUMBER_UNDERFLOW
        if len(number.digits) > MAX_DIGITS:
            return msg.NUMBER_TOO_PRECISE
    return None


def canonical_number(text: str) -> str:
    """DynamoDB's stored form of a valid ``N`` text: ``"0010.500"`` becomes ``"10.5"``."""
    if _CANONICAL.fullmatch(text):
        return text
    number = parse_number(text)
    return text if number is None else number.canonical()


def is_canonical_number(text: str) -> bool:
    """Whether an ``N`` text is already in DynamoDB's stored form."""
    return _CANONICAL.fullmatch(text) is not None


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


def _text_size(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8"))


def value_size(av: Mapping[str, Any]) -> int:
    """Bytes DynamoDB counts for one AttributeValue (without its attribute name)."""
    for tag, value in av.items():
        if tag == "S":
            return _text_size(value) if isinstance(value, str) else 0
        if tag == "N":
            number = parse_number(value) if isinstance(value, str) else None
            return number.size() if number is not None else 0
        if tag == "M":
            size = 3
            for name, member in value.items():
                size += _text_size(name) + value_size(member) + 1
            return size
        if tag == "L":
            return 3 + sum(value_size(member) + 1 for member in value)
        if tag == "B":
            return binary_length(value)
        if tag in ("BOOL", "NULL"):
            return 1
        if tag == "SS":
            return sum(_text_size(member) for member in value)
        if tag == "NS":
            return sum(value_size({"N": member}) for member in value)
        if tag == "BS":
            return sum(binary_length(member) for member in value)
    return 0


def item_size(item: Mapping[str, Mapping[str, Any]]) -> int:
    """Bytes DynamoDB counts for an item (checked against :data:`MAX_ITEM_SIZE`).

    The sum of each attribute name's UTF-8 length and its value's size: strings their
    UTF-8 length, binary their raw length, numbers one byte plus one per base-100 digit
    pair (plus one if negative), booleans and nulls one byte, lists and maps three bytes
    plus one per element (and map keys' lengths), sets the sum of their members.
    """
    return sum(_text_size(name) + value_size(av) for name, av in item.items())


def _set_listing(members: Iterable[Any], quoted: bool, spaced: bool = True) -> str:
    rendered = [f'"{member}"' if quoted else str(member) for member in members]
    return "[" + (", " if spaced else ",").join(rendered) + "]"


def _duplicate_report(members: list[Any], keys: list[Any]) -> list[Any] | None:
    """Members as DynamoDB's current layer lists them, or None without a duplicate.

    Sorted (by key) up to the first repeat, then the repeat, then the rest as sent.
    """
    seen: dict[Any, Any] = {}
    for position, (member, key) in enumerate(zip(members, keys, strict=True)):
        if key in seen:
            ordered = [seen[k] for k in sorted(seen)]
            return [*ordered, member, *members[position + 1 :]]
        seen[key] = member
    return None


def _binary_key(member: Any) -> bytes:
    if isinstance(member, (bytes, bytearray, memoryview)):
        return bytes(member)
    import base64
    import binascii

    try:
        return base64.b64decode(member)
    except (binascii.Error, ValueError, TypeError):
        return str(member).encode()


def _binary_text(member: Any) -> str:
    if isinstance(member, (bytes, bytearray, memoryview)):
        import base64

        return base64.b64encode(bytes(member)).decode()
    return str(member)


def _set_problem(tag: str, members: Any, older: bool) -> str | None:
    if not isinstance(members, list):
        return msg.EMPTY_AV
    if not members:
        return {"SS": msg.EMPTY_SS, "NS": msg.EMPTY_NS, "BS": msg.EMPTY_BS}[tag]
    if tag == "NS":
        keys = []
        for member in members:
            problem = number_problem(member, older)
            if problem is not None:
                return problem
            number = parse_number(member)
            keys.append(number.key() if number is not None else member)
        if len(set(keys)) != len(keys):
            return msg.DUPLICATE_NS_OLDER if older else msg.DUPLICATE_NS
        return None
    if tag == "SS":
        if len(set(members)) == len(members):
            return None
        if older:
            return msg.DUPLICATE_SS.format(members=_set_listing(members, quoted=False))
        report = _duplicate_report(members, [m.encode("utf-8") for m in members])
        return msg.DUPLICATE_SS.format(members=_set_listing(report or members, quoted=True))
    raw = [_binary_key(member) for member in members]
    if len(set(raw)) == len(raw):
        return None
    texts = [_binary_text(member) for member in members]
    if older:
        return msg.DUPLICATE_BS.format(members=_set_listing(texts, quoted=False))
    report = _duplicate_report(texts, raw)
    return msg.DUPLICATE_BS.format(members=_set_listing(report or texts, True, spaced=False))


def value_problem(av: Any, older: bool, depth: int = 0) -> str | None:
    """The message for an AttributeValue DynamoDB refuses, or None when it is valid.

    Args:
        av: The AttributeValue.
        older: Word problems as DynamoDB's older validation layer does (BatchWriteItem,
            Scan and the transactions) rather than the current one.
        depth: Nesting level (DynamoDB allows 32).
    """
    if not isinstance(av, Mapping) or not av:
        return msg.EMPTY_AV
    if len(av) > 1:
        return msg.MULTIPLE_AV
    ((tag, value),) = av.items()
    if tag == "S" or tag == "B" or tag == "BOOL":
        return None
    if tag == "N":
        return number_problem(value, older)
    if tag == "NULL":
        return None if value is True else msg.NULL_FALSE
    if tag in ("SS", "NS", "BS"):
        return _set_problem(tag, value, older)
    if tag == "M" or tag == "L":
        if depth >= MAX_NESTING:
            return msg.NESTING_TOO_DEEP
        members = value.values() if tag == "M" else value
        for member in members:
            problem = value_problem(member, older, depth + 1)
            if problem is not None:
                return problem
        return None
    return msg.EMPTY_AV


def scalar_type(av: Any) -> str | None:
    """The single type tag of an AttributeValue, or None when malformed."""
    if isinstance(av, Mapping) and len(av) == 1:
        for tag in av:
            return str(tag)
    return None


def key_identity(av: Mapping[str, Any]) -> tuple[str, Any]:
    """A hashable identity for a key value: numerically equal numbers are the same key."""
    for tag, value in av.items():
        if tag == "N" and isinstance(value, str):
            number = parse_number(value)
            return ("N", number.key() if number is not None else value)
        if tag == "B":
            return ("B", _binary_key(value))
        return (tag, value if isinstance(value, (str, bool)) else repr(value))
    return ("", None)


def compare_scalars(left: Mapping[str, Any], right: Mapping[str, Any]) -> int | None:
    """Order two S, N or B values of one type; None when they cannot be ordered."""
    left_type, right_type = scalar_type(left), scalar_type(right)
    if left_type is None or left_type != right_type:
        return None
    a, b = left[left_type], right[right_type]
    if left_type == "N":
        x, y = parse_number(a), parse_number(b)
        if x is None or y is None:
            return None
        return x.compare(y)
    if left_type == "S":
        ea, eb = str(a).encode("utf-8"), str(b).encode("utf-8")
        return int(ea > eb) - int(ea < eb)
    if left_type == "B":
        ba, bb = _binary_key(a), _binary_key(b)
        return (ba > bb) - (ba < bb)
    return None


def render_value(av: Mapping[str, Any]) -> str:
    """An AttributeValue as DynamoDB prints it in messages: ``AttributeValue: {N:5}``."""
    tag = scalar_type(av)
    if tag is None:
        return "AttributeValue: {}"
    value = av[tag]
    if tag == "B":
        value = _binary_text(value)
    return f"AttributeValue: {{{tag}:{value}}}"


__all__ = [
    "MAX_ITEM_SIZE",
    "Number",
    "binary_length",
    "canonical_number",
    "compare_scalars",
    "is_canonical_number",
    "item_size",
    "key_identity",
    "number_problem",
    "parse_number",
    "render_value",
    "scalar_type",
    "value_problem",
    "value_size",
]
