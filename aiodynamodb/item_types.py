"""Type aliases for DynamoDB's wire format."""

from __future__ import annotations

from typing import Any, TypeAlias

AttributeValue: TypeAlias = dict[str, Any]
"""One DynamoDB AttributeValue, such as ``{"S": "x"}`` or ``{"N": "1.5"}``."""

Item: TypeAlias = dict[str, AttributeValue]
"""A whole item (or a key): attribute name to AttributeValue."""

__all__ = ["AttributeValue", "Item"]
