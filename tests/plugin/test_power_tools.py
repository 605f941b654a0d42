"""The testing power tools, used from a test project as users will: request budgets, fault
injection, TTL time travel, seeding and snapshots."""

from __future__ import annotations

import json

import pytest


def test_call_budget_failure_lists_the_calls(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_it="""
        import pytest
        from boto3.dynamodb.conditions import Key
        from models import User, Order

        pytestmark = pytest.mark.dynamodb_tables(User, Order)

        async def orders_of_each_user(db, user_ids):  # an N+1 pattern
            return [
                await db.query(Order, key_condition_expression=Key("order_id").eq(u)).all()
                for u in user_ids
            ]

        async def test_budget(dynamodb, dynamodb_calls):
            with dynamodb_calls.at_most(2):
                await orders_of_each_user(dynamodb, ["a", "b", "c"])
        """
    )
    result = project.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "E       AssertionError: expected at most 2 DynamoDB calls, 3 were made:",
            "E         1. Query orders -> 0 item(s)",
            "E         2. Query orders -> 0 item(s)",
            "E         3. Query orders -> 0 item(s)",
        ]
    )


def test_call_budget_per_operation_and_no_scans(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_it="""
        import pytest
        from aiodynamodb import DynamoDB
        from models import User

        pytestmark = pytest.mark.dynamodb_tables(User)

        async def test_within_budget(dynamodb, dynamodb_calls):
            with dynamodb_calls.at_most(1, "PutItem"), dynamodb_calls.no_scans():
                await dynamodb.put(User(user_id="u1"))
                await dynamodb.get(User, hash_key="u1")
            assert dynamodb_calls.count("GetItem") == 1

        async def test_own_client_is_recorded_too(dynamodb, dynamodb_calls):
            async with DynamoDB() as own:
                await own.scan(User).all()
            dynamodb_calls.assert_no_scans()

        async def test_one_put_allowed(dynamodb, dynamodb_calls):
            with dynamodb_calls.at_most(1, "PutItem"):
                await dynamodb.put(User(user_id="u1"))
                await dynamodb.put(User(user_id="u2"))

        async def test_no_calls_allowed(dynamodb, dynamodb_calls):
            with dynamodb_calls.at_most(0):
                await dynamodb.get(User, hash_key="u1")
        """
    )
    result = project.runpytest()
    result.assert_outcomes(passed=1, failed=3)
    result.stdout.fnmatch_lines(
        [
            "E       AssertionError: expected no Scan, 1 was made:",
            "E         1. Scan users -> 0 item(s)",
        ]
    )
    result.stdout.fnmatch_lines(
        ["E       AssertionError: expected at most 1 PutItem call, 2 were made:"]
    )
    result.stdout.fnmatch_lines(
        ["E       AssertionError: expected at most 0 DynamoDB calls, 1 was made:"]
    )


def test_fault_injection_throttles_then_succeeds(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_it="""
        import pytest
        from botocore.config import Config
        from aiodynamodb import DynamoDB
        from models import User

        pytestmark = pytest.mark.dynamodb_tables(User)

        async def test_retried_by_botocore(dynamodb, dynamodb_faults, dynamodb_calls):
            dynamodb_faults.fail("PutItem", error="ThrottlingException", times=2)
            await dynamodb.put(User(user_id="u1"))
            assert [c.error for c in dynamodb_calls.matching("PutItem")] == [
                "ThrottlingException", "ThrottlingException", None
            ]

        async def test_surfaces_when_retries_are_off(dynamodb, dynamodb_faults):
            dynamodb_faults.fail("GetItem", error="InternalServerError", table=User)
            ex = await dynamodb.exceptions()
            async with DynamoDB(config=Config(retries={"total_max_attempts": 1})) as db:
                with pytest.raises(ex.InternalServerError, match="Internal server error"):
                    await db.get(User, hash_key="u1")
        """
    )
    project.runpytest().assert_outcomes(passed=2)


