"""Batches under fault injection: DynamoDB leaves items unprocessed and throttles, and every
item still ends up written; past the retry bound the error lists exactly what is missing."""

from __future__ import annotations

import pytest

from aiodynamodb import BatchGetError, BatchWriteError, DynamoDB, ItemKey
from aiodynamodb.testing.faults import FaultInjector
from aiodynamodb.testing.recorder import CallRecorder

from .models import User

pytestmark = pytest.mark.dynamodb_tables(User)


def users(count: int) -> list[User]:
    return [User(user_id=f"u{i:04d}", name=f"user {i}", visits=i) for i in range(count)]


async def fast(db: DynamoDB, attempts: int = 30) -> DynamoDB:
    """The fixture's client with short back-off, so retries cost milliseconds."""
    return DynamoDB(
        client=await db.low_level_client(),
        table_prefix=db.table_prefix,
        batch_max_attempts=attempts,
        batch_base_delay=0.001,
        batch_max_delay=0.002,
    )


async def test_half_unprocessed_and_throttled_still_writes_everything(
    dynamodb: DynamoDB, dynamodb_faults: FaultInjector, dynamodb_calls: CallRecorder
) -> None:
    items = users(1000)
    dynamodb_faults.unprocessed("BatchWriteItem", share=0.5, times=20)
    dynamodb_faults.fail("BatchWriteItem", error="ProvisionedThroughputExceededException", times=2)
    db = await fast(dynamodb)
    await db.batch_write(puts=items)
    assert sum(f.fired for f in dynamodb_faults.faults) == 22
    written = await db.batch_get([ItemKey(User, u.user_id) for u in items])
    assert written == items
    # 40 chunks of 25 at least, plus the retried halves and the two throttled attempts.
    assert dynamodb_calls.count("BatchWriteItem") > 40


async def test_unprocessed_keys_are_read_again(
    dynamodb: DynamoDB, dynamodb_faults: FaultInjector
) -> None:
    items = users(300)
    await dynamodb.batch_write(puts=items)
    dynamodb_faults.unprocessed("BatchGetItem", share=0.5, times=5)
    db = await fast(dynamodb)
    assert await db.batch_get([ItemKey(User, u.user_id) for u in items]) == items


async def test_past_the_retry_bound_the_error_lists_exactly_the_unwritten_items(
    dynamodb: DynamoDB, dynamodb_faults: FaultInjector
) -> None:
    items = users(100)
    dynamodb_faults.unprocessed("BatchWriteItem", share=0.3, times=None)
    db = await fast(dynamodb, attempts=3)
    with pytest.raises(BatchWriteError, match="still unprocessed after 3 attempts") as info:
        await db.batch_write(puts=items)
    unwritten = info.value.unprocessed
    assert unwritten, "some items must be left with a permanent 30% unprocessed share"
    dynamodb_faults.clear()
    stored = await db.scan(User).all()
    stored_ids = {u.user_id for u in stored}
    assert {u.user_id for u in unwritten} == {u.user_id for u in items} - stored_ids
    assert all(u in items for u in unwritten)


async def test_batch_get_past_the_bound_keeps_what_it_read(
    dynamodb: DynamoDB, dynamodb_faults: FaultInjector
) -> None:
    items = users(50)
    await dynamodb.batch_write(puts=items)
    dynamodb_faults.unprocessed("BatchGetItem", share=0.5, times=None)
    db = await fast(dynamodb, attempts=2)
    keys = [ItemKey(User, u.user_id) for u in items]
    with pytest.raises(BatchGetError) as info:
        await db.batch_get(keys)
    got_ids = {u.user_id for u in info.value.items}
    missing_ids = {k.hash_key for k in info.value.unprocessed}
    assert got_ids | missing_ids == {u.user_id for u in items}
    assert not got_ids & missing_ids


async def test_a_non_retryable_error_reports_what_was_not_written(
    dynamodb: DynamoDB, dynamodb_faults: FaultInjector
) -> None:
    items = users(60)
    dynamodb_faults.fail("BatchWriteItem", error="AccessDeniedException", message="no", times=1)
    db = await fast(dynamodb)
    with pytest.raises(BatchWriteError, match="failed with AccessDeniedException") as info:
        await db.batch_write(puts=items)
    # The chunks (25, 25 and 10 items) are sent concurrently: the fault hits whichever reaches
    # the backend first, and exactly that chunk's items are reported.
    chunks = [{u.user_id for u in items[start : start + 25]} for start in range(0, 60, 25)]
    assert {u.user_id for u in info.value.unprocessed} in chunks
    stored_ids = {u.user_id for u in await db.scan(User).all()}
    assert stored_ids == {u.user_id for u in items} - {u.user_id for u in info.value.unprocessed}
