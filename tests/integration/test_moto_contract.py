"""Contract tests for ``aiodynamodb/testing/_moto/``, the one module that uses moto's
private internals.

Each test names the moto version and the internal when it fails, so an upgrade that breaks
one says what to fix. They drive moto directly (no plugin backend), so they run unchanged
in every stage, including the lowest supported moto (``make test-lowest``).
"""

from __future__ import annotations

import base64
import inspect
import json
import os
import re
import subprocess
import sys
from typing import Any

import pytest

from aiodynamodb.testing import _moto
from aiodynamodb.testing._moto._dispatch import _moto as moto_state

REGION = "us-east-1"
ACCOUNT = "123456789012"
TARGET = "DynamoDB_20120810."
AUTHORIZATION = (
    f"AWS4-HMAC-SHA256 Credential=testing/20240101/{REGION}/dynamodb/aws4_request, "
    "SignedHeaders=host;x-amz-target, Signature=0"
)
BLOB = base64.b64encode(b"\x00\x01binary\xff").decode()
EMPTY_BLOB = ""

KEY_A = {"pk": {"S": "a"}, "sk": {"N": "1"}}

# One sequence of requests (state carries from one to the next), covering every shape of
# answer: items with each type of value, ReturnValues, projections, pages, indexes,
# batches, transactions, table descriptions and moto's errors.
CORPUS: list[tuple[str, dict[str, Any]]] = [
    (
        "CreateTable",
        {
            "TableName": "things",
            "KeySchema": [
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            "AttributeDefinitions": [
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "N"},
                {"AttributeName": "g", "AttributeType": "S"},
            ],
            "GlobalSecondaryIndexes": [
                {
                    "IndexName": "by_g",
                    "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "ALL"},
                }
            ],
            "BillingMode": "PAY_PER_REQUEST",
        },
    ),
    (
        "PutItem",
        {
            "TableName": "things",
            "Item": {
                **KEY_A,
                "g": {"S": "x"},
                "b": {"B": BLOB},
                "bs": {"BS": [BLOB]},
                "ns": {"NS": ["1", "2.5"]},
                "ss": {"SS": ["p", "q"]},
                "nested": {"M": {"l": {"L": [{"NULL": True}, {"BOOL": False}, {"N": "-0.5"}]}}},
            },
        },
    ),
    (
        "PutItem",
        {
            "TableName": "things",
            "Item": {"pk": {"S": "a"}, "sk": {"N": "2"}, "g": {"S": "x"}, "b": {"B": BLOB}},
            "ReturnValues": "ALL_OLD",
            "ReturnConsumedCapacity": "TOTAL",
        },
    ),
    ("GetItem", {"TableName": "things", "Key": KEY_A}),
    ("GetItem", {"TableName": "things", "Key": KEY_A, "ProjectionExpression": "b, nested.l[2]"}),
    ("GetItem", {"TableName": "things", "Key": {"pk": {"S": "none"}, "sk": {"N": "1"}}}),
    (
        "UpdateItem",
        {
            "TableName": "things",
            "Key": KEY_A,
            "UpdateExpression": "SET c = :c ADD ns :n",
            "ExpressionAttributeValues": {":c": {"B": BLOB}, ":n": {"NS": ["3"]}},
            "ReturnValues": "ALL_NEW",
        },
    ),
    (
        "Query",
        {
            "TableName": "things",
            "KeyConditionExpression": "pk = :p",
            "ExpressionAttributeValues": {":p": {"S": "a"}},
            "Limit": 1,
            "ReturnConsumedCapacity": "INDEXES",
        },
    ),
    (
        "Query",
        {
            "TableName": "things",
            "IndexName": "by_g",
            "KeyConditionExpression": "g = :g",
            "ExpressionAttributeValues": {":g": {"S": "x"}},
            "ScanIndexForward": False,
        },
    ),
    (
        "Scan",
        {
            "TableName": "things",
            "FilterExpression": "attribute_exists(bs)",
            "Select": "COUNT",
        },
    ),
    (
        "BatchWriteItem",
        {
            "RequestItems": {
                "things": [
                    {"PutRequest": {"Item": {"pk": {"S": "b"}, "sk": {"N": "1"}}}},
                    {"DeleteRequest": {"Key": {"pk": {"S": "a"}, "sk": {"N": "2"}}}},
                ]
            }
        },
    ),
    (
        "BatchGetItem",
        {"RequestItems": {"things": {"Keys": [KEY_A, {"pk": {"S": "b"}, "sk": {"N": "1"}}]}}},
    ),
    (
        "TransactWriteItems",
        {
            "TransactItems": [
                {
                    "Put": {
                        "TableName": "things",
                        "Item": {"pk": {"S": "c"}, "sk": {"N": "1"}, "b": {"B": BLOB}},
                    }
                }
            ]
        },
    ),
    (
        "TransactGetItems",
        {"TransactItems": [{"Get": {"TableName": "things", "Key": KEY_A}}]},
    ),
    # moto's errors, each as DynamoDB's JSON error body
    (
        "TransactWriteItems",
        {
            "TransactItems": [
                {
                    "ConditionCheck": {
                        "TableName": "things",
                        "Key": KEY_A,
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                }
            ]
        },
    ),
    (
        "PutItem",
        {"TableName": "things", "Item": KEY_A, "ConditionExpression": "attribute_not_exists(pk)"},
    ),
    (
        "GetItem",
        {
            "TableName": "things",
            "Key": KEY_A,
            "ProjectionExpression": "b",
            "ExpressionAttributeValues": {":unused": {"S": "x"}},
        },
    ),
    ("GetItem", {"TableName": "missing", "Key": KEY_A}),
    ("DeleteItem", {"TableName": "things", "Key": KEY_A, "ReturnValues": "ALL_OLD"}),
    ("DescribeTable", {"TableName": "things"}),
    ("ListTables", {}),
    (
        "UpdateTimeToLive",
        {
            "TableName": "things",
            "TimeToLiveSpecification": {"Enabled": True, "AttributeName": "ttl"},
        },
    ),
    ("DescribeTimeToLive", {"TableName": "things"}),
    ("DeleteTable", {"TableName": "things"}),
]


def _comparable(value: Any) -> Any:
    # Table descriptions carry the moment of creation; everything else must be equal.
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items() if "DateTime" not in k}
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    return value


