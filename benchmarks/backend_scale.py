"""Figure: query and scan cost per returned item on the memory backend, and how it scales.

Two sides, each in fresh interpreters (``--side``), alternating round by round:

- ``memory``: ``mock_dynamodb()`` with its defaults (strict rules on); our client
  (``db.query(...).all()`` / ``db.scan(...).all()``, validated models) over tables of 1,000
  and 10,000 items (and 100,000 with ``--large``), one table per size, loaded with
  ``db.batch_write`` before timing;
- ``plain``: plain ``aiomoto.mock_aws()`` and a raw aiobotocore client configured like ours
  (``parameter_validation=False``), paging with ``ExclusiveStartKey``, over a table of 1,000
  items loaded with ``batch_write_item``.

The item is ``batch_scale``'s 4-field ``Entry`` (str, int, str, float): moto's response
serializer costs ~1.4 ms per returned 10-field item here, which would put 10,000 items of
that size beyond ``make bench``'s budget. The 1,000-item rows carry the <= 0.3x target
(cost per returned item, ours / plain); the growth rows are ours alone: cost per item at the
largest size / at 1,000 items, within one process (<= 1.2x, "flat"); a sample of a smaller
size repeats its read up to 10,000 items (``VOLUME``), so that every size pays its share of
the garbage collector's full passes. 100,000 items is
opt-in (``python -m benchmarks --only backend_scale --large``, or
``python -m benchmarks.backend_scale --large``): loading and reading them costs minutes.
"""

from __future__ import annotations

import asyncio
import os
import statistics
from collections.abc import Awaitable, Callable
from typing import Any

from benchmarks.batch_scale import PK, Entry, entry, entry_item, raw_params
from benchmarks.children import print_result, run_side
from benchmarks.measure import CLOCK, arguments, arotate, emit, progress, row

FIGURE = "backend_scale"
SIDES = ("memory", "plain")
TARGET = 0.3
GROWTH_TARGET = 1.2
BASE_SIZE = 1000
REGION = "us-east-1"
RAW_TABLE = "raw_bench_batch"

Sample = Callable[[], Awaitable[float]]


# A memory-side sample of a smaller size repeats its read up to this many items, timed as
# one. The garbage collector's full passes fall on whichever call crosses its threshold
# (every object a read allocates and keeps past a young collection counts towards it): a
# 10,000-item read crossed it in every sample and paid a full pass over the whole heap (its
# tables included), a 1,000-item read in one sample of several, which the median dropped.
# That was most of the query growth row's 1.26x (issue 18); with the same volume in every
# sample each size pays its share of the collector's work.
VOLUME = 10_000
QUICK_VOLUME = 500


def plan(quick: bool, large: bool) -> tuple[list[int], int]:
    """(sizes of the memory side, repetitions) for this run."""
    if quick:
        return [50, 500], 2
    return [BASE_SIZE, 10_000, *([100_000] if large else [])], 2


