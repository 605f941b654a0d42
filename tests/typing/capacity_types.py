"""``db.capacity()``, ``ConsumedCapacity`` and page reports are typed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import assert_type

from boto3.dynamodb.conditions import Key

from aiodynamodb import CapacityTracker, ConsumedCapacity, DynamoDB, DynamoModel, table


@table("notes", hash_key="owner")
class Note(DynamoModel):
    owner: str


async def capacity(db: DynamoDB) -> None:
    with db.capacity("INDEXES") as used:
        assert_type(used, CapacityTracker)
        assert_type(await db.get(Note, hash_key="o"), Note | None)
        pages = db.query(Note, key_condition_expression=Key("owner").eq("o"))
        async for page in pages:
            assert_type(page.consumed_capacity, ConsumedCapacity | None)
        assert_type(pages.consumed_capacity, ConsumedCapacity | None)
    assert_type(used.total, float)
    report = used.by_table()["notes"]
    assert_type(report + report, ConsumedCapacity)
    assert_type(report.global_secondary_indexes, Mapping[str, float])
    db.capacity("ALL")  # type: ignore[arg-type]
