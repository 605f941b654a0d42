"""transact_write / transact_get, with cancellation reasons matched to actions."""

from __future__ import annotations

import pytest
from boto3.dynamodb.conditions import Attr

from aiodynamodb import (
    ConditionCheck,
    Delete,
    DynamoDB,
    ItemKey,
    Put,
    Update,
    UpdateAttr,
    ValidationError,
)

from .models import Order, Stock, User
from .test_items import order

pytestmark = [
    pytest.mark.dynamodb_tables(User, Order, Stock),
    pytest.mark.not_on_dynalite("dynalite implements no TransactWriteItems/TransactGetItems"),
]


async def test_all_actions_apply_together(dynamodb: DynamoDB) -> None:
    await dynamodb.put(Stock(sku="s1", left=5))
    await dynamodb.put(User(user_id="gone", name="x"))
    await dynamodb.put(User(user_id="checked", name="y"))
    await dynamodb.transact_write(
        Put(order(1), condition_expression=Attr("order_id").not_exists()),
        Update(
            Stock,
            hash_key="s1",
            update_expression=[UpdateAttr("left").add(-1)],
            condition_expression=Attr("left").gt(0),
        ),
        Delete(User, hash_key="gone"),
        ConditionCheck(User, hash_key="checked", condition_expression=Attr("name").eq("y")),
        client_request_token="place-order-1",
    )
    got = await dynamodb.transact_get(
        ItemKey(Order, "c1", "o001"), ItemKey(Stock, "s1"), ItemKey(User, "gone")
    )
    assert got == (order(1), Stock(sku="s1", left=4), None)


async def test_cancellation_reasons_are_matched_to_actions(dynamodb: DynamoDB) -> None:
    await dynamodb.put(Stock(sku="s1", left=0))
    ex = await dynamodb.exceptions()
    place = Put(order(1))
    decrement = Update(
        Stock,
        hash_key="s1",
        update_expression=[UpdateAttr("left").add(-1)],
        condition_expression=Attr("left").gt(0),
        return_values_on_condition_check_failure="ALL_OLD",
    )
    with pytest.raises(ex.TransactionCanceledException) as info:
        await dynamodb.transact_write(place, decrement)
    reasons = info.value.reasons
    assert [r.action for r in reasons] == [place, decrement]
    assert [r.code for r in reasons] == ["None", "ConditionalCheckFailed"]
    assert reasons[1].item == Stock(sku="s1", left=0)
    assert await dynamodb.get(Order, hash_key="c1", range_key="o001") is None
    assert "action 1 (Update on it_stock): ConditionalCheckFailed" in "\n".join(
        info.value.__notes__
    )


async def test_two_actions_on_one_item_are_refused_before_sending(dynamodb: DynamoDB) -> None:
    with pytest.raises(ValidationError, match="multiple operations on one item"):
        await dynamodb.transact_write(
            Put(User(user_id="u1", name="a")), Delete(User, hash_key="u1")
        )


async def test_action_count_is_limited_to_100(dynamodb: DynamoDB) -> None:
    puts = [Put(User(user_id=f"u{i}", name="n")) for i in range(101)]
    with pytest.raises(ValidationError, match="takes 1 to 100 actions, got 101"):
        await dynamodb.transact_write(*puts)
    await dynamodb.transact_write(*puts[:100])
    got = await dynamodb.transact_get(*(ItemKey(User, f"u{i}") for i in range(100)))
    assert [u.user_id for u in got if u] == [f"u{i}" for i in range(100)]