def _moto_app_answers() -> list[tuple[int, Any]]:
    """The corpus through moto's own request path (its werkzeug/Flask server app)."""
    from moto.moto_server.werkzeug_app import create_backend_app

    client = create_backend_app("dynamodb").test_client()
    answers: list[tuple[int, Any]] = []
    for operation, params in CORPUS:
        try:
            response = client.post(
                "/",
                data=json.dumps(params),
                headers={
                    "X-Amz-Target": TARGET + operation,
                    "Content-Type": "application/x-amz-json-1.0",
                    "Authorization": AUTHORIZATION,
                    "Host": f"dynamodb.{REGION}.amazonaws.com",
                },
            )
        except Exception as error:  # a moto bug (moto 5.1 fails projecting binary sets)
            answers.append((0, type(error).__name__))
            continue
        answers.append((response.status_code, _comparable(json.loads(response.data))))
    return answers


def _dispatch_answers(as_dict: bool) -> list[tuple[int, Any]]:
    answers: list[tuple[int, Any]] = []
    for operation, params in CORPUS:
        body: Any = params if as_dict else json.dumps(params).encode()
        try:
            status, raw = _moto.dispatch(operation, body, region=REGION, account=ACCOUNT)
        except Exception as error:  # moto's own crash comes out unchanged, as above
            answers.append((0, type(error).__name__))
            continue
        answers.append((status, _comparable(json.loads(raw))))
    return answers


def _version() -> str:
    return f"moto {_moto.moto_version()}"


@pytest.mark.parametrize("as_dict", [False, True], ids=["bytes", "dict"])
def test_dispatch_answers_as_moto_does(fresh_moto: None, as_dict: bool) -> None:
    expected = _moto_app_answers()
    _moto.reset_backends()
    actual = _dispatch_answers(as_dict)
    for (operation, _), want, got in zip(CORPUS, expected, actual, strict=True):
        assert got == want, (
            f"{_version()}: _moto.dispatch({operation!r}) no longer answers as moto's "
            f"DynamoHandler does through its own request path"
        )


def test_errors_are_dynamodb_json(fresh_moto: None) -> None:
    status, raw = _moto.dispatch(
        "GetItem", {"TableName": "missing", "Key": KEY_A}, region=REGION, account=ACCOUNT
    )
    assert status == 400
    assert json.loads(raw) == {
        "__type": _moto.ERROR_PREFIX + "ResourceNotFoundException",
        "message": "Requested resource not found",
    }, f"{_version()}: moto's JsonRESTError body changed"


