"""The private aiobotocore/botocore APIs we rely on, checked on whichever aiobotocore this
environment has (`make test` runs this file on 2.24.1, 2.25.1 and 3.9.2).

``aiodynamodb.client._wire`` swaps a client's serializer and its endpoint's response parser factory
(our fast path), and ``aiodynamodb.testing.intercept`` wraps ``AioSession._create_client``
and takes moto's ``before-send`` handler off each DynamoDB client. Both degrade quietly if
an attribute moves (the fast path would just be skipped, moto would run twice): these tests
fail instead, naming the aiobotocore version that broke which assumption.
"""

from __future__ import annotations

from importlib import metadata
from typing import Any

from aiodynamodb import DynamoDB, DynamoModel, table
from aiodynamodb.client import _wire as wire
from aiodynamodb.testing import intercept, mock_dynamodb

VERSIONS = f"aiobotocore {metadata.version('aiobotocore')}, botocore {metadata.version('botocore')}"


@table("contract_blobs", hash_key="blob_id")
class Blob(DynamoModel):
    blob_id: str
    data: bytes
    parts: set[bytes] = set()


def before_send_handlers(client: Any) -> list[Any]:
    events = client.meta.events
    emitter = getattr(events, "_emitter", events)
    return list(emitter._handlers.prefix_search("before-send.dynamodb.GetItem"))


async def test_our_clients_get_the_direct_serializer_and_item_parser() -> None:
    async with mock_dynamodb(Blob) as db:
        low = await db.low_level_client()
        assert isinstance(low._serializer, wire.DirectJSONSerializer), VERSIONS
        factory = low._endpoint._response_parser_factory
        assert isinstance(factory, wire._parser_factory_class()), VERSIONS
        # The item parser decodes binary values itself (botocore's shape walk is skipped).
        stored = Blob(blob_id="b1", data=b"\x00\xff", parts={b"a", b"\x01"})
        await db.put(stored)
        assert await db.get(Blob, hash_key="b1") == stored, VERSIONS


async def test_a_client_built_inside_the_mock_runs_moto_once_through_our_handler() -> None:
    async with mock_dynamodb(Blob), DynamoDB() as other:
        low = await other.low_level_client()
        handlers = before_send_handlers(low)
        # Ours only: moto's own handler was found and taken off, so moto answers once, at
        # the end of our chain.
        assert [type(handler) for handler in handlers] == [intercept._ClientHandler], (
            f"{VERSIONS}: {handlers}"
        )
        await other.put(Blob(blob_id="b2", data=b"x"))
        assert (await other.get(Blob, hash_key="b2")) is not None
