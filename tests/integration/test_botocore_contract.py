"""Contract tests for ``aiodynamodb/client/_botocore.py``, the one module that uses private
botocore/aiobotocore APIs.

One test per API: each says which API and which versions when it fails, so an upgrade that
moves one names what to fix. ``make test`` runs them on aiobotocore 2.24.1
(``test-lowest``), 2.25.1 (``test-aioboto3``) and 3.9.2 (the other stages). Nothing here
reaches the network: clients are created without opening an HTTP session.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from aiodynamodb.client import _botocore, _wire

VERSIONS = _botocore.versions()


def broken(api: str) -> str:
    return f"{VERSIONS}: {api} is not what aiodynamodb/client/_botocore.py expects"


def fresh_session() -> Any:
    from aiobotocore.session import get_session

    return get_session()


@pytest.fixture
async def client() -> AsyncIterator[Any]:
    low = await _botocore.create_unbound_client(
        fresh_session(),
        "dynamodb",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    try:
        yield low
    finally:
        await low.close()


def test_versions_names_both_libraries() -> None:
    assert VERSIONS.startswith("aiobotocore ")
    assert ", botocore " in VERSIONS


def test_a_missing_api_fails_naming_it_and_the_versions() -> None:
    with pytest.raises(_botocore.BotocoreContractError) as caught:
        _botocore.forget_credentials(object())
    message = str(caught.value)
    assert "botocore.session.Session._credentials" in message
    assert VERSIONS in message
    assert _botocore.SUPPORTED in message
    assert caught.value.api == "botocore.session.Session._credentials"


def test_session_credentials_cache() -> None:
    api = "botocore.session.Session._credentials"
    session = fresh_session()
    assert hasattr(session, "_credentials"), broken(api)
    session._credentials = object()
    _botocore.forget_credentials(session)
    assert session._credentials is None, broken(api)


async def test_create_unbound_client(client: Any) -> None:
    api = "aiobotocore.session.AioSession._create_client"
    assert client.meta.service_model.service_name == "dynamodb", broken(api)
    assert client.meta.region_name == "us-east-1", broken(api)


async def test_session_client_factory_can_be_replaced() -> None:
    api = "aiobotocore.session.AioSession._create_client"
    original = _botocore.session_client_factory()
    assert inspect.iscoroutinefunction(original), broken(api)
    made: list[str] = []

    async def recording(session: Any, *args: Any, **kwargs: Any) -> Any:
        low = await original(session, *args, **kwargs)
        made.append(low.meta.service_model.service_name)
        return low

    _botocore.set_session_client_factory(recording)
    try:
        # create_client (the public way) goes through _create_client.
        async with fresh_session().create_client(
            "dynamodb",
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        ):
            pass
    finally:
        _botocore.set_session_client_factory(original)
    assert made == ["dynamodb"], broken(api)
    assert _botocore.session_client_factory() is original


async def test_client_serializer(client: Any) -> None:
    api = "botocore.client.BaseClient._serializer"
    serializer = _botocore.client_serializer(client)
    operation = client.meta.service_model.operation_model("GetItem")
    request = serializer.serialize_to_request({"TableName": "t", "Key": {}}, operation)
    assert request["headers"]["X-Amz-Target"] == "DynamoDB_20120810.GetItem", broken(api)
    replacement = _wire.DirectJSONSerializer(serializer)
    _botocore.set_client_serializer(client, replacement)
    assert client._serializer is replacement, broken(api)
    # The direct serializer makes the request botocore's would (JSON spacing aside).
    direct = replacement.serialize_to_request({"TableName": "t", "Key": {}}, operation)
    assert json.loads(direct["body"]) == json.loads(request["body"]), broken(api)
    assert direct["headers"] == request["headers"], broken(api)


async def test_endpoint_and_its_send(client: Any) -> None:
    endpoint = _botocore.client_endpoint(client)
    send = getattr(endpoint, "_send", None)
    api = "aiobotocore.endpoint.AioEndpoint._send"
    assert send is not None, broken(api)
    assert inspect.iscoroutinefunction(send), broken(api)
    assert list(inspect.signature(send).parameters) == ["request"], broken(api)


async def test_response_parser_factory(client: Any) -> None:
    api = "botocore.endpoint.Endpoint._response_parser_factory"
    endpoint = _botocore.client_endpoint(client)
    before = _botocore.response_parser_factory(endpoint)
    assert isinstance(getattr(before, "_defaults", None), dict), broken(
        "botocore.parsers.ResponseParserFactory._defaults"
    )
    factory_class = _wire._parser_factory_class()
    replacement = factory_class()
    _botocore.set_response_parser_factory(endpoint, replacement)
    assert _botocore.response_parser_factory(endpoint) is replacement, broken(api)
    assert replacement._defaults == before._defaults, broken(api)


async def test_json_parser_keeps_the_parsed_body() -> None:
    api = "botocore.parsers.BaseJSONParser._handle_json_body / _parse_body_as_json"
    from aiobotocore.parsers import PROTOCOL_PARSERS

    seen: list[bytes] = []

    def handle_body(parse_json: Any, raw_body: bytes) -> Any:
        seen.append(raw_body)
        return parse_json(raw_body)

    factory_class = _botocore.json_parser_factory_class(handle_body, lambda: True)
    parser = factory_class().create_parser("json")
    assert isinstance(parser, PROTOCOL_PARSERS["json"]), broken(api)
    # The hook botocore's JSON parser calls for a successful body, with a shape it ignores.
    parsed = parser._handle_json_body(b'{"Item":{"a":{"S":"x"}}}', None)
    assert parsed == {"Item": {"a": {"S": "x"}}}, broken(api)
    assert seen == [b'{"Item":{"a":{"S":"x"}}}'], broken(api)
    # Off: botocore's own parser class.
    off = _botocore.json_parser_factory_class(handle_body, lambda: False)
    assert type(off().create_parser("json")) is PROTOCOL_PARSERS["json"], broken(api)


async def test_event_handlers(client: Any) -> None:
    api = "botocore.hooks.HierarchicalEmitter._handlers.prefix_search"

    def handler(**kwargs: Any) -> None:
        return None

    client.meta.events.register_first("before-send.dynamodb", handler, unique_id="contract")
    handlers = _botocore.event_handlers(client, "before-send.dynamodb.GetItem")
    assert handler in handlers, broken(api)
    assert handlers.index(handler) == 0, broken(api)


async def test_handler_by_id(client: Any) -> None:
    api = "botocore.hooks.HierarchicalEmitter._unique_id_handlers"

    def handler(**kwargs: Any) -> None:
        return None

    client.meta.events.register("needs-retry.dynamodb", handler, unique_id="contract-id")
    assert _botocore.handler_by_id(client, "contract-id") is handler, broken(api)
    assert _botocore.handler_by_id(client, "no-such-id") is None, broken(api)
    # The retry handler the fault injector wraps is found under botocore's own id.
    assert _botocore.handler_by_id(client, "retry-config-dynamodb") is not None, broken(api)


async def test_a_validating_serializer_is_recognised() -> None:
    api = "botocore.validate.ParamValidationDecorator (the serializer of a validating client)"
    from botocore.config import Config

    for validating in (True, False):
        low = await _botocore.create_unbound_client(
            fresh_session(),
            "dynamodb",
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(parameter_validation=validating),
        )
        try:
            serializer = _botocore.client_serializer(low)
            assert _botocore.validates_parameters(serializer) is validating, broken(api)
        finally:
            await low.close()


# -- The direct transport ---------------------------------------------------------------------


async def test_client_access_key(client: Any) -> None:
    api = "botocore.client.BaseClient._request_signer._credentials"
    assert _botocore.client_access_key(client) == "testing", broken(api)


async def test_error_responses_parse_as_the_endpoint_parses_them(client: Any) -> None:
    api = "Endpoint._response_parser_factory / AioEndpoint._add_modeled_error_fields"
    body = json.dumps(
        {
            "__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
            "Message": "Transaction cancelled",
            "CancellationReasons": [{"Code": "None"}, {"Code": "ConditionalCheckFailed"}],
        }
    ).encode()
    response = _botocore.http_response(
        "https://dynamodb.us-east-1.amazonaws.com/", 400, [("x-amzn-RequestId", "R1")], body
    )
    model = client.meta.service_model.operation_model("TransactWriteItems")
    parsed = await _botocore.parse_error_response(
        _botocore.client_endpoint(client), model, response
    )
    assert parsed["Error"] == {
        "Message": "Transaction cancelled",
        "Code": "TransactionCanceledException",
    }, broken(api)
    assert parsed["CancellationReasons"] == [
        {"Code": "None"},
        {"Code": "ConditionalCheckFailed"},
    ], broken(api)
    assert parsed["ResponseMetadata"]["HTTPStatusCode"] == 400, broken(api)
    assert parsed["ResponseMetadata"]["RequestId"] == "R1", broken(api)
    assert "__type" not in parsed, broken(api)


async def test_needs_retry_asks_the_clients_retry_handler(client: Any) -> None:
    api = "aiobotocore.endpoint.AioEndpoint._needs_retry"
    endpoint = _botocore.client_endpoint(client)
    model = client.meta.service_model.operation_model("GetItem")
    request_dict = {"context": {"retries": {"attempt": 1}}}

    def answer(code: str, status: int) -> Any:
        body = json.dumps({"__type": f"x#{code}", "message": "m"}).encode()
        http = _botocore.http_response("https://x/", status, [], body)
        return (http, {"Error": {"Code": code, "Message": "m"}, "ResponseMetadata": {}})

    # DynamoDB's legacy rules, asked where no back-off is waited: the 10th attempt is the
    # last one, and a ValidationException is never retried.
    assert not await _botocore.needs_retry(
        endpoint, 10, model, request_dict, answer("ThrottlingException", 400)
    ), broken(api)
    assert not await _botocore.needs_retry(
        endpoint, 1, model, request_dict, answer("ValidationException", 400)
    ), broken(api)


async def test_quota_releasers_are_found_in_the_standard_retry_mode() -> None:
    api = "botocore.retries.standard.RetryQuotaChecker.release_retry_quota (after-call)"
    from botocore.config import Config

    modes = {}
    for mode in ("standard", "legacy"):
        low = await _botocore.create_unbound_client(
            fresh_session(),
            "dynamodb",
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(retries={"mode": mode}),
        )
        modes[mode] = _botocore.quota_releasers(low, "PutItem")
        await low.close()
    assert len(modes["standard"]) == 1, broken(api)
    assert modes["legacy"] == [], broken(api)
