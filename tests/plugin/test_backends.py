"""The server and endpoint backends from the outside: subprocesses reach the server
backend; the endpoint backend's safety rules hold against a real server (dynalite)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

import botocore.session
import pytest

from tests.servers.dynalite import DynaliteError, DynaliteServer, start_dynalite


@pytest.fixture(scope="module")
def dynalite() -> Iterator[DynaliteServer]:
    """A dynalite server for this module (needs `make` to have installed it)."""
    try:
        server = start_dynalite()
    except DynaliteError as error:
        if os.environ.get("AIODYNAMODB_REQUIRE_DYNALITE"):
            raise  # `make test` installs dynalite: it must be there
        pytest.skip(f"dynalite is not installed here: {error}")
    with server:
        yield server


def raw_client(endpoint: str) -> Any:
    session = botocore.session.get_session()
    return session.create_client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def table_names(endpoint: str) -> list[str]:
    client = raw_client(endpoint)
    try:
        return list(client.list_tables()["TableNames"])
    finally:
        client.close()


def test_server_backend_data_is_visible_to_a_subprocess(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_it="""
        import os
        import subprocess
        import sys
        import pytest
        from models import User

        READER = '''
        import os, sys, botocore.session
        client = botocore.session.get_session().create_client("dynamodb")
        item = client.get_item(TableName="users", Key={"user_id": {"S": "u1"}})["Item"]
        print(item["name"]["S"], os.environ["AWS_ENDPOINT_URL_DYNAMODB"] == sys.argv[1])
        '''

        @pytest.mark.dynamodb_tables(User)
        async def test_subprocess_reads_it(dynamodb, dynamodb_endpoint_url):
            assert dynamodb_endpoint_url.startswith("http://127.0.0.1:")
            await dynamodb.put(User(user_id="u1", name="Alice"))
            out = subprocess.run(
                [sys.executable, "-c", READER, dynamodb_endpoint_url],
                capture_output=True, text=True, check=True, env=dict(os.environ),
            ).stdout
            assert out.split() == ["Alice", "True"]
        """.replace("'''", '"""')
    )
    result = project.runpytest("--dynamodb-backend=server")
    result.stdout.fnmatch_lines(["aiodynamodb: backend=server, strict=on"])
    result.assert_outcomes(passed=1)


def test_memory_backend_exposes_no_endpoint(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_it="""
        async def test_none(dynamodb_endpoint_url):
            assert dynamodb_endpoint_url is None
        """
    )
    project.runpytest().assert_outcomes(passed=1)


def endpoint_args(server: DynaliteServer) -> list[str]:
    return ["--dynamodb-backend=endpoint", f"--dynamodb-endpoint={server.endpoint}"]


def test_endpoint_backend_never_touches_a_table_it_did_not_create(
    project: pytest.Pytester, dynalite: DynaliteServer
) -> None:
    client = raw_client(dynalite.endpoint)
    client.create_table(
        TableName="users",
        KeySchema=[{"AttributeName": "user_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "user_id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    client.get_waiter("table_exists").wait(TableName="users", WaiterConfig={"Delay": 0.1})
    client.put_item(TableName="users", Item={"user_id": {"S": "precious"}})
    project.makepyfile(
        test_it="""
        import pytest
        from models import User

        pytestmark = pytest.mark.dynamodb_tables(User)

        @pytest.mark.parametrize("n", range(3))
        async def test_writes(dynamodb, n):
            assert dynamodb.table_name(User).startswith("aiodbt-")
            assert await dynamodb.scan(User).all() == []
            await dynamodb.put(User(user_id=f"run-{n}"))
        """
    )
    before = set(table_names(dynalite.endpoint))
    result = project.runpytest(*endpoint_args(dynalite))
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines([f"aiodynamodb: backend=endpoint, endpoint={dynalite.endpoint}*"])
    assert set(table_names(dynalite.endpoint)) == before
    items = client.scan(TableName="users")["Items"]
    assert items == [{"user_id": {"S": "precious"}}]
    client.delete_table(TableName="users")
    client.close()


def test_endpoint_backend_with_xdist_has_no_cross_talk_and_cleans_up(
    project: pytest.Pytester, dynalite: DynaliteServer
) -> None:
    pytest.importorskip("xdist")
    project.makepyfile(
        test_it="""
        import os
        import pytest
        from models import User

        pytestmark = pytest.mark.dynamodb_tables(User)

        @pytest.mark.parametrize("n", range(10))
        async def test_alone(dynamodb, n):
            worker = os.environ["PYTEST_XDIST_WORKER"]
            assert worker in dynamodb.table_name(User)
            await dynamodb.put(User(user_id=f"{worker}-{n}"))
            assert [u.user_id for u in await dynamodb.scan(User).all()] == [f"{worker}-{n}"]
        """
    )
    before = set(table_names(dynalite.endpoint))
    result = project.runpytest_subprocess("-n", "2", *endpoint_args(dynalite))
    result.assert_outcomes(passed=10)
    assert set(table_names(dynalite.endpoint)) == before


@pytest.mark.parametrize(
    "endpoint",
    ["https://dynamodb.us-east-1.amazonaws.com", "https://dynamodb.eu-west-1.amazonaws.com:443"],
)
def test_real_aws_endpoint_is_refused_unless_allowed(
    project: pytest.Pytester, endpoint: str
) -> None:
    project.makepyfile(test_it="async def test_it(dynamodb): pass")
    result = project.runpytest("--dynamodb-backend=endpoint", f"--dynamodb-endpoint={endpoint}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            f"ERROR: refusing to run tests against the real AWS endpoint {endpoint}: *"
            "pass --dynamodb-allow-aws (or set AIODYNAMODB_ALLOW_AWS=true)*"
        ]
    )


def test_unreachable_endpoint_is_reported_once_at_start(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_it="""
        import pytest

        @pytest.mark.parametrize("n", range(5))
        async def test_it(dynamodb, n):
            pass
        """
    )
    started = time.monotonic()
    result = project.runpytest(
        "--dynamodb-backend=endpoint", "--dynamodb-endpoint=http://127.0.0.1:9"
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: the DynamoDB endpoint http://127.0.0.1:9 does not answer (*"]
    )
    assert result.stderr.str().count("does not answer") == 1
    assert time.monotonic() - started < 30


def test_cleanup_removes_only_old_leftovers_of_crashed_runs(
    project: pytest.Pytester, dynalite: DynaliteServer
) -> None:
    client = raw_client(dynalite.endpoint)
    old = int(time.time()) - 7200
    fresh = int(time.time())
    names = {
        "old_leftover": f"aiodbt-{old:010d}-abcdef-gw0-users",
        "fresh_leftover": f"aiodbt-{fresh:010d}-abcdef-gw0-users",
        "someone_elses": "aiodbt-orders-of-the-shop",
    }
    for name in names.values():
        client.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
    project.makepyfile(test_it="def test_nothing(): pass")
    project.runpytest(
        *endpoint_args(dynalite), "--dynamodb-cleanup-older-than=3600"
    ).assert_outcomes(passed=1)
    deadline = time.monotonic() + 10
    while names["old_leftover"] in table_names(dynalite.endpoint) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = set(table_names(dynalite.endpoint))
    assert names["old_leftover"] not in left
    assert {names["fresh_leftover"], names["someone_elses"]} <= left
    for name in (names["fresh_leftover"], names["someone_elses"]):
        client.delete_table(TableName=name)
    client.close()
