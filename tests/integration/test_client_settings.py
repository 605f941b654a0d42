"""The three settings behind ``DynamoDB(validate=...)``, each doing one named thing.

``validate`` checks requests against DynamoDB's rules before sending; ``parameter_validation``
is botocore's own check; ``direct_wire`` is the serializer/parser fast path. By default the
last two follow ``validate`` (the behaviour ``validate=True`` always had); each can be set on
its own.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ParamValidationError

from aiodynamodb import DynamoDB, ValidationError
from aiodynamodb.client import _wire

from .models import User

pytestmark = pytest.mark.dynamodb_tables(User)


def direct(low: Any) -> bool:
    return isinstance(low._serializer, _wire.DirectJSONSerializer)


async def botocore_refuses(db: DynamoDB) -> bool:
    """Whether botocore's parameter validation refuses a Limit of 0 (DynamoDB does too)."""
    low = await db.low_level_client()
    code = None
    try:
        await low.scan(TableName=db.table_name(User), Limit=0)
    except ParamValidationError:
        return True
    except ClientError as error:  # the server's answer: botocore let it through
        code = error.response["Error"]["Code"]
    assert code == "ValidationException"
    return False


async def rules_refuse(db: DynamoDB) -> bool:
    """Whether the client refused a request before sending it (an undefined placeholder)."""
    params = {
        "TableName": db.table_name(User),
        "Key": {"user_id": {"S": "u1"}},
        "ProjectionExpression": "#undefined",
    }
    code = None
    try:
        await db._call("get_item", params)
    except ValidationError:  # ours, raised before sending
        return True
    except ClientError as error:  # the server's (botocore's class, not ours)
        code = error.response["Error"]["Code"]
    assert code == "ValidationException"
    return False


@pytest.mark.parametrize(
    ("kwargs", "rules", "botocore", "wire"),
    [
        ({}, True, False, True),
        ({"validate": False}, False, True, False),
        ({"parameter_validation": True}, True, True, True),
        ({"direct_wire": False}, True, False, False),
        ({"validate": False, "direct_wire": True}, False, True, True),
        ({"validate": False, "parameter_validation": False}, False, False, False),
    ],
    ids=[
        "default",
        "validate-off",
        "botocore-validation-on",
        "direct-wire-off",
        "only-direct-wire",
        "nothing-checked",
    ],
)
async def test_each_setting_does_one_thing(
    dynamodb: DynamoDB, kwargs: dict[str, Any], rules: bool, botocore: bool, wire: bool
) -> None:
    async with DynamoDB(**kwargs) as db:
        low = await db.low_level_client()
        assert direct(low) is wire
        assert await botocore_refuses(db) is botocore
        assert await rules_refuse(db) is rules
        # Whatever the settings, the client works.
        await db.put(User(user_id="u1", name="Alice"))
        assert await db.get(User, hash_key="u1") == User(user_id="u1", name="Alice")


async def test_a_config_that_sets_parameter_validation_wins_over_the_default(
    dynamodb: DynamoDB,
) -> None:
    async with DynamoDB(config=Config(parameter_validation=True)) as db:
        assert await botocore_refuses(db)


async def test_parameter_validation_named_wins_over_the_config(dynamodb: DynamoDB) -> None:
    given = Config(parameter_validation=True, read_timeout=7)
    async with DynamoDB(config=given, parameter_validation=False) as db:
        low = await db.low_level_client()
        assert low.meta.config.read_timeout == 7  # the rest of the config is kept
        assert not await botocore_refuses(db)
