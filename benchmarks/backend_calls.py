"""Figure: put / get / query per call on the memory backend, against plain ``aiomoto.mock_aws()``.

What a user's test pays for each call on the in-memory DynamoDB (issue 18). Two sides, each
in fresh interpreters (``--side``), alternating round by round (the memory backend and plain
aiomoto patch the same botocore machinery, so they cannot share a process):

- ``memory``: ``mock_dynamodb(Record)`` with its defaults (the strict rules on, as the
  pytest plugin runs it). Clients: ours (the ``DynamoDB`` it yields, on the memory
  backend's shared client, as the fixture's), and other clients created inside it, as the
  code under test creates them: a raw aiobotocore client, aioboto3's (when installed) and
  sync boto3's, each with default settings.
- ``plain``: plain ``aiomoto.mock_aws()``, a table of the same schema created by hand. The
  baseline of ours is the raw aiobotocore client configured like ours
  (``parameter_validation=False``) writing hand-built AttributeValues (the target), and
  reported beside it the raw client with botocore's default validation on; the other clients
  are the same clients as on the memory side, with the same settings.

Operations: ``put`` of the 10-field ``Record``, ``get`` of one, ``query`` of a partition of
10 items (the per-item cost of large results is ``backend_scale``). Inside a child every
client's block of calls runs in rotation with the others, CPU time per call, one warm-up
repetition; the child reports medians, and the row's samples are those medians, one per
round (ratios paired by round).
"""

from __future__ import annotations

import asyncio
import os
import statistics
from collections.abc import Awaitable, Callable
from typing import Any

from benchmarks.children import print_result, run_side
from benchmarks.measure import CLOCK, arguments, arotate, emit, progress, row
from benchmarks.models import TABLE, Record, raw_table_params, record, record_item

FIGURE = "backend_calls"
SIDES = ("memory", "plain")
TARGET = 0.35
OTHER_TARGET = 0.6
OPS = ("put", "get", "query")
QUERY_ITEMS = 10
REGION = "us-east-1"
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": REGION,
}

Block = Callable[[], Awaitable[float]]


def _aioboto3() -> Any:
    try:
        import aioboto3
    except ImportError:
        return None
    return aioboto3


def _raw_blocks(client: Any, calls: int, sync: bool = False) -> dict[str, Block]:
    """put / get / query blocks for a low-level client (async, or boto3's with ``sync``)."""
    items = [record_item(i, "w") for i in range(calls)]
    keys = [{"pk": {"S": "g"}, "sk": {"N": str(i)}} for i in range(calls)]
    query = {
        "TableName": TABLE,
        "KeyConditionExpression": "#pk = :pk",
        "ExpressionAttributeNames": {"#pk": "pk"},
        "ExpressionAttributeValues": {":pk": {"S": "q"}},
    }

    async def call(method: str, **params: Any) -> Any:
        result = getattr(client, method)(**params)
        return result if sync else await result

    async def put() -> float:
        start = CLOCK()
        for item in items:
            await call("put_item", TableName=TABLE, Item=item)
        return (CLOCK() - start) / calls

    async def get() -> float:
        start = CLOCK()
        for key in keys:
            assert "Item" in await call("get_item", TableName=TABLE, Key=key)
        return (CLOCK() - start) / calls

    async def query_block() -> float:
        start = CLOCK()
        for _ in range(calls):
            assert len((await call("query", **query))["Items"]) == QUERY_ITEMS
        return (CLOCK() - start) / calls

    return {"put": put, "get": get, "query": query_block}


def _orm_blocks(db: Any, calls: int) -> dict[str, Block]:
    from boto3.dynamodb.conditions import Key

    models = [record(i, "w") for i in range(calls)]
    condition = Key("pk").eq("q")

    async def put() -> float:
        start = CLOCK()
        for model in models:
            await db.put(model)
        return (CLOCK() - start) / calls

    async def get() -> float:
        start = CLOCK()
        for i in range(calls):
            assert await db.get(Record, hash_key="g", range_key=i) is not None
        return (CLOCK() - start) / calls

    async def query_block() -> float:
        start = CLOCK()
        for _ in range(calls):
            found = await db.query(Record, key_condition_expression=condition).all()
            assert len(found) == QUERY_ITEMS
        return (CLOCK() - start) / calls

    return {"put": put, "get": get, "query": query_block}


async def _measure(clients: dict[str, dict[str, Block]], reps: int) -> dict[str, float]:
    """Median seconds per call of every client and operation ("client:op")."""
    medians: dict[str, float] = {}
    for op in OPS:
        samples = await arotate(
            {f"{name}:{op}": blocks[op] for name, blocks in clients.items()},
            reps=reps,
            label=op,
        )
        medians.update({key: statistics.median(values) for key, values in samples.items()})
    return medians


async def _load(put: Callable[[dict[str, Any]], Awaitable[Any]], calls: int) -> None:
    for i in range(calls):
        await put(record_item(i, "g"))
    for i in range(QUERY_ITEMS):
        await put(record_item(i, "q"))


