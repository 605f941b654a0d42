"""Helpers for driving the plugin from the outside with pytester."""

from __future__ import annotations

import textwrap

import aiomoto  # noqa: F401
import moto.dynamodb.models
import moto.dynamodb.responses  # noqa: F401
import pytest

# pytester's in-process runs forget every module imported during the run; importing the
# heavy ones here keeps them loaded, so each inner run costs milliseconds, not seconds
# (moto.dynamodb.responses too: imported anew after an inner run, its DynamoHandler would
# be a second class, not the one the backend hook patches, for the tests after).
import pytest_aiodynamodb.backends  # noqa: F401

MODELS = """
from aiodynamodb import GSI, DynamoModel, table


@table("users", hash_key="user_id")
class User(DynamoModel):
    user_id: str
    name: str = "n"


@table("orders", hash_key="order_id", range_key="created_at",
       indexes=[GSI("by_status", hash_key="status")])
class Order(DynamoModel):
    order_id: str
    created_at: str
    status: str = "open"


@table("audit", hash_key="event_id")
class Audit(DynamoModel):
    event_id: str
"""


def ini(mode: str = "auto", extra: str = "") -> str:
    """A strict pytest ini for the inner project."""
    return textwrap.dedent(
        f"""
        [pytest]
        asyncio_mode = {mode}
        asyncio_default_fixture_loop_scope = function
        addopts = --strict-markers --strict-config -p no:cacheprovider
        filterwarnings = error
        {extra}
        """
    )


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """An inner project with models.py and a strict ini in auto mode."""
    pytester.makefile(".ini", pytest=ini())
    pytester.makepyfile(models=MODELS)
    pytester.syspathinsert()
    return pytester
