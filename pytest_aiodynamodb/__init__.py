"""pytest plugin for aiodynamodb: the ``dynamodb`` fixture and the ``dynamodb_tables`` marker.

The plugin itself is :mod:`pytest_aiodynamodb.plugin`, loaded through the ``pytest11`` entry
point ``aiodynamodb`` (``-p no:aiodynamodb`` turns it off).

For typed test suites this package also holds the typed marker helpers
(:func:`dynamodb_tables`, :func:`dynamodb_seed`) and the types the power-tool fixtures
are annotated with::

    from pytest_aiodynamodb import CallRecorder, FaultInjector, TTLClock, dynamodb_tables

    @dynamodb_tables(User)
    async def test_it(dynamodb: DynamoDB, dynamodb_calls: CallRecorder) -> None: ...

Those types live in :mod:`aiodynamodb.testing` and are imported on first access: every
pytest run imports this package (the plugin is inside it), so it imports nothing heavy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from aiodynamodb import DynamoModel
    from aiodynamodb.testing.faults import FaultInjector
    from aiodynamodb.testing.recorder import CallBudget, CallRecorder, RecordedCall
    from aiodynamodb.testing.seeding import table_contents
    from aiodynamodb.testing.streams import StreamRecord, StreamRecorder
    from aiodynamodb.testing.ttl import TTLClock

# Re-exported name -> the module that defines it (imported when the name is first used).
_LAZY = {
    "CallBudget": "aiodynamodb.testing.recorder",
    "CallRecorder": "aiodynamodb.testing.recorder",
    "FaultInjector": "aiodynamodb.testing.faults",
    "RecordedCall": "aiodynamodb.testing.recorder",
    "StreamRecord": "aiodynamodb.testing.streams",
    "StreamRecorder": "aiodynamodb.testing.streams",
    "TTLClock": "aiodynamodb.testing.ttl",
    "table_contents": "aiodynamodb.testing.seeding",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


def dynamodb_tables(*models: type[DynamoModel]) -> pytest.MarkDecorator:
    """The ``dynamodb_tables`` marker, typed for mypy.

    ``@dynamodb_tables(User)`` is ``@pytest.mark.dynamodb_tables(User)``: on a test
    function, a class, or a module (``pytestmark = dynamodb_tables(User)``), with one
    model or several. Both spellings work at run time; pytest's own type hints make mypy
    read the one-model form of the latter as decorating with ``User`` itself (a call error
    on every use), so typed test suites use this spelling.
    """
    return pytest.mark.dynamodb_tables.with_args(*models)


def dynamodb_seed(*items: DynamoModel, file: str | None = None) -> pytest.MarkDecorator:
    """The ``dynamodb_seed`` marker, typed for mypy (see :func:`dynamodb_tables`)."""
    kwargs = {"file": file} if file is not None else {}
    return pytest.mark.dynamodb_seed.with_args(*items, **kwargs)


__all__ = [
    "CallBudget",
    "CallRecorder",
    "FaultInjector",
    "RecordedCall",
    "StreamRecord",
    "StreamRecorder",
    "TTLClock",
    "dynamodb_seed",
    "dynamodb_tables",
    "table_contents",
]
