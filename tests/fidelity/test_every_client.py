"""One chain at the backend for every client (issue 19): the strict rules, the recorder and
fault injection see aiobotocore, sync boto3 (created inside the mock, or before it) and
HTTP clients alike, each request exactly once."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from aiodynamodb import DynamoDB, DynamoModel, table
from aiodynamodb.testing import mock_dynamodb
from aiodynamodb.testing.environment import FAKE_REGION
from aiodynamodb.testing.faults import FaultInjector
from aiodynamodb.testing.intercept import (
    CRASHES,
    DynamoCall,
    DynamoResponse,
    InterceptorSuspendedError,
    Proceed,
    SyncProceed,
    add_interceptor,
)
from aiodynamodb.testing.recorder import CallRecorder

# These tests start the in-memory DynamoDB themselves (mock_dynamodb): they are about how its
# chain meets each kind of client, which has no meaning against a real server.
pytestmark = pytest.mark.skipif(
    os.environ.get("AIODYNAMODB_BACKEND") == "endpoint",
    reason="about the in-memory DynamoDB's chain; this run targets a real server",
)

UNUSED = (
    "1 validation error detected: Value provided in ExpressionAttributeValues unused in "
    "expressions: keys: {:unused}"
)


@table("every_client", hash_key="pk")
class Thing(DynamoModel):
    pk: str


def unused_value_put() -> dict[str, Any]:
    """A PutItem DynamoDB refuses and moto accepts: an ExpressionAttributeValue no
    expression uses."""
    return {
        "TableName": "every_client",
        "Item": {"pk": {"S": "a"}},
        "ConditionExpression": "attribute_not_exists(pk)",
        "ExpressionAttributeValues": {":unused": {"S": "x"}},
    }


@pytest.fixture
async def db() -> AsyncIterator[DynamoDB]:
    async with mock_dynamodb(Thing) as db:
        yield db


def sync_client(**config: Any) -> Any:
    # A fresh session: boto3's default one keeps what an earlier test's environment held.
    return boto3.session.Session().client(
        "dynamodb",
        region_name=FAKE_REGION,
        config=Config(retries={"max_attempts": 3}, **config),
    )


def refused(send: Callable[[], Any]) -> ClientError:
    with pytest.raises(ClientError) as caught:
        send()
    return caught.value


async def test_strict_rules_for_aiobotocore(db: DynamoDB) -> None:
    client = await db.low_level_client()
    with pytest.raises(ClientError) as caught:
        await client.put_item(**unused_value_put())
    assert caught.value.response["Error"] == {"Code": "ValidationException", "Message": UNUSED}


async def test_strict_rules_for_sync_boto3_created_inside(db: DynamoDB) -> None:
    client = sync_client()
    error = refused(lambda: client.put_item(**unused_value_put()))
    assert error.response["Error"] == {"Code": "ValidationException", "Message": UNUSED}
    # Its requests reach the same tables, through the same backend.
    client.put_item(TableName="every_client", Item={"pk": {"S": "b"}})
    assert await db.get(Thing, hash_key="b") == Thing(pk="b")


async def test_strict_rules_for_a_client_created_before_the_mock() -> None:
    # A botocore client that exists before the mock never saw our client-creation patch:
    # its request reaches moto's request path, where the chain answers it.
    import moto  # noqa: F401  moto's handler joins clients created after its import

    early = botocore.session.get_session().create_client(
        "dynamodb",
        region_name=FAKE_REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    async with mock_dynamodb(Thing), CallRecorder() as calls:
        error = refused(lambda: early.put_item(**unused_value_put()))
        early.put_item(TableName="every_client", Item={"pk": {"S": "b"}})
    assert error.response["Error"] == {"Code": "ValidationException", "Message": UNUSED}
    assert [(c.operation, c.error) for c in calls.calls] == [
        ("PutItem", "ValidationException"),
        ("PutItem", None),
    ]


async def test_recorder_and_faults_see_sync_boto3_once(db: DynamoDB) -> None:
    client = sync_client()
    with CallRecorder() as calls, FaultInjector() as faults:
        faults.fail("GetItem", error="ThrottlingException", times=2)
        client.put_item(TableName="every_client", Item={"pk": {"S": "a"}})
        answer = client.get_item(TableName="every_client", Key={"pk": {"S": "a"}})
    assert answer["Item"] == {"pk": {"S": "a"}}
    # Two throttled attempts retried by boto3 (without its back-off), then the read.
    assert answer["ResponseMetadata"]["RetryAttempts"] == 2
    assert [(c.operation, c.error) for c in calls.calls] == [
        ("PutItem", None),
        ("GetItem", "ThrottlingException"),
        ("GetItem", "ThrottlingException"),
        ("GetItem", None),
    ]


async def test_recorder_sees_aiobotocore_once(db: DynamoDB) -> None:
    client = await db.low_level_client()
    with CallRecorder() as calls:
        await client.put_item(TableName="every_client", Item={"pk": {"S": "a"}})
    assert [c.operation for c in calls.calls] == ["PutItem"]


async def test_malformed_bodies_are_serialization_errors_not_crashes(db: DynamoDB) -> None:
    # botocore's own validation would refuse these; a client without it (or another
    # language's) sends them, and DynamoDB answers SerializationException.
    client = sync_client(parameter_validation=False)
    for item in (
        {"pk": {"S": 5}},
        {"pk": {"S": "a"}, "n": {"N": 5}},
        {"pk": {"S": "a"}, "b": {"BOOL": "yes"}},
    ):
        error = refused(lambda item=item: client.put_item(TableName="every_client", Item=item))
        assert error.response["Error"]["Code"] == "SerializationException", item
    assert CRASHES.entries == []


async def test_sync_and_async_interceptors_share_the_chain(db: DynamoDB) -> None:
    seen: list[str] = []

    def sync_member(call: DynamoCall, proceed: SyncProceed) -> DynamoResponse:
        seen.append(f"sync:{call.source}")
        return proceed()

    async def async_member(call: DynamoCall, proceed: Proceed) -> DynamoResponse:
        seen.append(f"async:{call.source}")
        return await proceed()

    with add_interceptor(sync_member, priority=1), add_interceptor(async_member, priority=2):
        sync_client().list_tables()
        await (await db.low_level_client()).list_tables()
    assert seen == ["sync:boto3", "async:boto3", "sync:aiobotocore", "async:aiobotocore"]


async def test_an_async_interceptor_that_suspends_is_refused_by_name(db: DynamoDB) -> None:
    async def sleepy(call: DynamoCall, proceed: Proceed) -> DynamoResponse:
        await asyncio.sleep(0)
        return await proceed()

    with add_interceptor(sleepy), pytest.raises(InterceptorSuspendedError) as caught:
        sync_client().list_tables()
    assert "sleepy" in str(caught.value)
    assert "Write the interceptor as a plain function" in str(caught.value)
