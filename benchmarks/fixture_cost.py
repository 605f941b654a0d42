"""Figure: ``dynamodb`` fixture set-up + tear-down per test, 3 tables (one with a GSI).

Measured as users pay it: in real pytest runs, in fresh processes. A generated project holds
modules of identical async tests whose body is ``pass``:

- ``test_plugin.py``: ``pytestmark = pytest.mark.dynamodb_tables(User, Order, Event)`` and
  tests requesting ``dynamodb`` (the plugin with its default settings);
- ``test_naive.py``: tests requesting ``naive_dynamodb``, a conftest fixture doing per test
  what a user without the plugin does: a fresh ``aiomoto.mock_aws()``, a client (from one
  session shared by the run, the cheap way) and three ``create_table`` calls;
- ``test_empty.py``: tests requesting nothing, the floor (pytest-asyncio's per-test event
  loop and pytest's own bookkeeping);
- ``test_plugin_long.py`` / ``test_empty_long.py``: the same as the first and third with
  1,000 tests, for the absolute per-test target;
- ``test_mixed.py`` (reported, no target): the plugin's tests alternating with plain tests,
  so the plugin stops and restarts the mock around every test that needs it.

Each module runs in its own ``pytest`` process. Two figures come out of the same runs:

- *Marginal, per test*: pytest itself times every phase of every test
  (``TestReport.duration``); a conftest hook collects them. A test's fixture cost is its
  set-up plus tear-down minus the median of the same for an empty test, and the figure is
  the median over a run's tests except the first (which pays one-time imports and building
  the pristine tables; reported in the notes).
- *Whole run, per test*: the CPU time (and wall time) of the whole pytest process of 300
  tests minus the empty run's, divided by 300: everything the user pays, including the
  imports at collection, the first test and the session finish.

The runs are interleaved (order rotated each round), one round of warm-up is discarded, and
each figure is the median over rounds.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

from benchmarks.measure import arguments, emit, progress, row

FIGURE = "fixture_cost"
TARGET = 0.25
WHOLE_RUN_TARGET = 0.1
LONG_TARGET_MS = 0.2
VARIANTS = ("plugin", "naive", "empty", "mixed", "plugin_long", "empty_long")
MIXED_TESTS = 40
"""Pairs of tests in the mixed module (reported only: it restarts the mock every other test)."""

MODELS = """
from aiodynamodb import GSI, DynamoModel, table


@table("users", hash_key="user_id")
class User(DynamoModel):
    user_id: str
    name: str


@table("orders", hash_key="customer_id", range_key="order_id")
class Order(DynamoModel):
    customer_id: str
    order_id: str
    total: int


@table(
    "events",
    hash_key="stream",
    range_key="seq",
    indexes=[GSI("by_kind", hash_key="kind", range_key="at")],
)
class Event(DynamoModel):
    stream: str
    seq: int
    kind: str
    at: str
"""

CONFTEST = """
import json
import os

import pytest
import pytest_asyncio

_DURATIONS = []


def pytest_runtest_logreport(report):
    _DURATIONS.append([report.nodeid, report.when, report.duration])


def pytest_sessionfinish(session):
    with open(os.environ["BENCH_DURATIONS"], "w") as out:
        json.dump(_DURATIONS, out)


def _table(name, keys, indexes=()):
    types = {}
    params = {"TableName": name, "BillingMode": "PAY_PER_REQUEST", "KeySchema": []}
    for (attr, kind), role in zip(keys, ("HASH", "RANGE")):
        params["KeySchema"].append({"AttributeName": attr, "KeyType": role})
        types[attr] = kind
    if indexes:
        params["GlobalSecondaryIndexes"] = []
    for index, index_keys in indexes:
        schema = []
        for (attr, kind), role in zip(index_keys, ("HASH", "RANGE")):
            schema.append({"AttributeName": attr, "KeyType": role})
            types[attr] = kind
        params["GlobalSecondaryIndexes"].append(
            {"IndexName": index, "KeySchema": schema, "Projection": {"ProjectionType": "ALL"}}
        )
    params["AttributeDefinitions"] = [
        {"AttributeName": attr, "AttributeType": kind} for attr, kind in types.items()
    ]
    return params


