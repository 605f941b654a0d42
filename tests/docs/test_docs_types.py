"""The typed test code the docs show passes ``mypy --strict``, as in a user's project.

Checked: every test-file block of README.md, and every test-file block of docs/testing.md
that imports from ``pytest_aiodynamodb`` (the typed marker helpers and fixture types). mypy
runs without the pydantic plugin, as a project that has not set it up would, with only
boto3's missing stubs ignored (docs/testing.md says how a user does the same). Whether mypy
finds an installed aiodynamodb outside the checkout is the packaging tests' concern: here
the checkout is on ``MYPYPATH``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .test_docs import PARSED, ROOT

MYPY_CONFIG = """\
[mypy]
strict = True

[mypy-boto3.*,botocore.*]
ignore_missing_imports = True

# Read from the checkout (MYPYPATH) but reported like an installed package: its own errors
# are `make lint`'s business, not the user's.
[mypy-aiodynamodb.*,pytest_aiodynamodb.*]
follow_imports = silent
"""


def _typed_blocks() -> list[tuple[str, str]]:
    blocks = []
    for page, parsed in PARSED.items():
        for block in parsed.blocks:
            if block.kind != "test-file":
                continue
            if page.name == "README.md" or (
                page.name == "testing.md" and "from pytest_aiodynamodb import" in block.code
            ):
                blocks.append((block.where, block.code))
    return blocks


def test_typed_doc_blocks_pass_mypy_strict(tmp_path: Path) -> None:
    blocks = _typed_blocks()
    assert any(where.startswith("README.md") for where, _ in blocks)
    assert sum(where.startswith("docs/testing.md") for where, _ in blocks) >= 5
    files: dict[str, str] = {}
    for number, (where, code) in enumerate(blocks):
        name = f"test_block_{number}.py"
        (tmp_path / name).write_text(code, encoding="utf-8")
        files[name] = where
    (tmp_path / "mypy.ini").write_text(MYPY_CONFIG, encoding="utf-8")
    env = {**os.environ, "MYPYPATH": str(ROOT)}
    command = [sys.executable, "-m", "mypy", "--config-file", "mypy.ini", "--cache-dir", ".cache"]
    result = subprocess.run(
        [*command, *sorted(files)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    report = result.stdout + result.stderr
    for name, where in files.items():  # name the doc block, not the temporary file
        report = report.replace(name, where)
    assert result.returncode == 0, report
