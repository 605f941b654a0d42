"""TransactWriteItems: ClientRequestToken idempotency and length, ConditionCheck without a
condition, the 4 MB payload."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.fidelity.helpers import Backend, refused

pytestmark = pytest.mark.not_on_dynalite("dynalite has no transactions")

V = "ValidationException"
LARGE_BODY = (
    "aiohttp warns (an error in this suite) when a request body over 1 MB is sent as bytes, "
    "as aiobotocore does over HTTP"
)


def increment(table: str, by: int = 1) -> list[dict[str, Any]]:
    return [
        {
            "Update": {
                "TableName": table,
                "Key": {"pk": {"S": "counter"}},
                "UpdateExpression": "ADD n :by",
                "ExpressionAttributeValues": {":by": {"N": str(by)}},
            }
        }
    ]


async def counter(ddb: Any, table: str) -> str:
    got = await ddb.get_item(TableName=table, Key={"pk": {"S": "counter"}}, ConsistentRead=True)
    return str(got["Item"]["n"]["N"])


async def test_same_token_applies_once(ddb: Any, hash_table: str) -> None:
    token = uuid.uuid4().hex
    first = await ddb.transact_write_items(
        TransactItems=increment(hash_table), ClientRequestToken=token
    )
    again = await ddb.transact_write_items(
        TransactItems=increment(hash_table), ClientRequestToken=token
    )
    first.pop("ResponseMetadata")
    again.pop("ResponseMetadata")
    assert again == first
    assert await counter(ddb, hash_table) == "1"
    # Without a token (or with another one) the transaction runs again.
    await ddb.transact_write_items(TransactItems=increment(hash_table))
    await ddb.transact_write_items(
        TransactItems=increment(hash_table), ClientRequestToken=uuid.uuid4().hex
    )
    assert await counter(ddb, hash_table) == "3"


async def test_same_token_other_parameters(ddb: Any, backend: Backend, hash_table: str) -> None:
    token = uuid.uuid4().hex
    await ddb.transact_write_items(TransactItems=increment(hash_table), ClientRequestToken=token)
    await refused(
        backend,
        ddb.transact_write_items(TransactItems=increment(hash_table, 2), ClientRequestToken=token),
        "IdempotentParameterMismatchException",
        "DynamoDB rejected the request because you retried a request with a different payload "
        "but with an idempotent token that was already used",
    )
    assert await counter(ddb, hash_table) == "1"


async def test_token_longer_than_36(ddb: Any, backend: Backend, hash_table: str) -> None:
    token = "x" * 37
    await refused(
        backend,
        ddb.transact_write_items(TransactItems=increment(hash_table), ClientRequestToken=token),
        V,
        f"1 validation error detected: Value '{token}' at 'clientRequestToken' failed to "
        "satisfy constraint: Member must have length less than or equal to 36",
    )


async def test_condition_check_without_condition(
    ddb: Any, backend: Backend, hash_table: str
) -> None:
    await refused(
        backend,
        ddb.transact_write_items(
            TransactItems=[
                *increment(hash_table),
                {"ConditionCheck": {"TableName": hash_table, "Key": {"pk": {"S": "other"}}}},
            ]
        ),
        V,
        "1 validation error detected: Value null at "
        "'transactItems.2.member.conditionCheck.conditionExpression' failed to satisfy "
        "constraint: Member must not be null",
    )


async def test_payload_over_4_mb(ddb: Any, backend: Backend, hash_table: str) -> None:
    if not backend.is_memory:
        pytest.skip(LARGE_BODY)
    # 50 puts of about 100 KB each (Alternator's test_transact_write_items_put_5MB).
    big = "x" * 100_000
    await refused(
        backend,
        ddb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": hash_table, "Item": {"pk": {"S": f"p{n}"}, "x": {"S": big}}}}
                for n in range(50)
            ]
        ),
        V,
        "Transaction payload size cannot exceed 4 MB",
    )
    assert (await ddb.scan(TableName=hash_table))["Count"] == 0


async def test_payload_of_3_mb_is_accepted(ddb: Any, backend: Backend, hash_table: str) -> None:
    if not backend.is_memory:
        pytest.skip(LARGE_BODY)
    big = "x" * 100_000
    await ddb.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": hash_table, "Item": {"pk": {"S": f"p{n}"}, "x": {"S": big}}}}
            for n in range(30)
        ]
    )
    # Scan pages stop at 1 MB: count over all of them.
    count, params = 0, {"TableName": hash_table, "Select": "COUNT"}
    while True:
        page = await ddb.scan(**params)
        count += page["Count"]
        if "LastEvaluatedKey" not in page:
            break
        params["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    assert count == 30
