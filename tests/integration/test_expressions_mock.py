"""The expressions aiodynamodb.expressions compiles are accepted and honoured by the mock.

Runs the raw aiobotocore client under aiomoto so only the expression compiler is under test.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from decimal import Decimal
from typing import Any

import pytest
from aiobotocore.session import get_session
from aiomoto import mock_aws
from boto3.dynamodb.conditions import Attr, ConditionBase, Key
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from aiodynamodb.expressions import ELEMENT, ExpressionContext, UpdateAttr
from aiodynamodb.item_types import AttributeValue, Item

TABLE = "expressions"
_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def encode(path: Sequence[str | int], value: Any) -> AttributeValue:
    """A codec stand-in: the element marker only changes what a real codec would pick."""
    assert ELEMENT not in path[:-1]
    return _serializer.serialize(value)  # type: ignore[no-any-return]


def decode(item: Item) -> dict[str, Any]:
    return {name: _deserializer.deserialize(av) for name, av in item.items()}


# This module runs on plain aiomoto and opens no socket of its own. In the dynalite stage a
# socket to dynalite leaked by an earlier test on the same worker (not yet found; see the
# note on issue 19) is sometimes garbage-collected while this module starts its mock, and
# pytest blames the test running at that moment. Only that foreign socket's warnings are
# ignored here; every other unraisable exception still fails these tests.
pytestmark = [
    pytest.mark.filterwarnings(
        r"ignore:Exception ignored in. <socket\.socket:pytest.PytestUnraisableExceptionWarning"
    ),
    pytest.mark.filterwarnings(
        r"ignore:Exception ignored in. <function _SelectorTransport\.__del__"
        r":pytest.PytestUnraisableExceptionWarning"
    ),
]


@pytest.fixture
async def client(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Any]:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL_DYNAMODB", raising=False)
    async with (
        mock_aws(),
        get_session().create_client("dynamodb", region_name="us-east-1") as ddb,
    ):
        await ddb.create_table(
            TableName=TABLE,
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        yield ddb


ITEM: dict[str, Any] = {
    "pk": "u1",
    "sk": "order#1",
    "status": "new",
    "name": "Alice",
    "count": 5,
    "tags": {"a", "b"},
    "events": ["created"],
    "address": {"city": "Oslo", "lines": ["l1", "l2"]},
    "obsolete": True,
}


async def put(client: Any, item: dict[str, Any], condition: ConditionBase | None = None) -> None:
    ctx = ExpressionContext(encode)
    params: dict[str, Any] = {
        "TableName": TABLE,
        "Item": {k: encode([k], v) for k, v in item.items()},
    }
    if condition is not None:
        params["ConditionExpression"] = ctx.condition(condition)
    await client.put_item(**params, **ctx.request_params())


async def test_put_condition(client: Any) -> None:
    await put(client, ITEM, Attr("pk").not_exists())
    with pytest.raises(client.exceptions.ConditionalCheckFailedException):
        await put(client, ITEM, Attr("pk").not_exists())
    await put(client, ITEM, Attr("status").eq("new") & ~Attr("name").ne("Alice"))


async def test_update_every_action_under_a_rich_condition(client: Any) -> None:
    await put(client, ITEM)
    ctx = ExpressionContext(encode)
    condition = (
        (Attr("status").is_in(["new", "paid"]) & Attr("count").between(1, 10))
        | Attr("missing").exists()
    ) & ~(
        Attr("tags").size().lt(1)
        | Attr("name").begins_with("Z")
        | ~Attr("tags").contains("a")
        | ~Attr("address.lines[0]").attribute_type("S")
        | Attr("address.city").lt(Attr("name"))
    )
    params = {
        "UpdateExpression": ctx.update(
            [
                UpdateAttr("status").set("paid"),
                UpdateAttr("obsolete").remove(),
                UpdateAttr("count").increment(2),
                UpdateAttr("visits").add(1),
                UpdateAttr("tags").delete({"a"}),
                UpdateAttr("labels").add({"x"}),
                UpdateAttr("events").append(["paid"]),
                UpdateAttr("address.lines").prepend(["l0"]),
                UpdateAttr("address.city").set("Bergen"),
                UpdateAttr("name").if_not_exists("Bob"),
                UpdateAttr("first_seen").if_not_exists(1),
            ]
        ),
        "ConditionExpression": ctx.condition(condition),
    }
    response = await client.update_item(
        TableName=TABLE,
        Key={"pk": {"S": "u1"}, "sk": {"S": "order#1"}},
        ReturnValues="ALL_NEW",
        **params,
        **ctx.request_params(),
    )
    assert decode(response["Attributes"]) == {
        "pk": "u1",
        "sk": "order#1",
        "status": "paid",
        "name": "Alice",
        "count": Decimal(7),
        "visits": Decimal(1),
        "tags": {"b"},
        "labels": {"x"},
        "events": ["created", "paid"],
        "address": {"city": "Bergen", "lines": ["l0", "l1", "l2"]},
        "first_seen": Decimal(1),
    }


async def test_update_condition_failure(client: Any) -> None:
    await put(client, ITEM)
    ctx = ExpressionContext(encode)
    update = ctx.update([UpdateAttr("count").decrement(), UpdateAttr("address.lines[1]").remove()])
    with pytest.raises(client.exceptions.ConditionalCheckFailedException):
        await client.update_item(
            TableName=TABLE,
            Key={"pk": {"S": "u1"}, "sk": {"S": "order#1"}},
            UpdateExpression=update,
            ConditionExpression=ctx.condition(Attr("status").eq("paid")),
            **ctx.request_params(),
        )
    ctx = ExpressionContext(encode)
    response = await client.update_item(
        TableName=TABLE,
        Key={"pk": {"S": "u1"}, "sk": {"S": "order#1"}},
        UpdateExpression=ctx.update(
            [UpdateAttr("count").decrement(), UpdateAttr("address.lines[1]").remove()]
        ),
        ConditionExpression=ctx.condition(Attr("status").eq("new")),
        ReturnValues="ALL_NEW",
        **ctx.request_params(),
    )
    attributes = decode(response["Attributes"])
    assert attributes["count"] == Decimal(4)
    assert attributes["address"] == {"city": "Oslo", "lines": ["l1"]}


async def test_query_key_condition_filter_and_projection(client: Any) -> None:
    for n in range(5):
        await put(client, {**ITEM, "sk": f"order#{n}", "count": n})
    await put(client, {**ITEM, "sk": "profile", "count": 99})
    await put(client, {**ITEM, "pk": "u2"})
    ctx = ExpressionContext(encode)
    response = await client.query(
        TableName=TABLE,
        KeyConditionExpression=ctx.key_condition(
            Key("pk").eq("u1") & Key("sk").begins_with("order#")
        ),
        FilterExpression=ctx.condition(Attr("count").gte(2) & Attr("status").eq("new")),
        ProjectionExpression=ctx.projection(["sk", "count", "address.city", "name"]),
        **ctx.request_params(),
    )
    assert [decode(item) for item in response["Items"]] == [
        {"sk": f"order#{n}", "count": Decimal(n), "address": {"city": "Oslo"}, "name": "Alice"}
        for n in (2, 3, 4)
    ]

    ctx = ExpressionContext(encode)
    response = await client.query(
        TableName=TABLE,
        KeyConditionExpression=ctx.key_condition(
            Key("pk").eq("u1") & Key("sk").between("order#1", "order#3")
        ),
        ScanIndexForward=False,
        **ctx.request_params(),
    )
    assert [item["sk"]["S"] for item in response["Items"]] == ["order#3", "order#2", "order#1"]


EVALUATED: list[tuple[str, ConditionBase, bool]] = [
    ("eq", Attr("status").eq("new"), True),
    ("eq_false", Attr("status").eq("paid"), False),
    ("ne", Attr("name").ne("Bob"), True),
    ("lt_lte", Attr("count").lt(6) & Attr("count").lte(5), True),
    ("gt_gte", Attr("count").gt(5) | Attr("count").gte(6), False),
    ("between", Attr("count").between(5, 5), True),
    ("in", Attr("status").is_in(["paid", "shipped"]), False),
    ("begins_with", Attr("sk").begins_with("order#"), True),
    ("exists_nested", Attr("address.lines[1]").exists(), True),
    ("not_exists_index", Attr("address.lines[2]").not_exists(), True),
    ("attribute_type", Attr("tags").attribute_type("SS"), True),
    ("attribute_type_false", Attr("count").attribute_type("S"), False),
    ("contains_set", Attr("tags").contains("a"), True),
    ("contains_list", Attr("events").contains("created"), True),
    ("contains_string", Attr("name").contains("lic"), True),
    ("size", Attr("tags").size().eq(2) & Attr("name").size().gt(4), True),
    ("size_false", Attr("address.lines").size().gte(3), False),
    ("attr_vs_attr", Attr("address.city").gt(Attr("name")), True),
    ("not", ~Attr("obsolete").eq(True), False),
    ("or_of_and", (Attr("count").eq(1) & Attr("pk").exists()) | Attr("status").eq("new"), True),
    ("and_of_or", (Attr("count").eq(1) | Attr("pk").exists()) & Attr("status").eq("old"), False),
    ("not_or", ~(Attr("count").eq(1) | Attr("status").eq("x")), True),
]


@pytest.mark.parametrize(
    ("cond", "holds"), [e[1:] for e in EVALUATED], ids=[e[0] for e in EVALUATED]
)
async def test_condition_evaluated_by_mock(client: Any, cond: ConditionBase, holds: bool) -> None:
    await put(client, ITEM)
    if holds:
        await put(client, ITEM, cond)
    else:
        with pytest.raises(client.exceptions.ConditionalCheckFailedException):
            await put(client, ITEM, cond)
