"""``return_consumed_capacity=...`` on every operation keeps each overload's return type;
``db.last_consumed_capacity`` is a ``CallCapacity``."""

from __future__ import annotations

from typing import Any, assert_type

from boto3.dynamodb.conditions import Key

from aiodynamodb import (
    CallCapacity,
    CapacityMode,
    ConsumedCapacity,
    DynamoDB,
    DynamoModel,
    ItemKey,
    Page,
    Put,
    UpdateAttr,
    table,
)


@table("notes", hash_key="owner")
class Note(DynamoModel):
    owner: str
    text: str = ""


@table("tags", hash_key="tag")
class Tag(DynamoModel):
    tag: str


async def keyword(db: DynamoDB, mode: CapacityMode) -> None:
    note = Note(owner="o")
    assert_type(await db.put(note, return_consumed_capacity="TOTAL"), None)
    assert_type(
        await db.put(note, return_values="ALL_OLD", return_consumed_capacity=mode), Note | None
    )
    assert_type(await db.get(Note, hash_key="o", return_consumed_capacity="INDEXES"), Note | None)
    assert_type(
        await db.get(Note, hash_key="o", projection=["text"], return_consumed_capacity=mode),
        dict[str, Any] | None,
    )
    assert_type(
        await db.get((Note, Tag), hash_key="o", return_consumed_capacity=mode), Note | Tag | None
    )
    assert_type(
        await db.update(
            Note,
            hash_key="o",
            update_expression=[UpdateAttr("text").set("t")],
            return_values="ALL_NEW",
            return_consumed_capacity=mode,
        ),
        Note,
    )
    assert_type(
        await db.delete(Note, hash_key="o", return_values="ALL_OLD", return_consumed_capacity=None),
        Note | None,
    )
    pages = db.query(
        Note, key_condition_expression=Key("owner").eq("o"), return_consumed_capacity=mode
    )
    async for page in pages:
        assert_type(page, Page[Note])
        assert_type(page.consumed_capacity, ConsumedCapacity | None)
    assert_type(
        db.scan(Note, return_consumed_capacity="TOTAL").consumed_capacity, ConsumedCapacity | None
    )
    assert_type(await db.count(Note, return_consumed_capacity=mode), int)
    assert_type(await db.batch_get([ItemKey(Note, "o")], return_consumed_capacity=mode), list[Note])
    assert_type(await db.batch_write(puts=[note], return_consumed_capacity=mode), None)
    assert_type(await db.transact_write(Put(note), return_consumed_capacity=mode), None)
    assert_type(
        await db.transact_get(ItemKey(Note, "o"), ItemKey(Tag, "t"), return_consumed_capacity=mode),
        tuple[Note | None, Tag | None],
    )
    report = db.last_consumed_capacity
    assert_type(report, CallCapacity | None)
    if report is not None:
        assert_type(report.total, float)
        assert_type(report.mode, CapacityMode)
        assert_type(report.reports, tuple[ConsumedCapacity, ...])
        assert_type(report.by_table(), dict[str, ConsumedCapacity])
        assert_type(report.table("notes"), ConsumedCapacity)
    await db.put(note, return_consumed_capacity="ALL")  # type: ignore[call-overload]
    await db.batch_write(puts=[note], return_consumed_capacity="NONE")  # type: ignore[arg-type]
