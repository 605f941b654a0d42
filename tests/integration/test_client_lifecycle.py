"""The client's states (new, open, closed), mock_dynamodb's environment handling, and the
in-memory DynamoDB outside pytest."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from botocore.exceptions import ClientError, ParamValidationError

from aiodynamodb import ClientStateError, DynamoDB
from aiodynamodb.testing import mock_dynamodb
from tests.optional import import_aioboto3

from .models import User

pytestmark = pytest.mark.dynamodb_tables(User)


async def test_bare_client_opens_lazily_and_refuses_use_after_close(dynamodb: DynamoDB) -> None:
    db = DynamoDB()
    assert not db.closed
    await db.put(User(user_id="u1", name="Alice"))
    assert await dynamodb.get(User, hash_key="u1") is not None
    await db.close()
    assert db.closed
    with pytest.raises(ClientStateError, match="closed; create a new DynamoDB"):
        await db.get(User, hash_key="u1")
    with pytest.raises(ClientStateError):
        await db.open()
    await db.close()  # closing twice is fine


async def test_async_with_closes_the_client(dynamodb: DynamoDB) -> None:
    async with DynamoDB() as db:
        await db.put(User(user_id="u1", name="Alice"))
    assert db.closed
    with pytest.raises(ClientStateError):
        await db.exceptions()


async def test_borrowed_client_stays_open(dynamodb: DynamoDB) -> None:
    low = await dynamodb.low_level_client()
    async with DynamoDB(client=low) as db:
        await db.put(User(user_id="u1", name="Alice"))
    assert await dynamodb.get(User, hash_key="u1") == User(user_id="u1", name="Alice")


async def test_table_prefix_from_argument_and_environment(
    dynamodb: DynamoDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert DynamoDB(table_prefix="dev_").table_name(User) == "dev_it_users"
    monkeypatch.setenv("AIODYNAMODB_TABLE_PREFIX", "prod_")
    assert DynamoDB().table_name(User) == "prod_it_users"
    assert DynamoDB(table_prefix="").table_name(User) == "it_users"


@pytest.mark.parametrize("raise_inside", [False, True], ids=["normal-exit", "exception"])
async def test_mock_dynamodb_restores_the_environment_exactly(
    monkeypatch: pytest.MonkeyPatch, raise_inside: bool
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREAL")
    monkeypatch.setenv("AWS_PROFILE", "prod")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "https://dynamodb.example.com")
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    before = dict(os.environ)

    async def body() -> None:
        async with mock_dynamodb(User) as db:
            assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"
            for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB"):
                assert name not in os.environ
            await db.put(User(user_id="u1", name="Alice"))
            if raise_inside:
                raise RuntimeError("boom")

    if raise_inside:
        with pytest.raises(RuntimeError, match="boom"):
            await body()
    else:
        await body()
    assert dict(os.environ) == before


async def test_mock_dynamodb_patch_env_false_leaves_credentials_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "mine")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "mine")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    before = dict(os.environ)
    async with mock_dynamodb(User, patch_env=False) as db:
        assert os.environ.get("AWS_PROFILE") == before.get("AWS_PROFILE")
        await db.put(User(user_id="u1", name="Alice"))
        assert await db.get(User, hash_key="u1") is not None
    assert dict(os.environ) == before


async def test_mock_dynamodb_rejects_a_non_model() -> None:
    with pytest.raises(TypeError, match=r"^'users' is not a table model; decorate a DynamoModel"):
        async with mock_dynamodb("users"):  # type: ignore[arg-type]
            pass


def run_python(code: str, *, block_aiomoto: bool = False) -> subprocess.CompletedProcess[str]:
    prelude = "import sys\nsys.modules['aiomoto'] = None\n" if block_aiomoto else ""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    return subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


SCRIPT = """
    import asyncio
    from aiodynamodb import DynamoModel, table
    from aiodynamodb.testing import mock_dynamodb

    @table("users", hash_key="user_id")
    class User(DynamoModel):
        user_id: str
        name: str

    async def main():
        async with mock_dynamodb(User) as db:
            await db.put(User(user_id="u1", name="Alice"))
            print((await db.get(User, hash_key="u1")).name)

    asyncio.run(main())
"""


def test_mock_dynamodb_works_from_plain_asyncio_run() -> None:
    result = run_python(SCRIPT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Alice"


def test_mock_dynamodb_without_the_testing_extra_names_it() -> None:
    result = run_python(SCRIPT, block_aiomoto=True)
    assert result.returncode == 1
    assert "MissingExtraError: aiodynamodb's in-memory DynamoDB needs the 'testing' extra" in (
        result.stderr
    )
    assert "pip install -e '/path/to/aiodynamodb[testing]'" in result.stderr
    assert "pip install 'aiodynamodb-orm[testing]'" in result.stderr


async def test_an_aioboto3_session_and_a_botocore_config_are_used(dynamodb: DynamoDB) -> None:
    aioboto3 = import_aioboto3()
    from botocore.config import Config

    session = aioboto3.Session()
    config = Config(retries={"total_max_attempts": 2}, read_timeout=7)
    async with DynamoDB(session=session, config=config) as db:
        await db.put(User(user_id="u1", name="Alice"))
        low = await db.low_level_client()
        assert low.meta.config.read_timeout == 7
        # The codec and our rules stand in for botocore's parameter validation: a Limit
        # botocore would refuse client-side reaches the server, which refuses it.
        with pytest.raises(ClientError) as info:
            await low.scan(TableName=db.table_name(User), Limit=0)
        assert info.value.response["Error"]["Code"] == "ValidationException"
    assert await dynamodb.get(User, hash_key="u1") == User(user_id="u1", name="Alice")


async def test_validate_false_keeps_botocore_validation(dynamodb: DynamoDB) -> None:
    async with DynamoDB(validate=False) as db:
        low = await db.low_level_client()
        with pytest.raises(ParamValidationError):
            await low.scan(TableName=db.table_name(User), Limit=0)
