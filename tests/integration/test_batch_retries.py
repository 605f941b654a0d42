"""Batch retries counted once across botocore's retries and ours: with DynamoDB refusing
every attempt, the number of HTTP attempts stays within what docs/batches-transactions.md
promises (the recorder and the fault injector count attempts, not calls)."""

from __future__ import annotations

import pytest
from botocore.config import Config

from aiodynamodb import BatchWriteError, DynamoDB
from aiodynamodb.testing.faults import FaultInjector
from aiodynamodb.testing.recorder import CallRecorder

from .models import User

pytestmark = pytest.mark.dynamodb_tables(User)

BOTOCORE_ATTEMPTS = 4  # botocore's own attempts per request (DynamoDB's default is 10)


def patient_client(batch_max_attempts: int) -> DynamoDB:
    return DynamoDB(
        # "legacy" is botocore's default mode; DynamoDB's back-off there starts at 50 ms.
        config=Config(retries={"total_max_attempts": BOTOCORE_ATTEMPTS, "mode": "legacy"}),
        batch_max_attempts=batch_max_attempts,
        batch_base_delay=0.001,
    )


async def test_persistent_throttling_is_retried_by_botocore_only(
    dynamodb: DynamoDB, dynamodb_faults: FaultInjector, dynamodb_calls: CallRecorder
) -> None:
    users = [User(user_id=f"u{i}", name="n") for i in range(3)]
    dynamodb_faults.fail(
        "BatchWriteItem", error="ProvisionedThroughputExceededException", times=None
    )
    async with patient_client(batch_max_attempts=5) as db:
        with pytest.raises(BatchWriteError, match="failed with ProvisionedThroughput") as info:
            await db.batch_write(puts=users)
    assert info.value.unprocessed == users
    # botocore's attempts, once: not multiplied by our rounds (that made 4 x 5 = 20).
    assert dynamodb_calls.count("BatchWriteItem") == BOTOCORE_ATTEMPTS


async def test_botocore_retries_count_against_the_batch_budget(
    dynamodb: DynamoDB, dynamodb_faults: FaultInjector, dynamodb_calls: CallRecorder
) -> None:
    users = [User(user_id=f"u{i}", name="n") for i in range(3)]
    # The first request is throttled three times (botocore retries), then answered with
    # everything unprocessed; so is every later one.
    dynamodb_faults.fail("BatchWriteItem", error="ThrottlingException", times=3)
    dynamodb_faults.unprocessed("BatchWriteItem", share=1.0, times=None)
    async with patient_client(batch_max_attempts=5) as db:
        with pytest.raises(BatchWriteError, match="3 of 3 items still unprocessed after 5") as info:
            await db.batch_write(puts=users)
    assert info.value.unprocessed == users
    attempts = dynamodb_calls.count("BatchWriteItem")
    assert attempts == 5  # 4 for the first send (3 throttled), 1 for the second
    assert attempts <= 5 + BOTOCORE_ATTEMPTS - 1  # the bound the docs state
