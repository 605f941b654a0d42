"""One interception layer for every aiobotocore DynamoDB client in the process.

While :func:`intercepting` is active, each DynamoDB client created (by any code: our
``DynamoDB``, aioboto3, plain aiobotocore) gets one ``before-send`` handler. The handler
turns the prepared HTTP request into a :class:`DynamoCall`, runs the interceptor chain,
and hands botocore a response built from the resulting :class:`DynamoResponse`, so
botocore parses it exactly as a response from DynamoDB: errors become botocore's own
exception classes (``ConditionalCheckFailedException`` ...), retries apply.

An interceptor is ``async def interceptor(call, proceed) -> DynamoResponse``; it may look
at or answer the call itself, or ``await proceed()`` and look at or change the response::

    async def no_scans(call: DynamoCall, proceed: Proceed) -> DynamoResponse:
        if call.operation == "Scan":
            return DynamoResponse.error("ValidationException", "no scans in this test")
        return await proceed()

    with intercepting(), add_interceptor(no_scans):
        ...

At the end of the chain the request goes to the backend: moto's ``botocore_stubber`` when
a moto mock (aiomoto) is active, the network otherwise. A raw Python exception from moto
(``KeyError``, ``TypeError`` ...) becomes the ``ValidationException`` response DynamoDB
would send, so nothing but botocore's exceptions reaches the caller. Two things are not
DynamoDB's answers and are raised as what they are: a request moto does not serve (a URL
it does not mock) while a mock is active is a :class:`BlockedRequestError` naming the URL;
a client created while a mock was active never sends anything once no mock is active
(:data:`MOCK_ENDED_MESSAGE`), so nothing a mock handed out can reach a real endpoint.

Enter :func:`intercepting` inside ``aiomoto.mock_aws()``: the layer removes aiomoto's own
handler from the clients it instruments, so moto runs once per request, at the end of the
chain. Clients created before the layer was entered are not intercepted.
"""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from binascii import crc32
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import Any, Self

from botocore.exceptions import BotoCoreError, ClientError

from aiodynamodb.client import (
    client_endpoint,
    event_handlers,
    send_prepared,
    session_client_factory,
    set_session_client_factory,
)
from aiodynamodb.errors import AioDynamoDBError, ClientStateError
from aiodynamodb.testing.retries import skip_injected_retry_delays

__all__ = [
    "BLOCKED_MESSAGE",
    "ERROR_PREFIX",
    "MOCK_ENDED_MESSAGE",
    "MOTO_CRASH_MESSAGE",
    "BlockedRequestError",
    "ChainMember",
    "DynamoCall",
    "DynamoResponse",
    "Interceptor",
    "InterceptorHandle",
    "Proceed",
    "SyncAsyncContext",
    "add_interceptor",
    "intercepting",
    "is_intercepting",
]

ERROR_PREFIX = "com.amazonaws.dynamodb.v20120810#"
"""The ``__type`` prefix of DynamoDB's JSON error bodies (botocore keeps what follows ``#``)."""

MOTO_CRASH_MESSAGE = (
    "One or more parameter values were invalid: the in-memory DynamoDB could not process "
    "this request ({error})"
)
"""The message of the ValidationException a raw exception inside moto becomes."""

MOCK_ENDED_MESSAGE = (
    "this DynamoDB client was created inside an in-memory DynamoDB that has ended "
    "(mock_dynamodb() exited, or the test that used the dynamodb fixture finished); it refuses "
    "every call so that nothing reaches a real endpoint. Create clients inside the mock, or "
    "use the client it yields."
)
"""Why a client created inside a mock refuses to be used after it (``ClientStateError``)."""

BLOCKED_MESSAGE = (
    "the in-memory DynamoDB blocked a real network request to {url}: the mock serves "
    "AWS's own DynamoDB URLs only. Remove the endpoint_url (or AWS_ENDPOINT_URL_DYNAMODB) "
    "that points this client elsewhere, or leave the mock to reach that server."
)
"""The message of :class:`BlockedRequestError`."""


class BlockedRequestError(AioDynamoDBError, BotoCoreError):  # type: ignore[misc]
    """A client inside a mock tried to send a request to the network.

    A botocore ``BotoCoreError`` (like a connection error, but never retried), so code
    that handles botocore's client-side errors sees it as one.

    Args:
        url: Where the request was going.
    """

    fmt = BLOCKED_MESSAGE

    def __init__(self, url: str) -> None:
        BotoCoreError.__init__(self, url=url)  # formats ``fmt`` with the keywords
        self.url = url


