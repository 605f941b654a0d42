"""``python -m benchmarks``: run every figure, print one table, write it as JSON.

Each figure runs in a fresh interpreter (``python -m benchmarks.<figure>``), so imports,
caches and the mock's state of one figure never leak into another. Options: ``--quick``
(tiny sizes, for the smoke test), ``--large`` (the opt-in large sizes), ``--only FIGURE
...``, ``--output PATH`` (default
``benchmarks/results/latest.json``). The exit status is 0 when every figure ran (PASS or
MISS alike: benchmarks are not tests) and 1 when a figure crashed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import FIGURES
from benchmarks.children import write_bytecode
from benchmarks.table import render

DEFAULT_OUTPUT = Path(__file__).parent / "results" / "latest.json"


def run_figure(name: str, quick: bool, timeout: float, large: bool = False) -> dict[str, Any]:
    """Run one figure in its own process; its JSON result, or an error entry."""
    flags = [*(["--quick"] if quick else []), *(["--large"] if large else [])]
    command = [sys.executable, "-m", f"benchmarks.{name}", *flags]
    print(f"== {name}", file=sys.stderr, flush=True)
    start = time.perf_counter()
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    try:
        proc = subprocess.run(
            command,
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return _error(name, f"timed out after {timeout:.0f} s", time.perf_counter() - start)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        return _error(name, f"exit status {proc.returncode} (see stderr above)", seconds)
    try:
        result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError) as error:
        return _error(name, f"no JSON result on stdout ({error})", seconds)
    result["seconds"] = seconds
    return result


def _error(name: str, message: str, seconds: float) -> dict[str, Any]:
    row = {
        "figure": name,
        "case": f"ERROR: {message}",
        "kind": "report",
        "status": "ERROR",
        "ours": None,
        "baseline": None,
        "ratio": None,
        "target": None,
        "unit": "",
    }
    return {"figure": name, "rows": [row], "notes": [], "extra": {}, "seconds": seconds}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, few repetitions")
    parser.add_argument("--only", nargs="+", choices=FIGURES, metavar="FIGURE", help="subset")
    parser.add_argument(
        "--large",
        action="store_true",
        help="also the opt-in large sizes: 100,000 items in backend_scale and on the mock "
        "in batch_scale (several minutes more)",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="JSON result path")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per figure")
    args = parser.parse_args(argv)

    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    start = time.perf_counter()
    # Every figure's children load aiodynamodb from bytecode, as an installed copy does.
    write_bytecode()
    figures = [
        run_figure(name, args.quick, args.timeout, args.large) for name in (args.only or FIGURES)
    ]
    duration = time.perf_counter() - start
    rows = [r for f in figures for r in f["rows"]]
    notes = [n for f in figures for n in f["notes"]]
    command = (
        "python -m benchmarks"
        + (" --quick" if args.quick else "")
        + (" --large" if args.large else "")
    )
    header = (
        f"{command}  ({started}, {duration:.0f} s, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs)"
    )
    table = render(rows, notes, header)
    print(table)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "command": command,
        "started": started,
        "duration_s": duration,
        "quick": args.quick,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "rows": rows,
        "notes": notes,
        "figures": {f["figure"]: {"seconds": f["seconds"], "extra": f["extra"]} for f in figures},
        "table": table,
    }
    args.output.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"\nwritten: {args.output}")
    return 1 if any(r["status"] == "ERROR" for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
