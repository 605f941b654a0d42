"""Where the first test's time goes: ``python -m benchmarks.profile_cold``.

Not a figure (nothing is compared): the ``memory`` script of :mod:`benchmarks.cold_start`
(imports, ``mock_dynamodb``, the first table, a put and a get) in this fresh process, twice
over in two child processes: once timed by phase with the CPU clock (no profiler), once
under cProfile, whose own time is summed per package as in
:mod:`benchmarks.profile_put` (read the shares: the profiler inflates every call). This
module imports nothing heavy itself, so the child starts cold. docs/performance.md quotes it.
"""

from __future__ import annotations

import subprocess
import sys

from benchmarks.children import ROOT, child_env

PHASES = """
import time
clock = time.process_time
marks = [("start", clock())]
from aiodynamodb import DynamoModel, table
marks.append(("import aiodynamodb (pydantic, aiobotocore, the ORM)", clock()))
from aiodynamodb.testing import mock_dynamodb
import aiomoto, moto.dynamodb.models
marks.append(("import aiomoto and moto's DynamoDB backend", clock()))

@table("cold", hash_key="pk", range_key="sk")
class Item(DynamoModel):
    pk: str
    sk: int
    name: str

marks.append(("define the model (codec generated)", clock()))
import asyncio

async def main():
    async with mock_dynamodb(Item) as db:
        marks.append(("start the mock, first client, CreateTable", clock()))
        await db.put(Item(pk="a", sk=1, name="first"))
        assert (await db.get(Item, hash_key="a", range_key=1)).name == "first"
        marks.append(("first put and get", clock()))
    marks.append(("stop the mock", clock()))

asyncio.run(main())
for (_, before), (name, after) in zip(marks, marks[1:]):
    print(f"  {(after - before) * 1e3:7.1f} ms  {name}")
print(f"  {(marks[-1][1] - marks[0][1]) * 1e3:7.1f} ms  in all (CPU, after interpreter start)")
"""

PROFILED = """
import cProfile, pstats, sys
from benchmarks.cold_start import SCRIPTS
profiler = cProfile.Profile()
profiler.enable()
exec(compile(SCRIPTS["memory"], "<cold start>", "exec"), {"__name__": "__cold__"})
profiler.disable()
from benchmarks.profile_put import shares
stats = pstats.Stats(profiler)
print("own time per group (cProfile, whole cold start):")
for group, share in shares(stats).items():
    print(f"  {share:5.1f}%  {group}")
print()
stats.sort_stats("tottime").print_stats(25)
"""


def main() -> None:
    """Print the phases, then the profile, each from a fresh child process."""
    for title, script in (("phases (CPU time, no profiler):", PHASES), ("", PROFILED)):
        if title:
            print(title)
        done = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=child_env(),
            capture_output=True,
            text=True,
            check=True,
        )
        print(done.stdout)


if __name__ == "__main__":
    main()
