"""pytest plugin for aiodynamodb: the ``dynamodb`` fixture and the ``dynamodb_tables`` marker.

The plugin itself is :mod:`pytest_aiodynamodb.plugin`, loaded through the ``pytest11`` entry
point ``aiodynamodb`` (``-p no:aiodynamodb`` turns it off).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from aiodynamodb import DynamoModel


def dynamodb_tables(*models: type[DynamoModel]) -> pytest.MarkDecorator:
    """The ``dynamodb_tables`` marker, typed for mypy.

    ``@dynamodb_tables(User)`` is ``@pytest.mark.dynamodb_tables(User)``. Both work at run
    time; pytest's own type hints make mypy read the one-model form of the latter as
    decorating with ``User`` itself, so typed test suites can use this spelling.
    """
    return pytest.mark.dynamodb_tables.with_args(*models)


def dynamodb_seed(*items: DynamoModel, file: str | None = None) -> pytest.MarkDecorator:
    """The ``dynamodb_seed`` marker, typed for mypy (see :func:`dynamodb_tables`)."""
    kwargs = {"file": file} if file is not None else {}
    return pytest.mark.dynamodb_seed.with_args(*items, **kwargs)


__all__ = ["dynamodb_seed", "dynamodb_tables"]
