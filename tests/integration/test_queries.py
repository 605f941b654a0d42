"""query and scan: pages, limits, filters, order, indexes, projections, on every backend."""

from __future__ import annotations

import asyncio

import pytest
from boto3.dynamodb.conditions import Attr, Key

from aiodynamodb import DynamoDB

from .models import Order, User
from .test_items import order

pytestmark = pytest.mark.dynamodb_tables(Order, User)


async def put_orders(db: DynamoDB, count: int, **kwargs: str) -> list[Order]:
    orders = [order(n, **kwargs) for n in range(count)]
    await db.batch_write(puts=orders)
    return orders


async def test_query_returns_models_in_sort_key_order(dynamodb: DynamoDB) -> None:
    orders = await put_orders(dynamodb, 12)
    await put_orders(dynamodb, 3, customer="other")
    got = await dynamodb.query(Order, key_condition_expression=Key("customer_id").eq("c1")).all()
    assert got == orders


async def test_descending_order(dynamodb: DynamoDB) -> None:
    orders = await put_orders(dynamodb, 6)
    got = await dynamodb.query(
        Order, key_condition_expression=Key("customer_id").eq("c1"), scan_index_forward=False
    ).all()
    assert got == orders[::-1]


async def test_limit_pages_and_resume_from_last_evaluated_key(dynamodb: DynamoDB) -> None:
    orders = await put_orders(dynamodb, 7)
    pages = [
        page
        async for page in dynamodb.query(
            Order, key_condition_expression=Key("customer_id").eq("c1"), limit=3
        )
    ]
    assert [len(p.items) for p in pages[:3]] == [3, 3, 1]
    assert [item for p in pages for item in p.items] == orders
    assert pages[-1].last_evaluated_key is None
    resumed = await dynamodb.query(
        Order,
        key_condition_expression=Key("customer_id").eq("c1"),
        exclusive_start_key=pages[0].last_evaluated_key,
    ).all()
    assert resumed == orders[3:]


async def test_limit_with_filter_counts_before_filtering(dynamodb: DynamoDB) -> None:
    await put_orders(dynamodb, 10)
    pages = [
        page
        async for page in dynamodb.query(
            Order,
            key_condition_expression=Key("customer_id").eq("c1"),
            filter_expression=Attr("total").gt(5),
            limit=4,
        )
    ]
    kept = [item.order_id for p in pages for item in p.items]
    assert kept == ["o005", "o006", "o007", "o008", "o009"]
    assert pages[0].scanned_count == 4
    assert pages[0].count == 0
    assert pages[1].count == 3  # o004..o007 read, o005..o007 kept


async def test_sort_key_conditions(dynamodb: DynamoDB) -> None:
    await put_orders(dynamodb, 20)
    between = await dynamodb.query(
        Order,
        key_condition_expression=Key("customer_id").eq("c1")
        & Key("order_id").between("o003", "o005"),
    ).all()
    assert [o.order_id for o in between] == ["o003", "o004", "o005"]
    prefix = await dynamodb.query(
        Order,
        key_condition_expression=Key("customer_id").eq("c1") & Key("order_id").begins_with("o01"),
    ).all()
    assert [o.order_id for o in prefix] == [f"o01{n}" for n in range(10)]


async def test_gsi_query(dynamodb: DynamoDB) -> None:
    orders = [order(n, status="shipped" if n % 3 == 0 else "open") for n in range(9)]
    await dynamodb.batch_write(puts=orders)
    shipped = await dynamodb.query(
        Order, index_name="by_status", key_condition_expression=Key("status").eq("shipped")
    ).all()
    assert shipped == sorted(
        (o for o in orders if o.status == "shipped"), key=lambda o: o.created_at
    )


async def test_lsi_query_orders_by_total(dynamodb: DynamoDB) -> None:
    orders = await put_orders(dynamodb, 5)
    top = await dynamodb.query(
        Order,
        index_name="by_total",
        key_condition_expression=Key("customer_id").eq("c1") & Key("total").gte(3),
        scan_index_forward=False,
    ).all()
    assert top == [orders[4], orders[3]]


async def test_unknown_index_is_refused_before_sending(dynamodb: DynamoDB) -> None:
    with pytest.raises(ValueError, match="has no index 'nope'"):
        dynamodb.query(Order, index_name="nope", key_condition_expression=Key("status").eq("x"))


async def test_projected_query_yields_dicts(dynamodb: DynamoDB) -> None:
    orders = await put_orders(dynamodb, 3)
    got = await dynamodb.query(
        Order,
        key_condition_expression=Key("customer_id").eq("c1"),
        projection=["order_id", "total"],
    ).all()
    assert got == [{"order_id": o.order_id, "total": o.total} for o in orders]


async def test_items_iterates_across_pages(dynamodb: DynamoDB) -> None:
    orders = await put_orders(dynamodb, 8)
    seen = [
        o.order_id
        async for o in dynamodb.query(
            Order, key_condition_expression=Key("customer_id").eq("c1"), limit=3
        ).items()
    ]
    assert seen == [o.order_id for o in orders]


async def test_scan_with_filter(dynamodb: DynamoDB) -> None:
    users = [User(user_id=f"u{i}", name="even" if i % 2 == 0 else "odd") for i in range(10)]
    await dynamodb.batch_write(puts=users)
    evens = await dynamodb.scan(User, filter_expression=Attr("name").eq("even")).all()
    assert sorted(u.user_id for u in evens) == sorted(u.user_id for u in users[::2])


async def test_parallel_scan_segments_cover_the_table_once(dynamodb: DynamoDB) -> None:
    users = [User(user_id=f"u{i:03d}", name="n") for i in range(60)]
    await dynamodb.batch_write(puts=users)
    parts = await asyncio.gather(
        *(dynamodb.scan(User, segment=s, total_segments=4).all() for s in range(4))
    )
    ids = [u.user_id for part in parts for u in part]
    assert sorted(ids) == [u.user_id for u in users]
    assert len(ids) == len(set(ids))


async def test_scan_segment_arguments_are_checked(dynamodb: DynamoDB) -> None:
    with pytest.raises(ValueError, match="both segment and total_segments"):
        dynamodb.scan(User, segment=1)
    with pytest.raises(ValueError, match="0 <= segment < total_segments"):
        dynamodb.scan(User, segment=4, total_segments=4)
