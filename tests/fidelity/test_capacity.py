"""ConsumedCapacity: only when asked for, in DynamoDB's shapes, with DynamoDB's units.

Expected units are derived from the items' sizes (DynamoDB's count, ``item_size``) with the
Developer Guide's rules ("Read/write capacity unit consumption"): reads in 4 KB units,
eventually consistent halves, transactional doubles; writes in 1 KB units of the larger of
the item before and after, transactional doubles; each index entry written costs its own
units. Shapes from the API reference ("ConsumedCapacity") and dynalite's tests.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from aiodynamodb.rules import item_size

KB = 1024


def reads(size: int, *, consistent: bool = False, transactional: bool = False) -> float:
    units = max(1, math.ceil(size / (4 * KB)))
    return 2.0 * units if transactional else float(units) if consistent else units / 2


def writes(size: int, *, transactional: bool = False) -> float:
    units = max(1, math.ceil(size / KB))
    return 2.0 * units if transactional else float(units)


def item(key: str, note_bytes: int) -> dict[str, Any]:
    return {"pk": {"S": key}, "note": {"S": "x" * note_bytes}}


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        ("put_item", {"Item": item("a", 10)}),
        ("get_item", {"Key": {"pk": {"S": "a"}}}),
        ("update_item", {"Key": {"pk": {"S": "a"}}, "UpdateExpression": "SET n = :v",
                         "ExpressionAttributeValues": {":v": {"N": "1"}}}),
        ("delete_item", {"Key": {"pk": {"S": "a"}}}),
        ("scan", {}),
        ("query", {"KeyConditionExpression": "pk = :p",
                   "ExpressionAttributeValues": {":p": {"S": "a"}}}),
    ],
    ids=["put", "get", "update", "delete", "scan", "query"],
)  # fmt: skip
async def test_absent_unless_asked(ddb: Any, hash_table: str, operation: str, params: Any) -> None:
    await ddb.put_item(TableName=hash_table, Item=item("a", 10))
    response = await getattr(ddb, operation)(TableName=hash_table, **params)
    assert "ConsumedCapacity" not in response
    asked = await getattr(ddb, operation)(
        TableName=hash_table, ReturnConsumedCapacity="NONE", **params
    )
    assert "ConsumedCapacity" not in asked


async def test_batches_absent_unless_asked(ddb: Any, hash_table: str) -> None:
    key = {"pk": {"S": "a"}}
    written = await ddb.batch_write_item(
        RequestItems={hash_table: [{"PutRequest": {"Item": item("a", 10)}}]}
    )
    got = await ddb.batch_get_item(RequestItems={hash_table: {"Keys": [key]}})
    for response in (written, got):
        assert "ConsumedCapacity" not in response


@pytest.mark.not_on_dynalite("dynalite has no transactions")
async def test_transactions_absent_unless_asked(ddb: Any, hash_table: str) -> None:
    key = {"pk": {"S": "a"}}
    transacted = await ddb.transact_write_items(
        TransactItems=[{"Put": {"TableName": hash_table, "Item": item("b", 10)}}]
    )
    read = await ddb.transact_get_items(
        TransactItems=[{"Get": {"TableName": hash_table, "Key": key}}]
    )
    for response in (transacted, read):
        assert "ConsumedCapacity" not in response
    assert "ItemCollectionMetrics" not in transacted


@pytest.mark.parametrize("size", [10, 1500, 5000], ids=["small", "1.5KB", "5KB"])
async def test_put_total_and_indexes(ddb: Any, hash_table: str, size: int) -> None:
    new = item("a", size)
    total = await ddb.put_item(TableName=hash_table, Item=new, ReturnConsumedCapacity="TOTAL")
    assert total["ConsumedCapacity"] == {
        "TableName": hash_table,
        "CapacityUnits": writes(item_size(new)),
    }
    indexes = await ddb.put_item(TableName=hash_table, Item=new, ReturnConsumedCapacity="INDEXES")
    units = writes(item_size(new))
    assert indexes["ConsumedCapacity"] == {
        "TableName": hash_table,
        "CapacityUnits": units,
        "Table": {"CapacityUnits": units},
    }


async def test_write_counts_the_larger_of_old_and_new(ddb: Any, hash_table: str) -> None:
    big, small = item("a", 3000), item("a", 10)
    await ddb.put_item(TableName=hash_table, Item=big)
    replaced = await ddb.put_item(TableName=hash_table, Item=small, ReturnConsumedCapacity="TOTAL")
    assert replaced["ConsumedCapacity"]["CapacityUnits"] == writes(item_size(big)) == 3
    deleted = await ddb.delete_item(
        TableName=hash_table, Key={"pk": {"S": "a"}}, ReturnConsumedCapacity="TOTAL"
    )
    assert deleted["ConsumedCapacity"]["CapacityUnits"] == writes(item_size(small))
    missing = await ddb.delete_item(
        TableName=hash_table, Key={"pk": {"S": "a"}}, ReturnConsumedCapacity="TOTAL"
    )
    assert missing["ConsumedCapacity"]["CapacityUnits"] == 1


async def test_update_counts_the_item_after(ddb: Any, hash_table: str) -> None:
    await ddb.put_item(TableName=hash_table, Item=item("a", 10))
    response = await ddb.update_item(
        TableName=hash_table,
        Key={"pk": {"S": "a"}},
        UpdateExpression="SET note = :v",
        ExpressionAttributeValues={":v": {"S": "y" * 2500}},
        ReturnConsumedCapacity="TOTAL",
    )
    after = item("a", 2500)
    assert response["ConsumedCapacity"] == {
        "TableName": hash_table,
        "CapacityUnits": writes(item_size(after)),
    }


@pytest.mark.parametrize("consistent", [False, True], ids=["eventual", "strong"])
async def test_get_units(ddb: Any, hash_table: str, consistent: bool) -> None:
    stored = item("a", 9000)
    await ddb.put_item(TableName=hash_table, Item=stored)
    response = await ddb.get_item(
        TableName=hash_table,
        Key={"pk": {"S": "a"}},
        ConsistentRead=consistent,
        ProjectionExpression="pk",  # a projection does not lower the cost
        ReturnConsumedCapacity="TOTAL",
    )
    assert response["ConsumedCapacity"] == {
        "TableName": hash_table,
        "CapacityUnits": reads(item_size(stored), consistent=consistent),
    }
    missing = await ddb.get_item(
        TableName=hash_table,
        Key={"pk": {"S": "none"}},
        ConsistentRead=consistent,
        ReturnConsumedCapacity="TOTAL",
    )
    assert missing["ConsumedCapacity"]["CapacityUnits"] == reads(0, consistent=consistent)


async def test_scan_counts_every_item_evaluated(ddb: Any, hash_table: str) -> None:
    items = [item(f"k{n}", 3000) for n in range(3)]
    for one in items:
        await ddb.put_item(TableName=hash_table, Item=one)
    response = await ddb.scan(
        TableName=hash_table,
        FilterExpression="pk = :none",  # filters everything out; the reads still count
        ExpressionAttributeValues={":none": {"S": "none"}},
        ReturnConsumedCapacity="TOTAL",
    )
    assert response["Count"] == 0
    assert response["ConsumedCapacity"] == {
        "TableName": hash_table,
        "CapacityUnits": reads(sum(item_size(one) for one in items)),
    }


@pytest.mark.not_on_dynalite("dynalite rounds each batch round's units per table, not per item")
async def test_batch_get_rounds_each_item(ddb: Any, hash_table: str) -> None:
    items = [item("a", 1500), item("b", 6500)]
    for one in items:
        await ddb.put_item(TableName=hash_table, Item=one)
    response = await ddb.batch_get_item(
        RequestItems={hash_table: {"Keys": [{"pk": {"S": "a"}}, {"pk": {"S": "b"}}]}},
        ReturnConsumedCapacity="TOTAL",
    )
    # The Developer Guide's example: 1.5 KB and 6.5 KB count as 4 KB + 8 KB.
    expected = sum(reads(item_size(one)) for one in items)
    assert expected == 1.5
    assert response["ConsumedCapacity"] == [{"TableName": hash_table, "CapacityUnits": expected}]


async def test_batch_write_is_a_list(ddb: Any, hash_table: str) -> None:
    items = [item("a", 1500), item("b", 10)]
    response = await ddb.batch_write_item(
        RequestItems={hash_table: [{"PutRequest": {"Item": one}} for one in items]},
        ReturnConsumedCapacity="TOTAL",
    )
    assert response["ConsumedCapacity"] == [
        {"TableName": hash_table, "CapacityUnits": sum(writes(item_size(one)) for one in items)}
    ]


@pytest.mark.not_on_dynalite("dynalite has no transactions")
async def test_transactions_double(ddb: Any, hash_table: str) -> None:
    new = item("a", 1500)
    written = await ddb.transact_write_items(
        TransactItems=[{"Put": {"TableName": hash_table, "Item": new}}],
        ReturnConsumedCapacity="TOTAL",
    )
    assert written["ConsumedCapacity"] == [
        {"TableName": hash_table, "CapacityUnits": writes(item_size(new), transactional=True)}
    ]
    read = await ddb.transact_get_items(
        TransactItems=[{"Get": {"TableName": hash_table, "Key": {"pk": {"S": "a"}}}}],
        ReturnConsumedCapacity="TOTAL",
    )
    assert read["ConsumedCapacity"] == [
        {"TableName": hash_table, "CapacityUnits": reads(item_size(new), transactional=True)}
    ]


@pytest.mark.not_on_dynalite("dynalite does not count index writes")
async def test_index_writes_per_index(ddb: Any, composite_table: str) -> None:
    # by_email projects ALL, by_kind KEYS_ONLY; the LSI by_rank is not touched (no rank).
    new = {"pk": {"S": "p"}, "sk": {"N": "1"}, "email": {"S": "e"}, "kind": {"S": "k"},
           "note": {"S": "x" * 1500}}  # fmt: skip
    keys_only = {name: new[name] for name in ("pk", "sk", "kind")}
    response = await ddb.put_item(
        TableName=composite_table, Item=new, ReturnConsumedCapacity="INDEXES"
    )
    table_units = writes(item_size(new))
    by_email, by_kind = writes(item_size(new)), writes(item_size(keys_only))
    assert response["ConsumedCapacity"] == {
        "TableName": composite_table,
        "CapacityUnits": table_units + by_email + by_kind,
        "Table": {"CapacityUnits": table_units},
        "GlobalSecondaryIndexes": {
            "by_email": {"CapacityUnits": by_email},
            "by_kind": {"CapacityUnits": by_kind},
        },
    }
    # Changing an index key: a delete and a put in that index; KEYS_ONLY by_kind unchanged.
    moved = await ddb.update_item(
        TableName=composite_table,
        Key={"pk": {"S": "p"}, "sk": {"N": "1"}},
        UpdateExpression="SET email = :e",
        ExpressionAttributeValues={":e": {"S": "f"}},
        ReturnConsumedCapacity="INDEXES",
    )
    assert moved["ConsumedCapacity"]["GlobalSecondaryIndexes"] == {
        "by_email": {"CapacityUnits": 2 * by_email}
    }
    assert "LocalSecondaryIndexes" not in moved["ConsumedCapacity"]


@pytest.mark.not_on_dynalite("dynalite counts a KEYS_ONLY index query at the table item's size")
async def test_index_query_counts_the_index(ddb: Any, composite_table: str) -> None:
    new = {"pk": {"S": "p"}, "sk": {"N": "1"}, "kind": {"S": "k"}, "note": {"S": "x" * 5000}}
    await ddb.put_item(TableName=composite_table, Item=new)
    response = await ddb.query(
        TableName=composite_table,
        IndexName="by_kind",
        KeyConditionExpression="kind = :k",
        ExpressionAttributeValues={":k": {"S": "k"}},
        ReturnConsumedCapacity="INDEXES",
    )
    units = reads(item_size({name: new[name] for name in ("pk", "sk", "kind")}))
    assert response["ConsumedCapacity"] == {
        "TableName": composite_table,
        "CapacityUnits": units,
        "Table": {"CapacityUnits": 0.0},
        "GlobalSecondaryIndexes": {"by_kind": {"CapacityUnits": units}},
    }
