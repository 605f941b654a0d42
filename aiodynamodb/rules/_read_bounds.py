"""Bounds of the read operations: what an index can give, where a page may start, which
segment a Scan may read, and what a BatchGetItem must ask for.

- A GSI whose projection is not ``ALL`` gives only what it projects (the table and index
  keys and, for ``INCLUDE``, its ``NonKeyAttributes``): asking it for anything else is
  refused. An LSI is not limited: DynamoDB fetches the rest from the table (API_Query,
  "Select"; Alternator's ``test_lsi_get_not_projected_attribute``), which the strict layer
  does in ``aiodynamodb.testing._fidelity_reads``.
- A Query's ``ExclusiveStartKey`` must lie inside the key condition: the same partition,
  and a sort key the sort-key condition accepts (dynalite's ``actions/query.js``,
  Alternator's ``test_query_exclusivestartkey_wrong_partition``).
- ``TotalSegments`` is 1..1,000,000 and ``Segment`` 0..999,999 (botocore's service model:
  DynamoDB checks them as framework constraints, before the rule that pairs them).
- Each table of a BatchGetItem asks for at least one key (the model's ``KeyList`` min 1).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from typing import Any

from aiodynamodb.limits import MAX_TOTAL_SEGMENTS
from aiodynamodb.rules import messages as msg
from aiodynamodb.rules._attribute_values import compare_scalars, scalar_type
from aiodynamodb.rules._expression_checks import ResolvedPath, render_path
from aiodynamodb.rules._grammar import parse_condition
from aiodynamodb.rules._key_schema import (
    TableSchema,
    constraint,
    constraint_problem,
    range_constraints,
)
from aiodynamodb.rules._problems import Problem
from aiodynamodb.rules._syntax import Between, Compare, FunctionCondition, Logical, Path

KeyConditions = dict[str, tuple[str, list[Any]]]

_KEY_FLIPPED = {"=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_ORDERED = {
    "=": lambda order: order == 0,
    "<": lambda order: order < 0,
    "<=": lambda order: order <= 0,
    ">": lambda order: order > 0,
    ">=": lambda order: order >= 0,
}


def check_segment_bounds(params: Mapping[str, Any]) -> None:
    """``TotalSegments`` in 1..1,000,000 and ``Segment`` in 0..999,999."""
    problems = [
        *range_constraints(params.get("Segment"), "segment", 0, MAX_TOTAL_SEGMENTS - 1),
        *range_constraints(params.get("TotalSegments"), "totalSegments", 1, MAX_TOTAL_SEGMENTS),
    ]
    if problems:
        raise constraint_problem(problems)


def check_index_projection(
    params: Mapping[str, Any], schema: TableSchema, paths: Sequence[ResolvedPath] | None
) -> None:
    """Refuse to read an attribute a GSI does not project.

    Args:
        params: The Query or Scan.
        schema: The table's schema (the index is known to exist).
        paths: The resolved ``ProjectionExpression`` paths, if any.
    """
    index = params.get("IndexName")
    if not isinstance(index, str) or not schema.indexes[index].is_global:
        return
    projected = schema.projected(index)
    if projected is None:
        return
    wanted: list[ResolvedPath] = list(paths or ())
    names = params.get("AttributesToGet")
    if isinstance(names, list):
        wanted.extend([name] for name in names if isinstance(name, str))
    for path in wanted:
        if path and path[0] not in projected:
            raise Problem(msg.GSI_NOT_PROJECTED.format(name=index, path=render_path(path)))


def _binary(value: Any) -> bytes | None:
    if isinstance(value, bytes):
        return value
    try:
        return base64.b64decode(str(value), validate=True)
    except (binascii.Error, ValueError):
        return None


def _begins_with(value: Mapping[str, Any], prefix: Mapping[str, Any]) -> bool | None:
    kind = scalar_type(value)
    if kind is None or kind != scalar_type(prefix):
        return None
    if kind == "S":
        return str(value["S"]).startswith(str(prefix["S"]))
    if kind == "B":
        whole, start = _binary(value["B"]), _binary(prefix["B"])
        if whole is None or start is None:
            return None
        return whole.startswith(start)
    return None


def _accepts(op: str, value: Any, operands: list[Any]) -> bool:
    """Whether a key condition accepts ``value`` (True when it cannot be decided here)."""
    if not isinstance(value, Mapping) or not all(isinstance(o, Mapping) for o in operands):
        return True
    if op == "begins_with" and len(operands) == 1:
        found = _begins_with(value, operands[0])
        return True if found is None else found
    if op == "BETWEEN" and len(operands) == 2:
        low, high = compare_scalars(value, operands[0]), compare_scalars(value, operands[1])
        return low is None or high is None or (low >= 0 and high <= 0)
    test = _ORDERED.get(op)
    if test is None or len(operands) != 1:
        return True
    order = compare_scalars(value, operands[0])
    return order is None or bool(test(order))


def check_start_key_bounds(
    params: Mapping[str, Any], conditions: KeyConditions, schema: TableSchema
) -> None:
    """Refuse a Query ``ExclusiveStartKey`` outside the key condition (checked keys)."""
    start = params.get("ExclusiveStartKey")
    if not isinstance(start, Mapping):
        return
    hash_key, range_key = schema.key_schema(params.get("IndexName"))
    if range_key is not None and range_key in conditions:
        op, operands = conditions[range_key]
        if not _accepts(op, start.get(range_key), operands):
            raise Problem(msg.START_KEY_RANGE)
    if hash_key in conditions:
        op, operands = conditions[hash_key]
        if not _accepts(op, start.get(hash_key), operands):
            raise Problem(msg.START_KEY_OUTSIDE)


def check_batch_get_keys(table: str, keys: Any) -> None:
    """Each table of a BatchGetItem asks for at least one key."""
    if isinstance(keys, list) and not keys:
        raise constraint_problem(
            [constraint("[]", f"requestItems.{table}.member.keys", msg.LENGTH_AT_LEAST.format(n=1))]
        )


def name_first_key_condition(expression: str) -> str | None:
    """A key condition written value first (``:v = pk AND :c < sk``), written name first
    (``pk = :v AND sk > :c``: the same condition); None when it already is (or cannot be).

    DynamoDB accepts both orders (Alternator's ``test_key_condition_expression_*_reverse``,
    run on AWS); the in-memory backend sends moto, which refuses the first, the second.
    """
    try:
        root = parse_condition(expression).root
    except Exception:  # the rules already refused what does not parse
        return None

    def text(operand: Any) -> str | None:
        if isinstance(operand, Path) and len(operand.elements) == 1:
            return str(operand.elements[0][1])
        name = getattr(operand, "name", None)
        return name if isinstance(name, str) and name.startswith(":") else None

    flipped = False
    parts: list[str] = []
    leaves = root.operands if isinstance(root, Logical) and root.op == "AND" else [root]
    for leaf in leaves:
        if isinstance(leaf, Compare):
            left, right = text(leaf.left), text(leaf.right)
            if left is None or right is None or leaf.op not in _KEY_FLIPPED:
                return None
            if not isinstance(leaf.left, Path) and isinstance(leaf.right, Path):
                flipped = True
                parts.append(f"{right} {_KEY_FLIPPED[leaf.op]} {left}")
            else:
                parts.append(f"{left} {leaf.op} {right}")
        elif isinstance(leaf, Between):
            subject, low, high = text(leaf.subject), text(leaf.low), text(leaf.high)
            if subject is None or low is None or high is None:
                return None
            parts.append(f"{subject} BETWEEN {low} AND {high}")
        elif isinstance(leaf, FunctionCondition) and len(leaf.call.args) == 2:
            first, second = text(leaf.call.args[0]), text(leaf.call.args[1])
            if first is None or second is None:
                return None
            parts.append(f"{leaf.call.name}({first}, {second})")
        else:
            return None
    return " AND ".join(parts) if flipped else None


__all__ = [
    "check_batch_get_keys",
    "check_index_projection",
    "check_segment_bounds",
    "check_start_key_bounds",
    "name_first_key_condition",
]
