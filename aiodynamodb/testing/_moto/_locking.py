"""moto's process-wide dispatch lock, for a read-modify-write that must be atomic."""

from __future__ import annotations

import threading

from aiodynamodb.testing._moto import _dispatch


def backend_lock() -> threading.RLock:
    """The re-entrant lock every direct dispatch into moto holds (``_Moto.lock``).

    Holding it across several dispatches (the strict layer's UpdateItem: read, evaluate,
    write) keeps every other request, from any thread or client, out of the middle: the
    server backend answers on its own thread and other clients dispatch under it too.
    """
    return _dispatch._moto().lock
