"""Consumed capacity, typed: :class:`ConsumedCapacity` and the :class:`CapacityTracker`
that ``db.capacity(...)`` hands out.

DynamoDB reports what a request consumed only when the request asks
(``ReturnConsumedCapacity``: ``TOTAL`` or ``INDEXES``). Inside ``with db.capacity("TOTAL")
as used:`` every request of this task asks, and every report lands in ``used``; single-item
operations keep their return types, pages carry their own report
(``page.consumed_capacity``), and batches and transactions sent in several rounds add up.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from aiodynamodb.errors import ArgumentError

CapacityMode = Literal["TOTAL", "INDEXES"]
"""What DynamoDB reports: the total per table, or also the table and each index."""

_MODES = ("TOTAL", "INDEXES")
_DATA_PLANE = frozenset(
    {
        "get_item",
        "put_item",
        "update_item",
        "delete_item",
        "query",
        "scan",
        "batch_get_item",
        "batch_write_item",
        "transact_get_items",
        "transact_write_items",
    }
)
BAD_CAPACITY_MODE = (
    "db.capacity() takes 'TOTAL' or 'INDEXES' (DynamoDB's ReturnConsumedCapacity), got {value!r}"
)
BAD_CALL_CAPACITY_MODE = (
    "{operation}(return_consumed_capacity=...) takes 'TOTAL' or 'INDEXES' (DynamoDB's "
    "ReturnConsumedCapacity), got {value!r}; leave it out (None) not to ask for capacity"
)
_EMPTY: Mapping[str, float] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class ConsumedCapacity:
    """What requests consumed on one table, as DynamoDB reports it.

    Attributes:
        table: The table's name (as sent, prefix included).
        capacity_units: All units consumed (table and indexes, reads and writes).
        table_units: Units of the table itself (``INDEXES`` reports only, else None).
        global_secondary_indexes: Units per global secondary index touched (``INDEXES``).
        local_secondary_indexes: Units per local secondary index touched (``INDEXES``).
    """

    table: str
    capacity_units: float
    table_units: float | None = None
    global_secondary_indexes: Mapping[str, float] = field(default_factory=lambda: _EMPTY)
    local_secondary_indexes: Mapping[str, float] = field(default_factory=lambda: _EMPTY)

    @classmethod
    def from_wire(cls, body: Mapping[str, Any]) -> ConsumedCapacity:
        """Read one ``ConsumedCapacity`` object of a DynamoDB response."""

        def units(part: Any) -> float:
            return float((part or {}).get("CapacityUnits", 0.0))

        table = body.get("Table")
        return cls(
            table=str(body.get("TableName", "")),
            capacity_units=units(body),
            table_units=None if table is None else units(table),
            global_secondary_indexes=MappingProxyType(
                {k: units(v) for k, v in (body.get("GlobalSecondaryIndexes") or {}).items()}
            ),
            local_secondary_indexes=MappingProxyType(
                {k: units(v) for k, v in (body.get("LocalSecondaryIndexes") or {}).items()}
            ),
        )

    def __add__(self, other: ConsumedCapacity) -> ConsumedCapacity:
        """The sum of two reports on the same table.

        Raises:
            ValueError: The reports are for different tables.
        """
        if other.table != self.table:
            raise ValueError(
                f"cannot add the capacity of table {other.table!r} to that of {self.table!r}"
            )
        table_units = (
            None
            if self.table_units is None and other.table_units is None
            else (self.table_units or 0.0) + (other.table_units or 0.0)
        )
        return ConsumedCapacity(
            table=self.table,
            capacity_units=self.capacity_units + other.capacity_units,
            table_units=table_units,
            global_secondary_indexes=_sum(
                self.global_secondary_indexes, other.global_secondary_indexes
            ),
            local_secondary_indexes=_sum(
                self.local_secondary_indexes, other.local_secondary_indexes
            ),
        )


def _sum(a: Mapping[str, float], b: Mapping[str, float]) -> Mapping[str, float]:
    if not b:
        return a
    merged = dict(a)
    for name, units in b.items():
        merged[name] = merged.get(name, 0.0) + units
    return MappingProxyType(merged)


def reports(response: Mapping[str, Any]) -> list[ConsumedCapacity]:
    """The ``ConsumedCapacity`` reports of a response (one object or a list), or []."""
    wire = response.get("ConsumedCapacity")
    if wire is None:
        return []
    if isinstance(wire, Mapping):
        return [ConsumedCapacity.from_wire(wire)]
    return [ConsumedCapacity.from_wire(entry) for entry in wire if isinstance(entry, Mapping)]


def summed(entries: list[ConsumedCapacity]) -> ConsumedCapacity | None:
    """One report for entries of one table (None when there are none)."""
    total: ConsumedCapacity | None = None
    for entry in entries:
        total = entry if total is None else total + entry
    return total


class CapacityTracker:
    """The capacity reports of every request sent inside ``with db.capacity(...)``.

    Attributes:
        mode: What the requests ask DynamoDB to report.
        reports: Every report received, in order (a batch round or a transaction may
            give one per table).
    """

    def __init__(self, mode: CapacityMode) -> None:
        self.mode: CapacityMode = mode
        self.reports: list[ConsumedCapacity] = []

    @property
    def total(self) -> float:
        """All capacity units consumed, over every table."""
        return sum(entry.capacity_units for entry in self.reports)

    def by_table(self) -> dict[str, ConsumedCapacity]:
        """One summed report per table."""
        tables: dict[str, ConsumedCapacity] = {}
        for entry in self.reports:
            known = tables.get(entry.table)
            tables[entry.table] = entry if known is None else known + entry
        return tables


@dataclass(frozen=True, slots=True)
class CallCapacity:
    """What one call made with ``return_consumed_capacity=...`` consumed.

    ``db.last_consumed_capacity`` holds it for operations whose return type has no room
    for it (``get``, ``put``, ``update``, ``delete``, ``count``, ``batch_get``,
    ``batch_write``, ``transact_get``, ``transact_write``).

    Attributes:
        operation: The method that asked, e.g. ``"batch_write"``.
        mode: What it asked DynamoDB to report.
        reports: One report per table the call touched, summed over its requests (a
            batch's rounds, a count's pages), in the order the tables first reported.
    """

    operation: str
    mode: CapacityMode
    reports: tuple[ConsumedCapacity, ...]

    @property
    def total(self) -> float:
        """All capacity units the call consumed, over every table."""
        return sum(entry.capacity_units for entry in self.reports)

    def by_table(self) -> dict[str, ConsumedCapacity]:
        """The call's report per table name (as sent, prefix included)."""
        return {entry.table: entry for entry in self.reports}

    def table(self, name: str) -> ConsumedCapacity:
        """The report of table ``name`` (as sent, prefix included).

        Raises:
            KeyError: The call did not touch that table.
        """
        for entry in self.reports:
            if entry.table == name:
                return entry
        raise KeyError(name)


