"""Figure: batch_write + full query of N items, ORM vs raw client, same mock; cost per item.

One ``mock_dynamodb(strict=False)`` serves both sides. For each size N and repetition, each
side gets a fresh table (created and deleted outside the timing) and then, timed:
``batch_write`` of N pre-built items followed by a query that reads the whole partition
back, page by page. Ours: ``db.batch_write(puts=models)`` and
``db.query(...).all()`` (models). Baseline: ``batch_write_item`` in chunks of 25 with an
``UnprocessedItems`` loop, and ``query`` with an ``ExclusiveStartKey`` loop (wire dicts).

The item is a 4-field model (str, int, str, float). moto's response serializer costs about
1.4 ms per returned 10-field item on this machine (``moto/core/serialize.py``), which would
put 100,000 items far beyond the time budget of ``make bench``; a smaller item keeps the
mock's share per item smaller, which makes the ORM's own share *larger*, not smaller.

Sizes 1,000 and 10,000 run several repetitions. On the mock 100,000 items run only with
``--large`` (``python -m benchmarks --only batch_scale --large``), once (about two minutes
of a quiet machine for the two sides), to keep ``make bench`` under 10 minutes: that row and
the mock's growth row carry an order effect of a few percent (see MOCK_PLAN) and have no
target. On the stubbed transport 100,000 items always run. The
10,000 row carries the target; the curve rows show CPU microseconds per item at each size
for both sides.

Cost per item: moto's own cost per item grows with the table (for every 1 MB page of a query
it walks and sorts every item of the table again, ``moto/dynamodb/models/table.py``), for
both sides alike, so the mock cannot show whether *our* code is
linear. The same rounds therefore also run against a transport that answers at once
(``benchmarks.stub``: ``BatchWriteItem`` answers no unprocessed items, ``Query`` serves
canned pages of 1,000 items): there only client code runs, and the growth of the ORM's cost
per item from the smallest to the largest size is the judged "flat" figure. There a sample
of a smaller size repeats its round up to 10,000 items (``STUB_VOLUME``), so that every size
pays its share of the garbage collector's full passes.
"""

from __future__ import annotations

import asyncio
import gc
import json
import statistics
from typing import Any

from boto3.dynamodb.conditions import Key

from aiodynamodb import DynamoDB, DynamoModel, table
from aiodynamodb.testing import mock_dynamodb, patched_environment
from benchmarks.measure import CLOCK, arguments, emit, progress, row
from benchmarks.stub import DEAD_ENDPOINT, CannedTransport, body_of

FIGURE = "batch_scale"
TARGET = 1.05
GROWTH_TARGET = 1.25
PK = "batch"


@table("bench_batch", hash_key="pk", range_key="sk")
class Entry(DynamoModel):
    """The 4-field item of this figure."""

    pk: str
    sk: int
    name: str
    score: float


def entry(i: int) -> Entry:
    return Entry(pk=PK, sk=i, name=f"entry number {i:08d}", score=i / 7)


def entry_item(i: int) -> dict[str, Any]:
    return {
        "pk": {"S": PK},
        "sk": {"N": str(i)},
        "name": {"S": f"entry number {i:08d}"},
        "score": {"N": repr(i / 7)},
    }


