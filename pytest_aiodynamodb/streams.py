"""The ``dynamodb_stream`` fixture: DynamoDB Streams records of the test's writes.

Imported by the plugin module; imports nothing heavy until the fixture is used.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from aiodynamodb import DynamoDB
    from aiodynamodb.testing.streams import StreamRecorder


@pytest.fixture
def dynamodb_stream(dynamodb: DynamoDB, request: pytest.FixtureRequest) -> Iterator[StreamRecorder]:
    """The stream records of every write the test makes, by any client, in order.

    Tables declared ``@table(..., stream="NEW_AND_OLD_IMAGES")`` (or another view type) have
    records: ``dynamodb_stream.lambda_event()`` is the ``{"Records": [...]}`` payload a
    Lambda handler receives; ``dynamodb_stream.records(User, event="MODIFY")`` the records
    with images decoded to the model; ``dynamodb_stream.assert_records("INSERT",
    ("REMOVE", {"user_id": "u1"}))`` checks them in order. Memory and server backends.
    """
    from aiodynamodb.model import is_table_model
    from aiodynamodb.testing.streams import ENDPOINT_UNSUPPORTED, StreamRecorder
    from pytest_aiodynamodb.settings import read_settings

    settings = read_settings(request.config)
    if settings.backend == "endpoint":
        pytest.fail(ENDPOINT_UNSUPPORTED.format(endpoint=settings.endpoint), pytrace=False)
    # The models whose images records decode to: the test's tables (a filter by model
    # decodes with that model anyway).
    found: list[object] = [a for m in request.node.iter_markers("dynamodb_tables") for a in m.args]
    found += [type(a) for m in request.node.iter_markers("dynamodb_seed") for a in m.args]
    hook = request.node.ihook.pytest_aiodynamodb_default_models
    found += [model for models in hook(config=request.config) for model in models or ()]
    models = [model for model in found if isinstance(model, type) and is_table_model(model)]
    with StreamRecorder(table_prefix=dynamodb.table_prefix, models=models) as recorder:
        yield recorder


__all__ = ["dynamodb_stream"]
