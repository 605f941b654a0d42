"""batch_get / batch_write: any number of items, nothing lost, on every backend."""

from __future__ import annotations

import pytest

from aiodynamodb import DynamoDB, ItemKey, ValidationError

from .models import Order, User
from .test_items import order

pytestmark = pytest.mark.dynamodb_tables(User, Order)


async def test_thousand_items_round_trip(dynamodb: DynamoDB) -> None:
    users = [User(user_id=f"u{i:04d}", name=f"name {i}", visits=i) for i in range(1000)]
    await dynamodb.batch_write(puts=users)
    got = await dynamodb.batch_get([ItemKey(User, u.user_id) for u in users])
    assert got == users


async def test_several_models_and_deletes_in_one_call(dynamodb: DynamoDB) -> None:
    users = [User(user_id=f"u{i}", name="n") for i in range(30)]
    orders = [order(n) for n in range(30)]
    await dynamodb.batch_write(puts=[*users, *orders])
    await dynamodb.batch_write(
        deletes=[ItemKey(User, "u0"), ItemKey(Order, "c1", "o000")],
        puts=[User(user_id="u100", name="late")],
    )
    keys = [ItemKey(User, u.user_id) for u in users] + [
        ItemKey(Order, o.customer_id, o.order_id) for o in orders
    ]
    got = await dynamodb.batch_get([*keys, ItemKey(User, "u100")])
    assert got == [*users[1:], *orders[1:], User(user_id="u100", name="late")]


async def test_batch_get_leaves_out_missing_keys_and_keeps_request_order(
    dynamodb: DynamoDB,
) -> None:
    await dynamodb.batch_write(puts=[User(user_id=u, name=u) for u in ("a1", "b2", "c3")])
    got = await dynamodb.batch_get([ItemKey(User, k) for k in ("c3", "zz", "a1")])
    assert [u.user_id for u in got] == ["c3", "a1"]


async def test_duplicate_key_is_refused_before_sending(dynamodb: DynamoDB) -> None:
    with pytest.raises(ValidationError, match="appears more than once") as info:
        await dynamodb.batch_write(
            puts=[User(user_id="u1", name="a")], deletes=[ItemKey(User, "u1")]
        )
    assert info.value.response["Error"]["Code"] == "ValidationException"
    assert await dynamodb.get(User, hash_key="u1") is None
    with pytest.raises(ValidationError, match="appears more than once"):
        await dynamodb.batch_get([ItemKey(User, "u1"), ItemKey(User, "u1")])


async def test_empty_batches_send_nothing(dynamodb: DynamoDB) -> None:
    await dynamodb.batch_write()
    assert await dynamodb.batch_get([]) == []


async def test_wrong_request_type_is_a_clear_error(dynamodb: DynamoDB) -> None:
    with pytest.raises(TypeError, match="takes ItemKey"):
        await dynamodb.batch_write(deletes=[("u1",)])  # type: ignore[list-item]
