"""The direct transport (issue 18): a ``DynamoDB`` on the in-memory backend hands its requests
to the chain without an HTTP request, and its callers cannot tell: the same results,
exception classes, ``response`` dicts and retry attempts as on the HTTP path
(``AIODYNAMODB_TRANSPORT=http``). No plugin fixture: each test starts its own mock, once per
transport. The mock is in-memory on every backend a run selects; only the run's table prefix
(``$AIODYNAMODB_TABLE_PREFIX``, set by the endpoint backend) carries into it, so raw requests
name the table as the client does (``db.table_prefix``)."""

from __future__ import annotations

from typing import Any

import pytest
from boto3.dynamodb.conditions import Attr, Key
from botocore.config import Config
from botocore.exceptions import ClientError, ParamValidationError

from aiodynamodb import ClientStateError, DynamoDB, DynamoModel, Put, table
from aiodynamodb.testing import mock_dynamodb
from aiodynamodb.testing.faults import FaultInjector
from aiodynamodb.testing.intercept import (
    TRANSPORT_ENV,
    TRANSPORT_MESSAGE,
    DynamoCall,
    DynamoResponse,
    SyncProceed,
    add_interceptor,
)
from aiodynamodb.testing.recorder import CallRecorder


@table("direct_things", hash_key="pk", range_key="sk")
class Thing(DynamoModel):
    pk: str
    sk: int
    name: str
    blob: bytes | None = None
    tags: set[str] | None = None


TRANSPORTS = ["direct", "http"]
SOURCE = {"direct": "direct", "http": "aiobotocore"}


