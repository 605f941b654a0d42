"""No raw Python exception escapes the in-memory backend.

Each request below makes moto itself raise (IndexError, KeyError, AttributeError,
RuntimeError ...). The strict layer refuses them first with DynamoDB's own message; with the
rules relaxed they reach moto, and its exception becomes an InternalServerError (not retried)
recorded in CRASHES: a bug to find, never an answer we make up.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from aiodynamodb.testing.intercept import CRASHES
from aiodynamodb.testing.strict import relaxed
from tests.fidelity.helpers import ENVELOPE, Backend, refused

A = {"S": "a"}
CRASHES_PROVOKED = [
    pytest.param(
        "query",
        {"KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {}}},
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
        id="query-empty-value",
    ),
    pytest.param(
        "update_item",
        {"Key": {"pk": A, "sk": {"N": "1"}}, "UpdateExpression": "SET #a = :v"},
        ENVELOPE + "Invalid UpdateExpression: An expression attribute name used in the document "
        "path is not defined; attribute name: #a",
        id="update-undefined-name",
    ),
    pytest.param(
        "put_item",
        {"Item": {"pk": A, "sk": {"N": "1"}, "x": {"M": {"y": {}}}}},
        ENVELOPE + "Supplied AttributeValue is empty, must contain exactly one of the supported "
        "datatypes",
        id="put-nested-empty-value",
    ),
    pytest.param(
        "put_item",
        {"Item": {"pk": A, "sk": {"N": "1"}, "x": {}}},
        ENVELOPE + "Supplied AttributeValue is empty, must contain exactly one of the supported "
        "datatypes",
        id="put-empty-value",
    ),
    pytest.param(
        "query",
        {
            "KeyConditionExpression": "pk = :p AND begins_with(sk, :s)",
            "ExpressionAttributeValues": {":p": A, ":s": {"S": "1"}},
        },
        "One or more parameter values were invalid: Condition parameter type does not match "
        "schema type",
        id="begins-with-on-number",
    ),
    pytest.param(
        "scan",
        {"Limit": 0},
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member "
        "must have value greater than or equal to 1",
        id="scan-limit-zero",
    ),
]


@pytest.mark.parametrize(("operation", "params", "message"), CRASHES_PROVOKED)
async def test_refused_with_dynamodb_message(
    ddb: Any,
    backend: Backend,
    composite_table: str,
    operation: str,
    params: dict[str, Any],
    message: str,
) -> None:
    call = getattr(ddb, operation)(TableName=composite_table, **params)
    await refused(backend, call, "ValidationException", message)


@pytest.mark.parametrize(("operation", "params", "message"), CRASHES_PROVOKED)
async def test_moto_crashes_are_recorded_internal_errors(
    ddb: Any,
    backend: Backend,
    composite_table: str,
    operation: str,
    params: dict[str, Any],
    message: str,
) -> None:
    if not backend.is_memory:
        pytest.skip("moto's own exceptions exist only on the memory backend")
    await ddb.put_item(TableName=composite_table, Item={"pk": A, "sk": {"N": "1"}})
    with relaxed(), pytest.raises(ClientError) as caught:
        await getattr(ddb, operation)(TableName=composite_table, **params)
    crashes = CRASHES.take()  # provoked on purpose: the suite's zero-crash check skips them
    error = caught.value.response["Error"]
    if error["Code"] != "InternalServerError":  # moto refuses this one itself
        assert error["Code"] == "ValidationException"
        assert crashes == []
        return
    assert [crash.where for crash in crashes] == ["moto"]
    assert crashes[0].error in error["Message"]
    assert crashes[0].operation == caught.value.operation_name
    assert caught.value.response["ResponseMetadata"]["RetryAttempts"] == 0
