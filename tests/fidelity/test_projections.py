"""What a read returns: index projections, AttributesToGet, Select.

DynamoDB's behaviour (docs/fidelity.md, "Reads"): a GSI gives only what it projects and
refuses to be asked for more; an LSI fetches the rest from the table; ``AttributesToGet``
and ``Select`` shape every read.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.fidelity.helpers import Backend, refused, wait_active

V = "ValidationException"
ITEM = {
    "pk": {"S": "p"},
    "sk": {"N": "1"},
    "g": {"S": "G"},
    "rank": {"N": "5"},
    "x": {"S": "X"},
    "y": {"S": "Y"},
}
KEY = {"pk": {"S": "p"}, "sk": {"N": "1"}}


def _index(name: str, keys: list[tuple[str, str]], projection: dict[str, Any]) -> dict[str, Any]:
    return {
        "IndexName": name,
        "KeySchema": [{"AttributeName": a, "KeyType": k} for a, k in keys],
        "Projection": projection,
    }


@pytest.fixture
async def table(ddb: Any, backend: Backend) -> AsyncIterator[str]:
    """``pk``/``sk`` with a KEYS_ONLY GSI ``gsi_keys`` and an INCLUDE (``x``) GSI
    ``gsi_include`` on ``g``, and a KEYS_ONLY LSI ``lsi_keys`` on ``rank``; one item."""
    name = "fid_projections" if backend.is_memory else f"fid_projections-{uuid.uuid4().hex[:8]}"
    await ddb.create_table(
        TableName=name,
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": a, "AttributeType": t}
            for a, t in (("pk", "S"), ("sk", "N"), ("g", "S"), ("rank", "N"))
        ],
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[
            _index("gsi_keys", [("g", "HASH")], {"ProjectionType": "KEYS_ONLY"}),
            _index(
                "gsi_include",
                [("g", "HASH")],
                {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]},
            ),
        ],
        LocalSecondaryIndexes=[
            _index(
                "lsi_keys", [("pk", "HASH"), ("rank", "RANGE")], {"ProjectionType": "KEYS_ONLY"}
            ),
        ],
    )
    await wait_active(ddb, name)
    await ddb.put_item(TableName=name, Item=ITEM)
    yield name
    await backend.drop(ddb, name)


def gsi_query(table: str, index: str, **params: Any) -> dict[str, Any]:
    return {
        "TableName": table,
        "IndexName": index,
        "KeyConditionExpression": "g = :g",
        "ExpressionAttributeValues": {":g": {"S": "G"}},
        **params,
    }


def lsi_query(table: str, **params: Any) -> dict[str, Any]:
    return {
        "TableName": table,
        "IndexName": "lsi_keys",
        "KeyConditionExpression": "pk = :p",
        "ExpressionAttributeValues": {":p": {"S": "p"}},
        **params,
    }


async def test_keys_only_gsi_returns_the_keys(ddb: Any, table: str) -> None:
    page = await ddb.query(**gsi_query(table, "gsi_keys"))
    assert page["Items"] == [{"pk": ITEM["pk"], "sk": ITEM["sk"], "g": ITEM["g"]}]


async def test_include_gsi_returns_keys_and_included(ddb: Any, table: str) -> None:
    page = await ddb.query(**gsi_query(table, "gsi_include", Select="ALL_PROJECTED_ATTRIBUTES"))
    assert page["Items"] == [{"pk": ITEM["pk"], "sk": ITEM["sk"], "g": ITEM["g"], "x": ITEM["x"]}]


@pytest.mark.not_on_dynalite("dynalite does not refuse unprojected GSI attributes")
@pytest.mark.parametrize(
    "params",
    [
        pytest.param({"ProjectionExpression": "pk, y"}, id="projection-expression"),
        pytest.param(
            {"ProjectionExpression": "#n", "ExpressionAttributeNames": {"#n": "y"}},
            id="projection-placeholder",
        ),
    ],
)
async def test_gsi_asked_for_an_unprojected_attribute(
    ddb: Any, backend: Backend, table: str, params: dict[str, Any]
) -> None:
    await refused(
        backend,
        ddb.query(**gsi_query(table, "gsi_keys", **params)),
        V,
        "One or more parameter values were invalid: Global secondary index gsi_keys does not "
        "project [y]",
    )


@pytest.mark.not_on_dynalite("dynalite does not refuse unprojected GSI attributes")
async def test_gsi_scan_asked_for_an_unprojected_attribute(
    ddb: Any, backend: Backend, table: str
) -> None:
    await refused(
        backend,
        ddb.scan(TableName=table, IndexName="gsi_include", AttributesToGet=["x", "y"]),
        V,
        "One or more parameter values were invalid: Global secondary index gsi_include does "
        "not project [y]",
    )


async def test_gsi_select_all_attributes_is_refused(ddb: Any, backend: Backend, table: str) -> None:
    await refused(
        backend,
        ddb.query(**gsi_query(table, "gsi_include", Select="ALL_ATTRIBUTES")),
        V,
        "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported "
        "for global secondary index gsi_include because its projection type is not ALL",
    )


async def test_gsi_attributes_to_get_of_projected(ddb: Any, table: str) -> None:
    page = await ddb.scan(
        TableName=table,
        IndexName="gsi_include",
        AttributesToGet=["x"],
        Select="SPECIFIC_ATTRIBUTES",
    )
    assert page["Items"] == [{"x": ITEM["x"]}]


@pytest.mark.not_on_dynalite("dynalite does not fetch unprojected LSI attributes")
async def test_lsi_fetches_unprojected_attributes_from_the_table(ddb: Any, table: str) -> None:
    page = await ddb.query(**lsi_query(table, ProjectionExpression="y, sk"))
    assert page["Items"] == [{"y": ITEM["y"], "sk": ITEM["sk"]}]
    page = await ddb.query(
        TableName=table,
        IndexName="lsi_keys",
        KeyConditions={"pk": {"AttributeValueList": [{"S": "p"}], "ComparisonOperator": "EQ"}},
        AttributesToGet=["y"],
    )
    assert page["Items"] == [{"y": ITEM["y"]}]


async def test_lsi_select_all_attributes_reads_the_whole_item(ddb: Any, table: str) -> None:
    page = await ddb.query(**lsi_query(table, Select="ALL_ATTRIBUTES"))
    assert page["Items"] == [ITEM]


async def test_lsi_default_returns_the_projection(ddb: Any, table: str) -> None:
    page = await ddb.query(**lsi_query(table))
    assert page["Items"] == [{"pk": ITEM["pk"], "sk": ITEM["sk"], "rank": ITEM["rank"]}]


async def test_get_item_attributes_to_get(ddb: Any, table: str) -> None:
    got = await ddb.get_item(TableName=table, Key=KEY, AttributesToGet=["x", "missing"])
    assert got["Item"] == {"x": ITEM["x"]}


async def test_scan_and_query_attributes_to_get(ddb: Any, table: str) -> None:
    page = await ddb.scan(TableName=table, AttributesToGet=["y", "pk"])
    assert page["Items"] == [{"y": ITEM["y"], "pk": ITEM["pk"]}]
    page = await ddb.query(
        TableName=table,
        KeyConditions={"pk": {"AttributeValueList": [{"S": "p"}], "ComparisonOperator": "EQ"}},
        AttributesToGet=["rank"],
        Select="SPECIFIC_ATTRIBUTES",
    )
    assert page["Items"] == [{"rank": ITEM["rank"]}]


async def test_batch_get_attributes_to_get(ddb: Any, table: str) -> None:
    got = await ddb.batch_get_item(RequestItems={table: {"Keys": [KEY], "AttributesToGet": ["g"]}})
    assert got["Responses"][table] == [{"g": ITEM["g"]}]


async def test_select_count_returns_no_items(ddb: Any, table: str) -> None:
    page = await ddb.query(**gsi_query(table, "gsi_keys", Select="COUNT"))
    assert "Items" not in page
    assert page["Count"] == 1
