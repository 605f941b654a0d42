"""Run one side of a figure in a fresh interpreter and collect its result.

Figures whose two sides cannot share a process (the memory backend and plain
``aiomoto.mock_aws()`` both patch the same botocore machinery; a cold start is a fresh
process by definition) run each side as ``python -m benchmarks.<figure> --side NAME``. The
child prints one JSON object as its last stdout line; the parent alternates the sides round
by round, so a slow drift of the machine lands on both.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("aiodynamodb", "pytest_aiodynamodb")


def write_bytecode() -> None:
    """Write the bytecode of this repository's packages, as ``pip install`` does for a user.

    The development venv installs them editable, which writes none, and with
    ``PYTHONDONTWRITEBYTECODE=1`` no process caches it: every child would compile ~900 KB
    of source that an installed aiodynamodb (like aiobotocore and moto on the other side of
    each figure) loads from bytecode. Only changed modules are rewritten.
    """
    import compileall

    for package in PACKAGES:
        if not compileall.compile_dir(ROOT / package, quiet=1):
            raise RuntimeError(f"compiling {package} failed (see stderr above)")


def child_env() -> dict[str, str]:
    """The environment of a child: this one, with the repository on ``PYTHONPATH``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def run_side(figure: str, side: str, *args: str) -> dict[str, Any]:
    """``python -m benchmarks.<figure> --side <side> <args>``: its JSON result.

    The result gains ``process_cpu_s`` and ``process_wall_s``: the whole child's CPU time
    (user + system, from ``wait4``) and wall time.
    """
    import time

    command = [sys.executable, "-m", f"benchmarks.{figure}", "--side", side, *args]
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, env=child_env(), stdout=subprocess.PIPE)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.stdout.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command)} failed (see stderr above)")
    result: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    result["process_cpu_s"] = usage.ru_utime + usage.ru_stime
    result["process_wall_s"] = wall
    return result


def print_result(result: dict[str, Any]) -> None:
    """A child's result: one JSON line on stdout."""
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    sys.stdout.flush()


__all__ = ["PACKAGES", "ROOT", "child_env", "print_result", "run_side", "write_bytecode"]
