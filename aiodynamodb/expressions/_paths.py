"""Document paths: ``"a.b[0].c"`` parsed into names and list indexes, and overlap checks."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Final, Protocol

from aiodynamodb.errors import ArgumentError, ValidationError
from aiodynamodb.item_types import AttributeValue

ValueEncoder = Callable[[Sequence[str | int], Any], AttributeValue]
"""Encodes a value for a document path: ``ModelCodec.encode_path_value``."""


Path = tuple[str | int, ...]


ELEMENT: Final = "*"
"""Appended to an attribute's path when the value is one element of it (``contains``)."""


_SEGMENT = re.compile(r"([^.\[\]]+)((?:\[\d+\])*)")


_INDEX = re.compile(r"\[(\d+)\]")


MALFORMED_PATH: Final = (
    "malformed attribute path {path!r}: {reason}; write map keys separated by dots and list "
    "indexes in brackets, e.g. 'address.lines[0].text'"
)


OVERLAPPING_PATHS: Final = (
    "{what} paths {first!r} and {second!r} overlap; DynamoDB rejects one expression that names "
    "a document path twice or a path and a part of it: use one {unit} for them"
)


CONFLICTING_PATHS: Final = (
    "{what} paths {first!r} and {second!r} conflict: one uses a list index where the other uses "
    "a map key on the same attribute"
)


class Raw(str):
    """An attribute path outside the model, named on purpose.

    Expressions built for a model refuse names the model does not declare (a typo in
    ``Attr("acctid")`` would otherwise test an attribute that never exists). Wrap a path in
    ``Raw`` to name an attribute the model does not declare, e.g. one written by another
    program: ``Attr(Raw("legacy_flag")).exists()``, ``UpdateAttr(Raw("legacy_flag")).remove()``,
    ``projection=["user_id", Raw("legacy_flag")]``. Its values are encoded by their Python type.

    Example:
        >>> Raw("legacy.flags[0]")
        Raw('legacy.flags[0]')
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Raw({str.__repr__(self)})"


def parse_path(path: str) -> list[str | int]:
    """Split a document path into map keys and list indexes.

    Args:
        path: Names separated by dots, each optionally followed by ``[n]`` list indexes.

    Returns:
        The path's parts: names as ``str``, indexes as ``int``.

    Raises:
        TypeError: ``path`` is not a string.
        ValueError: The path is malformed (the message names it).

    Example:
        >>> parse_path("a.b[0].c")
        ['a', 'b', 0, 'c']
    """
    if not isinstance(path, str):
        raise ArgumentError(f"an attribute path is a str such as 'a.b[0]'; got {path!r}")
    if not path:
        raise ValidationError(MALFORMED_PATH.format(path=path, reason="it is empty"))
    parts: list[str | int] = []
    for segment in path.split("."):
        match = _SEGMENT.fullmatch(segment)
        if match is None:
            if not segment:
                reason = "a name between dots is empty"
            elif segment.startswith("["):
                reason = f"the list index in {segment!r} has no name before it"
            else:
                reason = f"{segment!r} is not a name followed by [n] indexes"
            raise ValidationError(MALFORMED_PATH.format(path=path, reason=reason))
        parts.append(match.group(1))
        parts.extend(int(index) for index in _INDEX.findall(match.group(2)))
    return parts


def format_path(path: Path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return text


def check_disjoint(paths: Sequence[Path], what: str, unit: str) -> None:
    """Raise ValueError if two document paths overlap or conflict, as DynamoDB would."""
    for i, first in enumerate(paths):
        for second in paths[i + 1 :]:
            for a, b in zip(first, second, strict=False):
                if a != b:
                    if isinstance(a, int) != isinstance(b, int):
                        raise ValidationError(
                            CONFLICTING_PATHS.format(
                                what=what, first=format_path(first), second=format_path(second)
                            )
                        )
                    break
            else:
                raise ValidationError(
                    OVERLAPPING_PATHS.format(
                        what=what, first=format_path(first), second=format_path(second), unit=unit
                    )
                )


class ModelSchema(Protocol):
    """What a context built for one model asks of it (the codec's ``ModelView``).

    A resolved path is an object with a ``path`` attribute: the path with attribute names.
    """

    model_name: str

    def resolve(self, path: Sequence[str | int], use: str) -> Any:
        """Check a path against the model; raises ValidationError naming the model."""

    def update_target(self, kind: str, path: Sequence[str | int]) -> Any:
        """Resolve an update action's path and check the action fits the field's type."""

    def condition_value(self, resolved: Any, value: Any, how: str) -> AttributeValue:
        """Encode a value compared with a resolved path (``how``: compare/element/prefix)."""

    def assigned_value(self, resolved: Any, kind: str, value: Any) -> AttributeValue:
        """Encode a value an update action of ``kind`` writes at a resolved path."""

    def raw_value(self, value: Any) -> AttributeValue:
        """Encode a value by its Python type (for :class:`Raw` paths)."""

    def key_value(self, name: str, value: Any) -> AttributeValue:
        """Encode a value a key condition compares key attribute ``name`` with."""

    def check_key_names(self, conditions: Sequence[tuple[str, str]], index: str | None) -> None:
        """Check the (attribute, operator) pairs of a key condition against the key."""


__all__ = [
    "ELEMENT",
    "ModelSchema",
    "Path",
    "Raw",
    "ValueEncoder",
    "check_disjoint",
    "format_path",
    "parse_path",
]
