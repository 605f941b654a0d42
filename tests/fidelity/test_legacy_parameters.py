"""The legacy conditional parameters: Expected (with ConditionalOperator), QueryFilter,
ScanFilter, KeyConditions and AttributesToGet validation.

Expected answers: the API reference (``Condition``, ``ExpectedAttributeValue``), ScyllaDB
Alternator's test_expected.py/test_query_filter.py and dynalite's validations (both checked
against DynamoDB).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.fidelity.helpers import ENVELOPE, Backend, refused

V = "ValidationException"
CCF = "ConditionalCheckFailedException"
INVALID = "One or more parameter values were invalid: "
ITEM = {
    "pk": {"S": "p"},
    "s": {"S": "hello"},
    "n": {"N": "5"},
    "b": {"B": b"cat"},
    "ns": {"NS": ["2", "4"]},
    "l": {"L": [{"N": "1"}]},
}
DYNALITE_TYPES = "dynalite compares values of different types with JavaScript's operators"


def _expected(name: str, operator: str, *values: Any) -> dict[str, Any]:
    condition: dict[str, Any] = {"ComparisonOperator": operator}
    if values:
        condition["AttributeValueList"] = list(values)
    return {name: condition}


async def _update(ddb: Any, table: str, expected: dict[str, Any], **extra: Any) -> Any:
    return await ddb.update_item(
        TableName=table,
        Key={"pk": {"S": "p"}},
        AttributeUpdates={"w": {"Value": {"N": "1"}, "Action": "PUT"}},
        Expected=expected,
        **extra,
    )


HOLDS: list[tuple[str, str, list[Any]]] = [
    ("n", "LE", [{"N": "5"}]),
    ("s", "LT", [{"S": "world"}]),
    ("b", "GE", [{"B": b"bat"}]),
    ("q", "NE", [{"N": "1"}]),
    ("n", "NE", [{"S": "5"}]),
    ("s", "CONTAINS", [{"S": "ell"}]),
    ("ns", "CONTAINS", [{"N": "4"}]),
    ("l", "CONTAINS", [{"N": "1"}]),
    ("b", "BEGINS_WITH", [{"B": b"ca"}]),
    ("s", "NOT_CONTAINS", [{"S": "dog"}]),
    ("n", "IN", [{"N": "1"}, {"N": "5"}]),
    ("n", "BETWEEN", [{"N": "1"}, {"N": "9"}]),
    ("q", "NULL", []),
    ("s", "NOT_NULL", []),
]
FAILS: list[tuple[str, str, list[Any]]] = [
    ("n", "LE", [{"S": "9"}]),
    ("s", "GT", [{"N": "1"}]),
    ("l", "LT", [{"N": "3"}]),
    ("n", "BETWEEN", [{"S": "1"}, {"S": "9"}]),
    ("s", "CONTAINS", [{"N": "1"}]),
    ("q", "CONTAINS", [{"N": "1"}]),
    ("q", "NOT_CONTAINS", [{"N": "1"}]),  # needs the attribute, unlike NE
    ("n", "IN", [{"S": "5"}]),
    ("s", "BEGINS_WITH", [{"B": b"he"}]),
    ("s", "NULL", []),
]


def _id(case: tuple[str, str, list[Any]]) -> str:
    return f"{case[0]}-{case[1]}-{'-'.join(next(iter(v)) for v in case[2])}"


@pytest.mark.parametrize(("name", "operator", "values"), HOLDS, ids=[_id(c) for c in HOLDS])
async def test_expected_that_holds(
    ddb: Any, hash_table: str, name: str, operator: str, values: list[Any]
) -> None:
    await ddb.put_item(TableName=hash_table, Item=ITEM)
    await _update(ddb, hash_table, _expected(name, operator, *values))
    stored = await ddb.get_item(TableName=hash_table, Key={"pk": {"S": "p"}})
    assert stored["Item"]["w"] == {"N": "1"}


@pytest.mark.parametrize(("name", "operator", "values"), FAILS, ids=[_id(c) for c in FAILS])
@pytest.mark.not_on_dynalite(DYNALITE_TYPES)
async def test_expected_that_fails(
    ddb: Any, backend: Backend, hash_table: str, name: str, operator: str, values: list[Any]
) -> None:
    await ddb.put_item(TableName=hash_table, Item=ITEM)
    await refused(backend, _update(ddb, hash_table, _expected(name, operator, *values)), CCF)
    stored = await ddb.get_item(TableName=hash_table, Key={"pk": {"S": "p"}})
    assert "w" not in stored["Item"]


@pytest.mark.not_on_dynalite("dynalite's OR stops at the first condition that is false")
async def test_conditional_operator_or(ddb: Any, backend: Backend, hash_table: str) -> None:
    await ddb.put_item(TableName=hash_table, Item=ITEM)
    expected = {
        **_expected("n", "EQ", {"N": "6"}),
        **_expected("s", "EQ", {"S": "hello"}),
    }
    await refused(backend, _update(ddb, hash_table, expected), CCF)
    await _update(ddb, hash_table, expected, ConditionalOperator="OR")


async def test_exists_and_value_forms(ddb: Any, backend: Backend, hash_table: str) -> None:
    await ddb.put_item(TableName=hash_table, Item=ITEM)
    await _update(ddb, hash_table, {"s": {"Value": {"S": "hello"}}})
    await _update(ddb, hash_table, {"q": {"Exists": False}})
    await refused(backend, _update(ddb, hash_table, {"s": {"Exists": False}}), CCF)
    await refused(backend, _update(ddb, hash_table, {"q": {"Value": {"S": "x"}}}), CCF)


COUNTS = [
    ("NULL", [{"S": "x"}]),
    ("NOT_NULL", [{"S": "x"}]),
    ("BETWEEN", [{"N": "1"}]),
    ("EQ", [{"N": "1"}, {"N": "2"}]),
    ("IN", []),
]


@pytest.mark.parametrize(("operator", "values"), COUNTS, ids=[o for o, _ in COUNTS])
async def test_argument_counts_per_operator(
    ddb: Any, backend: Backend, hash_table: str, operator: str, values: list[Any]
) -> None:
    condition: dict[str, Any] = {"ComparisonOperator": operator, "AttributeValueList": values}
    message = INVALID + f"Invalid number of argument(s) for the {operator} ComparisonOperator"
    await refused(
        backend,
        ddb.scan(TableName=hash_table, ScanFilter={"a": condition}),
        V,
        message,
        exact_on_server=True,
    )
    if values or operator != "IN":
        await refused(backend, _update(ddb, hash_table, {"a": condition}), V, message)


TYPES = [("LT", {"L": [{"N": "1"}]}), ("BEGINS_WITH", {"N": "1"}), ("CONTAINS", {"BOOL": True})]


@pytest.mark.parametrize(("operator", "value"), TYPES, ids=[o for o, _ in TYPES])
async def test_value_types_per_operator(
    ddb: Any, backend: Backend, hash_table: str, operator: str, value: dict[str, Any]
) -> None:
    kind = next(iter(value))
    await refused(
        backend,
        ddb.scan(
            TableName=hash_table,
            ScanFilter={"a": {"ComparisonOperator": operator, "AttributeValueList": [value]}},
        ),
        V,
        INVALID + f"ComparisonOperator {operator} is not valid for {kind} AttributeValue type",
        exact_on_server=True,
    )


@pytest.mark.not_on_dynalite(DYNALITE_TYPES)
async def test_scan_filter_across_types_and_conditional_operator(ddb: Any, hash_table: str) -> None:
    await ddb.put_item(TableName=hash_table, Item=ITEM)
    await ddb.put_item(TableName=hash_table, Item={"pk": {"S": "q"}, "n": {"S": "7"}})
    page = await ddb.scan(
        TableName=hash_table,
        ScanFilter={"n": {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "1"}]}},
    )
    assert [item["pk"]["S"] for item in page["Items"]] == ["p"]
    page = await ddb.scan(
        TableName=hash_table,
        ScanFilter={
            "n": {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "1"}]},
            "s": {"ComparisonOperator": "NULL"},
        },
        ConditionalOperator="OR",
    )
    assert page["Count"] == 2


@pytest.mark.not_on_dynalite(DYNALITE_TYPES)
async def test_query_filter(ddb: Any, composite_table: str) -> None:
    for sk, value in (("1", {"N": "3"}), ("2", {"S": "3"}), ("3", {"N": "9"})):
        await ddb.put_item(
            TableName=composite_table, Item={"pk": {"S": "p"}, "sk": {"N": sk}, "v": value}
        )
    page = await ddb.query(
        TableName=composite_table,
        KeyConditions={"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "p"}]}},
        QueryFilter={"v": {"ComparisonOperator": "LT", "AttributeValueList": [{"N": "5"}]}},
    )
    assert [item["sk"]["N"] for item in page["Items"]] == ["1"]
    assert page["ScannedCount"] == 3


async def test_conditional_operator_enum(ddb: Any, backend: Backend, hash_table: str) -> None:
    await refused(
        backend,
        ddb.scan(
            TableName=hash_table,
            ScanFilter={"a": {"ComparisonOperator": "NULL"}},
            ConditionalOperator="XOR",
        ),
        V,
        ENVELOPE + "Value 'XOR' at 'conditionalOperator' failed to satisfy constraint: Member "
        "must satisfy enum value set: [OR, AND]",
    )


async def test_exists_with_comparison_operator(ddb: Any, backend: Backend, hash_table: str) -> None:
    await refused(
        backend,
        _update(ddb, hash_table, {"a": {"Exists": True, "ComparisonOperator": "NOT_NULL"}}),
        V,
        ENVELOPE
        + INVALID
        + "Exists and ComparisonOperator cannot be used together for Attribute: a",
    )


async def test_mixing_legacy_and_expression_parameters(
    ddb: Any, backend: Backend, hash_table: str
) -> None:
    await refused(
        backend,
        ddb.scan(
            TableName=hash_table,
            ScanFilter={"a": {"ComparisonOperator": "NULL"}},
            FilterExpression="attribute_exists(a)",
        ),
        V,
        "Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {ScanFilter} Expression parameters: {FilterExpression}",
        exact_on_server=True,
    )


async def test_attributes_to_get_empty_or_duplicate(
    ddb: Any, backend: Backend, hash_table: str
) -> None:
    await refused(
        backend,
        ddb.scan(TableName=hash_table, AttributesToGet=[]),
        V,
        ENVELOPE + "Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must "
        "have length greater than or equal to 1",
    )
    await refused(
        backend,
        ddb.scan(TableName=hash_table, AttributesToGet=["a", "a"]),
        V,
        INVALID + "Duplicate value in attribute name: a",
        exact_on_server=True,
    )
    await refused(
        backend,
        ddb.get_item(TableName=hash_table, Key={"pk": {"S": "p"}}, AttributesToGet=["a", "a"]),
        V,
        INVALID + "Duplicate value in attribute name: a",
    )


async def test_key_conditions_argument_count(
    ddb: Any, backend: Backend, composite_table: str
) -> None:
    await refused(
        backend,
        ddb.query(
            TableName=composite_table,
            KeyConditions={
                "pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "p"}]},
                "sk": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "1"}]},
            },
        ),
        V,
        INVALID + "Invalid number of argument(s) for the BETWEEN ComparisonOperator",
        exact_on_server=True,
    )
