"""Where the ``dynamodb`` fixture's tables live: the backends behind ``--dynamodb-backend``.

- ``memory`` (default): aiomoto's in-process mock, through ``aiodynamodb.testing``.
- ``server``: moto's server on a loopback port, so other processes can reach the tables.
- ``endpoint``: any DynamoDB-compatible server (see :mod:`pytest_aiodynamodb.endpoint`).

This module is imported only when a test first asks for ``dynamodb``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from aiodynamodb import TABLE_PREFIX_ENV, DynamoDB, DynamoModel
from aiodynamodb.testing import MemoryDynamoDB
from aiodynamodb.testing.environment import FAKE_REGION
from pytest_aiodynamodb.clients import dedicated_client
from pytest_aiodynamodb.report import item_text
from pytest_aiodynamodb.settings import Settings


class Backend(Protocol):
    """What the plugin needs from a backend."""

    name: str
    fake_credentials: bool

    @property
    def endpoint_url(self) -> str | None:
        """Where other processes reach the tables, or None (in-process only)."""

    def environment(self) -> dict[str, str]:
        """Variables set while a test runs (on top of fake credentials if ``fake_credentials``)."""

    def prepare(self) -> None:
        """Start what must run before the test's clients exist (the mock); idempotent."""

    async def start_test(
        self, models: Sequence[type[DynamoModel]], client_settings: dict[str, Any]
    ) -> DynamoDB:
        """Make exactly ``models``' tables exist and be empty; return the test's client."""

    async def end_test(self, db: DynamoDB) -> None:
        """Release what :meth:`start_test` opened for one test."""

    def between_tests(self, next_needs_dynamodb: bool) -> None:
        """Called after each test that used the fixture, knowing whether the next one does."""

    async def finish(self) -> None:
        """Called once at the end of the session: stop servers, remove tables."""

    def sync_client_kwargs(self) -> dict[str, Any]:
        """Arguments for a synchronous botocore client that reaches the same tables."""


_SHARED_CLIENT_KEYS = frozenset({"batch_max_attempts", "batch_base_delay", "batch_max_delay"})


class MemoryBackend:
    """The in-process mock; tables are restored from pristine copies for every test."""

    name = "memory"
    endpoint_url: str | None = None
    fake_credentials = True

    def __init__(self, settings: Settings) -> None:
        self.memory = MemoryDynamoDB(
            strict=settings.strict, patch_env=False, table_prefix=settings.table_prefix
        )

    def environment(self) -> dict[str, str]:
        return {TABLE_PREFIX_ENV: self.memory.table_prefix}

    def prepare(self) -> None:
        self.memory.activate()

    async def start_test(
        self, models: Sequence[type[DynamoModel]], client_settings: dict[str, Any]
    ) -> DynamoDB:
        db = await self.memory.reset(models)
        if not client_settings:
            return db
        if set(client_settings) <= _SHARED_CLIENT_KEYS:
            return DynamoDB(
                client=await db.low_level_client(),
                table_prefix=db.table_prefix,
                **client_settings,
            )
        return dedicated_client(client_settings, db.table_prefix)

    async def end_test(self, db: DynamoDB) -> None:
        await db.close()

    def ready(self, models: Sequence[type[DynamoModel]]) -> bool:
        """Whether :meth:`start_test_now` can serve ``models`` (each table made once before)."""
        return self.memory.ready(models)

    def start_test_now(self, models: Sequence[type[DynamoModel]]) -> DynamoDB:
        """:meth:`start_test` with no client settings, without an event loop (when ready)."""
        return self.memory.reset_now(models)

    def end_test_now(self, db: DynamoDB) -> None:
        """:meth:`end_test` for a client :meth:`start_test_now` gave."""
        self.memory.release_now(db)

    def between_tests(self, next_needs_dynamodb: bool) -> None:
        if not next_needs_dynamodb:
            self.memory.deactivate()

    async def finish(self) -> None:
        await self.memory.close()

    def sync_client_kwargs(self) -> dict[str, Any]:
        return {"region_name": FAKE_REGION}


def make_backend(settings: Settings) -> Backend:
    """The backend ``settings.backend`` names."""
    if settings.backend == "server":
        from pytest_aiodynamodb.server import ServerBackend

        return ServerBackend(settings)
    if settings.backend == "endpoint":
        from pytest_aiodynamodb.endpoint import EndpointBackend

        return EndpointBackend(settings)
    return MemoryBackend(settings)


def dump_tables(
    backend: Backend, table_names: Sequence[str], max_items: int, max_bytes: int
) -> str:
    """The contents of ``table_names`` as text, bounded, for a failed test's report.

    At most ``max_items`` items per table and ``max_bytes`` characters in all; what is
    cut is said, never silently dropped.
    """
    import botocore.session

    client = botocore.session.get_session().create_client(
        "dynamodb", **backend.sync_client_kwargs()
    )
    lines: list[str] = []
    budget = max_bytes
    try:
        for name in table_names:
            try:
                response = client.scan(TableName=name, Limit=max_items + 1)
            except Exception as error:  # the report must not hide the test's own failure
                lines.append(f"table {name}: could not be read ({error})")
                continue
            items = response.get("Items", [])
            more = len(items) > max_items or "LastEvaluatedKey" in response
            shown = items[:max_items]
            lines.append(
                f"table {name}: {len(shown)} item(s) shown"
                + (f" (more not shown: limit of {max_items} items per table)" if more else "")
            )
            for raw in shown:
                text = item_text(raw)
                if len(text) + 2 > budget:
                    lines.append(f"  ... cut: the report is limited to {max_bytes} characters")
                    return "\n".join(lines)
                budget -= len(text) + 2
                lines.append("  " + text)
    finally:
        client.close()
    return "\n".join(lines)


__all__ = ["Backend", "MemoryBackend", "dump_tables", "make_backend"]
