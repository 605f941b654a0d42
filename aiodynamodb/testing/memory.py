"""The in-memory DynamoDB (aiomoto's in-process moto mock), reusable across many tests.

:class:`MemoryDynamoDB` is what the pytest plugin's default backend runs on. Entering
aiomoto's mock costs a few milliseconds (moto registers hundreds of URL patterns) and
creating tables through the request path several more, so for a run of tests it:

- keeps the mock active from one test to the next while consecutive tests need it, and
  deactivates it as soon as a test that does not need it comes up;
- creates each model's table through the real ``CreateTable`` path once, keeps a copy of
  the empty table, and gives every later test a fresh copy of that copy (or the previous
  test's table itself, when no request could have changed it: see ``_moto.CHANGES``);
- resets every moto backend between tests, so nothing a test wrote (in DynamoDB or any
  other mocked service) is visible to the next one;
- shares one low-level client (created inside the mock) between tests.

With ``server=True`` the same tables are served over HTTP on a loopback port instead
(``endpoint_url``, :class:`~aiodynamodb.testing.server.DynamoDBServer`), so other processes
can reach them, through the same chain (strict rules, recorder, faults) as this process's
clients; ``AWS_ENDPOINT_URL_DYNAMODB`` points there while active, so clients in this
process do too.

Only this module touches moto's internals; everything else goes through botocore.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterable
from contextlib import ExitStack
from typing import Any

from aiodynamodb import client as client_module
from aiodynamodb.client import (
    TABLE_PREFIX_ENV,
    DynamoDB,
    create_unbound_client,
    default_session,
    install_direct_wire,
)
from aiodynamodb.model import DynamoModel, table_meta
from aiodynamodb.testing import _moto
from aiodynamodb.testing.environment import FAKE_REGION, patched_environment
from aiodynamodb.testing.intercept import MOCK_ENDED_MESSAGE, backend_hook, intercepting
from aiodynamodb.testing.strict import strict_layer
from aiodynamodb.testing.tableset import table_models

MISSING_EXTRA_MESSAGE = (
    "aiodynamodb's in-memory DynamoDB needs the 'testing' extra (aiomoto and moto): "
    "install it from your clone of the aiodynamodb repository with  "
    "pip install -e '/path/to/aiodynamodb[testing]'  (once published, from PyPI: "
    "pip install 'aiodynamodb-orm[testing]'; the PyPI project named 'aiodynamodb' is "
    "another package)"
)


NOT_READY_MESSAGE = (
    "MemoryDynamoDB.reset_now() needs the shared client open and every table created once "
    "before (see ready()); await reset() instead"
)


class MissingExtraError(ImportError):
    """An optional dependency of aiodynamodb's testing tools is not installed."""


def import_aiomoto() -> Any:
    """Import aiomoto, or raise an ImportError that names the extra to install."""
    try:
        import aiomoto
    except ImportError as error:  # pragma: no cover - exercised in a venv without the extra
        raise MissingExtraError(MISSING_EXTRA_MESSAGE, name=error.name) from error
    return aiomoto


