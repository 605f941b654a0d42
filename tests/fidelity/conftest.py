"""The fidelity suite: DynamoDB's rules, checked through a raw aiobotocore client.

Every test talks to the backend under test through a plain aiobotocore client (not our
ORM), created the way code under test would create one:

- memory (default): aiodynamodb's in-memory DynamoDB (``MemoryDynamoDB``: aiomoto's moto
  mock plus the strict layer, the same object ``mock_dynamodb()`` and the plugin use), kept
  active for a test module and emptied before every test;
- endpoint: a server, e.g. dynalite::

      AIODYNAMODB_BACKEND=endpoint AIODYNAMODB_SERVER_KIND=dynalite \
          python -m tests.servers.dynalite -- pytest tests/fidelity --dynamodb-endpoint={endpoint}

  (the runner exports ``AIODYNAMODB_TEST_ENDPOINT``). Tests of rules dynalite lacks carry
  ``@pytest.mark.not_on_dynalite(reason)``. On a server only the error code is asserted
  unless a test asks for the exact message too.

Parameter validation is off in the client, so a malformed request reaches the backend as it
would from any SDK that does not validate.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from functools import cache
from typing import Any

import pytest
from botocore.config import Config

from tests.fidelity.helpers import Backend, create_table

ENDPOINT_ENV = "AIODYNAMODB_TEST_ENDPOINT"
BACKEND_ENV = "AIODYNAMODB_BACKEND"
REGION = "us-east-1"
CLIENT_CONFIG = Config(parameter_validation=False, retries={"max_attempts": 1})


def _endpoint() -> str | None:
    if os.environ.get(BACKEND_ENV) == "endpoint":
        return os.environ.get(ENDPOINT_ENV)
    return None


@pytest.fixture
def backend() -> Backend:
    """Which backend the fidelity tests run on (memory, or an endpoint URL)."""
    return Backend(_endpoint())


@cache
def _session() -> Any:
    """One aiobotocore session for the run: it caches the service model it loads."""
    from aiobotocore.session import get_session

    return get_session()


@pytest.fixture(scope="module")
def memory(backend_kind: str) -> Iterator[Any]:
    """The in-memory DynamoDB (moto + strict layer), kept active for one test module."""
    if backend_kind != "memory":
        yield None
        return
    from aiodynamodb.testing import MemoryDynamoDB

    memory = MemoryDynamoDB(strict=True, patch_env=False)
    yield memory
    memory.deactivate()


@pytest.fixture(scope="module")
def backend_kind() -> str:
    """``memory`` or ``endpoint``."""
    return "memory" if _endpoint() is None else "endpoint"


@pytest.fixture
async def ddb(backend: Backend, memory: Any, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Any]:
    """A raw aiobotocore DynamoDB client on the backend under test (its tables empty)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "fidelity")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "fidelity")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    if memory is not None:
        # Starts the mock and the strict layer on first use; then discards all state.
        await memory.reset(())
    async with _session().create_client(
        "dynamodb", region_name=REGION, endpoint_url=backend.endpoint, config=CLIENT_CONFIG
    ) as client:
        yield client


def _table_name(backend: Backend, base: str) -> str:
    if backend.endpoint is None:
        return base
    return f"{base}-{uuid.uuid4().hex[:8]}"


@pytest.fixture
async def hash_table(ddb: Any, backend: Backend) -> AsyncIterator[str]:
    """A table with a string hash key ``pk``."""
    name = _table_name(backend, "fid_hash")
    await create_table(ddb, name, [("pk", "HASH", "S")])
    yield name
    await backend.drop(ddb, name)


@pytest.fixture
async def binary_table(ddb: Any, backend: Backend) -> AsyncIterator[str]:
    """A table with a binary hash key ``pk``."""
    name = _table_name(backend, "fid_binary")
    await create_table(ddb, name, [("pk", "HASH", "B")])
    yield name
    await backend.drop(ddb, name)


@pytest.fixture
async def composite_table(ddb: Any, backend: Backend) -> AsyncIterator[str]:
    """``pk`` (S) + ``sk`` (N), a GSI ``by_email`` on ``email`` (S, ALL), a KEYS_ONLY GSI
    ``by_kind`` on ``kind`` (S) and an LSI ``by_rank`` on ``rank`` (N)."""
    name = _table_name(backend, "fid_composite")
    await create_table(
        ddb,
        name,
        [("pk", "HASH", "S"), ("sk", "RANGE", "N")],
        extra_attributes=[("email", "S"), ("kind", "S"), ("rank", "N")],
        gsis=[("by_email", "email", "ALL"), ("by_kind", "kind", "KEYS_ONLY")],
        lsis=[("by_rank", "rank")],
    )
    yield name
    await backend.drop(ddb, name)
