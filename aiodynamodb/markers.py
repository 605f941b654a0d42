"""Make ``@pytest.mark.dynamodb_tables(User)`` work with a single model class.

pytest's ``MarkDecorator.__call__`` treats a lone class argument as the object being
decorated: ``pytest.mark.dynamodb_tables(User)`` stores an argument-less mark *on User*
and returns ``User`` itself. Two things then happen:

- as a decorator, ``User`` is called with the test function (or class) as its only
  argument, which a pydantic model refuses with a confusing ``TypeError``;
- as ``pytestmark = pytest.mark.dynamodb_tables(User)``, pytest finds a class where it
  expects a mark, and reads its ``mark`` attribute.

DynamoModel's metaclass uses the two functions below for those cases, so the natural
spelling works on a function, a class and a module. pytest is never imported here: it is
only used when the running program has already imported it.
"""

from __future__ import annotations

import inspect
import sys
from typing import Any

MARKER = "dynamodb_tables"


def _pytest() -> Any:
    return sys.modules.get("pytest")


def is_mark_target(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    """Whether a model class is being called as a pytest mark decorator."""
    if len(args) != 1 or kwargs or _pytest() is None:
        return False
    target = args[0]
    if isinstance(target, staticmethod | classmethod):
        target = target.__func__
    return inspect.isfunction(target) or inspect.isclass(target)


def apply_mark(model: type, target: Any) -> Any:
    """Mark ``target`` with ``dynamodb_tables(model)``, undoing pytest's mark on ``model``."""
    stored = model.__dict__.get("pytestmark")
    if isinstance(stored, list):
        for index in range(len(stored) - 1, -1, -1):
            mark = stored[index]
            if getattr(mark, "name", None) == MARKER and not mark.args and not mark.kwargs:
                del stored[index]
                break
        if not stored:
            delattr(model, "pytestmark")
    return getattr(_pytest().mark, MARKER).with_args(model)(target)


def mark_of(model: type) -> Any:
    """The ``dynamodb_tables(model)`` mark, for ``pytestmark = pytest.mark.dynamodb_tables(M)``.

    Raises:
        AttributeError: pytest is not running, so there is no such attribute.
    """
    pytest = _pytest()
    if pytest is None:
        raise AttributeError("mark")
    return getattr(pytest.mark, MARKER).with_args(model).mark


__all__ = ["MARKER", "apply_mark", "is_mark_target", "mark_of"]