_CONTENT_TYPE = "application/x-amz-json-1.0"
_EVENT = "before-send.dynamodb"
_HANDLER_ID = "aiodynamodb-intercept"
_TABLE_LISTS = ("RequestItems",)

Proceed = Callable[[], Awaitable["DynamoResponse"]]
"""Continue the chain: the next interceptor, or the backend after the last one."""

Interceptor = Callable[["DynamoCall", Proceed], Awaitable["DynamoResponse"]]
"""``async (call, proceed) -> DynamoResponse``."""

_Terminal = Callable[["DynamoCall"], Awaitable["DynamoResponse"]]


class DynamoCall:
    """One DynamoDB request on its way to the backend.

    Attributes:
        operation: The operation name (``"PutItem"``).
        request: botocore's prepared HTTP request (treat as read-only).
        region: The client's region.
    """

    __slots__ = ("_params", "_tables", "_terminal", "operation", "region", "request")

    def __init__(
        self, operation: str, request: Any, region: str | None, terminal: _Terminal
    ) -> None:
        self.operation = operation
        self.request = request
        self.region = region
        self._terminal = terminal
        self._params: dict[str, Any] | None = None
        self._tables: tuple[str, ...] | None = None

    @property
    def params(self) -> dict[str, Any]:
        """The request parameters (the JSON body, parsed once). Treat as read-only."""
        if self._params is None:
            body = self.request.body
            self._params = json.loads(body) if body else {}
        return self._params

    @property
    def tables(self) -> tuple[str, ...]:
        """Names of the tables the request involves, in request order."""
        if self._tables is None:
            self._tables = _table_names(self.params)
        return self._tables

    async def send_direct(self, params: Mapping[str, Any]) -> DynamoResponse:
        """Send a derived request of the same operation straight to the backend.

        The interceptors are skipped; useful to an interceptor that needs to ask the
        backend something (the strict layer uses it to find where a page ended).
        """
        derived = _derive_request(self.request, params)
        call = DynamoCall(self.operation, derived, self.region, self._terminal)
        return await self._terminal(call)


def _table_names(params: Mapping[str, Any]) -> tuple[str, ...]:
    names: list[str] = []
    table = params.get("TableName")
    if isinstance(table, str):
        names.append(table)
    for field in _TABLE_LISTS:
        value = params.get(field)
        if isinstance(value, Mapping):
            names.extend(str(name) for name in value)
    for action in params.get("TransactItems") or ():
        if isinstance(action, Mapping):
            for body in action.values():
                if isinstance(body, Mapping) and isinstance(body.get("TableName"), str):
                    names.append(body["TableName"])
    return tuple(dict.fromkeys(names))


