"""UpdateItem as DynamoDB applies it: returned paths, invalid paths, arithmetic, list indexes.

Expected answers come from DynamoDB's documentation (the UpdateExpression and ReturnValues
pages) and from public suites run against DynamoDB: ScyllaDB Alternator's
``test/alternator/test_update_expression.py``, ``test_returnvalues.py``, ``test_number.py``,
``test_nested.py`` and dynalite's ``test/updateItem.js``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.fidelity.helpers import Backend, refused

V = "ValidationException"
INVALID_PATH = "The document path provided in the update expression is invalid for update"
MISSING_OPERAND = "The provided expression refers to an attribute that does not exist in the item"
WRONG_TYPE = "An operand in the update expression has an incorrect data type"
OVERFLOW = (
    "Number overflow. Attempting to store a number with magnitude larger than supported range"
)
UNDERFLOW = (
    "Number underflow. Attempting to store a number with magnitude smaller than supported range"
)
NESTING = (
    "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "
    "beyond supported limit"
)
KEY = {"pk": {"S": "k"}}


def S(text: str) -> dict[str, str]:
    return {"S": text}


def N(text: str) -> dict[str, str]:
    return {"N": text}


def L(*members: Any) -> dict[str, Any]:
    return {"L": list(members)}


async def update(ddb: Any, table: str, expression: str | None = None, **extra: Any) -> Any:
    params: dict[str, Any] = {"TableName": table, "Key": KEY, **extra}
    if expression is not None:
        params["UpdateExpression"] = expression
    return await ddb.update_item(**params)


async def item(ddb: Any, table: str) -> dict[str, Any] | None:
    answer = await ddb.get_item(TableName=table, Key=KEY, ConsistentRead=True)
    found: dict[str, Any] | None = answer.get("Item")
    return found


async def put(ddb: Any, table: str, **attributes: Any) -> None:
    await ddb.put_item(TableName=table, Item={**KEY, **attributes})


# -- ReturnValues ---------------------------------------------------------------------------


async def test_updated_old_and_new_hold_only_the_nested_paths(ddb: Any, hash_table: str) -> None:
    # Alternator's test_update_item_returnvalues_nested, step by step.
    await put(ddb, hash_table, a={"M": {"b": S("dog"), "c": L(N("1"), N("2"), N("3"))}})
    values = {":v": S("hi"), ":n": N("7")}
    answer = await update(
        ddb,
        hash_table,
        "SET a.b = :v, a.c[1] = :n",
        ReturnValues="UPDATED_OLD",
        ExpressionAttributeValues=values,
    )
    assert answer["Attributes"] == {"a": {"M": {"b": S("dog"), "c": L(N("2"))}}}
    answer = await update(
        ddb,
        hash_table,
        "SET a.c[1] = :n",
        ReturnValues="UPDATED_NEW",
        ExpressionAttributeValues={":n": N("4")},
    )
    assert answer["Attributes"] == {"a": {"M": {"c": L(N("4"))}}}
    # Only the element that existed is returned.
    answer = await update(ddb, hash_table, "REMOVE a.c[1], a.c[3]", ReturnValues="UPDATED_OLD")
    assert answer["Attributes"] == {"a": {"M": {"c": L(N("4"))}}}
    assert (await item(ddb, hash_table)) == {
        **KEY,
        "a": {"M": {"b": S("hi"), "c": L(N("1"), N("3"))}},
    }


@pytest.mark.not_on_dynalite("dynalite answers an empty Attributes map")
async def test_new_member_has_no_old_value(ddb: Any, hash_table: str) -> None:
    await put(ddb, hash_table, a={"M": {"b": S("dog")}})
    values = {":v": N("8")}
    answer = await update(
        ddb,
        hash_table,
        "SET a.x1 = :v",
        ReturnValues="UPDATED_OLD",
        ExpressionAttributeValues=values,
    )
    assert "Attributes" not in answer
    answer = await update(
        ddb,
        hash_table,
        "SET a.x2 = :v",
        ReturnValues="UPDATED_NEW",
        ExpressionAttributeValues=values,
    )
    assert answer["Attributes"] == {"a": {"M": {"x2": N("8")}}}


@pytest.mark.not_on_dynalite("dynalite answers an empty Attributes map")
async def test_list_element_quirks(ddb: Any, hash_table: str) -> None:
    # Set past the end: appended, and UPDATED_NEW returns nothing; remove an element:
    # UPDATED_NEW returns the element now at that index (Alternator, run on DynamoDB).
    await put(ddb, hash_table, c=L(N("1"), N("2"), N("3")))
    answer = await update(
        ddb,
        hash_table,
        "SET c[100] = :v",
        ReturnValues="UPDATED_NEW",
        ExpressionAttributeValues={":v": N("70")},
    )
    assert "Attributes" not in answer
    answer = await update(ddb, hash_table, "REMOVE c[1]", ReturnValues="UPDATED_NEW")
    assert answer["Attributes"] == {"c": L(N("3"))}
    assert (await item(ddb, hash_table)) == {**KEY, "c": L(N("1"), N("3"), N("70"))}


async def test_top_level_updated_values(ddb: Any, hash_table: str) -> None:
    await put(ddb, hash_table, a=S("hi"), b=S("dog"))
    values = {":v": S("hi"), ":w": S("new")}
    answer = await update(
        ddb,
        hash_table,
        "SET a = :v, c = :w REMOVE b",
        ReturnValues="UPDATED_OLD",
        ExpressionAttributeValues=values,
    )
    # Rewriting the same value still counts; c did not exist before.
    assert answer["Attributes"] == {"a": S("hi"), "b": S("dog")}
    answer = await update(
        ddb,
        hash_table,
        "SET a = :v, d = :w",
        ReturnValues="UPDATED_NEW",
        ExpressionAttributeValues=values,
    )
    assert answer["Attributes"] == {"a": S("hi"), "d": S("new")}  # never the key


@pytest.mark.not_on_dynalite("dynalite answers an empty Attributes map")
async def test_nothing_to_return_means_no_attributes(ddb: Any, hash_table: str) -> None:
    await put(ddb, hash_table, a=S("x"))
    answer = await update(ddb, hash_table, "REMOVE a", ReturnValues="UPDATED_NEW")
    assert "Attributes" not in answer
    answer = await update(
        ddb,
        hash_table,
        "SET fresh = :v",
        ReturnValues="UPDATED_OLD",
        ExpressionAttributeValues={":v": S("y")},
    )
    assert "Attributes" not in answer


# -- Invalid paths --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "values"),
    [
        pytest.param("SET s.c = :v", {":v": S("x")}, id="set-member-of-scalar"),
        pytest.param("SET l.c = :v", {":v": S("x")}, id="set-member-of-list"),
        pytest.param("SET nope.c = :v", {":v": S("x")}, id="set-member-of-missing"),
        pytest.param("SET s[0] = :v", {":v": S("x")}, id="set-index-of-scalar"),
        pytest.param("SET m[0] = :v", {":v": S("x")}, id="set-index-of-map"),
        pytest.param("SET nope[0] = :v", {":v": S("x")}, id="set-index-of-missing"),
        pytest.param("REMOVE s.c", None, id="remove-member-of-scalar"),
        pytest.param("REMOVE l.c", None, id="remove-member-of-list"),
        pytest.param("REMOVE nope.c", None, id="remove-member-of-missing"),
        pytest.param("REMOVE s[0]", None, id="remove-index-of-scalar"),
        pytest.param("ADD s.c :n", {":n": N("1")}, id="add-member-of-scalar"),
        pytest.param("ADD m[0] :n", {":n": N("1")}, id="add-index-of-map"),
        pytest.param("DELETE l.c :ss", {":ss": {"SS": ["a"]}}, id="delete-member-of-list"),
        pytest.param("DELETE nope[0] :ss", {":ss": {"SS": ["a"]}}, id="delete-index-of-missing"),
    ],
)
async def test_path_through_a_wrong_type_is_refused(
    ddb: Any, backend: Backend, hash_table: str, expression: str, values: Any
) -> None:
    await put(ddb, hash_table, s=S("hello"), l=L(S("hi")), m={"M": {"0": S("zero")}})
    extra = {"ExpressionAttributeValues": values} if values else {}
    await refused(backend, update(ddb, hash_table, expression, **extra), V, INVALID_PATH)
    assert (await item(ddb, hash_table)) == {
        **KEY,
        "s": S("hello"),
        "l": L(S("hi")),
        "m": {"M": {"0": S("zero")}},
    }


async def test_nested_set_on_a_missing_item_is_refused(
    ddb: Any, backend: Backend, hash_table: str
) -> None:
    call = update(ddb, hash_table, "SET b.a = :v", ExpressionAttributeValues={":v": S("x")})
    await refused(backend, call, V, INVALID_PATH)
    assert await item(ddb, hash_table) is None


@pytest.mark.parametrize(
    "expression",
    [
        pytest.param("REMOVE m.absent", id="missing-member-of-map"),
        pytest.param("REMOVE l[7]", id="past-the-end"),
        pytest.param("REMOVE absent", id="missing-attribute"),
    ],
)
async def test_removing_what_is_not_there_is_a_no_op(
    ddb: Any, hash_table: str, expression: str
) -> None:
    await put(ddb, hash_table, l=L(S("hi")), m={"M": {"k": S("v")}})
    await update(ddb, hash_table, expression)
    assert (await item(ddb, hash_table)) == {**KEY, "l": L(S("hi")), "m": {"M": {"k": S("v")}}}


@pytest.mark.not_on_dynalite("dynalite refuses a nested REMOVE on a missing item")
async def test_nested_remove_on_a_missing_item_is_a_no_op(ddb: Any, hash_table: str) -> None:
    answer = await update(ddb, hash_table, "REMOVE x.y, z[0]", ReturnValues="ALL_NEW")
    assert "Attributes" not in answer
    assert await item(ddb, hash_table) is None


async def test_the_condition_is_checked_first(ddb: Any, backend: Backend, hash_table: str) -> None:
    await put(ddb, hash_table, s=S("hello"))
    call = update(
        ddb,
        hash_table,
        "SET s.c = :v",
        ConditionExpression="attribute_not_exists(s)",
        ExpressionAttributeValues={":v": S("x")},
    )
    await refused(backend, call, "ConditionalCheckFailedException")
    call = update(
        ddb,
        hash_table,
        "SET s.c = :v",
        ConditionExpression="attribute_exists(s)",
        ExpressionAttributeValues={":v": S("x")},
    )
    await refused(backend, call, V, INVALID_PATH)
    assert (await item(ddb, hash_table)) == {**KEY, "s": S("hello")}


@pytest.mark.parametrize(
    "expression",
    [
        pytest.param("SET e = s + :n", id="plus-string"),
        pytest.param("ADD ns :n", id="add-number-to-number-set"),
        pytest.param("DELETE m :ns", id="delete-from-map"),
        pytest.param("SET e = list_append(ns, :l)", id="list-append-number-set"),
    ],
)
async def test_operand_of_the_wrong_type(
    ddb: Any, backend: Backend, hash_table: str, expression: str
) -> None:
    await put(ddb, hash_table, s=S("a"), ns={"NS": ["1"]}, m={"M": {"a": S("b")}})
    values = {":n": N("1"), ":ns": {"NS": ["1"]}, ":l": L()}
    used = {k: v for k, v in values.items() if re.search(k + r"\b", expression)}
    call = update(ddb, hash_table, expression, ExpressionAttributeValues=used)
    await refused(backend, call, V, WRONG_TYPE)


@pytest.mark.parametrize(
    "expression",
    [
        pytest.param("SET q = list_append(q, :l)", id="first"),
        pytest.param("SET q = list_append(:l, q)", id="second"),
        pytest.param("SET q = absent", id="plain"),
        pytest.param("SET q = m.absent", id="nested"),
    ],
)
async def test_operand_that_does_not_exist(
    ddb: Any, backend: Backend, hash_table: str, expression: str
) -> None:
    await put(ddb, hash_table, m={"M": {}})
    extra = {"ExpressionAttributeValues": {":l": L()}} if ":l" in expression else {}
    await refused(backend, update(ddb, hash_table, expression, **extra), V, MISSING_OPERAND)


# -- Numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "left", "right", "message"),
    [
        pytest.param("SET b = :x + :y", "9e125", "9e125", OVERFLOW, id="plus"),
        pytest.param("SET b = :x - :y", "9e125", "-9e125", OVERFLOW, id="minus"),
        pytest.param("SET b = :x - :y", "-9e125", "9e125", OVERFLOW, id="negative"),
        pytest.param("SET b = :x + :y", "1e50", "1", OVERFLOW, id="39-digits"),
        pytest.param("SET b = :x - :y", "2e-130", "1.5e-130", UNDERFLOW, id="underflow"),
    ],
)
@pytest.mark.not_on_dynalite("dynalite computes with JavaScript's big.js and does not refuse")
async def test_arithmetic_out_of_range(
    ddb: Any,
    backend: Backend,
    hash_table: str,
    expression: str,
    left: str,
    right: str,
    message: str,
) -> None:
    values = {":x": N(left), ":y": N(right)}
    call = update(ddb, hash_table, expression, ExpressionAttributeValues=values)
    await refused(backend, call, V, message)
    assert await item(ddb, hash_table) is None


@pytest.mark.not_on_dynalite("dynalite does not check ADD results against the number range")
async def test_add_overflow(ddb: Any, backend: Backend, hash_table: str) -> None:
    await put(ddb, hash_table, n=N("9e125"))
    call = update(ddb, hash_table, "ADD n :v", ExpressionAttributeValues={":v": N("9e125")})
    await refused(backend, call, V, OVERFLOW)
    assert (await item(ddb, hash_table)) == {**KEY, "n": N("900" + "0" * 123)}


async def test_arithmetic_with_exponent_notation(ddb: Any, hash_table: str) -> None:
    await put(ddb, hash_table, n=N("1e2"))
    await update(ddb, hash_table, "ADD n :v", ExpressionAttributeValues={":v": N("1e2")})
    values = {":x": N("9e125"), ":y": N("9e124"), ":one": N("1")}
    await update(ddb, hash_table, "SET b = :x + :y, c = n - :one", ExpressionAttributeValues=values)
    found = await item(ddb, hash_table)
    assert found is not None
    assert found["n"] == N("200")
    assert found["b"] == N("99" + "0" * 124)
    assert found["c"] == N("199")


@pytest.mark.parametrize("zero", ["-0", "-0.0", "-0e5"])
async def test_negative_zero_reads_back_as_zero(ddb: Any, hash_table: str, zero: str) -> None:
    await put(ddb, hash_table, p=N(zero))
    answer = await update(
        ddb,
        hash_table,
        "SET u = :z, d = :one - :one",
        ReturnValues="ALL_NEW",
        ExpressionAttributeValues={":z": N(zero), ":one": N("1")},
    )
    expected = {**KEY, "p": N("0"), "u": N("0"), "d": N("0")}
    assert answer["Attributes"] == expected
    assert (await item(ddb, hash_table)) == expected


# -- Updates without actions, or only removing ----------------------------------------------


@pytest.mark.not_on_dynalite("dynalite answers an empty Attributes map")
async def test_no_update_expression_creates_the_key(ddb: Any, hash_table: str) -> None:
    answer = await update(ddb, hash_table)
    assert "Attributes" not in answer
    assert (await item(ddb, hash_table)) == KEY
    await ddb.delete_item(TableName=hash_table, Key=KEY)
    answer = await update(ddb, hash_table, ReturnValues="ALL_NEW")
    assert answer["Attributes"] == KEY
    answer = await update(ddb, hash_table, ReturnValues="UPDATED_NEW")
    assert "Attributes" not in answer


@pytest.mark.parametrize(
    ("expression", "values"),
    [
        pytest.param("REMOVE a", None, id="remove"),
        pytest.param("DELETE ss :s", {":s": {"SS": ["x"]}}, id="delete"),
        pytest.param("REMOVE a, b DELETE ss :s", {":s": {"SS": ["x"]}}, id="both"),
    ],
)
@pytest.mark.not_on_dynalite("dynalite creates the item")
async def test_only_removing_does_not_create_the_item(
    ddb: Any, hash_table: str, expression: str, values: Any
) -> None:
    extra = {"ExpressionAttributeValues": values} if values else {}
    answer = await update(ddb, hash_table, expression, ReturnValues="ALL_NEW", **extra)
    assert "Attributes" not in answer
    assert await item(ddb, hash_table) is None


# -- List indexes ---------------------------------------------------------------------------


async def test_set_past_the_end_in_index_order(ddb: Any, hash_table: str) -> None:
    # Alternator's test_nested_attribute_update_array_out_of_bounds (the developer guide:
    # "the elements are sorted in order by element number").
    await put(ddb, hash_table, a=L(S("one"), S("two")))
    values = {":a1": S("a1"), ":a2": S("a2"), ":a3": S("a3"), ":a4": S("a4")}
    await update(
        ddb,
        hash_table,
        "SET a[84] = :a1, a[37] = :a2, a[17] = :a3, a[50] = :a4",
        ExpressionAttributeValues=values,
    )
    found = await item(ddb, hash_table)
    assert found is not None
    assert found["a"] == L(S("one"), S("two"), S("a3"), S("a2"), S("a4"), S("a1"))


@pytest.mark.parametrize(
    "expression", ["REMOVE a[1] SET a[3] = :v", "SET a[3] = :v REMOVE a[1]"], ids=["rs", "sr"]
)
@pytest.mark.not_on_dynalite("dynalite applies the clauses one after the other")
async def test_indexes_refer_to_the_list_before_the_update(
    ddb: Any, hash_table: str, expression: str
) -> None:
    # Alternator's test_update_expression_nested_remove_list_item_original_number.
    await put(ddb, hash_table, a=L(*(N(str(n)) for n in (2, 3, 4, 5, 6, 7))))
    await update(ddb, hash_table, expression, ExpressionAttributeValues={":v": N("17")})
    found = await item(ddb, hash_table)
    assert found is not None
    assert found["a"] == L(*(N(str(n)) for n in (2, 4, 17, 6, 7)))


@pytest.mark.not_on_dynalite("dynalite shifts the indexes between REMOVE actions")
async def test_remove_several_indexes(ddb: Any, hash_table: str) -> None:
    await put(ddb, hash_table, a=L(*(N(str(n)) for n in range(5))))
    await update(ddb, hash_table, "REMOVE a[1], a[3]")
    found = await item(ddb, hash_table)
    assert found is not None
    assert found["a"] == L(N("0"), N("2"), N("4"))


# -- Items ----------------------------------------------------------------------------------


def nest(wraps: int) -> dict[str, Any]:
    value: dict[str, Any] = S("leaf")
    for _ in range(wraps):
        value = {"M": {"m": value}}
    return value


@pytest.mark.not_on_dynalite("dynalite has no nesting limit")
async def test_nesting_limit_is_32_levels(ddb: Any, backend: Backend, hash_table: str) -> None:
    # 31 map wraps around a scalar are 32 levels: accepted; 32 wraps are refused.
    await put(ddb, hash_table, deep=nest(31))
    error = await refused(backend, put(ddb, hash_table, deep=nest(32)), V)
    assert not backend.is_memory or error.response["Error"]["Message"].endswith(NESTING)
    values = {":v": nest(30)}
    await update(ddb, hash_table, "SET deep.m = :v", ExpressionAttributeValues=values)
    values = {":v": nest(31)}
    call = update(ddb, hash_table, "SET deep.m = :v", ExpressionAttributeValues=values)
    await refused(backend, call, V, NESTING)


async def test_binary_values_survive_an_update(ddb: Any, hash_table: str) -> None:
    await put(ddb, hash_table, b={"B": b"\x00\xff"}, bs={"BS": [b"\x01", b"\x02"]})
    await update(
        ddb, hash_table, "DELETE bs :d", ExpressionAttributeValues={":d": {"BS": [b"\x01"]}}
    )
    assert (await item(ddb, hash_table)) == {
        **KEY,
        "b": {"B": b"\x00\xff"},
        "bs": {"BS": [b"\x02"]},
    }


# -- Transactions ---------------------------------------------------------------------------


async def transact_update(ddb: Any, table: str, expression: str, **extra: Any) -> Any:
    action = {"TableName": table, "Key": KEY, "UpdateExpression": expression, **extra}
    return await ddb.transact_write_items(TransactItems=[{"Update": action}])


@pytest.mark.not_on_dynalite("dynalite has no TransactWriteItems")
async def test_transaction_update_with_an_invalid_path(
    ddb: Any, backend: Backend, hash_table: str
) -> None:
    await put(ddb, hash_table, s=S("hello"))
    call = transact_update(
        ddb, hash_table, "SET s.c = :v", ExpressionAttributeValues={":v": S("x")}
    )
    error = await refused(backend, call, "TransactionCanceledException")
    reasons = error.response["CancellationReasons"]
    assert [reason["Code"] for reason in reasons] == ["ValidationError"]
    if backend.is_memory:
        assert reasons[0]["Message"] == INVALID_PATH


@pytest.mark.not_on_dynalite("dynalite has no TransactWriteItems")
async def test_transaction_update_semantics(ddb: Any, hash_table: str) -> None:
    await put(ddb, hash_table, a=L(S("one")), n=N("1e2"))
    values = {":x": S("x"), ":y": S("y"), ":n": N("1e1")}
    await transact_update(
        ddb, hash_table, "SET a[9] = :x, a[5] = :y ADD n :n", ExpressionAttributeValues=values
    )
    assert (await item(ddb, hash_table)) == {**KEY, "a": L(S("one"), S("y"), S("x")), "n": N("110")}
    await ddb.delete_item(TableName=hash_table, Key=KEY)
    await transact_update(ddb, hash_table, "REMOVE a")
    assert await item(ddb, hash_table) is None


@pytest.mark.not_on_dynalite("dynalite has no TransactWriteItems")
async def test_transaction_update_condition_fails(
    ddb: Any, backend: Backend, hash_table: str
) -> None:
    await put(ddb, hash_table, a=S("x"))
    call = transact_update(
        ddb,
        hash_table,
        "SET b = :v",
        ConditionExpression="attribute_not_exists(a)",
        ExpressionAttributeValues={":v": S("y")},
        ReturnValuesOnConditionCheckFailure="ALL_OLD",
    )
    error = await refused(backend, call, "TransactionCanceledException")
    reasons = error.response["CancellationReasons"]
    assert reasons[0]["Code"] == "ConditionalCheckFailed"
    assert reasons[0]["Item"] == {**KEY, "a": S("x")}
    assert (await item(ddb, hash_table)) == {**KEY, "a": S("x")}
