"""``hash_key`` / ``range_key`` take :data:`aiodynamodb.KeyValue`, not ``Any``."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import assert_type

from boto3.dynamodb.conditions import Attr

from aiodynamodb import (
    ConditionCheck,
    Delete,
    DynamoDB,
    DynamoModel,
    ItemKey,
    KeyValue,
    Update,
    UpdateAttr,
    table,
)


class Region(StrEnum):
    EU = "eu"


@table("readings", hash_key="device", range_key="at")
class Reading(DynamoModel):
    device: uuid.UUID
    at: datetime


@table("anything", hash_key="key")
class Anything(DynamoModel):
    key: str


async def keys(db: DynamoDB, device: uuid.UUID, value: KeyValue) -> None:
    await db.get(Reading, hash_key=device, range_key=datetime.now(UTC))
    await db.get(Anything, hash_key="s")
    await db.get(Anything, hash_key=1)
    await db.get(Anything, hash_key=Decimal("1.5"))
    await db.get(Anything, hash_key=b"raw")
    await db.get(Anything, hash_key=date(2026, 1, 1))
    await db.get(Anything, hash_key=Region.EU)
    await db.get(Anything, hash_key=value)
    await db.delete(Anything, hash_key="s")
    await db.update(Anything, hash_key="s", update_expression=[UpdateAttr("n").set(1)])
    ItemKey(Reading, device, datetime.now(UTC))
    Update(Anything, "s", [UpdateAttr("n").set(1)])
    Delete(Anything, hash_key="s")
    ConditionCheck(Anything, hash_key="s", condition_expression=Attr("key").exists())
    assert_type(ItemKey(Anything, "s").hash_key, KeyValue)
    assert_type(ItemKey(Anything, "s").range_key, KeyValue | None)


async def refused(db: DynamoDB) -> None:
    # A float is not the decimal number DynamoDB stores; other objects are no keys at all.
    await db.get(Anything, hash_key=1.5)  # type: ignore[call-overload]
    await db.get(Anything, hash_key=["a"])  # type: ignore[call-overload]
    ItemKey(Anything, {"key": "s"})  # type: ignore[call-overload]
