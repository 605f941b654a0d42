"""Make DynamoDB misbehave on purpose: throttling, server errors, unprocessed batch items,
cancelled transactions. moto can produce none of these; real DynamoDB produces all of them.

::

    with intercepting(), FaultInjector() as faults:
        faults.fail("PutItem", error="ProvisionedThroughputExceededException", times=2)
        faults.unprocessed("BatchWriteItem", share=0.5, times=10)
        faults.cancel_transaction(["None", "ConditionalCheckFailed"])

Faults apply to every aiobotocore client created while :func:`intercepting` is active.
Each fault counts the HTTP attempts it answers, so botocore's own retries use them up
(``times=2`` on a throttling error: two refusals, then the call goes through). botocore
retries an injected error as often as it would retry a real one, but without waiting its
back-off delay (see :mod:`aiodynamodb.testing.retries`): a persistent fault
(``times=None``) fails a call after all its attempts in milliseconds, not seconds.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from aiodynamodb.model import table_meta
from aiodynamodb.testing.intercept import (
    ChainMember,
    DynamoCall,
    DynamoResponse,
    SyncProceed,
)
from aiodynamodb.testing.retries import INJECTED_HEADER

FAULT_PRIORITY = 1001
"""After the strict layer (1000): a faulted request is still checked against the rules."""

ERROR_MESSAGES: dict[str, tuple[int, str]] = {
    "ProvisionedThroughputExceededException": (
        400,
        "The level of configured provisioned throughput for the table was exceeded. "
        "Consider increasing your provisioning level with the UpdateTable API.",
    ),
    "ThrottlingException": (400, "Rate of requests exceeds the allowed throughput."),
    "RequestLimitExceeded": (
        400,
        "Throughput exceeds the current throughput limit for your account. Please contact "
        "AWS Support at https://aws.amazon.com/support request a limit increase",
    ),
    "InternalServerError": (500, "Internal server error"),
}
"""Status and DynamoDB's wording for the errors :meth:`FaultInjector.fail` knows."""

UNKNOWN_ERROR = (
    "FaultInjector.fail(error={error!r}): pass one of {known}, or message= with your own text"
)
BAD_SHARE = "FaultInjector.unprocessed(share={share!r}): share must be between 0 and 1"
BATCH_ONLY = (
    "FaultInjector.unprocessed({operation!r}): only BatchWriteItem and BatchGetItem answer "
    "with unprocessed items"
)


@dataclass
class Fault:
    """One planned fault. ``remaining`` is None for a fault that never runs out.

    Attributes:
        operation: The operation it applies to.
        table: The table name it is limited to, or None for any table.
        remaining: Attempts it still answers.
        fired: Attempts it has answered so far.
    """

    operation: str
    table: str | None
    remaining: int | None
    kind: str
    options: dict[str, Any] = field(default_factory=dict)
    fired: int = 0

    def applies(self, call: DynamoCall) -> bool:
        """Whether this fault answers ``call``."""
        if self.remaining == 0 or call.operation != self.operation:
            return False
        return self.table is None or self.table in call.tables

    def use(self) -> None:
        """Count one answered attempt."""
        self.fired += 1
        if self.remaining is not None:
            self.remaining -= 1


