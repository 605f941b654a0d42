"""A table no request changed is handed to the next test as it is, rather than restored
from its copy (``_moto.CHANGES``): every way a test can change a table, whichever client
sends the request and on either in-process backend, still gives the next test the table
exactly as created, empty, indexes included. And the one missing-table hint that stays in
the chain from test to test names the running test's tables, not an earlier one's."""

from __future__ import annotations

import pytest

CHANGES_EVERY_WAY = """
import botocore.session
import pytest
from aiobotocore.session import get_session

from models import Audit, Order, User

pytestmark = pytest.mark.dynamodb_tables(User, Order, Audit)


async def assert_as_created(db):
    low = await db.low_level_client()
    for name in ("users", "orders", "audit"):
        assert (await low.scan(TableName=name))["Items"] == [], name
        table = (await low.describe_table(TableName=name))["Table"]
        assert table["ItemCount"] == 0, name
        assert table.get("BillingMode", table.get("BillingModeSummary", {}).get("BillingMode"))
        ttl = (await low.describe_time_to_live(TableName=name))["TimeToLiveDescription"]
        assert ttl["TimeToLiveStatus"] == "DISABLED", name
        tags = await low.list_tags_of_resource(ResourceArn=table["TableArn"])
        assert tags.get("Tags", []) == [], name
    orders = (await low.describe_table(TableName="orders"))["Table"]
    assert [i["IndexName"] for i in orders["GlobalSecondaryIndexes"]] == ["by_status"]
    users = (await low.describe_table(TableName="users"))["Table"]
    assert users.get("GlobalSecondaryIndexes", []) == []
    index = await low.scan(TableName="orders", IndexName="by_status")
    assert index["Items"] == []


async def test_00_creates_the_tables(dynamodb):
    # The first test of a table creates it; the shortcut serves the tests after.
    await assert_as_created(dynamodb)


async def test_01_raw_aiobotocore_client(dynamodb):
    await assert_as_created(dynamodb)
    async with get_session().create_client("dynamodb") as raw:
        await raw.put_item(TableName="users", Item={"user_id": {"S": "u1"}, "name": {"S": "n"}})
        await raw.put_item(
            TableName="orders",
            Item={"order_id": {"S": "o1"}, "created_at": {"S": "t"}, "status": {"S": "open"}},
        )


async def test_02_sync_botocore_client(dynamodb):
    await assert_as_created(dynamodb)
    client = botocore.session.get_session().create_client("dynamodb")
    try:
        client.batch_write_item(
            RequestItems={"audit": [{"PutRequest": {"Item": {"event_id": {"S": "e1"}}}}]}
        )
        client.transact_write_items(
            TransactItems=[{"Put": {"TableName": "users", "Item": {"user_id": {"S": "u9"}}}}]
        )
    finally:
        client.close()


async def test_03_written_then_deleted(dynamodb):
    await assert_as_created(dynamodb)
    await dynamodb.put(User(user_id="u1"))
    await dynamodb.delete(User, hash_key="u1")
    await dynamodb.put(Order(order_id="o1", created_at="t"))
    await dynamodb.delete(Order, hash_key="o1", range_key="t")


async def test_04_the_tables_themselves_changed(dynamodb):
    await assert_as_created(dynamodb)
    low = await dynamodb.low_level_client()
    arn = (await low.describe_table(TableName="audit"))["Table"]["TableArn"]
    await low.tag_resource(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}])
    await low.update_time_to_live(
        TableName="users", TimeToLiveSpecification={"Enabled": True, "AttributeName": "ttl"}
    )
    await low.update_table(
        TableName="users",
        AttributeDefinitions=[{"AttributeName": "name", "AttributeType": "S"}],
        GlobalSecondaryIndexUpdates=[
            {
                "Create": {
                    "IndexName": "by_name",
                    "KeySchema": [{"AttributeName": "name", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "ALL"},
                }
            }
        ],
    )


async def test_05_a_table_deleted_and_made_again_by_hand(dynamodb):
    await assert_as_created(dynamodb)
    low = await dynamodb.low_level_client()
    await low.delete_table(TableName="audit")
    await low.create_table(
        TableName="audit",
        KeySchema=[{"AttributeName": "other", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "other", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    await low.put_item(TableName="audit", Item={"other": {"S": "x"}})


async def test_06_a_failed_transaction(dynamodb):
    await assert_as_created(dynamodb)
    low = await dynamodb.low_level_client()
    with pytest.raises(low.exceptions.TransactionCanceledException):
        await low.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": "audit", "Item": {"event_id": {"S": "e1"}}}},
                {
                    "ConditionCheck": {
                        "TableName": "users",
                        "Key": {"user_id": {"S": "absent"}},
                        "ConditionExpression": "attribute_exists(user_id)",
                    }
                },
            ]
        )


async def test_07_reads_only(dynamodb):
    await assert_as_created(dynamodb)
    assert await dynamodb.get(Order, hash_key="absent", range_key="t") is None


async def test_08_last(dynamodb):
    await assert_as_created(dynamodb)
"""


