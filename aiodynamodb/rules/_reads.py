"""Rules of Query and Scan: key conditions, filters, indexes, pagination parameters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiodynamodb.rules import _legacy as legacy
from aiodynamodb.rules import messages as msg
from aiodynamodb.rules._attribute_values import compare_scalars, scalar_type
from aiodynamodb.rules._context import Request
from aiodynamodb.rules._expression_checks import (
    Placeholders,
    check_condition,
    check_projection,
)
from aiodynamodb.rules._key_schema import TableSchema, check_table_name
from aiodynamodb.rules._problems import Problem
from aiodynamodb.rules._read_bounds import (
    check_index_projection,
    check_segment_bounds,
    check_start_key_bounds,
)
from aiodynamodb.rules._syntax import (
    Between,
    Call,
    Compare,
    Condition,
    FunctionCondition,
    In,
    Logical,
    Path,
    Value,
)

_FLIPPED = {"=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_KEY_PREFIX = "Invalid KeyConditionExpression: "
_LEGACY_ARITY = {
    "EQ": 1,
    "NE": 1,
    "LE": 1,
    "LT": 1,
    "GE": 1,
    "GT": 1,
    "BEGINS_WITH": 1,
    "BETWEEN": 2,
    "CONTAINS": 1,
    "NOT_CONTAINS": 1,
    "NULL": 0,
    "NOT_NULL": 0,
}
_LEGACY_OPERATORS = {
    "EQ": "=",
    "LE": "<=",
    "LT": "<",
    "GE": ">=",
    "GT": ">",
    "BEGINS_WITH": "begins_with",
    "BETWEEN": "BETWEEN",
}

KeyConditions = dict[str, tuple[str, list[Any]]]


def _key_problem(message: str) -> Problem:
    return Problem(_KEY_PREFIX + message)


def _key_leaf(node: Condition, holders: Placeholders, conditions: KeyConditions) -> None:
    if isinstance(node, In):
        raise _key_problem(msg.KEY_OPERATOR.format(name="IN"))
    if isinstance(node, FunctionCondition):
        call = node.call
        if call.name == "size":
            raise _key_problem(msg.KEY_NESTED_OPERATION)
        if call.name != "begins_with":
            raise _key_problem(msg.KEY_OPERATOR.format(name=call.name))
        if not isinstance(call.args[0], Path):
            raise Problem(msg.KEY_FIRST_OPERAND.format(name="begins_with"))
        op, operands = "begins_with", list(call.args)
    elif isinstance(node, Compare):
        if node.op == "<>":
            raise _key_problem(msg.KEY_OPERATOR.format(name="<>"))
        op, operands = node.op, [node.left, node.right]
    elif isinstance(node, Between):
        if not isinstance(node.subject, Path):
            raise Problem(msg.KEY_FIRST_OPERAND.format(name="BETWEEN"))
        op, operands = "BETWEEN", [node.subject, node.low, node.high]
    else:
        return
    attribute: str | None = None
    values: list[Any] = []
    for position, operand in enumerate(operands):
        if isinstance(operand, Call):
            raise _key_problem(msg.KEY_NESTED_OPERATION)
        if isinstance(operand, Path):
            if attribute is not None:
                raise Problem(msg.KEY_TWO_NAMES)
            if len(operand.elements) > 1:
                raise _key_problem(msg.KEY_NESTED_ATTRIBUTE)
            kind, element = operand.elements[0]
            attribute = (
                holders.names.get(str(element), str(element)) if kind == "ph" else str(element)
            )
            if position != 0 and op in _FLIPPED:
                op = _FLIPPED[op]
        elif isinstance(operand, Value):
            values.append(holders.values.get(operand.name))
    if attribute is None:
        raise Problem(msg.KEY_NO_NAME)
    if attribute in conditions:
        raise _key_problem(msg.KEY_ONE_CONDITION)
    conditions[attribute] = (op, values)


def key_conditions(root: Condition, holders: Placeholders) -> KeyConditions:
    """The per-attribute conditions of a checked ``KeyConditionExpression``."""
    conditions: KeyConditions = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, Logical):
            if node.op != "AND":
                raise _key_problem(msg.KEY_OPERATOR.format(name=node.op))
            stack.extend(reversed(node.operands))
        else:
            _key_leaf(node, holders, conditions)
    return conditions


def legacy_key_conditions(raw: Any) -> KeyConditions:
    """The per-attribute conditions of a legacy ``KeyConditions`` map."""
    conditions: KeyConditions = {}
    if not isinstance(raw, Mapping):
        return conditions
    # The operator's own rules first, as in a filter: an unknown (or lower-case) operator is
    # an enum error naming it, BEGINS_WITH takes no number (Alternator's
    # test_key_conditions.py, run against DynamoDB).
    legacy.check_filter_conditions(raw, "KeyConditions")
    for name, condition in raw.items():
        operator = condition.get("ComparisonOperator") if isinstance(condition, Mapping) else None
        values = list(condition.get("AttributeValueList") or ()) if operator else []
        arity = _LEGACY_ARITY.get(str(operator))
        if arity is not None and arity != len(values):
            raise Problem(msg.LEGACY_ARGUMENT_COUNT.format(operator=operator))
        if operator == "BETWEEN" and len(values) == 2:
            order = compare_scalars(values[0], values[1])
            if order is not None and order > 0:
                raise Problem(msg.LEGACY_BETWEEN_ORDER)
        if operator not in _LEGACY_OPERATORS:
            raise Problem(msg.KEY_NOT_INDEXABLE)
        conditions[name] = (_LEGACY_OPERATORS[str(operator)], values)
    return conditions


def check_key_conditions(conditions: KeyConditions, schema: TableSchema, index: str | None) -> None:
    """Check key conditions against the table's (or index's) key schema."""
    hash_key, range_key = schema.key_schema(index)
    count = 1 if range_key is None else 2
    if len(conditions) > count:
        raise Problem(msg.KEY_TOO_MANY_CONDITIONS.format(count=len(conditions), keys=count))
    if hash_key not in conditions:
        raise Problem(msg.KEY_MISSED.format(name=hash_key))
    if len(conditions) > 1 and range_key not in conditions:
        raise Problem(msg.KEY_MISSED.format(name=range_key))
    for name, (op, values) in conditions.items():
        expected = schema.types.get(name)
        if any(isinstance(v, Mapping) and scalar_type(v) != expected for v in values):
            raise Problem(msg.KEY_CONDITION_TYPE)
        if name == hash_key and op != "=":
            raise Problem(msg.KEY_NOT_SUPPORTED)


def _index(request: Request, schema: TableSchema | None, params: Mapping[str, Any]) -> None:
    index = params.get("IndexName")
    if index is None or schema is None:
        return
    if index not in schema.indexes:
        raise Problem(msg.UNKNOWN_INDEX.format(name=index))
    found = schema.indexes[index]
    if found.is_global and params.get("ConsistentRead"):
        raise Problem(msg.CONSISTENT_GSI)


def _start_key(params: Mapping[str, Any], schema: TableSchema, scan: bool) -> None:
    start = params.get("ExclusiveStartKey")
    if start is None:
        return
    names = schema.start_key_names(params.get("IndexName"))
    valid = isinstance(start, Mapping) and len(start) == len(names)
    if valid:
        for name in names:
            value = start.get(name)
            if not isinstance(value, Mapping) or scalar_type(value) != schema.types.get(name):
                valid = False
                break
    if not valid:
        if scan:
            raise Problem(msg.BAD_START_KEY_DETAIL.format(message=msg.KEY_MISMATCH))
        raise Problem(msg.BAD_START_KEY)


def _filter_on_keys(heads: list[str], kind: str, schema: TableSchema, index: str | None) -> None:
    hash_key, range_key = schema.key_schema(index)
    for name in (hash_key, range_key):
        if name is not None and name in heads:
            raise Problem(msg.FILTER_ON_KEY.format(kind=kind, name=name))


def _select(params: Mapping[str, Any], schema: TableSchema) -> None:
    index = params.get("IndexName")
    if index is None or params.get("Select") != "ALL_ATTRIBUTES":
        return
    found = schema.indexes[index]
    if found.is_global and found.projection != "ALL":
        raise Problem(msg.SELECT_ALL_GSI.format(name=index))


def _legacy_rules(params: Mapping[str, Any], filter_parameter: str) -> None:
    legacy.check_conditional_operator(params)
    legacy.check_attributes_to_get(params.get("AttributesToGet"))
    legacy.check_filter_conditions(params.get(filter_parameter), filter_parameter)


def query(request: Request) -> None:
    """Query."""
    params = request.params
    check_table_name(params.get("TableName"))
    request.check_limit(params)
    _legacy_rules(params, "QueryFilter")
    holders = request.placeholders(
        params,
        ("ProjectionExpression", "FilterExpression", "KeyConditionExpression"),
        ("AttributesToGet", "QueryFilter", "ConditionalOperator", "KeyConditions"),
    )
    request.check_values(params.get("ExclusiveStartKey"))
    if params.get("KeyConditions") is None and params.get("KeyConditionExpression") is None:
        raise Problem(msg.KEY_CONDITION_REQUIRED)
    conditions: KeyConditions | None = None
    if params.get("KeyConditionExpression") is not None:
        root, _ = check_condition(
            "KeyConditionExpression", params["KeyConditionExpression"], holders
        )
    else:
        root = None
    heads: list[str] = []
    if params.get("FilterExpression") is not None:
        _, facts = check_condition("FilterExpression", params["FilterExpression"], holders)
        heads = facts.heads
    paths = None
    if params.get("ProjectionExpression") is not None:
        paths = check_projection(params["ProjectionExpression"], holders)
    holders.check_unused()
    if root is not None:
        conditions = key_conditions(root, holders)
    else:
        conditions = legacy_key_conditions(params.get("KeyConditions"))
    schema = request.schema(params.get("TableName"))
    if schema is None:
        return
    _index(request, schema, params)
    index = params.get("IndexName")
    _start_key(params, schema, scan=False)
    check_key_conditions(conditions, schema, index)
    check_start_key_bounds(params, conditions, schema)
    if heads:
        _filter_on_keys(heads, "Filter Expression", schema, index)
    query_filter = params.get("QueryFilter")
    if isinstance(query_filter, Mapping):
        _filter_on_keys(list(query_filter), "QueryFilter", schema, index)
    _select(params, schema)
    check_index_projection(params, schema, paths)


def scan(request: Request) -> None:
    """Scan."""
    params = request.params
    check_table_name(params.get("TableName"))
    request.check_limit(params)
    check_segment_bounds(params)
    segment, total = params.get("Segment"), params.get("TotalSegments")
    if total is not None and segment is None:
        raise Problem(msg.SEGMENT_MISSING)
    if segment is not None and total is None:
        raise Problem(msg.TOTAL_SEGMENTS_MISSING)
    if isinstance(segment, int) and isinstance(total, int) and segment >= total:
        raise Problem(msg.SEGMENT_TOO_LARGE.format(segment=segment, total=total))
    _legacy_rules(params, "ScanFilter")
    holders = request.placeholders(
        params,
        ("ProjectionExpression", "FilterExpression"),
        ("AttributesToGet", "ScanFilter", "ConditionalOperator"),
    )
    request.check_values(params.get("ExclusiveStartKey"))
    if params.get("FilterExpression") is not None:
        check_condition("FilterExpression", params["FilterExpression"], holders)
    paths = None
    if params.get("ProjectionExpression") is not None:
        paths = check_projection(params["ProjectionExpression"], holders)
    holders.check_unused()
    schema = request.schema(params.get("TableName"))
    if schema is None:
        return
    _index(request, schema, params)
    _start_key(params, schema, scan=True)
    _select(params, schema)
    check_index_projection(params, schema, paths)


__all__ = [
    "KeyConditions",
    "check_key_conditions",
    "key_conditions",
    "legacy_key_conditions",
    "query",
    "scan",
]
