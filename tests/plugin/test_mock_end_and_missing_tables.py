"""Under the plugin: clients from a finished test reach nothing, a table the test did not
declare is named in the error, and moto's account follows MOTO_ACCOUNT_ID."""

from __future__ import annotations

import pytest

LEAKS = """
import select
import socket

import pytest
from aiobotocore.session import get_session

from aiodynamodb import ClientStateError, DynamoDB
from aiodynamodb.testing import MOCK_ENDED_MESSAGE
from models import User

LEAKED = {}


@pytest.mark.dynamodb_tables(User)
async def test_leaks_its_clients(dynamodb):
    LEAKED["fixture"] = dynamodb
    LEAKED["ours"] = DynamoDB()  # created by the code under test, never used in the test
    LEAKED["raw"] = await get_session()._create_client("dynamodb")
    await dynamodb.put(User(user_id="u1"))


@pytest.fixture(scope="module")
def between_tests():
    LEAKED["kept"] = DynamoDB()  # created while the mock is warm, between tests: the user's
    return LEAKED["kept"]


@pytest.mark.dynamodb_tables(User)
async def test_the_next_test_refuses_the_last_ones_clients(dynamodb, between_tests):
    for leaked in (LEAKED["fixture"], LEAKED["ours"]):
        with pytest.raises(ClientStateError) as info:
            await leaked.get(User, hash_key="u1")
        assert str(info.value) == MOCK_ENDED_MESSAGE
    await between_tests.put(User(user_id="u2"))
    assert await dynamodb.get(User, hash_key="u2") == User(user_id="u2")


async def test_after_the_mock_nothing_leaked_works(monkeypatch):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    hosts = []
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        hosts.append(host)
        if host != "127.0.0.1":
            raise OSError("no network in this test")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    for call in (
        lambda: LEAKED["fixture"].get(User, hash_key="u1"),
        lambda: LEAKED["ours"].get(User, hash_key="u1"),
        lambda: LEAKED["raw"].list_tables(),
    ):
        with pytest.raises(ClientStateError) as info:
            await call()
        assert str(info.value) == MOCK_ENDED_MESSAGE
    await LEAKED["ours"].close()
    await LEAKED["raw"].close()
    await LEAKED["kept"].close()
    assert select.select([listener], [], [], 0)[0] == []
    assert hosts == []
    listener.close()
"""


def test_clients_of_a_finished_test_refuse_to_send(project: pytest.Pytester) -> None:
    project.makepyfile(test_it=LEAKS)
    project.runpytest().assert_outcomes(passed=3)


MISSING = """
import pytest
from aiobotocore.session import get_session

from aiodynamodb import DynamoDB
from models import Order, User

pytestmark = pytest.mark.dynamodb_tables(User)
HINT = "table 'orders' was not created for this test. Add its model to @pytest.mark.dynamodb_tables"


async def test_fixture_client(dynamodb):
    ex = await dynamodb.exceptions()
    with pytest.raises(ex.ResourceNotFoundException, match=HINT.replace("(", ".")):
        await dynamodb.get(Order, hash_key="o1", range_key="t")


async def test_code_under_tests_clients(dynamodb):
    async with DynamoDB() as db:
        ex = await db.exceptions()
        with pytest.raises(ex.ResourceNotFoundException) as info:
            await db.put(Order(order_id="o1", created_at="t"))
        assert HINT in str(info.value)
    async with get_session().create_client("dynamodb") as raw:
        with pytest.raises(raw.exceptions.ResourceNotFoundException) as info:
            await raw.describe_table(TableName="orders")
        assert HINT in str(info.value)


async def test_declared_tables_keep_dynamodbs_words(dynamodb):
    low = await dynamodb.low_level_client()
    await low.delete_table(TableName="users")
    with pytest.raises(low.exceptions.ResourceNotFoundException) as info:
        await low.describe_table(TableName="users")
    assert "was not created for this test" not in str(info.value)


async def test_uncaught(dynamodb):
    await dynamodb.get(Order, hash_key="o1", range_key="t")
"""


@pytest.mark.parametrize("backend", ["memory", "server"])
def test_a_missing_table_is_named_with_the_marker_to_add(
    project: pytest.Pytester, backend: str
) -> None:
    project.makepyfile(test_it=MISSING)
    result = project.runpytest(f"--dynamodb-backend={backend}", "--tb=line")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*ResourceNotFoundException*: Requested resource not found: table 'orders' was not "
            "created for this test. Add its model to @pytest.mark.dynamodb_tables(...)*"
        ]
    )


@pytest.mark.parametrize("backend", ["memory", "server"])
def test_the_account_moto_is_told_to_use_works(
    project: pytest.Pytester, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "111122223333")
    project.makepyfile(
        test_it="""
        import pytest
        from models import User

        @pytest.mark.dynamodb_tables(User)
        @pytest.mark.parametrize("n", range(2))
        async def test_put_get(dynamodb, n):
            await dynamodb.put(User(user_id="u1"))
            assert await dynamodb.get(User, hash_key="u1") == User(user_id="u1")
        """
    )
    project.runpytest(f"--dynamodb-backend={backend}").assert_outcomes(passed=2)
