"""count() and select= on query and scan, on every backend."""

from __future__ import annotations

from typing import Any

import pytest
from boto3.dynamodb.conditions import Attr, Key

from aiodynamodb import DynamoDB, ValidationError

from .models import Order
from .test_queries import put_orders

pytestmark = pytest.mark.dynamodb_tables(Order)


async def test_count_of_a_query_sums_every_page(dynamodb: DynamoDB) -> None:
    await put_orders(dynamodb, 11)
    await put_orders(dynamodb, 4, customer="other")
    key = Key("customer_id").eq("c1")
    assert await dynamodb.count(Order, key_condition_expression=key, limit=3) == 11
    # The filter is counted after reading: 11 evaluated over 4 pages, 6 kept.
    kept = await dynamodb.count(
        Order, key_condition_expression=key, filter_expression=Attr("total").gt(5), limit=3
    )
    assert kept == 6


async def test_count_without_a_key_condition_scans(dynamodb: DynamoDB) -> None:
    await put_orders(dynamodb, 7)
    await put_orders(dynamodb, 5, customer="other", status="shipped")
    assert await dynamodb.count(Order, limit=2) == 12
    assert await dynamodb.count(Order, filter_expression=Attr("status").eq("shipped")) == 5
    assert await dynamodb.count(Order, index_name="by_status", limit=4) == 12


async def test_count_on_an_index_and_of_nothing(dynamodb: DynamoDB) -> None:
    await put_orders(dynamodb, 5, status="shipped")
    await put_orders(dynamodb, 3, customer="c2")
    by_status = Key("status").eq("shipped")
    assert (
        await dynamodb.count(
            Order, index_name="by_status", key_condition_expression=by_status, limit=2
        )
        == 5
    )
    assert await dynamodb.count(Order, key_condition_expression=Key("customer_id").eq("x")) == 0


async def test_select_all_projected_attributes_reads_the_index(dynamodb: DynamoDB) -> None:
    orders = await put_orders(dynamodb, 4)
    got = await dynamodb.query(
        Order,
        index_name="by_total",
        key_condition_expression=Key("customer_id").eq("c1"),
        select="ALL_PROJECTED_ATTRIBUTES",
        limit=3,
    ).all()
    # by_total is an LSI projecting everything: the dicts hold every attribute, decoded.
    assert got == [o.model_dump(exclude_none=True) for o in orders]
    scanned = await dynamodb.scan(
        Order, index_name="by_status", select="ALL_PROJECTED_ATTRIBUTES"
    ).all()
    assert sorted(s["order_id"] for s in scanned) == [o.order_id for o in orders]


async def test_select_specific_attributes_with_a_projection(dynamodb: DynamoDB) -> None:
    await put_orders(dynamodb, 2)
    got = await dynamodb.scan(Order, projection=["order_id"], select="SPECIFIC_ATTRIBUTES").all()
    assert sorted(g["order_id"] for g in got) == ["o000", "o001"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"select": "ALL_PROJECTED_ATTRIBUTES"}, "pass index_name"),
        (
            {"select": "ALL_PROJECTED_ATTRIBUTES", "index_name": "by_total", "projection": ["n"]},
            "cannot be combined with projection",
        ),
        ({"select": "SPECIFIC_ATTRIBUTES"}, "pass projection"),
        ({"select": "COUNT"}, "call db.count"),
    ],
    ids=["projected-without-index", "projected-with-projection", "specific-alone", "count"],
)
async def test_select_refused_before_sending(
    dynamodb: DynamoDB, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        dynamodb.query(Order, key_condition_expression=Key("customer_id").eq("c1"), **kwargs)
    with pytest.raises(ValidationError, match=message):
        dynamodb.scan(Order, **kwargs)
