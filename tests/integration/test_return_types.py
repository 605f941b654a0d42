"""What the item operations return at run time is what their typed overloads declare.

tests/typing/update_types.py and tests/typing/mixed_model_types.py check the declared types
with mypy; these tests check, against a real backend, that the values match them.
"""

from __future__ import annotations

import pytest

from aiodynamodb import DynamoDB, ItemKey, UpdateAttr

from .models import Stock, User

pytestmark = pytest.mark.dynamodb_tables(User, Stock)


async def test_put_and_delete_return_none_unless_asked(dynamodb: DynamoDB) -> None:
    assert await dynamodb.put(User(user_id="u1", name="Alice")) is None
    assert await dynamodb.put(User(user_id="u1", name="Bob")) is None
    replaced = await dynamodb.put(User(user_id="u1", name="Carol"), return_values="ALL_OLD")
    assert replaced == User(user_id="u1", name="Bob")
    assert await dynamodb.put(User(user_id="u2", name="New"), return_values="ALL_OLD") is None
    assert await dynamodb.delete(User, hash_key="u2") is None
    assert await dynamodb.delete(User, hash_key="u1", return_values="ALL_OLD") == User(
        user_id="u1", name="Carol"
    )
    assert await dynamodb.delete(User, hash_key="u1", return_values="ALL_OLD") is None


async def test_update_return_values_on_a_new_item(dynamodb: DynamoDB) -> None:
    def visit() -> list[UpdateAttr]:
        return [UpdateAttr("name").set("Ann"), UpdateAttr("visits").add(1)]

    assert await dynamodb.update(User, hash_key="n1", update_expression=visit()) is None
    # ALL_NEW is typed as the model, never None: the item exists after any update.
    created = await dynamodb.update(
        User, hash_key="n2", update_expression=visit(), return_values="ALL_NEW"
    )
    assert created == User(user_id="n2", name="Ann", visits=1)
    for returned in ("ALL_OLD", "UPDATED_OLD"):
        nothing_before = await dynamodb.update(
            User, hash_key=f"new-{returned}", update_expression=visit(), return_values=returned
        )
        assert nothing_before is None


async def test_update_return_values_on_an_existing_item(dynamodb: DynamoDB) -> None:
    await dynamodb.put(User(user_id="u1", name="Alice", email="a@x", visits=1))
    old = await dynamodb.update(
        User,
        hash_key="u1",
        update_expression=[UpdateAttr("visits").add(1)],
        return_values="ALL_OLD",
    )
    assert old == User(user_id="u1", name="Alice", email="a@x", visits=1)
    before = await dynamodb.update(
        User,
        hash_key="u1",
        update_expression=[UpdateAttr("visits").add(1), UpdateAttr("email").remove()],
        return_values="UPDATED_OLD",
    )
    assert before == {"visits": 2, "email": "a@x"}
    # Only a REMOVE: no attribute has a new value, so UPDATED_NEW has nothing to return.
    await dynamodb.put(User(user_id="u2", name="Bob", email="b@x"))
    removed = await dynamodb.update(
        User,
        hash_key="u2",
        update_expression=[UpdateAttr("email").remove()],
        return_values="UPDATED_NEW",
    )
    assert removed is None


@pytest.mark.not_on_dynalite("dynalite implements no TransactGetItems")
async def test_transact_get_returns_a_tuple_by_position(dynamodb: DynamoDB) -> None:
    await dynamodb.put(User(user_id="u1", name="Alice"))
    await dynamodb.put(Stock(sku="s1", left=3))
    got = await dynamodb.transact_get(
        ItemKey(Stock, "s1"), ItemKey(User, "missing"), ItemKey(User, "u1")
    )
    assert got == (Stock(sku="s1", left=3), None, User(user_id="u1", name="Alice"))
    stock, missing, user = got
    assert (stock.left if stock else None, missing, user.name if user else None) == (
        3,
        None,
        "Alice",
    )


async def test_batch_get_of_two_models_keeps_key_order(dynamodb: DynamoDB) -> None:
    await dynamodb.put(User(user_id="u1", name="Alice"))
    await dynamodb.put(Stock(sku="s1", left=3))
    found = await dynamodb.batch_get(
        [ItemKey(Stock, "s1"), ItemKey(User, "gone"), ItemKey(User, "u1")]
    )
    assert found == [Stock(sku="s1", left=3), User(user_id="u1", name="Alice")]
    assert [u.name for u in found if isinstance(u, User)] == ["Alice"]
