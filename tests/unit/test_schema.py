"""Unit tests for aiodynamodb.codec._table_requests: CreateTable and UpdateTimeToLive requests."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

from aiodynamodb.codec._table_requests import create_table_params, ttl_params
from aiodynamodb.model import GSI, LSI, DynamoModel, HashKey, RangeKey, table


@table(
    "orders",
    hash_key="order_id",
    range_key="created_at",
    indexes=[
        GSI("by_customer", hash_key="customer_id", range_key="total"),
        GSI("by_blob", hash_key="blob", projection="KEYS_ONLY"),
        LSI("by_status", range_key="status", projection="INCLUDE", non_key_attributes=["note"]),
    ],
    ttl_attribute="expires",
    tags={"team": "core", "env": "test"},
)
class Order(DynamoModel):
    order_id: str
    created_at: datetime
    customer_id: str
    total: Decimal
    blob: bytes | None = None
    status: str | None = None
    note: str = ""
    unrelated: int = 0
    expires: int | None = None


@table(
    "ledger",
    billing_mode="PROVISIONED",
    read_capacity=10,
    write_capacity=5,
    indexes=[GSI("by_amount", hash_key="amount", write_capacity=2)],
)
class Ledger(DynamoModel):
    account: HashKey[str]
    seq: RangeKey[int]
    amount: int


@table("users", hash_key="user_id")
class User(DynamoModel):
    user_id: str
    name: str


def test_table_with_gsis_and_lsi() -> None:
    assert create_table_params(Order) == {
        "TableName": "orders",
        "KeySchema": [
            {"AttributeName": "order_id", "KeyType": "HASH"},
            {"AttributeName": "created_at", "KeyType": "RANGE"},
        ],
        # exactly the key attributes of the table and its indexes; never `note` or `unrelated`
        "AttributeDefinitions": [
            {"AttributeName": "order_id", "AttributeType": "S"},
            {"AttributeName": "created_at", "AttributeType": "S"},
            {"AttributeName": "customer_id", "AttributeType": "S"},
            {"AttributeName": "total", "AttributeType": "N"},
            {"AttributeName": "blob", "AttributeType": "B"},
            {"AttributeName": "status", "AttributeType": "S"},
        ],
        "BillingMode": "PAY_PER_REQUEST",
        "GlobalSecondaryIndexes": [
            {
                "IndexName": "by_customer",
                "KeySchema": [
                    {"AttributeName": "customer_id", "KeyType": "HASH"},
                    {"AttributeName": "total", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            },
            {
                "IndexName": "by_blob",
                "KeySchema": [{"AttributeName": "blob", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            },
        ],
        "LocalSecondaryIndexes": [
            {
                "IndexName": "by_status",
                "KeySchema": [
                    {"AttributeName": "order_id", "KeyType": "HASH"},
                    {"AttributeName": "status", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["note"]},
            }
        ],
        "Tags": [{"Key": "team", "Value": "core"}, {"Key": "env", "Value": "test"}],
    }


def test_provisioned_table_and_index_throughput() -> None:
    params = create_table_params(Ledger, table_name="dev_ledger")
    assert params["TableName"] == "dev_ledger"
    assert params["BillingMode"] == "PROVISIONED"
    assert params["ProvisionedThroughput"] == {"ReadCapacityUnits": 10, "WriteCapacityUnits": 5}
    assert params["AttributeDefinitions"] == [
        {"AttributeName": "account", "AttributeType": "S"},
        {"AttributeName": "seq", "AttributeType": "N"},
        {"AttributeName": "amount", "AttributeType": "N"},
    ]
    # an index without its own capacity takes the table's
    assert params["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"] == {
        "ReadCapacityUnits": 10,
        "WriteCapacityUnits": 2,
    }
    assert "LocalSecondaryIndexes" not in params
    assert "Tags" not in params


def test_minimal_table() -> None:
    assert create_table_params(User) == {
        "TableName": "users",
        "KeySchema": [{"AttributeName": "user_id", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "user_id", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
    }


@pytest.mark.parametrize(
    ("model", "table_name", "expected"),
    [
        (
            Order,
            None,
            {
                "TableName": "orders",
                "TimeToLiveSpecification": {"Enabled": True, "AttributeName": "expires"},
            },
        ),
        (
            Order,
            "p_orders",
            {
                "TableName": "p_orders",
                "TimeToLiveSpecification": {"Enabled": True, "AttributeName": "expires"},
            },
        ),
        (User, None, None),
    ],
    ids=["declared", "renamed", "no-ttl"],
)
def test_ttl_params(model: type[DynamoModel], table_name: str | None, expected: Any) -> None:
    assert ttl_params(model, table_name) == expected


@pytest.mark.parametrize("func", [create_table_params, ttl_params], ids=["create", "ttl"])
def test_requires_a_table_model(func: Any) -> None:
    class Plain(DynamoModel):
        x: int

    with pytest.raises(TypeError) as info:
        func(Plain)
    assert "is not a table model" in str(info.value)


@pytest.mark.parametrize("view", ["NEW_AND_OLD_IMAGES", "NEW_IMAGE", "OLD_IMAGE", "KEYS_ONLY"])
def test_stream_view_becomes_the_stream_specification(view: Any) -> None:
    @table("events", hash_key="event_id", stream=view)
    class Event(DynamoModel):
        event_id: str

    params = create_table_params(Event)
    assert params["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": view}
    assert "StreamSpecification" not in create_table_params(User)
