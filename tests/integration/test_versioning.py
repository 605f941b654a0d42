"""Optimistic locking: ``@table(..., version="version")`` on put, update, delete, transactions."""

from __future__ import annotations

import asyncio

import pytest
from boto3.dynamodb.conditions import Attr

from aiodynamodb import (
    Delete,
    DynamoDB,
    ItemKey,
    Put,
    Update,
    UpdateAttr,
    ValidationError,
    VersionConflictError,
)

from .models import Document

pytestmark = pytest.mark.dynamodb_tables(Document)

no_transactions = pytest.mark.not_on_dynalite("dynalite implements no TransactWriteItems")


async def test_put_creates_at_version_1_and_sets_it_on_the_instance(dynamodb: DynamoDB) -> None:
    doc = Document(doc_id="d1", body="first")
    await dynamodb.put(doc)
    assert doc.version == 1
    assert await dynamodb.get(Document, hash_key="d1") == Document(
        doc_id="d1", body="first", version=1
    )
    doc.body = "second"
    await dynamodb.put(doc)
    assert doc.version == 2
    stored = await dynamodb.get(Document, hash_key="d1")
    assert stored is not None
    assert (stored.body, stored.version) == ("second", 2)


async def test_a_stale_put_is_a_conflict_naming_both_versions(dynamodb: DynamoDB) -> None:
    await dynamodb.put(Document(doc_id="d1", body="v1"))
    await dynamodb.put(Document(doc_id="d1", body="v2", version=1))
    stale = Document(doc_id="d1", body="lost", version=1)
    with pytest.raises(VersionConflictError) as info:
        await dynamodb.put(stale)
    error = info.value
    assert (error.model, error.key, error.expected) == (Document, {"doc_id": "d1"}, 1)
    assert error.stored in (2, None)  # None where the backend does not return the item
    assert "Document {'doc_id': 'd1'}: version conflict: the write expected version 1" in str(error)
    assert stale.version == 1  # a lost write leaves the instance as it was
    stored = await dynamodb.get(Document, hash_key="d1")
    assert stored is not None
    assert stored.body == "v2"


async def test_a_conflict_is_also_botocores_conditional_check_failure(
    dynamodb: DynamoDB,
) -> None:
    ex = await dynamodb.exceptions()
    await dynamodb.put(Document(doc_id="d1", body="v1"))
    with pytest.raises(ex.ConditionalCheckFailedException) as info:
        await dynamodb.put(Document(doc_id="d1", body="again"))  # version 0: must not exist
    assert isinstance(info.value, VersionConflictError)
    assert info.value.expected == 0
    assert info.value.response["Error"]["Code"] == "ConditionalCheckFailedException"


async def test_exactly_one_of_n_racing_writers_wins(dynamodb: DynamoDB) -> None:
    await dynamodb.put(Document(doc_id="d1", body="base"))  # version 1
    writers = [Document(doc_id="d1", body=f"writer {n}", version=1) for n in range(8)]
    results = await asyncio.gather(*(dynamodb.put(w) for w in writers), return_exceptions=True)
    winners = [w for w, r in zip(writers, results, strict=True) if r is None]
    assert len(winners) == 1
    assert all(isinstance(r, VersionConflictError) for r in results if r is not None)
    stored = await dynamodb.get(Document, hash_key="d1")
    assert stored == winners[0]
    assert stored is not None
    assert stored.version == 2


async def test_racing_creators_only_one_wins(dynamodb: DynamoDB) -> None:
    results = await asyncio.gather(
        *(dynamodb.put(Document(doc_id="new", body=str(n))) for n in range(5)),
        return_exceptions=True,
    )
    assert sum(r is None for r in results) == 1


async def test_update_checks_and_bumps_the_version(dynamodb: DynamoDB) -> None:
    await dynamodb.put(Document(doc_id="d1", body="v1"))
    new = await dynamodb.update(
        Document,
        hash_key="d1",
        update_expression=[UpdateAttr("body").set("edited")],
        version=1,
        return_values="ALL_NEW",
    )
    assert (new.body, new.version) == ("edited", 2)
    with pytest.raises(VersionConflictError) as info:
        await dynamodb.update(
            Document, hash_key="d1", update_expression=[UpdateAttr("body").set("x")], version=1
        )
    assert info.value.stored in (2, None)


