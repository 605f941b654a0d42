"""Figure: put / get / query(1,000 items) per operation, ORM vs raw client, same mock.

Both sides run inside one ``mock_dynamodb(Record)`` with its defaults, as the pytest plugin
runs (the strict rules on): the ORM is the ``DynamoDB`` it yields (on the shared low-level
client the memory backend creates, as the pytest fixture does); the baselines are raw
aiobotocore clients created inside the same mock, writing hand-built AttributeValue maps
(checked to be the very items the ORM writes) to a table of their own with the same schema
and the same items. Two raw clients run, interleaved with ours (rotating order):

- configured like ours: ``Config(parameter_validation=False)`` (the ORM's client skips
  botocore's validation because its codec guarantees the shapes); the target is held
  against this one;
- with botocore's defaults (parameter validation on), reported.

All clients reach moto through the same interception layer.

Inputs (models / dicts) are built before timing: the figure is the cost of the operation
given the data in hand. Time is CPU time of this process (see ``measure.CLOCK``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from boto3.dynamodb.conditions import Key

from aiodynamodb.codec import codec_for
from aiodynamodb.testing import mock_dynamodb
from benchmarks.measure import CLOCK, arguments, arotate, emit, progress, row
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


RAW_LIKE_OURS = "raw client, parameter_validation=False (like ours)"
RAW_DEFAULT = "raw client, botocore defaults (validation on)"


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
    reps = 2 if quick else 21
    query_reps = 2 if quick else 5

    from aiobotocore.config import AioConfig
    from aiobotocore.session import get_session

    check_items_match(codec_for(Record).encode)
    session = get_session()
    async with (
        mock_dynamodb(Record) as db,
        session.create_client("dynamodb", region_name="us-east-1") as checked,
        session.create_client(
            "dynamodb",
            region_name="us-east-1",
            config=AioConfig(parameter_validation=False),
        ) as lean,
    ):
        intercepted = _intercepting()
        shared = await db.low_level_client()
        serializers = {
            "ours": serializer_chain(shared),
            "raw": serializer_chain(checked),
            "raw like ours": serializer_chain(lean),
        }
        await lean.create_table(**raw_table_params(RAW_TABLE))
        models = [record(i, "w") for i in range(ops)]
        items = [record_item(i, "w") for i in range(ops)]
        keys = [{"pk": {"S": "g"}, "sk": {"N": str(i)}} for i in range(ops)]
        # Data for get and query, identical in both tables.
        await db.batch_write(puts=[record(i, "g") for i in range(ops)])
        await db.batch_write(puts=[record(i, "q") for i in range(query_items)])
        for i in range(ops):
            await lean.put_item(TableName=RAW_TABLE, Item=record_item(i, "g"))
        for i in range(query_items):
            await lean.put_item(TableName=RAW_TABLE, Item=record_item(i, "q"))

        async def orm_put() -> None:
            for model in models:
                await db.put(model)

        def raw_put(raw: Any) -> Callable[[], Awaitable[None]]:
            async def block() -> None:
                for item in items:
                    await raw.put_item(TableName=RAW_TABLE, Item=item)

            return block

        async def orm_get() -> None:
            for i in range(ops):
                assert await db.get(Record, hash_key="g", range_key=i) is not None

        def raw_get(raw: Any) -> Callable[[], Awaitable[None]]:
            async def block() -> None:
                for key in keys:
                    assert "Item" in await raw.get_item(TableName=RAW_TABLE, Key=key)

            return block

        condition = Key("pk").eq("q")

        async def orm_query() -> None:
            found = await db.query(Record, key_condition_expression=condition).all()
            assert len(found) == query_items

        def raw_query(raw: Any) -> Callable[[], Awaitable[None]]:
            async def block() -> None:
                assert len(await raw_query_all(raw, "q")) == query_items

            return block

        rows = []
        case = f"query {query_items:,} items"
        plans = (
            ("put", orm_put, raw_put, ops, reps, "us", 1e6),
            ("get", orm_get, raw_get, ops, reps, "us", 1e6),
            (case, orm_query, raw_query, 1, query_reps, "ms", 1e3),
        )
        for op, orm_fn, raw_fn, count, repetitions, unit, scale in plans:
            samples = await arotate(
                {
                    "ours": per_op(orm_fn, count),
                    RAW_LIKE_OURS: per_op(raw_fn(lean), count),
                    RAW_DEFAULT: per_op(raw_fn(checked), count),
                },
                reps=repetitions,
                label=op,
            )
            rows.append(
                row(
                    FIGURE,
                    f"{op} (mock, strict rules on)",
                    kind="max_ratio",
                    ours=samples["ours"],
                    baseline=samples[RAW_LIKE_OURS],
                    unit=unit,
                    scale=scale,
                    target=TARGET,
                    note=f"baseline: {RAW_LIKE_OURS}",
                )
            )
            rows.append(
                row(
                    FIGURE,
                    f"  same vs {RAW_DEFAULT}",
                    kind="report",
                    ours=samples["ours"],
                    baseline=samples[RAW_DEFAULT],
                    unit=unit,
                    scale=scale,
                    target=None,
                )
            )
    layer = {
        True: "all clients were created inside the mock's interception layer "
        "(aiodynamodb.testing.intercept), so all pass through the same before-send handler "
        "into moto",
        False: "all clients reach moto through aiomoto's before-send stub",
        None: "all clients reach moto through aiomoto's before-send stub",
    }[intercepted]
    notes = [
        f"item_ops: put/get {reps} repetitions x {ops} calls, query {query_reps} repetitions "
        f"x 1 query; CPU time, medians, 1 warm-up, ours and both raw clients interleaved "
        f"(rotating order); {layer}; strict rules on (mock_dynamodb's default, as the "
        f"plugin's); target held against the raw client with parameter_validation=False; "
        f"request serializers (ParamValidationDecorator = botocore's validation): ours "
        f"{serializers['ours']}; raw like ours {serializers['raw like ours']}; raw default "
        f"{serializers['raw']}.",
    ]
    progress("done")
    emit(FIGURE, rows, notes=notes)


def main() -> None:
    args = arguments(__doc__ or "")
    asyncio.run(run(args.quick))


if __name__ == "__main__":
    main()
