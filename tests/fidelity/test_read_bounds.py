"""Where a read may start and what it may ask for: ExclusiveStartKey inside the key
condition, Scan segment bounds, BatchGetItem with no keys."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fidelity.helpers import Backend, refused

V = "ValidationException"


def query(table: str, condition: str, start: dict[str, Any], **values: Any) -> dict[str, Any]:
    return {
        "TableName": table,
        "KeyConditionExpression": condition,
        "ExpressionAttributeValues": {":p": {"S": "p"}, **values},
        "ExclusiveStartKey": start,
    }


async def test_start_key_in_another_partition(
    ddb: Any, backend: Backend, composite_table: str
) -> None:
    await refused(
        backend,
        ddb.query(**query(composite_table, "pk = :p", {"pk": {"S": "q"}, "sk": {"N": "1"}})),
        V,
        "The provided starting key is outside query boundaries based on provided conditions",
    )


@pytest.mark.parametrize(
    ("condition", "values"),
    [
        pytest.param("sk > :s", {":s": {"N": "5"}}, id="greater"),
        pytest.param("sk BETWEEN :a AND :b", {":a": {"N": "2"}, ":b": {"N": "3"}}, id="between"),
        pytest.param("sk = :s", {":s": {"N": "2"}}, id="equal"),
    ],
)
async def test_start_key_outside_the_sort_key_condition(
    ddb: Any, backend: Backend, composite_table: str, condition: str, values: dict[str, Any]
) -> None:
    start = {"pk": {"S": "p"}, "sk": {"N": "1"}}
    await refused(
        backend,
        ddb.query(**query(composite_table, f"pk = :p AND {condition}", start, **values)),
        V,
        "The provided starting key does not match the range key predicate",
    )


async def test_start_key_inside_the_condition(ddb: Any, composite_table: str) -> None:
    for n in range(4):
        await ddb.put_item(TableName=composite_table, Item={"pk": {"S": "p"}, "sk": {"N": str(n)}})
    start = {"pk": {"S": "p"}, "sk": {"N": "1"}}
    page = await ddb.query(
        **query(composite_table, "pk = :p AND sk >= :s", start, **{":s": {"N": "1"}})
    )
    assert [item["sk"]["N"] for item in page["Items"]] == ["2", "3"]


@pytest.mark.parametrize(
    ("segment", "total", "message"),
    [
        pytest.param(
            0,
            1_000_001,
            "1 validation error detected: Value '1000001' at 'totalSegments' failed to satisfy "
            "constraint: Member must have value less than or equal to 1000000",
            id="total-too-large",
            marks=pytest.mark.not_on_dynalite("dynalite has no upper bound on TotalSegments"),
        ),
        pytest.param(
            0,
            0,
            "1 validation error detected: Value '0' at 'totalSegments' failed to satisfy "
            "constraint: Member must have value greater than or equal to 1",
            id="total-zero",
        ),
        pytest.param(
            1_000_000,
            1_000_000,
            "1 validation error detected: Value '1000000' at 'segment' failed to satisfy "
            "constraint: Member must have value less than or equal to 999999",
            id="segment-too-large",
        ),
        pytest.param(
            -1,
            2,
            "1 validation error detected: Value '-1' at 'segment' failed to satisfy "
            "constraint: Member must have value greater than or equal to 0",
            id="segment-negative",
        ),
        pytest.param(
            2,
            2,
            "The Segment parameter is zero-based and must be less than parameter TotalSegments: "
            "Segment: 2 is not less than TotalSegments: 2",
            id="segment-not-less",
        ),
    ],
)
async def test_segment_bounds(
    ddb: Any, backend: Backend, hash_table: str, segment: int, total: int, message: str
) -> None:
    await refused(
        backend,
        ddb.scan(TableName=hash_table, Segment=segment, TotalSegments=total),
        V,
        message,
    )


@pytest.mark.not_on_dynalite("dynalite reads Segment=0 as absent (a JavaScript falsy test)")
async def test_segment_without_total(ddb: Any, backend: Backend, hash_table: str) -> None:
    await refused(
        backend,
        ddb.scan(TableName=hash_table, Segment=0),
        V,
        "The TotalSegments parameter is required but was not present in the request when "
        "Segment parameter is present",
        exact_on_server=True,
    )


async def test_batch_get_with_no_keys(ddb: Any, backend: Backend, hash_table: str) -> None:
    await refused(
        backend,
        ddb.batch_get_item(RequestItems={hash_table: {"Keys": []}}),
        V,
        f"1 validation error detected: Value '[]' at 'requestItems.{hash_table}.member.keys' "
        "failed to satisfy constraint: Member must have length greater than or equal to 1",
        exact_on_server=True,
    )


async def test_value_first_key_condition(ddb: Any, composite_table: str) -> None:
    # `:s < sk` means `sk > :s` (Alternator's test_key_condition_expression_num_lt_reverse).
    for n in range(4):
        await ddb.put_item(TableName=composite_table, Item={"pk": {"S": "p"}, "sk": {"N": str(n)}})
    page = await ddb.query(
        TableName=composite_table,
        KeyConditionExpression=":p = pk AND :s < sk",
        ExpressionAttributeValues={":p": {"S": "p"}, ":s": {"N": "1"}},
    )
    assert [item["sk"]["N"] for item in page["Items"]] == ["2", "3"]
