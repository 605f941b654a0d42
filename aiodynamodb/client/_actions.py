"""Request objects for batches and transactions: keys, puts, updates, deletes, checks.

Each names its model, so one call can span several tables::

    await db.transact_write(
        Put(Order(order_id="o1", sku="s1", qty=1),
            condition_expression=Attr("order_id").not_exists()),
        Update(Stock, hash_key="s1", update_expression=[UpdateAttr("left").add(-1)],
               condition_expression=Attr("left").gt(0)),
    )
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, overload

from aiodynamodb.item_types import KeyValue
from aiodynamodb.model import DynamoModel

if TYPE_CHECKING:
    from boto3.dynamodb.conditions import ConditionBase

    from aiodynamodb.client._kinds import M1, M2, M3, M4
    from aiodynamodb.expressions import UpdateAction

M = TypeVar("M", bound=DynamoModel)
# ItemKey only hands its model out, so ItemKey[User] is an ItemKey[DynamoModel]: a list of keys
# of several models then type-checks (mypy joins the element types to ItemKey[DynamoModel]).
M_co = TypeVar("M_co", bound=DynamoModel, covariant=True)

ReturnOnFailure = Literal["ALL_OLD", "NONE"]


@dataclass(frozen=True, slots=True)
class ItemKey(Generic[M_co]):
    """The key of one item of ``model``: for ``batch_get``, ``batch_write`` deletes and
    ``transact_get``.

    Args:
        model: The model class (its table), or for reads a tuple of models sharing a table
            by discriminator: ``ItemKey((Customer, Invoice), "c1", "inv#1")`` reads the item
            as the model whose discriminator value it holds, typed as their union.
        hash_key: The partition key value.
        range_key: The sort key value, for tables that have one.
    """

    model: type[M_co] | tuple[type[M_co], ...]
    hash_key: KeyValue
    range_key: KeyValue | None = None

    if TYPE_CHECKING:  # the dataclass's own __init__ at run time; these type a tuple's union

        @overload
        def __init__(
            self: ItemKey[M1 | M2],
            model: tuple[type[M1], type[M2]],
            hash_key: KeyValue,
            range_key: KeyValue | None = None,
        ) -> None: ...

        @overload
        def __init__(
            self: ItemKey[M1 | M2 | M3],
            model: tuple[type[M1], type[M2], type[M3]],
            hash_key: KeyValue,
            range_key: KeyValue | None = None,
        ) -> None: ...

        @overload
        def __init__(
            self: ItemKey[M1 | M2 | M3 | M4],
            model: tuple[type[M1], type[M2], type[M3], type[M4]],
            hash_key: KeyValue,
            range_key: KeyValue | None = None,
        ) -> None: ...

        @overload
        def __init__(
            self,
            model: type[M_co] | tuple[type[M_co], ...],
            hash_key: KeyValue,
            range_key: KeyValue | None = None,
        ) -> None: ...

        def __init__(
            self,
            model: type[Any] | tuple[type[Any], ...],
            hash_key: KeyValue,
            range_key: KeyValue | None = None,
        ) -> None: ...


@dataclass(frozen=True, slots=True)
class Put(Generic[M]):
    """Put ``item`` in a transaction, optionally under a condition.

    For a versioned model, the same version rule as ``DynamoDB.put`` applies, and ``item``
    gets its new version once the transaction succeeds.
    """

    item: M
    condition_expression: ConditionBase | None = None
    return_values_on_condition_check_failure: ReturnOnFailure = "NONE"


@dataclass(frozen=True, slots=True)
class Update(Generic[M]):
    """Update one item of ``model`` in a transaction (see ``DynamoDB.update``).

    ``version`` is the version read, for a versioned model (required there).
    """

    model: type[M]
    hash_key: KeyValue
    update_expression: Sequence[UpdateAction]
    range_key: KeyValue | None = None
    condition_expression: ConditionBase | None = None
    return_values_on_condition_check_failure: ReturnOnFailure = "NONE"
    version: int | None = None


@dataclass(frozen=True, slots=True)
class Delete(Generic[M]):
    """Delete one item of ``model`` in a transaction, optionally under a condition.

    ``version`` is the version read, for a versioned model (required there).
    """

    model: type[M]
    hash_key: KeyValue
    range_key: KeyValue | None = None
    condition_expression: ConditionBase | None = None
    return_values_on_condition_check_failure: ReturnOnFailure = "NONE"
    version: int | None = None


@dataclass(frozen=True, slots=True)
class ConditionCheck(Generic[M]):
    """Require ``condition_expression`` to hold for one item, without changing it."""

    model: type[M]
    hash_key: KeyValue
    condition_expression: ConditionBase
    range_key: KeyValue | None = None
    return_values_on_condition_check_failure: ReturnOnFailure = "NONE"


TransactWriteAction = Put[Any] | Update[Any] | Delete[Any] | ConditionCheck[Any]


@dataclass(frozen=True, slots=True)
class CancellationReason:
    """Why DynamoDB cancelled one action of a transaction.

    Attributes:
        action: The action exactly as it was passed to ``transact_write``.
        code: DynamoDB's code, such as ``"ConditionalCheckFailed"`` or ``"None"`` for
            actions that did not cause the cancellation.
        message: DynamoDB's message, if any.
        item: The item as it was stored, decoded to the action's model, when the action
            asked for it with ``return_values_on_condition_check_failure="ALL_OLD"``.
    """

    action: TransactWriteAction
    code: str
    message: str | None
    item: DynamoModel | None


__all__ = [
    "CancellationReason",
    "ConditionCheck",
    "Delete",
    "ItemKey",
    "Put",
    "TransactWriteAction",
    "Update",
]
