"""BatchWriteItem, BatchGetItem, TransactGetItems and TransactWriteItems."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fidelity.helpers import Backend, refused

V = "ValidationException"


def put(key: str, **extra: Any) -> dict[str, Any]:
    return {"PutRequest": {"Item": {"pk": {"S": key}, **extra}}}


def delete(key: str) -> dict[str, Any]:
    return {"DeleteRequest": {"Key": {"pk": {"S": key}}}}


async def count(ddb: Any, table: str) -> int:
    return int((await ddb.scan(TableName=table, Select="COUNT"))["Count"])


async def test_at_most_25_requests(ddb: Any, backend: Backend, hash_table: str) -> None:
    requests = [put(f"k{n}") for n in range(26)]
    await refused(
        backend,
        ddb.batch_write_item(RequestItems={hash_table: requests}),
        V,
        f"1 validation error detected: Value at 'RequestItems.{hash_table}.member' failed to "
        "satisfy constraint: Member must have length less than or equal to 25",
    )
    assert await count(ddb, hash_table) == 0


async def test_25_requests_are_fine(ddb: Any, hash_table: str) -> None:
    await ddb.batch_write_item(RequestItems={hash_table: [put(f"k{n}") for n in range(25)]})
    assert await count(ddb, hash_table) == 25


@pytest.mark.parametrize(
    "requests",
    [
        pytest.param([put("same"), put("same")], id="two-puts"),
        pytest.param([put("same"), delete("same")], id="put-and-delete"),
        pytest.param([delete("same"), delete("same")], id="two-deletes"),
    ],
)
async def test_no_two_requests_for_one_key(
    ddb: Any, backend: Backend, hash_table: str, requests: list[Any]
) -> None:
    await refused(
        backend,
        ddb.batch_write_item(RequestItems={hash_table: requests}),
        V,
        "Provided list of item keys contains duplicates",
        exact_on_server=True,
    )


async def test_numerically_equal_keys_are_duplicates(
    ddb: Any, backend: Backend, composite_table: str
) -> None:
    requests = [
        {"PutRequest": {"Item": {"pk": {"S": "a"}, "sk": {"N": "1"}}}},
        {"PutRequest": {"Item": {"pk": {"S": "a"}, "sk": {"N": "1.0"}}}},
    ]
    await refused(
        backend,
        ddb.batch_write_item(RequestItems={composite_table: requests}),
        V,
        "Provided list of item keys contains duplicates",
    )


async def test_all_or_nothing(ddb: Any, backend: Backend, hash_table: str) -> None:
    requests = [put("good-1"), put("good-2"), {"PutRequest": {"Item": {"pk": {"N": "3"}}}}]
    await refused(
        backend,
        ddb.batch_write_item(RequestItems={hash_table: requests}),
        V,
        "The provided key element does not match the schema",
    )
    assert await count(ddb, hash_table) == 0


@pytest.mark.not_on_dynalite("dynalite writes the valid requests before answering")
async def test_all_or_nothing_across_tables(ddb: Any, backend: Backend, hash_table: str) -> None:
    await refused(
        backend,
        ddb.batch_write_item(
            RequestItems={hash_table: [put("good")], "fid_missing_table": [put("x")]}
        ),
        "ResourceNotFoundException",
        "Requested resource not found",
    )
    assert await count(ddb, hash_table) == 0


async def test_batch_get_duplicates(ddb: Any, backend: Backend, hash_table: str) -> None:
    keys = [{"pk": {"S": "a"}}, {"pk": {"S": "a"}}]
    await refused(
        backend,
        ddb.batch_get_item(RequestItems={hash_table: {"Keys": keys}}),
        V,
        "Provided list of item keys contains duplicates",
        exact_on_server=True,
    )


async def test_batch_get_at_most_100_keys(ddb: Any, backend: Backend, hash_table: str) -> None:
    keys = [{"pk": {"S": f"k{n}"}} for n in range(101)]
    await refused(
        backend,
        ddb.batch_get_item(RequestItems={hash_table: {"Keys": keys}}),
        V,
        f"1 validation error detected: Value at 'RequestItems.{hash_table}.member.Keys' failed "
        "to satisfy constraint: Member must have length less than or equal to 100",
    )


TRANSACTIONS = "dynalite has no transactions"


@pytest.mark.not_on_dynalite(TRANSACTIONS)
async def test_transact_get_at_most_100(ddb: Any, backend: Backend, hash_table: str) -> None:
    gets = [{"Get": {"TableName": hash_table, "Key": {"pk": {"S": f"k{n}"}}}} for n in range(101)]
    await refused(
        backend,
        ddb.transact_get_items(TransactItems=gets),
        V,
        "1 validation error detected: Value at 'TransactItems' failed to satisfy constraint: "
        "Member must have length less than or equal to 100",
    )


@pytest.mark.not_on_dynalite(TRANSACTIONS)
async def test_transact_get_100_is_fine(ddb: Any, hash_table: str) -> None:
    gets = [{"Get": {"TableName": hash_table, "Key": {"pk": {"S": f"k{n}"}}}} for n in range(100)]
    response = await ddb.transact_get_items(TransactItems=gets)
    assert len(response["Responses"]) == 100


@pytest.mark.not_on_dynalite(TRANSACTIONS)
async def test_transact_get_honours_projection(ddb: Any, hash_table: str) -> None:
    item = {
        "pk": {"S": "p"},
        "keep": {"S": "k"},
        "drop": {"S": "d"},
        "m": {"M": {"a": {"N": "1"}, "b": {"N": "2"}}},
        "l": {"L": [{"S": "zero"}, {"S": "one"}, {"S": "two"}]},
    }
    await ddb.put_item(TableName=hash_table, Item=item)
    response = await ddb.transact_get_items(
        TransactItems=[
            {
                "Get": {
                    "TableName": hash_table,
                    "Key": {"pk": {"S": "p"}},
                    "ProjectionExpression": "#k, m.b, l[2], l[0]",
                    "ExpressionAttributeNames": {"#k": "keep"},
                }
            },
            {"Get": {"TableName": hash_table, "Key": {"pk": {"S": "p"}}}},
        ]
    )
    first, second = (entry["Item"] for entry in response["Responses"])
    assert first == {
        "keep": {"S": "k"},
        "m": {"M": {"b": {"N": "2"}}},
        "l": {"L": [{"S": "zero"}, {"S": "two"}]},
    }
    assert second == item


@pytest.mark.not_on_dynalite(TRANSACTIONS)
async def test_transact_write_one_operation_per_item(
    ddb: Any, backend: Backend, hash_table: str
) -> None:
    actions = [
        {"Put": {"TableName": hash_table, "Item": {"pk": {"S": "same"}}}},
        {"Delete": {"TableName": hash_table, "Key": {"pk": {"S": "same"}}}},
    ]
    await refused(
        backend,
        ddb.transact_write_items(TransactItems=actions),
        V,
        "Transaction request cannot include multiple operations on one item",
    )


@pytest.mark.not_on_dynalite(TRANSACTIONS)
async def test_transact_write_key_type_cancels(ddb: Any, backend: Backend, hash_table: str) -> None:
    actions = [
        {"Put": {"TableName": hash_table, "Item": {"pk": {"S": "fine"}}}},
        {"Put": {"TableName": hash_table, "Item": {"pk": {"N": "5"}}}},
    ]
    error = await refused(
        backend,
        ddb.transact_write_items(TransactItems=actions),
        "TransactionCanceledException",
        "Transaction cancelled, please refer cancellation reasons for specific reasons "
        "[None, ValidationError]",
    )
    reasons = error.response["CancellationReasons"]
    assert reasons[0] == {"Code": "None"}
    assert reasons[1]["Code"] == "ValidationError"
    assert reasons[1]["Message"] == (
        "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N"
    )
    assert await count(ddb, hash_table) == 0
