"""The ``DynamoDB`` client: typed operations on models over one connection.

``DynamoDB`` is assembled from one base class per family of operations, each in its own
module and each talking to the connection only through the :class:`._sender.Sender`
protocol: :class:`._items.ItemOperations`, :class:`._pages.PageOperations`,
:class:`._batch.BatchOperations`, :class:`._transactions.TransactionOperations`,
:class:`._tables.TableOperations`. This module holds what ties them together: the
arguments, the :class:`._connection.Connection` they share, and the lifecycle methods.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from aiodynamodb.client._batch import BatchOperations, RetryPolicy
from aiodynamodb.client._capacity import CallCapacity, CapacityMode, CapacityTracker, last, tracking
from aiodynamodb.client._connection import Connection, Settings
from aiodynamodb.client._items import ItemOperations
from aiodynamodb.client._pages import PageOperations
from aiodynamodb.client._tables import TableOperations
from aiodynamodb.client._transactions import TransactionOperations

if TYPE_CHECKING:
    from botocore.config import Config
    from types_aiobotocore_dynamodb.client import DynamoDBClient
    from types_aiobotocore_dynamodb.client import Exceptions as DynamoDBExceptions


creation_hooks: list[Callable[[DynamoDB], None]] = []
"""Called with every new ``DynamoDB``: ``aiodynamodb.testing`` registers here while a mock is
active, so that clients created inside it can be refused once it ends."""


class DynamoDB(
    ItemOperations, PageOperations, BatchOperations, TransactionOperations, TableOperations
):
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
            any network traffic (``ValidationError``, DynamoDB's error code). This is all
            it does itself; it is also the default of the next two settings.
        parameter_validation: botocore's own parameter validation (``Config(
            parameter_validation=...)``) on the clients this ``DynamoDB`` creates. By
            default (None) it is off when ``validate`` is on, since the rules and the codec
            check what it checks and it is a large share of the raw client's per-call cost
            (a ``config`` that sets it still wins), and botocore's default (on) otherwise.
            True or False here wins over ``config``.
        direct_wire: The wire fast path on the clients this ``DynamoDB`` creates: the item
            operations' requests are serialized with one ``json.dumps`` instead of
            botocore's shape walk (also for calls made on ``low_level_client()``), and this
            client's own item responses are parsed without it. By default (None) on when
            ``validate`` is on. The HTTP requests are identical either way.

    ``parameter_validation`` and ``direct_wire`` do not apply to a borrowed ``client``,
    which keeps whatever its creator gave it.
    """

    _connection: Connection  # the operation families see it as a Sender

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
        parameter_validation: bool | None = None,
        direct_wire: bool | None = None,
    ) -> None:
        if batch_max_attempts < 1:
            raise ValueError(f"batch_max_attempts must be at least 1, got {batch_max_attempts}")
        kwargs: dict[str, Any] = dict(client_kwargs or {})
        if endpoint_url is not None:
            kwargs["endpoint_url"] = endpoint_url
        if region_name is not None:
            kwargs["region_name"] = region_name
        if config is not None:
            kwargs["config"] = config
        self.retry = RetryPolicy(batch_max_attempts, batch_base_delay, batch_max_delay)
        self.validate = validate
        self._connection = Connection(
            session=session,
            client_kwargs=kwargs,
            table_prefix=table_prefix,
            client=client,
            settings=Settings(
                validate=validate,
                parameter_validation=parameter_validation,
                direct_wire=validate if direct_wire is None else direct_wire,
            ),
        )
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
        return self._connection.closed

    @property
    def table_prefix(self) -> str:
        """The table-name prefix in use.

        The ``table_prefix`` argument when one was given; otherwise
        ``$AIODYNAMODB_TABLE_PREFIX`` as it was when the low-level client opened (read
        afresh whenever it opens again, and read now while nothing is open), so a client
        built at import time uses the prefix a test run sets up later.
        """
        return self._connection.table_prefix

    async def open(self) -> None:
        """Open the underlying client now (otherwise it opens on first use)."""
        await self._connection.client()

    async def close(self) -> None:
        """Close the underlying client. The instance cannot be used or reopened after.

        The low-level client of the running event loop is closed now. One open on another
        loop that is still open is closed when that loop shuts down (only its own loop can
        close its connections); one whose loop was closed without shutting down cannot be
        closed at all and is dropped.
        """
        await self._connection.close()

    def _refuse(self, message: str) -> None:
        """Refuse every further call with ``ClientStateError(message)``; ``close()`` still
        releases what the client holds (used by the mock when it ends)."""
        self._connection.refuse(message)

    async def low_level_client(self) -> DynamoDBClient:
        """The underlying aiobotocore DynamoDB client (opened if needed).

        Typed by ``types-aiobotocore-dynamodb`` where that is installed (the ``types``
        extra; it is only read by type checkers), ``Any`` elsewhere.
        """
        client: DynamoDBClient = await self._connection.client()
        return client

    async def exceptions(self) -> DynamoDBExceptions:
        """botocore's exception namespace for DynamoDB (typed like :meth:`low_level_client`).

        ``ex = await db.exceptions()`` then ``pytest.raises(ex.ConditionalCheckFailedException)``.
        """
        exceptions: DynamoDBExceptions = (await self._connection.client()).exceptions
        return exceptions

    def capacity(self, mode: CapacityMode = "TOTAL") -> AbstractContextManager[CapacityTracker]:
        """A block whose requests report the capacity they consume (``with``, not async).

        Every data-plane request this task sends inside the block (on any ``DynamoDB``)
        asks DynamoDB for ``ReturnConsumedCapacity=mode``; the reports are collected on the
        tracker it yields, and return types stay as they are::

            with db.capacity("INDEXES") as used:
                await db.put(order)
            used.total, used.by_table()["orders"].global_secondary_indexes

        Args:
            mode: ``"TOTAL"`` (units per table) or ``"INDEXES"`` (also the table's own
                units and each index's).

        Returns:
            A context manager yielding a :class:`~aiodynamodb.CapacityTracker`.

        Raises:
            ArgumentError: ``mode`` is not ``"TOTAL"`` or ``"INDEXES"``.
        """
        return tracking(mode)

    @property
    def last_consumed_capacity(self) -> CallCapacity | None:
        """What this task's last call made with ``return_consumed_capacity=...`` consumed.

        Per task (a ``ContextVar``): concurrent tasks each see their own last call, and a
        task started with ``asyncio.create_task`` starts from its parent's value. Calls
        without the keyword leave it as it is; a call that raised does not replace it.
        It is shared by every ``DynamoDB`` of the task. Pages report on themselves
        (``page.consumed_capacity``), so ``query`` and ``scan`` do not set it::

            await db.put(order, return_consumed_capacity="TOTAL")
            db.last_consumed_capacity.total  # 1.0 for an item up to 1 KB

        Returns:
            A :class:`~aiodynamodb.CallCapacity` (one report per table), or None when no
            call of this task asked.
        """
        return last()

    async def _call(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        # The testing layer and the plugin's endpoint backend send raw requests through the
        # client's checks and connection this way.
        return await self._connection.send(operation, params)


__all__ = ["DynamoDB", "creation_hooks"]