def test_dispatch_leaves_a_given_dict_alone(fresh_moto: None) -> None:
    create = dict(CORPUS[0][1])
    put = json.loads(json.dumps(CORPUS[1][1]))
    before = json.dumps(put, sort_keys=True)
    _moto.dispatch("CreateTable", create, region=REGION, account=ACCOUNT)
    _moto.dispatch("PutItem", put, region=REGION, account=ACCOUNT)
    _moto.dispatch(
        "UpdateItem",
        {
            "TableName": "things",
            "Key": KEY_A,
            "UpdateExpression": "SET nested.l[0] = :v",
            "ExpressionAttributeValues": {":v": {"S": "changed"}},
        },
        region=REGION,
        account=ACCOUNT,
    )
    assert json.dumps(put, sort_keys=True) == before, (
        f"{_version()}: moto keeps and changes the request dict it is given"
    )


def test_fast_serializer_matches_moto_serializer_on_binary_values(fresh_moto: None) -> None:
    # An empty binary value too: moto < 5.2 stores the base64 text, moto >= 5.2 bytes.
    for operation, params in CORPUS[:2]:
        _moto.dispatch(operation, params, region=REGION, account=ACCOUNT)
    put = {"TableName": "things", "Item": {"pk": {"S": "e"}, "sk": {"N": "9"}}}
    put["Item"]["empty"] = {"B": EMPTY_BLOB}
    _moto.dispatch("PutItem", put, region=REGION, account=ACCOUNT)
    fast = {}
    for key in (KEY_A, put["Item"]):
        get = {"TableName": "things", "Key": {"pk": key["pk"], "sk": key["sk"]}}
        fast[key["pk"]["S"]] = json.loads(
            _moto.dispatch("GetItem", get, region=REGION, account=ACCOUNT)[1]
        )
    from moto.moto_server.werkzeug_app import create_backend_app

    client = create_backend_app("dynamodb").test_client()
    for key in (KEY_A, put["Item"]):
        get = {"TableName": "things", "Key": {"pk": key["pk"], "sk": key["sk"]}}
        response = client.post(
            "/",
            data=json.dumps(get),
            headers={"X-Amz-Target": TARGET + "GetItem", "Authorization": AUTHORIZATION},
        )
        assert json.loads(response.data) == fast[key["pk"]["S"]], (
            f"{_version()}: moto's JSON serializer and _moto's fast JSON differ"
        )


