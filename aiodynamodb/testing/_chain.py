"""The interceptor chain: a registry, a synchronous runner, and moto at its end.

Every way a request reaches the in-memory DynamoDB (aiobotocore and boto3 clients in this
process, HTTP requests to the server command, moto's own request path) is synchronous at
the point the chain runs, and so is the backend: the chain runs synchronously, once per
request, in whatever thread the request arrived on.

Interceptors are sync ``(call, proceed) -> DynamoResponse`` with a sync ``proceed()``, or
``async def`` (the public form since the first release) with ``await proceed()``. An
async interceptor is driven without an event loop: its coroutine is stepped once, and
``await proceed()`` runs the rest of the chain in place without suspending. One that
really suspends (awaits a sleep, a future, real I/O) cannot run inside a synchronous
request and raises :class:`InterceptorSuspendedError`.

Longer than 400 lines because the registry, the runner, the crash policy and the chain
member base class are one mechanism; the calls and the entries have modules of their own.
"""

from __future__ import annotations

import inspect
import threading
import traceback
from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

from botocore.exceptions import BotoCoreError, ClientError

from aiodynamodb.errors import ClientStateError
from aiodynamodb.testing import _moto
from aiodynamodb.testing._call import DynamoCall, DynamoResponse
from aiodynamodb.testing._shapes import serialization_problem
from aiodynamodb.testing.retries import CRASH_HEADER

SUSPENDED_MESSAGE = (
    "the interceptor {name} awaited something that suspends (a sleep, a future, network "
    "I/O); the in-memory DynamoDB runs its interceptor chain synchronously, in whatever "
    "thread the request arrived on (boto3 clients and the HTTP server have no event loop). "
    "Write the interceptor as a plain function (def, with proceed() instead of await "
    "proceed()), or keep the I/O out of the chain."
)
"""Why an ``async`` interceptor failed (:class:`InterceptorSuspendedError`)."""

NOT_ASYNC_MESSAGE = (
    "the interceptor {name} returned a coroutine but is not an 'async def' function "
    "aiodynamodb can recognise; declare its __call__ with 'async def' (or make it sync)"
)

CRASH_MESSAGE = (
    "the in-memory DynamoDB crashed on this request: {where} raised {error}. DynamoDB would "
    "answer it; this is a bug in moto or aiodynamodb (recorded in "
    "aiodynamodb.testing.intercept.CRASHES). Please report it with the request."
)
"""The message of the ``InternalServerError`` a raw exception inside the chain becomes."""


Proceed = Callable[[], Awaitable[DynamoResponse]]
"""Continue the chain from an ``async`` interceptor: ``await proceed()``."""

SyncProceed = Callable[[], DynamoResponse]
"""Continue the chain from a sync interceptor: ``proceed()``."""

Interceptor = Callable[[DynamoCall, Any], Any]
"""``(call, proceed) -> DynamoResponse`` (sync) or ``async (call, proceed) ->
DynamoResponse``."""

_Member = Callable[[DynamoCall, SyncProceed], DynamoResponse]


class InterceptorSuspendedError(RuntimeError):
    """An ``async`` interceptor awaited something that suspends (see
    :data:`SUSPENDED_MESSAGE`)."""


# Raised as they are, not answered: a misuse to fix, or a moto this version cannot drive.
# botocore's own errors (a connection error on a real endpoint) and a client's refusal
# (ClientStateError) reach the caller as they are, as without the chain.
_Loud = (
    InterceptorSuspendedError,
    _moto.MotoContractError,
    _moto.DirectAuthError,
    BotoCoreError,
    ClientStateError,
)


class _InterceptorBug(Exception):
    """A user's interceptor raised ``error``: re-raised as it is by :func:`run_chain`."""

    def __init__(self, error: Exception) -> None:
        super().__init__(error)
        self.error = error


def _is_ours(interceptor: Any) -> bool:
    """Whether ``interceptor`` is part of the in-memory DynamoDB (strict rules, recorder,
    faults ...) rather than a user's own: only our failures are the backend's crashes."""
    owner: Any = type(interceptor)
    if inspect.isfunction(interceptor) or inspect.ismethod(interceptor):
        owner = interceptor
    module = getattr(owner, "__module__", None) or ""
    return module == "aiodynamodb" or module.startswith("aiodynamodb.")


def _name(interceptor: Any) -> str:
    return getattr(interceptor, "__qualname__", None) or type(interceptor).__qualname__


