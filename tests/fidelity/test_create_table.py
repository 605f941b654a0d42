"""CreateTable: names, key schema, attribute types, local secondary indexes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fidelity.helpers import Backend, refused

V = "ValidationException"


def table(name: str = "fid_new", **overrides: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "TableName": name,
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
    }
    params.update(overrides)
    return params


@pytest.mark.parametrize(
    ("name", "message"),
    [
        pytest.param(
            "bad table!",
            "1 validation error detected: Value 'bad table!' at 'tableName' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
            id="pattern",
        ),
        pytest.param(
            "ab",
            "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy "
            "constraint: Member must have length greater than or equal to 3",
            id="too-short",
        ),
        pytest.param(
            "a" * 256,
            f"1 validation error detected: Value '{'a' * 256}' at 'tableName' failed to "
            "satisfy constraint: Member must have length less than or equal to 255",
            id="too-long",
        ),
    ],
)
async def test_table_name_rules(ddb: Any, backend: Backend, name: str, message: str) -> None:
    await refused(backend, ddb.create_table(**table(name)), V, message)


async def test_index_name_rules(ddb: Any, backend: Backend) -> None:
    params = table(
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "g", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "g1",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    await refused(
        backend,
        ddb.create_table(**params),
        V,
        "1 validation error detected: Value 'g1' at 'globalSecondaryIndexes.1.member.indexName' "
        "failed to satisfy constraint: Member must have length greater than or equal to 3",
    )


async def test_two_hash_keys(ddb: Any, backend: Backend) -> None:
    params = table(
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "HASH"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
    )
    await refused(
        backend,
        ddb.create_table(**params),
        V,
        "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type",
    )


async def test_range_key_first(ddb: Any, backend: Backend) -> None:
    params = table(KeySchema=[{"AttributeName": "pk", "KeyType": "RANGE"}])
    await refused(
        backend,
        ddb.create_table(**params),
        V,
        "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
    )


async def test_three_key_elements(ddb: Any, backend: Backend) -> None:
    params = table(
        KeySchema=[
            {"AttributeName": "a", "KeyType": "HASH"},
            {"AttributeName": "b", "KeyType": "RANGE"},
            {"AttributeName": "c", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("a", "b", "c")],
    )
    error = await refused(backend, ddb.create_table(**params), V)
    assert "Member must have length less than or equal to 2" in str(error)


@pytest.mark.parametrize("kind", ["BOOL", "M", "SS"])
async def test_key_attribute_types(ddb: Any, backend: Backend, kind: str) -> None:
    params = table(AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": kind}])
    await refused(
        backend,
        ddb.create_table(**params),
        V,
        f"1 validation error detected: Value '{kind}' at "
        "'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member "
        "must satisfy enum value set: [B, N, S]",
    )


async def test_key_attribute_not_defined(ddb: Any, backend: Backend) -> None:
    params = table(AttributeDefinitions=[{"AttributeName": "other", "AttributeType": "S"}])
    await refused(
        backend,
        ddb.create_table(**params),
        V,
        "One or more parameter values were invalid: Some index key attributes are not defined "
        "in AttributeDefinitions. Keys: [pk], AttributeDefinitions: [other]",
    )


def _lsi_table(index_hash: str) -> dict[str, Any]:
    return table(
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
            {"AttributeName": "other", "AttributeType": "S"},
        ],
        LocalSecondaryIndexes=[
            {
                "IndexName": "by_other",
                "KeySchema": [
                    {"AttributeName": index_hash, "KeyType": "HASH"},
                    {"AttributeName": "other", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )


async def test_lsi_must_lead_with_table_hash_key(ddb: Any, backend: Backend) -> None:
    await refused(
        backend,
        ddb.create_table(**_lsi_table("sk")),
        V,
        "One or more parameter values were invalid: Index KeySchema does not have the same "
        "leading hash key as table KeySchema for index: by_other. index hash key: sk, table "
        "hash key: pk",
    )


async def test_lsi_needs_a_table_range_key(ddb: Any, backend: Backend) -> None:
    params = _lsi_table("pk")
    params["KeySchema"] = params["KeySchema"][:1]
    params["AttributeDefinitions"] = [
        d for d in params["AttributeDefinitions"] if d["AttributeName"] != "sk"
    ]
    await refused(
        backend,
        ddb.create_table(**params),
        V,
        "One or more parameter values were invalid: Table KeySchema does not have a range key, "
        "which is required when specifying a LocalSecondaryIndex",
    )


async def test_valid_table_is_created(ddb: Any, backend: Backend) -> None:
    name = "fid_lsi_ok" if backend.is_memory else f"fid_lsi_ok_{id(ddb)}"
    response = await ddb.create_table(**_lsi_table("pk") | {"TableName": name})
    assert response["TableDescription"]["TableName"] == name
    await backend.drop(ddb, name)
