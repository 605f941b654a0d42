"""Listing orders page by page (a GSI query with a cursor), and the batch import."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from aiodynamodb import DynamoDB

from orders.models import Order, OrderLine, Product, Status
from orders.service import customer_orders, import_products, orders_by_status

START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def make_order(n: int, status: Status = Status.PLACED, customer_id: str = "alice") -> Order:
    line = OrderLine(sku="mug", quantity=1, unit_price=Decimal("7.50"))
    return Order(
        customer_id=customer_id,
        order_id=f"o-{n:03d}",
        status=status,
        created_at=START + timedelta(minutes=n),
        lines=[line],
        total=line.unit_price,
    )


async def test_import_writes_more_than_one_batch(dynamodb: DynamoDB) -> None:
    products = [
        Product(sku=f"sku-{n:03d}", name=f"Product {n}", price=Decimal(n), stock=n)
        for n in range(60)
    ]

    assert await import_products(products) == 60  # 3 BatchWriteItem requests (25 + 25 + 10)

    stored = await dynamodb.scan(Product).all()
    assert len(stored) == 60 + 3  # and the seeded catalogue


@pytest.mark.dynamodb_tables(Order)
class TestOrdersByStatus:
    """The class marker gives each of these tests the orders table."""

    async def test_pages_follow_the_cursor_oldest_first(self, dynamodb: DynamoDB) -> None:
        await dynamodb.batch_write(
            puts=[make_order(n) for n in range(7)]
            + [make_order(n, Status.SHIPPED) for n in range(7, 9)]
        )

        sizes, seen, cursor = [], [], None
        while True:
            page = await orders_by_status(Status.PLACED, limit=3, cursor=cursor)
            sizes.append(len(page.orders))
            seen += [order.order_id for order in page.orders]
            if page.cursor is None:
                break
            cursor = page.cursor

        assert sizes == [3, 3, 1]
        assert seen == [f"o-{n:03d}" for n in range(7)]

    async def test_a_page_that_ends_on_the_last_order_still_has_a_cursor(
        self, dynamodb: DynamoDB
    ) -> None:
        await dynamodb.batch_write(puts=[make_order(n) for n in range(6)])

        first = await orders_by_status(Status.PLACED, limit=3, db=dynamodb)
        second = await orders_by_status(Status.PLACED, limit=3, cursor=first.cursor, db=dynamodb)
        third = await orders_by_status(Status.PLACED, limit=3, cursor=second.cursor, db=dynamodb)

        assert [len(p.orders) for p in (first, second, third)] == [3, 3, 0]
        assert second.cursor is not None  # DynamoDB cannot know the page was the last one
        assert third.cursor is None

    async def test_customer_orders_come_newest_first(self, dynamodb: DynamoDB) -> None:
        await dynamodb.batch_write(
            puts=[make_order(n) for n in range(3)] + [make_order(9, customer_id="bob")]
        )

        orders = await customer_orders("alice", db=dynamodb)

        assert [order.order_id for order in orders] == ["o-002", "o-001", "o-000"]