def test_item_operations_skip_moto_serializer(
    fresh_moto: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fast JSON must really run for item operations (moto >= 5.2), or the speed-up
    # is silently gone; its equality with moto's serializer is checked above.
    from moto.core import responses

    if not moto_state().parses_parameters:
        pytest.skip(f"{_version()} has no response serializer (handlers return JSON)")
    _moto.dispatch(*CORPUS[0], region=REGION, account=ACCOUNT)

    def refuse(self: Any, context: Any) -> Any:
        raise AssertionError("moto's serializer ran")

    monkeypatch.setattr(responses.ActionResult, "execute_result", refuse)
    for operation, params in CORPUS[1:14]:
        assert operation in _moto.FAST_OPERATIONS
        status, _ = _moto.dispatch(operation, params, region=REGION, account=ACCOUNT)
        assert status == 200, (
            f"{_version()}: {operation}'s result is no longer a plain ActionResult/DynamoResult"
        )


# Bodies that exercise every handler of moto's JSON parser beyond the corpus: members the
# shape does not name, members sent as null, AttributeValues with no or several members,
# integers, booleans, nested maps and lists, and bodies whose JSON types do not fit.
_PARSE_EXTRAS: list[tuple[str, Any]] = [
    ("PutItem", {"TableName": "t", "Unknown": 1, "Item": {"a": {"S": "x", "N": "1"}}}),
    ("PutItem", {"TableName": None, "Item": {"a": {}, "b": {"Z": "1"}, "c": {"S": None}}}),
    ("PutItem", {"TableName": "t", "Item": {"a": {"L": [{"M": {"x": {"BS": [BLOB, ""]}}}]}}}),
    ("Scan", {"TableName": "t", "Segment": 1, "TotalSegments": 2, "ConsistentRead": True}),
    ("Query", {"TableName": "t", "ExclusiveStartKey": {"pk": {"B": BLOB}}, "Limit": 3}),
    ("PutItem", {"TableName": "t", "Item": {"a": "not a map"}}),
    ("PutItem", {"TableName": "t", "Item": ["a list"]}),
    ("Scan", {"TableName": "t", "Limit": "five"}),
]


def _parsed_both_ways(operation: str, body: Any) -> tuple[Any, Any]:
    spec = moto_state().operation(operation)
    outcomes = []
    for parse in (lambda b: spec.parser._parse_shape(spec.input_shape, b), spec.parse):
        try:
            outcomes.append(("ok", parse(json.loads(json.dumps(body)))))
        except Exception as error:  # moto's parser fails on such a body: so must ours
            outcomes.append(("raised", type(error)))
    return outcomes[0], outcomes[1]


def test_compiled_parser_parses_as_moto_does() -> None:
    # _moto/_parse.py mirrors moto's JSON request parser; it must give the same parameters
    # (order included) or fail the same way, for every operation of the corpus.
    if not moto_state().parses_parameters:
        pytest.skip(f"{_version()} does not parse parameters (handlers json.loads the body)")
    for operation, body in [*CORPUS, *_PARSE_EXTRAS]:
        spec = moto_state().operation(operation)
        assert spec.parse is not None, (
            f"{_version()}: moto.core.parse.JSONParser's handlers are not those "
            f"_moto/_parse.py mirrors; {operation} runs moto's own parser (the speed-up is gone)"
        )
        moto_parsed, ours = _parsed_both_ways(operation, body)
        assert ours == moto_parsed, (
            f"{_version()}: moto.core.parse.JSONParser parses {operation} differently "
            "from _moto/_parse.py's compiled parser"
        )
        if moto_parsed[0] == "ok":
            assert list(ours[1]) == list(moto_parsed[1]), f"{operation}: member order differs"


def test_compiled_parser_is_refused_for_other_handlers(monkeypatch: pytest.MonkeyPatch) -> None:
    # A moto whose parser gains or changes a handler gets its own parser, not a wrong copy.
    if not moto_state().parses_parameters:
        pytest.skip(f"{_version()} does not parse parameters (handlers json.loads the body)")
    from moto.core import parse

    from aiodynamodb.testing._moto._parse import mirrors_moto

    parser = object.__new__(parse.JSONParser)
    assert mirrors_moto(parser)
    monkeypatch.setattr(parse.JSONParser, "_parse_string", lambda self, shape, v: v, raising=False)
    assert not mirrors_moto(parser)
    monkeypatch.delattr(parse.JSONParser, "_parse_string")
    monkeypatch.setattr(parse.JSONParser, "_parse_blob", lambda self, shape, v: v)
    assert not mirrors_moto(parser)


def test_unknown_operation_is_named(fresh_moto: None) -> None:
    with pytest.raises(_moto.UnknownOperationError, match=r"'Frobnicate'.*PutItem"):
        _moto.dispatch("Frobnicate", {}, region=REGION, account=ACCOUNT)


def test_internals_are_where_moto_keeps_them() -> None:
    # Each private name _moto.py reads, so a moto upgrade fails here with the name.
    from moto.core import responses
    from moto.dynamodb.responses import DynamoHandler

    missing = [
        name
        for owner, name in [
            (responses.BaseResponse, "_dispatch"),
            (responses.BaseResponse, "_transform_response"),
            (responses.BaseResponse, "get_region_from_url"),
            (responses.BaseResponse, "get_current_account"),
            (responses, "ActionAuthenticatorMixin"),
            (DynamoHandler, "put_item"),
            (DynamoHandler, "dynamodb_backend"),
        ]
        if not hasattr(owner, name)
    ]
    assert not missing, f"{_version()}: moto no longer has {missing}"
    # The fast JSON for item operations skips moto's serializer, hence its transformers.
    assert not getattr(DynamoHandler, "RESPONSE_KEY_PATH_TO_TRANSFORMER", None), (
        f"{_version()}: DynamoHandler transforms responses; _moto.FAST_OPERATIONS skips that"
    )
    assert "_dispatch" not in DynamoHandler.__dict__, (
        f"{_version()}: DynamoHandler defines its own _dispatch; the backend hook replaces it"
    )


def test_backend_hook_sees_sync_boto3_under_moto(fresh_moto: None) -> None:
    import boto3
    import moto

    seen: list[tuple[str, str, str]] = []

    def hook(operation: str, body: bytes, region: str, account: str) -> tuple[int, bytes]:
        seen.append((operation, region, account))
        if operation == "Scan":
            return 400, json.dumps(
                {"__type": _moto.ERROR_PREFIX + "ValidationException", "message": "no scans"}
            ).encode()
        return _moto.dispatch(operation, body, region=region, account=account)

    uninstall = _moto.install_backend_hook(hook)
    try:
        with moto.mock_aws():
            client = boto3.client("dynamodb", region_name="eu-west-1")
            client.create_table(**CORPUS[0][1])
            client.put_item(TableName="things", Item={**KEY_A, "b": {"B": b"\x00"}})
            item = client.get_item(TableName="things", Key=KEY_A)["Item"]
            with pytest.raises(client.exceptions.ClientError, match="no scans"):
                client.scan(TableName="things")
    finally:
        uninstall()
    assert item["b"] == {"B": b"\x00"}
    assert seen == [
        ("CreateTable", "eu-west-1", ACCOUNT),
        ("PutItem", "eu-west-1", ACCOUNT),
        ("GetItem", "eu-west-1", ACCOUNT),
        ("Scan", "eu-west-1", ACCOUNT),
    ], f"{_version()}: sync boto3 requests no longer reach DynamoHandler._dispatch"
    assert "_dispatch" not in moto.dynamodb.responses.DynamoHandler.__dict__


def test_backend_hook_sees_requests_to_moto_server(fresh_moto: None) -> None:
    import boto3
    from moto.moto_server.threaded_moto_server import ThreadedMotoServer

    seen: list[str] = []

    def hook(operation: str, body: bytes, region: str, account: str) -> tuple[int, bytes]:
        seen.append(f"{operation}@{region}/{account}")
        return _moto.dispatch(operation, body, region=region, account=account)

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    uninstall = _moto.install_backend_hook(hook)
    try:
        host, port = server.get_host_and_port()
        client = boto3.client(
            "dynamodb", region_name="ap-south-1", endpoint_url=f"http://{host}:{port}"
        )
        client.create_table(**CORPUS[0][1])
        names = client.list_tables()["TableNames"]
    finally:
        uninstall()
        server.stop()
    assert names == ["things"]
    assert seen == [
        f"CreateTable@ap-south-1/{ACCOUNT}",
        f"ListTables@ap-south-1/{ACCOUNT}",
    ], f"{_version()}: requests to moto's server no longer reach DynamoHandler._dispatch"


async def test_backend_hook_sees_aiobotocore_under_plain_aiomoto(fresh_moto: None) -> None:
    import aiomoto
    from aiobotocore.session import get_session

    seen: list[str] = []

    def hook(operation: str, body: bytes, region: str, account: str) -> tuple[int, bytes]:
        seen.append(operation)
        return _moto.dispatch(operation, body, region=region, account=account)

    uninstall = _moto.install_backend_hook(hook)
    try:
        with aiomoto.mock_aws():
            async with get_session().create_client("dynamodb", region_name=REGION) as client:
                await client.create_table(**CORPUS[0][1])
                await client.put_item(TableName="things", Item=KEY_A)
                answer = await client.get_item(TableName="things", Key=KEY_A)
    finally:
        uninstall()
    assert answer["Item"] == KEY_A
    assert seen == ["CreateTable", "PutItem", "GetItem"], (
        f"{_version()}: aiomoto's requests no longer reach DynamoHandler._dispatch"
    )


def test_one_hook_at_a_time() -> None:
    def hook(operation: str, body: bytes, region: str, account: str) -> tuple[int, bytes]:
        return 200, b"{}"

    uninstall = _moto.install_backend_hook(hook)
    try:
        with pytest.raises(RuntimeError, match="already installed"):
            _moto.install_backend_hook(hook)
    finally:
        uninstall()
        uninstall()


def test_account_follows_moto_account_id(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _moto.current_account("testing") == ACCOUNT
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "111122223333")
    assert _moto.current_account() == "111122223333"
    assert os.environ["MOTO_ACCOUNT_ID"] == "111122223333"


def test_condition_parser_internal() -> None:
    """``_fix_conditions`` replaces ``ConditionExpressionParser.parse``: it reads the three
    constructor arguments back and sets the two lists moto's handlers read after parsing."""
    import moto.dynamodb.responses
    from moto.dynamodb.comparisons import ConditionExpressionParser

    from aiodynamodb.rules import ConditionEvaluator
    from aiodynamodb.testing._fidelity_conditions import moto_condition

    version = _moto.moto_version()
    parser = ConditionExpressionParser("a = :v", {"#n": "a"}, {":v": {"N": "1"}})
    for name in ("condition_expression", "expression_attribute_names"):
        assert hasattr(parser, name), f"moto {version}: ConditionExpressionParser.{name} gone"
    assert hasattr(parser, "expression_attribute_values"), version
    assert isinstance(parser.expr_attr_names_found, list), version
    # The lists moto's handlers read after parsing: names in every supported moto; values
    # too in the newer family (moto 5.1.5, the floor, has no expr_attr_values_found).
    read = set(re.findall(r"\.(expr_attr_\w+_found)", inspect.getsource(moto.dynamodb.responses)))
    assert "expr_attr_names_found" in read, version
    assert read <= {"expr_attr_names_found", "expr_attr_values_found"}, (version, read)
    if "expr_attr_values_found" in read:
        assert isinstance(parser.expr_attr_values_found, list), version
    _moto.CONDITION_PATCH.enter(moto_condition, lambda: True)
    try:
        condition: Any = parser.parse()
    finally:
        _moto.CONDITION_PATCH.exit()
    assert isinstance(condition.evaluator, ConditionEvaluator)
    assert parser.expr_attr_names_found == ["#n"]
    assert parser.expr_attr_values_found == [":v"]
    assert parser.parse.__func__ is ConditionExpressionParser.parse  # type: ignore[attr-defined]
    assert ConditionExpressionParser.parse.__module__ == "moto.dynamodb.comparisons", version


def test_reset_state_discards_tables_and_keeps_dynamodb_backends(fresh_moto: None) -> None:
    from moto.core.base_backend import BackendDict
    from moto.dynamodb.models import dynamodb_backends

    _moto.dispatch("CreateTable", CORPUS[0][1], region=REGION, account=ACCOUNT)
    account_backend = dynamodb_backends[ACCOUNT]
    assert "things" in _moto.dynamodb_tables(ACCOUNT, REGION)
    _moto.reset_state()
    assert _moto.dynamodb_tables(ACCOUNT, REGION) == {}, (
        f"{_version()}: BaseBackend.reset no longer re-initialises DynamoDB's region backend"
    )
    assert dynamodb_backends[ACCOUNT] is account_backend
    assert dynamodb_backends in BackendDict._instances, (
        f"{_version()}: BackendDict._instances no longer lists the backends in use"
    )


def test_table_snapshot_restores_independent_copies(fresh_moto: None) -> None:
    _moto.dispatch("CreateTable", CORPUS[0][1], region=REGION, account=ACCOUNT)
    tables = _moto.dynamodb_tables(ACCOUNT, REGION)
    snapshot = _moto.TableSnapshot(tables["things"])
    _moto.dispatch("PutItem", CORPUS[1][1], region=REGION, account=ACCOUNT)
    tables["things"] = snapshot.restore()
    status, raw = _moto.dispatch("Scan", {"TableName": "things"}, region=REGION, account=ACCOUNT)
    assert (status, json.loads(raw)["Count"]) == (200, 0), (
        f"{_version()}: a moto Table no longer survives pickle as an empty copy"
    )
    _moto.dispatch("PutItem", CORPUS[1][1], region=REGION, account=ACCOUNT)
    again = snapshot.restore()
    assert again is not tables["things"]
    status, raw = _moto.dispatch(
        "Query",
        {
            "TableName": "things",
            "IndexName": "by_g",
            "KeyConditionExpression": "g = :g",
            "ExpressionAttributeValues": {":g": {"S": "x"}},
        },
        region=REGION,
        account=ACCOUNT,
    )
    assert status == 200, f"{_version()}: a restored table's index no longer answers"


def test_current_account_answers_as_iam_does_for_unknown_keys(fresh_moto: None) -> None:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.iam.models import get_account_id_from

    assert _moto.current_account("AKIAUNKNOWNKEY") == get_account_id_from("AKIAUNKNOWNKEY")
    assert get_account_id_from("AKIAUNKNOWNKEY") == DEFAULT_ACCOUNT_ID, (
        f"{_version()}: moto.iam's get_account_id_from no longer answers moto.core's "
        "DEFAULT_ACCOUNT_ID for a key it does not know (current_account relies on it "
        "before moto.iam is imported)"
    )


def test_the_mock_does_not_import_moto_iam() -> None:
    import subprocess
    import sys

    script = (
        "import asyncio, sys\n"
        "from aiodynamodb import DynamoModel, table\n"
        "from aiodynamodb.testing import mock_dynamodb\n"
        "@table('things', hash_key='pk')\n"
        "class T(DynamoModel):\n"
        "    pk: str\n"
        "async def main():\n"
        "    async with mock_dynamodb(T) as db:\n"
        "        await db.put(T(pk='a'))\n"
        "        assert await db.get(T, hash_key='a') is not None\n"
        "asyncio.run(main())\n"
        "print(sorted(m for m in sys.modules if m.startswith('moto.iam')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]", done.stdout


def _pages(operation: str, params: dict[str, Any]) -> list[list[Any]]:
    """Every page of a Query or Scan through the direct dispatch, as lists of item keys."""
    pages: list[list[Any]] = []
    start: Any = None
    while True:
        request = dict(params, **({"ExclusiveStartKey": start} if start else {}))
        status, raw = _moto.dispatch(operation, request, region=REGION, account=ACCOUNT)
        assert status == 200, raw
        body = json.loads(raw)
        pages.append([(i["pk"]["S"], i["sk"]["N"]) for i in body["Items"]])
        start = body.get("LastEvaluatedKey")
        if not start:
            return pages


def _reads() -> list[list[list[Any]]]:
    key = {"KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "b"}}}
    return [
        _pages("Scan", {"TableName": "things", "Limit": 7}),
        _pages("Scan", {"TableName": "things", "Limit": 5, "Segment": 1, "TotalSegments": 3}),
        _pages("Query", {"TableName": "things", "Limit": 4, **key}),
        _pages("Query", {"TableName": "things", "Limit": 3, "ScanIndexForward": False, **key}),
        _pages(
            "Query",
            {
                "TableName": "things",
                "Limit": 2,
                "KeyConditionExpression": "pk = :p AND sk > :s",
                "ExpressionAttributeValues": {":p": {"S": "a"}, ":s": {"N": "3"}},
            },
        ),
        _pages(
            "Query",
            {
                "TableName": "things",
                "Limit": 3,
                "ScanIndexForward": False,
                "KeyConditionExpression": "pk = :p AND sk BETWEEN :a AND :b",
                "ExpressionAttributeValues": {":p": {"S": "c"}, ":a": {"N": "2"}, ":b": {"N": "9"}},
            },
        ),
    ]


def test_order_patch_internals(fresh_moto: None) -> None:
    """``_fix_order`` replaces ``Table.all_items`` (and wraps ``query``/``scan`` by their
    parameter names, capping each page's window by ``RESULT_SIZE_LIMIT`` and ``Item.size``):
    every page of every read is what moto's own code answers, also after writes that change
    the table's items (the cache must notice)."""
    from moto.dynamodb.models.table import Table

    version = _moto.moto_version()
    original = Table.all_items
    _moto.dispatch("CreateTable", CORPUS[0][1], region=REGION, account=ACCOUNT)
    for pk in "cab":
        for sk in (10, 2, 33, 4, 5, 61, 7, 8, 9, 1, 11, 12):
            _moto.dispatch("PutItem", {"TableName": "things", "Item": _item(pk, sk)}, **_WHERE)
    expected = _reads()
    _moto.ORDER_PATCH.enter()
    try:
        assert Table.all_items is not original, version
        assert _reads() == expected, f"moto {version}: Table.all_items/query/scan changed"
        # A write (new item, replaced item, deleted item) must show in the next read.
        _moto.dispatch("PutItem", {"TableName": "things", "Item": _item("b", 6)}, **_WHERE)
        _moto.dispatch("DeleteItem", {"TableName": "things", "Key": _item("a", 5)}, **_WHERE)
        patched = _reads()
    finally:
        _moto.ORDER_PATCH.exit()
    assert Table.all_items is original, version
    assert patched == _reads()
    assert ("b", "6") in patched[2][1] + patched[2][2]


_WHERE = {"region": REGION, "account": ACCOUNT}


def _item(pk: str, sk: int) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"N": str(sk)}}


def test_stored_item_is_get_item(fresh_moto: None) -> None:
    """``_items.stored_item`` reads ``Table.items`` and ``Item.to_json``: it answers what a
    consistent GetItem answers, for values of every type, and None for a missing item."""
    version = _moto.moto_version()
    _moto.dispatch("CreateTable", CORPUS[0][1], **_WHERE)
    item = {
        **_item("a", 1),
        "s": {"S": "text"},
        "n": {"N": "0010.500"},
        "b": {"B": BLOB},
        "empty": {"B": EMPTY_BLOB},
        "ss": {"SS": ["x", "y"]},
        "ns": {"NS": ["1", "2.50"]},
        "bs": {"BS": [BLOB]},
        "null": {"NULL": True},
        "bool": {"BOOL": False},
        "list": {"L": [{"S": "x"}, {"B": BLOB}, {"M": {"deep": {"BS": [BLOB]}}}]},
        "map": {"M": {"inner": {"L": [{"N": "3"}]}, "bin": {"B": BLOB}}},
    }
    _moto.dispatch("PutItem", {"TableName": "things", "Item": item}, **_WHERE)
    for key in (_item("a", 1), _item("a", 2), _item("zz", 1)):
        request = {"TableName": "things", "Key": key, "ConsistentRead": True}
        status, raw = _moto.dispatch("GetItem", request, **_WHERE)
        assert status == 200, raw
        expected = json.loads(raw).get("Item")
        stored = _moto.stored_item(ACCOUNT, REGION, "things", key)
        assert stored == expected, f"moto {version}: Table.items / Item.to_json changed"
    assert _moto.stored_item(ACCOUNT, REGION, "missing", _item("a", 1)) is _moto.NOT_READ
    assert _moto.stored_item(ACCOUNT, REGION, "things", {"pk": {"S": "a"}}) is _moto.NOT_READ
    binary = {"pk": {"B": BLOB}, "sk": {"N": "1"}}
    assert _moto.stored_item(ACCOUNT, REGION, "things", binary) is _moto.NOT_READ
    # Unlike moto's GetItem, the read does not create the partition of a missing item.
    partitions = len(_moto.dynamodb_tables(ACCOUNT, REGION)["things"].items)
    assert _moto.stored_item(ACCOUNT, REGION, "things", _item("yy", 1)) is None
    assert len(_moto.dynamodb_tables(ACCOUNT, REGION)["things"].items) == partitions, version


def test_dispatch_uses_the_model_moto_loads() -> None:
    """The dispatcher serializes with DynamoDB's model from the clients' shared session
    instead of ``moto.core.utils.get_service_model`` (one decode of the file, not two): the
    two must be the same model, i.e. moto adds no ``moto-extras`` for DynamoDB."""
    from moto.core.utils import get_service_model

    if not moto_state().parses_parameters:
        pytest.skip("moto < 5.2 serializes no responses (nothing to compare)")
    ours = moto_state().service_model
    theirs = get_service_model("dynamodb")
    assert type(ours) is type(theirs)
    assert theirs._service_description == ours._service_description, (
        "moto now changes DynamoDB's service model (moto-extras); "
        "aiodynamodb/testing/_moto/_dispatch.py must load it through moto.core.utils again"
    )


def test_moto_lists_the_same_regions_through_the_clients_loader(fresh_moto: None) -> None:
    """``AccountSpecificBackend.get_session`` is replaced by a botocore session on the
    clients' loader; moto's region lists must come out as its own boto3 session gives them."""
    import boto3
    from moto.core.base_backend import AccountSpecificBackend
    from moto.dynamodb.models import dynamodb_backends

    moto_state()
    ours = AccountSpecificBackend.get_session()
    assert not isinstance(ours, boto3.Session)
    theirs = boto3.Session()
    partitions = theirs.get_available_partitions()
    assert ours.get_available_partitions() == partitions
    expected = []
    for partition in partitions:
        regions = theirs.get_available_regions("dynamodb", partition_name=partition)
        assert ours.get_available_regions("dynamodb", partition_name=partition) == regions
        expected.extend(regions)
    assert expected, f"{_version()}: no DynamoDB region at all"
    assert dynamodb_backends[ACCOUNT].regions[: len(expected)] == expected


def test_a_mock_decodes_dynamodbs_model_and_endpoints_once() -> None:
    """The first test of a run: the clients, the strict layer's checks, moto's serializer
    and moto's region list all read DynamoDB's model and ``endpoints.json`` through one
    loader, so each file is decoded once (it was four times and twice)."""
    code = """
import asyncio, collections
import botocore.loaders

loads = collections.Counter()
original = botocore.loaders.JSONFileLoader.load_file

def counting(self, file_path):
    loads[file_path.rsplit("/data/", 1)[-1]] += 1
    return original(self, file_path)

botocore.loaders.JSONFileLoader.load_file = counting

from aiodynamodb import DynamoModel, table
from aiodynamodb.testing import mock_dynamodb

@table("once", hash_key="pk")
class Item(DynamoModel):
    pk: str

async def main():
    async with mock_dynamodb(Item) as db:
        await db.put(Item(pk="a"))
        assert await db.get(Item, hash_key="a") is not None

asyncio.run(main())
model = loads["dynamodb/2012-08-10/service-2"]
endpoints = loads["endpoints"]
assert (model, endpoints) == (1, 1), dict(loads)
"""
    subprocess.run([sys.executable, "-c", code], check=True)
