"""Models shared by the integration tests (they run on every backend)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from aiodynamodb import GSI, LSI, DynamoModel, table


@table("it_users", hash_key="user_id")
class User(DynamoModel):
    user_id: str
    name: str
    email: str | None = None
    visits: int = 0
    tags: set[str] = set()
    scores: list[int] = []


class Address(DynamoModel):
    street: str
    city: str


@table(
    "it_orders",
    hash_key="customer_id",
    range_key="order_id",
    indexes=[
        GSI("by_status", hash_key="status", range_key="created_at"),
        LSI("by_total", range_key="total"),
    ],
)
class Order(DynamoModel):
    customer_id: str
    order_id: str
    status: str
    created_at: datetime
    total: Decimal
    address: Address | None = None
    notes: str = ""


@table("it_stock", hash_key="sku")
class Stock(DynamoModel):
    sku: str
    left: int


@table("it_blobs", hash_key="digest")
class Blob(DynamoModel):
    digest: bytes
    chunks: set[bytes] = set()
    body: bytes = b""


@table("it_documents", hash_key="doc_id", version="version")
class Document(DynamoModel):
    """A versioned model (optimistic locking)."""

    doc_id: str
    body: str
    version: int = 0
