"""Length limits of attribute names and document paths.

- A document path is at most 32 levels deep ("Service, account, and table quotas":
  expression parameters, nested attribute depth), in a projection as elsewhere.
- A key attribute name (of the table or an index) is 1 to 255 characters (botocore's
  ``KeySchemaAttributeName``; Alternator's ``test_limit_attribute_length_key_bad``, on AWS).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aiodynamodb.limits import MAX_NESTING_LEVELS
from aiodynamodb.rules import messages as msg
from aiodynamodb.rules._key_schema import constraint

MAX_KEY_NAME_LENGTH = 255


def path_depth_problem(paths: Sequence[Sequence[Any]]) -> str | None:
    """DynamoDB's message for the first path deeper than 32 levels, or None."""
    for path in paths:
        if len(path) > MAX_NESTING_LEVELS:
            return msg.PATH_TOO_DEEP.format(levels=len(path))
    return None


def key_name_constraints(params: Mapping[str, Any]) -> list[str]:
    """Constraint messages for key attribute names over 255 characters (CreateTable,
    UpdateTable: the key schemas and the attribute definitions)."""
    problems = []
    at_most = msg.LENGTH_AT_MOST.format(n=MAX_KEY_NAME_LENGTH)

    def check(elements: Any, path: str) -> None:
        for position, element in enumerate(elements or (), start=1):
            name = element.get("AttributeName") if isinstance(element, Mapping) else None
            if isinstance(name, str) and len(name) > MAX_KEY_NAME_LENGTH:
                problems.append(
                    constraint(name, f"{path}.{position}.member.attributeName", at_most)
                )

    check(params.get("KeySchema"), "keySchema")
    check(params.get("AttributeDefinitions"), "attributeDefinitions")
    for field in ("globalSecondaryIndexes", "localSecondaryIndexes"):
        for position, index in enumerate(params.get(field[0].upper() + field[1:]) or (), start=1):
            if isinstance(index, Mapping):
                check(index.get("KeySchema"), f"{field}.{position}.member.keySchema")
    for position, update in enumerate(params.get("GlobalSecondaryIndexUpdates") or (), start=1):
        create = update.get("Create") if isinstance(update, Mapping) else None
        if isinstance(create, Mapping):
            check(
                create.get("KeySchema"),
                f"globalSecondaryIndexUpdates.{position}.member.create.keySchema",
            )
    return problems


__all__ = ["MAX_KEY_NAME_LENGTH", "key_name_constraints", "path_depth_problem"]
