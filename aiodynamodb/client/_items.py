"""Single-item operations: ``put``, ``get``, ``delete`` and ``update``.

:class:`ItemOperations` is a part of ``DynamoDB``: it encodes the model instance or key with
the codec, compiles the expressions, hands the request to the connection (a
:class:`~aiodynamodb.client._sender.Sender`) and decodes the answer back into the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

from botocore.exceptions import ClientError

from aiodynamodb.client._capacity import CapacityMode, answered_once, ask_once
from aiodynamodb.client._kinds import M1, M2, M3, M4, refuse_projection_of_several
from aiodynamodb.client._sender import Sender
from aiodynamodb.client._versioning import VersionedWrite, for_key, for_put, update_actions
from aiodynamodb.codec import OtherKinds, codec_for, reader_for
from aiodynamodb.expressions import ExpressionContext
from aiodynamodb.item_types import KeyValue
from aiodynamodb.model import DynamoModel
from aiodynamodb.rules import check_flag, check_return_values

if TYPE_CHECKING:
    from boto3.dynamodb.conditions import ConditionBase

    from aiodynamodb.expressions import UpdateAction

M = TypeVar("M", bound=DynamoModel)

_OLD_ONLY = ("NONE", "ALL_OLD")  # what PutItem and DeleteItem return
_UPDATE_RETURNS = ("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW")

ReturnValues = Literal["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"]


class ItemOperations:
    """``DynamoDB``'s single-item operations (a base class of ``DynamoDB``)."""

    _connection: Sender

    @overload
    async def put(
        self,
        item: DynamoModel,
        *,
        condition_expression: ConditionBase | None = None,
        return_values: Literal["NONE"] = "NONE",
        return_consumed_capacity: CapacityMode | None = None,
    ) -> None: ...

    @overload
    async def put(
        self,
        item: M,
        *,
        condition_expression: ConditionBase | None = None,
        return_values: Literal["ALL_OLD"],
        return_consumed_capacity: CapacityMode | None = None,
    ) -> M | None: ...

    async def put(
        self,
        item: M,
        *,
        condition_expression: ConditionBase | None = None,
        return_values: Literal["NONE", "ALL_OLD"] = "NONE",
        return_consumed_capacity: CapacityMode | None = None,
    ) -> M | None:
        """Write ``item``, replacing any item with the same key.

        Args:
            item: The model instance to store.
            condition_expression: A boto3 ``Attr`` condition that must hold, e.g.
                ``Attr("user_id").not_exists()``; otherwise DynamoDB raises
                ``ConditionalCheckFailedException``.
            return_values: ``"ALL_OLD"`` returns the replaced item as a model (or None).
            return_consumed_capacity: ``"TOTAL"`` or ``"INDEXES"`` asks DynamoDB what this
                call consumed; the report is then ``db.last_consumed_capacity``.

        Returns:
            None; with ``return_values="ALL_OLD"``, the replaced item as ``item``'s model, or
            None when there was none.

        Raises:
            VersionConflictError: ``item``'s model is versioned (``@table(version=...)``) and
                the stored version is not ``item``'s. On success the new version is set on
                ``item``.
        """
        codec = codec_for(type(item))
        encoded = codec.encode(item)
        versioned = for_put(codec, item)
        condition = condition_expression
        if versioned is not None:
            versioned.stamp(encoded)
            condition = versioned.condition(condition_expression)
        params: dict[str, Any] = {"TableName": self._connection.table_name(codec), "Item": encoded}
        if condition is not None:
            ctx = ExpressionContext(model=codec.view)
            params["ConditionExpression"] = ctx.condition(condition)
            params.update(ctx.request_params())
        if return_values != "NONE":
            check_return_values("put", "PutItem", return_values, _OLD_ONLY)
            params["ReturnValues"] = return_values
        if return_consumed_capacity is not None:
            return_consumed_capacity = ask_once("put", return_consumed_capacity, params)
        response = await self._send_versioned("put_item", params, versioned, condition_expression)
        if return_consumed_capacity is not None:
            answered_once("put", return_consumed_capacity, response)
        if versioned is not None:
            versioned.set_on(item)
        old = response.get("Attributes")
        return codec.decode(old) if old else None

    async def _send_versioned(
        self,
        operation: str,
        params: dict[str, Any],
        versioned: VersionedWrite | None,
        caller_condition: ConditionBase | None,
    ) -> dict[str, Any]:
        """Send; a failed version condition becomes a VersionConflictError."""
        if versioned is None:
            return await self._connection.send(operation, params)
        params["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        try:
            return await self._connection.send(operation, params)
        except ClientError as error:
            key = params.get("Key") or versioned.codec.key_from_item(params["Item"])
            conflict = versioned.conflict(error, key, caller_condition)
            if conflict is None:
                raise
            raise conflict from None

    @overload
    async def get(
        self,
        model: type[M],
        *,
        hash_key: KeyValue,
        range_key: KeyValue | None = None,
        consistent_read: bool = False,
        projection: None = None,
        other_kinds: OtherKinds = "error",
        return_consumed_capacity: CapacityMode | None = None,
    ) -> M | None: ...

    @overload
    async def get(
        self,
        model: type[M],
        *,
        hash_key: KeyValue,
        range_key: KeyValue | None = None,
        consistent_read: bool = False,
        projection: Sequence[str],
        return_consumed_capacity: CapacityMode | None = None,
    ) -> dict[str, Any] | None: ...

    @overload
    async def get(
        self,
        model: tuple[type[M1], type[M2]],
        *,
        hash_key: KeyValue,
        range_key: KeyValue | None = None,
        consistent_read: bool = False,
        other_kinds: OtherKinds = "error",
        return_consumed_capacity: CapacityMode | None = None,
    ) -> M1 | M2 | None: ...

    @overload
    async def get(
        self,
        model: tuple[type[M1], type[M2], type[M3]],
        *,
        hash_key: KeyValue,
        range_key: KeyValue | None = None,
        consistent_read: bool = False,
        other_kinds: OtherKinds = "error",
        return_consumed_capacity: CapacityMode | None = None,
    ) -> M1 | M2 | M3 | None: ...

    @overload
    async def get(
        self,
        model: tuple[type[M1], type[M2], type[M3], type[M4]],
        *,
        hash_key: KeyValue,
        range_key: KeyValue | None = None,
        consistent_read: bool = False,
        other_kinds: OtherKinds = "error",
        return_consumed_capacity: CapacityMode | None = None,
    ) -> M1 | M2 | M3 | M4 | None: ...

    @overload
    async def get(
        self,
        model: tuple[type[M], ...],
        *,
        hash_key: KeyValue,
        range_key: KeyValue | None = None,
        consistent_read: bool = False,
        other_kinds: OtherKinds = "error",
        return_consumed_capacity: CapacityMode | None = None,
    ) -> M | None: ...

    async def get(
        self,
        model: type[M] | tuple[type[DynamoModel], ...],
        *,
        hash_key: KeyValue,
        range_key: KeyValue | None = None,
        consistent_read: bool = False,
        projection: Sequence[str] | None = None,
        other_kinds: OtherKinds = "error",
        return_consumed_capacity: CapacityMode | None = None,
    ) -> DynamoModel | dict[str, Any] | None:
        """Read one item by its key.

        Args:
            model: The model class, or a tuple of models sharing a table by discriminator
                (``(Customer, Invoice)``): the item comes back as the model whose
                discriminator value it holds, typed as their union.
            hash_key: The partition key value.
            range_key: The sort key value (required when the table has one).
            consistent_read: Ask for a strongly consistent read.
            projection: Attribute paths to read (one model only). A projected read cannot
                be a validated model (required fields may be missing), so it returns a
                ``dict`` of the projected attributes, each decoded with its field's type.
            other_kinds: For models with a discriminator: ``"error"`` (default) raises
                ``DecodeError`` when the item is of none of the models; ``"skip"`` returns
                None instead.
            return_consumed_capacity: ``"TOTAL"`` or ``"INDEXES"`` asks DynamoDB what this
                call consumed; the report is then ``db.last_consumed_capacity``.

        Returns:
            The model (or the projected dict), or None when no item has that key.
        """
        reader = reader_for(model, other_kinds, "get")
        codec = reader.codec
        params: dict[str, Any] = {
            "TableName": self._connection.table_name(codec),
            "Key": codec.encode_key(hash_key, range_key),
        }
        if consistent_read is not False:
            check_flag("get", "consistent_read", consistent_read)
            params["ConsistentRead"] = True
        if projection is not None:
            refuse_projection_of_several("get", model)
            ctx = ExpressionContext(model=codec.view)
            params["ProjectionExpression"] = ctx.projection(projection)
            params.update(ctx.request_params())
        if return_consumed_capacity is not None:
            return_consumed_capacity = ask_once("get", return_consumed_capacity, params)
        response = await self._connection.send("get_item", params)
        if return_consumed_capacity is not None:
            answered_once("get", return_consumed_capacity, response)
        raw = response.get("Item")
        if raw is None:
            return None
        if projection is not None:
            return codec.decode_partial(raw)
        item: DynamoModel | None = reader.decode(raw)
        return item

    @overload
    async def delete(
        self,
        model: type[DynamoModel],
        *,
        hash_key: KeyValue,
        range_key: KeyValue | None = None,
        condition_expression: ConditionBase | None = None,
        return_values: Literal["NONE"] = "NONE",
        version: int | None = None,
        return_consumed_capacity: CapacityMode | None = None,
    ) -> None: ...

    @overload
    async def delete(
        self,
        model: type[M],
        *,
        hash_key: KeyValue,
        range_key: KeyValue | None = None,
        condition_expression: ConditionBase | None = None,
        return_values: Literal["ALL_OLD"],
        version: int | None = None,
        return_consumed_capacity: CapacityMode | None = None,
    ) -> M | None: ...

    async def delete(
        self,
        model: type[M],
        *,
        hash_key: KeyValue,
        range_key: KeyValue | None = None,
        condition_expression: ConditionBase | None = None,
        return_values: Literal["NONE", "ALL_OLD"] = "NONE",
        version: int | None = None,
        return_consumed_capacity: CapacityMode | None = None,
    ) -> M | None:
        """Delete one item by its key (no error if it does not exist).

        Args:
            model: The model class.
            hash_key: The partition key value.
            range_key: The sort key value (required when the table has one).
            condition_expression: A boto3 ``Attr`` condition that must hold.
            return_values: ``"ALL_OLD"`` returns the deleted item as a model (or None).
            version: For a versioned model (required there): the version read; the item is
                deleted only if that version is still stored.
            return_consumed_capacity: ``"TOTAL"`` or ``"INDEXES"`` asks DynamoDB what this
                call consumed; the report is then ``db.last_consumed_capacity``.

        Returns:
            None; with ``return_values="ALL_OLD"``, the deleted item, or None when there
            was none.

        Raises:
            VersionConflictError: Another version is stored (versioned models).
        """
        codec = codec_for(model)
        versioned = for_key(codec, "delete", version)
        condition = condition_expression
        if versioned is not None:
            condition = versioned.condition(condition_expression)
        params: dict[str, Any] = {
            "TableName": self._connection.table_name(codec),
            "Key": codec.encode_key(hash_key, range_key),
        }
        if condition is not None:
            ctx = ExpressionContext(model=codec.view)
            params["ConditionExpression"] = ctx.condition(condition)
            params.update(ctx.request_params())
        if return_values != "NONE":
            check_return_values("delete", "DeleteItem", return_values, _OLD_ONLY)
            params["ReturnValues"] = return_values
        if return_consumed_capacity is not None:
            return_consumed_capacity = ask_once("delete", return_consumed_capacity, params)
        response = await self._send_versioned(
            "delete_item", params, versioned, condition_expression
        )
        if return_consumed_capacity is not None:
            answered_once("delete", return_consumed_capacity, response)
        old = response.get("Attributes")
        return codec.decode(old) if old else None

    @overload
    async def update(
        self,
        model: type[DynamoModel],
        *,
        hash_key: KeyValue,
        range_key: KeyValue | None = None,
        update_expression: Sequence[UpdateAction],
        condition_expression: ConditionBase | None = None,
        return_values: Literal["NONE"] = "NONE",
        version: int | None = None,
        return_consumed_capacity: CapacityMode | None = None,
    ) -> None: ...

    @overload
    async def update(
        self,
        model: type[M],
        *,
        hash_key: KeyValue,
        range_key: KeyValue | None = None,
        update_expression: Sequence[UpdateAction],
        condition_expression: ConditionBase | None = None,
        return_values: Literal["ALL_NEW"],
        version: int | None = None,
        return_consumed_capacity: CapacityMode | None = None,
    ) -> M: ...

    @overload
    async def update(
        self,
        model: type[M],
        *,
        hash_key: KeyValue,
        range_key: KeyValue | None = None,
        update_expression: Sequence[UpdateAction],
        condition_expression: ConditionBase | None = None,
        return_values: Literal["ALL_OLD"],
        version: int | None = None,
        return_consumed_capacity: CapacityMode | None = None,
    ) -> M | None: ...

    @overload
    async def update(
        self,
        model: type[DynamoModel],
        *,
        hash_key: KeyValue,
        range_key: KeyValue | None = None,
        update_expression: Sequence[UpdateAction],
        condition_expression: ConditionBase | None = None,
        return_values: Literal["UPDATED_NEW", "UPDATED_OLD"],
        version: int | None = None,
        return_consumed_capacity: CapacityMode | None = None,
    ) -> dict[str, Any] | None: ...

    async def update(
        self,
        model: type[M],
        *,
        hash_key: KeyValue,
        range_key: KeyValue | None = None,
        update_expression: Sequence[UpdateAction],
        condition_expression: ConditionBase | None = None,
        return_values: ReturnValues = "NONE",
        version: int | None = None,
        return_consumed_capacity: CapacityMode | None = None,
    ) -> M | dict[str, Any] | None:
        """Change attributes of one item in place (creating it if it does not exist).

        Args:
            model: The model class.
            hash_key: The partition key value.
            range_key: The sort key value (required when the table has one).
            update_expression: ``UpdateAttr`` actions, e.g.
                ``[UpdateAttr("name").set("Bob"), UpdateAttr("visits").add(1)]``.
            condition_expression: A boto3 ``Attr`` condition that must hold.
            return_values: What to return, typed accordingly for mypy.
            version: For a versioned model (required there): the version read; the update
                applies only if that version is still stored, and writes version + 1.
            return_consumed_capacity: ``"TOTAL"`` or ``"INDEXES"`` asks DynamoDB what this
                call consumed; the report is then ``db.last_consumed_capacity``.

        Returns:
            - ``"NONE"`` (default): None.
            - ``"ALL_NEW"``: the item after the update, as a model (the item always exists
              after an update, so never None).
            - ``"ALL_OLD"``: the item before the update as a model, or None if it did not
              exist.
            - ``"UPDATED_NEW"`` / ``"UPDATED_OLD"``: a ``dict`` of the attributes the update
              touched, after / before it, each decoded with its field's type (nested models
              as dicts), or None when there are none (``"UPDATED_OLD"`` on a new item,
              ``"UPDATED_NEW"`` when the update only removes attributes).

        Raises:
            VersionConflictError: Another version is stored (versioned models).
        """
        codec = codec_for(model)
        versioned = for_key(codec, "update", version)
        condition = condition_expression
        actions = update_expression
        if versioned is not None:
            condition = versioned.condition(condition_expression)
            actions = update_actions(versioned, update_expression)
        ctx = ExpressionContext(model=codec.view)
        params: dict[str, Any] = {
            "TableName": self._connection.table_name(codec),
            "Key": codec.encode_key(hash_key, range_key),
            "UpdateExpression": ctx.update(actions),
        }
        if condition is not None:
            params["ConditionExpression"] = ctx.condition(condition)
        params.update(ctx.request_params())
        if return_values != "NONE":
            check_return_values("update", "UpdateItem", return_values, _UPDATE_RETURNS)
            params["ReturnValues"] = return_values
        if return_consumed_capacity is not None:
            return_consumed_capacity = ask_once("update", return_consumed_capacity, params)
        response = await self._send_versioned(
            "update_item", params, versioned, condition_expression
        )
        if return_consumed_capacity is not None:
            answered_once("update", return_consumed_capacity, response)
        attributes = response.get("Attributes")
        if not attributes:
            return None
        if return_values in ("ALL_NEW", "ALL_OLD"):
            return codec.decode(attributes)
        return codec.decode_partial(attributes)


__all__ = ["ItemOperations", "ReturnValues"]
