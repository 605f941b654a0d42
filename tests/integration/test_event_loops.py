"""One DynamoDB client across event loops and test runs: the low-level client of each loop
closes with its loop, the table prefix is read when the client opens. Runs on every backend
(on the endpoint and server backends, aiohttp's real connections are what is at stake)."""

from __future__ import annotations

import asyncio
import gc
import os
import warnings
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest

from aiodynamodb import TABLE_PREFIX_ENV, ClientStateError, DynamoDB

from .models import User

pytestmark = pytest.mark.dynamodb_tables(User)

T = TypeVar("T")


async def in_another_loop(work: Callable[[], Awaitable[T]]) -> T:
    """Run ``work`` to completion on a new event loop (asyncio.run, in a thread)."""

    async def run() -> T:
        return await work()

    return await asyncio.to_thread(asyncio.run, run())


async def test_a_bare_client_reopens_on_the_next_loop_after_its_loop_ended(
    dynamodb: DynamoDB,
) -> None:
    db = DynamoDB()

    async def first_loop() -> Any:
        await db.put(User(user_id="u1", name="Alice"))
        return await db.low_level_client()

    first = await in_another_loop(first_loop)  # that loop has shut down since
    assert not db.closed
    assert await db.get(User, hash_key="u1") == User(user_id="u1", name="Alice")
    assert await db.low_level_client() is not first
    del first
    gc.collect()  # an unclosed aiohttp session or socket would warn here: an error
    await db.close()


async def test_one_client_serves_two_live_loops_at_once(dynamodb: DynamoDB) -> None:
    db = DynamoDB()
    await db.put(User(user_id="u1", name="Alice"))
    assert await in_another_loop(lambda: db.get(User, hash_key="u1")) == User(
        user_id="u1", name="Alice"
    )
    await db.put(User(user_id="u2", name="Bob"))  # this loop's client is still open
    await db.close()
    with pytest.raises(ClientStateError, match="closed; create a new DynamoDB"):
        await in_another_loop(lambda: db.get(User, hash_key="u1"))


async def test_a_loop_closed_without_shutting_down_is_reported(dynamodb: DynamoDB) -> None:
    db = DynamoDB()

    def abrupt() -> None:
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(db.put(User(user_id="u1", name="Alice")))
        finally:
            loop.close()  # no shutdown_asyncgens(): the client could not close with it

    await asyncio.to_thread(abrupt)
    with pytest.raises(ClientStateError, match=r"closed without shutting down .* asyncio.run"):
        await db.get(User, hash_key="u1")
    with warnings.catch_warnings():
        # What that loop held cannot be closed any more: dropped, aiohttp may warn.
        warnings.simplefilter("ignore", ResourceWarning)
        await db.close()
        gc.collect()


async def test_the_prefix_is_read_when_the_client_opens(
    dynamodb: DynamoDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_prefix = os.environ.get(TABLE_PREFIX_ENV, "")
    monkeypatch.setenv(TABLE_PREFIX_ENV, "at_import_")
    db = DynamoDB()  # as a module-level client is, before the test run sets the prefix
    assert db.table_name(User) == "at_import_it_users"  # nothing open: read now
    monkeypatch.setenv(TABLE_PREFIX_ENV, run_prefix)
    await db.put(User(user_id="u1", name="Alice"))
    assert db.table_name(User) == dynamodb.table_name(User)
    monkeypatch.setenv(TABLE_PREFIX_ENV, "later_")
    assert db.table_prefix == run_prefix  # fixed while open
    assert await dynamodb.get(User, hash_key="u1") == User(user_id="u1", name="Alice")
    await db.close()
    assert DynamoDB(table_prefix="mine_").table_name(User) == "mine_it_users"
