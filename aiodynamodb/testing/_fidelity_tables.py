"""The strict layer's fixes of table descriptions and statuses.

What DynamoDB's table descriptions carry that moto's lack (Alternator's
``test_describe_table.py``, ``test_table.py``, ``test_gsi.py`` and ``test_lsi.py``, run on
AWS):

- ``TableId``, a UUID fixed for the table's life (also in DeleteTable's answer);
- ``IndexArn`` on every GSI and LSI: the table's ARN + ``/index/`` + the index name;
- ``IndexSizeBytes`` and ``ItemCount`` on every GSI and LSI (0: DynamoDB refreshes them about
  every six hours);
- ``BillingModeSummary.LastUpdateToPayPerRequestDateTime`` on an on-demand table: its
  creation time, or when UpdateTable switched it to on demand.

Statuses as AWS reports them: CreateTable answers ``CREATING`` (its GSIs too), UpdateTable
``UPDATING`` (a GSI it adds ``CREATING``), DeleteTable ``DELETING`` with the short
description DynamoDB gives (no ``CreationDateTime``, ``KeySchema``,
``AttributeDefinitions`` or index lists). DescribeTable shows ``CREATING``/``UPDATING``
(a new GSI ``CREATING`` with ``Backfilling``) for :func:`table_transition` seconds after
the change, then ``ACTIVE``. The transition is 0 by default: the in-memory tables are ready
at once, so nothing that creates tables and waits for them (``db.create_table``, the plugin,
``mock_dynamodb``) waits at all; a test of waiting code turns it on.
"""

from __future__ import annotations

import time
import uuid
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from aiodynamodb.rules import messages as msg
from aiodynamodb.testing._call import DynamoCall, DynamoResponse

TABLE_OPERATIONS = frozenset({"CreateTable", "DeleteTable", "DescribeTable", "UpdateTable"})
"""The operations whose answers :class:`TableStates` fixes."""

_transition = [0.0]


@contextmanager
def table_transition(seconds: float) -> Iterator[None]:
    """Show new and updated tables as ``CREATING``/``UPDATING`` for ``seconds`` (in a block).

    For tests of code that waits for a table (a botocore waiter, ``db.create_table``):
    DescribeTable answers ``CREATING`` for ``seconds`` after CreateTable, ``UPDATING`` after
    UpdateTable, then ``ACTIVE``. Process-wide while the block runs (the server backend's
    thread sees it too); the default is 0 (ready at once).

    Args:
        seconds: How long a change takes; at least 0.
    """
    if seconds < 0:
        raise ValueError(f"table_transition(): seconds must be >= 0, got {seconds!r}")
    previous = _transition[0]
    _transition[0] = float(seconds)
    try:
        yield
    finally:
        _transition[0] = previous


def _indexes(description: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for field in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        found.extend(i for i in description.get(field) or () if isinstance(i, dict))
    return found


class TableStates:
    """What the strict layer remembers of each moto table (weakly: a reset forgets it).

    Args:
        clock: Seconds as a float, for the transition.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._ids: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()
        self._created: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()
        self._updated: weakref.WeakKeyDictionary[Any, tuple[float, frozenset[str]]] = (
            weakref.WeakKeyDictionary()
        )
        self._on_demand_since: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()

    def before(self, call: DynamoCall, backend: Any) -> Any:
        """What the fix needs to know from before the request: the table, its indexes."""
        if call.operation not in ("DeleteTable", "UpdateTable"):
            return None
        table = backend.table(call.params.get("TableName"))
        if table is None:
            return None
        gsis = frozenset(i.name for i in getattr(table, "global_indexes", ()))
        return table, gsis, getattr(table, "billing_mode", None)

    def fix(self, call: DynamoCall, response: DynamoResponse, backend: Any, before: Any) -> None:
        """Fix a successful table operation's answer (see the module docstring)."""
        operation = call.operation
        body = response.body
        key = "Table" if operation == "DescribeTable" else "TableDescription"
        description = body.get(key)
        if not isinstance(description, dict):
            return
        table = before[0] if before is not None else backend.table(description.get("TableName"))
        if table is None:
            return
        now = self.clock()
        if operation == "CreateTable":
            self._created[table] = now
        elif operation == "UpdateTable" and before is not None:
            added = frozenset(i.name for i in getattr(table, "global_indexes", ())) - before[1]
            self._updated[table] = (now, added)
            if before[2] != "PAY_PER_REQUEST" and call.params.get("BillingMode") == (
                "PAY_PER_REQUEST"
            ):
                self._on_demand_since[table] = time.time()
        self._describe(table, description)
        self._status(operation, table, description, now)
        if operation == "DeleteTable":
            for field in (
                "CreationDateTime",
                "KeySchema",
                "AttributeDefinitions",
                "GlobalSecondaryIndexes",
                "LocalSecondaryIndexes",
            ):
                description.pop(field, None)
            # An on-demand table reports zero provisioned throughput here (Alternator's
            # test_delete_table_description, run against DynamoDB).
            description.setdefault(
                "ProvisionedThroughput",
                {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 0, "WriteCapacityUnits": 0},
            )
        response.body = body

    def _describe(self, table: Any, description: dict[str, Any]) -> None:
        if table not in self._ids:
            self._ids[table] = str(uuid.uuid4())
        description["TableId"] = self._ids[table]
        arn = description.get("TableArn")
        if isinstance(arn, str):
            for index in _indexes(description):
                index["IndexArn"] = f"{arn}/index/{index.get('IndexName')}"
        for index in _indexes(description):
            # DynamoDB describes every index with its size and count, refreshed about every
            # six hours (DescribeTable's reference), so a new index reports 0.
            index.setdefault("IndexSizeBytes", 0)
            index.setdefault("ItemCount", 0)
        summary = description.get("BillingModeSummary")
        if isinstance(summary, dict) and summary.get("BillingMode") == "PAY_PER_REQUEST":
            since = self._on_demand_since.get(table, description.get("CreationDateTime"))
            if since is not None:
                summary["LastUpdateToPayPerRequestDateTime"] = since

    def _status(self, operation: str, table: Any, description: dict[str, Any], now: float) -> None:
        gsis = [i for i in description.get("GlobalSecondaryIndexes") or () if isinstance(i, dict)]
        if operation == "DeleteTable":
            description["TableStatus"] = "DELETING"
            return
        transition = _transition[0]
        created = self._created.get(table)
        creating = operation == "CreateTable" or (
            operation == "DescribeTable" and created is not None and now - created < transition
        )
        if creating:
            description["TableStatus"] = "CREATING"
            for index in gsis:
                index["IndexStatus"] = "CREATING"
            return
        updated = self._updated.get(table)
        updating = operation == "UpdateTable" or (
            operation == "DescribeTable" and updated is not None and now - updated[0] < transition
        )
        if updating and updated is not None:
            description["TableStatus"] = "UPDATING"
            for index in gsis:
                if index.get("IndexName") in updated[1]:
                    index["IndexStatus"] = "CREATING"
                    if operation == "DescribeTable":
                        index["Backfilling"] = True


def table_not_found(call: DynamoCall, response: DynamoResponse) -> DynamoResponse:
    """moto's ``ResourceNotFound`` (its TTL operations: not a DynamoDB code) as DynamoDB's."""
    if response.error_code != "ResourceNotFound":
        return response
    name = call.params.get("TableName")
    return DynamoResponse.error("ResourceNotFoundException", msg.TABLE_NOT_FOUND.format(name=name))


__all__ = ["TABLE_OPERATIONS", "TableStates", "table_not_found", "table_transition"]
