"""The clients the fidelity suite sends its requests with (``AIODYNAMODB_FIDELITY_CLIENT``).

Every kind is used the same way: ``await client.put_item(TableName=..., ...)`` returns
botocore's response dict, and an error DynamoDB answers is botocore's ``ClientError``
(``client.exceptions.X`` classes) with ``Error.Code`` / ``Error.Message``, so the tests'
assertions hold unchanged:

- ``aiobotocore`` (default): aiobotocore's client;
- ``aioboto3``: aioboto3's client (installed only in the ``.venv-aioboto3`` stage);
- ``boto3``: a sync boto3 client, each call run inline by an adapter with awaitable methods;
- ``node``: the AWS SDK for JavaScript v3 (``@aws-sdk/client-dynamodb``, low-level commands)
  in one long-lived Node.js process (``tests/servers/node_fidelity_client.js``), fed JSON
  lines. It runs against the server command started in another process (conftest.py).

All but ``node`` are created inside the in-memory DynamoDB, the way code under test creates
its clients.
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import json
import os
import shutil
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable
from functools import cache
from pathlib import Path
from typing import IO, Any

import pytest
from botocore.config import Config

CLIENT_ENV = "AIODYNAMODB_FIDELITY_CLIENT"
KINDS = ("aiobotocore", "aioboto3", "boto3", "node")
REGION = "us-east-1"
# Parameter validation off: a malformed request reaches the backend as from any SDK that
# does not validate. One attempt: the tests see each answer as it is.
CLIENT_CONFIG = Config(parameter_validation=False, retries={"max_attempts": 1})

REPO = Path(__file__).resolve().parents[2]
NODE_MODULES = Path(os.environ.get("DYNALITE_DIR") or REPO / ".dynalite") / "node_modules"
NODE_CLIENT = REPO / "tests" / "servers" / "node_fidelity_client.js"
NODE_MISSING = "needs Node.js and @aws-sdk/client-dynamodb (make .dynalite/.stamp)"
AIOBOTO3_MISSING = "aioboto3 is not installed here (it is in .venv-aioboto3: make test-aioboto3)"
NOT_AN_OPERATION = (
    "{name}: the suite's clients offer DynamoDB's operations only (every kind sends those the "
    "same way); wait for a table with tests.fidelity.helpers.wait_active, not a waiter"
)
CLIENT_SIDE = (
    "the AWS SDK for JavaScript refuses this request itself ({error}), so it never reaches "
    "the server"
)


def client_kind() -> str:
    """The client kind this run uses (``AIODYNAMODB_FIDELITY_CLIENT``, default aiobotocore)."""
    kind = os.environ.get(CLIENT_ENV, "aiobotocore")
    if kind not in KINDS:
        raise pytest.UsageError(f"{CLIENT_ENV}={kind!r}: choose one of {', '.join(KINDS)}")
    return kind


@cache
def aiobotocore_session() -> Any:
    """One aiobotocore session for the run: it caches the service model it loads."""
    from aiobotocore.session import get_session

    return get_session()


def node_available() -> bool:
    """Whether Node.js and the pinned AWS SDK for JavaScript are installed."""
    sdk = NODE_MODULES / "@aws-sdk" / "client-dynamodb"
    return shutil.which("node") is not None and sdk.is_dir()


def skip_or_fail(message: str) -> None:
    """Skip for a missing tool, or fail where ``make`` installed it (no silent skips there)."""
    if os.environ.get("AIODYNAMODB_REQUIRE_DYNALITE") and "Node.js" in message:
        pytest.fail(message)
    if os.environ.get("AIODYNAMODB_REQUIRE_AIOBOTO3") and "aioboto3" in message:
        pytest.fail(message)
    pytest.skip(message)


class SyncClient:
    """Awaitable methods over a sync boto3 client: each call runs inline, on this thread."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.exceptions = client.exceptions

    def __getattr__(self, name: str) -> Callable[..., Awaitable[Any]]:
        if name not in self._client.meta.method_to_api_mapping:
            raise AttributeError(NOT_AN_OPERATION.format(name=name))
        method = getattr(self._client, name)

        async def call(**params: Any) -> Any:
            return method(**params)

        return call


def _to_wire(value: Any) -> Any:
    if isinstance(value, bytes | bytearray):
        return {"__b64__": base64.b64encode(value).decode()}
    if isinstance(value, dict):
        return {key: _to_wire(member) for key, member in value.items()}
    if isinstance(value, list | tuple | set):
        return [_to_wire(member) for member in value]
    return value


