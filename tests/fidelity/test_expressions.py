"""Expressions: reserved words, placeholders, projections, BETWEEN, begins_with, filters on
keys, and legacy parameters mixed with expressions."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fidelity.helpers import ENVELOPE, Backend, refused

V = "ValidationException"


def key_query(table: str, condition: str, **values: Any) -> dict[str, Any]:
    return {
        "TableName": table,
        "KeyConditionExpression": condition,
        "ExpressionAttributeValues": {f":{k}": v for k, v in values.items()},
    }


A = {"S": "a"}


async def test_reserved_word_in_key_condition(ddb: Any, backend: Backend, hash_table: str) -> None:
    params = key_query(hash_table, "name = :p", p=A)
    await refused(
        backend,
        ddb.query(**params),
        V,
        "Invalid KeyConditionExpression: Attribute name is a reserved keyword; reserved "
        "keyword: name",
        exact_on_server=True,
    )


@pytest.mark.parametrize("word", ["status", "Date", "COUNT", "size"])
async def test_reserved_words_in_filters(
    ddb: Any, backend: Backend, hash_table: str, word: str
) -> None:
    params = key_query(hash_table, "pk = :p", p=A)
    params["FilterExpression"] = f"{word} = :p"
    await refused(
        backend,
        ddb.query(**params),
        V,
        f"Invalid FilterExpression: Attribute name is a reserved keyword; reserved keyword: {word}",
    )


async def test_reserved_word_in_update(ddb: Any, backend: Backend, hash_table: str) -> None:
    await refused(
        backend,
        ddb.update_item(
            TableName=hash_table,
            Key={"pk": A},
            UpdateExpression="SET comment = :c",
            ExpressionAttributeValues={":c": A},
        ),
        V,
        ENVELOPE + "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved "
        "keyword: comment",
    )


async def test_placeholder_for_a_reserved_word_is_fine(ddb: Any, hash_table: str) -> None:
    params = key_query(hash_table, "pk = :p", p=A)
    params["FilterExpression"] = "#s = :p"
    params["ExpressionAttributeNames"] = {"#s": "status"}
    assert (await ddb.query(**params))["Count"] == 0


async def test_undefined_name(ddb: Any, backend: Backend, hash_table: str) -> None:
    await refused(
        backend,
        ddb.query(**key_query(hash_table, "#k = :p", p=A)),
        V,
        "Invalid KeyConditionExpression: An expression attribute name used in the document "
        "path is not defined; attribute name: #k",
        exact_on_server=True,
    )


async def test_undefined_value(ddb: Any, backend: Backend, hash_table: str) -> None:
    await refused(
        backend,
        ddb.put_item(
            TableName=hash_table,
            Item={"pk": A},
            ConditionExpression="attribute_not_exists(pk) OR v = :missing",
            ExpressionAttributeValues={":v": A},
        ),
        V,
        ENVELOPE + "Invalid ConditionExpression: An expression attribute value used in "
        "expression is not defined; attribute value: :missing",
    )


async def test_unused_name(ddb: Any, backend: Backend, hash_table: str) -> None:
    params = key_query(hash_table, "pk = :p", p=A)
    params["ExpressionAttributeNames"] = {"#unused": "x"}
    await refused(
        backend,
        ddb.query(**params),
        V,
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}",
        exact_on_server=True,
    )


async def test_unused_value(ddb: Any, backend: Backend, hash_table: str) -> None:
    await refused(
        backend,
        ddb.query(**key_query(hash_table, "pk = :p", p=A, extra=A)),
        V,
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:extra}",
        exact_on_server=True,
    )


@pytest.mark.parametrize(
    ("projection", "one", "two"),
    [
        pytest.param("a, a.b", "[a]", "[a, b]", id="map-path"),
        pytest.param("a[0], a", "[a, [0]]", "[a]", id="list-then-whole"),
        pytest.param("x, y, x", "[x]", "[x]", id="repeated"),
    ],
)
async def test_overlapping_projection_paths(
    ddb: Any, backend: Backend, hash_table: str, projection: str, one: str, two: str
) -> None:
    await refused(
        backend,
        ddb.get_item(TableName=hash_table, Key={"pk": A}, ProjectionExpression=projection),
        V,
        "Invalid ProjectionExpression: Two document paths overlap with each other; must remove "
        f"or rewrite one of these paths; path one: {one}, path two: {two}",
        exact_on_server=True,
    )


async def test_conflicting_projection_paths(ddb: Any, backend: Backend, hash_table: str) -> None:
    await refused(
        backend,
        ddb.get_item(TableName=hash_table, Key={"pk": A}, ProjectionExpression="a.b, a[0]"),
        V,
        "Invalid ProjectionExpression: Two document paths conflict with each other; must "
        "remove or rewrite one of these paths; path one: [a, b], path two: [a, [0]]",
    )


async def test_between_with_reversed_bounds(
    ddb: Any, backend: Backend, composite_table: str
) -> None:
    params = key_query(
        composite_table, "pk = :p AND sk BETWEEN :hi AND :lo", p=A, hi={"N": "5"}, lo={"N": "1"}
    )
    await refused(
        backend,
        ddb.query(**params),
        V,
        "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be "
        "greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, "
        "upper bound operand: AttributeValue: {N:1}",
        exact_on_server=True,
    )


async def test_between_with_reversed_bounds_in_a_filter(
    ddb: Any, backend: Backend, hash_table: str
) -> None:
    params = key_query(hash_table, "pk = :p", p=A, hi={"S": "b"}, lo={"S": "a"})
    params["FilterExpression"] = "v BETWEEN :hi AND :lo"
    await refused(
        backend,
        ddb.query(**params),
        V,
        "Invalid FilterExpression: The BETWEEN operator requires upper bound to be greater than "
        "or equal to lower bound; lower bound operand: AttributeValue: {S:b}, upper bound "
        "operand: AttributeValue: {S:a}",
    )


async def test_begins_with_a_number_operand(
    ddb: Any, backend: Backend, composite_table: str
) -> None:
    params = key_query(composite_table, "pk = :p AND begins_with(sk, :v)", p=A, v={"N": "1"})
    await refused(
        backend,
        ddb.query(**params),
        V,
        "Invalid KeyConditionExpression: Incorrect operand type for operator or function; "
        "operator or function: begins_with, operand type: N",
        exact_on_server=True,
    )


async def test_begins_with_on_a_number_sort_key(
    ddb: Any, backend: Backend, composite_table: str
) -> None:
    params = key_query(composite_table, "pk = :p AND begins_with(sk, :v)", p=A, v={"S": "1"})
    await refused(
        backend,
        ddb.query(**params),
        V,
        "One or more parameter values were invalid: Condition parameter type does not match "
        "schema type",
        exact_on_server=True,
    )


@pytest.mark.parametrize(
    ("condition", "name"),
    [
        pytest.param("sk > :n", "sk", id="sort-key"),
        pytest.param("pk = :p2", "pk", id="hash-key"),
    ],
)
async def test_query_filter_on_a_key_attribute(
    ddb: Any, backend: Backend, composite_table: str, condition: str, name: str
) -> None:
    params = key_query(composite_table, "pk = :p", p=A, n={"N": "1"}, p2=A)
    params["FilterExpression"] = condition
    if name == "sk":
        params["ExpressionAttributeValues"].pop(":p2")
    else:
        params["ExpressionAttributeValues"].pop(":n")
    await refused(
        backend,
        ddb.query(**params),
        V,
        f"Filter Expression can only contain non-primary key attributes: Primary key attribute: "
        f"{name}",
        exact_on_server=True,
    )


async def test_filter_on_table_key_is_fine_on_an_index(ddb: Any, composite_table: str) -> None:
    params = key_query(composite_table, "email = :e", e=A, n={"N": "1"})
    params["IndexName"] = "by_email"
    params["FilterExpression"] = "sk > :n"
    assert (await ddb.query(**params))["Count"] == 0


@pytest.mark.parametrize(
    ("operation", "params", "legacy", "expressions"),
    [
        pytest.param(
            "get_item",
            {"Key": {"pk": A}, "ProjectionExpression": "v", "AttributesToGet": ["v"]},
            "AttributesToGet",
            "ProjectionExpression",
            id="get-AttributesToGet",
        ),
        pytest.param(
            "put_item",
            {
                "Item": {"pk": A},
                "ConditionExpression": "attribute_not_exists(pk)",
                "Expected": {"pk": {"Exists": False}},
            },
            "Expected",
            "ConditionExpression",
            id="put-Expected",
        ),
        pytest.param(
            "update_item",
            {
                "Key": {"pk": A},
                "UpdateExpression": "SET v = :v",
                "ExpressionAttributeValues": {":v": A},
                "AttributeUpdates": {"w": {"Action": "PUT", "Value": A}},
            },
            "AttributeUpdates",
            "UpdateExpression",
            id="update-AttributeUpdates",
        ),
        pytest.param(
            "scan",
            {
                "FilterExpression": "v = :v",
                "ExpressionAttributeValues": {":v": A},
                "ScanFilter": {"v": {"ComparisonOperator": "EQ", "AttributeValueList": [A]}},
            },
            "ScanFilter",
            "FilterExpression",
            id="scan-ScanFilter",
        ),
        pytest.param(
            "query",
            {
                "KeyConditionExpression": "pk = :p",
                "ExpressionAttributeValues": {":p": A},
                "QueryFilter": {"v": {"ComparisonOperator": "NULL"}},
                "ConditionalOperator": "AND",
            },
            "QueryFilter, ConditionalOperator",
            "KeyConditionExpression",
            id="query-QueryFilter",
        ),
    ],
)
async def test_legacy_parameters_mixed_with_expressions(
    ddb: Any,
    backend: Backend,
    hash_table: str,
    operation: str,
    params: dict[str, Any],
    legacy: str,
    expressions: str,
) -> None:
    envelope = ENVELOPE if operation in ("put_item", "update_item") else ""
    await refused(
        backend,
        getattr(ddb, operation)(TableName=hash_table, **params),
        V,
        envelope + "Can not use both expression and non-expression parameters in the same "
        f"request: Non-expression parameters: {{{legacy}}} Expression parameters: "
        f"{{{expressions}}}",
    )


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        pytest.param(
            "SET a = :v SET b = :v",
            'The "SET" section can only be used once in an update expression;',
            id="section-twice",
        ),
        pytest.param(
            "SET a = :v, a.b = :v",
            "Two document paths overlap with each other; must remove or rewrite one of these "
            "paths; path one: [a], path two: [a, b]",
            id="overlap",
        ),
        pytest.param(
            "SET a = :v REMOVE",
            'Syntax error; token: "<EOF>", near: "REMOVE"',
            id="syntax",
        ),
        pytest.param(
            "ADD a :v",
            "Incorrect operand type for operator or function; operator: ADD, operand type: STRING",
            id="add-string",
        ),
        pytest.param(
            "SET a = nope(b)",
            "Invalid function name; function: nope",
            id="unknown-function",
        ),
    ],
)
async def test_update_expression_rules(
    ddb: Any, backend: Backend, hash_table: str, expression: str, message: str
) -> None:
    await refused(
        backend,
        ddb.update_item(
            TableName=hash_table,
            Key={"pk": A},
            UpdateExpression=expression,
            ExpressionAttributeValues={":v": A},
        ),
        V,
        ENVELOPE + "Invalid UpdateExpression: " + message,
    )


async def test_condition_syntax_error(ddb: Any, backend: Backend, hash_table: str) -> None:
    await refused(
        backend,
        ddb.delete_item(TableName=hash_table, Key={"pk": A}, ConditionExpression="a = = b"),
        V,
        ENVELOPE + 'Invalid ConditionExpression: Syntax error; token: "=", near: "= = b"',
    )


async def test_redundant_parentheses(ddb: Any, backend: Backend, hash_table: str) -> None:
    await refused(
        backend,
        ddb.put_item(
            TableName=hash_table,
            Item={"pk": A},
            ConditionExpression="((attribute_not_exists(pk)))",
        ),
        V,
        ENVELOPE + "Invalid ConditionExpression: The expression has redundant parentheses;",
    )
