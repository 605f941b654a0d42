"""Figure: put / get / query(1,000 items) per operation, ORM vs raw client, same mock.

Both sides run inside one ``mock_dynamodb(Record, strict=False)``: the ORM is the
``DynamoDB`` it yields (on the shared low-level client the memory backend creates, as the
pytest fixture does); the baseline is a raw aiobotocore client created inside the same mock
with default settings, writing hand-built AttributeValue maps (checked to be the very items
the ORM writes) to a table of its own with the same schema and the same items. Both clients
reach moto through the same interception layer; with ``strict=False`` aiodynamodb's
strict-rules layer is off for both.

Inputs (models / dicts) are built before timing: the figure is the cost of the operation
given the data in hand. Time is CPU time of this process (see ``measure.CLOCK``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from boto3.dynamodb.conditions import Key

from aiodynamodb import DynamoDB
from aiodynamodb.codec import codec_for
from aiodynamodb.testing import mock_dynamodb
from benchmarks.measure import CLOCK, ainterleave, arguments, emit, progress, row
from benchmarks.models import (
    RAW_TABLE,
    Record,
    check_items_match,
    raw_table_params,
    record,
    record_item,
)

FIGURE = "item_ops"
TARGET = 1.05


def per_op(run: Callable[[], Awaitable[None]], ops: int) -> Callable[[], Awaitable[float]]:
    """A sample function: run the block once, return CPU seconds per operation."""

    async def sample() -> float:
        start = CLOCK()
        await run()
        return (CLOCK() - start) / ops

    return sample


async def raw_query_all(raw: Any, pk: str) -> list[dict[str, Any]]:
    """Every item of partition ``pk`` through the raw client, page by page."""
    params: dict[str, Any] = {
        "TableName": RAW_TABLE,
        "KeyConditionExpression": "#pk = :pk",
        "ExpressionAttributeNames": {"#pk": "pk"},
        "ExpressionAttributeValues": {":pk": {"S": pk}},
    }
    items: list[dict[str, Any]] = []
    while True:
        page = await raw.query(**params)
        items.extend(page["Items"])
        last = page.get("LastEvaluatedKey")
        if last is None:
            return items
        params["ExclusiveStartKey"] = last


def serializer_chain(client: Any) -> str:
    """``client``'s request serializer and what it wraps, by class name."""
    names = []
    serializer = client._serializer
    while serializer is not None:
        names.append(type(serializer).__name__)
        serializer = getattr(serializer, "fallback", None) or getattr(
            serializer, "_serializer", None
        )
    return " -> ".join(names)


def _intercepting() -> bool | None:
    try:
        from aiodynamodb.testing.intercept import is_intercepting
    except ImportError:  # an older layout without the interception layer
        return None
    return is_intercepting()


async def run(quick: bool) -> None:
    ops = 5 if quick else 30
    query_items = 20 if quick else 1000
    reps = 2 if quick else 31
    query_reps = 2 if quick else 7

    from aiobotocore.session import get_session

    check_items_match(codec_for(Record).encode)
    session = get_session()
    async with (
        mock_dynamodb(Record, strict=False) as db,
        session.create_client("dynamodb", region_name="us-east-1") as raw,
    ):
        intercepted = _intercepting()
        shared = await db.low_level_client()
        serializers = {"ours": serializer_chain(shared), "raw": serializer_chain(raw)}
        await raw.create_table(**raw_table_params(RAW_TABLE))
        models = [record(i, "w") for i in range(ops)]
        items = [record_item(i, "w") for i in range(ops)]
        keys = [{"pk": {"S": "g"}, "sk": {"N": str(i)}} for i in range(ops)]
        # Data for get and query, identical in both tables.
        await db.batch_write(puts=[record(i, "g") for i in range(ops)])
        await db.batch_write(puts=[record(i, "q") for i in range(query_items)])
        for i in range(ops):
            await raw.put_item(TableName=RAW_TABLE, Item=record_item(i, "g"))
        for i in range(query_items):
            await raw.put_item(TableName=RAW_TABLE, Item=record_item(i, "q"))

        def orm_put(client: DynamoDB) -> Callable[[], Awaitable[None]]:
            async def block() -> None:
                for model in models:
                    await client.put(model)

            return block

        async def raw_put() -> None:
            for item in items:
                await raw.put_item(TableName=RAW_TABLE, Item=item)

        def orm_get(client: DynamoDB) -> Callable[[], Awaitable[None]]:
            async def block() -> None:
                for i in range(ops):
                    assert await client.get(Record, hash_key="g", range_key=i) is not None

            return block

        async def raw_get() -> None:
            for key in keys:
                assert "Item" in await raw.get_item(TableName=RAW_TABLE, Key=key)

        condition = Key("pk").eq("q")

        async def orm_query() -> None:
            found = await db.query(Record, key_condition_expression=condition).all()
            assert len(found) == query_items

        async def raw_query() -> None:
            assert len(await raw_query_all(raw, "q")) == query_items

        rows = []
        for op, orm_fn, raw_fn in (("put", orm_put, raw_put), ("get", orm_get, raw_get)):
            ours, base = await ainterleave(
                per_op(orm_fn(db), ops), per_op(raw_fn, ops), reps=reps, label=op
            )
            rows.append(
                row(
                    FIGURE,
                    f"{op} (mock)",
                    kind="max_ratio",
                    ours=ours,
                    baseline=base,
                    unit="us",
                    scale=1e6,
                    target=TARGET,
                )
            )
        case = f"query {query_items:,} items"
        ours, base = await ainterleave(
            per_op(orm_query, 1), per_op(raw_query, 1), reps=query_reps, label=case
        )
        rows.append(
            row(
                FIGURE,
                f"{case} (mock)",
                kind="max_ratio",
                ours=ours,
                baseline=base,
                unit="ms",
                scale=1e3,
                target=TARGET,
            )
        )
    layer = {
        True: "both clients were created inside the mock's interception layer "
        "(aiodynamodb.testing.intercept), so both pass through the same before-send handler "
        "into moto",
        False: "both clients reach moto through aiomoto's before-send stub",
        None: "both clients reach moto through aiomoto's before-send stub",
    }[intercepted]
    notes = [
        f"item_ops: put/get {reps} repetitions x {ops} calls, query {query_reps} repetitions "
        f"x 1 query; CPU time, 1 warm-up; {layer}; strict layer off (strict=False); "
        f"request serializers (ParamValidationDecorator = botocore's validation): ours "
        f"{serializers['ours']}; raw {serializers['raw']}.",
    ]
    progress("done")
    emit(FIGURE, rows, notes=notes)


def main() -> None:
    args = arguments(__doc__ or "")
    asyncio.run(run(args.quick))


if __name__ == "__main__":
    main()
