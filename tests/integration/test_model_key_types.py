"""Key types of issue 16: a serialized key (datetime as epoch seconds), Literal of bytes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

import pytest
from boto3.dynamodb.conditions import Key
from pydantic import PlainSerializer

from aiodynamodb import DynamoDB, DynamoModel, EncodeError, ModelDefinitionError, table

EpochSeconds = Annotated[datetime, PlainSerializer(lambda d: int(d.timestamp()), return_type=int)]


@table("it_events", hash_key="stream", range_key="at")
class Event(DynamoModel):
    stream: str
    at: EpochSeconds
    body: str = ""


@table("it_flags", hash_key="flag")
class Flag(DynamoModel):
    flag: Literal[b"on", b"off"]
    since: int = 0


pytestmark = pytest.mark.dynamodb_tables(Event, Flag)

T0 = datetime(2025, 1, 1, tzinfo=UTC)


async def test_a_serialized_sort_key_round_trips(dynamodb: DynamoDB) -> None:
    events = [Event(stream="s", at=T0 + timedelta(seconds=n * 7), body=str(n)) for n in range(6)]
    await dynamodb.batch_write(puts=events)
    assert (
        await dynamodb.get(Event, hash_key="s", range_key=T0 + timedelta(seconds=14)) == events[2]
    )
    # Stored as the serializer's int: a number, so it sorts numerically.
    client = await dynamodb.low_level_client()
    raw = await client.get_item(
        TableName=dynamodb.table_name(Event),
        Key={"stream": {"S": "s"}, "at": {"N": str(int(T0.timestamp()) + 7)}},
    )
    assert raw["Item"]["at"] == {"N": str(int(T0.timestamp()) + 7)}
    window = Key("stream").eq("s") & Key("at").between(
        T0 + timedelta(seconds=7), T0 + timedelta(seconds=21)
    )
    got = await dynamodb.query(Event, key_condition_expression=window, limit=2).all()
    assert got == events[1:4]
    await dynamodb.delete(Event, hash_key="s", range_key=events[0].at)
    assert await dynamodb.count(Event, key_condition_expression=Key("stream").eq("s")) == 5


async def test_a_serialized_key_value_of_the_wrong_type_is_refused(dynamodb: DynamoDB) -> None:
    with pytest.raises(EncodeError, match="'at'"):
        await dynamodb.get(Event, hash_key="s", range_key="not a time")


def test_a_serializer_without_a_key_return_type_is_refused() -> None:
    untyped = Annotated[datetime, PlainSerializer(lambda d: int(d.timestamp()))]
    with pytest.raises(ModelDefinitionError, match="custom serializer"):

        @table("bad_events", hash_key="at")
        class Bad(DynamoModel):
            at: untyped  # type: ignore[valid-type]


async def test_a_literal_of_bytes_is_a_key(dynamodb: DynamoDB) -> None:
    await dynamodb.put(Flag(flag=b"on", since=3))
    assert await dynamodb.get(Flag, hash_key=b"on") == Flag(flag=b"on", since=3)
    assert await dynamodb.get(Flag, hash_key=b"off") is None
    assert await dynamodb.scan(Flag).all() == [Flag(flag=b"on", since=3)]
