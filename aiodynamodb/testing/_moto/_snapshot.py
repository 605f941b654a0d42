"""Between tests: discard moto's state and restore the pristine tables, cheaply.

The pytest plugin resets moto and gives every test fresh copies of its empty tables, a
thousand times in a run, so each step here is what the per-test cost is made of:

- :func:`reset_state` discards every moto backend's state as ``BackendDict.reset()``
  does, except that DynamoDB's per-account dictionaries are kept and their region
  backends re-initialised in place. ``BackendDict.reset()`` drops them, and moto rebuilds
  one on the next request with ``AccountSpecificBackend._generate_regions``, which asks a
  boto3 session for every partition's regions each time (its ``lru_cache`` is keyed by a
  fresh uuid, so it never hits): about a tenth of a millisecond per test for nothing.
- :class:`TableSnapshot` keeps a table as a pickle and restores it with ``pickle.loads``
  (C code), less than half the time of ``copy.deepcopy`` of moto's ``Table`` objects.
- :data:`CHANGES` notes, for every request :func:`~aiodynamodb.testing._moto.dispatch` runs
  (the one way requests reach moto's DynamoDB, whichever client sent them), which tables it
  may change: a table no request wrote to since it was restored is still the fresh copy,
  and needs no new one (most tests write to few of their tables, many to none).
"""

from __future__ import annotations

import copy
import pickle
import threading
from collections.abc import Iterable
from typing import Any

READ_ONLY_OPERATIONS = frozenset(
    {
        "BatchGetItem",
        "DescribeContinuousBackups",
        "DescribeEndpoints",
        "DescribeLimits",
        "DescribeTable",
        "DescribeTimeToLive",
        "GetItem",
        "ListTables",
        "ListTagsOfResource",
        "Query",
        "Scan",
        "TransactGetItems",
    }
)
"""Operations that change nothing in moto's DynamoDB (a read of a missing key may add an
empty partition to a table's ``items``; :meth:`Changes.unchanged` checks for that)."""

ITEM_WRITE_OPERATIONS = frozenset(
    {"BatchWriteItem", "DeleteItem", "PutItem", "TransactWriteItems", "UpdateItem"}
)
"""Operations that change only the items of the tables they name. Any other operation
(CreateTable, UpdateTable, tags, TTL, backups, PartiQL ...) may change anything."""


def reset_state() -> None:
    """Discard the state of every moto backend (all services, accounts, regions).

    DynamoDB's region backends are re-initialised in place (``BaseBackend.reset``: the same
    ``__init__`` moto runs for a new one), the other services' are dropped as
    ``BackendDict.reset()`` drops them.
    """
    from moto.core.base_backend import BackendDict, backend_lock
    from moto.dynamodb.models import dynamodb_backends

    with backend_lock:
        instances: list[Any] = BackendDict._instances  # type: ignore[misc]
        kept = [backend for backend in instances if backend is dynamodb_backends]
        for backend in instances:
            for account_backend in backend.values():
                account_backend.reset()
            if backend is not dynamodb_backends:
                backend.clear()
        instances[:] = kept


class Changes:
    """When requests last may have changed moto's DynamoDB, as numbers of one sequence.

    Each request :meth:`note` counts bumps the sequence and stamps what it may change
    (the tables named by an item write, else everything) with the new number. A reader
    keeps :attr:`now` when it restores tables and asks :meth:`changed` later, so any
    number of readers (the plugin's backend, a ``mock_dynamodb`` inside a test) never
    consume each other's notes. Thread safe: the server's requests arrive on threads of
    their own.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.now = 0
        self._everything = 0
        self._tables: dict[str, int] = {}

    def note(self, operation: str, params: Any) -> None:
        """Record what the request ``operation`` with ``params`` (its parsed body) may change.

        Called before moto runs it, so a request that fails half-way counts as a write.
        """
        if operation in READ_ONLY_OPERATIONS:
            return
        names = _written_tables(operation, params) if operation in ITEM_WRITE_OPERATIONS else None
        with self._lock:
            self.now += 1
            if names is None:
                self._everything = self.now
            else:
                for name in names:
                    self._tables[name] = self.now

    def changed(self, name: str, since: int) -> bool:
        """Whether a request noted after :attr:`now` was ``since`` may have changed the
        table ``name``."""
        return self._everything > since or self._tables.get(name, 0) > since

    def anything_since(self, since: int) -> bool:
        """Whether a request noted after :attr:`now` was ``since`` may have changed more
        than the items of the tables it named."""
        return self._everything > since

    @staticmethod
    def unchanged(table: Any) -> bool:
        """Whether moto's ``table`` holds no partition at all, as it did when created (a
        guard behind :meth:`changed`: moto adds an empty partition on some reads)."""
        return not table.items


def _written_tables(operation: str, params: Any) -> Iterable[str] | None:
    """The table names an item write names, or None when they cannot be told for sure."""
    names: list[Any] = []
    try:
        if operation == "BatchWriteItem":
            names.extend(params["RequestItems"])
        elif operation == "TransactWriteItems":
            for action in params["TransactItems"]:
                names.extend(part["TableName"] for part in action.values())
        else:
            names.append(params["TableName"])
    except (KeyError, TypeError, AttributeError):
        return None
    # An ARN names a table too (the last part): noted as "anything may have changed".
    if all(isinstance(name, str) and not name.startswith("arn:") for name in names):
        return names
    return None


CHANGES = Changes()
"""What requests changed in moto's DynamoDB, noted by ``dispatch`` (see :class:`Changes`)."""


class TableSnapshot:
    """A moto table as it was when taken; :meth:`restore` gives an independent copy.

    Args:
        table: moto's ``Table`` object.
    """

    __slots__ = ("_blob", "_copy")

    def __init__(self, table: Any) -> None:
        self._blob: bytes | None = None
        self._copy: Any = None
        try:
            self._blob = pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            # A table holding something pickle cannot write (none of moto's do today):
            # copied the slower way, with the same result.
            self._copy = copy.deepcopy(table)

    def restore(self) -> Any:
        """A new copy of the table, sharing nothing mutable with the snapshot."""
        if self._blob is not None:
            return pickle.loads(self._blob)
        return copy.deepcopy(self._copy)


__all__ = [
    "CHANGES",
    "ITEM_WRITE_OPERATIONS",
    "READ_ONLY_OPERATIONS",
    "Changes",
    "TableSnapshot",
    "reset_state",
]
