"""Capacity as DynamoDB consumes it, measured at the in-memory backend.

moto answers ``ConsumedCapacity`` its own way: always on UpdateItem and BatchGetItem, as
``[]`` on TransactWriteItems, 0.5 units whatever the item. DynamoDB returns it only when
the request's ``ReturnConsumedCapacity`` is ``TOTAL`` or ``INDEXES`` (API reference,
"ConsumedCapacity"), with units from the Developer Guide's "Read/write capacity unit
consumption":

- reads: each item's size rounded up to 4 KB, one unit per 4 KB for a strongly consistent
  read, half that for an eventually consistent one (the default), twice for a transaction.
  A read of a missing item still costs the minimum. Query and Scan add up the sizes of every
  item they *evaluated* (a filter does not lower the cost, nor does a projection or
  ``Select=COUNT``) and round the sum once; BatchGetItem rounds each item;
- writes: one unit per 1 KB of the larger of the item before and after the write (a
  delete: the item deleted; at least one unit), twice for a transaction. Each secondary
  index whose entry the write puts, changes or removes costs its own write of the projected
  entry's size; a change of the index's key attribute is two writes (delete and put).
  Sizes are DynamoDB's (:func:`aiodynamodb.rules.item_size`); the index entry's storage
  overhead of 100 bytes is not counted.

The strict layer calls :func:`start` before a request goes to moto and
:meth:`Meter.settle` on the answer: the measured :class:`TableCapacity` list is put on the
response (``response.capacity``) for the recorder, and the body carries DynamoDB's
``ConsumedCapacity`` only when it was asked for. Measuring costs extra reads of moto (the
items a write replaces, the items a filtered page evaluated), so it runs only when the
request asks or a :func:`wanted` block (the call recorder) is active.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from aiodynamodb.rules import item_size
from aiodynamodb.testing import _moto
from aiodynamodb.testing._call import DynamoCall, DynamoResponse

READ_UNIT_BYTES = 4096
WRITE_UNIT_BYTES = 1024
_MODES = frozenset({"TOTAL", "INDEXES"})
_READS = frozenset({"GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems"})
_WRITES = frozenset({"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"})
_LISTED = frozenset({"BatchGetItem", "BatchWriteItem", "TransactGetItems", "TransactWriteItems"})
_PAGE_ONLY = (
    "FilterExpression",
    "QueryFilter",
    "ScanFilter",
    "ConditionalOperator",
    "ProjectionExpression",
    "AttributesToGet",
    "Select",
    "ReturnConsumedCapacity",
)

Describe = Callable[[str], "dict[str, Any] | None"]
Item = dict[str, Any]

_lock = threading.Lock()
_wanted = 0


@contextmanager
def wanted() -> Iterator[None]:
    """Measure every request while the block runs (asked for or not), in every thread."""
    global _wanted
    with _lock:
        _wanted += 1
    try:
        yield
    finally:
        with _lock:
            _wanted -= 1


@dataclass(slots=True)
class TableCapacity:
    """What one request consumed on one table.

    Attributes:
        table: The table's name.
        read: Read units (table and indexes).
        write: Write units (table and indexes).
        table_units: Units of the table itself.
        global_indexes: Units per global secondary index touched.
        local_indexes: Units per local secondary index touched.
    """

    table: str
    read: float = 0.0
    write: float = 0.0
    table_units: float = 0.0
    global_indexes: dict[str, float] = field(default_factory=dict)
    local_indexes: dict[str, float] = field(default_factory=dict)

    def add(self, units: float, *, write: bool, index: tuple[str, bool] | None = None) -> None:
        """Add units to the table or to ``index`` (its name and whether it is global)."""
        if write:
            self.write += units
        else:
            self.read += units
        if index is None:
            self.table_units += units
            return
        name, is_global = index
        into = self.global_indexes if is_global else self.local_indexes
        into[name] = into.get(name, 0.0) + units

    def wire(self, mode: str) -> dict[str, Any]:
        """DynamoDB's ``ConsumedCapacity`` object for ``mode`` (TOTAL or INDEXES)."""
        body: dict[str, Any] = {"TableName": self.table, "CapacityUnits": self.read + self.write}
        if mode == "INDEXES":
            body["Table"] = {"CapacityUnits": self.table_units}
            if self.global_indexes:
                body["GlobalSecondaryIndexes"] = {
                    name: {"CapacityUnits": units} for name, units in self.global_indexes.items()
                }
            if self.local_indexes:
                body["LocalSecondaryIndexes"] = {
                    name: {"CapacityUnits": units} for name, units in self.local_indexes.items()
                }
        return body


