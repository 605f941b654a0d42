"""Query and Scan: the page that ends on the last item, unknown indexes, index rules."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fidelity.helpers import Backend, refused

V = "ValidationException"


async def fill(ddb: Any, table: str, count: int) -> None:
    for n in range(count):
        await ddb.put_item(
            TableName=table,
            Item={
                "pk": {"S": "p"},
                "sk": {"N": str(n)},
                "email": {"S": f"e{n}"},
                "odd": {"BOOL": n % 2 == 1},
            },
        )


async def pages(ddb: Any, operation: str, **params: Any) -> list[dict[str, Any]]:
    found = []
    start = None
    for _ in range(20):
        if start is not None:
            params["ExclusiveStartKey"] = start
        page = await getattr(ddb, operation)(**params)
        found.append(page)
        start = page.get("LastEvaluatedKey")
        if start is None:
            return found
    raise AssertionError("pagination did not end")


async def test_query_limit_ending_on_the_last_item(ddb: Any, composite_table: str) -> None:
    await fill(ddb, composite_table, 4)
    found = await pages(
        ddb,
        "query",
        TableName=composite_table,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": "p"}},
        Limit=2,
    )
    assert [page["Count"] for page in found] == [2, 2, 0]
    assert found[1]["LastEvaluatedKey"] == {"pk": {"S": "p"}, "sk": {"N": "3"}}


async def test_scan_limit_ending_on_the_last_item(ddb: Any, composite_table: str) -> None:
    await fill(ddb, composite_table, 3)
    found = await pages(ddb, "scan", TableName=composite_table, Limit=3)
    assert [page["Count"] for page in found] == [3, 0]


async def test_filtered_page_ending_on_the_last_item(ddb: Any, composite_table: str) -> None:
    # The filter drops the last evaluated item; the key still points at it.
    await fill(ddb, composite_table, 4)
    found = await pages(
        ddb,
        "query",
        TableName=composite_table,
        KeyConditionExpression="pk = :p",
        FilterExpression="odd = :f",
        ExpressionAttributeValues={":p": {"S": "p"}, ":f": {"BOOL": False}},
        Limit=4,
    )
    assert [page["Count"] for page in found] == [2, 0]
    assert [page["ScannedCount"] for page in found] == [4, 0]
    assert found[0]["LastEvaluatedKey"] == {"pk": {"S": "p"}, "sk": {"N": "3"}}


async def test_index_page_key_includes_the_index_key(ddb: Any, composite_table: str) -> None:
    await fill(ddb, composite_table, 1)
    page = await ddb.query(
        TableName=composite_table,
        IndexName="by_email",
        KeyConditionExpression="email = :e",
        ExpressionAttributeValues={":e": {"S": "e0"}},
        Limit=1,
    )
    assert page["LastEvaluatedKey"] == {
        "pk": {"S": "p"},
        "sk": {"N": "0"},
        "email": {"S": "e0"},
    }


async def test_limit_beyond_the_last_item_has_no_key(ddb: Any, composite_table: str) -> None:
    await fill(ddb, composite_table, 2)
    page = await ddb.scan(TableName=composite_table, Limit=3)
    assert "LastEvaluatedKey" not in page


@pytest.mark.parametrize("operation", ["query", "scan"])
async def test_unknown_index(
    ddb: Any, backend: Backend, composite_table: str, operation: str
) -> None:
    params: dict[str, Any] = {"TableName": composite_table, "IndexName": "no_such_index"}
    if operation == "query":
        params["KeyConditionExpression"] = "pk = :p"
        params["ExpressionAttributeValues"] = {":p": {"S": "p"}}
    await refused(
        backend,
        getattr(ddb, operation)(**params),
        V,
        "The table does not have the specified index: no_such_index",
        exact_on_server=True,
    )


async def test_consistent_read_on_a_gsi(ddb: Any, backend: Backend, composite_table: str) -> None:
    await refused(
        backend,
        ddb.query(
            TableName=composite_table,
            IndexName="by_email",
            KeyConditionExpression="email = :e",
            ExpressionAttributeValues={":e": {"S": "x"}},
            ConsistentRead=True,
        ),
        V,
        "Consistent reads are not supported on global secondary indexes",
        exact_on_server=True,
    )


async def test_select_all_attributes_on_a_keys_only_gsi(
    ddb: Any, backend: Backend, composite_table: str
) -> None:
    await refused(
        backend,
        ddb.query(
            TableName=composite_table,
            IndexName="by_kind",
            KeyConditionExpression="kind = :k",
            ExpressionAttributeValues={":k": {"S": "x"}},
            Select="ALL_ATTRIBUTES",
        ),
        V,
        "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported "
        "for global secondary index by_kind because its projection type is not ALL",
    )


async def test_query_without_the_hash_key(ddb: Any, backend: Backend, composite_table: str) -> None:
    await refused(
        backend,
        ddb.query(
            TableName=composite_table,
            KeyConditionExpression="sk = :s",
            ExpressionAttributeValues={":s": {"N": "1"}},
        ),
        V,
        "Query condition missed key schema element: pk",
        exact_on_server=True,
    )


async def test_hash_key_with_a_range_operator(
    ddb: Any, backend: Backend, composite_table: str
) -> None:
    await refused(
        backend,
        ddb.query(
            TableName=composite_table,
            KeyConditionExpression="pk > :p",
            ExpressionAttributeValues={":p": {"S": "a"}},
        ),
        V,
        "Query key condition not supported",
        exact_on_server=True,
    )


async def test_limit_zero(ddb: Any, backend: Backend, composite_table: str) -> None:
    await refused(
        backend,
        ddb.scan(TableName=composite_table, Limit=0),
        V,
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1",
        exact_on_server=True,
    )
