"""Every example of the testing guide (docs/testing.md, spec/testing-guide.txt), verbatim.

The models the guide uses (``User``, ``Order``) are defined first; each example follows
exactly as printed, with only the test-module boilerplate around it.
"""

import pytest
from aiodynamodb import DynamoModel, table
from aiodynamodb.testing import mock_dynamodb


@table("users", hash_key="user_id")
class User(DynamoModel):
    user_id: str
    name: str


@table("orders", hash_key="order_id", range_key="created_at")
class Order(DynamoModel):
    order_id: str
    created_at: str
    total: int


# --- mock_dynamodb -------------------------------------------------------------------


async def test_mock_dynamodb_block():
    async with mock_dynamodb(User, Order) as db:
        await db.put(User(user_id="u1", name="Alice"))
        user = await db.get(User, hash_key="u1")
        assert user is not None


# --- Writing tests: basic test ---------------------------------------------------------


async def test_put_and_get():
    async with mock_dynamodb(User) as db:
        await db.put(User(user_id="u1", name="Alice"))
        result = await db.get(User, hash_key="u1")
        assert result is not None
        assert result.name == "Alice"


# --- Using a fixture -------------------------------------------------------------------

from aiodynamodb import DynamoDB


@pytest.fixture
async def db():
    async with mock_dynamodb(User, Order) as client:
        yield client


async def test_something(db: DynamoDB):
    await db.put(User(user_id="u1", name="Alice"))
    ...
    # (beyond the guide: prove the fixture's client really wrote the item)
    assert await db.get(User, hash_key="u1") == User(user_id="u1", name="Alice")


# --- Testing condition expressions -----------------------------------------------------

from boto3.dynamodb.conditions import Attr


async def test_conditional_put_fails():
    async with mock_dynamodb(User) as db:
        ex = await db.exceptions()
        await db.put(User(user_id="u1", name="Alice"))

        with pytest.raises(ex.ConditionalCheckFailedException):
            await db.put(
                User(user_id="u1", name="Bob"),
                condition_expression=Attr("user_id").not_exists(),
            )


# --- Testing queries -------------------------------------------------------------------


async def test_query_pagination():
    async with mock_dynamodb(Order) as db:
        for i in range(5):
            await db.put(Order(order_id="o1", created_at=f"2026-01-0{i+1}", total=i * 10))

        from boto3.dynamodb.conditions import Key

        all_items = []
        async for page in db.query(
            Order,
            key_condition_expression=Key("order_id").eq("o1"),
        ):
            all_items.extend(page.items)

        assert len(all_items) == 5


# --- What the guide promises around the examples ----------------------------------------


async def test_conditional_put_kept_the_first_item():
    async with mock_dynamodb(User) as db:
        ex = await db.exceptions()
        await db.put(User(user_id="u1", name="Alice"))
        with pytest.raises(ex.ConditionalCheckFailedException):
            await db.put(
                User(user_id="u1", name="Bob"), condition_expression=Attr("user_id").not_exists()
            )
        assert (await db.get(User, hash_key="u1")).name == "Alice"


async def test_fake_credentials_are_patched_and_restored(monkeypatch):
    import os

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALLOOKINGKEY")
    monkeypatch.setenv("AWS_PROFILE", "production")
    before = dict(os.environ)
    async with mock_dynamodb(User):
        assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"
        assert "AWS_PROFILE" not in os.environ
    assert dict(os.environ) == before
