"""UpdateItem's legacy ``AttributeUpdates`` as DynamoDB applies it, alone and with ``Expected``.

Expected answers come from the API reference (``AttributeValueUpdate``) and from public
suites run against DynamoDB: ScyllaDB Alternator's ``test/alternator/test_item.py`` and
``test_expected.py``, dynalite's ``test/updateItem.js`` (for the messages).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.fidelity.helpers import ENVELOPE, Backend, refused

V = "ValidationException"
MISMATCH = "Type mismatch for attribute to update"
KEY = {"pk": {"S": "k"}}


def N(text: str) -> dict[str, str]:
    return {"N": text}


async def update(ddb: Any, table: str, **updates: Any) -> Any:
    return await ddb.update_item(TableName=table, Key=KEY, AttributeUpdates=updates)


async def item(ddb: Any, table: str) -> dict[str, Any] | None:
    answer = await ddb.get_item(TableName=table, Key=KEY, ConsistentRead=True)
    found: dict[str, Any] | None = answer.get("Item")
    return found


async def put(ddb: Any, table: str, **attributes: Any) -> None:
    await ddb.put_item(TableName=table, Item={**KEY, **attributes})


async def test_add_numbers_sets_and_lists(ddb: Any, hash_table: str) -> None:
    await put(ddb, hash_table, n=N("7"), s={"NS": ["1", "2"]}, l={"L": [N("1")]})
    await update(
        ddb,
        hash_table,
        n={"Action": "ADD", "Value": N("-3.5")},
        s={"Action": "ADD", "Value": {"NS": ["2", "3"]}},
        l={"Action": "ADD", "Value": {"L": [N("1"), {"S": "x"}]}},
        fresh={"Action": "ADD", "Value": {"L": [N("9")]}},
    )
    stored = await item(ddb, hash_table)
    assert stored is not None
    assert stored["n"] == N("3.5")
    assert sorted(stored["s"]["NS"]) == ["1", "2", "3"]
    # A list is appended to, duplicates and all; a missing attribute takes the value.
    assert stored["l"] == {"L": [N("1"), N("1"), {"S": "x"}]}
    assert stored["fresh"] == {"L": [N("9")]}


@pytest.mark.parametrize(
    ("stored", "value"),
    [
        pytest.param({"SS": ["dog"]}, N("2"), id="number-to-set"),
        pytest.param({"SS": ["dog"]}, {"L": [{"S": "cat"}]}, id="list-to-set"),
        pytest.param({"L": [{"S": "dog"}]}, {"SS": ["cat"]}, id="set-to-list"),
        pytest.param(N("2"), {"L": [{"S": "dog"}]}, id="list-to-number"),
        pytest.param({"NS": ["1"]}, {"SS": ["a"]}, id="other-set-type"),
    ],
)
async def test_add_of_another_type_is_a_mismatch(
    ddb: Any, hash_table: str, backend: Backend, stored: Any, value: Any
) -> None:
    await put(ddb, hash_table, a=stored)
    adding = update(ddb, hash_table, a={"Action": "ADD", "Value": value})
    await refused(backend, adding, V, MISMATCH)
    assert (await item(ddb, hash_table)) == {**KEY, "a": stored}


@pytest.mark.parametrize(
    ("action", "value", "message"),
    [
        pytest.param("ADD", {"S": "s"}, "ADD action is not supported for the type S", id="add-s"),
        pytest.param("ADD", {"M": {}}, "ADD action is not supported for the type M", id="add-map"),
        pytest.param(
            "DELETE",
            {"L": [N("2")]},
            "DELETE action with value is not supported for the type L",
            id="delete-list",
        ),
        pytest.param(
            "DELETE",
            N("3"),
            "DELETE action with value is not supported for the type N",
            id="delete-number",
        ),
        pytest.param(
            "PUT",
            None,
            "Only DELETE action is allowed when no attribute value is specified",
            id="put-without-value",
        ),
    ],
)
async def test_action_value_types_are_checked(
    ddb: Any, hash_table: str, backend: Backend, action: str, value: Any, message: str
) -> None:
    update_spec: dict[str, Any] = {"Action": action}
    if value is not None:
        update_spec["Value"] = value
    await refused(
        backend,
        update(ddb, hash_table, a=update_spec),
        V,
        "One or more parameter values were invalid: " + message,
    )


@pytest.mark.not_on_dynalite("dynalite accepts any Action (and applies none)")
async def test_unknown_action_is_an_enum_error(ddb: Any, hash_table: str, backend: Backend) -> None:
    await refused(
        backend,
        update(ddb, hash_table, a={"Action": "NONEXISTENT", "Value": {"S": "x"}}),
        V,
        f"{ENVELOPE}Value 'NONEXISTENT' at 'attributeUpdates.a.member.action' failed to "
        "satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]",
    )


async def test_delete_members_of_a_set(ddb: Any, hash_table: str, backend: Backend) -> None:
    await put(ddb, hash_table, a={"NS": ["1", "2", "3"]}, b={"S": "x"})
    await update(ddb, hash_table, a={"Action": "DELETE", "Value": {"NS": ["2", "5"]}})
    stored = await item(ddb, hash_table)
    assert stored is not None
    assert sorted(stored["a"]["NS"]) == ["1", "3"]
    await refused(
        backend,
        update(ddb, hash_table, b={"Action": "DELETE", "Value": {"SS": ["x"]}}),
        V,
        MISMATCH,
    )
    # Deleting every member removes the attribute.
    await update(ddb, hash_table, a={"Action": "DELETE", "Value": {"NS": ["1", "3"]}})
    assert (await item(ddb, hash_table)) == {**KEY, "b": {"S": "x"}}


@pytest.mark.not_on_dynalite("dynalite creates a missing item for an update that only deletes")
async def test_only_deletes_do_not_create_a_missing_item(ddb: Any, hash_table: str) -> None:
    await update(ddb, hash_table, a={"Action": "DELETE"})
    await update(ddb, hash_table, a={"Action": "DELETE", "Value": {"SS": ["x"]}})
    assert (await item(ddb, hash_table)) is None
    # An empty AttributeUpdates creates the item with its key only.
    await update(ddb, hash_table)
    assert (await item(ddb, hash_table)) == KEY


async def test_add_creates_a_missing_item(ddb: Any, hash_table: str) -> None:
    await update(ddb, hash_table, a={"Action": "ADD", "Value": {"L": [N("1")]}})
    assert (await item(ddb, hash_table)) == {**KEY, "a": {"L": [N("1")]}}


async def test_updated_new_names_the_updated_attributes(ddb: Any, hash_table: str) -> None:
    await put(ddb, hash_table, a=N("1"), b=N("2"))
    answer = await ddb.update_item(
        TableName=hash_table,
        Key=KEY,
        AttributeUpdates={"a": {"Action": "ADD", "Value": N("4")}},
        ReturnValues="UPDATED_NEW",
    )
    assert answer["Attributes"] == {"a": N("5")}


async def test_expected_guards_attribute_updates(
    ddb: Any, hash_table: str, backend: Backend
) -> None:
    # Alternator's test_update_expected_1_*: the condition holds or not, mismatched
    # types are false rather than an error.
    await put(ddb, hash_table, a=N("1"), s={"S": "dog"})
    await ddb.update_item(
        TableName=hash_table,
        Key=KEY,
        AttributeUpdates={"b": {"Action": "PUT", "Value": N("2")}},
        Expected={"s": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "do"}]}},
    )
    await refused(
        backend,
        ddb.update_item(
            TableName=hash_table,
            Key=KEY,
            AttributeUpdates={"b": {"Action": "PUT", "Value": N("3")}},
            Expected={"s": {"ComparisonOperator": "LT", "AttributeValueList": [N("5")]}},
        ),
        "ConditionalCheckFailedException",
    )
    await refused(
        backend,
        ddb.update_item(
            TableName=hash_table,
            Key=KEY,
            AttributeUpdates={"b": {"Action": "PUT", "Value": N("3")}},
            Expected={"a": {"ComparisonOperator": "NULL"}},
        ),
        "ConditionalCheckFailedException",
    )
    assert (await item(ddb, hash_table)) == {**KEY, "a": N("1"), "s": {"S": "dog"}, "b": N("2")}


@pytest.mark.not_on_dynalite("dynalite accepts ConditionalOperator without Expected")
@pytest.mark.parametrize("expected", [None, {}], ids=["no-expected", "empty-expected"])
async def test_conditional_operator_needs_expected(
    ddb: Any, hash_table: str, backend: Backend, expected: Any
) -> None:
    params: dict[str, Any] = {
        "TableName": hash_table,
        "Key": KEY,
        "AttributeUpdates": {"z": {"Action": "PUT", "Value": N("4")}},
        "ConditionalOperator": "OR",
    }
    if expected is not None:
        params["Expected"] = expected
    await refused(
        backend,
        ddb.update_item(**params),
        V,
        "One or more parameter values were invalid: "
        "ConditionalOperator can only be used together with a non-empty Expected",
    )
    # An empty Expected alone is no condition at all.
    await ddb.update_item(**{k: v for k, v in params.items() if k != "ConditionalOperator"})
    assert (await item(ddb, hash_table)) == {**KEY, "z": N("4")}
