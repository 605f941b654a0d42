"""TTL time travel: expire items as DynamoDB's TTL sweeper would, on demand.

moto stores a table's TTL setting but never deletes an expired item; DynamoDB deletes it
some time after the time in its TTL attribute has passed. :class:`TTLClock` keeps a
virtual "now" a test can move forward, and :meth:`TTLClock.sweep` deletes what would have
expired by then, following DynamoDB's rules:

- only tables whose TTL is ENABLED are swept, using the attribute named there;
- an item expires when that attribute is a Number (epoch seconds) at or before now;
- items whose TTL attribute is missing or not a Number are never deleted, nor are items
  whose time is more than five years before now (DynamoDB ignores those);
- each deletion is conditional on the TTL attribute still holding the expired value, so a
  concurrent update that extends the item's life wins, as with the real sweeper.

It goes through the normal API (DescribeTimeToLive, Scan, DeleteItem), so it works on every
backend.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from aiodynamodb.model import DynamoModel, table_meta

if TYPE_CHECKING:
    from aiodynamodb.client import DynamoDB

FIVE_YEARS = 5 * 365 * 24 * 3600


class _Sweeping:
    """The clock's now while a sweep's delete is in flight. Process-wide rather than a
    ContextVar: on the server backend the delete is answered on the HTTP server's thread,
    which sees no context of the sweeping task (a write another task makes at that very
    moment would be marked too; the sweeper runs when a test asks, so none does)."""

    now: float | None = None


_sweeping = _Sweeping()


def sweep_time() -> float | None:
    """The clock's now while a :class:`TTLClock` deletes an expired item,
    else None: the stream recorder marks such a deletion as done by the service."""
    return _sweeping.now


class TTLClock:
    """A virtual clock for TTL, starting at the real time.

    Args:
        db: The client whose tables to sweep.
        now: Start time in epoch seconds (default: the real time).
    """

    def __init__(self, db: DynamoDB, now: float | None = None) -> None:
        self.db = db
        self.now = time.time() if now is None else now

    def advance(
        self, seconds: float = 0, *, minutes: float = 0, hours: float = 0, days: float = 0
    ) -> float:
        """Move the clock forward; returns the new now (epoch seconds)."""
        delta = seconds + 60 * minutes + 3600 * hours + 86400 * days
        if delta < 0:
            raise ValueError(f"TTLClock.advance(): time only moves forward, got {delta:g} s")
        self.now += delta
        return self.now

    async def sweep(self, *models: type[DynamoModel]) -> int:
        """Delete the expired items of ``models``' tables (all tables when none given).

        Returns:
            How many items were deleted.
        """
        if models:
            names: Iterable[str] = [self.db.table_prefix + table_meta(m).name for m in models]
        else:
            names = await self._table_names()
        deleted = 0
        for name in names:
            deleted += await self._sweep_table(name)
        return deleted

    async def _table_names(self) -> list[str]:
        names: list[str] = []
        params: dict[str, Any] = {}
        while True:
            page = await self.db._call("list_tables", params)
            names.extend(
                n for n in page.get("TableNames", []) if n.startswith(self.db.table_prefix)
            )
            if "LastEvaluatedTableName" not in page:
                return names
            params["ExclusiveStartTableName"] = page["LastEvaluatedTableName"]

    async def _sweep_table(self, name: str) -> int:
        ttl = (await self.db._call("describe_time_to_live", {"TableName": name}))[
            "TimeToLiveDescription"
        ]
        if ttl.get("TimeToLiveStatus") != "ENABLED":
            return 0
        attribute = ttl["AttributeName"]
        table = (await self.db._call("describe_table", {"TableName": name}))["Table"]
        keys = [k["AttributeName"] for k in table["KeySchema"]]
        now = Decimal(int(self.now))
        params: dict[str, Any] = {
            "TableName": name,
            "FilterExpression": "#t <= :now AND #t >= :oldest",
            "ExpressionAttributeNames": {"#t": attribute},
            "ExpressionAttributeValues": {
                ":now": {"N": str(now)},
                ":oldest": {"N": str(now - FIVE_YEARS)},
            },
        }
        deleted = 0
        while True:
            page = await self.db._call("scan", params)
            for item in page.get("Items", []):
                if "N" not in item.get(attribute, {}):
                    continue
                error = await self._delete(
                    name, {k: item[k] for k in keys}, attribute, item[attribute]
                )
                deleted += error is None
            if "LastEvaluatedKey" not in page:
                return deleted
            params["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    async def _delete(
        self, table: str, key: dict[str, Any], attribute: str, value: Any
    ) -> str | None:
        from botocore.exceptions import ClientError

        _sweeping.now = self.now
        try:
            await self.db._call(
                "delete_item",
                {
                    "TableName": table,
                    "Key": key,
                    "ConditionExpression": "#t = :expired",
                    "ExpressionAttributeNames": {"#t": attribute},
                    "ExpressionAttributeValues": {":expired": value},
                },
            )
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code"))
            if code == "ConditionalCheckFailedException":
                return code  # extended meanwhile: the sweeper leaves it
            raise
        finally:
            _sweeping.now = None
        return None


__all__ = ["FIVE_YEARS", "TTLClock", "sweep_time"]