TABLES = [
    _table("users", [("user_id", "S")]),
    _table("orders", [("customer_id", "S"), ("order_id", "S")]),
    _table(
        "events",
        [("stream", "S"), ("seq", "N")],
        [("by_kind", [("kind", "S"), ("at", "S")])],
    ),
]

_SESSION = []


@pytest_asyncio.fixture
async def naive_dynamodb():
    import aiomoto
    from aiobotocore.session import get_session

    if not _SESSION:
        _SESSION.append(get_session())
    async with aiomoto.mock_aws():
        async with _SESSION[0].create_client("dynamodb", region_name="us-east-1") as client:
            for params in TABLES:
                await client.create_table(**params)
            yield client
"""

INI = """
[pytest]
asyncio_mode = auto
asyncio_default_fixture_loop_scope = function
"""


def write_project(root: Path, tests: int, long_tests: int) -> None:
    """The generated project: models, conftest, ini and one module per variant."""
    (root / "pytest.ini").write_text(textwrap.dedent(INI))
    (root / "bench_models.py").write_text(MODELS)
    (root / "conftest.py").write_text(CONFTEST)
    heads = {
        "plugin": (
            "import pytest\n\nfrom bench_models import Event, Order, User\n\n"
            "pytestmark = pytest.mark.dynamodb_tables(User, Order, Event)\n",
            "dynamodb",
        ),
        "naive": ("", "naive_dynamodb"),
        "empty": ("", ""),
    }
    heads["plugin_long"] = heads["plugin"]
    heads["empty_long"] = heads["empty"]
    for variant, (head, fixture) in heads.items():
        body = [head]
        for i in range(long_tests if variant.endswith("_long") else tests):
            body.append(f"\n\nasync def test_{i:04d}({fixture}):\n    pass\n")
        (root / f"test_{variant}.py").write_text("".join(body))
    mixed = [heads["plugin"][0].replace("pytestmark = ", "tables = ")]
    for i in range(min(tests, MIXED_TESTS)):
        mixed.append(f"\n\n@tables\nasync def test_{i:04d}_db(dynamodb):\n    pass\n")
        mixed.append(f"\n\nasync def test_{i:04d}_plain():\n    pass\n")
    (root / "test_mixed.py").write_text("".join(mixed))


def clean_env() -> dict[str, str]:
    """The environment of the child pytest runs: no inherited pytest or AWS settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST_", "AWS_", "AIODYNAMODB_", "COV_"))
    }
    env.update(
        {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
    )
    return env


def run_variant(root: Path, variant: str, env: dict[str, str]) -> dict[str, Any]:
    """One pytest process over ``test_<variant>.py``: per-test set-up + tear-down, whole run.

    Returns:
        ``first`` and ``rest`` (seconds of set-up + tear-down of the first test and of each
        later one), ``wall`` and ``cpu`` (seconds of the whole process: user + system time
        from ``wait4``).
    """
    out = root / f"durations-{variant}.json"
    env = dict(env, BENCH_DURATIONS=str(out))
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"test_{variant}.py"]
    log = root / f"pytest-{variant}.log"
    with log.open("w") as sink:
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=root, env=env, stdout=sink, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"pytest run {variant} failed:\n{log.read_text()}")
    per_test: dict[str, float] = {}
    for nodeid, when, duration in json.loads(out.read_text()):
        if when in ("setup", "teardown") and not nodeid.endswith("_plain"):
            per_test[nodeid] = per_test.get(nodeid, 0.0) + duration
    costs = [per_test[k] for k in sorted(per_test)]
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "first": costs[0],
        "rest": costs[1:],
    }


def _minus(a: list[float], b: list[float], per: int = 1) -> list[float]:
    return [(x - y) / per for x, y in zip(a, b, strict=True)]


