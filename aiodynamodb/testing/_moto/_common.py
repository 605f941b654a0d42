"""Constants, errors and version checks shared by the moto internals (see the package)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from aiodynamodb.client import ITEM_OPERATIONS

ERROR_PREFIX: Final = "com.amazonaws.dynamodb.v20120810#"
"""The ``__type`` prefix of DynamoDB's JSON error bodies."""

SUPPORTED_MOTO: Final = ">=5.1.5,<=5.2.4"
"""The moto versions this module was read against (pyproject's ``testing`` extra)."""

CONTRACT_MESSAGE: Final = (
    "aiodynamodb's in-memory DynamoDB relies on moto's private {internal}, which moto "
    "{version} no longer provides as expected ({detail}); aiodynamodb supports moto "
    "{supported}. Pin moto to that range, or report the moto version so "
    "aiodynamodb/testing/_moto/ can be updated."
)

UNKNOWN_OPERATION_MESSAGE: Final = (
    "moto's DynamoDB has no operation {operation!r} (moto {version}); the operation name "
    "is the one in DynamoDB's API reference, such as 'PutItem'"
)

DIRECT_AUTH_MESSAGE: Final = (
    "moto's IAM simulation is on (INITIAL_NO_AUTH_ACTION_COUNT / "
    "set_initial_no_auth_action_count), which checks signatures and policies on moto's "
    "HTTP request path; aiodynamodb's direct path sends no HTTP request. Use the server "
    "backend or a plain moto mock for IAM tests."
)

FAST_OPERATIONS: Final = ITEM_OPERATIONS
"""Operations whose moto results are JSON as they stand, apart from binary values: the
client's item operations (one definition: ``aiodynamodb.client.ITEM_OPERATIONS``, whose
requests the wire fast path serializes the same way).

For these, moto >= 5.2's response serializer (which walks the output shape member by
member, ~10 look-ups per AttributeValue) is replaced by ``json.dumps`` with binary values
base64-encoded: the same JSON (a contract test compares the two on every kind of value).
Other operations (table descriptions carry timestamps and enums) keep moto's serializer.
"""

_JSON_CONTENT_TYPE: Final = "application/x-amz-json-1.0"

BackendHook = Callable[
    [str, bytes, str, str], tuple[int, bytes] | tuple[int, bytes, Mapping[str, str]]
]
"""``(operation, body, region, account) -> (status, body[, headers])``: answers a request
that reached moto's DynamoDB backend from any client (see :func:`install_backend_hook`)."""


class MotoContractError(RuntimeError):
    """A moto internal aiodynamodb relies on is missing or changed shape."""


class DirectAuthError(RuntimeError):
    """moto's IAM simulation is on, which the direct path cannot honour."""


class UnknownOperationError(ValueError):
    """:func:`dispatch` was given an operation moto's DynamoDB does not have."""


def moto_version() -> str:
    """The imported moto's version."""
    import moto

    return str(moto.__version__)


def responses_module() -> Any:
    """``moto.dynamodb.responses``."""
    from moto.dynamodb import responses

    return responses


def _broken(internal: str, detail: str) -> MotoContractError:
    return MotoContractError(
        CONTRACT_MESSAGE.format(
            internal=internal, version=moto_version(), detail=detail, supported=SUPPORTED_MOTO
        )
    )
