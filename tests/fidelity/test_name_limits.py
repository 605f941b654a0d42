"""Limits on names and paths: key attribute names up to 255 characters, document paths up to
32 levels, table names DynamoDB accepts on every table operation."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fidelity.helpers import Backend, refused

V = "ValidationException"


@pytest.mark.not_on_dynalite("dynalite has no limit on key attribute names")
@pytest.mark.parametrize("length", [256])
async def test_key_attribute_name_over_255(ddb: Any, backend: Backend, length: int) -> None:
    name = "k" * length
    await refused(
        backend,
        ddb.create_table(
            TableName="fid_long_key",
            KeySchema=[{"AttributeName": name, "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": name, "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        ),
        V,
        f"2 validation errors detected: Value '{name}' at 'keySchema.1.member.attributeName' "
        "failed to satisfy constraint: Member must have length less than or equal to 255; "
        f"Value '{name}' at 'attributeDefinitions.1.member.attributeName' failed to satisfy "
        "constraint: Member must have length less than or equal to 255",
    )


async def test_key_attribute_name_of_255(ddb: Any, backend: Backend) -> None:
    name = "k" * 255
    await ddb.create_table(
        TableName="fid_long_key_ok",
        KeySchema=[{"AttributeName": name, "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": name, "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    await backend.drop(ddb, "fid_long_key_ok")


@pytest.mark.not_on_dynalite("dynalite has no limit on document path depth")
async def test_projection_path_deeper_than_32(ddb: Any, backend: Backend, hash_table: str) -> None:
    key = {"pk": {"S": "p"}}
    await ddb.get_item(TableName=hash_table, Key=key, ProjectionExpression=".".join(["a"] * 32))
    await refused(
        backend,
        ddb.get_item(TableName=hash_table, Key=key, ProjectionExpression=".".join(["a"] * 33)),
        V,
        "Invalid ProjectionExpression: The document path has too many nesting levels; "
        "nesting levels: 33",
    )


@pytest.mark.parametrize(
    ("operation", "params", "field"),
    [
        pytest.param(
            "update_table",
            {"TableName": "bad name!", "BillingMode": "PAY_PER_REQUEST"},
            "tableName",
            id="update-table",
        ),
        pytest.param(
            "list_tables",
            {"ExclusiveStartTableName": "bad name!"},
            "exclusiveStartTableName",
            id="list-tables",
        ),
        pytest.param("describe_table", {"TableName": "bad name!"}, "tableName", id="describe"),
        pytest.param("delete_table", {"TableName": "bad name!"}, "tableName", id="delete"),
    ],
)
async def test_invalid_table_name(
    ddb: Any, backend: Backend, operation: str, params: dict[str, Any], field: str
) -> None:
    await refused(
        backend,
        getattr(ddb, operation)(**params),
        V,
        f"1 validation error detected: Value 'bad name!' at '{field}' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
    )
