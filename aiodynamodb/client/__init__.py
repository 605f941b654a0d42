"""The client layer: :class:`DynamoDB`, its operations, and everything that talks to botocore.

The modules, from the bottom up:

- :mod:`._botocore`: every private botocore/aiobotocore API the package relies on, with
  contract tests (``tests/integration/test_botocore_contract.py``);
- :mod:`._wire`: the fast path: requests serialized with one ``json.dumps``, our own item
  responses parsed without botocore's shape walk;
- :mod:`._direct`: the direct transport: requests handed to an in-process backend without
  HTTP, with botocore's results, exceptions and retries;
- :mod:`._connection`: states (new, open, closed), one low-level client per event loop,
  the shared session, the table prefix, and :meth:`~._connection.Connection.send`, where
  DynamoDB's rules are checked before a request leaves;
- :mod:`._sender`: :class:`~._sender.Sender`, the small interface the operation modules
  use to send (so none of them imports the connection or ``DynamoDB``);
- :mod:`._actions`: ``ItemKey``, ``Put``, ``Update``, ``Delete``, ``ConditionCheck``,
  ``CancellationReason``;
- the operations, one module per family: :mod:`._items` (put, get, delete, update),
  :mod:`._pages` (query, scan, ``Page``, ``PageIterator``), :mod:`._batch` (batch_get,
  batch_write, ``RetryPolicy``), :mod:`._transactions` (transact_write, transact_get),
  :mod:`._tables` (create_table, delete_table, table names);
- :mod:`._client`: ``DynamoDB``, assembled from the operation families over one connection.

Besides the client's public names, this package exports a few functions for
:mod:`aiodynamodb.testing` (which may use only public names of the layers below it):
``creation_hooks``, ``default_session``, ``dynamodb_service_description``,
``install_direct_wire``, the direct transport's seam (``DirectTransport``, ``DirectReply``,
``install_direct_transport``, ``uninstall_direct_transport``, ``ITEM_OPERATIONS``) and the
private-botocore accessors listed in :data:`._botocore.TESTING_SURFACE`. They support the
in-memory backend; applications have no use for them.
"""

from __future__ import annotations

from aiodynamodb.client._actions import (
    CancellationReason,
    ConditionCheck,
    Delete,
    ItemKey,
    Put,
    TransactWriteAction,
    Update,
)
from aiodynamodb.client._batch import RetryPolicy
from aiodynamodb.client._botocore import (
    BotocoreContractError,
    client_access_key,
    client_endpoint,
    create_unbound_client,
    event_handlers,
    handler_by_id,
    http_response,
    send_prepared,
    session_client_factory,
    set_session_client_factory,
)
from aiodynamodb.client._capacity import (
    CallCapacity,
    CapacityMode,
    CapacityTracker,
    ConsumedCapacity,
)
from aiodynamodb.client._client import DynamoDB, creation_hooks
from aiodynamodb.client._connection import (
    TABLE_PREFIX_ENV,
    default_session,
    dynamodb_service_description,
)
from aiodynamodb.client._direct import DirectReply, DirectTransport
from aiodynamodb.client._direct import install as install_direct_transport
from aiodynamodb.client._direct import uninstall as uninstall_direct_transport
from aiodynamodb.client._pages import Page, PageIterator
from aiodynamodb.client._wire import DIRECT_OPERATIONS as ITEM_OPERATIONS
from aiodynamodb.client._wire import install as install_direct_wire

__all__ = [
    "ITEM_OPERATIONS",
    "TABLE_PREFIX_ENV",
    "BotocoreContractError",
    "CallCapacity",
    "CancellationReason",
    "CapacityMode",
    "CapacityTracker",
    "ConditionCheck",
    "ConsumedCapacity",
    "Delete",
    "DirectReply",
    "DirectTransport",
    "DynamoDB",
    "ItemKey",
    "Page",
    "PageIterator",
    "Put",
    "RetryPolicy",
    "TransactWriteAction",
    "Update",
    "client_access_key",
    "client_endpoint",
    "create_unbound_client",
    "creation_hooks",
    "default_session",
    "dynamodb_service_description",
    "event_handlers",
    "handler_by_id",
    "http_response",
    "install_direct_transport",
    "install_direct_wire",
    "send_prepared",
    "session_client_factory",
    "set_session_client_factory",
    "uninstall_direct_transport",
]
