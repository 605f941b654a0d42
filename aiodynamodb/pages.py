"""Pages of query and scan results, and the async iterators that fetch them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from aiodynamodb.item_types import Item

T = TypeVar("T")


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
        consumed_capacity: DynamoDB's ``ConsumedCapacity`` when it was asked for.
    """

    items: list[T]
    last_evaluated_key: Item | None
    count: int
    scanned_count: int
    consumed_capacity: dict[str, Any] | None = field(default=None, repr=False)


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
    ) -> None:
        self._fetch = fetch
        self._decode = decode
        self._next_key = start_key
        self._done = False

    def __aiter__(self) -> PageIterator[T]:
        return self

    async def __anext__(self) -> Page[T]:
        if self._done:
            raise StopAsyncIteration
        response = await self._fetch(self._next_key)
        decode = self._decode
        items = [decode(raw) for raw in response.get("Items", ())]
        last_key: Item | None = response.get("LastEvaluatedKey")
        self._next_key = last_key
        if last_key is None:
            self._done = True
        return Page(
            items=items,
            last_evaluated_key=last_key,
            count=response.get("Count", len(items)),
            scanned_count=response.get("ScannedCount", 0),
            consumed_capacity=response.get("ConsumedCapacity"),
        )

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


__all__ = ["Page", "PageIterator"]
