"""The endpoint backend empties its tables between tests with bounded, backed-off retries:
an endpoint that never processes the deletes (as a throttled AWS table may) is a clear
error naming the table, not an endless loop."""

from __future__ import annotations

import pytest

from tests.plugin.test_backends import dynalite, endpoint_args  # noqa: F401 (fixture)
from tests.servers.dynalite import DynaliteServer


def test_emptying_a_table_that_stays_throttled_gives_up_naming_it(
    project: pytest.Pytester,
    dynalite: DynaliteServer,  # noqa: F811
) -> None:
    project.makeconftest(
        """
        import pytest
        from aiodynamodb.testing.faults import FaultInjector

        def pytest_aiodynamodb_client_settings():
            return {"batch_max_attempts": 3, "batch_base_delay": 0.001}

        @pytest.fixture
        def deletes_never_processed():
            with FaultInjector() as faults:
                faults.unprocessed("BatchWriteItem", share=1.0, times=None)
                yield faults
        """
    )
    project.makepyfile(
        test_it="""
        import pytest
        from models import User

        pytestmark = pytest.mark.dynamodb_tables(User)

        async def test_writes(dynamodb):
            await dynamodb.put(User(user_id="u1"))

        async def test_next(deletes_never_processed, dynamodb):
            pass
        """
    )
    result = project.runpytest(*endpoint_args(dynalite))
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*RuntimeError: could not empty table 'aiodbt-*-users' on http://127.0.0.1:*"
            " before the test: 1 delete request(s) still unprocessed after 3 attempts*",
        ]
    )
