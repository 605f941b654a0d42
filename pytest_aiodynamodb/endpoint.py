"""The ``endpoint`` backend: tests run against any DynamoDB-compatible server.

DynamoDB Local, LocalStack, dynalite, moto's server, or AWS itself. Safety first, because
people point this at shared accounts:

- every table gets a prefix unique to the run and the xdist worker
  (``aiodbt-<unix time>-<random>-<worker>-``), so runs never share tables;
- the plugin empties and deletes only tables it created in this run;
- a real AWS endpoint (``*.amazonaws.com``) is refused unless explicitly allowed;
- tables left behind by a crashed run carry the prefix and its creation time, and
  ``--dynamodb-cleanup-older-than=SECONDS`` removes only those, only when old enough.

Tables are created once (waiting until ACTIVE), emptied at the start of every test that
needs them, and deleted when the session ends.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from collections.abc import Sequence
from contextlib import ExitStack
from typing import Any
from urllib.parse import urlparse

import pytest

from aiodynamodb import TABLE_PREFIX_ENV, DynamoDB, DynamoModel
from aiodynamodb.testing import table_models
from aiodynamodb.testing.environment import patched_environment
from pytest_aiodynamodb.clients import dedicated_client
from pytest_aiodynamodb.settings import Settings

RUN_PREFIX_RE = re.compile(r"aiodbt-(?P<created>\d{10})-[0-9a-f]{6}-[A-Za-z0-9]+-")

AWS_REFUSED = (
    "refusing to run tests against the real AWS endpoint {url}: the endpoint backend creates "
    "and deletes tables. If that is what you want, pass --dynamodb-allow-aws (or set "
    "AIODYNAMODB_ALLOW_AWS=true); the plugin still only touches tables it created."
)
UNREACHABLE = (
    "the DynamoDB endpoint {url} does not answer ({error}). Start the server, or check "
    "--dynamodb-endpoint / AIODYNAMODB_ENDPOINT."
)
EMPTYING_GAVE_UP = (
    "could not empty table {table!r} on {url} before the test: {count} delete request(s) "
    "still unprocessed after {attempts} attempts (the endpoint keeps throttling it). Its "
    "items are left as they were; raise batch_max_attempts in the "
    "pytest_aiodynamodb_client_settings hook, or give the table more capacity."
)
NOT_OURS = (
    "table {table!r} already exists on {url} and was not created by this test run; the "
    "plugin never uses or deletes tables it did not create. Choose another "
    "--dynamodb-table-prefix."
)


def is_aws_endpoint(url: str) -> bool:
    """Whether ``url`` is a real AWS endpoint."""
    host = (urlparse(url).hostname or "").lower()
    return host in ("amazonaws.com", "amazonaws.com.cn") or host.endswith(
        (".amazonaws.com", ".amazonaws.com.cn")
    )


def run_prefix(user_prefix: str, worker: str | None = None, now: float | None = None) -> str:
    """The table-name prefix of one run on one worker."""
    worker = worker or os.environ.get("PYTEST_XDIST_WORKER", "main")
    created = int(now if now is not None else time.time())
    return f"{user_prefix}aiodbt-{created:010d}-{secrets.token_hex(3)}-{worker}-"


def leftover_tables(
    names: Sequence[str], user_prefix: str, older_than: int, now: float
) -> list[str]:
    """Tables that a crashed run of this plugin left behind, older than ``older_than`` s."""
    found: list[str] = []
    for name in names:
        if not name.startswith(user_prefix):
            continue
        match = RUN_PREFIX_RE.match(name, len(user_prefix))
        if match and now - int(match.group("created")) >= older_than:
            found.append(name)
    return found


def _sync_client(settings: Settings, timeout: float = 3.0) -> Any:
    import botocore.session
    from botocore.config import Config

    session = botocore.session.get_session()
    return session.create_client(
        "dynamodb",
        endpoint_url=settings.endpoint,
        region_name=settings.region,
        config=Config(connect_timeout=timeout, read_timeout=timeout, retries={"max_attempts": 1}),
    )


def _local_env(settings: Settings) -> dict[str, str]:
    return {"AWS_ENDPOINT_URL_DYNAMODB": settings.endpoint, "AWS_DEFAULT_REGION": settings.region}


def check_endpoint(settings: Settings) -> None:
    """Refuse AWS unless allowed; make sure the endpoint answers; clean up old leftovers.

    Called once at session start, so a dead endpoint is one clear error, not a timeout
    in every test.
    """
    if is_aws_endpoint(settings.endpoint) and not settings.allow_aws:
        raise pytest.UsageError(AWS_REFUSED.format(url=settings.endpoint))
    with ExitStack() as stack:
        if not is_aws_endpoint(settings.endpoint):
            stack.enter_context(patched_environment(_local_env(settings)))
        client = _sync_client(settings)
        try:
            names = _list_tables(client)
        except Exception as error:
            raise pytest.UsageError(
                UNREACHABLE.format(url=settings.endpoint, error=error)
            ) from None
        if settings.cleanup_older_than is not None:
            for name in leftover_tables(
                names, settings.table_prefix, settings.cleanup_older_than, time.time()
            ):
                client.delete_table(TableName=name)
        client.close()


def _list_tables(client: Any) -> list[str]:
    names: list[str] = []
    kwargs: dict[str, Any] = {}
    while True:
        page = client.list_tables(**kwargs)
        names.extend(page.get("TableNames", []))
        if "LastEvaluatedTableName" not in page:
            return names
        kwargs["ExclusiveStartTableName"] = page["LastEvaluatedTableName"]


class EndpointBackend:
    """Tables on a real server, prefixed per run and worker, emptied between tests."""

    name = "endpoint"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.endpoint_url: str | None = settings.endpoint
        self.prefix = run_prefix(settings.table_prefix)
        self.created: dict[str, type[DynamoModel]] = {}
        # Real AWS needs the user's real credentials: only the table prefix is set then.
        self.real_aws = is_aws_endpoint(settings.endpoint)
        self.fake_credentials = not self.real_aws

    def environment(self) -> dict[str, str]:
        if self.real_aws:
            return {TABLE_PREFIX_ENV: self.prefix}
        return {**_local_env(self.settings), TABLE_PREFIX_ENV: self.prefix}

    def _client(self, client_settings: dict[str, Any]) -> DynamoDB:
        return dedicated_client(
            client_settings,
            self.prefix,
            endpoint_url=self.settings.endpoint,
            region_name=self.settings.region,
        )

    async def start_test(
        self, models: Sequence[type[DynamoModel]], client_settings: dict[str, Any]
    ) -> DynamoDB:
        db = self._client(client_settings)
        try:
            for model in table_models(models):
                name = db.table_name(model)
                if name in self.created:
                    table_models([self.created[name], model])  # an earlier test's schema
                    await _empty_table(db, name, self.settings.endpoint)
                    continue
                try:
                    await db.create_table(model)
                except Exception as error:
                    if _error_code(error) == "ResourceInUseException":
                        raise pytest.UsageError(
                            NOT_OURS.format(table=name, url=self.settings.endpoint)
                        ) from None
                    raise
                self.created[name] = model
        except BaseException:
            await db.close()
            raise
        return db

    async def end_test(self, db: DynamoDB) -> None:
        await db.close()

    def prepare(self) -> None:
        return None

    def between_tests(self, next_needs_dynamodb: bool) -> None:
        return None

    async def finish(self) -> None:
        """Delete exactly the tables this run created, and wait until they are gone."""
        if not self.created:
            return
        with patched_environment(self.environment(), fake_credentials=self.fake_credentials):
            async with self._client({}) as db:
                for name in list(self.created):
                    try:
                        await db._call("delete_table", {"TableName": name})
                    except Exception as error:
                        if _error_code(error) != "ResourceNotFoundException":
                            raise
                for name in list(self.created):
                    await _wait_until_deleted(db, name)
                    del self.created[name]

    def sync_client_kwargs(self) -> dict[str, Any]:
        return {"endpoint_url": self.settings.endpoint, "region_name": self.settings.region}


async def _wait_until_deleted(db: DynamoDB, name: str, max_wait: float = 60.0) -> None:
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + max_wait
    while loop.time() < deadline:
        try:
            await db._call("describe_table", {"TableName": name})
        except Exception as error:
            if _error_code(error) == "ResourceNotFoundException":
                return
            raise
        await asyncio.sleep(0.05)


def _error_code(error: BaseException) -> str:
    response = getattr(error, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


async def _empty_table(db: DynamoDB, name: str, url: str) -> None:
    """Delete every item of ``name`` (a table this run created)."""
    description = (await db._call("describe_table", {"TableName": name}))["Table"]
    keys = [entry["AttributeName"] for entry in description["KeySchema"]]
    names = {f"#k{i}": key for i, key in enumerate(keys)}
    params: dict[str, Any] = {
        "TableName": name,
        "ProjectionExpression": ", ".join(names),
        "ExpressionAttributeNames": names,
    }
    while True:
        page = await db._call("scan", params)
        items = page.get("Items", [])
        for start in range(0, len(items), 25):
            await _delete_keys(db, name, url, items[start : start + 25])
        if "LastEvaluatedKey" not in page:
            return
        params["ExclusiveStartKey"] = page["LastEvaluatedKey"]


async def _delete_keys(db: DynamoDB, name: str, url: str, keys: list[dict[str, Any]]) -> None:
    """Delete ``keys`` from ``name``, resending unprocessed ones as the client's batches do.

    The endpoint may be real AWS: unprocessed deletes are resent with the client's back-off
    (``db.retry``), and every HTTP attempt counts, botocore's own retries of a throttled
    request included, up to ``batch_max_attempts``; then a clear error names the table.
    """
    import asyncio

    policy = db.retry
    pending: list[dict[str, Any]] = [{"DeleteRequest": {"Key": key}} for key in keys]
    attempts = 0
    round_ = 0
    while True:
        response = await db._call("batch_write_item", {"RequestItems": {name: pending}})
        attempts += 1 + int((response.get("ResponseMetadata") or {}).get("RetryAttempts", 0))
        pending = (response.get("UnprocessedItems") or {}).get(name, [])
        if not pending:
            return
        if attempts >= policy.max_attempts:
            raise RuntimeError(
                EMPTYING_GAVE_UP.format(
                    table=name,
                    url=url,
                    count=len(pending),
                    attempts=attempts,
                )
            )
        await asyncio.sleep(policy.delay(round_))
        round_ += 1
