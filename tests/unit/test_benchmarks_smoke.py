"""``make bench`` cannot rot: the whole harness runs on tiny sizes (no timing is asserted)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

from benchmarks import FIGURES

ROOT = Path(__file__).resolve().parents[2]
STATUSES = {"PASS", "MISS", "REPORT"}


def test_quick_run_produces_every_figure(tmp_path: Path) -> None:
    output = tmp_path / "latest.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--output", str(output)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(output.read_text())
    assert set(result["figures"]) == set(FIGURES)
    rows = result["rows"]
    assert {row["figure"] for row in rows} == set(FIGURES)
    for row in rows:
        assert row["status"] in STATUSES, row
        assert math.isfinite(row["ours"]["median"]), row
        if row["target"] is not None:
            assert math.isfinite(row["ratio"]), row
    assert result["table"] in proc.stdout
