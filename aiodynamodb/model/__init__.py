"""Models and their tables: :class:`DynamoModel`, ``@table``, keys and secondary indexes.

- :mod:`._model`: ``DynamoModel``, ``@table``, ``HashKey``/``RangeKey`` and the definition
  hook through which the codec checks each new model class;
- :mod:`._declaration`: ``TableMeta``, ``GSI``, ``LSI`` and every check of a declaration;
- :mod:`._discriminator`: several models on one table (``@table(discriminator=...)``);
- :mod:`._messages`: the messages of those checks.

This layer imports neither the codec nor the client; both read the declarations made here.
"""

from __future__ import annotations

from aiodynamodb.model._declaration import (
    BillingMode,
    Index,
    Projection,
    StreamView,
    TableMeta,
)
from aiodynamodb.model._discriminator import check_kinds
from aiodynamodb.model._messages import (
    BAD_KEY_TYPE,
    BAD_TTL_TYPE,
    BAD_VERSION_TYPE,
    CUSTOM_SERIALIZER_KEY,
    OPTIONAL_KEY,
)
from aiodynamodb.model._model import (
    GSI,
    LSI,
    DynamoModel,
    HashKey,
    RangeKey,
    attribute_names,
    is_table_model,
    set_definition_checks,
    table,
    table_meta,
)

__all__ = [
    "BAD_KEY_TYPE",
    "BAD_TTL_TYPE",
    "BAD_VERSION_TYPE",
    "CUSTOM_SERIALIZER_KEY",
    "GSI",
    "LSI",
    "OPTIONAL_KEY",
    "BillingMode",
    "DynamoModel",
    "HashKey",
    "Index",
    "Projection",
    "RangeKey",
    "StreamView",
    "TableMeta",
    "attribute_names",
    "check_kinds",
    "is_table_model",
    "set_definition_checks",
    "table",
    "table_meta",
]