def is_async_interceptor(interceptor: Any) -> bool:
    """Whether ``interceptor`` is an ``async def`` function or an object whose
    ``__call__`` is one."""
    if inspect.iscoroutinefunction(interceptor):
        return True
    # The class's own __call__ (``callable()`` says nothing about async).
    owners = (base for base in type(interceptor).__mro__ if "__call__" in base.__dict__)
    method = next((owner.__dict__["__call__"] for owner in owners), None)
    return method is not None and inspect.iscoroutinefunction(method)


class _Ready:
    """What ``proceed()`` gives an async interceptor: awaiting it never suspends."""

    __slots__ = ("error", "value")

    def __init__(self, run: SyncProceed) -> None:
        self.value: DynamoResponse | None = None
        self.error: BaseException | None = None
        try:
            self.value = run()
        except BaseException as error:  # re-raised where the interceptor awaits
            self.error = error

    def __await__(self) -> Generator[Any, None, DynamoResponse]:
        if self.error is not None:
            raise self.error
        assert self.value is not None
        return self.value
        yield  # pragma: no cover - makes this a generator: nothing is ever yielded


def _adapt(interceptor: Interceptor) -> _Member:
    """The chain member running ``interceptor`` (sync as it is, async driven in place)."""
    name = _name(interceptor)
    if not is_async_interceptor(interceptor):

        def run_sync(call: DynamoCall, proceed: SyncProceed) -> DynamoResponse:
            result = interceptor(call, proceed)
            if inspect.isawaitable(result):
                if inspect.iscoroutine(result):
                    result.close()
                raise TypeError(NOT_ASYNC_MESSAGE.format(name=name))
            return result  # type: ignore[no-any-return]

        return run_sync

    def run_async(call: DynamoCall, proceed: SyncProceed) -> DynamoResponse:
        coroutine = interceptor(call, lambda: _Ready(proceed))
        try:
            coroutine.send(None)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        coroutine.close()
        raise InterceptorSuspendedError(SUSPENDED_MESSAGE.format(name=name))

    return run_async


# -- The registry -----------------------------------------------------------------------------


class InterceptorHandle:
    """Returned by :func:`add_interceptor`: removes the interceptor (also as ``with``)."""

    __slots__ = ("_registry", "interceptor", "member", "ours", "priority")

    def __init__(self, registry: _Registry, interceptor: Interceptor, priority: int) -> None:
        self._registry = registry
        self.interceptor = interceptor
        self.member = _adapt(interceptor)
        self.ours = _is_ours(interceptor)
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
        self.chain: tuple[_Member, ...] = ()
        self.ours: tuple[bool, ...] = ()
        self.names: tuple[str, ...] = ()

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
        self.chain = tuple(handle.member for handle in ordered)
        self.ours = tuple(handle.ours for handle in ordered)
        self.names = tuple(_name(handle.interceptor) for handle in ordered)


_REGISTRY = _Registry()


def add_interceptor(interceptor: Interceptor, *, priority: int = 0) -> InterceptorHandle:
    """Add an interceptor to the chain every DynamoDB request runs through.

    Interceptors run in ``priority`` order, lowest first (the first sees the request first
    and the response last); equal priorities run in the order added. The strict layer sits
    at :data:`aiodynamodb.testing.strict.STRICT_PRIORITY` (1000), right before the backend,
    so a request recorder (say priority -1000) sees every request, refused or not, and a
    fault injector at the default 0 answers before the rules run.

    The chain sees every client of the in-memory DynamoDB: aiobotocore, aioboto3 and
    boto3 clients created while :func:`intercepting` is active, any client of a
    ``MemoryDynamoDB`` (``mock_dynamodb``, the plugin), and HTTP clients of the server.

    Args:
        interceptor: ``(call, proceed) -> DynamoResponse``, or ``async (call, proceed) ->
            DynamoResponse`` awaiting ``proceed()`` (it must not await anything else that
            suspends: :class:`InterceptorSuspendedError`).
        priority: Position in the chain.

    Returns:
        A handle whose ``remove()`` takes the interceptor out; it is also a context manager.
    """
    return _REGISTRY.add(interceptor, priority)


# -- Running it -------------------------------------------------------------------------------


def _step(
    call: DynamoCall, chain: tuple[_Member, ...], ours: tuple[bool, ...], position: int
) -> DynamoResponse:
    if position == len(chain):
        return call.terminal()
    try:
        return chain[position](call, lambda: _step(call, chain, ours, position + 1))
    except (ClientError, _InterceptorBug, *_Loud):
        raise  # an answer, a user's bug on its way out, or a misuse: as they are
    except Exception as error:
        # Raised by this member itself (what it awaited was already an answer).
        if not ours[position]:
            raise _InterceptorBug(error) from None
        return crash_response(call, "an interceptor", error)


