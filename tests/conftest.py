"""Suite-wide safety and backend awareness.

- Every test runs with real ``AWS_*`` variables removed, so no test can reach a real
  account by accident (the fixtures under test set their own fake ones).
- No test may crash the in-memory DynamoDB: a raw exception inside moto or an interceptor
  (recorded in ``aiodynamodb.testing.intercept.CRASHES``) fails the test that provoked it,
  unless the test takes it (``CRASHES.take()``) because it provokes it on purpose.
- ``@pytest.mark.not_on_dynalite(reason)`` skips a test when the endpoint backend runs on
  dynalite (which lacks e.g. transactions); the reason must name the dynalite limitation.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

pytest_plugins = ["pytester"]

SERVER_KIND_ENV = "AIODYNAMODB_SERVER_KIND"

CRASHED = (
    "this test crashed the in-memory DynamoDB {count} time(s): a request DynamoDB answers made "
    "moto (or an interceptor) raise. Refuse it in aiodynamodb/testing/strict.py (or the rules) "
    "with DynamoDB's own answer, or, if the test provokes it on purpose, take it with "
    "CRASHES.take().\n{crashes}"
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "not_on_dynalite(reason): skip on the endpoint backend when the server is dynalite",
    )


def on_dynalite(config: pytest.Config) -> bool:
    backend = config.getoption("dynamodb_backend", None) or os.environ.get("AIODYNAMODB_BACKEND")
    return backend == "endpoint" and os.environ.get(SERVER_KIND_ENV) == "dynalite"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not on_dynalite(config):
        return
    for item in items:
        mark = item.get_closest_marker("not_on_dynalite")
        if mark is not None:
            item.add_marker(pytest.mark.skip(reason=f"dynalite: {mark.args[0]}"))


@pytest.fixture(autouse=True)
def _no_real_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    """Remove real AWS settings; tests that need fake ones set them."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)


@pytest.fixture(autouse=True)
def _no_crashes() -> Iterator[None]:
    """Zero crashes of the in-memory DynamoDB over the suite, checked per test."""
    from aiodynamodb.testing.intercept import CRASHES

    CRASHES.take()
    yield
    crashes = CRASHES.take()
    if crashes:
        listed = "\n".join(f"  {c.operation} ({c.source}): {c.where}: {c.error}" for c in crashes)
        pytest.fail(CRASHED.format(count=len(crashes), crashes=listed), pytrace=False)
