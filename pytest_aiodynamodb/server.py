"""The ``server`` backend: the in-memory tables served by moto over HTTP on a loopback port.

For tests whose code under test runs in another process (an app server, a CLI): the
``dynamodb_endpoint_url`` fixture gives the URL, and ``AWS_ENDPOINT_URL_DYNAMODB`` points
there while tests run, so subprocesses that inherit the environment reach it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aiodynamodb import TABLE_PREFIX_ENV, DynamoDB, DynamoModel
from aiodynamodb.testing import MemoryDynamoDB
from aiodynamodb.testing.environment import FAKE_REGION
from pytest_aiodynamodb.clients import dedicated_client
from pytest_aiodynamodb.settings import Settings


class ServerBackend:
    """moto's server in a thread of this process; tables restored per test like memory."""

    name = "server"
    fake_credentials = True

    def __init__(self, settings: Settings) -> None:
        self.memory = MemoryDynamoDB(
            strict=settings.strict, patch_env=False, table_prefix=settings.table_prefix, server=True
        )

    def environment(self) -> dict[str, str]:
        self.memory.activate()
        assert self.memory.endpoint_url is not None
        return {
            TABLE_PREFIX_ENV: self.memory.table_prefix,
            "AWS_ENDPOINT_URL_DYNAMODB": self.memory.endpoint_url,
        }

    def prepare(self) -> None:
        self.memory.activate()

    @property
    def endpoint_url(self) -> str | None:
        """The server's URL, once started."""
        return self.memory.endpoint_url

    async def start_test(
        self, models: Sequence[type[DynamoModel]], client_settings: dict[str, Any]
    ) -> DynamoDB:
        db = await self.memory.reset(models)
        if not client_settings:
            return db
        await db.close()
        return dedicated_client(
            client_settings, self.memory.table_prefix, endpoint_url=self.memory.endpoint_url
        )

    async def end_test(self, db: DynamoDB) -> None:
        await db.close()

    def between_tests(self, next_needs_dynamodb: bool) -> None:
        if not next_needs_dynamodb:
            self.memory.deactivate()

    async def finish(self) -> None:
        await self.memory.close()

    def sync_client_kwargs(self) -> dict[str, Any]:
        return {"region_name": FAKE_REGION, "endpoint_url": self.memory.endpoint_url}
