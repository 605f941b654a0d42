"""Reads of several models on one table (``@table(discriminator=...)``): a tuple of models is
typed as the union of its models, for two, three and four models."""

from __future__ import annotations

from typing import Literal, assert_type

from boto3.dynamodb.conditions import Key

from aiodynamodb import DynamoDB, DynamoModel, ItemKey, Page, PageIterator, table


@table("app", hash_key="pk", range_key="sk", discriminator="kind")
class Customer(DynamoModel):
    pk: str
    sk: str
    kind: Literal["customer"] = "customer"


@table("app", hash_key="pk", range_key="sk", discriminator="kind")
class Invoice(DynamoModel):
    pk: str
    sk: str
    kind: Literal["invoice"] = "invoice"
    total: int = 0


@table("app", hash_key="pk", range_key="sk", discriminator="kind")
class Note(DynamoModel):
    pk: str
    sk: str
    kind: Literal["note"] = "note"


@table("app", hash_key="pk", range_key="sk", discriminator="kind")
class Refund(DynamoModel):
    pk: str
    sk: str
    kind: Literal["refund"] = "refund"


async def reads(db: DynamoDB) -> None:
    key = Key("pk").eq("c1")
    two = (Customer, Invoice)
    assert_type(await db.get(two, hash_key="c1", range_key="x"), Customer | Invoice | None)
    assert_type(
        await db.get((Customer, Invoice, Note), hash_key="c1", range_key="x", other_kinds="skip"),
        Customer | Invoice | Note | None,
    )
    assert_type(await db.get(Customer, hash_key="c1", range_key="x"), Customer | None)
    pages = db.query(two, key_condition_expression=key)
    assert_type(pages, PageIterator[Customer | Invoice])
    async for page in pages:
        assert_type(page, Page[Customer | Invoice])
        for item in page.items:
            if isinstance(item, Invoice):  # narrowed like any union
                assert_type(item.total, int)
    assert_type(
        await db.scan((Customer, Invoice, Note, Refund), other_kinds="skip").all(),
        list[Customer | Invoice | Note | Refund],
    )
    assert_type(db.scan(Customer, other_kinds="skip"), PageIterator[Customer])


async def keyed_reads(db: DynamoDB) -> None:
    key = ItemKey((Customer, Invoice), "c1", "inv#1")
    assert_type(key, ItemKey[Customer | Invoice])
    assert_type(await db.batch_get([key]), list[Customer | Invoice])
    assert_type(await db.batch_get([key], other_kinds="skip"), list[Customer | Invoice])
    assert_type(
        await db.transact_get(key, ItemKey(Note, "c1", "n")),
        tuple[Customer | Invoice | None, Note | None],
    )
    assert_type(ItemKey((Customer, Invoice, Note), "c1", "x"), ItemKey[Customer | Invoice | Note])
