"""Page cursors: ``page.cursor`` is ``str | None``; ``after=`` keeps the iterator's type."""

from __future__ import annotations

from typing import Any, assert_type

from boto3.dynamodb.conditions import Key

from aiodynamodb import DynamoDB, DynamoModel, PageIterator, table


@table("users", hash_key="user_id")
class User(DynamoModel):
    user_id: str
    name: str


async def cursors(db: DynamoDB, cursor: str | None) -> str | None:
    key = Key("user_id").eq("u1")
    pages = db.query(User, key_condition_expression=key, after=cursor, cursor_key=b"secret")
    assert_type(pages, PageIterator[User])
    page = await anext(pages)
    assert_type(page.cursor, str | None)
    scanned = db.scan(User, after=page.cursor, cursor_key="secret", projection=["name"])
    assert_type(scanned, PageIterator[dict[str, Any]])
    return page.cursor