async def memory_side(sizes: list[int], reps: int, volume: int) -> dict[str, Any]:
    from boto3.dynamodb.conditions import Key

    from aiodynamodb import DynamoDB
    from aiodynamodb.testing import mock_dynamodb

    condition = Key("pk").eq(PK)
    async with mock_dynamodb() as shared:
        low = await shared.low_level_client()
        variants: dict[str, Sample] = {}
        for size in sizes:
            db = DynamoDB(client=low, table_prefix=f"s{size}_")
            await db.create_table(Entry)
            models = [entry(i) for i in range(size)]
            for start in range(0, size, 5000):
                await db.batch_write(puts=models[start : start + 5000])
            del models

            def sampler(kind: str, db: DynamoDB = db, size: int = size) -> Sample:
                loops = max(1, volume // size)

                async def sample() -> float:
                    start = CLOCK()
                    for _ in range(loops):
                        if kind == "query":
                            found = await db.query(Entry, key_condition_expression=condition).all()
                        else:
                            found = await db.scan(Entry).all()
                        assert len(found) == size
                    spent = CLOCK() - start
                    return spent / (size * loops)

                return sample

            variants[f"query:{size}"] = sampler("query")
            variants[f"scan:{size}"] = sampler("scan")
        samples = await arotate(variants, reps=reps, label="memory")
    return {"samples": samples}


async def plain_side(size: int, reps: int) -> dict[str, Any]:
    import aiomoto
    from aiobotocore.config import AioConfig
    from aiobotocore.session import get_session

    os.environ.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"})
    config = AioConfig(parameter_validation=False)
    async with (
        aiomoto.mock_aws(),
        get_session().create_client("dynamodb", region_name=REGION, config=config) as raw,
    ):
        await raw.create_table(**raw_params(RAW_TABLE))
        items = [entry_item(i) for i in range(size)]
        for start in range(0, size, 25):
            request: dict[str, Any] = {
                RAW_TABLE: [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
            }
            while request:
                response = await raw.batch_write_item(RequestItems=request)
                request = response.get("UnprocessedItems") or {}

        async def read_all(method: str, params: dict[str, Any]) -> float:
            params = dict(params)
            start = CLOCK()
            found: list[dict[str, Any]] = []
            while True:
                page = await getattr(raw, method)(**params)
                found.extend(page["Items"])
                last = page.get("LastEvaluatedKey")
                if last is None:
                    break
                params["ExclusiveStartKey"] = last
            spent = CLOCK() - start
            assert len(found) == size
            return spent / size

        query = {
            "TableName": RAW_TABLE,
            "KeyConditionExpression": "#pk = :pk",
            "ExpressionAttributeNames": {"#pk": "pk"},
            "ExpressionAttributeValues": {":pk": {"S": PK}},
        }
        samples = await arotate(
            {
                f"query:{size}": lambda: read_all("query", query),
                f"scan:{size}": lambda: read_all("scan", {"TableName": RAW_TABLE}),
            },
            reps=reps,
            label="plain",
        )
    return {"samples": samples}


def run(quick: bool, large: bool) -> None:
    sizes, reps = plan(quick, large)
    base_size = sizes[0]
    rounds = 1 if quick else 2
    flags = [*(["--quick"] if quick else []), *(["--large"] if large else [])]
    results: dict[str, list[dict[str, Any]]] = {side: [] for side in SIDES}
    for rnd in range(rounds):
        order = SIDES if rnd % 2 == 0 else SIDES[::-1]
        for side in order:
            results[side].append(run_side(FIGURE, side, *flags))
        progress(f"round {rnd + 1}/{rounds} done")

    def medians(side: str, key: str) -> list[float]:
        return [statistics.median(r["samples"][key]) for r in results[side]]

    rows = []
    for kind in ("query", "scan"):
        key = f"{kind}:{base_size}"
        rows.append(
            row(
                FIGURE,
                f"{kind} per returned item, {base_size:,} items, memory backend",
                kind="max_ratio",
                ours=medians("memory", key),
                baseline=medians("plain", key),
                unit="us",
                scale=1e6,
                target=TARGET,
            )
        )
    for kind in ("query", "scan"):
        base = medians("memory", f"{kind}:{base_size}")
        for size in sizes[1:]:
            at_size = medians("memory", f"{kind}:{size}")
            rows.append(
                row(
                    FIGURE,
                    f"  {kind}: ours per item at {size:,} items",
                    kind="report",
                    ours=at_size,
                    baseline=None,
                    unit="us",
                    scale=1e6,
                    target=None,
                )
            )
            rows.append(
                row(
                    FIGURE,
                    f"  {kind}: cost per item growth, {base_size:,} -> {size:,} items",
                    kind="max_growth",
                    ours=[b / a for a, b in zip(base, at_size, strict=True)],
                    baseline=None,
                    unit="x",
                    target=GROWTH_TARGET,
                )
            )
    notes = [
        f"backend_scale: {rounds} rounds, each a fresh process per side, alternating; in "
        f"each, {reps} repetitions of every read in rotating order, 1 warm-up, CPU time per "
        f"returned item, medians per process. Memory side sizes {sizes} (one table each, "
        f"4-field items; a sample of a smaller size repeats its read up to "
        f"{QUICK_VOLUME if quick else VOLUME:,} items, so that every size pays its share of "
        "the garbage collector's full passes); plain side {base_size:,} items, raw client with "
        "parameter_validation=False. "
        + (
            "100,000 items measured (--large)."
            if large
            else "100,000 items is opt-in: python -m benchmarks --only backend_scale --large."
        ),
    ]
    progress("done")
    emit(FIGURE, rows, notes=notes, extra={"children": results, "sizes": sizes})


def main() -> None:
    args = arguments(__doc__ or "", sides=SIDES)
    if args.side is None:
        run(args.quick, args.large)
        return
    sizes, reps = plan(args.quick, args.large)
    if args.side == "memory":
        volume = QUICK_VOLUME if args.quick else VOLUME
        print_result(asyncio.run(memory_side(sizes, reps, volume)))
    else:
        print_result(asyncio.run(plain_side(sizes[0], reps)))


if __name__ == "__main__":
    main()
