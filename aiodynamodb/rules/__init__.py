"""DynamoDB's request rules, checked before a request is sent (pure: no I/O, no moto).

:func:`check_request` takes a low-level request (the parameters a boto client method gets,
or the wire JSON it sends, which for DynamoDB's JSON protocol is the same dict) and raises
:class:`~aiodynamodb.errors.ValidationError` with DynamoDB's error code and message when
DynamoDB would refuse it. Two places use it: the ``DynamoDB`` client before it sends, and
the strict layer of the in-memory backend (:mod:`aiodynamodb.testing.strict`), which sees
every request of every client in the process.

The rules, with the AWS pages they come from, are listed in ``docs/fidelity.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from aiodynamodb.errors import ValidationError
from aiodynamodb.rules import batches, items, reads, tables
from aiodynamodb.rules._numbers import (
    Number,
    canonical_number,
    is_canonical_number,
    number_size,
    parse_number,
)
from aiodynamodb.rules._sizes import binary_length, item_size, text_bound, utf8_length, value_size
from aiodynamodb.rules.context import Describe, Request
from aiodynamodb.rules.errors import ENVELOPE, Problem, TransactionCanceledError
from aiodynamodb.rules.grammar import ExpressionSyntaxError, parse_projection

_CHECKS: dict[str, Callable[[Request], None]] = {
    "BatchGetItem": batches.batch_get_item,
    "BatchWriteItem": batches.batch_write_item,
    "CreateTable": tables.create_table,
    "DeleteItem": items.delete_item,
    "DeleteTable": tables.table_name_only,
    "DescribeTable": tables.table_name_only,
    "DescribeTimeToLive": tables.table_name_only,
    "GetItem": items.get_item,
    "PutItem": items.put_item,
    "Query": reads.query,
    "Scan": reads.scan,
    "TransactGetItems": batches.transact_get_items,
    "TransactWriteItems": batches.transact_write_items,
    "UpdateItem": items.update_item,
    "UpdateTimeToLive": tables.update_time_to_live,
}

CHECKED_OPERATIONS = frozenset(_CHECKS)
"""The operations :func:`check_request` has rules for (others pass unchecked)."""


def _no_tables(_name: str) -> dict[str, Any] | None:
    return None


def check_request(
    operation: str,
    params: Mapping[str, Any],
    describe: Describe = _no_tables,
) -> None:
    """Check a low-level DynamoDB request against DynamoDB's rules.

    Args:
        operation: The operation name, such as ``"PutItem"``.
        params: The request parameters, as a boto client sends them.
        describe: Returns a table's description (``KeySchema``, ``AttributeDefinitions``,
            ``GlobalSecondaryIndexes``, ``LocalSecondaryIndexes``) by name, or None when
            it is unknown; rules that need the schema are skipped for unknown tables.

    Raises:
        ValidationError: DynamoDB would refuse the request; ``.code`` and ``.message`` are
            DynamoDB's (``ValidationException`` for almost every rule).
        TransactionCanceledError: A transaction DynamoDB would cancel before running it,
            with a reason per action.
    """
    check = _CHECKS.get(operation)
    if check is None:
        return
    request = Request(operation, params, describe)
    try:
        check(request)
    except Problem as problem:
        raise _error(request, problem) from None


def _error(request: Request, problem: Problem) -> ValidationError:
    if problem.reasons is not None:
        return TransactionCanceledError(problem.reasons, request.operation)
    message = problem.message
    if problem.envelope and request.envelope and not message.startswith(ENVELOPE):
        message = ENVELOPE + message
    return ValidationError(message, request.operation, problem.code)


def projection_paths(expression: str, names: Mapping[str, str] | None) -> list[list[str | int]]:
    """The document paths of a projection expression, placeholders resolved.

    Raises:
        ValueError: The expression does not parse.
    """
    try:
        parsed = parse_projection(expression)
    except ExpressionSyntaxError as error:
        raise ValueError(error.message) from None
    names = names or {}
    paths: list[list[str | int]] = []
    for path in parsed.paths:
        resolved: list[str | int] = []
        for kind, element in path.elements:
            if kind == "ph":
                resolved.append(names.get(str(element), str(element)))
            else:
                resolved.append(element)
        paths.append(resolved)
    return paths


__all__ = [
    "CHECKED_OPERATIONS",
    "Describe",
    "Number",
    "TransactionCanceledError",
    "binary_length",
    "canonical_number",
    "check_request",
    "is_canonical_number",
    "item_size",
    "number_size",
    "parse_number",
    "projection_paths",
    "text_bound",
    "utf8_length",
    "value_size",
]
