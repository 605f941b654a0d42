"""aiodynamodb.rules: pure, table-driven checks of low-level requests."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from aiodynamodb.errors import ValidationError
from aiodynamodb.rules import (
    CHECKED_OPERATIONS,
    RESERVED_WORDS,
    ExpressionSyntaxError,
    TransactionCanceledError,
    canonical_number,
    check_request,
    is_reserved,
    item_size,
    parse_condition,
    parse_number,
    projection_paths,
    tokenize,
    value_size,
)

V = "ValidationException"
ENV = "1 validation error detected: "
INVALID = "One or more parameter values were invalid: "
A = {"S": "a"}
ONE = {"N": "1"}

TABLES: dict[str, dict[str, Any]] = {
    "users": {
        "TableName": "users",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
    },
    "orders": {
        "TableName": "orders",
        "KeySchema": [
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        "AttributeDefinitions": [
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
            {"AttributeName": "email", "AttributeType": "S"},
            {"AttributeName": "kind", "AttributeType": "S"},
        ],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": "by_email",
                "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            },
            {
                "IndexName": "by_kind",
                "KeySchema": [{"AttributeName": "kind", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            },
        ],
    },
}


def describe(name: str) -> dict[str, Any] | None:
    return TABLES.get(name)


def users(**params: Any) -> dict[str, Any]:
    return {"TableName": "users", **params}


def orders(**params: Any) -> dict[str, Any]:
    return {"TableName": "orders", **params}


def query(condition: str, table: str = "orders", **params: Any) -> dict[str, Any]:
    return {"TableName": table, "KeyConditionExpression": condition, **params}


VALID = [
    ("put", "PutItem", users(Item={"pk": A, "n": {"N": "0010.500"}})),
    ("put-empty-string-attribute", "PutItem", users(Item={"pk": A, "s": {"S": ""}})),
    ("get", "GetItem", orders(Key={"pk": A, "sk": ONE})),
    (
        "get-projection-placeholder",
        "GetItem",
        users(
            Key={"pk": A},
            ProjectionExpression="#s, a.b[1], c",
            ExpressionAttributeNames={"#s": "status"},
        ),
    ),
    (
        "update",
        "UpdateItem",
        users(
            Key={"pk": A},
            UpdateExpression="SET a = if_not_exists(a, :z) + :one, l = list_append(l, :l) "
            "REMOVE b ADD c :one DELETE d :s",
            ConditionExpression="attribute_exists(pk) AND size(a) < :one",
            ExpressionAttributeValues={
                ":z": {"N": "0"},
                ":one": ONE,
                ":l": {"L": [A]},
                ":s": {"SS": ["x"]},
            },
        ),
    ),
    (
        "query-between",
        "Query",
        query(
            "pk = :p AND sk BETWEEN :lo AND :hi",
            ExpressionAttributeValues={":p": A, ":lo": ONE, ":hi": {"N": "1.0"}},
        ),
    ),
    (
        "query-value-first",
        "Query",
        query(":p = pk AND :n < sk", ExpressionAttributeValues={":p": A, ":n": ONE}),
    ),
    (
        "query-index",
        "Query",
        query(
            "email = :e",
            IndexName="by_email",
            FilterExpression="sk > :n",
            ExpressionAttributeValues={":e": A, ":n": ONE},
        ),
    ),
    (
        "query-legacy",
        "Query",
        orders(KeyConditions={"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [A]}}),
    ),
    (
        "scan-filter",
        "Scan",
        orders(
            FilterExpression="NOT (a IN (:x, :y)) OR contains(b, :x) AND c <> :y",
            ExpressionAttributeValues={":x": A, ":y": ONE},
        ),
    ),
    ("scan-segments", "Scan", orders(Segment=1, TotalSegments=2, Limit=5)),
    ("unknown-table", "PutItem", {"TableName": "elsewhere", "Item": {"anything": A}}),
    (
        "batch-write",
        "BatchWriteItem",
        {
            "RequestItems": {
                "users": [{"PutRequest": {"Item": {"pk": {"S": f"k{n}"}}}} for n in range(25)]
            }
        },
    ),
    (
        "transact-write",
        "TransactWriteItems",
        {
            "TransactItems": [
                {"Put": {"TableName": "users", "Item": {"pk": A}}},
                {"Delete": {"TableName": "users", "Key": {"pk": {"S": "b"}}}},
                {
                    "ConditionCheck": {
                        "TableName": "orders",
                        "Key": {"pk": A, "sk": ONE},
                        "ConditionExpression": "attribute_exists(pk)",
                    }
                },
            ]
        },
    ),
    ("list-tables", "ListTables", {}),
    (
        "create-table",
        "CreateTable",
        {
            "TableName": "new_table",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST",
        },
    ),
]


@pytest.mark.parametrize(("operation", "params"), [pytest.param(o, p, id=i) for i, o, p in VALID])
def test_valid_requests_pass(operation: str, params: dict[str, Any]) -> None:
    check_request(operation, params, describe)


REFUSED = [
    # -- AttributeValues
    (
        "av-empty",
        "PutItem",
        users(Item={"pk": A, "x": {}}),
        ENV
        + "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
    ),
    (
        "av-two-types",
        "GetItem",
        users(Key={"pk": {"S": "a", "N": "1"}}),
        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
        "supported datatypes",
    ),
    (
        "ns-duplicate",
        "PutItem",
        users(Item={"pk": A, "x": {"NS": ["1", "1.0"]}}),
        ENV + INVALID + "Input collection contains duplicates.",
    ),
    (
        "ns-duplicate-older",
        "BatchWriteItem",
        {
            "RequestItems": {
                "users": [{"PutRequest": {"Item": {"pk": A, "x": {"NS": ["2", "0.2E1"]}}}}]
            }
        },
        "Input collection contains duplicates",
    ),
    (
        "ss-duplicate",
        "PutItem",
        users(Item={"pk": A, "x": {"SS": ["b", "a", "b", "c"]}}),
        ENV + INVALID + 'Input collection ["a", "b", "b", "c"] contains duplicates.',
    ),
    (
        "ss-duplicate-older",
        "Scan",
        users(FilterExpression="x = :s", ExpressionAttributeValues={":s": {"SS": ["b", "b"]}}),
        "ExpressionAttributeValues contains invalid value: "
        + INVALID
        + "Input collection [b, b] contains duplicates. for key :s",
    ),
    (
        "number-digits",
        "PutItem",
        users(Item={"pk": A, "n": {"N": "1" * 39}}),
        ENV + "Attempting to store more than 38 significant digits in a Number",
    ),
    (
        "number-overflow",
        "PutItem",
        users(Item={"pk": A, "n": {"N": "1E126"}}),
        ENV + "Number overflow. Attempting to store a number with magnitude larger than supported "
        "range",
    ),
    (
        "number-underflow",
        "PutItem",
        users(Item={"pk": A, "n": {"N": "0.1E-130"}}),
        ENV
        + "Number underflow. Attempting to store a number with magnitude smaller than supported "
        "range",
    ),
    (
        "number-text",
        "PutItem",
        users(Item={"pk": A, "n": {"N": " 1"}}),
        ENV + "The parameter cannot be converted to a numeric value:  1",
    ),
    (
        "number-empty-older",
        "BatchWriteItem",
        {"RequestItems": {"users": [{"PutRequest": {"Item": {"pk": A, "n": {"N": ""}}}}]}},
        "The parameter cannot be converted to a numeric value",
    ),
    (
        "item-too-large",
        "PutItem",
        users(Item={"pk": A, "p": {"S": "x" * 409_600}}),
        "Item size has exceeded the maximum allowed size",
    ),
    # -- Keys
    (
        "key-wrong-type",
        "GetItem",
        orders(Key={"pk": A, "sk": {"S": "1"}}),
        "The provided key element does not match the schema",
    ),
    (
        "key-missing-part",
        "DeleteItem",
        orders(Key={"pk": A}),
        "The provided key element does not match the schema",
    ),
    (
        "key-empty-string",
        "UpdateItem",
        users(Key={"pk": {"S": ""}}, UpdateExpression="REMOVE a"),
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
        "contain an empty string value. Key: pk",
    ),
    (
        "put-missing-key",
        "PutItem",
        orders(Item={"pk": A}),
        INVALID + "Missing the key sk in the item",
    ),
    (
        "gsi-key-type",
        "PutItem",
        orders(Item={"pk": A, "sk": ONE, "email": ONE}),
        INVALID + "Type mismatch for Index Key email Expected: S Actual: N IndexName: by_email",
    ),
    (
        "gsi-key-empty",
        "PutItem",
        orders(Item={"pk": A, "sk": ONE, "kind": {"S": ""}}),
        "One or more parameter values are not valid. A value specified for a secondary index key "
        "is not supported. The AttributeValue for a key attribute cannot contain an empty string "
        "value. "
        "IndexName: by_kind, IndexKey: kind",
    ),
    (
        "update-key-attribute",
        "UpdateItem",
        orders(Key={"pk": A, "sk": ONE}, UpdateExpression="REMOVE sk"),
        INVALID + "Cannot update attribute sk. This attribute is part of the key",
    ),
    # -- Expressions
    (
        "reserved-key-condition",
        "Query",
        query("pk = :p AND size > :n", ExpressionAttributeValues={":p": A, ":n": ONE}),
        "Invalid KeyConditionExpression: Attribute name is a reserved keyword; reserved keyword: "
        "size",
    ),
    (
        "reserved-projection",
        "GetItem",
        users(Key={"pk": A}, ProjectionExpression="a, Data"),
        "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: "
        "Data",
    ),
    (
        "undefined-name",
        "GetItem",
        users(Key={"pk": A}, ProjectionExpression="#x"),
        "Invalid ProjectionExpression: An expression attribute name used in the document path is "
        "not defined; attribute name: #x",
    ),
    (
        "undefined-value",
        "DeleteItem",
        users(Key={"pk": A}, ConditionExpression="a = :v"),
        ENV
        + "Invalid ConditionExpression: An expression attribute value used in expression is not "
        "defined; attribute value: :v",
    ),
    (
        "unused-name",
        "GetItem",
        users(Key={"pk": A}, ProjectionExpression="a", ExpressionAttributeNames={"#b": "b"}),
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}",
    ),
    (
        "unused-values",
        "Query",
        query("pk = :p", ExpressionAttributeValues={":p": A, ":x": A, ":y": A}),
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:x, :y}",
    ),
    (
        "names-without-expression",
        "PutItem",
        users(Item={"pk": A}, ExpressionAttributeNames={"#a": "a"}),
        ENV + "ExpressionAttributeNames can only be specified when using expressions",
    ),
    (
        "bad-name-key",
        "GetItem",
        users(Key={"pk": A}, ProjectionExpression="a", ExpressionAttributeNames={"a": "a"}),
        'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"',
    ),
    (
        "projection-overlap",
        "GetItem",
        users(Key={"pk": A}, ProjectionExpression="a.b, a"),
        "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or "
        "rewrite one of these paths; path one: [a, b], path two: [a]",
    ),
    (
        "between-reversed",
        "Query",
        query(
            "pk = :p AND sk BETWEEN :hi AND :lo",
            ExpressionAttributeValues={":p": A, ":hi": {"N": "10"}, ":lo": {"N": "9.5"}},
        ),
        "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater "
        "than or equal to lower bound; lower bound operand: AttributeValue: {N:10}, upper bound "
        "operand: AttributeValue: {N:9.5}",
    ),
    (
        "between-types",
        "Scan",
        users(
            FilterExpression="a BETWEEN :x AND :y", ExpressionAttributeValues={":x": A, ":y": ONE}
        ),
        "Invalid FilterExpression: The BETWEEN operator requires same data type for lower and "
        "upper "
        "bounds; lower bound operand: AttributeValue: {S:a}, upper bound operand: AttributeValue: "
        "{N:1}",
    ),
    (
        "begins-with-number-operand",
        "Query",
        query("pk = :p AND begins_with(sk, :n)", ExpressionAttributeValues={":p": A, ":n": ONE}),
        "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator "
        "or function: begins_with, operand type: N",
    ),
    (
        "begins-with-number-key",
        "Query",
        query("pk = :p AND begins_with(sk, :s)", ExpressionAttributeValues={":p": A, ":s": A}),
        INVALID + "Condition parameter type does not match schema type",
    ),
    (
        "ordering-bool",
        "Query",
        query("pk = :p AND sk < :b", ExpressionAttributeValues={":p": A, ":b": {"BOOL": True}}),
        "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator "
        "or function: <, operand type: BOOL",
    ),
    (
        "filter-on-key",
        "Query",
        query(
            "pk = :p", FilterExpression="sk = :n", ExpressionAttributeValues={":p": A, ":n": ONE}
        ),
        "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk",
    ),
    (
        "key-or",
        "Query",
        query("pk = :p OR sk = :n", ExpressionAttributeValues={":p": A, ":n": ONE}),
        "Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: OR",
    ),
    (
        "key-twice",
        "Query",
        query("pk = :p AND sk > :n AND sk < :n", ExpressionAttributeValues={":p": A, ":n": ONE}),
        "Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition "
        "per key",
    ),
    (
        "key-three-conditions",
        "Query",
        query("pk = :p AND sk > :n AND x = :n", ExpressionAttributeValues={":p": A, ":n": ONE}),
        "The number of query conditions (3) exceeds the number of key attributes defined in the "
        "schema (2)",
    ),
    (
        "key-missing-hash",
        "Query",
        query("sk = :n", ExpressionAttributeValues={":n": ONE}),
        "Query condition missed key schema element: pk",
    ),
    (
        "key-hash-range-operator",
        "Query",
        query("pk >= :p", ExpressionAttributeValues={":p": A}),
        "Query key condition not supported",
    ),
    (
        "key-condition-required",
        "Query",
        orders(),
        "Either the KeyConditions or "
        "KeyConditionExpression parameter must be specified in the request.",
    ),
    (
        "legacy-mix",
        "Query",
        query(
            "pk = :p",
            ExpressionAttributeValues={":p": A},
            QueryFilter={"a": {"ComparisonOperator": "NULL"}},
        ),
        "Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {QueryFilter} Expression parameters: {KeyConditionExpression}",
    ),
    (
        "legacy-between",
        "Query",
        orders(
            KeyConditions={
                "pk": {"ComparisonOperator": "EQ", "AttributeValueList": [A]},
                "sk": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "2"}, ONE]},
            }
        ),
        "The BETWEEN condition was provided a range where the lower bound is greater than the "
        "upper "
        "bound",
    ),
    (
        "syntax",
        "Scan",
        users(FilterExpression="a = "),
        'Invalid FilterExpression: Syntax error; token: "<EOF>", near: "= "',
    ),
    (
        "syntax-bad-char",
        "GetItem",
        users(Key={"pk": A}, ProjectionExpression="user-id"),
        'Invalid ProjectionExpression: Syntax error; token: "-", near: "user-id"',
    ),
    (
        "empty-expression",
        "UpdateItem",
        users(Key={"pk": A}, UpdateExpression=""),
        ENV + "Invalid UpdateExpression: The expression can not be empty;",
    ),
    (
        "redundant-parens",
        "Scan",
        users(FilterExpression="((a = :v))", ExpressionAttributeValues={":v": A}),
        "Invalid FilterExpression: The expression has redundant parentheses;",
    ),
    (
        "unknown-function",
        "Scan",
        users(FilterExpression="starts(a, :v)", ExpressionAttributeValues={":v": A}),
        "Invalid FilterExpression: Invalid function name; function: starts",
    ),
    (
        "misused-function",
        "Scan",
        users(FilterExpression="attribute_exists(a) = :v", ExpressionAttributeValues={":v": A}),
        "Invalid FilterExpression: The function is not allowed to be used this way in an "
        "expression; function: attribute_exists",
    ),
    (
        "operand-count",
        "Scan",
        users(FilterExpression="begins_with(a)"),
        "Invalid FilterExpression: Incorrect number of operands for operator or function; operator "
        "or function: begins_with, number of operands: 1",
    ),
    (
        "not-distinct",
        "Scan",
        users(FilterExpression="a = a"),
        "Invalid FilterExpression: The first operand must be distinct from the remaining operands "
        "for this operator or function; operator: =, first operand: [a]",
    ),
    (
        "update-section-twice",
        "UpdateItem",
        users(Key={"pk": A}, UpdateExpression="REMOVE a REMOVE b"),
        ENV + 'Invalid UpdateExpression: The "REMOVE" section can only be used once in an update '
        "expression;",
    ),
    (
        "update-plus-string",
        "UpdateItem",
        users(
            Key={"pk": A}, UpdateExpression="SET a = a + :s", ExpressionAttributeValues={":s": A}
        ),
        ENV + "Invalid UpdateExpression: Incorrect operand type for operator or function; operator "
        "or function: +, operand type: S",
    ),
    (
        "update-delete-number",
        "UpdateItem",
        users(Key={"pk": A}, UpdateExpression="DELETE a :n", ExpressionAttributeValues={":n": ONE}),
        ENV
        + "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: "
        "DELETE, operand type: NUMBER",
    ),
    (
        "update-paths-conflict",
        "UpdateItem",
        users(Key={"pk": A}, UpdateExpression="REMOVE a[0], a.b"),
        ENV
        + "Invalid UpdateExpression: Two document paths conflict with each other; must remove or "
        "rewrite one of these paths; path one: [a, [0]], path two: [a, b]",
    ),
    # -- Reads
    (
        "unknown-index",
        "Query",
        query("pk = :p", IndexName="nope", ExpressionAttributeValues={":p": A}),
        "The table does not have the specified index: nope",
    ),
    (
        "consistent-gsi",
        "Scan",
        orders(IndexName="by_email", ConsistentRead=True),
        "Consistent reads are not supported on global secondary indexes",
    ),
    (
        "select-all-keys-only",
        "Scan",
        orders(IndexName="by_kind", Select="ALL_ATTRIBUTES"),
        INVALID + "Select type ALL_ATTRIBUTES is not supported for global secondary index by_kind "
        "because its projection type is not ALL",
    ),
    (
        "limit-zero",
        "Scan",
        users(Limit=0),
        ENV + "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater "
        "than or equal to 1",
    ),
    (
        "segment-alone",
        "Scan",
        users(Segment=0),
        "The TotalSegments parameter is required but was not present in the request when Segment "
        "parameter is present",
    ),
    (
        "start-key",
        "Scan",
        users(ExclusiveStartKey={"pk": ONE}),
        "The provided starting key is invalid: The provided key element does not match the schema",
    ),
    # -- Batches and transactions
    (
        "batch-write-26",
        "BatchWriteItem",
        {
            "RequestItems": {
                "users": [{"PutRequest": {"Item": {"pk": {"S": f"k{n}"}}}} for n in range(26)]
            }
        },
        ENV + "Value at 'RequestItems.users.member' failed to satisfy constraint: Member must have "
        "length less than or equal to 25",
    ),
    (
        "batch-write-put-delete",
        "BatchWriteItem",
        {
            "RequestItems": {
                "users": [
                    {"PutRequest": {"Item": {"pk": A}}},
                    {"DeleteRequest": {"Key": {"pk": A}}},
                ]
            }
        },
        "Provided list of item keys contains duplicates",
    ),
    (
        "batch-write-key",
        "BatchWriteItem",
        {"RequestItems": {"orders": [{"PutRequest": {"Item": {"pk": A}}}]}},
        "The provided key element does not match the schema",
    ),
    (
        "batch-get-101",
        "BatchGetItem",
        {"RequestItems": {"users": {"Keys": [{"pk": {"S": str(n)}} for n in range(101)]}}},
        ENV + "Value at 'RequestItems.users.member.Keys' failed to satisfy constraint: Member "
        "must have length less than or equal to 100",
    ),
    (
        "batch-get-101-in-two-tables",
        "BatchGetItem",
        {
            "RequestItems": {
                "users": {"Keys": [{"pk": {"S": str(n)}} for n in range(51)]},
                "orders": {"Keys": [{"pk": {"S": str(n)}, "sk": ONE} for n in range(50)]},
            }
        },
        "Too many items requested for the BatchGetItem call",
    ),
    (
        "transact-get-101",
        "TransactGetItems",
        {
            "TransactItems": [
                {"Get": {"TableName": "users", "Key": {"pk": {"S": str(n)}}}} for n in range(101)
            ]
        },
        ENV + "Value at 'TransactItems' failed to satisfy constraint: Member must have length less "
        "than or equal to 100",
    ),
    (
        "transact-same-item",
        "TransactWriteItems",
        {
            "TransactItems": [
                {"Put": {"TableName": "users", "Item": {"pk": A}}},
                {
                    "ConditionCheck": {
                        "TableName": "users",
                        "Key": {"pk": A},
                        "ConditionExpression": "attribute_exists(pk)",
                    }
                },
            ]
        },
        "Transaction request cannot include multiple operations on one item",
    ),
    # -- Tables
    (
        "create-name",
        "CreateTable",
        {"TableName": "no spaces", "KeySchema": [], "AttributeDefinitions": []},
        ENV + "Value 'no spaces' at 'tableName' failed to satisfy constraint: Member must satisfy "
        "regular expression pattern: [a-zA-Z0-9_.-]+",
    ),
    (
        "create-two-hash",
        "CreateTable",
        {
            "TableName": "new_table",
            "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [
                {"AttributeName": "a", "KeyType": "HASH"},
                {"AttributeName": "b", "KeyType": "HASH"},
            ],
            "AttributeDefinitions": [
                {"AttributeName": "a", "AttributeType": "S"},
                {"AttributeName": "b", "AttributeType": "S"},
            ],
        },
        "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type",
    ),
    (
        "create-type",
        "CreateTable",
        {
            "TableName": "new_table",
            "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "a", "AttributeType": "BOOL"}],
        },
        ENV + "Value 'BOOL' at 'attributeDefinitions.1.member.attributeType' failed to satisfy "
        "constraint: Member must satisfy enum value set: [B, N, S]",
    ),
    (
        "create-provisioned",
        "CreateTable",
        {
            "TableName": "new_table",
            "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "a", "AttributeType": "S"}],
        },
        INVALID
        + "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode "
        "is PROVISIONED",
    ),
    (
        "create-unused-definition",
        "CreateTable",
        {
            "TableName": "new_table",
            "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"}],
            "AttributeDefinitions": [
                {"AttributeName": "a", "AttributeType": "S"},
                {"AttributeName": "b", "AttributeType": "S"},
            ],
        },
        INVALID + "Number of attributes in KeySchema does not exactly match number of attributes "
        "defined in AttributeDefinitions",
    ),
    (
        "table-name-data-plane",
        "GetItem",
        {"TableName": "a" * 256, "Key": {"pk": A}},
        ENV + f"Value '{'a' * 256}' at 'tableName' failed to satisfy constraint: Member must have "
        "length less than or equal to 255",
    ),
]


@pytest.mark.parametrize(
    ("operation", "params", "message"), [pytest.param(o, p, m, id=i) for i, o, p, m in REFUSED]
)
def test_refused_requests(operation: str, params: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_request(operation, params, describe)
    assert caught.value.code == V
    assert caught.value.message == message
    assert caught.value.operation_name == operation
    assert caught.value.response["Error"] == {"Code": V, "Message": message}


def test_schema_rules_skip_unknown_tables() -> None:
    check_request("GetItem", {"TableName": "elsewhere", "Key": {"x": ONE, "y": A}})


@pytest.mark.parametrize(
    ("actions", "reasons"),
    [
        pytest.param(
            [{"Put": {"TableName": "users", "Item": {"pk": ONE}}}],
            [
                {
                    "Code": "ValidationError",
                    "Message": INVALID + "Type mismatch for key pk expected: S actual: N",
                }
            ],
            id="put",
        ),
        pytest.param(
            [
                {"Put": {"TableName": "users", "Item": {"pk": A}}},
                {"Delete": {"TableName": "orders", "Key": {"pk": A}}},
            ],
            [
                {"Code": "None"},
                {
                    "Code": "ValidationError",
                    "Message": "The provided key element does not match the schema",
                },
            ],
            id="delete",
        ),
    ],
)
def test_transactions_cancel_on_key_problems(
    actions: list[Any], reasons: list[dict[str, str]]
) -> None:
    with pytest.raises(TransactionCanceledError) as caught:
        check_request("TransactWriteItems", {"TransactItems": actions}, describe)
    codes = ", ".join(reason["Code"] for reason in reasons)
    assert caught.value.code == "TransactionCanceledException"
    assert caught.value.message == (
        f"Transaction cancelled, please refer cancellation reasons for specific reasons [{codes}]"
    )
    assert caught.value.response["CancellationReasons"] == reasons


def test_every_checked_operation_is_a_dynamodb_operation() -> None:
    assert {"PutItem", "Query", "CreateTable", "TransactWriteItems"} <= CHECKED_OPERATIONS


@pytest.mark.parametrize(
    ("text", "canonical", "size"),
    [
        ("0", "0", 1),
        ("-0.000", "0", 1),
        ("0010.500", "10.5", 3),
        ("3.14159", "3.14159", 5),
        ("123456", "123456", 4),
        ("-1", "-1", 3),
        ("1E125", "1" + "0" * 125, 2),
        ("1.5e-3", "0.0015", 2),
        ("0.012", "0.012", 3),
        (".5", "0.5", 2),
        ("+7.", "7", 2),
    ],
)
def test_numbers(text: str, canonical: str, size: int) -> None:
    assert canonical_number(text) == canonical
    number = parse_number(text)
    assert number is not None
    assert number.size() == size


@pytest.mark.parametrize("text", ["", " 1", "1_000", "NaN", "Infinity", "0x10", "1e", "1.2.3"])
def test_not_numbers(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("item", "size"),
    [
        ({"ab": {"S": "xyz"}}, 5),
        ({"é": {"S": "é"}}, 4),
        ({"b": {"B": "AAEC"}}, 4),
        ({"b": {"B": b"\x00\x01\x02"}}, 4),
        ({"t": {"BOOL": True}, "n": {"NULL": True}}, 4),
        ({"m": {"M": {"ab": {"S": "xyz"}}}}, 1 + 3 + 2 + 3 + 1),
        ({"l": {"L": [{"S": "a"}, {"N": "1"}]}}, 1 + 3 + 2 + 3),
        ({"s": {"SS": ["a", "bc"]}, "n": {"NS": ["1", "22"]}}, 1 + 3 + 1 + 4),
    ],
)
def test_item_size(item: dict[str, Any], size: int) -> None:
    assert item_size(item) == size
    assert value_size(next(iter(item.values()))) <= size


def test_projection_paths_resolve_placeholders() -> None:
    assert projection_paths("#a.b[2], c", {"#a": "x"}) == [["x", "b", 2], ["c"]]


def test_tokenizer_spans() -> None:
    tokens = tokenize("a.b[1] <= :v")
    assert [(t.kind, t.text) for t in tokens] == [
        ("ident", "a"),
        ("op", "."),
        ("ident", "b"),
        ("op", "["),
        ("int", "1"),
        ("op", "]"),
        ("op", "<="),
        ("value", ":v"),
        ("eof", "<EOF>"),
    ]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("a = :v AND", 'Syntax error; token: "<EOF>", near: "AND"'),
        ("!!!", 'Syntax error; token: "!", near: "!!"'),
        ("a BETWEEN :x :y", 'Syntax error; token: ":y", near: ":x :y"'),
    ],
)
def test_condition_syntax_errors(source: str, message: str) -> None:
    with pytest.raises(ExpressionSyntaxError) as caught:
        parse_condition(source)
    assert caught.value.message == message


def test_reserved_words() -> None:
    assert len(RESERVED_WORDS) == 573
    assert is_reserved("status")
    assert is_reserved("NAME")
    assert not is_reserved("user_id")


@pytest.mark.parametrize("kind", ["M", "L"])
def test_nesting_limit_is_32_levels_counting_the_attribute(kind: str) -> None:
    # DynamoDB counts the top-level attribute as level 1: a scalar may sit inside 31 maps
    # or lists, and one more wrap is refused (issue 19: we used to accept one level more).
    def wrapped(levels: int) -> dict[str, Any]:
        value: dict[str, Any] = {"S": "leaf"}
        for _ in range(levels):
            value = {"M": {"m": value}} if kind == "M" else {"L": [value]}
        return value

    check_request("PutItem", {"TableName": "users", "Item": {"pk": A, "d": wrapped(31)}})
    with pytest.raises(ValidationError, match="Nesting Levels have exceeded supported limits"):
        check_request("PutItem", {"TableName": "users", "Item": {"pk": A, "d": wrapped(32)}})


def test_cached_parse_trees_cannot_be_changed() -> None:
    # The parse cache hands one tree to every request using the same text: a caller that
    # could change it would change what every later request sees.
    source = "(a = :v) AND size(#n) > :w"
    tree = parse_condition(source)
    assert tree is parse_condition(source)
    root: Any = tree.root
    with pytest.raises(dataclasses.FrozenInstanceError):
        root.op = "OR"
    with pytest.raises(TypeError):
        root.operands[0] = root.operands[1]
    with pytest.raises(AttributeError):
        root.operands[0].left.elements.append(("id", "b"))
    assert parse_condition(source) == tree
