"""``batch_get`` and ``batch_write``: any number of items, nothing dropped.

DynamoDB takes at most 100 keys per BatchGetItem and 25 requests per BatchWriteItem, and
may answer with part of a request unprocessed (throttling, partition limits). Both
operations here split the work into such chunks, send them with bounded concurrency, and
retry whatever comes back unprocessed in rounds with exponential back-off and full
jitter. After the last round the error lists exactly the items that were not processed.

Two layers retry, and attempts are counted once across both: botocore retries a request
refused whole (throttling, 5xx) within one call, and its retries are HTTP attempts charged
to every item of that request; our rounds resend only what DynamoDB answered as
unprocessed. An item is given up once ``max_attempts`` HTTP attempts carried it, so no item
is sent more than ``max_attempts + botocore's max attempts - 1`` times; a request botocore
itself gave up on ends the batch (botocore's retries were the retries).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from botocore.exceptions import ClientError

from aiodynamodb.client._actions import ItemKey
from aiodynamodb.client._capacity import CapacityMode, per_call
from aiodynamodb.client._sender import Sender
from aiodynamodb.client._versioning import refuse_in_batch
from aiodynamodb.codec import ModelCodec, OtherKinds, codec_for, reader_for
from aiodynamodb.errors import ArgumentError, BatchGetError, BatchWriteError, ValidationError
from aiodynamodb.item_types import Item
from aiodynamodb.limits import MAX_BATCH_GET_KEYS as GET_CHUNK
from aiodynamodb.limits import MAX_BATCH_WRITE_REQUESTS as WRITE_CHUNK
from aiodynamodb.model import DynamoModel
from aiodynamodb.rules import check_flag, check_sequence, item_key_identity

M = TypeVar("M", bound=DynamoModel)

CONCURRENCY = 4

DUPLICATE_KEY_MESSAGE = (
    "{operation}: the key {key} of table {table!r} appears more than once in one call; "
    "DynamoDB rejects duplicate keys in a batch (a put and a delete of the same key "
    "included). Pass each key once."
)
GAVE_UP_MESSAGE = (
    "{operation}: {count} of {total} {what} still unprocessed after {attempts} attempts "
    "(the table is throttled or over its limits); they are in the error's `unprocessed` "
    "attribute, nothing else was lost. Raise batch_max_attempts or slow the writer down."
)
FAILED_MESSAGE = (
    "{operation}: a request failed with {code} ({message}); {count} of {total} {what} were "
    "not processed and are in the error's `unprocessed` attribute."
)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How batch operations retry unprocessed items.

    Attributes:
        max_attempts: HTTP attempts an item may take before it is given up, the first send
            and botocore's own retries of throttled requests included.
        base_delay: Back-off before the second round, in seconds; doubles each round.
        max_delay: Upper bound of one back-off, in seconds.
    """

    max_attempts: int = 10
    base_delay: float = 0.05
    max_delay: float = 2.0

    def delay(self, attempt: int) -> float:
        """Full-jitter back-off before round ``attempt + 1`` (``attempt`` counts from 0)."""
        return random.uniform(0, min(self.max_delay, self.base_delay * (2**attempt)))


def _key_id(table: str, key: Item) -> tuple[Any, ...]:
    return item_key_identity(table, key)  # numbers by value: "1.0" and "1" are one key


def _describe_key(key: Item) -> str:
    return "{" + ", ".join(f"{k}: {next(iter(v.values()))!r}" for k, v in key.items()) + "}"


@dataclass(slots=True)
class _Pending:
    # ``body`` is the encoded item (a put) or key (a delete, a get), and ``kind`` the name
    # its request wraps it in ("PutRequest", "DeleteRequest"; "" for a get). The wrapper
    # dicts are built per chunk as it is sent: kept for every item of a large batch until
    # the end, they were two more objects per item for the garbage collector's full passes
    # to walk (issue 18's batch_scale).
    table: str
    kind: str
    body: Item
    original: Any
    key_id: tuple[Any, ...]
    attempts: int = 0  # HTTP attempts that carried it, botocore's retries included