class MemoryDynamoDB:
    """An in-memory DynamoDB that many tests can use one after another.

    Args:
        strict: Check every request from every client against DynamoDB's rules (see
            ``docs/fidelity.md``). ``False`` gives moto's own, laxer behaviour.
        patch_env: Patch AWS environment variables with fake credentials while active (and
            export ``AIODYNAMODB_TABLE_PREFIX``, so clients the code under test builds use
            the same prefix).
        table_prefix: Prefix for the tables; by default ``$AIODYNAMODB_TABLE_PREFIX`` or none.
        server: Serve the tables over HTTP on a loopback port rather than in-process.
    """

    def __init__(
        self,
        *,
        strict: bool = True,
        patch_env: bool = True,
        table_prefix: str | None = None,
        server: bool = False,
    ) -> None:
        self.strict = strict
        self.server = server
        self.endpoint_url: str | None = None
        self._server: Any = None
        self.patch_env = patch_env
        self.table_prefix = (
            table_prefix if table_prefix is not None else os.environ.get(TABLE_PREFIX_ENV, "")
        )
        self._active = False
        self._stack: ExitStack | None = None
        self._client: Any = None
        # Each empty table as created, with the moto account and region it lives in (the
        # ones the shared client's requests land in: the user's region and account when
        # the environment is theirs).
        self._pristine: dict[
            tuple[type[DynamoModel], str], tuple[str, str, _moto.TableSnapshot]
        ] = {}
        # The table objects the last reset put in moto, by the same keys: the next reset
        # keeps those no request changed (_fresh_tables) rather than restoring new copies.
        self._live: dict[tuple[type[DynamoModel], str], Any] = {}
        self._live_since = 0  # _moto.CHANGES.now when they were put there
        # What the last ready() found true: its models, and table_models() of them.
        self._checked: tuple[tuple[type[DynamoModel], ...], list[type[DynamoModel]]] | None = None
        # The DynamoDB reset() handed out, and every DynamoDB created while it was open (in
        # the test, or the mock_dynamodb block): refused when the next test starts or the
        # mock stops, so none of them opens a client of its own afterwards. Clients created
        # between tests (a module-scoped fixture's) are the user's to keep.
        self._handed: DynamoDB | None = None
        self._born: weakref.WeakSet[DynamoDB] = weakref.WeakSet()

    @property
    def active(self) -> bool:
        """Whether the mock is currently active."""
        return self._active

    def activate(self) -> None:
        """Patch the environment and start the mock, unless already active."""
        if self._active:
            return
        aiomoto = import_aiomoto()
        stack = ExitStack()
        try:
            if self.server:
                self._start_server()
            if not self.server:
                mock = aiomoto.mock_aws()
                mock.start()
                stack.callback(mock.stop)
            # After the mock: moto sets credentials of its own when it starts.
            if self.patch_env:
                extra = {TABLE_PREFIX_ENV: self.table_prefix}
                if self.endpoint_url is not None:
                    extra["AWS_ENDPOINT_URL_DYNAMODB"] = self.endpoint_url
                stack.enter_context(patched_environment(extra))
            # Every client created from now on is instrumented, so the request recorder
            # and fault injection work whether or not strict mode is on. With the server,
            # the chain runs in the server for every process's requests.
            stack.enter_context(intercepting())
            # Clients created before (or otherwise not instrumented) are answered through
            # the same chain where their requests reach moto.
            stack.enter_context(backend_hook())
            if self.strict:
                stack.enter_context(strict_layer())
            client_module.creation_hooks.append(self._record)
            stack.callback(client_module.creation_hooks.remove, self._record)
            stack.callback(self._end_clients)
        except BaseException:
            stack.close()
            raise
        self._stack = stack
        self._active = True

    def _record(self, db: DynamoDB) -> None:
        if self._handed is not None and not self._handed.closed:
            self._born.add(db)

    def _end_clients(self) -> None:
        born = list(self._born)
        self._born.clear()
        self._handed = None
        for db in born:
            db._refuse(MOCK_ENDED_MESSAGE)

    def deactivate(self) -> None:
        """Stop the mock and restore the environment (no-op when inactive)."""
        stack, self._stack, self._active = self._stack, None, False
        if stack is not None:
            stack.close()

    async def close(self) -> None:
        """Deactivate, close the shared client and stop the server."""
        client, self._client = self._client, None
        if client is not None:
            await client.close()
        self.deactivate()
        server, self._server = self._server, None
        if server is not None:
            server.stop()
            self.endpoint_url = None

    def _start_server(self) -> None:
        if self._server is not None:
            return
        from aiodynamodb.testing.server import DynamoDBServer

        # The strict layer is this object's own (activate), so the server adds none.
        server = DynamoDBServer(port=0, strict=False).start()
        self._server = server
        self.endpoint_url = server.endpoint_url

    async def reset(self, models: Iterable[type[DynamoModel]]) -> DynamoDB:
        """Discard all mocked state and give exactly ``models``' tables, empty.

        Returns:
            A ``DynamoDB`` on the shared low-level client (closing it leaves that open);
            with ``server=True`` a new client of the server, for the caller to close.
        """
        models = table_models(models)  # one per table; a conflict fails before anything
        fresh = self._discard_state()
        if self.server:
            db = DynamoDB(
                endpoint_url=self.endpoint_url,
                region_name=client_region(),
                table_prefix=self.table_prefix,
            )
        else:
            db = DynamoDB(client=await self._shared_client(), table_prefix=self.table_prefix)
        self._hand(db)
        found: dict[tuple[str, str], dict[str, Any]] = {}  # moto's tables, looked up once
        for model in models:
            name = self.table_prefix + table_meta(model).name
            if not self._restore(model, name, found, fresh):
                await db.create_table(model)
                region = (await db.low_level_client()).meta.region_name
                account, table = _find_table(name, region)
                self._pristine[(model, name)] = (account, region, _moto.TableSnapshot(table))
                # Not kept in _live: CreateTable was noted as a change of anything, so the
                # next reset discards everything anyway.
        return db

    def ready(self, models: Iterable[type[DynamoModel]]) -> bool:
        """Whether :meth:`reset_now` can serve ``models``: in process (not ``server``), the
        shared client open and each model's table created once before, by :meth:`reset`."""
        given = tuple(models)
        tables = table_models(given)
        ready = self._ready(tables)
        # reset_now() with the same models (the plugin's next call) skips both steps.
        self._checked = (given, tables) if ready else None
        return ready

    def _ready(self, models: list[type[DynamoModel]]) -> bool:
        if self.server or self._client is None:
            return False
        prefix = self.table_prefix
        pristine = self._pristine
        return all((model, prefix + table_meta(model).name) in pristine for model in models)

    def reset_now(self, models: Iterable[type[DynamoModel]]) -> DynamoDB:
        """:meth:`reset` without awaiting anything, for a caller with no event loop (the
        pytest plugin's fixture); only when :meth:`ready` says so.

        Returns:
            A ``DynamoDB`` on the shared low-level client; :meth:`release_now` closes it.

        Raises:
            RuntimeError: Not :meth:`ready` (nothing was changed).
        """
        given = tuple(models)
        checked, self._checked = self._checked, None
        if checked is not None and checked[0] == given and self._client is not None:
            tables = checked[1]
        else:
            tables = table_models(given)
            if not self._ready(tables):
                raise RuntimeError(NOT_READY_MESSAGE)
        fresh = self._discard_state()
        db = self._hand(DynamoDB(client=self._client, table_prefix=self.table_prefix))
        found: dict[tuple[str, str], dict[str, Any]] = {}
        for model in tables:
            self._restore(model, self.table_prefix + table_meta(model).name, found, fresh)
        return db

    def release_now(self, db: DynamoDB) -> None:
        """Close ``db``, a client :meth:`reset_now` gave, without awaiting (its low-level
        client is the shared one, which stays open)."""
        db._connection.close_borrowed()

    def _discard_state(self) -> dict[tuple[type[DynamoModel], str], Any]:
        """Discard moto's state; return the tables of the last reset still as restored."""
        self.activate()
        self._end_clients()  # the previous test's
        fresh = self._fresh_tables()
        _moto.reset_state()
        return fresh

    def _fresh_tables(self) -> dict[tuple[type[DynamoModel], str], Any]:
        """The table objects the last reset put in moto that no request changed since.

        Three checks, each enough to refuse: a request that may change more than items was
        noted (or one naming the table changed its items); moto no longer holds that very
        object under that name (moto swaps a table for a copy when a transaction fails);
        the table holds any partition (moto adds an empty one on some reads).
        """
        live, self._live = self._live, {}
        changes, since = _moto.CHANGES, self._live_since
        self._live_since = changes.now
        if not live or changes.anything_since(since):
            return {}
        fresh: dict[tuple[type[DynamoModel], str], Any] = {}
        found: dict[tuple[str, str], dict[str, Any]] = {}
        for key, table in live.items():
            name = key[1]
            if changes.changed(name, since) or not changes.unchanged(table):
                continue
            account, region, _ = self._pristine[key]
            tables = found.get((account, region))
            if tables is None:
                tables = found[account, region] = _moto.dynamodb_tables(account, region)
            if tables.get(name) is table:
                fresh[key] = table
        return fresh

    def _hand(self, db: DynamoDB) -> DynamoDB:
        self._handed = db
        self._born.add(db)
        return db

    def _restore(
        self,
        model: type[DynamoModel],
        name: str,
        found: dict[tuple[str, str], dict[str, Any]],
        fresh: dict[tuple[type[DynamoModel], str], Any],
    ) -> bool:
        """Put ``model``'s table, empty as created, in moto: the previous test's if it is in
        ``fresh``, else a new copy of the pristine one; False if there is none."""
        key = (model, name)
        pristine = self._pristine.get(key)
        if pristine is None:
            return False
        account, region, snapshot = pristine
        tables = found.get((account, region))
        if tables is None:
            tables = found[account, region] = _moto.dynamodb_tables(account, region)
        table = fresh.get(key)
        if table is None:
            table = snapshot.restore()
        tables[name] = self._live[key] = table
        return True

    async def _shared_client(self) -> Any:
        if self._client is None:
            from botocore.config import Config

            # ``_create_client`` (which aiomoto patches to route the client to moto) rather
            # than ``create_client``: no aiohttp session is opened, so the client is bound
            # to no event loop and serves tests that each run in their own loop. The shared
            # session gives it the exception classes every DynamoDB() client has.
            self._client = await create_unbound_client(
                default_session(),
                "dynamodb",
                region_name=client_region(),
                config=Config(parameter_validation=False),  # as DynamoDB() creates its own
            )
            install_direct_wire(self._client)
        return self._client


