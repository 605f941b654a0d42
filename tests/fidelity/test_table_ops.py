"""Table operations: UpdateTable and ListTables rules, TTL errors and their order,
description fields, statuses and their transition."""

from __future__ import annotations

import asyncio
import re
import uuid
from typing import Any

import pytest

from tests.fidelity.helpers import Backend, create_table, refused, wait_active

V = "ValidationException"
NOT_FOUND = "ResourceNotFoundException"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def new_gsi(name: str, attribute: str) -> dict[str, Any]:
    return {
        "Create": {
            "IndexName": name,
            "KeySchema": [{"AttributeName": attribute, "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"},
        }
    }


@pytest.mark.parametrize(
    "params",
    [pytest.param({}, id="nothing"), pytest.param({"GlobalSecondaryIndexUpdates": []}, id="empty")],
)
async def test_update_table_that_changes_nothing(
    ddb: Any, backend: Backend, hash_table: str, params: dict[str, Any]
) -> None:
    await refused(
        backend,
        ddb.update_table(TableName=hash_table, **params),
        V,
        "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
        "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required",
        exact_on_server=True,
    )


async def test_update_table_empty_index_update(ddb: Any, backend: Backend, hash_table: str) -> None:
    await refused(
        backend,
        ddb.update_table(TableName=hash_table, GlobalSecondaryIndexUpdates=[{}]),
        V,
        "One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate.Update, "
        "GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null",
        exact_on_server=True,
    )


async def test_new_index_key_must_be_defined(ddb: Any, backend: Backend, hash_table: str) -> None:
    # Even an attribute of the table's key must be defined again (Alternator's
    # test_gsi_backfill_with_lsi, run on AWS).
    await refused(
        backend,
        ddb.update_table(
            TableName=hash_table,
            AttributeDefinitions=[{"AttributeName": "other", "AttributeType": "S"}],
            GlobalSecondaryIndexUpdates=[new_gsi("by_color", "color")],
        ),
        V,
        "One or more parameter values were invalid: Some index key attributes are not defined "
        "in AttributeDefinitions. Keys: [color], AttributeDefinitions: [other]",
    )


@pytest.mark.not_on_dynalite("dynalite accepts the Delete of an index that does not exist")
async def test_deleting_a_missing_index(ddb: Any, backend: Backend, hash_table: str) -> None:
    await refused(
        backend,
        ddb.update_table(
            TableName=hash_table, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "nope"}}]
        ),
        NOT_FOUND,
        "Requested resource not found",
    )


@pytest.mark.not_on_dynalite(
    "dynalite wants ProvisionedThroughput on a new GSI of an on-demand table"
)
async def test_two_index_creations_at_once(ddb: Any, backend: Backend, hash_table: str) -> None:
    await refused(
        backend,
        ddb.update_table(
            TableName=hash_table,
            AttributeDefinitions=[{"AttributeName": "color", "AttributeType": "S"}],
            GlobalSecondaryIndexUpdates=[new_gsi("by_color", "color"), new_gsi("by_hue", "color")],
        ),
        "LimitExceededException",
        "Subscriber limit exceeded: Only 1 online index can be created or deleted "
        "simultaneously per table",
    )


@pytest.mark.parametrize(
    ("limit", "rule"),
    [
        pytest.param(101, "Member must have value less than or equal to 100", id="101"),
        pytest.param(0, "Member must have value greater than or equal to 1", id="0"),
    ],
)
async def test_list_tables_limit(ddb: Any, backend: Backend, limit: int, rule: str) -> None:
    await refused(
        backend,
        ddb.list_tables(Limit=limit),
        V,
        f"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy "
        f"constraint: {rule}",
        exact_on_server=limit == 101,
    )


@pytest.mark.not_on_dynalite("dynalite has no TimeToLive operations")
async def test_ttl_of_a_missing_table(ddb: Any, backend: Backend) -> None:
    name = f"fid_missing_{uuid.uuid4().hex[:8]}"
    message = f"Requested resource not found: Table: {name} not found"
    await refused(backend, ddb.describe_time_to_live(TableName=name), NOT_FOUND, message)
    await refused(
        backend,
        ddb.update_time_to_live(
            TableName=name, TimeToLiveSpecification={"AttributeName": "e", "Enabled": True}
        ),
        NOT_FOUND,
        message,
    )


@pytest.mark.not_on_dynalite("dynalite has no TimeToLive operations")
async def test_ttl_checks_before_the_hourly_rule(
    ddb: Any, backend: Backend, hash_table: str
) -> None:
    async def ttl(name: str, enabled: bool) -> Any:
        return await ddb.update_time_to_live(
            TableName=hash_table,
            TimeToLiveSpecification={"AttributeName": name, "Enabled": enabled},
        )

    await ttl("expires", True)
    # Right after a change: each of these is refused for what it is, not for coming too soon.
    await refused(backend, ttl("expires", True), V, "TimeToLive is already enabled")
    other = "TimeToLive is active on a different AttributeName"
    await refused(backend, ttl("other", True), V, other)
    await refused(backend, ttl("other", False), V, other)
    await refused(
        backend,
        ttl("expires", False),
        V,
        "Time to live has been modified multiple times within a fixed interval",
    )


