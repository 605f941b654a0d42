"""Print the interpreter and the dependency versions a `make test` stage runs on.

Usage: python .ci/versions.py STAGE   (one line, so a failing stage's log says what it ran)
"""

from __future__ import annotations

import platform
import sys
from importlib import metadata

PACKAGES = ("aiobotocore", "botocore", "boto3", "aioboto3", "aiomoto", "moto", "pydantic", "pytest")


def installed(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def main() -> None:
    stage = sys.argv[1] if len(sys.argv) > 1 else "?"
    versions = " ".join(f"{name} {installed(name)}" for name in PACKAGES)
    print(f"== {stage}: Python {platform.python_version()}; {versions}", flush=True)


if __name__ == "__main__":
    main()
