"""aiodynamodb: an async DynamoDB ORM on Pydantic v2 and aiobotocore's low-level client.

::

    from aiodynamodb import DynamoDB, DynamoModel, table

    @table("users", hash_key="user_id")
    class User(DynamoModel):
        user_id: str
        name: str

    async with DynamoDB() as db:
        await db.put(User(user_id="u1", name="Alice"))
        user = await db.get(User, hash_key="u1")   # User | None
"""

from importlib import metadata as _metadata

from aiodynamodb.client import (
    TABLE_PREFIX_ENV,
    CallCapacity,
    CancellationReason,
    CapacityMode,
    CapacityTracker,
    ConditionCheck,
    ConsumedCapacity,
    Delete,
    DynamoDB,
    ItemKey,
    Page,
    PageIterator,
    Put,
    RetryPolicy,
    Update,
)
from aiodynamodb.errors import (
    AioDynamoDBError,
    ArgumentError,
    BatchGetError,
    BatchWriteError,
    ClientStateError,
    DecodeError,
    EncodeError,
    ModelDefinitionError,
    ValidationError,
    VersionConflictError,
)
from aiodynamodb.expressions import Raw, UpdateAttr
from aiodynamodb.item_types import KeyValue
from aiodynamodb.model import GSI, LSI, DynamoModel, HashKey, RangeKey, TableMeta, table, table_meta

_DISTRIBUTION = "aiodynamodb-orm"
"""The name aiodynamodb is installed under (``aiodynamodb`` on PyPI is another project)."""

try:  # the version is written once, in pyproject.toml; the installed metadata carries it
    __version__ = _metadata.version(_DISTRIBUTION)
except _metadata.PackageNotFoundError:  # imported from a folder on sys.path, never installed
    __version__ = "0+unknown"

__all__ = [
    "GSI",
    "LSI",
    "TABLE_PREFIX_ENV",
    "AioDynamoDBError",
    "ArgumentError",
    "BatchGetError",
    "BatchWriteError",
    "CallCapacity",
    "CancellationReason",
    "CapacityMode",
    "CapacityTracker",
    "ClientStateError",
    "ConditionCheck",
    "ConsumedCapacity",
    "DecodeError",
    "Delete",
    "DynamoDB",
    "DynamoModel",
    "EncodeError",
    "HashKey",
    "ItemKey",
    "KeyValue",
    "ModelDefinitionError",
    "Page",
    "PageIterator",
    "Put",
    "RangeKey",
    "Raw",
    "RetryPolicy",
    "TableMeta",
    "Update",
    "UpdateAttr",
    "ValidationError",
    "VersionConflictError",
    "__version__",
    "table",
    "table_meta",
]