@pytest.mark.parametrize("backend", ["memory", "server"])
def test_the_next_test_sees_tables_as_created_whatever_changed_them(
    project: pytest.Pytester, backend: str
) -> None:
    project.makepyfile(test_it=CHANGES_EVERY_WAY)
    project.runpytest(f"--dynamodb-backend={backend}").assert_outcomes(passed=9)


def test_a_table_changed_behind_moto_s_back_is_restored(project: pytest.Pytester) -> None:
    # A write that reaches moto's backend without a request (code poking moto's objects):
    # the table holds an item, so it is not the table as created.
    project.makepyfile(
        test_it="""
        import pytest
        from moto.dynamodb.models import dynamodb_backends
        from models import User

        pytestmark = pytest.mark.dynamodb_tables(User)


        async def test_00_creates_the_table(dynamodb):
            pass


        async def test_01_poke(dynamodb):
            await dynamodb.get(User, hash_key="u1")
            for regions in dynamodb_backends.values():
                for backend in regions.values():
                    if "users" in backend.tables:
                        backend.tables["users"].put_item(
                            {"user_id": {"S": "u1"}, "name": {"S": "n"}}
                        )


        async def test_02_empty(dynamodb):
            assert await dynamodb.get(User, hash_key="u1") is None
        """
    )
    project.runpytest().assert_outcomes(passed=3)


HINT_FOLLOWS_THE_TEST = """
import pytest

from aiodynamodb.testing import mock_dynamodb
from models import Order, User

HINT = "was not created for this test"


@pytest.mark.dynamodb_tables(User, Order)
async def test_01_both_declared(dynamodb):
    await dynamodb.put(Order(order_id="o1", created_at="t"))
    low = await dynamodb.low_level_client()
    with pytest.raises(low.exceptions.ResourceNotFoundException) as info:
        await low.describe_table(TableName="audit")
    assert HINT in str(info.value)


@pytest.mark.dynamodb_tables(User)
async def test_02_orders_not_declared_now(dynamodb):
    ex = await dynamodb.exceptions()
    with pytest.raises(ex.ResourceNotFoundException) as info:
        await dynamodb.get(Order, hash_key="o1", range_key="t")
    assert "table 'orders' " + HINT in str(info.value)


async def test_03_a_plain_test_with_its_own_mock():
    async with mock_dynamodb(User) as db:
        ex = await db.exceptions()
        with pytest.raises(ex.ResourceNotFoundException) as info:
            await db.get(Order, hash_key="o1", range_key="t")
        assert HINT not in str(info.value)


@pytest.mark.dynamodb_tables(User)
async def test_04_the_hint_is_back(dynamodb):
    ex = await dynamodb.exceptions()
    with pytest.raises(ex.ResourceNotFoundException) as info:
        await dynamodb.get(Order, hash_key="o1", range_key="t")
    assert "table 'orders' " + HINT in str(info.value)
"""


def test_the_missing_table_hint_follows_the_running_test(project: pytest.Pytester) -> None:
    project.makepyfile(test_it=HINT_FOLLOWS_THE_TEST)
    project.runpytest().assert_outcomes(passed=4)
