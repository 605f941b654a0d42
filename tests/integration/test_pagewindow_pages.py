"""Every page of a long read is what moto's own code answers, with the order patch's capped
window (``aiodynamodb/testing/_moto/_fix_order.py``) as without it.

The patch hands moto's Query/Scan loop only the items up to the page's end (Limit, 1 MB,
the range-key condition's run, and the item after it that ends the page). These reads page
through a partition of several thousand items of uneven sizes, with a few items of 350 KB
placed right after a run of matches, so that moto's quirk (its 1 MB check counts the next
item scanned even when that item fails the range condition) ends pages too; every page
(items, Count, ScannedCount, LastEvaluatedKey, consumed capacity) must be the same bytes.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from aiodynamodb.testing import _moto

REGION = "us-east-1"
ACCOUNT = "123456789012"
WHERE = {"region": REGION, "account": ACCOUNT}
TABLE = "pages"
SIZE = 3000
# Items that end a page by themselves; each follows a run that the reads below select.
LARGE = {1000: 350_000, 2000: 350_000, 2400: 350_000}


def _sort_value(kind: str, i: int) -> dict[str, str]:
    return {"N": str(i)} if kind == "N" else {"S": f"{i:05d}"}


def _item(kind: str, pk: str, i: int) -> dict[str, Any]:
    padding = LARGE.get(i, 300 + (i * 37) % 900) if pk == "big" else 10
    return {
        "pk": {"S": pk},
        "sk": _sort_value(kind, i),
        "f": {"N": str(i % 7)},
        "pad": {"S": "x" * padding},
    }


def _load(kind: str) -> None:
    status, raw = _moto.dispatch(
        "CreateTable",
        {
            "TableName": TABLE,
            "KeySchema": [
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            "AttributeDefinitions": [
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": kind},
            ],
            "BillingMode": "PAY_PER_REQUEST",
        },
        **WHERE,
    )
    assert status == 200, raw
    # Small partitions on both sides: the partition's bounds in the table's order matter.
    items = [_item(kind, "a", i) for i in range(5)] + [_item(kind, "zz", i) for i in range(5)]
    # Stored out of order: the patch sorts once, moto sorts on every page.
    order = sorted(range(SIZE), key=lambda i: (i * 7919) % SIZE)
    items += [_item(kind, "big", i) for i in order]
    for start in range(0, len(items), 25):
        puts = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
        status, raw = _moto.dispatch("BatchWriteItem", {"RequestItems": {TABLE: puts}}, **WHERE)
        assert status == 200, raw
        assert not json.loads(raw).get("UnprocessedItems"), raw


def _pages(operation: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Every page of a read (whole answers), following LastEvaluatedKey to the end."""
    pages: list[dict[str, Any]] = []
    start: Any = None
    while True:
        request = dict(params, **({"ExclusiveStartKey": start} if start else {}))
        status, raw = _moto.dispatch(operation, request, **WHERE)
        assert status == 200, raw
        page = json.loads(raw)
        pages.append(page)
        start = page.get("LastEvaluatedKey")
        if not start:
            return pages


def _conditions(kind: str) -> dict[str, tuple[str, dict[str, Any]]]:
    def value(i: int) -> dict[str, str]:
        return _sort_value(kind, i)

    conditions = {
        "partition": ("pk = :p", {}),
        "greater": ("pk = :p AND sk > :a", {":a": value(1700)}),
        "at_most": ("pk = :p AND sk <= :a", {":a": value(2211)}),
        "equal": ("pk = :p AND sk = :a", {":a": value(2000)}),
        # Runs that fit in a page, followed (forward / backward) by a 350 KB item.
        "between_up": ("pk = :p AND sk BETWEEN :a AND :b", {":a": value(0), ":b": value(899)}),
        "between_down": (
            "pk = :p AND sk BETWEEN :a AND :b",
            {":a": value(1001), ":b": value(1999)},
        ),
        "between_empty": (
            "pk = :p AND sk BETWEEN :a AND :b",
            {":a": value(SIZE + 1), ":b": value(SIZE + 9)},
        ),
    }
    if kind == "N":
        return conditions
    # String keys: begins_with, and the same cap on a second key type (a few reads: every
    # page without the patch sorts the whole table again, which is what makes this slow).
    return {
        "partition": conditions["partition"],
        "between_down": conditions["between_down"],
        "prefix": ("pk = :p AND begins_with(sk, :a)", {":a": {"S": "01"}}),
        "prefix_up": ("pk = :p AND begins_with(sk, :a)", {":a": {"S": "00"}}),
    }


