"""moto's key order of a table, kept sorted once instead of sorted again by every read.

moto's ``Table.all_items`` sorts every item of the table by its ``DynamoType`` keys (two
Python-level comparisons per step, each building ``Decimal`` values) on every Query and
Scan page; a table Query then filters that whole list by partition and each page walks
from the first item up to its ``ExclusiveStartKey``. Per returned item that grows with the
table (``n log n`` per read, ``n`` per page), which is the super-linear part of reading
10,000 or 100,000 items (issue 18).

While installed, ``all_items`` returns exactly the list moto's would (the same items in the
same order; the same sort key, compared on the keys' native values, which is what
``DynamoType``'s comparisons do for one table's keys of one type), from a per-table cache
that is valid while the table holds the very same ``Item`` objects (a write stores a new
object; an item's key never changes in place). During a table ``Query`` or ``Scan`` it
returns only what moto's loop would not skip anyway: the query's partition, and the items
after the ``ExclusiveStartKey`` in the read's direction (moto skips items up to and
including that key). Anything it cannot reason about (keys of mixed types, a start key
without the table's key attributes, an index) gets moto's own code.

Reference counted like the strict layer's other moto patches; the contract test
``tests/integration/test_moto_contract.py::test_order_patch_internals`` names the internals.
"""

from __future__ import annotations

import inspect
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from aiodynamodb.testing._moto._common import _broken

__all__ = ["ORDER_PATCH"]

_CACHE_ATTRIBUTE = "_aiodynamodb_order"


class _Top:
    """Greater than any key value: the upper bound of a partition's keys."""

    def __lt__(self, other: object) -> bool:
        return False

    def __gt__(self, other: object) -> bool:
        return True

    def __eq__(self, other: object) -> bool:
        return other is self

    __hash__ = object.__hash__


_TOP = _Top()


@dataclass(slots=True)
class _Order:
    """One table's items (moto's storage order), sorted, and their native sort keys."""

    stored: list[Any]
    ordered: list[Any]
    keys: list[Any]


@dataclass(frozen=True, slots=True)
class _Read:
    """The read in progress: its table, partition and start key (native values)."""

    table: Any
    partition: Any  # the hash key's native value (a Query), or None (a Scan)
    start: Any  # the ExclusiveStartKey's native sort key, or None
    forward: bool


_read: ContextVar[_Read | None] = ContextVar("aiodynamodb_moto_read", default=None)


def _native(value: Any) -> Any:
    return value.cast_value


def _stored(table: Any) -> list[Any]:
    if table.range_key_attr:
        return [item for members in table.items.values() for item in members.values()]
    return list(table.items.values())


def _order(table: Any) -> _Order:
    stored = _stored(table)
    cached: _Order | None = getattr(table, _CACHE_ATTRIBUTE, None)
    if cached is not None and cached.stored == stored:
        return cached
    if table.range_key_attr:
        pairs = [
            ((_native(i.hash_key), _native(i.range_key)) if i.range_key else _native(i.hash_key), i)
            for i in stored
        ]
    else:
        pairs = [(_native(i.hash_key), i) for i in stored]
    # sorted() is stable and compares only the keys (never two items): moto's order.
    pairs.sort(key=lambda pair: pair[0])
    order = _Order(stored, [item for _, item in pairs], [key for key, _ in pairs])
    setattr(table, _CACHE_ATTRIBUTE, order)
    return order


def _window(order: _Order, read: _Read) -> list[Any]:
    keys = order.keys
    low, high = 0, len(keys)
    if read.partition is not None:
        low = bisect_left(keys, (read.partition,))
        high = bisect_right(keys, (read.partition, _TOP), low)
    if read.start is not None:
        if read.forward:
            low = bisect_right(keys, read.start, low, high)
        else:
            high = bisect_left(keys, read.start, low, high)
    return order.ordered[low:high]


def _start_key(table: Any, start: Any) -> Any:
    from moto.dynamodb.models.dynamo_type import DynamoType

    hash_value = DynamoType(start[table.hash_key_attr]).cast_value
    if not table.range_key_attr:
        return hash_value
    return (hash_value, DynamoType(start[table.range_key_attr]).cast_value)


class _OrderPatch:
    def __init__(self) -> None:
        self.depth = 0
        self.originals: dict[str, Any] = {}

    def enter(self) -> None:
        self.depth += 1
        if self.depth > 1:
            return
        try:
            from moto.dynamodb.models.table import Table
        except ImportError as error:
            raise _broken("moto.dynamodb.models.table.Table", str(error)) from error
        originals = {name: getattr(Table, name) for name in ("all_items", "query", "scan")}
        query_signature = inspect.signature(originals["query"])
        scan_signature = inspect.signature(originals["scan"])
        for needed in ("hash_key", "exclusive_start_key", "scan_index_forward", "index_name"):
            if needed not in query_signature.parameters:
                raise _broken("Table.query", f"no parameter {needed!r}")
        for needed in ("exclusive_start_key", "index_name"):
            if needed not in scan_signature.parameters:
                raise _broken("Table.scan", f"no parameter {needed!r}")
        all_items = originals["all_items"]

        def patched_all_items(table: Any) -> list[Any]:
            try:
                order = _order(table)
            except TypeError:  # keys of mixed types: moto's own sort decides
                return all_items(table)  # type: ignore[no-any-return]
            read = _read.get()
            if read is None or read.table is not table:
                return list(order.ordered)
            try:
                return _window(order, read)
            except TypeError:
                return list(order.ordered)

        def reading(original: Callable[..., Any], signature: inspect.Signature, query: bool) -> Any:
            def read(table: Any, *args: Any, **kwargs: Any) -> Any:
                bound = signature.bind_partial(table, *args, **kwargs).arguments
                if bound.get("index_name"):
                    return original(table, *args, **kwargs)
                partition = None
                if query:
                    hash_key = bound.get("hash_key")
                    if hash_key is None or not table.range_key_attr:
                        return original(table, *args, **kwargs)
                    partition = hash_key.cast_value
                start = None
                exclusive = bound.get("exclusive_start_key")
                if exclusive:
                    try:
                        start = _start_key(table, exclusive)
                    except Exception:  # not the table's key: moto answers as it does
                        return original(table, *args, **kwargs)
                forward = bound.get("scan_index_forward", True) is not False or not query
                token = _read.set(_Read(table, partition, start, forward))
                try:
                    return original(table, *args, **kwargs)
                finally:
                    _read.reset(token)

            return read

        Table.all_items = patched_all_items  # type: ignore[method-assign,assignment]
        Table.query = reading(originals["query"], query_signature, True)  # type: ignore[method-assign]
        Table.scan = reading(originals["scan"], scan_signature, False)  # type: ignore[method-assign]
        self.originals = originals

    def exit(self) -> None:
        if self.depth == 0:
            return
        self.depth -= 1
        if self.depth == 0:
            from moto.dynamodb.models.table import Table

            for name, original in self.originals.items():
                setattr(Table, name, original)
            self.originals = {}


ORDER_PATCH = _OrderPatch()
"""The process-wide patch (entered by each strict layer, removed by the last)."""
