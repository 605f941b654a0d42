"""``pytest.mark.dynamodb_tables(User)``: one model class is an argument, not a test.

pytest's ``MarkDecorator.__call__`` reads a lone class argument as the object being
decorated: ``pytest.mark.dynamodb_tables(User)`` would store an argument-less mark *on
User* and return ``User`` itself, so the decorated test, a ``pytestmark`` or a
``pytest.param(marks=...)`` would get a model class where a mark belongs.

``pytest.mark`` is one ``MarkGenerator`` whose ``__getattr__`` builds a decorator per name,
and it is only asked for names it does not hold. :func:`install` gives it our two markers
as attributes: a :class:`ModelMarkDecorator` that takes a lone class as a mark argument
unless pytest would collect that class as a test class (so a bare
``@pytest.mark.dynamodb_tables`` on ``class TestUsers`` still marks the class).

The plugin module calls :func:`install` when it is imported, which pytest does before it
imports any conftest.py or test module (entry point, ``-p``, xdist workers alike); the
attribute stays on the process-wide ``pytest.mark``, so pytester's in-process runs see it
too. The package :mod:`aiodynamodb` itself never imports pytest.
"""

from __future__ import annotations

import fnmatch
import inspect
import sys
from collections.abc import Sequence
from typing import Any

import pytest

MODEL_MARKERS = ("dynamodb_tables", "dynamodb_seed")
"""The markers whose arguments are model classes or instances."""

DEFAULT_TEST_CLASS_PATTERNS = ("Test",)
"""pytest's default ``python_classes``, used until a run's config is known."""

_test_class_patterns: list[Sequence[str]] = [DEFAULT_TEST_CLASS_PATTERNS]


def push_test_class_patterns(patterns: Sequence[str]) -> None:
    """Use a configured run's ``python_classes`` (runs nest under pytester)."""
    _test_class_patterns.append(tuple(patterns) or DEFAULT_TEST_CLASS_PATTERNS)


def pop_test_class_patterns() -> None:
    """Back to the enclosing run's ``python_classes`` when a run ends."""
    if len(_test_class_patterns) > 1:
        _test_class_patterns.pop()


def _matches(name: str, pattern: str) -> bool:
    # The same test as pytest's own python_classes matching: a prefix, or a glob.
    if name.startswith(pattern):
        return True
    return any(c in pattern for c in "*?[") and fnmatch.fnmatch(name, pattern)


def could_be_test_class(cls: type) -> bool:
    """Whether pytest would collect ``cls`` as a test class.

    A ``unittest.TestCase``, or a class named like ``python_classes`` without an
    ``__init__`` or ``__new__`` of its own (pytest refuses to collect those). Pydantic
    models always define ``__init__``, so a model class is never taken for a test class.
    """
    unittest = sys.modules.get("unittest")  # not imported: no class can be a TestCase
    if unittest is not None and issubclass(cls, unittest.TestCase):
        return True
    init: object = getattr(cls, "__init__", None)
    new: object = getattr(cls, "__new__", None)
    if init is not object.__init__ or new is not object.__new__:
        return False
    return any(_matches(cls.__name__, p) for p in _test_class_patterns[-1])


class ModelMarkDecorator(pytest.MarkDecorator):
    """A ``MarkDecorator`` that takes a lone non-test class as a mark argument."""

    def __call__(self, *args: object, **kwargs: object) -> Any:
        """Add ``args`` to the mark, or mark the test function or test class given alone."""
        if len(args) == 1 and not kwargs:
            (arg,) = args
            if inspect.isclass(arg) and not could_be_test_class(arg):
                return self.with_args(arg)
        return super().__call__(*args, **kwargs)

    def with_args(self, *args: object, **kwargs: object) -> ModelMarkDecorator:
        """Add arguments; the result still reads a lone class as an argument."""
        combined = super().with_args(*args, **kwargs)
        return ModelMarkDecorator(combined.mark, _ispytest=True)


def install() -> None:
    """Make ``pytest.mark.dynamodb_tables`` / ``dynamodb_seed`` our decorators."""
    generator = pytest.mark
    for name in MODEL_MARKERS:
        if type(vars(generator).get(name)) is not ModelMarkDecorator:
            empty = pytest.Mark(name, (), {}, _ispytest=True)
            setattr(generator, name, ModelMarkDecorator(empty, _ispytest=True))


__all__ = [
    "MODEL_MARKERS",
    "ModelMarkDecorator",
    "could_be_test_class",
    "install",
    "pop_test_class_patterns",
    "push_test_class_patterns",
]
