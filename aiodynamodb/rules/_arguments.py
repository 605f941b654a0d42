"""The client's arguments, checked before a request is built (pure: no I/O).

DynamoDB refuses a request whose parameters have the wrong type or are out of range, but by
the time it does, the message names DynamoDB's parameter (``Limit``, ``ScanIndexForward``),
not the argument the user passed; some mistakes it does not refuse at all
(``scan_index_forward="desc"`` is a truthy string, so the query runs ascending). These checks
name the method and the argument, and say what it takes.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any, Final

from aiodynamodb.errors import ArgumentError, ValidationError
from aiodynamodb.limits import (
    MAX_CLIENT_REQUEST_TOKEN_LENGTH,
    MAX_TABLE_NAME_LENGTH,
    MAX_TOTAL_SEGMENTS,
    MIN_TABLE_NAME_LENGTH,
)
from aiodynamodb.rules._attribute_values import key_identity

NOT_A_FLAG: Final = "{operation}(): {name} takes True or False; got {got!r} ({type})"
BAD_LIMIT: Final = "{operation}(): limit takes a positive int (at least 1); got {got!r} ({type})"
BAD_RETURN_VALUES: Final = (
    "{operation}(): return_values={got!r} is not accepted by DynamoDB's {wire}; it takes {allowed}"
)
BAD_REQUEST_TOKEN: Final = (
    "transact_write(): client_request_token takes a str of 1 to {limit} characters "
    "(DynamoDB's limit); got {shown} ({detail})"
)
BAD_START_KEY: Final = (
    "{operation}(): exclusive_start_key must be a page's last_evaluated_key, in DynamoDB's "
    "format: a dict of the key attributes {names} to AttributeValues such as {example}; got "
    "{got} ({problem})"
)
NOT_A_SEQUENCE: Final = (
    "{operation}(): {name} takes a list of {what}; got a single {type}. Wrap it: {name}=[{short}]"
)
NOT_A_LIST: Final = "{operation}(): {name} takes a list of {what}; got {got!r} ({type})"
BAD_SEGMENTS: Final = (
    "scan(): segment must satisfy 0 <= segment < total_segments <= {limit} (both ints), "
    "got segment={segment!r}, total_segments={total!r}"
)
HALF_SEGMENTS: Final = "scan(): pass both segment and total_segments, or neither"
BAD_TABLE_NAME: Final = (
    "the table name {table!r} (table_prefix {prefix!r} + {model}'s table {name!r}) is not a "
    "valid DynamoDB table name: {reason}. Table names are {low} to {high} characters of "
    "a-z, A-Z, 0-9, '_', '-' and '.'; fix the prefix"
)

BAD_SELECT: Final = (
    "{operation}(): select takes 'ALL_PROJECTED_ATTRIBUTES' or 'SPECIFIC_ATTRIBUTES' (to count "
    "items, call db.count(...)); got {got!r}"
)
SELECT_NEEDS_INDEX: Final = (
    "{operation}(): select='ALL_PROJECTED_ATTRIBUTES' reads the attributes projected into an "
    "index, and DynamoDB allows it only there; pass index_name=... (or drop select to read "
    "whole items)"
)
SELECT_NEEDS_PROJECTION: Final = (
    "{operation}(): select='SPECIFIC_ATTRIBUTES' reads the attributes a projection names; pass "
    "projection=[...] as well"
)
SELECT_WITH_PROJECTION: Final = (
    "{operation}(): select='ALL_PROJECTED_ATTRIBUTES' cannot be combined with projection= "
    "(DynamoDB accepts a ProjectionExpression only with Select SPECIFIC_ATTRIBUTES); drop one"
)
SELECTS: Final = ("ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES")

_TABLE_NAME: Final = re.compile(r"[a-zA-Z0-9_.\-]+")


def _shown(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_flag(operation: str, name: str, value: Any) -> None:
    """Refuse a flag argument that is not a bool (``"desc"`` would be read as True)."""
    if value is not True and value is not False:
        raise ArgumentError(
            NOT_A_FLAG.format(operation=operation, name=name, got=value, type=type(value).__name__)
        )


def check_limit(operation: str, value: Any) -> None:
    """Refuse a ``limit`` that is not a positive int."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ArgumentError(
            BAD_LIMIT.format(operation=operation, got=value, type=type(value).__name__)
        )
    if value < 1:
        raise ValidationError(
            BAD_LIMIT.format(operation=operation, got=value, type=type(value).__name__)
        )


def check_return_values(operation: str, wire: str, value: Any, allowed: Collection[str]) -> None:
    """Refuse a ``return_values`` the operation does not accept.

    Args:
        operation: The method, for the message.
        wire: DynamoDB's operation name (``"PutItem"``).
        value: The argument.
        allowed: What the operation accepts.
    """
    if not isinstance(value, str) or value not in allowed:
        raise ValidationError(
            BAD_RETURN_VALUES.format(
                operation=operation,
                got=value,
                wire=wire,
                allowed=", ".join(repr(a) for a in allowed),
            ),
            wire,
        )


def check_select(operation: str, select: Any, index_name: str | None, projection: Any) -> None:
    """Refuse a ``select`` DynamoDB would refuse with the other arguments of a query or scan.

    DynamoDB's rules: ``ALL_PROJECTED_ATTRIBUTES`` only on an index and without a
    ``ProjectionExpression``; ``SPECIFIC_ATTRIBUTES`` only with one.
    """
    if not isinstance(select, str) or select not in SELECTS:
        raise ValidationError(BAD_SELECT.format(operation=operation, got=select))
    if select == "ALL_PROJECTED_ATTRIBUTES":
        if index_name is None:
            raise ValidationError(SELECT_NEEDS_INDEX.format(operation=operation))
        if projection is not None:
            raise ValidationError(SELECT_WITH_PROJECTION.format(operation=operation))
    elif projection is None:
        raise ValidationError(SELECT_NEEDS_PROJECTION.format(operation=operation))


