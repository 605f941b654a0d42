"""The sdist and wheel `python -m build` makes, and the metadata they carry.

The build runs once per module (a few seconds: ``--no-isolation`` uses the hatchling in
this environment instead of downloading one), sdist first and the wheel from the sdist, as
PyPI users get it; so a file missing from the sdist breaks the wheel too.
"""

from __future__ import annotations

import email
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from email.message import Message
from pathlib import Path

import pytest

import aiodynamodb

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
NAME = "aiodynamodb-orm"
PACKAGES = ("aiodynamodb", "pytest_aiodynamodb")
# What the sdist must carry beyond the packages: enough to run `make test` from it.
SDIST_TREES = ("tests", "docs", "examples")
SDIST_FILES = ("CHANGELOG.md", "LICENSE", "README.md", "pyproject.toml", "Makefile")
SKIPPED_PARTS = {"__pycache__", "node_modules", ".pytest_cache", ".mypy_cache"}


class Built:
    def __init__(self, folder: Path) -> None:
        (self.sdist,) = folder.glob("*.tar.gz")
        (self.wheel,) = folder.glob("*.whl")
        with tarfile.open(self.sdist) as archive:
            # Members are under "<name>-<version>/"; keep the part after it.
            self.sdist_names = {m.name.split("/", 1)[1] for m in archive if "/" in m.name}
        with zipfile.ZipFile(self.wheel) as archive:
            self.wheel_names = set(archive.namelist())
            (info,) = {name.split("/")[0] for name in self.wheel_names if ".dist-info/" in name}
            self.metadata: Message = email.message_from_bytes(archive.read(f"{info}/METADATA"))
            self.entry_points = archive.read(f"{info}/entry_points.txt").decode()
            self.dist_info = info


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return Built(out)


def files_under(folder: str) -> set[str]:
    """The source files under ``folder``: git's list in a clone, else what is on disk minus
    caches (tool caches are dot-folders, like .ruff_cache; the repository tracks none)."""
    if (ROOT / ".git").exists() and shutil.which("git"):
        listed = subprocess.run(
            ["git", "ls-files", "--", folder], cwd=ROOT, capture_output=True, text=True, check=True
        )
        return {name for name in listed.stdout.splitlines() if (ROOT / name).is_file()}
    return {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / folder).rglob("*")
        if path.is_file()
        and not SKIPPED_PARTS.intersection(path.relative_to(ROOT).parts)
        and not any(part.startswith(".") for part in path.relative_to(ROOT).parts)
    }


def test_the_wheel_holds_both_packages_with_py_typed_the_plugin_and_the_license(
    built: Built,
) -> None:
    for package in PACKAGES:
        assert f"{package}/py.typed" in built.wheel_names
        assert f"{package}/__init__.py" in built.wheel_names
    assert "aiodynamodb/testing/memory.py" in built.wheel_names  # subpackages too
    assert f"{built.dist_info}/licenses/LICENSE" in built.wheel_names
    # The entry point pytest finds the plugin by, under the name `-p no:aiodynamodb` uses.
    assert "[pytest11]\naiodynamodb = pytest_aiodynamodb.plugin" in built.entry_points


def test_the_wheel_holds_nothing_but_the_packages(built: Built) -> None:
    tops = {name.split("/")[0] for name in built.wheel_names}
    assert tops == {*PACKAGES, built.dist_info}
    assert not [name for name in built.wheel_names if "__pycache__" in name]


def test_the_sdist_carries_tests_docs_examples_changelog_and_license(built: Built) -> None:
    for tree in (*PACKAGES, *SDIST_TREES):
        missing = files_under(tree) - built.sdist_names
        assert not missing, f"not in the sdist: {sorted(missing)}"
    for name in SDIST_FILES:
        assert name in built.sdist_names
    assert not [name for name in built.sdist_names if SKIPPED_PARTS.intersection(name.split("/"))]


def test_the_metadata_names_the_distribution_license_urls_and_python_versions(
    built: Built,
) -> None:
    meta = built.metadata
    assert meta["Name"] == NAME
    assert meta["License-Expression"] == "MIT"
    assert meta.get_all("License-File") == ["LICENSE"]
    assert meta["Requires-Python"] == ">=3.11"
    assert meta["Author"]
    assert "dynamodb" in meta["Keywords"].split(",")
    urls = {url.split(",")[0] for url in meta.get_all("Project-URL") or []}
    assert {"Homepage", "Documentation", "Repository", "Issues", "Changelog"} <= urls
    classifiers = set(meta.get_all("Classifier") or [])
    for minor in (11, 12, 13):
        assert f"Programming Language :: Python :: 3.{minor}" in classifiers
    assert [c for c in classifiers if c.startswith("Development Status ::")]
    assert "Typing :: Typed" in classifiers


def test_aiobotocore_is_a_dependency_and_aioboto3_only_an_extra(built: Built) -> None:
    requires = built.metadata.get_all("Requires-Dist") or []
    plain = [r for r in requires if "extra ==" not in r]
    assert sorted(r.split("<")[0].split(">")[0] for r in plain) == [
        "aiobotocore",
        "boto3",
        "pydantic",
    ]
    aioboto3 = [r for r in requires if r.startswith("aioboto3")]
    assert aioboto3
    assert all("extra == 'aioboto3'" in r for r in aioboto3)


def test_the_version_is_written_once_in_pyproject() -> None:
    assert aiodynamodb.__version__ == PYPROJECT["project"]["version"]
    source = (ROOT / "aiodynamodb" / "__init__.py").read_text()
    assert PYPROJECT["project"]["version"] not in source
