"""Where the first test's time goes: ``python -m benchmarks.profile_cold``.

Not a figure (nothing is compared): the ``memory`` script of :mod:`benchmarks.cold_start`
(imports, ``mock_dynamodb``, the first table, a put and a get) in this fresh process, twice
over in two child processes: once timed by phase with the CPU clock (no profiler), once
under cProfile, whose own time is summed per package as in
:mod:`benchmarks.profile_put` (read the shares: the profiler inflates every call). This
module imports nothing heavy itself, so the child starts cold. docs/performance.md quotes it.

``python -m benchmarks.profile_cold --instructions`` counts instead, with valgrind's
callgrind (~1 minute per script), the instructions each fresh process executes: the
``cold_start`` figure's three scripts and the floors between them (importing aiobotocore and
moto's DynamoDB backend, then pydantic with one model, then creating one aiobotocore DynamoDB
client). Counts do not move with the machine's load, so they say where the first test's cost
lies even on a busy machine; the last column converts them to milliseconds at the rate of
the ``imports`` script's CPU time measured beside them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile

from benchmarks.children import ROOT, child_env, write_bytecode

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


_FLOOR = """
import aiobotocore.session
import moto.dynamodb
"""
_PYDANTIC = """
from pydantic import BaseModel

class Item(BaseModel):
    pk: str
    sk: int
    name: str
"""
_CLIENT = """
import asyncio, os
os.environ.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"})

async def main():
    session = aiobotocore.session.get_session()
    async with session.create_client("dynamodb", region_name="us-east-1"):
        pass

asyncio.run(main())
"""


def _instructions(script: str) -> int:
    """Instructions a fresh ``python -c script`` executes (callgrind's total)."""
    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, "callgrind.out")
        command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"]
        done = subprocess.run(
            [*command, sys.executable, "-c", script],
            cwd=ROOT,
            env=child_env(),
            capture_output=True,
            text=True,
            check=True,
        )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise RuntimeError(f"callgrind printed no count:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def count_instructions() -> None:
    """Print each script's instruction count, and what it adds to the one before it."""
    from benchmarks.cold_start import SCRIPTS, sample

    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (apt install valgrind)")
    write_bytecode()
    cases = [
        ("import aiobotocore.session + moto.dynamodb (the figure's floor)", SCRIPTS["imports"]),
        ("  + pydantic and one BaseModel", _FLOOR + _PYDANTIC),
        ("  + one aiobotocore DynamoDB client created", _FLOOR + _PYDANTIC + _CLIENT),
        ("memory backend (the figure's memory script)", SCRIPTS["memory"]),
        ("plain aiomoto (the figure's baseline)", SCRIPTS["plain"]),
    ]
    floor_cpu = sorted(sample(SCRIPTS["imports"])[0] for _ in range(5))[2]
    counts = [_instructions(script) for _, script in cases]
    per_ms = counts[0] / (floor_cpu * 1e3)
    print(f"instructions per process (callgrind); ms at {per_ms / 1e6:.2f}M instructions/ms")
    for (name, _), count in zip(cases, counts, strict=True):
        over = (count - counts[0]) / counts[0]
        ms = count / per_ms
        print(f"  {count / 1e9:6.3f} G  {over:+7.1%} over the floor  ~{ms:5.0f} ms  {name}")
    print(f"  memory / plain: {counts[3] / counts[4]:.3f}x")


def main() -> None:
    """Print the phases, then the profile, each from a fresh child process."""
    if "--instructions" in sys.argv[1:]:
        count_instructions()
        return
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
