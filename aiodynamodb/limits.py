"""DynamoDB's numbers, each defined once.

Every limit the codec, the model declaration, the client's checks and the in-memory strict
layer apply is named here and imported from here; the sources are AWS's "Service, account,
and table quotas in Amazon DynamoDB" and the API reference of each operation.
"""

from __future__ import annotations

from typing import Final

# -- Numbers --------------------------------------------------------------------------------

NUMBER_MAX_DIGITS: Final = 38
"""Significant digits a number may have."""

NUMBER_MIN_EXPONENT: Final = -130
"""Position of the leading digit of the smallest magnitude, 1E-130."""

NUMBER_MAX_EXPONENT: Final = 125
"""Position of the leading digit of the largest magnitude, 9.9999999999999999999999999999999999999E+125."""  # noqa: E501

NUMBER_MAX_SIZE: Final = 22
"""Most bytes a number takes in the item size: 38 digits not aligned on the decimal point
span 20 base-100 pairs, plus the exponent byte and the byte of a negative sign."""

INT_FAST_LIMIT: Final = 10**NUMBER_MAX_DIGITS
"""Every int strictly between ``-INT_FAST_LIMIT`` and ``INT_FAST_LIMIT`` is a valid number (the
fast path of the codec's number checks)."""

FLOAT_FAST_MIN: Final = 1e-130
FLOAT_FAST_MAX: Final = 1e125
"""Every float with ``FLOAT_FAST_MIN <= abs(f) < FLOAT_FAST_MAX`` is a valid number as its
``repr`` (at most 17 digits, exponent in range): the fast path of the codec's float check."""

# -- Items and attributes ------------------------------------------------------------------

MAX_ITEM_SIZE: Final = 409_600
"""An item's size limit in bytes (400 KB), names and values counted as DynamoDB does."""

MAX_HASH_KEY_SIZE: Final = 2048
"""Bytes of a partition (hash) key value."""

MAX_RANGE_KEY_SIZE: Final = 1024
"""Bytes of a sort (range) key value."""

MAX_NESTING_LEVELS: Final = 32
"""Levels of nested values, the top-level attribute counting as level 1: a scalar may sit
inside at most 31 maps or lists ("Nesting Levels have exceeded supported limits")."""

# -- Names ----------------------------------------------------------------------------------

MIN_TABLE_NAME_LENGTH: Final = 3
MAX_TABLE_NAME_LENGTH: Final = 255
"""Table and index names: 3 to 255 characters of ``[a-zA-Z0-9_.-]`` (data-plane operations
accept 1 to 255, where shorter names then name no table)."""

# -- Tables and indexes ---------------------------------------------------------------------

MAX_GSIS: Final = 20
"""Global secondary indexes per table (the default quota)."""

MAX_LSIS: Final = 5
"""Local secondary indexes per table."""

MAX_PROJECTED_ATTRIBUTES: Final = 100
"""Non-key attributes projected into all of a table's indexes together."""

MAX_TAGS: Final = 50
"""Tags per resource."""

# -- Requests -------------------------------------------------------------------------------

MAX_BATCH_GET_KEYS: Final = 100
"""Keys per BatchGetItem request."""

MAX_BATCH_WRITE_REQUESTS: Final = 25
"""Put and delete requests per BatchWriteItem request."""

MAX_TRANSACTION_ACTIONS: Final = 100
"""Actions per TransactWriteItems or TransactGetItems request."""

MAX_TRANSACTION_SIZE: Final = 4 * 1024 * 1024
"""Bytes of a whole transaction's items (4 MB)."""

MAX_IN_OPERANDS: Final = 100
"""Operands on the right of one ``IN`` comparator."""

MAX_EXPRESSION_LENGTH: Final = 4096
"""Characters of any one expression string (4 KB)."""

MAX_CLIENT_REQUEST_TOKEN_LENGTH: Final = 36
"""Characters of a TransactWriteItems ``ClientRequestToken`` (at least 1)."""

MAX_TOTAL_SEGMENTS: Final = 1_000_000
"""Segments of one parallel Scan."""

__all__ = [
    "FLOAT_FAST_MAX",
    "FLOAT_FAST_MIN",
    "INT_FAST_LIMIT",
    "MAX_BATCH_GET_KEYS",
    "MAX_BATCH_WRITE_REQUESTS",
    "MAX_CLIENT_REQUEST_TOKEN_LENGTH",
    "MAX_EXPRESSION_LENGTH",
    "MAX_GSIS",
    "MAX_HASH_KEY_SIZE",
    "MAX_IN_OPERANDS",
    "MAX_ITEM_SIZE",
    "MAX_LSIS",
    "MAX_NESTING_LEVELS",
    "MAX_PROJECTED_ATTRIBUTES",
    "MAX_RANGE_KEY_SIZE",
    "MAX_TABLE_NAME_LENGTH",
    "MAX_TAGS",
    "MAX_TOTAL_SEGMENTS",
    "MAX_TRANSACTION_ACTIONS",
    "MAX_TRANSACTION_SIZE",
    "MIN_TABLE_NAME_LENGTH",
    "NUMBER_MAX_DIGITS",
    "NUMBER_MAX_EXPONENT",
    "NUMBER_MAX_SIZE",
    "NUMBER_MIN_EXPONENT",
]