def client_region() -> str:
    """The region a client created now without ``region_name`` talks to, so the mock's own
    clients and the code under test's meet in one region: botocore's (``AWS_DEFAULT_REGION``,
    the profile), else ``AWS_REGION`` (which botocore does not read, but which names the
    user's region where it is the only one set), else ``us-east-1``."""
    region = default_session().get_config_variable("region") or os.environ.get("AWS_REGION")
    return str(region) if region else FAKE_REGION


def _find_table(name: str, region: str) -> tuple[str, Any]:
    """The moto account holding the table ``name`` just created in ``region``, and the table.

    moto picks the account per request (``MOTO_ACCOUNT_ID``, the access key, a default),
    so the table is looked up where the request put it rather than where we guess.
    """
    from moto.dynamodb.models import dynamodb_backends

    for account, regions in list(dict.items(dynamodb_backends)):
        backend = dict.get(regions, region)
        table = None if backend is None else backend.tables.get(name)
        if table is not None:
            return account, table
    raise LookupError(f"moto holds no table {name!r} in {region} after creating it")


__all__ = [
    "MISSING_EXTRA_MESSAGE",
    "NOT_READY_MESSAGE",
    "MemoryDynamoDB",
    "MissingExtraError",
    "client_region",
    "import_aiomoto",
]
