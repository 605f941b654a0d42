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

Faults interleave. Every planning method takes ``probability=`` (a chance per attempt, drawn
from a generator seeded by the injector's seed, the request and how often that same request
was sent before: a plan replays identically run after run, also when concurrent calls
interleave differently),
``every=`` (only every Nth matching attempt) and ``after=`` (not the first N); the first
fault in plan order that applies and fires answers the attempt. :meth:`FaultInjector.delay`
adds latency before the answer (and lets later faults and the backend answer); the delay
advances the injector's virtual :class:`LatencyClock` instead of sleeping, so a test reads
how long its code would have waited without waiting.

Longer than 400 lines because every fault kind shares one plan and one matching rule
(operation, table, probability, every, after); each kind is a short method.
"""

from __future__ import annotations

import hashlib
import json
import random
import threading
from collections.abc import Callable, Sequence
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
BAD_PROBABILITY = "FaultInjector: probability={value!r} must be a number between 0 and 1"
BAD_EVERY = "FaultInjector: every={value!r} must be a whole number of attempts, at least 1"
BAD_AFTER = "FaultInjector: after={value!r} must be a whole number of attempts, 0 or more"
BAD_DELAY = "FaultInjector.delay(seconds={value!r}): the latency must be a number of seconds >= 0"
BATCH_ONLY = (
    "FaultInjector.unprocessed({operation!r}): only BatchWriteItem and BatchGetItem answer "
    "with unprocessed items"
)


@dataclass
class Fault:
    """One planned fault. ``remaining`` is None for a fault that never runs out.

    Attributes:
        operation: The operation it applies to (None: every operation).
        table: The table name it is limited to, or None for any table.
        remaining: Attempts it still answers.
        fired: Attempts it has answered so far.
        probability: The chance it fires on an attempt it applies to (None: always).
        every: It fires only on every Nth attempt it applies to (None: each one).
        after: It lets the first ``after`` attempts it applies to through.
        seen: Attempts it applied to so far (fired or not).
    """

    operation: str | None
    table: str | None
    remaining: int | None
    kind: str
    options: dict[str, Any] = field(default_factory=dict)
    fired: int = 0
    probability: float | None = None
    every: int | None = None
    after: int = 0
    seen: int = 0

    def applies(self, call: DynamoCall) -> bool:
        """Whether this fault may answer ``call`` (operation, table, attempts left)."""
        if self.remaining == 0 or self.operation not in (None, call.operation):
            return False
        return self.table is None or self.table in call.tables

    def fires(self, chance: Callable[[], random.Random]) -> bool:
        """Count an attempt this fault applies to; whether the fault answers it.

        The random draw happens only when ``after`` and ``every`` let the attempt through,
        so a plan's draws depend on nothing but the sequence of calls.
        """
        self.seen += 1
        if self.seen <= self.after:
            return False
        if self.every is not None and (self.seen - self.after) % self.every:
            return False
        return self.probability is None or chance().random() < self.probability

    def use(self) -> None:
        """Count one answered attempt."""
        self.fired += 1
        if self.remaining is not None:
            self.remaining -= 1


class LatencyClock:
    """Virtual time that injected latency advances (nothing sleeps).

    Attributes:
        elapsed: Seconds of injected latency so far.
        delays: ``(operation, seconds)`` of each delayed attempt, in order.
    """

    def __init__(self) -> None:
        self.elapsed = 0.0
        self.delays: list[tuple[str, float]] = []

    def advance(self, operation: str, seconds: float) -> None:
        """Record a delay of ``seconds`` before the answer to an ``operation`` attempt."""
        self.elapsed += seconds
        self.delays.append((operation, seconds))


class FaultInjector(ChainMember):
    """Plans faults; active while entered (``with`` / ``async with``) or between start/stop.

    Args:
        table_prefix: Prepended to a model's table name when a fault names a model.
        seed: Seed of the generator behind ``probability=`` and the choice of unprocessed
            batch items: the same seed and the same calls give the same faults.

    Attributes:
        clock: The :class:`LatencyClock` that :meth:`delay` advances.
    """

    priority = FAULT_PRIORITY

    def __init__(self, *, table_prefix: str = "", seed: int = 0) -> None:
        self.table_prefix = table_prefix
        self.faults: list[Fault] = []
        self._lock = threading.Lock()
        self.clock = LatencyClock()
        self.seed = seed
        self._sent: dict[str, int] = {}

    def reseed(self, seed: int) -> None:
        """Draw ``probability=`` and unprocessed items from ``seed`` from now on, as a new
        injector would."""
        self.seed = seed
        self._sent.clear()

    def _generator(self, call: DynamoCall) -> random.Random:
        """The draws for one attempt: from the seed, the request, and how many times the same
        request came before (botocore's retries of it draw anew)."""
        text = json.dumps(call.params, sort_keys=True, separators=(",", ":"))
        if self.table_prefix:  # a per-run prefix (endpoint backend) must not change the plan
            text = text.replace(self.table_prefix, "")
        digest = hashlib.blake2b(f"{call.operation}:{text}".encode(), digest_size=16).hexdigest()
        sent = self._sent.get(digest, 0)
        self._sent[digest] = sent + 1
        return random.Random(f"{self.seed}:{digest}:{sent}")

    def _add(
        self,
        fault: Fault,
        probability: float | None,
        every: int | None,
        after: int,
    ) -> Fault:
        if probability is not None and (
            isinstance(probability, bool)
            or not isinstance(probability, int | float)
            or not 0 <= probability <= 1
        ):
            raise ValueError(BAD_PROBABILITY.format(value=probability))
        if every is not None and (type(every) is not int or every < 1):
            raise ValueError(BAD_EVERY.format(value=every))
        if type(after) is not int or after < 0:
            raise ValueError(BAD_AFTER.format(value=after))
        fault.probability, fault.every, fault.after = probability, every, after
        self.faults.append(fault)
        return fault

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
        probability: float | None = None,
        every: int | None = None,
        after: int = 0,
    ) -> Fault:
        """Answer the next ``times`` attempts of ``operation`` with ``error``.

        Args:
            operation: e.g. ``"PutItem"``, ``"Query"``, ``"BatchWriteItem"``.
            error: ``ProvisionedThroughputExceededException``, ``ThrottlingException``,
                ``InternalServerError``, ``RequestLimitExceeded``, or any code with ``message``.
            times: How many attempts fail; None for every one.
            table: Only requests on this table (a name or a model class).
            message: The error message; DynamoDB's own wording for the known codes.
            probability: Fail each attempt with this chance (seeded; see the class).
            every: Fail only every Nth attempt (``every=3``: the 3rd, 6th ...).
            after: Let the first ``after`` attempts through.
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
        return self._add(fault, probability, every, after)

    def unprocessed(
        self,
        operation: str = "BatchWriteItem",
        *,
        share: float = 0.5,
        times: int | None = 1,
        table: str | type | None = None,
        probability: float | None = None,
        every: int | None = None,
        after: int = 0,
    ) -> Fault:
        """Leave ``share`` of each batch unprocessed, for the next ``times`` attempts.

        The rest of the batch really is written (or read); the items left out come back in
        ``UnprocessedItems`` / ``UnprocessedKeys`` exactly as DynamoDB returns them.
        ``probability``, ``every`` and ``after`` work as for :meth:`fail`.
        """
        if operation not in ("BatchWriteItem", "BatchGetItem"):
            raise ValueError(BATCH_ONLY.format(operation=operation))
        if not 0 <= share <= 1:
            raise ValueError(BAD_SHARE.format(share=share))
        fault = Fault(operation, self._table(table), times, "unprocessed", {"share": share})
        return self._add(fault, probability, every, after)

    def cancel_transaction(
        self,
        reasons: Sequence[str | tuple[str, str]],
        *,
        times: int | None = 1,
        probability: float | None = None,
        every: int | None = None,
        after: int = 0,
    ) -> Fault:
        """Cancel the next ``times`` TransactWriteItems calls with these per-action reasons.

        Args:
            reasons: One code per action (``"None"`` for actions that were fine), or
                ``(code, message)`` pairs; missing trailing reasons are ``"None"``.
            times: How many transactions to cancel.
            probability: As for :meth:`fail`.
            every: As for :meth:`fail`.
            after: As for :meth:`fail`.
        """
        entries = [(r, None) if isinstance(r, str) else r for r in reasons]
        fault = Fault("TransactWriteItems", None, times, "cancel", {"reasons": entries})
        return self._add(fault, probability, every, after)

    def delay(
        self,
        operation: str | None = None,
        *,
        seconds: float,
        times: int | None = None,
        table: str | type | None = None,
        probability: float | None = None,
        every: int | None = None,
        after: int = 0,
    ) -> Fault:
        """Add ``seconds`` of latency before the answer to attempts of ``operation``.

        Nothing sleeps: the delay advances :attr:`clock` (a virtual clock the test reads),
        and the attempt goes on to later faults and the backend.

        Args:
            operation: The operation to slow down; None for every operation.
            seconds: The latency of each delayed attempt.
            times: How many attempts to delay; None (the default) for every one.
            table: Only requests on this table (a name or a model class).
            probability: As for :meth:`fail`.
            every: As for :meth:`fail`.
            after: As for :meth:`fail`.
        """
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            raise ValueError(BAD_DELAY.format(value=seconds))
        fault = Fault(operation, self._table(table), times, "latency", {"seconds": seconds})
        return self._add(fault, probability, every, after)

    def clear(self) -> None:
        """Drop every planned fault."""
        self.faults.clear()

    # -- answering -----------------------------------------------------------------------

    def __call__(self, call: DynamoCall, proceed: SyncProceed) -> DynamoResponse:
        drawn: list[random.Random] = []

        def chance() -> random.Random:  # one generator per attempt, made when first needed
            if not drawn:
                drawn.append(self._generator(call))
            return drawn[0]

        chosen: Fault | None = None
        with self._lock:  # the server answers other processes' requests on its threads
            for fault in self.faults:
                if fault.applies(call) and fault.fires(chance):
                    fault.use()
                    if fault.kind == "latency":  # before the answer, whoever gives it
                        self.clock.advance(call.operation, fault.options["seconds"])
                        continue
                    chosen = fault
                    break
            if chosen is not None and chosen.kind == "unprocessed":
                chance()  # drawn under the lock: _generator counts repeated requests
        if chosen is None:
            return proceed()
        if chosen.kind == "error":
            o = chosen.options
            response = DynamoResponse.error(o["code"], o["message"], o["status"])
        elif chosen.kind == "cancel":
            response = self._cancel(call, chosen.options["reasons"])
        else:
            response = self._partial(call, chosen.options["share"], drawn[0])
        # botocore retries what we made up without waiting (see retries.py).
        response.headers[INJECTED_HEADER] = chosen.kind
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

    @staticmethod
    def _pick(count: int, share: float, chance: random.Random) -> set[int]:
        left = round(count * share)
        return set(chance.sample(range(count), left))

    def _partial(self, call: DynamoCall, share: float, chance: random.Random) -> DynamoResponse:
        params = call.params
        requests = params.get("RequestItems") or {}
        flat: list[tuple[str, Any]] = []
        write = call.operation == "BatchWriteItem"
        for table, entry in requests.items():
            for request in entry if write else entry.get("Keys", ()):
                flat.append((table, request))
        skipped = self._pick(len(flat), share, chance)
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


__all__ = ["ERROR_MESSAGES", "FAULT_PRIORITY", "Fault", "FaultInjector", "LatencyClock"]
