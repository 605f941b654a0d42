"""Keys: the key schema on reads and writes, index keys on writes, empty key values."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fidelity.helpers import Backend, refused

V = "ValidationException"
MISMATCH = "The provided key element does not match the schema"


@pytest.mark.parametrize(
    "key",
    [
        pytest.param({"pk": {"S": "a"}, "sk": {"S": "1"}}, id="range-key-type"),
        pytest.param({"pk": {"N": "1"}, "sk": {"N": "1"}}, id="hash-key-type"),
        pytest.param({"pk": {"S": "a"}}, id="missing-range-key"),
        pytest.param({"pk": {"S": "a"}, "sk": {"N": "1"}, "x": {"S": "b"}}, id="extra-attribute"),
    ],
)
async def test_get_with_a_key_of_the_wrong_shape(
    ddb: Any, backend: Backend, composite_table: str, key: Any
) -> None:
    await refused(backend, ddb.get_item(TableName=composite_table, Key=key), V, MISMATCH)


async def test_delete_with_a_key_of_the_wrong_type(
    ddb: Any, backend: Backend, composite_table: str
) -> None:
    key = {"pk": {"S": "a"}, "sk": {"S": "1"}}
    await refused(backend, ddb.delete_item(TableName=composite_table, Key=key), V, MISMATCH)


async def test_update_with_a_key_of_the_wrong_type(
    ddb: Any, backend: Backend, composite_table: str
) -> None:
    await refused(
        backend,
        ddb.update_item(
            TableName=composite_table,
            Key={"pk": {"S": "a"}, "sk": {"S": "1"}},
            UpdateExpression="SET x = :v",
            ExpressionAttributeValues={":v": {"S": "y"}},
        ),
        V,
        MISMATCH,
    )


async def test_put_with_a_key_of_the_wrong_type(
    ddb: Any, backend: Backend, composite_table: str
) -> None:
    await refused(
        backend,
        ddb.put_item(TableName=composite_table, Item={"pk": {"S": "a"}, "sk": {"S": "1"}}),
        V,
        "One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S",
        exact_on_server=True,
    )


async def test_put_without_the_range_key(ddb: Any, backend: Backend, composite_table: str) -> None:
    await refused(
        backend,
        ddb.put_item(TableName=composite_table, Item={"pk": {"S": "a"}}),
        V,
        "One or more parameter values were invalid: Missing the key sk in the item",
        exact_on_server=True,
    )


async def test_key_condition_value_of_the_wrong_type(
    ddb: Any, backend: Backend, composite_table: str
) -> None:
    await refused(
        backend,
        ddb.query(
            TableName=composite_table,
            KeyConditionExpression="pk = :p AND sk = :s",
            ExpressionAttributeValues={":p": {"S": "a"}, ":s": {"S": "1"}},
        ),
        V,
        "One or more parameter values were invalid: Condition parameter type does not match "
        "schema type",
        exact_on_server=True,
    )


async def test_gsi_key_of_the_wrong_type(ddb: Any, backend: Backend, composite_table: str) -> None:
    item = {"pk": {"S": "a"}, "sk": {"N": "1"}, "email": {"N": "5"}}
    await refused(
        backend,
        ddb.put_item(TableName=composite_table, Item=item),
        V,
        "One or more parameter values were invalid: Type mismatch for Index Key email Expected: "
        "S Actual: N IndexName: by_email",
    )


async def test_lsi_key_of_the_wrong_type(ddb: Any, backend: Backend, composite_table: str) -> None:
    item = {"pk": {"S": "a"}, "sk": {"N": "1"}, "rank": {"S": "first"}}
    await refused(
        backend,
        ddb.put_item(TableName=composite_table, Item=item),
        V,
        "One or more parameter values were invalid: Type mismatch for Index Key rank Expected: "
        "N Actual: S IndexName: by_rank",
    )


async def test_gsi_key_of_the_wrong_type_set_by_an_update(
    ddb: Any, backend: Backend, composite_table: str
) -> None:
    await refused(
        backend,
        ddb.update_item(
            TableName=composite_table,
            Key={"pk": {"S": "a"}, "sk": {"N": "1"}},
            UpdateExpression="SET email = :e",
            ExpressionAttributeValues={":e": {"BOOL": True}},
        ),
        V,
        "One or more parameter values were invalid: Type mismatch for Index Key email Expected: "
        "S Actual: BOOL IndexName: by_email",
    )


@pytest.mark.not_on_dynalite("dynalite accepts an empty string as an index key (its issue 184)")
async def test_gsi_key_empty_string(ddb: Any, backend: Backend, composite_table: str) -> None:
    item = {"pk": {"S": "a"}, "sk": {"N": "1"}, "email": {"S": ""}}
    await refused(
        backend,
        ddb.put_item(TableName=composite_table, Item=item),
        V,
        "One or more parameter values are not valid. A value specified for a secondary index "
        "key is not supported. The AttributeValue for a key attribute cannot contain an empty "
        "string value. IndexName: by_email, IndexKey: email",
    )


async def test_table_key_empty_string(ddb: Any, backend: Backend, hash_table: str) -> None:
    await refused(
        backend,
        ddb.put_item(TableName=hash_table, Item={"pk": {"S": ""}}),
        V,
        "One or more parameter values are not valid. The AttributeValue for a key attribute "
        "cannot contain an empty string value. Key: pk",
    )


async def test_table_key_empty_binary(ddb: Any, backend: Backend, binary_table: str) -> None:
    await refused(
        backend,
        ddb.get_item(TableName=binary_table, Key={"pk": {"B": b""}}),
        V,
        "One or more parameter values are not valid. The AttributeValue for a key attribute "
        "cannot contain an empty binary value. Key: pk",
    )


async def test_update_of_a_key_attribute(ddb: Any, backend: Backend, composite_table: str) -> None:
    await refused(
        backend,
        ddb.update_item(
            TableName=composite_table,
            Key={"pk": {"S": "a"}, "sk": {"N": "1"}},
            UpdateExpression="SET sk = :v",
            ExpressionAttributeValues={":v": {"N": "2"}},
        ),
        V,
        "One or more parameter values were invalid: Cannot update attribute sk. This attribute "
        "is part of the key",
    )


async def test_numerically_equal_keys_are_one_item(ddb: Any, composite_table: str) -> None:
    await ddb.put_item(
        TableName=composite_table, Item={"pk": {"S": "n"}, "sk": {"N": "1.50"}, "v": {"S": "x"}}
    )
    got = await ddb.get_item(TableName=composite_table, Key={"pk": {"S": "n"}, "sk": {"N": "1.5"}})
    assert got["Item"]["sk"] == {"N": "1.5"}