def _reads(kind: str) -> dict[str, list[dict[str, Any]]]:
    reads: dict[str, list[dict[str, Any]]] = {}
    # Each read whole, and again with a Limit and a filter (moto's page is by the items it
    # reads, the filter applies after): both directions.
    variants = [(forward, limit) for forward in (True, False) for limit in (None, 1100)]
    for name, (condition, values) in _conditions(kind).items():
        for forward, limit in variants:
            params: dict[str, Any] = {
                "TableName": TABLE,
                "KeyConditionExpression": condition,
                "ExpressionAttributeValues": {":p": {"S": "big"}, **values},
                "ScanIndexForward": forward,
                "ReturnConsumedCapacity": "TOTAL",
            }
            if limit is not None:
                params["Limit"] = limit
                params["FilterExpression"] = "f < :f"
                params["ExpressionAttributeValues"][":f"] = {"N": "3"}
            reads[f"{name} forward={forward} limit={limit}"] = _pages("Query", params)
    if kind != "N":
        return reads
    reads["scan"] = _pages("Scan", {"TableName": TABLE, "ReturnConsumedCapacity": "TOTAL"})
    filtered_scan = {
        "TableName": TABLE,
        "Limit": 777,
        "FilterExpression": "f < :f",
        "ExpressionAttributeValues": {":f": {"N": "3"}},
    }
    reads["scan limit=777"] = _pages("Scan", filtered_scan)
    segment = {"TableName": TABLE, "Segment": 0, "TotalSegments": 2}
    reads["scan segment"] = _pages("Scan", segment)
    reads["query limit 1"] = _pages(
        "Query",
        {
            "TableName": TABLE,
            "KeyConditionExpression": "pk = :p AND sk BETWEEN :a AND :b",
            "ExpressionAttributeValues": {
                ":p": {"S": "big"},
                ":a": _sort_value(kind, 990),
                ":b": _sort_value(kind, 1010),
            },
            "Limit": 1,
            "ScanIndexForward": False,
        },
    )
    return reads


@pytest.mark.parametrize("kind", ["N", "S"])
def test_capped_pages_are_moto_pages(fresh_moto: None, kind: str) -> None:
    """Each page through the patch equals moto's own page, in both directions, with and
    without a range condition, a filter and a Limit; the data does make pages end on 1 MB,
    on Limit and on the item after a run (the cases the cap computes)."""
    _load(kind)
    expected = _reads(kind)
    # The reads do reach the cases the cap must get right.
    assert len(expected["partition forward=True limit=None"]) >= 3
    for name in ("between_up", "between_down") if kind == "N" else ("prefix_up", "between_down"):
        forward = name != "between_down"
        pages = expected[f"{name} forward={forward} limit=None"]
        # moto ends the page on the 350 KB item after the run: the next page is empty.
        assert [page["Count"] for page in pages][1:] == [0], name
        assert "LastEvaluatedKey" in pages[0], name
    _moto.ORDER_PATCH.enter()
    try:
        patched = _reads(kind)
    finally:
        _moto.ORDER_PATCH.exit()
    assert patched.keys() == expected.keys()
    for label, pages in expected.items():
        assert len(patched[label]) == len(pages), label
        for number, (got, want) in enumerate(zip(patched[label], pages, strict=True)):
            assert got == want, f"{label}: page {number} differs"
