"""TTL time travel: abandoned carts expire as DynamoDB's TTL sweeper would remove them.

moto never expires items by itself; the plugin's ``dynamodb_ttl`` clock does, on demand.
"""

from __future__ import annotations

import pytest
from aiodynamodb import DynamoDB, DynamoModel, table
from aiodynamodb.testing.ttl import TTLClock


@table("carts", hash_key="customer_id", ttl_attribute="expires_at")
class Cart(DynamoModel):
    customer_id: str
    skus: list[str]
    expires_at: int


CART_LIFETIME = 24 * 3600


async def save_cart(db: DynamoDB, customer_id: str, skus: list[str], now: float) -> None:
    await db.put(Cart(customer_id=customer_id, skus=skus, expires_at=int(now) + CART_LIFETIME))


@pytest.mark.dynamodb_tables(Cart)
async def test_abandoned_carts_expire_after_a_day(
    dynamodb: DynamoDB, dynamodb_ttl: TTLClock
) -> None:
    await save_cart(dynamodb, "alice", ["mug"], dynamodb_ttl.now)
    dynamodb_ttl.advance(hours=12)
    await save_cart(dynamodb, "bob", ["kettle"], dynamodb_ttl.now)
    dynamodb_ttl.advance(hours=13)
    assert await dynamodb_ttl.sweep(Cart) == 1
    assert await dynamodb.get(Cart, hash_key="alice") is None
    assert await dynamodb.get(Cart, hash_key="bob") is not None
