"""Faults that interleave: seeded probabilities, every-Nth and after-N rules, latency on a
virtual clock, combined per operation and table. A seeded random plan replays identically and
loses nothing. Runs on every backend (faults hook into the client)."""

from __future__ import annotations

import pytest
from boto3.dynamodb.conditions import Key
from botocore.config import Config
from botocore.exceptions import ClientError

from aiodynamodb import DynamoDB, ItemKey
from aiodynamodb.testing.faults import FaultInjector
from aiodynamodb.testing.recorder import CallRecorder

from .models import Order, User

pytestmark = pytest.mark.dynamodb_tables(User, Order)


def users(count: int) -> list[User]:
    return [User(user_id=f"u{i:04d}", name=f"user {i}") for i in range(count)]


async def fast(db: DynamoDB) -> DynamoDB:
    """The fixture's client with short back-off, so retries cost milliseconds."""
    return DynamoDB(
        client=await db.low_level_client(),
        table_prefix=db.table_prefix,
        batch_max_attempts=60,
        batch_base_delay=0.001,
        batch_max_delay=0.002,
    )


async def run_plan(db: DynamoDB, items: list[User], seed: int) -> tuple[object, ...]:
    """Write ``items`` through a random plan; what happened, in a comparable form."""
    with (
        FaultInjector(table_prefix=db.table_prefix, seed=seed) as faults,
        CallRecorder() as calls,
    ):
        faults.delay("BatchWriteItem", seconds=0.05)
        faults.fail("BatchWriteItem", error="ThrottlingException", times=None, probability=0.2)
        faults.unprocessed("BatchWriteItem", share=0.4, times=None, probability=0.5)
        await (await fast(db)).batch_write(puts=items)
    return (
        [fault.fired for fault in faults.faults],
        round(faults.clock.elapsed, 6),
        sorted(call.describe() for call in calls.calls),
    )


async def test_a_seeded_random_plan_replays_identically_and_loses_nothing(
    dynamodb: DynamoDB,
) -> None:
    items = users(300)
    keys = [ItemKey(User, u.user_id) for u in items]
    first = await run_plan(dynamodb, items, seed=7)
    assert await dynamodb.batch_get(keys) == items
    await dynamodb.batch_write(deletes=keys)
    assert await dynamodb.batch_get(keys) == []

    again = await run_plan(dynamodb, items, seed=7)
    assert await dynamodb.batch_get(keys) == items
    assert again == first
    fired = first[0]
    assert isinstance(fired, list)
    latency, throttled, partial = fired
    assert throttled > 0  # the plan really interleaved both faults
    assert partial > 0
    assert latency == len(first[2])  # every attempt was delayed ...
    assert first[1] == pytest.approx(0.05 * latency)  # ... on the virtual clock, not slept


async def test_another_seed_gives_another_plan(dynamodb: DynamoDB) -> None:
    items = users(300)
    first = await run_plan(dynamodb, items, seed=7)
    other = await run_plan(dynamodb, items, seed=8)
    assert first != other


async def test_every_nth_and_after_n(dynamodb: DynamoDB) -> None:
    once = Config(retries={"mode": "standard", "total_max_attempts": 1})
    async with DynamoDB(config=once) as db:
        with FaultInjector(table_prefix=db.table_prefix) as faults:
            faults.fail("PutItem", error="InternalServerError", every=3, times=None)
            faults.fail("PutItem", error="ThrottlingException", after=4, times=1)
            outcomes = []
            for i in range(7):
                try:
                    await db.put(User(user_id=f"u{i}", name="n"))
                    outcomes.append("ok")
                except ClientError as error:  # older botocores have no ThrottlingException
                    outcomes.append(error.response["Error"]["Code"])
    # The throttling rule lets the first 4 attempts it sees through; the 3rd attempt was
    # answered by the first rule, so the throttling rule never saw it.
    assert outcomes == [
        "ok",
        "ok",
        "InternalServerError",
        "ok",
        "ok",
        "InternalServerError",
        "ThrottlingException",
    ]


async def test_latency_per_table_is_counted_not_slept(dynamodb: DynamoDB) -> None:
    with FaultInjector(table_prefix=dynamodb.table_prefix) as faults:
        faults.delay(seconds=2.5, table=User)  # every operation on the users table
        faults.delay("GetItem", seconds=1, every=2)
        await dynamodb.put(User(user_id="u1", name="n"))
        assert await dynamodb.get(User, hash_key="u1") is not None
        assert await dynamodb.get(User, hash_key="u1") is not None
        await dynamodb.query(Order, key_condition_expression=Key("customer_id").eq("c1")).all()
    # The second GetItem is delayed by both rules; the query is on another table.
    assert faults.clock.delays == [
        ("PutItem", 2.5),
        ("GetItem", 2.5),
        ("GetItem", 2.5),
        ("GetItem", 1),
    ]
    assert faults.clock.elapsed == 8.5


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"probability": 1.5}, "probability=1.5 must be a number between 0 and 1"),
        ({"every": 0}, "every=0 must be a whole number of attempts, at least 1"),
        ({"after": -1}, "after=-1 must be a whole number of attempts, 0 or more"),
    ],
)
def test_bad_rules_are_refused_by_name(arguments: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FaultInjector().fail("PutItem", **arguments)  # type: ignore[arg-type]
