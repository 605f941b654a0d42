"""Tables: ``create_table`` (from the model), ``wait_until_active``, ``delete_table``,
and ``table_name``, the name a model's table has through one client."""

from __future__ import annotations

import asyncio

from aiodynamodb.client._sender import Sender
from aiodynamodb.codec import codec_for, create_table_params, ttl_params
from aiodynamodb.model import DynamoModel


class TableOperations:
    """``DynamoDB``'s table operations (a base class of ``DynamoDB``)."""

    _connection: Sender

    def table_name(self, model: type[DynamoModel]) -> str:
        """The table name ``model`` uses through this client (prefix included)."""
        return self._connection.table_name(codec_for(model))

    async def create_table(self, model: type[DynamoModel], *, wait: bool = True) -> None:
        """Create ``model``'s table with its keys, indexes, billing mode, TTL and tags.

        Waits until the table and all its indexes are ACTIVE (unless ``wait=False``), then
        enables TTL when the model declares a TTL attribute.
        """
        name = self.table_name(model)
        await self._connection.send("create_table", create_table_params(model, table_name=name))
        if wait:
            await self.wait_until_active(name)
        ttl = ttl_params(model, table_name=name)
        if ttl is not None:
            await self._connection.send("update_time_to_live", ttl)

    async def wait_until_active(self, table_name: str, *, max_wait: float = 120.0) -> None:
        """Poll ``DescribeTable`` until the table and its GSIs are ACTIVE.

        Raises:
            TimeoutError: Still not ACTIVE after ``max_wait`` seconds.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max_wait
        delay = 0.01
        while True:
            described = await self._connection.send("describe_table", {"TableName": table_name})
            table = described["Table"]
            indexes = table.get("GlobalSecondaryIndexes", ())
            if table.get("TableStatus") == "ACTIVE" and all(
                index.get("IndexStatus", "ACTIVE") == "ACTIVE" for index in indexes
            ):
                return
            if loop.time() > deadline:
                raise TimeoutError(
                    f"table {table_name!r} is not ACTIVE after {max_wait:g}s "
                    f"(status {table.get('TableStatus')})"
                )
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.5)

    async def delete_table(self, model: type[DynamoModel]) -> None:
        """Delete ``model``'s table (prefix included)."""
        await self._connection.send("delete_table", {"TableName": self.table_name(model)})


__all__ = ["TableOperations"]
