"""The service's tables.

``customers`` and ``products`` have a simple key; ``orders`` is keyed by customer and order
id (so one query lists a customer's orders) and has a global secondary index ``by_status``
(status, created_at) for "every order that is waiting to ship, oldest first".
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from aiodynamodb import GSI, DynamoModel, table


@table("customers", hash_key="customer_id")
class Customer(DynamoModel):
    customer_id: str
    name: str
    email: str


@table("products", hash_key="sku")
class Product(DynamoModel):
    sku: str
    name: str
    price: Decimal
    stock: int = 0


class Status(StrEnum):
    PLACED = "placed"
    SHIPPED = "shipped"


class OrderLine(DynamoModel):
    """One line of an order (a nested model: stored as a map inside the order item)."""

    sku: str
    quantity: int
    unit_price: Decimal


@table(
    "orders",
    hash_key="customer_id",
    range_key="order_id",
    indexes=[GSI("by_status", hash_key="status", range_key="created_at")],
)
class Order(DynamoModel):
    customer_id: str
    order_id: str
    status: Status
    created_at: datetime
    lines: list[OrderLine]
    total: Decimal
    shipped_at: datetime | None = None
