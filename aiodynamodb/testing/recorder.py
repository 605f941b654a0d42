"""Record every DynamoDB call made by any client, and assert budgets on them.

In the spirit of pytest-django's ``django_assert_max_num_queries``: an N+1 access pattern
shows up as a failed assertion that lists the calls that were made::

    with intercepting(), CallRecorder() as calls:
        with calls.at_most(2):
            await load_dashboard(db)
        calls.assert_no_scans()

Works for every aiobotocore client created while :func:`intercepting` is active: on the
in-memory backend, and on a real endpoint too.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

from aiodynamodb.testing import _capacity
from aiodynamodb.testing.intercept import (
    ChainMember,
    DynamoCall,
    DynamoResponse,
    SyncProceed,
)

RECORDER_PRIORITY = -1000
"""First in the chain: the recorder sees every call, also those refused or faulted."""

TOO_MANY_CALLS = "expected at most {limit} {what}, {made}:\n{calls}"
SCAN_MADE = "expected no Scan, {made}:\n{calls}"
TOO_MANY_UNITS = "expected at most {limit:g} {what}, {used:g} were consumed:\n{calls}"


def _made(count: int) -> str:
    return "1 was made" if count == 1 else f"{count} were made"


@dataclass(frozen=True, slots=True)
class RecordedCall:
    """One DynamoDB call as the recorder saw it.

    Attributes:
        operation: The operation name, e.g. ``"Query"``.
        tables: The tables the request named.
        index: The index queried or scanned, if any.
        items: How many items the call read or wrote (from the response where it says:
            ``Count`` for queries and scans; else the items in the request).
        consumed_capacity: DynamoDB's ``ConsumedCapacity`` when it was returned.
        error: The error code when the call failed, else None.
        read_units: Read capacity units the call consumed, as DynamoDB counts them
            (measured by the in-memory backend for every call; on other backends, taken
            from the response when the call asked for it, else 0).
        write_units: Write capacity units the call consumed (the same way).
    """

    operation: str
    tables: tuple[str, ...]
    index: str | None
    items: int
    consumed_capacity: Any
    error: str | None
    read_units: float = 0.0
    write_units: float = 0.0

    def describe(self) -> str:
        """One line: ``Query orders (index by_status) -> 3 item(s)``."""
        where = ", ".join(self.tables) or "-"
        if self.index:
            where += f" (index {self.index})"
        outcome = f"error {self.error}" if self.error else f"{self.items} item(s)"
        return f"{self.operation} {where} -> {outcome}"

    def describe_units(self) -> str:
        """:meth:`describe` with the units: ``GetItem users -> 1 item(s), 0.5 RCU``."""
        line = self.describe()
        if self.read_units:
            line += f", {self.read_units:g} RCU"
        if self.write_units:
            line += f", {self.write_units:g} WCU"
        return line


def _units(operation: str, response: DynamoResponse) -> tuple[float, float]:
    """(read, write) units: measured by the backend, else as the response reports them."""
    if response.is_error:
        return 0.0, 0.0
    measured = response.capacity
    if measured is not None:
        return sum(t.read for t in measured), sum(t.write for t in measured)
    wire = response.body.get("ConsumedCapacity")
    entries = [wire] if isinstance(wire, dict) else wire if isinstance(wire, list) else []
    total = sum(float(e.get("CapacityUnits", 0.0)) for e in entries if isinstance(e, dict))
    if operation in _WRITE_OPERATIONS:
        return 0.0, total
    return total, 0.0


_WRITE_OPERATIONS = frozenset(
    {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}
)


def _request_items(params: dict[str, Any]) -> int:
    if "RequestItems" in params:
        total = 0
        for entry in params["RequestItems"].values():
            total += len(entry.get("Keys", ())) if isinstance(entry, dict) else len(entry)
        return total
    if "TransactItems" in params:
        return len(params["TransactItems"])
    return 1 if ("Item" in params or "Key" in params) else 0


def _count(operation: str, params: dict[str, Any], response: DynamoResponse) -> int:
    if response.is_error:
        return 0
    body = response.body
    if operation in ("Query", "Scan"):
        return int(body.get("Count", len(body.get("Items", ()))))
    if operation == "GetItem":
        return 1 if body.get("Item") else 0
    if operation == "BatchGetItem":
        return sum(len(items) for items in (body.get("Responses") or {}).values())
    return _request_items(params)


class CallRecorder(ChainMember):
    """Records calls while it is entered (as ``with`` or ``async with``).

    Attributes:
        calls: Every call recorded, in order.
    """

    priority = RECORDER_PRIORITY

    def __init__(self) -> None:
        self.calls: list[RecordedCall] = []
        self._wanted: Any = None
        # Calls arrive from the server's threads too (other processes' requests).
        self._lock = threading.Lock()

    def __call__(self, call: DynamoCall, proceed: SyncProceed) -> DynamoResponse:
        response = proceed()
        params = call.params
        read, write = _units(call.operation, response)
        recorded = RecordedCall(
            operation=call.operation,
            tables=call.tables,
            index=params.get("IndexName"),
            items=_count(call.operation, params, response),
            consumed_capacity=None if response.is_error else response.body.get("ConsumedCapacity"),
            error=response.error_code,
            read_units=read,
            write_units=write,
        )
        with self._lock:
            self.calls.append(recorded)
        return response

    def start(self) -> None:
        """Join the chain; the in-memory backend measures capacity while a recorder is in."""
        if self._handle is None:
            self._wanted = _capacity.wanted()
            self._wanted.__enter__()
        super().start()

    def stop(self) -> None:
        """Leave the chain (the calls recorded stay)."""
        super().stop()
        wanted, self._wanted = self._wanted, None
        if wanted is not None:
            wanted.__exit__(None, None, None)

    def read_units(self, operation: str | None = None, *, table: str | None = None) -> float:
        """Read capacity units consumed by the recorded calls (of ``operation``, on ``table``)."""
        return sum(c.read_units for c in self.matching(operation, table=table))

    def write_units(self, operation: str | None = None, *, table: str | None = None) -> float:
        """Write capacity units consumed by the recorded calls (of ``operation``, on ``table``)."""
        return sum(c.write_units for c in self.matching(operation, table=table))

    def capacity_at_most(
        self,
        *,
        read: float | None = None,
        write: float | None = None,
        table: str | None = None,
    ) -> CapacityBudget:
        """A block that fails if its calls consume more than ``read`` read units or
        ``write`` write units (on ``table``); the failure lists every call the block made
        with its units.
        """
        return CapacityBudget(self, read, write, table)

    def clear(self) -> None:
        """Forget the calls recorded so far."""
        self.calls.clear()

    def count(self, operation: str | None = None, *, table: str | None = None) -> int:
        """How many calls were recorded, optionally of one operation and/or on one table."""
        return len(self.matching(operation, table=table))

    def matching(
        self, operation: str | None = None, *, table: str | None = None
    ) -> list[RecordedCall]:
        """The recorded calls of ``operation`` (all when None) touching ``table`` (any)."""
        return [
            c
            for c in self.calls
            if (operation is None or c.operation == operation)
            and (table is None or table in c.tables)
        ]

    @staticmethod
    def format(calls: list[RecordedCall]) -> str:
        """Numbered lines, one per call."""
        return "\n".join(f"  {n}. {c.describe()}" for n, c in enumerate(calls, 1)) or "  (none)"

    def at_most(
        self, limit: int, operation: str | None = None, *, table: str | None = None
    ) -> CallBudget:
        """A block that fails if it makes more than ``limit`` calls (of ``operation``, on
        ``table``); the failure lists every call the block made.
        """
        return CallBudget(self, limit, operation, table)

    def no_scans(self) -> CallBudget:
        """A block that fails if it makes any Scan."""
        return CallBudget(self, 0, "Scan", None)

    def assert_no_scans(self) -> None:
        """Fail if any Scan was recorded, listing every call.

        Raises:
            AssertionError: A Scan was made.
        """
        __tracebackhide__ = True
        scans = self.matching("Scan")
        if scans:
            raise AssertionError(
                SCAN_MADE.format(made=_made(len(scans)), calls=self.format(self.calls))
            )


class _Budget:
    """A block of calls checked on a clean exit: the calls recorded inside it are handed to
    :meth:`check` (which raises ``AssertionError`` when the budget is exceeded)."""

    def __init__(self, recorder: CallRecorder, table: str | None) -> None:
        self.recorder = recorder
        self.table = table
        self.start = 0

    def __enter__(self) -> Self:
        self.start = len(self.recorder.calls)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        __tracebackhide__ = True
        if exc_type is None:
            self.check(self.recorder.calls[self.start :])

    def check(self, block: list[RecordedCall]) -> None:
        raise NotImplementedError


class CallBudget(_Budget):
    """``with recorder.at_most(n): ...``: checks the calls made inside the block on exit."""

    def __init__(
        self, recorder: CallRecorder, limit: int, operation: str | None, table: str | None
    ) -> None:
        super().__init__(recorder, table)
        self.limit = limit
        self.operation = operation

    def check(self, block: list[RecordedCall]) -> None:
        """Raise when the block made more matching calls than the limit."""
        __tracebackhide__ = True
        made = [
            c
            for c in block
            if (self.operation is None or c.operation == self.operation)
            and (self.table is None or self.table in c.tables)
        ]
        if len(made) <= self.limit:
            return
        listing = self.recorder.format(block)
        if self.operation == "Scan" and self.limit == 0:
            raise AssertionError(SCAN_MADE.format(made=_made(len(made)), calls=listing))
        what = f"{self.operation or 'DynamoDB'} call{'' if self.limit == 1 else 's'}"
        if self.table:
            what += f" on {self.table}"
        raise AssertionError(
            TOO_MANY_CALLS.format(limit=self.limit, what=what, made=_made(len(made)), calls=listing)
        )


class CapacityBudget(_Budget):
    """``with recorder.capacity_at_most(read=..., write=...): ...``: checks the capacity the
    calls inside the block consumed, on exit."""

    def __init__(
        self,
        recorder: CallRecorder,
        read: float | None,
        write: float | None,
        table: str | None,
    ) -> None:
        super().__init__(recorder, table)
        self.read = read
        self.write = write

    def check(self, block: list[RecordedCall]) -> None:
        """Raise when the block's calls consumed more read or write units than allowed."""
        __tracebackhide__ = True
        made = [c for c in block if self.table is None or self.table in c.tables]
        where = f" on {self.table}" if self.table else ""
        for limit, kind, used in (
            (self.read, "read", sum(c.read_units for c in made)),
            (self.write, "write", sum(c.write_units for c in made)),
        ):
            if limit is not None and used > limit:
                raise AssertionError(
                    TOO_MANY_UNITS.format(
                        limit=limit,
                        what=f"{kind} capacity units{where}",
                        used=used,
                        calls="\n".join(
                            f"  {n}. {c.describe_units()}" for n, c in enumerate(block, 1)
                        ),
                    )
                )


__all__ = ["RECORDER_PRIORITY", "CallBudget", "CallRecorder", "CapacityBudget", "RecordedCall"]
