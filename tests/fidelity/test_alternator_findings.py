"""Gaps found by running ScyllaDB Alternator's public suite (validated against real DynamoDB)
against the server command, outside the themes other fidelity files cover (docs/fidelity.md,
"A public suite"). The behaviour comes from what that suite shows DynamoDB does; the tests
are our own."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fidelity.helpers import ENVELOPE, Backend, create_table, refused

ON_DEMAND = {"BillingMode": "PAY_PER_REQUEST"}


@pytest.mark.parametrize(
    ("definition", "path", "rule"),
    [
        pytest.param(
            {"AttributeType": "S"},
            "attributeDefinitions.1.member.attributeName",
            "Member must not be null",
            id="no-name",
        ),
        pytest.param(
            {"AttributeName": "pk"},
            "attributeDefinitions.1.member.attributeType",
            "Member must satisfy enum value set: [B, N, S]",
            id="no-type",
        ),
    ],
)
async def test_attribute_definition_without_a_member_is_refused(
    ddb: Any, backend: Backend, definition: dict[str, str], path: str, rule: str
) -> None:
    # Used to crash the strict layer (a None name joined into a message).
    await refused(
        backend,
        ddb.create_table(
            TableName="fid_definitions",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[definition],
            **ON_DEMAND,
        ),
        "ValidationException",
        f"{ENVELOPE}Value null at '{path}' failed to satisfy constraint: {rule}",
    )


@pytest.mark.not_on_dynalite("dynalite answers DeleteTable with the whole description")
async def test_delete_table_describes_less_than_describe_table(ddb: Any, backend: Backend) -> None:
    name = "fid_deleted" if backend.is_memory else f"fid_deleted_{id(ddb)}"
    await create_table(
        ddb,
        name,
        [("pk", "HASH", "S"), ("sk", "RANGE", "S")],
        extra_attributes=[("email", "S")],
        gsis=[("by_email", "email", "ALL")],
        lsis=[("by_email_local", "email")],
    )
    described = (await ddb.describe_table(TableName=name))["Table"]
    deleted = (await ddb.delete_table(TableName=name))["TableDescription"]
    left_out = (
        "AttributeDefinitions",
        "CreationDateTime",
        "GlobalSecondaryIndexes",
        "KeySchema",
        "LocalSecondaryIndexes",
    )
    assert all(field in described for field in left_out)
    assert [field for field in left_out if field in deleted] == []
    assert deleted["TableName"] == name
    assert deleted["TableArn"] == described["TableArn"]
    assert deleted["ProvisionedThroughput"]["ReadCapacityUnits"] == 0
    assert deleted["ProvisionedThroughput"]["WriteCapacityUnits"] == 0


@pytest.mark.parametrize("function", ["if_not_exists", "list_append"])
async def test_update_functions_are_not_allowed_in_a_condition(
    ddb: Any, hash_table: str, backend: Backend, function: str
) -> None:
    # Known names (of update expressions), so not "Invalid function name".
    await refused(
        backend,
        ddb.update_item(
            TableName=hash_table,
            Key={"pk": {"S": "k"}},
            UpdateExpression="SET z = :v",
            ConditionExpression=f"{function}(a, a) = :v",
            ExpressionAttributeValues={":v": {"N": "1"}},
        ),
        "ValidationException",
        f"{ENVELOPE}Invalid ConditionExpression: The function is not allowed to be used this "
        f"way in an expression; function: {function}",
    )


async def test_key_conditions_operator_rules(
    ddb: Any, composite_table: str, backend: Backend
) -> None:
    pk = {"AttributeValueList": [{"S": "p"}], "ComparisonOperator": "EQ"}
    # Operators are case sensitive: an enum error naming the operator sent.
    error = await refused(
        backend,
        ddb.query(
            TableName=composite_table,
            KeyConditions={"pk": {"AttributeValueList": [{"S": "p"}], "ComparisonOperator": "eq"}},
        ),
        "ValidationException",
    )
    assert "Value 'eq' at 'keyConditions.pk.member.comparisonOperator'" in str(error)
    # BEGINS_WITH takes no number, even on a number sort key.
    await refused(
        backend,
        ddb.query(
            TableName=composite_table,
            KeyConditions={
                "pk": pk,
                "sk": {"AttributeValueList": [{"N": "3"}], "ComparisonOperator": "BEGINS_WITH"},
            },
        ),
        "ValidationException",
        "One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not valid "
        "for N AttributeValue type",
    )


async def test_update_return_values_is_an_enum(ddb: Any, hash_table: str, backend: Backend) -> None:
    await refused(
        backend,
        ddb.update_item(
            TableName=hash_table,
            Key={"pk": {"S": "k"}},
            UpdateExpression="SET a = :v",
            ExpressionAttributeValues={":v": {"N": "1"}},
            ReturnValues="none",
        ),
        "ValidationException",
        f"{ENVELOPE}Value 'none' at 'returnValues' failed to satisfy constraint: Member must "
        "satisfy enum value set: [NONE, ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW]",
    )


@pytest.mark.not_on_dynalite("dynalite accepts names starting with _ and nested list_append")
@pytest.mark.parametrize(
    ("expression", "message"),
    [
        pytest.param("SET _a = :v", 'Syntax error; token: "_", near: "SET _a"', id="underscore"),
        pytest.param(
            "SET a = list_append(list_append(:v, :v), :v)",
            "The function is not allowed to be used this way in an expression; "
            "function: list_append",
            id="nested-list-append",
        ),
    ],
)
async def test_update_expression_tokens_and_nesting(
    ddb: Any, hash_table: str, backend: Backend, expression: str, message: str
) -> None:
    await refused(
        backend,
        ddb.update_item(
            TableName=hash_table,
            Key={"pk": {"S": "k"}},
            UpdateExpression=expression,
            ExpressionAttributeValues={":v": {"L": []}},
        ),
        "ValidationException",
        f"{ENVELOPE}Invalid UpdateExpression: {message}",
    )


async def test_indexes_are_described_with_size_and_count(ddb: Any, composite_table: str) -> None:
    described = (await ddb.describe_table(TableName=composite_table))["Table"]
    indexes = described["GlobalSecondaryIndexes"] + described["LocalSecondaryIndexes"]
    assert len(indexes) == 3
    for index in indexes:
        assert isinstance(index["IndexSizeBytes"], int)
        assert isinstance(index["ItemCount"], int)
