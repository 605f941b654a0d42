"""The interception layer itself: one handler per client, the chain, errors as responses."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from aiodynamodb.testing.intercept import (
    CRASHES,
    DynamoCall,
    DynamoResponse,
    Proceed,
    add_interceptor,
    intercepting,
    is_intercepting,
)
from tests.fidelity.clients import aiobotocore_session

KEY = {"AttributeName": "pk", "KeyType": "HASH"}
DEFINITION = {"AttributeName": "pk", "AttributeType": "S"}


@pytest.fixture
async def mock(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[None]:
    """aiomoto's mock, with fake credentials."""
    import aiomoto

    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    async with aiomoto.mock_aws():
        yield


def client() -> Any:
    # One attempt: a throttling answer is not retried (botocore would back off ~25 s).
    return aiobotocore_session().create_client(
        "dynamodb", region_name="us-east-1", config=Config(retries={"max_attempts": 1})
    )


async def make_table(ddb: Any) -> None:
    await ddb.create_table(
        TableName="things",
        KeySchema=[KEY],
        AttributeDefinitions=[DEFINITION],
        BillingMode="PAY_PER_REQUEST",
    )


async def test_chain_order_and_removal(mock: None) -> None:
    seen: list[str] = []

    def recorder(label: str) -> Any:
        async def interceptor(call: DynamoCall, proceed: Proceed) -> DynamoResponse:
            seen.append(f"{label}>{call.operation}")
            response = await proceed()
            seen.append(f"{label}<{response.status_code}")
            return response

        return interceptor

    async with intercepting(), client() as ddb:
        with (
            add_interceptor(recorder("late"), priority=5),
            add_interceptor(recorder("early"), priority=-5),
        ):
            await make_table(ddb)
        await ddb.list_tables()
    assert seen == ["early>CreateTable", "late>CreateTable", "late<200", "early<200"]


async def test_moto_runs_once_per_request(mock: None) -> None:
    async with intercepting(), client() as ddb:
        await make_table(ddb)
        # Run twice, the conditional put would fail the second time.
        await ddb.put_item(
            TableName="things",
            Item={"pk": {"S": "a"}},
            ConditionExpression="attribute_not_exists(pk)",
        )
        ex = ddb.exceptions.ConditionalCheckFailedException
        with pytest.raises(ex):
            await ddb.put_item(
                TableName="things",
                Item={"pk": {"S": "a"}},
                ConditionExpression="attribute_not_exists(pk)",
            )


async def test_error_responses_raise_botocore_classes(mock: None) -> None:
    async def throttle(call: DynamoCall, proceed: Proceed) -> DynamoResponse:
        if call.operation == "GetItem":
            return DynamoResponse.error(
                "ProvisionedThroughputExceededException", "slow down", table=call.tables[0]
            )
        return await proceed()

    async with intercepting(), client() as ddb:
        await make_table(ddb)
        throttled = ddb.exceptions.ProvisionedThroughputExceededException
        with add_interceptor(throttle), pytest.raises(throttled) as caught:
            await ddb.get_item(TableName="things", Key={"pk": {"S": "a"}})
    assert caught.value.response["Error"]["Message"] == "slow down"


async def test_raised_client_errors_become_responses(mock: None) -> None:
    async def refuse(call: DynamoCall, proceed: Proceed) -> DynamoResponse:
        raise ClientError({"Error": {"Code": "ValidationException", "Message": "no"}}, "X")

    async with intercepting(), client() as ddb:
        with add_interceptor(refuse), pytest.raises(ClientError) as caught:
            await ddb.list_tables()
    assert caught.value.response["Error"] == {"Code": "ValidationException", "Message": "no"}


async def test_a_users_interceptor_bug_keeps_its_identity(mock: None) -> None:
    async def broken(call: DynamoCall, proceed: Proceed) -> DynamoResponse:
        raise KeyError("oops")

    async with intercepting(), client() as ddb:
        with add_interceptor(broken), pytest.raises(KeyError, match="oops"):
            await ddb.list_tables()
    # The user's own bug, not the in-memory DynamoDB's: raised as it is, no crash recorded.
    assert CRASHES.take() == []


async def test_responses_can_be_rewritten(mock: None) -> None:
    async def rename(call: DynamoCall, proceed: Proceed) -> DynamoResponse:
        response = await proceed()
        if call.operation == "ListTables":
            body = response.body
            body["TableNames"] = [name.upper() for name in body["TableNames"]]
            response.body = body
        return response

    async with intercepting(), client() as ddb:
        await make_table(ddb)
        with add_interceptor(rename):
            assert (await ddb.list_tables())["TableNames"] == ["THINGS"]


async def test_call_exposes_params_and_tables(mock: None) -> None:
    calls: list[DynamoCall] = []

    async def keep(call: DynamoCall, proceed: Proceed) -> DynamoResponse:
        calls.append(call)
        return await proceed()

    async with intercepting(), client() as ddb:
        await make_table(ddb)
        with add_interceptor(keep):
            await ddb.batch_get_item(RequestItems={"things": {"Keys": [{"pk": {"S": "a"}}]}})
    (call,) = calls
    assert call.operation == "BatchGetItem"
    assert call.tables == ("things",)
    assert call.params == json.loads(call.request.body)
    assert call.region == "us-east-1"


async def test_patch_is_restored_exactly(mock: None) -> None:
    from aiobotocore.session import AioSession

    before = AioSession._create_client
    assert not is_intercepting()
    with intercepting():
        with intercepting():
            assert is_intercepting()
        assert AioSession._create_client is not before
    assert AioSession._create_client is before
    assert not is_intercepting()


async def test_clients_created_outside_are_left_alone(mock: None) -> None:
    seen: list[str] = []

    async def keep(call: DynamoCall, proceed: Proceed) -> DynamoResponse:
        seen.append(call.operation)
        return await proceed()

    async with client() as ddb, intercepting():
        with add_interceptor(keep):
            await ddb.list_tables()
    assert seen == []
