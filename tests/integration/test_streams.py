"""Stream records: a Lambda-style handler fed from ``dynamodb_stream`` sees exactly the records
DynamoDB Streams would send, in order, for writes by any client. Memory and server backends
(the endpoint servers have no Streams API: the fixture says so, see tests/plugin)."""

from __future__ import annotations

import os
from typing import Any

import pytest
from boto3.dynamodb.conditions import Attr

from aiodynamodb import (
    ConditionCheck,
    Delete,
    DynamoDB,
    DynamoModel,
    ItemKey,
    Put,
    UpdateAttr,
    table,
)
from aiodynamodb.testing.streams import StreamRecorder
from aiodynamodb.testing.ttl import TTLClock


@table("it_stream_accounts", hash_key="account_id", stream="NEW_AND_OLD_IMAGES")
class Account(DynamoModel):
    account_id: str
    owner: str
    balance: int = 0
    avatar: bytes = b""


@table("it_stream_sessions", hash_key="sid", ttl_attribute="expires_at", stream="KEYS_ONLY")
class Session(DynamoModel):
    sid: str
    expires_at: int


@table("it_stream_plain", hash_key="pid")
class Plain(DynamoModel):
    pid: str


def _on_endpoint(config: pytest.Config) -> bool:
    backend = config.getoption("dynamodb_backend", None) or os.environ.get("AIODYNAMODB_BACKEND")
    return backend == "endpoint"


@pytest.fixture(autouse=True)
def _memory_or_server(request: pytest.FixtureRequest) -> None:
    if _on_endpoint(request.config):
        pytest.skip("stream records need the in-memory DynamoDB (memory or server backend)")


pytestmark = pytest.mark.dynamodb_tables(Account, Session, Plain)


def handler(event: dict[str, Any], seen: list[tuple[Any, ...]]) -> None:
    """What a user's Lambda handler does: read the wire records."""
    for record in event["Records"]:
        change = record["dynamodb"]
        seen.append(
            (
                record["eventName"],
                change["Keys"],
                change.get("OldImage", {}).get("balance"),
                change.get("NewImage", {}).get("balance"),
            )
        )