@pytest.mark.not_on_dynalite(
    "dynalite returns no item on a failed condition (ReturnValuesOnConditionCheckFailure), "
    "so a failed condition of the caller's own cannot be told from a version conflict there"
)
async def test_update_ands_the_version_with_the_callers_condition(dynamodb: DynamoDB) -> None:
    ex = await dynamodb.exceptions()
    await dynamodb.put(Document(doc_id="d1", body="v1"))
    with pytest.raises(ex.ConditionalCheckFailedException) as info:
        await dynamodb.update(
            Document,
            hash_key="d1",
            update_expression=[UpdateAttr("body").set("x")],
            condition_expression=Attr("body").eq("something else"),
            version=1,
        )
    # The version matched: the caller's own condition failed, which is no version conflict.
    assert not isinstance(info.value, VersionConflictError)
    await dynamodb.update(
        Document,
        hash_key="d1",
        update_expression=[UpdateAttr("body").set("x")],
        condition_expression=Attr("body").eq("v1"),
        version=1,
    )
    stored = await dynamodb.get(Document, hash_key="d1")
    assert stored == Document(doc_id="d1", body="x", version=2)


async def test_delete_needs_the_stored_version(dynamodb: DynamoDB) -> None:
    await dynamodb.put(Document(doc_id="d1", body="v1"))
    with pytest.raises(VersionConflictError):
        await dynamodb.delete(Document, hash_key="d1", version=3)
    await dynamodb.delete(Document, hash_key="d1", version=1)
    assert await dynamodb.get(Document, hash_key="d1") is None


async def test_a_put_of_a_deleted_item_is_a_conflict(dynamodb: DynamoDB) -> None:
    await dynamodb.put(Document(doc_id="d1", body="v1"))
    await dynamodb.delete(Document, hash_key="d1", version=1)
    with pytest.raises(VersionConflictError) as info:
        await dynamodb.put(Document(doc_id="d1", body="v2", version=1))
    assert (info.value.expected, info.value.stored) == (1, None)
    assert "no stored item was returned" in str(info.value)


async def test_update_and_delete_without_a_version_are_refused(dynamodb: DynamoDB) -> None:
    with pytest.raises(ValidationError, match=r"delete\(\) of Document needs version="):
        await dynamodb.delete(Document, hash_key="d1")
    with pytest.raises(ValidationError, match=r"update\(\) of Document needs version="):
        await dynamodb.update(
            Document, hash_key="d1", update_expression=[UpdateAttr("body").set("x")]
        )
    with pytest.raises(ValidationError, match="maintained by aiodynamodb"):
        await dynamodb.update(
            Document, hash_key="d1", update_expression=[UpdateAttr("version").add(1)], version=1
        )


async def test_batch_write_of_a_versioned_model_is_refused(dynamodb: DynamoDB) -> None:
    with pytest.raises(ValidationError, match=r"batch_write\(\) cannot write Document") as info:
        await dynamodb.batch_write(puts=[Document(doc_id="d1", body="x")])
    assert "transact_write(Put(item)" in str(info.value)
    with pytest.raises(ValidationError, match=r"batch_write\(\) cannot write Document"):
        await dynamodb.batch_write(deletes=[ItemKey(Document, "d1")])


@no_transactions
async def test_transact_write_applies_the_version_rules(dynamodb: DynamoDB) -> None:
    ex = await dynamodb.exceptions()
    first, second = Document(doc_id="a", body="a"), Document(doc_id="b", body="b")
    await dynamodb.transact_write(Put(first), Put(second))
    assert (first.version, second.version) == (1, 1)
    await dynamodb.transact_write(
        Update(Document, "a", [UpdateAttr("body").set("a2")], version=1),
        Delete(Document, "b", version=1),
    )
    assert await dynamodb.transact_get(ItemKey(Document, "a"), ItemKey(Document, "b")) == (
        Document(doc_id="a", body="a2", version=2),
        None,
    )
    stale = Document(doc_id="a", body="stale", version=1)
    with pytest.raises(ex.TransactionCanceledException):
        await dynamodb.transact_write(Put(stale))
    assert stale.version == 1
