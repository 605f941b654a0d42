"""put / get / delete / update through the dynamodb fixture, on every backend."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from boto3.dynamodb.conditions import Attr

from aiodynamodb import DynamoDB, Raw, UpdateAttr

from .models import Address, Blob, Order, User

pytestmark = pytest.mark.dynamodb_tables(User, Order)

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def order(n: int, *, customer: str = "c1", status: str = "open") -> Order:
    return Order(
        customer_id=customer,
        order_id=f"o{n:03d}",
        status=status,
        created_at=T0.replace(minute=n % 60, hour=n // 60 % 24),
        total=Decimal(n) + Decimal("0.5"),
    )


async def test_put_then_get_returns_an_equal_model(dynamodb: DynamoDB) -> None:
    user = User(user_id="u1", name="Alice", email="a@example.com", tags={"x", "y"}, scores=[3, 1])
    await dynamodb.put(user)
    assert await dynamodb.get(User, hash_key="u1") == user


async def test_get_missing_item_is_none(dynamodb: DynamoDB) -> None:
    assert await dynamodb.get(User, hash_key="nobody") is None


async def test_composite_key_needs_both_parts(dynamodb: DynamoDB) -> None:
    first, second = order(1), order(2)
    await dynamodb.put(first)
    await dynamodb.put(second)
    got = await dynamodb.get(Order, hash_key="c1", range_key="o002")
    assert got == second


async def test_put_replaces_and_returns_old_item(dynamodb: DynamoDB) -> None:
    await dynamodb.put(User(user_id="u1", name="Alice"))
    old = await dynamodb.put(User(user_id="u1", name="Bob"), return_values="ALL_OLD")
    assert old == User(user_id="u1", name="Alice")
    assert (await dynamodb.get(User, hash_key="u1")).name == "Bob"


async def test_conditional_put_failure_raises_botocore_class(dynamodb: DynamoDB) -> None:
    ex = await dynamodb.exceptions()
    await dynamodb.put(User(user_id="u1", name="Alice"))
    with pytest.raises(ex.ConditionalCheckFailedException):
        await dynamodb.put(
            User(user_id="u1", name="Mallory"), condition_expression=Attr("user_id").not_exists()
        )
    assert (await dynamodb.get(User, hash_key="u1")).name == "Alice"


async def test_condition_on_reserved_word_and_nested_path(dynamodb: DynamoDB) -> None:
    placed = order(1).model_copy(update={"address": Address(street="1 Main", city="Oslo")})
    await dynamodb.put(placed)
    ex = await dynamodb.exceptions()
    # "status" is a DynamoDB reserved word; names always go through placeholders.
    await dynamodb.delete(
        Order,
        hash_key="c1",
        range_key="o001",
        condition_expression=Attr("status").eq("closed") | Attr("address.city").eq("Oslo"),
    )
    assert await dynamodb.get(Order, hash_key="c1", range_key="o001") is None
    await dynamodb.put(placed)
    with pytest.raises(ex.ConditionalCheckFailedException):
        await dynamodb.delete(
            Order, hash_key="c1", range_key="o001", condition_expression=Attr("status").eq("closed")
        )


async def test_datetime_condition_uses_the_field_encoding(dynamodb: DynamoDB) -> None:
    await dynamodb.put(order(5))
    ex = await dynamodb.exceptions()
    await dynamodb.put(order(5), condition_expression=Attr("created_at").eq(order(5).created_at))
    with pytest.raises(ex.ConditionalCheckFailedException):
        await dynamodb.put(order(5), condition_expression=Attr("created_at").gt(T0))


async def test_delete_returns_old_item(dynamodb: DynamoDB) -> None:
    await dynamodb.put(User(user_id="u1", name="Alice"))
    old = await dynamodb.delete(User, hash_key="u1", return_values="ALL_OLD")
    assert old == User(user_id="u1", name="Alice")
    assert await dynamodb.get(User, hash_key="u1") is None


async def test_every_update_action(dynamodb: DynamoDB) -> None:
    await dynamodb.put(
        User(user_id="u1", name="Alice", email="a@x", visits=1, tags={"a", "b"}, scores=[2])
    )
    new = await dynamodb.update(
        User,
        hash_key="u1",
        update_expression=[
            UpdateAttr("name").set("Alicia"),
            UpdateAttr("email").remove(),
            UpdateAttr("visits").add(2),
            UpdateAttr("tags").delete({"a"}),
            UpdateAttr("scores").append([3]),
        ],
        return_values="ALL_NEW",
    )
    assert new == User(user_id="u1", name="Alicia", visits=3, tags={"b"}, scores=[2, 3])
    again = await dynamodb.update(
        User,
        hash_key="u1",
        update_expression=[
            UpdateAttr("scores").prepend([1]),
            UpdateAttr("email").if_not_exists("first@x"),
            UpdateAttr("tags").add({"c"}),
        ],
        return_values="ALL_NEW",
    )
    assert again == User(
        user_id="u1", name="Alicia", email="first@x", visits=3, tags={"b", "c"}, scores=[1, 2, 3]
    )
    kept = await dynamodb.update(
        User,
        hash_key="u1",
        update_expression=[UpdateAttr("email").if_not_exists("second@x")],
        return_values="ALL_NEW",
    )
    assert kept.email == "first@x"


async def test_update_nested_path_and_condition(dynamodb: DynamoDB) -> None:
    await dynamodb.put(
        order(1).model_copy(update={"address": Address(street="1 Main", city="Oslo")})
    )
    ex = await dynamodb.exceptions()
    new = await dynamodb.update(
        Order,
        hash_key="c1",
        range_key="o001",
        update_expression=[UpdateAttr("address.city").set("Bergen")],
        condition_expression=Attr("status").eq("open"),
        return_values="ALL_NEW",
    )
    assert new.address == Address(street="1 Main", city="Bergen")
    with pytest.raises(ex.ConditionalCheckFailedException):
        await dynamodb.update(
            Order,
            hash_key="c1",
            range_key="o001",
            update_expression=[UpdateAttr("notes").set("x")],
            condition_expression=Attr("status").eq("closed"),
        )


async def test_update_returns_updated_attributes_as_dict(dynamodb: DynamoDB) -> None:
    await dynamodb.put(User(user_id="u1", name="Alice", visits=1))
    updated = await dynamodb.update(
        User,
        hash_key="u1",
        update_expression=[UpdateAttr("visits").add(1)],
        return_values="UPDATED_NEW",
    )
    assert updated == {"visits": 2}


async def test_projected_get_returns_a_dict_of_decoded_values(dynamodb: DynamoDB) -> None:
    await dynamodb.put(order(7))
    got = await dynamodb.get(
        Order, hash_key="c1", range_key="o007", projection=["total", "created_at"]
    )
    assert got == {"total": Decimal("7.5"), "created_at": order(7).created_at}


async def test_many_concurrent_tasks_share_one_client(dynamodb: DynamoDB) -> None:
    import asyncio

    users = [User(user_id=f"u{i}", name=f"n{i}") for i in range(200)]
    await asyncio.gather(*(dynamodb.put(u) for u in users))
    got = await asyncio.gather(*(dynamodb.get(User, hash_key=u.user_id) for u in users))
    assert got == users


async def test_exception_classes_are_shared_with_clients_the_code_builds(
    dynamodb: DynamoDB,
) -> None:
    ex = await dynamodb.exceptions()
    await dynamodb.put(User(user_id="u1", name="Alice"))
    async with DynamoDB() as own:
        with pytest.raises(ex.ConditionalCheckFailedException):
            await own.put(
                User(user_id="u1", name="Bob"), condition_expression=Attr("user_id").not_exists()
            )


async def test_expression_mistakes_are_validation_errors_raised_before_sending(
    dynamodb: DynamoDB,
) -> None:
    from botocore.exceptions import ClientError

    await dynamodb.put(User(user_id="u1", name="Alice", visits=1))
    with pytest.raises(ClientError) as info:
        await dynamodb.update(
            User,
            hash_key="u1",
            update_expression=[UpdateAttr("visits").add(1), UpdateAttr("visits").set(5)],
        )
    assert info.value.response["Error"]["Code"] == "ValidationException"
    assert "visits" in info.value.response["Error"]["Message"]
    assert (await dynamodb.get(User, hash_key="u1")).visits == 1


@pytest.mark.dynamodb_tables(Blob)
async def test_binary_keys_and_values_round_trip(dynamodb: DynamoDB) -> None:
    blob = Blob(digest=b"\x00\xffkey", chunks={b"a", b"\x01\x02"}, body=bytes(range(256)))
    await dynamodb.put(blob)
    assert await dynamodb.get(Blob, hash_key=b"\x00\xffkey") == blob
    assert await dynamodb.scan(Blob).all() == [blob]


async def test_update_refuses_a_value_the_field_cannot_hold(dynamodb: DynamoDB) -> None:
    from aiodynamodb import EncodeError

    await dynamodb.put(User(user_id="u1", name="Alice", visits=1))
    with pytest.raises(EncodeError, match=r"cannot write 'many' to 'visits': .*valid integer"):
        await dynamodb.update(
            User, hash_key="u1", update_expression=[UpdateAttr("visits").set("many")]
        )
    fixed = await dynamodb.update(
        User,
        hash_key="u1",
        update_expression=[UpdateAttr("visits").set("7")],  # validated as the field's type
        return_values="ALL_NEW",
    )
    assert fixed.visits == 7
    # a condition comparing a field with a value it cannot hold is refused too (it could
    # only ever be false); Raw names the attribute outside the model's types on purpose
    with pytest.raises(EncodeError, match=r"User: a condition compares 'visits' \(int\)"):
        await dynamodb.delete(User, hash_key="u1", condition_expression=Attr("visits").eq("many"))
    ex = await dynamodb.exceptions()
    with pytest.raises(ex.ConditionalCheckFailedException):
        await dynamodb.delete(
            User, hash_key="u1", condition_expression=Attr(Raw("visits")).eq("many")
        )


async def test_a_dict_instead_of_a_model_is_a_clear_type_error(dynamodb: DynamoDB) -> None:
    with pytest.raises(TypeError, match="expected a DynamoModel subclass decorated with @table"):
        await dynamodb.put({"user_id": "u1"})  # type: ignore[arg-type]


@pytest.mark.dynamodb_tables(Blob)
async def test_raw_calls_on_the_low_level_client_keep_botocore_parsing(
    dynamodb: DynamoDB,
) -> None:
    await dynamodb.put(Blob(digest=b"\x00k", chunks={b"z"}))
    low = await dynamodb.low_level_client()
    raw = await low.get_item(TableName=dynamodb.table_name(Blob), Key={"digest": {"B": b"\x00k"}})
    assert raw["Item"]["digest"] == {"B": b"\x00k"}
    assert raw["Item"]["chunks"] == {"BS": [b"z"]}
    assert raw["ResponseMetadata"]["HTTPStatusCode"] == 200


LONE_SURROGATE = "x\ud800y"


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: User(user_id="u1", name=LONE_SURROGATE), "name"),
        (lambda: User(user_id="u1", name="Alice", email=LONE_SURROGATE), "email"),
        (lambda: User(user_id="u1", name="Alice", tags={"ok", LONE_SURROGATE}), "tags"),
        (
            lambda: order(1).model_copy(
                update={"address": Address(street=LONE_SURROGATE, city="Paris")}
            ),
            "address",
        ),
    ],
    ids=["str-field", "optional-field", "string-set", "nested-model"],
)
async def test_lone_surrogate_is_refused_before_sending_naming_the_field(
    dynamodb: DynamoDB, make: Any, field: str
) -> None:
    # One size rule for the codec, the client's checks and the strict mock: a string with
    # no UTF-8 form has no size, and DynamoDB cannot store it.
    from aiodynamodb import EncodeError

    instance = make()
    model = type(instance).__name__
    with pytest.raises(EncodeError, match=rf"cannot store {model}\.{field} = .*lone surrogate"):
        await dynamodb.put(instance)
    if model == "User":
        assert await dynamodb.get(User, hash_key="u1") is None
    else:
        assert await dynamodb.get(Order, hash_key="c1", range_key="o001") is None
