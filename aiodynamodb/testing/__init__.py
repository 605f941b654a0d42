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
from aiodynamodb.model import DynamoModel
from aiodynamodb.testing.environment import FAKE_ENV, patched_environment
from aiodynamodb.testing.intercept import (
    BLOCKED_MESSAGE,
    MOCK_ENDED_MESSAGE,
    BlockedRequestError,
)
from aiodynamodb.testing.memory import (
    MISSING_EXTRA_MESSAGE,
    MemoryDynamoDB,
    MissingExtraError,
    import_aiomoto,
)
from aiodynamodb.testing.tableset import (
    MISSING_TABLE_MESSAGE,
    TABLE_CONFLICT_MESSAGE,
    MissingTableHint,
    TableConflictError,
    table_models,
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
    3. Creates each model's table with ``db.create_table(model)``; models that share a
       table (single-table design) get it once, if they agree on its schema.
    4. Yields the ``DynamoDB`` client; any other client created inside sees the same tables.
       A request to a URL the mock does not serve raises :class:`BlockedRequestError`.
    5. On exit, closes the yielded client, tears the mock down and restores the
       environment exactly, also when the body raised. From then on every client created
       inside (ours, aioboto3, aiobotocore, boto3) refuses to send anything with
       ``ClientStateError`` (:data:`MOCK_ENDED_MESSAGE`): none can reach a real endpoint.

    With ``patch_env=False`` the clients use the region (and moto account) your own
    environment names, the mock's client as well as any your code creates.

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
        TableConflictError: Two models share a table but not its schema (raised before
            anything starts).
    """
    table_models(models)
    import_aiomoto()
    memory = MemoryDynamoDB(strict=strict, patch_env=patch_env)
    db: DynamoDB | None = None
    try:
        db = await memory.reset(models)
        yield db
    finally:
        if db is not None:
            await db.close()
        await memory.close()  # refuses every client created inside: MOCK_ENDED_MESSAGE


__all__ = [
    "BLOCKED_MESSAGE",
    "FAKE_ENV",
    "MISSING_EXTRA_MESSAGE",
    "MISSING_TABLE_MESSAGE",
    "MOCK_ENDED_MESSAGE",
    "TABLE_CONFLICT_MESSAGE",
    "BlockedRequestError",
    "MemoryDynamoDB",
    "MissingExtraError",
    "MissingTableHint",
    "TableConflictError",
    "mock_dynamodb",
    "patched_environment",
    "table_models",
]
