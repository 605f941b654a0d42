"""Type aliases for DynamoDB's wire format."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, TypeAlias
from uuid import UUID

AttributeValue: TypeAlias = dict[str, Any]
"""One DynamoDB AttributeValue, such as ``{"S": "x"}`` or ``{"N": "1.5"}``."""

Item: TypeAlias = dict[str, AttributeValue]
"""A whole item (or a key): attribute name to AttributeValue."""

KeyValue: TypeAlias = str | int | Decimal | bytes | date | UUID | Enum
"""A value for a key attribute: what ``hash_key=`` and ``range_key=`` accept.

DynamoDB keys are strings, numbers or binary; the codec stores key fields declared as
``str``, ``int``, ``Decimal``, ``bytes``, ``datetime``/``date`` (``datetime`` is a ``date``),
``UUID`` or an Enum, and validates a value of another of these types as the field's type
(``"42"`` for an ``int`` key). ``float`` is left out on purpose: a binary float is not the
decimal number DynamoDB stores (boto3 refuses floats for the same reason).
"""

__all__ = ["AttributeValue", "Item", "KeyValue"]
