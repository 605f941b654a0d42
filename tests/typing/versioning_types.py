"""Optimistic locking: ``version=`` on update/delete and the conflict error's attributes."""

from __future__ import annotations

from typing import Any, assert_type

from botocore.exceptions import ClientError

from aiodynamodb import (
    Delete,
    DynamoDB,
    DynamoModel,
    Update,
    UpdateAttr,
    VersionConflictError,
    table,
)


@table("documents", hash_key="doc_id", version="version")
class Document(DynamoModel):
    doc_id: str
    body: str
    version: int = 0


async def versioned(db: DynamoDB) -> None:
    doc = Document(doc_id="d1", body="x")
    assert_type(await db.put(doc), None)
    new = await db.update(
        Document,
        hash_key="d1",
        update_expression=[UpdateAttr("body").set("y")],
        version=doc.version,
        return_values="ALL_NEW",
    )
    assert_type(new, Document)
    assert_type(await db.delete(Document, hash_key="d1", version=new.version), None)
    await db.transact_write(
        Update(Document, "d1", [UpdateAttr("body").set("z")], version=2),
        Delete(Document, "d2", version=1),
    )
    try:
        await db.put(doc)
    except VersionConflictError as error:
        assert_type(error.expected, int)
        assert_type(error.stored, int | None)
        assert_type(error.key, dict[str, Any])
        assert_type(error.model, type[Any])
        conflict: ClientError = error  # also botocore's ClientError
        assert conflict.response["Error"]["Code"] == "ConditionalCheckFailedException"
