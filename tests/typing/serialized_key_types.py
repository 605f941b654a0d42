"""A serialized key field and a Literal-of-bytes key type-check as their declared types."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, assert_type

from pydantic import PlainSerializer

from aiodynamodb import DynamoDB, DynamoModel, table

EpochSeconds = Annotated[datetime, PlainSerializer(lambda d: int(d.timestamp()), return_type=int)]


@table("readings", hash_key="device_id", range_key="at")
class Reading(DynamoModel):
    device_id: str
    at: EpochSeconds


@table("flags", hash_key="flag")
class Flag(DynamoModel):
    flag: Literal[b"on", b"off"]


async def keys(db: DynamoDB, when: datetime) -> None:
    reading = await db.get(Reading, hash_key="d1", range_key=when)
    assert_type(reading, Reading | None)
    if reading is not None:
        assert_type(reading.at, datetime)
    flag = await db.get(Flag, hash_key=b"on")
    assert_type(flag, Flag | None)
    if flag is not None:
        assert_type(flag.flag, Literal[b"on", b"off"])