def read_units(size: int, *, consistent: bool, transactional: bool = False) -> float:
    """Read units for ``size`` bytes read at once (at least one 4 KB unit)."""
    units = max(1, math.ceil(size / READ_UNIT_BYTES))
    if transactional:
        return 2.0 * units
    return float(units) if consistent else units / 2


def write_units(size: int, *, transactional: bool = False) -> float:
    """Write units for an item of ``size`` bytes (at least one 1 KB unit)."""
    units = max(1, math.ceil(size / WRITE_UNIT_BYTES))
    return 2.0 * units if transactional else float(units)


class _Schema:
    """One table's keys and indexes, from the strict layer's description."""

    def __init__(self, description: Mapping[str, Any]) -> None:
        self.keys = [k["AttributeName"] for k in description["KeySchema"]]
        self.indexes: list[tuple[str, bool, list[str], Mapping[str, Any]]] = []
        for kind, is_global in (("GlobalSecondaryIndexes", True), ("LocalSecondaryIndexes", False)):
            for index in description.get(kind) or ():
                names = [k["AttributeName"] for k in index["KeySchema"]]
                self.indexes.append((index["IndexName"], is_global, names, index["Projection"]))

    def key_of(self, item: Mapping[str, Any]) -> Item:
        return {name: item[name] for name in self.keys if name in item}

    def index(self, name: str) -> tuple[str, bool, list[str], Mapping[str, Any]] | None:
        for index in self.indexes:
            if index[0] == name:
                return index
        return None

    def entry(
        self, item: Item | None, index: tuple[str, bool, list[str], Mapping[str, Any]]
    ) -> Item | None:
        """The item as the index holds it, or None when the index does not hold it."""
        _, _, names, projection = index
        if item is None or any(name not in item for name in names):
            return None
        kind = projection.get("ProjectionType", "ALL")
        if kind == "ALL":
            return item
        kept = set(self.keys) | set(names)
        if kind == "INCLUDE":
            kept |= set(projection.get("NonKeyAttributes") or ())
        return {name: value for name, value in item.items() if name in kept}


def _size(item: Mapping[str, Any] | None) -> int:
    return 0 if item is None else item_size(item)


