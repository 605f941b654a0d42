"""Rules of the single-item operations: GetItem, PutItem, UpdateItem and DeleteItem."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiodynamodb.limits import MAX_ITEM_SIZE
from aiodynamodb.rules import _legacy as legacy
from aiodynamodb.rules import messages as msg
from aiodynamodb.rules._attribute_updates import check_attribute_updates
from aiodynamodb.rules._attribute_values import value_problem
from aiodynamodb.rules._context import Request
from aiodynamodb.rules._expression_checks import (
    Placeholders,
    UpdateFacts,
    check_condition,
    check_projection,
    check_update,
)
from aiodynamodb.rules._key_schema import (
    TableSchema,
    check_index_values,
    check_item_keys,
    check_key,
    check_table_name,
    constraint,
    constraint_problem,
)
from aiodynamodb.rules._problems import Problem
from aiodynamodb.rules._sizes import utf8_length, value_size

CONDITION = ("ConditionExpression",)
CONDITION_LEGACY = ("Expected", "ConditionalOperator")


def check_expected(request: Request, expected: Any) -> None:
    """Check the values of a legacy ``Expected`` map."""
    if not isinstance(expected, Mapping):
        return
    for name, condition in expected.items():
        if not isinstance(condition, Mapping):
            continue
        if "Value" in condition and "AttributeValueList" in condition:
            raise Problem(
                msg.INVALID + "Value and AttributeValueList cannot be used together for "
                f"Attribute: {name}",
                envelope=True,
            )
        operator = condition.get("ComparisonOperator")
        if operator is None:
            exists = condition.get("Exists", True)
            if exists and condition.get("Value") is None:
                shown = "null" if "Exists" not in condition else str(exists).lower()
                raise Problem(
                    msg.INVALID + f"Value must be provided when Exists is {shown} for "
                    f"Attribute: {name}",
                    envelope=True,
                )
            if not exists and condition.get("Value") is not None:
                raise Problem(
                    msg.INVALID
                    + f"Value cannot be used when Exists is false for Attribute: {name}",
                    envelope=True,
                )
        elif (
            operator not in ("NULL", "NOT_NULL")
            and "Value" not in condition
            and "AttributeValueList" not in condition
        ):
            raise Problem(
                msg.INVALID + f"Value or AttributeValueList must be used with ComparisonOperator: "
                f"{operator} for Attribute: {name}",
                envelope=True,
            )
        values = list(condition.get("AttributeValueList") or ())
        if condition.get("Value") is not None:
            values.append(condition["Value"])
        for av in values:
            problem = value_problem(av, request.older)
            if problem is not None:
                raise Problem(problem, envelope=True)


def check_return_values(params: Mapping[str, Any]) -> None:
    """PutItem and DeleteItem return only the old item."""
    returns = params.get("ReturnValues")
    if returns is not None and returns not in ("ALL_OLD", "NONE"):
        raise Problem(msg.RETURN_VALUES_PUT, envelope=True)


UPDATE_RETURN_VALUES = ("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW")


def check_update_return_values(params: Mapping[str, Any]) -> None:
    """UpdateItem's ``ReturnValues`` is one of five, case and all (an enum constraint)."""
    returns = params.get("ReturnValues")
    if returns is not None and returns not in UPDATE_RETURN_VALUES:
        rule = msg.ENUM.format(values=", ".join(UPDATE_RETURN_VALUES))
        raise constraint_problem([constraint(returns, "returnValues", rule)])


def check_key_updates(facts: UpdateFacts, schema: TableSchema) -> None:
    """Refuse updates of key attributes; check index keys written directly."""
    written: dict[str, Any] = {}
    for _section, path, value in facts.targets:
        head = path[0]
        if head in schema.key_names:
            raise Problem(msg.UPDATE_KEY_ATTRIBUTE.format(name=head))
        if len(path) == 1 and isinstance(head, str) and isinstance(value, Mapping):
            written[head] = value
    if written:
        check_index_values(written, schema)


