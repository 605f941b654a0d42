"""DynamoDB's number rules: the text sent for a Python number, and its stored size.

DynamoDB numbers have up to 38 significant digits and a magnitude from 1E-130 to
9.9999999999999999999999999999999999999E+125 (or zero). The rules decided here:

* ``int`` is sent exactly (``str(value)``); an int with more than 38 significant digits or out
  of range is rejected.
* ``float`` is sent as ``repr(value)``, the shortest text that parses back to the same bits,
  so a float comes back bit-for-bit. NaN and the infinities are rejected.
* ``Decimal`` is sent exactly (``str(value)``; trailing zeros beyond 38 digits are dropped,
  which keeps the value). NaN and the infinities are rejected.

A rejected number raises :class:`NumberError`; the codec turns it into an
:class:`~aiodynamodb.errors.EncodeError` naming the model and field.
"""

from __future__ import annotations

import math
from decimal import Context, Decimal, InvalidOperation

from aiodynamodb.rules.values import parse_number as parse_dynamodb_number

MAX_DIGITS = 38
MIN_EXPONENT = -130
MAX_EXPONENT = 125
_INT_FAST = 10**MAX_DIGITS  # ints strictly between -1E38 and 1E38 always fit
_WIDE = Context(prec=1000)  # wide enough that normalize() never rounds a checked number

NOT_FINITE = "DynamoDB numbers must be finite; NaN and infinities cannot be stored"
TOO_MANY_DIGITS = (
    f"DynamoDB numbers have at most {MAX_DIGITS} significant digits; this one has {{digits}}"
)
OUT_OF_RANGE = (
    "DynamoDB numbers must be 0 or have a magnitude from 1E-130 to "
    "9.9999999999999999999999999999999999999E+125"
)


class NumberError(ValueError):
    """A number DynamoDB cannot store; ``reason`` says which rule it breaks."""

    def __init__(self, reason: str, value: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.value = value


def _checked_decimal(value: Decimal, original: object) -> str:
    """Return the text for a finite Decimal or raise NumberError."""
    if not value.is_finite():
        raise NumberError(NOT_FINITE, original)
    if not value:
        return "0"
    _sign, digits, _exponent = value.as_tuple()
    significant = len(digits)
    trailing = 0
    while trailing < significant and digits[significant - 1 - trailing] == 0:
        trailing += 1
    if significant - trailing > MAX_DIGITS:
        raise NumberError(TOO_MANY_DIGITS.format(digits=significant - trailing), original)
    if not MIN_EXPONENT <= value.adjusted() <= MAX_EXPONENT:
        raise NumberError(OUT_OF_RANGE, original)
    if significant > MAX_DIGITS:
        # Same value, fewer digits: DynamoDB trims trailing zeros anyway.
        return str(value.normalize(_WIDE))
    return str(value)


def int_text(value: int) -> str:
    """Text of an int for an ``N`` attribute value (NumberError if DynamoDB cannot hold it)."""
    if -_INT_FAST < value < _INT_FAST:
        return str(value)
    _checked_decimal(Decimal(value), value)
    return str(value)


def float_text(value: float) -> str:
    """Text of a float for an ``N`` attribute value: ``repr`` so it parses back bit-for-bit."""
    if value == 0.0 or 1e-130 <= abs(value) < 1e125:
        return repr(value)
    if not math.isfinite(value):
        raise NumberError(NOT_FINITE, value)
    _checked_decimal(Decimal(repr(value)), value)
    return repr(value)


def decimal_text(value: Decimal) -> str:
    """Text of a Decimal for an ``N`` attribute value (exact)."""
    text = str(value)
    if len(text) <= MAX_DIGITS and value.is_finite():
        if not value:
            return "0"
        if MIN_EXPONENT <= value.adjusted() <= MAX_EXPONENT:
            return text
    return _checked_decimal(value, value)


def number_text(value: int | float | Decimal) -> str:
    """Text of any Python number (not bool) for an ``N`` attribute value."""
    if isinstance(value, int):
        return int_text(value)
    if isinstance(value, float):
        return float_text(value)
    return decimal_text(value)


def parse_int(text: str) -> int:
    """An ``N`` text as an int; exponent forms of whole numbers (``"1E+3"``) are accepted.

    Raises:
        ValueError: The number is not whole.
    """
    try:
        return int(text)
    except ValueError:
        number = Decimal(text)
        if number != number.to_integral_value():
            raise ValueError(f"{text!r} is not a whole number") from None
        return int(number)


def parse_number(text: str) -> int | Decimal:
    """An ``N`` text as int when it is written as a whole number, else as an exact Decimal."""
    try:
        return int(text)
    except ValueError:
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{text!r} is not a number") from None


def number_size(text: str) -> int:
    """Bytes DynamoDB counts for a number (see ``aiodynamodb.rules.values.Number.size``).

    One exponent byte plus base-100 digit pairs aligned on the decimal point, plus one for
    negatives: ``123456`` costs 4 bytes, ``3.14159`` costs 5. Plain integers, the common
    case, are counted without parsing.
    """
    if text.isdigit():
        digits = text.lstrip("0")
        if not digits:
            return 1
        trailing = len(digits) - len(digits.rstrip("0"))
        return 1 + (len(digits) - 1) // 2 - trailing // 2 + 1
    number = parse_dynamodb_number(text)
    return number.size() if number is not None else len(text)


__all__ = [
    "MAX_DIGITS",
    "MAX_EXPONENT",
    "MIN_EXPONENT",
    "NumberError",
    "decimal_text",
    "float_text",
    "int_text",
    "number_size",
    "number_text",
    "parse_int",
    "parse_number",
]
