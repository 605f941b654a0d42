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

Each page also stops where moto's loop would stop (the window is capped at the page's end):
from cached prefix sums of the partition's item sizes and a bisect, the page's ``Limit`` or
1 MB boundary (``RESULT_SIZE_LIMIT``) is found in ``O(log n)``, and moto gets the items it
returns plus the one that ends the page, so a page costs what it returns instead of the
rest of the partition. A Query's range-key condition (``=``, ``<``, ``<=``, ``>``, ``>=``,
``BETWEEN``, ``begins_with``: each matches one contiguous run of the sorted range keys, on
the same native values moto compares) is found by bisect too, and moto's own quirks are kept:
its size check counts the next item scanned even when that item fails the condition, so
after the run ends the items that follow are handed over whenever one of them could still
end the page. Legacy ``QueryFilter``/``ScanFilter``, scan segments, indexes and anything
the bisect cannot order get the uncapped window (moto's own loop decides).

Reference counted like the strict layer's other moto patches; the contract test
``tests/integration/test_moto_contract.py::test_order_patch_internals`` names the internals.
"""

from __future__ import annotations

import inspect
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from itertools import accumulate
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


@dataclass(frozen=True, slots=True)
class _Sizes:
    """The sizes (``Item.size()``) of one run of sorted items, and their prefix sums."""

    sizes: list[int]
    prefix: list[int]  # prefix[i] is the size of the run's first i items
    largest: int


@dataclass(slots=True)
class _Order:
    """One table's items (moto's storage order), sorted, and their native sort keys."""

    stored: list[Any]
    ordered: list[Any]
    keys: list[Any]
    # Item sizes per run of ``ordered`` (a Query's partition, or all of it for a Scan),
    # computed by the first read that caps a page there.
    sizes: dict[tuple[int, int], _Sizes] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Page:
    """What ends a page in moto's loop: its Limit, 1 MB and the range-key condition."""

    limit: int | None
    size_limit: int  # moto's RESULT_SIZE_LIMIT
    comparison: str | None  # moto's name of the range-key comparison (a Query), or None
    values: tuple[Any, ...]  # the comparison's native values


@dataclass(frozen=True, slots=True)
class _Read:
    """The read in progress: its table, partition and start key (native values)."""

    table: Any
    partition: Any  # the hash key's native value (a Query), or None (a Scan)
    start: Any  # the ExclusiveStartKey's native sort key, or None
    forward: bool
    page: _Page | None = None  # None: moto's loop decides where the page ends


# moto's names of the key comparisons whose matches are one contiguous run of sorted range
# keys (expression operators in moto >= 5.2, KeyConditions names in older releases).
_RUNS = {
    "=": "EQ",
    "EQ": "EQ",
    "<": "LT",
    "LT": "LT",
    "<=": "LE",
    "LE": "LE",
    ">": "GT",
    "GT": "GT",
    ">=": "GE",
    "GE": "GE",
    "BETWEEN": "BETWEEN",
    "BEGINS_WITH": "BEGINS_WITH",
    "begins_with": "BEGINS_WITH",
}


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
    run = (low, high)
    if read.start is not None:
        if read.forward:
            low = bisect_right(keys, read.start, low, high)
        else:
            high = bisect_left(keys, read.start, low, high)
    if read.page is not None:
        try:
            capped = _capped(order, read, read.page, run, low, high)
        except Exception:  # values the bisect cannot order: moto's loop decides
            capped = None
        if capped is not None:
            return capped
    return order.ordered[low:high]


def _sizes(order: _Order, run: tuple[int, int]) -> _Sizes:
    found = order.sizes.get(run)
    if found is None:
        sizes = [item.size() for item in order.ordered[run[0] : run[1]]]
        found = _Sizes(sizes, list(accumulate(sizes, initial=0)), max(sizes, default=0))
        order.sizes[run] = found
    return found


def _matching(order: _Order, read: _Read, page: _Page, run: tuple[int, int]) -> tuple[int, int]:
    """The run of the partition's items whose range key meets the Query's condition."""
    keys, first, last = order.keys, run[0], run[1]
    if page.comparison is None:
        return first, last
    operator = _RUNS[page.comparison]
    value = (read.partition, page.values[0])
    if operator == "EQ":
        return bisect_left(keys, value, first, last), bisect_right(keys, value, first, last)
    if operator == "LT":
        return first, bisect_left(keys, value, first, last)
    if operator == "LE":
        return first, bisect_right(keys, value, first, last)
    if operator == "GT":
        return bisect_right(keys, value, first, last), last
    if operator == "GE":
        return bisect_left(keys, value, first, last), last
    if operator == "BETWEEN":
        upper = (read.partition, page.values[1])
        return bisect_left(keys, value, first, last), bisect_right(keys, upper, first, last)
    # BEGINS_WITH: the keys with the prefix are the first ones from the prefix on.
    prefix = page.values[0]
    start = bisect_left(keys, value, first, last)
    end = bisect_left(keys, True, start, last, key=lambda key: not key[1].startswith(prefix))
    return start, end


