"""The recorder, the fault injector and the strict rules see this run's kind of client
(``AIODYNAMODB_FIDELITY_CLIENT``: aiobotocore, aioboto3, sync boto3, or the AWS SDK for
JavaScript), through the public testing API only.

The in-process clients are created inside the in-memory DynamoDB. The JavaScript client
runs in its own Node.js process and sends to a server in this test's process (the plugin's
``server`` backend), whose chain runs this process's recorder and faults: the server
command in another process has its own.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from aiodynamodb.testing.faults import FaultInjector
from aiodynamodb.testing.intercept import intercepting
from aiodynamodb.testing.recorder import CallRecorder
from aiodynamodb.testing.server import DynamoDBServer
from tests.fidelity.clients import (
    NODE_MISSING,
    NodeClient,
    node_available,
    open_client,
    skip_or_fail,
)
from tests.fidelity.conftest import CLIENT_KIND
from tests.fidelity.helpers import create_table

pytestmark = pytest.mark.skipif(
    os.environ.get("AIODYNAMODB_BACKEND") == "endpoint",
    reason="about the in-memory DynamoDB's chain; this run targets another server",
)

UNUSED = (
    "1 validation error detected: Value provided in ExpressionAttributeValues unused in "
    "expressions: keys: {:unused}"
)
THROTTLED = "Rate of requests exceeds the allowed throughput."


@pytest.fixture
async def recorded_client(memory: Any, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Any]:
    """A client of this run's kind whose requests reach this process's chain."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "fidelity",
        "AWS_SECRET_ACCESS_KEY": "fidelity",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    if CLIENT_KIND != "node":
        await memory.reset(())
        async with open_client(CLIENT_KIND, None) as client:
            yield client
        return
    if not node_available():
        skip_or_fail(NODE_MISSING)
    with intercepting(), DynamoDBServer() as server:
        assert server.endpoint_url is not None
        node = NodeClient(server.endpoint_url)
        try:
            yield node
        finally:
            node.close()


async def test_recorder_faults_and_rules_see_the_client(recorded_client: Any) -> None:
    client = recorded_client
    await create_table(client, "kinds", [("pk", "HASH", "S")])
    with CallRecorder() as calls, FaultInjector() as faults:
        faults.fail("GetItem", error="ThrottlingException", times=None)
        await client.put_item(TableName="kinds", Item={"pk": {"S": "a"}})
        with pytest.raises(ClientError) as refused:
            await client.put_item(
                TableName="kinds",
                Item={"pk": {"S": "b"}},
                ConditionExpression="attribute_not_exists(pk)",
                ExpressionAttributeValues={":unused": {"S": "x"}},
            )
        with pytest.raises(ClientError) as throttled:
            await client.get_item(TableName="kinds", Key={"pk": {"S": "a"}})
        faults.clear()
        answer = await client.get_item(TableName="kinds", Key={"pk": {"S": "a"}})
    assert refused.value.response["Error"] == {"Code": "ValidationException", "Message": UNUSED}
    assert throttled.value.response["Error"] == {
        "Code": "ThrottlingException",
        "Message": THROTTLED,
    }
    assert answer["Item"] == {"pk": {"S": "a"}}
    # Each attempt seen once, the refused and the faulted ones included (the client may
    # retry a throttled attempt: botocore's legacy mode makes two).
    attempts = throttled.value.response["ResponseMetadata"]["RetryAttempts"] + 1
    assert [(call.operation, call.error) for call in calls.calls] == [
        ("PutItem", None),
        ("PutItem", "ValidationException"),
        *[("GetItem", "ThrottlingException")] * attempts,
        ("GetItem", None),
    ]