def run_chain(call: DynamoCall) -> DynamoResponse:
    """Run ``call`` through every interceptor, then its terminal (the backend).

    A botocore ``ClientError`` an interceptor raises becomes the error response it names.
    A bug in the in-memory DynamoDB (moto, or one of aiodynamodb's own interceptors)
    becomes an ``InternalServerError`` recorded in :data:`CRASHES`. An exception raised by
    a user's own interceptor keeps its identity: it reaches the caller as it was raised
    (the HTTP server, which cannot raise into another process, answers it as a crash).
    """
    registry = _REGISTRY
    try:
        return _step(call, registry.chain, registry.ours, 0)
    except ClientError as error:
        return DynamoResponse.from_client_error(error)
    except _InterceptorBug as bug:
        raise bug.error from None


# -- Crashes ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Crash:
    """A raw exception the in-memory DynamoDB raised while answering a request.

    Attributes:
        operation: The operation (``"PutItem"``).
        where: ``"moto"`` or ``"an interceptor"``.
        error: ``"TypeError: ..."``.
        source: Where the request came from (``DynamoCall.source``).
        traceback: The formatted traceback.
    """

    operation: str
    where: str
    error: str
    source: str
    traceback: str


class CrashLog:
    """Every crash since the last :meth:`take` (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[Crash] = []

    def add(self, crash: Crash) -> None:
        """Record one crash."""
        with self._lock:
            self._entries.append(crash)

    @property
    def entries(self) -> list[Crash]:
        """A copy of the crashes recorded so far."""
        with self._lock:
            return list(self._entries)

    def take(self) -> list[Crash]:
        """The crashes recorded so far, forgetting them."""
        with self._lock:
            entries, self._entries = self._entries, []
        return entries

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


CRASHES = CrashLog()
"""Crashes of the in-memory DynamoDB in this process. aiodynamodb's own test suite
requires it to stay empty; a test that provokes one on purpose takes it."""


def crash_response(call: DynamoCall, where: str, error: BaseException) -> DynamoResponse:
    """DynamoDB's ``SerializationException`` when the body's JSON types do not fit the
    operation (what made moto or a rule raise); otherwise record ``error`` and answer
    ``InternalServerError`` naming it."""
    try:
        problem = serialization_problem(call.operation, call.params)
    except ValueError:  # not even JSON
        problem = "Malformed JSON"
    if problem is not None:
        return DynamoResponse.error("SerializationException", problem)
    shown = f"{type(error).__name__}: {error}"
    trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    CRASHES.add(Crash(call.operation, where, shown, call.source, trace))
    message = CRASH_MESSAGE.format(where=where, error=shown)
    response = DynamoResponse.error("InternalServerError", message, 500)
    response.headers[CRASH_HEADER] = "1"
    return response


def moto_terminal(call: DynamoCall) -> DynamoResponse:
    """The end of the chain in memory: moto's DynamoDB, called directly."""
    try:
        status, raw = _moto.dispatch(
            call.operation,
            call.body,
            region=call.region,
            account=call.account,
            params=call.parsed,  # parsed once: by the strict layer, or the direct transport
        )
    except _moto.UnknownOperationError as error:
        return DynamoResponse.error("UnknownOperationException", str(error))
    except _Loud:
        raise
    except Exception as error:  # a moto bug: never a made-up DynamoDB answer
        return crash_response(call, "moto", error)
    return DynamoResponse(status, raw=raw)


# -- Chain members as objects -----------------------------------------------------------------


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
    or between :meth:`start` and :meth:`stop`. Subclasses define ``__call__`` (sync, or
    ``async def``) and may set ``priority``.
    """

    priority = 0
    _handle: InterceptorHandle | None = None

    def __call__(self, call: DynamoCall, proceed: SyncProceed) -> DynamoResponse:
        """Answer ``call`` (subclasses override)."""
        return proceed()

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


__all__ = [
    "CRASHES",
    "CRASH_HEADER",
    "CRASH_MESSAGE",
    "SUSPENDED_MESSAGE",
    "ChainMember",
    "Crash",
    "CrashLog",
    "Interceptor",
    "InterceptorHandle",
    "InterceptorSuspendedError",
    "Proceed",
    "SyncAsyncContext",
    "SyncProceed",
    "add_interceptor",
    "crash_response",
    "is_async_interceptor",
    "moto_terminal",
    "run_chain",
]