class DynamoResponse:
    """A DynamoDB response: HTTP status, headers and JSON body.

    The body is parsed from the raw bytes only when read. To change a response, assign
    ``response.body`` (also after changing the dict in place): the bytes are then
    re-encoded, with a fresh ``x-amz-crc32``.

    Args:
        status_code: HTTP status (200 for success, 400 for client errors).
        body: The JSON body as a dict (or give ``raw``).
        headers: Response headers.
        raw: The body's bytes, as received.
    """

    __slots__ = ("_body", "_raw", "headers", "status_code")

    def __init__(
        self,
        status_code: int = 200,
        body: dict[str, Any] | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        raw: bytes | None = None,
    ) -> None:
        self.status_code = status_code
        self.headers: dict[str, str] = dict(headers or {})
        self._body = body
        self._raw = raw if body is None else None
        if body is None and raw is None:
            self._body = {}

    @property
    def body(self) -> dict[str, Any]:
        """The parsed JSON body."""
        if self._body is None:
            raw = self._raw or b""
            parsed = json.loads(raw) if raw.strip() else {}
            self._body = parsed if isinstance(parsed, dict) else {"": parsed}
        return self._body

    @body.setter
    def body(self, value: dict[str, Any]) -> None:
        self._body = value
        self._raw = None

    @property
    def raw(self) -> bytes:
        """The body's bytes (re-encoded when the body was assigned)."""
        if self._raw is None:
            self._raw = json.dumps(self._body, separators=(",", ":")).encode()
        return self._raw

    @property
    def changed(self) -> bool:
        """Whether the body was assigned since the response was received."""
        return self._body is not None and self._raw is None

    @property
    def is_error(self) -> bool:
        """Whether this is an error response."""
        return self.status_code >= 300

    @property
    def error_code(self) -> str | None:
        """The error code (``"ValidationException"``) of an error response, else None."""
        if not self.is_error:
            return None
        kind = self.body.get("__type")
        return str(kind).rsplit("#", 1)[-1] if kind else None

    @property
    def error_message(self) -> str | None:
        """The message of an error response, else None."""
        if not self.is_error:
            return None
        body = self.body
        message = body.get("message", body.get("Message"))
        return None if message is None else str(message)

    @classmethod
    def error(
        cls, code: str, message: str, status_code: int = 400, **fields: Any
    ) -> DynamoResponse:
        """An error response exactly as DynamoDB's JSON protocol sends one.

        Args:
            code: The error code (``"ConditionalCheckFailedException"``).
            message: The message.
            status_code: 400 for client errors, 500 for ``InternalServerError``.
            **fields: More body members (``CancellationReasons=[...]``).
        """
        body: dict[str, Any] = {"__type": ERROR_PREFIX + code, "message": message}
        body.update(fields)
        return cls(status_code, body)

    @classmethod
    def validation_error(cls, message: str) -> DynamoResponse:
        """A ``ValidationException`` response."""
        return cls.error("ValidationException", message)

    @classmethod
    def from_client_error(cls, error: ClientError) -> DynamoResponse:
        """The response that makes botocore raise ``error`` again (code, message, extras)."""
        response: Mapping[str, Any] = error.response
        details = response.get("Error") or {}
        status = (response.get("ResponseMetadata") or {}).get("HTTPStatusCode") or 400
        extra = {k: v for k, v in response.items() if k not in ("Error", "ResponseMetadata")}
        return cls.error(
            str(details.get("Code", "ValidationException")),
            str(details.get("Message", "")),
            int(status),
            **extra,
        )

    def to_http(self, url: str) -> Any:
        """This response as the ``AioAWSResponse`` botocore parses."""
        from aiobotocore.awsrequest import AioAWSResponse
        from botocore.compat import HTTPHeaders

        raw = self.raw
        headers = HTTPHeaders()
        for key, value in self.headers.items():
            lowered = key.lower()
            if lowered not in ("content-length", "x-amz-crc32"):
                headers[key] = value
        if "content-type" not in headers:
            headers["Content-Type"] = _CONTENT_TYPE
        if "x-amzn-requestid" not in headers:
            headers["x-amzn-RequestId"] = uuid.uuid4().hex.upper()
        headers["Content-Length"] = str(len(raw))
        headers["x-amz-crc32"] = str(crc32(raw) & 0xFFFFFFFF)
        return AioAWSResponse(url, self.status_code, headers, _Body(raw))


class _Body:
    """The raw stream of an ``AioAWSResponse`` over bytes we already hold."""

    __slots__ = ("_data", "content")

    def __init__(self, data: bytes) -> None:
        self._data = data
        self.content = self

    async def read(self, amount: int = -1) -> bytes:
        data, self._data = self._data, b""
        return data

    def at_eof(self) -> bool:
        return not self._data

    def close(self) -> None:
        self._data = b""


def _derive_request(request: Any, params: Mapping[str, Any]) -> Any:
    from botocore.awsrequest import AWSPreparedRequest

    body = json.dumps(params, separators=(",", ":")).encode()
    headers = request.headers.copy() if hasattr(request.headers, "copy") else dict(request.headers)
    headers["Content-Length"] = str(len(body))
    return AWSPreparedRequest(request.method, request.url, headers, body, request.stream_output)


# -- The interceptor registry ---------------------------------------------------------------


class InterceptorHandle:
    """Returned by :func:`add_interceptor`: removes the interceptor (also as ``with``)."""

    __slots__ = ("_registry", "interceptor", "priority")

    def __init__(self, registry: _Registry, interceptor: Interceptor, priority: int) -> None:
        self._registry = registry
        self.interceptor = interceptor
        self.priority = priority

    def remove(self) -> None:
        """Remove the interceptor from the chain (idempotent)."""
        self._registry.remove(self)

    def __enter__(self) -> InterceptorHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


class _Registry:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._handles: list[InterceptorHandle] = []
        self.chain: tuple[Interceptor, ...] = ()

    def add(self, interceptor: Interceptor, priority: int) -> InterceptorHandle:
        handle = InterceptorHandle(self, interceptor, priority)
        with self._lock:
            self._handles.append(handle)
            self._rebuild()
        return handle

    def remove(self, handle: InterceptorHandle) -> None:
        with self._lock:
            if handle in self._handles:
                self._handles.remove(handle)
                self._rebuild()

    def _rebuild(self) -> None:
        ordered = sorted(self._handles, key=lambda handle: handle.priority)
        self.chain = tuple(handle.interceptor for handle in ordered)


