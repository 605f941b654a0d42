"""Testing helpers: an in-memory DynamoDB that needs no AWS account.

``mock_dynamodb`` works anywhere asyncio runs (pytest, ``asyncio.run``, a notebook)::

    from aiodynamodb.testing import mock_dynamodb

    async with mock_dynamodb(User, Order) as db:
        await db.put(User(user_id="u1", name="Alice"))
        user = await db.get(User, hash_key="u1")

Needs the ``testing`` extra (``pip install -e '/path/to/aiodynamodb[testing]'`` from a
clone; ``aiodynamodb-orm[testing]`` once on PyPI); aiomoto and moto are imported only when
the mock starts.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiodynamodb.client import DynamoDB
from aiodynamodb.model import DynamoModel, table_meta
from aiodynamodb.testing.environment import FAKE_ENV, patched_environment
from aiodynamodb.testing.memory import (
    MISSING_EXTRA_MESSAGE,
    MemoryDynamoDB,
    MissingExtraError,
    import_aiomoto,
)


@asynccontextmanager
async def mock_dynamodb(
    *models: type[DynamoModel], patch_env: bool = True, strict: bool = True
) -> AsyncIterator[DynamoDB]:
    """Start an in-memory DynamoDB with a table per model and yield a client for it.

    1. Patches AWS environment variables with fake credentials (``AWS_ACCESS_KEY_ID=testing``
       and friends) and removes ``AWS_PROFILE`` and ``AWS_ENDPOINT_URL*``.
    2. Starts aiomoto's in-process mock (real network calls from aiobotocore clients are
       blocked while it runs).
    3. Creates each model's table with ``db.create_table(model)``.
    4. Yields the ``DynamoDB`` client; any other client created inside sees the same tables.
    5. On exit, tears the mock down and restores the environment exactly, also when the
       body raised.

    Args:
        *models: Model classes whose tables to create.
        patch_env: Patch AWS environment variables with fake credentials. Set False if you
            manage credentials yourself.
        strict: Reject requests DynamoDB would reject, even where moto accepts them (see
            ``docs/fidelity.md``). False gives moto's behaviour.

    Raises:
        MissingExtraError: The ``testing`` extra is not installed (an ``ImportError`` whose
            message names the extra).
        TypeError: An argument is not a ``@table`` model class.
    """
    for model in models:
        table_meta(model)
    import_aiomoto()
    memory = MemoryDynamoDB(strict=strict, patch_env=patch_env)
    try:
        db = await memory.reset(models)
        yield db
    finally:
        await memory.close()


__all__ = [
    "FAKE_ENV",
    "MISSING_EXTRA_MESSAGE",
    "MemoryDynamoDB",
    "MissingExtraError",
    "mock_dynamodb",
    "patched_environment",
]
