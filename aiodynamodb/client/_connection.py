"""A ``DynamoDB`` client's connection: states, low-level clients per event loop, sending.

A connection has three states: new (nothing opened yet), open, and closed. It opens on
first use, or explicitly; once closed it refuses to be used or reopened. One low-level
aiobotocore client is opened per event loop it is used on and shared by every call, so the
client is safe to share between many concurrent tasks.

A low-level client belongs to the event loop it was opened on (aiohttp's connections
cannot move between loops), so a connection opens one per loop it is used on, and each is
closed when its loop shuts down; the next use, on any loop, opens a fresh one. So a
module-level ``db = DynamoDB()`` serves one test after another, each on its own loop.

:meth:`Connection.send` is the one place a request leaves the client: DynamoDB's rules
checked first (``validate``), then the low-level client of the running loop, with the wire
fast path (:mod:`._wire`) chosen per call. It implements :class:`._sender.Sender`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from aiodynamodb.client import _botocore, _capacity, _direct, _wire
from aiodynamodb.codec import ModelCodec, create_table_params
from aiodynamodb.errors import ClientStateError
from aiodynamodb.rules import TransactionCanceledError, check_prefixed_table_name, check_request

TABLE_PREFIX_ENV = "AIODYNAMODB_TABLE_PREFIX"
"""Environment variable read for the table-name prefix when none is passed."""

_OPERATION_NAMES = {
    "batch_get_item": "BatchGetItem",
    "batch_write_item": "BatchWriteItem",
    "create_table": "CreateTable",
    "delete_item": "DeleteItem",
    "delete_table": "DeleteTable",
    "describe_table": "DescribeTable",
    "get_item": "GetItem",
    "put_item": "PutItem",
    "query": "Query",
    "scan": "Scan",
    "transact_get_items": "TransactGetItems",
    "transact_write_items": "TransactWriteItems",
    "update_item": "UpdateItem",
    "update_time_to_live": "UpdateTimeToLive",
}

# Requests whose every part the codec built and checked (items, keys: types, numbers, sets,
# sizes, empty keys) need the rules only for what the codec does not see: expressions.
_CODEC_CHECKED = frozenset(
    {"put_item", "get_item", "delete_item", "batch_get_item", "batch_write_item"}
)
_CODEC_ONLY = frozenset({"ConditionExpression", "ProjectionExpression", "ExpressionAttributeNames"})

# Our own calls whose responses only hold AttributeValues, counts and keys: parsed by
# the wire fast path without botocore's shape walk (the codec reads them next).
_ITEM_OPERATIONS = frozenset(
    name for name, wire_name in _OPERATION_NAMES.items() if wire_name in _wire.DIRECT_OPERATIONS
)

CLOSED_MESSAGE = (
    "this DynamoDB client is closed; create a new DynamoDB() instead of reusing a closed one"
)
LOOP_CLOSED_MESSAGE = (
    "this DynamoDB client was opened on an event loop that was closed without shutting down "
    "its async generators (loop.shutdown_asyncgens()), so its connections could not be "
    "closed with it and cannot be used here. Run loops with asyncio.run() or asyncio.Runner "
    "(which shut down cleanly), or await db.close() before closing the loop yourself."
)


class _State(Enum):
    NEW = "new"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(eq=False, slots=True)
class _LoopClient:
    """A low-level client opened on one event loop, and the guard closing it with the loop."""

    client: Any
    cm: Any
    guard: Any = None


def _retire(opened: _LoopClient) -> None:
    """Finish ``opened``'s guard now, without it closing anything (the caller does)."""
    guard, opened.guard = opened.guard, None
    if guard is not None:
        # Once its client is forgotten the guard awaits nothing, so one step finishes it;
        # left suspended, it would ask its (maybe closed) loop to finalize it later.
        closing = guard.aclose()
        with contextlib.suppress(StopIteration):
            closing.send(None)


_shared_session: Any = None
_running_loop = asyncio.get_running_loop


def default_session() -> Any:
    """A process-wide aiobotocore session, so clients share loaded service models.

    Creating a session and loading DynamoDB's model costs ~60 ms; sharing it makes a new
    client cost ~2 ms. Credentials are resolved again for every client (botocore caches
    them on the session) so changes to ``AWS_*`` variables are honoured.
    """
    global _shared_session
    if _shared_session is None:
        from aiobotocore.session import get_session

        _shared_session = get_session()
    _botocore.forget_credentials(_shared_session)
    return _shared_session


def dynamodb_service_description() -> dict[str, Any]:
    """DynamoDB's service model as botocore's loader decodes it (``service-2``); not a copy.

    Asked of :func:`default_session`'s loader exactly as a client's creation asks it
    (``api_version=None``), so the loader's cache answers: the ~500 KB file is decoded once
    per process however many parts need the model (the clients, and the in-memory backend's
    request checks and response serializer, which build their model classes over it).
    Treat it as read-only.
    """
    loader = default_session().get_component("data_loader")
    description: dict[str, Any] = loader.load_service_model(
        "dynamodb", "service-2", api_version=None
    )
    return description


