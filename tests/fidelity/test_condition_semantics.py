"""Conditions and filters evaluated as DynamoDB does: a missing attribute or a mismatched type
is false (never an error), begins_with/contains on binary values, and the limits of one
expression (IN operands, 4 KB, operators, nesting), ReturnValuesOnConditionCheckFailure.

Expected answers: AWS's "Comparison operator and function reference" and ScyllaDB Alternator's
test_condition_expression.py, test_filter_expression.py and test_limits.py (run on DynamoDB).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.fidelity.helpers import ENVELOPE, Backend, refused

V = "ValidationException"
CCF = "ConditionalCheckFailedException"
ITEM = {
    "pk": {"S": "p"},
    "s": {"S": "hello"},
    "n": {"N": "5"},
    "b": {"B": b"hi there"},
    "bs": {"BS": [b"one", b"two"]},
    "t": {"BOOL": True},
    "z": {"NULL": True},
    "l": {"L": [{"N": "1"}, {"S": "x"}]},
    "m": {"M": {"k": {"N": "1"}}},
}
DYNALITE_TYPES = "dynalite compares values of different types with JavaScript's operators"


async def _put_if(ddb: Any, table: str, condition: str, values: dict[str, Any]) -> Any:
    params: dict[str, Any] = {
        "TableName": table,
        "Item": {"pk": {"S": "p"}, "w": {"S": "written"}},
        "ConditionExpression": condition,
    }
    if values:
        params["ExpressionAttributeValues"] = values
    return await ddb.put_item(**params)


FALSE_CONDITIONS = [
    ("s < :v", {":v": {"N": "3"}}),
    ("n >= :v", {":v": {"S": "3"}}),
    ("s BETWEEN :a AND :b", {":a": {"N": "1"}, ":b": {"N": "9"}}),
    ("l < :v", {":v": {"N": "3"}}),
    ("q < :v", {":v": {"N": "3"}}),
    ("n IN (:a, :b)", {":a": {"S": "5"}, ":b": {"B": b"5"}}),
    ("size(q) = :v", {":v": {"N": "0"}}),
    ("size(n) = :v", {":v": {"N": "1"}}),
    ("size(t) = :v", {":v": {"N": "1"}}),
    ("size(z) = :v", {":v": {"N": "1"}}),
    ("size(s) = :v", {":v": {"S": "5"}}),
    ("begins_with(n, :v)", {":v": {"S": "5"}}),
    ("begins_with(q, :v)", {":v": {"S": "x"}}),
    ("begins_with(b, :v)", {":v": {"S": "hi"}}),
    ("contains(n, :v)", {":v": {"N": "5"}}),
    ("contains(bs, :v)", {":v": {"S": "one"}}),
    ("contains(s, :v)", {":v": {"N": "1"}}),
]


@pytest.mark.parametrize(
    ("condition", "values"), FALSE_CONDITIONS, ids=[c for c, _ in FALSE_CONDITIONS]
)
@pytest.mark.not_on_dynalite(DYNALITE_TYPES)
async def test_mismatched_type_or_missing_attribute_is_false(
    ddb: Any, backend: Backend, hash_table: str, condition: str, values: dict[str, Any]
) -> None:
    await ddb.put_item(TableName=hash_table, Item=ITEM)
    await refused(backend, _put_if(ddb, hash_table, condition, values), CCF)
    stored = await ddb.get_item(TableName=hash_table, Key={"pk": {"S": "p"}})
    assert stored["Item"]["s"] == {"S": "hello"}


TRUE_CONDITIONS = [
    ("size(s) = :v", {":v": {"N": "5"}}),
    ("size(b) = :v", {":v": {"N": "8"}}),
    ("size(l) = :v AND size(m) = :w", {":v": {"N": "2"}, ":w": {"N": "1"}}),
    ("q <> :v", {":v": {"N": "3"}}),
    ("n <> :v", {":v": {"S": "5"}}),
    ("n IN (:a, :b)", {":a": {"S": "5"}, ":b": {"N": "5.0"}}),
    ("s BETWEEN :a AND :b", {":a": {"S": "a"}, ":b": {"S": "z"}}),
    ("contains(l, :v)", {":v": {"S": "x"}}),
    ("attribute_type(z, :v)", {":v": {"S": "NULL"}}),
]


@pytest.mark.parametrize(
    ("condition", "values"), TRUE_CONDITIONS, ids=[c for c, _ in TRUE_CONDITIONS]
)
async def test_conditions_that_hold(
    ddb: Any, hash_table: str, condition: str, values: dict[str, Any]
) -> None:
    await ddb.put_item(TableName=hash_table, Item=ITEM)
    await _put_if(ddb, hash_table, condition, values)
    stored = await ddb.get_item(TableName=hash_table, Key={"pk": {"S": "p"}})
    assert stored["Item"]["w"] == {"S": "written"}


BINARY = [
    ("begins_with(b, :v)", {":v": {"B": b"hi"}}, True),
    ("begins_with(b, :v)", {":v": {"B": b"there"}}, False),
    ("contains(b, :v)", {":v": {"B": b"there"}}, True),
    ("contains(b, :v)", {":v": {"B": b"bye"}}, False),
    ("contains(bs, :v)", {":v": {"B": b"two"}}, True),
    ("contains(bs, :v)", {":v": {"B": b"six"}}, False),
]


@pytest.mark.parametrize(
    ("condition", "values", "holds"),
    BINARY,
    ids=[f"{c}-{next(iter(v.values()))['B']!r}" for c, v, _ in BINARY],
)
async def test_begins_with_and_contains_on_binary(
    ddb: Any,
    backend: Backend,
    hash_table: str,
    condition: str,
    values: dict[str, Any],
    holds: bool,
) -> None:
    await ddb.put_item(TableName=hash_table, Item=ITEM)
    if holds:
        await _put_if(ddb, hash_table, condition, values)
    else:
        await refused(backend, _put_if(ddb, hash_table, condition, values), CCF)


async def test_a_constant_of_the_wrong_type_is_refused(
    ddb: Any, backend: Backend, hash_table: str
) -> None:
    # The one ValidationException: the wrong type is a value inside the expression.
    await refused(
        backend,
        _put_if(ddb, hash_table, "begins_with(s, :v)", {":v": {"N": "1"}}),
        V,
        ENVELOPE + "Invalid ConditionExpression: Incorrect operand type for operator or "
        "function; operator or function: begins_with, operand type: N",
    )


@pytest.mark.not_on_dynalite(DYNALITE_TYPES)
async def test_filter_skips_items_a_function_cannot_apply_to(ddb: Any, hash_table: str) -> None:
    await ddb.put_item(TableName=hash_table, Item=ITEM)
    await ddb.put_item(TableName=hash_table, Item={"pk": {"S": "q"}, "s": {"S": "ab"}})
    await ddb.put_item(TableName=hash_table, Item={"pk": {"S": "r"}, "s": {"N": "12"}})
    page = await ddb.scan(
        TableName=hash_table,
        FilterExpression="size(s) < :v",
        ExpressionAttributeValues={":v": {"N": "3"}},
    )
    assert [item["pk"]["S"] for item in page["Items"]] == ["q"]
    assert page["ScannedCount"] == 3
    page = await ddb.scan(
        TableName=hash_table,
        FilterExpression="t > :v OR size(q) > :v",
        ExpressionAttributeValues={":v": {"N": "0"}},
    )
    assert page["Count"] == 0
    assert page["ScannedCount"] == 3


async def test_filter_on_binary(ddb: Any, hash_table: str) -> None:
    await ddb.put_item(TableName=hash_table, Item=ITEM)
    page = await ddb.scan(
        TableName=hash_table,
        FilterExpression="contains(b, :v)",
        ExpressionAttributeValues={":v": {"B": b" th"}},
    )
    assert page["Count"] == 1


def _in(count: int) -> tuple[str, dict[str, Any]]:
    values = {f":v{i}": {"N": str(i)} for i in range(count)}
    return "n IN (" + ", ".join(values) + ")", values


@pytest.mark.not_on_dynalite("dynalite does not limit the operands of IN")
async def test_in_takes_at_most_100_operands(ddb: Any, backend: Backend, hash_table: str) -> None:
    await ddb.put_item(TableName=hash_table, Item=ITEM)
    condition, values = _in(99)  # with n, 100 operands: DynamoDB's limit
    await _put_if(ddb, hash_table, condition, values)
    condition, values = _in(100)
    await refused(
        backend,
        _put_if(ddb, hash_table, condition, values),
        V,
        ENVELOPE + "Invalid ConditionExpression: The IN operator is provided with too many "
        "operands; number of operands: 101",
    )
    params: dict[str, Any] = {
        "TableName": hash_table,
        "FilterExpression": condition,
        "ExpressionAttributeValues": values,
    }
    await refused(
        backend,
        ddb.scan(**params),
        V,
        "Invalid FilterExpression: The IN operator is provided with too many operands; "
        "number of operands: 101",
    )


@pytest.mark.not_on_dynalite("dynalite does not limit the size of an expression")
async def test_expression_over_4_kb_is_refused_before_parsing(
    ddb: Any, backend: Backend, hash_table: str
) -> None:
    condition = "(" * 4097  # not even valid: the size is checked first
    await refused(
        backend,
        _put_if(ddb, hash_table, condition, {}),
        V,
        ENVELOPE + "Invalid ConditionExpression: Expression size has exceeded the maximum "
        "allowed size; expression size: 4097",
    )
    await refused(
        backend,
        ddb.get_item(
            TableName=hash_table,
            Key={"pk": {"S": "p"}},
            ProjectionExpression=", ".join(["a"] * 2049),
        ),
        V,
        "Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size; "
        "expression size: 6145",
    )


DEEP = [
    ("a<b " + "and (a<b " * 2000 + ")" * 2000, "Expression size has exceeded"),
    ("not " * 400 + "a<b", "The expression contains too many operators; operator count: 401"),
    ("(" * 1000 + "a<b" + ")" * 1000, "The expression has redundant parentheses;"),
    ("(" * 4096, "Syntax error"),
]


@pytest.mark.parametrize(("condition", "message"), DEEP, ids=["long", "nots", "parens", "open"])
@pytest.mark.not_on_dynalite("dynalite has no expression size or operator limits")
async def test_deep_expressions_are_validation_errors(
    ddb: Any, backend: Backend, hash_table: str, condition: str, message: str
) -> None:
    error = await refused(backend, _put_if(ddb, hash_table, condition, {}), V)
    if backend.is_memory:
        assert message in error.response["Error"]["Message"]


@pytest.mark.not_on_dynalite("dynalite's expression parser does not answer 149 nested levels")
async def test_nesting_within_the_limits_works(ddb: Any, hash_table: str) -> None:
    await ddb.put_item(
        TableName=hash_table, Item={"pk": {"S": "p"}, "a": {"N": "1"}, "b": {"N": "2"}}
    )
    depth = 149  # 299 operators: DynamoDB accepts it (Alternator's test_limits.py)
    await _put_if(ddb, hash_table, "a<b " + "or (a<b " * depth + ")" * depth, {})


@pytest.mark.parametrize("value", ["ALL_NEW", "all_old", "UPDATED_OLD"])
@pytest.mark.not_on_dynalite("dynalite predates ReturnValuesOnConditionCheckFailure")
async def test_return_values_on_condition_check_failure_takes_none_or_all_old(
    ddb: Any, backend: Backend, hash_table: str, value: str
) -> None:
    await refused(
        backend,
        ddb.delete_item(
            TableName=hash_table,
            Key={"pk": {"S": "p"}},
            ConditionExpression="attribute_exists(pk)",
            ReturnValuesOnConditionCheckFailure=value,
        ),
        V,
        ENVELOPE + f"Value '{value}' at 'returnValuesOnConditionCheckFailure' failed to satisfy "
        "constraint: Member must satisfy enum value set: [ALL_OLD, NONE]",
    )


@pytest.mark.not_on_dynalite("dynalite predates ReturnValuesOnConditionCheckFailure")
async def test_all_old_returns_the_item_with_the_failure(
    ddb: Any, backend: Backend, hash_table: str
) -> None:
    await ddb.put_item(TableName=hash_table, Item=ITEM)
    key = {"pk": {"S": "p"}}
    common: dict[str, Any] = {
        "ConditionExpression": "s < :v",
        "ExpressionAttributeValues": {":v": {"N": "1"}},
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }
    calls = [
        ddb.put_item(TableName=hash_table, Item=key, **common),
        ddb.delete_item(TableName=hash_table, Key=key, **common),
        ddb.update_item(
            TableName=hash_table,
            Key=key,
            UpdateExpression="SET w = :v",
            **common,
        ),
    ]
    for call in calls:
        error = await refused(backend, call, CCF)
        assert error.response["Item"] == ITEM
    error = await refused(
        backend,
        ddb.transact_write_items(
            TransactItems=[
                {"ConditionCheck": {"TableName": hash_table, "Key": key, **common}},
            ]
        ),
        "TransactionCanceledException",
    )
    reasons = error.response["CancellationReasons"]
    assert reasons[0]["Code"] == "ConditionalCheckFailed"
    assert reasons[0]["Item"] == ITEM
    # No old item: no Item in the failure.
    error = await refused(
        backend,
        ddb.delete_item(
            TableName=hash_table,
            Key={"pk": {"S": "absent"}},
            ConditionExpression="attribute_exists(pk)",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        ),
        CCF,
    )
    assert "Item" not in error.response
