"""UpdateTimeToLive: at most one change per table per hour."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fidelity.helpers import Backend, refused

pytestmark = pytest.mark.not_on_dynalite("dynalite has no UpdateTimeToLive")


def spec(enabled: bool) -> dict[str, Any]:
    return {"AttributeName": "expires", "Enabled": enabled}


async def test_second_change_within_the_hour(ddb: Any, backend: Backend, hash_table: str) -> None:
    await ddb.update_time_to_live(TableName=hash_table, TimeToLiveSpecification=spec(True))
    await refused(
        backend,
        ddb.update_time_to_live(TableName=hash_table, TimeToLiveSpecification=spec(False)),
        "ValidationException",
        "Time to live has been modified multiple times within a fixed interval",
    )


async def test_disabling_what_is_not_enabled(ddb: Any, backend: Backend, hash_table: str) -> None:
    await refused(
        backend,
        ddb.update_time_to_live(TableName=hash_table, TimeToLiveSpecification=spec(False)),
        "ValidationException",
        "TimeToLive is already disabled",
    )


async def test_other_tables_are_independent(
    ddb: Any, hash_table: str, composite_table: str
) -> None:
    await ddb.update_time_to_live(TableName=hash_table, TimeToLiveSpecification=spec(True))
    await ddb.update_time_to_live(TableName=composite_table, TimeToLiveSpecification=spec(True))
