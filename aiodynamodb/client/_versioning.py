"""Optimistic locking for models declared with ``@table(..., version="version")``.

A versioned write carries a condition on the stored version and writes the next one:

- put of an instance whose version is 0 (or None): the item must not exist yet;
- put of an instance with version N >= 1, and update/delete with ``version=N``: the stored
  version must be N;
- put and update write N + 1 (put and transact_write's Put also set it on the instance, once
  DynamoDB has accepted the write, so a lost race leaves the instance as it was).

The condition is ANDed with the caller's own. When DynamoDB refuses the write, the request
asked for the stored item (``ReturnValuesOnConditionCheckFailure="ALL_OLD"``), so the error
can name both versions; it is raised as :class:`~aiodynamodb.VersionConflictError` made a
subclass of the client's ``ConditionalCheckFailedException`` at raise time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from aiodynamodb.codec import ModelCodec
from aiodynamodb.errors import ValidationError, VersionConflictError
from aiodynamodb.expressions import UpdateAttr
from aiodynamodb.item_types import Item

if TYPE_CHECKING:
    from boto3.dynamodb.conditions import ConditionBase

    from aiodynamodb.expressions import UpdateAction

VERSION_CONFLICT = (
    "{model} {key}: version conflict: the write expected {expected}, but {stored}; another "
    "writer got there first: read the item again, reapply the change and retry"
)
VERSION_REQUIRED = (
    "{operation}() of {model} needs version=<the version you read> (e.g. version=item.{field}): "
    "the model is versioned (@table(version={attr!r})), and a write that ignored the version "
    "could undo another writer's change"
)
VERSION_NOT_VERSIONED = (
    "{operation}(version={version!r}) of {model}: the model is not versioned; declare "
    "@table(..., version='<int field>') or leave out version="
)
VERSION_BAD_VALUE = "{operation}() of {model}: version must be an int >= 0, got {version!r}"
VERSION_IN_UPDATE = (
    "update() of {model} changes the version attribute {attr!r} itself; the version is "
    "maintained by aiodynamodb (each update writes version + 1): remove that action"
)
BATCH_VERSIONED = (
    "batch_write() cannot write {model}: it is versioned (@table(version={attr!r})) and batch "
    "writes cannot carry the version condition; use db.put(item) / db.delete(..., version=...) "
    "per item, or transact_write(Put(item), Delete(..., version=...)) to write several at once"
)

_conflict_classes: dict[type[ClientError], type[VersionConflictError]] = {}


@dataclass(frozen=True, slots=True)
class VersionedWrite:
    """The version condition and new version of one write to a versioned model."""

    codec: ModelCodec[Any]
    attr: str
    expected: int

    @property
    def new(self) -> int:
        """The version the write stores."""
        return self.expected + 1

    def condition(self, caller: ConditionBase | None) -> ConditionBase:
        """The version condition, ANDed with the caller's own when there is one."""
        # Imported here: boto3 costs ~50-100 ms to import, and only versioned writes need it.
        from boto3.dynamodb.conditions import Attr

        own: ConditionBase = (
            Attr(self.attr).not_exists()
            if self.expected == 0
            else Attr(self.attr).eq(self.expected)
        )
        return own if caller is None else own & caller

    def stamp(self, encoded: Item) -> None:
        """Store the new version in an encoded item (for puts)."""
        encoded[self.attr] = {"N": str(self.new)}

    def set_on(self, instance: Any) -> None:
        """Give ``instance`` the version it now has in the table (after a successful put)."""
        setattr(instance, self.codec.field_name(self.attr), self.new)

    def conflict(
        self, error: ClientError, key: Item, caller: ConditionBase | None
    ) -> VersionConflictError | None:
        """The :class:`VersionConflictError` for ``error``, or None when it is not one.

        With a condition of the caller's own, a failed check is a version conflict only when
        the stored version (from the returned item) differs from the expected one.
        """
        if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
            return None
        raw = error.response.get("Item")
        # DynamoDB returns the stored item (we ask for ALL_OLD); dynalite returns none, so
        # without it the stored version is unknown (None).
        stored: int | None = None
        if raw:
            stored = int(raw[self.attr]["N"]) if self.attr in raw else 0
        if caller is not None:
            if stored == self.expected:
                return None  # the version held: the caller's own condition failed
            if stored is None and self.expected == 0:
                return None  # cannot tell which condition failed
        # Otherwise the version condition failed: a version differs, or (no item returned
        # while a version was expected) the item is gone.
        model = self.codec.model
        key_values = {name: _plain(value) for name, value in key.items()}
        message = VERSION_CONFLICT.format(
            model=model.__name__,
            key=key_values,
            expected=f"version {self.expected}" if self.expected else "no item",
            stored=(
                "no stored item was returned (it was deleted, or the backend does not return "
                "it on a failed condition)"
                if stored is None
                else f"version {stored} is stored"
                if stored
                else "an item without a version is stored"
            ),
        )
        cls = _conflict_class(type(error))
        return cls(
            message,
            error.response,
            error.operation_name,
            model=model,
            key=key_values,
            expected=self.expected,
            stored=stored,
        )