def _chunks(seq: Sequence[_Pending], size: int) -> list[list[_Pending]]:
    return [list(seq[i : i + size]) for i in range(0, len(seq), size)]


async def _run_rounds(
    sender: Sender,
    policy: RetryPolicy,
    operation: str,
    pending: list[_Pending],
    chunk_size: int,
    send: Any,
    what: str,
) -> list[_Pending]:
    """Send ``pending`` in chunks and rounds; return what is left (empty when done).

    ``send(chunk)`` returns the key ids left unprocessed by one request and its response.
    """
    total = len(pending)
    semaphore = asyncio.Semaphore(CONCURRENCY)
    failure: ClientError | None = None

    async def send_chunk(chunk: list[_Pending]) -> list[_Pending]:
        nonlocal failure
        async with semaphore:
            try:
                left, response = await send(chunk)
            except ClientError as error:
                # botocore has already retried it as its retry policy says (throttling and
                # 5xx: 10 attempts for DynamoDB by default); retrying it again here would
                # multiply the two budgets.
                if failure is None:
                    failure = error
                return chunk
        used = 1 + int((response.get("ResponseMetadata") or {}).get("RetryAttempts", 0))
        left_over = [p for p in chunk if p.key_id in left]
        for p in left_over:
            p.attempts += used
        return left_over

    round_ = 0
    while True:
        results = await asyncio.gather(*(send_chunk(c) for c in _chunks(pending, chunk_size)))
        pending = [p for chunk_left in results for p in chunk_left]
        if failure is not None:
            error = failure.response.get("Error", {})
            raise _error_class(operation)(
                FAILED_MESSAGE.format(
                    operation=operation,
                    code=error.get("Code"),
                    message=error.get("Message"),
                    count=len(pending),
                    total=total,
                    what=what,
                ),
                [p.original for p in pending],
                *_extra(operation),
            ) from failure
        if not pending:
            return []
        if any(p.attempts >= policy.max_attempts for p in pending):
            break
        await asyncio.sleep(policy.delay(round_))
        round_ += 1
    message = GAVE_UP_MESSAGE.format(
        operation=operation,
        count=len(pending),
        total=total,
        what=what,
        attempts=policy.max_attempts,
    )
    raise _error_class(operation)(message, [p.original for p in pending], *_extra(operation))


def _error_class(operation: str) -> Any:
    return BatchWriteError if operation == "batch_write" else BatchGetError


def _extra(operation: str) -> tuple[Any, ...]:
    return () if operation == "batch_write" else ([],)


def _check_unique(operation: str, pending: list[_Pending]) -> None:
    seen: set[tuple[Any, ...]] = set()
    for p in pending:
        if p.key_id in seen:
            raise ValidationError(
                DUPLICATE_KEY_MESSAGE.format(
                    operation=operation, key=_describe_key(_key_part(p, p.body)), table=p.table
                ),
                "BatchWriteItem" if operation == "batch_write" else "BatchGetItem",
            )
        seen.add(p.key_id)


def _key_part(p: _Pending, item: Item) -> Item:
    names = [entry[0] for entry in p.key_id[1:]]
    return {name: item[name] for name in names if name in item}