_trackers: ContextVar[tuple[CapacityTracker, ...]] = ContextVar("aiodynamodb_capacity", default=())
# The report of this task's last call that asked with return_consumed_capacity=... (a
# ContextVar: concurrent tasks each see their own).
_last: ContextVar[CallCapacity | None] = ContextVar("aiodynamodb_last_capacity", default=None)


def check_mode(operation: str, mode: object) -> CapacityMode:
    """``mode`` as a :data:`CapacityMode`, or an ArgumentError naming the argument."""
    if mode == "TOTAL":
        return "TOTAL"
    if mode == "INDEXES":
        return "INDEXES"
    raise ArgumentError(BAD_CALL_CAPACITY_MODE.format(operation=operation, value=mode))


def last() -> CallCapacity | None:
    """This task's last per-call report (``db.last_consumed_capacity``)."""
    return _last.get()


def remember(operation: str, mode: CapacityMode, entries: list[ConsumedCapacity]) -> None:
    """Keep a call's reports (one per table, summed) as this task's last report."""
    tables: dict[str, ConsumedCapacity] = {}
    for entry in entries:
        if mode == "TOTAL" and entry.table_units is not None:  # an outer block asked INDEXES
            entry = ConsumedCapacity(entry.table, entry.capacity_units)
        known = tables.get(entry.table)
        tables[entry.table] = entry if known is None else known + entry
    _last.set(CallCapacity(operation, mode, tuple(tables.values())))


def ask_once(operation: str, mode: object, params: dict[str, Any]) -> CapacityMode:
    """Check a call's ``return_consumed_capacity`` and ask for it in its one request."""
    checked = check_mode(operation, mode)
    params["ReturnConsumedCapacity"] = checked
    return checked


def answered_once(operation: str, mode: CapacityMode, response: Mapping[str, Any]) -> None:
    """Remember the report of a call made of one request."""
    remember(operation, mode, reports(response))


@contextmanager
def per_call(operation: str, mode: object) -> Iterator[None]:
    """A call made of several requests (batch rounds, count pages) that asked: every
    request of the block asks, and their reports become this task's last report."""
    checked = check_mode(operation, mode)
    with tracking(checked) as tracker:
        yield
    remember(operation, checked, tracker.reports)


@contextmanager
def tracking(mode: CapacityMode) -> Iterator[CapacityTracker]:
    """A block whose requests (this task's) ask for and collect consumed capacity."""
    if mode not in _MODES:
        raise ArgumentError(BAD_CAPACITY_MODE.format(value=mode))
    tracker = CapacityTracker(mode)
    token = _trackers.set((*_trackers.get(), tracker))
    try:
        yield tracker
    finally:
        _trackers.reset(token)


def ask(operation: str, params: dict[str, Any]) -> None:
    """Ask for capacity in a data-plane request's ``params`` when a tracker is active
    (INDEXES wins over TOTAL)."""
    trackers = _trackers.get()
    if trackers and operation in _DATA_PLANE:
        asked = params.get("ReturnConsumedCapacity")
        if asked == "INDEXES":
            return
        modes = {tracker.mode for tracker in trackers}
        if "INDEXES" in modes:  # a call's TOTAL is a part of what an INDEXES block needs
            params["ReturnConsumedCapacity"] = "INDEXES"
        elif asked is None:
            params["ReturnConsumedCapacity"] = "TOTAL"


def collect(response: Mapping[str, Any]) -> None:
    """Hand a response's reports to the active trackers."""
    trackers = _trackers.get()
    if not trackers or "ConsumedCapacity" not in response:
        return
    entries = reports(response)
    for tracker in trackers:
        if tracker.mode == "TOTAL":
            tracker.reports.extend(
                ConsumedCapacity(entry.table, entry.capacity_units) for entry in entries
            )
        else:
            tracker.reports.extend(entries)


__all__ = [
    "BAD_CALL_CAPACITY_MODE",
    "BAD_CAPACITY_MODE",
    "CallCapacity",
    "CapacityMode",
    "CapacityTracker",
    "ConsumedCapacity",
    "answered_once",
    "ask",
    "ask_once",
    "check_mode",
    "collect",
    "last",
    "per_call",
    "remember",
    "reports",
    "summed",
    "tracking",
]
