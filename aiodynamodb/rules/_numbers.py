"""DynamoDB's number grammar: parse an ``N`` text once, then check, compare, size or print it.

This is the one parser of ``N`` text in the package: the codec sizes numbers with it, the
request rules check them with it and the in-memory backend stores them in its canonical form.
(Turning an ``N`` text into a Python value is the codec's ``decode_number``.)
"""

from __future__ import annotations

import re
from typing import Any

from aiodynamodb.limits import NUMBER_MAX_DIGITS, NUMBER_MAX_EXPONENT, NUMBER_MIN_EXPONENT
from aiodynamodb.rules import messages as msg

# Java's BigDecimal grammar, which is what DynamoDB parses numbers with (no spaces, no
# underscores, no NaN or Infinity, unlike Python's Decimal).
_NUMBER = re.compile(r"([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?")
_CANONICAL = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?")
# A plain decimal of at most 38 characters has at most 38 significant digits and a
# magnitude between 1e-37 and 1e38: always a valid number (number_problem's fast path).
_PLAIN = re.compile(r"-?\d+(?:\.\d+)?")
_PLAIN_LENGTH = 38


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

    def problem(self) -> str | None:
        """DynamoDB's message when this number is out of range or too precise, else None."""
        if self.digits:
            if self.leading > NUMBER_MAX_EXPONENT:
                return msg.NUMBER_OVERFLOW
            if self.leading < NUMBER_MIN_EXPONENT:
                return msg.NUMBER_UNDERFLOW
            if len(self.digits) > NUMBER_MAX_DIGITS:
                return msg.NUMBER_TOO_PRECISE
        return None

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
    """The message for an ``N`` text DynamoDB refuses, or None when it is valid.

    Args:
        text: The text of the ``N`` value.
        older: Word problems as DynamoDB's older validation layer does.
    """
    if not isinstance(text, str):
        return msg.NOT_NUMERIC if older else msg.NOT_NUMERIC_VALUE.format(text=text)
    if len(text) <= _PLAIN_LENGTH and _PLAIN.fullmatch(text):
        return None  # at most 38 digits: within DynamoDB's precision and range, no parse
    number = parse_number(text)
    if number is None:
        return _not_numeric(text, older)
    return number.problem()


def _not_numeric(text: str, older: bool) -> str:
    if older and not text:
        return msg.NOT_NUMERIC
    return msg.NOT_NUMERIC_VALUE.format(text=text)


def number_size(text: str) -> int:
    """Bytes DynamoDB counts for an ``N`` text (see :meth:`Number.size`).

    Plain non-negative integers, the common case, are counted without parsing; a text that
    is not a number counts its length (the request is refused for it anyway).
    """
    if text.isdigit():
        digits = text.lstrip("0")
        if not digits:
            return 1
        trailing = len(digits) - len(digits.rstrip("0"))
        return 1 + (len(digits) - 1) // 2 - trailing // 2 + 1
    number = parse_number(text)
    return number.size() if number is not None else len(text)


def number_facts(text: Any, older: bool) -> int | str:
    """:func:`number_problem` and :func:`number_size` of an ``N`` text, parsed at most once.

    Args:
        text: The text of the ``N`` value.
        older: Word problems as DynamoDB's older validation layer does.

    Returns:
        The message when DynamoDB refuses the text (a ``str``), else its size in bytes.
    """
    if not isinstance(text, str):
        return msg.NOT_NUMERIC if older else msg.NOT_NUMERIC_VALUE.format(text=text)
    if text.isascii():
        if text.isdigit():  # a plain integer: sized without parsing
            if len(text) > _PLAIN_LENGTH:
                problem = number_problem(text, older)
                if problem is not None:
                    return problem
            return number_size(text)
        number = parse_number(text)
        if number is None:
            return _not_numeric(text, older)
        return number.problem() or number.size()
    # Other Unicode digits: the two functions' own answers (their fast paths differ here).
    problem = number_problem(text, older)
    return problem if problem is not None else number_size(text)


def canonical_number(text: str) -> str:
    """DynamoDB's stored form of a valid ``N`` text: ``"0010.500"`` becomes ``"10.5"``."""
    if _CANONICAL.fullmatch(text) and text != "-0":
        return text
    number = parse_number(text)
    return text if number is None else number.canonical()


def is_canonical_number(text: str) -> bool:
    """Whether an ``N`` text is already in DynamoDB's stored form (``-0`` is not: zero
    has no sign in DynamoDB)."""
    return _CANONICAL.fullmatch(text) is not None and text != "-0"


__all__ = [
    "Number",
    "canonical_number",
    "is_canonical_number",
    "number_facts",
    "number_problem",
    "number_size",
    "parse_number",
]
