"""Optional dependencies the suite uses where they are installed."""

from __future__ import annotations

import os
from typing import Any

import pytest


def import_aioboto3() -> Any:
    """aioboto3 (an optional extra), or a skip; `make test-aioboto3` sets
    AIODYNAMODB_REQUIRE_AIOBOTO3 so that the stage that installs it cannot skip."""
    try:
        import aioboto3
    except ImportError:
        if os.environ.get("AIODYNAMODB_REQUIRE_AIOBOTO3"):
            raise
        pytest.skip("aioboto3 (the 'aioboto3' extra) is not installed here")
    return aioboto3