async def test_handler_sees_exactly_what_dynamodb_sends(
    dynamodb: DynamoDB, dynamodb_stream: StreamRecorder, dynamodb_ttl: TTLClock
) -> None:
    db = dynamodb
    ex = await db.exceptions()
    await db.put(Account(account_id="a1", owner="Ann", balance=10, avatar=b"\x00\x01"))
    await db.put(Account(account_id="a2", owner="Bob"))
    await db.update(Account, hash_key="a1", update_expression=[UpdateAttr("balance").add(5)])
    await db.put(Account(account_id="a2", owner="Bob"))  # unchanged: no record
    with pytest.raises(ex.ConditionalCheckFailedException):  # failed: no record
        await db.put(
            Account(account_id="a1", owner="Eve"),
            condition_expression=Attr("account_id").not_exists(),
        )
    await db.delete(Account, hash_key="nobody")  # nothing to delete: no record
    await db.delete(Account, hash_key="a2")
    await db.put(Plain(pid="p1"))  # a table without a stream: no record
    await db.transact_write(
        Put(Account(account_id="a3", owner="Cy", balance=1)),
        ConditionCheck(Plain, hash_key="p1", condition_expression=Attr("pid").exists()),
        Delete(Account, hash_key="a1"),
    )
    await db.put(Session(sid="s1", expires_at=int(dynamodb_ttl.now) + 60))
    dynamodb_ttl.advance(minutes=5)
    assert await dynamodb_ttl.sweep(Session) == 1

    seen: list[tuple[Any, ...]] = []
    handler(dynamodb_stream.lambda_event(Account), seen)
    assert seen == [
        ("INSERT", {"account_id": {"S": "a1"}}, None, {"N": "10"}),
        ("INSERT", {"account_id": {"S": "a2"}}, None, {"N": "0"}),
        ("MODIFY", {"account_id": {"S": "a1"}}, {"N": "10"}, {"N": "15"}),
        ("REMOVE", {"account_id": {"S": "a2"}}, {"N": "0"}, None),
        ("INSERT", {"account_id": {"S": "a3"}}, None, {"N": "1"}),
        ("REMOVE", {"account_id": {"S": "a1"}}, {"N": "15"}, None),
    ]
    dynamodb_stream.assert_records(
        ("INSERT", {"account_id": "a1"}),
        ("INSERT", {"account_id": "a2"}),
        ("MODIFY", {"account_id": "a1"}),
        ("REMOVE", {"account_id": "a2"}),
        ("INSERT", {"account_id": "a3"}),
        ("REMOVE", {"account_id": "a1"}),
        "INSERT",
        ("REMOVE", {"sid": "s1"}),
    )

    first = dynamodb_stream.lambda_event()["Records"][0]
    region = first["awsRegion"]
    assert first["eventSource"] == "aws:dynamodb"
    assert first["eventVersion"] == "1.1"
    assert first["eventSourceARN"].startswith(f"arn:aws:dynamodb:{region}:")
    assert f":table/{db.table_name(Account)}/stream/" in first["eventSourceARN"]
    change = first["dynamodb"]
    assert change["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert change["NewImage"]["avatar"] == {"B": "AAE="}  # wire images: binary as base64
    assert "OldImage" not in change
    assert change["SizeBytes"] > 0
    assert isinstance(change["ApproximateCreationDateTime"], int)
    numbers = [int(r.sequence_number) for r in dynamodb_stream]
    assert numbers == sorted(numbers)
    assert len(set(numbers)) == len(numbers)

    ttl = dynamodb_stream.records(Session, event="REMOVE")[0]
    assert ttl.wire["userIdentity"] == {"type": "Service", "principalId": "dynamodb.amazonaws.com"}
    assert set(ttl.wire["dynamodb"]) == {
        "ApproximateCreationDateTime",
        "Keys",
        "SequenceNumber",
        "SizeBytes",
        "StreamViewType",
    }  # KEYS_ONLY: no images
    assert ttl.wire["dynamodb"]["ApproximateCreationDateTime"] == int(dynamodb_ttl.now)
    assert not dynamodb_stream.records(Session, event="INSERT")[0].by_service

    modify = dynamodb_stream.records(Account, event="MODIFY")[0]
    assert modify.old == Account(account_id="a1", owner="Ann", balance=10, avatar=b"\x00\x01")
    assert modify.new == Account(account_id="a1", owner="Ann", balance=15, avatar=b"\x00\x01")


async def test_batch_writes_give_one_record_per_item(
    dynamodb: DynamoDB, dynamodb_stream: StreamRecorder
) -> None:
    await dynamodb.batch_write(puts=[Account(account_id=f"b{i}", owner="o") for i in range(30)])
    await dynamodb.batch_write(deletes=[ItemKey(Account, "b0")])
    assert [r.event_name for r in dynamodb_stream] == ["INSERT"] * 30 + ["REMOVE"]
    assert {r.keys["account_id"] for r in dynamodb_stream.records(event="INSERT")} == {
        f"b{i}" for i in range(30)
    }


async def test_records_of_a_raw_aiobotocore_client_are_seen(
    dynamodb: DynamoDB, dynamodb_stream: StreamRecorder
) -> None:
    import aiobotocore.session

    name = dynamodb.table_name(Account)
    session = aiobotocore.session.get_session()
    async with session.create_client("dynamodb") as raw:
        await raw.put_item(TableName=name, Item={"account_id": {"S": "r1"}, "owner": {"S": "raw"}})
        await raw.update_item(
            TableName=name,
            Key={"account_id": {"S": "r1"}},
            UpdateExpression="SET balance = :b",
            ExpressionAttributeValues={":b": {"N": "007"}},
        )
    dynamodb_stream.assert_records(
        ("INSERT", {"account_id": "r1"}), ("MODIFY", {"account_id": "r1"})
    )
    assert dynamodb_stream[1].new_image == {
        "account_id": {"S": "r1"},
        "owner": {"S": "raw"},
        "balance": {"N": "7"},  # numbers as DynamoDB stores them
    }
    assert dynamodb_stream.records(Account)[1].new == Account(
        account_id="r1", owner="raw", balance=7
    )


async def test_records_of_a_sync_boto3_client_are_seen(
    dynamodb: DynamoDB, dynamodb_stream: StreamRecorder
) -> None:
    import boto3

    name = dynamodb.table_name(Account)
    # A fresh session: boto3's default one may hold clients of an earlier test.
    raw = boto3.session.Session().client("dynamodb")
    raw.put_item(TableName=name, Item={"account_id": {"S": "s1"}, "owner": {"S": "sync"}})
    raw.delete_item(TableName=name, Key={"account_id": {"S": "s1"}})
    dynamodb_stream.assert_records(
        ("INSERT", {"account_id": "s1"}), ("REMOVE", {"account_id": "s1"})
    )
    assert dynamodb_stream.records(Account)[1].old == Account(account_id="s1", owner="sync")


async def test_a_model_without_a_stream_is_refused_by_name(
    dynamodb: DynamoDB, dynamodb_stream: StreamRecorder
) -> None:
    with pytest.raises(ValueError, match=r"Plain: table 'it_stream_plain' has no stream"):
        dynamodb_stream.records(Plain)