@pytest.fixture(params=TRANSPORTS)
def transport(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(TRANSPORT_ENV, request.param)
    return str(request.param)


class Sources:
    """An interceptor noting where each call entered the chain."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, call: DynamoCall, proceed: SyncProceed) -> DynamoResponse:
        self.seen.append(call.source)
        return proceed()


def _shape(error: ClientError) -> dict[str, Any]:
    """What a caller reads of a ClientError, minus the per-response request id."""
    response = dict(error.response)
    metadata = dict(response.pop("ResponseMetadata"))
    return {
        "class": type(error).__name__,
        "response": response,
        "status": metadata["HTTPStatusCode"],
        "retries": metadata["RetryAttempts"],
        "max_reached": metadata.get("MaxAttemptsReached"),
    }


async def test_our_client_skips_botocores_request_path_on_the_direct_transport(
    transport: str,
) -> None:
    sent: list[str] = []
    sources = Sources()
    async with mock_dynamodb(Thing) as db:
        low = await db.low_level_client()
        low.meta.events.register("before-send.dynamodb", lambda **kw: sent.append("sent"))
        with add_interceptor(sources):
            await db.put(Thing(pk="a", sk=1, name="x", blob=b"\x00\xff", tags={"t"}))
            found = await db.get(Thing, hash_key="a", range_key=1)
            pages = await db.query(Thing, key_condition_expression=Key("pk").eq("a")).all()
    assert found == Thing(pk="a", sk=1, name="x", blob=b"\x00\xff", tags={"t"})
    assert pages == [found]
    assert sources.seen == [SOURCE[transport]] * 3
    # botocore's before-send event fires only on the HTTP path.
    assert sent == ([] if transport == "direct" else ["sent"] * 3)


async def test_a_raw_client_of_the_same_mock_keeps_the_http_path(transport: str) -> None:
    sources = Sources()
    async with mock_dynamodb(Thing) as db:
        low = await db.low_level_client()
        with add_interceptor(sources):
            await low.put_item(
                TableName=db.table_prefix + "direct_things",
                Item={"pk": {"S": "a"}, "sk": {"N": "1"}, "name": {"S": "x"}},
            )
    assert sources.seen == ["aiobotocore"]


async def _failed_condition(db: DynamoDB) -> ClientError:
    await db.put(Thing(pk="a", sk=1, name="old", blob=b"\x01"))
    low = await db.low_level_client()
    try:
        # Through the client's own send path (put() has no ReturnValuesOnConditionCheckFailure).
        await db._call(
            "put_item",
            {
                "TableName": db.table_prefix + "direct_things",
                "Item": {"pk": {"S": "a"}, "sk": {"N": "1"}, "name": {"S": "new"}},
                "ConditionExpression": "#n = :v",
                "ExpressionAttributeNames": {"#n": "name"},
                "ExpressionAttributeValues": {":v": {"S": "nobody"}},
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            },
        )
    except low.exceptions.ConditionalCheckFailedException as error:
        return error
    raise AssertionError("the condition did not fail")


async def _cancelled(db: DynamoDB) -> ClientError:
    await db.put(Thing(pk="a", sk=1, name="old"))
    ex = await db.exceptions()
    try:
        await db.transact_write(
            Put(Thing(pk="a", sk=1, name="x"), condition_expression=Attr("pk").not_exists()),
            Put(Thing(pk="b", sk=2, name="y")),
        )
    except ex.TransactionCanceledException as error:
        return error
    raise AssertionError("the transaction was not cancelled")


async def _throttled(db: DynamoDB) -> ClientError:
    with FaultInjector() as faults:
        faults.fail("PutItem", error="ProvisionedThroughputExceededException", times=None)
        ex = await db.exceptions()
        try:
            await db.put(Thing(pk="a", sk=1, name="x"))
        except ex.ProvisionedThroughputExceededException as error:
            return error
    raise AssertionError("the put was not refused")


async def _server_error(db: DynamoDB) -> ClientError:
    with FaultInjector() as faults:
        faults.fail("GetItem", error="InternalServerError", times=None)
        try:
            await db.get(Thing, hash_key="a", range_key=1)
        except ClientError as error:
            return error
    raise AssertionError("the get did not fail")


SCENARIOS = {
    "condition": _failed_condition,
    "transaction": _cancelled,
    "throttled": _throttled,
    "server-error": _server_error,
}


async def _outcome(
    monkeypatch: pytest.MonkeyPatch, transport: str, scenario: str, config: Config | None
) -> dict[str, Any]:
    monkeypatch.setenv(TRANSPORT_ENV, transport)
    async with mock_dynamodb(Thing) as shared:
        db = shared if config is None else DynamoDB(config=config)
        with CallRecorder() as calls:
            error = await SCENARIOS[scenario](db)
        attempts = len(calls.calls)
        if db is not shared:
            await db.close()
    return {**_shape(error), "attempts": attempts}


# The client, and how many attempts botocore makes on a retryable error with it: DynamoDB's
# legacy default is 10; Config's max_attempts counts the retries after the first attempt.
CLIENTS = {
    "shared-client": (None, 10),
    "standard-4": (Config(retries={"mode": "standard", "max_attempts": 4}), 5),
    "legacy-2": (Config(retries={"mode": "legacy", "max_attempts": 2}), 3),
}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
@pytest.mark.parametrize("client", sorted(CLIENTS))
async def test_errors_and_retries_equal_the_http_paths(
    scenario: str, client: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, retried_attempts = CLIENTS[client]
    direct = await _outcome(monkeypatch, "direct", scenario, config)
    http = await _outcome(monkeypatch, "http", scenario, config)
    assert direct == http
    if scenario in ("throttled", "server-error"):
        assert (direct["attempts"], direct["retries"]) == (retried_attempts, retried_attempts - 1)
    else:  # the write setting the scene, then the refused call: never retried
        assert (direct["attempts"], direct["retries"]) == (2, 0)


async def test_the_failed_conditions_item_and_cancellation_reasons_reach_the_caller(
    transport: str,
) -> None:
    async with mock_dynamodb(Thing) as db:
        failed = await _failed_condition(db)
        assert failed.response["Item"]["blob"] == {"B": b"\x01"}
        assert failed.response["Error"]["Code"] == "ConditionalCheckFailedException"
        assert failed.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        # botocore parses an error's modeled fields through its shape: the body's "__type"
        # is not one of them (the wire fast path's HTTP parser used to leave it in).
        assert "__type" not in failed.response
        cancelled = await _cancelled(db)
    reasons = [reason["Code"] for reason in cancelled.response["CancellationReasons"]]
    assert reasons == ["ConditionalCheckFailed", "None"]


async def test_botocores_parameter_validation_still_applies_when_the_client_validates(
    transport: str,
) -> None:
    async with mock_dynamodb(Thing), DynamoDB(validate=False, parameter_validation=True) as db:
        with pytest.raises(ParamValidationError):
            await db._call("get_item", {"TableName": "direct_things", "Key": "not a map"})


async def test_a_client_created_inside_the_mock_refuses_after_it(transport: str) -> None:
    async with mock_dynamodb(Thing):
        db = DynamoDB()
        await db.put(Thing(pk="a", sk=1, name="x"))
    with pytest.raises(ClientStateError):
        await db.get(Thing, hash_key="a", range_key=1)
    await db.close()


async def test_an_unknown_transport_is_refused_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TRANSPORT_ENV, "carrier-pigeon")
    with pytest.raises(ValueError) as raised:
        async with mock_dynamodb(Thing):
            pass
    assert str(raised.value) == TRANSPORT_MESSAGE.format(value="carrier-pigeon")