class FaultInjector(ChainMember):
    """Plans faults; active while entered (``with`` / ``async with``) or between start/stop.

    Args:
        table_prefix: Prepended to a model's table name when a fault names a model.
        seed: Seed for choosing which batch items are left unprocessed (reproducible runs).
    """

    priority = FAULT_PRIORITY

    def __init__(self, *, table_prefix: str = "", seed: int = 0) -> None:
        self.table_prefix = table_prefix
        self.faults: list[Fault] = []
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    # -- planning ------------------------------------------------------------------------

    def _table(self, table: str | type | None) -> str | None:
        if table is None or isinstance(table, str):
            return table
        return self.table_prefix + table_meta(table).name

    def fail(
        self,
        operation: str,
        *,
        error: str = "ProvisionedThroughputExceededException",
        times: int | None = 1,
        table: str | type | None = None,
        message: str | None = None,
    ) -> Fault:
        """Answer the next ``times`` attempts of ``operation`` with ``error``.

        Args:
            operation: e.g. ``"PutItem"``, ``"Query"``, ``"BatchWriteItem"``.
            error: ``ProvisionedThroughputExceededException``, ``ThrottlingException``,
                ``InternalServerError``, ``RequestLimitExceeded``, or any code with ``message``.
            times: How many attempts fail; None for every one.
            table: Only requests on this table (a name or a model class).
            message: The error message; DynamoDB's own wording for the known codes.
        """
        if message is None:
            if error not in ERROR_MESSAGES:
                raise ValueError(UNKNOWN_ERROR.format(error=error, known=", ".join(ERROR_MESSAGES)))
            status, message = ERROR_MESSAGES[error]
        else:
            status = ERROR_MESSAGES.get(error, (400, ""))[0]
        fault = Fault(
            operation, self._table(table), times, "error",
            {"code": error, "message": message, "status": status},
        )  # fmt: skip
        self.faults.append(fault)
        return fault

    def unprocessed(
        self,
        operation: str = "BatchWriteItem",
        *,
        share: float = 0.5,
        times: int | None = 1,
        table: str | type | None = None,
    ) -> Fault:
        """Leave ``share`` of each batch unprocessed, for the next ``times`` attempts.

        The rest of the batch really is written (or read); the items left out come back in
        ``UnprocessedItems`` / ``UnprocessedKeys`` exactly as DynamoDB returns them.
        """
        if operation not in ("BatchWriteItem", "BatchGetItem"):
            raise ValueError(BATCH_ONLY.format(operation=operation))
        if not 0 <= share <= 1:
            raise ValueError(BAD_SHARE.format(share=share))
        fault = Fault(operation, self._table(table), times, "unprocessed", {"share": share})
        self.faults.append(fault)
        return fault

    def cancel_transaction(
        self, reasons: Sequence[str | tuple[str, str]], *, times: int | None = 1
    ) -> Fault:
        """Cancel the next ``times`` TransactWriteItems calls with these per-action reasons.

        Args:
            reasons: One code per action (``"None"`` for actions that were fine), or
                ``(code, message)`` pairs; missing trailing reasons are ``"None"``.
            times: How many transactions to cancel.
        """
        entries = [(r, None) if isinstance(r, str) else r for r in reasons]
        fault = Fault("TransactWriteItems", None, times, "cancel", {"reasons": entries})
        self.faults.append(fault)
        return fault

    def clear(self) -> None:
        """Drop every planned fault."""
        self.faults.clear()

    # -- answering -----------------------------------------------------------------------

    def __call__(self, call: DynamoCall, proceed: SyncProceed) -> DynamoResponse:
        with self._lock:  # the server answers other processes' requests on its threads
            fault = next((f for f in self.faults if f.applies(call)), None)
            if fault is not None:
                fault.use()
        if fault is None:
            return proceed()
        if fault.kind == "error":
            o = fault.options
            response = DynamoResponse.error(o["code"], o["message"], o["status"])
        elif fault.kind == "cancel":
            response = self._cancel(call, fault.options["reasons"])
        else:
            response = self._partial(call, fault.options["share"])
        # botocore retries what we made up without waiting (see retries.py).
        response.headers[INJECTED_HEADER] = fault.kind
        return response

    @staticmethod
    def _cancel(call: DynamoCall, reasons: list[tuple[str, str | None]]) -> DynamoResponse:
        count = len(call.params.get("TransactItems") or ())
        padded = [*reasons[:count], *[("None", None)] * (count - len(reasons))]
        listed = ", ".join(code for code, _ in padded)
        return DynamoResponse.error(
            "TransactionCanceledException",
            f"Transaction cancelled, please refer cancellation reasons for specific reasons "
            f"[{listed}]",
            CancellationReasons=[
                {"Code": code, **({"Message": text} if text else {})} for code, text in padded
            ],
        )

    def _pick(self, count: int, share: float) -> set[int]:
        left = round(count * share)
        return set(self._random.sample(range(count), left))

    def _partial(self, call: DynamoCall, share: float) -> DynamoResponse:
        params = call.params
        requests = params.get("RequestItems") or {}
        flat: list[tuple[str, Any]] = []
        write = call.operation == "BatchWriteItem"
        for table, entry in requests.items():
            for request in entry if write else entry.get("Keys", ()):
                flat.append((table, request))
        skipped = self._pick(len(flat), share)
        kept: dict[str, Any] = {}
        left: dict[str, Any] = {}
        for position, (table, request) in enumerate(flat):
            target = left if position in skipped else kept
            if write:
                target.setdefault(table, []).append(request)
            else:
                extra = {k: v for k, v in requests[table].items() if k != "Keys"}
                target.setdefault(table, {"Keys": [], **extra})["Keys"].append(request)
        unprocessed_key = "UnprocessedItems" if write else "UnprocessedKeys"
        if kept:
            response = call.send_direct({**params, "RequestItems": kept})
            if response.is_error:
                return response
            body = response.body
        else:
            body = {"Responses": {}} if not write else {}
        merged = dict(body.get(unprocessed_key) or {})
        for table, value in left.items():
            if write:
                merged[table] = [*merged.get(table, []), *value]
            elif table in merged:
                merged[table]["Keys"] = [*merged[table]["Keys"], *value["Keys"]]
            else:
                merged[table] = value
        body[unprocessed_key] = merged
        return DynamoResponse(200, body)


__all__ = ["ERROR_MESSAGES", "FAULT_PRIORITY", "Fault", "FaultInjector"]
