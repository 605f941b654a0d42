"""A project outside this checkout type-checks against aiodynamodb installed the way the
README says (``pip install -e '/path/to/clone[testing]'``).

What this proves: the editable install in the environment running the tests (``make``
installs .venv with the same ``pip install -e`` of this checkout, with the ``dev`` extra
instead of ``testing``) is a plain path entry that mypy follows, so ``mypy --strict`` run in
a temporary project that only imports the package sees its real types (``User | None``, the
low-level client's class) and no "cannot find module" error. It does not install anything
itself: a wheel install is covered by test_distributions (``py.typed`` in the wheel).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROJECT = """
from aiodynamodb import DynamoDB, DynamoModel, table


@table("users", hash_key="user_id")
class User(DynamoModel):
    user_id: str
    name: str


async def find(db: DynamoDB) -> str | None:
    user = await db.get(User, hash_key="u1")
    reveal_type(user)
    reveal_type(await db.low_level_client())
    return None if user is None else user.name
"""


def editable_location() -> Path | None:
    """The folder this environment's aiodynamodb-orm was installed from in editable mode."""
    text = metadata.distribution("aiodynamodb-orm").read_text("direct_url.json")
    info = json.loads(text or "{}")
    if not info.get("dir_info", {}).get("editable"):
        return None
    return Path(info["url"].removeprefix("file://")).resolve()


@pytest.fixture
def editable() -> Path:
    location = editable_location()
    if location is None:
        pytest.skip("aiodynamodb-orm is not installed in editable mode here (make does that)")
    return location


def test_the_editable_install_is_a_path_entry_to_the_checkout(editable: Path) -> None:
    assert editable == ROOT
    site = Path(metadata.distribution("aiodynamodb-orm").locate_file(""))
    entries = {
        line.strip()
        for pth in site.glob("*.pth")
        for line in pth.read_text().splitlines()
        if line.strip() and not line.startswith(("#", "import "))
    }
    # A path, not an import hook (`import __editable___..._finder`), which mypy cannot follow.
    assert str(ROOT) in entries


def test_mypy_strict_in_a_project_outside_the_checkout_sees_the_types(
    editable: Path, tmp_path: Path
) -> None:
    assert not tmp_path.resolve().is_relative_to(ROOT)
    (tmp_path / "app.py").write_text(textwrap.dedent(PROJECT))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MYPYPATH")}
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "app.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert 'Revealed type is "app.User | None"' in proc.stdout
    # types-aiobotocore-dynamodb is in the dev extra: the low-level client has its class.
    assert 'Revealed type is "types_aiobotocore_dynamodb.client.DynamoDBClient"' in proc.stdout
