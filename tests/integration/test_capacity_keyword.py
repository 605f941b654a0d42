"""``return_consumed_capacity=...`` on every operation, through the public API.

Expected units are derived from the stored items' sizes (DynamoDB's count, ``item_size``)
with the Developer Guide's rules ("Read/write capacity unit consumption"): reads in 4 KB
units, eventually consistent halves, transactional doubles; writes in 1 KB units of the
larger of the item before and after, transactional doubles.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from boto3.dynamodb.conditions import Attr, Key

from aiodynamodb import (
    ArgumentError,
    CallCapacity,
    Delete,
    DynamoDB,
    DynamoModel,
    ItemKey,
    Put,
    UpdateAttr,
    table,
)
from aiodynamodb.rules import item_size
from aiodynamodb.testing.faults import FaultInjector
from aiodynamodb.testing.intercept import DynamoCall, DynamoResponse, SyncProceed, add_interceptor
from aiodynamodb.testing.recorder import CallRecorder

KB = 1024


@table("capkw_notes", hash_key="owner", range_key="n")
class Note(DynamoModel):
    owner: str
    n: int
    text: str


@table("capkw_tags", hash_key="tag")
class Tag(DynamoModel):
    tag: str
    text: str = ""


pytestmark = pytest.mark.dynamodb_tables(Note, Tag)

NO_TRANSACTIONS = "dynalite implements no TransactWriteItems/TransactGetItems"
BATCH_GET_ROUNDING = "dynalite rounds each batch round's units per table, not per item"


def size(item: DynamoModel) -> int:
    if isinstance(item, Tag):
        return item_size({"tag": {"S": item.tag}, "text": {"S": item.text}})
    assert isinstance(item, Note)
    return item_size(
        {"owner": {"S": item.owner}, "n": {"N": str(item.n)}, "text": {"S": item.text}}
    )


def reads(nbytes: int, *, consistent: bool = False, transactional: bool = False) -> float:
    units = max(1, math.ceil(nbytes / (4 * KB)))
    return 2.0 * units if transactional else float(units) if consistent else units / 2


def writes(nbytes: int, *, transactional: bool = False) -> float:
    units = max(1, math.ceil(nbytes / KB))
    return 2.0 * units if transactional else float(units)


def last(db: DynamoDB) -> CallCapacity:
    report = db.last_consumed_capacity
    assert report is not None
    return report


@pytest.fixture
def names(dynamodb: DynamoDB) -> dict[str, str]:
    return {
        "notes": dynamodb.table_prefix + "capkw_notes",
        "tags": dynamodb.table_prefix + "capkw_tags",
    }


async def test_single_item_operations_report_what_dynamodb_charges(
    dynamodb: DynamoDB, names: dict[str, str]
) -> None:
    db = dynamodb
    note = Note(owner="o", n=1, text="x" * 1500)
    await db.put(note, return_consumed_capacity="TOTAL")
    report = last(db)
    assert (report.operation, report.mode) == ("put", "TOTAL")
    assert report.total == writes(size(note)) == 2
    assert [entry.table for entry in report.reports] == [names["notes"]]
    assert report.table(names["notes"]).table_units is None

    assert await db.get(Note, hash_key="o", range_key=1, return_consumed_capacity="TOTAL") == note
    assert last(db).total == reads(size(note))
    await db.get(
        Note, hash_key="o", range_key=1, consistent_read=True, return_consumed_capacity="INDEXES"
    )
    report = last(db)
    assert report.total == reads(size(note), consistent=True)
    assert report.by_table()[names["notes"]].table_units == report.total  # INDEXES: its own part

    bigger = Note(owner="o", n=1, text="y" * 2500)
    await db.update(
        Note,
        hash_key="o",
        range_key=1,
        update_expression=[UpdateAttr("text").set(bigger.text)],
        return_consumed_capacity="TOTAL",
    )
    assert last(db).total == writes(max(size(note), size(bigger))) == 3

    await db.delete(Note, hash_key="o", range_key=1, return_consumed_capacity="TOTAL")
    assert last(db).total == writes(size(bigger))
    assert last(db).operation == "delete"


async def test_pages_carry_what_each_request_consumed(dynamodb: DynamoDB) -> None:
    db = dynamodb
    notes = [Note(owner="o", n=i, text="x" * 3000) for i in range(3)]
    await db.batch_write(puts=notes)
    pages = db.query(
        Note,
        key_condition_expression=Key("owner").eq("o"),
        limit=1,
        return_consumed_capacity="TOTAL",
    )
    seen = [page async for page in pages]
    units = [page.consumed_capacity.capacity_units for page in seen if page.consumed_capacity]
    assert units[:3] == [reads(size(note)) for note in notes]
    assert pages.consumed_capacity is not None
    assert pages.consumed_capacity.capacity_units == sum(units)

    scan = db.scan(Note, filter_expression=Attr("n").eq(99), return_consumed_capacity="INDEXES")
    page = await anext(aiter(scan))
    assert page.items == []  # filtered out, but every item read is charged
    assert page.consumed_capacity is not None
    assert page.consumed_capacity.capacity_units == reads(sum(size(note) for note in notes))
    assert page.consumed_capacity.table_units == page.consumed_capacity.capacity_units


async def test_count_sums_its_pages(dynamodb: DynamoDB, names: dict[str, str]) -> None:
    db = dynamodb
    notes = [Note(owner="o", n=i, text="x" * 5000) for i in range(3)]
    await db.batch_write(puts=notes)
    counted = await db.count(
        Note,
        key_condition_expression=Key("owner").eq("o"),
        limit=1,
        return_consumed_capacity="TOTAL",
    )
    assert counted == 3
    report = last(db)
    assert report.operation == "count"
    # One page per item (limit=1), each charged for the item it read; the last, empty page
    # (if any) is charged the minimum.
    per_item = sum(reads(size(note)) for note in notes)
    assert report.total in (per_item, per_item + reads(0))
    pages = db.query(
        Note,
        key_condition_expression=Key("owner").eq("o"),
        limit=1,
        return_consumed_capacity="TOTAL",
    )
    await pages.all()
    assert pages.consumed_capacity is not None
    assert report.total == pages.consumed_capacity.capacity_units  # the same pages, summed
    assert [entry.table for entry in report.reports] == [names["notes"]]


async def test_batch_write_rounds_add_up_per_table(
    dynamodb: DynamoDB,
    dynamodb_faults: FaultInjector,
    dynamodb_calls: CallRecorder,
    names: dict[str, str],
) -> None:
    db = dynamodb
    notes = [Note(owner="o", n=i, text="x" * (100 * i)) for i in range(30)]
    tags = [Tag(tag=f"t{i}", text="y" * 1100) for i in range(4)]
    dynamodb_faults.unprocessed("BatchWriteItem", share=0.5, times=1)
    await db.batch_write(puts=[*notes, *tags], return_consumed_capacity="TOTAL")
    assert dynamodb_calls.count("BatchWriteItem") >= 3  # two chunks and at least one retry
    report = last(db)
    assert report.operation == "batch_write"
    assert report.by_table()[names["notes"]].capacity_units == sum(writes(size(n)) for n in notes)
    assert report.by_table()[names["tags"]].capacity_units == sum(writes(size(t)) for t in tags)
    assert report.total == sum(writes(size(item)) for item in [*notes, *tags])
    assert len(report.reports) == 2  # one per table, summed over the rounds

    await db.batch_write(
        deletes=[ItemKey(Tag, t.tag) for t in tags], return_consumed_capacity="TOTAL"
    )
    assert last(db).total == sum(writes(size(t)) for t in tags)


@pytest.mark.not_on_dynalite(BATCH_GET_ROUNDING)
async def test_batch_get_rounds_add_up_per_table(
    dynamodb: DynamoDB,
    dynamodb_faults: FaultInjector,
    dynamodb_calls: CallRecorder,
    names: dict[str, str],
) -> None:
    db = dynamodb
    notes = [Note(owner="o", n=i, text="x" * (300 * i)) for i in range(110)]
    tags = [Tag(tag=f"t{i}", text="y" * 5000) for i in range(3)]
    await db.batch_write(puts=[*notes, *tags])
    dynamodb_faults.unprocessed("BatchGetItem", share=0.5, times=1)
    keys: list[ItemKey[Any]] = [ItemKey(Note, "o", n.n) for n in notes]
    keys += [ItemKey(Tag, t.tag) for t in tags]
    got = await db.batch_get(keys, consistent_read=True, return_consumed_capacity="TOTAL")
    assert len(got) == len(keys)
    assert dynamodb_calls.count("BatchGetItem") >= 3
    report = last(db)
    assert report.operation == "batch_get"
    assert report.by_table()[names["notes"]].capacity_units == sum(
        reads(size(n), consistent=True) for n in notes
    )
    assert report.by_table()[names["tags"]].capacity_units == sum(
        reads(size(t), consistent=True) for t in tags
    )


@pytest.mark.not_on_dynalite(NO_TRANSACTIONS)
async def test_transactions_report_per_table(dynamodb: DynamoDB, names: dict[str, str]) -> None:
    db = dynamodb
    note = Note(owner="o", n=1, text="x" * 1500)
    tag = Tag(tag="t", text="y" * 500)
    await db.transact_write(Put(note), Put(tag), return_consumed_capacity="INDEXES")
    report = last(db)
    assert report.operation == "transact_write"
    assert report.table(names["notes"]).capacity_units == writes(size(note), transactional=True)
    assert report.table(names["tags"]).capacity_units == writes(size(tag), transactional=True)
    assert report.table(names["tags"]).table_units == writes(size(tag), transactional=True)

    got = await db.transact_get(
        ItemKey(Note, "o", 1), ItemKey(Tag, "t"), return_consumed_capacity="TOTAL"
    )
    assert got == (note, tag)
    report = last(db)
    assert report.total == reads(size(note), transactional=True) + reads(
        size(tag), transactional=True
    )
    assert {entry.table for entry in report.reports} == set(names.values())

    await db.transact_write(Delete(Tag, hash_key="t"), return_consumed_capacity="TOTAL")
    assert last(db).total == writes(size(tag), transactional=True)


async def test_concurrent_tasks_keep_their_own_last_report(dynamodb: DynamoDB) -> None:
    db = dynamodb
    small = Note(owner="a", n=1, text="x")
    big = Note(owner="b", n=1, text="x" * 3000)
    gate = asyncio.Event()

    async def writer(note: Note, wait: bool) -> float:
        await db.put(note, return_consumed_capacity="TOTAL")
        if wait:
            await gate.wait()  # the other task's call lands in between
        else:
            gate.set()
        return last(db).total

    totals = await asyncio.gather(writer(big, True), writer(small, False))
    assert list(totals) == [writes(size(big)), writes(size(small))]
    assert list(totals) == [3, 1]


@pytest.fixture
def asked() -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def interceptor(call: DynamoCall, proceed: SyncProceed) -> DynamoResponse:
        seen.append((call.operation, call.params.get("ReturnConsumedCapacity")))
        return proceed()

    with add_interceptor(interceptor):
        yield seen


async def test_without_the_keyword_nothing_is_asked(
    dynamodb: DynamoDB, asked: list[tuple[str, Any]]
) -> None:
    db = dynamodb
    await db.put(Note(owner="o", n=1, text="x"), return_consumed_capacity="TOTAL")
    before = db.last_consumed_capacity
    asked.clear()
    note = Note(owner="o", n=2, text="x")
    await db.put(note)
    await db.get(Note, hash_key="o", range_key=2)
    await db.update(
        Note, hash_key="o", range_key=2, update_expression=[UpdateAttr("text").set("y")]
    )
    pages = db.query(Note, key_condition_expression=Key("owner").eq("o"))
    assert [page.consumed_capacity async for page in pages] == [None]
    assert pages.consumed_capacity is None
    await db.scan(Note).all()
    await db.count(Note)
    await db.batch_write(puts=[Tag(tag="t")])
    await db.batch_get([ItemKey(Tag, "t")])
    await db.delete(Note, hash_key="o", range_key=2)
    operations = {operation for operation, _ in asked}
    assert {"PutItem", "GetItem", "UpdateItem", "Query", "Scan", "BatchWriteItem"} <= operations
    assert {"BatchGetItem", "DeleteItem"} <= operations
    assert [mode for _, mode in asked] == [None] * len(asked)
    assert db.last_consumed_capacity is before  # calls that did not ask leave it


@pytest.mark.not_on_dynalite(NO_TRANSACTIONS)
async def test_transactions_without_the_keyword_ask_nothing(
    dynamodb: DynamoDB, asked: list[tuple[str, Any]]
) -> None:
    await dynamodb.transact_write(Put(Tag(tag="t")))
    await dynamodb.transact_get(ItemKey(Tag, "t"))
    assert asked == [("TransactWriteItems", None), ("TransactGetItems", None)]


async def test_a_block_and_the_keyword_each_get_their_shape(
    dynamodb: DynamoDB, names: dict[str, str]
) -> None:
    db = dynamodb
    note = Note(owner="o", n=1, text="x" * 1500)
    with db.capacity("INDEXES") as used:
        await db.put(note, return_consumed_capacity="TOTAL")
    assert last(db).reports[0].table_units is None  # TOTAL, as the call asked
    assert used.reports[0].table_units == writes(size(note))  # INDEXES, as the block asked
    assert used.total == last(db).total


BAD: Any = "ALL"  # any value but "TOTAL", "INDEXES" or None (typed Any: mypy would refuse it)

CALLS: dict[str, Callable[[DynamoDB], Awaitable[Any]]] = {
    "put": lambda db: db.put(Tag(tag="t"), return_consumed_capacity=BAD),
    "get": lambda db: db.get(Tag, hash_key="t", return_consumed_capacity=BAD),
    "update": lambda db: db.update(
        Tag, hash_key="t", update_expression=[UpdateAttr("text").set("y")],
        return_consumed_capacity=BAD,
    ),
    "delete": lambda db: db.delete(Tag, hash_key="t", return_consumed_capacity=BAD),
    "query": lambda db: db.query(
        Tag, key_condition_expression=Key("tag").eq("t"), return_consumed_capacity=BAD
    ).all(),
    "scan": lambda db: db.scan(Tag, return_consumed_capacity=BAD).all(),
    "count": lambda db: db.count(Tag, return_consumed_capacity=BAD),
    "batch_get": lambda db: db.batch_get([ItemKey(Tag, "t")], return_consumed_capacity=BAD),
    "batch_write": lambda db: db.batch_write(puts=[Tag(tag="t")], return_consumed_capacity=BAD),
    "transact_get": lambda db: db.transact_get(ItemKey(Tag, "t"), return_consumed_capacity=BAD),
    "transact_write": lambda db: db.transact_write(
        Put(Tag(tag="t")), return_consumed_capacity=BAD
    ),
}  # fmt: skip


@pytest.mark.parametrize("operation", list(CALLS))
async def test_a_wrong_value_is_refused_before_sending(
    dynamodb: DynamoDB, dynamodb_calls: CallRecorder, operation: str
) -> None:
    with pytest.raises(ArgumentError) as info:
        await CALLS[operation](dynamodb)
    message = str(info.value)
    assert f"{operation}(return_consumed_capacity=...)" in message
    assert "'TOTAL' or 'INDEXES'" in message
    assert dynamodb_calls.calls == []