@pytest.mark.not_on_dynalite("dynalite's descriptions lack TableId and IndexArn")
async def test_description_fields(ddb: Any, composite_table: str) -> None:
    table = (await ddb.describe_table(TableName=composite_table))["Table"]
    assert UUID.fullmatch(table["TableId"])
    indexes = table["GlobalSecondaryIndexes"] + table["LocalSecondaryIndexes"]
    assert {index["IndexArn"] for index in indexes} == {
        f"{table['TableArn']}/index/{index['IndexName']}" for index in indexes
    }
    summary = table["BillingModeSummary"]
    assert summary["BillingMode"] == "PAY_PER_REQUEST"
    assert summary["LastUpdateToPayPerRequestDateTime"] == table["CreationDateTime"]
    assert (await ddb.describe_table(TableName=composite_table))["Table"]["TableId"] == (
        table["TableId"]
    )


async def test_create_answers_creating_and_delete_deleting(ddb: Any, backend: Backend) -> None:
    name = f"fid_status_{uuid.uuid4().hex[:8]}"
    created = await ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    assert created["TableDescription"]["TableStatus"] == "CREATING"
    await wait_active(ddb, name)
    deleted = (await ddb.delete_table(TableName=name))["TableDescription"]
    assert deleted["TableStatus"] == "DELETING"
    assert deleted["TableName"] == name


@pytest.mark.not_on_dynalite("dynalite's DeleteTable answers the whole description")
async def test_delete_answers_a_short_description(ddb: Any, composite_table: str) -> None:
    table_id = (await ddb.describe_table(TableName=composite_table))["Table"]["TableId"]
    deleted = (await ddb.delete_table(TableName=composite_table))["TableDescription"]
    assert deleted["TableId"] == table_id
    for field in (
        "CreationDateTime",
        "KeySchema",
        "AttributeDefinitions",
        "GlobalSecondaryIndexes",
        "LocalSecondaryIndexes",
    ):
        assert field not in deleted
    assert "LastUpdateToPayPerRequestDateTime" in deleted["BillingModeSummary"]


async def test_table_transition_is_seen_by_waiting_code(ddb: Any, backend: Backend) -> None:
    if not backend.is_memory:
        pytest.skip("table_transition() sets the in-memory backend's transition")
    from aiodynamodb.testing.strict import table_transition

    with table_transition(0.05):
        await create_table(ddb, "fid_transition", [("pk", "HASH", "S")])
        # create_table polled until ACTIVE; a fresh table is CREATING first.
        await ddb.create_table(
            TableName="fid_transition_2",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        described = await ddb.describe_table(TableName="fid_transition_2")
        assert described["Table"]["TableStatus"] == "CREATING"
        await ddb.update_table(
            TableName="fid_transition",
            AttributeDefinitions=[{"AttributeName": "color", "AttributeType": "S"}],
            GlobalSecondaryIndexUpdates=[new_gsi("by_color", "color")],
        )
        table = (await ddb.describe_table(TableName="fid_transition"))["Table"]
        assert table["TableStatus"] == "UPDATING"
        [index] = table["GlobalSecondaryIndexes"]
        assert (index["IndexStatus"], index["Backfilling"]) == ("CREATING", True)
        await asyncio.sleep(0.06)
        table = (await ddb.describe_table(TableName="fid_transition"))["Table"]
        assert table["TableStatus"] == "ACTIVE"
        assert table["GlobalSecondaryIndexes"][0]["IndexStatus"] == "ACTIVE"
    # Without a transition (the default) a new table is ACTIVE at once.
    await ddb.create_table(
        TableName="fid_transition_3",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    described = await ddb.describe_table(TableName="fid_transition_3")
    assert described["Table"]["TableStatus"] == "ACTIVE"


async def test_switch_to_on_demand(ddb: Any, backend: Backend) -> None:
    name = f"fid_billing_{uuid.uuid4().hex[:8]}"
    await ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
    )
    await wait_active(ddb, name)
    before = (await ddb.describe_table(TableName=name))["Table"]
    assert "LastUpdateToPayPerRequestDateTime" not in before.get("BillingModeSummary", {})
    updated = await ddb.update_table(TableName=name, BillingMode="PAY_PER_REQUEST")
    assert updated["TableDescription"]["TableStatus"] == "UPDATING"
    await wait_active(ddb, name)
    summary = (await ddb.describe_table(TableName=name))["Table"]["BillingModeSummary"]
    assert summary["BillingMode"] == "PAY_PER_REQUEST"
    assert summary["LastUpdateToPayPerRequestDateTime"] >= before["CreationDateTime"]
    await backend.drop(ddb, name)