def _plain(value: dict[str, Any]) -> Any:
    tag, raw = next(iter(value.items()))
    return int(raw) if tag == "N" and raw.lstrip("-").isdigit() else raw


def _conflict_class(error_class: type[ClientError]) -> type[VersionConflictError]:
    """A subclass of both VersionConflictError and the client's own exception class."""
    if issubclass(error_class, VersionConflictError):
        return error_class
    cls = _conflict_classes.get(error_class)
    if cls is None:
        cls = type("VersionConflictError", (VersionConflictError, error_class), {})
        cls.__module__ = VersionConflictError.__module__
        cls.__qualname__ = VersionConflictError.__qualname__
        _conflict_classes[error_class] = cls
    return cls


def for_put(codec: ModelCodec[Any], instance: Any) -> VersionedWrite | None:
    """The versioned write of ``instance``, or None when its model is not versioned."""
    attr = codec.meta.version_attribute
    if attr is None:
        return None
    current = getattr(instance, codec.field_name(attr))
    return VersionedWrite(codec, attr, current or 0)


def for_key(codec: ModelCodec[Any], operation: str, version: int | None) -> VersionedWrite | None:
    """The versioned write of an update or delete given ``version=``, checked."""
    attr = codec.meta.version_attribute
    model = codec.model.__name__
    if attr is None:
        if version is not None:
            raise ValidationError(
                VERSION_NOT_VERSIONED.format(operation=operation, model=model, version=version)
            )
        return None
    if version is None:
        raise ValidationError(
            VERSION_REQUIRED.format(
                operation=operation, model=model, field=codec.field_name(attr), attr=attr
            )
        )
    if type(version) is not int or version < 0:
        raise ValidationError(
            VERSION_BAD_VALUE.format(operation=operation, model=model, version=version)
        )
    return VersionedWrite(codec, attr, version)


def update_actions(write: VersionedWrite, actions: Sequence[UpdateAction]) -> list[UpdateAction]:
    """``actions`` plus the one setting the new version; refuses actions on the version.

    Setting N + 1 (rather than adding 1) is exact: the condition holds only where N is stored.
    """
    for action in actions:
        if action.path and action.path[0] == write.attr:
            raise ValidationError(
                VERSION_IN_UPDATE.format(model=write.codec.model.__name__, attr=write.attr)
            )
    return [*actions, UpdateAttr(write.attr).set(write.new)]


def refuse_in_batch(codec: ModelCodec[Any]) -> None:
    """Refuse a batch write of a versioned model (batches cannot carry conditions)."""
    attr = codec.meta.version_attribute
    if attr is not None:
        raise ValidationError(
            BATCH_VERSIONED.format(model=codec.model.__name__, attr=attr), "BatchWriteItem"
        )


__all__ = [
    "BATCH_VERSIONED",
    "VERSION_CONFLICT",
    "VERSION_REQUIRED",
    "VersionedWrite",
    "for_key",
    "for_put",
    "refuse_in_batch",
    "update_actions",
]
