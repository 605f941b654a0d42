"""Figure: cold start of the memory backend in a fresh process, against plain aiomoto.

What the first test of a run pays (issue 18): a fresh interpreter imports, starts the mock,
creates the first table and does a first put and get. Three scripts, each run as a whole
process (``python -c``), interleaved in rotating order, CPU time (user + system, from
``wait4``) and wall time of the process:

- ``memory``: ``mock_dynamodb(Record)`` (our memory backend, defaults) and ``db.put`` /
  ``db.get`` through our client;
- ``plain``: ``aiomoto.mock_aws()``, a raw aiobotocore client, ``create_table``,
  ``put_item`` and ``get_item`` (target: memory <= 0.6x plain);
- ``imports``: only ``import aiobotocore.session`` and ``import moto.dynamodb`` (moto's
  DynamoDB backend): the floor nobody can avoid; memory - imports is what the memory
  backend adds beyond them (target <= 150 ms).

The environment is inherited: on these machines ``PYTHONDONTWRITEBYTECODE=1``, so no process
caches bytecode; the figure first writes aiodynamodb's
(:func:`~benchmarks.children.write_bytecode`), so that both sides load every installed
package from bytecode, as after ``pip install``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from benchmarks.children import ROOT, child_env, write_bytecode
from benchmarks.measure import arguments, emit, progress, row

FIGURE = "cold_start"
TARGET = 0.6
BEYOND_IMPORTS_MS = 150.0

_MODEL = """
from aiodynamodb import DynamoModel, table

@table("cold", hash_key="pk", range_key="sk")
class Item(DynamoModel):
    pk: str
    sk: int
    name: str
"""

SCRIPTS = {
    "memory": _MODEL
    + """
import asyncio
from aiodynamodb.testing import mock_dynamodb

async def main():
    async with mock_dynamodb(Item) as db:
        await db.put(Item(pk="a", sk=1, name="first"))
        assert (await db.get(Item, hash_key="a", range_key=1)).name == "first"

asyncio.run(main())
""",
    "plain": """
import asyncio
import os

import aiomoto
from aiobotocore.session import get_session

os.environ.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"})

async def main():
    async with aiomoto.mock_aws():
        async with get_session().create_client("dynamodb", region_name="us-east-1") as c:
            await c.create_table(
                TableName="cold",
                KeySchema=[
                    {"AttributeName": "pk", "KeyType": "HASH"},
                    {"AttributeName": "sk", "KeyType": "RANGE"},
                ],
                AttributeDefinitions=[
                    {"AttributeName": "pk", "AttributeType": "S"},
                    {"AttributeName": "sk", "AttributeType": "N"},
                ],
                BillingMode="PAY_PER_REQUEST",
            )
            item = {"pk": {"S": "a"}, "sk": {"N": "1"}, "name": {"S": "first"}}
            await c.put_item(TableName="cold", Item=item)
            got = await c.get_item(TableName="cold", Key={"pk": {"S": "a"}, "sk": {"N": "1"}})
            assert got["Item"]["name"]["S"] == "first"

asyncio.run(main())
""",
    "imports": """
import aiobotocore.session
import moto.dynamodb
""",
}


def sample(script: str) -> tuple[float, float]:
    """(CPU, wall) seconds of one fresh ``python -c script`` process."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=child_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stderr = proc.stderr.read() if proc.stderr else b""
    if proc.stderr:
        proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"cold-start script failed:\n{stderr.decode()}")
    return usage.ru_utime + usage.ru_stime, wall


def run(quick: bool) -> None:
    write_bytecode()
    rounds = 1 if quick else 9
    names = list(SCRIPTS)
    cpu: dict[str, list[float]] = {name: [] for name in names}
    wall: dict[str, list[float]] = {name: [] for name in names}
    for rnd in range(1 + rounds):  # the first round warms the page cache and is dropped
        shift = rnd % len(names)
        for name in names[shift:] + names[:shift]:
            c, w = sample(SCRIPTS[name])
            if rnd:
                cpu[name].append(c)
                wall[name].append(w)
        if rnd:
            progress(
                f"round {rnd}/{rounds}: "
                + ", ".join(f"{n} {cpu[n][-1] * 1e3:.0f} ms CPU" for n in names)
            )
    rows = [
        row(
            FIGURE,
            "memory backend cold start (imports, mock, table, put, get), CPU",
            kind="max_ratio",
            ours=cpu["memory"],
            baseline=cpu["plain"],
            unit="ms",
            scale=1e3,
            target=TARGET,
        ),
        row(
            FIGURE,
            "  same, wall time (cross-check)",
            kind="report",
            ours=wall["memory"],
            baseline=wall["plain"],
            unit="ms",
            scale=1e3,
            target=None,
        ),
        row(
            FIGURE,
            "  beyond importing aiobotocore + moto.dynamodb, CPU",
            kind="max_delta",
            ours=cpu["memory"],
            baseline=cpu["imports"],
            unit="ms",
            scale=1e3,
            target=BEYOND_IMPORTS_MS,
        ),
    ]
    bytecode = "off" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "on"
    notes = [
        f"cold_start: {rounds} rounds of 3 fresh processes (memory / plain aiomoto / imports "
        f"only), rotating order, 1 warm-up round; whole-process CPU (user+system) and wall "
        f"time, medians (ratios and differences paired by round); bytecode caching "
        f"{bytecode} (PYTHONDONTWRITEBYTECODE inherited), aiodynamodb's bytecode written "
        f"first as pip install writes it.",
    ]
    progress("done")
    emit(FIGURE, rows, notes=notes, extra={"cpu_s": cpu, "wall_s": wall})


def main() -> None:
    args = arguments(__doc__ or "")
    run(args.quick)


if __name__ == "__main__":
    main()