def raw_params(name: str) -> dict[str, Any]:
    return {
        "TableName": name,
        "KeySchema": [
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        "AttributeDefinitions": [
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
        ],
        "BillingMode": "PAY_PER_REQUEST",
    }


async def raw_batch_write(raw: Any, name: str, items: list[dict[str, Any]]) -> None:
    for start in range(0, len(items), 25):
        request: dict[str, Any] = {
            name: [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
        }
        while request:
            response = await raw.batch_write_item(RequestItems=request)
            request = response.get("UnprocessedItems") or {}


async def raw_query(raw: Any, name: str) -> list[dict[str, Any]]:
    params: dict[str, Any] = {
        "TableName": name,
        "KeyConditionExpression": "#pk = :pk",
        "ExpressionAttributeNames": {"#pk": "pk"},
        "ExpressionAttributeValues": {":pk": {"S": PK}},
    }
    found: list[dict[str, Any]] = []
    while True:
        page = await raw.query(**params)
        found.extend(page["Items"])
        last = page.get("LastEvaluatedKey")
        if last is None:
            return found
        params["ExclusiveStartKey"] = last


async def orm_round(db: DynamoDB, models: list[Entry]) -> tuple[float, float]:
    """(total, write) CPU seconds of batch_write + query through the ORM, fresh table."""
    await db.create_table(Entry)
    gc.collect()
    start = CLOCK()
    await db.batch_write(puts=models)
    mid = CLOCK()
    got = await db.query(Entry, key_condition_expression=Key("pk").eq(PK)).all()
    end = CLOCK()
    assert len(got) == len(models)
    del got
    await db.delete_table(Entry)
    return end - start, mid - start


async def raw_round(raw: Any, name: str, items: list[dict[str, Any]]) -> tuple[float, float]:
    """(total, write) CPU seconds of the same through the raw client, fresh table."""
    await raw.create_table(**raw_params(name))
    gc.collect()
    start = CLOCK()
    await raw_batch_write(raw, name, items)
    mid = CLOCK()
    got = await raw_query(raw, name)
    end = CLOCK()
    assert len(got) == len(items)
    del got
    await raw.delete_table(TableName=name)
    return end - start, mid - start


# (size, repetitions, warm-up). Repetitions alternate which side goes first, and an even
# count gives each side the first slot equally often: whichever side runs second allocates
# into memory the first one just freed (its table was deleted), which is measurably cheaper.
MOCK_PLAN = [(1000, 6, 1), (10_000, 4, 0)]
# 100,000 items on the mock cost ~2 minutes of a quiet machine for the two sides and carry
# no target (the flatness target is judged on the stubbed transport, STUB_PLAN), so they
# run only with ``--large``.
MOCK_LARGE = (100_000, 1, 0)
STUB_PLAN = [(1000, 6, 1), (10_000, 4, 0), (100_000, 2, 0)]
QUICK_PLAN = [(50, 2, 1), (500, 2, 0)]
# On the stubbed transport a sample of a smaller size runs its round (batch_write + query)
# as many times as it takes to handle this many items, timed as one. The garbage
# collector's full passes fall on whichever call crosses its threshold: one 1,000-item round
# right after gc.collect() never crossed it (0 full passes in every sample), every round of
# 10,000 items or more did (1 to 6), so the smallest size was measured without the share of
# collector work its own allocations cause, and the growth row showed that as a step
# between 1,000 and 10,000 items (issue 18). With the same volume in every sample, each
# size pays its share.
STUB_VOLUME = 10_000
QUICK_VOLUME = 500


async def mock_curve(plan: list[tuple[int, int, int]]) -> dict[int, dict[str, list[float]]]:
    """Per-item CPU seconds of both sides on the mock, for each (size, reps, warm-up)."""
    from aiobotocore.session import get_session

    curve: dict[int, dict[str, list[float]]] = {}
    async with (
        mock_dynamodb(strict=False) as shared,
        get_session().create_client("dynamodb", region_name="us-east-1") as raw,
    ):
        low = await shared.low_level_client()
        for size, reps, warmup in plan:
            models = [entry(i) for i in range(size)]
            items = [entry_item(i) for i in range(size)]
            points: dict[str, list[float]] = {
                "ours": [],
                "base": [],
                "ours_write": [],
                "base_write": [],
            }
            for rep in range(warmup + reps):
                prefix = f"r{size}_{rep}_"
                db = DynamoDB(client=low, table_prefix=prefix)
                if rep % 2 == 0:
                    o = await orm_round(db, models)
                    b = await raw_round(raw, f"{prefix}raw_batch", items)
                else:
                    b = await raw_round(raw, f"{prefix}raw_batch", items)
                    o = await orm_round(db, models)
                progress(
                    f"mock {size:,} items rep {rep + 1}/{warmup + reps}"
                    f"{' (warm-up)' if rep < warmup else ''}: ours {o[0]:.2f} s, base {b[0]:.2f} s"
                )
                if rep >= warmup:
                    points["ours"].append(o[0] / size)
                    points["base"].append(b[0] / size)
                    points["ours_write"].append(o[1] / size)
                    points["base_write"].append(b[1] / size)
            curve[size] = points
    return curve


def query_pages(size: int, page: int = 1000) -> list[bytes]:
    """Canned Query response bodies over ``size`` entries, ``page`` per response."""
    bodies = []
    for start in range(0, size, page):
        chunk = [entry_item(i) for i in range(start, min(start + page, size))]
        body: dict[str, Any] = {"Items": chunk, "Count": len(chunk), "ScannedCount": len(chunk)}
        if start + page < size:
            body["LastEvaluatedKey"] = {"pk": {"S": PK}, "sk": {"N": str(start + page - 1)}}
        bodies.append(json.dumps(body).encode())
    return bodies


async def stub_curve(
    plan: list[tuple[int, int, int]], volume: int = STUB_VOLUME
) -> dict[int, dict[str, list[float]]]:
    """The same rounds against a transport that answers at once: our code's own cost.

    A sample of a size below ``volume`` repeats its round up to ``volume`` items (see
    STUB_VOLUME).
    """
    from aiobotocore.session import get_session

    current: list[bytes] = []

    def answer_query(request: Any) -> bytes:
        start = body_of(request).get("ExclusiveStartKey")
        return current[0 if start is None else (int(start["sk"]["N"]) + 1) // 1000]

    transport = CannedTransport(
        {"BatchWriteItem": b'{"UnprocessedItems": {}}', "Query": answer_query}
    )
    curve: dict[int, dict[str, list[float]]] = {}
    async with (
        DynamoDB(endpoint_url=DEAD_ENDPOINT, region_name="us-east-1") as db,
        get_session().create_client(
            "dynamodb", region_name="us-east-1", endpoint_url=DEAD_ENDPOINT
        ) as raw,
    ):
        transport.install(await db.low_level_client())
        transport.install(raw)
        for size, reps, warmup in plan:
            models = [entry(i) for i in range(size)]
            items = [entry_item(i) for i in range(size)]
            current[:] = query_pages(size)
            # The inputs of both sides (models for ours, wire dicts for the raw client) stay
            # alive through every round: frozen, the collector's full passes do not walk
            # them, so a side's collector cost is that of its own allocations, not of the
            # other side's input, which grows with the size.
            gc.collect()
            gc.freeze()
            points: dict[str, list[float]] = {"ours": [], "base": []}
            for rep in range(warmup + reps):
                order: list[tuple[str, Any, Any, Any]] = [
                    ("ours", orm_stubbed, db, models),
                    ("base", raw_stubbed, raw, items),
                ]
                if rep % 2:
                    order.reverse()
                loops = max(1, volume // size)
                for side, fn, client, data in order:
                    gc.collect()
                    start = CLOCK()
                    for _ in range(loops):
                        await fn(client, data)
                    if rep >= warmup:
                        points[side].append((CLOCK() - start) / (size * loops))
            progress(
                f"stubbed {size:,} items: ours {statistics.median(points['ours']) * 1e6:.1f} "
                f"us/item, base {statistics.median(points['base']) * 1e6:.1f} us/item"
            )
            curve[size] = points
            gc.unfreeze()
    return curve


async def orm_stubbed(db: DynamoDB, models: list[Entry]) -> None:
    await db.batch_write(puts=models)
    got = await db.query(Entry, key_condition_expression=Key("pk").eq(PK)).all()
    assert len(got) == len(models)


async def raw_stubbed(raw: Any, items: list[dict[str, Any]]) -> None:
    await raw_batch_write(raw, "raw_batch", items)
    got = await raw_query(raw, "raw_batch")
    assert len(got) == len(items)


def growth(curve: dict[int, dict[str, list[float]]], side: str) -> float:
    sizes = sorted(curve)
    return statistics.median(curve[sizes[-1]][side]) / statistics.median(curve[sizes[0]][side])


async def run(quick: bool, large: bool = False) -> None:
    mock_plan = QUICK_PLAN if quick else [*MOCK_PLAN, *([MOCK_LARGE] if large else [])]
    stub_plan = QUICK_PLAN if quick else STUB_PLAN
    target_size = mock_plan[1][0]
    mock = await mock_curve(mock_plan)
    with patched_environment():
        stub = await stub_curve(stub_plan, volume=QUICK_VOLUME if quick else STUB_VOLUME)
    rows: list[dict[str, Any]] = []
    for size, points in mock.items():
        judged = size == target_size
        rows.append(
            row(
                FIGURE,
                f"batch_write + query, {size:,} items, per item (mock)",
                kind="max_ratio" if judged else "report",
                ours=points["ours"],
                baseline=points["base"],
                unit="us",
                scale=1e6,
                target=TARGET if judged else None,
            )
        )
    smallest, largest = min(mock), max(mock)
    rows.append(
        row(
            FIGURE,
            f"  mock: cost/item growth {largest:,} vs {smallest:,} items",
            kind="report",
            ours=growth(mock, "ours"),
            baseline=growth(mock, "base"),
            unit="x",
            target=None,
        )
    )
    for size, points in stub.items():
        rows.append(
            row(
                FIGURE,
                f"  same, {size:,} items, transport stubbed (client CPU only)",
                kind="report",
                ours=points["ours"],
                baseline=points["base"],
                unit="us",
                scale=1e6,
                target=None,
            )
        )
    smallest, largest = min(stub), max(stub)
    rows.append(
        row(
            FIGURE,
            f"  stubbed: cost/item growth {largest:,} vs {smallest:,} items",
            kind="max_growth",
            ours=growth(stub, "ours"),
            baseline=growth(stub, "base"),
            unit="x",
            target=GROWTH_TARGET,
        )
    )
    overhead = {
        size: (statistics.median(p["ours"]) - statistics.median(p["base"])) * 1e6
        for size, p in mock.items()
    }
    notes = [
        "batch_scale: repetitions (warm-up) per size, mock: "
        + ", ".join(f"{s:,}: {r} ({w})" for s, r, w in mock_plan)
        + "; stubbed: "
        + ", ".join(f"{s:,}: {r} ({w})" for s, r, w in stub_plan)
        + f" (a stubbed sample of a smaller size repeats its round up to "
        f"{QUICK_VOLUME if quick else STUB_VOLUME:,} items, so that every size pays its share "
        "of the garbage collector's full passes)"
        + (
            "; on the mock 100,000 items run once (ours first), with --large only"
            if not quick and not large
            else "; on the mock the largest size runs once (ours first) to fit the time budget"
        )
        + "; CPU time. On the mock, ORM "
        "minus raw per item (us): "
        + ", ".join(f"{s:,}: {v:+.1f}" for s, v in overhead.items())
        + ". moto's own cost per item grows with the table (it walks and sorts the whole "
        "table for every 1 MB page of a query), for both sides alike; the flatness target is "
        "judged on the stubbed transport, where only client code runs: growth <= "
        f"{GROWTH_TARGET}x.",
    ]
    progress("done")
    emit(
        FIGURE,
        rows,
        notes=notes,
        extra={
            "mock_s_per_item": {str(k): v for k, v in mock.items()},
            "stubbed_s_per_item": {str(k): v for k, v in stub.items()},
        },
    )


def main() -> None:
    args = arguments(__doc__ or "")
    asyncio.run(run(args.quick, args.large))


if __name__ == "__main__":
    main()