async def batch_write(
    sender: Sender,
    policy: RetryPolicy,
    puts: Sequence[DynamoModel],
    deletes: Sequence[ItemKey[Any]],
) -> None:
    """Implementation of :meth:`BatchOperations.batch_write`."""
    check_sequence("batch_write", "puts", puts, DynamoModel, "model instances")
    check_sequence("batch_write", "deletes", deletes, ItemKey, "ItemKey objects")
    pending: list[_Pending] = []
    codecs: dict[str, ModelCodec[Any]] = {}
    for item in puts:
        codec = codec_for(type(item))
        refuse_in_batch(codec)
        table = sender.table_name(codec)
        codecs[table] = codec
        encoded = codec.encode(item)
        key = codec.key_from_item(encoded)
        pending.append(_Pending(table, "PutRequest", encoded, item, _key_id(table, key)))
    for ref in deletes:
        if not isinstance(ref, ItemKey):
            raise ArgumentError(
                f"batch_write(deletes=...) takes ItemKey(Model, hash_key, range_key) objects, "
                f"got {type(ref).__name__}"
            )
        codec = reader_for(ref.model, "error", "batch_write").codec  # a tuple: one table
        refuse_in_batch(codec)
        table = sender.table_name(codec)
        codecs[table] = codec
        key = codec.encode_key(ref.hash_key, ref.range_key)
        pending.append(_Pending(table, "DeleteRequest", key, ref, _key_id(table, key)))
    if not pending:
        return
    _check_unique("batch_write", pending)

    async def send(chunk: list[_Pending]) -> tuple[set[tuple[Any, ...]], dict[str, Any]]:
        request_items: dict[str, list[dict[str, Any]]] = {}
        for p in chunk:
            wrapped = {"Item": p.body} if p.kind == "PutRequest" else {"Key": p.body}
            request_items.setdefault(p.table, []).append({p.kind: wrapped})
        response = await sender.send("batch_write_item", {"RequestItems": request_items})
        left: set[tuple[Any, ...]] = set()
        for table, requests in (response.get("UnprocessedItems") or {}).items():
            codec = codecs[table]
            for request in requests:
                if "PutRequest" in request:
                    key = codec.key_from_item(request["PutRequest"]["Item"])
                else:
                    key = request["DeleteRequest"]["Key"]
                left.add(_key_id(table, key))
        return left, response

    await _run_rounds(sender, policy, "batch_write", pending, WRITE_CHUNK, send, "items")


async def batch_get(
    sender: Sender,
    policy: RetryPolicy,
    keys: Sequence[ItemKey[M]],
    consistent_read: bool,
    other_kinds: OtherKinds = "error",
) -> list[M]:
    """Implementation of :meth:`BatchOperations.batch_get`."""
    check_sequence("batch_get", "keys", keys, ItemKey, "ItemKey objects")
    check_flag("batch_get", "consistent_read", consistent_read)
    pending: list[_Pending] = []
    codecs: dict[str, ModelCodec[Any]] = {}
    # Each key's own decoder: models sharing a table are read back as the key's model.
    decoders: dict[tuple[Any, ...], Callable[[Item], Any]] = {}
    for ref in keys:
        if not isinstance(ref, ItemKey):
            raise ArgumentError(
                f"batch_get() takes ItemKey(Model, hash_key, range_key) objects, "
                f"got {type(ref).__name__}"
            )
        reader = reader_for(ref.model, other_kinds, "batch_get")
        codec = reader.codec
        table = sender.table_name(codec)
        codecs[table] = codec
        key = codec.encode_key(ref.hash_key, ref.range_key)
        key_id = _key_id(table, key)
        decoders[key_id] = reader.decode
        pending.append(_Pending(table, "", key, ref, key_id))
    if not pending:
        return []
    _check_unique("batch_get", pending)
    found: dict[tuple[Any, ...], Any] = {}

    async def send(chunk: list[_Pending]) -> tuple[set[tuple[Any, ...]], dict[str, Any]]:
        request_items: dict[str, dict[str, Any]] = {}
        for p in chunk:
            entry = request_items.setdefault(p.table, {"Keys": []})
            if consistent_read:
                entry["ConsistentRead"] = True
            entry["Keys"].append(p.body)
        response = await sender.send("batch_get_item", {"RequestItems": request_items})
        for table, items in (response.get("Responses") or {}).items():
            codec = codecs[table]
            for raw in items:
                key_id = _key_id(table, codec.key_from_item(raw))
                found[key_id] = decoders[key_id](raw)  # None: skipped (other_kinds="skip")
        left: set[tuple[Any, ...]] = set()
        for table, entry in (response.get("UnprocessedKeys") or {}).items():
            for key in entry.get("Keys", ()):
                left.add(_key_id(table, key))
        return left, response

    try:
        await _run_rounds(sender, policy, "batch_get", pending, GET_CHUNK, send, "keys")
    except BatchGetError as error:
        error.items = [found[p.key_id] for p in pending if found.get(p.key_id) is not None]
        raise
    return [found[p.key_id] for p in pending if found.get(p.key_id) is not None]


