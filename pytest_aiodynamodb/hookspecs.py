"""Hooks a ``conftest.py`` (or another plugin) can implement to shape the ``dynamodb`` fixture.

Added with ``pytest_addhooks``, so any conftest.py can implement them::

    # conftest.py
    def pytest_aiodynamodb_default_models(config):
        return [User, Order]

    async def pytest_aiodynamodb_seed(db, request, models):
        await db.put(User(user_id="admin", name="Admin"))

Like pytest's own fixtures, a hook in a ``conftest.py`` applies to the tests in that
directory and below; a hook in a plugin applies everywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from collections.abc import Awaitable, Sequence

    from aiodynamodb import DynamoDB, DynamoModel


@pytest.hookspec
def pytest_aiodynamodb_default_models(config: pytest.Config) -> Sequence[type[DynamoModel]] | None:
    """Model classes whose tables every test that uses ``dynamodb`` gets.

    Called once per test that requests the ``dynamodb`` fixture, before its tables are set
    up. The models of every implementation are merged with those of the test's
    ``dynamodb_tables`` markers.

    Args:
        config: The pytest config.

    Returns:
        A sequence of ``@table`` model classes, or None for no default models.
    """


@pytest.hookspec
def pytest_aiodynamodb_seed(
    db: DynamoDB, request: pytest.FixtureRequest, models: Sequence[type[DynamoModel]]
) -> Awaitable[None] | None:
    """Put data in the tables once they exist, before the test body runs.

    Called for every test that uses the ``dynamodb`` fixture, after its tables were
    created (or emptied) and before the test starts. The implementation may be an
    ``async def``: the fixture awaits what it returns. Every implementation is called.

    Args:
        db: The client the test will receive.
        request: The test's fixture request (``request.node`` is the test item).
        models: The models whose tables the test has, markers and defaults merged.

    Returns:
        None, or an awaitable that the fixture awaits.
    """


@pytest.hookspec
def pytest_aiodynamodb_client_settings(config: pytest.Config) -> dict[str, Any] | None:
    """Keyword arguments for the ``DynamoDB`` client the fixture builds.

    Called once per test that uses the fixture. The dicts of every implementation are
    merged (earlier registered plugins first, conftest.py files last). Useful keys:
    ``batch_max_attempts``, ``batch_base_delay``, ``batch_max_delay``, ``config``
    (a ``botocore.config.Config``), ``client_kwargs``.

    Args:
        config: The pytest config.

    Returns:
        A dict of ``DynamoDB(...)`` keyword arguments, or None.
    """
