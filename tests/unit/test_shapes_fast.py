"""The strict layer's compiled shape check answers exactly as the shape walk does."""

from __future__ import annotations

from typing import Any

import pytest

from aiodynamodb.testing._shapes import _input_shape, _problem, serialization_problem

ITEM = {
    "pk": {"S": "a"},
    "n": {"N": "1"},
    "b": {"B": "AAE="},
    "l": {"L": [{"S": "x"}, {"M": {"deep": {"NS": ["1", "2"]}}}]},
    "m": {"M": {"flag": {"BOOL": True}, "none": {"NULL": True}}},
}

BODIES: list[tuple[str, Any]] = [
    ("PutItem", {"TableName": "t", "Item": ITEM}),
    ("PutItem", {"TableName": "t", "Item": ITEM, "Unknown": 5}),
    ("PutItem", {"TableName": 5, "Item": ITEM}),
    ("PutItem", {"TableName": "t", "Item": 5}),
    ("PutItem", {"TableName": "t", "Item": {"a": {"S": 1}}}),
    ("PutItem", {"TableName": "t", "Item": {"a": {"BOOL": "yes"}}}),
    ("PutItem", {"TableName": "t", "Item": {"a": {"L": {"S": "x"}}}}),
    ("PutItem", {"TableName": "t", "Item": {"a": {"M": {"b": {"SS": [1]}}}}}),
    ("PutItem", {"TableName": "t", "Item": {"a": {"S": "x", "N": 3}}}),
    ("PutItem", {"TableName": "t", "Item": {"a": {"S": None}}}),
    ("Query", {"TableName": "t", "Limit": "5"}),
    ("Query", {"TableName": "t", "Limit": True}),
    ("Query", {"TableName": "t", "Limit": 5, "ScanIndexForward": 0}),
    ("Query", {"TableName": "t", "ExclusiveStartKey": {"pk": {"S": "a"}}, "Limit": 5}),
    ("Scan", {"TableName": "t", "Segment": 1.5, "TotalSegments": 2}),
    ("BatchWriteItem", {"RequestItems": {"t": [{"PutRequest": {"Item": {"a": {"N": 1}}}}]}}),
    ("BatchWriteItem", {"RequestItems": {"t": [{"PutRequest": {"Item": ITEM}}]}}),
    ("TransactWriteItems", {"TransactItems": [{"Put": {"TableName": "t", "Item": []}}]}),
    ("CreateTable", {"TableName": "t", "ProvisionedThroughput": {"ReadCapacityUnits": 1.5}}),
    ("NoSuchOperation", {"anything": 1}),
]


@pytest.mark.parametrize(("operation", "body"), BODIES)
def test_compiled_check_answers_as_the_walk(operation: str, body: Any) -> None:
    shape = _input_shape(operation)
    expected = None if shape is None else _problem(shape, body)
    assert serialization_problem(operation, body) == expected


def test_the_cases_cover_both_answers() -> None:
    answers = [serialization_problem(operation, body) for operation, body in BODIES]
    assert answers.count(None) >= 5
    assert "NUMBER_VALUE cannot be converted to String" in answers
