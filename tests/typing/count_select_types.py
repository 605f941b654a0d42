"""``count`` and ``select=``: an int, and dict pages for a projected select."""

from __future__ import annotations

from typing import Any, assert_type

from boto3.dynamodb.conditions import Attr, Key

from aiodynamodb import GSI, DynamoDB, DynamoModel, PageIterator, table


@table(
    "orders",
    hash_key="customer_id",
    range_key="order_id",
    indexes=[GSI("by_status", hash_key="status")],
)
class Order(DynamoModel):
    customer_id: str
    order_id: str
    status: str


async def counts_and_selects(db: DynamoDB) -> None:
    key = Key("customer_id").eq("c1")
    assert_type(await db.count(Order), int)
    assert_type(await db.count(Order, key_condition_expression=key, limit=10), int)
    assert_type(await db.count(Order, filter_expression=Attr("status").eq("x")), int)
    projected = db.query(
        Order,
        key_condition_expression=key,
        index_name="by_status",
        select="ALL_PROJECTED_ATTRIBUTES",
    )
    assert_type(projected, PageIterator[dict[str, Any]])
    specific = db.scan(Order, projection=["status"], select="SPECIFIC_ATTRIBUTES")
    assert_type(specific, PageIterator[dict[str, Any]])
    assert_type(
        db.scan(Order, index_name="by_status", select="ALL_PROJECTED_ATTRIBUTES"),
        PageIterator[dict[str, Any]],
    )
    assert_type(db.query(Order, key_condition_expression=key), PageIterator[Order])