@dataclass(frozen=True, slots=True)
class Settings:
    """What a connection checks and how it talks to botocore (see ``DynamoDB``'s arguments).

    Attributes:
        validate: Check requests against DynamoDB's rules before sending.
        parameter_validation: botocore's own parameter validation on clients the connection
            creates: True or False as given; None for the default (off when ``validate``,
            unless the user's ``config`` sets it; botocore's own otherwise).
        direct_wire: Install the wire fast path on clients the connection creates.
    """

    validate: bool
    parameter_validation: bool | None
    direct_wire: bool


class Connection:
    """The low-level side of one ``DynamoDB``: its states, clients, prefix and sending.

    Args:
        session: An aioboto3 or aiobotocore session, or None for :func:`default_session`.
        client_kwargs: Keyword arguments for ``create_client``.
        table_prefix: A fixed table-name prefix, or None to read ``$AIODYNAMODB_TABLE_PREFIX``
            whenever a low-level client opens.
        client: A borrowed, already open low-level client, or None.
        settings: The checks and the wire path.
    """

    def __init__(
        self,
        *,
        session: Any,
        client_kwargs: Mapping[str, Any],
        table_prefix: str | None,
        client: Any,
        settings: Settings,
    ) -> None:
        self._session = session
        self._client_kwargs = dict(client_kwargs)
        self.settings = settings
        # Given explicitly, the prefix is fixed; otherwise it is read from the environment
        # each time the low-level client opens (see ``table_prefix``).
        self._table_prefix = table_prefix
        self._open_prefix: str | None = None
        self._client: Any = client
        self._owns_client = client is None
        # One low-level client per event loop (aiohttp's connections belong to the loop
        # that opened them); ``_client`` caches the one of ``_loop``, the loop last used.
        # A borrowed client has no loop here: that is its owner's business.
        self._by_loop: dict[asyncio.AbstractEventLoop, _LoopClient] = {}
        self._open_locks: dict[asyncio.AbstractEventLoop, asyncio.Lock] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._state = _State.OPEN if client is not None else _State.NEW
        if client is not None:
            self._open_prefix = self._read_prefix()
        self._schemas: dict[str, dict[str, Any]] = {}
        self._refusal: str | None = None

    # -- states ----------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` has been called."""
        return self._state is _State.CLOSED

    @property
    def table_prefix(self) -> str:
        """The table-name prefix in use (see ``DynamoDB.table_prefix``)."""
        if self._table_prefix is not None:
            return self._table_prefix
        if self._open_prefix is not None:
            return self._open_prefix
        return os.environ.get(TABLE_PREFIX_ENV, "")

    def _read_prefix(self) -> str:
        if self._table_prefix is not None:
            return self._table_prefix
        return os.environ.get(TABLE_PREFIX_ENV, "")

    async def close(self) -> None:
        """Close the low-level client of the running loop; refuse every use after.

        One open on another loop that is still open is closed when that loop shuts down
        (only its own loop can close its connections); one whose loop was closed without
        shutting down cannot be closed at all and is dropped.
        """
        if self._state is _State.CLOSED:
            return
        self._state = _State.CLOSED
        self._client = self._loop = self._open_prefix = None
        running = asyncio.get_running_loop()
        for loop, opened in list(self._by_loop.items()):
            if loop is running or loop.is_closed():
                self._forget(loop)
                _retire(opened)
                if loop is running:
                    await opened.cm.__aexit__(None, None, None)

    def close_borrowed(self) -> None:
        """:meth:`close` for a connection on a borrowed client, which has nothing to await
        (the client is its owner's): for callers without an event loop."""
        if self._owns_client:
            raise RuntimeError("close_borrowed() is for a borrowed client; await close()")
        self._state = _State.CLOSED
        self._client = self._loop = self._open_prefix = None

    def _forget(self, loop: asyncio.AbstractEventLoop) -> None:
        self._by_loop.pop(loop, None)
        self._open_locks.pop(loop, None)
        if self._loop is loop:
            self._client = self._loop = None
        if not self._by_loop:
            self._open_prefix = None
            if self._state is _State.OPEN:
                self._state = _State.NEW

    async def _loop_guard(
        self, loop: asyncio.AbstractEventLoop, opened: _LoopClient
    ) -> AsyncIterator[None]:
        """Closes ``opened`` (the low-level client of ``loop``) when ``loop`` shuts down.

        Started on ``loop``, this async generator is finalized by the loop's
        ``shutdown_asyncgens()`` (which ``asyncio.run``, ``asyncio.Runner`` and
        pytest-asyncio call before closing a loop) while the loop can still close
        aiohttp's connections. The next use on any loop opens a fresh low-level client.
        """
        try:
            yield
        finally:
            if self._by_loop.get(loop) is opened:  # not retired: close it with its loop
                self._forget(loop)
                await opened.cm.__aexit__(None, None, None)

    def refuse(self, message: str) -> None:
        """Refuse every further call with ``ClientStateError(message)``; ``close()`` still
        releases what the connection holds (used by the mock when it ends)."""
        self._refusal = message
        self._client = None

    # -- low-level clients -----------------------------------------------------------------

    async def client(self) -> Any:
        """The low-level client of the running event loop, opened if needed."""
        if self._refusal is not None:
            raise ClientStateError(self._refusal)
        if self._state is _State.CLOSED:
            raise ClientStateError(CLOSED_MESSAGE)
        if not self._owns_client:
            return self._client  # borrowed: its loop is its owner's business
        loop = asyncio.get_running_loop()
        opened = self._by_loop.get(loop)
        if opened is None:
            lock = self._open_locks.setdefault(loop, asyncio.Lock())
            async with lock:
                opened = self._by_loop.get(loop)
                if opened is None:
                    opened = await self._open_on(loop)
        self._client, self._loop = opened.client, loop
        return opened.client

    async def _open_on(self, loop: asyncio.AbstractEventLoop) -> _LoopClient:
        if self.closed:  # closed while this task waited for the lock
            raise ClientStateError(CLOSED_MESSAGE)
        if any(other.is_closed() for other in self._by_loop):
            raise ClientStateError(LOOP_CLOSED_MESSAGE)
        prefix = self._read_prefix()
        session = self._session if self._session is not None else default_session()
        maker = getattr(session, "create_client", None) or session.client
        cm = maker("dynamodb", **self._creation_kwargs())
        client = await cm.__aenter__()
        if self.settings.direct_wire:
            _wire.install(client)
        opened = _LoopClient(client, cm)
        if not self._by_loop:
            self._open_prefix = prefix
        self._by_loop[loop] = opened
        self._state = _State.OPEN
        opened.guard = self._loop_guard(loop, opened)
        await opened.guard.__anext__()  # registers it with this loop's shutdown_asyncgens()
        return opened

    def _creation_kwargs(self) -> dict[str, Any]:
        kwargs = dict(self._client_kwargs)
        wanted = self.settings.parameter_validation
        if wanted is None and not self.settings.validate:
            return kwargs  # botocore's default, or what the user's config says
        from botocore.config import Config

        given = kwargs.get("config")
        if wanted is None:
            # validate=True's default: the rules and the codec check what botocore's
            # validation checks (a large share of the raw client's per-call cost). A config
            # that sets parameter_validation itself still wins.
            ours = Config(parameter_validation=False)
            kwargs["config"] = ours.merge(given) if given is not None else ours
        else:  # asked for by name: the argument wins over the config
            ours = Config(parameter_validation=wanted)
            kwargs["config"] = given.merge(ours) if given is not None else ours
        return kwargs

    # -- sending (the Sender protocol) ------------------------------------------------------

    async def send(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Check ``params`` against DynamoDB's rules (when validating), then call the
        low-level client's ``operation`` with them and return its response."""
        if self.settings.validate and (
            operation not in _CODEC_CHECKED or not _CODEC_ONLY.isdisjoint(params)
        ):
            # A transaction DynamoDB would cancel is sent anyway: DynamoDB then says why,
            # per action, in the exception users catch.
            with contextlib.suppress(TransactionCanceledError):
                check_request(_OPERATION_NAMES.get(operation, ""), params, self._schemas.get)
        client = self._client
        if client is None or (self._loop is not None and self._loop is not _running_loop()):
            client = await self.client()
        _capacity.ask(operation, params)
        direct = _direct.installed(client)
        if direct is not None:
            wire_name = _OPERATION_NAMES.get(operation)
            if wire_name is not None:
                answer: dict[str, Any] = await _direct.send(client, direct, wire_name, params)
                _capacity.collect(answer)
                return answer
        token = _wire.OWN_CALL.set(operation in _ITEM_OPERATIONS)
        try:
            result: dict[str, Any] = await getattr(client, operation)(**params)
        finally:
            _wire.OWN_CALL.reset(token)
        _capacity.collect(result)
        return result

    def table_name(self, codec: ModelCodec[Any]) -> str:
        """The table's name; remembers its schema for the checks made before sending."""
        prefix = self.table_prefix
        name = prefix + codec.meta.name
        if name not in self._schemas:
            if prefix:
                check_prefixed_table_name(name, prefix, codec.model.__name__, codec.meta.name)
            self._schemas[name] = create_table_params(codec.model, table_name=name)
        return name


__all__ = [
    "CLOSED_MESSAGE",
    "LOOP_CLOSED_MESSAGE",
    "TABLE_PREFIX_ENV",
    "Connection",
    "Settings",
    "default_session",
    "dynamodb_service_description",
]
