"""``MemoryDynamoDB.reset_now``: the synchronous reset the pytest fixture uses once every
table it needs was created by an awaited ``reset``."""

from __future__ import annotations

import asyncio
import re

import pytest

from aiodynamodb import ClientStateError, DynamoModel, table
from aiodynamodb.testing import MemoryDynamoDB
from aiodynamodb.testing.memory import NOT_READY_MESSAGE


@table("now_users", hash_key="user_id")
class User(DynamoModel):
    user_id: str


@table("now_events", hash_key="stream", range_key="seq")
class Event(DynamoModel):
    stream: str
    seq: int


def test_reset_now_gives_fresh_copies_of_tables_made_before() -> None:
    memory = MemoryDynamoDB()
    try:
        assert not memory.ready([User])
        with pytest.raises(RuntimeError, match=re.escape(NOT_READY_MESSAGE)):
            memory.reset_now([User])

        async def first() -> None:
            db = await memory.reset([User, Event])
            await db.put(User(user_id="u1"))
            await db.put(Event(stream="s", seq=1))

        asyncio.run(first())
        assert memory.ready([User, Event])
        assert memory.ready([Event])

        db = memory.reset_now([User, Event])

        async def second() -> None:
            assert await db.get(User, hash_key="u1") is None
            assert await db.get(Event, hash_key="s", range_key=1) is None
            await db.put(User(user_id="u2"))

        asyncio.run(second())
        memory.release_now(db)
        assert db.closed
        with pytest.raises(ClientStateError):
            asyncio.run(db.get(User, hash_key="u2"))

        only_events = memory.reset_now([Event])

        async def third() -> None:
            tables = await (await only_events.low_level_client()).list_tables()
            # Named with the run's table prefix, if the environment sets one.
            assert tables["TableNames"] == [only_events.table_name(Event)]

        asyncio.run(third())
        memory.release_now(only_events)
    finally:
        asyncio.run(memory.close())