@pytest.mark.parametrize(
    ("retries", "attempts"),
    [
        ('{"mode": "legacy"}', 10),  # DynamoDB's own legacy policy: 10 attempts
        ('{"mode": "standard", "total_max_attempts": 4}', 4),
        ('{"mode": "standard"}', 3),
    ],
    ids=["legacy", "standard-4", "standard-default"],
)
def test_persistent_fault_makes_every_attempt_without_waiting(
    project: pytest.Pytester, retries: str, attempts: int
) -> None:
    project.makepyfile(
        test_it=f"""
        import logging
        import pytest
        from botocore.config import Config
        from aiodynamodb import DynamoDB
        from models import User

        pytestmark = pytest.mark.dynamodb_tables(User)

        async def test_throttled(dynamodb, dynamodb_faults, dynamodb_calls, caplog):
            fault = dynamodb_faults.fail("PutItem", error="ThrottlingException", times=None)
            ex = await dynamodb.exceptions()
            caplog.set_level(logging.DEBUG, logger="botocore.endpoint")
            async with DynamoDB(config=Config(retries={retries})) as db:
                with pytest.raises(ex.ThrottlingException) as raised:
                    await db.put(User(user_id="u1"))
            assert fault.fired == {attempts}
            assert dynamodb_calls.count("PutItem") == {attempts}
            metadata = raised.value.response["ResponseMetadata"]
            assert metadata["RetryAttempts"] == {attempts} - 1
            assert metadata["HTTPHeaders"]["x-aiodynamodb-injected-fault"] == "error"
            # aiobotocore logs (on botocore's logger) each back-off it sleeps before a retry.
            sleeps = [
                r.args[0] for r in caplog.records
                if r.getMessage().startswith("Response received to retry, sleeping")
            ]
            assert sleeps == [0] * ({attempts} - 1)
        """
    )
    project.runpytest().assert_outcomes(passed=1)


def test_real_errors_after_a_fault_keep_botocores_delays(project: pytest.Pytester) -> None:
    # Only responses a fault made up skip the back-off: a retried error from the backend
    # (here a user's interceptor standing in for a throttling server) still waits.
    project.makepyfile(
        test_it="""
        import logging
        import pytest
        from aiodynamodb.testing.intercept import DynamoResponse, add_interceptor
        from models import User

        pytestmark = pytest.mark.dynamodb_tables(User)

        async def test_delays(dynamodb, dynamodb_faults, caplog):
            dynamodb_faults.fail("PutItem", error="ThrottlingException", times=1)
            seen = []

            async def throttle_once(call, proceed):
                seen.append(call.operation)
                if len(seen) == 1:  # the retry of the injected fault: a "real" throttle
                    return DynamoResponse.error("ThrottlingException", "slow down")
                return await proceed()

            caplog.set_level(logging.DEBUG, logger="botocore.endpoint")
            with add_interceptor(throttle_once, priority=2000):
                await dynamodb.put(User(user_id="u1"))
            sleeps = [
                r.args[0] for r in caplog.records
                if r.getMessage().startswith("Response received to retry, sleeping")
            ]
            assert len(sleeps) == 2
            assert sleeps[0] == 0 and sleeps[1] > 0
        """
    )
    project.runpytest().assert_outcomes(passed=1)


def test_fault_injection_cancels_a_transaction(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_it="""
        import pytest
        from aiodynamodb import Put
        from models import User

        pytestmark = pytest.mark.dynamodb_tables(User)

        async def test_cancel(dynamodb, dynamodb_faults):
            dynamodb_faults.cancel_transaction(["None", "TransactionConflict"])
            ex = await dynamodb.exceptions()
            with pytest.raises(ex.TransactionCanceledException) as info:
                await dynamodb.transact_write(Put(User(user_id="a")), Put(User(user_id="b")))
            assert [r.code for r in info.value.reasons] == ["None", "TransactionConflict"]
            assert await dynamodb.scan(User).all() == []
        """
    )
    project.runpytest().assert_outcomes(passed=1)


def test_fault_with_unknown_error_needs_a_message(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_it="""
        async def test_bad(dynamodb, dynamodb_faults):
            dynamodb_faults.fail("PutItem", error="Oops")
        """
    )
    result = project.runpytest()
    result.stdout.fnmatch_lines(
        [
            "E * ValueError: FaultInjector.fail(error='Oops'): pass one of "
            "ProvisionedThroughputExceededException, *, or message= with your own text"
        ]
    )


def test_ttl_time_travel_expires_items(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_it="""
        import time
        import pytest
        from aiodynamodb import DynamoModel, table

        @table("sessions", hash_key="sid", ttl_attribute="expires_at")
        class Session(DynamoModel):
            sid: str
            expires_at: int | None = None

        pytestmark = pytest.mark.dynamodb_tables(Session)

        async def test_expiry(dynamodb, dynamodb_ttl):
            now = int(dynamodb_ttl.now)
            await dynamodb.batch_write(puts=[
                Session(sid="short", expires_at=now + 60),
                Session(sid="long", expires_at=now + 7200),
                Session(sid="forever"),
                Session(sid="ancient", expires_at=now - 6 * 365 * 86400),
            ])
            assert await dynamodb_ttl.sweep() == 0
            dynamodb_ttl.advance(minutes=5)
            assert await dynamodb_ttl.sweep(Session) == 1
            left = sorted(s.sid for s in await dynamodb.scan(Session).all())
            assert left == ["ancient", "forever", "long"]
            dynamodb_ttl.advance(hours=2)
            assert await dynamodb_ttl.sweep() == 1
        """
    )
    project.runpytest().assert_outcomes(passed=1)


