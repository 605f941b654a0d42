"""How a broken rule is reported: an internal :class:`Problem`, and the public errors.

Checks raise :class:`Problem`; :func:`aiodynamodb.rules.check_request` turns it into
:class:`~aiodynamodb.errors.ValidationError` (or :class:`TransactionCanceledError`) worded
for the operation, because DynamoDB words some problems differently per operation.
"""

from __future__ import annotations

from typing import Any

from aiodynamodb.errors import ValidationError

ENVELOPE = "1 validation error detected: "
CANCELLED = (
    "Transaction cancelled, please refer cancellation reasons for specific reasons [{codes}]"
)


class Problem(Exception):
    """A rule a request breaks (internal; never escapes ``check_request``).

    Args:
        message: DynamoDB's message for the problem.
        code: DynamoDB's error code.
        envelope: The problem is one DynamoDB's request validation reports; operations that
            wrap those in ``1 validation error detected: `` (PutItem, UpdateItem, DeleteItem)
            do so.
        reasons: For a cancelled transaction, one reason per action (``{"Code": "None"}``
            for actions without a problem).
    """

    def __init__(
        self,
        message: str,
        *,
        code: str = "ValidationException",
        envelope: bool = False,
        reasons: list[dict[str, str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.envelope = envelope
        self.reasons = reasons


class TransactionCanceledError(ValidationError):
    """A transaction DynamoDB would cancel before running, with a reason per action.

    ``response["CancellationReasons"]`` holds the reasons as DynamoDB returns them (a
    ``Code`` per action, ``"None"`` for actions without a problem, and a ``Message`` for
    the others), as on botocore's ``TransactionCanceledException``.

    Args:
        reasons: One reason per action.
        operation_name: ``"TransactWriteItems"`` or ``"TransactGetItems"``.
    """

    def __init__(self, reasons: list[dict[str, str]], operation_name: str) -> None:
        codes = ", ".join(reason["Code"] for reason in reasons)
        super().__init__(
            CANCELLED.format(codes=codes), operation_name, "TransactionCanceledException"
        )
        self.reasons = reasons
        response: Any = self.response
        response["CancellationReasons"] = reasons

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.reasons, self.operation_name))


def cancellation(count: int, position: int, message: str) -> Problem:
    """A cancelled-transaction problem: action ``position`` of ``count`` failed validation."""
    reasons = [{"Code": "None"} for _ in range(count)]
    reasons[position] = {"Code": "ValidationError", "Message": message}
    return Problem(message, code="TransactionCanceledException", reasons=reasons)


__all__ = ["ENVELOPE", "Problem", "TransactionCanceledError", "cancellation"]
