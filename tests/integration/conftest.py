"""Integration tests use the plugin's ``dynamodb`` fixture, so the same files run on the
memory, server and endpoint backends (``--dynamodb-backend=...``).

``fresh_moto`` is for the tests that drive moto's DynamoDB directly through
``aiodynamodb.testing._moto`` (the contract tests, the capped pages' comparison)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from aiodynamodb.testing import _moto

MOTO_REGION = "us-east-1"
"""The region ``fresh_moto`` sets and the direct-moto tests send to."""


@pytest.fixture
def fresh_moto(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """moto's DynamoDB backends empty before and after the test, with fake credentials."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", MOTO_REGION)
    monkeypatch.delenv("MOTO_ACCOUNT_ID", raising=False)
    _moto.reset_backends()
    yield
    _moto.reset_backends()
