"""The server command (``python -m aiodynamodb.testing.server``) from other processes: a
client that is not Python (the AWS SDK for JavaScript), Python's boto3 in a subprocess, a
clean stop on SIGTERM and SIGINT; and the plugin-side server whose chain sees other
processes' requests."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

from aiodynamodb.testing.faults import FaultInjector
from aiodynamodb.testing.intercept import intercepting
from aiodynamodb.testing.recorder import CallRecorder
from aiodynamodb.testing.server import DynamoDBServer

REPO = Path(__file__).resolve().parents[2]
NODE_MODULES = Path(os.environ.get("DYNALITE_DIR") or REPO / ".dynalite") / "node_modules"
NODE_CLIENT = REPO / "tests" / "servers" / "node_client.js"
UNUSED = (
    "1 validation error detected: Value provided in ExpressionAttributeValues unused in "
    "expressions: keys: {:unused}"
)

BOTO3_CLIENT = textwrap.dedent(
    """
    import json, sys
    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError

    client = boto3.client(
        "dynamodb", endpoint_url=sys.argv[1], region_name="us-east-1",
        aws_access_key_id="testing", aws_secret_access_key="testing",
        config=Config(retries={"max_attempts": 3, "mode": "standard"}),
    )
    client.create_table(
        TableName="other_process", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    seen = {}
    try:
        client.put_item(
            TableName="other_process", Item={"pk": {"S": "u1"}},
            ConditionExpression="attribute_not_exists(pk)",
            ExpressionAttributeValues={":unused": {"S": "x"}},
        )
    except ClientError as error:
        seen["refused"] = error.response["Error"]
    answer = client.get_item(TableName="other_process", Key={"pk": {"S": "u1"}})
    seen["get_attempts"] = answer["ResponseMetadata"]["RetryAttempts"] + 1
    print(json.dumps(seen))
    """
)


def start_command(*options: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "aiodynamodb.testing.server", "--port", "0", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    stdout: IO[str] | None = process.stdout
    assert stdout is not None
    line = stdout.readline()
    assert line.startswith("endpoint: http://127.0.0.1:"), line + process.stderr.read()  # type: ignore[union-attr]
    return process, line.split(" ", 1)[1].strip()


@pytest.fixture
def command() -> Iterator[str]:
    process, endpoint = start_command()
    try:
        yield endpoint
    finally:
        process.terminate()
        process.communicate(timeout=20)


def test_a_javascript_client_gets_dynamodbs_answers(command: str) -> None:
    if shutil.which("node") is None or not (NODE_MODULES / "@aws-sdk" / "client-dynamodb").is_dir():
        message = "needs Node.js and @aws-sdk/client-dynamodb (make .dynalite/.stamp)"
        if os.environ.get("AIODYNAMODB_REQUIRE_DYNALITE"):  # make test installs both: no skip
            pytest.fail(message)
        pytest.skip(message)
    result = subprocess.run(
        ["node", str(NODE_CLIENT), command, "from_node"],
        env={**os.environ, "NODE_PATH": str(NODE_MODULES)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    # Numbers in DynamoDB's canonical form (a response fix), the unused value refused.
    assert seen["item"] == {"pk": {"S": "u1"}, "n": {"N": "10.5"}}
    assert seen["refused"] == {"name": "ValidationException", "message": UNUSED}


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_the_command_stops_cleanly(stop: signal.Signals) -> None:
    process, _ = start_command("--no-strict", "--region", "eu-west-1")
    process.send_signal(stop)
    _, errors = process.communicate(timeout=20)
    assert process.returncode == 0
    assert "eu-west-1; moto's own rules (--no-strict)" in errors
    assert errors.rstrip().endswith("stopped")


def test_the_chain_sees_another_process(tmp_path: Path) -> None:
    # An in-process server (the plugin's server backend): the strict rules, the recorder
    # and a fault planned here apply to a boto3 client in another process.
    script = tmp_path / "client.py"
    script.write_text(BOTO3_CLIENT)
    with (
        intercepting(),
        DynamoDBServer() as server,
        CallRecorder() as calls,
        FaultInjector() as faults,
    ):
        faults.fail("GetItem", error="ThrottlingException", times=1)
        assert server.endpoint_url is not None
        result = subprocess.run(
            [sys.executable, str(script), server.endpoint_url],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["refused"] == {"Code": "ValidationException", "Message": UNUSED}
    assert seen["get_attempts"] == 2  # one throttled by the fault, then the read
    assert [(c.operation, c.error) for c in calls.calls] == [
        ("CreateTable", None),
        ("PutItem", "ValidationException"),
        ("GetItem", "ThrottlingException"),
        ("GetItem", None),
    ]
