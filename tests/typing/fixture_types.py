"""The power-tool fixtures, annotated with the types ``pytest_aiodynamodb`` exports."""

from __future__ import annotations

from typing import assert_type

import pytest_aiodynamodb
from aiodynamodb import DynamoDB, DynamoModel, table
from pytest_aiodynamodb import (
    CallBudget,
    CallRecorder,
    FaultInjector,
    RecordedCall,
    TTLClock,
    dynamodb_tables,
    table_contents,
)


@table("sessions", hash_key="sid", ttl_attribute="expires_at")
class Session(DynamoModel):
    sid: str
    expires_at: int


@dynamodb_tables(Session)
async def test_tools(
    dynamodb: DynamoDB,
    dynamodb_calls: CallRecorder,
    dynamodb_faults: FaultInjector,
    dynamodb_ttl: TTLClock,
) -> None:
    dynamodb_faults.fail("PutItem", error="ThrottlingException", times=1)
    with dynamodb_calls.at_most(3, "PutItem") as budget:
        assert_type(budget, CallBudget)
        await dynamodb.put(Session(sid="s1", expires_at=int(dynamodb_ttl.now) + 60))
    calls = dynamodb_calls.matching("PutItem")
    assert_type(calls, list[RecordedCall])
    assert_type(dynamodb_ttl.advance(minutes=2), float)
    assert_type(await dynamodb_ttl.sweep(Session), int)
    assert_type(await table_contents(dynamodb, Session), list[Session])


assert_type(pytest_aiodynamodb.__all__, list[str])
