"""Where requests enter the interceptor chain: one entry per kind of client.

- aiobotocore / aioboto3 clients created while :func:`intercepting` is active: a
  ``before-send`` handler takes moto's place on each new DynamoDB client, runs the chain
  (ending in moto directly under a mock; on the network otherwise) and hands botocore the
  response, so nothing is parsed twice and moto runs once.
- sync boto3 / botocore DynamoDB clients created while a mock is active: the same, sync.
- every other request that reaches moto's DynamoDB (clients created before, moto's own
  server): :class:`backend_hook` answers it through the chain at moto's ``_dispatch``.
- HTTP requests to the server command: :mod:`aiodynamodb.testing.server`.

A request from an in-process client to an in-process server (the server backend) is left
to the server, so the chain still sees it once.

Just over 400 lines: one entry per kind of client (aiobotocore, boto3, moto's request
path, the HTTP server) and the patch that installs them, which must change together.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import threading
from collections.abc import Callable
from functools import partial
from types import TracebackType
from typing import Any

from botocore.exceptions import BotoCoreError

from aiodynamodb.client import (
    DirectReply,
    client_access_key,
    client_endpoint,
    event_handlers,
    install_direct_transport,
    send_prepared,
    session_client_factory,
    set_session_client_factory,
)
from aiodynamodb.errors import AioDynamoDBError, ClientStateError
from aiodynamodb.testing import _moto
from aiodynamodb.testing._call import DynamoCall, DynamoResponse
from aiodynamodb.testing._chain import SyncAsyncContext, moto_terminal, run_chain
from aiodynamodb.testing.retries import skip_injected_retry_delays

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


TRANSPORT_ENV = "AIODYNAMODB_TRANSPORT"
"""Environment variable choosing how a ``DynamoDB`` client reaches the in-memory backend:
``direct`` (the default: no HTTP request, see :class:`_DirectEntry`) or ``http`` (botocore's
full request path, as every other client takes; for debugging). Read when a client is
created."""

TRANSPORT_MESSAGE = (
    "AIODYNAMODB_TRANSPORT={value!r}: the in-memory DynamoDB's transport for DynamoDB "
    "clients is 'direct' (the default) or 'http'; unset it or pass one of those"
)


def direct_transport_wanted() -> bool:
    """Whether :data:`TRANSPORT_ENV` asks for the direct transport (the default).

    Raises:
        ValueError: The variable holds something else than ``direct`` or ``http``.
    """
    value = os.environ.get(TRANSPORT_ENV, "direct").strip().lower() or "direct"
    if value not in ("direct", "http"):
        raise ValueError(TRANSPORT_MESSAGE.format(value=os.environ.get(TRANSPORT_ENV)))
    return value == "direct"


_EVENT = "before-send.dynamodb"
_HANDLER_ID = "aiodynamodb-intercept"


def mock_active() -> bool:
    """Whether an aiomoto/moto mock is active (moto's stubber enabled)."""
    stubber = _moto.moto_stubber()
    return bool(stubber is not None and stubber.enabled)


class _LocalServers:
    """Endpoints of the servers running in this process: they run the chain themselves."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.urls: tuple[str, ...] = ()

    def add(self, url: str) -> None:
        with self.lock:
            self.urls = (*self.urls, url.rstrip("/"))

    def remove(self, url: str) -> None:
        with self.lock:
            found = list(self.urls)
            if url.rstrip("/") in found:
                found.remove(url.rstrip("/"))
            self.urls = tuple(found)

    def serve(self, url: str) -> bool:
        return any(url.startswith(own) for own in self.urls)


LOCAL_SERVERS = _LocalServers()


def _body_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode()
    if hasattr(body, "read"):
        data = body.read()
        return data.encode() if isinstance(data, str) else bytes(data)
    return bytes(body)


async def _materialize_body(request: Any) -> bytes:
    body = request.body
    if asyncio.iscoroutine(body):
        body = await body
    elif hasattr(body, "read") and asyncio.iscoroutinefunction(body.read):
        body = await body.read()
    request.body = _body_bytes(body)
    return request.body  # type: ignore[no-any-return]


class _ClientHandler:
    """The ``before-send`` handler of one instrumented aiobotocore client."""

    def __init__(self, client: Any) -> None:
        self.region = str(getattr(client.meta, "region_name", None) or "us-east-1")
        self.endpoint = client_endpoint(client)
        self.mocked = mock_active()

    async def __call__(self, request: Any, event_name: str, **kwargs: Any) -> Any:
        mocked = mock_active()
        if self.mocked and not mocked:
            raise ClientStateError(MOCK_ENDED_MESSAGE)
        if LOCAL_SERVERS.urls and LOCAL_SERVERS.serve(request.url):
            return None  # the server runs the chain; botocore sends the request there
        operation = event_name.rsplit(".", 1)[-1]
        body = await _materialize_body(request)
        if mocked:
            if not _moto.serves_url(request.url):
                raise BlockedRequestError(url=request.url)
            call = DynamoCall(
                operation,
                body,
                region=self.region,
                account=_moto.account_for(request.headers),
                source="aiobotocore",
                terminal=moto_terminal,
                request=request,
            )
            return run_chain(call).to_http(request.url)
        # A real endpoint: the chain runs in a worker thread, its terminal sends on this
        # loop (botocore's HTTP session belongs to it) and waits for the answer.
        loop = asyncio.get_running_loop()
        call = DynamoCall(
            operation,
            body,
            region=self.region,
            account="",
            source="aiobotocore",
            terminal=partial(self._network, loop),
            request=request,
        )
        response = await asyncio.to_thread(run_chain, call)
        return response.to_http(request.url)

    def _network(self, loop: asyncio.AbstractEventLoop, call: DynamoCall) -> DynamoResponse:
        if self.mocked:  # the mock ended while this call ran its chain
            raise ClientStateError(MOCK_ENDED_MESSAGE)
        return asyncio.run_coroutine_threadsafe(self._send(call.request), loop).result()

    async def _send(self, request: Any) -> DynamoResponse:
        if self.endpoint is None:  # pragma: no cover - every botocore client has one
            raise RuntimeError("this client has no endpoint to send to")
        http = await send_prepared(self.endpoint, request)
        content = await http.content
        headers = {str(k): str(v) for k, v in http.headers.items()}
        return DynamoResponse(http.status_code, headers=headers, raw=content)


class _Blobs:
    """``json.dumps``'s ``default`` for a direct request: base64 text for binary values
    (as botocore sends them), noting that there were some."""

    __slots__ = ("found",)

    def __init__(self) -> None:
        self.found = False

    def __call__(self, value: Any) -> str:
        if isinstance(value, bytes | bytearray | memoryview):
            self.found = True
            return base64.b64encode(value).decode("ascii")
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


class _DirectEntry:
    """The direct transport of one aiobotocore DynamoDB client created inside a mock: a
    ``DynamoDB`` on it hands its requests here (``aiodynamodb.client.DirectTransport``)
    instead of building an HTTP request, and they run through the chain as
    ``source="direct"`` calls, exactly once."""

    __slots__ = ("access_key", "region")

    def __init__(self, client: Any) -> None:
        self.region = str(getattr(client.meta, "region_name", None) or "us-east-1")
        self.access_key = client_access_key(client)

    def __call__(self, operation: str, params: dict[str, Any]) -> DirectReply:
        if not mock_active():
            raise ClientStateError(MOCK_ENDED_MESSAGE)
        blobs = _Blobs()
        body = json.dumps(params, default=blobs, separators=(",", ":")).encode()
        call = DynamoCall(
            operation,
            body,
            region=self.region,
            account=_moto.current_account(self.access_key),
            source="direct",
            terminal=moto_terminal,
            # Without binary values the caller's dict is exactly json.loads(body).
            params=None if blobs.found else params,
        )
        response = run_chain(call)
        return DirectReply(
            response.status_code, response.http_headers(), response.raw, response.parsed
        )


def _install_direct(client: Any) -> None:
    """Give a new aiobotocore DynamoDB client the direct transport when it talks to the
    active mock (AWS's own URL: anything else stays on the HTTP path, which blocks it)."""
    url = str(client.meta.endpoint_url)
    if not mock_active() or not _moto.serves_url(url) or LOCAL_SERVERS.serve(url):
        return
    if direct_transport_wanted():
        install_direct_transport(client, _DirectEntry(client))


class _SyncClientHandler:
    """The ``before-send`` handler of a sync botocore DynamoDB client created in a mock."""

    def __init__(self, client: Any) -> None:
        self.region = str(getattr(client.meta, "region_name", None) or "us-east-1")

    def __call__(self, request: Any, event_name: str, **kwargs: Any) -> Any:
        if not mock_active():
            raise ClientStateError(MOCK_ENDED_MESSAGE)
        if LOCAL_SERVERS.urls and LOCAL_SERVERS.serve(request.url):
            return None
        if not _moto.serves_url(request.url):
            raise BlockedRequestError(url=request.url)
        request.body = _body_bytes(request.body)
        call = DynamoCall(
            event_name.rsplit(".", 1)[-1],
            request.body,
            region=self.region,
            account=_moto.account_for(request.headers),
            source="boto3",
            terminal=moto_terminal,
            request=request,
        )
        return run_chain(call).to_botocore(request.url)


class _SyncGuard:
    """``before-send`` guard of a synchronous botocore client (other than DynamoDB)
    created while a mock was active: moto's handler answers nothing once the mock stops,
    and botocore would then send the request to the real endpoint."""

    def __call__(self, **kwargs: Any) -> None:
        if not mock_active():
            raise ClientStateError(MOCK_ENDED_MESSAGE)


def _remove_moto_handler(client: Any) -> None:
    stubber = _moto.moto_stubber()
    if stubber is None:
        return
    for handler in event_handlers(client, f"{_EVENT}.GetItem"):
        if _moto.is_moto_handler(handler, stubber):
            client.meta.events.unregister("before-send", handler)


def _instrument(client: Any, handler: Callable[..., Any]) -> None:
    """Replace moto's handler on a new DynamoDB client with ours."""
    _remove_moto_handler(client)
    client.meta.events.register_first(_EVENT, handler, unique_id=_HANDLER_ID)
    skip_injected_retry_delays(client)


# -- Activation -------------------------------------------------------------------------------


class _Patch:
    """Reference-counted patch of client creation (``AioSession._create_client`` and
    botocore's ``Session.create_client``)."""

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
                    _instrument(client, _ClientHandler(client))
                    _install_direct(client)
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
            if patch.depth > 0 and mock_active():
                if client.meta.service_model.service_name == "dynamodb":
                    _instrument(client, _SyncClientHandler(client))
                else:
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


class intercepting(SyncAsyncContext):
    """Intercept every DynamoDB client created while active (sync or async ``with``).

    Enter it inside ``aiomoto.mock_aws()``: it takes moto's handler off the clients it
    instruments, so moto runs once per request, at the end of the chain. aiobotocore and
    aioboto3 clients are intercepted on any backend; sync boto3 clients while a mock is
    active. Clients created before are not (a ``MemoryDynamoDB`` catches those at moto's
    backend, see :class:`backend_hook`). Nesting is fine: the patch is installed by the
    outermost entry and removed by its exit.
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


def _answer_from_moto(
    operation: str, body: bytes, region: str, account: str
) -> tuple[int, bytes, dict[str, str]]:
    call = DynamoCall(
        operation, body, region=region, account=account, source="hook", terminal=moto_terminal
    )
    response = run_chain(call)
    return response.status_code, response.raw, response.headers


class _HookUse:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.depth = 0
        self.uninstall: Callable[[], None] | None = None


_HOOK_USE = _HookUse()


class backend_hook(SyncAsyncContext):  # lower case: used like a function
    """Answer every request that reaches moto's DynamoDB by another way (a client created
    before :func:`intercepting`, moto's own server) through the chain (reference counted)."""

    def __enter__(self) -> backend_hook:
        with _HOOK_USE.lock:
            _HOOK_USE.depth += 1
            if _HOOK_USE.depth == 1:
                _HOOK_USE.uninstall = _moto.install_backend_hook(_answer_from_moto)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        with _HOOK_USE.lock:
            if _HOOK_USE.depth == 0:
                return
            _HOOK_USE.depth -= 1
            if _HOOK_USE.depth == 0 and _HOOK_USE.uninstall is not None:
                _HOOK_USE.uninstall()
                _HOOK_USE.uninstall = None


__all__ = [
    "BLOCKED_MESSAGE",
    "LOCAL_SERVERS",
    "MOCK_ENDED_MESSAGE",
    "TRANSPORT_ENV",
    "TRANSPORT_MESSAGE",
    "BlockedRequestError",
    "backend_hook",
    "direct_transport_wanted",
    "intercepting",
    "is_intercepting",
    "mock_active",
]
