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
"""

from __future__ import annotations

import copy
import pickle
from typing import Any


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


__all__ = ["TableSnapshot", "reset_state"]
