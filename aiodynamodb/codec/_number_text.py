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

from aiodynamodb.limits import (
    FLOAT_FAST_MAX,
    FLOAT_FAST_MIN,
    INT_FAST_LIMIT,
    NUMBER_MAX_DIGITS,
    NUMBER_MAX_EXPONENT,
    NUMBER_MIN_EXPONENT,
)
from aiodynamodb.rules import parse_number

MAX_DIGITS = NUMBER_MAX_DIGITS
MIN_EXPONENT = NUMBER_MIN_EXPONENT
MAX_EXPONENT = NUMBER_MAX_EXPONENT
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
    """Return the text for a finite Decimal or raise NumberError (DynamoDB's grammar decides)."""
    if not value.is_finite():
        raise NumberError(NOT_FINITE, original)
    if not value:
        return "0"
    number = parse_number(str(value))
    assert number is not None  # the text of a finite Decimal is always a number
    if len(number.digits) > MAX_DIGITS:
        raise NumberError(TOO_MANY_DIGITS.format(digits=len(number.digits)), original)
    if number.problem() is not None:
        raise NumberError(OUT_OF_RANGE, original)
    significant = len(value.as_tuple().digits)
    if significant > MAX_DIGITS:
        # Same value, fewer digits: DynamoDB trims trailing zeros anyway.
        return str(value.normalize(_WIDE))
    return str(value)


def int_text(value: int) -> str:
    """Text of an int for an ``N`` attribute value (NumberError if DynamoDB cannot hold it)."""
    if -INT_FAST_LIMIT < value < INT_FAST_LIMIT:
        return str(value)
    _checked_decimal(Decimal(value), value)
    return str(value)


def float_text(value: float) -> str:
    """Text of a float for an ``N`` attribute value: ``repr`` so it parses back bit-for-bit."""
    if value == 0.0 or FLOAT_FAST_MIN <= abs(value) < FLOAT_FAST_MAX:
        return repr(value)
    if not math.isfinite(value):
        raise NumberError(NOT_FINITE, value)
    _checked_decimal(Decimal(repr(value)), value)
    return repr(value)


def decimal_fast_text(value: Decimal) -> str | None:
    """The text of a Decimal that is certainly valid as it is written, else None.

    At most 38 characters means at most 38 digits, so only the range needs a look: the fast
    path every Decimal encoder takes before :func:`decimal_text`.
    """
    text = str(value)
    if (
        len(text) <= MAX_DIGITS
        and value.is_finite()
        and value
        and MIN_EXPONENT <= value.adjusted() <= MAX_EXPONENT
    ):
        return text
    return None


def decimal_text(value: Decimal) -> str:
    """Text of a Decimal for an ``N`` attribute value (exact)."""
    return decimal_fast_text(value) or _checked_decimal(value, value)


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


def decode_number(text: str) -> int | Decimal:
    """An ``N`` text as a Python value: int when written as a whole number, else Decimal."""
    try:
        return int(text)
    except ValueError:
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{text!r} is not a number") from None


__all__ = [
    "MAX_DIGITS",
    "MAX_EXPONENT",
    "MIN_EXPONENT",
    "NumberError",
    "decimal_fast_text",
    "decimal_text",
    "decode_number",
    "float_text",
    "int_text",
    "number_text",
    "parse_int",
]
