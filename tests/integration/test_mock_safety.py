"""What mock_dynamodb promises about its end, regions and accounts, blocked requests and
models sharing a table (no plugin fixture: these tests start mocks of their own)."""

from __future__ import annotations

import contextlib
import os
import select
import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import BotoCoreError

from aiodynamodb import ClientStateError, DynamoDB, DynamoModel, table
from aiodynamodb.testing import (
    MOCK_ENDED_MESSAGE,
    BlockedRequestError,
    TableConflictError,
    mock_dynamodb,
)
from aiodynamodb.testing.intercept import is_intercepting
from tests.optional import import_aioboto3

from .models import User

# Fail fast if a request does go out (it must not): one attempt, short timeouts.
QUICK = Config(connect_timeout=1, read_timeout=1, retries={"max_attempts": 1})


class Loopback:
    """A listening socket on 127.0.0.1 that records whether anything connected."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def connected(self) -> bool:
        readable, _, _ = select.select([self.sock], [], [], 0)
        return bool(readable)


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    server = Loopback()
    with server.sock:
        yield server


@pytest.fixture
def lookups(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every host name resolved during the test; hosts other than 127.0.0.1 are refused,
    so a request that would leave the machine is recorded and never sent."""
    seen: list[str] = []
    original = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(str(host))
        if host != "127.0.0.1":
            raise OSError(f"test: no network to {host}")
        return original(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return seen


def fake_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "mine")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "mine")


# -- regions and accounts --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variables", "region"),
    [
        ({"AWS_DEFAULT_REGION": "eu-west-1"}, "eu-west-1"),
        (
            {"AWS_DEFAULT_REGION": "ap-southeast-2", "AWS_REGION": "ap-southeast-2"},
            "ap-southeast-2",
        ),
        ({"AWS_REGION": "eu-west-2"}, "eu-west-2"),
    ],
    ids=["AWS_DEFAULT_REGION", "both", "only-AWS_REGION"],
)
async def test_patch_env_false_works_in_the_users_region(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], region: str
) -> None:
    fake_credentials(monkeypatch)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    async with mock_dynamodb(User, patch_env=False) as db:
        await db.put(User(user_id="u1", name="Alice"))
        assert (await db.low_level_client()).meta.region_name == region
        # The code under test's own client in the same region sees the same table (botocore
        # reads AWS_DEFAULT_REGION only: with just AWS_REGION, code must name its region).
        async with DynamoDB(region_name=region) as theirs:
            assert await theirs.get(User, hash_key="u1") == User(user_id="u1", name="Alice")
        if "AWS_DEFAULT_REGION" in variables:
            async with DynamoDB() as theirs:
                assert await theirs.get(User, hash_key="u1") is not None


async def test_the_account_moto_is_told_to_use_works(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "111122223333")
    async with mock_dynamodb(User) as db:
        await db.put(User(user_id="u1", name="Alice"))
        assert await db.get(User, hash_key="u1") == User(user_id="u1", name="Alice")


# -- the end of the mock ---------------------------------------------------------------------


async def test_the_yielded_client_is_closed_and_refuses_after_the_mock(
    monkeypatch: pytest.MonkeyPatch, loopback: Loopback, lookups: list[str]
) -> None:
    # Restored on exit: a client that still worked would now go to the loopback socket.
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", loopback.url)
    async with mock_dynamodb(User) as db:
        await db.put(User(user_id="u1", name="Alice"))
    assert db.closed
    with pytest.raises(ClientStateError) as info:
        await db.get(User, hash_key="u1")
    assert str(info.value) == MOCK_ENDED_MESSAGE
    with pytest.raises(ClientStateError, match="has ended"):
        await db.low_level_client()
    assert not loopback.connected()
    assert lookups == []


async def _ours_opened(stack: contextlib.AsyncExitStack, url: str) -> Callable[[], Any]:
    db = DynamoDB(config=QUICK)
    await db.put(User(user_id="u1", name="Alice"))
    stack.push_async_callback(db.close)
    return lambda: db.get(User, hash_key="u1")


async def _ours_unopened(stack: contextlib.AsyncExitStack, url: str) -> Callable[[], Any]:
    db = DynamoDB(config=QUICK)  # never used inside: would open after, outside the mock
    stack.push_async_callback(db.close)
    return lambda: db.get(User, hash_key="u1")


