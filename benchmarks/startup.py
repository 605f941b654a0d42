"""Figure: ``pytest --collect-only`` start-up with the plugin installed but unused.

A generated project of plain tests (5 modules x 10 tests, no fixture of ours, no marker) is
collected by ``pytest --collect-only -q``, with the plugin (it loads through its ``pytest11``
entry point, as in any environment where aiodynamodb is installed) and with
``-p no:aiodynamodb``.

What the plugin adds to a run is measured inside fresh interpreters: each child runs
``pytest.main`` without the plugin a few times (so everything a run imports anyway is
imported and warm), then once *with* it (paying the plugin's imports and its hooks: options,
configure, collection, report header), then alternately without and with it again. The
plugin's cost in that child is its first run minus the median of the runs without it; the
figure is the median over the children (CPU time). The runs with the plugin after its first
give its hooks alone.

Timing whole fresh processes, the straightforward way, is reported as a cross-check: on
this shared 2-core virtual machine one ~1 s process varies by tens to hundreds of
milliseconds between runs (CPU time as much as wall time: the host's contention shows up
inside the VM as a slower CPU), far more than the 15 ms being measured, while one
``pytest.main`` of this project takes under 100 ms.

A diagnostic run lists which heavy modules the plugin pulled in (it should be none of
aiomoto, moto, boto3, botocore, aioboto3, aiobotocore, pydantic).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.fixture_cost import clean_env
from benchmarks.measure import arguments, emit, progress, row

FIGURE = "startup"
TARGET_MS = 15.0
HEAVY = ("aiomoto", "moto", "boto3", "botocore", "aioboto3", "aiobotocore", "pydantic")
WITHOUT = ["-p", "no:aiodynamodb"]
COLLECT = ["-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]

PROBE = """
import json
import os
import sys


def pytest_sessionfinish(session):
    heavy = {heavy!r}
    loaded = sorted(m for m in heavy if m in sys.modules)
    with open(os.environ["BENCH_PROBE"], "w") as out:
        json.dump(loaded, out)
"""

CHILD = """
import contextlib, io, json, statistics, sys, time
import pytest

without = sys.argv[1:]
args = ["--collect-only", "-q", "-p", "no:cacheprovider"]


def run(extra):
    with contextlib.redirect_stdout(io.StringIO()):
        start = time.process_time()
        code = pytest.main([*args, *extra])
        spent = time.process_time() - start
    assert code == 0, code
    return spent


for _ in range(3):
    run(without)
first = run([])
off, on = [], []
for _ in range(5):
    off.append(run(without))
    on.append(run([]))
print("RESULT " + json.dumps({"first": first, "off": off, "on": on}))
"""


def write_project(root: Path) -> None:
    (root / "pytest.ini").write_text("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    for module in range(5):
        lines = [
            f"def test_{module}_{i}():\n    assert {i} + 1 == {i + 1}\n\n\n" for i in range(10)
        ]
        (root / f"test_plain_{module}.py").write_text("".join(lines))
    (root / "bench_probe.py").write_text(PROBE.format(heavy=HEAVY))


def sample(root: Path, env: dict[str, str], extra: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one ``pytest --collect-only`` process."""
    command = [sys.executable, *COLLECT, *extra]
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read() if proc.stderr else b""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode != 0:
        raise RuntimeError(f"{command} failed ({proc.returncode}): {stderr.decode()}")
    return wall, usage.ru_utime + usage.ru_stime


def child(root: Path, env: dict[str, str]) -> tuple[float, float]:
    """(first run with the plugin - runs without, later runs with - without), seconds."""
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, *WITHOUT],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(x for x in reversed(proc.stdout.splitlines()) if x.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    off = statistics.median(result["off"])
    return result["first"] - off, statistics.median(result["on"]) - off


def run(quick: bool) -> None:
    pairs = 2 if quick else 12
    children = 2 if quick else 15
    env = clean_env()
    walls: dict[str, list[float]] = {"on": [], "off": []}
    cpus: dict[str, list[float]] = {"on": [], "off": []}
    with tempfile.TemporaryDirectory(prefix="aiodynamodb-startup-") as tmp:
        root = Path(tmp)
        write_project(root)
        probe_out = root / "probe.json"
        probe_env = dict(env, BENCH_PROBE=str(probe_out))
        sample(root, probe_env, ["-p", "bench_probe"])
        loaded_on = json.loads(probe_out.read_text())
        sample(root, probe_env, ["-p", "bench_probe", *WITHOUT])
        loaded_off = json.loads(probe_out.read_text())
        header = subprocess.run(
            [sys.executable, "-m", "pytest", "--collect-only"],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        plugin_loaded = "dynamodb" in header
        firsts: list[float] = []
        hooks: list[float] = []
        for _ in range(children):
            first, hook = child(root, env)
            firsts.append(first)
            hooks.append(hook)
        progress(
            f"plugin's first run {statistics.median(firsts) * 1e3:+.1f} ms, "
            f"hooks alone {statistics.median(hooks) * 1e3:+.1f} ms"
        )
        for rep in range(1 + pairs):  # the first pair warms the page cache and is dropped
            order = [("on", []), ("off", WITHOUT)]
            if rep % 2:
                order.reverse()
            for key, extra in order:
                wall, cpu = sample(root, env, extra)
                if rep:
                    walls[key].append(wall)
                    cpus[key].append(cpu)
    rows = [
        row(
            FIGURE,
            "pytest --collect-only, plugin unused (added CPU)",
            kind="max_value",
            ours=firsts,
            baseline=None,
            unit="ms",
            scale=1e3,
            target=TARGET_MS,
        ),
        row(
            FIGURE,
            "  of which hooks, once imported",
            kind="max_value",
            ours=hooks,
            baseline=None,
            unit="ms",
            scale=1e3,
            target=None,
        ),
        row(
            FIGURE,
            "  whole process, CPU time (cross-check)",
            kind="max_delta",
            ours=cpus["on"],
            baseline=cpus["off"],
            unit="ms",
            scale=1e3,
            target=None,
        ),
        row(
            FIGURE,
            "  whole process, wall time (cross-check)",
            kind="max_delta",
            ours=walls["on"],
            baseline=walls["off"],
            unit="ms",
            scale=1e3,
            target=None,
        ),
    ]
    notes = [
        f"startup: {children} fresh interpreters, each: 3 runs without the plugin, 1 with, "
        f"5 pairs without/with; CPU time. Cross-check: {pairs} interleaved pairs of fresh "
        f"processes, median of paired differences. Plugin loaded in the 'on' runs: "
        f"{plugin_loaded}. Heavy modules imported at collection: with plugin "
        f"{loaded_on or 'none'}, without {loaded_off or 'none'}.",
    ]
    progress("done")
    emit(
        FIGURE,
        rows,
        notes=notes,
        extra={
            "first_run_ms": [x * 1e3 for x in firsts],
            "hooks_ms": [x * 1e3 for x in hooks],
            "heavy_with": loaded_on,
            "heavy_without": loaded_off,
            "plugin_loaded": plugin_loaded,
        },
    )


def main() -> None:
    args = arguments(__doc__ or "")
    run(args.quick)


if __name__ == "__main__":
    main()
