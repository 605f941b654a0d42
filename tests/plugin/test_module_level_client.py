"""An app's module-level ``db = DynamoDB()``, built at import before the plugin sets anything
up, serves test after test (each on its own event loop) on every backend."""

from __future__ import annotations

import pytest

from tests.plugin.test_backends import dynalite, endpoint_args  # noqa: F401 (fixture)
from tests.servers.dynalite import DynaliteServer

APP = """
from aiodynamodb import DynamoDB
from models import User

db = DynamoDB()  # at import: before any test, any event loop, any table prefix


async def register(user_id):
    await db.put(User(user_id=user_id))
"""

TESTS = """
import pytest
import app
from models import User

pytestmark = pytest.mark.dynamodb_tables(User)


@pytest.mark.parametrize("n", range(3))
async def test_app_client(dynamodb, n):
    await app.register(f"u{n}")
    assert app.db.table_name(User) == dynamodb.table_name(User)
    assert [u.user_id for u in await dynamodb.scan(User).all()] == [f"u{n}"]


@pytest.mark.asyncio(loop_scope="module")
async def test_on_the_module_loop(dynamodb):
    await app.register("m")
    assert await dynamodb.get(User, hash_key="m") == User(user_id="m")
"""


@pytest.fixture
def app_project(project: pytest.Pytester) -> pytest.Pytester:
    project.makepyfile(app=APP, test_it=TESTS)
    return project


@pytest.mark.parametrize(
    "args",
    [[], ["--dynamodb-table-prefix=myapp_"], ["--dynamodb-backend=server"]],
    ids=["memory", "memory-with-prefix", "server"],
)
def test_module_level_client_in_process(app_project: pytest.Pytester, args: list[str]) -> None:
    app_project.runpytest(*args).assert_outcomes(passed=4)


def test_module_level_client_on_a_real_server(
    app_project: pytest.Pytester,
    dynalite: DynaliteServer,  # noqa: F811
) -> None:
    app_project.runpytest(*endpoint_args(dynalite)).assert_outcomes(passed=4)
