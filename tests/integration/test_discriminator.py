"""Several models on one table (``@table(..., discriminator="kind")``), read back as the right
class by get, query, scan, batch_get and transact_get, on every backend."""

from __future__ import annotations

from typing import Literal

import pytest
from boto3.dynamodb.conditions import Attr, Key

from aiodynamodb import (
    GSI,
    DecodeError,
    DynamoDB,
    DynamoModel,
    ItemKey,
    ModelDefinitionError,
    ValidationError,
    table,
)

BY_KIND = [GSI("app_by_kind", hash_key="kind")]


@table("app", hash_key="pk", range_key="sk", indexes=BY_KIND, discriminator="kind")
class Customer(DynamoModel):
    pk: str
    sk: str
    kind: Literal["customer"] = "customer"
    name: str = ""


@table("app", hash_key="pk", range_key="sk", indexes=BY_KIND, discriminator="kind")
class Invoice(DynamoModel):
    pk: str
    sk: str
    kind: Literal["invoice"] = "invoice"
    total: int = 0


@table("app", hash_key="pk", range_key="sk", indexes=BY_KIND, discriminator="kind")
class Note(DynamoModel):
    pk: str
    sk: str
    kind: Literal["note"] = "note"
    text: str = ""


@table("plain", hash_key="pk")
class Plain(DynamoModel):
    pk: str


@table("plain", hash_key="pk")
class OtherPlain(DynamoModel):
    pk: str
    extra: int = 0


pytestmark = pytest.mark.dynamodb_tables(Customer, Invoice, Note, Plain, OtherPlain)


async def seed(db: DynamoDB, invoices: int = 3) -> None:
    await db.put(Customer(pk="c1", sk="#profile", name="Ann"))
    for i in range(invoices):
        await db.put(Invoice(pk="c1", sk=f"inv#{i:02}", total=i))
    await db.put(Note(pk="c1", sk="note#1", text="call back"))


async def test_a_mixed_query_returns_each_class_across_pages(dynamodb: DynamoDB) -> None:
    await seed(dynamodb, invoices=5)
    pages = [
        page.items
        async for page in dynamodb.query(
            (Customer, Invoice, Note), key_condition_expression=Key("pk").eq("c1"), limit=2
        )
    ]
    assert len(pages) >= 4  # the classes come back page after page, not from one response
    items = [item for page in pages for item in page]
    assert items[0] == Customer(pk="c1", sk="#profile", name="Ann")
    assert items[1:6] == [Invoice(pk="c1", sk=f"inv#{i:02}", total=i) for i in range(5)]
    assert items[6] == Note(pk="c1", sk="note#1", text="call back")


async def test_a_mixed_scan_and_an_index_query(dynamodb: DynamoDB) -> None:
    await seed(dynamodb)
    scanned = await dynamodb.scan((Customer, Invoice, Note), limit=1).all()
    assert sorted(type(item).__name__ for item in scanned) == ["Customer"] + ["Invoice"] * 3 + [
        "Note"
    ]
    invoices = await dynamodb.query(
        (Customer, Invoice),
        key_condition_expression=Key("kind").eq("invoice"),
        index_name="app_by_kind",
    ).all()
    assert {type(item) for item in invoices} == {Invoice}
    assert len(invoices) == 3


async def test_get_returns_the_stored_kind(dynamodb: DynamoDB) -> None:
    await seed(dynamodb)
    models = (Customer, Invoice)
    assert await dynamodb.get(models, hash_key="c1", range_key="inv#01") == Invoice(
        pk="c1", sk="inv#01", total=1
    )
    assert await dynamodb.get(models, hash_key="c1", range_key="#profile") == Customer(
        pk="c1", sk="#profile", name="Ann"
    )
    assert await dynamodb.get(models, hash_key="c1", range_key="nothing") is None


async def test_a_filter_names_the_attributes_of_any_model(dynamodb: DynamoDB) -> None:
    await seed(dynamodb)
    found = await dynamodb.query(
        (Customer, Invoice),
        key_condition_expression=Key("pk").eq("c1"),
        filter_expression=Attr("total").gte(1) | Attr("name").eq("Ann"),
    ).all()
    assert [item.sk for item in found] == ["#profile", "inv#01", "inv#02"]
    with pytest.raises(ValidationError, match=r"none of Customer, Invoice has attribute 'totl'"):
        dynamodb.query(
            (Customer, Invoice),
            key_condition_expression=Key("pk").eq("c1"),
            filter_expression=Attr("totl").gte(1),
        )


async def test_batch_get_and_transact_get_of_mixed_keys(dynamodb: DynamoDB) -> None:
    await seed(dynamodb)
    models = (Customer, Invoice)
    found = await dynamodb.batch_get(
        [
            ItemKey(models, "c1", "inv#02"),
            ItemKey(models, "c1", "#profile"),
            ItemKey(models, "c1", "missing"),
            ItemKey(Note, "c1", "note#1"),
        ]
    )
    assert found == [
        Invoice(pk="c1", sk="inv#02", total=2),
        Customer(pk="c1", sk="#profile", name="Ann"),
        Note(pk="c1", sk="note#1", text="call back"),
    ]


NO_TRANSACTIONS = pytest.mark.not_on_dynalite("dynalite implements no TransactGetItems")


