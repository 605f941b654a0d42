"""Figure: memory of a 100,000-item query result held as models vs as raw dicts (tracemalloc).

The result's size does not depend on where the pages come from, so the pages are canned
(``benchmarks.stub``): 100 responses of 1,000 ``Record`` items (10 fields) with
``LastEvaluatedKey`` chaining, served to both clients without a mock, whose own allocations
would otherwise land in the peak. Ours: ``db.query(Record, ...).all()``, a list of models.
Baseline: the raw client's ``query`` loop collecting each page's ``Items`` (AttributeValue
dicts, what botocore returns).

For each side, with ``tracemalloc`` tracing: *held* is the memory still allocated once the
list is complete (the result), *peak* the highest point reached while fetching (result plus
the transient page being parsed). Reported, no target. Each side runs once in the full run
(twice, interleaved, with ``--quick``): the numbers are deterministic to within a few
kilobytes, and tracing 100,000 items takes most of a minute per side.
"""

from __future__ import annotations

import asyncio
import gc
import json
import tracemalloc
from collections.abc import Awaitable, Callable
from typing import Any

from aiobotocore.session import get_session
from boto3.dynamodb.conditions import Key

from aiodynamodb import DynamoDB
from aiodynamodb.testing import patched_environment
from benchmarks.measure import arguments, emit, progress, row
from benchmarks.models import Record, record_item
from benchmarks.stub import DEAD_ENDPOINT, CannedTransport, body_of

FIGURE = "query_memory"
PAGE = 1000
PK = "m"


def pages(total: int) -> list[bytes]:
    """Response bodies of a query over ``total`` items, ``PAGE`` per page."""
    bodies = []
    for start in range(0, total, PAGE):
        items = [record_item(i, PK) for i in range(start, min(start + PAGE, total))]
        page: dict[str, Any] = {"Items": items, "Count": len(items), "ScannedCount": len(items)}
        if start + PAGE < total:
            page["LastEvaluatedKey"] = {"pk": {"S": PK}, "sk": {"N": str(start + PAGE - 1)}}
        bodies.append(json.dumps(page).encode())
    return bodies


async def run(quick: bool) -> None:
    total = 2000 if quick else 100_000
    reps = 2 if quick else 1
    bodies = pages(total)

    warm_bodies = pages(2 * PAGE)

    def answer(request: Any) -> bytes:
        body = body_of(request)
        start = body.get("ExclusiveStartKey")
        index = 0 if start is None else (int(start["sk"]["N"]) + 1) // PAGE
        return (warm_bodies if body["TableName"].startswith("warm") else bodies)[index]

    transport = CannedTransport({"Query": answer})
    held: dict[str, list[float]] = {"models": [], "raw": []}
    peaks: dict[str, list[float]] = {"models": [], "raw": []}
    async with DynamoDB(endpoint_url=DEAD_ENDPOINT, region_name="us-east-1") as db:
        transport.install(await db.low_level_client())
        warm_db = DynamoDB(client=await db.low_level_client(), table_prefix="warm_")
        async with get_session().create_client(
            "dynamodb", region_name="us-east-1", endpoint_url=DEAD_ENDPOINT
        ) as raw:
            transport.install(raw)

            async def models(db: DynamoDB = db) -> list[Any]:
                return await db.query(Record, key_condition_expression=Key("pk").eq(PK)).all()

            async def raw_items(table: str = "raw_bench_records") -> list[Any]:
                params: dict[str, Any] = {
                    "TableName": table,
                    "KeyConditionExpression": "#pk = :pk",
                    "ExpressionAttributeNames": {"#pk": "pk"},
                    "ExpressionAttributeValues": {":pk": {"S": PK}},
                }
                found: list[Any] = []
                while True:
                    page = await raw.query(**params)
                    found.extend(page["Items"])
                    last = page.get("LastEvaluatedKey")
                    if last is None:
                        return found
                    params["ExclusiveStartKey"] = last

            # Warm both paths (imports, caches) on a small canned table before tracing.
            assert len(await models(warm_db)) == len(await raw_items("warm")) == 2 * PAGE
            for rep in range(reps):
                order: list[tuple[str, Callable[[], Awaitable[list[Any]]]]] = [
                    ("models", models),
                    ("raw", raw_items),
                ]
                if rep % 2:
                    order.reverse()
                for name, fetch in order:
                    h, p = await traced(fetch, total)
                    held[name].append(h)
                    peaks[name].append(p)
                    progress(f"{name}: held {h / 2**20:.1f} MiB, peak {p / 2**20:.1f} MiB")
    rows = [
        row(
            FIGURE,
            f"{total:,}-item query result held (models vs raw dicts)",
            kind="report",
            ours=held["models"],
            baseline=held["raw"],
            unit="MiB",
            scale=1 / 2**20,
            target=None,
        ),
        row(
            FIGURE,
            "  peak while fetching",
            kind="report",
            ours=peaks["models"],
            baseline=peaks["raw"],
            unit="MiB",
            scale=1 / 2**20,
            target=None,
        ),
    ]
    per_item = {k: v[0] / total for k, v in held.items()}
    notes = [
        f"query_memory: tracemalloc, {total:,} items in {len(bodies)} canned pages; held per "
        f"item: models {per_item['models']:.0f} B, raw dicts {per_item['raw']:.0f} B."
    ]
    progress("done")
    emit(FIGURE, rows, notes=notes)


async def traced(fetch: Callable[[], Awaitable[list[Any]]], total: int) -> tuple[int, int]:
    """(held bytes, peak bytes) of one fetch under tracemalloc."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    result = await fetch()
    gc.collect()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(result) == total
    del result
    gc.collect()
    return current - before, peak - before


def main() -> None:
    args = arguments(__doc__ or "")
    with patched_environment():
        asyncio.run(run(args.quick))


if __name__ == "__main__":
    main()
