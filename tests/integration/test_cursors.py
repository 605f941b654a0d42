"""Page cursors (page.cursor, after=, cursor_key=) on every backend."""

from __future__ import annotations

import re
from typing import Any

import pytest
from boto3.dynamodb.conditions import Key

from aiodynamodb import ArgumentError, DynamoDB, Page, ValidationError

from .models import Blob, Order, User
from .test_queries import put_orders

pytestmark = pytest.mark.dynamodb_tables(Order, User, Blob)

URL_SAFE = re.compile(r"[A-Za-z0-9_.-]+")
SECRET = b"application secret"


def by_customer(db: DynamoDB, **kwargs: Any) -> Any:
    return db.query(Order, key_condition_expression=Key("customer_id").eq("c1"), limit=3, **kwargs)


async def walk_by_cursor(db: DynamoDB, **kwargs: Any) -> list[Page[Any]]:
    """One request per page, each a new query resumed from the previous page's cursor."""
    pages = [await anext(by_customer(db, **kwargs))]
    while pages[-1].cursor is not None:
        pages.append(await anext(by_customer(db, after=pages[-1].cursor, **kwargs)))
    return pages


@pytest.mark.parametrize(
    "cursor_key", [None, SECRET, "a str secret"], ids=["unsigned", "bytes", "str"]
)
async def test_a_cursor_round_trip_gives_the_same_pages(
    dynamodb: DynamoDB, cursor_key: bytes | str | None
) -> None:
    await put_orders(dynamodb, 8)
    expected = [page async for page in by_customer(dynamodb, cursor_key=cursor_key)]
    walked = await walk_by_cursor(dynamodb, cursor_key=cursor_key)
    assert [p.items for p in walked] == [p.items for p in expected]
    assert [len(p.items) for p in walked] == [3, 3, 2]
    assert [p.cursor for p in walked] == [p.cursor for p in expected]
    assert walked[-1].cursor is None
    assert all(URL_SAFE.fullmatch(p.cursor) for p in walked[:-1] if p.cursor)
    signed = cursor_key is not None
    assert all(("." in p.cursor) == signed for p in walked[:-1] if p.cursor)


async def test_binary_keys_and_scans(dynamodb: DynamoDB) -> None:
    blobs = [Blob(digest=bytes([n, 255, 0])) for n in range(5)]
    await dynamodb.batch_write(puts=blobs)
    first = await anext(dynamodb.scan(Blob, limit=2, cursor_key=SECRET))
    assert first.cursor is not None
    rest = await dynamodb.scan(Blob, after=first.cursor, cursor_key=SECRET).all()
    assert sorted(b.digest for b in first.items + rest) == sorted(b.digest for b in blobs)


async def first_cursor(db: DynamoDB, **kwargs: Any) -> str:
    page = await anext(by_customer(db, **kwargs))
    assert page.cursor is not None
    return page.cursor


def flip(text: str, at: int) -> str:
    return text[:at] + ("A" if text[at] != "A" else "B") + text[at + 1 :]


async def test_a_tampered_or_differently_signed_cursor_is_refused(dynamodb: DynamoDB) -> None:
    await put_orders(dynamodb, 5)
    signed = await first_cursor(dynamodb, cursor_key=SECRET)
    with pytest.raises(ValidationError, match="signature does not match cursor_key"):
        by_customer(dynamodb, after=flip(signed, 5), cursor_key=SECRET)
    with pytest.raises(ValidationError, match="signature does not match cursor_key"):
        by_customer(dynamodb, after=signed, cursor_key=b"another secret")
    with pytest.raises(ValidationError, match="pass the cursor_key= it was made with"):
        by_customer(dynamodb, after=signed)
    unsigned = await first_cursor(dynamodb)
    with pytest.raises(ValidationError, match="is not signed, but cursor_key= is given"):
        by_customer(dynamodb, after=unsigned, cursor_key=SECRET)
    with pytest.raises(ValidationError, match=r"after= takes a page's cursor .* cannot be read"):
        by_customer(dynamodb, after=unsigned[:-3])
    with pytest.raises(ArgumentError, match="after= takes a page's cursor"):
        by_customer(dynamodb, after=b"bytes")


async def test_a_foreign_cursor_is_refused(dynamodb: DynamoDB) -> None:
    await put_orders(dynamodb, 5)
    on_table = await first_cursor(dynamodb, cursor_key=SECRET)
    with pytest.raises(ValidationError, match=r"belongs to Order \(table 'it_orders'\), not to"):
        dynamodb.query(
            Order,
            index_name="by_total",
            key_condition_expression=Key("customer_id").eq("c1"),
            after=on_table,
            cursor_key=SECRET,
        )
    with pytest.raises(ValidationError, match="not to this scan of User"):
        dynamodb.scan(User, after=on_table, cursor_key=SECRET)


async def test_after_with_exclusive_start_key_is_refused(dynamodb: DynamoDB) -> None:
    await put_orders(dynamodb, 5)
    page = await anext(by_customer(dynamodb))
    with pytest.raises(ArgumentError, match="not both"):
        by_customer(dynamodb, after=page.cursor, exclusive_start_key=page.last_evaluated_key)