@NO_TRANSACTIONS
async def test_transact_get_of_mixed_keys(dynamodb: DynamoDB) -> None:
    await seed(dynamodb)
    models = (Customer, Invoice)
    customer, invoice, missing = await dynamodb.transact_get(
        ItemKey(models, "c1", "#profile"),
        ItemKey(models, "c1", "inv#00"),
        ItemKey(models, "c1", "missing"),
    )
    assert isinstance(customer, Customer)
    assert customer.name == "Ann"
    assert invoice == Invoice(pk="c1", sk="inv#00", total=0)
    assert missing is None


async def test_batch_get_of_single_models_sharing_a_table(dynamodb: DynamoDB) -> None:
    # Keys of different models of one table in one batch: each item as its key's model.
    await seed(dynamodb, invoices=1)
    found = await dynamodb.batch_get(
        [ItemKey(Invoice, "c1", "inv#00"), ItemKey(Customer, "c1", "#profile")]
    )
    assert [type(item) for item in found] == [Invoice, Customer]
    # Without a discriminator too: each key's own model, not one model per table.
    await dynamodb.put(Plain(pk="a"))
    await dynamodb.put(OtherPlain(pk="b", extra=5))
    found = await dynamodb.batch_get([ItemKey(OtherPlain, "b"), ItemKey(Plain, "a")])
    assert found == [OtherPlain(pk="b", extra=5), Plain(pk="a")]


async def test_an_item_of_no_model_read_is_an_error_naming_the_value(
    dynamodb: DynamoDB,
) -> None:
    await seed(dynamodb)
    with pytest.raises(DecodeError) as caught:
        await dynamodb.query((Customer, Invoice), key_condition_expression=Key("pk").eq("c1")).all()
    message = str(caught.value)
    assert "table 'app'" in message
    assert "kind='note'" in message
    assert "'customer' (Customer), 'invoice' (Invoice)" in message
    assert "other_kinds='skip'" in message


async def test_other_kinds_skip_leaves_such_items_out(dynamodb: DynamoDB) -> None:
    await seed(dynamodb)
    pages = [
        page
        async for page in dynamodb.query(
            (Customer, Invoice), key_condition_expression=Key("pk").eq("c1"), other_kinds="skip"
        )
    ]
    items = [item for page in pages for item in page.items]
    assert [type(item) for item in items] == [Customer, Invoice, Invoice, Invoice]
    assert sum(page.count for page in pages) == 5  # DynamoDB's figure, the note included
    note_key = ItemKey((Customer, Invoice), "c1", "note#1")
    assert await dynamodb.batch_get([note_key], other_kinds="skip") == []
    assert (
        await dynamodb.get(
            (Customer, Invoice), hash_key="c1", range_key="note#1", other_kinds="skip"
        )
        is None
    )
    with pytest.raises(DecodeError, match="kind='note'"):
        await dynamodb.batch_get([note_key])


@NO_TRANSACTIONS
async def test_transact_get_skips_or_refuses_other_kinds(dynamodb: DynamoDB) -> None:
    await seed(dynamodb)
    note_key = ItemKey((Customer, Invoice), "c1", "note#1")
    assert await dynamodb.transact_get(note_key, other_kinds="skip") == (None,)
    with pytest.raises(DecodeError, match="kind='note'"):
        await dynamodb.transact_get(note_key)


async def test_an_item_without_the_discriminator(dynamodb: DynamoDB) -> None:
    # Written by another client (or before the discriminator was declared).
    client = await dynamodb.low_level_client()
    await client.put_item(
        TableName=dynamodb.table_name(Customer), Item={"pk": {"S": "c1"}, "sk": {"S": "old"}}
    )
    with pytest.raises(DecodeError, match=r"has no discriminator attribute 'kind'"):
        await dynamodb.get((Customer, Invoice), hash_key="c1", range_key="old")
    assert await dynamodb.scan((Customer, Invoice), other_kinds="skip").all() == []


async def test_one_discriminated_model_refuses_other_kinds(dynamodb: DynamoDB) -> None:
    await seed(dynamodb)
    key = Key("pk").eq("c1")
    with pytest.raises(DecodeError, match=r"kind='invoice'.*'customer' \(Customer\)"):
        await dynamodb.query(Customer, key_condition_expression=key).all()
    only = await dynamodb.query(Customer, key_condition_expression=key, other_kinds="skip").all()
    assert only == [Customer(pk="c1", sk="#profile", name="Ann")]
    # A server-side filter on the discriminator reads the same without the error.
    filtered = dynamodb.query(
        Invoice, key_condition_expression=key, filter_expression=Attr("kind").eq("invoice")
    )
    assert len(await filtered.all()) == 3


async def test_reads_of_several_models_check_their_arguments(dynamodb: DynamoDB) -> None:
    with pytest.raises(ValidationError, match="other_kinds must be 'error' or 'skip'"):
        dynamodb.scan((Customer, Invoice), other_kinds="ignore")  # type: ignore[call-overload]
    with pytest.raises(ValidationError, match="takes one model class, not a tuple"):
        dynamodb.scan((Customer, Invoice), projection=["pk"])  # type: ignore[call-overload]
    with pytest.raises(ValidationError, match="the tuple of models is empty"):
        dynamodb.scan(())
    with pytest.raises(ModelDefinitionError, match="different tables"):
        dynamodb.scan((Customer, Elsewhere))
    with pytest.raises(ModelDefinitionError, match="declare no discriminator"):
        dynamodb.scan((Plain, OtherPlain))


@table("elsewhere", hash_key="pk", range_key="sk", discriminator="kind")
class Elsewhere(DynamoModel):
    pk: str
    sk: str
    kind: Literal["else"] = "else"
