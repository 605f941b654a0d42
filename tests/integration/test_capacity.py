"""Consumed capacity through the public API: ``db.capacity()``, pages, batches over rounds.

Expected units are derived from the stored items' sizes (DynamoDB's count, ``item_size``)."""

from __future__ import annotations

import math

import pytest
from boto3.dynamodb.conditions import Key

from aiodynamodb import ArgumentError, DynamoModel, ItemKey, table
from aiodynamodb.rules import item_size
from aiodynamodb.testing import mock_dynamodb


@table("cap_notes", hash_key="owner", range_key="n")
class Note(DynamoModel):
    owner: str
    n: int
    text: str


def size(note: Note) -> int:
    return item_size(
        {"owner": {"S": note.owner}, "n": {"N": str(note.n)}, "text": {"S": note.text}}
    )


async def test_single_items_batches_and_pages_report_capacity() -> None:
    notes = [Note(owner="o", n=i, text="x" * 1500 * (i + 1)) for i in range(3)]
    async with mock_dynamodb(Note) as db:
        with db.capacity() as used:
            for note in notes:
                await db.put(note)
            assert await db.get(Note, hash_key="o", range_key=0) == notes[0]
        puts = sum(math.ceil(size(note) / 1024) for note in notes)
        assert used.total == puts + 0.5
        assert set(used.by_table()) == {"cap_notes"}

        with db.capacity("INDEXES") as used:
            pages = db.query(Note, key_condition_expression=Key("owner").eq("o"), limit=2)
            seen = [page async for page in pages]
        first = math.ceil((size(notes[0]) + size(notes[1])) / 4096) / 2
        last = math.ceil(size(notes[2]) / 4096) / 2
        assert [p.consumed_capacity.capacity_units for p in seen if p.consumed_capacity] == [
            first,
            last,
        ]
        assert pages.consumed_capacity is not None
        assert pages.consumed_capacity.capacity_units == first + last == used.total
        assert pages.consumed_capacity.table_units == first + last

        with db.capacity() as used:
            assert len(await db.batch_get([ItemKey(Note, "o", n) for n in range(3)])) == 3
        assert used.total == sum(math.ceil(size(note) / 4096) / 2 for note in notes)


async def test_outside_a_block_nothing_is_asked() -> None:
    async with mock_dynamodb(Note) as db:
        await db.put(Note(owner="o", n=1, text="t"))
        page = await anext(aiter(db.query(Note, key_condition_expression=Key("owner").eq("o"))))
        assert page.consumed_capacity is None


async def test_a_wrong_mode_is_refused() -> None:
    async with mock_dynamodb(Note) as db:
        with pytest.raises(ArgumentError, match="'TOTAL' or 'INDEXES'"), db.capacity("ALL"):  # type: ignore[arg-type]
            pass
