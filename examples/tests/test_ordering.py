"""Placing and shipping orders: a transaction that takes stock under a condition.

The module-level marker gives every test here the ``orders`` table as well; the conftest
hooks add ``customers`` and ``products`` and seed Alice and the catalogue (kettle: 5 in
stock, mug: 100, teapot: 0).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from aiodynamodb import DynamoDB

from orders.models import Order, Product, Status
from orders.service import (
    DuplicateOrder,
    NotShippable,
    OutOfStock,
    UnknownCustomer,
    UnknownProduct,
    place_order,
    ship_order,
)

pytestmark = pytest.mark.dynamodb_tables(Order)

NOON = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


async def stock(db: DynamoDB, sku: str) -> int:
    product = await db.get(Product, hash_key=sku)
    assert product is not None
    return product.stock


async def test_placing_an_order_stores_it_and_takes_the_stock(dynamodb: DynamoDB) -> None:
    order = await place_order("alice", "o-1", {"kettle": 2, "mug": 4}, now=NOON)

    assert order.total == Decimal("89.80")
    assert await dynamodb.get(Order, hash_key="alice", range_key="o-1") == order
    assert await stock(dynamodb, "kettle") == 3
    assert await stock(dynamodb, "mug") == 96


async def test_not_enough_stock_cancels_the_whole_order(dynamodb: DynamoDB) -> None:
    with pytest.raises(OutOfStock) as refused:
        await place_order("alice", "o-1", {"kettle": 2, "mug": 101}, db=dynamodb)

    # The stock left comes from the product as the failed condition saw it.
    assert (refused.value.sku, refused.value.requested, refused.value.left) == ("mug", 101, 100)
    # All or nothing: the kettles were not taken and no order was written.
    assert await stock(dynamodb, "kettle") == 5
    assert await dynamodb.get(Order, hash_key="alice", range_key="o-1") is None


async def test_an_order_for_an_unknown_customer_is_refused(dynamodb: DynamoDB) -> None:
    with pytest.raises(UnknownCustomer):
        await place_order("nobody", "o-1", {"mug": 1}, db=dynamodb)

    assert await stock(dynamodb, "mug") == 100


async def test_an_unknown_product_is_refused_before_any_write(dynamodb: DynamoDB) -> None:
    with pytest.raises(UnknownProduct, match="not in the catalogue: spoon"):
        await place_order("alice", "o-1", {"mug": 1, "spoon": 3}, db=dynamodb)


async def test_placing_the_same_order_twice_takes_the_stock_once(dynamodb: DynamoDB) -> None:
    await place_order("alice", "o-1", {"kettle": 1}, db=dynamodb)

    with pytest.raises(DuplicateOrder):
        await place_order("alice", "o-1", {"kettle": 1}, db=dynamodb)

    assert await stock(dynamodb, "kettle") == 4


@pytest.mark.parametrize("quantities", [{}, {"mug": 0}, {"mug": -1}], ids=["empty", "zero", "neg"])
async def test_an_order_needs_positive_quantities(quantities: dict[str, int]) -> None:
    # No dynamodb fixture: the check happens before any request is made.
    with pytest.raises(ValueError, match="at least one line"):
        await place_order("alice", "o-1", quantities)


async def test_an_order_ships_once(dynamodb: DynamoDB) -> None:
    await place_order("alice", "o-1", {"mug": 1}, now=NOON, db=dynamodb)

    shipped = await ship_order("alice", "o-1", now=NOON, db=dynamodb)
    assert (shipped.status, shipped.shipped_at) == (Status.SHIPPED, NOON)

    with pytest.raises(NotShippable):
        await ship_order("alice", "o-1", db=dynamodb)


async def test_shipping_a_missing_order_does_not_create_it(dynamodb: DynamoDB) -> None:
    with pytest.raises(NotShippable):
        await ship_order("alice", "o-404", db=dynamodb)

    assert await dynamodb.get(Order, hash_key="alice", range_key="o-404") is None
