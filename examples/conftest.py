"""pytest configuration of the example service's tests (run them with ``pytest examples``).

The aiodynamodb plugin needs no registration: installing the package loads it. This file
implements two of its hooks, so every test in ``examples/`` that asks for the ``dynamodb``
fixture gets the same starting point:

- ``pytest_aiodynamodb_default_models``: the ``customers`` and ``products`` tables, for
  every such test (the ``orders`` table only where a ``dynamodb_tables`` marker asks for it);
- ``pytest_aiodynamodb_seed``: a small catalogue and one customer, written before each test.

Tables start empty for every test, so what one test writes is never seen by the next.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import pytest
from aiodynamodb import DynamoDB, DynamoModel

from orders.models import Customer, Product
from orders.service import import_products

CATALOGUE = [
    Product(sku="kettle", name="Kettle", price=Decimal("29.90"), stock=5),
    Product(sku="mug", name="Mug", price=Decimal("7.50"), stock=100),
    Product(sku="teapot", name="Teapot", price=Decimal("35.00"), stock=0),
]
ALICE = Customer(customer_id="alice", name="Alice", email="alice@example.com")


def pytest_aiodynamodb_default_models(config: pytest.Config) -> list[type[DynamoModel]]:
    """Tables every test that uses ``dynamodb`` gets, besides those of its markers."""
    return [Customer, Product]


async def pytest_aiodynamodb_seed(
    db: DynamoDB, request: pytest.FixtureRequest, models: Sequence[type[DynamoModel]]
) -> None:
    """Write the catalogue and Alice once the tables exist, before the test body runs."""
    await import_products(CATALOGUE, db=db)
    await db.put(ALICE)
