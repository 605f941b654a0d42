"""UpdateItem's legacy ``AttributeUpdates`` applied to an item, as DynamoDB applies it (pure).

moto's own handling of ``AttributeUpdates`` differs from DynamoDB's (ADD of a list, type
mismatches, an update that only deletes creating a missing item, ...), so the strict layer
answers these updates as it answers update expressions (:mod:`._fidelity_update`): it reads
the item, applies the updates here and writes the result with the request's condition.

DynamoDB's rules (API reference, ``AttributeValueUpdate``; ScyllaDB Alternator's
``test_item.py`` and dynalite's ``test/updateItem.js``, both run against DynamoDB), once the
request rules (:mod:`aiodynamodb.rules._attribute_updates`) have passed:

- ``PUT`` (the default) replaces the attribute;
- ``DELETE`` without a value removes the attribute; with a set, it removes those members
  from a set of the same type (an attribute left empty is removed; a missing one is left
  alone);
- ``ADD`` adds a number, adds members to a set of the same type, or appends to a list; on a
  missing attribute it stores the value;
- a stored attribute of another type is refused: "Type mismatch for attribute to update";
- an update that only deletes does not create a missing item; any other update (even an
  empty one) creates it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from aiodynamodb.testing._update_eval import (
    UpdateProblem,
    UpdateResult,
    _add,
    _delete,
    _freeze_item,
)

__all__ = ["TYPE_MISMATCH", "apply_attribute_updates"]

_SETS = frozenset({"SS", "NS", "BS"})

TYPE_MISMATCH: Final = "Type mismatch for attribute to update"
"""DynamoDB's message when ADD or DELETE meets a stored attribute of another type (dynalite's
``test/updateItem.js``, checked against DynamoDB)."""


def _kind(value: Any) -> str | None:
    if isinstance(value, Mapping) and len(value) == 1:
        return str(next(iter(value)))
    return None


def _added(current: Any, value: Any) -> Any:
    if current is None:
        return value
    kind = _kind(value)
    if _kind(current) != kind:
        raise UpdateProblem(TYPE_MISMATCH)
    if kind == "L":
        return {"L": [*current["L"], *value["L"]]}
    return _add(current, value)


def _deleted(current: Any, value: Any) -> Any:
    if _kind(current) != _kind(value):
        raise UpdateProblem(TYPE_MISMATCH)
    return _delete(current, value)


def apply_attribute_updates(
    old: Mapping[str, Any] | None, key: Mapping[str, Any], updates: Mapping[str, Any]
) -> UpdateResult:
    """Apply an UpdateItem's ``AttributeUpdates`` (already checked by the rules) to an item.

    Args:
        old: The item before the update (its JSON AttributeValues), None when missing.
        key: The request's ``Key``.
        updates: The ``AttributeUpdates`` map: attribute name to ``Action``/``Value``.

    Raises:
        UpdateProblem: DynamoDB refuses the update for this item.
    """
    paths: list[list[str | int]] = [[name] for name in updates]
    only_deletes = bool(updates) and all(
        update.get("Action") == "DELETE" for update in updates.values()
    )
    if old is None and only_deletes:
        return UpdateResult(None, paths)
    item: dict[str, Any] = dict(old if old is not None else key)
    for name, update in updates.items():
        action = update.get("Action", "PUT")
        value = update.get("Value")
        if action == "PUT":
            item[name] = value
        elif action == "ADD":
            item[name] = _added(item.get(name), value)
        elif value is None:
            item.pop(name, None)
        elif _kind(value) in _SETS and item.get(name) is not None:
            remaining = _deleted(item[name], value)
            if remaining is None:
                del item[name]
            else:
                item[name] = remaining
    return UpdateResult(_freeze_item(item), paths)
