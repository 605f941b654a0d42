"""The marker spellings the README and docs/testing.md show type-check under mypy --strict.

``pytest_aiodynamodb.dynamodb_tables(...)`` works for one model or several, on a test
function, a method, a class and a module. ``pytest.mark.dynamodb_tables(User)`` with exactly
one model works at run time, but pytest's typing reads a lone class as the decorated object:
the ``type: ignore`` below records that mypy rejects it (warn_unused_ignores, part of
--strict, fails the lint step if that ever changes, so the docs can be updated).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, assert_type

import pytest

from aiodynamodb import DynamoDB, DynamoModel, table
from pytest_aiodynamodb import dynamodb_seed, dynamodb_tables


@table("users", hash_key="user_id")
class User(DynamoModel):
    user_id: str


@table("orders", hash_key="order_id")
class Order(DynamoModel):
    order_id: str


pytestmark = dynamodb_tables(User)
assert_type(pytestmark, pytest.MarkDecorator)
several_marks = [dynamodb_tables(User, Order), pytest.mark.slow]


@dynamodb_tables(User)
async def test_one_model(dynamodb: DynamoDB) -> None:
    assert_type(await dynamodb.get(User, hash_key="u1"), User | None)


@dynamodb_tables(User, Order)
async def test_two_models(dynamodb: DynamoDB) -> None: ...


@dynamodb_tables(Order)
class TestClass:
    @dynamodb_tables(User)
    async def test_method(self, dynamodb: DynamoDB) -> None: ...


@dynamodb_seed(User(user_id="u1"), file="seed.json")
@dynamodb_tables(Order)
async def test_seeded(dynamodb: DynamoDB) -> None: ...


# With two or more models, or through with_args, pytest's own marker type-checks too.
@pytest.mark.dynamodb_tables(User, Order)
async def test_pytest_mark_two(dynamodb: DynamoDB) -> None: ...


@pytest.mark.dynamodb_tables.with_args(User)
async def test_pytest_mark_with_args(dynamodb: DynamoDB) -> None: ...


@pytest.mark.dynamodb_tables(User)  # type: ignore[call-arg]
async def test_pytest_mark_one(dynamodb: DynamoDB) -> None: ...


# The helper's decorator hands the test back unchanged, types included.
still_a_test: Callable[[DynamoDB], Coroutine[Any, Any, None]] = test_one_model
assert_type(TestClass, type[TestClass])