class BatchOperations:
    """``DynamoDB``'s batch operations (a base class of ``DynamoDB``)."""

    _connection: Sender
    retry: RetryPolicy

    async def batch_get(
        self,
        keys: Sequence[ItemKey[M]],
        *,
        consistent_read: bool = False,
        other_kinds: OtherKinds = "error",
        return_consumed_capacity: CapacityMode | None = None,
    ) -> list[M]:
        """Read many items by key, across tables; any number of keys.

        Keys are sent 100 per request; keys DynamoDB leaves unprocessed are retried with
        exponential back-off and jitter. Items come back in the order of ``keys``; keys
        with no item are left out. A key given twice is an error (DynamoDB rejects it).

        Typing: keys of one model give ``list[User]``. Keys of several models give a list
        of their common base, ``list[DynamoModel]`` (``ItemKey`` is covariant, and mypy
        joins the list's element types); since missing items are left out, positions say
        nothing about models, so narrow with ``isinstance``. ``batch_get`` accepts any
        ``Sequence``; a key list built elsewhere can be annotated ``list[ItemKey[DynamoModel]]``.
        A key of a tuple of models sharing a table by discriminator
        (``ItemKey((Customer, Invoice), "c1", "inv#1")``) reads its item as the model whose
        discriminator value it holds: ``list[Customer | Invoice]``.

        Args:
            keys: ``ItemKey`` objects.
            consistent_read: Strongly consistent reads.
            other_kinds: For models with a discriminator: ``"error"`` (default) raises
                ``DecodeError`` on an item of none of its key's models; ``"skip"`` leaves
                it out, like a missing item.
            return_consumed_capacity: ``"TOTAL"`` or ``"INDEXES"`` asks DynamoDB what every
                request consumed; the sum over all rounds, one report per table, is then
                ``db.last_consumed_capacity``.

        Raises:
            BatchGetError: keys were still unprocessed after ``batch_max_attempts`` attempts.
        """
        if return_consumed_capacity is None:
            return await batch_get(self._connection, self.retry, keys, consistent_read, other_kinds)
        with per_call("batch_get", return_consumed_capacity):
            return await batch_get(self._connection, self.retry, keys, consistent_read, other_kinds)

    async def batch_write(
        self,
        *,
        puts: Sequence[DynamoModel] = (),
        deletes: Sequence[ItemKey[Any]] = (),
        return_consumed_capacity: CapacityMode | None = None,
    ) -> None:
        """Write and delete many items, across tables; any number of items.

        Requests are sent 25 per call; items DynamoDB leaves unprocessed are retried with
        exponential back-off and jitter. Nothing is dropped: if items remain unprocessed
        after ``batch_max_attempts`` attempts, :class:`~aiodynamodb.BatchWriteError` is
        raised listing exactly those items. Two requests for the same key in one call are
        an error (DynamoDB rejects them).

        Args:
            puts: Model instances to write.
            deletes: ``ItemKey`` objects of items to delete.
            return_consumed_capacity: ``"TOTAL"`` or ``"INDEXES"`` asks DynamoDB what every
                request consumed; the sum over all rounds, one report per table, is then
                ``db.last_consumed_capacity``.
        """
        if return_consumed_capacity is None:
            await batch_write(self._connection, self.retry, puts, deletes)
            return
        with per_call("batch_write", return_consumed_capacity):
            await batch_write(self._connection, self.retry, puts, deletes)


__all__ = ["BatchOperations", "RetryPolicy", "batch_get", "batch_write"]
