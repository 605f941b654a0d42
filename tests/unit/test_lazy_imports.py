"""Importing the package, its testing tools or the plugin imports neither moto nor aiomoto:
they are imported when a mock starts (issue 18: the cold start and an unused plugin)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "imports",
    [
        "aiodynamodb",
        "aiodynamodb.testing",
        "pytest_aiodynamodb, pytest_aiodynamodb.plugin",
    ],
    ids=["aiodynamodb", "testing", "plugin"],
)
def test_import_does_not_import_moto(imports: str) -> None:
    code = (
        f"import sys, {imports}\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('moto', 'aiomoto'))\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
