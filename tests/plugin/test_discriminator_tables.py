"""Models sharing a table by discriminator under the plugin and ``mock_dynamodb``: the table is
created once and reads of the models come back as each class; models that disagree on the
discriminator, or share a value, stop the run at collection."""

from __future__ import annotations

import pytest

KINDS = """
from typing import Literal

from aiodynamodb import DynamoModel, table


@table("app", hash_key="pk", range_key="sk", discriminator="kind")
class Customer(DynamoModel):
    pk: str
    sk: str
    kind: Literal["customer"] = "customer"
    name: str = ""


@table("app", hash_key="pk", range_key="sk", discriminator="kind")
class Invoice(DynamoModel):
    pk: str
    sk: str
    kind: Literal["invoice"] = "invoice"
    total: int = 0


@table("app", hash_key="pk", range_key="sk", discriminator="kind")
class AlsoCustomer(DynamoModel):
    pk: str
    sk: str
    kind: Literal["customer"] = "customer"


@table("app", hash_key="pk", range_key="sk", discriminator="type")
class Typed(DynamoModel):
    pk: str
    sk: str
    type: Literal["typed"] = "typed"
"""

READS = """
import pytest
from boto3.dynamodb.conditions import Key
from aiodynamodb.testing import mock_dynamodb
from kinds import Customer, Invoice


async def read_back(db):
    await db.put(Customer(pk="c1", sk="#", name="Ann"))
    await db.put(Invoice(pk="c1", sk="i1", total=3))
    items = await db.query((Customer, Invoice), key_condition_expression=Key("pk").eq("c1")).all()
    assert [type(item).__name__ for item in items] == ["Customer", "Invoice"]


@pytest.mark.dynamodb_tables(Customer, Invoice)
async def test_marker(dynamodb):
    await read_back(dynamodb)


async def test_mock():
    async with mock_dynamodb(Customer, Invoice) as db:
        tables = (await (await db.low_level_client()).list_tables())["TableNames"]
        assert tables == ["app"]
        await read_back(db)
"""


@pytest.fixture
def kinds(project: pytest.Pytester) -> pytest.Pytester:
    project.makepyfile(kinds=KINDS)
    return project


@pytest.mark.parametrize("backend", ["memory", "server"])
def test_the_shared_table_is_created_once(kinds: pytest.Pytester, backend: str) -> None:
    kinds.makepyfile(test_it=READS)
    kinds.runpytest(f"--dynamodb-backend={backend}").assert_outcomes(passed=2)


@pytest.mark.parametrize(
    ("other", "expected"),
    [
        (
            "AlsoCustomer",
            "*kinds.Customer and kinds.AlsoCustomer both use table 'app' with discriminator "
            "kind='customer'*own Literal value*",
        ),
        (
            "Typed",
            "*kinds.Customer and kinds.Typed both use table 'app' but disagree on its "
            "discriminator (kinds.Customer: 'kind'; kinds.Typed: 'type')*",
        ),
    ],
    ids=["same-value", "other-discriminator"],
)
def test_models_that_disagree_stop_the_run(
    kinds: pytest.Pytester, other: str, expected: str
) -> None:
    kinds.makepyfile(
        test_it=f"""
        import pytest
        from kinds import Customer, {other}

        @pytest.mark.dynamodb_tables(Customer, {other})
        async def test_never_runs(dynamodb):
            raise AssertionError("collection must stop the run")
        """
    )
    result = kinds.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([expected])


def test_mock_dynamodb_refuses_them_too(kinds: pytest.Pytester) -> None:
    kinds.makepyfile(
        test_it="""
        import pytest
        from aiodynamodb.testing import TableConflictError, mock_dynamodb
        from kinds import AlsoCustomer, Customer

        async def test_refused():
            with pytest.raises(TableConflictError, match="kind='customer'"):
                async with mock_dynamodb(Customer, AlsoCustomer):
                    pass
        """
    )
    kinds.runpytest().assert_outcomes(passed=1)
