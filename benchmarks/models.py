"""The models the figures use, and the same items built by hand for the raw client.

``Record`` is the 10-field model of the design card (str, int, float, Decimal, bool, list,
dict, nested model, datetime, set). :func:`record` builds the model for index ``i``;
:func:`record_item` builds, by hand, the AttributeValue map a raw-client user would write
for the same data; :func:`check_items_match` proves at start-up that the two are the same
item, so both sides of a figure store and read exactly the same bytes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from aiodynamodb import DynamoModel, table

TABLE = "bench_records"
RAW_TABLE = "raw_bench_records"
_EPOCH = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


class Address(BaseModel):
    """The nested model."""

    street: str
    city: str
    zip: str


@table(TABLE, hash_key="pk", range_key="sk")
class Record(DynamoModel):
    """Ten fields, one of each kind the codec figures cover."""

    pk: str
    sk: int
    score: float
    price: Decimal
    active: bool
    tags: list[str]
    attrs: dict[str, int]
    address: Address
    created: datetime
    labels: set[str]


def record(i: int, pk: str = "p") -> Record:
    """The model for index ``i``."""
    return Record(
        pk=pk,
        sk=i,
        score=i * 0.25 + 0.1,
        price=Decimal(i) / 100 + Decimal("9.99"),
        active=i % 2 == 0,
        tags=["red", "green", f"t{i % 7}"],
        attrs={"views": i, "likes": i % 13},
        address=Address(street=f"{i} Main St", city="Springfield", zip="12345"),
        created=_EPOCH + timedelta(seconds=i),
        labels={"a", "b", f"l{i % 5}"},
    )


def record_item(i: int, pk: str = "p") -> dict[str, Any]:
    """The same data as ``record(i, pk)``, as a raw-client user writes it: AttributeValues."""
    created = _EPOCH + timedelta(seconds=i)
    return {
        "pk": {"S": pk},
        "sk": {"N": str(i)},
        "score": {"N": repr(i * 0.25 + 0.1)},
        "price": {"N": str(Decimal(i) / 100 + Decimal("9.99"))},
        "active": {"BOOL": i % 2 == 0},
        "tags": {"L": [{"S": "red"}, {"S": "green"}, {"S": f"t{i % 7}"}]},
        "attrs": {"M": {"views": {"N": str(i)}, "likes": {"N": str(i % 13)}}},
        "address": {
            "M": {
                "street": {"S": f"{i} Main St"},
                "city": {"S": "Springfield"},
                "zip": {"S": "12345"},
            }
        },
        "created": {"S": created.strftime("%Y-%m-%dT%H:%M:%S.%fZ")},
        "labels": {"SS": sorted({"a", "b", f"l{i % 5}"})},
    }


def _normalized(item: dict[str, Any]) -> dict[str, Any]:
    out = dict(item)
    if "labels" in out:  # set members have no order
        out["labels"] = {"SS": sorted(out["labels"]["SS"])}
    return out


def check_items_match(encode: Any) -> None:
    """Raise if the ORM's item for a record differs from the hand-built one.

    ``encode`` is ``codec_for(Record).encode``.
    """
    for i in (0, 1, 17, 999):
        ours, raw = _normalized(encode(record(i))), _normalized(record_item(i))
        if ours != raw:
            raise AssertionError(f"ORM item != hand-built item for i={i}:\n{ours}\n{raw}")


def raw_table_params(name: str) -> dict[str, Any]:
    """``CreateTable`` parameters for a ``Record`` table, written by hand."""
    return {
        "TableName": name,
        "KeySchema": [
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        "AttributeDefinitions": [
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
        ],
        "BillingMode": "PAY_PER_REQUEST",
    }


__all__ = [
    "RAW_TABLE",
    "TABLE",
    "Address",
    "Record",
    "check_items_match",
    "raw_table_params",
    "record",
    "record_item",
]