async def memory_side(calls: int, reps: int) -> dict[str, Any]:
    import boto3
    from aiobotocore.session import get_session

    from aiodynamodb.testing import mock_dynamodb

    aioboto3 = _aioboto3()
    async with (
        mock_dynamodb(Record) as db,
        get_session().create_client("dynamodb", region_name=REGION) as raw,
    ):
        await _load(lambda item: raw.put_item(TableName=TABLE, Item=item), calls)
        sync = boto3.client("dynamodb", region_name=REGION)
        clients = {
            "ours": _orm_blocks(db, calls),
            "aiobotocore": _raw_blocks(raw, calls),
            "boto3": _raw_blocks(sync, calls, sync=True),
        }
        if aioboto3 is None:
            return {"medians": await _measure(clients, reps), "aioboto3": False}
        async with aioboto3.Session().client("dynamodb", region_name=REGION) as other:
            clients["aioboto3"] = _raw_blocks(other, calls)
            return {"medians": await _measure(clients, reps), "aioboto3": True}


async def plain_side(calls: int, reps: int) -> dict[str, Any]:
    import aiomoto
    import boto3
    from aiobotocore.config import AioConfig
    from aiobotocore.session import get_session

    # Nothing of aiodynamodb.testing here: the plain side is what a user without it runs.
    os.environ.update(FAKE_CREDENTIALS)
    aioboto3 = _aioboto3()
    session = get_session()
    lean = AioConfig(parameter_validation=False)
    async with (
        aiomoto.mock_aws(),
        session.create_client("dynamodb", region_name=REGION, config=lean) as like_ours,
        session.create_client("dynamodb", region_name=REGION) as raw,
    ):
        await raw.create_table(**raw_table_params(TABLE))
        await _load(lambda item: raw.put_item(TableName=TABLE, Item=item), calls)
        sync = boto3.client("dynamodb", region_name=REGION)
        clients = {
            "ours": _raw_blocks(like_ours, calls),
            "aiobotocore": _raw_blocks(raw, calls),
            "boto3": _raw_blocks(sync, calls, sync=True),
        }
        if aioboto3 is None:
            return {"medians": await _measure(clients, reps), "aioboto3": False}
        async with aioboto3.Session().client("dynamodb", region_name=REGION) as other:
            clients["aioboto3"] = _raw_blocks(other, calls)
            return {"medians": await _measure(clients, reps), "aioboto3": True}


def run(quick: bool) -> None:
    rounds = 1 if quick else 4
    child_args = ["--quick"] if quick else []
    results: dict[str, list[dict[str, Any]]] = {side: [] for side in SIDES}
    for rnd in range(rounds):
        order = SIDES if rnd % 2 == 0 else SIDES[::-1]
        for side in order:
            results[side].append(run_side(FIGURE, side, *child_args))
        progress(f"round {rnd + 1}/{rounds} done")
    clients = ["ours", "aiobotocore", "boto3"]
    if all(r["aioboto3"] for side in SIDES for r in results[side]):
        clients.append("aioboto3")
    rows = []
    for client in clients:
        for op in OPS:
            key = f"{client}:{op}"
            ours = [r["medians"][key] for r in results["memory"]]
            base = [r["medians"][key] for r in results["plain"]]
            what = "our client" if client == "ours" else f"other client: {client}"
            case = f"{op} per call, memory backend, {what}"
            if op == "query":
                case = f"query ({QUERY_ITEMS} items) per call, memory backend, {what}"
            rows.append(
                row(
                    FIGURE,
                    case if client == "ours" else f"  {case}",
                    kind="max_ratio",
                    ours=ours,
                    baseline=base,
                    unit="us",
                    scale=1e6,
                    target=TARGET if client == "ours" else OTHER_TARGET,
                )
            )
        if client == "ours":
            # The same figure against the raw client with botocore's default (parameter
            # validation on), which a user without aiodynamodb runs: reported, not judged.
            for op in OPS:
                rows.append(
                    row(
                        FIGURE,
                        f"  {op}, our client vs raw aiobotocore with parameter validation on",
                        kind="report",
                        ours=[r["medians"][f"ours:{op}"] for r in results["memory"]],
                        baseline=[r["medians"][f"aiobotocore:{op}"] for r in results["plain"]],
                        unit="us",
                        scale=1e6,
                        target=None,
                    )
                )
    calls, reps = (5, 2) if quick else (20, 7)
    notes = [
        f"backend_calls: {rounds} rounds, each a fresh process per side (memory backend / "
        f"plain aiomoto.mock_aws()), alternating; in each, {reps} repetitions x {calls} calls "
        "per client and operation in rotating order, 1 warm-up, CPU time, medians; the row's "
        "samples are the per-process medians. Baseline of our client: raw aiobotocore with "
        "parameter_validation=False and hand-built items (judged), and with botocore's "
        "default validation on (reported); other clients: the same client on both sides. "
        "Our client takes the direct transport (no HTTP request; AIODYNAMODB_TRANSPORT=http "
        "forces botocore's path). Memory side: mock_dynamodb(Record), strict rules on. aioboto3: "
        + ("measured." if "aioboto3" in clients else "not installed, no row."),
    ]
    progress("done")
    emit(FIGURE, rows, notes=notes, extra={"children": results})


def main() -> None:
    args = arguments(__doc__ or "", sides=SIDES)
    if args.side is None:
        run(args.quick)
        return
    calls, reps = (5, 2) if args.quick else (20, 7)
    side = memory_side if args.side == "memory" else plain_side
    print_result(asyncio.run(side(calls, reps)))


if __name__ == "__main__":
    main()
