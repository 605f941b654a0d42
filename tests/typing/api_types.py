"""Static checks of the public API's types: `make lint` runs mypy --strict on tests/typing.

Nothing here runs; each `assert_type` is checked by mypy, so a signature that loses a type
(``get`` returning ``Any`` instead of ``User | None``) fails the lint step.
"""

from __future__ import annotations

from typing import Any, assert_type

import pytest
from boto3.dynamodb.conditions import Key

from aiodynamodb import DynamoDB, DynamoModel, ItemKey, Page, PageIterator, table
from pytest_aiodynamodb import dynamodb_tables


@table("users", hash_key="user_id")
class User(DynamoModel):
    user_id: str
    name: str


async def reads(db: DynamoDB) -> None:
    assert_type(await db.get(User, hash_key="u1"), User | None)
    assert_type(await db.get(User, hash_key="u1", consistent_read=True), User | None)
    assert_type(await db.get(User, hash_key="u1", projection=["name"]), dict[str, Any] | None)
    pages = db.query(User, key_condition_expression=Key("user_id").eq("u1"))
    assert_type(pages, PageIterator[User])
    assert_type(await pages.first(), User | None)
    async for item in db.query(User, key_condition_expression=Key("user_id").eq("u1")).items():
        assert_type(item, User)
    projected = db.query(User, key_condition_expression=Key("user_id").eq("u1"), projection=["n"])
    assert_type(projected, PageIterator[dict[str, Any]])
    async for page in db.scan(User):
        assert_type(page, Page[User])
        assert_type(page.items, list[User])
    assert_type(await db.scan(User).all(), list[User])
    assert_type(await db.scan(User, projection=["name"]).all(), list[dict[str, Any]])
    assert_type(await db.batch_get([ItemKey(User, "u1")]), list[User])
    assert_type(await db.transact_get(ItemKey(User, "u1")), tuple[User | None])


@dynamodb_tables(User)
async def test_typed_marker(dynamodb: DynamoDB) -> None:
    assert_type(dynamodb_tables(User), pytest.MarkDecorator)