_REGISTRY = _Registry()


def add_interceptor(interceptor: Interceptor, *, priority: int = 0) -> InterceptorHandle:
    """Add an interceptor to the chain every intercepted DynamoDB request runs through.

    Interceptors run in ``priority`` order, lowest first (the first sees the request first
    and the response last); equal priorities run in the order added. The strict layer sits
    at :data:`aiodynamodb.testing.strict.STRICT_PRIORITY` (1000), right before the backend,
    so a request recorder (say priority -1000) sees every request, refused or not, and a
    fault injector at the default 0 answers before the rules run.

    The chain applies only while :func:`intercepting` is active (to clients created then).

    Args:
        interceptor: ``async (call, proceed) -> DynamoResponse``.
        priority: Position in the chain.

    Returns:
        A handle whose ``remove()`` takes the interceptor out; it is also a context manager.
    """
    return _REGISTRY.add(interceptor, priority)


# -- Running the chain ----------------------------------------------------------------------


async def _run(call: DynamoCall, chain: tuple[Interceptor, ...], position: int) -> DynamoResponse:
    if position == len(chain):
        return await call._terminal(call)
    interceptor = chain[position]
    return await interceptor(call, lambda: _run(call, chain, position + 1))


async def _materialize_body(request: Any) -> None:
    body = request.body
    if asyncio.iscoroutine(body):
        request.body = await body
    elif hasattr(body, "read") and asyncio.iscoroutinefunction(body.read):
        request.body = await body.read()
    if isinstance(request.body, str):
        request.body = request.body.encode()


def _crash_response(error: BaseException) -> DynamoResponse:
    shown = f"{type(error).__name__}: {error}"
    return DynamoResponse.validation_error(MOTO_CRASH_MESSAGE.format(error=shown))


class _ClientHandler:
    """The ``before-send`` handler of one instrumented client."""

    def __init__(self, client: Any) -> None:
        self.region = getattr(client.meta, "region_name", None)
        self.endpoint = client_endpoint(client)
        self.mocked = _mock_active()

    async def __call__(self, request: Any, event_name: str, **kwargs: Any) -> Any:
        if self.mocked and not _mock_active():
            raise ClientStateError(MOCK_ENDED_MESSAGE)
        operation = event_name.rsplit(".", 1)[-1]
        await _materialize_body(request)
        call = DynamoCall(operation, request, self.region, self.backend)
        try:
            response = await _run(call, _REGISTRY.chain, 0)
        except (BotoCoreError, ClientStateError, asyncio.CancelledError):
            raise
        except ClientError as error:
            response = DynamoResponse.from_client_error(error)
        except Exception as error:  # nothing raw may reach the caller
            response = _crash_response(error)
        return response.to_http(request.url)

    async def backend(self, call: DynamoCall) -> DynamoResponse:
        """The end of the chain: moto when a mock is active, else the network."""
        stubber = _moto_stubber()
        if stubber is not None and stubber.enabled:
            try:
                answer = stubber(f"{_EVENT}.{call.operation}", call.request)
            except Exception as error:  # moto bugs become ValidationException
                return _crash_response(error)
            if answer is None:  # a URL moto does not serve: aiomoto would block it anyway
                raise BlockedRequestError(url=call.request.url)
            headers = {str(k): str(v) for k, v in answer.headers.items()}
            return DynamoResponse(answer.status_code, headers=headers, raw=answer.content)
        if self.mocked:  # the mock ended while this call ran its chain
            raise ClientStateError(MOCK_ENDED_MESSAGE)
        if self.endpoint is None:  # pragma: no cover - every botocore client has one
            raise RuntimeError("this client has no endpoint to send to")
        http = await send_prepared(self.endpoint, call.request)
        content = await http.content
        headers = {str(k): str(v) for k, v in http.headers.items()}
        return DynamoResponse(http.status_code, headers=headers, raw=content)


def _moto_stubber() -> Any:
    import sys

    module = sys.modules.get("moto.core.models")
    return getattr(module, "botocore_stubber", None) if module is not None else None


def _mock_active() -> bool:
    stubber = _moto_stubber()
    return bool(stubber is not None and stubber.enabled)


class _SyncGuard:
    """``before-send`` guard of a synchronous botocore client created while a mock was
    active: moto's handler answers nothing once the mock stops, and botocore would then
    send the request to the real endpoint."""

    def __call__(self, **kwargs: Any) -> None:
        if not _mock_active():
            raise ClientStateError(MOCK_ENDED_MESSAGE)


