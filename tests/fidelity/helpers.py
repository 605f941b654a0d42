"""Helpers of the fidelity suite: table creation and error assertions."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Sequence
from typing import Any

from botocore.exceptions import ClientError

ENVELOPE = "1 validation error detected: "
# Seconds a created or updated table may take to become ACTIVE (dynalite: about half of one).
ACTIVE_WITHIN = 30.0


class Backend:
    """The backend under test: the in-memory mock (``endpoint`` None) or a server."""

    def __init__(self, endpoint: str | None, *, exact_messages: bool = False) -> None:
        self.endpoint = endpoint
        self.exact_messages = exact_messages or endpoint is None

    @property
    def is_memory(self) -> bool:
        """Whether the tests run on the in-memory backend in this process."""
        return self.endpoint is None

    async def drop(self, client: Any, table: str) -> None:
        """Delete a table a test created on a server (the mock is discarded anyway)."""
        if self.endpoint is not None:
            with contextlib.suppress(ClientError):
                await client.delete_table(TableName=table)


async def create_table(
    client: Any,
    name: str,
    keys: Sequence[tuple[str, str, str]],
    *,
    extra_attributes: Sequence[tuple[str, str]] = (),
    gsis: Sequence[tuple[str, str, str]] = (),
    lsis: Sequence[tuple[str, str]] = (),
) -> None:
    """Create an on-demand table and wait until it is ACTIVE.

    Args:
        client: The raw client.
        name: Table name.
        keys: ``(attribute, "HASH"|"RANGE", type)``.
        extra_attributes: ``(attribute, type)`` of index keys.
        gsis: ``(index, hash attribute, projection type)``.
        lsis: ``(index, range attribute)`` (the hash key is the table's).
    """
    params: dict[str, Any] = {
        "TableName": name,
        "KeySchema": [{"AttributeName": a, "KeyType": k} for a, k, _ in keys],
        "AttributeDefinitions": [{"AttributeName": a, "AttributeType": t} for a, _, t in keys]
        + [{"AttributeName": a, "AttributeType": t} for a, t in extra_attributes],
        "BillingMode": "PAY_PER_REQUEST",
    }
    if gsis:
        params["GlobalSecondaryIndexes"] = [
            {
                "IndexName": index,
                "KeySchema": [{"AttributeName": attribute, "KeyType": "HASH"}],
                "Projection": {"ProjectionType": projection},
            }
            for index, attribute, projection in gsis
        ]
    if lsis:
        params["LocalSecondaryIndexes"] = [
            {
                "IndexName": index,
                "KeySchema": [
                    {"AttributeName": keys[0][0], "KeyType": "HASH"},
                    {"AttributeName": attribute, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
            for index, attribute in lsis
        ]
    await client.create_table(**params)
    await wait_active(client, name)


async def wait_active(client: Any, name: str) -> dict[str, Any]:
    """Poll DescribeTable until the table is ACTIVE (botocore's ``table_exists`` waiter).

    A waiter is a convenience of the Python SDKs, not an API: polling DescribeTable works the
    same through every client kind of the suite (tests/fidelity/clients.py).

    Args:
        client: The raw client, of any kind.
        name: Table name.

    Returns:
        The ACTIVE table's description.
    """
    deadline = time.monotonic() + ACTIVE_WITHIN
    while True:
        try:
            table: dict[str, Any] = (await client.describe_table(TableName=name))["Table"]
        except ClientError as error:  # the waiter also retries a table not listed yet
            if error.response["Error"]["Code"] != "ResourceNotFoundException":
                raise
        else:
            if table["TableStatus"] == "ACTIVE":
                return table
        if time.monotonic() > deadline:
            raise AssertionError(f"table {name!r} was not ACTIVE after {ACTIVE_WITHIN} s")
        await asyncio.sleep(0.05)


async def refused(
    backend: Backend,
    call: Awaitable[Any],
    code: str,
    message: str | None = None,
    *,
    exact_on_server: bool = False,
) -> ClientError:
    """Await a request that must fail, and check DynamoDB's error code and message.

    On the memory backend and the server command the message must match exactly; on
    another server only the code is checked unless ``exact_on_server`` (servers word many
    messages differently).

    Returns:
        The error, for more assertions.
    """
    try:
        await call
    except ClientError as error:
        got = error.response["Error"]
        assert got["Code"] == code, got
        if message is not None and (backend.exact_messages or exact_on_server):
            assert got["Message"] == message
        return error
    raise AssertionError(f"the request succeeded; expected {code}: {message}")
