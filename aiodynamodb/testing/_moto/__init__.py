"""Every moto internal aiodynamodb relies on, in one place (like PynamoDB's
``connection/_botocore_private.py``).

moto's public surface is the mock (``mock_aws``) and its HTTP server; everything the
in-memory DynamoDB needs beyond that (calling the DynamoDB handler directly, resetting
and reading the backends, finding moto's handler on a client) is private to moto and
lives here, named and typed, with a contract test per internal
(``tests/integration/test_moto_contract.py``) that names the moto version and the
internal when an upgrade breaks one.

The centre is :func:`dispatch`: one DynamoDB operation straight into moto's
``DynamoHandler``, with what moto sets up per request (service model, parser, serializer,
handler method) done once. No werkzeug request, no URL matching over every service, no
HTTP headers, no signature: the answer is the JSON body DynamoDB would send (for moto's
errors ``{"__type": "com.amazonaws.dynamodb.v20120810#Code", "message": ...}``) with its
HTTP status.

:func:`install_backend_hook` is the other half: the one place every other request for
DynamoDB reaches moto's backend (moto's ``botocore_stubber`` for sync boto3 and plain
aiomoto clients, and moto's werkzeug/Flask server app for HTTP clients from any process)
is ``DynamoHandler._dispatch``; the hook replaces it while installed, so the same chain
answers every client.

Two families of moto are supported (pyproject pins the range):

- moto < 5.2: ``DynamoHandler.call_action`` runs ``json.loads`` on the body and the
  handler methods return JSON strings;
- moto >= 5.2: moto's protocol parser turns the body into parameters (binary values
  become ``bytes``), and handler methods return ``ActionResult`` objects for moto's
  response serializer.

The package splits the internals by what they serve: ``_common`` (constants, errors,
version), ``_dispatch`` (the direct dispatch), ``_backend`` (the backend hook, accounts,
resetting and reading moto's backends); import them through this package only.
"""

from __future__ import annotations

from aiodynamodb.testing._moto._backend import (
    account_for,
    current_account,
    dynamodb_tables,
    install_backend_hook,
    is_moto_handler,
    moto_stubber,
    reset_backends,
    serves_url,
)
from aiodynamodb.testing._moto._common import (
    ERROR_PREFIX,
    FAST_OPERATIONS,
    SUPPORTED_MOTO,
    BackendHook,
    DirectAuthError,
    MotoContractError,
    UnknownOperationError,
    moto_version,
)
from aiodynamodb.testing._moto._dispatch import dispatch
from aiodynamodb.testing._moto._fix_conditions import CONDITION_PATCH
from aiodynamodb.testing._moto._fix_order import ORDER_PATCH
from aiodynamodb.testing._moto._items import NOT_READ, stored_item
from aiodynamodb.testing._moto._locking import backend_lock
from aiodynamodb.testing._moto._snapshot import CHANGES, Changes, TableSnapshot, reset_state

__all__ = [
    "CHANGES",
    "CONDITION_PATCH",
    "ERROR_PREFIX",
    "FAST_OPERATIONS",
    "NOT_READ",
    "ORDER_PATCH",
    "SUPPORTED_MOTO",
    "BackendHook",
    "Changes",
    "DirectAuthError",
    "MotoContractError",
    "TableSnapshot",
    "UnknownOperationError",
    "account_for",
    "backend_lock",
    "current_account",
    "dispatch",
    "dynamodb_tables",
    "install_backend_hook",
    "is_moto_handler",
    "moto_stubber",
    "moto_version",
    "reset_backends",
    "reset_state",
    "serves_url",
    "stored_item",
]
