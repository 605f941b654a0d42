"""The ``dynamodb_stream`` fixture from a test project: a Lambda handler fed with the records
of the test's writes, readable failures, and a clear refusal on the endpoint backend."""

from __future__ import annotations

import pytest

from tests.plugin.test_backends import dynalite, endpoint_args  # noqa: F401 (fixture)
from tests.servers.dynalite import DynaliteServer

STREAM_MODELS = """
from aiodynamodb import DynamoModel, table


@table("carts", hash_key="cart_id", stream="NEW_AND_OLD_IMAGES")
class Cart(DynamoModel):
    cart_id: str
    items: int = 0


@table("plain", hash_key="pid")
class Plain(DynamoModel):
    pid: str
"""


def test_a_lambda_handler_gets_the_records_of_the_tests_writes(project: pytest.Pytester) -> None:
    project.makepyfile(stream_models=STREAM_MODELS)
    project.makepyfile(
        test_it="""
        import aiobotocore.session
        import pytest
        from aiodynamodb import DynamoDB
        from stream_models import Cart, Plain

        pytestmark = pytest.mark.dynamodb_tables(Cart, Plain)

        def on_cart_change(event, context):  # the code under test: a Lambda handler
            return [
                (r["eventName"], r["dynamodb"]["Keys"]["cart_id"]["S"],
                 r["dynamodb"].get("NewImage", {}).get("items", {}).get("N"))
                for r in event["Records"]
            ]

        async def test_handler(dynamodb, dynamodb_stream):
            await dynamodb.put(Cart(cart_id="c1"))
            async with DynamoDB() as own:  # the code under test's own client
                await own.put(Cart(cart_id="c1", items=2))
            session = aiobotocore.session.get_session()
            async with session.create_client("dynamodb") as raw:
                await raw.delete_item(
                    TableName=dynamodb.table_name(Cart), Key={"cart_id": {"S": "c1"}}
                )
            await dynamodb.put(Plain(pid="p"))
            assert on_cart_change(dynamodb_stream.lambda_event(), None) == [
                ("INSERT", "c1", "0"), ("MODIFY", "c1", "2"), ("REMOVE", "c1", None),
            ]
            assert [r.event_name for r in dynamodb_stream.records(Cart, event="MODIFY")] == [
                "MODIFY"
            ]
            assert dynamodb_stream.records(Cart)[1].new == Cart(cart_id="c1", items=2)

        async def test_each_test_starts_with_no_records(dynamodb, dynamodb_stream):
            assert len(dynamodb_stream) == 0

        async def test_failed_assertion_lists_both_sides(dynamodb, dynamodb_stream):
            await dynamodb.put(Cart(cart_id="c9"))
            dynamodb_stream.assert_records(("MODIFY", {"cart_id": "c9"}))

        async def test_model_without_stream(dynamodb, dynamodb_stream):
            dynamodb_stream.records(Plain)
        """
    )
    result = project.runpytest()
    result.assert_outcomes(passed=2, failed=2)
    result.stdout.fnmatch_lines(
        [
            "E       AssertionError: the stream records differ from those expected",
            "E       expected:",
            "E         1. ('MODIFY', {'cart_id': 'c9'})",
            "E       actual:",
            "E         1. INSERT carts {'cart_id': 'c9'}",
        ]
    )
    result.stdout.fnmatch_lines(
        ["E   *ValueError: Plain: table 'plain' has no stream, so DynamoDB sends no records*"]
    )


def test_endpoint_backend_says_it_has_no_stream_to_read(
    project: pytest.Pytester,
    dynalite: DynaliteServer,  # noqa: F811 (fixture)
) -> None:
    project.makepyfile(stream_models=STREAM_MODELS)
    project.makepyfile(
        test_it="""
        import pytest
        from stream_models import Cart

        pytestmark = pytest.mark.dynamodb_tables(Cart)

        async def test_stream(dynamodb, dynamodb_stream):
            pass
        """
    )
    result = project.runpytest(*endpoint_args(dynalite))
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*dynamodb_stream records the writes the in-memory DynamoDB applies*dynalite has none*"]
    )