def run(quick: bool) -> None:
    tests = 3 if quick else 300
    long_tests = 10 if quick else 1000
    rounds = 1 if quick else 3
    warmup = 0 if quick else 1
    env = clean_env()
    samples: dict[str, list[float]] = {v: [] for v in VARIANTS}
    firsts: dict[str, list[float]] = {v: [] for v in VARIANTS}
    walls: dict[str, list[float]] = {v: [] for v in VARIANTS}
    cpus: dict[str, list[float]] = {v: [] for v in VARIANTS}
    with tempfile.TemporaryDirectory(prefix="aiodynamodb-bench-") as tmp:
        root = Path(tmp)
        write_project(root, tests, long_tests)
        for rnd in range(warmup + rounds):
            shift = rnd % len(VARIANTS)
            order = VARIANTS[shift:] + VARIANTS[:shift]
            results = {v: run_variant(root, v, env) for v in order}
            if rnd < warmup:
                progress(f"round {rnd + 1} (warm-up) done")
                continue
            for v, result in results.items():
                samples[v].append(statistics.median(result["rest"]))
                firsts[v].append(result["first"])
                walls[v].append(result["wall"])
                cpus[v].append(result["cpu"])
            progress(
                f"round {rnd + 1}/{warmup + rounds}: per-test set-up+tear-down "
                + ", ".join(f"{v} {samples[v][-1] * 1e3:.2f} ms" for v in VARIANTS)
                + "; whole-run CPU "
                + ", ".join(f"{v} {cpus[v][-1]:.2f} s" for v in VARIANTS)
            )
    floor = samples["empty"]
    ours = _minus(samples["plugin"], floor)
    base = _minus(samples["naive"], floor)
    rows = [
        row(
            FIGURE,
            "dynamodb fixture, 3 tables + GSI, per test (marginal)",
            kind="max_ratio",
            ours=ours,
            baseline=base,
            unit="ms",
            scale=1e3,
            target=TARGET,
        ),
        row(
            FIGURE,
            f"  whole run of {tests} tests, per test (CPU)",
            kind="max_ratio",
            ours=_minus(cpus["plugin"], cpus["empty"], tests),
            baseline=_minus(cpus["naive"], cpus["empty"], tests),
            unit="ms",
            scale=1e3,
            target=WHOLE_RUN_TARGET,
        ),
        row(
            FIGURE,
            f"  whole run of {tests} tests, per test (wall, cross-check)",
            kind="report",
            ours=_minus(walls["plugin"], walls["empty"], tests),
            baseline=_minus(walls["naive"], walls["empty"], tests),
            unit="ms",
            scale=1e3,
            target=None,
        ),
        row(
            FIGURE,
            f"  set-up + tear-down per test, runs of {long_tests:,} tests",
            kind="max_value",
            ours=_minus(samples["plugin_long"], samples["empty_long"]),
            baseline=None,
            unit="ms",
            scale=1e3,
            target=LONG_TARGET_MS,
        ),
        row(
            FIGURE,
            "  same, tests alternating with plain tests",
            kind="report",
            ours=_minus(samples["mixed"], floor),
            baseline=base,
            unit="ms",
            scale=1e3,
            target=None,
        ),
    ]

    def first(v: str) -> float:
        return statistics.median(firsts[v]) - statistics.median(firsts["empty"])

    whole = {v: statistics.median(cpus[v]) for v in ("plugin", "naive", "empty")}
    notes = [
        f"fixture_cost: {rounds} rounds x {len(VARIANTS)} pytest processes ({tests} tests; "
        f"{long_tests:,} in the *_long runs; {min(tests, MIXED_TESTS)} pairs in the mixed "
        f"run), {warmup} warm-up round, order rotated, medians. Marginal = pytest's set-up + "
        f"tear-down durations minus an empty async test's "
        f"({statistics.median(floor) * 1e3:.2f} ms), median over tests 2..N. Whole run = "
        f"process CPU (user+system) minus the empty run's, / {tests}: plugin "
        f"{whole['plugin']:.2f} s, naive {whole['naive']:.2f} s, empty {whole['empty']:.2f} "
        f"s per run. First test of a run (one-time imports, pristine tables): plugin "
        f"{first('plugin') * 1e3:.0f} ms, naive {first('naive') * 1e3:.0f} ms.",
    ]
    extra = {
        "per_test_s": samples,
        "first_test_s": firsts,
        "pytest_wall_s": walls,
        "pytest_cpu_s": cpus,
        "tests_per_run": tests,
        "tests_per_long_run": long_tests,
    }
    progress("done")
    emit(FIGURE, rows, notes=notes, extra=extra)


def main() -> None:
    args = arguments(__doc__ or "")
    run(args.quick)


if __name__ == "__main__":
    main()
