"""UpdateItem (and TransactWriteItems' Update) answered as DynamoDB does, in the strict layer.

Why the strict layer evaluates updates itself rather than patching moto: moto's update
executors differ from DynamoDB in many small ways (see :mod:`._update_eval`) and differ
again between the two moto families we support; a narrow patch per difference would touch
half of moto's update code. Instead, for one UpdateItem, with moto's process-wide lock held
so no other request runs in between:

1. read the item from moto's table (as GetItem with ConsistentRead answers it);
2. apply the update to it here (:func:`~._update_eval.apply_update`) and check the result
   (nesting, size, secondary index key types);
3. write the result back with the request's own condition: a PutItem of the new item, or a
   DeleteItem when there is no item (a missing item the update does not create). moto
   evaluates the condition against the same item that was read, so a failed condition
   answers exactly as before (``ConditionalCheckFailedException``, with the ``Item`` that
   ``ReturnValuesOnConditionCheckFailure=ALL_OLD`` asks for), and nothing is written;
4. answer ``Attributes`` as ``ReturnValues`` asks: UPDATED_OLD/UPDATED_NEW hold only the
   updated paths, and there is no ``Attributes`` key when there is nothing to return.

DynamoDB checks the condition before applying the update, so an update DynamoDB refuses
for this item is refused only after the condition held (the unchanged item is written back
with the condition, which is a no-op when it holds).

A TransactWriteItems with Update actions is rewritten the same way: each Update becomes the
Put (or Delete) of its result, with its condition, and moto runs the transaction as one.

The legacy ``AttributeUpdates`` parameter is applied the same way, by
:func:`~._legacy_updates.apply_attribute_updates`; a legacy ``Expected`` arrives here already
rewritten into a ``ConditionExpression`` (``_fidelity_conditions.rewrite_legacy``), so both
legacy parameters compose in one request.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from aiodynamodb.limits import MAX_ITEM_SIZE, MAX_NESTING_LEVELS
from aiodynamodb.rules import (
    Placeholders,
    TableSchema,
    TransactionCanceledError,
    check_condition,
    item_size,
    nesting_depth,
)
from aiodynamodb.rules import messages as msg
from aiodynamodb.testing import _moto
from aiodynamodb.testing._call import DynamoCall, DynamoResponse
from aiodynamodb.testing._chain import moto_terminal
from aiodynamodb.testing._legacy_updates import apply_attribute_updates
from aiodynamodb.testing._update_eval import (
    UpdateProblem,
    UpdateResult,
    apply_update,
    project,
)

__all__ = ["INDEX_KEY_UNSUPPORTED", "answer", "answer_transaction", "answer_update", "evaluates"]

INDEX_KEY_UNSUPPORTED = (
    "The update expression attempted to update the secondary index key to unsupported type"
)
"""DynamoDB's message when an update gives an index key attribute the wrong type (dynalite's
``test/updateItem.js``, checked against DynamoDB)."""

Describe = Callable[[str], "dict[str, Any] | None"]

_CONDITION_FIELDS = (
    "ConditionExpression",
    "Expected",
    "ConditionalOperator",
    "ReturnValuesOnConditionCheckFailure",
)
# What moto's UpdateItem answers about capacity; kept so that whatever normalises
# ConsumedCapacity after the strict layer sees the same answer as from moto.
_MOTO_UPDATE_CAPACITY = 0.5


def evaluates(call: DynamoCall) -> bool:
    """Whether :func:`answer_update` / :func:`answer_transaction` answer this call."""
    params = call.params
    if call.operation == "UpdateItem":
        return True
    if call.operation == "TransactWriteItems":
        actions = params.get("TransactItems") or ()
        return any(isinstance(a, Mapping) and "Update" in a for a in actions)
    return False


def answer(
    call: DynamoCall, describe: Describe, params: Mapping[str, Any] | None = None
) -> DynamoResponse:
    """Answer an UpdateItem or a TransactWriteItems that :func:`evaluates` accepted.

    Args:
        call: The call.
        describe: The table descriptions, by name.
        params: The UpdateItem's parameters to use instead of ``call.params`` (its legacy
            ``Expected`` rewritten as a ``ConditionExpression``).
    """
    if call.operation == "UpdateItem":
        return answer_update(call, describe, params)
    return answer_transaction(call, describe)


def _send(call: DynamoCall, operation: str, params: Mapping[str, Any]) -> DynamoResponse:
    body = json.dumps(params, separators=(",", ":")).encode()
    derived = DynamoCall(
        operation,
        body,
        region=call.region,
        account=call.account,
        source=call.source,
        terminal=moto_terminal,
    )
    return moto_terminal(derived)


def _read(call: DynamoCall, table: str, key: Any) -> dict[str, Any] | DynamoResponse | None:
    # Straight from moto's table (the caller holds moto's lock); GetItem where it cannot.
    stored = _moto.stored_item(call.account, call.region, table, key)
    if stored is not _moto.NOT_READ:
        return stored  # type: ignore[no-any-return]
    params = {"TableName": table, "Key": key, "ConsistentRead": True}
    response = _send(call, "GetItem", params)
    if response.is_error:
        return response
    item = response.body.get("Item")
    return item if isinstance(item, dict) else None


def _check_result(result: UpdateResult, old: Mapping[str, Any] | None, schema: TableSchema) -> None:
    """DynamoDB's checks of the item an update produced."""
    item = result.item
    if item is None:
        return
    if any(nesting_depth(value) > MAX_NESTING_LEVELS for value in item.values()):
        raise UpdateProblem(msg.NESTING_TOO_DEEP)
    if item_size(item) > MAX_ITEM_SIZE:
        raise UpdateProblem(msg.UPDATE_TOO_LARGE)
    for index in schema.indexes.values():
        for name in index.key_names:
            value = item.get(name)
            if value is None or (old is not None and old.get(name) == value):
                continue
            ((kind, text),) = value.items()
            if kind != schema.types.get(name):
                raise UpdateProblem(INDEX_KEY_UNSUPPORTED)
            if kind in ("S", "B") and not text:
                empty = "string" if kind == "S" else "binary"
                raise UpdateProblem(
                    msg.EMPTY_INDEX_KEY.format(kind=empty, index=index.name, name=name)
                )