class Meter:
    """Measures one request (see the module docstring)."""

    def __init__(self, call: DynamoCall, describe: Describe, mode: str | None) -> None:
        self.call = call
        self.describe = describe
        self.mode = mode
        self.params = call.params
        self._schemas: dict[str, _Schema | None] = {}
        # (table, key) -> the item before the write, read before the request went to moto
        self.before: dict[tuple[str, str], Item | None] = {}

    def schema(self, table: str) -> _Schema | None:
        if table not in self._schemas:
            description = self.describe(table)
            self._schemas[table] = None if description is None else _Schema(description)
        return self._schemas[table]

    def _get(self, table: str, key: Mapping[str, Any]) -> Item | None:
        status, raw = _moto.dispatch(
            "GetItem",
            {"TableName": table, "Key": key, "ConsistentRead": True},
            region=self.call.region,
            account=self.call.account,
        )
        if status != 200:
            return None
        item = json.loads(raw).get("Item")
        return item if isinstance(item, dict) else None

    def _writes(self) -> Iterator[tuple[str, Item]]:
        """(table, key) of every item the request writes."""
        params, operation = self.params, self.call.operation
        if operation in ("PutItem", "UpdateItem", "DeleteItem"):
            table = params.get("TableName", "")
            schema = self.schema(table)
            source = params.get("Item") if operation == "PutItem" else params.get("Key")
            if schema is not None and isinstance(source, dict):
                yield table, schema.key_of(source)
        elif operation == "BatchWriteItem":
            for table, requests in (params.get("RequestItems") or {}).items():
                schema = self.schema(table)
                for request in requests:
                    put, delete = request.get("PutRequest"), request.get("DeleteRequest")
                    source = put.get("Item") if put else delete.get("Key") if delete else None
                    if schema is not None and isinstance(source, dict):
                        yield table, schema.key_of(source)
        elif operation == "TransactWriteItems":
            for action in params.get("TransactItems") or ():
                for kind in ("Put", "Update", "Delete"):
                    body = action.get(kind)
                    if body is None:
                        continue
                    table = body.get("TableName", "")
                    schema = self.schema(table)
                    source = body.get("Item") if kind == "Put" else body.get("Key")
                    if schema is not None and isinstance(source, dict):
                        yield table, schema.key_of(source)

    def prepare(self) -> None:
        """Read the items the request is about to replace."""
        for table, key in self._writes():
            self.before[(table, _key_text(key))] = self._get(table, key)

    def settle(self, response: DynamoResponse) -> None:
        """Measure an answered request: ``response.capacity``, and the body DynamoDB sends."""
        if response.is_error:
            return
        operation = self.call.operation
        tables: dict[str, TableCapacity] = {}
        if operation in _WRITES:
            self._measure_writes(response, tables)
        else:
            self._measure_reads(response, tables)
        measured = list(tables.values())
        response.capacity = measured
        body = response.body
        _strip(self.params, body)
        if self.mode is not None:
            entries = [entry.wire(self.mode) for entry in measured]
            if operation in _LISTED:
                body["ConsumedCapacity"] = entries
            elif entries:
                body["ConsumedCapacity"] = entries[0]
        response.body = body

    def _measure_writes(self, response: DynamoResponse, tables: dict[str, TableCapacity]) -> None:
        transactional = self.call.operation == "TransactWriteItems"
        skipped = self._unprocessed_writes(response)
        for table, key in self._writes():
            schema = self.schema(table)
            if schema is None or (table, _key_text(key)) in skipped:
                continue
            before = self.before.get((table, _key_text(key)))
            after = self._get(table, key)
            usage = tables.setdefault(table, TableCapacity(table))
            size = max(_size(before), _size(after))
            usage.add(write_units(size, transactional=transactional), write=True)
            for index in schema.indexes:
                old, new = schema.entry(before, index), schema.entry(after, index)
                if old == new:  # not in the index, or its entry did not change
                    continue
                names = index[2]
                if old is not None and new is not None:
                    moved = any(old[name] != new[name] for name in names)
                    cost = (
                        write_units(_size(old), transactional=transactional)
                        + write_units(_size(new), transactional=transactional)
                        if moved
                        else write_units(max(_size(old), _size(new)), transactional=transactional)
                    )
                else:
                    cost = write_units(_size(old or new), transactional=transactional)
                usage.add(cost, write=True, index=(index[0], index[1]))

    def _unprocessed_writes(self, response: DynamoResponse) -> set[tuple[str, str]]:
        """(table, key) of the batch writes answered as unprocessed: DynamoDB charges only
        the requests it processed."""
        skipped: set[tuple[str, str]] = set()
        for table, requests in (response.body.get("UnprocessedItems") or {}).items():
            schema = self.schema(table)
            if schema is None:
                continue
            for request in requests:
                put, delete = request.get("PutRequest"), request.get("DeleteRequest")
                source = put.get("Item") if put else delete.get("Key") if delete else None
                if isinstance(source, dict):
                    skipped.add((table, _key_text(schema.key_of(source))))
        return skipped

    def _measure_reads(self, response: DynamoResponse, tables: dict[str, TableCapacity]) -> None:
        params, operation = self.params, self.call.operation
        if operation == "GetItem":
            table = params.get("TableName", "")
            if self.schema(table) is None:
                return
            item = self._get(table, params.get("Key") or {})
            units = read_units(_size(item), consistent=bool(params.get("ConsistentRead")))
            tables.setdefault(table, TableCapacity(table)).add(units, write=False)
        elif operation == "BatchGetItem":
            for table, request in (params.get("RequestItems") or {}).items():
                if self.schema(table) is None:
                    continue
                usage = tables.setdefault(table, TableCapacity(table))
                consistent = bool(request.get("ConsistentRead"))
                found = {
                    _key_text(self.schema(table).key_of(item)): item  # type: ignore[union-attr]
                    for item in (response.body.get("Responses") or {}).get(table) or ()
                }
                unprocessed = (response.body.get("UnprocessedKeys") or {}).get(table) or {}
                skipped = {_key_text(key) for key in unprocessed.get("Keys") or ()}
                for key in request.get("Keys") or ():
                    text = _key_text(key)
                    if text in skipped:
                        continue
                    item = self._get(table, key) if text in found else None
                    usage.add(read_units(_size(item), consistent=consistent), write=False)
        elif operation == "TransactGetItems":
            for action in params.get("TransactItems") or ():
                get = action.get("Get") or {}
                table = get.get("TableName", "")
                if self.schema(table) is None:
                    continue
                item = self._get(table, get.get("Key") or {})
                units = read_units(_size(item), consistent=True, transactional=True)
                tables.setdefault(table, TableCapacity(table)).add(units, write=False)
        elif operation in ("Query", "Scan"):
            self._measure_page(response, tables)

    def _measure_page(self, response: DynamoResponse, tables: dict[str, TableCapacity]) -> None:
        params = self.params
        table = params.get("TableName", "")
        schema = self.schema(table)
        if schema is None:
            return
        evaluated = self._evaluated(response)
        index_name = params.get("IndexName")
        index = None if index_name is None else schema.index(index_name)
        if index is not None:
            evaluated = [schema.entry(item, index) or item for item in evaluated]
        size = sum(_size(item) for item in evaluated)
        # Reads of a GSI are always eventually consistent (ConsistentRead is refused there).
        units = read_units(size, consistent=bool(params.get("ConsistentRead")))
        usage = tables.setdefault(table, TableCapacity(table))
        usage.add(units, write=False, index=None if index is None else (index[0], index[1]))

    def _evaluated(self, response: DynamoResponse) -> list[Item]:
        """Every item the page read, before its filter, projection or ``Select``."""
        params = self.params
        if not any(name in params for name in _PAGE_ONLY[:-1]):
            return list(response.body.get("Items") or ())
        plain = {k: v for k, v in params.items() if k not in _PAGE_ONLY}
        names = params.get("ExpressionAttributeNames")
        values = params.get("ExpressionAttributeValues")
        key_condition = params.get("KeyConditionExpression")
        if names:
            used = {n: v for n, v in names.items() if key_condition and n in key_condition}
            plain.pop("ExpressionAttributeNames", None)
            if used:
                plain["ExpressionAttributeNames"] = used
        if values:
            used = {n: v for n, v in values.items() if key_condition and n in key_condition}
            plain.pop("ExpressionAttributeValues", None)
            if used:
                plain["ExpressionAttributeValues"] = used
        again = self.call.send_direct(plain)
        if again.is_error:
            return []
        return list(again.body.get("Items") or ())


