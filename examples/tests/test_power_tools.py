"""The plugin's testing power tools on the orders service: request budgets, fault injection,
seeding and snapshots. (TTL time travel has its own example in docs/testing.md.)"""

from __future__ import annotations

from decimal import Decimal

import pytest
from aiodynamodb import DynamoDB
from aiodynamodb.testing.faults import FaultInjector
from aiodynamodb.testing.recorder import CallRecorder
from aiodynamodb.testing.seeding import table_contents

from orders.models import Customer, Order, Product, Status
from orders.service import customer_orders, import_products, orders_by_status, place_order

pytestmark = pytest.mark.dynamodb_tables(Order)


async def test_listing_orders_is_one_query_and_never_a_scan(
    dynamodb: DynamoDB, dynamodb_calls: CallRecorder
) -> None:
    await place_order("alice", "o-1", {"mug": 2})
    with dynamodb_calls.at_most(1), dynamodb_calls.no_scans():
        page = await orders_by_status(Status.PLACED)
    assert [o.order_id for o in page.orders] == ["o-1"]
    with dynamodb_calls.at_most(1, "Query", table="orders"):
        assert [o.order_id for o in await customer_orders("alice")] == ["o-1"]


async def test_catalogue_import_survives_throttling_and_unprocessed_items(
    dynamodb: DynamoDB, dynamodb_faults: FaultInjector
) -> None:
    catalogue = [
        Product(sku=f"sku-{n:03d}", name=f"Item {n}", price=Decimal("1.00"), stock=n)
        for n in range(200)
    ]
    dynamodb_faults.unprocessed("BatchWriteItem", share=0.5, times=8)
    dynamodb_faults.fail("BatchWriteItem", error="ThrottlingException", times=2)
    assert await import_products(catalogue) == 200
    stored = [p for p in await table_contents(dynamodb, Product) if p.sku.startswith("sku-")]
    assert stored == catalogue


@pytest.mark.dynamodb_seed(Customer(customer_id="bob", name="Bob", email="bob@example.com"))
async def test_seeded_customer_can_order(dynamodb: DynamoDB) -> None:
    order = await place_order("bob", "o-9", {"kettle": 1})
    assert await table_contents(dynamodb, Order) == [order]
    customers = await table_contents(dynamodb, Customer)
    assert [c.customer_id for c in customers] == ["alice", "bob"]