def check_client_request_token(value: Any) -> None:
    """Refuse a transaction's idempotency token DynamoDB would refuse (1 to 36 characters)."""
    if not isinstance(value, str):
        detail = type(value).__name__
    elif not 1 <= len(value) <= MAX_CLIENT_REQUEST_TOKEN_LENGTH:
        detail = f"{len(value)} characters"
    else:
        return
    error = ArgumentError if not isinstance(value, str) else ValidationError
    raise error(
        BAD_REQUEST_TOKEN.format(
            limit=MAX_CLIENT_REQUEST_TOKEN_LENGTH, shown=_shown(value), detail=detail
        )
    )


def check_start_key(operation: str, key: Any, names: Sequence[str]) -> None:
    """Refuse an ``exclusive_start_key`` that is not a key in DynamoDB's format.

    Args:
        operation: The method, for the message.
        key: The argument.
        names: The key attributes a start key of this table (or index) holds.
    """
    problem = _start_key_problem(key, names)
    if problem is None:
        return
    example = "{" + ", ".join(f"{name!r}: {{'S': '...'}}" for name in names) + "}"
    raise ArgumentError(
        BAD_START_KEY.format(
            operation=operation,
            names=", ".join(repr(n) for n in names),
            example=example,
            got=_shown(key),
            problem=problem,
        )
    )


def _start_key_problem(key: Any, names: Sequence[str]) -> str | None:
    if not isinstance(key, Mapping):
        return f"a {type(key).__name__}, not a dict"
    for name in names:
        if name not in key:
            return f"key attribute {name!r} is missing"
    for name, value in key.items():
        if not isinstance(name, str):
            return f"attribute name {name!r} is not a str"
        if (
            not isinstance(value, Mapping)
            or len(value) != 1
            or next(iter(value)) not in ("S", "N", "B")
        ):
            return f"{name!r} is {_shown(value, 30)}, not an AttributeValue such as {{'S': ...}}"
    return None


def check_sequence(operation: str, name: str, value: Any, single: type, what: str) -> None:
    """Refuse one object (or a non-list) where a list of them is expected.

    Args:
        operation: The method, for the message.
        name: The argument.
        value: The argument's value.
        single: The type of one element (a single one is shown how to wrap).
        what: What the list holds, for the message.
    """
    if isinstance(value, single):
        short = f"{type(value).__name__}(...)"
        raise ArgumentError(
            NOT_A_SEQUENCE.format(
                operation=operation, name=name, what=what, type=type(value).__name__, short=short
            )
        )
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Sequence | Collection):
        raise ArgumentError(
            NOT_A_LIST.format(
                operation=operation, name=name, what=what, got=value, type=type(value).__name__
            )
        )


def check_segments(segment: Any, total: Any) -> None:
    """Refuse a parallel scan's ``segment`` / ``total_segments`` DynamoDB would refuse."""
    if (segment is None) != (total is None):
        raise ValidationError(HALF_SEGMENTS, "Scan")
    if any(isinstance(v, bool) or not isinstance(v, int) for v in (segment, total)):
        raise ArgumentError(
            BAD_SEGMENTS.format(limit=MAX_TOTAL_SEGMENTS, segment=segment, total=total), "Scan"
        )
    if not 1 <= total <= MAX_TOTAL_SEGMENTS or not 0 <= segment < total:
        raise ValidationError(
            BAD_SEGMENTS.format(limit=MAX_TOTAL_SEGMENTS, segment=segment, total=total), "Scan"
        )


def check_prefixed_table_name(table: str, prefix: str, model: str, name: str) -> None:
    """Refuse a table name a prefix made invalid, naming the prefix.

    Args:
        table: The full name.
        prefix: The client's prefix.
        model: The model class name.
        name: The model's own table name.
    """
    if len(table) < MIN_TABLE_NAME_LENGTH or len(table) > MAX_TABLE_NAME_LENGTH:
        reason = f"it is {len(table)} characters"
    elif not _TABLE_NAME.fullmatch(table):
        bad = sorted({c for c in table if not _TABLE_NAME.fullmatch(c)})
        reason = f"it holds {', '.join(repr(c) for c in bad)}"
    else:
        return
    raise ValidationError(
        BAD_TABLE_NAME.format(
            table=table,
            prefix=prefix,
            model=model,
            name=name,
            reason=reason,
            low=MIN_TABLE_NAME_LENGTH,
            high=MAX_TABLE_NAME_LENGTH,
        )
    )


def item_key_identity(table: str, key: Mapping[str, Mapping[str, Any]]) -> tuple[Any, ...]:
    """What makes two keys the same item for DynamoDB: numbers compare by value.

    ``{"N": "1.0"}`` and ``{"N": "1"}`` are one key to DynamoDB, so two requests for them in
    one batch or transaction are refused as duplicates, like two identical keys.
    """
    return (table, *sorted((name, *key_identity(value)) for name, value in key.items()))


__all__ = [
    "check_client_request_token",
    "check_flag",
    "check_limit",
    "check_prefixed_table_name",
    "check_return_values",
    "check_segments",
    "check_sequence",
    "check_start_key",
    "item_key_identity",
]
