"""Testing power tools as fixtures: request recording and budgets, fault injection, TTL
time travel. Each works for every DynamoDB client the test creates, on every backend
(fault injection and the recorder hook into the client, not into moto).

Imported by the plugin module; imports nothing heavy until a fixture is used.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from aiodynamodb import DynamoDB
    from aiodynamodb.testing.faults import FaultInjector
    from aiodynamodb.testing.recorder import CallRecorder
    from aiodynamodb.testing.ttl import TTLClock


@pytest.fixture
def dynamodb_calls(dynamodb: DynamoDB) -> Iterator[CallRecorder]:
    """Records every DynamoDB call of the test, by any client; assert budgets on them.

    ``with dynamodb_calls.at_most(3): ...``, ``dynamodb_calls.at_most(1, "Query")``,
    ``dynamodb_calls.assert_no_scans()``, ``dynamodb_calls.count("PutItem")``; a failed
    budget lists the calls that were made, so an N+1 pattern is obvious.
    """
    from aiodynamodb.testing.recorder import CallRecorder

    with CallRecorder() as recorder:
        yield recorder


@pytest.fixture
def dynamodb_faults(dynamodb: DynamoDB) -> Iterator[FaultInjector]:
    """Makes DynamoDB misbehave for this test: errors, unprocessed batch items, cancellations.

    ``dynamodb_faults.fail("PutItem", error="ThrottlingException", times=2)``,
    ``dynamodb_faults.unprocessed("BatchWriteItem", share=0.5, times=10)``,
    ``dynamodb_faults.cancel_transaction(["None", "ConditionalCheckFailed"])``.
    """
    from aiodynamodb.testing.faults import FaultInjector

    with FaultInjector(table_prefix=dynamodb.table_prefix) as injector:
        yield injector


@pytest.fixture
def dynamodb_ttl(dynamodb: DynamoDB) -> TTLClock:
    """A virtual clock that expires items as DynamoDB's TTL sweeper would.

    ``dynamodb_ttl.advance(hours=2)`` then ``await dynamodb_ttl.sweep()`` deletes every item
    whose TTL attribute is at or before the clock (tables with TTL enabled only).
    """
    from aiodynamodb.testing.ttl import TTLClock

    return TTLClock(dynamodb)


__all__ = ["dynamodb_calls", "dynamodb_faults", "dynamodb_ttl"]