def test_seed_marker_with_items_and_a_json_file(project: pytest.Pytester) -> None:
    project.makefile(
        ".json",
        seed=json.dumps(
            {
                "users": [{"user_id": "f1", "name": "From file"}],
                "Order": [{"order_id": "o1", "created_at": "x"}],
            }
        ),
    )
    project.makepyfile(
        test_it="""
        import pytest
        from aiodynamodb.testing.seeding import table_contents
        from models import User, Order

        @pytest.mark.dynamodb_tables(Order)
        @pytest.mark.dynamodb_seed(User(user_id="b2", name="Bo"), User(user_id="a1", name="Al"),
                                   file="seed.json")
        async def test_seeded(dynamodb):
            assert await table_contents(dynamodb, User) == [
                User(user_id="a1", name="Al"),
                User(user_id="b2", name="Bo"),
                User(user_id="f1", name="From file"),
            ]
            assert await table_contents(dynamodb, Order) == [Order(order_id="o1", created_at="x")]
        """
    )
    project.runpytest().assert_outcomes(passed=1)


def test_seed_file_with_a_bad_row_names_file_row_and_model(project: pytest.Pytester) -> None:
    project.makefile(".json", seed=json.dumps({"users": [{"name": "no key"}]}))
    project.makepyfile(
        test_it="""
        import pytest
        from models import User

        @pytest.mark.dynamodb_seed(file="seed.json")
        @pytest.mark.dynamodb_tables(User)
        async def test_seeded(dynamodb):
            pass
        """
    )
    result = project.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["seed file *seed.json: row 0 of 'users' is not a valid User: 1 validation error for User"]
    )
    assert "Traceback" not in result.stdout.str()


def test_seed_marker_with_a_non_model_is_a_usage_error(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_it="""
        import pytest

        @pytest.mark.dynamodb_seed({"user_id": "u1"})
        async def test_seeded(dynamodb):
            pass
        """
    )
    result = project.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: @pytest.mark.dynamodb_seed on test_it.py::test_seeded got "
            "{'user_id': 'u1'} (dict); expected instances*"
        ]
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            "User",
            "ERROR: @pytest.mark.dynamodb_seed on test_it.py::test_seeded got the class "
            "models.User, not a model instance; it takes instances to put in the tables, "
            "e.g. @pytest.mark.dynamodb_seed(User(...)); for an empty table use "
            "@pytest.mark.dynamodb_tables(User)",
        ),
        (
            "User(user_id='u1'), Order",
            "ERROR: @pytest.mark.dynamodb_seed on test_it.py::test_seeded got the class "
            "models.Order, not a model instance; *",
        ),
    ],
    ids=["lone-class", "class-among-instances"],
)
def test_seed_marker_with_a_model_class_is_a_usage_error(
    project: pytest.Pytester, args: str, expected: str
) -> None:
    project.makepyfile(
        test_it=f"""
        import pytest
        from models import Order, User

        @pytest.mark.dynamodb_seed({args})
        async def test_seeded(dynamodb):
            pass
        """
    )
    result = project.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([expected])
    assert "Traceback" not in result.stderr.str()


def test_capacity_budget_failure_lists_the_units(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_it="""
        import pytest
        from models import User

        pytestmark = pytest.mark.dynamodb_tables(User)

        async def test_within(dynamodb, dynamodb_calls):
            with dynamodb_calls.capacity_at_most(read=0.5, write=1):
                await dynamodb.put(User(user_id="u1", name="Ann"))
                await dynamodb.get(User, hash_key="u1")
            assert dynamodb_calls.write_units("PutItem") == 1
            assert dynamodb_calls.read_units() == 0.5

        async def test_over(dynamodb, dynamodb_calls):
            with dynamodb_calls.capacity_at_most(read=1):
                await dynamodb.put(User(user_id="u1", name="Ann"))
                for _ in range(3):
                    await dynamodb.get(User, hash_key="u1")
        """
    )
    result = project.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "E       AssertionError: expected at most 1 read capacity units, 1.5 were consumed:",
            "E         1. PutItem users -> 1 item(s), 1 WCU",
            "E         2. GetItem users -> 1 item(s), 0.5 RCU",
        ]
    )
