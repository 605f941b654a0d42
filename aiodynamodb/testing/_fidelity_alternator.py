"""Response fixes found by running ScyllaDB Alternator's public suite (validated against real
DynamoDB) against the server command: see docs/fidelity.md, "A public suite"."""

from __future__ import annotations

from aiodynamodb.testing._call import DynamoResponse

_NOT_IN_DELETE_DESCRIPTION = (
    "AttributeDefinitions",
    "CreationDateTime",
    "GlobalSecondaryIndexes",
    "KeySchema",
    "LocalSecondaryIndexes",
)
"""DeleteTable's ``TableDescription`` leaves these out, though DescribeTable has them
(Alternator's ``test_delete_table_description`` and ``..._with_si``)."""


def fix_delete_table(response: DynamoResponse) -> None:
    """Trim DeleteTable's description to the fields DynamoDB answers (moto sends the whole
    table description); an on-demand table reports zero provisioned throughput."""
    body = response.body
    description = body.get("TableDescription")
    if not isinstance(description, dict):
        return
    for field in _NOT_IN_DELETE_DESCRIPTION:
        description.pop(field, None)
    description.setdefault(
        "ProvisionedThroughput",
        {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 0, "WriteCapacityUnits": 0},
    )
    response.body = body
