"""Figure: ``pytest --collect-only`` start-up with the plugin installed but unused.

A generated project of plain tests (5 modules x 10 tests, no fixture of ours, no marker) is
collected by ``python -m pytest --collect-only -q`` in a fresh process, alternately with the
plugin (it loads through its ``pytest11`` entry point, as in any environment where
aiodynamodb is installed) and with ``-p no:aiodynamodb``. Each sample is the CPU time of the
whole child process (user + system, from ``os.wait4``) and its wall time; the figure is the
difference of the medians, in milliseconds.

The judged number is CPU time: start-up is single-threaded CPU work (imports, reading files
from the page cache), so on an idle machine CPU time and wall time agree, while on this
2-core machine shared with other jobs the wall time of a ~1 s process swings by tens of
milliseconds with the scheduler, far more than the 15 ms being measured. Wall time is
reported next to it. The import cost of the plugin module alone (``python -X importtime``)
is in the notes.

A separate diagnostic run lists which heavy modules the plugin pulled in (it should be
none of aiomoto, moto, boto3, botocore, aioboto3, pydantic).
"""

from __future__ import annotations

import json
import os
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
    command = [sys.executable, "-m", "pytest", "--collect-only", "-q", *extra]
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


IMPORT_PLUGIN = "import pytest, pytest_asyncio; import pytest_aiodynamodb.plugin"


def plugin_import_ms() -> float:
    """Cumulative import time of the plugin module once pytest and pytest-asyncio are in."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", IMPORT_PLUGIN],
        capture_output=True,
        text=True,
        check=True,
        env=clean_env(),
    )
    total = 0
    for line in proc.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[2].strip() == "pytest_aiodynamodb.plugin":
            total = int(parts[1])
    return total / 1000


def run(quick: bool) -> None:
    reps = 2 if quick else 26
    warmup = 0 if quick else 3
    env = clean_env()
    with_plugin: list[str] = []
    without = ["-p", "no:aiodynamodb"]
    walls: dict[str, list[float]] = {"on": [], "off": []}
    cpus: dict[str, list[float]] = {"on": [], "off": []}
    with tempfile.TemporaryDirectory(prefix="aiodynamodb-startup-") as tmp:
        root = Path(tmp)
        write_project(root)
        probe_out = root / "probe.json"
        probe_env = dict(env, BENCH_PROBE=str(probe_out))
        sample(root, probe_env, ["-p", "bench_probe"])
        loaded_on = json.loads(probe_out.read_text())
        sample(root, probe_env, ["-p", "bench_probe", *without])
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
        for rep in range(warmup + reps):
            order = [("on", with_plugin), ("off", without)]
            if rep % 2:
                order.reverse()
            for key, extra in order:
                wall, cpu = sample(root, env, extra)
                if rep >= warmup:
                    walls[key].append(wall)
                    cpus[key].append(cpu)
            if rep >= warmup and (rep - warmup) % 10 == 9:
                progress(f"rep {rep + 1 - warmup}/{reps}")
    rows = [
        row(
            FIGURE,
            "pytest --collect-only, plugin unused (CPU)",
            kind="max_delta",
            ours=cpus["on"],
            baseline=cpus["off"],
            unit="ms",
            scale=1e3,
            target=TARGET_MS,
        ),
        row(
            FIGURE,
            "  same, wall time",
            kind="max_delta",
            ours=walls["on"],
            baseline=walls["off"],
            unit="ms",
            scale=1e3,
            target=None,
        ),
    ]
    notes = [
        f"startup: import of pytest_aiodynamodb.plugin and what it pulls in: "
        f"{plugin_import_ms():.1f} ms (python -X importtime, cumulative, with pytest and "
        "pytest-asyncio already imported, as they are in every run).",
        f"startup: {reps} interleaved pairs of fresh processes, {warmup} warm-up pairs; "
        f"ratio column = median(with plugin) - median(-p no:aiodynamodb). Plugin loaded in "
        f"the 'on' runs: {plugin_loaded}. Heavy modules imported at collection: with "
        f"plugin {loaded_on or 'none'}, without {loaded_off or 'none'}.",
    ]
    progress("done")
    emit(
        FIGURE,
        rows,
        notes=notes,
        extra={
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
