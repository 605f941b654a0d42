"""Several models on one table: the discriminator field and the agreement between models.

``@table("app", ..., discriminator="kind")`` names a field each model sharing the table
declares as a one-value ``Literal`` with that value as default::

    @table("app", hash_key="pk", range_key="sk", discriminator="kind")
    class Customer(DynamoModel):
        pk: str
        sk: str
        kind: Literal["customer"] = "customer"

Every item then carries its model's value, and a read given several models decodes each item
to the model whose value it holds. :func:`discriminator_value` checks the field when
``@table`` runs; :func:`check_kinds` checks that the models sharing a table agree on the
discriminator and each has its own value. The mock, the pytest plugin (through
``aiodynamodb.testing.table_models``) and the client's reads of several models all call it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ForwardRef, Literal, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from aiodynamodb.errors import ModelDefinitionError
from aiodynamodb.model._messages import (
    DISCRIMINATOR_DISAGREES,
    DISCRIMINATOR_EXCLUDED,
    DISCRIMINATOR_NO_DEFAULT,
    DISCRIMINATOR_NOT_LITERAL,
    DISCRIMINATOR_UNRESOLVED,
    DISCRIMINATOR_VALUE_TWICE,
)


def discriminator_value(model: type[BaseModel], field: str) -> str | int:
    """Check the discriminator field ``field`` of ``model`` and return its value.

    Raises:
        ModelDefinitionError: The field is not a one-value ``Literal`` of a str or an int
            with that value as default, or it is excluded from serialization.
    """
    if not model.__pydantic_complete__:  # forward references: resolve what can be now
        model.model_rebuild(raise_errors=False)
    info = model.model_fields[field]
    annotation = info.annotation
    if isinstance(annotation, ForwardRef | str):
        raise ModelDefinitionError(
            DISCRIMINATOR_UNRESOLVED.format(
                model=model.__name__, field=field, annotation=annotation
            )
        )
    args = get_args(annotation) if get_origin(annotation) is Literal else ()
    # bool is an int, but True/False as a kind of item is more likely a mistake than a design.
    if len(args) != 1 or type(args[0]) not in (str, int):
        raise ModelDefinitionError(
            DISCRIMINATOR_NOT_LITERAL.format(
                model=model.__name__,
                field=field,
                annotation=annotation.__name__
                if isinstance(annotation, type)
                else repr(annotation).replace("typing.", ""),
                example=model.__name__.lower(),
            )
        )
    value: str | int = args[0]
    if info.default is PydanticUndefined or info.default != value:
        raise ModelDefinitionError(
            DISCRIMINATOR_NO_DEFAULT.format(model=model.__name__, field=field, value=value)
        )
    if info.exclude:
        raise ModelDefinitionError(DISCRIMINATOR_EXCLUDED.format(model=model.__name__, field=field))
    return value


def _meta(model: type[Any]) -> Any:
    # The TableMeta @table set (its module imports this one, so it is not named here).
    return model.__dict__["__dynamo_table__"]


def _name(model: type[Any]) -> str:
    return f"{model.__module__}.{model.__qualname__}"


def check_kinds(models: Sequence[type[Any]]) -> dict[str | int, type[Any]]:
    """Check that ``models``, all ``@table`` models of one table, can share it.

    They must all name the same discriminator (or all none), and no two may have the same
    value. A model listed twice counts once.

    Args:
        models: Table models declaring the same table name.

    Returns:
        Each discriminator value and its model, in the order given (empty when the models
        declare no discriminator).

    Raises:
        ModelDefinitionError: Two models disagree on the discriminator's name, or have the
            same value; the message names both models and the table.
    """
    kinds: dict[str | int, type[Any]] = {}
    if not models:
        return kinds
    first = models[0]
    attr = _meta(first).discriminator
    for model in models:
        meta = _meta(model)
        if meta.discriminator != attr:
            raise ModelDefinitionError(
                DISCRIMINATOR_DISAGREES.format(
                    first=_name(first),
                    second=_name(model),
                    table=meta.name,
                    first_attr=repr(attr) if attr else "none",
                    second_attr=repr(meta.discriminator) if meta.discriminator else "none",
                )
            )
        value = meta.discriminator_value
        if value is None:
            continue
        other = kinds.setdefault(value, model)
        if other is not model:
            raise ModelDefinitionError(
                DISCRIMINATOR_VALUE_TWICE.format(
                    first=_name(other), second=_name(model), table=meta.name, attr=attr, value=value
                )
            )
    return kinds


__all__ = ["check_kinds", "discriminator_value"]
