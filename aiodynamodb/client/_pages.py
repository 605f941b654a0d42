"""Queries and scans: :class:`PageOperations` (``query``, ``scan``), the pages they yield
(:class:`Page`) and the async iterators that fetch them (:class:`PageIterator`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, overload

from aiodynamodb.client._capacity import (
    CapacityMode,
    ConsumedCapacity,
    check_mode,
    remember,
    reports,
    summed,
)
from aiodynamodb.client._cursors import AFTER_AND_START_KEY, CursorCodec
from aiodynamodb.client._kinds import M1, M2, M3, M4, PROJECTION_OF_SEVERAL
from aiodynamodb.client._sender import Sender
from aiodynamodb.codec import ModelCodec, OtherKinds, Reader, reader_for
from aiodynamodb.errors import ArgumentError
from aiodynamodb.expressions import ExpressionContext
from aiodynamodb.item_types import Item
from aiodynamodb.model import DynamoModel
from aiodynamodb.rules import (
    check_flag,
    check_limit,
    check_segments,
    check_select,
    check_start_key,
)

if TYPE_CHECKING:
    from boto3.dynamodb.conditions import ConditionBase

T = TypeVar("T")

Select = Literal["ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES"]
"""What a query or scan reads besides whole items (``select=``); items are then dicts."""
M = TypeVar("M", bound=DynamoModel)


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One DynamoDB response of a query or scan.

    Attributes:
        items: The page's items, decoded (models, or dicts for projected reads).
        last_evaluated_key: DynamoDB's cursor for the next page (pass it back as
            ``exclusive_start_key``), or ``None`` on the last page. Kept in DynamoDB's
            wire format so it can be stored and passed back unchanged.
        count: How many items the page holds after filtering.
        scanned_count: How many items DynamoDB read before filtering.
        consumed_capacity: What the page's request consumed, when it asked
            (``with db.capacity(...)``), else None.
        cursor: ``last_evaluated_key`` as an opaque, URL-safe string for an HTTP API (pass it
            back as ``after=``; signed when the request had a ``cursor_key``), or ``None``
            on the last page.
    """

    items: list[T]
    last_evaluated_key: Item | None
    count: int
    scanned_count: int
    consumed_capacity: ConsumedCapacity | None = field(default=None, repr=False)
    cursor: str | None = field(default=None, repr=False)


class PageIterator(Generic[T]):
    """Async iterator over the pages of one query or scan.

    ``async for page in db.query(...)`` yields :class:`Page` objects, one per request,
    until DynamoDB stops returning a ``LastEvaluatedKey``. :meth:`items` walks items
    across pages and :meth:`all` collects them. Each iterator runs its request once;
    call ``db.query(...)`` again to start over.
    """

    def __init__(
        self,
        fetch: Callable[[Item | None], Awaitable[dict[str, Any]]],
        decode: Callable[[Item], T],
        start_key: Item | None,
        cursors: CursorCodec | None = None,
        skips: bool = False,
    ) -> None:
        self._cursors = cursors
        self._fetch = fetch
        self._decode = decode
        self._skips = skips
        self._next_key = start_key
        self._done = False
        self._capacity: ConsumedCapacity | None = None

    def __aiter__(self) -> PageIterator[T]:
        return self

    async def __anext__(self) -> Page[T]:
        if self._done:
            raise StopAsyncIteration
        response = await self._fetch(self._next_key)
        decode = self._decode
        if self._skips:  # other_kinds="skip": decode gives None for an item to leave out
            items = [item for raw in response.get("Items", ()) if (item := decode(raw)) is not None]
        else:
            items = [decode(raw) for raw in response.get("Items", ())]
        last_key: Item | None = response.get("LastEvaluatedKey")
        self._next_key = last_key
        if last_key is None:
            self._done = True
        capacity = summed(reports(response))
        if capacity is not None:
            self._capacity = capacity if self._capacity is None else self._capacity + capacity
        return Page(
            items=items,
            last_evaluated_key=last_key,
            count=response.get("Count", len(items)),
            scanned_count=response.get("ScannedCount", 0),
            consumed_capacity=capacity,
            cursor=None
            if last_key is None or self._cursors is None
            else self._cursors.encode(last_key),
        )

    @property
    def consumed_capacity(self) -> ConsumedCapacity | None:
        """What the pages fetched so far consumed, summed (None when none reported it)."""
        return self._capacity

    async def items(self) -> AsyncIterator[T]:
        """Yield every item of every remaining page, fetching pages as needed."""
        async for page in self:
            for item in page.items:
                yield item

    async def all(self) -> list[T]:
        """Fetch every remaining page and return all their items in order."""
        collected: list[T] = []
        async for page in self:
            collected.extend(page.items)
        return collected

    async def first(self) -> T | None:
        """Return the first item, fetching pages until one holds an item, or ``None``."""
        async for page in self:
            if page.items:
                return page.items[0]
        return None


