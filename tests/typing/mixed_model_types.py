"""``transact_get`` and ``batch_get`` with keys of several models, as a user writes them."""

from __future__ import annotations

from typing import assert_type

from aiodynamodb import DynamoDB, DynamoModel, ItemKey, table


@table("users", hash_key="user_id")
class User(DynamoModel):
    user_id: str
    name: str


@table("orders", hash_key="customer", range_key="order_id")
class Order(DynamoModel):
    customer: str
    order_id: int
    total: int


async def transact_gets(db: DynamoDB) -> None:
    user, order = await db.transact_get(ItemKey(User, "u1"), ItemKey(Order, "u1", 7))
    assert_type(user, User | None)
    assert_type(order, Order | None)
    if user is not None and order is not None:  # each entry usable as its own model
        assert user.name
        assert order.total >= 0
    assert_type(
        await db.transact_get(ItemKey(User, "u1"), ItemKey(User, "u2"), ItemKey(Order, "u1", 1)),
        tuple[User | None, User | None, Order | None],
    )
    six = await db.transact_get(
        ItemKey(User, "a"),
        ItemKey(Order, "a", 1),
        ItemKey(User, "b"),
        ItemKey(Order, "b", 2),
        ItemKey(User, "c"),
        ItemKey(Order, "c", 3),
    )
    assert_type(six[5], Order | None)
    # Beyond six keys, or keys unpacked from an iterable: one type for all entries.
    many = await db.transact_get(*(ItemKey(User, f"u{i}") for i in range(100)))
    assert_type(many, tuple[User | None, ...])
    seven = await db.transact_get(*[ItemKey(User, "a")] * 6, ItemKey(Order, "a", 1))
    assert_type(seven, tuple[DynamoModel | None, ...])


async def batch_gets(db: DynamoDB) -> None:
    assert_type(await db.batch_get([ItemKey(User, "u1"), ItemKey(User, "u2")]), list[User])
    assert_type(await db.batch_get([ItemKey(User, f"u{i}") for i in range(3)]), list[User])
    found = await db.batch_get([ItemKey(User, "u1"), ItemKey(Order, "u1", 7)])
    assert_type(found, list[DynamoModel])
    users = [item for item in found if isinstance(item, User)]
    assert_type(users, list[User])
    keys: list[ItemKey[DynamoModel]] = [ItemKey(User, "u1")]
    keys.append(ItemKey(Order, "u1", 7))  # ItemKey is covariant: an ItemKey[Order] fits
    assert_type(await db.batch_get(keys, consistent_read=True), list[DynamoModel])
    await db.batch_write(puts=[User(user_id="u1", name="A")], deletes=keys)