def _from_wire(value: Any) -> Any:
    if isinstance(value, dict):
        if list(value) == ["__b64__"]:
            return base64.b64decode(value["__b64__"])
        if list(value) == ["__date__"]:
            return datetime.datetime.fromtimestamp(value["__date__"], tz=datetime.UTC)
        return {key: _from_wire(member) for key, member in value.items()}
    if isinstance(value, list):
        return [_from_wire(member) for member in value]
    return value


class NodeClient:
    """Awaitable methods that send each request through the AWS SDK for JavaScript.

    One Node.js process serves every call; botocore only names the operations and builds
    the error classes (it sends nothing). Errors the server answers become botocore's own
    exception classes; a request the SDK refuses before sending skips the test, naming the
    SDK's error (a limit of that client, not of the server).
    """

    def __init__(self, endpoint: str, region: str = REGION) -> None:
        import botocore.session

        model_client = botocore.session.get_session().create_client(
            "dynamodb",
            region_name=region,
            aws_access_key_id="fidelity",
            aws_secret_access_key="fidelity",
        )
        self.exceptions = model_client.exceptions
        self._operations: dict[str, str] = model_client.meta.method_to_api_mapping
        self._process = subprocess.Popen(
            ["node", str(NODE_CLIENT), endpoint, region],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "NODE_PATH": str(NODE_MODULES), "NODE_NO_WARNINGS": "1"},
        )
        self._sent = 0

    def close(self) -> None:
        """Stop the Node.js process."""
        stdin: IO[str] | None = self._process.stdin
        if stdin is not None:
            stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()

    def send(self, operation: str, params: dict[str, Any]) -> Any:
        """Send one request (``operation`` as DynamoDB names it) and return its response."""
        from botocore.exceptions import ClientError

        self._sent += 1
        request = {"id": self._sent, "operation": operation, "params": _to_wire(params)}
        stdin, stdout = self._process.stdin, self._process.stdout
        assert stdin is not None
        assert stdout is not None
        stdin.write(json.dumps(request) + "\n")
        stdin.flush()
        line = stdout.readline()
        if not line:
            raise RuntimeError(f"the Node.js client stopped (exit {self._process.poll()})")
        answer = json.loads(line)
        assert answer["id"] == self._sent, answer
        if "error" not in answer:
            response: dict[str, Any] = _from_wire(answer["result"])
            response["ResponseMetadata"] = {
                "HTTPStatusCode": answer["status"],
                "RetryAttempts": answer["attempts"] - 1,
            }
            return response
        error = answer["error"]
        if error["clientSide"]:
            pytest.skip(CLIENT_SIDE.format(error=f"{error['name']}: {error['message']}"))
        body: dict[str, Any] = {
            "Error": {"Code": error["name"], "Message": error["message"]},
            "ResponseMetadata": {"HTTPStatusCode": error["status"], "RetryAttempts": 0},
            **_from_wire(error["fields"]),
        }
        kind: type[ClientError] = self.exceptions.from_code(error["name"])
        raise kind(body, operation)  # type: ignore[arg-type]

    def __getattr__(self, name: str) -> Callable[..., Awaitable[Any]]:
        operation = self._operations.get(name)
        if operation is None:
            raise AttributeError(NOT_AN_OPERATION.format(name=name))

        async def call(**params: Any) -> Any:
            return self.send(operation, params)

        return call


@contextlib.asynccontextmanager
async def open_client(kind: str, endpoint: str | None) -> AsyncIterator[Any]:
    """A client of ``kind`` on ``endpoint`` (None: the in-memory DynamoDB, already active)."""
    if kind == "aiobotocore":
        async with aiobotocore_session().create_client(
            "dynamodb", region_name=REGION, endpoint_url=endpoint, config=CLIENT_CONFIG
        ) as client:
            yield client
    elif kind == "aioboto3":
        try:
            import aioboto3
        except ImportError:
            skip_or_fail(AIOBOTO3_MISSING)
        async with aioboto3.Session().client(
            "dynamodb", region_name=REGION, endpoint_url=endpoint, config=CLIENT_CONFIG
        ) as client:
            yield client
    elif kind == "boto3":
        import boto3

        # A fresh session: boto3's default one keeps what an earlier test's environment held.
        client = boto3.session.Session().client(
            "dynamodb", region_name=REGION, endpoint_url=endpoint, config=CLIENT_CONFIG
        )
        try:
            yield SyncClient(client)
        finally:
            client.close()
    else:
        raise ValueError(f"{kind}: the node client is shared by the session (conftest.py)")
