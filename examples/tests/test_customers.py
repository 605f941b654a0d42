"""Registering customers: a conditional put that refuses duplicates.

No marker on this module: the ``customers`` and ``products`` tables come from
``pytest_aiodynamodb_default_models`` in ``examples/conftest.py``, which also seeds Alice.
"""

from __future__ import annotations

import pytest
from aiodynamodb import DynamoDB

from orders.models import Customer, Order
from orders.service import CustomerExists, customer_orders, register_customer

BOB = Customer(customer_id="bob", name="Bob", email="bob@example.com")


async def test_register_customer_with_its_own_client(dynamodb: DynamoDB) -> None:
    # No db passed: the service opens its own DynamoDB() and still sees the test's tables.
    await register_customer(BOB)

    assert await dynamodb.get(Customer, hash_key="bob") == BOB


async def test_registering_a_taken_id_fails_and_keeps_the_stored_customer(
    dynamodb: DynamoDB,
) -> None:
    impostor = Customer(customer_id="alice", name="Mallory", email="mallory@example.com")

    with pytest.raises(CustomerExists, match="'alice' already exists"):
        await register_customer(impostor, db=dynamodb)

    stored = await dynamodb.get(Customer, hash_key="alice")
    assert stored is not None
    assert stored.name == "Alice"


async def test_the_conditional_check_failure_is_botocores_exception(dynamodb: DynamoDB) -> None:
    # What register_customer catches: DynamoDB's error, as botocore's own exception class.
    from boto3.dynamodb.conditions import Attr

    ex = await dynamodb.exceptions()
    with pytest.raises(ex.ConditionalCheckFailedException):
        await dynamodb.put(
            BOB.model_copy(update={"customer_id": "alice"}),
            condition_expression=Attr("customer_id").not_exists(),
        )


@pytest.mark.dynamodb_tables(Order)
async def test_a_new_customer_has_no_orders(dynamodb: DynamoDB) -> None:
    # One model on one test: this test also gets the orders table.
    await register_customer(BOB, db=dynamodb)

    assert await customer_orders("bob") == []
