"""The strict rules' one walk over an item answers as the separate rules do.

``attributes_facts`` (first refused value, else the item's size) must give exactly
``value_problem``'s message and ``item_size``'s count, and ``number_facts`` exactly
``number_problem``'s message and ``number_size``'s count: the walk is a speed-up, never a
second copy of a rule.
"""

from __future__ import annotations

from typing import Any

import pytest

from aiodynamodb.errors import ValidationError
from aiodynamodb.limits import MAX_ITEM_SIZE
from aiodynamodb.rules import check_request, item_size
from aiodynamodb.rules import messages as msg
from aiodynamodb.rules._attribute_values import UNSIZED, attributes_facts, value_problem
from aiodynamodb.rules._numbers import number_facts, number_problem, number_size

NUMBERS: list[Any] = [
    "0",
    "007",
    "-0",
    "1",
    "123456",
    "1000000",
    "9.99",
    "-3.14159",
    "0010.500",
    ".5",
    "+7.",
    "1e5",
    "1.5E-3",
    "1e125",
    "1e126",
    "1e-130",
    "1e-131",
    "9" * 38,
    "9" * 39,
    "1" + "0" * 50,
    "0." + "1" * 39,
    "",
    "abc",
    ".",
    "1_000",
    "NaN",
    "\u0663",  # ARABIC-INDIC DIGIT THREE: a Unicode decimal digit
    "\u00b2",  # SUPERSCRIPT TWO: isdigit() but not a decimal digit
    5,
    None,
]


@pytest.mark.parametrize("older", [False, True], ids=["current", "older"])
@pytest.mark.parametrize("text", NUMBERS, ids=repr)
def test_number_facts_is_problem_else_size(text: Any, older: bool) -> None:
    problem = number_problem(text, older)
    expected = problem if problem is not None else number_size(text)
    assert number_facts(text, older) == expected


ITEMS: list[dict[str, Any]] = [
    {"ab": {"S": "xyz"}},
    {"é": {"S": "é"}, "n": {"N": "-3.14159"}},
    {"b": {"B": "AAEC"}, "r": {"B": b"\x00\x01\x02"}},
    {"t": {"BOOL": True}, "n": {"NULL": True}},
    {"m": {"M": {"ab": {"S": "xyz"}, "ü": {"L": [{"N": "1"}, {"S": "a"}]}}}},
    {"s": {"SS": ["a", "bc"]}, "n": {"NS": ["1", "22", "1.5"]}, "b": {"BS": [b"a", b"bc"]}},
    {"empty": {"L": []}, "nothing": {"M": {}}},
    {"ok": {"S": "a"}, "bad": {"N": "1e126"}},
    {"ok": {"S": "a"}, "bad": {"N": "abc"}, "worse": {"NULL": False}},
    {"bad": {"M": {"x": {"S": "a", "N": "1"}}}},
    {"bad": {"L": [{"S": "a"}, {}]}},
    {"bad": {"NS": ["1", "1.0"]}},
    {"bad": {"SS": ["b", "a", "b"]}},
    {"bad": {"BS": [b"a", b"a"]}},
    {"bad": {"SS": []}},
    {"bad": {"X": "a"}},
]


@pytest.mark.parametrize("older", [False, True], ids=["current", "older"])
@pytest.mark.parametrize("item", ITEMS, ids=repr)
def test_attributes_facts_is_first_problem_else_item_size(
    item: dict[str, Any], older: bool
) -> None:
    problems = [value_problem(av, older) for av in item.values()]
    refused = [problem for problem in problems if problem is not None]
    expected = refused[0] if refused else item_size(item)
    assert attributes_facts(item, older) == expected


def _nested(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {"S": "x"}
    for _ in range(levels - 1):
        value = {"L": [value]}
    return value


def test_attributes_facts_counts_nesting_like_value_problem() -> None:
    assert attributes_facts({"a": _nested(32)}, False) == item_size({"a": _nested(32)})
    assert attributes_facts({"a": _nested(33)}, False) == msg.NESTING_TOO_DEEP


def test_a_string_without_utf8_form_is_counted_as_too_large_not_raised() -> None:
    # Raising mid-walk would hide a refused value later in the item.
    assert attributes_facts({"a": {"S": "\ud800"}}, False) >= UNSIZED > MAX_ITEM_SIZE
    bad_later = {"a": {"S": "\ud800"}, "b": {"NULL": False}}
    assert attributes_facts(bad_later, False) == msg.NULL_FALSE


def test_put_item_still_refuses_return_values_before_counting_a_surrogate() -> None:
    # DynamoDB's order: values, then ReturnValues, then the 400 KB count (which cannot
    # count a lone surrogate and raises, as item_size always has).
    item = {"pk": {"S": "\ud800"}}
    params = {"TableName": "t", "Item": item, "ReturnValues": "ALL_NEW"}
    with pytest.raises(ValidationError, match="ReturnValues"):
        check_request("PutItem", params)
    with pytest.raises(UnicodeEncodeError):
        check_request("PutItem", {"TableName": "t", "Item": item})


def test_put_item_refuses_an_item_over_400_kb_once_counted() -> None:
    fits = {"pk": {"S": "k"}, "f": {"S": "x" * (MAX_ITEM_SIZE - 4)}}
    assert item_size(fits) == MAX_ITEM_SIZE
    check_request("PutItem", {"TableName": "t", "Item": fits})
    over = {"pk": {"S": "k"}, "f": {"S": "x" * (MAX_ITEM_SIZE - 3)}}
    with pytest.raises(ValidationError, match="Item size has exceeded"):
        check_request("PutItem", {"TableName": "t", "Item": over})
