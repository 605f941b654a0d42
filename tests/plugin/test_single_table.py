"""Single-table design under the plugin: models that share a table get it once on every
backend; models that disagree about it stop the run at collection."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.servers.dynalite import DynaliteError, DynaliteServer, start_dynalite

SHARED = """
from aiodynamodb import GSI, DynamoModel, table


@table("app", hash_key="pk", range_key="sk", indexes=[GSI("by_kind", hash_key="kind")])
class Customer(DynamoModel):
    pk: str
    sk: str
    kind: str = "customer"
    name: str = ""


@table("app", hash_key="pk", range_key="sk", indexes=[GSI("by_kind", hash_key="kind")])
class Invoice(DynamoModel):
    pk: str
    sk: str
    kind: str = "invoice"
    total: int = 0


@table("app", hash_key="pk", range_key="sk")
class NoIndexInvoice(DynamoModel):
    pk: str
    sk: str
"""

TWO_MODELS = """
import pytest
from boto3.dynamodb.conditions import Key
from shared import Customer, Invoice

pytestmark = pytest.mark.dynamodb_tables(Customer)


@pytest.mark.dynamodb_tables(Invoice)
@pytest.mark.parametrize("n", range(2))
async def test_one_table_two_models(dynamodb, n):
    assert dynamodb.table_name(Customer) == dynamodb.table_name(Invoice)
    await dynamodb.put(Customer(pk="c1", sk="profile", name="Ann"))
    await dynamodb.put(Invoice(pk="c1", sk="inv#1", total=30))
    invoices = await dynamodb.query(
        Invoice, key_condition_expression=Key("kind").eq("invoice"), index_name="by_kind"
    ).all()
    assert invoices == [Invoice(pk="c1", sk="inv#1", total=30)]
    assert await dynamodb.get(Customer, hash_key="c1", range_key="profile") is not None
"""


@pytest.fixture
def shared(project: pytest.Pytester) -> pytest.Pytester:
    project.makepyfile(shared=SHARED)
    return project


@pytest.fixture(scope="module")
def dynalite() -> Iterator[DynaliteServer]:
    try:
        server = start_dynalite()
    except DynaliteError as error:
        if os.environ.get("AIODYNAMODB_REQUIRE_DYNALITE"):
            raise
        pytest.skip(f"dynalite is not installed here: {error}")
    with server:
        yield server


@pytest.mark.parametrize("backend", ["memory", "server"])
def test_models_sharing_a_table_get_it_once(shared: pytest.Pytester, backend: str) -> None:
    shared.makepyfile(test_it=TWO_MODELS)
    shared.runpytest(f"--dynamodb-backend={backend}").assert_outcomes(passed=2)


def test_models_sharing_a_table_on_a_real_server(
    shared: pytest.Pytester, dynalite: DynaliteServer
) -> None:
    shared.makepyfile(test_it=TWO_MODELS)
    result = shared.runpytest(
        "--dynamodb-backend=endpoint", f"--dynamodb-endpoint={dynalite.endpoint}"
    )
    result.assert_outcomes(passed=2)


def test_models_that_disagree_are_a_usage_error_at_collection(shared: pytest.Pytester) -> None:
    shared.makepyfile(
        test_it="""
        import pytest
        from shared import Customer, NoIndexInvoice

        @pytest.mark.dynamodb_tables(Customer)
        class TestBilling:
            @pytest.mark.dynamodb_tables(NoIndexInvoice)
            async def test_never_runs(self, dynamodb):
                raise AssertionError("collection must stop the run")
        """
    )
    result = shared.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "*test_it.py::TestBilling::test_never_runs: shared.NoIndexInvoice and "
            "shared.Customer both use table 'app' but disagree on its key attribute types (*"
            "global secondary indexes (*"
        ]
    )


def test_a_model_disagreeing_with_a_hook_model_fails_the_test(shared: pytest.Pytester) -> None:
    shared.makeconftest(
        """
        from shared import Customer

        def pytest_aiodynamodb_default_models(config):
            return [Customer]
        """
    )
    shared.makepyfile(
        test_it="""
        import pytest
        from shared import NoIndexInvoice

        @pytest.mark.dynamodb_tables(NoIndexInvoice)
        async def test_conflict(dynamodb):
            raise AssertionError("the fixture must refuse the tables")
        """
    )
    result = shared.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*TableConflictError: *both use table 'app'*"])
