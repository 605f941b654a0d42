"""The entry point of the rules: :func:`check_request`, one check per operation."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from aiodynamodb.errors import ValidationError
from aiodynamodb.rules import _batches as batches
from aiodynamodb.rules import _items as items
from aiodynamodb.rules import _reads as reads
from aiodynamodb.rules import _table_ops as tables
from aiodynamodb.rules import _table_updates as table_updates
from aiodynamodb.rules._context import Describe, Request
from aiodynamodb.rules._grammar import parse_projection
from aiodynamodb.rules._problems import ENVELOPE, Problem, TransactionCanceledError
from aiodynamodb.rules._syntax import ExpressionSyntaxError

_CHECKS: dict[str, Callable[[Request], None]] = {
    "BatchGetItem": batches.batch_get_item,
    "BatchWriteItem": batches.batch_write_item,
    "CreateTable": tables.create_table,
    "DeleteItem": items.delete_item,
    "DeleteTable": tables.table_name_only,
    "DescribeTable": tables.table_name_only,
    "DescribeTimeToLive": tables.table_name_only,
    "GetItem": items.get_item,
    "ListTables": table_updates.list_tables,
    "PutItem": items.put_item,
    "Query": reads.query,
    "Scan": reads.scan,
    "TransactGetItems": batches.transact_get_items,
    "TransactWriteItems": batches.transact_write_items,
    "UpdateItem": items.update_item,
    "UpdateTable": table_updates.update_table,
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


__all__ = ["CHECKED_OPERATIONS", "check_request", "projection_paths"]
