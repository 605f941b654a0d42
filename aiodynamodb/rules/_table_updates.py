"""Rules of UpdateTable and ListTables.

Sources: dynalite's ``validations/updateTable.js`` (messages checked against DynamoDB),
Alternator's ``test_gsi_updatetable.py`` (run on AWS: the error codes), and botocore's
service model (``ListTablesInputLimit`` 1..100).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiodynamodb.rules import messages as msg
from aiodynamodb.rules._context import Request
from aiodynamodb.rules._key_schema import (
    check_table_name,
    constraint_problem,
    name_constraints,
    range_constraints,
)
from aiodynamodb.rules._path_limits import key_name_constraints
from aiodynamodb.rules._problems import Problem

# What an UpdateTable may change: one of them must be given (an empty index list is nothing).
_CHANGES = (
    "ProvisionedThroughput",
    "BillingMode",
    "StreamSpecification",
    "SSESpecification",
    "ReplicaUpdates",
    "TableClass",
    "DeletionProtectionEnabled",
    "OnDemandThroughput",
    "WarmThroughput",
    "MultiRegionConsistency",
    "GlobalTableWitnessUpdates",
)
_INDEX_ACTIONS = ("Create", "Update", "Delete")
_MAX_LIST_TABLES = 100


def _index_name(update: Mapping[str, Any]) -> Any:
    for action in _INDEX_ACTIONS:
        body = update.get(action)
        if isinstance(body, Mapping):
            return body.get("IndexName")
    return None


def _index_updates(request: Request, updates: list[Any]) -> None:
    seen: set[Any] = set()
    online = 0
    for update in updates:
        if not isinstance(update, Mapping) or not any(
            isinstance(update.get(action), Mapping) for action in _INDEX_ACTIONS
        ):
            raise Problem(msg.INDEX_UPDATE_EMPTY)
        name = _index_name(update)
        if name in seen:
            raise Problem(msg.INDEX_UPDATE_TWICE.format(name=name))
        seen.add(name)
        online += sum(1 for action in ("Create", "Delete") if update.get(action) is not None)
    if online > 1:
        raise Problem(msg.ONE_ONLINE_INDEX, code="LimitExceededException")
    definitions = [
        d.get("AttributeName")
        for d in request.params.get("AttributeDefinitions") or ()
        if isinstance(d, Mapping)
    ]
    described = request.describe(str(request.params.get("TableName")))
    gsis = {i.get("IndexName") for i in (described or {}).get("GlobalSecondaryIndexes") or ()}
    lsis = {i.get("IndexName") for i in (described or {}).get("LocalSecondaryIndexes") or ()}
    for update in updates:
        create = update.get("Create")
        if isinstance(create, Mapping):
            keys = [
                e.get("AttributeName")
                for e in create.get("KeySchema") or ()
                if isinstance(e, Mapping)
            ]
            # The new index's keys must be defined in this request, even a table key.
            if any(key not in definitions for key in keys):
                raise Problem(
                    msg.KEYS_NOT_DEFINED.format(
                        keys=", ".join(map(str, keys)),
                        definitions=", ".join(map(str, definitions)),
                    )
                )
            if described is not None and create.get("IndexName") in gsis | lsis:
                raise Problem(msg.INDEX_EXISTS)
        if described is None:
            continue
        for action in ("Update", "Delete"):
            body = update.get(action)
            if isinstance(body, Mapping) and body.get("IndexName") not in gsis:
                raise Problem(msg.NOT_FOUND, code="ResourceNotFoundException")


def update_table(request: Request) -> None:
    """UpdateTable."""
    params = request.params
    check_table_name(params.get("TableName"))
    too_long = key_name_constraints(params)
    if too_long:
        raise constraint_problem(too_long)
    updates = params.get("GlobalSecondaryIndexUpdates")
    if not updates and all(params.get(name) is None for name in _CHANGES):
        raise Problem(msg.UPDATE_TABLE_NOTHING)
    billing = params.get("BillingMode")
    if billing == "PROVISIONED" and not params.get("ProvisionedThroughput"):
        raise Problem(msg.UPDATE_PROVISIONED_NEEDS_THROUGHPUT)
    if params.get("ProvisionedThroughput") is not None:
        described = request.describe(str(params.get("TableName"))) or {}
        current = (described.get("BillingModeSummary") or {}).get("BillingMode")
        if (billing or current) == "PAY_PER_REQUEST":
            raise Problem(msg.ON_DEMAND_WITH_THROUGHPUT)
    if isinstance(updates, list):
        _index_updates(request, updates)


def list_tables(request: Request) -> None:
    """ListTables: ``Limit`` 1..100, a valid ``ExclusiveStartTableName``."""
    params = request.params
    problems = []
    start = params.get("ExclusiveStartTableName")
    if start is not None:
        problems.extend(name_constraints(start, "exclusiveStartTableName"))
    problems.extend(range_constraints(params.get("Limit"), "limit", 1, _MAX_LIST_TABLES))
    if problems:
        raise constraint_problem(problems)


__all__ = ["list_tables", "update_table"]
