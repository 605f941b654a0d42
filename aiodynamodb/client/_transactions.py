"""``transact_write`` and ``transact_get``.

When DynamoDB cancels a transaction, botocore raises its own
``TransactionCanceledException``. We re-raise that same exception after attaching
``reasons``: one :class:`~aiodynamodb.CancellationReason` per action, in the order the
actions were passed, with the stored item decoded to the action's model where the action
asked for it (``return_values_on_condition_check_failure="ALL_OLD"``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar, overload

from botocore.exceptions import ClientError

from aiodynamodb.client._actions import (
    CancellationReason,
    ConditionCheck,
    Delete,
    ItemKey,
    Put,
    TransactWriteAction,
    Update,
)
from aiodynamodb.client._capacity import CapacityMode, per_call
from aiodynamodb.client._sender import Sender
from aiodynamodb.client._versioning import VersionedWrite, for_key, for_put, update_actions
from aiodynamodb.codec import ModelCodec, OtherKinds, codec_for, reader_for
from aiodynamodb.errors import ArgumentError, ValidationError
from aiodynamodb.expressions import ExpressionContext
from aiodynamodb.item_types import Item
from aiodynamodb.limits import MAX_TRANSACTION_ACTIONS as MAX_ACTIONS
from aiodynamodb.model import DynamoModel
from aiodynamodb.rules import check_client_request_token, item_key_identity

M = TypeVar("M", bound=DynamoModel)
# One type variable per position of transact_get's typed overloads.
M1 = TypeVar("M1", bound=DynamoModel)
M2 = TypeVar("M2", bound=DynamoModel)
M3 = TypeVar("M3", bound=DynamoModel)
M4 = TypeVar("M4", bound=DynamoModel)
M5 = TypeVar("M5", bound=DynamoModel)
M6 = TypeVar("M6", bound=DynamoModel)


COUNT_MESSAGE = (
    "{operation} takes 1 to 100 actions, got {count}; DynamoDB rejects larger transactions. "
    "Split the work or use batch operations where atomicity is not needed."
)
SAME_ITEM_MESSAGE = (
    "Transaction request cannot include multiple operations on one item: actions {first} and "
    "{second} both target {key} in table {table!r}. Combine them into one action."
)
ACTION_TYPE_MESSAGE = (
    "transact_write() takes Put, Update, Delete or ConditionCheck actions, got {got} at "
    "position {index}"
)


def _write_entry(
    sender: Sender, action: TransactWriteAction
) -> tuple[str, dict[str, Any], Any, VersionedWrite | None]:
    """Return (request kind, request body, codec, versioned write) for one action."""
    versioned = None
    if isinstance(action, Put):
        codec: ModelCodec[Any] = codec_for(type(action.item))
        body: dict[str, Any] = {"Item": codec.encode(action.item)}
        kind = "Put"
        versioned = for_put(codec, action.item)
        if versioned is not None:
            versioned.stamp(body["Item"])
    else:
        codec = codec_for(action.model)
        body = {"Key": codec.encode_key(action.hash_key, action.range_key)}
        kind = type(action).__name__
        if isinstance(action, Update | Delete):
            versioned = for_key(codec, f"transact_write {kind}", action.version)
    body["TableName"] = sender.table_name(codec)
    ctx = ExpressionContext(model=codec.view)
    condition = action.condition_expression
    if versioned is not None:
        condition = versioned.condition(condition)
    if isinstance(action, Update):
        updates = action.update_expression
        if versioned is not None:
            updates = update_actions(versioned, updates)
        body["UpdateExpression"] = ctx.update(updates)
    if condition is not None:
        body["ConditionExpression"] = ctx.condition(condition)
    body.update(ctx.request_params())
    if action.return_values_on_condition_check_failure != "NONE":
        on_failure = action.return_values_on_condition_check_failure
        body["ReturnValuesOnConditionCheckFailure"] = on_failure
    return kind, body, codec, versioned


async def transact_write(
    sender: Sender, actions: Sequence[TransactWriteAction], client_request_token: str | None
) -> None:
    """Implementation of :meth:`TransactionOperations.transact_write`."""
    if not 1 <= len(actions) <= MAX_ACTIONS:
        raise ValidationError(
            COUNT_MESSAGE.format(operation="transact_write()", count=len(actions)),
            "TransactWriteItems",
        )
    if client_request_token is not None:
        check_client_request_token(client_request_token)
    items: list[dict[str, Any]] = []
    codecs: list[ModelCodec[Any]] = []
    stamped: list[tuple[VersionedWrite, Any]] = []
    seen: dict[tuple[Any, ...], int] = {}
    for index, action in enumerate(actions):
        if not isinstance(action, Put | Update | Delete | ConditionCheck):
            raise ArgumentError(ACTION_TYPE_MESSAGE.format(got=type(action).__name__, index=index))
        kind, body, codec, versioned = _write_entry(sender, action)
        if versioned is not None and isinstance(action, Put):
            stamped.append((versioned, action.item))
        key = body.get("Key") or codec.key_from_item(body["Item"])
        ident = item_key_identity(body["TableName"], key)  # numbers by value
        if ident in seen:
            raise ValidationError(
                SAME_ITEM_MESSAGE.format(
                    first=seen[ident], second=index, key=key, table=body["TableName"]
                ),
                "TransactWriteItems",
            )
        seen[ident] = index
        items.append({kind: body})
        codecs.append(codec)
    params: dict[str, Any] = {"TransactItems": items}
    if client_request_token is not None:
        params["ClientRequestToken"] = client_request_token
    try:
        await sender.send("transact_write_items", params)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "TransactionCanceledException":
            _attach_reasons(error, actions, codecs)
        raise
    for versioned, item in stamped:  # only once DynamoDB has applied them all
        versioned.set_on(item)


def _attach_reasons(
    error: ClientError, actions: Sequence[TransactWriteAction], codecs: list[ModelCodec[Any]]
) -> None:
    raw_reasons: list[dict[str, Any]] = list(error.response.get("CancellationReasons") or [])
    reasons: list[CancellationReason] = []
    for index, action in enumerate(actions):
        raw = raw_reasons[index] if index < len(raw_reasons) else {}
        stored = raw.get("Item")
        item = None
        if stored:
            try:
                item = codecs[index].decode(stored)
            except ValueError:
                item = None
        reasons.append(
            CancellationReason(
                action=action,
                code=str(raw.get("Code", "None")),
                message=raw.get("Message"),
                item=item,
            )
        )
    error.reasons = reasons
    failed = [
        f"  action {i} ({type(r.action).__name__} on {codecs[i].meta.name}): {r.code}"
        + (f" - {r.message}" if r.message else "")
        for i, r in enumerate(reasons)
        if r.code not in ("None", "")
    ]
    if failed:
        error.add_note("cancellation reasons by action:\n" + "\n".join(failed))


async def transact_get(
    sender: Sender, keys: Sequence[ItemKey[M]], other_kinds: OtherKinds = "error"
) -> tuple[M | None, ...]:
    """Implementation of :meth:`TransactionOperations.transact_get`."""
    if not 1 <= len(keys) <= MAX_ACTIONS:
        raise ValidationError(
            COUNT_MESSAGE.format(operation="transact_get()", count=len(keys)),
            "TransactGetItems",
        )
    decoders: list[Callable[[Item], Any]] = []
    items: list[dict[str, Any]] = []
    for index, ref in enumerate(keys):
        if not isinstance(ref, ItemKey):
            raise ArgumentError(
                f"transact_get() takes ItemKey(Model, hash_key, range_key) objects, got "
                f"{type(ref).__name__} at position {index}"
            )
        reader = reader_for(ref.model, other_kinds, "transact_get")
        codec = reader.codec
        decoders.append(reader.decode)
        items.append(
            {
                "Get": {
                    "TableName": sender.table_name(codec),
                    "Key": codec.encode_key(ref.hash_key, ref.range_key),
                }
            }
        )
    response = await sender.send("transact_get_items", {"TransactItems": items})
    # A tuple: one entry per key, by position, so mypy can type each one
    # (TransactionOperations.transact_get).
    return tuple(
        decode(entry["Item"]) if entry.get("Item") else None
        for decode, entry in zip(decoders, response.get("Responses", ()), strict=False)
    )


class TransactionOperations:
    """``DynamoDB``'s transactions (a base class of ``DynamoDB``)."""

    _connection: Sender

    async def transact_write(
        self,
        *actions: TransactWriteAction,
        client_request_token: str | None = None,
        return_consumed_capacity: CapacityMode | None = None,
    ) -> None:
        """Apply up to 100 ``Put``/``Update``/``Delete``/``ConditionCheck`` actions atomically.

        Raises:
            TransactionCanceledException: botocore's class; its ``reasons`` attribute lists a
                :class:`~aiodynamodb.CancellationReason` per action, in the order passed.

        ``return_consumed_capacity="TOTAL"`` or ``"INDEXES"`` asks DynamoDB what the
        transaction consumed (one report per table): ``db.last_consumed_capacity``.
        """
        if return_consumed_capacity is None:
            await transact_write(self._connection, actions, client_request_token)
            return
        with per_call("transact_write", return_consumed_capacity):
            await transact_write(self._connection, actions, client_request_token)

    @overload
    async def transact_get(
        self,
        k1: ItemKey[M1],
        /,
        *,
        other_kinds: OtherKinds = "error",
        return_consumed_capacity: CapacityMode | None = None,
    ) -> tuple[M1 | None]: ...

    @overload
    async def transact_get(
        self,
        k1: ItemKey[M1],
        k2: ItemKey[M2],
        /,
        *,
        other_kinds: OtherKinds = "error",
        return_consumed_capacity: CapacityMode | None = None,
    ) -> tuple[M1 | None, M2 | None]: ...

    @overload
    async def transact_get(
        self,
        k1: ItemKey[M1],
        k2: ItemKey[M2],
        k3: ItemKey[M3],
        /,
        *,
        other_kinds: OtherKinds = "error",
        return_consumed_capacity: CapacityMode | None = None,
    ) -> tuple[M1 | None, M2 | None, M3 | None]: ...

    @overload
    async def transact_get(
        self,
        k1: ItemKey[M1],
        k2: ItemKey[M2],
        k3: ItemKey[M3],
        k4: ItemKey[M4],
        /,
        *,
        other_kinds: OtherKinds = "error",
        return_consumed_capacity: CapacityMode | None = None,
    ) -> tuple[M1 | None, M2 | None, M3 | None, M4 | None]: ...

    @overload
    async def transact_get(
        self,
        k1: ItemKey[M1],
        k2: ItemKey[M2],
        k3: ItemKey[M3],
        k4: ItemKey[M4],
        k5: ItemKey[M5],
        /,
        *,
        other_kinds: OtherKinds = "error",
        return_consumed_capacity: CapacityMode | None = None,
    ) -> tuple[M1 | None, M2 | None, M3 | None, M4 | None, M5 | None]: ...

    @overload
    async def transact_get(
        self,
        k1: ItemKey[M1],
        k2: ItemKey[M2],
        k3: ItemKey[M3],
        k4: ItemKey[M4],
        k5: ItemKey[M5],
        k6: ItemKey[M6],
        /,
        *,
        other_kinds: OtherKinds = "error",
        return_consumed_capacity: CapacityMode | None = None,
    ) -> tuple[M1 | None, M2 | None, M3 | None, M4 | None, M5 | None, M6 | None]: ...

    @overload
    async def transact_get(
        self,
        *keys: ItemKey[M],
        other_kinds: OtherKinds = "error",
        return_consumed_capacity: CapacityMode | None = None,
    ) -> tuple[M | None, ...]: ...

    async def transact_get(
        self,
        *keys: ItemKey[DynamoModel],
        other_kinds: OtherKinds = "error",
        return_consumed_capacity: CapacityMode | None = None,
    ) -> tuple[DynamoModel | None, ...]:
        """Read up to 100 items atomically; None where an item does not exist.

        Returns:
            A tuple with one entry per key, in the order given: the item as its key's
            model, or None. For mypy, up to six keys are typed per position
            (``user, order = await db.transact_get(ItemKey(User, "u1"), ItemKey(Order,
            "o1"))`` gives ``User | None`` and ``Order | None``); more keys, or keys
            passed as ``*keys``, give ``tuple[M | None, ...]`` with ``M`` their common
            model class (``DynamoModel`` for several models). A key of a tuple of models
            sharing a table by discriminator (``ItemKey((Customer, Invoice), "c1",
            "inv#1")``) gives its item as the model whose discriminator value it holds,
            typed ``Customer | Invoice | None``; with ``other_kinds="skip"``, an item of
            none of its key's models gives None instead of raising ``DecodeError``.

        ``return_consumed_capacity="TOTAL"`` or ``"INDEXES"`` asks DynamoDB what the read
        consumed (one report per table): ``db.last_consumed_capacity``.
        """
        if return_consumed_capacity is None:
            return await transact_get(self._connection, keys, other_kinds)
        with per_call("transact_get", return_consumed_capacity):
            return await transact_get(self._connection, keys, other_kinds)


__all__ = ["TransactionOperations", "transact_get", "transact_write"]
