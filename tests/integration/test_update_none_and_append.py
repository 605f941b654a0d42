"""update: set(None) removes the attribute; append/prepend(create=True) on a missing list."""

from __future__ import annotations

import pytest
from boto3.dynamodb.conditions import Attr
from botocore.exceptions import ClientError

from aiodynamodb import DynamoDB, EncodeError, UpdateAttr

from .models import Address, Order, User
from .test_items import order

pytestmark = pytest.mark.dynamodb_tables(User, Order)


async def test_set_none_removes_the_attribute(dynamodb: DynamoDB) -> None:
    await dynamodb.put(User(user_id="u1", name="Al", email="al@example.com"))
    await dynamodb.update(User, hash_key="u1", update_expression=[UpdateAttr("email").set(None)])
    assert await dynamodb.get(User, hash_key="u1") == User(user_id="u1", name="Al")
    # Not stored as NULL: exists() does not see it, not_exists() does.
    assert await dynamodb.count(User, filter_expression=Attr("email").exists()) == 0
    await dynamodb.put(
        User(user_id="u1", name="Al"), condition_expression=Attr("email").not_exists()
    )


async def test_set_none_on_a_nested_optional_field(dynamodb: DynamoDB) -> None:
    await dynamodb.put(order(1).model_copy(update={"address": Address(street="s", city="c")}))
    new = await dynamodb.update(
        Order,
        hash_key="c1",
        range_key="o001",
        update_expression=[UpdateAttr("address").set(None)],
        return_values="ALL_NEW",
    )
    assert new.address is None
    assert await dynamodb.count(Order, filter_expression=Attr("address").exists()) == 0


async def test_set_none_on_a_required_field_is_refused(dynamodb: DynamoDB) -> None:
    await dynamodb.put(User(user_id="u1", name="Al"))
    with pytest.raises(EncodeError, match="name"):
        await dynamodb.update(User, hash_key="u1", update_expression=[UpdateAttr("name").set(None)])
    assert await dynamodb.get(User, hash_key="u1") == User(user_id="u1", name="Al")


async def test_append_and_prepend_create_the_missing_list(dynamodb: DynamoDB) -> None:
    # The item does not exist, so neither does its list: plain list_append fails.
    with pytest.raises(ClientError) as failed:
        await dynamodb.update(
            User, hash_key="u2", update_expression=[UpdateAttr("scores").append([1])]
        )
    assert failed.value.response["Error"]["Code"] == "ValidationException"
    await dynamodb.update(
        User,
        hash_key="u2",
        update_expression=[
            UpdateAttr("name").set("Bo"),
            UpdateAttr("scores").append([2, 3], create=True),
        ],
    )
    got = await dynamodb.update(
        User,
        hash_key="u2",
        update_expression=[UpdateAttr("scores").prepend([1], create=True)],
        return_values="ALL_NEW",
    )
    assert got.scores == [1, 2, 3]
    got = await dynamodb.update(
        User,
        hash_key="u2",
        update_expression=[UpdateAttr("scores").append([4], create=True)],
        return_values="ALL_NEW",
    )
    assert got.scores == [1, 2, 3, 4]