def _evaluate(
    update: Mapping[str, Any], old: dict[str, Any] | None, schema: TableSchema
) -> UpdateResult:
    updates = update.get("AttributeUpdates")
    if isinstance(updates, Mapping) and update.get("UpdateExpression") is None:
        result = apply_attribute_updates(old, update["Key"], updates)
        _check_result(result, old, schema)
        return result
    result = apply_update(
        old,
        update["Key"],
        update.get("UpdateExpression"),
        update.get("ExpressionAttributeNames"),
        update.get("ExpressionAttributeValues"),
    )
    _check_result(result, old, schema)
    return result


def _conditional_write(
    update: Mapping[str, Any], target: dict[str, Any] | None
) -> tuple[str, dict[str, Any]]:
    """The Put (of ``target``) or Delete (no item) carrying the update's own condition."""
    write: dict[str, Any] = {"TableName": update["TableName"]}
    if target is None:
        operation = "Delete"
        write["Key"] = update["Key"]
    else:
        operation = "Put"
        write["Item"] = target
    for field in _CONDITION_FIELDS:
        if update.get(field) is not None:
            write[field] = update[field]
    expression = update.get("ConditionExpression")
    if isinstance(expression, str):
        # The update's placeholders are shared with its UpdateExpression; a write gets only
        # those its condition uses (DynamoDB refuses unused ones).
        holders = Placeholders(
            update.get("ExpressionAttributeNames"), update.get("ExpressionAttributeValues")
        )
        check_condition("ConditionExpression", expression, holders)
        if holders.used_names:
            write["ExpressionAttributeNames"] = {k: holders.names[k] for k in holders.used_names}
        if holders.used_values:
            write["ExpressionAttributeValues"] = {k: holders.values[k] for k in holders.used_values}
    return operation, write


def _has_condition(update: Mapping[str, Any]) -> bool:
    return update.get("ConditionExpression") is not None or bool(update.get("Expected"))


def answer_update(
    call: DynamoCall, describe: Describe, params: Mapping[str, Any] | None = None
) -> DynamoResponse:
    """Answer an UpdateItem (see the module docstring); ``call.params`` passed the rules.

    ``params``, when given, stands for ``call.params`` (see :func:`answer`).
    """
    if params is None:
        params = call.params
    description = describe(params["TableName"])
    if description is None:
        return call.terminal()  # moto answers for a missing table
    schema = TableSchema(description)
    with _moto.backend_lock():
        old = _read(call, params["TableName"], params["Key"])
        if isinstance(old, DynamoResponse):
            return old
        problem: UpdateProblem | None = None
        try:
            result = _evaluate(params, old, schema)
            target = result.item
        except UpdateProblem as error:
            problem, target = error, old
        if target != old or _has_condition(params):
            operation, write = _conditional_write(params, target)
            written = _send(call, operation + "Item", write)
            if written.is_error:
                return written
    if problem is not None:
        return DynamoResponse.validation_error(problem.message)
    return DynamoResponse(200, _answer(params, old, result))


def _answer(
    params: Mapping[str, Any], old: dict[str, Any] | None, result: UpdateResult
) -> dict[str, Any]:
    returns = params.get("ReturnValues") or "NONE"
    attributes: dict[str, Any] | None = None
    if returns == "ALL_OLD":
        attributes = old
    elif returns == "ALL_NEW":
        attributes = result.item
    elif returns == "UPDATED_OLD":
        attributes = project(old, result.paths)
    elif returns == "UPDATED_NEW":
        attributes = project(result.item, result.paths)
    body: dict[str, Any] = {}
    if attributes:
        body["Attributes"] = attributes
    body["ConsumedCapacity"] = {
        "TableName": params["TableName"],
        "CapacityUnits": _MOTO_UPDATE_CAPACITY,
    }
    return body


def answer_transaction(call: DynamoCall, describe: Describe) -> DynamoResponse:
    """Answer a TransactWriteItems with Update actions, each as its Put or Delete."""
    params = call.params
    actions: list[Any] = list(params["TransactItems"])
    with _moto.backend_lock():
        rewritten: list[Any] = []
        for position, action in enumerate(actions):
            update = action.get("Update") if isinstance(action, Mapping) else None
            description = describe(update["TableName"]) if isinstance(update, Mapping) else None
            if update is None or description is None:
                rewritten.append(action)
                continue
            old = _read(call, update["TableName"], update["Key"])
            if isinstance(old, DynamoResponse):
                return old
            try:
                result = _evaluate(update, old, TableSchema(description))
            except UpdateProblem as error:
                return _cancelled(len(actions), position, error.message)
            operation, write = _conditional_write(update, result.item)
            rewritten.append({operation: write})
        return _send(call, "TransactWriteItems", dict(params, TransactItems=rewritten))


def _cancelled(count: int, position: int, message: str) -> DynamoResponse:
    """DynamoDB cancels a transaction whose update it refuses, with a ValidationError reason
    for that action (TransactWriteItems' API reference, "ValidationError")."""
    reasons = [{"Code": "None"} for _ in range(count)]
    reasons[position] = {"Code": "ValidationError", "Message": message}
    return DynamoResponse.from_client_error(TransactionCanceledError(reasons, "TransactWriteItems"))