def _key_text(key: Mapping[str, Any]) -> str:
    return json.dumps(key, sort_keys=True)


def _strip(params: Mapping[str, Any], body: dict[str, Any]) -> None:
    """Drop what moto answers unasked: ``ConsumedCapacity``, an empty ``ItemCollectionMetrics``."""
    body.pop("ConsumedCapacity", None)
    body.pop("ConsumedCapacityUnits", None)
    if (
        body.get("ItemCollectionMetrics") == {}
        and params.get("ReturnItemCollectionMetrics") != "SIZE"
    ):
        del body["ItemCollectionMetrics"]


def start(call: DynamoCall, describe: Describe) -> Meter | None:
    """A meter for ``call`` when it is measured (asked for, or :func:`wanted`), else None."""
    operation = call.operation
    if operation not in _READS and operation not in _WRITES:
        return None
    mode = call.params.get("ReturnConsumedCapacity")
    mode = mode if mode in _MODES else None
    if mode is None and not _wanted:
        return _Stripper(call, describe, None)
    meter = Meter(call, describe, mode)
    meter.prepare()
    return meter


class _Stripper(Meter):
    """Not measured: only take out what moto answers unasked."""

    def prepare(self) -> None:
        return

    def settle(self, response: DynamoResponse) -> None:
        if response.is_error:
            return
        raw = response.raw if not response.changed else b""
        if raw and b'"ConsumedCapacity' not in raw and b'"ItemCollectionMetrics"' not in raw:
            return
        body = response.body
        _strip(self.params, body)
        response.body = body


__all__ = [
    "READ_UNIT_BYTES",
    "WRITE_UNIT_BYTES",
    "Meter",
    "TableCapacity",
    "read_units",
    "start",
    "wanted",
    "write_units",
]
