"""One interception layer for every DynamoDB client of the in-memory DynamoDB.

Every request that reaches the in-memory DynamoDB runs through one chain of interceptors
exactly once, whichever client sent it: aiobotocore and aioboto3 clients created while
:func:`intercepting` is active, sync boto3 clients created inside the mock, any other
client of a ``MemoryDynamoDB`` (caught where it reaches moto), and HTTP requests to the
server (:mod:`aiodynamodb.testing.server`) from any process or language. The strict
layer, the request recorder, fault injection and TTL are interceptors, so they see every
client alike.

An interceptor is ``interceptor(call, proceed) -> DynamoResponse``; it may look at or
answer the call itself, or call ``proceed()`` and look at or change the response::

    def no_scans(call: DynamoCall, proceed: SyncProceed) -> DynamoResponse:
        if call.operation == "Scan":
            return DynamoResponse.error("ValidationException", "no scans in this test")
        return proceed()

    with intercepting(), add_interceptor(no_scans):
        ...

``async def`` interceptors (``await proceed()``) keep working; they run without an event
loop, so they must not await anything that suspends (:class:`InterceptorSuspendedError`).

At the end of the chain the request goes to the backend: moto's DynamoDB, called directly,
when a mock is active (or in the server), the network otherwise. A raw Python exception
from moto or an interceptor is a bug, not an answer DynamoDB gives: it becomes an
``InternalServerError`` response naming it (never retried by the clients we instrument)
and is recorded in :data:`CRASHES`. A request to a URL the mock does not serve is a
:class:`BlockedRequestError`; a client created while a mock was active never sends
anything once no mock is active (:data:`MOCK_ENDED_MESSAGE`).

A ``DynamoDB`` client on the in-memory backend enters the chain directly (``source ==
"direct"``): no HTTP request is built, signed or parsed, and botocore's request events do
not fire for its calls. Set :data:`TRANSPORT_ENV` (``AIODYNAMODB_TRANSPORT=http``) to send
them over botocore's HTTP path like every other client's, e.g. to debug with botocore's
event hooks or logging.

This module is the public face; the parts live in ``_call`` (the values), ``_chain``
(registry, runner, crashes) and ``_entries`` (where each kind of client enters).
"""

from __future__ import annotations

from aiodynamodb.testing._call import ERROR_PREFIX, DynamoCall, DynamoResponse
from aiodynamodb.testing._chain import (
    CRASH_MESSAGE,
    CRASHES,
    SUSPENDED_MESSAGE,
    ChainMember,
    Crash,
    CrashLog,
    Interceptor,
    InterceptorHandle,
    InterceptorSuspendedError,
    Proceed,
    SyncAsyncContext,
    SyncProceed,
    add_interceptor,
    run_chain,
)
from aiodynamodb.testing._entries import (
    BLOCKED_MESSAGE,
    MOCK_ENDED_MESSAGE,
    TRANSPORT_ENV,
    TRANSPORT_MESSAGE,
    BlockedRequestError,
    _ClientHandler,
    backend_hook,
    intercepting,
    is_intercepting,
)
from aiodynamodb.testing.retries import CRASH_HEADER

__all__ = [
    "BLOCKED_MESSAGE",
    "CRASHES",
    "CRASH_HEADER",
    "CRASH_MESSAGE",
    "ERROR_PREFIX",
    "MOCK_ENDED_MESSAGE",
    "SUSPENDED_MESSAGE",
    "TRANSPORT_ENV",
    "TRANSPORT_MESSAGE",
    "BlockedRequestError",
    "ChainMember",
    "Crash",
    "CrashLog",
    "DynamoCall",
    "DynamoResponse",
    "Interceptor",
    "InterceptorHandle",
    "InterceptorSuspendedError",
    "Proceed",
    "SyncAsyncContext",
    "SyncProceed",
    "_ClientHandler",
    "add_interceptor",
    "backend_hook",
    "intercepting",
    "is_intercepting",
    "run_chain",
]
