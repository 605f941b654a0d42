"""In-process proof of the fixture's promises: a later test never sees an earlier test's
items, and code under test with its own clients sees the fixture's tables."""

from __future__ import annotations

import pytest
from aiobotocore.session import get_session

from aiodynamodb import DynamoDB

from .models import User

pytestmark = pytest.mark.dynamodb_tables(User)


@pytest.mark.parametrize("round_", range(3))
async def test_each_test_starts_empty(dynamodb: DynamoDB, round_: int) -> None:
    assert await dynamodb.scan(User).all() == []
    await dynamodb.batch_write(puts=[User(user_id=f"r{round_}-{i}", name="x") for i in range(5)])
    assert len(await dynamodb.scan(User).all()) == 5


async def test_own_clients_see_the_fixture_tables(dynamodb: DynamoDB) -> None:
    await dynamodb.put(User(user_id="u1", name="Alice"))
    async with DynamoDB() as own:
        assert await own.get(User, hash_key="u1") == User(user_id="u1", name="Alice")
        await own.put(User(user_id="u2", name="Bob"))
    async with get_session().create_client("dynamodb") as raw:
        table = dynamodb.table_name(User)
        item = (await raw.get_item(TableName=table, Key={"user_id": {"S": "u2"}}))["Item"]
    assert item["name"] == {"S": "Bob"}
