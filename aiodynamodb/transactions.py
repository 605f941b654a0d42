"""``transact_write`` and ``transact_get``.

When DynamoDB cancels a transaction, botocore raises its own
``TransactionCanceledException``. We re-raise that same exception after attaching
``reasons``: one :class:`~aiodynamodb.CancellationReason` per action, in the order the
actions were passed, with the stored item decoded to the action's model where the action
asked for it (``return_values_on_condition_check_failure="ALL_OLD"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from botocore.exceptions import ClientError

from aiodynamodb.actions import (
    CancellationReason,
    ConditionCheck,
    Delete,
    ItemKey,
    Put,
    TransactWriteAction,
    Update,
)
from aiodynamodb.codec import ModelCodec, codec_for
from aiodynamodb.errors import ArgumentError, ValidationError
from aiodynamodb.expressions import ExpressionContext
from aiodynamodb.limits import MAX_TRANSACTION_ACTIONS as MAX_ACTIONS
from aiodynamodb.model import DynamoModel
from aiodynamodb.rules import check_client_request_token, item_key_identity

if TYPE_CHECKING:
    from aiodynamodb.client import DynamoDB

M = TypeVar("M", bound=DynamoModel)


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


def _write_entry(db: DynamoDB, action: TransactWriteAction) -> tuple[str, dict[str, Any], Any]:
    """Return (request kind, request body, codec) for one action."""
    if isinstance(action, Put):
        codec: ModelCodec[Any] = codec_for(type(action.item))
        body: dict[str, Any] = {"Item": codec.encode(action.item)}
        kind = "Put"
    else:
        codec = codec_for(action.model)
        body = {"Key": codec.encode_key(action.hash_key, action.range_key)}
        kind = type(action).__name__
    body["TableName"] = db._table(codec)
    ctx = ExpressionContext(model=codec.view)
    if isinstance(action, Update):
        body["UpdateExpression"] = ctx.update(action.update_expression)
    if action.condition_expression is not None:
        body["ConditionExpression"] = ctx.condition(action.condition_expression)
    body.update(ctx.request_params())
    if action.return_values_on_condition_check_failure != "NONE":
        on_failure = action.return_values_on_condition_check_failure
        body["ReturnValuesOnConditionCheckFailure"] = on_failure
    return kind, body, codec


async def transact_write(
    db: DynamoDB, actions: Sequence[TransactWriteAction], client_request_token: str | None
) -> None:
    """Implementation of :meth:`DynamoDB.transact_write`."""
    if not 1 <= len(actions) <= MAX_ACTIONS:
        raise ValidationError(
            COUNT_MESSAGE.format(operation="transact_write()", count=len(actions)),
            "TransactWriteItems",
        )
    if client_request_token is not None:
        check_client_request_token(client_request_token)
    items: list[dict[str, Any]] = []
    codecs: list[ModelCodec[Any]] = []
    seen: dict[tuple[Any, ...], int] = {}
    for index, action in enumerate(actions):
        if not isinstance(action, Put | Update | Delete | ConditionCheck):
            raise ArgumentError(ACTION_TYPE_MESSAGE.format(got=type(action).__name__, index=index))
        kind, body, codec = _write_entry(db, action)
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
        await db._call("transact_write_items", params)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "TransactionCanceledException":
            _attach_reasons(error, actions, codecs)
        raise


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


async def transact_get(db: DynamoDB, keys: Sequence[ItemKey[M]]) -> tuple[M | None, ...]:
    """Implementation of :meth:`DynamoDB.transact_get`."""
    if not 1 <= len(keys) <= MAX_ACTIONS:
        raise ValidationError(
            COUNT_MESSAGE.format(operation="transact_get()", count=len(keys)),
            "TransactGetItems",
        )
    codecs: list[ModelCodec[Any]] = []
    items: list[dict[str, Any]] = []
    for index, ref in enumerate(keys):
        if not isinstance(ref, ItemKey):
            raise ArgumentError(
                f"transact_get() takes ItemKey(Model, hash_key, range_key) objects, got "
                f"{type(ref).__name__} at position {index}"
            )
        codec = codec_for(ref.model)
        codecs.append(codec)
        items.append(
            {
                "Get": {
                    "TableName": db._table(codec),
                    "Key": codec.encode_key(ref.hash_key, ref.range_key),
                }
            }
        )
    response = await db._call("transact_get_items", {"TransactItems": items})
    # A tuple: one entry per key, by position, so mypy can type each one (DynamoDB.transact_get).
    return tuple(
        codec.decode(entry["Item"]) if entry.get("Item") else None
        for codec, entry in zip(codecs, response.get("Responses", ()), strict=False)
    )


__all__ = ["transact_get", "transact_write"]
