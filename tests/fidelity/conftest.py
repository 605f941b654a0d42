"""The fidelity suite: DynamoDB's rules, checked through a raw client.

Every test talks to the backend under test through a plain low-level client (not our ORM),
created the way code under test would create one. ``AIODYNAMODB_FIDELITY_CLIENT`` picks
the client (clients.py): ``aiobotocore`` (default), ``aioboto3``, ``boto3`` (sync), or
``node`` (the AWS SDK for JavaScript, against the server command run in another process:
``python -m aiodynamodb.testing.server --port 0``, started here once per worker). Tests
that do not use the suite's client run only in the aiobotocore pass.

Backends:

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
would from any SDK that does not validate. On the server command exact messages are
asserted as on memory: it is the same in-memory DynamoDB.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import IO, Any

import pytest

from tests.fidelity.clients import (
    NODE_MISSING,
    REGION,
    NodeClient,
    client_kind,
    node_available,
    open_client,
    skip_or_fail,
)
from tests.fidelity.helpers import Backend, create_table

ENDPOINT_ENV = "AIODYNAMODB_TEST_ENDPOINT"
BACKEND_ENV = "AIODYNAMODB_BACKEND"
CLIENT_KIND = client_kind()
ONLY_AIOBOTOCORE = (
    "does not use the suite's client (the ddb fixture): runs once, in the aiobotocore pass; "
    "this pass uses {kind}"
)
CLIENT_FIXTURES = ("ddb", "recorded_client")
"""Tests using one of these run in every client's pass."""


def _endpoint() -> str | None:
    if os.environ.get(BACKEND_ENV) == "endpoint":
        return os.environ.get(ENDPOINT_ENV)
    return None


@pytest.fixture(autouse=True)
def _client_pass(request: pytest.FixtureRequest) -> None:
    if CLIENT_KIND != "aiobotocore" and not set(CLIENT_FIXTURES) & set(request.fixturenames):
        pytest.skip(ONLY_AIOBOTOCORE.format(kind=CLIENT_KIND))


def start_server_command(*options: str) -> tuple[subprocess.Popen[str], str]:
    """Start ``python -m aiodynamodb.testing.server --port 0``; return it and its endpoint."""
    # Its log goes to a file: a pipe nobody reads could fill up and stall the server.
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "aiodynamodb.testing.server", "--port", "0", *options],
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        stdout: IO[str] | None = process.stdout
        assert stdout is not None
        line = stdout.readline()
        stdout.close()
        if not line.startswith("endpoint: http://127.0.0.1:"):
            process.kill()
            process.wait()
            log.seek(0)
            raise AssertionError(f"the server command printed {line!r}: {log.read()}")
    return process, line.split(" ", 1)[1].strip()


@pytest.fixture(scope="session")
def server_command() -> Iterator[str | None]:
    """The endpoint of the server command in another process (only for the node client
    on the memory backend: the others run in process)."""
    if CLIENT_KIND != "node" or _endpoint() is not None:
        yield None
        return
    process, endpoint = start_server_command()
    try:
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="session")
def node_client(server_command: str | None) -> Iterator[NodeClient | None]:
    """One Node.js process sending requests with the AWS SDK for JavaScript (node pass)."""
    if CLIENT_KIND != "node" or not node_available():
        yield None
        return
    endpoint = _endpoint() or server_command
    assert endpoint is not None
    client = NodeClient(endpoint)
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def backend(server_command: str | None) -> Backend:
    """Which backend the fidelity tests run on (memory, or an endpoint URL)."""
    if server_command is not None:
        return Backend(server_command, exact_messages=True)
    return Backend(_endpoint())


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
    """``memory`` or ``endpoint`` (the node client always sends to a server)."""
    return "memory" if _endpoint() is None and CLIENT_KIND != "node" else "endpoint"


@pytest.fixture
async def ddb(
    backend: Backend,
    memory: Any,
    node_client: NodeClient | None,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[Any]:
    """A raw DynamoDB client of this run's kind on the backend under test (its tables empty
    on memory; on a server each test makes tables of its own)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "fidelity")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "fidelity")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    if memory is not None:
        # Starts the mock and the strict layer on first use; then discards all state.
        await memory.reset(())
    if CLIENT_KIND == "node":
        if node_client is None:
            skip_or_fail(NODE_MISSING)
        yield node_client
        return
    async with open_client(CLIENT_KIND, backend.endpoint) as client:
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