def check_update_size(request: Request, facts: UpdateFacts) -> None:
    """What an update writes (names and values) must fit in an item."""
    size = 0
    for _section, path, value in facts.targets:
        if isinstance(value, Mapping):
            head = path[0]
            size += (utf8_length(head) if isinstance(head, str) else 0) + value_size(value)
    if size > MAX_ITEM_SIZE:
        raise Problem(msg.UPDATE_TOO_LARGE)


def get_item(request: Request) -> None:
    """GetItem."""
    params = request.params
    check_table_name(params.get("TableName"))
    legacy.check_attributes_to_get(params.get("AttributesToGet"))
    holders = request.placeholders(params, ("ProjectionExpression",), ("AttributesToGet",))
    request.check_values(params.get("Key"))
    if params.get("ProjectionExpression") is not None:
        check_projection(params["ProjectionExpression"], holders)
    holders.check_unused()
    schema = request.schema(params.get("TableName"))
    if schema is not None:
        check_key(params.get("Key"), schema)


def put_item(request: Request) -> None:
    """PutItem."""
    params = request.params
    check_table_name(params.get("TableName"))
    _legacy_rules(params)
    holders = request.placeholders(params, CONDITION, CONDITION_LEGACY)
    item = params.get("Item")
    size = request.check_item_values(item)
    check_return_values(params)
    request.check_item_size(item, size=size)
    check_expected(request, params.get("Expected"))
    _condition(params, holders)
    schema = request.schema(params.get("TableName"))
    if schema is not None and isinstance(item, Mapping):
        check_item_keys(item, schema)


def delete_item(request: Request) -> None:
    """DeleteItem."""
    params = request.params
    check_table_name(params.get("TableName"))
    _legacy_rules(params)
    holders = request.placeholders(params, CONDITION, CONDITION_LEGACY)
    request.check_values(params.get("Key"))
    check_return_values(params)
    check_expected(request, params.get("Expected"))
    _condition(params, holders)
    schema = request.schema(params.get("TableName"))
    if schema is not None:
        check_key(params.get("Key"), schema)


def update_item(request: Request) -> None:
    """UpdateItem."""
    params = request.params
    check_table_name(params.get("TableName"))
    check_update_return_values(params)
    _legacy_rules(params)
    holders = request.placeholders(
        params,
        ("UpdateExpression", "ConditionExpression"),
        ("AttributeUpdates", "Expected", "ConditionalOperator"),
    )
    request.check_values(params.get("Key"))
    updates = params.get("AttributeUpdates")
    if isinstance(updates, Mapping):
        for update in updates.values():
            if isinstance(update, Mapping) and update.get("Value") is not None:
                request.check_values({"": update["Value"]})
    check_attribute_updates(updates)
    check_expected(request, params.get("Expected"))
    facts = None
    if params.get("UpdateExpression") is not None:
        facts = check_update(params["UpdateExpression"], holders)
    _condition(params, holders)
    holders.check_unused()
    schema = request.schema(params.get("TableName"))
    if schema is not None:
        check_key(params.get("Key"), schema)
        if facts is not None:
            check_key_updates(facts, schema)
        if isinstance(updates, Mapping):
            for name, update in updates.items():
                if name in schema.key_names:
                    raise Problem(msg.UPDATE_KEY_ATTRIBUTE.format(name=name))
                if isinstance(update, Mapping) and update.get("Action", "PUT") == "PUT":
                    value = update.get("Value")
                    if isinstance(value, Mapping):
                        check_index_values({name: value}, schema)
    if facts is not None:
        check_update_size(request, facts)


def _legacy_rules(params: Mapping[str, Any]) -> None:
    legacy.check_conditional_operator(params)
    legacy.check_operator_has_expected(params)
    legacy.check_return_values_on_failure(params, "returnValuesOnConditionCheckFailure")
    legacy.check_expected_operators(params.get("Expected"))


def _condition(params: Mapping[str, Any], holders: Placeholders) -> None:
    if params.get("ConditionExpression") is not None:
        check_condition("ConditionExpression", params["ConditionExpression"], holders)
    if "UpdateExpression" not in params:
        holders.check_unused()


__all__ = [
    "check_expected",
    "check_key_updates",
    "check_return_values",
    "check_update_size",
    "delete_item",
    "get_item",
    "put_item",
    "update_item",
]
