"""Rules of BatchGetItem, BatchWriteItem, TransactGetItems and TransactWriteItems.

DynamoDB checks a whole batch or transaction before running any of it, so one bad request
refuses all of them: nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiodynamodb.limits import (
    MAX_BATCH_GET_KEYS as MAX_BATCH_GET,
)
from aiodynamodb.limits import (
    MAX_BATCH_WRITE_REQUESTS as MAX_BATCH_WRITE,
)
from aiodynamodb.limits import (
    MAX_TRANSACTION_ACTIONS as MAX_TRANSACTION,
)
from aiodynamodb.rules import _legacy as legacy
from aiodynamodb.rules import messages as msg
from aiodynamodb.rules._context import Request
from aiodynamodb.rules._expression_checks import check_condition, check_projection, check_update
from aiodynamodb.rules._items import check_key_updates
from aiodynamodb.rules._key_schema import (
    check_item_keys,
    check_key,
    check_table_name,
    constraint,
    constraint_problem,
    item_key,
)
from aiodynamodb.rules._problems import Problem, cancellation
from aiodynamodb.rules._read_bounds import check_batch_get_keys
from aiodynamodb.rules._transaction_rules import check_transaction_request, check_transaction_size

_ACTIONS = ("ConditionCheck", "Put", "Delete", "Update")


def batch_get_item(request: Request) -> None:
    """BatchGetItem."""
    items = request.params.get("RequestItems")
    if not isinstance(items, Mapping) or not items:
        raise Problem(msg.BATCH_GET_REQUIRED)
    for table, spec in items.items():
        keys = spec.get("Keys") if isinstance(spec, Mapping) else None
        check_batch_get_keys(table, keys)
        if isinstance(keys, list) and len(keys) > MAX_BATCH_GET:
            raise constraint_problem(
                [_member_constraint(f"RequestItems.{table}.member.Keys", MAX_BATCH_GET)]
            )
    total = sum(len(spec.get("Keys") or ()) for spec in items.values() if isinstance(spec, Mapping))
    if total > MAX_BATCH_GET:
        raise Problem(msg.BATCH_GET_TOO_MANY)
    for table, spec in items.items():
        check_table_name(table, "requestItems")
        if not isinstance(spec, Mapping):
            continue
        holders = request.placeholders(spec, ("ProjectionExpression",), ("AttributesToGet",))
        for key in spec.get("Keys") or ():
            request.check_values(key)
        if spec.get("ProjectionExpression") is not None:
            check_projection(spec["ProjectionExpression"], holders)
        holders.check_unused()
    for table, spec in items.items():
        schema = request.schema(table)
        if schema is None or not isinstance(spec, Mapping):
            continue
        seen = set()
        for key in spec.get("Keys") or ():
            check_key(key, schema)
            identity = item_key(key, schema)
            if identity in seen:
                raise Problem(msg.BATCH_DUPLICATES)
            seen.add(identity)


def batch_write_item(request: Request) -> None:
    """BatchWriteItem."""
    items = request.params.get("RequestItems")
    if not isinstance(items, Mapping) or not items:
        raise Problem(msg.BATCH_WRITE_REQUIRED)
    for table, writes in items.items():
        check_table_name(table, "requestItems")
        count = len(writes) if isinstance(writes, list) else 0
        if count > MAX_BATCH_WRITE:
            # The newer of DynamoDB's two wordings; the older one echoes the whole request.
            raise constraint_problem(
                [_member_constraint(f"RequestItems.{table}.member", MAX_BATCH_WRITE)]
            )
        if count == 0:
            raise constraint_problem(
                [constraint(f"{{{table}=[]}}", "requestItems", msg.MAP_VALUE_LENGTH)]
            )
    total = sum(len(writes) for writes in items.values() if isinstance(writes, list))
    if total > MAX_BATCH_WRITE:
        raise Problem(msg.BATCH_WRITE_TOO_MANY)
    for writes in items.values():
        for write in writes:
            if not isinstance(write, Mapping) or len(write) != 1:
                raise Problem(msg.MULTIPLE_AV if write else msg.EMPTY_AV)
            put = write.get("PutRequest")
            if isinstance(put, Mapping):
                request.check_item(put.get("Item"))
            delete = write.get("DeleteRequest")
            if isinstance(delete, Mapping):
                request.check_values(delete.get("Key"))
    for table, writes in items.items():
        schema = request.schema(table)
        if schema is None:
            continue
        seen = set()
        for write in writes:
            put = write.get("PutRequest")
            if isinstance(put, Mapping):
                item = put.get("Item")
                if not isinstance(item, Mapping):
                    raise Problem(msg.KEY_MISMATCH)
                check_item_keys(item, schema, batch=True)
                identity = item_key(item, schema)
            else:
                key = (write.get("DeleteRequest") or {}).get("Key")
                check_key(key, schema)
                identity = item_key(key, schema) if isinstance(key, Mapping) else ()
            if identity in seen:
                raise Problem(msg.BATCH_DUPLICATES)
            seen.add(identity)


def _member_constraint(path: str, most: int) -> str:
    return f"Value at '{path}' failed to satisfy constraint: " + msg.LENGTH_AT_MOST.format(n=most)


def _transaction_length(actions: Any) -> list[Any]:
    if not isinstance(actions, list) or not actions:
        raise constraint_problem(
            [constraint("[]", "transactItems", msg.LENGTH_AT_LEAST.format(n=1))]
        )
    if len(actions) > MAX_TRANSACTION:
        raise constraint_problem([_member_constraint("TransactItems", MAX_TRANSACTION)])
    return actions


def transact_get_items(request: Request) -> None:
    """TransactGetItems."""
    actions = _transaction_length(request.params.get("TransactItems"))
    gets = []
    for action in actions:
        get = action.get("Get") if isinstance(action, Mapping) else None
        if not isinstance(get, Mapping):
            continue
        check_table_name(get.get("TableName"))
        holders = request.placeholders(get, ("ProjectionExpression",), ())
        request.check_values(get.get("Key"))
        if get.get("ProjectionExpression") is not None:
            check_projection(get["ProjectionExpression"], holders)
        holders.check_unused()
        gets.append(get)
    for position, get in enumerate(gets):
        schema = request.schema(get.get("TableName"))
        if schema is None:
            continue
        try:
            check_key(get.get("Key"), schema)
        except Problem as problem:
            if problem.message.startswith(msg.NOT_VALID):
                raise
            raise cancellation(len(gets), position, problem.message) from None


def transact_write_items(request: Request) -> None:
    """TransactWriteItems."""
    check_transaction_request(request.params)
    actions = _transaction_length(request.params.get("TransactItems"))
    bodies: list[tuple[str, Mapping[str, Any]]] = []
    for action in actions:
        if not isinstance(action, Mapping):
            continue
        for kind in _ACTIONS:
            body = action.get(kind)
            if isinstance(body, Mapping):
                bodies.append((kind, body))
                break
    update_facts: dict[int, Any] = {}
    for position, (kind, body) in enumerate(bodies):
        legacy.check_return_values_on_failure(
            body,
            f"transactItems.{position + 1}.member.{kind[0].lower() + kind[1:]}"
            ".returnValuesOnConditionCheckFailure",
        )
    for position, (kind, body) in enumerate(bodies):
        check_table_name(body.get("TableName"))
        if kind == "Update":
            expressions: tuple[str, ...] = ("UpdateExpression", "ConditionExpression")
        else:
            expressions = ("ConditionExpression",)
        holders = request.placeholders(body, expressions, ())
        if kind == "Put":
            request.check_item(body.get("Item"))
        else:
            request.check_values(body.get("Key"))
        if kind == "Update" and body.get("UpdateExpression") is not None:
            update_facts[position] = check_update(body["UpdateExpression"], holders)
        if body.get("ConditionExpression") is not None:
            check_condition("ConditionExpression", body["ConditionExpression"], holders)
        holders.check_unused()
    seen = set()
    for position, (kind, body) in enumerate(bodies):
        schema = request.schema(body.get("TableName"))
        if schema is None:
            continue
        target = body.get("Item") if kind == "Put" else body.get("Key")
        try:
            if kind == "Put":
                if not isinstance(target, Mapping):
                    raise Problem(msg.KEY_MISMATCH)
                check_item_keys(target, schema)
            else:
                check_key(target, schema)
        except Problem as problem:
            if problem.message.startswith(msg.NOT_VALID):
                raise
            raise cancellation(len(bodies), position, problem.message) from None
        identity = (
            body.get("TableName"),
            item_key(target, schema) if isinstance(target, Mapping) else (),
        )
        if identity in seen:
            raise Problem(msg.TRANSACTION_SAME_ITEM)
        seen.add(identity)
        if position in update_facts:
            check_key_updates(update_facts[position], schema)
    check_transaction_size(request.params)


__all__ = ["batch_get_item", "batch_write_item", "transact_get_items", "transact_write_items"]
