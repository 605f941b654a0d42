"""Rules of UpdateItem's legacy ``AttributeUpdates`` parameter (before any item is read).

DynamoDB's rules (API reference, ``AttributeValueUpdate``; dynalite's
``validations/updateItem.js`` and ScyllaDB Alternator's ``test_item.py``, both checked against
DynamoDB):

- ``Action`` is ``PUT`` (the default), ``ADD`` or ``DELETE`` (enum constraint);
- only ``DELETE`` goes without a ``Value``;
- ``DELETE`` with a ``Value`` takes a set (it removes those members);
- ``ADD`` takes a number, a set or a list.

The checks against the stored item (a type mismatch) are made where the update is applied:
``aiodynamodb.testing._legacy_updates``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from aiodynamodb.rules import messages as msg
from aiodynamodb.rules._key_schema import constraint, constraint_problem
from aiodynamodb.rules._problems import Problem

ACTIONS: Final = ("ADD", "PUT", "DELETE")
SETS: Final = frozenset({"SS", "NS", "BS"})
ADDABLE: Final = SETS | {"N", "L"}

VALUE_REQUIRED: Final = (
    msg.INVALID + "Only DELETE action is allowed when no attribute value is specified"
)
"""DynamoDB's message for a ``PUT`` or ``ADD`` without a ``Value``."""
DELETE_TYPE: Final = msg.INVALID + "DELETE action with value is not supported for the type {kind}"
"""DynamoDB's message for a ``DELETE`` whose ``Value`` is not a set."""
ADD_TYPE: Final = msg.INVALID + "ADD action is not supported for the type {kind}"
"""DynamoDB's message for an ``ADD`` whose ``Value`` is not a number, set or list."""


def _kind(value: Any) -> str | None:
    if isinstance(value, Mapping) and len(value) == 1:
        (kind,) = value
        return str(kind)
    return None


def check_attribute_updates(updates: Any) -> None:
    """Check each ``AttributeValueUpdate`` of an UpdateItem's ``AttributeUpdates``.

    Args:
        updates: The request's ``AttributeUpdates`` (its values were checked as
            AttributeValues already).

    Raises:
        Problem: DynamoDB refuses the request (ValidationException).
    """
    if not isinstance(updates, Mapping):
        return
    for name, update in updates.items():
        if not isinstance(update, Mapping):
            continue
        action = update.get("Action", "PUT")
        if action not in ACTIONS:
            path = f"attributeUpdates.{name}.member.action"
            raise constraint_problem(
                [constraint(action, path, msg.ENUM.format(values=", ".join(ACTIONS)))]
            )
        value = update.get("Value")
        if value is None:
            if action != "DELETE":
                raise Problem(VALUE_REQUIRED)
            continue
        kind = _kind(value)
        if action == "DELETE" and kind not in SETS:
            raise Problem(DELETE_TYPE.format(kind=kind))
        if action == "ADD" and kind not in ADDABLE:
            raise Problem(ADD_TYPE.format(kind=kind))


__all__ = [
    "ACTIONS",
    "ADDABLE",
    "ADD_TYPE",
    "DELETE_TYPE",
    "SETS",
    "VALUE_REQUIRED",
    "check_attribute_updates",
]
