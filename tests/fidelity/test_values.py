"""AttributeValues: shape, sets, numbers, the 400 KB item limit, canonical numbers on read."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fidelity.helpers import ENVELOPE, Backend, refused

V = "ValidationException"
MAX_ITEM = 409_600


async def put(ddb: Any, table: str, **attributes: Any) -> Any:
    return await ddb.put_item(TableName=table, Item={"pk": {"S": "v"}, **attributes})


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param(
            {},
            "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
            id="no-type",
        ),
        pytest.param(
            {"S": "a", "N": "1"},
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one "
            "of the supported datatypes",
            id="two-types",
        ),
        pytest.param(
            {"M": {"inner": {}}},
            "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
            id="nested-no-type",
        ),
    ],
)
async def test_malformed_attribute_value(
    ddb: Any, backend: Backend, hash_table: str, value: Any, message: str
) -> None:
    await refused(backend, put(ddb, hash_table, x=value), V, ENVELOPE + message)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param(
            {"SS": ["b", "a", "b"]},
            'One or more parameter values were invalid: Input collection ["a", "b", "b"] '
            "contains duplicates.",
            id="SS",
        ),
        pytest.param(
            {"NS": ["1", "1.0"]},
            "One or more parameter values were invalid: Input collection contains duplicates.",
            id="NS-numeric-equality",
        ),
        pytest.param(
            {"NS": ["10", "1E1"]},
            "One or more parameter values were invalid: Input collection contains duplicates.",
            id="NS-exponent",
        ),
        pytest.param(
            {"BS": [b"\xff", b"\x00", b"\x00"]},
            'One or more parameter values were invalid: Input collection ["AA==","/w==","AA=="]'
            "of type BS contains duplicates.",
            id="BS",
        ),
    ],
)
async def test_duplicate_set_members(
    ddb: Any, backend: Backend, hash_table: str, value: Any, message: str
) -> None:
    await refused(backend, put(ddb, hash_table, s=value), V, ENVELOPE + message)


async def test_batch_write_words_duplicates_the_older_way(
    ddb: Any, backend: Backend, hash_table: str
) -> None:
    item = {"pk": {"S": "v"}, "s": {"NS": ["2", "1", "2.00"]}}
    await refused(
        backend,
        ddb.batch_write_item(RequestItems={hash_table: [{"PutRequest": {"Item": item}}]}),
        V,
        "Input collection contains duplicates",
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param(
            {"SS": []},
            "One or more parameter values were invalid: An string set  may not be empty",
            id="SS",
        ),
        pytest.param(
            {"NS": []},
            "One or more parameter values were invalid: An number set  may not be empty",
            id="NS",
        ),
        pytest.param(
            {"NULL": False},
            "One or more parameter values were invalid: Null attribute value types must have "
            "the value of true",
            id="NULL-false",
        ),
    ],
)
async def test_empty_sets_and_false_null(
    ddb: Any, backend: Backend, hash_table: str, value: Any, message: str
) -> None:
    await refused(backend, put(ddb, hash_table, x=value), V, ENVELOPE + message)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        pytest.param(
            "1234567890123456789012345678901234567891",
            "Attempting to store more than 38 significant digits in a Number",
            id="39-digits",
        ),
        pytest.param(
            "1E126",
            "Number overflow. Attempting to store a number with magnitude larger than supported "
            "range",
            id="overflow",
        ),
        pytest.param(
            "-1E126",
            "Number overflow. Attempting to store a number with magnitude larger than supported "
            "range",
            id="negative-overflow",
        ),
        pytest.param(
            "1E-131",
            "Number underflow. Attempting to store a number with magnitude smaller than "
            "supported range",
            id="underflow",
        ),
        pytest.param(
            "abc",
            "The parameter cannot be converted to a numeric value: abc",
            id="not-a-number",
        ),
        pytest.param(
            "NaN",
            "The parameter cannot be converted to a numeric value: NaN",
            id="NaN",
        ),
    ],
)
async def test_number_rules(
    ddb: Any, backend: Backend, hash_table: str, number: str, message: str
) -> None:
    await refused(backend, put(ddb, hash_table, n={"N": number}), V, ENVELOPE + message)


@pytest.mark.parametrize(
    "number",
    [
        "12345678901234567890123456789012345678",
        "1234567890123456789012345678901234567800000",  # trailing zeros are not significant
        "9.9999999999999999999999999999999999999E+125",
        "1E-130",
        "-1E-130",
        "0",
    ],
)
async def test_numbers_at_the_limits_are_stored(ddb: Any, hash_table: str, number: str) -> None:
    await put(ddb, hash_table, n={"N": number})


def _padded(total: int, key: str, **fixed: Any) -> dict[str, Any]:
    """An item of exactly ``total`` bytes as DynamoDB counts (ASCII strings only)."""
    item: dict[str, Any] = {"pk": {"S": key}, **fixed}
    size = 2 + len(key) + 1  # "pk" + key + "p"
    for name, value in fixed.items():
        size += len(name) + value.pop("_size")
    item["p"] = {"S": "x" * (total - size)}
    return item


async def test_item_of_exactly_400_kb_is_stored(ddb: Any, hash_table: str) -> None:
    await ddb.put_item(TableName=hash_table, Item=_padded(MAX_ITEM, "at"))


async def test_item_one_byte_over_is_refused(ddb: Any, backend: Backend, hash_table: str) -> None:
    await refused(
        backend,
        ddb.put_item(TableName=hash_table, Item=_padded(MAX_ITEM + 1, "over")),
        V,
        "Item size has exceeded the maximum allowed size",
        exact_on_server=True,
    )


async def test_numbers_are_sized_by_digit_pairs(
    ddb: Any, backend: Backend, hash_table: str
) -> None:
    # 3.14159 costs 5 bytes: an exponent byte and 4 base-100 pairs (3|14|15|9_).
    await ddb.put_item(
        TableName=hash_table, Item=_padded(MAX_ITEM, "pi", n={"N": "3.14159", "_size": 5})
    )
    await refused(
        backend,
        ddb.put_item(
            TableName=hash_table, Item=_padded(MAX_ITEM + 1, "pi2", n={"N": "3.14159", "_size": 5})
        ),
        V,
        "Item size has exceeded the maximum allowed size",
    )


async def test_nested_sizes_count_overheads(ddb: Any, backend: Backend, hash_table: str) -> None:
    # A map costs 3 bytes plus, per member, its name, its value and 1 byte.
    nested = {"M": {"ab": {"S": "xyz"}}, "_size": 3 + 2 + 3 + 1}
    await ddb.put_item(TableName=hash_table, Item=_padded(MAX_ITEM, "map", m=dict(nested)))
    await refused(
        backend,
        ddb.put_item(TableName=hash_table, Item=_padded(MAX_ITEM + 1, "map2", m=dict(nested))),
        V,
        "Item size has exceeded the maximum allowed size",
    )


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("0010.500", "10.5"),
        ("-0.0", "0"),
        ("1.5E2", "150"),
        ("1E-3", "0.001"),
        ("100", "100"),
    ],
)
async def test_numbers_read_back_in_canonical_form(
    ddb: Any, hash_table: str, sent: str, stored: str
) -> None:
    key = {"pk": {"S": f"n{sent}"}}
    await ddb.put_item(TableName=hash_table, Item={**key, "n": {"N": sent}, "s": {"NS": [sent]}})
    item = (await ddb.get_item(TableName=hash_table, Key=key))["Item"]
    assert item["n"] == {"N": stored}
    assert item["s"] == {"NS": [stored]}
    scanned = (await ddb.scan(TableName=hash_table))["Items"]
    assert scanned[0]["n"] == {"N": stored}


async def test_update_results_are_canonical(ddb: Any, hash_table: str) -> None:
    key = {"pk": {"S": "counter"}}
    await ddb.put_item(TableName=hash_table, Item={**key, "n": {"N": "5.5"}})
    response = await ddb.update_item(
        TableName=hash_table,
        Key=key,
        UpdateExpression="ADD n :four",
        ExpressionAttributeValues={":four": {"N": "4.50"}},
        ReturnValues="ALL_NEW",
    )
    assert response["Attributes"]["n"] == {"N": "10"}
