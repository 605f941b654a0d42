"""Run ScyllaDB Alternator's public DynamoDB suite against local servers and compare them.

Alternator's ``test/alternator`` is a large DynamoDB API suite its authors validate against
real DynamoDB. This script extracts it from a scylladb git checkout (or bare clone) at one
tag, runs the same test files from another process against each server with ``--url``, and
prints the passes and failures per file::

    .venv/bin/python tools/alternator.py /path/to/scylladb            # ours, dynalite, moto
    .venv/bin/python tools/alternator.py /path/to/scylladb --servers ours --json /tmp/ours.json

The servers: ``ours`` is ``python -m aiodynamodb.testing.server`` (strict rules on),
``dynalite`` the pinned dynalite of ``tests/servers`` (``make .dynalite/.stamp``), ``moto``
plain ``moto_server``. A test counts as passed when it passes (or xpasses: Alternator marks
its own known bugs xfail, and DynamoDB passes them), as failed when it fails, errors, xfails
or takes more than two minutes. Tests of Scylla-only features (those using the
``scylla_only``, ``rest_api`` or ``test_table_s_forbid_rmw`` fixtures) are skipped on every
server: ``--url`` alone does not skip them. ``veryslow`` tests are skipped by the suite
itself. Each file runs against a fresh server; when a server stops answering, the file's
tests that did not run count as failed. Not part of ``make test``
(a full comparison takes ~10 minutes); docs/fidelity.md has the figures it measured.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_REF = "scylla-6.0.0"
"""The newest tag whose ``test/alternator`` runs alone (later ones import Scylla's own test
libraries and its CQL driver)."""
DEFAULT_FILES = (
    "test_item.py",
    "test_condition_expression.py",
    "test_update_expression.py",
    "test_query.py",
    "test_scan.py",
    "test_batch.py",
    "test_filter_expression.py",
    "test_projection_expression.py",
    "test_key_condition_expression.py",
    "test_returnvalues.py",
    "test_number.py",
    "test_nested.py",
    "test_describe_table.py",
    "test_table.py",
    "test_gsi.py",
    "test_lsi.py",
    "test_expected.py",
    "test_key_conditions.py",
    "test_query_filter.py",
    "test_limits.py",
)
"""The files about features the in-memory DynamoDB has (not Scylla's own extensions, nor
streams, backups, tracing, metrics or raw HTTP framing)."""
SERVERS = ("ours", "dynalite", "moto")
SCYLLA_ONLY_FIXTURES = ("scylla_only", "rest_api", "test_table_s_forbid_rmw", "cql")

TEST_TIMEOUT = 120
"""Seconds one test may take: some wait for a state a server never reaches (dynalite leaves
an index added by UpdateTable backfilling), and pytest-timeout is not installed."""

SCOPE_PLUGIN = f'''
"""Skip the tests of Scylla-only features; fail a test that hangs (tools/alternator.py)."""
import signal

import pytest

FIXTURES = {SCYLLA_ONLY_FIXTURES!r}
TIMEOUT = {TEST_TIMEOUT}


class TestTimeout(Exception):
    pass


def _expire(signum, frame):
    raise TestTimeout(f"no outcome within {{TIMEOUT}} s")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    signal.signal(signal.SIGALRM, _expire)
    signal.alarm(TIMEOUT)
    try:
        yield
    finally:
        signal.alarm(0)


def pytest_collection_modifyitems(config, items):
    for item in items:
        used = [name for name in FIXTURES if name in getattr(item, "fixturenames", ())]
        if used:
            item.add_marker(pytest.mark.skip(reason=f"Scylla-only ({{used[0]}})"))
'''


def extract(checkout: Path, ref: str, into: Path) -> Path:
    """Write ``test/alternator`` of ``ref`` from a scylladb git repository under ``into``."""
    archive = subprocess.run(
        ["git", "-C", str(checkout), "archive", ref, "test/alternator"],
        capture_output=True,
        check=False,
    )
    # git may complain about objects outside test/alternator missing from a partial clone.
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    suite = into / "test" / "alternator"
    if not (suite / "conftest.py").is_file():
        raise SystemExit(f"no test/alternator at {ref} in {checkout}: {archive.stderr.decode()}")
    return suite


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_http(url: str, process: subprocess.Popen[bytes], deadline: float = 30.0) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped before answering (exit {process.returncode})")
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except OSError as error:
            # Any HTTP answer (even an error status) means it is listening.
            if getattr(error, "code", None) is not None:
                return
            time.sleep(0.1)
    raise SystemExit(f"no answer from {url} within {deadline} s")


@contextlib.contextmanager
def serve(kind: str) -> Iterator[str]:
    """Start one server; yield its endpoint URL; stop it."""
    if kind == "dynalite":
        sys.path.insert(0, str(REPO))
        from tests.servers.dynalite import start_dynalite

        with start_dynalite() as server:
            yield server.endpoint
        return
    if kind == "ours":
        command = [sys.executable, "-m", "aiodynamodb.testing.server", "--port", "0"]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert process.stdout is not None
        line = process.stdout.readline().decode()
        if not line.startswith("endpoint: "):
            process.kill()
            raise SystemExit(f"the server command printed {line!r}, not its endpoint")
        url = line.split(" ", 1)[1].strip()
    else:
        moto = shutil.which("moto_server", path=str(Path(sys.executable).parent)) or "moto_server"
        url = f"http://127.0.0.1:{_free_port()}"
        process = subprocess.Popen(
            [moto, "-p", url.rsplit(":", 1)[1]],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_http(url, process)
    try:
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _pytest(suite: Path, plugin_dir: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    (plugin_dir / "alternator_scope.py").write_text(SCOPE_PLUGIN)
    env = {**os.environ, "PYTHONPATH": str(plugin_dir)}
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:aiodynamodb",
        "-p",
        "no:asyncio",
        "-p",
        "alternator_scope",
        *arguments,
    ]
    return subprocess.run(command, cwd=suite, env=env, check=False, capture_output=True, text=True)


def run_file(kind: str, suite: Path, name: str, work: Path) -> dict[str, str]:
    """Run one test file against a fresh server of ``kind``; return each test's outcome.

    The suite stops at the first test after which the server no longer answers (it checks
    after every test); the tests it did not run then count as failed ("crashed"), and the
    next file gets a new server.
    """
    report = work / f"{kind}-{name}.xml"
    with serve(kind) as url:
        _pytest(suite, work, "-q", "--tb=no", f"--junitxml={report}", "--url", url, name)
    results = outcomes(report) if report.is_file() else {}
    listed = _pytest(suite, work, "-q", "--collect-only", "--url", "http://127.0.0.1:9", name)
    for line in listed.stdout.splitlines():
        if "::" in line:
            test_id = line.strip().removesuffix(".py").replace(".py::", "::", 1)
            results.setdefault(test_id, "crashed")
    return results


def outcomes(report: Path) -> dict[str, str]:
    """``{test id: "pass" | "fail" | "skip"}`` from a JUnit XML report (ids ``file::test``)."""
    results: dict[str, str] = {}
    for case in ElementTree.parse(report).iter("testcase"):
        test_id = f"{case.get('classname')}::{case.get('name')}"
        children = {child.tag: child for child in case}
        skipped = children.get("skipped")
        if "failure" in children or "error" in children:
            results[test_id] = "fail"
        elif skipped is not None:
            # An xfail that failed on this server: DynamoDB passes it.
            xfailed = skipped.get("type") == "pytest.xfail"
            results[test_id] = "fail" if xfailed else "skip"
        else:
            results[test_id] = "pass"
    return results


def table(by_server: dict[str, dict[str, str]], files: Sequence[str]) -> str:
    """A markdown table: passed/run per file and server."""
    kinds = list(by_server)
    lines = [
        "| file | " + " | ".join(kinds) + " |",
        "| --- | " + " | ".join("---" for _ in kinds) + " |",
    ]
    totals = {kind: [0, 0] for kind in kinds}
    for name in files:
        module = name.removesuffix(".py")
        cells = []
        for kind in kinds:
            mine = [v for k, v in by_server[kind].items() if k.split("::")[0] == module]
            passed = mine.count("pass")
            run = passed + mine.count("fail") + mine.count("crashed")
            totals[kind][0] += passed
            totals[kind][1] += run
            cells.append(f"{passed}/{run}")
        lines.append(f"| {module} | " + " | ".join(cells) + " |")
    lines.append("| **all** | " + " | ".join(f"**{p}/{r}**" for p, r in totals.values()) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """The command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkout", type=Path, help="a scylladb git repository (bare or not)")
    parser.add_argument("--ref", default=DEFAULT_REF, help=f"tag to test (default {DEFAULT_REF})")
    parser.add_argument("--servers", default=",".join(SERVERS), help=f"any of {', '.join(SERVERS)}")
    parser.add_argument("--files", nargs="*", default=list(DEFAULT_FILES), help="test files")
    parser.add_argument("--json", type=Path, help="also write every test's outcome per server here")
    options = parser.parse_args(argv)
    kinds = [kind for kind in options.servers.split(",") if kind]
    unknown = sorted(set(kinds) - set(SERVERS))
    if unknown:
        parser.error(f"unknown servers {unknown}; choose from {list(SERVERS)}")
    by_server: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory(prefix="alternator-") as work:
        suite = extract(options.checkout, options.ref, Path(work))
        for kind in kinds:
            started = time.monotonic()
            by_server[kind] = {}
            for name in options.files:
                by_server[kind].update(run_file(kind, suite, name, Path(work)))
            crashed = sum(1 for outcome in by_server[kind].values() if outcome == "crashed")
            print(
                f"{kind}: {time.monotonic() - started:.0f} s, {crashed} not run after a crash",
                file=sys.stderr,
            )
    if options.json:
        options.json.write_text(json.dumps(by_server, indent=1, sort_keys=True))
    print(table(by_server, options.files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
