"""The ``dynamodb`` fixture's two set-ups: without an event loop once a test's tables were
made before (restored from copies), through the async fixture otherwise (first use of a
table, seeds, client settings). Every guarantee holds on both, test after test."""

from __future__ import annotations

import pytest

from tests.plugin.conftest import ini

ISOLATION = """
import os

import pytest
from boto3.dynamodb.conditions import Key

from aiodynamodb import DynamoDB
from models import Audit, Order, User

pytestmark = pytest.mark.dynamodb_tables(User, Order)


async def test_01_first_use_writes_everywhere(dynamodb):
    await dynamodb.put(User(user_id="u1"))
    await dynamodb.put(Order(order_id="o1", created_at="t1"))
    os.environ["AWS_REGION"] = "eu-west-1"
    os.environ["AWS_PROFILE"] = "prod"


async def test_02_restored_tables_are_empty_and_writable(dynamodb):
    assert os.environ["AWS_REGION"] == "us-east-1"
    assert "AWS_PROFILE" not in os.environ
    assert await dynamodb.get(User, hash_key="u1") is None
    by_status = dynamodb.query(
        Order, index_name="by_status", key_condition_expression=Key("status").eq("open")
    )
    assert [page.items async for page in by_status] == [[]]
    await dynamodb.put(User(user_id="u2"))
    assert await DynamoDB().get(User, hash_key="u2") == User(user_id="u2")


def test_03_sync_test(dynamodb):
    assert isinstance(dynamodb, DynamoDB) and not dynamodb.closed


@pytest.mark.dynamodb_tables(Audit)
async def test_04_a_new_table_then_the_old_ones(dynamodb):
    await dynamodb.put(Audit(event_id="e1"))
    assert await dynamodb.get(User, hash_key="u2") is None


@pytest.mark.dynamodb_seed(User(user_id="seeded"))
async def test_05_seeds(dynamodb):
    assert await dynamodb.get(User, hash_key="seeded") == User(user_id="seeded")


@pytest.mark.dynamodb_tables(Audit)
async def test_06_after_seeds(dynamodb, dynamodb_calls):
    assert await dynamodb.get(User, hash_key="seeded") is None
    assert await dynamodb.get(Audit, hash_key="e1") is None
    assert dynamodb_calls.count("GetItem") == 2


async def test_07_faults_are_per_test(dynamodb, dynamodb_faults):
    dynamodb_faults.fail("PutItem", error="ThrottlingException", times=99)


async def test_08_no_fault_left(dynamodb):
    await dynamodb.put(User(user_id="u3"))
"""

CONFTEST = """
import os

import pytest

SEEN = {}


def environ():
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}


def pytest_sessionstart(session):
    SEEN["environ"] = environ()


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item):
    db = item.funcargs.get("dynamodb")
    assert db is not None and db.closed, item.nodeid
    assert environ() == SEEN["environ"], item.nodeid
"""


@pytest.mark.parametrize("mode", ["auto", "strict"])
def test_each_test_gets_fresh_tables_and_its_environment_back(
    pytester: pytest.Pytester, mode: str
) -> None:
    from tests.plugin.conftest import MODELS

    pytester.makefile(".ini", pytest=ini(mode))
    pytester.makepyfile(models=MODELS)
    pytester.makeconftest(CONFTEST)
    body = ISOLATION
    if mode == "strict":
        body = body.replace("\nasync def", "\n@pytest.mark.asyncio\nasync def")
    pytester.makepyfile(test_isolation=body)
    pytester.syspathinsert()
    pytester.runpytest().assert_outcomes(passed=8)


CLOSED = """
import pytest

from aiodynamodb import ClientStateError
from models import User

pytestmark = pytest.mark.dynamodb_tables(User)
KEPT = []


async def test_first(dynamodb):
    KEPT.append(dynamodb)


async def test_second(dynamodb):
    KEPT.append(dynamodb)


async def test_both_fixture_clients_are_closed(dynamodb):
    for db in KEPT:
        with pytest.raises(ClientStateError):
            await db.get(User, hash_key="u1")
    assert await dynamodb.get(User, hash_key="u1") is None
"""


def test_a_tests_client_is_closed_after_it(project: pytest.Pytester) -> None:
    project.makepyfile(test_closed=CLOSED)
    project.runpytest().assert_outcomes(passed=3)
