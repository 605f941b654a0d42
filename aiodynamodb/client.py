"""The ``DynamoDB`` client: one aiobotocore client, typed item operations on models.

A client has three states: new (nothing opened yet), open, and closed. It opens itself on
first use, or explicitly through ``async with``; once closed it refuses to be used or
reopened. One low-level aiobotocore client is opened per ``DynamoDB`` and shared by every
call, so the object is safe to share between many concurrent tasks.

A low-level client belongs to the event loop it was opened on (aiohttp's connections
cannot move between loops), so a ``DynamoDB`` opens one per loop it is used on, and each is
closed when its loop shuts down; the next use, on any loop, opens a fresh one. So a
module-level ``db = DynamoDB()`` serves one test after another, each on its own loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self, TypeVar, overload

from aiodynamodb import batch, transactions, wire
from aiodynamodb.actions import ItemKey, TransactWriteAction
from aiodynamodb.codec import ModelCodec, codec_for, create_table_params, ttl_params
from aiodynamodb.errors import ClientStateError
from aiodynamodb.expressions import ExpressionContext
from aiodynamodb.item_types import Item, KeyValue
from aiodynamodb.model import DynamoModel
from aiodynamodb.pages import PageIterator
from aiodynamodb.rules import (
    TransactionCanceledError,
    check_flag,
    check_limit,
    check_prefixed_table_name,
    check_request,
    check_return_values,
    check_segments,
    check_start_key,
)

if TYPE_CHECKING:
    from boto3.dynamodb.conditions import ConditionBase
    from botocore.config import Config
    from types_aiobotocore_dynamodb.client import DynamoDBClient
    from types_aiobotocore_dynamodb.client import Exceptions as DynamoDBExceptions

    from aiodynamodb.expressions import UpdateAction

M = TypeVar("M", bound=DynamoModel)
# One type variable per position of transact_get's typed overloads.
M1 = TypeVar("M1", bound=DynamoModel)
M2 = TypeVar("M2", bound=DynamoModel)
M3 = TypeVar("M3", bound=DynamoModel)
M4 = TypeVar("M4", bound=DynamoModel)
M5 = TypeVar("M5", bound=DynamoModel)
M6 = TypeVar("M6", bound=DynamoModel)

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
# aiodynamodb.wire without botocore's shape walk (the codec reads them next).
_ITEM_OPERATIONS = frozenset(
    name for name, wire_name in _OPERATION_NAMES.items() if wire_name in wire.DIRECT_OPERATIONS
)

ReturnValues = Literal["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"]
_OLD_ONLY = ("NONE", "ALL_OLD")  # what PutItem and DeleteItem return
_UPDATE_RETURNS = ("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW")

CLOSED_MESSAGE = (
    "this DynamoDB client is closed; create a new DynamoDB() instead of reusing a closed one"
)
LOOP_CLOSED_MESSAGE = (
    "this DynamoDB client was opened on an event loop that was closed without shutting down "
    "its async generators (loop.shutdown_asyncgens()), so its connections could not be "
    "closed with it and cannot be used here. Run loops with asyncio.run() or asyncio.Runner "
    "(which shut down cleanly), or await db.close() before closing the loop yourself."
)


creation_hooks: list[Callable[[DynamoDB], None]] = []
"""Called with every new ``DynamoDB``: ``aiodynamodb.testing`` registers here while a mock is
active, so that clients created inside it can be refused once it ends."""


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
    _shared_session._credentials = None
    return _shared_session


class DynamoDB:
    """Async DynamoDB client working on :class:`~aiodynamodb.DynamoModel` classes.

    Use it as ``async with DynamoDB() as db: ...`` or bare (``db = DynamoDB()``; it opens on
    first use; call ``await db.close()`` when done).

    Args:
        session: An ``aioboto3.Session`` (or aiobotocore session) to create the client from.
            By default a process-wide session is shared, reading credentials and region
            from the environment as botocore does.
        endpoint_url: A DynamoDB-compatible endpoint (DynamoDB Local, LocalStack, ...).
            botocore also honours ``AWS_ENDPOINT_URL_DYNAMODB`` when this is not given.
        region_name: The AWS region.
        config: A ``botocore.config.Config`` (retries, timeouts, ...).
        table_prefix: Prepended to every model's table name (``"dev_"`` turns ``users``
            into ``dev_users``). Defaults to ``$AIODYNAMODB_TABLE_PREFIX``, else none.
        batch_max_attempts: How many HTTP attempts (botocore's retries of throttled
            requests included) an item of ``batch_get``/``batch_write`` may take before the
            batch gives up on unprocessed items and raises with exactly those items.
        batch_base_delay: First back-off delay in seconds between batch rounds; doubles each
            round, with full jitter, capped by ``batch_max_delay``.
        batch_max_delay: Upper bound of one back-off delay in seconds.
        client_kwargs: More keyword arguments for the low-level ``create_client`` call.
        client: An already open aiobotocore DynamoDB client to use instead of creating one.
            It is borrowed: ``close()`` leaves it open.
        validate: Check every request against DynamoDB's rules before sending it (see
            ``docs/fidelity.md``), so mistakes fail the same way on every backend, before
            any network traffic. The checks replace botocore's own parameter validation,
            which this client turns off: the codec already guarantees the request's shape.
    """

    def __init__(
        self,
        *,
        session: Any = None,
        endpoint_url: str | None = None,
        region_name: str | None = None,
        config: Config | None = None,
        table_prefix: str | None = None,
        batch_max_attempts: int = 10,
        batch_base_delay: float = 0.05,
        batch_max_delay: float = 2.0,
        client_kwargs: Mapping[str, Any] | None = None,
        client: Any = None,
        validate: bool = True,
    ) -> None:
        if batch_max_attempts < 1:
            raise ValueError(f"batch_max_attempts must be at least 1, got {batch_max_attempts}")
        self._session = session
        self._client_kwargs: dict[str, Any] = dict(client_kwargs or {})
        if endpoint_url is not None:
            self._client_kwargs["endpoint_url"] = endpoint_url
        if region_name is not None:
            self._client_kwargs["region_name"] = region_name
        if config is not None:
            self._client_kwargs["config"] = config
        # Given explicitly, the prefix is fixed; otherwise it is read from the environment
        # each time the low-level client opens (see ``table_prefix``).
        self._table_prefix = table_prefix
        self._open_prefix: str | None = None
        self.retry = batch.RetryPolicy(batch_max_attempts, batch_base_delay, batch_max_delay)
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
        self.validate = validate
        self._schemas: dict[str, dict[str, Any]] = {}
        self._refusal: str | None = None
        for hook in creation_hooks:
            hook(self)

    # -- lifecycle -----------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` has been called."""
        return self._state is _State.CLOSED

    @property
    def table_prefix(self) -> str:
        """The table-name prefix in use.

        The ``table_prefix`` argument when one was given; otherwise
        ``$AIODYNAMODB_TABLE_PREFIX`` as it was when the low-level client opened (read
        afresh whenever it opens again, and read now while nothing is open), so a client
        built at import time uses the prefix a test run sets up later.
        """
        if self._table_prefix is not None:
            return self._table_prefix
        if self._open_prefix is not None:
            return self._open_prefix
        return os.environ.get(TABLE_PREFIX_ENV, "")

    def _read_prefix(self) -> str:
        if self._table_prefix is not None:
            return self._table_prefix
        return os.environ.get(TABLE_PREFIX_ENV, "")

    async def open(self) -> None:
        """Open the underlying client now (otherwise it opens on first use)."""
        await self._ensure_client()

    async def close(self) -> None:
        """Close the underlying client. The instance cannot be used or reopened after.

        The low-level client of the running event loop is closed now. One open on another
        loop that is still open is closed when that loop shuts down (only its own loop can
        close its connections); one whose loop was closed without shutting down cannot be
        closed at all and is dropped.
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

    def _refuse(self, message: str) -> None:
        """Refuse every further call with ``ClientStateError(message)``; ``close()`` still
        releases what the client holds (used by the mock when it ends)."""
        self._refusal = message
        self._client = None

    async def _ensure_client(self) -> Any:
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
        if self.validate:
            wire.install(client)  # requests are checked by the codec and our rules
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
        if self.validate:
            from botocore.config import Config

            # Our checks and the codec make botocore's parameter validation redundant; it
            # is a large share of the raw client's per-call cost. A config the user passes
            # that sets parameter_validation explicitly still wins.
            ours = Config(parameter_validation=False)
            given = kwargs.get("config")
            kwargs["config"] = ours.merge(given) if given is not None else ours
        return kwargs

    async def low_level_client(self) -> DynamoDBClient:
        """The underlying aiobotocore DynamoDB client (opened if needed).

        Typed by ``types-aiobotocore-dynamodb`` where that is installed (the ``types``
        extra; it is only read by type checkers), ``Any`` elsewhere.
        """
        client: DynamoDBClient = await self._ensure_client()
        return client

    async def exceptions(self) -> DynamoDBExceptions:
        """botocore's exception namespace for DynamoDB (typed like :meth:`low_level_client`).

        ``ex = await db.exceptions()`` then ``pytest.raises(ex.ConditionalCheckFailedException)``.
        """
        exceptions: DynamoDBExceptions = (await self._ensure_client()).exceptions
        return exceptions

    async def _call(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        if self.validate and (
            operation not in _CODEC_CHECKED or not _CODEC_ONLY.isdisjoint(params)
        ):
            # A transaction DynamoDB would cancel is sent anyway: DynamoDB then says why,
            # per action, in the exception users catch.
            with contextlib.suppress(TransactionCanceledError):
                check_request(_OPERATION_NAMES.get(operation, ""), params, self._schemas.get)
        client = self._client
        if client is None or (self._loop is not None and self._loop is not _running_loop()):
            client = await self._ensure_client()
        token = wire.OWN_CALL.set(operation in _ITEM_OPERATIONS)
        try:
            result: dict[str, Any] = await getattr(client, operation)(**params)
        finally:
            wire.OWN_CALL.reset(token)
        return result

    # -- naming --------------------------------------------------------------------------

    def table_name(self, model: type[DynamoModel]) -> str:
        """The table name ``model`` uses through this client (prefix included)."""
        return self._table(codec_for(model))

    def _table(self, codec: ModelCodec[Any]) -> str:
        """The table's name; remembers its schema for the checks made before sending."""
        prefix = self.table_prefix
        name = prefix + codec.meta.name
        if name not in self._schemas:
            if prefix:
                check_prefixed_table_name(name, prefix, codec.model.__name__, codec.meta.name)
            self._schemas[name] = create_table_params(codec.model, table_name=name)
        return name

    # -- single items --------------------------------------------------------------------

    @overload
    async def put(
        self,
        item: DynamoModel,
        *,
        condition_expression: ConditionBase | None = None,
        return_values: Literal["NONE"] = "NONE",
    ) -> None: ...

    @overload
    async def put(
        self,
        item: M,
        *,
        condition_expression: ConditionBase | None = None,
        return_values: Literal["ALL_OLD"],
    ) -> M | None: ...

    async def put(
        self,
        item: M,
        *,
        condition_expression: ConditionBase | None = None,
        return_values: Literal["NONE", "ALL_OLD"] = "NONE",
    ) -> M | None:
        """Write ``item``, replacing any item with the same key.

        Args:
            item: The model instance to store.
            condition_expression: A boto3 ``Attr`` condition that must hold, e.g.
                ``Attr("user_id").not_exists()``; otherwise DynamoDB raises
                ``ConditionalCheckFailedException``.
            return_values: ``"ALL_OLD"`` returns the replaced item as a model (or None).

        Returns:
            None; with ``return_values="ALL_OLD"``, the replaced item as ``item``'s model, or
            None when there was none.
        """
        codec = codec_for(type(item))
        params: dict[str, Any] = {
            "TableName": self._table(codec),
            "Item": codec.encode(item),
        }
        if condition_expression is not None:
            ctx = ExpressionContext(model=codec.view)
            params["ConditionExpression"] = ctx.condition(condition_expression)
            params.update(ctx.request_params())
        if return_values != "NONE":
            check_return_values("put", "PutItem", return_values, _OLD_ONLY)
            params["ReturnValues"] = return_values
        response = await self._call("put_item", params)
        old = response.get("Attributes")
        return codec.decode(old) if old else None

    @overload
    async def get(
        self,
        model: type[M],
        *,
        hash_key: KeyValue,
        range_key: KeyValue | None = None,
        consistent_read: bool = False,
        projection: None = None,
    ) -> M | None: ...

    @overload
    async def get(
        self,
        model: type[M],
        *,
        hash_key: KeyValue,
        range_key: KeyValue | None = None,
        consistent_read: bool = False,
        projection: Sequence[str],
    ) -> dict[str, Any] | None: ...

    async def get(
        self,
        model: type[M],
        *,
        hash_key: KeyValue,
        range_key: KeyValue | None = None,
        consistent_read: bool = False,
        projection: Sequence[str] | None = None,
    ) -> M | dict[str, Any] | None:
        """Read one item by its key.

        Args:
            model: The model class.
            hash_key: The partition key value.
            range_key: The sort key value (required when the table has one).
            consistent_read: Ask for a strongly consistent read.
            projection: Attribute paths to read. A projected read cannot be a validated
                model (required fields may be missing), so it returns a ``dict`` of the
                projected attributes, each decoded with its field's type.

        Returns:
            The model (or the projected dict), or None when no item has that key.
        """
        codec = codec_for(model)
        params: dict[str, Any] = {
            "TableName": self._table(codec),
            "Key": codec.encode_key(hash_key, range_key),
        }
        if consistent_read is not False:
            check_flag("get", "consistent_read", consistent_read)
            params["ConsistentRead"] = True
        if projection is not None:
            ctx = ExpressionContext(model=codec.view)
            params["ProjectionExpression"] = ctx.projection(projection)
            params.update(ctx.request_params())
        response = await self._call("get_item", params)
        raw = response.get("Item")
        if raw is None:
            return None
        if projection is not None:
            return codec.decode_partial(raw)
        return codec.decode(raw)

    @overload
    async def delete(
        self,
        model: type[DynamoModel],
        *,
        hash_key: KeyValue,
        range_key: KeyValue | None = None,
        condition_expression: ConditionBase | None = None,
        return_values: Literal["NONE"] = "NONE",
    ) -> None: ...

    @overload
    async def delete(
        self,
        model: type[M],
        *,
        hash_key: KeyValue,
        range_key: KeyValue | None = None,
        condition_expression: ConditionBase | None = None,
        return_values: Literal["ALL_OLD"],
    ) -> M | None: ...

    async def delete(
        self,
        model: type[M],
        *,
        hash_key: KeyValue,
        range_key: KeyValue | None = None,
        condition_expression: ConditionBase | None = None,
        return_values: Literal["NONE", "ALL_OLD"] = "NONE",
    ) -> M | None:
        """Delete one item by its key (no error if it does not exist).

        Args:
            model: The model class.
            hash_key: The partition key value.
            range_key: The sort key value (required when the table has one).
            condition_expression: A boto3 ``Attr`` condition that must hold.
            return_values: ``"ALL_OLD"`` returns the deleted item as a model (or None).

        Returns:
            None; with ``return_values="ALL_OLD"``, the deleted item, or None when there
            was none.
        """
        codec = codec_for(model)
        params: dict[str, Any] = {
            "TableName": self._table(codec),
            "Key": codec.encode_key(hash_key, range_key),
        }
        if condition_expression is not None:
            ctx = ExpressionContext(model=codec.view)
            params["ConditionExpression"] = ctx.condition(condition_expression)
            params.update(ctx.request_params())
        if return_values != "NONE":
            check_return_values("delete", "DeleteItem", return_values, _OLD_ONLY)
            params["ReturnValues"] = return_values
        response = await self._call("delete_item", params)
        old = response.get("Attributes")
        return codec.decode(old) if old else None

    @overload
    async def update(
        self,
        model: type[DynamoModel],
        *,
        hash_key: KeyValue,
        range_key: KeyValue | None = None,
        update_expression: Sequence[UpdateAction],
        condition_expression: ConditionBase | None = None,
        return_values: Literal["NONE"] = "NONE",
    ) -> None: ...

    @overload
    async def update(
        self,
        model: type[M],
        *,
        hash_key: KeyValue,
        range_key: KeyValue | None = None,
        update_expression: Sequence[UpdateAction],
        condition_expression: ConditionBase | None = None,
        return_values: Literal["ALL_NEW"],
    ) -> M: ...

    @overload
    async def update(
        self,
        model: type[M],
        *,
        hash_key: KeyValue,
        range_key: KeyValue | None = None,
        update_expression: Sequence[UpdateAction],
        condition_expression: ConditionBase | None = None,
        return_values: Literal["ALL_OLD"],
    ) -> M | None: ...

    @overload
    async def update(
        self,
        model: type[DynamoModel],
        *,
        hash_key: KeyValue,
        range_key: KeyValue | None = None,
        update_expression: Sequence[UpdateAction],
        condition_expression: ConditionBase | None = None,
        return_values: Literal["UPDATED_NEW", "UPDATED_OLD"],
    ) -> dict[str, Any] | None: ...

    async def update(
        self,
        model: type[M],
        *,
        hash_key: KeyValue,
        range_key: KeyValue | None = None,
        update_expression: Sequence[UpdateAction],
        condition_expression: ConditionBase | None = None,
        return_values: ReturnValues = "NONE",
    ) -> M | dict[str, Any] | None:
        """Change attributes of one item in place (creating it if it does not exist).

        Args:
            model: The model class.
            hash_key: The partition key value.
            range_key: The sort key value (required when the table has one).
            update_expression: ``UpdateAttr`` actions, e.g.
                ``[UpdateAttr("name").set("Bob"), UpdateAttr("visits").add(1)]``.
            condition_expression: A boto3 ``Attr`` condition that must hold.
            return_values: What to return, typed accordingly for mypy.

        Returns:
            - ``"NONE"`` (default): None.
            - ``"ALL_NEW"``: the item after the update, as a model (the item always exists
              after an update, so never None).
            - ``"ALL_OLD"``: the item before the update as a model, or None if it did not
              exist.
            - ``"UPDATED_NEW"`` / ``"UPDATED_OLD"``: a ``dict`` of the attributes the update
              touched, after / before it, each decoded with its field's type (nested models
              as dicts), or None when there are none (``"UPDATED_OLD"`` on a new item,
              ``"UPDATED_NEW"`` when the update only removes attributes).
        """
        codec = codec_for(model)
        ctx = ExpressionContext(model=codec.view)
        params: dict[str, Any] = {
            "TableName": self._table(codec),
            "Key": codec.encode_key(hash_key, range_key),
            "UpdateExpression": ctx.update(update_expression),
        }
        if condition_expression is not None:
            params["ConditionExpression"] = ctx.condition(condition_expression)
        params.update(ctx.request_params())
        if return_values != "NONE":
            check_return_values("update", "UpdateItem", return_values, _UPDATE_RETURNS)
            params["ReturnValues"] = return_values
        response = await self._call("update_item", params)
        attributes = response.get("Attributes")
        if not attributes:
            return None
        if return_values in ("ALL_NEW", "ALL_OLD"):
            return codec.decode(attributes)
        return codec.decode_partial(attributes)

    # -- queries and scans ---------------------------------------------------------------

    @overload
    def query(
        self,
        model: type[M],
        *,
        key_condition_expression: ConditionBase,
        filter_expression: ConditionBase | None = None,
        index_name: str | None = None,
        limit: int | None = None,
        scan_index_forward: bool = True,
        exclusive_start_key: Item | None = None,
        consistent_read: bool = False,
        projection: None = None,
    ) -> PageIterator[M]: ...

    @overload
    def query(
        self,
        model: type[M],
        *,
        key_condition_expression: ConditionBase,
        filter_expression: ConditionBase | None = None,
        index_name: str | None = None,
        limit: int | None = None,
        scan_index_forward: bool = True,
        exclusive_start_key: Item | None = None,
        consistent_read: bool = False,
        projection: Sequence[str],
    ) -> PageIterator[dict[str, Any]]: ...

    def query(
        self,
        model: type[M],
        *,
        key_condition_expression: ConditionBase,
        filter_expression: ConditionBase | None = None,
        index_name: str | None = None,
        limit: int | None = None,
        scan_index_forward: bool = True,
        exclusive_start_key: Item | None = None,
        consistent_read: bool = False,
        projection: Sequence[str] | None = None,
    ) -> PageIterator[M] | PageIterator[dict[str, Any]]:
        """Query a table or index; iterate the result page by page.

        ``async for page in db.query(Order, key_condition_expression=Key("order_id").eq("o1"))``
        yields one :class:`~aiodynamodb.Page` per DynamoDB response. Use ``.items()`` to
        iterate items across pages, or ``await ....all()`` to collect them.

        Args:
            model: The model class.
            key_condition_expression: A boto3 ``Key`` condition on the table's or index's
                keys.
            filter_expression: A boto3 ``Attr`` condition applied after reading (it does
                not reduce the capacity a query consumes).
            index_name: A GSI or LSI declared on the model.
            limit: DynamoDB's ``Limit``: at most this many items are *evaluated* per page
                (before the filter). Iteration still continues over every page.
            scan_index_forward: False for descending sort-key order.
            exclusive_start_key: A page's ``last_evaluated_key`` to resume from.
            consistent_read: Strongly consistent read (not on a GSI).
            projection: Attribute paths to read; pages then hold dicts, not models.
        """
        codec = codec_for(model)
        ctx = ExpressionContext(model=codec.view)
        params: dict[str, Any] = {
            "TableName": self._table(codec),
            "KeyConditionExpression": ctx.key_condition(key_condition_expression, index_name),
        }
        if index_name is not None:
            codec.meta.index(index_name)
            params["IndexName"] = index_name
        if scan_index_forward is not True:
            check_flag("query", "scan_index_forward", scan_index_forward)
            params["ScanIndexForward"] = False
        return self._pages(
            "query", codec, ctx, params, filter_expression, limit,
            exclusive_start_key, consistent_read, projection,
        )  # fmt: skip

    @overload
    def scan(
        self,
        model: type[M],
        *,
        filter_expression: ConditionBase | None = None,
        index_name: str | None = None,
        limit: int | None = None,
        exclusive_start_key: Item | None = None,
        consistent_read: bool = False,
        segment: int | None = None,
        total_segments: int | None = None,
        projection: None = None,
    ) -> PageIterator[M]: ...

    @overload
    def scan(
        self,
        model: type[M],
        *,
        filter_expression: ConditionBase | None = None,
        index_name: str | None = None,
        limit: int | None = None,
        exclusive_start_key: Item | None = None,
        consistent_read: bool = False,
        segment: int | None = None,
        total_segments: int | None = None,
        projection: Sequence[str],
    ) -> PageIterator[dict[str, Any]]: ...

    def scan(
        self,
        model: type[M],
        *,
        filter_expression: ConditionBase | None = None,
        index_name: str | None = None,
        limit: int | None = None,
        exclusive_start_key: Item | None = None,
        consistent_read: bool = False,
        segment: int | None = None,
        total_segments: int | None = None,
        projection: Sequence[str] | None = None,
    ) -> PageIterator[M] | PageIterator[dict[str, Any]]:
        """Scan a table or index page by page (see :meth:`query` for the arguments).

        For a parallel scan, run one ``scan`` per segment with ``segment=i`` and the same
        ``total_segments=n`` (``0 <= i < n``), e.g. in separate tasks.
        """
        codec = codec_for(model)
        ctx = ExpressionContext(model=codec.view)
        params: dict[str, Any] = {"TableName": self._table(codec)}
        if index_name is not None:
            codec.meta.index(index_name)
            params["IndexName"] = index_name
        if segment is not None or total_segments is not None:
            check_segments(segment, total_segments)
            params["Segment"] = segment
            params["TotalSegments"] = total_segments
        return self._pages(
            "scan", codec, ctx, params, filter_expression, limit,
            exclusive_start_key, consistent_read, projection,
        )  # fmt: skip

    def _pages(
        self,
        operation: str,
        codec: ModelCodec[M],
        ctx: ExpressionContext,
        params: dict[str, Any],
        filter_expression: ConditionBase | None,
        limit: int | None,
        exclusive_start_key: Item | None,
        consistent_read: bool,
        projection: Sequence[str] | None,
    ) -> PageIterator[M] | PageIterator[dict[str, Any]]:
        if filter_expression is not None:
            params["FilterExpression"] = ctx.condition(filter_expression)
        if projection is not None:
            params["ProjectionExpression"] = ctx.projection(projection)
        params.update(ctx.request_params())
        if limit is not None:
            check_limit(operation, limit)
            params["Limit"] = limit
        if consistent_read is not False:
            check_flag(operation, "consistent_read", consistent_read)
            params["ConsistentRead"] = True
        if exclusive_start_key is not None:
            index = params.get("IndexName")
            names = list(codec.meta.key_names)
            if index is not None:
                names += [n for n in codec.meta.index_key_names(index) if n not in names]
            check_start_key(operation, exclusive_start_key, names)

        async def fetch(start_key: Item | None) -> dict[str, Any]:
            if start_key is not None:
                params["ExclusiveStartKey"] = start_key
            return await self._call(operation, params)

        if projection is not None:
            return PageIterator(fetch, codec.decode_partial, exclusive_start_key)
        return PageIterator(fetch, codec.decode, exclusive_start_key)

    # -- batches -------------------------------------------------------------------------

    async def batch_get(
        self, keys: Sequence[ItemKey[M]], *, consistent_read: bool = False
    ) -> list[M]:
        """Read many items by key, across tables; any number of keys.

        Keys are sent 100 per request; keys DynamoDB leaves unprocessed are retried with
        exponential back-off and jitter. Items come back in the order of ``keys``; keys
        with no item are left out. A key given twice is an error (DynamoDB rejects it).

        Typing: keys of one model give ``list[User]``. Keys of several models give a list
        of their common base, ``list[DynamoModel]`` (``ItemKey`` is covariant, and mypy
        joins the list's element types); since missing items are left out, positions say
        nothing about models, so narrow with ``isinstance``. ``batch_get`` accepts any
        ``Sequence``; a key list built elsewhere can be annotated ``list[ItemKey[DynamoModel]]``.

        Raises:
            BatchGetError: keys were still unprocessed after ``batch_max_attempts`` attempts.
        """
        return await batch.batch_get(self, keys, consistent_read)

    async def batch_write(
        self,
        *,
        puts: Sequence[DynamoModel] = (),
        deletes: Sequence[ItemKey[Any]] = (),
    ) -> None:
        """Write and delete many items, across tables; any number of items.

        Requests are sent 25 per call; items DynamoDB leaves unprocessed are retried with
        exponential back-off and jitter. Nothing is dropped: if items remain unprocessed
        after ``batch_max_attempts`` attempts, :class:`~aiodynamodb.BatchWriteError` is
        raised listing exactly those items. Two requests for the same key in one call are
        an error (DynamoDB rejects them).
        """
        await batch.batch_write(self, puts, deletes)

    # -- transactions ----------------------------------------------------------------------

    async def transact_write(
        self, *actions: TransactWriteAction, client_request_token: str | None = None
    ) -> None:
        """Apply up to 100 ``Put``/``Update``/``Delete``/``ConditionCheck`` actions atomically.

        Raises:
            TransactionCanceledException: botocore's class; its ``reasons`` attribute lists a
                :class:`~aiodynamodb.CancellationReason` per action, in the order passed.
        """
        await transactions.transact_write(self, actions, client_request_token)

    @overload
    async def transact_get(self, k1: ItemKey[M1], /) -> tuple[M1 | None]: ...

    @overload
    async def transact_get(
        self, k1: ItemKey[M1], k2: ItemKey[M2], /
    ) -> tuple[M1 | None, M2 | None]: ...

    @overload
    async def transact_get(
        self, k1: ItemKey[M1], k2: ItemKey[M2], k3: ItemKey[M3], /
    ) -> tuple[M1 | None, M2 | None, M3 | None]: ...

    @overload
    async def transact_get(
        self, k1: ItemKey[M1], k2: ItemKey[M2], k3: ItemKey[M3], k4: ItemKey[M4], /
    ) -> tuple[M1 | None, M2 | None, M3 | None, M4 | None]: ...

    @overload
    async def transact_get(
        self,
        k1: ItemKey[M1],
        k2: ItemKey[M2],
        k3: ItemKey[M3],
        k4: ItemKey[M4],
        k5: ItemKey[M5],
        /,
    ) -> tuple[M1 | None, M2 | None, M3 | None, M4 | None, M5 | None]: ...

    @overload
    async def transact_get(
        self,
        k1: ItemKey[M1],
        k2: ItemKey[M2],
        k3: ItemKey[M3],
        k4: ItemKey[M4],
        k5: ItemKey[M5],
        k6: ItemKey[M6],
        /,
    ) -> tuple[M1 | None, M2 | None, M3 | None, M4 | None, M5 | None, M6 | None]: ...

    @overload
    async def transact_get(self, *keys: ItemKey[M]) -> tuple[M | None, ...]: ...

    async def transact_get(self, *keys: ItemKey[DynamoModel]) -> tuple[DynamoModel | None, ...]:
        """Read up to 100 items atomically; None where an item does not exist.

        Returns:
            A tuple with one entry per key, in the order given: the item as its key's
            model, or None. For mypy, up to six keys are typed per position
            (``user, order = await db.transact_get(ItemKey(User, "u1"), ItemKey(Order,
            "o1"))`` gives ``User | None`` and ``Order | None``); more keys, or keys
            passed as ``*keys``, give ``tuple[M | None, ...]`` with ``M`` their common
            model class (``DynamoModel`` for several models).
        """
        return await transactions.transact_get(self, keys)

    # -- tables ----------------------------------------------------------------------------

    async def create_table(self, model: type[DynamoModel], *, wait: bool = True) -> None:
        """Create ``model``'s table with its keys, indexes, billing mode, TTL and tags.

        Waits until the table and all its indexes are ACTIVE (unless ``wait=False``), then
        enables TTL when the model declares a TTL attribute.
        """
        name = self.table_name(model)
        await self._call("create_table", create_table_params(model, table_name=name))
        if wait:
            await self.wait_until_active(name)
        ttl = ttl_params(model, table_name=name)
        if ttl is not None:
            await self._call("update_time_to_live", ttl)

    async def wait_until_active(self, table_name: str, *, max_wait: float = 120.0) -> None:
        """Poll ``DescribeTable`` until the table and its GSIs are ACTIVE.

        Raises:
            TimeoutError: Still not ACTIVE after ``max_wait`` seconds.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max_wait
        delay = 0.01
        while True:
            table = (await self._call("describe_table", {"TableName": table_name}))["Table"]
            indexes = table.get("GlobalSecondaryIndexes", ())
            if table.get("TableStatus") == "ACTIVE" and all(
                index.get("IndexStatus", "ACTIVE") == "ACTIVE" for index in indexes
            ):
                return
            if loop.time() > deadline:
                raise TimeoutError(
                    f"table {table_name!r} is not ACTIVE after {max_wait:g}s "
                    f"(status {table.get('TableStatus')})"
                )
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.5)

    async def delete_table(self, model: type[DynamoModel]) -> None:
        """Delete ``model``'s table (prefix included)."""
        await self._call("delete_table", {"TableName": self.table_name(model)})


__all__ = ["TABLE_PREFIX_ENV", "DynamoDB"]
