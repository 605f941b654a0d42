"""What the reads of several models on one table share: the type variables of their
overloads (a tuple of two to four models is typed as the union of its models) and the checks
of arguments that apply to one model only."""

from __future__ import annotations

from typing import Any, Final, TypeVar

from aiodynamodb.errors import ArgumentError
from aiodynamodb.model import DynamoModel

# One type variable per position of a tuple of models: ``(Customer, Invoice)`` binds M1 and
# M2, and the read is typed ``Customer | Invoice``. (A TypeVarTuple cannot map ``type[...]``
# over its members, so fixed-size overloads it is; longer tuples fall back to their join.)
M1 = TypeVar("M1", bound=DynamoModel)
M2 = TypeVar("M2", bound=DynamoModel)
M3 = TypeVar("M3", bound=DynamoModel)
M4 = TypeVar("M4", bound=DynamoModel)

PROJECTION_OF_SEVERAL: Final = (
    "{operation}: {what} reads dicts decoded with one model's field types, so it takes one "
    "model class, not a tuple of models; read whole items of the tuple, or project with the "
    "one model whose fields you name"
)


def refuse_projection_of_several(operation: str, model: Any, what: str = "projection") -> None:
    """Refuse a projected read (``projection=`` or ``select=``) of a tuple of models.

    Raises:
        ArgumentError: ``model`` is a tuple.
    """
    if type(model) is tuple:
        raise ArgumentError(PROJECTION_OF_SEVERAL.format(operation=operation, what=what))


__all__ = ["M1", "M2", "M3", "M4", "PROJECTION_OF_SEVERAL", "refuse_projection_of_several"]