def _is_moto_handler(handler: Any, stubber: Any) -> bool:
    if handler is stubber:
        return True
    target = getattr(handler, "__func__", handler)
    for cell in getattr(target, "__closure__", None) or ():
        try:
            if cell.cell_contents is stubber:
                return True
        except ValueError:  # an empty cell
            continue
    return False


def _instrument(client: Any) -> None:
    """Replace moto's handler on a new DynamoDB client with ours."""
    events = client.meta.events
    stubber = _moto_stubber()
    if stubber is not None:
        for handler in event_handlers(client, f"{_EVENT}.GetItem"):
            if _is_moto_handler(handler, stubber):
                events.unregister("before-send", handler)
    events.register_first(_EVENT, _ClientHandler(client), unique_id=_HANDLER_ID)
    skip_injected_retry_delays(client)


# -- Activation -----------------------------------------------------------------------------


class _Patch:
    """Reference-counted patch of ``AioSession._create_client``."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.depth = 0
        self.original: Any = None
        self.installed: Any = None
        self.sync_original: Any = None
        self.sync_installed: Any = None

    def enter(self) -> None:
        with self.lock:
            self.depth += 1
            if self.depth > 1:
                return
            self._enter_sync()
            original = session_client_factory()
            patch = self

            async def _create_client(session: Any, *args: Any, **kwargs: Any) -> Any:
                client = await original(session, *args, **kwargs)
                if patch.depth > 0 and client.meta.service_model.service_name == "dynamodb":
                    _instrument(client)
                return client

            self.original = original
            self.installed = _create_client
            set_session_client_factory(_create_client)

    def exit(self) -> None:
        with self.lock:
            if self.depth == 0:
                return
            self.depth -= 1
            if self.depth > 0:
                return
            # Restore exactly what was there, unless someone patched over us meanwhile: then
            # our wrapper stays in their chain but does nothing (depth is 0).
            if session_client_factory() is self.installed:
                set_session_client_factory(self.original)
            self.original = self.installed = None
            self._exit_sync()

    def _enter_sync(self) -> None:
        # botocore's own (synchronous) sessions: AioSession overrides create_client, so
        # this patch sees sync boto3/botocore clients only.
        from botocore.session import Session

        original = Session.create_client
        patch = self

        def create_client(session: Any, *args: Any, **kwargs: Any) -> Any:
            client = original(session, *args, **kwargs)
            if patch.depth > 0 and _mock_active():
                client.meta.events.register_first("before-send", _SyncGuard())
            return client

        self.sync_original = original
        self.sync_installed = create_client
        Session.create_client = create_client

    def _exit_sync(self) -> None:
        from botocore.session import Session

        if Session.create_client is self.sync_installed:
            Session.create_client = self.sync_original
        self.sync_original = self.sync_installed = None


_PATCH = _Patch()


def is_intercepting() -> bool:
    """Whether new DynamoDB clients are being intercepted."""
    return _PATCH.depth > 0


class SyncAsyncContext:
    """A context manager usable with ``with`` and ``async with`` (the same enter and exit)."""

    def __enter__(self) -> Any:
        raise NotImplementedError

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Any:
        return self.__enter__()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.__exit__(exc_type, exc, traceback)


class ChainMember(SyncAsyncContext):
    """An interceptor object that joins the chain while entered (``with`` / ``async with``)
    or between :meth:`start` and :meth:`stop`. Subclasses define ``__call__`` and may set
    ``priority``.
    """

    priority = 0
    _handle: InterceptorHandle | None = None

    async def __call__(self, call: DynamoCall, proceed: Proceed) -> DynamoResponse:
        """Answer ``call`` (subclasses override)."""
        return await proceed()

    def start(self) -> None:
        """Join the chain (idempotent)."""
        if self._handle is None:
            self._handle = add_interceptor(self, priority=self.priority)

    def stop(self) -> None:
        """Leave the chain (idempotent); state gathered so far stays."""
        handle, self._handle = self._handle, None
        if handle is not None:
            handle.remove()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> Self:
        return self.__enter__()


class intercepting(SyncAsyncContext):
    """Intercept every DynamoDB client created while active (sync or async ``with``).

    Nesting is fine: the patch is installed by the outermost entry and removed by its exit.
    """

    def __enter__(self) -> intercepting:
        _PATCH.enter()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        _PATCH.exit()