def _capped(
    order: _Order, read: _Read, page: _Page, run: tuple[int, int], low: int, high: int
) -> list[Any] | None:
    """The items moto's loop looks at for this page, or None when that is not known.

    ``low:high`` is the window after the start key; moto walks it in the read's direction,
    skips items that fail the range condition (they count towards nothing but its size
    check), and stops at the first item where the page already holds ``Limit`` items or
    that item's size would take the page past 1 MB; that item (whether it matches or not)
    gives no result but must be there for moto to stop with a LastEvaluatedKey.
    """
    start, end = _matching(order, read, page, run)
    start = min(max(start, low), high)
    end = max(min(max(end, low), high), start)
    sized = _sizes(order, run)
    if page.comparison is not None and sized.largest > page.size_limit:
        return None  # moto's loop could stop on a skipped item: let it walk
    offset, prefix, limit, room = run[0], sized.prefix, page.limit, page.size_limit
    ordered = order.ordered
    if read.forward:
        base = prefix[start - offset]
        stop = start + limit if limit is not None and start + limit < end else None
        over = bisect_right(prefix, base + room, start - offset + 1, end - offset + 1)
        if over <= end - offset:
            stop = min(over - 1 + offset, stop if stop is not None else end)
        if stop is not None:
            return ordered[start : stop + 1]
        if limit is not None and end - start == limit:
            return ordered[start : min(end + 1, high)]
        used = prefix[end - offset] - base
        if end < high and max(sized.sizes[end - offset : high - offset]) > room - used:
            return ordered[start:high]
        return ordered[start:end]
    base = prefix[end - offset]
    stop = end - 1 - limit if limit is not None and end - 1 - limit >= start else None
    under = bisect_left(prefix, base - room, start - offset, end - offset)
    if under - 1 >= start - offset:
        stop = max(under - 1 + offset, stop if stop is not None else start)
    if stop is not None:
        return ordered[stop:end]
    if limit is not None and end - start == limit:
        return ordered[max(start - 1, low) : end]
    used = base - prefix[start - offset]
    if start > low and max(sized.sizes[low - offset : start - offset]) > room - used:
        return ordered[low:end]
    return ordered[start:end]


def _page_of(table: Any, bound: dict[str, Any], query: bool, size_limit: int) -> _Page | None:
    """How moto's loop ends this read's page, or None if the window must not be capped."""
    limit = bound.get("limit")
    if limit is not None and (type(limit) is not int or limit < 1):
        return None  # moto's loop fails (no results to take a key from): let it
    if not query:
        if bound.get("filters") or tuple(bound.get("segments", (None, None))) != (None, None):
            return None  # ScanFilter or Segment: moto decides item by item
        return _Page(limit, size_limit, None, ())
    if bound.get("filter_kwargs"):
        return None  # QueryFilter, or KeyConditions on other attributes
    ranges = bound.get("range_key_conditions") or []
    if len(ranges) > 1 or any(name != table.range_key_attr for name, *_ in ranges):
        return None
    comparison = bound.get("range_comparison")
    if comparison is None:
        return _Page(limit, size_limit, None, ())
    if comparison not in _RUNS:
        return None
    values = tuple(value.cast_value for value in bound.get("range_objs") or ())
    return _Page(limit, size_limit, comparison, values)


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
            from moto.dynamodb.models import table as table_module
            from moto.dynamodb.models.table import Table
        except ImportError as error:
            raise _broken("moto.dynamodb.models.table.Table", str(error)) from error
        originals = {name: getattr(Table, name) for name in ("all_items", "query", "scan")}
        query_signature = inspect.signature(originals["query"])
        scan_signature = inspect.signature(originals["scan"])
        for needed in (
            "hash_key",
            "range_comparison",
            "range_objs",
            "limit",
            "exclusive_start_key",
            "scan_index_forward",
            "index_name",
            "filter_kwargs",
        ):
            if needed not in query_signature.parameters:
                raise _broken("Table.query", f"no parameter {needed!r}")
        for needed in ("filters", "limit", "exclusive_start_key", "index_name", "segments"):
            if needed not in scan_signature.parameters:
                raise _broken("Table.scan", f"no parameter {needed!r}")
        all_items = originals["all_items"]
        size_limit = getattr(table_module, "RESULT_SIZE_LIMIT", None)
        if not isinstance(size_limit, int):
            raise _broken("moto.dynamodb.models.table.RESULT_SIZE_LIMIT", "not an int")

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
                page = _page_of(table, bound, query, size_limit)
                token = _read.set(_Read(table, partition, start, forward, page))
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