class PageOperations:
    """``DynamoDB``'s queries and scans (a base class of ``DynamoDB``)."""

    _connection: Sender

    @overload
    def query(
        self,
        model: type[M],
        *,
        key_condition_expression: ConditionBase,
        filter_expression: ConditionBase | None = None,
        index_name: str | None = None,
        limit: int | None = None,
        scan_index_forward: bool = True,
        exclusive_start_key: Item | None = None,
        after: str | None = None,
        cursor_key: bytes | str | None = None,
        consistent_read: bool = False,
        projection: None = None,
        select: None = None,
        other_kinds: OtherKinds = "error",
        return_consumed_capacity: CapacityMode | None = None,
    ) -> PageIterator[M]: ...

    @overload
    def query(
        self,
        model: type[M],
        *,
        key_condition_expression: ConditionBase,
        filter_expression: ConditionBase | None = None,
        index_name: str | None = None,
        limit: int | None = None,
        scan_index_forward: bool = True,
        exclusive_start_key: Item | None = None,
        after: str | None = None,
        cursor_key: bytes | str | None = None,
        consistent_read: bool = False,
        projection: None = None,
        select: Literal["ALL_PROJECTED_ATTRIBUTES"],
        return_consumed_capacity: CapacityMode | None = None,
    ) -> PageIterator[dict[str, Any]]: ...

    @overload
    def query(
        self,
        model: type[M],
        *,
        key_condition_expression: ConditionBase,
        filter_expression: ConditionBase | None = None,
        index_name: str | None = None,
        limit: int | None = None,
        scan_index_forward: bool = True,
        exclusive_start_key: Item | None = None,
        after: str | None = None,
        cursor_key: bytes | str | None = None,
        consistent_read: bool = False,
        projection: Sequence[str],
        select: Literal["SPECIFIC_ATTRIBUTES"] | None = None,
        return_consumed_capacity: CapacityMode | None = None,
    ) -> PageIterator[dict[str, Any]]: ...

    @overload
    def query(
        self,
        model: tuple[type[M1], type[M2]],
        *,
        key_condition_expression: ConditionBase,
        filter_expression: ConditionBase | None = None,
        index_name: str | None = None,
        limit: int | None = None,
        scan_index_forward: bool = True,
        exclusive_start_key: Item | None = None,
        after: str | None = None,
        cursor_key: bytes | str | None = None,
        consistent_read: bool = False,
        other_kinds: OtherKinds = "error",
        return_consumed_capacity: CapacityMode | None = None,
    ) -> PageIterator[M1 | M2]: ...

    @overload
    def query(
        self,
        model: tuple[type[M1], type[M2], type[M3]],
        *,
        key_condition_expression: ConditionBase,
        filter_expression: ConditionBase | None = None,
        index_name: str | None = None,
        limit: int | None = None,
        scan_index_forward: bool = True,
        exclusive_start_key: Item | None = None,
        after: str | None = None,
        cursor_key: bytes | str | None = None,
        consistent_read: bool = False,
        other_kinds: OtherKinds = "error",
        return_consumed_capacity: CapacityMode | None = None,
    ) -> PageIterator[M1 | M2 | M3]: ...

    @overload
    def query(
        self,
        model: tuple[type[M1], type[M2], type[M3], type[M4]],
        *,
        key_condition_expression: ConditionBase,
        filter_expression: ConditionBase | None = None,
        index_name: str | None = None,
        limit: int | None = None,
        scan_index_forward: bool = True,
        exclusive_start_key: Item | None = None,
        after: str | None = None,
        cursor_key: bytes | str | None = None,
        consistent_read: bool = False,
        other_kinds: OtherKinds = "error",
        return_consumed_capacity: CapacityMode | None = None,
    ) -> PageIterator[M1 | M2 | M3 | M4]: ...

    @overload
    def query(
        self,
        model: tuple[type[M], ...],
        *,
        key_condition_expression: ConditionBase,
        filter_expression: ConditionBase | None = None,
        index_name: str | None = None,
        limit: int | None = None,
        scan_index_forward: bool = True,
        exclusive_start_key: Item | None = None,
        after: str | None = None,
        cursor_key: bytes | str | None = None,
        consistent_read: bool = False,
        other_kinds: OtherKinds = "error",
        return_consumed_capacity: CapacityMode | None = None,
    ) -> PageIterator[M]: ...

    def query(
        self,
        model: type[M] | tuple[type[DynamoModel], ...],
        *,
        key_condition_expression: ConditionBase,
        filter_expression: ConditionBase | None = None,
        index_name: str | None = None,
        limit: int | None = None,
        scan_index_forward: bool = True,
        exclusive_start_key: Item | None = None,
        after: str | None = None,
        cursor_key: bytes | str | None = None,
        consistent_read: bool = False,
        projection: Sequence[str] | None = None,
        select: Select | None = None,
        other_kinds: OtherKinds = "error",
        return_consumed_capacity: CapacityMode | None = None,
    ) -> PageIterator[Any]:
        """Query a table or index; iterate the result page by page.

        ``async for page in db.query(Order, key_condition_expression=Key("order_id").eq("o1"))``
        yields one :class:`~aiodynamodb.Page` per DynamoDB response. Use ``.items()`` to
        iterate items across pages, or ``await ....all()`` to collect them.

        Args:
            model: The model class, or a tuple of models sharing a table by discriminator
                (``(Customer, Invoice)``): each item comes back as the model whose
                discriminator value it holds, and the pages are typed with their union.
                Expressions may name the attributes of any of the models.
            key_condition_expression: A boto3 ``Key`` condition on the table's or index's
                keys.
            filter_expression: A boto3 ``Attr`` condition applied after reading (it does
                not reduce the capacity a query consumes).
            index_name: A GSI or LSI declared on the model.
            limit: DynamoDB's ``Limit``: at most this many items are *evaluated* per page
                (before the filter). Iteration still continues over every page.
            scan_index_forward: False for descending sort-key order.
            exclusive_start_key: A page's ``last_evaluated_key`` to resume from.
            after: A page's ``cursor`` to resume from (instead of ``exclusive_start_key``):
                refused with a ``ValidationError`` when it was altered or belongs to
                another model, table or index.
            cursor_key: A secret (bytes or str) to sign the pages' cursors with
                (HMAC-SHA256) and to check ``after`` against; without it cursors are
                unsigned.
            consistent_read: Strongly consistent read (not on a GSI).
            projection: Attribute paths to read; pages then hold dicts, not models.
            select: ``"ALL_PROJECTED_ATTRIBUTES"`` (with ``index_name``) reads what the index
                holds without fetching the rest of the item; ``"SPECIFIC_ATTRIBUTES"`` (with
                ``projection``) is what a projection reads anyway. Pages then hold dicts.
                Both take one model, not a tuple.
            other_kinds: For models with a discriminator: ``"error"`` (default) raises
                ``DecodeError`` on an item of none of the models read (another kind, or no
                discriminator attribute); ``"skip"`` leaves such items out of the pages
                (``count`` and ``scanned_count`` stay DynamoDB's figures).
            return_consumed_capacity: ``"TOTAL"`` or ``"INDEXES"`` asks DynamoDB what each
                page's request consumed: ``page.consumed_capacity``, summed over the pages
                fetched on the iterator's ``consumed_capacity``.
        """
        reader = reader_for(model, other_kinds, "query")
        ctx = ExpressionContext(model=reader.view)
        params = self._query_params(reader.codec, ctx, key_condition_expression, index_name)
        if scan_index_forward is not True:
            check_flag("query", "scan_index_forward", scan_index_forward)
            params["ScanIndexForward"] = False
        if return_consumed_capacity is not None:
            params["ReturnConsumedCapacity"] = check_mode("query", return_consumed_capacity)
        return self._pages(
            "query", reader, ctx, params, filter_expression, limit,
            exclusive_start_key, consistent_read, projection, select, after, cursor_key,
        )  # fmt: skip

    def _query_params(
        self,
        codec: ModelCodec[Any],
        ctx: ExpressionContext,
        key_condition_expression: ConditionBase,
        index_name: str | None,
    ) -> dict[str, Any]:
        params: dict[str, Any] = {
            "TableName": self._connection.table_name(codec),
            "KeyConditionExpression": ctx.key_condition(key_condition_expression, index_name),
        }
        if index_name is not None:
            codec.meta.index(index_name)
            params["IndexName"] = index_name
        return params

    @overload
    def scan(
        self,
        model: type[M],
        *,
        filter_expression: ConditionBase | None = None,
        index_name: str | None = None,
        limit: int | None = None,
        exclusive_start_key: Item | None = None,
        after: str | None = None,
        cursor_key: bytes | str | None = None,
        consistent_read: bool = False,
        segment: int | None = None,
        total_segments: int | None = None,
        projection: None = None,
        select: None = None,
        other_kinds: OtherKinds = "error",
        return_consumed_capacity: CapacityMode | None = None,
    ) -> PageIterator[M]: ...

    @overload
    def scan(
        self,
        model: type[M],
        *,
        filter_expression: ConditionBase | None = None,
        index_name: str | None = None,
        limit: int | None = None,
        exclusive_start_key: Item | None = None,
        after: str | None = None,
        cursor_key: bytes | str | None = None,
        consistent_read: bool = False,
        segment: int | None = None,
        total_segments: int | None = None,
        projection: None = None,
        select: Literal["ALL_PROJECTED_ATTRIBUTES"],
        return_consumed_capacity: CapacityMode | None = None,
    ) -> PageIterator[dict[str, Any]]: ...

    @overload
    def scan(
        self,
        model: type[M],
        *,
        filter_expression: ConditionBase | None = None,
        index_name: str | None = None,
        limit: int | None = None,
        exclusive_start_key: Item | None = None,
        after: str | None = None,
        cursor_key: bytes | str | None = None,
        consistent_read: bool = False,
        segment: int | None = None,
        total_segments: int | None = None,
        projection: Sequence[str],
        select: Literal["SPECIFIC_ATTRIBUTES"] | None = None,
        return_consumed_capacity: CapacityMode | None = None,
    ) -> PageIterator[dict[str, Any]]: ...

    @overload
    def scan(
        self,
        model: tuple[type[M1], type[M2]],
        *,
        filter_expression: ConditionBase | None = None,
        index_name: str | None = None,
        limit: int | None = None,
        exclusive_start_key: Item | None = None,
        after: str | None = None,
        cursor_key: bytes | str | None = None,
        consistent_read: bool = False,
        segment: int | None = None,
        total_segments: int | None = None,
        other_kinds: OtherKinds = "error",
        return_consumed_capacity: CapacityMode | None = None,
    ) -> PageIterator[M1 | M2]: ...

    @overload
    def scan(
        self,
        model: tuple[type[M1], type[M2], type[M3]],
        *,
        filter_expression: ConditionBase | None = None,
        index_name: str | None = None,
        limit: int | None = None,
        exclusive_start_key: Item | None = None,
        after: str | None = None,
        cursor_key: bytes | str | None = None,
        consistent_read: bool = False,
        segment: int | None = None,
        total_segments: int | None = None,
        other_kinds: OtherKinds = "error",
        return_consumed_capacity: CapacityMode | None = None,
    ) -> PageIterator[M1 | M2 | M3]: ...

    @overload
    def scan(
        self,
        model: tuple[type[M1], type[M2], type[M3], type[M4]],
        *,
        filter_expression: ConditionBase | None = None,
        index_name: str | None = None,
        limit: int | None = None,
        exclusive_start_key: Item | None = None,
        after: str | None = None,
        cursor_key: bytes | str | None = None,
        consistent_read: bool = False,
        segment: int | None = None,
        total_segments: int | None = None,
        other_kinds: OtherKinds = "error",
        return_consumed_capacity: CapacityMode | None = None,
    ) -> PageIterator[M1 | M2 | M3 | M4]: ...

    @overload
    def scan(
        self,
        model: tuple[type[M], ...],
        *,
        filter_expression: ConditionBase | None = None,
        index_name: str | None = None,
        limit: int | None = None,
        exclusive_start_key: Item | None = None,
        after: str | None = None,
        cursor_key: bytes | str | None = None,
        consistent_read: bool = False,
        segment: int | None = None,
        total_segments: int | None = None,
        other_kinds: OtherKinds = "error",
        return_consumed_capacity: CapacityMode | None = None,
    ) -> PageIterator[M]: ...

    def scan(
        self,
        model: type[M] | tuple[type[DynamoModel], ...],
        *,
        filter_expression: ConditionBase | None = None,
        index_name: str | None = None,
        limit: int | None = None,
        exclusive_start_key: Item | None = None,
        after: str | None = None,
        cursor_key: bytes | str | None = None,
        consistent_read: bool = False,
        segment: int | None = None,
        total_segments: int | None = None,
        projection: Sequence[str] | None = None,
        select: Select | None = None,
        other_kinds: OtherKinds = "error",
        return_consumed_capacity: CapacityMode | None = None,
    ) -> PageIterator[Any]:
        """Scan a table or index page by page (see :meth:`query` for the arguments).

        For a parallel scan, run one ``scan`` per segment with ``segment=i`` and the same
        ``total_segments=n`` (``0 <= i < n``), e.g. in separate tasks.
        """
        reader = reader_for(model, other_kinds, "scan")
        ctx = ExpressionContext(model=reader.view)
        params = self._scan_params(reader.codec, index_name)
        if segment is not None or total_segments is not None:
            check_segments(segment, total_segments)
            params["Segment"] = segment
            params["TotalSegments"] = total_segments
        if return_consumed_capacity is not None:
            params["ReturnConsumedCapacity"] = check_mode("scan", return_consumed_capacity)
        return self._pages(
            "scan", reader, ctx, params, filter_expression, limit,
            exclusive_start_key, consistent_read, projection, select, after, cursor_key,
        )  # fmt: skip

    def _scan_params(self, codec: ModelCodec[Any], index_name: str | None) -> dict[str, Any]:
        params: dict[str, Any] = {"TableName": self._connection.table_name(codec)}
        if index_name is not None:
            codec.meta.index(index_name)
            params["IndexName"] = index_name
        return params

    async def count(
        self,
        model: type[DynamoModel],
        *,
        key_condition_expression: ConditionBase | None = None,
        filter_expression: ConditionBase | None = None,
        index_name: str | None = None,
        limit: int | None = None,
        consistent_read: bool = False,
        return_consumed_capacity: CapacityMode | None = None,
    ) -> int:
        """Count the matching items across all pages (DynamoDB's ``Select=COUNT``).

        With ``key_condition_expression`` this is a query, without one a scan of the whole
        table or index. No items are transferred, but DynamoDB reads (and charges for)
        every item it evaluates, as the same query or scan would.

        Args:
            model: The model class.
            key_condition_expression: A boto3 ``Key`` condition; omit it to scan.
            filter_expression: A boto3 ``Attr`` condition; only items that pass are counted.
            index_name: A GSI or LSI declared on the model.
            limit: Items evaluated per request (DynamoDB's ``Limit``); every page is
                still counted.
            consistent_read: Strongly consistent read (not on a GSI).
            return_consumed_capacity: ``"TOTAL"`` or ``"INDEXES"`` asks DynamoDB what each
                page consumed; the sum is then ``db.last_consumed_capacity``.

        Returns:
            The number of matching items.
        """
        reader = reader_for(model)
        codec = reader.codec
        ctx = ExpressionContext(model=codec.view)
        if key_condition_expression is None:
            operation = "scan"
            params = self._scan_params(codec, index_name)
        else:
            operation = "query"
            params = self._query_params(codec, ctx, key_condition_expression, index_name)
        params["Select"] = "COUNT"
        if return_consumed_capacity is not None:
            return_consumed_capacity = check_mode("count", return_consumed_capacity)
            params["ReturnConsumedCapacity"] = return_consumed_capacity
        pages = self._pages(
            operation, reader, ctx, params, filter_expression, limit, None, consistent_read,
            None, None, None, None,
        )  # fmt: skip
        total = 0
        async for page in pages:
            total += page.count
        if return_consumed_capacity is not None:
            used = pages.consumed_capacity
            remember("count", return_consumed_capacity, [] if used is None else [used])
        return total

    def _pages(
        self,
        operation: str,
        reader: Reader,
        ctx: ExpressionContext,
        params: dict[str, Any],
        filter_expression: ConditionBase | None,
        limit: int | None,
        exclusive_start_key: Item | None,
        consistent_read: bool,
        projection: Sequence[str] | None,
        select: Select | None,
        after: str | None,
        cursor_key: bytes | str | None,
    ) -> PageIterator[Any]:
        codec = reader.codec
        index = params.get("IndexName")
        cursors = CursorCodec(operation, (reader.name, codec.meta.name, index), cursor_key)
        if after is not None:
            if exclusive_start_key is not None:
                raise ArgumentError(AFTER_AND_START_KEY.format(operation=operation))
            exclusive_start_key = cursors.decode(after)
        if (projection is not None or select is not None) and reader.view is not codec.view:
            what = "projection" if projection is not None else "select"
            raise ArgumentError(PROJECTION_OF_SEVERAL.format(operation=operation, what=what))
        if select is not None:
            check_select(operation, select, params.get("IndexName"), projection)
            params["Select"] = select
        if filter_expression is not None:
            params["FilterExpression"] = ctx.condition(filter_expression)
        if projection is not None:
            params["ProjectionExpression"] = ctx.projection(projection)
        params.update(ctx.request_params())
        if limit is not None:
            check_limit(operation, limit)
            params["Limit"] = limit
        if consistent_read is not False:
            check_flag(operation, "consistent_read", consistent_read)
            params["ConsistentRead"] = True
        if exclusive_start_key is not None:
            names = list(codec.meta.key_names)
            if index is not None:
                names += [n for n in codec.meta.index_key_names(index) if n not in names]
            check_start_key(operation, exclusive_start_key, names)

        connection = self._connection

        async def fetch(start_key: Item | None) -> dict[str, Any]:
            if start_key is not None:
                params["ExclusiveStartKey"] = start_key
            return await connection.send(operation, params)

        if projection is not None or select is not None:
            return PageIterator(fetch, codec.decode_partial, exclusive_start_key, cursors)
        return PageIterator(fetch, reader.decode, exclusive_start_key, cursors, reader.skips)


__all__ = ["Page", "PageIterator", "PageOperations", "Select"]
