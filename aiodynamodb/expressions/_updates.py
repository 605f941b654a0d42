"""Update actions: :class:`UpdateAttr` paths and the :class:`UpdateAction` objects they make."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final, Literal

from aiodynamodb.errors import ArgumentError
from aiodynamodb.expressions._paths import Path, Raw, parse_path

BAD_LIST_VALUE: Final = (
    "UpdateAttr({path!r}).{method}() takes a list of elements; wrap a single element: "
    ".{method}([value])"
)


BAD_CREATE: Final = "UpdateAttr({path!r}).{method}() takes create=True or False; got {got!r}"

BAD_NUMBER: Final = "UpdateAttr({path!r}).{method}() takes a number; got {got!r}"


ActionKind = Literal[
    "set", "remove", "add", "delete", "append", "prepend", "if_not_exists", "increment", "decrement"
]


_CLAUSES: Final = {"remove": "REMOVE", "add": "ADD", "delete": "DELETE"}


@dataclass(frozen=True, slots=True)
class UpdateAction:
    """One action of an update expression; made by the methods of :class:`UpdateAttr`.

    Attributes:
        kind: What the action does.
        path: The parsed document path it changes.
        value: The (not yet encoded) operand, ``None`` for ``remove``.
        outside: The path was given as :class:`Raw`: not checked against the model.
        create: For ``append`` / ``prepend``: start from an empty list when the attribute
            is missing.
    """

    kind: ActionKind
    path: Path
    value: Any = None
    outside: bool = field(default=False, repr=False)
    create: bool = field(default=False, repr=False)

    @property
    def clause(self) -> str:
        """The update expression clause the action belongs to: SET, REMOVE, ADD or DELETE."""
        return _CLAUSES.get(self.kind, "SET")


class UpdateAttr:
    """A document path to change in an update, e.g. ``UpdateAttr("address.lines[0]")``.

    Args:
        path: The path (see :func:`parse_path`); a malformed path raises ``ValueError`` here.
    """

    __slots__ = ("_outside", "_parts", "path")

    def __init__(self, path: str) -> None:
        self.path = path
        self._parts: Path = tuple(parse_path(path))
        self._outside = isinstance(path, Raw)

    def __repr__(self) -> str:
        return f"UpdateAttr({self.path!r})"

    def set(self, value: Any) -> UpdateAction:
        """``SET path = value``; ``set(None)`` removes the attribute (``REMOVE path``).

        ``put`` leaves None fields out of the item, so an update stores None the same way,
        never as DynamoDB's NULL (which ``exists()`` would find and a sparse index would
        hold). A list element set to None is stored as NULL (removing it would shift the
        elements after it).
        """
        return UpdateAction("set", self._parts, value, self._outside)

    def remove(self) -> UpdateAction:
        """``REMOVE path`` (an attribute, a map key or a list element)."""
        return UpdateAction("remove", self._parts, outside=self._outside)

    def add(self, value: Any) -> UpdateAction:
        """``ADD path value``: add to a number (from 0 if missing) or add elements to a set."""
        return UpdateAction("add", self._parts, value, self._outside)

    def delete(self, value: Any) -> UpdateAction:
        """``DELETE path value``: remove the given elements from a set."""
        return UpdateAction("delete", self._parts, value, self._outside)

    def append(self, values: Sequence[Any], *, create: bool = False) -> UpdateAction:
        """``SET path = list_append(path, values)``: add elements at the end of a list.

        Args:
            values: The elements to add.
            create: Also when the list does not exist yet: ``list_append(if_not_exists(path,
                []), values)`` (DynamoDB fails ``list_append`` on a missing attribute).

        Raises:
            TypeError: ``values`` is not a list or tuple, or ``create`` is not a bool.
        """
        return UpdateAction(
            "append", self._parts, self._list(values, "append"), self._outside,
            self._flag(create, "append"),
        )  # fmt: skip

    def prepend(self, values: Sequence[Any], *, create: bool = False) -> UpdateAction:
        """``SET path = list_append(values, path)``: add elements at the start of a list.

        Args:
            values: The elements to add.
            create: Also when the list does not exist yet (see :meth:`append`).

        Raises:
            TypeError: ``values`` is not a list or tuple, or ``create`` is not a bool.
        """
        return UpdateAction(
            "prepend", self._parts, self._list(values, "prepend"), self._outside,
            self._flag(create, "prepend"),
        )  # fmt: skip

    def if_not_exists(self, value: Any) -> UpdateAction:
        """``SET path = if_not_exists(path, value)``: set only if the attribute is missing."""
        return UpdateAction("if_not_exists", self._parts, value, self._outside)

    def increment(self, amount: int | float | Decimal = 1) -> UpdateAction:
        """``SET path = path + amount``; DynamoDB fails if the attribute is missing (use ``add``).

        Raises:
            TypeError: ``amount`` is not a number.
        """
        return UpdateAction(
            "increment", self._parts, self._number(amount, "increment"), self._outside
        )

    def decrement(self, amount: int | float | Decimal = 1) -> UpdateAction:
        """``SET path = path - amount``; DynamoDB fails if the attribute is missing.

        Raises:
            TypeError: ``amount`` is not a number.
        """
        return UpdateAction(
            "decrement", self._parts, self._number(amount, "decrement"), self._outside
        )

    def _list(self, values: Any, method: str) -> list[Any]:
        if not isinstance(values, list | tuple):
            raise ArgumentError(BAD_LIST_VALUE.format(path=self.path, method=method))
        return list(values)

    def _flag(self, value: Any, method: str) -> bool:
        if value is not True and value is not False:
            raise ArgumentError(BAD_CREATE.format(path=self.path, method=method, got=value))
        return value

    def _number(self, amount: Any, method: str) -> int | float | Decimal:
        if isinstance(amount, bool) or not isinstance(amount, int | float | Decimal):
            raise ArgumentError(BAD_NUMBER.format(path=self.path, method=method, got=amount))
        return amount


__all__ = ["ActionKind", "UpdateAction", "UpdateAttr"]
