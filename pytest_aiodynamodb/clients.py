"""A test's own ``DynamoDB`` client, for every backend.

Its own module so that ``backends`` (which picks the server and endpoint backends lazily)
and those backends (which build clients with it) do not import each other.
"""

from __future__ import annotations

from typing import Any

from aiodynamodb import DynamoDB
from aiodynamodb.testing.environment import FAKE_REGION


def dedicated_client(
    settings: dict[str, Any],
    prefix: str,
    *,
    endpoint_url: str | None = None,
    region_name: str = FAKE_REGION,
) -> DynamoDB:
    """A test's own ``DynamoDB`` built from the client-settings hook's keyword arguments;
    the backend's endpoint and region apply unless the hook names its own."""
    kwargs = dict(settings)
    kwargs.setdefault("region_name", region_name)
    if endpoint_url is not None:
        kwargs.setdefault("endpoint_url", endpoint_url)
    return DynamoDB(table_prefix=prefix, **kwargs)


__all__ = ["dedicated_client"]