async def _ours_low_level(stack: contextlib.AsyncExitStack, url: str) -> Callable[[], Any]:
    db = DynamoDB(config=QUICK)
    stack.push_async_callback(db.close)
    low = await db.low_level_client()  # kept by the caller: the wrapper cannot stop it
    return lambda: low.list_tables()


async def _aiobotocore(stack: contextlib.AsyncExitStack, url: str) -> Callable[[], Any]:
    from aiobotocore.session import get_session

    client = await stack.enter_async_context(
        get_session().create_client("dynamodb", endpoint_url=url, config=QUICK)
    )
    return lambda: client.list_tables()


async def _aioboto3(stack: contextlib.AsyncExitStack, url: str) -> Callable[[], Any]:
    aioboto3 = import_aioboto3()

    client = await stack.enter_async_context(
        aioboto3.Session().client("dynamodb", endpoint_url=url, config=QUICK)
    )
    return lambda: client.list_tables()


async def _boto3(stack: contextlib.AsyncExitStack, url: str) -> Callable[[], Any]:
    import boto3

    client = boto3.client("dynamodb", endpoint_url=url, config=QUICK)
    stack.callback(client.close)

    async def call() -> Any:
        return client.list_tables()

    return call


@pytest.mark.parametrize(
    "make",
    [_ours_opened, _ours_unopened, _ours_low_level, _aiobotocore, _aioboto3, _boto3],
    ids=[
        "DynamoDB-used",
        "DynamoDB-unused",
        "DynamoDB-low-level",
        "aiobotocore",
        "aioboto3",
        "boto3",
    ],
)
async def test_no_client_created_inside_reaches_the_network_after(
    monkeypatch: pytest.MonkeyPatch,
    loopback: Loopback,
    lookups: list[str],
    make: Callable[[contextlib.AsyncExitStack, str], Any],
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", loopback.url)
    async with contextlib.AsyncExitStack() as stack:
        async with mock_dynamodb(User):
            call = await make(stack, loopback.url)
        with pytest.raises(ClientStateError) as info:
            await call()
        assert str(info.value) == MOCK_ENDED_MESSAGE
    assert not loopback.connected()
    assert lookups == []


# -- requests the mock does not serve ----------------------------------------------------------


async def test_a_blocked_request_says_so_and_names_the_url(loopback: Loopback) -> None:
    async with mock_dynamodb(User), DynamoDB(endpoint_url=loopback.url, config=QUICK) as db:
        with pytest.raises(BlockedRequestError) as info:
            await db.get(User, hash_key="u1")
    assert isinstance(info.value, BotoCoreError)  # botocore's client-side error family
    assert f"blocked a real network request to {loopback.url}/" in str(info.value)
    assert not loopback.connected()


# -- single-table design ---------------------------------------------------------------------


@table("app", hash_key="pk", range_key="sk")
class Customer(DynamoModel):
    pk: str
    sk: str
    name: str


@table("app", hash_key="pk", range_key="sk")
class Invoice(DynamoModel):
    pk: str
    sk: str
    total: int


@table("app", hash_key="pk", range_key="created")
class BadInvoice(DynamoModel):
    pk: str
    created: int


async def test_models_sharing_a_table_get_it_once() -> None:
    async with mock_dynamodb(Customer, Invoice, User) as db:
        await db.put(Customer(pk="c1", sk="profile", name="Ann"))
        await db.put(Invoice(pk="c1", sk="inv#1", total=30))
        assert await db.get(Invoice, hash_key="c1", range_key="inv#1") == Invoice(
            pk="c1", sk="inv#1", total=30
        )
        low = await db.low_level_client()
        assert sorted((await low.list_tables())["TableNames"]) == sorted(
            [db.table_name(Invoice), db.table_name(User)]
        )
        assert db.table_name(Customer) == db.table_name(Invoice)


async def test_models_that_disagree_on_a_table_fail_before_the_mock_starts() -> None:
    before = dict(os.environ)
    with pytest.raises(TableConflictError) as info:
        async with mock_dynamodb(Customer, BadInvoice):
            pytest.fail("the mock must not start")  # pragma: no cover
    message = str(info.value)
    assert f"{__name__}.Customer and {__name__}.BadInvoice both use table 'app'" in message
    assert "keys (" in message
    assert "key attribute types (" in message
    assert not is_intercepting()
    assert dict(os.environ) == before
